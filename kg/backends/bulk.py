"""Moving RDF files in bulk into an on-disk Oxigraph store (``kg load``); what ``kg push``
(:mod:`kg.backends.push`) shares with it: which files, checked how, read with a progress count.

Files go where :func:`kg.rdf.loading.load_project` puts them, so every backend holds the same named
graphs: the ontology in ``graph:ontology``, quad formats (TriG, N-Quads, JSON-LD) in their own
graphs, triple formats in a graph named by the file's ``file:`` IRI. The default graph is then
made the RDF merge of the named graphs (see :mod:`kg.backends.base` for why). Loading streams: memory
stays flat however large the files are. ``progress(bytes_read, bytes_total)`` reports how far it got.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from kg import paths
from kg.errors import InputError, syntax_error
from kg.backends.derived import store_containment, write_closure
from kg.fileio import check_regular, write_atomic
from kg.rdf.containment import CONTAINMENT
from kg.rdf.loading import ONTOLOGY_GRAPH, QUAD_FORMATS, gazetteer_slice_text, guess_format
from kg.rdf.strict import OX_FORMATS
from kg.rdf.loading import refuse_xml_dtd
from kg.rdf.strict import check_depth, depth_kind
from kg.rdf.labels import LABEL_PROPS, normalize_name
from kg.backends.merge import LOADING, NAMES
from kg.backends import merge as store_merge
from kg.backends.oxigraph import count_named, store_error
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


@dataclass
class LoadReport:
    """What ``load_store`` did."""

    store: str
    files: int
    bytes: int
    quads: int
    graphs: int
    seconds: float
    cleaned: tuple[str, ...] = ()  # what an interrupted load had left, removed before this one


class LoadInterrupted(KeyboardInterrupt):
    """Ctrl-C during ``kg load``; ``message`` says what the store holds now."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _clean_leftovers(path: Path) -> list[str]:
    """Remove what a killed load into ``path`` left (run with the store open for writing, so no
    other load into it runs): its scratch folders beside it and Oxigraph's bulk-loading tables
    in it. The names removed."""
    removed = []
    for scratch in sorted(path.resolve().parent.glob(f"{_scratch_prefix(path)}*")):
        if scratch.is_dir():
            shutil.rmtree(scratch, ignore_errors=True)
            removed.append(str(scratch))
    for table in sorted(path.glob("bulk-*.sst")):
        table.unlink(missing_ok=True)
        removed.append(str(table))
    return removed


def _scratch_prefix(path: Path) -> str:
    return f".kg-load-{path.resolve().name}-"


def _as_nquads(src: Source, out: Path) -> Source:
    """``src`` rewritten as the N-Quads file ``out``, each triple in its graph."""
    import pyoxigraph as ox

    graph = ox.NamedNode(src.graph) if src.graph else None
    with open_counting(src, 0, 0, None) as reader, out.open("wb") as fh:
        try:
            quads = ox.parse(input=cast(IO[bytes], reader), format=ox_format(src), base_iri=src.base_iri)
            if graph is not None:
                quads = (ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
            ox.serialize(quads, fh, format=ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            raise parse_error(src, exc) from exc
    return Source(out, "nquads", None)


#: Set when Ctrl-C arrives during a load: the threads that feed Oxigraph's bulk loader stop,
#: so that it returns at once (it looks at no signal itself; it would finish the file first).
_STOP = threading.Event()


@contextmanager
def _interrupts_stop_feeding() -> Iterator[None]:
    """While inside, Ctrl-C sets _STOP from a watcher thread (Python runs signal handlers only
    in the main thread, which sits in the native loader): the signal's byte comes through
    ``signal.set_wakeup_fd``, written by the C-level handler whatever runs."""
    _STOP.clear()
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    try:
        previous = signal.set_wakeup_fd(write_end)
    except ValueError:  # not the main thread: no watcher
        os.close(read_end)
        os.close(write_end)
        yield
        return

    def watch() -> None:
        while data := os.read(read_end, 16):
            if signal.SIGINT in data:
                _STOP.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)
        os.close(write_end)  # the watcher reads the end, and stops
        watcher.join(1)
        os.close(read_end)


def _write_merge(path: Path, into: Path, failed: list[BaseException], edges: list[tuple[str, str]] | None = None) -> None:
    """The triples of the N-Quads file ``path``, as N-Triples into the file ``into`` (run in a
    thread, beside the bulk load of the same file: pyoxigraph releases the GIL), and the name
    index of its labels into the file :data:`kg.backends.merge.NAMES` beside it; its containment
    statements (N-Triples subject and object) are added to ``edges`` (:mod:`kg.backends.derived`)."""
    import pyoxigraph as ox


    label_props = {str(p) for p in LABEL_PROPS}
    containment = {str(p) for p in CONTAINMENT}

    def triples(quads: Any, index: IO[str]) -> Any:
        names: list[str] = []
        for q in quads:
            if _STOP.is_set():
                raise KeyboardInterrupt
            if edges is not None and q.predicate.value in containment and not isinstance(q.object, ox.Literal):
                edges.append((str(q.subject), str(q.object)))
            if q.predicate.value in label_props and isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode):
                names.append(f"{normalize_name(q.object.value)}\t{q.subject.value}\n")
                if len(names) >= 1 << 16:
                    index.writelines(names)
                    names.clear()
            yield q.triple
        index.writelines(names)

    try:
        with into.open("wb") as fh, (into.parent / NAMES).open("w", encoding="utf-8", newline="") as index:
            quads = ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)
            ox.serialize(triples(quads, index), fh, format=ox.RdfFormat.N_TRIPLES)
    except BaseException as exc:  # noqa: BLE001 - re-raised by the reader
        failed.append(exc)


