"""Time kg's commands on a store, run by hand (never by the tests).

    .venv/bin/python bench/commands.py --firms 100000            # synthesise, load, time
    .venv/bin/python bench/commands.py --store DIR --firms 100000  # time an existing store
    .venv/bin/python bench/commands.py --firms 1000000 --keep /tmp/bench1m --timeout 120
        # keep the data and the store in /tmp/bench1m (reused when there), stop each command after 120 s

Each command runs as the installed ``kg`` in a fresh process with ``--store DIR``; its wall-clock
seconds and peak memory (the largest resident set of the process and its worker) are saved to
bench/results/commands/<firms>.json, and the section "Commands on a store" of docs/benchmarks.md
is rebuilt from every such file (``--report-only`` just rebuilds it; bench/run.py rewrites the
page without it: run this afterwards). The store is the N-Quads of ``kg synth --seed 1`` loaded
by ``kg load --ontology``; when this script synthesises and loads it, both are timed too. Parameters name
synthetic entities (``orgn:synth-firm-1`` has figures; ``place:jiangxi`` is looked up
by its name, which depends on the number of firms: Yangchang Province at 100,000 and 1,000,000). Queries report their rows; a query whose answer is every firm's (industries) is also
timed with ``--format csv``, as printing a table of 100,000 rows takes time of its own.

    .venv/bin/python bench/commands.py --own

times every command on the project's own graph instead (no --store: the in-memory default, from
a cold start, as a newcomer runs it): each named query with the example its header gives, and
the other commands with the arguments in :data:`OWN` (results in bench/results/commands/own.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = str(Path(sys.executable).parent / "kg")

#: The value of each required parameter of a named query, on the synthetic store (the others
#: keep their defaults: that is what "every named query with its default parameters" times).
REQUIRED: dict[str, str] = {
    "region": "place:jiangxi",
    "entity": "orgn:synth-firm-1",
    "park": "park:synth-park-1",
    "organization": "orgn:synth-firm-6",
    "article": "article:synth-source-1",
    "measure": "kgm:revenue",
    "as_of": "2010",  # (the roll-ups as of a year: Laiwu, Ordos and many more changed before it)
}


def named_commands() -> list[tuple[str, list[str]]]:
    """Every named query of queries/ with its default parameters (required ones from
    :data:`REQUIRED`), as a table and as CSV (printing a large table takes time of its own)."""
    sys.path.insert(0, str(ROOT))
    from kg.query.library import discover

    found = []
    for q in discover():
        params = [a for p in q.header.params if p.required for a in ("--param", f"{p.name}={REQUIRED[p.name]}")]
        found.append((f"query {q.name}", ["query", q.name, *params]))
        found.append((f"query {q.name} (csv)", ["query", q.name, *params, "--format", "csv"]))
    return found


#: (what, kg arguments before --store); "{out}" is a scratch file.
COMMANDS: list[tuple[str, list[str]]] = [
    ("stats", ["stats"]),
    ("stats --by province", ["stats", "--by", "province"]),
    ("query firms-in-region (by name)", ["query", "firms-in-region", "--param", "region={province}"]),
    # Roll-ups (issue 22 targets at 1M firms: province and prefecture <= 2 s, county with industry <= 5 s)
    ("roll-up firms per province", ["query", "firms-per-region", "--param", "level=province"]),
    ("roll-up firms per prefecture", ["query", "firms-per-region", "--param", "level=prefecture"]),
    ("roll-up firms per county, one industry", ["query", "firms-per-region", "--param", "level=county",
                                                "--param", "industry=industry:synth-rare-earth"]),
    ("roll-up parks per prefecture", ["query", "parks-per-region", "--param", "level=prefecture"]),
    ("roll-up figures per province", ["query", "figures-per-region", "--param", "status=kgs:reported"]),
    *named_commands(),
    ("describe a firm", ["describe", "orgn:synth-firm-1"]),
    ("describe a province", ["describe", "place:jiangxi"]),
    ("why a firm", ["why", "orgn:synth-firm-1"]),
    ("conflicts", ["conflicts"]),
    ("export nquads", ["export", "--format", "nquads", "--output", "{out}"]),
    ("validate", ["validate"]),
    ("centrality pagerank", ["centrality", "--measure", "pagerank", "--top", "10"]),
]


#: Every other command on the project's own graph (issue 5: each within 1 s from a cold start);
#: "{tmp}" is a scratch folder. ``push`` is left out: it needs a server (the tests start one).
OWN: list[tuple[str, list[str]]] = [
    ("queries", ["queries"]),
    ("stats", ["stats"]),
    ("validate", ["validate"]),
    ("conflicts", ["conflicts"]),
    ("centrality (five measures)", ["centrality", "--measure", "degree,betweenness,closeness,pagerank,eigenvector"]),
    ("centrality hits (directed)", ["centrality", "--measure", "hits", "--directed"]),
    ("centrality --html (picture, tables, map)", ["centrality", "--html", "{tmp}/centrality.html"]),
    ("place (a name)", ["place", "包头"]),
    ("place --as-of", ["place", "371200", "--as-of", "2017"]),
    ("place --html (map)", ["place", "Baotou", "--html", "{tmp}/place.html"]),
    ("draft (an article's text)", ["draft", "data/articles/001_ee7dd5e650f11119.txt", "--output", "{tmp}/draft.trig"]),
    ("describe", ["describe", "Baotou Equipment Park"]),
    ("why", ["why", "Baotou Equipment Park"]),
    ("check-article", ["check-article", "data/graphs/001-baotou-equipment-park-2017.trig"]),
    *((f"export {fmt}", ["export", "--format", fmt, "--output", f"{{tmp}}/export-{fmt}"])
      for fmt in ("turtle", "nt", "nquads", "trig", "jsonld", "xml", "graphml", "gexf", "csv")),
    ("load (into a new store)", ["load", "--store", "{tmp}/store"]),
    ("synth (1,000 firms)", ["synth", "--firms", "1000", "--output", "{tmp}/synth.nq"]),
]


def own_commands() -> list[tuple[str, list[str]]]:
    """Each named query as its header's example (without the leading ``kg``), then :data:`OWN`."""
    import shlex

    sys.path.insert(0, str(ROOT))
    from kg.query.library import discover

    examples = [(f"query {q.name}", shlex.split(q.header.examples[0])[1:]) for q in discover() if q.header.examples]
    return [*examples, *OWN]


