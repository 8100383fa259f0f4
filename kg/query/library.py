"""Named queries: finding ``queries/NAME.rq``, reading their ``#+`` headers, typing parameters.

A named query is a SPARQL file with a header of grlc-style ``#+ key: value`` comment lines::

    #+ name: firms-in-region
    #+ summary: Firms in a region, at any depth of containment.
    #+ param: region | entity | required | the region, by name or IRI
    #+ param: year | year | default=2021 | only figures of this year
    #+ returns: firm, place, via
    #+ example: kg query firms-in-region --param region="Inner Mongolia"

Each parameter is bound to the SPARQL variable of the same name (``?region``) before the query
runs (rdflib ``initBindings``); its value is never pasted into the query text. Types:

- ``iri``: a full IRI (``<...>`` optional) or a prefixed name with a project prefix;
- ``entity``: an IRI, or a label resolved to the one entity it names (kg.rdf.labels.resolve);
- ``string``: a plain ``xsd:string`` literal (compare with ``STR(?label)``);
- ``number``: ``xsd:integer`` or ``xsd:decimal``;
- ``year``: ``xsd:gYear`` (four digits); ``date``: ``xsd:date`` (YYYY-MM-DD);
- ``level``: a roll-up level (``province``, ``prefecture``, ``county``), bound to the division
  class of that level (:data:`kg.rdf.containment.LEVELS`, the one place that maps them).

A parameter is ``required``, ``optional`` (left unbound when not given: the query tests
``BOUND(?name)``) or has a ``default=VALUE``.

A parameter named ``limit`` (type ``number``) bounds the answer of a query whose rows grow with
the data (every firm's industry): only the first ``limit`` rows of the ordered answer are kept
(:func:`row_limit`; 0 keeps them all), the same rows on every backend. A listing of everything
is ``kg export``'s job.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.graph import Graph
from rdflib.namespace import XSD

from kg import paths
from kg.errors import InputError, QueryError, UsageError
from kg.fileio import read_input
from kg.namespaces import PREFIXES
from kg.rdf.labels import resolve
from kg.rdf.sparql_guard import UnsafeTerm, nt_iri
from kg.rdf.containment import LEVELS

if TYPE_CHECKING:
    from rdflib.term import Node

    from kg.backends.base import Backend

PARAM_TYPES = ("iri", "entity", "string", "number", "year", "date", "level")
HEADER_KEYS = ("name", "summary", "description", "param", "returns", "example")
_HEADER_RE = re.compile(r"^#\+\s*([A-Za-z_-]+)\s*:\s*(.*?)\s*$")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_YEAR_RE = re.compile(r"^-?\d{4}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_RE = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    type: str
    required: bool = False
    default: str | None = None
    description: str = ""

    def describe(self) -> str:
        """``region (entity, required)`` / ``year (year, default 2021)`` / ``x (string, optional)``."""
        if self.required:
            how = "required"
        elif self.default is not None:
            how = f"default {self.default}"
        else:
            how = "optional"
        return f"{self.name} ({self.type}, {how})"


@dataclass(frozen=True)
class QueryHeader:
    """What the ``#+`` lines of a query say. Every field is empty for a query without a header."""

    name: str = ""
    summary: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    returns: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class NamedQuery:
    """A query file of the library: its path, header and full text (header lines included)."""

    path: Path
    text: str
    header: QueryHeader = field(default_factory=QueryHeader)

    @property
    def name(self) -> str:
        return self.path.stem


def _parse_param(where: str, value: str) -> Param:
    parts = [p.strip() for p in value.split("|")]
    if len(parts) < 3:
        raise QueryError(f"{where}: a param line is 'NAME | TYPE | required|optional|default=VALUE | description'")
    name, ptype, need = parts[0], parts[1], parts[2]
    description = " | ".join(parts[3:])
    if not _NAME_RE.match(name):
        raise QueryError(f"{where}: parameter name {name!r} is not a SPARQL variable name")
    if ptype not in PARAM_TYPES:
        raise QueryError(f"{where}: parameter type {ptype!r} is not one of {', '.join(PARAM_TYPES)}")
    if need == "required":
        return Param(name, ptype, True, None, description)
    if need == "optional":
        return Param(name, ptype, False, None, description)
    if need.startswith("default="):
        return Param(name, ptype, False, need[len("default=") :], description)
    raise QueryError(f"{where}: write 'required', 'optional' or 'default=VALUE', not {need!r}")


