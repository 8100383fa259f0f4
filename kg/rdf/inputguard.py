"""Checks on an input file around rdflib's parse: what rdflib would fetch, and what it only logs.

- JSON-LD ``@context`` (and ``@import``) given as a URL makes rdflib fetch it: a remote one over
  the network, a relative or ``file:`` one from the local disk, a file the user did not name.
  :func:`check_jsonld` refuses both before rdflib sees the document, naming line and column
  (remote ones are let through only with ``--allow-network``, loopback included), and
  :func:`no_context_fetch` takes rdflib's way of fetching one away while it parses.
- rdflib logs, rather than raises, when an IRI holds characters no IRI may hold (a space,
  ``<``, ``"``, ``{``...) and when a literal is ill-typed (with a traceback each, on stderr).
  :func:`rdflib_diagnostics` collects these while a file is parsed;
  :func:`raise_for_diagnostics` turns an invalid IRI into a one-line InputError (such an IRI
  cannot be written back out in any format); ill-typed literals are RDF and are left to
  ``kg validate`` (``sh:datatype``) or to ``--strict``, which refuses them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from http.client import HTTPException
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from kg.errors import syntax_error
from kg.safety import network_blocked
from kg.safety import network_allowed

#: Characters rdflib itself calls invalid in an IRI (rdflib.term._invalid_uri_chars).
INVALID_IRI_CHARS = '<>" {}|\\^`'
_INVALID_IRI_LOG = re.compile(
    r"^(?P<iri>.*) does not look like a valid URI, trying to serialize this will break\.$", re.DOTALL
)


def _line_col(text: str, offset: int) -> tuple[int | None, int | None]:
    if offset < 0:
        return None, None
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- JSON-LD contexts --------------------------------------------------------------------


def _external_refs(document: Any) -> Iterator[tuple[str, str]]:
    """Every ``@context`` / ``@import`` value in ``document`` that names another document."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, str):
                            yield key, item
                elif key == "@import" and isinstance(value, str):
                    yield key, value
                stack.append(value)


def check_jsonld(path: str | Path, text: str, base_iri: str) -> None:
    """Refuse a JSON-LD document that is not an object or array (rdflib fails on it with a
    traceback) or that names another document as a context, anywhere in it (``@context``,
    ``@import``, property- and type-scoped contexts, nested ones): a remote one unless the user
    asked for the network (loopback included), a local one always. :func:`no_context_fetch`
    is the structural guard behind this check, which is there to name the line and column.

    Raises InputError (``FILE:LINE:COL``), json.JSONDecodeError for malformed JSON, and
    RecursionError for JSON nested too deeply: the caller reports both as input errors."""

    document = json.loads(text)
    if not isinstance(document, (dict, list)):
        kind = "null" if document is None else type(document).__name__
        raise syntax_error(path, f"a JSON-LD document is a JSON object or array, not {kind}", 1, 1)
    for keyword, ref in sorted(set(_external_refs(document))):
        url = urljoin(base_iri, ref)
        line, col = _line_col(text, text.find(json.dumps(ref, ensure_ascii=False)))
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            if network_allowed():
                continue
            raise syntax_error(
                path,
                f"JSON-LD {keyword} {ref!r} would be fetched from the network, and kg does not use "
                "the network unless asked: put the context inline, or add --allow-network",
                line,
                col,
            )
        raise syntax_error(
            path,
            f"JSON-LD {keyword} {ref!r} would read another document ({url}); kg reads only the "
            "files you name: put the context inline",
            line,
            col,
        )


@contextmanager
def no_context_fetch(path: str | Path) -> Iterator[None]:
    """While inside, rdflib's JSON-LD parser fetches or reads no context (``@context`` and
    ``@import`` URLs, at any depth): its one way to get one (``Context._fetch_context``) is
    replaced by a refusal, unless the user asked for the network and the context is remote
    (``http``/``https``; a ``file:`` or relative context, never)."""
    from rdflib.plugins.shared.jsonld import context as jsonld_context


    original = jsonld_context.Context._fetch_context

    def refusing(self: Any, source: str, base: str | None, referenced: set[str]) -> Any:
        url = urljoin(base or "", source)
        if network_allowed() and urlsplit(url).scheme in ("http", "https"):
            try:
                return original(self, source, base, referenced)
            except (OSError, HTTPException) as exc:  # (URLError is an OSError)
                detail = " ".join(str(getattr(exc, "reason", exc)).split())
                raise syntax_error(path, f"JSON-LD context {source!r} could not be fetched: {detail or type(exc).__name__}") from exc
        raise syntax_error(
            path,
            f"JSON-LD context {source!r} would be fetched or read ({url}); kg reads only the files "
            "you name and uses the network only with --allow-network: put the context inline",
        )

    jsonld_context.Context._fetch_context = refusing  # type: ignore[method-assign]
    try:
        yield
    finally:
        jsonld_context.Context._fetch_context = original  # type: ignore[method-assign]


