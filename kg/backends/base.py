"""Where a command's graph lives, behind one protocol: :class:`Backend`, and the registry of
backends (:data:`BACKENDS`) that :func:`open_backend` picks from.

- ``memory`` (:mod:`kg.backends.memory`): the input files parsed by rdflib into a Dataset;
- ``oxigraph-memory`` (:mod:`kg.backends.oxigraph_memory`): the same files parsed by
  pyoxigraph into its in-memory store (about five times faster to load);
- ``store`` (:mod:`kg.backends.oxigraph`): an on-disk Oxigraph store made by ``kg load``;
- ``endpoint`` (:mod:`kg.backends.endpoint`): a SPARQL 1.1 endpoint over HTTP.

Every feature reads its data through the methods of :class:`Backend` and never asks which
backend it got. Every backend answers ``query(text)`` with :class:`kg.rdf.terms.QueryResult`
(rdflib terms, literals in their canonical form, rows sorted unless the query orders them).

The default graph a query sees is the RDF merge of the named graphs on every backend (a set:
a triple stated in three graphs is seen once). rdflib's union default graph is that merge;
Oxigraph 0.5's union mode is not (it repeats such a triple once per graph, oxigraph#1919), so
``kg load``, ``kg push`` and the oxigraph-memory backend write the merge into the default graph
and queries read that default graph. An endpoint filled by other means must be set up to the
same effect (Fuseki: ``unionDefaultGraph``).

A new backend is one module with a subclass of :class:`Backend` (or of
:class:`kg.backends.queried.QueriedBackend`, for one read only with SPARQL) and one line in
:data:`BACKENDS`; :mod:`kg.backends.oxigraph_memory` is an example. This module stays light (no
rdflib, no pyoxigraph): the CLI imports it to list the backends.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, UsageError
from kg.rdf.fits import best_fits
from kg import paths

if TYPE_CHECKING:
    from rdflib import Dataset, Graph, URIRef
    from rdflib.term import Node

    from kg.rdf.sources import Sources
    from kg.rdf.terms import QueryResult, Quad

#: Every backend, by name: the module and class that implement it. One line per backend.
BACKENDS: dict[str, str] = {
    "memory": "kg.backends.memory:MemoryBackend",
    "oxigraph-memory": "kg.backends.oxigraph_memory:OxigraphMemoryBackend",
    "store": "kg.backends.oxigraph:StoreBackend",
    "endpoint": "kg.backends.endpoint:EndpointBackend",
}

#: The backends that parse the input files themselves (``--backend``); ``auto`` picks one by size.
FILE_BACKENDS = ("memory", "oxigraph-memory")
BACKEND_CHOICES = (*FILE_BACKENDS, "auto")
DEFAULT_BACKEND = "auto"

#: Input files of this many bytes or more in all are parsed by pyoxigraph under ``--backend
#: auto``: below it rdflib's load is quick enough and the memory backend's answers (literals
#: as written, the rdflib engine's reasoning) come for free. Measured in docs/benchmarks.md.
AUTO_BYTES = 1_000_000


class BeyondParser(InputError):
    """The input files hold what a backend's parser cannot read (one of its limits, such as a
    value over pyoxigraph's 16 MiB): under ``--backend auto`` the memory backend reads them."""


def backend_class(name: str) -> type[Backend]:
    """The class of the backend ``name`` (imported on first use: each may bring a heavy library)."""
    try:
        module, _, attr = BACKENDS[name].partition(":")
    except KeyError:
        raise UsageError(f"unknown backend {name!r} (known: {', '.join(BACKENDS)})") from None
    found: type[Backend] = getattr(importlib.import_module(module), attr)
    return found


