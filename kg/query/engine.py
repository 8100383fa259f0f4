"""Running SPARQL on any backend: read-only, offline unless asked, parameters bound as terms.

:func:`query_backend` checks a query the same way on every backend (syntax, updates refused,
see :mod:`kg.rdf.rdflib_engine`), binds its parameters through the engine (typed by the
query's ``#+ param:`` header, see :mod:`kg.query.library`; entities resolved by name through the
backend), then lets the backend run it (:meth:`kg.backends.base.Backend.query`), which returns
a :class:`kg.rdf.terms.QueryResult`. :func:`run_query` is the same on an rdflib dataset, with
literals as loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib.graph import Graph
from rdflib.term import Node

from kg.rdf.columns import in_query_order
from kg.query.library import bind_params, find_named, parse_header, row_limit
from kg.rdf.rdflib_engine import (
    DEFAULT_REASONING,
    REASONING_MODES,
    check_reasoning,
    check_safety,
    execute,
    is_ordered,
    prepare,
)
from kg.rdf.reasoning import INFERRED_GRAPH
from kg.rdf.sparql_guard import check_query, param_terms
from kg.safety import network_allowed
from kg.rdf.terms import QueryResult, term_sort_key, to_python

if TYPE_CHECKING:
    from kg.backends.base import Backend

Params = Mapping[str, str | tuple[str | None, str] | Node]


def run_query(
    dataset: Graph,
    text: str,
    params: Params | None = None,
    reasoning: str = DEFAULT_REASONING,
    allow_network: bool = False,
    source: str = "query",
) -> QueryResult:
    """Run one SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on ``dataset`` (literals as
    loaded: the backends show them in their canonical form).

    ``params`` maps a variable name to a value: a string (typed by the query's ``#+ param:``
    header, or guessed when the query declares none), ``(type, string)``, or an rdflib term
    used as is. ``source`` names the query in error messages (a file name, or "query").
    """
    allow_network = allow_network or network_allowed()
    query = prepare(text, source)
    check_reasoning(reasoning)
    inferred = frozenset() if reasoning == "none" else frozenset({INFERRED_GRAPH})
    check_safety(query, dataset, allow_network, source, inferred)
    bindings = _bindings(dataset, text, params, source)
    found = execute(dataset, text, bindings, reasoning, allow_network, source, checked=True)
    return limit_rows(found, row_limit(parse_header(text, source), bindings))


def _bindings(where: Any, text: str, params: Params | None, source: str) -> dict[str, Node]:
    """The query's parameters as terms: rdflib terms as given, the rest typed by its header."""
    given = dict(params or {})
    terms = {k: v for k, v in given.items() if isinstance(v, Node)}
    raw = {k: v for k, v in given.items() if not isinstance(v, Node)}
    header = parse_header(text, source)
    bindings: dict[str, Node] = dict(bind_params(where, _without(header, terms), raw))
    bindings.update(terms)
    return bindings


def _without(header: Any, terms: Mapping[str, Node]) -> Any:
    """The header minus parameters given as ready-made terms (they are neither missing nor typed)."""
    from dataclasses import replace

    return replace(header, params=tuple(p for p in header.params if p.name not in terms))



def query_backend(
    backend: Backend,
    text: str,
    params: Params | None = None,
    reasoning: str = DEFAULT_REASONING,
    allow_network: bool = False,
    source: str = "query",
) -> QueryResult:
    """A query on any :class:`kg.backends.base.Backend`: the same checks first on every backend
    (syntax, updates refused, the reasoning mode, parameters typed and entities resolved by
    name), then the backend's own engine (in memory rdflib's, with literals put in the
    canonical form every backend shows, see :mod:`kg.backends.oxigraph_terms`); ``SELECT *``
    columns in the order the query first names them, on every backend."""
    check_query(text, source, allow_network or None, translate=False)  # the same syntax errors and refusals on every backend
    check_reasoning(reasoning)
    bindings = _bindings(backend, text, params, source)
    param_terms(bindings, source)  # terms a strict N-Triples writer can write, or a one-line error
    result = backend.query(text, bindings, source, reasoning=reasoning, allow_network=allow_network)
    return limit_rows(in_query_order(result, text), row_limit(parse_header(text, source), bindings))


def limit_rows(result: QueryResult, limit: int | None) -> QueryResult:
    """``result`` with its first ``limit`` rows only (after its order), marked ``limited`` when
    rows were left out (a named query's ``limit`` parameter, kg.query.library.row_limit)."""
    if limit is None or len(result.rows) <= limit:
        return result
    return replace(result, rows=result.rows[:limit], limited=True)


def run_named(
    dataset: Graph,
    name: str,
    params: Params | None = None,
    reasoning: str = DEFAULT_REASONING,
    directory: Path | None = None,
) -> QueryResult:
    """Run the named query ``queries/NAME.rq`` (see :func:`run_query`)."""
    named = find_named(name, directory)
    return run_query(dataset, named.text, params, reasoning, source=str(named.path))


__all__ = [
    "QueryResult",
    "REASONING_MODES",
    "DEFAULT_REASONING",
    "run_query",
    "run_named",
    "query_backend",
    "prepare",
    "check_safety",
    "is_ordered",
    "term_sort_key",
    "to_python",
]
