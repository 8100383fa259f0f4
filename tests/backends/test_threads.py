"""pyoxigraph's iterators (solutions, triples) may be freed only by the thread that made them.

A frame that held one can outlive its call (the SPARQL parser keeps errors with the frames that
were running), to be freed by the collector on whatever thread runs it next: a validation's
worker thread, the progress ticker. These tests run kg's work with the collector off, then
collect on another thread: any pyoxigraph iterator left in the garbage fails loudly there
("... is unsendable, but is being dropped on another thread")."""

from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.backends.bulk import load_store
from kg.backends.oxigraph import StoreBackend
from kg.backends.oxigraph_terms import read_whole
from kg.validate.backend import validate_backend

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests" / "shapes" / "ArticleGraphShape.valid.trig"


def _collected_elsewhere(work) -> list[str]:
    """What the collector, run on another thread after ``work``, reports as unraisable."""
    seen: list[str] = []
    old_hook = sys.unraisablehook
    gc.collect()
    gc.disable()
    try:
        work()
        sys.unraisablehook = lambda u: seen.append(f"{u.exc_type.__name__}: {u.exc_value}")
        collector = threading.Thread(target=gc.collect)
        collector.start()
        collector.join()
    finally:
        sys.unraisablehook = old_hook
        gc.enable()
    return seen


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("threads") / "s"
    load_store(path, [str(CASE)], ontology=True)
    return path


def _validate(store_dir, engine):
    def work():
        with StoreBackend(store_dir) as backend:
            validate_backend(backend, engine=engine)

    return work


def _query(store_dir):
    def work():
        with StoreBackend(store_dir) as backend:
            backend.query("SELECT ?s ?o WHERE { ?s a ?o } ORDER BY ?s ?o")
            backend.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
            backend.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3")
            backend.query("ASK { ?s ?p ?o }")
            list(backend.rows("SELECT ?s WHERE { ?s a ?o }"))
            backend.solutions("SELECT ?s WHERE { ?s a ?o }")

    return work


@pytest.mark.parametrize("work", ["validate-fast", "validate-pyshacl", "queries"])
def test_no_pyoxigraph_iterator_is_left_to_the_collector(store_dir, work):
    job = {"validate-fast": lambda: _validate(store_dir, "fast"),
           "validate-pyshacl": lambda: _validate(store_dir, "pyshacl"),
           "queries": lambda: _query(store_dir)}[work]()  # fmt: skip
    assert _collected_elsewhere(job) == []


#: Commands that read a store in each way kg has (SELECT read whole or streamed, CONSTRUCT,
#: SHACL-SPARQL, worker threads), on the project's own graph (the collector off throughout).
COMMANDS = [
    ["validate"],
    ["validate", "--engine", "pyshacl"],
    ["describe", "Baotou"],
    ["conflicts"],
    ["centrality", "--measure", "betweenness"],
    ["query", "firms-per-region", "--param", "level=prefecture"],
    ["export", "--format", "nquads"],
]


@pytest.fixture(scope="module")
def project_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("threads-project") / "s"
    load_store(path)
    return path


@pytest.mark.parametrize(("command", "backend"),
                         [(c, "store") for c in COMMANDS] + [(c, "oxigraph-memory") for c in COMMANDS if c[0] in ("validate", "query")],
                         ids=lambda v: " ".join(v) if isinstance(v, list) else v)  # fmt: skip
def test_no_command_leaves_a_pyoxigraph_iterator_to_the_collector(project_store, command, backend, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    results = []
    out = ["-o", str(tmp_path / "out")] if command[0] == "export" else []
    chosen = ["--store", str(project_store)] if backend == "store" else ["--backend", backend]
    seen = _collected_elsewhere(lambda: results.append(CliRunner().invoke(main, [*command, *out, *chosen])))
    assert results[0].exit_code in (0, 3), results[0].output
    assert seen == []


def test_the_check_would_see_an_iterator_left_behind():
    """The harness itself: an iterator in a reference cycle is reported when collected on
    another thread (so an empty report above means none was left)."""
    store = ox.Store()

    def work():
        cycle: list = [store.query("SELECT * WHERE { ?s ?p ?o }")]
        cycle.append(cycle)

    assert any("unsendable" in line for line in _collected_elsewhere(work))


def test_read_whole_gives_python_objects():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.Literal("x")))
    solutions = read_whole(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }"))
    assert not isinstance(solutions, ox.QuerySolutions)
    assert [v.value for v in solutions.variables] == ["s", "o"]
    assert [(r["s"].value, r["o"].value) for r in solutions] == [("http://a/s", "x")]
    assert list(solutions) == list(solutions)  # read whole: iterable again
    triples = read_whole(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
    assert isinstance(triples, list) and [t.object.value for t in triples] == ["x"]
    assert bool(read_whole(store.query("ASK { ?s ?p ?o }"))) is True


def test_canonical_spellings_are_right_from_many_threads_at_once():
    """Oxigraph's spelling of a literal is read from a shared scratch store, and kept for the
    life of the process: a validation's core thread and its SPARQL constraints ask at the same
    time. Without a lock each thread could read the other's literal ("121.777395" came back as
    "30.593175"), and every later answer in the process showed the wrong value."""
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.namespace import XSD

    from kg.backends.oxigraph_terms import canonical
    from kg.backends.sparql_results import canonical_literal

    wrong: list[str] = []
    start = threading.Barrier(4)

    def work(n: int) -> None:
        start.wait()
        for i in range(1500):
            text = f"{n}{i:05d}.250"  # (distinct in each thread and test: none cached before)
            want = str(Decimal(text).normalize())
            got = canonical(Literal(text, datatype=XSD.decimal, normalize=False)) if n % 2 else (
                canonical_literal(ox.Literal(text, datatype=ox.NamedNode(str(XSD.decimal)))).value
            )
            if str(got) != want:
                wrong.append(f"{text} -> {got}")

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # (threads take turns often, as under load)
    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(7, 11)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert wrong == []
