"""``kg validate``."""

from __future__ import annotations

import click

from kg.cli import inputs_argument
from kg.cli.backend_options import backend_options
from kg.rdf.reasoning import HELP as REASONING_HELP
from kg.rdf.reasoning import MODES as REASONING_MODES
from kg.safety import sparql_offline
from kg.validate.core import validate as run_validation
from kg.backends.base import file_backend, open_backend
from kg.rdf.loading import load_checked
from kg.validate.backend import validate_backend
from kg.errors import NotConformingError
from kg.timeout import run_with_timeout
from kg.validate.report import counts_line, render

#: kg.timeout.DEFAULT_VALIDATE_TIMEOUT, repeated so that --help imports nothing heavy.
DEFAULT_VALIDATE_TIMEOUT = 300.0

VALIDATE_EXIT_CODES = """
Exit codes: 0 the data passes: no violation (warnings and infos allowed, though SHACL then
says it does not conform); 3 a violation, or with --strict also a warning; 1 unusable input
(a missing or malformed file, an ill-typed literal, unusable shapes, the time limit reached);
2 usage error.
"""


def _validate(
    where: tuple[tuple[str, ...], str | None, str | None, float, bool, str],
    shapes_file: str | None,
    reasoning: str,
    engine: str,
    allow_network: bool,
):  # type: ignore[no-untyped-def]
    """Load (or open) and validate (module level: a worker process runs it). rdflib's SPARQL
    engine runs the shapes' SPARQL constraints: offline, so that a FROM <file:...> or a SERVICE
    in a shapes file reads nothing."""


    inputs, store, endpoint, timeout, strict, chosen = where
    with sparql_offline(allow_network):
        if store is None and endpoint is None and (reasoning != "none" or file_backend(inputs, chosen) == "memory"):

            return run_validation(load_checked(inputs, strict=strict), shapes_file, reasoning, engine)

        with open_backend(inputs, store, endpoint, timeout, strict, chosen) as backend:
            return validate_backend(backend, shapes_file, reasoning, engine)


@click.command(epilog=VALIDATE_EXIT_CODES)
@inputs_argument
@click.option(
    "--shapes",
    "shapes_file",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="SHACL shapes file to use instead of the project's ontology/shapes.ttl.",
)
@click.option(
    "--reasoning",
    type=click.Choice(REASONING_MODES),
    default="none",
    show_default=True,
    help=REASONING_HELP,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text for a person; json; turtle for the standard SHACL validation report graph.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Also fail (exit 3) on warnings, and read every input with a strict parser "
    "(pyoxigraph) that refuses what the W3C grammars reject.",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "pyshacl", "fast"]),
    default="auto",
    show_default=True,
    help="pyshacl (reference) or fast (shacl + Oxigraph; same results); auto: fast unless the data "
    "or shapes use what the engines report differently (docs/engines.md).",
)
@backend_options(timeout=DEFAULT_VALIDATE_TIMEOUT)
@click.pass_context
def validate(
    ctx: click.Context,
    inputs: tuple[str, ...],
    shapes_file: str | None,
    reasoning: str,
    fmt: str,
    strict: bool,
    engine: str,
    backend: str,
    store: str | None,
    endpoint: str | None,
    timeout: float,
) -> None:
    """Check the graph against the SHACL shapes: broken data, doubtful figures, notes.

    Validates the project's graph, or the RDF files given (Turtle, TriG, N-Triples, N-Quads,
    JSON-LD, RDF/XML), as one dataset together with the ontology; or the data in a --store or behind
    an --endpoint. Prints each problem under the node it is about, with the property and value
    at fault, the article and the sentence that states it, then a count by severity.

    Example: kg validate --format json
    """

    allow_network = bool((ctx.find_root().obj or {}).get("allow_network"))
    where = (inputs, store, endpoint, timeout, strict, backend)
    report = run_with_timeout(
        _validate, where, shapes_file, reasoning, engine, allow_network, seconds=timeout, label="validate"
    )
    click.echo(render(report, fmt, strict), nl=False)
    if not report.passes(strict):
        reason = "violations found" if report.violations else "warnings count as failures with --strict"
        raise NotConformingError(f"the data does not pass validation ({reason}): {counts_line(report)}")
