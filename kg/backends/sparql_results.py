"""SPARQL 1.1 Query Results XML, read here rather than by pyoxigraph, so that any standard
server's answer is accepted.

pyoxigraph's results reader refuses blank-node labels that are not N-Triples labels, and
Virtuoso spells them ``nodeID://b10001`` (the format does not restrict them). This reader takes
any label: one that pyoxigraph accepts is kept, ``nodeID://X`` becomes ``X`` when that is a label
(as the same server writes ``_:X`` in N-Triples), any other becomes ``x`` + its UTF-8 bytes in hex
(the same label always gives the same node, so pages of one answer join up).

Values are as the server spells them, except ``"1"``/``"0"`` as an ``xsd:boolean`` (Virtuoso's
JSON spelling; the same value as ``true``/``false``), written ``true``/``false``. It streams:
each solution is read and dropped in turn (defusedxml refuses entity tricks).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from kg.errors import InputError

NS = "{http://www.w3.org/2005/sparql-results#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEANS = {"1": "true", "0": "false"}


class Row(tuple):  # type: ignore[type-arg]
    """One solution: its terms in the order of the variables (None where unbound); also indexed
    by a variable's name or a pyoxigraph Variable, as pyoxigraph's solutions are (None for a
    variable the answer does not have, as there)."""

    names: dict[str, int]

    def __new__(cls, terms: list[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, terms)
        row.names = names
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, (int, slice)):
            return super().__getitem__(key)
        index = self.names.get(key if isinstance(key, str) else key.value)
        return None if index is None else super().__getitem__(index)


class Solutions:
    """A SELECT answer: ``variables`` (pyoxigraph Variables), then the rows, read as iterated."""

    def __init__(self, variables: list[Any], rows: Iterator[Row]) -> None:
        self.variables = variables
        self._rows = rows

    def __iter__(self) -> Iterator[Row]:
        return self._rows


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
            if datatype == XSD_BOOLEAN:
                text = _BOOLEANS.get(text, text)
            lang = elem.get(XML_LANG)
            if lang:
                return ox.Literal(text, language=lang.lower())
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
