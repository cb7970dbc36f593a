"""The reader on a corpus of wire copy: folded copies, a copy's changes, group triage, the timeline."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from reader_helpers import screen_of, screen_text, settle, state

from briefreader.tui.app import ReaderApp
from briefreader.tui.widgets.article_list import ArticleList

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "helpers"))
from copies_corpus import fictional_story, quoted_wire_files, write_fictional_corpus, write_md_articles  # noqa: E402

SIZE = (160, 50)


@pytest.fixture
def copies_reader(tmp_path: Path, isolated_home: Path) -> ReaderApp:
    corpus = tmp_path / "wire-corpus"
    corpus.mkdir()
    write_fictional_corpus(corpus, fictional_story(1))
    return ReaderApp(corpus)


def _row_texts(app: ReaderApp) -> list[str]:
    table = app.query_one(ArticleList)
    return [table.row_strip(row).text for row in range(table.row_count)]


async def test_copies_fold_under_their_original_and_unfold(copies_reader: ReaderApp) -> None:
    async with copies_reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = copies_reader.query_one(ArticleList)
        ids = [a.id for a in table.shown]
        assert "wire.md" in ids and not {"reprint.md", "trimmed.md", "local.md", "changed.md"} & set(ids)
        assert any("[+4]" in row for row in _row_texts(copies_reader))
        assert "copies: 4 in 1 group" in screen_text(copies_reader)
        table.select_id("wire.md")
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        ids = [a.id for a in table.shown]
        start = ids.index("wire.md")
        assert set(ids[start + 1:start + 5]) == {"reprint.md", "trimmed.md", "local.md", "changed.md"}
        assert sum("└" in row for row in _row_texts(copies_reader)) == 4
        await pilot.press("z")
        await pilot.pause()
        assert "reprint.md" not in [a.id for a in table.shown]
        await pilot.press("Z")  # everything unfolded
        await pilot.pause()
        assert {"reprint.md", "trimmed.md"} <= {a.id for a in table.shown}


async def test_a_copy_opens_on_its_changes_and_f_shows_the_full_text(copies_reader: ReaderApp) -> None:
    async with copies_reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("Z")
        await pilot.pause()
        table = copies_reader.query_one(ArticleList)
        assert table.select_id("local.md")
        await pilot.pause()
        text = screen_text(copies_reader)
        assert "Copy of Harbour council approves the new bridge" in text
        assert "+ added:" in text and "paragraphs as in the original" in text
        assert table.select_id("trimmed.md")
        await pilot.pause()
        assert "Cut from the original (4 paragraphs)" in screen_text(copies_reader)
        await pilot.press("f")
        await pilot.pause()
        text = screen_text(copies_reader)
        assert "Copy of" not in text and "Cut from the original" not in text
        article = screen_of(copies_reader).current_article()
        assert article is not None and article.body.split()[0] in text


async def test_y_marks_the_whole_group_and_a_status_key_triages_it(copies_reader: ReaderApp) -> None:
    async with copies_reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        copies_reader.query_one(ArticleList).select_id("wire.md")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert set(state(copies_reader).marked) == {"wire.md", "reprint.md", "trimmed.md", "local.md", "changed.md"}
        await pilot.press("K")
        await settle(pilot)
        statuses = {aid: screen_of(copies_reader).triage.state_of(aid).status for aid in state(copies_reader).marked or
                    ("wire.md", "reprint.md", "trimmed.md", "local.md", "changed.md")}
        assert set(statuses.values()) == {"keep"}
        assert screen_of(copies_reader).triage.state_of("unrelated.md").status != "keep"


async def test_timeline_lists_the_group_in_date_order_and_opens_an_article(copies_reader: ReaderApp) -> None:
    from briefreader.tui.screens.timeline import TimelineScreen

    async with copies_reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        copies_reader.query_one(ArticleList).select_id("wire.md")
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        screen = copies_reader.screen
        assert isinstance(screen, TimelineScreen)
        order = [entry.article for entry in screen.entries]
        assert order[0] == "wire.md" and order[-1] == "local.md"
        assert screen.entries[0].role == "original of 4 copies"
        text = screen_text(copies_reader)
        assert "first published first" in text and "copy of wire.md" in text
        await pilot.press("j", "enter")
        await settle(pilot)
        assert not isinstance(copies_reader.screen, TimelineScreen)
        assert state(copies_reader).current_id == order[1]
        assert copies_reader.query_one(ArticleList).current_id == order[1]


async def test_the_diff_pane_names_copies_and_counts_independent_outlets(tmp_path: Path, isolated_home: Path) -> None:
    from briefreader.tui.widgets.quote_diff import QuoteDiff

    corpus = tmp_path / "quoted"
    write_md_articles(corpus, quoted_wire_files(31), title_suffix=" headline")
    app = ReaderApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one(ArticleList).select_id("own.md")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        text = app.query_one(QuoteDiff).last_plain
        assert "3 renderings, 3 outlets (2 independent: the rest are copies)" in text
        assert "copy of wire.md" in text