def province_name(store: Path) -> str:
    """The name of place:jiangxi in the store, from the index of names ``kg load`` keeps."""
    with (store / "kg-merge" / "names.tsv").open(encoding="utf-8") as names:
        for line in names:
            name, _, iri = line.rstrip("\n").partition("\t")
            if iri.endswith("/jiangxi") and name.isascii() and " " not in name:
                return name.title()
    raise SystemExit(f"{store}: no name of place:jiangxi in kg-merge/names.tsv")


def run(args: list[str], exe: str = KG) -> dict[str, object]:
    """Run one kg command (or ``exe``); its seconds, peak memory (MB), exit code and, for a query, its rows
    (from the table's "(N rows)" line, or the lines of CSV output less its header)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen([exe, *args], stdout=out, stderr=subprocess.PIPE, cwd=ROOT)
        err_bytes = proc.stderr.read() if proc.stderr else b""  # read while it runs: no pipe stall
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: out.read(1 << 20), b""))
    err = err_bytes.decode("utf-8", "replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    last = err.strip().splitlines()[-1] if err.strip() else ""
    result: dict[str, object] = {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024),
                                 "exit": proc.returncode, "stderr": last[:200]}
    counted = re.search(r"^\((\d+) rows?\)$", last)
    if args[:1] == ["query"] and proc.returncode == 0:
        result["rows"] = int(counted.group(1)) if counted else max(lines - 1, 0) if "csv" in args else None
    return result


RESULTS = ROOT / "bench" / "results" / "commands"
REPORT = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- commands:start -->", "<!-- commands:end -->"


def render(results: list[dict]) -> str:
    """The section of docs/benchmarks.md, one table per number of firms."""
    lines = [START, "## Commands on a store (`--store DIR`)", "",
             ("Run by hand: `.venv/bin/python bench/commands.py --firms N` (`kg synth --seed 1`, then `kg load --ontology`; "
             "each command in a fresh process, as a user runs it: start-up, opening the store and the worker "
             "process included). Peak memory is the largest resident set of the command and its worker. "
             "The machine was shared with other jobs while these ran (load average given), so the times are "
             "pessimistic and vary by about a factor of two between runs."), "",
             ("`bench/commands.py --own` times every command on the project's own graph instead, in memory "
             "(no `--store`), from a cold start: each named query as its header's example, every export "
             "format, and `kg load` into a new store (target: each within 1 s). `validate` and `check-article` "
             "are timed with kg's cache (`KG_CACHE_DIR`) holding what an earlier run parsed: the first run "
             "after an install parses the 52 SHACL-SPARQL texts (1.47 s for `kg validate` on 2026-12-07; "
             "docs/security.md)."), ""]
    for r in sorted(results, key=lambda r: (r["firms"], r.get("over", ""))):
        m = r["machine"]
        seen = [row["load_avg"] for row in r["rows"] if "load_avg" in row]
        load = f"{min(seen):.1f} to {max(seen):.1f} as the commands started" if seen else f"{m['load_avg']:.1f}"
        what = f"{r['firms']:,} firms" if r["firms"] else "The project's own graph, in memory"
        if r.get("over") == "endpoint":
            what += (f", over SPARQL (`--endpoint`: `oxigraph serve-read-only` on the same store, "
                     f"peak memory {m['server_peak_mb']:,} MB)")
        lines += [f"### {what} ({m['date']}, {m['cpus']} CPUs, load average {load})", "",
                  "| command | seconds | peak memory (MB) | rows | exit | note |", "|---|---|---|---|---|---|"]
        for row in r["rows"]:
            note = row.get("note") or (row["stderr"] if row["exit"] not in (0, 3) else "")
            rows = f"{row['rows']:,}" if row.get("rows") is not None else ""
            lines.append(f"| {row['command']} | {row['seconds']} | {row['peak_mb']:,} | {rows} | {row['exit']} | {note} |")
        lines.append("")
    return "\n".join([*lines, END]) + "\n"


def write_report() -> None:
    results = [json.loads(f.read_text()) for f in sorted(RESULTS.glob("*.json"))]
    page = REPORT.read_text(encoding="utf-8")
    section = render(results)
    if START in page and END in page:
        page = page[: page.index(START)] + section + page[page.index(END) + len(END) + 1 :]
    else:
        page = page.rstrip("\n") + "\n\n" + section
    REPORT.write_text(page, encoding="utf-8")


def run_own() -> None:
    """Every command on the project's own graph, each in a fresh process: bench/results/commands/own.json."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-own-") as tmp:
        for name, args in own_commands():
            busy = round(os.getloadavg()[0], 2)
            result = {"command": name, "args": args, "load_avg": busy, **run([a.replace("{tmp}", tmp) for a in args])}
            rows.append(result)
            print(json.dumps(result), file=sys.stderr)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "own.json").write_text(json.dumps({"firms": 0, "machine": _machine(), "rows": rows}, indent=2) + "\n")


