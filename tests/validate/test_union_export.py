"""What docs/validation.md says of validating an export: the dataset's provenance lives in its
named graphs, so a merged Turtle export gives the provenance shapes' violations (and kg export
says so), while a TriG export validates as the project does."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from kg.cli import main
from kg.cli.export import UNION_NOTE

ROOT = Path(__file__).resolve().parents[2]


def _shapes_of(runner, path: Path) -> tuple[int, Counter]:
    result = runner.invoke(main, ["validate", "--format", "json", str(path)])
    doc = json.loads(result.stdout)
    return result.exit_code, Counter((r["shape"], r["severity"]) for r in doc["results"] if r["severity"] == "Violation")


def test_turtle_export_loses_provenance_and_says_so(runner, tmp_path: Path):
    target = tmp_path / "kg.ttl"
    result = runner.invoke(main, ["export", "--output", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[1] == UNION_NOTE.format(fmt="turtle")
    code, violations = _shapes_of(runner, target)
    assert code == 3
    assert set(violations) == {("shapes:ProvenanceShape", "Violation"), ("shapes:ArticleGraphShape", "Violation")}
    doc = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    total = sum(violations.values())
    assert f"report {total} violations that `kg validate` on the project does not" in " ".join(doc.split())


def test_trig_export_keeps_provenance(runner, tmp_path: Path):
    target = tmp_path / "kg.trig"
    result = runner.invoke(main, ["export", "--format", "trig", "--output", str(target)])
    assert result.exit_code == 0, result.stderr
    assert len(result.stderr.splitlines()) == 1  # no note: the named graphs are kept
    code, violations = _shapes_of(runner, target)
    assert (code, violations) == (0, Counter())
