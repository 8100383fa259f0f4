"""Competency questions: SPARQL over the project's graph, with the answers the articles give.

Names are compared as the articles print them (case and spacing folded), so a test does not
restate the data's IRIs where the article gives a name. Expected sets are the articles' facts;
facts added later by other articles must not change them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from rdflib import Dataset, URIRef

from kg.validate.article import fold
from kg.namespaces import ORG, PARK, PLACE, sparql_prologue

BAOTOU_PARK = PARK["baotou-equipment-manufacturing-industrial-park"]


def names(text: str) -> str:
    return fold(text).casefold()


def select(ds: Dataset, query: str, **bindings: object) -> list[tuple]:
    return [tuple(row) for row in ds.query(sparql_prologue() + query, initBindings=bindings)]  # type: ignore[arg-type]


# --- all firms in Inner Mongolia, at any depth of containment -------------------------------

FIRMS_IN = """
SELECT DISTINCT ?firm WHERE {
  ?firm a kg:Firm .
  { ?firm (kg:locatedIn|kg:headquarteredIn)+ ?region }
  UNION
  { ?site kg:facilityOf ?firm ; (kg:locatedIn|kg:headquarteredIn)+ ?region }
}
"""

IN_OTHER_PROVINCE = """
SELECT DISTINCT ?firm ?province WHERE {
  ?firm a kg:Firm ; (kg:locatedIn|kg:headquarteredIn)+ ?province .
  ?province a kg:ProvinceLevelDivision .
  FILTER(?province != place:inner-mongolia)
}
"""

# 2022: First Machinery Group's plant is in Qingshan district; Jiangsu Laohu's northwest regional
# operations centre is to be based in the park. 2017: the park's supporting enterprises.
BAOTOU_FIRMS = {
    ORG["first-machinery-group"],
    ORG["north-heavy-industries-group"],
    ORG["jiangsu-laohu-cloud-technology"],
}


@pytest.mark.parametrize(
    "region", ["inner-mongolia", "baotou", "qingshan-district", "north-china", "china"]
)
def test_firms_in_inner_mongolia_at_every_level(project_dataset: Dataset, region: str):
    found = {row[0] for row in select(project_dataset, FIRMS_IN, region=PLACE[region])}
    assert BAOTOU_FIRMS <= found


def test_firms_in_inner_mongolia_are_not_elsewhere(project_dataset: Dataset):
    found = {row[0] for row in select(project_dataset, FIRMS_IN, region=PLACE["inner-mongolia"])}
    elsewhere = {row[0] for row in select(project_dataset, IN_OTHER_PROVINCE)}
    assert found & elsewhere == set()
    assert elsewhere, "the other articles' firms are in other provinces"
    # the same question about Shanxi finds Shanxi's firms and none of Baotou's
    in_shanxi = {row[0] for row in select(project_dataset, FIRMS_IN, region=PLACE["shanxi"])}
    assert in_shanxi and not in_shanxi & BAOTOU_FIRMS


def test_firms_in_the_park_only_through_the_park(project_dataset: Dataset):
    found = {row[0] for row in select(project_dataset, FIRMS_IN, region=BAOTOU_PARK)}
    assert BAOTOU_FIRMS <= found
    assert ORG["first-machinery-group"] in found


# --- the park's 2021 output value and its growth ---------------------------------------------

FIGURE = """
SELECT ?value ?unit ?yoy ?status WHERE {
  ?m a kg:Measurement ; kg:about ?park ; kg:measure ?measure ; kg:period "2021"^^xsd:gYear ;
     kg:value ?value ; kg:unit ?unit ; kg:status ?status .
  OPTIONAL { ?m kg:yoyChange ?yoy }
  FILTER(?unit = cur:CNY)
}
"""


@pytest.mark.parametrize(
    ("measure", "value", "yoy"),
    [
        # "In 2021, the park's output value was 79.14 billion yuan ($11.8 billion), a year-on-year
        # increase of 31.46 percent, while tax revenue was 1.8 billion yuan, up 6.7 percent."
        ("output-value", "79140000000", "31.46"),
        ("tax-revenue", "1800000000", "6.7"),
    ],
)
def test_park_2021_figures_and_growth(project_dataset: Dataset, measure: str, value: str, yoy: str):
    from kg.namespaces import CUR, KGM, KGS

    rows = select(project_dataset, FIGURE, park=BAOTOU_PARK, measure=KGM[measure])
    assert [(r[0].toPython(), r[1], r[2].toPython(), r[3]) for r in rows] == [
        (Decimal(value), CUR.CNY, Decimal(yoy), KGS.reported)
    ]


def test_the_park_is_found_by_its_2022_name(project_dataset: Dataset):
    rows = select(
        project_dataset,
        'SELECT DISTINCT ?park WHERE { ?park skos:altLabel|skos:prefLabel ?n . FILTER(STR(?n) = "Baotou Equipment Park") }',
    )
    assert rows == [(BAOTOU_PARK,)]


# --- who holds which role in which organisation ---------------------------------------------

ROLES = """
SELECT DISTINCT ?m ?pname ?role ?oname WHERE {
  ?m a kg:Membership ; org:member ?person ; org:role ?role ; org:organization ?org .
  ?person skos:prefLabel|rdfs:label|skos:altLabel ?pname .
  ?org skos:prefLabel|rdfs:label|skos:altLabel ?oname .
}
"""

# Every named person the five articles give a post, as the articles print it.
EXPECTED_ROLES = {
    ("Chen Jun", "ceo", "Jiangsu Laohu Cloud Technology Co"),
    ("Que Wenxiu", "president", "SND New Energy Special Vehicle"),
    (
        "Wu Jingsheng",
        "executive-vice-president",
        "Changsha Construction Machinery Industry Association",
    ),
    ("Kang Xiaoping", "director", "Changsha municipal industry and information technology bureau"),
}


def test_who_holds_which_role_in_which_organisation(project_dataset: Dataset):
    from kg.namespaces import KGROLE

    memberships: dict[URIRef, tuple[set[str], URIRef, set[str]]] = defaultdict(
        lambda: (set(), URIRef(""), set())
    )
    for m, pname, role, oname in select(project_dataset, ROLES):
        people, _, orgs = memberships[m]
        people.add(names(pname))
        orgs.add(names(oname))
        memberships[m] = (people, role, orgs)
    assert len(memberships) == len(EXPECTED_ROLES)
    for person, role, org in sorted(EXPECTED_ROLES):
        matches = [
            m
            for m, (people, r, orgs) in memberships.items()
            if names(person) in people and r == KGROLE[role] and names(org) in orgs
        ]
        assert len(matches) == 1, f"{person}, {role} of {org}"


# --- the seven sub-parks of the Baotou park --------------------------------------------------

SUB_PARKS = """
SELECT DISTINCT ?sub ?name WHERE {
  ?sub a kg:SubPark ; kg:subParkOf ?park ; kg:locatedIn ?park .
  ?sub skos:prefLabel|skos:altLabel ?name .
}
"""

# "The park has seven sub parks, the “Chinese Weapons” Baotou High-end Equipment Park, a new-style
# industrial park, the Peking Science and Technology Park, the Lide Motor Center, a small and
# medium-sized private enterprise park, a supporting park for production and living and the
# Sino-German Equipment Industrial Park."
SEVEN = [
    "“Chinese Weapons” Baotou High-end Equipment Park",
    "new-style industrial park",
    "Peking Science and Technology Park",
    "Lide Motor Center",
    "small and medium-sized private enterprise park",
    "supporting park for production and living",
    "Sino-German Equipment Industrial Park",
]


def test_the_seven_sub_parks(project_dataset: Dataset):
    by_park: dict[URIRef, set[str]] = defaultdict(set)
    for sub, name in select(project_dataset, SUB_PARKS, park=BAOTOU_PARK):
        by_park[sub].add(names(name))
    assert len(by_park) == 7
    matched = {
        name: [sub for sub, labels in by_park.items() if names(name) in labels] for name in SEVEN
    }
    assert {name: len(subs) for name, subs in matched.items()} == {name: 1 for name in SEVEN}
    assert len({subs[0] for subs in matched.values()}) == 7


def test_sub_parks_are_in_inner_mongolia(project_dataset: Dataset):
    rows = select(
        project_dataset,
        "SELECT (COUNT(DISTINCT ?sub) AS ?n) WHERE { ?sub kg:subParkOf ?park ; kg:locatedIn+ place:inner-mongolia }",
        park=BAOTOU_PARK,
    )
    assert rows[0][0].toPython() == 7
