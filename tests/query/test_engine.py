"""kg.query.engine (running SPARQL safely), kg.query.library (headers, parameters), kg.query.output
(result formats) and the ``kg query`` / ``kg queries`` commands."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib.plugins.sparql as sparql_plugin
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.cli import main
from kg.errors import KgError, QueryError, UsageError
from kg.query.engine import check_safety, prepare, run_query
from kg.query.library import Param, bind_params, convert, find_named, parse_assignments, parse_header
from kg.query.output import serialize, to_csv, to_json, to_rdf, to_tsv, to_xml
from kg.render import truncate_middle
from kg.rdf.loading import load_files

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent

TINY = """\
@prefix ex: <http://example.org/> .
@prefix kg: <https://w3id.org/kg/ont#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Region rdfs:subClassOf ex:Place .
ex:a a ex:Region ; skos:prefLabel "Alpha"@en ; ex:size 3 ; ex:note "comma, \\"quote\\"\\nand\\ttab" .
ex:b a ex:Region ; skos:prefLabel "Beta"@en ; skos:altLabel "Bêta"@fr ; ex:size 1.5 ; ex:year "2021"^^xsd:gYear .
ex:c a ex:Place ; skos:prefLabel "Alpha Centauri"@en ; ex:link [ ex:size 7 ] .
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.ttl"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture
def ds(tiny):
    return load_files([tiny])


def rows_of(result):
    return sorted(tuple(None if c is None else str(c) for c in row) for row in result.rows)


# --------------------------------------------------------------------------------------------
# run_query
# --------------------------------------------------------------------------------------------


def test_select_returns_terms_and_columns(ds):
    r = run_query(ds, "PREFIX ex: <http://example.org/> SELECT ?s ?n WHERE { ?s ex:size ?n . FILTER(isIRI(?s)) }")
    assert r.kind == "SELECT" and r.columns == ["s", "n"]
    assert rows_of(r) == [("http://example.org/a", "3"), ("http://example.org/b", "1.5")]
    assert isinstance(r.rows[0][1], Literal)


def test_project_prefixes_need_no_prefix_lines(project_dataset):
    r = run_query(project_dataset, "ASK { place:baotou kg:locatedIn+ place:china }")
    assert r.kind == "ASK" and r.boolean is True


def test_rows_without_order_by_are_sorted(ds):
    r = run_query(ds, "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s a ?t }")
    assert not r.ordered
    assert [str(x[0]) for x in r.rows] == sorted(str(x[0]) for x in r.rows)


def test_order_by_is_kept(ds):
    r = run_query(ds, "PREFIX ex: <http://example.org/> SELECT ?s ?n WHERE { ?s ex:size ?n } ORDER BY DESC(?n)")
    assert r.ordered
    assert [Decimal(str(x[1])) for x in r.rows] == [7, 3, Decimal("1.5")]


def test_params_bound_as_terms_not_text(ds):
    q = "PREFIX ex: <http://example.org/>\nSELECT ?s WHERE { ?s skos:prefLabel ?l . FILTER(STR(?l) = ?name) }"
    assert rows_of(run_query(ds, q, {"name": "Alpha"})) == [("http://example.org/a",)]
    # A value crafted to close the string and match everything is just a string that matches nothing.
    assert run_query(ds, q, {"name": 'x") || true || ("'}).rows == []
    assert run_query(ds, q, {"name": "x' } UNION { ?s ?p ?o } #"}).rows == []


def test_params_given_as_terms(ds):
    q = "PREFIX ex: <http://example.org/> SELECT ?n WHERE { ?s ex:size ?n }"
    assert rows_of(run_query(ds, q, {"s": URIRef("http://example.org/b")})) == [("1.5",)]


def test_declared_entity_param_resolves_a_label(ds):
    q = "#+ param: place | entity | required | a place\nPREFIX ex: <http://example.org/>\nSELECT ?n WHERE { ?place ex:size ?n }"
    assert rows_of(run_query(ds, q, {"place": "bêta"})) == [("1.5",)]


def test_unknown_and_ambiguous_entity_are_usage_errors(ds):
    q = "#+ param: place | entity | required | a place\nSELECT * WHERE { ?place ?p ?o }"
    with pytest.raises(UsageError, match="parameter 'place' \\(entity\\): no entity is named 'Gamma'"):
        run_query(ds, q, {"place": "Gamma"})
    with pytest.raises(UsageError, match="ambiguous: 2 candidates: Alpha <http://example.org/a>; Alpha Centauri"):
        run_query(ds, q, {"place": "alph"})


