"""``kg describe``: an entity card as data.

The card holds the entity's classes, its names (with languages), where it is (every chain of
``kg:locatedIn`` up to a country), what it contains (directly), its relations grouped by kind,
its figures in time order and the sources they come from. Every line carries the numbers of
its sources (into ``Card.sources``) and how many distinct articles state it; two or more is a
corroboration.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, URIRef

from kg.provenance.facts import Fact, facts_about
from kg.rdf.labels import class_label, label_of
from kg.namespaces import KG
from kg.rdf.sources import Citation, Source, Sources, count_articles

#: Longest containment chain followed (a guard against cycles in bad data).
MAX_DEPTH = 12


@dataclass(frozen=True)
class Entry:
    """One line of the card: a name, a class, a place, a related entity or a value."""

    label: str
    iri: str | None
    kind: str
    sources: tuple[int, ...]
    articles: int
    lang: str | None = None


@dataclass(frozen=True)
class Group:
    """Relations of one kind: 'industry', '← supporting enterprise', 'membership', 'award'."""

    name: str
    predicate: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class FigureLine:
    """One figure as a row of the card's time-ordered table."""

    period: str
    measure: str
    measure_label: str
    amount: str
    value: str | None
    unit: str | None
    status: str
    change: str
    relative_to: str | None
    sources: tuple[int, ...]
    articles: int


@dataclass
class Card:
    iri: str
    label: str
    classes: list[Entry] = field(default_factory=list)
    names: list[Entry] = field(default_factory=list)
    located_in: list[list[Entry]] = field(default_factory=list)
    contains: list[Entry] = field(default_factory=list)
    relations: list[Group] = field(default_factory=list)
    figures: list[FigureLine] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


class _Numbering:
    """Numbers sources 1, 2, ... in source order, once all are known."""

    def __init__(self) -> None:
        self.seen: dict[str, Source] = {}

    def add(self, cites: tuple[Citation, ...]) -> None:
        for c in cites:
            self.seen.setdefault(c.source.graph, c.source)

    def finish(self) -> list[Source]:
        ordered = sorted(self.seen.values(), key=lambda s: s.sort_key())
        self.number = {s.graph: i + 1 for i, s in enumerate(ordered)}
        return ordered

    def refs(self, cites: tuple[Citation, ...]) -> tuple[int, ...]:
        return tuple(sorted({self.number[c.source.graph] for c in cites}))


def _chains(sources: Sources, entity: URIRef) -> list[list[tuple[URIRef, URIRef]]]:
    """Every kg:locatedIn path from the entity up to a country (or a place with no container),
    as (child, parent) links; sorted."""
    ds = sources.ds
    out: list[list[tuple[URIRef, URIRef]]] = []

    def walk(node: URIRef, path: list[tuple[URIRef, URIRef]], seen: set[URIRef]) -> None:
        parents = sorted(p for p in ds.objects(node, KG.locatedIn) if isinstance(p, URIRef) and p not in seen)
        if not parents or (node, RDF.type, KG.Country) in ds or len(path) >= MAX_DEPTH:
            if path:
                out.append(path)
            return
        for p in parents:
            walk(p, [*path, (node, p)], seen | {p})

    walk(entity, [], {entity})
    return sorted(out, key=lambda path: [str(p) for _, p in path])


def _entry(fact: Fact, numbering: _Numbering, label: str | None = None, iri: str | None = None) -> Entry:
    return Entry(label if label is not None else fact.value_label, iri, fact.kind,
                 numbering.refs(fact.citations), fact.articles, fact.lang)


def describe(sources: Sources, entity: URIRef) -> Card:
    """The card of ``entity``."""
    ds = sources.ds
    facts = facts_about(sources, entity)
    chains = _chains(sources, entity)
    link_cites = {link: sources.cite(link[0], KG.locatedIn, link[1]) for path in chains for link in path}
    numbering = _Numbering()
    for f in facts:
        numbering.add(f.citations)
    for cites in link_cites.values():
        numbering.add(cites)
    card = Card(str(entity), label_of(ds, entity), sources=numbering.finish())

    def is_iri(f: Fact) -> str | None:
        return f.value if isinstance(f.value, str) and "://" in f.value and f.lang is None else None

    groups: dict[tuple[int, str, str], list[Entry]] = defaultdict(list)
    for f in facts:
        if f.kind == "class":
            card.classes.append(_entry(f, numbering, iri=f.value))
        elif f.kind == "name":
            card.names.append(_entry(f, numbering))
        elif f.kind == "inverse" and f.predicate == str(KG.locatedIn):
            card.contains.append(_entry(f, numbering, f"{f.value_label} ({class_label(ds, URIRef(f.value))})"
                                        if class_label(ds, URIRef(f.value)) else f.value_label, f.value))
        elif f.kind == "relation":
            groups[(0, f.predicate_label, f.predicate)].append(_entry(f, numbering, iri=is_iri(f)))
        elif f.kind == "inverse":
            groups[(1, f"← {f.predicate_label}", f.predicate)].append(_entry(f, numbering, iri=f.value))
        elif f.kind in ("membership", "award"):
            groups[(2, f.kind, str(RDF.type))].append(_entry(f, numbering, iri=f.node))
        elif f.kind == "figure" and f.figure is not None:
            r = f.figure
            card.figures.append(FigureLine(r.period, r.measure, r.measure_label, r.amount, r.value, r.unit, r.status,
                                           r.change, r.relative_to, numbering.refs(f.citations), f.articles))
    card.relations = [Group(name, pred, tuple(entries)) for (_, name, pred), entries in sorted(groups.items())]
    for path in chains:
        card.located_in.append([
            Entry(label_of(ds, parent), str(parent), "located-in", numbering.refs(link_cites[(child, parent)]),
                  count_articles(link_cites[(child, parent)]))
            for child, parent in path
        ])
    return card
