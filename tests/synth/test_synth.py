"""Synthetic national-scale data: its shape, determinism, streaming, formats and conformance."""

from __future__ import annotations

import itertools
import tracemalloc
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from kg.cli import main
from kg.errors import UsageError
from kg.namespaces import KG, sparql_prologue
from kg.synth.generate import FULL_SIZE, SOURCE_SIZE, generate, synth_size
from kg.synth.write import SYNTH_FORMATS, write_synth

ROOT = Path(__file__).resolve().parents[2]
SUFFIXES = sorted(SYNTH_FORMATS)
FIRMS = (
    240  # small, but more than one source would be at SOURCE_SIZE=100; the hierarchy is complete
)


def test_formats_are_found():
    assert {".nq", ".trig", ".nt", ".ttl"} <= set(SUFFIXES)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """One small dataset in every format (same firms, same seed)."""
    folder = tmp_path_factory.mktemp("synth")
    return {suffix: write_synth(folder / f"s{suffix}", FIRMS, seed=5) for suffix in SUFFIXES}


@pytest.fixture(scope="module")
def dataset(written):
    ds = Dataset(default_union=True)
    ds.parse(written[".nq"].path, format="nquads")
    return ds


def ask(ds: Graph, body: str) -> bool:
    return bool(ds.query(sparql_prologue() + "ASK { " + body + " }").askAnswer)


def count(ds: Graph, where: str) -> int:
    rows = list(ds.query(sparql_prologue() + "SELECT (COUNT(*) AS ?n) WHERE { " + where + " }"))
    return int(rows[0][0])


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_same_seed_same_bytes(tmp_path, written, suffix):
    again = write_synth(tmp_path / f"again{suffix}", FIRMS, seed=5)
    assert Path(again.path).read_bytes() == Path(written[suffix].path).read_bytes()
    other = write_synth(tmp_path / f"other{suffix}", FIRMS, seed=6)
    assert Path(other.path).read_bytes() != Path(written[suffix].path).read_bytes()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_every_format_holds_the_same_triples(written, dataset, suffix):
    result = written[suffix]
    fmt = {"nquads": "nquads", "trig": "trig", "ntriples": "nt", "turtle": "turtle"}[result.format]
    if fmt in ("nquads", "trig"):
        ds = Dataset()
        ds.parse(result.path, format=fmt)
        quads = set(ds.quads((None, None, None, None)))
        assert quads == set(dataset.quads((None, None, None, None)))
        triples = {q[:3] for q in quads}
        assert len(quads) == result.triples
    else:
        g = Graph()
        g.parse(result.path, format=fmt)
        triples = set(g)
        assert len(triples) == result.triples  # no triple is stated in two graphs
    assert triples == {q[:3] for q in dataset.quads((None, None, None, None))}
    assert result.bytes == Path(result.path).stat().st_size


def test_one_named_graph_per_source_and_one_for_reference(dataset):
    graphs = {str(g.identifier) for g in dataset.contexts() if len(g)}
    sources = synth_size(FIRMS).sources
    assert graphs == {"https://w3id.org/kg/graph/synth-reference"} | {
        f"https://w3id.org/kg/graph/synth-source-{k}" for k in range(1, sources + 1)
    }
    # every firm, person, membership and measurement is in its source's graph, with its article
    assert not ask(
        dataset,
        """GRAPH ?g { ?x a ?c } FILTER(?c IN (kg:Firm, kg:Person, kg:Membership, kg:Measurement))
                               FILTER NOT EXISTS { GRAPH ?g { ?g a kg:ArticleGraph ; prov:wasDerivedFrom ?a . ?a a kg:Article } }""",
    )
    assert not ask(
        dataset,
        "GRAPH ?g { ?m kg:sourceArticle ?a } FILTER NOT EXISTS { GRAPH ?g { ?g prov:wasDerivedFrom ?a } }",
    )


def test_hierarchy_is_complete(dataset):
    """Real divisions: provinces in China, cities in provinces, districts in a city or (a
    municipality's, an xx90 unit) directly in their province-level division."""
    size = synth_size(FIRMS)
    assert count(dataset, "?p a kg:ProvinceLevelDivision ; kg:locatedIn place:china") == size.provinces
    assert (
        count(dataset, "?c a kg:PrefectureLevelCity ; kg:locatedIn ?p . ?p a kg:ProvinceLevelDivision")
        == size.cities
    )
    assert (
        count(dataset, "?d a kg:District ; kg:locatedIn ?c . { ?c a kg:PrefectureLevelCity } UNION { ?c a kg:ProvinceLevelDivision }")
        == size.districts
    )
    assert count(dataset, "{ ?p a kg:IndustrialPark } UNION { ?p a kg:SubPark }") == size.parks
    assert not ask(
        dataset,
        "?p a kg:ProvinceLevelDivision FILTER NOT EXISTS { ?x kg:locatedIn ?p ; a ?c FILTER (?c IN (kg:PrefectureLevelCity, kg:District)) }",
    )
    assert not ask(
        dataset,
        "?c a kg:PrefectureLevelCity FILTER NOT EXISTS { ?d kg:locatedIn ?c ; a kg:District }",
    )
    assert not ask(
        dataset,
        "?p a kg:IndustrialPark FILTER NOT EXISTS { ?p kg:locatedIn ?d . ?d a kg:District }",
    )
    assert not ask(
        dataset,
        "?s a kg:SubPark FILTER NOT EXISTS { ?s kg:subParkOf ?p ; kg:locatedIn ?p . ?p a kg:IndustrialPark }",
    )
    assert count(dataset, "?p a kg:ProvinceLevelDivision ; kg:adminCode ?code") == size.provinces


