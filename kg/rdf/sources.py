"""Where a statement comes from: the named graphs of a dataset as sources (an article, reference
data, the ontology, a file), and the citations of one triple.

A triple in two article graphs is stated by two articles (corroboration); ``dataset.quads``
tells which graphs hold it. Evidence is the ``kg:evidence`` quote the same graph attaches to the
statement: to an ``rdf:Statement`` that reifies the triple, or else to the triple's subject
(the measurement, membership or award node that carries the quote; for a named entity with
several quotes, the ones that mention the other end of the triple).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, RDFS, SKOS, Dataset, Literal, URIRef
from rdflib.graph import Graph
from rdflib.namespace import DCTERMS, PROV

from kg.rdf.containment import is_derived
from kg.rdf.labels import label_of, normalize_name
from kg.rdf.terms import ONTOLOGY_GRAPH
from kg.namespaces import GRAPH, KG, SCHEMA
from kg.rdf.loading import add_ontology_if_missing, load_inputs

#: Properties that give an entity a name (kg.rdf.labels reads the first three).
NAME_PROPS = (SKOS.prefLabel, RDFS.label, SKOS.altLabel, SCHEMA.name)
#: Order of source kinds in listings.
KIND_ORDER = {"article": 0, "reference": 1, "graph": 2, "ontology": 3}


@dataclass(frozen=True)
class Source:
    """A named graph as a source: ``kind`` is 'article', 'reference', 'ontology' or 'graph'."""

    graph: str
    kind: str
    title: str
    publisher: str | None = None
    date: str | None = None
    article: str | None = None

    def citation(self) -> str:
        """'Title (Publisher, 2022-07-08)', 'reference: Source', or the graph IRI."""
        if self.kind == "article":
            extra = ", ".join(x for x in (self.publisher, self.date) if x)
            return f"{self.title} ({extra})" if extra else self.title
        if self.kind == "reference":
            return f"reference data: {self.title}"
        return f"{self.kind}: {self.title}"

    def sort_key(self) -> tuple:
        return (KIND_ORDER.get(self.kind, 9), self.date or "", self.title, self.graph)


@dataclass(frozen=True)
class Citation:
    """One source stating a fact, with the quote(s) it gives for it."""

    source: Source
    evidence: tuple[str, ...] = ()
    stated_as: str | None = None
    notes: tuple[str, ...] = field(default=())


def count_articles(citations: tuple[Citation, ...] | list[Citation]) -> int:
    """How many distinct articles state a fact."""
    return len({c.source.article or c.source.graph for c in citations if c.source.kind == "article"})


class Sources:
    """The named graphs of a dataset, indexed once: graph id -> Graph and -> Source."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.graphs: dict[URIRef, Graph] = {  # (a graph kg derives is no source: never cited)
            g.identifier: g
            for g in ds.graphs()
            if len(g) and isinstance(g.identifier, URIRef) and not is_derived(g.identifier)  # type: ignore[misc]
        }
        self._sources: dict[URIRef, Source] = {}

    def source(self, gid: URIRef) -> Source:
        if gid not in self._sources:
            self._sources[gid] = self._describe(gid)
        return self._sources[gid]

    def _describe(self, gid: URIRef) -> Source:
        ds = self.ds
        if gid == ONTOLOGY_GRAPH:
            return Source(str(gid), "ontology", "the kg ontology")
        if (gid, RDF.type, KG.ArticleGraph) in ds or (gid, PROV.wasDerivedFrom, None) in ds:
            article = ds.value(gid, PROV.wasDerivedFrom)
            if article is not None:
                headline = ds.value(article, SCHEMA.headline)
                publisher = ds.value(article, KG.publisher) or ds.value(article, SCHEMA.publisher)
                date = ds.value(article, SCHEMA.datePublished)
                return Source(
                    graph=str(gid),
                    kind="article",
                    title=str(headline) if headline is not None else label_of(ds, article),
                    publisher=label_of(ds, publisher) if publisher is not None else None,
                    date=str(date) if date is not None else None,
                    article=str(article),
                )
        if (gid, RDF.type, KG.ReferenceGraph) in ds:
            src = ds.value(gid, DCTERMS.source)
            title = (str(src) if isinstance(src, Literal) else label_of(ds, src)) if src is not None else label_of(ds, gid)
            return Source(str(gid), "reference", title)
        return Source(str(gid), "graph", str(gid))

    def holding(self, s: object, p: object, o: object) -> list[URIRef]:
        """The graphs that hold the triple, sorted."""
        return sorted({c for _, _, _, c in self.ds.quads((s, p, o, None)) if c in self.graphs})  # type: ignore[arg-type]

    def evidence(self, gid: URIRef, s: object, p: object, o: object) -> tuple[str, ...]:
        """The quotes graph ``gid`` gives for the triple: those of an rdf:Statement reifying it;
        else the subject's own quotes when the subject is a nameless node (a measurement, a
        membership, an award) or has just one quote; else those of its quotes that mention the
        object (by one of its names, or its value)."""
        g = self.graphs[gid]
        quotes: set[str] = set()
        for st in g.subjects(RDF.subject, s):
            if (st, RDF.predicate, p) in g and (st, RDF.object, o) in g:
                quotes.update(str(e) for e in g.objects(st, KG.evidence))
        if quotes:
            return tuple(sorted(quotes))
        own = sorted({str(e) for e in g.objects(s, KG.evidence)})  # type: ignore[arg-type]
        if len(own) <= 1 or not self._names(s):
            return tuple(own)
        wanted = [normalize_name(n) for n in ([str(o)] if isinstance(o, Literal) else self._names(o)) if n.strip()]
        return tuple(q for q in own if any(w in normalize_name(q) for w in wanted))

    def _names(self, node: object) -> list[str]:
        return [str(n) for prop in NAME_PROPS for n in self.ds.objects(node, prop)]  # type: ignore[arg-type]

    def notes(self, gid: URIRef, node: object) -> tuple[str, ...]:
        return tuple(sorted(str(n) for n in self.graphs[gid].objects(node, KG.note)))  # type: ignore[arg-type]

    def cite(self, s: object, p: object, o: object) -> tuple[Citation, ...]:
        """A citation for every graph holding the triple, in source order."""
        cites = [Citation(self.source(g), self.evidence(g, s, p, o)) for g in self.holding(s, p, o)]
        return tuple(sorted(cites, key=lambda c: c.source.sort_key()))

    def sort_citations(self, cites: list[Citation]) -> tuple[Citation, ...]:
        return tuple(sorted(cites, key=lambda c: c.source.sort_key()))


def load_sources(files: list[str] | tuple[str, ...] | None = None) -> Sources:
    """The project's graph, or the files given plus the project's ontology (for the labels of
    measures, statuses and units, and for which properties are single-valued)."""

    return Sources(add_ontology_if_missing(load_inputs(files)))
