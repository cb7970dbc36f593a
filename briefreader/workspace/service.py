"""The :class:`Workspace` service: one corpus folder, its articles, index, triage store and the brief;
its analyses (quotes, copies, their child processes) are in :mod:`briefreader.workspace.analyses`.
Front ends import it from :mod:`briefreader.workspace` (see there).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Any, TypeVar

from briefreader.core.query import Query, QuerySyntaxError, parse, uses_saved
from briefreader.core.triage_model import TriageError
from briefreader.workspace import analyses

if TYPE_CHECKING:
    from briefreader.core.copies import CopyAnalysis
    from briefreader.storage.corpus import Corpus, LoadWarning, SourceState
    from briefreader.storage.corpus_stream import RecordStream
    from briefreader.core.export import Brief
    from briefreader.storage.index import CorpusIndex, SearchResults, SearchSession
    from briefreader.storage.index_sync import SyncResult
    from briefreader.storage.listing import Listing
    from briefreader.core.model import Article
    from briefreader.core.quote_clusters import QuoteAnalysis
    from briefreader.core.triage_model import ArticleState, ChosenCluster, Highlight, JournalEntry, ResumeState
    from briefreader.storage.triage_store import TriageStore

log = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int], None]
Warn = Callable[[str], None]

# Modules about files on disk (corpus files, record cache, index and its lock, triage store).


class SearchUnavailable(Exception):
    """The index cannot be opened now (``busy``: another briefreader holds it). One-line message."""

    def __init__(self, message: str, *, busy: bool = False) -> None:
        super().__init__(message)
        self.busy = busy


def _index_busy_error() -> type[Exception]:
    from briefreader.storage.index import IndexBusyError

    return IndexBusyError


def _os_problem(exc: OSError) -> str:
    import errno

    return "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))


@dataclass
class ExportOptions:
    """What to put in the brief and how to lay it out (the CLI's options, the reader's dialog)."""

    where: str = ""  # triage filters and/or full-text words, as in the search bar
    statuses: Sequence[str] = ()  # more statuses (any of them), e.g. repeated --status
    tags: Sequence[str] = ()  # more tags (each must hold), e.g. repeated --tag
    group_by: str = "article"
    fmt: str = "md"
    profile: str = "send"  # send | archive (core.export.DEFAULT_PROFILE, not imported: `search` starts faster)
    title: str | None = None
    template: str | None = None  # a user template's name
    template_source: str | None = None  # its text, when already read
    ignore_punct: bool = False
    link_root: str | None = None  # the corpus folder as a URL from the brief's folder; None: no links
    preview_markdown: bool = False  # also render the Markdown a preview shows (for html)


@dataclass
class ExportResult:
    """A rendered brief: ``text`` to write, ``summary`` (one line, the same in the CLI and the
    reader), the ``brief`` data, and for a preview the Markdown it shows (None for JSON)."""

    text: str
    summary: str
    brief: Brief
    markdown: str | None = None


class Workspace:
    """One corpus folder: its articles, index, triage state and analyses."""

    def __init__(self, root: Path | str, *, follow_links: bool = False, use_cache: bool = True,
                 open_store_on_demand: bool = True) -> None:
        """``root`` the corpus folder; ``follow_links`` reads symlinks pointing out of it too;
        ``use_cache`` reads articles from the record cache when unchanged; ``open_store_on_demand``
        opens the triage store the first time it is needed (False: only :meth:`open_store` opens it,
        and triage calls before that, or after :meth:`close`, raise TriageError)."""
        self.root = Path(root)
        self.follow_links = follow_links
        self.use_cache = use_cache
        self.open_store_on_demand = open_store_on_demand
        self._corpus: Corpus | None = None
        self._store: TriageStore | None = None
        # the copy analysis of the loaded corpus, computed once and shared (the quote analysis needs it)
        self._copies: tuple[Corpus, CopyAnalysis] | None = None
        self._copies_lock = Lock()

    @classmethod
    def open(cls, root: Path | str, *, follow_links: bool = False, use_cache: bool = True) -> Workspace:
        """A workspace on ``root`` (nothing is read until asked for)."""
        return cls(root, follow_links=follow_links, use_cache=use_cache)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the triage store (checkpointed: its file alone holds everything). Idempotent."""
        if self._store is not None:
            self._store.close()
            self._store = None

    # ------------------------------------------------------------------ articles

    def load(
        self,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        on_articles: Callable[[list[Article]], None] | None = None,
        light: bool = False,
    ) -> Corpus:
        """Read the folder's articles (from the record cache when unchanged); raises CorpusError.
        ``light``: articles whose source text, removed blocks and offset map are read back from the
        record cache when used, never held (for a command that analyses a big corpus once)."""
        from briefreader.storage.corpus import load_corpus

        corpus = load_corpus(self.root, use_cache=self.use_cache, progress=progress, cancelled=cancelled,
                             on_articles=on_articles, follow_links=self.follow_links, light=light)
        self.use_corpus(corpus)
        return corpus

    @property
    def corpus(self) -> Corpus:
        """The loaded corpus (loaded now, without progress, if :meth:`load` was not called)."""
        if self._corpus is None:
            return self.load()
        return self._corpus

    @property
    def loaded(self) -> bool:
        """Whether the articles have been read."""
        return self._corpus is not None

    def use_corpus(self, corpus: Corpus) -> None:
        """Adopt a corpus loaded elsewhere (its analyses are made again when asked for)."""
        self._corpus = corpus
        self._copies = None

    def source_state(self) -> tuple[SourceState, list[LoadWarning]]:
        """The folder's files as they are now (a walk and a stat each, no file read) and the warnings."""
        from briefreader.storage.corpus_files import source_state  # not corpus: no cleaning code for a search

        return source_state(self.root, follow_links=self.follow_links)

    def listing(self) -> Listing | None:
        """The list's rows (one summary per article, no body read) straight from the record cache, or
        None when a full load would have anything to read or clean (then :meth:`load`); raises
        ``CacheTrouble`` for a damaged cache, whose warning the caller shows before loading."""
        from briefreader.storage.listing import listing_from_cache

        return listing_from_cache(self.root, follow_links=self.follow_links)

    @staticmethod
    def read_files(paths: Iterable[Path | str], *, follow_links: bool = False) -> Corpus:
        """Articles from a mix of files and folders (``briefreader clean``); raises CorpusError."""
        from briefreader.storage.corpus import load_paths

        return load_paths(paths, follow_links=follow_links)

    def article_files(self) -> tuple[list[str], list[LoadWarning]]:
        """Paths of the folder's article files and the warnings of finding them (cheap: no file read)."""
        from briefreader.storage.corpus import discover

        return discover(self.root, follow_links=self.follow_links)

    def resolve_id(self, given: str) -> str | None:
        """The article id ``given`` names: the id itself or a path to the file (None: no such article)."""
        corpus = self.corpus
        if corpus.get(given) is not None:
            return given
        candidates = [given.replace("\\", "/").removeprefix("./")]
        try:
            candidates.append(Path(given).resolve().relative_to(Path(corpus.root).resolve()).as_posix())
        except (ValueError, OSError):
            log.debug("%r is not a path inside %s", given, corpus.root)
        return next((c for c in candidates if corpus.get(c) is not None), None)

    # ------------------------------------------------------------------ triage store

    @property
    def store(self) -> TriageStore:
        """The triage store (opened on first use unless not ``open_store_on_demand``; raises
        TriageError with one clear sentence)."""
        store = self._store
        if store is None:
            if not self.open_store_on_demand:
                raise TriageError("the triage state is not open")
            return self.open_store()
        return store

    def open_store(self) -> TriageStore:
        """Open the triage store now (the one already open if it is); raises TriageError, OSError."""
        if self._store is None:
            from briefreader.storage.triage_store import open_store

            self._store = open_store(self.root)
        return self._store

    @property
    def store_is_open(self) -> bool:
        """Whether the triage store is open (asking never opens it)."""
        return self._store is not None

    @property
    def store_path(self) -> Path:
        """Where the triage state file is."""
        return self.store.path

    @property
    def store_in_corpus(self) -> bool:
        """Whether the triage state is kept in the corpus folder (else in the per-user folder)."""
        return self.store.in_corpus

    @property
    def store_location_reason(self) -> str | None:
        """Why the triage state is not in the corpus folder (None when it is)."""
        return self.store.location_reason

    def location_notice(self) -> str | None:
        """One line when the triage state is not in the corpus folder (why and where), else None."""
        return self.store.location_notice()

    def changed_elsewhere(self) -> bool:
        """True once after another process changed the triage state (the reader polls this)."""
        return self.store.changed_elsewhere()

    # ------------------------------------------------------------------ queries and selection

    def parse_query(self, text: str | None) -> Query:
        """``text`` parsed once: saved searches expanded (the store is opened only when ``@`` is
        used), filters taken out, the rest kept as words. Raises QueryError (a TriageError)."""
        text = text or ""
        saved = self.store.saved_searches() if uses_saved(text) else None
        return parse(text, saved)

    def select(self, query: Query | str, ids: Iterable[str] | None = None, *, session: SearchSession | None = None,
               warn: Warn | None = None) -> list[str]:
        """Ids of the articles (of ``ids``, default every article, in that order) matching ``query``:
        triage filters from the store, words from the index: through ``session`` when given (an
        open search session, e.g. the reader's), else the index is opened and brought up to date."""
        if isinstance(query, str):
            query = self.parse_query(query)
        chosen = list(ids) if ids is not None else [a.id for a in self.corpus.articles]
        if query.filters:
            chosen = self.store.filter_ids(query.filters, chosen)
        if query.text:
            keep = set(self._word_ids(query.text, chosen if query.filters or ids is not None else None, session,
                                      warn))
            chosen = [i for i in chosen if i in keep]
        return chosen

    def _word_ids(self, text: str, allowed: Sequence[str] | None, session: SearchSession | None,
                  warn: Warn | None) -> list[str]:
        """Articles (among ``allowed``; None: all) matching full-text ``text``: through ``session``
        when given, else through the index opened (and updated) for this call."""
        if session is None:
            return self.search_ids(text, allowed, warn=warn)
        if allowed is not None and not allowed:
            return []
        return session.matching_ids(text, allowed_ids=set(allowed) if allowed is not None else None)

    def open_updated_index(self, *, progress: Progress | None = None,
                           cancelled: Callable[[], bool] | None = None) -> CorpusIndex | None:
        """The full-text index, brought up to date with the loaded corpus first (``progress(done,
        total)`` while it indexes). None if ``cancelled`` (the index is closed then). Raises
        IndexBusyError (another briefreader writes it), IndexCancelled, OSError."""
        corpus = self.corpus
        index = self.open_index()
        try:
            if index.needs_update(corpus):
                if progress is not None:
                    progress(0, len(corpus.articles))
                index.update(corpus, progress=progress, cancelled=cancelled)
        except BaseException:
            index.close()
            raise
        if cancelled is not None and cancelled():
            index.close()
            return None
        return index

    def open_index(self) -> CorpusIndex:
        """The corpus's full-text index (raises IndexBusyError or OSError; close it after use)."""
        from briefreader.storage.index import CorpusIndex

        return CorpusIndex.open(self.root)

    def sync_index(
        self,
        index: CorpusIndex,
        load_full: Callable[[], Corpus],
        *,
        update: bool = True,
        procs: Callable[[], int] = lambda: 1,
        progress: Callable[[int, int], None] | None = None,
        state: tuple[SourceState, list[LoadWarning]] | None = None,
        stream: bool = False,
        load_progress: Callable[[int, int], None] | None = None,
    ) -> SyncResult:
        """Bring ``index`` up to date with the folder, reading only the files that changed since it
        last looked (``load_full()`` when it must read them all; with ``stream``, a batch of articles
        at a time instead, for a caller that needs no corpus afterwards); ``update=False`` only checks."""
        from briefreader.storage.index_sync import sync_index

        return sync_index(index, self.root, load_full, update=update, follow_links=self.follow_links,
                          procs=procs, progress=progress, state=state, stream=stream and self.use_cache,
                          load_progress=load_progress)

    def refresh_records(self, *, progress: Progress | None = None,
                        cancelled: Callable[[], bool] | None = None) -> RecordStream | None:
        """Bring the record cache in line with the folder a batch of files at a time (never the whole
        corpus in memory) and return the articles as batches to read; None when the cache cannot be
        used (then :meth:`load`). Raises CorpusError, LoadCancelled."""
        from briefreader.storage.corpus_stream import refresh_records

        return refresh_records(self.root, follow_links=self.follow_links, progress=progress, cancelled=cancelled)

    def search_ids(self, text: str, allowed: Sequence[str] | None = None, *, warn: Warn | None = None) -> list[str]:
        """Every article matching full-text ``text`` (among ``allowed``), the index brought up to
        date first. Raises SearchUnavailable when the index cannot be opened, QuerySyntaxError for
        bad words; a failed update only warns (``warn``) and the index is searched as it is."""
        if allowed is not None and not allowed:
            return []
        busy_error = _index_busy_error()
        try:
            index = self.open_index()
        except busy_error as exc:
            raise SearchUnavailable(f"cannot search now: {exc}", busy=True) from exc
        except OSError as exc:
            raise SearchUnavailable(f"cannot search now: {_os_problem(exc)} (the index could not be opened)") from exc
        with index:
            if index.needs_update(self.corpus):
                try:
                    index.update(self.corpus)
                except busy_error:
                    (warn or log.warning)("another briefreader is indexing; searching the index as it is")
                except OSError as exc:  # e.g. a full disk: the last committed index is intact
                    (warn or log.warning)(f"{_os_problem(exc)}: the index update was not saved; "
                                          "searching the index as it is")
            return index.searcher().matching_ids(text, allowed_ids=set(allowed) if allowed is not None else None)

    def search(
        self,
        query: Query | str,
        session: SearchSession | None,
        *,
        limit: int = 20,
        page: int = 1,
        sort: str = "score",
        snippets: bool = True,
        ids_only: bool = False,
        cancelled: Callable[[], bool] | None = None,
        articles: Sequence[Article] | None = None,
    ) -> SearchResults:
        """One page of results for a query mixing triage filters and words (the search bar's):
        the filters pick the allowed articles from the triage store, the words go to the index
        through ``session`` (an open search session, e.g. the reader's long-lived one; None while the
        index is not ready). Filters alone need no index: their hits come in corpus order with score 0.

        Raises QueryError for a bad filter or saved search, TriageError when filters need a triage
        store that cannot be opened, QuerySyntaxError for bad words or words without a ``session``,
        and what :meth:`SearchSession.search` raises (SearchCancelled, IndexDamagedError).

        ``articles``: those the filters pick from, in the order of filter-only hits (default the
        loaded corpus's; the reader passes its list, in the list's order)."""
        from briefreader.storage.index import Hit, SearchResults

        if isinstance(query, str):
            query = self.parse_query(query)
        if not query.filters:
            if session is None:
                raise QuerySyntaxError("the index is not ready yet: search by words starts when it is")
            return session.search(query.text, limit=limit, page=page, sort=sort, snippets=snippets,
                                  cancelled=cancelled, ids_only=ids_only)
        pool = self.corpus.articles if articles is None else articles
        allowed = self.store.filter_ids(query.filters, [a.id for a in pool])
        if query.text:
            if session is None:
                raise QuerySyntaxError("the index is not ready yet: search by words starts when it is")
            return session.search(query.text, limit=limit, page=page, sort=sort, snippets=snippets,
                                  allowed_ids=set(allowed), cancelled=cancelled, ids_only=ids_only)
        first = (max(1, page) - 1) * limit
        by_id = {a.id: a for a in pool} if articles is not None else None
        hits = []
        for article_id in allowed[first:first + limit]:
            article = by_id.get(article_id) if by_id is not None else self.corpus.get(article_id)
            if article is not None:
                hits.append(Hit(article.id, article.path, 0.0, article.title, article.outlet, article.date, []))
        return SearchResults(query.source, len(allowed), hits, max(1, page), limit)

    # ------------------------------------------------------------------ triage reads

    def states(self, ids: Iterable[str] | None = None) -> dict[str, ArticleState]:
        """Triage state of ``ids`` (of every touched article when None)."""
        return self.store.states(ids)

    def saved_searches(self) -> dict[str, str]:
        """Saved searches, name -> query."""
        return self.store.saved_searches()

    def highlights(self, article_id: str | None = None, *, reattach: bool = True) -> list[Highlight]:
        """Highlights of one article or of all; first re-attached where the text changed."""
        if reattach:
            articles = self.corpus.articles if article_id is None else [self.corpus.get(article_id)]
            self.store.reattach_changed(a for a in articles if a is not None)
        return self.store.highlights(article_id)

    def highlight(self, highlight_id: int) -> Highlight | None:
        """One highlight by number (None when there is none)."""
        return self.store.highlight(highlight_id)

    def highlights_for(self, article: Article) -> list[Highlight]:
        """The highlights to paint on ``article``: re-attached to its current text, orphans left out."""
        return self.store.highlights_for(article)

    def reattach_changed(self, articles: Iterable[Article]) -> None:
        """Re-anchor the highlights of those articles whose text changed (or that are orphans)."""
        self.store.reattach_changed(articles)

    def complete_tag(self, prefix: str = "") -> list[str]:
        """Tags in use starting with ``prefix``, most used first (every tag for "")."""
        return self.store.complete_tag(prefix)

    def is_chosen(self, cluster_key: str) -> bool:
        """Whether the quote cluster ``cluster_key`` is in the brief."""
        return self.store.is_chosen(cluster_key)

    def chosen_quotes(self) -> list[ChosenCluster]:
        """Quote clusters chosen for the brief, in the order they were chosen."""
        return self.store.chosen_clusters()

    def journal(self, limit: int | None = 50) -> list[JournalEntry]:
        """The latest triage actions, newest first."""
        return self.store.journal(limit)

    def resume_state(self) -> ResumeState:
        """Where the analyst stopped reading."""
        return self.store.resume_state()

    def status_report(self, ids: Sequence[str]) -> dict[str, Any]:
        """Counts of the triage state over ``ids`` (the corpus's articles), with highlights
        re-attached first, ``orphans`` (highlights whose text is gone) and ``missing_articles``
        (state kept for articles no longer in the folder)."""
        store = self.store
        store.reattach_changed(self.corpus.articles)
        known = set(ids)
        return {
            **store.summary(ids),
            "missing_articles": sorted(aid for aid in store.states() if aid not in known),
            "orphans": store.orphans(),
        }

    # ------------------------------------------------------------------ triage writes

    def set_status(self, ids: Iterable[str] | str, status: str) -> JournalEntry:
        """Set the status of articles (one journal entry)."""
        return self.store.set_status(ids, status)

    def mark_read(self, ids: Iterable[str] | str) -> JournalEntry | None:
        """Mark still-new articles read (an automatic action undo skips); None if nothing changed."""
        return self.store.mark_read(ids)

    def add_tags(self, ids: Iterable[str] | str, tags: Iterable[str] | str) -> JournalEntry:
        """Add tags to articles."""
        return self.store.add_tags(ids, tags)

    def remove_tags(self, ids: Iterable[str] | str, tags: Iterable[str] | str) -> JournalEntry:
        """Remove tags from articles."""
        return self.store.remove_tags(ids, tags)

    def set_note(self, article_id: str, note: str) -> JournalEntry:
        """Replace an article's note ("" clears it)."""
        return self.store.set_note(article_id, note)

    def add_highlight(
        self, article: Article, start: int, end: int, *, comment: str = "", tags: Iterable[str] = ()
    ) -> Highlight:
        """Highlight ``article.body[start:end]``."""
        return self.store.add_highlight(article, start, end, comment=comment, tags=tags)

    def update_highlight(
        self, highlight_id: int, *, comment: str | None = None, tags: Iterable[str] | None = None
    ) -> Highlight:
        """Change a highlight's comment and/or replace its tags."""
        return self.store.update_highlight(highlight_id, comment=comment, tags=tags)

    def delete_highlight(self, highlight_id: int) -> JournalEntry:
        """Delete a highlight (undo brings it back)."""
        return self.store.delete_highlight(highlight_id)

    def choose_quote(self, cluster: Mapping[str, Any] | Any, *, note: str = "") -> ChosenCluster:
        """Put a quote cluster in the brief (frozen; titles filled from the corpus when loaded)."""
        titles = {a.id: a.title for a in self._corpus.articles if a.title} if self._corpus is not None else None
        return self.store.choose_cluster(cluster, note=note, titles=titles)

    def unchoose_quote(self, cluster_key: str) -> JournalEntry:
        """Take a chosen quote cluster out of the brief."""
        return self.store.unchoose_cluster(cluster_key)

    def save_search(self, name: str, query: str) -> JournalEntry:
        """Save ``query`` as ``@name``, refusing a bad filter or unknown ``@name`` in it first."""
        self.parse_query(query)
        return self.store.save_search(name, query)

    def forget_search(self, name: str) -> JournalEntry:
        """Forget the saved search ``@name``."""
        return self.store.delete_search(name)

    def undo(self, count: int = 1) -> list[JournalEntry]:
        """Undo the last ``count`` actions (newest first)."""
        return self.store.undo(count)

    def save_resume(self, article_id: str | None, filter: str = "", scroll: float = 0.0,
                    extra: Mapping[str, Any] | None = None) -> None:
        """Remember where the analyst is (not journalled)."""
        self.store.save_resume(article_id, filter, scroll, extra)

    # ------------------------------------------------------------------ analyses
    # ------------------------------------------------------------------ analyses (briefreader.workspace.analyses)

    def quote_analysis(self, *, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                       cached: bool = True, copies: CopyAnalysis | None = None,
                       use_copies: bool = True) -> QuoteAnalysis:
        """Quotations of the corpus grouped by utterance: :func:`analyses.quote_analysis`."""
        return analyses.quote_analysis(self, progress=progress, cancelled=cancelled, cached=cached, copies=copies,
                                       use_copies=use_copies)

    def _quote_analysis(self, originals: Mapping[str, str] | None, *, progress: Progress | None = None,
                        cancelled: Callable[[], bool] | None = None, cached: bool = True,
                        helper: analyses._HelperExtraction | None = None) -> QuoteAnalysis:
        """The quote analysis with ``originals``: :func:`analyses.quote_analysis_with`."""
        return analyses.quote_analysis_with(self, originals, progress=progress, cancelled=cancelled, cached=cached,
                                            helper=helper)

    def quotes_in_child(
        self,
        convert: Callable[[QuoteAnalysis], T],
        *,
        progress: Callable[..., None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        isolate_from: int | None = None,
        copies: CopyAnalysis | None = None,
        use_copies: bool = True,
    ) -> T | None:
        """``convert(quote analysis)``, in a child process for a big corpus: :func:`analyses.quotes_in_child`."""
        return analyses.quotes_in_child(self, convert, progress=progress, cancelled=cancelled,
                                        isolate_from=isolate_from, copies=copies, use_copies=use_copies)

    def copy_analysis(self, *, progress: Callable[[str, int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None,
                      cached: bool = True, reuse: bool = False,
                      on_compute: Callable[[], None] | None = None) -> CopyAnalysis:
        """Copies, partial reuse and stories of the corpus: :func:`analyses.copy_analysis`."""
        return analyses.copy_analysis(self, progress=progress, cancelled=cancelled, cached=cached, reuse=reuse,
                                      on_compute=on_compute)

    def copies_in_child(self, *, progress: Callable[[str, int, int], None] | None = None,
                        cancelled: Callable[[], bool] | None = None,
                        isolate_from: int | None = None) -> CopyAnalysis | None:
        """The copy analysis for the reader, once per loaded corpus: :func:`analyses.copies_in_child`."""
        return analyses.copies_in_child(self, progress=progress, cancelled=cancelled, isolate_from=isolate_from)

    def export(self, options: ExportOptions, *, copies: CopyAnalysis | None = None,
               session: SearchSession | None = None, compute_copies: bool = True,
               warn: Warn | None = None) -> ExportResult:
        """Build and render the brief for ``options``: ``(text, summary)`` and the brief's data.

        ``where`` is parsed once (filters narrow the articles, words search the index, through
        ``session`` when given); ``copies`` (when already computed) saves the story grouping its
        analysis, made here otherwise unless not ``compute_copies`` (then grouping by story is
        refused while the stories are not known). Raises QueryError, QuerySyntaxError,
        SearchUnavailable, ExportError or TriageError."""
        from briefreader.core.export import brief_summary, build_brief, render

        query = self.parse_query(options.where).narrowed(options.statuses, options.tags)
        if options.group_by == "story" and copies is None and compute_copies:
            copies = self.copy_analysis(reuse=True)
        only = self._word_ids(query.text, None, session, warn) if query.text else None
        brief = build_brief(
            self.corpus.articles,
            self.store,
            filters=query.filters if query.filters else None,
            only_ids=only,
            search=query.text,
            link_root=options.link_root,
            group_by=options.group_by,
            copies=copies,
            title=options.title,
            corpus_name=self.root.resolve().name,
            profile=options.profile,
            ignore_punct=options.ignore_punct,
        )
        text = render(brief, options.fmt, template=options.template, template_source=options.template_source)
        markdown = None
        if options.preview_markdown:
            markdown = text if options.fmt == "md" else render(brief, "md") if options.fmt == "html" else None
        return ExportResult(text, brief_summary(brief), brief, markdown)

    @staticmethod
    def check_output(path: Path, *, force: bool = False, make_parents: bool = False) -> None:
        """Raise ExportTargetError unless the brief may be written at ``path`` (before any work)."""
        from briefreader.core.paths import check_output_file

        check_output_file(path, force=force, make_parents=make_parents)

    @staticmethod
    def write_output(path: Path, text: str, *, force: bool = False, make_parents: bool = False) -> None:
        """Write ``text`` to ``path`` atomically; links, devices, FIFOs refused (ExportTargetError)."""
        from briefreader.core.paths import write_output_file

        write_output_file(path, text, force=force, make_parents=make_parents)

