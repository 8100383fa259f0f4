"""A progress bar on stderr (rich), shown only when stderr is a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(
    description: str, total: float | None = None, unit: str = ""
) -> Iterator[Callable[..., None]]:
    """Yield ``update(done, total=None)``, which moves the bar to ``done`` (out of ``total``).

    With ``unit="bytes"`` the bar shows sizes and transfer speed. Nothing is drawn when stderr
    is not a terminal (pipes, CI, tests), so stderr stays clean for the one-line summary.
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
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as progress:
        task = progress.add_task(description, total=total)

        def update(done: float, total: float | None = None) -> None:
            if total is not None:
                progress.update(task, completed=done, total=total)
            else:
                progress.update(task, completed=done)

        yield update
