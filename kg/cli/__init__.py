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

import click

from kg import __version__
from kg.errors import KgError

#: command name -> "module:attribute" (modules under kg.cli). Keep sorted.
COMMANDS: dict[str, str] = {
    "centrality": "kg.cli.centrality:centrality",
    "check-article": "kg.cli.check_article:check_article",
    "conflicts": "kg.cli.provenance:conflicts",
    "describe": "kg.cli.describe:describe",
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
"""


class KgError_(click.ClickException):
    """A KgError carried through click, with the KgError's exit code."""

    def __init__(self, error: KgError) -> None:
        super().__init__(error.message)
        self.exit_code = error.exit_code


class KgGroup(click.Group):
    """A group whose commands are imported on first use, and which reports KgError once."""

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
        except KgError as exc:
            if os.environ.get("KG_DEBUG") == "1":
                raise
            raise KgError_(exc) from exc
        except RecursionError as exc:
            if os.environ.get("KG_DEBUG") == "1":
                raise
            raise KgError_(KgError("input nested too deeply to process (recursion limit reached)")) from exc
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
    from kg.safety import network_guard

    ctx.ensure_object(dict)
    ctx.obj["allow_network"] = allow_network
    ctx.with_resource(network_guard(allow=allow_network))


inputs_argument = click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, path_type=str))
