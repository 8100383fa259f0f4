"""Ctrl-C during ``kg load``: Oxigraph's native bulk loader looks at no signal, so a watcher
thread sets :data:`STOP`, and the threads that feed the loader stop."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class LoadInterrupted(KeyboardInterrupt):
    """Ctrl-C during ``kg load``; ``message`` says what the store holds now."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: Set when Ctrl-C arrives during a load: the threads that feed Oxigraph's bulk loader stop,
#: so that it returns at once (it looks at no signal itself; it would finish the file first).
STOP = threading.Event()


@contextmanager
def interrupts_stop_feeding() -> Iterator[None]:
    """While inside, Ctrl-C sets STOP from a watcher thread (Python runs signal handlers only
    in the main thread, which sits in the native loader): the signal's byte comes through
    ``signal.set_wakeup_fd``, written by the C-level handler whatever runs."""
    STOP.clear()
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    try:
        previous = signal.set_wakeup_fd(write_end)
    except ValueError:  # not the main thread: no watcher
        os.close(read_end)
        os.close(write_end)
        yield
        return

    def watch() -> None:
        while data := os.read(read_end, 16):
            if signal.SIGINT in data:
                STOP.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)
        os.close(write_end)  # the watcher reads the end, and stops
        watcher.join(1)
        os.close(read_end)
