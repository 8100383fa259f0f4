"""pyoxigraph terms and results as rdflib's, and the one lexical form every backend shows.

Oxigraph keeps typed literals in their canonical form (``"8.0"^^xsd:decimal`` is stored as
``"8"``); :func:`canonical` gives rdflib's terms the same form, so that a value looks the same
whichever backend answered.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kg.backends.sparql_results import Solutions, kept_spelling
from kg.errors import QueryError, UsageError
from kg.rdf.sparql_text import code_only, query_is_ordered, select_columns, split_order
from kg.namespaces import bind_prefixes
from kg.rdf.terms import QueryResult, term_sort_key
from kg.rdf.sparql_text import order_variables

if TYPE_CHECKING:
    from rdflib.term import Node

    from kg.rdf.terms import QueryResult

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD_NS + "string"


def read_whole(result: Any) -> Any:
    """A pyoxigraph answer read into Python objects at once: solutions as a
    :class:`kg.backends.sparql_results.Solutions` holding a list, triples as a list, a boolean
    as it is.

    pyoxigraph's iterators (solutions, triples, quads) may be freed only by the thread that made
    them. A frame that holds one can outlive its call: an error raised and kept below it (the
    SPARQL parser keeps its errors, with the frames that were running) keeps the frame, to be
    freed later by the collector on whatever thread runs it, and pyoxigraph then fails ("is
    unsendable"). So every answer that is not streamed is read here, in a frame that runs no
    Python code while it holds the iterator, and no caller keeps one in a variable."""
    import pyoxigraph as ox

    try:
        if isinstance(result, ox.QuerySolutions):
            return Solutions(list(result.variables), list(result))
        if isinstance(result, ox.QueryTriples):
            return list(result)
        return result
    finally:
        result = None  # (the frame may outlive the call: it keeps no iterator)


_CLASSES: list[Any] = []


def _classes() -> list[Any]:
    """pyoxigraph's and rdflib's term classes, imported once on first use (both load lazily;
    importing them in every call cost a third of converting a million terms)."""
    if not _CLASSES:
        import pyoxigraph as ox
        from rdflib import BNode, Literal, URIRef

        _CLASSES.extend([ox.NamedNode, ox.Literal, ox.BlankNode, ox.DefaultGraph, URIRef, Literal, BNode])
    return _CLASSES


def to_rdflib(term: Any) -> Node | None:
    """A pyoxigraph term as the equal rdflib term (xsd:string literals as plain literals)."""
    ox_iri, ox_literal, ox_blank, ox_default, URIRef, Literal, BNode = _CLASSES or _classes()

    if isinstance(term, ox_iri):
        return URIRef(term.value)
    if isinstance(term, ox_literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt), normalize=False)  # the lexical form as kept
    if isinstance(term, ox_blank):
        return BNode(term.value)
    if term is None or isinstance(term, ox_default):
        return None
    raise QueryError(f"RDF-star triple terms are not supported: {term}")


def to_oxigraph(term: Node | None) -> Any:
    """An rdflib term (or None for the default graph) as the equal pyoxigraph term."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return ox.DefaultGraph()
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(
            str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None
        )
    raise UsageError(f"not an RDF term: {term!r}")


class Converter:
    """pyoxigraph terms as rdflib terms; IRIs, graph names and many values repeat, so each is
    converted once (up to a million of them)."""

    def __init__(self) -> None:
        self.seen: dict[Any, Node | None] = {}

    def __call__(self, term: Any) -> Node | None:
        found = self.seen.get(term)
        if found is None:
            found = to_rdflib(term)
            if len(self.seen) < 1_000_000:
                self.seen[term] = found
        return found


_CANONICAL: dict[tuple[str, str], Node] = {}


def canonical(term: Node | None) -> Node | None:
    """An XSD-typed literal in the lexical form Oxigraph keeps (``8.0`` -> ``8`` for a decimal,
    ``+00:00`` -> ``Z``) and a language tag in lower case, so that every backend shows a value
    the same way; other terms as they are."""
    from rdflib import Literal

    if isinstance(term, Literal) and term.language and term.language != term.language.lower():
        return Literal(str(term), lang=term.language.lower())  # Oxigraph keeps tags in lower case
    if (
        not isinstance(term, Literal)
        or term.datatype is None
        or not str(term.datatype).startswith(XSD_NS)
    ):
        return term
    key = (str(term), str(term.datatype))
    found = _CANONICAL.get(key)
    if found is None:
        import pyoxigraph as ox

        found = to_rdflib(ox.Literal(kept_spelling(*key), datatype=ox.NamedNode(key[1])))
        if len(_CANONICAL) > 100_000:
            _CANONICAL.clear()
        _CANONICAL[key] = found  # type: ignore[assignment]
    return found


def canonical_result(result: QueryResult) -> QueryResult:
    """A result with every literal in its canonical form (see :func:`canonical`)."""
    from rdflib import Graph

    if result.graph is not None:
        graph = Graph()
        for prefix, ns in result.graph.namespaces():
            graph.bind(prefix, ns, override=True)
        for t in result.graph:
            graph.add((t[0], t[1], canonical(t[2])))  # type: ignore[arg-type]
        result.graph = graph
    elif result.rows:
        result.rows = [tuple(canonical(c) for c in row) for row in result.rows]
    return result


def collect(result: Any, text: str) -> QueryResult:
    """A pyoxigraph query result (solutions, boolean or triples) as a :class:`QueryResult`; also
    an endpoint's answer read by :mod:`kg.backends.sparql_results` (solutions, or a bool)."""
    import pyoxigraph as ox
    from rdflib import Graph


    if isinstance(result, (ox.QueryBoolean, bool)):
        return QueryResult("ASK", boolean=bool(result))
    result = read_whole(result)  # (the caller's own reference is gone once this returns)
    if hasattr(result, "variables"):
        columns = [v.value for v in result.variables]
        convert = Converter()
        rows = [tuple(convert(t) for t in s) for s in result]
        ordered = query_is_ordered(text)
        if not ordered:
            rows.sort(key=lambda row: tuple(term_sort_key(c) for c in row))
        return QueryResult("SELECT", columns=columns, rows=rows, ordered=ordered)
    graph = Graph()
    bind_prefixes(graph)
    for t in result:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    kind = "DESCRIBE" if re.search(r"\bDESCRIBE\b", code_only(text), re.IGNORECASE) else "CONSTRUCT"
    return QueryResult(kind, graph=graph)


# --- ORDER BY sorted here rather than by the store -----------------------------------------
#
# An on-disk store compares two IRIs or two long strings by reading both from its dictionary,
# once per comparison: ORDER BY over 100,000 rows takes seconds. When a query ends with an
# ORDER BY that names every column as a plain variable (so that rows with equal keys are equal
# rows, and the order is total) and whose other keys are expressions of the columns, the query
# runs without it and its rows are sorted here. In Python when every key is a plain variable
# and each column's literals are of one datatype whose order is plain (strings, booleans,
# integers, decimals in Oxigraph's range; years, months and dates written plainly), in the
# order SPARQL and Oxigraph give: unbound, then IRIs by their text, then literals. A key may
# also be ``STR(?x)`` or ``COALESCE(STR(?x), "")`` (a text: unbound and errors first). Otherwise
# (other dates, language-tagged strings, mixed types, other expressions) by an in-memory
# Oxigraph store from a VALUES block: the same engine, the same order, without the disk.

XSD_BOOLEAN = XSD_NS + "boolean"
XSD_INTEGER = XSD_NS + "integer"
XSD_DECIMAL = XSD_NS + "decimal"
_I64 = 2**63
#: Dates without a time zone or a sign, whose text orders them as their value does.
_PLAIN_DATES = {
    XSD_NS + "gYear": re.compile(r"\d{4}"),
    XSD_NS + "gYearMonth": re.compile(r"\d{4}-\d\d"),
    XSD_NS + "date": re.compile(r"\d{4}-\d\d-\d\d"),
}
#: ORDER BY keys that are a text made of one column: STR(?x), COALESCE(STR(?x), "").
_STR_KEY = re.compile(r'(?:(?:ASC|DESC)\s*)?\(?\s*STR\s*\(\s*[?$](\w+)\s*\)\s*\)?', re.IGNORECASE)
_COALESCE_KEY = re.compile(
    r'(?:(?:ASC|DESC)\s*)?\(?\s*COALESCE\s*\(\s*STR\s*\(\s*[?$](\w+)\s*\)\s*,\s*""\s*\)\s*\)?', re.IGNORECASE
)


def _literal_key(value: str, datatype: str) -> Any:
    """The sort key of a literal of a plain-order datatype (ValueError for anything else)."""
    from decimal import Decimal

    if datatype == XSD_STRING:
        return value
    if datatype == XSD_BOOLEAN and value in ("true", "false"):
        return value == "true"
    if datatype == XSD_INTEGER:
        number = int(value)
        if -_I64 <= number < _I64:
            return number
    if datatype == XSD_DECIMAL:
        decimal = Decimal(value)
        if decimal.is_finite() and abs(decimal) < Decimal(10) ** 20 and -decimal.as_tuple().exponent <= 18:  # type: ignore[operator]
            return decimal
    plain_date = _PLAIN_DATES.get(datatype)
    if plain_date is not None and plain_date.fullmatch(value):
        return value
    raise ValueError(datatype)


def _text_keys(key: str, rows: list[tuple[Any, ...]], index: dict[str, int]) -> list[tuple[int, Any]] | None:
    """Sort keys of an ORDER BY key that is ``STR(?x)`` (unbound and errors first) or
    ``COALESCE(STR(?x), "")`` (unbound as the empty text), or None for any other expression."""
    import pyoxigraph as ox

    found = _STR_KEY.fullmatch(key)
    coalesced = found is None
    if found is None:
        found = _COALESCE_KEY.fullmatch(key)
    if found is None or found.group(1) not in index:
        return None
    column = index[found.group(1)]
    missing = (3, "") if coalesced else (0, 0)
    return [(3, t.value) if isinstance(t, (ox.NamedNode, ox.Literal)) else missing for t in (r[column] for r in rows)]


def _column_keys(values: list[Any]) -> list[tuple[int, Any]] | None:
    """Sort keys of one column's terms, or None when the column is not of plain order."""
    import pyoxigraph as ox

    keys: list[tuple[int, Any]] = []
    datatypes: set[str] = set()
    for term in values:
        if term is None:
            keys.append((0, 0))
        elif isinstance(term, ox.NamedNode):
            keys.append((2, term.value))
        elif isinstance(term, ox.Literal) and not term.language:
            datatype = term.datatype.value
            datatypes.add(datatype)
            try:
                keys.append((3, _literal_key(term.value, datatype)))
            except (ValueError, ArithmeticError):
                return None
        else:
            return None
    return keys if len(datatypes) <= 1 else None


def sortable(columns: list[str], clause: str, keys: list[tuple[str | None, bool, str]]) -> bool:
    """Whether rows with these columns can be put in the order of ``clause`` outside the store:
    its plain variables are exactly the columns (rows with equal keys are equal rows) and its
    expressions read only columns."""

    return {name for name, _, _ in keys if name is not None} == set(columns) and order_variables(clause) <= set(columns)


def sort_solutions(
    rows: list[tuple[Any, ...]], columns: list[str], clause: str, keys: list[tuple[str | None, bool, str]]
) -> list[tuple[Any, ...]] | None:
    """``rows`` (pyoxigraph terms) in the order of the ORDER BY ``clause`` (see
    :func:`kg.rdf.sparql_text.split_order` for ``keys``, and :func:`sortable`): in Python when every
    key is a plain variable of plain order or a text of one column (``STR``), else by an
    in-memory store; None when a row holds a blank node or a triple term, which only the store
    that made them can order."""
    import pyoxigraph as ox

    if not sortable(columns, clause, keys):
        return None
    index = {c: i for i, c in enumerate(columns)}
    plain = {c: _column_keys([r[index[c]] for r in rows]) for c in columns}
    each = [plain[name] if name is not None else _text_keys(text, rows, index) for name, _, text in keys]
    if all(k is not None for k in each):
        order = list(range(len(rows)))
        for column, (_, descending, _) in zip(reversed(each), reversed(keys)):  # stable sorts, the last key first
            order.sort(key=column.__getitem__, reverse=descending)  # type: ignore[union-attr]
        return [rows[i] for i in order]
    if any(isinstance(t, (ox.BlankNode, ox.Triple)) for r in rows for t in r):
        return None
    variables = " ".join(f"?{c}" for c in columns)
    values = " ".join("(" + " ".join("UNDEF" if t is None else str(t) for t in r) + ")" for r in rows)
    answer = read_whole(ox.Store().query(f"SELECT {variables} WHERE {{ VALUES ({variables}) {{ {values} }} }} {clause}"))
    return [tuple(s) for s in answer]


def sortable_order(text: str) -> tuple[str, str, list[tuple[str | None, bool, str]]] | None:
    """(the query without its ORDER BY, the clause, its keys) when the query ends in an ORDER BY
    whose order :func:`sort_solutions` can give outside the engine (see :func:`sortable`), else
    None. Oxigraph's own ORDER BY is slow on large answers (a million rows: 110 s, against 10 s
    fetched unordered and sorted here)."""
    split = split_order(text)
    if split is None:
        return None
    columns = select_columns(text)
    return split if columns is not None and sortable(list(columns), split[1], split[2]) else None


def sorted_result(
    columns: list[str], rows: list[tuple[Any, ...]], clause: str, keys: list[tuple[str | None, bool, str]]
) -> QueryResult | None:
    """Unordered solutions (pyoxigraph terms) as a result in the order of ``clause``
    (:func:`sort_solutions`), or None when only the engine can order them."""

    solutions = sort_solutions(rows, columns, clause, keys)
    if solutions is None:
        return None
    convert = Converter()
    return QueryResult("SELECT", columns=columns, rows=[tuple(convert(t) for t in r) for r in solutions], ordered=True)
