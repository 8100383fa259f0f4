"""Where a command's graph lives: in memory (rdflib), in an on-disk Oxigraph store, or behind a
remote SPARQL 1.1 endpoint; one interface over the three.

Every backend answers ``query(text)`` with :class:`kg.query.engine.QueryResult` (rdflib terms, rows
sorted unless the query orders them), iterates the quads of its named graphs, lists them and
counts them.

The default graph a query sees is the RDF merge of the named graphs on every backend (a set:
a triple stated in three graphs is seen once). rdflib's union default graph is that merge;
Oxigraph 0.5's union mode is not (it repeats such a triple once per graph, oxigraph#1919), so
``kg load`` and ``kg push`` write the merge into the store's or endpoint's default graph and
queries read that default graph. An endpoint filled by other means must be set up to the same
effect (Fuseki: ``unionDefaultGraph``).

Commands pick one with :func:`open_backend` from their ``--store`` / ``--endpoint`` options; the
memory backend is the default and is exactly what :func:`kg.rdf.loading.load_inputs` builds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, QueryError, UsageError
from kg.namespaces import PREFIXES
from kg.backends.oxigraph_terms import (
    Converter,
    canonical,
    canonical_result,
    collect,
    sortable_order,
    sorted_result,
    to_oxigraph,
    to_rdflib,
)
from kg.rdf.sparql_guard import bind_values, check_query, check_run_text
from kg.rdf.sparql_text import lateral_optionals

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib.term import Node

    from kg.query.engine import QueryResult

#: One quad: subject, predicate, object and the name of its graph (rdflib terms).
Quad = tuple["Node", "Node", "Node", "Node"]


class Backend:
    """What every backend offers. ``name`` says which it is (memory, store, endpoint)."""

    name = "backend"

    def query(
        self, text: str, params: Mapping[str, Node] | None = None, source: str = "query"
    ) -> QueryResult:
        """Run a SPARQL query (the project's prefixes need no PREFIX lines); ``params`` binds
        variables to rdflib terms."""
        raise NotImplementedError

    def rows(
        self, text: str, params: Mapping[str, Node] | None = None, source: str = "query"
    ) -> Iterator[tuple[Node | None, ...]]:
        """The rows of a SELECT query in no particular order (cheaper than :meth:`query` when
        the caller does not need them sorted)."""
        return iter(self.query(text, params, source).rows)

    def quads(
        self, s: Node | None = None, p: Node | None = None, o: Node | None = None
    ) -> Iterator[Quad]:
        """Every quad of the named graphs matching the pattern (the default graph is their merge)."""
        raise NotImplementedError

    def named_graphs(self) -> list[Node]:
        """The names of the non-empty named graphs, sorted."""
        raise NotImplementedError

    def count(self) -> int:
        """How many quads the named graphs hold."""
        raise NotImplementedError

    def dataset(self) -> Dataset:
        """The named graphs as an in-memory rdflib Dataset (for code that needs one; costly at scale)."""
        from kg.rdf.loading import new_dataset

        ds = new_dataset()
        for s, p, o, g in self.quads():
            ds.add((s, p, o, g))  # type: ignore[arg-type]
        return ds

    def close(self) -> None:
        """Release what the backend holds (a store's lock, nothing for the others)."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class MemoryBackend(Backend):
    """An rdflib Dataset in memory whose default graph is the union: the project's default."""

    name = "memory"

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds

    def query(
        self, text: str, params: Mapping[str, Node] | None = None, source: str = "query"
    ) -> QueryResult:
        from kg.query.engine import run_query

        return canonical_result(run_query(self.ds, text, params=params, source=source))

    def quads(
        self, s: Node | None = None, p: Node | None = None, o: Node | None = None
    ) -> Iterator[Quad]:
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        for qs, qp, qo, g in self.ds.quads((s, p, o, None)):  # type: ignore[arg-type]
            name = getattr(g, "identifier", g)
            if name != DATASET_DEFAULT_GRAPH_ID:
                yield qs, qp, canonical(qo), name  # type: ignore[misc]

    def named_graphs(self) -> list[Node]:
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        names = (g.identifier for g in self.ds.contexts() if len(g))
        return sorted((n for n in names if n != DATASET_DEFAULT_GRAPH_ID), key=str)

    def count(self) -> int:
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        return sum(len(g) for g in self.ds.contexts() if g.identifier != DATASET_DEFAULT_GRAPH_ID)

    def dataset(self) -> Dataset:
        return self.ds


def store_error(path: Path, exc: OSError) -> InputError:
    """A one-line message for a store that cannot be opened."""
    detail = " ".join(str(exc).split())
    if "lock" in detail.lower():
        return InputError(
            f"{path}: the store is in use by another process (close it, or stop the server "
            f"that has it open) [{detail}]"
        )
    return InputError(f"{path}: cannot open the Oxigraph store: {detail}")


def open_store(path: str | Path, read_only: bool = True) -> Any:
    """Open an existing on-disk Oxigraph store (read-only by default: many readers may share it)."""
    import pyoxigraph as ox

    path = Path(path)
    if not path.is_dir():
        raise InputError(
            f"{path}: no such store; create it with `kg load --store {path} [FILES...]`"
        )
    if not (path / "CURRENT").exists():
        raise InputError(
            f"{path}: not an Oxigraph store (no CURRENT file); create one with `kg load --store DIR`"
        )
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise store_error(path, exc) from exc


class StoreBackend(Backend):
    """A persistent Oxigraph store on disk (pyoxigraph): queries run in Rust, nothing is parsed."""

    name = "store"

    def __init__(self, path: str | Path, store: Any = None) -> None:
        self.path = Path(path)
        self.store = store if store is not None else open_store(self.path)

    def query(
        self, text: str, params: Mapping[str, Node] | None = None, source: str = "query"
    ) -> QueryResult:
        text = check_query(text, source, graphs=self._graph_names, translate=False).text  # parsed, refused before it runs
        bound = lateral_optionals(bind_values(text, params, source))
        try:
            split = sortable_order(bound)
            if split is not None:
                found = self._sorted_here(*split, source=source)  # a final ORDER BY, sorted outside the store
                if found is not None:
                    return found
            return collect(self._run(bound, source), text)
        except SyntaxError as exc:
            raise QueryError(f"{source}: SPARQL syntax error: {' '.join(str(exc.msg).split())}") from exc
        except OSError as exc:
            raise QueryError(f"{source}: the query failed on the store {self.path}: {exc}") from exc

    def _graph_names(self) -> list[Node]:
        return [to_rdflib(g) for g in self.store.named_graphs()]  # type: ignore[misc]

    def _run(self, text: str, source: str) -> Any:
        """``text`` run by Oxigraph, after :func:`kg.rdf.sparql_guard.check_run_text` checked
        exactly that text. (Parameters come as a VALUES block of terms the strict writer wrote,
        :func:`kg.rdf.sparql_guard.bind_values`: pyoxigraph's ``substitutions`` refuse a
        variable that the SELECT does not project, and a named query's parameters often are not.)"""
        return self.store.query(check_run_text(text, source, self._graph_names), prefixes=PREFIXES)

    def _sorted_here(
        self, unordered: str, clause: str, keys: list[tuple[str | None, bool, str]],
        source: str = "query",
    ) -> QueryResult | None:
        """The query without its ORDER BY, sorted outside the store (see :func:`kg.backends.oxigraph_terms.sort_solutions`);
        None when that cannot give the store's order (rare: the caller checked the columns, and
        then runs the query as written)."""
        import pyoxigraph as ox

        result = self._run(unordered, source)
        if not isinstance(result, ox.QuerySolutions):
            return collect(result, unordered)  # a graph or a boolean: the order changes nothing
        return sorted_result([v.value for v in result.variables], [tuple(s) for s in result], clause, keys)

    def graph_ntriples(self, graph: Node) -> bytes:
        """The triples of one named graph as N-Triples, written by Oxigraph from the store's index
        (as :meth:`kg.backends.endpoint.EndpointBackend.graph_ntriples` writes an endpoint's)."""
        import pyoxigraph as ox

        return self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=to_oxigraph(graph))  # type: ignore[no-any-return]

    def rows(
        self, text: str, params: Mapping[str, Node] | None = None, source: str = "query"
    ) -> Iterator[tuple[Node | None, ...]]:
        text = check_query(text, source, graphs=self._graph_names, translate=False).text
        bound = lateral_optionals(bind_values(text, params, source))
        # Parsed here, before the generator's frame exists (pyparsing keeps exceptions whose
        # tracebacks reach the frames that parsed; this one holds pyoxigraph's results).
        check_run_text(bound, source, self._graph_names)
        return self._solutions(bound, source)

    def _solutions(self, bound: str, source: str) -> Iterator[tuple[Node | None, ...]]:
        import pyoxigraph as ox

        try:
            result = self._run(bound, source)  # (its check finds the parse cached)
        except SyntaxError as exc:
            raise QueryError(f"{source}: SPARQL syntax error: {' '.join(str(exc.msg).split())}") from exc
        except OSError as exc:
            raise QueryError(f"{source}: the query failed on the store {self.path}: {exc}") from exc
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError(f"{source}: not a SELECT query")
        columns = [v.value for v in result.variables]
        convert = Converter()
        for solution in result:
            yield tuple(convert(solution[c]) for c in columns)

    def quads(
        self, s: Node | None = None, p: Node | None = None, o: Node | None = None
    ) -> Iterator[Quad]:
        import pyoxigraph as ox

        pattern = [None if t is None else to_oxigraph(t) for t in (s, p, o)]
        for q in self.store.quads_for_pattern(*pattern, None):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                yield (
                    to_rdflib(q.subject),
                    to_rdflib(q.predicate),
                    to_rdflib(q.object),
                    to_rdflib(q.graph_name),
                )  # type: ignore[misc]

    def named_graphs(self) -> list[Node]:
        graphs = [to_rdflib(g) for g in self.store.named_graphs()]
        return sorted((g for g in graphs if g is not None and self._non_empty(g)), key=str)

    def _non_empty(self, g: Node) -> bool:
        return (
            next(iter(self.store.quads_for_pattern(None, None, None, to_oxigraph(g))), None)
            is not None
        )

    def count(self) -> int:
        return count_named(self.store)

    def close(self) -> None:
        self.store = None


def count_named(store: Any) -> int:
    """How many quads the named graphs of a pyoxigraph store hold (counted in Rust)."""
    for row in store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"):
        return int(row["n"].value)
    return 0  # pragma: no cover - COUNT always gives one row


def merge_into_default(store: Any, scratch: str | Path) -> None:
    """Make the store's default graph the RDF merge of its named graphs: each is dumped as
    N-Triples into a scratch file in the folder ``scratch``, which is then bulk-loaded into the
    default graph (all in Rust; a blank node shared by two graphs stays one node in the merge)."""
    import tempfile

    import pyoxigraph as ox

    with tempfile.TemporaryDirectory(prefix=".kg-merge-", dir=scratch) as tmp:
        merged = Path(tmp) / "merge.nt"
        with merged.open("wb") as fh:
            for g in list(store.named_graphs()):
                store.dump(fh, format=ox.RdfFormat.N_TRIPLES, from_graph=g)
        store.bulk_load(
            path=str(merged),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.DefaultGraph(),
            lenient=True,
        )


def open_backend(
    inputs: list[str] | tuple[str, ...] | None = None,
    store: str | Path | None = None,
    endpoint: str | None = None,
    timeout: float | None = 60.0,
    strict: bool = False,
) -> Backend:
    """The backend a command works on: an ``--endpoint``, a ``--store``, or (the default) the
    input files or the project's own graph in memory.

    ``timeout`` bounds each wait for an endpoint's answer (0 or None: no limit). ``strict``
    parses input files strictly (:mod:`kg.rdf.strict`); a store or an endpoint parses nothing."""
    if store is not None and endpoint is not None:
        raise UsageError("give either --store or --endpoint, not both")
    if (store is not None or endpoint is not None) and inputs:
        where = "--store" if store is not None else "--endpoint"
        raise UsageError(
            f"input files and {where} exclude each other: load the files first "
            f"(`kg load --store DIR FILES` or `kg push --endpoint URL FILES`)"
        )
    if endpoint is not None:
        from kg.backends.endpoint import EndpointBackend

        return EndpointBackend(endpoint, timeout=timeout or None)
    if store is not None:
        return StoreBackend(store)
    from kg.rdf.loading import load_inputs

    return MemoryBackend(load_inputs(list(inputs) if inputs else None, strict=strict))
