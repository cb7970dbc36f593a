"""Placeholder: this command group is being built (see the issue tracker)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Register this group's subcommands (none yet)."""
