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

The same graph holds the territory changes that roll-ups "as of a year" read
(:func:`territory_changes`): for each division the data names whose containers differ in some
years from today's (by the gazetteer's history: codes in force, what replaced what), which
divisions held its territory then and do not now (``kg:heldBy``), and which hold it now and did
not then (``kg:notHeldBy``), each for a span of years. A roll-up as of a year is then today's
one-hop ``kg:within``, less what a change of that year says was not held, plus what it says was:
no search of the history per firm.

``?a kg:within ?b`` holds exactly when ``?a (kg:locatedIn|kg:subParkOf|kg:headquarteredIn)+ ?b``
does (a thing on a cycle is within itself, as the path says); tests hold the named queries
that use it to the path form's answers on every backend.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Protocol, TypeVar

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from kg.namespaces import GRAPH, KG, PLACE

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

#: The properties of a territory change (:func:`territory_changes`).
TERRITORY_OF, HELD_BY, NOT_HELD_BY = KG.territoryOf, KG.heldBy, KG.notHeldBy
REGION_LEVEL, SINCE_YEAR, UNTIL_YEAR = KG.regionLevel, KG.sinceYear, KG.untilYear
#: The years written for "since before the records" and "still": a change holds for the years
#: Y with sinceYear <= Y < untilYear, compared as text (four digits), as every engine can.
BEFORE_RECORDS, STILL = "0001", "9999"
#: The properties only kg writes, into the derived graph: no source states them, so no shape
#: checks their values (kg computes them from checked kg:locatedIn and the gazetteer).
DERIVED_PROPERTIES: tuple[URIRef, ...] = (WITHIN, TERRITORY_OF, HELD_BY, NOT_HELD_BY, REGION_LEVEL, SINCE_YEAR, UNTIL_YEAR)

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


# ---------------------------------------------------------------- territory through time


class HistoryRecords(Protocol):
    """What :func:`territory_changes` reads of the gazetteer (kg.rdf.gazetteer.History)."""

    def record(self, iri: str) -> object: ...

    def replaced(self, iri: str) -> list[str]: ...

    def years(self) -> tuple[int, int] | None: ...


class Change(tuple):  # type: ignore[type-arg]
    """One territory change: in the years ``start`` <= Y < ``end`` (None: before the records,
    still), the territory of ``division`` was held by ``region`` (``held``; the region's level
    class is ``level``) or was not (not ``held``), unlike today."""

    __slots__ = ()

    def __new__(cls, division: str, region: str, held: bool, level: str | None, start: int | None, end: int | None) -> Change:
        return super().__new__(cls, (division, region, held, level, start, end))

    division = property(lambda self: self[0])
    region = property(lambda self: self[1])
    held = property(lambda self: self[2])
    level = property(lambda self: self[3])
    start = property(lambda self: self[4])
    end = property(lambda self: self[5])


