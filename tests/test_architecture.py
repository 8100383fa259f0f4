"""The package's shape holds: the layer contracts of pyproject.toml (``lint-imports``), no
import cycle among kg's modules (imports inside functions counted), no feature that asks
which backend it got, and a light start for the CLI and the backend registry."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KG = ROOT / "kg"
#: The backend classes: only kg/backends may name them.
BACKEND_CLASSES = re.compile(r"\b(MemoryBackend|StoreBackend|EndpointBackend|OxigraphBackend|OxigraphMemoryBackend|QueriedBackend)\b")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The kg modules ``path`` imports anywhere (inside functions too; not under TYPE_CHECKING,
    which never runs)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for stmt in node.body
        for n in ast.walk(stmt)
    }
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            names = [base, *(f"{base}.{a.name}" for a in node.names)]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found - {module_name(path)}


def import_cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    files = {module_name(p): p for p in KG.rglob("*.py")}
    graph = {m: imports_of(p, set(files)) for m, p in files.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def test_the_modules_are_found():
    assert len(list(KG.rglob("*.py"))) > 50


def test_no_import_cycle():
    assert import_cycles() == []


def test_the_cycle_check_finds_a_cycle(tmp_path, monkeypatch):
    package = tmp_path / "kg"
    (package / "a").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a" / "__init__.py").write_text("")
    (package / "a" / "one.py").write_text("from kg.a import two\n")
    (package / "a" / "two.py").write_text("def f():\n    from kg.a.one import g\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "KG", package)
    assert import_cycles() == [["kg.a.one", "kg.a.two"]]


def test_layer_contracts():
    """pyproject.toml's [tool.importlinter] contracts: cli -> features -> backends -> rdf -> base,
    and only kg.backends talks to Oxigraph or the network."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, env=_env(),
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_feature_names_a_backend_class():
    named = [
        f"{path.relative_to(ROOT)}:{i}: {line.strip()}"
        for path in sorted(KG.rglob("*.py"))
        if path.parent.name != "backends"
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BACKEND_CLASSES.search(line)
    ]
    assert named == []


def test_the_cli_and_the_backend_registry_start_light():
    code = (
        "import sys, kg.cli, kg.cli.backend_options, kg.backends.base; "
        "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'pyshacl', 'networkx', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
