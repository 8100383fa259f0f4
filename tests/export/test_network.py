"""The network exports (graphml, gexf, csv): which triples become nodes, edges, attributes."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest

from tests.export.support import GOLDEN, NETWORK_FORMATS, UPDATE_GOLDEN, sample_data
from kg.export.registry import FORMATS, write
from kg.export.network import project
from kg.rdf.terms import ExportData
from kg.rdf.loading import load_files

TINY = """
@prefix kg: <https://w3id.org/kg/ont#> .
@prefix kgm: <https://w3id.org/kg/measure/> .
@prefix cur: <http://qudt.org/vocab/currency/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix graph: <https://w3id.org/kg/graph/> .
@prefix place: <https://w3id.org/kg/id/place/> .
@prefix orgn: <https://w3id.org/kg/id/org/> .
@prefix obs: <https://w3id.org/kg/id/obs/> .

graph:t1 {
  orgn:acme a kg:Firm ; skos:prefLabel "Acme"@en ; skos:altLabel "阿克米"@zh, "ACME Ltd"@en ;
      kg:headquarteredIn place:town .
  place:town a kg:District ; skos:prefLabel "Town"@en ; kg:locatedIn place:city .
  obs:acme-output-2021 a kg:Measurement ; kg:about orgn:acme ; kg:measure kgm:output-value ;
      kg:value "1500000"^^xsd:decimal ; kg:unit cur:CNY ; kg:period "2021"^^xsd:gYear .
}
graph:t2 { place:town kg:locatedIn place:city . }
"""
ACME = "https://w3id.org/kg/id/org/acme"
TOWN = "https://w3id.org/kg/id/place/town"
CITY = "https://w3id.org/kg/id/place/city"
OBS = "https://w3id.org/kg/id/obs/acme-output-2021"


def test_network_formats_are_discovered():
    assert set(NETWORK_FORMATS) == {"graphml", "gexf", "csv"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> ExportData:
    f = tmp_path_factory.mktemp("tiny") / "tiny.trig"
    f.write_text(TINY, encoding="utf-8")
    return ExportData.from_dataset(load_files([f]))


def _bytes(fmt: str, data: ExportData) -> bytes:
    buf = io.BytesIO()
    write(FORMATS[fmt], data, None, buf)
    return buf.getvalue()


def test_entities_and_linked_resources_are_nodes_classes_and_literals_are_not(tiny: ExportData):
    net = project(tiny)
    ids = {n.id for n in net.nodes}
    assert ids == {ACME, TOWN, CITY, OBS, "https://w3id.org/kg/measure/output-value", "http://qudt.org/vocab/currency/CNY"}


def test_links_are_edges_typed_by_predicate_with_their_graphs(tiny: ExportData):
    edges = {(e.source, e.type, e.target): e for e in project(tiny).edges}
    assert set(edges) == {
        (ACME, "headquarteredIn", TOWN),
        (TOWN, "locatedIn", CITY),
        (OBS, "about", ACME),
        (OBS, "measure", "https://w3id.org/kg/measure/output-value"),
        (OBS, "unit", "http://qudt.org/vocab/currency/CNY"),
    }
    located = edges[(TOWN, "locatedIn", CITY)]
    assert located.predicate == "kg:locatedIn"
    assert located.graphs == "graph:t1 graph:t2"


def test_literals_become_node_attributes(tiny: ExportData):
    nodes = {n.id: n for n in project(tiny).nodes}
    acme = nodes[ACME]
    assert acme.attrs["label"] == "Acme"
    assert acme.attrs["class"] == "Firm"
    assert acme.labels == ("Firm",)
    assert acme.attrs["skos_altLabel"] == "ACME Ltd | 阿克米"
    assert nodes[OBS].attrs["kg_value"] == "1500000"
    assert nodes[OBS].attrs["kg_period"] == "2021"
    assert nodes[CITY].attrs["label"] == "city"  # no label: the IRI's last segment
    assert nodes[CITY].labels == ("Resource",)


def test_numeric_attributes_are_numbers_only_when_every_value_is_one(tiny: ExportData):
    net = project(tiny)
    assert "kg_value" in net.numeric
    assert "kg_period" not in net.numeric  # a gYear is not a number
    assert "skos_altLabel" not in net.numeric


def test_graphml_reads_back_in_networkx_and_igraph(tiny: ExportData, tmp_path: Path):
    path = tmp_path / "t.graphml"
    path.write_bytes(_bytes("graphml", tiny))
    g = nx.read_graphml(path, force_multigraph=True)
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 5
    assert g.nodes[ACME]["label"] == "Acme"
    assert g.nodes[OBS]["kg_value"] == 1500000.0
    assert {d["label"] for _, _, d in g.edges(data=True)} == {"headquarteredIn", "locatedIn", "about", "measure", "unit"}
    import igraph

    ig = igraph.Graph.Read_GraphML(str(path))
    assert ig.vcount() == 6 and ig.ecount() == 5


def test_gexf_reads_back_and_carries_no_date(tiny: ExportData, tmp_path: Path):
    data = _bytes("gexf", tiny)
    assert b"lastmodifieddate" not in data
    assert b"networkx_key" not in data
    path = tmp_path / "t.gexf"
    path.write_bytes(data)
    g = nx.read_gexf(path)
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 5
    assert g.nodes[TOWN]["label"] == "Town"
    assert g.nodes[TOWN]["class"] == "District"


def test_csv_pair_reads_in_pandas_with_neo4j_headers(tiny: ExportData, tmp_path: Path):
    import pandas as pd

    write(FORMATS["csv"], tiny, tmp_path / "out", io.BytesIO())
    nodes = pd.read_csv(tmp_path / "out" / "nodes.csv", dtype=str, keep_default_na=False)
    edges = pd.read_csv(tmp_path / "out" / "edges.csv", dtype=str, keep_default_na=False)
    assert list(nodes.columns[:2]) == ["iri:ID", ":LABEL"]
    assert "kg_value:double" in nodes.columns  # Neo4j reads it as a number
    assert list(edges.columns[:3]) == [":START_ID", ":END_ID", ":TYPE"]
    assert set(edges[":START_ID"]) | set(edges[":END_ID"]) <= set(nodes["iri:ID"])
    acme = nodes.set_index("iri:ID").loc[ACME]
    assert acme[":LABEL"] == "Firm" and acme["label"] == "Acme"
    assert nodes.set_index("iri:ID").loc[OBS, "kg_value:double"] == "1500000"  # lexical form kept
    assert len(edges) == 5


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_same_graph_same_bytes(fmt: str, tiny: ExportData):
    assert _bytes(fmt, tiny) == _bytes(fmt, tiny)


def test_project_network_states_what_the_articles_say(project_dataset):
    net = project(ExportData.from_dataset(project_dataset))
    nodes = {n.id: n for n in net.nodes}
    baotou = "https://w3id.org/kg/id/place/baotou"
    assert nodes[baotou].attrs["label"] == "Baotou"
    assert "PrefectureLevelCity" in nodes[baotou].labels
    edges = {(e.source, e.predicate, e.target) for e in net.edges}
    assert ("https://w3id.org/kg/id/place/qingshan-district", "kg:locatedIn", baotou) in edges
    assert not any(e.predicate == "rdf:type" for e in net.edges)


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_golden(fmt: str, tmp_path: Path):
    data = sample_data()
    f = FORMATS[fmt]
    if f.files:
        write(f, data, tmp_path, io.BytesIO())
        got = {name: (tmp_path / name).read_bytes() for name in f.files}
    else:
        got = {f"sample.out{f.suffix}": _bytes(fmt, data)}
    for name, content in got.items():
        golden = GOLDEN / (f"sample.out.{name}" if f.files else name)
        if UPDATE_GOLDEN:
            golden.write_bytes(content)
        assert golden.exists(), f"{golden} is missing: run with KG_UPDATE_GOLDEN=1"
        assert content == golden.read_bytes(), name
