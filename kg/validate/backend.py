"""``kg validate --store DIR`` / ``--endpoint URL``: the same report as in memory.

On a store, with the fast engine and shapes it supports, nothing goes through rdflib: the
store's default graph (the merge of its named graphs, written by ``kg load``) is dumped as
N-Triples in Rust and handed to the fast engine's core validator (:mod:`kg.validate.fast`);
SHACL-SPARQL constraints run on the store itself when it holds the ontology (``graph:ontology``:
the project's data, or ``kg load --ontology``), else on an in-memory Oxigraph copy of the
named graphs with the project's ontology added; only what the
results show about their nodes (names, articles, quotes) is fetched into memory
(:func:`kg.backends.subgraph.nodes_dataset`). An endpoint that holds the ontology (``kg push
--ontology``) is checked the same way: its default graph comes as N-Triples from a CONSTRUCT
into a temporary file, and the SHACL-SPARQL constraints run on the endpoint. Otherwise (an
endpoint without the ontology, pyshacl, reasoning, shapes the fast engine does not support,
blank nodes, which the engine needs named its own way) the backend's quads are read into an
rdflib dataset and validated as the memory path does: right, but at the cost of holding the
data in memory.

A store keeps typed literals in canonical form, so a message that quotes a value shows it
so (``140000000000`` where the file wrote ``140000000000.0``); the results are otherwise the
same as for the data in memory (the tests compare them).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.backends.base import Backend
    from kg.validate.core import ValidationReport

def _has_blank_text(text: bytes) -> bool:
    """Whether N-Triples as Oxigraph writes them (starting at a line) have a blank node: a
    subject, or an object after an IRI. (``bytes.find``: a second for a million firms, where a
    regular expression took 24 s. A literal holding such text only sends the data the slower
    way round.)"""
    return text.startswith(b"_:") or _blank_after_start(text)


def _blank_after_start(text: bytes) -> bool:
    return text.find(b"\n_:") >= 0 or text.find(b"> _:") >= 0


def validate_backend(
    backend: Backend, shapes: Graph | str | Path | None = None, reasoning: str = "none", engine: str = "auto"
) -> ValidationReport:
    """:func:`kg.validate.core.validate` of the backend's data (see the module doc for how)."""
    from kg.backends.base import MemoryBackend, StoreBackend
    from kg.backends.endpoint import EndpointBackend
    from kg.validate.core import _shapes_graph, validate
    from kg.validate.fast import unsupported

    if isinstance(backend, MemoryBackend):
        return validate(backend.ds, shapes, reasoning, engine)
    shapes_graph = _shapes_graph(shapes)
    from kg.validate.sparql import check_targets

    check_targets(shapes_graph, _where(shapes))
    direct = (
        isinstance(backend, (StoreBackend, EndpointBackend))
        and reasoning == "none"
        and engine in ("auto", "fast")
        and unsupported(shapes_graph) is None
    )
    if direct and (engine == "fast" or _holds_at_least(backend, _auto_quads())):
        if isinstance(backend, StoreBackend):
            found = _store_report(backend, shapes_graph, _where(shapes))
        else:
            found = _endpoint_report(backend, shapes_graph, _where(shapes))
        if found is not None:
            return found
    return validate(backend.dataset(), shapes, reasoning, engine)  # as in memory


def _holds_at_least(backend: Any, quads: int) -> bool:
    """Whether the store's named graphs hold ``quads`` quads or more (counting stops there: a
    full count takes 6 s at a million firms)."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {int(quads)} }} }}"
    return int(backend.query(text, source="kg validate").rows[0][0]) >= quads


def _auto_quads() -> int:
    from kg.validate.engines import AUTO_QUADS

    return AUTO_QUADS


def _where(shapes: Graph | str | Path | None) -> str:
    from rdflib import Graph

    from kg import paths

    if isinstance(shapes, Graph):
        return "shapes graph"
    return str(shapes if shapes is not None else paths.shapes_file())


def _texts(store: Any) -> tuple[str, str]:
    """The store's named graphs as N-Quads and their merge as N-Triples (a triple of several
    graphs repeats: the engine reads a set), with the project's ontology added when the store
    has none (as the memory path does). Dumped by Oxigraph, graph by graph."""
    import pyoxigraph as ox

    from kg.rdf.terms import iri_ref
    from kg.rdf.loading import ONTOLOGY_GRAPH

    quads, triples = [], []
    names = [g for g in store.named_graphs()]
    for g in names:
        lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
        triples.append(lines)
        quads.append(lines.replace(b" .\n", f" {iri_ref(g.value)} .\n".encode()))
    if ox.NamedNode(str(ONTOLOGY_GRAPH)) not in names:
        from kg import paths
        from kg.rdf.loading import load_file, new_dataset

        ds = new_dataset()
        load_file(ds, paths.ontology_file(), graph=ONTOLOGY_GRAPH)
        ontology = ds.graph(ONTOLOGY_GRAPH).serialize(format="nt", encoding="utf-8")
        quads.append(ontology.replace(b" .\n", f" {iri_ref(str(ONTOLOGY_GRAPH))} .\n".encode()))
        triples.append(ontology)
    return b"".join(quads).decode("utf-8"), b"".join(triples).decode("utf-8")


def _store_report(backend: Any, shapes: Graph, where: str) -> ValidationReport | None:
    """The fast engine on the store's own dump; the report's nodes described from the store.
    None when the data has blank nodes (the engine names them its own way).

    With the ontology in the store, the default graph is checked in place
    (:func:`_check_in_place`); without, on an in-memory copy of the named graphs with the
    project's ontology added."""
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph as ox

    from kg.rdf.loading import ONTOLOGY_GRAPH
    from kg.validate.fast import Report, Written, _add_core, _core_results, oxigraph_union
    from kg.validate.sparql import active_constraints, run_sparql_constraints

    report = Report(shapes)
    if ox.NamedNode(str(ONTOLOGY_GRAPH)) in set(backend.store.named_graphs()):
        if not _check_in_place(backend, backend.store, shapes, where, report):
            return None
    else:
        nquads, ntriples = _texts(backend.store)
        if _has_blank_text(ntriples.encode("utf-8")):
            return None
        written = Written(nquads)
        with ThreadPoolExecutor(1) as pool:  # the shacl package and Oxigraph both release the GIL
            core = pool.submit(_core_results, ntriples, shapes, where)
            if active_constraints(shapes):
                run_sparql_constraints(oxigraph_union(nquads, ntriples), shapes, report, where, written)
            _add_core(core.result(), shapes, report, written)
    return _finish(backend, report, shapes)


