"""``kg place``."""

from __future__ import annotations

import click
from kg.render import Section, render_document
from kg.fileio import write_atomic
from kg.rdf.loading import ProjectParts, load_project
from kg.reference.place import open_gazetteer, place_card
from kg.reference.map import place_map_html


def _name(ref) -> str:  # type: ignore[no-untyped-def]
    zh = f" {ref.zh}" if ref.zh else ""
    code = f" {ref.code}" if ref.code else ""
    gone = "" if ref.in_force else " (not in force)"
    return f"{ref.label}{zh}{code}{gone}"


def _years(card) -> str:  # type: ignore[no-untyped-def]
    start = str(card.valid_from) if card.valid_from else "before 1980"
    if card.valid_until is None:
        return f"in force (since {start})"
    return f"abolished: in force from {start} until {card.valid_until} (not in force at the end of {card.valid_until})"


def _document(card, fmt: str) -> str:  # type: ignore[no-untyped-def]

    fields = [("IRI", card.iri), ("Level", card.level + (f", {card.kind}" if card.kind else ""))]
    if card.code:
        fields.append(("Code", card.code))
    if card.notation and card.notation != card.code:
        fields.append(("ISO 3166-2" if card.notation.startswith("CN-") else "Notation", card.notation))
    names = [x for x in (card.zh, card.pinyin, *card.short) if x]
    if names:
        fields.append(("Names", "; ".join(names)))
    if card.parents:
        fields.append(("In", " › ".join(_name(p) for p in card.parents)))
    if card.latitude is not None:
        fields.append(("Point", f"{card.latitude}, {card.longitude}"))
    fields.append(("Validity", _years(card)))
    if card.as_of is not None:
        fields.append(("As of", f"the end of {card.as_of}"))
    sections = [Section(fields=fields)]
    children = [f"{level}: {n}" for level, n in card.children.items()]
    sections.append(Section("Divisions and zones in it", lines=children))
    replaced = [" in ".join(_name(r) for r in rs[:2]) for rs in card.replaced_by]
    sections.append(Section("Replaced by", lines=replaced))
    sections.append(Section("Articles that mention it", lines=[f"{a.title} ({a.date}) <{a.article}>" for a in card.articles]))
    sections.append(Section("Also named so", lines=[f"{_name(r)} [{r.level}] <{r.iri}>" for r in card.also]))
    return render_document(card.label, sections, fmt)


@click.command()
@click.argument("name")
@click.option("--as-of", "as_of", type=click.IntRange(1949, 2100), default=None, metavar="YEAR",
              help="The division as it was at the end of YEAR: a code in force that year (validFrom <= YEAR < validUntil).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--html", "html", type=click.Path(dir_okay=False, writable=True, path_type=str), default=None, metavar="FILE",
              help="Also write a self-contained HTML map of the place, its parent and children (written atomically).")
def place(name: str, as_of: int | None, fmt: str, html: str | None) -> None:
    """Show a division or development zone of China: codes, names, parents, children, articles.

    NAME is a Chinese, pinyin or English name, full or short (包头, Baotou, "Baotou City"), a
    GB/T 2260 code (150200), an ISO 3166-2 code (CN-NM) or an IRI (place:baotou). When a name
    fits a division and other things (包头 is also in a park's name), the division wins and the
    others are listed. Reads the whole gazetteer (docs/gazetteer.md) and the project's articles.

    Example: kg place 包头 --as-of 2018
    """
    import json
    from dataclasses import asdict


    gazetteer = open_gazetteer()
    project = load_project(ProjectParts(ontology=False, reference=False))
    card = place_card(name, as_of=as_of, gazetteer=gazetteer, project=project)
    if html is not None:

        write_atomic(html, place_map_html(card, gazetteer))
    if fmt == "json":
        click.echo(json.dumps(asdict(card), ensure_ascii=False, indent=2))
    else:
        click.echo(_document(card, fmt), nl=False)
