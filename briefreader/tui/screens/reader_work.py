"""The reader's background work: loading the corpus, the index, searches, quote and copy analysis.

Each job runs in a thread worker of the reader screen and reports back with a message
(:mod:`briefreader.tui.messages`); the UI thread only renders. Every core call goes through the
screen's :class:`briefreader.tui.services.ReaderServices`. A failure is logged and reported as a
message the screen shows (status line, search bar, diff pane): never a traceback, never silence.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from briefreader.tui import messages as msg

if TYPE_CHECKING:
    from briefreader.tui.screens.reader import ReaderScreen
    from briefreader.workspace import Corpus

log = logging.getLogger(__name__)

SEARCH_LIMIT = 200  # hits shown in the list for one query (the index's largest page; the total is always reported)
INDEX_RETRY_SECONDS = 5.0


class BackgroundWork:
    """Starts the reader screen's workers; each posts its outcome to the screen."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.services = screen.services
        self._search_lock = threading.Lock()

    def _post(self, message: msg.Message) -> None:
        self.screen.post_message(message)

    # ------------------------------------------------------------------ the corpus

    def load_corpus(self) -> None:
        self.screen.run_worker(self._load, thread=True, exclusive=True, group="load", exit_on_error=False)

    def _load(self) -> None:
        from briefreader.workspace import CorpusError, LoadCancelled

        worker = get_current_worker()
        started = time.perf_counter()
        try:
            corpus = self.services.load_corpus(
                progress=lambda done, total: self._post(msg.LoadProgress(done, total)),
                cancelled=lambda: worker.is_cancelled,
                on_articles=lambda batch: self._post(msg.ArticlesStreamed(list(batch))),
            )
        except LoadCancelled:
            return
        except CorpusError as exc:
            log.warning("the corpus could not be loaded: %s", exc)
            self._post(msg.CorpusFailed(str(exc)))
            return
        except Exception as exc:  # never a traceback in the reader: say what happened
            log.exception("loading the corpus failed")
            self._post(msg.CorpusFailed(f"could not load the corpus: {type(exc).__name__}: {exc}"))
            return
        self._post(msg.CorpusLoaded(corpus, time.perf_counter() - started))

    def corpus_loaded(self, corpus: Corpus, seconds: float) -> None:
        """The corpus is loaded (on the UI thread): list it, then index and analyse it."""
        from briefreader.tui.app import exempt_from_gc

        screen, state = self.screen, self.screen.state
        screen.corpus = corpus
        screen.load_seconds = seconds
        count = len(corpus.articles)
        screen.lists.loaded(corpus.articles)
        exempt_from_gc()
        state.load_state = f"{count} article{'s' if count != 1 else ''}"
        if not corpus.articles:
            warnings = len(corpus.warnings)
            screen.article_view.show_empty(
                f"No articles could be read in {self.services.root}."
                + (f"\n{warnings} file(s) were skipped: press {screen.keys_for('warnings')} to see why." if warnings
                   else "\nPut .txt, .md, .html, .json or .jsonl files in the folder and open it again.")
            )
            state.index_state = "index: nothing to index"
            state.quotes_state = "quotes: none"
            return
        state.copies_state = "copies: finding…"
        self.open_index()
        self.analyse_quotes()
        self.analyse_copies()

    # ------------------------------------------------------------------ the index

    def open_index(self) -> None:
        self.screen.run_worker(self._open_index, thread=True, exclusive=True, group="index", exit_on_error=False)

    def _open_index(self) -> None:
        from briefreader.workspace import IndexBusyError

        worker = get_current_worker()
        if self.screen.corpus is None:
            return
        try:
            opened = self.services.open_index(
                progress=lambda done, total: self._post(msg.IndexProgress(done, total)),
                cancelled=lambda: worker.is_cancelled)
        except IndexBusyError as exc:
            log.info("index busy: %s", exc)
            self._post(msg.IndexUnavailable(f"index: {exc} (search waits)", retry=True))
            return
        except Exception as exc:
            if worker.is_cancelled:
                return
            log.exception("opening the index failed")
            self._post(msg.IndexUnavailable(f"index: unavailable ({type(exc).__name__}: {exc})"))
            return
        if opened is None or worker.is_cancelled:
            return
        index, searcher, message = opened
        self._post(msg.IndexReady(index, searcher, message))

    # ------------------------------------------------------------------ search

    def search(self, query: str) -> None:
        """Search for ``query`` in a worker (a newer keystroke cancels an older search)."""
        self.screen.run_worker(lambda: self._search(query), thread=True, exclusive=True, group="search",
                               exit_on_error=False)

    def cancel_search(self) -> None:
        self.screen.workers.cancel_group(self.screen, "search")

    def _search(self, query: str) -> None:
        from briefreader.core.query import QuerySyntaxError
        from briefreader.workspace import SearchCancelled

        worker = get_current_worker()
        with self._search_lock:
            if worker.is_cancelled:
                return
            started = time.perf_counter()
            try:  # triage filters + words; a newer keystroke cancels this worker, and the search with it
                results = self.services.search(query, searcher=self.screen.searcher,
                                               articles=self.screen.lists.all_articles, limit=SEARCH_LIMIT,
                                               cancelled=lambda: worker.is_cancelled,
                                               triage_problem=self.screen.triage.problem)
            except SearchCancelled:
                return
            except QuerySyntaxError as exc:
                self._post(msg.SearchFailed(query, str(exc)))
                return
            except Exception as exc:
                log.exception("search for %r failed", query)
                self._post(msg.SearchFailed(query, f"{type(exc).__name__}: {exc}"))
                return
            if not worker.is_cancelled:
                self._post(msg.SearchDone(query, results, time.perf_counter() - started))

    # ------------------------------------------------------------------ quotes and copies

    def analyse_quotes(self) -> None:
        """Find the quotations (after the copies: a misquote's wire copies are judged as the CLI judges them)."""
        self.screen.run_worker(self._quotes, thread=True, exclusive=True, group="quotes", exit_on_error=False)

    def _quotes(self) -> None:
        worker = get_current_worker()
        self._post(msg.QuotesProgress("quotes: finding quotations…"))

        def progress(done: int, total: int) -> None:
            self._post(msg.QuotesProgress(f"quotes: reading {done}/{total} articles"))

        try:
            data = self.services.analyse_quotes(cancelled=lambda: worker.is_cancelled, progress=progress)
        except Exception as exc:
            if not worker.is_cancelled:
                log.exception("quote analysis failed")
                self._post(msg.QuotesUnavailable(f"quotes: failed ({type(exc).__name__}: {exc})"))
            return
        if data is None or worker.is_cancelled:
            return
        self._post(msg.QuotesReady(data, ""))

    def analyse_copies(self) -> None:
        self.screen.run_worker(self._copies, thread=True, exclusive=True, group="copies", exit_on_error=False)

    def _copies(self) -> None:
        worker = get_current_worker()
        try:
            analysis = self.services.analyse_copies(cancelled=lambda: worker.is_cancelled)
        except Exception as exc:
            log.exception("copy analysis failed")
            if not worker.is_cancelled:
                self._post(msg.CopiesUnavailable(f"copies: failed ({type(exc).__name__}: {exc})"))
            return
        if analysis is not None and not worker.is_cancelled:
            self._post(msg.CopiesReady(analysis))


__all__ = ["INDEX_RETRY_SECONDS", "SEARCH_LIMIT", "BackgroundWork"]
