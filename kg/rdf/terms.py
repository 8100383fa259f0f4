"""The shared facts about terms: the graph IRIs, the one term order, a quad, what a query
returns (:class:`QueryResult`); and what an exporter writes: the quads, with canonical blank
nodes, and how to spell their terms.

Every exporter works on an :class:`ExportData`: the selected quads, deduplicated and sorted,
blank nodes renamed by RDFC-1.0 canonicalisation (``c14n0``, ``c14n1``...; ``h0``, ``h1``... where
RDFC-1.0 would take minutes, see :mod:`kg.rdf.blank_nodes`), so that the same
graph gives the same bytes however it was parsed. Literals are kept exactly as loaded: lexical
form, language tag and datatype (an explicit ``xsd:string`` stays explicit).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, Graph
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import InputError, KgError
from kg.namespaces import GRAPH, PREFIXES
from kg.rdf.blank_nodes import BlankNodeLimitError, rdfc_is_cheap, refined_labels

#: The named graphs kg itself fills: the ontology, the shapes, and inferences (--reasoning).
ONTOLOGY_GRAPH = GRAPH["ontology"]
SHAPES_GRAPH = GRAPH["shapes"]
INFERRED_GRAPH = GRAPH["inferred"]


class ExportError(KgError):
    """The selected graph cannot be written in the chosen format (say which term, and why)."""


#: A quad: subject, predicate, object, graph name (None: the default graph).
Quad = tuple[Node, Node, Node, Node | None]
Triple = tuple[Node, Node, Node]


def term_key(term: Node | None) -> tuple[int, str, str, str]:
    """The one total, deterministic order on terms (query rows, exports, tables): unbound (or
    the default graph), IRIs, blank nodes, then literals by text, datatype and language."""
    if term is None:
        return (0, "", "", "")
    if isinstance(term, URIRef):
        return (1, str(term), "", "")
    if isinstance(term, BNode):
        return (2, str(term), "", "")
    if isinstance(term, Literal):
        return (3, str(term), str(term.datatype or ""), term.language or "")
    raise ExportError(f"cannot export the term {term!r} (not an IRI, blank node or literal)")


#: The name query code knows it by.
term_sort_key = term_key


@dataclass
class QueryResult:
    """What a query returned, on any backend. ``kind`` is SELECT, ASK, CONSTRUCT or DESCRIBE.

    SELECT: ``columns`` and ``rows`` (tuples of rdflib terms, ``None`` where unbound).
    ASK: ``boolean``. CONSTRUCT / DESCRIBE: ``graph``.
    """

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    ordered: bool = False
    limited: bool = False  # rows were cut at a named query's ``limit`` parameter (kg.query.library.row_limit)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (IRIs as strings, numbers as Decimal/int, dates
        as date, other literals as their text): what ``pandas.DataFrame`` takes directly."""
        if self.kind == "ASK":
            return [{"boolean": self.boolean}]
        if self.graph is not None:
            return [
                {"subject": to_python(s), "predicate": to_python(p), "object": to_python(o)}
                for s, p, o in sorted(self.graph, key=lambda t: tuple(term_key(x) for x in t))
            ]
        return [dict(zip(self.columns, (to_python(c) for c in row))) for row in self.rows]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of :meth:`records` (pandas is optional: ``pip install 'kg[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise KgError("pandas is not installed: pip install 'kg[pandas]' (or use .records())") from exc
        records = self.records()
        columns = list(records[0]) if records else (self.columns or ["subject", "predicate", "object"])
        return pd.DataFrame.from_records(records, columns=columns)


def to_python(term: Node | None) -> Any:
    """A term as a plain Python value (see :meth:`QueryResult.records`)."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def _check_quad(q: Quad) -> None:
    """Refuse what is not RDF (a literal subject, a blank-node predicate, a variable)."""
    s, p, o, g = q
    for t in q:
        term_key(t)
    if isinstance(s, Literal) or not isinstance(p, URIRef) or isinstance(g, Literal):
        raise ExportError(f"cannot export the statement {s.n3()} {p.n3()} {o.n3()}: it is not RDF")


def quad_key(q: Quad) -> tuple:
    return (term_key(q[3]), term_key(q[0]), term_key(q[1]), term_key(q[2]))


def dataset_quads(ds: Dataset) -> Iterator[Quad]:
    """Every quad of ``ds``, graph by graph (the default graph's name is None)."""
    for g in ds.graphs():
        name = None if g.identifier == DATASET_DEFAULT_GRAPH_ID else g.identifier
        for s, p, o in g:
            yield (s, p, o, name)


@dataclass
class ExportData:
    """Quads ready to write: deduplicated, blank nodes canonical, sorted by graph then subject."""

    quads: list[Quad] = field(default_factory=list)

    @classmethod
    def from_quads(cls, quads: Iterable[Quad]) -> ExportData:
        unique = set(quads)
        for q in unique:
            _check_quad(q)
        return cls(sorted(canonical_blank_nodes(unique), key=quad_key))

    @classmethod
    def from_dataset(cls, ds: Dataset) -> ExportData:
        return cls.from_quads(dataset_quads(ds))

    @cached_property
    def graphs(self) -> dict[Node | None, list[Triple]]:
        """Graph name -> its triples, sorted (the default graph, None, first when present)."""
        out: dict[Node | None, list[Triple]] = {}
        for s, p, o, g in self.quads:
            out.setdefault(g, []).append((s, p, o))
        return out

    @cached_property
    def merged(self) -> list[Triple]:
        """The union of every graph, sorted, with the blank node labels of :attr:`quads` (for
        the network formats, which say in which graphs each edge is)."""
        return sorted({(s, p, o) for s, p, o, _ in self.quads}, key=lambda t: tuple(map(term_key, t)))

    @cached_property
    def triples(self) -> list[Triple]:
        """The union of every graph, deduplicated and sorted (for the triple-only formats).

        Blank nodes are labelled again, by RDFC-1.0 over the union alone: the labels of
        :attr:`quads` depend on graph names, which a triple format does not write, so the same
        triples would get other labels in another graph."""
        union = {(s, p, o, None) for s, p, o, _ in self.quads}
        if any(isinstance(t, BNode) for q in union for t in q):
            union = canonical_blank_nodes(union)
        return sorted(((s, p, o) for s, p, o, _ in union), key=lambda t: tuple(map(term_key, t)))


# --- blank nodes -------------------------------------------------------------------------


def canonical_blank_nodes(quads: set[Quad]) -> set[Quad]:
    """The quads with blank nodes renamed by RDFC-1.0 (pyoxigraph), so labels are stable; where
    RDFC-1.0 would take minutes (many look-alike blank nodes linked to each other), by kg's
    colour refinement instead (:mod:`kg.rdf.blank_nodes`: labels ``h0``, ``h1``...).

    Only quads that mention a blank node take part (the others cannot change the labels)."""

    with_bnodes = [q for q in quads if any(isinstance(t, BNode) for t in q)]
    if not with_bnodes:
        return quads
    if not rdfc_is_cheap(with_bnodes):
        try:
            labels = refined_labels(with_bnodes)
        except BlankNodeLimitError as exc:
            raise ExportError(f"cannot export: {exc}") from exc
        renamed_here = {tuple(labels.get(t, t) if isinstance(t, BNode) else t for t in q) for q in with_bnodes}
        return (quads - set(with_bnodes)) | renamed_here  # type: ignore[operator]
    import pyoxigraph as ox

    encode: dict[Node, object] = {}
    decode: dict[object, Node] = {}

    def to_ox(term: Node | None) -> object:
        if term is None:
            return ox.DefaultGraph()
        if term in encode:
            return encode[term]
        if isinstance(term, BNode):
            value: object = ox.BlankNode()
        elif isinstance(term, URIRef):
            value = ox.NamedNode(str(term))
        elif isinstance(term, Literal):
            value = _ox_literal(ox, term)
        else:  # pragma: no cover - term_key refused these already
            raise ExportError(f"cannot export the term {term!r}")
        encode[term] = value
        if not isinstance(term, BNode):
            decode[value] = term
        return value

    try:
        dataset = ox.Dataset([ox.Quad(*(to_ox(t) for t in q)) for q in with_bnodes])
    except ValueError as exc:  # an IRI pyoxigraph refuses
        raise ExportError(f"cannot canonicalise the blank nodes: {exc}") from exc
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)

    def from_ox(term: object) -> Node | None:
        if isinstance(term, ox.DefaultGraph):
            return None
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        return decode[term]

    renamed = {tuple(from_ox(t) for t in (q.subject, q.predicate, q.object, q.graph_name)) for q in dataset}
    return (quads - set(with_bnodes)) | renamed  # type: ignore[operator]


_XSD_STRING_MARK = "urn:x-kg-export:explicit-xsd-string"


def _ox_literal(ox, lit: Literal):  # type: ignore[no-untyped-def]
    """The pyoxigraph literal for ``lit``; rdflib tells "x" from "x"^^xsd:string, oxigraph
    does not, so an explicit xsd:string gets a private datatype during canonicalisation."""
    if lit.language:
        return ox.Literal(str(lit), language=lit.language)
    if lit.datatype is None:
        return ox.Literal(str(lit))
    if lit.datatype == XSD.string:
        return ox.Literal(str(lit), datatype=ox.NamedNode(_XSD_STRING_MARK))
    return ox.Literal(str(lit), datatype=ox.NamedNode(str(lit.datatype)))


# --- prefixes and escapes shared by the text formats -------------------------------------

#: Namespaces, longest first, so the most specific prefix wins.
_BY_LENGTH = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda x: (-len(x[0]), x[1]))

