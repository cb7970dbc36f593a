"""Drawing the reader screen: the status line, the article with its marks, the diff pane.

:class:`ReaderRenderer` draws from the screen's state; the screen calls it from its watchers (see
:meth:`briefreader.tui.screens.reader.ReaderScreen.flush`), never the other code.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from textual.widgets import Static

from briefreader.tui.plain import PlainStatic
from briefreader.tui.reader_state import ReaderState

if TYPE_CHECKING:
    from briefreader.core.model import Article
    from briefreader.tui.screens.reader import ReaderScreen

log = logging.getLogger(__name__)

RELEVANCE = "relevance"  # the order of search results as the index ranks them


class StatusLine(PlainStatic):
    """Corpus size, index state, quote analysis, sort and filter, in one line."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """


class ReaderRenderer:
    """Draws the reader screen's status line, article and diff pane from its state."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self._shown_key: tuple[str, bool, bool] | None = None  # the article drawn (id, raw, copy changes)
        self._hits_key: tuple[str, str] | None = None  # (article, query) the hits were computed for
        self._binding_state: tuple[bool, ...] = ()

    def forget_hits(self) -> None:
        """The hits are computed again (and the hit cursor reset) at the next drawing."""
        self._hits_key = None

    def status(self) -> None:
        """Draw the status line and the list count."""
        state = self.screen.state
        parts = [state.load_state]
        if self.screen.corpus is not None and self.screen.corpus.warnings:
            parts.append(f"{len(self.screen.corpus.warnings)} warning(s) ({self.screen.keys_for('warnings')})")
        # what the list shows (sort, filter) and the article's triage state first: at 80 columns the
        # line is cut, and the background work (index, quotes, copies) matters less once done
        arrow = "↓" if state.sort_reverse else "↑"
        parts.append(f"sort: {RELEVANCE}" if state.by_relevance else f"sort: {state.sort_key} {arrow}")
        shown = len(self.screen.article_list.shown)
        if state.search_query:
            more = f" (first {shown})" if state.search_total > shown else ""
            parts.append(f'filter: "{state.search_query}" {state.search_total} result(s){more}')
        if state.raw:
            parts.append("RAW view")
        if state.triage_state_text:
            parts.append(state.triage_state_text)
        parts.append(state.index_state)
        parts.append(state.quotes_state)
        if state.copies_state:
            parts.append(state.copies_state)
        self.screen.query_one(StatusLine).update(" │ ".join(parts), layout=False)
        count = self.screen.query_one("#list-count", Static)
        total = len(self.screen.lists.all_articles)
        if state.search_query:
            count.update(f" {shown}/{state.search_total} results · {total} articles", layout=False)
        else:
            count.update(f" {total} article{'s' if total != 1 else ''}", layout=False)

    def article(self) -> None:
        """Show the current article with its marks, and the diff pane for its selected quotation."""
        state = self.screen.state
        article = self.screen.current_article()
        view = self.screen.article_view
        if article is None:
            self._shown_key = None
            if self.screen.corpus is not None and self.screen.lists.all_articles and state.search_query:
                view.show_empty("No article matches the search. Esc clears it.")
            self.diff()
            return
        self._update_hits(article)
        key = (article.id, state.raw, state.copy_changes)
        keep_scroll, self._shown_key = key == self._shown_key, key
        copy = self.screen.copies.copy_info(article.id) if state.copy_changes and not state.raw else None
        original = self.screen.article(copy[0].original) if copy is not None else None
        if copy is not None and original is not None:
            from briefreader.core.copies import copy_changes

            view.show_copy_changes(article, original, copy[1].summary(), copy_changes(article, copy[1]),
                                   keep_scroll=keep_scroll)
        else:
            quotes = self.screen.article_quotes()
            flags = [self.screen.quotes.has_variants(q) for q in quotes] if self.screen.quotes else []
            hits, current_hit = list(state.hits), state.current_hit
            label = ""
            if hits:
                label = f"hit {current_hit + 1}/{len(hits)}" if current_hit is not None else f"{len(hits)} hits (n/N)"
            view.show(article, raw=state.raw, quotes=quotes, variant_flags=flags, current_quote=state.current_quote,
                      hits=hits, current_hit=current_hit, hit_label=label, keep_scroll=keep_scroll)
        self.refresh_note()
        if copy is None or original is None:
            self.screen.triage.highlighting.decorate(article, self.screen.body)
        self.diff()

    def _update_hits(self, article: Article) -> None:
        """The search words' spans in ``article`` (recomputed when the article or the query changed)."""
        key = (article.id, self.screen.state.search_query)
        if key == self._hits_key:
            return
        self._hits_key = key
        self.screen.state.set_reactive(ReaderState.hits, tuple(self.compute_hits(article)))
        self.screen.state.set_reactive(ReaderState.current_hit, None)

    def compute_hits(self, article: Article) -> list[tuple[int, int]]:
        """Where the search words occur in ``article`` (no words, no index: none). A failure is logged
        and said once in the search bar: the marks are missing, the reader goes on."""
        text = self.screen.triage.text_query(self.screen.state.search_query)  # without status:/tag: filters
        if not text or self.screen.searcher is None:
            return []
        try:
            return self.screen.services.match_spans(self.screen.searcher, article, text)
        except Exception as exc:
            log.exception("marking the hits of %r in %s failed", text, article.id)
            self.screen.search_bar.set_message(f"Hits not marked in this article ({type(exc).__name__}: {exc})",
                                               error=True)
            return []

    def refresh_note(self) -> None:
        """Show the open article's note under its header (or hide the note line)."""
        if not self.screen.has_main_ui():
            return
        current = self.screen.state.current_id
        note = self.screen.triage.state_of(current).note if current else ""
        self.screen.article_view.show_note(note or "")

    def diff(self) -> None:
        """Draw the diff pane for the selected quotation (or say why there is none)."""
        self._refresh_bindings_if_changed()
        diff, state = self.screen.diff, self.screen.state
        if self.screen.corpus is None:
            return
        if self.screen.quotes is None:
            diff.show_message(state.quotes_state)
            return
        quotes = self.screen.article_quotes()
        if not quotes:
            diff.show_message("No quotations in this article.")
            return
        if state.current_quote is None:
            shared = sum(1 for q in quotes if self.screen.quotes.has_variants(q))
            keys_for = self.screen.keys_for
            diff.show_message(
                f"{len(quotes)} quotation(s) here, {shared} rendered by other outlets too.\n"
                f"{keys_for('next_quote')} / {keys_for('previous_quote')}: go to a quotation; "
                f"{keys_for('focus_diff')}: focus this pane."
            )
            return
        mark = quotes[state.current_quote]
        diff.show_quote(mark, state.current_quote, len(quotes), self.screen.quotes.cluster_of(mark), state.compared,
                        ignore_case=True, ignore_punct=state.diff_ignore_punct,
                        original_of=self.screen.copies.original_of if self.screen.copies.ready else None)

    def _refresh_bindings_if_changed(self) -> None:
        """Which keys apply (shown in the footer) depends on what is selected; redrawing the
        footer is costly, so only when that changes."""
        state, current, copies = self.screen.state, self.screen.state.current_id, self.screen.copies
        binding_state = (bool(state.hits), bool(self.screen.article_quotes()), state.raw, state.compared is not None,
                         copies.group_of(current) is not None, copies.copy_info(current) is not None)
        if binding_state != self._binding_state:
            self._binding_state = binding_state
            self.screen.refresh_bindings()


__all__ = ["RELEVANCE", "ReaderRenderer", "StatusLine"]
