"""Shared helpers for CLI subcommands: errors, JSON output, warnings."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterable

EXIT_USAGE = 2


class CliError(Exception):
    """A user-facing error: printed as one clear line, exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=None) + "\n")


def stderr_console():  # rich is imported lazily: `--json` runs never pay for it
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def print_warnings(warnings: Iterable[object]) -> None:
    """Print load warnings (one line each) to stderr."""
    warnings = list(warnings)
    if not warnings:
        return
    from rich.markup import escape

    console = stderr_console()
    for w in warnings:
        console.print(f"[yellow]warning:[/] {escape(str(w))}", markup=True, soft_wrap=True)


def add_follow_links(parser: Any) -> None:
    """``--follow-links`` on a command that loads a corpus folder."""
    parser.add_argument("--follow-links", action="store_true",
                        help="also read symbolic links that point outside the corpus folder "
                             "(skipped with a warning by default)")


def require_dir(path: str | Path) -> Path:
    p = Path(path).expanduser()
    if not p.exists():
        raise CliError(f"no such folder: {path}")
    if not p.is_dir():
        raise CliError(f"not a folder: {path}")
    return p
