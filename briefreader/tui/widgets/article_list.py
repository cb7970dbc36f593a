"""The article list: a virtual list that draws only the rows on screen.

Rows are never built as objects: ``show()`` just keeps the list of articles, and each visible line
is drawn from its article when the screen needs it (the triage mark included, so a bulk action is
one refresh). A DataTable kept ~13 objects per row: 10k rows took seconds to fill, and every
re-show (a search cleared, a sort) left ~130k objects for the garbage collector, whose full passes
then froze the UI for 100-200 ms while typing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefreader.core.inert import inert_line
from briefreader.core.model import Article
from briefreader.tui.render import fallback_title
from briefreader.core.dates import date_sort_key, display_date, has_year
from briefreader.tui.widgets.body_view import FrameStyle

SORT_KEYS: tuple[str, ...] = ("date", "outlet", "title", "status", "file", "story")
# Triage statuses from least to most in need of attention: the default (descending) order puts
# follow-ups first, then kept articles, new ones, read ones, and discarded ones last.
STATUS_RANK = {"discard": 0, "read": 1, "new": 2, "keep": 3, "follow-up": 4}


def sort_articles(articles: Iterable[Article], key: str, reverse: bool,
                  status_of: Callable[[str], str] | None = None) -> list[Article]:
    """Articles ordered by ``key`` (date, outlet, title, status or file); missing values always last.

    ``status_of(article_id)`` gives the triage status for the ``status`` key (all "new" without it);
    within one status, articles follow the date order.
    """
    items = list(articles)
    if key == "story":  # by date here; the reader then gathers each story's articles together
        key = "date"
    if key == "file":
        return sorted(items, key=lambda a: a.order, reverse=reverse)
    if key == "status":
        status = status_of or (lambda _id: "new")
        return sorted(items, key=lambda a: (STATUS_RANK.get(status(a.id), 2), date_sort_key(a.date), a.order),
                      reverse=reverse)

    def value(a: Article) -> str | None:
        if key == "date":
            return a.date
        if key == "outlet":
            return (a.outlet or "").casefold() or None
        return (a.title or "").casefold() or None

    present = [a for a in items if value(a)]
    missing = [a for a in items if not value(a)]
    if key == "date":  # dates without a year after every dated article, in either direction
        full = [a for a in present if has_year(a.date)]
        partial = [a for a in present if not has_year(a.date)]
        full.sort(key=lambda a: (date_sort_key(a.date), a.order), reverse=reverse)
        partial.sort(key=lambda a: (date_sort_key(a.date), a.order), reverse=reverse)
        return full + partial + sorted(missing, key=lambda a: a.order)
    present.sort(key=lambda a: (value(a), a.order), reverse=reverse)
    missing.sort(key=lambda a: a.order)
    return present + missing


def short_date(date: str | None, compact: bool) -> str:
    """The list's date cell: ISO date, or the short form of ``display_date`` for dates without a
    year ('day 17 ?', '17 Aug ?'); MM-DD when compact (the year is dropped for every row then, and
    an unknown month shows as ??: '??-17')."""
    date = date or ""
    if date and not has_year(date):
        if compact:
            parts = date.lstrip("-").split("-")
            if date.startswith("---") and len(parts) == 1:  # day only
                return f"??-{parts[0][:2]}"
            if len(parts) == 2:  # month and day
                return f"{parts[0][:2]}-{parts[1][:2]}"
        return display_date(date, short=True)
    if compact:
        return date[5:10] if len(date) >= 10 else date[:7]
    return date[:10]


def list_columns(width: int, *, compact: bool, outlet: bool, longest_outlet: int) -> list[tuple[str, int]]:
    """(name, width) of the list's columns in ``width`` cells: mark, date (MM-DD when ``compact``),
    outlet (when ``outlet``: as wide as ``longest_outlet`` if there is room, narrower before the
    title is), title (the rest)."""
    mark = ("", 3)
    date = ("Date", 5 if compact else 10)
    room = width - (mark[1] + 1) - (date[1] + 1)  # for outlet + space + title
    if not outlet or longest_outlet <= 0 or room < ArticleList.OUTLET_MIN + 1 + ArticleList.TITLE_MIN:
        return [mark, date, ("Title", max(1, room))]
    ideal = max(ArticleList.OUTLET_MIN, min(ArticleList.OUTLET_MAX, longest_outlet))
    share = max(ArticleList.OUTLET_MIN, int(room * ArticleList.OUTLET_SHARE))
    outlet_width = min(ideal, share, max(ArticleList.OUTLET_MIN, room - 1 - ArticleList.TITLE_MIN))
    return [mark, date, ("Outlet", outlet_width), ("Title", max(1, room - outlet_width - 1))]


class ArticleList(FrameStyle, ScrollView, can_focus=True):
    """Outlet, date, title and triage mark of each article; the cursor row is the open article."""

    DEFAULT_CSS = """
    ArticleList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    ArticleList > .article-list--header {
        color: $text;
        background: $panel;
        text-style: bold;
    }
    ArticleList > .article-list--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    ArticleList > .article-list--cursor-blurred {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    ArticleList > .article-list--fallback {
        color: $br-title-fallback;
        text-style: italic;
    }
    ArticleList > .article-list--mark {
        color: $br-triage-mark;
    }
    """
    COMPONENT_CLASSES = {
        "article-list--header", "article-list--cursor", "article-list--cursor-blurred",
        "article-list--fallback", "article-list--mark",
    }
    # Columns give way by priority, the title last: the date shortens to MM-DD first, the outlet
    # column narrows (it grows with room up to the longest outlet shown), and only in a very narrow
    # list does the outlet go.
    COMPACT_BELOW = 60  # narrower than this, dates are MM-DD (the title keeps the room)
    OUTLET_BELOW = 30  # narrower than this, the list shows the date and the title only
    TITLE_MIN = 14  # the title keeps at least this much before the outlet column gives way
    OUTLET_MIN, OUTLET_MAX = 6, 28
    OUTLET_SHARE = 0.3  # the outlet takes at most this share of the room left after mark and date

    class ArticleHighlighted(Message):
        """The cursor moved to an article (``None`` when the list is empty)."""

        def __init__(self, article_id: str | None) -> None:
            self.article_id = article_id
            super().__init__()

    class ArticleOpened(Message):
        """The user pressed enter (or clicked the cursor row) on an article."""

        def __init__(self, article_id: str) -> None:
            self.article_id = article_id
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: list[Article] = []
        self._ids: set[str] = set()
        self.cursor_row = 0
        self.mark_for: Callable[[str], str] = lambda _id: ""
        self.prefix_for: Callable[[str], str] = lambda _id: ""  # thread / story marker before the title
        self._titles: dict[str, str] = {}  # fallback titles made from bodies, by article id
        self._longest_outlet = 0  # cells of the longest outlet name shown (the outlet column's ideal width)

    # ------------------------------------------------------------------ contents

    @property
    def row_count(self) -> int:
        return len(self.shown)

    @property
    def filling(self) -> bool:
        """Kept for callers that wait for the list: rows are never filled in the background."""
        return False

    @property
    def compact(self) -> bool:
        return 0 < self.size.width < self.COMPACT_BELOW

    def has_row(self, article_id: str) -> bool:
        return article_id in self._ids

    def show(self, articles: list[Article], keep: str | None = None) -> None:
        """Replace the rows with ``articles``; keep the cursor on article ``keep`` if it is there."""
        self.shown = articles
        self._ids = {a.id for a in articles}
        self._longest_outlet = self._outlet_cells(articles)
        index = 0
        if keep is not None and keep in self._ids:
            index = next(i for i, a in enumerate(articles) if a.id == keep)
        self._update_size()
        self.cursor_row = index
        self._scroll_to_cursor(center=True)
        self.refresh()
        self.post_message(self.ArticleHighlighted(articles[index].id if articles else None))

    def append(self, articles: list[Article]) -> None:
        """Add rows at the end (while the corpus is still loading)."""
        was_empty = not self.shown
        fresh = [a for a in articles if a.id not in self._ids]
        self.shown = self.shown + fresh
        self._ids.update(a.id for a in fresh)
        self._longest_outlet = max(self._longest_outlet, self._outlet_cells(fresh))
        self._update_size()
        self.refresh()
        if was_empty and self.shown:
            self.cursor_row = 0
            self.post_message(self.ArticleHighlighted(self.shown[0].id))

    def _outlet_cells(self, articles: list[Article]) -> int:
        """Cells of the longest outlet name among ``articles`` (capped: a hostile name is long)."""
        longest = 0
        for article in articles:
            if article.outlet:
                cells = cell_len(inert_line(article.outlet[: self.OUTLET_MAX * 2]))
                longest = max(longest, min(self.OUTLET_MAX, cells))
                if longest >= self.OUTLET_MAX:
                    break
        return longest

    def refresh_marks(self) -> None:
        """Redraw the triage marks (they are read from ``mark_for`` as rows are drawn)."""
        self.refresh()

    def _update_size(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.shown) + 1)  # + the header line

    def on_resize(self, event: events.Resize) -> None:
        self._update_size()
        self._scroll_to_cursor()

    # ------------------------------------------------------------------ cursor

    @property
    def current_id(self) -> str | None:
        if not self.shown or not 0 <= self.cursor_row < len(self.shown):
            return None
        return self.shown[self.cursor_row].id

    def move_cursor(self, *, row: int, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on ``row`` (clamped) and say which article that is."""
        if not self.shown:
            return
        row = max(0, min(row, len(self.shown) - 1))
        changed = row != self.cursor_row
        self.cursor_row = row
        if scroll:
            self._scroll_to_cursor()
        self.refresh()
        if changed:
            self.post_message(self.ArticleHighlighted(self.shown[row].id))

    def select_id(self, article_id: str) -> bool:
        """Move the cursor to ``article_id``; False if it is not in the list."""
        if article_id not in self._ids:
            return False
        row = next(i for i, a in enumerate(self.shown) if a.id == article_id)
        self.move_cursor(row=row)
        return True

    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self, center: bool = False) -> None:
        visible = self._rows_visible()
        top = round(self.scroll_offset.y)
        if center and not top <= self.cursor_row < top + visible:
            top = self.cursor_row - visible // 2
        elif self.cursor_row < top:
            top = self.cursor_row
        elif self.cursor_row >= top + visible:
            top = self.cursor_row - visible + 1
        top = max(0, min(top, len(self.shown) - visible))
        if top != round(self.scroll_offset.y):
            self.scroll_to(y=top, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_scroll_home(self) -> None:
        """home: the first article (not just the top of the view)."""
        self.move_cursor(row=0)

    def action_scroll_end(self) -> None:
        """end: the last article."""
        self.move_cursor(row=len(self.shown) - 1)

    def action_select_cursor(self) -> None:
        if self.current_id is not None:
            self.post_message(self.ArticleOpened(self.current_id))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:  # the header
            return
        row = round(self.scroll_offset.y) + event.y - 1
        if not 0 <= row < len(self.shown):
            return
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row=row, scroll=False)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ------------------------------------------------------------------ drawing

    @property
    def shows_outlet(self) -> bool:
        return not 0 < self.size.width < self.OUTLET_BELOW

    def _columns(self) -> list[tuple[str, int]]:
        """(name, width) of each column, given way by priority (see OUTLET_BELOW): the title takes
        what is left, and always at least TITLE_MIN while the outlet column is there."""
        return list_columns(self.scrollable_content_region.width, compact=self.compact,
                            outlet=self.shows_outlet, longest_outlet=self._longest_outlet)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.base_style
        columns = self._columns()
        if y == 0:
            style = base + self.get_component_rich_style("article-list--header")
            return self._strip([(name, w, style) for name, w in columns], width, style)
        return self.row_strip(round(self.scroll_offset.y) + y - 1)

    def row_strip(self, row: int) -> Strip:
        """Row ``row`` of the list as drawn (a blank line past the end)."""
        width = self.scrollable_content_region.width
        base = self.base_style
        columns = self._columns()
        if not 0 <= row < len(self.shown):
            return Strip.blank(width, base)
        article = self.shown[row]
        if row == self.cursor_row:
            cursor = "article-list--cursor" if self.has_focus else "article-list--cursor-blurred"
            style = base + self.get_component_rich_style(cursor)
        else:
            style = base
        if article.title:
            title, title_style = article.title, style
        else:
            known = self._titles.get(article.id)
            if known is None:
                known = self._titles[article.id] = fallback_title(article)
            title = known
            title_style = style + self.get_component_rich_style("article-list--fallback", partial=True)
        prefix = self.prefix_for(article.id)
        if prefix:
            title = prefix + title
        mark_style = style + self.get_component_rich_style("article-list--mark", partial=True)
        cells = [(self.mark_for(article.id), columns[0][1], mark_style),
                 (short_date(article.date, self.compact), columns[1][1], style)]
        if len(columns) == 4:
            cells.append((article.outlet or "", columns[2][1], style))
        cells.append((title, columns[-1][1], title_style))
        return self._strip(cells, width, style)

    @staticmethod
    def _strip(cells: list[tuple[str, int, Style]], width: int, fill: Style) -> Strip:
        segments: list[Segment] = []
        for i, (text, cell_width, style) in enumerate(cells):
            text = inert_line(" ".join(text.split()) if "\n" in text or "\t" in text else text)
            if cell_len(text) > cell_width:
                text = set_cell_size(text, cell_width - 1) + "…" if cell_width > 1 else set_cell_size(text, cell_width)
            segments.append(Segment(set_cell_size(text, cell_width), style))
            if i < len(cells) - 1:
                segments.append(Segment(" ", fill))
        return Strip(segments).adjust_cell_length(width, fill)
