"""kg.validate.article and ``kg check-article``: metadata, evidence in the text, the check of one file.

The check of a file runs the project's real shapes (kg.validate.core); the small graphs here are
written to conform to them, except where a test breaks one rule on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.validate.article import (
    Problem,
    article_metadata,
    check_article,
    check_evidence,
    fold,
    metadata_problems,
)
from kg.cli import main
from kg.errors import InputError
from kg.rdf.loading import load_files

ROOT = Path(__file__).resolve().parents[2]
GRAPHS = sorted((ROOT / "data" / "graphs").glob("*.trig"))
EXAMPLE = "data/graphs/000-qingshan-equipment-manufacturing-2022.trig"
TEXT_FILE = "005_0123456789abcdef.txt"

PREFIXES = """
@prefix kg: <https://w3id.org/kg/ont#> .
@prefix kgm: <https://w3id.org/kg/measure/> .
@prefix kgs: <https://w3id.org/kg/status/> .
@prefix kgrole: <https://w3id.org/kg/role/> .
@prefix cur: <http://qudt.org/vocab/currency/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""

# A text with a non-breaking space, a line break inside a sentence and curly quotes.
TEXT = (
    "Home\u00a0> News\n\nThe park\u2019s output\nwas 5 yuan. \u201cWe will grow,\u201d said Li Lei, "
    "head of Acme. Of which 9 yuan.\n"
)

HEADER = f"""
ex:g a kg:ArticleGraph ; prov:wasDerivedFrom ex:a .
ex:a a kg:Article ; schema:headline "A headline"@en ;
    schema:datePublished "2022-07-08"^^xsd:date ; kg:fileName "{TEXT_FILE}" .
"""

# Facts that conform to the shapes: a park, a figure, a person and their post.
VALID = """
ex:park a kg:IndustrialPark ; skos:prefLabel "Park"@en ; rdfs:label "Park"@en .
ex:m a kg:Measurement ; kg:about ex:park ; kg:measure kgm:output-value ; kg:value 5.0 ;
    kg:unit cur:CNY ; kg:period "2021"^^xsd:gYear ; kg:status kgs:reported ;
    kg:statedAs "5 yuan" ; kg:evidence "output was 5 yuan" ; kg:sourceArticle ex:a .
ex:li a kg:Person ; skos:prefLabel "Li Lei"@en ; rdfs:label "Li Lei"@en .
ex:acme a kg:Firm ; skos:prefLabel "Acme"@en ; rdfs:label "Acme"@en .
ex:mem a kg:Membership ; org:member ex:li ; org:organization ex:acme ; org:role kgrole:ceo ;
    kg:evidence "said Li Lei, head of Acme." .
"""


def _trig(tmp_path: Path, body: str, header: str = HEADER, name: str = "a.trig") -> Path:
    (tmp_path / TEXT_FILE).write_text(TEXT, encoding="utf-8")
    f = tmp_path / name
    f.write_text(PREFIXES + "ex:g {\n" + header + body + "\n}\n", encoding="utf-8")
    return f


# --- fold -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("a\u00a0 b\n\tc", "a b c"),
        ("the park\u2019s", "the park's"),
        ("\u201cWe\u201d", '"We"'),
        ("  padded  ", "padded"),
        ("Chinas", "Chinas"),  # a lost apostrophe is not restored
    ],
)
def test_fold(raw: str, folded: str):
    assert fold(raw) == folded


# --- article_metadata / metadata_problems -----------------------------------------------------


def test_article_metadata_reads_the_graph_description(tmp_path: Path):
    ds = load_files([_trig(tmp_path, "")])
    [meta] = article_metadata(ds)
    assert meta.graph == "http://example.org/g"
    assert meta.article == "http://example.org/a"
    assert (meta.headline, meta.date_published, meta.file_name, meta.publisher) == (
        "A headline",
        "2022-07-08",
        TEXT_FILE,
        None,
    )
    assert meta.missing() == []
    assert metadata_problems(ds) == []


def test_metadata_problems_name_what_is_missing(tmp_path: Path):
    header = 'ex:g a kg:ArticleGraph ; prov:wasDerivedFrom ex:a .\nex:a schema:datePublished "8 July" .\n'
    ds = load_files([_trig(tmp_path, "", header=header)])
    messages = [p.message for p in metadata_problems(ds)]
    assert messages == sorted(
        [
            "no schema:headline",
            "no kg:fileName",
            "is not typed kg:Article",
            "schema:datePublished 8 July is not an xsd:date",
        ]
    )


