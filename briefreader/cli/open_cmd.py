"""`briefreader open DIR`: the reader (a Textual app).

Before the TUI starts, the folder is checked cheaply (no article is read): a missing folder, a file
instead of a folder, or a folder without any article file gives a clear message and exit code 2.
"""

from __future__ import annotations

import argparse

from briefreader.cli.common import CliError, add_follow_links, require_dir


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    p = sub.add_parser("open", help="open the reader on a corpus folder")
    p.add_argument("dir", help="corpus folder")
    p.add_argument("--no-cache", action="store_true", help="re-read and re-clean every file")
    add_follow_links(p)
    p.set_defaults(func=cmd_open)


def cmd_open(args: argparse.Namespace) -> int:
    root = require_dir(args.dir)
    from briefreader.workspace import ARTICLE_SUFFIXES, Workspace

    files, warnings = Workspace(root, follow_links=args.follow_links).article_files()
    if not files:
        kinds = ", ".join(sorted(ARTICLE_SUFFIXES))
        detail = f" ({len(warnings)} problem(s): {warnings[0]})" if warnings else ""
        raise CliError(f"no article files in {args.dir}{detail}; briefreader reads {kinds} files")
    import sys

    if not sys.stdout.isatty() or not sys.stdin.isatty():
        raise CliError("the reader needs an interactive terminal; use `briefreader list` or `search` in scripts")
    from briefreader.tui.app import run

    return run(root, use_cache=not args.no_cache, follow_links=args.follow_links)
