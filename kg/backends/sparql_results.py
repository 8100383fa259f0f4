"""SPARQL 1.1 Query Results XML, read here rather than by pyoxigraph, so that any standard
server's answer is accepted.

pyoxigraph's results reader refuses blank-node labels that are not N-Triples labels, and
Virtuoso spells them ``nodeID://b10001`` (the format does not restrict them). This reader takes
any label: one that pyoxigraph accepts is kept, ``nodeID://X`` becomes ``X`` when that is a label
(as the same server writes ``_:X`` in N-Triples), any other becomes ``x`` + its UTF-8 bytes in hex
(the same label always gives the same node, so pages of one answer join up).

Typed literals of the XSD value types (numbers, booleans, dates and times) are written in the
canonical form Oxigraph keeps (:func:`canonical_literal`), as every backend shows them: Virtuoso
spells a double ``1000.0`` where Oxigraph keeps ``1000``, and a boolean ``1`` in JSON. It
streams: each solution is read and dropped in turn (defusedxml refuses entity tricks).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Iterator
from typing import IO, Any, Self

from kg.errors import InputError

NS = "{http://www.w3.org/2005/sparql-results#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: The XSD datatypes whose values have one canonical spelling in Oxigraph.
CANONICAL_TYPES = frozenset(
    XSD + name
    for name in (
        "boolean", "decimal", "integer", "double", "float", "long", "int", "short", "byte",
        "nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "negativeInteger",
        "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
        "dateTime", "dateTimeStamp", "date", "time", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay",
        "duration", "dayTimeDuration", "yearMonthDuration",
    )
)


def canonical_literal(term: Any) -> Any:
    """A pyoxigraph term with a literal of an XSD value type in Oxigraph's canonical spelling
    (an ill-typed one as it is); any other term as it is."""
    import pyoxigraph as ox

    if not isinstance(term, ox.Literal) or term.datatype.value not in CANONICAL_TYPES:
        return term
    value = kept_spelling(term.value, term.datatype.value)
    return term if value == term.value else ox.Literal(value, datatype=term.datatype)


_SCRATCH: list[Any] = []
_LOCK = threading.Lock()


@functools.lru_cache(maxsize=100_000)
def kept_spelling(value: str, datatype: str) -> str:
    """The spelling Oxigraph keeps for the literal: stored in a scratch store and read back.

    The one home of this round trip (kg.backends.oxigraph_terms.canonical uses it too). The
    store is shared, so the add, read and remove hold a lock: two threads at once (a
    validation's core thread beside its SPARQL constraints) each read the other's literal
    without it, and the answer is cached for the life of the process."""
    import pyoxigraph as ox

    with _LOCK:
        if not _SCRATCH:
            _SCRATCH.extend([ox.Store(), ox.NamedNode("urn:kg:s"), ox.NamedNode("urn:kg:p")])
        store, s, p = _SCRATCH
        quad = ox.Quad(s, p, ox.Literal(value, datatype=ox.NamedNode(datatype)))
        store.add(quad)
        try:
            return next(iter(store.quads_for_pattern(s, p, None))).object.value  # type: ignore[no-any-return]
        finally:
            store.remove(quad)


class Row(tuple):  # type: ignore[type-arg]
    """One solution: its terms in the order of the variables (None where unbound); also indexed
    by a variable's name or a pyoxigraph Variable, as pyoxigraph's solutions are (None for a
    variable the answer does not have, as there)."""

    names: dict[str, int]

    def __new__(cls, terms: list[Any], names: dict[str, int]) -> Self:
        row = super().__new__(cls, terms)
        row.names = names
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, (int, slice)):
            return super().__getitem__(key)
        index = self.names.get(key if isinstance(key, str) else key.value)
        return None if index is None else super().__getitem__(index)


class Solutions:
    """A SELECT answer: ``variables`` (pyoxigraph Variables), then the rows: an iterator read as
    iterated (a streamed answer), or a list (an answer read whole, iterable again)."""

    def __init__(self, variables: list[Any], rows: Iterable[Row]) -> None:
        self.variables = variables
        self._rows = rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows)


def blank_label(label: str) -> str:
    """A blank-node label pyoxigraph accepts for any label a server sends (see the module)."""
    import pyoxigraph as ox

    for candidate in (label, label[len("nodeID://"):] if label.startswith("nodeID://") else None):
        if candidate:
            try:
                ox.BlankNode(candidate)
                return candidate
            except ValueError:
                pass
    return "x" + label.encode("utf-8").hex()


def read_xml(stream: IO[bytes], where: str) -> Solutions | bool:
    """An XML results document: its Solutions (streamed from ``stream``), or the boolean of an
    ASK. InputError naming ``where`` when it is not such a document."""
    import pyoxigraph as ox
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    events = iterparse(stream, events=("start", "end"))

    def malformed(detail: str) -> InputError:
        return InputError(f"{where}: the endpoint's answer (application/sparql-results+xml) is malformed: {detail}")

    def next_event() -> tuple[str, Any]:
        try:
            return next(events)  # type: ignore[no-any-return]
        except StopIteration:
            raise malformed("the document ends early") from None
        except (SyntaxError, DefusedXmlException) as exc:
            raise malformed(" ".join(str(exc).split())) from None

    event, root = next_event()
    if root.tag != NS + "sparql":
        raise malformed(f"the root element is <{root.tag}>, not <sparql>")
    variables: list[str] = []
    while True:
        event, elem = next_event()
        if event == "end" and elem.tag == NS + "variable":
            variables.append(elem.get("name", ""))
        elif event == "end" and elem.tag == NS + "boolean":
            text = (elem.text or "").strip()
            if text not in ("true", "false"):
                raise malformed(f"<boolean> holds {text!r}")
            return text == "true"
        elif event == "start" and elem.tag == NS + "results":
            results = elem
            break
        elif event == "end" and elem.tag == NS + "sparql":
            raise malformed("neither <results> nor <boolean>")
    names = {name: i for i, name in enumerate(variables)}

    def term(elem: Any) -> Any:
        text = elem.text or ""
        if elem.tag == NS + "uri":
            return ox.NamedNode(text)
        if elem.tag == NS + "literal":
            datatype = elem.get("datatype")
            lang = elem.get(XML_LANG)
            if lang:
                return ox.Literal(text, language=lang.lower())
            if datatype in CANONICAL_TYPES:
                text = kept_spelling(text, datatype)
            return ox.Literal(text, datatype=ox.NamedNode(datatype) if datatype else None)
        if elem.tag == NS + "bnode":
            return ox.BlankNode(blank_label(text))
        raise malformed(f"a binding holds <{elem.tag.removeprefix(NS)}>, which kg does not read")

    def rows() -> Iterator[Row]:
        while True:
            event, elem = next_event()
            if event == "end" and elem.tag == NS + "result":
                terms: list[Any] = [None] * len(variables)
                for binding in elem:
                    name = binding.get("name")
                    if name not in names or len(binding) != 1:
                        raise malformed(f"a binding of {name!r} that the head does not declare")
                    try:
                        terms[names[name]] = term(binding[0])
                    except ValueError as exc:
                        raise malformed(" ".join(str(exc).split())) from None
                results.clear()  # (the solution read is dropped: memory stays flat)
                yield Row(terms, names)
            elif event == "end" and elem.tag == NS + "results":
                return

    return Solutions([ox.Variable(v) for v in variables], rows())
