"""Every command is documented: in the README, and in its own --help with an example that runs."""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from kg.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command(name: str) -> click.Command:
    command = main.get_command(click.Context(main), name)
    assert command is not None, name
    return command


def test_commands_are_discovered():
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_in_the_readme(name: str):
    assert f"`kg {name}" in README, f"kg {name} is not mentioned in README.md"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_has_summary_and_example(name: str):
    doc = _command(name).help or ""
    assert doc.strip().splitlines()[0].strip(), f"kg {name} has no one-line summary"
    assert re.search(r"^\s*Example: kg ", doc, re.M), f"kg {name} --help has no 'Example: kg ...' line"


def test_readme_opens_with_the_two_commands():
    block = README.split("```", 2)[1]
    lines = [line for line in block.splitlines()[1:] if line.strip()]
    assert [line.split()[0:2] for line in lines] == [["make", "demo"], ["make", "test"]]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^exec make test$", ci, re.M)


# Examples that write files or need a server are run elsewhere in their own tests.
_SKIP_EXAMPLE = {"load", "push", "synth", "check-article", "draft"}


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - _SKIP_EXAMPLE))
def test_help_example_runs(name: str, runner, tmp_path: Path, monkeypatch):
    doc = _command(name).help or ""
    example = re.search(r"^\s*Example: kg (.+)$", doc, re.M)
    assert example
    args = shlex.split(example.group(1))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, args)
    written = list(tmp_path.iterdir())
    assert result.exit_code in (0, 3), f"kg {example.group(1)} -> {result.exit_code}: {result.output}"
    assert result.stdout.strip() or written, f"kg {example.group(1)} printed and wrote nothing"


# --- every example in README.md and docs/*.md runs, and shows what it prints ----------------
#
# A fenced block's lines that start with `kg ` (or `$ kg ` in a console block) are run, once per
# session, in page order, in-process (CliRunner) in a scratch folder that holds the files the
# examples name (small stand-ins: a 40-firm synth file for the national ones, the test server's
# URL for http://127.0.0.1:7878/query). In a console block, the lines after a `$ kg` line up to
# the next `$` line are what it prints (stdout then stderr as a terminal shows them): they must
# be its output, `...` standing for any lines; `$ echo $?` shows its exit code.

DOC_PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SERVER_PLACEHOLDER = "http://127.0.0.1:7878/query"
#: Examples that are not run, each with the reason.
NOT_RUN = {
    "kg export -f csv -o /mnt/full/csv": "needs a full disk: tests/test_fileio.py fills a real 64 KB tmpfs",
    "kg query --timeout 1 -f slow.rq": "shows a time limit reached: tests/test_timeout.py runs queries slow by construction",
    'kg query --store st "SELECT * WHERE { { ?s kg:a\\\' ?o } UNION { SERVICE <http://127.0.0.1:8000/> { ?s ?p ?o } } }"':
        "an attack: tests/security/test_injection.py runs it and its variants on every backend, with a listener that must see no connection",
    "kg query --store st -p 'x=<http://a/>}UNION{?s?p?o}#>' 'SELECT ?s WHERE { ?s ?p ?x }'":
        "an attack: tests/security/test_injection.py runs it and its variants on every backend",
    "kg export [FILES...] [--format FORMAT] [--output PATH] [--include PART[,PART...]]...": "a synopsis, not a command",
    "kg check-article data/graphs/005-<slug>.trig": "a placeholder for the reader's new article",
    "kg check-article data/graphs/005-<slug>.trig --review-only    # only what is still under review": "a placeholder for the reader's new article",
    "kg draft article.txt                 # -> data/graphs/005-<slug>.trig and data/articles/005_<hash>.txt":
        "writes into the project's data/: tests/data/test_sixth_article.py runs kg draft so on a copy of the project",
    "kg draft article.txt --id 12         # choose the number":
        "writes into the project's data/: tests/data/test_sixth_article.py runs kg draft so on a copy of the project",
}
#: Examples run with other arguments (small data), each with the reason.
SMALLER = {
    "--firms 100000": ("--firms 40", "synthetic data at national scale takes minutes: 40 firms here"),
}
#: Examples whose shown output is not compared, each with the reason.
OUTPUT_NOT_COMPARED = {
    "kg centrality --store big -m pagerank --top 20": "the output shown is for a million firms",
}


