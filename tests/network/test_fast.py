"""The fast centrality engine gives networkx's values; every projection source gives the same
projection (rdflib, a pyoxigraph store, plain SPARQL)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from tests.network.support import STAR_TTL, chain_ttl, rdf
from rdflib import Graph

from kg.network import fast as centrality_fast
from kg.network.measures import MEASURES, choose_engine, compute_centrality, engine_scores, rank, rank_values
from kg.errors import KgError, UsageError
from kg.network.projection import ProjectionOptions, project
from kg.backends.edges import OxigraphSource, SparqlSource

PREFIXES = "@prefix kg: <https://w3id.org/kg/ont#> .\n@prefix place: <https://w3id.org/kg/id/place/> .\n"


def as_rdf(g: nx.Graph) -> Graph:
    """Places linked by kg:locatedIn along the graph's edges (u -> v)."""
    lines = [PREFIXES] + [f"place:n{v} a kg:Place ." for v in g]
    lines += [f"place:n{u} kg:locatedIn place:n{v} ." for u, v in g.edges()]
    return rdf("\n".join(lines))


def two_cliques_bridge() -> nx.Graph:
    g = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(5))
    g.add_edge(4, 5)
    return g


def two_components() -> nx.Graph:
    return nx.disjoint_union(nx.path_graph(4), nx.star_graph(3))


def sparse_directed() -> nx.DiGraph:
    g = nx.gnm_random_graph(30, 45, seed=4, directed=True)
    g.remove_nodes_from(list(nx.isolates(g)))
    return g


GRAPHS = {
    "star": lambda: nx.star_graph(6),
    "path": lambda: nx.path_graph(7),
    "two-cliques-bridge": two_cliques_bridge,
    "random": lambda: nx.gnm_random_graph(60, 150, seed=1),
    "two-components": two_components,
    "random-directed": lambda: nx.gnm_random_graph(60, 200, seed=3, directed=True),
    "sparse-directed": sparse_directed,
    "in-star": lambda: nx.DiGraph([(i, 0) for i in range(1, 6)]),
    "directed-path": lambda: nx.DiGraph([(i, i + 1) for i in range(6)]),  # HITS is degenerate here
}
CASES = [
    (graph, measure, k)
    for graph, make in GRAPHS.items()
    for measure, spec in MEASURES.items()
    if make().is_directed() or not spec.directed_only
    for k in ([None, 2, 5] if measure == "betweenness" else [None])
]


def values(proj, measure, engine, k=None):
    try:
        return engine_scores(proj, measure, engine, k=k, seed=3)
    except KgError as exc:
        return str(exc)


@pytest.mark.parametrize(("graph", "measure", "k"), CASES, ids=[f"{g}-{m}-k{k}" for g, m, k in CASES])
def test_fast_engine_equals_networkx_on_small_graphs(graph, measure, k):
    g = GRAPHS[graph]()
    proj = project(as_rdf(g), ProjectionOptions(directed=g.is_directed()))
    reference, fast = values(proj, measure, "networkx", k), values(proj, measure, "fast", k)
    if isinstance(reference, str) or isinstance(fast, str):
        assert fast == reference  # the same one-line error, or a value on both sides
    else:
        assert np.max(np.abs(reference - fast)) < 1e-9


def test_hand_computed_values_on_the_fast_engine():
    """A star with centre c and leaves a, b (values by hand, as in test_centrality)."""
    proj = project(rdf(STAR_TTL))
    c, a = proj.names.index("https://w3id.org/kg/id/place/c"), proj.names.index("https://w3id.org/kg/id/place/a")
    scores = {m: engine_scores(proj, m, "fast") for m in ("degree", "betweenness", "closeness", "pagerank")}
    assert (scores["degree"][c], scores["degree"][a]) == (2, 1)
    assert (scores["betweenness"][c], scores["betweenness"][a]) == (1.0, 0.0)
    assert scores["closeness"][a] == pytest.approx(2 / 3)
    # PageRank: c = 0.05 + 0.85 * 2l, l = 0.05 + 0.85 * c / 2, so c = 0.135 / 0.2775
    assert scores["pagerank"][c] == pytest.approx(0.135 / 0.2775, abs=1e-9)


OPTIONS = [ProjectionOptions(), ProjectionOptions(directed=True), ProjectionOptions(concepts=True)]


