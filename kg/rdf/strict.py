"""Strict parsing: a second parser that rejects what the W3C syntax tests call invalid.

rdflib is lenient: it accepts 39 of the W3C's 94 invalid Turtle files (IRIs with spaces, bad
escapes, misplaced dots...), and 10 of its invalid SPARQL queries. With ``strict=True``
(``--strict`` on the command line) every input is first read by pyoxigraph, whose parsers
follow the W3C grammars, and the file is refused, with ``FILE:LINE:COLUMN``, at the first
thing they reject. rdflib then parses it as usual (it builds the graph the commands use).

Strict mode also refuses ill-typed literals (``"abc"^^xsd:integer``, ``"2023-13-45"^^xsd:date``),
which RDF allows but which are never what a writer of this project's data meant.

pyoxigraph itself is not safe on hostile nesting: a JSON-LD document or a SPARQL query nested a
few thousand levels deep overflows its stack and kills the process (a segmentation fault, not an
exception), and deeply nested RDF/XML takes cubic time. So the text is first scanned for its
nesting depth, cheaply and without recursion, and refused above :data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from kg.errors import InputError, KgError, QueryError, syntax_error
from kg.rdf.inputguard import rdflib_diagnostics
from kg.rdf.literals import is_ill_typed
from kg.namespaces import PREFIXES
from kg.rdf import sparql_guard
from kg.rdf.sparql_guard import ServiceRefused, expand_codepoints
from kg.rdf.sparql_text import code_only

#: Deepest nesting (brackets, braces, parentheses, XML elements) a strict parse accepts.
#: rdflib itself gives up near 200 levels of Turtle and 40 of SPARQL; pyoxigraph crashes near 3,500.
MAX_DEPTH = 256

#: rdflib parser name -> pyoxigraph RdfFormat attribute.
OX_FORMATS: dict[str, str] = {
    "turtle": "TURTLE",
    "trig": "TRIG",
    "nt": "N_TRIPLES",
    "nquads": "N_QUADS",
    "json-ld": "JSON_LD",
    "xml": "RDF_XML",
    "n3": "N3",
}

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: Datatypes whose every lexical form is well typed (nothing to check).
_ANY_LEXICAL = {_XSD + "string", _RDF + "langString", _RDF + "dirLangString", _RDF + "PlainLiteral"}

# Tokens that hide brackets (strings, IRIs, comments, escapes), then the brackets themselves.
# (possessive quantifiers: a 20 MB literal must not cost gigabytes of backtracking state)
_TURTLE_TOKENS = re.compile(
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"""|\'\'\'(?:[^\'\\]++|\\.|\'(?!\'\'))*+\'\'\''
    r'|"(?:[^"\\\n]++|\\.)*+"|\'(?:[^\'\\\n]++|\\.)*+\'|<[^<>"{}|^`\\\s]*+>|#[^\n]*+|\\.|[\[\]{}()]'
)
_JSON_TOKENS = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')
_XML_TOKENS = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![^>]*>|</|/>|<", re.DOTALL)
_OPEN = {"[", "{", "(", "<"}
_CLOSE = {"]", "}", ")", "</", "/>"}


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def nesting_depth(text: str, kind: str) -> tuple[int, int]:
    """The deepest nesting of ``text`` and the offset where it is first reached.

    ``kind`` is "turtle" (Turtle, TriG, N3 and SPARQL), "json" or "xml". Brackets inside strings,
    IRIs and comments do not count. The scan is a regular-expression pass, never recursive."""
    pattern = {"json": _JSON_TOKENS, "xml": _XML_TOKENS}.get(kind, _TURTLE_TOKENS)
    depth = deepest = where = 0
    for match in pattern.finditer(text):
        token = match.group()
        if token in _OPEN:
            depth += 1
            if depth > deepest:
                deepest, where = depth, match.start()
        elif token in _CLOSE:
            # an XML end tag closes one element; "/>" closes the element its "<" opened
            depth = max(depth - 1, 0)
    return deepest, where


def check_depth(source: object, text: str, kind: str, limit: int = MAX_DEPTH) -> None:
    """Refuse ``text`` nested deeper than ``limit`` (an InputError naming source:line:column)."""
    deepest, where = nesting_depth(text, kind)
    if deepest > limit:
        line, col = _line_col(text, where)
        raise syntax_error(
            source,
            f"nested more than {limit} levels deep; strict parsing refuses deeper nesting "
            "(it can crash the strict parser): flatten the structure",
            line,
            col,
        )


def depth_kind(fmt: str) -> str | None:
    return {"json-ld": "json", "xml": "xml", "nt": None, "nquads": None}.get(fmt, "turtle")


_OX_POSITION = re.compile(
    r"^(?:Parser )?error (?:at line (\d+) (?:column (\d+)|between columns (\d+) and \d+)"
    r"|between line (\d+) column (\d+) and line \d+ column \d+|at (\d+):(\d+)):\s*"
)


def _ox_error(exc: SyntaxError) -> tuple[str, int | None, int | None]:
    """pyoxigraph's message without its position prefix / suffix, and that position."""
    message = str(exc.msg if exc.msg else exc)
    line, col = exc.lineno, exc.offset
    found = _OX_POSITION.match(message)
    if found:
        numbers = [int(g) if g else None for g in found.groups()]
        lines = [n for n in (numbers[0], numbers[3], numbers[5]) if n is not None]
        cols = [n for n in (numbers[1], numbers[2], numbers[4], numbers[6]) if n is not None]
        line, col = (lines or [line])[0], (cols or [col])[0]
        message = message[found.end():]
    message = re.sub(r"\s*\(line \d+\)$", "", message)
    return " ".join(message.split()), line, col


