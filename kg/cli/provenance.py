"""``kg why`` and ``kg conflicts``."""

from __future__ import annotations

import click

from kg.cli import inputs_argument
from kg.cli.backend_options import backend_options
from kg.backends.base import open_backend
from kg.provenance.why import resolve_measure
from kg.provenance.why import why as why_entity
from kg.provenance.conflicts import find_conflicts
from kg.render import render_outline
from kg.timeout import run_with_timeout
from kg.errors import NotConformingError

Where = tuple[tuple[str, ...], str | None, str | None, float, bool, str]


def _why(where: Where, name: str, measure: str | None, year: int | None):  # type: ignore[no-untyped-def]
    """Open the backend, find the entity and its facts (module level: a worker runs it)."""

    with open_backend(*where) as backend:
        sources, entity = backend.entity_sources(name)
        measure_iri = resolve_measure(sources, measure) if measure is not None else None
        return why_entity(sources, entity, measure_iri, year)


def _conflicts(where: Where):  # type: ignore[no-untyped-def]
    """Open the backend and check its figures (module level: a worker runs it)."""

    with open_backend(*where) as backend:
        return find_conflicts(*backend.conflict_sources())


def _citation_items(citations, depth: int) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """Outline items for citations: the source, then what it says (stated as, quotes, notes)."""
    items = []
    for c in citations:
        items.append((depth, c.source.citation()))
        if c.stated_as:
            items.append((depth + 1, f"stated as: {c.stated_as}"))
        items.extend((depth + 1, f"“{q}”") for q in c.evidence)
        items.extend((depth + 1, f"note: {n}") for n in c.notes)
        if not (c.evidence or c.stated_as):
            items.append((depth + 1, "(no quote: the article states it without one)" if c.source.kind == "article"
                          else "(no quote)"))
    return items


@click.command()
@click.argument("name")
@inputs_argument
@click.option("--measure", default=None, metavar="MEASURE",
              help="Only figures of this measure: its label ('output value'), name (output-value) or IRI.")
@click.option("--year", type=int, default=None, help="Only figures for this year.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@backend_options
def why(
    name: str, inputs: tuple[str, ...], measure: str | None, year: int | None, fmt: str,
    backend: str, store: str | None, endpoint: str | None, timeout: float,
) -> None:
    """Show where every statement about an entity comes from: article, date and quote.

    NAME is any of the entity's names or its IRI. With --measure and/or --year, only those
    figures. A statement several articles make lists each of them. Works on the project's
    graph, on the RDF files given (with the project's ontology), on a --store or on an
    --endpoint (only the entity's surroundings are fetched: docs/scale.md).

    Example: kg why "Baotou Equipment Park" --measure "output value" --year 2021
    """
    import json
    from dataclasses import asdict


    where = (inputs, store, endpoint, timeout, False, backend)
    result = run_with_timeout(_why, where, name, measure, year, seconds=timeout, label="why")
    if fmt == "json":
        click.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return
    items: list[tuple[int, str]] = [(0, f"<{result.entity}>")]
    for fact in result.facts:
        many = f" ({fact.articles} sources)" if fact.articles >= 2 else ""
        items.append((0, fact.text + many))
        items.extend(_citation_items(fact.citations, 1))
    click.echo(render_outline(result.label, items, fmt), nl=False)


@click.command()
@inputs_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@backend_options
def conflicts(
    inputs: tuple[str, ...], fmt: str, backend: str, store: str | None, endpoint: str | None, timeout: float
) -> None:
    """Find figures and facts where sources disagree, or one source contradicts itself.

    Reports figures two articles give differently for the same entity, measure and period;
    an "of which" part greater than its whole; a year-on-year change that the two years'
    figures cannot give; two values of a single-valued property (such as two founding years).
    Each conflict shows both sides with their sources and quotes. Exit 3 when there are
    conflicts, 0 when there are none. Works on the project's graph, on the RDF files given, on a
    --store or on an --endpoint (only the figures that can conflict and the doubly-valued
    single-valued properties are fetched).

    Example: kg conflicts --format json
    """
    import json
    from dataclasses import asdict


    where = (inputs, store, endpoint, timeout, False, backend)
    report = run_with_timeout(_conflicts, where, seconds=timeout, label="conflicts")
    checked = f"{report.figures} figures and {report.properties} single-valued properties"
    if fmt == "json":
        click.echo(json.dumps(asdict(report), ensure_ascii=False, indent=2))
    elif report.conflicts:
        items: list[tuple[int, str]] = []
        for c in report.conflicts:
            items.append((0, f"[{c.kind}] {c.summary}"))
            for side in c.sides:
                items.append((1, f"{side.role}: {side.text}"))
                items.extend(_citation_items(side.citations, 2))
        n = len(report.conflicts)
        click.echo(render_outline(f"{n} conflict{'s' if n != 1 else ''} in {checked}", items, "text"), nl=False)
    else:
        click.echo(f"No conflicts in {checked}.")
    if report.conflicts:
        n = len(report.conflicts)
        raise NotConformingError(f"{n} conflict{'s' if n != 1 else ''} found (see the report above)")
