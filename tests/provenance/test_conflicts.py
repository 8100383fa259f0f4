from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from kg.cli import main
from kg.provenance.conflicts import KINDS, find_conflicts
from kg.rdf.sources import Sources, load_sources

CASES_DIR = Path(__file__).resolve().parents[1] / "conflicts"
CASES = sorted(CASES_DIR.glob("*.trig"))
PARK = "https://w3id.org/kg/id/park/baotou-equipment-manufacturing-industrial-park"


def expected_kinds(path: Path) -> Counter:
    """The kinds a case file declares in its '# expect: ...' header line ('none' for no conflict)."""
    m = re.search(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.M)
    assert m, f"{path.name} has no '# expect:' line"
    words = m.group(1).split()
    return Counter() if words == ["none"] else Counter(words)


def test_cases_were_found():
    assert CASES
    assert any(expected_kinds(c) for c in CASES) and any(not expected_kinds(c) for c in CASES)
    assert {k for c in CASES for k in expected_kinds(c)} == set(KINDS)  # every kind has a case


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case(case: Path):
    report = find_conflicts(load_sources([str(case)]))
    assert Counter(c.kind for c in report.conflicts) == expected_kinds(case)
    for c in report.conflicts:
        assert len(c.sides) == 2
        for side in c.sides:
            assert side.citations, f"{c.summary}: a side without a source"


def _only(case: str):
    report = find_conflicts(load_sources([str(CASES_DIR / case)]))
    assert len(report.conflicts) == 1
    return report.conflicts[0]


def test_disagreement_shows_both_articles_with_their_quotes():
    c = _only("disagreement.trig")
    assert [s.citations[0].source.title for s in c.sides] == ["Article B", "Article A"]
    assert [s.citations[0].evidence for s in c.sides] == [("Evidence for ov-b.",), ("Evidence for ov-a.",)]
    assert "75 billion yuan" in c.sides[0].text and "79.14 billion yuan" in c.sides[1].text
    assert c.entity_label == "Test Park"


def test_part_greater_than_whole_names_part_and_whole():
    c = _only("part-exceeds-whole.trig")
    part, whole = c.sides
    assert (part.role, whole.role) == ("part", "whole")
    assert "140 billion yuan" in part.text and "67 billion yuan" in whole.text
    assert part.citations[0].stated_as == "140 billion"


def test_yoy_mismatch_gives_the_change_the_figures_give():
    c = _only("yoy-mismatch.trig")
    assert "+31.46%" in c.summary
    assert "+58.28%" in c.summary  # 79.14 / 50 - 1


def test_founding_years_without_quotes_cite_the_articles():
    c = _only("single-valued.trig")
    assert [s.text for s in c.sides] == ["founding year: 2006", "founding year: 2007"]
    assert [s.citations[0].source.date for s in c.sides] == ["2017-12-11", "2022-07-08"]
    assert all(s.citations[0].evidence == () for s in c.sides)


def test_report_counts_what_was_checked():
    report = find_conflicts(load_sources([str(CASES_DIR / "clean-agreeing.trig")]))
    assert report.figures == 7
    assert report.properties >= 2  # at least kg:foundingYear and kg:value, from the project's ontology


def test_project_2017_article_part_exceeds_whole(project_dataset):
    """The 2017 article: 'investment of 67 billion yuan, of which 140 billion has been put into
    production'."""
    report = find_conflicts(Sources(project_dataset))
    hits = [c for c in report.conflicts if c.kind == "part-exceeds-whole" and c.entity == PARK]
    assert len(hits) == 1
    part, whole = hits[0].sides
    assert "140 billion yuan" in part.text and "67 billion yuan" in whole.text
    for side in (part, whole):
        (cite,) = side.citations
        assert cite.source.kind == "article" and cite.source.date == "2017-12-11"
        assert any("of which 140 billion has been put into production" in q for q in cite.evidence)


def test_project_counts_of_one_article_are_not_conflicts(project_dataset):
    """The 2017 article's 170 supporting and 166 settled enterprises are two quantities."""
    report = find_conflicts(Sources(project_dataset))
    assert not [c for c in report.conflicts if c.kind == "disagreement" and "enterprises" in c.summary
                and all(s.citations[0].source.date == "2017-12-11" for s in c.sides)]


def test_cli_text_and_exit_3(runner):
    result = runner.invoke(main, ["conflicts", str(CASES_DIR / "part-exceeds-whole.trig")])
    assert result.exit_code == 3
    assert result.stdout.startswith("1 conflict in 2 figures and ")
    assert "[part-exceeds-whole] Test Park: the part" in result.stdout
    assert "“Evidence for inv-prod.”" in result.stdout
    assert result.stderr == "Error: 1 conflict found (see the report above)\n"


def test_cli_no_conflicts_exit_0(runner):
    result = runner.invoke(main, ["conflicts", str(CASES_DIR / "clean-consistent.trig")])
    assert result.exit_code == 0
    assert re.fullmatch(r"No conflicts in 6 figures and \d+ single-valued properties\.\n", result.stdout)
    assert result.stderr == ""


def test_cli_json(runner):
    result = runner.invoke(main, ["conflicts", "--format", "json", str(CASES_DIR / "bounds.trig")])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert [c["kind"] for c in data["conflicts"]] == ["disagreement", "disagreement"]
    side = data["conflicts"][0]["sides"][0]
    assert side["citations"][0]["source"]["title"] == "Article B"
    assert data["figures"] == 4


def test_cli_json_is_deterministic(runner):
    args = ["conflicts", "--format", "json", *map(str, CASES)]
    assert runner.invoke(main, args).stdout == runner.invoke(main, args).stdout


def test_cli_missing_file_is_an_error(runner, tmp_path):
    result = runner.invoke(main, ["conflicts", str(tmp_path / "nope.trig")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "nope.trig: no such file" in result.stderr


def test_cli_bad_format_is_a_usage_error(runner):
    result = runner.invoke(main, ["conflicts", "--format", "xml"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_installed_kg_on_project_data(run_kg):
    """The docstring example, run by the installed kg: the project's data has conflicts."""
    proc = run_kg("conflicts", "--format", "json")
    assert proc.returncode == 3
    data = json.loads(proc.stdout)
    assert any(c["kind"] == "part-exceeds-whole" and c["entity"] == PARK for c in data["conflicts"])
    assert proc.stderr.startswith("Error: ") and "conflict" in proc.stderr
