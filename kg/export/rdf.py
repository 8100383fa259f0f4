"""Turtle, TriG, N-Triples and N-Quads, written deterministically and without loss.

Turtle and TriG are grouped by subject: subjects sorted (IRIs, then blank nodes), ``a`` first,
then predicates and objects sorted, one object per line, only the prefixes used. A blank node
used once is written inline (``[ ... ]``, or ``( ... )`` for an RDF list); others keep their
canonical label. A number or boolean is written bare only when a parser reads back the very
same lexical form; otherwise it is quoted with its datatype (``"79140000000"^^xsd:decimal``).
N-Triples and N-Quads are one statement per line, lines sorted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import IO

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg.rdf.terms import ExportData, Prefixer, Triple, iri_ref, quote_short, quote_turtle, term_key

#: An integer that reads back as written: no sign "+", no leading zero, no "-0".
_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]*")
#: Longer integers stay quoted: rdflib's Turtle parser calls int() on a bare one (4,300 digits at most).
_BARE_DIGITS = 4300
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+)")


def _bare_number(lit: Literal) -> str | None:
    """The Turtle shorthand for ``lit`` if reading it back gives the same lexical form.

    rdflib reads a bare ``01`` as "1" and ``079.10`` as "79.10", so those stay quoted."""
    lex, dt = str(lit), lit.datatype
    if dt == XSD.boolean and lex in ("true", "false"):
        return lex
    # No int() here: it refuses more than 4,300 digits, and so does rdflib reading a bare one back.
    if dt == XSD.integer and len(lex) <= _BARE_DIGITS and _CANONICAL_INTEGER.fullmatch(lex):
        return lex
    if dt == XSD.decimal and _DECIMAL.fullmatch(lex):
        try:
            if str(Decimal(lex)) == lex and lex != "-0":
                return lex
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return None
    if dt == XSD.double and _DOUBLE.fullmatch(lex):
        return lex
    return None


class _TermWriter:
    """Spells terms in Turtle (prefixed) or N-Triples (full IRIs)."""

    def __init__(self, prefixed: bool) -> None:
        self.prefixer = Prefixer() if prefixed else None

    def iri(self, iri: str) -> str:
        if self.prefixer is not None:
            pname = self.prefixer.pname(iri)
            if pname is not None:
                return pname
        return iri_ref(iri)

    def term(self, t: Node) -> str:
        if isinstance(t, URIRef):
            return self.iri(str(t))
        if isinstance(t, BNode):
            return f"_:{t}"
        assert isinstance(t, Literal)
        lex = str(t)
        if self.prefixer is None:
            text = quote_short(lex)
        else:
            bare = _bare_number(t)
            if bare is not None:
                return bare
            text = quote_turtle(lex)
        if t.language:
            return f"{text}@{t.language}"
        if t.datatype is not None:
            return f"{text}^^{self.iri(str(t.datatype))}"
        return text


# --- N-Triples / N-Quads -----------------------------------------------------------------


def write_ntriples(data: ExportData, out: IO[bytes]) -> None:
    """The union of the selected graphs as N-Triples, one sorted line per triple."""
    w = _TermWriter(prefixed=False)
    lines = sorted(f"{w.term(s)} {w.term(p)} {w.term(o)} .\n" for s, p, o in data.triples)
    out.write("".join(lines).encode("utf-8"))


def write_nquads(data: ExportData, out: IO[bytes]) -> None:
    """Every quad as N-Quads (default-graph triples without a graph term), lines sorted."""
    w = _TermWriter(prefixed=False)
    lines = sorted(
        f"{w.term(s)} {w.term(p)} {w.term(o)}" + (f" {w.term(g)}" if g is not None else "") + " .\n"
        for s, p, o, g in data.quads
    )
    out.write("".join(lines).encode("utf-8"))


# --- Turtle / TriG -----------------------------------------------------------------------


#: How deep ``[ ... ]`` blank nodes nest in Turtle and TriG before they are written by label.
MAX_INLINE_DEPTH = 32


class _Block:
    """The Turtle text of one graph's triples, grouped by subject."""

    def __init__(self, triples: Iterable[Triple], w: _TermWriter, shared: set[Node]) -> None:
        self.w = w
        self.props: dict[Node, dict[Node, list[Node]]] = {}
        refs: Counter[Node] = Counter()
        for s, p, o in triples:
            self.props.setdefault(s, {}).setdefault(p, []).append(o)
            refs[o] += 1
            refs[p] += 2  # a blank node in predicate position is never inlined
        for po in self.props.values():
            for objs in po.values():
                objs.sort(key=term_key)
        self.inline = {
            b for b, n in refs.items() if isinstance(b, BNode) and n == 1 and b not in shared
        }
        self._break_cycles()
        self._limit_depth()

    def _limit_depth(self) -> None:
        """Blank nodes nested more than MAX_INLINE_DEPTH levels deep are written at the top
        level, with their label: deeper ``[ ... ]`` would exhaust the writer's recursion and
        rdflib's parser (which gives up near 200 levels). The cells of a list are one level."""
        stack = [(s, 0) for s in self.props if s not in self.inline]
        while stack:
            node, depth = stack.pop()
            for p, objs in self.props.get(node, {}).items():
                for o in objs:
                    if o not in self.inline:
                        continue
                    level = depth if p == RDF.rest else depth + 1
                    if level > MAX_INLINE_DEPTH:
                        self.inline.discard(o)
                        level = 0
                    stack.append((o, level))

    def _break_cycles(self) -> None:
        """Blank nodes only reachable from each other (a cycle) are written at the top level."""
        while True:
            reached: set[Node] = set()
            stack = [s for s in self.props if s not in self.inline]
            while stack:
                for objs in self.props.get(stack.pop(), {}).values():
                    for o in objs:
                        if o in self.inline and o not in reached:
                            reached.add(o)
                            stack.append(o)
            orphans = sorted((b for b in self.inline if b in self.props and b not in reached), key=term_key)
            if not orphans:
                return
            self.inline.discard(orphans[0])

    def _list_items(self, node: Node) -> list[Node] | None:
        """The members of an RDF list whose cells are all inlinable, else None."""
        items: list[Node] = []
        seen: set[Node] = set()
        while node != RDF.nil:
            po = self.props.get(node)
            if (
                node in seen
                or not isinstance(node, BNode)
                or (items and node not in self.inline)
                or po is None
                or set(po) != {RDF.first, RDF.rest}
                or len(po[RDF.first]) != 1
                or len(po[RDF.rest]) != 1
            ):
                return None
            seen.add(node)
            items.append(po[RDF.first][0])
            node = po[RDF.rest][0]
        return items

    def _object(self, o: Node, indent: str) -> str:
        if o not in self.inline:
            return self.w.term(o)
        items = self._list_items(o)
        if items is not None:
            return "( " + " ".join(self._object(i, indent) for i in items) + " )"
        po = self.props.get(o)
        if not po:
            return "[]"
        inner = indent + "    "
        return "[\n" + self._predicates(o, inner) + "\n" + indent + "]"

    def _predicates(self, s: Node, indent: str) -> str:
        po = self.props[s]
        order = sorted(po, key=lambda p: (p != RDF.type, term_key(p)))
        parts = []
        for p in order:
            verb = "a" if p == RDF.type else self.w.term(p)
            inner = indent if len(po[p]) == 1 else indent + "    "  # where a "]" closes
            objs = [self._object(o, inner) for o in po[p]]
            parts.append(indent + verb + " " + (",\n" + indent + "    ").join(objs))
        return " ;\n".join(parts)

    def render(self, indent: str = "") -> str:
        subjects = sorted((s for s in self.props if s not in self.inline), key=term_key)
        chunks = []
        for s in subjects:
            body = self._predicates(s, indent + "    ")
            chunks.append(indent + self.w.term(s) + " " + body.lstrip() + " .\n")
        return "\n".join(chunks)