def test_metadata_of_a_graph_without_article(tmp_path: Path):
    ds = load_files([_trig(tmp_path, "", header="ex:g a kg:ArticleGraph .\n")])
    [meta] = article_metadata(ds)
    assert meta.article is None
    assert [p.message for p in metadata_problems(ds)] == sorted(
        [
            "no prov:wasDerivedFrom (the article)",
            "no schema:headline",
            "no schema:datePublished",
            "no kg:fileName",
        ]
    )


def test_graphs_that_are_not_article_graphs_have_no_metadata(tmp_path: Path):
    ds = load_files([_trig(tmp_path, "", header="ex:x a kg:Firm .\n")])
    assert article_metadata(ds) == []


# --- check_evidence ---------------------------------------------------------------------------


def test_evidence_found_despite_spaces_and_quotes(tmp_path: Path):
    body = """
    ex:m kg:evidence "The park's output was 5 yuan." .
    ex:n kg:evidence "\\u201cWe will grow,\\u201d said Li Lei" .
    ex:o kg:evidence "\\"We will grow,\\" said" .
    """
    ds = load_files([_trig(tmp_path, body)])
    assert check_evidence(ds, tmp_path) == []


def test_evidence_not_found_is_reported(tmp_path: Path):
    ds = load_files([_trig(tmp_path, 'ex:m kg:evidence "The park output was 6 yuan." .')])
    assert check_evidence(ds, tmp_path) == [
        Problem(
            "http://example.org/g",
            "http://example.org/m",
            f"evidence not found in {TEXT_FILE}: 'The park output was 6 yuan.'",
        )
    ]


def test_evidence_with_missing_text_file(tmp_path: Path):
    ds = load_files([_trig(tmp_path, 'ex:m kg:evidence "The park" .')])
    (tmp_path / TEXT_FILE).unlink()
    [problem] = check_evidence(ds, tmp_path)
    assert problem.subject == "http://example.org/a"
    assert f"{TEXT_FILE} is missing or unreadable" in problem.message


def test_evidence_in_a_graph_without_article(tmp_path: Path):
    ds = load_files([_trig(tmp_path, 'ex:m kg:evidence "The park" .', header="")])
    [problem] = check_evidence(ds, tmp_path)
    assert (
        problem.message
        == "holds 1 kg:evidence but no kg:ArticleGraph description: cannot find the text"
    )


def test_evidence_when_the_article_has_no_file_name(tmp_path: Path):
    header = "ex:g a kg:ArticleGraph ; prov:wasDerivedFrom ex:a .\nex:a a kg:Article .\n"
    ds = load_files([_trig(tmp_path, 'ex:m kg:evidence "The park" .', header=header)])
    [problem] = check_evidence(ds, tmp_path)
    assert problem.message.endswith("its article has no kg:fileName: cannot find the text")


def test_check_evidence_defaults_to_the_project_texts():
    assert GRAPHS, "no data/graphs/*.trig found"
    assert check_evidence(load_files([ROOT / EXAMPLE])) == []


# --- check_article ----------------------------------------------------------------------------


def test_check_article_ok(tmp_path: Path):
    result = check_article(_trig(tmp_path, VALID), tmp_path)
    assert result.problems == []
    assert result.ok
    assert result.graph == "http://example.org/g"
    assert result.evidence_checked == 2


def test_check_article_reports_a_shape_violation(tmp_path: Path):
    body = VALID.replace(" org:role kgrole:ceo ;", "")
    result = check_article(_trig(tmp_path, body), tmp_path)
    assert [(p.subject, p.message.split(":", 2)[:2]) for p in result.problems] == [
        ("http://example.org/mem", ["Violation", " shapes"])
    ]
    assert result.problems[0].message.startswith("Violation: shapes:MembershipShape (org:role): ")
    assert not result.ok


def test_a_shape_warning_is_a_note_not_a_problem(tmp_path: Path):
    part = """
    ex:n a kg:Measurement ; kg:about ex:park ; kg:measure kgm:output-value ; kg:value 9.0 ;
        kg:unit cur:CNY ; kg:period "2021"^^xsd:gYear ; kg:status kgs:reported ;
        kg:partOfMeasurement ex:m ; kg:statedAs "9 yuan" ; kg:evidence "Of which 9 yuan." ;
        kg:sourceArticle ex:a .
    """
    result = check_article(_trig(tmp_path, VALID + part), tmp_path)
    assert result.ok
    warnings = [p for p in result.notes if p.message.startswith("Warning: ")]
    assert [p.subject for p in warnings] == ["http://example.org/n"]
    assert "shapes:PartNotExceedingWholeShape" in warnings[0].message


