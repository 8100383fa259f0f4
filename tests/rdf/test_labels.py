from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from kg.errors import UsageError
from kg.rdf.fits import EXACT, PARTIAL, SHORT, name_fit
from kg.rdf.labels import also_named, find_by_name, label_of, name_fits, resolve
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
    """A fifth of the labels of the project's data (every fifth, sorted: hundreds, in both
    scripts), a piece of each, a different case, and names of nothing."""
    from kg.rdf.labels import LABEL_PROPS

    labels = sorted({str(o) for p in LABEL_PROPS for o in ds.objects(None, p) if isinstance(o, Literal)})[::5]
    assert any(not name.isascii() for name in labels), "no Chinese names: the test proves less"
    pieces = [name[len(name) // 3 : len(name) // 3 + 5] for name in labels]
    return [*labels, *pieces, *(name.upper() for name in labels[:20]), "no such name at all", "Baotou", "ＢＡＯＴＯＵ", "park", "", "包头", "qingshan"]


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


@pytest.mark.parametrize(
    "label, wanted, fit",
    [
        ("包头市", "包头市", EXACT),
        ("包头市", "包头", SHORT),
        ("qingshan district", "qingshan", SHORT),
        ("包头装备制造产业园", "包头", PARTIAL),
        ("baotou park", "baotou", PARTIAL),
        ("baotou", "包头", None),
    ],
)
def test_name_fit(label, wanted, fit):
    assert name_fit(label, wanted) == fit


def test_a_division_short_name_beats_a_partial_name(project_dataset, runner):
    """包头 is part of the park's Chinese name and the short name of 包头市 (Baotou): Baotou,
    as `Baotou` is; the park is listed beside it."""
    from kg.cli import main

    assert [c.iri for c in find_by_name(project_dataset, "包头")] == [URIRef("https://w3id.org/kg/id/place/baotou")]
    assert resolve(project_dataset, "包头") == resolve(project_dataset, "Baotou")
    result = runner.invoke(main, ["describe", "包头"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Baotou\n======\n")
    assert result.stderr == (
        "Note: '包头' is Baotou's short name; it also fits Baotou Equipment Manufacturing Industrial Park "
        "<https://w3id.org/kg/id/park/baotou-equipment-manufacturing-industrial-park>\n"
    )
    exact = runner.invoke(main, ["describe", "Baotou"])
    assert exact.exit_code == 0 and exact.stderr == ""  # the whole name: nothing to list


def test_an_exact_full_name_beats_a_partial_one():
    g = Graph()
    g.add((URIRef(EX + "a"), RDFS.label, Literal("Acme")))
    g.add((URIRef(EX + "b"), RDFS.label, Literal("Acme Park")))
    assert [c.iri for c in find_by_name(g, "acme")] == [URIRef(EX + "a")]
    assert also_named(name_fits(g, "acme"), URIRef(EX + "a")) == []
