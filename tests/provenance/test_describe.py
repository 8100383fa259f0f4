from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.cli import main
from kg.provenance.describe import describe
from kg.rdf.labels import resolve
from kg.rdf.sources import Sources, load_sources

HERE = Path(__file__).resolve().parents[1]
TWO = HERE / "describe" / "two-articles.trig"
WIDGET = URIRef("https://w3id.org/kg/id/park/widget")
PARK = URIRef("https://w3id.org/kg/id/park/baotou-equipment-manufacturing-industrial-park")
FMG = URIRef("https://w3id.org/kg/id/org/first-machinery-group")
CHINA = "https://w3id.org/kg/id/place/china"


@pytest.fixture(scope="module")
def widget():
    return describe(load_sources([str(TWO)]), WIDGET)


def titles(card, refs):
    return sorted(card.sources[i - 1].title for i in refs)


def test_names_with_languages_and_sources(widget):
    names = {(e.label, e.lang): titles(widget, e.sources) for e in widget.names}
    assert names == {
        ("Widget Industrial Park", "en"): ["Widget Park opens", "Widgets boom", "Widgets boom, again"],
        ("Widget Park", "en"): ["Widgets boom"],
        ("小部件产业园", "zh"): ["Widget Park opens"],
    }


def test_classes(widget):
    assert [(e.label, e.articles) for e in widget.classes] == [("Industrial park", 3)]


def test_containment_chain_up_to_the_country(widget):
    (chain,) = widget.located_in
    assert [e.label for e in chain] == ["Testtown", "North Testland", "Testland"]
    assert chain[0].articles == 2  # both articles put the park in Testtown
    assert [e.articles for e in chain[1:]] == [1, 1]


def test_contains_and_relations(widget):
    assert [e.iri for e in widget.contains] == ["https://w3id.org/kg/id/org/acme"]
    groups = {g.name: [e.label for e in g.entries] for g in widget.relations}
    assert groups["founding year"] == ["2006"]
    assert groups["industry"] == ["widgets"]
    assert groups["award"] == ["Best Widget Park, awarded to Widget Industrial Park by Ministry of Widgets, 4 consecutive years"]
    assert "located in" not in groups  # shown as the chain


def test_figures_in_time_order_with_corroboration(widget):
    rows = [(f.period, f.measure_label, f.amount, f.status, f.articles) for f in widget.figures]
    assert rows == [
        ("2017-12-11", "investment", "67 billion yuan", "reported", 1),
        ("2017-12-11", "investment put into production", "14 billion yuan", "reported", 1),
        ("2021", "output value", "79.14 billion yuan", "reported", 2),  # two articles, two node IRIs
        ("2021", "output value", "79.14 billion yuan", "target", 1),  # a target is another fact
        ("2021", "tax revenue", "1.8 billion yuan", "reported", 1),
    ]
    reported = widget.figures[2]
    assert titles(widget, reported.sources) == ["Widgets boom", "Widgets boom, again"]
    assert reported.change == "+31.46%"


def test_sources_numbered_in_date_order(widget):
    assert [(s.kind, s.title, s.publisher, s.date) for s in widget.sources] == [
        ("article", "Widget Park opens", "Test Daily", "2017-12-11"),
        ("article", "Widgets boom", None, "2022-07-08"),
        ("article", "Widgets boom, again", "Test Daily", "2022-08-01"),
    ]


def test_reference_data_is_a_source_but_not_an_article():
    card = describe(load_sources([str(TWO)]), URIRef("https://w3id.org/kg/id/place/town"))
    code = next(g for g in card.relations if g.name == "administrative division code").entries[0]
    assert code.label == "150200" and code.articles == 0
    assert card.sources[code.sources[0] - 1].kind == "reference"
    assert card.sources[code.sources[0] - 1].citation() == "reference data: Testland statistics office"


def test_membership_on_the_person_card():
    card = describe(load_sources([str(TWO)]), URIRef("https://w3id.org/kg/id/person/li-lei"))
    groups = {g.name: [e.label for e in g.entries] for g in card.relations}
    assert groups["membership"] == ["Li Lei, chief executive officer of Acme Widgets"]


