"""The reader's first look (issue 14): layouts, list columns, search order, the hit counter,
new-article keys, saved searches, the keys of every mode in help, the diff pane on short terminals."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from reader_helpers import goto_shared_quote, notices, saved, screen_of, screen_text, settle, state, triage_idle

from briefreader.tui.app import ReaderApp
from briefreader.tui.commands import COMMANDS, EXPORT, HIGHLIGHTS, NOTE, SECTIONS, VISUAL
from briefreader.tui.widgets.article_list import ArticleList, list_columns, sort_articles
from briefreader.tui.widgets.article_view import ArticleHeader
from briefreader.tui.widgets.body_view import BodyView
from briefreader.tui.widgets.quote_diff import QuoteDiff

WIDE, NARROW = (160, 50), (80, 24)


def shown(widget) -> bool:
    """On screen: displayed, and every ancestor too, with a real size."""
    node = widget
    while node is not None and hasattr(node, "display"):
        if not node.display:
            return False
        node = node.parent
    return widget.region.width > 0 and widget.region.height > 0


def list_header(app: ReaderApp) -> str:
    return app.query_one(ArticleList).render_line(0).text


# ------------------------------------------------------------------ layouts


async def test_narrow_terminal_starts_with_the_list_full_width(reader: ReaderApp) -> None:
    async with reader.run_test(size=NARROW) as pilot:
        await settle(pilot)
        table = reader.query_one(ArticleList)
        assert state(reader).view == "list" and shown(table) and not shown(reader.query_one(BodyView))
        assert table.region.width == NARROW[0]
        assert "Outlet" in list_header(reader)  # the outlet column stays at 80 columns
        first = table.shown[0]
        assert first.title[:40] in screen_text(reader)
        # enter: the article full width, the list gone; esc (or h): back to the list, same row
        await pilot.press("j", "enter")
        await settle(pilot)
        opened = table.shown[1]
        assert state(reader).view == "article" and not shown(table)
        assert shown(reader.query_one(BodyView)) and reader.focused is reader.query_one(BodyView)
        assert reader.query_one(BodyView).region.width >= NARROW[0] - 2
        assert (opened.title or "")[:30] in screen_text(reader)
        await pilot.press("escape")
        await settle(pilot)
        assert state(reader).view == "list" and reader.focused is table and state(reader).current_id == opened.id
        await pilot.press("l")
        assert state(reader).view == "article"
        await pilot.press("h")
        assert state(reader).view == "list"
        # / from the article: the search box (above the list) comes back with the list
        await pilot.press("enter", "slash")
        await settle(pilot)
        assert state(reader).view == "list" and reader.query_one("#search-input").has_focus


async def test_wide_terminal_keeps_three_panes_and_p_cycles_layouts(sample_corpus: Path, isolated_home: Path) -> None:
    app = ReaderApp(sample_corpus)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        table, body, diff = app.query_one(ArticleList), app.query_one(BodyView), app.query_one(QuoteDiff)
        assert state(app).view == "panes" and shown(table) and shown(body) and shown(diff)
        await pilot.press("p")
        await settle(pilot)
        assert state(app).view == "article" and not shown(table) and shown(body) and shown(diff)
        assert app.focused is body
        await pilot.press("p")
        await settle(pilot)
        assert state(app).view == "list" and shown(table) and not shown(body) and table.region.width == WIDE[0]
        # the outlet column grows with the room: whole outlet names at full width
        outlets = [a.outlet for a in table.shown if a.outlet]
        assert all(outlet in screen_text(app) for outlet in outlets)
        await pilot.press("tab")  # tab stays among the panes on screen
        assert state(app).view == "list"
    remembered = yaml.safe_load((isolated_home / "config" / "reader-state.yaml").read_text())
    assert remembered["layout"] == "list"
    again = ReaderApp(sample_corpus)  # remembered: the next start is list-wide too
    async with again.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert state(again).view == "list" and not shown(again.query_one(BodyView))
    narrow = ReaderApp(sample_corpus)  # ... on wide terminals: narrow ones keep their own choice
    async with narrow.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert state(narrow).view == "list"
        await pilot.press("p")
        assert state(narrow).view == "panes"
        assert "Outlet" in list_header(narrow)  # the outlet column stays, narrower, in three panes at 80
    remembered = yaml.safe_load((isolated_home / "config" / "reader-state.yaml").read_text())
    assert remembered["layout"] == "list" and remembered["layout-narrow"] == "panes"


async def test_article_layout_starts_on_the_body(sample_corpus: Path, isolated_home: Path) -> None:
    config = isolated_home / "config"
    config.mkdir(parents=True)
    (config / "reader-state.yaml").write_text(yaml.safe_dump({"layout": "article"}), encoding="utf-8")
    app = ReaderApp(sample_corpus)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert state(app).view == "article" and app.focused is app.query_one(BodyView)
        assert not shown(app.query_one(ArticleList))
        await pilot.press("escape")
        assert state(app).view == "list" and app.focused is app.query_one(ArticleList)


def test_bad_layout_in_settings_is_reported(tmp_path: Path) -> None:
    from briefreader.tui.config import load_config

    (tmp_path / "reader-state.yaml").write_text("layout: sideways\n", encoding="utf-8")
    config = load_config(set(), tmp_path)
    assert config.layouts == {"wide": "panes", "narrow": "list"}
    assert any("sideways" in p for p in config.problems)


@pytest.mark.parametrize("width", [31, 40, 53, 57, 79, 120, 159])
def test_list_columns_give_way_title_last(width: int) -> None:
    columns = dict(list_columns(width, compact=width < ArticleList.COMPACT_BELOW,
                                outlet=width >= ArticleList.OUTLET_BELOW, longest_outlet=22))
    assert sum(columns.values()) + len(columns) - 1 == width  # every cell used, one space between
    assert "Outlet" in columns  # at these widths the outlet column stays
    assert columns["Title"] >= ArticleList.TITLE_MIN
    assert columns["Title"] > columns["Outlet"]  # the title gives way last
    assert columns["Outlet"] <= 22  # never wider than the longest outlet


def test_outlet_column_grows_with_room() -> None:
    widths = [dict(list_columns(w, compact=False, outlet=True, longest_outlet=26))["Outlet"]
              for w in (60, 80, 100, 160)]
    assert widths == sorted(widths) and widths[0] < widths[-1] == 26
    assert "Outlet" not in dict(list_columns(29, compact=True, outlet=False, longest_outlet=26))
    assert "Outlet" not in dict(list_columns(30, compact=True, outlet=True, longest_outlet=26))  # title first
    assert "Outlet" not in dict(list_columns(80, compact=False, outlet=True, longest_outlet=0))  # no outlet known


# ------------------------------------------------------------------ search: order and hit counter


async def search(pilot, query: str) -> None:
    await pilot.press("slash", *query)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_search_results_say_relevance_and_s_sorts_them(reader: ReaderApp) -> None:
    async with reader.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "sort: date ↓" in screen_text(reader)
        await search(pilot, "Kallas")
        table = reader.query_one(ArticleList)
        ranked = [a.id for a in table.shown]
        assert len(ranked) >= 3
        assert [a.id for a in screen_of(reader).lists.search_articles] == ranked  # the index's order
        assert "sort: relevance" in screen_text(reader) and "sort: date" not in screen_text(reader)
        await pilot.press("S")  # relevance has one direction: nothing moves
        assert [a.id for a in table.shown] == ranked
        await pilot.press("s")
        await settle(pilot)
        assert "sort: date ↓" in screen_text(reader)
        by_date = [a.id for a in sort_articles(screen_of(reader).lists.search_articles, "date", True)]
        assert [a.id for a in table.shown] == by_date
        await pilot.press("s")
        await settle(pilot)
        assert "sort: outlet ↓" in screen_text(reader)
        results = screen_of(reader).lists.search_articles
        assert [a.id for a in table.shown] == [a.id for a in sort_articles(results, "outlet", True)]
        for _ in range(10):  # on round the sort keys, back to relevance
            await pilot.press("s")
            await settle(pilot)
            if "sort: relevance" in screen_text(reader):
                break
        assert [a.id for a in table.shown] == ranked
        await pilot.press("escape")  # the search cleared: the whole list, by its sort key again
        await settle(pilot)
        assert "sort: relevance" not in screen_text(reader) and "sort: story ↓" in screen_text(reader)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["160", "80"])
async def test_hit_counter_stays_visible(reader: ReaderApp, size: tuple[int, int]) -> None:
    async with reader.run_test(size=size) as pilot:
        await settle(pilot)
        await search(pilot, "Kremlin")
        await pilot.press("enter")  # open the first result
        await settle(pilot)
        assert state(reader).hits
        await pilot.press("n")
        await settle(pilot)
        label = f"hit 1/{len(state(reader).hits)}"
        assert label in screen_text(reader)
        header = reader.query_one(ArticleHeader)
        line = header.render_line(2).text if hasattr(header, "render_line") else ""
        assert label in line  # on the info line as drawn, not cut off


# ------------------------------------------------------------------ new articles, saved searches


async def test_next_and_previous_new_article(reader: ReaderApp) -> None:
    async with reader.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await triage_idle(reader)
        table = reader.query_one(ArticleList)
        ids = [a.id for a in table.shown]
        saved(reader).set_status([ids[1], ids[2]], "read")
        screen_of(reader).triage.apply_states(saved(reader).states(ids))
        await pilot.press("full_stop")
        assert state(reader).current_id == ids[3]  # rows 1 and 2 are read: skipped
        await pilot.press("comma")
        assert state(reader).current_id == ids[0]
        await pilot.press("comma")  # round the top: the last new one
        assert state(reader).current_id == ids[-1]
        saved(reader).set_status(ids, "read")
        screen_of(reader).triage.apply_states(saved(reader).states(ids))
        await pilot.press("full_stop")
        await pilot.pause()
        assert state(reader).current_id == ids[-1]
        assert any("No new article" in n.message for n in notices(reader))


async def test_save_the_search_under_a_name(reader: ReaderApp) -> None:
    async with reader.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("at")
        await pilot.pause()
        assert any("Search first" in n.message for n in notices(reader))
        await search(pilot, "Kremlin")
        found = [a.id for a in reader.query_one(ArticleList).shown]
        await pilot.press("at")
        await settle(pilot)
        await pilot.press(*"kremlin")
        await pilot.press("enter")
        await settle(pilot)
        await triage_idle(reader)
        assert saved(reader).saved_searches() == {"kremlin": "Kremlin"}
        await pilot.press("escape")  # clear, then use it
        await settle(pilot)
        await search(pilot, "@kremlin")
        assert [a.id for a in reader.query_one(ArticleList).shown] == found
        # a name that is not one word is refused, with the store's reason
        await pilot.press("at")
        await settle(pilot)
        await pilot.press(*"two")
        await pilot.press("space", *"words", "enter")
        await settle(pilot)
        await triage_idle(reader)
        await pilot.pause()
        assert set(saved(reader).saved_searches()) == {"kremlin"}


# ------------------------------------------------------------------ help lists every mode's keys


def test_every_mode_declares_its_keys_once() -> None:
    from briefreader.tui.triage.highlights_screen import HighlightsScreen
    from briefreader.tui.triage.prompt import NoteScreen
    from briefreader.tui.triage.visual import VisualBar

    ids = [c.id for c in COMMANDS]
    assert len(ids) == len(set(ids))
    for scope, bindings in ((VISUAL, VisualBar.BINDINGS), (HIGHLIGHTS, HighlightsScreen.BINDINGS),
                            (NOTE, NoteScreen.BINDINGS)):
        declared = [(c.id, c.keys, c.action) for c in COMMANDS if c.scope == scope]
        assert declared and [(b.id, b.key, b.action) for b in bindings] == declared
        assert scope in SECTIONS
    assert EXPORT in SECTIONS and any(c.scope == EXPORT for c in COMMANDS)
    assert {c.section for c in COMMANDS} == set(SECTIONS)


async def test_help_shows_every_section(reader: ReaderApp) -> None:
    async with reader.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(reader)
        for section in SECTIONS:
            assert section in text
        for command in COMMANDS:
            assert command.description in text


# ------------------------------------------------------------------ the diff pane on a short terminal


async def test_short_diff_pane_shows_the_pair_first(reader: ReaderApp) -> None:
    async with reader.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await goto_shared_quote(pilot)
        await pilot.press("d")  # the diff pane: the article comes full width, the diff below it
        await settle(pilot)
        diff = reader.query_one(QuoteDiff)
        assert state(reader).view == "article" and shown(diff)
        assert diff.size.height < QuoteDiff.PAIR_FIRST_BELOW and diff.pair_first
        assert state(reader).compared is not None
        visible = " ".join(diff.render_line(y).text for y in range(diff.size.height))
        mark = screen_of(reader).article_quotes()[state(reader).current_quote]
        other = screen_of(reader).quotes.cluster_of(mark).variants[state(reader).compared]
        assert (other.outlet or other.article)[:12] in visible  # the pair's heading, without scrolling
        plain = diff.last_plain
        assert plain.index(" · ") < plain.index("(this article)")  # the pair's titles before the listing


async def test_tall_diff_pane_lists_renderings_first(reader: ReaderApp) -> None:
    async with reader.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await goto_shared_quote(pilot)
        await settle(pilot)
        diff = reader.query_one(QuoteDiff)
        assert not diff.pair_first
        assert diff.last_plain.index("(this article)") < diff.last_plain.rindex(" · ")


def test_compact_dates_fit_their_column() -> None:
    """A narrow list shows MM-DD: dates without a year keep what they know instead of 'day …'."""
    from briefreader.tui.widgets.article_list import short_date

    assert short_date("2025-08-22", True) == "08-22"
    assert short_date("--08-17", True) == "08-17"
    assert short_date("---17", True) == "??-17"
    assert short_date("---17", False) == "day 17 ?"  # the wide column says it in words
    assert all(len(short_date(d, True)) <= 5 for d in ("2025-08-22", "--08-17", "---17"))


def test_export_dialog_keys_are_declared() -> None:
    """The export dialog's keys are in help from their declaration in commands.py (EXPORT): each of
    its bindings must be declared there with the same id, keys and action, or help would drift."""
    from briefreader.tui.triage.export_screen import ExportScreen

    declared = {c.id: (c.keys, c.action) for c in COMMANDS if c.scope == EXPORT}
    for binding in ExportScreen.BINDINGS:
        assert binding.id in declared, f"export key {binding.key} ({binding.id}) is not in commands.py"
        assert declared[binding.id] == (binding.key, binding.action)
