"""``kg validate --store DIR`` / ``--endpoint URL`` / ``--backend oxigraph-memory``: the same
report as in memory.

On a backend whose engine writes N-Triples itself (``native_ntriples``: Oxigraph, an
endpoint), with the fast engine and shapes it supports, nothing goes through rdflib: the
default graph (the merge of the named graphs) is written as N-Triples by the backend
(:meth:`kg.backends.base.Backend.write_merge`: a store's dump or the copy ``kg load`` keeps, an
endpoint's answer to a CONSTRUCT) and handed to the fast engine's core validator
(:mod:`kg.validate.fast`); SHACL-SPARQL constraints run on the backend itself when it holds the
ontology (``graph:ontology``: the project's data, or ``kg load --ontology``), else on an
in-memory Oxigraph copy of the named graphs with the project's ontology added; only what the
results show about their nodes (names, articles, quotes) is fetched into memory
(:meth:`kg.backends.base.Backend.nodes_dataset`). Otherwise (pyshacl, reasoning, shapes the
fast engine does not support, blank nodes, which the engine needs named its own way, or the
memory backend) the backend's dataset is validated as the memory path does: right, but at the
cost of holding the data in rdflib.

A store keeps typed literals in canonical form, so a message that quotes a value shows it
so (``140000000000`` where the file wrote ``140000000000.0``); the results are otherwise the
same as for the data in memory (the tests compare them).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from kg.validate.core import as_shapes_graph, validate
from kg.validate.fast import unsupported
from kg.validate.engines import AUTO_QUADS
from kg import paths
from kg.rdf.loading import add_ontology_if_missing, new_dataset
from kg.rdf.terms import ONTOLOGY_GRAPH, expect_rows, iri_ref
from kg.validate.fast import Report, Written, add_core, core_results, oxigraph_union
from kg.validate.sparql import active_constraints, check_targets, run_sparql_constraints
from kg.backends.oxigraph_terms import canonical
from kg.namespaces import SH
from kg.validate.core import report_of
from kg.errors import InputError
from kg.validate.fast import shape_skolems, compiled_shapes

from kg.errors import QueryError

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

    if not backend.native_ntriples:
        return validate(backend.dataset(), shapes, reasoning, engine)
    shapes_graph = as_shapes_graph(shapes)
    check_targets(shapes_graph, _where(shapes))
    direct = reasoning == "none" and engine in ("auto", "fast") and unsupported(shapes_graph) is None
    if direct and (engine == "fast" or _holds_at_least(backend, _auto_quads())):
        found = _native_report(backend, shapes_graph, _where(shapes))
        if found is not None:
            return found
    return validate(backend.dataset(), shapes, reasoning, engine)  # as in memory


def _holds_at_least(backend: Any, quads: int) -> bool:
    """Whether the store's named graphs hold ``quads`` quads or more (counting stops there: a
    full count takes 6 s at a million firms)."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {int(quads)} }} }}"

    ((count,),) = expect_rows(backend.query(text, source="kg validate"), 1, "kg validate", at_least=1)[:1]
    try:
        return int(str(count)) >= quads
    except ValueError as exc:
        raise InputError(f"kg validate: the SPARQL endpoint answered {str(count)[:40]!r} for a count") from exc


def _auto_quads() -> int:

    return AUTO_QUADS


def _where(shapes: Graph | str | Path | None) -> str:
    from rdflib import Graph


    if isinstance(shapes, Graph):
        return "shapes graph"
    return str(shapes if shapes is not None else paths.shapes_file())


def _texts(backend: Backend) -> tuple[str, str]:
    """The backend's named graphs as N-Quads and their merge as N-Triples (a triple of several
    graphs repeats: the engine reads a set), with the project's ontology added when the backend
    has none (as the memory path does). Written by the backend's engine, graph by graph."""

    quads, triples = [], []
    names = backend.named_graphs()
    for g in names:
        lines = backend.graph_ntriples(g)
        triples.append(lines)
        quads.append(lines.replace(b" .\n", f" {iri_ref(str(g))} .\n".encode()))
    if ONTOLOGY_GRAPH not in names:
        ds = add_ontology_if_missing(new_dataset())
        ontology = ds.graph(ONTOLOGY_GRAPH).serialize(format="nt", encoding="utf-8")
        quads.append(ontology.replace(b" .\n", f" {iri_ref(str(ONTOLOGY_GRAPH))} .\n".encode()))
        triples.append(ontology)
    return b"".join(quads).decode("utf-8"), b"".join(triples).decode("utf-8")


