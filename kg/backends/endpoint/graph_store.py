"""Writing to kg's own graphs on a server with the Graph Store Protocol (PUT, POST, DELETE of a
named graph), never to another graph. A part of :class:`kg.backends.endpoint.EndpointBackend`."""

from __future__ import annotations

import urllib.parse
from typing import Any

from kg.backends.own import MANIFEST, manifest_ntriples
from kg.errors import InputError, UsageError


class GraphStoreWrites:
    """The endpoint backend's writes (it gives ``url``, ``graph_store``, ``_open`` and
    ``own_graphs``)."""

    url: str
    graph_store: str | None
    _own: Any

    def _store_url(self, graph: str) -> str:
        if self.graph_store is None:
            raise UsageError(
                f"cannot tell the Graph Store Protocol URL of {self.url}: give --graph-store URL "
                "(Oxigraph: http://HOST:PORT/store; Fuseki: http://HOST:PORT/DATASET/data; "
                "Virtuoso: http://HOST:PORT/sparql-graph-crud-auth)"
            )
        sep = "&" if urllib.parse.urlsplit(self.graph_store).query else "?"
        return f"{self.graph_store}{sep}{urllib.parse.urlencode({'graph': graph})}"

    def clear(self) -> None:
        """Delete the graphs kg wrote (those its manifest lists, the merge and the manifest:
        Graph Store Protocol DELETE); no other graph, and never the server's default graph."""
        for graph in self.own_graphs().written:
            shown = f"{self.graph_store} (DELETE of graph <{graph}>)"
            try:
                with self._open(self._store_url(graph), None, "DELETE", {}, what="upload", shown=shown) as response:
                    response.read()
            except InputError as exc:
                if " HTTP 404 " not in exc.message:  # already gone
                    raise
        self._own = None

    def put_graph(self, graph: str, body: bytes, replace: bool = True) -> None:
        """Send N-Triples to one named graph with the Graph Store Protocol: PUT replaces it,
        POST adds to it. The body goes whole, with a Content-Length (Virtuoso answers 201/204
        to a chunked body and stores nothing)."""
        if not isinstance(body, bytes):
            raise UsageError("put_graph sends bytes (a Content-Length), never a chunked body")
        url = self._store_url(graph)
        headers = {"Content-Type": "application/n-triples"}
        method = "PUT" if replace else "POST"
        shown = f"{self.graph_store} ({method} of graph <{graph}>)"
        with self._open(url, body, method, headers, what="upload", shown=shown) as response:
            response.read()

    def write_manifest(self, graphs: list[str]) -> None:
        """Declare ``graphs`` (with those a manifest on the server already lists) kg's own, the
        merge as their default graph (:mod:`kg.backends.own`)."""
        known = self.own_graphs()
        listed = list(known.named) if known.source == "manifest" else []
        self.put_graph(MANIFEST, manifest_ntriples([*listed, *graphs]))
        self._own = None
