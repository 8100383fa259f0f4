"""The gazetteer slice: the divisions and zones the project's data names, cut from the generated
gazetteer files at load time (docs/gazetteer.md, "The slice").

The gazetteer (``data/reference/gazetteer/*.trig``, written by ``python -m kg.reference.build``)
holds about 71,000 quads: rdflib parses them in about 2 s, too slow for a command that must
start in under 1 s. The project's in-memory graph therefore holds only the gazetteer's nodes
that the rest of the data names, their ancestors (``kg:locatedIn``, up to China), and every
gazetteer triple about them. The build writes one block per subject, blocks separated by a
blank line, one predicate per line; so the slice is a text scan that picks the blocks of the
nodes wanted, and rdflib parses a few hundred lines. The files stay the single source: the
tests check that the slice equals what a full parse gives for the same nodes. Commands that
need the whole gazetteer (``kg place``, ``kg load``) read the files whole, through pyoxigraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Dataset, URIRef

from kg import paths as kg_paths
from kg.errors import InputError, syntax_error
from kg.rdf.containment import is_derived

#: The file of the divisions in force (the others: history, zones, coordinates).
DIVISIONS_FILE = "divisions.trig"
_PREFIX = re.compile(r"^@prefix (\w*): <([^>]*)> \.$", re.M)
_GRAPH_OPEN = re.compile(r"^(\S+) \{\n", re.M)
_PARENT = "kg:locatedIn "


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
        if line.startswith(_PARENT):
            objects = line[len(_PARENT) :].rstrip(" ;.")
            out.extend(block.expand(t.strip()) for t in objects.split(","))
    return out


def closure(files: list[BlockFile], wanted: Iterable[str]) -> set[str]:
    """The gazetteer nodes among ``wanted`` and all their ancestors through ``kg:locatedIn``."""
    known = [f.blocks for f in files]
    found = {iri for iri in wanted if any(iri in b for b in known)}
    todo = list(found)
    while todo:
        iri = todo.pop()
        for f in files:
            for chunk in f.blocks.get(iri, ()):
                for parent in parents_in(f, chunk):
                    if parent not in found and any(parent in b for b in known):
                        found.add(parent)
                        todo.append(parent)
    return found


def slice_text(files: list[BlockFile], nodes: set[str]) -> str:
    """TriG holding, for each file, its graph's description and the blocks of ``nodes``."""
    parts = []
    for f in files:
        chunks = [c for iri in sorted(nodes) for c in f.blocks.get(iri, ())]
        parts.append(f"{f.prologue}{f.graph} {{\n\n{f.head}\n\n" + "\n\n".join(chunks) + "\n}\n")
    return "\n".join(parts)


def mentioned(ds: Dataset) -> set[str]:
    """Every IRI the dataset uses as a subject or an object, outside the graphs kg derives (the
    regions a territory change names are not the data's: they do not join the slice)."""
    out: set[str] = set()
    for s, _, o, g in ds.quads((None, None, None, None)):
        if is_derived(getattr(g, "identifier", g)):
            continue
        if isinstance(s, URIRef):
            out.add(str(s))
        if isinstance(o, URIRef):
            out.add(str(o))
    return out


def slice_for(ds: Dataset, paths: list[Path]) -> str:
    """The gazetteer slice for what ``ds`` names, as TriG (see the module's docstring); the
    caller parses it (:func:`kg.rdf.loading.load_project`)."""
    return slice_for_iris(mentioned(ds), paths)


def slice_for_iris(iris: set[str], paths: list[Path]) -> str:
    """The gazetteer slice for the IRIs some data names (any backend's), as TriG."""
    files = [blocks_of(p) for p in paths]
    return slice_text(files, closure(files, iris)) if files else ""


# ---------------------------------------------------------------- the whole gazetteer, indexed

