"""The reader: ``briefreader open DIR``.

Layout: the article list (left), the article (centre) and the quote diff (right on wide terminals,
below the article on narrow ones), a status line and the footer. Three layouts (``p`` cycles them,
remembered per terminal class): the list full width (enter shows the article full width, esc comes
back), the three panes, the article full width. Below 120 columns the list starts full width. Loading, indexing, searching and
quote analysis run in thread workers that report back with messages; the UI thread only renders.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Iterable

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from briefreader.core.model import Article
from briefreader.tui import messages as msg
from briefreader.tui.commands import APP, COMMANDS, COMMANDS_BY_ID, app_bindings, display_keys, effective_keys
from briefreader.tui.config import CONFIG_NAME, LAYOUTS, ReaderConfig, load_config, remember_layout, remember_theme
from briefreader.tui.plain import PlainStatic
from briefreader.tui.quote_model import QuoteData, QuoteMark
from briefreader.tui.copies_view import CopiesView
from briefreader.tui.themes import DEFAULT_THEME, load_themes, shipped_themes_dir, variable_defaults
from briefreader.tui.widgets.article_list import SORT_KEYS, ArticleList, sort_articles
from briefreader.tui.widgets.article_view import ArticleView
from briefreader.tui.widgets.body_view import BodyView
from briefreader.tui.widgets.quote_diff import QuoteDiff
from briefreader.tui.widgets.search_bar import SearchBar
from briefreader.tui.triage.actions import TriageMixin

log = logging.getLogger(__name__)

SEARCH_LIMIT = 200  # hits shown in the list for one query (the index's largest page; the total is always reported)
WIDE_MIN_WIDTH = 150  # from this width the quote diff sits right of the article
SINGLE_PANE_BELOW = 120  # narrower terminals are "narrow" for the layout: the list starts full width
LAYOUT_NAMES = {"list": "list full width", "panes": "three panes", "article": "article full width"}
RELEVANCE = "relevance"  # the order of search results as the index ranks them
MIN_WIDTH, MIN_HEIGHT = 60, 14  # below this the layout cannot work: a message instead
INDEX_RETRY_SECONDS = 5.0
GC_CHECK_SECONDS = 2.0  # how often a full garbage collection is considered
GC_IDLE_SECONDS = 1.0  # ... and run, once no key or click came for this long
GC_MAX_SECONDS = 15.0  # ... or anyway after this long
STREAM_FLUSH_SECONDS = 0.25  # while loading, new rows join the list at most this often
STREAM_ROWS_PER_FLUSH = 400


class StatusLine(PlainStatic):
    """Corpus size, index state, quote analysis, sort and filter, in one line."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """


class TooSmall(PlainStatic):
    DEFAULT_CSS = """
    TooSmall { display: none; width: 1fr; height: 1fr; content-align: center middle; text-align: center; }
    """


