"""Canonical blank node labels by colour refinement (kg.rdf.blank_nodes): the same graph gives
the same labels whatever the parser called its blank nodes and in whatever order, and the work
stays small where RDFC-1.0 takes minutes."""

from __future__ import annotations

import random

import pytest
from rdflib import BNode, Literal, URIRef

from kg.rdf import blank_nodes
from kg.rdf.blank_nodes import BlankNodeLimitError, rdfc_is_cheap, refined_labels

P = URIRef("http://example.org/p")
Q = URIRef("http://example.org/q")
G = URIRef("http://example.org/g")


def chain(n: int) -> list:
    b = [BNode() for _ in range(n)]
    return [(b[i], P, b[i + 1], G) for i in range(n - 1)]


def grid(n: int) -> list:
    b = [[BNode() for _ in range(n)] for _ in range(n)]
    return [(b[i][j], P, b[i + di][j + dj], None) for i in range(n) for j in range(n)
            for di, dj in ((1, 0), (0, 1)) if i + di < n and j + dj < n]


def tree(depth: int) -> list:
    out, level = [], [BNode()]
    for _ in range(depth):
        level = [c for n in level for c in (BNode(), BNode()) if out.append((n, P, c, None)) is None]
    return out


def twins(n: int) -> list:
    """n copies of the same small structure, with a literal that sets one apart."""
    out = []
    for i in range(n):
        a, b = BNode(), BNode()
        out += [(a, P, b, None), (b, Q, Literal("odd" if i == 3 else "x"), None)]
    return out


def relabelled(quads: list, seed: int) -> list:
    """The same graph with new blank node names, in another order."""
    rng = random.Random(seed)
    names = {t: BNode() for q in quads for t in q if isinstance(t, BNode)}
    out = [tuple(names.get(t, t) if isinstance(t, BNode) else t for t in q) for q in quads]
    rng.shuffle(out)
    return out


def canonical(quads: list) -> list:
    labels = refined_labels(quads)
    return sorted(tuple(str(labels[t]) if isinstance(t, BNode) else str(t) for t in q) for q in quads)


@pytest.mark.parametrize("make,size", [(chain, 1000), (grid, 9), (tree, 8), (twins, 50)], ids=["chain", "grid", "tree", "twins"])
def test_labels_do_not_depend_on_names_or_order(make, size: int):
    quads = make(size)
    first = canonical(quads)
    assert [canonical(relabelled(quads, seed)) for seed in (1, 2, 3)] == [first] * 3
    labels = refined_labels(quads)
    assert sorted(str(v) for v in labels.values()) == sorted(f"h{i}" for i in range(len(labels)))


def test_different_graphs_get_different_labellings():
    assert canonical(chain(5)) != canonical(chain(5)[:-1] + [(BNode(), Q, BNode(), G)])


def test_rdfc_is_kept_for_blank_nodes_it_labels_quickly():
    assert rdfc_is_cheap(twins(1000)), "many small groups: each is cheap for RDFC-1.0"
    assert rdfc_is_cheap(chain(blank_nodes.RDFC_TIED_LIMIT))
    assert not rdfc_is_cheap(chain(blank_nodes.RDFC_TIED_LIMIT + 3))
    assert not rdfc_is_cheap(grid(9)), "a 9 x 9 grid takes RDFC-1.0 (pyoxigraph) minutes"


def test_a_group_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(blank_nodes, "REFINE_LIMIT", 100)
    with pytest.raises(BlankNodeLimitError, match=r"^200 blank nodes linked to each other, more than the 100 that kg labels canonically"):
        refined_labels(chain(200))
