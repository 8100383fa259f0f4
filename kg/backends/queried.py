"""What the backends that are only reached by SPARQL (Oxigraph, an endpoint) share: names,
labels, what describe, why, conflicts and validate read, fetched with queries
(:mod:`kg.backends.subgraph`), and the check that they do not reason.

A subclass runs a query in :meth:`QueriedBackend.run` and lists its quads and graphs; the rest
of :class:`kg.backends.base.Backend` comes from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from kg.backends import subgraph
from kg.backends.base import Backend, needs_memory
from kg.backends.edges import SparqlSource, backend_select
from kg.rdf.labels import fits_via_query, labels_via_query, resolve_via_query
from kg.rdf.loading import new_dataset

if TYPE_CHECKING:
    from kg.rdf.sources import Sources
    from kg.rdf.terms import QueryResult


class QueriedBackend(Backend):
    """A backend read with SPARQL: its engine answers, nothing of rdflib's runs on its data."""

    native_ntriples = True

    def query(
        self,
        text: str,
        params: Mapping[str, Node] | None = None,
        source: str = "query",
        reasoning: str = "none",
        allow_network: bool = False,
    ) -> QueryResult:
        if reasoning != "none":
            raise needs_memory(reasoning)
        return self.run(text, params, source)

    def run(self, text: str, params: Mapping[str, Node] | None = None, source: str = "query") -> QueryResult:
        """Run a query on the backend's own engine (see :meth:`Backend.query`)."""
        raise NotImplementedError

    def dataset(self) -> Dataset:
        ds = new_dataset()
        for s, p, o, g in self.quads():
            ds.add((s, p, o, g))
        return ds

    def labels(self, nodes: Iterable[Node]) -> Graph:
        return labels_via_query(self, nodes)

    def name_fits(self, name: str) -> dict[URIRef, int]:
        return fits_via_query(self, name)

    def resolve(self, name_or_iri: str) -> URIRef:
        return resolve_via_query(self, name_or_iri)

    def entity_sources(self, name: str) -> tuple[Sources, URIRef]:
        entity = self.resolve(name)
        return subgraph.around(self, entity), entity

    def conflict_sources(self) -> tuple[Sources, int | None]:
        return subgraph.figures(self)

    def nodes_dataset(self, nodes: Iterable[Node]) -> Dataset:
        return subgraph.nodes_dataset(self, nodes)

    def edges_source(self) -> Any:
        return SparqlSource(backend_select(self))