def _header(w: _TermWriter) -> str:
    assert w.prefixer is not None
    decl = w.prefixer.declarations()
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in decl) + ("\n" if decl else "")


def write_turtle(data: ExportData, out: IO[bytes]) -> None:
    """The union of the selected graphs as Turtle, grouped by subject and sorted."""
    w = _TermWriter(prefixed=True)
    body = _Block(data.triples, w, shared=set()).render()
    out.write((_header(w) + body).encode("utf-8"))


def _shared_bnodes(data: ExportData) -> set[Node]:
    """Blank nodes in more than one graph, or naming a graph (TriG labels them, never inlines)."""
    where: dict[Node, set[Node | None]] = {}
    for q in data.quads:
        for t in q[:3]:
            if isinstance(t, BNode):
                where.setdefault(t, set()).add(q[3])
    names = {g for g in data.graphs if isinstance(g, BNode)}
    return names | {b for b, gs in where.items() if len(gs) > 1}


def write_trig(data: ExportData, out: IO[bytes]) -> None:
    """Every graph as TriG: default-graph triples first, then one block per named graph."""
    w = _TermWriter(prefixed=True)
    shared = _shared_bnodes(data)
    blocks = []
    for name, triples in data.graphs.items():
        if name is None:
            blocks.append(_Block(triples, w, shared).render())
        else:
            body = _Block(triples, w, shared).render("    ")
            blocks.append(f"{w.term(name)} {{\n{body}}}\n")
    out.write((_header(w) + "\n".join(blocks)).encode("utf-8"))
