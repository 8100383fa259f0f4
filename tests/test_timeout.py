from __future__ import annotations

import os
import re
import socket
import sys
import time
from pathlib import Path

import pytest

from kg.errors import InputError, KgError, UsageError
from kg.safety import NetworkBlockedError, network_guard
from kg.timeout import TimeLimitError, WorkerDiedError, run_with_timeout, start_method

# Module-level functions: the "spawn" start method pickles them by name.


def add(a: int, b: int = 0) -> int:
    return a + b


def spin() -> None:
    while True:
        pass


def sleep_then_return(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def raise_usage() -> None:
    raise UsageError("bad option value for --thing")


def raise_value_error() -> None:
    raise ValueError("not a KgError")


def catastrophic_regex() -> object:
    return re.match(r"(a+)+$", "a" * 64 + "b")  # exponential backtracking, inside C code


def die(code: int) -> None:
    os._exit(code)


def unpicklable_result() -> object:
    return lambda: None


def recurse(n: int = 0) -> int:
    return recurse(n + 1)


def connect_out() -> None:
    socket.getaddrinfo("example.org", 80)  # the guard refuses before any packet leaves


def write_slowly(path: str) -> None:
    from kg.fileio import atomic_writer

    with atomic_writer(path) as fh:
        fh.write("half")
        time.sleep(30)
        fh.write("the rest")


def nested() -> int:
    return run_with_timeout(add, 1, 2, seconds=10)


def emit_then_wait(flag: str, emit) -> str:  # type: ignore[no-untyped-def]
    """Send a piece, then wait (10 s at most) for the parent to show it has that piece: the
    file ``flag``, which the parent's stream makes. Without streaming it never appears."""
    emit("first piece\n")
    for _ in range(1000):
        if os.path.exists(flag):
            emit("second piece\n")
            return "seen"
        time.sleep(0.01)
    return "not seen"


@pytest.mark.parametrize("seconds", [30, 0], ids=["worker", "in-process"])
def test_pieces_stream_to_the_parent_while_the_work_runs(tmp_path: Path, seconds: int):
    """``stream``: each piece the work emits reaches the caller as it is made (kg query's output
    to a terminal), in order, before the work returns; and within the same time limit."""
    flag = tmp_path / "seen"
    got: list[str] = []

    def stream(piece: str) -> None:
        got.append(piece)
        flag.touch()

    assert run_with_timeout(emit_then_wait, str(flag), seconds=seconds, stream=stream) == "seen"
    assert got == ["first piece\n", "second piece\n"]
    with pytest.raises(TimeLimitError):
        run_with_timeout(emit_then_wait, str(tmp_path / "never"), seconds=1, stream=lambda piece: None)


def test_a_limited_run_may_itself_use_a_limit():
    assert run_with_timeout(nested, seconds=20) == 3


def test_no_limit_runs_in_this_process():
    assert run_with_timeout(os.getpid, seconds=None) == os.getpid()
    assert run_with_timeout(os.getpid, seconds=0) == os.getpid()


def test_result_comes_back_from_a_child_process():
    assert run_with_timeout(os.getpid, seconds=10) != os.getpid()
    assert run_with_timeout(add, 2, b=3, seconds=10) == 5


@pytest.mark.parametrize("func", [spin, catastrophic_regex], ids=["python-loop", "c-code"])
def test_time_limit_stops_the_work(func):
    started = time.monotonic()
    with pytest.raises(TimeLimitError, match=r"^work: stopped after 0\.5 s, the time limit; .*--timeout"):
        run_with_timeout(func, seconds=0.5, label="work")
    assert time.monotonic() - started < 5


def test_time_limit_error_is_exit_code_1():
    assert TimeLimitError("x").exit_code == 1
    assert issubclass(TimeLimitError, KgError)


def test_work_within_the_limit_is_not_stopped():
    assert run_with_timeout(sleep_then_return, 0.2, seconds=10) == "done"


def test_kg_error_comes_back_with_its_class_message_and_exit_code():
    with pytest.raises(UsageError) as info:
        run_with_timeout(raise_usage, seconds=10)
    assert info.value.message == "bad option value for --thing"
    assert info.value.exit_code == 2
    assert any("In the worker process" in note for note in info.value.__notes__)


def test_other_exceptions_come_back_as_themselves():
    with pytest.raises(ValueError, match="not a KgError"):
        run_with_timeout(raise_value_error, seconds=10)


def test_recursion_error_comes_back_for_the_cli_to_report():
    with pytest.raises(RecursionError):
        run_with_timeout(recurse, seconds=10)


def test_a_child_that_dies_is_reported():
    with pytest.raises(WorkerDiedError, match=r"^work: the worker process ended without an answer \(exit status 3\)"):
        run_with_timeout(die, 3, seconds=10, label="work")


def test_an_unpicklable_result_is_a_clear_error():
    with pytest.raises(TypeError, match="cannot be sent back"):
        run_with_timeout(unpicklable_result, seconds=10)


def test_the_child_keeps_the_network_guard():
    with network_guard(), pytest.raises(NetworkBlockedError, match="refused to contact example.org"):
        run_with_timeout(connect_out, seconds=10)


def test_spawn_start_method_works_too():
    assert run_with_timeout(add, 1, 1, seconds=30, method="spawn") == 2


def test_spawned_child_keeps_the_network_guard():
    with network_guard(), pytest.raises(NetworkBlockedError):
        run_with_timeout(connect_out, seconds=30, method="spawn")


def test_fork_only_while_this_process_has_one_thread():
    import threading

    from kg.timeout import _os_threads

    expected = "fork" if sys.platform.startswith("linux") and _os_threads() == 1 else "spawn"
    assert start_method() == expected
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_method() == "spawn"
        assert run_with_timeout(add, 2, 2, seconds=30) == 4
    finally:
        stop.set()
        thread.join()


def test_killed_writer_leaves_no_partial_file(tmp_path: Path):
    target = tmp_path / "out.txt"
    with pytest.raises(TimeLimitError):
        run_with_timeout(write_slowly, str(target), seconds=0.5)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_killed_writer_keeps_the_old_file(tmp_path: Path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TimeLimitError):
        run_with_timeout(write_slowly, str(target), seconds=0.5)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_input_errors_in_the_child_keep_their_message(tmp_path: Path):
    from kg.rdf.loading import load_files

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{re.escape(str(bad))}:2"):
        run_with_timeout(load_files, [bad], seconds=30)


# --- the --timeout option, on kg stats --------------------------------------------------


def big_ntriples(path: Path, lines: int = 300_000) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(lines):
            fh.write(f'<http://example.org/s{i}> <http://example.org/p> "value {i}" .\n')
    return path


def test_stats_timeout_stops_a_long_load(runner, tmp_path: Path):
    from kg.cli import main

    big = big_ntriples(tmp_path / "big.nt")
    started = time.monotonic()
    result = runner.invoke(main, ["stats", "--timeout", "0.3", str(big)])
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: stats: stopped after 0.3 s, the time limit; give more time with --timeout SECONDS (0: no limit)\n"


def test_stats_timeout_lets_quick_work_finish(runner, tmp_path: Path):
    from kg.cli import main

    small = tmp_path / "small.nt"
    small.write_text('<http://example.org/s> <http://example.org/p> "v" .\n', encoding="utf-8")
    result = runner.invoke(main, ["stats", "--timeout", "60", "--format", "json", str(small)])
    assert result.exit_code == 0, result.output
    assert '"triples": 1' in result.stdout


def test_stats_timeout_rejects_negative_values(runner):
    from kg.cli import main

    result = runner.invoke(main, ["stats", "--timeout", "-1"])
    assert result.exit_code == 2
    assert "--timeout" in result.stderr


def test_installed_kg_times_out_in_a_real_process(run_kg, tmp_path: Path):
    big = big_ntriples(tmp_path / "big.nt")
    proc = run_kg("stats", "--timeout", "0.5", str(big), timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("Error: stats: stopped after 0.5 s")
    assert "Traceback" not in proc.stderr


# --- the worker's memory limit ---------------------------------------------------------------


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes << 20))


