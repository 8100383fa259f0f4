"""Writing the containment closure (:mod:`kg.rdf.containment`) into a store or an endpoint.

``kg load`` and ``kg push`` call these after the data is in: the closure is computed from the
containment statements of the named graphs (never from the derived graph itself) and written
into ``graph:derived-containment`` and, like every named graph's triples, into the default
graph that queries read (see :mod:`kg.backends.base`). An append only adds containment
statements, so the closure of the whole only grows: what an earlier load derived stays true and
the new closure is added to it (a store holds sets: a triple written twice is held once);
``--replace`` empties the store or endpoint first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kg.rdf.containment import CONTAINMENT, DERIVED_GRAPH, WITHIN, describe_graph, within_pairs

if TYPE_CHECKING:
    from kg.backends.endpoint import EndpointBackend


def store_containment(store: Any) -> int:
    """Add the closure of a pyoxigraph store's containment statements to its derived graph
    and its default graph; how many ``kg:within`` pairs it holds."""
    import pyoxigraph as ox

    from kg.backends.oxigraph_terms import to_oxigraph

    derived = ox.NamedNode(str(DERIVED_GRAPH))
    edges = (
        (q.subject, q.object)
        for p in CONTAINMENT
        for q in store.quads_for_pattern(None, ox.NamedNode(str(p)), None, None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name != derived and not isinstance(q.object, ox.Literal)
    )
    pairs = list(within_pairs(edges))
    if not pairs:
        return 0
    within = ox.NamedNode(str(WITHIN))
    default = ox.DefaultGraph()

    def quads() -> Iterator[Any]:
        for s, p, o in describe_graph():
            triple = (to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
            yield ox.Quad(*triple, derived)
            yield ox.Quad(*triple, default)
        for thing, container in pairs:
            yield ox.Quad(thing, within, container, derived)
            yield ox.Quad(thing, within, container, default)

    store.bulk_extend(quads())
    return len(pairs)


#: The containment statements of the named graphs (the properties of
#: :data:`kg.rdf.containment.CONTAINMENT`; a test holds the two to the same list).
EDGES = """SELECT DISTINCT ?s ?o WHERE {
  GRAPH ?g { ?s kg:locatedIn|kg:subParkOf|kg:headquarteredIn ?o }
  FILTER(?g != graph:derived-containment && !isLiteral(?o))
}"""


def endpoint_containment(backend: EndpointBackend, piece: int = 20_000) -> int:
    """Put the closure of an endpoint's containment statements into its derived graph (replacing
    it) and add it to its default graph, with the Graph Store Protocol; how many triples the
    derived graph holds (the pairs and the graph's description). Blank
    nodes cannot be named across requests: their pairs are left out."""
    import pyoxigraph as ox

    from kg.backends.oxigraph_terms import to_oxigraph

    rows = backend.rows(EDGES, source="containment")
    edges = ((s, o) for s, o in rows if s is not None and o is not None)
    pairs = sorted((s, o) for s, o in within_pairs(edges) if not (_blank(s) or _blank(o)))
    if not pairs:
        return 0
    triples = [(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in describe_graph()]
    within = ox.NamedNode(str(WITHIN))
    triples += [ox.Triple(to_oxigraph(s), within, to_oxigraph(o)) for s, o in pairs]

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(triples), piece):
            batch = [t if isinstance(t, ox.Triple) else ox.Triple(*t) for t in triples[i : i + piece]]
            yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""

    backend.put_graph(str(DERIVED_GRAPH), chunks(), replace=True)
    backend.put_graph(None, chunks(), replace=False)
    return len(triples)


def _blank(term: object) -> bool:
    from rdflib import BNode

    return isinstance(term, BNode)
