"""``kg validate``."""

from __future__ import annotations

import click

from kg.cli import inputs_argument
from kg.reasoning import HELP as REASONING_HELP
from kg.reasoning import MODES as REASONING_MODES

VALIDATE_EXIT_CODES = """
Exit codes: 0 the data conforms (warnings and infos allowed); 3 it does not conform: a
violation, or with --strict also a warning; 1 unusable input (a missing or malformed file, an
ill-typed literal, unusable shapes); 2 usage error.
"""


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
@click.option("--strict", is_flag=True, help="Also fail (exit 3) on warnings.")
@click.option(
    "--engine",
    type=click.Choice(["auto", "pyshacl", "fast"]),
    default="auto",
    show_default=True,
    help="pyshacl (reference) or fast (shacl + Oxigraph; same results); auto: fast from 50,000 triples on.",
)
def validate(
    inputs: tuple[str, ...], shapes_file: str | None, reasoning: str, fmt: str, strict: bool, engine: str
) -> None:
    """Check the graph against the SHACL shapes: broken data, doubtful figures, notes.

    Validates the project's graph, or the RDF files given (Turtle, TriG, N-Triples, N-Quads,
    JSON-LD), as one dataset together with the ontology. Prints each problem under the node it
    is about, with the property and value at fault, the article and the sentence that states
    it, then a count by severity.

    Example: kg validate --format json
    """
    from kg.errors import NotConformingError
    from kg.validate import validate as run_validation
    from kg.validate_input import load_checked
    from kg.validate_report import render, summary

    report = run_validation(load_checked(inputs), shapes=shapes_file, reasoning=reasoning, engine=engine)
    click.echo(render(report, fmt), nl=False)
    if not report.passes(strict):
        reason = "violations found"
        if report.conforms:
            reason = "warnings count as failures with --strict"
        raise NotConformingError(f"the data does not pass validation ({reason}): {summary(report)}")
