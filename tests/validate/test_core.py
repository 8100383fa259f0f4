"""kg.validate.core, kg.rdf.literals, kg.validate.report and ``kg validate``."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from kg.cli import main
from kg.errors import InputError
from kg.namespaces import KG, OBS, SH
from kg.rdf.loading import ONTOLOGY_GRAPH, load_files
from kg.validate.core import validate
from kg.rdf.literal_log import quiet_literal_warnings
from kg.rdf.literals import is_ill_typed, locate
from kg.validate.report import render_json, render_text, render_turtle

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
EXAMPLES = TESTS / "shapes"
MALFORMED = sorted((TESTS / "malformed").iterdir())

#: The figures the articles state that the shapes rightly doubt: (shape, focus node). The 2017
#: article says 67 billion yuan was invested, "of which 140 billion has been put into production".
KNOWN_WARNINGS = {
    (
        "shapes:PartNotExceedingWholeShape",
        str(OBS["baotou-equipment-manufacturing-industrial-park-investment-in-production-2017-12-11"]),
    ),
}
PART = OBS["baotou-equipment-manufacturing-industrial-park-investment-in-production-2017-12-11"]
WHOLE = OBS["baotou-equipment-manufacturing-industrial-park-investment-2017-12-11"]


@pytest.fixture(scope="module")
def project_report(project_dataset):
    return validate(project_dataset)


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


# ---------------------------------------------------------------- the project's data


def test_project_data_conforms(project_report):
    violations = [(r.shape, r.focus, r.path, r.message) for r in project_report.results if r.severity == "Violation"]
    assert violations == []
    assert project_report.passes() and not project_report.conforms  # SHACL: a warning is a result


def test_project_data_has_exactly_the_known_warnings(project_report):
    warnings = {(r.shape, r.focus) for r in project_report.results if r.severity == "Warning"}
    assert warnings == KNOWN_WARNINGS
    assert project_report.warnings == len(KNOWN_WARNINGS)


def test_of_which_warning_names_both_figures_their_article_and_quotes(project_dataset, project_report):
    (warning,) = [r for r in project_report.results if r.focus == str(PART)]
    assert warning.severity == "Warning"
    for figure in (PART, WHOLE):
        stated = str(project_dataset.value(figure, KG.statedAs))
        assert stated in warning.message
    assert {s.node for s in warning.sources} == {str(PART), str(WHOLE)}
    article = project_dataset.value(PART, KG.sourceArticle)
    text = (ROOT / "data" / "articles" / str(project_dataset.value(article, KG.fileName))).read_text(encoding="utf-8")
    for source in warning.sources:
        assert source.article == str(article)
        assert source.title == "Baotou Equipment Manufacturing Industrial Park"
        assert source.date == "2017-12-11"
        assert source.evidence and _norm(source.evidence) in _norm(text)
        assert "67 billion" in source.evidence and "140 billion" in source.evidence


def test_project_infos_come_from_info_shapes(project_report):
    from kg.rdf.loading import load_shapes

    shapes = load_shapes()
    info_shapes = {
        f"shapes:{str(s).rsplit('#', 1)[1]}" for s in shapes.subjects(SH.severity, SH.Info) if str(s).startswith("https://w3id.org/kg/shapes#")
    }
    assert {r.shape for r in project_report.results if r.severity == "Info"} <= info_shapes


@pytest.mark.parametrize("mode", ["rdfs", "owlrl"])
def test_project_data_conforms_with_reasoning(project_dataset, mode):
    report = validate(project_dataset, reasoning=mode)
    assert [(r.shape, r.focus, r.path) for r in report.results if r.severity == "Violation"] == []
    assert {(r.shape, r.focus) for r in report.results if r.severity == "Warning"} == KNOWN_WARNINGS


# ---------------------------------------------------------------- the library


def test_validate_leaves_its_input_alone_and_adds_the_ontology():
    ds = load_files([EXAMPLES / "MeasurementShape.valid.trig"])
    before = sorted(ds.quads((None, None, None, None)))
    report = validate(ds)
    assert report.conforms and report.results == []
    assert sorted(ds.quads((None, None, None, None))) == before
    assert len(ds.graph(ONTOLOGY_GRAPH)) == 0


def test_without_the_ontology_class_checks_would_fail():
    """The ontology is what sh:class needs: validating with it removed from a copy breaks."""
    from kg.rdf.loading import load_file, new_dataset

    ds = new_dataset()
    load_file(ds, EXAMPLES / "MeasurementShape.valid.trig")
    load_file(ds, ROOT / "ontology" / "kg.ttl", graph=ONTOLOGY_GRAPH)
    assert validate(ds).conforms


def test_shapes_can_be_a_file_or_a_graph():
    ds = load_files([EXAMPLES / "SubParkShape.invalid.trig"])
    only_subparks = Graph().parse(EXAMPLES.parent.parent / "ontology" / "shapes.ttl")
    by_path = validate(ds, shapes=ROOT / "ontology" / "shapes.ttl")
    by_graph = validate(ds, shapes=only_subparks)
    assert [(r.shape, r.focus) for r in by_path.results] == [(r.shape, r.focus) for r in by_graph.results]
    assert by_path.violations == 2


def test_unknown_reasoning_mode_is_a_usage_error(project_dataset):
    from kg.errors import UsageError

    with pytest.raises(UsageError, match="unknown reasoning mode 'magic'"):
        validate(project_dataset, reasoning="magic")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ex:S a sh:NodeShape ; sh:targetClass kg:Place ; sh:property [ sh:minCount 1 ] .", "cannot use these shapes"),
        (
            'ex:S a sh:NodeShape ; sh:targetClass kg:Place ; sh:sparql [ sh:select "SELECT $this WHERE { $this ?p }" ] .',
            "SPARQL constraint:5:22: SPARQL syntax error",
        ),
        (
            'ex:S a sh:NodeShape ; sh:targetClass kg:Place ; sh:sparql [ sh:select "SELECT $this WHERE { $this foo:p ?o }" ] .',
            "SPARQL constraint:5:28: unknown prefix 'foo:'",
        ),
    ],
    ids=["property-shape-without-path", "sparql-syntax", "sparql-unknown-prefix"],
)
def test_unusable_shapes_are_an_input_error(tmp_path, text, message):
    shapes = tmp_path / "shapes.ttl"
    prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix kg: <https://w3id.org/kg/ont#> .\n@prefix ex: <http://example.org/> .\n"
    shapes.write_text(prefixes + text + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"{shapes}: {message}")):
        validate(load_files([EXAMPLES / "PlaceShape.valid.trig"]), shapes=shapes)


def test_passes_depends_on_strictness(project_report):
    assert project_report.passes() is True
    assert project_report.passes(strict=True) is False  # the project keeps one known warning
    assert project_report.counts == {"Violation": 0, "Warning": len(KNOWN_WARNINGS), "Info": project_report.infos}


def test_results_of_an_entity_name_it_by_label_and_class():
    report = validate(load_files([EXAMPLES / "SubParkShape.invalid.trig"]))
    labels = {(r.focus_label, r.focus_class) for r in report.results}
    assert labels == {("First Sub-park", "Sub-park"), ("Second Sub-park", "Sub-park")}
    (no_park,) = [r for r in report.results if r.focus_label == "Second Sub-park"]
    assert no_park.path == "kg:subParkOf" and no_park.constraint == "MinCountConstraintComponent"
    assert [s.title for s in no_park.sources] == ["Example article"]


# ---------------------------------------------------------------- rendering


def test_text_report_groups_by_focus_and_ends_with_counts():
    report = validate(load_files([EXAMPLES / "MeasurementValueShape.invalid.trig"]))
    text = render_text(report)
    assert text.endswith("5 violations, 1 warning, 0 infos: does not conform\n")
    headers = [line for line in text.splitlines() if line and not line.startswith(" ")][:-1]
    assert len(headers) == len({r.focus for r in report.results}) == 6
    assert "Example Park: share of employees back at work, 2020 (120 percent) (Measurement)" in headers
    assert "    kg:value = 120.0" in text.splitlines()


def test_json_report_carries_every_result():
    report = validate(load_files([EXAMPLES / "PartNotExceedingWholeShape.invalid.trig"]))
    doc = json.loads(render_json(report))
    assert doc["conforms"] is False and doc["passes"] is True  # SHACL 1.0 §3.6.1: any result
    assert doc["counts"] == {"Violation": 0, "Warning": 1, "Info": 0}
    (result,) = doc["results"]
    assert result["shape"] == "shapes:PartNotExceedingWholeShape"
    assert [s["evidence"] for s in result["sources"]] == [
        "The sentence of the article that states of which 140 billion.",
        "The sentence of the article that states investment of 67 billion yuan.",
    ]


def test_turtle_report_is_the_shacl_report_graph_and_deterministic():
    ds = load_files([EXAMPLES / "AwardShape.invalid.trig"])
    report = validate(ds)
    first = render_turtle(report)
    assert render_turtle(validate(ds)) == first
    parsed = Graph().parse(data=first, format="turtle")
    assert isomorphic(parsed, report.graph)
    assert len(list(parsed.subjects(None, SH.ValidationResult))) == 4


# ---------------------------------------------------------------- input checks


@pytest.mark.parametrize(
    ("lexical", "datatype", "bad"),
    [
        ("abc", XSD.integer, True),
        ("1_000", XSD.integer, True),
        ("-12", XSD.integer, False),
        ("1,5", XSD.decimal, True),
        ("79140000000.0", XSD.decimal, False),
        ("1e5", XSD.decimal, True),
        ("20x6", XSD.gYear, True),
        ("2006", XSD.gYear, False),
        ("2021-13-01", XSD.date, True),
        ("2021-12-07", XSD.date, False),
        ("yes", XSD.boolean, True),
        ("anything", XSD.string, False),
    ],
)
def test_is_ill_typed(lexical, datatype, bad):
    from kg.rdf.loading import literals_as_written

    with quiet_literal_warnings(), literals_as_written():  # as the loader builds them
        lit = Literal(lexical, datatype=datatype)
    assert is_ill_typed(lit) is bad


def test_quiet_literal_warnings_drops_rdflibs_traceback(caplog):
    with caplog.at_level(logging.WARNING), quiet_literal_warnings():
        Literal("abc", datatype=XSD.integer)
    assert not [r for r in caplog.records if "Failed to convert" in r.getMessage()]


def test_locate_skips_comments(tmp_path):
    f = tmp_path / "x.ttl"
    f.write_text('# "7x"^^xsd:integer in a comment\n<a:b> <a:c> "7x"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    with quiet_literal_warnings():
        where = locate(Literal("7x", datatype=XSD.integer), [f])
    assert where is not None and (where.line, where.column) == (2, 13)


# ---------------------------------------------------------------- the command


def _expectations(path: Path) -> tuple[int, str]:
    text = path.read_text(encoding="utf-8")
    line = re.search(r"^# expect-line: (\d+)$", text, re.M)
    message = re.search(r"^# expect-message: (.+)$", text, re.M)
    assert line and message, f"{path.name} lacks its expect-line / expect-message header"
    return int(line.group(1)), message.group(1)


def test_malformed_cases_are_discovered():
    assert len(MALFORMED) >= 4


@pytest.mark.parametrize("path", MALFORMED, ids=[p.name for p in MALFORMED])
def test_malformed_input_is_one_line_naming_file_and_line(runner, path):
    line, message = _expectations(path)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert re.fullmatch(rf"Error: {re.escape(str(path))}:{line}(:\d+)?: .*{re.escape(message)}.*\n", result.stderr)


def test_missing_file(runner, tmp_path):
    missing = tmp_path / "nowhere.ttl"
    result = runner.invoke(main, ["validate", str(missing)])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {missing}: no such file\n")


def test_missing_shapes_file(runner, tmp_path):
    missing = tmp_path / "shapes.ttl"
    result = runner.invoke(main, ["validate", "--shapes", str(missing), str(EXAMPLES / "PlaceShape.valid.trig")])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {missing}: no such file\n")


@pytest.mark.parametrize("args", [["--reasoning", "magic"], ["--format", "yaml"], ["--no-such-option"]])
def test_usage_errors_exit_2(runner, args):
    result = runner.invoke(main, ["validate", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Error:" in result.stderr


def test_conforming_data_exits_0(runner):
    result = runner.invoke(main, ["validate", str(EXAMPLES / "PartNotExceedingWholeShape.invalid.trig")])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.endswith("0 violations, 1 warning, 0 infos: passes (no violation), with notes to read\n")
    assert "Example Park: investment put into production, 2017 (of which 140 billion) (Measurement)" in result.stdout


def test_strict_fails_on_warnings(runner):
    result = runner.invoke(main, ["validate", "--strict", str(EXAMPLES / "PartNotExceedingWholeShape.invalid.trig")])
    assert result.exit_code == 3
    assert result.stdout.endswith("0 violations, 1 warning, 0 infos: fails with --strict (warnings count)\n")
    assert result.stderr == (
        "Error: the data does not pass validation (warnings count as failures with --strict): "
        "0 violations, 1 warning, 0 infos\n"
    )


def test_violations_exit_3(runner):
    result = runner.invoke(main, ["validate", str(EXAMPLES / "MembershipShape.invalid.trig")])
    assert result.exit_code == 3
    assert result.stdout.endswith("3 violations, 0 warnings, 0 infos: does not conform\n")
    assert result.stderr.startswith("Error: the data does not pass validation (violations found)")


def test_several_files_are_validated_together(runner):
    """A figure in one file and its article in another: one dataset, cross-file rules apply."""
    result = runner.invoke(
        main,
        ["validate", "--format", "json", str(EXAMPLES / "PersonShape.invalid.trig"), str(EXAMPLES / "SubParkShape.invalid.trig")],
    )
    doc = json.loads(result.stdout)
    assert result.exit_code == 3
    assert {r["shape"] for r in doc["results"]} == {"shapes:PersonShape", "shapes:SubParkShape"}


def test_turtle_format(runner):
    result = runner.invoke(main, ["validate", "--format", "turtle", str(EXAMPLES / "EventShape.invalid.trig")])
    assert result.exit_code == 3
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(list(graph.subjects(None, SH.ValidationResult))) == 4


def test_help_documents_exit_codes(runner):
    result = runner.invoke(main, ["validate", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for code in ("0 the data passes", "3 a violation", "1 unusable input", "2 usage error"):
        assert code in text
    assert "Example: kg validate --format json" in result.stdout


def test_docstring_example_runs(runner):
    result = runner.invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["conforms"] is False and doc["passes"] is True
    assert {(r["shape"], r["focus"]) for r in doc["results"] if r["severity"] == "Warning"} == KNOWN_WARNINGS


def test_installed_kg_validates_the_project(run_kg):
    proc = run_kg("validate")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert re.search(r"\n0 violations, 1 warning, \d+ infos?: passes\ \(no\ violation\),\ with\ notes\ to\ read\n$", proc.stdout)


def test_installed_kg_strict_exits_3(run_kg):
    proc = run_kg("validate", "--strict")
    assert proc.returncode == 3
    assert proc.stderr.startswith("Error: the data does not pass validation")
    assert proc.stderr.count("\n") == 1


def test_installed_kg_reports_an_ill_typed_literal_without_traceback(run_kg):
    path = TESTS / "malformed" / "ill-typed-integer.ttl"
    proc = run_kg("validate", str(path))
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        f'Error: {path}:7:37: ill-typed literal "abc"^^xsd:integer: not a valid xsd:integer; '
        "write a valid value or change the datatype\n"
    )


def test_strict_also_parses_strictly(runner, tmp_path):
    """A literal as subject: rdflib reads it (and the shapes find nothing wrong); --strict refuses
    the file as the W3C Turtle grammar does, naming file, line and column."""
    bad = tmp_path / "literal-subject.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\n"hello" ex:p ex:o .\n', encoding="utf-8")
    lenient = runner.invoke(main, ["validate", str(bad)])
    assert lenient.exit_code == 0, lenient.output
    strict = runner.invoke(main, ["validate", "--strict", str(bad)])
    assert strict.exit_code == 1
    assert strict.stdout == ""
    assert strict.stderr.startswith(f"Error: {bad}:2:1: invalid Turtle (strict): ")
    assert strict.stderr.count("\n") == 1


def test_timeout_stops_a_long_validation(runner, tmp_path):
    """A SHACL-SPARQL constraint that runs for minutes (a cross product of the data with itself
    five times) is stopped at --timeout: exit 1, one line, no report."""
    shapes = tmp_path / "slow.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
        "ex:Slow a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ a sh:SPARQLConstraint ;\n"
        '  sh:select """SELECT $this WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o .\n'
        '    FILTER(STR(?c) = STR(?o) && STR(?f) = "never") }""" ] .\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", "--engine", "pyshacl", "--shapes", str(shapes), "--timeout", "2"])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert re.fullmatch(r"Error: validate: .*2(\.0)? s.*\n", result.stderr), result.stderr


