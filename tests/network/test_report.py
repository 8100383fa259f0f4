"""The picture and the HTML report; the report opened in a real headless browser (chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.dom.minidom
from pathlib import Path

import pytest
from rdflib import URIRef
from tests.network.support import STAR_TTL

from kg.backends.base import dataset_backend
from kg.cli import main
from kg.namespaces import KG
from kg.network.measures import compute_centrality
from kg.network.report import MAX_LABELS, TOP_ROW_COLOUR, draw, html_report, kind_colours, shown_entities, svg_picture
from kg.network.projection import KINDS
from kg.reference.map import SHADES, divisions_map_html, divisions_of

BAOTOU_PARK_LABEL = "Baotou Equipment Manufacturing Industrial Park"


@pytest.fixture(scope="module")
def result(project_dataset):
    return compute_centrality(project_dataset, ["degree", "betweenness"])


@pytest.fixture(scope="module")
def divisions(result, project_dataset):
    return divisions_of(dataset_backend(project_dataset), shown_entities(result, 10))


@pytest.fixture(scope="module")
def report(result, divisions) -> str:
    return html_report(
        result, top=10, source="the project's graph", divisions_map=divisions_map_html(divisions, what="entities shown")
    )


#: The divisions of class ?cls that hold ?e, from the stated containment (a path: the entity
#: itself included), not from the derived kg:within the map reads.
_HOLDERS = """SELECT DISTINCT ?code WHERE {
    ?e (kg:locatedIn|kg:subParkOf|kg:headquarteredIn)* ?d . ?d a ?cls ; kg:adminCode ?code }"""


def expected_divisions(ds, entities: list[str], cls: URIRef) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Code -> how many of ``entities`` are in it."""
    counts: dict[str, int] = {}
    for iri in entities:
        rows = ds.query(_HOLDERS, initNs={"kg": KG}, initBindings={"e": URIRef(iri), "cls": cls})
        for (code,) in rows:
            counts[str(code)] = counts.get(str(code), 0) + 1
    return counts


def test_every_kind_has_its_own_colour():
    colours = kind_colours()
    assert list(colours) == [label for _, label in KINDS]
    assert len(set(colours.values())) == len(KINDS)


