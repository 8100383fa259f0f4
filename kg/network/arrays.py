"""The projection's edges as arrays: predicates kept, parallel links merged, unlinked nodes
dropped (numpy; kg.network.projection collects the links and makes the
:class:`kg.network.projection.Projection` of what this gives)."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef


@dataclass
class Edges:
    """The merged edges: ``kept`` the indices of the linked nodes (in order), ``heads`` and
    ``tails`` each edge's ends among them; ``edge_of_row`` and ``pids`` each merged link's edge
    and predicate (an index of ``names``); ``counts`` (predicate index, links) of the kept ones."""

    kept: list[int]
    heads: Any
    tails: Any
    edge_of_row: Any
    pids: Any
    names: list[str]
    counts: list[tuple[int, int]]


def assemble(
    nodes: int,
    heads: array[int],
    tails: array[int],
    pids: array[int],
    predicate_ids: dict[str, int],
    choose: Callable[[set[URIRef]], set[URIRef]],
    directed: bool,
) -> Edges:
    """Keep the predicates ``choose`` picks among those used, merge parallel links into one
    edge, drop unlinked nodes (of ``nodes``)."""
    import numpy as np

    s = np.frombuffer(heads, dtype=np.int64) if len(heads) else np.empty(0, dtype=np.int64)
    o = np.frombuffer(tails, dtype=np.int64) if len(tails) else np.empty(0, dtype=np.int64)
    p = np.frombuffer(pids, dtype=np.int64) if len(pids) else np.empty(0, dtype=np.int64)
    names = sorted(predicate_ids, key=predicate_ids.__getitem__)
    used = {URIRef(names[i]) for i in np.unique(p).tolist()}
    keep = choose(used)
    mask = np.isin(p, [predicate_ids[str(k)] for k in keep])
    s, o, p = s[mask], o[mask], p[mask]
    if not directed:
        s, o = np.minimum(s, o), np.maximum(s, o)
    order = np.lexsort((p, o, s))
    s, o, p = s[order], o[order], p[order]
    distinct = np.ones(len(s), dtype=bool)
    distinct[1:] = (s[1:] != s[:-1]) | (o[1:] != o[:-1]) | (p[1:] != p[:-1])
    s, o, p = s[distinct], o[distinct], p[distinct]
    first = np.ones(len(s), dtype=bool)
    first[1:] = (s[1:] != s[:-1]) | (o[1:] != o[:-1])
    edge_of_row = np.cumsum(first) - 1
    is_linked = np.zeros(nodes, dtype=bool)
    is_linked[s] = True
    is_linked[o] = True
    renumber = np.cumsum(is_linked) - 1
    counts = list(zip(*(a.tolist() for a in np.unique(p, return_counts=True))))
    return Edges(
        kept=np.flatnonzero(is_linked).tolist(),
        heads=renumber[s[first]],
        tails=renumber[o[first]],
        edge_of_row=edge_of_row,
        pids=p,
        names=names,
        counts=counts,
    )
