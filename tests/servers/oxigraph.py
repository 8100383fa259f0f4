"""A real SPARQL server for tests: ``oxigraph serve`` (the ``oxigraph`` package from PyPI) on a
free loopback port, started once per session and stopped by its PID at the end.

If it cannot start, every test that uses it fails with the reason: no skipping. A pytest plugin
(``pytest_plugins = ["tests.servers.oxigraph"]`` in tests/conftest.py); test modules may also import the
fixture directly.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers.process import answers, free_port, stop_server_process

START_TIMEOUT = 30.0


@dataclass
class OxigraphServer:
    """A running server: ``query_url`` for SPARQL queries, ``store_url`` for the Graph Store Protocol."""

    base: str
    process: subprocess.Popen
    location: Path
    log: Path

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    def clear(self) -> None:
        """Empty the server (every graph), so a test module starts from nothing."""
        data = urllib.parse.urlencode({"update": "CLEAR ALL"}).encode()
        with urllib.request.urlopen(
            urllib.request.Request(self.update_url, data=data), timeout=30
        ) as r:
            r.read()


def oxigraph_executable() -> Path:
    """The ``oxigraph`` CLI installed beside this Python."""
    return Path(sys.executable).parent / "oxigraph"


def start_server(location: Path, log: Path) -> OxigraphServer:
    """Start ``oxigraph serve`` and wait until it answers; RuntimeError with the reason if not."""
    exe = oxigraph_executable()
    if not exe.exists():
        raise RuntimeError(f"{exe} not found: pip install oxigraph (it is in the [test] extra)")
    last = ""
    for _ in range(3):  # another process may take the free port first
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [str(exe), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None:
            if answers(f"{base}/query?query=ASK%7B%7D"):
                return OxigraphServer(base, proc, location, log)
            time.sleep(0.1)
        stop_server_process(proc)
        last = log.read_text(errors="replace").strip()[-500:]
    raise RuntimeError(
        f"oxigraph serve did not answer on 127.0.0.1 within {START_TIMEOUT:g} s; its output: {last!r}"
    )


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory):
    """A real Oxigraph server for the session (empty at start; call ``clear()`` before filling it)."""
    root = tmp_path_factory.mktemp("oxigraph-server")
    try:
        server = start_server(root / "store", root / "server.log")
    except (RuntimeError, OSError) as exc:
        pytest.fail(f"cannot start the Oxigraph server: {exc}", pytrace=False)
    yield server
    stop_server_process(server.process)
