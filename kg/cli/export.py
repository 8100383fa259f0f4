"""``kg export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli import inputs_argument
from kg.export import FORMATS, PARTS, REASONING_MODES


def _split_parts(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """``--include data,reference --include shapes`` -> ("data", "reference", "shapes")."""
    parts = [p.strip() for v in values for p in v.split(",") if p.strip()]
    for p in parts:
        if p not in PARTS:
            raise click.BadParameter(f"{p!r} is not one of {', '.join(PARTS)}.", ctx=ctx, param=param)
    return tuple(parts)


_FORMAT_HELP = "; ".join(f"{f.name}: {f.summary}" for f in FORMATS.values())


@click.command()
@inputs_argument
@click.option("-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default="turtle", show_default=True,
              help=f"Output format ({_FORMAT_HELP}).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write to this file (written atomically) instead of stdout; for csv, the directory that gets nodes.csv and edges.csv.")
@click.option("-i", "--include", multiple=True, callback=_split_parts, metavar="PART[,PART...]",
              help=f"What goes out, repeatable: {', '.join(PARTS)}. [default: ontology,data,reference for RDF formats; "
                   "data,reference for graphml, gexf, csv; data alone with --article or input files]")
@click.option("-a", "--article", "articles", multiple=True, metavar="SLUG",
              help="Only this article's graph (repeatable), e.g. baotou-equipment-park-2017.")
@click.option("--reasoning", type=click.Choice(REASONING_MODES), default="rdfs", show_default=True,
              help="Inference for --include inferred: rdfs, or owlrl (adds transitive, symmetric and inverse properties).")
def export(
    inputs: tuple[str, ...],
    fmt: str,
    output: Path | None,
    include: tuple[str, ...],
    articles: tuple[str, ...],
    reasoning: str,
) -> None:
    """Export the graph for other tools, losslessly and byte for byte the same each run.

    RDF formats (turtle, nt, nquads, trig, jsonld, xml) re-parse to exactly what was exported,
    literals as written; nquads, trig and jsonld keep one named graph per article, the others
    hold the union. graphml, gexf and csv are networks: entities are nodes, links between them
    are edges, literals are node attributes (docs/export.md). Works on the project's graph, or
    on the RDF files given.

    Example: kg export --format trig --article baotou-equipment-park-2017 --output baotou.trig
    """
    from kg.export import ExportRequest
    from kg.export import export as run_export

    request = ExportRequest(fmt=fmt, include=include, articles=articles, inputs=inputs, reasoning=reasoning)
    stdout = sys.stdout.buffer
    summary = run_export(request, output, stdout)
    stdout.flush()
    if summary.written:
        what = f"{summary.quads} quads in {summary.graphs} named graphs" if FORMATS[fmt].graphs else f"{summary.triples} triples"
        click.echo(f"Wrote {what} ({', '.join(summary.parts)}) to {', '.join(summary.written)}", err=True)
