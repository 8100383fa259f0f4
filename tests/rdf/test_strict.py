from __future__ import annotations

import socket
from pathlib import Path

import pytest

from kg.errors import InputError, QueryError
from kg.rdf.loading import load_files
from kg.rdf.strict import MAX_DEPTH, check_depth, check_query, check_rdf, nesting_depth

P = "@prefix ex: <http://example.org/> .\n"


def _file(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


# --- what strict mode refuses that rdflib alone accepts ---------------------------------

# (file, text, message, whether rdflib alone loads it)
LENIENT_RDFLIB = [
    ("bad-escape.ttl", P + 'ex:a ex:b "\\uWXYZ" .\n', r"bad-escape\.ttl:2:\d+: invalid Turtle \(strict\): .*escape", True),
    ("literal-subject.ttl", P + '"hello" ex:p ex:o .\n', r"literal-subject\.ttl:2:1: invalid Turtle \(strict\): ", True),
    ("bnode-predicate.ttl", P + "ex:s [] ex:o .\n", r"bnode-predicate\.ttl:2:\d+: invalid Turtle \(strict\): ", True),
    ("lang-and-type.ttl", P + 'ex:s ex:p "v"@en^^ex:t .\n', r"lang-and-type\.ttl:2:\d+: invalid Turtle \(strict\): ", True),
    ("dash-start.ttl", P + "ex:s ex:p ex:-o .\n", r"dash-start\.ttl:2:\d+: invalid Turtle \(strict\): ", True),
    ("relative.nt", "<a> <http://example.org/b> <http://example.org/c> .\n", r"relative\.nt:1:1: invalid N-Triples \(strict\): No scheme", False),
    ("graph-in-ttl.ttl", P + "ex:g { ex:a ex:b ex:c }\n", r"graph-in-ttl\.ttl:2:\d+: invalid Turtle \(strict\): ", False),
]


@pytest.mark.parametrize("name,text,message", [c[:3] for c in LENIENT_RDFLIB], ids=[c[0] for c in LENIENT_RDFLIB])
def test_strict_refuses_what_the_w3c_grammar_rejects(tmp_path: Path, name: str, text: str, message: str):
    f = _file(tmp_path, name, text)
    with pytest.raises(InputError, match=message) as info:
        load_files([f], strict=True)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(str(f))


@pytest.mark.parametrize("name,text", [(n, t) for n, t, _, lenient in LENIENT_RDFLIB if lenient])
def test_rdflib_alone_accepts_them(tmp_path: Path, name: str, text: str):
    """Why strict mode exists: without it these invalid files load."""
    load_files([_file(tmp_path, name, text)])


def test_strict_accepts_valid_files_of_every_format(tmp_path: Path):
    files = [
        _file(tmp_path, "a.ttl", P + 'ex:a ex:b "x"@en, 1, 1.5, true, ( ex:c ) ; ex:d [ ex:e ex:f ] .\n'),
        _file(tmp_path, "b.trig", P + "ex:g { ex:a ex:b ex:c . }\n"),
        _file(tmp_path, "c.nt", '<http://example.org/a> <http://example.org/b> "c"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'.replace('"c"', '"3"')),
        _file(tmp_path, "d.nq", "<http://example.org/a> <http://example.org/b> <http://example.org/c> <http://example.org/g2> .\n"),
        _file(tmp_path, "e.jsonld", '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:b": "c"}'),
        _file(tmp_path, "f.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
              '<rdf:Description rdf:about="http://example.org/a"><ex:b>c</ex:b></rdf:Description></rdf:RDF>'),
    ]
    ds = load_files(files, strict=True)
    assert sum(len(g) for g in ds.graphs()) == 14


def test_strict_and_lenient_loads_of_the_project_agree():
    from kg.rdf.loading import load_project

    strict = load_project(strict=True)
    lenient = load_project()
    assert len(strict) == len(lenient) > 0
    assert {g.identifier for g in strict.graphs() if len(g)} == {g.identifier for g in lenient.graphs() if len(g)}


def test_check_rdf_counts_statements():
    assert check_rdf("x.ttl", P + "ex:a ex:b ex:c, ex:d .\n", "turtle", "file:///x.ttl") == 2


def test_unknown_format_is_an_input_error():
    with pytest.raises(InputError, match="does not know the format 'csv'"):
        check_rdf("x.csv", "", "csv")


# --- ill-typed literals -----------------------------------------------------------------

ILL_TYPED = [
    ('"twelve"^^xsd:integer', "xsd:integer"),
    ('"2023-13-45"^^xsd:date', "xsd:date"),
    ('"maybe"^^xsd:boolean', "xsd:boolean"),
    ('"12,5"^^xsd:decimal', "xsd:decimal"),
]


@pytest.mark.parametrize("literal,datatype", ILL_TYPED, ids=[d for _, d in ILL_TYPED])
def test_strict_refuses_ill_typed_literals_with_line_and_column(tmp_path: Path, literal: str, datatype: str):
    text = P + "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\nex:a ex:b " + literal + " .\n"
    f = _file(tmp_path, "ill.ttl", text)
    lexical = literal.split('"')[1]
    with pytest.raises(InputError) as info:
        load_files([f], strict=True)
    assert str(info.value) == (
        f'{f}:4:12: ill-typed literal "{lexical}"^^{datatype}: not a valid {datatype} value; fix the value or its datatype'
    )


def test_ill_typed_literals_load_without_strict_and_without_noise(tmp_path: Path, capfd):
    text = P + '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\nex:a ex:b "twelve"^^xsd:integer, "none"^^xsd:boolean .\n'
    ds = load_files([_file(tmp_path, "ill.ttl", text)])
    assert len(ds) == 2
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_well_typed_unusual_forms_pass_strict(tmp_path: Path):
    text = P + '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\nex:a ex:b "012"^^xsd:integer, "1"^^xsd:boolean, "-0.50"^^xsd:decimal, "x"^^ex:custom .\n'
    assert len(load_files([_file(tmp_path, "ok.ttl", text)], strict=True)) == 4


# --- nesting ----------------------------------------------------------------------------


def test_nesting_depth_ignores_brackets_in_strings_iris_and_comments():
    text = P + 'ex:a ex:b "[[[(", """ ((( \n {{{ """, <http://example.org/[>, [ ex:c ( 1 ) ] . # [[[[\n'
    assert nesting_depth(text, "turtle")[0] == 2
    assert nesting_depth('{"a": "[[[{{{", "b": [[1]], "c\\"[": {}}', "json")[0] == 3
    assert nesting_depth('<a><!-- <b><c> --><b/><c><![CDATA[<d><e>]]></c></a>', "xml")[0] == 2


def test_nesting_depth_reports_where_it_is_first_reached():
    text = "{ }\n{ { x } }"
    assert nesting_depth(text, "turtle") == (2, text.index("{ x"))


def test_check_depth_names_line_and_column():
    text = "\n" + "[" * (MAX_DEPTH + 1)
    with pytest.raises(InputError, match=rf"^deep\.ttl:2:{MAX_DEPTH + 1}: nested more than {MAX_DEPTH} levels deep"):
        check_depth("deep.ttl", text, "turtle")
    check_depth("ok.ttl", "[" * MAX_DEPTH, "turtle")


@pytest.mark.parametrize(
    "name,text",
    [
        ("deep.jsonld", '{"@id": "http://example.org/a", "http://example.org/b": ' + '{"http://example.org/b": ' * 4000 + '"x"' + "}" * 4001),
        ("deep.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"><rdf:Description>'
         + "<ex:b><rdf:Description>" * 4000 + "</rdf:Description></ex:b>" * 4000 + "</rdf:Description></rdf:RDF>"),
    ],
    ids=["json-ld", "rdf-xml"],
)
def test_deep_nesting_is_refused_before_pyoxigraph_sees_it(name: str, text: str):
    """pyoxigraph 0.5 overflows its stack (a segfault) on JSON-LD nested ~3,500 deep, and is
    cubic on deep RDF/XML: check_rdf refuses both first."""
    fmt = "json-ld" if name.endswith(".jsonld") else "xml"
    with pytest.raises(InputError, match=rf"^{name}:1:\d+: nested more than {MAX_DEPTH} levels deep"):
        check_rdf(name, text, fmt, "file:///" + name)


def test_huge_literal_does_not_cost_gigabytes(tmp_path: Path):
    import tracemalloc

    text = P + 'ex:a ex:b "' + "x" * 2_000_000 + '" .\n'
    tracemalloc.start()
    try:
        assert nesting_depth(text, "turtle") == (0, 0)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000


def test_a_term_beyond_pyoxigraphs_buffer_is_an_input_error():
    text = P + 'ex:a ex:b "' + "x" * 17_000_000 + '" .\n'
    with pytest.raises(InputError, match=r"^big\.ttl: a single term is too large for strict parsing"):
        check_rdf("big.ttl", text, "turtle", "file:///big.ttl")


# --- SPARQL -----------------------------------------------------------------------------


def test_check_query_accepts_a_query_with_the_projects_prefixes():
    check_query("SELECT ?park WHERE { ?park a kg:IndustrialPark }")


def test_check_query_names_line_and_column():
    with pytest.raises(QueryError, match=r"^q\.rq:3:7: invalid SPARQL \(strict\): expected "):
        check_query("SELECT ?s\nWHERE { ?s ?p ?o }\nLIMIT x\n", "q.rq")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s ?p ?o } GROUP BY ?s",  # SELECT * with GROUP BY
        "SELECT * WHERE { VALUES (?a ?b) { (1) } }",  # too few values in a row
        "SELECT * WHERE { ?s ?p ?o . ?s ?q ?o1 . BIND((1 + ?o) AS ?o1) }",  # BIND to a variable in scope
    ],
    ids=["select-star-group-by", "values-too-few", "bind-scope"],
)
def test_check_query_refuses_what_rdflib_accepts(text: str):
    from kg.query.engine import prepare

    prepare(text)  # rdflib alone: accepted
    with pytest.raises(QueryError, match=r"^query:"):
        check_query(text)


def test_check_query_refuses_deep_nesting_before_pyoxigraph_crashes():
    text = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000
    with pytest.raises(QueryError, match=rf"^q\.rq:1:\d+: nested more than {MAX_DEPTH} levels deep"):
        check_query(text, "q.rq")


def _listener() -> tuple[socket.socket, int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.3)
    return server, server.getsockname()[1]


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "ASK {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * FROM <http://127.0.0.1:{port}/g> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
    ids=["service", "service-silent", "from", "from-named"],
)
def test_check_query_never_opens_a_connection(template: str):
    """pyoxigraph would call a SERVICE itself (bypassing Python's audit hooks): check_query
    spells it GRAPH. A loopback listener proves no connection is attempted."""
    server, port = _listener()
    try:
        check_query(template.format(port=port))
        with pytest.raises(socket.timeout):
            server.accept()
    finally:
        server.close()
