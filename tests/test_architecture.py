"""The folders are the layers: imports go one way (down), no cycles, no private names across modules, small files."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "regdocs"

LAYERS = ("base", "parse", "compare", "findings", "corpus", "gitflow", "render", "publish", "cli")
"""Lowest first: a module may import from its own layer and the layers before it, never after."""

BASE = {"errors", "safefile", "gcpause", "__init__"}
"""Top-level modules every layer may use."""

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

LONG_MODULES = {
    "regdocs/publish/pages.py": "one method per page kind of the site; to split into page modules",
    "regdocs/compare/align.py": "the aligner's passes share private state; to split by pass",
    "regdocs/parse/references.py": "reference grammar and resolver; to split in two",
    "regdocs/corpus/sources.py": "working tree, folders and git refs behind one reader; to split by kind",
}
"""Modules over the limit, each with the reason it is still long."""

LONG_FUNCTIONS = {
    "regdocs/parse/document.py:_freeze": "builds ids, refs and terms per clause in one walk",
    "regdocs/compare/changes.py:_changes": "pairs, splits, merges and unpaired clauses in reading order",
    "regdocs/findings/references.py:xref_findings": "dangling and retargeted references with their fixes",
    "regdocs/findings/terms.py:term_findings": "terms added, removed and redefined with their users",
    "regdocs/publish/build.py:build_site": "the build pipeline, read top to bottom",
    "regdocs/publish/pages.py:document_page": "a document page with its table of contents",
    "regdocs/publish/pages.py:changes_page": "a redline page between two rounds",
    "regdocs/render/review.py:render_review": "the review report, cut to the comment limit",
    "regdocs/gitflow/roundadd.py:_append": "tomlkit's three shapes of `rounds`",
}
"""Functions over the limit, each with the reason it is still long."""


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        out[".".join(rel.parts)] = path
    return out


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 2:
        return "cli" if parts[1] in ("cli", "__main__") else "base"
    return parts[1]


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every `from regdocs... import names` and `import regdocs...`, lazy ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("regdocs"):
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names if a.name.startswith("regdocs")]
    return found


def test_every_folder_is_a_known_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders <= set(LAYERS), folders - set(LAYERS)
    loose = {layer_of(m) for m in modules()}
    assert loose <= set(LAYERS)


def test_imports_go_down_only() -> None:
    rank = {name: k for k, name in enumerate(LAYERS)}
    wrong = []
    for module, path in modules().items():
        for target, _ in imports(path):
            if target == "regdocs":
                continue
            if rank[layer_of(target)] > rank[layer_of(module)]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles() -> None:
    graph = {m: {t for t, _ in imports(p) if t in modules()} for m, p in modules().items()}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_no_private_names_across_modules() -> None:
    wrong = [
        f"{module} imports {target}.{name}"
        for module, path in modules().items()
        for target, names in imports(path)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not wrong, "\n".join(wrong)


def test_modules_and_functions_stay_small() -> None:
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES and rel not in LONG_MODULES:
            too_long.append(f"{rel}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES and f"{rel}:{node.name}" not in LONG_FUNCTIONS:
                    too_long.append(f"{rel}:{node.name}: {length} lines")
    assert not too_long, "\n".join(too_long)


def test_the_exceptions_still_exist() -> None:
    """An exception for a module or function that is gone or now short must be struck off the list."""
    stale = []
    for rel in LONG_MODULES:
        path = ROOT / rel
        if not path.exists() or len(path.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES:
            stale.append(rel)
    for key in LONG_FUNCTIONS:
        rel, name = key.split(":")
        path = ROOT / rel
        lengths = []
        if path.exists():
            lengths = [
                (n.end_lineno or n.lineno) - n.lineno + 1
                for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name
            ]
        if not any(length > MAX_FUNCTION_LINES for length in lengths):
            stale.append(key)
    assert not stale, stale
