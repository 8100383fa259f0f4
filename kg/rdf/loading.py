"""Loading RDF into a graph: the project's own data, or files the user names.

The embedded default is an in-memory rdflib ``Dataset`` whose default graph is the union of
its named graphs: one graph for the ontology, one per article, one per reference source.
"""

from __future__ import annotations

import json
import re
import xml.sax
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import XSD
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from kg import paths
from kg.errors import InputError, syntax_error
from kg.fileio import check_regular, read_input
from kg.namespaces import GRAPH, bind_prefixes
from kg.rdf.literal_log import quiet_literal_warnings
from kg.rdf.literals import check_literals, project_files
from kg.rdf.terms import ONTOLOGY_GRAPH, SHAPES_GRAPH
from kg.rdf.inputguard import check_jsonld, check_terms, no_context_fetch, raise_for_diagnostics, rdflib_diagnostics
from kg.rdf.strict import check_rdf
from kg.rdf.gazetteer import gazetteer_history, slice_for
from kg.rdf.containment import (
    CONTAINMENT,
    DERIVED_GRAPH,
    WITHIN,
    derived_triples,
    is_derived,
    within_pairs,
)

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

    data = read_input(path)  # a regular file only: never a FIFO, a device or a symlink loop
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

            check_rdf(path, text, fmt, base)
        with literals_as_written(), rdflib_diagnostics() as logged, no_context_fetch(path):
            long_lines = _long_lines(text) if fmt in LINE_FORMATS else {}
            if long_lines:  # rdflib takes quadratic time on them: Oxigraph reads those lines
                blanks: dict[str, BNode] = {}
                lines = text.split("\n")
                short = "\n".join("" if i in long_lines else line for i, line in enumerate(lines))
                target.parse(data=short, format=fmt, publicID=base, bnode_context=blanks)
                _parse_long_lines(target, path, long_lines, fmt, blanks)
            else:
                target.parse(data=text, format=fmt, publicID=base)
        raise_for_diagnostics(path, text, logged)
        check_terms(path, text, target)  # a lone surrogate, a control character in an IRI
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
        if "integer string conversion" in str(exc):  # rdflib's int() on a bare number of 4,301+ digits
            raise syntax_error(path, "a bare integer of more than 4,300 digits, which rdflib cannot read; "
                                     'quote it: "123..."^^xsd:integer') from exc
        raise syntax_error(path, f"{type(exc).__name__}: {exc}") from exc
    except (AssertionError, IndexError) as exc:  # rdflib's Turtle parser, on an unterminated string / file
        raise syntax_error(path, f"bad syntax: {exc or 'unexpected end of file'}") from exc
    except AttributeError as exc:  # rdflib's Turtle parser, on a ?variable (N3 only)
        if "newUniversal" in str(exc):
            raise syntax_error(path, "bad syntax: a ?variable is N3, not Turtle, TriG or N-Triples") from exc
        raise syntax_error(path, f"bad syntax: {exc}") from exc


#: Line-based formats, whose rdflib parser takes time quadratic in the length of a line (a
#: 512 KB literal 4.7 s, 2 MB 42 s); lines longer than LONG_LINE are read by Oxigraph instead
#: (2 MB: 0.03 s). (rdflib's Turtle and TriG parsers read long lines in linear time.)
LINE_FORMATS = {"nt", "nquads"}
LONG_LINE = 1 << 16
_XSD_STRING_END = re.compile(r'"\s*\^\^<http://www\.w3\.org/2001/XMLSchema#string>\s*(?:(?:<[^>]*>|_:\S+)\s*)?\.\s*(?:#.*)?$')


def _long_lines(text: str) -> dict[int, str]:
    """The lines of ``text`` longer than LONG_LINE, by index (0 for the first line)."""
    if len(text) <= LONG_LINE:
        return {}
    return {i: line for i, line in enumerate(text.split("\n")) if len(line) > LONG_LINE}