class Backend:
    """What every backend offers. ``name`` says which it is (a key of :data:`BACKENDS`).

    ``native_ntriples`` says whether the backend's own engine writes N-Triples
    (:meth:`graph_ntriples`, :meth:`write_merge`) and answers SELECT queries in pyoxigraph terms
    (:meth:`solutions`): the fast paths of export and validation, which read the data without
    building rdflib terms. A backend without (memory) hands its :meth:`dataset` to rdflib."""

    name = "backend"
    native_ntriples = False

    # --- SPARQL ---------------------------------------------------------------------------

    def query(
        self,
        text: str,
        params: Mapping[str, Node] | None = None,
        source: str = "query",
        reasoning: str = "none",
        allow_network: bool = False,
    ) -> QueryResult:
        """Run a SPARQL query (the project's prefixes need no PREFIX lines); ``params`` binds
        variables to rdflib terms. ``reasoning`` other than "none" needs the memory backend;
        ``allow_network`` lets its engine follow SERVICE and remote FROM."""
        raise NotImplementedError

    def rows(
        self, text: str, params: Mapping[str, Node] | None = None, source: str = "query"
    ) -> Iterator[tuple[Node | None, ...]]:
        """The rows of a SELECT query in no particular order (cheaper than :meth:`query` when
        the caller does not need them sorted)."""
        return iter(self.query(text, params, source).rows)

    def solutions(self, text: str) -> Any:
        """A SELECT query's answer in pyoxigraph terms (``variables`` and an iterable of
        solutions), as a pyoxigraph store's ``query`` gives it; only where ``native_ntriples``."""
        raise NotImplementedError(f"the {self.name} backend does not answer in pyoxigraph terms")

    # --- quads and graphs -------------------------------------------------------------------

    def quads(
        self, s: Node | None = None, p: Node | None = None, o: Node | None = None
    ) -> Iterator[Quad]:
        """Every quad of the named graphs matching the pattern (the default graph is their merge)."""
        raise NotImplementedError

    def graph_quads(self, graphs: Iterable[Node]) -> Iterator[Quad]:
        """The quads of the named graphs ``graphs``, graph by graph in IRI order."""
        wanted = sorted(set(graphs), key=str)
        if not wanted:
            return
        keep = set(wanted)
        for s, p, o, g in self.quads():
            if g in keep:
                yield s, p, o, g

    def graph_ntriples(self, graph: Node) -> bytes:
        """The triples of one named graph as N-Triples, written by the backend's own engine
        (only where ``native_ntriples``)."""
        raise NotImplementedError(f"the {self.name} backend does not write N-Triples itself")

    def write_merge(self, path: Path) -> Path:
        """The default graph (the merge) as an N-Triples file: written to ``path``, or a copy
        the backend keeps already (its path is returned). Only where ``native_ntriples``."""
        raise NotImplementedError(f"the {self.name} backend does not write N-Triples itself")

    def named_graphs(self) -> list[Node]:
        """The names of the non-empty named graphs, sorted."""
        raise NotImplementedError

    def graph_sizes(self) -> list[tuple[Node, int]]:
        """Each non-empty named graph with how many triples it holds."""
        text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        return [(g, int(str(n))) for g, n in self.query(text, source="stats").rows if g is not None and n is not None]

    def count(self) -> int:
        """How many quads the named graphs hold."""
        raise NotImplementedError

    def distinct_triples(self) -> int:
        """How many distinct triples the named graphs hold (a triple stated in two graphs counts
        once): the size of the default graph, which is their merge."""
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", source="stats").rows
        return int(str(rows[0][0])) if rows and rows[0] and rows[0][0] is not None else 0

    def dataset(self) -> Dataset:
        """The named graphs as an in-memory rdflib Dataset (for code that needs one; costly at scale)."""
        raise NotImplementedError

    def namespaces(self) -> Iterable[tuple[str, Any]]:
        """The prefixes the data declares (the files' own, in memory), beside the project's."""
        return ()

    # --- names, labels, what describe, why and conflicts read --------------------------------

    def labels(self, nodes: Iterable[Node]) -> Graph:
        """A graph holding the labels of ``nodes`` as the backend states them, for
        :func:`kg.rdf.labels.label_of`."""
        raise NotImplementedError

    def name_fits(self, name: str) -> dict[URIRef, int]:
        """Every entity one of whose names fits ``name`` (folded as
        :func:`kg.rdf.labels.normalize_name` does), with how well it fits
        (:func:`kg.rdf.labels.name_fit`: the whole name, a division's name without its suffix,
        part of a name)."""
        raise NotImplementedError

    def find_by_name(self, name: str) -> list[URIRef]:
        """The entities that fit ``name`` best (:meth:`name_fits`), sorted."""
        return best_fits(self.name_fits(name))

    def resolve(self, name_or_iri: str) -> URIRef:
        """The one entity named ``name_or_iri`` (a name, a prefixed name or an IRI), or a
        UsageError saying why not (none, or several: listed)."""
        raise NotImplementedError

    def entity_sources(self, name: str) -> tuple[Sources, URIRef]:
        """The entity ``name`` (:meth:`resolve`) and what describe and why read about it."""
        raise NotImplementedError

    def conflict_sources(self) -> tuple[Sources, int | None]:
        """What ``kg conflicts`` reads, and how many figures there are in all (None: count
        those read)."""
        raise NotImplementedError

    def nodes_dataset(self, nodes: Iterable[Node]) -> Dataset:
        """What ``kg validate`` shows about the nodes of its results (names, classes, articles
        and quotes), with the ontology."""
        raise NotImplementedError

    def edges_source(self) -> Any:
        """What the projection reads (:class:`kg.backends.edges.Source`)."""
        raise NotImplementedError

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def from_files(
        cls, inputs: list[str] | None, strict: bool = False, ontology: bool = False, derived: bool = True
    ) -> Backend:
        """The backend of the input files (the project's own graph when None), parsed strictly
        with ``strict``, with the project's ontology when they hold none and ``ontology``, with
        what kg derives from them (the containment closure and territory changes,
        :mod:`kg.rdf.containment`) unless not ``derived`` (a backend that parses files:
        :data:`FILE_BACKENDS`)."""
        raise UsageError(f"the {cls.name} backend does not parse input files")

    @classmethod
    def over(cls, ds: Dataset) -> Backend:
        """The backend of an rdflib dataset the caller holds (never changed by the backend)."""
        raise UsageError(f"the {cls.name} backend does not read an rdflib dataset")

    @classmethod
    def at(cls, where: str, timeout: float | None = None) -> Backend:
        """The backend at ``where`` (a store's folder, an endpoint's URL)."""
        raise UsageError(f"the {cls.name} backend is not opened at a place")

    # --- life -------------------------------------------------------------------------------

    def close(self) -> None:
        """Release what the backend holds (a store's lock, nothing for the others)."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def dataset_backend(ds: Dataset) -> Backend:
    """The memory backend of an rdflib dataset the caller holds (left as it is)."""
    return backend_class("memory").over(ds)


def needs_memory(reasoning: str) -> UsageError:
    """The error of a backend that cannot reason."""
    return UsageError(
        f"--reasoning {reasoning} needs the graph in memory: it is not available with "
        f"--store, --endpoint or --backend oxigraph-memory (materialise the inferences into the "
        f"files before `kg load`)"
    )


def input_bytes(inputs: Iterable[str] | None) -> int:
    """How many bytes the input files hold (the project's data when none are named; a file that
    cannot be read counts nothing: loading it says why)."""

    files = list(inputs) if inputs else [
        str(paths.ontology_file()), *map(str, paths.article_graph_files()), *map(str, paths.reference_files())
    ]
    total = 0
    for f in files:
        try:
            total += Path(f).stat().st_size
        except OSError:
            pass
    return total


def file_backend(inputs: Iterable[str] | None, backend: str = DEFAULT_BACKEND) -> str:
    """The backend that parses the input files: ``backend`` itself, or for ``auto`` the memory
    backend below :data:`AUTO_BYTES` of input and oxigraph-memory from there."""
    if backend == "auto":
        return "oxigraph-memory" if input_bytes(inputs) >= AUTO_BYTES else "memory"
    if backend not in FILE_BACKENDS:
        raise UsageError(f"--backend {backend!r}: expected one of {', '.join(BACKEND_CHOICES)}")
    return backend


def open_backend(
    inputs: list[str] | tuple[str, ...] | None = None,
    store: str | Path | None = None,
    endpoint: str | None = None,
    timeout: float | None = 60.0,
    strict: bool = False,
    backend: str = "memory",
    ontology: bool = False,
    derived: bool = True,
) -> Backend:
    """The backend a command works on: an ``--endpoint``, a ``--store``, or the input files (the
    project's own graph when none are named) parsed by the ``backend`` (``--backend``:
    memory, oxigraph-memory, or auto to choose by size).

    ``timeout`` bounds each wait for an endpoint's answer and all of them together (0 or None: no
    limit). ``strict``
    parses input files strictly (:mod:`kg.rdf.strict`); a store or an endpoint parses nothing.
    ``ontology``: the input files come with the project's ontology (``graph:ontology``) when
    they hold none. ``derived``: input files get what kg derives from them (kg:within and the
    territory changes; False for a caller that reads names only, such as ``kg draft``'s gazetteer)."""
    if store is not None and endpoint is not None:
        raise UsageError("give either --store or --endpoint, not both")
    if (store is not None or endpoint is not None) and inputs:
        where = "--store" if store is not None else "--endpoint"
        raise UsageError(
            f"input files and {where} exclude each other: load the files first "
            f"(`kg load --store DIR FILES` or `kg push --endpoint URL FILES`)"
        )
    if endpoint is not None:
        return backend_class("endpoint").at(endpoint, timeout=timeout or None)
    if store is not None:
        return backend_class("store").at(str(store))
    files = list(inputs) if inputs else None
    try:
        return backend_class(file_backend(inputs, backend)).from_files(files, strict=strict, ontology=ontology, derived=derived)
    except BeyondParser:
        if backend != "auto":
            raise
        return backend_class("memory").from_files(files, strict=strict, ontology=ontology, derived=derived)
