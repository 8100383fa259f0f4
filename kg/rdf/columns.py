"""The columns of ``SELECT *``: the query's variables in the order they first appear.

SPARQL leaves the order of ``SELECT *`` columns to the engine: rdflib takes them from a set
(so the order changes with the hash seed), Oxigraph in order of first appearance. Every backend's
answer is put in the order of first appearance in the query text, so the same query gives the
same columns everywhere and on every run.
"""

from __future__ import annotations

import re
from typing import Any

from kg.rdf.sparql_text import code_only
from kg.rdf.terms import term_sort_key

_SELECT_STAR = re.compile(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?\*", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")


def star_order(text: str) -> list[str] | None:
    """The variables of a ``SELECT *`` query in order of first appearance (None when the
    query's first SELECT names its columns, or the query is not a SELECT)."""
    code = code_only(text)
    first = _SELECT.search(code)
    if first is None or not _SELECT_STAR.match(code, first.start()):
        return None
    seen: dict[str, None] = {}
    for found in _VARIABLE.finditer(code, first.end()):
        seen.setdefault(found.group(1), None)
    return list(seen)


def ordered_columns(columns: list[str], text: str) -> list[str]:
    """``columns`` in the query's order when it is ``SELECT *`` (names the text does not show,
    if any, after them in name order); as they are otherwise."""
    order = star_order(text)
    if order is None:
        return columns
    rank = {name: i for i, name in enumerate(order)}
    return sorted(columns, key=lambda c: (rank.get(c, len(rank)), c))


def in_query_order(result: Any, text: str) -> Any:
    """A SELECT result (:class:`kg.query.engine.QueryResult`) with its columns, and each row's
    cells, in :func:`ordered_columns` order; other results as they are."""
    if result.kind != "SELECT" or not result.columns:
        return result
    columns = ordered_columns(list(result.columns), text)
    if columns == list(result.columns):
        return result
    where = [result.columns.index(c) for c in columns]
    rows = [tuple(row[i] for i in where) for row in result.rows]
    if not result.ordered:
        rows.sort(key=lambda row: tuple(term_sort_key(c) for c in row))
    result.columns, result.rows = columns, rows
    return result