def check_rdf(path: str | Path, text: str, fmt: str, base_iri: str | None = None) -> int:
    """Parse ``text`` (in rdflib's format ``fmt``) with pyoxigraph; an InputError naming
    ``path:line:column`` at the first syntax error or ill-typed literal. Returns the number of
    statements read."""
    import pyoxigraph

    ox_name = OX_FORMATS.get(fmt)
    if ox_name is None:
        raise syntax_error(path, f"strict parsing does not know the format {fmt!r}")
    kind = depth_kind(fmt)
    if kind is not None:
        check_depth(path, text, kind)
    checked: dict[tuple[str, str], bool] = {}
    count = 0
    try:
        ox_format = getattr(pyoxigraph.RdfFormat, ox_name)
        for quad in pyoxigraph.parse(text.encode("utf-8"), ox_format, base_iri=base_iri):
            count += 1
            obj = quad.object
            if isinstance(obj, pyoxigraph.Literal) and obj.datatype.value not in _ANY_LEXICAL:
                key = (obj.value, obj.datatype.value)
                if key not in checked:
                    checked[key] = _ill_typed(*key)
                if checked[key]:
                    raise _ill_typed_error(path, text, *key)
    except SyntaxError as exc:
        message, line, col = _ox_error(exc)
        name = _FORMAT_NAMES.get(fmt, fmt)
        raise syntax_error(path, f"invalid {name} (strict): {message}", line, col) from exc
    except MemoryError as exc:  # pyoxigraph: "Reached the buffer maximal size of 16777216"
        detail = " ".join(str(exc).split())
        raise syntax_error(
            path, f"a single term is too large for strict parsing ({detail}); check without --strict"
        ) from exc
    return count


_FORMAT_NAMES = {"turtle": "Turtle", "trig": "TriG", "nt": "N-Triples", "nquads": "N-Quads",
                 "json-ld": "JSON-LD", "xml": "RDF/XML", "n3": "N3"}


def _ill_typed(lexical: str, datatype: str) -> bool:
    """Whether ``lexical`` is outside the lexical space of ``datatype``: the same test as
    ``kg validate`` applies (:func:`kg.rdf.literals.is_ill_typed`)."""
    from rdflib import Literal, URIRef


    # rdflib logs a traceback for each ill-typed literal, and warns "Parsing weird boolean"
    with rdflib_diagnostics(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return is_ill_typed(Literal(lexical, datatype=URIRef(datatype), normalize=False))


def _ill_typed_error(path: str | Path, text: str, lexical: str, datatype: str) -> Exception:
    short = datatype.replace(_XSD, "xsd:") if datatype.startswith(_XSD) else f"<{datatype}>"
    line = col = None
    found = text.find(lexical) if lexical else -1
    if found >= 0:
        line, col = _line_col(text, found)
    return syntax_error(
        path,
        f'ill-typed literal "{lexical[:60]}"^^{short}: not a valid {short} value; '
        "fix the value or its datatype",
        line,
        col,
    )


# --- SPARQL ------------------------------------------------------------------------------

_SERVICE = re.compile(r"(?<![?$\w])SERVICE(?:\s+SILENT\b)?(?!\w)", re.IGNORECASE)


def _offline_query(text: str, source: str) -> str:
    """``text`` with every ``SERVICE`` (``SILENT``) spelled ``GRAPH``, found where SPARQL reads
    keywords (codepoint escapes expanded first, strings, IRIs, comments and escapes of prefixed
    names skipped); a query in which rdflib still finds a SERVICE after that is refused (the
    readers disagree), so that pyoxigraph never calls an endpoint from here."""
    text = expand_codepoints(text, source)
    code = code_only(text)
    offline = text
    for found in reversed(list(_SERVICE.finditer(code))):
        offline = offline[: found.start()] + "GRAPH" + offline[found.end() :]
    try:
        sparql_guard.check_query(offline, source, allow_network=False)
    except ServiceRefused as exc:
        raise QueryError(f"{source}: the query has a SERVICE kg cannot read safely: {exc.message}") from exc
    except KgError:
        pass  # rdflib cannot read it: pyoxigraph says what is wrong, below
    return offline


def check_query(text: str, source: str = "query", prefixes: dict[str, str] | None = None) -> None:
    """Parse a SPARQL query with pyoxigraph; a QueryError naming ``source:line:column`` when
    the W3C grammar rejects it. ``prefixes`` are known without PREFIX lines (default: the
    project's, as in :func:`kg.query.engine.prepare`). Nothing is run on any data, nor on the network.

    pyoxigraph parses only while it evaluates, so the query is evaluated on an empty store,
    with ``SERVICE`` spelled ``GRAPH`` (the same grammar: IRI or variable, then a group), so
    that pyoxigraph never calls a remote endpoint. Results are never read."""
    import pyoxigraph


    try:
        check_depth(source, text, "turtle")
    except InputError as exc:
        raise QueryError(str(exc)) from exc
    offline = _offline_query(text, source)
    try:
        known = PREFIXES if prefixes is None else prefixes
        pyoxigraph.Store().query(offline, base_iri="file:///query.rq", prefixes=known)
    except SyntaxError as exc:
        message, line, col = _ox_error(exc)
        where = f"{source}:{line}:{col}" if line is not None else source
        raise QueryError(f"{where}: invalid SPARQL (strict): {' '.join(message.split())}") from exc
    except RuntimeError:  # parsed, but pyoxigraph cannot evaluate it (e.g. an unknown function)
        return
