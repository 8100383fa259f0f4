"""kg.backends.merge: the copy of a store's default graph that ``kg load`` keeps, used only while
the store is as the load left it."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg.backends import merge as store_merge
from kg.backends.oxigraph import StoreBackend
from kg.backends.bulk import load_store
from kg.errors import InputError

EX = "http://example.org/"
VALID = f"""@prefix ex: <{EX}> .
@prefix kg: <https://w3id.org/kg/ont#> .
ex:acme a kg:Firm ; <http://www.w3.org/2004/02/skos/core#prefLabel> "Acme" ; ex:size "8.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .
"""


def _triples(text: bytes) -> set[ox.Triple]:
    return set(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))


def _default_graph(store_dir) -> set[ox.Triple]:  # type: ignore[no-untyped-def]
    store = ox.Store.read_only(str(store_dir))
    try:
        return {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    finally:
        del store


@pytest.fixture
def files(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.nt"
    a.write_text(VALID, encoding="utf-8")
    b.write_text(f"<{EX}beta> <http://www.w3.org/2004/02/skos/core#prefLabel> \"Beta\" .\n<{EX}acme> <http://www.w3.org/2004/02/skos/core#prefLabel> \"Acme\" .\n", encoding="utf-8")
    return a, b


def _canonical(triples: set[ox.Triple]) -> set[ox.Triple]:
    """Triples as a store keeps them (typed literals in canonical form)."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return {q.triple for q in store}


def test_the_copy_is_the_default_graph(tmp_path, files):
    load_store(tmp_path / "s", [str(f) for f in files])
    kept = store_merge.valid_copy(tmp_path / "s")
    assert kept is not None
    assert _canonical(_triples(kept.read_bytes())) == _default_graph(tmp_path / "s")
    assert len(_default_graph(tmp_path / "s")) == 4  # acme's name is in both files: once here


def test_a_later_load_adds_to_the_copy_and_replace_starts_it_again(tmp_path, files):
    a, b = files
    load_store(tmp_path / "s", [str(a)])
    load_store(tmp_path / "s", [str(b)])
    kept = store_merge.valid_copy(tmp_path / "s")
    assert kept is not None and _canonical(_triples(kept.read_bytes())) == _default_graph(tmp_path / "s")
    names = store_merge.valid_names(tmp_path / "s")
    assert names is not None
    assert sorted(names.read_text().splitlines()) == [f"acme\t{EX}acme", f"acme\t{EX}acme", f"beta\t{EX}beta"]
    load_store(tmp_path / "s", [str(b)], replace=True)
    kept = store_merge.valid_copy(tmp_path / "s")
    assert kept is not None and len(_triples(kept.read_bytes())) == 2


def test_reading_the_store_keeps_the_copy(tmp_path, files):
    load_store(tmp_path / "s", [str(files[0])])
    with StoreBackend(tmp_path / "s") as backend:
        backend.query("SELECT * WHERE { ?s ?p ?o }")
    assert store_merge.valid_copy(tmp_path / "s") is not None


def test_a_write_by_another_tool_drops_the_copy(tmp_path, files):
    load_store(tmp_path / "s", [str(files[0])])
    store = ox.Store(str(tmp_path / "s"))
    store.add(ox.Quad(ox.NamedNode(f"{EX}x"), ox.NamedNode(f"{EX}y"), ox.NamedNode(f"{EX}z")))
    del store
    assert store_merge.valid_copy(tmp_path / "s") is None
    assert store_merge.valid_names(tmp_path / "s") is None
    load_store(tmp_path / "s", [str(files[1])])  # the store was not as its copy: none is kept
    assert store_merge.valid_copy(tmp_path / "s") is None
    assert not (tmp_path / "s" / store_merge.FOLDER).exists()


def test_a_failed_load_leaves_no_copy(tmp_path, files):
    load_store(tmp_path / "s", [str(files[0])])
    bad = tmp_path / "bad.nq"
    bad.write_text(f"<{EX}a> <{EX}b> <{EX}c> <{EX}g> .\n<{EX}a> <{EX}b> .\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_store(tmp_path / "s", [str(bad)])
    assert store_merge.valid_copy(tmp_path / "s") is None


def test_a_copy_that_does_not_match_its_record_is_not_used(tmp_path, files):
    load_store(tmp_path / "s", [str(files[0])])
    kept = store_merge.valid_copy(tmp_path / "s")
    assert kept is not None
    with kept.open("ab") as fh:
        fh.write(f"<{EX}x> <{EX}y> <{EX}z> .\n".encode())
    assert store_merge.valid_copy(tmp_path / "s") is None


VIOLATION = f"<{EX}acme> <https://w3id.org/kg/ont#foundingYear> \"not a year\" .\n"


def _results(store_dir) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    from kg.validate.backend import validate_backend

    with StoreBackend(store_dir) as backend:
        report = validate_backend(backend, engine="fast")
    return {(str(r.focus), r.constraint) for r in report.results}


def test_validate_reads_the_copy_and_never_a_stale_one(tmp_path, files):
    """The copy is what the core validator reads (a triple only in it shows in the report), and
    once the store changes, the store itself is read again."""
    load_store(tmp_path / "s", [str(files[0])], ontology=True)
    before = _results(tmp_path / "s")
    kept = store_merge.valid_copy(tmp_path / "s")
    assert kept is not None
    text = kept.read_bytes() + VIOLATION.encode()
    kept.write_bytes(text)  # a copy that says more than the store, recorded as current
    manifest = kept.parent / store_merge.MANIFEST
    record = json.loads(manifest.read_text())
    record["bytes"][store_merge.MERGE] = len(text)
    manifest.write_text(json.dumps(record))
    assert store_merge.valid_copy(tmp_path / "s") == kept
    read_from_copy = _results(tmp_path / "s")
    assert read_from_copy - before, "the kept copy was not read"
    store = ox.Store(str(tmp_path / "s"))  # a change to the store: the copy is stale
    store.add(ox.Quad(ox.NamedNode(f"{EX}x"), ox.NamedNode(f"{EX}y"), ox.NamedNode(f"{EX}z"), ox.NamedNode(f"{EX}g")))
    del store
    assert _results(tmp_path / "s") == before