def parse_header(text: str, source: str = "query") -> QueryHeader:
    """The header of a query text: the ``#+ key: value`` lines anywhere before the first line
    that is neither blank nor a comment. Unknown keys and malformed params are QueryErrors."""
    fields: dict[str, list[str]] = {k: [] for k in HEADER_KEYS}
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        match = _HEADER_RE.match(stripped)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2)
        where = f"{source}:{number}"
        if key not in HEADER_KEYS:
            raise QueryError(f"{where}: unknown header key {key!r} (known: {', '.join(HEADER_KEYS)})")
        if key == "param":
            param = _parse_param(where, value)
            if any(p.name == param.name for p in params):
                raise QueryError(f"{where}: parameter {param.name!r} is declared twice")
            params.append(param)
        else:
            fields[key].append(value)
    returns = tuple(c.strip().lstrip("?") for v in fields["returns"] for c in v.split(",") if c.strip())
    return QueryHeader(
        name=" ".join(fields["name"]),
        summary=" ".join(fields["summary"]),
        description=" ".join(fields["description"]),
        params=tuple(params),
        returns=returns,
        examples=tuple(fields["example"]),
    )


def read_query_file(path: str | Path) -> NamedQuery:
    """A query file with its header. A missing file is a UsageError naming it (exit 2); a file
    that cannot be read as UTF-8 text is an InputError (exit 1), like any unusable input."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise UsageError(f"{path}: no such query file")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory, not a query file")
    try:
        text = read_input(path).decode("utf-8")  # a regular file only, read with a bound
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    return NamedQuery(path, text, parse_header(text, str(path)))


def discover(directory: Path | None = None) -> list[NamedQuery]:
    """Every named query in ``directory`` (the project's ``queries/`` by default), by name."""
    folder = directory if directory is not None else paths.queries_dir()
    return [read_query_file(p) for p in sorted(folder.glob("*.rq"), key=lambda p: p.stem)]  # (by name: NAME before NAME-as-of)


def query_names(directory: Path | None = None) -> list[str]:
    folder = directory if directory is not None else paths.queries_dir()
    return sorted(p.stem for p in folder.glob("*.rq"))


def find_named(name: str, directory: Path | None = None) -> NamedQuery:
    """The named query ``name``; an unknown name is a UsageError suggesting close names."""
    folder = directory if directory is not None else paths.queries_dir()
    path = folder / f"{name}.rq"
    if "/" not in name and path.is_file():
        return read_query_file(path)
    names = query_names(folder)
    close = difflib.get_close_matches(name, names, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"no named query {name!r}{hint} (`kg queries` lists them)")


#: The parameter of a roll-up "as of" a year, and the suffix of a query's as-of form.
AS_OF, AS_OF_SUFFIX = "as_of", "-as-of"


def as_of_form(named: NamedQuery, directory: Path | None = None) -> NamedQuery:
    """The query that answers ``named`` as of a year (``kg query NAME --as-of YEAR``): itself when
    it has an ``as_of`` parameter, else the named query ``NAME-as-of`` beside it (today's
    roll-ups stay as fast as they were: the year's work is in a query of its own); a query with
    neither is a UsageError."""
    if named.header.param(AS_OF) is not None:
        return named
    folder = directory if directory is not None else named.path.parent
    path = folder / f"{named.name}{AS_OF_SUFFIX}.rq"
    if path.is_file():
        found = read_query_file(path)
        if found.header.param(AS_OF) is not None:
            return found
    takes = sorted(q.name for q in discover(folder) if q.header.param(AS_OF) is not None)
    raise UsageError(
        f"--as-of: {named.name} has no {AS_OF} parameter and no {named.name}{AS_OF_SUFFIX} query "
        f"(the queries as of a year: {', '.join(takes) or 'none'})"
    )


def _iri(graph: Graph | Backend, text: str) -> URIRef:
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) or text.startswith("urn:"):
        return _checked_iri(text)
    prefix, sep, local = text.partition(":")
    declared = graph.namespaces()  # an rdflib graph's, or those a backend knows
    namespaces = {**PREFIXES, **{p: str(ns) for p, ns in declared}}
    if sep and prefix in namespaces:
        return _checked_iri(namespaces[prefix] + local)
    raise UsageError(f"{text!r} is not an IRI: give <http://...> or a prefixed name such as place:baotou")


def _checked_iri(text: str) -> URIRef:
    """``text`` as an IRI, refused when it holds what IRIREF forbids (it could not be written
    into a query as one term: :func:`kg.rdf.sparql_guard.nt_iri`)."""

    try:
        nt_iri(text)
    except UnsafeTerm as exc:
        raise UsageError(str(exc)) from exc
    return URIRef(text)