def test_divisions_are_the_gazetteers(dataset):
    """Codes, names and parents as the gazetteer has them (place:baotou is 150200, 包头市)."""
    from kg.reference.place import open_gazetteer

    gaz = open_gazetteer()
    rows = dataset.query(
        sparql_prologue()
        + """SELECT ?x ?code ?zh ?up WHERE {
        ?x kg:adminCode ?code ; skos:altLabel ?zh ; kg:locatedIn ?up }"""
    )
    seen = 0
    for x, code, zh, up in rows:
        node = gaz.nodes[str(x)]
        assert (node.code, str(up)) == (str(code), node.parents[0])
        assert (str(zh), "zh") in node.names
        seen += 1
    assert seen == sum(getattr(synth_size(FIRMS), level) for level in ("provinces", "cities", "districts"))


def test_admin_codes_follow_the_hierarchy(dataset):
    rows = dataset.query(
        sparql_prologue()
        + """SELECT ?code ?parent WHERE {
        ?x kg:adminCode ?code ; kg:locatedIn ?up . OPTIONAL { ?up kg:adminCode ?parent } }"""
    )
    seen = 0
    for code, parent in rows:
        code = str(code)
        assert len(code) == 6 and code.isdigit()
        if parent is None:
            assert code.endswith("0000")
        elif str(parent).endswith("0000"):
            assert code[:2] == str(parent)[:2] and code != str(parent)
        else:
            assert code[:4] == str(parent)[:4] and code != str(parent)
        seen += 1
    assert seen == sum(
        getattr(synth_size(FIRMS), level) for level in ("provinces", "cities", "districts")
    )


def test_firms_and_their_facts(dataset):
    assert count(dataset, "?f a kg:Firm") == FIRMS
    assert not ask(
        dataset,
        """?f a kg:Firm FILTER NOT EXISTS {
        ?f kg:locatedIn ?place ; kg:foundingYear ?y ; kg:industry ?i ; skos:prefLabel ?l ; rdfs:label ?l .
        ?i a kg:Industry . { ?place a kg:District } UNION { ?place a kg:IndustrialPark } UNION { ?place a kg:SubPark }
        FILTER(DATATYPE(?y) = xsd:gYear) }""",
    )
    assert ask(dataset, "?a kg:supplierOf ?b . ?b a kg:Firm")
    assert ask(dataset, "?a kg:investsIn ?b . ?b a kg:Firm")
    assert not ask(
        dataset,
        "{ ?a kg:supplierOf ?b } UNION { ?a kg:investsIn ?b } FILTER NOT EXISTS { ?a a kg:Firm . ?b a kg:Firm }",
    )
    assert not ask(dataset, "?a kg:supplierOf ?a")
    assert ask(
        dataset,
        "?m a kg:Membership ; org:member ?p ; org:organization ?f ; org:role ?r ; kg:evidence ?e . ?p a kg:Person . ?f a kg:Firm",
    )
    assert not ask(
        dataset,
        "?m a kg:Membership FILTER NOT EXISTS { ?m org:member ?p ; org:organization ?f ; org:role ?r ; kg:evidence ?e }",
    )
    fields = "kg:about ?f ; kg:measure ?m ; kg:value ?v ; kg:unit ?u ; kg:period ?p ; kg:status ?s ; kg:statedAs ?w ; kg:evidence ?e ; kg:sourceArticle ?a"
    assert ask(dataset, f"?x a kg:Measurement ; {fields}")
    assert not ask(
        dataset,
        f"?x a kg:Measurement FILTER NOT EXISTS {{ ?x {fields} . ?f a kg:Firm . ?a a kg:Article FILTER(DATATYPE(?v) = xsd:decimal) }}",
    )


def test_every_vocabulary_term_is_declared(dataset):
    ontology = Graph().parse(ROOT / "ontology" / "kg.ttl")
    declared = set(ontology.subjects())
    used = set()
    for _s, p, o, _g in dataset.quads((None, None, None, None)):
        used.add(p)
        if p == URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type") or str(o).startswith(
            (
                "https://w3id.org/kg/measure/",
                "https://w3id.org/kg/status/",
                "https://w3id.org/kg/role/",
                "http://qudt.org/",
            )
        ):
            used.add(o)
    ours = {
        t
        for t in used
        if str(t).startswith(
            (
                str(KG),
                "https://w3id.org/kg/measure/",
                "https://w3id.org/kg/status/",
                "https://w3id.org/kg/role/",
                "http://qudt.org/",
            )
        )
    }
    assert ours and ours <= declared, sorted(ours - declared)


