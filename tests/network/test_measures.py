"""Centrality measures (values known by hand), ranking, RDF scores, the project's top entities."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest
from tests.network.support import STAR_TTL, chain_ttl, rdf
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg.network.measures import (
    MEASURES,
    compute_centrality,
    measure_scores,
    parse_measures,
    rank,
    scores_graph,
    tidy,
)
from kg.errors import KgError, UsageError
from kg.namespaces import KG
from kg.network.projection import ProjectionOptions

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
BAOTOU_PARK = "https://w3id.org/kg/id/park/baotou-equipment-manufacturing-industrial-park"


def star() -> nx.Graph:
    return nx.Graph([("c", leaf) for leaf in "abde"])


def path() -> nx.Graph:
    return nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])


def two_cliques() -> nx.Graph:
    """K4 {a0..a3} and K4 {b0..b3} joined by the bridge a3-b0."""
    g = nx.Graph()
    for side in "ab":
        nodes = [f"{side}{i}" for i in range(4)]
        g.add_edges_from((u, v) for i, u in enumerate(nodes) for v in nodes[i + 1 :])
    g.add_edge("a3", "b0")
    return g


# Values worked out by hand (see the comments), not read off networkx.
# Star, centre c and 4 leaves: the centre lies on all C(4,2) = 6 leaf-leaf paths (normalised by
# 6); a leaf is 1 from c and 2 from 3 leaves: closeness 4/7. PageRank solves
# c = 0.15/5 + 0.85*4*l, l = 0.15/5 + 0.85*c/4: c = 0.132/0.2775. Eigenvector (A x = 2 x):
# (2, 1, 1, 1, 1) / sqrt(8).
# Path a-b-c-d-e: betweenness b = 3 pairs / 6, c = 4 / 6; closeness a = 4/10, b = 4/7, c = 4/6;
# eigenvector (lambda = sqrt 3): (1/2, sqrt3/2, 1, sqrt3/2, 1/2) / sqrt 3.
# Two cliques: a3 carries the 3*4 = 12 paths between {a0,a1,a2} and the other clique, of
# C(7,2) = 21; closeness a3 = 7/10, a0 = 7/14. Eigenvector: lambda x = 2x + y, lambda y = 3x + y
# gives lambda^2 - 3 lambda - 1 = 0, y = (lambda - 2) x, 6x^2 + 2y^2 = 1.
_LAM = (3 + math.sqrt(13)) / 2
_X = 1 / math.sqrt(6 + 2 * (_LAM - 2) ** 2)
KNOWN = {
    ("star", "degree"): {"c": 4, "a": 1},
    ("star", "betweenness"): {"c": 1.0, "a": 0.0},
    ("star", "closeness"): {"c": 1.0, "a": 4 / 7},
    ("star", "pagerank"): {"c": 0.132 / 0.2775, "a": 0.03 + 0.2125 * 0.132 / 0.2775},
    ("star", "eigenvector"): {"c": 2 / math.sqrt(8), "a": 1 / math.sqrt(8)},
    ("path", "degree"): {"a": 1, "b": 2, "c": 2},
    ("path", "betweenness"): {"a": 0.0, "b": 0.5, "c": 4 / 6},
    ("path", "closeness"): {"a": 0.4, "b": 4 / 7, "c": 4 / 6},
    ("path", "eigenvector"): {"a": 0.5 / math.sqrt(3), "b": 0.5, "c": 1 / math.sqrt(3)},
    ("two_cliques", "degree"): {"a0": 3, "a3": 4, "b0": 4},
    ("two_cliques", "betweenness"): {"a0": 0.0, "a3": 12 / 21, "b0": 12 / 21},
    ("two_cliques", "closeness"): {"a0": 0.5, "a3": 0.7},
    ("two_cliques", "eigenvector"): {"a0": _X, "a3": (_LAM - 2) * _X, "b3": _X},
}
GRAPHS = {"star": star, "path": path, "two_cliques": two_cliques}


@pytest.mark.parametrize(
    ("graph", "measure"), sorted(KNOWN), ids=[f"{g}-{m}" for g, m in sorted(KNOWN)]
)
def test_measure_equals_hand_computed_value(graph, measure):
    scores = measure_scores(GRAPHS[graph](), measure)
    for node, expected in KNOWN[(graph, measure)].items():
        assert scores[node] == pytest.approx(expected, abs=1e-5), node


@pytest.mark.parametrize("graph", sorted(GRAPHS))
def test_pagerank_solves_its_linear_system(graph):
    """PageRank is the solution of (I - 0.85 A D^-1) x = 0.15/N: solved here directly."""
    import numpy as np

    g = GRAPHS[graph]()
    nodes = sorted(g)
    a = nx.to_numpy_array(g, nodelist=nodes)
    transition = a / a.sum(axis=0)
    n = len(nodes)
    expected = np.linalg.solve(np.eye(n) - 0.85 * transition, np.full(n, 0.15 / n))
    scores = measure_scores(g, "pagerank")
    assert [scores[v] for v in nodes] == pytest.approx(list(expected), abs=1e-5)


def test_directed_degrees_and_hits_on_an_out_star():
    g = nx.DiGraph([("c", leaf) for leaf in "abde"])
    assert measure_scores(g, "out-degree") == {"c": 4, "a": 0, "b": 0, "d": 0, "e": 0}
    assert measure_scores(g, "in-degree") == {"c": 0, "a": 1, "b": 1, "d": 1, "e": 1}
    assert measure_scores(g, "degree")["c"] == 4
    hubs, auths = measure_scores(g, "hubs"), measure_scores(g, "authorities")
    assert hubs["c"] == pytest.approx(1.0) and hubs["a"] == pytest.approx(0.0, abs=1e-9)
    assert auths["c"] == pytest.approx(0.0, abs=1e-9) and auths["a"] == pytest.approx(0.25)


def test_hits_on_a_complete_bipartite_graph():
    g = nx.DiGraph([(h, a) for h in ("h1", "h2") for a in ("a1", "a2", "a3")])
    hubs, auths = measure_scores(g, "hubs"), measure_scores(g, "authorities")
    assert [hubs[h] for h in ("h1", "h2")] == pytest.approx([0.5, 0.5])
    assert [auths[a] for a in ("a1", "a2", "a3")] == pytest.approx([1 / 3] * 3)


def test_hits_without_edges_is_zero():
    g = nx.DiGraph()
    g.add_nodes_from("ab")
    assert measure_scores(g, "hubs") == {"a": 0.0, "b": 0.0}


def test_directed_closeness_uses_incoming_distances():
    scores = measure_scores(nx.DiGraph([("a", "b"), ("b", "c")]), "closeness")
    assert scores["a"] == 0.0
    assert scores["c"] == pytest.approx(2 / 3)  # reached from a (2) and b (1): 2 / 3


def test_sampled_betweenness_is_seeded_and_exact_when_k_covers_all():
    g = two_cliques()
    assert measure_scores(g, "betweenness", k=8) == measure_scores(g, "betweenness")
    first = measure_scores(g, "betweenness", k=3, seed=5)
    assert first == measure_scores(g, "betweenness", k=3, seed=5)


@pytest.mark.parametrize("name", [m.name for m in MEASURES.values() if m.directed_only])
def test_directed_only_measures_refuse_undirected_graphs(name):
    with pytest.raises(UsageError, match=f"{name} needs a directed projection"):
        measure_scores(star(), name)


def test_rank_breaks_ties_by_label_then_iri_and_shares_ranks():
    scores = {"x1": 2.0, "x2": 1.0, "x3": 2.0, "x4": 1.0000000000001, "x5": 0.5}
    labels = {"x1": "beta", "x2": "alpha", "x3": "alpha", "x4": "alpha", "x5": "zeta"}
    rows = rank(scores, labels, dict.fromkeys(scores, ""), dict.fromkeys(scores, ""))
    assert [(r.rank, str(r.iri)) for r in rows] == [
        (1, "x3"),
        (1, "x1"),
        (3, "x2"),
        (3, "x4"),
        (5, "x5"),
    ]


def test_tidy():
    assert tidy(0.123456789) == 0.123457
    assert tidy(-1e-17) == 0.0
    assert tidy(3.0, integer=True) == 3 and isinstance(tidy(3.0, integer=True), int)


def test_parse_measures():
    assert parse_measures([]) == ["degree"]
    assert parse_measures(["pagerank,degree", "degree", " hits "]) == [
        "pagerank",
        "degree",
        "hubs",
        "authorities",
    ]
    with pytest.raises(UsageError, match="--measure 'fame': unknown measure; choose from: degree"):
        parse_measures(["degree,fame"])


@pytest.mark.parametrize(
    ("measure", "target"), [("eigenvector", "eigenvector_centrality"), ("hubs", "hits")]
)
def test_non_convergence_is_a_one_line_error(monkeypatch, measure, target):
    def fail(*args, **kwargs):
        raise nx.PowerIterationFailedConvergence(1000)

    monkeypatch.setattr(nx, target, fail)
    with pytest.raises(KgError, match="did not converge on this projection"):
        measure_scores(nx.DiGraph([("a", "b"), ("b", "a")]), measure)


# -- compute_centrality on RDF ----------------------------------------------------------------


def test_compute_ranks_all_measures_and_labels_fall_back_to_iri():
    result = compute_centrality(rdf(STAR_TTL), ["degree", "betweenness"])
    assert [r.measure for r in result.rankings] == ["degree", "betweenness"]
    top = result.rankings[0].rows[0]
    # without labels in the graph, both fall back to the IRI's last segment
    assert (top.label, top.cls, top.score, top.kind) == ("c", "Place", 2, "Place")
    assert [(r.rank, r.label) for r in result.rankings[1].rows] == [(1, "c"), (2, "a"), (2, "b")]


def test_compute_refuses_directed_measures_before_work():
    with pytest.raises(UsageError, match="in-degree needs a directed projection: add --directed"):
        compute_centrality(rdf(STAR_TTL), ["in-degree"])


def test_nothing_to_rank_is_an_error():
    with pytest.raises(KgError, match="nothing to rank"):
        compute_centrality(
            rdf("<http://example.org/a> <http://example.org/b> <http://example.org/c> .")
        )


def test_progress_only_for_large_graphs():
    said: list[str] = []
    compute_centrality(rdf(STAR_TTL), ["degree"], progress=said.append)
    assert said == []
    compute_centrality(rdf(chain_ttl(1100)), ["degree", "pagerank"], progress=said.append)
    assert said[0].startswith("projected 1101 nodes and 1100 edges")
    assert any(line.startswith("[2/2] pagerank done") for line in said)


def test_scores_graph_is_isomorphic_to_expected():
    result = compute_centrality(rdf(STAR_TTL), ["degree"])
    expected = rdf(
        """@prefix kg: <https://w3id.org/kg/ont#> .
