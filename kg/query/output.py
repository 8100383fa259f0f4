"""Query results -> text: a readable table, the W3C SPARQL 1.1 results formats, or RDF.

- ``table``: aligned; IRIs as prefixed names with their label beside them; wide cells cut with
  a marker (kg.render).
- ``csv`` / ``tsv``: W3C "SPARQL 1.1 Query Results CSV and TSV Formats" (CSV: plain values,
  CRLF line ends; TSV: ``?var`` header, terms in N-Triples syntax).
- ``json`` / ``xml``: W3C "SPARQL 1.1 Query Results JSON Format" / "... XML Format".
- CONSTRUCT / DESCRIBE graphs: ``turtle``, ``nt``, ``nquads``, ``trig``, ``jsonld``, ``xml`` (RDF/XML).

Blank nodes are relabelled ``b0``, ``b1``, ... in order of appearance, so output is stable.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.graph import Dataset, Graph
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import UsageError
from kg.namespaces import PREFIXES, bind_prefixes
from kg.query.engine import QueryResult, term_sort_key
from kg.render import truncate, truncate_middle
from kg.rdf.labels import label_of
from kg.render import Table, fit_widths, table_lines

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld", "xml")
ALL_FORMATS = tuple(dict.fromkeys(RESULT_FORMATS + GRAPH_FORMATS))
_RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld", "xml": "xml"}
_SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_NS_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


class _BNodeLabels:
    """``b0``, ``b1``, ... for blank nodes in order of first appearance."""

    def __init__(self) -> None:
        self.labels: dict[BNode, str] = {}

    def __call__(self, node: BNode) -> str:
        return self.labels.setdefault(node, f"b{len(self.labels)}")


def _namespaces(graph: Graph | None) -> list[tuple[str, str]]:
    """The project's prefixes, then those the graph's files declared, longest namespace first."""
    table = dict(PREFIXES)
    if graph is not None:
        for prefix, ns in sorted(graph.namespaces()):
            if prefix and not prefix.startswith("ns") and str(ns) not in table.values():
                table.setdefault(prefix, str(ns))
    return sorted(table.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def qname(iri: URIRef, namespaces: list[tuple[str, str]] | None = None) -> str:
    """``place:baotou`` for an IRI in a known namespace (local part without '/' or '#'), else
    ``<iri>``."""
    text = str(iri)
    for prefix, ns in namespaces if namespaces is not None else _NS_BY_LENGTH:
        if text.startswith(ns):
            local = text[len(ns) :]
            if local and not any(ch in local for ch in "/#?<> "):
                return f"{prefix}:{local}"
    return f"<{text}>"


class _QNames:
    """:func:`qname` for the many IRIs of a large table. A local part has no '/' or '#', so of
    the namespaces that end in one, only the IRI's text up to its last '/' or '#' can give a
    prefixed name: it is found in a dict. The few other namespaces (``xml:``) are tried first,
    as a match of theirs is longer and :func:`qname` tries the longest first."""

    def __init__(self, namespaces: list[tuple[str, str]]) -> None:
        self.by_ns: dict[str, str] = {}
        for prefix, ns in reversed(namespaces):  # the first of equal namespaces wins, as in qname
            if ns.endswith(("/", "#")):
                self.by_ns[ns] = prefix
        self.others = [(prefix, ns) for prefix, ns in namespaces if not ns.endswith(("/", "#"))]

    def __call__(self, iri: URIRef) -> str:
        text = str(iri)
        cut = max(text.rfind("/"), text.rfind("#")) + 1
        for prefix, ns in self.others:
            if len(ns) >= cut and text.startswith(ns):
                local = text[len(ns) :]
                if local and not any(ch in local for ch in "/#?<> "):
                    return f"{prefix}:{local}"
        prefix = self.by_ns.get(text[:cut])
        local = text[cut:]
        if prefix is not None and local and not any(ch in local for ch in "?<> "):
            return f"{prefix}:{local}"
        return f"<{text}>"


def fit_labelled(label: str, short: str, width: int) -> str:
    """``label (short)`` in at most ``width`` characters: the label is cut first, then the
    middle of the prefixed name."""

    full = f"{label} ({short})"
    if width <= 0 or len(full) <= width:
        return full
    room = width - len(short) - 3
    if room >= 8:
        return f"{truncate(label, room)} ({short})"
    if width < 8 + 3 + 8:  # no room for both: the label alone, as a person reads it
        return truncate(label, width)
    label_width = min(len(label), max(8, (width - 3) // 2))
    return f"{truncate(label, label_width)} ({truncate_middle(short, width - 3 - label_width)})"


def _iri_cell(term: Node, graph: Graph | None, max_width: int, short: str) -> str:
    """An IRI's cell: its label, if it has one other than its own text, beside ``short``."""

    label = ""
    if graph is not None:

        label = label_of(graph, term)
        tail = str(term).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if label in (tail, str(term)):
            label = ""
    if not label:
        return truncate_middle(short, max_width)
    return fit_labelled(label, short, max_width)


