"""The RDF -> networkx projection: which resources are nodes, which links are edges."""

from __future__ import annotations

import pytest
from rdflib import Dataset, URIRef

from kg.errors import UsageError
from kg.namespaces import KG, PREFIXES, W3ORG, sparql_prologue
from kg.network.projection import ProjectionOptions, expand, project, qname

EX = "https://w3id.org/kg/id/"

SMALL = """
@prefix kg: <https://w3id.org/kg/ont#> .
@prefix kgm: <https://w3id.org/kg/measure/> .
@prefix kgrole: <https://w3id.org/kg/role/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix place: <https://w3id.org/kg/id/place/> .
@prefix park: <https://w3id.org/kg/id/park/> .
@prefix orgn: <https://w3id.org/kg/id/org/> .
@prefix person: <https://w3id.org/kg/id/person/> .
@prefix industry: <https://w3id.org/kg/id/industry/> .
@prefix designation: <https://w3id.org/kg/id/designation/> .
@prefix article: <https://w3id.org/kg/id/article/> .

place:city a kg:PrefectureLevelCity ; skos:prefLabel "City"@en .
park:p a kg:IndustrialPark ; skos:prefLabel "Park"@en ; kg:locatedIn place:city ;
    kg:industry industry:steel ; kg:foundingYear "2006"^^xsd:gYear .
orgn:firm a kg:Firm ; skos:prefLabel "Firm"@en ; kg:locatedIn park:p ; kg:locatedIn orgn:firm .
orgn:gov a kg:GovernmentBody ; skos:prefLabel "Government"@en ; kg:administers park:p .
person:li a kg:Person ; skos:prefLabel "Li"@en .
orgn:lonely a kg:Firm ; skos:prefLabel "Lonely"@en .
industry:steel a kg:Industry ; skos:prefLabel "steel"@en .
designation:base a kg:Designation ; skos:prefLabel "base"@en .
article:a a kg:Article ; kg:publisher orgn:gov .
_:m a kg:Membership ; org:member person:li ; org:organization orgn:firm ; org:role kgrole:ceo .
_:aw a kg:Award ; kg:recipient park:p ; kg:conferredBy orgn:gov ; kg:designation designation:base .
_:d a kg:Measurement ; kg:about park:p ; kg:relativeTo place:city ; kg:measure kgm:distance .
_:o a kg:Measurement ; kg:about orgn:firm ; kg:measure kgm:output-value .
_:blank a kg:Firm ; kg:locatedIn place:city .
"""


def iri(text: str) -> URIRef:
    return expand(text)


@pytest.fixture(scope="module")
def small() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(data=SMALL, format="turtle")
    return ds


def edges_of(proj) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(qname(a), qname(b), data["predicates"]) for a, b, data in proj.graph.edges(data=True)}


def test_nodes_are_linked_iri_entities_only(small):
    proj = project(small)
    assert {qname(n) for n in proj.graph} == {
        "place:city",
        "park:p",
        "orgn:firm",
        "orgn:gov",
        "person:li",
    }
    # orgn:lonely has no link; the blank-node firm, concepts, article and n-ary nodes are not nodes
    assert proj.isolated == 1


def test_edges_directed_with_collapsed_nary_nodes(small):
    proj = project(small, ProjectionOptions(directed=True))
    assert edges_of(proj) == {
        ("park:p", "place:city", ("kg:locatedIn", "kg:relativeTo")),
        ("orgn:firm", "park:p", ("kg:locatedIn",)),
        ("orgn:gov", "park:p", ("kg:administers",)),
        ("person:li", "orgn:firm", ("org:memberOf",)),
        ("park:p", "orgn:gov", ("kg:conferredBy",)),
    }
    assert proj.directed and proj.edges == 5


def test_undirected_merges_reciprocal_links(small):
    proj = project(small)
    assert not proj.graph.is_directed()
    pair = proj.graph.edges[iri("park:p"), iri("orgn:gov")]
    assert pair["predicates"] == ("kg:administers", "kg:conferredBy")
    assert proj.edges == 4
    assert dict(proj.predicates) == {
        "kg:administers": 1,
        "kg:conferredBy": 1,
        "kg:locatedIn": 2,
        "kg:relativeTo": 1,
        "org:memberOf": 1,
    }


def test_concepts_become_nodes_on_request(small):
    proj = project(small, ProjectionOptions(directed=True, concepts=True))
    assert ("park:p", "industry:steel", ("kg:industry",)) in edges_of(proj)
    assert ("park:p", "designation:base", ("kg:designation",)) in edges_of(proj)
    assert proj.graph.nodes[iri("industry:steel")]["kind"] == "Industry"


def test_kinds_follow_the_ontology(small):
    g = project(small).graph
    kinds = {qname(n): g.nodes[n]["kind"] for n in g}
    assert kinds == {
        "place:city": "Place",
        "park:p": "Industrial park",
        "orgn:firm": "Firm",
        "orgn:gov": "Government body",
        "person:li": "Person",
    }


