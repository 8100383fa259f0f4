"""kg.export.registry (the registry and what goes out) and the ``kg export`` command."""

from __future__ import annotations

import io
import json
import re
import shlex
from pathlib import Path

import pytest
from rdflib import URIRef

from tests.export.support import SAMPLE, reparse, same_content
from kg.export import registry as export_mod
from kg.cli import main
from kg.cli.export import UNION_NOTE
from kg.errors import UsageError
from kg.export.registry import FORMATS, PARTS, ExportRequest, Format, article_files, parts_of, select
from kg.rdf.terms import ExportData
from kg.namespaces import GRAPH
from kg.rdf.reasoning import INFERRED_GRAPH
from kg.rdf.loading import ONTOLOGY_GRAPH, SHAPES_GRAPH

TESTS = Path(__file__).resolve().parents[1]
BAOTOU = "baotou-equipment-park-2017"


def _graph_names(ds) -> set[URIRef]:  # type: ignore[no-untyped-def]
    return {g.identifier for g in ds.graphs() if len(g)}


# --- the registry -----------------------------------------------------------------------


def test_registry_lists_every_format_of_the_issue():
    assert set(FORMATS) == {"turtle", "nt", "nquads", "trig", "jsonld", "xml", "graphml", "gexf", "csv"}


@pytest.mark.parametrize("name", list(FORMATS))
def test_each_writer_is_imported_on_demand(name: str):
    f = FORMATS[name]
    assert f.kind in ("rdf", "network")
    assert callable(f.writer())
    assert f.summary


def test_unknown_format_is_a_usage_error_listing_the_formats():
    with pytest.raises(UsageError, match=r"unknown export format 'owl' \(choose from: turtle, nt, .*csv\)"):
        export_mod.format_of("owl")


# --- what goes out ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "parts"),
    [
        (ExportRequest(fmt="turtle"), ("ontology", "data", "reference")),
        (ExportRequest(fmt="graphml"), ("data", "reference")),
        (ExportRequest(fmt="turtle", inputs=("x.ttl",)), ("data",)),
        (ExportRequest(fmt="csv", articles=(BAOTOU,)), ("data",)),
        (ExportRequest(include=("shapes", "ontology")), ("ontology", "shapes")),
        (ExportRequest(include=("inferred",), articles=(BAOTOU,)), ("inferred",)),
    ],
)
def test_parts_defaults_and_order(request_: ExportRequest, parts: tuple[str, ...]):
    assert parts_of(request_) == parts


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (ExportRequest(include=("everything",)), r"unknown part 'everything'"),
        (ExportRequest(include=("ontology",), articles=(BAOTOU,)), r"add data \(or inferred\)"),
        (ExportRequest(inputs=("x.ttl",), articles=(BAOTOU,)), r"cannot be used with input files"),
    ],
)
def test_bad_part_choices_are_usage_errors(request_: ExportRequest, message: str):
    with pytest.raises(UsageError, match=message):
        parts_of(request_)


def test_article_by_slug_stem_or_graph_name():
    files = article_files(())
    assert files, "the project has article graphs"
    one = [f for f in files if f.stem.endswith(BAOTOU)]
    assert article_files((BAOTOU,)) == one
    assert article_files((one[0].stem,)) == one
    assert article_files((f"graph:{BAOTOU}",)) == one


def test_unknown_article_lists_the_known_ones():
    with pytest.raises(UsageError, match=rf"no article 'atlantis' \(known: .*{BAOTOU}"):
        article_files(("atlantis",))


def test_one_article_exports_only_its_graph():
    ds = select(ExportRequest(fmt="trig", articles=(BAOTOU,), include=("data",)))
    assert _graph_names(ds) == {GRAPH[BAOTOU]}


def test_default_rdf_export_has_ontology_every_article_and_reference():
    names = _graph_names(select(ExportRequest(fmt="trig")))
    assert ONTOLOGY_GRAPH in names
    assert {GRAPH[f.stem.split("-", 1)[1]] for f in article_files(())} <= names


def test_shapes_go_to_their_own_graph(tmp_path: Path, monkeypatch):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<https://w3id.org/kg/shapes#S> a sh:NodeShape .\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("kg.paths.shapes_file", lambda: shapes)
    ds = select(ExportRequest(include=("shapes",)))
    assert _graph_names(ds) == {SHAPES_GRAPH}
    assert len(ds.graph(SHAPES_GRAPH)) == 1


