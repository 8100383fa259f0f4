from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.rdf.loading import load_files, load_project


def test_project_loads_ontology_and_articles(project_dataset):
    names = {str(g.identifier) for g in project_dataset.graphs() if len(g)}
    assert "https://w3id.org/kg/graph/ontology" in names


def test_missing_file_is_one_line_error(tmp_path: Path):
    with pytest.raises(InputError, match=r"nope\.ttl: no such file"):
        load_files([tmp_path / "nope.ttl"])


def test_bad_turtle_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c ;\n ex:d .\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_files([bad])
    message = str(info.value)
    assert message.startswith(f"{bad}:4:") or message.startswith(f"{bad}:3:")
    assert "\n" not in message


def test_unknown_suffix_lists_known_formats(tmp_path: Path):
    odd = tmp_path / "data.xyz"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"\.ttl"):
        load_files([odd])


def test_not_utf8_names_line(tmp_path: Path):
    bad = tmp_path / "latin.ttl"
    bad.write_bytes(b"@prefix ex: <http://example.org/> .\nex:a ex:b \"caf\xe9\" .\n")
    with pytest.raises(InputError, match=r"latin\.ttl:2: not UTF-8"):
        load_files([bad])


def test_triple_files_go_to_a_named_graph_per_file(tmp_path: Path):
    f = tmp_path / "one.nt"
    f.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    ds = load_files([f])
    graphs = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    assert graphs == {f.resolve().as_uri(): 1}


def test_load_project_is_deterministic_in_size():
    assert len(load_project()) == len(load_project())


BOMB = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>&b;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_rdfxml_with_entities_is_refused_before_parsing(tmp_path: Path):
    f = tmp_path / "bomb.rdf"
    f.write_text(BOMB, encoding="utf-8")
    with pytest.raises(InputError, match=r"bomb\.rdf:2: RDF/XML with a DTD or entity declarations is refused"):
        load_files([f])


def test_plain_rdfxml_loads(tmp_path: Path):
    f = tmp_path / "ok.rdf"
    f.write_text(BOMB.split("]>\n", 1)[1].replace("&b;", "v"), encoding="utf-8")
    assert len(load_files([f])) == 1


def test_deep_nesting_is_an_input_error(tmp_path: Path):
    f = tmp_path / "deep.ttl"
    f.write_text("<http://example.org/s> <http://example.org/p> " + "[ <http://example.org/p> " * 3000 + "1" + " ]" * 3000 + " .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"deep\.ttl: nested too deeply"):
        load_files([f])
