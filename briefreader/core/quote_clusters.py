"""Grouping the renderings of one utterance across articles, with a cache per article content.

Pipeline of :func:`analyse_quotes`:

1. **Extraction** (:func:`briefreader.core.quotes.extract_quotes`) per article, cached by the hash
   of the cleaned body, so reopening a corpus does not extract again.
2. **Units.** Each non-scare quotation, whole (the halves of an interrupted quotation and the
   paragraphs of a multi-paragraph one joined), is the unit that gets clustered; its sentences are
   used inside matching only, so a partial quote joins the quotation it comes from.
3. **Candidates** come from a passage-level index, never from all pairs: identical normalised
   texts collapse into one phrase, then every phrase is indexed by hashed word 3-grams and by
   skip-bigrams of content words (which survive translations that share only half the words).
   Shingles shared by too many phrases are dropped from the index (stop-shingles).
4. **Scoring** with rapidfuzz on normalised word keys (contractions spelled out, British spelling
   mapped): similar-length pairs use the word-level Indel similarity (or the content-word overlap
   when clauses are reordered); a short phrase inside a long one uses containment and, as in
   MemeTracker, joins only its single best longer phrase, and none when the match is ambiguous or
   rests on common words (stock phrases, catchphrases, echoes). Known, different speakers never join.
5. **Clusters** are the connected components; each gets a canonical rendering (the medoid among
   the longest renderings) and its variants ordered by date, then article order.

Articles are extracted in batches; only the renderings being grouped stay in memory: extraction
rows, scare quotes and each group (as soon as it is built) go to the analysis store of
:mod:`~briefreader.core.quote_cache` (SQLite, in the per-user cache folder, keyed by every article's
body hash and metadata), and the analysis handed back reads its groups from there when asked, so
an unchanged corpus reopens in the time it takes to open the file. A corrupt cache is ignored and
rebuilt, with a warning.

Modules: :mod:`~briefreader.core.quote_records` (the records), :mod:`~briefreader.core.quote_grouping`
(steps 2-4), :mod:`~briefreader.core.quote_alteration` (step 5 and the alteration classes),
:mod:`~briefreader.core.quote_cache`; this one runs the pipeline.
"""

from __future__ import annotations

import gc
import hashlib
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from briefreader.core.diffing import forget_word_keys
from briefreader.core.model import Article
from briefreader.core.quote_alteration import _build_cluster
from briefreader.core.quote_cache import (
    CACHE_FILE,
    QuoteCacheError,
    QuoteStore,
    QuoteStoreWriter,
    _analysis_digest,
    _rows_to_quotes,
    analysis_digest,
    body_hash,
    quotes_cache_dir,
    remove_legacy_cache,
)
from briefreader.core.quote_grouping import PhraseIndex, _Unit, _units_of, publication_day
from briefreader.core.quote_records import Progress, QuoteAnalysis, QuoteCluster, QuotesCancelled, Variant
from briefreader.core.quotes import Quote, extract_quotes

#: Articles extracted per step (their cached rows are looked up together).
EXTRACTION_BATCH = 256


class ExtractionHelper(Protocol):
    """Another process extracting the quotations of the articles from position ``start`` on, while
    the analysis extracts those before (e.g. ``briefreader.workspace.analyses``'s helper process)."""

    start: int

    def begin(self) -> None:
        """Start extracting (called when an analysis begins extracting, never when the cache answers)."""
        ...

    def rows(self, hashes: Sequence[str]) -> dict[str, Any]:
        """The extraction rows it made of the bodies with these hashes (those found; each still
        unchecked JSON, as :meth:`QuoteStore.extraction_rows`), waiting for it to finish first;
        {} when it failed (the analysis then extracts them itself)."""
        ...


