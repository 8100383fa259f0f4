"""The RDF exports (turtle, nt, nquads, trig, jsonld, xml): lossless, deterministic, golden.

Golden outputs live in tests/golden/export/ (sample.trig -> sample.out.*); after an intended
change of output, refresh them with ``KG_UPDATE_GOLDEN=1 pytest tests/test_export_rdf.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.export.support import (
    GOLDEN,
    RDF_FORMATS,
    SAMPLE,
    UPDATE_GOLDEN,
    export_bytes,
    export_file,
    oxigraph_expected,
    oxigraph_reads,
    reparse,
    same_content,
    sample_data,
    union,
)
from kg.export.registry import FORMATS
from kg.rdf.terms import ExportData, ExportError
from kg.rdf.loading import load_files


def test_rdf_formats_are_discovered():
    assert {"turtle", "nt", "nquads", "trig", "jsonld", "xml"} <= set(RDF_FORMATS)


@pytest.fixture(scope="module")
def sample() -> ExportData:
    return sample_data()


@pytest.fixture(scope="module")
def project(project_dataset) -> ExportData:
    return ExportData.from_dataset(project_dataset)


# --- lossless: rdflib reads back what was written ----------------------------------------


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_sample_round_trips(fmt: str, sample: ExportData, tmp_path: Path):
    parsed = reparse(export_file(fmt, sample, tmp_path))
    assert same_content(fmt, sample, parsed)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_project_round_trips(fmt: str, project: ExportData, tmp_path: Path):
    parsed = reparse(export_file(fmt, project, tmp_path))
    assert same_content(fmt, project, parsed)


@pytest.mark.parametrize("fmt", [f for f in RDF_FORMATS if FORMATS[f].graphs])
def test_named_graphs_are_kept_and_each_is_isomorphic(fmt: str, sample: ExportData, tmp_path: Path):
    ds = load_files([export_file(fmt, sample, tmp_path)])
    parsed = {g.identifier: g for g in ds.graphs() if len(g)}
    names = [g for g in sample.graphs if g is not None]
    assert len(names) == 2
    for name in names:
        original = Graph()
        for t in sample.graphs[name]:
            original.add(t)
        assert isomorphic(parsed[name], original), name


@pytest.mark.parametrize("fmt", [f for f in RDF_FORMATS if not FORMATS[f].graphs])
def test_triple_formats_hold_the_union(fmt: str, sample: ExportData, tmp_path: Path):
    original, parsed = Graph(), Graph()
    for t in sample.triples:
        original.add(t)
    for t in reparse(export_file(fmt, sample, tmp_path)).triples:
        parsed.add(t)
    assert isomorphic(parsed, original)


@pytest.fixture(scope="module")
def shapes_and_ontology() -> ExportData:
    """The real SHACL shapes (blank nodes, lists, SPARQL strings) with the ontology."""
    from kg.export.registry import ExportRequest, select

    return ExportData.from_dataset(select(ExportRequest(include=("ontology", "shapes"))))


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_shapes_and_ontology_round_trip(fmt: str, shapes_and_ontology: ExportData, tmp_path: Path):
    path = export_file(fmt, shapes_and_ontology, tmp_path)
    assert same_content(fmt, shapes_and_ontology, reparse(path))
    assert oxigraph_reads(path) == oxigraph_expected(fmt, shapes_and_ontology)


# --- lossless: a second, independent parser (pyoxigraph) reads the same ------------------


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_oxigraph_reads_the_sample(fmt: str, sample: ExportData, tmp_path: Path):
    assert oxigraph_reads(export_file(fmt, sample, tmp_path)) == oxigraph_expected(fmt, sample)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_oxigraph_reads_the_project(fmt: str, project: ExportData, tmp_path: Path):
    assert oxigraph_reads(export_file(fmt, project, tmp_path)) == oxigraph_expected(fmt, project)


# --- literals as written ----------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"
AS_WRITTEN = [
    ("01", "integer"),
    ("+5", "integer"),
    ("079.140", "decimal"),
    ("79140000000", "decimal"),
    ("1", "boolean"),
    ("1e3", "double"),
    ("2021", "gYear"),
]


@pytest.mark.parametrize(("lexical", "datatype"), AS_WRITTEN)
def test_ntriples_keep_lexical_forms(lexical: str, datatype: str, sample: ExportData):
    assert f'"{lexical}"^^<{XSD}{datatype}>'.encode() in export_bytes("nt", sample)


def test_turtle_writes_numbers_bare_only_when_they_read_back_the_same(sample: ExportData):
    text = export_bytes("turtle", sample).decode()
    assert "kg:yoyChange 1.50 ." in text  # reads back as "1.50"
    assert '"079.140"^^xsd:decimal' in text  # bare 079.140 would read back as "79.140"
    assert '"01"^^xsd:integer' in text
    assert '"79140000000"^^xsd:decimal' in text  # bare, it would be an integer
    assert '"1"^^xsd:boolean' in text


def test_language_tags_and_explicit_xsd_string_survive(sample: ExportData, tmp_path: Path):
    for fmt in RDF_FORMATS:
        parsed = reparse(export_file(fmt, sample, tmp_path, stem=fmt))
        langs = {o.language for _, _, o in parsed.triples if getattr(o, "language", None)}
        assert {"en", "zh", "zh-Hant", "en-GB"} <= langs, fmt
        typed = [o for _, _, o in parsed.triples if str(o) == "typed"]
        assert [str(o.datatype) for o in typed] == [XSD + "string"], fmt


# --- deterministic ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_same_graph_same_bytes(fmt: str, sample: ExportData):
    assert export_bytes(fmt, sample) == export_bytes(fmt, sample_data())


SHUFFLED = """
@prefix ex: <http://example.org/> .
ex:g { _:{b} ex:q "2" . ex:s ex:p _:{a} . _:{a} ex:q "1" ; ex:r _:{b} . }
"""


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_blank_node_labels_do_not_change_the_output(fmt: str, tmp_path: Path):
    outs = []
    for a, b in (("x", "y"), ("zz", "aa")):
        f = tmp_path / f"{a}.trig"
        f.write_text(SHUFFLED.replace("{a}", a).replace("{b}", b), encoding="utf-8")
        outs.append(export_bytes(fmt, ExportData.from_dataset(load_files([f]))))
    assert outs[0] == outs[1]


def test_turtle_is_byte_identical_across_processes(run_kg, tmp_path: Path):
    outs = []
    for seed in ("1", "2"):
        r = run_kg("export", "--format", "turtle", str(SAMPLE), env={"PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        assert r.stderr.startswith("Note: turtle holds the union of the graphs") and r.stderr.count("\n") == 1
        outs.append(r.stdout)
    assert outs[0] == outs[1]
    assert outs[0].startswith("@prefix ")


# --- layout -------------------------------------------------------------------------------


def test_turtle_groups_by_subject_sorted_with_type_first(sample: ExportData):
    text = export_bytes("turtle", sample).decode()
    block = text.split("\nplace:baotou ", 1)[1].split(" .\n", 1)[0]
    verbs = [line.split()[0] for line in ("place:baotou " + block).splitlines() if not line.startswith("        ")]
    verbs[0] = block.split()[0]
    # "a" first, then by predicate IRI: example.org, skos (w3.org), then kg (w3id.org)
    assert verbs == ["a", "<http://example.org/ns/mentions>", "skos:altLabel", "skos:prefLabel", "kg:locatedIn"]
    starts = [line.split(" ", 1)[0] for line in text.splitlines() if line and not line[0].isspace() and not line.startswith("@")]
    iris = [s for s in starts if not s.startswith("_:")]
    assert len(iris) == len(set(iris)), "each subject once"


def test_turtle_writes_lists_and_single_use_blank_nodes_inline(sample: ExportData):
    text = export_bytes("turtle", sample).decode()
    assert "owl:unionOf ( kg:Place kg:IndustrialPark )" in text
    assert "<http://example.org/ns/blank> [] ." in text


def test_jsonld_reads_like_plain_json(sample: ExportData):
    doc = json.loads(export_bytes("jsonld", sample))
    assert doc["@context"]["kg"] == "https://w3id.org/kg/ont#"
    assert all(isinstance(v, str) and v.startswith("http") for v in doc["@context"].values())
    graphs = {node["@id"]: node for node in doc["@graph"]}
    a = graphs["graph:sample-a"]
    assert a["rdfs:label"] == {"@value": "Sample graph A", "@language": "en"}
    baotou = next(n for n in a["@graph"] if n["@id"] == "place:baotou")
    assert baotou["@type"] == "kg:PrefectureLevelCity"
    assert baotou["kg:locatedIn"] == {"@id": "place:inner-mongolia"}
    obs = next(n for n in a["@graph"] if n["@id"] == "obs:baotou-output-2021")
    assert obs["kg:value"] == {"@value": "79140000000", "@type": "xsd:decimal"}
    assert obs["http://example.org/ns/plain"] == "plain"


def test_jsonld_never_names_a_remote_context(project: ExportData):
    doc = json.loads(export_bytes("jsonld", project))
    assert isinstance(doc["@context"], dict)


# --- what a format cannot hold is an error naming the term ---------------------------------

BAD_XML = [
    ("<http://example.org/s> <http://example.org/123> \"x\" .\n", "does not end in an XML name"),
    ("<http://example.org/s> <http://example.org/p> \"bell\\u0007\" .\n", r"U\+0007"),
    ("<http://example.org/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#li> \"x\" .\n", "as a property"),
]


@pytest.mark.parametrize(("nt", "message"), BAD_XML)
def test_rdfxml_refuses_what_it_cannot_write(nt: str, message: str, tmp_path: Path):
    f = tmp_path / "bad.nt"
    f.write_text(nt, encoding="utf-8")
    with pytest.raises(ExportError, match=message):
        export_bytes("xml", ExportData.from_dataset(load_files([f])))
    assert export_bytes("nt", ExportData.from_dataset(load_files([f])))  # N-Triples can


def test_jsonld_refuses_an_iri_that_would_read_as_a_prefixed_name(tmp_path: Path):
    f = tmp_path / "odd.nt"
    f.write_text("<kg:odd> <http://example.org/p> \"x\" .\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"JSON-LD cannot write the IRI <kg:odd>"):
        export_bytes("jsonld", ExportData.from_dataset(load_files([f])))


# --- golden outputs -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_golden(fmt: str, sample: ExportData):
    golden = GOLDEN / f"sample.out{FORMATS[fmt].suffix}"
    got = export_bytes(fmt, sample)
    if UPDATE_GOLDEN:
        golden.write_bytes(got)
    assert golden.exists(), f"{golden} is missing: run with KG_UPDATE_GOLDEN=1"
    assert got == golden.read_bytes()
    assert same_content(fmt, sample, reparse(golden))


def test_union_helper_is_not_trivially_equal(sample: ExportData):
    assert union(sample) != sample.quads  # the sample has named graphs: the helper must matter
