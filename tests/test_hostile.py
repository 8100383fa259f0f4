"""Hostile and broken input: no network, no hang, no crash, nothing half-written.

The corpus is ``tests/hostile/`` (see its README) plus a few large files generated here. The
tables below say, for each file, the exit code and message ``kg`` must give: DATA for RDF
inputs (``kg stats FILE``, and ``kg stats --strict FILE``), QUERIES for ``kg query -f FILE``,
SHAPES for ``kg validate --shapes FILE``. A representative set of files then goes through
every command that reads RDF input.

Every run happens in a child process (kg.timeout) with a time limit: a hang fails the test
within LIMIT seconds, and a crash of a native parser (a segfault) fails it instead of pytest.
Runs use click's CliRunner inside the child; a few use the installed ``kg`` for real.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.timeout import run_with_timeout

TESTS = Path(__file__).resolve().parent
HOSTILE = TESTS / "hostile"
#: Seconds any one hostile case may take (a real hang is stopped here).
LIMIT = 10.0


@dataclass(frozen=True)
class Expect:
    """What ``kg`` must do with a file: exit code and a regex the message matches right after
    ``Error: FILE``; ``strict_*`` when ``--strict`` differs."""

    code: int
    message: str = ""
    strict_code: int | None = None
    strict_message: str | None = None
    why: str = ""

    def strict(self) -> tuple[int, str]:
        return (self.code if self.strict_code is None else self.strict_code,
                self.message if self.strict_message is None else self.strict_message)


_DTD = r":2: RDF/XML with a DTD or entity declarations is refused \(DTDForbidden\)$"
_DEEP = r": nested too deeply to parse \(recursion limit reached\)$"
_DEEP_STRICT = r":2:\d+: nested more than 256 levels deep; strict parsing refuses deeper nesting"
_NETWORK = r"would be fetched from the network, and kg does not use the network unless asked: put the context inline, or add --allow-network$"
_HALF = r" \(an escape such as \\uD800 that is half of a pair\): not a character, no file can hold it$"
_LOCAL = r"would read another document \(file:///.*\); kg reads only the files you name: put the context inline$"

#: RDF inputs in tests/hostile/, read by ``kg stats``.
DATA: dict[str, Expect] = {
    "bad-langtag.ttl": Expect(1, r":2: bad syntax: Bad language code", strict_message=r":2:15: invalid Turtle \(strict\): A language code should always start with a letter$"),
    "billion-laughs.rdf": Expect(1, _DTD, why="entity expansion bomb: refused before any XML parser expands it"),
    "control-iri.jsonld": Expect(1, r": IRI <http://example\.org/a\\x07> holds U\+0007, a control character no IRI may hold; percent-encode it$"),
    "control-literal.ttl": Expect(0, why="a literal may hold control characters: RDF formats escape them, GraphML and GEXF refuse them"),
    "deep-list.ttl": Expect(1, _DEEP, strict_message=_DEEP_STRICT),
    "deep-nesting.trig": Expect(1, _DEEP, strict_message=_DEEP_STRICT),
    "deep-nesting.ttl": Expect(1, _DEEP, strict_message=_DEEP_STRICT),
    "empty.rdf": Expect(1, r":1:0: no element found$"),
    "empty.ttl": Expect(0),
    "gzipped.ttl": Expect(1, r":1: not UTF-8 text \(byte 0x8b\)$"),
    "ill-typed.ttl": Expect(0, strict_code=1, strict_message=r':3:16: ill-typed literal "twelve"\^\^xsd:integer: not a valid xsd:integer value; fix the value or its datatype$',
                            why="RDF allows ill-typed literals: kg validate (sh:datatype) and --strict refuse them"),
    "import-context.jsonld": Expect(1, r":2:\d+: JSON-LD @import 'https://example.org/base.jsonld' " + _NETWORK),
    "invalid-iri-escape.ttl": Expect(1, r":1:48: invalid IRI <http://example.org/\\u00ZZ11>: an IRI cannot contain a backslash",
                                     strict_message=r":1:\d+: invalid Turtle \(strict\): The escape sequence '\\u00ZZ' is not a valid hexadecimal string$"),
    "invalid-iri-relative.nt": Expect(1, r": bad syntax: Invalid line", strict_message=r":1:1: invalid N-Triples \(strict\): No scheme found in an absolute IRI$"),
    "invalid-iri-space.ttl": Expect(1, r":2:12: invalid IRI <http://example.org/a b>: an IRI cannot contain a space; percent-encode it",
                                    strict_message=r":2:11: invalid Turtle \(strict\): Invalid IRI code point ' '$"),
    "kept-as-written.ttl": Expect(0),
    "latin1.ttl": Expect(1, r":2: not UTF-8 text \(byte 0xe9\)$"),
    "local-context.jsonld": Expect(1, r":2:15: JSON-LD @context 'file:///etc/passwd' " + _LOCAL),
    "lone-surrogate-iri.nt": Expect(1, r": IRI <http://example\.org/a\\ud800> holds U\+D800, a lone surrogate" + _HALF,
                                    strict_message=r":1:22: invalid N-Triples \(strict\): The escape sequence '\\uD800' is encoding D800"),
    "lone-surrogate.jsonld": Expect(1, r': literal "x\\ud800" holds U\+D800, a lone surrogate' + _HALF,
                                    strict_message=r":3:\d+: invalid JSON-LD \(strict\)"),
    "lone-surrogate.nt": Expect(1, r': literal "x\\udc00" holds U\+DC00, a lone surrogate' + _HALF,
                                strict_message=r":1:49: invalid N-Triples \(strict\): The escape sequence '\\uDC00' is encoding DC00"),
    "lone-surrogate.ttl": Expect(1, r': literal "half \\ud800 of a pair" holds U\+D800, a lone surrogate' + _HALF,
                                 strict_message=r":2:17: invalid Turtle \(strict\): The escape sequence '\\uD800' is encoding D800"),
    "nul-byte.nt": Expect(0, why="U+0000 is allowed in an N-Triples string"),
    "nul-iri.nt": Expect(1, r": IRI <http://example\.org/a\\x00> holds U\+0000, a control character no IRI may hold; percent-encode it$",
                         strict_message=r":1:1: invalid N-Triples \(strict\): Invalid IRI code point '\\x00'$"),
    "owl-imports.ttl": Expect(0, why="owl:imports is data: nothing is fetched (the guard would refuse it: exit 1)"),
    "plain.ttl": Expect(0),
    "surrogate-pair.ttl": Expect(1, r': literal ".*" holds U\+D83D, a lone surrogate' + _HALF,
                                 strict_message=r":2:47: invalid Turtle \(strict\): The escape sequence '\\uD83D'",
                                 why="Turtle's \\u escapes a code point, and D83D is none: 😀 is \\U0001F600 (JSON's pairs are fine)"),
    "relative-context.jsonld": Expect(1, r":2:15: JSON-LD @context 'context.jsonld' " + _LOCAL),
    "remote-context.jsonld": Expect(1, r":2:15: JSON-LD @context 'http://example.org/context.jsonld' " + _NETWORK),
    "scoped-context.jsonld": Expect(1, r":2:\d+: JSON-LD @context 'http://example.org/scoped.jsonld' " + _NETWORK),
    "truncated.jsonld": Expect(1, r":3:42: Expecting ',' delimiter$"),
    "truncated.nq": Expect(1, r": bad syntax: Invalid line", strict_message=r":2:47: invalid N-Quads \(strict\): Unexpected end of file$"),
    "truncated.nt": Expect(1, r": bad syntax: Invalid line", strict_message=r":2:47: invalid N-Triples \(strict\): Unexpected end of file$"),
    "truncated.rdf": Expect(1, r":5:0: no element found$"),
    "truncated.trig": Expect(1, r":4: bad syntax: needed '}', found end", strict_message=r":4:1: invalid TriG \(strict\): Unexpected end$"),
    "truncated.ttl": Expect(1, r": bad syntax: Quote expected in string", strict_message=r":3:11: invalid Turtle \(strict\): Unexpected end of file$"),
    "unknown-prefix.ttl": Expect(1, r':2: bad syntax: Prefix "nope:" not bound', strict_message=r":2:11: invalid Turtle \(strict\): The prefix nope: has not been declared$"),
    "unknown-suffix.xyz": Expect(1, r": cannot tell the RDF format from the suffix '\.xyz' \(known: \.json, "),
    "utf16.ttl": Expect(1, r":1: not UTF-8 text \(byte 0xff\)$"),
    "utf8-bom.ttl": Expect(0, why="a UTF-8 byte order mark is skipped"),
    "variable.ttl": Expect(1, r": bad syntax: a \?variable is N3, not Turtle, TriG or N-Triples$", strict_message=r":2:11: invalid Turtle \(strict\): "),
    "wrong-format.rdf": Expect(1, r":1:0: not well-formed \(invalid token\)$"),
    "xxe-file.rdf": Expect(1, _DTD, why="an external entity that would read /etc/passwd"),
    "xxe-http.rdf": Expect(1, _DTD, why="an external DTD that would be fetched"),
}


def _deep_jsonld(path: Path) -> None:
    path.write_text('{"@id": "http://example.org/a", "http://example.org/b": ' + '{"http://example.org/b": ' * 4000 + '"x"' + "}" * 4001, encoding="utf-8")


def _deep_rdfxml(path: Path) -> None:
    path.write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n<rdf:Description>'
                    + "<ex:b><rdf:Description>" * 5000 + "</rdf:Description></ex:b>" * 5000 + "</rdf:Description></rdf:RDF>\n", encoding="utf-8")


def _huge_literal(path: Path) -> None:
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "' + "x" * 17_000_000 + '" .\n', encoding="utf-8")


def _huge_integer(path: Path) -> None:
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "' + "7" * 100_000 + '"^^<http://www.w3.org/2001/XMLSchema#integer> .\n', encoding="utf-8")


def _nested_blank_nodes(path: Path) -> None:
    """48 KB: a chain of 1,000 nested blank nodes, which RDFC-1.0 takes minutes to label."""
    path.write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n<rdf:Description>'
                    + "<ex:b><rdf:Description>" * 1000 + "</rdf:Description></ex:b>" * 1000 + "</rdf:Description></rdf:RDF>\n", encoding="utf-8")


def _huge_bare_integer(path: Path) -> None:
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ' + "7" * 100_000 + " .\n", encoding="utf-8")


_NOT_REGULAR = r": is {}; kg reads only regular files \(save the data to a file first\)$"

#: Files too big to keep in the repository (or that git cannot hold: a FIFO, a symlink to a
#: device, a symlink loop), written into a temporary folder by the function.
GENERATED: dict[str, tuple[Callable[[Path], None], Expect]] = {
    "deep-nesting.jsonld": (_deep_jsonld, Expect(1, r": nested too deeply to parse \(recursion limit reached\)$",
                                                 why="4,000 levels: pyoxigraph 0.5 would overflow its stack (a segfault)")),
    "deep-nesting.rdf": (_deep_rdfxml, Expect(0, strict_code=1, strict_message=r":2:\d+: nested more than 256 levels deep",
                                              why="rdflib reads deep RDF/XML fine; pyoxigraph takes cubic time on it")),
    "dev-zero.ttl": (lambda p: p.symlink_to("/dev/zero"), Expect(1, _NOT_REGULAR.format("a character device"),
                                                                   why="endless: it would be read until memory runs out")),
    "fifo.ttl": (os.mkfifo, Expect(1, _NOT_REGULAR.format(r"a named pipe \(FIFO\)"), why="with no writer, opening it would hang")),
    "huge-integer.ttl": (_huge_integer, Expect(0, why="100,000 digits: Python's int() refuses past 4,300, so nothing may call it")),
    "huge-bare-integer.ttl": (_huge_bare_integer, Expect(1, r': a bare integer of more than 4,300 digits, which rdflib cannot read; quote it: "123\.\.\."\^\^xsd:integer$',
                                                         why="rdflib's Turtle parser calls int() on a bare number")),
    "nested-blank-nodes.rdf": (_nested_blank_nodes, Expect(0, strict_code=1, strict_message=r":2:\d+: nested more than 256 levels deep",
                                                               why="exported with kg's bounded labelling, not RDFC-1.0 (tests below)")),
    "symlink-loop.ttl": (lambda p: p.symlink_to(p), Expect(1, r": cannot read: Too many levels of symbolic links$")),
    "huge-literal.ttl": (_huge_literal, Expect(0, strict_code=1, strict_message=r": a single term is too large for strict parsing",
                                               why="17 MB in one literal: beyond pyoxigraph's 16 MB token buffer")),
}

#: SPARQL queries in tests/hostile/, run by ``kg query -f FILE plain.ttl``.
QUERIES: dict[str, Expect] = {
    "deep-expression.rq": Expect(1, r": nested too deeply to parse \(recursion limit reached\)$"),
    "from-file.rq": Expect(2, r": FROM <file:///etc/passwd> is not a loaded graph; kg reads only files you name"),
    "from-named-remote.rq": Expect(2, r": FROM NAMED <http://example.org/remote-graph\.ttl> is not a loaded graph and kg does not fetch graphs unless asked"),
    "latin1.rq": Expect(1, r": not UTF-8 text"),
    "load.rq": Expect(2, r": this is a SPARQL Update; kg query is read-only"),
    "nested-groups.rq": Expect(1, r": nested too deeply to parse \(recursion limit reached\)$"),
    "service-variable.rq": Expect(2, r": SERVICE .* would query a remote endpoint; kg does not use the network unless asked"),
    "service.rq": Expect(2, r": SERVICE <http://example\.org/sparql> would query a remote endpoint; kg does not use the network unless asked"),
    "truncated.rq": Expect(1, r":3:3: SPARQL syntax error: "),
    "unknown-prefix.rq": Expect(1, r":1:22: unknown prefix 'nope:'; declare it with PREFIX nope: <\.\.\.>"),
    "update.rq": Expect(2, r": this is a SPARQL Update; kg query is read-only"),
}

#: SHACL shapes in tests/hostile/, used by ``kg validate --shapes FILE plain.ttl``.
SHAPES: dict[str, Expect] = {
    "from-file-shapes.ttl": Expect(1, r": cannot use these shapes: .*FROM <file:///etc/passwd> is not a loaded graph; kg reads only files you name", why="FROM <file:///etc/passwd> in a SHACL-SPARQL constraint: rdflib would read the file; refused on the parsed query, on either engine"),
    "imports-shapes.ttl": Expect(0, why="owl:imports in shapes: pyshacl is never asked to follow it"),
    "service-shapes.ttl": Expect(1, r": cannot use these shapes: A SPARQL Constraint must not contain a federated query \(SERVICE\)"),
}

#: (table, file) -> why kg does not yet do what the table says (strict xfails: fix, then remove).
KNOWN: dict[tuple[str, str], str] = {
}


def _known(table: str, name: str) -> list:
    reason = KNOWN.get((table, name))
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


# --- running kg ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    crash: str | None  # an exception other than SystemExit that escaped the command
    seconds: float


def _invoke(args: list[str]) -> tuple[int, str, str, str | None]:
    import faulthandler

    from click.testing import CliRunner

    from kg.cli import main

    faulthandler.disable()  # a native crash here is reported by kg.timeout, not dumped by pytest

    result = CliRunner().invoke(main, args)
    exc = result.exception
    crash = None if exc is None or isinstance(exc, SystemExit) else f"{type(exc).__name__}: {exc}"
    return result.exit_code, result.stdout, result.stderr, crash


#: Commands whose work opens an Oxigraph (RocksDB) store: never forked from a process that
#: has other threads (an earlier test's store leaves RocksDB's thread pool running).
NATIVE_STORE_COMMANDS = {"load", "push"}


def kg(*args: str | Path) -> Outcome:
    """Run ``kg ARGS`` in a child process, within LIMIT seconds.

    The child is forked (fast) unless the command uses a native store: then kg.timeout picks
    ``spawn`` when this process has other threads."""
    started = time.monotonic()
    method = None if args[0] in NATIVE_STORE_COMMANDS else "fork"
    code, out, err, crash = run_with_timeout(_invoke, [str(a) for a in args], seconds=LIMIT,
                                             label=f"kg {args[0]}", method=method)
    return Outcome(code, out, err, crash, time.monotonic() - started)


def assert_outcome(outcome: Outcome, path: Path, code: int, message: str) -> None:
    assert outcome.crash is None, outcome.crash
    assert "Traceback" not in outcome.stderr
    assert outcome.code == code, outcome.stderr
    assert outcome.seconds < LIMIT
    if code == 0:  # nothing on stderr but a warning line per ill-typed literal kept as text
        warnings = [w for w in outcome.stderr.splitlines() if w.startswith("Warning: ill-typed literal ")]
        assert outcome.stderr == "".join(f"{w}\n" for w in warnings)
        return
    assert outcome.stdout == ""
    assert outcome.stderr.endswith("\n") and outcome.stderr.count("\n") == 1, "one line"
    assert re.match(rf"^Error: {re.escape(str(path))}{message}", outcome.stderr.rstrip("\n")), outcome.stderr


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-generated")
    for name, (make, _expect) in GENERATED.items():
        make(folder / name)
    return folder


def test_the_tables_cover_the_corpus_exactly():
    on_disk = sorted(p.name for p in HOSTILE.iterdir() if p.name != "README.md")
    assert on_disk, "the corpus is empty"
    assert on_disk == sorted([*DATA, *QUERIES, *SHAPES])
    assert {name for _table, name in KNOWN} <= {*DATA, *QUERIES, *SHAPES, *GENERATED}


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("name", sorted(DATA))
def test_data_file(name: str, strict: bool):
    path = HOSTILE / name
    code, message = DATA[name].strict() if strict else (DATA[name].code, DATA[name].message)
    outcome = kg("stats", *(["--strict"] if strict else []), "--format", "json", path)
    assert_outcome(outcome, path, code, message)


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_file(generated: Path, name: str, strict: bool):
    path = generated / name
    expect = GENERATED[name][1]
    code, message = expect.strict() if strict else (expect.code, expect.message)
    outcome = kg("stats", *(["--strict"] if strict else []), "--format", "json", path)
    assert_outcome(outcome, path, code, message)


@pytest.mark.parametrize("name", [pytest.param(n, marks=_known("query", n)) for n in sorted(QUERIES)])
def test_query_file(name: str):
    path = HOSTILE / name
    outcome = kg("query", "-f", path, HOSTILE / "plain.ttl")
    expect = QUERIES[name]
    assert_outcome(outcome, path, expect.code, expect.message)


@pytest.mark.parametrize("name", [pytest.param(n, marks=_known("shapes", n)) for n in sorted(SHAPES)])
@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_shapes_file(name: str, engine: str):
    path = HOSTILE / name
    outcome = kg("validate", "--engine", engine, "--shapes", path, HOSTILE / "plain.ttl")
    expect = SHAPES[name]
    assert "root:" not in outcome.stdout + outcome.stderr, "the content of /etc/passwd leaked"
    assert_outcome(outcome, path, expect.code, expect.message)


def test_literals_are_kept_as_written(tmp_path: Path):
    from rdflib import Literal

    from kg.rdf.loading import load_files

    ds = load_files([HOSTILE / "kept-as-written.ttl"])
    lexical = sorted(str(o) for o in ds.objects() if isinstance(o, Literal))
    assert lexical == ["012", "1", "1.50"]


def test_a_parameter_cannot_inject_sparql():
    query = "PREFIX ex: <http://example.org/> SELECT ?x WHERE { ?x ex:name ?name . FILTER(?name = ?wanted) }"
    control = kg("query", query, "-p", "wanted=a", "--format", "csv", HOSTILE / "plain.ttl")
    assert (control.code, control.stdout.split()) == (0, ["x", "http://example.org/a"]), control.stderr
    injected = kg("query", query, "-p", 'wanted=a") || true || ("', "--format", "csv", HOSTILE / "plain.ttl")
    assert (injected.code, injected.stdout.split()) == (0, ["x"]), injected.stderr


def test_a_long_line_is_read_by_oxigraph(tmp_path: Path):
    """rdflib's N-Triples parser is quadratic in the length of a line (2 MB: 42 s; 20 MB: hours):
    kg reads lines past 64 KB with Oxigraph, keeping what rdflib keeps: blank nodes shared with
    the other lines, an explicit xsd:string, a language tag. (A hang fails within LIMIT.)"""
    path = tmp_path / "long-lines.nt"
    long = "y" * 4_000_000
    path.write_text(
        '<http://example.org/a> <http://example.org/b> _:b1 .\n'
        f'_:b1 <http://example.org/c> "{long}"^^<http://www.w3.org/2001/XMLSchema#string> .\n'
        f'_:b1 <http://example.org/d> "{long}"@en .\n'
        f'<http://example.org/a> <http://example.org/e> "{long}" .\n', encoding="utf-8")
    outcome = kg("export", "-f", "nt", path)
    assert (outcome.code, outcome.stderr) == (0, "")
    lines = outcome.stdout.splitlines()
    assert [line.replace(long, "Y") for line in lines] == [
        '<http://example.org/a> <http://example.org/b> _:c14n0 .',
        '<http://example.org/a> <http://example.org/e> "Y" .',
        '_:c14n0 <http://example.org/c> "Y"^^<http://www.w3.org/2001/XMLSchema#string> .',
        '_:c14n0 <http://example.org/d> "Y"@en .',
    ]


def test_a_long_line_with_an_error_names_its_line(tmp_path: Path):
    path = tmp_path / "long-bad.nq"
    path.write_text('<http://example.org/a> <http://example.org/b> "x" .\n<http://example.org/a> <http://example.org/b> "' + "y" * 100_000 + ' .\n',
                    encoding="utf-8")
    outcome = kg("stats", path)
    assert_outcome(outcome, path, 1, r":2:\d+: bad syntax: ")


# --- every command that reads RDF input ----------------------------------------------------

#: Files every command must refuse with exit 1 and one line naming the file.
MATRIX = ["truncated.ttl", "billion-laughs.rdf", "remote-context.jsonld", "local-context.jsonld",
          "deep-nesting.ttl", "invalid-iri-space.ttl", "utf16.ttl", "deep-nesting.jsonld",
          "lone-surrogate.ttl", "lone-surrogate.jsonld", "nul-iri.nt", "fifo.ttl", "dev-zero.ttl", "symlink-loop.ttl"]

#: command -> its arguments around an input FILE, with OUT a scratch folder.
COMMANDS: dict[str, Callable[[Path, Path], list[str | Path]]] = {
    "centrality": lambda f, out: ["centrality", "--html", out / "report.html", f],
    "check-article": lambda f, out: ["check-article", f],
    "conflicts": lambda f, out: ["conflicts", f],
    "describe": lambda f, out: ["describe", "anything", f],
    "draft": lambda f, out: ["draft", HOSTILE / "README.md", f, "-o", out / "draft.trig", "--id", "5"],  # f: names
    "export": lambda f, out: ["export", "-f", "nt", "-o", out / "export.nt", f],
    "load": lambda f, out: ["load", "--store", out / "store", f],
    "push": lambda f, out: ["push", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "2", f],
    "query": lambda f, out: ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", f, "-o", out / "rows.csv", "--format", "csv"],
    "stats": lambda f, out: ["stats", f],
    "validate": lambda f, out: ["validate", f],
    "why": lambda f, out: ["why", "anything", f],
}
#: (command, file) -> why it fails today (strict xfails: fix, then remove).
KNOWN_MATRIX: dict[tuple[str, str], str] = {}
#: (command, file) pairs left out: the file is valid for that command's parser.
NOT_HOSTILE_FOR = {
    ("load", "deep-nesting.ttl"),  # valid Turtle; pyoxigraph (kg load) reads any depth, rdflib gives up near 200
    ("push", "deep-nesting.ttl"),
}


def _input_commands() -> list[str]:
    """The commands of ``kg`` with an ``inputs`` or ``file`` argument (they read RDF files)."""
    import click

    from kg.cli import COMMANDS as REGISTERED
    from kg.cli import main

    ctx = click.Context(main)
    found = []
    for name in sorted(REGISTERED):
        command = main.get_command(ctx, name)
        if command is not None and any(isinstance(p, click.Argument) and p.name in ("inputs", "file") for p in command.params):
            found.append(name)
    return found


def test_every_input_command_is_in_the_matrix():
    found = _input_commands()
    assert found, "no command reads input?"
    assert sorted(found) == sorted(COMMANDS), "add the new command to COMMANDS (or remove a gone one)"


def _matrix_params() -> list:
    return [
        pytest.param(command, name, id=f"{command}-{name}",
                     marks=[pytest.mark.xfail(reason=KNOWN_MATRIX[(command, name)], strict=True)] if (command, name) in KNOWN_MATRIX else [])
        for command in sorted(COMMANDS) for name in MATRIX if (command, name) not in NOT_HOSTILE_FOR
    ]


@pytest.mark.parametrize("command,name", _matrix_params())
def test_every_command_refuses_hostile_input(tmp_path: Path, generated: Path, command: str, name: str):
    path = generated / name if name in GENERATED else HOSTILE / name
    out = tmp_path / "out"
    out.mkdir()
    outcome = kg(*COMMANDS[command](path, out))
    assert outcome.crash is None, outcome.crash
    assert "Traceback" not in outcome.stderr
    assert outcome.code == 1, outcome.stderr
    assert outcome.stdout == ""
    assert outcome.stderr.startswith("Error: ") and outcome.stderr.count("\n") == 1, outcome.stderr
    assert path.name in outcome.stderr
    leftovers = sorted(str(p.relative_to(out)) for p in out.rglob("*") if not (p == out / "store" or out / "store" in p.parents))
    assert leftovers == [], "nothing is written for a run that failed"


# --- no crash on any damage -------------------------------------------------------------

SEEDS = {
    ".ttl": '@prefix ex: <http://example.org/> .\nex:a ex:b "x"@en, 1, ( ex:c ) ; ex:d [ ex:e "y"^^ex:t ] .\n',
    ".trig": '@prefix ex: <http://example.org/> .\nex:g { ex:a ex:b "x" ; ex:c _:b1 . _:b1 ex:d 1.5 . }\n',
    ".nt": '<http://example.org/a> <http://example.org/b> "x\\n"@en .\n_:b1 <http://example.org/c> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    ".jsonld": '{"@context": {"ex": "http://example.org/"}, "@graph": [{"@id": "ex:a", "ex:b": [{"@value": "x", "@language": "en"}, {"@list": [1, 2]}]}]}',
    ".rdf": '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
            '<rdf:Description rdf:about="http://example.org/a"><ex:b xml:lang="en">x</ex:b><ex:c rdf:parseType="Resource"><ex:d>1</ex:d></ex:c></rdf:Description>\n</rdf:RDF>\n',
}
_PIECES = ['"', "'", "<", ">", "{", "}", "[", "]", "(", ")", ".", ";", ",", "@", "^^", "_:", "\\", "\\u", "#", ":", '"""',
           "\n", "\x00", "&", "<!", '"@id"', '"@context"', '"@value"', '"@graph"', '"@list"', '"@reverse"',
           '"@base"', "null", "{}", "[]", "5", "?x", "1", "-", "true", "a"]


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, str]:
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    text = SEEDS[suffix]
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["insert", "delete", "truncate"]))
        if how == "insert":
            text = text[:pos] + draw(st.sampled_from(_PIECES)) + text[pos:]
        elif how == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)):]
        else:
            text = text[:pos]
    return suffix, text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=damaged(), strict=st.booleans())