def convert(graph: Graph | Backend, param: Param, raw: str) -> URIRef | Literal:
    """The RDF term for one parameter value of the declared type (UsageError when it is not).
    ``graph`` is the data an ``entity`` is looked up in: an rdflib graph, or a backend (a store,
    an endpoint), which resolves the name itself (:meth:`kg.backends.base.Backend.resolve`)."""
    bad = f"parameter {param.name!r} ({param.type}): "
    if param.type == "iri":
        try:
            return _iri(graph, raw)
        except UsageError as exc:
            raise UsageError(bad + str(exc)) from exc
    if param.type == "entity":

        try:
            return resolve(graph, raw) if isinstance(graph, Graph) else graph.resolve(raw)
        except UsageError as exc:
            raise UsageError(bad + str(exc)) from exc
    if param.type == "string":
        return Literal(raw)
    if param.type == "number":
        text = raw.strip()
        if _INT_RE.match(text):
            return Literal(text, datatype=XSD.integer)
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise UsageError(bad + f"{raw!r} is not a number") from exc
        if not value.is_finite():
            raise UsageError(bad + f"{raw!r} is not a finite number")
        return Literal(text, datatype=XSD.decimal)
    if param.type == "year":
        if not _YEAR_RE.match(raw.strip()):
            raise UsageError(bad + f"{raw!r} is not a year (four digits, e.g. 2021)")
        return Literal(raw.strip(), datatype=XSD.gYear)
    if param.type == "date":
        if not _DATE_RE.match(raw.strip()):
            raise UsageError(bad + f"{raw!r} is not a date (YYYY-MM-DD)")
        return Literal(raw.strip(), datatype=XSD.date)
    if param.type == "level":
        if raw.strip().lower() not in LEVELS:
            raise UsageError(bad + f"{raw!r} is not a level (choose from: {', '.join(LEVELS)})")
        return LEVELS[raw.strip().lower()]
    raise UsageError(bad + f"unknown type (known: {', '.join(PARAM_TYPES)})")


def row_limit(header: QueryHeader, bindings: dict[str, URIRef | Literal] | dict[str, Node]) -> int | None:
    """How many rows the query keeps: the bound ``limit`` of a query that declares one (None:
    no limit declared, or 0 given); a limit that is not a whole number >= 0 is a UsageError."""
    if header.param("limit") is None or "limit" not in bindings:
        return None
    value = bindings["limit"]
    text = str(value).strip()
    if not isinstance(value, Literal) or not _INT_RE.match(text) or int(text) < 0:
        raise UsageError(f"parameter 'limit' (number): {text!r} is not a whole number of rows (0: every row)")
    return int(text) or None


def parse_assignments(pairs: list[str] | tuple[str, ...]) -> dict[str, tuple[str | None, str]]:
    """``["region=Baotou", "year:year=2021"]`` -> ``{"region": (None, "Baotou"), "year": ("year", "2021")}``."""
    out: dict[str, tuple[str | None, str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"--param {pair!r}: write NAME=VALUE (or NAME:TYPE=VALUE)")
        name, _, ptype = key.strip().lstrip("?$").partition(":")
        if not _NAME_RE.match(name):
            raise UsageError(f"--param {pair!r}: {name!r} is not a SPARQL variable name")
        if ptype and ptype not in PARAM_TYPES:
            raise UsageError(f"--param {pair!r}: type {ptype!r} is not one of {', '.join(PARAM_TYPES)}")
        if name in out:
            raise UsageError(f"--param {name!r} is given twice")
        out[name] = (ptype or None, value)
    return out


def _guess_param(name: str, value: str) -> Param:
    """The type of a parameter of a query that declares none: an IRI if it looks like one, a
    number if it parses as one, else a string."""
    text = value.strip()
    bracketed = text.startswith("<") and text.endswith(">")
    prefixed = re.match(r"^[A-Za-z][\w.-]*:\S*$", text) is not None and text.split(":")[0] in PREFIXES
    if bracketed or prefixed:
        return Param(name, "iri")
    if _INT_RE.match(text):
        return Param(name, "number")
    try:
        if Decimal(text).is_finite():
            return Param(name, "number")
    except InvalidOperation:
        pass
    return Param(name, "string")


def bind_params(
    graph: Graph | Backend, header: QueryHeader, given: dict[str, tuple[str | None, str]] | dict[str, str]
) -> dict[str, URIRef | Literal]:
    """The initBindings for a query: each given value converted to its declared type, defaults
    filled in. A missing required parameter or one the query does not declare is a UsageError."""
    values: dict[str, tuple[str | None, str]] = {
        k: (v if isinstance(v, tuple) else (None, v)) for k, v in given.items()
    }
    bindings: dict[str, URIRef | Literal] = {}
    declared = {p.name for p in header.params}
    if header.params:
        unknown = sorted(set(values) - declared)
        if unknown:
            listing = ", ".join(p.describe() for p in header.params)
            raise UsageError(f"unknown parameter {unknown[0]!r}; this query takes: {listing}")
        missing = [p.name for p in header.params if p.required and p.name not in values]
        if missing:
            param = header.param(missing[0])
            assert param is not None
            hint = f" ({param.description})" if param.description else ""
            raise UsageError(f"missing required parameter {missing[0]!r}{hint}: add --param {missing[0]}=VALUE")
    for p in header.params:
        if p.name in values:
            ptype, raw = values[p.name]
            param = Param(p.name, ptype or p.type, p.required, p.default, p.description)
            bindings[p.name] = convert(graph, param, raw)
        elif p.default is not None:
            bindings[p.name] = convert(graph, p, p.default)
    for name in sorted(set(values) - declared):
        ptype, raw = values[name]
        param = Param(name, ptype) if ptype else _guess_param(name, raw)
        bindings[name] = convert(graph, param, raw)
    return bindings