def test_check_article_two_graphs(tmp_path: Path):
    f = _trig(tmp_path, VALID)
    f.write_text(f.read_text(encoding="utf-8") + "ex:h { ex:x a kg:Firm . }\n", encoding="utf-8")
    result = check_article(f, tmp_path)
    assert [p.message for p in result.problems] == [
        "expected exactly one named graph, found 2: http://example.org/g, http://example.org/h"
    ]


def test_check_article_triples_outside_the_graph(tmp_path: Path):
    f = _trig(tmp_path, VALID)
    f.write_text(f.read_text(encoding="utf-8") + "ex:li schema:name 'Li Lei' .\n", encoding="utf-8")
    result = check_article(f, tmp_path)
    assert [p.message for p in result.problems] == ["1 triple(s) outside any named graph"]


def test_check_article_graph_without_self_description(tmp_path: Path):
    result = check_article(_trig(tmp_path, VALID, header=""), tmp_path)
    messages = [p.message for p in result.problems]
    assert (
        "the graph does not describe itself: "
        "add '<graph> a kg:ArticleGraph ; prov:wasDerivedFrom <article>'"
    ) in messages
    assert (
        "holds 2 kg:evidence but no kg:ArticleGraph description: cannot find the text" in messages
    )


def test_check_article_bad_syntax(tmp_path: Path):
    f = tmp_path / "bad.trig"
    f.write_text(PREFIXES + "ex:g { ex:a ex:b }\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.trig:\d+: bad syntax"):
        check_article(f, tmp_path)


