"""A damaged Oxigraph store (RocksDB) is a one-line error naming the store, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import kg_executable


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import subprocess

    folder = tmp_path_factory.mktemp("store") / "store"
    proc = subprocess.run([*kg_executable(), "load", "--store", str(folder)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return folder


def _garbage_current(store: Path) -> None:
    (store / "CURRENT").write_text("garbage\n")


def _damaged_tables(store: Path) -> None:
    for table in store.glob("*.sst"):
        data = bytearray(table.read_bytes())
        for i in range(200, len(data) // 2, 50):
            data[i] ^= 0xFF
        table.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_garbage_current, _damaged_tables], ids=["CURRENT", "sst"])
@pytest.mark.parametrize("args", [["stats"], ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"], ["validate"]], ids=lambda a: a[0])
def test_a_damaged_store_is_one_line(run_kg, good_store: Path, tmp_path: Path, damage, args: list[str]):
    store = tmp_path / "store"
    shutil.copytree(good_store, store)
    damage(store)
    proc = run_kg(*args, "--store", str(store))
    assert (proc.returncode, proc.stdout) == (1, ""), proc.stderr
    assert proc.stderr.startswith(f"Error: {store}: the Oxigraph store is damaged, rebuild it with `kg load --store {store} --replace` [Corruption: ")
    assert proc.stderr.count("\n") == 1, proc.stderr
