"""The fast SHACL engine (``kg validate --engine fast``): the report pyshacl gives, in a fraction
of the time on large graphs.

- **Core constraints** run in the PyPI package ``shacl`` (a SHACL engine in Rust), on the union
  of the named graphs written as N-Triples.
- **SHACL-SPARQL constraints** (``sh:sparql``) run on Oxigraph (pyoxigraph), one query per
  constraint for all focus nodes at once: the shape's targets become a sub-query that binds
  ``$this`` (pyshacl runs one query per focus node), ``$PATH`` is replaced by the property path,
  and every solution is a result, as pyshacl makes it (value, path, messages with ``{?var}``
  filled in, duplicates per focus node dropped). The ``shacl`` package evaluates SPARQL
  constraints too, but not ``GRAPH`` patterns over the article graphs, so it is not asked to.

Both parts see blank nodes as IRIs ``urn:kg:bnode:LABEL`` (neither engine can name a blank
node of the input otherwise) and the report maps them back; a constraint that tells blank
nodes from IRIs (sh:nodeKind, isBlank) can therefore judge a blank node differently from
pyshacl. :func:`unsupported` names what this engine does not do (custom SPARQL-based
constraint components, SPARQL targets, SHACL-SPARQL constraints reached through sh:node,
sh:or, ...); kg.validate.core runs pyshacl for those shapes graphs.

The result is a SHACL report graph shaped like pyshacl's (kg.validate.core reads either the same
way); the tests compare both engines result by result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError
from kg.namespaces import SH
from kg.validate.sparql import BNODE_IRI, run_sparql_constraints, unskolem
from kg.rdf.loading import literals_as_written
from kg.validate.sparql import active_constraints
#: Shape-graph terms that make a shape unusable here (kg.validate.core falls back to pyshacl).
_UNSUPPORTED = {
    SH.validator: "custom SPARQL-based constraint components",
    SH.nodeValidator: "custom SPARQL-based constraint components",
    SH.propertyValidator: "custom SPARQL-based constraint components",
    SH.target: "SPARQL-based targets",
    SH.rule: "SHACL rules",
}
_NESTING = (SH.node, SH["not"], SH["and"], SH["or"], SH.xone, SH.qualifiedValueShape)


def unsupported(shapes: Graph) -> str | None:
    """Why the fast engine cannot validate with ``shapes`` (None when it can)."""
    for prop, what in _UNSUPPORTED.items():
        if (None, prop, None) in shapes:
            return what
    sparql_shapes = set(shapes.subjects(SH.sparql, None))
    for shape in sparql_shapes:
        if any((None, p, shape) in shapes for p in _NESTING) or (None, RDF.first, shape) in shapes:
            return "SHACL-SPARQL constraints inside sh:node, sh:not, sh:and, sh:or, sh:xone or qualified shapes"
        for parent in shapes.subjects(SH.property, shape):
            if any((None, p, parent) in shapes for p in _NESTING) or set(shapes.subjects(SH.property, parent)):
                return "SHACL-SPARQL constraints on property shapes of nested shapes"
    return None


def _nt(term: Node) -> str:
    """A term in N-Triples, blank nodes as ``urn:kg:bnode:`` IRIs."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"<{BNODE_IRI}{term}>"
    from rdflib.plugins.serializers.nt import _quoteLiteral

    return _quoteLiteral(term)  # type: ignore[arg-type]  # N-Triples escapes, full datatype IRI


class NotPlainRdf(InputError):
    """The data holds what RDF does not (a literal as subject, a predicate that is not an IRI):
    rdflib keeps such triples, the fast engine's parsers refuse them."""