def test_inferred_triples_are_entailed_and_not_asserted():
    ds = select(ExportRequest(include=("data", "inferred"), articles=(BAOTOU,)))
    inferred = set(ds.graph(INFERRED_GRAPH))
    asserted = set(ds.graph(GRAPH[BAOTOU]))
    assert inferred and not inferred & asserted
    # the article says Baotou is a prefecture-level city; the ontology makes that a place
    baotou = URIRef("https://w3id.org/kg/id/place/baotou")
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert (baotou, rdf_type, URIRef("https://w3id.org/kg/ont#Place")) in inferred


def test_input_files_replace_the_project_data():
    ds = select(ExportRequest(inputs=(str(SAMPLE),)))
    assert _graph_names(ds) == {GRAPH["sample-a"], GRAPH["sample-b"], URIRef("urn:x-rdflib:default")}


# --- files are written atomically -------------------------------------------------------


def _failing_format(monkeypatch, exc: BaseException) -> None:
    """Make the turtle writer write half its output, then fail."""

    def half_then_fail(data, out, **_):  # type: ignore[no-untyped-def]
        out.write(b"@prefix kg: <https://w3id.org/kg/ont#> .\n")
        raise exc

    monkeypatch.setattr(Format, "writer", lambda self: half_then_fail)


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt()])
def test_a_failing_writer_leaves_the_existing_file_untouched(exc: BaseException, tmp_path: Path, monkeypatch):
    target = tmp_path / "kg.ttl"
    target.write_text("previous export\n", encoding="utf-8")
    _failing_format(monkeypatch, exc)
    with pytest.raises(type(exc)):
        export_mod.export(ExportRequest(inputs=(str(SAMPLE),)), target, io.BytesIO())
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.ttl"]


def test_a_failing_writer_leaves_no_new_file(tmp_path: Path, monkeypatch):
    _failing_format(monkeypatch, RuntimeError("boom"))
    with pytest.raises(RuntimeError):
        export_mod.export(ExportRequest(inputs=(str(SAMPLE),)), tmp_path / "new.ttl", io.BytesIO())
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_in_the_cli_exits_130_and_keeps_the_file(runner, tmp_path: Path, monkeypatch):
    target = tmp_path / "kg.ttl"
    target.write_text("previous export\n", encoding="utf-8")
    _failing_format(monkeypatch, KeyboardInterrupt())
    result = runner.invoke(main, ["export", str(SAMPLE), "-o", str(target)])
    assert result.exit_code == 130
    assert "Interrupted." in result.stderr
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.ttl"]


def test_csv_pair_failing_midway_leaves_neither_file(tmp_path: Path, monkeypatch):
    def nodes_then_fail(data, outs, **_):  # type: ignore[no-untyped-def]
        outs["nodes.csv"].write(b"iri:ID\n")
        raise RuntimeError("boom")

    monkeypatch.setattr(Format, "writer", lambda self: nodes_then_fail)
    with pytest.raises(RuntimeError):
        export_mod.export(ExportRequest(fmt="csv", inputs=(str(SAMPLE),)), tmp_path / "out", io.BytesIO())
    assert not any((tmp_path / "out").iterdir())


# --- the command --------------------------------------------------------------------------


