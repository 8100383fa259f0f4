"""The shapes (ontology/shapes.ttl): every shape documented and exercised by its examples.

Each named shape has tests/shapes/<Shape>.valid.trig (no result at all) and
tests/shapes/<Shape>.invalid.trig (results from that shape only, as many as its
``# expect-results: N`` header says, with the severities the shape declares).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, URIRef
from rdflib.namespace import OWL

from kg.namespaces import KG, SH, SHAPES
from kg.rdf.loading import load_files, load_shapes
from kg.validate.core import validate

TESTS = Path(__file__).resolve().parents[1]
EXAMPLES = TESTS / "shapes"
ROOT = TESTS.parent

SHAPES_GRAPH = load_shapes()


def named_shapes(graph: Graph) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef) and s.startswith(str(SHAPES)))


NAMED = named_shapes(SHAPES_GRAPH)
NAMES = [str(s)[len(str(SHAPES)) :] for s in NAMED]


def subtree(graph: Graph, shape: URIRef) -> list:
    """The shape and every property shape, nested shape and SPARQL constraint under it."""
    found, todo = [], [shape]
    while todo:
        node = todo.pop()
        found.append(node)
        for prop in (SH.property, SH.sparql):
            todo.extend(graph.objects(node, prop))
    return found


def declared_severities(graph: Graph, shape: URIRef) -> set[str]:
    return {str(o).rsplit("#", 1)[1] for n in subtree(graph, shape) for o in graph.objects(n, SH.severity)}


def expected_count(path: Path) -> int:
    match = re.search(r"^# expect-results: (\d+)$", path.read_text(encoding="utf-8"), re.M)
    assert match, f"{path.name} lacks a '# expect-results: N' header"
    return int(match.group(1))


def test_shapes_are_discovered():
    assert len(NAMED) >= 20


@pytest.mark.parametrize("shape", NAMED, ids=NAMES)
def test_every_shape_has_message_and_severity(shape):
    for node in subtree(SHAPES_GRAPH, shape):
        if (node, RDF.type, SH.SPARQLConstraint) in SHAPES_GRAPH:
            owners = set(SHAPES_GRAPH.subjects(SH.sparql, node))
            assert any((n, SH.message, None) in SHAPES_GRAPH for n in {node, *owners}), (
                f"a SPARQL constraint of {shape} has no sh:message (nor has its shape)"
            )
            continue
        assert (node, SH.message, None) in SHAPES_GRAPH, f"{node} (in {shape}) has no sh:message"
        assert (node, SH.severity, None) in SHAPES_GRAPH, f"{node} (in {shape}) has no sh:severity"


@pytest.mark.parametrize("shape", NAMED, ids=NAMES)
def test_every_shape_is_labelled(shape):
    assert (shape, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None) in SHAPES_GRAPH
    assert (shape, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"), None) in SHAPES_GRAPH


def test_every_example_file_belongs_to_a_shape():
    files = sorted(EXAMPLES.glob("*.trig"))
    assert files
    expected = {f"{n}.{kind}.trig" for n in NAMES for kind in ("valid", "invalid")}
    assert {f.name for f in files} == expected


@pytest.mark.parametrize("name", NAMES)
def test_valid_example_has_no_result(name):
    report = validate(load_files([EXAMPLES / f"{name}.valid.trig"]), shapes=SHAPES_GRAPH)
    assert [(r.shape, r.focus, r.path, r.message) for r in report.results] == []
    assert report.conforms


@pytest.mark.parametrize("name", NAMES)
def test_invalid_example_fails_only_its_shape(name):
    path = EXAMPLES / f"{name}.invalid.trig"
    shape = SHAPES[name]
    report = validate(load_files([path]), shapes=SHAPES_GRAPH)
    assert {r.shape for r in report.results} == {f"shapes:{name}"}
    assert len(report.results) == expected_count(path)
    assert {r.severity for r in report.results} <= declared_severities(SHAPES_GRAPH, shape)
    assert all(r.message for r in report.results)
    if "Violation" in {r.severity for r in report.results}:
        assert not report.conforms


def _instantiated_classes(dataset) -> set[URIRef]:
    from kg.rdf.loading import ONTOLOGY_GRAPH

    classes = set()
    for s, _p, c, g in dataset.quads((None, RDF.type, None, None)):
        if g != ONTOLOGY_GRAPH and isinstance(c, URIRef) and c.startswith(str(KG)):
            classes.add(c)
    return classes


def test_a_node_shape_targets_every_class_the_data_uses(project_dataset):
    """Every class the sources' data instantiates (kg:DerivedGraph types the graph kg itself
    derives, the containment closure: no source states it, so no shape checks it)."""
    targeted = set(SHAPES_GRAPH.objects(None, SH.targetClass))
    used = _instantiated_classes(project_dataset) - {KG.DerivedGraph}
    assert used, "the project's data instantiates no class"
    sub_class_of = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    uncovered = sorted(
        c for c in used if not set(project_dataset.transitive_objects(c, sub_class_of)) & targeted
    )
    assert uncovered == []


def test_every_object_property_has_a_class_constraint(project_dataset):
    """sh:class (or an sh:or of classes, or a SPARQL class check) on every kg: object property
    the ontology declares, except kg:contains, which is only ever derived by reasoning, and
    those only kg derives (kg:within, the containment closure, from checked kg:locatedIn; the
    territory changes, from it and the gazetteer)."""
    from kg.rdf.containment import DERIVED_PROPERTIES
    from kg.rdf.loading import ONTOLOGY_GRAPH

    ontology = project_dataset.graph(ONTOLOGY_GRAPH)
    declared = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if p.startswith(str(KG))}
    assert declared
    checked = set()
    for prop_shape in SHAPES_GRAPH.objects(SHAPES.ObjectPropertyRangeShape, SH.property):
        if any((prop_shape, p, None) in SHAPES_GRAPH for p in (SH["class"], SH["or"], SH.sparql)):
            checked.update(SHAPES_GRAPH.objects(prop_shape, SH.path))
    assert KG.within in DERIVED_PROPERTIES
    assert sorted(declared - checked - {KG.contains, *DERIVED_PROPERTIES}) == []


def test_property_shapes_of_the_range_shape_target_their_own_property():
    """Each property shape is evaluated only on the subjects of its property (speed)."""
    for prop_shape in SHAPES_GRAPH.objects(SHAPES.ObjectPropertyRangeShape, SH.property):
        assert isinstance(prop_shape, BNode)
        assert set(SHAPES_GRAPH.objects(prop_shape, SH.targetSubjectsOf)) == set(SHAPES_GRAPH.objects(prop_shape, SH.path))
