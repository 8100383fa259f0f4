"""Pinyin and English names of the divisions."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kg.reference.build.packages import BuildError, Package, dist_info

PINYIN_FALLBACK = "pinyin.json"  # only in test fixtures: name -> toned syllables

#: Exonyms: the two province-level divisions whose usual English name is not their pinyin (nor
#: the ISO 3166-2 name). Everything else in the English labels is derived.
EXONYMS = {"150000": "Inner Mongolia", "540000": "Tibet"}

#: Readings pypinyin gets wrong in place names (it reads 朝阳 as zhāoyáng).
PINYIN_FIXES = {"朝阳": ["cháo", "yáng"]}

#: Chinese name endings -> English, longest first (county level, then prefecture level).
COUNTY_SUFFIXES = [
    ("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"), ("林区", "Forestry District"),
    ("特区", "Special District"), ("新区", "New Area"), ("矿区", "Mining District"),
    ("区", "District"), ("县", "County"), ("旗", "Banner"), ("市", ""),
]
PREFECTURE_SUFFIXES = [
    ("自治州", "Autonomous Prefecture"), ("地区", "Prefecture"), ("盟", "League"), ("市", ""),
]
PROVINCE_SUFFIXES = [
    ("特别行政区", ""), ("自治区", ""), ("省", ""), ("市", ""),
]

#: The language tag of pinyin names: BCP 47's zh-Latn-pinyin in lower case, as Oxigraph writes every
#: tag (rdflib keeps the case as written), so that a store and memory give the same literal.
PINYIN_TAG = "zh-latn-pinyin"



class Pinyin:
    """Toned pinyin syllables of a Chinese string, one per character.

    From pypinyin when it is importable (sys.path or the source folder), else from a table
    ``pinyin.json`` in the source folder (the test fixtures ship one made with pypinyin).
    """

    def __init__(self, src: Path) -> None:
        self.table: dict[str, list[str]] | None = None
        self.package: Package | None = None
        try:
            if str(src) not in sys.path:
                sys.path.append(str(src))
            import pypinyin  # noqa: PLC0415

            self._pypinyin = pypinyin
            try:
                self.package = dist_info(src, "pypinyin")
            except BuildError:
                self.package = Package("pypi", "pypinyin", pypinyin.__version__, "MIT")
        except ImportError:
            self._pypinyin = None
            fallback = src / PINYIN_FALLBACK
            if not fallback.exists():
                raise BuildError("pypinyin is not importable and the source has no pinyin.json")
            self.table = json.loads(fallback.read_text(encoding="utf-8"))
            self.package = Package("pypi", "pypinyin", self.table.pop("__version__", "?"), "MIT")
        self.asked: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        if text in self.asked:
            return self.asked[text]
        if self.table is not None:
            if text not in self.table:
                raise BuildError(f"pinyin.json has no entry for {text!r}")
            out = list(self.table[text])
        else:
            style = self._pypinyin.Style.TONE
            out = [s[0] for s in self._pypinyin.pinyin(text, style=style, errors="default")]
            if len(out) != len(text):
                raise BuildError(f"pinyin of {text!r} is not one syllable per character: {out}")
            for word, fix in PINYIN_FIXES.items():
                start = text.find(word)
                while start >= 0:
                    out[start : start + len(word)] = fix
                    start = text.find(word, start + 1)
        self.asked[text] = out
        return out


def toneless(syllable: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", syllable) if unicodedata.category(c) != "Mn"
    ).replace("ü", "v")


def pinyin_word(syllables: list[str], toned: bool = False) -> str:
    """Syllables joined into one capitalised word, with an apostrophe before a syllable that
    begins with a, o or e (Xi'an, Lu'an)."""
    out = ""
    for i, s in enumerate(syllables):
        s = s if toned else toneless(s)
        if i and toneless(s)[:1] in ("a", "o", "e"):
            out += "'"
        out += s
    return out[:1].upper() + out[1:]


def slug(text: str) -> str:
    text = toneless(text).lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def split_suffix(name: str, suffixes: list[tuple[str, str]]) -> tuple[str, str, str]:
    for zh, en in suffixes:
        if name.endswith(zh) and len(name) > len(zh):
            return name[: -len(zh)], zh, en
    return name, "", ""


def _split_ethnic(stem: str, nations: list[str]) -> tuple[str, list[str]]:
    """``长阳土家族`` -> (``长阳``, [``土家族``]): the ethnic names at the end of a stem, as the
    56 nations list gives them, with or without 族 (新疆维吾尔 -> 新疆, [维吾尔])."""
    groups: list[str] = []
    names = set(nations) | {"各族"}
    names |= {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    ordered = sorted(names, key=lambda n: (-len(n), n))
    rest = stem
    while True:
        for n in ordered:
            if rest.endswith(n):
                groups.insert(0, n)
                rest = rest[: -len(n)]
                break
        else:
            break
    return rest, groups


@dataclass
class Names:
    zh: str
    short: str
    en: str
    pinyin: str  # toned, of the full official name


def division_names(
    code: str,
    level: int,
    zh: str,
    py: Pinyin,
    nations: list[str],
    iso_en: dict[str, str],
    geonames_en: dict[str, str],
) -> Names:
    suffixes = {1: PROVINCE_SUFFIXES, 2: PREFECTURE_SUFFIXES, 3: COUNTY_SUFFIXES}[level]
    syll = py(zh)
    stem, suffix_zh, suffix_en = split_suffix(zh, suffixes)
    place, groups = _split_ethnic(stem, nations) if "自治" in suffix_zh or level == 1 else (stem, [])
    pos = 0

    def take(part: str) -> list[str]:
        nonlocal pos
        out = syll[pos : pos + len(part)]
        pos += len(part)
        return out

    place_py = take(place)
    group_py = [(g, take(g)) for g in groups]
    words = [pinyin_word(place_py)] if place else []
    words += [pinyin_word(p[:-1] if g.endswith("族") else p) for g, p in group_py]
    if level == 1:
        en = EXONYMS.get(code) or iso_en.get(zh) or " ".join(words[:1])
    elif level == 2 and suffix_zh == "市" and zh in geonames_en:
        en = geonames_en[zh]
    else:
        en = " ".join(w for w in [*words, suffix_en] if w)
    short = place or (groups[0].removesuffix("族") if groups else stem)
    if len(short) < 2:
        short = zh
    full_py = " ".join(pinyin_word(s, toned=True) for s in _chunks(zh, syll, suffix_zh))
    return Names(zh=zh, short=short, en=en, pinyin=full_py)


def _chunks(zh: str, syll: list[str], suffix_zh: str) -> list[list[str]]:
    """Pinyin words of an official name: the stem as one word, the type suffix as another."""
    if suffix_zh and len(zh) > len(suffix_zh):
        n = len(zh) - len(suffix_zh)
        return [syll[:n], syll[n:]]
    return [syll]
