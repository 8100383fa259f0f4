"""Roll-ups as of a year (kg.rdf.containment.territory_changes and the as-of forms of the
roll-ups, firms-, parks- and figures-per-region-as-of): Laiwu, a prefecture-level city until 2018
and then a district of Jinan, on every backend, Virtuoso included, and through kg query --as-of."""

from __future__ import annotations

import pytest

from kg.backends.bulk import load_store
from kg.backends.credentials import PASSWORD_ENV
from kg.backends.endpoint import EndpointBackend
from kg.backends.memory import MemoryBackend
from kg.backends.oxigraph import StoreBackend
from kg.backends.push import push
from kg.cli import main
from kg.query.library import as_of_form, bind_params, find_named
from kg.rdf.loading import load_project
from tests.backends.support import project_snapshot

PLACE = "https://w3id.org/kg/id/place/"
#: A sixth graph: firms in Laiwu's two districts of today, one in Jinan's Lixia, one stated in
#: the abolished prefecture-level city itself; a park in Laiwu District; a figure of 2015.
LAIWU = """@prefix kg: <https://w3id.org/kg/ont#> .
@prefix kgm: <https://w3id.org/kg/measure/> .
@prefix kgs: <https://w3id.org/kg/status/> .
@prefix cur: <https://w3id.org/kg/currency/> .
@prefix place: <https://w3id.org/kg/id/place/> .
@prefix orgn: <https://w3id.org/kg/id/org/> .
@prefix park: <https://w3id.org/kg/id/park/> .
@prefix obs: <https://w3id.org/kg/id/obs/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/kg/graph/test-laiwu> {
    orgn:test-gangcheng-steel a kg:Firm ; rdfs:label "Test Gangcheng Steel"@en ; kg:locatedIn place:gangcheng-district .
    orgn:test-laiwu-district-firm a kg:Firm ; rdfs:label "Test Laiwu District Firm"@en ; kg:locatedIn place:laiwu-district .
    orgn:test-lixia-firm a kg:Firm ; rdfs:label "Test Lixia Firm"@en ; kg:locatedIn place:lixia-district .
    orgn:test-old-laiwu-firm a kg:Firm ; rdfs:label "Test Old Laiwu Firm"@en ; kg:locatedIn place:laiwu .
    park:test-laiwu-park a kg:IndustrialPark ; rdfs:label "Test Laiwu Park"@en ; kg:locatedIn place:laiwu-district .
    obs:test-gangcheng-steel-output-2015 a kg:Measurement ;
        kg:about orgn:test-gangcheng-steel ;
        kg:measure kgm:output-value ;
        kg:value 10 ;
        kg:unit cur:CNY ;
        kg:period "2015"^^xsd:gYear ;
        kg:status kgs:reported .
}
"""
SHANDONG = {f"place:{n}" for n in (
    "shandong", "jinan", "laiwu", "lixia-district", "laiwu-district", "laicheng-district",
    "gangcheng-district", "gangcheng-district-371203",
)}
#: (query, level, as_of) -> the answer in Shandong: region -> count.
EXPECTED = {
    ("firms-per-region", "prefecture", None): {"jinan": 3, "laiwu": 1},
    ("firms-per-region", "prefecture", "2015"): {"laiwu": 3, "jinan": 1},
    ("firms-per-region", "prefecture", "2017"): {"laiwu": 3, "jinan": 1},
    ("firms-per-region", "prefecture", "2018"): {"jinan": 4},
    ("firms-per-region", "prefecture", "2024"): {"jinan": 4},
    ("firms-per-region", "county", None): {"gangcheng-district": 1, "laiwu-district": 1, "lixia-district": 1},
    ("firms-per-region", "county", "2015"): {"gangcheng-district-371203": 1, "laicheng-district": 1, "lixia-district": 1},
    ("firms-per-region", "county", "2020"): {"gangcheng-district": 1, "laiwu-district": 2, "lixia-district": 1},
    ("firms-per-region", "province", "2015"): {"shandong": 4},
    ("parks-per-region", "prefecture", None): {"jinan": 1},
    ("parks-per-region", "prefecture", "2015"): {"laiwu": 1},
    ("parks-per-region", "county", "2015"): {"laicheng-district": 1},
    ("figures-per-region", "prefecture", None): {"jinan": 1},
    ("figures-per-region", "prefecture", "2015"): {"laiwu": 1},
    ("figures-per-region", "county", "2015"): {"gangcheng-district-371203": 1},
    ("figures-per-region", "province", "2015"): {"shandong": 1},
}


