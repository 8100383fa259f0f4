"""Canonical blank node labels when RDFC-1.0 would take too long: colour refinement.

RDFC-1.0 (what :func:`kg.rdf.terms.canonical_blank_nodes` uses, through pyoxigraph) tells apart
blank nodes that look alike by exploring every path between them, which grows with the cube of
their number on a chain and exponentially on a grid: a 48 KB RDF/XML chain of 1,000 nested blank
nodes took over a minute, a 9 x 9 grid of 81 more than three, all of it in native code that
Ctrl-C cannot stop. Its cost comes from the blank nodes whose first-degree hash (their own quads,
other blank nodes blanked) is shared with another: :func:`rdfc_is_cheap` counts them per group of
connected blank nodes, and past :data:`RDFC_TIED_LIMIT` in one group kg labels blank nodes here.

The labelling here (``_:h0``, ``_:h1``...): each blank node starts with its first-degree hash;
each round, a node's colour becomes the hash of its colour and of its quads with the other blank
nodes replaced by their colours, until no class splits (colour refinement). Nodes still alike
after that are symmetric in practice (identical subtrees): one of them is singled out and the
refinement goes on. Each group of connected blank nodes is labelled on its own and the groups
are ordered by their labelled quads, so the same graph gives the same labels however it was
parsed. The work is at most quadratic in the size of a group, in Python (Ctrl-C stops it at
once); a group of more than :data:`REFINE_LIMIT` blank nodes is refused.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import KgError

#: Most blank nodes with a shared first-degree hash in one connected group that RDFC-1.0 gets:
#: at 8 any structure takes milliseconds (a chain of 150 takes 0.9 s, a 9 x 9 grid minutes).
RDFC_TIED_LIMIT = 8
#: Most blank nodes in one connected group that colour refinement labels (seconds at most).
REFINE_LIMIT = 20_000

Quad = tuple[Node, Node, Node, "Node | None"]


class BlankNodeLimitError(KgError):
    """A group of connected blank nodes too large to label canonically."""


def _spell(term: Node | None) -> str:
    """A term as text for hashing (blank nodes are never spelled: their colour stands in)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return repr((str(term), term.language or "", str(term.datatype or "")))
    raise TypeError(f"not a term: {term!r}")  # pragma: no cover - callers pass RDF terms


