"""Time kg's commands on a store, run by hand (never by the tests).

    .venv/bin/python bench/commands.py --firms 100000            # synthesise, load, time
    .venv/bin/python bench/commands.py --store DIR --firms 100000  # time an existing store

Each command runs as the installed ``kg`` in a fresh process with ``--store DIR``; its wall-clock
seconds and peak memory (the largest resident set of the process and its worker) are printed as a
Markdown table and saved to bench/results/commands-<firms>.json. The store is the N-Quads of
``kg synth --seed 1`` loaded by ``kg load``. Parameters name synthetic entities
(``orgn:synth-firm-1`` has figures; ``Yangchang Province`` is looked up by name).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = str(Path(sys.executable).parent / "kg")

#: (what, kg arguments before --store); "{out}" is a scratch file.
COMMANDS: list[tuple[str, list[str]]] = [
    ("stats", ["stats"]),
    ("query articles", ["query", "articles"]),
    ("query firms-in-region (by name)", ["query", "firms-in-region", "--param", "region=Yangchang Province"]),
    ("query parks-in-region", ["query", "parks-in-region", "--param", "region=place:synth-province-36"]),
    ("query entity-measurements", ["query", "entity-measurements", "--param", "entity=orgn:synth-firm-1"]),
    ("query containment-chain", ["query", "containment-chain", "--param", "entity=orgn:synth-firm-1"]),
    ("query park-profile", ["query", "park-profile", "--param", "park=park:synth-park-1"]),
    ("query multi-source-entities", ["query", "multi-source-entities"]),
    ("query targets-vs-reported", ["query", "targets-vs-reported"]),
    ("query industries (no time limit)", ["query", "industries", "--timeout", "0"]),
    ("describe a firm", ["describe", "orgn:synth-firm-1"]),
    ("describe a province", ["describe", "place:synth-province-36"]),
    ("why a firm", ["why", "orgn:synth-firm-1"]),
    ("conflicts", ["conflicts"]),
    ("export nquads", ["export", "--format", "nquads", "--output", "{out}"]),
    ("validate", ["validate"]),
    ("centrality pagerank", ["centrality", "--measure", "pagerank", "--top", "10"]),
]


def run(args: list[str]) -> dict[str, object]:
    """Run one kg command; its seconds, peak memory (MB) and exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen([KG, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    last = err.strip().splitlines()[-1] if err.strip() else ""
    return {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024), "exit": proc.returncode,
            "stderr": last[:200]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="an existing store of kg synth --firms N --seed 1")
    parser.add_argument("--only", default="", help="comma-separated command names to run")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        store = options.store
        if store is None:
            data, store = Path(tmp) / "synth.nq", Path(tmp) / "store"
            subprocess.run([KG, "synth", "--firms", str(options.firms), "--seed", "1", "--output", str(data)], check=True)
            print("load", run(["load", "--store", str(store), str(data)]), file=sys.stderr)
        wanted = {w.strip() for w in options.only.split(",") if w.strip()}
        rows = []
        for name, args in COMMANDS:
            if wanted and name not in wanted:
                continue
            filled = [a.replace("{out}", str(Path(tmp) / "export.nq")) for a in args]
            result = {"command": name, "args": filled, **run([*filled, "--store", str(store)])}
            rows.append(result)
            print(json.dumps(result), file=sys.stderr)
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
               "load_avg": os.getloadavg()[0], "date": time.strftime("%Y-%m-%d")}
    out = ROOT / "bench" / "results" / f"commands-{options.firms}.json"
    out.write_text(json.dumps({"firms": options.firms, "machine": machine, "rows": rows}, indent=2) + "\n")
    print(f"| command (`--store`, {options.firms:,} firms) | seconds | peak memory (MB) | exit |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['command']} | {r['seconds']} | {r['peak_mb']:,} | {r['exit']} |")


if __name__ == "__main__":
    main()
