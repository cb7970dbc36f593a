"""Fixtures for the reader's Pilot and snapshot tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.tui.app import ReaderApp


@pytest.fixture
def reader(sample_corpus: Path, isolated_home: Path) -> ReaderApp:
    """A reader on a fresh copy of sample_corpus (its own config folder, no user config)."""
    return ReaderApp(sample_corpus)