def test_draw_png_and_svg_are_deterministic(result):
    png = draw(result, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and draw(result, "png") == png
    svg = draw(result, "svg")
    assert svg == draw(result, "svg")
    dom = xml.dom.minidom.parseString(svg)
    texts = " ".join(t.data for t in _text_nodes(dom))
    assert "degree" in texts  # the title names the measure (fonts are paths; comments name text)


def test_the_inline_picture_draws_every_node_in_its_kind_colour_and_size(result):
    """The page's picture (SVG written by kg, not matplotlib): the same text each time, well-formed
    XML, one disc per node in its kind's colour and with its score in its tooltip, larger for a
    higher score, the top nodes labelled, a legend of the kinds present."""
    svg = svg_picture(result, labels=5)
    assert svg == svg_picture(result, labels=5)
    dom = xml.dom.minidom.parseString(svg)
    g = result.projection.graph
    ranking = result.rankings[0]
    scores = {row.label: float(row.score) for row in ranking.rows}
    colours = kind_colours()
    discs = [c for c in dom.getElementsByTagName("circle") if c.getElementsByTagName("title")]
    assert len(discs) == g.number_of_nodes() > 10
    by_label = {}
    for disc in discs:
        tip = disc.getElementsByTagName("title")[0].firstChild.data
        label, kind = re.fullmatch(r"(.*) \((.*)\): [^:]*", tip).groups()
        assert disc.getAttribute("fill") == colours[kind]
        by_label[label] = float(disc.getAttribute("r"))
    ranked = sorted((scores[lbl], r) for lbl, r in by_label.items() if lbl in scores)
    assert [r for _, r in ranked] == sorted(r for _, r in ranked) and ranked[0][1] < ranked[-1][1]
    texts = [t.firstChild.data for t in dom.getElementsByTagName("text")]
    assert all(row.label[:39] in " ".join(texts) for row in ranking.rows[:5])
    assert ranking.rows[5].label not in texts
    kinds = {g.nodes[n]["kind"] for n in g}
    assert kinds <= set(texts) and f"Entities sized by {ranking.measure}" in texts
    assert MAX_LABELS >= 5


def _text_nodes(node):  # type: ignore[no-untyped-def]
    for child in node.childNodes:
        if child.nodeType in (child.TEXT_NODE, child.COMMENT_NODE):
            yield child
        yield from _text_nodes(child)


def test_report_is_self_contained(report):
    assert report.startswith("<!DOCTYPE html>")
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', report)
    assert all(r.startswith("data:") for r in refs), refs  # (the picture is inline SVG: no reference at all)
    assert '<svg class="entity-graph"' in report
    assert "<script" not in report and "<link" not in report and "@import" not in report
    assert "url(" not in report


def test_report_tables_start_with_the_top_entity(report, result):
    for ranking in result.rankings:
        table = report.split(f'<table id="ranking-{ranking.measure}">', 1)[1]
        first = re.search(r"<tbody>\s*<tr([^>]*)>(.*?)</tr>", table, re.DOTALL)
        assert first is not None
        assert first.group(1) == ' class="top"'
        assert f"<td>{ranking.rows[0].label}</td>" in first.group(2)
        assert table.split("<tbody>")[1].split("</tbody>")[0].count("<tr") == 10


def test_report_escapes_labels(result):
    from dataclasses import replace

    rows = [replace(result.rankings[0].rows[0], label="<b>&</b>"), *result.rankings[0].rows[1:]]
    page = html_report(replace(result, rankings=[replace(result.rankings[0], rows=rows)]), top=3)
    assert "<td>&lt;b&gt;&amp;&lt;/b&gt;</td>" in page


def test_report_maps_the_divisions_of_the_entities_shown(report, result, project_dataset):
    shown = shown_entities(result, 10)
    assert len(shown) >= 10
    provinces = expected_divisions(project_dataset, shown, KG.ProvinceLevelDivision)
    cities = expected_divisions(project_dataset, shown, KG.PrefectureLevelCity)
    assert len(provinces) >= 2 and cities, "the entities shown are in too few divisions: the test proves little"
    the_map = report.split('<figure class="divisions-map">', 1)[1].split("</figure>", 1)[0]
    paths = re.findall(
        r'<path class="province highlighted" data-code="(\d+)" d="[^"]*" fill="([^"]+)"><title>[^<]*\((\d+)\): (\d+)</title>', the_map
    )
    assert all(code == titled for code, _, titled, _ in paths)
    assert {code: int(n) for code, _, _, n in paths} == provinces
    darkest = [code for code, fill, _, _ in paths if fill == SHADES[-1]]
    assert darkest and all(provinces[c] > 0.8 * max(provinces.values()) for c in darkest)
    dots = dict(re.findall(r'<circle class="city" data-code="(\d+)"[^>]*><title>[^<]*: (\d+)</title>', the_map))
    assert {code: int(n) for code, n in dots.items()} == cities  # (the project's cities all have a point)


def test_report_without_divisions_says_so_in_one_line(runner, tmp_path):
    data = tmp_path / "star.ttl"
    data.write_text(STAR_TTL, encoding="utf-8")
    page = tmp_path / "star.html"
    res = runner.invoke(main, ["centrality", str(data), "--html", str(page)])
    assert res.exit_code == 0, res.output
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == 1 and '<figure class="divisions-map">' not in text  # (the picture's only: no map)
    assert text.count('<p class="no-map">No map: none of the entities shown is in a province-level division') == 1


def test_report_map_is_the_same_on_every_backend_and_hash_seed(run_kg, runner, tmp_path):
    pages = []
    for backend in ("memory", "oxigraph-memory"):
        page = tmp_path / f"{backend}.html"
        res = runner.invoke(main, ["centrality", "-m", "degree,betweenness", "--backend", backend, "--html", str(page)])
        assert res.exit_code == 0, res.output
        pages.append(page.read_bytes())
    for seed in ("1", "2"):
        page = tmp_path / f"seed-{seed}.html"
        done = run_kg("centrality", "-m", "degree,betweenness", "--html", str(page), env={"PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        pages.append(page.read_bytes())
    assert b'<figure class="divisions-map">' in pages[0]
    assert all(p == pages[0] for p in pages[1:])


# -- in a real browser ------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is not installed: apt-get install -y chromium (.ci/run installs it)"
    return exe


def run_chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
    return subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120)


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.mark.slow
def test_report_renders_in_headless_chromium(tmp_path, report, result):
    import numpy as np
    from matplotlib.image import imread

    page = tmp_path / "report.html"
    page.write_text(report, encoding="utf-8")
    shot = tmp_path / "shot.png"
    done = run_chromium(
        page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,900"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.exists(), done.stderr[-2000:]

    pixels = (imread(shot)[:, :, :3] * 255).round().astype(np.uint8)
    assert pixels.shape[:2] == (900, 1200)
    colours = np.unique(pixels.reshape(-1, 3), axis=0)
    assert len(colours) > 200, f"the screenshot looks blank: {len(colours)} colours"
    # The top row of the first table is painted in TOP_ROW_COLOUR: it is on screen.
    top_row = np.all(np.abs(pixels.astype(int) - _hex_rgb(TOP_ROW_COLOUR)) <= 3, axis=2)
    assert top_row.sum() > 5000, "the highlighted top row is not visible in the screenshot"
    assert top_row[:450].sum() > 5000, "the top row is not in the upper half of the page"
    # The picture is on screen too: pixels in the colour of industrial parks (the top node).
    park = np.all(
        np.abs(pixels.astype(int) - _hex_rgb(kind_colours()["Industrial park"])) <= 3, axis=2
    )
    assert park[:, 600:].sum() > 200

    dom = run_chromium(page, tmp_path / "profile2", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    first = re.search(
        r'<table id="ranking-degree">.*?<tbody>\s*<tr class="top">(.*?)</tr>', dom.stdout, re.DOTALL
    )
    assert first is not None, dom.stdout[:2000]
    assert f"<td>{BAOTOU_PARK_LABEL}</td>" in first.group(1)
    assert result.rankings[0].rows[0].label == BAOTOU_PARK_LABEL


#: Run in a test copy of the report (the report itself holds no script): each highlighted
#: province's and each city dot's bounding box as the browser lays it out, written into the DOM.
_MEASURE_BOXES = """<script>
const boxes = [...document.querySelectorAll('.divisions-map path.highlighted, .divisions-map circle.city')].map(e => {
  const b = e.getBoundingClientRect();
  return [e.tagName, e.dataset.code, b.x, b.y, b.width, b.height];
});
const out = document.createElement('pre'); out.id = 'boxes'; out.textContent = JSON.stringify(boxes);
document.body.appendChild(out);
</script>
"""


@pytest.mark.slow
def test_report_map_renders_in_headless_chromium(tmp_path, report, divisions):
    import json

    import numpy as np
    from matplotlib.image import imread

    page = tmp_path / "report.html"
    page.write_text(report, encoding="utf-8")
    shot = tmp_path / "shot.png"
    done = run_chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,1800")
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    pixels = (imread(shot)[:, :, :3] * 255).round().astype(np.uint8).astype(int)
    wanted = {d.code for d in divisions if d.level == "province"}
    shades = {fill for code, fill in re.findall(r'class="province highlighted" data-code="(\d+)" d="[^"]*" fill="([^"]+)"', report) if code in wanted}
    for fill in shades:  # every shade used is on screen, in the picture's column
        painted = np.all(np.abs(pixels - _hex_rgb(fill)) <= 3, axis=2)
        assert painted[:, 560:].sum() > 100, f"no province painted {fill} on screen"

    measured = tmp_path / "measured.html"
    measured.write_text(report.replace("</body>", _MEASURE_BOXES + "</body>"), encoding="utf-8")
    dom = run_chromium(measured, tmp_path / "profile2", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'<pre id="boxes">(.*?)</pre>', dom.stdout, re.DOTALL)
    assert found is not None, dom.stdout[-2000:]
    boxes = json.loads(found.group(1).replace("&quot;", '"'))
    assert {code for tag, code, *_ in boxes if tag == "path"} == wanted
    assert {code for tag, code, *_ in boxes if tag == "circle"} == {d.code for d in divisions if d.level != "province"}
    assert all(w > 1 and h > 1 for *_, w, h in boxes), boxes
    provinces = [b for b in boxes if b[0] == "path"]
    assert min(x for _, _, x, *_ in provinces) > 560, "the map is not beside the tables"
