"""Every statement a dataset makes about one entity, each with the sources that state it.

Shared by ``kg describe`` (which arranges the facts into a card) and ``kg why`` (which lists
them with their quotes). A fact is one of: a name, a class, a containment (``kg:locatedIn``), a
relation to something else or from something else, a membership, an award or a figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, SKOS, Literal, URIRef
from rdflib.graph import Graph

from kg.provenance.figures import Figure, figure_sort_key, format_amount, format_change, read_figures
from kg.rdf.labels import label_of
from kg.namespaces import KG, W3ORG
from kg.rdf.sources import NAME_PROPS, Citation, Sources, count_articles

#: Properties that annotate a statement rather than state something about the entity.
META_PROPS = (KG.evidence, KG.note)
#: Fact kinds, in the order they are listed.
KINDS = ("name", "class", "located-in", "relation", "inverse", "membership", "award", "figure")


@dataclass(frozen=True)
class FigureRow:
    """A figure as a table row: what, when, how much, how it is meant."""

    measure: str
    measure_label: str
    period: str
    value: str | None
    unit: str | None
    amount: str
    status: str
    change: str
    relative_to: str | None
    part_of: str | None


@dataclass(frozen=True)
class Fact:
    """One statement about the entity and every source that states it."""

    kind: str
    predicate: str
    predicate_label: str
    value: str
    value_label: str
    text: str
    citations: tuple[Citation, ...]
    articles: int
    lang: str | None = None
    node: str | None = None
    figure: FigureRow | None = None


def _label(sources: Sources, node: object) -> str:
    return label_of(sources.ds, node)


def _outgoing(sources: Sources, entity: URIRef) -> list[Fact]:
    ds = sources.ds
    by_triple: dict[tuple, set[URIRef]] = defaultdict(set)
    for _, p, o, g in ds.quads((entity, None, None, None)):
        if g in sources.graphs and p not in META_PROPS:
            by_triple[(p, o)].add(g)  # type: ignore[arg-type]
    names: dict[tuple[str, str | None], list[Citation]] = defaultdict(list)
    facts = []
    for (p, o), graphs in by_triple.items():
        cites = [Citation(sources.source(g), sources.evidence(g, entity, p, o)) for g in sorted(graphs)]
        if p in NAME_PROPS and isinstance(o, Literal):
            names[(str(o), o.language)].extend(cites)
            continue
        if p == RDF.type:
            kind, plabel = "class", "class"
        elif p == KG.locatedIn:
            kind, plabel = "located-in", _label(sources, p)
        else:
            kind, plabel = "relation", _label(sources, p)
        vlabel = str(o) if isinstance(o, Literal) else _label(sources, o)
        text = f"{plabel}: {vlabel}"
        cited = sources.sort_citations(cites)
        facts.append(Fact(kind, str(p), plabel, str(o), vlabel, text, cited, count_articles(cited),
                          lang=o.language if isinstance(o, Literal) else None))
    for (text, lang), cites in names.items():
        by_graph = {c.source.graph: c for c in cites}
        cited = sources.sort_citations(list(by_graph.values()))
        shown = f"name: {text}" + (f" ({lang})" if lang else "")
        facts.append(Fact("name", str(SKOS.altLabel), "name", text, text, shown, cited, count_articles(cited), lang=lang))
    return facts


def _is_figure(g: Graph, node: object) -> bool:
    return (node, RDF.type, KG.Measurement) in g or ((node, KG.about, None) in g and (node, KG.measure, None) in g)


def _nary_key(g: Graph, node: object, sources: Sources) -> tuple[str, str, tuple] | None:
    """(kind, text, key) for a membership or award node as graph ``g`` states it."""

    def one(p: URIRef) -> object | None:
        vals = sorted(g.objects(node, p), key=str)  # type: ignore[arg-type]
        return vals[0] if vals else None

    if (node, RDF.type, KG.Membership) in g or (node, W3ORG.member, None) in g:
        member, org, role = one(W3ORG.member), one(W3ORG.organization), one(W3ORG.role)
        parts = [_label(sources, x) if x is not None else "?" for x in (member, role, org)]
        return "membership", f"{parts[0]}, {parts[1]} of {parts[2]}", (member, org, role)
    if (node, RDF.type, KG.Award) in g or (node, KG.recipient, None) in g:
        recipient, designation = one(KG.recipient), one(KG.designation)
        by = tuple(sorted(g.objects(node, KG.conferredBy), key=str))  # type: ignore[arg-type]
        date, years = one(KG.date), one(KG.consecutiveYears)
        text = f"{_label(sources, designation) if designation is not None else '?'}, awarded to " \
               f"{_label(sources, recipient) if recipient is not None else '?'}"
        if by:
            names = [_label(sources, b) for b in by]
            text += " by " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0])
        if date is not None:
            text += f" ({date})"
        if years is not None:
            text += f", {years} consecutive years"
        return "award", text, (recipient, designation, by, date, years)
    return None


def _incoming(sources: Sources, entity: URIRef) -> list[Fact]:
    ds = sources.ds
    by_triple: dict[tuple, set[URIRef]] = defaultdict(set)
    nary: dict[tuple, list[Citation]] = defaultdict(list)
    for s, p, _, g in ds.quads((None, None, entity, None)):
        if g not in sources.graphs:
            continue
        graph = sources.graphs[g]  # type: ignore[index]
        if _is_figure(graph, s):
            continue
        found = _nary_key(graph, s, sources)
        if found is not None:
            kind, text, key = found
            own = tuple(sorted(str(e) for e in graph.objects(s, KG.evidence)))  # the node's quotes are its own
            cite = Citation(sources.source(g), own, notes=sources.notes(g, s))  # type: ignore[arg-type]
            nary[(kind, text, key, str(s))].append(cite)
            continue
        by_triple[(s, p)].add(g)  # type: ignore[arg-type]
    facts = []
    for (s, p), graphs in by_triple.items():
        cited = sources.sort_citations([Citation(sources.source(g), sources.evidence(g, s, p, entity)) for g in graphs])
        plabel, vlabel = _label(sources, p), _label(sources, s)
        shown = f"← {plabel}: {vlabel}"
        facts.append(Fact("inverse", str(p), plabel, str(s), vlabel, shown, cited, count_articles(cited)))
    for (kind, text, _key, node), cites in nary.items():
        by_graph = {c.source.graph: c for c in cites}
        cited = sources.sort_citations(list(by_graph.values()))
        facts.append(Fact(kind, str(RDF.type), kind, node, text, text, cited, count_articles(cited), node=node))
    return facts


def decimal_text(value: Decimal) -> str:
    """A figure's value in the canonical xsd:decimal form (``100000000.0`` -> ``100000000``,
    ``79.10`` -> ``79.1``): the form a store or an endpoint keeps, so every backend shows it alike."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def figure_row(sources: Sources, f: Figure) -> FigureRow:
    """The display row of a figure."""
    status = _label(sources, f.status) if f.status is not None else ""
    if f.qualifier is not None:
        status = f"{status}, {_label(sources, f.qualifier)}" if status else _label(sources, f.qualifier)
    return FigureRow(
        measure=str(f.measure) if f.measure is not None else "",
        measure_label=_label(sources, f.measure) if f.measure is not None else "?",
        period=f.period_text,
        value=decimal_text(f.value) if f.value is not None else None,
        unit=str(f.unit) if f.unit is not None else None,
        amount=format_amount(f.value, f.unit, _label(sources, f.unit) if f.unit is not None else ""),
        status=status,
        change=format_change(f.yoy),
        relative_to=_label(sources, f.relative_to) if f.relative_to is not None else None,
        part_of=str(f.part_of) if f.part_of is not None else None,
    )