class ReaderApp(TriageMixin, App[None]):
    """The briefreader reader on one corpus folder."""

    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute, so subclasses elsewhere work
    TITLE = "briefreader"
    BINDINGS = app_bindings()

    def __init__(self, root: Path | str, *, use_cache: bool = True, config_folder: Path | None = None,
                 follow_links: bool = False) -> None:
        _start_resource_tracker()
        self.root = Path(root)
        self.use_cache = use_cache
        self.follow_links = follow_links  # also read links pointing outside the corpus folder (--follow-links)
        self.config_folder = config_folder
        self.config: ReaderConfig = load_config(set(COMMANDS_BY_ID), config_folder)
        self.notices: list[str] = list(self.config.problems)
        super().__init__()
        self._register_themes()
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        # state
        self.corpus = None
        self.all_articles: list[Article] = []
        self.sort_key = "date"
        self.sort_reverse = True
        self.raw = False
        self.current_id: str | None = None
        self.search_query = ""  # the query whose results are in the list ("" = full list)
        self.search_total = 0
        self.hits: list[tuple[int, int]] = []
        self.current_hit: int | None = None
        self.quotes: QuoteData | None = None
        self.quotes_state = "quotes: waiting for the corpus"
        self.current_quote: int | None = None
        self.compared: int | None = None
        self.diff_ignore_punct = False
        self.index = None
        self.searcher = None
        self.index_state = "index: waiting for the corpus"
        self.load_state = "loading…"
        self.pending_query: str | None = None
        self._search_lock = threading.Lock()
        self.last_search_seconds: float | None = None
        self.load_seconds: float | None = None
        self._provisional: list[Article] = []
        self._stream_buffer: list[Article] = []
        self._stream_flush_pending = False
        self._binding_state: tuple[bool, ...] = ()
        self._provisional_by_id: dict[str, Article] = {}
        self.copies = CopiesView()
        self._search_articles: list[Article] = []  # the search results in the list, before threading
        self.copies_state = ""
        self.layouts: dict[str, str] = dict(self.config.layouts)  # "wide"/"narrow" -> chosen layout
        self.size_class = ""  # "wide" or "narrow", set from the terminal's width
        self.view = "panes"  # what is on screen: "list", "panes" or "article"
        self.search_by_relevance = True  # search results in the index's order (s switches to the sort keys)

    # ------------------------------------------------------------------ themes and keymap

    def _register_themes(self) -> None:
        from briefreader.core.paths import config_dir

        user_themes = (self.config_folder or config_dir()) / "themes"
        loaded = load_themes([shipped_themes_dir(), user_themes])
        for theme in loaded.themes:
            self.register_theme(theme)
        if loaded.problems:
            self.notices.append("theme file(s) skipped: " + "; ".join(loaded.problems))
        wanted = self.config.theme or DEFAULT_THEME
        if wanted not in self.available_themes:
            if self.config.theme:
                self.notices.append(f"theme {wanted!r} not found; using the default")
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        self.theme = wanted
        self._remembered_theme = wanted

    def get_theme_variable_defaults(self) -> dict[str, str]:
        theme = self.get_theme(self.theme) if getattr(self, "_registered_themes", None) else None
        return variable_defaults(theme.dark if theme is not None else True)

    def _theme_changed(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if name and name != self._remembered_theme:
            self._remembered_theme = name
            problem = remember_theme(name, self.config_folder)
            if problem:
                self.notify(problem, severity="warning")
        self.call_after_refresh(self._rerender_all)

    def _rerender_all(self) -> None:
        self.query_one(ArticleList).show(self.query_one(ArticleList).shown, keep=self.current_id)
        self.render_article(keep_scroll=True)
        self.query_one(QuoteDiff).rerender()  # same content, new colours

    def show_list(self, articles: list[Article], keep: str | None = None) -> None:
        """Show ``articles`` (sorted) in the list, threaded by copy group and story when known; a
        folded copy to keep the cursor on gives way to its original."""
        rows = self.copies.rows(articles, by_story=self.by_story)
        group = self.copies.group_of(keep)
        if keep is not None and group is not None and keep not in {a.id for a in rows}:
            keep = group.original
        self.query_one(ArticleList).show(rows, keep=keep)

    @property
    def keymap(self) -> dict[str, str]:
        return dict(self.config.keymap)

    def keys_for(self, command_id: str) -> str:
        return display_keys(effective_keys(COMMANDS_BY_ID[command_id], self.config.keymap))

    # ------------------------------------------------------------------ layout

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

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._apply_size(self.size.width, self.size.height)
        self.query_one(ArticleView).show_empty(f"Loading {self.root} …")
        self.query_one(QuoteDiff).show_message("Waiting for the corpus.")
        if self.view == "article":
            self.query_one(BodyView).focus()
        else:
            self.query_one(ArticleList).focus()
        self.update_status()
        if self.notices:
            hint = f" (config: {(self.config_folder or _config_dir()) / CONFIG_NAME})"
            self.notify("\n".join(self.notices) + hint, title="Settings", severity="warning", timeout=8)
        self.load_corpus()
        self._last_input = time.monotonic()
        self._last_full_gc = time.monotonic()
        self.set_interval(GC_CHECK_SECONDS, self._collect_when_idle)

    def _on_key(self, event: events.Key) -> None:
        # Keys typed in one burst ("/trap", a paste, tmux send-keys) are all queued at the widget
        # focused when they arrived; the first one may move focus to an input (search, tag, note).
        # The rest then bubble up here unhandled: hand the printable ones to the input.
        from textual.widgets import TextArea

        focused = self.focused
        if event.is_printable and isinstance(focused, (Input, TextArea)) and not getattr(event, "_redirected", False):
            redirected = events.Key(event.key, event.character)
            redirected._redirected = True  # type: ignore[attr-defined]
            focused.post_message(redirected)
            event.stop()
            event.prevent_default()  # Textual's own key handling (bindings) must not see it too

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _collect_when_idle(self) -> None:
        """Full garbage collections, which take 50-130 ms on a big corpus, run here: when nobody has
        typed for a moment, or at the latest every GC_MAX_SECONDS (see :func:`defer_full_gc`)."""
        import gc

        now = time.monotonic()
        idle = now - self._last_input >= GC_IDLE_SECONDS
        if (idle and now - self._last_full_gc >= GC_CHECK_SECONDS) or now - self._last_full_gc >= GC_MAX_SECONDS:
            gc.collect()
            self._last_full_gc = time.monotonic()

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(too_small, "-too-small")
        self.set_class(width < WIDE_MIN_WIDTH, "-narrow")
        size_class = "narrow" if width < SINGLE_PANE_BELOW else "wide"
        if size_class != self.size_class:
            self.size_class = size_class
            self.set_view(self.layouts[size_class])
        if too_small:
            self.query_one(TooSmall).update(
                f"The terminal is {width}×{height}; briefreader needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
                "Make the window bigger (q quits)."
            )

    # ------------------------------------------------------------------ layouts

    def set_view(self, view: str) -> None:
        """Show ``view``: "list" (the list full width), "panes" or "article" (article and diff full
        width); focus follows (a hidden pane never keeps it)."""
        if view not in LAYOUTS:
            raise ValueError(f"unknown view {view!r}")
        self.view = view
        for name in LAYOUTS:
            self.set_class(name == view, f"-view-{name}")
        if not self._has_main_ui():
            return
        pane = self._focused_pane()
        # focus at once (not after a refresh, as Widget.focus does): a focus asked for right after
        # this (the search box opening) must not be overridden by this one
        if view == "list" and pane in ("body", "diff", "visual"):
            self.screen.set_focus(self.query_one(ArticleList))
        elif view == "article" and pane in ("list", "search"):
            self.screen.set_focus(self.query_one(BodyView))

    def show_article_pane(self) -> None:
        """The list is full width and the user asked for the article: show it full width."""
        if self.view == "list":
            self.set_view("article")

    def show_list_pane(self) -> None:
        """The article is full width and the user asked for the list: show it full width."""
        if self.view == "article":
            self.set_view("list")

    def action_cycle_layout(self) -> None:
        """p: list full width -> three panes -> article full width; remembered for this terminal class."""
        view = LAYOUTS[(LAYOUTS.index(self.view) + 1) % len(LAYOUTS)]
        self.layouts[self.size_class or "wide"] = view
        self.set_view(view)
        if view == "article" and self._focused_pane() not in ("body", "diff"):
            self.query_one(BodyView).focus()
        if view == "list":
            self.query_one(ArticleList).focus()
        problem = remember_layout(self.size_class or "wide", view, self.config_folder)
        if problem:
            self.notify(problem, severity="warning")
        hint = {"list": f" ({self.keys_for('open')}: the article, {self.keys_for('back')}: back)",
                "article": f" ({self.keys_for('back')}: the list)", "panes": ""}[view]
        self.notify(f"Layout: {LAYOUT_NAMES[view]}{hint}", timeout=2)

    @on(events.DescendantFocus)
    def _view_follows_focus(self, event: events.DescendantFocus) -> None:
        """With one pane on screen, moving the focus to the other pane (a click, tab, a jump) shows it."""
        pane = self._pane_of(event.widget)
        if pane in ("list", "search"):
            self.show_list_pane()
        elif pane in ("body", "diff", "visual"):
            self.show_article_pane()

    def _has_main_ui(self) -> bool:
        """False while the app is shutting down (late worker messages must not touch the screen)."""
        return not self._exit and bool(self.screen_stack) and bool(self.query(ArticleView))

    # ------------------------------------------------------------------ status

    def update_status(self) -> None:
        if not self._has_main_ui():
            return
        parts = [self.load_state]
        if self.corpus is not None and self.corpus.warnings:
            parts.append(f"{len(self.corpus.warnings)} warning(s) ({self.keys_for('warnings')})")
        # what the list shows (sort, filter) and the article's triage state first: at 80 columns the
        # line is cut, and the background work (index, quotes, copies) matters less once done
        arrow = "↓" if self.sort_reverse else "↑"
        parts.append(f"sort: {RELEVANCE}" if self.by_relevance else f"sort: {self.sort_key} {arrow}")
        if self.search_query:
            shown = len(self.query_one(ArticleList).shown)
            more = f" (first {shown})" if self.search_total > shown else ""
            parts.append(f'filter: "{self.search_query}" {self.search_total} result(s){more}')
        if self.raw:
            parts.append("RAW view")
        parts.extend(self.triage_status_parts())
        parts.append(self.index_state)
        parts.append(self.quotes_state)
        if self.copies_state:
            parts.append(self.copies_state)
        self.query_one(StatusLine).update(" │ ".join(parts), layout=False)
        table = self.query_one(ArticleList)
        count = self.query_one("#list-count", Static)
        total = len(self.all_articles)
        if self.search_query:
            count.update(f" {len(table.shown)}/{self.search_total} results · {total} articles", layout=False)
        else:
            count.update(f" {total} article{'s' if total != 1 else ''}", layout=False)

    # ------------------------------------------------------------------ quitting

    async def action_quit(self) -> None:
        await super().action_quit()  # the triage part lets queued writes finish and saves the position
        self.triage_close()

    def triage_close(self) -> None:
        """Close the triage store (checkpointed: the main file alone then holds everything). Idempotent."""
        store, self.triage_store = self.triage_store, None
        if store is None:
            return
        self.triage_problem = "triage closed"
        try:
            store.close()
        except Exception as exc:  # the process is ending: say it in the log, never as a traceback
            logging.getLogger(__name__).warning("closing the triage state failed: %s", exc)

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_corpus(self) -> None:
        from briefreader.core.corpus import CorpusError, LoadCancelled, load_corpus

        worker = get_current_worker()
        started = time.perf_counter()
        try:
            corpus = load_corpus(
                self.root,
                use_cache=self.use_cache,
                follow_links=self.follow_links,
                progress=lambda done, total: self.post_message(msg.LoadProgress(done, total)),
                cancelled=lambda: worker.is_cancelled,
                on_articles=lambda batch: self.post_message(msg.ArticlesStreamed(list(batch))),
            )
        except LoadCancelled:
            return
        except CorpusError as exc:
            self.post_message(msg.CorpusFailed(str(exc)))
            return
        except Exception as exc:  # never a traceback in the reader: say what happened
            self.post_message(msg.CorpusFailed(f"could not load the corpus: {type(exc).__name__}: {exc}"))
            return
        self.post_message(msg.CorpusLoaded(corpus, time.perf_counter() - started))

    @on(msg.LoadProgress)
    def _load_progress(self, event: msg.LoadProgress) -> None:
        self.load_state = f"loading {event.done}/{event.total} files"
        self.update_status()

    @on(msg.ArticlesStreamed)
    def _articles_streamed(self, event: msg.ArticlesStreamed) -> None:
        if self.corpus is not None or not event.articles:
            return
        for article in event.articles:
            self._provisional_by_id[article.id] = article
        self._stream_buffer.extend(event.articles)
        if not self.query_one(ArticleList).shown:
            self._flush_streamed()  # the first rows at once
        elif not self._stream_flush_pending:
            # later batches are gathered: a few list updates a second, not one per file
            self._stream_flush_pending = True
            self.set_timer(STREAM_FLUSH_SECONDS, self._flush_streamed)

    def _flush_streamed(self) -> None:
        self._stream_flush_pending = False
        if self.corpus is not None or not self._stream_buffer or not self._has_main_ui():
            self._stream_buffer = []
            return
        # a bounded number of rows per flush keeps the UI responsive (a cached 10k corpus streams
        # everything at once; the final corpus then replaces the provisional rows anyway)
        batch, self._stream_buffer = self._stream_buffer[:STREAM_ROWS_PER_FLUSH], self._stream_buffer[STREAM_ROWS_PER_FLUSH:]
        if self._stream_buffer:
            self._stream_flush_pending = True
            self.set_timer(STREAM_FLUSH_SECONDS, self._flush_streamed)
        self._provisional.extend(batch)
        table = self.query_one(ArticleList)
        first = not table.shown
        table.append(batch)
        if first:
            self.current_id = None
        self.update_status()

    @on(msg.CorpusFailed)
    def _corpus_failed(self, event: msg.CorpusFailed) -> None:
        self.load_state = "no corpus"
        self.query_one(ArticleView).show_empty(f"{event.message}\n\nPress q to quit.")
        self.update_status()

    @on(msg.CorpusLoaded)
    def _corpus_loaded(self, event: msg.CorpusLoaded) -> None:
        self.corpus = event.corpus
        self.load_seconds = event.seconds
        self._provisional, self._provisional_by_id, self._stream_buffer = [], {}, []
        n = len(self.corpus.articles)
        self.load_state = f"{n} article{'s' if n != 1 else ''}"
        self.all_articles = self.sorted_articles(self.corpus.articles)
        _exempt_from_gc()
        table = self.query_one(ArticleList)
        # keep the article the user moved to while the list was filling; else start at the top
        keep = self.current_id if table.shown and table.cursor_row > 0 else None
        self.show_list(self.all_articles, keep=keep)
        if not self.all_articles:
            warnings = len(self.corpus.warnings)
            self.query_one(ArticleView).show_empty(
                f"No articles could be read in {self.root}."
                + (f"\n{warnings} file(s) were skipped: press {self.keys_for('warnings')} to see why." if warnings else
                   "\nPut .txt, .md, .html, .json or .jsonl files in the folder and open it again.")
            )
            self.index_state = "index: nothing to index"
            self.quotes_state = "quotes: none"
            self.update_status()
            return
        self.update_status()
        self.copies_state = "copies: finding…"
        self.open_index()
        self.analyse_quotes()
        self.analyse_copies()

    # ------------------------------------------------------------------ index and search

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def open_index(self) -> None:
        worker = get_current_worker()
        try:
            from briefreader.core import index as index_module
        except ImportError:
            self.post_message(msg.IndexUnavailable("search: not available in this build"))
            return
        busy = getattr(index_module, "IndexBusyError", ())
        try:
            index = index_module.CorpusIndex.open(self.root)
            if index.needs_update(self.corpus):
                self.post_message(msg.IndexProgress(0, len(self.corpus.articles)))
                index.update(
                    self.corpus,
                    progress=lambda done, total: self.post_message(msg.IndexProgress(done, total)),
                    cancelled=lambda: worker.is_cancelled,
                )
            if worker.is_cancelled:
                return
            searcher = index.searcher()
        except busy as exc:  # type: ignore[misc]
            self.post_message(msg.IndexUnavailable(f"index: {exc} (search waits)", retry=True))
            return
        except Exception as exc:
            if worker.is_cancelled:
                return
            self.post_message(msg.IndexUnavailable(f"index: unavailable ({type(exc).__name__}: {exc})"))
            return
        self.post_message(msg.IndexReady(index, searcher, getattr(index, "message", "") or ""))

    @on(msg.IndexProgress)
    def _index_progress(self, event: msg.IndexProgress) -> None:
        pct = f" {100 * event.done // event.total}%" if event.total else ""
        self.index_state = f"index: building {event.done}/{event.total}{pct}"
        self.update_status()

    @on(msg.IndexUnavailable)
    def _index_unavailable(self, event: msg.IndexUnavailable) -> None:
        self.index_state = event.message
        self.update_status()
        if self.query_one(SearchBar).is_open:
            self.query_one(SearchBar).set_message(event.message, error=True)
        if event.retry:
            self.set_timer(INDEX_RETRY_SECONDS, self.open_index)

    @on(msg.IndexReady)
    def _index_ready(self, event: msg.IndexReady) -> None:
        self.index = event.index
        self.searcher = event.searcher
        self.index_state = "index: ready"
        if event.message:
            self.notify(event.message, title="Index", timeout=4)
        self.update_status()
        bar = self.query_one(SearchBar)
        if bar.is_open and bar.value.strip():
            self.run_search(bar.value)

    def run_search(self, query: str) -> None:
        """Search for ``query`` in a worker (a newer keystroke cancels an older search)."""
        if self.searcher is None and not self.triage_filter_only(query):
            self.query_one(SearchBar).set_message(f"Search starts when the index is ready ({self.index_state}).")
            return
        self._search_worker(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_worker(self, query: str) -> None:
        from briefreader.core.index import SearchCancelled

        worker = get_current_worker()
        with self._search_lock:
            if worker.is_cancelled:
                return
            started = time.perf_counter()
            try:  # triage filters + words; a newer keystroke cancels this worker, and the search with it
                results = self.triage_search(query, SEARCH_LIMIT, cancelled=lambda: worker.is_cancelled)
            except SearchCancelled:
                return
            except Exception as exc:
                name = type(exc).__name__
                text = str(exc) if name == "QuerySyntaxError" else f"{name}: {exc}"
                self.post_message(msg.SearchFailed(query, text))
                return
            if not worker.is_cancelled:
                self.post_message(msg.SearchDone(query, results, time.perf_counter() - started))

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        query = event.query.strip()
        if not query:
            self.clear_search(close=False)
            return
        self.run_search(query)

    @on(SearchBar.Accepted)
    def _search_accepted(self, event: SearchBar.Accepted) -> None:
        self.query_one(ArticleList).focus()

    @on(SearchBar.Cancelled)
    def _search_cancelled(self, event: SearchBar.Cancelled) -> None:
        self.clear_search(close=True)

    @on(msg.SearchFailed)
    def _search_failed(self, event: msg.SearchFailed) -> None:
        if event.query.strip() != self.query_one(SearchBar).value.strip():
            return
        self.query_one(SearchBar).set_message(event.message, error=True)

    @on(msg.SearchDone)
    def _search_done(self, event: msg.SearchDone) -> None:
        bar = self.query_one(SearchBar)
        if event.query.strip() != bar.value.strip() or self.corpus is None:
            return  # a stale answer: the user has typed on
        self.last_search_seconds = event.seconds
        results = event.results
        articles = [a for a in (self.corpus.get(h.id) for h in results.hits) if a is not None]
        self.search_query = event.query.strip()
        self.search_total = results.total
        if [a.id for a in articles] != [a.id for a in self._search_articles]:
            self._search_articles = articles
            self.show_list(self.search_rows(), keep=self.current_id)
        else:  # same results (a longer prefix often matches the same articles): just re-mark hits
            self.render_article(keep_scroll=True, recompute_hits=True)
        more = f" (first {len(articles)})" if results.total > len(articles) else ""
        bar.set_message(f"{results.total} result(s){more} · {event.seconds * 1000:.0f} ms")
        self.update_status()

    def clear_search(self, *, close: bool) -> None:
        """Back to the full list, keeping the cursor on the current article."""
        bar = self.query_one(SearchBar)
        if close:
            bar.close()
            self.query_one(ArticleList).focus()
        else:
            bar.set_message("")
        self.workers.cancel_group(self, "search")
        had_filter = bool(self.search_query)
        self.search_query = ""
        self._search_articles = []
        self.search_total = 0
        self.search_by_relevance = True  # the next search starts in the index's order again
        if had_filter:
            self.show_list(self.all_articles, keep=self.current_id)
        self.update_status()

    def compute_hits(self, article: Article) -> list[tuple[int, int]]:
        text = self.triage_text_query(self.search_query)  # without status:/tag: filters
        if not text or self.searcher is None:
            return []
        try:
            return sorted(self.searcher.match_spans(article.id, article.body, text))
        except Exception:
            return []

    # ------------------------------------------------------------------ quotes

    @work(thread=True, exclusive=True, group="quotes", exit_on_error=False)
    def analyse_quotes(self) -> None:
        from briefreader.tui.quote_source import (ISOLATE_MIN_ARTICLES, QuotesUnavailableError, build_quote_data,
                                                  build_quote_data_isolated)

        worker = get_current_worker()
        corpus = self.corpus
        self.post_message(msg.QuotesProgress("quotes: finding quotations…"))

        def progress(done: int, total: int) -> None:
            self.post_message(msg.QuotesProgress(f"quotes: reading {done}/{total} articles"))

        try:
            # the child process loads the corpus itself, without links out of the folder
            if self.use_cache and not self.follow_links and len(corpus.articles) >= ISOLATE_MIN_ARTICLES:
                data = build_quote_data_isolated(corpus.root, corpus.articles, cancelled=lambda: worker.is_cancelled,
                                                 progress=progress)
            else:
                data = build_quote_data(corpus, cancelled=lambda: worker.is_cancelled, progress=progress)
        except QuotesUnavailableError as exc:
            self.post_message(msg.QuotesUnavailable(f"quotes: {exc}"))
            return
        except Exception as exc:
            if not worker.is_cancelled:
                self.post_message(msg.QuotesUnavailable(f"quotes: failed ({type(exc).__name__}: {exc})"))
            return
        if data is None or worker.is_cancelled:
            return
        self.post_message(msg.QuotesReady(data, ""))

    @on(msg.QuotesProgress)
    def _quotes_progress(self, event: msg.QuotesProgress) -> None:
        self.quotes_state = event.text
        self.update_status()

    @on(msg.QuotesUnavailable)
    def _quotes_unavailable(self, event: msg.QuotesUnavailable) -> None:
        self.quotes_state = event.message
        self.query_one(QuoteDiff).show_message(event.message)
        self.update_status()

    @on(msg.QuotesReady)
    def _quotes_ready(self, event: msg.QuotesReady) -> None:
        self.set_quote_data(event.data)

    def set_quote_data(self, data: QuoteData) -> None:
        """Use ``data`` for quote marks and diffs (from the analysis worker, or a test)."""
        self.quotes = data
        _exempt_from_gc()
        clusters = sum(1 for c in data.clusters.values() if len(c.articles) > 1)
        self.quotes_state = f"quotes: {data.total}, {clusters} shared"
        self.current_quote = None
        self.compared = None
        self.render_article(keep_scroll=True)
        self.update_status()

    def article_quotes(self) -> list[QuoteMark]:
        if self.quotes is None or self.current_id is None:
            return []
        return self.quotes.quotes_in(self.current_id)

    def select_quote(self, index: int | None, *, scroll: bool = True) -> None:
        quotes = self.article_quotes()
        if index is None or not quotes:
            self.current_quote = None
            self.compared = None
        else:
            index = max(0, min(index, len(quotes) - 1))
            self.current_quote = index
            self.compared = self._default_compared(quotes[index])
        self.render_article(keep_scroll=True)
        if scroll and self.current_quote is not None and not self.raw:
            self.query_one(BodyView).scroll_to_offset(quotes[self.current_quote].start)

    def _default_compared(self, mark: QuoteMark) -> int | None:
        cluster = self.quotes.cluster_of(mark) if self.quotes else None
        if cluster is None or len(cluster.variants) < 2:
            return None
        for i, r in enumerate(cluster.variants):
            if r.article != mark.article_id:
                return i
        return None

    def render_diff(self) -> None:
        if not self._has_main_ui():
            return
        self._refresh_bindings_if_changed()
        diff = self.query_one(QuoteDiff)
        if self.corpus is None:
            return
        if self.quotes is None:
            diff.show_message(self.quotes_state)
            return
        quotes = self.article_quotes()
        if not quotes:
            diff.show_message("No quotations in this article.")
            return
        if self.current_quote is None:
            shared = sum(1 for q in quotes if self.quotes.has_variants(q))
            diff.show_message(
                f"{len(quotes)} quotation(s) here, {shared} rendered by other outlets too.\n"
                f"{self.keys_for('next_quote')} / {self.keys_for('previous_quote')}: go to a quotation; "
                f"{self.keys_for('focus_diff')}: focus this pane."
            )
            return
        mark = quotes[self.current_quote]
        diff.show_quote(mark, self.current_quote, len(quotes), self.quotes.cluster_of(mark), self.compared,
                        ignore_case=True, ignore_punct=self.diff_ignore_punct,
                        original_of=self.copies.original_of if self.copies.ready else None)

    # ------------------------------------------------------------------ copies and stories

    @work(thread=True, exclusive=True, group="copies", exit_on_error=False)
    def analyse_copies(self) -> None:
        from briefreader.core.copies import CopiesCancelled, analyse_copies, analyse_copies_isolated

        worker = get_current_worker()
        corpus = self.corpus
        try:
            if self.use_cache:  # a big corpus in a child process (needs the record cache)
                analysis = analyse_copies_isolated(corpus.root, corpus.articles, follow_links=self.follow_links,
                                                   cancelled=lambda: worker.is_cancelled)
            else:
                analysis = analyse_copies(corpus.articles, cancelled=lambda: worker.is_cancelled)
            if analysis is None:
                return
        except CopiesCancelled:
            return
        except Exception as exc:
            log.exception("copy analysis failed")
            if not worker.is_cancelled:
                self.post_message(msg.CopiesUnavailable(f"copies: failed ({type(exc).__name__}: {exc})"))
            return
        if not worker.is_cancelled:
            self.post_message(msg.CopiesReady(analysis))

    @on(msg.CopiesReady)
    def _copies_ready(self, event: msg.CopiesReady) -> None:
        self.set_copy_data(event.analysis)

    @on(msg.CopiesUnavailable)
    def _copies_unavailable(self, event: msg.CopiesUnavailable) -> None:
        self.copies_state = event.message
        self.update_status()

    def set_copy_data(self, analysis) -> None:
        """Use ``analysis`` for copy threads, copy views and story mode (from the worker, or a test)."""
        self.copies.analysis = analysis
        self.copies_state = self.copies.status_part()
        table = self.query_one(ArticleList)
        table.prefix_for = self.copies.prefix
        articles = self.search_rows() if self.search_query else self.all_articles
        rows = self.copies.rows(articles, by_story=self.by_story)
        if [a.id for a in rows] != [a.id for a in table.shown]:  # else nothing moves: no redraw, no jump
            self.show_list(articles, keep=table.current_id or self.current_id)
        else:
            table.refresh()
        self.render_article(keep_scroll=True)
        self.update_status()

    def action_fold_group(self) -> None:
        if not self.copies.ready:
            self.notify("Copies are still being found.", timeout=2)
            return
        original = self.copies.toggle_group(self._cursor_id())
        if original is None:
            self.notify("This article is in no copy group.", timeout=2)
            return
        self._relist(keep=original)

    def action_fold_all(self) -> None:
        if not self.copies.ready:
            self.notify("Copies are still being found.", timeout=2)
            return
        self.copies.toggle_all()
        self._relist(keep=self.current_id)

    def _relist(self, keep: str | None) -> None:
        articles = self.search_rows() if self.search_query else self.all_articles
        self.show_list(articles, keep=keep)
        self.copies_state = self.copies.status_part()
        self.update_status()

    def action_copy_view(self) -> None:
        self.copies.show_changes = not self.copies.show_changes
        self.render_article()

    def _cursor_id(self) -> str | None:
        """The article under the list's cursor (the body may not have caught up with a fast typist)."""
        return self.query_one(ArticleList).current_id or self.current_id

    def action_select_group(self) -> None:
        group = self.copies.group_of(self._cursor_id())
        if group is None:
            self.notify("This article is in no copy group.", timeout=2)
            return
        self._triage_mark_ids(group.members, f"the copy group (1 original + {len(group.copies)} copies)")

    def listed_ids(self) -> list[str]:
        """Every article the list holds, folded copies included, in list order."""
        articles = self.search_rows() if self.search_query else self.all_articles
        return [a.id for a in articles]

    def action_timeline(self) -> None:
        from briefreader.core.copies import timeline
        from briefreader.tui.screens.timeline import TimelineScreen

        if self.corpus is None or self.current_id is None:
            return
        analysis = self.copies.analysis
        ids: list[str] = []
        what = ""
        quotes = self.article_quotes()
        if self.current_quote is not None and self.quotes is not None and quotes:
            cluster = self.quotes.cluster_of(quotes[self.current_quote])
            if cluster is not None and len(cluster.articles) > 1:
                ids = cluster.articles
                what = f"quotation: “{quotes[self.current_quote].text[:90]}”"
        if not ids and analysis is not None:
            story = analysis.story_of(self.current_id)
            group = analysis.group_of(self.current_id)
            if story is not None:
                ids, what = story.articles, f"story: {story.label}"
            elif group is not None:
                ids, what = group.members, "copy group"
        if not ids:
            self.notify("No quotation selected, and this article is in no story or copy group"
                        + ("" if analysis is not None else " (copies are still being found)") + ".", timeout=3)
            return
        entries = timeline(self.corpus.articles, ids, analysis)

        def opened(article_id: str | None) -> None:
            if article_id is not None:
                table = self.query_one(ArticleList)
                if not table.select_id(article_id):
                    self.copies.toggle_group(article_id) if self.copies.group_of(article_id) else None
                    self._relist(keep=article_id)
                    table.select_id(article_id)

        self.push_screen(TimelineScreen(what, entries), opened)

    # ------------------------------------------------------------------ the open article

    @on(ArticleList.ArticleHighlighted)
    def _article_highlighted(self, event: ArticleList.ArticleHighlighted) -> None:
        if event.article_id == self.current_id and event.article_id is not None:
            self.render_article(keep_scroll=True, recompute_hits=True)
            return
        self.current_id = event.article_id
        self.current_quote = None
        self.compared = None
        self.render_article(recompute_hits=True)

    @on(ArticleList.ArticleOpened)
    def _article_opened(self, event: ArticleList.ArticleOpened) -> None:
        self.show_article_pane()
        self.query_one(BodyView).focus()

    @on(BodyView.Clicked)
    def _body_clicked(self, event: BodyView.Clicked) -> None:
        if self.raw:
            return
        for i, q in enumerate(self.article_quotes()):
            if q.start <= event.offset < q.end:
                self.select_quote(i, scroll=False)
                return

    def current_article(self) -> Article | None:
        if self.current_id is None:
            return None
        if self.corpus is None:  # still loading: the provisional article
            return self._provisional_by_id.get(self.current_id)
        return self.corpus.get(self.current_id)

    def render_article(self, *, keep_scroll: bool = False, recompute_hits: bool = False) -> None:
        """Show the current article with its marks, and the diff pane for its selected quotation."""
        if not self._has_main_ui():
            return
        article = self.current_article()
        view = self.query_one(ArticleView)
        if article is None:
            if self.corpus is not None and self.all_articles and self.search_query:
                view.show_empty("No article matches the search. Esc clears it.")
            self.render_diff()
            return
        if recompute_hits:
            self.hits = self.compute_hits(article)
            self.current_hit = None
        quotes = self.article_quotes()
        flags = [self.quotes.has_variants(q) for q in quotes] if self.quotes else []
        label = ""
        if self.hits:
            label = f"hit {self.current_hit + 1}/{len(self.hits)}" if self.current_hit is not None else f"{len(self.hits)} hits (n/N)"
        copy = self.copies.copy_info(article.id) if self.copies.show_changes and not self.raw else None
        original = self.corpus.get(copy[0].original) if copy is not None and self.corpus is not None else None
        if copy is not None and original is not None:
            from briefreader.core.copies import copy_changes

            view.show_copy_changes(article, original, copy[1].summary(), copy_changes(article, copy[1]),
                                   keep_scroll=keep_scroll)
            self.refresh_note()
            self.render_diff()
            return
        view.show(article, raw=self.raw, quotes=quotes, variant_flags=flags, current_quote=self.current_quote,
                  hits=self.hits, current_hit=self.current_hit, hit_label=label, keep_scroll=keep_scroll)
        self.refresh_note()
        self.triage_decorate_body(article)
        self.render_diff()

    def refresh_note(self) -> None:
        """Show the open article's note under its header (or hide the note line)."""
        if not self._has_main_ui():
            return
        note = self.triage_state(self.current_id).note if self.current_id else ""
        self.query_one(ArticleView).show_note(note or "")

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides a key from the footer while it does not apply (it stays in help and palette).
        if action in ("next_hit", "previous_hit"):
            return bool(self.hits) and not self.raw
        if action in ("next_quote", "previous_quote", "focus_diff"):
            return bool(self.article_quotes()) and not self.raw
        if action in ("next_variant", "previous_variant", "jump_variant", "toggle_diff_options"):
            return self.compared is not None
        if action in ("fold_group", "select_group"):
            return self.copies.group_of(self.current_id) is not None
        if action == "copy_view":
            return self.copies.copy_info(self.current_id) is not None
        return True

    def _refresh_bindings_if_changed(self) -> None:
        """Which keys apply (shown in the footer) depends on what is selected; redrawing the
        footer is costly, so only when that changes."""
        state = (bool(self.hits), bool(self.article_quotes()), self.raw, self.compared is not None,
                 self.copies.group_of(self.current_id) is not None, self.copies.copy_info(self.current_id) is not None)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def _focused_pane(self) -> str:
        return self._pane_of(self.focused)

    def _pane_of(self, widget: Widget | None) -> str:
        """Which part of the main screen ``widget`` is: list, search, body, diff, visual (the visual
        mode bar) or other (a dialog, nothing)."""
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

    def action_cursor_down(self) -> None:
        pane = self._focused_pane()
        if pane == "list":
            self.query_one(ArticleList).action_cursor_down()
        elif pane == "body":
            self.query_one(BodyView).scroll_down(animate=False)
        elif pane == "diff":
            self.action_next_variant()

    def action_cursor_up(self) -> None:
        pane = self._focused_pane()
        if pane == "list":
            self.query_one(ArticleList).action_cursor_up()
        elif pane == "body":
            self.query_one(BodyView).scroll_up(animate=False)
        elif pane == "diff":
            self.action_previous_variant()

    def action_cursor_top(self) -> None:
        pane = self._focused_pane()
        if pane == "list":
            table = self.query_one(ArticleList)
            if table.row_count:
                table.move_cursor(row=0, animate=False)
        elif pane in ("body", "diff"):
            self.focused.scroll_home(animate=False)  # type: ignore[union-attr]

    def action_cursor_bottom(self) -> None:
        pane = self._focused_pane()
        if pane == "list":
            self.query_one(ArticleList).action_scroll_end()
        elif pane in ("body", "diff"):
            self.focused.scroll_end(animate=False)  # type: ignore[union-attr]

    def _half_page(self, direction: int) -> None:
        pane = self._focused_pane()
        widget = self.focused
        if widget is None:
            return
        step = max(1, widget.scrollable_content_region.height // 2)
        if pane == "list":
            table = self.query_one(ArticleList)
            if table.row_count:
                row = max(0, min(table.row_count - 1, table.cursor_row + direction * step))
                table.move_cursor(row=row, animate=False)
        elif pane in ("body", "diff"):
            widget.scroll_relative(y=direction * step, animate=False)

    def action_page_down(self) -> None:
        self._half_page(1)

    def action_page_up(self) -> None:
        self._half_page(-1)

    def _panes(self) -> list[Widget]:
        """The panes tab moves between: those of the layout on screen."""
        panes: list[Widget] = []
        if self.view != "article":
            bar = self.query_one(SearchBar)
            if bar.is_open:
                panes.append(bar.input)
            panes.append(self.query_one(ArticleList))
        if self.view != "list":
            panes += [self.query_one(BodyView), self.query_one(QuoteDiff)]
        return panes

    def _cycle_pane(self, step: int) -> None:
        if len(self.screen_stack) > 1:  # a dialog is open: tab belongs to it
            raise SkipAction()
        panes = self._panes()
        focused = self.focused
        index = panes.index(focused) if focused in panes else -1
        panes[(index + step) % len(panes)].focus()

    def action_next_pane(self) -> None:
        self._cycle_pane(1)

    def action_previous_pane(self) -> None:
        self._cycle_pane(-1)

    def action_open(self) -> None:
        pane = self._focused_pane()
        if pane == "list":
            self.show_article_pane()
            self.query_one(BodyView).focus()
        elif pane == "diff":
            self.action_jump_variant()

    def action_back(self) -> None:
        pane = self._focused_pane()
        if pane in ("body", "diff"):  # back to the list (full width again when the article was)
            self.show_list_pane()
            self.query_one(ArticleList).focus()
            return
        if self.search_query or self.query_one(SearchBar).is_open:
            self.clear_search(close=True)

    def _move_new(self, step: int) -> None:
        """Move the list cursor to the next (``step`` 1) or previous (-1) new, unread article, going
        round the end of the list once (newsboat's n/p; n is the search hit key here)."""
        table = self.query_one(ArticleList)
        if not table.row_count:
            return
        if self.triage_store is None:
            self._triage_ready()  # says why: without the triage state every article is new
            return
        count = table.row_count
        for distance in range(1, count + 1):
            row = (table.cursor_row + step * distance) % count
            if self.triage_state(table.shown[row].id).status == "new":
                wrapped = (row <= table.cursor_row) if step > 0 else (row >= table.cursor_row)
                table.move_cursor(row=row)
                if wrapped:
                    self.notify("Went round the list: " + ("back at the top." if step > 0 else "from the bottom."),
                                timeout=2)
                return
        folded = " (folded copies are not counted)" if self.copies.ready else ""
        self.notify(f"No new article in the list{folded}.", timeout=2)

    def action_next_new(self) -> None:
        self._move_new(1)

    def action_previous_new(self) -> None:
        self._move_new(-1)

    def action_save_search(self) -> None:
        """Save the search in the list under a name (then @name in any search, here or in the CLI)."""
        from briefreader.tui.triage.prompt import Field, PromptScreen

        query = self.search_query or self.query_one(SearchBar).value.strip()
        if not query:
            self.notify(f"Search first ({self.keys_for('search')}), then {self.keys_for('save_search')} saves it.",
                        timeout=3)
            return
        if not self._triage_ready():
            return

        def ask(saved: dict[str, str]) -> None:
            known = ", ".join("@" + name for name in saved) or "none yet"

            def submitted(values: dict[str, str] | None) -> None:
                name = (values or {}).get("name", "").strip().lstrip("@")
                if not name:
                    return
                replacing = name in saved

                def job(store) -> None:  # type: ignore[no-untyped-def]
                    store.save_search(name, query)

                def done(_: object) -> None:
                    verb = "replaced" if replacing else "saved"
                    self.notify(f"Search {verb} as @{name}: type @{name} in a search (or --where @{name}).",
                                timeout=4)

                self.triage_submit(job, done, what="saving the search")

            self.push_screen(PromptScreen("Save this search", [
                Field("name", "Name (one word: letters, digits, _ . -)", placeholder="e.g. kallas")],
                context=f"query: {query}\nsaved searches: {known}"), submitted)

        self.triage_submit(lambda store: store.saved_searches(), ask, what="reading saved searches")

    def action_search(self) -> None:
        self.show_list_pane()  # the search box sits above the list
        bar = self.query_one(SearchBar)
        bar.open()
        if self.searcher is None:
            bar.set_message(f"Search starts when the index is ready ({self.index_state}).")

    def _move_hit(self, step: int) -> None:
        self.show_article_pane()
        if not self.hits:
            self.notify("No search hits in this article.", timeout=2)
            return
        if self.current_hit is None:
            self.current_hit = 0 if step > 0 else len(self.hits) - 1
        else:
            self.current_hit = (self.current_hit + step) % len(self.hits)
        self.render_article(keep_scroll=True)
        self.query_one(BodyView).scroll_to_offset(self.hits[self.current_hit][0])

    def action_next_hit(self) -> None:
        self._move_hit(1)

    def action_previous_hit(self) -> None:
        self._move_hit(-1)

    def _first_visible_quote(self) -> int:
        body = self.query_one(BodyView)
        top = body.scroll_offset.y
        for i, q in enumerate(self.article_quotes()):
            if body.line_of(q.start) >= top:
                return i
        return 0

    def action_next_quote(self) -> None:
        self.show_article_pane()
        quotes = self.article_quotes()
        if not quotes:
            self.notify("No quotations in this article.", timeout=2)
            return
        if self.current_quote is None:
            self.select_quote(self._first_visible_quote())
        elif self.current_quote + 1 < len(quotes):
            self.select_quote(self.current_quote + 1)
        else:
            self.notify("Last quotation in this article.", timeout=2)

    def action_previous_quote(self) -> None:
        self.show_article_pane()
        quotes = self.article_quotes()
        if not quotes:
            self.notify("No quotations in this article.", timeout=2)
            return
        if self.current_quote is None:
            self.select_quote(len(quotes) - 1)
        elif self.current_quote > 0:
            self.select_quote(self.current_quote - 1)
        else:
            self.notify("First quotation in this article.", timeout=2)

    def action_focus_diff(self) -> None:
        self.show_article_pane()
        if self.current_quote is None and self.article_quotes():
            self.select_quote(self._first_visible_quote())
        self.query_one(QuoteDiff).focus()

    def _cycle_compared(self, step: int) -> None:
        quotes = self.article_quotes()
        if self.current_quote is None or self.quotes is None:
            return
        mark = quotes[self.current_quote]
        cluster = self.quotes.cluster_of(mark)
        if cluster is None or len(cluster.variants) < 2:
            self.notify("No other rendering of this quotation.", timeout=2)
            return
        others = [i for i, r in enumerate(cluster.variants) if not (r.article == mark.article_id and r.start == mark.start)]
        if not others:
            return
        if self.compared not in others:
            self.compared = others[0]
        else:
            self.compared = others[(others.index(self.compared) + step) % len(others)]
        self.render_diff()

    @on(QuoteDiff.RenderingClicked)
    def _rendering_clicked(self, event: QuoteDiff.RenderingClicked) -> None:
        """A click on another outlet's rendering compares it; a second click opens it there."""
        if self.current_quote is None or self.quotes is None:
            return
        cluster = self.quotes.cluster_of(self.article_quotes()[self.current_quote])
        if cluster is None or not 0 <= event.index < len(cluster.variants):
            return
        if event.index == self.compared:
            self.action_jump_variant()
            return
        self.compared = event.index
        self.render_diff()

    def action_next_variant(self) -> None:
        self._cycle_compared(1)

    def action_previous_variant(self) -> None:
        self._cycle_compared(-1)

    def action_jump_variant(self) -> None:
        """Open the compared rendering's article at that quotation."""
        quotes = self.article_quotes()
        if self.current_quote is None or self.compared is None or self.quotes is None:
            self.notify("Select a quotation with variants first.", timeout=2)
            return
        cluster = self.quotes.cluster_of(quotes[self.current_quote])
        if cluster is None:
            return
        target = cluster.variants[self.compared]
        table = self.query_one(ArticleList)
        if not table.select_id(target.article):
            self.clear_search(close=True)
            table.select_id(target.article)
        self.current_id = target.article
        self.hits = self.compute_hits(self.current_article()) if self.current_article() else []
        self.current_hit = None
        new_quotes = self.article_quotes()
        index = next((i for i, q in enumerate(new_quotes) if q.start == target.start), None)
        if index is None:
            index = next((i for i, q in enumerate(new_quotes) if q.cluster_id == cluster.id), None)
        self.current_quote = None
        self.select_quote(index)

    def action_next_altered(self) -> None:
        """The next quotation whose group has altered words (a misquote), here or in a later article."""
        if self.quotes is None:
            self.notify("Quotations are still being analysed.", timeout=2)
            return
        order = list(self.quotes.by_article)
        here = order.index(self.current_id) if self.current_id in order else -1
        after = self.current_quote if self.current_quote is not None else -1
        for step in range(len(order) + 1):
            article_id = order[(here + step) % len(order)] if here >= 0 or step else None
            if article_id is None:
                continue
            marks = self.quotes.quotes_in(article_id)
            for i, mark in enumerate(marks):
                if step == 0 and i <= after:
                    continue
                cluster = self.quotes.cluster_of(mark)
                if cluster is not None and cluster.altered:
                    if article_id != self.current_id:
                        table = self.query_one(ArticleList)
                        if not table.select_id(article_id):
                            self.clear_search(close=True)
                            table.select_id(article_id)
                        self.current_id = article_id
                        self.hits = self.compute_hits(self.current_article()) if self.current_article() else []
                        self.current_hit = None
                    self.current_quote = None
                    self.select_quote(i)
                    return
        self.notify("No quotation with altered words.", timeout=2)

    def action_toggle_diff_options(self) -> None:
        self.diff_ignore_punct = not self.diff_ignore_punct
        self.render_diff()

    def action_toggle_raw(self) -> None:
        self.show_article_pane()
        self.raw = not self.raw
        self.render_article()
        self.update_status()
        self.refresh_bindings()

    @property
    def by_relevance(self) -> bool:
        """True while search results are listed in the index's order (not by a sort key)."""
        return bool(self.search_query) and self.search_by_relevance

    @property
    def by_story(self) -> bool:
        return self.sort_key == "story" and not self.by_relevance

    def search_rows(self) -> list[Article]:
        """The search results in the list's order: by relevance, or by the sort key chosen with s."""
        if self.search_by_relevance:
            return list(self._search_articles)
        return self.sorted_articles(self._search_articles)

    def action_sort(self) -> None:
        """s: the next sort key; with search results, relevance is one more key in the cycle."""
        if self.by_relevance:
            self.search_by_relevance = False
            self.sort_key = SORT_KEYS[0]
        elif self.search_query and self.sort_key == SORT_KEYS[-1]:
            self.search_by_relevance = True
        else:
            self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]
        self._resort()

    def action_reverse_sort(self) -> None:
        if self.by_relevance:
            self.notify(f"Search results are in order of relevance; {self.keys_for('sort')} sorts them by a key.",
                        timeout=3)
            return
        self.sort_reverse = not self.sort_reverse
        self._resort()

    def sorted_articles(self, articles: Iterable[Article]) -> list[Article]:
        """``articles`` in the list's order (the sort key and direction in effect)."""
        return sort_articles(articles, self.sort_key, self.sort_reverse,
                             status_of=lambda aid: self.triage_state(aid).status)

    def _resort(self) -> None:
        self.all_articles = self.sorted_articles(self.all_articles)
        table = self.query_one(ArticleList)
        if self.search_query:
            self.show_list(self.search_rows() if self._search_articles else self.sorted_articles(table.shown),
                           keep=self.current_id)
        else:
            self.show_list(self.all_articles, keep=self.current_id)
        self.update_status()

    def action_warnings(self) -> None:
        from briefreader.tui.screens.warnings import WarningsScreen

        lines = [str(w) for w in self.corpus.warnings] if self.corpus is not None else []
        self.push_screen(WarningsScreen(lines))

    def action_help(self) -> None:
        from briefreader.tui.screens.help import HelpScreen

        config = (self.config_folder or _config_dir()) / CONFIG_NAME
        hint = (f"Remap any key in {config}, e.g.\n  keymap:\n    search: slash,ctrl+f\n"
                "Command ids: " + ", ".join(c.id for c in COMMANDS))
        self.push_screen(HelpScreen(self.config.keymap, hint))

    def action_change_theme(self) -> None:
        self.search_themes()

    def action_open_source(self) -> None:
        """Open the article's URL when it is an http(s) address, else its own file (never anything
        else: the URL comes from the corpus, see :mod:`briefreader.core.urls`)."""
        from briefreader.core.inert import inert_line
        from briefreader.core.urls import article_file_uri, safe_http_url

        article = self.current_article()
        if article is None:
            return
        web = safe_http_url(article.url)
        if web is not None:
            self.open_url(web)
            self.notify(f"Opening {web}", timeout=2)
            return
        refused = f"The URL “{inert_line(article.url)}” is not an http(s) address: not opened. " if article.url else ""
        file_uri = article_file_uri(self.root, article.path)
        if file_uri is None:
            self.notify(refused + f"The file {article.path} is not inside the corpus folder: not opened.",
                        title="Open", severity="warning", timeout=6)
            return
        self.open_url(file_uri)
        self.notify(refused + f"Opening the file {article.path}", severity="warning" if refused else "information",
                    timeout=6 if refused else 2)

    def notify(self, message: str, *, title: str = "", severity: str = "information",  # type: ignore[override]
               timeout: float | None = None, markup: bool = False) -> None:
        """Textual's notify, with every message and title made inert and never read as markup:
        notices name articles, tags, paths and errors, all of which may come from the corpus."""
        from briefreader.core.inert import inert, inert_line

        super().notify(inert(message), title=inert_line(title), severity=severity,  # type: ignore[arg-type]
                       timeout=timeout, markup=False)

    # ------------------------------------------------------------------ palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for command in COMMANDS:
            if not command.palette or command.scope != APP:
                continue
            keys = self.keys_for(command.id)
            yield SystemCommand(command.description, f"{command.section} · key: {keys}",
                                lambda action=command.action: self.run_action(action))


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker while stderr is still the real one.

    The corpus loader spawns worker processes for big folders; spawning starts the tracker on
    first use and hands it ``sys.stderr.fileno()``, which is -1 once Textual captures stderr
    ("bad value(s) in fds_to_keep"). Started here, before the app runs, it is simply reused.
    """
    try:
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    except Exception:  # no tracker: the loader falls back to what it can do
        pass


def _exempt_from_gc() -> None:
    """Move every object alive now (the corpus, the quote data: millions of long-lived objects) out
    of reach of the cyclic garbage collector. Otherwise each full collection walks them all: at 10k
    articles that was a 150-240 ms freeze every second or so while typing a search."""
    import gc

    gc.freeze()


def defer_full_gc() -> None:
    """Leave full collections to :meth:`ReaderApp._collect_when_idle`: young generations are still
    collected as usual, but the full pass (every surviving object) no longer fires mid-keystroke.
    Textual's line strips cache themselves (a cycle per strip), so each screen update leaves cyclic
    garbage, and full passes came every second or so while typing a search. Process-wide: called by
    :func:`run`, which owns the process (not by the app, which tests run many times in one process)."""
    import gc

    threshold0, threshold1, _ = gc.get_threshold()
    gc.set_threshold(threshold0, threshold1, 1_000_000)


def _config_dir() -> Path:
    from briefreader.core.paths import config_dir

    return config_dir()


def run(root: Path, *, use_cache: bool = True, follow_links: bool = False) -> int:
    """Run the reader on ``root`` until the user quits."""
    defer_full_gc()
    app = ReaderApp(root, use_cache=use_cache, follow_links=follow_links)
    try:
        app.run()
    finally:
        app.triage_close()  # however the reader ended: checkpoint, so triage.sqlite3 alone is complete
    return 0
