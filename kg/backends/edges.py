"""Where the projection (kg.network.projection) reads its triples: an rdflib graph, a pyoxigraph store or
any SPARQL 1.1 endpoint, behind one small interface.

A source answers a handful of bulk questions: the classes used, the instances of one class, the
predicates that link two resources, the links of one predicate, the pairs an n-ary node
connects, and the labels of a list of nodes. The SPARQL source asks one query per class and per
predicate (never one per node) and lets the store do the work in Rust: instances and links come
back concatenated in one string per class or per object (``GROUP_CONCAT``), so Python handles a
few thousand rows instead of millions. A predicate whose objects are few (industries, units,
sources) is first checked for objects that are nodes at all; most are then skipped unread.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from typing import Any, Protocol

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from kg.rdf.labels import LABEL_PROPS, best_label
from kg.namespaces import KG
from kg import paths
from kg.rdf.loading import load_files

#: Label properties in the order :func:`kg.rdf.labels.label_of` prefers them.
LABEL_PROPERTIES = tuple(str(p) for p in LABEL_PROPS)
#: IRIs per VALUES block.
CHUNK = 5_000
#: A predicate with at most this many distinct objects is read only for the objects that are nodes.
FEW_OBJECTS = 20_000

Row = tuple["str | None", ...]


class Source(Protocol):
    """What the projection needs from a graph. IRIs are plain strings."""

    def hierarchy(self) -> Graph:
        """A graph with the class hierarchy (``rdfs:subClassOf``) and the classes' labels."""

    def classes(self) -> list[str]:
        """Every class (IRI) something is typed with."""

    def instances(self, classes: Sequence[str]) -> Iterator[tuple[str, list[str]]]:
        """(class, the IRIs typed with it) for each of ``classes``."""

    def predicates(self) -> list[str]:
        """Every predicate in the graph."""

    def links(self, predicates: Sequence[str], nodes: Container[str]) -> Iterator[tuple[str, Iterable[tuple[str, str]]]]:
        """(predicate, its (subject, object) IRI pairs) for each of ``predicates``; may leave out
        pairs whose object is not in ``nodes``."""

    def collapsed(self, cls: str, source: str, target: str) -> Iterable[tuple[str, str]]:
        """(a, b) for every node n typed ``cls`` with ``n source a`` and ``n target b`` (IRIs)."""

    def labels(self, iris: Sequence[str]) -> dict[str, str]:
        """The label of each IRI that has one, as :func:`kg.rdf.labels.label_of` chooses it."""


def project_ontology() -> Graph:

    return load_files([paths.ontology_file()])


