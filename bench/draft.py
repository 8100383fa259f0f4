"""Benchmark of kg.draft on the five curated articles (issue 21).

For each article: the name index is built from the OTHER four articles' graphs plus the
reference data (so linking is honest), the drafter runs on the text, and the draft is compared
with the curated graph: figures (full tuple and value/unit/period), entities already in the
graph linked to the right node, relations, time per draft, and the sentence splitters.

    PYTHONPATH=. python bench/draft.py [--write docs/extraction.md]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.draft import NameIndex, draft_graph, parse_article  # noqa: E402
from kg.draft.sources import add_gazetteer  # noqa: E402
from kg.draft.article import split_pysbd, split_regex  # noqa: E402
from kg.draft.names import key_of, name_keys  # noqa: E402
from kg.namespaces import ID, KG, W3ORG  # noqa: E402

REL_PREDS = [KG.locatedIn, KG.subParkOf, KG.foundingYear, KG.industry, KG.pillarIndustry]


def short(x) -> str:  # type: ignore[no-untyped-def]
    if x is None:
        return "-"
    s = str(x)
    for ns, p in ((ID, ""), ("https://w3id.org/kg/ont#", "kg:"), ("https://w3id.org/kg/measure/", "kgm:"),
                  ("https://w3id.org/kg/status/", "kgs:"), ("http://qudt.org/vocab/unit/", "unit:"),
                  ("http://qudt.org/vocab/currency/", "cur:"), ("https://w3id.org/kg/role/", "kgrole:")):
        if s.startswith(ns):
            return p + s[len(ns):]
    return s


def names(ds, iri) -> set[str]:  # type: ignore[no-untyped-def]
    out = set()
    for p in (SKOS.prefLabel, RDFS.label, SKOS.altLabel):
        for o in ds.objects(iri, p):
            out |= {key_of(k) for k in name_keys(str(o))}
    return out


def load(path: Path) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(path, format="trig")
    return ds


def same_thing(d_iri, c_iri, dds, cds) -> bool:  # type: ignore[no-untyped-def]
    if d_iri == c_iri:
        return True
    if not isinstance(d_iri, URIRef) or not isinstance(c_iri, URIRef):
        return False
    return bool(names(dds, d_iri) & names(cds, c_iri))


def figures(ds) -> list[dict]:  # type: ignore[no-untyped-def]
    out = []
    for m in sorted(set(ds.subjects(RDF.type, KG.Measurement))):
        v = lambda p: ds.value(m, p)  # noqa: E731
        out.append({"iri": m, "about": v(KG.about), "measure": v(KG.measure), "value": Decimal(str(v(KG.value))),
                    "unit": v(KG.unit), "period": str(v(KG.period)), "status": v(KG.status),
                    "stated": str(v(KG.statedAs))})
    return out


def run(splitter: str = "regex") -> dict:
    graphs = sorted((ROOT / "data/graphs").glob("*.trig"))
    texts = sorted((ROOT / "data/articles").glob("*.txt"))
    ref = sorted((ROOT / "data/reference").glob("*.trig"))
    results = []
    for i, (gpath, tpath) in enumerate(zip(graphs, texts)):
        idx_ds = Dataset()
        for j, g in enumerate(graphs):
            if j != i:
                idx_ds.parse(g, format="trig")
        for r in ref:
            idx_ds.parse(r, format="trig")
        index = NameIndex.from_dataset(idx_ds)
        t_gaz, c_gaz = time.perf_counter(), time.process_time()
        divisions = add_gazetteer(index, ROOT / "data")
        gazetteer_seconds = time.perf_counter() - t_gaz
        gazetteer_cpu = time.process_time() - c_gaz
        text = tpath.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        art = parse_article(text, file_name=tpath.name, splitter=splitter)
        draft = draft_graph(art, index)
        elapsed = time.perf_counter() - t0
        dds = Dataset(default_union=True)
        for q in draft.quads((None, None, None, None)):
            dds.add(q)
        cds = load(gpath)
        res = {"article": tpath.name, "graph": gpath.name, "seconds": elapsed, "divisions": divisions,
               "gazetteer_seconds": gazetteer_seconds,
               "gazetteer_cpu": gazetteer_cpu}
        # Figures.
        cf, df = figures(cds), figures(dds)
        used_vup, used_full = set(), set()
        misses_vup, misses_full, year_ok = [], [], 0
        matched_full = 0
        for c in cf:
            vup = [k for k, d in enumerate(df) if k not in used_vup and d["value"] == c["value"]
                   and d["unit"] == c["unit"] and d["period"] == c["period"]]
            yr = [k for k, d in enumerate(df) if d["value"] == c["value"] and d["unit"] == c["unit"]
                  and d["period"][:4] == c["period"][:4]]
            if yr:
                year_ok += 1
            if vup:
                used_vup.add(vup[0])
            else:
                misses_vup.append(c)
            full = [k for k in vup + [k for k, d in enumerate(df) if d["value"] == c["value"] and d["unit"] == c["unit"]
                                      and d["period"] == c["period"]]
                    if k not in used_full and df[k]["measure"] == c["measure"] and df[k]["status"] == c["status"]
                    and same_thing(df[k]["about"], c["about"], dds, cds)]
            if full:
                used_full.add(full[0])
                matched_full += 1
            else:
                near = [d for d in df if d["value"] == c["value"] and d["unit"] == c["unit"]]
                misses_full.append((c, near[0] if near else None))
        extra = [d for k, d in enumerate(df) if k not in used_vup]
        # Precision on value/unit/period: drafted figures matching some curated one.
        dmatch = sum(1 for d in df if any(d["value"] == c["value"] and d["unit"] == c["unit"]
                                          and d["period"] == c["period"] for c in cf))
        dmatch_full = len(used_full)
        dyear = sum(1 for d in df if any(d["value"] == c["value"] and d["unit"] == c["unit"]
                                         and d["period"][:4] == c["period"][:4] for c in cf))
        res.update(curated_figures=len(cf), drafted_figures=len(df), recall_vup=len(cf) - len(misses_vup),
                   precision_vup=dmatch, recall_full=matched_full, precision_full=dmatch_full,
                   recall_year=year_ok, precision_year=dyear,
                   misses_vup=misses_vup, misses_full=misses_full, extra=extra)
        # Entities already in the graph (their IRI is in the index).
        entities = sorted({s for s in cds.subjects(SKOS.prefLabel, None)
                           if str(s).startswith(ID) and s in index.known})
        drafted_entities = set(draft.entities.by_iri) if draft.entities else set()
        linked = [e for e in entities if e in drafted_entities]
        res.update(known_entities=len(entities), linked=len(linked),
                   unlinked=[e for e in entities if e not in drafted_entities],
                   new_entities=len([e for e in drafted_entities if e not in index.known]))
        # Places with a division code (reference data or gazetteer): linked to that node.
        coded = sorted({s for s in cds.subjects(SKOS.prefLabel, None)
                        if str(s).startswith(ID + "place/") and s in index.known and index.known[s].codes})
        res.update(coded_places=len(coded), coded_linked=len([p for p in coded if p in drafted_entities]),
                   coded_unlinked=[p for p in coded if p not in drafted_entities])
        # Relations.
        crel = [(s, p, o) for p in REL_PREDS for s, o in cds.subject_objects(p)]
        drel = [(s, p, o) for p in REL_PREDS for s, o in dds.subject_objects(p)]
        for m in cds.subjects(RDF.type, KG.Membership):
            crel.append((cds.value(m, W3ORG.member), W3ORG.role, (cds.value(m, W3ORG.role), cds.value(m, W3ORG.organization))))
        for m in dds.subjects(RDF.type, KG.Membership):
            drel.append((dds.value(m, W3ORG.member), W3ORG.role, (dds.value(m, W3ORG.role), dds.value(m, W3ORG.organization))))

        def rel_eq(d, c) -> bool:  # type: ignore[no-untyped-def]
            if d[1] != c[1] or not same_thing(d[0], c[0], dds, cds):
                return False
            if isinstance(c[2], tuple):
                return d[2][0] == c[2][0] and same_thing(d[2][1], c[2][1], dds, cds)
            if isinstance(c[2], Literal):
                return str(d[2]) == str(c[2])
            return same_thing(d[2], c[2], dds, cds)

        rel_hit = [c for c in crel if any(rel_eq(d, c) for d in drel)]
        rel_ok = [d for d in drel if any(rel_eq(d, c) for c in crel)]
        res.update(curated_relations=len(crel), drafted_relations=len(drel), relations_recalled=len(rel_hit),
                   relations_correct=len(rel_ok),
                   relation_misses=[c for c in crel if c not in rel_hit],
                   relation_extra=[d for d in drel if d not in rel_ok])
        # Sentence splitting: curated evidence found as (or inside) one sentence.
        ev = {" ".join(str(o).split()) for o in cds.objects(None, KG.evidence)}
        sents = {" ".join(s.text.split()) for s in art.sentences}
        res.update(evidence=len(ev), evidence_exact=sum(1 for e in ev if e in sents),
                   evidence_within=sum(1 for e in ev if any(e in s for s in sents)))
        results.append(res)
    return {"articles": results}


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "n/a"


def splitter_compare() -> list[str]:
    """Regex vs pysbd on the curated evidence: exact sentence, and time."""
    rows = []
    for name in ("regex", "pysbd"):
        try:
            r = run(name)
        except ImportError:
            rows.append(f"| {name} | not installed | | |")
            continue
        a = r["articles"]
        ev = sum(x["evidence"] for x in a)
        rows.append(f"| {name} | {pct(sum(x['evidence_exact'] for x in a), ev)} | "
                    f"{pct(sum(x['evidence_within'] for x in a), ev)} | "
                    f"{pct(sum(x['recall_vup'] for x in a), sum(x['curated_figures'] for x in a))} |")
    return rows


def report(r: dict, splitters: list[str]) -> str:
    a = r["articles"]
    tot = lambda k: sum(x[k] for x in a)  # noqa: E731
    L = ["# Extraction: `kg.draft` measured on the five curated articles", "",
         "Generated by `PYTHONPATH=. python bench/draft.py --write docs/extraction.md`. For each article the",
         "name index holds the OTHER four articles' graphs plus `data/reference/` and the gazetteer's divisions",
         "(so an entity counts as linked only if another source already had it), the drafter runs on the text,",
         "and the draft is",
         "compared with the curated graph. No pattern holds a string from these five articles.", "",
         "## Summary", "",
         "| measure | result | target |", "|---|---|---|",
         f"| figures recall, value+unit+period | {pct(tot('recall_vup'), tot('curated_figures'))} ({tot('recall_vup')}/{tot('curated_figures')}) | ≥ 85 % |",
         f"| figures precision, value+unit+period | {pct(tot('precision_vup'), tot('drafted_figures'))} ({tot('precision_vup')}/{tot('drafted_figures')}) | ≥ 80 % |",
         f"| figures recall, value+unit+period-year | {pct(tot('recall_year'), tot('curated_figures'))} ({tot('recall_year')}/{tot('curated_figures')}) | (period at year level) |",
         f"| figures precision, value+unit+period-year | {pct(tot('precision_year'), tot('drafted_figures'))} ({tot('precision_year')}/{tot('drafted_figures')}) | |",
         f"| figures recall, full (subject, measure, value, unit, period, status) | {pct(tot('recall_full'), tot('curated_figures'))} ({tot('recall_full')}/{tot('curated_figures')}) | |",
         f"| figures precision, full | {pct(tot('precision_full'), tot('drafted_figures'))} ({tot('precision_full')}/{tot('drafted_figures')}) | |",
         f"| entities already in the graph, linked to the right node | {pct(tot('linked'), tot('known_entities'))} ({tot('linked')}/{tot('known_entities')}) | ≥ 95 % |",
         f"| places with a division code, linked to it | {pct(tot('coded_linked'), tot('coded_places'))} ({tot('coded_linked')}/{tot('coded_places')}) | ≥ 90 % |",
         f"| relations recall | {pct(tot('relations_recalled'), tot('curated_relations'))} ({tot('relations_recalled')}/{tot('curated_relations')}) | |",
         f"| relations precision | {pct(tot('relations_correct'), tot('drafted_relations'))} ({tot('relations_correct')}/{tot('drafted_relations')}) | |",
         f"| slowest draft (parse + draft, warm) | {max(x['seconds'] for x in a):.3f} s | ≤ 2 s |",
         f"| reading the gazetteer into the name index ({a[0]['divisions']} divisions) | {max(x['gazetteer_seconds'] for x in a):.3f} s ({max(x['gazetteer_cpu'] for x in a):.3f} s of CPU) | |", "",
         "Subjects match when the IRIs are equal or share a normalised name (a new node the draft",
         "mints may have another slug than the curated one). Relations compared: kg:locatedIn,",
         "kg:subParkOf, kg:foundingYear, kg:industry, kg:pillarIndustry and posts (person, role, organisation).",
         "", "## Per article", "",
         "| article | figures curated | drafted | recall v+u+p | precision v+u+p | recall full | entities linked | places to a code | relations recall | precision | seconds |",
         "|---|---|---|---|---|---|---|---|---|---|---|"]
    for x in a:
        L.append(f"| {x['graph']} | {x['curated_figures']} | {x['drafted_figures']} | {x['recall_vup']} | "
                 f"{x['precision_vup']} | {x['recall_full']} | {x['linked']}/{x['known_entities']} | {x['coded_linked']}/{x['coded_places']} | "
                 f"{x['relations_recalled']}/{x['curated_relations']} | {x['relations_correct']}/{x['drafted_relations']} | {x['seconds']:.3f} |")
    L += ["", "## Sentence splitter", "",
          "Share of the curated `kg:evidence` quotes that are exactly one drafted sentence, or inside one,",
          "and the figures recall (value+unit+period) with each splitter.", "",
          "| splitter | evidence = a sentence | evidence inside a sentence | figures recall |", "|---|---|---|---|"]
    L += splitters
    L += ["", "## Misses", ""]
    for x in a:
        L.append(f"### {x['graph']}")
        L.append("")
        for c in x["misses_vup"]:
            L.append(f"- figure not drafted (value/unit/period): {c['value']} {short(c['unit'])} {c['period']} "
                     f"({short(c['measure'])} of {short(c['about'])}, “{c['stated']}”)")
        for c, near in x["misses_full"]:
            if c in x["misses_vup"]:
                continue
            if near is None:
                continue
            diffs = []
            for k in ("about", "measure", "period", "status"):
                if str(near[k]) != str(c[k]):
                    diffs.append(f"{k} {short(near[k])} ≠ {short(c[k])}")
            L.append(f"- figure {c['value']} {short(c['unit'])}: " + "; ".join(diffs))
        for d in x["extra"]:
            L.append(f"- extra figure: {d['value']} {short(d['unit'])} {d['period']} {short(d['measure'])} "
                     f"(“{d['stated']}”)")
        for e in x["unlinked"]:
            L.append(f"- entity not linked: {short(e)}")
        for e in x["coded_unlinked"]:
            L.append(f"- place with a division code not linked: {short(e)}")
        for s, p, o in x["relation_misses"]:
            o = tuple(short(v) for v in o) if isinstance(o, tuple) else short(o)
            L.append(f"- relation missed: {short(s)} {short(p)} {o}")
        for s, p, o in x["relation_extra"]:
            o = tuple(short(v) for v in o) if isinstance(o, tuple) else short(o)
            L.append(f"- relation not in the curated graph: {short(s)} {short(p)} {o}")
        L.append("")
    return "\n".join(L) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", help="write the report to this Markdown file (results section)")
    args = ap.parse_args()
    run()  # warm-up (imports, regex compilation)
    r = run()
    text = report(r, splitter_compare())
    if args.write:
        path = Path(args.write)
        head = ""
        if path.exists():
            old = path.read_text(encoding="utf-8")
            marker = "<!-- bench/draft.py results below -->"
            if marker in old:
                head = old.split(marker)[0] + marker + "\n\n"
        path.write_text(head + text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
