"""Snapshot tests of the copies screens: the list with a folded group, a copy's changes, the timeline.

Update after an intended visual change with ``pytest tests/ui/test_copies_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from reader_helpers import settle

from briefreader.tui.app import ReaderApp
from briefreader.tui.widgets.article_list import ArticleList

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "helpers"))
from copies_corpus import fictional_story, write_fictional_corpus  # noqa: E402

@pytest.fixture
def wire_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "wire-corpus"
    corpus.mkdir()
    write_fictional_corpus(corpus, fictional_story(1))
    return corpus


def test_copy_changes_view_120x35(snap_compare, wire_corpus: Path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.query_one(ArticleList).select_id("wire.md")
        await pilot.pause()
        await pilot.press("z")
        await settle(pilot)
        pilot.app.query_one(ArticleList).select_id("local.md")
        await settle(pilot)

    assert snap_compare(ReaderApp(wire_corpus), terminal_size=(120, 35), run_before=run_before)


def test_timeline_screen_100x30(snap_compare, wire_corpus: Path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.query_one(ArticleList).select_id("wire.md")
        await pilot.pause()
        await pilot.press("L")
        await settle(pilot)

    assert snap_compare(ReaderApp(wire_corpus), terminal_size=(100, 30), run_before=run_before)
