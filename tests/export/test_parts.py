"""A store's and an endpoint's N-Quads and N-Triples, written by Oxigraph's serializer
(kg.export.parts.graph_lines), are byte for byte what kg's own writers make of the same quads:
every escape, language tags, datatypes, IRIs beyond ASCII, a triple stated in two graphs; a
blank node takes the general path."""

from __future__ import annotations

import io

import pytest
from rdflib import URIRef

from kg.backends.oxigraph import StoreBackend
from kg.backends.bulk import load_store
from kg.backends.endpoint import EndpointBackend
from kg.backends.push import push
from kg.export.parts import graph_quads, graph_lines
from kg.export.rdf import write_nquads, write_ntriples
from kg.rdf.terms import ExportData, iri_ref, quote_short

G1, G2 = "https://example.org/graph/one", "https://example.org/graph/two"
#: Every character N-Triples escapes one way or another, and some it must not escape.
AWKWARD = ["\x00", "\x07", "\b", "\t", "\n", "\x0b", "\f", "\r", "\x1f", "\x7f", "\x80", "é", "\u2028",
           "\ufeff", "\U0001F600", '"', "\\", "<>", " . ", " .\n", "^^"]


def _nquads() -> str:
    lines = []
    for i, ch in enumerate(AWKWARD):
        text = quote_short(f"a{ch}b")
        lines.append(f"<https://example.org/s/{i}> <https://example.org/p> {text} <{G1}> .")
        lines.append(f"<https://example.org/s/{i}> <https://example.org/p> {text}@en-GB <{G2}> .")
    lines += [
        f"{iri_ref('https://example.org/s/é')} <https://example.org/p> \"8.50\"^^<http://www.w3.org/2001/XMLSchema#decimal> <{G1}> .",
        f"<https://example.org/s/x> <https://example.org/p> \"x\"^^<http://www.w3.org/2001/XMLSchema#string> <{G1}> .",
        f"<https://example.org/s/x> <https://example.org/p> \"x\" <{G2}> .",  # the same triple in both graphs
        f"<https://example.org/s/y> <https://example.org/p> \"2024-05\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> <{G2}> .",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    folder = tmp_path_factory.mktemp("awkward")
    source = folder / "awkward.nq"
    source.write_text(_nquads(), encoding="utf-8")
    load_store(folder / "store", [str(source)])
    return StoreBackend(folder / "store")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """The same quads on a real server of the module's own (kg push)."""
    from tests.servers.oxigraph import start_server, stop_server_process

    folder = tmp_path_factory.mktemp("awkward-server")
    source = folder / "awkward.nq"
    source.write_text(_nquads(), encoding="utf-8")
    server = start_server(folder / "store", folder / "server.log")
    push(server.query_url, [str(source)], timeout=30)
    yield EndpointBackend(server.query_url, timeout=30)
    stop_server_process(server.process)


def _graphs():
    return [URIRef(G2), URIRef(G1)]


@pytest.mark.parametrize("with_graph, writer", [(True, write_nquads), (False, write_ntriples)], ids=["nquads", "nt"])
def test_oxigraph_lines_equal_kg_writer(backend, with_graph, writer):
    found = graph_lines(backend, _graphs(), with_graph=with_graph)
    assert found is not None
    lines, triples, quads, graphs = found
    data = ExportData.from_quads(graph_quads(backend, _graphs()))
    expected = io.BytesIO()
    writer(data, expected)
    assert b"".join(line + b"\n" for line in lines) == expected.getvalue()
    assert quads == len(data.quads) == 2 * len(AWKWARD) + 4
    assert triples == len(data.merged) == quads - 1  # one triple is in both graphs
    assert graphs == 2
    assert len(lines) == (quads if with_graph else triples)  # N-Triples: each triple once


@pytest.mark.parametrize("with_graph", [True, False], ids=["nquads", "nt"])
def test_endpoint_lines_equal_the_store_lines(backend, endpoint, with_graph):
    """The endpoint's CONSTRUCT answers, parsed and written again by pyoxigraph: the store's lines."""
    assert graph_lines(endpoint, _graphs(), with_graph) == graph_lines(backend, _graphs(), with_graph) is not None


def test_one_graph_and_no_graph(backend):
    one = graph_lines(backend, [URIRef(G1)], with_graph=True)
    assert one is not None and one[3] == 1 and all(line.endswith(f"<{G1}> .".encode()) for line in one[0])
    assert graph_lines(backend, [], with_graph=True) == ([], 0, 0, 0)


def test_a_blank_node_takes_the_general_path(tmp_path):
    for i, obj in enumerate(("_:b0", '"looks like _:b0"')):
        source = tmp_path / f"blank{i}.nq"
        source.write_text(f"<https://example.org/s> <https://example.org/p> {obj} <{G1}> .\n", encoding="utf-8")
        load_store(tmp_path / f"store{i}", [str(source)])
        assert graph_lines(StoreBackend(tmp_path / f"store{i}"), [URIRef(G1)], with_graph=True) is None

