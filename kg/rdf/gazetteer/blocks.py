"""The generated gazetteer files cut into blocks, one per subject, without parsing them (the
build writes one block per subject, blocks separated by a blank line, one predicate per line)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import InputError, syntax_error

#: The file of the divisions in force (the others: history, zones, coordinates).
DIVISIONS_FILE = "divisions.trig"
_PREFIX = re.compile(r"^@prefix (\w*): <([^>]*)> \.$", re.M)
_GRAPH_OPEN = re.compile(r"^(\S+) \{\n", re.M)
#: How a block's parent line starts, and a year of validity as the build writes it.
PARENT = "kg:locatedIn "
YEAR = re.compile(r'"(\d{4})"\^\^xsd:gYear')
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"@([A-Za-z-]+)')


@dataclass(frozen=True)
class BlockFile:
    """One generated gazetteer file, cut into blocks: its prologue (comments, prefixes), the name
    of its graph as written, the graph's own description, and every other block by subject IRI."""

    path: Path
    prologue: str
    graph: str
    head: str
    blocks: dict[str, tuple[str, ...]]
    prefixes: dict[str, str]

    def expand(self, token: str) -> str:
        """The IRI of a prefixed name or ``<IRI>`` as the build writes them."""
        if token.startswith("<") and token.endswith(">"):
            return token[1:-1]
        prefix, _, local = token.partition(":")
        if prefix not in self.prefixes:
            raise syntax_error(self.path, f"unknown prefix {prefix!r} in {token!r}")
        return self.prefixes[prefix] + local


def read_blocks(path: Path) -> BlockFile:
    """Cut a generated gazetteer file into blocks; a file not laid out as the build writes it is
    an InputError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise syntax_error(path, "not UTF-8 text") from exc
    opened = _GRAPH_OPEN.search(text)
    end = text.rfind("\n}")
    if opened is None or end < opened.end():
        raise syntax_error(path, "not laid out as kg.reference.build writes it (one graph block)")
    prologue, graph = text[: opened.start()], opened.group(1)
    prefixes = dict(_PREFIX.findall(prologue))
    head = ""
    by_subject: dict[str, list[str]] = {}
    probe = BlockFile(path, prologue, graph, "", {}, prefixes)
    for chunk in text[opened.end() : end].split("\n\n"):
        body = chunk.strip()
        if not body or body.startswith("#"):
            continue
        subject = body.split(None, 1)[0]
        if subject == graph:
            head = _without_counts(chunk)
            continue
        by_subject.setdefault(probe.expand(subject), []).append(chunk)
    blocks = {k: tuple(v) for k, v in by_subject.items()}
    return BlockFile(path, prologue, graph, head, blocks, prefixes)


def _without_counts(head: str) -> str:
    """The graph's description less its counts per class (``void:classPartition``, blank nodes
    that count the whole file, not a slice; blank nodes also make ``kg validate`` pick its slower
    engine)."""
    lines = [line for line in head.split("\n") if not line.strip().startswith("void:classPartition")]
    if lines and lines[-1].endswith(" ;"):
        lines[-1] = lines[-1][:-2] + " ."
    return "\n".join(lines)


@cache
def _cached_blocks(path: Path, mtime_ns: int, size: int) -> BlockFile:
    return read_blocks(path)


def blocks_of(path: Path) -> BlockFile:
    """:func:`read_blocks`, once per process for a file that does not change."""
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    return _cached_blocks(path, st.st_mtime_ns, st.st_size)


def parents_in(block: BlockFile, chunk: str) -> list[str]:
    """The ``kg:locatedIn`` objects of one block, as IRIs."""
    out = []
    for line in chunk.splitlines():
        line = line.strip()
        if line.startswith(PARENT):
            objects = line[len(PARENT) :].rstrip(" ;.")
            out.extend(block.expand(t.strip()) for t in objects.split(","))
    return out


@dataclass
class Node:
    """What the index knows of one gazetteer node without parsing it: its classes (as written,
    ``kg:District``), parents, years of validity, replacements, names (text, language)."""

    iri: str
    classes: list[str]
    parents: list[str]
    valid_from: int | None
    valid_until: int | None
    replaced_by: list[str]
    names: list[tuple[str, str]]
    code: str | None = None
    notation: str | None = None
    latitude: str | None = None
    longitude: str | None = None

    def in_force(self, year: int | None = None) -> bool:
        """In force at the end of ``year`` (None: now): validFrom <= year < validUntil."""
        if year is None:
            return self.valid_until is None
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_until is None or year < self.valid_until)


def read_into(f: BlockFile, chunk: str, node: Node) -> None:
    """Add what one block of ``f`` says of its subject to ``node`` (the lines the build writes)."""
    lines = [line.strip() for line in chunk.splitlines()]
    lines[0] = lines[0].split(None, 1)[1]  # the subject's first predicate follows it
    for line in lines:
        if line.startswith("a "):
            node.classes.extend(t.strip() for t in line[2:].rstrip(" ;.").split(","))
        elif line.startswith(PARENT):
            node.parents.extend(parents_in(f, line))
        elif line.startswith("kg:validFrom "):
            found = YEAR.search(line)
            node.valid_from = int(found.group(1)) if found else None
        elif line.startswith("kg:validUntil "):
            found = YEAR.search(line)
            node.valid_until = int(found.group(1)) if found else None
        elif line.startswith("kg:adminCode "):
            node.code = line[len("kg:adminCode ") :].strip(' ;."')
        elif line.startswith("schema:latitude "):
            node.latitude = line.split('"')[1]
        elif line.startswith("schema:longitude "):
            node.longitude = line.split('"')[1]
        elif line.startswith("skos:notation "):
            node.notation = line[len("skos:notation ") :].strip(' ;."')
        elif line.startswith("dcterms:isReplacedBy "):
            objects = line[len("dcterms:isReplacedBy ") :].rstrip(" ;.")
            node.replaced_by.extend(f.expand(t.strip()) for t in objects.split(","))
        elif '"@' in line and not line.startswith("rdfs:label"):
            node.names.extend((text, lang) for text, lang in _LITERAL.findall(line))