def territory_changes(within: Mapping[str, Iterable[str]], history: HistoryRecords) -> list[Change]:
    """The territory changes of the divisions in ``within`` (a division's IRI -> its containers
    today, as the data's closure gives them), from the gazetteer's history, sorted.

    In a year Y, the divisions that held a division's territory are: itself and what held its
    parents' territory, when it was in force (validFrom <= Y < validUntil); before it came into
    force, what held the territory of the nodes it replaced; after it went out of force, what
    held that of the nodes that replaced it; and where the records name none, what held its
    parents'. Only divisions of a roll-up level (:data:`LEVELS`) count. A change is written for
    each span of years in which those differ from today's: a region that held the territory
    then and not now, or holds it now and did not then."""
    levels = {str(c) for c in LEVELS.values()}
    span = history.years()
    if span is None:
        return []
    first, last = span[0] - 1, span[1]
    level_of: dict[str, str | None] = {}
    empty: frozenset[str] = frozenset()
    # A function of the year, constant by pieces: [(first year of the piece, value)], the first
    # piece starting at `first`, the last running to `last`. Computed once per node (not once
    # per node and year: a whole gazetteer took 2 s that way).
    memo: dict[str, list[tuple[int, frozenset[str]]]] = {}

    def level(iri: str) -> str | None:
        if iri not in level_of:
            record = history.record(iri)
            found = [c for c in getattr(record, "classes", ()) if c in levels]
            level_of[iri] = found[0] if len(found) == 1 else None
        return level_of[iri]

    def value_at(f: list[tuple[int, frozenset[str]]], year: int) -> frozenset[str]:
        found = f[0][1]
        for start, value in f:
            if start > year:
                break
            found = value
        return found

    def union(fs: list[list[tuple[int, frozenset[str]]]]) -> list[tuple[int, frozenset[str]]]:
        if len(fs) == 1:
            return fs[0]
        out: list[tuple[int, frozenset[str]]] = []
        for start in sorted({s for f in fs for s, _ in f} | {first}):
            value = empty.union(*(value_at(f, start) for f in fs))
            if not out or out[-1][1] != value:
                out.append((start, value))
        return out

    def held(node: str, busy: set[str]) -> list[tuple[int, frozenset[str]]]:
        """The divisions that held the node's territory, as a function of the year."""
        found = memo.get(node)
        if found is not None:
            return found
        record = history.record(node)
        if record is None or node in busy:
            return [(first, empty)]
        busy.add(node)
        parents = union([held(p, busy) for p in record.parents])  # type: ignore[attr-defined]
        own = frozenset({node}) if level(node) is not None else empty
        lo = max(first, record.valid_from if record.valid_from is not None else first)  # type: ignore[attr-defined]
        hi = min(last + 1, record.valid_until if record.valid_until is not None else last + 1)  # type: ignore[attr-defined]
        parts = [(lo, hi, [(s, v | own) for s, v in parents])]
        for a, b, others in ((first, lo, history.replaced(node)), (hi, last + 1, record.replaced_by)):  # type: ignore[attr-defined]
            if a < b:
                them = union([held(o, busy) for o in others]) if others else [(first, empty)]
                # (where the records name none that held it, what held its parents')
                starts = sorted({s for s, _ in them} | {s for s, _ in parents})
                parts.append((a, b, [(s, value_at(them, s) or value_at(parents, s)) for s in starts]))
        out: list[tuple[int, frozenset[str]]] = []
        for a, b, f in sorted(parts, key=lambda part: part[0]):
            if a >= b:
                continue
            for start in sorted({a} | {s for s, _ in f if a < s < b}):
                value = value_at(f, start)
                if not out or out[-1][1] != value:
                    out.append((start, value))
        busy.discard(node)
        if not out:
            out = [(first, empty)]
        if not busy:  # (a result found inside a cycle depends on where it began: not kept)
            memo[node] = out
        return out

    changes: list[Change] = []
    for division in sorted(within):
        if level(division) is None:
            continue
        now = frozenset(r for r in {division, *within[division]} if level(r) is not None)
        pieces = held(division, set())
        runs = [(start, (pieces[i + 1][0] - 1) if i + 1 < len(pieces) else last, then) for i, (start, then) in enumerate(pieces)]
        spans: dict[tuple[str, bool], list[list]] = {}  # (region, held then) -> [since, until] spans
        for start, end, then in runs:
            since = None if start == first else start
            until = None if end == last else end + 1
            for held_then, regions in ((True, then - now), (False, now - then)):
                for region in regions:
                    found = spans.setdefault((region, held_then), [])
                    if found and found[-1][1] == since:  # (adjacent runs: one span)
                        found[-1][1] = until
                    else:
                        found.append([since, until])
        for (region, held_then), found in spans.items():
            changes.extend(Change(division, region, held_then, level(region) if held_then else None, a, b) for a, b in found)
    return sorted(changes, key=lambda c: (c.division, c.region, c.held, c.start or 0))


def change_triples(changes: Iterable[Change]) -> Iterator[tuple[URIRef, URIRef, URIRef | Literal]]:
    """The triples of the changes (each a node named by a hash of what it says)."""
    for c in changes:
        name = hashlib.sha256(f"{c.division} {c.region} {c.held} {c.start} {c.end}".encode()).hexdigest()[:20]
        node = URIRef(f"{DERIVED_GRAPH}/change/{name}")
        yield node, TERRITORY_OF, URIRef(c.division)
        yield node, HELD_BY if c.held else NOT_HELD_BY, URIRef(c.region)
        if c.held and c.level:
            yield node, REGION_LEVEL, URIRef(c.level)
        yield node, SINCE_YEAR, Literal(BEFORE_RECORDS if c.start is None else f"{c.start:04d}", datatype=XSD.gYear)
        yield node, UNTIL_YEAR, Literal(STILL if c.end is None else f"{c.end:04d}", datatype=XSD.gYear)


def changes_of(pairs: Iterable[tuple[object, object]], history: Callable[[], HistoryRecords]) -> list[Change]:
    """The territory changes (:func:`territory_changes`) of the divisions among the closure's
    ``pairs`` (thing, container: any terms whose ``str`` is the IRI); ``history`` is called for
    the gazetteer's records only when a thing is a place (data without places reads nothing)."""
    within: dict[str, list[str]] = {}
    for thing, container in pairs:
        text = str(thing)
        if text.startswith(PLACE):
            within.setdefault(text, []).append(str(container))
    if not within:
        return []
    records = history()
    return territory_changes({k: v for k, v in within.items() if records.record(k) is not None}, records)


def derived_triples(
    pairs: Iterable[tuple[object, object]], history: Callable[[], HistoryRecords]
) -> list[tuple[URIRef, URIRef, Literal | URIRef]]:
    """What the derived graph holds besides the ``kg:within`` pairs: its description and the
    territory changes of the places among ``pairs`` (:func:`changes_of`). Every backend writes
    these, the memory one with the pairs as rdflib terms, the others as IRIs."""
    return [*describe_graph(), *change_triples(changes_of(pairs, history))]

