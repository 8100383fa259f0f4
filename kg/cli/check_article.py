"""``kg check-article``."""

from __future__ import annotations

import click


@click.command("check-article")
@click.argument("file", type=str)
@click.option(
    "--texts",
    "texts_dir",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Folder of the article texts (default: the project's data/articles).",
)
def check_article(file: str, texts_dir: str | None) -> None:
    """Check one article's TriG file: it parses, holds one named graph with the article's
    metadata, every kg:evidence occurs in the article's text, and no shape is violated.

    Prints one problem per line on stdout (graph: subject: what); the shapes' warnings and
    infos (such as a source contradicting itself, kept as reported) and a summary go to
    stderr. Exits 3 if there are problems, 1 if the file cannot be read or parsed.

    Example: kg check-article data/graphs/000-qingshan-equipment-manufacturing-2022.trig
    """
    from kg.validate.article import check_article as run_check
    from kg.errors import NotConformingError

    result = run_check(file, texts_dir)
    for problem in result.problems:
        click.echo(str(problem))
    for note in result.notes:
        click.echo(str(note), err=True)
    click.echo(
        f"{file}: {result.graph or 'no graph'}: {result.evidence_checked} evidence quote(s), "
        f"{len(result.problems)} problem(s), {len(result.notes)} note(s)",
        err=True,
    )
    if result.problems:
        raise NotConformingError(f"{file}: {len(result.problems)} problem(s)")
