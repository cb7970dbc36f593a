"""Shared helpers for CLI subcommands: errors, JSON output, warnings."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from collections.abc import Iterable

EXIT_USAGE = 2


class CliError(Exception):
    """A user-facing error: printed as one clear line, exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def dumps_json(obj: Any, *, indent: int | None = None) -> str:
    """``obj`` as JSON text, lossless, with C1/bidi controls and lone surrogates as ``\\uXXXX`` escapes
    (JSON itself escapes C0 controls), so no control character reaches the terminal raw."""
    from briefreader.core.inert import json_escape_controls

    return json_escape_controls(json.dumps(obj, ensure_ascii=False, indent=indent))


def print_json(obj: Any) -> None:
    """Print ``obj`` as one line of JSON on stdout (see :func:`dumps_json`)."""
    sys.stdout.write(dumps_json(obj) + "\n")


def stderr_console():  # rich is imported lazily: `--json` runs never pay for it
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def print_labelled(label: str, style: str, message: str, *, console=None) -> None:
    """Print ``label: message`` on stderr: the label styled, ``message`` (which may hold corpus text:
    file names, titles) inert and never read as Rich markup."""
    from rich.text import Text

    from briefreader.core.inert import inert_line

    (console or stderr_console()).print(Text.assemble((label, style), " ", inert_line(message)), soft_wrap=True)


def print_warnings(warnings: Iterable[object]) -> None:
    """Print load warnings (one line each) to stderr."""
    warnings = list(warnings)
    if not warnings:
        return
    console = stderr_console()
    for w in warnings:
        print_labelled("warning:", "yellow", str(w), console=console)


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
