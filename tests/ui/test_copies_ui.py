"""The reader on a corpus of wire copy: folded copies, a copy's changes, group triage, the timeline."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from reader_helpers import saved, screen_of, screen_text, settle, state, triage_idle

from briefreader.tui.app import ReaderApp
from briefreader.tui.widgets.article_list import ArticleList

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "helpers"))
from copies_corpus import (  # noqa: E402
    fictional_story,
    misquote_wire_files,
    quoted_wire_files,
    write_fictional_corpus,
    write_md_articles,
)

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


@pytest.mark.parametrize("in_child", [False, True], ids=["in-process", "child-process"])
async def test_the_reader_and_quotes_json_judge_a_misquotes_wire_copies_alike(
        tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        in_child: bool) -> None:
    """A misquote sent out by a wire service and reprinted: the reader shows the classes and the
    independent count ``briefreader quotes --json`` gives, from the same cached analysis."""
    import json

    import briefreader.workspace.analyses
    from briefreader.cli.main import main
    from briefreader.core.quote_cache import CACHE_FILE
    from briefreader.core.quote_clusters import quotes_cache_dir
    from briefreader.tui.widgets.quote_diff import QuoteDiff

    corpus = tmp_path / "misquoted"
    write_md_articles(corpus, misquote_wire_files())
    if in_child:  # the analyses of a big corpus: copies, then quotations, each in a spawned child
        monkeypatch.setattr(briefreader.workspace.analyses, "ISOLATE_MIN_ARTICLES", 1)  # looked up there
        monkeypatch.setattr(briefreader.workspace.analyses, "COPIES_ISOLATE_FROM", 1)
    app = ReaderApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one(ArticleList).select_id("a.md")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        shown = app.query_one(QuoteDiff).last_plain
        await pilot.press("b")  # into the brief: the statement as the analysis gives it
        await triage_idle(app)
        (chosen,) = saved(app).chosen_clusters()
    cache = quotes_cache_dir(corpus) / CACHE_FILE
    written = cache.read_bytes(), cache.stat().st_mtime_ns

    assert main(["quotes", str(corpus), "--json"]) == 0
    (cluster,) = json.loads(capsys.readouterr().out)["clusters"]
    classes = {v["article"]: v["alteration"] for v in cluster["variants"]}
    assert classes == {"a.md": "same", "w0.md": "altered", "w1.md": "altered", "w2.md": "altered"}
    # the pane lists the other renderings with their class (a.md is "this article")
    assert shown.count("  altered") == 3 and "ALTERED WORDS" in shown
    assert f"4 renderings, 4 outlets ({cluster['independent_articles']} independent: the rest are copies)" in shown
    assert chosen.canonical == cluster["canonical"]  # the original's words, not the wire's misquote
    assert (cache.read_bytes(), cache.stat().st_mtime_ns) == written  # the CLI read the reader's analysis
