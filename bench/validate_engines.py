"""Validation engines at scale (run by hand; results in docs/benchmarks-engines.md).

    .venv/bin/python bench/validate_engines.py FIRMS [FIRMS...]   # e.g. 10000 100000

For each size: ``kg synth --firms N`` data, parsed once with rdflib (as ``kg validate`` reads
files), then ``kg.validate.core.validate`` with the project's shapes on each engine (pyshacl, then
fast), the results compared. ``--core-only`` uses the shapes without their SHACL-SPARQL
constraints (the issue's "SHACL core shapes" figure). ``--break-every=K`` makes every K-th firm
invalid (a second founding year in 2099, a location that is a firm, an empty label), so that
both engines have results to agree on. Wall-clock seconds.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(label: str, work):  # type: ignore[no-untyped-def]
    t = time.monotonic()
    result = work()
    print(f"{label:50s} {time.monotonic() - t:8.2f} s", flush=True)
    return result


def core_shapes():  # type: ignore[no-untyped-def]
    from kg.namespaces import SH
    from kg.rdf.loading import load_shapes

    shapes = load_shapes()
    for triple in list(shapes.triples((None, SH.sparql, None))):
        shapes.remove(triple)
    return shapes


FIRM_TYPE = re.compile(r"^(<https://w3id.org/kg/id/org/synth-firm-(\d+)>) <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                       r"<https://w3id.org/kg/ont#Firm> (<[^>]+>) \.$", re.MULTILINE)  # fmt: skip


def break_firms(path: Path, every: int) -> int:
    """Append three faults to every ``every``-th firm, in its own graph; how many firms."""
    broken = []
    for firm, number, graph in FIRM_TYPE.findall(path.read_text(encoding="utf-8")):
        if int(number) % every == 0:
            broken += [f'{firm} <https://w3id.org/kg/ont#foundingYear> "2099"^^<http://www.w3.org/2001/XMLSchema#gYear> {graph} .',
                       f"{firm} <https://w3id.org/kg/ont#locatedIn> <https://w3id.org/kg/id/org/synth-firm-1> {graph} .",
                       f'{firm} <http://www.w3.org/2004/02/skos/core#altLabel> ""@en {graph} .']  # fmt: skip
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(broken) + "\n")
    return len(broken) // 3


def main(args: list[str]) -> None:
    from kg.rdf.loading import load_files
    from kg.validate.core import validate

    core = "--core-only" in args
    every = next((int(a.split("=", 1)[1]) for a in args if a.startswith("--break-every=")), 0)
    sizes = [int(a) for a in args if not a.startswith("--")]
    shapes = core_shapes() if core else None
    with tempfile.TemporaryDirectory() as tmp:
        for firms in sizes:
            out = Path(tmp) / f"synth-{firms}.nq"
            subprocess.run([str(Path(sys.executable).parent / "kg"), "synth", "--firms", str(firms), "--output", str(out)],
                           check=True, cwd=ROOT, capture_output=True)  # fmt: skip
            faults = f", {break_firms(out, every)} firms made invalid" if every else ""
            print(f"{firms} firms ({'core shapes' if core else 'all shapes'}{faults}):")
            data = timed("  parse (rdflib)", lambda: load_files([out]))
            print(f"  {len(data)} triples")
            fast = timed("  validate, fast engine", lambda: validate(data, shapes=shapes, engine="fast"))
            reference = timed("  validate, pyshacl", lambda: validate(data, shapes=shapes, engine="pyshacl"))
            same = fast.results == reference.results
            print(f"  {len(reference.results)} results (pyshacl), {len(fast.results)} (fast): {'identical' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main(sys.argv[1:])
