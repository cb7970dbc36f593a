"""`briefreader open DIR`: the reader. (Interim: prints the article list until the TUI lands.)"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    p = sub.add_parser("open", help="open the reader on a corpus folder")
    p.add_argument("dir", help="corpus folder")
    p.set_defaults(func=cmd_open)


def cmd_open(args: argparse.Namespace) -> int:
    from briefreader.cli.corpus_cmds import cmd_list

    args.json = False
    args.no_cache = False
    return cmd_list(args)
