"""SPARQL query text, handled without parsing it: where keywords are, binding parameters with
``VALUES``, the project's prefixes, refusing ``SERVICE`` for embedded engines."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from kg.errors import UsageError
from kg.namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib.term import Node

#: Comments, string literals and IRIs: where keywords and braces are not.
_STRIP = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'
)


def code_only(text: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length: positions hold)."""
    return _STRIP.sub(lambda m: " " * len(m.group()), text)


def bind_values(text: str, params: Mapping[str, Node], source: str = "query") -> str:
    """The query with ``VALUES`` for ``params`` at the start of its WHERE group: how variables are
    bound where the SPARQL Protocol has no way to pass them."""
    if not params:
        return text
    code = code_only(text)
    found = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    brace = found.end() - 1 if found else code.find("{")
    if brace < 0:
        raise UsageError(f"{source}: the query has no WHERE group to bind parameters in")
    names = list(params)
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(params[n].n3() for n in names)}) }} "
    return text[: brace + 1] + values + text[brace + 1 :]


def query_is_ordered(text: str) -> bool:
    """Whether the query ends with a top-level ORDER BY (after its last closing brace)."""
    code = code_only(text)
    return re.search(r"\bORDER\s+BY\b", code[code.rfind("}") + 1 :], re.IGNORECASE) is not None


#: One key of an ORDER BY made of plain variables: ?x, $x, ASC(?x) or DESC(?x).
_ORDER_KEY = re.compile(r"\s*(?:(ASC|DESC)\s*\(\s*[?$](\w+)\s*\)|[?$](\w+))", re.IGNORECASE)


def split_order(text: str) -> tuple[str, str, list[tuple[str, bool]]] | None:
    """``(query without its ORDER BY, the ORDER BY clause, [(variable, descending), ...])`` when
    the query ends with a top-level ORDER BY of plain variables (each bare or in ``ASC()`` /
    ``DESC()``) and nothing after it (no LIMIT, OFFSET or VALUES); else None."""
    code = code_only(text)
    tail = code.rfind("}") + 1
    found = re.search(r"\bORDER\s+BY\b", code[tail:], re.IGNORECASE)
    if found is None:
        return None
    start, pos = tail + found.start(), tail + found.end()
    keys: list[tuple[str, bool]] = []
    while (key := _ORDER_KEY.match(code, pos)) is not None:
        keys.append((key.group(2) or key.group(3), (key.group(1) or "").upper() == "DESC"))
        pos = key.end()
    if not keys or code[pos:].strip():
        return None
    return text[:start], text[start:], keys


def refuse_service(text: str, source: str = "query") -> None:
    """SERVICE would make an embedded engine open a connection: refuse it (as kg query does)."""
    if re.search(r"\bSERVICE\b", code_only(text), re.IGNORECASE):
        raise UsageError(
            f"{source}: SERVICE would query a remote endpoint; kg does not use the network "
            "unless asked: run the query on that endpoint with --endpoint URL"
        )


def with_prefixes(text: str) -> str:
    """The project's prefixes the query does not declare itself, then the query; all on its first
    line, so that line numbers in the server's error messages stay the query's own."""
    declared = {
        m.group(1) for m in re.finditer(r"\bPREFIX\s+([\w.-]*):", code_only(text), re.IGNORECASE)
    }
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in PREFIXES.items() if p not in declared) + text
