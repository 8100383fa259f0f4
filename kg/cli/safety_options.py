"""Options shared by the commands that read input: ``--strict`` and ``--timeout``.

Use them as decorators::

    @strict_option
    @timeout_option(DEFAULT_QUERY_TIMEOUT)
    def query(..., strict: bool, timeout: float) -> None: ...

then pass ``strict`` to :func:`kg.rdf.loading.load_inputs` and run the work through
:func:`kg.timeout.run_with_timeout` with ``seconds=timeout``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from kg.rdf.literal_log import quiet_literal_warnings

def _strict(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """Strict reading refuses an ill-typed literal with one error line: no warning before it."""
    if value:

        ctx.with_resource(quiet_literal_warnings())
    return value


strict_option = click.option(
    "--strict",
    is_flag=True,
    callback=_strict,
    help="Also read every input with a strict parser (pyoxigraph): refuse what the W3C "
    "grammars reject and ill-typed literals, which rdflib lets through.",
)


def timeout_option(default: float = 0.0) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--timeout SECONDS``: stop the work (in a child process) after that long; 0: no limit."""
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0),
        default=default,
        show_default=True,
        metavar="SECONDS",
        help="Stop after this many seconds of wall-clock time and exit 1 (0: no limit). The work runs "
        "in a worker process with a memory limit too (KG_MEMORY_LIMIT, default 4G); 0 runs it here, without either limit.",
    )
