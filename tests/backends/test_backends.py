"""The four backends (memory, pyoxigraph in memory, on-disk store, a real SPARQL server) give
the same answers, and every way of failing is one line naming what failed."""

from __future__ import annotations

import shlex
import socket
from collections import Counter
from pathlib import Path

import pytest
from tests.conftest import five_articles_home
from tests.servers.oxigraph import free_port, start_server, stop_server_process
from rdflib import BNode, Literal, URIRef
from rdflib.compare import to_isomorphic

from kg.backends.base import open_backend
from kg.backends.memory import MemoryBackend
from kg.backends.oxigraph import StoreBackend
from kg.backends.oxigraph_memory import OxigraphMemoryBackend
from kg.backends.bulk import load_store
from kg.backends.push import push
from kg.cli import main
from kg.backends.endpoint import EndpointBackend
from kg.errors import InputError, QueryError, UsageError
from kg.query.library import bind_params, discover
from kg.namespaces import PREFIXES
from kg.backends.oxigraph_terms import read_whole, sort_solutions, to_rdflib
from kg.rdf.sparql_guard import bind_values
from kg.rdf.sparql_text import query_is_ordered, select_columns, split_order, with_prefixes
from kg.rdf.loading import load_project

ROOT = Path(__file__).resolve().parents[2]
KG = "https://w3id.org/kg/ont#"
BAOTOU = URIRef("https://w3id.org/kg/id/place/baotou")

#: Queries over the project's data whose answers every backend must share.
QUERIES = {
    "triples-per-graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "instances-per-class": "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class",
    "triples-in-merge": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "labels": "SELECT ?x ?label WHERE { ?x skos:prefLabel ?label }",
    "places-in-china": "SELECT ?place ?label WHERE { ?place kg:locatedIn+ place:china ; rdfs:label ?label }",
    "measurements": """SELECT ?m ?measure ?value ?unit ?period WHERE {
        ?m a kg:Measurement ; kg:measure ?measure ; kg:value ?value ; kg:unit ?unit ; kg:period ?period }""",
    "parks-optional-firms": """SELECT ?park (COUNT(DISTINCT ?firm) AS ?firms) WHERE {
        ?park a kg:IndustrialPark . OPTIONAL { ?firm a kg:Firm ; kg:locatedIn ?park } } GROUP BY ?park""",
    "ordered-labels": "SELECT DISTINCT ?label WHERE { ?x a kg:Article ; rdfs:label ?label } ORDER BY ?label",
    "ask-true": "ASK { ?x a kg:Article }",
    "ask-false": "ASK { ?x a kg:NoSuchClass }",
    "construct-containment": "CONSTRUCT { ?c kg:locatedIn ?p } WHERE { ?c a kg:PrefectureLevelCity ; kg:locatedIn ?p }",
    "describe-baotou": "DESCRIBE place:baotou",
}
NAMED = discover()
#: The backends compared with memory.
OTHERS = ("oxigraph-memory", "store", "endpoint")


