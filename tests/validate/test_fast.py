"""The fast SHACL engine gives pyshacl's results: on the project's data, on every invalid example of
the shapes, and on the W3C SHACL core test suite (with the exceptions listed and explained)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, URIRef

from kg.errors import InputError, UsageError
from kg.namespaces import SH
from kg.rdf.loading import load_files
from kg.validate.core import _run_pyshacl, validate
from kg.validate.engines import choose_engine
from kg.validate.fast import fast_report, unsupported
from kg.validate.sparql import sparql_path
from kg.validate.report import render

TESTS = Path(__file__).resolve().parents[1]
SHAPE_EXAMPLES = sorted((TESTS / "shapes").glob("*.invalid.trig"))
#: The W3C SHACL test suite, where tests/test_w3c_syntax.py finds the other W3C suites
#: (../shared/w3c, or the folder named by KG_W3C_TESTS); without it those tests are skipped.
W3C_CORE = Path(os.environ.get("KG_W3C_TESTS") or TESTS.parent.parent / "shared" / "w3c") / "shacl" / "tests" / "core"
W3C_FILES = sorted(p for p in W3C_CORE.rglob("*.ttl") if p.name != "manifest.ttl")
W3C_MISSING = f"the W3C SHACL core tests are not at {W3C_CORE} (set KG_W3C_TESTS to the W3C suites' folder)"

#: W3C core tests where the two engines disagree, and why. Each stays listed only while it
#: still differs (the test fails when an exception goes away, so the list stays true).
W3C_EXCEPTIONS = {
    "property/nodeKind-001.ttl": "sh:nodeKind on blank-node values: blank nodes are IRIs to the fast engine",
    "node/minLength-001.ttl": "sh:minLength on a blank node: blank nodes are IRIs to the fast engine",
    "path/path-strange-001.ttl": "a path node that is both a list and an inverse path (ill-formed): "
    "the engines read it differently",
    "path/path-strange-002.ttl": "as path-strange-001",
    "node/node-001.ttl": "results of a nested sh:node shape: pyshacl also reports the nested result",
    "property/node-001.ttl": "as node/node-001 (nested sh:node on a property shape)",
    "property/node-002.ttl": "as node/node-001",
    "property/or-datatypes-001.ttl": "sh:or of sh:datatype alternatives: the shacl package accepts an "
    "ill-typed boolean",
}


def result_keys(report: Graph) -> Counter:
    """(focus, path, value, severity, source shape, component) of each result, as a multiset."""
    keys: Counter = Counter()
    for r in report.subjects(RDF.type, SH.ValidationResult):

        def one(p: URIRef):  # type: ignore[no-untyped-def]
            return next(iter(report.objects(r, p)), None)

        path = one(SH.resultPath)
        keys[(one(SH.focusNode), sparql_path(report, path) if path is not None else None, one(SH.value),
              one(SH.resultSeverity), one(SH.sourceShape), one(SH.sourceConstraintComponent))] += 1  # fmt: skip
    return keys


def same_results(data: Dataset, shapes: str | None = None) -> tuple:
    reference = validate(data, shapes=shapes, engine="pyshacl")
    fast = validate(data, shapes=shapes, engine="fast")
    assert fast.results == reference.results
    assert fast.counts == reference.counts and fast.conforms == reference.conforms
    return reference, fast


def test_project_data_same_report(project_dataset):
    reference, fast = same_results(project_dataset)
    for fmt in ("text", "json"):
        assert render(fast, fmt) == render(reference, fmt)


def test_shape_examples_are_discovered():
    assert len(SHAPE_EXAMPLES) >= 20


@pytest.mark.parametrize("example", SHAPE_EXAMPLES, ids=[p.name for p in SHAPE_EXAMPLES])
def test_invalid_example_same_results(example):
    reference, _ = same_results(load_files([example]))
    assert reference.results, "an invalid example breaks its shape"


def test_w3c_core_tests_are_discovered():
    if not W3C_CORE.is_dir():
        pytest.skip(W3C_MISSING)
    assert len(W3C_FILES) > 100
    assert set(W3C_EXCEPTIONS) <= {str(p.relative_to(W3C_CORE)) for p in W3C_FILES}


def w3c_reports(path: Path) -> list:
    graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
    data = Dataset(default_union=True)
    for t in graph:
        data.graph(URIRef("urn:kg:test")).add(t)
    outcomes = []
    for engine in (_run_pyshacl, fast_report):
        try:
            outcomes.append(result_keys(engine(data, graph, path.name)))
        except InputError as exc:
            outcomes.append(f"error: {exc.message}")
    return outcomes


@pytest.mark.filterwarnings("ignore")  # rdflib warns about the suite's deliberately ill-typed literals
@pytest.mark.parametrize(
    "path",
    W3C_FILES or [pytest.param(None, marks=pytest.mark.skip(reason=W3C_MISSING), id="missing")],
    ids=[str(p.relative_to(W3C_CORE)) for p in W3C_FILES] or None,
)
def test_w3c_core_same_results(path):
    reference, fast = w3c_reports(path)
    name = str(path.relative_to(W3C_CORE))
    if name in W3C_EXCEPTIONS:
        assert fast != reference, f"{name} now agrees: drop it from W3C_EXCEPTIONS"
    else:
        assert fast == reference


def test_auto_uses_pyshacl_where_the_engines_may_differ(project_dataset):
    from rdflib import BNode, Literal
    from rdflib.namespace import XSD

    from kg.rdf.loading import load_shapes

    shapes = load_shapes()
    assert choose_engine("auto", project_dataset, shapes) == "fast"  # nothing where they differ
    assert choose_engine("pyshacl", project_dataset, shapes) == "pyshacl"
    assert choose_engine("fast", project_dataset, shapes) == "fast"
    for odd in [(BNode(), URIRef("urn:p"), Literal(1)), (URIRef("urn:s"), URIRef("urn:p"), Literal("x", datatype=XSD.boolean))]:
        data = Dataset()
        data.add(odd)
        assert choose_engine("auto", data, shapes) == "pyshacl", odd
    nested = Graph() + shapes
    nested.add((URIRef("urn:shape"), SH.node, URIRef("urn:other")))
    assert choose_engine("auto", project_dataset, nested) == "pyshacl"
    with pytest.raises(UsageError, match="--engine 'jena': choose from: auto, pyshacl, fast"):
        choose_engine("jena", project_dataset, shapes)
    rule = Graph()
    rule.add((URIRef("urn:s"), SH.rule, URIRef("urn:r")))
    assert unsupported(rule) == "SHACL rules"
    assert unsupported(shapes) is None


NESTED = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
ex:Outer a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:Inner .
ex:Inner a sh:NodeShape ; sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?x }" ] .
"""


