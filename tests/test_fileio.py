from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kg.fileio import atomic_writer, write_atomic


def test_write_replaces_content(tmp_path: Path):
    f = tmp_path / "out.txt"
    write_atomic(f, "one")
    write_atomic(f, "two")
    assert f.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_error_midway_keeps_old_file_and_leaves_no_temp(tmp_path: Path):
    f = tmp_path / "out.txt"
    f.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(f) as fh:
        fh.write("half")
        raise RuntimeError("boom")
    assert f.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_interrupt_leaves_nothing(tmp_path: Path):
    f = tmp_path / "new.txt"
    with pytest.raises(KeyboardInterrupt), atomic_writer(f) as fh:
        fh.write("half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_new_file_mode_follows_umask(tmp_path: Path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "r.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.txt").stat().st_mode) == 0o644


def test_existing_file_keeps_its_mode(tmp_path: Path):
    f = tmp_path / "keep.txt"
    f.write_text("a")
    f.chmod(0o640)
    write_atomic(f, "b")
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