# --- what rdflib logs while parsing ------------------------------------------------------


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def rdflib_diagnostics() -> Iterator[list[logging.LogRecord]]:
    """While inside, what rdflib logs (warnings with tracebacks, on stderr by default) is
    collected into the yielded list instead of being printed."""
    logger = logging.getLogger("rdflib")
    collector = _Collector()
    previous = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.records
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous


def invalid_iris(records: list[logging.LogRecord]) -> list[str]:
    """The IRIs rdflib logged as invalid, in the order first logged."""
    found: list[str] = []
    for record in records:
        match = _INVALID_IRI_LOG.match(record.getMessage())
        if match and match.group("iri") not in found:
            found.append(match.group("iri"))
    return found


def raise_for_diagnostics(path: str | Path, text: str, records: list[logging.LogRecord]) -> None:
    """An InputError for the first invalid IRI rdflib logged while parsing ``path``."""
    bad = invalid_iris(records)
    if not bad:
        return
    iri = bad[0]
    char = next((c for c in iri if c in INVALID_IRI_CHARS), "")
    cut = iri.find(char) if char else -1
    start = max(iri.rfind("/", 0, cut), iri.rfind("#", 0, cut)) + 1 if cut >= 0 else 0
    found = text.find(iri)
    if found < 0:  # written relative or prefixed: look for the part around the bad character
        found = text.find(iri[start:]) if iri[start:] else -1
    line, col = _line_col(text, found)
    name = {" ": "a space", "\\": "a backslash"}.get(char, repr(char))
    more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
    raise syntax_error(
        path,
        f"invalid IRI <{iri[:120]}>{more}: an IRI cannot contain {name}; percent-encode it "
        f"(a space is %20)",
        line,
        col,
    )


# --- characters no term may hold ---------------------------------------------------------

#: What may put a character into a term that no output can carry: a \u or \U escape (Turtle,
#: N-Triples, JSON...) or a raw control character. Files without either skip the term scan.
_SUSPECT = re.compile(r"\\[uU]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: C0 and C1 controls and DEL: RFC 3987 allows none of them in an IRI.
_IRI_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def term_problem(term: object) -> str | None:
    """Why ``term`` (an rdflib IRI or literal) cannot be carried by any RDF syntax, or None.

    A lone surrogate (from an escape such as ``\\uD800``) is not a character: no UTF-8 file
    can hold it. An IRI may hold no control character (U+0000 included)."""
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        text = str(term)
        found = _IRI_CONTROL.search(text)
        if found:
            return f"IRI <{_shown(text)}> holds U+{ord(found.group()):04X}, a control character no IRI may hold; percent-encode it"
    elif isinstance(term, Literal):
        text = str(term)
    else:
        return None
    found = _SURROGATE.search(text)
    if found:
        shown = f"IRI <{_shown(text)}>" if isinstance(term, URIRef) else f'literal "{_shown(text)}"'
        return (f"{shown} holds U+{ord(found.group()):04X}, a lone surrogate (an escape such as "
                "\\uD800 that is half of a pair): not a character, no file can hold it")
    return None


def _shown(text: str, width: int = 80) -> str:
    text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= width else text[: width - 1] + "…"


def check_terms(path: str | Path, text: str, statements: Any) -> None:
    """Refuse the first term of ``statements`` (triples or quads just parsed from ``text``)
    that no output could carry (see :func:`term_problem`), as a one-line InputError. Only a
    file with an escape or a control character is scanned: nothing else can hold such a term."""
    if not _SUSPECT.search(text):
        return
    for statement in statements:
        for term in statement:
            problem = term_problem(term)
            if problem is not None:
                raise syntax_error(path, problem)
