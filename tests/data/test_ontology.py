"""The ontology itself: header, labels and comments on every term, alignment, containment."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.namespaces import KG, sparql_prologue

ROOT = Path(__file__).resolve().parents[2]
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


def test_every_chinese_place_reaches_china(project_dataset):
    """Containment is complete: each place in China is inside China at some depth."""
    rows = project_dataset.query(
        sparql_prologue()
        + """
        SELECT ?p WHERE {
          ?p a ?c . ?c rdfs:subClassOf* kg:Place .
          FILTER NOT EXISTS { ?p kg:locatedIn+ place:china }
          FILTER (?p != place:china)
        }"""
    )
    outside = sorted(str(r[0]).rsplit("/", 1)[1] for r in rows)
    assert outside == ["germany", "ruhr"]


def test_containment_has_no_cycle(project_dataset):
    rows = list(project_dataset.query(sparql_prologue() + "SELECT ?p WHERE { ?p kg:locatedIn+ ?p }"))
    assert rows == []