def test_shapes_cannot_read_local_files_with_from(runner, tmp_path):
    """rdflib would load FROM <file:...> graphs named in a SHACL-SPARQL query; kg refuses the
    query on its parsed form (a graph the data does not hold), on either engine, in one line."""
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://example.org/s> <http://example.org/p> 'SECRET' .\n", encoding="utf-8")
    shapes = tmp_path / "from.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
        "ex:From a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ a sh:SPARQLConstraint ;\n"
        '  sh:message "read {?o}" ;\n'
        f'  sh:select """SELECT $this ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}""" ] .\n',
        encoding="utf-8",
    )
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/x> <http://example.org/p> 1 .\n", encoding="utf-8")
    for engine in ("pyshacl", "fast"):
        result = runner.invoke(main, ["validate", "--engine", engine, "--shapes", str(shapes), str(data)])
        assert "SECRET" not in result.output
        assert result.exit_code == 1, result.output
        assert f"FROM <{secret.as_uri()}> is not a loaded graph" in result.output
        assert result.output.count("\n") == 1


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_turtle_report_conforms_only_without_any_result(engine):
    """SHACL 1.0 §3.6.1: sh:conforms is true only when there is no result, of any severity."""
    from rdflib import Graph

    from kg.namespaces import SH
    from kg.validate.report import render_turtle

    for name, expected in (("PartNotExceedingWholeShape.invalid.trig", False), ("MeasurementShape.valid.trig", True)):
        report = validate(load_files([EXAMPLES / name]), engine=engine)
        graph = Graph().parse(data=render_turtle(report), format="turtle")
        assert [bool(o.toPython()) for o in graph.objects(None, SH.conforms)] == [expected], name
        assert report.passes()
