"""docs/benchmarks.md from the raw results in bench/results/*.json (see bench/run.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.fileio import write_atomic  # noqa: E402

INTRO = """# Benchmarks

Run by hand, never by the tests: `.venv/bin/python bench/run.py --sizes 10000,100000`
(see `bench/run.py --help`). Each size's raw figures are in `bench/results/<firms>.json`;
this page is rebuilt from all of them (`bench/run.py --report-only`).

The data is `kg synth --seed 1` (N-Quads). Every backend runs in a fresh process, so peak memory
(the process's maximum resident set) is its own:

- **rdflib**: the plain library, `Dataset.parse` and kg's in-memory backend (the default).
- **oxigraph-memory**: pyoxigraph's in-memory store, bulk load plus the default-graph merge.
- **store-load**: `kg load --store` (bulk load into an on-disk Oxigraph store, then the merge).
- **store**: a new process opening that store read-only (as `--store DIR` does) and querying it cold.
- **endpoint**: `kg push` to a real `oxigraph serve`, then queries over HTTP (SPARQL Protocol);
  the server's own peak memory is given apart.

"Load" for the Oxigraph backends includes writing the default graph as the merge of the named
graphs (see docs/scale.md); the Oxigraph exports therefore hold both. A digest of every answer
is recorded: equal digests mean the backends agreed (as multisets).
The machine is shared: figures are wall-clock times under whatever else was running (see the
load average).
"""


def _step(steps: list[dict], name: str) -> dict | None:
    return next((s for s in steps if s.get("step") == name), None)


def _secs(step: dict | None) -> str:
    return "—" if step is None else f"{step['seconds']:.3g}"


def _ratio(slow: dict | None, fast: dict | None) -> str:
    if slow is None or fast is None or not fast["seconds"]:
        return "—"
    return f"{slow['seconds'] / fast['seconds']:.1f}×"


def _failures(result: dict) -> list[str]:
    out = []
    for name, steps in result["backends"].items():
        for s in steps:
            if s.get("step") in ("failed", "skipped"):
                out.append(f"- {result['firms']} firms, {name}: {s['step']} ({s['error']})")
    return out


NAMED_INTRO = """## Named queries (seconds)

Each of `queries/*.rq` as `kg query` runs it (parameters checked and resolved, literals in
canonical form), with the parameters `bench/commands.py` gives it, by IRI. rdflib gets
`--rdflib-query-limit` seconds per query (120 by default: a forked child, then stopped, shown as "> N"); sizes above `--rdflib-max` skip it.
"""


def _query_table(results: list[dict], prefix: str, heading: str) -> list[str]:
    """One row per query (steps named ``prefix`` + query) and size: each backend's seconds,
    rdflib's ratio to the store, the rows, and whether every backend gave the same answer."""
    backends = ["rdflib", "oxigraph-memory", "store", "endpoint"]
    lines = [
        "",
        heading,
        "| firms | query | " + " | ".join(backends) + " | rdflib ÷ store | rows | answers agree |",
        "|---|---|" + "---|" * len(backends) + "---|---|---|",
    ]
    for r in results:
        queries = sorted({s["step"] for steps in r["backends"].values() for s in steps if s["step"].startswith(prefix)})
        for q in queries:
            found = {b: _step(r["backends"].get(b, []), q) for b in backends}
            answered = [s for s in found.values() if s is not None and not s.get("stopped")]
            digests = {s["digest"] for s in answered}
            rows = {s["rows"] for s in answered}
            stopped = {b for b, s in found.items() if s is not None and s.get("stopped")}
            cells = [f"> {found[b]['seconds']:g}" if b in stopped else _secs(found[b]) for b in backends]
            ratio = "—" if "rdflib" in stopped else _ratio(found["rdflib"], found["store"])
            lines.append(
                f"| {r['firms']:,} | {q[len(prefix):]} | " + " | ".join(cells)
                + f" | {ratio} | {'/'.join(f'{n:,}' for n in sorted(rows))} | {'yes' if len(digests) == 1 else 'NO'} |"
            )
    return lines


def render(results: list[dict]) -> str:
    lines = [
        INTRO,
        "## Machine\n",
        "| firms | CPUs | CPU | memory | OS | Python | rdflib | pyoxigraph | server | load avg | date |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        m = r["machine"]
        lines.append(
            f"| {r['firms']:,} | {m['cpus']} | {m['cpu']} | {m['memory_gib']} GiB | {m['os']} | {m['python']} | "
            f"{m['rdflib']} | {m['pyoxigraph']} | {m['oxigraph_server']} | {m['load_average_at_start']:.1f} | {m['date']} |"
        )
    lines += [
        "",
        "## Synthetic data (`kg synth`)\n",
        "| firms | triples | triples per firm | bytes per firm (N-Quads) | seconds | firms per second |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r["synth"]
        lines.append(
            f"| {r['firms']:,} | {s['triples']:,} | {s['triples_per_firm']} | {s['bytes_per_firm']:,} | {s['seconds']} | {s['firms_per_second']:,} |"
        )
    lines += [
        "",
        "## Load\n",
        "| firms | backend | seconds | peak memory (MB) | rdflib's time ÷ this |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        plain = _step(r["backends"].get("rdflib", []), "load")
        for name, steps in r["backends"].items():
            load = _step(steps, "load")
            if load is None:
                continue
            extra = f" (server {load['server_peak_mb']:,})" if "server_peak_mb" in load else ""
            lines.append(
                f"| {r['firms']:,} | {name} | {_secs(load)} | {load['peak_mb']:,}{extra} | "
                f"{'—' if name == 'rdflib' else _ratio(plain, load)} |"
            )
    lines += _query_table(results, "query:", "## Queries (seconds)\n")
    lines += _query_table(results, "named:", NAMED_INTRO)
    lines += [
        "",
        "## Export to N-Quads (seconds)\n",
        "| firms | rdflib | oxigraph-memory | store | rdflib ÷ store |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        ex = {
            b: _step(r["backends"].get(b, []), "export")
            for b in ("rdflib", "oxigraph-memory", "store")
        }
        lines.append(
            f"| {r['firms']:,} | {_secs(ex['rdflib'])} | {_secs(ex['oxigraph-memory'])} | {_secs(ex['store'])} | "
            f"{_ratio(ex['rdflib'], ex['store'])} |"
        )
    failures = [f for r in results for f in _failures(r)]
    if failures:
        lines += ["", "## Not measured\n", *failures]
    return "\n".join(lines) + "\n"


#: Where the part of the page that bench/commands.py and people write begins: kept as it is.
KEPT_FROM = "<!-- commands:start -->"


def write_report(files: list[Path], target: Path) -> None:
    """The page rebuilt from ``files``, keeping what follows :data:`KEPT_FROM` (the commands'
    tables and the notes written by hand)."""
    results = sorted((json.loads(f.read_text()) for f in files), key=lambda r: r["firms"])
    page = target.read_text(encoding="utf-8") if target.exists() else ""
    kept = page[page.index(KEPT_FROM) :] if KEPT_FROM in page else ""
    write_atomic(target, render(results).rstrip("\n") + "\n\n" + kept if kept else render(results))
