"""The fast centrality engine: the same measures as kg.network.measures's networkx engine, computed on
the projection's integer edge arrays without building a networkx graph.

Each measure gives networkx's value for every node (the tests compare both engines on small
graphs and on the project's data):

- degree, in-degree, out-degree: counted with numpy.
- betweenness: igraph (C), scaled as networkx scales it. Sampled betweenness (``k`` sources)
  draws the same sources networkx draws (``random.Random(seed).sample`` over the nodes in the
  same order) and runs igraph's subset betweenness from them, so it is the same estimate, not
  just a similar one.
- closeness: igraph, scaled by the share of nodes that reach the node (Wasserman-Faust, as
  networkx does for disconnected graphs); distances *to* the node when directed.
- pagerank: the power iteration networkx runs on scipy (damping 0.85, dangling nodes spread
  uniformly), on a sparse matrix built straight from the arrays, iterated to a tolerance of
  1e-10 per node. igraph's PRPACK gives the same values but was slower on these graphs
  (docs/benchmarks-engines.md).
- eigenvector: networkx's power iteration on A + I (left eigenvector, unit length, the same
  start vector and stopping rule), vectorised with scipy; igraph's ARPACK answer differs where
  the leading eigenvalue is not simple (disconnected graphs with equal components).
- hubs, authorities: networkx's HITS (scipy's ``svds`` from the all-ones start vector, scaled to
  sum 1) on the same matrix; igraph's scores differ where the top singular value is repeated.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from kg.errors import KgError, UsageError

if TYPE_CHECKING:
    from kg.network.projection import Projection

from kg.network.reference import MAX_ITERATIONS, PAGERANK_TOLERANCE

#: networkx's convergence test for eigenvector centrality: L1 change < nodes * TOLERANCE.
EIGENVECTOR_TOLERANCE = 1e-6


def _igraph(proj: Projection) -> Any:
    import igraph as ig
    import numpy as np

    return ig.Graph(n=proj.nodes, edges=np.column_stack([proj.heads, proj.tails]).tolist(), directed=proj.directed)


def _adjacency(proj: Projection) -> Any:
    """The adjacency matrix (rows: from, columns: to; symmetric when undirected), CSR, float."""
    import numpy as np
    import scipy.sparse as sp

    heads, tails = proj.heads, proj.tails
    if not proj.directed:
        heads, tails = np.concatenate([heads, tails]), np.concatenate([tails, heads])
    n = proj.nodes
    return sp.csr_array((np.ones(len(heads)), (heads, tails)), shape=(n, n))


def degrees(proj: Projection, name: str) -> Any:
    import numpy as np

    n = proj.nodes
    incoming = np.bincount(proj.tails, minlength=n)
    outgoing = np.bincount(proj.heads, minlength=n)
    if name == "in-degree":
        return incoming
    if name == "out-degree":
        return outgoing
    return incoming + outgoing


def betweenness(proj: Projection, k: int | None = None, seed: int = 0) -> Any:
    """networkx's ``betweenness_centrality(normalized=True, k=k, seed=seed)``."""
    import numpy as np

    n = proj.nodes
    if n <= 2:
        return np.zeros(n)
    g = _igraph(proj)
    pairs = 1.0 if proj.directed else 2.0  # igraph counts an undirected pair once, networkx twice
    if k is None or k >= n:
        return np.array(g.betweenness(directed=proj.directed)) * pairs / ((n - 1) * (n - 2))
    if k < 2:
        raise UsageError("-k 1 leaves the betweenness of the sampled node undefined: sample 2 or more")
    sources = random.Random(seed).sample(range(n), k)  # the nodes networkx's sample picks
    raw = np.array(g.betweenness(directed=proj.directed, sources=sources)) * pairs
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[sources] = 1.0 / ((k - 1) * (n - 2))
    return raw * scale


def closeness(proj: Projection, k: int | None = None, seed: int = 0) -> Any:
    """networkx's ``closeness_centrality`` (``wf_improved``): (r-1)/sum of distances times
    (r-1)/(n-1), r the nodes that reach the node (itself included)."""
    import numpy as np

    n = proj.nodes
    g = _igraph(proj)
    mode = "in" if proj.directed else "all"
    raw = np.nan_to_num(np.array(g.closeness(mode=mode, normalized=True), dtype=float), nan=0.0)
    if proj.directed:
        reach = np.array(g.neighborhood_size(order=n, mode="in"), dtype=float)
    else:
        membership = np.array(g.connected_components().membership)
        reach = np.bincount(membership)[membership].astype(float)
    return raw * (reach - 1) / max(n - 1, 1)


