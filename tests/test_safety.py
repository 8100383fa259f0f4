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


def test_unix_sockets_are_not_the_network():
    from kg.safety import _hook

    with network_guard():
        _hook("socket.connect", (None, "/tmp/some.sock"))


def test_network_blocked_reports_the_guard():
    from kg.safety import network_blocked

    assert not network_blocked("example.org")
    with network_guard():
        assert network_blocked("example.org")
        assert not network_blocked("127.0.0.1")
        assert not network_blocked("::1")


def test_sparql_offline_turns_off_graph_loading():
    import rdflib.plugins.sparql as sparql_plugin

    from kg.safety import sparql_offline

    before = sparql_plugin.SPARQL_LOAD_GRAPHS
    with sparql_offline():
        assert sparql_plugin.SPARQL_LOAD_GRAPHS is False
    assert sparql_plugin.SPARQL_LOAD_GRAPHS == before
