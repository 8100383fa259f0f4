"""``kg centrality``."""

from __future__ import annotations

import click

from kg.cli import inputs_argument
from kg.cli.table_options import table_width, wide_option
from kg.cli.backend_options import backend_options
from kg.network.measures import GROUPS, MEASURES
from kg.backends.base import open_backend
from kg.network.measures import compute_centrality, parse_measures, scores_graph
from kg.errors import UsageError
from kg.fileio import write_atomic
from kg.network.projection import ProjectionOptions, expand
from kg.network.report import MAX_LABELS, draw, html_report, shown_entities
from kg.reference.map import divisions_map_html, divisions_of
from kg.network.projection import qname
from kg.render import Table, render

_FORMATS = ("table", "csv", "tsv", "json", "markdown")
_MEASURES_HELP = ", ".join([*MEASURES, *GROUPS])


@click.command()
@inputs_argument
@click.option(
    "-m",
    "--measure",
    "measures",
    multiple=True,
    metavar="NAME[,NAME]",
    help=f"Measure(s) to rank by, repeatable or comma-separated: {_MEASURES_HELP}. [default: degree]",
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=None,
    help="Rows per measure (0 = all). [default: 20; all with --as-rdf]",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default=None,
    help="Output format. [default: table]",
)
@click.option(
    "--as-rdf",
    is_flag=True,
    help="Write the scores as Turtle (kg:CentralityScore nodes) instead of a table.",
)
@click.option(
    "--directed/--undirected",
    default=False,
    show_default=True,
    help="Keep the direction of links (needed by in-degree, out-degree and HITS).",
)
@click.option(
    "--predicate",
    "predicates",
    multiple=True,
    metavar="IRI",
    help="Only links with this predicate (prefix:name or IRI); repeatable.",
)
@click.option(
    "--exclude-predicate",
    "exclude_predicates",
    multiple=True,
    metavar="IRI",
    help="Leave out links with this predicate; repeatable.",
)
@click.option(
    "--class",
    "classes",
    multiple=True,
    metavar="IRI",
    help="Only entities of this class or its subclasses (e.g. kg:Firm); repeatable.",
)
@click.option(
    "--concepts",
    is_flag=True,
    help="Also make industries, products, technologies and designations nodes.",
)
@click.option(
    "-k",
    "--k",
    "k",
    type=click.IntRange(min=2),
    default=None,
    help="Sample this many source nodes for betweenness (approximate; exact without).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the betweenness sample."
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "networkx", "fast"]),
    default="auto",
    show_default=True,
    help="networkx (reference) or fast (igraph, numpy, scipy; same values); auto: fast from 1,000 nodes or 5,000 edges on.",
)
@backend_options
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Also write a self-contained HTML report (picture, ranked tables, map of the divisions the entities shown are in).",
)
@click.option(
    "--png",
    "png_file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Also write the picture as PNG.",
)
@click.option(
    "--svg",
    "svg_file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Also write the picture as SVG.",
)
@wide_option
def centrality(
    inputs: tuple[str, ...],
    measures: tuple[str, ...],
    top: int | None,
    fmt: str | None,
    as_rdf: bool,
    directed: bool,
    predicates: tuple[str, ...],
    exclude_predicates: tuple[str, ...],
    classes: tuple[str, ...],
    concepts: bool,
    k: int | None,
    seed: int,
    html_file: str | None,
    png_file: str | None,
    svg_file: str | None,
    wide: bool,
    engine: str,
    backend: str,
    store: str | None,
    endpoint: str | None,
    timeout: float,
) -> None:
    """Rank entities by graph centrality: degree, betweenness, closeness, PageRank, ...

    Entities (places, parks, organisations, people, events, projects, infrastructure) are the
    nodes; links between them, memberships, awards and distances are the edges (see
    docs/centrality.md). Works on the project's graph, on the RDF files given, on a --store
    or on an --endpoint.

    Example: kg centrality --measure degree,pagerank --top 10
    """

    if as_rdf and fmt is not None:
        raise UsageError("--as-rdf writes Turtle: leave out --format")
    names = parse_measures(measures)
    options = ProjectionOptions(
        directed=directed,
        predicates=tuple(expand(p, "--predicate") for p in predicates),
        exclude_predicates=tuple(expand(p, "--exclude-predicate") for p in exclude_predicates),
        classes=tuple(expand(c, "--class") for c in classes),
        concepts=concepts,
    )
    drawing = bool(html_file or png_file or svg_file)
    rows = None if drawing else (top if as_rdf else (20 if top is None else top)) or None
    # (input files: class labels and the class hierarchy come from the project's ontology)
    with open_backend(inputs, store, endpoint, timeout, backend=backend, ontology=bool(inputs)) as opened:
        result = compute_centrality(
            opened, names, options, k=k, seed=seed, progress=lambda msg: click.echo(msg, err=True),
            engine=engine, top=rows,
        )  # fmt: skip
        shown = 20 if top is None else top
        divisions = divisions_of(opened, shown_entities(result, shown)) if html_file else []

    source = " ".join(inputs) if inputs else (store or endpoint or "the project's graph")
    if html_file or png_file or svg_file:

        labels = top or MAX_LABELS
        if png_file:
            write_atomic(png_file, draw(result, "png", labels=labels))
        if svg_file:
            write_atomic(svg_file, draw(result, "svg", labels=labels))
        if html_file:
            write_atomic(
                html_file,
                html_report(
                    result,
                    top=shown,
                    source=source,
                    divisions_map=divisions_map_html(divisions, what="entities shown"),
                ),
            )

    if as_rdf:
        click.echo(scores_graph(result, top).serialize(format="turtle"), nl=False)
        return
    _echo_tables(result, 20 if top is None else top, fmt or "table", table_width(wide))


def _echo_tables(result, top: int, fmt: str, width: int | None = None) -> None:  # type: ignore[no-untyped-def]

    if fmt in ("table", "markdown"):  # one titled table per measure, IRIs shortened
        for i, ranking in enumerate(result.rankings):
            rows = [[r.rank, r.label, r.cls, r.score, qname(r.iri)] for r in ranking.top(top)]
            table = Table(["rank", "label", "class", "score", "iri"], rows, title=ranking.measure)
            click.echo(("\n" if i else "") + render(table, fmt, width), nl=False)
        return
    rows = [
        [ranking.measure, r.rank, r.label, r.cls, r.score, str(r.iri)]
        for ranking in result.rankings
        for r in ranking.top(top)
    ]
    click.echo(
        render(Table(["measure", "rank", "label", "class", "score", "iri"], rows), fmt), nl=False
    )