def test_missing_required_param_names_it(ds):
    q = "#+ param: place | entity | required | the place to look in\nSELECT * WHERE { ?place ?p ?o }"
    with pytest.raises(UsageError, match="missing required parameter 'place' \\(the place to look in\\)") as info:
        run_query(ds, q, {})
    assert info.value.exit_code == 2


def test_unknown_param_lists_the_declared_ones(ds):
    q = "#+ param: place | entity | required |\nSELECT * WHERE { ?place ?p ?o }"
    with pytest.raises(UsageError, match="unknown parameter 'plaec'; this query takes: place \\(entity, required\\)"):
        run_query(ds, q, {"place": "Alpha", "plaec": "x"})


def test_default_and_optional_params(ds):
    q = (
        "#+ param: min | number | default=2 |\n#+ param: who | iri | optional |\n"
        "PREFIX ex: <http://example.org/>\n"
        "SELECT ?s WHERE { ?s ex:size ?n FILTER(isIRI(?s) && ?n >= ?min) FILTER(!BOUND(?who) || ?s = ?who) }"
    )
    assert [r[0] for r in rows_of(run_query(ds, q))] == ["http://example.org/a"]
    assert len(run_query(ds, q, {"min": "1"}).rows) == 2
    assert rows_of(run_query(ds, q, {"min": "1", "who": "<http://example.org/b>"})) == [("http://example.org/b",)]


@pytest.mark.parametrize(
    "ptype, raw, expected",
    [
        ("number", "42", Literal("42", datatype=XSD.integer)),
        ("number", "-1.25", Literal("-1.25", datatype=XSD.decimal)),
        ("year", "2021", Literal("2021", datatype=XSD.gYear)),
        ("date", "2022-01-05", Literal("2022-01-05", datatype=XSD.date)),
        ("string", "Baotou", Literal("Baotou")),
        ("iri", "place:baotou", URIRef("https://w3id.org/kg/id/place/baotou")),
        ("iri", "<http://example.org/x>", URIRef("http://example.org/x")),
    ],
)
def test_convert_types(ds, ptype, raw, expected):
    assert convert(ds, Param("p", ptype), raw) == expected


@pytest.mark.parametrize(
    "ptype, raw, message",
    [
        ("number", "ten", "'ten' is not a number"),
        ("number", "NaN", "'NaN' is not a finite number"),
        ("year", "21", "'21' is not a year"),
        ("date", "5 Jan 2022", "is not a date"),
        ("iri", "nope:x", "is not an IRI"),
        ("iri", "just words", "is not an IRI"),
    ],
)
def test_convert_rejects_bad_values(ds, ptype, raw, message):
    with pytest.raises(UsageError, match=message):
        convert(ds, Param("p", ptype), raw)


def test_undeclared_params_are_typed_by_form(ds):
    bindings = bind_params(ds, parse_header(""), {"a": "12", "b": "1.5", "c": "place:baotou", "d": "Baotou"})
    assert bindings == {
        "a": Literal("12", datatype=XSD.integer),
        "b": Literal("1.5", datatype=XSD.decimal),
        "c": URIRef("https://w3id.org/kg/id/place/baotou"),
        "d": Literal("Baotou"),
    }
    typed = bind_params(ds, parse_header(""), parse_assignments(["y:year=2021", "e:entity=Beta"]))
    assert typed == {"y": Literal("2021", datatype=XSD.gYear), "e": URIRef("http://example.org/b")}


@pytest.mark.parametrize(
    "pairs, message",
    [
        (["novalue"], "write NAME=VALUE"),
        (["1x=3"], "not a SPARQL variable name"),
        (["a:colour=3"], "type 'colour' is not one of"),
        (["a=1", "a=2"], "given twice"),
    ],
)
def test_parse_assignments_errors(pairs, message):
    with pytest.raises(UsageError, match=message):
        parse_assignments(pairs)


