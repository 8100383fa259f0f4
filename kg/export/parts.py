"""What ``kg export --store DIR`` / ``--endpoint URL`` exports: the parts, read from the backend.

The parts are the backend's own named graphs, told apart by what they say about themselves:
``ontology`` is ``graph:ontology``, ``reference`` every graph that declares itself a
``kg:ReferenceGraph``, ``derived`` kg's derived graphs (the containment closure: only when
asked), ``data`` every other graph (``--article SLUG`` picks ``graph:SLUG``).
``shapes`` comes from the project's shapes file and ``inferred`` is computed in memory from the
data, reference and the ontology, as without a backend. The quads stream from the backend (a
store's own index per graph; an endpoint's ``GRAPH ?g`` query) into the same writers as the
memory path, so the same quads give the same bytes. A store or a SPARQL server keeps literals
in their canonical form (``"8.0"^^xsd:decimal`` is ``"8"``): the bytes equal the memory export
of the data in that form (docs/scale.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from rdflib import URIRef

from kg.errors import UsageError
from kg.export.inferred import add_inferred, schema_of
from kg.namespaces import GRAPH
from kg.rdf.terms import INFERRED_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
from kg.rdf.loading import load_shapes, new_dataset
from kg.rdf.terms import iri_ref
from kg.rdf.containment import is_derived

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from kg.backends.base import Backend
    from kg.export.registry import ExportRequest
    from kg.rdf.terms import Quad

ONTOLOGY = ONTOLOGY_GRAPH
#: Graphs no part of the data: the ontology, shapes and inferences (written by kg itself).
_NOT_DATA = {ONTOLOGY_GRAPH, SHAPES_GRAPH, INFERRED_GRAPH}
_REFERENCE_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a kg:ReferenceGraph } }"


def graph_quads(backend: Backend, graphs: Iterable[Node]) -> Iterator[Quad]:
    """The quads of the named graphs ``graphs`` (:meth:`kg.backends.base.Backend.graph_quads`:
    a store reads each graph from its index)."""
    return backend.graph_quads(graphs)


def graph_parts(backend: Backend) -> dict[str, list[Node]]:
    """The backend's named graphs by part: ontology, reference, derived, data."""
    names = backend.named_graphs()
    reference = {row[0] for row in backend.query(_REFERENCE_GRAPHS, source="export").rows} & set(names)
    return {
        "ontology": [g for g in names if g == ONTOLOGY],
        "reference": [g for g in names if g in reference],
        "derived": [g for g in names if is_derived(g)],
        "data": [g for g in names if g not in reference and g not in _NOT_DATA and not is_derived(g)],
    }


def article_graphs(data: list[Node], slugs: tuple[str, ...]) -> list[Node]:
    """The data graphs named by slug (``baotou-equipment-park-2017``, ``graph:...`` or the full
    IRI); every data graph when none is named."""
    if not slugs:
        return data
    chosen: list[Node] = []
    for slug in slugs:
        want = slug.strip().strip("<>")
        iri = URIRef(want) if "://" in want else GRAPH[want.removeprefix("graph:").removeprefix("article:")]
        if iri not in data:
            known = ", ".join(str(g).removeprefix(str(GRAPH)) for g in data) or "none"
            raise UsageError(f"no article {slug!r} in the backend's graphs (known: {known})")
        if iri not in chosen:
            chosen.append(iri)
    return chosen


def backend_quads(request: ExportRequest, parts: tuple[str, ...], backend: Backend) -> Iterator[Quad]:
    """The quads of the chosen parts, each in its own named graph(s)."""
    found = graph_parts(backend)
    found["data"] = article_graphs(found["data"], request.articles)
    chosen = [g for part in ("ontology", "data", "reference", "derived") if part in parts for g in found[part]]
    yield from graph_quads(backend, chosen)
    if "shapes" in parts:
        for s, p, o in load_shapes():
            yield s, p, o, SHAPES_GRAPH
    if "inferred" in parts:

        ds, base = new_dataset(), new_dataset()
        wanted = set(parts) & {"data", "reference"} or {"data", "reference"}
        for s, p, o, g in graph_quads(backend, [g for part in sorted(wanted) for g in found[part]]):
            base.add((s, p, o, g))  # type: ignore[arg-type]
        add_inferred(ds, base, request.reasoning)
        for s, p, o in ds.graph(INFERRED_GRAPH):
            yield s, p, o, INFERRED_GRAPH


def backend_schema(backend: Backend) -> Graph:
    """The ontology for the network formats: the backend's graph:ontology, else the project's."""

    ds = new_dataset()
    own = ds.graph(ONTOLOGY)
    for s, p, o, _ in graph_quads(backend, [ONTOLOGY] if ONTOLOGY in backend.named_graphs() else []):
        own.add((s, p, o))
    return schema_of(ds)


def graph_lines(backend: Backend, graphs: list[Node], with_graph: bool) -> tuple[list[bytes], int, int, int] | None:
    """N-Quads (``with_graph``) or N-Triples lines (UTF-8, without their line break) of a
    store's or an endpoint's graphs, sorted and deduplicated: (lines, triples, quads, graphs),
    or None when a blank node needs the general path (canonical labels).

    Each graph is written by Oxigraph's own N-Triples serializer, in Rust, two graphs at a time
    (it releases the GIL): a store's straight from its index (9.5 million quads in about 40 s,
    where spelling each term in Python took 150 s), an endpoint's as the answer to a CONSTRUCT
    of that graph, parsed and written again by pyoxigraph (no rdflib term is made). Its
    spelling is the one :func:`kg.export.rdf.write_nquads` writes (canonical N-Triples: the
    same escapes, full IRIs, no ``^^xsd:string``); tests/test_export_backend.py holds both to
    the same bytes. Byte order is code point order, so the lines sort as the general path
    sorts its text."""
    from concurrent.futures import ThreadPoolExecutor


    def lines_of(g: Node) -> list[bytes] | None:
        text = backend.graph_ntriples(g)
        if b"_:" in text:
            return None  # a blank node (or text that looks like one): the general path
        if with_graph:  # a raw line break only ends a line: a literal's own are escaped
            text = text.replace(b" .\n", f" {iri_ref(str(g))} .\n".encode())
        return text.split(b"\n")[:-1]

    found: list[bytes] = []
    used = 0
    with ThreadPoolExecutor(2) as pool:
        for lines in pool.map(lines_of, sorted(graphs, key=str)):
            if lines is None:
                return None
            found.extend(lines)
            used += bool(lines)
    quads = len(found)
    found.sort()
    if not with_graph:
        unique = [line for i, line in enumerate(found) if i == 0 or line != found[i - 1]]
        return unique, len(unique), quads, used
    triples, last = 0, None
    for line in found:  # a triple's lines are adjacent: its terms end where its graph begins
        triple = line.rsplit(b" ", 2)[0]
        triples += triple != last
        last = triple
    return found, triples, quads, used
