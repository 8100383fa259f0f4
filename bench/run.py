"""Benchmarks of kg at scale, run by hand (never by the tests).

    .venv/bin/python bench/run.py --sizes 10000
    .venv/bin/python bench/run.py --sizes 10000,100000,1000000 --rdflib-max 100000

For each number of firms: synthesise the data (``kg synth``, N-Quads), then, each in a fresh
process so that peak memory is its own: rdflib parses it and answers the queries (the plain
library, up to ``--rdflib-max`` firms); pyoxigraph loads it into memory; ``kg load`` bulk-loads
it into an on-disk store, and a second process opens that store and queries it cold;
``kg push`` sends it to a real ``oxigraph serve`` that then answers over HTTP. Every step
records seconds and peak memory, every query a digest of its answer (the backends must agree).

Raw results go to bench/results/<firms>.json (one file per size, so runs accumulate); the report
docs/benchmarks.md is rebuilt from all of them, with the machine described.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REPORT = ROOT / "docs" / "benchmarks.md"
BACKENDS = ("rdflib", "oxigraph-memory", "store-load", "store", "endpoint")

#: The queries every backend answers (the project's prefixes need no PREFIX lines).
QUERIES = {
    "firms-per-province": """SELECT ?province (COUNT(?firm) AS ?firms) WHERE {
        ?firm a kg:Firm ; kg:locatedIn+ ?province . ?province a kg:ProvinceLevelDivision } GROUP BY ?province""",
    "top-suppliers": """SELECT ?firm (COUNT(?customer) AS ?customers) WHERE { ?firm kg:supplierOf ?customer }
        GROUP BY ?firm ORDER BY DESC(?customers) ?firm LIMIT 10""",
    "reported-revenue-by-industry": """SELECT ?industry (SUM(?value) AS ?total) (COUNT(?m) AS ?figures) WHERE {
        ?m kg:measure kgm:revenue ; kg:status kgs:reported ; kg:about ?firm ; kg:value ?value .
        ?firm kg:industry ?industry } GROUP BY ?industry""",
    "one-firm": "SELECT ?p ?o WHERE { orgn:synth-firm-777 ?p ?o }",
    "mutual-investors": "ASK { ?a kg:investsIn ?b . ?b kg:investsIn ?a }",
}


#: The named queries (queries/*.rq) with the parameters bench/commands.py gives them, by IRI (the
#: names of synthetic places depend on the number of firms): (query, parameters).
NAMED: list[tuple[str, dict[str, str]]] = [
    ("articles", {}),
    ("firms-in-region", {"region": "place:jiangxi"}),
    ("parks-in-region", {"region": "place:jiangxi"}),
    ("entity-measurements", {"entity": "orgn:synth-firm-1"}),
    ("containment-chain", {"entity": "orgn:synth-firm-1"}),
    ("park-profile", {"park": "park:synth-park-1"}),
    ("multi-source-entities", {}),
    ("targets-vs-reported", {}),
    ("industries", {}),
    ("designations", {}),
    ("events", {"region": "place:jiangxi"}),
    ("people-roles", {"organization": "orgn:synth-firm-6"}),
    ("part-greater-than-whole", {}),
    ("fact-provenance", {"entity": "orgn:synth-firm-1"}),
    ("article-facts", {"article": "article:synth-source-1"}),
    ("measure-ranking", {"measure": "kgm:revenue"}),
]
#: How the driver tells the rdflib task its --rdflib-query-limit.
LIMIT_VARIABLE = "KG_BENCH_RDFLIB_QUERY_LIMIT"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(step: str, seconds: float, **extra: object) -> None:
    """One measurement as a JSON line on stdout (read by the parent, kept even if a later step hangs)."""
    print(
        json.dumps(
            {"step": step, "seconds": round(seconds, 3), "peak_mb": round(peak_mb()), **extra}
        ),
        flush=True,
    )


def digest(result) -> str:  # type: ignore[no-untyped-def]
    """A short digest of an answer: equal answers (as multisets) give equal digests."""
    if result.kind == "ASK":
        text = str(result.boolean)
    elif result.graph is not None:
        text = "\n".join(sorted(" ".join(t.n3() for t in triple) for triple in result.graph))
    else:
        text = "\n".join(
            sorted(" ".join("UNDEF" if c is None else c.n3() for c in row) for row in result.rows)
        )
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def run_queries(backend) -> None:  # type: ignore[no-untyped-def]
    for name, text in QUERIES.items():
        start = time.perf_counter()
        result = backend.query(text)
        rows = len(result.rows) if result.kind == "SELECT" else int(bool(result.boolean))
        emit(f"query:{name}", time.perf_counter() - start, rows=rows, digest=digest(result))


def _named_answer(backend, name: str, params: dict[str, str]) -> tuple[float, int, str]:  # type: ignore[no-untyped-def]
    """Seconds (the query alone), rows and digest of one named query's answer."""
    from kg.query.engine import query_backend
    from kg.query.library import find_named

    text = find_named(name).text
    start = time.perf_counter()
    result = query_backend(backend, text, params, source=name)
    return time.perf_counter() - start, len(result.rows), digest(result)