@pytest.mark.parametrize(
    "header, message",
    [
        ("#+ colour: red", "query:1: unknown header key 'colour'"),
        ("#+ param: x | blob | required |", "parameter type 'blob' is not one of"),
        ("#+ param: x | iri | maybe |", "write 'required', 'optional' or 'default=VALUE'"),
        ("#+ param: x", "a param line is"),
        ("#+ param: 9x | iri | required |", "not a SPARQL variable name"),
        ("#+ param: x | iri | required |\n#+ param: x | iri | optional |", "query:2: parameter 'x' is declared twice"),
    ],
)
def test_header_errors(header, message):
    with pytest.raises(QueryError, match=message):
        parse_header(header + "\nSELECT * {}")


def test_header_stops_at_the_query():
    h = parse_header("#+ summary: one\n#+ summary: two\nSELECT * {}\n#+ name: ignored\n")
    assert h.summary == "one two" and h.name == ""


# --------------------------------------------------------------------------------------------
# Errors and safety
# --------------------------------------------------------------------------------------------


def test_syntax_error_reports_line_and_column(ds):
    with pytest.raises(QueryError, match=r"^q\.rq:3:3: SPARQL syntax error: .*FILTER"):
        run_query(ds, "SELECT * WHERE {\n ?s ?p ?o .\n  FILTER(?x = ) }", source="q.rq")


def test_unknown_prefix_reports_where(ds):
    with pytest.raises(QueryError, match=r"^query:2:14: unknown prefix 'foo:'; declare it"):
        run_query(ds, "SELECT *\nWHERE { ?s a foo:Bar ; ?p ?o }")


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }",
        "# a comment\nPREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ex:p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_update_is_refused(ds, text):
    before = len(ds)
    with pytest.raises(UsageError, match="this is a SPARQL Update; kg query is read-only.*kg check-article"):
        run_query(ds, text)
    assert len(ds) == before


def test_update_keywords_in_comments_are_not_updates(ds):
    q = "# this query will not DELETE or INSERT anything\n#+ summary: with a header\nASK { ?s ?p ?o }"
    assert run_query(ds, q).boolean is True


