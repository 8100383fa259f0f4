"""Loading what ``kg validate`` checks, refusing literals that are not what their datatype says.

rdflib parses ``"abc"^^xsd:integer`` without an error: it logs a traceback on stderr and marks
the literal ``ill_typed``; for some datatypes (``xsd:gYear``) it does not check at all. A literal
whose lexical form does not fit its datatype is malformed input, like a syntax error: this module
silences rdflib's log while loading, finds such literals, and raises one InputError naming the
file, line, column and term.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import InputError, syntax_error
from kg.rdf.literal_log import datatype_name
from kg import paths

_INTEGER = r"[+-]?[0-9]+"
_DECIMAL = r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)"
_TZ = r"(Z|[+-][0-9]{2}:[0-9]{2})?"
_DATE = r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"

#: XSD datatype -> the lexical space (XML Schema 1.1, Part 2), for the datatypes the data uses.
LEXICAL_FORMS: dict[URIRef, re.Pattern[str]] = {
    dt: re.compile(rf"^(?:{pattern})$")
    for dt, pattern in {
        XSD.integer: _INTEGER,
        XSD.int: _INTEGER,
        XSD.long: _INTEGER,
        XSD.short: _INTEGER,
        XSD.nonNegativeInteger: r"[+]?[0-9]+|-0+",
        XSD.positiveInteger: r"[+]?0*[1-9][0-9]*",
        XSD.decimal: _DECIMAL,
        XSD.double: rf"({_DECIMAL}([eE][+-]?[0-9]+)?|[+-]?INF|NaN)",
        XSD.float: rf"({_DECIMAL}([eE][+-]?[0-9]+)?|[+-]?INF|NaN)",
        XSD.boolean: r"true|false|1|0",
        XSD.gYear: rf"-?[0-9]{{4,}}{_TZ}",
        XSD.gYearMonth: rf"-?[0-9]{{4,}}-(0[1-9]|1[0-2]){_TZ}",
        XSD.date: rf"{_DATE}{_TZ}",
        XSD.dateTime: rf"{_DATE}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]+)?{_TZ}",
    }.items()
}

#: Integer datatypes without bounds: any number of digits is valid.
_UNBOUNDED_INTEGERS = {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger}


def is_ill_typed(lit: Literal) -> bool:
    """True when the literal's lexical form is not in its datatype's lexical space."""
    pattern = LEXICAL_FORMS.get(lit.datatype) if lit.datatype is not None else None
    if lit.ill_typed:
        # rdflib calls int(), which refuses more than 4,300 digits: a long xsd:integer is fine.
        return not (lit.datatype in _UNBOUNDED_INTEGERS and pattern is not None and pattern.match(str(lit)))
    return pattern is not None and pattern.match(str(lit)) is None


def ill_typed_literals(dataset: Dataset) -> list[Literal]:
    """Every ill-typed literal in the dataset (objects of any graph), sorted."""
    found = {o for o in dataset.objects() if isinstance(o, Literal) and is_ill_typed(o)}
    return sorted(found, key=lambda lit: (str(lit.datatype), str(lit)))


@dataclass(frozen=True)
class Location:
    path: Path
    line: int
    column: int


def locate(lit: Literal, files: Sequence[str | Path]) -> Location | None:
    """Where the literal is written: the first quoted occurrence of its lexical form outside a
    comment line, preferring one followed by ``^^`` (a typed literal)."""
    quoted = [re.escape(q + str(lit) + q) for q in ('"', "'")]
    typed = re.compile(rf"(?:{'|'.join(quoted)})\s*\^\^")
    plain = re.compile("|".join(quoted))
    for pattern in (typed, plain):
        for f in files:
            try:
                text = Path(f).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):  # unreadable files were reported by the loader
                continue
            for match in pattern.finditer(text):
                line_start = text.rfind("\n", 0, match.start()) + 1
                if text[line_start : match.start()].lstrip().startswith("#"):
                    continue  # a comment that quotes the literal
                line = text.count("\n", 0, match.start()) + 1
                return Location(Path(f), line, match.start() - line_start + 1)
    return None


def _datatype_name(lit: Literal) -> str:
    return datatype_name(str(lit.datatype))


def check_literals(dataset: Dataset, files: Sequence[str | Path]) -> None:
    """Raise InputError for the first ill-typed literal (in file order), naming the file, line,
    column and term."""
    bad = ill_typed_literals(dataset)
    if not bad:
        return
    order = {str(f): i for i, f in enumerate(files)}
    located = [(locate(lit, files), lit) for lit in bad]
    def position(item: tuple[Location | None, Literal]) -> tuple[int, int, int, int]:
        where = item[0]
        if where is None:
            return (1, 0, 0, 0)
        return (0, order.get(str(where.path), 0), where.line, where.column)

    where, lit = min(located, key=position)
    term = f'"{lit}"^^{_datatype_name(lit)}'
    more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
    detail = (
        f"ill-typed literal {term}: not a valid {_datatype_name(lit)}; "
        f"write a valid value or change the datatype{more}"
    )
    if where is None:
        raise InputError(f"{', '.join(str(f) for f in files) or 'input'}: {detail}")
    raise syntax_error(where.path, detail, where.line, where.column)


def project_files() -> list[Path]:
    """The files :func:`kg.rdf.loading.load_project` reads."""

    return [paths.ontology_file(), *paths.article_graph_files(), *paths.reference_files()]
