"""The library of named queries (queries/*.rq): headers, portability, and one test per query
whose expected answer is read from the articles (data/articles/*.txt), compared as a multiset.

Expected rows name entities as the articles do; a cell matches when the name is one of the
entity's labels (any language, case and spacing ignored), its prefixed name, or (for literals)
the same text or number. Rows are matched one to one (a multiset), so a missing, extra or
duplicated row fails.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.plugins.sparql import prepareQuery

from kg.backends.oxigraph_terms import read_whole
from kg.cli import main
from kg.query.engine import is_ordered, prepare, run_query
from kg.errors import UsageError
from kg.query.library import HEADER_KEYS, bind_params, discover, parse_assignments
from kg.query.output import qname
from kg.rdf.sparql_guard import bind_values
from kg.rdf.sparql_text import code_only

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
ARTICLES = ROOT / "data" / "articles"


def test_library_is_not_empty():
    assert len(QUERIES) >= 12


# --------------------------------------------------------------------------------------------
# Headers and form of every query file
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library():
    return {q.name: q for q in discover(ROOT / "queries")}


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_header_is_complete(path, library):
    q = library[path.stem]
    assert q.header.name == path.stem
    assert q.header.summary
    assert q.header.returns
    assert q.header.examples and all(e.startswith(f"kg query {path.stem}") for e in q.header.examples)


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_parses_standalone_and_ends_in_a_total_order(path, library):
    """No project prefixes are assumed (the file runs in other tools as is); the ORDER BY names
    every projected variable, so the order of rows is fully determined."""
    q = library[path.stem]
    parsed = prepareQuery(q.text)  # no initNs: every prefix must be declared in the file
    assert is_ordered(parsed)
    columns = [str(v) for v in parsed.algebra["PV"]]
    assert columns == list(q.header.returns)
    order_clause = q.text[q.text.rindex("ORDER BY") :]
    for column in columns:
        assert re.search(rf"\?{column}\b", order_clause), f"ORDER BY does not name ?{column}"


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_parameters_are_variables_of_the_main_pattern(path, library):
    """Each parameter is a variable of the group of the query's first WHERE (not only of a
    subquery in it), where kg.rdf.sparql_guard.bind_values puts the VALUES block that binds it
    as initBindings does (see test_same_answers_on_oxigraph): the top-level group, or, in a query
    that aggregates what a DISTINCT subquery selects (figures-per-region-as-of), that subquery's."""
    q = library[path.stem]
    where = q.text[re.search(r"\bWHERE\s*\{", code_only(q.text)).start() :]
    for sub in re.findall(r"\{\s*SELECT.*?\n  \}", where, flags=re.S):
        where = where.replace(sub, "")
    for p in q.header.params:
        if p.name == "limit":
            continue  # (the library keeps the first rows: kg.query.library.row_limit; not a variable)
        assert re.search(rf"\?{p.name}\b", where), f"?{p.name} is not used in the main pattern"


def test_every_ontology_term_a_query_uses_is_declared(project_dataset):
    from kg.namespaces import KG, KGM, KGROLE, KGS

    ontology = project_dataset.graph(URIRef("https://w3id.org/kg/graph/ontology"))
    used: set[str] = set()
    for path in QUERIES:
        algebra = prepareQuery(path.read_text(encoding="utf-8")).algebra
        used |= {t for t in re.findall(r"https://w3id\.org/kg/(?:ont#|measure/|status/|role/)[\w-]+", repr(algebra))}
    assert used
    undeclared = sorted(i for i in used if (URIRef(i), None, None) not in ontology)
    assert not undeclared, undeclared
    assert all(i.startswith((str(KG), str(KGM), str(KGS), str(KGROLE))) for i in used)


def test_header_keys_are_documented():
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for key in HEADER_KEYS:
        assert f"#+ {key}:" in doc


def test_every_query_is_documented():
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for path in QUERIES:
        assert f"| `{path.stem}` |" in doc, f"docs/queries.md does not list {path.stem}"


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_example_runs(path, library, runner):
    q = library[path.stem]
    args = shlex.split(q.header.examples[0])[1:]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


