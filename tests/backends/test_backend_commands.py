"""The commands give the same answers on memory, an on-disk store (``kg load --store``) and a
real SPARQL server (``kg push --endpoint``): every named query, stats, export, describe, why,
conflicts; names resolve alike; every way of failing is one line."""

from __future__ import annotations

import functools
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from tests.backends.support import bindings, example_args
from tests.conftest import five_articles_home
from tests.servers.oxigraph import free_port
from rdflib import Dataset, Literal, URIRef

from kg.backends.memory import MemoryBackend
from kg.backends.oxigraph import StoreBackend
from kg.backends.oxigraph_memory import OxigraphMemoryBackend
from kg.backends.bulk import load_store
from kg.backends.push import push
from kg.cli import main
from kg.backends.endpoint import EndpointBackend
from kg.errors import UsageError
from kg.export.rdf import write_nquads
from kg.rdf.terms import ExportData
from kg.rdf.labels import label_graph, label_of, resolve, resolve_via_query
from kg.backends.oxigraph_terms import canonical
from kg.query.library import discover
from kg.rdf.containment import DERIVED_GRAPH
from kg.rdf.loading import load_project

ROOT = Path(__file__).resolve().parents[2]
PARK = "Baotou Equipment Manufacturing Industrial Park"
PARK_IRI = URIRef("https://w3id.org/kg/id/park/baotou-equipment-manufacturing-industrial-park")
NAMED = discover()
OTHERS = ("oxigraph-memory", "store", "endpoint")


