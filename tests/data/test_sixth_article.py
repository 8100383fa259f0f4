"""Adding an article must not break the suite: a sixth article, drafted with `kg draft` from a
short text of our own and reviewed here, is added to a copy of the project (its five articles),
which then passes `kg check-article`, `kg validate` and the data tests (run on the copy in a
child pytest)."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import XSD

from kg.namespaces import CUR, KG, KGM, KGS, PARK, PLACE, UNIT
from tests.conftest import ROOT, five_articles_home

ARTICLE = """Home > Regional

Wuhai chemical park doubles its output

Updated: 2025-06-18

The Wuhai Low-carbon Industrial Park is located in Wuhai city, North China's Inner Mongolia autonomous region. Founded in 2012, the park is engaged in fine chemicals, new materials and solar power.

In 2024, the park's output value was 32 billion yuan, up 9 percent.

So far, more than 60 enterprises have settled in the park.

Copyright 2025 Example Daily. All rights reserved.
"""

PARK_IRI = PARK["wuhai-low-carbon-industrial-park"]


def review(path: Path) -> None:
    """What a reviewer does: check each drafted statement against the text (asserted here), then
    remove the review markers. Written back with rdflib (the statements stay, the comments go)."""
    ds = Dataset()
    ds.parse(path, format="trig")
    (g,) = [g for g in ds.graphs() if len(g)]
    figures = {(g.value(m, KG.measure), g.value(m, KG.value).toPython(), g.value(m, KG.unit),
                str(g.value(m, KG.period)), g.value(m, KG.status), g.value(m, KG.about))
               for m in g.subjects(KG.measure, None)}
    assert figures == {
        (KGM["output-value"], Decimal("32000000000"), CUR.CNY, "2024", KGS.reported, PARK_IRI),
        (KGM.enterprises, Decimal("60"), UNIT.NUM, "2025-06-18", KGS["lower-bound"], PARK_IRI),
    }
    assert (PARK_IRI, KG.locatedIn, PLACE.wuhai) in g
    assert (PLACE.wuhai, KG.locatedIn, PLACE["inner-mongolia"]) in g
    assert (PARK_IRI, KG.foundingYear, Literal("2012", datatype=XSD.gYear)) in g
    for p in (KG.reviewStatus, KG.reviewNote):
        g.remove((None, p, None))
    path.write_text(ds.serialize(format="trig"), encoding="utf-8")


@pytest.fixture(scope="module")
def project_with_six(tmp_path_factory, run_kg_module):
    """The five articles of the project under test (tests/conftest.py), plus the sixth, drafted."""
    copy = five_articles_home(tmp_path_factory.mktemp("six-articles"))
    text = tmp_path_factory.mktemp("text") / "article.txt"
    text.write_text(ARTICLE, encoding="utf-8")
    proc = run_kg_module("draft", str(text), env={"KG_HOME": str(copy)})
    assert proc.returncode == 0, proc.stderr
    # the summary docs/adding-an-article.md shows is this run's
    summary = proc.stderr.strip().splitlines()[-1]
    assert summary.startswith("Wuhai chemical park doubles its output: ")
    assert f"\n{summary}\n" in (ROOT / "docs" / "adding-an-article.md").read_text(encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def run_kg_module():
    from tests.conftest import kg_executable

    def _run(*args: str, env: dict[str, str]):
        full = {**os.environ, **env}
        full.pop("KG_DEBUG", None)
        return subprocess.run([*kg_executable(), *args], capture_output=True, text=True, cwd=ROOT, env=full,
                              timeout=300)

    return _run


@pytest.mark.slow
def test_a_reviewed_sixth_article_passes_the_data_tests(project_with_six: Path, run_kg_module):
    env = {"KG_HOME": str(project_with_six)}
    graphs = sorted((project_with_six / "data" / "graphs").glob("005-*.trig"))
    assert [p.name for p in graphs] == ["005-wuhai-chemical-park-doubles-2025.trig"]
    (draft,) = graphs
    texts = sorted((project_with_six / "data" / "articles").glob("005_*.txt"))
    assert len(texts) == 1 and texts[0].read_text(encoding="utf-8") == ARTICLE

    # unreviewed, it is not a fact: check-article and validate fail on the review markers
    before = run_kg_module("check-article", str(draft), env=env)
    assert before.returncode == 3 and "under review (kgs:draft)" in before.stdout
    assert run_kg_module("validate", env=env).returncode == 3

    review(draft)
    after = run_kg_module("check-article", str(draft), env=env)
    assert after.returncode == 0, after.stdout + after.stderr
    validated = run_kg_module("validate", env=env)
    assert validated.returncode == 0, validated.stdout + validated.stderr

    # the data tests, on the copy with six articles (the pinned answers stay on the five)
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", "tests/data",
         "--ignore", "tests/data/test_sixth_article.py"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env}, timeout=900)
    assert child.returncode == 0, child.stdout[-4000:]
    assert "005-wuhai-chemical-park-doubles-2025.trig" in child.stdout  # the sixth was checked
