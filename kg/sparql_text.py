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
