"""The injection corpus (tests/security/corpus.py) on every backend and every SHACL engine,
through the CLI, with a loopback listener that must see no connection.

Item by item (issue 17, section 1): queries refused on their parsed form, however spelled
(memory, ``--store``, ``--endpoint``); parameters bound as terms, never as text; shapes whose
SPARQL, targets, paths or prefixes carry SPARQL (``--engine pyshacl`` and ``fast``, memory and
store); JSON-LD contexts never fetched or read, for every command that reads input.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.cli import main
from kg.rdf.sparql_guard import UnsafeTerm, check_query, nt_iri, nt_literal
from tests.security.corpus import JSONLD, PARAMS, QUERIES, SHAPES, Case
from tests.security.listener import Listener

BACKENDS = ("memory", "store", "endpoint")
ENGINES = ("pyshacl", "fast")


@pytest.fixture(scope="module")
def listener():
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory, listener):
    """A tiny data file, a secret a query must not read, and a store loaded from the data."""
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("security")
    data = folder / "data.ttl"
    data.write_text(
        "@prefix ex: <http://example.org/> .\nex:x a ex:C ; ex:p \"v\" ; ex:a \"w\" .\n", encoding="utf-8"
    )
    secret = folder / "secret.ttl"
    secret.write_text("<http://example.org/s> <http://example.org/p> 'SECRET' .\n", encoding="utf-8")
    store = folder / "store"
    result = CliRunner().invoke(main, ["load", "--store", str(store), str(data)])
    assert result.exit_code == 0, result.output
    return {"folder": folder, "data": data, "secret": secret, "store": store}


def fill(text: str, listener: Listener, files: dict) -> str:
    return text.replace("{url}", listener.url).replace("{secret}", str(files["secret"]))


def where(backend: str, files: dict, server=None) -> list[str]:
    """The arguments that point a command at ``backend`` (memory: the data file as input)."""
    if backend == "store":
        return ["--store", str(files["store"])]
    if backend == "endpoint":
        return ["--endpoint", server.query_url]
    return [str(files["data"])]


def assert_outcome(result, case_code: int, error: str, listener: Listener) -> None:
    assert listener.connections == [], f"the listener saw {listener.connections}"
    assert result.exit_code == case_code, (result.exit_code, result.stdout, result.stderr)
    assert "SECRET" not in result.output
    if case_code:
        assert result.stdout == ""
        assert result.stderr.startswith("Error: "), result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert re.search(error, result.stderr), result.stderr


@pytest.fixture
def endpoint_if(request):
    """The Oxigraph server, for the endpoint backend only (started once per session)."""
    return request.getfixturevalue("oxigraph_server") if "endpoint" in request.node.callspec.id else None


def test_the_corpus_is_not_empty():
    assert QUERIES and PARAMS and SHAPES and JSONLD


def test_the_listener_sees_what_connects(listener):
    """The listener is not blind: a connection is recorded (so 'no connection' can fail)."""
    try:
        urllib.request.urlopen(listener.url, timeout=5).read()
    except OSError:
        pass  # it closes without answering
    assert len(listener.connections) == 1
    listener.connections.clear()


# --- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", QUERIES, ids=[c.id for c in QUERIES])
@pytest.mark.parametrize("backend", BACKENDS)
def test_query_corpus(runner, listener, files, endpoint_if, backend, case: Case):
    args = ["query", fill(case.text, listener, files), *where(backend, files, endpoint_if)]
    assert_outcome(runner.invoke(main, args), case.code, case.error, listener)


@pytest.mark.parametrize("case", QUERIES, ids=[c.id for c in QUERIES])
def test_query_corpus_on_the_parsed_check(listener, files, case: Case):
    """The one check (kg.rdf.sparql_guard.check_query) on its own, without the CLI."""
    from kg.errors import KgError

    text = fill(case.text, listener, files)
    if case.code == 0:
        check_query(text, graphs=lambda: ())
        return
    with pytest.raises(KgError, match=case.error) as info:
        check_query(text, graphs=lambda: ())
    assert info.value.exit_code == case.code


# --- parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", PARAMS, ids=[c.id for c in PARAMS])
@pytest.mark.parametrize("backend", BACKENDS)
def test_param_corpus(runner, listener, files, endpoint_if, backend, case):
    args = ["query", case.query, *where(backend, files, endpoint_if)]
    for pair in case.params:
        args += ["-p", fill(pair, listener, files)]
    assert_outcome(runner.invoke(main, args), case.code, case.error, listener)


@pytest.mark.parametrize("backend", ("memory", "store"))  # (the session's server holds other tests' data)
def test_params_stay_values(runner, files, backend):
    """A hostile string is bound as the string it is: it matches the literal that holds it."""
    args = ["query", "SELECT ?s WHERE { ?s ?p ?v FILTER(?v = ?a) }", *where(backend, files), "--format", "csv"]
    assert runner.invoke(main, [*args, "-p", "a=v"]).stdout.splitlines()[1:] == ["http://example.org/x"]
    assert runner.invoke(main, [*args, "-p", 'a=v" || true || "']).stdout.splitlines()[1:] == []


HOSTILE_TEXTS = ['a"b', "a'b", "a\\b", "a\nb\r\tc", '"""', "'''", "a>b}{", "\x00\x01\x7f", "é中\U0001F600", "\\n"]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_the_strict_writer_round_trips_literals(text):
    """What nt_literal writes, a strict N-Triples parser reads back as the same string."""
    import pyoxigraph as ox

    line = f"<http://example.org/s> <http://example.org/p> {nt_literal(Literal(text))} .\n"
    [quad] = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert quad.object.value == text


@pytest.mark.parametrize("char", list('<>"{}|^`\\ ') + ["\n", "\x00", "\x1f"])
def test_the_strict_writer_refuses_what_iriref_forbids(char):
    with pytest.raises(UnsafeTerm):
        nt_iri(f"http://example.org/a{char}b")
    assert nt_iri("http://example.org/a") == "<http://example.org/a>"


def test_the_strict_writer_refuses_escapes_sparql_would_read():
    with pytest.raises(UnsafeTerm, match="u escape"):
        nt_literal(Literal("\\u0022"))
    bad_tag = Literal("x", lang="en")
    object.__setattr__(bad_tag, "_language", "en } SERVICE")  # (rdflib refuses it when asked)
    with pytest.raises(UnsafeTerm, match="language tag"):
        nt_literal(bad_tag)
    assert nt_literal(Literal("x", datatype=URIRef("http://example.org/d"))) == '"x"^^<http://example.org/d>'


# --- shapes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", SHAPES, ids=[c.id for c in SHAPES])
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("engine", ENGINES)
def test_shapes_corpus(runner, listener, files, tmp_path, endpoint_if, engine, backend, case: Case):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(fill(case.text, listener, files), encoding="utf-8")
    args = ["validate", "--engine", engine, "--shapes", str(shapes), *where(backend, files, endpoint_if)]
    assert_outcome(runner.invoke(main, args), case.code, case.error, listener)


# --- JSON-LD contexts ------------------------------------------------------------------------

COMMANDS = {
    "validate": ["validate"],
    "export": ["export", "--format", "nt", "-o", "{out}"],
    "query": ["query", "ASK {}"],
    "stats": ["stats"],
    "check-article": ["check-article"],
    "load": ["load", "--store", "{out}"],
}


@pytest.mark.parametrize("case", JSONLD, ids=[c.id for c in JSONLD])
@pytest.mark.parametrize("command", COMMANDS)
def test_jsonld_contexts_are_never_fetched(runner, listener, files, tmp_path, command, case: Case):
    document = tmp_path / "doc.jsonld"
    document.write_text(fill(case.text, listener, files), encoding="utf-8")
    (tmp_path / "secret.jsonld").write_text(json.dumps({"@context": {"SECRET": "http://example.org/"}}), encoding="utf-8")
    args = [a.replace("{out}", str(tmp_path / "out")) for a in COMMANDS[command]] + [str(document)]
    result = runner.invoke(main, args)
    # kg load reads with pyoxigraph, which has no way to fetch a context at all: its own words
    error = "" if command == "load" else case.error
    assert_outcome(result, case.code, error, listener)
    assert not (tmp_path / "out").exists() or command == "load"


def test_an_allowed_network_does_fetch_the_context(runner, listener, files, tmp_path):
    """The control: with --allow-network the same document does reach the listener (so the
    refusals above are the guard's doing, not a listener nobody could reach)."""
    document = tmp_path / "doc.jsonld"
    document.write_text(fill(JSONLD[0].text, listener, files), encoding="utf-8")
    result = runner.invoke(main, ["--allow-network", "export", "--format", "nt", str(document)])
    assert result.exit_code == 1  # the listener answers nothing
    assert result.stderr.count("\n") == 1 and "could not be fetched" in result.stderr
    assert listener.connections
    listener.connections.clear()


# --- real subprocesses -----------------------------------------------------------------------


def test_subprocess_query_on_a_store(run_kg, listener, files):
    case = next(c for c in QUERIES if c.id == "escaped-quote-in-name")
    proc = run_kg("query", "--store", str(files["store"]), fill(case.text, listener, files))
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.startswith("Error: query: SERVICE <") and proc.stderr.count("\n") == 1
    assert listener.connections == []


@pytest.mark.parametrize("engine", ENGINES)
def test_subprocess_validate_with_hostile_shapes(run_kg, listener, files, tmp_path, engine):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(fill(SHAPES[0].text, listener, files), encoding="utf-8")
    proc = run_kg("validate", "--engine", engine, "--store", str(files["store"]), "--shapes", str(shapes))
    assert (proc.returncode, proc.stdout) == (1, "")
    assert re.search(SHAPES[0].error, proc.stderr) and proc.stderr.count("\n") == 1
    assert listener.connections == []


def test_subprocess_jsonld_import(run_kg, listener, files, tmp_path):
    document = tmp_path / "doc.jsonld"
    document.write_text(fill(next(c for c in JSONLD if c.id == "import").text, listener, files), encoding="utf-8")
    proc = run_kg("export", "--format", "nt", str(document))
    assert (proc.returncode, proc.stdout) == (1, "")
    assert "@import" in proc.stderr and proc.stderr.count("\n") == 1
    assert listener.connections == []


# --- the audit hook --------------------------------------------------------------------------


def test_the_audit_hook_survives_interpreter_exit(tmp_path):
    """At exit, module globals are cleared while audit hooks still run: the hook must not raise
    ("Exception ignored in audit hook"). Simulated here by clearing kg.safety's globals, as
    finalisation does, then raising the events the hook looks at."""
    code = (
        "import socket, tempfile, kg.safety as s\n"
        "s.install(); s._state['guard'] = True  # (as inside network_guard)\n"
        "for k in list(vars(s)):\n"
        "    if not k.startswith('__'): setattr(s, k, None)\n"
        "socket.getaddrinfo('localhost', 9)\n"
        "tempfile.TemporaryDirectory().cleanup()\n"
        "try:\n"
        "    socket.getaddrinfo('192.0.2.1', 9)\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Exception ignored" not in proc.stderr and "TypeError" not in proc.stderr
    assert proc.stdout.strip() == "NetworkBlockedError"  # still guarding


@pytest.mark.parametrize("case", QUERIES, ids=[c.id for c in QUERIES])
def test_strict_syntax_check_never_connects(listener, files, case: Case):
    """kg.rdf.strict.check_query runs the query on an empty pyoxigraph store (SERVICE spelled
    GRAPH first): however the corpus spells SERVICE, pyoxigraph never calls the listener."""
    from kg.errors import KgError
    from kg.rdf.strict import check_query as strict_check

    try:
        strict_check(fill(case.text, listener, files))
    except KgError:
        pass  # refused or invalid: either way, nothing was called
    assert listener.connections == []