_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"@([A-Za-z-]+)')
_YEAR = re.compile(r'"(\d{4})"\^\^xsd:gYear')
#: English words for kinds of division or zone, dropped to make a short name ("Qingshan District").
TYPE_WORDS = frozenset(
    "city district county banner league prefecture autonomous area new mining forestry special "
    "region province municipality shi qu xian qi meng sheng zizhiqu zizhixian zizhizhou diqu".split()
)


_TONES = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ",
    "aaaaeeeeiiiioooouuuuuuuuuAAAAEEEEIIIIOOOOUUUU",
)
_NOT_NAME = re.compile(r"[\W_]+")
#: Chinese words for kinds of division, dropped to make a short name (内蒙古自治区 -> 内蒙古).
ZH_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "盟", "区", "县", "旗")


def name_key(text: str) -> str:
    """A name as the index compares it: no tone marks, no case, no spaces or punctuation."""
    return _NOT_NAME.sub("", text.translate(_TONES).casefold())


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


class Gazetteer:
    """The whole gazetteer, cut into blocks and indexed by subject, parent, name and code: enough
    for ``kg place`` and ``kg synth`` without parsing 71,000 quads."""

    def __init__(self, paths: list[Path]) -> None:
        self.files = [blocks_of(p) for p in paths]
        self.nodes: dict[str, Node] = {}
        self.children: dict[str, list[str]] = {}
        self.by_name: dict[str, set[str]] = {}
        for f in self.files:
            for iri, chunks in f.blocks.items():
                node = self.nodes.get(iri)
                if node is None:
                    node = self.nodes[iri] = Node(iri, [], [], None, None, [], [])
                for chunk in chunks:
                    self._read(f, chunk, node)
        for node in self.nodes.values():
            for parent in node.parents:
                self.children.setdefault(parent, []).append(node.iri)
            for key in self._keys(node):
                self.by_name.setdefault(key, set()).add(node.iri)
            for key in (node.code, node.notation):
                if key:
                    self.by_name.setdefault(name_key(key), set()).add(node.iri)

    @staticmethod
    def _read(f: BlockFile, chunk: str, node: Node) -> None:
        lines = [line.strip() for line in chunk.splitlines()]
        lines[0] = lines[0].split(None, 1)[1]  # the subject's first predicate follows it
        for line in lines:
            if line.startswith("a "):
                node.classes.extend(t.strip() for t in line[2:].rstrip(" ;.").split(","))
            elif line.startswith(_PARENT):
                node.parents.extend(parents_in(f, line))
            elif line.startswith("kg:validFrom "):
                found = _YEAR.search(line)
                node.valid_from = int(found.group(1)) if found else None
            elif line.startswith("kg:validUntil "):
                found = _YEAR.search(line)
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

    @staticmethod
    def _keys(node: Node) -> set[str]:
        keys = set()
        for text, lang in node.names:
            keys.add(name_key(text))
            words = text.split()
            if len(words) > 1 and lang in ("en", "zh-latn-pinyin"):  # "Qingshan District", "Bāotóu Shì"
                stem = [w for w in words if name_key(w) not in TYPE_WORDS]
                if stem:
                    keys.add(name_key(" ".join(stem)))
        zh = [text for text, lang in node.names if lang == "zh"]
        for z in zh:
            for suffix in ZH_SUFFIXES:
                if z.endswith(suffix) and len(z) > len(suffix) + 1:
                    keys.add(name_key(z[: -len(suffix)]))
                    break
        if any(z.endswith("市") for z in zh):  # a city: "Baotou City" as well as "Baotou"
            keys |= {name_key(text) + "city" for text, lang in node.names if lang == "en"}
        keys.discard("")
        return keys

    def find(self, name: str) -> list[str]:
        """The nodes with this name (any language, full or short, any case, tones or none)."""
        return sorted(self.by_name.get(name_key(name), ()))

    def containing(self, text: str) -> list[str]:
        """The nodes one of whose names contains ``text`` (any case)."""
        wanted = text.casefold()
        return sorted(n.iri for n in self.nodes.values() if any(wanted in t.casefold() for t, _ in n.names))

    def point(self, iri: str) -> tuple[float, float] | None:
        """(latitude, longitude) of a node, if the gazetteer gives one."""
        node = self.nodes.get(iri)
        if node is None or node.latitude is None or node.longitude is None:
            return None
        return float(node.latitude), float(node.longitude)


