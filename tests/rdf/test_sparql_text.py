"""kg.rdf.sparql_text.lateral_optionals: which OPTIONALs become LATERAL, and that the answers stay
those of the query as written (on Oxigraph, and on rdflib for the original)."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg.rdf.sparql_text import lateral_optionals

P = "PREFIX e: <http://e/> "


@pytest.mark.parametrize(
    ("body", "lateral"),
    [
        ("?s e:a ?o", True),
        ("?s e:a ?o ; e:b ?p . ?o a e:C", True),
        ('?s e:a "x{ FILTER" , "y}"', True),  # braces and words in strings do not count
        ("?s e:a/e:b ?o", False),  # a path
        ("?s e:a* ?o", False),
        ("?s ^e:a ?o", False),
        ("?s e:a|e:b ?o", False),
        ("?s e:a ?o FILTER(?o > 1)", False),
        ("?s e:a ?o BIND(1 AS ?x)", False),
        ("?s e:a ?o OPTIONAL { ?o e:b ?p }", False),  # nested: the outer stays (the inner may not)
        ("GRAPH ?g { ?s e:a ?o }", False),
        ("{ SELECT ?s WHERE { ?s e:a ?o } }", False),
        ("VALUES ?o { 1 } ?s e:a ?o", False),
    ],
)
def test_only_plain_triple_patterns_become_lateral(body, lateral):
    text = f"{P}SELECT * WHERE {{ ?s e:t ?t OPTIONAL {{ {body} }} }}"
    out = lateral_optionals(text)
    assert (f"LATERAL {{ OPTIONAL {{ {body} }} }}" in out) is lateral
    assert out.count("LATERAL") == lateral + ("OPTIONAL { ?o e:b ?p }" in body)  # (the nested one is plain)


def test_text_outside_optionals_is_unchanged():
    text = f"{P}# OPTIONAL {{ ?s e:a ?o }} in a comment\nSELECT * WHERE {{ ?s e:t ?t . OPTIONAL {{ ?s e:a ?o }} ?s e:b ?b }} ORDER BY ?s"
    out = lateral_optionals(text)
    assert out == text.replace("OPTIONAL { ?s e:a ?o } ?s", "LATERAL { OPTIONAL { ?s e:a ?o } } ?s")
    assert lateral_optionals(f"{P}SELECT * WHERE {{ ?s ?p ?o }}") == f"{P}SELECT * WHERE {{ ?s ?p ?o }}"


DATA = """
<http://e/s1> <http://e/t> "1" . <http://e/s2> <http://e/t> "2" . <http://e/s3> <http://e/t> "3" .
<http://e/s1> <http://e/a> <http://e/o1> . <http://e/s1> <http://e/a> <http://e/o2> .
<http://e/s2> <http://e/a> <http://e/o1> . <http://e/o1> <http://e/b> "b1" .
<http://e/o2> <http://e/b> "b2" . <http://e/o2> <http://e/b> "b3" . <http://e/s3> <http://e/c> <http://e/o2> .
"""

QUERIES = [
    # several matches per row (multiplicity), none for s3
    "SELECT ?s ?o ?v WHERE { ?s e:t ?t OPTIONAL { ?s e:a ?o . ?o e:b ?v } }",
    # a variable of the row left unbound by an earlier OPTIONAL
    "SELECT ?s ?o ?v WHERE { ?s e:t ?t OPTIONAL { ?s e:c ?o } OPTIONAL { ?o e:b ?v } }",
    # two OPTIONALs on the same variable, then a join after them
    "SELECT ?s ?o ?p WHERE { ?s e:t ?t OPTIONAL { ?s e:a ?o } OPTIONAL { ?s e:c ?p } ?s e:t ?t }",
    # an OPTIONAL first in its group, and one inside a named sub-group
    "SELECT ?s ?o WHERE { OPTIONAL { ?s e:a ?o } }",
    "SELECT ?s ?o ?v WHERE { { ?s e:t ?t } UNION { ?s e:c ?x } OPTIONAL { ?s e:a ?o . ?o e:b ?v } }",
    # counted: duplicates matter
    "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s e:t ?t OPTIONAL { ?s e:a ?o . ?o e:b ?v } } GROUP BY ?s",
]


def _rows(solutions) -> Counter:  # type: ignore[no-untyped-def]
    return Counter(tuple(None if t is None else str(t.value) for t in s) for s in solutions)


@pytest.mark.parametrize("query", QUERIES)
def test_lateral_gives_the_same_solutions(query):
    text = P + query
    rewritten = lateral_optionals(text)
    assert "LATERAL" in rewritten
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.TURTLE)
    expected = _rows(store.query(text))
    assert _rows(store.query(rewritten)) == expected
    ds = Dataset()
    ds.parse(data=DATA, format="turtle")
    from_rdflib = Counter(tuple(None if t is None else str(t) for t in row) for row in ds.query(text))
    assert from_rdflib == expected