@prefix place: <https://w3id.org/kg/id/place/> .
@prefix s: <https://w3id.org/kg/id/score/degree/place/> .
s:c a kg:CentralityScore ; kg:scoreOf place:c ; kg:centralityMeasure kg:degree-centrality ; kg:score 2.0 ; kg:scoreRank 1 .
s:a a kg:CentralityScore ; kg:scoreOf place:a ; kg:centralityMeasure kg:degree-centrality ; kg:score 1.0 ; kg:scoreRank 2 .
"""
    )
    assert isomorphic(scores_graph(result, top=2), expected)


def test_scores_use_only_declared_ontology_terms():
    result = compute_centrality(rdf(STAR_TTL), list(MEASURES), ProjectionOptions(directed=True))
    out = scores_graph(result)
    used = {
        t for triple in out for t in triple if isinstance(t, URIRef) and str(t).startswith(str(KG))
    }
    ontology = Graph().parse(ROOT / "ontology" / "kg.ttl")
    assert {m.concept for m in MEASURES.values()} <= used
    assert used, "the scores use kg: terms"
    for term in used:
        assert (term, None, None) in ontology, f"{term} is not declared in ontology/kg.ttl"


# -- the project's data --------------------------------------------------------------------


def test_project_baotou_park_ranks_first_by_degree_and_pagerank(project_dataset):
    """The Baotou article lists the park's sub-parks, facilities, firms and neighbours: no other
    entity is linked to as many."""
    result = compute_centrality(project_dataset, ["degree", "pagerank", "betweenness"])
    tops = {r.measure: r.rows[0] for r in result.rankings}
    assert str(tops["degree"].iri) == BAOTOU_PARK and tops["degree"].rank == 1
    assert str(tops["pagerank"].iri) == BAOTOU_PARK
    top5 = {str(row.iri) for row in result.rankings[2].rows[:5]}
    # China joins the articles' province-level divisions: it lies on the paths between them.
    assert {BAOTOU_PARK, "https://w3id.org/kg/id/place/china"} <= top5


def test_project_china_is_the_top_containment_sink(project_dataset):
    """Every article's places lie in China: a random walk up kg:locatedIn ends there."""
    result = compute_centrality(
        project_dataset, ["pagerank"], ProjectionOptions(directed=True, predicates=(KG.locatedIn,))
    )
    assert str(result.rankings[0].rows[0].iri) == "https://w3id.org/kg/id/place/china"


