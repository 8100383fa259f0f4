"""``--wide``: tables in full. Without it a plain table is fitted to the terminal's width
(``COLUMNS``, or the terminal's own when stdout is one: :func:`kg.render.terminal_width`)."""

from __future__ import annotations

import click
from kg.render import terminal_width

wide_option = click.option(
    "--wide",
    is_flag=True,
    help="Tables in full: cells neither cut nor fitted to the terminal's width (COLUMNS).",
)


def table_width(wide: bool) -> int | None:
    """The width a plain table is fitted to (None: no limit)."""

    return None if wide else terminal_width()
