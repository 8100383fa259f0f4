"""``kg load``: the files into an on-disk Oxigraph store, the merged default graph with them."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.backends import merge as store_merge
from kg.backends.bulk.files import Progress, Source, check_sources, sources
from kg.backends.bulk.interrupt import LoadInterrupted, interrupts_stop_feeding
from kg.backends.bulk.leftovers import clean_leftovers, scratch_prefix
from kg.backends.bulk.merged import as_nquads, load_with_merge
from kg.backends.derived import store_containment, write_closure
from kg.backends.merge import LOADING
from kg.backends.oxigraph import count_named, store_error
from kg.errors import InputError
from kg.fileio import write_atomic


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
    with interrupts_stop_feeding():  # Ctrl-C stops the loader's input: it returns at once
        try:
            cleaned = clean_leftovers(path)
            write_atomic(path / LOADING, f"{os.getpid()}\n")
            if replace:
                store.clear()
            empty = next(iter(store.quads_for_pattern(None, None, None, None)), None) is None
            keep = store_merge.start(path, empty, current)
            edges: list[tuple[str, str]] = []
            with tempfile.TemporaryDirectory(prefix=scratch_prefix(path), dir=path.resolve().parent) as tmp:
                done = [0]

                def counted(n: int) -> None:
                    done[0] += n
                    if progress is not None:
                        progress(min(done[0], total), total)

                closed: list[int | None] = []

                def closure(out: IO[bytes]) -> None:  # (into an empty store: after the last file, in its load)
                    closed.append(write_closure(edges, out))

                for i, src in enumerate(srcs):
                    lines = src if src.format == "nquads" else as_nquads(src, Path(tmp) / f"{i}.nq")
                    scratch = Path(tmp) / str(i)
                    scratch.mkdir()
                    last = empty and i == len(srcs) - 1
                    merge = load_with_merge(store, lines, src, scratch, counted, edges, closure if last else None)
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