@pytest.mark.parametrize("options", OPTIONS, ids=["undirected", "directed", "concepts"])
def test_both_engines_rank_the_project_data_alike(project_dataset, options):
    measures = [m for m, spec in MEASURES.items() if options.directed or not spec.directed_only]
    reference = compute_centrality(project_dataset, measures, options, engine="networkx")
    fast = compute_centrality(project_dataset, measures, options, engine="fast", top=15)
    assert reference.projection.nodes > 50, "the articles link dozens of entities"
    for a, b in zip(reference.rankings, fast.rankings):
        assert b.rows == a.rows[:15], a.measure
    sampled = [compute_centrality(project_dataset, ["betweenness"], options, k=10, seed=7, engine=e) for e in ("networkx", "fast")]
    assert sampled[0].rankings[0].rows == sampled[1].rankings[0].rows


def test_rank_values_top_keeps_ties_at_the_boundary():
    proj = project(as_rdf(nx.star_graph(6)))
    scores = np.array([1.0, 3.0, 2.0, 2.0, 2.0, 0.5, 0.5])
    everything = rank(
        dict(zip(proj.iris, scores.tolist())),
        dict(zip(proj.iris, proj.labels_of(range(proj.nodes)))),
        dict(zip(proj.iris, proj.classes)),
        dict(zip(proj.iris, proj.kinds)),
    )
    assert rank_values(scores, proj) == everything
    assert rank_values(scores, proj, top=3) == everything[:3]
    assert [r.rank for r in rank_values(scores, proj, top=3)] == [1, 2, 2]


def test_auto_picks_networkx_for_small_and_fast_for_large_projections():
    assert choose_engine("auto", project(rdf(STAR_TTL))) == "networkx"
    assert choose_engine("auto", project(rdf(chain_ttl(1100)))) == "fast"
    assert choose_engine("networkx", project(rdf(chain_ttl(1100)))) == "networkx"
    said: list[str] = []
    compute_centrality(rdf(chain_ttl(1100)), ["pagerank"], progress=said.append)
    assert said[0].endswith("(engine: fast)")
    with pytest.raises(UsageError, match="--engine 'spark': choose from: auto, networkx, fast"):
        compute_centrality(rdf(STAR_TTL), ["degree"], engine="spark")


def test_one_sample_is_a_usage_error_in_both_engines():
    proj = project(as_rdf(nx.path_graph(5)))
    for engine in ("networkx", "fast"):
        with pytest.raises(UsageError, match="-k 1 leaves the betweenness of the sampled node undefined"):
            engine_scores(proj, "betweenness", engine, k=1)


def test_fast_engine_non_convergence_is_a_one_line_error(monkeypatch):
    proj = project(as_rdf(nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3)])), ProjectionOptions(directed=True))
    monkeypatch.setattr(centrality_fast, "MAX_ITERATIONS", 1)
    for measure in ("eigenvector", "pagerank"):
        with pytest.raises(KgError, match="did not converge on this projection"):
            engine_scores(proj, measure, "fast")

    import scipy.sparse.linalg as sla

    def fail(*args, **kwargs):
        raise sla.ArpackNoConvergence("no", None, None)

    monkeypatch.setattr(sla, "svds", fail)
    with pytest.raises(KgError, match="HITS did not converge"):
        engine_scores(proj, "hubs", "fast")


def test_fast_engine_refuses_directed_only_measures_undirected():
    with pytest.raises(UsageError, match="hubs needs a directed projection"):
        engine_scores(project(rdf(STAR_TTL)), "hubs", "fast")


# -- every source gives the same projection ------------------------------------------------------


def snapshot(proj) -> tuple:
    return (
        list(proj.graph.nodes(data=True)),
        list(proj.graph.edges(data=True)),
        proj.predicates,
        proj.isolated,
        proj.classes,
        proj.labels_of(range(proj.nodes)),
    )


def oxigraph_copy(graph: Graph, path: Path | None = None):
    import pyoxigraph as ox

    from kg.backends.oxigraph_terms import to_oxigraph

    store = ox.Store(str(path)) if path else ox.Store()
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph.triples((None, None, None)))
    return store


