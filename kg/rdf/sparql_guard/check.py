"""Parsing and refusing: :func:`check_query` on rdflib's parse tree and algebra,
:func:`check_run_text` for the text another engine runs, :func:`bind_values` (see
:mod:`kg.rdf.sparql_guard`)."""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import URIRef, Variable
from rdflib.term import Node

from kg import cache
from kg.errors import InputError, QueryError, UsageError
from kg.namespaces import PREFIXES
from kg.rdf.sparql_text import code_only
from kg.rdf.sparql_guard.writer import CODEPOINT, param_terms
from kg.safety import network_allowed

# --- parsing and refusing ------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed :func:`check_query`: ``text`` (codepoint escapes expanded: the text to
    run), rdflib's ``query`` (``rdflib.plugins.sparql.sparql.Query``) and its parse tree."""

    text: str
    query: Any  # None when the caller asked for the parse alone (``translate=False``)
    parsed: Any = None  # rdflib's parse tree


_UPDATE_RE = re.compile(
    r"^\s*+(?:(?:#[^\n]*+|PREFIX\s++[^\s:]*+:\s*+<[^>]*+>|BASE\s*+<[^>]*+>)\s*+)*+"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
#: SERVICE as a keyword (not inside a variable's or a prefixed name's word), in code only.
_SERVICE_WORD = re.compile(r"(?<![?$\w:])SERVICE(?!\w)", re.IGNORECASE)


def expand_codepoints(text: str, source: str = "query") -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by their characters (SPARQL reads them before
    anything else, strings and IRIs included). Done once here, so that every parser gets the
    same text; a query that would still hold one after (an escape spelling an escape) or that
    spells a lone surrogate is refused."""
    def expand(found: re.Match[str]) -> str:
        code = int(found.group()[2:], 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"{source}: {found.group()} is not a character")
        return chr(code)

    if "\\u" not in text and "\\U" not in text:
        return text
    expanded = CODEPOINT.sub(expand, text)
    if CODEPOINT.search(expanded):
        raise QueryError(f"{source}: a \\u escape spells another escape; write the character itself")
    return expanded


def refuse_update(source: str) -> UsageError:
    return UsageError(
        f"{source}: this is a SPARQL Update; kg query is read-only. To change the graph, edit or "
        "add RDF files (data/graphs/*.trig, checked by `kg check-article FILE`) or load files "
        "into a store (`kg load --store DIR FILES`)"
    )


class ServiceRefused(UsageError):
    """A query with SERVICE, refused: kg does not use the network unless asked."""


def service_error(source: str, term: object = None) -> ServiceRefused:
    what = f"SERVICE {term.n3() if isinstance(term, Node) else ''}".rstrip()
    return ServiceRefused(
        f"{source}: {what} would query a remote endpoint; kg does not use the network unless "
        "asked: add --allow-network"
    )


def _parse_error(source: str, exc: Exception) -> QueryError:
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    msg = " ".join(str(getattr(exc, "msg", exc)).split())
    found = getattr(exc, "line", "")
    where = f"{source}:{line}:{col}" if line is not None else source
    near = f" near {found.strip()[:40]!r}" if found and found.strip() else ""
    return QueryError(f"{where}: SPARQL syntax error: {msg}{near}")


def _unknown_prefix(source: str, text: str, prefix: str) -> QueryError:
    found = re.search(rf"(?<![\w<:]){re.escape(prefix)}:", text)
    where = source
    if found:
        line = text.count("\n", 0, found.start()) + 1
        col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        where = f"{source}:{line}:{col}"
    return QueryError(
        f"{where}: unknown prefix {prefix + ':'!r}; declare it with PREFIX {prefix}: <...> "
        f"(known without declaring: {', '.join(sorted(PREFIXES))})"
    )


def walk(node: Any) -> Iterator[Any]:
    """Every parse-tree or algebra node (CompValue) under ``node``."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if id(item) in seen:
                continue
            seen.add(id(item))
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def _service_term(tree: Any) -> tuple[bool, Any]:
    """(found, its IRI or variable) for the first SERVICE in a parse tree or an algebra."""
    for node in walk(tree):
        if node.name == "ServiceGraphPattern":
            return True, node.get("term")
    return False, None


@contextmanager
def _rdflib_silent() -> Iterator[None]:
    """While inside, rdflib logs nothing. (Not collected: a record keeps its traceback, whose
    frames then live on in a cycle, holding whatever their callers hold, pyoxigraph results
    included, until the collector frees them on whichever thread it runs.)"""
    logger = logging.getLogger("rdflib")
    previous = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = previous


#: One parse at a time (see :func:`_parse`).
_PARSING = threading.RLock()


def _parse(text: str, source: str) -> Any:
    """rdflib's parse and algebra of ``text`` (codepoint escapes already expanded)."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if _UPDATE_RE.match(text):
        raise refuse_update(source)
    # pyparsing's parsers are not thread-safe (two threads at once corrupt its state: "postParse2()
    # missing 1 required positional argument"), and the projection reads with worker threads.
    with _PARSING, _rdflib_silent():  # (rdflib logs odd IRIs with a traceback: the engines judge them)
        return _parse_quiet(text, source, parseQuery, parseUpdate)


def _parse_quiet(text: str, source: str, parseQuery: Any, parseUpdate: Any) -> Any:
    import pyparsing

    try:
        parsed = parseQuery(text)
    except pyparsing.ParseBaseException as exc:
        try:
            parseUpdate(text)
        except pyparsing.ParseBaseException:
            raise _parse_error(source, exc) from exc
        raise refuse_update(source) from exc
    # rdflib reports an undeclared prefix with a bare Exception and no position: check first.
    declared = set(PREFIXES) | {d["prefix"] if "prefix" in d else "" for d in parsed[0] if d.name == "PrefixDecl"}
    for node in walk(parsed[1]):
        if node.name == "pname":
            prefix = node["prefix"] if "prefix" in node else ""  # CompValue.get(k) returns k when absent
            if prefix not in declared:
                raise _unknown_prefix(source, text, prefix)
    found, term = _service_term(parsed)
    return parsed, found, term


def _translate(parsed: Any, source: str) -> Any:
    import pyparsing
    from rdflib.plugins.sparql.algebra import translateQuery

    try:
        with _PARSING, _rdflib_silent():
            return translateQuery(parsed, initNs=PREFIXES)
    except pyparsing.ParseBaseException as exc:
        raise _parse_error(source, exc) from exc


@lru_cache(maxsize=256)
def _parse_cached(text: str, source: str) -> tuple[Any, bool, Any]:
    return _parse(text, source)


@lru_cache(maxsize=256)
def _translate_cached(text: str, source: str) -> Any:
    return _translate(_parse_cached(text, source)[0], source)


def check_query(
    text: str,
    source: str = "query",
    allow_network: bool | None = None,
    graphs: Callable[[], Iterable[Node]] | None = None,
    translate: bool = True,
) -> CheckedQuery:
    """Parse ``text`` (the project's prefixes are known without PREFIX lines) and refuse, on the
    parsed query, SERVICE (unless ``allow_network``; None: as :func:`kg.safety.network_allowed`
    says), updates, and FROM / FROM NAMED graphs that ``graphs()`` does not list (remote ones
    are let through with ``allow_network``, local files never). ``graphs`` None: the caller
    checks the dataset clauses itself (:func:`check_dataset`). Syntax errors name
    ``source:line:column``."""
    text = expand_codepoints(text, source)
    if allow_network is None:

        allow_network = network_allowed()
    try:
        parsed, found, term = _parse_cached(text, source)
        has_dataset = "datasetClause" in parsed[1]  # (CompValue.get(k) returns k when absent)
        query = _translate_cached(text, source) if translate or (has_dataset and graphs is not None) else None
    except RecursionError as exc:  # pyparsing and rdflib's algebra recurse once per nesting level
        raise InputError(f"{source}: nested too deeply to parse (recursion limit reached)") from exc
    except QueryError as exc:  # unparsable: refused either way, but SERVICE is the better reason
        if not allow_network and _SERVICE_WORD.search(code_only(text)):
            raise service_error(source) from exc
        raise
    if not allow_network:
        if not found and query is not None:
            found, term = _service_term(query.algebra)
        if found:
            raise service_error(source, term)
        if _SERVICE_WORD.search(code_only(text)):  # the second opinion: a lexical scan
            raise service_error(source)
    if graphs is not None and query is not None:
        check_dataset(query, graphs, allow_network, source)
    return CheckedQuery(text, query, parsed)


def _is_remote(iri: object) -> bool:
    return isinstance(iri, URIRef) and str(iri).lower().startswith(("http://", "https://"))


def check_dataset(
    query: Any, graphs: Callable[[], Iterable[Node]], allow_network: bool, source: str = "query"
) -> None:
    """Refuse FROM / FROM NAMED graphs that ``graphs()`` does not list (called only when there
    are any): remote ones unless ``allow_network``, local files always (name them as inputs)."""
    clauses = query.algebra.get("datasetClause") or []
    if not clauses:
        return
    known = set(graphs())
    for clause in clauses:
        keyword = "FROM" if "default" in clause else "FROM NAMED"  # CompValue.get(k) returns k when absent
        iri = clause["default"] if "default" in clause else clause["named"]
        if iri in known:
            continue
        if _is_remote(iri):
            if allow_network:
                continue
            raise UsageError(
                f"{source}: {keyword} <{iri}> is not a loaded graph and kg does not fetch graphs "
                "unless asked: add --allow-network, or download it and give the file as an input"
            )
        raise UsageError(
            f"{source}: {keyword} <{iri}> is not a loaded graph; kg reads only files you name: "
            "give the file as an input (it is loaded as a graph named by its file: IRI)"
        )


# --- the text another engine runs ---------------------------------------------------------

_LATERAL = re.compile(r"(?<![?$\w])LATERAL(?=\s*\{)")


def check_run_text(
    text: str,
    source: str = "query",
    graphs: Callable[[], Iterable[Node]] | None = None,
    allow_network: bool | None = None,
) -> str:
    """The exact text Oxigraph or a server is about to run, checked by :func:`check_query`
    (and returned, codepoint escapes expanded). ``LATERAL``, which kg itself adds for Oxigraph
    (:func:`kg.rdf.sparql_text.lateral_optionals`) and rdflib does not read, is read as the
    plain group it wraps (the keyword blanked, nothing else changed); a query rdflib cannot
    parse is refused."""
    text = expand_codepoints(text, source)
    code = code_only(text)
    view = text
    for found in reversed(list(_LATERAL.finditer(code))):
        view = view[: found.start()] + " " * len(found.group()) + view[found.end() :]
    if _plain_before(view):  # parsed by an earlier run: the cheap checks again, not the parse
        if _UPDATE_RE.match(view):
            raise refuse_update(source)
        if not (network_allowed() if allow_network is None else allow_network) and _SERVICE_WORD.search(code_only(view)):
            raise service_error(source)
        return text
    checked = check_query(view, source, allow_network, graphs, translate=False)  # (SERVICE is found on the parse tree)
    if "datasetClause" not in checked.parsed[1] and not _service_term(checked.parsed)[0]:
        cache.write(_PLAIN, _plain_key(view), b"parsed by rdflib: no SERVICE, no FROM, not an update\n")
    return text


#: The cache (:mod:`kg.cache`) of texts that rdflib parsed, in an earlier run, as a query with
#: no SERVICE, no FROM / FROM NAMED and no update: nothing in them for a later run to refuse but
#: what the cheap checks find (which run again). The project's SHACL-SPARQL constraints are
#: such texts: parsing them all took most of a cold ``kg validate`` (0.7 of 1.3 s).
_PLAIN = "sparql-plain"


def _plain_key(text: str) -> str:
    return cache.key(_PLAIN, "1", *_parser_versions(), text)


@lru_cache(maxsize=1)
def _parser_versions() -> tuple[str, ...]:
    """rdflib's version and pyparsing's installed file (its size and time: importing pyparsing
    to read its version would cost what the cache saves on a small query)."""
    import importlib.util

    import rdflib

    spec = importlib.util.find_spec("pyparsing")
    origin = spec.origin if spec is not None and spec.origin else ""
    try:
        stat = os.stat(origin)
        found = f"{origin}:{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        found = origin
    return (rdflib.__version__, found)


def _plain_before(text: str) -> bool:
    return cache.read(_PLAIN, _plain_key(text)) is not None


def bind_values(text: str, params: Mapping[str, Node] | None, source: str = "query") -> str:
    """The query with a ``VALUES`` block for ``params`` at the start of its WHERE group, the
    terms written by :func:`nt_term`: how variables are bound where the SPARQL Protocol has no
    way to pass them. The caller checks the result (:func:`check_run_text`) before sending it;
    here, that the block is where it was meant to be: the bound query must have a VALUES of
    exactly these variables."""
    written = param_terms(params, source)
    if not written:
        return text
    text = expand_codepoints(text, source)
    code = code_only(text)
    found = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    brace = found.end() - 1 if found else code.find("{")
    if brace < 0:
        raise UsageError(f"{source}: the query has no WHERE group to bind parameters in")
    names = list(written)
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(written[n] for n in names)}) }} "
    bound = text[: brace + 1] + values + text[brace + 1 :]
    checked = check_query(bound, source, allow_network=True, translate=False)
    wanted = [Variable(n) for n in names]
    if not any(node.name == "InlineData" and list(node.get("var") or ()) == wanted for node in walk(checked.parsed)):
        raise UsageError(f"{source}: cannot bind the parameters {', '.join(names)} in this query")
    return bound


__all__ = [
    "CheckedQuery", "ServiceRefused", "UnsafeTerm", "bind_values", "check_dataset", "check_query", "check_run_text",
    "expand_codepoints", "nt_iri", "nt_literal", "nt_term", "param_terms", "walk",
]