def native_doubling() -> None:
    """pyoxigraph (Rust) doubles a string until its allocator fails: Rust aborts (SIGABRT)."""
    import faulthandler

    import pyoxigraph as ox

    faulthandler.disable()  # pytest's handler writes to a copy of the real stderr

    doubled = "".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1}) " for i in range(40))
    list(ox.Store().query(f'SELECT (STRLEN(?v40) AS ?n) WHERE {{ BIND("{"k" * 64}" AS ?v0) {doubled}}}'))


@pytest.mark.parametrize("raw,limit", [("", 4 << 30), ("0", None), ("512M", 512 << 20), ("8G", 8 << 30),
                                       ("1.5GiB", 3 << 29), ("2000000", 2_000_000), (" 64 k ", 64 << 10)])
def test_memory_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch, raw: str, limit: int | None):
    from kg.timeout import memory_limit

    monkeypatch.setenv("KG_MEMORY_LIMIT", raw)
    assert memory_limit() == limit


def test_a_memory_limit_that_is_not_a_size_is_a_usage_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KG_MEMORY_LIMIT", "lots")
    with pytest.raises(UsageError, match=r"^KG_MEMORY_LIMIT='lots' is not a size"):
        run_with_timeout(add, 1, seconds=5)


def test_python_past_the_memory_limit_is_one_error(monkeypatch: pytest.MonkeyPatch):
    from kg.timeout import MemoryLimitError

    monkeypatch.setenv("KG_MEMORY_LIMIT", "300M")
    assert run_with_timeout(allocate, 50, seconds=30) == 50 << 20  # below the limit: fine
    with pytest.raises(MemoryLimitError) as info:
        run_with_timeout(allocate, 400, seconds=30, label="work")
    assert str(info.value) == "work: stopped on reaching the memory limit of 300 MiB; allow more with KG_MEMORY_LIMIT=8G (0: no limit)"
    assert info.value.exit_code == 1


