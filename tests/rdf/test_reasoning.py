"""kg.rdf.reasoning: --reasoning none|rdfs|owlrl, on tiny graphs whose entailments are known."""

from __future__ import annotations

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import UsageError
from kg.namespaces import KG, PLACE
from kg.rdf.reasoning import INFERRED_GRAPH, MODES, apply_reasoning
from kg.rdf.loading import new_dataset

A = URIRef("https://w3id.org/kg/graph/a")
FIRM = URIRef("https://w3id.org/kg/id/org/example-firm")
SCHEMA_ORG = URIRef("https://schema.org/Organization")


@pytest.fixture
def tiny():
    """A firm in a district in a city, with the three ontology axioms the entailments need."""
    ds = new_dataset()
    onto = ds.graph(URIRef("https://w3id.org/kg/graph/ontology"))
    onto.add((KG.Firm, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), KG.Organization))
    onto.add((KG.Organization, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), SCHEMA_ORG))
    onto.add((KG.locatedIn, RDF.type, URIRef("http://www.w3.org/2002/07/owl#TransitiveProperty")))
    g = ds.graph(A)
    g.add((FIRM, RDF.type, KG.Firm))
    g.add((FIRM, KG.locatedIn, PLACE["qingshan-district"]))
    g.add((PLACE["qingshan-district"], KG.locatedIn, PLACE.baotou))
    g.add((FIRM, KG.value, Literal("2.0", datatype=XSD.decimal)))
    g.add((PLACE.baotou, KG.edition, Literal("2", datatype=XSD.integer)))
    return ds


def test_modes():
    assert MODES == ("none", "rdfs", "owlrl")


def test_none_returns_the_dataset_itself(tiny):
    assert apply_reasoning(tiny, "none") is tiny


def test_unknown_mode(tiny):
    with pytest.raises(UsageError, match="unknown reasoning mode 'owl'"):
        apply_reasoning(tiny, "owl")


def test_rdfs_adds_superclasses_in_the_inferred_graph_only(tiny):
    before = sorted(tiny.quads((None, None, None, None)))
    result = apply_reasoning(tiny, "rdfs")
    inferred = result.graph(INFERRED_GRAPH)
    assert (FIRM, RDF.type, KG.Organization) in inferred
    assert (FIRM, RDF.type, SCHEMA_ORG) in inferred
    assert (FIRM, KG.locatedIn, PLACE.baotou) not in result  # transitivity is OWL, not RDFS
    assert sorted(tiny.quads((None, None, None, None))) == before  # the input is unchanged
    assert (FIRM, RDF.type, KG.Firm) in result.graph(A)  # asserted facts keep their graph
    assert (FIRM, RDF.type, KG.Firm) not in inferred


def test_owlrl_follows_transitive_containment(tiny):
    result = apply_reasoning(tiny, "owlrl")
    assert (FIRM, KG.locatedIn, PLACE.baotou) in result.graph(INFERRED_GRAPH)


@pytest.mark.parametrize("mode", ["rdfs", "owlrl"])
def test_literals_stay_on_their_own_subjects(tiny, mode):
    """owlrl 7.6 swaps equal-valued literals of different datatypes ("2.0"^^decimal and
    "2"^^integer) onto each other's subjects; the inferred graph must not carry that."""
    result = apply_reasoning(tiny, mode)
    assert set(result.objects(FIRM, KG.value)) == {Literal("2.0", datatype=XSD.decimal)}
    assert set(result.objects(PLACE.baotou, KG.edition)) == {Literal("2", datatype=XSD.integer)}
