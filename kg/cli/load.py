"""``kg load``."""

from __future__ import annotations

import sys

import click

from kg.cli import inputs_argument
from kg.cli.progress import progress_bar
from kg.backends.bulk import load_store
from kg.backends.bulk import LoadInterrupted


@click.command()
@click.option(
    "--store",
    required=True,
    type=click.Path(file_okay=False, path_type=str),
    help="Directory of the Oxigraph store (created if missing).",
)
@click.option("--replace", is_flag=True, help="Empty the store before loading.")
@click.option(
    "--ontology", is_flag=True,
    help="Also load the project's ontology (graph:ontology) with the files: kg validate --store then "
    "checks the store in place instead of copying it into memory. (The project's data has it.)",
)
@click.option(
    "--whole-gazetteer", is_flag=True,
    help="With the project's graph: load all of the gazetteer (71,000 quads: every division, zone and "
    "abolished code), not just the part the data names (docs/gazetteer.md).",
)
@inputs_argument
def load(store: str, replace: bool, ontology: bool, whole_gazetteer: bool, inputs: tuple[str, ...]) -> None:
    """Bulk-load RDF files into a persistent on-disk Oxigraph store.

    Without files, loads the project's graph (ontology, article graphs, reference data and the
    gazetteer's part the data names; --whole-gazetteer: all of it) into the same named graphs
    the in-memory default uses. Afterwards, commands given --store DIR work on
    the store without parsing anything. A progress bar and a summary go to stderr.

    Files of your own: add --ontology to validate the store in place (kg load --store national
    --ontology firms.nq).

    Example: kg load --store kg-store
    """


    try:
        with progress_bar("load", unit="bytes") as update:
            report = load_store(
                store, inputs, replace=replace, progress=update, ontology=ontology, whole_gazetteer=whole_gazetteer
            )
    except LoadInterrupted as exc:
        click.echo(exc.message, err=True)
        sys.exit(130)
    for leftover in report.cleaned:
        click.echo(f"removed {leftover}, left by an interrupted load", err=True)
    click.echo(
        f"loaded {report.files} file{'s' if report.files != 1 else ''} ({report.bytes} bytes) into {report.store} in {report.seconds:.1f} s: "
        f"the store holds {report.quads} quads in {report.graphs} named graphs",
        err=True,
    )
