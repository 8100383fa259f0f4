"""The injection corpus: data, so that a variant is one line to add.

Every string may hold ``{url}``: the address of the loopback listener the tests start, which
must see no connection. ``code`` is the exit code expected; ``error`` a regular expression the
one-line ``Error: ...`` must match (empty for a run that must succeed, reading nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

SERVICE_REFUSED = r"would query a remote endpoint; kg does not use the network unless asked"
NOT_LOADED = r"is not a loaded graph"
UPDATE = r"this is a SPARQL Update; kg query is read-only"


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    code: int
    error: str = ""


#: Queries that would reach the listener, read a file or change data, however spelled.
QUERIES: list[Case] = [
    Case("service", "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("service-lower-case", "select * where { service <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("service-mixed-case", "SeLeCt * WhErE { SeRvIcE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("service-silent", "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("service-variable", "SELECT * WHERE { VALUES ?e { <{url}> } SERVICE ?e { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("service-silent-variable", "SELECT * WHERE { BIND(<{url}> AS ?e) SERVICE SILENT ?e { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("service-prefixed-name", "PREFIX loop: <{url}> SELECT * WHERE { SERVICE loop:sparql { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    # the reported one: a prefixed name's escaped quote made a text scan see a string
    Case("escaped-quote-in-name", "SELECT ?s ?o WHERE { { ?s kg:a\\' ?o } UNION { SERVICE <{url}> { ?s ?p ?o } } FILTER(?o != 'z') }", 2, SERVICE_REFUSED),
    Case("escaped-dquote-in-name", 'SELECT ?s ?o WHERE { { ?s kg:a\\" ?o } UNION { SERVICE <{url}> { ?s ?p ?o } } }', 2, SERVICE_REFUSED),
    # rdflib does not read this escape: what it cannot parse is refused, whatever Oxigraph would do
    Case("escaped-hash-in-name", "SELECT * WHERE { { ?s kg:a\\# ?o } UNION { SERVICE <{url}> { ?s ?p ?o } } }", 2, SERVICE_REFUSED),
    Case("u-escape-keyword", "SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("u-escape-last-letter", "SELECT * WHERE { SERVIC\\u0045 <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("big-u-escape", "SELECT * WHERE { \\U00000053ERVICE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    # read as text, the SERVICE is inside a string; read as SPARQL, \u0022 closes the string first
    Case("u-escape-closing-string", "SELECT * WHERE { { ?s ?p \"a\\u0022 } UNION { SERVICE <{url}> { ?s ?p ?o } } #\"\n }", 2, SERVICE_REFUSED),
    Case("escape-spelling-escape", "SELECT * WHERE { \\u005Cu0053ERVICE <{url}> { ?s ?p ?o } }", 1, r"spells another escape"),
    Case("comment-before", "SELECT * WHERE { # a comment with } and '\n SERVICE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    # rdflib 7.6 cannot parse a SERVICE after an IRI with a fragment: refused all the same
    Case("hash-in-iri", "SELECT * WHERE { ?s ?p <http://example.org/#x> . SERVICE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("hash-in-iri-own-line", "SELECT * WHERE { ?s ?p <http://example.org/#x>\n SERVICE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("long-single-quotes", "SELECT * WHERE { { ?s ?p '''a ' b''' } UNION { SERVICE <{url}> { ?s ?p ?o } } }", 2, SERVICE_REFUSED),
    Case("long-double-quotes", 'SELECT * WHERE { { ?s ?p """a " b""" } UNION { SERVICE <{url}> { ?s ?p ?o } } }', 2, SERVICE_REFUSED),
    Case("short-single-escaped", "SELECT * WHERE { { ?s ?p 'a\\'' } UNION { SERVICE <{url}> { ?s ?p ?o } } }", 2, SERVICE_REFUSED),
    Case("short-double-escaped", 'SELECT * WHERE { { ?s ?p "a\\"" } UNION { SERVICE <{url}> { ?s ?p ?o } } }', 2, SERVICE_REFUSED),
    Case("nested-groups", "SELECT * WHERE { { { OPTIONAL { ?s ?p ?o MINUS { { SERVICE <{url}> { ?s ?p ?o } } } } } } }", 2, SERVICE_REFUSED),
    Case("in-filter-exists", "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <{url}> { ?s ?p ?o } } }", 2, SERVICE_REFUSED),
    Case("in-sub-select", "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } } }", 2, SERVICE_REFUSED),
    Case("beside-optional", "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/p> ?x } SERVICE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("ordered", "SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } ORDER BY ?s", 2, SERVICE_REFUSED),
    Case("ask", "ASK { SERVICE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("construct", "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("describe", "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }", 2, SERVICE_REFUSED),
    Case("from-file", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", 2, NOT_LOADED),
    Case("from-named-file", "SELECT * FROM NAMED <file:///etc/hostname> WHERE { GRAPH ?g { ?s ?p ?o } }", 2, NOT_LOADED),
    Case("from-loopback", "SELECT * FROM <{url}data.ttl> WHERE { ?s ?p ?o }", 2, r"kg does not fetch graphs unless asked"),
    Case("from-named-loopback", "SELECT * FROM NAMED <{url}data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", 2, r"kg does not fetch graphs unless asked"),
    Case("load", "LOAD <{url}data.ttl>", 2, UPDATE),
    Case("load-after-prefix-and-comment", "# hello\nPREFIX ex: <http://example.org/>\nLOAD <{url}data.ttl> INTO GRAPH ex:g", 2, UPDATE),
    Case("insert-data", "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }", 2, UPDATE),
    Case("clear", "CLEAR ALL", 2, UPDATE),
    Case("query-then-update", "SELECT * WHERE { ?s ?p ?o } ; LOAD <{url}x>", 1, r"SPARQL syntax error"),
    # a GRAPH pattern naming a file reads nothing: it names a graph the data does not hold
    Case("graph-file", "SELECT * WHERE { GRAPH <file://{secret}> { ?s ?p ?o } }", 0),
]

#: Parameters (``-p NAME=VALUE`` pairs) bound into ``PARAM_QUERY``; they must stay values.
PARAM_QUERY = "SELECT ?s WHERE { ?s ?p ?o FILTER(?a = ?b || STR(?s) = ?a) } LIMIT 1"


@dataclass(frozen=True)
class ParamCase:
    id: str
    params: tuple[str, ...]
    code: int
    error: str = ""
    query: str = PARAM_QUERY


PARAMS: list[ParamCase] = [
    # rdflib's n3() wrote the first as a triple-quoted string that the second closed
    ParamCase("newline-backslash-quote", ("a=x\n\\\"", "b= ) } { SERVICE <{url}> { ?s ?p ?o } } #"), 0),
    ParamCase("triple-quotes", ("a='''", "b=''' ) } UNION { SERVICE <{url}> { ?s ?p ?o } } #"), 0),
    ParamCase("double-triple-quotes", ('a="""', 'b=""" ) } UNION { SERVICE <{url}> { ?s ?p ?o } } #'), 0),
    ParamCase("quotes-newlines-angle", ("a=\"'>\n\r\t}", "b=<"), 0),
    ParamCase("iri-closing-the-group", ("x=<http://a/>}UNION{?s?p?o}#>",), 2, r"parameter 'x' \(iri\): the IRI <http://a/>\}UNION\{\?s\?p\?o\}#> holds '>'",
              "SELECT ?s WHERE { ?s ?p ?x } LIMIT 1"),
    ParamCase("iri-with-service", ("x=<http://a/> } SERVICE <{url}> { ?s ?p ?o } #>",), 2, r"parameter 'x' \(iri\): the IRI <http://a/> } SERVICE .* holds '>'",
              "SELECT ?s WHERE { ?s ?p ?x } LIMIT 1"),
    ParamCase("iri-with-u-escape", ("x:iri=http://a/\\u003E",), 2, r"parameter 'x' \(iri\): the IRI .* holds a backslash",
              "SELECT ?s WHERE { ?s ?p ?x } LIMIT 1"),
    ParamCase("string-with-u-escape", ("a=\\u0022 ) } UNION { SERVICE <{url}> { ?s ?p ?o } } #",), 2, r"parameter a: the literal .* \\u escape"),
]

#: SHACL shapes files (Turtle) for ``kg validate --shapes``; ``{select}`` is the constraint's
#: query where a case has one. Every one must be refused (exit 1) on every engine and backend.
SHAPES_HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
_SPARQL_SHAPE = SHAPES_HEAD + """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ a sh:SPARQLConstraint ;
  sh:message "m" ; sh:select \"\"\"{select}\"\"\" ] .
"""
SHAPES_REFUSED = r"cannot use these shapes: "

SHAPES: list[Case] = [
    Case("select-escaped-quote", _SPARQL_SHAPE.replace("{select}", "SELECT $this WHERE { { $this ex:a\\\\' ?o } UNION { SERVICE <{url}> { $this ?p ?o } } FILTER(?o != 'z') }"), 1, SHAPES_REFUSED + ".*SERVICE"),
    Case("select-u-escape", _SPARQL_SHAPE.replace("{select}", "SELECT $this WHERE { \\\\u0053ERVICE <{url}> { $this ?p ?o } }"), 1, SHAPES_REFUSED + ".*SERVICE"),
    Case("select-service-silent-variable", _SPARQL_SHAPE.replace("{select}", "SELECT $this WHERE { BIND(<{url}> AS ?e) service silent ?e { $this ?p ?o } }"), 1, SHAPES_REFUSED + ".*SERVICE"),
    Case("select-from-file", _SPARQL_SHAPE.replace("{select}", "SELECT $this ?o FROM <file:///etc/passwd> WHERE { $this ?p ?o }"), 1, SHAPES_REFUSED + ".*" + NOT_LOADED),
    Case("target-class-literal", SHAPES_HEAD + """ex:S a sh:NodeShape ;
  sh:targetClass "http://example.org/C> . } UNION { SERVICE <{url}> { ?this ?p ?o } } UNION { ?this ?p2 <http://example.org/C2" ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "m" ; sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
""", 1, SHAPES_REFUSED + r"sh:targetClass \".* of the shape <http://example.org/S> is not an IRI"),
    Case("target-subjects-of-literal", SHAPES_HEAD + """ex:S a sh:NodeShape ;
  sh:targetSubjectsOf "http://example.org/p> ?o } UNION { SERVICE <{url}> { ?this ?p ?o } } #" ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "m" ; sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
""", 1, SHAPES_REFUSED + r"sh:targetSubjectsOf \".* of the shape <http://example.org/S> is not an IRI"),
    Case("prefix-namespace-injection", SHAPES_HEAD + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "m" ;
    sh:prefixes [ sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/> SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } #"^^xsd:anyURI ] ] ;
    sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
""", 1),  # (any one-line error: the engines word it differently)
    Case("select-update", _SPARQL_SHAPE.replace("{select}", "LOAD <{url}data.ttl>"), 1),
]

#: JSON-LD documents whose contexts point elsewhere: none may be fetched or read.
_CTX = "{url}context.jsonld"
JSONLD: list[Case] = [
    Case("context-url", '{"@context": "' + _CTX + '", "@id": "http://example.org/a", "http://example.org/p": "x"}', 1, r"would be fetched from the network"),
    Case("context-array", '{"@context": [{"ex": "http://example.org/"}, "' + _CTX + '"], "@id": "ex:a", "ex:p": "x"}', 1, r"would be fetched from the network"),
    Case("import", '{"@context": {"@version": 1.1, "@import": "' + _CTX + '", "ex": "http://example.org/"}, "@id": "ex:a", "ex:p": "x"}', 1, r"@import .* would be fetched"),
    Case("property-scoped", '{"@context": {"@version": 1.1, "ex": "http://example.org/", "p": {"@id": "ex:p", "@context": "' + _CTX + '"}}, "@id": "ex:a", "p": {"@id": "ex:b"}}', 1, r"would be fetched from the network"),
    Case("type-scoped", '{"@context": {"@version": 1.1, "ex": "http://example.org/", "T": {"@id": "ex:T", "@context": "' + _CTX + '"}}, "@id": "ex:a", "@type": "T"}', 1, r"would be fetched from the network"),
    Case("nested-in-graph", '{"@graph": [{"@context": "' + _CTX + '", "@id": "http://example.org/a", "http://example.org/p": "x"}]}', 1, r"would be fetched from the network"),
    Case("file-context", '{"@context": "file:///etc/passwd", "@id": "http://example.org/a", "http://example.org/p": "x"}', 1, r"would read another document"),
    Case("relative-context", '{"@context": "secret.jsonld", "@id": "http://example.org/a", "http://example.org/p": "x"}', 1, r"would read another document"),
]