def test_named_queries_are_found():
    assert NAMED, "no named queries under queries/"


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    """A snapshot of the five articles' project (tests/conftest.py), used as KG_HOME."""
    home = five_articles_home(tmp_path_factory.mktemp("kg-home"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def backends(project_copy, oxigraph_server, tmp_path_factory):
    """The project's graph in memory (rdflib, pyoxigraph), in an on-disk store and on a real server."""
    store_dir = tmp_path_factory.mktemp("store") / "kg"
    load_store(store_dir)
    oxigraph_server.clear()
    push(oxigraph_server.query_url, timeout=30)
    found = {
        "memory": MemoryBackend(load_project()),
        "oxigraph-memory": OxigraphMemoryBackend.from_files(None),
        "store": StoreBackend(store_dir),
        "endpoint": EndpointBackend(oxigraph_server.query_url, timeout=30),
    }
    yield found
    found["store"].close()


def answer(result):
    """What must be equal across backends: a boolean, a canonical graph, or columns + rows as a multiset."""
    if result.kind == "ASK":
        return result.boolean
    if result.graph is not None:
        return to_isomorphic(result.graph)
    rows = Counter(tuple("_:" if isinstance(c, BNode) else c for c in row) for row in result.rows)
    return result.columns, rows


def example_params(named, memory):
    """The parameters of a named query's first ``#+ example:`` line, as rdflib terms."""
    given: dict[str, str] = {}
    if named.header.examples:
        words = shlex.split(named.header.examples[0])
        for flag, value in zip(words, words[1:], strict=False):
            if flag == "--param":
                key, _, raw = value.partition("=")
                given[key] = raw
    return bind_params(memory.ds, named.header, given)


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("other", OTHERS)
def test_same_answers(backends, name, other):
    text = QUERIES[name]
    expected = backends["memory"].query(text)
    got = backends[other].query(text)
    assert got.kind == expected.kind
    assert answer(got) == answer(expected)
    if expected.kind == "SELECT":
        assert expected.rows, (
            f"{name} finds nothing in the project's data: the comparison proves little"
        )
        assert got.ordered == expected.ordered
        if expected.ordered:
            assert got.rows == expected.rows


@pytest.mark.parametrize("named", NAMED, ids=[q.name for q in NAMED])
@pytest.mark.parametrize("other", OTHERS)
def test_named_query_same_answers(backends, named, other):
    memory = backends["memory"]
    params = example_params(named, memory)
    expected = memory.query(named.text, params=params, source=named.name)
    got = backends[other].query(named.text, params=params, source=named.name)
    assert got.kind == expected.kind
    assert answer(got) == answer(expected)


def test_params_bind_like_memory(backends):
    text = "SELECT ?label WHERE { ?x skos:prefLabel ?label }"
    rows = {name: b.query(text, params={"x": BAOTOU}).rows for name, b in backends.items()}
    assert rows["memory"] == [(Literal("Baotou", lang="en"),)]
    assert rows["store"] == rows["memory"] == rows["endpoint"]


def test_graphs_quads_and_counts_agree(backends):
    memory = backends["memory"]
    graphs = memory.named_graphs()
    assert URIRef("https://w3id.org/kg/graph/ontology") in graphs
    quads = set(memory.quads())
    assert len(quads) == memory.count() > 0
    for other in OTHERS:
        b = backends[other]
        assert b.named_graphs() == graphs
        assert b.count() == memory.count()
        assert set(b.quads()) == quads
        typed = set(
            b.quads(
                p=URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                o=URIRef(KG + "Article"),
            )
        )
        assert typed == set(
            memory.quads(
                p=URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                o=URIRef(KG + "Article"),
            )
        )
        assert typed


def test_dataset_of_a_store_holds_the_named_graphs(backends):
    ds = backends["store"].dataset()
    assert set(MemoryBackend(ds).quads()) == set(backends["memory"].quads())


# ------------------------------------------------------------------ the helpers the backends share


def test_bind_values_goes_into_the_where_group():
    text = "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }"
    assert bind_values(text, {"x": BAOTOU}) == (
        "CONSTRUCT { ?x ?p ?o } WHERE { VALUES (?x) { (<https://w3id.org/kg/id/place/baotou>) }  ?x ?p ?o }"
    )
    with pytest.raises(UsageError, match="no WHERE group"):
        bind_values("DESCRIBE <http://example.org/x>", {"x": BAOTOU})


def test_order_and_prefix_helpers_ignore_strings_and_comments():
    assert query_is_ordered("SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x")
    assert not query_is_ordered("SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x } }")
    assert not query_is_ordered('SELECT ?x WHERE { ?x ?p "} ORDER BY" } # ORDER BY ?x')
    text = with_prefixes("PREFIX kg: <http://example.org/>\nSELECT * WHERE { ?s kg:p ?o }")
    assert "PREFIX kg: <https://w3id.org/kg/ont#>" not in text
    assert (
        "\n" not in text.split("PREFIX kg: <http://example.org/>")[0]
    )  # line numbers stay the query's


def test_split_order_finds_orders_of_plain_variables_only():
    assert split_order("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY ?a DESC(?b)") == (
        "SELECT ?a ?b WHERE { ?a ?p ?b } ", "ORDER BY ?a DESC(?b)", [("a", False, "?a"), ("b", True, "DESC(?b)")]
    )
    assert split_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY asc( $a ) # } ORDER BY ?x")[2] == [("a", False, "asc( $a )")]
    assert split_order('SELECT ?a WHERE { ?a ?p ?b } ORDER BY (STR(?a)) DESC(COALESCE(STR(?b), "")) ?a')[2] == [
        (None, False, "(STR(?a))"), (None, True, 'DESC(COALESCE(STR(?b), ""))'), ("a", False, "?a")
    ]
    assert split_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 2") is None
    assert split_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a OFFSET 2") is None
    for clause in ("RAND()", "COUNT(?a)", "xsd:integer(?a)", "(?a < 2)", "(EXISTS { ?a ?p ?b })", "(STR(?a)"):
        assert split_order(f"SELECT ?a WHERE {{ ?a ?p ?b }} ORDER BY {clause}") is None, clause
    assert select_columns('SELECT DISTINCT ?a (CONCAT("(", ?b) AS ?c) WHERE { ?a ?p ?b }') == {"a", "c"}
    assert select_columns("SELECT * WHERE { ?a ?p ?b }") is None
    assert select_columns("SELECT (STR(?a)) WHERE { ?a ?p ?b }") is None
    assert split_order("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a } }") is None


#: Values whose order Oxigraph decides in many ways: IRIs, strings, numbers, booleans, dates,
#: language-tagged strings, ill-typed literals, blank nodes; some subjects lack ?v or ?w.
ORDER_DATA = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:v "b" ; ex:w 2 ; ex:d "2021-01-01"^^xsd:date ; ex:b true ; ex:i ex:z .
ex:b ex:v "a" ; ex:w 10 ; ex:d "2020-12-31"^^xsd:date ; ex:b false ; ex:i ex:y .
ex:c ex:v "é" ; ex:w -3 ; ex:d "2021"^^xsd:gYear ; ex:l "x"@en .
ex:d ex:v "B" ; ex:w 2.5 ; ex:l "x"@de ; ex:i ex:y .
ex:e ex:v "10" ; ex:w "seven"^^xsd:integer ; ex:d "2021-01-01T00:00:00Z"^^xsd:dateTime .
ex:f ex:v "Z" .
ex:g ex:x [ ex:bv "blank" ] .
ex:h ex:bv "named" .
ex:p1 ex:y "2021"^^xsd:gYear ; ex:ym "2021-03"^^xsd:gYearMonth ; ex:day "2021-03-01"^^xsd:date ; ex:t "2021" .
ex:p2 ex:y "2019"^^xsd:gYear ; ex:ym "2020-12"^^xsd:gYearMonth ; ex:day "2020-12-31"^^xsd:date ; ex:t "2021"^^xsd:gYear .
ex:p3 ex:y "2020"^^xsd:gYear ; ex:ym "2021-01"^^xsd:gYearMonth ; ex:day "2021-01-15"^^xsd:date ; ex:t ex:z .
ex:p4 ex:y "2021"^^xsd:gYear ; ex:t "2021"^^xsd:integer .
ex:p5 ex:y "2021Z"^^xsd:gYear ; ex:t "Ä" .
ex:p6 ex:y "2018"^^xsd:gYear .
ex:p7 ex:y "2017"^^xsd:gYear ; ex:t "" .
ex:p1 ex:u "b" . ex:p7 ex:u "" . ex:p3 ex:u "a" . ex:p6 ex:u "B" .
"""
ORDER_QUERIES = [
    "SELECT ?s ?v WHERE { ?s ex:v ?v } ORDER BY ?v ?s",
    "SELECT ?s ?v WHERE { ?s ex:v ?v } ORDER BY DESC(?v) ?s",
    "SELECT ?s ?w WHERE { ?s ex:v ?v OPTIONAL { ?s ex:w ?w } } ORDER BY ?w ?s",
    "SELECT ?s ?w WHERE { ?s ex:w ?w FILTER(isNumeric(?w)) } ORDER BY DESC(?w) ?s",
    "SELECT ?s ?d WHERE { ?s ex:v ?v OPTIONAL { ?s ex:d ?d } } ORDER BY ?d ?s",
    "SELECT ?s ?b WHERE { ?s ex:b ?b } ORDER BY ?b ?s",
    "SELECT ?s ?l WHERE { ?s ex:l ?l } ORDER BY ?l ?s",
    "SELECT ?i ?s WHERE { ?s ex:v ?v OPTIONAL { ?s ex:i ?i } } ORDER BY DESC(?i) ?s",
    "SELECT DISTINCT ?i WHERE { ?s ex:i ?i } ORDER BY ?i",
    "SELECT ?s ?v WHERE { ?s ex:v ?v } ORDER BY ?s ?v",
    "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) } GROUP BY ?s ORDER BY DESC(?n) ?s",
    "SELECT ?s ?w WHERE { ?s ex:w ?w FILTER(isNumeric(?w) && DATATYPE(?w) = xsd:integer) } ORDER BY DESC(?w) ?s",
    "SELECT ?s ?v WHERE { ?s ex:bv ?v } ORDER BY ?s ?v",
    "SELECT ?s ?d WHERE { ?s ex:v ?v OPTIONAL { ?s ex:d ?d } } ORDER BY (STR(?d)) ?d ?s",
    'SELECT ?s ?w WHERE { ?s ex:v ?v OPTIONAL { ?s ex:w ?w } } ORDER BY DESC(COALESCE(STR(?w), "")) ?w ?s',
    "SELECT ?s ?v WHERE { ?s ex:v ?v } ORDER BY (LCASE(?v)) ?v ?s",
    "SELECT ?s ?v WHERE { ?s ex:v ?v ; ex:w ?w } ORDER BY ?w ?s ?v",
    # years, months and dates written plainly are sorted here; one with a time zone is not
    "SELECT ?s ?y WHERE { ?s ex:y ?y FILTER(?s != ex:p5) } ORDER BY DESC(?y) ?s",
    "SELECT ?s ?y WHERE { ?s ex:y ?y } ORDER BY ?y ?s",
    "SELECT ?s ?ym ?day WHERE { ?s ex:y ?y OPTIONAL { ?s ex:ym ?ym } OPTIONAL { ?s ex:day ?day } } ORDER BY ?ym DESC(?day) ?s",
    # texts of one column: the same text from terms of several kinds, unbound, an IRI
    "SELECT ?s ?t WHERE { ?s ex:y ?y OPTIONAL { ?s ex:t ?t } } ORDER BY (STR(?t)) ?s ?t",
    'SELECT ?s ?t WHERE { ?s ex:y ?y OPTIONAL { ?s ex:t ?t } } ORDER BY DESC(COALESCE(STR(?t), "")) ?s ?t',
    'SELECT ?s ?y ?ym WHERE { ?s ex:y ?y OPTIONAL { ?s ex:ym ?ym } } ORDER BY ?s (STR(?y)) ?y (COALESCE(STR(?ym), "")) ?ym',
    "SELECT ?s ?v WHERE { ?s ex:bv ?v } ORDER BY (STR(?s)) ?s ?v",
    # the same, every column of plain order (sorted in Python): the empty text, unbound
    'SELECT ?s ?u WHERE { ?s ex:y ?y OPTIONAL { ?s ex:u ?u } } ORDER BY DESC(COALESCE(STR(?u), "")) ?s ?u',
    'SELECT ?s ?u WHERE { ?s ex:y ?y OPTIONAL { ?s ex:u ?u } } ORDER BY (COALESCE(STR(?u), "")) DESC(?s) ?u',
    "SELECT ?s ?u WHERE { ?s ex:y ?y OPTIONAL { ?s ex:u ?u } } ORDER BY (STR(?u)) DESC(?s) ?u",
    "SELECT ?s ?ym WHERE { ?s ex:y ?y OPTIONAL { ?s ex:ym ?ym } } ORDER BY DESC(STR(?ym)) ?ym ?s",
]


def test_text_and_date_keys_are_sorted_in_python(monkeypatch):
    import pyoxigraph as ox

    year = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
    rows = [(ox.NamedNode(f"http://example.org/{s}"), None if y is None else ox.Literal(y, datatype=year))
            for s, y in (("a", "2021"), ("b", None), ("c", "2019"), ("d", "2021"))]
    monkeypatch.setattr(ox, "Store", None)  # the in-memory store is not asked
    clause = 'ORDER BY DESC(COALESCE(STR(?y), "")) ?y ?s'
    keys = split_order(f"SELECT ?s ?y WHERE {{ ?s ?p ?y }} {clause}")[2]
    ordered = sort_solutions(rows, ["s", "y"], clause, keys)
    assert [r[0].value[-1] for r in ordered] == ["a", "d", "c", "b"]


@pytest.mark.parametrize("text", ORDER_QUERIES)
def test_orders_sorted_in_python_are_the_stores_own(tmp_path, text):
    """A store sorts ORDER BY of plain variables in Python (or in memory): the same rows in the
    same order as the store's own ORDER BY."""
    data = tmp_path / "order.ttl"
    data.write_text(ORDER_DATA, encoding="utf-8")
    load_store(tmp_path / "store", [str(data)])
    text = "PREFIX ex: <http://example.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> " + text
    backend = StoreBackend(tmp_path / "store")
    try:
        got = backend.query(text)
        own = read_whole(backend.store.query(text, prefixes=PREFIXES))  # (read here: a frame a parser's error keeps alive must hold no pyoxigraph iterator)
        columns = [v.value for v in own.variables]
        expected = [tuple(to_rdflib(s[c]) for c in columns) for s in own]
    finally:
        backend.close()
    assert got.ordered and got.columns == columns
    assert got.rows == expected, text


@pytest.fixture(scope="module")
def order_endpoint(tmp_path_factory):
    """ORDER_DATA on a real server of the module's own."""
    folder = tmp_path_factory.mktemp("order-server")
    data = folder / "order.ttl"
    data.write_text(ORDER_DATA, encoding="utf-8")
    server = start_server(folder / "store", folder / "server.log")
    push(server.query_url, [str(data)], timeout=30)
    yield EndpointBackend(server.query_url, timeout=30)
    stop_server_process(server.process)


@pytest.mark.parametrize("text", ORDER_QUERIES)
def test_orders_sorted_in_python_are_the_endpoints_own(order_endpoint, text, monkeypatch):
    """An endpoint's answer to an ORDER BY of plain variables is fetched unordered and sorted
    here, as on a store: the same rows in the same order as the server's own ORDER BY."""
    from kg.backends.oxigraph_terms import collect, sortable_order
    from kg.rdf.sparql_text import with_prefixes

    text = "PREFIX ex: <http://example.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> " + text
    own = next(collect(answer, text) for answer in order_endpoint._results(with_prefixes(text)))
    sent: list[str] = []
    results = order_endpoint._results
    monkeypatch.setattr(order_endpoint, "_results", lambda query: (sent.append(query), results(query))[1])
    got = order_endpoint.query(text)
    assert got.ordered and got.columns == own.columns
    assert got.rows == own.rows, text
    assert own.rows, "nothing to order: the comparison proves little"
    if sortable_order(with_prefixes(text)) is None:  # an order only the server can give
        assert sent == [with_prefixes(text)]
    else:  # fetched unordered; sent as written only when a blank node leaves Python unable to order
        assert "ORDER BY" not in sent[0]
        assert len(sent) == 1 or any(isinstance(c, BNode) for row in own.rows for c in row)


# ------------------------------------------------------------------ errors: store


def test_open_backend_picks_one(tmp_path, project_copy):
    memory = open_backend()
    assert isinstance(memory, MemoryBackend)
    assert memory.named_graphs() == MemoryBackend(load_project()).named_graphs()
    nt = tmp_path / "one.nt"
    nt.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    assert open_backend([str(nt)]).named_graphs() == [URIRef(nt.resolve().as_uri())]
    remote = open_backend(endpoint="http://127.0.0.1:1/query", timeout=3)
    assert isinstance(remote, EndpointBackend) and remote.timeout == 3
    assert open_backend(endpoint="http://127.0.0.1:1/query", timeout=0).timeout is None  # no limit
    load_store(tmp_path / "s")
    with open_backend(store=tmp_path / "s") as store:
        assert isinstance(store, StoreBackend) and store.count() == memory.count()


def test_store_errors(tmp_path, project_copy):
    with pytest.raises(InputError, match="no such store; create it with `kg load"):
        open_backend(store=tmp_path / "missing")
    (tmp_path / "plain").mkdir()
    with pytest.raises(InputError, match="not an Oxigraph store"):
        open_backend(store=tmp_path / "plain")
    with pytest.raises(UsageError, match="either --store or --endpoint"):
        open_backend(store=tmp_path, endpoint="http://127.0.0.1:1/query")
    with pytest.raises(UsageError, match="exclude each other"):
        open_backend(["x.ttl"], store=tmp_path)


def test_store_query_errors(backends):
    store = backends["store"]
    with pytest.raises(QueryError, match=r"^query:1:\d+: SPARQL syntax error: "):
        store.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryError, match=r"^query: SPARQL syntax error: .*1:\d+"):  # rdflib parses it, Oxigraph does not
        store.query("SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s")
    with pytest.raises(UsageError, match="SERVICE <http://example.org/sparql> would query a remote endpoint"):
        store.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_load_refuses_what_it_cannot_load(tmp_path, project_copy):
    bad = tmp_path / "bad.nt"
    bad.write_text(
        "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n<a> <b> .\n"
    )
    with pytest.raises(InputError, match=r"^.*bad\.nt:2:1: bad syntax: [^(]*$"):
        load_store(tmp_path / "s1", [str(bad)])  # rewritten as N-Quads first: nothing loaded
    bad_quads = tmp_path / "bad.nq"
    bad_quads.write_text(bad.read_text())
    with pytest.raises(InputError, match=r"^.*bad\.nq:2:1: bad syntax: (?!Parser error).*--replace\)$"):
        load_store(tmp_path / "s3", [str(bad_quads)])  # loaded as it is read
    with pytest.raises(InputError, match=r"missing\.ttl: no such file"):
        load_store(tmp_path / "s2", [str(tmp_path / "missing.ttl")])
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty and not an Oxigraph store"):
        load_store(tmp_path / "full")
    with pytest.raises(InputError, match="is a file, not a store directory"):
        load_store(bad)


def test_load_bad_turtle_names_the_line(tmp_path, project_copy):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    with pytest.raises(InputError, match=r"^.*bad\.ttl:3:\d+: bad syntax: "):
        load_store(tmp_path / "s", [str(bad)])


@pytest.mark.parametrize("pipe", [True, False], ids=["named-pipe", "no-named-pipes"])
def test_load_merges_blank_nodes_as_the_files_name_them(tmp_path, project_copy, monkeypatch, pipe):
    """The default graph written by kg load is the merge of the named graphs: a blank node that
    two graphs of one file share is one node, an anonymous one ([]) is the node the named graph
    holds, and a triple stated in two graphs is one triple."""
    data = tmp_path / "b.trig"
    data.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:g1 { _:x ex:p ex:a . ex:a ex:q [ ex:r 1 ] . ex:s ex:t ex:u . }\n"
        "ex:g2 { _:x ex:p ex:b . ex:s ex:t ex:u . }\n"
    )
    nt = tmp_path / "c.nt"
    nt.write_text("_:y <http://example.org/p> <http://example.org/c> .\n")
    if not pipe:  # as on Windows: the file and its merge are written one after the other
        import os

        monkeypatch.delattr(os, "mkfifo")
    load_store(tmp_path / "s", [str(data), str(nt)])
    backend = StoreBackend(tmp_path / "s")
    try:
        merged = backend.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].toPython()
        shared = backend.query(
            "PREFIX ex: <http://example.org/> ASK { ?x ex:p ex:a , ex:b . "
            "GRAPH ex:g1 { ?x ex:p ex:a } GRAPH ex:g2 { ?x ex:p ex:b } }"
        ).boolean
        anonymous = backend.query(
            "PREFIX ex: <http://example.org/> ASK { ex:a ex:q ?b . ?b ex:r 1 . GRAPH ex:g1 { ex:a ex:q ?b } }"
        ).boolean
    finally:
        backend.close()
    assert merged == 6  # 5 distinct triples in the TriG file, 1 in the N-Triples file
    assert shared and anonymous