def _machine() -> dict[str, object]:
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "load_avg": os.getloadavg()[0], "date": time.strftime("%Y-%m-%d")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="an existing store of kg synth --firms N --seed 1")
    parser.add_argument("--keep", type=Path, help="keep the data and the store in this folder (reused when there)")
    parser.add_argument("--timeout", type=float, help="give each command this --timeout (default: the command's own)")
    parser.add_argument("--only", default="", help="comma-separated command names to run")
    parser.add_argument("--report-only", action="store_true", help="only rebuild the section of docs/benchmarks.md")
    parser.add_argument("--own", action="store_true", help="time every command on the project's own graph")
    parser.add_argument("--endpoint", action="store_true",
                        help="run the commands with --endpoint, on oxigraph serve-read-only over the store")
    options = parser.parse_args()
    if options.report_only:
        write_report()
        return
    if options.own:
        run_own()
        write_report()
        return
    load_avg_start = os.getloadavg()[0]
    rows: list[dict] = []
    server_mb = None
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        store = options.store
        if store is None:
            where = options.keep or Path(tmp)
            where.mkdir(parents=True, exist_ok=True)
            data, store = where / "synth.nq", where / "store"
            if not data.exists():
                busy = round(os.getloadavg()[0], 2)
                synth = run(["synth", "--firms", str(options.firms), "--seed", "1", "--output", str(data)])
                rows.append({"command": "synth (kg synth, N-Quads)", "args": ["synth"], "load_avg": busy, **synth})
                print(json.dumps(rows[-1]), file=sys.stderr)
            if not (store / "CURRENT").exists():
                busy = round(os.getloadavg()[0], 2)
                load = run(["load", "--store", str(store), "--ontology", str(data)])
                rows.append({"command": "load (kg load --store)", "args": ["load"], "load_avg": busy, **load})
                print(json.dumps(rows[-1]), file=sys.stderr)
                # The engine's own bulk load of the same file, in the same run (issue 22: kg load <= 1.5x this).
                busy = round(os.getloadavg()[0], 2)
                engine = Path(tmp) / "engine-store"
                ox = run(["load", "--location", str(engine), "--file", str(data)], exe=str(Path(sys.executable).parent / "oxigraph"))
                shutil.rmtree(engine, ignore_errors=True)
                ratio = load["seconds"] / ox["seconds"] if ox["seconds"] else 0  # type: ignore[operator]
                rows.append({"command": "load (oxigraph load, the engine's own)", "args": ["oxigraph load"],
                             "load_avg": busy, **ox, "note": f"kg load takes {ratio:.2f}x this"})
                print(json.dumps(rows[-1]), file=sys.stderr)
        wanted = {w.strip() for w in options.only.split(",") if w.strip()}
        limit = ["--timeout", f"{options.timeout:g}"] if options.timeout is not None else []
        server = serve_read_only(store) if options.endpoint else None
        where = ["--endpoint", server[1]] if server else ["--store", str(store)]
        try:
            rows += run_commands(COMMANDS, wanted, where, limit, store, Path(tmp))
        finally:
            server_mb = stop(server[0]) if server else None
    machine = {**_machine(), "load_avg_start": load_avg_start}
    if server_mb is not None:
        machine["server_peak_mb"] = server_mb
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / (f"{options.firms}-endpoint.json" if options.endpoint else f"{options.firms}.json")
    previous = {r["command"]: r for r in json.loads(out.read_text())["rows"]} if out.exists() else {}
    merged = {**previous, **{r["command"]: r for r in rows}}  # a partial run (--only) keeps the rest
    order = ["synth (kg synth, N-Quads)", "load (kg load --store)", "load (oxigraph load, the engine's own)",
             *(name for name, _ in COMMANDS)]
    rows = sorted(merged.values(), key=lambda r: order.index(r["command"]) if r["command"] in order else len(order))
    result = {"firms": options.firms, "machine": machine, "rows": rows}
    if options.endpoint:
        result["over"] = "endpoint"
    out.write_text(json.dumps(result, indent=2) + "\n")
    write_report()


