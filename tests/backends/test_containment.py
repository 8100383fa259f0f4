"""The containment closure (kg:within) on every backend: the same pairs as the path form, and
every named query that uses it gives the path form's answers, on the project's data and on
synthetic data (``kg synth --firms 2000 --seed 1``); the derived graph stays apart."""

from __future__ import annotations

import re
from tests.backends.support import project_snapshot
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode

from kg.backends.memory import MemoryBackend
from kg.backends.oxigraph import StoreBackend
from kg.backends.bulk import load_store
from kg.backends.endpoint import EndpointBackend
from kg.backends.push import push
from kg.cli import main
from kg.query.library import bind_params, discover
from kg.rdf.containment import CONTAINMENT, DERIVED_GRAPH
from kg.rdf.loading import load_inputs, load_project
from kg.synth.write import write_synth

ROOT = Path(__file__).resolve().parents[2]
#: The path form of kg:within: any depth of the properties the closure follows.
STEP = "|".join(f"<{p}>" for p in CONTAINMENT)
ROLLUPS = [q for q in discover() if "kg:within" in q.text]
BACKENDS = ("memory", "store", "endpoint")
#: Parameters per dataset and query (several cases where the answer depends on them).
CASES: dict[str, dict[str, list[dict[str, str]]]] = {
    "project": {
        "firms-in-region": [{"region": "place:inner-mongolia"}, {"region": "place:china"}],
        "parks-in-region": [{"region": "place:baotou"}, {"region": "place:china"}],
        "containment-chain": [{"entity": "Lide Motor Center"}, {"entity": "place:qingshan-district"}],
        "industries": [{}, {"region": "place:shanxi"}],
        "events": [{"region": "place:changsha"}, {"region": "place:china"}],
        "firms-per-region": [{}, {"level": "prefecture"}, {"level": "county"}, {"industry": "industry:automotive-safety"}],
        "parks-per-region": [{}, {"level": "prefecture"}, {"level": "county"}],
        "figures-per-region": [{}, {"level": "prefecture", "status": "kgs:reported"}],
        # (as of a year: the project's divisions that changed hold none of its firms or parks;
        # tests/backends/test_as_of.py has a graph where they do)
        "firms-per-region-as-of": [{"as_of": "1995"}, {"as_of": "2010", "level": "prefecture"}],
        "parks-per-region-as-of": [{"as_of": "1995", "level": "county"}],
        "figures-per-region-as-of": [{"as_of": "2000", "level": "prefecture", "status": "kgs:reported"}],
    },
    "synth": {
        "firms-in-region": [{"region": "place:jiangxi"}],
        "parks-in-region": [{"region": "place:jiangxi"}],
        "containment-chain": [{"entity": "orgn:synth-firm-1"}],
        "industries": [{"region": "place:jiangxi"}],
        # (the path form of a roll-up searches from every division: provinces keep it quick)
        "firms-per-region": [{}],
        "parks-per-region": [{}],
        "figures-per-region": [{"status": "kgs:reported"}],
    },
}


def path_form(text: str) -> str:
    """The query with kg:within spelled as the path search it replaces."""
    return re.sub(r"kg:within(\?)?", lambda m: f"({STEP}){'*' if m.group(1) else '+'}", text)