def test_check_article_missing_file(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        check_article(tmp_path / "missing.trig")


@pytest.mark.parametrize("path", GRAPHS, ids=lambda p: p.name)
def test_every_project_article_passes_its_own_checks(path: Path):
    result = check_article(path)
    assert [str(p) for p in result.problems] == []
    assert result.evidence_checked > 0


def test_project_articles_discovered():
    assert GRAPHS, "no data/graphs/*.trig found"


# --- kg check-article -------------------------------------------------------------------------


def test_cli_ok(runner, tmp_path: Path):
    f = _trig(tmp_path, VALID)
    result = runner.invoke(main, ["check-article", str(f), "--texts", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.endswith(
        f"{f}: http://example.org/g: 2 evidence quote(s), 0 problem(s), 2 note(s)\n"
    )
    assert result.stderr.count("Info: shapes:") == 2  # the park and the firm have no location


def test_cli_problems_exit_3(runner, tmp_path: Path):
    f = _trig(tmp_path, VALID.replace("output was 5 yuan", "output was 6 yuan"))
    result = runner.invoke(main, ["check-article", str(f), "--texts", str(tmp_path)])
    assert result.exit_code == 3
    assert result.stdout == (
        "http://example.org/g: http://example.org/m: "
        f"evidence not found in {TEXT_FILE}: 'output was 6 yuan'\n"
    )
    assert result.stderr.endswith(f"Error: {f}: 1 problem(s)\n")


def test_cli_unreadable_input_exit_1(runner, tmp_path: Path):
    missing = tmp_path / "missing.trig"
    result = runner.invoke(main, ["check-article", str(missing)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {missing}: no such file\n"


def test_cli_bad_syntax_exit_1(runner, tmp_path: Path):
    f = tmp_path / "bad.trig"
    f.write_text("ex:g { ", encoding="utf-8")
    result = runner.invoke(main, ["check-article", str(f)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {f}:")


def test_cli_without_file_is_a_usage_error(runner):
    result = runner.invoke(main, ["check-article"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Missing argument 'FILE'" in result.stderr


def test_cli_docstring_example_runs(run_kg):
    proc = run_kg("check-article", EXAMPLE)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert " 0 problem(s)" in proc.stderr


@pytest.mark.parametrize("path", GRAPHS, ids=lambda p: p.stem)
def test_check_article_reports_what_pyshacl_reports(path: Path, monkeypatch):
    """check-article validates with engine auto (the fast engine here): the problems and notes
    pyshacl gives, in the same order."""
    import kg.validate.core

    fast = check_article(path)
    reference_validate = kg.validate.core.validate
    monkeypatch.setattr(kg.validate.core, "validate", lambda ds, *a, **k: reference_validate(ds, engine="pyshacl"))
    reference = check_article(path)
    assert (fast.problems, fast.notes) == (reference.problems, reference.notes)


# --- review markers (kg draft) -----------------------------------------------------------------

UNDER_REVIEW = VALID.replace(
    'kg:evidence "output was 5 yuan" ;',
    'kg:evidence "output was 5 yuan" ; kg:reviewStatus kgs:needs-review ; kg:reviewNote "measure guessed"@en ;',
).replace('ex:acme a kg:Firm ;', 'ex:acme a kg:Firm ; kg:reviewStatus kgs:draft ;')


def test_nodes_under_review_fail_the_check_with_their_notes(tmp_path: Path):
    result = check_article(_trig(tmp_path, UNDER_REVIEW), tmp_path)
    assert result.problems == []  # the ReviewedShape's violations are the review items, not repeated
    assert [(i.subject, i.status, i.what, i.notes) for i in result.review] == [
        ("http://example.org/acme", "kgs:draft", "Acme", ()),
        ("http://example.org/m", "kgs:needs-review", "5 yuan", ("measure guessed",)),
    ]
    assert not result.ok


def test_review_only_checks_nothing_else(tmp_path: Path):
    body = UNDER_REVIEW.replace(" org:role kgrole:ceo ;", "")  # a shape violation, not looked at
    result = check_article(_trig(tmp_path, body), tmp_path, review_only=True)
    assert result.problems == [] and len(result.review) == 2


def test_cli_lists_nodes_under_review_and_exits_3(runner, tmp_path: Path):
    f = _trig(tmp_path, UNDER_REVIEW)
    result = runner.invoke(main, ["check-article", str(f), "--texts", str(tmp_path)])
    assert result.exit_code == 3, result.output
    assert result.stdout.splitlines() == [
        "http://example.org/g: http://example.org/acme: under review (kgs:draft): Acme",
        "http://example.org/g: http://example.org/m: under review (kgs:needs-review): 5 yuan; check: measure guessed",
    ]
    assert "0 problem(s), 2 node(s) under review" in result.stderr
    assert result.stderr.strip().endswith("Error: " + f"{f}: 2 node(s) under review")
    only = runner.invoke(main, ["check-article", str(f), "--review-only", "--texts", str(tmp_path)])
    assert only.exit_code == 3 and only.stdout == result.stdout


def test_cli_reviewed_file_passes(runner, tmp_path: Path):
    reviewed = "\n".join(line for line in UNDER_REVIEW.splitlines())
    reviewed = reviewed.replace(" kg:reviewStatus kgs:needs-review ; kg:reviewNote \"measure guessed\"@en ;", "")
    reviewed = reviewed.replace(" kg:reviewStatus kgs:draft ;", "")
    result = runner.invoke(main, ["check-article", str(_trig(tmp_path, reviewed)), "--texts", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "under review" not in result.stderr


# --- what a new user stumbled on --------------------------------------------------------------


def test_a_wrong_value_is_named(tmp_path: Path):
    """"kg:measure points to a measure concept" alone does not say which value is wrong."""
    body = VALID.replace("kg:measure kgm:output-value", "kg:measure kgm:employees")
    result = check_article(_trig(tmp_path, body), tmp_path)
    messages = [p.message for p in result.problems if p.subject == "http://example.org/m"]
    assert messages and all(m.startswith("Violation: shapes:ObjectPropertyRangeShape (kg:measure = kgm:employees): ") for m in messages)


def test_a_second_node_for_a_known_place_is_a_note(tmp_path: Path):
    body = VALID + """
    <https://w3id.org/kg/id/place/baotou-city> a kg:PrefectureLevelCity ; skos:prefLabel "Baotou"@en ; rdfs:label "Baotou"@en .
    ex:park kg:locatedIn <https://w3id.org/kg/id/place/baotou-city> .
    """
    result = check_article(_trig(tmp_path, body), tmp_path)
    assert result.ok
    assert [p.message for p in result.notes if p.subject.endswith("/place/baotou-city")] == [
        "Warning: the name 'Baotou' is already carried by place:baotou in the graph: if it is the same "
        "thing, use that IRI instead of a new one"
    ]


def test_reusing_the_known_iri_is_no_note(tmp_path: Path):
    body = VALID + "\n    ex:park kg:locatedIn <https://w3id.org/kg/id/place/baotou> .\n"
    result = check_article(_trig(tmp_path, body), tmp_path)
    assert not [p for p in result.notes if "already carried" in p.message]