def _native_report(backend: Backend, shapes: Graph, where: str) -> ValidationReport | None:
    """The fast engine on the backend's own N-Triples; the report's nodes described from the
    backend. None when the data has blank nodes (the engine names them its own way).

    With the ontology in the backend, the default graph is checked in place
    (:func:`_check_in_place`); without, on an in-memory Oxigraph copy of the named graphs with
    the project's ontology added."""
    from concurrent.futures import ThreadPoolExecutor


    report = Report(shapes)
    if ONTOLOGY_GRAPH in backend.named_graphs():
        try:
            if not _check_in_place(backend, shapes, where, report):
                return None
        except QueryError:  # a constraint the server cannot compile (Virtuoso 7.2: SP031): validated in memory
            return None
    else:
        nquads, ntriples = _texts(backend)
        if _has_blank_text(ntriples.encode("utf-8")):
            return None
        written = Written(nquads)
        with ThreadPoolExecutor(1) as pool:  # the shacl package and Oxigraph both release the GIL
            core = pool.submit(core_results, ntriples, shapes, where)
            if active_constraints(shapes):
                run_sparql_constraints(oxigraph_union(nquads, ntriples), shapes, report, where, written)
            add_core(core.result(), shapes, report, written)
    return _finish(backend, report, shapes)


def _check_in_place(backend: Backend, shapes: Graph, where: str, report: Any) -> bool:
    """Add to ``report`` the results on a backend whose default graph is the merge, ontology
    included: a thread dumps the default graph into a file (a store's own dump, the copy ``kg
    load`` keeps, or an endpoint's answer to a CONSTRUCT) and runs the core validator on it,
    while the SHACL-SPARQL constraints run on the backend itself (its
    :meth:`kg.backends.base.Backend.solutions` gives pyoxigraph solutions). Both release the GIL: at a million firms on a store each takes
    about a minute alone. False when the data has blank nodes.

    The core validator writes typed literals in its canonical form: they are shown in the
    backend's (kg.backends.oxigraph_terms), the form the SPARQL constraints give already (and the kept
    copy, written from the files, may not have: "1.0" where the store keeps "1")."""
    import tempfile
    from concurrent.futures import ThreadPoolExecutor
    from types import SimpleNamespace


    def as_is(term: Any) -> Any:
        return term

    queried = SimpleNamespace(query=backend.solutions)
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as tmp:
        with ThreadPoolExecutor(1) as pool:
            core = pool.submit(_dump_and_check, backend, Path(tmp) / "merge.nt", shapes, where)
            if active_constraints(shapes):
                run_sparql_constraints(queried, shapes, report, where, as_is)
            found = core.result()
    if found is None:
        return False
    add_core(found, shapes, report, canonical)
    return True


def _finish(backend: Backend, report: Any, shapes: Graph) -> ValidationReport:
    """The report, its nodes described from the backend (only those the results show)."""
    from rdflib import RDF


    graph = report.finish()
    shown = {
        o
        for n in graph.subjects(RDF.type, SH.ValidationResult)
        for p in (SH.focusNode, SH.value)
        for o in graph.objects(n, p)
    }
    return report_of(graph, backend.nodes_dataset(shown), shapes)


def _dump_and_check(backend: Backend, scratch: Path, shapes: Graph, where: str) -> Any:
    """The core validator's results on the backend's default graph, written as N-Triples by the
    backend (into the file ``scratch``, or a copy it keeps: the validator reads the file, no
    copy of the text in Python's memory); None if it has blank nodes."""

    try:
        dump = backend.write_merge(scratch)
    except OSError as exc:
        raise InputError(
            f"{scratch.parent}: cannot write the data's triples there for validation ({' '.join(str(exc).split())}); "
            "set TMPDIR to a folder with room (about 140 bytes a triple)"
        ) from exc
    if _has_blank(dump):
        return None
    copy, back = shape_skolems(shapes)
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
