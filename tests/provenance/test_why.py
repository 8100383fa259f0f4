from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.cli import main
from kg.errors import UsageError
from kg.namespaces import KGM
from kg.provenance.why import resolve_measure, why
from kg.rdf.sources import Sources, load_sources

HERE = Path(__file__).resolve().parents[1]
TWO = HERE / "describe" / "two-articles.trig"
WIDGET = URIRef("https://w3id.org/kg/id/park/widget")
PARK = URIRef("https://w3id.org/kg/id/park/baotou-equipment-manufacturing-industrial-park")


@pytest.fixture(scope="module")
def sources():
    return load_sources([str(TWO)])


def test_every_statement_with_its_sources(sources):
    result = why(sources, WIDGET)
    kinds = {f.kind for f in result.facts}
    assert {"name", "class", "located-in", "relation", "inverse", "award", "figure"} <= kinds
    located = next(f for f in result.facts if f.kind == "located-in")
    assert [c.source.title for c in located.citations] == ["Widget Park opens", "Widgets boom"]
    assert located.articles == 2


def test_quotes_are_the_ones_that_mention_the_statement(sources):
    """The park has two quotes in article A: each statement gets the one that names its object."""
    facts = {f.text: f for f in why(sources, WIDGET).facts}
    assert facts["industry: widgets"].citations[0].evidence == ("The park makes widgets.",)
    assert facts["founding year: 2006"].citations[0].evidence == (
        "Widget Industrial Park (小部件产业园) was founded in 2006 in Testtown.",)


def test_fact_without_a_quote_cites_the_article_only(sources):
    facts = {f.text: f for f in why(sources, WIDGET).facts}
    (cite,) = facts["name: Widget Park (en)"].citations
    assert cite.source.title == "Widgets boom" and cite.evidence == ()


def test_one_figure_from_two_articles_shows_each(sources):
    result = why(sources, WIDGET, measure=KGM["output-value"], year=2021)
    reported = next(f for f in result.facts if f.figure.status == "reported")
    assert [(c.source.title, c.evidence) for c in reported.citations] == [
        ("Widgets boom", ("In 2021 the park's output value was 79.14 billion yuan, up 31.46 percent.",)),
        ("Widgets boom, again", ("The park's output value reached 79.14 billion yuan last year.",)),
    ]
    assert {f.figure.status for f in result.facts} == {"reported", "target"}


def test_filter_by_year_only(sources):
    result = why(sources, WIDGET, year=2017)
    assert {f.figure.measure_label for f in result.facts} == {"investment", "investment put into production"}


def test_no_such_figure_is_a_usage_error_naming_the_figures_there_are(sources):
    with pytest.raises(UsageError, match=r"has no figure for tax revenue 2017 \(its figures: .*tax revenue 2021"):
        why(sources, WIDGET, measure=KGM["tax-revenue"], year=2017)


@pytest.mark.parametrize("name", ["output value", "OUTPUT-VALUE", "kgm:output-value", str(KGM["output-value"])])
def test_resolve_measure(sources, name):
    assert resolve_measure(sources, name) == KGM["output-value"]


def test_unknown_measure(sources):
    with pytest.raises(UsageError, match=r"no measure is named 'turnover' \(known: .*output value"):
        resolve_measure(sources, "turnover")


def test_ambiguous_measure(tmp_path):
    f = tmp_path / "m.ttl"
    f.write_text(
        "@prefix kg: <https://w3id.org/kg/ont#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<http://example.org/output-value> a kg:Measure ; rdfs:label \"gross output\"@en .\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="measure 'output-value' is ambiguous"):
        resolve_measure(load_sources([str(f)]), "output-value")


def test_project_output_value_of_the_park(project_dataset):
    """The 2022 article: 'In 2021, the park's output value was 79.14 billion yuan'."""
    result = why(Sources(project_dataset), PARK, measure=KGM["output-value"], year=2021)
    yuan = [f for f in result.facts if f.figure.amount == "79.14 billion yuan"]
    assert len(yuan) == 1
    (cite,) = yuan[0].citations
    assert cite.source.date == "2022-07-08"
    assert any("output value was 79.14 billion yuan" in q for q in cite.evidence)


def test_cli_text(runner):
    result = runner.invoke(main, ["why", "Widget Park", str(TWO), "--measure", "output value", "--year", "2021"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Widget Industrial Park\n======================\n\n"
        "<https://w3id.org/kg/id/park/widget>\n\n"
        "output value 2021: 79.14 billion yuan (reported), +31.46% year on year (2 sources)\n"
        "  Widgets boom (2022-07-08)\n"
        "    stated as: 79.14 billion yuan\n"
        "    “In 2021 the park's output value was 79.14 billion yuan, up 31.46 percent.”\n"
        "  Widgets boom, again (Test Daily, 2022-08-01)\n"
        "    stated as: 79.14 billion yuan\n"
        "    “The park's output value reached 79.14 billion yuan last year.”\n\n"
        "output value 2021: 79.14 billion yuan (target)\n"
        "  Widget Park opens (Test Daily, 2017-12-11)\n"
        "    stated as: 79.14 billion yuan\n"
        "    “The park aims at an output value of 79.14 billion yuan in 2021.”\n"
    )
    assert result.stderr == ""


def test_cli_markdown_and_json(runner):
    md = runner.invoke(main, ["why", "park:widget", str(TWO), "--year", "2017", "--format", "markdown"])
    assert md.exit_code == 0
    assert md.stdout.startswith("## Widget Industrial Park\n")
    assert "- Widget Park opens (Test Daily, 2017-12-11)\n  - stated as: investment of 67 billion yuan\n" in md.stdout
    js = runner.invoke(main, ["why", "park:widget", str(TWO), "--year", "2017", "--format", "json"])
    data = json.loads(js.stdout)
    assert data["year"] == 2017 and len(data["facts"]) == 2
    assert data["facts"][0]["citations"][0]["source"]["date"] == "2017-12-11"


def test_cli_article_without_quote(runner):
    result = runner.invoke(main, ["why", "Acme Widgets", str(TWO)])
    assert result.exit_code == 0
    assert "(no quote: the article states it without one)" in result.stdout
    assert "Li Lei, chief executive officer of Acme Widgets\n  Widgets boom (2022-07-08)\n    “Li Lei, CEO of Acme Widgets, said so.”" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--measure", "turnover"], "Error: no measure is named 'turnover'"),
        (["--year", "1999"], "Error: Widget Industrial Park has no figure for 1999"),
        (["--year", "soon"], "Invalid value for '--year'"),
    ],
)
def test_cli_usage_errors(runner, args, message):
    result = runner.invoke(main, ["why", "Widget Park", str(TWO), *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_installed_kg_docstring_example(run_kg):
    proc = run_kg("why", "Baotou Equipment Park", "--measure", "output value", "--year", "2021")
    assert proc.returncode == 0, proc.stderr
    assert "output value 2021: 79.14 billion yuan (reported), +31.46% year on year" in proc.stdout
    assert proc.stderr == ""
