"""A wall-clock limit that holds even inside library code: run the work in a child process.

rdflib has no query timeout, and pyshacl with inference can run for hours; neither checks a
clock, and a thread cannot be stopped. :func:`run_with_timeout` runs a function in a child
process (``fork`` where the platform has it: the child starts at once with the parent's loaded
graph; else ``spawn``, which needs the function and its arguments to be picklable), waits at
most ``seconds``, and kills the child when time is up: :class:`TimeLimitError`, exit code 1.

What the child returns comes back pickled. What it raises comes back as the same exception
(a KgError keeps its message and exit code), with the child's traceback attached as a note
(shown with ``KG_DEBUG=1``). The child keeps the parent's network guard (see kg.safety).

Memory: the child may use at most :func:`memory_limit` bytes of data (``RLIMIT_DATA``: the
heap and private mappings, what a runaway query grows), 4 GiB by default, changed with the
environment variable ``KG_MEMORY_LIMIT`` (``8G``, ``512M``; ``0``: no limit). Past it Python
raises MemoryError and native code (pyoxigraph) aborts: either way the parent reports
:class:`MemoryLimitError`, one line, exit code 1. ``--timeout 0`` runs the work in this process,
without the limit.

Write output files in the parent, from the returned result: a child killed in the middle of
writing cannot always clean up (it gets SIGTERM, which runs its ``finally`` blocks and so
removes kg.fileio's temporary files, but one stuck in C code gets SIGKILL after a grace period).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import re
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from kg.errors import KgError, ResourceLimitError, UsageError
from kg.safety import guard_state, network_guard

T = TypeVar("T")

#: Default limits, in seconds, for the commands that take ``--timeout`` (0 turns it off).
DEFAULT_QUERY_TIMEOUT = 60.0
DEFAULT_VALIDATE_TIMEOUT = 300.0
#: How long a child gets between SIGTERM and SIGKILL (after Ctrl-C: so that it stops within a second).
GRACE_SECONDS = 2.0
INTERRUPT_GRACE_SECONDS = 0.5
#: The worker's default memory limit (its data segment, RLIMIT_DATA), in bytes: the project's
#: commands stay under 0.3 GB, the 100,000-firm benchmarks under 1.6 GB (bench/results).
DEFAULT_MEMORY_LIMIT = 4 << 30
#: The environment variable that changes it: a size such as 8G, 512M, 2000000000; 0: no limit.
MEMORY_ENV = "KG_MEMORY_LIMIT"
_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?)(?:i?B)?\s*$", re.IGNORECASE)


class TimeLimitError(KgError):
    """The work did not finish within its time limit (``--timeout``)."""


class WorkerDiedError(KgError):
    """The child process ended without an answer (killed from outside, out of memory, a crash)."""


class MemoryLimitError(ResourceLimitError):
    """The work needed more memory than the worker's limit (KG_MEMORY_LIMIT)."""


def memory_limit() -> int | None:
    """The worker's memory limit in bytes from KG_MEMORY_LIMIT (default DEFAULT_MEMORY_LIMIT),
    or None for no limit; a value that is not a size is a UsageError."""
    raw = os.environ.get(MEMORY_ENV, "").strip()
    if not raw:
        return DEFAULT_MEMORY_LIMIT
    found = _SIZE.match(raw)
    if found is None:
        raise UsageError(f"{MEMORY_ENV}={raw!r} is not a size: give bytes or a number with K, M, G or T (0: no limit)")
    number = float(found.group(1)) * 1024 ** " KMGT".index(found.group(2).upper() or " ")
    return int(number) or None


def format_size(size: int) -> str:
    """``4 GiB``, ``512 MiB``: a memory limit as the messages show it."""
    for unit, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if size >= unit:
            return f"{size / unit:.3g} {name}"
    return f"{size} bytes"


def _capture_stderr(path: str) -> None:
    """Point file descriptor 2 of this process at the file ``path``."""
    sys.stderr.flush()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    os.dup2(fd, 2)
    os.close(fd)