def analyse_quotes(
    articles: Sequence[Article],
    *,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    original_of: Callable[[str], str] | None = None,
    transient: Callable[[Article], Article] | None = None,
    helper: ExtractionHelper | None = None,
) -> QuoteAnalysis:
    """Extract every quotation of ``articles`` and group the renderings of each utterance.

    ``original_of`` (e.g. ``CopyAnalysis.original_of``) counts copies of one article as one
    rendering when judging alterations (see :func:`_build_cluster`). ``transient(article)`` gives
    the article the extraction reads (its offset map too) and then drops, so what reading it
    unpacks is not kept (the record cache's ``transient_copy``); None: the article itself.
    ``helper``: another process extracting the articles from its ``start`` on (its rows are used as
    cached ones would be: the result is the same, sooner on a second core).

    ``cache_dir`` (:func:`quotes_cache_dir`: per user, never in the corpus) keeps per-article
    extraction results by body hash and the last full analysis; ``progress(done, total)`` is called during extraction;
    ``cancelled()`` is polled and True raises :class:`QuotesCancelled`.
    The cyclic garbage collector is paused while it runs (the analysis builds hundreds of thousands
    of small acyclic objects, which otherwise makes the collector's cost grow with corpus size).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyse(articles, cache_dir, progress, cancelled, original_of, transient, helper)
    finally:
        if was_enabled:
            gc.enable()


def _analyse(
    articles: Sequence[Article],
    cache_dir: Path | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    original_of: Callable[[str], str] | None = None,
    transient: Callable[[Article], Article] | None = None,
    helper: ExtractionHelper | None = None,
) -> QuoteAnalysis:
    t0, c0 = time.perf_counter(), time.process_time()
    warnings: list[str] = []
    hashes = [body_hash(a.body) for a in articles]
    digest = _analysis_digest(articles, hashes)
    if original_of is not None:  # the classes depend on which articles are copies
        copies = "|".join(original_of(a.id) for a in articles)
        digest = hashlib.sha1(f"{digest}|copies:{copies}".encode("utf-8", "surrogatepass")).hexdigest()
    previous: QuoteStore | None = None
    if cache_dir is not None:
        cache_dir = Path(cache_dir)
        remove_legacy_cache(cache_dir)
        previous = QuoteStore.open(cache_dir / CACHE_FILE, warnings)
        if previous is not None and previous.digest == digest:
            try:  # the same corpus: its groups are read from the store when asked for
                return previous.bind(articles, hashes).analysis(warnings, from_cache=True)
            except (KeyError, TypeError, ValueError) as exc:
                warnings.append(f"quote cache unusable, rebuilt ({exc.__class__.__name__})")

    writer = QuoteStoreWriter(cache_dir)
    try:
        store = _analyse_into(writer, articles, hashes, previous, progress, cancelled, original_of, t0, c0, digest,
                              warnings, transient, helper)
    except BaseException:
        writer.abort()
        raise
    finally:
        if previous is not None:
            previous.close()
    return store.bind(articles, hashes).analysis(warnings, from_cache=False)


def _analyse_into(writer: QuoteStoreWriter, articles: Sequence[Article], hashes: list[str],
                  previous: QuoteStore | None, progress: Progress | None, cancelled: Callable[[], bool] | None,
                  original_of: Callable[[str], str] | None, t0: float, c0: float, digest: str,
                  warnings: list[str], transient: Callable[[Article], Article] | None = None,
                  helper: ExtractionHelper | None = None) -> QuoteStore:
    """Extract (in batches, reusing the previous store's rows of unchanged bodies and the ``helper``'s
    rows of the articles from its start on), cluster, and write
    every group into ``writer`` as it is built. No quotation is held after its article: each goes
    to the store, each rendering into the phrase index (its words once per distinct wording), and the
    groups are built from the quotations read back from the store."""
    reused = helped = quotes_total = 0
    total = len(articles)
    index = PhraseIndex()
    renderings = _Renderings()
    if helper is not None:
        helper.begin()
    for batch_start in range(0, total, EXTRACTION_BATCH):
        batch = range(batch_start, min(batch_start + EXTRACTION_BATCH, total))
        known: dict[str, Any] = {}
        if previous is not None:
            try:
                known = previous.extraction_rows([hashes[i] for i in batch])
            except QuoteCacheError as exc:
                warnings.append(f"quote cache unusable, extracting again ({exc})")
                previous = None
        from_helper: dict[str, Any] = {}
        if helper is not None and batch.stop > helper.start:
            from_helper = helper.rows([hashes[i] for i in batch if i >= helper.start and hashes[i] not in known])
        for i in batch:
            if cancelled is not None and i % 64 == 0 and cancelled():
                raise QuotesCancelled()
            art, bh = articles[i], hashes[i]
            rows = known.get(bh)
            helper_rows = rows is None and bh in from_helper
            if helper_rows:
                rows = from_helper[bh]
            quotes: list[Quote] | None = None
            if rows is not None:
                try:
                    quotes = _rows_to_quotes(art.id, art.body, rows)
                    if helper_rows:
                        helped += 1
                    else:
                        reused += 1
                except (TypeError, ValueError, KeyError):
                    quotes = None
            if quotes is None:
                read = transient(art) if transient is not None else art
                try:
                    quotes = extract_quotes(art.id, read.body, read.offsets if read.offsets.segments else None)
                except Exception as exc:  # noqa: BLE001 - one odd article must never stop the analysis
                    warnings.append(f"{art.id}: quotes skipped ({exc.__class__.__name__}: {exc})")
                    quotes = []
            writer.add_extraction(bh, quotes)
            quotes_total += len(quotes)
            for quote in quotes:
                if quote.scare:
                    writer.add_scare(i, quote)
            renderings.add_article(index, _units_of(quotes, i, publication_day(art.date)), i)
            if progress is not None and (i % 200 == 0 or i + 1 == total):
                progress(i + 1, total)
    t1, c1 = time.perf_counter(), time.process_time()

    forget_word_keys()  # every rendering is keyed: the memo's memory goes to the shingle index instead
    groups, stats = index.cluster(cancelled)
    t2, c2 = time.perf_counter(), time.process_time()
    pos_of = {a.id: i for i, a in enumerate(articles)}
    rebuild = _UnitRebuilder(index, renderings, writer, articles, hashes)
    for gi, group in enumerate(groups):
        if cancelled is not None and gi % 512 == 0 and cancelled():
            raise QuotesCancelled()
        members = rebuild.units(group)
        cluster = _build_cluster(members, articles, original_of)
        pieces = {(articles[u.article_pos].id, tuple(q.index for q in u.pieces)): u.pieces for u in members}
        writer.add_cluster(cluster, pos_of, [pieces[(v.article, v.piece_indices)] for v in cluster.variants])
    groups.clear()  # the store orders the groups: the renderings are no longer needed
    t3, c3 = time.perf_counter(), time.process_time()
    stats.update(
        articles=total, extracted=total - reused, reused=reused, helper_extracted=helped,
        extract_s=round(t1 - t0, 3), cluster_s=round(t2 - t1, 3), build_s=round(t3 - t2, 3),
        extract_cpu_s=round(c1 - c0, 3), cluster_cpu_s=round(c2 - c1, 3), build_cpu_s=round(c3 - c2, 3),
    )
    return writer.finish(digest=digest, quotes_total=quotes_total, stats=stats, warnings=warnings)


class _Renderings:
    """What is kept of each rendering (unit) while the corpus is extracted: its article, the indices
    of its pieces among the article's quotations and its sentences (shared with its phrase's when
    equal): a few dozen bytes, where the unit with its quotations is about 1.3 KB."""

    def __init__(self) -> None:
        self.article = array("i")
        self.pieces: list[tuple[int, ...]] = []
        self.sentences: list[tuple[tuple[int, int], ...]] = []
        self._shared_pieces: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._utterances = 0

    def add_article(self, index: PhraseIndex, units: list[_Unit], article_pos: int) -> None:
        """Add one article's units to ``index`` and keep how to rebuild them."""
        utterances: dict[str, int] = {}
        for unit in units:
            utterance = utterances.setdefault(unit.quote.utterance_id, self._utterances + len(utterances))
            phrase = index.phrases[index.add(unit, utterance)]
            self.article.append(article_pos)
            indices = tuple(q.index for q in unit.pieces)
            self.pieces.append(self._shared_pieces.setdefault(indices, indices))
            self.sentences.append(phrase.sentences if phrase.sentences == unit.sentences else unit.sentences)
        self._utterances += len(utterances)


