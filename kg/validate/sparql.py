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
from kg.rdf.sparql_guard import UnsafeTerm, nt_iri, nt_term
from kg.rdf.sparql_text import PATH_SYNTAX, close_brace, code_only
from kg.backends.oxigraph_terms import read_whole, to_rdflib
from kg.errors import QueryError, UsageError
from kg.rdf.sparql_guard import ServiceRefused, check_run_text

#: The IRIs blank nodes are given while the engines check them (and turned back after).
BNODE_IRI = "urn:kg:bnode:"

if TYPE_CHECKING:
    from kg.validate.fast import Report, Written


def unskolem(term: Node) -> Node:
    """A skolem IRI (:data:`BNODE_IRI`) as the blank node it stands for; other terms as they are."""
    if isinstance(term, URIRef) and str(term).startswith(BNODE_IRI):
        return BNode(str(term)[len(BNODE_IRI) :])
    return term


def _written(shapes: Graph, shape: Node, prop: str, term: Node, where: str, literal_ok: bool = False) -> str:
    """``term`` as query text, written by the strict writer (:mod:`kg.rdf.sparql_guard`): an
    IRI (or, with ``literal_ok``, a literal); anything else stops with a one-line InputError
    naming the shape and the term. Shapes are input: their terms are never pasted as text."""
    shown = f"<{term}>" if isinstance(term, URIRef) else term.n3()  # (rdflib's n3() refuses a bad IRI)
    shown = shown if len(shown) <= 120 else shown[:117] + "..."
    if isinstance(term, URIRef) or (literal_ok and isinstance(term, Literal)):
        try:
            return nt_term(term)
        except UnsafeTerm as exc:
            raise InputError(f"{where}: cannot use these shapes: {prop} of the shape {shape.n3()}: {exc}") from exc
    kind = "an IRI or a literal" if literal_ok else "an IRI"
    raise InputError(f"{where}: cannot use these shapes: {prop} {shown} of the shape {shape.n3()} is not {kind}")


def sparql_path(shapes: Graph, path: Node, shape: Node | None = None, where: str = "shapes") -> str:
    """A SHACL property path as SPARQL property-path text with full IRIs (written by the strict
    writer: a path of anything but IRIs is an InputError)."""
    from rdflib.collection import Collection

    owner = shape if shape is not None else path
    if isinstance(path, URIRef):
        return _written(shapes, owner, "sh:path", path, where)
    for prop, make in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                       (SH.zeroOrOnePath, "({})?")):  # fmt: skip
        inner = next(iter(shapes.objects(path, prop)), None)
        if inner is not None:
            return make.format(sparql_path(shapes, inner, owner, where))
    alternatives = next(iter(shapes.objects(path, SH.alternativePath)), None)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(shapes, p, owner, where) for p in Collection(shapes, alternatives)) + ")"
    if not isinstance(path, BNode) or (path, RDF.first, None) not in shapes:
        return _written(shapes, owner, "sh:path", path, where)
    return "(" + "/".join(sparql_path(shapes, p, owner, where) for p in Collection(shapes, path)) + ")"


