"""The W3C syntax test suites, read by kg in strict mode.

The suites are data, not part of this repository: ``../shared/w3c/`` beside the checkout, or
the folder named by ``KG_W3C_TESTS``. Without them every test here is skipped, with the reason.

- Turtle, TriG, N-Triples, N-Quads: positive syntax tests load with ``strict=True``; negative
  ones are refused with a one-line InputError; evaluation tests load and give the expected
  graph (compared after RDFC-1.0 canonicalisation).
- SPARQL 1.1 query syntax: positive tests pass :func:`kg.rdf.strict.check_query` and kg's own
  parse (:func:`kg.query.engine.prepare`); negative ones are refused with a QueryError.

Known exceptions are listed in KNOWN with the reason; they are strict xfails, so a test that
starts to pass (an rdflib fix) fails until its entry is removed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
W3C = Path(os.environ.get("KG_W3C_TESTS") or TESTS.parent.parent / "shared" / "w3c")

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT = "http://www.w3.org/ns/rdftest#"

#: Suite folder -> the manifest's test types: (kind, type IRI).
SUITES: dict[str, list[tuple[str, str]]] = {
    "rdf-turtle": [("positive", RDFT + "TestTurtlePositiveSyntax"), ("negative", RDFT + "TestTurtleNegativeSyntax"), ("eval", RDFT + "TestTurtleEval")],
    "rdf-trig": [("positive", RDFT + "TestTrigPositiveSyntax"), ("negative", RDFT + "TestTrigNegativeSyntax"), ("eval", RDFT + "TestTrigEval")],
    "rdf-n-triples": [("positive", RDFT + "TestNTriplesPositiveSyntax"), ("negative", RDFT + "TestNTriplesNegativeSyntax")],
    "rdf-n-quads": [("positive", RDFT + "TestNQuadsPositiveSyntax"), ("negative", RDFT + "TestNQuadsNegativeSyntax")],
    "sparql11/syntax-query": [("positive", MF + "PositiveSyntaxTest11"), ("negative", MF + "NegativeSyntaxTest11")],
}

_NUMBERS = "rdflib's Turtle/TriG parser rewrites bare numbers (01 -> 1, +1 -> 1) whatever NORMALIZE_LITERALS says"
_DOTS = "rdflib resolves relative IRIs without removing dot segments (RFC 3986 5.2.4): <./g> stays http://a/./g"
#: test id -> why kg (rdflib) does not pass it.
KNOWN: dict[str, str] = {
    "rdf-n-triples/minimal_whitespace": "rdflib's N-Triples parser needs a space between terms (<s><p><o>. is valid)",
    "rdf-turtle/positive_numeric": _NUMBERS,
    "rdf-turtle/numeric_with_leading_0": _NUMBERS,
    "rdf-turtle/turtle-subm-11": _NUMBERS,
    "rdf-trig/positive_numeric": _NUMBERS,
    "rdf-trig/numeric_with_leading_0": _NUMBERS,
    "rdf-trig/trig-subm-11": _NUMBERS,
    **{f"{suite}/IRI-resolution-0{n}": _DOTS for suite in ("rdf-turtle", "rdf-trig") for n in (1, 2, 7, 8)},
}


@dataclass(frozen=True)
class Case:
    suite: str
    kind: str  # positive | negative | eval
    action: Path
    result: Path | None
    base: str  # the suite's mf:assumedTestBase

    @property
    def id(self) -> str:
        return f"{self.suite}/{self.action.stem}"


def discover() -> list[Case]:
    """Every test of the suites' manifests (empty when the suites are not there)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    cases: list[Case] = []
    for suite, kinds in SUITES.items():
        manifest = W3C / suite / "manifest.ttl"
        if not manifest.is_file():
            continue
        g = Graph()
        g.parse(manifest, format="turtle", publicID=manifest.as_uri())
        base = str(g.value(URIRef(manifest.as_uri()), URIRef(MF + "assumedTestBase")) or manifest.parent.as_uri() + "/")
        for kind, type_iri in kinds:
            for test in g.subjects(RDF.type, URIRef(type_iri)):
                action = g.value(test, URIRef(MF + "action"))
                result = g.value(test, URIRef(MF + "result"))
                cases.append(Case(suite, kind, Path(str(action).removeprefix("file://")),
                                  Path(str(result).removeprefix("file://")) if result is not None else None, base))
    return sorted(cases, key=lambda c: (c.suite, c.kind, c.action.name))


CASES = discover()
MISSING = f"the W3C test suites are not at {W3C} (set KG_W3C_TESTS to their folder)"


