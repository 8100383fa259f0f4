"""``kg describe``."""

from __future__ import annotations

import click

from kg.cli import inputs_argument
from kg.cli.backend_options import backend_options
from kg.render import Section, Table, render_document
from kg.backends.base import open_backend
from kg.provenance.describe import describe as describe_entity
from kg.rdf.labels import also_named, label_of
from kg.timeout import run_with_timeout


def _refs(refs: tuple[int, ...], articles: int) -> str:
    text = f"[{', '.join(map(str, refs))}]" if refs else ""
    return f"{text} ({articles} sources)" if articles >= 2 else text


def _entry(e) -> str:  # type: ignore[no-untyped-def]
    lang = f" ({e.lang})" if e.lang else ""
    return f"{e.label}{lang} {_refs(e.sources, e.articles)}".rstrip()


def _document(card, fmt: str) -> str:  # type: ignore[no-untyped-def]

    fields = [("IRI", card.iri)]
    if card.classes:
        fields.append(("Classes", "; ".join(_entry(e) for e in card.classes)))
    if card.names:
        fields.append(("Names", "; ".join(_entry(e) for e in card.names)))
    for chain in card.located_in:
        path = " › ".join(e.label for e in chain)
        fields.append(("Located in", f"{path} {_refs(chain[0].sources, chain[0].articles)}".rstrip()))
    sections = [Section(fields=fields)]
    sections.append(Section("Contains", lines=[_entry(e) for e in card.contains]))
    relations = [f"{g.name}: " + "; ".join(_entry(e) for e in g.entries) for g in card.relations]
    sections.append(Section("Relations", lines=relations))
    rows = [
        (f.period, f.measure_label + (f" to {f.relative_to}" if f.relative_to else ""), f.amount, f.status, f.change,
         _refs(f.sources, f.articles))
        for f in card.figures
    ]
    if rows:
        sections.append(Section("Figures", table=Table(["period", "measure", "value", "status", "change", "sources"], rows)))
    sections.append(Section("Sources", lines=[f"[{i}] {s.citation()} <{s.graph}>" for i, s in enumerate(card.sources, 1)]))
    return render_document(card.label, sections, fmt)


def _card(where: tuple, name: str):  # type: ignore[no-untyped-def]
    """Open the backend, find the entity and make its card (module level: a worker runs it);
    with the other entities the name fits when it was not the entity's whole name."""

    with open_backend(*where) as backend:
        sources, entity = backend.entity_sources(name)
        others = also_named(backend.name_fits(name), entity)
        labels = backend.labels(others)
        return describe_entity(sources, entity), [f"{label_of(labels, o)} <{o}>" for o in others[:10]], len(others)


@click.command()
@click.argument("name")
@inputs_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@backend_options
def describe(
    name: str, inputs: tuple[str, ...], fmt: str, backend: str, store: str | None, endpoint: str | None,
    timeout: float,
) -> None:
    """Show an entity card: classes, names, containment, relations, figures and their sources.

    NAME is any of the entity's names (English or Chinese, any case) or its IRI (full or with
    a project prefix such as park:...). A name that fits several entities lists them (exit 2).
    Every line cites its sources by number; "(2 sources)" marks a fact two articles state.
    Works on the project's graph, on the RDF files given (with the project's ontology), on a
    --store or on an --endpoint (only the entity's surroundings are fetched: docs/scale.md).

    Example: kg describe "Baotou Equipment Manufacturing Industrial Park"
    """
    import json
    from dataclasses import asdict


    where = (inputs, store, endpoint, timeout, False, backend)
    card, others, count = run_with_timeout(_card, where, name, seconds=timeout, label="describe")
    if others:
        more = f" and {count - len(others)} more" if count > len(others) else ""
        click.echo(f"Note: {name!r} is {card.label}'s short name; it also fits {'; '.join(others)}{more}", err=True)
    if fmt == "json":
        click.echo(json.dumps(asdict(card), ensure_ascii=False, indent=2))
    else:
        click.echo(_document(card, fmt), nl=False)
