"""Which SHACL engine ``kg validate --engine`` uses: pyshacl (the reference), the fast engine
(:mod:`kg.validate.fast`), or ``auto``, which picks one for the data and shapes at hand."""

from __future__ import annotations

from rdflib import BNode, Dataset, Graph, Literal

from kg.namespaces import SH
from kg.errors import UsageError
from kg.validate.fast import unsupported
from kg.rdf.literals import is_ill_typed

#: ``--engine`` values: pyshacl (the reference), fast (kg.validate.fast), auto.
ENGINES: tuple[str, ...] = ("auto", "pyshacl", "fast")
#: ``auto`` uses the fast engine from this many triples on (when it supports the shapes).
AUTO_QUADS = 50_000


def choose_engine(engine: str, data: Dataset, shapes: Graph) -> str:
    """The engine ``auto`` stands for with this data and these shapes; others as given.

    ``auto`` is the fast engine when it supports the shapes and either the data is large
    (AUTO_QUADS) or nothing in it touches the cases where the engines are known to report
    differently (docs/engines.md: blank nodes, nested ``sh:node`` results); else pyshacl. On
    the project's own data that is the fast engine: the same report in half the time."""
    if engine not in ENGINES:

        raise UsageError(f"--engine {engine!r}: choose from: {', '.join(ENGINES)}")
    if engine != "auto":
        return engine

    if unsupported(shapes) is not None:
        return "pyshacl"
    if len(data) >= AUTO_QUADS:
        return "fast"
    return "pyshacl" if _engines_may_differ(data, shapes) else "fast"


def _engines_may_differ(data: Dataset, shapes: Graph) -> bool:
    """Whether the data or shapes use what the engines report differently (the W3C core tests
    listed in tests/test_validate_fast.py): blank nodes or ill-typed literals in the data,
    ``sh:node`` in the shapes."""

    if next(shapes.subject_objects(SH.node), None) is not None:
        return True
    for s, _, o, _ in data.quads((None, None, None, None)):
        if isinstance(s, BNode) or isinstance(o, BNode) or (isinstance(o, Literal) and is_ill_typed(o)):
            return True
    return False
