"""pyoxigraph terms and results as rdflib's, and the one lexical form every backend shows.

Oxigraph keeps typed literals in their canonical form (``"8.0"^^xsd:decimal`` is stored as
``"8"``); :func:`canonical` gives rdflib's terms the same form, so that a value looks the same
whichever backend answered.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kg.errors import QueryError, UsageError
from kg.sparql_text import code_only, query_is_ordered

if TYPE_CHECKING:
    from rdflib.term import Node

    from kg.query import QueryResult

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD_NS + "string"


def to_rdflib(term: Any) -> Node | None:
    """A pyoxigraph term as the equal rdflib term (xsd:string literals as plain literals)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt), normalize=False)  # the lexical form as kept
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    raise QueryError(f"RDF-star triple terms are not supported: {term}")


def to_oxigraph(term: Node | None) -> Any:
    """An rdflib term (or None for the default graph) as the equal pyoxigraph term."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return ox.DefaultGraph()
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(
            str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None
        )
    raise UsageError(f"not an RDF term: {term!r}")


_CANONICAL: dict[tuple[str, str], Node] = {}
_SCRATCH: dict[str, Any] = {}


def canonical(term: Node | None) -> Node | None:
    """An XSD-typed literal in the lexical form Oxigraph keeps (``8.0`` -> ``8`` for a decimal,
    ``+00:00`` -> ``Z``) and a language tag in lower case, so that every backend shows a value
    the same way; other terms as they are."""
    from rdflib import Literal

    if isinstance(term, Literal) and term.language and term.language != term.language.lower():
        return Literal(str(term), lang=term.language.lower())  # Oxigraph keeps tags in lower case
    if (
        not isinstance(term, Literal)
        or term.datatype is None
        or not str(term.datatype).startswith(XSD_NS)
    ):
        return term
    key = (str(term), str(term.datatype))
    found = _CANONICAL.get(key)
    if found is None:
        import pyoxigraph as ox

        if "store" not in _SCRATCH:
            _SCRATCH["store"] = ox.Store()
        store, s, p = _SCRATCH["store"], ox.NamedNode("urn:kg:s"), ox.NamedNode("urn:kg:p")
        quad = ox.Quad(s, p, ox.Literal(key[0], datatype=ox.NamedNode(key[1])))
        store.add(quad)
        found = to_rdflib(next(iter(store.quads_for_pattern(s, p, None))).object)
        store.remove(quad)
        if len(_CANONICAL) > 100_000:
            _CANONICAL.clear()
        _CANONICAL[key] = found  # type: ignore[assignment]
    return found


def canonical_result(result: QueryResult) -> QueryResult:
    """A result with every literal in its canonical form (see :func:`canonical`)."""
    from rdflib import Graph

    if result.graph is not None:
        graph = Graph()
        for prefix, ns in result.graph.namespaces():
            graph.bind(prefix, ns, override=True)
        for t in result.graph:
            graph.add((t[0], t[1], canonical(t[2])))  # type: ignore[arg-type]
        result.graph = graph
    elif result.rows:
        result.rows = [tuple(canonical(c) for c in row) for row in result.rows]
    return result


def collect(result: Any, text: str) -> QueryResult:
    """A pyoxigraph query result (solutions, boolean or triples) as a :class:`QueryResult`."""
    import pyoxigraph as ox
    from rdflib import Graph

    from kg.namespaces import bind_prefixes
    from kg.query import QueryResult, term_sort_key

    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [tuple(to_rdflib(s[c]) for c in columns) for s in result]
        ordered = query_is_ordered(text)
        if not ordered:
            rows.sort(key=lambda row: tuple(term_sort_key(c) for c in row))
        return QueryResult("SELECT", columns=columns, rows=rows, ordered=ordered)
    graph = Graph()
    bind_prefixes(graph)
    for t in result:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    kind = "DESCRIBE" if re.search(r"\bDESCRIBE\b", code_only(text), re.IGNORECASE) else "CONSTRUCT"
    return QueryResult(kind, graph=graph)
