"""A SPARQL endpoint may answer anything: no row to a COUNT, one column where two were asked,
an unbound value. Every command that reads an endpoint stops with one line naming it, never a
traceback. The server here is real (HTTP on 127.0.0.1) and answers by the rules of each test."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from kg.backends.endpoint import projected_variables
from tests.test_hostile import kg


def _zero_rows(query: str) -> dict:
    """The columns the query asks for, and no row (an empty store that cannot COUNT)."""
    return {"head": {"vars": projected_variables(query) or ["s"]}, "results": {"bindings": []}}


def _one_column(query: str) -> dict:
    return {"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": "http://example.org/g"}}]}}


def _unbound(query: str) -> dict:
    """The columns asked for, one row with every value unbound."""
    return {"head": {"vars": projected_variables(query) or ["s"]}, "results": {"bindings": [{}]}}


ANSWERS = {"zero-rows": _zero_rows, "one-column": _one_column, "unbound": _unbound}
#: Answers that never end: "silent" says nothing, "trickle" sends a byte a second (each read
#: then stays within any per-answer timeout: only a total limit stops it).
SLOW = {"silent": None, "trickle": b" "}


@pytest.fixture(scope="module")
def odd_endpoint() -> Iterator[tuple[str, dict]]:
    rule = {"answer": _zero_rows}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # the http.server API
            form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8", "replace"))
            if rule["answer"] in SLOW:
                return self._slow(SLOW[rule["answer"]])
            body = json.dumps(rule["answer"](form.get("query", [""])[0])).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_PUT = do_POST  # the Graph Store Protocol's PUT, for kg push

        def _slow(self, byte: bytes | None) -> None:
            if byte is not None:
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
            for _ in range(600):
                time.sleep(1)
                if byte is not None:
                    try:
                        self.wfile.write(byte)
                        self.wfile.flush()
                    except OSError:
                        return

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query", rule
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


COMMANDS = {
    "stats": ["stats"],
    "validate": ["validate"],
    "validate-fast": ["validate", "--engine", "fast"],
    "conflicts": ["conflicts"],
    "describe": ["describe", "place:china"],
    "centrality": ["centrality"],
}
#: (answer, command) pairs that read as an empty graph: any exit code, at most one line.
FINE = {("zero-rows", "stats"), ("zero-rows", "validate-fast"), ("zero-rows", "centrality"), ("zero-rows", "describe"),
        ("unbound", "centrality"), ("unbound", "describe")}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_an_odd_answer_is_one_line(odd_endpoint: tuple[str, dict], answer: str, command: str):
    url, rule = odd_endpoint
    rule["answer"] = ANSWERS[answer]
    outcome = kg(*COMMANDS[command], "--endpoint", url)
    assert outcome.crash is None, outcome.crash
    assert "Traceback" not in outcome.stderr
    if (answer, command) in FINE:
        assert outcome.code in (0, 1, 2, 3), outcome.stderr
        assert outcome.stderr.count("\n") <= 1, outcome.stderr
        return
    assert outcome.code == 1, outcome.stderr
    assert outcome.stderr.startswith("Error: ") and outcome.stderr.count("\n") == 1, outcome.stderr
    assert url in outcome.stderr or "SPARQL endpoint" in outcome.stderr, outcome.stderr


@pytest.mark.parametrize("query,variables", [
    ("SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c }", ["a", "n"]),
    ("select distinct ?x?y{?x ?p ?y}", ["x", "y"]),
    ("SELECT * WHERE { ?s ?p ?o }", None),
    ("SELECT (EXISTS { ?s ?p ?o } AS ?e) ?f FROM <http://g/> WHERE {}", ["e", "f"]),
    ("ASK { ?s ?p ?o }", None),
    ('# SELECT ?z\nSELECT ("?x" AS ?y) {}', ["y"]),
])
def test_projected_variables(query: str, variables: list[str] | None):
    assert projected_variables(query) == variables


@pytest.mark.parametrize("args", [["stats"], ["export", "-f", "nt"], ["centrality"], ["query", "SELECT * WHERE { ?s ?p ?o }"]],
                         ids=lambda a: a[0])
@pytest.mark.parametrize("answer", sorted(SLOW))
def test_a_slow_server_is_stopped_by_the_total_timeout(run_kg, odd_endpoint: tuple[str, dict], answer: str, args: list[str]):
    url, rule = odd_endpoint
    rule["answer"] = answer
    proc = run_kg(*args, "--endpoint", url, "--timeout", "2", timeout=60)
    assert (proc.returncode, proc.stdout) == (1, ""), proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert re.match(r"^Error: .*(stopped after 2 s, the time limit|no answer within 2 s)", proc.stderr), proc.stderr


def test_push_has_a_total_timeout(run_kg, odd_endpoint: tuple[str, dict]):
    url, rule = odd_endpoint
    rule["answer"] = "trickle"
    proc = run_kg("push", "--endpoint", url, "--graph-store", url, "--timeout", "30", "--total-timeout", "2",
                  "tests/hostile/plain.ttl", timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines()[-1].endswith(
        "stopped after 2 s, the time limit for the whole command; give more time with --total-timeout SECONDS (0: no limit)"), proc.stderr


def test_an_endpoint_command_has_a_total_timeout_by_default():
    """stats and export take no time limit in memory; on an endpoint they get one."""
    import click
    from click.testing import CliRunner

    from kg.cli.backend_options import DEFAULT_ENDPOINT_TIMEOUT, backend_options

    @click.command()
    @backend_options(timeout=0.0)
    def probe(store, endpoint, timeout, backend):
        click.echo(f"{timeout:g}")

    runner = CliRunner()
    assert runner.invoke(probe, []).output == "0\n"
    assert runner.invoke(probe, ["--endpoint", "http://127.0.0.1:9/q"]).output == f"{DEFAULT_ENDPOINT_TIMEOUT:g}\n"
    assert runner.invoke(probe, ["--endpoint", "http://127.0.0.1:9/q", "--timeout", "0"]).output == "0\n"
