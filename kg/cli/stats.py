"""``kg stats``."""

from __future__ import annotations

import json

import click

from kg.cli import inputs_argument
from kg.cli.backend_options import backend_options
from kg.cli.safety_options import strict_option
from kg.cli.table_options import table_width, wide_option
from kg.backends.base import open_backend
from kg.query.stats import backend_stats
from kg.render import Table, render
from kg.timeout import run_with_timeout
from kg.query.stats import regions
from kg.rdf.containment import LEVELS


def _compute(  # type: ignore[no-untyped-def]
    inputs: tuple[str, ...],
    strict: bool,
    store: str | None = None,
    endpoint: str | None = None,
    timeout: float = 0,
    backend: str = "memory",
    by: str | None = None,
):
    """Load (or open) and count (module level, so that a worker process can run it)."""

    with open_backend(inputs, store, endpoint, timeout, strict, backend) as opened:
        result = backend_stats(opened)
        if by is not None:
            result.by, result.regions = by, regions(opened, by)
        return result


@click.command()
@inputs_argument
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@click.option("--by", type=click.Choice(list(LEVELS)), default=None,
              help="Also count firms and parks per division of this level, at any depth (a first look at a big store).")
@strict_option
@wide_option
@backend_options(timeout=0.0)
def stats(
    inputs: tuple[str, ...], fmt: str, by: str | None, strict: bool, wide: bool, backend: str, store: str | None,
    endpoint: str | None, timeout: float,
) -> None:
    """Count triples per named graph, instances per class and measurements per measure.

    Works on the project's graph, on the RDF files given, on a --store or on an --endpoint
    (counted there with SPARQL: nothing is loaded).

    Example: kg stats --format json

    Example: kg stats --by prefecture
    """
    from dataclasses import asdict


    result = run_with_timeout(
        _compute, inputs, strict, store, endpoint, timeout, backend, by, seconds=timeout, label="stats"
    )
    if fmt == "json":
        click.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.quads} quads in {len(result.graphs)} graphs, {result.triples} distinct triples\n")
    for title, col, rows in (
        ("Triples per graph", "graph", result.graphs),
        ("Instances per class", "class", result.classes),
        ("Measurements per measure", "measure", result.measures),
        ("Derived by kg", "graph", result.derived),
    ):
        click.echo(render(Table([col, "count"], rows, title=title), fmt, table_width(wide)))
    if result.by is not None:
        title = f"Firms and parks per {result.by}, at any depth"
        click.echo(render(Table([result.by, "firms", "parks"], result.regions, title=title), fmt, table_width(wide)))