def test_damaged_files_load_or_give_one_input_error(tmp_path: Path, case: tuple[str, str], strict: bool):
    """Whatever the damage, loading gives a dataset or a one-line InputError naming the file:
    never another exception (rdflib's parsers raise IndexError, AssertionError, AttributeError...)."""
    from kg.errors import InputError
    from kg.safety import network_guard
    from kg.rdf.loading import load_files

    suffix, text = case
    path = tmp_path / f"damaged{suffix}"
    path.write_text(text, encoding="utf-8")
    with network_guard():
        try:
            load_files([path], strict=strict)
        except InputError as exc:
            assert str(exc).startswith(str(path)) and "\n" not in str(exc)


# --- a few real processes ------------------------------------------------------------------


@pytest.mark.parametrize("args,code,fragment", [
    (["stats", "tests/hostile/billion-laughs.rdf"], 1, "RDF/XML with a DTD or entity declarations is refused"),
    (["stats", "--strict", "tests/hostile/remote-context.jsonld"], 1, "would be fetched from the network"),
    (["query", "-f", "tests/hostile/from-file.rq", "tests/hostile/plain.ttl"], 2, "FROM <file:///etc/passwd> is not a loaded graph"),
], ids=["billion-laughs", "remote-context", "from-file"])
def test_installed_kg(run_kg, args: list[str], code: int, fragment: str):
    proc = run_kg(*args, timeout=LIMIT * 3)
    assert proc.returncode == code
    assert proc.stdout == ""
    assert proc.stderr.startswith("Error: ") and proc.stderr.count("\n") == 1
    assert fragment in proc.stderr


