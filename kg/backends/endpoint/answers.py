"""Reading an endpoint's answers: the columns a SELECT should have, an answer the server cut
at its row limit, and the triples of an RDF answer."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from kg.backends.sparql_results import canonical_literal
from kg.errors import InputError
from kg.rdf.sparql_text import code_only

_HEAD_TOKEN = re.compile(r"[(){]|\bWHERE\b|\bFROM\b|\bAS\s+[?$](\w+)|[?$](\w+)|\*", re.IGNORECASE)


def projected_variables(text: str) -> list[str] | None:
    """The variables a SELECT query's answer has, read from its head (``SELECT ?a (... AS ?b)``),
    or None where the head does not say (``SELECT *``, not a SELECT). Used only to check that
    a server answered what was asked, never to decide what runs."""
    code = code_only(text)
    found = re.search(r"\bSELECT\b", code, re.IGNORECASE)
    if found is None:
        return None
    depth, names = 0, []
    for token in _HEAD_TOKEN.finditer(code, found.end()):
        word = token.group().upper()
        if word == "(":
            depth += 1
        elif word == ")":
            depth -= 1
        elif depth == 0 and (word in ("{", "WHERE", "FROM")):
            break
        elif word == "*" and depth == 0:
            return None
        elif token.group(1) and depth == 1:
            names.append(token.group(1))
        elif token.group(2) and depth == 0:
            names.append(token.group(2))
    return names or None


class TruncatedAnswer(InputError):
    """The server cut a SELECT answer at its row limit (and said so with ``X-SPARQL-MaxRows``):
    its ``limit`` and the answer's ``variables``, for reading it again in pages."""

    def __init__(self, url: str, limit: str, variables: list[str]) -> None:
        self.limit = int(limit) if limit.strip().isdigit() and int(limit) > 0 else 10000
        self.variables = variables
        self.names = {v: i for i, v in enumerate(variables)}
        super().__init__(
            f"{url}: the endpoint cut its answer at {self.limit} rows (X-SPARQL-MaxRows): add LIMIT and OFFSET "
            "to read it in pages, or raise the server's limit (Virtuoso: ResultSetMaxRows in the [SPARQL] "
            "section of virtuoso.ini)"
        )


def is_graph(result: Any) -> bool:
    """Whether a parsed answer is triples (not solutions, not a boolean)."""
    import pyoxigraph as ox

    return not isinstance(result, (bool, ox.QueryBoolean)) and not hasattr(result, "variables")


def graph_triples(parser: Iterable[Any]) -> Iterator[Any]:
    """The triples of a parsed RDF answer (pyoxigraph quads in the default graph), their literals
    of XSD value types in Oxigraph's spelling (:func:`kg.backends.sparql_results.canonical_literal`)."""
    import pyoxigraph as ox

    for quad in parser:
        obj = quad.object
        canon = canonical_literal(obj)
        yield quad.triple if canon is obj else ox.Triple(quad.subject, quad.predicate, canon)
