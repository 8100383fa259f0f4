"""The containment closure: every thing's full chain of containers, as one-hop ``kg:within``.

Articles and reference data state containment one step at a time (``kg:locatedIn``, and its
sub-properties ``kg:subParkOf`` and ``kg:headquarteredIn``): a firm in a park, the park in a
district, the district in a city, the city in a province. A roll-up ("firms per province")
then needs a path search (``kg:locatedIn+``) for every firm on every query, which is what made
it slow at scale. The closure is computed once, when the graph is built or loaded, and kept as
``?thing kg:within ?container`` for every container at any depth: a one-hop lookup.

The closure lives in a named graph of its own, :data:`DERIVED_GRAPH` (a ``kg:DerivedGraph``),
never mixed with what articles state; exports leave it out unless asked (``--with-derived``),
``kg stats`` counts it apart, validation's article checks and the sources of describe / why /
conflicts skip it. It is recomputed from the other graphs whenever they change (a load, an
append): :func:`within_pairs` is pure, the backends write what it returns.

``?a kg:within ?b`` holds exactly when ``?a (kg:locatedIn|kg:subParkOf|kg:headquarteredIn)+ ?b``
does (a thing on a cycle is within itself, as the path says); tests hold the named queries
that use it to the path form's answers on every backend.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import TypeVar

from rdflib import RDF, RDFS, Literal, URIRef

from kg.namespaces import GRAPH, KG

#: The derived graph that holds the closure.
DERIVED_GRAPH = GRAPH["derived-containment"]
#: The one-hop property of the closure and the class of derived graphs.
WITHIN = KG.within
DERIVED_CLASS = KG.DerivedGraph
#: The properties whose chains the closure follows (kg:locatedIn and its sub-properties).
CONTAINMENT: tuple[URIRef, ...] = (KG.locatedIn, KG.subParkOf, KG.headquarteredIn)
#: The roll-up levels and the division class of each: the one place that maps them (the
#: named queries' ``level`` parameter and ``kg stats --by`` read it). A finer class of the
#: gazetteer goes here as a subclass of one of these, or as another level.
LEVELS: dict[str, URIRef] = {
    "province": KG.ProvinceLevelDivision,
    "prefecture": KG.PrefectureLevelCity,
    "county": KG.District,
}

N = TypeVar("N", bound=Hashable)


def is_derived(graph: object) -> bool:
    """Whether a named graph is one kg derives (never stated by a source)."""
    return str(graph).startswith(str(GRAPH["derived-"]))


def within_pairs(edges: Iterable[tuple[N, N]]) -> Iterator[tuple[N, N]]:
    """Every ``(thing, container)`` such that ``container`` is reachable from ``thing`` in one
    or more steps of ``edges`` (``(thing, its direct container)`` pairs, repeats allowed), each
    pair once, in no particular order. Works on any hashable terms (rdflib's, pyoxigraph's,
    strings): it is the one definition of the closure every backend writes.

    Containers are shared (a district holds many firms): the ancestors of each container are
    computed once and reused, so the work is the size of the answer. A cycle is followed to
    the end (each node on it is within every node of it, itself included)."""
    parents: dict[N, set[N]] = {}
    for thing, container in edges:
        parents.setdefault(thing, set()).add(container)
    memo: dict[N, frozenset[N]] = {}

    def ancestors(node: N) -> frozenset[N]:
        found = memo.get(node)
        if found is not None:
            return found
        seen: set[N] = set()
        stack = list(parents.get(node, ()))
        while stack:
            up = stack.pop()
            if up in seen:
                continue
            seen.add(up)
            done = memo.get(up)
            if done is not None:
                seen.update(done)  # (its own ancestors are final: reuse them)
                continue
            stack.extend(parents.get(up, ()))
        result = frozenset(seen)
        if node not in result:  # (on a cycle, the members' sets differ by the start: do not share)
            memo[node] = result
        return result

    for thing in parents:
        for container in ancestors(thing):
            yield thing, container


def describe_graph() -> list[tuple[URIRef, URIRef, Literal | URIRef]]:
    """The triples by which the derived graph describes itself, as reference graphs do (no
    label: it is not something a user looks up by name)."""
    return [
        (DERIVED_GRAPH, RDF.type, DERIVED_CLASS),
        (
            DERIVED_GRAPH,
            RDFS.comment,
            Literal(
                "Every thing's containers at any depth of kg:locatedIn, kg:subParkOf and "
                "kg:headquarteredIn, as one-hop kg:within; computed from the other graphs, "
                "not stated by any source.",
                lang="en",
            ),
        ),
    ]
