"""The reader screen: the article list (left), the article (centre) and the quote diff (right on wide
terminals, below the article on narrow ones), a status line and the footer.

The screen composes the widgets and owns one :class:`briefreader.tui.reader_state.ReaderState`; its
watchers redraw the status line, the article and the diff pane when the fields they show change
(several changes in one handler make one redraw, at the end of the handler, or at once through
:meth:`ReaderScreen.flush` when an action must scroll to what it just drew). Loading, indexing,
searching and analysis run in workers (:mod:`.reader_work`); triage is a controller object
(:class:`briefreader.tui.triage.controller.TriageController`) the screen calls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from briefreader.tui import messages as msg
from briefreader.tui.commands import APP, COMMANDS
from briefreader.tui.copies_view import CopiesView
from briefreader.tui.plain import PlainStatic
from briefreader.tui.reader_state import ARTICLE_FIELDS, DIFF_FIELDS, STATUS_FIELDS, ReaderState
from briefreader.tui.screens.reader_layout import PaneLayout
from briefreader.tui.screens.reader_lists import ListContents, SearchFlow
from briefreader.tui.screens.reader_quotes import QuoteNavigator
from briefreader.tui.screens.reader_render import ReaderRenderer, StatusLine
from briefreader.tui.screens.reader_work import INDEX_RETRY_SECONDS, BackgroundWork
from briefreader.tui.services import ReaderServices
from briefreader.tui.triage.controller import TriageController, TriageDone, TriageFailed, TriageOpened
from briefreader.tui.triage.visual import VisualBar
from briefreader.tui.widgets.article_list import ArticleList
from briefreader.tui.widgets.article_view import ArticleView
from briefreader.tui.widgets.body_view import BodyView
from briefreader.tui.widgets.quote_diff import QuoteDiff
from briefreader.tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from briefreader.core.model import Article
    from briefreader.tui.quote_model import QuoteCluster, QuoteData, QuoteMark
    from briefreader.workspace import Corpus, CorpusIndex, SearchSession

log = logging.getLogger(__name__)

class TooSmall(PlainStatic):
    DEFAULT_CSS = """
    TooSmall { display: none; width: 1fr; height: 1fr; content-align: center middle; text-align: center; }
    """


class ReaderScreen(Screen[None]):
    """The reader on one corpus folder (the app's default screen)."""

    # every reader command (see briefreader.tui.commands) but the palette's, which the app binds
    BINDINGS: ClassVar[list[BindingType]] = [
        c.binding() for c in COMMANDS if c.scope == APP and c.id != "command_palette"]

    def __init__(self, services: ReaderServices, layouts: dict[str, str], *, keys_for: Callable[[str], str],
                 keymap: dict[str, str], config_folder: Path | None) -> None:
        super().__init__()
        self.services = services
        self.keys_for = keys_for  # a command's keys as the user sees them (after their keymap)
        self.keymap = keymap
        self.config_folder = config_folder
        self.state = ReaderState()
        self.corpus: Corpus | None = None
        self.index: CorpusIndex | None = None
        self.searcher: SearchSession | None = None
        self.quotes: QuoteData | None = None
        self.copies = CopiesView()
        self.load_seconds: float | None = None
        self.last_search_seconds: float | None = None
        self.lists = ListContents(self)
        self.panes = PaneLayout(self, layouts)
        self.navigator = QuoteNavigator(self)
        self.work = BackgroundWork(self)
        self.search = SearchFlow(self)
        self.triage = TriageController(self, services)
        self._dirty: set[str] = set()
        self.renderer = ReaderRenderer(self)

    # ------------------------------------------------------------------ widgets

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield SearchBar(id="search")
                yield ArticleList(id="articles")
                yield PlainStatic("", id="list-count")
            with Container(id="right"):
                yield ArticleView(id="article")
                yield QuoteDiff(id="diff")
        yield TooSmall(id="too-small")
        yield StatusLine("", id="status")
        yield Footer()

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def body(self) -> BodyView:
        return self.query_one(BodyView)

    @property
    def diff(self) -> QuoteDiff:
        return self.query_one(QuoteDiff)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def too_small(self) -> TooSmall:
        return self.query_one(TooSmall)

    def has_main_ui(self) -> bool:
        """False while the app is shutting down (late worker messages must not touch the screen)."""
        return not self.app._exit and self.is_attached and bool(self.query(ArticleView))

    def on_mount(self) -> None:
        for name in STATUS_FIELDS:
            self.watch(self.state, name, self._status_field_changed, init=False)
        for name in ARTICLE_FIELDS:
            self.watch(self.state, name, self._article_field_changed, init=False)
        for name in DIFF_FIELDS:
            self.watch(self.state, name, self._diff_field_changed, init=False)
        self.watch(self.state, "marked", self._marked_changed, init=False)
        self.watch(self.state, "current_id", self._current_changed, init=False)
        self.article_list.mark_for = self.triage.mark_for
        self.triage.highlighting.bar()  # mounted now, so v can focus it at once
        self.panes.apply_size(self.app.size.width, self.app.size.height)
        self.article_view.show_empty(f"Loading {self.services.root} …")
        self.diff.show_message("Waiting for the corpus.")
        if self.state.view == "article":
            self.body.focus()
        else:
            self.article_list.focus()
        self.status_changed()
        # The load and the triage store start once the screen is painted: their threads would take
        # the GIL from the first paint (50k cached articles: ~0.05 s of CPU before the first frame).
        self.call_after_refresh(self._start_work)

    def _start_work(self) -> None:
        """Read the corpus and open the triage store (in worker threads)."""
        self.work.load_corpus()
        self.triage.start()

    def on_resize(self, event: events.Resize) -> None:
        self.panes.apply_size(event.size.width, event.size.height)

    # ------------------------------------------------------------------ redrawing (the state's watchers)

    def _status_field_changed(self) -> None:
        self._mark_dirty("status")

    def _article_field_changed(self) -> None:
        self._mark_dirty("article")

    def hits_changed(self) -> None:
        """The query changed: the article's hits are marked again."""
        self._mark_dirty("article")

    def _diff_field_changed(self) -> None:
        self._mark_dirty("diff")

    def _marked_changed(self) -> None:
        self.refresh_marks()
        self.triage.refresh_status()

    def _current_changed(self) -> None:
        self.triage.refresh_status()

    def status_changed(self) -> None:
        """Something the status line shows but the state does not hold changed (the list count)."""
        self._mark_dirty("status")

    def _mark_dirty(self, part: str) -> None:
        if not self._dirty:
            self.call_next(self.flush)
        self._dirty.add(part)

    def flush(self) -> None:
        """Redraw now what changed since the last redraw (the watchers otherwise redraw after the handler)."""
        dirty, self._dirty = self._dirty, set()
        if not dirty or not self.has_main_ui():
            return
        if "article" in dirty:
            self.renderer.article()
        elif "diff" in dirty:
            self.renderer.diff()
        if "status" in dirty:
            self.renderer.status()

    def redraw_article(self) -> None:
        """Draw the article again at once (new data for it: quotes, copies, highlights, the theme)."""
        self._dirty.add("article")
        self.flush()

    def refresh_note(self) -> None:
        """Show the open article's note under its header."""
        self.renderer.refresh_note()

    def refresh_marks(self) -> None:
        """Redraw the list's mark column (each visible row's mark comes from the triage controller)."""
        if self.has_main_ui():
            self.article_list.refresh_marks()

    def rerender_all(self) -> None:
        """Same content, new colours (the theme changed)."""
        self.article_list.show(self.article_list.shown, keep=self.state.current_id)
        self.redraw_article()
        self.diff.rerender()

    # ------------------------------------------------------------------ what the reader shows

    def article(self, article_id: str) -> Article | None:
        """The article ``article_id`` (while loading: a provisional one, streamed in)."""
        if self.corpus is None:
            return self.lists.provisional.get(article_id)
        return self.corpus.get(article_id)

    def current_article(self) -> Article | None:
        current = self.state.current_id
        return self.article(current) if current is not None else None

    def article_quotes(self) -> list[QuoteMark]:
        return self.navigator.article_quotes()

    def selected_cluster(self) -> QuoteCluster | None:
        return self.navigator.selected_cluster()

    def cursor_id(self) -> str | None:
        """The article under the list's cursor (the body may not have caught up with a fast typist)."""
        return self.article_list.current_id or self.state.current_id

    def listed_ids(self) -> list[str]:
        """Every article the list holds, folded copies included, in list order."""
        return [a.id for a in self.lists.listed()]

    def go_to_article(self, article_id: str) -> None:
        """Move the list cursor to ``article_id``, clearing the search if the results do not hold it."""
        table = self.article_list
        if not table.select_id(article_id):
            self.search.clear(close=True)
            table.select_id(article_id)

    def body_focused(self) -> bool:
        return isinstance(self.focused, BodyView)

    def show_article_pane(self) -> None:
        self.panes.show_article_pane()

    def show_list_pane(self) -> None:
        self.panes.show_list_pane()

    def resort(self) -> None:
        self.lists.resort()

    # ------------------------------------------------------------------ events: loading and analysis

    @on(msg.LoadProgress)
    def _load_progress(self, event: msg.LoadProgress) -> None:
        self.state.load_state = f"loading {event.done}/{event.total} files"

    @on(msg.ArticlesStreamed)
    def _articles_streamed(self, event: msg.ArticlesStreamed) -> None:
        if self.corpus is None and event.articles:
            self.lists.stream(event.articles)

    @on(msg.CorpusFailed)
    def _corpus_failed(self, event: msg.CorpusFailed) -> None:
        self.state.load_state = "no corpus"
        self.article_view.show_empty(f"{event.message}\n\nPress q to quit.")

    @on(msg.CorpusLoaded)
    def _corpus_loaded(self, event: msg.CorpusLoaded) -> None:
        self.work.corpus_loaded(event.corpus, event.seconds)
        self.triage.position.try_resume()

    @on(msg.IndexProgress)
    def _index_progress(self, event: msg.IndexProgress) -> None:
        percent = f" {100 * event.done // event.total}%" if event.total else ""
        self.state.index_state = f"index: building {event.done}/{event.total}{percent}"

    @on(msg.IndexUnavailable)
    def _index_unavailable(self, event: msg.IndexUnavailable) -> None:
        self.state.index_state = event.message
        if self.search_bar.is_open:
            self.search_bar.set_message(event.message, error=True)
        if event.retry:
            self.set_timer(INDEX_RETRY_SECONDS, self.work.open_index)

    @on(msg.IndexReady)
    def _index_ready(self, event: msg.IndexReady) -> None:
        self.index = event.index
        self.searcher = event.searcher
        self.state.index_state = "index: ready"
        if event.message:
            self.notify(event.message, title="Index", timeout=4)
        bar = self.search_bar
        if bar.is_open and bar.value.strip():
            self.search.run(bar.value)

    @on(msg.QuotesProgress)
    def _quotes_progress(self, event: msg.QuotesProgress) -> None:
        self.state.quotes_state = event.text

    @on(msg.QuotesUnavailable)
    def _quotes_unavailable(self, event: msg.QuotesUnavailable) -> None:
        self.state.quotes_state = event.message
        self.diff.show_message(event.message)

    @on(msg.QuotesReady)
    def _quotes_ready(self, event: msg.QuotesReady) -> None:
        self.navigator.set_data(event.data)

    @on(msg.CopiesReady)
    def _copies_ready(self, event: msg.CopiesReady) -> None:
        self.lists.set_copy_data(event.analysis)

    @on(msg.CopiesUnavailable)
    def _copies_unavailable(self, event: msg.CopiesUnavailable) -> None:
        self.state.copies_state = event.message

    # ------------------------------------------------------------------ events: search

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        query = event.query.strip()
        if not query:
            self.search.clear(close=False)
            return
        self.search.run(query)

    @on(SearchBar.Accepted)
    def _search_accepted(self, event: SearchBar.Accepted) -> None:
        self.article_list.focus()

    @on(SearchBar.Cancelled)
    def _search_cancelled(self, event: SearchBar.Cancelled) -> None:
        self.search.clear(close=True)

    @on(msg.SearchFailed)
    def _search_failed(self, event: msg.SearchFailed) -> None:
        self.triage.position.search_settled()
        self.search.failed(event)

    @on(msg.SearchDone)
    def _search_done(self, event: msg.SearchDone) -> None:
        self.triage.position.search_settled()
        self.search.done(event)

    # ------------------------------------------------------------------ events: the list, the article, triage

    @on(ArticleList.ArticleHighlighted)
    def _article_highlighted(self, event: ArticleList.ArticleHighlighted) -> None:
        if event.article_id != self.state.current_id or event.article_id is None:
            self.state.select_article(event.article_id)
        self.renderer.forget_hits()  # recomputed (and the hit cursor reset), as for a newly opened article
        self._article_field_changed()
        self.flush()  # drawn now: a pending scroll (resume, a jump to a highlight) needs the lines
        self.triage.article_changed()

    @on(ArticleList.ArticleOpened)
    def _article_opened(self, event: ArticleList.ArticleOpened) -> None:
        self.show_article_pane()
        self.body.focus()
        self.triage.mark_read(event.article_id)

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        self.panes.follow_focus(event.widget)
        if isinstance(event.widget, BodyView):
            self.triage.mark_read(self.state.current_id)

    @on(BodyView.Clicked)
    def _body_clicked(self, event: BodyView.Clicked) -> None:
        if self.state.raw:
            return
        for i, mark in enumerate(self.article_quotes()):
            if mark.start <= event.offset < mark.end:
                self.navigator.select(i, scroll=False)
                return

    @on(QuoteDiff.RenderingClicked)
    def _rendering_clicked(self, event: QuoteDiff.RenderingClicked) -> None:
        self.navigator.rendering_clicked(event.index)

    @on(VisualBar.Key)
    def _visual_key(self, event: VisualBar.Key) -> None:
        self.triage.highlighting.key(event.command)

    @on(TriageOpened)
    def _triage_opened(self, event: TriageOpened) -> None:
        self.triage.opened(event.opening)

    @on(TriageFailed)
    def _triage_failed(self, event: TriageFailed) -> None:
        self.triage.failed(event.message)

    @on(TriageDone)
    def _triage_done(self, event: TriageDone) -> None:
        if self.has_main_ui():
            self.triage.job_done(event)

    # ------------------------------------------------------------------ which keys apply

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides a key from the footer while it does not apply (it stays in help and palette).
        state = self.state
        if action in ("next_hit", "previous_hit"):
            return bool(state.hits) and not state.raw
        if action in ("next_quote", "previous_quote", "focus_diff"):
            return bool(self.article_quotes()) and not state.raw
        if action in ("next_variant", "previous_variant", "jump_variant", "toggle_diff_options"):
            return state.compared is not None
        if action in ("fold_group", "select_group"):
            return self.copies.group_of(state.current_id) is not None
        if action == "copy_view":
            return self.copies.copy_info(state.current_id) is not None
        return True

    # ------------------------------------------------------------------ actions (the keys, see commands.py)

    def action_cursor_down(self) -> None:
        self.panes.cursor(1)

    def action_cursor_up(self) -> None:
        self.panes.cursor(-1)

    def action_cursor_top(self) -> None:
        self.panes.cursor_end(bottom=False)

    def action_cursor_bottom(self) -> None:
        self.panes.cursor_end(bottom=True)

    def action_page_down(self) -> None:
        self.panes.half_page(1)

    def action_page_up(self) -> None:
        self.panes.half_page(-1)

    def action_next_pane(self) -> None:
        self.panes.cycle_pane(1)

    def action_previous_pane(self) -> None:
        self.panes.cycle_pane(-1)

    def action_cycle_layout(self) -> None:
        self.panes.cycle()

    def action_open(self) -> None:
        pane = self.panes.focused_pane()
        if pane == "list":
            self.show_article_pane()
            self.body.focus()
        elif pane == "diff":
            self.navigator.jump_to_compared()

    def action_back(self) -> None:
        if self.panes.focused_pane() in ("body", "diff"):  # back to the list (full width again when the article was)
            self.show_list_pane()
            self.article_list.focus()
        elif self.state.search_query or self.search_bar.is_open:
            self.search.clear(close=True)

    def action_next_new(self) -> None:
        self.lists.move_new(1)

    def action_previous_new(self) -> None:
        self.lists.move_new(-1)

    def action_fold_group(self) -> None:
        self.lists.fold_group()

    def action_fold_all(self) -> None:
        self.lists.fold_all()

    def action_copy_view(self) -> None:
        self.state.copy_changes = self.copies.show_changes = not self.copies.show_changes

    def action_select_group(self) -> None:
        self.lists.mark_group()

    def action_search(self) -> None:
        self.show_list_pane()  # the search box sits above the list
        self.search_bar.open()
        if self.searcher is None:
            self.search_bar.set_message(f"Search starts when the index is ready ({self.state.index_state}).")

    def action_save_search(self) -> None:
        self.triage.save_search()

    def action_next_hit(self) -> None:
        self.navigator.step_hit(1)

    def action_previous_hit(self) -> None:
        self.navigator.step_hit(-1)

    def action_next_quote(self) -> None:
        self.navigator.step_quote(1)

    def action_previous_quote(self) -> None:
        self.navigator.step_quote(-1)

    def action_focus_diff(self) -> None:
        self.navigator.focus_diff()

    def action_next_variant(self) -> None:
        self.navigator.cycle_compared(1)

    def action_previous_variant(self) -> None:
        self.navigator.cycle_compared(-1)

    def action_jump_variant(self) -> None:
        self.navigator.jump_to_compared()

    def action_next_altered(self) -> None:
        self.navigator.next_altered()

    def action_toggle_diff_options(self) -> None:
        self.state.diff_ignore_punct = not self.state.diff_ignore_punct

    def action_toggle_raw(self) -> None:
        self.show_article_pane()
        self.state.raw = not self.state.raw

    def action_sort(self) -> None:
        self.lists.next_sort()

    def action_reverse_sort(self) -> None:
        if self.state.by_relevance:
            self.notify(f"Search results are in order of relevance; {self.keys_for('sort')} sorts them by a key.",
                        timeout=3)
            return
        self.state.sort_reverse = not self.state.sort_reverse
        self.lists.resort()

    def action_timeline(self) -> None:
        from briefreader.tui.screens.reader_timeline import open_timeline

        open_timeline(self)

    def action_warnings(self) -> None:
        from briefreader.tui.screens.warnings import WarningsScreen

        self.app.push_screen(WarningsScreen([str(w) for w in self.corpus.warnings] if self.corpus is not None else []))

    def action_open_source(self) -> None:
        from briefreader.tui.screens.reader_timeline import open_source

        open_source(self)

    def action_triage_toggle_mark(self) -> None:
        self.triage.toggle_mark()

    def action_triage_mark_all(self) -> None:
        self.triage.mark_all()

    def action_triage_status(self, status: str) -> None:
        self.triage.set_status(status)

    def action_triage_tag(self) -> None:
        self.triage.tag()

    def action_triage_untag(self) -> None:
        self.triage.untag()

    def action_triage_note(self) -> None:
        self.triage.note()

    def action_triage_undo(self) -> None:
        self.triage.undo()

    def action_triage_visual(self, unit: str = "word") -> None:
        self.triage.highlighting.start_visual(unit)

    def action_triage_highlights(self) -> None:
        self.triage.highlighting.open_panel()

    def action_triage_choose_quote(self) -> None:
        self.triage.brief.choose_quote()

    def action_triage_export(self) -> None:
        self.triage.brief.export()

    async def action_help(self) -> None:
        await self.app.run_action("help")

    def action_change_theme(self) -> None:
        self.app.search_themes()

    async def action_quit(self) -> None:
        await self.app.action_quit()



__all__ = ["ReaderScreen", "TooSmall"]
