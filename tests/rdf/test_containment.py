"""The containment closure on tiny graphs whose answers are known by hand."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef

from kg.namespaces import GRAPH, KG, PLACE
from kg.rdf.containment import (
    CONTAINMENT,
    DERIVED_GRAPH,
    LEVELS,
    WITHIN,
    Change,
    is_derived,
    territory_changes,
    within_pairs,
)
from kg.rdf.gazetteer import Record
from kg.rdf.loading import add_containment, new_dataset


def test_a_chain_gives_every_container():
    edges = [("firm", "park"), ("park", "district"), ("district", "city"), ("city", "province")]
    assert sorted(within_pairs(edges)) == sorted([
        ("firm", "park"), ("firm", "district"), ("firm", "city"), ("firm", "province"),
        ("park", "district"), ("park", "city"), ("park", "province"),
        ("district", "city"), ("district", "province"),
        ("city", "province"),
    ])


def test_shared_containers_and_repeated_edges_give_each_pair_once():
    edges = [("a", "d"), ("b", "d"), ("a", "d"), ("d", "p"), ("b", "q"), ("q", "p")]
    pairs = list(within_pairs(edges))
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {("a", "d"), ("a", "p"), ("b", "d"), ("b", "q"), ("b", "p"), ("d", "p"), ("q", "p")}


def test_a_cycle_is_followed_to_its_end_as_the_path_is():
    pairs = set(within_pairs([("x", "a"), ("a", "b"), ("b", "a")]))
    assert pairs == {("x", "a"), ("x", "b"), ("a", "b"), ("a", "a"), ("b", "a"), ("b", "b")}
    assert set(within_pairs([("s", "s")])) == {("s", "s")}


def test_nothing_in_nothing_out():
    assert list(within_pairs([])) == []


def test_the_derived_graph_of_a_dataset_is_recomputed_and_kept_apart():
    ds = new_dataset()
    g1, g2 = ds.graph(GRAPH["a"]), ds.graph(GRAPH["b"])
    firm, park, sub, city, prov = (URIRef(f"http://example.org/{n}") for n in ("firm", "park", "sub", "city", "prov"))
    g1.add((firm, KG.headquarteredIn, sub))
    g1.add((sub, KG.subParkOf, park))
    g2.add((park, KG.locatedIn, city))
    g2.add((city, KG.locatedIn, Literal("not a place")))  # a literal contains nothing
    add_containment(ds)
    derived = ds.graph(DERIVED_GRAPH)
    assert set(derived.objects(firm, WITHIN)) == {sub, park, city}
    assert set(derived.objects(sub, WITHIN)) == {park, city}
    assert not (None, KG.locatedIn, None) in derived
    g2.add((city, KG.locatedIn, prov))  # the data change: derive again
    add_containment(ds)
    assert set(ds.graph(DERIVED_GRAPH).objects(firm, WITHIN)) == {sub, park, city, prov}
    g1.remove((sub, KG.subParkOf, park))
    add_containment(ds)  # what is no longer implied goes
    assert set(ds.graph(DERIVED_GRAPH).objects(firm, WITHIN)) == {sub}
    assert is_derived(DERIVED_GRAPH) and not is_derived(GRAPH["a"])


def test_blank_nodes_are_followed():
    ds = new_dataset()
    site = BNode()
    ds.graph(GRAPH["a"]).add((URIRef("http://example.org/f"), KG.locatedIn, site))
    ds.graph(GRAPH["a"]).add((site, KG.locatedIn, PLACE.china))
    add_containment(ds)
    assert (URIRef("http://example.org/f"), WITHIN, PLACE.china) in ds.graph(DERIVED_GRAPH)


def test_no_containment_no_derived_graph():
    ds = new_dataset()
    ds.graph(GRAPH["a"]).add((PLACE.x, KG.near, PLACE.y))
    add_containment(ds)
    assert len(ds.graph(DERIVED_GRAPH)) == 0


def test_the_ontology_declares_the_closure(project_dataset):
    from rdflib import OWL, RDF, RDFS

    from kg.rdf.loading import ONTOLOGY_GRAPH

    ontology = project_dataset.graph(ONTOLOGY_GRAPH)
    assert (WITHIN, RDF.type, OWL.TransitiveProperty) in ontology
    assert (KG.DerivedGraph, RDF.type, OWL.Class) in ontology
    for p in CONTAINMENT:  # each is within, directly or through kg:locatedIn
        assert WITHIN in set(ontology.transitive_objects(p, RDFS.subPropertyOf))
    for cls in LEVELS.values():
        assert (cls, RDF.type, OWL.Class) in ontology


def test_the_store_query_reads_the_same_properties():
    from kg.backends.derived import EDGES

    assert sorted(EDGES.split("GRAPH ?g { ?s ")[1].split(" ?o }")[0].split("|")) == sorted(
        f"kg:{str(p).removeprefix(str(KG))}" for p in CONTAINMENT
    )


def test_stats_by_level_counts_firms_and_parks_per_division(project_dataset):
    """kg stats --by: the roll-up named queries per division, here checked against a count
    made in Python from the closure and the types."""
    from rdflib import RDF

    from kg.backends.memory import MemoryBackend
    from kg.namespaces import KG
    from kg.query.stats import regions

    derived = project_dataset.graph(DERIVED_GRAPH)
    for level, cls in LEVELS.items():
        expected = {}
        for region in set(project_dataset.subjects(RDF.type, cls)):
            inside = set(derived.subjects(WITHIN, region))
            firms = sum(1 for x in inside if (x, RDF.type, KG.Firm) in project_dataset)
            parks = sum(1 for x in inside if any((x, RDF.type, c) in project_dataset for c in (KG.IndustrialPark, KG.SubPark, KG.DevelopmentZone)))
            if firms or parks:
                expected[region] = (firms, parks)
        got = regions(MemoryBackend(project_dataset), level)
        assert got, f"no {level} holds a firm or park in the project's data"
        assert {r: (f, p) for r, f, p in got} == {project_dataset.namespace_manager.normalizeUri(r): v for r, v in expected.items()}
        assert [f for _, f, _ in got] == sorted((f for _, f, _ in got), reverse=True)


# ------------------------------------------------------------------ territory changes (as of a year)


_CITY, _COUNTY, _PROVINCE = (str(LEVELS[k]) for k in ("prefecture", "county", "province"))


class _Records:
    """A small history, as kg.rdf.gazetteer.History gives it: IRI -> Record."""

    def __init__(self, records: dict[str, Record]) -> None:
        self.records = records

    def record(self, iri: str) -> Record | None:
        return self.records.get(iri)

    def replaced(self, iri: str) -> list[str]:
        return sorted(k for k, r in self.records.items() if iri in r.replaced_by)

    def years(self) -> tuple[int, int] | None:
        found = [y for r in self.records.values() for y in (r.valid_from, r.valid_until) if y is not None]
        return (min(found), max(found)) if found else None


def _r(level: str, parents=(), since=None, until=None, replaced_by=()) -> Record:  # type: ignore[no-untyped-def]
    return Record((level,), tuple(parents), since, until, tuple(replaced_by))


def test_a_city_merged_into_another_moves_its_county_for_the_years_before():
    """Old City (1992-2018) held County A; in 2018 A became a district of New City. The records
    start in 1985: before 1992 nothing says who held A's territory but its province."""
    history = _Records({
        "p": _r(_PROVINCE, since=None),
        "old-city": _r(_CITY, ["p"], 1992, 2018, ["a-now"]),
        "new-city": _r(_CITY, ["p"]),
        "a-then": _r(_COUNTY, ["old-city"], 1992, 2018, ["a-now"]),
        "a-now": _r(_COUNTY, ["new-city"], 2018),
        "z": _r(_CITY, ["p"], 1985),  # (only to start the records in 1985)
    })
    got = territory_changes({"a-now": ["new-city", "p"], "new-city": ["p"]}, history)
    assert got == [
        Change("a-now", "a-now", False, None, None, 2018),  # (not in force before 2018)
        Change("a-now", "a-then", True, _COUNTY, 1992, 2018),
        Change("a-now", "new-city", False, None, None, 2018),
        Change("a-now", "old-city", True, _CITY, 1992, 2018),
    ]
    # The abolished city itself, named by an article: its territory is New City's after 2018.
    later = territory_changes({"old-city": ["p"]}, history)
    assert Change("old-city", "new-city", True, _CITY, 2018, None) in later
    assert Change("old-city", "a-now", True, _COUNTY, 2018, None) in later
    assert Change("old-city", "old-city", False, None, 2018, None) in later


def test_no_history_no_change_and_a_cycle_ends():
    history = _Records({
        "p": _r(_PROVINCE),
        "c": _r(_CITY, ["p"], 1990),
        "x": _r(_COUNTY, ["c"], 1995, 2000, ["y"]),
        "y": _r(_COUNTY, ["c"], 2000, None, ["x"]),  # (a record that loops back: followed once)
    })
    assert territory_changes({"p": []}, history) == []
    got = territory_changes({"y": ["c", "p"]}, history)
    assert Change("y", "x", True, _COUNTY, 1995, 2000) in got
    assert all(c.division == "y" for c in got)
    assert territory_changes({}, history) == [] and territory_changes({"y": ["c"]}, _Records({})) == []
