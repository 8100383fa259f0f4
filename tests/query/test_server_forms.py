"""Named queries spelled so that every server answers them alike (Virtuoso 7.2.5 drops rows of a
class path `a/rdfs:subClassOf*` and cannot compile `EXISTS { ?x kg:within? ?region }`:
docs/scale.md) give the answers of their plain SPARQL form, in rdflib and in an Oxigraph store,
for every place of the project's data and of a class hierarchy the project lacks: subclasses of
kg:Firm and kg:Event two levels deep, a firm of two classes, a park with no container, an event
with no place. (tests/backends/test_servers.py compares their answers on Virtuoso.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.backends.bulk import load_store
from kg.backends.memory import MemoryBackend
from kg.backends.oxigraph import StoreBackend
from kg.query.library import bind_params, find_named
from kg.rdf.loading import load_inputs

ROOT = Path(__file__).resolve().parents[2]

#: Per query: (the text in the named query, its plain form) for each part spelled for the servers.
PLAIN_FORMS: dict[str, list[tuple[str, str]]] = {
    "firms-in-region": [
        ("{ ?firm a kg:Firm } UNION { ?firm a/rdfs:subClassOf+ kg:Firm }", "?firm a/rdfs:subClassOf* kg:Firm ."),
        *[(f"{{ ?site kg:within ?region . {site} }} UNION {{ {region} }}", f"{site} .") for site, region in (
            ("?firm kg:locatedIn ?site", "?firm kg:locatedIn ?region"),
            ("?firm kg:headquarteredIn ?site", "?firm kg:headquarteredIn ?region"),
            ("?site kg:facilityOf|kg:operatedBy ?firm", "?region kg:facilityOf|kg:operatedBy ?firm"),
            ("?site kg:supportingEnterprise ?firm", "?region kg:supportingEnterprise ?firm"),
        )],
        ("  }\n}\nORDER BY", "  }\n  ?site kg:within? ?region .\n}\nORDER BY"),
    ],
    "events": [
        ("(BOUND(?location) && (?location = ?region || EXISTS { ?location kg:within ?region }))",
         "(BOUND(?location) && EXISTS { ?location kg:within? ?region })"),
    ],
}

HIERARCHY = """\
@prefix kg: <https://w3id.org/kg/ont#> .
@prefix place: <https://w3id.org/kg/id/place/> .
@prefix park: <https://w3id.org/kg/id/park/> .
@prefix orgn: <https://w3id.org/kg/id/org/> .
@prefix event: <https://w3id.org/kg/id/event/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .

<https://w3id.org/kg/graph/class-hierarchy-test> {
  ex:SubFirm rdfs:subClassOf kg:Firm .
  ex:SubSubFirm rdfs:subClassOf ex:SubFirm .
  ex:Fair rdfs:subClassOf kg:Exhibition .
  orgn:sub-a a ex:SubFirm ; rdfs:label "Sub A"@en ; kg:locatedIn place:baotou .
  orgn:sub-b a ex:SubSubFirm ; rdfs:label "Sub B"@en .
  orgn:sub-c a ex:SubFirm, kg:Firm ; rdfs:label "Sub C"@en ; kg:headquarteredIn place:changsha .
  park:baotou-equipment-manufacturing-industrial-park kg:supportingEnterprise orgn:sub-b, orgn:sub-c .
  park:unplaced-test-park a kg:IndustrialPark ; rdfs:label "Unplaced test park"@en ; kg:operatedBy orgn:sub-a .
  event:fair-1 a ex:Fair, kg:Event ; rdfs:label "Fair 1"@en ; kg:date "2021-05-01"^^xsd:date ;
    kg:eventLocation place:changsha ; kg:participant orgn:sub-c .
  event:nowhere a kg:Conference ; rdfs:label "Nowhere conference"@en ; kg:date "2021-06-01"^^xsd:date .
}
"""

#: Regions of every kind: the country down to a district, parks and a facility that are sites
#: themselves (one with no container), places with nothing in them.
PLACES = [
    URIRef(f"https://w3id.org/kg/id/{p}") for p in (
        "place/china", "place/north-china", "place/inner-mongolia", "place/baotou", "place/qingshan-district",
        "park/baotou-equipment-manufacturing-industrial-park", "park/unplaced-test-park",
        "infra/jiangsu-laohu-cloud-technology-northwest-regional-operations-center",
        "place/shanxi", "place/jinzhou", "place/hunan", "place/changsha",
    )
]


def plain_form(name: str, text: str) -> str:
    for ours, plain in PLAIN_FORMS[name]:
        assert text.count(ours) == 1, f"{name}: the query no longer holds {ours!r}"
        text = text.replace(ours, plain)
    return text


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    """The project's data with the class hierarchy, in rdflib and in an Oxigraph store."""
    home = tmp_path_factory.mktemp("kg-home")
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, home / part)
    (home / "data" / "graphs" / "900-class-hierarchy-test.trig").write_text(HIERARCHY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_HOME", str(home))
        load_store(home / "store")
        found = {"memory": MemoryBackend(load_inputs(None)), "store": StoreBackend(home / "store")}
        yield found
        found["store"].close()


def answers(backend, name: str, params: dict) -> dict[str, list]:
    text = find_named(name).text
    return {
        form: (result.columns, result.rows)
        for form, q in (("named", text), ("plain", plain_form(name, text)))
        for result in [backend.query(q, params=params, source=name)]
    }


@pytest.mark.parametrize("backend", ["memory", "store"])
def test_firms_in_region_is_its_plain_form(backends, backend):
    firms: dict[str, set[str]] = {}
    for place in PLACES:
        got = answers(backends[backend], "firms-in-region", {"region": place})
        assert got["named"] == got["plain"], place
        firms[str(place)] = {str(row[0]) for row in got["named"][1]}
    org = "https://w3id.org/kg/id/org/"
    assert {f"{org}sub-{x}" for x in "abc"} <= set().union(*firms.values())  # subclasses at both depths
    assert firms["https://w3id.org/kg/id/park/unplaced-test-park"] == {f"{org}sub-a"}  # the site is the region


@pytest.mark.parametrize("backend", ["memory", "store"])
def test_events_is_its_plain_form(backends, backend):
    year = bind_params(backends["memory"].ds, find_named("events").header, {"year": "2021"})
    seen: set[str] = set()
    for place in PLACES:  # (without a region the two forms are one)
        for params in ({"region": place}, {**year, "region": place}):
            got = answers(backends[backend], "events", params)
            assert got["named"] == got["plain"], params
            seen |= {str(row[0]) for row in got["named"][1]}
    assert "https://w3id.org/kg/id/event/fair-1" in seen
    assert "https://w3id.org/kg/id/event/nowhere" not in seen  # held nowhere: in no region
