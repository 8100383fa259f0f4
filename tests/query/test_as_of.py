"""Roll-ups per region as of a year (``kg query ... --as-of YEAR``): things in the territory of
Laiwu 371200, a prefecture-level city abolished in 2018 whose districts are now Jinan's, roll up to
Laiwu up to 2017 and to Jinan from 2018, on every backend. The fixture (as_of/laiwu.trig) is added
to a copy of the project with the five articles, as a sixth article graph."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest

from click.testing import CliRunner

from kg import paths
from kg.backends.base import open_backend
from kg.cli import main
from kg.query.engine import query_backend
from kg.query.library import find_named
from kg.rdf.gazetteer import Gazetteer
from tests.conftest import five_articles_home

FIXTURE = Path(__file__).parent / "as_of" / "laiwu.trig"
PLACE = "https://w3id.org/kg/id/place/"
LAIWU, JINAN, SHANDONG = PLACE + "laiwu", PLACE + "jinan", PLACE + "shandong"
GANGCHENG_NOW, GANGCHENG_THEN = PLACE + "gangcheng-district", PLACE + "gangcheng-district-371203"
ROLLUPS = ("firms-per-region", "parks-per-region", "figures-per-region")
BACKENDS = ("memory", "oxigraph-memory", "store")
FEW = ("memory", "store")


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """KG_HOME: the five articles and the fixture, with a store loaded from it (kg load)."""
    home = five_articles_home(tmp_path_factory.mktemp("as-of-home"))
    shutil.copy2(FIXTURE, home / "data" / "graphs" / "900-as-of-laiwu.trig")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_HOME", str(home))
        loaded = CliRunner().invoke(main, ["load", "--store", str(home / "store")])
        assert loaded.exit_code == 0, loaded.output
        yield home


@pytest.fixture(scope="module")
def backends(home):
    """Each backend holding the project with the fixture, opened once."""
    found = {
        "memory": open_backend(backend="memory"),
        "oxigraph-memory": open_backend(backend="oxigraph-memory"),
        "store": open_backend(store=home / "store"),
    }
    yield found
    for backend in found.values():
        backend.close()


def run(backends, backend: str, query: str, **params: str) -> list[dict[str, str]]:
    """A named query on one backend: its rows as {column: IRI or lexical form}; with ``as_of``,
    the query's ``-as-of`` form (the roll-ups by year are queries of their own)."""
    if "as_of" in params:
        query = f"{query}-as-of"
    result = query_backend(backends[backend], find_named(query).text, params, source=query)
    return [{c: "" if v is None else str(v) for c, v in zip(result.columns, row)} for row in result.rows]


def counts(rows: list[dict[str, str]], column: str) -> dict[str, str]:
    """Region -> the value of ``column``, for the regions in Shandong, Shandong included: where
    the fixture's things are (the five articles name nothing there)."""
    return {r["region"]: r[column] for r in rows if in_shandong(r["region"])}


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer(paths.gazetteer_files())


def in_shandong(iri: str) -> bool:
    todo, seen = [iri], set()
    while todo:
        node = todo.pop()
        if node == SHANDONG:
            return True
        if node not in seen and node in gazetteer().nodes:
            seen.add(node)
            todo.extend(gazetteer().nodes[node].parents)
    return False


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("year", "prefecture", "county"),
    [
        ("2013", LAIWU, GANGCHENG_THEN),
        ("2017", LAIWU, GANGCHENG_THEN),  # (the last year-end Laiwu was in force)
        ("2018", JINAN, GANGCHENG_NOW),
        ("2020", JINAN, GANGCHENG_NOW),
    ],
)
def test_laiwu_both_sides_of_2018(backends, backend, year, prefecture, county):
    """A firm in Gangcheng as it is now (370117, Jinan) and a park in Gangcheng as it was
    (371203, Laiwu) both roll up to the division that held Gangcheng at the end of the year."""
    for query, column in (("firms-per-region", "firms"), ("parks-per-region", "parks")):
        assert counts(run(backends, backend, query, as_of=year, level="prefecture"), column) == {prefecture: "1"}
        assert counts(run(backends, backend, query, as_of=year, level="county"), column) == {county: "1"}
        assert counts(run(backends, backend, query, as_of=year), column) == {SHANDONG: "1"}
    # figures: the firm's (1,000,000), the park's (200,000), and Gangcheng's own (5,000,000),
    # which counts for its city but never for Gangcheng itself, as it is or as it was
    figures = run(backends, backend, "figures-per-region", as_of=year, level="prefecture")
    assert counts(figures, "total") == {prefecture: "6200000"}
    figures = run(backends, backend, "figures-per-region", as_of=year, level="county")
    assert counts(figures, "total") == {county: "1200000"}