#: A local name every Turtle / SPARQL parser accepts after a prefix (a safe subset of PN_LOCAL).
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")


def split_prefixed(iri: str) -> tuple[str, str] | None:
    """(prefix, local) for an IRI in one of the project's namespaces, else None."""
    for ns, prefix in _BY_LENGTH:
        if iri.startswith(ns):
            return prefix, iri[len(ns) :]
    return None


class Prefixer:
    """Shortens IRIs with the project's prefixes and remembers which prefixes it used."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def pname(self, iri: str) -> str | None:
        """``prefix:local`` when the local part is safe to write unescaped, else None."""
        split = split_prefixed(iri)
        if split is None:
            return None
        prefix, local = split
        if local and not _LOCAL.fullmatch(local):
            return None
        self.used.add(prefix)
        return f"{prefix}:{local}"

    def declarations(self) -> list[tuple[str, str]]:
        """(prefix, namespace) for each prefix used, sorted by prefix."""
        return [(p, PREFIXES[p]) for p in sorted(self.used)]


def _uchar(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri_ref(iri: str) -> str:
    """``<iri>`` with the characters IRIREF forbids written as \\u escapes."""
    return "<" + _IRI_BAD.sub(lambda m: _uchar(m.group()), iri) + ">"


_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_SHORT_BAD = re.compile(r'[\\"\x00-\x1f\x7f]')
_LONG_BAD = re.compile(r'[\\"\x00-\x08\x0b-\x1f\x7f]')


def quote_short(text: str) -> str:
    """A one-line ``"..."`` string (N-Triples, N-Quads, Turtle)."""
    return '"' + _SHORT_BAD.sub(lambda m: _ECHAR.get(m.group(), _uchar(m.group())), text) + '"'


def quote_turtle(text: str) -> str:
    """``"..."``, or ``\"\"\"...\"\"\"`` keeping line breaks as they are when the text has several lines."""
    if "\n" not in text:
        return quote_short(text)
    return '"""' + _LONG_BAD.sub(lambda m: _ECHAR.get(m.group(), _uchar(m.group())), text) + '"""'


def expect_rows(result: QueryResult, columns: int, source: str, at_least: int = 0) -> list[tuple[Any, ...]]:
    """The rows of a SELECT answer that must have ``columns`` columns, every value bound, and
    ``at_least`` rows: a server may answer anything (no row to a COUNT, one column for two), so
    an answer of another shape is a one-line InputError, not an IndexError in the caller."""
    width = len(result.columns)
    if result.kind != "SELECT" or width != columns:
        raise InputError(
            f"{source}: the SPARQL endpoint answered {width} column{'s' if width != 1 else ''} where the query asks for "
            f"{columns}; is it a SPARQL 1.1 server?"
        )
    if len(result.rows) < at_least:
        raise InputError(f"{source}: the SPARQL endpoint answered {len(result.rows)} rows to a query that always has {at_least}")
    for row in result.rows:
        if len(row) != columns or any(value is None for value in row):
            raise InputError(f"{source}: the SPARQL endpoint answered a row with an unbound value where the query binds every one")
    return result.rows
