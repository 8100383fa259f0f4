"""What a new user meets when something is wrong: one line on stderr, the documented exit code,
a suggestion for a near miss, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main

ILL_TYPED = """@prefix kg: <https://w3id.org/kg/ont#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/x> rdfs:label "X" ; kg:value "abc"^^xsd:integer , "abc"^^xsd:integer .
"""


@pytest.mark.parametrize(
    "args, code, line",
    [
        (["stat"], 2, "Error: no such command 'stat'; did you mean 'stats'? (see kg --help)"),
        (["frobnicate"], 2, "Error: no such command 'frobnicate' (see kg --help)"),
        (["--bogus"], 2, "Error: No such option '--bogus'. (see kg --help)"),
        (["query", "-p"], 2, "Error: Option '-p' requires an argument. (see kg query --help)"),
        (["describe"], 2, "Error: Missing argument 'NAME'. (see kg describe --help)"),
        (
            ["validate", "--format", "yaml"],
            2,
            "Error: Invalid value for '--format': 'yaml' is not one of 'text', 'json', 'turtle'. (see kg validate --help)",
        ),
    ],
)
def test_usage_errors_are_one_line(runner, args, code, line):
    result = runner.invoke(main, args, prog_name="kg")
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr == line + "\n"


@pytest.mark.parametrize("command", ["validate", "query", "stats", "export", "describe"])
def test_a_directory_as_input_is_an_input_error(runner, tmp_path: Path, command):
    args = {"query": ["query", "people-roles"], "describe": ["describe", "Baotou"]}.get(command, [command])
    result = runner.invoke(main, [*args, str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path}: is a directory; give the RDF files in it (such as {tmp_path}/*.trig)\n"


def test_kg_alone_still_shows_its_help(runner):
    result = runner.invoke(main, [], prog_name="kg")
    assert "Usage: kg [OPTIONS] COMMAND" in result.output
    assert "Error" not in result.output


def test_a_near_measure_is_suggested(runner):
    result = runner.invoke(main, ["why", "Baotou", "--measure", "output valu"])
    assert result.exit_code == 2
    assert result.stderr == "Error: no measure is named 'output valu'; did you mean 'output value'?\n"


def test_a_far_measure_lists_the_measures(runner):
    result = runner.invoke(main, ["why", "Baotou", "--measure", "zzzz"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no measure is named 'zzzz' (known: ")
    assert "output value" in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [["query", "SELECT ?s ?o WHERE { ?s ?p ?o }"], ["describe", "<http://example.org/x>"]],
    ids=["query", "describe"],
)
def test_an_ill_typed_literal_is_one_warning_line(run_kg, tmp_path: Path, args):
    """rdflib logs a warning and a traceback per ill-typed literal: one line per term instead."""
    data = tmp_path / "bad.ttl"
    data.write_text(ILL_TYPED, encoding="utf-8")
    proc = run_kg(*args, str(data))
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if not line.startswith("(")]  # "(2 rows)"
    assert warnings == [
        'Warning: ill-typed literal "abc"^^xsd:integer: not a valid xsd:integer; kept as text '
        "(`kg validate` names the file and line)"
    ]
    assert "Traceback" not in proc.stderr and "abc" in proc.stdout


def test_validate_still_refuses_an_ill_typed_literal(runner, tmp_path: Path):
    data = tmp_path / "bad.ttl"
    data.write_text(ILL_TYPED, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(data)])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: {data}:4:50: ill-typed literal "abc"^^xsd:integer: not a valid xsd:integer; '
        "write a valid value or change the datatype\n"
    )
