"""``kg why``: every statement about an entity (or one of its figures) with the article, date and
quoted sentence of each source that states it."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, URIRef

from kg.errors import UsageError
from kg.provenance.facts import Fact, facts_about
from kg.provenance.figures import period_parts
from kg.rdf.labels import label_of, normalize_name
from kg.namespaces import KG
from kg.rdf.sources import Sources


@dataclass
class WhyResult:
    """The entity, and the facts about it (all, or the figures asked for), each with citations."""

    entity: str
    label: str
    facts: list[Fact]
    measure: str | None = None
    year: int | None = None


def measures_in(sources: Sources) -> list[URIRef]:
    """Every measure the dataset declares or uses, sorted."""
    ds = sources.ds
    found = {m for m in ds.subjects(RDF.type, KG.Measure)} | {m for m in ds.objects(None, KG.measure)}
    return sorted(m for m in found if isinstance(m, URIRef))


def resolve_measure(sources: Sources, text: str) -> URIRef:
    """The measure named ``text``: its label ('output value'), its IRI's last segment
    ('output-value'), a prefixed name ('kgm:output-value') or its IRI. Unknown or ambiguous is a
    UsageError that lists the measures."""
    ds = sources.ds
    wanted = normalize_name(text.strip().strip("<>"))
    measures = measures_in(sources)
    hits = []
    for m in measures:
        names = {normalize_name(str(m)), normalize_name(str(m).rsplit("/", 1)[-1].rsplit("#", 1)[-1]), normalize_name(label_of(ds, m))}
        try:
            names.add(normalize_name(ds.namespace_manager.normalizeUri(m)))
        except (ValueError, KeyError):  # a measure rdflib cannot shorten is matched by IRI only
            pass
        if wanted in names:
            hits.append(m)
    if len(hits) == 1:
        return hits[0]
    labels = sorted({label_of(ds, m) for m in measures})
    if not hits:
        import difflib

        lowered = {label.lower(): label for label in labels}
        close = [lowered[c] for c in difflib.get_close_matches(text.strip().lower(), list(lowered), n=3, cutoff=0.6)]
        if close:
            raise UsageError(f"no measure is named {text!r}; did you mean {' or '.join(repr(c) for c in close)}?")
        raise UsageError(f"no measure is named {text!r} (known: {', '.join(labels)})")
    listing = "; ".join(f"{label_of(ds, m)} <{m}>" for m in hits)
    raise UsageError(f"measure {text!r} is ambiguous: {listing}")


def why(sources: Sources, entity: URIRef, measure: URIRef | None = None, year: int | None = None) -> WhyResult:
    """Every fact about ``entity`` with its citations; only its figures of ``measure`` and/or
    ``year`` when either is given (none found is a UsageError naming the figures there are)."""
    facts = facts_about(sources, entity)
    label = label_of(sources.ds, entity)
    if measure is None and year is None:
        return WhyResult(str(entity), label, facts)
    figures = [f for f in facts if f.figure is not None]
    chosen = [
        f for f in figures
        if (measure is None or f.figure.measure == str(measure))  # type: ignore[union-attr]
        and (year is None or (period_parts(f.figure.period) or (None,))[0] == year)  # type: ignore[union-attr]
    ]
    if not chosen:
        asked = " ".join(x for x in (label_of(sources.ds, measure) if measure is not None else "", str(year or "")) if x)
        have = sorted({f"{f.figure.measure_label} {f.figure.period}".strip() for f in figures})  # type: ignore[union-attr]
        there = ", ".join(have) if have else "none"
        raise UsageError(f"{label} has no figure for {asked} (its figures: {there})")
    return WhyResult(str(entity), label, chosen, str(measure) if measure is not None else None, year)

