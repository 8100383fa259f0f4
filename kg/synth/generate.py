"""Synthetic national-scale data in the project's ontology, generated and written as a stream.

The administrative hierarchy is China's real one, from the gazetteer (docs/gazetteer.md): its
county-level divisions (all 2,845 from 100,000 firms; an even spread of them, scaled down, for
fewer firms) with the prefecture- and province-level divisions they are in, under their real
IRIs, codes and names; some 2,500 synthetic parks and sub-parks; firms sit in parks or districts
and have founding years, industries, people in roles, supplier and investor links and
measurements with their sources. Reference data goes into one named graph, each synthetic
source's facts into a graph of its own.

Nothing is held per firm: memory stays flat however many firms are asked for, and the same
seed gives the same bytes. Every IRI but the divisions' has a ``synth-`` slug, so synthetic
parks and firms never merge with the project's real ones (the divisions do: they are real).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from kg.errors import InputError, UsageError
from kg.namespaces import PREFIXES
from kg.synth.vocab import INDUSTRIES, MEASURES, ROLES, SURNAMES, SYLLABLES
from kg import paths
from kg.rdf.gazetteer import DIVISIONS_FILE, Gazetteer

#: Firms from which the hierarchy has its full national size (smaller runs scale by the square root).
FULL_AT = 100_000
FULL_SIZE = {"districts": 2845, "parks": 2500}  # every county-level division in force (the gazetteer)
#: Firms per synthetic source (one named graph each).
SOURCE_SIZE = 1000

#: One block: (graph, subject, [(predicate, object), ...]), every term in N-Triples syntax.
Block = tuple[str, str, list[tuple[str, str]]]


def _ns(prefix: str) -> str:
    return "<" + PREFIXES[prefix]


KG, RDFS, SKOS, XSD = _ns("kg"), _ns("rdfs"), _ns("skos"), PREFIXES["xsd"]
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
PREF, LABEL = SKOS + "prefLabel>", RDFS + "label>"
IN, YEAR, INDUSTRY = KG + "locatedIn>", KG + "foundingYear>", KG + "industry>"
PLACE, PARK, ORGN, PERSON = (
    _ns("place") + "synth-",
    _ns("park") + "synth-",
    _ns("orgn") + "synth-",
    _ns("person") + "synth-",
)
MEMBERSHIP, OBS, ARTICLE, GRAPH = (
    _ns("membership") + "synth-",
    _ns("obs") + "synth-",
    _ns("article") + "synth-",
    _ns("graph") + "synth-",
)
IND = _ns("industry") + "synth-"
ORG = _ns("org")


def en(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def zh(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@zh'


def plain(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typed(lexical: object, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


def labels(name: str) -> list[tuple[str, str]]:
    lit = en(name)
    return [(PREF, lit), (LABEL, lit)]


@dataclass(frozen=True)
class SynthSize:
    """How many of each level a run has."""

    firms: int
    provinces: int
    cities: int
    districts: int
    parks: int
    sources: int


@dataclass(frozen=True)
class Division:
    """A real division as synth writes it: IRI, class (local name), names, code, parent IRI."""

    iri: str
    cls: str
    en: str
    zh: str | None
    code: str | None
    parent: str | None


@dataclass(frozen=True)
class Divisions:
    """The divisions a run uses: the country, province- and prefecture-level ones, counties."""

    nodes: list[Division]

    def count(self, cls: str) -> int:
        return sum(1 for d in self.nodes if d.cls == cls)


@cache
def _gazetteer_divisions() -> tuple[Division, ...]:
    """Every division in force in the gazetteer (docs/gazetteer.md), sorted by code, China first."""

    files = [p for p in paths.gazetteer_files() if p.name == DIVISIONS_FILE]
    if not files:
        raise InputError(f"no {DIVISIONS_FILE} under {paths.data_dir() / 'reference' / 'gazetteer'}: kg synth uses its divisions")
    gaz = Gazetteer(files)
    out = []
    for node in gaz.nodes.values():
        classes = [c.removeprefix("kg:") for c in node.classes]
        cls = next((c for c in ("Country", "ProvinceLevelDivision", "PrefectureLevelCity", "District") if c in classes), None)
        if cls is None or not node.in_force():
            continue
        en = next((t for t, lang in node.names if lang == "en"), node.iri)
        zh = next((t for t, lang in node.names if lang == "zh"), None)
        out.append(Division(node.iri, cls, en, zh, node.code, node.parents[0] if node.parents else None))
    return tuple(sorted(out, key=lambda d: (d.code is not None, d.code or "")))


@cache
def real_divisions(districts: int) -> Divisions:
    """``districts`` county-level divisions spread evenly over the code list (every k-th one, so
    every province has its share; the same number gives the same ones), with every division they
    are in, up to China."""
    everything = _gazetteer_divisions()
    counties = [d for d in everything if d.cls == "District"]
    n = max(1, min(districts, len(counties)))
    picked = {counties[(i * len(counties)) // n].iri for i in range(n)}
    by_iri = {d.iri: d for d in everything}
    wanted = set(picked)
    for iri in picked:
        parent = by_iri[iri].parent
        while parent is not None and parent in by_iri and parent not in wanted:
            wanted.add(parent)
            parent = by_iri[parent].parent
    return Divisions([d for d in everything if d.iri in wanted])


def synth_size(firms: int) -> SynthSize:
    """Level sizes for ``firms`` firms: all of China's county-level divisions from FULL_AT firms,
    scaled by the square root below, with the province- and prefecture-level divisions they are
    in (:func:`real_divisions`)."""
    f = min(1.0, math.sqrt(firms / FULL_AT))
    districts = max(1, round(FULL_SIZE["districts"] * f))
    chosen = real_divisions(districts)
    parks = max(1, round(FULL_SIZE["parks"] * f))
    return SynthSize(
        firms,
        chosen.count("ProvinceLevelDivision"),
        chosen.count("PrefectureLevelCity"),
        chosen.count("District"),
        parks,
        -(-firms // SOURCE_SIZE),
    )


def _name(rng: random.Random) -> str:
    return rng.choice(SYLLABLES).capitalize() + rng.choice(SYLLABLES)


def _spread(rng: random.Random, items: int, bins: int) -> list[int]:
    """``items`` spread over ``bins`` unevenly, each bin getting at least one."""
    weights = [rng.uniform(0.3, 3.0) for _ in range(bins)]
    counts = [1] * bins
    for b in rng.choices(range(bins), weights, k=items - bins):
        counts[b] += 1
    return counts


@dataclass
class _Hierarchy:
    blocks: list[Block]
    districts: list[tuple[str, str]]  # (iri, name)
    parks: list[tuple[str, str, int]]  # (iri, name, industry index)


def _hierarchy(rng: random.Random, size: SynthSize, seed: int) -> _Hierarchy:
    g = GRAPH + "reference>"
    blocks: list[Block] = [
        (
            g,
            g,
            [
                (A, KG + "ReferenceGraph>"),
                (LABEL, en("Synthetic administrative divisions, parks and industries")),
                (
                    _ns("dcterms") + "source>",
                    plain(f"kg synth --seed {seed} (synthetic data, not real)"),
                ),
            ],
        ),
    ]
    for slug, label, _ in INDUSTRIES:
        blocks.append(
            (
                g,
                f"{IND}{slug}>",
                [(A, KG + "Industry>"), (SKOS + "inScheme>", KG + "industries>"), *labels(label)],
            )
        )
    chosen = real_divisions(size.districts)
    for d in chosen.nodes:
        pairs = [(A, KG + d.cls + ">"), *labels(d.en)]
        if d.zh:
            pairs.append((SKOS + "altLabel>", zh(d.zh)))
        if d.code:
            pairs += [(KG + "adminCode>", plain(d.code))]
        if d.parent:
            pairs.append((IN, f"<{d.parent}>"))
        blocks.append((g, f"<{d.iri}>", pairs))
    districts = [(f"<{d.iri}>", d.en) for d in chosen.nodes if d.cls == "District"]
    parks: list[tuple[str, str, int]] = []
    top: list[int] = []  # the parks that are not sub-parks
    for n in range(1, size.parks + 1):
        iri = f"{PARK}park-{n}>"
        ind = rng.randrange(len(INDUSTRIES))
        if top and rng.random() < 0.2:
            parent_iri, parent_name, _ = parks[top[rng.randrange(len(top))]]
            name = f"{_name(rng)} {INDUSTRIES[ind][2]} Park ({parent_name})"
            pairs = [
                (A, KG + "SubPark>"),
                *labels(name),
                (KG + "subParkOf>", parent_iri),
                (IN, parent_iri),
            ]
        else:
            district_iri, district_name = districts[rng.randrange(len(districts))]
            name = f"{district_name.rsplit(' ', 1)[0]} {INDUSTRIES[ind][2]} Industrial Park {n}"
            pairs = [
                (A, KG + "IndustrialPark>"),
                *labels(name),
                (IN, district_iri),
                (YEAR, typed(rng.randint(1984, 2020), "gYear")),
            ]
            top.append(len(parks))
        pairs.append((INDUSTRY, f"{IND}{INDUSTRIES[ind][0]}>"))
        blocks.append((g, iri, pairs))
        parks.append((iri, name, ind))
    return _Hierarchy(blocks, districts, parks)


def _source(rng: random.Random, h: _Hierarchy, k: int, firms: int, seed: int) -> Iterator[Block]:
    """The blocks of synthetic source ``k`` (1-based): its article and its firms' facts."""
    g = f"{GRAPH}source-{k}>"
    article = f"{ARTICLE}source-{k}>"
    published = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    title = f"Synthetic source {k}"
    yield (
        g,
        g,
        [
            (A, KG + "ArticleGraph>"),
            (LABEL, en(f"Facts of '{title}'")),
            (_ns("prov") + "wasDerivedFrom>", article),
        ],
    )
    # The shapes ask for a text file name like the project's articles' (NNN_<hash>.txt); a
    # synthetic source has no text, so the name is made up in that form.
    file_name = (
        f"{(k - 1) % 1000:03d}_{hashlib.sha1(f'synth-{seed}-{k}'.encode()).hexdigest()[:16]}.txt"
    )
    yield (
        g,
        article,
        [
            (A, KG + "Article>"),
            *labels(title),
            (_ns("schema") + "headline>", en(title)),
            (_ns("schema") + "datePublished>", typed(published, "date")),
            (KG + "fileName>", plain(file_name)),
        ],
    )
    parks, districts = h.parks, h.districts
    n_ind, n_parks, n_districts = len(INDUSTRIES), len(parks), len(districts)
    for i in range((k - 1) * SOURCE_SIZE + 1, min(firms, k * SOURCE_SIZE) + 1):
        firm = f"{ORGN}firm-{i}>"
        if rng.random() < 0.6:
            place, _, ind = parks[rng.randrange(n_parks)]
            if rng.random() < 0.3:
                ind = rng.randrange(n_ind)
        else:
            place = districts[rng.randrange(n_districts)][0]
            ind = rng.randrange(n_ind)
        name = f"{_name(rng)} {INDUSTRIES[ind][2]} Co., Ltd."
        year = 2023 - int(rng.random() ** 2 * 44)
        pairs = [
            (A, KG + "Firm>"),
            *labels(name),
            (IN, place),
            (YEAR, typed(year, "gYear")),
            (INDUSTRY, f"{IND}{INDUSTRIES[ind][0]}>"),
        ]
        r = rng.random()
        links = 0 if r < 0.3 else 1 if r < 0.8 else 2
        seen = {i}
        for _ in range(links):
            j = i + rng.randint(-2000, 2000) if rng.random() < 0.8 else rng.randint(1, firms)
            if 1 <= j <= firms and j not in seen:
                seen.add(j)
                pairs.append((KG + "supplierOf>", f"{ORGN}firm-{j}>"))
        if rng.random() < 0.2:
            j = rng.randint(1, firms)
            if j != i:
                pairs.append((KG + "investsIn>", f"{ORGN}firm-{j}>"))
        yield (g, firm, pairs)
        if rng.random() < 0.1:
            person = f"{PERSON}person-{i}>"
            pname = f"{rng.choice(SURNAMES)} {_name(rng)}"
            role, role_label = ROLES[rng.randrange(len(ROLES))]
            yield (g, person, [(A, KG + "Person>"), *labels(pname)])
            yield (
                g,
                f"{MEMBERSHIP}person-{i}-{role}>",
                [
                    (A, KG + "Membership>"),
                    (LABEL, en(f"{pname}, {role_label} of {name}")),
                    (ORG + "member>", person),
                    (ORG + "organization>", firm),
                    (ORG + "role>", f"{_ns('kgrole')}{role}>"),
                    (KG + "evidence>", plain(f"said {pname}, {role_label} of {name}.")),
                ],
            )
        if rng.random() < 0.15:
            yield _measurement(rng, g, article, firm, i, name, published, year)