@pytest.fixture(scope="module")
def laiwu_home(tmp_path_factory):
    home = project_snapshot(tmp_path_factory.mktemp("kg-home-laiwu"))
    (home / "data" / "graphs" / "900-test-laiwu.trig").write_text(LAIWU, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def backends(laiwu_home, oxigraph_server, virtuoso_server, tmp_path_factory):
    """The graph with Laiwu's firms on memory, a store, an Oxigraph server and Virtuoso 7.2.5
    (pushed by the CLI, with credentials, as a user would)."""
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("as-of")
    load_store(folder / "store", None)
    oxigraph_server.clear()
    push(oxigraph_server.query_url, None, timeout=60)
    virtuoso_server.clear()
    pushed = CliRunner().invoke(
        main,
        ["push", "--endpoint", virtuoso_server.sparql_url, "--graph-store", virtuoso_server.store_url,
         "--user", virtuoso_server.user],
        env={PASSWORD_ENV: virtuoso_server.password},
    )  # fmt: skip
    assert pushed.exit_code == 0, pushed.output
    found = {
        "memory": MemoryBackend(load_project()),
        "store": StoreBackend(folder / "store"),
        "endpoint": EndpointBackend(oxigraph_server.query_url, timeout=300),
        "virtuoso": EndpointBackend(virtuoso_server.sparql_url, timeout=300),
    }
    yield found
    found["store"].close()
    virtuoso_server.clear()


def shandong(rows) -> dict[str, int]:
    out = {}
    for region, *rest in rows:
        count = rest[4] if len(rest) > 4 else rest[0]  # (figures-per-region: the count of figures)
        name = "place:" + str(region).removeprefix(PLACE)
        if name in SHANDONG:
            out[name.removeprefix("place:")] = int(count)
    return out


@pytest.mark.parametrize("backend", ["memory", "store", "endpoint", "virtuoso"])
@pytest.mark.parametrize(("name", "level", "as_of"), list(EXPECTED), ids=[f"{n}-{lv}-{y}" for n, lv, y in EXPECTED])
def test_rollups_as_of_a_year(backends, backend, name, level, as_of):
    named = as_of_form(find_named(name)) if as_of else find_named(name)
    given = {"level": level, **({"as_of": as_of} if as_of else {})}
    params = bind_params(backends["memory"].ds, named.header, given)
    got = backends[backend].query(named.text, params=params, source=name)
    assert shandong(got.rows) == EXPECTED[(name, level, as_of)]
    if backend != "memory":
        assert got.rows == backends["memory"].query(named.text, params=params, source=name).rows


def test_a_year_changes_only_what_the_history_changes(backends):
    """Outside Shandong the answer as of 2015 is today's (no division the articles name changed
    since), and Baotou's parks are Baotou's in any year of the records."""
    named = find_named("firms-per-region")
    then_named = find_named("firms-per-region-as-of")
    memory = backends["memory"]
    for as_of in ("1990", "2015", "2024"):
        params = bind_params(memory.ds, then_named.header, {"level": "prefecture", "as_of": as_of})
        then = [r for r in memory.query(then_named.text, params=params).rows if "place:" + str(r[0]).removeprefix(PLACE) not in SHANDONG]
        now = [r for r in memory.query(named.text, params=bind_params(memory.ds, named.header, {"level": "prefecture"})).rows
               if "place:" + str(r[0]).removeprefix(PLACE) not in SHANDONG]
        assert then == now and then


def test_figures_roll_up_to_the_city_of_their_year(backends):
    memory = backends["memory"]
    for as_of, city in ((None, "jinan"), ("2015", "laiwu"), ("2018", "jinan")):
        named = find_named("figures-per-region-as-of" if as_of else "figures-per-region")
        given = {"level": "prefecture", **({"as_of": as_of} if as_of else {})}
        rows = memory.query(named.text, params=bind_params(memory.ds, named.header, given)).rows
        ours = [r for r in rows if str(r[0]).removeprefix(PLACE) in ("jinan", "laiwu")]
        assert [(str(r[0]).removeprefix(PLACE), str(r[3]), int(r[5])) for r in ours] == [(city, "2015", 1)]


def test_the_cli_option(runner, laiwu_home):
    got = runner.invoke(main, ["query", "firms-per-region", "--as-of", "2015", "-p", "level=prefecture", "--format", "csv"])
    assert got.exit_code == 0, got.output
    assert f"{PLACE}laiwu,3" in got.stdout.splitlines()
    same = runner.invoke(main, ["query", "firms-per-region-as-of", "-p", "as_of=2015", "-p", "level=prefecture", "--format", "csv"])
    assert same.stdout == got.stdout
    for args, message in (
        (["articles", "--as-of", "2015"], "Error: --as-of: articles has no as_of parameter and no articles-as-of query"),
        (["firms-per-region", "--as-of", "15"], "Error: parameter 'as_of' (year): '15' is not a year"),
        (["firms-per-region", "--as-of", "2015", "-p", "as_of=2016"], "Error: --as-of: give the year once"),
        (["SELECT * WHERE { ?s ?p ?o }", "--as-of", "2015"], "Error: --as-of: an inline query has no as_of parameter"),
        (["firms-per-region-as-of"], "Error: missing required parameter 'as_of'"),
    ):
        bad = runner.invoke(main, ["query", *args])
        assert bad.exit_code == 2 and bad.stderr.startswith(message), bad.output
        assert bad.stdout == ""


def test_the_changes_are_derived_apart_and_counted(backends):
    """The changes live in the derived graph beside kg:within, on every backend alike."""
    text = """SELECT ?d ?r ?held ?since ?until WHERE { GRAPH graph:derived-containment {
      ?c kg:territoryOf ?d ; kg:sinceYear ?since ; kg:untilYear ?until .
      { ?c kg:heldBy ?r BIND("held" AS ?held) } UNION { ?c kg:notHeldBy ?r BIND("not held" AS ?held) } } }
      ORDER BY ?d ?r ?held ?since"""
    answers = {name: b.query(text).rows for name, b in backends.items()}  # (a string, not true: Virtuoso answers 1)
    assert answers["memory"] == answers["store"] == answers["endpoint"] == answers["virtuoso"]
    laiwu = [(str(d).removeprefix(PLACE), str(r).removeprefix(PLACE), str(held) == "held", str(a), str(b))
             for d, r, held, a, b in answers["memory"] if str(d) == PLACE + "laiwu-district"]
    assert ("laiwu-district", "laiwu", True, "1992", "2018") in laiwu
    assert ("laiwu-district", "jinan", False, "0001", "2018") in laiwu
    outside = "ASK { GRAPH ?g { ?c kg:territoryOf ?d } FILTER(?g != graph:derived-containment) }"
    assert all(b.query(outside).boolean is False for b in backends.values())
