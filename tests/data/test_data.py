"""The project's data: it parses, every term it uses is declared, every article graph describes its
article, every evidence occurs in its text, every measurement is complete, IRIs are stable."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, XSD
from rdflib.paths import Path as PropertyPath

from kg.validate.article import article_metadata, check_evidence, metadata_problems
from kg.namespaces import CUR, ID, KG, KGM, KGROLE, KGS, PREFIXES, UNIT
from kg.rdf.loading import load_file, load_files, new_dataset

# The project under test: the checkout, or the copy KG_HOME named when the suite started (every
# article in its data/, however many: these checks hold for any valid addition).
from tests.conftest import PROJECT as ROOT  # noqa: E402
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
TEXTS = ROOT / "data" / "articles"
ARTICLE_GRAPHS = sorted((ROOT / "data" / "graphs").glob("*.trig"))
REFERENCE = sorted((ROOT / "data" / "reference").rglob("*.trig"))  # the gazetteer too
DATA_FILES = ARTICLE_GRAPHS + REFERENCE
QUERIES = sorted((ROOT / "queries").rglob("*.rq"))
ARTICLE_TEXTS = sorted(TEXTS.glob("*.txt"))

#: Namespaces whose every IRI must be declared in ontology/kg.ttl.
CHECKED_NAMESPACES = tuple(str(ns) for ns in (KG, KGM, KGS, KGROLE, UNIT, CUR))


def is_checked(term: object) -> bool:
    """A term in a checked namespace (the namespace IRI itself, as in STR(kg:), is not a term)."""
    text = str(term)
    return (
        isinstance(term, URIRef)
        and text.startswith(CHECKED_NAMESPACES)
        and text not in CHECKED_NAMESPACES
    )


#: The instance IRI pattern: https://w3id.org/kg/id/<kind>/<kebab-case-slug>.
INSTANCE_IRI = re.compile(re.escape(ID) + r"([a-z]+)/([a-z0-9]+(?:-[a-z0-9]+)*)")
MEASUREMENT_ONE = ("status", "measure", "value", "unit", "period")


def ids(paths: Iterable[Path]) -> list[str]:
    return [p.name for p in paths]


def test_files_discovered():
    assert ARTICLE_GRAPHS, "no data/graphs/*.trig"
    assert ARTICLE_TEXTS, "no data/articles/*.txt"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY, format="turtle")
    return g


def _load(path: Path) -> Dataset:
    ds = new_dataset()
    load_file(ds, path)
    return ds


def _named(ds: Dataset) -> list[Graph]:
    return [g for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)]


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [ONTOLOGY, *DATA_FILES], ids=ids([ONTOLOGY, *DATA_FILES]))
def test_parses(path: Path):
    ds = _load(path)
    assert len(ds) > 0


# --- every term used is declared --------------------------------------------------------------


def declared_terms(ontology: Graph) -> set[URIRef]:
    """IRIs the ontology declares: every subject with an rdf:type."""
    return {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}


def checked_iris_in_graph(graph: Graph) -> set[URIRef]:
    """IRIs of the checked namespaces in any position of any triple (datatypes included)."""
    found = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, Literal) and term.datatype is not None:
                term = term.datatype
            if is_checked(term):
                found.add(term)
    return found


def _walk(node: object, out: set[URIRef]) -> None:
    if isinstance(node, URIRef):
        out.add(node)
    elif isinstance(node, Literal):
        if node.datatype is not None:
            out.add(node.datatype)
    elif isinstance(node, dict):
        for value in node.values():
            _walk(value, out)
    elif isinstance(node, (list, tuple, set, frozenset)):
        for item in node:
            _walk(item, out)
    elif isinstance(node, PropertyPath):
        for value in vars(node).values():
            _walk(value, out)


def checked_iris_in_query(text: str) -> set[URIRef]:
    """IRIs of the checked namespaces that a SPARQL query uses (comments and strings ignored)."""
    from rdflib.plugins.sparql import prepareQuery

    query = prepareQuery(text, initNs=PREFIXES)
    found: set[URIRef] = set()
    _walk(query.algebra, found)
    return {iri for iri in found if is_checked(iri)}


def test_a_typo_in_data_is_caught(ontology: Graph):
    g = Graph()
    g.parse(
        data="""@prefix kg: <https://w3id.org/kg/ont#> . @prefix kgm: <https://w3id.org/kg/measure/> .
        @prefix unit: <http://qudt.org/vocab/unit/> .
        <http://example.org/x> kg:locatedInn <http://example.org/y> ; a kg:Firm ;
            kg:measure kgm:output-valu ; kg:unit unit:KiloM2 .""",
        format="turtle",
    )
    assert checked_iris_in_graph(g) - declared_terms(ontology) == {
        KG.locatedInn,
        KGM["output-valu"],
    }


def test_a_typo_in_a_query_is_caught(ontology: Graph):
    query = """# kg:NotATerm in a comment is ignored
    SELECT ?m WHERE { ?m kg:measure kgm:output-valu ; (kg:locatedIn|kg:subParkOff)+ ?p ; kg:status kgs:reported .
      FILTER(?p != "kg:AlsoIgnored" && STRSTARTS(STR(?m), STR(kg:))) }"""
    assert checked_iris_in_query(query) - declared_terms(ontology) == {
        KGM["output-valu"],
        KG.subParkOff,
    }


@pytest.mark.parametrize("path", [*DATA_FILES, *QUERIES], ids=ids([*DATA_FILES, *QUERIES]))
def test_every_term_used_is_declared(path: Path, ontology: Graph):
    if path.suffix == ".rq":
        used = checked_iris_in_query(path.read_text(encoding="utf-8"))
    else:
        used = set().union(*(checked_iris_in_graph(g) for g in _named(_load(path))))
    undeclared = sorted(str(i) for i in used - declared_terms(ontology))
    assert undeclared == [], f"{path.name} uses terms ontology/kg.ttl does not declare"


@pytest.mark.skipif(not SHAPES.exists(), reason="ontology/shapes.ttl not written yet")
def test_every_term_the_shapes_use_is_declared(ontology: Graph):
    g = Graph()
    g.parse(SHAPES, format="turtle")
    assert sorted(str(i) for i in checked_iris_in_graph(g) - declared_terms(ontology)) == []


# --- article graphs: metadata, texts, evidence ------------------------------------------------


@pytest.mark.parametrize("path", ARTICLE_GRAPHS, ids=ids(ARTICLE_GRAPHS))
def test_article_graph_describes_itself_and_its_article(path: Path):
    ds = _load(path)
    named = _named(ds)
    assert len(named) == 1, "one named graph per article file"
    assert len(ds.graph(DATASET_DEFAULT_GRAPH_ID)) == 0, "no triples outside the named graph"
    [meta] = article_metadata(ds)
    assert meta.graph == str(named[0].identifier)
    assert metadata_problems(ds) == []
    assert meta.file_name is not None and (TEXTS / meta.file_name).is_file()
    # the graph is named after its file: data/graphs/NNN-<slug>.trig holds graph:<slug>
    slug = path.stem.split("-", 1)[1]
    assert meta.graph == f"https://w3id.org/kg/graph/{slug}"
    assert meta.article == f"{ID}article/{slug}"
    assert meta.file_name.split("_", 1)[0] == path.stem.split("-", 1)[0]


def test_every_article_text_has_one_graph():
    ds = load_files(ARTICLE_GRAPHS)
    files = sorted(m.file_name or "" for m in article_metadata(ds))
    assert files == [p.name for p in ARTICLE_TEXTS]


@pytest.mark.parametrize("path", ARTICLE_GRAPHS, ids=ids(ARTICLE_GRAPHS))
def test_every_evidence_occurs_in_its_text(path: Path):
    ds = _load(path)
    assert any(True for _ in ds.triples((None, KG.evidence, None))), (
        "an article graph without evidence"
    )
    assert [str(p) for p in check_evidence(ds, TEXTS)] == []


@pytest.mark.parametrize("path", ARTICLE_GRAPHS, ids=ids(ARTICLE_GRAPHS))
def test_no_admin_codes_in_article_graphs(path: Path):
    assert list(_load(path).triples((None, KG.adminCode, None))) == []


@pytest.mark.parametrize("path", REFERENCE, ids=ids(REFERENCE))
def test_reference_graphs_state_their_source(path: Path):
    for g in _named(_load(path)):
        assert (g.identifier, RDF.type, KG.ReferenceGraph) in g
        assert list(g.objects(g.identifier, DCTERMS.source)), "a reference graph names its source"


# --- measurements -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ARTICLE_GRAPHS, ids=ids(ARTICLE_GRAPHS))
def test_every_measurement_is_complete(path: Path):
    ds = _load(path)
    [g] = _named(ds)
    [meta] = article_metadata(ds)
    measurements = sorted(g.subjects(RDF.type, KG.Measurement), key=str)
    problems = []
    for m in measurements:
        for name in MEASUREMENT_ONE:
            n = len(set(g.objects(m, KG[name])))
            if n != 1:
                problems.append(f"{m}: {n} kg:{name}")
        for value in g.objects(m, KG.value):
            if not (isinstance(value, Literal) and value.datatype == XSD.decimal):
                problems.append(f"{m}: kg:value {value!r} is not an xsd:decimal")
        for period in g.objects(m, KG.period):
            if not (isinstance(period, Literal) and period.datatype in (XSD.gYear, XSD.date)):
                problems.append(f"{m}: kg:period {period!r} is neither xsd:gYear nor xsd:date")
        if len(set(g.objects(m, KG.about))) != 1:
            problems.append(f"{m}: not exactly one kg:about")
        if not list(g.objects(m, KG.evidence)):
            problems.append(f"{m}: no kg:evidence")
        if set(g.objects(m, KG.sourceArticle)) != {URIRef(meta.article or "")}:
            problems.append(f"{m}: kg:sourceArticle is not the graph's article")
    assert problems == []


# --- stable IRIs ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", DATA_FILES, ids=ids(DATA_FILES))
def test_entities_have_stable_iris(path: Path):
    ds = _load(path)
    bad = []
    for g in _named(ds):
        for s, _, o in g.triples((None, None, None)):
            if isinstance(s, BNode) and (s, RDF.type, None) in g:
                bad.append(f"typed blank node {s} ({g.value(s, RDF.type)})")
            for term in (s, o):
                if (
                    isinstance(term, URIRef)
                    and str(term).startswith(ID)
                    and not INSTANCE_IRI.fullmatch(str(term))
                ):
                    bad.append(f"{term}: not {ID}<kind>/<kebab-case-slug>")
    assert sorted(set(bad)) == []


def test_instance_kinds_are_project_prefixes():
    """Every <kind> in an instance IRI has its prefix in kg.namespaces (so output can shorten it)."""
    known = {ns[len(ID) :].rstrip("/") for ns in PREFIXES.values() if ns.startswith(ID)}
    used = set()
    for path in DATA_FILES:
        for s, p, o, _ in _load(path).quads((None, None, None, None)):
            for term in (s, o):
                match = INSTANCE_IRI.fullmatch(str(term)) if isinstance(term, URIRef) else None
                if match:
                    used.add(match.group(1))
    assert used, "no instance IRIs found"
    assert sorted(used - known) == []