# ---------------------------------------------------------------- history, for roll-ups as of a year


@dataclass(frozen=True)
class Record:
    """What the containment history needs of one gazetteer node: its classes (IRIs), parents,
    years of validity (a half-open span, None where the records say nothing) and replacements."""

    classes: tuple[str, ...]
    parents: tuple[str, ...]
    valid_from: int | None
    valid_until: int | None
    replaced_by: tuple[str, ...]

    def in_force(self, year: int) -> bool:
        """In force at the end of ``year``: validFrom <= year < validUntil."""
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_until is None or year < self.valid_until)


class History:
    """The gazetteer's nodes as :class:`Record` objects, read from the generated blocks when
    asked (a load names a few thousand divisions at most, the gazetteer holds 71,000 quads), and
    the nodes each one replaced (the inverse of ``dcterms:isReplacedBy``). Used by
    :func:`kg.rdf.containment.territory_changes`."""

    def __init__(self, paths: list[Path]) -> None:
        self.files = [blocks_of(p) for p in paths]
        self._records: dict[str, Record | None] = {}
        self._replaced: dict[str, list[str]] | None = None

    def knows(self, iri: str) -> bool:
        """Whether the gazetteer has a node of this IRI."""
        return any(iri in f.blocks for f in self.files)

    def record(self, iri: str) -> Record | None:
        """The node's record, or None when the gazetteer has no such node."""
        if iri in self._records:
            return self._records[iri]
        classes: list[str] = []
        parents: list[str] = []
        replaced: list[str] = []
        years: dict[str, int] = {}
        found = False
        for f in self.files:
            for chunk in f.blocks.get(iri, ()):
                found = True
                lines = [line.strip() for line in chunk.splitlines()]
                lines[0] = lines[0].split(None, 1)[1]  # (the subject's first predicate follows it)
                for line in lines:
                    if line.startswith("a "):
                        classes.extend(f.expand(t.strip()) for t in line[2:].rstrip(" ;.").split(","))
                    elif line.startswith(_PARENT):
                        parents.extend(parents_in(f, line))
                    elif line.startswith(("kg:validFrom ", "kg:validUntil ")):
                        year = _YEAR.search(line)
                        if year:
                            years[line.split(None, 1)[0]] = int(year.group(1))
                    elif line.startswith("dcterms:isReplacedBy "):
                        objects = line[len("dcterms:isReplacedBy ") :].rstrip(" ;.")
                        replaced.extend(f.expand(t.strip()) for t in objects.split(","))
        record = (
            Record(tuple(classes), tuple(parents), years.get("kg:validFrom"), years.get("kg:validUntil"), tuple(replaced))
            if found
            else None
        )
        self._records[iri] = record
        return record

    def replaced(self, iri: str) -> list[str]:
        """The nodes that ``iri`` replaced (those that say ``dcterms:isReplacedBy`` it), sorted."""
        if self._replaced is None:
            index: dict[str, list[str]] = {}
            for f in self.files:
                for subject, chunks in f.blocks.items():
                    if any("dcterms:isReplacedBy " in c for c in chunks):
                        record = self.record(subject)
                        for new in record.replaced_by if record else ():
                            index.setdefault(new, []).append(subject)
            self._replaced = {k: sorted(set(v)) for k, v in index.items()}
        return self._replaced.get(iri, [])

    def years(self) -> tuple[int, int] | None:
        """The first and last years the records name (validFrom, validUntil), or None."""
        found = [int(y) for f in self.files for chunks in f.blocks.values() for c in chunks for y in _YEAR.findall(c)]
        return (min(found), max(found)) if found else None


def gazetteer_history() -> History:
    """The project's gazetteer as a :class:`History` (what :func:`kg.rdf.containment.changes_of`
    reads for the territory changes)."""
    return History(kg_paths.gazetteer_files())
