from __future__ import annotations

from pathlib import Path

from rdflib import SKOS, Literal, URIRef

from kg.namespaces import GRAPH, KG
from kg.rdf.sources import load_sources

EX = "http://example.org/"

TRIG = """
@prefix kg: <https://w3id.org/kg/ont#> .
@prefix ex: <http://example.org/> .
@prefix graph: <https://w3id.org/kg/graph/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .

graph:a {
    graph:a a kg:ArticleGraph ; prov:wasDerivedFrom ex:article-a .
    ex:article-a schema:headline "Headline A"@en ; schema:datePublished "2020-01-01" ;
        kg:publisher ex:paper .
    ex:paper skos:prefLabel "The Paper"@en .
    ex:firm skos:prefLabel "Firm"@en ;
        kg:supplierOf ex:other ; kg:investsIn ex:third ; kg:partOf ex:fourth ;
        kg:evidence "Firm supplies Other.", "Firm invests in Third." .
    ex:other skos:prefLabel "Other"@en .
    ex:third skos:prefLabel "Third"@en .
    ex:fourth skos:prefLabel "Fourth"@en .
    [] a rdf:Statement ; rdf:subject ex:firm ; rdf:predicate kg:partOf ; rdf:object ex:fourth ;
        kg:evidence "Firm belongs to Fourth, it says." .
}
graph:b {
    ex:firm kg:supplierOf ex:other .
}
"""


def _sources(tmp_path: Path):
    f = tmp_path / "s.trig"
    f.write_text(TRIG, encoding="utf-8")
    return load_sources([str(f)]), f


def test_source_kinds(tmp_path):
    sources, f = _sources(tmp_path)
    a = sources.source(GRAPH["a"])
    assert (a.kind, a.title, a.publisher, a.date) == ("article", "Headline A", "The Paper", "2020-01-01")
    assert a.citation() == "Headline A (The Paper, 2020-01-01)"
    assert sources.source(GRAPH["b"]).kind == "graph"  # no kg:ArticleGraph description
    assert sources.source(GRAPH["ontology"]).kind == "ontology"  # the project's ontology, loaded beside files


def test_holding_lists_every_graph_with_the_triple(tmp_path):
    sources, _ = _sources(tmp_path)
    firm, other = URIRef(EX + "firm"), URIRef(EX + "other")
    assert sources.holding(firm, KG.supplierOf, other) == [GRAPH["a"], GRAPH["b"]]
    assert [c.source.kind for c in sources.cite(firm, KG.supplierOf, other)] == ["article", "graph"]


def test_evidence_rules(tmp_path):
    sources, _ = _sources(tmp_path)
    firm = URIRef(EX + "firm")
    a = GRAPH["a"]
    # a named entity with several quotes: those that name the object
    assert sources.evidence(a, firm, KG.supplierOf, URIRef(EX + "other")) == ("Firm supplies Other.",)
    assert sources.evidence(a, firm, KG.investsIn, URIRef(EX + "third")) == ("Firm invests in Third.",)
    # a reified statement's quote wins
    assert sources.evidence(a, firm, KG.partOf, URIRef(EX + "fourth")) == ("Firm belongs to Fourth, it says.",)
    # a literal object is found by its value; no quote names it -> none
    assert sources.evidence(a, firm, SKOS.prefLabel, Literal("Firm", lang="en")) == (
        "Firm invests in Third.", "Firm supplies Other.")
    assert sources.evidence(a, firm, KG.description, Literal("nowhere")) == ()
    # a graph without quotes
    assert sources.evidence(GRAPH["b"], firm, KG.supplierOf, URIRef(EX + "other")) == ()
