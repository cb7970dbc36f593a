"""What the reader's article list holds: the corpus in the sort order, or the search results, threaded
by copy group and story; rows streamed in while the corpus loads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from briefreader.tui.widgets.article_list import SORT_KEYS, sort_articles

if TYPE_CHECKING:
    from briefreader.core.copies import CopyAnalysis
    from briefreader.core.model import Article
    from briefreader.tui.messages import SearchDone, SearchFailed
    from briefreader.tui.screens.reader import ReaderScreen

STREAM_FLUSH_SECONDS = 0.25  # while loading, new rows join the list at most this often
STREAM_ROWS_PER_FLUSH = 400


class ListContents:
    """The rows of the reader screen's list and how they are ordered (the state's sort fields)."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.state = screen.state
        self.all_articles: list[Article] = []  # the corpus, in the list's order
        self.search_articles: list[Article] = []  # the search results in the list, before threading
        self.provisional: dict[str, Article] = {}  # rows streamed in before the corpus is complete
        self._stream_buffer: list[Article] = []
        self._stream_flush_pending = False

    # ------------------------------------------------------------------ ordering

    def sorted_articles(self, articles: Iterable[Article]) -> list[Article]:
        """``articles`` in the list's order (the sort key and direction in effect)."""
        triage = self.screen.triage
        return sort_articles(articles, self.state.sort_key, self.state.sort_reverse,
                             status_of=lambda aid: triage.state_of(aid).status)

    def search_rows(self) -> list[Article]:
        """The search results in the list's order: by relevance, or by the sort key chosen with s."""
        if self.state.search_by_relevance:
            return list(self.search_articles)
        return self.sorted_articles(self.search_articles)

    def listed(self) -> list[Article]:
        """Every article the list holds (folded copies included), in list order."""
        return self.search_rows() if self.state.search_query else self.all_articles

    def show(self, articles: list[Article], keep: str | None = None) -> None:
        """Show ``articles`` (sorted) in the list, threaded by copy group and story when known; a
        folded copy to keep the cursor on gives way to its original."""
        copies = self.screen.copies
        rows = copies.rows(articles, by_story=self.state.by_story)
        group = copies.group_of(keep)
        if keep is not None and group is not None and keep not in {a.id for a in rows}:
            keep = group.original
        self.screen.article_list.show(rows, keep=keep)

    def relist(self, keep: str | None) -> None:
        """Show the list again (after folding, new copy data), the cursor on ``keep``."""
        self.show(self.listed(), keep=keep)
        self.state.copies_state = self.screen.copies.status_part()

    def resort(self) -> None:
        """Apply the state's sort to the list, keeping the cursor on the current article."""
        self.all_articles = self.sorted_articles(self.all_articles)
        table = self.screen.article_list
        current = self.state.current_id
        if self.state.search_query:
            self.show(self.search_rows() if self.search_articles else self.sorted_articles(table.shown), keep=current)
        else:
            self.show(self.all_articles, keep=current)

    def next_sort(self) -> None:
        """s: the next sort key; with search results, relevance is one more key in the cycle."""
        state = self.state
        if state.by_relevance:
            state.search_by_relevance = False
            state.sort_key = SORT_KEYS[0]
        elif state.search_query and state.sort_key == SORT_KEYS[-1]:
            state.search_by_relevance = True
        else:
            state.sort_key = SORT_KEYS[(SORT_KEYS.index(state.sort_key) + 1) % len(SORT_KEYS)]
        self.resort()

    # ------------------------------------------------------------------ search results

    def show_results(self, articles: list[Article]) -> bool:
        """Put the search results in the list; False when they are the ones already shown."""
        if [a.id for a in articles] == [a.id for a in self.search_articles]:
            return False
        self.search_articles = articles
        self.show(self.search_rows(), keep=self.state.current_id)
        return True

    def clear_results(self) -> None:
        """Back to the full list (the state's query was just cleared)."""
        self.search_articles = []
        self.show(self.all_articles, keep=self.state.current_id)

    # ------------------------------------------------------------------ copies and stories

    def set_copy_data(self, analysis: CopyAnalysis) -> None:
        """Use ``analysis`` for copy threads, copy views and story mode (from the worker, or a test)."""
        screen, copies = self.screen, self.screen.copies
        copies.analysis = analysis
        self.state.copies_state = copies.status_part()
        table = screen.article_list
        table.prefix_for = copies.prefix
        articles = self.listed()
        rows = copies.rows(articles, by_story=self.state.by_story)
        if [a.id for a in rows] != [a.id for a in table.shown]:  # else nothing moves: no redraw, no jump
            self.show(articles, keep=table.current_id or self.state.current_id)
        else:
            table.refresh()
        screen.redraw_article()

    def fold_group(self) -> None:
        """z: fold or unfold the copy group under the cursor."""
        copies = self.screen.copies
        if not copies.ready:
            self.screen.notify("Copies are still being found.", timeout=2)
            return
        original = copies.toggle_group(self.screen.cursor_id())
        if original is None:
            self.screen.notify("This article is in no copy group.", timeout=2)
            return
        self.relist(keep=original)

    def fold_all(self) -> None:
        """Z: fold or unfold every copy group."""
        if not self.screen.copies.ready:
            self.screen.notify("Copies are still being found.", timeout=2)
            return
        self.screen.copies.toggle_all()
        self.relist(keep=self.state.current_id)

    def mark_group(self) -> None:
        """y: mark the copy group under the cursor (original and copies)."""
        group = self.screen.copies.group_of(self.screen.cursor_id())
        if group is None:
            self.screen.notify("This article is in no copy group.", timeout=2)
            return
        self.screen.triage.mark_ids(group.members, f"the copy group (1 original + {len(group.copies)} copies)")

    def move_new(self, step: int) -> None:
        """Move the list cursor to the next (``step`` 1) or previous (-1) new, unread article, going
        round the end of the list once (newsboat's n/p; n is the search hit key here)."""
        screen = self.screen
        table = screen.article_list
        if not table.row_count or not screen.triage.ready():  # without the triage state every article is new
            return
        count = table.row_count
        for distance in range(1, count + 1):
            row = (table.cursor_row + step * distance) % count
            if screen.triage.state_of(table.shown[row].id).status == "new":
                wrapped = (row <= table.cursor_row) if step > 0 else (row >= table.cursor_row)
                table.move_cursor(row=row)
                if wrapped:
                    screen.notify("Went round the list: " + ("back at the top." if step > 0 else "from the bottom."),
                                  timeout=2)
                return
        folded = " (folded copies are not counted)" if screen.copies.ready else ""
        screen.notify(f"No new article in the list{folded}.", timeout=2)

    # ------------------------------------------------------------------ streaming while loading

    def stream(self, articles: list[Article]) -> None:
        """Rows read so far (the corpus is still loading): shown a few times a second."""
        for article in articles:
            self.provisional[article.id] = article
        self._stream_buffer.extend(articles)
        if not self.screen.article_list.shown:
            self._flush_stream()  # the first rows at once
        elif not self._stream_flush_pending:
            self._stream_flush_pending = True
            self.screen.set_timer(STREAM_FLUSH_SECONDS, self._flush_stream)

    def _flush_stream(self) -> None:
        self._stream_flush_pending = False
        if self.screen.corpus is not None or not self._stream_buffer or not self.screen.has_main_ui():
            self._stream_buffer = []
            return
        # a bounded number of rows per flush keeps the UI responsive (a cached 10k corpus streams
        # everything at once; the final corpus then replaces the provisional rows anyway)
        batch = self._stream_buffer[:STREAM_ROWS_PER_FLUSH]
        self._stream_buffer = self._stream_buffer[STREAM_ROWS_PER_FLUSH:]
        if self._stream_buffer:
            self._stream_flush_pending = True
            self.screen.set_timer(STREAM_FLUSH_SECONDS, self._flush_stream)
        table = self.screen.article_list
        first = not table.shown
        table.append(batch)
        if first:
            self.state.current_id = None
        self.screen.status_changed()  # the list count

    def loaded(self, articles: list[Article]) -> None:
        """The corpus is complete: it replaces the streamed rows."""
        self.provisional, self._stream_buffer = {}, []
        self.all_articles = self.sorted_articles(articles)
        table = self.screen.article_list
        # keep the article the user moved to while the list was filling; else start at the top
        keep = self.state.current_id if table.shown and table.cursor_row > 0 else None
        self.show(self.all_articles, keep=keep)


