"""The places of synthetic data (:mod:`kg.synth.generate`): China's real divisions from the
gazetteer, scaled to the number of firms, and synthetic parks and sub-parks in them; with the
industries, the reference graph."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache

from kg import paths
from kg.errors import InputError
from kg.rdf.gazetteer import DIVISIONS_FILE, Gazetteer
from kg.synth.terms import (
    GRAPH,
    IN,
    IND,
    INDUSTRY,
    KG,
    LABEL,
    PARK,
    SKOS,
    YEAR,
    A,
    Block,
    en,
    labels,
    ns,
    plain,
    synth_name,
    typed,
    zh,
)
from kg.synth.vocab import INDUSTRIES

#: Firms from which the hierarchy has its full national size (smaller runs scale by the square root).
FULL_AT = 100_000
FULL_SIZE = {"districts": 2845, "parks": 2500}  # every county-level division in force (the gazetteer)
#: Firms per synthetic source (one named graph each).
SOURCE_SIZE = 1000


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


@dataclass
class Hierarchy:
    blocks: list[Block]
    districts: list[tuple[str, str]]  # (iri, name)
    parks: list[tuple[str, str, int]]  # (iri, name, industry index)


def hierarchy(rng: random.Random, size: SynthSize, seed: int) -> Hierarchy:
    g = GRAPH + "reference>"
    blocks: list[Block] = [
        (
            g,
            g,
            [
                (A, KG + "ReferenceGraph>"),
                (LABEL, en("Synthetic administrative divisions, parks and industries")),
                (
                    ns("dcterms") + "source>",
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
            name = f"{synth_name(rng)} {INDUSTRIES[ind][2]} Park ({parent_name})"
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
    return Hierarchy(blocks, districts, parks)
