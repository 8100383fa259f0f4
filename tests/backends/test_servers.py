"""The SPARQL servers people already run: Oxigraph and OpenLink Virtuoso, each holding a graph
that is not kg's, loaded with ``kg push`` (Virtuoso: with credentials, digest auth), give the
in-memory answers to every named query, stats, validate, export, centrality, describe, why and
conflicts; the foreign graph (and Virtuoso's system graphs) are untouched and unseen at the end,
``push --replace`` included."""

from __future__ import annotations

import functools
import io
import json
import re
import shutil
import tempfile
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from rdflib import XSD, BNode, URIRef

from kg.backends.credentials import PASSWORD_ENV
from kg.backends.endpoint import EndpointBackend
from kg.backends.own import MANIFEST, MERGE
from kg.backends.sparql_results import blank_label, read_xml
from kg.cli import main
from kg.errors import InputError
from kg.query.library import discover
from tests.backends.support import bindings, example_args, project_snapshot
from tests.servers.virtuoso import start_server, stop_server_process

ROOT = Path(__file__).resolve().parents[2]
NAMED = discover()
SERVERS = ("oxigraph", "virtuoso")
FOREIGN = "http://example.org/foreign/graph"
#: Someone else's data, made to change kg's answers if it were seen: a firm in Baotou, a graph
#: that calls itself an article graph, a triple also in kg's data.
FOREIGN_TRIPLES = """\
<http://example.org/foreign/firm> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kg/ont#Firm> .
<http://example.org/foreign/firm> <http://www.w3.org/2000/01/rdf-schema#label> "Foreign Firm" .
<http://example.org/foreign/firm> <https://w3id.org/kg/ont#locatedIn> <https://w3id.org/kg/id/place/baotou> .
<http://example.org/foreign/graph> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kg/ont#ArticleGraph> .
<https://w3id.org/kg/id/place/baotou> <http://www.w3.org/2000/01/rdf-schema#label> "Baotou (foreign)" .
"""


