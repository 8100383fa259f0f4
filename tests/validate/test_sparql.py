"""kg.validate.sparql: how SHACL-SPARQL constraints are rewritten before Oxigraph runs them."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.validate.sparql import without_not_exists

DATA = b"""
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Town rdfs:subClassOf ex:Place .
ex:a ex:in ex:b . ex:b a ex:Town .
ex:c ex:in ex:d . ex:d a ex:Thing .
ex:e ex:in ex:f .
ex:g1 ex:p ex:x . ex:g2 ex:q ex:y .
"""

PREFIX = "PREFIX ex: <http://example.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "

PLAIN = PREFIX + "SELECT ?s ?o WHERE { ?s ex:in ?o . FILTER NOT EXISTS { ?o a ex:Town } }"
PATH = PREFIX + "SELECT ?s ?o WHERE { ?s ex:in ?o . FILTER NOT EXISTS { ?o a/rdfs:subClassOf* ex:Place } }"
ALTERNATIVE = PREFIX + "SELECT ?s WHERE { ?s ?any ?v . FILTER NOT EXISTS { ?s ex:p|ex:in ?w } }"
DIVISION = PREFIX + 'SELECT ?s WHERE { ?s ex:in ?o . FILTER NOT EXISTS { ?o a ?t . FILTER(STRLEN(STR(?t)) / 2 > 100) } }'
DATATYPE = PREFIX + 'SELECT ?s WHERE { ?s ex:in ?o . FILTER NOT EXISTS { ?o ex:n "1"^^<http://www.w3.org/2001/XMLSchema#integer> } }'


def _rows(text: str) -> list[tuple[str, ...]]:
    store = ox.Store()
    store.load(DATA, format=ox.RdfFormat.TURTLE)
    result = store.query(text)
    names = [v.value for v in result.variables]
    return sorted(tuple(row[n].value for n in names) for row in result)


def test_a_not_exists_of_plain_patterns_stays():
    """Oxigraph looks a plain NOT EXISTS up with the row's bindings and stops at the first match."""
    assert without_not_exists(PLAIN) == PLAIN
    assert without_not_exists(DATATYPE) == DATATYPE  # ^^ is a datatype, not an inverse path


@pytest.mark.parametrize("text", [PATH, ALTERNATIVE, DIVISION], ids=["sequence-and-star", "alternative", "division"])
def test_a_not_exists_with_a_path_becomes_an_optional_with_the_same_rows(text):
    rewritten = without_not_exists(text)
    assert "NOT EXISTS" not in rewritten and "OPTIONAL" in rewritten and "!BOUND(?kg_absent1)" in rewritten
    assert _rows(rewritten) == _rows(text)
    assert _rows(text), "no rows: the comparison proves little"


def test_the_path_rewrite_finds_the_places():
    assert _rows(PATH) == [("http://example.org/c", "http://example.org/d"), ("http://example.org/e", "http://example.org/f")]


def test_a_plain_not_exists_before_a_path_one_leaves_the_first_and_rewrites_the_second():
    text = PREFIX + (
        "SELECT ?s WHERE { ?s ex:in ?o . FILTER NOT EXISTS { ?o ex:q ?z } "
        "FILTER NOT EXISTS { ?o a/rdfs:subClassOf* ex:Place } }"
    )
    rewritten = without_not_exists(text)
    assert rewritten.count("NOT EXISTS") == 1 and "FILTER NOT EXISTS { ?o ex:q ?z }" in rewritten
    assert _rows(rewritten) == _rows(text) == [("http://example.org/c",), ("http://example.org/e",)]
