"""The options that choose a command's backend: ``--backend`` for the input files (memory,
oxigraph-memory, auto: the names of :data:`kg.backends.base.FILE_BACKENDS`), or a ``--store`` or
an ``--endpoint`` instead of files.

Usage in a command module::

    @click.command()
    @inputs_argument
    @backend_options                      # or @backend_options(timeout=0.0) for another default
    def query(inputs, store, endpoint, timeout, backend, ...):
        with open_backend(inputs, store, endpoint, timeout, backend=backend) as opened:
            result = opened.query(text)

(``@backend_options(backend="memory")``: rdflib unless asked, for ``kg export``, whose
promise is literals as written.)

One ``--timeout`` per command, with one meaning: the most wall-clock time the command's work
may take (0: no limit). Commands that run their work through :func:`kg.timeout.run_with_timeout`
enforce it on every backend; on an ``--endpoint`` it also bounds each wait for the server's
answer (so a silent server is an error after that long, whatever the backend runs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, overload

import click

from kg.backends.base import BACKEND_CHOICES, DEFAULT_BACKEND

#: The default ``--timeout`` of a command that takes ``@backend_options`` bare (kg.timeout's
#: DEFAULT_QUERY_TIMEOUT, repeated so that importing this module stays cheap).
DEFAULT_TIMEOUT = 60.0
#: The --timeout, in seconds, of a command on an --endpoint whose own default is none (stats,
#: export): every endpoint command has a total time limit.
DEFAULT_ENDPOINT_TIMEOUT = 600.0

Command = Callable[..., Any]


def _options(timeout: float, backend: str) -> list[Callable[[Command], Command]]:
    return [
        click.option(
            "--backend",
            type=click.Choice(BACKEND_CHOICES),
            default=backend,
            show_default=True,
            help="What parses the input files: memory (rdflib), oxigraph-memory (pyoxigraph, "
            "about five times faster to load; literals in canonical form, no --reasoning), or auto "
            "(oxigraph-memory for large inputs: docs/benchmarks.md).",
        ),
        click.option(
            "--store",
            type=click.Path(file_okay=False, path_type=str),
            default=None,
            help="Work on this on-disk Oxigraph store (made by kg load) instead of parsing files.",
        ),
        click.option(
            "--endpoint",
            default=None,
            metavar="URL",
            help="Work on this SPARQL 1.1 endpoint (its query URL) instead of parsing files.",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0),
            default=timeout,
            show_default=True,
            metavar="SECONDS",
            help="Stop after this many seconds of wall-clock time and exit 1 (0: no limit); "
            "with --endpoint, also the longest wait for each answer"
            + (f" (default there: {DEFAULT_ENDPOINT_TIMEOUT:g})" if not timeout else "") + ". The work runs in a worker "
            "process with a memory limit too (KG_MEMORY_LIMIT, default 4G); 0 runs it here, without either limit.",
        ),
    ]


def _endpoint_default(cmd: Command) -> Command:
    """For a command whose --timeout defaults to none: with --endpoint and no --timeout given,
    DEFAULT_ENDPOINT_TIMEOUT (a silent server must not hang it)."""

    @functools.wraps(cmd)
    def run(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        if kwargs.get("endpoint") and ctx.get_parameter_source("timeout") == click.core.ParameterSource.DEFAULT:
            kwargs["timeout"] = DEFAULT_ENDPOINT_TIMEOUT
        return cmd(*args, **kwargs)

    return run


@overload
def backend_options(command: Command) -> Command: ...
@overload
def backend_options(*, timeout: float = DEFAULT_TIMEOUT, backend: str = DEFAULT_BACKEND) -> Callable[[Command], Command]: ...


def backend_options(
    command: Command | None = None, *, timeout: float = DEFAULT_TIMEOUT, backend: str = DEFAULT_BACKEND
) -> Command | Callable[[Command], Command]:
    """Add ``--backend`` (default ``backend``), ``--store DIR``, ``--endpoint URL`` and
    ``--timeout SECONDS`` (default ``timeout``)."""

    def decorate(cmd: Command) -> Command:
        if not timeout:
            cmd = _endpoint_default(cmd)
        for option in reversed(_options(timeout, backend)):
            cmd = option(cmd)
        return cmd

    return decorate(command) if command is not None else decorate
