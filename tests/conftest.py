"""Shared fixtures: every test gets its own per-user folders and a copy of the sample corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO / "sample_corpus"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point BRIEFREADER_HOME (config, data, cache) at a fresh folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BRIEFREADER_HOME", str(home))
    return home


@pytest.fixture
def sample_corpus(tmp_path: Path) -> Path:
    """A writable copy of sample_corpus/ (so state folders never land in the repo)."""
    dest = tmp_path / "sample_corpus"
    shutil.copytree(SAMPLE_CORPUS, dest, ignore=shutil.ignore_patterns(".briefreader"))
    return dest