def _load_with_merge(
    store: Any, lines: Source, src: Source, tmp: Path, counted: Callable[[int], None],
    edges: list[tuple[str, str]] | None = None, closure: Callable[[IO[bytes]], None] | None = None,
) -> Path:
    """Bulk-load the N-Quads file ``lines`` followed by its triples as N-Triples (the default
    graph, in N-Quads), which a thread writes meanwhile: one bulk load puts every quad in its
    graph and in the merge, and a blank node is one node in both (Oxigraph names a file's blank
    nodes afresh at each load). The loader reads a named pipe that another thread fills: read through a Python file object instead (2 KB at a time, each read waiting
    for the GIL the merge writer holds), the load took 27 % longer at 100,000 firms (at a
    million the loader itself is the bottleneck: no difference).
    ``counted(n)`` is told of every ``n`` bytes passed on (the merge's scaled to the file's size).
    Returns the merge's N-Triples file, beside which is its name index (:mod:`kg.backends.merge`
    keeps both). ``closure(out)``, when given, writes more N-Quads into the same load after the
    merge (the containment closure, :mod:`kg.backends.derived`): one bulk load instead of two."""
    import os
    import threading

    import pyoxigraph as ox

    merge, failed = tmp / "merge.nt", cast(list[BaseException], [])
    writer = threading.Thread(target=_write_merge, args=(lines.path, merge, failed, edges), daemon=True)
    writer.start()
    if not hasattr(os, "mkfifo"):  # (Windows) the file and its merge, one after the other
        writer.join()
        pipe = tmp / "with-merge.nq"
        with pipe.open("wb") as out:
            _pass_on(out, [lines.path, None, merge, *([closure] if closure else [])], writer, failed, counted)
        feeder = None
    else:
        pipe = tmp / "with-merge.pipe"
        os.mkfifo(pipe)
        feeder = threading.Thread(target=_feed, args=(pipe, [lines.path, None, merge, *([closure] if closure else [])], writer, failed, counted), daemon=True)
        feeder.start()
    try:
        store.bulk_load(path=str(pipe), format=ox.RdfFormat.N_QUADS, base_iri=src.base_iri)
        if _STOP.is_set():
            raise KeyboardInterrupt
    except BaseException as exc:
        if feeder is not None:  # let a feeder still waiting for a reader find none, and stop
            os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))
        if _STOP.is_set():  # Ctrl-C cut the input short: whatever the loader said of its end
            raise KeyboardInterrupt from exc
        if isinstance(exc, SyntaxError):
            raise parse_error(src, exc, " (the store may hold part of the file: fix it and load again with --replace)") from exc
        raise
    finally:
        if feeder is not None:
            feeder.join()
        writer.join()
    if failed:
        err = failed[0]
        raise parse_error(src, err) if isinstance(err, SyntaxError) else err
    return merge


def _feed(pipe: Path, parts: list[Any], writer: Any, failed: list[BaseException], counted: Callable[[int], None]) -> None:
    """Write ``parts`` into the named pipe (a thread); a loader that stops reading ends it."""
    try:
        with pipe.open("wb") as out:
            _pass_on(out, parts, writer, failed, counted)
    except BrokenPipeError:
        pass  # the loader stopped: its own error says why
    except BaseException as exc:  # noqa: BLE001 - re-raised by the loading thread
        failed.append(exc)


def _pass_on(out: IO[bytes], parts: list[Any], writer: Any, failed: list[BaseException], counted: Callable[[int], None]) -> None:
    """The files ``parts`` into ``out`` (None: a line break, then wait for the merge writer; a
    function: called with ``out`` to write more), 16 MB at a time (reads and writes release the GIL)."""
    size = 1
    buffer = bytearray(1 << 24)
    for part in parts:
        if callable(part):
            part(out)
            continue
        if part is None:
            out.write(b"\n")
            out.flush()
            writer.join()
            if failed:
                return  # (the merge is incomplete: the caller raises the writer's error)
            continue
        scale = 1.0 if part is parts[0] else size / max(part.stat().st_size, 1)
        if part is parts[0]:
            size = max(part.stat().st_size, 1)
        with part.open("rb", buffering=0) as fh:
            while n := fh.readinto(buffer):
                if _STOP.is_set():
                    return  # Ctrl-C: the loader sees the end of its input and returns
                out.write(memoryview(buffer)[:n])
                counted(int(n * scale))


