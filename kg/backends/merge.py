"""The store's default graph as N-Triples, and an index of its names, kept in the store
directory by ``kg load``.

``kg load`` writes each file's triples as N-Triples anyway (they become the merged default
graph, see :mod:`kg.backends.bulk`); it keeps them in ``DIR/kg-merge/merge.nt``, so that ``kg validate
--store`` reads them instead of dumping the default graph out of the store (55 s of its 71 s at
a million firms: every term is looked up by its hash). A triple of several files repeats: the
reader keeps a set. ``names.tsv`` is an index of names, one line per label (``skos:prefLabel``,
``rdfs:label``, ``skos:altLabel``) of an IRI: the label folded by :func:`kg.rdf.labels.normalize_name`,
a tab, the IRI. Finding an entity by name then reads it (0.2 s at a million firms) instead of
decoding every label in the store (4.5 to 7.5 s).

The copy is only used while the store is exactly as ``kg load`` left it. ``manifest.json``
records the store's data files (RocksDB's numbered ``.sst`` tables and non-empty ``.log``
write-ahead logs, by name and size) when the load ended. Any write to the store goes to the
log, and tables are never rewritten under the same number, so any change to the data (by
another tool, or a server on the store) changes the record and the copy is ignored; opening
the store read-only changes nothing. A store opened for writing may drop its old log even with
no change: the copy is then ignored too (the slower dump is used: never a wrong answer).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from kg.errors import InputError
from kg.fileio import write_atomic

FOLDER = "kg-merge"
MERGE = "merge.nt"
NAMES = "names.tsv"
MANIFEST = "manifest.json"
_DATA_FILE = re.compile(r"\d+\.(sst|log)")


def fingerprint(store_dir: Path) -> list[list[str | int]]:
    """The store's data files by name and size (empty logs left out: opening makes them)."""
    found = []
    for entry in os.scandir(store_dir):
        if _DATA_FILE.fullmatch(entry.name) and entry.is_file():
            size = entry.stat().st_size
            if size or entry.name.endswith(".sst"):
                found.append([entry.name, size])
    return sorted(found)


def _kept(store_dir: Path, name: str) -> Path | None:
    """The kept file ``name``, if the store is still as the load that wrote it left it."""
    folder = Path(store_dir) / FOLDER
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("store") != fingerprint(Path(store_dir)):
        return None
    sizes = manifest.get("bytes")
    path = folder / name
    return path if isinstance(sizes, dict) and path.is_file() and path.stat().st_size == sizes.get(name) else None


def valid_copy(store_dir: Path) -> Path | None:
    """The kept N-Triples of the store's default graph, if they are still those of its data."""
    return _kept(store_dir, MERGE)


def valid_names(store_dir: Path) -> Path | None:
    """The kept name index (see :func:`kg.rdf.labels.find_by_name_via_query`), if still current."""
    return _kept(store_dir, NAMES)


def start(store_dir: Path, empty: bool, current: bool) -> bool:
    """Before a load: whether its triples can be added to a kept copy (the store is empty, or
    its copy was ``current``: :func:`valid_copy` before the store was opened to write). The
    manifest is removed first, so a load that fails leaves no copy that claims to be current;
    a copy that cannot be kept is removed."""
    folder = Path(store_dir) / FOLDER
    keep = empty or current
    if empty:
        shutil.rmtree(folder, ignore_errors=True)
    (folder / MANIFEST).unlink(missing_ok=True)
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    return keep


def add(store_dir: Path, merge: Path, names: Path) -> None:
    """Add the N-Triples file ``merge`` and the name index ``names`` (each moved, or appended)
    to the kept files."""
    folder = Path(store_dir) / FOLDER
    folder.mkdir(exist_ok=True)
    for new, kept in ((merge, folder / MERGE), (names, folder / NAMES)):
        if not kept.exists():
            shutil.move(new, kept)  # (a rename: the load's scratch folder is beside the store)
            continue
        small, large = sorted([kept, new], key=lambda p: p.stat().st_size)
        with large.open("ab") as out, small.open("rb") as fh:  # (order does not matter: sets)
            shutil.copyfileobj(fh, out, 1 << 24)
        if large != kept:
            shutil.move(large, kept)


def finish(store_dir: Path) -> None:
    """After the load, with the store closed: record what the kept files are the copy of."""
    folder = Path(store_dir) / FOLDER
    files = [folder / MERGE, folder / NAMES]
    if all(f.is_file() for f in files):
        manifest = {"store": fingerprint(Path(store_dir)), "bytes": {f.name: f.stat().st_size for f in files}}
        write_atomic(folder / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


#: A file in the store directory while ``kg load`` writes into it (its process id inside): a
#: reader refuses the store meanwhile, and after a load that was killed or failed.
LOADING = "kg-loading"


def check_not_loading(store_dir: Path) -> None:
    """An InputError if a load into the store is running, or did not finish (killed, failed):
    its answers would be those of part of the data (during a bulk load, of none)."""
    marker = Path(store_dir) / LOADING
    try:
        pid = int(marker.read_text(encoding="utf-8").split()[0])
    except FileNotFoundError:
        return
    except (OSError, ValueError, IndexError):
        pid = 0
    if pid > 0 and pid_alive(pid):
        raise InputError(f"{store_dir}: kg load is writing into this store (process {pid}); query it when the load has finished")
    raise InputError(
        f"{store_dir}: the last kg load into this store did not finish (interrupted or failed), so it holds part of "
        f"the data at most; load it again: kg load --store {store_dir} --replace [FILES...]"
    )


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()
