"""The reader's panes: which layout is on screen, which pane has the focus, moving inside a pane.

Three layouts (``p`` cycles them, remembered per terminal class): the list full width (enter shows
the article full width, esc comes back), the three panes, the article full width. Below 120
columns the list starts full width; below 150 the quote diff sits under the article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Input

from briefreader.tui.config import LAYOUTS, remember_layout
from briefreader.tui.widgets.article_list import ArticleList
from briefreader.tui.widgets.body_view import BodyView
from briefreader.tui.widgets.quote_diff import QuoteDiff
from briefreader.tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from briefreader.tui.screens.reader import ReaderScreen

WIDE_MIN_WIDTH = 150  # from this width the quote diff sits right of the article
SINGLE_PANE_BELOW = 120  # narrower terminals are "narrow" for the layout: the list starts full width
MIN_WIDTH, MIN_HEIGHT = 60, 14  # below this the layout cannot work: a message instead
LAYOUT_NAMES = {"list": "list full width", "panes": "three panes", "article": "article full width"}


class PaneLayout:
    """Layout and focus of one reader screen (the state's ``view`` field says what is on screen)."""

    def __init__(self, screen: ReaderScreen, layouts: dict[str, str]) -> None:
        self.screen = screen
        self.state = screen.state
        self.layouts = layouts  # "wide"/"narrow" -> chosen layout
        self.size_class = ""  # "wide" or "narrow", set from the terminal's width

    def apply_size(self, width: int, height: int) -> None:
        """Fit the layout to a terminal of ``width`` × ``height``."""
        screen = self.screen
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        screen.set_class(too_small, "-too-small")
        screen.set_class(width < WIDE_MIN_WIDTH, "-narrow")
        size_class = "narrow" if width < SINGLE_PANE_BELOW else "wide"
        if size_class != self.size_class:
            self.size_class = size_class
            self.set_view(self.layouts[size_class])
        if too_small:
            screen.too_small.update(
                f"The terminal is {width}×{height}; briefreader needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
                "Make the window bigger (q quits)."
            )

    def set_view(self, view: str) -> None:
        """Show ``view``: "list" (the list full width), "panes" or "article" (article and diff full
        width); focus follows (a hidden pane never keeps it)."""
        if view not in LAYOUTS:
            raise ValueError(f"unknown view {view!r}")
        self.state.view = view
        for name in LAYOUTS:
            self.screen.set_class(name == view, f"-view-{name}")
        if not self.screen.has_main_ui():
            return
        pane = self.focused_pane()
        # focus at once (not after a refresh, as Widget.focus does): a focus asked for right after
        # this (the search box opening) must not be overridden by this one
        if view == "list" and pane in ("body", "diff", "visual"):
            self.screen.set_focus(self.screen.article_list)
        elif view == "article" and pane in ("list", "search"):
            self.screen.set_focus(self.screen.body)

    def show_article_pane(self) -> None:
        """The list is full width and the user asked for the article: show it full width."""
        if self.state.view == "list":
            self.set_view("article")

    def show_list_pane(self) -> None:
        """The article is full width and the user asked for the list: show it full width."""
        if self.state.view == "article":
            self.set_view("list")

    def cycle(self) -> None:
        """p: list full width -> three panes -> article full width; remembered for this terminal class."""
        screen = self.screen
        view = LAYOUTS[(LAYOUTS.index(self.state.view) + 1) % len(LAYOUTS)]
        self.layouts[self.size_class or "wide"] = view
        self.set_view(view)
        if view == "article" and self.focused_pane() not in ("body", "diff"):
            screen.body.focus()
        if view == "list":
            screen.article_list.focus()
        problem = remember_layout(self.size_class or "wide", view, screen.config_folder)
        if problem:
            screen.notify(problem, severity="warning")
        keys_for = screen.keys_for
        hint = {"list": f" ({keys_for('open')}: the article, {keys_for('back')}: back)",
                "article": f" ({keys_for('back')}: the list)", "panes": ""}[view]
        screen.notify(f"Layout: {LAYOUT_NAMES[view]}{hint}", timeout=2)

    def follow_focus(self, widget: Widget) -> None:
        """With one pane on screen, moving the focus to the other pane (a click, tab, a jump) shows it."""
        pane = self.pane_of(widget)
        if pane in ("list", "search"):
            self.show_list_pane()
        elif pane in ("body", "diff", "visual"):
            self.show_article_pane()

    def focused_pane(self) -> str:
        return self.pane_of(self.screen.focused)

    def pane_of(self, widget: Widget | None) -> str:
        """Which part of the reader ``widget`` is: list, search, body, diff, visual (the visual mode
        bar) or other (a dialog, nothing)."""
        from briefreader.tui.triage.visual import VisualBar

        if isinstance(widget, ArticleList):
            return "list"
        if isinstance(widget, BodyView):
            return "body"
        if isinstance(widget, QuoteDiff):
            return "diff"
        if isinstance(widget, VisualBar):
            return "visual"
        if isinstance(widget, Input) and widget.screen is self.screen and any(
                isinstance(node, SearchBar) for node in widget.ancestors):
            return "search"
        return "other"

    # ------------------------------------------------------------------ moving inside a pane

    def cursor(self, step: int) -> None:
        """j / k: the list cursor, the body's scroll or the compared rendering, by the focused pane."""
        pane = self.focused_pane()
        if pane == "list":
            table = self.screen.article_list
            table.action_cursor_down() if step > 0 else table.action_cursor_up()
        elif pane == "body":
            body = self.screen.body
            body.scroll_down(animate=False) if step > 0 else body.scroll_up(animate=False)
        elif pane == "diff":
            self.screen.navigator.cycle_compared(step)

    def cursor_end(self, bottom: bool) -> None:
        """g / G: the first or last article, or the top or bottom of the body or diff."""
        pane = self.focused_pane()
        focused = self.screen.focused
        if pane == "list":
            table = self.screen.article_list
            if bottom:
                table.action_scroll_end()
            elif table.row_count:
                table.move_cursor(row=0, animate=False)
        elif pane in ("body", "diff") and focused is not None:
            focused.scroll_end(animate=False) if bottom else focused.scroll_home(animate=False)

    def half_page(self, direction: int) -> None:
        pane = self.focused_pane()
        widget = self.screen.focused
        if widget is None:
            return
        step = max(1, widget.scrollable_content_region.height // 2)
        if pane == "list":
            table = self.screen.article_list
            if table.row_count:
                row = max(0, min(table.row_count - 1, table.cursor_row + direction * step))
                table.move_cursor(row=row, animate=False)
        elif pane in ("body", "diff"):
            widget.scroll_relative(y=direction * step, animate=False)

    def _panes(self) -> list[Widget]:
        """The panes tab moves between: those of the layout on screen."""
        screen = self.screen
        panes: list[Widget] = []
        if self.state.view != "article":
            if screen.search_bar.is_open:
                panes.append(screen.search_bar.input)
            panes.append(screen.article_list)
        if self.state.view != "list":
            panes += [screen.body, screen.diff]
        return panes

    def cycle_pane(self, step: int) -> None:
        panes = self._panes()
        focused = self.screen.focused
        index = panes.index(focused) if focused in panes else -1
        panes[(index + step) % len(panes)].focus()


__all__ = ["LAYOUT_NAMES", "MIN_HEIGHT", "MIN_WIDTH", "SINGLE_PANE_BELOW", "WIDE_MIN_WIDTH", "PaneLayout"]