def load_store(
    store_dir: str | Path,
    files: list[str] | tuple[str, ...] | None = None,
    replace: bool = False,
    progress: Progress | None = None,
    ontology: bool = False,
    whole_gazetteer: bool = False,
) -> LoadReport:
    """Bulk-load files (default: the project's data) into the Oxigraph store at ``store_dir``,
    creating it if needed; ``replace`` empties it first; ``ontology`` also loads the project's
    ontology as ``graph:ontology`` (the project's data always has it), which lets ``kg validate
    --store`` run its SPARQL constraints on the store itself.

    The default graph is made the merge of what is loaded (see :mod:`kg.backends.base`): each file
    is bulk-loaded once, followed by its own triples as N-Triples, which a thread writes while
    the file loads. (Reading the triples back out of the store instead, then loading them, took
    half as long again: 188 s against 127 s at a million firms.) Files other than N-Quads are
    first rewritten as N-Quads, their triples in the file's graph. ``whole_gazetteer``: the
    project's data with all of the gazetteer, not the slice the in-memory graph holds."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix=".kg-slice-") as slice_dir:
        return _load_store(store_dir, sources(files, ontology, Path(slice_dir), whole_gazetteer), replace, progress)


def _load_store(store_dir: str | Path, srcs: list[Source], replace: bool, progress: Progress | None) -> LoadReport:
    import tempfile

    import pyoxigraph as ox


    sizes = check_sources(srcs)
    path = Path(store_dir)
    if path.exists() and not path.is_dir():
        raise InputError(f"{path}: is a file, not a store directory")
    if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").exists():
        raise InputError(f"{path}: not empty and not an Oxigraph store: refusing to write into it")
    start = time.perf_counter()
    total = 2 * sum(sizes)
    current = path.is_dir() and store_merge.valid_copy(path) is not None  # (before opening it to write)
    try:
        store = ox.Store(str(path))
    except OSError as exc:
        raise store_error(path, exc) from exc
    loaded: list[Source] = []
    with _interrupts_stop_feeding():  # Ctrl-C stops the loader's input: it returns at once
        try:
            cleaned = _clean_leftovers(path)
            write_atomic(path / LOADING, f"{os.getpid()}\n")
            if replace:
                store.clear()
            empty = next(iter(store.quads_for_pattern(None, None, None, None)), None) is None
            keep = store_merge.start(path, empty, current)
            edges: list[tuple[str, str]] = []
            with tempfile.TemporaryDirectory(prefix=_scratch_prefix(path), dir=path.resolve().parent) as tmp:
                done = [0]

                def counted(n: int) -> None:
                    done[0] += n
                    if progress is not None:
                        progress(min(done[0], total), total)

                closed: list[int | None] = []

                def closure(out: IO[bytes]) -> None:  # (into an empty store: after the last file, in its load)
                    closed.append(write_closure(edges, out))

                for i, src in enumerate(srcs):
                    lines = src if src.format == "nquads" else _as_nquads(src, Path(tmp) / f"{i}.nq")
                    scratch = Path(tmp) / str(i)
                    scratch.mkdir()
                    last = empty and i == len(srcs) - 1
                    merge = _load_with_merge(store, lines, src, scratch, counted, edges, closure if last else None)
                    loaded.append(src)
                    if keep:
                        store_merge.add(path, merge, merge.parent / store_merge.NAMES)
                if not closed or closed[0] is None:
                    # The closure of all the store holds, read from it (an append; a blank node).
                    store_containment(store, None, Path(tmp))
            store.flush()
            # Bulk loading leaves the indexes in many overlapping files, and every lookup then reads
            # each of them: compacting them once makes queries that look many nodes up 3 to 6 times
            # faster at a million firms (about 8 s there).
            store.optimize()
            quads = count_named(store)
            graphs = sum(1 for _ in store.named_graphs())
        except OSError as exc:
            raise InputError(
                f"{path}: loading into the store failed: {' '.join(str(exc).split())}"
            ) from exc
        except KeyboardInterrupt as exc:
            whole = ", ".join(str(src.path) for src in loaded) or "none"
            raise LoadInterrupted(
                f"Interrupted: {path} holds what it held before{' (emptied by --replace)' if replace else ''}, "
                f"the files loaded in full ({whole}) and part of {srcs[len(loaded)].path if len(loaded) < len(srcs) else 'none'}; "
                f"kg refuses to query it until it is loaded again: kg load --store {path} --replace [FILES...]"
            ) from exc
        finally:
            del store
    if keep:
        store_merge.finish(path)  # (the store closed: its files are final)
    (path / LOADING).unlink(missing_ok=True)  # (only once the load is complete)
    return LoadReport(str(path), len(srcs), sum(sizes), quads, graphs, time.perf_counter() - start, tuple(cleaned))