def skolem_texts(data: Dataset) -> tuple[str, str]:
    """The dataset's named graphs as N-Quads and their merge as N-Triples (a triple stated in
    several graphs repeats; loading makes a set of it), blank nodes as ``urn:kg:bnode:`` IRIs.
    Written directly, graph by graph: rdflib's serializer took most of the engine's time."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    quads: list[str] = []
    triples: list[str] = []
    written: dict[Node, str] = {}  # IRIs and blank nodes repeat: each is formatted once

    def nt(term: Node) -> str:
        found = written.get(term)
        if found is None:
            found = _nt(term)
            if not isinstance(term, Literal):
                written[term] = found
        return found

    for graph in data.contexts():
        name = graph.identifier
        label = None if name == DATASET_DEFAULT_GRAPH_ID else nt(name)
        for s, p, o in graph.triples((None, None, None)):
            if isinstance(s, Literal) or not isinstance(p, URIRef):
                raise NotPlainRdf(
                    f"the fast engine reads only plain RDF, and the data has {s.n3()} {p.n3()} "
                    "(a literal as subject or a predicate that is not an IRI): use --engine pyshacl"
                )
            triple = f"{nt(s)} {nt(p)} {nt(o)}"
            triples.append(triple + " .")
            if label is not None:
                quads.append(f"{triple} {label} .")
    return "\n".join(quads) + "\n", "\n".join(triples) + "\n"


def oxigraph_union(nquads: str, ntriples: str | None = None) -> Any:
    """An in-memory Oxigraph store with the named graphs, and their merge (``ntriples``) as
    the default graph."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    if ntriples is not None:
        store.bulk_load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return store


def shape_skolems(shapes: Graph) -> tuple[Graph, dict[URIRef, BNode]]:
    """A copy of ``shapes`` whose blank-node shapes and constraints are IRIs (paths and RDF lists
    stay blank), and the way back: results then name the exact shape that failed."""
    keep: set[Node] = set()
    pending = [o for o in shapes.objects(None, SH.path) if isinstance(o, BNode)]
    pending += [s for s in shapes.subjects(RDF.first, None) if isinstance(s, BNode)]
    while pending:
        node = pending.pop()
        if node in keep:
            continue
        keep.add(node)
        pending += [o for o in shapes.objects(node, None) if isinstance(o, BNode)]
    names: dict[BNode, URIRef] = {}

    def name(term: Node) -> Node:
        if isinstance(term, BNode) and term not in keep:
            return names.setdefault(term, URIRef(f"urn:kg:shape:{len(names)}"))
        return term

    copy = Graph()
    for s, p, o in shapes:
        if p != SH.sparql:  # SHACL-SPARQL runs on Oxigraph instead
            copy.add((name(s), p, name(o)))  # type: ignore[arg-type]
    return copy, {iri: bnode for bnode, iri in names.items()}


def _term(text: str | None) -> Node | None:
    """An N-Triples term from the ``shacl`` package as an rdflib term (blank nodes mapped back)."""
    if text is None:
        return None
    from rdflib.util import from_n3

    return unskolem(from_n3(text))  # type: ignore[arg-type]


_TYPED = re.compile(r'"((?:[^"\\]|\\.)*)"\^\^<(http://www\.w3\.org/2001/XMLSchema#\w+)>')


class Written:
    """Literals as the data writes them. Oxigraph (and the shacl package) keep typed literals in
    canonical form ("-150.0" becomes "-150"); pyshacl shows them as written, and so does this
    report: a literal is mapped back to the written one of the same datatype and value."""

    def __init__(self, nquads: str) -> None:
        self.nquads = nquads
        self._map: dict[tuple[str, object], Literal] | None = None

    def __call__(self, term: Node | None) -> Node | None:
        if not isinstance(term, Literal) or term.datatype is None or not str(term.datatype).startswith(str(XSD)):
            return term
        if self._map is None:

            self._map = {}
            with literals_as_written():
                for lexical, datatype in sorted(set(_TYPED.findall(self.nquads))):
                    written = Literal(_unescape(lexical), datatype=URIRef(datatype))
                    self._map.setdefault((datatype, _value_key(written)), written)
        return self._map.get((str(term.datatype), _value_key(term)), term)


def _unescape(lexical: str) -> str:
    return lexical.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8") if "\\" in lexical else lexical


def _value_key(term: Literal) -> object:
    value = term.value
    return value if value is not None else str(term)


