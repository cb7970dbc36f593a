"""Pilot tests: every binding of the reader, search, raw view, quote navigation, themes, keymap,
and bad input. Each test asserts on the app's state and on what the screen shows."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefreader.core.dates import display_date
from briefreader.tui.app import ReaderApp
from briefreader.tui.commands import COMMANDS
from briefreader.tui.widgets.article_list import ArticleList
from briefreader.tui.widgets.article_view import ArticleHeader
from briefreader.tui.widgets.body_view import BodyView
from briefreader.tui.widgets.quote_diff import QuoteDiff
from briefreader.tui.widgets.search_bar import SearchBar

from reader_helpers import goto_shared_quote, notices, screen_of, screen_text, settle, state

SIZE = (160, 50)


def body_lines(app: ReaderApp) -> list[str]:
    return app.query_one(BodyView).plain_lines()


async def test_opens_with_list_body_and_status(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = reader.query_one(ArticleList)
        assert table.row_count == len(screen_of(reader).corpus.articles) == 5
        assert state(reader).current_id == table.shown[0].id
        article = screen_of(reader).current_article()
        assert article is not None
        # the body shows the article's cleaned text
        assert article.body.split()[0] in " ".join(body_lines(reader))
        text = screen_text(reader)
        assert "5 articles" in text and "index: ready" in text and "quotes:" in text
        assert "Search" in text and "Help" in text  # the footer


async def test_j_k_arrows_move_the_list_cursor(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = reader.query_one(ArticleList).shown
        await pilot.press("j")
        assert state(reader).current_id == shown[1].id
        await pilot.press("down")
        assert state(reader).current_id == shown[2].id
        await pilot.press("k")
        assert state(reader).current_id == shown[1].id
        await pilot.press("up")
        assert state(reader).current_id == shown[0].id
        # the header follows the cursor
        await pilot.press("j")
        header = str(reader.query_one(ArticleHeader).render())
        assert (shown[1].title or shown[1].body.split()[0]) .split()[0] in header


async def test_g_G_ctrl_d_ctrl_u_in_the_list(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = reader.query_one(ArticleList).shown
        await pilot.press("G")
        assert state(reader).current_id == shown[-1].id
        await pilot.press("g")
        assert state(reader).current_id == shown[0].id
        await pilot.press("ctrl+d")
        assert state(reader).current_id == shown[-1].id  # half a page is more than five rows
        await pilot.press("ctrl+u")
        assert state(reader).current_id == shown[0].id
        await pilot.press("end")
        assert state(reader).current_id == shown[-1].id
        await pilot.press("home")
        assert state(reader).current_id == shown[0].id


async def test_body_scrolling_keys(reader: ReaderApp) -> None:
    async with reader.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        body = reader.query_one(BodyView)
        await pilot.press("enter")
        assert reader.focused is body
        assert body.max_scroll_y > 0
        await pilot.press("j")
        assert body.scroll_offset.y == 1
        await pilot.press("k")
        assert body.scroll_offset.y == 0
        await pilot.press("ctrl+d")
        half = body.scroll_offset.y
        assert half >= 2
        await pilot.press("ctrl+u")
        assert body.scroll_offset.y == 0
        await pilot.press("G")
        assert body.scroll_offset.y == body.max_scroll_y
        await pilot.press("g")
        assert body.scroll_offset.y == 0
        # the list cursor did not move while the body had focus
        assert state(reader).current_id == reader.query_one(ArticleList).shown[0].id


async def test_tab_cycles_panes_and_enter_l_esc_h(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(reader.focused, ArticleList)
        await pilot.press("tab")
        assert isinstance(reader.focused, BodyView)
        await pilot.press("tab")
        assert isinstance(reader.focused, QuoteDiff)
        await pilot.press("tab")
        assert isinstance(reader.focused, ArticleList)
        await pilot.press("shift+tab")
        assert isinstance(reader.focused, QuoteDiff)
        await pilot.press("h")
        assert isinstance(reader.focused, ArticleList)
        await pilot.press("l")
        assert isinstance(reader.focused, BodyView)
        await pilot.press("escape")
        assert isinstance(reader.focused, ArticleList)


async def test_search_as_you_type_filters_highlights_and_esc_restores(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        total = reader.query_one(ArticleList).row_count
        await pilot.press("slash")
        bar = reader.query_one(SearchBar)
        assert bar.is_open and reader.focused is bar.input
        await pilot.press(*"trap")
        await settle(pilot)
        table = reader.query_one(ArticleList)
        assert state(reader).search_query == "trap"
        assert 0 < table.row_count < total
        for article in table.shown:
            assert "trap" in article.body.lower()
        assert state(reader).hits, "hits are highlighted in the open article"
        body = screen_of(reader).current_article().body
        assert all(body[s:e].lower().startswith("trap") for s, e in state(reader).hits)
        assert "result(s)" in screen_text(reader)
        assert 'filter: "trap"' in screen_text(reader)
        await pilot.press("enter")
        assert isinstance(reader.focused, ArticleList)
        # n / N walk the hits with a counter
        await pilot.press("n")
        assert state(reader).current_hit == 0
        assert f"hit 1/{len(state(reader).hits)}" in str(reader.query_one(ArticleHeader).render())
        await pilot.press("N")
        assert state(reader).current_hit == len(state(reader).hits) - 1
        await pilot.press("escape")
        assert state(reader).search_query == "" and not bar.is_open
        assert table.row_count == total
        assert not state(reader).hits


async def test_keys_typed_right_after_slash_go_to_the_search(reader: ReaderApp) -> None:
    """A fast typist (or a paste, or tmux send-keys) sends "/trap" in one burst: every key after
    the slash belongs to the query, none to the list."""
    from textual import events

    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, char in [("slash", "/"), ("t", "t"), ("r", "r"), ("a", "a"), ("p", "p")]:
            reader.post_message(events.Key(key, char))  # queued together, handled in one go
        await settle(pilot)
        assert reader.query_one(SearchBar).value == "trap"
        assert state(reader).search_query == "trap"


async def test_search_fielded_and_bad_query(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        outlet = next(a.outlet for a in screen_of(reader).corpus.articles if a.outlet)
        word = outlet.split()[0].lower().strip("’'")
        await pilot.press("slash")
        await pilot.press(*f"outlet:{word}")
        await settle(pilot)
        shown = reader.query_one(ArticleList).shown
        assert shown and all(word in (a.outlet or "").lower() for a in shown)
        # a query the parser cannot read: message inline, no traceback, list unchanged
        bar = reader.query_one(SearchBar)
        bar.input.value = 'date:[2025 to'
        await settle(pilot)
        message = str(bar.query_one("#search-message").render())
        assert "Traceback" not in message
        await pilot.press("escape")
        assert reader.query_one(ArticleList).row_count == 5


async def test_raw_view_toggle(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # pick an article the cleaner removed something from
        table = reader.query_one(ArticleList)
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            if screen_of(reader).current_article().removed:
                break
        article = screen_of(reader).current_article()
        assert article.removed, "sample corpus has an article with removed furniture"
        await pilot.press("r")
        assert state(reader).raw
        raw = "\n".join(body_lines(reader))
        assert "⟦removed:" in raw
        assert article.removed[0].reason in raw
        assert "RAW" in str(reader.query_one(ArticleHeader).render())
        assert "RAW view" in screen_text(reader)
        await pilot.press("r")
        assert not state(reader).raw
        assert "⟦removed:" not in "\n".join(body_lines(reader))


async def test_quote_navigation_diff_and_jump(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert screen_of(reader).quotes is not None and screen_of(reader).quotes.total > 0
        start_id = state(reader).current_id
        quotes = screen_of(reader).article_quotes()
        assert quotes
        await pilot.press("right_square_bracket")
        assert state(reader).current_quote == 0
        diff = reader.query_one(QuoteDiff)
        assert f"Quote 1/{len(quotes)}" in diff.last_plain
        if len(quotes) > 1:
            await pilot.press("right_square_bracket")
            assert state(reader).current_quote == 1
            await pilot.press("left_square_bracket")
            assert state(reader).current_quote == 0
        await goto_shared_quote(pilot)
        mark = screen_of(reader).article_quotes()[state(reader).current_quote]
        cluster = screen_of(reader).quotes.cluster_of(mark)
        assert state(reader).compared is not None
        other = cluster.variants[state(reader).compared]
        assert other.article != mark.article_id
        # the diff pane lists every rendering with its outlet or file, and the compared text
        for rendering in cluster.variants:
            assert (rendering.outlet or rendering.article) in diff.last_plain
        assert any(s in diff.last_plain for s in ("word(s) differ", "identical", "same words"))
        await pilot.press("d")
        assert reader.focused is diff
        before = state(reader).compared
        await pilot.press("c")
        # every other rendering, another outlet's or a second one of this article (a partial quote
        # of the same statement)
        others = [i for i, r in enumerate(cluster.variants)
                  if not (r.article == mark.article_id and r.start == mark.start)]
        assert state(reader).compared in others
        if len(others) > 1:
            assert state(reader).compared != before
            await pilot.press("C")
            assert state(reader).compared == before
        await pilot.press("i")
        assert state(reader).diff_ignore_punct
        await pilot.press("i")
        target = cluster.variants[state(reader).compared]
        await pilot.press("x")
        assert state(reader).current_id == target.article
        assert reader.query_one(ArticleList).current_id == target.article
        new_mark = screen_of(reader).article_quotes()[state(reader).current_quote]
        assert new_mark.start == target.start
        assert state(reader).current_id != start_id or target.article == start_id


async def test_clicking_a_quote_selects_it(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        mark = screen_of(reader).article_quotes()[0]
        body = reader.query_one(BodyView)
        line = body.line_of(mark.start)
        col = mark.start - body._line_starts[line]
        region = body.content_region
        await pilot.click(offset=(region.x + col + 1, region.y + line))
        await pilot.pause()
        assert state(reader).current_quote == 0


async def test_clicking_a_rendering_compares_it_and_a_second_click_opens_it(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = reader.query_one(ArticleList)
        found = False
        for row in range(table.row_count):  # a quotation rendered by three or more articles
            table.move_cursor(row=row)
            await pilot.pause()
            for index, q in enumerate(screen_of(reader).article_quotes()):
                cluster = screen_of(reader).quotes.cluster_of(q)
                if cluster is not None and len(cluster.articles) >= 3:
                    screen_of(reader).navigator.select(index)
                    found = True
                    break
            if found:
                break
        assert found, "the sample corpus has quotations in three or more outlets"
        await pilot.pause()
        mark = screen_of(reader).article_quotes()[state(reader).current_quote]
        cluster = screen_of(reader).quotes.cluster_of(mark)
        others = [i for i, r in enumerate(cluster.variants) if r.article != mark.article_id]
        target = next(i for i in others if i != state(reader).compared)
        rendering = cluster.variants[target]
        diff = reader.query_one(QuoteDiff)
        label = f"{display_date(rendering.date, 'no date')}  {rendering.outlet or rendering.article}"
        # the line of that rendering (an article may render a statement twice: same label, other line)
        click = f"select_rendering({target})"
        row = next(y for y, line in enumerate(diff._lines)
                   if label in line.text and any(seg.style and seg.style.meta.get("@click") == click for seg in line))
        column = diff._lines[row].text.index(label)
        inside = diff.content_region.offset - diff.region.offset  # border and padding
        offset = (inside.x + column + 1, inside.y + row)
        await pilot.click(QuoteDiff, offset=offset)  # another rendering: compare it
        await pilot.pause()
        assert state(reader).compared == target
        assert state(reader).current_id == mark.article_id
        await pilot.click(QuoteDiff, offset=offset)  # on the compared one: go there
        await settle(pilot)
        assert state(reader).current_id == rendering.article  # opened at that quotation
        assert screen_of(reader).article_quotes()[state(reader).current_quote].start == rendering.start


async def test_clicking_an_article_selects_it_and_a_second_click_opens_it(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = reader.query_one(ArticleList)
        shown = table.shown
        await pilot.click(ArticleList, offset=(20, 3))  # the header is line 0: row 2
        await pilot.pause()
        assert table.cursor_row == 2 and state(reader).current_id == shown[2].id
        assert isinstance(reader.focused, ArticleList)
        await pilot.click(ArticleList, offset=(20, 3))
        await pilot.pause()
        assert isinstance(reader.focused, BodyView)
        await pilot.click(ArticleList, offset=(20, 0))  # the header: nothing moves
        await pilot.pause()
        assert state(reader).current_id == shown[2].id


async def test_diff_pane_keeps_its_place_and_follows_the_theme(reader: ReaderApp) -> None:
    async with reader.run_test(size=(100, 30)) as pilot:  # narrow: the diff pane is short, so it scrolls
        await settle(pilot)
        await goto_shared_quote(pilot)
        diff = reader.query_one(QuoteDiff)
        assert diff.max_scroll_y > 0
        diff.scroll_to(y=2, animate=False, immediate=True)
        await pilot.pause()
        screen_of(reader).redraw_article()  # what every search keystroke or hit move does
        await pilot.pause()
        assert diff.scroll_offset.y == 2  # same quotation: not redrawn, not scrolled back
        before = [seg.style for line in diff._lines for seg in line if seg.text.strip()]
        reader.theme = "briefreader-light" if reader.theme != "briefreader-light" else "briefreader-dark"
        await settle(pilot)
        after = [seg.style for line in diff._lines for seg in line if seg.text.strip()]
        assert before != after  # the pane was drawn again in the new theme's colours


async def test_sort_keys(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert state(reader).sort_key == "date" and state(reader).sort_reverse
        dates = [a.date for a in reader.query_one(ArticleList).shown if a.date]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("s")
        assert state(reader).sort_key == "outlet"
        outlets = [(a.outlet or "").casefold() for a in reader.query_one(ArticleList).shown if a.outlet]
        assert outlets == sorted(outlets, reverse=True)
        await pilot.press("S")
        assert not state(reader).sort_reverse
        outlets = [(a.outlet or "").casefold() for a in reader.query_one(ArticleList).shown if a.outlet]
        assert outlets == sorted(outlets)
        assert "sort: outlet ↑" in screen_text(reader)
        await pilot.press("s")
        assert state(reader).sort_key == "title"


async def test_sort_by_triage_status(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = reader.query_one(ArticleList)
        last, middle = table.shown[-1].id, table.shown[2].id
        table.move_cursor(row=len(table.shown) - 1)
        await pilot.press("F")  # follow up
        table.move_cursor(row=2)
        await pilot.press("K")  # keep
        await settle(pilot)
        while state(reader).sort_key != "status":
            await pilot.press("s")
        await pilot.pause()
        ids = [a.id for a in table.shown]
        assert ids[:2] == [last, middle]  # follow-ups first, then kept ones
        statuses = [screen_of(reader).triage.state_of(i).status for i in ids]
        assert statuses[:2] == ["follow-up", "keep"] and set(statuses[2:]) <= {"new", "read"}
        assert "sort: status ↓" in screen_text(reader)
        await pilot.press("S")
        assert [a.id for a in table.shown][-2:] == [middle, last]


async def test_help_screen_lists_every_command(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from briefreader.tui.screens.help import HelpScreen

        assert isinstance(reader.screen, HelpScreen)
        text = screen_text(reader)
        for command in COMMANDS:
            assert command.description in text
        await pilot.press("escape")
        assert not isinstance(reader.screen, HelpScreen)


async def test_warnings_screen(tmp_path: Path, sample_corpus: Path) -> None:
    (sample_corpus / "broken.json").write_text("{not json", encoding="utf-8")
    (sample_corpus / "empty.txt").write_text("", encoding="utf-8")
    app = ReaderApp(sample_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one(ArticleList).row_count == 5  # the rest is usable
        assert "warning(s) (w)" in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
        text = screen_text(app)
        assert "broken.json" in text and "empty.txt" in text
        await pilot.press("escape")
        assert "broken.json" not in screen_text(app)


async def test_open_source(reader: ReaderApp, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(reader, "open_url", lambda url, **kw: opened.append(url))
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        article = screen_of(reader).current_article()
        assert opened == [article.url or (reader.root / article.path).resolve().as_uri()]


async def test_command_palette_runs_commands(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("colon")
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(reader.screen, CommandPalette)
        await pilot.press(*"Raw/clean")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert state(reader).raw


async def test_theme_switch_is_remembered(sample_corpus: Path, isolated_home: Path) -> None:
    app = ReaderApp(sample_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "briefreader-dark"
        dark_bg = app.query_one(BodyView).styles.background
        await pilot.press("ctrl+t")
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        app.theme = "briefreader-light"
        await settle(pilot)
        assert app.query_one(BodyView).styles.background != dark_bg
        assert app.get_css_variables()["br-diff-added"] == "#b7ebc4"
    remembered = yaml.safe_load((isolated_home / "config" / "reader-state.yaml").read_text())
    assert remembered == {"theme": "briefreader-light"}
    again = ReaderApp(sample_corpus)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "briefreader-light"


async def test_broken_theme_file_gives_one_notice_and_the_default(sample_corpus: Path, isolated_home: Path) -> None:
    themes = isolated_home / "config" / "themes"
    themes.mkdir(parents=True)
    (themes / "bad.yaml").write_text("name: bad\nprimary: not-a-colour\n", encoding="utf-8")
    (themes / "worse.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    (themes / "mine.yaml").write_text("name: mine\nprimary: '#123456'\nvariables:\n  br-hit: '#ff0000'\n",
                                      encoding="utf-8")
    app = ReaderApp(sample_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "briefreader-dark"
        assert "mine" in app.available_themes
        shown = notices(app)
        assert len(shown) == 1
        assert "bad.yaml" in shown[0].message and "worse.yaml" in shown[0].message
        app.theme = "mine"
        await settle(pilot)
        assert app.get_css_variables()["br-hit"] == "#ff0000"


async def test_user_keymap_remaps_by_id(sample_corpus: Path, isolated_home: Path) -> None:
    config = isolated_home / "config"
    config.mkdir(parents=True)
    (config / "config.yaml").write_text(
        yaml.safe_dump({"keymap": {"search": "ctrl+f", "cursor_down": "ctrl+n,down", "nonsense": "z"}}),
        encoding="utf-8")
    app = ReaderApp(sample_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = app.query_one(ArticleList).shown
        await pilot.press("ctrl+n")
        assert state(app).current_id == shown[1].id
        await pilot.press("slash")
        assert not app.query_one(SearchBar).is_open
        await pilot.press("ctrl+f")
        assert app.query_one(SearchBar).is_open
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        assert "ctrl+f" in screen_text(app)
        assert any("nonsense" in n.message for n in notices(app))


async def test_quit(reader: ReaderApp) -> None:
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert reader.return_code is not None  # the reader quit


async def test_too_small_terminal_shows_a_message(reader: ReaderApp) -> None:
    async with reader.run_test(size=(40, 10)) as pilot:
        await settle(pilot)
        assert "needs at least" in screen_text(reader)
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert "needs at least" not in screen_text(reader)
        assert screen_of(reader).has_class("-narrow")  # the diff pane sits under the article


async def test_no_readable_articles_gives_an_empty_state(tmp_path: Path) -> None:
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "a.json").write_text("[broken", encoding="utf-8")
    app = ReaderApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "No articles could be read" in text
        assert "press w" in text


async def test_index_busy_still_opens(reader: ReaderApp, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefreader.storage import index as index_module

    def busy(*args, **kwargs):
        raise index_module.IndexBusyError("another briefreader (pid 1) is indexing this corpus")

    monkeypatch.setattr(index_module.CorpusIndex, "open", classmethod(lambda cls, *a, **k: busy()))
    monkeypatch.setattr("briefreader.tui.screens.reader.INDEX_RETRY_SECONDS", 60.0)
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert reader.query_one(ArticleList).row_count == 5
        assert "another briefreader" in screen_text(reader)
        await pilot.press("slash")
        assert "index" in str(reader.query_one(SearchBar).query_one("#search-message").render())


async def test_next_altered_quote_key(reader: ReaderApp) -> None:
    """`M` goes to the next quotation whose group has altered words, across articles, and the diff
    pane header says so; every such quotation is visited before it comes round again."""
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot)
        altered = {(m.article_id, m.start) for ms in screen_of(reader).quotes.by_article.values() for m in ms
                   if (c := screen_of(reader).quotes.cluster_of(m)) is not None and c.altered}
        assert altered, "the sample corpus has a misquoted statement"
        seen = set()
        for _ in range(len(altered)):
            await pilot.press("M")
            mark = screen_of(reader).article_quotes()[state(reader).current_quote]
            assert screen_of(reader).quotes.cluster_of(mark).altered
            assert "ALTERED WORDS" in reader.query_one(QuoteDiff).last_plain
            seen.add((mark.article_id, mark.start))
        assert seen == altered