def run_named_queries(backend, limit: float | None = None) -> None:  # type: ignore[no-untyped-def]
    """Each named query, as ``kg query NAME --param ...`` runs it on ``backend`` (parameters
    checked and resolved, literals in canonical form); with ``limit``, in a forked child
    stopped after that many seconds (rdflib has no timeout of its own)."""
    from kg.timeout import TimeLimitError, run_with_timeout

    for name, params in NAMED:
        try:
            seconds, rows, answer = run_with_timeout(_named_answer, backend, name, params, seconds=limit, label=name)
        except TimeLimitError:
            emit(f"named:{name}", limit or 0.0, rows=None, digest=None, stopped=True)
            continue
        emit(f"named:{name}", seconds, rows=rows, digest=answer)


# ------------------------------------------------------------------ tasks (each in its own process)


def task_rdflib(data: Path, work: Path) -> None:
    from rdflib import Dataset

    from kg.backends.base import MemoryBackend

    start = time.perf_counter()
    from kg.namespaces import bind_prefixes

    ds = Dataset(default_union=True)
    bind_prefixes(ds)  # (as kg's own loading does: parameters may be prefixed names)
    ds.parse(str(data), format="nquads")
    emit("load", time.perf_counter() - start, quads=len(ds))
    run_queries(MemoryBackend(ds))
    start = time.perf_counter()
    ds.serialize(destination=str(work / "rdflib-export.nq"), format="nquads")
    emit("export", time.perf_counter() - start)
    run_named_queries(MemoryBackend(ds), limit=float(os.environ.get(LIMIT_VARIABLE, "120")))


def task_oxigraph_memory(data: Path, work: Path) -> None:
    import pyoxigraph as ox

    from kg.backends.base import StoreBackend, merge_into_default

    start = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    merge_into_default(store, work)
    emit("load", time.perf_counter() - start, quads=len(store))
    run_queries(StoreBackend("(memory)", store=store))
    start = time.perf_counter()
    store.dump(str(work / "oxigraph-export.nq"), format=ox.RdfFormat.N_QUADS)
    emit("export", time.perf_counter() - start)
    run_named_queries(StoreBackend("(memory)", store=store))


def task_store_load(data: Path, work: Path) -> None:
    from kg.backends.bulk import load_store

    start = time.perf_counter()
    report = load_store(work / "store", [str(data)], replace=True)
    emit("load", time.perf_counter() - start, quads=report.quads)


def task_store(data: Path, work: Path) -> None:
    import pyoxigraph as ox

    from kg.backends.base import StoreBackend

    start = time.perf_counter()
    backend = StoreBackend(work / "store")
    emit("open", time.perf_counter() - start)
    run_queries(backend)
    start = time.perf_counter()
    backend.store.dump(str(work / "store-export.nq"), format=ox.RdfFormat.N_QUADS)
    emit("export", time.perf_counter() - start)
    run_named_queries(backend)