class Report:
    """Builds a SHACL report graph shaped like pyshacl's."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.graph = Graph()
        self.root = BNode()
        self.graph.add((self.root, RDF.type, SH.ValidationReport))
        self.conforms = True

    def _copy(self, node: Node) -> None:
        """Copy the blank-node structure under ``node`` (a path, a shape) from the shapes graph."""
        todo, seen = [node], set()
        while todo:
            n = todo.pop()
            if not isinstance(n, BNode) or n in seen:
                continue
            seen.add(n)
            for p, o in self.shapes.predicate_objects(n):
                self.graph.add((n, p, o))
                todo.append(o)

    def add(self, focus: Node, shape: Node, component: URIRef, severity: URIRef, value: Node | None,
            path: Node | None, messages: list[Literal], constraint: Node | None = None) -> None:  # fmt: skip
        r = BNode()
        g = self.graph
        g.add((self.root, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.focusNode, focus))
        g.add((r, SH.sourceShape, shape))
        g.add((r, SH.sourceConstraintComponent, component))
        g.add((r, SH.resultSeverity, severity))
        self._copy(shape)
        if value is not None:
            g.add((r, SH.value, value))
        if path is not None:
            g.add((r, SH.resultPath, path))
            self._copy(path)
        if constraint is not None:
            g.add((r, SH.sourceConstraint, constraint))
            self._copy(constraint)
        for m in messages:
            g.add((r, SH.resultMessage, m))
        self.conforms = False  # a result of any severity (SHACL 1.0 §3.6.1)

    def finish(self) -> Graph:
        self.graph.add((self.root, SH.conforms, Literal(self.conforms)))
        return self.graph


def core_results(ntriples: str, shapes: Graph, where: str) -> tuple[list[Any], dict[URIRef, BNode]]:
    """The shacl package's results on the core constraints, and the way back to blank shapes."""
    copy, back = shape_skolems(shapes)
    return compiled_shapes(copy, where).validate_text(ntriples, format="ntriples", allow_warnings=True).results, back


def compiled_shapes(copy: Graph, where: str) -> Any:
    """The shacl package's compiled shapes (``copy``: from :func:`shape_skolems`)."""
    import shacl

    try:
        return shacl.Shapes.from_text(copy.serialize(format="nt"), format="ntriples")
    except ValueError as exc:
        raise InputError(f"{where}: cannot use these shapes: {' '.join(str(exc).split())}") from exc


def add_core(found: tuple[list[Any], dict[URIRef, BNode]], shapes: Graph, report: Report,
              written: Callable[[Node | None], Node | None]) -> None:
    results, back = found
    for r in results:
        shape_term = _term(r.source_shape)
        shape = back.get(shape_term, shape_term) if isinstance(shape_term, URIRef) else shape_term
        path = next(iter(shapes.objects(shape, SH.path)), None) if shape is not None else None
        if path is None and r.path and re.fullmatch(r"<[^<>]*>", r.path):  # sh:closed names the predicate
            path = URIRef(r.path[1:-1])
        own = sorted(shapes.objects(shape, SH.message)) if shape is not None else []
        messages = own or [Literal(m) for m in r.messages]
        report.add(_term(r.focus_node), shape, URIRef(r.component_iri), URIRef(r.severity_iri),  # type: ignore[arg-type]
                   written(_term(r.value)), path, messages)  # fmt: skip


def fast_report(data: Dataset, shapes: Graph, where: str) -> Graph:
    """The SHACL validation report graph of ``data`` against ``shapes`` (see the module doc)."""
    reason = unsupported(shapes)
    if reason is not None:
        raise InputError(f"{where}: the fast engine does not support {reason}: use --engine pyshacl")
    from concurrent.futures import ThreadPoolExecutor


    nquads, ntriples = skolem_texts(data)
    report = Report(shapes)
    written = Written(nquads)
    with ThreadPoolExecutor(1) as pool:  # the shacl package and Oxigraph both release the GIL
        core = pool.submit(core_results, ntriples, shapes, where)
        if active_constraints(shapes):  # Oxigraph only when there are SHACL-SPARQL constraints
            # The merge is loaded as the default graph: Oxigraph's union mode gave another
            # result for one of the project's constraints (a GRAPH pattern inside NOT EXISTS).
            run_sparql_constraints(oxigraph_union(nquads, ntriples), shapes, report, where, written)
        add_core(core.result(), shapes, report, written)
    return report.finish()



