"""The reader reaches core storage and analysis through one object (tui/services.py), so it can be
moved onto another service layer in one place. Types may be imported anywhere (under TYPE_CHECKING)."""

from __future__ import annotations

import ast
from pathlib import Path

import briefreader.tui

TUI = Path(briefreader.tui.__file__).parent
DOORS = {"services.py", "quote_source.py"}  # the door, and the quote child process it starts
#: functions and classes that read or write corpus state, the index, the triage store or files
STORAGE_AND_ANALYSIS = {
    "load_corpus", "open_store", "TriageStore", "CorpusIndex", "build_brief", "render", "write_output_file",
    "analyse_copies", "analyse_copies_isolated", "analyse_quotes", "build_quote_data", "build_quote_data_isolated",
}


def _runtime_imports(tree: ast.Module) -> list[tuple[str, str]]:
    """(module, name) of every ``from X import name`` that runs (not under ``if TYPE_CHECKING``)."""
    found: list[tuple[str, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            found.extend((node.module, alias.name) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_only_the_services_object_calls_core_storage_and_analysis() -> None:
    offenders = []
    for path in sorted(TUI.rglob("*.py")):
        if path.name in DOORS:
            continue
        for module, name in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if (module.startswith("briefreader.core") or module == "briefreader.tui.quote_source") \
                    and name in STORAGE_AND_ANALYSIS:
                offenders.append(f"{path.relative_to(TUI)}: from {module} import {name}")
    assert not offenders, "call these through briefreader.tui.services.ReaderServices:\n" + "\n".join(offenders)


def test_the_rule_sees_an_offender() -> None:
    source = "from briefreader.core.triage import open_store\nif TYPE_CHECKING:\n    from x import CorpusIndex\n"
    assert _runtime_imports(ast.parse(source)) == [("briefreader.core.triage", "open_store")]