def test_service_is_refused_before_running(ds):
    with pytest.raises(UsageError, match="SERVICE <http://example.org/sparql> would query a remote endpoint.*--allow-network"):
        run_query(ds, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_allow_network_lets_service_past_the_check(ds):
    query = prepare("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    check_safety(query, ds, allow_network=True)  # does not raise (and nothing runs here)


@pytest.mark.parametrize(
    "clause, message",
    [
        ("FROM <file:///etc/passwd>", "FROM <file:///etc/passwd> is not a loaded graph; kg reads only files you name"),
        ("FROM NAMED <file:///etc/hostname>", "FROM NAMED <file:///etc/hostname> is not a loaded graph"),
        ("FROM <http://example.org/remote.ttl>", "not a loaded graph and kg does not fetch graphs unless asked: add --allow-network"),
    ],
)
def test_from_graphs_not_loaded_are_refused(ds, clause, message):
    with pytest.raises(UsageError, match=message):
        run_query(ds, f"SELECT * {clause} WHERE {{ ?s ?p ?o }}")


def test_from_file_the_user_named_works(ds, tiny):
    r = run_query(ds, f"SELECT (COUNT(*) AS ?n) FROM <{tiny.resolve().as_uri()}> WHERE {{ ?s ?p ?o }}")
    assert int(r.rows[0][0]) == len(ds)


def test_from_a_project_graph_restricts_the_query(project_dataset):
    q = "SELECT DISTINCT ?p FROM graph:shanxi-industrial-reform-2020 WHERE { ?p a kg:Person }"
    assert [str(r[0]) for r in run_query(project_dataset, q).rows] == ["https://w3id.org/kg/id/person/que-wenxiu"]


def test_engine_type_error_is_a_query_error(ds):
    q = "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s a ?t OPTIONAL { ?s ex:year ?y } } ORDER BY (STR(?y))"
    with pytest.raises(QueryError, match="rdflib could not evaluate the query .*COALESCE"):
        run_query(ds, q)


def test_rdflib_graph_loading_is_restored(ds):
    before = sparql_plugin.SPARQL_LOAD_GRAPHS
    run_query(ds, "ASK { ?s ?p ?o }")
    assert sparql_plugin.SPARQL_LOAD_GRAPHS == before


def test_unknown_reasoning_mode(ds):
    with pytest.raises(UsageError, match="unknown reasoning mode 'owl'"):
        run_query(ds, "ASK {}", reasoning="owl")


def test_reasoning_rdfs_finds_subclass_instances(ds):
    q = "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s a ex:Place }"
    assert rows_of(run_query(ds, q)) == [("http://example.org/c",)]
    inferred = rows_of(run_query(ds, q, reasoning="rdfs"))
    assert inferred == [("http://example.org/a",), ("http://example.org/b",), ("http://example.org/c",)]
    assert rows_of(run_query(ds, q, reasoning="owlrl")) == inferred
    assert rows_of(run_query(ds, q)) == [("http://example.org/c",)]  # the input is left unchanged


def test_named_query_not_found_suggests_names():
    with pytest.raises(UsageError, match="no named query 'firms-in-regoin'; did you mean firms-in-region"):
        find_named("firms-in-regoin")


# --------------------------------------------------------------------------------------------
# Results: records, DataFrame, formats
# --------------------------------------------------------------------------------------------


def test_records_are_plain_python(ds):
    r = run_query(ds, "PREFIX ex: <http://example.org/> SELECT ?s ?n ?y WHERE { ?s ex:size ?n OPTIONAL { ?s ex:year ?y } FILTER(isIRI(?s)) }")
    assert r.records() == [
        {"s": "http://example.org/a", "n": 3, "y": None},
        {"s": "http://example.org/b", "n": Decimal("1.5"), "y": "2021"},
    ]


def test_to_dataframe(ds):
    pd = pytest.importorskip("pandas")
    r = run_query(ds, "PREFIX ex: <http://example.org/> SELECT ?s ?n WHERE { ?s ex:size ?n FILTER(isIRI(?s)) } ORDER BY ?n")
    df = r.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["s", "n"]
    assert df["s"].tolist() == ["http://example.org/b", "http://example.org/a"]
    empty = run_query(ds, "SELECT ?x ?y WHERE { ?x ?y 'nothing' }").to_dataframe()
    assert list(empty.columns) == ["x", "y"] and len(empty) == 0


def test_to_dataframe_without_pandas(ds, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(KgError, match="pandas is not installed: pip install 'kg\\[pandas\\]'"):
        run_query(ds, "ASK {}").to_dataframe()


FORMAT_QUERY = "PREFIX ex: <http://example.org/> SELECT ?s ?l ?n ?note WHERE { ?s ex:size ?n OPTIONAL { ?s skos:prefLabel ?l } OPTIONAL { ?s ex:note ?note } }"


@pytest.mark.parametrize("fmt, serializer", [("csv", to_csv), ("tsv", to_tsv), ("json", to_json), ("xml", to_xml)])
def test_result_formats_read_back_with_rdflib(ds, fmt, serializer):
    """Our W3C formats parse with rdflib's own SPARQL results parsers into the same rows."""
    import io

    r = run_query(ds, FORMAT_QUERY)
    text = serializer(r)
    back = Result.parse(io.StringIO(text) if fmt != "xml" else io.BytesIO(text.encode()), format=fmt)
    ours = [[c for c in row] for row in r.rows]
    theirs = [[b.get(v) if hasattr(b, "get") else b[v] for v in back.vars] for b in back.bindings]
    assert [str(v) for v in back.vars] == r.columns
    if fmt == "csv":  # CSV keeps the text of each value only

        def norm(row):
            return tuple("_:" if isinstance(c, BNode) else "" if c is None else str(c) for c in row)

    else:

        def norm(row):
            return tuple("_:" if isinstance(c, BNode) else c for c in row)

    assert sorted(map(norm, theirs), key=repr) == sorted(map(norm, ours), key=repr)


def test_csv_is_w3c(ds):
    text = to_csv(run_query(ds, FORMAT_QUERY))
    lines = text.split("\r\n")
    assert lines[0] == "s,l,n,note"
    assert '"comma, ""quote""\nand\ttab"' in text
    assert "http://example.org/a,Alpha,3," in text
    assert "_:b0,,7," in text


def test_tsv_is_w3c(ds):
    text = to_tsv(run_query(ds, FORMAT_QUERY))
    lines = text.split("\n")
    assert lines[0] == "?s\t?l\t?n\t?note"
    assert '<http://example.org/a>\t"Alpha"@en\t"3"^^<http://www.w3.org/2001/XMLSchema#integer>\t"comma, \\"quote\\"\\nand\\ttab"' in lines
    assert "_:b0\t\t" in text


def test_json_relabels_blank_nodes_stably(ds):
    text = to_json(run_query(ds, FORMAT_QUERY))
    assert text == to_json(run_query(ds, FORMAT_QUERY))
    a = json.loads(text)
    assert {"type": "bnode", "value": "b0"} in [b["s"] for b in a["results"]["bindings"]]
    assert a["head"]["vars"] == ["s", "l", "n", "note"]


def test_ask_formats(ds):
    yes, no = run_query(ds, "ASK { ?s ?p ?o }"), run_query(ds, "ASK { ?s <http://nothing> ?o }")
    assert json.loads(to_json(yes)) == {"head": {}, "boolean": True}
    assert "<boolean>false</boolean>" in to_xml(no)
    assert serialize(yes) == "true\n" and serialize(no) == "false\n"


CONSTRUCT = "PREFIX ex: <http://example.org/> CONSTRUCT { ?s ex:size ?n ; ex:label ?l } WHERE { ?s ex:size ?n OPTIONAL { ?s skos:prefLabel ?l } }"


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("nt", "nt"), ("nquads", "nquads"), ("trig", "trig"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_construct_in_every_rdf_format(ds, fmt, parser):
    r = run_query(ds, CONSTRUCT)
    assert r.kind == "CONSTRUCT"
    text = to_rdf(r, fmt)
    back = Graph()
    if parser in ("nquads", "trig"):
        from rdflib import Dataset

        d = Dataset()
        d.parse(data=text, format=parser)
        for s, p, o, _ in d.quads():
            back.add((s, p, o))
    else:
        back.parse(data=text, format=parser)
    assert isomorphic(back, r.graph)
    assert to_rdf(r, fmt) == text  # the same bytes twice


def test_construct_refuses_table_formats(ds):
    with pytest.raises(UsageError, match="a CONSTRUCT query returns RDF: --format csv is not one of turtle"):
        serialize(run_query(ds, CONSTRUCT), "csv")
    with pytest.raises(UsageError, match="a SELECT query returns results: --format nt"):
        serialize(run_query(ds, FORMAT_QUERY), "nt")


def test_describe(project_dataset):
    r = run_query(project_dataset, "DESCRIBE person:que-wenxiu")
    assert r.kind == "DESCRIBE"
    assert "Que Wenxiu" in to_rdf(r, "turtle")


def test_table_shows_labels_beside_prefixed_names(project_dataset):
    r = run_query(project_dataset, "SELECT ?p WHERE { VALUES ?p { place:baotou kgm:investment <http://example.org/x> } }")
    text = serialize(r, "table", project_dataset)
    assert "Baotou (place:baotou)" in text
    assert "kgm:investment\n" in text  # its label, "investment", adds nothing to the name
    assert "<http://example.org/x>" in text


def test_table_cuts_wide_cells_with_a_marker(project_dataset):
    q = "SELECT ?park ?e WHERE { BIND(park:baotou-equipment-manufacturing-industrial-park AS ?park) BIND('%s' AS ?e) }" % ("x" * 100)
    r = run_query(project_dataset, q)
    narrow = serialize(r, "table", project_dataset, max_width=40)
    row = narrow.splitlines()[2]
    assert "…" in row and "x" * 100 not in row
    assert all(len(cell) <= 40 for cell in row.split("  ") if cell)
    assert "x" * 100 in serialize(r, "table", project_dataset, max_width=0)


#: Namespaces as a table gets them (longest first), with awkward cases: one that does not end in
#: '/' or '#' (as rdflib's xml:), one inside another, and one under two prefixes.
_AWKWARD_NAMESPACES = sorted(
    {("xml", "http://www.w3.org/XML/1998/namespace"), ("ex", "http://example.org/"), ("exa", "http://example.org/a/"),
     ("hash", "http://example.org/h#"), ("two", "http://example.org/t/"), ("also", "http://example.org/t/"),
     ("odd", "http://example.org/a/b_"), ("urn", "urn:x:")},
    key=lambda kv: (-len(kv[1]), kv[0]),
)


@pytest.mark.parametrize("iri", [
    "http://www.w3.org/XML/1998/namespacelang", "http://www.w3.org/XML/1998/namespace", "http://example.org/x",
    "http://example.org/a/x", "http://example.org/a/b_c", "http://example.org/a/b_", "http://example.org/a/",
    "http://example.org/a/x/y", "http://example.org/h#frag", "http://example.org/h#", "http://example.org/t/z",
    "http://example.org/x?q=1", "http://example.org/a b", "http://example.org/a/x>", "urn:x:y", "urn:x:y/z",
    "urn:x:y#z", "http://other.org/x", "nothing", "http://example.org/h#a/b", "http://example.org/a/b_c#d",
])
def test_table_prefixed_names_are_those_qname_gives(iri):
    """The table finds a namespace in a dict (kg.query.output._QNames): the same prefixed name
    as :func:`qname` trying every namespace, longest first."""
    from kg.query.output import _QNames, qname

    assert _QNames(_AWKWARD_NAMESPACES)(URIRef(iri)) == qname(URIRef(iri), _AWKWARD_NAMESPACES)


def test_table_cells_repeat_as_made_once(project_dataset):
    """Cells are made once per term and reused: equal values, unbound cells and blank nodes (in
    order of appearance, never reused across nodes) still come out as each row has them."""
    r = run_query(project_dataset, """
        SELECT ?a ?v ?b WHERE {
          VALUES (?a ?v) { (place:baotou "1"^^xsd:integer) (place:baotou "01"^^xsd:integer) (UNDEF "x")
                           (place:baotou "1"^^xsd:integer) (<http://example.org/x> UNDEF) }
          BIND(BNODE() AS ?b)
        }""")
    lines = serialize(r, "table", project_dataset).splitlines()
    cells = [line.split() for line in lines[2:]]
    assert [c[-1] for c in cells] == ["_:b0", "_:b1", "_:b2", "_:b3", "_:b4"]
    assert [line[: line.index("_:")].split("  ")[0].strip() for line in lines[2:]].count("Baotou (place:baotou)") == 3
    values = sorted(line.split("(place:baotou)")[-1].split()[0] for line in lines[2:] if "place:baotou" in line)
    assert values == ["01", "1", "1"]
    assert any(line.startswith("<http://example.org/x>") for line in lines[2:])
    assert any(line.split()[0] == "x" for line in lines[2:])


def test_truncate_middle():
    assert truncate_middle("obs:abcdefghij-2016", 10) == "obs:a…2016"
    assert truncate_middle("short", 10) == "short"
    assert truncate_middle("abcdef", 0) == "abcdef"


# --------------------------------------------------------------------------------------------
# The commands
# --------------------------------------------------------------------------------------------


def test_cli_inline_select_table(runner):
    result = runner.invoke(main, ["query", "SELECT ?p WHERE { ?m org:member ?p ; org:role kgrole:ceo }"])
    assert result.exit_code == 0
    assert "Chen Jun (person:chen-jun)" in result.stdout
    assert result.stderr == "(1 row)\n"


def test_cli_named_query_with_params(runner):
    result = runner.invoke(main, ["query", "firms-in-region", "--param", "region=Jinzhou", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"firm,how\r\n")  # W3C CSV: CRLF line ends
    assert b"https://w3id.org/kg/id/org/jinheng,headquartered in\r\n" in result.stdout_bytes
    assert result.stderr == ""


def test_cli_missing_required_param_exits_2(runner):
    result = runner.invoke(main, ["query", "firms-in-region"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Error: missing required parameter 'region'" in result.stderr


def test_cli_ambiguous_label_exits_2(runner):
    result = runner.invoke(main, ["query", "firms-in-region", "-p", "region=Baotou Equipment"])
    assert result.exit_code == 2
    assert "ambiguous" in result.stderr and "candidates" in result.stderr


def test_cli_unknown_named_query_exits_2(runner):
    result = runner.invoke(main, ["query", "nosuchquery"])
    assert result.exit_code == 2
    assert "Error: no named query 'nosuchquery'" in result.stderr


def test_cli_no_query_exits_2(runner):
    result = runner.invoke(main, ["query"])
    assert result.exit_code == 2
    assert "give a query" in result.stderr


def test_cli_file_and_inputs(runner, tmp_path, tiny):
    rq = tmp_path / "q.rq"
    rq.write_text("PREFIX ex: <http://example.org/>\nSELECT ?n WHERE { ex:a ex:size ?n }\n", encoding="utf-8")
    for args in (["query", "-f", str(rq), str(tiny)], ["query", str(rq), str(tiny)]):
        result = runner.invoke(main, [*args, "--format", "tsv"])
        assert result.exit_code == 0, result.output
        assert result.stdout == '?n\n"3"^^<http://www.w3.org/2001/XMLSchema#integer>\n'


def test_cli_missing_query_file_exits_2(runner, tmp_path):
    result = runner.invoke(main, ["query", "-f", str(tmp_path / "none.rq")])
    assert result.exit_code == 2
    assert "none.rq: no such query file" in result.stderr


def test_cli_ask_exit_codes(runner):
    yes = runner.invoke(main, ["query", "ASK { place:baotou kg:locatedIn+ place:inner-mongolia }"])
    no = runner.invoke(main, ["query", "ASK { place:inner-mongolia kg:locatedIn+ place:baotou }"])
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    assert (no.exit_code, no.stdout) == (1, "false\n")


def test_cli_construct_defaults_to_turtle(runner):
    result = runner.invoke(main, ["query", "CONSTRUCT { ?s kg:locatedIn ?o } WHERE { ?s kg:locatedIn ?o FILTER(?s = place:baotou) }"])
    assert result.exit_code == 0
    g = Graph().parse(data=result.stdout, format="turtle")
    assert (URIRef("https://w3id.org/kg/id/place/baotou"), None, URIRef("https://w3id.org/kg/id/place/inner-mongolia")) in g


def test_cli_update_refused_exit_2(runner):
    result = runner.invoke(main, ["query", "DELETE WHERE { ?s ?p ?o }"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: query: this is a SPARQL Update; kg query is read-only")


def test_cli_syntax_error_exit_1(runner):
    result = runner.invoke(main, ["query", "SELECT * WHERE {\n?s ?p"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: query:2:")


def test_cli_output_file(runner, tmp_path):
    out = tmp_path / "out.json"
    result = runner.invoke(main, ["query", "people-roles", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert len(json.loads(out.read_text(encoding="utf-8"))["results"]["bindings"]) >= 4
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


def test_cli_same_bytes_twice(runner):
    args = ["query", "park-profile", "-p", "park=Baotou Equipment Park", "--format", "json"]
    assert runner.invoke(main, args).stdout == runner.invoke(main, args).stdout


def test_cli_queries_lists_every_named_query(runner):
    result = runner.invoke(main, ["queries"])
    assert result.exit_code == 0
    names = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert names == sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert "    --param region (entity, required): the region, by name or IRI" in result.stdout


def test_cli_queries_json_and_markdown(runner):
    records = json.loads(runner.invoke(main, ["queries", "--format", "json"]).stdout)
    fir = next(r for r in records if r["name"] == "firms-in-region")
    assert fir["params"][0] == {"name": "region", "type": "entity", "required": True, "default": None,
                                "description": fir["params"][0]["description"]}
    assert fir["returns"] == ["firm", "how"]
    md = runner.invoke(main, ["queries", "--format", "markdown"]).stdout
    assert md.startswith("| name | parameters | summary |")


def test_installed_kg_query(run_kg):
    proc = run_kg("query", "people-roles", "--format", "tsv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("?person\t?role\t?organization\t?article\n")
    assert "<https://w3id.org/kg/id/person/que-wenxiu>" in proc.stdout
    assert proc.stderr == ""


def test_installed_kg_query_error(run_kg):
    proc = run_kg("query", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("Error: query: SERVICE <http://example.org/sparql> would query a remote endpoint")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml", None])
def test_output_in_pieces_is_the_output(project_dataset, fmt):
    """kg query streams its output: the pieces, joined, are the whole text in every format; a
    table comes a line at a time (once the widths are known), CSV a thousand rows at a time."""
    from kg.query.output import csv_pieces, serialize_pieces

    result = run_query(project_dataset, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 2500")
    assert len(result.rows) == 2500
    pieces = list(serialize_pieces(result, fmt, project_dataset, 40, 120))
    assert "".join(pieces) == serialize(result, fmt, project_dataset, 40, 120)
    if fmt in ("table", None):
        assert len(pieces) == 2 + 2500  # (the header, its rule, each row)
    if fmt == "tsv":
        assert len(pieces) == 1 + 2500  # (the header, each row)
    if fmt == "csv":
        assert [p.count("\r\n") for p in csv_pieces(result)] == [1001, 1000, 500]
    ask = run_query(project_dataset, "ASK { ?s ?p ?o }")
    assert "".join(serialize_pieces(ask, fmt)) == serialize(ask, fmt)
