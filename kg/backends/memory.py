"""The memory backend: the input files parsed by rdflib into a Dataset whose default graph is
the union of its named graphs (what :func:`kg.rdf.loading.load_inputs` builds). The project's
default for small inputs; the only backend that reasons (``--reasoning``).

Its answers are rdflib's, with literals shown in the canonical form every backend shows
(:mod:`kg.backends.oxigraph_terms`); the dataset itself keeps them as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.backends import subgraph
from kg.backends.base import Backend
from kg.backends.edges import RdflibSource
from kg.backends.oxigraph_terms import canonical, canonical_result
from kg.rdf.labels import name_fits, resolve
from kg.rdf.loading import add_ontology_if_missing, load_inputs, with_ontology
from kg.rdf.rdflib_engine import execute
from kg.rdf.sources import Sources
from kg.rdf.terms import QueryResult, Quad


class MemoryBackend(Backend):
    """An rdflib Dataset in memory whose default graph is the union."""

    name = "memory"

    def __init__(self, ds: Dataset, own: bool = False) -> None:
        """``own``: the backend made ``ds`` (from files) and may add the ontology to it; a
        dataset handed in is never changed."""
        self.ds = ds
        self._own = own
        self._sources: Sources | None = None

    @classmethod
    def over(cls, ds: Dataset) -> MemoryBackend:
        return cls(ds)

    @classmethod
    def from_files(
        cls, inputs: list[str] | None, strict: bool = False, ontology: bool = False, derived: bool = True
    ) -> MemoryBackend:
        ds = load_inputs(inputs, strict=strict, derived=derived)
        return cls(add_ontology_if_missing(ds) if ontology else ds, own=True)

    def query(
        self,
        text: str,
        params: Mapping[str, Node] | None = None,
        source: str = "query",
        reasoning: str = "none",
        allow_network: bool = False,
    ) -> QueryResult:
        return canonical_result(execute(self.ds, text, params, reasoning, allow_network, source))

    def quads(
        self, s: Node | None = None, p: Node | None = None, o: Node | None = None
    ) -> Iterator[Quad]:
        for qs, qp, qo, g in self.ds.quads((s, p, o, None)):  # type: ignore[arg-type]
            name = getattr(g, "identifier", g)
            if name != DATASET_DEFAULT_GRAPH_ID:
                yield qs, qp, canonical(qo), name

    def named_graphs(self) -> list[Node]:
        names = (g.identifier for g in self.ds.contexts() if len(g))
        return sorted((n for n in names if n != DATASET_DEFAULT_GRAPH_ID), key=str)

    def graph_sizes(self) -> list[tuple[Node, int]]:
        return [(g.identifier, len(g)) for g in self.ds.graphs() if len(g)]

    def count(self) -> int:
        return sum(len(g) for g in self.ds.contexts() if g.identifier != DATASET_DEFAULT_GRAPH_ID)

    def dataset(self) -> Dataset:
        return self.ds

    def namespaces(self) -> Iterable[tuple[str, Any]]:
        return self.ds.namespaces()

    def labels(self, nodes: Iterable[Node]) -> Graph:
        return self.ds

    def name_fits(self, name: str) -> dict[URIRef, int]:
        return name_fits(self.ds, name)

    def resolve(self, name_or_iri: str) -> URIRef:
        return resolve(self.ds, name_or_iri)

    def sources(self) -> Sources:
        """The whole dataset as :class:`kg.rdf.sources.Sources`, with the project's ontology
        when the inputs have none (added to the backend's own dataset; a dataset handed in is
        copied first)."""
        if self._sources is None:
            ds = add_ontology_if_missing(self.ds) if self._own else with_ontology(self.ds)
            self._sources = Sources(ds)
        return self._sources

    def entity_sources(self, name: str) -> tuple[Sources, URIRef]:
        sources = self.sources()
        return sources, resolve(sources.ds, name)

    def conflict_sources(self) -> tuple[Sources, int | None]:
        return self.sources(), None

    def nodes_dataset(self, nodes: Iterable[Node]) -> Dataset:
        return subgraph.nodes_dataset(self, nodes)

    def edges_source(self) -> Any:
        return RdflibSource(self.ds)