def test_every_rollup_query_has_cases():
    assert ROLLUPS, "no named query uses kg:within"
    assert sorted(q.name for q in ROLLUPS) == sorted(CASES["project"])
    assert set(CASES["synth"]) <= set(CASES["project"])


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A snapshot of the project's data (others edit it while tests run), used as KG_HOME."""
    home = project_snapshot(tmp_path_factory.mktemp("kg-home"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_HOME", str(home))
        yield home


@pytest.fixture(scope="module", params=["project", "synth"])
def data(request, home, oxigraph_server, tmp_path_factory):
    """(name, {backend: Backend}) for one dataset, held by each backend."""
    folder = tmp_path_factory.mktemp(request.param)
    files: list[str] | None = None
    if request.param == "synth":
        write_synth(folder / "synth.nq", 2000, seed=1)
        files = [str(folder / "synth.nq")]
    load_store(folder / "store", files)
    oxigraph_server.clear()
    push(oxigraph_server.query_url, files, timeout=60)
    found = {
        "memory": MemoryBackend(load_inputs(files)),
        "store": StoreBackend(folder / "store"),
        "endpoint": EndpointBackend(oxigraph_server.query_url, timeout=300),
    }
    yield request.param, found
    found["store"].close()


def rows(result) -> Counter:
    return Counter(tuple("_:" if isinstance(c, BNode) else c for c in row) for row in result.rows)


@pytest.mark.parametrize("backend", BACKENDS)
def test_within_is_the_path_closure(data, backend):
    _, found = data
    b = found[backend]
    closure = b.query("SELECT ?a ?b WHERE { ?a kg:within ?b }")
    path = b.query(f"SELECT DISTINCT ?a ?b WHERE {{ ?a ({STEP})+ ?b }}")
    assert rows(closure) == rows(path)  # (each pair once in the default graph too)
    assert len(closure.rows) > 20
    kept = b.query("SELECT ?a ?b WHERE { GRAPH graph:derived-containment { ?a kg:within ?b } }")
    assert rows(kept) == rows(closure)
    elsewhere = b.query("ASK { GRAPH ?g { ?a kg:within ?b } FILTER(?g != graph:derived-containment) }")
    assert elsewhere.boolean is False


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("named", ROLLUPS, ids=[q.name for q in ROLLUPS])
def test_rollup_queries_give_the_path_forms_answers(data, backend, named):
    name, found = data
    if named.name not in CASES[name]:
        pytest.skip(f"no case of {named.name} on the {name} data (synthetic data holds no events; the as-of forms are tested on Laiwu in test_as_of)")
    b = found[backend]
    answered = 0
    for given in CASES[name][named.name]:
        params = bind_params(found["memory"].ds, named.header, given)
        ours = b.query(named.text, params=params, source=named.name)
        theirs = b.query(path_form(named.text), params=params, source=named.name)
        assert ours.columns == theirs.columns
        assert ours.rows == theirs.rows  # (every query here ends in a total ORDER BY)
        answered += bool(ours.rows)
        if backend != "memory":
            assert ours.rows == found["memory"].query(named.text, params=params, source=named.name).rows
    assert answered, f"{named.name} finds nothing in the {name} data: the comparison proves little"


def test_the_closure_is_recomputed_on_append(tmp_path, home):
    """An append adds containment: the closure of the whole is derived again."""
    a, b = tmp_path / "a.nq", tmp_path / "b.nq"
    place = "https://w3id.org/kg/id/place/"
    a.write_text(f"<{place}x> <https://w3id.org/kg/ont#locatedIn> <{place}y> <https://w3id.org/kg/graph/a> .\n")
    b.write_text(f"<{place}y> <https://w3id.org/kg/ont#locatedIn> <{place}z> <https://w3id.org/kg/graph/b> .\n")
    load_store(tmp_path / "s", [str(a)])
    load_store(tmp_path / "s", [str(b)])
    with StoreBackend(tmp_path / "s") as store:
        got = {(str(s)[len(place):], str(o)[len(place):]) for s, o in store.query("SELECT ?s ?o WHERE { ?s kg:within ?o }").rows}
    assert got == {("x", "y"), ("y", "z"), ("x", "z")}


def test_exports_leave_the_derived_graph_out_unless_asked(runner, tmp_path, home):
    plain = runner.invoke(main, ["export", "--format", "nquads"])
    derived = runner.invoke(main, ["export", "--format", "nquads", "--with-derived"])
    assert plain.exit_code == derived.exit_code == 0, derived.output
    graph = f"<{DERIVED_GRAPH}>"
    assert graph not in plain.stdout
    lines = [line for line in derived.stdout.splitlines() if line.endswith(f"{graph} .")]
    assert len(lines) == len(load_project().graph(DERIVED_GRAPH)) > 0
    assert sorted(set(derived.stdout.splitlines()) - set(lines)) == sorted(plain.stdout.splitlines())
    load_store(tmp_path / "s")
    store = runner.invoke(main, ["export", "--format", "nquads", "--with-derived", "--store", str(tmp_path / "s")])
    assert store.exit_code == 0, store.output
    assert [line for line in store.stdout.splitlines() if line.endswith(f"{graph} .")] == lines


def test_stats_count_the_derived_graph_apart(runner):
    import json

    result = runner.invoke(main, ["stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert [g for g, _ in stats["derived"]] == ["graph:derived-containment"]
    assert all(g != "graph:derived-containment" for g, _ in stats["graphs"])
    assert stats["quads"] == sum(n for _, n in stats["graphs"])
    assert "kg:DerivedGraph" not in [c for c, _ in stats["classes"]]