@pytest.mark.parametrize("backend", FEW)
def test_without_as_of_the_containment_of_now_holds(backends, backend):
    """The default is what the data states now: the firm in Jinan, the park (linked to the old
    district) in Laiwu, as before this option existed; as_of changes that (it is not ignored)."""
    assert counts(run(backends, backend, "firms-per-region", level="prefecture"), "firms") == {JINAN: "1"}
    assert counts(run(backends, backend, "parks-per-region", level="prefecture"), "parks") == {LAIWU: "1"}
    figures = run(backends, backend, "figures-per-region", level="county")
    assert counts(figures, "total") == {GANGCHENG_NOW: "1000000", GANGCHENG_THEN: "200000"}
    assert counts(run(backends, backend, "firms-per-region", as_of="2015", level="prefecture"), "firms") == {LAIWU: "1"}
    assert counts(run(backends, backend, "parks-per-region", as_of="2020", level="prefecture"), "parks") == {JINAN: "1"}


@pytest.mark.parametrize("backend", FEW)
def test_a_year_before_the_division_existed(backends, backend):
    """Laiwu 371200 and Gangcheng 371203 came into force in 1992 and the history has nothing
    earlier: in 1985 neither is a roll-up target (nor Jinan, which did not hold Gangcheng), and
    the things count for the province of the last record."""
    for query, column in (("firms-per-region", "firms"), ("parks-per-region", "parks")):
        for level in ("prefecture", "county"):
            assert counts(run(backends, backend, query, as_of="1985", level=level), column) == {}
        assert counts(run(backends, backend, query, as_of="1985"), column) == {SHANDONG: "1"}


def test_every_target_is_in_force_that_year(backends):
    """Whatever the year, a roll-up names only divisions in force at its end, as kg place
    understands it (kg.rdf.gazetteer.Node.in_force: validFrom <= year < validUntil)."""
    seen = 0
    for year in (1985, 2017, 2018):
        for query in ROLLUPS:
            for level in ("province", "prefecture", "county"):
                for row in run(backends, "memory", query, as_of=str(year), level=level):
                    node = gazetteer().nodes.get(row["region"])
                    assert node is not None and node.in_force(year), (query, year, row["region"])
                    seen += 1
    assert seen > 40


@pytest.mark.parametrize("backend", ("oxigraph-memory", "store"))
def test_same_answers_as_memory(backends, backend):
    """Every roll-up and level, as of a year of each side: the rows of memory, in its order."""
    for query in ROLLUPS:
        for year in ("2010", "2018"):
            for level in ("prefecture", "county"):
                given = {"as_of": year, "level": level}
                assert run(backends, backend, query, **given) == run(backends, "memory", query, **given)


def test_the_option_on_the_command_line(home, runner):
    """--as-of YEAR is --param as_of=YEAR (on a store here: the option is the backend's business)."""
    args = ["query", "firms-per-region-as-of", "-p", "level=prefecture", "--format", "csv", "--store", str(home / "store")]
    then, now = runner.invoke(main, [*args, "--as-of", "2017"]), runner.invoke(main, [*args, "--as-of", "2018"])
    assert then.exit_code == now.exit_code == 0
    assert f"{LAIWU},1" in then.stdout.splitlines() and f"{JINAN},1" not in then.stdout.splitlines()
    assert f"{JINAN},1" in now.stdout.splitlines() and f"{LAIWU},1" not in now.stdout.splitlines()
    assert then.stdout == runner.invoke(main, [*args, "-p", "as_of=2017"]).stdout


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["firms-per-region-as-of", "--as-of", "20x5"], "Error: parameter 'as_of' (year): '20x5' is not a year (four digits, e.g. 2021)"),
        (["firms-per-region-as-of", "--as-of", "215"], "Error: parameter 'as_of' (year): '215' is not a year (four digits, e.g. 2021)"),
        (["firms-per-region-as-of", "--as-of", "2015", "-p", "as_of=2016"], "Error: give the year once: --as-of YEAR or --param as_of=YEAR"),
        (
            ["firms-in-region", "--as-of", "2015", "-p", "region=Baotou"],
            "Error: unknown parameter 'as_of'; this query takes: region (entity, required)",
        ),
    ],
)
def test_a_bad_year_is_a_one_line_usage_error(run_kg, args, error):
    done = run_kg("query", *args)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", error + "\n")
