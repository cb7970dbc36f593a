"""The reader on a folder holding one hostile file of each kind (issue 10, finding 4): it opens, the
ordinary articles are usable, and the warnings screen names every hostile file."""

from __future__ import annotations

import sys
from pathlib import Path

from briefreader.tui.app import ReaderApp
from briefreader.tui.widgets.article_list import ArticleList

from reader_helpers import screen_text, settle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "helpers"))

from hostile_files import ORDINARY, hostile_corpus  # noqa: E402

SIZE = (160, 50)


async def test_reader_lists_every_hostile_file_as_a_warning(tmp_path: Path, isolated_home: Path) -> None:
    folder = tmp_path / "corpus"
    hostile = hostile_corpus(folder)
    app = ReaderApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # the ordinary articles, the hostile ones whose text survives (bomb.md, loop.md, stray.txt,
        # evil-line.txt) and the good record of feed.jsonl; deep.json is skipped
        assert app.query_one(ArticleList).row_count == len(ORDINARY) + 5
        assert "warning(s) (w)" in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
        text = screen_text(app)
        for name in hostile:
            assert name in text, name
        assert "nested deeper than 100 levels" in text
        assert "alias bomb" in text
        assert "rule disabled" in text


async def test_reader_refuses_queries_asking_for_too_much_work(reader: ReaderApp) -> None:
    from briefreader.tui.widgets.search_bar import SearchBar

    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        total = reader.query_one(ArticleList).row_count
        await pilot.press("slash")
        bar = reader.query_one(SearchBar)
        for query, expected in ((" ".join(["kallas"] * 8000), "too long"), ("kallas~9", "at most 2 edits")):
            bar.input.value = query
            await settle(pilot)
            message = str(bar.query_one("#search-message").render())
            assert expected in message and "Traceback" not in message
            assert reader.query_one(ArticleList).row_count == total  # the list is left as it was
