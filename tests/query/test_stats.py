from __future__ import annotations

import json
from pathlib import Path

from kg.cli import main
from kg.query.stats import compute_stats
from kg.rdf.loading import load_files

TRIG = """
@prefix kg: <https://w3id.org/kg/ont#> .
@prefix kgm: <https://w3id.org/kg/measure/> .
@prefix ex: <http://example.org/> .
ex:g1 {
  ex:park a kg:IndustrialPark .
  ex:f1 a kg:Firm . ex:f2 a kg:Firm .
  ex:m1 a kg:Measurement ; kg:measure kgm:output-value .
  ex:m2 a kg:Measurement ; kg:measure kgm:output-value .
}
ex:g2 {
  ex:f1 a kg:Firm .
  ex:m3 a kg:Measurement ; kg:measure kgm:tax-revenue .
}
"""


def _write(tmp_path: Path) -> Path:
    f = tmp_path / "small.trig"
    f.write_text(TRIG, encoding="utf-8")
    return f


def test_counts_per_graph_class_and_measure(tmp_path: Path):
    stats = compute_stats(load_files([_write(tmp_path)]))
    assert (stats.quads, stats.triples) == (10, 9)  # ex:f1 a kg:Firm is in both graphs
    assert dict(stats.graphs) == {"ex:g1": 7, "ex:g2": 3}
    assert dict(stats.classes) == {"kg:Firm": 2, "kg:IndustrialPark": 1, "kg:Measurement": 3}
    assert dict(stats.measures) == {"kgm:output-value": 2, "kgm:tax-revenue": 1}


def test_project_stats_cover_every_article(project_dataset):
    stats = compute_stats(project_dataset)
    graphs = dict(stats.graphs)
    assert graphs["graph:ontology"] > 500
    article_graphs = [g for g in graphs if g.startswith("graph:") and g not in ("graph:ontology",) and "reference" not in g]
    assert len(article_graphs) == 5
    assert dict(stats.classes)["kg:Article"] == 5


def test_cli_json(runner, tmp_path: Path):
    result = runner.invoke(main, ["stats", "--format", "json", str(_write(tmp_path))])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["quads"], data["triples"]) == (10, 9)
    assert ["kg:Firm", 2] in data["classes"]


def test_cli_table_has_sections(runner, tmp_path: Path):
    result = runner.invoke(main, ["stats", str(_write(tmp_path))])
    assert result.exit_code == 0
    assert result.stdout.startswith("10 quads in 2 graphs, 9 distinct triples\n\n")
    for title in ("Triples per graph", "Instances per class", "Measurements per measure"):
        assert title in result.stdout


def test_cli_missing_file_is_error_exit_1(run_kg, tmp_path: Path):
    proc = run_kg("stats", str(tmp_path / "missing.ttl"))
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.strip() == f"Error: {tmp_path / 'missing.ttl'}: no such file"


def test_a_store_counts_quads_and_distinct_triples_as_memory_does(runner, tmp_path: Path):
    from kg.backends.bulk import load_store

    store = tmp_path / "store"
    load_store(store, [_write(tmp_path)])
    result = runner.invoke(main, ["stats", "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("10 quads in 2 graphs, 9 distinct triples\n\n")