def test_load_into_a_store_in_use_is_one_line(tmp_path, project_copy):
    import pyoxigraph

    load_store(tmp_path / "s")
    holder = pyoxigraph.Store(str(tmp_path / "s"))
    try:
        with pytest.raises(InputError, match="the store is in use by another process") as info:
            load_store(tmp_path / "s")
        assert "\n" not in str(info.value)
    finally:
        del holder


# ------------------------------------------------------------------ errors: endpoint


def test_unreachable_endpoint_is_one_line():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(InputError) as info:
        EndpointBackend(url, timeout=5).query("ASK {}")
    assert (
        str(info.value)
        == f"{url}: cannot reach the endpoint: connection refused (is the server running on that port?)"
    )


def test_endpoint_that_does_not_answer_times_out():
    with socket.socket() as silent:  # accepts connections (the kernel does) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        with pytest.raises(InputError) as info:
            EndpointBackend(url, timeout=0.5).query("ASK {}")
    assert (
        str(info.value)
        == f"{url}: no answer within 0.5 s (is the server overloaded? raise --timeout)"
    )


def test_http_errors_name_url_and_status(oxigraph_server):
    with pytest.raises(
        QueryError, match=r"/query: the endpoint answered HTTP 400 Bad Request: .*1:\d+"
    ) as info:
        # (rdflib parses it, Oxigraph does not: a query rdflib cannot parse never leaves kg)
        EndpointBackend(oxigraph_server.query_url).query("SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s")
    assert "\n" not in str(info.value)
    wrong = f"{oxigraph_server.base}/nothing-here"
    with pytest.raises(InputError, match=rf"^{wrong}: the endpoint answered HTTP 404 Not Found"):
        EndpointBackend(wrong).query("ASK {}")


