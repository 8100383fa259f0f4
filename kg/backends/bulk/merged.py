"""Bulk-loading one file followed by its triples as N-Triples, written meanwhile by a thread: the
file's quads in their graphs and the merged default graph (see :mod:`kg.backends.base`) in one load."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

from kg.backends.bulk.files import Source, open_counting, ox_format, parse_error
from kg.backends.bulk.interrupt import STOP
from kg.backends.merge import NAMES
from kg.rdf.containment import CONTAINMENT
from kg.rdf.labels import LABEL_PROPS, normalize_name


def as_nquads(src: Source, out: Path) -> Source:
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
            if STOP.is_set():
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


def load_with_merge(
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
        if STOP.is_set():
            raise KeyboardInterrupt
    except BaseException as exc:
        if feeder is not None:  # let a feeder still waiting for a reader find none, and stop
            os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))
        if STOP.is_set():  # Ctrl-C cut the input short: whatever the loader said of its end
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
                if STOP.is_set():
                    return  # Ctrl-C: the loader sees the end of its input and returns
                out.write(memoryview(buffer)[:n])
                counted(int(n * scale))