def test_native_code_past_the_memory_limit_is_one_error(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]):
    monkeypatch.setenv("KG_MEMORY_LIMIT", "300M")
    with pytest.raises(WorkerDiedError) as info:
        run_with_timeout(native_doubling, seconds=60, label="work")
    assert str(info.value) == ("work: the worker process was killed by SIGABRT, most likely on reaching the memory limit "
                               "of 300 MiB; allow more with KG_MEMORY_LIMIT=8G (0: no limit)")
    assert capfd.readouterr().err == "", "Rust's own report goes into the error's note, not on stderr"
    assert any("memory allocation" in note for note in info.value.__notes__)


def test_what_a_worker_writes_on_stderr_is_passed_on(capfd: pytest.CaptureFixture[str]):
    assert run_with_timeout(os.write, 2, b"a warning\n", seconds=10) == 10
    assert capfd.readouterr().err == "a warning\n"


BOOM = ('SELECT (STRLEN(?v34) AS ?n) WHERE { BIND("' + "k" * 64 + '" AS ?v0) '
        + "".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1}) " for i in range(34)) + "}")


@pytest.mark.parametrize("backend", ["memory", "store"])
def test_a_query_that_fills_memory_is_one_line(run_kg, tmp_path: Path, backend: str):
    args = ["query", BOOM]
    if backend == "store":
        store = tmp_path / "store"
        assert run_kg("load", "--store", str(store), "tests/hostile/plain.ttl").returncode == 0
        args += ["--store", str(store)]
    proc = run_kg(*args, env={"KG_MEMORY_LIMIT": "400M"}, timeout=120)
    assert (proc.returncode, proc.stdout) == (1, ""), proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert re.match(r"^Error: query: .*memory limit of 400 MiB; allow more with KG_MEMORY_LIMIT=8G \(0: no limit\)$", proc.stderr), proc.stderr
