"""``kg stats``."""

from __future__ import annotations

import json

import click

from kg.cli import inputs_argument


@click.command()
@inputs_argument
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def stats(inputs: tuple[str, ...], fmt: str) -> None:
    """Count triples per named graph, instances per class and measurements per measure.

    Works on the project's graph, or on the RDF files given.

    Example: kg stats --format json
    """
    from dataclasses import asdict

    from kg.render import Table, render
    from kg.stats import compute_stats
    from kg.store import load_inputs

    result = compute_stats(load_inputs(inputs))
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
