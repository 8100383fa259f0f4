"""Make tests/reference/fixtures/src: a small slice of the gazetteer's packages, in their format.

Run by hand (not by the tests) with the packages unpacked in a source folder:

    PYTHONPATH=. python tests/reference/make_fixtures.py --source-dir /tmp/gz/src

The slice keeps the provinces in ``PREFIXES`` (Beijing, Inner Mongolia, Shandong, Hubei, Henan)
and records the pinyin the build asks for in ``pinyin.json``, so the tests need none of the
packages.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import struct
from pathlib import Path

from kg.reference import build as b

PREFIXES = ("11", "15", "37", "41", "42")
OUT = Path(__file__).resolve().parent / "fixtures" / "src"


def _keep(code: str | None) -> bool:
    return bool(code) and code.startswith(PREFIXES)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _mo(messages: dict[str, str]) -> bytes:
    """A GNU .mo catalogue of ``messages`` (the format gettext reads)."""
    keys = sorted(messages)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(messages[k].encode() + b"\0" for k in keys)
    n = len(keys)
    start = 7 * 4 + 16 * n
    offsets, o = [], 0
    for k in keys:
        offsets.append((len(k.encode()), start + o))
        o += len(k.encode()) + 1
    soffsets, o = [], 0
    for k in keys:
        soffsets.append((len(messages[k].encode()), start + len(ids) + o))
        o += len(messages[k].encode()) + 1
    head = struct.pack("<7I", 0x950412DE, 0, n, 28, 28 + 8 * n, 0, 0)
    table = b"".join(struct.pack("<2I", *x) for x in offsets)
    table += b"".join(struct.pack("<2I", *x) for x in soffsets)
    return head + table + ids + strs


def _dist(name: str, version: str) -> None:
    norm = name.replace("-", "_")
    _write(OUT / f"{norm}-{version}.dist-info" / "METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", type=Path, required=True)
    src = parser.parse_args().source_dir
    if OUT.exists():
        shutil.rmtree(OUT)
    sources = b.read_sources(src)
    for name, pkg in sources.items():
        if pkg.registry == "pypi":
            _dist(name, pkg.version)

    mca = json.loads((src / b.MCA_FILE).read_text(encoding="utf-8"))
    mca["divisions"] = [r for r in mca["divisions"] if r[0] <= 3 and _keep(r[1])]
    _write(OUT / b.MCA_FILE, json.dumps(mca, ensure_ascii=False))

    hist = json.loads((src / b.HISTORY_FILE).read_text(encoding="utf-8"))
    hist["events"] = [
        e for e in hist["events"] if _keep(e["old"]["code"]) or _keep(e["new"]["code"])
    ]
    _write(OUT / b.HISTORY_FILE, json.dumps(hist, ensure_ascii=False))

    buf = io.StringIO()
    with (src / b.COORDS_FILE).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(next(reader))
        for row in reader:
            if _keep(row[0]):
                writer.writerow(row)
    _write(OUT / b.COORDS_FILE, buf.getvalue())
    shutil.copy(src / b.NATIONS_FILE, OUT / b.NATIONS_FILE)

    iso = json.loads((src / b.ISO_FILE).read_text(encoding="utf-8"))
    iso["3166-2"] = [e for e in iso["3166-2"] if e["code"].startswith("CN-")]
    _write(OUT / b.ISO_FILE, json.dumps(iso, ensure_ascii=False, indent=1))
    import gettext  # noqa: PLC0415

    with (src / b.ISO_ZH_FILE).open("rb") as fh:
        zh = gettext.GNUTranslations(fh)
    catalogue = {e["name"]: zh.gettext(e["name"]) for e in iso["3166-2"]}
    catalogue[""] = "Content-Type: text/plain; charset=UTF-8\n"
    (OUT / b.ISO_ZH_FILE).parent.mkdir(parents=True, exist_ok=True)
    (OUT / b.ISO_ZH_FILE).write_bytes(_mo(catalogue))

    countries = json.loads((src / b.COUNTRY_FILE).read_text(encoding="utf-8"))
    countries["3166-1"] = [e for e in countries["3166-1"] if e["alpha_2"] == "CN"]
    _write(OUT / b.COUNTRY_FILE, json.dumps(countries, ensure_ascii=False, indent=1))
    with (src / b.COUNTRY_ZH_FILE).open("rb") as fh:
        zh1 = gettext.GNUTranslations(fh)
    catalogue = {k: zh1.gettext(k) for e in countries["3166-1"] for k in (e["name"], e["official_name"])}
    catalogue[""] = "Content-Type: text/plain; charset=UTF-8\n"
    (OUT / b.COUNTRY_ZH_FILE).write_bytes(_mo(catalogue))

    names = {r[3] for r in mca["divisions"]}
    cities = json.loads((src / b.GEONAMES_FILE).read_text(encoding="utf-8"))
    kept = {
        k: c
        for k, c in cities.items()
        if c.get("countrycode") == "CN" and set(c.get("alternatenames") or []) & names
    }
    _write(OUT / b.GEONAMES_FILE, json.dumps(kept, ensure_ascii=False, indent=1, sort_keys=True))

    dist = src / b.ZONES_DIR
    areas = [a for a in json.loads((dist / "areas.json").read_text(encoding="utf-8")) if _keep(a["code"])]
    city = [c for c in json.loads((dist / "cities.json").read_text(encoding="utf-8")) if _keep(c["code"])]
    _write(OUT / b.ZONES_DIR / "areas.json", json.dumps(areas, ensure_ascii=False))
    _write(OUT / b.ZONES_DIR / "cities.json", json.dumps(city, ensure_ascii=False))
    pkg = json.loads((dist.parent / "package.json").read_text(encoding="utf-8"))
    _write(OUT / b.ZONES_DIR.rsplit("/", 1)[0] / "package.json", json.dumps({"name": pkg["name"], "version": pkg["version"], "license": pkg["license"]}))

    outlines = json.loads((src / b.OUTLINE_FILE).read_text(encoding="utf-8"))
    outlines["features"] = [f for f in outlines["features"] if _keep(str(f["id"]))]
    _write(OUT / b.OUTLINE_FILE, json.dumps(outlines, ensure_ascii=False))
    pkg = json.loads((src / b.OUTLINE_FILE).parent.joinpath("package.json").read_text(encoding="utf-8"))
    _write(OUT / b.OUTLINE_FILE.rsplit("/", 1)[0] / "package.json", json.dumps({"name": pkg["name"], "version": pkg["version"], "license": pkg["license"]}))

    # Record the pinyin a full build of the slice asks for, then build once more from the fixture.
    out = Path("/tmp") / "kg-fixture-build"
    py_probe = b.Pinyin(src)
    original = b.Pinyin.__call__
    b.Pinyin.__call__ = lambda self, text: original(py_probe, text)  # type: ignore[method-assign]
    try:
        b.build(OUT, out, PREFIXES)
    finally:
        b.Pinyin.__call__ = original  # type: ignore[method-assign]
    table = {"__version__": py_probe.package.version, **dict(sorted(py_probe.asked.items()))}
    _write(OUT / b.PINYIN_FALLBACK, json.dumps(table, ensure_ascii=False, indent=0))


if __name__ == "__main__":
    main()
