from __future__ import annotations

import socket

import pytest

from kg.safety import NetworkBlockedError, allow_host, network_guard


def test_guard_blocks_non_loopback_connect():
    with network_guard(), pytest.raises(NetworkBlockedError, match="refused to contact 192.0.2.1"):
        socket.create_connection(("192.0.2.1", 9), timeout=0.1)


def test_guard_blocks_name_lookup():
    with network_guard(), pytest.raises(NetworkBlockedError, match="example.org"):
        socket.getaddrinfo("example.org", 80)


def test_guard_lets_loopback_through():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        with network_guard():
            socket.create_connection(server.getsockname(), timeout=1).close()
    finally:
        server.close()


def test_allow_lifts_the_guard_without_any_traffic():
    # The hook's decision alone: no packet leaves the machine in this test.
    from kg.safety import _hook

    with network_guard(allow=True):
        _hook("socket.connect", (None, ("192.0.2.1", 9)))


def test_allowed_host_passes_only_inside_its_guard():
    from kg.safety import _hook

    with network_guard():
        allow_host("192.0.2.7")
        _hook("socket.connect", (None, ("192.0.2.7", 9)))
        with pytest.raises(NetworkBlockedError):
            _hook("socket.connect", (None, ("192.0.2.8", 9)))
    with network_guard(), pytest.raises(NetworkBlockedError):
        _hook("socket.connect", (None, ("192.0.2.7", 9)))


def test_outside_a_guard_nothing_is_blocked():
    from kg.safety import _hook

    _hook("socket.connect", (None, ("192.0.2.1", 9)))
