"""kg's own cache on disk: results that are costly to compute and never change for the same
input, kept between runs (as pip keeps its wheels).

Each entry is a file named by the SHA-256 of what it was computed from (the input and the
versions of the code that computed it), written atomically; an entry that cannot be read or
written is computed again: the cache only saves time, it never changes an answer.

Where: ``KG_CACHE_DIR`` if set (empty: no cache), else ``$XDG_CACHE_HOME/kg``, else
``~/.cache/kg``. The folder is kg's own: it is trusted as kg's installed code is (whoever can
write there can write the code too), and ``rm -r`` of it is always safe.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path | None:
    """The cache folder, or None when ``KG_CACHE_DIR`` is set empty (no cache)."""
    env = os.environ.get("KG_CACHE_DIR")
    if env is not None:
        return Path(env) if env.strip() else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "kg"


def key(*parts: str) -> str:
    """The name of the entry computed from ``parts`` (each part counted whole: no two lists of
    parts give one key)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _entry(kind: str, name: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / kind / name[:2] / name


def read(kind: str, name: str) -> bytes | None:
    """The entry ``name`` of the kind ``kind``, or None (absent, unreadable, or no cache)."""
    path = _entry(kind, name)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(kind: str, name: str, data: bytes) -> None:
    """Keep ``data`` as the entry ``name`` (atomically: a reader sees the whole entry or none);
    nothing when the cache cannot be written."""
    path = _entry(kind, name)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return
