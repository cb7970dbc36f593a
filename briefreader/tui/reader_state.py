"""What the reader shows, as one object of reactive fields.

:class:`ReaderState` is the single place the reader screen keeps what it shows: the open article,
its selected quotation, hit and compared rendering, the query in the list, the sort, the raw view,
the layout, the marked set and the status of the background work. The screen watches these fields
(``watch(state, name, callback)``) and redraws what depends on them, so no code calls the status
line or the article view by hand after changing one. Textual's reactives need a DOM node to live on;
this node is never mounted: it only carries the fields and calls the watchers (synchronously, on the
thread that sets a field: always the UI thread).
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.reactive import var

#: the fields whose change alters the status line or the list count
STATUS_FIELDS = ("current_id", "search_query", "search_total", "sort_key", "sort_reverse", "search_by_relevance",
                 "raw", "marked", "load_state", "index_state", "quotes_state", "copies_state", "triage_state_text")
#: the fields whose change redraws the article (and the diff pane beside it)
ARTICLE_FIELDS = ("current_id", "current_quote", "current_hit", "hits", "raw", "copy_changes")
#: the fields that redraw the diff pane only
DIFF_FIELDS = ("compared", "diff_ignore_punct", "quotes_state")


class ReaderState(DOMNode):
    """The reader's state; every field is reactive (watched by the reader screen)."""

    current_id: var[str | None] = var(None)  # the article shown (follows the list cursor)
    current_quote: var[int | None] = var(None)  # index of the selected quotation in the article
    compared: var[int | None] = var(None)  # the rendering of that quotation's group compared with it
    hits: var[tuple[tuple[int, int], ...]] = var(())  # search-word spans in the article's body
    current_hit: var[int | None] = var(None)
    search_query: var[str] = var("")  # the query whose results are in the list ("" = full list)
    search_total: var[int] = var(0)
    sort_key: var[str] = var("date")
    sort_reverse: var[bool] = var(True)
    search_by_relevance: var[bool] = var(True)  # search results in the index's order (s switches to sort keys)
    raw: var[bool] = var(False)
    copy_changes: var[bool] = var(True)  # a copy opens on its changes against the original; f: full text
    diff_ignore_punct: var[bool] = var(False)
    view: var[str] = var("panes")  # what is on screen: "list", "panes" or "article"
    marked: var[tuple[str, ...]] = var(())  # the marked set, in marking order
    load_state: var[str] = var("loading…")
    index_state: var[str] = var("index: waiting for the corpus")
    quotes_state: var[str] = var("quotes: waiting for the corpus")
    copies_state: var[str] = var("")
    triage_state_text: var[str] = var("")  # the triage part of the status line (article state, store)

    @property
    def by_relevance(self) -> bool:
        """True while search results are listed in the index's order (not by a sort key)."""
        return bool(self.search_query) and self.search_by_relevance

    @property
    def by_story(self) -> bool:
        """True while the list is threaded by story (the story sort, not relevance)."""
        return self.sort_key == "story" and not self.by_relevance

    def select_article(self, article_id: str | None) -> None:
        """Show ``article_id`` with no quotation, hit or rendering selected."""
        self.current_quote = None
        self.compared = None
        self.current_hit = None
        self.current_id = article_id

    def is_marked(self, article_id: str) -> bool:
        return article_id in self._marked_set()

    def _marked_set(self) -> frozenset[str]:
        cached = getattr(self, "_marked_cache", None)
        if cached is None or cached[0] is not self.marked:
            cached = (self.marked, frozenset(self.marked))
            self._marked_cache = cached
        return cached[1]


__all__ = ["ARTICLE_FIELDS", "DIFF_FIELDS", "STATUS_FIELDS", "ReaderState"]
