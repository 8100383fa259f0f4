"""rdflib's SPARQL engine, made safe: what the memory backend runs a query with.

:func:`prepare` parses a query (the project's prefixes are known without PREFIX lines) and
refuses updates; :func:`check_safety` refuses SERVICE and FROM graphs that are not loaded;
:func:`execute` runs it on an rdflib dataset with its variables bound to terms (rdflib's
``initBindings``), offline unless asked, and returns a :class:`kg.rdf.terms.QueryResult`.

Rows come in the query's order when it has a top-level ORDER BY, else sorted, so the same
input always gives the same output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from rdflib import URIRef, Variable
from rdflib.graph import Dataset, Graph
from rdflib.term import Node

from kg.errors import InputError, QueryError, UsageError
from kg.namespaces import PREFIXES
from kg.rdf.reasoning import INFERRED_GRAPH, MODES, apply_reasoning
from kg.rdf.terms import QueryResult, term_key
from kg.rdf.columns import in_query_order
from kg.safety import network_guard

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
    prefixes are predeclared. Syntax errors name ``source:line:column``. (The last few are kept:
    a query is checked before it runs, on every backend.)"""
    if _UPDATE_RE.match(text):
        raise _refuse_update(source)
    try:
        return _prepare(text, source)
    except RecursionError as exc:  # pyparsing and rdflib's algebra recurse once per nesting level
        raise InputError(f"{source}: nested too deeply to parse (recursion limit reached)") from exc


@lru_cache(maxsize=32)
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


    saved = sparql_plugin.SPARQL_LOAD_GRAPHS
    sparql_plugin.SPARQL_LOAD_GRAPHS = allow_network
    try:
        with network_guard(allow=allow_network):
            yield
    finally:
        sparql_plugin.SPARQL_LOAD_GRAPHS = saved


def check_reasoning(reasoning: str) -> None:
    """A UsageError for a --reasoning mode that does not exist."""
    if reasoning not in REASONING_MODES:
        raise UsageError(f"unknown reasoning mode {reasoning!r} (known: {', '.join(REASONING_MODES)})")


def execute(
    dataset: Graph,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    reasoning: str = DEFAULT_REASONING,
    allow_network: bool = False,
    source: str = "query",
    checked: bool = False,
) -> QueryResult:
    """Run one SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on ``dataset``, its variables
    bound to the terms ``bindings``. ``checked``: the caller has already made the checks
    (:func:`prepare`, :func:`check_reasoning`, :func:`check_safety`)."""
    from rdflib.plugins.sparql.sparql import SPARQLError

    query = prepare(text, source)
    if not checked:
        check_reasoning(reasoning)
        inferred = frozenset() if reasoning == "none" else frozenset({INFERRED_GRAPH})
        check_safety(query, dataset, allow_network, source, inferred)
    graph = apply_reasoning(dataset, reasoning)  # after every check: inference is the costly part
    try:
        with _offline(allow_network):
            result = graph.query(query, initBindings=dict(bindings or {}))
            return in_query_order(_collect(result, is_ordered(query)), text)
    except SPARQLError as exc:
        raise QueryError(f"{source}: the query failed: {exc}") from exc
    except NotImplementedError as exc:
        raise QueryError(f"{source}: not supported by rdflib's SPARQL engine: {exc}") from exc
    except TypeError as exc:  # rdflib cannot order unbound expression values, among others
        raise QueryError(
            f"{source}: rdflib could not evaluate the query ({exc}); if it orders by an expression "
            "over a variable that may be unbound, wrap it: ORDER BY (COALESCE(STR(?x), \"\"))"
        ) from exc


def _collect(result: Any, ordered: bool) -> QueryResult:
    if result.type == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(result.type, graph=result.graph)
    columns = [str(v) for v in (result.vars or [])]
    variables = [Variable(c) for c in columns]
    rows = [tuple(b.get(v) for v in variables) for b in result.bindings]
    if not ordered:
        rows.sort(key=lambda row: tuple(term_key(c) for c in row))
    return QueryResult("SELECT", columns=columns, rows=rows, ordered=ordered)



__all__ = ["REASONING_MODES", "DEFAULT_REASONING", "prepare", "check_safety", "check_reasoning", "is_ordered", "execute"]
