"""The package's shape holds (docs/architecture.md): the layer contracts of pyproject.toml
(``lint-imports``), no import cycle among kg's modules (imports inside functions counted),
imports inside functions only for heavy third-party libraries, no private name imported across
modules, no feature that asks which backend it got, and a light start for the CLI and the
backend registry."""

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
    result = subprocess.run([str(lint), str(ROOT / "pyproject.toml")], cwd=ROOT, env=_env(),
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_feature_names_a_backend_class():
    named = [
        f"{path.relative_to(ROOT)}:{i}: {line.strip()}"
        for path in sorted(KG.rglob("*.py"))
        if path.relative_to(KG).parts[0] != "backends"  # (kg.backends and its sub-packages)
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


#: Third-party libraries heavy enough to import only where needed (cold start of the CLI).
HEAVY = {
    "rdflib", "pyshacl", "owlrl", "networkx", "igraph", "scipy", "numpy", "matplotlib", "pyoxigraph",
    "shacl", "rich", "defusedxml", "pandas", "pyparsing",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, bool, ast.AST]]:
    """(imported module, inside a function?, node) for every import of the file."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, bool, ast.AST]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((alias.name, nested, child) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    module = ".".join(base + ([child.module] if child.module else []))
                else:
                    module = child.module or ""
                found.append((module, nested, child))
                for alias in child.names:  # `from kg import paths` imports the module kg.paths
                    found.append((f"{module}.{alias.name}", nested, child))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def _kg_modules() -> set[str]:
    return {_module_name(p) for p in MODULES}


MODULES = sorted(KG.rglob("*.py"))


def test_imports_inside_functions_are_for_heavy_libraries_only():
    known = _kg_modules()
    wrong = set()
    for path in MODULES:
        for module, nested, node in _imports(path):
            if nested and module in known:
                wrong.add(f"{path.relative_to(ROOT)}:{node.lineno}: {module}")
    assert not wrong, "kg modules imported inside functions (import them at the top):\n" + "\n".join(sorted(wrong))


def test_no_private_name_is_imported_across_modules():
    wrong = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.module}.{alias.name}")
    assert wrong == [], "private names imported across modules:\n" + "\n".join(wrong)


def test_the_checks_see_what_they_look_for(tmp_path):
    """The AST walk finds a nested kg import and a private import (the tests above can fail)."""
    sample = tmp_path / "kg" / "x" / "m.py"
    sample.parent.mkdir(parents=True)
    sample.write_text("def f():\n    from kg.rdf import loading\n\nfrom kg.errors import _private\n")
    global ROOT
    saved = ROOT
    ROOT = tmp_path
    try:
        found = _imports(sample)
    finally:
        ROOT = saved
    assert ("kg.rdf.loading", True) in [(m, n) for m, n, _ in found]
    assert ("kg.errors._private", False) in [(m, n) for m, n, _ in found]