def pagerank(proj: Projection, k: int | None = None, seed: int = 0, *, alpha: float = 0.85) -> Any:
    """networkx's ``pagerank(alpha=0.85)``: power iteration, dangling nodes spread uniformly."""
    import numpy as np
    import scipy.sparse as sp

    n = proj.nodes
    a = _adjacency(proj)
    out = np.asarray(a.sum(axis=1)).ravel()
    inverse = np.divide(1.0, out, out=np.zeros(n), where=out != 0)
    walk = sp.diags_array(inverse) @ a
    dangling = np.flatnonzero(out == 0)
    x = np.full(n, 1.0 / n)
    for _ in range(MAX_ITERATIONS):
        last = x
        x = alpha * (x @ walk + last[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(x - last).sum() < n * PAGERANK_TOLERANCE:
            return x
    raise KgError("PageRank did not converge on this projection")


def eigenvector(proj: Projection, k: int | None = None, seed: int = 0) -> Any:
    """networkx's ``eigenvector_centrality(max_iter=1000)``, the same iteration vectorised."""
    import numpy as np

    n = proj.nodes
    into = _adjacency(proj).T.tocsr()  # x[v] gathers x[u] over the links u -> v
    x = np.full(n, 1.0 / n)
    for _ in range(MAX_ITERATIONS):
        last = x
        x = last + into @ last
        norm = float(np.linalg.norm(x)) or 1.0
        x = x / norm
        if np.abs(x - last).sum() < n * EIGENVECTOR_TOLERANCE:
            return x
    hint = "; try --undirected" if proj.directed else ""
    raise KgError(f"eigenvector centrality did not converge on this projection{hint}")


def hits(proj: Projection) -> tuple[Any, Any]:
    """networkx's ``hits(max_iter=1000, nstart=all ones)``: hubs and authorities, each summing
    to 1 (zeros without edges)."""
    import numpy as np
    import scipy.sparse.linalg as sla

    n = proj.nodes
    if proj.edges == 0:
        return np.zeros(n), np.zeros(n)
    a = _adjacency(proj)
    try:
        _, _, vt = sla.svds(a, k=1, v0=np.ones(n), maxiter=MAX_ITERATIONS, tol=1e-8)
    except sla.ArpackNoConvergence as exc:
        raise KgError("HITS did not converge on this projection; try another measure") from exc
    authorities = vt.flatten().real
    scale = np.abs(authorities).max()
    if scale == 0 or (authorities > 1e-9 * scale).any() and (authorities < -1e-9 * scale).any():
        # The top singular value is repeated (a directed path: every authority equal), and
        # ARPACK returned some vector of its space, signs mixed: sums near zero, scores of 1e15.
        # The one HITS means is the power iteration's from all ones (Kleinberg's definition).
        authorities = _hits_power(a, n)
    hubs = a @ authorities
    return hubs / hubs.sum(), authorities / authorities.sum()


def _hits_power(a: Any, n: int) -> Any:
    """HITS authorities by power iteration from all ones (each step scaled to a maximum of 1)."""
    import numpy as np

    authorities = np.ones(n)
    for _ in range(MAX_ITERATIONS):
        last = authorities
        authorities = a.T @ (a @ authorities)
        top = authorities.max()
        if top <= 0:
            break
        authorities = authorities / top
        if np.abs(authorities - last).sum() < 1e-13 * n:
            break
    return authorities


# One function per measure, ``(proj, k, seed) -> scores in node order``, as kg.network.measures
# registers them.


def degree(proj: Projection, k: int | None = None, seed: int = 0) -> Any:
    return degrees(proj, "degree")


def in_degree(proj: Projection, k: int | None = None, seed: int = 0) -> Any:
    return degrees(proj, "in-degree")


def out_degree(proj: Projection, k: int | None = None, seed: int = 0) -> Any:
    return degrees(proj, "out-degree")


def hubs(proj: Projection, k: int | None = None, seed: int = 0) -> Any:
    return hits(proj)[0]


def authorities(proj: Projection, k: int | None = None, seed: int = 0) -> Any:
    return hits(proj)[1]
