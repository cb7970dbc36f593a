"""Entry point of the `briefreader` console script.

Each command group lives in its own module with a ``register(subparsers)`` function; the module
must stay cheap to import (heavy imports go inside the command functions).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from briefreader import __version__
from briefreader.cli.common import CliError

log = logging.getLogger("briefreader.cli")

COMMAND_MODULES = (
    "briefreader.cli.open_cmd",
    "briefreader.cli.corpus_cmds",
    "briefreader.cli.search_cmds",
    "briefreader.cli.quotes_cmds",
    "briefreader.cli.stories_cmds",
    "briefreader.cli.triage_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefreader",
        description="A keyboard-driven terminal reader for news and intelligence analysts.",
    )
    parser.add_argument("--version", action="version", version=f"briefreader {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="log everything, also to stderr (the log file is always written: see README)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from briefreader.cli.logs import setup_logging

    log_path = setup_logging(debug=args.debug, to_stderr=args.command != "open")
    log.info("briefreader %s %s", __version__, args.command)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        from briefreader.cli.common import print_labelled

        log.info("%s: %s", args.command, exc)
        print_labelled("error:", "bold red", str(exc))
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug: one clear line for the user, the traceback in the log
        if args.debug:
            raise
        from briefreader.cli.common import print_labelled

        log.exception("%s failed", args.command)
        where = f"; details in {log_path}" if log_path is not None else ""
        print_labelled("error:", "bold red", f"unexpected {type(exc).__name__}: {exc}{where}")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
