"""Running SPARQL on a graph: read-only, offline unless asked, parameters bound as terms.

``run_query(dataset, text, params=...)`` parses the query (the project's prefixes are known
without PREFIX lines), refuses what would change data or reach the network, binds parameters
through rdflib's ``initBindings`` (typed by the query's ``#+ param:`` header, see
:mod:`kg.query.library`), runs it and returns a :class:`QueryResult`: columns and rows of
rdflib terms, a graph (CONSTRUCT / DESCRIBE) or a boolean (ASK).

Rows come in the query's order when it has a top-level ORDER BY, else sorted, so the same
input always gives the same output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.graph import Dataset, Graph
from rdflib.term import Node

from kg.errors import InputError, KgError, QueryError, UsageError
from kg.namespaces import PREFIXES
from kg.query.library import bind_params, find_named, parse_header, row_limit
from kg.rdf.reasoning import INFERRED_GRAPH, MODES, apply_reasoning

#: The --reasoning choices; "none" is the default (see docs/queries.md for why and what it costs).
REASONING_MODES = MODES
DEFAULT_REASONING = "none"

_UPDATE_RE = re.compile(
    r"^\s*+(?:(?:#[^\n]*+|PREFIX\s++[^\s:]*+:\s*+<[^>]*+>|BASE\s*+<[^>]*+>)\s*+)*+"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
#: Unary algebra nodes between the query and a top-level ORDER BY.
_WRAPPERS = {"SelectQuery", "ConstructQuery", "DescribeQuery", "Slice", "Project", "Distinct", "Reduced", "ToMultiSet"}


@dataclass
class QueryResult:
    """What a query returned. ``kind`` is SELECT, ASK, CONSTRUCT or DESCRIBE.

    SELECT: ``columns`` and ``rows`` (tuples of rdflib terms, ``None`` where unbound).
    ASK: ``boolean``. CONSTRUCT / DESCRIBE: ``graph``.
    """

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    ordered: bool = False
    limited: bool = False  # rows were cut at the query's ``limit`` parameter (kg.query.library.row_limit)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (IRIs as strings, numbers as Decimal/int, dates
        as date, other literals as their text): what ``pandas.DataFrame`` takes directly."""
        if self.kind == "ASK":
            return [{"boolean": self.boolean}]
        if self.graph is not None:
            return [
                {"subject": to_python(s), "predicate": to_python(p), "object": to_python(o)}
                for s, p, o in sorted(self.graph, key=lambda t: tuple(term_sort_key(x) for x in t))
            ]
        return [dict(zip(self.columns, (to_python(c) for c in row))) for row in self.rows]

    def to_dataframe(self):  # type: ignore[no-untyped-def]
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