def test_default_is_turtle_on_stdout(runner):
    result = runner.invoke(main, ["export", str(SAMPLE)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == UNION_NOTE.format(fmt="turtle") + "\n"  # the only line on stderr
    assert result.stdout.startswith("@prefix ")
    assert "place:baotou a kg:PrefectureLevelCity" in result.stdout


@pytest.mark.parametrize("fmt", [name for name, f in FORMATS.items() if f.kind == "rdf"])
def test_cli_writes_each_rdf_format_to_a_file(fmt: str, runner, tmp_path: Path):
    target = tmp_path / f"out{FORMATS[fmt].suffix}"
    result = runner.invoke(main, ["export", str(SAMPLE), "--format", fmt, "--output", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    wrote, *note = result.stderr.splitlines()
    assert re.fullmatch(rf"Wrote \d+ (triples|quads in 2 named graphs) \(data\) to {re.escape(str(target))}", wrote)
    # without named graphs, a note says that the provenance shapes will not find their graphs
    assert note == ([] if FORMATS[fmt].graphs else [UNION_NOTE.format(fmt=fmt)])
    sample = ExportData.from_dataset(select(ExportRequest(inputs=(str(SAMPLE),))))
    assert same_content(fmt, sample, reparse(target))


def test_cli_csv_writes_the_pair_into_a_directory(runner, tmp_path: Path):
    result = runner.invoke(main, ["export", "-f", "csv", "-a", BAOTOU, "-o", str(tmp_path / "neo4j")])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "neo4j").iterdir()) == ["edges.csv", "nodes.csv"]
    nodes = (tmp_path / "neo4j" / "nodes.csv").read_text(encoding="utf-8")
    assert "https://w3id.org/kg/id/place/baotou," in nodes


def test_include_takes_commas_and_repeats(runner):
    result = runner.invoke(main, ["export", "-f", "nquads", "-a", BAOTOU, "--include", "data,reference", "-i", "ontology"])
    assert result.exit_code == 0, result.stderr
    graphs = {line.rsplit(" ", 2)[-2] for line in result.stdout.splitlines()}
    assert f"<{ONTOLOGY_GRAPH}>" in graphs and f"<{GRAPH[BAOTOU]}>" in graphs


USAGE_ERRORS = [
    (["-f", "owl"], r"'owl' is not one of 'turtle', 'nt', 'nquads', 'trig', 'jsonld', 'xml', 'graphml', 'gexf', 'csv'"),
    (["--include", "data,everything"], r"'everything' is not one of ontology, shapes, data, reference, inferred"),
    (["-a", "atlantis"], r"Error: no article 'atlantis' \(known: "),
    (["-a", BAOTOU, "-i", "ontology"], r"Error: --article chooses among the articles' graphs"),
    (["-f", "csv"], r"Error: --format csv writes two files \(nodes.csv and edges.csv\): give --output DIRECTORY"),
    (["--reasoning", "magic"], r"'magic' is not one of 'rdfs', 'owlrl'"),
]


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS)
def test_usage_errors_exit_2(args: list[str], message: str, runner):
    result = runner.invoke(main, ["export", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert re.search(message, result.stderr), result.stderr


def test_output_that_is_a_directory_is_a_usage_error(runner, tmp_path: Path):
    result = runner.invoke(main, ["export", str(SAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert f"Error: {tmp_path}: is a directory; give a file name for --output" in result.stderr


def test_csv_output_that_is_a_file_is_a_usage_error(runner, tmp_path: Path):
    f = tmp_path / "nodes.csv"
    f.write_text("x\n", encoding="utf-8")
    result = runner.invoke(main, ["export", str(SAMPLE), "-f", "csv", "-o", str(f)])
    assert result.exit_code == 2
    assert "needs a directory for --output, not a file" in result.stderr
    assert f.read_text(encoding="utf-8") == "x\n"


def test_missing_input_is_a_one_line_error(runner, tmp_path: Path):
    result = runner.invoke(main, ["export", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {tmp_path / 'nope.ttl'}: no such file\n"


def test_what_a_format_cannot_hold_is_an_error_exit_1(runner, tmp_path: Path):
    f = tmp_path / "bad.nt"
    f.write_text("<http://example.org/s> <http://example.org/123> \"x\" .\n", encoding="utf-8")
    result = runner.invoke(main, ["export", str(f), "-f", "xml", "-o", str(tmp_path / "out.rdf")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: RDF/XML cannot write the property <http://example.org/123>")
    assert not (tmp_path / "out.rdf").exists()


def test_help_names_every_format_part_and_an_example(runner):
    result = runner.invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for name in [*FORMATS, *PARTS]:
        assert name in text
    assert "Example: kg export " in text


def test_docstring_example_runs(run_kg, tmp_path: Path):
    from kg.cli.export import export

    example = re.search(r"Example: (kg export .*)", export.help or "")
    assert example
    args = shlex.split(example.group(1))[1:]
    result = run_kg(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    written = tmp_path / args[args.index("--output") + 1]
    ds_graphs = {line for line in written.read_text(encoding="utf-8").splitlines() if line.endswith("{")}
    assert ds_graphs == {f"graph:{BAOTOU} {{"}
    assert result.stderr.startswith("Wrote ")


def test_jsonld_subprocess_output_is_json(run_kg):
    result = run_kg("export", "-f", "jsonld", "-a", BAOTOU)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert [g["@id"] for g in doc["@graph"] if "@graph" in g] == [f"graph:{BAOTOU}"]
