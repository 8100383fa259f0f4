"""``kg draft``."""

from __future__ import annotations

import re
from pathlib import Path

import click

from kg.cli.backend_options import backend_options
from kg.backends.base import open_backend
from kg.draft.sources import add_gazetteer, index_from_backend
from kg import paths
from kg.draft import draft_graph, parse_article, write_draft
from kg.draft.sources import number_taken, plan_files, read_article_text, save_draft, summarise
from kg.errors import InputError
from kg.timeout import run_with_timeout

#: An article text already named the project's way: NNN_<16 hex digits>.txt.
_TEXT_NAME = re.compile(r"^(\d{3})_[0-9a-f]{16}\.txt$")


def _index(inputs: tuple[str, ...], store: str | None, endpoint: str | None, timeout: float, data_dir: Path, backend: str = "auto"):  # type: ignore[no-untyped-def]
    """The name index: the graph's names, and the gazetteer's divisions when the data has them
    (module level: a worker process runs it under --timeout)."""

    with open_backend(inputs, store, endpoint, timeout, backend=backend) as opened:
        index = index_from_backend(opened)
    add_gazetteer(index, data_dir)
    return index


@click.command()
@click.argument("article", type=click.Path(path_type=str))
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, path_type=str))
@click.option("--output", "-o", default=None, metavar="FILE",
              help="Where the draft goes ('-': stdout). Default: the project's data/graphs/NNN-<slug>.trig.")
@click.option("--id", "number", type=click.IntRange(0, 999), default=None, metavar="NNN",
              help="The article's number (default: the next free one in the data folder).")
@click.option("--text-to", "text_to", default=None, metavar="DIR", type=click.Path(file_okay=False, path_type=str),
              help="Copy the article's text there as NNN_<hash>.txt, the kg:fileName the draft cites. "
                   "Default: the project's data/articles, unless --output is given.")
@click.option("--force", is_flag=True, help="Overwrite an existing draft or text file.")
@backend_options
def draft(article: str, inputs: tuple[str, ...], output: str | None, number: int | None, text_to: str | None,
          force: bool, backend: str, store: str | None, endpoint: str | None, timeout: float) -> None:
    """Draft an article's graph from its text, for a person to review.

    Reads ARTICLE as fetched (title, dated line, body, footer) and writes a TriG draft in the
    conventions of docs/adding-an-article.md: the article's graph and metadata, entities linked
    to the names the graph already has (the project's graph, the RDF files given, a --store or
    an --endpoint, and the gazetteer's divisions), figures, relations and posts, each with the
    sentence it came from as kg:evidence and a "# why:" comment. Every drafted node carries
    kg:reviewStatus: review the file, then `kg check-article` lists what is still unreviewed.
    The file names and the text's hash come from the tool (--id chooses the number). Prints a
    summary on stderr.

    Example: kg draft article.txt --output draft.trig --id 5
    """

    text = read_article_text(article)
    data_dir = paths.data_dir()
    source = Path(article)
    named = _TEXT_NAME.match(source.name)
    if named and number is None:
        number = int(named.group(1))
    parsed = parse_article(text)
    plan = plan_files(parsed, data_dir, number)
    parsed.file_name = source.name if named else plan.text_name
    index = run_with_timeout(_index, inputs, store, endpoint, timeout, data_dir, backend, seconds=timeout, label="draft")
    ds = draft_graph(parsed, index)
    trig = write_draft(parsed, ds)

    if text_to is None and output is None:
        text_to = str(paths.article_texts_dir())
    target = None if output == "-" else Path(output) if output else data_dir / "graphs" / plan.graph_name
    if output is None and target is not None and (other := number_taken(target, plan.number)):
        raise InputError(f"{target}: number {plan.number:03d} is taken by {other}; choose another --id")
    text_path = Path(text_to) / parsed.file_name if text_to is not None else None
    for path in save_draft(trig, target, text, text_path, source=source, force=force):
        click.echo(f"{'draft' if path == target else 'text'}: {path}", err=True)
    if target is None:
        click.echo(trig, nl=False)
    click.echo(f"{parsed.title or source.name}: {summarise(ds).line()}", err=True)
