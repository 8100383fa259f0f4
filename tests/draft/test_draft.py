"""kg.draft on short articles of our own: each pattern and each status, with the expected draft."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.draft import (DRAFT, REVIEW_STATUS, NameIndex, draft_file_name, draft_graph, parse_article,
                      text_file_name, write_draft)
from kg.draft.entities import recognise
from kg.namespaces import CUR, KG, KGM, KGROLE, KGS, ORG, PARK, PLACE, UNIT

ARTICLE = """Home > Business

Otog park draws new investors

Updated: 2019-05-20

Otog Economic Development Zone (内蒙古鄂托克经济开发区) is located in Ordos city, North China's Inner Mongolia autonomous region. Founded in 2003, the zone is engaged in coal chemicals, fine chemicals and new materials.

In 2018, the zone's output value was 54 billion yuan, up 12.5 percent, while tax revenue was 3.2 billion yuan, a year-on-year increase of 8 percent.

The zone has three sub parks, the Qipanjing Industrial Park, the Aerxiang Industrial Park and the Otog Logistics Park.

So far, more than 120 enterprises have settled in the zone, bringing with them investment of 1.8 trillion yuan, of which 300 billion has been put into production.

The zone plans to attract 50 new projects by 2022. Its planned area is about 10,000 square meters.

"We are expecting revenue of nearly 2 billion yuan this year," said Zhang Wei, president of Mengxi Chemical Co., Ltd.

In the first three quarters, the company produced up to 6,000 tonnes of methanol, with an estimated output value of 900 million yuan.

