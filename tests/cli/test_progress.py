"""Long work is never silent: a progress line every KG_PROGRESS_SECONDS when stderr is not a
terminal (a log, CI), and the lines say when everything is read but the work goes on."""

from __future__ import annotations

import re

import pytest

from kg.cli.progress import progress_line


@pytest.mark.parametrize(
    "done, total, unit, seconds, line",
    [
        (10 * 2**20, 40 * 2**20, "bytes", 5, "push: 25% (10.0 MB of 40.0 MB) after 5 s"),
        (40 * 2**20, 40 * 2**20, "bytes", 9.4, "push: all 40.0 MB read, finishing, after 9 s"),
        (300, None, "bytes", 5, "push: 300 bytes after 5 s"),
        (40_000, 100_000, "firms", 10, "push: 40% (40000 firms of 100000 firms) after 10 s"),
    ],
)
def test_progress_line(done, total, unit, seconds, line):
    assert progress_line("push", done, total, unit, seconds) == line


def test_push_into_a_log_prints_progress_lines(run_kg, oxigraph_server):
    """stderr is a pipe here: no bar, but plain lines while the work lasts, then the summary."""
    oxigraph_server.clear()
    try:
        proc = run_kg("push", "--endpoint", oxigraph_server.query_url, env={"KG_PROGRESS_SECONDS": "0.01"})
        assert proc.returncode == 0, proc.stderr
        *lines, summary = proc.stderr.splitlines()
        assert lines, "no progress line"
        amount = r"[\d.]+ (kB|bytes)"
        pattern = rf"push: ({amount}|\d+% \({amount} of {amount}\)|all {amount} read, finishing,) after \d+ s"
        assert all(re.fullmatch(pattern, line) for line in lines), lines
        assert summary.startswith("pushed ")
    finally:
        oxigraph_server.clear()


def test_short_work_prints_no_progress_line(run_kg, tmp_path):
    proc = run_kg("load", "--store", str(tmp_path / "st"))  # about a second: under the 5 s default
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("loaded 7 files") and len(proc.stderr.splitlines()) == 1
