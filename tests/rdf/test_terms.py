"""kg.rdf.terms: canonical blank nodes, the order of terms, what is not RDF, escapes."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD

from kg.rdf.terms import ExportData, ExportError, Prefixer, iri_ref, quote_short, quote_turtle

EX = "http://example.org/"
P, Q = URIRef(EX + "p"), URIRef(EX + "q")
G1, G2 = URIRef(EX + "g1"), URIRef(EX + "g2")


def test_blank_node_labels_depend_only_on_the_graph_shape():
    a, b = BNode("whatever"), BNode("other")
    first = ExportData.from_quads([(a, P, b, G1), (b, Q, Literal("x"), G1)])
    c, d = BNode("zzz"), BNode("aaa")
    second = ExportData.from_quads([(d, Q, Literal("x"), G1), (c, P, d, G1)])
    assert first.quads == second.quads
    labels = {str(t) for q in first.quads for t in q if isinstance(t, BNode)}
    assert labels == {"c14n0", "c14n1"}


def test_a_blank_node_shared_by_two_graphs_stays_one_node():
    shared = BNode("s")
    data = ExportData.from_quads([(URIRef(EX + "a"), P, shared, G1), (URIRef(EX + "b"), P, shared, G2)])
    objects = {q[2] for q in data.quads}
    assert len(objects) == 1


def test_blank_node_graph_names_are_canonical_too():
    g = BNode("graph")
    data = ExportData.from_quads([(URIRef(EX + "a"), P, Literal("x"), g)])
    assert str(data.quads[0][3]) == "c14n0"


def test_plain_and_explicit_xsd_string_stay_two_literals_through_canonicalisation():
    b = BNode()
    data = ExportData.from_quads([(b, P, Literal("x"), None), (b, P, Literal("x", datatype=XSD.string), None)])
    assert sorted(str(q[2].datatype) for q in data.quads) == ["None", str(XSD.string)]


def test_graphs_default_first_then_by_name():
    data = ExportData.from_quads(
        [(URIRef(EX + "a"), P, Literal("1"), G2), (URIRef(EX + "a"), P, Literal("1"), None), (URIRef(EX + "a"), P, Literal("1"), G1)]
    )
    assert list(data.graphs) == [None, G1, G2]
    assert len(data.triples) == 1


@pytest.mark.parametrize(
    "quad",
    [
        (Literal("s"), P, Literal("o"), None),
        (URIRef(EX + "s"), BNode(), Literal("o"), None),
        (URIRef(EX + "s"), P, Variable("x"), None),
    ],
)
def test_what_is_not_rdf_is_refused(quad):
    with pytest.raises(ExportError, match="cannot export"):
        ExportData.from_quads([quad])


def test_prefixer_uses_project_prefixes_and_remembers_them():
    px = Prefixer()
    assert px.pname("https://w3id.org/kg/id/place/baotou") == "place:baotou"
    assert px.pname("https://w3id.org/kg/ont#Firm") == "kg:Firm"
    assert px.pname("https://w3id.org/kg/id/place/a/b") is None  # "/" is not safe in a local name
    assert px.pname("http://example.org/x") is None
    assert [p for p, _ in px.declarations()] == ["kg", "place"]


def test_iri_escapes_what_iriref_forbids():
    assert iri_ref("http://example.org/a b>") == "<http://example.org/a\\u0020b\\u003E>"


def test_string_escapes():
    assert quote_short('a"b\\c\nd\te\x07') == '"a\\"b\\\\c\\nd\\te\\u0007"'
    assert quote_turtle("two\nlines") == '"""two\nlines"""'
    assert quote_turtle('end"\r\n') == '"""end\\"\\r\n"""'