class RdflibSource:
    """An rdflib Graph or Dataset (its default graph, the union when it is one), read in one
    pass over its triples."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._instances: dict[str, list[str]] | None = None
        self._links: dict[str, list[tuple[str, str]]] | None = None

    def hierarchy(self) -> Graph:
        if (KG.Place, RDF.type, OWL.Class) in self.graph:
            return self.graph
        return project_ontology()

    def _typed(self) -> dict[str, list[str]]:
        if self._instances is None:
            self._instances = {}
            for s, c in self.graph.subject_objects(RDF.type):
                if isinstance(s, URIRef) and isinstance(c, URIRef):
                    self._instances.setdefault(str(c), []).append(str(s))
        return self._instances

    def classes(self) -> list[str]:
        return sorted(self._typed())

    def instances(self, classes: Sequence[str]) -> Iterator[tuple[str, list[str]]]:
        typed = self._typed()
        return ((cls, typed.get(cls, [])) for cls in classes)

    def _linked(self) -> dict[str, list[tuple[str, str]]]:
        if self._links is None:
            self._links = {}
            for s, p, o in self.graph.triples((None, None, None)):
                if isinstance(s, URIRef) and isinstance(o, URIRef):
                    self._links.setdefault(str(p), []).append((str(s), str(o)))
        return self._links

    def predicates(self) -> list[str]:
        return sorted(self._linked())

    def links(self, predicates: Sequence[str], nodes: Container[str]) -> Iterator[tuple[str, Iterable[tuple[str, str]]]]:
        linked = self._linked()
        return ((p, linked.get(p, [])) for p in predicates)

    def collapsed(self, cls: str, source: str, target: str) -> Iterator[tuple[str, str]]:
        g = self.graph
        for n in set(g.subjects(RDF.type, URIRef(cls))):
            sources = [str(a) for a in g.objects(n, URIRef(source)) if isinstance(a, URIRef)]
            targets = [str(b) for b in g.objects(n, URIRef(target)) if isinstance(b, URIRef)]
            yield from ((a, b) for a in sources for b in targets)

    def labels(self, iris: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for iri in iris:
            candidates = [
                (str(p), str(o), o.language or "")
                for p in LABEL_PROPS
                for o in self.graph.objects(URIRef(iri), p)
                if isinstance(o, Literal)
            ]
            label = best_label(candidates)
            if label is not None:
                found[iri] = label
        return found


def _iris(values: Iterable[str]) -> str:
    return " ".join(f"<{v}>" for v in values)


def _text(value: str | None) -> str | None:
    """The lexical form of a literal as ``select`` gives it (see :class:`SparqlSource`)."""
    return value[1:] if value is not None and value.startswith('"') else None


class SparqlSource:
    """Any SPARQL 1.1 engine, through ``select(query) -> rows``: an IRI as itself, a literal as
    ``"`` + its lexical form, a blank node as ``_:`` + its label, None when unbound. The default
    graph is what is read (for kg's stores: the merge of the named graphs).

    The queries avoid FILTERs on the term kind: Oxigraph must decode a term to test it, and
    decoding is the cost that counts on a store on disk (a few microseconds per term)."""

    def __init__(self, select: Callable[[str], Iterable[Row]], threads: int = 2) -> None:
        self.select = select
        self.threads = threads
        self._pool: Any = None
        self._predicates: Any = None

    def _column(self, query: str) -> list[str]:
        return [row[0] for row in self.select(query) if row[0] is not None]

    def hierarchy(self) -> Graph:
        pairs = [(c, d) for c, d in self.select(f"SELECT ?c ?d WHERE {{ ?c <{RDFS.subClassOf}> ?d }}")]
        if not any(d == str(KG.Place) for _, d in pairs):
            return project_ontology()  # the store holds data only: the project's ontology
        g = Graph()
        for c, d in pairs:
            if c is not None and d is not None and not c.startswith(('"', "_:")) and not d.startswith(('"', "_:")):
                g.add((URIRef(c), RDFS.subClassOf, URIRef(d)))
        for kind in (OWL.DatatypeProperty, OWL.AnnotationProperty):
            for p in self._column(f"SELECT ?p WHERE {{ ?p a <{kind}> }}"):
                if not p.startswith(('"', "_:")):
                    g.add((URIRef(p), RDF.type, kind))
        classes = sorted({str(c) for c in g.subjects(RDFS.subClassOf, None)} | {str(d) for d in g.objects(None, RDFS.subClassOf)})
        for c, label in self.labels(classes).items():
            g.add((URIRef(c), SKOS.prefLabel, Literal(label)))
        g.add((KG.Place, RDF.type, OWL.Class))
        return g

    def classes(self) -> list[str]:
        self._predicates = self._submit(lambda: self._column("SELECT DISTINCT ?p WHERE { ?s ?p ?o }"))  # meanwhile
        return sorted(c for c in self._column("SELECT DISTINCT ?c WHERE { ?s a ?c }") if not c.startswith(('"', "_:")))

    def _submit(self, task: Callable[[], Any]) -> Any:
        """Run ``task`` in the background (the store works in Rust without holding the GIL)."""
        from concurrent.futures import Future, ThreadPoolExecutor

        if self.threads <= 1:
            done: Future[Any] = Future()
            done.set_result(task())
            return done
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads)
        return self._pool.submit(_forgetting(task))

    def _in_parallel(self, tasks: Sequence[Callable[[], Any]]) -> Iterator[Any]:
        """The results of ``tasks``, in order, computed ``threads`` at a time."""
        futures = [self._submit(task) for task in tasks]
        yield from (f.result() for f in futures)

    def instances(self, classes: Sequence[str]) -> Iterator[tuple[str, list[str]]]:
        def task(cls: str) -> Callable[[], tuple[str, list[str]]]:
            query = f'SELECT (GROUP_CONCAT(STR(?s); SEPARATOR=" ") AS ?all) WHERE {{ ?s a <{cls}> }}'
            return lambda: (cls, (_text(next(iter(self._column(query)), None)) or "").split())

        return self._in_parallel([task(cls) for cls in classes])  # blank nodes come back as labels no IRI equals

    def predicates(self) -> list[str]:
        found = self._predicates.result() if self._predicates is not None else self._column("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")
        return sorted(p for p in found if not p.startswith(('"', "_:")))

    def _grouped(self, where: str) -> list[tuple[str, str]]:
        """(?s, ?o) pairs, one row per object (objects repeat: each is decoded once)."""
        query = f'SELECT ?o (GROUP_CONCAT(STR(?s); SEPARATOR=" ") AS ?all) WHERE {{ {where} }} GROUP BY ?o'
        pairs: list[tuple[str, str]] = []
        for o, subjects in self.select(query):
            text = _text(subjects)
            if o is not None and text:
                pairs.extend((s, o) for s in text.split())
        return pairs

    def _all_pairs(self, predicate: str) -> list[tuple[str, str]]:
        """(?s, ?o) pairs of IRIs in one string (objects mostly distinct: no grouping)."""
        query = (f'SELECT (GROUP_CONCAT(CONCAT(STR(?s), " ", STR(?o)); SEPARATOR=" ") AS ?all) '
                 f'WHERE {{ ?s <{predicate}> ?o FILTER(isIRI(?o)) }}')  # fmt: skip
        words = (_text(next(iter(self._column(query)), None)) or "").split()
        return list(zip(words[0::2], words[1::2]))

    def links(self, predicates: Sequence[str], nodes: Container[str]) -> Iterator[tuple[str, Iterable[tuple[str, str]]]]:
        def task(p: str) -> Callable[[], tuple[str, list[tuple[str, str]]]]:
            def run() -> tuple[str, list[tuple[str, str]]]:
                few = self._column(f"SELECT DISTINCT ?o WHERE {{ ?s <{p}> ?o }} LIMIT {FEW_OBJECTS + 1}")
                if len(few) > FEW_OBJECTS:
                    return p, self._all_pairs(p)
                if not any(o in nodes for o in few):
                    return p, []  # industries, units, sources...: never read
                return p, self._grouped(f"?s <{p}> ?o")

            return run

        return self._in_parallel([task(p) for p in predicates])

    def collapsed(self, cls: str, source: str, target: str) -> Iterable[tuple[str, str]]:
        """Started at once in the background; read when iterated (the projection asks for every
        rule before it reads the links, so the second core is not idle at the end)."""
        future = self._submit(lambda: self._grouped(f"?n a <{cls}> ; <{source}> ?s ; <{target}> ?o"))
        return _Later(future)

    def labels(self, iris: Sequence[str]) -> dict[str, str]:
        candidates: dict[str, list[tuple[str, str, str]]] = {}
        props = _iris(LABEL_PROPERTIES)
        for i in range(0, len(iris), CHUNK):
            query = (
                f"SELECT ?s ?p ?l (LANG(?l) AS ?lang) WHERE {{ VALUES ?s {{ {_iris(iris[i : i + CHUNK])} }} "
                f"VALUES ?p {{ {props} }} ?s ?p ?l }}"
            )
            for s, p, value, lang in self.select(query):
                text = _text(value)
                if s is not None and p is not None and text is not None:
                    candidates.setdefault(s, []).append((p, text, _text(lang) or ""))
        return {s: label for s, found in candidates.items() if (label := best_label(found)) is not None}


def _forgetting(task: Callable[[], Any]) -> Callable[[], Any]:
    """``task``, whose error keeps no frame's variables: pyoxigraph's results may be freed only by
    the thread that read them, and an error carried to the caller's thread would free them there
    (pyoxigraph then fails with "is unsendable" instead of the error itself)."""
    import traceback

    def run() -> Any:
        try:
            return task()
        except BaseException as exc:
            traceback.clear_frames(exc.__traceback__)
            raise

    return run


class _Later:
    """The pairs a background task returns, waited for when first iterated."""

    def __init__(self, future: Any) -> None:
        self.future = future

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.future.result())


def _oxigraph_value(term: Any) -> str | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value  # type: ignore[no-any-return]
    if isinstance(term, ox.Literal):
        return '"' + term.value
    return "_:" + str(getattr(term, "value", term))


class OxigraphSource(SparqlSource):
    """A pyoxigraph Store: SPARQL for the bulk questions, direct lookups for labels."""

    def __init__(self, store: Any, threads: int = 2) -> None:
        super().__init__(oxigraph_select(store), threads)
        self.store = store

    def labels(self, iris: Sequence[str]) -> dict[str, str]:
        return store_labels(self.store, iris)


def store_labels(store: Any, iris: Iterable[str]) -> dict[str, str]:
    """The label :func:`kg.rdf.labels.label_of` shows (in English) of each IRI that has one, in
    a pyoxigraph store's default graph: each IRI looked up in the store's index directly, which
    at tens of thousands of nodes takes a fifth of the time of the same lookups as SPARQL
    (``VALUES``)."""
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    props = [ox.NamedNode(str(prop)) for prop in LABEL_PROPS]
    found: dict[str, str] = {}
    for iri in iris:
        subject = ox.NamedNode(iri)
        for prop in props:  # the first property with a label wins: the others are not read
            candidates = [(prop.value, q.object.value, q.object.language or "")
                          for q in store.quads_for_pattern(subject, prop, None, default) if isinstance(q.object, ox.Literal)]  # fmt: skip
            label = best_label(candidates)
            if label is not None:
                found[iri] = label
                break
    return found


def oxigraph_select(store: Any) -> Callable[[str], Iterator[Row]]:
    """``select`` over a pyoxigraph Store (its default graph)."""

    def select(query: str) -> Iterator[Row]:
        for solution in store.query(query):
            yield tuple(_oxigraph_value(term) for term in solution)

    return select


def _rdflib_value(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        return '"' + str(term)
    return "_:" + str(term)


def backend_select(backend: Any) -> Callable[[str], Iterator[Row]]:
    """``select`` over a kg backend (kg.backends.base: an endpoint) through its ``query``."""

    def select(query: str) -> Iterator[Row]:
        result = backend.query(query, source="projection")
        for row in result.rows:
            yield tuple(_rdflib_value(term) for term in row)

    return select


def as_source(graph: Any) -> Any:
    """A :class:`Source` for an rdflib graph, a pyoxigraph Store, a kg backend (its own
    :meth:`kg.backends.base.Backend.edges_source`), or a source itself."""
    if isinstance(graph, Graph):
        return RdflibSource(graph)
    if hasattr(graph, "instances") and hasattr(graph, "links"):
        return graph
    if type(graph).__module__.startswith("pyoxigraph"):
        return OxigraphSource(graph)
    if hasattr(graph, "edges_source"):
        return graph.edges_source()
    if hasattr(graph, "query"):  # anything that answers SPARQL as a backend does
        return SparqlSource(backend_select(graph))
    raise TypeError(f"cannot project {type(graph).__name__}")
