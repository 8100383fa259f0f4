"""Loading RDF into a graph: the project's own data, or files the user names.

The embedded default is an in-memory rdflib ``Dataset`` whose default graph is the union of
its named graphs: one graph for the ontology, one per article, one per reference source.
"""

from __future__ import annotations

import json
import xml.sax
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg import paths
from kg.errors import InputError, syntax_error
from kg.namespaces import GRAPH, bind_prefixes
from kg.rdf.containment import CONTAINMENT, DERIVED_GRAPH, WITHIN, describe_graph, is_derived, within_pairs

#: File suffix -> rdflib parser name.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".n3": "n3",
}
#: Formats whose files carry named graphs of their own.
QUAD_FORMATS = {"trig", "nquads", "json-ld"}

ONTOLOGY_GRAPH = GRAPH["ontology"]
SHAPES_GRAPH = GRAPH["shapes"]


def guess_format(path: Path) -> str:
    """The rdflib parser for a file, by its suffix; an unknown suffix is an InputError."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"{path}: cannot tell the RDF format from the suffix {path.suffix!r} (known: {known})")
    return fmt


def new_dataset() -> Dataset:
    """An empty in-memory dataset with the project's prefixes; its default graph is the union."""
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    return ds


@contextmanager
def literals_as_written() -> Iterator[None]:
    """While inside, rdflib keeps literals' lexical forms as written ("01"^^xsd:integer stays
    "01"; rdflib's default rewrites it to "1"), so what is loaded can be exported unchanged."""
    import rdflib

    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = previous


def _parse_into(target: Graph | Dataset, path: Path, fmt: str, strict: bool = False) -> None:
    """Parse ``path`` into ``target``; every problem is a one-line InputError naming the file.

    With ``strict``, pyoxigraph reads the file first and refuses what the W3C grammars reject
    and ill-typed literals (see :mod:`kg.rdf.strict`)."""
    from kg.rdf.inputguard import check_jsonld, raise_for_diagnostics, rdflib_diagnostics

    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory, not an RDF file") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise syntax_error(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line) from exc
    text = text.removeprefix("\ufeff")  # a UTF-8 byte order mark, as some editors write
    base = path.resolve().as_uri()
    if fmt == "xml":
        refuse_xml_dtd(path, text)
    try:
        if fmt == "json-ld":
            check_jsonld(path, text, base)
        if strict:
            from kg.rdf.strict import check_rdf

            check_rdf(path, text, fmt, base)
        with literals_as_written(), rdflib_diagnostics() as logged:
            target.parse(data=text, format=fmt, publicID=base)
        raise_for_diagnostics(path, text, logged)
    except RecursionError as exc:
        raise syntax_error(path, "nested too deeply to parse (recursion limit reached)") from exc
    except BadSyntax as exc:
        raise syntax_error(path, f"bad syntax: {exc._why}", exc.lines + 1) from exc
    except ParserError as exc:
        raise syntax_error(path, f"bad syntax: {exc}") from exc
    except xml.sax.SAXParseException as exc:
        raise syntax_error(path, exc.getMessage(), exc.getLineNumber(), exc.getColumnNumber()) from exc
    except json.JSONDecodeError as exc:
        raise syntax_error(path, exc.msg, exc.lineno, exc.colno) from exc
    except (ValueError, TypeError, KeyError) as exc:  # rdflib raises these for bad IRIs / JSON-LD shapes
        raise syntax_error(path, f"{type(exc).__name__}: {exc}") from exc
    except (AssertionError, IndexError) as exc:  # rdflib's Turtle parser, on an unterminated string / file
        raise syntax_error(path, f"bad syntax: {exc or 'unexpected end of file'}") from exc
    except AttributeError as exc:  # rdflib's Turtle parser, on a ?variable (N3 only)
        if "newUniversal" in str(exc):
            raise syntax_error(path, "bad syntax: a ?variable is N3, not Turtle, TriG or N-Triples") from exc
        raise syntax_error(path, f"bad syntax: {exc}") from exc