def test_conforms_to_the_shapes(written, dataset):
    from kg.validate.core import validate

    report = validate(dataset)
    assert report.conforms, [(r.shape, r.focus, r.message) for r in report.results][:5]
    assert (report.violations, report.warnings, report.infos) == (0, 0, 0)


# ------------------------------------------------------------------ size and scale


def test_full_national_shape_from_100k_firms():
    """Every county-level division in force, and every division that holds one."""
    from kg.reference.place import open_gazetteer

    gaz = open_gazetteer()
    in_force = [n for n in gaz.nodes.values() if n.in_force() and n.code]
    counties = {n.iri for n in in_force if "kg:District" in n.classes}
    holding = {n.parents[0] for n in in_force if n.iri in counties}
    cities = {i for i in holding if "kg:PrefectureLevelCity" in gaz.nodes[i].classes}
    provinces = {gaz.nodes[i].parents[0] for i in cities} | (holding - cities)
    assert synth_size(100_000) == synth_size(100_000)
    size = synth_size(1_000_000)
    assert (size.provinces, size.cities, size.districts, size.parks) == (len(provinces), len(cities), len(counties), FULL_SIZE["parks"])
    assert size.districts == FULL_SIZE["districts"] == 2845
    assert size.sources == 1_000_000 // SOURCE_SIZE


@pytest.mark.parametrize("firms", [1, 9, 10, 100, 5_000, 50_000])
def test_small_runs_keep_a_complete_hierarchy(firms):
    size = synth_size(firms)
    assert 1 <= size.provinces and 1 <= size.districts and size.cities <= size.districts
    assert size.parks >= 1 and size.sources >= 1
    assert size.districts <= FULL_SIZE["districts"]


def test_triples_per_firm(tmp_path):
    result = write_synth(tmp_path / "s.nq", 20_000, seed=1)
    lines = Path(result.path).read_text().splitlines()
    assert len(lines) == result.triples
    reference = sum(
        1 for line in lines if line.endswith("<https://w3id.org/kg/graph/synth-reference> .")
    )
    per_firm = (result.triples - reference) / 20_000
    assert 9.0 <= per_firm <= 10.0, per_firm
    assert result.bytes / 20_000 < 2_500


def _peak(blocks: int) -> int:
    """Peak memory (bytes) taken while ``blocks`` firm blocks stream past, the hierarchy aside."""
    stream = generate(10**9, seed=1)
    for _ in itertools.islice(
        stream, sum(FULL_SIZE.values()) + 50
    ):  # the hierarchy, built up front
        pass
    tracemalloc.start()
    try:
        for _ in itertools.islice(stream, blocks):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_it_streams_memory_stays_flat():
    """A billion firms cost nothing up front, and ten times the firms take no more memory."""
    first = list(itertools.islice(generate(10**9, seed=1), 8_000))
    assert any(s.endswith("synth-firm-1>") for _, s, _ in first)
    small, large = _peak(2_000), _peak(20_000)
    assert large < small * 1.5 + 50_000, (small, large)


# ------------------------------------------------------------------ writing and the command


def test_an_interrupted_run_leaves_no_file(tmp_path):
    target = tmp_path / "s.nq"
    target.write_text("previous\n")

    def interrupt(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_synth(target, 3 * SOURCE_SIZE, progress=interrupt)
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.nq"]


def test_usage_errors(tmp_path):
    with pytest.raises(UsageError, match=r"cannot tell the output format from the suffix '\.xml'"):
        write_synth(tmp_path / "s.xml", 10)
    with pytest.raises(UsageError, match="--firms must be at least 1"):
        write_synth(tmp_path / "s.nq", 0)
    assert not list(tmp_path.iterdir())


def test_cli(runner, tmp_path):
    out = tmp_path / "s.trig"
    result = runner.invoke(main, ["synth", "--firms", "120", "--seed", "2", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert (
        result.stderr.startswith(f"wrote {out}: trig, 120 firms, ")
        and result.stderr.count("\n") == 1
    )
    assert (
        out.read_bytes()
        == Path(write_synth(tmp_path / "again.trig", 120, seed=2).path).read_bytes()
    )
    bad = runner.invoke(main, ["synth", "--firms", "0", "--output", str(tmp_path / "x.nq")])
    assert bad.exit_code == 2 and "--firms" in bad.stderr
    bad = runner.invoke(main, ["synth", "--firms", "5", "--output", str(tmp_path / "x.csv")])
    assert bad.exit_code == 2
    assert (
        bad.stderr
        == f"Error: {tmp_path / 'x.csv'}: cannot tell the output format from the suffix '.csv' (use one of .nq, .nquads, .nt, .ntriples, .trig, .ttl)\n"
    )


def test_docstring_example_runs(run_kg, tmp_path):
    result = run_kg("synth", "--firms", "1000", "--seed", "1", "--output", "synth.nq", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "1000 firms" in result.stderr
    assert (tmp_path / "synth.nq").stat().st_size > 0