def _params(suites: tuple[str, ...]) -> list:
    chosen = [c for c in CASES if c.suite in suites]
    if not chosen:
        return [pytest.param(None, marks=pytest.mark.skip(reason=MISSING), id="missing")]
    return [
        pytest.param(c, id=f"{c.kind}:{c.id}", marks=[pytest.mark.xfail(reason=KNOWN[c.id], strict=True)] if c.id in KNOWN else [])
        for c in chosen
    ]


def test_every_known_exception_names_a_test():
    if not CASES:
        pytest.skip(MISSING)
    ids = {c.id for c in CASES}
    assert sorted(set(KNOWN) - ids) == []


def test_the_suites_are_all_there():
    if not CASES:
        pytest.skip(MISSING)
    kinds = {(c.suite, c.kind) for c in CASES}
    assert kinds == {(suite, kind) for suite, entries in SUITES.items() for kind, _ in entries}


# --- RDF ---------------------------------------------------------------------------------


def _canonical(quads) -> list[str]:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(map(str, ds))


def _ox_term(term, rebase: tuple[str, str]):  # type: ignore[no-untyped-def]
    """An rdflib term as a pyoxigraph one; IRIs under the test folder moved to the suite's base;
    language tags lower-cased (they are case-insensitive)."""
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        text = str(term)
        return ox.NamedNode(rebase[1] + text[len(rebase[0]):] if text.startswith(rebase[0]) else text)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language.lower())
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def _loaded_quads(path: Path, base: str) -> list:
    import pyoxigraph as ox
    from rdflib import URIRef
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from kg.rdf.loading import load_file, new_dataset

    ds = new_dataset()
    load_file(ds, path, strict=True)
    rebase = (path.parent.resolve().as_uri() + "/", base)
    default = {DATASET_DEFAULT_GRAPH_ID, URIRef(path.resolve().as_uri())}  # a triple file's own graph
    quads = []
    for g in ds.graphs():
        name = ox.DefaultGraph() if g.identifier in default else _ox_term(g.identifier, rebase)
        quads += [ox.Quad(_ox_term(s, rebase), _ox_term(p, rebase), _ox_term(o, rebase), name) for s, p, o in g]
    return quads


def _expected_quads(path: Path) -> list:
    import pyoxigraph as ox

    fmt = ox.RdfFormat.N_QUADS if path.suffix == ".nq" else ox.RdfFormat.N_TRIPLES
    quads = []
    for q in ox.parse(path=path, format=fmt):
        obj = q.object
        if isinstance(obj, ox.Literal) and obj.language:
            obj = ox.Literal(obj.value, language=obj.language.lower())
        quads.append(ox.Quad(q.subject, q.predicate, obj, q.graph_name))
    return quads


RDF_SUITES = ("rdf-turtle", "rdf-trig", "rdf-n-triples", "rdf-n-quads")


@pytest.mark.parametrize("case", _params(RDF_SUITES))
def test_rdf_syntax(case: Case):
    from kg.errors import InputError
    from kg.rdf.loading import load_file, new_dataset

    if case.kind == "negative":
        with pytest.raises(InputError) as info:
            load_file(new_dataset(), case.action, strict=True)
        message = str(info.value)
        assert message.startswith(f"{case.action}:") and "\n" not in message
        return
    if case.kind == "positive":
        load_file(new_dataset(), case.action, strict=True)
        return
    assert case.result is not None
    assert _canonical(_loaded_quads(case.action, case.base)) == _canonical(_expected_quads(case.result))


def test_strict_mode_is_stricter_than_rdflib_alone():
    """The point of strict mode: some invalid files rdflib alone loads."""
    from kg.rdf.loading import load_file, new_dataset

    negatives = [c for c in CASES if c.kind == "negative" and c.suite == "rdf-turtle"]
    if not negatives:
        pytest.skip(MISSING)
    from kg.errors import InputError

    accepted = []
    for c in negatives:
        try:
            load_file(new_dataset(), c.action)
        except InputError:
            continue
        accepted.append(c.id)
    assert accepted, "rdflib alone now refuses every invalid Turtle file: strict mode may be moot"


# --- SPARQL ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _params(("sparql11/syntax-query",)))
def test_sparql_syntax(case: Case):
    from kg.errors import QueryError
    from kg.query.engine import prepare
    from kg.rdf.strict import check_query

    text = case.action.read_text(encoding="utf-8")
    if case.kind == "negative":
        with pytest.raises(QueryError) as info:
            check_query(text, case.action.name)
            prepare(text, case.action.name)
        assert str(info.value).startswith(case.action.name) and "\n" not in str(info.value)
        return
    check_query(text, case.action.name)
    prepare(text, case.action.name)
