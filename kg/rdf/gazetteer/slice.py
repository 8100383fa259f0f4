"""The slice: the gazetteer's nodes some data names, their ancestors and their blocks, as TriG."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, URIRef

from kg.rdf.containment import is_derived
from kg.rdf.gazetteer.blocks import BlockFile, blocks_of, parents_in


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
