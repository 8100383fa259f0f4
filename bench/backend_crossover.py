"""Where ``--backend auto`` should switch from rdflib to pyoxigraph's in-memory store: the wall
time of ``kg stats FILE`` in a fresh process (imports, parse, count) with each file backend,
on the project's own data and on ``kg synth`` data of growing size.

Run by hand: ``.venv/bin/python bench/backend_crossover.py [--firms 100,300,1000,3000,10000]``;
prints a Markdown table (the figures in docs/benchmarks.md, "Which backend parses input files").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.backends.base import input_bytes

KG = [str(Path(sys.executable).parent / "kg")]


def timed(args: list[str], runs: int) -> float:
    """The least wall time of ``runs`` runs of ``kg ARGS`` (seconds)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*KG, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", default="100,300,1000,3000,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs", file=sys.stderr)
    print("| input | bytes | memory (s) | oxigraph-memory (s) | memory ÷ oxigraph-memory |")
    print("|---|---|---|---|---|")
    cases: list[tuple[str, list[str]]] = [("the project's data", [])]
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.firms.split(",")):
            path = Path(tmp) / f"synth-{n}.nq"
            subprocess.run([*KG, "synth", "--firms", str(n), "--seed", "1", "--output", str(path)], check=True, stderr=subprocess.DEVNULL)
            cases.append((f"kg synth --firms {n:,}", [str(path)]))
        for label, files in cases:
            size = input_bytes(files or None)
            times = [timed(["stats", *files, "--backend", b, "--timeout", "0"], args.runs) for b in ("memory", "oxigraph-memory")]
            print(f"| {label} | {size:,} | {times[0]:.2f} | {times[1]:.2f} | {times[0] / times[1]:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
