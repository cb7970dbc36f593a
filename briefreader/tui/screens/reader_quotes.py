"""Moving between quotations, their renderings in other outlets, and search hits, in the reader.

:class:`QuoteNavigator` changes the reader state's selection fields (quotation, compared rendering,
hit); the screen's watchers redraw the article and the diff pane.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefreader.tui.quote_model import QuoteCluster, QuoteData, QuoteMark
    from briefreader.tui.screens.reader import ReaderScreen


class QuoteNavigator:
    """Quotation, rendering and hit navigation of one reader screen."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.state = screen.state

    def set_data(self, data: QuoteData) -> None:
        """Use ``data`` for quote marks and diffs (from the analysis worker, or a test)."""
        from briefreader.tui.app import exempt_from_gc

        self.screen.quotes = data
        exempt_from_gc()
        clusters = sum(1 for c in data.clusters.values() if len(c.articles) > 1)
        self.state.current_quote = None
        self.state.compared = None
        self.state.quotes_state = f"quotes: {data.total}, {clusters} shared"
        self.screen.redraw_article()

    def article_quotes(self) -> list[QuoteMark]:
        """The quotations of the open article (none before the analysis is done)."""
        quotes, current = self.screen.quotes, self.state.current_id
        if quotes is None or current is None:
            return []
        return quotes.quotes_in(current)

    def selected_mark(self) -> QuoteMark | None:
        quotes = self.article_quotes()
        index = self.state.current_quote
        return quotes[index] if index is not None and index < len(quotes) else None

    def selected_cluster(self) -> QuoteCluster | None:
        """The group of the selected quotation (its renderings in every article), if any."""
        mark = self.selected_mark()
        if mark is None or self.screen.quotes is None:
            return None
        return self.screen.quotes.cluster_of(mark)

    def select(self, index: int | None, *, scroll: bool = True) -> None:
        """Select the article's quotation ``index`` (None: no quotation) and compare it with another outlet's."""
        quotes = self.article_quotes()
        if index is None or not quotes:
            self.state.current_quote = None
            self.state.compared = None
        else:
            index = max(0, min(index, len(quotes) - 1))
            self.state.current_quote = index
            self.state.compared = self._default_compared(quotes[index])
        self.screen.flush()
        current = self.state.current_quote
        if scroll and current is not None and not self.state.raw:
            self.screen.body.scroll_to_offset(quotes[current].start)

    def _default_compared(self, mark: QuoteMark) -> int | None:
        cluster = self.screen.quotes.cluster_of(mark) if self.screen.quotes else None
        if cluster is None or len(cluster.variants) < 2:
            return None
        for i, rendering in enumerate(cluster.variants):
            if rendering.article != mark.article_id:
                return i
        return None

    def _first_visible(self) -> int:
        body = self.screen.body
        top = body.scroll_offset.y
        for i, mark in enumerate(self.article_quotes()):
            if body.line_of(mark.start) >= top:
                return i
        return 0

    def step_quote(self, step: int) -> None:
        """] / [: the next or previous quotation of the article."""
        self.screen.show_article_pane()
        quotes = self.article_quotes()
        if not quotes:
            self.screen.notify("No quotations in this article.", timeout=2)
            return
        current = self.state.current_quote
        if current is None:
            self.select(self._first_visible() if step > 0 else len(quotes) - 1)
        elif 0 <= current + step < len(quotes):
            self.select(current + step)
        else:
            self.screen.notify("Last quotation in this article." if step > 0 else "First quotation in this article.",
                               timeout=2)

    def focus_diff(self) -> None:
        self.screen.show_article_pane()
        if self.state.current_quote is None and self.article_quotes():
            self.select(self._first_visible())
        self.screen.diff.focus()

    def cycle_compared(self, step: int) -> None:
        """c / C: compare the next or previous rendering of the selected quotation."""
        mark, cluster = self.selected_mark(), self.selected_cluster()
        if mark is None:
            return
        if cluster is None or len(cluster.variants) < 2:
            self.screen.notify("No other rendering of this quotation.", timeout=2)
            return
        others = [i for i, r in enumerate(cluster.variants)
                  if not (r.article == mark.article_id and r.start == mark.start)]
        if not others:
            return
        compared = self.state.compared
        if compared not in others:
            self.state.compared = others[0]
        else:
            self.state.compared = others[(others.index(compared) + step) % len(others)]

    def rendering_clicked(self, index: int) -> None:
        """A click on another outlet's rendering compares it; a second click opens it there."""
        cluster = self.selected_cluster()
        if cluster is None or not 0 <= index < len(cluster.variants):
            return
        if index == self.state.compared:
            self.jump_to_compared()
            return
        self.state.compared = index

    def jump_to_compared(self) -> None:
        """x: open the compared rendering's article at that quotation."""
        cluster, compared = self.selected_cluster(), self.state.compared
        if cluster is None or compared is None:
            if self.state.current_quote is None or compared is None:
                self.screen.notify("Select a quotation with variants first.", timeout=2)
            return
        target = cluster.variants[compared]
        self._open_at(target.article, lambda marks: next(
            (i for i, q in enumerate(marks) if q.start == target.start),
            next((i for i, q in enumerate(marks) if q.cluster_id == cluster.id), None)))

    def _open_at(self, article_id: str, choose: Callable[[list[QuoteMark]], int | None]) -> None:
        """Open ``article_id`` (clearing the search if the list does not hold it) at the quotation ``choose`` picks."""
        self.screen.go_to_article(article_id)
        self.state.select_article(article_id)
        self.screen.flush()
        self.select(choose(self.article_quotes()))

    def next_altered(self) -> None:
        """M: the next quotation whose group has altered words (a misquote), here or in a later article."""
        quotes = self.screen.quotes
        if quotes is None:
            self.screen.notify("Quotations are still being analysed.", timeout=2)
            return
        order = list(quotes.by_article)
        current = self.state.current_id
        here = order.index(current) if current in order else -1
        after = self.state.current_quote if self.state.current_quote is not None else -1
        for step in range(len(order) + 1):
            if here < 0 and not step:
                continue
            article_id = order[(here + step) % len(order)]
            for i, mark in enumerate(quotes.quotes_in(article_id)):
                if step == 0 and i <= after:
                    continue
                cluster = quotes.cluster_of(mark)
                if cluster is not None and cluster.altered:
                    if article_id != current:
                        self._open_at(article_id, _constant(i))
                    else:
                        self.state.current_quote = None
                        self.select(i)
                    return
        self.screen.notify("No quotation with altered words.", timeout=2)

    def step_hit(self, step: int) -> None:
        """n / N: the next or previous search hit in the article."""
        self.screen.show_article_pane()
        hits = self.state.hits
        if not hits:
            self.screen.notify("No search hits in this article.", timeout=2)
            return
        current = self.state.current_hit
        first = 0 if step > 0 else len(hits) - 1
        current = first if current is None else (current + step) % len(hits)
        self.state.current_hit = current
        self.screen.flush()
        self.screen.body.scroll_to_offset(hits[current][0])


def _constant(index: int) -> Callable[[list[QuoteMark]], int | None]:
    def choose(_marks: list[QuoteMark]) -> int | None:
        return index
    return choose


__all__ = ["QuoteNavigator"]
