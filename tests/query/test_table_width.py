"""Tables fit the terminal (COLUMNS, or the terminal's own width): the widest columns are cut
first, numbers never; --wide prints them in full; a file or a pipe gets them as before."""

from __future__ import annotations

import pytest

from kg.cli import main
from kg.render import MIN_COLUMN, Table, fit_widths, render_table

MEASUREMENTS = ["query", "entity-measurements", "--param", "entity=Baotou Equipment Park"]


@pytest.mark.parametrize(
    "natural, total, keep, expected",
    [
        ([10, 50, 30], None, [], [10, 50, 30]),  # no limit
        ([10, 50, 30], 200, [], [10, 50, 30]),  # fits already
        ([10, 50, 30], 64, [], [10, 25, 25]),  # 60 characters of columns: the two wide ones share
        ([10, 50, 30], 44, [], [10, 15, 15]),
        ([10, 50, 30], 10, [], [MIN_COLUMN] * 3),  # never below the floor
        ([12, 50, 30], 44, [True], [12, 14, 14]),  # a kept column (numbers) is never cut
    ],
)
def test_fit_widths(natural, total, keep, expected):
    assert fit_widths(natural, ["a", "b", "c"], total, keep) == expected


def test_render_table_cuts_the_widest_column():
    table = Table(["name", "n"], [["a" * 40, 1], ["b", 22]])
    lines = render_table(table, width=20).splitlines()
    assert max(len(line) for line in lines) == 20
    assert lines[2] == "a" * 15 + "…  1"


def _widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def test_query_table_fits_columns(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    result = runner.invoke(main, MEASUREMENTS)
    assert result.exit_code == 0, result.stderr
    assert _widest(result.stdout) <= 160
    assert "100000000000" in result.stdout  # values are not cut


def test_wide_prints_everything(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    wide = runner.invoke(main, [*MEASUREMENTS, "--wide"])
    assert wide.exit_code == 0, wide.stderr
    assert _widest(wide.stdout) > 300
    assert "Baotou Equipment Manufacturing Industrial Park (article) (article:baotou-equipment-park-2017)" in wide.stdout
    assert "…" not in wide.stdout


def test_without_a_terminal_nothing_is_fitted(runner):
    plain = runner.invoke(main, MEASUREMENTS)
    assert plain.exit_code == 0
    assert _widest(plain.stdout) > 300  # only --max-width (60 a cell) applies, as before
    assert "Baotou Equipment Manuf… (article:baotou-equipment-park-2017)" in plain.stdout


def test_stats_tables_fit_and_wide_does_not(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    fitted = runner.invoke(main, ["stats"])
    assert fitted.exit_code == 0
    tables = fitted.stdout.split("\n\n", 1)[1]
    assert _widest(tables) <= 30 and "graph:qingshan-equipm" in tables and "…" in tables
    assert "graph:qingshan-equipment-manufacturing-2022" not in tables
    wide = runner.invoke(main, ["stats", "--wide"])
    assert "graph:qingshan-equipment-manufacturing-2022" in wide.stdout


def test_centrality_has_wide(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    fitted = runner.invoke(main, ["centrality", "--measure", "degree", "--top", "3"])
    assert fitted.exit_code == 0, fitted.stderr
    assert _widest(fitted.stdout) <= 60
    wide = runner.invoke(main, ["centrality", "--measure", "degree", "--top", "3", "--wide"])
    assert _widest(wide.stdout) > 60