def term_sort_key(term: Node | None) -> tuple[int, str, str, str]:
    """A total order on terms: unbound, blank nodes, IRIs, then literals by text, language, type."""
    if term is None:
        return (0, "", "", "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    if isinstance(term, Literal):
        return (3, str(term), term.language or "", str(term.datatype or ""))
    return (2, str(term), "", "")


def _parse_error(source: str, text: str, exc: Exception) -> QueryError:
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    msg = " ".join(str(getattr(exc, "msg", exc)).split())
    found = getattr(exc, "line", "")
    where = f"{source}:{line}:{col}" if line is not None else source
    near = f" near {found.strip()[:40]!r}" if found and found.strip() else ""
    return QueryError(f"{where}: SPARQL syntax error: {msg}{near}")


def _refuse_update(source: str) -> UsageError:
    return UsageError(
        f"{source}: this is a SPARQL Update; kg query is read-only. To change the graph, edit or "
        "add RDF files (data/graphs/*.trig, checked by `kg check-article FILE`) or load files "
        "into a store (`kg load --store DIR FILES`)"
    )


def _unknown_prefix(source: str, text: str, prefix: str) -> QueryError:
    found = re.search(rf"(?<![\w<:]){re.escape(prefix)}:", text)
    where = source
    if found:
        line = text.count("\n", 0, found.start()) + 1
        col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        where = f"{source}:{line}:{col}"
    return QueryError(
        f"{where}: unknown prefix {prefix + ':'!r}; declare it with PREFIX {prefix}: <...> "
        f"(known without declaring: {', '.join(sorted(PREFIXES))})"
    )


def prepare(text: str, source: str = "query") -> Any:
    """Parse and translate a query (``rdflib.plugins.sparql.sparql.Query``); the project's
    prefixes are predeclared. Syntax errors name ``source:line:column``."""
    if _UPDATE_RE.match(text):
        raise _refuse_update(source)
    try:
        return _prepare(text, source)
    except RecursionError as exc:  # pyparsing and rdflib's algebra recurse once per nesting level
        raise InputError(f"{source}: nested too deeply to parse (recursion limit reached)") from exc


def _prepare(text: str, source: str) -> Any:
    import pyparsing
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except pyparsing.ParseBaseException as exc:
        try:
            parseUpdate(text)
        except pyparsing.ParseBaseException:
            raise _parse_error(source, text, exc) from exc
        raise _refuse_update(source) from exc
    # rdflib reports an undeclared prefix with a bare Exception and no position: check first.
    declared = set(PREFIXES) | {d["prefix"] if "prefix" in d else "" for d in parsed[0] if d.name == "PrefixDecl"}
    for node in _walk(parsed[1]):
        if node.name == "pname":
            prefix = node["prefix"] if "prefix" in node else ""  # CompValue.get(k) returns k when absent
            if prefix not in declared:
                raise _unknown_prefix(source, text, prefix)
    try:
        return translateQuery(parsed, initNs=PREFIXES)
    except pyparsing.ParseBaseException as exc:
        raise _parse_error(source, text, exc) from exc


def _walk(node: Any) -> Iterator[Any]:
    """Every algebra node (CompValue) under ``node``."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)


def _is_remote(iri: object) -> bool:
    return isinstance(iri, URIRef) and str(iri).lower().startswith(("http://", "https://"))


def check_safety(
    query: Any,
    dataset: Graph,
    allow_network: bool = False,
    source: str = "query",
    extra_graphs: frozenset = frozenset(),
) -> None:
    """Refuse, before anything runs, SERVICE (unless ``allow_network``) and FROM / FROM NAMED
    graphs that are neither in ``dataset`` nor in ``extra_graphs`` (remote ones are fetched only
    with ``allow_network``; local files never: name them as inputs instead)."""
    algebra = query.algebra
    for node in _walk(algebra):
        if node.name == "ServiceGraphPattern" and not allow_network:
            raise UsageError(
                f"{source}: SERVICE <{node.term}> would query a remote endpoint; kg does not use "
                "the network unless asked: add --allow-network"
            )
    clauses = algebra.get("datasetClause") or []
    known = set(extra_graphs)
    if clauses and isinstance(dataset, Dataset):
        known |= {g.identifier for g in dataset.graphs() if len(g)}
    for clause in clauses:
        keyword = "FROM" if "default" in clause else "FROM NAMED"  # CompValue.get(k) returns k when absent
        iri = clause["default"] if "default" in clause else clause["named"]
        if iri in known:
            continue
        if _is_remote(iri):
            if allow_network:
                continue
            raise UsageError(
                f"{source}: {keyword} <{iri}> is not a loaded graph and kg does not fetch graphs "
                "unless asked: add --allow-network, or download it and give the file as an input"
            )
        raise UsageError(
            f"{source}: {keyword} <{iri}> is not a loaded graph; kg reads only files you name: "
            "give the file as an input (it is loaded as a graph named by its file: IRI)"
        )


def is_ordered(query: Any) -> bool:
    """Whether the query ends with a top-level ORDER BY (its row order then matters)."""
    node = query.algebra
    while node is not None and getattr(node, "name", None) in _WRAPPERS:
        node = node.get("p")
    return getattr(node, "name", None) == "OrderBy"


@contextmanager
def _offline(allow_network: bool) -> Iterator[None]:
    """rdflib must not load FROM graphs by itself; the audit-hook guard refuses any socket."""
    import rdflib.plugins.sparql as sparql_plugin

    from kg.safety import network_guard

    saved = sparql_plugin.SPARQL_LOAD_GRAPHS
    sparql_plugin.SPARQL_LOAD_GRAPHS = allow_network
    try:
        with network_guard(allow=allow_network):
            yield
    finally:
        sparql_plugin.SPARQL_LOAD_GRAPHS = saved


def run_query(
    dataset: Graph,
    text: str,
    params: Mapping[str, str | tuple[str | None, str] | Node] | None = None,
    reasoning: str = DEFAULT_REASONING,
    allow_network: bool = False,
    source: str = "query",
) -> QueryResult:
    """Run one SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on ``dataset``.

    ``params`` maps a variable name to a value: a string (typed by the query's ``#+ param:``
    header, or guessed when the query declares none), ``(type, string)``, or an rdflib term
    used as is. ``source`` names the query in error messages (a file name, or "query").
    """
    from rdflib.plugins.sparql.sparql import SPARQLError

    query = prepare(text, source)
    if reasoning not in REASONING_MODES:
        raise UsageError(f"unknown reasoning mode {reasoning!r} (known: {', '.join(REASONING_MODES)})")
    inferred = frozenset() if reasoning == "none" else frozenset({INFERRED_GRAPH})
    check_safety(query, dataset, allow_network, source, inferred)
    given = dict(params or {})
    terms = {k: v for k, v in given.items() if isinstance(v, Node)}
    raw = {k: v for k, v in given.items() if not isinstance(v, Node)}
    header = parse_header(text, source)
    bindings: dict[str, Node] = dict(bind_params(dataset, _without(header, terms), raw))  # type: ignore[arg-type]
    bindings.update(terms)
    graph = apply_reasoning(dataset, reasoning)  # after every check: inference is the costly part
    try:
        with _offline(allow_network):
            result = graph.query(query, initBindings=bindings)
            return limit_rows(_collect(result, is_ordered(query)), row_limit(header, bindings))
    except SPARQLError as exc:
        raise QueryError(f"{source}: the query failed: {exc}") from exc
    except NotImplementedError as exc:
        raise QueryError(f"{source}: not supported by rdflib's SPARQL engine: {exc}") from exc
    except TypeError as exc:  # rdflib cannot order unbound expression values, among others
        raise QueryError(
            f"{source}: rdflib could not evaluate the query ({exc}); if it orders by an expression "
            "over a variable that may be unbound, wrap it: ORDER BY (COALESCE(STR(?x), \"\"))"
        ) from exc


def _without(header: Any, terms: Mapping[str, Node]) -> Any:
    """The header minus parameters given as ready-made terms (they are neither missing nor typed)."""
    from dataclasses import replace

    return replace(header, params=tuple(p for p in header.params if p.name not in terms))


def _collect(result: Any, ordered: bool) -> QueryResult:
    if result.type == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(result.type, graph=result.graph)
    columns = [str(v) for v in (result.vars or [])]
    variables = [Variable(c) for c in columns]
    rows = [tuple(b.get(v) for v in variables) for b in result.bindings]
    if not ordered:
        rows.sort(key=lambda row: tuple(term_sort_key(c) for c in row))
    return QueryResult("SELECT", columns=columns, rows=rows, ordered=ordered)


def query_backend(
    backend: Any,
    text: str,
    params: Mapping[str, str | tuple[str | None, str] | Node] | None = None,
    reasoning: str = DEFAULT_REASONING,
    allow_network: bool = False,
    source: str = "query",
) -> QueryResult:
    """:func:`run_query` on any :class:`kg.backends.base.Backend`: in memory exactly that (literals
    then put in the canonical form every backend shows, see :mod:`kg.backends.oxigraph_terms`); on a
    store or an endpoint, the same checks first (syntax, updates refused, parameters typed and
    entities resolved by name), then the backend's own engine. Reasoning needs the graph in
    memory."""
    from kg.backends.base import MemoryBackend
    from kg.backends.oxigraph_terms import canonical_result

    if isinstance(backend, MemoryBackend):
        return canonical_result(run_query(backend.ds, text, params, reasoning, allow_network, source))
    if reasoning != "none":
        raise UsageError(
            f"--reasoning {reasoning} needs the graph in memory: it is not available with "
            f"--store or --endpoint (materialise the inferences into the files before `kg load`)"
        )
    prepare(text, source)  # the same syntax errors and refusals as in memory
    given = dict(params or {})
    terms = {k: v for k, v in given.items() if isinstance(v, Node)}
    raw = {k: v for k, v in given.items() if not isinstance(v, Node)}
    header = parse_header(text, source)
    bindings: dict[str, Node] = dict(bind_params(backend, _without(header, terms), raw))  # type: ignore[arg-type]
    bindings.update(terms)
    found = backend.query(text, params=bindings, source=source)
    return limit_rows(found, row_limit(header, bindings))


def limit_rows(result: QueryResult, limit: int | None) -> QueryResult:
    """``result`` with its first ``limit`` rows only (after its order), marked ``limited`` when
    rows were left out."""
    if limit is None or len(result.rows) <= limit:
        return result
    return replace(result, rows=result.rows[:limit], limited=True)


def run_named(
    dataset: Graph,
    name: str,
    params: Mapping[str, str | tuple[str | None, str] | Node] | None = None,
    reasoning: str = DEFAULT_REASONING,
    directory: Path | None = None,
) -> QueryResult:
    """Run the named query ``queries/NAME.rq`` (see :func:`run_query`)."""
    named = find_named(name, directory)
    return run_query(dataset, named.text, params, reasoning, source=str(named.path))


__all__ = ["QueryResult", "REASONING_MODES", "run_query", "run_named", "query_backend", "prepare", "check_safety"]