def figure_text(row: FigureRow) -> str:
    """'output value 2021: 79.14 billion yuan (reported), +31.46% year on year'."""
    text = f"{row.measure_label}{' to ' + row.relative_to if row.relative_to else ''}"
    text += f" {row.period}: {row.amount}" if row.period else f": {row.amount}"
    if row.status:
        text += f" ({row.status})"
    if row.change:
        text += f", {row.change} year on year"
    return text


def figure_citation(sources: Sources, f: Figure) -> Citation:
    return Citation(sources.source(f.graph), f.evidence, f.stated_as, f.notes)


def _figures(sources: Sources, entity: URIRef) -> list[Fact]:
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for f in read_figures(sources.graphs, about=entity):
        groups[f.fact_key()].append(f)
    facts = []
    for figs in groups.values():
        figs.sort(key=figure_sort_key)
        # the same fact may carry a year-on-year change in one source and not in another
        row = figure_row(sources, max(figs, key=lambda f: (f.yoy is not None, -figs.index(f))))
        cited = sources.sort_citations([figure_citation(sources, f) for f in figs])
        facts.append(Fact("figure", str(KG.measure), row.measure_label, row.value or "", row.amount, figure_text(row),
                          cited, count_articles(cited), node=str(figs[0].node), figure=row))
    return facts


def _sort_key(fact: Fact) -> tuple:
    if fact.figure is not None:
        r = fact.figure
        return (KINDS.index(fact.kind), r.period, r.measure_label, r.amount, r.status, fact.node or "")
    return (KINDS.index(fact.kind), fact.predicate_label, fact.value_label.casefold(), fact.value, fact.lang or "")


def facts_about(sources: Sources, entity: URIRef) -> list[Fact]:
    """Every fact about ``entity`` in the dataset, sorted by kind, then by time or name."""
    facts = _outgoing(sources, entity) + _incoming(sources, entity) + _figures(sources, entity)
    return sorted(facts, key=_sort_key)