def _parse_long_lines(target: Graph | Dataset, path: Path, lines: dict[int, str], fmt: str, blanks: dict[str, BNode]) -> None:
    """Add the statement of each long line (one per line in N-Triples and N-Quads), read by
    pyoxigraph, as rdflib terms; ``blanks`` maps blank node labels as rdflib's parser did.
    pyoxigraph reads "x" and "x"^^xsd:string alike: the line's own text tells them apart."""
    import pyoxigraph as ox

    def term(t: object, explicit_string: bool = False) -> Node:
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return blanks.setdefault(t.value, BNode())
        assert isinstance(t, ox.Literal)
        if t.language:
            return Literal(t.value, lang=t.language)
        datatype = t.datatype.value
        if datatype == str(XSD.string) and not explicit_string:
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(datatype))

    formats = {"nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS}
    for index, line in sorted(lines.items()):
        try:
            quads = list(ox.parse(line.encode("utf-8"), format=formats[fmt]))
        except SyntaxError as exc:
            detail = re.sub(r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ", "", str(exc.msg))
            raise syntax_error(path, f"bad syntax: {detail}", index + 1, exc.offset) from exc
        explicit = bool(_XSD_STRING_END.search(line))
        for q in quads:
            triple = (term(q.subject), term(q.predicate), term(q.object, explicit))
            if isinstance(target, Dataset):
                graph = target.default_context if isinstance(q.graph_name, ox.DefaultGraph) else target.graph(term(q.graph_name))
                graph.add(triple)  # type: ignore[arg-type]
            else:
                target.add(triple)  # type: ignore[arg-type]


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
    check_regular(path)  # before path.resolve(), which fails on a symlink loop
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
    #: With ``reference``: the gazetteer's slice for what the rest names (kg.rdf.gazetteer).
    gazetteer: bool = True


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
        if parts.gazetteer:
            load_gazetteer_slice(ds)
    return add_containment(ds)


def gazetteer_slice_text() -> str:
    """The gazetteer's slice for the project's data, as TriG (what :func:`load_project` adds;
    ``kg load`` and ``kg push`` send it as a file)."""
    return slice_for(load_project(ProjectParts(gazetteer=False)), paths.gazetteer_files())


def load_gazetteer_slice(ds: Dataset) -> None:
    """Add the gazetteer's nodes that ``ds`` names, their ancestors and their triples
    (:mod:`kg.rdf.gazetteer`): the whole gazetteer is too large to parse at every start."""
    files = paths.gazetteer_files()
    text = slice_for(ds, files)
    if not text:
        return
    try:
        with literals_as_written():
            ds.parse(data=text, format="trig")
    except BadSyntax as exc:  # a gazetteer file edited by hand, say
        where = files[0].parent
        raise syntax_error(where, f"bad syntax in the gazetteer slice: {exc._why}") from exc


def load_shapes(path: str | Path | None = None, strict: bool = False) -> Graph:
    """The SHACL shapes graph: the project's own, or the file given."""
    shapes_path = Path(path) if path is not None else paths.shapes_file()
    g = Graph()
    bind_prefixes(g)
    _parse_into(g, shapes_path, guess_format(shapes_path), strict)
    return g


def load_checked(files: Sequence[str | Path] | None, strict: bool = False) -> Dataset:
    """The given files (or the project's graph), refusing ill-typed literals (InputError);
    ``strict`` also reads them with the strict parser (:mod:`kg.rdf.strict`)."""
    with quiet_literal_warnings():
        dataset = load_inputs(list(files) if files else None, strict=strict)
    check_literals(dataset, list(files) if files else project_files())
    return dataset


def load_inputs(files: list[str | Path] | tuple[str | Path, ...] | None, strict: bool = False, derived: bool = True) -> Dataset:
    """What a command works on: the given files, or the project's graph when none are given,
    with the containment closure derived (:func:`add_containment`; given files without it
    unless ``derived``)."""
    if files:
        loaded = load_files(list(files), strict=strict)
        return add_containment(loaded) if derived else loaded
    return load_project(strict=strict)


def has_ontology(ds: Dataset) -> bool:
    """Whether ``ds`` holds a non-empty ``graph:ontology``."""
    return any(g.identifier == ONTOLOGY_GRAPH and len(g) for g in ds.graphs())


def add_ontology_if_missing(ds: Dataset) -> Dataset:
    """Add the project's ontology to ``ds`` itself, as ``graph:ontology``, when it holds none
    (changes ``ds``; returns it). For the labels of classes, properties, measures and units."""
    if not has_ontology(ds):
        load_file(ds, paths.ontology_file(), graph=ONTOLOGY_GRAPH)
    return ds


def with_ontology(ds: Dataset) -> Dataset:
    """``ds`` when it holds the ontology, else a new dataset of its quads and the project's
    ontology (``ds`` is left as it was)."""
    if has_ontology(ds):
        return ds
    copy = new_dataset()
    for prefix, ns in ds.namespaces():
        copy.bind(prefix, ns, override=False)
    for s, p, o, g in ds.quads((None, None, None, None)):
        copy.add((s, p, o, g))  # type: ignore[arg-type]
    return add_ontology_if_missing(copy)


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
        for thing, container in pairs:
            derived.add((thing, WITHIN, container))
        for triple in derived_triples(pairs, gazetteer_history):
            derived.add(triple)
    return ds