Copyright 2019 Inner Mongolia Daily. All rights reserved.
"""


@pytest.fixture(scope="module")
def index() -> NameIndex:
    g = Graph()
    g.add((PLACE.ordos, RDF.type, KG.PrefectureLevelCity))
    g.add((PLACE.ordos, SKOS.prefLabel, Literal("Ordos", lang="en")))
    g.add((PLACE.ordos, SKOS.altLabel, Literal("鄂尔多斯市", lang="zh")))
    g.add((PLACE["inner-mongolia"], RDF.type, KG.ProvinceLevelDivision))
    g.add((PLACE["inner-mongolia"], SKOS.prefLabel, Literal("Inner Mongolia", lang="en")))
    g.add((PLACE["north-china"], RDF.type, KG.MacroRegion))
    g.add((PLACE["north-china"], RDFS.label, Literal("North China", lang="en")))
    idx = NameIndex.from_dataset(g)
    idx.add(PLACE.ordos, "150600", "place")  # a gazetteer code, as the integrator will feed them
    return idx


@pytest.fixture(scope="module")
def article():
    return parse_article(ARTICLE, file_name="007_0123456789abcdef.txt")


@pytest.fixture(scope="module")
def draft(article, index):
    return draft_graph(article, index)


def _figs(draft):
    return {(f.value, f.unit, f.period, f.status): f for f in draft.figures}


def test_metadata(article):
    assert article.title == "Otog park draws new investors"
    assert article.date.isoformat() == "2019-05-20"
    assert article.publisher == "Inner Mongolia Daily"
    assert all(ARTICLE[s.start:s.end] == s.text for s in article.sentences)
    assert not any("Copyright" in s.text for s in article.sentences)


def test_entities_by_form_index_and_brackets(draft, index):
    e = draft.entities.by_iri
    zone = PARK["otog-economic-development-zone"]
    assert e[zone].cls == KG.DevelopmentZone and not e[zone].existing
    assert ("内蒙古鄂托克经济开发区", "zh") in e[zone].alt_labels
    assert e[PLACE.ordos].existing  # "Ordos city" linked to place:ordos
    assert e[ORG["mengxi-chemical"]].cls == KG.Firm
    assert index.lookup("150600") == [PLACE.ordos]
    assert index.lookup("鄂尔多斯") == [PLACE.ordos]


def test_relations(draft):
    rels = {(r.subject, r.predicate, r.object) for r in draft.relations}
    zone = PARK["otog-economic-development-zone"]
    assert (zone, KG.locatedIn, PLACE.ordos) in rels
    assert (PLACE["inner-mongolia"], KG.locatedIn, PLACE["north-china"]) in rels
    assert (zone, KG.foundingYear, Literal("2003", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))) in rels
    industries = {str(o).rsplit("/", 1)[-1] for s, p, o in rels if p == KG.industry}
    assert industries == {"coal-chemicals", "fine-chemicals", "new-materials"}
    subs = {str(s).rsplit("/", 1)[-1] for s, p, o in rels if p == KG.subParkOf and o == zone}
    assert subs == {"qipanjing-industrial-park", "aerxiang-industrial-park", "otog-logistics-park"}
    (post,) = draft.posts
    assert post.role == KGROLE.president and post.organization == ORG["mengxi-chemical"]
    assert str(post.person).endswith("/person/zhang-wei")


def test_figures_values_units_periods_statuses(draft):
    f = _figs(draft)
    zone = PARK["otog-economic-development-zone"]
    out = f[(Decimal("54e9"), CUR.CNY, "2018", KGS.reported)]
    assert out.measure == KGM["output-value"] and out.yoy == Decimal("12.5") and out.about == zone
    tax = f[(Decimal("3.2e9"), CUR.CNY, "2018", KGS.reported)]
    assert tax.measure == KGM["tax-revenue"] and tax.yoy == Decimal("8")
    ent = f[(Decimal(120), UNIT.NUM, "2019-05-20", KGS["lower-bound"])]  # "so far": the article's date
    assert ent.measure == KGM.enterprises
    assert f[(Decimal("1.8e12"), CUR.CNY, "2019-05-20", KGS.reported)].measure == KGM.investment
    part = f[(Decimal("3e11"), CUR.CNY, "2019-05-20", KGS.reported)]  # "of which 300 billion"
    assert part.measure == KGM["investment-in-production"]
    plan = f[(Decimal(50), UNIT.NUM, "2022", KGS.target)]  # "by 2022" in the future: a target
    assert plan.measure == KGM.projects
    area = f[(Decimal(10000), UNIT.M2, "2019-05-20", KGS.approximate)]
    assert area.measure == KGM["area-planned"]
    rev = f[(Decimal("2e9"), CUR.CNY, "2019", KGS.forecast)]
    assert rev.qualifier == KGS.approximate and rev.measure == KGM.revenue
    assert rev.about == ORG["mengxi-chemical"]
    t = f[(Decimal(6000), UNIT.TONNE, "2019", KGS["upper-bound"])]
    assert t.measure == KGM["units-produced"] or t.measure == KGM["production-capacity"]
    est = f[(Decimal("9e8"), CUR.CNY, "2019", KGS.estimate)]
    assert est.measure == KGM["output-value"]
    # no year-on-year percentage drafted as a figure of its own
    assert not [x for x in draft.figures if x.unit == UNIT.PERCENT]


def test_percent_and_plan_status():
    text = ("Title of a test\n\nUpdated: 2020-01-02\n\nAcme Group raised production efficiency by 15 percent. "
            "Acme Group will build 3 new factories.\n")
    ds = draft_graph(parse_article(text))
    f = {(x.value, x.unit): x for x in ds.figures}
    assert f[(Decimal(15), UNIT.PERCENT)].measure == KGM["efficiency-gain"]
    assert f[(Decimal(3), UNIT.NUM)].status == KGS.plan
    assert f[(Decimal(3), UNIT.NUM)].period == "2020"


def test_unknown_measure_is_drafted_for_review():
    text = "A test\n\nUpdated: 2021-03-04\n\nThe Foo Industrial Park recorded 7.5 billion yuan in 2020.\n"
    ds = draft_graph(parse_article(text))
    (fig,) = ds.figures
    assert fig.measure is None and "measure not recognised" in fig.review
    trig = write_draft(parse_article(text), ds)
    assert "kgm:unspecified" in trig and "kgs:needs-review" in trig


def test_trig_parses_is_deterministic_and_evidence_exact(article, index):
    a = write_draft(article, draft_graph(article, index))
    b = write_draft(article, draft_graph(article, index))
    assert a == b
    ds = Dataset()
    ds.parse(data=a, format="trig")
    graphs = [g for g in ds.graphs() if len(g)]
    assert len(graphs) == 1
    g = graphs[0]
    for ev in g.objects(None, KG.evidence):
        assert str(ev) in ARTICLE
    for m in g.subjects(RDF.type, KG.Measurement):
        assert g.value(m, REVIEW_STATUS) in (DRAFT, KGS["needs-review"])
        for p in (KG.about, KG.measure, KG.value, KG.unit, KG.period, KG.status, KG.statedAs, KG.sourceArticle):
            assert g.value(m, p) is not None
    assert "# why:" in a


def test_file_names(article):
    assert draft_file_name(article, id=7) == "007-otog-park-draws-investors-2019.trig"
    assert text_file_name(article, id=7).startswith("007_") and len(text_file_name(article, 7)) == len("007_") + 16 + 4


# --- linking patterns: each with a short article of its own ---------------------------------------

def _index(*nodes: tuple[URIRef, URIRef, str]) -> NameIndex:
    g = Graph()
    for iri, cls, label in nodes:
        g.add((iri, RDF.type, cls))
        g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
    return NameIndex.from_dataset(g)


def _linked(text: str, index: NameIndex) -> dict[URIRef, bool]:
    ents = recognise(parse_article("A title for a test\n\nUpdated: 2023-05-06\n\n" + text + "\n"), index)
    return {iri: e.existing for iri, e in ents.by_iri.items()}


TECH = URIRef("https://w3id.org/kg/id/technology/industrial-internet")
INDUSTRY = URIRef("https://w3id.org/kg/id/industry/industrial-internet")


@pytest.mark.parametrize(("text", "expected"), [
    ("The city uses technologies such as cloud computing and industrial internet to grow.", TECH),
    ("The city has fostered industries such as tourism and industrial internet this decade.", INDUSTRY),
    ("AI, 5G and industrial internet. The town adopted these technologies early.", TECH),  # the paragraph
])
def test_a_name_of_two_kinds_is_linked_by_its_context(text, expected):
    index = _index((TECH, KG.Technology, "industrial internet"), (INDUSTRY, KG.Industry, "industrial internet"))
    linked = _linked(text, index)
    assert expected in linked and ({TECH, INDUSTRY} - {expected}).isdisjoint(linked)


@pytest.mark.parametrize("text", [
    "The firm wants to extend its business into the northwest region of the country.",
    "The firm is a leader in China's northwest with many plants and offices.",
])
def test_macro_region_spelt_another_way_links_to_the_region(text):
    nw = PLACE["northwest-china"]
    assert _linked(text, _index((nw, KG.MacroRegion, "Northwest China"))) == {nw: True}


@pytest.mark.parametrize("spelling", ["No 1 machinery Group", "No. 1 Machinery Group", "1st Machinery Group"])
def test_an_ordinal_links_whichever_way_it_is_written(spelling):
    firm = ORG["first-machinery-group"]
    linked = _linked(f"The park hosts big firms such as {spelling} and many smaller suppliers.",
                     _index((firm, KG.Firm, "First Machinery Group")))
    assert linked.get(firm) is True


def test_a_district_of_a_city_is_the_district_located_in_the_city():
    qs, bt = PLACE["qingshan-district"], PLACE.baotou
    index = _index((qs, KG.District, "Qingshan District"), (bt, KG.PrefectureLevelCity, "Baotou"))
    text = ("A title for a test\n\nUpdated: 2023-05-06\n\n"
            "The Foo Industrial Park is located in Qingshan District of Baotou city, near the river.\n")
    ds = draft_graph(parse_article(text), index)
    assert {qs, bt} <= {i for i, e in ds.entities.by_iri.items() if e.existing}
    assert not [i for i in ds.entities.by_iri if "district-of" in str(i)]
    rels = {(r.subject, r.predicate, r.object) for r in ds.relations}
    assert (PARK["foo-industrial-park"], KG.locatedIn, qs) in rels


@pytest.mark.parametrize(("city", "expected"), [("Wuhan", "qingshan-district-420107"), ("Baotou", "qingshan-district")])
def test_two_places_of_one_name_are_told_apart_by_the_parent_the_article_names(city, expected):
    g = Graph()
    for iri, label, parent in ((PLACE["qingshan-district"], "Qingshan District", PLACE.baotou),
                               (PLACE["qingshan-district-420107"], "Qingshan District", PLACE.wuhan)):
        g.add((iri, RDF.type, KG.District))
        g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
        g.add((iri, KG.locatedIn, parent))
    for iri, label in ((PLACE.baotou, "Baotou"), (PLACE.wuhan, "Wuhan")):
        g.add((iri, RDF.type, KG.PrefectureLevelCity))
        g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
    linked = _linked(f"A steel plant opened in Qingshan District this spring. {city} welcomed it.",
                     NameIndex.from_dataset(g))
    assert PLACE[expected] in linked
    assert {PLACE["qingshan-district"], PLACE["qingshan-district-420107"]} - {PLACE[expected]} - set(linked)


def test_a_conjunct_is_not_read_as_a_short_form_of_the_coordination():
    both = URIRef("https://w3id.org/kg/id/industry/new-energy-and-new-materials")
    park = PARK["baotou-equipment-manufacturing-industrial-park"]
    index = _index((both, KG.Industry, "new energy and new materials"),
                   (park, KG.IndustrialPark, "Baotou Equipment Manufacturing Industrial Park"))
    ds = draft_graph(parse_article("A title for a test\n\nUpdated: 2023-05-06\n\n"
                                   "Founded in 2001, the Baotou Equipment Park is engaged in steel, new materials "
                                   "and solar power.\n"), index)
    industries = {o for r in ds.relations if r.predicate == KG.industry for o in [r.object]}
    assert both not in industries and URIRef("https://w3id.org/kg/id/industry/new-materials") in industries
    assert park in ds.entities.by_iri and ds.entities.by_iri[park].existing  # a real short form still links


def test_a_city_then_its_region_after_a_macro_region():
    wuhai, im = PLACE.wuhai, PLACE["inner-mongolia"]
    index = _index((wuhai, KG.PrefectureLevelCity, "Wuhai"), (im, KG.ProvinceLevelDivision, "Inner Mongolia"),
                   (PLACE["north-china"], KG.MacroRegion, "North China"))
    ds = draft_graph(parse_article("A title for a test\n\nUpdated: 2023-05-06\n\n"
                                   "The plant opened in Wuhai city, North China's Inner Mongolia autonomous region, "
                                   "last month.\n"), index)
    assert (wuhai, KG.locatedIn, im) in {(r.subject, r.predicate, r.object) for r in ds.relations}


def test_a_city_then_its_region_named_with_its_division_word():
    wuhai, im = PLACE.wuhai, PLACE["inner-mongolia"]
    index = _index((wuhai, KG.PrefectureLevelCity, "Wuhai"),
                   (im, KG.ProvinceLevelDivision, "Inner Mongolia Autonomous Region"))
    ds = draft_graph(parse_article("A title for a test\n\nUpdated: 2023-05-06\n\n"
                                   "The plant opened in Wuhai city, Inner Mongolia autonomous region, last month.\n"), index)
    assert (wuhai, KG.locatedIn, im) in {(r.subject, r.predicate, r.object) for r in ds.relations}


def test_a_macro_region_of_china_is_in_china_by_its_name():
    china = PLACE.china
    ds = draft_graph(parse_article("A title for a test\n\nUpdated: 2023-05-06\n\n"
                                   "The firm opened offices across central China and the Ruhr West region.\n"),
                     _index((china, KG.Country, "China")))
    rels = {(r.subject, r.predicate, r.object) for r in ds.relations}
    assert rels == {(PLACE["central-china"], KG.locatedIn, china)}
    assert ds.entities.by_iri[china].existing
