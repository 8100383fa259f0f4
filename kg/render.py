"""Rows and reports -> text: aligned tables, CSV, TSV, JSON, Markdown.

Used by the CLI. Knows nothing of rdflib: cells arrive as plain strings, numbers or None.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

Cell = str | int | float | None

TABLE_FORMATS = ("table", "csv", "tsv", "json", "markdown")


@dataclass
class Table:
    """A titled table: column names and rows of cells."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    title: str | None = None


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def truncate(text: str, width: int, marker: str = "…") -> str:
    """Cut ``text`` to ``width`` characters, ending with ``marker`` when cut."""
    if width <= 0 or len(text) <= width:
        return text
    return text[: max(width - len(marker), 0)] + marker


def render_table(table: Table, max_width: int = 60) -> str:
    """An aligned plain-text table (cells longer than ``max_width`` are cut with a marker)."""
    cols = list(table.columns)
    body = [[truncate(_text(c), max_width) for c in row] for row in table.rows]
    widths = [len(c) for c in cols]
    for row in body:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = []
    if table.title:
        lines.append(table.title)
    lines.append("  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in body:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def render_delimited(table: Table, delimiter: str = ",") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_text(c) for c in row])
    return buf.getvalue()


def render_json(table: Table) -> str:
    records = [dict(zip(table.columns, row)) for row in table.rows]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(table: Table) -> str:
    lines = []
    if table.title:
        lines.append(f"### {table.title}\n")
    lines.append("| " + " | ".join(_md_escape(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_md_escape(_text(c)) for c in row) + " |")
    return "\n".join(lines) + "\n"


def render(table: Table, fmt: str) -> str:
    """Render one table in one of ``TABLE_FORMATS``."""
    if fmt == "table":
        return render_table(table)
    if fmt == "csv":
        return render_delimited(table, ",")
    if fmt == "tsv":
        return render_delimited(table, "\t")
    if fmt == "json":
        return render_json(table)
    if fmt == "markdown":
        return render_markdown(table)
    raise ValueError(f"unknown table format {fmt!r}")
