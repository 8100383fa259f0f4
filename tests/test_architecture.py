"""The architecture holds (docs/architecture.md): import-linter's contracts, no import cycle
among kg's modules (imports inside functions included), imports inside functions only for
heavy third-party libraries, no private name imported across modules, no backend class named
outside kg.backends."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
KG = ROOT / "kg"
MODULES = sorted(KG.rglob("*.py"))

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


def test_the_modules_are_found():
    assert len(MODULES) > 50 and "kg.backends.base" in _kg_modules()


def test_lint_imports_keeps_every_contract():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is not installed: pip install -e '.[test]'"
    result = subprocess.run(
        [exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_import_cycle_counting_imports_inside_functions():
    known = _kg_modules()
    graph = nx.DiGraph()
    for path in MODULES:
        source = _module_name(path)
        for module, _nested, _node in _imports(path):
            if module in known and module != source:
                graph.add_edge(source, module)
    # A package's __init__ re-exporting its modules is not a cycle through the package.
    cycles = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == [], f"import cycles: {[sorted(c) for c in cycles]}"


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


def test_no_backend_class_is_named_outside_the_backends():
    classes = set()
    for path in (KG / "backends").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Backend"):
                classes.add(node.name)
    assert classes, "no backend classes found"
    wrong = []
    for path in MODULES:
        if path.is_relative_to(KG / "backends"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id in classes - {"Backend"}:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.id}")
            if isinstance(node, ast.ImportFrom):
                wrong.extend(
                    f"{path.relative_to(ROOT)}:{node.lineno}: imports {a.name}"
                    for a in node.names
                    if a.name in classes - {"Backend"}
                )
    assert wrong == [], "backend classes named outside kg/backends:\n" + "\n".join(sorted(set(wrong)))


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
