"""The check every query passes (kg/rdf/sparql_guard/): here, what its cache remembers
between runs and that a remembered text is still refused for what the cheap checks find."""

from __future__ import annotations

import pytest

from kg import cache
from kg.errors import QueryError, UsageError
from kg.rdf.sparql_guard import check as sparql_guard
from kg.rdf.sparql_guard import ServiceRefused, check_run_text


@pytest.fixture
def fresh_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    return tmp_path


def _remembered(text: str) -> bool:
    return sparql_guard._plain_before(text)


def test_a_plain_query_is_parsed_once_then_remembered(fresh_cache, monkeypatch):
    text = "SELECT ?s WHERE { ?s a kg:Firm . FILTER(?s != <http://example.org/unparsed-before>) }"
    assert not _remembered(text)
    assert check_run_text(text, "q") == text
    assert _remembered(text)

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(sparql_guard, "check_query", no_parse)
    assert check_run_text(text, "q") == text  # the second run trusts the first parse


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",  # FROM: checked against the data every time
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",  # allowed below, never remembered
    ],
)
def test_what_depends_on_the_run_is_not_remembered(fresh_cache, text):
    check_run_text(text, "q", graphs=lambda: [], allow_network=True)
    assert not _remembered(text)


def test_refused_and_unparsable_texts_are_not_remembered(fresh_cache):
    for text, error in [("SELECT * WHERE { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }", ServiceRefused),
                        ("SELECT * WHERE { ?s ?p", QueryError)]:  # fmt: skip
        with pytest.raises(error):
            check_run_text(text, "q", allow_network=False)
        assert not _remembered(text)
    assert not any(p.is_file() for p in fresh_cache.rglob("*"))


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }", ServiceRefused),
        ("SELECT * WHERE { SeRvIcE ?x { ?s ?p ?o } }", ServiceRefused),
        ("INSERT DATA { <http://a/s> <http://a/p> <http://a/o> }", UsageError),
    ],
)
def test_a_remembered_text_still_passes_the_cheap_checks(fresh_cache, text, error):
    """Even an entry that should not be there (a cache written by hand) does not let SERVICE or
    an update through: the lexical checks run on every text."""
    cache.write(sparql_guard._PLAIN, sparql_guard._plain_key(text), b"forged\n")
    assert _remembered(text)
    with pytest.raises(error):
        check_run_text(text, "q", allow_network=False)


def test_the_cache_off_parses_every_time(monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", "")
    text = "SELECT ?o WHERE { <http://example.org/off> ?p ?o }"
    check_run_text(text, "q")
    assert not _remembered(text)