@dataclass
class Example:
    page: str
    line: int
    command: str
    shown: list[str] | None = None  # the output the page shows (console blocks)
    exit_code: int | None = None  # shown by `$ echo $?`

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def _examples() -> list[Example]:
    found: list[Example] = []
    for page in DOC_PAGES:
        text = page.read_text(encoding="utf-8")
        name = str(page.relative_to(ROOT))
        for block in re.finditer(r"^ *```(\w*)\n(.*?)^ *```", text, re.S | re.M):
            first = text.count("\n", 0, block.start(2)) + 1
            current: Example | None = None
            for offset, raw in enumerate(block.group(2).splitlines()):
                line = raw.strip()
                if line.startswith("$ "):
                    current = None
                    if line.startswith("$ kg "):
                        current = Example(name, first + offset, line[2:], shown=[])
                        found.append(current)
                    elif line == "$ echo $?" and found and found[-1].page == name:
                        current = Example(name, 0, "")  # collects the exit code
                        found[-1].exit_code = -1
                elif line.startswith("kg ") and current is None:
                    found.append(Example(name, first + offset, line))
                elif current is not None and current.line == 0:
                    found[-1].exit_code = int(line)
                    current = None
                elif current is not None:
                    current.shown.append(raw.rstrip())  # type: ignore[union-attr]
    for e in found:
        if e.shown is not None and not any(s.strip() for s in e.shown):
            e.shown = None
    return found


EXAMPLES = _examples()


def _split(command: str) -> list[tuple[list[str], str | None]]:
    """The kg commands of one example line: (arguments, file stdout is redirected to)."""
    words = shlex.split(command, comments=True)
    runs, current, target = [], [], None
    it = iter(words)
    for word in it:
        if word == "&&":
            runs.append((current, target))
            current, target = [], None
        elif word == ">":
            target = next(it)
        else:
            current.append(word)
    runs.append((current, target))
    return [(args[1:], tgt) for args, tgt in runs]


def _prepare(folder: Path, runner) -> None:
    """The files the examples name, small."""
    import os

    from kg.cli import main

    for part in ("data", "tests", "ontology", "queries"):
        os.symlink(ROOT / part, folder / part)
    assert runner.invoke(main, ["synth", "--firms", "40", "--seed", "1", "--output", "national.nq"]).exit_code == 0
    for copy in ("synth.nq", "big.nq", "new.nq", "synth-1m.nq"):
        shutil.copyfile(folder / "national.nq", folder / copy)
    article = ROOT / "data" / "graphs" / "001-baotou-equipment-park-2017.trig"
    for name in ("my.ttl", "my-data.ttl"):
        assert runner.invoke(main, ["export", str(article), "--output", name]).exit_code == 0
    shutil.copyfile(ROOT / "data" / "graphs" / "002-shanxi-industrial-reform-2020.trig", folder / "other.trig")
    shutil.copyfile(ROOT / "ontology" / "shapes.ttl", folder / "my-shapes.ttl")
    shutil.copyfile(sorted((ROOT / "data" / "articles").glob("*.txt"))[0], folder / "article.txt")
    (folder / "my-question.rq").write_text("SELECT ?park WHERE { ?park a kg:IndustrialPark }\n", encoding="utf-8")
    for store in ("national.db", "kg-store", "big", "big-store"):
        assert runner.invoke(main, ["load", "--store", store, "--ontology", "national.nq"]).exit_code == 0


@dataclass
class Ran:
    exit_code: int
    output: str


@pytest.fixture(scope="session")
def example_runs(tmp_path_factory, oxigraph_server) -> dict[str, Ran]:
    """Every example, run once, in page order."""
    import glob

    from click.testing import CliRunner

    from kg.cli import main

    folder = tmp_path_factory.mktemp("doc-examples")
    runner = CliRunner()
    runs: dict[str, Ran] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        mp.delenv("COLUMNS", raising=False)
        _prepare(folder, runner)
        oxigraph_server.clear()
        for example in EXAMPLES:
            if example.command in NOT_RUN:
                continue
            command = example.command.replace(SERVER_PLACEHOLDER, oxigraph_server.query_url)
            for big, (small, _why) in SMALLER.items():
                command = command.replace(big, small)
            outputs, code = [], 0
            for args, target in _split(command):
                args = [m for a in args for m in (sorted(glob.glob(a)) if "*" in a else [a])]
                result = runner.invoke(main, args, prog_name="kg")
                code = result.exit_code
                if target is not None:
                    Path(target).write_bytes(result.stdout_bytes)
                    outputs.append(result.stderr)
                else:
                    outputs.append(result.output)
                if code not in (0, 3):
                    break
            runs[example.id] = Ran(code, "".join(outputs))
        oxigraph_server.clear()
    return runs


def test_examples_are_found():
    assert len(EXAMPLES) > 60
    assert any(e.shown for e in EXAMPLES)
    assert all(command in {e.command for e in EXAMPLES} for command in NOT_RUN)
    assert all(command in {e.command for e in EXAMPLES} for command in OUTPUT_NOT_COMPARED)


