"""A first look at a graph: triples per named graph, instances per class, measurements per measure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Dataset

from kg.errors import UsageError
from kg.namespaces import sparql_prologue
from kg.query.library import find_named
from kg.rdf.containment import LEVELS, is_derived

if TYPE_CHECKING:
    from kg.backends.base import Backend


@dataclass
class Stats:
    """Counts a user reads in one second. Each list is (name, count), sorted by name.
    ``triples`` and ``graphs`` count what sources state; ``derived`` the graphs kg derives
    (the containment closure, :mod:`kg.rdf.containment`), shown apart."""

    triples: int = 0
    graphs: list[tuple[str, int]] = field(default_factory=list)
    classes: list[tuple[str, int]] = field(default_factory=list)
    measures: list[tuple[str, int]] = field(default_factory=list)
    derived: list[tuple[str, int]] = field(default_factory=list)
    #: With ``by`` (a roll-up level: province, prefecture, county): (division, firms, parks)
    #: for each division of that level holding one, most firms first (:func:`regions`).
    by: str | None = None
    regions: list[tuple[str, int, int]] = field(default_factory=list)


def regions(backend: Backend, level: str) -> list[tuple[str, int, int]]:
    """Firms and parks per division of ``level`` (kg.rdf.containment.LEVELS), at any depth: the
    named queries firms-per-region and parks-per-region (one hop over kg:within each)."""
    from kg.rdf.loading import new_dataset

    if level not in LEVELS:
        raise UsageError(f"unknown level {level!r} (choose from: {', '.join(LEVELS)})")
    counts: dict[object, list[int]] = {}
    for column, name in enumerate(("firms-per-region", "parks-per-region")):
        query = find_named(name)
        for region, n in backend.query(query.text, params={"level": LEVELS[level]}, source=name).rows:
            counts.setdefault(region, [0, 0])[column] = int(n.toPython())  # type: ignore[union-attr]
    names = new_dataset()
    found = [(_qname(names, r), f, p) for r, (f, p) in counts.items()]
    return sorted(found, key=lambda row: (-row[1], -row[2], row[0]))


#: Instances per kg: class, the ontology's own terms left out. The namespace test is on each
#: group (HAVING), not on each typed node, and the ontology's subjects are taken away with one
#: MINUS rather than a NOT EXISTS per node: the same counts, ten times faster on a store.
_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?class .
  MINUS { GRAPH graph:ontology { ?s ?p ?o } }
} GROUP BY ?class
HAVING (STRSTARTS(STR(?class), STR(kg:)) && ?class != kg:DerivedGraph)
"""

_MEASURES = """
SELECT ?measure (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m a kg:Measurement ; kg:measure ?measure .
} GROUP BY ?measure
"""


def _qname(ds: Dataset, term: object) -> str:
    try:
        return ds.namespace_manager.normalizeUri(term)  # type: ignore[arg-type]
    except (ValueError, KeyError):  # a term rdflib cannot shorten is shown in full
        return str(term)


def compute_stats(ds: Dataset) -> Stats:
    """Count triples per named graph, instances per ontology class and measurements per measure."""
    graphs, derived = [], []
    for g in ds.graphs():
        n = len(g)
        if n == 0:
            continue
        (derived if is_derived(g.identifier) else graphs).append((_qname(ds, g.identifier), n))
    prologue = sparql_prologue()
    classes = [(_qname(ds, r[0]), int(r[1])) for r in ds.query(prologue + _CLASSES)]
    measures = [(_qname(ds, r[0]), int(r[1])) for r in ds.query(prologue + _MEASURES)]
    return Stats(
        triples=sum(n for _, n in graphs),
        graphs=sorted(graphs),
        classes=sorted(classes),
        measures=sorted(measures),
        derived=sorted(derived),
    )


_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def backend_stats(backend: Backend) -> Stats:
    """:func:`compute_stats` on any backend, counted by the backend's engine with SPARQL (on a
    store or an endpoint nothing is loaded into memory). The same counts as in memory."""
    from kg.backends.base import MemoryBackend
    from kg.rdf.loading import new_dataset

    if isinstance(backend, MemoryBackend):
        return compute_stats(backend.ds)
    names = new_dataset()  # the project's prefixes, for the names shown
    counted = backend.query(_GRAPHS, source="stats").rows
    graphs = [(_qname(names, g), int(n.toPython())) for g, n in counted if not is_derived(g)]
    derived = [(_qname(names, g), int(n.toPython())) for g, n in counted if is_derived(g)]
    classes = [(_qname(names, c), int(n.toPython())) for c, n in backend.query(_CLASSES, source="stats").rows]
    measures = [(_qname(names, m), int(n.toPython())) for m, n in backend.query(_MEASURES, source="stats").rows]
    return Stats(
        triples=sum(n for _, n in graphs),
        graphs=sorted(graphs),
        classes=sorted(classes),
        measures=sorted(measures),
        derived=sorted(derived),
    )