def test_installed_kg_survives_json_ld_that_crashes_pyoxigraph(run_kg, generated: Path):
    proc = run_kg("stats", "--strict", str(generated / "deep-nesting.jsonld"), timeout=LIMIT * 3)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("Error: ") and "nested too deeply" in proc.stderr


# --- valid but awkward data through every export format ---------------------------------

EXPORT_FORMATS = ["turtle", "nt", "nquads", "trig", "jsonld", "xml", "graphml", "gexf", "csv"]
#: (file, format) -> the message of a refusal; every other pair must export.
REFUSED_EXPORTS = {
    ("control-literal.ttl", "graphml"): r"GraphML cannot carry U\+0007 \(a control character, which XML 1\.0 forbids even escaped\) in the ns_name of http://example\.org/a",
    ("control-literal.ttl", "gexf"): r"GEXF cannot carry U\+0007 \(a control character, which XML 1\.0 forbids even escaped\) in the ns_name of http://example\.org/a",
    ("control-literal.ttl", "xml"): r"RDF/XML cannot hold the character U\+0007",
}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("name", ["control-literal.ttl", "huge-integer.ttl", "nested-blank-nodes.rdf"])
def test_awkward_values_export_or_are_refused_in_one_line(tmp_path: Path, generated: Path, name: str, fmt: str):
    path = generated / name if name in GENERATED else HOSTILE / name
    out = tmp_path / ("csv" if fmt == "csv" else f"out.{fmt}")
    outcome = kg("export", "-f", fmt, "-o", out, path)
    assert outcome.crash is None, outcome.crash
    refused = REFUSED_EXPORTS.get((name, fmt))
    if refused is None:
        assert outcome.code == 0, outcome.stderr
        if fmt in ("turtle", "nt", "nquads", "trig", "jsonld"):
            reread = kg("stats", "--format", "json", out)
            assert reread.code == 0, reread.stderr
        return
    assert outcome.code == 1, outcome.stderr
    assert outcome.stderr.count("\n") == 1 and re.match(rf"^Error: {refused}", outcome.stderr), outcome.stderr
    assert list(tmp_path.iterdir()) == [], "nothing is written for a refused export"


