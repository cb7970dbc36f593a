"""Fills the reader's :class:`QuoteData` from briefreader.core's quote analysis.

The analysis itself (extraction, clustering, caching) is
:func:`briefreader.core.quote_clusters.analyse_quotes`; this module only converts its result into
what the panes show: per article, one mark per clustered sentence of each quotation (a quotation of
two sentences can have two different sets of variants), and scare quotes as plain marks.
"""

from __future__ import annotations

from typing import Any, Callable

from briefreader.tui.quote_model import QuoteCluster, QuoteData, QuoteMark, Rendering


class QuotesUnavailableError(Exception):
    """The quote analysis cannot run (not in this build)."""


def quote_data_from_analysis(analysis: Any) -> QuoteData:
    """Convert a core ``QuoteAnalysis`` into the reader's :class:`QuoteData`."""
    data = QuoteData()
    for cluster in analysis.clusters:
        data.clusters[cluster.id] = QuoteCluster(
            id=cluster.id,
            speaker=cluster.speaker,
            canonical=cluster.canonical,
            renderings=[Rendering(v.article, v.outlet, v.date, v.text, v.start, v.end, v.speaker)
                        for v in cluster.variants],
            core=cluster,
        )
    units: dict[str, list[tuple[int, int, str, str, str | None]]] = {}
    for cluster in analysis.clusters:
        for v in cluster.variants:
            units.setdefault(v.article, []).append((v.start, v.end, cluster.id, v.text, v.speaker))
    for article_id, quotes in analysis.quotes_by_article.items():
        marks: list[QuoteMark] = []
        article_units = sorted(units.get(article_id, []))
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
    """Run the core quote analysis on ``corpus`` (cached in its state folder); None if cancelled."""
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