def _targets(shapes: Graph, shape: Node, where: str = "shapes") -> list[str]:
    """SPARQL groups binding ?this to each focus node of ``shape`` (its parents' for a property
    shape), every term checked and written by the strict writer (:func:`_written`)."""
    a, sub = f"<{RDF.type}>", f"<{RDFS.subClassOf}>"
    groups = [f"{{ ?this {a}/{sub}* {_written(shapes, shape, 'sh:targetClass', c, where)} }}" for c in shapes.objects(shape, SH.targetClass)]
    if isinstance(shape, URIRef) and {RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")} & set(shapes.objects(shape, RDF.type)):
        groups.append(f"{{ ?this {a}/{sub}* {_written(shapes, shape, 'the implicit class target', shape, where)} }}")
    groups += [f"{{ VALUES ?this {{ {_written(shapes, shape, 'sh:targetNode', n, where, literal_ok=True)} }} }}" for n in shapes.objects(shape, SH.targetNode)]
    groups += [f"{{ ?this {_written(shapes, shape, 'sh:targetSubjectsOf', p, where)} ?kg_target }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    groups += [f"{{ ?kg_target {_written(shapes, shape, 'sh:targetObjectsOf', p, where)} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    for parent in shapes.subjects(SH.property, shape):
        groups += _targets(shapes, parent, where)
    return groups


_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)


def check_targets(shapes: Graph, where: str) -> None:
    """Before any engine runs: every ``sh:targetClass``, ``sh:targetSubjectsOf`` and
    ``sh:targetObjectsOf`` of ``shapes`` is an IRI the strict writer can write (a literal there
    is never a target, and a query built from it would carry whatever text it holds), and every
    ``sh:select`` / ``sh:ask`` (constraints, SPARQL targets, validators), with its
    ``sh:prefixes``, passes the one check on the parsed query (no SERVICE, FROM or update);
    else a one-line InputError naming the shape and the term. Whichever engine then runs, and
    whether or not a query would reach a focus node."""
    for prop, name in zip(_TARGETS, ("sh:targetClass", "sh:targetSubjectsOf", "sh:targetObjectsOf")):
        for shape, term in sorted(shapes.subject_objects(prop)):
            _written(shapes, shape, name, term, where)
    for prop in (SH.select, SH.ask):
        for node, text in sorted(shapes.subject_objects(prop)):
            _checked(_prefixes(shapes, node, where) + "\n" + str(text), node, where, syntax_errors=False)


def _deactivated(shapes: Graph, node: Node) -> bool:
    return any(isinstance(d, Literal) and d.value is True for d in shapes.objects(node, SH.deactivated))


def _prefixes(shapes: Graph, constraint: Node, where: str = "shapes") -> str:
    lines = []
    for ontology in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(ontology, SH.declare):
            prefix = next(iter(shapes.objects(decl, SH.prefix)), None)
            ns = next(iter(shapes.objects(decl, SH.namespace)), None)
            if prefix is not None and ns is not None:
                if not re.fullmatch(r"(?:[A-Za-z][\w.-]*[\w-])?|[A-Za-z]", str(prefix)):
                    raise InputError(f"{where}: cannot use these shapes: sh:prefix {prefix.n3()} of {decl.n3()} is not a prefix name")
                try:  # (written from the string: an rdflib URIRef of a bad IRI logs a warning first)
                    namespace = nt_iri(str(ns))
                except UnsafeTerm as exc:
                    raise InputError(f"{where}: cannot use these shapes: sh:namespace of the shape {decl.n3()}: {exc}") from exc
                lines.append(f"PREFIX {prefix}: {namespace}")
    return "\n".join(sorted(set(lines)))


def _query(shapes: Graph, shape: Node, constraint: Node, where: str) -> str | None:
    """The constraint's query for every focus node at once (None when the shape has none)."""
    text = str(next(iter(shapes.objects(constraint, SH.select)), ""))
    if not text:
        raise InputError(f"{where}: a sh:SPARQLConstraint of {shape.n3()} has no sh:select")
    groups = _targets(shapes, shape, where)
    if not groups:
        return None
    path = next(iter(shapes.objects(shape, SH.path)), None)
    text = re.sub(r"\$this\b", "?this", text)
    if "$PATH" in text:
        if path is None:
            raise InputError(f"{where}: a SPARQL constraint of {shape.n3()} uses $PATH, but the shape has no sh:path")
        text = text.replace("$PATH", sparql_path(shapes, path, shape, where))
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
    return _checked(_prefixes(shapes, constraint, where) + "\n" + text, shape, where)


def _checked(text: str, shape: Node, where: str, syntax_errors: bool = True) -> str:
    """The query Oxigraph (or an endpoint) will run, exactly, through the one check on the
    parsed query (:func:`kg.rdf.sparql_guard.check_run_text`): Oxigraph would call a SERVICE
    itself, out of the network guard's sight (its HTTP client is Rust, not a Python socket).
    ``syntax_errors`` False: a query rdflib cannot parse is let through (for a check before the
    engine that will refuse it with its own message; a SERVICE in it is still refused)."""

    try:
        return check_run_text(text, f"the SPARQL constraint of {shape.n3()}", lambda: ())
    except ServiceRefused as exc:  # (pyshacl's words, for the same shapes on either engine)
        raise InputError(f"{where}: cannot use these shapes: A SPARQL Constraint must not contain a federated query (SERVICE)") from exc
    except (QueryError, UsageError) as exc:
        if isinstance(exc, QueryError) and not syntax_errors:
            return text  # (a syntax error: the engine that runs it names it, line and column as it sees them)
        raise InputError(f"{where}: cannot use these shapes: {exc.message}") from exc


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
        if query is not None:
            _add_results(store, query, shapes, shape, constraint, report, where, written)


def _add_results(store: Any, query: str, shapes: Graph, shape: Node, constraint: Node, report: Report,
                 where: str, written: Written) -> None:  # fmt: skip
    """Run one constraint's query and add its results. (A frame of its own, made after every
    query was parsed: pyparsing keeps exceptions whose tracebacks reach the frames that parsed,
    and pyoxigraph's answer is read whole at once: :func:`kg.backends.oxigraph_terms.read_whole`.)"""

    try:
        solutions = read_whole(store.query(query))
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
