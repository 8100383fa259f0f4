from __future__ import annotations

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from kg.errors import UsageError
from kg.rdf.labels import find_by_name, label_of, resolve
from kg.namespaces import KG

EX = "http://example.org/"


@pytest.fixture
def g() -> Graph:
    g = Graph()
    g.bind("ex", EX)
    a, b = URIRef(EX + "a"), URIRef(EX + "b")
    g.add((a, RDF.type, KG.Firm))
    g.add((a, SKOS.prefLabel, Literal("First Machinery Group", lang="en")))
    g.add((a, SKOS.altLabel, Literal("Inner Mongolia No 1 machinery Group", lang="en")))
    g.add((a, SKOS.altLabel, Literal("包头第一机械", lang="zh")))
    g.add((b, SKOS.prefLabel, Literal("North Heavy Industries Group", lang="en")))
    return g


def test_label_prefers_preflabel_in_english(g):
    assert label_of(g, URIRef(EX + "a")) == "First Machinery Group"


def test_label_falls_back_to_iri_segment(g):
    assert label_of(g, URIRef(EX + "unlabelled")) == "unlabelled"


def test_resolve_by_alt_label_ignoring_case(g):
    assert resolve(g, "inner mongolia no 1 MACHINERY group") == URIRef(EX + "a")


def test_resolve_chinese_label(g):
    assert resolve(g, "包头第一机械") == URIRef(EX + "a")


def test_resolve_prefixed_iri(g):
    assert resolve(g, "ex:b") == URIRef(EX + "b")


def test_resolve_an_iri_used_only_as_object(g):
    """Data files name measures and units they do not describe (the ontology does)."""
    g.add((URIRef(EX + "m"), KG.measure, URIRef(EX + "revenue")))
    assert resolve(g, "ex:revenue") == URIRef(EX + "revenue")
    with pytest.raises(UsageError, match="no entity is named 'ex:nothing'"):
        resolve(g, "ex:nothing")


def test_ambiguous_name_lists_candidates(g):
    with pytest.raises(UsageError, match="ambiguous: 2 candidates"):
        resolve(g, "Group")


def test_unknown_name(g):
    with pytest.raises(UsageError, match="no entity is named 'Nowhere'"):
        resolve(g, "Nowhere")


def test_partial_match_only_when_no_exact(g):
    assert [c.iri for c in find_by_name(g, "north heavy")] == [URIRef(EX + "b")]


# --- by name on a store: the name index kg load keeps, SPARQL without it, memory ----------


@pytest.fixture(scope="module")
def project_store(tmp_path_factory):
    from kg.backends.bulk import load_store

    path = tmp_path_factory.mktemp("names") / "store"
    load_store(path)
    return path


def _names_to_try(ds) -> list[str]:  # type: ignore[no-untyped-def]
    """Every label of the project's data, a piece of each, a different case, and names of nothing."""
    from kg.rdf.labels import LABEL_PROPS

    labels = sorted({str(o) for p in LABEL_PROPS for o in ds.objects(None, p) if isinstance(o, Literal)})
    assert any(not name.isascii() for name in labels), "no Chinese names: the test proves less"
    pieces = [name[len(name) // 3 : len(name) // 3 + 5] for name in labels]
    return [*labels, *pieces, *(name.upper() for name in labels[:20]), "no such name at all", "Baotou", "ＢＡＯＴＯＵ", "park", ""]


def test_names_found_in_the_index_as_in_memory_and_by_sparql(project_store, project_dataset):
    import shutil

    from kg.backends.oxigraph import StoreBackend
    from kg.backends.merge import FOLDER, valid_names
    from kg.rdf.labels import find_by_name_via_query

    names = _names_to_try(project_dataset)
    memory = [[c.iri for c in find_by_name(project_dataset, name)] for name in names]
    with StoreBackend(project_store) as backend:
        assert valid_names(backend.path) is not None
        indexed = [backend.find_by_name(name) for name in names]
        queried = [find_by_name_via_query(backend, name) for name in names]
    assert indexed == memory
    assert queried == memory
    without = project_store.parent / "without-index"
    shutil.copytree(project_store, without)
    shutil.rmtree(without / FOLDER)
    with StoreBackend(without) as backend:
        assert valid_names(backend.path) is None
        assert [backend.find_by_name(name) for name in names] == memory