def test_nested_blank_nodes_export_the_same_bytes_on_every_hash_seed(run_kg, generated: Path):
    outputs = {run_kg("export", "-f", "nt", str(generated / "nested-blank-nodes.rdf"), env={"PYTHONHASHSEED": seed}, timeout=LIMIT * 6).stdout
               for seed in ("0", "1")}
    assert len(outputs) == 1
    (out,) = outputs
    assert out.count("\n") == 1000 and "_:h999 " in out


@pytest.mark.parametrize("backend", ["memory", "store"])
def test_an_argument_that_is_not_utf8_is_one_line(tmp_path: Path, backend: str):
    """Python reads such bytes as lone surrogates (U+DCFF), which no parser or store accepts."""
    import subprocess

    from tests.conftest import kg_executable

    extra: list[str | bytes] = []
    if backend == "store":
        store = tmp_path / "store"
        assert subprocess.run([*kg_executable(), "load", "--store", str(store), str(HOSTILE / "plain.ttl")],
                              capture_output=True, check=False).returncode == 0
        extra = ["--store", str(store)]
    else:
        extra = [str(HOSTILE / "plain.ttl")]
    proc = subprocess.run([*kg_executable(), "query", b'SELECT * WHERE { ?s ?p "\xff" }', *extra], capture_output=True,
                          check=False, timeout=LIMIT * 6)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode in (0, 1), err
    assert "Traceback" not in err and err.count("\n") <= 1, err
    if proc.returncode == 1:
        assert err == "Error: the text 'CT * WHERE { ?s ?p \"\\udcff\" }' holds \\udcff, which is not a character (an argument or a name that is not UTF-8?)\n"
