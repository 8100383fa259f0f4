"""Figures: ``kg:Measurement`` nodes read one named graph at a time, how to show them, and the
range of true values a stated figure allows.

A figure read from one graph is a :class:`Figure`. The same node in two article graphs is two
figures (two articles state it); two nodes with the same entity, measure, period and value are
the same fact told twice. The range a figure allows (:func:`value_range`) comes from its status
and qualifier (reported, more than, up to, about) and from the rounding of the number as the
article wrote it (``kg:statedAs``: "79.14 billion" is 79.135 to 79.145 billion).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import RDF, Literal, URIRef
from rdflib.graph import Graph

from kg.namespaces import KG, KGS, UNIT

#: An "about" figure may be this far (relative) from the true value.
APPROXIMATE = Decimal("0.05")
INFINITY = Decimal("Infinity")

#: Status -> family. Figures are comparable only within a family: what was (actual), what is
#: expected (estimate, forecast), what is wanted (target, plan).
FAMILIES: dict[URIRef, str] = {
    KGS["reported"]: "actual",
    KGS["approximate"]: "actual",
    KGS["lower-bound"]: "actual",
    KGS["upper-bound"]: "actual",
    KGS["estimate"]: "expected",
    KGS["forecast"]: "expected",
    KGS["target"]: "goal",
    KGS["plan"]: "goal",
}
#: Short forms of units, as the articles write them; other units show their label.
SYMBOLS: dict[URIRef, str] = {
    UNIT["KiloM2"]: "sq km",
    UNIT["KiloM"]: "km",
    UNIT["MIN"]: "min",
    UNIT["TONNE"]: "t",
    UNIT["KiloV"]: "kV",
}
_BOUNDS = {KGS["lower-bound"]: "lower", KGS["upper-bound"]: "upper", KGS["approximate"]: "about"}
_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?|\b(" + "|".join(_WORDS) + r")\b", re.I)


@dataclass(frozen=True)
class Figure:
    """One measurement as one graph states it."""

    node: URIRef
    graph: URIRef
    about: URIRef | None
    measure: URIRef | None
    period: Literal | None
    value: Decimal | None
    unit: URIRef | None
    status: URIRef | None
    qualifier: URIRef | None
    yoy: Literal | None
    relative_to: URIRef | None
    part_of: URIRef | None
    stated_as: str | None
    evidence: tuple[str, ...]
    notes: tuple[str, ...]

    def fact_key(self) -> tuple:
        """What makes two figures the same fact (a corroboration when the graphs differ)."""
        return (
            self.about, self.measure, self.period_text, self.value, self.unit,
            self.status, self.qualifier, self.relative_to,
        )

    def series_key(self) -> tuple:
        """What makes two figures values of the same quantity (comparable when periods match)."""
        return (self.about, self.measure, self.unit, self.relative_to, family(self))

    @property
    def period_text(self) -> str:
        return "" if self.period is None else str(self.period)


def _one(values: Iterable[object]) -> object | None:
    ordered = sorted(values, key=lambda v: (str(v), str(getattr(v, "datatype", ""))))
    return ordered[0] if ordered else None


def _decimal(lit: object) -> Decimal | None:
    if not isinstance(lit, Literal):
        return None
    try:
        return Decimal(str(lit).strip())
    except InvalidOperation:
        return None


def read_figure(graph: Graph, node: URIRef) -> Figure:
    """The measurement ``node`` as ``graph`` (one named graph) states it. A property with several
    values in one graph is read as its first value in sorted order; ``kg conflicts`` reports it."""

    def one(prop: URIRef) -> object | None:
        return _one(graph.objects(node, prop))

    def uri(prop: URIRef) -> URIRef | None:
        v = one(prop)
        return v if isinstance(v, URIRef) else None

    def text(prop: URIRef) -> str | None:
        v = one(prop)
        return None if v is None else str(v)

    period = one(KG.period)
    yoy = one(KG.yoyChange)
    return Figure(
        node=node,
        graph=graph.identifier,  # type: ignore[arg-type]
        about=uri(KG.about),
        measure=uri(KG.measure),
        period=period if isinstance(period, Literal) else None,
        value=_decimal(one(KG.value)),
        unit=uri(KG.unit),
        status=uri(KG.status),
        qualifier=uri(KG.qualifier),
        yoy=yoy if isinstance(yoy, Literal) else None,
        relative_to=uri(KG.relativeTo),
        part_of=uri(KG.partOfMeasurement),
        stated_as=text(KG.statedAs),
        evidence=tuple(sorted(str(e) for e in graph.objects(node, KG.evidence))),
        notes=tuple(sorted(str(n) for n in graph.objects(node, KG.note))),
    )


def read_figures(graphs: dict[URIRef, Graph], about: URIRef | None = None) -> list[Figure]:
    """Every measurement in every graph of ``graphs`` (id -> graph), optionally only those about
    one entity; a node typed kg:Measurement or carrying kg:about and kg:measure. Sorted."""
    out = []
    for gid in sorted(graphs):
        g = graphs[gid]
        nodes = {n for n in g.subjects(RDF.type, KG.Measurement) if isinstance(n, URIRef)}
        nodes |= {n for n in g.subjects(KG.measure, None) if isinstance(n, URIRef) and (n, KG.about, None) in g}
        if about is not None:
            nodes = {n for n in nodes if (n, KG.about, about) in g}
        out.extend(read_figure(g, n) for n in nodes)
    return sorted(out, key=figure_sort_key)


def period_parts(period: object) -> tuple[int, ...] | None:
    """(year,) for a gYear, (year, month, day) for a date (a literal or its text); None when it
    is neither."""
    if period is None:
        return None
    m = re.fullmatch(r"(-?\d{4,})(?:-(\d\d)(?:-(\d\d))?)?(?:Z|[+-]\d\d:\d\d)?", str(period).strip())
    if not m:
        return None
    return tuple(int(x) for x in m.groups() if x is not None)


def previous_period(parts: tuple[int, ...]) -> tuple[int, ...]:
    """The same period one year earlier."""
    return (parts[0] - 1, *parts[1:])


def figure_sort_key(f: Figure) -> tuple:
    """Time order first, then what and how much; total and deterministic."""
    return (f.period_text, str(f.about), str(f.measure), f.value if f.value is not None else Decimal(0),
            str(f.status), str(f.node), str(f.graph))


def family(f: Figure) -> str:
    """The status family ('actual', 'expected', 'goal'; an unknown status is its own family)."""
    if f.status is None:
        return "actual"
    return FAMILIES.get(f.status, str(f.status))


def bound(f: Figure) -> str:
    """'exact', 'lower' (more than), 'upper' (up to) or 'about', from the status or qualifier."""
    for s in (f.status, f.qualifier):
        if s in _BOUNDS:
            return _BOUNDS[s]  # type: ignore[index]
    return "exact"


def rounding(value: Decimal, stated_as: str | None) -> Decimal:
    """Half a unit of the last digit the article wrote: the number in ``stated_as`` that is the
    value times a power of ten ("79.14 billion" for 79140000000 -> 0.005 billion). Zero (exact)
    when the words give no such number."""
    if not stated_as or value == 0:
        return Decimal(0)
    for m in _NUMBER.finditer(stated_as):
        if m.group(3):
            number, decimals = Decimal(_WORDS[m.group(3).lower()]), 0
        else:
            number = Decimal(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
            decimals = len(m.group(2) or "")
        if number == 0:
            continue
        ratio = (abs(value) / number).normalize()
        if ratio > 0 and ratio.as_tuple().digits == (1,):
            return Decimal(5).scaleb(-(decimals + 1)) * ratio
    return Decimal(0)


def literal_rounding(lit: Literal) -> Decimal:
    """Half a unit of the last decimal written in a literal ("6.7" -> 0.05)."""
    text = str(lit).strip()
    decimals = len(text.partition(".")[2]) if "." in text else 0
    return Decimal(5).scaleb(-(decimals + 1))


def value_range(f: Figure) -> tuple[Decimal, Decimal] | None:
    """The smallest and largest true value the figure allows (infinite for open bounds)."""
    if f.value is None:
        return None
    v, half = f.value, rounding(f.value, f.stated_as)
    kind = bound(f)
    if kind == "lower":
        return (v - half, INFINITY)
    if kind == "upper":
        return (-INFINITY, v + half)
    if kind == "about":
        slack = abs(v) * APPROXIMATE
        return (v - slack - half, v + slack + half)
    return (v - half, v + half)


def disjoint(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    """True when no value lies in both ranges."""
    return a[1] < b[0] or b[1] < a[0]


def change_range(current: tuple[Decimal, Decimal], previous: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal] | None:
    """The year-on-year change in percent that two value ranges allow; None unless both are
    non-negative and the earlier one is above zero."""
    if previous[0] <= 0 or current[0] < 0:
        return None
    lo = (current[0] / previous[1] - 1) * 100 if previous[1] != INFINITY else Decimal(-100)
    hi = (current[1] / previous[0] - 1) * 100
    return (lo, hi)


def format_number(value: Decimal) -> str:
    """79140000000 -> '79.14 billion', 15000 -> '15,000', 31.460 -> '31.46'."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    for scale, word in ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if v >= scale:
            return f"{sign}{format((v / scale).normalize(), 'f')} {word}"
    text = format(v.normalize(), "f")
    whole, dot, frac = text.partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}"


def format_amount(value: Decimal | None, unit: URIRef | None, unit_label: str) -> str:
    """A value with its unit: '79.14 billion yuan', '31.46%'."""
    if value is None:
        return "?"
    if unit == UNIT["PERCENT"]:
        return f"{format_number(value)}%"
    if unit == UNIT["NUM"]:
        return format_number(value)
    if unit == KG["rank-position"]:
        return f"no. {format_number(value)}"
    return f"{format_number(value)} {SYMBOLS.get(unit, unit_label)}".rstrip()  # type: ignore[call-overload]


def format_change(yoy: Literal | None) -> str:
    """'+31.46%' for a year-on-year change; '' when there is none."""
    d = _decimal(yoy)
    if d is None:
        return "" if yoy is None else str(yoy)
    return f"{'+' if d > 0 else ''}{format(d.normalize(), 'f')}%"


def yoy_decimal(yoy: Literal | None) -> Decimal | None:
    return _decimal(yoy)
