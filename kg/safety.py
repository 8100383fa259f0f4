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
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kg.errors import KgError


class NetworkBlockedError(KgError):
    """Something tried to reach the network while it was not allowed."""


#: ``guard``: sockets are checked; ``allowed``: the user asked for the network (--allow-network),
#: which is what lets remote contexts and SERVICE through (a guard that is merely off, as in a
#: library call outside any command, does not).
_state = {"installed": False, "guard": False, "allowed": False, "allowed_hosts": frozenset()}


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


def network_allowed() -> bool:
    """Whether the user asked for the network (``--allow-network``): only then does kg fetch a
    remote JSON-LD context or run a SERVICE, loopback included."""
    return bool(_state["allowed"])


def guard_state() -> tuple[bool, frozenset[str]]:
    """The guard's state, to carry into a child process (see kg.timeout): (blocking, hosts);
    blocking unless the user asked for the network."""
    return not _state["allowed"], frozenset(_state["allowed_hosts"])


def set_guard_state(state: tuple[bool, frozenset[str]]) -> None:
    """Restore a state from :func:`guard_state` (in a child process)."""
    install()
    _state["guard"], _state["allowed_hosts"] = state[0], frozenset(state[1])
    _state["allowed"] = not state[0]


def _make_hook() -> Callable[[str, tuple], None]:
    """The audit hook, holding everything it uses: at interpreter exit, module globals are
    cleared while hooks still run (removing temporary files raises events), and a hook that
    looked them up raised TypeError ("Exception ignored in audit hook")."""
    from urllib.parse import urlsplit

    state, error, ip_address = _state, NetworkBlockedError, ipaddress.ip_address

    def blocked(host: object) -> bool:  # network_blocked, with nothing looked up in the module
        if host is None or not isinstance(host, str):
            return host is not None
        if host in ("localhost", "ip6-localhost") or host in state["allowed_hosts"]:
            return False
        try:
            return not ip_address(host.split("%", 1)[0]).is_loopback
        except ValueError:
            return True

    def hook(event: str, args: tuple) -> None:
        if not state["guard"]:
            return
        if event == "socket.connect":
            address = args[1]
            if isinstance(address, (str, bytes)):
                return  # a Unix socket (multiprocessing's forkserver): never the network
            host = address[0] if isinstance(address, tuple) and address else address
        elif event == "socket.getaddrinfo":
            host = args[0]
        elif event == "urllib.Request":
            url = args[0]
            host = urlsplit(url).hostname if isinstance(url, str) else None
            if isinstance(url, str) and url.startswith("file:"):
                return
        else:
            return
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        if not blocked(host):
            return
        raise error(f"refused to contact {host}: kg does not use the network unless asked (give --allow-network)")

    return hook


_hook = _make_hook()


def install() -> None:
    """Install the audit hook once per process (hooks cannot be removed; the guard flag rules)."""
    if not _state["installed"]:
        sys.addaudithook(_hook)
        _state["installed"] = True


@contextmanager
def network_guard(allow: bool = False, hosts: frozenset[str] | set[str] = frozenset()) -> Iterator[None]:
    """While inside, sockets may reach only loopback and ``hosts`` (everything if ``allow``)."""
    install()
    previous = (_state["guard"], _state["allowed"], _state["allowed_hosts"])
    _state["guard"] = not allow
    _state["allowed"] = allow
    _state["allowed_hosts"] = frozenset(hosts) | previous[2]
    try:
        yield
    finally:
        _state["guard"], _state["allowed"], _state["allowed_hosts"] = previous


def allow_host(host: str) -> None:
    """Let the current guard reach ``host`` (the user named it, e.g. with ``--endpoint``)."""
    _state["allowed_hosts"] = _state["allowed_hosts"] | {host}


@contextmanager
def sparql_offline(allow_network: bool = False) -> Iterator[None]:
    """While inside, rdflib's SPARQL engine loads no FROM / FROM NAMED graph by itself
    (``SPARQL_LOAD_GRAPHS`` would read local files and URLs) and the network guard is on."""
    import rdflib.plugins.sparql as sparql_plugin

    refuse_rdflib_service()
    saved = sparql_plugin.SPARQL_LOAD_GRAPHS
    sparql_plugin.SPARQL_LOAD_GRAPHS = False
    try:
        with network_guard(allow=allow_network):
            yield
    finally:
        sparql_plugin.SPARQL_LOAD_GRAPHS = saved


def refuse_rdflib_service() -> None:
    """Make rdflib's SPARQL engine refuse every SERVICE unless the user asked for the network
    (loopback included, which the socket guard lets through): a second line behind the check on
    the parsed query (:mod:`kg.rdf.sparql_guard`). Installed once per process."""
    from rdflib.plugins.sparql import evaluate

    original = evaluate.evalServiceQuery
    if getattr(original, "kg_guarded", False):
        return

    def guarded(ctx: object, part: object) -> object:
        if not network_allowed():
            raise NetworkBlockedError(
                f"refused SERVICE {getattr(part, 'term', '')}: kg does not use the network unless asked (give --allow-network)"
            )
        return original(ctx, part)

    guarded.kg_guarded = True  # type: ignore[attr-defined]
    evaluate.evalServiceQuery = guarded
