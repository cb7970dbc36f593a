"""The analyses of a :class:`~briefreader.workspace.service.Workspace`: quotations grouped by utterance,
copies and stories, each cached per corpus and, for a big corpus, computed in a spawned child process.

The :class:`Workspace` methods of the same names call these functions with themselves; the functions
call back through the workspace's methods (``copy_analysis``, ``_quote_analysis``), so a caller that
replaces one of those methods changes what the others use.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from briefreader.core.copies import CopyAnalysis
    from briefreader.core.model import Article
    from briefreader.core.quote_clusters import QuoteAnalysis
    from briefreader.workspace.service import Workspace

log = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int], None]

# From this many articles the quote analysis runs in a spawned child (see quotes_in_child): at 10k
# articles it builds ~200 MB of short-lived objects and holds the GIL for seconds.
ISOLATE_MIN_ARTICLES = 2000
COPIES_ISOLATE_FROM = 2000  # the same for the copy analysis (the reader's; the CLI analyses in its process)
# From this many articles a first-time quote analysis has a helper process extract the quotations
# of the articles from HELPER_SHARE of the corpus on, while it extracts those before (a second core).
HELPER_MIN_ARTICLES = 2000
# The helper's share starts here: the analysis also indexes what it extracts and then reads the
# helper's rows back, so it takes a little less than half
HELPER_SHARE = 0.45
# The share when the helper starts while the copy analysis runs (on one core, before the analysis
# extracts anything): the helper then has the copy analysis's time ahead, so it takes most. Measured
# at 50k: copies ~41 CPU-s, the analysis extracts an article in ~1.85 ms and reads a helper's row
# in ~0.3 ms, the helper extracts one in ~1.2 ms: both are done together from about 0.13 on
HELPER_SHARE_EARLY = 0.15


def quote_analysis(workspace: Workspace, *, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None, cached: bool = True,
                   copies: CopyAnalysis | None = None, use_copies: bool = True) -> QuoteAnalysis:
    """Quotations of the corpus grouped by utterance (cached per corpus unless not ``cached``).

    A misquote republished as copies is judged against the original statement (copies of one
    article count as one rendering): ``copies`` is the corpus's copy analysis, made (or read
    from its cache) first when not given, so every front end gets the same classes and shares
    one cache; ``use_copies=False`` judges without copy detection. Raises QuotesCancelled,
    CopiesCancelled."""
    helper: _HelperExtraction | None = None
    if copies is None and use_copies:
        early: list[_HelperExtraction] = []

        def start_helper() -> None:
            """The copy analysis is being made (one core, tens of seconds for a big corpus): the
            extraction helper, which needs no copy information, starts now instead of after it."""
            from briefreader.core.quote_clusters import quotes_cache_dir

            started = _extraction_helper(workspace, workspace.corpus.articles,
                                         quotes_cache_dir(workspace.root) if cached else None, cancelled,
                                         share=HELPER_SHARE_EARLY)
            if started is not None:
                started.begin()
                early.append(started)

        try:
            copies = workspace.copy_analysis(cancelled=cancelled, cached=cached, reuse=True, on_compute=start_helper)
        except BaseException:
            for started in early:
                started.close()
            raise
        helper = early[0] if early else None
    try:
        return workspace._quote_analysis(_originals(copies, workspace.corpus.articles) if copies is not None else None,
                                         progress=progress, cancelled=cancelled, cached=cached, helper=helper)
    finally:
        if helper is not None:  # (closed already by the analysis, unless a replaced method ignored it)
            helper.close()

def quote_analysis_with(workspace: Workspace, originals: Mapping[str, str] | None, *,
                        progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                        cached: bool = True, helper: _HelperExtraction | None = None) -> QuoteAnalysis:
    """The quote analysis with ``originals`` (copy -> its original; None: no copy detection).
    ``helper``: an extraction helper already started for this corpus (e.g. while its copies were
    analysed; closed here); None: one is started here when the corpus is big enough."""
    from briefreader.core.quote_clusters import analyse_quotes, quotes_cache_dir
    from briefreader.storage.records import transient_copy

    cache_dir = quotes_cache_dir(workspace.root) if cached else None
    original_of = None if originals is None else (lambda article_id: originals.get(article_id, article_id))
    articles = workspace.corpus.articles
    if helper is None:
        helper = _extraction_helper(workspace, articles, cache_dir, cancelled)
    try:
        return analyse_quotes(articles, cache_dir=cache_dir, progress=progress, cancelled=cancelled,
                              original_of=original_of, transient=transient_copy, helper=helper)
    finally:
        if helper is not None:
            helper.close()


def _extraction_helper(workspace: Workspace, articles: Sequence[Article], cache_dir: Path | None,
                       cancelled: Callable[[], bool] | None, share: float = HELPER_SHARE) -> _HelperExtraction | None:
    """A helper process for the quote extraction of a big corpus on a machine with a second core,
    reading the articles from the record cache, extracting those from ``share`` of the corpus on
    (None: the analysis extracts everything itself)."""
    from briefreader.core.paths import derived_dir
    from briefreader.storage.records import CACHE_FILE

    if (len(articles) < HELPER_MIN_ARTICLES or (os.cpu_count() or 1) < 2 or not workspace.use_cache
            or workspace.follow_links or cache_dir is None or multiprocessing.current_process().daemon):
        return None  # (a daemonic process, e.g. the reader's analysis child, may not start one)
    try:
        record_cache = derived_dir(workspace.root, create=False) / CACHE_FILE
    except OSError as exc:
        log.info("no record cache for a quote extraction helper: %s", exc)
        return None
    if not record_cache.is_file():
        return None
    start = int(len(articles) * share)
    rels = list(dict.fromkeys(article.path for article in articles[start:]))
    return _HelperExtraction(start, record_cache, rels, cache_dir, cancelled)


class _HelperExtraction:
    """The quotations of the articles from ``start`` on, extracted by a spawned child process
    (:func:`_extract_child`) from the record cache into a store of its own in a private temporary
    folder of ``cache_dir``, read back by the analysis by body hash (so an article that changed in
    between is simply not found, and extracted by the analysis). A :class:`ExtractionHelper`."""

    def __init__(self, start: int, record_cache: Path, rels: list[str], cache_dir: Path,
                 cancelled: Callable[[], bool] | None) -> None:
        self.start = start
        self._record_cache = record_cache
        self._rels = rels
        self._cache_dir = cache_dir
        self._cancelled = cancelled
        self._closing = False
        self._folder: Path | None = None
        self._thread: threading.Thread | None = None
        self._finished = False
        self._store: Any = None  # the helper's QuoteStore once read
        self._begun = False

    def begin(self) -> None:
        """Start the child (in a thread of this process that waits for it); once: a helper started
        early (while the copies are analysed) is not started again by the analysis."""
        from briefreader.core.quote_cache import CACHE_FILE

        if self._begun:
            return
        self._begun = True
        _remove_stale_helper_folders(self._cache_dir)
        try:
            self._folder = Path(tempfile.mkdtemp(prefix=".helper-", dir=self._cache_dir))
        except OSError as exc:
            log.warning("no folder for the quote extraction helper: %s", exc)
            return
        previous = self._cache_dir / CACHE_FILE
        args = (str(self._record_cache), self._rels, str(self._folder), str(previous) if previous.exists() else None)
        self._thread = threading.Thread(target=self._run, args=(args,), name="briefreader-quote-helper", daemon=True)
        self._thread.start()

    def _run(self, args: tuple[Any, ...]) -> None:
        from briefreader.core.isolated import ChildFailed, run_isolated

        def stop() -> bool:
            return self._closing or (self._cancelled is not None and self._cancelled())

        try:
            self._finished, _ = run_isolated(_extract_child, args, name="briefreader-quote-helper", cancelled=stop)
        except ChildFailed as exc:
            log.warning("quote extraction helper failed (%s); extracting in this process", exc)

    def rows(self, hashes: Sequence[str]) -> dict[str, Any]:
        """The helper's rows of these bodies (waiting for it to finish first); {} if it failed."""
        from briefreader.core.quote_cache import CACHE_FILE, QuoteCacheError, QuoteStore

        if self._thread is None or self._folder is None:
            return {}
        if self._store is None:
            self._thread.join()
            if not self._finished:
                return {}
            warnings: list[str] = []
            self._store = QuoteStore.open(self._folder / CACHE_FILE, warnings, verify=False)
            if self._store is None:
                log.warning("quote extraction helper's store unreadable: %s", "; ".join(warnings))
                self._finished = False
                return {}
        try:
            return cast(dict[str, Any], self._store.extraction_rows(hashes))
        except QuoteCacheError as exc:
            log.warning("quote extraction helper's rows unreadable (%s); extracting in this process", exc)
            return {}

    def close(self) -> None:
        """End the child if it still runs and remove its folder (again: nothing more to do)."""
        self._closing = True
        if self._thread is not None:
            self._thread.join()
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._folder is not None:
            shutil.rmtree(self._folder, onerror=_log_removal_error)
            self._folder = None


