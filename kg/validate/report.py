"""A validation report as text, JSON or the standard SHACL report graph (Turtle).

Text is for a person: results grouped by focus node (its label and class, then its IRI), each
with the property and value at fault, the message, and the article and evidence sentence; a
closing count by severity. All three are deterministic: same report, same bytes.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from itertools import groupby

from kg.validate.core import Source, ValidationReport, ValidationResult, severity_rank
from kg.namespaces import bind_prefixes

FORMATS: tuple[str, ...] = ("text", "json", "turtle")

_WIDTH = 100


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def counts_line(report: ValidationReport) -> str:
    """The count by severity: ``0 violations, 1 warning, 2 infos``."""
    pairs = ((report.violations, "violation"), (report.warnings, "warning"), (report.infos, "info"))
    return ", ".join(_plural(n, w) for n, w in pairs)


def verdict(report: ValidationReport, strict: bool = False) -> str:
    """``conforms`` only without any result (SHACL's meaning); ``passes`` with warnings or infos
    but no violation (and, when ``strict``, no warning); otherwise what fails."""
    if report.conforms:
        return "conforms"
    if report.violations:
        return "does not conform"
    if strict and report.warnings:
        return "fails with --strict (warnings count)"
    return "passes (no violation), with notes to read"


def summary(report: ValidationReport, strict: bool = False) -> str:
    """One line: the count by severity and the verdict (see :func:`verdict`)."""
    return f"{counts_line(report)}: {verdict(report, strict)}"


def _wrap(text: str, indent: str) -> list[str]:
    wrapped = textwrap.wrap(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent)
    return wrapped or [indent]


def _source_lines(sources: tuple[Source, ...]) -> list[str]:
    """Each article once (title and date), then each distinct evidence sentence from it."""
    lines: list[str] = []
    by_article = groupby(sorted(sources, key=lambda s: s.article), key=lambda s: s.article)
    for article, group in by_article:
        srcs = list(group)
        title, date = srcs[0].title or article, srcs[0].date
        lines.append(f"    article: {title} ({date})" if date else f"    article: {title}")
        for evidence in dict.fromkeys(s.evidence for s in srcs if s.evidence):
            lines.extend(_wrap(f"\u201c{evidence}\u201d", "      "))
    return lines


def _result_lines(r: ValidationResult) -> list[str]:
    lines = [f"  {r.severity}: {r.shape}"]
    if r.path or r.value is not None:
        value = r.value_label or r.value
        if r.path and value is not None:
            where = f"{r.path} = {value}"
        else:
            where = r.path or f"value {value}"
        lines.extend(_wrap(where, "    "))
    lines.extend(_wrap(r.message, "    "))
    lines.extend(_source_lines(r.sources))
    return lines


def render_text(report: ValidationReport, strict: bool = False) -> str:
    """The report for a person, grouped by focus node, ending with the count by severity and
    the verdict (``strict``: warnings fail)."""
    blocks: list[str] = []
    by_focus = sorted(report.results, key=lambda r: (r.focus_label, r.focus))
    for (label, focus), group in groupby(by_focus, key=lambda r: (r.focus_label, r.focus)):
        results = sorted(group, key=lambda r: (severity_rank(r.severity), r.shape, r.path or ""))
        cls = results[0].focus_class
        lines = [f"{label} ({cls})" if cls else label, f"  <{focus}>"]
        for r in results:
            lines.extend(_result_lines(r))
        blocks.append("\n".join(lines))
    blocks.append(summary(report, strict))
    return "\n\n".join(blocks) + "\n"


def _result_dict(r: ValidationResult) -> dict:
    data = asdict(r)
    data["sources"] = [asdict(s) for s in r.sources]
    return data


def render_json(report: ValidationReport) -> str:
    """The report as JSON: conforms (no result at all), passes (no violation), counts by
    severity, and every result with its sources."""
    doc = {
        "conforms": report.conforms,
        "passes": report.passes(),
        "counts": report.counts,
        "results": [_result_dict(r) for r in report.results],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_turtle(report: ValidationReport) -> str:
    """The standard SHACL validation report graph, with blank nodes relabelled canonically."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph


    canonical = Graph()
    bind_prefixes(canonical)
    for triple in to_canonical_graph(report.graph):
        canonical.add(triple)
    return canonical.serialize(format="turtle")


def render(report: ValidationReport, fmt: str, strict: bool = False) -> str:
    """Render the report in one of :data:`FORMATS` (``strict``: the text's verdict counts
    warnings as failures)."""
    if fmt == "text":
        return render_text(report, strict)
    if fmt == "json":
        return render_json(report)
    if fmt == "turtle":
        return render_turtle(report)
    raise ValueError(f"unknown report format {fmt!r}")