def run_commands(commands: list[tuple[str, list[str]]], wanted: set[str], where: list[str], limit: list[str],
                 store: Path, tmp: Path) -> list[dict]:
    """Each command (those ``wanted``, or all) with ``where`` (--store DIR or --endpoint URL)."""
    rows = []
    for name, args in commands:
        if wanted and name not in wanted:
            continue
        filled = [a.replace("{out}", str(tmp / "export.nq")) for a in args]
        if any("{province}" in a for a in filled):
            filled = [a.replace("{province}", province_name(store)) for a in filled]
        busy = round(os.getloadavg()[0], 2)  # the machine is shared: how busy it was
        result = {"command": name, "args": filled + limit, "load_avg": busy, **run([*filled, *where, *limit])}
        rows.append(result)
        print(json.dumps(result), file=sys.stderr)
    return rows


def serve_read_only(store: Path) -> tuple[subprocess.Popen, str]:
    """``oxigraph serve-read-only`` on the store, on a free loopback port: (process, query URL)."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    exe = str(Path(sys.executable).parent / "oxigraph")
    server = subprocess.Popen([exe, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).close()
            return server, url
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"oxigraph serve-read-only on {store} stopped with exit code {server.returncode}")
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"oxigraph serve-read-only on {store} did not answer within 60 s")


def stop(server: subprocess.Popen) -> int:
    """Stop the server; its peak memory (MB)."""
    status = Path(f"/proc/{server.pid}/status").read_text()
    peak = next(int(line.split()[1]) // 1024 for line in status.splitlines() if line.startswith("VmHWM:"))
    server.terminate()
    server.wait(timeout=30)
    return peak


if __name__ == "__main__":
    main()