def _limit_memory(limit: int | None) -> None:
    """Lower this process's data limit to ``limit`` (never above the hard limit)."""
    import resource

    if limit is None:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def start_method() -> str:
    """``fork`` on Linux while this process runs a single thread (fast: nothing to pickle on the
    way in); else ``spawn``. Forking a process with other threads (the background threads of an
    Oxigraph store, a progress bar) can deadlock the child on a lock one of them held, so then
    the child starts as a fresh interpreter, and the work must be picklable. (``forkserver``
    would be faster, but it talks to its server over a Unix socket, which the network guard
    of kg.safety does not tell from a network one.)"""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and _os_threads() == 1:
        return "fork"
    return "spawn"


def _os_threads() -> int:
    """Threads of this process, native ones included (Linux), else the Python threads."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _guard_state() -> tuple[bool, frozenset[str]]:
    """The network guard now in force: (blocking, hosts allowed), to set up again in the child."""

    return guard_state()


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else an exception of the same meaning that does."""
    try:
        return pickle.loads(pickle.dumps(exc))  # type: ignore[no-any-return]
    except (pickle.PicklingError, TypeError, AttributeError, ValueError):
        if isinstance(exc, KgError):
            copy = KgError(exc.message)
            copy.exit_code = exc.exit_code
            return copy
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _child(
    conn: Any, guard: tuple[bool, frozenset[str]], limit: int | None, said: str,
    func: Callable[..., Any], args: tuple, kwargs: dict, streams: bool = False,
) -> None:
    """Run ``func`` and send ("ok", result) or ("error", exception, traceback text); with
    ``streams``, ``func`` gets ``emit`` too, which sends ("piece", text) as it goes. What is
    written on file descriptor 2 goes to the file ``said``: the parent passes it on, or keeps
    it out of the one-line error when the child crashes (native code prints its own report)."""

    signal.signal(signal.SIGTERM, _on_sigterm)  # so that finally blocks run when killed
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _capture_stderr(said)
    _limit_memory(limit)
    blocking, hosts = guard
    if streams:
        kwargs = {**kwargs, "emit": lambda text: conn.send(("piece", text))}
    try:
        with network_guard(allow=not blocking, hosts=hosts):
            result = func(*args, **kwargs)
        try:
            conn.send(("ok", result))
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            problem = TypeError(f"the result of {_name(func)} cannot be sent back: {exc}")
            conn.send(("error", problem, ""))
    except SystemExit:
        raise
    except MemoryError as exc:
        # The frames of the work still hold what filled the memory: free them before anything
        # else is allocated (formatting a traceback would fail again).
        traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        del exc
        conn.send(("error", MemoryError(), ""))
    # Everything the work raises is carried to the parent, which raises it there: this is a
    # transport, not error handling, so it is as wide as the parent's own call would be.
    except BaseException as exc:  # noqa: BLE001
        conn.send(("error", _portable(exc), traceback.format_exc()))
    finally:
        conn.close()


def _name(func: Callable[..., Any]) -> str:
    return getattr(func, "__qualname__", None) or repr(func)


def _stop(process: Any, grace: float = GRACE_SECONDS) -> None:
    """SIGTERM, a grace period, then SIGKILL."""
    if process.is_alive():
        process.terminate()
        process.join(grace)
    if process.is_alive():
        process.kill()
    process.join()


