"""Which files ``kg load`` and ``kg push`` (:mod:`kg.backends.push`) move, checked how, read with
a progress count, their syntax errors reported as ``FILE:LINE:COL``."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import paths
from kg.errors import InputError, syntax_error
from kg.fileio import check_regular
from kg.rdf.loading import (
    ONTOLOGY_GRAPH,
    QUAD_FORMATS,
    gazetteer_slice_text,
    guess_format,
    refuse_xml_dtd,
)
from kg.rdf.strict import OX_FORMATS, check_depth, depth_kind

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Source:
    """One file to move, with the graph its triples go to (None: the file names its graphs)."""

    path: Path
    format: str
    graph: str | None

    @property
    def base_iri(self) -> str:
        return self.path.resolve().as_uri()


def sources(
    files: list[str] | tuple[str, ...] | None,
    ontology: bool = False,
    scratch: Path | None = None,
    whole_gazetteer: bool = False,
) -> list[Source]:
    """The files given, or the project's own data (ontology, article graphs, reference data and
    the gazetteer: the slice the in-memory graph holds, written into the folder ``scratch``, or
    with ``whole_gazetteer`` all of it); ``ontology`` adds the project's ontology to the files
    given, in ``graph:ontology``."""
    if files:
        out = [Source(paths.ontology_file(), "turtle", str(ONTOLOGY_GRAPH))] if ontology else []
        for f in files:
            path = Path(f)
            fmt = guess_format(path)
            check_regular(path)  # before path.resolve(), which fails on a symlink loop
            out.append(Source(path, fmt, None if fmt in QUAD_FORMATS else path.resolve().as_uri()))
        return out
    project = [Source(paths.ontology_file(), "turtle", str(ONTOLOGY_GRAPH))]
    for path in [*paths.article_graph_files(), *paths.reference_files()]:
        project.append(Source(path, guess_format(path), None))
    if whole_gazetteer:
        project += [Source(path, "trig", None) for path in paths.gazetteer_files()]
    elif scratch is not None:
        text = gazetteer_slice_text()
        if text:
            path = scratch / "gazetteer-slice.trig"
            path.write_text(text, encoding="utf-8")
            project.append(Source(path, "trig", None))
    return project


def _size(src: Source) -> int:
    """The size of a source, which must be a regular file (kg.fileio.check_regular: a FIFO or
    a device is refused before it is opened)."""
    return check_regular(src.path).st_size


class CountingReader(io.RawIOBase):
    """A binary file that reports the bytes read so far (for the progress bar)."""

    def __init__(self, fh: Any, start: int, total: int, progress: Progress | None) -> None:
        self.fh, self.done, self.total, self.progress = fh, start, total, progress

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.fh.close()
        super().close()

    def readinto(self, buffer: Any) -> int:
        n = self.fh.readinto(buffer)
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total)
        return n


def open_counting(src: Source, start: int, total: int, progress: Progress | None) -> CountingReader:
    """Open a source for reading; its bytes count on from ``start`` (out of ``total``)."""
    try:
        return CountingReader(src.path.open("rb"), start, total, progress)
    except FileNotFoundError as exc:
        raise InputError(f"{src.path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{src.path}: cannot read: {exc.strerror}") from exc


_OX_POSITION = re.compile(r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ")


def parse_error(src: Source, exc: SyntaxError, note: str = "") -> InputError:
    """A pyoxigraph syntax error as ``FILE:LINE:COL: what`` (pyoxigraph counts lines from 1)."""
    detail = _OX_POSITION.sub("", str(exc.msg))
    return syntax_error(src.path, f"bad syntax: {detail}{note}", exc.lineno, exc.offset)


def check_sources(srcs: list[Source]) -> list[int]:
    """Refuse unreadable files, RDF/XML with a DTD and input nested deeper than pyoxigraph can
    parse without crashing or slowing to a crawl (JSON-LD, RDF/XML; see kg.rdf.strict), before anything is written; their sizes."""

    sizes = []
    for src in srcs:
        sizes.append(_size(src))
        kind = depth_kind(src.format)
        if kind not in ("json", "xml"):
            continue  # pyoxigraph reads N-Triples/N-Quads (flat) and Turtle/TriG (any depth) safely
        text = src.path.read_text(encoding="utf-8", errors="replace")
        if src.format == "xml":
            refuse_xml_dtd(src.path, text)
        check_depth(src.path, text, kind)
    return sizes


def ox_format(src: Source) -> Any:
    import pyoxigraph as ox

    return getattr(ox.RdfFormat, OX_FORMATS[src.format])
