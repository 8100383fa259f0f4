"""Reference data (data/reference/*.trig): facts no article states, kept apart from the articles.

Checks that each reference graph describes itself and names its source, that division codes are
well-formed GB/T 2260 codes consistent with the classes and the containment, that every coded
division is one the articles need, and that no reference fact is repeated (or implied) by an
article graph.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.namespaces import KG
from kg.rdf.loading import load_file, new_dataset

# The project under test: the checkout, or the copy KG_HOME named when the suite started (every
# article in its data/, however many: these checks hold for any valid addition).
from tests.conftest import PROJECT as ROOT  # noqa: E402
REFERENCE_FILES = sorted((ROOT / "data" / "reference").glob("*.trig"))
ARTICLE_FILES = sorted((ROOT / "data" / "graphs").glob("*.trig"))

#: Predicates every graph repeats for its nodes (each graph is self-contained): names, not facts.
NAMING = {RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, KG.note, RDFS.comment}
#: Classes a GB/T 2260 code can belong to.
DIVISIONS = {KG.ProvinceLevelDivision, KG.PrefectureLevelCity, KG.District}

CODE = re.compile(r"^[0-9]{6}$")


def test_files_are_discovered():
    assert REFERENCE_FILES, "no data/reference/*.trig"
    assert ARTICLE_FILES, "no data/graphs/*.trig"


@cache
def _load(path: Path) -> Dataset:
    ds = new_dataset()
    load_file(ds, path)
    return ds


def _named_graphs(path: Path) -> list[Graph]:
    graphs = _load(path).graphs()
    return [g for g in graphs if len(g) and isinstance(g.identifier, URIRef)]


def _reference_graph(path: Path) -> Graph:
    graphs = _named_graphs(path)
    names = [str(g.identifier) for g in graphs]
    assert len(graphs) == 1, f"{path.name}: expected one named graph, found {names}"
    return graphs[0]


@cache
def _article_union() -> Graph:
    union = Graph()
    for path in ARTICLE_FILES:
        for g in _named_graphs(path):
            for triple in g:
                union.add(triple)
    return union


@cache
def _reference_union() -> Graph:
    union = Graph()
    for path in REFERENCE_FILES:
        for triple in _reference_graph(path):
            union.add(triple)
    return union


def _everything() -> Graph:
    return _reference_union() + _article_union()


def _codes(graph: Graph) -> dict[URIRef, str]:
    return {
        node: str(code)
        for node, code in graph.subject_objects(KG.adminCode)
        if isinstance(node, URIRef)
    }


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_reference_graph_describes_itself(path: Path):
    graph = _reference_graph(path)
    name = graph.identifier
    assert (name, RDF.type, KG.ReferenceGraph) in graph, f"{name}: not a kg:ReferenceGraph"
    assert (name, RDF.type, KG.ArticleGraph) not in graph
    for prop in (DCTERMS.source, DCTERMS.title, RDFS.comment):
        values = list(graph.objects(name, prop))
        assert len(values) == 1 and str(values[0]).strip(), f"{name}: needs one {prop}"


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_codes_are_six_digit_strings_one_per_node_and_unique(path: Path):
    graph = _reference_graph(path)
    per_node: dict[object, list[Literal]] = {}
    for node, code in graph.subject_objects(KG.adminCode):
        per_node.setdefault(node, []).append(code)  # type: ignore[arg-type]
    bad = {
        str(node): [str(c) for c in codes]
        for node, codes in per_node.items()
        if not isinstance(node, URIRef)
        or len(codes) != 1
        or not isinstance(codes[0], Literal)
        or codes[0].datatype not in (None, XSD.string)
        or not CODE.match(str(codes[0]))
    }
    assert not bad, f"kg:adminCode must be one six-digit string per node: {bad}"
    codes = [str(c[0]) for c in per_node.values()]
    assert len(codes) == len(set(codes)), "two nodes share a code"


def test_code_level_matches_class():
    """A province's code ends in 0000, a prefecture-level city's in 00 (not 0000), a
    district's not in 00."""
    data = _everything()
    codes = _codes(_reference_union())
    assert codes, "no kg:adminCode in the reference data"
    wrong = []
    for node, code in sorted(codes.items()):
        classes = set(data.objects(node, RDF.type))
        if not classes & DIVISIONS:
            wrong.append((str(node), code, "no division class"))
        if KG.ProvinceLevelDivision in classes and not code.endswith("0000"):
            wrong.append((str(node), code, "province"))
        if KG.PrefectureLevelCity in classes and (code.endswith("0000") or not code.endswith("00")):
            wrong.append((str(node), code, "prefecture-level city"))
        if KG.District in classes and code.endswith("00"):
            wrong.append((str(node), code, "district"))
    assert not wrong, wrong


