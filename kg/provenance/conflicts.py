"""Where sources disagree, or one source contradicts itself.

Kinds of conflict (each with both sides and their quotes):

- ``disagreement``: two sources give incompatible figures for the same entity, measure, unit and
  period (and the same ``kg:relativeTo``), with comparable statuses. Two figures of one source
  for the same key are two quantities it tells apart (two nodes, such as the park's 170
  supporting and 166 settled enterprises); one node with two values in one source is reported
  as ``single-valued`` (``kg:value`` is functional);
- ``part-exceeds-whole``: an "of which" figure (``kg:partOfMeasurement``) greater than its whole;
- ``yoy-mismatch``: a year-on-year change that the figures of the two years it connects cannot
  give;
- ``single-valued``: two values of an ``owl:FunctionalProperty`` (such as ``kg:foundingYear``)
  for one subject.

Figures are compared as ranges (:func:`kg.provenance.figures.value_range`): a figure of status "more than"
or "up to" is an open range, "about" allows 5 %, and every figure allows the rounding of the
number as written. Two figures conflict only when no value lies in both ranges. Statuses are
comparable within a family: reported / more than / up to / about; estimate / forecast;
target / plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import combinations

from rdflib import OWL, RDF, Literal, URIRef

from kg.provenance.facts import figure_citation, figure_row, figure_text
from kg.provenance.figures import (
    Figure,
    change_range,
    disjoint,
    figure_sort_key,
    format_change,
    literal_rounding,
    period_parts,
    previous_period,
    read_figures,
    value_range,
    yoy_decimal,
)
from kg.rdf.labels import label_of
from kg.namespaces import KG
from kg.rdf.sources import Citation, Sources
from kg.backends.oxigraph_terms import canonical

KINDS = ("disagreement", "part-exceeds-whole", "yoy-mismatch", "single-valued")


@dataclass(frozen=True)
class Side:
    """One side of a conflict: what is stated, and every source that states it."""

    role: str
    text: str
    node: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Conflict:
    kind: str
    entity: str
    entity_label: str
    summary: str
    sides: tuple[Side, ...]


@dataclass
class ConflictReport:
    """All conflicts found, sorted; ``figures`` and ``properties`` say how much was checked."""

    conflicts: list[Conflict] = field(default_factory=list)
    figures: int = 0
    properties: int = 0


def _side(sources: Sources, role: str, figs: list[Figure], extra: str = "") -> Side:
    figs = sorted(figs, key=figure_sort_key)
    text = figure_text(figure_row(sources, figs[0])) + extra
    return Side(role, text, str(figs[0].node), sources.sort_citations([figure_citation(sources, f) for f in figs]))


def _hull(figs: list[Figure]) -> tuple[Decimal, Decimal] | None:
    ranges = [r for r in (value_range(f) for f in figs) if r is not None]
    if not ranges:
        return None
    return (min(r[0] for r in ranges), max(r[1] for r in ranges))


def _entity(sources: Sources, node: URIRef | None) -> tuple[str, str]:
    return (str(node), label_of(sources.ds, node)) if node is not None else ("", "?")


def _disagreements(sources: Sources, figures: list[Figure]) -> list[Conflict]:
    series: dict[tuple, dict[tuple, list[Figure]]] = defaultdict(lambda: defaultdict(list))
    for f in figures:
        if f.value is not None and f.period is not None:
            series[(*f.series_key(), f.period_text)][(f.value, f.status, f.qualifier)].append(f)
    out = []
    for variants in series.values():
        for (_, a), (_, b) in combinations(sorted(variants.items(), key=lambda kv: figure_sort_key(kv[1][0])), 2):
            # one source's two figures for one key are two quantities it tells apart (two nodes)
            if not any(fa.graph != fb.graph for fa in a for fb in b):
                continue
            ra, rb = _hull(a), _hull(b)
            if ra is None or rb is None or not disjoint(ra, rb):
                continue
            sa, sb = _side(sources, "one says", a), _side(sources, "other says", b)
            iri, label = _entity(sources, a[0].about)
            summary = f"{label}: {sa.text} vs {sb.text.split(': ', 1)[-1]}"
            out.append(Conflict("disagreement", iri, label, summary, (sa, sb)))
    return out


def _parts(sources: Sources, figures: list[Figure]) -> list[Conflict]:
    by_node: dict[URIRef, list[Figure]] = defaultdict(list)
    for f in figures:
        by_node[f.node].append(f)
    pairs: dict[tuple, tuple[list[Figure], list[Figure]]] = {}
    for part in figures:
        if part.part_of is None or part.value is None:
            continue
        wholes = by_node.get(part.part_of, [])
        wholes = [w for w in wholes if w.graph == part.graph] or wholes
        for whole in wholes:
            if whole.value is None or (part.unit and whole.unit and part.unit != whole.unit):
                continue
            rp, rw = value_range(part), value_range(whole)
            if rp is None or rw is None or not rp[0] > rw[1]:
                continue
            key = (part.fact_key(), whole.fact_key())
            pairs.setdefault(key, ([], []))
            pairs[key][0].append(part)
            pairs[key][1].append(whole)
    out = []
    for ps, ws in pairs.values():
        sp, sw = _side(sources, "part", ps), _side(sources, "whole", ws)
        iri, label = _entity(sources, ps[0].about)
        out.append(Conflict("part-exceeds-whole", iri, label,
                            f"{label}: the part ({sp.text}) is greater than its whole ({sw.text})", (sp, sw)))
    return out


def _yoy(sources: Sources, figures: list[Figure]) -> list[Conflict]:
    by_period: dict[tuple, list[Figure]] = defaultdict(list)
    for f in figures:
        parts = period_parts(f.period)
        if parts is not None and f.value is not None:
            by_period[(*f.series_key(), parts)].append(f)
    pairs: dict[tuple, tuple[list[Figure], list[Figure]]] = {}
    for cur in figures:
        change, parts = yoy_decimal(cur.yoy), period_parts(cur.period)
        if change is None or parts is None or cur.value is None or cur.yoy is None:
            continue
        half = literal_rounding(cur.yoy)
        stated = (change - half, change + half)
        for prev in by_period.get((*cur.series_key(), previous_period(parts)), []):
            rc, rp = value_range(cur), value_range(prev)
            allowed = change_range(rc, rp) if rc is not None and rp is not None else None
            if allowed is None or not disjoint(stated, allowed):
                continue
            key = (cur.fact_key(), str(cur.yoy), prev.fact_key())
            pairs.setdefault(key, ([], []))
            pairs[key][0].append(cur)
            pairs[key][1].append(prev)
    out = []
    for cs, ps in pairs.values():
        cur, prev = cs[0], ps[0]
        computed = (cur.value / prev.value - 1) * 100 if prev.value else None  # type: ignore[operator]
        extra = f" (the two figures give {computed:+.2f}%)" if computed is not None else ""
        sc = _side(sources, "change", cs)
        sp = _side(sources, "previous year", ps)
        iri, label = _entity(sources, cur.about)
        out.append(Conflict("yoy-mismatch", iri, label,
                            f"{label}: {format_change(cur.yoy)} year on year does not follow from "
                            f"{sp.text.split(': ', 1)[-1]} to {sc.text.split(': ', 1)[-1].split(', ')[0]}{extra}",
                            (sc, sp)))
    return out


def _value_key(o: object) -> object:
    if isinstance(o, Literal):
        try:
            return Decimal(str(o).strip())
        except InvalidOperation:
            return str(o).strip()
    return o


def functional_properties(sources: Sources) -> list[URIRef]:
    """Every property declared ``owl:FunctionalProperty`` in the dataset, sorted."""
    return sorted({p for p in sources.ds.subjects(RDF.type, OWL.FunctionalProperty) if isinstance(p, URIRef)})


def _single_valued(sources: Sources, props: list[URIRef], skip: set[tuple[str, str]]) -> list[Conflict]:

    ds = sources.ds
    out = []
    for p in props:
        values: dict[object, dict[object, set[object]]] = defaultdict(lambda: defaultdict(set))
        for s, o in ds.subject_objects(p):
            values[s][_value_key(o)].add(o)
        for s, variants in values.items():
            if len(variants) < 2 or (str(s), str(p)) in skip:
                continue
            plabel, label = label_of(ds, p), label_of(ds, s)
            sides = []
            for i, (_, objs) in enumerate(sorted(variants.items(), key=lambda kv: str(sorted(map(str, kv[1]))))):
                cites = [c for o in sorted(objs, key=str) for c in sources.cite(s, p, o)]
                shown = " / ".join(sorted({str(canonical(o)) for o in objs}))  # as every backend shows it
                sides.append(Side("one says" if i == 0 else "other says", f"{plabel}: {shown}", str(s),
                                  sources.sort_citations(cites)))
            summary = f"{label}: {plabel} is single-valued but has {len(sides)} values: " + ", ".join(
                sd.text.split(": ", 1)[1] for sd in sides)
            out.append(Conflict("single-valued", str(s), label, summary, tuple(sides)))
    return out


def find_conflicts(sources: Sources, checked: int | None = None) -> ConflictReport:
    """Check every figure and every single-valued property of the dataset. ``checked`` is how
    many figures the report says were checked, when ``sources`` holds only those that can
    conflict (kg.backends.subgraph.figures); else it counts the figures it reads."""
    figures = read_figures(sources.graphs)
    found = _disagreements(sources, figures) + _parts(sources, figures) + _yoy(sources, figures)
    # a node whose two values are already reported as a disagreement is not reported again
    skip = {(side.node, str(KG["value"])) for c in found if c.kind == "disagreement" for side in c.sides}
    props = functional_properties(sources)
    found += _single_valued(sources, props, skip)
    found.sort(key=lambda c: (KINDS.index(c.kind), c.entity_label.casefold(), c.entity, c.summary))
    return ConflictReport(conflicts=found, figures=len(figures) if checked is None else checked, properties=len(props))