def _matches(shown: list[str], actual: list[str]) -> bool:
    """``shown`` is ``actual`` where each ``...`` line stands for any lines (none included)."""
    pattern = "".join(r"(?:.*\n)*?" if s.strip() == "..." else re.escape(s.rstrip()) + r"\n" for s in shown)
    return re.fullmatch(pattern, "".join(line.rstrip() + "\n" for line in actual)) is not None


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.command not in NOT_RUN], ids=lambda e: e.id)
def test_doc_example(example: Example, example_runs):
    ran = example_runs[example.id]
    shows_error = example.shown is not None and any(s.startswith("Error:") for s in example.shown)
    if example.exit_code is not None:
        assert ran.exit_code == example.exit_code, ran.output
    elif shows_error:
        assert ran.exit_code in (1, 2), ran.output
    else:
        assert ran.exit_code in (0, 3), f"{example.command} -> {ran.exit_code}: {ran.output}"
    if example.shown is not None and example.command not in OUTPUT_NOT_COMPARED:
        assert _matches(example.shown, ran.output.rstrip("\n").splitlines()), (
            f"{example.id}: `{example.command}` prints\n{ran.output}"
        )


# --- numbers and lists the docs repeat from the code --------------------------------------


def _distinct_triples(dataset) -> int:  # type: ignore[no-untyped-def]
    return len({t for g in dataset.graphs() for t in g})


def test_queries_md_counts_the_triples_queried(project_dataset):
    """docs/queries.md's reasoning table: the triples each mode queries (owlrl, 5 s, is left to
    tests/rdf: the two cheap rows show the table is current)."""
    from kg.rdf.reasoning import apply_reasoning

    text = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| ([\d,]+) \|", text, re.M))
    assert set(rows) == {"none", "rdfs", "owlrl"}
    for mode in ("none", "rdfs"):
        assert int(rows[mode].replace(",", "")) == _distinct_triples(apply_reasoning(project_dataset, mode)), mode
    assert f"({rows['none']} distinct triples" in text


def test_input_formats_are_listed_in_full_everywhere():
    """Every list of input formats, in the docs and in --help, names every format kg reads."""
    from kg.rdf.loading import FORMATS as SUFFIX_FORMATS

    full = "Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML"
    names = {"turtle": "Turtle", "trig": "TriG", "nt": "N-Triples", "nquads": "N-Quads", "json-ld": "JSON-LD", "xml": "RDF/XML",
             "n3": "Turtle"}  # .n3 files: Turtle as N3 writes it
    assert {names.get(f, f) for f in set(SUFFIX_FORMATS.values())} == set(full.split(", "))
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in DOC_PAGES}
    texts.update({f"kg {n} --help": " ".join((_command(n).help or "").split()) for n in COMMANDS})
    lists = [(where, m.group(1)) for where, t in texts.items() for m in re.finditer(r"\((Turtle, TriG, N-Triples[^)]*)\)", t)]
    assert lists
    assert [(w, found) for w, found in lists if found != full] == []


def test_centrality_engine_threshold_is_the_same_in_help_and_docs():
    from kg.network.measures import AUTO_EDGES, AUTO_NODES

    said = f"{AUTO_NODES:,} nodes or {AUTO_EDGES:,} edges"
    (engine,) = [p for p in _command("centrality").params if p.name == "engine"]
    help_text = " ".join((getattr(engine, "help", "") or "").split())
    assert f"fast from {said} on" in help_text
    assert f"fast from {said} on" in (ROOT / "docs" / "engines.md").read_text(encoding="utf-8")
    assert f"below {AUTO_NODES:,} nodes and {AUTO_EDGES:,} edges" in (ROOT / "docs" / "centrality.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["docs/scale.md", "docs/security.md"])
def test_timeout_defaults_in_the_docs_are_the_commands(page: str):
    text = " ".join((ROOT / page).read_text(encoding="utf-8").split())
    sentence = re.search(r"Defaults: (60 s for .*?); (300 s for .*?); none for (.*?)[,(]", text)
    assert sentence, f"{page} does not list the --timeout defaults"
    said: dict[str, float] = {}
    for part, seconds in zip(sentence.groups(), (60.0, 300.0, 0.0)):
        for name in re.findall(r"`kg ([\w-]+)`", part):
            said[name] = seconds
    actual = {
        name: p.default
        for name in COMMANDS
        for p in _command(name).params
        if p.name == "timeout" and name != "push"  # push's --timeout is per answer (said apart)
    }
    assert said == actual


@pytest.mark.parametrize(
    "shown, actual, expected",
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "c"], False),  # drift is caught
        (["a"], ["a", "b"], False),  # a block without `...` shows everything
        (["a", "...", "d"], ["a", "b", "c", "d"], True),
        (["a", "...", "d"], ["a", "d"], True),
        (["...", "c"], ["a", "b", "c"], True),
        (["a", "..."], ["a", "b"], True),
        (["a", "...", "d"], ["a", "b", "c"], False),
    ],
)
def test_shown_output_matching(shown, actual, expected):
    assert _matches(shown, actual) is expected
