"""The options that point a command at a store or an endpoint instead of memory.

Usage in a command module::

    @click.command()
    @inputs_argument
    @backend_options
    def query(inputs, store, endpoint, timeout, ...):
        with open_backend(inputs, store, endpoint, timeout) as backend:
            result = backend.query(text)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def backend_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--store DIR``, ``--endpoint URL`` and ``--timeout SECONDS`` to a command."""
    options = [
        click.option(
            "--store",
            type=click.Path(file_okay=False, path_type=str),
            default=None,
            help="Work on this on-disk Oxigraph store (made by kg load) instead of parsing files.",
        ),
        click.option(
            "--endpoint",
            default=None,
            help="Work on this SPARQL 1.1 endpoint (its query URL) instead of parsing files.",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=60.0,
            show_default=True,
            help="Seconds to wait for each answer of an --endpoint.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command
