"""The ontology itself: header, labels and comments on every term, alignment, containment."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.namespaces import KG, sparql_prologue

# The project under test: the checkout, or the copy KG_HOME named when the suite started (every
# article in its data/, however many: these checks hold for any valid addition).
from tests.conftest import PROJECT as ROOT  # noqa: E402
ONTOLOGY = Graph().parse(ROOT / "ontology" / "kg.ttl")
HEADER = URIRef("https://w3id.org/kg/ont")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
TERMS = sorted({s for t in TERM_TYPES for s in ONTOLOGY.subjects(RDF.type, t) if str(s).startswith(str(KG))})


def test_header_has_title_description_version_licence():
    for prop in (DCTERMS.title, DCTERMS.description, OWL.versionInfo, DCTERMS.license):
        assert ONTOLOGY.value(HEADER, prop) is not None, prop


def test_terms_discovered():
    assert len(TERMS) > 80


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.split("#")[-1])
def test_every_term_has_english_label_comment_and_definer(term):
    labels = [o for o in ONTOLOGY.objects(term, RDFS.label) if getattr(o, "language", None) == "en"]
    comments = [o for o in ONTOLOGY.objects(term, RDFS.comment) if getattr(o, "language", None) == "en"]
    assert labels, f"{term} has no English rdfs:label"
    assert comments, f"{term} has no English rdfs:comment"
    assert ONTOLOGY.value(term, RDFS.isDefinedBy) is not None, f"{term} has no rdfs:isDefinedBy"


@pytest.mark.parametrize(
    "ns", ["https://schema.org/", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#"]
)
def test_aligned_to_reused_vocabularies(ns):
    aligned = [
        o
        for p in (RDFS.subClassOf, RDFS.subPropertyOf)
        for o in ONTOLOGY.objects(None, p)
        if str(o).startswith(ns)
    ]
    assert aligned, f"nothing in kg.ttl is aligned with {ns}"


def test_containment_is_transitive():
    assert (KG.locatedIn, RDF.type, OWL.TransitiveProperty) in ONTOLOGY


def test_every_place_reaches_its_country(project_under_test):
    """Containment is complete: each place is inside a country at some depth (China for every
    Chinese place; a place abroad, such as a German region, inside its own country)."""
    rows = project_under_test.query(
        sparql_prologue()
        + """
        SELECT ?p WHERE {
          ?p a ?c . ?c rdfs:subClassOf* kg:Place .
          FILTER NOT EXISTS { ?p a kg:Country }
          FILTER NOT EXISTS { ?p kg:locatedIn+ ?country . ?country a kg:Country }
        }"""
    )
    assert sorted(str(r[0]) for r in rows) == []


def test_places_abroad_are_not_in_china(project_under_test):
    """No place reaches China and another country (a wrong kg:locatedIn somewhere)."""
    rows = project_under_test.query(
        sparql_prologue()
        + """
        SELECT ?p WHERE {
          ?p kg:locatedIn+ place:china ; kg:locatedIn+ ?other . ?other a kg:Country .
          FILTER (?other != place:china)
        }"""
    )
    assert list(rows) == []


def test_containment_has_no_cycle(project_under_test):
    rows = list(project_under_test.query(sparql_prologue() + "SELECT ?p WHERE { ?p kg:locatedIn+ ?p }"))
    assert rows == []
