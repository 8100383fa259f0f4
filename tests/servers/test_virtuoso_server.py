"""The private Virtuoso starts, answers, takes writes with digest auth and loads with its bulk loader."""

from __future__ import annotations

import urllib.request

import pytest

pytestmark = pytest.mark.slow


def test_fresh_instance_answers_with_its_system_graphs_only(virtuoso_server):
    assert virtuoso_server.sparql_url.startswith("http://127.0.0.1:")
    assert b'"boolean": true' in virtuoso_server.query("ASK {}")
    assert "http://www.openlinksw.com/schemas/virtrdf#" in virtuoso_server.system_graphs


def test_graph_store_put_with_digest_auth_and_bulk_load(virtuoso_server, tmp_path):
    body = b"<urn:x:s> <urn:x:p> <urn:x:o> .\n"
    request = urllib.request.Request(
        f"{virtuoso_server.store_url}?graph=urn:x:put", data=body, method="PUT",
        headers={"Content-Type": "application/n-triples", "Content-Length": str(len(body))},
    )
    with virtuoso_server.opener().open(request, timeout=30) as r:
        assert r.status in (200, 201, 204)
    nq = tmp_path / "one.nq"
    nq.write_text("<urn:x:s> <urn:x:p> <urn:x:o> <urn:x:bulk> .\n")
    assert virtuoso_server.bulk_load(nq, "urn:x:unused") == 1
    assert virtuoso_server.graphs()["urn:x:put"] == 1
    assert virtuoso_server.graphs()["urn:x:bulk"] == 1
    virtuoso_server.clear()
    assert virtuoso_server.graphs() == virtuoso_server.system_graphs