def test_entity_without_facts_has_an_empty_card(tmp_path):
    f = tmp_path / "one.ttl"
    f.write_text("<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> \"X\" .\n", encoding="utf-8")
    card = describe(load_sources([str(f)]), URIRef("http://example.org/x"))
    assert (card.classes, card.located_in, card.figures, card.relations) == ([], [], [], [])
    assert [s.kind for s in card.sources] == ["graph"]


# --- the project's data -------------------------------------------------------------------


def test_project_baotou_park_has_figures_from_two_articles(project_dataset):
    card = describe(Sources(project_dataset), PARK)
    dates = {card.sources[i - 1].date for f in card.figures for i in f.sources}
    assert {"2017-12-11", "2022-07-08"} <= dates
    by = {(f.measure_label, f.period, f.value and float(f.value)) for f in card.figures}
    assert ("output value", "2021", 79.14e9) in by  # the 2022 article
    assert ("investment", "2017-12-11", 67e9) in by  # the 2017 article
    assert all(chain[-1].iri == CHINA for chain in card.located_in)
    assert ("包头装备制造产业园", "zh") in {(e.label, e.lang) for e in card.names}
    assert [f.period for f in card.figures] == sorted(f.period for f in card.figures)


def test_project_first_machinery_group_named_differently_in_two_articles(project_dataset):
    sources = Sources(project_dataset)
    assert resolve(project_dataset, "Inner Mongolia No 1 machinery Group") == FMG
    assert resolve(project_dataset, "first machinery group") == FMG
    card = describe(sources, FMG)
    names = {e.label: {card.sources[i - 1].date for i in e.sources} for e in card.names}
    assert "2017-12-11" in names["Inner Mongolia No 1 machinery Group"]
    assert "2022-07-08" in names["First Machinery Group"]


# --- the command ---------------------------------------------------------------------------


def test_cli_text(runner):
    result = runner.invoke(main, ["describe", "widget park", str(TWO)])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Widget Industrial Park\n======================\n")
    assert "Located in: Testtown › North Testland › Testland [1, 2] (2 sources)" in out
    assert "Names:      Widget Industrial Park (en) [1, 2, 3] (3 sources); Widget Park (en) [2]; 小部件产业园 (zh) [1]" in out
    assert "2021        output value                    79.14 billion yuan  reported  +31.46%  [2, 3] (2 sources)" in out
    assert "[1] Widget Park opens (Test Daily, 2017-12-11) <https://w3id.org/kg/graph/test-a>" in out
    assert result.stderr == ""


def test_cli_markdown(runner):
    result = runner.invoke(main, ["describe", "小部件产业园", str(TWO), "--format", "markdown"])
    assert result.exit_code == 0
    assert result.stdout.startswith("## Widget Industrial Park\n")
    assert "- **Located in:** Testtown › North Testland › Testland [1, 2] (2 sources)" in result.stdout
    assert "| period | measure | value | status | change | sources |" in result.stdout


def test_cli_json(runner):
    result = runner.invoke(main, ["describe", "park:widget", str(TWO), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["iri"] == str(WIDGET)
    assert [p["label"] for p in data["located_in"][0]] == ["Testtown", "North Testland", "Testland"]
    assert data["figures"][2]["value"] == "79140000000"


def test_cli_ambiguous_name_lists_candidates(runner):
    result = runner.invoke(main, ["describe", "widget", str(TWO)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'widget' is ambiguous" in result.stderr
    assert "Acme Widgets <https://w3id.org/kg/id/org/acme>" in result.stderr


def test_cli_unknown_name(runner):
    result = runner.invoke(main, ["describe", "Nowhere Park", str(TWO)])
    assert result.exit_code == 2
    assert result.stderr == "Error: no entity is named 'Nowhere Park' (try part of the name, or the IRI)\n"


def test_cli_bad_input_file(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n", encoding="utf-8")
    result = runner.invoke(main, ["describe", "x", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}:")


def test_installed_kg_docstring_example(run_kg):
    proc = run_kg("describe", "Baotou Equipment Manufacturing Industrial Park")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Baotou Equipment Manufacturing Industrial Park\n")
    assert "Located in: Qingshan District › " in proc.stdout
    assert proc.stderr == ""
