"""The reference centrality engine: networkx, one function per measure.

Each function takes a networkx graph, the number of sampled sources ``k`` (betweenness only)
and a ``seed``, and gives a dict node -> score. kg.network.fast computes the same values on
the projection's arrays; kg.network.measures registers both, one line per measure.
"""

from __future__ import annotations

from typing import Any

from kg.errors import KgError, UsageError

#: networkx's PageRank tolerance is too coarse for 6 digits; both engines use this one.
PAGERANK_TOLERANCE = 1e-10
MAX_ITERATIONS = 1000


def degree(g: Any, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    return {n: d for n, d in g.degree()}


def in_degree(g: Any, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    return {n: d for n, d in g.in_degree()}


def out_degree(g: Any, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    return {n: d for n, d in g.out_degree()}


def betweenness(g: Any, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    import networkx as nx

    sample = k if k is not None and k < g.number_of_nodes() else None
    if sample is not None and sample < 2:
        raise UsageError("-k 1 leaves the betweenness of the sampled node undefined: sample 2 or more")
    return nx.betweenness_centrality(g, k=sample, seed=seed if sample else None, normalized=True)  # type: ignore[no-any-return]


def closeness(g: Any, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    import networkx as nx

    return nx.closeness_centrality(g)  # type: ignore[no-any-return]


def pagerank(g: Any, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    import networkx as nx

    try:
        return nx.pagerank(g, alpha=0.85, tol=PAGERANK_TOLERANCE, max_iter=MAX_ITERATIONS)  # type: ignore[no-any-return]
    except nx.PowerIterationFailedConvergence as exc:
        raise KgError("PageRank did not converge on this projection") from exc


def eigenvector(g: Any, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    import networkx as nx

    try:
        return nx.eigenvector_centrality(g, max_iter=1000)  # type: ignore[no-any-return]
    except nx.PowerIterationFailedConvergence as exc:
        hint = "; try --undirected" if g.is_directed() else ""
        raise KgError(f"eigenvector centrality did not converge on this projection{hint}") from exc


def _hits(g: Any) -> tuple[dict[Any, float], dict[Any, float]]:
    import networkx as nx

    if g.number_of_edges() == 0:
        zeros = {n: 0.0 for n in g}
        return zeros, dict(zeros)
    try:
        # A fixed start vector makes ARPACK (and so the result) deterministic.
        hubs_, auths = nx.hits(g, max_iter=1000, nstart={n: 1.0 for n in g})
    except nx.PowerIterationFailedConvergence as exc:
        raise KgError("HITS did not converge on this projection; try another measure") from exc
    return hubs_, auths


def hubs(g: Any, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    return _hits(g)[0]


def authorities(g: Any, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    return _hits(g)[1]
