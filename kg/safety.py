"""Keeping the tool off the network and out of files the user did not name.

rdflib fetches URLs by itself (``SERVICE`` in SPARQL, remote JSON-LD ``@context``,
``owl:imports``, ``FROM <http://...>``). The checks in each module reject these before they
run; this module is the backstop: a process-wide audit hook (``sys.addaudithook``) that refuses
to open a socket to anything but a loopback address while the guard is on, unless the user
asked for the network with ``--allow-network`` (or named an ``--endpoint``).
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kg.errors import KgError


class NetworkBlockedError(KgError):
    """Something tried to reach the network while it was not allowed."""


_state = {"installed": False, "guard": False, "allowed_hosts": frozenset()}


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def network_blocked(host: str | None) -> bool:
    """Whether the current guard refuses a connection to ``host``."""
    if not _state["guard"] or host is None:
        return False
    return not (_is_loopback(host) or host in _state["allowed_hosts"])


def guard_state() -> tuple[bool, frozenset[str]]:
    """The guard's state, to carry into a child process (see kg.timeout)."""
    return bool(_state["guard"]), frozenset(_state["allowed_hosts"])


def set_guard_state(state: tuple[bool, frozenset[str]]) -> None:
    """Restore a state from :func:`guard_state` (in a child process)."""
    install()
    _state["guard"], _state["allowed_hosts"] = state[0], frozenset(state[1])


def _hook(event: str, args: tuple) -> None:
    if not _state["guard"]:
        return
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, (str, bytes)):
            return  # a Unix socket (multiprocessing's forkserver): never the network
        host = address[0] if isinstance(address, tuple) and address else address
    elif event == "socket.getaddrinfo":
        host = args[0]
    elif event == "urllib.Request":
        from urllib.parse import urlsplit

        url = args[0]
        host = urlsplit(url).hostname if isinstance(url, str) else None
        if isinstance(url, str) and url.startswith("file:"):
            return
    else:
        return
    if not network_blocked(host):
        return
    raise NetworkBlockedError(
        f"refused to contact {host}: kg does not use the network unless asked (give --allow-network)"
    )


def install() -> None:
    """Install the audit hook once per process (hooks cannot be removed; the guard flag rules)."""
    if not _state["installed"]:
        sys.addaudithook(_hook)
        _state["installed"] = True


@contextmanager
def network_guard(allow: bool = False, hosts: frozenset[str] | set[str] = frozenset()) -> Iterator[None]:
    """While inside, sockets may reach only loopback and ``hosts`` (everything if ``allow``)."""
    install()
    previous = (_state["guard"], _state["allowed_hosts"])
    _state["guard"] = not allow
    _state["allowed_hosts"] = frozenset(hosts) | previous[1]
    try:
        yield
    finally:
        _state["guard"], _state["allowed_hosts"] = previous


def allow_host(host: str) -> None:
    """Let the current guard reach ``host`` (the user named it, e.g. with ``--endpoint``)."""
    _state["allowed_hosts"] = _state["allowed_hosts"] | {host}


@contextmanager
def sparql_offline(allow_network: bool = False) -> Iterator[None]:
    """While inside, rdflib's SPARQL engine loads no FROM / FROM NAMED graph by itself
    (``SPARQL_LOAD_GRAPHS`` would read local files and URLs) and the network guard is on."""
    import rdflib.plugins.sparql as sparql_plugin

    saved = sparql_plugin.SPARQL_LOAD_GRAPHS
    sparql_plugin.SPARQL_LOAD_GRAPHS = False
    try:
        with network_guard(allow=allow_network):
            yield
    finally:
        sparql_plugin.SPARQL_LOAD_GRAPHS = saved
