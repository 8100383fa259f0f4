"""The projection's edges as arrays: predicates kept, parallel links merged, unlinked nodes
dropped (numpy; kg.network.projection collects the links, this makes the :class:`Projection`)."""

from __future__ import annotations

from array import array
from collections import Counter
from typing import TYPE_CHECKING

from rdflib import URIRef

from kg.network.projection import Projection, ProjectionOptions, _check_terms, qname

if TYPE_CHECKING:
    from kg.network.projection import Plan
    from kg.backends.edges import Source


def assemble(
    nodes: list[str],
    types: dict[str, list[str]],
    plan: Plan,
    heads: array[int],
    tails: array[int],
    pids: array[int],
    predicate_ids: dict[str, int],
    options: ProjectionOptions,
    source: Source,
) -> Projection:
    """Keep the predicates asked for, merge parallel links into one edge, drop unlinked nodes."""
    import numpy as np

    s = np.frombuffer(heads, dtype=np.int64) if len(heads) else np.empty(0, dtype=np.int64)
    o = np.frombuffer(tails, dtype=np.int64) if len(tails) else np.empty(0, dtype=np.int64)
    p = np.frombuffer(pids, dtype=np.int64) if len(pids) else np.empty(0, dtype=np.int64)
    names = sorted(predicate_ids, key=predicate_ids.__getitem__)
    used = {URIRef(names[i]) for i in np.unique(p).tolist()}
    _check_terms(options.predicates, used, "--predicate", "no edge of the projection uses it")
    _check_terms(options.exclude_predicates, used, "--exclude-predicate", "no edge of the projection uses it")
    keep = (set(options.predicates) or used) - set(options.exclude_predicates)
    mask = np.isin(p, [predicate_ids[str(k)] for k in keep])
    s, o, p = s[mask], o[mask], p[mask]
    if not options.directed:
        s, o = np.minimum(s, o), np.maximum(s, o)
    order = np.lexsort((p, o, s))
    s, o, p = s[order], o[order], p[order]
    distinct = np.ones(len(s), dtype=bool)
    distinct[1:] = (s[1:] != s[:-1]) | (o[1:] != o[:-1]) | (p[1:] != p[:-1])
    s, o, p = s[distinct], o[distinct], p[distinct]
    first = np.ones(len(s), dtype=bool)
    first[1:] = (s[1:] != s[:-1]) | (o[1:] != o[:-1])
    edge_of_row = np.cumsum(first) - 1
    is_linked = np.zeros(len(nodes), dtype=bool)
    is_linked[s] = True
    is_linked[o] = True
    renumber = np.cumsum(is_linked) - 1
    qnames = [qname(n) for n in names]
    counts: Counter[str] = Counter()
    for i, n in zip(*(a.tolist() for a in np.unique(p, return_counts=True))):
        counts[qnames[i]] += n
    kept = [nodes[i] for i in np.flatnonzero(is_linked).tolist()]
    shown = [plan.shown(tuple(types[n])) for n in kept]
    return Projection(
        names=kept,
        kinds=[k for k, _ in shown],
        classes=[c for _, c in shown],
        heads=renumber[s[first]],
        tails=renumber[o[first]],
        directed=options.directed,
        isolated=len(nodes) - len(kept),
        predicates=sorted(counts.items()),
        edge_predicates=(edge_of_row, p, qnames),
        source=source,
    )
