"""Centrality engines at scale (run by hand; results in docs/benchmarks-engines.md).

    .venv/bin/python bench/centrality_engines.py graphs            # networkx generators
    .venv/bin/python bench/centrality_engines.py store DIR [DIR...] # kg load'ed stores

``graphs``: Barabasi-Albert graphs of ~150k and ~1.4M nodes (networkx's generator, seed 1), then
PageRank with each engine (networkx includes building its graph). ``store``: the projection of
each Oxigraph store (made by ``kg synth`` + ``kg load``), then PageRank with each engine, as
``kg centrality --store DIR -m pagerank`` does it. Wall-clock seconds and peak RSS.
"""

from __future__ import annotations

import resource
import sys
import time


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def timed(label: str, work):  # type: ignore[no-untyped-def]
    t = time.monotonic()
    result = work()
    print(f"{label:55s} {time.monotonic() - t:8.2f} s   peak {peak_mb()} MB", flush=True)
    return result


def from_edges(n: int, edges, directed: bool = False):  # type: ignore[no-untyped-def]
    import numpy as np

    from kg.network.projection import Projection

    e = np.asarray(edges, dtype=np.int64)
    e.sort(axis=1)
    e = np.unique(e, axis=0)
    return Projection(names=[f"urn:n:{i:08d}" for i in range(n)], kinds=["Other"] * n, classes=[""] * n,
                      heads=e[:, 0].copy(), tails=e[:, 1].copy(), directed=directed)  # fmt: skip


def graphs() -> None:
    import networkx as nx

    from kg.network.measures import engine_scores

    for n in (150_000, 1_400_000):
        g = timed(f"barabasi_albert_graph({n}, 4)", lambda: nx.barabasi_albert_graph(n, 4, seed=1))
        edges = list(g.edges())
        del g
        proj = timed("  edge arrays", lambda: from_edges(n, edges))
        print(f"  {proj.nodes} nodes, {proj.edges} edges")
        fast = timed("  pagerank, fast engine", lambda: engine_scores(proj, "pagerank", "fast"))
        reference = timed("  pagerank, networkx engine (incl. its graph)", lambda: engine_scores(proj, "pagerank", "networkx"))
        print(f"  max |difference| {abs(fast - reference).max():.2e}")
        import igraph as ig

        h = ig.Graph(n=proj.nodes, edges=list(zip(proj.heads.tolist(), proj.tails.tolist())))
        timed("  pagerank, igraph PRPACK (for comparison)", lambda: h.pagerank(damping=0.85))
        timed("  betweenness, 256 sources, fast engine", lambda: engine_scores(proj, "betweenness", "fast", k=256))


def stores(paths: list[str]) -> None:
    import pyoxigraph as ox

    from kg.network.measures import engine_scores, rank_values
    from kg.network.projection import project
    from kg.backends.edges import OxigraphSource

    for path in paths:
        store = ox.Store.read_only(path)
        proj = timed(f"projection of {path}", lambda: project(OxigraphSource(store)))
        print(f"  {proj.nodes} nodes, {proj.edges} edges")
        for engine in ("fast", "networkx"):
            values = timed(f"  pagerank, {engine}", lambda: engine_scores(proj, "pagerank", engine))
            timed("  rank, top 20 (labels fetched)", lambda: rank_values(values, proj, top=20))


if __name__ == "__main__":
    if sys.argv[1:2] == ["graphs"]:
        graphs()
    elif sys.argv[1:2] == ["store"]:
        stores(sys.argv[2:])
    else:
        sys.exit(__doc__)
