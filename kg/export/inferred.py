"""What an export adds beside the data: the inferences (``--include inferred``) and, for the
network formats, the ontology they read labels and the class hierarchy from. Shared by the
memory path (:mod:`kg.export.registry`) and the backends' (:mod:`kg.export.parts`).

Stays light at import (rdflib only inside the functions): the CLI imports the registry, which
names :data:`EXPORT_REASONING`, to build its options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.errors import UsageError
from kg.rdf.loading import add_ontology_if_missing
from kg.rdf.reasoning import apply_reasoning
from kg.rdf.terms import INFERRED_GRAPH
from kg.rdf.loading import new_dataset
from kg.rdf.terms import ONTOLOGY_GRAPH

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

#: The --reasoning choices of ``kg export --include inferred``.
EXPORT_REASONING: tuple[str, ...] = ("rdfs", "owlrl")


def add_inferred(ds: Dataset, base: Dataset, mode: str) -> None:
    """Put into graph:inferred of ``ds`` what ``mode`` entails from ``base`` and the ontology,
    minus the triples ``base`` and the ontology already assert (``base`` gets the project's
    ontology when it has none)."""
    from rdflib import Literal


    if mode not in EXPORT_REASONING:
        raise UsageError(f"unknown reasoning mode {mode!r} for inferred triples (choose from: {', '.join(EXPORT_REASONING)})")
    add_ontology_if_missing(base)
    asserted = {t for g in base.graphs() for t in g}
    closure = apply_reasoning(base, mode)
    target = ds.graph(INFERRED_GRAPH)
    for t in closure.graph(INFERRED_GRAPH):
        if t not in asserted and not isinstance(t[0], Literal):  # RDFS rule rdfs4a types literals too
            target.add(t)


def schema_of(ds: Dataset) -> Graph:
    """The ontology, for labels and the class hierarchy of the network formats: ``ds``'s own
    graph:ontology, else the project's."""

    own = ds.graph(ONTOLOGY_GRAPH)
    if len(own):
        return own
    return add_ontology_if_missing(new_dataset()).graph(ONTOLOGY_GRAPH)
