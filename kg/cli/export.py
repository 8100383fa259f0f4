"""``kg export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli import inputs_argument
from kg.cli.backend_options import backend_options
from kg.export.registry import FORMATS, PARTS, REASONING_MODES
from kg.export.registry import export as run_export
from kg.timeout import run_with_timeout
from kg.export.registry import ExportRequest


def _split_parts(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """``--include data,reference --include shapes`` -> ("data", "reference", "shapes")."""
    parts = [p.strip() for v in values for p in v.split(",") if p.strip()]
    for p in parts:
        if p not in PARTS:
            raise click.BadParameter(f"{p!r} is not one of {', '.join(PARTS)}.", ctx=ctx, param=param)
    return tuple(parts)


def _export_in_worker(request, output: Path | None, seconds: float):  # type: ignore[no-untyped-def]
    """Export in a worker process stopped after ``seconds`` (kg.timeout): it writes the file
    itself (atomically), or a temporary file that is then copied to stdout."""
    import os
    import shutil
    import tempfile


    if output is not None:
        return run_with_timeout(run_export, request, output, None, seconds=seconds, label="export")
    fd, tmp = tempfile.mkstemp(prefix="kg-export-", suffix=".part")
    os.close(fd)
    try:
        summary = run_with_timeout(run_export, request, Path(tmp), None, seconds=seconds, label="export")
        with open(tmp, "rb") as fh:
            shutil.copyfileobj(fh, sys.stdout.buffer)
    finally:
        Path(tmp).unlink(missing_ok=True)
    summary.written = []
    return summary


#: Printed after an RDF export without named graphs of data that came from several graphs (the
#: articles): the provenance shapes need them.
UNION_NOTE = (
    "Note: {fmt} holds the union of the graphs, not which article states each fact (the named "
    "graphs): SHACL on it (kg validate, Jena, pyshacl) reports ProvenanceShape and ArticleGraphShape "
    "violations; --format trig or nquads keeps the provenance (docs/validation.md)"
)

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
@click.option("--with-derived", is_flag=True,
              help="Also export the graphs kg derives (graph:derived-containment, the containment closure), left out by default.")
@backend_options(timeout=0.0, backend="memory")
def export(
    inputs: tuple[str, ...],
    fmt: str,
    output: Path | None,
    include: tuple[str, ...],
    articles: tuple[str, ...],
    reasoning: str,
    backend: str,
    with_derived: bool,
    store: str | None,
    endpoint: str | None,
    timeout: float,
) -> None:
    """Export the graph for other tools, losslessly and byte for byte the same each run.

    RDF formats (turtle, nt, nquads, trig, jsonld, xml) re-parse to exactly what was exported,
    literals as written; nquads, trig and jsonld keep one named graph per article, the others
    hold the union. graphml, gexf and csv are networks: entities are nodes, links between them
    are edges, literals are node attributes (docs/export.md). Works on the project's graph, on
    the RDF files given, on a --store or on an --endpoint (its quads are streamed, nothing is
    parsed; a store keeps literals in canonical form, "8.0"^^xsd:decimal as "8": docs/scale.md).

    Example: kg export --format trig --article baotou-equipment-park-2017 --output baotou.trig
    """

    request = ExportRequest(fmt=fmt, include=include, articles=articles, inputs=inputs, reasoning=reasoning,
                            store=store, endpoint=endpoint, timeout=timeout or None, backend=backend,
                            with_derived=with_derived)
    stdout = sys.stdout.buffer
    if timeout:
        summary = _export_in_worker(request, output, timeout)
    else:
        summary = run_export(request, output, stdout)
    stdout.flush()
    if summary.written:
        what = f"{summary.quads} quads in {summary.graphs} named graphs" if FORMATS[fmt].graphs else f"{summary.triples} triples"
        click.echo(f"Wrote {what} ({', '.join(summary.parts)}) to {', '.join(summary.written)}", err=True)
    chosen = FORMATS[fmt]
    if chosen.kind == "rdf" and not chosen.graphs and "data" in summary.parts and summary.graphs > 1:  # on stdout too
        click.echo(UNION_NOTE.format(fmt=fmt), err=True)
