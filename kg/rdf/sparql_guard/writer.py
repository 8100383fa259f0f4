"""The strict N-Triples writer: a term as query text, every character the grammar requires
escaped, or :class:`UnsafeTerm` (see :mod:`kg.rdf.sparql_guard`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import UsageError

# --- the strict N-Triples writer -----------------------------------------------------------


class UnsafeTerm(ValueError):
    """A term that cannot be written into a query as one term (the message says why)."""


#: What IRIREF forbids (SPARQL and N-Triples): controls and space, <>"{}|^`\ .
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LANGTAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
#: Escapes of STRING_LITERAL_QUOTE; other characters are written as they are (a codepoint
#: escape would be expanded before the string is read, see :func:`expand_codepoints`).
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_STRING_BAD = re.compile(r'[\\"\n\r\t\b\f]')
#: A SPARQL codepoint escape (``\\u0053``), expanded before a query is read.
CODEPOINT = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")


def nt_iri(iri: str) -> str:
    """``<iri>``; UnsafeTerm when it is not absolute or holds a character IRIREF forbids (no
    escaping: ``\\u003E`` in an IRI is a ``>`` once the query is read)."""
    bad = _IRI_FORBIDDEN.search(iri)
    if bad is not None:
        shown = {" ": "a space", "\\": "a backslash"}.get(bad.group(), repr(bad.group()))
        raise UnsafeTerm(f"the IRI <{iri[:80]}> holds {shown}, which an IRI cannot")
    if not _SCHEME.match(iri):
        raise UnsafeTerm(f"<{iri[:80]}> is not an absolute IRI")
    return f"<{iri}>"


def nt_literal(literal: Literal) -> str:
    """A literal as N-Triples / SPARQL: one ``"..."`` string, every character the grammar
    requires escaped; UnsafeTerm for a bad language tag or datatype, or text SPARQL cannot
    carry safely (a backslash followed by a codepoint escape)."""
    text = str(literal)
    if re.search(r"[\ud800-\udfff]", text):
        raise UnsafeTerm("the literal holds a lone surrogate, which is not a character")
    quoted = '"' + _STRING_BAD.sub(lambda m: _ECHAR[m.group()], text) + '"'
    if CODEPOINT.search(quoted):
        raise UnsafeTerm(f"the literal {text[:40]!r} holds a backslash and a \\u escape, which SPARQL would read as a character")
    if literal.language:
        if not _LANGTAG.fullmatch(literal.language):
            raise UnsafeTerm(f"{literal.language!r} is not a language tag")
        return f"{quoted}@{literal.language}"
    if literal.datatype is not None:
        return f"{quoted}^^{nt_iri(str(literal.datatype))}"
    return quoted


def nt_term(term: Node) -> str:
    """An IRI or a literal, written by the strict N-Triples writer (UnsafeTerm otherwise)."""
    if isinstance(term, URIRef):
        return nt_iri(str(term))
    if isinstance(term, Literal):
        return nt_literal(term)
    if isinstance(term, BNode):
        raise UnsafeTerm("a blank node cannot be bound in a query")
    raise UnsafeTerm(f"{term!r} is not an IRI or a literal")


def param_terms(params: Mapping[str, Node] | None, source: str) -> dict[str, str]:
    """Each parameter written by :func:`nt_term`; a one-line UsageError naming the first that
    is not a valid term (or whose name is not a variable name)."""
    written = {}
    for name, term in (params or {}).items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UsageError(f"{source}: parameter {name!r} is not a variable name")
        try:
            written[name] = nt_term(term)
        except UnsafeTerm as exc:
            raise UsageError(f"{source}: parameter {name}: {exc}") from exc
    return written