def test_named_queries_are_found():
    assert NAMED, "no named queries under queries/"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A snapshot of the five articles' project (tests/conftest.py), used as KG_HOME."""
    home = five_articles_home(tmp_path_factory.mktemp("kg-home"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def where(home, oxigraph_server, tmp_path_factory):
    """The CLI options that choose each backend, with the same data behind each."""
    store = tmp_path_factory.mktemp("store") / "kg"
    load_store(store)
    oxigraph_server.clear()
    push(oxigraph_server.query_url, timeout=30)
    return {
        "memory": ["--backend", "memory"],
        "oxigraph-memory": ["--backend", "oxigraph-memory"],
        "store": ["--store", str(store)],
        "endpoint": ["--endpoint", oxigraph_server.query_url],
    }


@pytest.fixture(scope="module")
def backends(where):
    found = {
        "memory": MemoryBackend(load_project()),
        "oxigraph-memory": OxigraphMemoryBackend.from_files(None),
        "store": StoreBackend(where["store"][1]),
        "endpoint": EndpointBackend(where["endpoint"][1], timeout=30),
    }
    yield found
    found["store"].close()


@pytest.fixture(scope="module")
def case_server(tmp_path_factory):
    """A server of its own for the shape cases (the module's shared one holds the project)."""
    from tests.servers.oxigraph import start_server, stop_server_process

    root = tmp_path_factory.mktemp("case-server")
    server = start_server(root / "store", root / "server.log")
    yield server
    stop_server_process(server.process)


def kg(runner, *args: str, expect: int = 0):
    """Run a command in this process (--timeout 0: no worker process)."""
    result = runner.invoke(main, [*args, "--timeout", "0"])
    assert result.exit_code == expect, result.output
    return result


# ------------------------------------------------------------------ every named query, by the CLI


@pytest.mark.parametrize("other", OTHERS)
@pytest.mark.parametrize("named", NAMED, ids=[q.name for q in NAMED])
def test_named_query_same_answers(runner, where, named, other):
    args = ["query", named.name, *example_args(named), "--format", "json"]
    expected = kg(runner, *args, *where["memory"])
    got = kg(runner, *args, *where[other])
    columns, rows = bindings(expected.stdout)
    assert rows, f"{named.name} finds nothing in the project's data: the comparison proves little"
    assert bindings(got.stdout)[0] == columns
    ordered = "ORDER BY" in named.text.upper().rsplit("}", 1)[-1]
    if ordered:
        assert bindings(got.stdout)[1] == rows
    else:
        assert Counter(bindings(got.stdout)[1]) == Counter(rows)
    assert got.stderr == expected.stderr == ""


@pytest.mark.parametrize("other", OTHERS)
def test_query_table_shows_the_same_labels(runner, where, other):
    args = ["query", "firms-in-region", "--param", "region=Inner Mongolia"]
    expected = kg(runner, *args, *where["memory"])
    got = kg(runner, *args, *where[other])
    assert "First Machinery Group (orgn:first-machinery-group)" in expected.stdout
    assert got.stdout == expected.stdout
    assert got.stderr == expected.stderr


def test_memory_shows_literals_in_the_canonical_form(runner, where):
    """A value written 100000000.0 is shown as a store keeps it (100000000) on every backend."""
    text = "SELECT ?v WHERE { ?m kg:value ?v FILTER(STR(?v) = '100000000' || STR(?v) = '100000000.0') }"
    memory = kg(runner, "query", text, "--format", "tsv", *where["memory"])
    assert memory.stdout == "?v\n" + '"100000000"^^<http://www.w3.org/2001/XMLSchema#decimal>\n'
    assert kg(runner, "query", text, "--format", "tsv", *where["store"]).stdout == memory.stdout


# ------------------------------------------------------------------ stats, export


@pytest.mark.parametrize("other", OTHERS)
def test_stats_same_counts(runner, where, other):
    expected = json.loads(kg(runner, "stats", "--format", "json", *where["memory"]).stdout)
    got = json.loads(kg(runner, "stats", "--format", "json", *where[other]).stdout)
    assert dict(expected["graphs"]).get("graph:ontology", 0) > 0
    assert any(name == "kg:IndustrialPark" and n >= 1 for name, n in expected["classes"])
    assert got == expected


def _canonical_export(ds: Dataset) -> bytes:
    """The memory path's N-Quads of ``ds`` with its literals in the canonical form a store keeps
    (kg's derived closure left out: it is exported only when asked, --with-derived)."""
    from kg.rdf.terms import dataset_quads

    out = io.BytesIO()
    quads = ((s, p, canonical(o), g) for s, p, o, g in dataset_quads(ds) if g != DERIVED_GRAPH)
    write_nquads(ExportData.from_quads(quads), out)
    return out.getvalue()


@pytest.mark.parametrize("other", OTHERS)
def test_export_nquads_same_bytes_for_the_same_data(runner, where, other):
    memory = runner.invoke(main, ["export", "--format", "nquads"])
    got = runner.invoke(main, ["export", "--format", "nquads", *where[other]])
    assert memory.exit_code == got.exit_code == 0, got.output
    ds = load_project()
    assert got.stdout_bytes == _canonical_export(ds)
    exported, expected = Dataset(), Dataset()
    exported.parse(data=got.stdout_bytes, format="nquads")
    expected.parse(data=memory.stdout_bytes, format="nquads")
    assert {(s, p, canonical(o), g) for s, p, o, g in expected.quads()} == set(exported.quads())
    assert got.stderr == memory.stderr == ""


def test_export_parts_and_articles_from_a_store(runner, where):
    slug = "baotou-equipment-park-2017"
    memory = runner.invoke(main, ["export", "--format", "nquads", "--article", slug])
    store = runner.invoke(main, ["export", "--format", "nquads", "--article", f"graph:{slug}", *where["store"]])
    assert memory.exit_code == store.exit_code == 0, store.output
    graphs = {line.rsplit(" ", 2)[-2] for line in store.stdout.splitlines()}
    assert graphs == {f"<https://w3id.org/kg/graph/{slug}>"}
    assert len(store.stdout.splitlines()) == len(memory.stdout.splitlines())
    reference = runner.invoke(main, ["export", "--format", "nt", "--include", "reference", *where["store"]])
    memory_reference = runner.invoke(main, ["export", "--format", "nt", "--include", "reference"])
    assert reference.stdout == memory_reference.stdout != ""
    network = runner.invoke(main, ["export", "--format", "graphml", *where["store"]])
    assert network.stdout == runner.invoke(main, ["export", "--format", "graphml"]).stdout
    inferred = runner.invoke(main, ["export", "--format", "nt", "--include", "inferred", *where["store"]])
    assert inferred.exit_code == 0 and inferred.stdout.count("\n") > 100


def test_export_unknown_article_on_a_store(runner, where):
    result = runner.invoke(main, ["export", "--article", "nowhere", *where["store"]])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: no article 'nowhere' in the backend's graphs (known: ")
    assert "baotou-equipment-park-2017" in result.stderr and result.stderr.count("\n") == 1


def test_export_with_a_time_limit_runs_in_a_worker(runner, where, tmp_path):
    direct = runner.invoke(main, ["export", "--format", "nquads", *where["store"]])
    limited = runner.invoke(main, ["export", "--format", "nquads", "--timeout", "60", *where["store"]])
    assert limited.exit_code == 0, limited.output
    assert limited.stdout_bytes == direct.stdout_bytes != b""
    target = tmp_path / "out.nq"
    to_file = runner.invoke(main, ["export", "--format", "nquads", "--timeout", "60", "-o", str(target), *where["store"]])
    assert to_file.exit_code == 0 and to_file.stdout == ""
    assert target.read_bytes() == direct.stdout_bytes
    assert f"to {target}" in to_file.stderr


# ------------------------------------------------------------------ describe, why, conflicts


@pytest.mark.parametrize("other", OTHERS)
@pytest.mark.parametrize(
    "args",
    [
        ["describe", PARK, "--format", "json"],
        ["describe", PARK],
        ["describe", "Baotou", "--format", "markdown"],
        ["why", "Baotou Equipment Park", "--measure", "output value", "--year", "2021", "--format", "json"],
        ["why", "First Machinery Group"],
    ],
    ids=["describe-park-json", "describe-park", "describe-baotou", "why-figure", "why-firm"],
)
def test_describe_and_why_same_answers(runner, where, args, other):
    expected = kg(runner, *args, *where["memory"])
    got = kg(runner, *args, *where[other])
    assert got.stdout == expected.stdout
    assert ("Baotou" if args[0] == "describe" or "Park" in args[1] else "First Machinery") in expected.stdout


def test_describe_park_card_from_a_store(runner, where):
    card = json.loads(kg(runner, "describe", PARK, "--format", "json", *where["store"]).stdout)
    assert card["iri"] == str(PARK_IRI)
    assert any(e["label"] == "包头装备制造产业园" for e in card["names"])
    assert any(any(x["label"] == "Baotou" for x in chain) for chain in card["located_in"])
    assert any(f["measure_label"] == "output value" for f in card["figures"])


@pytest.mark.parametrize("other", OTHERS)
def test_conflicts_same_report(runner, where, other):
    expected = runner.invoke(main, ["conflicts", "--format", "json", "--timeout", "0", *where["memory"]])
    got = runner.invoke(main, ["conflicts", "--format", "json", "--timeout", "0", *where[other]])
    assert got.exit_code == expected.exit_code
    assert json.loads(got.stdout) == json.loads(expected.stdout)
    assert json.loads(expected.stdout)["figures"] > 0


# ------------------------------------------------------------------ names resolve alike

NAMES = [
    PARK,
    "baotou equipment park",
    "  BAOTOU   Equipment  Park ",
    "包头装备制造产业园",
    "Ｂａｏｔｏｕ Ｐａｒｋ",  # full width: NFKC folds it
    "Inner Mongolia",
    "Mongolia",  # several entities: the same error on every backend
    "Baotou Equipment",  # part of names
    "no such place anywhere",
    "place:baotou",
    "<https://w3id.org/kg/id/place/baotou>",
    "https://w3id.org/kg/id/place/nowhere",
    "place:nowhere",
    "xsd:gYear",  # an IRI the data uses only as an object
    "a",
    'Baotou "Park" \\ {}',  # quotes and backslashes stay text in the SPARQL lookup
]


def _outcome(func, *args):  # type: ignore[no-untyped-def]
    try:
        return func(*args)
    except UsageError as exc:
        return f"UsageError: {exc}"


@pytest.mark.parametrize("name", NAMES)
def test_resolve_via_query_matches_resolve(backends, name):
    expected = _outcome(resolve, backends["memory"].ds, name)
    for b in backends.values():
        assert _outcome(resolve_via_query, b, name) == expected, b.name


def test_resolve_outcomes_are_meaningful(backends):
    store = backends["store"]
    assert resolve_via_query(store, "包头装备制造产业园") == PARK_IRI
    assert resolve_via_query(store, "Ｂａｏｔｏｕ Ｐａｒｋ") == PARK_IRI
    with pytest.raises(UsageError, match=r"'Mongolia' is ambiguous: \d+ candidates: .*Inner Mongolia <"):
        resolve_via_query(store, "Mongolia")
    with pytest.raises(UsageError, match="no entity is named 'no such place anywhere'"):
        resolve_via_query(store, "no such place anywhere")
    with pytest.raises(UsageError, match=r"^no entity with the IRI <https://w3id.org/kg/id/place/nowhere>"):
        resolve_via_query(store, "https://w3id.org/kg/id/place/nowhere")


def test_label_graph_holds_the_labels(backends):
    iris = [PARK_IRI, URIRef("https://w3id.org/kg/id/place/baotou"), Literal("not an IRI")]
    memory = backends["memory"].ds
    for b in backends.values():
        labels = label_graph(b, iris)
        assert [label_of(labels, i) for i in iris[:2]] == [label_of(memory, i) for i in iris[:2]]
        assert label_of(labels, iris[1]) == "Baotou"
    assert label_graph(backends["memory"], iris) is memory


def test_label_graph_on_a_store_reads_its_indexes_as_sparql_would(backends):
    """The store looks labels up in its indexes, the endpoint with SPARQL: the same graph, for
    every IRI the data names, and the labels the data in memory gives."""
    memory = backends["memory"].ds
    iris = sorted({s for s in memory.subjects() if isinstance(s, URIRef)})
    store, endpoint = label_graph(backends["store"], iris), label_graph(backends["endpoint"], iris)
    assert len(store.chosen) > len(iris) // 2  # (the store's labels are kept as chosen text)
    assert [label_of(store, i) for i in iris] == [label_of(endpoint, i) for i in iris] == [label_of(memory, i) for i in iris]


# ------------------------------------------------------------------ errors and options


COMMANDS = [
    ["query", "articles"],
    ["stats"],
    ["export", "--format", "nquads"],
    ["describe", PARK],
    ["why", PARK],
    ["conflicts"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_unreachable_endpoint_is_one_line(runner, args):
    url = f"http://127.0.0.1:{free_port()}/query"
    result = runner.invoke(main, [*args, "--endpoint", url])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {url}: cannot reach the endpoint: connection refused (is the server running on that port?)\n"
    )


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_missing_store_is_one_line(runner, args, tmp_path):
    result = runner.invoke(main, [*args, "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {tmp_path / 'none'}: no such store; create it with `kg load --store {tmp_path / 'none'} [FILES...]`\n"


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_store_with_endpoint_or_files_is_a_usage_error(runner, args, where, tmp_path):
    both = runner.invoke(main, [*args, *where["store"], "--endpoint", "http://127.0.0.1:1/query"])
    assert both.exit_code == 2
    assert both.stderr == "Error: give either --store or --endpoint, not both\n"
    if args[0] != "query":  # kg query reads its files after the query
        nt = tmp_path / "a.nt"
        nt.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
        files = runner.invoke(main, [args[0], *args[1:], str(nt), *where["store"]])
        assert files.exit_code == 2
        assert "input files and --store exclude each other" in files.stderr


def test_reasoning_needs_memory(runner, where):
    result = runner.invoke(main, ["query", "articles", "--reasoning", "rdfs", *where["store"]])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: --reasoning rdfs needs the graph in memory")


def test_query_errors_are_the_same_on_a_store(runner, where):
    for args in (["SELECT * WHERE { ?s ?p }"], ["INSERT DATA { <a:b> <a:c> <a:d> }"], ["SELECT ?x WHERE { ?x nope:p ?y }"]):
        memory = runner.invoke(main, ["query", *args, "--timeout", "0"])
        store = runner.invoke(main, ["query", *args, "--timeout", "0", *where["store"]])
        assert store.exit_code == memory.exit_code != 0
        assert store.stderr == memory.stderr


def test_one_timeout_option_per_command():
    """--timeout is the wall-clock limit; there is no second option of that name."""
    from kg.cli import COMMANDS as ALL

    for name in ("query", "stats", "export", "describe", "why", "conflicts"):
        command = main.get_command(None, name)  # type: ignore[arg-type]
        flags = [o for p in command.params for o in getattr(p, "opts", [])]
        assert flags.count("--timeout") == 1, name
        assert {"--store", "--endpoint"} <= set(flags), name
        assert name in ALL


def test_time_limit_applies_to_a_store(runner, where):
    result = runner.invoke(main, ["stats", "--timeout", "30", "--format", "json", *where["store"]])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["triples"] > 0


# ------------------------------------------------------------------ real subprocesses


@pytest.mark.parametrize(
    "args",
    [
        ["query", "parks-in-region", "--param", "region=Baotou", "--format", "csv"],
        ["stats", "--format", "json"],
        ["export", "--format", "nquads"],
        ["describe", PARK],
        ["why", PARK, "--measure", "output value"],
        ["conflicts", "--format", "json"],
    ],
    ids=["query", "stats", "export", "describe", "why", "conflicts"],
)
def test_real_subprocess_on_a_store(run_kg, where, home, args):
    env = {"KG_HOME": str(home)}
    memory = run_kg(*args, env=env)
    store = run_kg(*args, *where["store"], env=env)
    assert store.returncode == memory.returncode, store.stderr
    if args[0] == "export":
        assert store.stdout.encode() == _canonical_export(load_project())
    else:
        assert store.stdout == memory.stdout != ""
    assert store.stderr == memory.stderr


# ------------------------------------------------------------------ file-driven cases on a store

CONFLICT_CASES = sorted((ROOT / "tests" / "conflicts").glob("*.trig"))


def test_conflict_cases_are_found():
    assert CONFLICT_CASES


@pytest.fixture(scope="module")
def case_stores(tmp_path_factory, home):
    """Each conflicts case, and the describe case, in a store of its own (without the ontology:
    the commands add the project's, as the memory path does for input files)."""
    root = tmp_path_factory.mktemp("cases")
    stores = {}
    for case in [*CONFLICT_CASES, ROOT / "tests" / "describe" / "two-articles.trig"]:
        load_store(root / case.stem, [str(case)])
        stores[case.stem] = root / case.stem
    return stores


@pytest.mark.parametrize("case", CONFLICT_CASES, ids=[c.stem for c in CONFLICT_CASES])
def test_conflict_cases_same_report_on_a_store(runner, case_stores, case):
    memory = runner.invoke(main, ["conflicts", "--format", "json", "--timeout", "0", str(case)])
    store = runner.invoke(main, ["conflicts", "--format", "json", "--timeout", "0", "--store", str(case_stores[case.stem])])
    assert store.exit_code == memory.exit_code, store.output
    assert json.loads(store.stdout) == json.loads(memory.stdout)
    assert memory.exit_code == (0 if case.stem.startswith("clean") else 3)


def test_describe_case_same_card_on_a_store(runner, case_stores):
    case = ROOT / "tests" / "describe" / "two-articles.trig"
    memory = runner.invoke(main, ["describe", "park:widget", str(case), "--format", "json", "--timeout", "0"])
    store = runner.invoke(main, ["describe", "park:widget", "--format", "json", "--timeout", "0", "--store", str(case_stores[case.stem])])
    assert memory.exit_code == store.exit_code == 0, store.output
    assert json.loads(store.stdout) == json.loads(memory.stdout)


# ------------------------------------------------------------------ export: the store's own path


@pytest.mark.parametrize("other", OTHERS)
def test_store_and_endpoint_export_match_the_general_path(where, backends, other, monkeypatch):
    """N-Quads and N-Triples of a store, an endpoint or pyoxigraph's in-memory store, written by
    Oxigraph graph by graph: the bytes and counts kg's own writers give for the same quads (no
    quad goes through rdflib)."""
    from kg.export.registry import ExportRequest, export, parts_of
    from kg.export.parts import backend_quads
    from kg.export.rdf import write_nquads, write_ntriples

    chosen = {"backend": other} if other == "oxigraph-memory" else {other: where[other][1]}
    for fmt, writer in (("nquads", write_nquads), ("nt", write_ntriples)):
        request = ExportRequest(fmt=fmt, **chosen, timeout=30)
        data = ExportData.from_quads(backend_quads(request, parts_of(request), backends[other]))
        general = io.BytesIO()
        writer(data, general)
        fast = io.BytesIO()
        with monkeypatch.context() as m:
            m.setattr("kg.export.parts.graph_quads", lambda *a, **k: pytest.fail("read through rdflib"))
            summary = export(request, None, fast)
        assert fast.getvalue() == general.getvalue() != b""
        graphs = len({g for g in data.graphs if g is not None})
        assert (summary.triples, summary.quads, summary.graphs) == (len(data.merged), len(data.quads), graphs)
        assert summary.triples < summary.quads  # labels repeated in each article graph: fewer triples than quads


def test_store_export_with_blank_nodes_takes_the_general_path(runner, tmp_path):
    data = tmp_path / "b.trig"
    data.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:g1 { ex:a ex:p [ ex:q 1 ; ex:r ( 1 2 ) ] . }\nex:g2 { ex:a ex:p [ ex:q 1 ] . ex:b ex:s \"x\"@en . }\n"
    )
    load_store(tmp_path / "s", [str(data)])
    for fmt in ("nquads", "nt", "trig"):
        memory = runner.invoke(main, ["export", "--format", fmt, str(data)])
        store = runner.invoke(main, ["export", "--format", fmt, "--store", str(tmp_path / "s")])
        assert store.exit_code == memory.exit_code == 0, store.output
        assert store.stdout == memory.stdout
        assert "_:c14n" in store.stdout or fmt == "trig"  # (TriG writes them inline)


def test_endpoint_export_with_blank_nodes_takes_the_general_path(runner, case_server, tmp_path):
    data = tmp_path / "b.trig"
    data.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:g1 { ex:a ex:p [ ex:q 1 ; ex:r ( 1 2 ) ] . }\nex:g2 { ex:a ex:p [ ex:q 1 ] . ex:b ex:s \"x\"@en . }\n"
    )
    case_server.clear()
    push(case_server.query_url, [str(data)], timeout=30)
    for fmt in ("nquads", "nt"):
        memory = runner.invoke(main, ["export", "--format", fmt, str(data)])
        remote = runner.invoke(main, ["export", "--format", fmt, "--endpoint", case_server.query_url])
        assert remote.exit_code == memory.exit_code == 0, remote.output
        assert remote.stdout == memory.stdout
        assert "_:c14n" in remote.stdout


def test_rows_are_the_query_rows(backends):
    text = "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label }"
    for b in backends.values():
        assert Counter(b.rows(text)) == Counter(backends["memory"].query(text).rows) != Counter()


# ------------------------------------------------------------------ validate and centrality

def _in_named_graphs(path: Path) -> bool:
    """Whether every triple of the file is in a named graph: a store's default graph is the
    merge of its named graphs (docs/scale.md), so triples outside them are not "the same data"."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from kg.rdf.loading import load_files

    return not len(load_files([path]).graph(DATASET_DEFAULT_GRAPH_ID))


SHAPE_CASES = [p for p in sorted((ROOT / "tests" / "shapes").glob("*.trig")) if _in_named_graphs(p)]


def test_shape_cases_are_found():
    assert len(SHAPE_CASES) >= len(list((ROOT / "tests" / "shapes").glob("*.trig"))) - 2


def _canonical_copy(ds: Dataset) -> Dataset:
    """``ds`` with its literals in the canonical form a store keeps ("the same data")."""
    from kg.rdf.loading import new_dataset

    out = new_dataset()
    for s, p, o, g in ds.quads((None, None, None, None)):
        out.add((s, p, canonical(o), g))
    return out


def _report(report) -> str:  # type: ignore[no-untyped-def]
    from kg.validate.report import render

    return render(report, "json")


@functools.lru_cache(maxsize=None)
def _memory_report(case: Path, engine: str) -> str:
    """The in-memory report of a case with an engine, computed once per run (the reference)."""
    from kg.rdf.loading import load_files
    from kg.validate.core import validate

    report = validate(_canonical_copy(load_files([case])), engine=engine)
    assert report.conforms == case.name.endswith(".valid.trig") or report.warnings or report.infos
    return _report(report)


#: engine x (ontology loaded with the data or not): every case runs one combination, the cases
#: take them in turn, so every combination is covered by a quarter of the cases (each case's
#: reference report is computed once).
_COMBINATIONS = [(engine, ontology) for ontology in (False, True) for engine in ("fast", "pyshacl")]
_STORE_CASES = [
    pytest.param(case, *_COMBINATIONS[i % len(_COMBINATIONS)], id=f"{case.name}-{_COMBINATIONS[i % 4][0]}-{'files+ontology' if _COMBINATIONS[i % 4][1] else 'files'}")
    for i, case in enumerate(SHAPE_CASES)
]


@pytest.mark.parametrize(("case", "engine", "ontology"), _STORE_CASES)
def test_validate_same_report_on_a_store(tmp_path, home, case, engine, ontology):
    """A store of the case alone (validation adds the ontology, as in memory) or loaded with
    --ontology (the fast engine then checks the store in place): the report of the memory path."""
    from kg.validate.backend import validate_backend

    load_store(tmp_path / "s", [str(case)], ontology=ontology)
    with StoreBackend(tmp_path / "s") as store:
        got = validate_backend(store, engine=engine)
    assert _report(got) == _memory_report(case, engine)


def test_every_engine_and_ontology_combination_is_sampled():
    assert {(engine, ontology) for _, engine, ontology in (p.values for p in _STORE_CASES)} == set(_COMBINATIONS)


@pytest.mark.parametrize(
    ("case", "ontology"),
    [pytest.param(case, bool(i % 2), id=f"{case.name}-{'files+ontology' if i % 2 else 'files'}") for i, case in enumerate(SHAPE_CASES)],
)
def test_validate_same_report_on_an_endpoint(case_server, home, case, ontology, monkeypatch):
    """An endpoint given the case alone (its quads are read into memory) or with --ontology
    (checked in place: the data never comes into memory, which the test holds it to): the
    report of the memory path. The cases take the two ways in turn."""
    from kg.validate.backend import validate_backend

    case_server.clear()
    push(case_server.query_url, [str(case)], timeout=30, ontology=ontology)
    backend = EndpointBackend(case_server.query_url, timeout=30)
    if ontology:
        def refuse() -> None:
            raise AssertionError("the endpoint's data was read into memory")

        monkeypatch.setattr(backend, "dataset", refuse)
    assert _report(validate_backend(backend, engine="fast")) == _memory_report(case, "fast")


def test_push_ontology_sends_the_ontology(runner, case_server, tmp_path):
    """kg push --ontology FILE: the file's graph and graph:ontology, as kg load --ontology."""
    from kg.rdf.loading import ONTOLOGY_GRAPH

    nt = tmp_path / "one.nt"
    nt.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    case_server.clear()
    result = runner.invoke(main, ["push", "--endpoint", case_server.query_url, "--ontology", str(nt)])
    assert result.exit_code == 0, result.output
    remote = EndpointBackend(case_server.query_url)
    assert remote.named_graphs() == sorted([ONTOLOGY_GRAPH, URIRef(nt.resolve().as_uri())], key=str)
    assert remote.query("ASK { kg:Firm rdfs:subClassOf+ ?c }").boolean  # in the merge too


def test_an_endpoint_dump_that_cannot_be_written_is_one_line(case_server, tmp_path):
    from kg.errors import InputError
    from kg.validate.core import as_shapes_graph
    from kg.validate.backend import _dump_and_check

    case_server.clear()
    push(case_server.query_url, [str(SHAPE_CASES[0])], timeout=30)
    missing = tmp_path / "gone" / "merge.nt"
    backend = EndpointBackend(case_server.query_url, timeout=30)
    with pytest.raises(InputError, match=r"gone: cannot write the data's triples there for validation \(.*\); set TMPDIR") as info:
        _dump_and_check(backend, missing, as_shapes_graph(None), "shapes.ttl")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("engine", ["fast", "pyshacl", "auto"])
def test_validate_project_same_report(backends, engine):
    from kg.validate.core import validate
    from kg.validate.backend import validate_backend

    expected = validate(_canonical_copy(backends["memory"].ds), engine=engine)
    assert expected.results, "the project's data has no results: the comparison proves little"
    for other in OTHERS:
        assert _report(validate_backend(backends[other], engine=engine)) == _report(expected), other


@pytest.mark.parametrize("ontology", [False, True], ids=["files", "files+ontology"])
def test_validate_store_with_blank_nodes(tmp_path, home, ontology):
    """A store with blank nodes is validated through rdflib (the fast engine names them its way)."""
    from kg.rdf.loading import load_files
    from kg.validate.core import validate
    from kg.validate.backend import validate_backend

    case = tmp_path / "b.trig"
    case.write_text(
        "@prefix kg: <https://w3id.org/kg/ont#> .\n@prefix graph: <https://w3id.org/kg/graph/> .\n"
        "graph:x { [] a kg:Measurement ; kg:value 1.0 . }\n"
    )
    load_store(tmp_path / "s", [str(case)], ontology=ontology)
    expected = validate(_canonical_copy(load_files([case])), engine="fast")
    with StoreBackend(tmp_path / "s") as store:
        got = validate_backend(store, engine="fast")

    def unlabelled(report) -> list:  # type: ignore[no-untyped-def]
        results = json.loads(_report(report))["results"]  # blank node labels are arbitrary
        return [{**r, "focus": "_:", "focus_label": "_:"} if "://" not in r["focus"] else r for r in results]

    assert unlabelled(got) == unlabelled(expected)
    assert not expected.conforms


@pytest.mark.parametrize("other", OTHERS)
def test_centrality_same_scores(runner, where, other):
    args = ["centrality", "--measure", "degree,pagerank,betweenness", "--format", "json"]
    expected, got = kg(runner, *args, *where["memory"]), kg(runner, *args, *where[other])
    assert json.loads(got.stdout) == json.loads(expected.stdout)
    assert "Baotou" in expected.stdout


def test_real_subprocess_centrality_on_a_store(run_kg, where, home):
    args = ["centrality", "--measure", "pagerank", "--top", "5", "--format", "csv"]
    memory = run_kg(*args, env={"KG_HOME": str(home)})
    store = run_kg(*args, *where["store"], env={"KG_HOME": str(home)})
    assert store.returncode == memory.returncode == 0, store.stderr
    assert store.stdout == memory.stdout != ""


@pytest.mark.parametrize("other", OTHERS)
def test_validate_command_same_report(runner, where, other):
    args = ["validate", "--format", "json"]
    expected, got = kg(runner, *args, *where["memory"]), kg(runner, *args, *where[other])
    # A store keeps decimals in canonical form: a message quotes 140000000000, not 140000000000.0
    # (kg.validate.backend); everything else is the same.
    assert json.loads(got.stdout) == json.loads(re.sub(r"\b(\d+)\.0\b", r"\1", expected.stdout))
    assert json.loads(got.stdout)["results"], "no results to compare"


def test_validate_command_strict_on_a_store_fails_on_the_warning(runner, where):
    result = runner.invoke(main, ["validate", "--strict", *where["store"]])
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("Error: the data does not pass validation (warnings count as failures")


def test_validate_refuses_files_with_a_store(runner, where):
    result = runner.invoke(main, ["validate", str(ROOT / "data" / "graphs" / "000-qingshan-equipment-manufacturing-2022.trig"), *where["store"]])
    assert result.exit_code == 2
    assert "input files and --store exclude each other" in result.stderr


def test_real_subprocess_validate_on_a_store(run_kg, where, home):
    proc = run_kg("validate", *where["store"], env={"KG_HOME": str(home)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.endswith("0 violations, 1 warning, 2 infos: passes (no violation), with notes to read\n")


def test_a_store_fetches_only_the_figures_that_can_conflict(case_stores):
    from kg.backends.subgraph import figures

    sources, checked = figures(StoreBackend(case_stores["odd-figures"]))
    fetched = {str(s) for s, _, _, _ in sources.ds.quads((None, None, None, None))}
    obs = "https://w3id.org/kg/id/obs/"
    assert checked == 9  # every figure, as the memory path counts them
    assert obs + "alone" not in fetched  # no other figure of its park, measure and year
    assert {obs + n for n in ("none-a", "none-b", "two-a", "two-b", "text-2020", "text-2021", "same-a", "same-b")} <= fetched