def _server_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def task_endpoint(data: Path, work: Path) -> None:
    import socket
    import urllib.request

    from kg.backends.push import push
    from kg.backends.endpoint import EndpointBackend

    exe = Path(sys.executable).parent / "oxigraph"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    shutil.rmtree(work / "server", ignore_errors=True)
    server = subprocess.Popen(
        [str(exe), "serve", "--location", str(work / "server"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        start = time.perf_counter()
        report = push(f"{base}/query", [str(data)], timeout=600)
        emit(
            "load",
            time.perf_counter() - start,
            quads=report.triples,
            server_peak_mb=round(_server_peak_mb(server.pid)),
        )
        run_queries(EndpointBackend(f"{base}/query", timeout=600))
        run_named_queries(EndpointBackend(f"{base}/query", timeout=600))
        emit("server", 0.0, server_peak_mb=round(_server_peak_mb(server.pid)))
    finally:
        server.terminate()
        server.wait(timeout=30)


TASKS = {
    "rdflib": task_rdflib,
    "oxigraph-memory": task_oxigraph_memory,
    "store-load": task_store_load,
    "store": task_store,
    "endpoint": task_endpoint,
}


# ------------------------------------------------------------------ the driver


def machine() -> dict[str, object]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    server = subprocess.run(
        [str(Path(sys.executable).parent / "oxigraph"), "--version"], capture_output=True, text=True
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem / 1024**2, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "rdflib": version("rdflib"),
        "pyoxigraph": version("pyoxigraph"),
        "oxigraph_server": server.stdout.strip(),
        "load_average_at_start": os.getloadavg()[0],
        "date": time.strftime("%Y-%m-%d"),
    }


def run_task(name: str, data: Path, work: Path, timeout: float) -> list[dict]:
    cmd = [sys.executable, __file__, "--task", name, "--data", str(data), "--work", str(work)]
    print(f"  {name} ...", file=sys.stderr, flush=True)
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        out, failed = (
            done.stdout,
            (done.stderr.strip().splitlines() or [""])[-1] if done.returncode else None,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        failed = f"timed out after {timeout:g} s"
    steps = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    if failed:
        steps.append({"step": "failed", "error": failed})
    return steps


def bench_size(firms: int, args: argparse.Namespace) -> dict:
    from kg.synth.write import write_synth

    work = Path(tempfile.mkdtemp(prefix=f"kg-bench-{firms}-", dir=args.workdir))
    try:
        data = work / "synth.nq"
        print(f"{firms} firms: synth", file=sys.stderr, flush=True)
        synth = write_synth(data, firms, seed=1)
        result = {
            "firms": firms,
            "machine": machine(),
            "backends": {},
            "synth": {
                "seconds": round(synth.seconds, 2),
                "triples": synth.triples,
                "bytes": synth.bytes,
                "firms_per_second": round(firms / synth.seconds),
                "triples_per_firm": round(synth.triples / firms, 2),
                "bytes_per_firm": round(synth.bytes / firms),
            },
        }
        for name in args.backends:
            if name == "rdflib" and firms > args.rdflib_max:
                result["backends"][name] = [
                    {"step": "skipped", "error": f"more than --rdflib-max {args.rdflib_max} firms"}
                ]
                continue
            result["backends"][name] = run_task(name, data, work, args.timeout)
        return result
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default="10000",
        help="comma-separated numbers of firms (e.g. 10000,100000,1000000)",
    )
    parser.add_argument(
        "--backends",
        default=",".join(BACKENDS),
        help=f"comma-separated, from {', '.join(BACKENDS)}",
    )
    parser.add_argument(
        "--rdflib-max", type=int, default=100_000, help="largest size rdflib is asked to parse"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds allowed per backend and size"
    )
    parser.add_argument(
        "--rdflib-query-limit", type=float, default=120, help="seconds rdflib gets per named query"
    )
    parser.add_argument(
        "--workdir", default=None, help="where data and stores go (default: the system temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data and stores")
    parser.add_argument(
        "--report-only", action="store_true", help="rebuild docs/benchmarks.md from bench/results"
    )
    parser.add_argument("--task", choices=sorted(TASKS), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        TASKS[args.task](Path(args.data), Path(args.work))
        return
    os.environ[LIMIT_VARIABLE] = str(args.rdflib_query_limit)  # (the tasks inherit it)
    from report import write_report

    if not args.report_only:
        args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
        RESULTS.mkdir(parents=True, exist_ok=True)
        for firms in sorted(int(n.replace("_", "")) for n in args.sizes.split(",")):
            result = bench_size(firms, args)
            out = RESULTS / f"{firms}.json"
            if set(args.backends) != set(BACKENDS) and out.exists():  # a run of some backends keeps the others
                kept = json.loads(out.read_text())
                result["backends"] = {**kept["backends"], **result["backends"]}
            out.write_text(json.dumps(result, indent=2) + "\n")
    write_report(sorted(RESULTS.glob("*.json")), REPORT)
    print(f"wrote {REPORT}", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