def test_fast_engine_refuses_what_it_cannot_do(tmp_path):
    shapes = tmp_path / "nested.ttl"
    shapes.write_text(NESTED, encoding="utf-8")
    data = load_files([TESTS / "shapes" / "PersonShape.valid.trig"])
    with pytest.raises(InputError, match="the fast engine does not support SHACL-SPARQL constraints inside sh:node"):
        validate(data, shapes=str(shapes), engine="fast")


def test_cli_engines_print_the_same_report(runner):
    from kg.cli import main

    outputs = [runner.invoke(main, ["validate", "--format", "json", "--engine", e]) for e in ("pyshacl", "fast")]
    assert [o.exit_code for o in outputs] == [0, 0]
    assert outputs[0].stdout == outputs[1].stdout and outputs[1].stderr == ""
    invalid = str(TESTS / "shapes" / "MeasurementValueShape.invalid.trig")
    outputs = [runner.invoke(main, ["validate", invalid, "--engine", e]) for e in ("pyshacl", "fast")]
    assert [o.exit_code for o in outputs] == [3, 3]
    assert outputs[0].stdout == outputs[1].stdout
    res = runner.invoke(main, ["validate", "--engine", "jena"])
    assert res.exit_code == 2 and "'jena' is not one of 'auto', 'pyshacl', 'fast'" in res.stderr
