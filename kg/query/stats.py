"""A first look at a graph: triples per named graph, instances per class, measurements per measure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Dataset
from kg.backends.base import dataset_backend
from kg.rdf.loading import new_dataset

from kg.errors import InputError, UsageError
from kg.query.library import find_named
from kg.rdf.containment import LEVELS, is_derived
from kg.rdf.terms import QueryResult, expect_rows

if TYPE_CHECKING:
    from kg.backends.base import Backend


@dataclass
class Stats:
    """Counts a user reads in one second. Each list is (name, count), sorted by name.
    ``quads``: the statements of all graphs sources state; ``triples``: the distinct triples
    among them (a triple stated in two graphs counts once); ``derived``: the graphs kg derives
    (the containment closure, :mod:`kg.rdf.containment`), shown apart."""

    quads: int = 0
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
    """:func:`backend_stats` of an rdflib dataset."""

    return backend_stats(dataset_backend(ds))


def _counts(names: Dataset, rows: list) -> list[tuple[str, int]]:
    """(name, count) of each group (rdflib answers a GROUP BY over no solutions with one row of
    unbound values: left out, as the other engines give no row)."""
    return [(_qname(names, key), int(n.toPython())) for key, n in rows if key is not None and n is not None]



def _groups(names: Dataset, result: QueryResult) -> list[tuple[str, int]]:
    """(name, count) of each group of a ``SELECT ?key (COUNT(...) AS ?n) ... GROUP BY ?key``
    answer, checked for its shape (:func:`kg.rdf.terms.expect_rows`). rdflib answers a GROUP BY
    over no solutions with one row of unbound values: left out, as the other engines give no row."""
    if result.kind == "SELECT" and all(value is None for row in result.rows for value in row):
        return []
    return [(_qname(names, key), _count(n)) for key, n in expect_rows(result, 2, "stats")]


def _count(term: object) -> int:
    """A COUNT's value; what is not an integer is an endpoint's mistake, a one-line InputError."""
    try:
        return int(str(term))
    except ValueError as exc:
        raise InputError(f"stats: the SPARQL endpoint answered {str(term)[:40]!r} for a count") from exc


def backend_stats(backend: Backend) -> Stats:
    """Triples per named graph, instances per ontology class and measurements per measure,
    counted by the backend's own engine (on a store or an endpoint nothing is loaded into
    memory): the same counts on every backend. An answer of another shape (a server that
    answers anything) is a one-line InputError."""

    names = new_dataset()  # the project's prefixes and the data's own, for the names shown
    for prefix, namespace in backend.namespaces():
        names.bind(prefix, namespace, override=True, replace=True)
    sizes = backend.graph_sizes()
    graphs = [(_qname(names, g), n) for g, n in sizes if not is_derived(g)]
    derived = [(_qname(names, g), n) for g, n in sizes if is_derived(g)]
    classes, measures = (_groups(names, backend.query(text, source="stats")) for text in (_CLASSES, _MEASURES))
    return Stats(
        quads=sum(n for _, n in graphs),
        triples=backend.distinct_triples() - sum(n for _, n in derived),  # (kg:within: stated by no source)
        graphs=sorted(graphs),
        classes=sorted(classes),
        measures=sorted(measures),
        derived=sorted(derived),
    )
