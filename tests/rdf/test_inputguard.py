from __future__ import annotations

import http.server
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.rdf.inputguard import invalid_iris, rdflib_diagnostics, check_jsonld
from kg.safety import network_guard
from kg.rdf.loading import load_files

BASE = "file:///data/doc.jsonld"


def _doc(context: object) -> str:
    return json.dumps({"@context": context, "@id": "http://example.org/a", "name": "x"}, indent=1)


@pytest.mark.parametrize(
    "context,ref,where",
    [
        ("http://example.org/context.jsonld", "http://example.org/context.jsonld", "remote"),
        (["https://example.org/a.jsonld", {"ex": "http://example.org/"}], "https://example.org/a.jsonld", "remote"),
        ({"@version": 1.1, "@import": "https://example.org/base.jsonld"}, "https://example.org/base.jsonld", "remote"),
        ({"knows": {"@id": "http://example.org/knows", "@context": "http://example.org/scoped.jsonld"}}, "http://example.org/scoped.jsonld", "remote"),
        ("file:///etc/passwd", "file:///etc/passwd", "local"),
        ("context.jsonld", "context.jsonld", "local"),
        ("../../etc/hostname", "../../etc/hostname", "local"),
    ],
    ids=["remote", "remote-in-list", "import", "scoped", "file-url", "relative", "relative-up"],
)
def test_external_contexts_are_refused_under_the_guard(context: object, ref: str, where: str):
    text = _doc(context)
    with network_guard(), pytest.raises(InputError) as info:
        check_jsonld("doc.jsonld", text, BASE)
    message = str(info.value)
    _name, line, col, _rest = message.split(":", 3)
    assert text.splitlines()[int(line) - 1][int(col) - 1 :].startswith(json.dumps(ref)), "the position points at the reference"
    assert f"{ref!r}" in message
    if where == "remote":
        assert "would be fetched from the network" in message and "--allow-network" in message
    else:
        assert "would read another document (file:///" in message and "put the context inline" in message


def test_local_contexts_are_refused_even_when_the_network_is_allowed():
    with network_guard(allow=True), pytest.raises(InputError, match="would read another document"):
        check_jsonld("doc.jsonld", _doc("file:///etc/passwd"), BASE)


def test_remote_contexts_pass_the_check_when_the_network_is_allowed():
    # Only the check runs here: nothing is fetched.
    with network_guard(allow=True):
        check_jsonld("doc.jsonld", _doc("http://example.org/context.jsonld"), BASE)


@pytest.mark.parametrize("text,kind", [("1", "int"), ("null", "null"), ('"{"', "str"), ("true", "bool")])
def test_a_json_ld_document_is_an_object_or_an_array(text: str, kind: str):
    with pytest.raises(InputError, match=rf"^doc\.jsonld:1:1: a JSON-LD document is a JSON object or array, not {kind}$"):
        check_jsonld("doc.jsonld", text, BASE)


def test_inline_contexts_pass():
    with network_guard():
        check_jsonld("doc.jsonld", _doc({"name": "http://schema.org/name"}), BASE)
        check_jsonld("doc.jsonld", _doc(None), BASE)


class _ContextHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).requests.append(self.path)
        body = json.dumps({"@context": {"name": "http://schema.org/name"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def context_server() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _ContextHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _ContextHandler.requests = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/context.jsonld"
    finally:
        server.shutdown()
        server.server_close()


def test_a_loopback_context_is_fetched_only_when_the_network_is_allowed(tmp_path: Path, context_server: str):
    """Loopback is no exception: the context is fetched only with --allow-network."""
    f = tmp_path / "doc.jsonld"
    f.write_text(_doc(context_server), encoding="utf-8")
    with network_guard(), pytest.raises(InputError, match=r"would be fetched from the network"):
        load_files([f])
    assert _ContextHandler.requests == []
    with network_guard(allow=True):
        ds = load_files([f])
    assert _ContextHandler.requests == ["/context.jsonld"]
    assert [str(p) for _s, p, _o, _g in ds.quads()] == ["http://schema.org/name"]


def test_loading_a_remote_context_names_the_file_and_sends_nothing(tmp_path: Path):
    f = tmp_path / "doc.jsonld"
    f.write_text(_doc("http://example.org/context.jsonld"), encoding="utf-8")
    with network_guard(), pytest.raises(InputError, match=rf"^{f}:2:\d+: JSON-LD @context 'http://example.org/context.jsonld'"):
        load_files([f])


# --- invalid IRIs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,iri,what,line,col",
    [
        ("@prefix ex: <http://example.org/> .\nex:a ex:b <http://example.org/a b> .\n", "http://example.org/a b", "a space", 2, 12),
        ("<http://example.org/a> <http://example.org/b> <http://example.org/{x}> .\n", "http://example.org/{x}", "'{'", 1, 48),
        ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
         '<rdf:Description rdf:about="http://example.org/a b"><ex:p>x</ex:p></rdf:Description></rdf:RDF>', "http://example.org/a b", "a space", 2, 29),
    ],
    ids=["turtle", "n-triples", "rdf-xml"],
)
def test_invalid_iris_are_input_errors(tmp_path: Path, text: str, iri: str, what: str, line: int, col: int):
    suffix = ".rdf" if text.startswith("<rdf") else ".ttl" if "@prefix" in text else ".nt"
    f = tmp_path / f"bad{suffix}"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_files([f])
    assert str(info.value) == f"{f}:{line}:{col}: invalid IRI <{iri}>: an IRI cannot contain {what}; percent-encode it (a space is %20)"


def test_several_invalid_iris_are_counted(tmp_path: Path):
    f = tmp_path / "bad.ttl"
    f.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b <http://example.org/a b>, <http://example.org/c d>, <http://example.org/e|f> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"invalid IRI <http://example\.org/a b> \(and 2 more\)"):
        load_files([f])


def test_diagnostics_are_collected_not_printed_and_the_logger_is_restored(capfd):
    from rdflib import URIRef

    logger = logging.getLogger("rdflib")
    before = (logger.propagate, list(logger.handlers))
    with rdflib_diagnostics() as logged:
        URIRef("http://example.org/a b")
    assert invalid_iris(logged) == ["http://example.org/a b"]
    assert (logger.propagate, list(logger.handlers)) == before
    assert capfd.readouterr().err == ""
