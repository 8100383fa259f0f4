"""Shared fixtures. Paths come from this file's folder, never the working directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest_plugins = ["tests.servers.oxigraph", "tests.servers.virtuoso"]

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

#: The project whose data the data tests (tests/data/) check: the checkout, or the copy that
#: KG_HOME names when the suite starts (the sixth-article test runs them on such a copy).
PROJECT = Path(os.environ.get("KG_HOME") or ROOT)

#: The five articles whose answers the tests pin (counts, query results, entity cards). Those
#: tests run on a project holding these five only (KG_HOME, set for the whole session), so that
#: adding a valid sixth article to data/ changes none of their answers; the data tests check
#: every article in data/ (tests/data/test_sixth_article.py adds one and runs them).
FIVE_ARTICLES = (
    "000-qingshan-equipment-manufacturing-2022",
    "001-baotou-equipment-park-2017",
    "002-shanxi-industrial-reform-2020",
    "003-jinzhou-new-industrialization-2024",
    "004-changsha-advanced-manufacturing-2021",
)


def five_articles_home(dest: Path, source: Path = PROJECT) -> Path:
    """A copy of ``source`` (ontology, queries, reference data) holding only the five articles'
    graphs and texts: a snapshot, so edits to the project while the tests run change nothing."""
    for part in ("ontology", "queries"):
        shutil.copytree(source / part, dest / part)
    shutil.copytree(source / "data" / "reference", dest / "data" / "reference")
    (dest / "data" / "graphs").mkdir(parents=True)
    (dest / "data" / "articles").mkdir(parents=True)
    for name in FIVE_ARTICLES:
        shutil.copy2(source / "data" / "graphs" / f"{name}.trig", dest / "data" / "graphs")
        (text,) = (source / "data" / "articles").glob(f"{name[:3]}_*.txt")
        shutil.copy2(text, dest / "data" / "articles")
    return dest


@pytest.fixture(scope="session", autouse=True)
def pinned_home(tmp_path_factory):
    """KG_HOME for the whole session: the five articles (see FIVE_ARTICLES)."""
    home = five_articles_home(tmp_path_factory.mktemp("five-articles"))
    mp = pytest.MonkeyPatch()
    mp.setenv("KG_HOME", str(home))
    mp.setenv("KG_CACHE_DIR", str(tmp_path_factory.mktemp("kg-cache")))  # kg's cache, the session's own
    yield home
    mp.undo()


@pytest.fixture(scope="session")
def project_dataset(pinned_home):
    """The five articles' graph (see FIVE_ARTICLES), loaded once per session (read-only: do not
    modify it in a test)."""
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