def to_table(result: QueryResult, graph: Graph | None = None, max_width: int = 60, width: int | None = None) -> str:
    """An aligned table (ASK: ``true`` / ``false``): cells cut to ``max_width`` (0: never), and
    the widest columns cut further when the table would be wider than ``width`` (None: no
    limit), labels first, then the middle of a name (:func:`fit_labelled`)."""
    return "".join(table_pieces(result, graph, max_width, width))


def table_pieces(
    result: QueryResult, graph: Graph | None = None, max_width: int = 60, width: int | None = None
) -> Iterator[str]:
    """:func:`to_table` a line at a time, once the columns' widths are known."""
    if result.kind == "ASK":
        yield "true\n" if result.boolean else "false\n"
        return
    qnames = _QNames(_namespaces(graph))
    labels = _BNodeLabels()
    shown: dict[tuple[Node | None, int], str] = {}  # IRIs and values repeat down a column: each cell is made once

    def cell(term: Node | None, cap: int) -> str:
        if isinstance(term, BNode):
            return truncate(f"_:{labels(term)}", cap)  # numbered in order of appearance: never from the cache
        found = shown.get((term, cap))
        if found is None:
            if term is None:
                found = ""
            elif isinstance(term, URIRef):
                found = _iri_cell(term, graph, cap, qnames(term))
            else:
                found = truncate(str(term), cap)
            shown[(term, cap)] = found
        return found

    cells = [[cell(c, max_width) for c in row] for row in result.rows]
    natural = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.columns)]
    typed = [  # columns of typed values (numbers, dates) are not cut to fit
        all(c is None or (isinstance(c, Literal) and c.datatype is not None) for c in column) and any(column)
        for column in zip(*result.rows)
    ] if result.rows else []
    fitted = fit_widths(natural, result.columns, width, typed)
    if fitted != natural:
        labels = _BNodeLabels()  # numbered again, in the same order
        cells = [[cell(c, w) for c, w in zip(row, fitted)] for row in result.rows]
    yield from table_lines(Table(result.columns, cells), max_width=0)  # every cell is cut already


def to_csv(result: QueryResult) -> str:
    """W3C SPARQL 1.1 CSV: header of names, IRIs and literal values as plain text, CRLF."""
    return "".join(csv_pieces(result))


def csv_pieces(result: QueryResult, rows: int = 1000) -> Iterator[str]:
    """:func:`to_csv` ``rows`` rows at a time."""
    if result.kind == "ASK":
        yield "true\r\n" if result.boolean else "false\r\n"
        return
    labels = _BNodeLabels()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.columns)
    for i, row in enumerate(result.rows, 1):
        writer.writerow(["" if c is None else f"_:{labels(c)}" if isinstance(c, BNode) else str(c) for c in row])
        if i % rows == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _nt_string(text: str) -> str:
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{out}"'


def nt_term(term: Node, labels: _BNodeLabels) -> str:
    """A term in N-Triples syntax, as TSV cells are written."""
    if isinstance(term, BNode):
        return f"_:{labels(term)}"
    if isinstance(term, Literal):
        if term.language:
            return f"{_nt_string(str(term))}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{_nt_string(str(term))}^^<{term.datatype}>"
        return _nt_string(str(term))
    return f"<{term}>"


def to_tsv(result: QueryResult) -> str:
    """W3C SPARQL 1.1 TSV: ``?var`` header, N-Triples terms, empty cell when unbound, LF."""
    return "".join(tsv_pieces(result))


def tsv_pieces(result: QueryResult) -> Iterator[str]:
    """:func:`to_tsv` a line at a time."""
    if result.kind == "ASK":
        yield "true\n" if result.boolean else "false\n"
        return
    labels = _BNodeLabels()
    yield "\t".join(f"?{c}" for c in result.columns) + "\n"
    for row in result.rows:
        yield "\t".join("" if c is None else nt_term(c, labels) for c in row) + "\n"


