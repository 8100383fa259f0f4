"""Sending RDF files to a remote endpoint with the Graph Store Protocol (``kg push``): the files
go into the same named graphs as :func:`kg.backends.bulk.load_store` puts them, their merge into kg's
merge graph, and the manifest lists them as kg's own (:mod:`kg.backends.own`). It streams: memory
stays flat however large the files are (one request's piece at a time)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from kg.backends.bulk import Progress, Source, check_sources, open_counting, ox_format, parse_error, sources
from kg.backends.credentials import Credentials
from kg.backends.own import MERGE
from kg.errors import InputError
from kg.backends.endpoint import EndpointBackend
from kg.errors import UsageError
from kg.backends.derived import endpoint_containment
from kg.rdf.containment import DERIVED_GRAPH


@dataclass
class PushReport:
    """What ``push`` sent: triples per graph (None: the default graph), sorted by graph."""

    endpoint: str
    graph_store: str
    graphs: list[tuple[str | None, int]] = field(default_factory=list)
    triples: int = 0
    bytes: int = 0
    seconds: float = 0.0


def _graph_name(quad: Any, src: Source) -> str | None:
    import pyoxigraph as ox

    if src.graph is not None:
        return src.graph
    g = quad.graph_name
    if isinstance(g, ox.NamedNode):
        return g.value
    if isinstance(g, ox.DefaultGraph):
        return None
    raise InputError(
        f"{src.path}: a graph named by a blank node ({g}) cannot be sent with the Graph Store Protocol"
    )


def _runs(parser: Iterator[Any], src: Source) -> Iterator[tuple[str | None, Iterator[Any]]]:
    """Consecutive quads of one graph, as (graph, triples); each run must be consumed in turn."""
    state: dict[str, Any] = {"next": next(parser, None)}
    while state["next"] is not None:
        graph = _graph_name(state["next"], src)

        def run(graph: str | None = graph) -> Iterator[Any]:
            first, state["next"] = state["next"], None
            yield first.triple
            for quad in parser:
                if _graph_name(quad, src) != graph:
                    state["next"] = quad
                    return
                yield quad.triple

        triples = run()
        yield graph, triples
        for _ in triples:  # whatever the consumer left
            pass


def _pieces(triples: Iterator[Any], piece: int) -> Iterator[tuple[bytes, int]]:
    """N-Triples bodies of up to ``piece`` triples each, with their size in triples: each goes
    whole in one request, with a Content-Length (never chunked: Virtuoso answers 201/204 to a
    chunked body and stores nothing)."""
    import pyoxigraph as ox

    batch: list[Any] = []
    for t in triples:
        batch.append(t)
        if len(batch) >= piece:
            yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b"", len(batch)
            batch = []
    if batch:
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b"", len(batch)


def push(
    endpoint: str,
    files: list[str] | tuple[str, ...] | None = None,
    graph_store: str | None = None,
    timeout: float = 60.0,
    replace: bool = False,
    progress: Progress | None = None,
    piece: int = 20_000,
    ontology: bool = False,
    credentials: Credentials | None = None,
    total: float | None = None,
) -> PushReport:
    """Send files (default: the project's data) to an endpoint with the Graph Store Protocol.

    First pass: the named graphs, ``piece`` triples a request; a graph's first request replaces
    it (PUT), later ones add to it (POST). Second pass: every triple is added to kg's merge graph
    (``graph:merge``, POST; PUT first with ``replace``), which queries read as their default
    graph. Last, the manifest (``graph:manifest``) lists the graphs sent with those it listed
    before (:mod:`kg.backends.own`). ``replace`` first deletes the graphs the manifest lists, and
    no other. Blank nodes are scoped to one request, as the protocol has it. ``ontology`` also
    sends the project's ontology as ``graph:ontology`` (the project's data always has it), which
    lets ``kg validate --endpoint`` check the endpoint in place. ``credentials`` answer the
    server's basic or digest challenges. ``timeout`` bounds each answer, ``total`` (seconds,
    None: no limit) the whole push."""


    backend = EndpointBackend(
        endpoint, timeout=timeout, graph_store=graph_store, credentials=credentials, total=total,
        total_option="--total-timeout",
    )
    if backend.graph_store is None:
        raise UsageError(
            f"cannot tell the Graph Store Protocol URL of {endpoint}: give --graph-store URL "
            "(Oxigraph: http://HOST:PORT/store; Fuseki: http://HOST:PORT/DATASET/data; "
            "Virtuoso: http://HOST:PORT/sparql-graph-crud-auth)"
        )
    import tempfile

    with tempfile.TemporaryDirectory(prefix=".kg-slice-") as slice_dir:
        srcs = sources(files, ontology, Path(slice_dir))
        return _push(endpoint, backend, srcs, replace, progress, piece)


def _push(  # type: ignore[no-untyped-def]
    endpoint: str, backend, srcs: list[Source], replace: bool, progress: Progress | None, piece: int
) -> PushReport:
    """Send ``srcs`` (see :func:`push`)."""
    import pyoxigraph as ox

    sizes = check_sources(srcs)
    total = 2 * sum(sizes)
    start = time.perf_counter()
    if replace:
        backend.clear()
    sent: dict[str | None, int] = {}
    done = 0
    for merge in (False, True):
        for src, size in zip(srcs, sizes, strict=True):
            with open_counting(src, done, total, progress) as reader:
                try:
                    parser = iter(
                        ox.parse(
                            input=cast(IO[bytes], reader),
                            format=ox_format(src),
                            base_iri=src.base_iri,
                        )
                    )
                    runs = [(None, (q.triple for q in parser))] if merge else _runs(parser, src)
                    for graph, triples in runs:
                        if graph is None and not merge:
                            continue  # default-graph triples go with the merge
                        for body, n in _pieces(triples, piece):
                            first = graph not in sent and (graph is not None or replace)
                            backend.put_graph(graph if graph is not None else MERGE, body, replace=first)
                            sent[graph] = sent.get(graph, 0) + n
                except SyntaxError as exc:
                    raise parse_error(
                        src, exc, " (graphs sent before the error stay on the endpoint)"
                    ) from exc
            done += size
    named = sorted((g, n) for g, n in sent.items() if g is not None)
    backend.write_manifest([g for g, _ in named])  # (the closure reads kg's own graphs)
    derived = endpoint_containment(backend, piece)
    if derived:
        sent[str(DERIVED_GRAPH)] = derived
        named = sorted((g, n) for g, n in sent.items() if g is not None)
        backend.write_manifest([str(DERIVED_GRAPH)])
    return PushReport(
        endpoint,
        backend.graph_store,
        [*named, (None, sent.get(None, 0))],
        sum(n for _, n in named),
        sum(sizes),
        time.perf_counter() - start,
    )
