"""Every module imports on its own, first in a fresh interpreter, and the modules' load-time
imports form no cycle (a cycle imports or not depending on which module comes first)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

PACKAGES = ("indexer", "search_web")


def modules() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__main__":  # runs the CLI when imported
                continue
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def load_time_imports(module: str) -> set[str]:
    """The package modules `module` imports at load time (not inside functions)."""
    path = ROOT / Path(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            names = [f"{base}.{alias.name}" for alias in node.names]
            found.update(n if n in ALL else base for n in names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in ALL and m != module}


ALL = set(modules())


def test_each_module_imports_first_in_a_fresh_interpreter() -> None:
    script = (
        "import importlib, sys\n"
        f"for name in {modules()!r}:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] in "
        f"{PACKAGES!r}]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_load_time_imports_have_no_cycle() -> None:
    graph = {m: load_time_imports(m) for m in ALL}
    # a package's __init__ importing its own modules is how packages work, not a cycle
    for module, imported in graph.items():
        graph[module] = {m for m in imported if not module.startswith(m + ".")}
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for nxt in sorted(graph[module]):
            assert state.get(nxt) != 1, "import cycle: " + " -> ".join([*path, module, nxt])
            if nxt not in state:
                visit(nxt, [*path, module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def loaded_with(module: str) -> set[str]:
    """Every package module importing `module` loads, transitively."""
    seen, todo = set(), [module]
    while todo:
        for nxt in load_time_imports(todo.pop()) - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_layers_stay_apart() -> None:
    """Searching does not load the builder; the CLI does not load the web package (only
    `serve` does, when it runs); the scoring core reaches Whoosh's internals only through
    whoosh_adapter, and the segment file formats (term arrays, typo lists) not at all;
    the search package's parts depend on the service, never the other way round."""
    assert "indexer.build" not in loaded_with("indexer.search")
    # the planner and the scoring core stand without the service; scoring knows no plan
    for part in ("planner", "typos", "plan", "ranked", "results", "vocabulary"):
        assert "indexer.search.service" not in loaded_with(f"indexer.search.{part}")
    for part in ("postings", "bm25f", "phrases", "clauses", "terms"):
        assert not {m for m in loaded_with(f"indexer.scoring.{part}")
                    if m.startswith("indexer.search")}
    assert not loaded_with("indexer.scoring.bm25f")  # a pure function
    # the planner asks the index only through its Vocabulary
    assert not load_time_imports("indexer.search.planner") & {
        "indexer.scoring.postings", "indexer.expansion"}
    assert not {m for m in loaded_with("indexer.cli") if m.startswith("search_web")}
    # the segment file formats stand alone (their shared layout and how files are mapped
    # aside), and so do the layout and the mapping
    for fmt in ("indexer.term_arrays", "indexer.typo_lists"):
        assert load_time_imports(fmt) <= {"indexer.segment_files", "indexer.limits",
                                          "indexer.page_maps"}
    assert load_time_imports("indexer.segment_files") <= {"indexer.page_maps"}
    assert not loaded_with("indexer.page_maps")
    source = (ROOT / "indexer" / "term_arrays.py").read_text("utf-8")
    assert "import whoosh" not in source and "from whoosh" not in source