def rdflib_select(graph: Graph):
    """Plain SPARQL through rdflib: proves the queries are standard SPARQL 1.1, not Oxigraph's."""
    from rdflib import Literal, URIRef

    def value(term):
        if term is None:
            return None
        if isinstance(term, URIRef):
            return str(term)
        return ('"' if isinstance(term, Literal) else "_:") + str(term)

    def select(query):
        return [tuple(value(t) for t in row) for row in graph.query(query)]

    return select


@pytest.mark.parametrize("options", OPTIONS, ids=["undirected", "directed", "concepts"])
def test_oxigraph_store_gives_the_rdflib_projection(project_dataset, options):
    store = oxigraph_copy(project_dataset)
    assert snapshot(project(OxigraphSource(store), options)) == snapshot(project(project_dataset, options))


def test_plain_sparql_gives_the_rdflib_projection(project_dataset):
    union = Graph()
    for t in project_dataset.triples((None, None, None)):
        union.add(t)
    options = ProjectionOptions(directed=True)
    expected = snapshot(project(project_dataset, options))
    assert snapshot(project(SparqlSource(rdflib_select(union), threads=1), options)) == expected


def test_cli_store_and_engines_print_the_same_table(runner, project_dataset, tmp_path):
    from kg.cli import main

    store = oxigraph_copy(project_dataset, tmp_path / "store")
    del store  # closes it: the command opens it read-only
    args = ["centrality", "-m", "degree,pagerank,betweenness", "--top", "12"]
    memory = runner.invoke(main, args + ["--engine", "networkx"])
    assert memory.exit_code == 0, memory.output
    for extra in (["--engine", "fast"], ["--store", str(tmp_path / "store")]):
        res = runner.invoke(main, args + extra)
        assert (res.exit_code, res.stderr, res.stdout) == (0, "", memory.stdout), extra


def test_cli_one_sample_and_unknown_engine_are_usage_errors(runner):
    from kg.cli import main

    res = runner.invoke(main, ["centrality", "-m", "betweenness", "-k", "1"])
    assert res.exit_code == 2 and "-k" in res.stderr and res.stdout == ""
    res = runner.invoke(main, ["centrality", "--engine", "spark"])
    assert res.exit_code == 2 and "'spark' is not one of 'auto', 'networkx', 'fast'" in res.stderr


class FakeEndpoint:
    """A kg backend answering SPARQL from rdflib, as an endpoint backend answers over HTTP."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def query(self, text, params=None, source="query"):  # type: ignore[no-untyped-def]
        from kg.query.engine import run_query

        return run_query(self.graph, text, source=source)


def test_endpoint_backend_gives_the_rdflib_projection(project_dataset):
    from kg.backends.edges import as_source, backend_select

    union = Graph()
    for t in project_dataset.triples((None, None, None)):
        union.add(t)
    endpoint = FakeEndpoint(union)
    assert isinstance(as_source(endpoint), SparqlSource)
    expected = snapshot(project(project_dataset))
    assert snapshot(project(SparqlSource(backend_select(endpoint), threads=1))) == expected


def test_as_source_refuses_other_objects():
    from kg.backends.edges import as_source

    with pytest.raises(TypeError, match="cannot project int"):
        as_source(42)


def test_hits_on_a_repeated_singular_value_is_the_power_iterations(monkeypatch):
    """A directed path repeats HITS's top singular value: ARPACK may return any vector of its
    space (signs mixed, sums near zero, scores of 1e15). The fast engine then gives the power
    iteration's answer from all ones, as networkx does: every authority and hub equal."""
    import scipy.sparse.linalg as sla

    from kg.network import fast

    g = nx.DiGraph([(i, i + 1) for i in range(6)])
    proj = project(as_rdf(g), ProjectionOptions(directed=True))
    reference = values(proj, "authorities", "networkx")  # (before svds is replaced: networkx calls it too)
    real = sla.svds

    def mixed(a, **kwargs):  # what ARPACK returned in a CI run
        u, s, vt = real(a, **kwargs)
        return u, s, np.array([[0.0, 0.5, -0.3, 0.4, -0.2, 0.1, -0.5]])[:, : vt.shape[1]]

    monkeypatch.setattr(sla, "svds", mixed)
    hubs, authorities = fast.hits(proj)
    assert np.max(np.abs(authorities - reference)) < 1e-9
    assert sorted(set(np.round(hubs, 12))) == [0.0, round(1 / 6, 12)]
