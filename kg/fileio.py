"""Reading and writing files safely.

Writing: atomically, one file or several together. An error or Ctrl-C leaves no partial file
and never truncates one; a full or read-only disk is a one-line :class:`~kg.errors.OutputError`
and the old files stay as they were.

Reading: :func:`read_input` reads only regular files (never a FIFO, a device such as
``/dev/zero``, a socket or a directory), and stops at the size the file had when opened.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from kg.errors import InputError, OutputError

#: How much a file may grow past the size it had when opened before it is refused (a /proc
#: file says 0 bytes and has some; a file written to while read could grow without end).
GROWTH_ALLOWANCE = 1 << 20


def _reason(exc: OSError) -> str:
    return exc.strerror or errno.errorcode.get(exc.errno or 0, "") or type(exc).__name__


def check_regular(path: str | os.PathLike[str]) -> os.stat_result:
    """The ``stat`` of ``path`` if it is a regular file (after symlinks), else an InputError
    saying what it is: never opened, so a FIFO with no writer cannot hang the reader."""
    try:
        info = os.stat(path)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    except OSError as exc:  # a symlink loop (ELOOP), a name too long, an I/O error
        raise InputError(f"{path}: cannot read: {_reason(exc)}") from exc
    if stat.S_ISREG(info.st_mode):
        return info
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory, not an RDF file")
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a character device" if stat.S_ISCHR(info.st_mode)
            else "a block device" if stat.S_ISBLK(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode)
            else "not a regular file")
    raise InputError(f"{path}: is {kind}; kg reads only regular files (save the data to a file first)")


def read_input(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`check_regular`), read with a bound:
    at most its size when opened plus GROWTH_ALLOWANCE. Every failure is a one-line InputError."""
    info = check_regular(path)
    limit = info.st_size + GROWTH_ALLOWANCE
    try:
        # O_NONBLOCK: should the file have been swapped for a FIFO since the stat, open does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError(f"{path}: is no longer a regular file; kg reads only regular files")
            data = fh.read(limit + 1)
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory, not an RDF file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {_reason(exc)}") from exc
    if len(data) > limit:
        raise InputError(f"{path}: grew by more than {GROWTH_ALLOWANCE} bytes while being read; read a finished file")
    return data


def _mode_for(target: Path) -> int:
    """The permissions the file would get from a plain open(): its current mode if it exists,
    else 0666 less the umask (mkstemp's own 0600 would hide reports from other users)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _unlink(path: str | Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _output_error(target: Path, exc: OSError) -> OutputError:
    return OutputError(f"{target}: cannot write: {_reason(exc)}; nothing was changed")


def _is_special(target: Path) -> bool:
    """Whether ``target`` exists and is a device or a pipe (``/dev/null``, ``/dev/stdout``): it is
    written in place, as nothing can be renamed over it (that would replace the device)."""
    try:
        return not stat.S_ISREG(os.stat(target).st_mode) and not stat.S_ISDIR(os.stat(target).st_mode)
    except OSError:
        return False


@contextmanager
def _temporary(target: Path, mode: str, encoding: str | None) -> Iterator[tuple[str | None, IO]]:
    """A temporary file beside ``target`` (removed on any exception), and its path; for a device
    or a pipe, ``target`` itself and None."""
    if _is_special(target):
        try:
            with open(target, mode) if "b" in mode else open(target, mode, encoding=encoding, newline="") as fh:
                yield None, fh
        except OSError as exc:
            raise _output_error(target, exc) from exc
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise _output_error(target, exc) from exc
    try:
        os.chmod(tmp, _mode_for(target))
        fh = os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding=encoding, newline="")
        with fh:
            yield tmp, fh
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        _unlink(tmp)
        raise


def _commit(pairs: Sequence[tuple[str | None, Path]]) -> None:
    """Rename each temporary onto its target, all or nothing: a target that existed is first
    moved aside (a hard link, so it never goes missing), and put back if a later rename fails."""
    pairs = [(tmp, target) for tmp, target in pairs if tmp is not None]  # devices: written already
    backups: list[tuple[Path, str | None]] = []
    done: list[Path] = []
    try:
        for tmp, target in pairs:
            backup = None
            if len(pairs) > 1 and target.exists():
                backup = f"{target.parent}/.{target.name}.{os.getpid()}.old"
                _unlink(backup)
                os.link(target, backup)
            backups.append((target, backup))
            os.replace(tmp, target)
            done.append(target)
    except BaseException:
        for target, backup in backups:
            if backup is not None:
                os.replace(backup, target)
            elif target in done:
                _unlink(target)
        for tmp, _target in pairs:
            _unlink(tmp)
        raise
    for _target, backup in backups:
        if backup is not None:
            _unlink(backup)


@contextmanager
def atomic_files(
    paths: Sequence[str | os.PathLike[str]], mode: str = "w", encoding: str | None = "utf-8"
) -> Iterator[dict[str, IO]]:
    """Open one temporary file beside each of ``paths`` (yielded by file name); on success all
    replace their targets together, or none does (see :func:`_commit`).

    On any exception (KeyboardInterrupt included) the temporaries are removed and every target
    is left as it was; an OSError (a full or read-only disk) becomes a one-line OutputError."""
    targets = [Path(p) for p in paths]
    shown = targets[0] if len(targets) == 1 else targets[0].parent
    try:
        with ExitStack() as stack:  # leaving it flushes and syncs every file, or removes them all
            opened = [stack.enter_context(_temporary(target, mode, encoding)) for target in targets]
            try:
                yield {target.name: fh for target, (_tmp, fh) in zip(targets, opened)}
            except OSError as exc:
                # The caller's own errors (a network error while it streams) are its to report;
                # a write into these files that fails for lack of room is an output error.
                if exc.errno in _FULL:
                    raise _output_error(shown, exc) from exc
                raise _CallerError(exc) from exc
        _commit([(tmp, target) for target, (tmp, _fh) in zip(targets, opened)])
    except _CallerError as wrapped:
        raise wrapped.error from wrapped.error.__cause__
    except OSError as exc:
        raise _output_error(shown, exc) from exc


#: What a write that fails for lack of room or permission on the disk raises.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


class _CallerError(Exception):
    """Carries an OSError of the caller's own work past the output-error conversion."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


@contextmanager
def atomic_writer(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one rename.

    On any exception (KeyboardInterrupt included) the temporary file is removed and ``path``
    is left as it was; an OSError (a full or read-only disk) becomes a one-line OutputError.
    """
    with atomic_files([path], mode, encoding) as files:
        yield files[Path(path).name]


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    if isinstance(data, bytes):
        with atomic_writer(path, "wb", encoding=None) as fh:
            fh.write(data)
    else:
        with atomic_writer(path, "w") as fh:
            fh.write(data)
