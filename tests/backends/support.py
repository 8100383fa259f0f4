"""Helpers the cross-backend tests share: a query's example parameters, answers compared as
W3C JSON results, a snapshot of the project as KG_HOME."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def example_args(named) -> list[str]:
    """The --param options of the query's first ``#+ example:`` line."""
    if not named.header.examples:
        return []
    words = shlex.split(named.header.examples[0])
    return [x for flag, value in zip(words, words[1:], strict=False) if flag == "--param" for x in (flag, value)]


def bindings(stdout: str) -> tuple[list[str], object]:
    """W3C JSON results as (variables, rows): a list when ordered, else a multiset."""
    doc = json.loads(stdout)
    if "boolean" in doc:
        return [], doc["boolean"]
    rows = [tuple(sorted((k, tuple(sorted(v.items()))) for k, v in b.items())) for b in doc["results"]["bindings"]]
    return doc["head"]["vars"], rows


def project_snapshot(folder: Path) -> Path:
    """A copy of the project's data in ``folder`` (others edit it while tests run), for KG_HOME."""
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, folder / part)
    return folder
