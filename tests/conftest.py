"""Shared fixtures. Paths come from this file's folder, never the working directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest_plugins = ["tests.servers.oxigraph"]

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


@pytest.fixture(scope="session")
def project_dataset():
    """The project's graph, loaded once per session (read-only: do not modify it in a test)."""
    from kg.rdf.loading import load_project

    return load_project()


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch):
    """Tables are fitted to COLUMNS when it is set (kg.render.terminal_width): tests that want
    it set it themselves, so a terminal's COLUMNS does not change what the others see."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def kg_executable() -> list[str]:
    """The installed ``kg`` console script beside this Python, for real subprocess runs."""
    exe = Path(sys.executable).parent / "kg"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("kg")
    assert found, "the kg console script is not installed: pip install -e '.[test]'"
    return [found]


@pytest.fixture
def run_kg():
    """Run the installed ``kg`` in a real subprocess; returns the CompletedProcess."""

    def _run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120):
        full_env = {**os.environ, **(env or {})}
        full_env.pop("KG_DEBUG", None)
        return subprocess.run(
            [*kg_executable(), *args],
            capture_output=True,
            text=True,
            cwd=cwd or ROOT,
            env=full_env,
            timeout=timeout,
        )

    return _run
