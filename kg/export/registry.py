"""``kg export``: a registry of exporters keyed by format name, and what goes into an export.

Each format names the function that writes it (imported only when used). The RDF formats
(:mod:`kg.export.rdf`, :mod:`kg.export.jsonld`, :mod:`kg.export.rdfxml`) are lossless: they
re-parse to the very quads exported. The network formats (:mod:`kg.export.network`) project
the graph onto nodes and edges for Gephi, yEd, Cytoscape, Neo4j and pandas.

What goes out is chosen by parts: ``ontology`` (graph:ontology), ``shapes`` (graph:shapes),
``data`` (one named graph per article; ``articles`` narrows it; input files replace it),
``reference`` (one named graph per reference source), ``inferred`` (graph:inferred: what
``--reasoning`` entails from the exported data and the ontology, minus what is asserted) and
``derived`` (graph:derived-containment, the containment closure kg keeps: only when asked,
``--with-derived`` or ``--include derived``; see kg.rdf.containment).
Files are written atomically: an error or Ctrl-C leaves no partial file behind.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kg.errors import UsageError
from kg.export.inferred import EXPORT_REASONING
from kg import paths
from kg.rdf.loading import (
    ONTOLOGY_GRAPH,
    SHAPES_GRAPH,
    gazetteer_slice_text,
    literals_as_written,
    load_file,
    load_gazetteer_slice,
    load_shapes,
    new_dataset,
)
from kg.export.inferred import add_inferred
from kg.fileio import atomic_files, atomic_writer
from kg.export.parts import article_graphs, graph_lines, graph_parts
from kg.rdf.terms import ExportData
from kg.backends.base import file_backend, open_backend
from kg.export.parts import backend_quads, backend_schema
from kg.export.inferred import schema_of
from kg.rdf.containment import DERIVED_GRAPH
from kg.rdf.loading import add_containment

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

    from kg.rdf.terms import ExportData


@dataclass(frozen=True)
class Format:
    """One export format: its writer (``module:function``) and how its output is shaped."""

    name: str
    target: str
    kind: str  # "rdf" (lossless) or "network"
    suffix: str
    graphs: bool = False  # keeps one named graph per article (else the union of the graphs)
    files: tuple[str, ...] = ()  # several files, written into the --output directory
    summary: str = ""

    def writer(self) -> Callable[..., None]:
        module, attr = self.target.split(":")
        return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "kg.export.rdf:write_turtle", "rdf", ".ttl",
               summary="Turtle, prefixed, grouped by subject"),
        Format("nt", "kg.export.rdf:write_ntriples", "rdf", ".nt",
               summary="N-Triples, one sorted line per triple"),
        Format("nquads", "kg.export.rdf:write_nquads", "rdf", ".nq", graphs=True,
               summary="N-Quads, named graphs kept"),
        Format("trig", "kg.export.rdf:write_trig", "rdf", ".trig", graphs=True,
               summary="TriG, named graphs kept"),
        Format("jsonld", "kg.export.jsonld:write_jsonld", "rdf", ".jsonld", graphs=True,
               summary="JSON-LD, compact @context"),
        Format("xml", "kg.export.rdfxml:write_rdfxml", "rdf", ".rdf",
               summary="RDF/XML (Protégé)"),
        Format("graphml", "kg.export.network:write_graphml", "network", ".graphml",
               summary="GraphML (yEd, Cytoscape, Gephi)"),
        Format("gexf", "kg.export.network:write_gexf", "network", ".gexf",
               summary="GEXF 1.2 (Gephi)"),
        Format("csv", "kg.export.network:write_csv", "network", "", files=("nodes.csv", "edges.csv"),
               summary="nodes.csv + edges.csv (Neo4j bulk import, pandas)"),
    )
}

#: What ``--include`` accepts.
PARTS: tuple[str, ...] = ("ontology", "shapes", "data", "reference", "inferred", "derived")
#: What goes out when ``--include`` is not given, by kind of format; "data" alone with input
#: files or ``--article``.
DEFAULT_PARTS: dict[str, tuple[str, ...]] = {
    "rdf": ("ontology", "data", "reference"),
    "network": ("data", "reference"),
}
#: Reasoning modes for the ``inferred`` part (see kg.rdf.reasoning).
REASONING_MODES: tuple[str, ...] = EXPORT_REASONING


@dataclass(frozen=True)
class ExportRequest:
    fmt: str = "turtle"
    include: tuple[str, ...] = ()  # empty: DEFAULT_PARTS of the format's kind
    articles: tuple[str, ...] = ()  # article slugs; empty: every article
    inputs: tuple[str, ...] = ()  # RDF files that replace the project's data
    reasoning: str = "rdfs"
    store: str | None = None  # export from this on-disk Oxigraph store (kg.export.parts)
    endpoint: str | None = None  # or from this SPARQL endpoint
    timeout: float | None = None  # the longest wait for each of the endpoint's answers
    backend: str = "memory"  # what parses the input files (kg.backends.base.FILE_BACKENDS, or auto)
    with_derived: bool = False  # add the derived part (the containment closure) to the parts


@dataclass
class ExportSummary:
    """What was written: the parts, how many triples / quads and named graphs, and where."""

    fmt: str
    parts: tuple[str, ...]
    triples: int
    quads: int
    graphs: int
    written: list[str]


def parts_of(request: ExportRequest) -> tuple[str, ...]:
    """The parts to export, in PARTS order; unknown names are a UsageError."""
    unknown = sorted(set(request.include) - set(PARTS))
    if unknown:
        raise UsageError(f"unknown part {unknown[0]!r} for --include (choose from: {', '.join(PARTS)})")
    if request.include:
        chosen = set(request.include)
    elif request.inputs or request.articles:
        chosen = {"data"}
    else:
        chosen = set(DEFAULT_PARTS[format_of(request.fmt).kind])
    if request.with_derived:
        chosen.add("derived")
    if request.articles and not chosen & {"data", "inferred"}:
        raise UsageError("--article chooses among the articles' graphs: add data (or inferred) to --include")
    if request.articles and request.inputs:
        raise UsageError("--article chooses among the project's articles: it cannot be used with input files")
    return tuple(p for p in PARTS if p in chosen)


def format_of(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown export format {name!r} (choose from: {', '.join(FORMATS)})") from None


def _slug(path: Path) -> str:
    return path.stem.split("-", 1)[1] if "-" in path.stem else path.stem


def article_files(slugs: tuple[str, ...]) -> list[Path]:
    """The article graph files named by slug (``baotou-equipment-park-2017``, the file's stem,
    or ``graph:<slug>``); every article when none is named."""

    files = paths.article_graph_files()
    if not slugs:
        return files
    chosen = []
    for slug in slugs:
        want = slug.removeprefix("graph:").removeprefix("article:")
        hits = [f for f in files if want in (_slug(f), f.stem)]
        if not hits:
            known = ", ".join(_slug(f) for f in files) or "none"
            raise UsageError(f"no article {slug!r} (known: {known})")
        chosen.extend(h for h in hits if h not in chosen)
    return sorted(chosen)


def select(request: ExportRequest) -> Dataset:
    """The dataset to export: the chosen parts, each in its own named graph(s)."""

    parts = parts_of(request)
    ds = new_dataset()
    base = new_dataset()  # what inference starts from: data and reference (all when not chosen)
    if "ontology" in parts:
        load_file(ds, paths.ontology_file(), graph=ONTOLOGY_GRAPH)
    if "shapes" in parts:
        shapes = ds.graph(SHAPES_GRAPH)
        for t in load_shapes():
            shapes.add(t)
    chosen = set(parts) & {"data", "reference"} or {"data", "reference"}
    for target, wanted in ((ds, set(parts)), (base, chosen if "inferred" in parts else set())):
        if "data" in wanted:
            for f in request.inputs or article_files(request.articles):
                load_file(target, f)
        if "reference" in wanted:
            for f in paths.reference_files():
                load_file(target, f)
            _add_gazetteer_slice(target, whole_project="data" in wanted and not request.inputs and not request.articles)
    if "inferred" in parts:
        add_inferred(ds, base, request.reasoning)
    if "derived" in parts:
        _add_derived(ds, request)
    return ds


def _add_derived(ds: Dataset, request: ExportRequest) -> None:
    """Put into ds the containment closure of the data (or the input files) and reference, as
    the memory backend derives it (kg.rdf.loading.add_containment)."""
    base = new_dataset()
    for f in [*(request.inputs or article_files(request.articles)), *([] if request.inputs else paths.reference_files())]:
        load_file(base, f)
    if not request.inputs:  # the project's data: with the gazetteer's slice, as the graph holds it
        _add_gazetteer_slice(base, whole_project=not request.articles)
    target = ds.graph(DERIVED_GRAPH)
    for t in add_containment(base).graph(DERIVED_GRAPH):
        target.add(t)


def _add_gazetteer_slice(target: Dataset, whole_project: bool) -> None:
    """The gazetteer's part of the reference data: the slice the project's graph holds (cut from
    ``target`` itself when it holds every article, else from the project's data)."""
    if whole_project:
        load_gazetteer_slice(target)
        return
    text = gazetteer_slice_text()
    if text:
        with literals_as_written():
            target.parse(data=text, format="trig")


def check_output(fmt: Format, output: Path | None) -> None:
    """Refuse, before any work, an --output the format cannot be written to."""
    if fmt.files:
        if output is None:
            names = " and ".join(fmt.files)
            raise UsageError(f"--format {fmt.name} writes two files ({names}): give --output DIRECTORY")
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output}: --format {fmt.name} needs a directory for --output, not a file")
    elif output is not None and output.is_dir():
        raise UsageError(f"{output}: is a directory; give a file name for --output")


