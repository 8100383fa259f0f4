"""The part of a store or an endpoint that ``kg describe``, ``kg why`` and ``kg conflicts`` read,
fetched with SPARQL into an in-memory dataset, so that the same code gives the same answers on
every backend without loading a national-scale store.

- Around one entity (describe, why): every quad with the entity as subject or object; the full
  description of every node that points at it (measurements, memberships, awards, contained
  places) and of every place it is ``kg:locatedIn``, at any depth; the names and classes of
  everything those mention; the ``rdf:Statement`` nodes that reify their statements.
- The figures that can be in a conflict (conflicts): the description of each such measurement
  node and the names of what it mentions (a figure that shares its entity, measure and period
  with no other cannot disagree, so a million firms' figures are not all read); every subject
  with two values of an ``owl:FunctionalProperty``, with its names, quotes and reifications.

Both add what a citation needs (each named graph's own description, its article, the
article's publisher) and the ontology (the store's ``graph:ontology``, else the project's),
for the labels of properties, classes, measures, units and statuses. Each part is one query
whose rows are quads, so blank nodes stay themselves within it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rdflib import Dataset, URIRef
from kg.errors import InputError
from kg.rdf.loading import add_ontology_if_missing, new_dataset
from kg.rdf.terms import ONTOLOGY_GRAPH, expect_rows
from kg.rdf.sources import Sources

if TYPE_CHECKING:
    from rdflib.term import Node

    from kg.backends.base import Backend
    from kg.rdf.sources import Sources

#: Names and classes: what is fetched about a node that is only mentioned.
_NAMES = "FILTER(?p IN (skos:prefLabel, rdfs:label, skos:altLabel, schema:name, rdf:type))"

#: What a citation needs about each graph ?g0 that holds something fetched (bound by VALUES):
#: its own description, its article, the article's publisher, the graph's stated source.
_CITATIONS = [
    "GRAPH ?g { ?g0 ?p ?o } BIND(?g0 AS ?s)",
    "GRAPH ?gx { ?g0 prov:wasDerivedFrom ?s } GRAPH ?g { ?s ?p ?o }",
    f"""GRAPH ?gx {{ ?g0 prov:wasDerivedFrom ?a }} GRAPH ?gy {{ ?a ?pp ?s }}
        FILTER(?pp IN (kg:publisher, schema:publisher)) GRAPH ?g {{ ?s ?p ?o }} {_NAMES}""",
    f"GRAPH ?gx {{ ?g0 dcterms:source ?s }} GRAPH ?g {{ ?s ?p ?o }} {_NAMES}",
]

#: Around the entity ?e (bound before the query runs).
_AROUND = [
    "GRAPH ?g { ?e ?p ?o } BIND(?e AS ?s)",
    "GRAPH ?g { ?s ?p ?e } BIND(?e AS ?o)",
    "GRAPH ?g0 { ?s ?p0 ?e } GRAPH ?g { ?s ?p ?o }",
    "?e kg:locatedIn+ ?s . GRAPH ?g { ?s ?p ?o }",
    f"GRAPH ?g0 {{ ?e ?p0 ?s }} GRAPH ?g {{ ?s ?p ?o }} {_NAMES}",
    f"GRAPH ?g0 {{ ?x ?p0 ?e }} GRAPH ?g1 {{ ?x ?p1 ?s }} GRAPH ?g {{ ?s ?p ?o }} {_NAMES}",
    f"?e kg:locatedIn+ ?x . GRAPH ?g1 {{ ?x ?p1 ?s }} GRAPH ?g {{ ?s ?p ?o }} {_NAMES}",
    "GRAPH ?g { ?s rdf:subject ?e ; ?p ?o }",
    "GRAPH ?g0 { ?x ?p0 ?e } GRAPH ?g { ?s rdf:subject ?x ; ?p ?o }",
    "?e kg:locatedIn+ ?x . GRAPH ?g { ?s rdf:subject ?x ; ?p ?o }",
]

_FIGURE = "{ ?m a kg:Measurement } UNION { ?m kg:about ?about ; kg:measure ?measure }"
#: The description of each figure ?m (bound by VALUES) in each graph where it is one.
_FIGURES = f"GRAPH ?g {{ {_FIGURE} ?m ?p ?o }} BIND(?m AS ?s)"
#: How many figures there are, counted as kg.provenance.figures.read_figures counts them (node and graph).
_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?m ?g WHERE {{ GRAPH ?g {{ {_FIGURE} }} FILTER(isIRI(?m)) }} }}"
#: The figures that can be in a conflict (kg.provenance.conflicts), a superset of those that are: each
#: shares its entity, measure and period (as text) with another figure (``_SHARED``, each row
#: the IRIs of one such group: an IRI holds no space); is a part or a whole; is of an entity and
#: measure that has a year-on-year change; or has an entity or a measure that is missing or not
#: an IRI (kg.provenance.figures then reads it as None, which any other such can share). Any other figure
#: differs from every other figure in entity, measure or period, and so is in no disagreement,
#: no "of which" and no year-on-year pair. (Each is one pass over the figures: at a million
#: firms, 150,000 figures, 2 to 3 s each.)
_SHARED = """SELECT (GROUP_CONCAT(STR(?m); separator=" ") AS ?ms) WHERE {
    GRAPH ?g { ?m kg:about ?a ; kg:measure ?x ; kg:period ?p } FILTER(isIRI(?m)) BIND(STR(?p) AS ?t)
  } GROUP BY ?a ?x ?t HAVING (COUNT(*) > 1)"""
_CANDIDATES = [
    "SELECT DISTINCT ?m WHERE { GRAPH ?g { { ?m kg:partOfMeasurement ?w } UNION { ?w kg:partOfMeasurement ?m } } }",
    """SELECT DISTINCT ?m WHERE {
         { SELECT DISTINCT ?a ?x WHERE { GRAPH ?g { ?c kg:yoyChange ?y ; kg:about ?a ; kg:measure ?x } } }
         GRAPH ?h { ?m kg:about ?a ; kg:measure ?x } }""",
    "SELECT DISTINCT ?m WHERE { { GRAPH ?g { ?m a kg:Measurement } } MINUS { GRAPH ?g { ?m kg:about ?a ; kg:measure ?x } } }",
    "SELECT DISTINCT ?m WHERE { GRAPH ?g { ?m kg:about|kg:measure ?v FILTER(!isIRI(?v)) } }",
]
#: Subjects with two values of a single-valued property ?fp (bound by VALUES), in the merge.
#: The VALUES block goes inside the sub-query, so that it groups only those properties' triples
#: (3 s at a million firms, where grouping every triple took 30 s). The merge is a set of
#: triples, so COUNT(*) counts distinct values (and where an endpoint repeats a triple, a
#: subject too many is fetched and found to have one value).
_TWO_VALUES = "SELECT DISTINCT ?x WHERE {{ {{ SELECT ?x ?fp WHERE {{ {values} ?x ?fp ?v }} GROUP BY ?x ?fp HAVING (COUNT(*) > 1) }} }}"
#: Chunk size of VALUES lists.
_CHUNK = 250


def _values(name: str, terms: Iterable[Node]) -> str:
    return f"VALUES ?{name} {{ {' '.join(sorted(t.n3() for t in terms))} }}"


def _add(ds: Dataset, backend: Backend, pattern: str, params: dict | None = None) -> None:
    """Add the quads (?s ?p ?o in graph ?g) that ``pattern`` finds."""
    text = f"SELECT DISTINCT ?s ?p ?o ?g WHERE {{ {pattern} }}"
    for s, p, o, g in backend.rows(text, params=params, source="kg describe"):
        if s is None or p is None or o is None or g is None:  # (a server may answer anything)
            raise InputError(f"kg describe: the SPARQL endpoint answered a quad with an unbound term to {pattern!r}")
        ds.add((s, p, o, g))


def _add_each(ds: Dataset, backend: Backend, name: str, terms: Iterable[Node], pattern: str) -> None:
    """:func:`_add` for ``pattern`` with ?``name`` bound to each IRI of ``terms`` (in chunks)."""
    iris = sorted({t for t in terms if isinstance(t, URIRef)}, key=str)
    for start in range(0, len(iris), _CHUNK):
        _add(ds, backend, f"{_values(name, iris[start : start + _CHUNK])} {pattern}")


def _objects(ds: Dataset, subjects: set[Node]) -> set[Node]:
    return {o for s, _, o, _ in ds.quads((None, None, None, None)) if s in subjects}  # type: ignore[misc]


def _fetch(
    backend: Backend, patterns: Iterable[str], params: dict | None = None, figures: bool = False,
    candidates: Iterable[Node] = (),
) -> Dataset:
    """A dataset of the quads the patterns find, what their graphs' citations need, and the
    ontology (the backend's graph:ontology, else the project's). With ``figures``, also the
    descriptions of the figures ``candidates``, the names of what they mention, and the
    subjects of the ontology's single-valued properties that have two values (with their
    quotes and what they name)."""
    from rdflib import OWL, RDF


    ds = new_dataset()
    _add(ds, backend, "GRAPH ?g { ?s ?p ?o } VALUES ?g { graph:ontology }")
    add_ontology_if_missing(ds)
    ontology = set(ds.graph(ONTOLOGY_GRAPH).subjects())
    for pattern in patterns:
        _add(ds, backend, pattern, params)
    if figures:
        _add_each(ds, backend, "m", candidates, _FIGURES)
        measurements = {s for s, _, _, g in ds.quads((None, None, None, None)) if g != ONTOLOGY_GRAPH}  # type: ignore[misc]
        mentioned = _objects(ds, measurements) - measurements - ontology
        _add_each(ds, backend, "s", mentioned, f"GRAPH ?g {{ ?s ?p ?o }} {_NAMES}")
        functional = sorted(ds.subjects(RDF.type, OWL.FunctionalProperty), key=str)
        rows = backend.query(_TWO_VALUES.format(values=_values("fp", functional)), source="kg conflicts").rows if functional else []
        doubled = {row[0] for row in rows}
        _add_each(ds, backend, "s", doubled, "GRAPH ?g { ?s ?p ?o }")
        _add_each(ds, backend, "x", doubled, "GRAPH ?g { ?s rdf:subject ?x ; ?p ?o }")
        _add_each(ds, backend, "s", _objects(ds, doubled) - ontology, f"GRAPH ?g {{ ?s ?p ?o }} {_NAMES}")
    graphs = [g.identifier for g in ds.graphs() if len(g) and g.identifier != ONTOLOGY_GRAPH]
    for pattern in _CITATIONS:
        _add_each(ds, backend, "g0", graphs, pattern)
    return ds


def around(backend: Backend, entity: URIRef) -> Sources:
    """What ``kg describe`` and ``kg why`` read about ``entity``, as :class:`kg.rdf.sources.Sources`."""

    return Sources(_fetch(backend, _AROUND, {"e": entity}))


def figures(backend: Backend) -> tuple[Sources, int]:
    """What ``kg conflicts`` reads on a store or an endpoint: the figures that can be in a
    conflict (``_CANDIDATES``) and every doubly-valued single-valued property; with how many
    figures there are in all, which the report gives as checked."""

    candidates: set[Node] = set()
    for (joined,) in backend.query(_SHARED, source="kg conflicts").rows:
        candidates.update(URIRef(iri) for iri in str(joined or "").split())
    for text in _CANDIDATES:
        candidates.update(row[0] for row in backend.query(text, source="kg conflicts").rows)

    ((count,),) = expect_rows(backend.query(_COUNT, source="kg conflicts"), 1, "kg conflicts", at_least=1)[:1]
    ds = _fetch(backend, [], figures=True, candidates=candidates)
    return Sources(ds), int(count)  # type: ignore[arg-type]


#: What a validation result shows about its focus node or value (?e, bound by VALUES): its own
#: statements (sources, quotes, a measurement's parts) and the names of what they mention.
_NODES = [
    "GRAPH ?g { ?e ?p ?o } BIND(?e AS ?s)",
    f"GRAPH ?g0 {{ ?e ?p0 ?s }} GRAPH ?g {{ ?s ?p ?o }} {_NAMES}",
]


def nodes_dataset(backend: Backend, nodes: Iterable[Node]) -> Dataset:
    """What ``kg validate`` shows about the nodes of its results (names, classes, articles and
    quotes), fetched from the backend with the citations and the ontology (see :func:`_fetch`)."""
    iris = sorted({n for n in nodes if isinstance(n, URIRef)}, key=str)
    patterns = [
        f"{_values('e', iris[start : start + _CHUNK])} {pattern}"
        for start in range(0, len(iris), _CHUNK)
        for pattern in _NODES
    ]
    return _fetch(backend, patterns)
