"""Sending RDF files to a remote endpoint with the Graph Store Protocol (``kg push``): the files
go into the same named graphs as :func:`kg.backends.bulk.load_store` puts them, and the default graph
becomes their merge. It streams: memory stays flat however large the files are."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, cast

from kg.backends.bulk import Progress, Source, check_sources, open_counting, ox_format, parse_error, sources
from kg.backends.derived import endpoint_containment
from kg.errors import InputError
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


def _ntriples(triples: Iterator[Any], counter: list[int], piece: int) -> Iterator[bytes]:
    """N-Triples bytes, ``piece`` triples at a time (the body of one chunked request)."""
    import pyoxigraph as ox

    batch: list[Any] = []
    for t in triples:
        batch.append(t)
        if len(batch) >= piece:
            counter[0] += len(batch)
            yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
            batch = []
    if batch:
        counter[0] += len(batch)
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""


def push(
    endpoint: str,
    files: list[str] | tuple[str, ...] | None = None,
    graph_store: str | None = None,
    timeout: float = 60.0,
    replace: bool = False,
    progress: Progress | None = None,
    piece: int = 20_000,
    ontology: bool = False,
) -> PushReport:
    """Send files (default: the project's data) to an endpoint with the Graph Store Protocol.

    First pass: one request per run of a named graph; the first replaces the graph (PUT), later
    ones add to it (POST). Second pass: every triple is added to the default graph (POST), which
    so becomes the merge of the named graphs. ``replace`` first deletes every graph on the
    endpoint. Blank nodes are scoped to one request, as the protocol has it. ``ontology`` also
    sends the project's ontology as ``graph:ontology`` (the project's data always has it), which
    lets ``kg validate --endpoint`` check the endpoint in place."""
    import pyoxigraph as ox

    from kg.backends.endpoint import EndpointBackend
    from kg.errors import UsageError

    backend = EndpointBackend(endpoint, timeout=timeout, graph_store=graph_store)
    if backend.graph_store is None:
        raise UsageError(
            f"cannot tell the Graph Store Protocol URL of {endpoint}: give --graph-store URL "
            "(Oxigraph: http://HOST:PORT/store; Fuseki: http://HOST:PORT/DATASET/data)"
        )
    srcs = sources(files, ontology)
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
                        counter = [0]
                        first = graph is not None and graph not in sent
                        backend.put_graph(graph, _ntriples(triples, counter, piece), replace=first)
                        sent[graph] = sent.get(graph, 0) + counter[0]
                except SyntaxError as exc:
                    raise parse_error(
                        src, exc, " (graphs sent before the error stay on the endpoint)"
                    ) from exc
            done += size
    derived = endpoint_containment(backend, piece)
    if derived:
        sent[str(DERIVED_GRAPH)] = derived
    named = sorted((g, n) for g, n in sent.items() if g is not None)
    return PushReport(
        endpoint,
        backend.graph_store,
        [*named, (None, sent.get(None, 0))],
        sum(n for _, n in named),
        sum(sizes),
        time.perf_counter() - start,
    )