def write(
    fmt: Format, data: Any, output: Path | None, stdout: IO[bytes], schema: Graph | None = None,
    writer: Callable[..., None] | None = None,
) -> list[str]:
    """Write ``data`` (an ExportData) in ``fmt`` to ``output`` (atomically) or ``stdout``; the
    paths written. ``writer`` replaces the format's own writer."""

    check_output(fmt, output)
    writer = writer or fmt.writer()
    extra: dict[str, Any] = {"schema": schema} if fmt.kind == "network" else {}
    if output is None:
        writer(data, stdout, **extra)
        return []
    if fmt.files:
        targets = [output / name for name in fmt.files]
        with atomic_files(targets, "wb", encoding=None) as outs:  # all replaced, or none
            writer(data, outs, **extra)
        return [str(t) for t in targets]
    with atomic_writer(output, "wb", encoding=None) as fh:
        writer(data, fh, **extra)
    return [str(output)]


def _graph_lines(request: ExportRequest, fmt: Format, parts: tuple[str, ...], backend: Any) -> tuple | None:
    """N-Quads / N-Triples of a store's or an endpoint's own graphs, written by Oxigraph
    (kg.export.parts.graph_lines), or None where the general path is needed (other formats,
    shapes, inferences, blank nodes)."""

    if not backend.native_ntriples or fmt.name not in ("nt", "nquads"):
        return None
    if set(parts) - {"ontology", "data", "reference", "derived"}:
        return None
    found = graph_parts(backend)
    found["data"] = article_graphs(found["data"], request.articles)
    return graph_lines(backend, [g for p in parts for g in found[p]], fmt.name == "nquads")


