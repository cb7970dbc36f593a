"""Snapshot tests of the triage side of the reader (marks, visual mode, highlights panel, tag prompt,
export dialog) on a copy of sample_corpus at fixed sizes.

Update after an intended visual change with
``pytest tests/ui/test_triage_snapshots.py --snapshot-update`` and look at the report first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_helpers import saved, screen_of, settle, triage_idle

from briefreader.storage.corpus import load_corpus
from briefreader.storage.triage_store import open_store
from briefreader.tui.app import ReaderApp

@pytest.fixture(autouse=True)
def fixed_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A fresh home per test (no screen here shows its path): a fixed folder shared by two test runs
    at once (two worktrees) was emptied under the other's index, which then showed
    "index: unavailable (FileNotFoundError…)" in the snapshot."""
    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "home"))


@pytest.fixture
def triaged(sample_corpus: Path) -> Path:
    """sample_corpus with some triage done: statuses, tags, a note, two highlights."""
    corpus = load_corpus(sample_corpus, use_cache=False)
    articles = sorted(corpus.articles, key=lambda a: a.id)
    with open_store(sample_corpus, clock=lambda: "2025-09-13T08:00:00.000Z") as store:  # times show in the brief
        store.set_status([articles[0].id], "keep")
        store.set_status([articles[1].id], "discard")
        store.set_status([articles[2].id], "follow-up")
        store.mark_read([articles[3].id])
        store.add_tags([articles[0].id, articles[2].id], ["sanctions", "ceasefire"])
        store.set_note(articles[0].id, "compare with the BBC interview")
        for a in articles[:2]:
            words = a.body.split()
            passage = " ".join(words[10:24])
            start = a.body.index(passage)
            store.add_highlight(a, start, start + len(passage), comment="key claim", tags=["lede"])
    return sample_corpus


async def ready(pilot) -> None:
    from textual.widgets import Input

    await settle(pilot)
    await triage_idle(pilot.app)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False  # a blinking cursor makes the picture depend on timing
    await pilot.pause()


def test_marks_in_the_list_80x24(snap_compare, triaged: Path) -> None:
    assert snap_compare(ReaderApp(triaged), terminal_size=(80, 24), run_before=ready)


def test_marks_and_highlights_160x50(snap_compare, triaged: Path) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        app = pilot.app
        # the article with a highlight, body focused
        target = sorted(saved(app).highlights(), key=lambda h: h.article_id)[0].article_id
        from briefreader.tui.widgets.article_list import ArticleList

        app.query_one(ArticleList).select_id(target)
        await ready(pilot)

    assert snap_compare(ReaderApp(triaged), terminal_size=(160, 50), run_before=run_before)


def test_visual_mode_160x50(snap_compare, sample_corpus: Path) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("enter", "v", "w", "w", "w", "right_parenthesis")
        await pilot.pause()

    assert snap_compare(ReaderApp(sample_corpus), terminal_size=(160, 50), run_before=run_before)


def test_visual_mode_80x24(snap_compare, sample_corpus: Path) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("enter", "v", "w", "w")
        await pilot.pause()

    assert snap_compare(ReaderApp(sample_corpus), terminal_size=(80, 24), run_before=run_before)


def test_highlights_panel_160x50(snap_compare, triaged: Path) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("H")
        await ready(pilot)

    assert snap_compare(ReaderApp(triaged), terminal_size=(160, 50), run_before=run_before)


def test_tag_prompt_with_completion_80x24(snap_compare, triaged: Path) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("t", "s")
        await ready(pilot)

    assert snap_compare(ReaderApp(triaged), terminal_size=(80, 24), run_before=run_before)


def _export_dialog(*keys: str):
    """run_before: open the export dialog, write to brief.md, press ``keys``, wait for the preview."""

    async def run_before(pilot) -> None:
        await ready(pilot)
        # The copy analysis ends last (the status line then says "copies: ..."): wait for it.
        for _ in range(200):
            if screen_of(pilot.app).copies.analysis is not None:
                break
            await pilot.pause(0.05)
        await ready(pilot)
        await pilot.press("e")
        await ready(pilot)
        pilot.app.screen.query_one("#export-output").value = "brief.md"
        await ready(pilot)
        for key in keys:
            await pilot.press(key)
            await ready(pilot)
        await pilot.pause(0.2)  # the Markdown widget mounts its blocks in batches
        await ready(pilot)
        # The reader's footer under the dialog is redrawn (recomposed) as the dialog opens; the
        # dialog's picture takes in the screen below only when it is repainted: repaint it, so the
        # picture does not depend on which came first.
        pilot.app.screen_stack[0].refresh(layout=True)
        pilot.app.screen.refresh(layout=True)
        await ready(pilot)

    return run_before


def test_export_dialog_160x50(snap_compare, triaged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The brief to send, rendered: headlines with outlet and date, highlights as quotes, comments."""
    monkeypatch.chdir(triaged.parent)  # links in the preview are relative to where the brief goes
    assert snap_compare(ReaderApp(triaged), terminal_size=(160, 50), run_before=_export_dialog())


def test_export_dialog_80x24(snap_compare, triaged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(triaged.parent)
    assert snap_compare(ReaderApp(triaged), terminal_size=(80, 24), run_before=_export_dialog())


def test_export_dialog_archive_raw_80x24(snap_compare, triaged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ctrl+o: the archive profile (statuses, notes, timestamps); ctrl+t: the raw Markdown."""
    monkeypatch.chdir(triaged.parent)
    assert snap_compare(ReaderApp(triaged), terminal_size=(80, 24), run_before=_export_dialog("ctrl+o", "ctrl+t"))


def test_export_dialog_archive_raw_160x50(snap_compare, triaged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(triaged.parent)
    assert snap_compare(ReaderApp(triaged), terminal_size=(160, 50), run_before=_export_dialog("ctrl+o", "ctrl+t"))