class _UnitRebuilder:
    """The units of the groups being built, rebuilt from the store's rows of their articles and the
    phrase index. Groups come roughly in order of their first article: that article's quotations are
    read with the window of articles after it (one read serves the sweep), those of a group's other
    articles, anywhere in the corpus, one by one; the most recently used ``KEEP`` articles stay at hand."""

    WINDOW = 256  # articles read together at a group's first article
    KEEP = 4096  # articles whose quotations stay at hand (least recently used dropped first)

    def __init__(self, index: PhraseIndex, renderings: _Renderings, writer: QuoteStoreWriter,
                 articles: Sequence[Article], hashes: Sequence[str]) -> None:
        self._index = index
        self._renderings = renderings
        self._writer = writer
        self._articles = articles
        self._hashes = hashes
        self._words = index.words()
        self._quotes: OrderedDict[int, dict[int, Quote]] = OrderedDict()

    def _read(self, positions: Iterable[int]) -> dict[int, dict[int, Quote]]:
        """The quotations (by index) of the articles at ``positions``: those at hand, the others read
        from the store in one query and kept at hand."""
        quotes = self._quotes
        found = {i: quotes[i] for i in positions if i in quotes}
        wanted = [i for i in positions if i not in found]
        if wanted:
            rows = self._writer.extraction_rows([self._hashes[i] for i in wanted])
            for i in wanted:
                art = self._articles[i]
                found[i] = quotes[i] = {q.index: q for q in _rows_to_quotes(art.id, art.body, rows[self._hashes[i]])}
        for i in found:
            quotes.move_to_end(i)
        return found

    def units(self, group: Sequence[int]) -> list[_Unit]:
        """The units ``group`` (unit indices) names, as the extraction made them."""
        renderings = self._renderings
        positions = [renderings.article[ui] for ui in group]
        first = min(positions)
        if first not in self._quotes:
            self._read(range(first, min(first + self.WINDOW, len(self._articles))))
        at_hand = self._read(sorted(set(positions)))
        while len(self._quotes) > self.KEEP:
            self._quotes.popitem(last=False)
        units = []
        for ui, pos in zip(group, positions, strict=True):
            pieces = tuple(at_hand[pos][k] for k in renderings.pieces[ui])
            units.append(_Unit(pieces[0], pieces[0].start, pieces[-1].end, self._index.unit_keys(ui, self._words),
                               pos, pieces, renderings.sentences[ui]))
        return units


def iter_pairs(cluster: QuoteCluster) -> Iterable[tuple[Variant, Variant]]:
    """Each variant paired with the canonical rendering's variant (for side-by-side diffs)."""
    base = max(cluster.variants, key=lambda v: (v.similarity, -v.order))
    for v in cluster.variants:
        if v is not base:
            yield base, v


__all__ = [
    "CACHE_FILE", "ExtractionHelper", "Progress", "QuoteAnalysis", "QuoteCluster", "QuotesCancelled", "Variant",
    "analyse_quotes", "analysis_digest", "body_hash", "iter_pairs", "quotes_cache_dir",
]