def refuse_xml_dtd(path: Path, text: str) -> None:
    """RDF/XML with a DTD or entity declarations is refused before any parser sees it
    (entity expansion bombs, external entities that read files or URLs)."""
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.sax import parseString
    from xml.sax.handler import ContentHandler

    try:
        parseString(text.encode("utf-8"), ContentHandler(), forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
        line = text[: text.find("<!")].count("\n") + 1 if "<!" in text else None
        raise syntax_error(path, f"RDF/XML with a DTD or entity declarations is refused ({type(exc).__name__})", line) from exc
    except xml.sax.SAXParseException as exc:
        raise syntax_error(path, exc.getMessage(), exc.getLineNumber(), exc.getColumnNumber()) from exc


def load_file(ds: Dataset, path: str | Path, graph: URIRef | None = None, strict: bool = False) -> None:
    """Parse one RDF file into ``ds``.

    Quad formats (TriG, N-Quads, JSON-LD) keep their own named graphs. Triple formats go into
    ``graph`` when given, else into a named graph for the file (``file:///...``). ``strict``:
    see :func:`_parse_into`.
    """
    path = Path(path)
    fmt = guess_format(path)
    if fmt in QUAD_FORMATS:
        _parse_into(ds, path, fmt, strict)
    else:
        name = graph if graph is not None else URIRef(path.resolve().as_uri())
        _parse_into(ds.graph(name), path, fmt, strict)


def load_files(files: list[str | Path] | tuple[str | Path, ...], strict: bool = False) -> Dataset:
    """A dataset of the given files."""
    ds = new_dataset()
    for f in files:
        load_file(ds, f, strict=strict)
    return ds


@dataclass(frozen=True)
class ProjectParts:
    """Which parts of the project's own graph to load."""

    ontology: bool = True
    articles: bool = True
    reference: bool = True


def load_project(parts: ProjectParts = ProjectParts(), strict: bool = False) -> Dataset:
    """The project's graph: ontology, one named graph per article, reference data, and the
    containment closure derived from them (:func:`add_containment`)."""
    ds = new_dataset()
    if parts.ontology:
        load_file(ds, paths.ontology_file(), graph=ONTOLOGY_GRAPH, strict=strict)
    if parts.articles:
        for f in paths.article_graph_files():
            load_file(ds, f, strict=strict)
    if parts.reference:
        for f in paths.reference_files():
            load_file(ds, f, strict=strict)
    return add_containment(ds)


def load_shapes(path: str | Path | None = None, strict: bool = False) -> Graph:
    """The SHACL shapes graph: the project's own, or the file given."""
    shapes_path = Path(path) if path is not None else paths.shapes_file()
    g = Graph()
    bind_prefixes(g)
    _parse_into(g, shapes_path, guess_format(shapes_path), strict)
    return g


def load_inputs(files: list[str | Path] | tuple[str | Path, ...] | None, strict: bool = False) -> Dataset:
    """What a command works on: the given files, or the project's graph when none are given,
    with the containment closure derived (:func:`add_containment`)."""
    if files:
        return add_containment(load_files(list(files), strict=strict))
    return load_project(strict=strict)


def add_containment(ds: Dataset) -> Dataset:
    """Write ``ds``'s containment closure into its derived graph (:mod:`kg.rdf.containment`),
    replacing what that graph held: call it again after the data changes. Returns ``ds``."""
    ds.remove_graph(DERIVED_GRAPH)
    edges = [
        (s, o)
        for p in CONTAINMENT
        for s, _, o, g in ds.quads((None, p, None, None))
        if isinstance(o, (URIRef, BNode)) and not is_derived(getattr(g, "identifier", g))
    ]
    pairs = list(within_pairs(edges))
    if pairs:
        derived = ds.graph(DERIVED_GRAPH)
        for triple in describe_graph():
            derived.add(triple)
        for thing, container in pairs:
            derived.add((thing, WITHIN, container))
    return ds
