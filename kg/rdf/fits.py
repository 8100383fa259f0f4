"""How well a name fits a label: folding names, the kinds of fit (the whole name, a division's
name without its suffix, part of a name) and choosing the best. Plain strings: no rdflib, so the
backend registry can use it and stay light."""

from __future__ import annotations

import unicodedata
from typing import Any


def normalize_name(text: str) -> str:
    """Fold case, width and spacing so that two spellings of a name compare equal."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


#: How well a label fits a name, best first: the whole label; the label of an administrative
#: division without its suffix (包头市 for 包头, "Qingshan District" for Qingshan); part of it.
EXACT, SHORT, PARTIAL = 0, 1, 2
#: Suffixes of division names (folded), longest first: what "包头" leaves out of "包头市".
_DIVISION_SUFFIXES = tuple(
    sorted(
        ("自治区", "自治州", "自治县", "特别行政区", "省", "市", "区", "县", "州", "盟", "旗", "镇", "乡",
         " province", " city", " district", " county", " prefecture", " league", " banner", " town"),
        key=len,
        reverse=True,
    )
)


def name_fit(label: str, wanted: str) -> int | None:
    """How the folded ``label`` fits the folded ``wanted`` name (EXACT, SHORT, PARTIAL), or None."""
    if label == wanted:
        return EXACT
    if wanted not in label:
        return None
    for suffix in _DIVISION_SUFFIXES:
        if label.endswith(suffix) and label[: -len(suffix)].rstrip() == wanted:
            return SHORT
    return PARTIAL


def best_fits(fits: dict[Any, int]) -> list[Any]:
    """The IRIs of the best fit found, sorted."""
    if not fits:
        return []
    best = min(fits.values())
    return sorted(iri for iri, fit in fits.items() if fit == best)


def keep_best(fits: dict[Any, int], iri: Any, fit: int | None) -> None:
    """Record ``fit`` for ``iri`` in ``fits`` when it is better than what is there."""
    if fit is not None and fit < fits.get(iri, PARTIAL + 1):
        fits[iri] = fit