def _endpoint_report(backend: Any, shapes: Graph, where: str) -> ValidationReport | None:
    """The fast engine on an endpoint that holds the ontology (``graph:ontology``: the project's
    data, or ``kg push --ontology``), checked in place (:func:`_check_in_place`): the data is
    never held in memory. None without the ontology (the data is then read into memory) or
    with blank nodes."""
    from types import SimpleNamespace

    from kg.rdf.loading import ONTOLOGY_GRAPH
    from kg.validate.fast import Report

    if not backend.query(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}", source="kg validate").boolean:
        return None
    report = Report(shapes)
    if not _check_in_place(backend, SimpleNamespace(query=backend.solutions), shapes, where, report):
        return None
    return _finish(backend, report, shapes)


def _check_in_place(backend: Any, queried: Any, shapes: Graph, where: str, report: Any) -> bool:
    """Add to ``report`` the results on a backend whose default graph is the merge, ontology
    included: a thread dumps the default graph into a file (a store's own dump, the copy ``kg
    load`` keeps, or an endpoint's answer to a CONSTRUCT) and runs the core validator on it,
    while the SHACL-SPARQL constraints run on the backend itself (``queried``: its ``query``
    gives pyoxigraph solutions). Both release the GIL: at a million firms on a store each takes
    about a minute alone. False when the data has blank nodes.

    The core validator writes typed literals in its canonical form: they are shown in the
    backend's (kg.backends.oxigraph_terms), the form the SPARQL constraints give already (and the kept
    copy, written from the files, may not have: "1.0" where the store keeps "1")."""
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    from kg.backends import merge as store_merge
    from kg.backends.base import StoreBackend
    from kg.backends.oxigraph_terms import canonical
    from kg.validate.fast import _add_core
    from kg.validate.sparql import active_constraints, run_sparql_constraints

    def as_is(term: Any) -> Any:
        return term

    kept = store_merge.valid_copy(backend.path) if isinstance(backend, StoreBackend) else None
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as tmp:
        dump = kept or Path(tmp) / "merge.nt"
        with ThreadPoolExecutor(1) as pool:
            core = pool.submit(_dump_and_check, backend, dump, shapes, where, kept is not None)
            if active_constraints(shapes):
                run_sparql_constraints(queried, shapes, report, where, as_is)  # type: ignore[arg-type]
            found = core.result()
    if found is None:
        return False
    _add_core(found, shapes, report, canonical)
    return True


def _finish(backend: Any, report: Any, shapes: Graph) -> ValidationReport:
    """The report, its nodes described from the backend (only those the results show)."""
    from rdflib import RDF

    from kg.namespaces import SH
    from kg.backends.subgraph import nodes_dataset
    from kg.validate.core import report_of

    graph = report.finish()
    shown = {
        o
        for n in graph.subjects(RDF.type, SH.ValidationResult)
        for p in (SH.focusNode, SH.value)
        for o in graph.objects(n, p)
    }
    return report_of(graph, nodes_dataset(backend, shown), shapes)


def _dump_and_check(backend: Any, dump: Path, shapes: Graph, where: str, kept: bool = False) -> Any:
    """The core validator's results on the backend's default graph, dumped into the file
    ``dump`` (the validator reads the file: no copy of the text in Python's memory), or already
    there (``kept``: the copy ``kg load`` keeps, :mod:`kg.backends.merge`); None if it has blank
    nodes."""
    import pyoxigraph as ox

    from kg.backends.base import StoreBackend
    from kg.errors import InputError
    from kg.validate.fast import _shape_skolems, compiled_shapes

    try:
        if not kept and isinstance(backend, StoreBackend):
            backend.store.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        elif not kept:
            backend.write_ntriples("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", dump)
    except OSError as exc:
        raise InputError(
            f"{dump.parent}: cannot write the data's triples there for validation ({' '.join(str(exc).split())}); "
            "set TMPDIR to a folder with room (about 140 bytes a triple)"
        ) from exc
    if _has_blank(dump):
        return None
    copy, back = _shape_skolems(shapes)
    compiled = compiled_shapes(copy, where)
    # (the format is read from the suffix)
    return compiled.validate_file(str(dump), allow_warnings=True).results, back


def _has_blank(path: Path, chunk: int = 1 << 24) -> bool:
    """Whether the N-Triples file has a blank node (:func:`_has_blank_text`), read a piece at a
    time; each piece is read after the last three bytes read before it."""
    tail = b"\n"
    with path.open("rb") as fh:
        while piece := fh.read(chunk):
            text = tail + piece
            if _blank_after_start(text):
                return True
            tail = text[-3:]
    return False