def test_predicate_restricts_edges_and_drops_unlinked(small):
    proj = project(small, ProjectionOptions(predicates=(iri("kg:locatedIn"),)))
    assert {qname(n) for n in proj.graph} == {"place:city", "park:p", "orgn:firm"}
    assert all(d["predicates"] == ("kg:locatedIn",) for _, _, d in proj.graph.edges(data=True))


def test_exclude_predicate(small):
    proj = project(
        small, ProjectionOptions(directed=True, exclude_predicates=(W3ORG.memberOf, KG.conferredBy))
    )
    assert iri("person:li") not in proj.graph
    assert not proj.graph.has_edge(iri("park:p"), iri("orgn:gov"))


def test_class_restricts_nodes_with_subclasses(small):
    proj = project(small, ProjectionOptions(classes=(KG.Place,)))
    assert {qname(n) for n in proj.graph} == {"place:city", "park:p"}
    proj = project(small, ProjectionOptions(classes=(KG.Organization, KG.Person)))
    assert {qname(n) for n in proj.graph} == {"orgn:firm", "person:li"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ProjectionOptions(predicates=(KG.nope,)),
            r"--predicate kg:nope: no edge of the projection uses it; choose from: kg:administers",
        ),
        (
            ProjectionOptions(exclude_predicates=(KG.industry,)),
            r"--exclude-predicate kg:industry: no edge",
        ),
        (ProjectionOptions(classes=(KG.Industry,)), r"--class kg:Industry: not a class of nodes"),
        (
            ProjectionOptions(classes=(KG.Measurement,)),
            r"--class kg:Measurement: not a class of nodes",
        ),
    ],
    ids=["unknown-predicate", "unused-exclude", "concept-class-without-concepts", "nary-class"],
)
def test_bad_restrictions_are_usage_errors(small, options, message):
    with pytest.raises(UsageError, match=message):
        project(small, options)


def test_qname_and_expand_round_trip():
    assert qname(KG.locatedIn) == "kg:locatedIn"
    assert qname(URIRef("http://example.org/x y")) == "<http://example.org/x y>"
    assert expand("kg:Firm") == KG.Firm
    assert expand("<http://example.org/a>") == URIRef("http://example.org/a")
    assert expand("https://w3id.org/kg/ont#Firm") == KG.Firm
    for prefix, ns in PREFIXES.items():
        assert expand(f"{prefix}:x") == URIRef(ns + "x")


@pytest.mark.parametrize("text", ["nope:Firm", "Firm", "kg:"])
def test_expand_rejects_unknown_forms(text):
    with pytest.raises(UsageError, match="known prefix"):
        expand(text)


# -- the project's data ---------------------------------------------------------------------

NARY_OR_CONCEPT = """
SELECT DISTINCT ?x WHERE {
  ?x a ?c .
  VALUES ?c { kg:Article kg:Measurement kg:Membership kg:Award kg:Industry kg:ProductType
              kg:Technology kg:Designation kg:Measure kg:Role kg:MeasurementStatus }
}
"""


def test_project_projection_holds_only_entities(project_dataset):
    proj = project(project_dataset)
    assert proj.nodes > 10
    excluded = {row[0] for row in project_dataset.query(sparql_prologue() + NARY_OR_CONCEPT)}
    assert excluded, "the project's data has articles and measurements"
    assert not excluded & set(proj.graph)
    assert all(proj.graph.nodes[n]["kind"] != "Other" for n in proj.graph)


MEMBERSHIPS = """
SELECT ?person ?org WHERE { ?m a kg:Membership ; org:member ?person ; org:organization ?org . }
"""


def test_project_memberships_become_person_organisation_links(project_dataset):
    proj = project(project_dataset, ProjectionOptions(directed=True))
    pairs = [(p, o) for p, o in project_dataset.query(sparql_prologue() + MEMBERSHIPS)]
    assert pairs, "the articles name people and their posts"
    for person, organisation in pairs:
        assert "org:memberOf" in proj.graph.edges[person, organisation]["predicates"]


def test_project_baotou_park_links_to_its_sub_parks(project_dataset):
    park = iri("park:baotou-equipment-manufacturing-industrial-park")
    proj = project(project_dataset, ProjectionOptions(directed=True, predicates=(KG.subParkOf,)))
    subs = list(proj.graph.predecessors(park))
    assert len(subs) >= 3
    assert all(proj.graph.nodes[s]["kind"] == "Industrial park" for s in subs)


def test_a_failed_query_in_a_worker_thread_fails_with_its_own_error():
    """A query that fails in one of the SPARQL source's threads while pyoxigraph's results are
    alive: the error is the query's own, not pyoxigraph's complaint that the results were freed
    by another thread (which the error, carried to the caller, would otherwise do)."""
    import gc

    import pyoxigraph as ox

    from kg.backends.edges import SparqlSource

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.NamedNode("http://e/o")))

    def select(query: str):  # type: ignore[no-untyped-def]
        answer = store.query("SELECT * WHERE { ?s ?p ?o }")  # alive in this frame when it fails
        raise UsageError(f"no answer to {len(query)} characters ({type(answer).__name__})")

    source = SparqlSource(select, threads=2)
    with pytest.raises(UsageError, match="no answer to"):
        list(source.instances(["http://e/C", "http://e/D"]))
    gc.collect()
