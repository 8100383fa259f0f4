"""``kg stats``."""

from __future__ import annotations

import json

import click

from kg.cli import inputs_argument
from kg.cli.safety_options import strict_option, timeout_option


def _compute(inputs: tuple[str, ...], strict: bool):  # type: ignore[no-untyped-def]
    """Load and count (module level, so that a worker process can run it)."""
    from kg.stats import compute_stats
    from kg.store import load_inputs

    return compute_stats(load_inputs(inputs, strict=strict))


@click.command()
@inputs_argument
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@strict_option
@timeout_option()
def stats(inputs: tuple[str, ...], fmt: str, strict: bool, timeout: float) -> None:
    """Count triples per named graph, instances per class and measurements per measure.

    Works on the project's graph, or on the RDF files given.

    Example: kg stats --format json
    """
    from dataclasses import asdict

    from kg.render import Table, render
    from kg.timeout import run_with_timeout

    result = run_with_timeout(_compute, inputs, strict, seconds=timeout, label="stats")
    if fmt == "json":
        click.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.triples} triples\n")
    for title, col, rows in (
        ("Triples per graph", "graph", result.graphs),
        ("Instances per class", "class", result.classes),
        ("Measurements per measure", "measure", result.measures),
    ):
        click.echo(render(Table([col, "count"], rows, title=title), fmt))
