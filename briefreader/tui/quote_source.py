"""Fills the reader's :class:`QuoteData` from briefreader.core's quote analysis.

The analysis itself (extraction, clustering, caching, a child process for a big corpus) is the
workspace's (:meth:`briefreader.workspace.Workspace.quotes_in_child`, which runs
:func:`quote_data_from_analysis` where the analysis ran); this module only converts its result into
what the panes show: per article, one mark per piece of each quotation (the halves of an interrupted
quotation and the paragraphs of a multi-paragraph one are marked apart, all pointing at the
quotation's one cluster), and scare quotes as plain marks.
"""

from __future__ import annotations

from typing import Any

from briefreader.tui.quote_model import QuoteData, QuoteMark


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


__all__ = ["quote_data_from_analysis"]
