"""The ``kg`` command: a thin click layer over the library modules.

Commands are loaded lazily (``COMMANDS`` maps a name to ``module:function``), so ``kg --help``
and every command start without importing what other commands need. Each command lives in a
module of this package; it resolves its inputs, calls one library function and renders.

Errors: library code raises :class:`kg.errors.KgError`; :class:`KgGroup` turns it into
``Error: ...`` on stderr and its exit code, in this one place. ``KG_DEBUG=1`` shows the traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from kg import __version__
from kg.errors import KgError
from kg.rdf.literal_log import warn_of_ill_typed_literals
from kg.safety import network_guard
from kg.errors import InputError

#: command name -> "module:attribute" (modules under kg.cli). Keep sorted.
COMMANDS: dict[str, str] = {
    "centrality": "kg.cli.centrality:centrality",
    "check-article": "kg.cli.check_article:check_article",
    "conflicts": "kg.cli.provenance:conflicts",
    "describe": "kg.cli.describe:describe",
    "draft": "kg.cli.draft:draft",
    "export": "kg.cli.export:export",
    "load": "kg.cli.load:load",
    "place": "kg.cli.place:place",
    "push": "kg.cli.push:push",
    "queries": "kg.cli.query:queries",
    "query": "kg.cli.query:query",
    "stats": "kg.cli.stats:stats",
    "synth": "kg.cli.synth:synth",
    "validate": "kg.cli.validate:validate",
    "why": "kg.cli.provenance:why",
}

EXIT_CODES_HELP = """
Exit codes: 0 ok; 1 error (unreadable input); 2 usage error; 3 ran, but the data does not
conform or a check failed.

Environment: KG_MEMORY_LIMIT, the memory a command's worker process may use (default 4G,
0: no limit; docs/security.md); KG_CACHE_DIR, kg's cache (default ~/.cache/kg, empty: none);
KG_DEBUG=1 shows tracebacks.
"""


class KgError_(click.ClickException):
    """A KgError carried through click, with the KgError's exit code."""

    def __init__(self, error: KgError) -> None:
        super().__init__(_printable(error.message))
        self.exit_code = error.exit_code


class OneLineUsageError(click.UsageError):
    """A click usage error shown on one line: ``Error: ... (see kg CMD --help)`` (click's own
    shows four: the usage, a hint, a blank line and the error)."""

    def __init__(self, error: click.UsageError, where: str = "kg") -> None:
        super().__init__(error.format_message(), error.ctx)
        self.exit_code = error.exit_code
        self.where = self.ctx.command_path if self.ctx is not None else where

    def show(self, file: Any = None) -> None:
        where = self.where
        message = " ".join(self.format_message().split())
        click.echo(f"Error: {message} (see {where} --help)", file=file, err=file is None)


def _did_you_mean(name: str, known: list[str]) -> str:
    """``; did you mean 'stats'?`` for a near miss (difflib), else nothing."""
    import difflib

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"


def _printable(message: str) -> str:
    """``message`` on one line that any terminal can show: control characters (a NUL from a
    parser's message) and lone surrogates (which stderr cannot encode) written as escapes."""
    return "".join(c if c.isprintable() else _escaped(c) for c in message)


def _escaped(c: str) -> str:
    return f"\\u{ord(c):04x}" if 0xD800 <= ord(c) <= 0xDFFF else c.encode("unicode_escape").decode("ascii")


class KgGroup(click.Group):
    """A group whose commands are imported on first use, and which reports KgError once, and
    every usage error, on one line."""

    def make_context(self, info_name, args, parent=None, **extra):  # type: ignore[no-untyped-def]
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            if isinstance(exc, (OneLineUsageError, click.exceptions.NoArgsIsHelpError)):
                raise  # (``kg`` alone shows its help, as click does)
            raise OneLineUsageError(exc) from exc

    def resolve_command(self, ctx: click.Context, args: list[str]):  # type: ignore[no-untyped-def]
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS and not ctx.resilient_parsing:
            hint = _did_you_mean(name, sorted(COMMANDS))
            raise OneLineUsageError(click.UsageError(f"no such command {name!r}{hint}", ctx))
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except (OneLineUsageError, click.exceptions.NoArgsIsHelpError):
            raise
        except click.UsageError as exc:  # a command's own arguments or options
            raise OneLineUsageError(exc, f"{ctx.command_path} {ctx.invoked_subcommand or ''}".strip()) from exc
        except KgError as exc:
            if os.environ.get("KG_DEBUG") == "1":
                raise
            raise KgError_(exc) from exc
        except RecursionError as exc:
            if os.environ.get("KG_DEBUG") == "1":
                raise
            raise KgError_(KgError("input nested too deeply to process (recursion limit reached)")) from exc
        except UnicodeEncodeError as exc:  # a lone surrogate: from an argument that is not UTF-8
            if os.environ.get("KG_DEBUG") == "1":
                raise
            bad = exc.object[exc.start : exc.end] if isinstance(exc.object, str) else ""
            raise KgError_(KgError(
                f"the text '{_printable(exc.object[max(0, exc.start - 20) : exc.end + 20])}' holds "
                f"{_printable(bad)}, which is not a character (an argument or a name that is not UTF-8?)"
            )) from None
        except MemoryError as exc:  # work run in this process (--timeout 0): no worker, no limit
            if os.environ.get("KG_DEBUG") == "1":
                raise
            raise KgError_(KgError("out of memory; run with a --timeout so that the work runs in a worker "
                                   "process with a memory limit (KG_MEMORY_LIMIT)")) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)


@click.group(cls=KgGroup, epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option(
    "--allow-network",
    is_flag=True,
    help="Let this run open network connections (SPARQL SERVICE, remote JSON-LD contexts). Off by default.",
)
@click.pass_context
def main(ctx: click.Context, allow_network: bool) -> None:
    """kg: a knowledge graph of Chinese regions, industrial parks and firms.

    Without input files, every command works on the project's own graph: the ontology, one
    named graph per article and the reference data. Nothing is fetched from the network
    unless --allow-network is given (or a command is pointed at an --endpoint).

    Example: kg stats
    """

    ctx.ensure_object(dict)
    ctx.obj["allow_network"] = allow_network
    ctx.with_resource(network_guard(allow=allow_network))
    ctx.with_resource(warn_of_ill_typed_literals())  # one line a term, not rdflib's traceback


def _no_directories(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """A directory named as an input is an input error (exit 1, one line), as the docs say."""

    for value in values:
        if os.path.isdir(value):
            example = os.path.join(value, "*.trig")
            raise InputError(f"{value}: is a directory; give the RDF files in it (such as {example})")
    return values


inputs_argument = click.argument("inputs", nargs=-1, type=click.Path(path_type=str), callback=_no_directories)
