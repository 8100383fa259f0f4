"""``kg query`` and ``kg queries``."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from kg.cli import inputs_argument
from kg.cli.backend_options import backend_options
from kg.cli.safety_options import strict_option
from kg.cli.table_options import table_width, wide_option
from kg.backends.base import open_backend
from kg.query.engine import query_backend
from kg.query.library import parse_assignments
from kg.query.output import serialize, serialize_pieces
from kg.errors import UsageError
from kg.query.library import find_named, read_query_file
from kg.timeout import run_with_timeout
from kg.fileio import write_atomic
from kg.query.library import AS_OF, as_of_form, discover
from kg.render import Table, render

_EXIT_CODES = (
    "Exit codes: 0 ok (ASK: true); 1 error, or ASK false; "
    "2 usage error (bad parameter, update, refused SERVICE / FROM)."
)
_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "nt", "nquads", "trig", "jsonld")


def _looks_like_sparql(text: str) -> bool:
    return any(ch in text for ch in " \n\t{") or text.strip().startswith(("PREFIX", "prefix", "#"))


def _answer(
    where: tuple[tuple[str, ...], str | None, str | None, float, bool, str],
    text: str,
    source: str,
    params: tuple[str, ...],
    fmt: str | None,
    reasoning: str,
    allow_network: bool,
    max_width: int,
    width: int | None = None,
    emit: Callable[[str], None] | None = None,
) -> tuple[str, str, int, bool | None, bool]:
    """Run the query and render it (module level, so that a worker process can run it):
    (output, kind, rows, boolean, whether rows were cut at the query's limit). With ``emit``,
    the output goes to it in pieces of about 64 KB as they are rendered (a table a line at a
    time once its widths are known, CSV and TSV a row at a time), and the output returned is
    empty."""

    inputs, store, endpoint, timeout, strict, chosen = where
    if reasoning != "none" and chosen == "auto":
        chosen = "memory"  # the only backend that reasons
    with open_backend(inputs, store, endpoint, timeout, strict, chosen) as backend:
        result = query_backend(backend, text, parse_assignments(params), reasoning, allow_network, source)
        labels = None
        if result.kind == "SELECT" and (fmt or "table") == "table":
            labels = backend.labels(c for row in result.rows for c in row)
        if emit is None:
            out = serialize(result, fmt, labels, max_width, width)
        else:
            out = ""
            batch: list[str] = []
            size = 0
            for piece in serialize_pieces(result, fmt, labels, max_width, width):
                batch.append(piece)
                size += len(piece)
                if size >= 1 << 16:
                    emit("".join(batch))
                    batch, size = [], 0
            if batch:
                emit("".join(batch))
    return out, result.kind, len(result.rows), result.boolean, result.limited


@click.command(epilog=_EXIT_CODES)
@click.argument("query", required=False)
@inputs_argument
@click.option(
    "-f", "--file", "query_file", type=click.Path(dir_okay=False, path_type=str),
    help="Read the query from this .rq file.",
)
@click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
    help="Bind a parameter (repeatable); NAME:TYPE=VALUE gives its type.",
)
@click.option(
    "--format", "fmt", type=click.Choice(_FORMATS), default=None,
    help="Output format [default: table; turtle for CONSTRUCT/DESCRIBE].",
)
@click.option(
    "--reasoning", type=click.Choice(["none", "rdfs", "owlrl"]), default="none", show_default=True,
    help="Inference before the query runs (none: the data as written; see docs/queries.md).",
)
@click.option("--allow-network", is_flag=True, help="Let SERVICE and remote FROM graphs reach the network.")
@click.option(
    "--max-width", type=click.IntRange(min=0), default=60, show_default=True,
    help="Cut table cells wider than this (0: never); the widest columns are cut further to fit the terminal.",
)
@wide_option
@click.option(
    "--as-of", "as_of", metavar="YEAR",
    help="Roll up to the divisions as they were at the end of YEAR: runs the query's as-of form (firms-per-region: firms-per-region-as-of), or binds its own as_of.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=str),
    help="Write the results to this file instead of stdout.",
)
@backend_options
@strict_option
def query(
    query: str | None,
    inputs: tuple[str, ...],
    query_file: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    reasoning: str,
    allow_network: bool,
    max_width: int,
    wide: bool,
    as_of: str | None,
    output: str | None,
    backend: str,
    store: str | None,
    endpoint: str | None,
    timeout: float,
    strict: bool,
) -> None:
    """Run a SPARQL query: inline text, a file (-f) or a named query (`kg queries` lists them).

    Works on the project's graph, on the RDF files given after the query, on a --store or on
    an --endpoint (the same answers on each; docs/scale.md). The project's
    prefixes (kg:, place:, park:, orgn: ...) need no PREFIX lines. Queries are read-only and
    offline. SELECT prints a table (or W3C csv, tsv, json, xml results); CONSTRUCT and DESCRIBE
    print RDF; ASK prints true or false and exits 0 or 1.

    Example: kg query firms-in-region --param region="Inner Mongolia"
    """

    if query_file is None and query is not None and query.endswith(".rq") and not _looks_like_sparql(query):
        query_file, query = query, None
    named = None
    if query_file is not None:
        named = read_query_file(query_file)
        text, source = named.text, query_file
        if query is not None:
            inputs = (query, *inputs)
    elif query is None:
        raise UsageError("give a query: SPARQL text, -f FILE or the name of a named query (`kg queries`)")
    elif _looks_like_sparql(query):
        text, source = query, "query"
    else:
        named = find_named(query)
        text, source = named.text, f"queries/{named.path.name}"
    if as_of is not None:
        if named is None:
            raise UsageError("--as-of: an inline query has no as_of parameter: write ?as_of in it and give --param as_of=YEAR")
        if any(p.split("=", 1)[0].split(":", 1)[0].strip() == AS_OF for p in params):
            raise UsageError("--as-of: give the year once (not also as --param as_of=...)")
        chosen = as_of_form(named)
        if chosen is not named:
            text, source = chosen.text, (str(chosen.path) if query_file is not None else f"queries/{chosen.path.name}")
        params = (*params, f"{AS_OF}={as_of}")
    where = (inputs, store, endpoint, timeout, strict, backend)
    # To the terminal (or a pipe) the output streams, piece by piece as the worker renders it;
    # to a file it is written whole and atomically.
    out, kind, rows, boolean, limited = run_with_timeout(
        _answer, where, text, source, params, fmt, reasoning, allow_network, 0 if wide else max_width,
        None if output else table_width(wide), seconds=timeout, label=source,
        stream=None if output else (lambda piece: click.echo(piece, nl=False)),
    )  # fmt: skip
    if output:
        write_atomic(output, out)
    if kind == "SELECT" and (fmt or "table") == "table":
        click.echo(f"({rows} row{'s' if rows != 1 else ''})", err=True)
    if limited:
        click.echo(f"Note: the first {rows} rows only; --param limit=N for more (0: every row)", err=True)
    if kind == "ASK" and not boolean:
        sys.exit(1)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def queries(fmt: str) -> None:
    """List the named queries with their summaries and parameters.

    Example: kg queries --format markdown
    """
    import json


    found = discover()
    if fmt == "json":
        records = [
            {
                "name": q.name,
                "summary": q.header.summary,
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "required": p.required,
                        "default": p.default,
                        "description": p.description,
                    }
                    for p in q.header.params
                ],
                "returns": list(q.header.returns),
                "examples": list(q.header.examples),
            }
            for q in found
        ]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if fmt == "markdown":

        rows = [
            (f"`{q.name}`", ", ".join(p.describe() for p in q.header.params) or "-", q.header.summary)
            for q in found
        ]
        click.echo(render(Table(["name", "parameters", "summary"], rows), "markdown"), nl=False)
        return
    for q in found:
        click.echo(q.name)
        click.echo(f"    {q.header.summary}")
        for p in q.header.params:
            click.echo(f"    --param {p.describe()}: {p.description}")
        if q.header.returns:
            click.echo(f"    returns: {', '.join(q.header.returns)}")