def kg(runner, *args: str, expect: int = 0, env: dict[str, str] | None = None):
    timeout = ["--timeout", "60"] if args[0] == "push" else ["--timeout", "0"]
    result = runner.invoke(main, [*args, *timeout], env=env)
    assert result.exit_code == expect, result.output
    return result


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A snapshot of the project's data (others edit it while tests run), used as KG_HOME."""
    home = project_snapshot(tmp_path_factory.mktemp("kg-home"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_HOME", str(home))
        mp.delenv(PASSWORD_ENV, raising=False)
        yield home


def _oxigraph_graph(server, graph: str | None) -> bytes:
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    request = urllib.request.Request(f"{server.store_url}?{query}", headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=30) as r:
        return b"".join(sorted(r.read().splitlines(keepends=True)))


def _virtuoso_graph(server, graph: str) -> str:
    return server.isql(f"SPARQL SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o;")


class Server:
    """One server for these tests: the CLI options that reach it, and what is not kg's on it."""

    def __init__(self, name, server, options, push_options, env):
        self.name, self.server, self.options, self.push_options, self.env = name, server, options, push_options, env

    def foreign(self) -> object:
        """Everything on the server that is not kg's, as it stands."""
        if self.name == "oxigraph":
            return _oxigraph_graph(self.server, FOREIGN), _oxigraph_graph(self.server, None)
        graphs = self.server.graphs()
        kept = {g: n for g, n in graphs.items() if g in self.server.system_graphs or g == FOREIGN}
        return kept, _virtuoso_graph(self.server, FOREIGN)


def _fill_oxigraph(server) -> None:
    server.clear()
    for graph in (FOREIGN, None):  # a foreign named graph, and the same triples in the default graph
        query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
        request = urllib.request.Request(
            f"{server.store_url}?{query}", data=FOREIGN_TRIPLES.encode(), method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        urllib.request.urlopen(request, timeout=30).read()


def _fill_virtuoso(server, folder: Path) -> None:
    server.clear()
    _fill_virtuoso_foreign(server, folder)


def _fill_virtuoso_foreign(server, folder: Path) -> None:
    source = folder / "foreign.nt"
    source.write_text(FOREIGN_TRIPLES)
    assert server.bulk_load(source, FOREIGN) == 5


@pytest.fixture(scope="module")
def servers(home, oxigraph_server, virtuoso_server, tmp_path_factory):
    """Both servers with a foreign graph, then the project pushed by the CLI (Virtuoso with
    credentials); the foreign graphs' state before the push, for the end."""
    from click.testing import CliRunner

    runner = CliRunner()
    _fill_oxigraph(oxigraph_server)
    _fill_virtuoso(virtuoso_server, tmp_path_factory.mktemp("foreign"))
    found = {
        "oxigraph": Server("oxigraph", oxigraph_server, ["--endpoint", oxigraph_server.query_url], [], None),
        "virtuoso": Server(
            "virtuoso", virtuoso_server, ["--endpoint", virtuoso_server.sparql_url],
            ["--graph-store", virtuoso_server.store_url, "--user", virtuoso_server.user],
            {PASSWORD_ENV: virtuoso_server.password},
        ),
    }
    before = {name: s.foreign() for name, s in found.items()}
    for s in found.values():
        result = kg(runner, "push", *s.options, *s.push_options, env=s.env)
        assert virtuoso_server.password not in result.output
    yield found
    for name, s in found.items():
        assert s.foreign() == before[name], f"{name}: a graph that is not kg's changed"


@functools.cache
def canonical_export() -> str:
    """The memory path's N-Quads with literals in the canonical form a store keeps."""
    from kg.backends.oxigraph_terms import canonical
    from kg.export.rdf import write_nquads
    from kg.rdf.loading import load_project
    from kg.rdf.containment import is_derived
    from kg.rdf.terms import ExportData, dataset_quads

    out = io.BytesIO()  # (the derived graph is exported only when asked: --with-derived)
    quads = ((s, p, canonical(o), g) for s, p, o, g in dataset_quads(load_project()) if not is_derived(g))
    write_nquads(ExportData.from_quads(quads), out)
    return out.getvalue().decode("utf-8")


@functools.cache
def memory(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, [*args, "--timeout", "0"])
    return result.exit_code, result.stdout


def _cases():
    for name in SERVERS:
        for named in NAMED:
            yield pytest.param(name, named, id=f"{name}-{named.name}")


# ------------------------------------------------------------------ every named query


@pytest.mark.parametrize(("name", "named"), list(_cases()))
def test_named_query_same_answers(runner, servers, name, named):
    args = ("query", named.name, *example_args(named), "--format", "json")
    code, expected = memory(*args)
    assert code == 0
    got = runner.invoke(main, [*args, "--timeout", "0", *servers[name].options])
    assert got.exit_code == 0, got.output
    columns, rows = bindings(expected)
    assert rows, f"{named.name} finds nothing in the project's data: the comparison proves little"
    assert bindings(got.stdout)[0] == columns
    if "ORDER BY" in named.text.upper().rsplit("}", 1)[-1]:
        assert bindings(got.stdout)[1] == rows
    else:
        assert Counter(bindings(got.stdout)[1]) == Counter(rows)


# ------------------------------------------------------------------ the other commands

COMMANDS = {
    "stats": ["stats", "--format", "json"],
    "validate": ["validate", "--format", "json"],
    "export-nquads": ["export", "--format", "nquads"],
    "export-reference": ["export", "--format", "nt", "--include", "reference"],
    "export-graphml": ["export", "--format", "graphml"],
    "centrality": ["centrality", "--measure", "degree,pagerank", "--top", "10", "--format", "json"],
    "describe": ["describe", "Baotou Equipment Manufacturing Industrial Park", "--format", "json"],
    "describe-baotou": ["describe", "Baotou", "--format", "markdown"],
    "why": ["why", "Baotou Equipment Park", "--measure", "output value", "--year", "2021", "--format", "json"],
    "why-firm": ["why", "First Machinery Group"],
    "conflicts": ["conflicts", "--format", "json"],
    "query-foreign": ["query", "SELECT ?x ?l WHERE { ?x rdfs:label ?l FILTER(CONTAINS(STR(?l), 'Baotou') || CONTAINS(STR(?l), 'Foreign')) }", "--format", "tsv"],
    "query-graphs": ["query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "tsv"],
}


@pytest.mark.parametrize("name", SERVERS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_commands_same_answers(runner, servers, name, command):
    args = COMMANDS[command]
    code, expected = memory(*args)
    if command == "export-nquads":  # literals as the servers (and kg's store) keep them: 8.0 is 8
        expected = canonical_export()
    elif command == "validate":  # the same in the messages, which memory writes from its terms
        expected = re.sub(r"(\d)\.0\)", r"\1)", expected)
    got = runner.invoke(main, [*args, "--timeout", "0", *servers[name].options])
    assert got.exit_code == code, got.output
    assert expected.strip(), f"{command} says nothing in memory: the comparison proves little"
    if args[-1] == "json" or args[-2:] == ["--format", "json"]:
        assert json.loads(got.stdout) == json.loads(expected)
    else:
        assert got.stdout == expected
    assert not any(mark in got.stdout for mark in ("example.org/foreign", "Foreign Firm", "(foreign)"))


def test_kgs_own_graphs_only(servers):
    """kg counts, lists and reads its own graphs: not the foreign one, not Virtuoso's system
    graphs, not its own manifest and merge."""
    expected = None
    for name, s in servers.items():
        backend = EndpointBackend(s.options[1], timeout=30)
        own = backend.own_graphs()
        assert own.source == "manifest" and own.default == (MERGE,)
        graphs = [str(g) for g in backend.named_graphs()]
        assert FOREIGN not in graphs and MANIFEST not in graphs and MERGE not in graphs
        assert not any(g in graphs for g in getattr(s.server, "system_graphs", {}))
        assert graphs == sorted(own.named)
        answer = (graphs, backend.count())
        assert expected is None or answer == expected, name
        expected = answer


# ------------------------------------------------------------------ push --replace, credentials


def test_push_replace_keeps_what_is_not_kgs(runner, servers, home, tmp_path):
    """A second push with --replace (a small file only), then the project again: the graphs kg
    wrote go, the foreign ones stay (checked again by the fixture at the end)."""
    nt = tmp_path / "one.nt"
    nt.write_text(
        '_:b1 <http://example.org/d> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
        '_:b1 <http://example.org/t> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n'
        '_:b1 <http://example.org/x> "1000.0"^^<http://www.w3.org/2001/XMLSchema#double> .\n'
        '_:b1 <http://example.org/w> "2017-12-11T10:00:00+00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n'
        "<http://example.org/a> <http://example.org/b> _:b1 .\n"
    )
    text = """SELECT ?a ?b ?d ?t ?x ?w WHERE { ?a <http://example.org/b> ?b .
        ?b <http://example.org/d> ?d ; <http://example.org/t> ?t ; <http://example.org/x> ?x ; <http://example.org/w> ?w }"""
    for s in servers.values():
        before = s.foreign()
        kg(runner, "push", "--replace", *s.options, *s.push_options, str(nt), env=s.env)
        backend = EndpointBackend(s.options[1], timeout=30)
        assert [str(g) for g in backend.named_graphs()] == [nt.resolve().as_uri()]
        assert backend.count() == 5
        (row,) = backend.query(text).rows  # a blank node (Virtuoso: nodeID://...), values as Oxigraph spells them
        assert isinstance(row[1], BNode)
        assert [(str(v), v.datatype) for v in row[2:]] == [
            ("1.5", XSD.decimal), ("true", XSD.boolean), ("1000", XSD.double), ("2017-12-11T10:00:00Z", XSD.dateTime)
        ]
        exported = kg(runner, "export", "--format", "nquads", *s.options).stdout
        assert exported.count("\n") == 5 and "_:" in exported
        graph = backend.graph_ntriples(URIRef(nt.resolve().as_uri())).decode()  # a CONSTRUCT's N-Triples
        for spelled in ('"1.5"^^', '"true"^^', '"1000"^^', '"2017-12-11T10:00:00Z"^^'):
            assert spelled in exported and spelled in graph, (s.name, spelled)
        assert s.foreign() == before
        result = kg(runner, "push", "--replace", *s.options, *s.push_options, env=s.env)
        assert s.foreign() == before
        assert "pushed " in result.stderr
    stats = {name: kg(runner, "stats", "--format", "json", *s.options).stdout for name, s in servers.items()}
    assert json.loads(stats["oxigraph"]) == json.loads(stats["virtuoso"]) == json.loads(memory("stats", "--format", "json")[1])


def test_virtuoso_push_needs_its_credentials(runner, servers, tmp_path):
    v = servers["virtuoso"]
    nt = tmp_path / "one.nt"
    nt.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    no_password = runner.invoke(main, ["push", *v.options, *v.push_options, str(nt)], env={PASSWORD_ENV: None, "HOME": str(tmp_path)})
    assert no_password.exit_code == 2
    assert no_password.stderr == (
        f"Error: --user dba: no password; set it in the environment variable {PASSWORD_ENV} or in ~/.netrc "
        "(machine 127.0.0.1 login dba password ...)\n"
    )
    wrong = runner.invoke(main, ["push", *v.options, *v.push_options, str(nt)], env={PASSWORD_ENV: "wrong" + v.server.password})
    assert wrong.exit_code == 1
    assert "HTTP 401" in wrong.stderr and wrong.stderr.count("\n") == 1
    assert v.server.password not in wrong.output
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login dba password {v.server.password}\n")
    netrc.chmod(0o600)
    with_netrc = runner.invoke(
        main, ["push", *v.options, *v.push_options, str(nt)], env={PASSWORD_ENV: None, "HOME": str(tmp_path)}
    )
    assert with_netrc.exit_code == 0, with_netrc.output
    assert v.server.password not in with_netrc.output
    assert nt.resolve().as_uri() in [str(g) for g in EndpointBackend(v.options[1]).named_graphs()]
    anonymous = runner.invoke(  # no --user: no credentials, ~/.netrc unread
        main, ["push", *v.options, "--graph-store", v.server.store_url, str(nt)], env={PASSWORD_ENV: None, "HOME": str(tmp_path)}
    )
    assert anonymous.exit_code == 1 and "HTTP 401" in anonymous.stderr
    kg(runner, "push", "--replace", *v.options, *v.push_options, env=v.env)  # the project again


# ------------------------------------------------------------------ answers of any standard server


def test_blank_labels():
    assert blank_label("nodeID://b10006") == "b10006"  # as Virtuoso writes it _:b10006 in N-Triples
    assert blank_label("b1") == "b1"
    assert blank_label("a b") == "x" + b"a b".hex()


def test_results_reader_reads_standard_xml():
    import io

    doc = b"""<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>
    <variable name="b"/><variable name="t"/><variable name="u"/></head><results><result>
    <binding name="b"><bnode>nodeID://b1</bnode></binding>
    <binding name="t"><literal datatype="http://www.w3.org/2001/XMLSchema#boolean">1</literal></binding>
    </result></results></sparql>"""
    solutions = read_xml(io.BytesIO(doc), "http://x/sparql")
    rows = list(solutions)
    assert [v.value for v in solutions.variables] == ["b", "t", "u"]
    assert rows[0]["b"].value == "b1" and rows[0]["t"].value == "true" and rows[0]["u"] is None
    with pytest.raises(InputError, match=r"^http://x/sparql: the endpoint's answer \(application/sparql-results\+xml\) is malformed: "):
        read_xml(io.BytesIO(b"<html/>"), "http://x/sparql")
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><sparql xmlns="http://www.w3.org/2005/sparql-results#"><boolean>&b;</boolean></sparql>'
    with pytest.raises(InputError, match="malformed"):
        read_xml(io.BytesIO(bomb), "http://x/sparql")


# ------------------------------------------------------------------ a server that cuts its answers


@pytest.fixture(scope="module")
def small_virtuoso(home, servers):
    """A second private Virtuoso that answers at most 100 rows, with the project pushed."""
    from click.testing import CliRunner

    root = Path(tempfile.mkdtemp(prefix="kg-virtuoso-small-"))
    try:
        server = start_server(root, max_rows=100)
    except RuntimeError as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"cannot start the Virtuoso server: {exc}", pytrace=False)
    try:
        kg(CliRunner(), "push", "--endpoint", server.sparql_url, "--graph-store", server.store_url,
           "--user", server.user, env={PASSWORD_ENV: server.password})
        yield server
    finally:
        stop_server_process(server.process)
        shutil.rmtree(root, ignore_errors=True)


CUT_COMMANDS = [
    ["export", "--format", "nquads"],
    ["stats", "--format", "json"],
    ["validate", "--format", "json"],
    ["centrality", "--format", "json"],
    ["describe", "Baotou"],
    ["why", "First Machinery Group"],
    ["conflicts", "--format", "json"],
    ["query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--format", "tsv"],
    ["query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o", "--format", "tsv"],
    ["query", "industries", "--format", "tsv"],
]


@pytest.mark.parametrize("args", CUT_COMMANDS, ids=[" ".join(a[:2]) for a in CUT_COMMANDS])
def test_a_cut_answer_is_read_in_pages(runner, small_virtuoso, args):
    """A server that answers 100 rows at most (and says so) gives the whole answers: kg reads
    them again in pages (each of these commands asks at least one query of more than 100 rows:
    without pages, each was the one-line error below)."""
    code, expected = memory(*args)
    got = runner.invoke(main, [*args, "--timeout", "0", "--endpoint", small_virtuoso.sparql_url])
    assert got.exit_code == code, got.output
    if args[:3] == ["export", "--format", "nquads"]:
        expected = canonical_export()
    elif args[0] == "validate":
        expected = re.sub(r"(\d)\.0\)", r"\1)", expected)
    if args[-1] == "json":
        assert json.loads(got.stdout) == json.loads(expected)
    elif "ORDER BY" in args[1]:  # (SPARQL leaves the order of literals in different languages open)
        assert sorted(got.stdout.splitlines()) == sorted(expected.splitlines())
        assert got.stdout.splitlines()[0] == expected.splitlines()[0]
    else:
        assert got.stdout == expected
    assert expected.strip()


def test_a_cut_answer_in_an_order_only_the_server_gives_is_an_error(runner, small_virtuoso):
    text = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY STRLEN(STR(?o))"
    cut = runner.invoke(main, ["query", text, "--timeout", "0", "--endpoint", small_virtuoso.sparql_url])
    assert cut.exit_code == 1 and cut.stdout == ""
    assert cut.stderr == (
        f"Error: {small_virtuoso.sparql_url}: the endpoint cut its answer at 100 rows (X-SPARQL-MaxRows): add LIMIT "
        "and OFFSET to read it in pages, or raise the server's limit (Virtuoso: ResultSetMaxRows in the [SPARQL] "
        "section of virtuoso.ini)\n"
    )
    few = runner.invoke(main, ["query", "SELECT ?s WHERE { ?s a kg:Article }", "--timeout", "0", "--endpoint", small_virtuoso.sparql_url])
    assert few.exit_code == 0 and few.stdout == memory("query", "SELECT ?s WHERE { ?s a kg:Article }")[1]


def test_a_construct_the_server_may_have_cut_is_an_error(runner, small_virtuoso):
    """Virtuoso cuts a CONSTRUCT at its row limit without a word: an answer of at least that
    many triples is an error, a smaller one is memory's."""
    where = ["--timeout", "0", "--endpoint", small_virtuoso.sparql_url]
    cut = runner.invoke(main, ["query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", *where])
    assert cut.exit_code == 1 and cut.stdout == ""
    assert re.fullmatch(
        rf"Error: {small_virtuoso.sparql_url}: the endpoint answers at most 100 rows \(X-SPARQL-MaxRows\) and its "
        r"answer holds \d+ triples: it may be cut; raise the server's limit \(Virtuoso: ResultSetMaxRows in the "
        r"\[SPARQL\] section of virtuoso.ini\)\n",
        cut.stderr,
    ), cut.stderr
    text = "CONSTRUCT { ?c kg:locatedIn ?p } WHERE { ?c a kg:PrefectureLevelCity ; kg:locatedIn ?p }"
    small = runner.invoke(main, ["query", text, "--format", "nt", *where])
    assert small.exit_code == 0, small.output
    assert small.stdout == memory("query", text, "--format", "nt")[1] != ""


def test_a_cut_answer_is_read_whole_where_kg_reads_everything(small_virtuoso):
    """The quads (SELECT, X-SPARQL-MaxRows) and the default graph's triples (CONSTRUCT, cut
    without a word) come whole from a server that answers 500 rows at most."""
    backend = EndpointBackend(small_virtuoso.sparql_url, timeout=60)
    quads = list(backend.quads())
    from kg.rdf.loading import load_project

    assert len(quads) == len(set(quads)) == backend.count() == len(list(load_project().quads()))
    assert len(backend.named_graphs()) == len({g for *_, g in load_project().quads()})


def test_validate_fast_engine_on_virtuoso(runner, small_virtuoso):
    """kg validate's fast engine runs the SHACL-SPARQL constraints on the server: one that
    Virtuoso cannot compile (SP031) sends the validation to memory, with the same report."""
    args = ["validate", "--format", "json", "--engine", "fast"]
    code, expected = memory(*args)
    got = runner.invoke(main, [*args, "--timeout", "0", "--endpoint", small_virtuoso.sparql_url])
    assert got.exit_code == code, got.output
    assert json.loads(got.stdout) == json.loads(re.sub(r"(\d)\.0\)", r"\1)", expected))


def test_the_default_graph_comes_whole_from_a_cut_server(small_virtuoso, tmp_path):
    """The triples of the default graph (one CONSTRUCT, which Virtuoso cuts without a word at
    its row limit) are counted and read again in pages."""
    from kg.rdf.loading import load_project

    expected = {(s, p, o) for s, p, o, _ in load_project().quads()}
    target = tmp_path / "merge.nt"
    EndpointBackend(small_virtuoso.sparql_url, timeout=60).write_ntriples("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", target)
    lines = target.read_text().splitlines()
    assert len(lines) == len(set(lines)) == len(expected) > 100


def test_data_loaded_by_other_means_is_read_through_its_typed_graphs(runner, servers, tmp_path):
    """Virtuoso's bulk loader writes no manifest: kg reads the graphs that declare themselves
    kg's (article and reference graphs, the ontology), never the foreign one that calls itself an
    article graph... which it then cannot tell apart: so the foreign graph is typed only on
    Oxigraph here, and Virtuoso's test graph is the project alone."""
    v = servers["virtuoso"]
    backend = EndpointBackend(v.options[1], timeout=30)
    kg_graphs = backend.own_graphs().written
    for graph in kg_graphs:
        v.server.drop_graph(graph)
    v.server.drop_graph(FOREIGN)
    try:
        export = tmp_path / "kg.nq"
        export.write_text(canonical_export())
        v.server.bulk_load(export, "urn:unused")
        fresh = EndpointBackend(v.options[1], timeout=30)
        own = fresh.own_graphs()
        assert own.source == "typed" and own.written == ()
        assert [str(g) for g in fresh.named_graphs()] == sorted(own.named)
        for args in (["stats", "--format", "json"], ["query", "articles", "--format", "json"]):
            got = runner.invoke(main, [*args, "--timeout", "0", *v.options])
            assert got.exit_code == 0, got.output
            answer, expected = json.loads(got.stdout), json.loads(memory(*args)[1])
            if args[0] == "stats":  # (the export loaded holds no derived graph: kg export leaves it out)
                answer.pop("derived"), expected.pop("derived")
            assert answer == expected
    finally:
        _fill_virtuoso_foreign(v.server, tmp_path)
        kg(runner, "push", *v.options, *v.push_options, env=v.env)
