"""``kg draft``: a short article of our own drafted against the project's graph (or given files),
file names from the tool, atomic outputs, one-line errors; and the gazetteer in the name index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDF

from kg.cli import main
from kg.draft import NameIndex, parse_article
from kg.draft.graph import text_hash
from kg.draft.sources import add_gazetteer, plan_files
from kg.namespaces import KG, KGS, PARK, PLACE

ARTICLE = """Home > Regional

Baotou park adds a robot maker

Updated: 2025-03-02

Baotou Equipment Manufacturing Industrial Park welcomed Northern Robotics Co., Ltd. last week. The park is located in Qingshan District of Baotou city.

In 2024, the park's output value was 61 billion yuan, up 7 percent.

So far, more than 310 enterprises have settled in the park.
"""


def _parse(path: Path) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(path, format="trig")
    return ds


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_docstring_example_runs(run_kg, article: Path):
    proc = run_kg("draft", "article.txt", "--output", "draft.trig", "--id", "5", cwd=article.parent)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    ds = _parse(article.parent / "draft.trig")
    # linked to the project's existing nodes, not minted again
    text = (article.parent / "draft.trig").read_text(encoding="utf-8")
    assert "# why: linked: 'Baotou Equipment Manufacturing Industrial Park' is a name of this node" in text
    assert "# why: linked: 'Qingshan District' is a name of this node" in text
    assert (PARK["baotou-equipment-manufacturing-industrial-park"], KG.reviewStatus, KGS.draft) in ds
    file_name = f"005_{text_hash(ARTICLE)}.txt"
    assert (None, KG.fileName, Literal(file_name)) in ds
    assert re.search(r"\d+ entities linked to the graph, \d+ new; 2 figures; .* nodes to review", proc.stderr)
    assert not (article.parent / file_name).exists()  # --output given, no --text-to: no text copied


def test_default_output_goes_into_the_project_with_its_text(runner, article: Path, tmp_path: Path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    for part in ("ontology", "queries"):
        (home / part).symlink_to(Path(__file__).resolve().parents[2] / part)
    (home / "data" / "graphs").mkdir(parents=True)
    (home / "data" / "articles").mkdir()
    (home / "data" / "graphs" / "011-an-older-one-2020.trig").write_text("", encoding="utf-8")
    monkeypatch.setenv("KG_HOME", str(home))
    result = runner.invoke(main, ["draft", str(article)])
    assert result.exit_code == 0, result.output
    graph = home / "data" / "graphs" / "012-baotou-park-adds-robot-2025.trig"
    text = home / "data" / "articles" / f"012_{text_hash(ARTICLE)}.txt"
    assert graph.is_file() and text.read_text(encoding="utf-8") == ARTICLE
    assert sorted(p.name for p in (home / "data" / "graphs").iterdir()) == [
        "011-an-older-one-2020.trig", graph.name]  # no temporary file left
    # the project holds no other graph: the names are new
    assert (PARK["baotou-equipment-manufacturing-industrial-park"], RDF.type, KG.IndustrialPark) in _parse(graph)
    again = runner.invoke(main, ["draft", str(article), "--id", "12"])
    assert again.exit_code == 1
    assert again.stderr.strip().splitlines()[-1] == f"Error: {graph}: exists; choose another --id or --output, or give --force"
    assert runner.invoke(main, ["draft", str(article), "--id", "12", "--force"]).exit_code == 0
    taken = runner.invoke(main, ["draft", str(article), "--id", "11"])
    assert taken.exit_code == 1
    assert taken.stderr.strip().splitlines()[-1] == (
        f"Error: {home / 'data' / 'graphs' / '011-baotou-park-adds-robot-2025.trig'}: number 011 is taken by "
        "011-an-older-one-2020.trig; choose another --id")


def test_names_from_the_files_given(runner, article: Path, tmp_path: Path):
    names = tmp_path / "names.ttl"
    names.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix kg: <https://w3id.org/kg/ont#> .\n"
        "<https://w3id.org/kg/id/place/qingshan-district> a kg:District ; skos:prefLabel \"Qingshan District\"@en .\n",
        encoding="utf-8")
    out = tmp_path / "d.trig"
    result = runner.invoke(main, ["draft", str(article), str(names), "-o", str(out), "--id", "3"])
    assert result.exit_code == 0, result.output
    ds = _parse(out)
    assert (PLACE["qingshan-district"], RDF.type, KG.District) in ds  # the class the file gives
    # the file's one name, and Baotou from the project's gazetteer; the park is new
    assert ": 2 entities linked to the graph, 2 new;" in result.stderr
    assert (PLACE.baotou, RDF.type, KG.PrefectureLevelCity) in ds


def test_stdout_output(runner, article: Path):
    result = runner.invoke(main, ["draft", str(article), "-o", "-", "--id", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Draft of the facts stated by 001_")
    assert "kg:reviewStatus kgs:draft" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"\xff\xfe\x00", "not UTF-8 text (byte 0): save the article as UTF-8"),
     (b"  \n", "the file is empty")],
)
def test_unreadable_input_is_a_one_line_error(runner, tmp_path: Path, content, message):
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(main, ["draft", str(path), "-o", str(tmp_path / "out.trig")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: {message}\n"
    assert not (tmp_path / "out.trig").exists()


def test_file_names_come_from_the_tool(tmp_path: Path):
    (tmp_path / "graphs").mkdir()
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "004_0123456789abcdef.txt").write_text("x", encoding="utf-8")
    art = parse_article(ARTICLE)
    plan = plan_files(art, tmp_path)
    assert plan.number == 5 and plan.graph_name == "005-baotou-park-adds-robot-2025.trig"
    assert plan.text_name == f"005_{text_hash(ARTICLE)}.txt"
    assert plan_files(art, tmp_path, 42).graph_name.startswith("042-")


GAZETTEER = """@prefix kg: <https://w3id.org/kg/ont#> . @prefix place: <https://w3id.org/kg/id/place/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix graph: <https://w3id.org/kg/graph/> .
graph:reference-divisions {
  place:wuhai a kg:PrefectureLevelCity ; skos:prefLabel "Wuhai"@en ;
      skos:altLabel "乌海市"@zh, "Wūhǎi Shì"@zh-Latn-pinyin ; kg:adminCode "150300" .
  place:haibowan-district a kg:District ; skos:prefLabel "Haibowan District"@en ;
      skos:altLabel "海勃湾区"@zh ; kg:adminCode "150302" ; kg:locatedIn place:wuhai .
}
"""


def test_gazetteer_divisions_join_the_name_index(tmp_path: Path):
    index = NameIndex()
    assert add_gazetteer(index, tmp_path) == 0  # no gazetteer: nothing added, no error
    (tmp_path / "reference" / "gazetteer").mkdir(parents=True)
    (tmp_path / "reference" / "gazetteer" / "divisions.trig").write_text(GAZETTEER, encoding="utf-8")
    assert add_gazetteer(index, tmp_path) == 2
    assert index.lookup("Wuhai city") == [PLACE.wuhai]
    assert index.lookup("乌海") == [PLACE.wuhai]
    assert index.lookup("150302") == [PLACE["haibowan-district"]]
    assert index.lookup("Haibowan") == [PLACE["haibowan-district"]]
    assert index.lookup("Wuhai Shi") == []  # toned pinyin is not indexed
    assert KG.District in index.known[PLACE["haibowan-district"]].classes


def test_names_from_a_store(runner, article: Path, tmp_path: Path):
    """The name index is one SPARQL query: a --store (made by kg load) gives the same links."""
    store = tmp_path / "store"
    loaded = runner.invoke(main, ["load", "--store", str(store)])
    assert loaded.exit_code == 0, loaded.output
    out = tmp_path / "d.trig"
    result = runner.invoke(main, ["draft", str(article), "--store", str(store), "-o", str(out), "--id", "5"])
    assert result.exit_code == 0, result.output
    ds = _parse(out)
    text = out.read_text(encoding="utf-8")
    assert "# why: linked: 'Baotou Equipment Manufacturing Industrial Park' is a name of this node" in text
    assert "# why: linked: 'Qingshan District' is a name of this node" in text
    assert (PARK["baotou-equipment-manufacturing-industrial-park"], KG.reviewStatus, KGS.draft) in ds


def test_outputs_are_all_or_nothing(tmp_path: Path):
    """A draft that cannot be written leaves no text behind; a conflict writes nothing."""
    from kg.draft.sources import save_draft
    from kg.errors import InputError, OutputError

    source = tmp_path / "in.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    texts = tmp_path / "articles"
    texts.mkdir()
    blocked = tmp_path / "graphs"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write"):  # one line, nothing written
        save_draft("# draft\n", blocked / "005-x.trig", ARTICLE, texts / "005_a.txt", source=source)
    assert list(texts.iterdir()) == []
    (texts / "005_a.txt").write_text("another text", encoding="utf-8")
    with pytest.raises(InputError, match="exists with another text; give --force"):
        save_draft("# draft\n", tmp_path / "005-x.trig", ARTICLE, texts / "005_a.txt", source=source)
    assert not (tmp_path / "005-x.trig").exists()
    assert save_draft("# draft\n", tmp_path / "005-x.trig", ARTICLE, source, source=source) == [tmp_path / "005-x.trig"]
