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
   MemeTracker, joins only its single best longer phrase. Known, different speakers raise the bar.
5. **Clusters** are the connected components; each gets a canonical rendering (the medoid among
   the longest renderings) and its variants ordered by date, then article order.

The whole analysis is also cached (keyed by every article's body hash and metadata), so an
unchanged corpus reopens instantly. A corrupt cache is ignored and rebuilt, with a warning.

Modules: :mod:`~briefreader.core.quote_records` (the records), :mod:`~briefreader.core.quote_grouping`
(steps 2-4), :mod:`~briefreader.core.quote_alteration` (step 5 and the alteration classes),
:mod:`~briefreader.core.quote_cache`; this one runs the pipeline.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from briefreader.core.model import Article
from briefreader.core.quote_alteration import _build_cluster, _date_key
from briefreader.core.quote_cache import (
    CACHE_FILE,
    _analysis_digest,
    _analysis_from_cache,
    _cache_dict,
    _load_json,
    _quotes_to_rows,
    _rows_to_quotes,
    _save_json,
    analysis_digest,
    body_hash,
    quotes_cache_dir,
)
from briefreader.core.quote_grouping import _Unit, _units_of, cluster_units
from briefreader.core.quote_records import Progress, QuoteAnalysis, QuoteCluster, QuotesCancelled, Variant
from briefreader.core.quotes import Quote, extract_quotes


def analyse_quotes(
    articles: Sequence[Article],
    *,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    original_of: Callable[[str], str] | None = None,
) -> QuoteAnalysis:
    """Extract every quotation of ``articles`` and group the renderings of each utterance.

    ``original_of`` (e.g. ``CopyAnalysis.original_of``) counts copies of one article as one
    rendering when judging alterations (see :func:`_build_cluster`).

    ``cache_dir`` (:func:`quotes_cache_dir`: per user, never in the corpus) keeps per-article
    extraction results by body hash and the last full analysis; ``progress(done, total)`` is called during extraction;
    ``cancelled()`` is polled and True raises :class:`QuotesCancelled`.
    The cyclic garbage collector is paused while it runs (the analysis builds hundreds of thousands
    of small acyclic objects, which otherwise makes the collector's cost grow with corpus size).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyse(articles, cache_dir, progress, cancelled, original_of)
    finally:
        if was_enabled:
            gc.enable()


def _analyse(
    articles: Sequence[Article],
    cache_dir: Path | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    original_of: Callable[[str], str] | None = None,
) -> QuoteAnalysis:
    t0, c0 = time.perf_counter(), time.process_time()
    warnings: list[str] = []
    hashes = [body_hash(a.body) for a in articles]
    digest = _analysis_digest(articles, hashes)
    if original_of is not None:  # the classes depend on which articles are copies
        copies = "|".join(original_of(a.id) for a in articles)
        digest = hashlib.sha1(f"{digest}|copies:{copies}".encode()).hexdigest()
    extraction_cache: dict[str, Any] = {}
    if cache_dir is not None:
        cache_dir = Path(cache_dir)
        saved = _load_json(cache_dir / CACHE_FILE, warnings)
        if saved and saved.get("digest") == digest:
            try:
                return _analysis_from_cache(saved, articles, hashes, warnings)
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                warnings.append(f"quote cache unusable, rebuilt ({exc.__class__.__name__})")
        if saved and isinstance(saved.get("articles"), dict):
            extraction_cache = saved["articles"]

    quotes_by_article: dict[str, list[Quote]] = {}
    new_cache: dict[str, Any] = {}
    reused = 0
    total = len(articles)
    all_units: list[_Unit] = []
    for i, (art, bh) in enumerate(zip(articles, hashes, strict=True)):
        if cancelled is not None and i % 64 == 0 and cancelled():
            raise QuotesCancelled()
        rows = extraction_cache.get(bh)
        quotes: list[Quote] | None = None
        if rows is not None:
            try:
                quotes = _rows_to_quotes(art.id, art.body, rows)
                reused += 1
            except (TypeError, ValueError, KeyError):
                quotes = None
        if quotes is None:
            try:
                quotes = extract_quotes(art.id, art.body, art.offsets if art.offsets.segments else None)
            except Exception as exc:  # noqa: BLE001 - one odd article must never stop the analysis
                warnings.append(f"{art.id}: quotes skipped ({exc.__class__.__name__}: {exc})")
                quotes = []
            rows = _quotes_to_rows(quotes) if cache_dir is not None else None
        if cache_dir is not None:
            new_cache[bh] = rows
        quotes_by_article[art.id] = quotes
        all_units.extend(_units_of(quotes, i))
        if progress is not None and (i % 200 == 0 or i + 1 == total):
            progress(i + 1, total)
    t1, c1 = time.perf_counter(), time.process_time()

    groups, stats = cluster_units(all_units, cancelled)
    t2, c2 = time.perf_counter(), time.process_time()
    clusters = [_build_cluster([all_units[i] for i in g], articles, original_of) for g in groups]
    clusters.sort(key=lambda c: (-len(c.articles), -len(c.variants), _date_key(c.first.date), c.first.order,
                                 c.first.start))
    scare = [q for qs in quotes_by_article.values() for q in qs if q.scare]
    t3, c3 = time.perf_counter(), time.process_time()
    stats.update(
        articles=total, extracted=total - reused, reused=reused,
        extract_s=round(t1 - t0, 3), cluster_s=round(t2 - t1, 3), build_s=round(t3 - t2, 3),
        extract_cpu_s=round(c1 - c0, 3), cluster_cpu_s=round(c2 - c1, 3), build_cpu_s=round(c3 - c2, 3),
    )
    analysis = QuoteAnalysis(
        quotes_total=sum(1 for qs in quotes_by_article.values() for q in qs),
        clusters=clusters, scare_quotes=scare, quotes_by_article=quotes_by_article,
        warnings=warnings, stats=stats,
    )
    if cache_dir is not None:
        _save_json(cache_dir / CACHE_FILE, _cache_dict(analysis, articles, new_cache, digest), warnings)
    return analysis


def iter_pairs(cluster: QuoteCluster) -> Iterable[tuple[Variant, Variant]]:
    """Each variant paired with the canonical rendering's variant (for side-by-side diffs)."""
    base = max(cluster.variants, key=lambda v: (v.similarity, -v.order))
    for v in cluster.variants:
        if v is not base:
            yield base, v


__all__ = [
    "CACHE_FILE", "Progress", "QuoteAnalysis", "QuoteCluster", "QuotesCancelled", "Variant", "analyse_quotes",
    "analysis_digest", "body_hash", "iter_pairs", "quotes_cache_dir",
]
