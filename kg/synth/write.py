"""Writing synthetic data (:mod:`kg.synth.generate`) to a file: N-Quads, TriG, N-Triples or Turtle by
suffix, as it is generated (memory stays flat), atomically (an interrupted run leaves no file)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import UsageError
from kg.fileio import atomic_writer
from kg.namespaces import PREFIXES
from kg.synth.generate import XSD, A, SynthSize, generate, synth_size

#: Output suffix -> format name.
SYNTH_FORMATS = {
    ".nq": "nquads",
    ".nquads": "nquads",
    ".nt": "ntriples",
    ".ntriples": "ntriples",
    ".ttl": "turtle",
    ".trig": "trig",
}

_REVERSE = {ns: p for p, ns in PREFIXES.items()}
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*\Z")


def shorten(term: str) -> str:
    """A term in Turtle: a prefixed name where the project has a prefix for it."""
    if term[0] == "<":
        if term == A:
            return "a"
        k = max(term.rfind("/"), term.rfind("#")) + 1
        prefix = _REVERSE.get(term[1:k])
        local = term[k:-1]
        if prefix is not None and _LOCAL.match(local):
            return f"{prefix}:{local}"
        return term
    if term.endswith(">") and "^^<" + XSD in term:
        lexical, _, dt = term.rpartition("^^<" + XSD)
        return f"{lexical}^^xsd:{dt[:-1]}"
    return term


def _prefix_header(keyword: str) -> str:
    return "".join(f"{keyword} {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items())) + "\n"


@dataclass
class SynthResult:
    """What ``write_synth`` wrote."""

    path: str
    format: str
    size: SynthSize
    triples: int
    bytes: int
    seconds: float


def _format_for(path: Path) -> str:
    fmt = SYNTH_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"{path}: cannot tell the output format from the suffix {path.suffix!r} "
            f"(use one of {', '.join(sorted(SYNTH_FORMATS))})"
        )
    return fmt


def write_synth(
    output: str | os.PathLike[str],
    firms: int,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> SynthResult:
    """Write a synthetic dataset of ``firms`` firms to ``output`` (format by suffix), atomically."""
    path = Path(output)
    fmt = _format_for(path)
    if firms < 1:
        raise UsageError(f"--firms must be at least 1 (got {firms})")
    start = time.perf_counter()
    triples = 0
    current = None
    with atomic_writer(path, "w") as fh:
        if fmt in ("turtle", "trig"):
            fh.write(_prefix_header("@prefix"))
        buf: list[str] = []
        for g, s, pairs in generate(firms, seed, progress):
            triples += len(pairs)
            if fmt == "nquads":
                buf.append("".join(f"{s} {p} {o} {g} .\n" for p, o in pairs))
            elif fmt == "ntriples":
                buf.append("".join(f"{s} {p} {o} .\n" for p, o in pairs))
            else:
                indent = "    " if fmt == "trig" else ""
                if fmt == "trig" and g != current:
                    buf.append(("}\n\n" if current is not None else "") + shorten(g) + " {\n\n")
                    current = g
                sep = " ;\n" + indent + "    "
                buf.append(
                    indent
                    + shorten(s)
                    + " "
                    + sep.join(shorten(p) + " " + shorten(o) for p, o in pairs)
                    + " .\n\n"
                )
            if len(buf) >= 4096:
                fh.write("".join(buf))
                buf.clear()
        if fmt == "trig" and current is not None:
            buf.append("}\n")
        fh.write("".join(buf))
    size = synth_size(firms)
    return SynthResult(
        str(path), fmt, size, triples, path.stat().st_size, time.perf_counter() - start
    )
