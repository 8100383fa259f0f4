"""The gazetteer slice and index (kg.rdf.gazetteer): cut from the generated files by text, they
must say exactly what a full parse of the files says about the same nodes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, URIRef
from rdflib.namespace import Namespace

from kg import paths
from kg.errors import InputError
from kg.namespaces import KG
from kg.rdf.gazetteer import Gazetteer, blocks_of, closure, read_blocks, slice_text
from kg.rdf.containment import DERIVED_GRAPH, is_derived
from kg.rdf.loading import ProjectParts, literals_as_written, load_project

VOID = Namespace("http://rdfs.org/ns/void#")
FILES = paths.gazetteer_files()


def test_files_are_discovered():
    assert [p.name for p in FILES] == ["coordinates.trig", "divisions.trig", "history.trig", "zones.trig"]


@cache
def full() -> Dataset:
    ds = Dataset(default_union=True)
    with literals_as_written():
        for path in FILES:
            ds.parse(path, format="trig")
    return ds


def _about(ds: Dataset, nodes: set[str]) -> set[tuple]:
    """The quads whose subject is one of ``nodes`` or a graph's name (less the counts per class)."""
    graphs = {g.identifier for g in ds.graphs() if isinstance(g.identifier, URIRef) and len(g)}
    out = set()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if p == VOID.classPartition or isinstance(s, BNode):
            continue
        if str(s) in nodes or s in graphs:
            out.add((s, p, o, g.identifier if hasattr(g, "identifier") else g))
    return out


def _sliced(nodes: set[str]) -> Dataset:
    ds = Dataset()
    with literals_as_written():
        ds.parse(data=slice_text([blocks_of(p) for p in FILES], nodes), format="trig")
    return ds


def test_the_project_slice_is_what_a_full_parse_says_about_its_nodes():
    base = load_project(ProjectParts(gazetteer=False))
    with_slice = load_project()
    added = {q for q in with_slice.quads((None, None, None, None))} - {q for q in base.quads((None, None, None, None))}
    files = [blocks_of(p) for p in FILES]
    # (what the data names, not what kg derives from it: a territory change names abolished regions)
    named = {str(t) for *q, g in base.quads((None, None, None, None)) if not is_derived(getattr(g, "identifier", g)) for t in (q[0], q[2]) if isinstance(t, URIRef)}
    nodes = closure(files, named)
    assert "https://w3id.org/kg/id/place/baotou" in nodes and "https://w3id.org/kg/id/place/china" in nodes
    expected = _about(full(), nodes)
    derived = {str(DERIVED_GRAPH)}  # (the containment closure changes with the slice: not the gazetteer's)
    got = {(s, p, o, g) for s, p, o, g in added if not isinstance(s, BNode) and str(getattr(g, "identifier", g)) not in derived}
    assert got and got == {(s, p, o, g) for s, p, o, g in expected if (s, p, o, g) not in set(base.quads((s, p, o, g)))}


@pytest.mark.parametrize("step", [97, 1009])
def test_any_nodes_slice_as_a_full_parse_says(step: int):
    """A sample of every kind of node (divisions, abolished ones, zones, points)."""
    everything = sorted({str(s) for s in full().subjects() if isinstance(s, URIRef)})
    nodes = set(everything[::step])
    assert len(nodes) > 5
    assert {q for q in _sliced(nodes).quads((None, None, None, None)) if q[1] != VOID.classPartition} == _about(full(), nodes)


def test_the_index_agrees_with_a_full_parse():
    gaz = Gazetteer(FILES)
    ds = full()
    coded = {str(s): str(o) for s, o in ds.subject_objects(KG.adminCode)}
    assert coded and {i: n.code for i, n in gaz.nodes.items() if n.code} == coded
    parents = {}
    for s, o in ds.subject_objects(KG.locatedIn):
        parents.setdefault(str(s), set()).add(str(o))
    assert {i: set(n.parents) for i, n in gaz.nodes.items() if n.parents} == parents
    until = {str(s): int(str(o)) for s, o in ds.subject_objects(KG.validUntil)}
    assert {i: n.valid_until for i, n in gaz.nodes.items() if n.valid_until} == until
    since = {str(s): int(str(o)) for s, o in ds.subject_objects(KG.validFrom)}
    assert {i: n.valid_from for i, n in gaz.nodes.items() if n.valid_from} == since


@pytest.mark.parametrize(
    "name, code",
    [("包头", "150200"), ("包头市", "150200"), ("Baotou", "150200"), ("Baotou City", "150200"),
     ("baotou shi", "150200"), ("Bāotóu Shì", "150200"), ("150200", "150200"), ("内蒙古", "150000"),
     ("Inner Mongolia", "150000"), ("CN-NM", "150000"), ("Qingshan District", "150204")],
)
def test_names_resolve_in_every_form(name: str, code: str):
    gaz = Gazetteer(FILES)
    assert code in {gaz.nodes[i].code for i in gaz.find(name)}


def test_a_file_not_laid_out_by_the_build_is_refused_by_name(tmp_path: Path):
    bad = tmp_path / "bad.trig"
    bad.write_text("@prefix kg: <https://w3id.org/kg/ont#> .\nnot a graph\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.trig: not laid out as kg.reference.build writes it"):
        read_blocks(bad)
    with pytest.raises(InputError, match="missing.trig: no such file"):
        blocks_of(tmp_path / "missing.trig")
