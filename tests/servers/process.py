"""What every server the tests start needs: a free loopback port, a check that it answers, and
stopping it by its PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    """Whether ``url`` (an ASK query on the server) answers 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def stop_server_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop the server by its PID: SIGTERM (it may checkpoint and exit), SIGKILL if it lingers
    past ``timeout`` seconds."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