def export(request: ExportRequest, output: Path | None, stdout: IO[bytes]) -> ExportSummary:
    """Select, then write: the one library call behind ``kg export``."""

    fmt = format_of(request.fmt)
    parts = parts_of(request)
    check_output(fmt, output)

    if request.store is not None or request.endpoint is not None or file_backend(request.inputs, request.backend) != "memory":

        with open_backend(request.inputs, request.store, request.endpoint, request.timeout, backend=request.backend) as backend:
            fast = _graph_lines(request, fmt, parts, backend)
            if fast is not None:
                lines, triples, quads, graphs = fast
                def put(_: object, out: IO[bytes]) -> None:
                    for i in range(0, len(lines), 100_000):  # a few MB at a time
                        out.write(b"\n".join(lines[i : i + 100_000]) + b"\n")

                written = write(fmt, None, output, stdout, writer=put)
                return ExportSummary(fmt.name, parts, triples, quads, graphs, written)
            data = ExportData.from_quads(backend_quads(request, parts, backend))
            schema = backend_schema(backend) if fmt.kind == "network" else None
    else:
        ds = select(request)
        data = ExportData.from_dataset(ds)

        schema = schema_of(ds) if fmt.kind == "network" else None
    written = write(fmt, data, output, stdout, schema)
    names = {g for g in data.graphs if g is not None}
    return ExportSummary(fmt.name, parts, len(data.merged), len(data.quads), len(names), written)
