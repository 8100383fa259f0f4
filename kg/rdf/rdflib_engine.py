"""rdflib's SPARQL engine, made safe: what the memory backend runs a query with.

:func:`prepare` parses a query (the project's prefixes are known without PREFIX lines) and
refuses updates; :func:`check_safety` refuses SERVICE and FROM graphs that are not loaded;
:func:`execute` runs it on an rdflib dataset with its variables bound to terms (rdflib's
``initBindings``), offline unless asked, and returns a :class:`kg.rdf.terms.QueryResult`.

Rows come in the query's order when it has a top-level ORDER BY, else sorted, so the same
input always gives the same output.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from rdflib import Variable
from rdflib.graph import Dataset, Graph
from rdflib.term import Node

from kg.errors import QueryError, UsageError
from kg.rdf.reasoning import INFERRED_GRAPH, MODES, apply_reasoning
from kg.rdf.terms import QueryResult, term_key
from kg.rdf.columns import in_query_order
from kg.rdf.sparql_guard import check_dataset, check_query, param_terms, service_error, walk
from kg.safety import network_allowed, network_guard, refuse_rdflib_service

#: The --reasoning choices; "none" is the default (see docs/queries.md for why and what it costs).
REASONING_MODES = MODES
DEFAULT_REASONING = "none"

#: Unary algebra nodes between the query and a top-level ORDER BY.
_WRAPPERS = {"SelectQuery", "ConstructQuery", "DescribeQuery", "Slice", "Project", "Distinct", "Reduced", "ToMultiSet"}


def prepare(text: str, source: str = "query") -> Any:
    """Parse and translate a query (``rdflib.plugins.sparql.sparql.Query``); the project's
    prefixes are predeclared. Syntax errors name ``source:line:column``; updates are refused.
    (SERVICE and FROM are for :func:`check_safety`, or use :func:`kg.rdf.sparql_guard.check_query`,
    which does both.)"""
    return check_query(text, source, allow_network=True).query


def _known_graphs(dataset: Graph, extra_graphs: frozenset = frozenset()) -> set[Node]:
    known: set[Node] = set(extra_graphs)
    if isinstance(dataset, Dataset):
        known |= {g.identifier for g in dataset.graphs() if len(g)}
    return known


def check_safety(
    query: Any,
    dataset: Graph,
    allow_network: bool = False,
    source: str = "query",
    extra_graphs: frozenset = frozenset(),
) -> None:
    """Refuse, on a parsed query, SERVICE (unless ``allow_network``) and FROM / FROM NAMED
    graphs that are neither in ``dataset`` nor in ``extra_graphs`` (remote ones are fetched only
    with ``allow_network``; local files never: name them as inputs instead)."""
    if not allow_network:
        for node in walk(query.algebra):
            if node.name == "ServiceGraphPattern":
                raise service_error(source, node.get("term"))
    check_dataset(query, lambda: _known_graphs(dataset, extra_graphs), allow_network, source)


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

    refuse_rdflib_service()
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

    allow_network = allow_network or network_allowed()
    query = prepare(text, source)
    param_terms(bindings, source)  # the same terms on every backend: a store or an endpoint writes them
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
