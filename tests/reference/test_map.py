"""The map of the divisions a set of entities is in (kg.reference.map.divisions_of and
divisions_map_html), on a tiny graph whose answer is known by hand, on every file backend."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.backends.base import FILE_BACKENDS, open_backend
from kg.reference.map import SHADES, Division, divisions_map_html, divisions_of, read_outlines

PLACE = "https://w3id.org/kg/id/place/"

#: A firm in a park in a city in a province, a district in the city, a firm in nothing, and a
#: city with no code (not a division the map can place).
TINY = """@prefix kg: <https://w3id.org/kg/ont#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix place: <https://w3id.org/kg/id/place/> .
place:prov a kg:ProvinceLevelDivision ; skos:prefLabel "Prov"@en ; kg:adminCode "150000" .
place:city a kg:PrefectureLevelCity ; skos:prefLabel "City"@en ; kg:adminCode "150200" ;
    kg:locatedIn place:prov ; schema:latitude 40.6 ; schema:longitude 110.0 .
place:dist a kg:District ; skos:prefLabel "Dist"@en ; kg:adminCode "150204" ; kg:locatedIn place:city .
place:park a kg:IndustrialPark ; kg:locatedIn place:dist .
place:firm a kg:Firm ; kg:locatedIn place:park .
place:alone a kg:Firm .
place:nocode a kg:PrefectureLevelCity ; skos:prefLabel "No code"@en .
place:firm2 a kg:Firm ; kg:locatedIn place:nocode .
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("map") / "tiny.ttl"
    path.write_text(TINY, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("backend", FILE_BACKENDS)
def test_divisions_of_follow_containment_on_every_backend(tiny: str, backend: str):
    entities = [PLACE + n for n in ("firm", "city", "alone", "firm2", "dist")]
    with open_backend([tiny], backend=backend) as opened:
        found = divisions_of(opened, entities)
    assert found == [
        Division(PLACE + "prov", "Prov", "province", "150000", None, tuple(sorted(PLACE + n for n in ("city", "dist", "firm")))),
        Division(PLACE + "city", "City", "prefecture", "150200", (40.6, 110.0), tuple(sorted(PLACE + n for n in ("city", "dist", "firm")))),
    ]
    with open_backend([tiny], backend=backend) as opened:
        assert divisions_of(opened, [PLACE + "alone", PLACE + "firm2"]) == []


def test_map_shades_provinces_and_dots_cities():
    outlines = read_outlines()
    divisions = [
        Division(PLACE + "a", "A", "province", "150000", None, ("x1", "x2", "x3", "x4")),
        Division(PLACE + "b", "B <&>", "province", "430000", None, ("x1",)),
        Division(PLACE + "z", "Z", "province", "990000", None, ("x1",)),  # no outline
        Division(PLACE + "c", "C", "prefecture", "150200", (40.6, 110.0), ("x1", "x2")),
        Division(PLACE + "d", "D", "prefecture", "430100", None, ("x1",)),  # no point: listed only
    ]
    page = divisions_map_html(divisions, outlines)
    assert page == divisions_map_html(divisions, outlines)
    fills = dict(re.findall(r'<path class="province highlighted" data-code="(\d+)" d="[^"]*" fill="([^"]+)"', page))
    assert fills == {"150000": SHADES[-1], "430000": SHADES[1]}  # (4 of 4: the fifth fifth; 1 of 4: the second)
    assert page.count('class="province"') == len(outlines["provinces"]) - 2
    projection = outlines["projection"]
    x = round((110.0 - projection["west"]) * projection["cos"] * projection["scale"], 1)
    y = round((projection["north"] - 40.6) * projection["scale"], 1)
    assert re.findall(r'<circle class="city" data-code="(\d+)" cx="([\d.]+)" cy="([\d.]+)"', page) == [("150200", f"{x:g}", f"{y:g}")]
    assert "B &lt;&amp;&gt; (430000): 1" in page and "<li>Z (990000, province): 1</li>" in page
    assert "1 province-level division(s) without an outline" in page
    assert "<script" not in page and not re.search(r'(?:src|href)\s*=', page)


def test_no_divisions_no_map_one_line():
    page = divisions_map_html([], what="entities shown")
    assert "<svg" not in page and "\n" not in page
    assert page == '<p class="no-map">No map: none of the entities shown is in a province-level division or prefecture-level city of the gazetteer.</p>'


def test_missing_outlines_are_an_input_error(tmp_path: Path):
    from kg.errors import InputError

    with pytest.raises(InputError, match="outlines.json: no such file"):
        read_outlines(tmp_path / "outlines.json")