# A helper folder untouched this long was left by a killed process (a live helper writes its store
# all along; a first-time analysis of 50k articles takes minutes, not hours).
STALE_HELPER_SECONDS = 6 * 3600


def _remove_stale_helper_folders(cache_dir: Path, now: float | None = None) -> None:
    """Remove the ``.helper-*`` folders a killed analysis left in ``cache_dir`` (older than
    :data:`STALE_HELPER_SECONDS`; a younger one may belong to another instance still running)."""
    now = time.time() if now is None else now
    try:
        folders = [path for path in cache_dir.glob(".helper-*") if path.is_dir() and not path.is_symlink()]
    except OSError as exc:
        log.info("quote cache folder not listed for stale helper folders: %s", exc)
        return
    for folder in folders:
        try:
            age = now - max([folder.stat().st_mtime] + [entry.stat().st_mtime for entry in folder.iterdir()])
        except OSError as exc:
            log.info("stale helper folder %s not checked: %s", folder, exc)
            continue
        if age > STALE_HELPER_SECONDS:
            log.info("removing %s, left by a quote analysis that did not finish", folder)
            shutil.rmtree(folder, onerror=_log_removal_error)


def _log_removal_error(function: Any, path: str, excinfo: Any) -> None:
    log.warning("quote extraction helper's file %s not removed: %s", path, excinfo[1])

