from __future__ import annotations

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from kg.errors import UsageError
from kg.labels import find_by_name, label_of, resolve
from kg.namespaces import KG

EX = "http://example.org/"


@pytest.fixture
def g() -> Graph:
    g = Graph()
    g.bind("ex", EX)
    a, b = URIRef(EX + "a"), URIRef(EX + "b")
    g.add((a, RDF.type, KG.Firm))
    g.add((a, SKOS.prefLabel, Literal("First Machinery Group", lang="en")))
    g.add((a, SKOS.altLabel, Literal("Inner Mongolia No 1 machinery Group", lang="en")))
    g.add((a, SKOS.altLabel, Literal("包头第一机械", lang="zh")))
    g.add((b, SKOS.prefLabel, Literal("North Heavy Industries Group", lang="en")))
    return g


def test_label_prefers_preflabel_in_english(g):
    assert label_of(g, URIRef(EX + "a")) == "First Machinery Group"


def test_label_falls_back_to_iri_segment(g):
    assert label_of(g, URIRef(EX + "unlabelled")) == "unlabelled"


def test_resolve_by_alt_label_ignoring_case(g):
    assert resolve(g, "inner mongolia no 1 MACHINERY group") == URIRef(EX + "a")


def test_resolve_chinese_label(g):
    assert resolve(g, "包头第一机械") == URIRef(EX + "a")


def test_resolve_prefixed_iri(g):
    assert resolve(g, "ex:b") == URIRef(EX + "b")


def test_resolve_an_iri_used_only_as_object(g):
    """Data files name measures and units they do not describe (the ontology does)."""
    g.add((URIRef(EX + "m"), KG.measure, URIRef(EX + "revenue")))
    assert resolve(g, "ex:revenue") == URIRef(EX + "revenue")
    with pytest.raises(UsageError, match="no entity is named 'ex:nothing'"):
        resolve(g, "ex:nothing")


def test_ambiguous_name_lists_candidates(g):
    with pytest.raises(UsageError, match="ambiguous: 2 candidates"):
        resolve(g, "Group")


def test_unknown_name(g):
    with pytest.raises(UsageError, match="no entity is named 'Nowhere'"):
        resolve(g, "Nowhere")


def test_partial_match_only_when_no_exact(g):
    assert [c.iri for c in find_by_name(g, "north heavy")] == [URIRef(EX + "b")]