def _measurement(
    rng: random.Random,
    g: str,
    article: str,
    firm: str,
    i: int,
    name: str,
    published: str,
    founded: int,
) -> Block:
    """A figure about firm ``i``: reported for a year between its founding and its source's."""
    measure, measure_label = MEASURES[rng.randrange(len(MEASURES))]
    value = rng.randint(1, 99_999) * 10 ** rng.randint(4, 6)
    stated = f"{value / 1e9:g} billion yuan" if value >= 1e9 else f"{value / 1e6:g} million yuan"
    r = rng.random()
    first = max(2015, founded)
    if first > 2022:
        r = 0.85 + r * 0.15  # too young for a past figure: an estimate or a target
    status, year = (
        ("reported", rng.randint(first, 2022))
        if r < 0.75
        else ("approximate", rng.randint(first, 2022))
        if r < 0.85
        else ("estimate", int(published[:4]))
        if r < 0.92
        else ("target", 2025)
    )
    about = "about " if status == "approximate" else ""
    if status == "target":
        evidence = f"{name} aims for {measure_label} of {stated} by {year}."
    else:
        evidence = f"{name} reported {measure_label} of {about}{stated} in {year}."
    return (
        g,
        f"{OBS}firm-{i}-{measure}-{year}>",
        [
            (A, KG + "Measurement>"),
            (KG + "about>", firm),
            (KG + "measure>", f"{_ns('kgm')}{measure}>"),
            (KG + "value>", typed(value, "decimal")),
            (KG + "unit>", _ns("cur") + "CNY>"),
            (KG + "period>", typed(year, "gYear")),
            (KG + "status>", f"{_ns('kgs')}{status}>"),
            (KG + "statedAs>", plain(about + stated)),
            (KG + "evidence>", plain(evidence)),
            (KG + "sourceArticle>", article),
        ],
    )


def generate(
    firms: int, seed: int = 0, progress: Callable[[int], None] | None = None
) -> Iterator[Block]:
    """Every block of a synthetic dataset, in a fixed order; ``progress(firms_done)`` after each source."""
    if firms < 1:
        raise UsageError(f"--firms must be at least 1 (got {firms})")
    rng = random.Random(seed)
    size = synth_size(firms)
    h = _hierarchy(rng, size, seed)
    yield from h.blocks
    for k in range(1, size.sources + 1):
        yield from _source(rng, h, k, firms, seed)
        if progress is not None:
            progress(min(firms, k * SOURCE_SIZE))
