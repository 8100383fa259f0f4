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
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rdflib import BNode

from kg.backends.oxigraph_terms import to_oxigraph
from kg.backends.own import MERGE
from kg.namespaces import PLACE
from kg.rdf.gazetteer import gazetteer_history
from kg.rdf.containment import (
    CONTAINMENT,
    DERIVED_GRAPH,
    WITHIN,
    derived_triples,
    within_pairs,
)

if TYPE_CHECKING:
    from kg.backends.endpoint import EndpointBackend


def store_containment(store: Any, edges: list[tuple[str, str]] | None = None, scratch: Path | None = None) -> int:
    """Add the closure of a pyoxigraph store's containment statements to its derived graph
    and its default graph; how many ``kg:within`` pairs it holds.

    ``edges``: the statements as (subject, object) in N-Triples, when the caller read them
    while loading; else they are read from the store. The closure is written as N-Quads
    (:func:`write_closure`) into a file in the folder ``scratch`` and bulk-loaded (leniently:
    Oxigraph wrote every term): adding the quads one by one from Python took ten times as long.
    Blank nodes cannot be named across loads: with one among the statements, the quads are
    added from Python, with the store's own terms."""
    import tempfile

    import pyoxigraph as ox

    if edges is None:
        found = [
            (q.subject, q.object)
            for p in CONTAINMENT
            for q in store.quads_for_pattern(None, ox.NamedNode(str(p)), None, None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != str(DERIVED_GRAPH)
            and not isinstance(q.object, ox.Literal)
        ]
        if any(isinstance(t, ox.BlankNode) for pair in found for t in pair):
            return _extend_with_terms(store, found)
        edges = [(str(s), str(o)) for s, o in found]
    with tempfile.TemporaryDirectory(prefix=".kg-closure-", dir=scratch) as tmp:
        path = Path(tmp) / "closure.nq"
        with path.open("wb") as fh:
            pairs = write_closure(edges, fh)
        if pairs is None:
            return store_containment(store, None, scratch)
        if pairs:
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
    return pairs


def write_closure(edges: list[tuple[str, str]], out: IO[bytes]) -> int | None:
    """The closure of ``edges`` (N-Triples terms) as N-Quads into ``out``: each pair in the
    derived graph and in the default graph, the graph's description and the territory changes
    of the places among them (:func:`kg.rdf.containment.territory_changes`); how many pairs.
    None, writing nothing, when a term is a blank node (its label names it only in its file)."""
    import pyoxigraph as ox

    if any(t.startswith("_:") for pair in edges for t in pair):
        return None
    pairs = 0
    derived, within = f"<{DERIVED_GRAPH}>", f"<{WITHIN}>"
    batch: list[str] = []
    place = f"<{PLACE}"
    places: list[tuple[str, str]] = []  # (the pairs of places: their territory changes)
    for thing, container in within_pairs(edges):
        pairs += 1
        batch.append(f"{thing} {within} {container} {derived} .\n{thing} {within} {container} .\n")
        if thing.startswith(place):
            places.append((thing[1:-1], container[1:-1]))
        if len(batch) >= 1 << 16:
            out.write("".join(batch).encode("utf-8"))
            batch.clear()
    if pairs:
        triples = derived_triples(places, gazetteer_history)
        described = ox.serialize(
            [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in triples], format=ox.RdfFormat.N_TRIPLES
        ).decode("utf-8")
        batch.extend(f"{line[:-2]} {derived} .\n{line}\n" for line in described.splitlines())
    out.write("".join(batch).encode("utf-8"))
    return pairs


def _extend_with_terms(store: Any, edges: list[tuple[Any, Any]]) -> int:
    """:func:`store_containment` with the store's own terms (blank nodes included), quad by quad."""
    import pyoxigraph as ox

    pairs = list(within_pairs(edges))
    if not pairs:
        return 0
    derived, within, default = ox.NamedNode(str(DERIVED_GRAPH)), ox.NamedNode(str(WITHIN)), ox.DefaultGraph()

    named = [(t.value, c.value) for t, c in pairs if isinstance(t, ox.NamedNode) and isinstance(c, ox.NamedNode)]
    described = derived_triples(named, gazetteer_history)

    def quads() -> Iterator[Any]:
        for s, p, o in described:
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

    rows = backend.rows(EDGES, source="containment")
    edges = ((s, o) for s, o in rows if s is not None and o is not None)
    pairs = sorted((s, o) for s, o in within_pairs(edges) if not (_blank(s) or _blank(o)))
    if not pairs:
        return 0
    described = derived_triples(pairs, gazetteer_history)
    triples = [(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in described]
    within = ox.NamedNode(str(WITHIN))
    triples += [ox.Triple(to_oxigraph(s), within, to_oxigraph(o)) for s, o in pairs]

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(triples), piece):
            batch = [t if isinstance(t, ox.Triple) else ox.Triple(*t) for t in triples[i : i + piece]]
            yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""

    # Each piece whole, with a Content-Length (put_graph): into the derived graph (replaced),
    # then added to kg's merge graph, which queries read as their default graph (kg.backends.own).
    for i, body in enumerate(chunks()):
        backend.put_graph(str(DERIVED_GRAPH), body, replace=i == 0)
    for body in chunks():
        backend.put_graph(MERGE, body, replace=False)
    return len(triples)


def _blank(term: object) -> bool:
    return isinstance(term, BNode)