def run_with_timeout(
    func: Callable[..., T],
    *args: Any,
    seconds: float | None,
    label: str = "kg",
    method: str | None = None,
    stream: Callable[[str], None] | None = None,
    **kwargs: Any,
) -> T:
    """``func(*args, **kwargs)``, stopped after ``seconds`` of wall-clock time.

    ``seconds`` None or 0 runs it here, in this process, with no limit. ``label`` names the
    work in the error message (a query file, "validation"). ``method`` is the multiprocessing
    start method (default: :func:`start_method`). ``stream``: ``func`` also gets ``emit``, a
    function it calls with pieces of its output as it makes them; each piece reaches
    ``stream`` here as it comes (from a worker, through its pipe), within the same limit."""
    if seconds is None or seconds <= 0:
        if stream is not None:
            kwargs = {**kwargs, "emit": stream}
        return func(*args, **kwargs)
    limit = memory_limit()
    ctx = multiprocessing.get_context(method or start_method())
    receiver, sender = ctx.Pipe(duplex=False)
    fd, said = tempfile.mkstemp(prefix="kg-worker-", suffix=".stderr")
    os.close(fd)
    # Not a daemon: the work may itself use run_with_timeout (daemons cannot have children).
    process = ctx.Process(target=_child, args=(sender, _guard_state(), limit, said, func, args, kwargs, stream is not None))
    started = False
    grace = GRACE_SECONDS
    try:
        process.start()
        started = True
        sender.close()  # the child holds the only sending end: EOF when it dies
        deadline = time.monotonic() + seconds
        while True:
            if not receiver.poll(max(deadline - time.monotonic(), 0)):
                raise TimeLimitError(
                    f"{label}: stopped after {seconds:g} s, the time limit; give more time with "
                    "--timeout SECONDS (0: no limit)"
                )
            try:
                outcome = receiver.recv()
            except EOFError:
                process.join()
                died = WorkerDiedError(_died(label, process.exitcode, limit))
                text = _read_said(said)
                if text:  # a native crash's own report ("memory allocation failed", a Rust backtrace)
                    died.add_note("The worker process wrote:\n" + text.rstrip())
                said = None
                raise died from None
            if outcome[0] != "piece" or stream is None:
                break
            stream(outcome[1])
        process.join(GRACE_SECONDS)  # it has answered: let it exit by itself
    except KeyboardInterrupt:
        grace = INTERRUPT_GRACE_SECONDS  # Ctrl-C: the user waits, native code ignores SIGTERM
        raise
    finally:
        if started:
            _stop(process, grace)
        sender.close()
        receiver.close()
        if said is not None:
            _replay(said)
    if outcome[0] == "ok":
        return outcome[1]  # type: ignore[no-any-return]
    _kind, exc, child_traceback = outcome
    if isinstance(exc, MemoryError):
        raise MemoryLimitError(_out_of_memory(label, limit)) from None
    if child_traceback:  # shown only with a traceback, i.e. with KG_DEBUG=1
        exc.add_note("In the worker process:\n" + child_traceback.rstrip())
    raise exc


def _read_said(path: str) -> str:
    """What the worker wrote on its stderr (file descriptor 2), and the file removed."""
    try:
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


def _replay(path: str) -> None:
    """Pass on what a worker that answered wrote on its stderr (warnings), then remove it."""
    text = _read_said(path)
    if text:
        sys.stderr.write(text)
        sys.stderr.flush()


def _out_of_memory(label: str, limit: int | None) -> str:
    if limit is None:
        return f"{label}: out of memory"
    return (f"{label}: stopped on reaching the memory limit of {format_size(limit)}; "
            f"allow more with {MEMORY_ENV}=8G (0: no limit)")


def _died(label: str, code: int | None, limit: int | None = None) -> str:
    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"killed by signal {-code}"
    else:
        how = f"exit status {code}"
    if code == -signal.SIGABRT and limit is not None:  # native code (Rust) aborts when allocation fails
        return (f"{label}: the worker process was {how}, most likely on reaching the memory limit of "
                f"{format_size(limit)}; allow more with {MEMORY_ENV}=8G (0: no limit)")
    crashed = code in (-signal.SIGSEGV, -signal.SIGKILL, -signal.SIGABRT)
    hint = " (a crash in a parser, or out of memory?)" if crashed else ""
    return (
        f"{label}: the worker process ended without an answer ({how}){hint}; "
        "run again with --timeout 0 to run it in this process"
    )