class SearchFlow:
    """The search bar and its results in the list: start a search, take its answer, clear it."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.state = screen.state

    def run(self, query: str) -> None:
        """Search for ``query`` in a worker (a newer keystroke cancels an older search)."""
        screen = self.screen
        if screen.searcher is None and not screen.triage.filter_only(query):
            screen.search_bar.set_message(f"Search starts when the index is ready ({self.state.index_state}).")
            return
        screen.work.search(query)

    def open_with(self, query: str) -> None:
        """Open the search bar with ``query`` in it (its results come like a typed search's)."""
        bar = self.screen.search_bar
        bar.open()
        bar.input.value = query
        self.screen.article_list.focus()

    def done(self, event: SearchDone) -> None:
        """A search's results: shown unless the user has typed on."""
        screen, bar = self.screen, self.screen.search_bar
        corpus = screen.corpus
        if event.query.strip() != bar.value.strip() or corpus is None:
            return  # a stale answer: the user has typed on
        screen.last_search_seconds = event.seconds
        results = event.results
        articles = [a for a in (corpus.get(hit.id) for hit in results.hits) if a is not None]
        self.state.search_query = event.query.strip()
        self.state.search_total = results.total
        screen.lists.show_results(articles)  # the same results (a longer prefix, often): only the hits change
        more = f" (first {len(articles)})" if results.total > len(articles) else ""
        bar.set_message(f"{results.total} result(s){more} · {event.seconds * 1000:.0f} ms")
        screen.status_changed()  # the list count
        screen.hits_changed()  # the hits of the new query

    def failed(self, event: SearchFailed) -> None:
        bar = self.screen.search_bar
        if event.query.strip() == bar.value.strip():
            bar.set_message(event.message, error=True)

    def clear(self, *, close: bool) -> None:
        """Back to the full list, keeping the cursor on the current article."""
        screen, bar = self.screen, self.screen.search_bar
        if close:
            bar.close()
            screen.article_list.focus()
        else:
            bar.set_message("")
        screen.work.cancel_search()
        had_filter = bool(self.state.search_query)
        self.state.search_query = ""
        self.state.search_total = 0
        self.state.search_by_relevance = True  # the next search starts in the index's order again
        if had_filter:
            screen.lists.clear_results()
        else:
            screen.lists.search_articles = []


__all__ = ["STREAM_FLUSH_SECONDS", "STREAM_ROWS_PER_FLUSH", "ListContents", "SearchFlow"]
