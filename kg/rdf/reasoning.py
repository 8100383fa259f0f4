"""Inference before a query or a validation: ``--reasoning none|rdfs|owlrl``.

Shared by ``kg query`` and ``kg validate``. The entailed triples go into a named graph of their
own (:data:`INFERRED_GRAPH`), so the asserted facts keep their article graphs and a report can
still tell what was stated from what was derived. The dataset's default graph (the union) sees
both.

- ``none``: the data as written (the default; no cost).
- ``rdfs``: RDFS entailment (subclasses, subproperties, domains and ranges), using owlrl's
  ``RDFS_Semantics`` without axiomatic triples.
- ``owlrl``: OWL 2 RL entailment (adds transitive, symmetric and inverse properties, such as
  ``kg:locatedIn`` and ``kg:contains``), using owlrl's ``OWLRL_Semantics``.

The ontology must be in the dataset (``graph:ontology``) for either to derive anything.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal

from kg.errors import UsageError
from kg.namespaces import bind_prefixes
from kg.rdf.terms import INFERRED_GRAPH

#: The names ``--reasoning`` accepts, cheapest first.
MODES: tuple[str, ...] = ("none", "rdfs", "owlrl")

#: The named graph that holds the entailed triples.

HELP = (
    "Inference before running: none (the data as written), rdfs (subclasses, subproperties, "
    "domains, ranges) or owlrl (OWL 2 RL: also transitive, symmetric and inverse properties)."
)


def _closure_class(mode: str):  # type: ignore[no-untyped-def]
    import owlrl

    if mode == "rdfs":
        return owlrl.RDFS_Semantics
    return owlrl.OWLRL_Semantics


def apply_reasoning(dataset: Dataset, mode: str = "none") -> Dataset:
    """The dataset with the entailments of ``mode`` added in :data:`INFERRED_GRAPH`.

    ``none`` returns ``dataset`` itself. Otherwise the input is left unchanged: the result is a
    copy (its named graphs and their triples) plus the inferred graph. An unknown mode is a
    UsageError.
    """
    if mode not in MODES:
        raise UsageError(f"unknown reasoning mode {mode!r} (choose one of: {', '.join(MODES)})")
    if mode == "none":
        return dataset
    import owlrl

    closure = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        closure.add((s, p, o))
    asserted = set(closure)
    owlrl.DeductiveClosure(
        _closure_class(mode),
        improved_datatypes=False,
        axiomatic_triples=False,
        datatype_axioms=False,
    ).expand(closure)
    result = Dataset(default_union=True)
    bind_prefixes(result)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        result.graph(g).add((s, p, o))
    inferred = result.graph(INFERRED_GRAPH)
    for triple in _entailed(closure, asserted):
        inferred.add(triple)
    return result


def _entailed(closure: Graph, asserted: set) -> list:
    """The triples of ``closure`` not in ``asserted``, without owlrl's literal mix-ups.

    owlrl stands in for literals with one proxy per *value* during the closure, so ``"2.0"^^xsd:
    decimal`` and ``"2"^^xsd:integer`` come back swapped onto each other's subjects (owlrl 7.6).
    A sound RDFS / OWL RL inference only moves a subject's own literal to another property, so a
    literal is kept only on a subject that already had exactly that literal (or on a new node).
    """
    own_literals = {(s, o) for s, _p, o in asserted if isinstance(o, Literal)}
    subjects = {s for s, _p, _o in asserted}
    return [
        (s, p, o)
        for s, p, o in closure
        if (s, p, o) not in asserted
        and (not isinstance(o, Literal) or (s, o) in own_literals or s not in subjects)
    ]
