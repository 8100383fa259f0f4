"""``kg check-article``."""

from __future__ import annotations

import click
from kg.validate.article import check_article as run_check
from kg.errors import NotConformingError


@click.command("check-article")
@click.argument("file", type=str)
@click.option(
    "--texts",
    "texts_dir",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Folder of the article texts (default: the project's data/articles).",
)
@click.option(
    "--review-only",
    is_flag=True,
    help="Only list the nodes that still carry kg draft's review marker (kg:reviewStatus), with their notes.",
)
def check_article(file: str, texts_dir: str | None, review_only: bool) -> None:
    """Check one article's TriG file: it parses, holds one named graph with the article's
    metadata, every kg:evidence occurs in the article's text, and no shape is violated.

    Prints one problem per line on stdout (graph: subject: what); the shapes' warnings and
    infos (such as a source contradicting itself, kept as reported) and a summary go to
    stderr. A draft made by `kg draft` fails until it is reviewed: every node that still carries
    kg:reviewStatus is listed on stdout (graph: node: under review (status): what; check: its
    kg:reviewNote), so nothing unreviewed passes as fact; --review-only lists just those. Exits 3
    if there are problems or nodes under review, 1 if the file cannot be read or parsed.

    Example: kg check-article data/graphs/000-qingshan-equipment-manufacturing-2022.trig
    """

    result = run_check(file, texts_dir, review_only=review_only)
    for problem in result.problems:
        click.echo(str(problem))
    for item in result.review:
        click.echo(str(item))
    for note in result.notes:
        click.echo(str(note), err=True)
    under_review = f"{len(result.review)} node(s) under review"
    if review_only:
        click.echo(f"{file}: {result.graph or 'no graph'}: {under_review}", err=True)
    else:
        review = f", {under_review}" if result.review else ""
        click.echo(
            f"{file}: {result.graph or 'no graph'}: {result.evidence_checked} evidence quote(s), "
            f"{len(result.problems)} problem(s){review}, {len(result.notes)} note(s)",
            err=True,
        )
    if result.problems or result.review:
        parts = [f"{len(result.problems)} problem(s)"] if result.problems else []
        parts += [under_review] if result.review else []
        raise NotConformingError(f"{file}: {', '.join(parts)}")
