"""Fills the reader's :class:`QuoteData` from briefreader.core's quote analysis.

The analysis itself (extraction, clustering, caching) is
:func:`briefreader.core.quote_clusters.analyse_quotes`; this module only converts its result into
what the panes show: per article, one mark per piece of each quotation (the halves of an interrupted
quotation and the paragraphs of a multi-paragraph one are marked apart, all pointing at the
quotation's one cluster), and scare quotes as plain marks.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any
from collections.abc import Callable

from briefreader.tui.quote_model import QuoteData, QuoteMark


class QuotesUnavailableError(Exception):
    """The quote analysis cannot run (not in this build)."""


def quote_data_from_analysis(analysis: Any) -> QuoteData:
    """Convert a core ``QuoteAnalysis`` into the reader's :class:`QuoteData`."""
    data = QuoteData()
    # Only clusters rendered more than once are kept (variants to compare, a brief table); a sentence
    # alone in its cluster is still marked, without a cluster. Keeping the lone ones held ~100 MB at 10k.
    for cluster in analysis.clusters:
        if len(cluster.variants) < 2:
            continue
        data.clusters[cluster.id] = cluster  # core's cluster: one model for CLI, brief and reader
    units: dict[str, list[tuple[int, int, str | None, str, str | None]]] = {}
    for cluster in analysis.clusters:
        cluster_id = cluster.id if cluster.id in data.clusters else None
        for v in cluster.variants:
            pieces = getattr(v, "piece_indices", None)
            article_quotes = analysis.quotes_by_article.get(v.article, [])
            if pieces and all(0 <= i < len(article_quotes) for i in pieces):
                for i in pieces:  # each paragraph / half of the quotation, with its own text
                    piece = article_quotes[i]
                    units.setdefault(v.article, []).append((piece.start, piece.end, cluster_id, piece.text, v.speaker))
            else:
                units.setdefault(v.article, []).append((v.start, v.end, cluster_id, v.text, v.speaker))
    for article_id, quotes in analysis.quotes_by_article.items():
        marks: list[QuoteMark] = []
        article_units = sorted(units.get(article_id, []), key=lambda u: (u[0], u[1]))
        for quote in quotes:
            inside = [u for u in article_units if u[0] < quote.end and u[1] > quote.start]
            if quote.scare or not inside:
                # nested quotes inside a clustered quote are covered by the outer marks
                if quote.nested_in is not None and any(m.start <= quote.start and quote.end <= m.end for m in marks):
                    continue
                marks.append(QuoteMark(article_id, quote.start, quote.end, quote.text, None,
                                       quote.speaker, quote.scare))
                continue
            for start, end, cluster_id, text, speaker in inside:
                if any(m.start == start and m.end == end for m in marks):
                    continue  # a unit shared by a nested quote: mark it once
                marks.append(QuoteMark(article_id, start, end, text, cluster_id, speaker or quote.speaker, False))
        marks.sort(key=lambda m: (m.start, -m.end))
        data.by_article[article_id] = marks
    return data


def build_quote_data(corpus: Any, cancelled: Callable[[], bool] | None = None,
                     progress: Callable[[int, int], None] | None = None) -> QuoteData | None:
    """Run the core quote analysis on ``corpus`` (cached in its per-user cache folder); None if cancelled."""
    try:
        from briefreader.core.quote_clusters import QuotesCancelled, analyse_quotes, quotes_cache_dir
    except ImportError:
        raise QuotesUnavailableError("analysis not available in this build") from None
    try:
        analysis = analyse_quotes(corpus.articles, cache_dir=quotes_cache_dir(corpus.root), progress=progress,
                                  cancelled=cancelled)
    except QuotesCancelled:
        return None
    return quote_data_from_analysis(analysis)


# From this many articles the reader analyses quotations in a child process: the analysis builds
# ~200 MB of short-lived objects at 10k articles (they stay in the reader's heap once freed) and
# holds the GIL for seconds, which makes the UI stutter. Below it a thread is cheaper than a spawn.
ISOLATE_MIN_ARTICLES = 2000


def build_quote_data_isolated(root: Path, articles: list[Any], *, cancelled: Callable[[], bool] | None = None,
                              progress: Callable[[int, int], None] | None = None) -> QuoteData | None:
    """Like :func:`build_quote_data`, in a spawned child that loads the corpus from the record cache
    (:func:`briefreader.core.isolated.run_isolated`).

    The child's result is used only if its corpus is the same as ``articles`` (same digest: a file
    may have changed in between); otherwise, or if the child cannot run, the analysis runs here.
    None if cancelled.
    """
    import logging

    from briefreader.core.isolated import ChildFailed, run_isolated
    from briefreader.core.quote_clusters import analysis_digest

    try:
        finished, result = run_isolated(_quotes_child, (str(root),), name="briefreader-quotes",
                                        cancelled=cancelled, progress=progress)
        if not finished:
            return None
        digest, data = result
        if digest == analysis_digest(articles):
            return data
        logging.getLogger(__name__).info("the corpus changed while its quotations were analysed; analysing here")
    except ChildFailed as exc:
        logging.getLogger(__name__).warning("quote analysis in a child process failed (%s); analysing here", exc)
    return build_quote_data(SimpleNamespace(root=root, articles=articles), cancelled=cancelled, progress=progress)


def _quotes_child(root: str, reporter: Callable[..., None]) -> tuple[str, QuoteData]:
    """In a spawned child: load the corpus (from the record cache), analyse it, return the reader's data."""
    from briefreader.core.corpus import load_corpus
    from briefreader.core.quote_clusters import analyse_quotes, analysis_digest, quotes_cache_dir

    corpus = load_corpus(root)
    analysis = analyse_quotes(corpus.articles, cache_dir=quotes_cache_dir(corpus.root), progress=reporter)
    return analysis_digest(corpus.articles), quote_data_from_analysis(analysis)
