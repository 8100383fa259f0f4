"""Progress on stderr: a bar (rich) when stderr is a terminal, else a plain line every few
seconds (``KG_PROGRESS_SECONDS``, default 5) while the work lasts, so that a long ``kg push`` or
``kg load`` into a log is never silent. Work that ends sooner prints nothing."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Seconds between two progress lines when stderr is not a terminal.
DEFAULT_EVERY = 5.0


def _every() -> float:
    try:
        return max(float(os.environ.get("KG_PROGRESS_SECONDS", DEFAULT_EVERY)), 0.01)
    except ValueError:
        return DEFAULT_EVERY


def _amount(n: float, unit: str) -> str:
    if unit == "bytes":
        for size, name in ((1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "kB")):
            if n >= size:
                return f"{n / size:.1f} {name}"
        return f"{int(n)} bytes"
    return f"{int(n)}{' ' + unit if unit else ''}"


def progress_line(description: str, done: float, total: float | None, unit: str, seconds: float) -> str:
    """``push: 38% (10.3 MB of 27.1 MB) after 5 s``; when everything is read but the work goes
    on (the endpoint storing the last graph, the store merging), ``push: all 27.1 MB read,
    finishing, after 9 s``."""
    if total and done >= total:
        where = f"all {_amount(total, unit)} read, finishing,"
    elif total:
        where = f"{int(done / total * 100)}% ({_amount(done, unit)} of {_amount(total, unit)})"
    else:
        where = _amount(done, unit)
    return f"{description}: {where} after {seconds:.0f} s"


class _Ticker:
    """Prints :func:`progress_line` of the latest state every ``every`` seconds (a thread, so
    that a line comes even while one long request is outstanding)."""

    def __init__(self, description: str, total: float | None, unit: str, every: float) -> None:
        self.description, self.total, self.unit, self.every = description, total, unit, every
        self.done = 0.0
        self.start = time.monotonic()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="kg-progress", daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(self.every):
            line = progress_line(self.description, self.done, self.total, self.unit, time.monotonic() - self.start)
            print(line, file=sys.stderr, flush=True)

    def update(self, done: float, total: float | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total


@contextmanager
def progress_bar(
    description: str, total: float | None = None, unit: str = ""
) -> Iterator[Callable[..., None]]:
    """Yield ``update(done, total=None)``, which moves the bar to ``done`` (out of ``total``).

    With ``unit="bytes"`` the bar shows sizes and transfer speed. When stderr is not a terminal
    (pipes, CI, logs) no bar is drawn, but a plain line says how far the work is every
    ``KG_PROGRESS_SECONDS``; once everything is read the bar's text says it is finishing.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    console = Console(stderr=True)
    if not console.is_terminal:
        ticker = _Ticker(description, total, unit, _every())
        ticker.thread.start()
        try:
            yield ticker.update
        finally:
            ticker.stop.set()
            ticker.thread.join()
        return
    counter = (
        (DownloadColumn(), TransferSpeedColumn()) if unit == "bytes" else (MofNCompleteColumn(),)
    )
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        *counter,
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(description, total=total)
        state = {"total": total, "finishing": False}

        def update(done: float, total: float | None = None) -> None:
            if total is not None:
                state["total"] = total
            finishing = bool(state["total"]) and done >= state["total"]  # type: ignore[operator]
            fields = {}
            if finishing != state["finishing"]:  # all read: what remains is the other side's work
                state["finishing"] = finishing
                fields["description"] = f"{description} (finishing)" if finishing else description
            progress.update(task, completed=done, total=state["total"], **fields)

        yield update
