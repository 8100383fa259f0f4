"""Rows and reports -> text: aligned tables, CSV, TSV, JSON, Markdown.

Used by the CLI. Knows nothing of rdflib: cells arrive as plain strings, numbers or None.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
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


def truncate_middle(text: str, width: int, marker: str = "…") -> str:
    """Cut ``text`` to ``width`` characters by removing its middle (identifiers differ at the
    end: ``obs:baotou-equ…-investment-2016``)."""
    if width <= 0 or len(text) <= width:
        return text
    keep = max(width - len(marker), 0)
    head = (keep + 1) // 2
    return text[:head] + marker + (text[len(text) - (keep - head) :] if keep - head else "")


#: The narrowest a column is cut to when a table is fitted to the terminal (or its header).
MIN_COLUMN = 8


def terminal_width() -> int | None:
    """The width tables are fitted to: ``COLUMNS`` when set, else the terminal's when stdout is
    one; None (no limit) when the output goes to a file or a pipe, so that it does not depend on
    where it is read (``--wide`` gives the full text on a terminal too)."""
    import os
    import shutil
    import sys

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if sys.stdout.isatty():
            return shutil.get_terminal_size().columns
    except (AttributeError, ValueError, OSError):  # a replaced or closed stdout
        return None
    return None


def fit_widths(
    natural: Sequence[int], headers: Sequence[str], total: int | None, keep: Sequence[bool] = ()
) -> list[int]:
    """Column widths that fit ``total`` characters (two spaces between columns): the widest
    columns are cut first, all to the same cap, none below its header or :data:`MIN_COLUMN`
    and none that ``keep`` marks (numbers, dates: a cut value would mislead), so a very
    narrow terminal still gets a wider table. ``total`` None: the natural widths."""
    widths = list(natural)
    if total is None or not widths:
        return widths
    room = total - 2 * (len(widths) - 1)
    kept = list(keep) + [False] * (len(widths) - len(keep))
    floors = [w if k else min(w, max(MIN_COLUMN, len(h))) for w, h, k in zip(widths, headers, kept)]
    if sum(widths) <= room:
        return widths

    def used(cap: int) -> int:
        return sum(max(f, min(w, cap)) for w, f in zip(widths, floors))

    low, high = 0, max(widths)  # the largest cap that fits (binary search)
    while low < high:
        mid = (low + high + 1) // 2
        if used(mid) <= room:
            low = mid
        else:
            high = mid - 1
    return [max(f, min(w, low)) for w, f in zip(widths, floors)]


def render_table(table: Table, max_width: int = 60, width: int | None = None) -> str:
    """An aligned plain-text table: cells longer than ``max_width`` (0: no limit) are cut with
    a marker, and so are the widest columns when the table would be wider than ``width``
    characters (see :func:`fit_widths`; None: no limit)."""
    return "".join(table_lines(table, max_width, width))


def table_lines(table: Table, max_width: int = 60, width: int | None = None) -> Iterator[str]:
    """:func:`render_table`'s lines, each with its line break, made one at a time once the
    widths are known (a caller can send them on as they come)."""
    cols = list(table.columns)
    if max_width > 0:
        body = [[truncate(_text(c), max_width) for c in row] for row in table.rows]
    else:
        body = [[c if isinstance(c, str) else _text(c) for c in row] for row in table.rows]
    widths = [len(c) for c in cols]
    for i, column in enumerate(zip(*body)):  # a column at a time: a quarter of the time of cell by cell
        widths[i] = max(widths[i], *map(len, column))
    fitted = fit_widths(widths, cols, width)
    if fitted != widths:
        body = [[truncate(c, w) for c, w in zip(row, fitted)] for row in body]
        widths = fitted
    if table.title:
        yield table.title + "\n"
    yield "  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip() + "\n"
    yield "  ".join("-" * w for w in widths) + "\n"
    for row in body:
        yield "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n"


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


def render(table: Table, fmt: str, width: int | None = None) -> str:
    """Render one table in one of ``TABLE_FORMATS`` (``width``: fit a plain table to it)."""
    if fmt == "table":
        return render_table(table, width=width)
    if fmt == "csv":
        return render_delimited(table, ",")
    if fmt == "tsv":
        return render_delimited(table, "\t")
    if fmt == "json":
        return render_json(table)
    if fmt == "markdown":
        return render_markdown(table)
    raise ValueError(f"unknown table format {fmt!r}")


@dataclass
class Section:
    """A titled part of a document: ``key: value`` fields, then lines, then a table."""

    title: str | None = None
    fields: Sequence[tuple[str, str]] = ()
    lines: Sequence[str] = ()
    table: Table | None = None


def render_document(title: str, sections: Sequence[Section], fmt: str) -> str:
    """A titled document of sections as plain text (``fmt='text'``) or Markdown. Empty
    sections are left out; text tables keep whole cells."""
    if fmt not in ("text", "markdown"):
        raise ValueError(f"unknown document format {fmt!r}")
    md = fmt == "markdown"
    out = [f"## {_md_escape(title)}" if md else f"{title}\n{'=' * len(title)}"]
    for sec in sections:
        if not (sec.fields or sec.lines or sec.table):
            continue
        block = []
        if sec.title:
            block.append(f"### {sec.title}\n" if md else f"{sec.title}\n{'-' * len(sec.title)}")
        if sec.fields:
            width = max(len(k) for k, _ in sec.fields) + 1
            for k, v in sec.fields:
                block.append(f"- **{k}:** {_md_escape(v)}" if md else f"{(k + ':').ljust(width)} {v}")
        if sec.lines:
            if sec.fields:
                block.append("")
            block.extend(f"- {_md_escape(line)}" if md else f"  {line}" for line in sec.lines)
        if sec.table is not None:
            if sec.fields or sec.lines:
                block.append("")
            table = Table(sec.table.columns, sec.table.rows)
            block.append((render_markdown(table) if md else render_table(table, max_width=0)).rstrip("\n"))
        out.append("\n".join(block))
    return "\n\n".join(out) + "\n"


def render_outline(title: str | None, items: Sequence[tuple[int, str]], fmt: str) -> str:
    """An indented outline of ``(depth, text)`` items: two spaces a level as plain text
    (``fmt='text'``), nested bullets as Markdown; depth 0 items are paragraphs of their own."""
    if fmt not in ("text", "markdown"):
        raise ValueError(f"unknown outline format {fmt!r}")
    md = fmt == "markdown"
    out: list[str] = []
    if title:
        out.append(f"## {_md_escape(title)}" if md else f"{title}\n{'=' * len(title)}")
    for depth, text in items:
        if depth == 0:
            if out and out[-1] != "":
                out.append("")
            out.append(_md_escape(text) if md else text)
        else:
            out.append(f"{'  ' * (depth - 1)}- {_md_escape(text)}" if md else f"{'  ' * depth}{text}")
    return "\n".join(out).rstrip("\n") + "\n"