def quotes_in_child(
    workspace: Workspace,
    convert: Callable[[QuoteAnalysis], T],
    *,
    progress: Callable[..., None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    isolate_from: int | None = None,
    copies: CopyAnalysis | None = None,
    use_copies: bool = True,
) -> T | None:
    """``convert(quote analysis)``, for a big corpus (``isolate_from`` articles, default
    :data:`ISOLATE_MIN_ARTICLES`) computed in a spawned child process (which loads the corpus
    from the record cache, so the reader's heap and GIL stay free); None if cancelled.
    ``convert`` must be a module-level function (it runs in the child) returning something
    picklable. The child's result is used only if its corpus is this one (same digest);
    otherwise, or if the child cannot run, the analysis runs here. ``copies`` and
    ``use_copies`` as for :func:`quote_analysis` (the copy analysis is made here, first)."""
    from briefreader.core.copies_model import CopiesCancelled
    from briefreader.core.quote_clusters import QuotesCancelled, analysis_digest

    articles = workspace.corpus.articles
    try:
        if copies is None and use_copies:
            copies = workspace.copy_analysis(cancelled=cancelled, reuse=True)
    except CopiesCancelled:
        return None
    originals = _originals(copies, articles) if copies is not None else None
    limit = ISOLATE_MIN_ARTICLES if isolate_from is None else isolate_from
    if workspace.use_cache and not workspace.follow_links and len(articles) >= limit:
        from briefreader.core.isolated import ChildFailed, run_isolated

        try:
            finished, result = run_isolated(_quotes_child, (str(workspace.root), convert, originals),
                                            name="briefreader-quotes", cancelled=cancelled, progress=progress)
            if not finished:
                return None
            digest, data = result
            if digest == analysis_digest(articles):
                return cast(T, data)  # what the child's convert returned
            log.info("the corpus changed while its quotations were analysed; analysing here")
        except ChildFailed as exc:
            log.warning("quote analysis in a child process failed (%s); analysing here", exc)
    try:
        return convert(workspace._quote_analysis(originals, progress=progress, cancelled=cancelled))
    except QuotesCancelled:
        return None

def copy_analysis(workspace: Workspace, *, progress: Callable[[str, int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None,
                  cached: bool = True, reuse: bool = False,
                  on_compute: Callable[[], None] | None = None) -> CopyAnalysis:
    """Copies, partial reuse and stories of the corpus (cached per corpus unless not ``cached``).
    ``reuse``: the analysis this workspace already made of the loaded corpus, if any (one being
    made in another thread is waited for). ``on_compute()``: called when the analysis is made
    (neither reused nor read from its cache), before it starts. Raises CopiesCancelled."""
    from briefreader.storage.copies_cache import analyse_copies_cached, copies_cache_dir

    def compute() -> CopyAnalysis:
        cache_dir = copies_cache_dir(workspace.root) if cached else None
        return analyse_copies_cached(workspace.corpus.articles, cache_dir=cache_dir, progress=progress,
                                     cancelled=cancelled, on_compute=on_compute)

    analysis = copies_once(workspace, compute, cancelled, reuse=reuse)
    if analysis is None:  # only when cancelled while waiting for another thread's analysis
        from briefreader.core.copies_model import CopiesCancelled

        raise CopiesCancelled()
    return analysis

def copies_in_child(workspace: Workspace, *, progress: Callable[[str, int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None,
                    isolate_from: int | None = None) -> CopyAnalysis | None:
    """The copy analysis for the reader: once per loaded corpus (what :func:`quote_analysis`
    then uses); a big corpus (``isolate_from`` articles, default :data:`COPIES_ISOLATE_FROM`) is
    analysed in a spawned child that fills the cache, read here. Without the record cache
    (``use_cache=False``) it is analysed here, uncached. None if cancelled."""
    from briefreader.core.copies_model import CopiesCancelled
    from briefreader.storage.copies_cache import analyse_copies_cached

    def compute() -> CopyAnalysis | None:
        if not workspace.use_cache:
            return analyse_copies_cached(workspace.corpus.articles, cache_dir=None, progress=progress,
                                         cancelled=cancelled)
        return _copies_isolated(workspace, progress=progress, cancelled=cancelled,
                                isolate_from=COPIES_ISOLATE_FROM if isolate_from is None else isolate_from)

    try:
        return copies_once(workspace, compute, cancelled, reuse=True)
    except CopiesCancelled:
        return None


def _copies_isolated(workspace: Workspace, *, progress: Callable[[str, int, int], None] | None,
                     cancelled: Callable[[], bool] | None, isolate_from: int) -> CopyAnalysis | None:
    """The cached copy analysis; a big corpus's is made in a spawned child process that fills the
    cache, which is then read here if the child saw the same corpus (same digest); otherwise, or if
    the child fails, the analysis runs here. None if cancelled. Raises CopiesCancelled."""
    from briefreader.core.copies import copies_digest
    from briefreader.core.isolated import ChildFailed, run_isolated
    from briefreader.storage.copies_cache import analyse_copies_cached, copies_cache_dir, load_copies

    articles = workspace.corpus.articles
    cache_dir = copies_cache_dir(workspace.root)
    if cache_dir is not None and len(articles) >= isolate_from:
        digest = copies_digest(articles)
        cached = load_copies(cache_dir, digest, [])
        if cached is not None:
            cached.stats["cached"] = True
            return cached
        try:
            finished, child_digest = run_isolated(_copies_child, (str(workspace.root), workspace.follow_links),
                                                  name="briefreader-copies",
                                                  cancelled=cancelled, progress=progress)
            if not finished:
                return None
            if child_digest == digest:  # what the child just cached
                return analyse_copies_cached(articles, cache_dir=cache_dir, digest=digest)
            log.info("the corpus changed while its copies were analysed; analysing in this process")
        except ChildFailed as exc:
            log.warning("copy analysis in a child process failed (%s); analysing in this process", exc)
        return analyse_copies_cached(articles, cache_dir=cache_dir, progress=progress, cancelled=cancelled,
                                     digest=digest)
    return analyse_copies_cached(articles, cache_dir=cache_dir, progress=progress, cancelled=cancelled)


def copies_once(workspace: Workspace, compute: Callable[[], CopyAnalysis | None],
                cancelled: Callable[[], bool] | None, *, reuse: bool) -> CopyAnalysis | None:
    """``compute()`` under the copies lock, kept as the loaded corpus's analysis; with ``reuse``
    the one kept is returned instead. None if ``cancelled`` while another thread computes."""
    while not workspace._copies_lock.acquire(timeout=0.05):
        if cancelled is not None and cancelled():
            return None
    try:
        corpus = workspace.corpus
        if reuse and workspace._copies is not None and workspace._copies[0] is corpus:
            return workspace._copies[1]
        analysis = compute()
        if analysis is not None and workspace._corpus is corpus:
            workspace._copies = (corpus, analysis)
        return analysis
    finally:
        workspace._copies_lock.release()

# ------------------------------------------------------------------ export


def _originals(copies: CopyAnalysis, articles: Sequence[Article]) -> dict[str, str]:
    """Each copy's original (articles that are no copy left out): what the quote analysis needs of
    the copy analysis, small enough to send to a child process."""
    originals: dict[str, str] = {}
    for article in articles:
        original = copies.original_of(article.id)
        if original != article.id:
            originals[article.id] = original
    return originals


def _quotes_child(root: str, convert: Callable[[Any], Any], originals: dict[str, str] | None,
                  reporter: Callable[..., None]) -> tuple[str, Any]:
    """In a spawned child: load the corpus (from the record cache), analyse it with the parent's
    copy information, convert the result."""
    from briefreader.core.quote_clusters import analysis_digest

    from briefreader.workspace.service import Workspace

    workspace = Workspace(root)
    workspace.load(light=True)  # one analysis: source texts read back from the record cache when used
    analysis = workspace._quote_analysis(originals, progress=reporter)
    return analysis_digest(workspace.corpus.articles), convert(analysis)


def _copies_child(root: str, follow_links: bool, reporter: Callable[..., None]) -> str:
    """In a spawned child: load the corpus (from the record cache), analyse and cache its copies;
    return the digest of what was analysed."""
    from briefreader.core.copies import copies_digest
    from briefreader.storage.copies_cache import analyse_copies_cached, copies_cache_dir
    from briefreader.workspace.service import Workspace

    workspace = Workspace(root, follow_links=follow_links)
    articles = workspace.load(light=True).articles  # the copy analysis reads the bodies only
    analyse_copies_cached(articles, cache_dir=copies_cache_dir(workspace.root), progress=reporter)
    return copies_digest(articles)


def _extract_child(record_cache: str, rels: list[str], folder: str, previous: str | None,
                   reporter: Callable[..., None]) -> int:
    """In a spawned child: extract the quotations of the cached articles of the files ``rels`` into a
    quote store in ``folder`` (bodies the ``previous`` store already holds are skipped); returns how
    many bodies it extracted. An article it cannot extract is left to the analysis."""
    import gc

    from briefreader.core.quote_cache import QuoteStore, QuoteStoreWriter, body_hash
    from briefreader.core.quotes import extract_quotes
    from briefreader.storage.records import read_cached_articles

    gc.disable()  # as the analysis does: many small acyclic objects
    known = QuoteStore.open(Path(previous), [], verify=False) if previous else None
    writer = QuoteStoreWriter(Path(folder))
    done: set[str] = set()
    try:
        for articles in read_cached_articles(Path(record_cache), rels):
            hashes = [body_hash(article.body) for article in articles]
            skip = set(known.extraction_rows(hashes)) if known is not None else set()
            for article, bh in zip(articles, hashes, strict=True):
                if bh in skip or bh in done:
                    continue
                try:  # the article is dropped with its batch: its offset map is not kept
                    quotes = extract_quotes(article.id, article.body,
                                            article.offsets if article.offsets.segments else None)
                except Exception as exc:  # noqa: BLE001 - the analysis extracts it again and reports it
                    log.info("%s: quotes not extracted by the helper (%s)", article.id, exc)
                    continue
                writer.add_extraction(bh, quotes)
                done.add(bh)
        writer.finish(digest="helper", quotes_total=0, stats={}, warnings=[]).close()
    except BaseException:
        writer.abort()
        raise
    finally:
        if known is not None:
            known.close()
    return len(done)
