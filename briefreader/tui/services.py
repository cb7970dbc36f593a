"""The reader's one door into the core: loading, the index, search, triage storage, quotes, copies, export.

Every call the reader makes into core storage and analysis goes through :class:`ReaderServices`, so
the reader can be moved onto another service layer (a shared workspace for the CLI and the reader)
by changing this one class. Its methods run on worker threads unless said otherwise; the triage
store methods are called from the triage controller's single writer thread only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefreader.core.copies import CopyAnalysis
    from briefreader.core.corpus import Corpus
    from briefreader.core.index import CorpusIndex, SearchResults, SearchSession
    from briefreader.core.model import Article
    from briefreader.core.triage import (ArticleState, ChosenCluster, Filters, Highlight, JournalEntry, ResumeState,
                                         TriageStore)
    from briefreader.tui.quote_model import QuoteData
    from briefreader.tui.triage.export_screen import ExportOptions

log = logging.getLogger(__name__)

Cancelled = Callable[[], bool]


class TriageOff(Exception):
    """A triage call while the store is not open (or closed)."""


@dataclass(frozen=True, slots=True)
class TriageOpening:
    """What the reader needs from the triage store when it opens."""

    states: dict[str, ArticleState]
    tags: list[str]
    resume: ResumeState
    notice: str | None  # e.g. the state lives in the user's folder (read-only corpus)
    in_corpus: bool


@dataclass(frozen=True, slots=True)
class BuiltBrief:
    """A brief built for the export dialog: the text as written, its summary, the Markdown to preview."""

    text: str
    summary: str
    markdown: str | None


class ReaderServices:
    """The core behind the reader, for one corpus folder."""

    def __init__(self, root: Path, *, use_cache: bool = True, follow_links: bool = False) -> None:
        self.root = root
        self.use_cache = use_cache
        self.follow_links = follow_links
        self._store: TriageStore | None = None

    # ------------------------------------------------------------------ corpus, index, search

    def load_corpus(self, *, progress: Callable[[int, int], None], cancelled: Cancelled,
                    on_articles: Callable[[Sequence[Article]], None]) -> Corpus:
        """Load (clean, cache) the corpus folder; raises CorpusError, LoadCancelled."""
        from briefreader.core.corpus import load_corpus

        return load_corpus(self.root, use_cache=self.use_cache, follow_links=self.follow_links, progress=progress,
                           cancelled=cancelled, on_articles=on_articles)

    def open_index(self, corpus: Corpus, *, progress: Callable[[int, int], None],
                   cancelled: Cancelled) -> tuple[CorpusIndex, SearchSession, str] | None:
        """Open (and bring up to date) the full-text index; None when cancelled. Raises IndexBusyError."""
        from briefreader.core.index import CorpusIndex

        index = CorpusIndex.open(self.root)
        if index.needs_update(corpus):
            progress(0, len(corpus.articles))
            index.update(corpus, progress=progress, cancelled=cancelled)
        if cancelled():
            return None
        return index, index.searcher(), getattr(index, "message", "") or ""

    def split_query(self, query: str, *, triage_problem: str | None) -> tuple[Filters, str]:
        """(triage filters, words) of a search query; raises QuerySyntaxError for a bad filter."""
        from briefreader.core.search_query import QuerySyntaxError
        from briefreader.core.triage import Filters, TriageError, split_filters

        store = self._store
        try:
            if store is not None and "@" in query:
                query = store.expand_saved(query)
            filters, text = split_filters(query)
        except TriageError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        if filters and store is None:
            raise QuerySyntaxError(f"status:/tag:/has:/note: need the triage state ({triage_problem})")
        return (filters if filters else Filters()), text

    def search(self, query: str, *, searcher: SearchSession | None, articles: Sequence[Article], limit: int,
               cancelled: Cancelled | None, triage_problem: str | None) -> SearchResults:
        """Run a search query with triage filters (``status:keep tag:x words``): the filters pick the
        allowed ids, the words go to the index."""
        from briefreader.core.index import Hit, SearchResults
        from briefreader.core.search_query import QuerySyntaxError

        filters, text = self.split_query(query, triage_problem=triage_problem)
        if not filters:
            if searcher is None:
                raise QuerySyntaxError("the index is not ready yet: search by words starts when it is")
            return searcher.search(query, limit=limit, snippets=False, cancelled=cancelled, ids_only=True)
        allowed = self._filter_ids(filters, [a.id for a in articles])
        if text:
            if searcher is None:
                raise QuerySyntaxError("the index is not ready yet: search by words starts when it is")
            return searcher.search(text, limit=limit, snippets=False, allowed_ids=set(allowed), cancelled=cancelled,
                                   ids_only=True)
        by_id = {a.id: a for a in articles}
        hits = [Hit(aid, by_id[aid].path, 0.0, by_id[aid].title, by_id[aid].outlet, by_id[aid].date, [])
                for aid in allowed[:limit]]
        return SearchResults(query, len(allowed), hits, 1, limit)

    def select_ids(self, query: str, *, searcher: SearchSession | None, articles: Sequence[Article],
                   triage_problem: str | None) -> list[str]:
        """Every article matching ``query`` (filters and words), not just the first page."""
        from briefreader.core.search_query import QuerySyntaxError

        filters, text = self.split_query(query, triage_problem=triage_problem)
        ids = [a.id for a in articles]
        if filters:
            ids = self._filter_ids(filters, ids)
        if not text:
            return ids
        if searcher is None:
            raise QuerySyntaxError("the index is not ready yet")
        return searcher.matching_ids(text, allowed_ids=set(ids) if filters else None)

    def _filter_ids(self, filters: Filters, ids: list[str]) -> list[str]:
        return self.store.filter_ids(filters, ids)

    @staticmethod
    def match_spans(searcher: SearchSession, article: Article, words: str) -> list[tuple[int, int]]:
        """Where the search words occur in the article's body (sorted spans)."""
        return sorted(searcher.match_spans(article.id, article.body, words))

    # ------------------------------------------------------------------ quotes and copies

    def analyse_quotes(self, corpus: Corpus, *, cancelled: Cancelled,
                       progress: Callable[[int, int], None]) -> QuoteData | None:
        """Find the quotations and their groups (a big corpus in a child process); None when cancelled.
        Raises QuotesUnavailableError when the analysis cannot run."""
        from briefreader.tui.quote_source import ISOLATE_MIN_ARTICLES, build_quote_data, build_quote_data_isolated

        # the child process loads the corpus itself, without links out of the folder
        if self.use_cache and not self.follow_links and len(corpus.articles) >= ISOLATE_MIN_ARTICLES:
            return build_quote_data_isolated(corpus.root, corpus.articles, cancelled=cancelled, progress=progress)
        return build_quote_data(corpus, cancelled=cancelled, progress=progress)

    def analyse_copies(self, corpus: Corpus, *, cancelled: Cancelled) -> CopyAnalysis | None:
        """Copy groups and stories (a big corpus in a child process, which needs the record cache)."""
        from briefreader.core.copies import analyse_copies, analyse_copies_isolated

        if self.use_cache:
            return analyse_copies_isolated(corpus.root, corpus.articles, follow_links=self.follow_links,
                                           cancelled=cancelled)
        return analyse_copies(corpus.articles, cancelled=cancelled)

    # ------------------------------------------------------------------ triage storage

    def open_triage(self) -> TriageOpening:
        """Open the triage store (raises TriageError, OSError)."""
        from briefreader.core.triage import open_store

        store = open_store(self.root)
        try:
            opening = TriageOpening(store.states(), store.complete_tag(""), store.resume_state(),
                                    store.location_notice(), store.in_corpus)
        except Exception:
            store.close()
            raise
        self._store = store
        return opening

    @property
    def store(self) -> TriageStore:
        if self._store is None:
            raise TriageOff("the triage state is not open")
        return self._store

    @property
    def triage_open(self) -> bool:
        return self._store is not None

    def close_triage(self) -> None:
        """Close the store (checkpointed: the main file alone then holds everything). Idempotent."""
        store, self._store = self._store, None
        if store is not None:
            store.close()

    def states(self, ids: Iterable[str] | None = None) -> dict[str, ArticleState]:
        return self.store.states(ids)

    def known_tags(self) -> list[str]:
        return self.store.complete_tag("")

    def set_status(self, ids: list[str], status: str) -> JournalEntry:
        return self.store.set_status(ids, status)

    def mark_read(self, article_id: str) -> JournalEntry | None:
        return self.store.mark_read(article_id)

    def add_tags(self, ids: list[str], tags: list[str]) -> JournalEntry:
        return self.store.add_tags(ids, tags)

    def remove_tags(self, ids: list[str], tags: list[str]) -> JournalEntry:
        return self.store.remove_tags(ids, tags)

    def set_note(self, article_id: str, note: str) -> JournalEntry:
        return self.store.set_note(article_id, note)

    def undo(self) -> list[JournalEntry]:
        return self.store.undo()

    def changed_elsewhere(self) -> bool:
        return self.store.changed_elsewhere()

    def saved_searches(self) -> dict[str, str]:
        return self.store.saved_searches()

    def save_search(self, name: str, query: str) -> JournalEntry:
        return self.store.save_search(name, query)

    def save_resume(self, article_id: str | None, query: str, scroll: float, extra: dict[str, Any]) -> None:
        self.store.save_resume(article_id, query, scroll, extra)

    def add_highlight(self, article: Article, start: int, end: int, *, comment: str, tags: list[str]) -> Highlight:
        return self.store.add_highlight(article, start, end, comment=comment, tags=tags)

    def update_highlight(self, highlight_id: int, *, comment: str | None = None,
                         tags: list[str] | None = None) -> Highlight:
        if comment is not None:
            return self.store.update_highlight(highlight_id, comment=comment)
        return self.store.update_highlight(highlight_id, tags=tags or [])

    def delete_highlight(self, highlight_id: int) -> JournalEntry:
        return self.store.delete_highlight(highlight_id)

    def highlight(self, highlight_id: int) -> Highlight | None:
        return self.store.highlight(highlight_id)

    def all_highlights(self, articles: Iterable[Article]) -> list[Highlight]:
        """Every highlight, re-attached first in the articles that changed."""
        self.store.reattach_changed(articles)
        return self.store.highlights()

    def highlights_for(self, article: Article) -> list[Highlight]:
        return self.store.highlights_for(article)

    def toggle_chosen_cluster(self, cluster: Any, key: str, titles: dict[str, str]) -> bool:
        """Put the quotation group in the brief, or take it out when it is in; True when now chosen."""
        if self.store.is_chosen(key):
            self.store.unchoose_cluster(key)
            return False
        chosen: ChosenCluster = self.store.choose_cluster(cluster, titles=titles)
        log.debug("chose quotation group %s", chosen.key if hasattr(chosen, "key") else key)
        return True

    # ------------------------------------------------------------------ export

    def build_brief(self, options: ExportOptions, *, corpus: Corpus, copies: CopyAnalysis | None,
                    searcher: SearchSession | None, articles: Sequence[Article],
                    triage_problem: str | None) -> BuiltBrief:
        """Build and render the brief for the export dialog's ``options``."""
        from briefreader.core.export import brief_summary, build_brief, relative_link_root, render

        filters, text = self.split_query(options.where, triage_problem=triage_problem)
        only = self.select_ids(text, searcher=searcher, articles=articles,
                               triage_problem=triage_problem) if text else None
        out = options.output_path()
        link_root = relative_link_root(self.root, out.parent if options.output.strip() else Path.cwd())
        brief = build_brief(corpus.articles, self.store, filters=filters if filters else None, only_ids=only,
                            search=text, link_root=link_root, group_by=options.group_by, copies=copies,
                            corpus_name=self.root.resolve().name, profile=options.profile,
                            ignore_punct=options.ignore_punct)
        rendered = render(brief, options.fmt)
        markdown = rendered if options.fmt == "md" else render(brief, "md") if options.fmt == "html" else None
        return BuiltBrief(rendered, brief_summary(brief), markdown)

    @staticmethod
    def write_file(path: Path, text: str, *, replace: bool, make_folder: bool) -> None:
        """Write the brief (refuses links, devices, FIFOs)."""
        from briefreader.core.paths import write_output_file

        write_output_file(path, text, force=replace, make_parents=make_folder)


__all__ = ["BuiltBrief", "ReaderServices", "TriageOff", "TriageOpening"]
