from __future__ import annotations

import os
import re
import resource
import signal
import stat
import subprocess
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.fileio import atomic_writer, write_atomic
from tests.conftest import kg_executable


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


# --- several files, all or nothing; full and read-only disks --------------------------------


def test_files_are_replaced_all_or_nothing(tmp_path: Path):
    """The second rename fails for real (its target is a non-empty directory): the first file,
    already renamed, is put back as it was."""
    from kg.fileio import atomic_files

    (tmp_path / "nodes.csv").write_text("old nodes")
    (tmp_path / "edges.csv").mkdir()
    (tmp_path / "edges.csv" / "keep").write_text("x")
    with pytest.raises(KgError, match=r"cannot write: .*nothing was changed$"), \
            atomic_files([tmp_path / "nodes.csv", tmp_path / "edges.csv"]) as files:
        files["nodes.csv"].write("new nodes")
        files["edges.csv"].write("new edges")
    assert (tmp_path / "nodes.csv").read_text() == "old nodes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "nodes.csv"]


def test_files_all_replaced_on_success(tmp_path: Path):
    from kg.fileio import atomic_files

    (tmp_path / "a").write_text("old a")
    with atomic_files([tmp_path / "a", tmp_path / "b"]) as files:
        files["a"].write("new a")
        files["b"].write("new b")
    assert [(p.name, p.read_text()) for p in sorted(tmp_path.iterdir())] == [("a", "new a"), ("b", "new b")]


def test_read_only_folder_is_one_line_and_keeps_the_old_file(tmp_path: Path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    f = tmp_path / "out.txt"
    f.write_text("old")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(KgError, match=r"out.txt: cannot write: Permission denied; nothing was changed$"):
            write_atomic(f, "new")
    finally:
        tmp_path.chmod(0o755)
    assert f.read_text() == "old"


def _export_csv_limited(folder: Path, limit: int) -> subprocess.CompletedProcess:
    """``kg export -f csv -o folder`` in a real subprocess whose files may not grow past
    ``limit`` bytes (RLIMIT_FSIZE: writes past it fail with EFBIG, as on a full disk)."""

    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([*kg_executable(), "export", "-f", "csv", "-o", str(folder)], capture_output=True,
                          text=True, preexec_fn=limit_files, timeout=120, check=False)


def test_csv_export_past_a_file_size_limit_keeps_the_old_files(tmp_path: Path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "nodes.csv").write_text("old nodes\n")
    (folder / "edges.csv").write_text("old edges\n")
    proc = _export_csv_limited(folder, 50_000)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert re.fullmatch(r"Error: .*csv: cannot write: File too large; nothing was changed\n", proc.stderr), proc.stderr
    assert [(p.name, p.read_text()) for p in sorted(folder.iterdir())] == [("edges.csv", "old edges\n"), ("nodes.csv", "old nodes\n")]


@pytest.fixture
def full_disk(tmp_path: Path):
    """A real 64 KB tmpfs (needs root: skipped otherwise), unmounted after the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                                           capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_csv_export_onto_a_full_disk_keeps_the_old_files(full_disk: Path):
    folder = full_disk / "csv"
    folder.mkdir()
    (folder / "nodes.csv").write_text("old nodes\n")
    (folder / "edges.csv").write_text("old edges\n")
    proc = subprocess.run([*kg_executable(), "export", "-f", "csv", "-o", str(folder)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == f"Error: {folder}: cannot write: No space left on device; nothing was changed\n"
    assert [(p.name, p.read_text()) for p in sorted(folder.iterdir())] == [("edges.csv", "old edges\n"), ("nodes.csv", "old nodes\n")]
    proc = subprocess.run([*kg_executable(), "export", "-f", "nt", "-o", str(folder / "nodes.csv")], capture_output=True, text=True, timeout=120, check=False)
    assert (proc.returncode, proc.stderr) == (1, f"Error: {folder / 'nodes.csv'}: cannot write: No space left on device; nothing was changed\n")
    assert (folder / "nodes.csv").read_text() == "old nodes\n"


# --- reading only regular files -------------------------------------------------------------


@pytest.mark.parametrize("make,message", [
    (lambda p: os.mkfifo(p), r"is a named pipe \(FIFO\); kg reads only regular files"),
    (lambda p: p.symlink_to("/dev/zero"), r"is a character device; kg reads only regular files"),
    (lambda p: p.symlink_to(p), r"cannot read: Too many levels of symbolic links$"),
    (lambda p: p.mkdir(), r"is a directory, not an RDF file$"),
], ids=["fifo", "dev-zero", "symlink-loop", "directory"])
def test_read_input_refuses_what_is_not_a_regular_file(tmp_path: Path, make, message: str):
    from kg.fileio import read_input

    path = tmp_path / "input.ttl"
    make(path)
    with pytest.raises(KgError, match=message):
        read_input(path)  # a FIFO with no writer would hang here if it were opened


def test_export_onto_a_read_only_disk_keeps_the_old_file(full_disk: Path):
    (full_disk / "out.nt").write_text("old\n")
    subprocess.run(["mount", "-o", "remount,ro", str(full_disk)], check=True)
    proc = subprocess.run([*kg_executable(), "export", "-f", "nt", "-o", str(full_disk / "out.nt")], capture_output=True, text=True, timeout=120, check=False)
    assert (proc.returncode, proc.stdout) == (1, ""), proc.stderr
    assert proc.stderr == f"Error: {full_disk / 'out.nt'}: cannot write: Read-only file system; nothing was changed\n"
    assert (full_disk / "out.nt").read_text() == "old\n"


def test_a_pipe_is_written_in_place_not_replaced(tmp_path: Path):
    """A device or a pipe (/dev/null, a FIFO) cannot be replaced by a rename: that would put a
    regular file where the device was. It is written in place."""
    import threading

    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, b"through the pipe\n")
    reader.join(10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.fifo"]


def test_an_oserror_of_the_callers_own_work_is_not_called_a_write_error(tmp_path: Path):
    f = tmp_path / "out.txt"
    f.write_text("old")
    with pytest.raises(ConnectionResetError, match="the server went away"), atomic_writer(f) as fh:
        fh.write("half")
        raise ConnectionResetError("the server went away")
    assert f.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
