"""``kg push``."""

from __future__ import annotations

import click

from kg.cli import inputs_argument
from kg.cli.progress import progress_bar
from kg.backends.credentials import find_credentials
from kg.backends.push import push as push_files


@click.command()
@click.option(
    "--endpoint",
    required=True,
    help="The endpoint's SPARQL query URL, e.g. http://localhost:7878/query.",
)
@click.option(
    "--graph-store",
    default=None,
    help="Its Graph Store Protocol URL for writes (default for Oxigraph: the query URL ending in /store instead "
    "of /query; Virtuoso: http://HOST:PORT/sparql-graph-crud-auth).",
)
@click.option(
    "--user",
    default=None,
    help="Log in as this user when the server asks (HTTP basic or digest); the password comes from the "
    "environment variable KG_ENDPOINT_PASSWORD or ~/.netrc, never from the command line.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
@click.option(
    "--total-timeout",
    type=click.FloatRange(min=0),
    default=3600.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop after this many seconds in all and exit 1 (0: no limit); what was sent stays on the endpoint.",
)
@click.option(
    "--replace", is_flag=True,
    help="Delete the graphs kg pushed to the endpoint before (those its manifest graph lists) first; no other graph.",
)
@click.option(
    "--ontology", is_flag=True,
    help="Also send the project's ontology (graph:ontology) with the files: kg validate --endpoint then "
    "checks the endpoint in place instead of copying it into memory. (The project's data has it.)",
)
@inputs_argument
def push(
    endpoint: str, graph_store: str | None, user: str | None, timeout: float, total_timeout: float, replace: bool,
    ontology: bool,
    inputs: tuple[str, ...],
) -> None:
    """Upload RDF files to a SPARQL endpoint, one named graph at a time (Graph Store Protocol).

    Without files, uploads the project's graph. Each named graph is replaced on the endpoint
    (HTTP PUT); then every triple is added to kg's merge graph (graph:merge, POST), which queries
    read as their default graph; last, the manifest graph (graph:manifest) lists the graphs as
    kg's own: other graphs on the server are never read, counted or deleted. Triple files (Turtle, N-Triples) go to a graph
    named by the file's file: IRI, as in memory. The number of triples per graph goes to
    stdout, a progress bar and a summary to stderr. Files of your own: add --ontology to validate
    the endpoint in place (kg push --endpoint URL --ontology firms.nq).

    Example: kg push --endpoint http://localhost:7878/query
    """

    credentials = find_credentials(user, graph_store or endpoint)
    with progress_bar("push", unit="bytes") as update:
        report = push_files(
            endpoint,
            inputs,
            graph_store=graph_store,
            timeout=timeout,
            total=total_timeout or None,
            replace=replace,
            progress=update,
            ontology=ontology,
            credentials=credentials,
        )
    for graph, triples in report.graphs:
        click.echo(f"{triples}\t{graph if graph is not None else '(default graph)'}")
    click.echo(
        f"pushed {report.triples} triples in {len(report.graphs) - 1} named graphs (and their merge to the "
        f"default graph) to {report.graph_store} "
        f"in {report.seconds:.1f} s",
        err=True,
    )