# --------------------------------------------------------------------------------------------
# Same answers from a second engine (Oxigraph), parameters bound by a VALUES block
# --------------------------------------------------------------------------------------------


def _example_params(q) -> dict:
    args = shlex.split(q.header.examples[0])
    return parse_assignments([args[i + 1] for i, a in enumerate(args) if a in ("--param", "-p")])


def _norm_rdflib(t):
    if t is None:
        return None
    if isinstance(t, Literal):
        dt = str(t.datatype) if t.datatype else None
        if dt and dt.endswith(("#decimal", "#integer", "#double")):
            return ("num", Decimal(str(t)).normalize())
        return ("lit", str(t), t.language, None if dt and dt.endswith("#string") else dt)
    return ("iri", str(t))


def _norm_oxigraph(t):
    if t is None:
        return None
    if type(t).__name__ == "Literal":
        dt = t.datatype.value if t.datatype is not None else None
        if dt and dt.endswith(("#decimal", "#integer", "#double")):
            return ("num", Decimal(t.value).normalize())
        if t.language or (dt and dt.endswith(("#string", "#langString"))):
            dt = None
        return ("lit", t.value, t.language, dt)
    return ("iri", t.value)


@pytest.fixture(scope="module")
def oxigraph_store(project_dataset):
    ox = pytest.importorskip("pyoxigraph")
    from kg import paths
    from kg.backends.oxigraph_terms import to_oxigraph
    from kg.rdf.containment import DERIVED_GRAPH

    store = ox.Store()
    store.load(path=str(paths.ontology_file()), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://w3id.org/kg/graph/ontology"))
    for f in [*paths.article_graph_files(), *paths.reference_files()]:
        store.load(path=str(f), format=ox.RdfFormat.TRIG)
    derived = ox.NamedNode(str(DERIVED_GRAPH))  # the closure, as kg derives it (kg.rdf.containment)
    store.extend(ox.Quad(*map(to_oxigraph, t), derived) for t in project_dataset.graph(DERIVED_GRAPH))
    return store


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_same_answers_on_oxigraph(path, library, project_dataset, oxigraph_store):
    q = library[path.stem]
    params = _example_params(q)
    bindings = bind_params(project_dataset, q.header, params)
    ours = run_query(project_dataset, q.text, params)
    text = bind_values(q.text, bindings)  # (a VALUES block, as a store and a server get them)
    theirs = read_whole(oxigraph_store.query(text, use_default_graph_as_union=True))  # (read here: bind_values parsed in this frame)
    columns = [v.value for v in theirs.variables]
    assert columns == ours.columns
    their_rows = [tuple(_norm_oxigraph(s[c]) for c in columns) for s in theirs]
    our_rows = [tuple(_norm_rdflib(c) for c in row) for row in ours.rows]
    assert their_rows == our_rows  # same rows, same order


# --------------------------------------------------------------------------------------------
# Expected answers, from the articles
# --------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("“", "").replace("”", "").replace("’", "'")
    return " ".join(text.casefold().split())


def _cell_matches(ds, cell, expected) -> bool:
    if expected is None:
        return cell is None
    if cell is None:
        return False
    if isinstance(cell, Literal):
        if _norm(str(cell)) == _norm(str(expected)):
            return True
        try:
            return Decimal(str(cell)) == Decimal(str(expected))
        except InvalidOperation:
            return False
    if expected in (str(cell), qname(cell)):
        return True
    names = {_norm(str(o)) for p in (SKOS.prefLabel, RDFS.label, SKOS.altLabel) for o in ds.objects(cell, p)}
    return _norm(str(expected)) in names


def _all_names(ds, node) -> str:
    return " | ".join(_norm(str(o)) for p in (SKOS.prefLabel, RDFS.label, SKOS.altLabel) for o in ds.objects(node, p))


def assert_rows(ds, rows, expected) -> None:
    """``rows`` (tuples of terms) equal ``expected`` (tuples of names / values) as multisets."""
    rows, expected = list(rows), list(expected)
    assert len(rows) == len(expected), f"{len(rows)} rows, expected {len(expected)}:\n" + "\n".join(
        " | ".join(qname(c) if isinstance(c, URIRef) else str(c) for c in r) for r in rows
    )
    match: dict[int, int] = {}  # row -> expected (bipartite matching by augmenting paths)

    def fits(r, e) -> bool:
        return len(rows[r]) == len(expected[e]) and all(_cell_matches(ds, c, x) for c, x in zip(rows[r], expected[e]))

    def augment(e: int, seen: set[int]) -> bool:
        for r in range(len(rows)):
            if r not in seen and fits(r, e):
                seen.add(r)
                if r not in match or augment(match[r], seen):
                    match[r] = e
                    return True
        return False

    for e in range(len(expected)):
        assert augment(e, set()), f"no row for expected {expected[e]}"


def ask(ds, name, columns=None, **params):
    """Run a named query; keep only ``columns`` (in that order) when given."""
    text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    result = run_query(ds, text, params)
    if columns is None:
        return result.rows
    index = [result.columns.index(c) for c in columns]
    return [tuple(row[i] for i in index) for row in result.rows]


def article_text(prefix: str) -> str:
    (path,) = ARTICLES.glob(f"{prefix}_*.txt")
    return " ".join(path.read_text(encoding="utf-8").replace("\u00a0", " ").split())


PARK = "Baotou Equipment Manufacturing Industrial Park"
SUB_PARKS = [
    "“Chinese Weapons” Baotou High-end Equipment Park",
    "new-style industrial park",
    "Peking Science and Technology Park",
    "Lide Motor Center",
    "small and medium-sized private enterprise park",
    "supporting park for production and living",
    "Sino-German Equipment Industrial Park",
]


@pytest.mark.parametrize(
    "region, firms",
    [
        # 2017: "170 supporting enterprises, such as Inner Mongolia No 1 machinery Group and North
        # Heavy Industries Group"; 2022: "the northwest regional operations center of Jiangsu Laohu
        # Cloud Technology Co set to be based in the park" (in Qingshan district, Inner Mongolia).
        ("Inner Mongolia", ["Inner Mongolia No 1 machinery Group", "North Heavy Industries Group", "Jiangsu Laohu Cloud Technology"]),
        ("Baotou", ["First Machinery Group", "North Heavy Industries Group", "Jiangsu Laohu Cloud Technology"]),
        # 2024: "Jinheng, a large automotive safety company founded in Jinzhou"; "Huawei runs a
        # world-class cloud data center here".
        ("Jinzhou", ["Jinheng", "Huawei"]),
        # 2020: SND is "one of the earliest companies in the zone to resume production".
        ("Shanxi", ["SND New Energy Special Vehicle"]),
        ("Hunan", []),
    ],
)
def test_firms_in_region(project_dataset, region, firms):
    rows = {r for r in ask(project_dataset, "firms-in-region", ["firm"], region=region)}
    assert_rows(project_dataset, rows, [(f,) for f in firms])


def test_firms_in_region_says_how(project_dataset):
    rows = ask(project_dataset, "firms-in-region", ["firm", "how"], region="Jinzhou")
    assert_rows(project_dataset, rows, [("Jinheng", "headquartered in"), ("Huawei", "runs a facility in")])


def test_parks_in_region(project_dataset):
    # 2017: "The park has seven sub parks, ..." and the park is in Qingshan district, Baotou.
    rows = ask(project_dataset, "parks-in-region", region="Inner Mongolia")
    expected = [(PARK, "kg:IndustrialPark", None)] + [(s, "kg:SubPark", PARK) for s in SUB_PARKS]
    assert_rows(project_dataset, rows, expected)


def test_parks_in_region_shanxi(project_dataset):
    rows = ask(project_dataset, "parks-in-region", ["park"], region="Shanxi")
    assert_rows(project_dataset, rows, [("Shanxi Transition and Comprehensive Reform Demonstration Zone",)])


def test_park_profile(project_dataset):
    rows = ask(project_dataset, "park-profile", park="Baotou Equipment Park")
    by_aspect: dict[str, list] = {}
    for row in rows:
        by_aspect.setdefault(str(row[0]), []).append(row[1:])
    # 2017 article, sentence by sentence.
    expected = {
        "located in": [("Qingshan District", None, None, None)],
        "founded": [(None, "2006", None, None)],
        "sub-park": [(s, None, None, None) for s in SUB_PARKS],
        "area": [
            ("kgm:area-built", "8", "unit:KiloM2", "2017-12-11"),
            ("kgm:area-under-construction", "5", "unit:KiloM2", "2017-12-11"),
            ("kgm:area-planned", "32", "unit:KiloM2", "2017-12-11"),
        ],
        # "the park is engaged in heavy vehicles, ..."; "It has developed into a machinery
        # manufacturing base for ...".
        "industry": [
            (i, None, None, None)
            for i in ["heavy vehicles", "new energy", "railways", "fully-mechanized coal processing",
                      "electromechanical equipment", "engineering equipment", "machinery manufacturing"]
        ],
        "product": [
            (p, None, None, None)
            for p in ["national military equipment", "heavy-duty motors", "railway vehicles",
                      "forging of large military-civilian products"]
        ],
        "connects": [(p, None, None, None) for p in ["Hohhot", "Baotou", "Ordos"]],
        "enterprise": [(f, None, None, None) for f in ["First Machinery Group", "North Heavy Industries Group"]],
    }
    for aspect, want in expected.items():
        assert_rows(project_dataset, by_aspect.get(aspect, []), want)
    infrastructure = " | ".join(_all_names(project_dataset, r[0]) for r in by_aspect["infrastructure"])
    for name in ["sewage treatment plant", "natural gas pressure regulating station", "refuse transfer station",
                 "transformer substation"]:
        assert name in infrastructure, name
    near = {qname(r[0]) for r in by_aspect["near"]}
    assert {"infra:beijing-tibetan-highway", "infra:g110-highway", "infra:international-container-transfer-station"} <= near


def test_entity_measurements(project_dataset):
    rows = ask(project_dataset, "entity-measurements", ["metric", "value", "unit", "status"], entity="SND")
    # 2020 article: "total investment of 1 billion yuan", "designed production capacity of 100,000
    # special vehicles a year", "orders for 286 cold-storage vehicles", "only 48 vehicles
    # produced" (last year), "expecting to produce 5,000 vehicles this year", "an estimated revenue
    # of 1.5 billion yuan", "about 99 percent of our employees are back to work".
    assert_rows(
        project_dataset,
        rows,
        [
            ("kgm:investment", "1000000000", "cur:CNY", "kgs:reported"),
            ("kgm:production-capacity", "100000", "kg:vehicle", "kgs:reported"),
            ("kgm:orders", "286", "kg:vehicle", "kgs:reported"),
            ("kgm:units-produced", "48", "kg:vehicle", "kgs:reported"),
            ("kgm:units-produced", "5000", "kg:vehicle", "kgs:forecast"),
            ("kgm:revenue", "1500000000", "cur:CNY", "kgs:estimate"),
            ("kgm:employees-back-share", "99", "unit:PERCENT", "kgs:approximate"),
        ],
    )


def test_entity_measurements_of_one_measure_over_time(project_dataset):
    rows = ask(project_dataset, "entity-measurements", ["period", "metric", "value"], entity="SND", measure="units produced")
    assert_rows(project_dataset, rows, [("2019", "kgm:units-produced", "48"), ("2020", "kgm:units-produced", "5000")])
    assert [str(r[0]) for r in rows] == ["2019", "2020"]  # in time order


def test_measure_ranking(project_dataset):
    # 2022: the park's 2021 output value "79.14 billion yuan ($11.8 billion)"; 2024: Beizhen's
    # grape industry "annual output of over two billion yuan".
    rows = ask(project_dataset, "measure-ranking", ["entity", "value", "unit", "status"], measure="output value")
    assert_rows(
        project_dataset,
        rows,
        [
            (PARK, "79140000000", "cur:CNY", "kgs:reported"),
            ("Beizhen", "2000000000", "cur:CNY", "kgs:lower-bound"),
            (PARK, "11800000000", "cur:USD", "kgs:reported"),
        ],
    )
    cny = [r for r in rows if qname(r[2]) == "cur:CNY"]
    assert qname(cny[0][0]) == "park:baotou-equipment-manufacturing-industrial-park"  # the largest first


def test_measure_ranking_includes_narrower_measures(project_dataset):
    # 2017: "total investment was 16.58 billion yuan"; "investment of 67 billion yuan, of which 140
    # billion has been put into production"; 2020: SND's "total investment of 1 billion yuan".
    rows = ask(project_dataset, "measure-ranking", ["entity", "value"], measure="investment", unit="cur:CNY")
    assert_rows(
        project_dataset,
        rows,
        [(PARK, "140000000000"), (PARK, "67000000000"), (PARK, "16580000000"), ("SND", "1000000000")],
    )
    assert [Decimal(str(r[1])) for r in rows] == sorted((Decimal(str(r[1])) for r in rows), reverse=True)


def test_people_roles(project_dataset):
    rows = ask(project_dataset, "people-roles", ["person", "role", "organization"])
    assert_rows(
        project_dataset,
        rows,
        [
            ("Chen Jun", "CEO", "Jiangsu Laohu Cloud Technology"),  # "Company CEO, Chen Jun"
            ("Que Wenxiu", "president", "SND New Energy Special Vehicle"),  # "Que Wenxiu, president of the company"
            ("Wu Jingsheng", "executive vice president", "Changsha Construction Machinery Industry Association"),
            ("Kang Xiaoping", "director", "Changsha municipal industry and information technology bureau"),
        ],
    )


def test_people_roles_of_one_organization(project_dataset):
    rows = ask(project_dataset, "people-roles", ["person"], organization="SND")
    assert_rows(project_dataset, rows, [("Que Wenxiu",)])


def test_article_facts_holds_every_figure_of_the_article(project_dataset):
    rows = ask(project_dataset, "article-facts", article="Industrial heartland reinvents itself for new-age technology")
    values = [(o,) for s, p, o in rows if qname(p) == "kg:value"]
    # 2020 article: 20 million yuan threshold, "all the enterprises" (100 percent), 99 percent,
    # 1 billion yuan, 100,000 vehicles, 286 vehicles, 48 vehicles, 5,000 vehicles, 1.5 billion yuan.
    expected = ["20000000", "100", "99", "1000000000", "100000", "286", "48", "5000", "1500000000"]
    assert_rows(project_dataset, values, [(v,) for v in expected])
    assert ("Que Wenxiu",) in [(str(o),) for s, p, o in rows if qname(p) == "skos:prefLabel"]


def test_multi_source_entities(project_dataset):
    rows = ask(project_dataset, "multi-source-entities", ["entity", "article"])
    by_entity: dict[str, set[str]] = {}
    for entity, article in rows:
        by_entity.setdefault(qname(entity), set()).add(qname(article))
    # The park and First Machinery Group (as "Inner Mongolia No 1 machinery Group") are named in
    # both the 2017 and the 2022 article; SND and Jinheng in one article each.
    both = {"article:baotou-equipment-park-2017", "article:qingshan-equipment-manufacturing-2022"}
    assert by_entity["park:baotou-equipment-manufacturing-industrial-park"] == both
    assert by_entity["orgn:first-machinery-group"] == both
    assert by_entity["place:qingshan-district"] == both
    assert "orgn:snd-new-energy-special-vehicle" not in by_entity
    assert "orgn:jinheng" not in by_entity
    assert all(len(v) >= 2 for v in by_entity.values())


def test_multi_source_entities_min_below_two_counts_as_two(project_dataset):
    one = ask(project_dataset, "multi-source-entities", ["entity", "articles", "article"], min="1")
    assert one == ask(project_dataset, "multi-source-entities", ["entity", "articles", "article"])
    assert one and all(int(n) >= 2 for _, n, _ in one)


def test_multi_source_entities_min(project_dataset):
    rows = ask(project_dataset, "multi-source-entities", ["entity", "articles"], min="3")
    assert rows and all(int(n) >= 3 for _, n in rows)
    # China: "China's top 100" (2022), "Chinas northeast" (2024), "central China" (2021).
    assert "place:china" in {qname(e) for e, _ in rows}


def test_designations(project_dataset):
    rows = ask(project_dataset, "designations", ["recipient", "designation", "conferredBy", "consecutiveYears"])
    bodies = [
        "Science and Technology Agency of the Inner Mongolian Autonomous Region",
        "Ministry of Science and Technology",
        "Ministry of Industry and Information Technology",
    ]
    assert_rows(
        project_dataset,
        rows,
        [(PARK, "Excellent Park in the Economic Belt along the Yellow River in Inner Mongolia", None, "4")]
        + [(PARK, "Baotou National Equipment Manufacturing High-tech Industrialization Base", b, None) for b in bodies]
        + [(PARK, "National New Industrialization Demonstration Base", b, None) for b in bodies]
        + [("cluster of engineering machinery companies", "advanced manufacturing cluster", None, None)]
        # 2022: "Jiangsu Laohu Cloud Technology, which ranks 40th among China's top 100 industrial
        # internet enterprises" (no compiler or year given).
        + [("Jiangsu Laohu Cloud Technology", "China's top 100 industrial internet enterprises", None, None)],
    )


def test_events(project_dataset):
    rows = {r for r in ask(project_dataset, "events", ["event", "date", "location"])}
    assert_rows(
        project_dataset,
        rows,
        [
            # 2022: "On Jan 5, the district completed the signing of the first key project in the year"
            ("Qingshan District's signing of its first key project of 2022", "2022-01-05", "Qingshan District"),
            ("second Changsha International Construction Equipment Exhibition", "2021", "Changsha"),
            # "The association also participated in the second Changsha International Construction
            # Equipment Exhibition held in Changsha and organized five themed forums."
            ("five themed forums", "2021", "Changsha"),
            ("first China Construction Machinery Leasing Conference", None, "Changsha"),
        ],
    )


@pytest.mark.parametrize(
    "params, events",
    [
        ({"region": "Hunan"}, ["second Changsha International Construction Equipment Exhibition", "five themed forums", "first China Construction Machinery Leasing Conference"]),
        ({"region": "Inner Mongolia"}, ["Qingshan District's signing of its first key project of 2022"]),
        ({"year": "2022"}, ["Qingshan District's signing of its first key project of 2022"]),
        ({"region": "Hunan", "year": "2021"}, ["second Changsha International Construction Equipment Exhibition", "five themed forums"]),
        ({"region": "Shanxi"}, []),
    ],
)
def test_events_filtered(project_dataset, params, events):
    rows = {r for r in ask(project_dataset, "events", ["event"], **params)}
    assert_rows(project_dataset, rows, [(e,) for e in events])


def test_targets_vs_reported(project_dataset):
    rows = ask(project_dataset, "targets-vs-reported", ["entity", "metric", "goal", "goalStatus", "reported"])
    assert_rows(
        project_dataset,
        rows,
        [
            # "expecting to produce 5,000 vehicles this year" vs "only 48 vehicles produced" last year
            ("SND", "kgm:units-produced", "5000", "kgs:forecast", "48"),
            ("SND", "kgm:revenue", "1500000000", "kgs:estimate", None),
            # "We will renovate more than 20 smart factories and digital workshops"
            (PARK, "kgm:factories-to-renovate", "20", "kgs:plan", None),
        ],
    )


def test_fact_provenance(project_dataset):
    rows = ask(
        project_dataset,
        "fact-provenance",
        ["value", "unit", "headline", "published", "evidence"],
        entity="Baotou Equipment Park",
        measure="output value",
        year="2021",
    )
    sentence = (
        "In 2021, the park's output value was 79.14 billion yuan ($11.8 billion), a year-on-year "
        "increase of 31.46 percent, while tax revenue was 1.8 billion yuan, up 6.7 percent."
    )
    headline = "Equipment manufacturing transforms in Qingshan district"
    assert_rows(
        project_dataset,
        rows,
        [
            ("79140000000", "cur:CNY", headline, "2022-07-08", sentence),
            ("11800000000", "cur:USD", headline, "2022-07-08", sentence),
        ],
    )
    assert _norm(sentence) in _norm(article_text("000"))


def test_containment_chain(project_dataset):
    rows = ask(project_dataset, "containment-chain", ["container", "steps"], entity="Lide Motor Center")
    # A sub-park of the park, "situated in the northern part of Qingshan district, Baotou";
    # "Qingshan district of Baotou city, located in North China's Inner Mongolia".
    assert_rows(
        project_dataset,
        rows,
        [(PARK, "1"), ("Qingshan District", "2"), ("Baotou", "3"), ("Inner Mongolia", "4"), ("North China", "5"), ("China", "6")],
    )
    assert [int(r[1]) for r in rows] == sorted(int(r[1]) for r in rows)


def test_industries(project_dataset):
    rows = ask(project_dataset, "industries", ["subject"], industry="intelligent manufacturing")
    # 2022: Qingshan district "has prioritized intelligent manufacturing"; 2021: Changsha is
    # "making its intelligent manufacturing a calling card".
    assert_rows(project_dataset, rows, [("Qingshan District",), ("Changsha",)])


def test_industries_pillars_of_shanxi(project_dataset):
    rows = ask(project_dataset, "industries", ["subject", "industry", "pillar"], region="Shanxi")
    pillars = [r[:2] for r in rows if r[2] == Literal(True)]
    # "The eight pillars are: information technology, civil aviation, finance, cultural tourism,
    # new energy and new materials, natural gas, advanced manufacturing and modern chemicals."
    eight = ["information technology", "civil aviation", "finance", "cultural tourism",
             "new energy and new materials", "natural gas", "advanced manufacturing", "modern chemicals"]
    assert_rows(project_dataset, pillars, [("Shanxi", i) for i in eight])


def test_part_greater_than_whole(project_dataset):
    rows = ask(project_dataset, "part-greater-than-whole", ["partValue", "wholeValue", "unit", "article"])
    # 2017: "investment of 67 billion yuan, of which 140 billion has been put into production".
    assert_rows(project_dataset, rows, [("140000000000", "67000000000", "cur:CNY", "article:baotou-equipment-park-2017")])


def test_articles(project_dataset):
    rows = ask(project_dataset, "articles", ["fileName", "headline", "published"])
    known = {p.name for p in ARTICLES.glob("*.txt")}
    rows = [r for r in rows if str(r[0]) in known]
    expected = [
        ("000_0b93beb049ad5b77.txt", "Equipment manufacturing transforms in Qingshan district", "2022-07-08"),
        ("001_ee7dd5e650f11119.txt", "Baotou Equipment Manufacturing Industrial Park", "2017-12-11"),
        ("002_c5d8e3d3379416de.txt", "Industrial heartland reinvents itself for new-age technology", "2020-04-26"),
        ("003_74146112e9d3cf59.txt", "From Old Factory Town to New Industrialization: A Chinese City’s Explorations", "2024-04-19"),
        ("004_7873e3486d813e07.txt", "Changsha builds itself into China’s leading center of advanced manufacturing", "2021-12-07"),
    ]
    assert_rows(project_dataset, rows, expected)
    for name, headline, _ in expected:
        assert _norm(headline) in _norm(article_text(name[:3]))
    assert [str(r[2]) for r in rows] == sorted(str(r[2]) for r in rows)  # oldest first


def test_firms_per_region(project_dataset):
    # 2022/2017: First Machinery Group and North Heavy Industries in Baotou (Inner Mongolia);
    # 2024: Jinheng in Jinzhou (Liaoning); 2020: SND New Energy Special Vehicle in Shanxi.
    rows = ask(project_dataset, "firms-per-region", ["region", "firms"])
    assert_rows(project_dataset, rows, [("Inner Mongolia", "2"), ("Liaoning", "1"), ("Shanxi", "1")])
    assert [int(r[1]) for r in rows] == sorted((int(r[1]) for r in rows), reverse=True)
    prefectures = ask(project_dataset, "firms-per-region", ["region", "firms"], level="prefecture")
    assert_rows(project_dataset, prefectures, [("Baotou", "2"), ("Jinzhou", "1")])
    safety = ask(project_dataset, "firms-per-region", ["region", "firms"], industry="automotive safety")
    assert_rows(project_dataset, safety, [("Liaoning", "1")])  # 2024: Jinheng, automotive safety


def test_parks_per_region(project_dataset):
    # 2017: the Baotou Equipment Manufacturing Industrial Park and its sub-parks, all in Baotou.
    parks = {str(p) for p, _, _ in ask(project_dataset, "parks-in-region", region="Baotou")}
    rows = ask(project_dataset, "parks-per-region", ["region", "parks"], level="prefecture")
    assert_rows(project_dataset, rows, [("Baotou", str(len(parks)))])
    assert len(parks) >= 2


def test_figures_per_region(project_dataset):
    # 2022: the park's output value of 79.14 billion yuan (11.8 billion dollars) in 2021;
    # 2024: Beizhen's output value of more than 2 billion yuan, "now" (the article's date).
    rows = ask(project_dataset, "figures-per-region", ["region", "unit", "period", "total"], measure="output value")
    assert_rows(project_dataset, rows, [
        ("Inner Mongolia", "cur:CNY", "2021", "79140000000"),
        ("Inner Mongolia", "cur:USD", "2021", "11800000000"),
        ("Liaoning", "cur:CNY", "2024-04-19", "2000000000"),  # "now" in the 2024 article: its date
    ])


def test_rollups_as_of_a_year_on_the_articles(project_dataset):
    """No division that holds a firm, park or figure of the five articles changed since 1980
    (Ordos was Yikezhao League until 2001, but the articles place nothing inside it): as of any
    year, firms-, parks- and figures-per-region-as-of give today's answers. Laiwu, where the
    year matters, is in tests/backends/test_as_of.py."""
    for name, as_of_form, extra in (
        ("firms-per-region", "firms-per-region-as-of", {}),
        ("parks-per-region", "parks-per-region-as-of", {}),
        ("figures-per-region", "figures-per-region-as-of", {"status": "kgs:reported"}),
    ):
        for level in ("province", "prefecture"):
            today = ask(project_dataset, name, level=level, **extra)
            assert today
            for year in ("1985", "2001", "2024"):
                then = ask(project_dataset, as_of_form, level=level, as_of=year, **extra)
                assert then == today, (name, level, year)
    with pytest.raises(UsageError, match="missing required parameter 'as_of'"):
        ask(project_dataset, "firms-per-region-as-of")


def test_limit_keeps_the_first_rows_of_the_order(project_dataset):
    every = run_query(project_dataset, (ROOT / "queries" / "industries.rq").read_text(encoding="utf-8"), {"limit": "0"})
    first = run_query(project_dataset, (ROOT / "queries" / "industries.rq").read_text(encoding="utf-8"), {"limit": "3"})
    assert len(every.rows) > 3 and not every.limited
    assert first.rows == every.rows[:3] and first.limited
    default = ask(project_dataset, "industries")
    assert default == every.rows  # (fewer rows than the default limit of 1,000)
    with pytest.raises(UsageError, match="not a whole number"):
        run_query(project_dataset, (ROOT / "queries" / "industries.rq").read_text(encoding="utf-8"), {"limit": "2.5"})


def test_people_roles_keeps_the_first_rows_of_its_order(project_dataset):
    """people-roles grows with the data (a post per person and firm at scale): a limit, 1,000 rows
    by default, like industries."""
    text = (ROOT / "queries" / "people-roles.rq").read_text(encoding="utf-8")
    every = run_query(project_dataset, text, {"limit": "0"})
    two = run_query(project_dataset, text, {"limit": "2"})
    assert len(every.rows) > 2 and not every.limited
    assert two.rows == every.rows[:2] and two.limited
    assert run_query(project_dataset, text, {}).rows == every.rows  # (fewer than 1,000)


def test_every_named_query_has_an_answer_test():
    """Each query of the library is exercised above by name (one test per query at least)."""
    source = Path(__file__).read_text(encoding="utf-8")
    for path in QUERIES:
        assert f'"{path.stem}"' in source, f"no test runs the named query {path.stem}"


def test_prepare_accepts_every_query(library):
    for q in library.values():
        prepare(q.text, q.name)
