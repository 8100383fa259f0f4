"""The gazetteer's history for roll-ups as of a year: each node's validity, parents and
replacements (:func:`kg.rdf.containment.territory_changes` reads them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg import paths as kg_paths
from kg.rdf.gazetteer.blocks import YEAR, Node, blocks_of, read_into



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

    def record(self, iri: str) -> Record | None:
        """The node's record, or None when the gazetteer has no such node."""
        if iri in self._records:
            return self._records[iri]
        node, classes, found = Node(iri, [], [], None, None, [], []), [], False
        for f in self.files:
            for chunk in f.blocks.get(iri, ()):
                found = True
                seen = len(node.classes)
                read_into(f, chunk, node)
                classes.extend(f.expand(c) for c in node.classes[seen:])  # (as IRIs: written as CURIEs)
        record = (
            Record(tuple(classes), tuple(node.parents), node.valid_from, node.valid_until, tuple(node.replaced_by))
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
        found = [int(y) for f in self.files for chunks in f.blocks.values() for c in chunks for y in YEAR.findall(c)]
        return (min(found), max(found)) if found else None


def gazetteer_history() -> History:
    """The project's gazetteer as a :class:`History` (what :func:`kg.rdf.containment.changes_of`
    reads for the territory changes)."""
    return History(kg_paths.gazetteer_files())