def test_codes_agree_with_containment():
    """Where one coded division lies in another (in any graph, at any depth), the inner code
    begins with the outer one's significant digits (2 for a province, 4 for a city)."""
    data = _everything()
    codes = _codes(_reference_union())
    checked = 0
    wrong = []
    for inner, inner_code in sorted(codes.items()):
        for outer in data.transitive_objects(inner, KG.locatedIn):
            if outer == inner or outer not in codes:
                continue
            outer_code = codes[outer]  # type: ignore[index]
            prefix = outer_code[:2] if outer_code.endswith("0000") else outer_code[:4]
            checked += 1
            if not inner_code.startswith(prefix):
                wrong.append((str(inner), inner_code, str(outer), outer_code))
    assert checked, "no containment between coded divisions found"
    assert not wrong, wrong


def test_every_coded_division_is_used_by_an_article():
    """A coded node occurs in some article graph, or (like Liaoning) contains one that does."""
    reference = _reference_union()
    articles = _article_union()
    codes = _codes(reference)
    used = {n for n in codes if (n, None, None) in articles or (None, None, n) in articles}
    containers = {o for s in used for o in reference.transitive_objects(s, KG.locatedIn)}
    unused = sorted(str(n) for n in codes if n not in used | containers)
    assert not unused, f"coded divisions no article needs: {unused}"


def test_no_reference_fact_is_repeated_in_an_article_graph():
    articles = _article_union()
    in_articles = sorted(str(s) for s, _, _ in articles.triples((None, KG.adminCode, None)))
    assert not in_articles, f"kg:adminCode belongs in reference data only: {in_articles}"
    repeated = sorted(
        (str(s), str(p), str(o))
        for s, p, o in _reference_union()
        if p not in NAMING and (s, p, o) in articles
    )
    assert not repeated, f"an article states these already, drop them here: {repeated}"


def test_reference_containment_is_not_implied_by_the_articles():
    """A reference kg:locatedIn edge that the articles already imply (through a macro-region,
    say) would be a second, redundant path: leave it to the articles."""
    articles = _article_union()
    implied = sorted(
        (str(s), str(o))
        for s, o in _reference_union().subject_objects(KG.locatedIn)
        if o != s and o in set(articles.transitive_objects(s, KG.locatedIn))
    )
    assert not implied, f"already implied by article containment: {implied}"


def test_reference_containment_is_division_in_division_or_country():
    """Only what GB/T 2260 says: a division in a division or in China, never in a macro-region."""
    data = _everything()
    allowed = DIVISIONS | {KG.Country}
    wrong = []
    for s, o in sorted(_reference_union().subject_objects(KG.locatedIn)):
        inner, outer = set(data.objects(s, RDF.type)), set(data.objects(o, RDF.type))
        if not inner & DIVISIONS or not outer & allowed or KG.MacroRegion in outer:
            wrong.append((str(s), str(o)))
    assert not wrong, wrong


def _english(graph: Graph, node: object, prop: URIRef) -> set[str]:
    return {
        str(o)
        for o in graph.objects(node, prop)  # type: ignore[arg-type]
        if isinstance(o, Literal) and o.language == "en"
    }


def test_reference_labels_agree_with_the_articles():
    """Each reference node has one English prefLabel and an rdfs:label; an article graph that
    names the node uses the same prefLabel."""
    reference = _reference_union()
    articles = _article_union()
    nodes = set(reference.subjects(KG.adminCode, None)) | set(reference.objects(None, KG.locatedIn))
    assert nodes
    disagree = []
    for node in sorted(nodes):
        mine = _english(reference, node, SKOS.prefLabel)
        assert len(mine) == 1, f"{node}: needs one skos:prefLabel@en here, has {mine}"
        assert _english(reference, node, RDFS.label) == mine, f"{node}: rdfs:label != prefLabel"
        theirs = _english(articles, node, SKOS.prefLabel)
        if theirs and theirs != mine:
            disagree.append((str(node), sorted(mine), sorted(theirs)))
    assert not disagree, disagree
