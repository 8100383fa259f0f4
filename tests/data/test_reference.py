"""Reference data in the project's graph: the gazetteer's slice (kg.rdf.gazetteer) that links the
articles' places to China's divisions.

The articles' places are the gazetteer's nodes (one node per real thing): every division an
article names has its code and its parent from the gazetteer, and nothing the articles say
contradicts it. The checks run on the project's graph as loaded, so they hold for any valid
addition to data/ (a sixth article naming a new county pulls that county into the slice).
"""

from __future__ import annotations

import re
from functools import cache

from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.namespaces import KG
from kg.rdf.loading import load_project

#: Classes a GB/T 2260 code can belong to.
DIVISIONS = {KG.ProvinceLevelDivision, KG.PrefectureLevelCity, KG.District}
CODE = re.compile(r"^[0-9]{6}$")


@cache
def project() -> Dataset:
    return load_project()


def _split() -> tuple[Graph, Graph]:
    """The union of the article graphs and the union of the reference graphs."""
    ds = project()
    articles, reference = Graph(), Graph()
    for g in ds.graphs():
        if not isinstance(g.identifier, URIRef) or not len(g):
            continue
        if (g.identifier, PROV.wasDerivedFrom, None) in g:
            articles += g
        elif (g.identifier, RDF.type, KG.ReferenceGraph) in g:
            reference += g
    return articles, reference


@cache
def articles() -> Graph:
    return _split()[0]


@cache
def reference() -> Graph:
    return _split()[1]


def _codes(graph: Graph) -> dict[URIRef, str]:
    return {node: str(code) for node, code in graph.subject_objects(KG.adminCode) if isinstance(node, URIRef)}


def test_the_project_has_reference_graphs_and_articles():
    assert len(reference()) > 0 and len(articles()) > 0


def test_reference_graphs_describe_themselves():
    ds = project()
    names = sorted(set(ds.subjects(RDF.type, KG.ReferenceGraph)))
    assert names, "no kg:ReferenceGraph in the project's graph"
    for name in names:
        for prop in (DCTERMS.source, DCTERMS.title, RDFS.comment):
            values = list(ds.objects(name, prop))
            assert len(values) == 1 and str(values[0]).strip(), f"{name}: needs one {prop}"


def test_every_division_the_articles_name_has_one_code():
    """Every article place of a division class is a gazetteer node: one six-digit code."""
    data = project()
    named = {n for n in articles().subjects(RDF.type, None) if set(data.objects(n, RDF.type)) & DIVISIONS}
    assert named, "no division in the articles"
    wrong = {str(n): [str(c) for c in data.objects(n, KG.adminCode)] for n in named}
    wrong = {n: c for n, c in wrong.items() if len(c) != 1 or not CODE.match(c[0])}
    assert not wrong, f"divisions without exactly one GB/T 2260 code (not the gazetteer's IRI?): {wrong}"


def test_codes_are_strings_and_unique():
    codes = _codes(reference())
    assert codes
    for node, code in codes.items():
        [lit] = list(reference().objects(node, KG.adminCode))
        assert isinstance(lit, Literal) and lit.datatype in (None, XSD.string), node
    assert len(set(codes.values())) == len(codes), "two nodes share a code"


def test_code_level_matches_class():
    """A province's code ends in 0000, a prefecture-level city's in 00 (not 0000), a
    district's not in 00."""
    data = project()
    wrong = []
    for node, code in sorted(_codes(reference()).items()):
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
    data = project()
    codes = _codes(reference())
    checked, wrong = 0, []
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


def test_the_slice_holds_only_what_the_data_names_and_its_ancestors():
    """A coded node occurs in some article graph, or contains one that does (the slice is cut
    to the data: kg.rdf.gazetteer)."""
    ref, arts = reference(), articles()
    codes = _codes(ref)
    used = {n for n in codes if (n, None, None) in arts or (None, None, n) in arts}
    containers = {o for s in used for o in ref.transitive_objects(s, KG.locatedIn)}
    unused = sorted(str(n) for n in codes if n not in used | containers)
    assert not unused, f"coded divisions no article needs: {unused}"


def test_no_admin_code_in_an_article_graph():
    in_articles = sorted(str(s) for s, _, _ in articles().triples((None, KG.adminCode, None)))
    assert not in_articles, f"kg:adminCode belongs to the gazetteer only: {in_articles}"


def test_the_articles_containment_of_divisions_agrees_with_the_gazetteer():
    """Where an article puts a coded division directly in another coded division, the gazetteer
    has the same link, or the outer one is an ancestor of the inner one there."""
    ref, codes = reference(), _codes(reference())
    wrong = []
    for s, o in articles().subject_objects(KG.locatedIn):
        if s in codes and o in codes and o not in set(ref.transitive_objects(s, KG.locatedIn)):
            wrong.append((str(s), str(o)))
    assert not wrong, f"the articles contradict the gazetteer: {wrong}"


def test_gazetteer_containment_is_division_in_division_or_country():
    """Only what GB/T 2260 says: a division in a division or in China, never in a macro-region."""
    data = project()
    allowed = DIVISIONS | {KG.Country}
    wrong = []
    for s, o in sorted(reference().subject_objects(KG.locatedIn)):
        inner, outer = set(data.objects(s, RDF.type)), set(data.objects(o, RDF.type))
        if not inner & (DIVISIONS | {KG.DevelopmentZone}) or not outer & allowed or KG.MacroRegion in outer:
            wrong.append((str(s), str(o)))
    assert not wrong, wrong


def _english(graph: Graph, node: object, prop: URIRef) -> set[str]:
    return {str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == "en"}  # type: ignore[arg-type]


def test_gazetteer_labels_agree_with_the_articles():
    """Each gazetteer node has one English prefLabel and the same rdfs:label; an article graph
    that names the node uses the same prefLabel."""
    ref, arts = reference(), articles()
    nodes = set(ref.subjects(KG.adminCode, None)) | set(ref.objects(None, KG.locatedIn))
    assert nodes
    disagree = []
    for node in sorted(nodes):
        mine = _english(ref, node, SKOS.prefLabel)
        assert len(mine) == 1, f"{node}: needs one skos:prefLabel@en here, has {mine}"
        assert _english(ref, node, RDFS.label) == mine, f"{node}: rdfs:label != prefLabel"
        theirs = _english(arts, node, SKOS.prefLabel)
        if theirs and theirs != mine:
            disagree.append((str(node), sorted(mine), sorted(theirs)))
    assert not disagree, disagree


def test_known_case_qingshan_in_baotou_in_inner_mongolia():
    from kg.namespaces import PLACE

    data = project()
    assert str(data.value(PLACE["qingshan-district"], KG.adminCode)) == "150204"
    assert str(data.value(PLACE.baotou, KG.adminCode)) == "150200"
    assert str(data.value(PLACE["inner-mongolia"], KG.adminCode)) == "150000"
    assert PLACE.baotou in set(reference().objects(PLACE["qingshan-district"], KG.locatedIn))
    assert PLACE["inner-mongolia"] in set(reference().objects(PLACE.baotou, KG.locatedIn))
