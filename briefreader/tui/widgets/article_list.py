"""The article list: a DataTable (renders only the visible rows, so 50k articles stay fast)."""

from __future__ import annotations

from typing import Callable, Iterable

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from briefreader.core.model import Article
from briefreader.tui.render import fallback_title

SORT_KEYS: tuple[str, ...] = ("date", "outlet", "title", "file")


def sort_articles(articles: Iterable[Article], key: str, reverse: bool) -> list[Article]:
    """Articles ordered by ``key`` (date, outlet, title or file); missing values always last."""
    items = list(articles)
    if key == "file":
        return sorted(items, key=lambda a: a.order, reverse=reverse)

    def value(a: Article) -> str | None:
        if key == "date":
            return a.date
        if key == "outlet":
            return (a.outlet or "").casefold() or None
        return (a.title or "").casefold() or None

    present = [a for a in items if value(a)]
    missing = [a for a in items if not value(a)]
    present.sort(key=lambda a: (value(a), a.order), reverse=reverse)
    missing.sort(key=lambda a: a.order)
    return present + missing


class ArticleList(DataTable):
    """Outlet, date, title and triage mark of each article; the cursor row is the open article."""

    DEFAULT_CSS = """
    ArticleList {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    ArticleList > .article-list--fallback {
        color: $br-title-fallback;
        text-style: italic;
    }
    ArticleList > .article-list--mark {
        color: $br-triage-mark;
    }
    """
    COMPONENT_CLASSES = {"article-list--fallback", "article-list--mark"}

    class ArticleHighlighted(Message):
        """The cursor moved to an article (``None`` when the list is empty)."""

        def __init__(self, article_id: str | None) -> None:
            self.article_id = article_id
            super().__init__()

    class ArticleOpened(Message):
        """The user pressed enter (or clicked) on an article."""

        def __init__(self, article_id: str) -> None:
            self.article_id = article_id
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, show_row_labels=False)
        self.shown: list[Article] = []
        self.mark_for: Callable[[str], str] = lambda _id: ""
        self._generation = 0
        self.compact = False

    COMPACT_BELOW = 46  # narrower than this, the list shows a short date and the title only

    def on_mount(self) -> None:
        self.compact = self.size.width < self.COMPACT_BELOW if self.size.width else False
        self._add_columns()

    def _add_columns(self) -> None:
        self.add_column("", width=3, key="mark")  # marked, status, annotated (briefreader.tui.triage)
        if self.compact:
            self.add_column("Date", width=5, key="date")
        else:
            self.add_column("Date", width=10, key="date")
            self.add_column("Outlet", width=14 if self.size.width >= 64 else 10, key="outlet")
        self.add_column("Title", width=160, key="title")

    def on_resize(self, event: object) -> None:
        compact = self.size.width < self.COMPACT_BELOW
        layout = (compact, self.size.width >= 64)
        if layout != getattr(self, "_layout", None):
            self._layout = layout
            self.compact = compact
            keep = self.current_id
            self.clear(columns=True)
            self._add_columns()
            if self.shown:
                self.show(self.shown, keep=keep)

    def _row(self, article: Article) -> tuple[object, ...]:
        if article.title:
            title: object = article.title
        else:
            title = Text(fallback_title(article), style=self.get_component_rich_style("article-list--fallback", partial=True))
        mark = self.mark_for(article.id)
        mark_cell = Text(mark, style=self.get_component_rich_style("article-list--mark", partial=True)) if mark else ""
        if self.compact:
            date = article.date or ""
            if date.startswith("---"):  # day only
                short = date[-5:]
            elif date.startswith("--"):  # month and day
                short = date[2:7]
            elif len(date) >= 10:
                short = date[5:10]
            else:
                short = date[:7]
            return (mark_cell, short, title)
        date = article.date or ""
        if date.startswith("---"):  # the text gives only the day of the month
            date = f"day {date[3:5]}"
        elif date.startswith("--"):  # month and day, no year
            date = date[2:7]
        return (mark_cell, date[:10], article.outlet or "", title)

    FIRST_ROWS = 200  # rows added before the first paint; the rest follow in chunks
    CHUNK_ROWS = 2000

    def show(self, articles: list[Article], keep: str | None = None) -> None:
        """Replace the rows with ``articles``; keep the cursor on article ``keep`` if it is there.

        The first rows are added at once and the rest in chunks after each refresh, so a 50k list
        paints at once and the UI never stalls while it fills.
        """
        self._generation += 1
        self.shown = articles
        self.clear()
        index = 0
        if keep is not None:
            for i, a in enumerate(articles):
                if a.id == keep:
                    index = i
                    break
        self._add_until(max(self.FIRST_ROWS, index + 100))
        if articles:
            self.move_cursor(row=index, animate=False, scroll=True)
        self.post_message(self.ArticleHighlighted(articles[index].id if articles else None))
        if self.row_count < len(self.shown):
            self.call_after_refresh(self._fill_more, self._generation)

    def _add_until(self, count: int) -> None:
        for a in self.shown[self.row_count: count]:
            self.add_row(*self._row(a), key=a.id)

    def _fill_more(self, generation: int) -> None:
        if generation != self._generation:
            return  # a newer show() replaced the rows
        self._add_until(self.row_count + self.CHUNK_ROWS)
        if self.row_count < len(self.shown):
            self.call_after_refresh(self._fill_more, generation)

    @property
    def filling(self) -> bool:
        """True while rows are still being added."""
        return self.row_count < len(self.shown)

    def append(self, articles: list[Article]) -> None:
        """Add rows at the end (while the corpus is still loading)."""
        was_empty = not self.shown
        fresh = [a for a in articles if a.id not in self.rows]
        self.shown = self.shown + fresh
        for a in fresh:
            self.add_row(*self._row(a), key=a.id)
        if was_empty and self.shown:
            self.move_cursor(row=0, animate=False)
            self.post_message(self.ArticleHighlighted(self.shown[0].id))

    def action_scroll_home(self) -> None:
        """home: the first article (not just the top of the view)."""
        if self.row_count:
            self.move_cursor(row=0, animate=False)

    def action_scroll_end(self) -> None:
        """end: the last article."""
        self._add_until(len(self.shown))
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)

    @property
    def current_id(self) -> str | None:
        if not self.shown or not 0 <= self.cursor_row < len(self.shown):
            return None
        return self.shown[self.cursor_row].id

    def select_id(self, article_id: str) -> bool:
        """Move the cursor to ``article_id``; False if it is not in the list."""
        for i, a in enumerate(self.shown):
            if a.id == article_id:
                self._add_until(i + 100)
                self.move_cursor(row=i, animate=False, scroll=True)
                return True
        return False

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value if event.row_key is not None else None
        self.post_message(self.ArticleHighlighted(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key is not None and event.row_key.value is not None:
            self.post_message(self.ArticleOpened(event.row_key.value))
