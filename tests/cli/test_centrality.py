"""``kg centrality``: output formats, options, errors, files, a real subprocess run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.network.support import STAR_TTL, chain_ttl, rdf
from rdflib import Graph

from kg.network.measures import compute_centrality
from kg.cli import main
from kg.namespaces import KG

# -- the command -------------------------------------------------------------------------------


@pytest.fixture
def star_file(tmp_path: Path) -> Path:
    f = tmp_path / "star.ttl"
    f.write_text(STAR_TTL, encoding="utf-8")
    return f


def test_cli_table(runner, star_file):
    res = runner.invoke(main, ["centrality", str(star_file), "-m", "degree,closeness"])
    assert res.exit_code == 0, res.output
    assert res.stderr == ""
    lines = res.stdout.splitlines()
    assert lines[0] == "degree"
    assert lines[1].split() == ["rank", "label", "class", "score", "iri"]
    assert lines[3].split() == ["1", "c", "Place", "2", "place:c"]
    assert "closeness" in lines


def test_cli_csv_json_markdown(runner, star_file):
    csv = runner.invoke(main, ["centrality", str(star_file), "--format", "csv", "--top", "1"])
    assert csv.stdout.splitlines() == [
        "measure,rank,label,class,score,iri",
        "degree,1,c,Place,2,https://w3id.org/kg/id/place/c",
    ]
    records = json.loads(
        runner.invoke(main, ["centrality", str(star_file), "--format", "json"]).stdout
    )
    assert [(r["label"], r["score"]) for r in records] == [("c", 2), ("a", 1), ("b", 1)]
    md = runner.invoke(main, ["centrality", str(star_file), "--format", "markdown"]).stdout
    assert "| 1 | c | Place | 2 | place:c |" in md


def test_cli_as_rdf_parses_as_turtle(runner, star_file):
    res = runner.invoke(main, ["centrality", str(star_file), "--as-rdf", "-m", "pagerank"])
    assert res.exit_code == 0 and res.stderr == ""
    g = Graph().parse(data=res.stdout, format="turtle")
    assert len(set(g.subjects(None, KG.CentralityScore))) == 3
    assert {str(o) for o in g.objects(None, KG.centralityMeasure)} == {str(KG["pagerank"])}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--as-rdf", "--format", "csv"], 2, "Error: --as-rdf writes Turtle: leave out --format"),
        (["-m", "fame"], 2, "Error: --measure 'fame': unknown measure"),
        (["-m", "hubs"], 2, "Error: hubs needs a directed projection: add --directed"),
        (
            ["--predicate", "kg:near"],
            2,
            "Error: --predicate kg:near: no edge of the projection uses it",
        ),
        (["--class", "nope:X"], 2, "Error: --class 'nope:X': not an IRI or prefix:name"),
        (["--top", "-1"], 2, "Invalid value for '--top'"),
        (["-k", "0"], 2, "Invalid value for '-k'"),
    ],
    ids=[
        "as-rdf-with-format",
        "unknown-measure",
        "directed-only",
        "unused-predicate",
        "bad-prefix",
        "top",
        "k",
    ],
)
def test_cli_usage_errors(runner, star_file, args, code, message):
    res = runner.invoke(main, ["centrality", str(star_file), *args])
    assert res.exit_code == code
    assert res.stdout == ""
    assert message in res.stderr


def test_cli_input_errors(runner, tmp_path):
    res = runner.invoke(main, ["centrality", str(tmp_path / "missing.ttl")])
    assert (res.exit_code, res.stdout) == (1, "")
    assert res.stderr.strip() == f"Error: {tmp_path / 'missing.ttl'}: no such file"
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    res = runner.invoke(main, ["centrality", str(empty)])
    assert res.exit_code == 1 and "Error: nothing to rank" in res.stderr


def test_cli_progress_on_stderr_for_large_graphs(runner, tmp_path):
    big = tmp_path / "chain.ttl"
    big.write_text(chain_ttl(1100), encoding="utf-8")
    res = runner.invoke(main, ["centrality", str(big), "--top", "1", "--format", "csv"])
    assert res.exit_code == 0
    assert "projected 1101 nodes" in res.stderr and "[1/1] degree done" in res.stderr
    assert res.stdout.splitlines()[1].startswith("degree,1,")


def test_cli_pictures_are_written_and_deterministic(runner, star_file, tmp_path):
    outs = {s: tmp_path / f"out.{s}" for s in ("html", "png", "svg")}
    args = ["centrality", str(star_file), *[a for s, p in outs.items() for a in (f"--{s}", str(p))]]
    assert runner.invoke(main, args).exit_code == 0
    first = {s: p.read_bytes() for s, p in outs.items()}
    assert first["png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in first["svg"]
    assert first["html"].startswith(b"<!DOCTYPE html>")
    assert runner.invoke(main, args).exit_code == 0
    assert {s: p.read_bytes() for s, p in outs.items()} == first
    assert not list(tmp_path.glob(".*.part"))


def test_installed_kg_runs_the_docstring_example(run_kg):
    res = run_kg("centrality", "--measure", "degree,pagerank", "--top", "10")
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    lines = res.stdout.splitlines()
    assert lines[0] == "degree" and "pagerank" in lines
    assert "Baotou Equipment Manufacturing Industrial Park" in lines[3]


def test_cli_projection_options_reach_the_projection(runner, star_file):
    args = ["centrality", str(star_file), "--format", "csv", "--directed", "-m", "in-degree"]
    res = runner.invoke(main, [*args, "--class", "kg:Place", "--predicate", "kg:locatedIn"])
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines()[1] == "in-degree,1,c,Place,2,https://w3id.org/kg/id/place/c"
    res = runner.invoke(main, [*args, "--exclude-predicate", "kg:locatedIn"])
    assert res.exit_code == 1 and "Error: nothing to rank" in res.stderr


def test_cli_sampled_betweenness_uses_k_and_seed(runner, tmp_path):
    f = tmp_path / "chain.ttl"
    f.write_text(chain_ttl(12), encoding="utf-8")
    res = runner.invoke(
        main,
        [
            "centrality",
            str(f),
            "-m",
            "betweenness",
            "-k",
            "4",
            "--seed",
            "3",
            "--format",
            "json",
            "--top",
            "0",
        ],
    )
    assert res.exit_code == 0, res.stderr
    got = {r["iri"]: r["score"] for r in json.loads(res.stdout)}
    expected = compute_centrality(rdf(chain_ttl(12)), ["betweenness"], k=4, seed=3).rankings[0].rows
    assert got == {str(r.iri): r.score for r in expected}
    assert got != {
        str(r.iri): r.score
        for r in compute_centrality(rdf(chain_ttl(12)), ["betweenness"]).rankings[0].rows
    }