def test_endpoint_url_must_be_http():
    with pytest.raises(UsageError, match="expected an http:// or https:// URL"):
        EndpointBackend("ftp://example.org/query")


# ------------------------------------------------------------------ the commands


def test_cli_load_and_replace(runner, tmp_path, project_copy):
    store = tmp_path / "s"
    result = runner.invoke(main, ["load", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("loaded ") and f"into {store} in " in result.stderr
    nt = tmp_path / "one.nt"
    nt.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    result = runner.invoke(main, ["load", "--store", str(store), "--replace", str(nt)])
    assert result.exit_code == 0, result.output
    assert "the store holds 1 quads in 1 named graphs" in result.stderr
    with StoreBackend(store) as b:
        assert list(b.quads()) == [
            (
                URIRef("http://example.org/a"),
                URIRef("http://example.org/b"),
                URIRef("http://example.org/c"),
                URIRef(nt.resolve().as_uri()),
            )
        ]


def test_cli_load_with_the_ontology(runner, tmp_path, project_copy):
    nt = tmp_path / "one.nt"
    nt.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    result = runner.invoke(main, ["load", "--store", str(tmp_path / "s"), "--ontology", str(nt)])
    assert result.exit_code == 0, result.output
    ontology = load_project().graph(URIRef("https://w3id.org/kg/graph/ontology"))
    with StoreBackend(tmp_path / "s") as b:
        assert b.named_graphs() == [URIRef(nt.resolve().as_uri()), URIRef("https://w3id.org/kg/graph/ontology")]
        assert b.count() == len(ontology) + 1
        subclass = "ASK { <https://w3id.org/kg/ont#Firm> <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?c }"
        assert b.query(subclass).boolean  # in the default graph (the merge) too
    assert f"the store holds {len(ontology) + 1} quads in 2 named graphs" in result.stderr


def test_cli_load_bad_file(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = runner.invoke(main, ["load", "--store", str(tmp_path / "s"), str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {bad}:2:") and result.stderr.count("\n") == 1


def test_cli_push_errors(runner, oxigraph_server, tmp_path):
    url = f"http://127.0.0.1:{free_port()}/query"
    result = runner.invoke(main, ["push", "--endpoint", url])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        result.stderr.count("\n") == 1
        and "connection refused" in result.stderr
        and url[: -len("query")] in result.stderr
    )
    result = runner.invoke(
        main,
        [
            "push",
            "--endpoint",
            oxigraph_server.query_url,
            "--graph-store",
            oxigraph_server.base + "/nope",
        ],
    )
    assert result.exit_code == 1
    assert "HTTP 404 Not Found" in result.stderr and "/nope (PUT of graph <" in result.stderr
    result = runner.invoke(main, ["push", "--endpoint", oxigraph_server.base + "/sparql"])
    assert result.exit_code == 2
    assert "give --graph-store URL" in result.stderr
    result = runner.invoke(main, ["push", "--endpoint", "not-a-url"])
    assert result.exit_code == 2


def test_push_replace_and_real_subprocess(run_kg, tmp_path, project_copy):
    """A server of its own: push a file, then --replace it with the project's graph."""
    server = start_server(tmp_path / "srv", tmp_path / "srv.log")
    try:
        nt = tmp_path / "one.nt"
        nt.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
        first = run_kg("push", "--endpoint", server.query_url, str(nt))
        assert first.returncode == 0, first.stderr
        assert first.stdout == f"1\t{nt.resolve().as_uri()}\n1\t(default graph)\n"
        assert (
            EndpointBackend(server.query_url).query("ASK { <http://example.org/a> ?p ?o }").boolean
        )
        second = run_kg(
            "push", "--replace", "--endpoint", server.query_url, env={"KG_HOME": str(project_copy)}
        )
        assert second.returncode == 0, second.stderr
        assert "https://w3id.org/kg/graph/ontology" in second.stdout
        assert second.stderr.startswith("pushed ") and second.stderr.count("\n") == 1
        remote = EndpointBackend(server.query_url)
        assert not remote.query("ASK { <http://example.org/a> ?p ?o }").boolean
        assert remote.named_graphs() == MemoryBackend(load_project()).named_graphs()
    finally:
        stop_server_process(server.process)


def test_load_and_synth_never_touch_the_network(runner, tmp_path, project_copy, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert (
        runner.invoke(
            main, ["synth", "--firms", "50", "--output", str(tmp_path / "s.nq")]
        ).exit_code
        == 0
    )
    result = runner.invoke(main, ["load", "--store", str(tmp_path / "st"), str(tmp_path / "s.nq")])
    assert result.exit_code == 0, result.output


def _example(command) -> list[str]:  # type: ignore[no-untyped-def]
    line = next(x for x in command.help.splitlines() if x.strip().startswith("Example: kg "))
    return shlex.split(line.strip()[len("Example: kg ") :])


def test_load_docstring_example_runs(run_kg, tmp_path):
    from kg.cli.load import load

    args = _example(load)
    assert args[:2] == ["load", "--store"]
    result = run_kg(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (tmp_path / args[2] / "CURRENT").exists()


def test_push_docstring_example_runs(run_kg, oxigraph_server, project_copy):
    from kg.cli.push import push as push_command

    args = _example(push_command)
    assert args[1:3] == ["--endpoint", "http://localhost:7878/query"]
    args[2] = oxigraph_server.query_url  # the example's server, on the test's port
    result = run_kg(*args, env={"KG_HOME": str(project_copy)})  # the data the other tests compare
    assert result.returncode == 0, result.stderr
    assert "https://w3id.org/kg/graph/ontology" in result.stdout
    assert result.stderr.startswith("pushed ")


@pytest.fixture
def canned_server():
    """A local HTTP server that answers every request with the status, type and body set on it."""
    import http.server
    import threading

    answer = {"status": 200, "type": "application/sparql-results+json", "body": b""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server API
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(answer["status"])
            self.send_header("Content-Type", answer["type"])
            self.send_header("Content-Length", str(len(answer["body"])))
            self.end_headers()
            self.wfile.write(answer["body"])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query", answer
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_value_too_large_for_the_json_reader_is_one_line(canned_server):
    """pyoxigraph's JSON results reader stops at 16 MiB a value: one line, not a traceback."""
    import gc
    import json
    import threading

    url, answer = canned_server
    value = {"type": "literal", "value": "x" * (17 << 20)}
    answer["body"] = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": value}]}}).encode()

    def fail() -> None:  # (its frame and the error it keeps make a cycle, left to the collector)
        with pytest.raises(InputError, match=rf"^{url}: the endpoint's answer holds a value too large to read") as info:
            EndpointBackend(url).query("SELECT ?x WHERE { ?x ?p ?o }")
        assert "\n" not in str(info.value)

    fail()
    # The error holds nothing pyoxigraph read: collected by another thread, it frees no answer
    # there (pyoxigraph would fail with "unsendable", reported as an unraisable exception).
    collector = threading.Thread(target=gc.collect)
    collector.start()
    collector.join()


def test_a_value_over_16_mib_from_a_real_server(oxigraph_server):
    """Answers come as XML, which pyoxigraph reads whatever a value's size (a GROUP_CONCAT of a
    million IRIs is 45 MB; the JSON reader stops at 16 MiB)."""
    doubled = "".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1}) " for i in range(15))
    text = f'SELECT (STRLEN(?v15) AS ?n) ?v15 WHERE {{ BIND("{"k" * 1024}" AS ?v0) {doubled}}}'
    result = EndpointBackend(oxigraph_server.query_url, timeout=60).query(text)
    assert int(result.rows[0][0]) == len(str(result.rows[0][1])) == 1024 << 15


def test_malformed_and_unexpected_answers(canned_server):
    url, answer = canned_server
    answer["body"] = b'{"head": {"vars": ["x"]}, "results": {"bindings": [ {"x": '
    # (the first query kg sends asks which graphs are its own: that answer is the odd one then)
    with pytest.raises(InputError, match=rf"^{url}: the endpoint('s answer is malformed: | did not answer a SELECT query)") as info:
        EndpointBackend(url).query("SELECT ?x WHERE { ?x ?p ?o }")
    assert "\n" not in str(info.value)
    answer.update(type="text/html", body=b"<html>login</html>")
    with pytest.raises(
        InputError,
        match=rf"^{url}: the endpoint answered with 'text/html', not SPARQL results or RDF$",
    ):
        EndpointBackend(url).query("ASK {}")
    answer.update(status=500, type="text/plain", body=b"disk full\nsecond line")
    with pytest.raises(
        InputError,
        match=rf"^{url}: the endpoint answered HTTP 500 Internal Server Error: disk full second line$",
    ):
        EndpointBackend(url).query("ASK {}")
    answer.update(
        status=200, type="application/n-triples", body=b"<http://a> <http://b> <http://c> .\n"
    )
    result = EndpointBackend(url).query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert result.kind == "CONSTRUCT" and len(result.graph) == 1