def test_a_measure_is_one_registry_entry(monkeypatch):
    """Registering a measure (one Measure line) is all it takes: the command line parses it and
    both engines rank by it; its functions are what each engine calls."""
    import numpy as np

    from kg.network.measures import Measure, compute_centrality, parse_measures
    from kg.network.projection import project

    calls = []

    def by_networkx(g, k, seed):
        calls.append("networkx")
        return {n: float(len(str(n))) for n in g}

    def by_fast(proj, k, seed):
        calls.append("fast")
        return np.array([float(len(proj.names[i])) for i in range(proj.nodes)])

    monkeypatch.setitem(
        MEASURES, "name-length", Measure("name-length", KG["name-length"], "length of the IRI", by_networkx, by_fast)
    )
    assert parse_measures(["degree,name-length"]) == ["degree", "name-length"]
    graph = rdf(STAR_TTL)
    rankings = {}
    for engine in ("networkx", "fast"):
        result = compute_centrality(graph, ["name-length"], engine=engine)
        rankings[engine] = [(r.iri, r.score) for r in result.rankings[0].rows]
    assert calls == ["networkx", "fast"]
    assert rankings["networkx"] == rankings["fast"]
    longest = max(project(graph).names, key=len)
    assert str(rankings["fast"][0][0]) == longest


def test_every_measure_has_a_function_for_each_engine():
    for measure in MEASURES.values():
        assert callable(measure.networkx) and callable(measure.fast), measure.name
        assert measure.networkx.__module__ == "kg.network.reference"
        assert measure.fast.__module__ == "kg.network.fast"
