"""The layer rules of ARCHITECTURE.md as tests: front ends never touch storage; core never imports
storage, the workspace or a front end.

Imports are read from the source (every ``import`` statement, inside functions too, since the
front ends import lazily), so a rule holds for code paths no test runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from briefreader.workspace import STORAGE_MODULES

PACKAGE = Path(__file__).resolve().parents[2] / "briefreader"

# Front ends: they call briefreader.workspace.Workspace (types they annotate with come from there too).
FRONT_ENDS = ["cli", "tui"]

# Entry points of core behaviour that front ends reach only through the Workspace, so that each
# behaviour exists once: the analyses (with their caches and child processes), building the brief,
# checking and writing its output file. (Renderers and pure helpers stay importable.)
WORKSPACE_ONLY = {
    "briefreader.core.quote_clusters.analyse_quotes",
    "briefreader.core.copies.analyse_copies",
    "briefreader.storage.copies_cache.analyse_copies_cached",
    "briefreader.core.export.build_brief",
    "briefreader.core.paths.check_output_file",
    "briefreader.core.paths.write_output_file",
}
# Known reaches from core into storage, each to remove (none left: keep it that way).
CORE_KNOWN_DEBTS: dict[str, set[str]] = {}


def imported_modules(source: str) -> set[str]:
    """Every module an import statement in ``source`` names (``from a import b`` gives ``a`` and ``a.b``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def forbidden(names: set[str], prefixes: tuple[str, ...]) -> list[str]:
    """The names that are one of ``prefixes`` or inside one of them."""
    return sorted(n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes))


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_the_checker_sees_imports_inside_functions_and_from_forms() -> None:
    source = (
        "import os\n"
        "def f():\n"
        "    from briefreader.storage.triage_store import open_store\n"
        "    from briefreader import storage\n"
        "    import briefreader.storage.index\n"
    )
    found = forbidden(imported_modules(source), STORAGE_MODULES)
    assert found == ["briefreader.storage", "briefreader.storage.index", "briefreader.storage.triage_store",
                     "briefreader.storage.triage_store.open_store"]
    assert forbidden(imported_modules("from briefreader.core.query import parse"), STORAGE_MODULES) == []
    assert forbidden({"briefreader.storages"}, STORAGE_MODULES) == []  # a prefix is a whole module name


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_front_ends_never_touch_storage(front_end: str) -> None:
    files = _modules(front_end)
    assert files, f"no modules under briefreader/{front_end}"
    bad = {
        str(path.relative_to(PACKAGE)): found
        for path in files
        if (found := forbidden(imported_modules(path.read_text(encoding="utf-8")), STORAGE_MODULES))
    }
    assert not bad, f"front-end modules import storage directly (call briefreader.workspace instead): {bad}"


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_front_ends_reach_analyses_and_export_through_the_workspace(front_end: str) -> None:
    bad = {
        str(path.relative_to(PACKAGE)): found
        for path in _modules(front_end)
        if (found := sorted(imported_modules(path.read_text(encoding="utf-8")) & WORKSPACE_ONLY))
    }
    assert not bad, f"front-end modules call core behaviour the Workspace offers (call it instead): {bad}"


def test_the_workspace_only_rule_sees_an_offender() -> None:
    source = "def f():\n    from briefreader.core.quote_clusters import analyse_quotes, QuoteCluster\n"
    assert imported_modules(source) & WORKSPACE_ONLY == {"briefreader.core.quote_clusters.analyse_quotes"}


def test_core_never_imports_storage_the_workspace_or_a_front_end() -> None:
    outward = ("briefreader.storage", "briefreader.workspace", "briefreader.cli", "briefreader.tui")
    bad = {}
    for path in _modules("core"):
        rel = str(path.relative_to(PACKAGE))
        prefixes = (*outward, *STORAGE_MODULES)
        found = [n for n in forbidden(imported_modules(path.read_text(encoding="utf-8")), prefixes)
                 if n not in CORE_KNOWN_DEBTS.get(rel, set())]
        if found:
            bad[rel] = found
    assert not bad, f"core modules reach outward (core stays pure): {bad}"


def test_storage_never_imports_the_workspace_or_a_front_end() -> None:
    outward = ("briefreader.workspace", "briefreader.cli", "briefreader.tui")
    bad = {
        str(path.relative_to(PACKAGE)): found
        for path in _modules("storage")
        if (found := forbidden(imported_modules(path.read_text(encoding="utf-8")), outward))
    }
    assert not bad, bad


def test_storage_and_the_workspace_never_import_textual_or_rich() -> None:
    import pkgutil
    import subprocess
    import sys

    import briefreader.storage

    modules = ["briefreader.workspace"] + sorted(
        f"briefreader.storage.{m.name}" for m in pkgutil.iter_modules(briefreader.storage.__path__)
    )
    assert "briefreader.storage.triage_store" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"storage or the workspace imported UI modules: {out.stdout.strip()}"