def _json_term(term: Node, labels: _BNodeLabels) -> dict[str, str]:
    if isinstance(term, BNode):
        return {"type": "bnode", "value": labels(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "uri", "value": str(term)}


def to_json(result: QueryResult) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    if result.kind == "ASK":
        doc: dict[str, object] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        labels = _BNodeLabels()
        bindings = [
            {col: _json_term(c, labels) for col, c in zip(result.columns, row) if c is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _xml_term(term: Node, labels: _BNodeLabels) -> str:
    if isinstance(term, BNode):
        return f"<bnode>{labels(term)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
        return f"<literal>{escape(str(term))}</literal>"
    return f"<uri>{escape(str(term))}</uri>"


def to_xml(result: QueryResult) -> str:
    """W3C SPARQL Query Results XML."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{_SPARQL_RESULTS_NS}">']
    if result.kind == "ASK":
        lines += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        labels = _BNodeLabels()
        lines.append("  <head>")
        lines += [f"    <variable name={quoteattr(c)}/>" for c in result.columns]
        lines += ["  </head>", "  <results>"]
        for row in result.rows:
            lines.append("    <result>")
            for col, c in zip(result.columns, row):
                if c is not None:
                    lines.append(f"      <binding name={quoteattr(col)}>{_xml_term(c, labels)}</binding>")
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _stable_graph(graph: Graph) -> Dataset:
    """The triples of ``graph`` in a dataset's default graph, blank nodes canonically labelled,
    added in sorted order (rdflib serialises in insertion order where it does not sort)."""
    if any(isinstance(t, BNode) for triple in graph for t in triple):
        from rdflib.compare import to_canonical_graph

        graph = to_canonical_graph(graph)
    ds = Dataset()
    bind_prefixes(ds)
    for triple in sorted(graph, key=lambda t: tuple(term_sort_key(x) for x in t)):
        ds.add(triple)
    return ds


def to_rdf(result: QueryResult, fmt: str) -> str:
    """A CONSTRUCT / DESCRIBE result as RDF in one of ``GRAPH_FORMATS``."""
    if fmt not in _RDFLIB_FORMAT:
        raise UsageError(f"a {result.kind} query returns RDF: --format {fmt} is not one of {', '.join(GRAPH_FORMATS)}")
    assert result.graph is not None
    ds = _stable_graph(result.graph)
    if fmt in ("nt", "nquads"):
        text = ds.serialize(format=_RDFLIB_FORMAT[fmt])
        lines = sorted({line for line in text.splitlines() if line.strip()})
        return "\n".join(lines) + ("\n" if lines else "")
    if fmt in ("turtle", "xml", "jsonld"):
        g = Graph()
        bind_prefixes(g)
        for triple in ds:
            g.add(triple[:3])
        return g.serialize(format=_RDFLIB_FORMAT[fmt])
    return ds.serialize(format=_RDFLIB_FORMAT[fmt])


def serialize(
    result: QueryResult,
    fmt: str | None = None,
    graph: Graph | None = None,
    max_width: int = 60,
    width: int | None = None,
) -> str:
    """The text for ``result`` in ``fmt`` (None: ``table`` for SELECT / ASK, ``turtle`` for RDF).
    ``graph`` supplies labels for the table."""
    return "".join(serialize_pieces(result, fmt, graph, max_width, width))


def serialize_pieces(
    result: QueryResult,
    fmt: str | None = None,
    graph: Graph | None = None,
    max_width: int = 60,
    width: int | None = None,
) -> Iterator[str]:
    """:func:`serialize` in pieces, to be written as they come: a table a line at a time (once
    the widths are known), CSV and TSV a row at a time; the other formats whole."""
    if result.graph is not None:
        yield to_rdf(result, fmt or "turtle")
        return
    fmt = fmt or "table"
    if fmt == "table":
        yield from table_pieces(result, graph, max_width, width)
    elif fmt == "csv":
        yield from csv_pieces(result)
    elif fmt == "tsv":
        yield from tsv_pieces(result)
    elif fmt == "json":
        yield to_json(result)
    elif fmt == "xml":
        yield to_xml(result)
    else:
        raise UsageError(f"a {result.kind} query returns results: --format {fmt} is not one of {', '.join(RESULT_FORMATS)}")
