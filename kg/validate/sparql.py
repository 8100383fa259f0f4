"""SHACL-SPARQL constraints on Oxigraph for the fast engine (kg.validate.fast).

One query per ``sh:sparql`` constraint for all focus nodes at once: the shape's targets (its
parents' for a property shape) become a sub-query that binds ``$this``, ``$PATH`` becomes the
property path, ``FILTER NOT EXISTS`` the equivalent ``OPTIONAL`` + ``!BOUND`` (see
:func:`without_not_exists`), and every solution is a result as pyshacl makes it: ``?value``
(the focus node for a node shape), ``?path`` (the shape's path for a property shape), the
constraint's and the shape's messages with ``{?var}`` filled in, duplicates per focus node
dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError
from kg.namespaces import SH
from kg.rdf.sparql_text import PATH_SYNTAX, close_brace, code_only
from kg.backends.oxigraph_terms import to_rdflib

#: The IRIs blank nodes are given while the engines check them (and turned back after).
BNODE_IRI = "urn:kg:bnode:"

if TYPE_CHECKING:
    from kg.validate.fast import Report, Written


def unskolem(term: Node) -> Node:
    """A skolem IRI (:data:`BNODE_IRI`) as the blank node it stands for; other terms as they are."""
    if isinstance(term, URIRef) and str(term).startswith(BNODE_IRI):
        return BNode(str(term)[len(BNODE_IRI) :])
    return term


def sparql_path(shapes: Graph, path: Node) -> str:
    """A SHACL property path as SPARQL property-path text with full IRIs."""
    from rdflib.collection import Collection

    if isinstance(path, URIRef):
        return f"<{path}>"
    for prop, make in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                       (SH.zeroOrOnePath, "({})?")):  # fmt: skip
        inner = next(iter(shapes.objects(path, prop)), None)
        if inner is not None:
            return make.format(sparql_path(shapes, inner))
    alternatives = next(iter(shapes.objects(path, SH.alternativePath)), None)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    return "(" + "/".join(sparql_path(shapes, p) for p in Collection(shapes, path)) + ")"


def _targets(shapes: Graph, shape: Node) -> list[str]:
    """SPARQL groups binding ?this to each focus node of ``shape`` (its parents' for a property shape)."""
    groups = [f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> }}" for c in shapes.objects(shape, SH.targetClass)]
    if isinstance(shape, URIRef) and {RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")} & set(shapes.objects(shape, RDF.type)):
        groups.append(f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{shape}> }}")
    groups += [f"{{ VALUES ?this {{ {n.n3()} }} }}" for n in shapes.objects(shape, SH.targetNode)]
    groups += [f"{{ ?this <{p}> ?kg_target }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    groups += [f"{{ ?kg_target <{p}> ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    for parent in shapes.subjects(SH.property, shape):
        groups += _targets(shapes, parent)
    return groups


def _deactivated(shapes: Graph, node: Node) -> bool:
    return any(isinstance(d, Literal) and d.value is True for d in shapes.objects(node, SH.deactivated))


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for ontology in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(ontology, SH.declare):
            prefix = next(iter(shapes.objects(decl, SH.prefix)), None)
            ns = next(iter(shapes.objects(decl, SH.namespace)), None)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(sorted(set(lines)))


def _query(shapes: Graph, shape: Node, constraint: Node, where: str) -> str | None:
    """The constraint's query for every focus node at once (None when the shape has none)."""
    text = str(next(iter(shapes.objects(constraint, SH.select)), ""))
    if not text:
        raise InputError(f"{where}: a sh:SPARQLConstraint of {shape.n3()} has no sh:select")
    if re.search(r"\bSERVICE\b", code_only(text), re.IGNORECASE):
        # As pyshacl says; and Oxigraph would call the endpoint itself, out of the network
        # guard's sight (its HTTP client is Rust, not a Python socket).
        raise InputError(f"{where}: cannot use these shapes: A SPARQL Constraint must not contain a federated query (SERVICE)")
    groups = _targets(shapes, shape)
    if not groups:
        return None
    path = next(iter(shapes.objects(shape, SH.path)), None)
    text = re.sub(r"\$this\b", "?this", text)
    if "$PATH" in text:
        if path is None:
            raise InputError(f"{where}: a SPARQL constraint of {shape.n3()} uses $PATH, but the shape has no sh:path")
        text = text.replace("$PATH", sparql_path(shapes, path))
    select = re.search(r"\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?", text, re.IGNORECASE)
    brace = text.find("{", select.end() if select else 0)
    if select is None or brace < 0:
        raise InputError(f"{where}: the SPARQL constraint of {shape.n3()} is not a SELECT query")
    if not text[select.end() : brace].lstrip().startswith("*") and not re.search(r"\?this\b", text[select.end() : brace]):
        text = text[: select.end()] + "?this " + text[select.end() :]
        brace += len("?this ")
    focus = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(groups) + " } }"
    text = text[: brace + 1] + " " + focus + " " + text[brace + 1 :]
    try:
        text = without_not_exists(text)
    except ValueError as exc:
        raise InputError(f"{where}: the SPARQL constraint of {shape.n3()} has unbalanced braces") from exc
    return _prefixes(shapes, constraint) + "\n" + text


_NOT_EXISTS = re.compile(r"\bFILTER\s+NOT\s+EXISTS\s*\{", re.IGNORECASE)


def without_not_exists(text: str) -> str:
    """``FILTER NOT EXISTS { P }`` as ``OPTIONAL { P BIND(true AS ?x) } FILTER(!BOUND(?x))`` at
    the end of its group when ``P`` has a property path: the same solutions (a filter applies to
    its whole group), but Oxigraph evaluates such an OPTIONAL with the row's bindings, where it
    evaluates the path of a NOT EXISTS unbound for every row (``?v a/rdfs:subClassOf* ?c`` made
    one constraint quadratic). A NOT EXISTS of plain triple patterns stays: Oxigraph looks it up
    with the row's bindings and stops at the first match, where the OPTIONAL enumerates every
    match (``GRAPH $this { ?s ?p ?o }``: 0.1 s against 18 s at a million firms)."""
    n = 0
    start = 0
    while True:
        code = code_only(text)
        found = _NOT_EXISTS.search(code, start)
        if found is None:
            return text
        end = close_brace(code, found.end())
        if not PATH_SYNTAX.search(code[found.end() : end]):
            start = end
            continue
        group_end = close_brace(code, end + 1)
        n += 1
        flag = f"?kg_absent{n}"
        replacement = f" OPTIONAL {{ {text[found.end() : end]} BIND(true AS {flag}) }} FILTER(!BOUND({flag})) "
        text = text[: found.start()] + text[end + 1 : group_end] + replacement + text[group_end:]
        start = found.start()  # the text before it is unchanged


def active_constraints(shapes: Graph) -> list[tuple[Node, Node]]:
    """(shape, constraint) for every SHACL-SPARQL constraint that is not deactivated."""
    return list(_sparql_constraints(shapes))


def _sparql_constraints(shapes: Graph) -> Iterator[tuple[Node, Node]]:
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        if not (_deactivated(shapes, shape) or _deactivated(shapes, constraint)):
            yield shape, constraint


def run_sparql_constraints(store: Any, shapes: Graph, report: Report, where: str, written: Written) -> None:
    """Add the results of every active SHACL-SPARQL constraint of ``shapes`` to ``report``."""

    queries = [(shape, constraint, _query(shapes, shape, constraint, where)) for shape, constraint in _sparql_constraints(shapes)]
    for shape, constraint, query in queries:  # every constraint checked before any runs
        if query is None:
            continue
        try:
            solutions = store.query(query)
        except SyntaxError as exc:
            raise InputError(f"{where}: the SPARQL constraint of {shape.n3()} does not parse: {exc}") from exc
        severity = next(iter(shapes.objects(shape, SH.severity)), SH.Violation)
        is_property = (shape, SH.path, None) in shapes
        own = sorted(shapes.objects(constraint, SH.message))
        shape_messages = sorted(shapes.objects(shape, SH.message))
        names = [v.value for v in solutions.variables]
        seen: set[tuple] = set()
        for row in solutions:
            bound = {n: written(unskolem(to_rdflib(row[n]))) for n in names if row[n] is not None}  # type: ignore[arg-type]
            focus = bound.pop("this")
            key = (focus, tuple(sorted((k, str(v)) for k, v in bound.items())))
            if key in seen:
                continue
            seen.add(key)
            value = bound.get("value", None if is_property else focus)
            path = bound.get("path")
            if path is None and is_property:
                path = next(iter(shapes.objects(shape, SH.path)))
            fill = {**{k: v for k, v in bound.items() if k not in ("value", "path")}, "this": focus}
            if path is not None:
                fill["path"] = path
            if value is not None:
                fill["value"] = value
            messages = [_fill(m, fill) for m in own if m not in shape_messages] + [_fill(m, fill) for m in shape_messages]
            report.add(focus, shape, SH.SPARQLConstraintComponent, severity, value, path, messages, constraint)  # type: ignore[arg-type]


def _fill(message: Node, bound: dict[str, Node]) -> Literal:
    text = str(message)
    for var, value in bound.items():
        text = re.sub(r"\{[?$]" + re.escape(var) + r"\}", lambda _m: str(value), text)
    return Literal(text)
