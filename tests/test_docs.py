"""Every command is documented: in the README, and in its own --help with an example that runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from kg.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command(name: str) -> click.Command:
    command = main.get_command(click.Context(main), name)
    assert command is not None, name
    return command


def test_commands_are_discovered():
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_in_the_readme(name: str):
    assert f"`kg {name}" in README, f"kg {name} is not mentioned in README.md"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_has_summary_and_example(name: str):
    doc = _command(name).help or ""
    assert doc.strip().splitlines()[0].strip(), f"kg {name} has no one-line summary"
    assert re.search(r"^\s*Example: kg ", doc, re.M), f"kg {name} --help has no 'Example: kg ...' line"


def test_readme_opens_with_the_two_commands():
    block = README.split("```", 2)[1]
    lines = [line for line in block.splitlines()[1:] if line.strip()]
    assert [line.split()[0:2] for line in lines] == [["make", "demo"], ["make", "test"]]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^exec make test$", ci, re.M)


# Examples that write files or need a server are run elsewhere in their own tests.
_SKIP_EXAMPLE = {"load", "push", "synth", "check-article", "draft"}


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - _SKIP_EXAMPLE))
def test_help_example_runs(name: str, runner, tmp_path: Path, monkeypatch):
    doc = _command(name).help or ""
    example = re.search(r"^\s*Example: kg (.+)$", doc, re.M)
    assert example
    args = shlex.split(example.group(1))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, args)
    written = list(tmp_path.iterdir())
    assert result.exit_code in (0, 3), f"kg {example.group(1)} -> {result.exit_code}: {result.output}"
    assert result.stdout.strip() or written, f"kg {example.group(1)} printed and wrote nothing"