def _hash(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _groups(quads: Iterable[Quad]) -> tuple[dict[BNode, list[Quad]], list[list[BNode]]]:
    """Each blank node's quads, and the groups of blank nodes connected through quads."""
    quads_of: dict[BNode, list[Quad]] = defaultdict(list)
    parent: dict[BNode, BNode] = {}

    def find(b: BNode) -> BNode:
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for q in quads:
        blanks = list(dict.fromkeys(t for t in q if isinstance(t, BNode)))
        for b in blanks:
            quads_of[b].append(q)
            parent.setdefault(b, b)
        for b in blanks[1:]:
            parent[find(b)] = find(blanks[0])
    members: dict[BNode, list[BNode]] = defaultdict(list)
    for b in parent:
        members[find(b)].append(b)
    return quads_of, list(members.values())


def _first_degree(b: BNode, quads: list[Quad]) -> str:
    """RDFC-1.0's first-degree idea: the node's quads, itself as ``a``, other blank nodes ``z``."""
    lines = sorted(repr(tuple("_:a" if t == b else "_:z" if isinstance(t, BNode) else _spell(t) for t in q)) for q in quads)
    return _hash("first", lines)


def rdfc_is_cheap(quads: Iterable[Quad]) -> bool:
    """Whether no group of connected blank nodes holds more than RDFC_TIED_LIMIT blank nodes
    whose first-degree hash another blank node shares (what makes RDFC-1.0 slow)."""
    quads_of, groups = _groups(quads)
    first = {b: _first_degree(b, qs) for b, qs in quads_of.items()}
    count: dict[str, int] = defaultdict(int)
    for colour in first.values():
        count[colour] += 1
    return all(sum(1 for b in group if count[first[b]] > 1) <= RDFC_TIED_LIMIT for group in groups)


class _Group:
    """One group of connected blank nodes being coloured. Each node's quads are kept as
    templates (the quad with the node as ``@`` and other blank nodes blanked) and the other
    blank nodes in them, by position; colours are hashes of canonical content only."""

    def __init__(self, group: list[BNode], quads_of: dict[BNode, list[Quad]]) -> None:
        self.nodes = group
        self.entries: dict[BNode, list[tuple[str, tuple[BNode, ...]]]] = {}
        self.neighbours: dict[BNode, set[BNode]] = defaultdict(set)
        for b in group:
            self.entries[b] = [
                (repr(tuple("@" if t == b else "_:z" if isinstance(t, BNode) else _spell(t) for t in q)),
                 tuple(t for t in q if isinstance(t, BNode) and t != b))
                for q in quads_of[b]
            ]
            for _text, others in self.entries[b]:
                self.neighbours[b].update(others)
        self.colour = {b: _hash("first", sorted(text for text, _ in self.entries[b])) for b in group}
        self.members: dict[str, set[BNode]] = defaultdict(set)
        for b in group:
            self.members[self.colour[b]].add(b)
        self.tied = [c for c, m in self.members.items() if len(m) > 1]  # a heap, some entries stale
        heapq.heapify(self.tied)

    def _signature(self, b: BNode) -> str:
        colour = self.colour
        return _hash(colour[b], sorted((text, tuple(colour[o] for o in others)) for text, others in self.entries[b]))

    def _recolour(self, updates: dict[BNode, str]) -> None:
        for b, colour in updates.items():
            self.members[self.colour[b]].discard(b)
            self.members[colour].add(b)
            self.colour[b] = colour
            if len(self.members[colour]) == 2:
                heapq.heappush(self.tied, colour)

    def refine(self, changed: set[BNode]) -> None:
        """Colour refinement, round by round, until no class splits. A round looks only at the
        nodes next to a node whose colour changed (the dirty ones): the others of their class
        share one signature, read from one of them; dirty nodes of another signature take a
        new colour, which makes their neighbours dirty in the next round."""
        while changed:
            dirty = {n for b in changed for n in self.neighbours[b]}
            by_colour: dict[str, list[BNode]] = defaultdict(list)
            for b in dirty:
                by_colour[self.colour[b]].append(b)
            updates: dict[BNode, str] = {}
            for colour in sorted(by_colour):
                group = self.members[colour]
                if len(group) == 1:
                    continue  # a colour of its own: final
                signatures = {b: self._signature(b) for b in by_colour[colour]}
                clean = next((b for b in group if b not in dirty), None) if len(signatures) < len(group) else None
                if clean is not None:
                    staying = self._signature(clean)
                else:  # all dirty: the largest part keeps the colour (the smallest signature of equals)
                    sizes: dict[str, int] = defaultdict(int)
                    for signature in signatures.values():
                        sizes[signature] += 1
                    staying = min(sizes, key=lambda sig: (-sizes[sig], sig))
                updates.update((b, sig) for b, sig in signatures.items() if sig != staying)
            self._recolour(updates)
            changed = set(updates)

    def order(self) -> list[BNode]:
        """The nodes in canonical order: refined, a node of the first tied class singled out
        and refined again, until every node has a colour of its own."""
        self.refine(set(self.nodes))
        while True:
            while self.tied and len(self.members[self.tied[0]]) < 2:
                heapq.heappop(self.tied)
            if not self.tied:
                return sorted(self.nodes, key=lambda b: self.colour[b])
            colour = self.tied[0]
            chosen = min(self.members[colour], key=str)  # alike after refinement: symmetric, any gives the same
            self._recolour({chosen: _hash(colour, "singled out")})
            self.refine({chosen})


def refined_labels(quads: Iterable[Quad]) -> dict[BNode, BNode]:
    """Canonical labels ``h0``, ``h1``... for every blank node of ``quads`` (see the module
    docstring); BlankNodeLimitError for a group of more than REFINE_LIMIT blank nodes."""
    quads = list(quads)
    quads_of, groups = _groups(quads)
    ordered: list[tuple[str, list[BNode]]] = []
    for group in groups:
        if len(group) > REFINE_LIMIT:
            raise BlankNodeLimitError(
                f"{len(group):,} blank nodes linked to each other, more than the {REFINE_LIMIT:,} that kg labels "
                "canonically for a deterministic export; give them IRIs (skolemise) or export a part of the data"
            )
        order = _Group(group, quads_of).order()
        local = {b: i for i, b in enumerate(order)}
        shape = sorted(
            repr(tuple(f"_:{local[t]}" if isinstance(t, BNode) else _spell(t) for t in q))
            for q in {q for b in group for q in quads_of[b]}
        )
        ordered.append((_hash("group", shape), order))
    labels: dict[BNode, BNode] = {}
    for _key, order in sorted(ordered, key=lambda item: item[0]):
        for b in order:
            labels[b] = BNode(f"h{len(labels)}")
    return labels
