"""What a load that did not finish leaves: the store is refused until it is loaded again (never
an answer from part of the data), and the next load removes the leftovers and says so."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kg.backends.merge import LOADING


@pytest.fixture
def store(run_kg, tmp_path: Path) -> Path:
    folder = tmp_path / "st"
    proc = run_kg("load", "--store", str(folder), "tests/hostile/plain.ttl")
    assert proc.returncode == 0, proc.stderr
    return folder


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_store_whose_load_did_not_finish_is_refused_then_reloaded(run_kg, store: Path):
    (store / LOADING).write_text(f"{_dead_pid()}\n")  # what a killed load leaves
    scratch = store.parent / f".kg-load-{store.name}-abcd1234"
    scratch.mkdir()
    (scratch / "0.nq").write_text("half\n")
    (store / "bulk-1234.sst").write_bytes(b"orphan")
    for args in (["stats"], ["query", "SELECT * WHERE { ?s ?p ?o }"], ["validate"]):
        proc = run_kg(*args, "--store", str(store))
        assert (proc.returncode, proc.stdout) == (1, ""), proc.stderr
        assert proc.stderr == (f"Error: {store}: the last kg load into this store did not finish (interrupted or failed), so it "
                               f"holds part of the data at most; load it again: kg load --store {store} --replace [FILES...]\n")
    proc = run_kg("load", "--store", str(store), "--replace", "tests/hostile/plain.ttl")
    assert proc.returncode == 0, proc.stderr
    assert f"removed {scratch}, left by an interrupted load\n" in proc.stderr
    assert f"removed {store / 'bulk-1234.sst'}, left by an interrupted load\n" in proc.stderr
    assert not scratch.exists() and not (store / "bulk-1234.sst").exists() and not (store / LOADING).exists()
    assert sorted(p.name for p in store.parent.iterdir()) == ["st"]
    proc = run_kg("stats", "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr


def test_a_store_being_loaded_is_refused(run_kg, store: Path):
    (store / LOADING).write_text(f"{os.getpid()}\n")  # a live process that is not the reader
    proc = run_kg("stats", "--store", str(store))
    assert (proc.returncode, proc.stderr) == (
        1, f"Error: {store}: kg load is writing into this store (process {os.getpid()}); query it when the load has finished\n")


def test_a_finished_load_leaves_no_marker(store: Path):
    assert not (store / LOADING).exists()
    assert [p.name for p in store.parent.iterdir()] == ["st"]
