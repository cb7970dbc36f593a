"""The quote analysis's records (part of :mod:`briefreader.core.quote_clusters`): a rendering
(:class:`Variant`), a group of renderings of one statement (:class:`QuoteCluster`, the one cluster
model the CLI, the brief and the reader share) and the whole analysis (:class:`QuoteAnalysis`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from briefreader.core.quotes import Quote

Progress = Callable[[int, int], None]


_MISSING = object()


class QuotesCancelled(Exception):
    """Raised when the ``cancelled`` callback of :func:`analyse_quotes` says stop."""


@dataclass(slots=True)
class Variant:
    """One rendering of a cluster's statement: a whole quotation as one article printed it.

    ``text``: its words between the marks (the paragraphs of a multi-paragraph quotation joined by
    a space); ``start``/``end``: offsets into the cleaned body from its first to its last word;
    ``spans``/``source_spans``: each paragraph's span. ``quote_*``: the same whole quotation (kept
    for readers of the older shape). ``similarity`` to the canonical rendering, ``partial`` (quotes
    only part of it, ``canonical_span`` says which), ``alteration`` (same / trivial / partial /
    paraphrased / altered).
    """

    article: str
    outlet: str | None
    date: str | None
    text: str
    start: int
    end: int
    speaker: str | None
    speaker_confidence: float = 0.0
    quote_index: int = 0
    quote_start: int = 0
    quote_end: int = 0
    quote_text: str = ""
    utterance_id: str = ""
    order: int = 0
    source_start: int = 0
    source_end: int = 0
    similarity: float = 1.0
    partial: bool = False
    canonical_span: tuple[int, int] = (0, 0)
    alteration: str = "same"  # against the canonical rendering: see diffing.classify_alteration
    spans: tuple[tuple[int, int], ...] = ()  # body spans of its paragraphs (one for most quotations)
    source_spans: tuple[tuple[int, int], ...] = ()
    piece_indices: tuple[int, ...] = ()  # the article's Quote index of each paragraph

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["canonical_span"] = list(self.canonical_span)
        d["spans"] = [list(x) for x in self.spans]
        d["source_spans"] = [list(x) for x in self.source_spans]
        d["piece_indices"] = list(self.piece_indices)
        return d


@dataclass(slots=True)
class QuoteCluster:
    """Renderings of one utterance across articles; ``variants`` ordered by date then article order."""

    id: str
    speaker: str | None
    canonical: str
    variants: list[Variant]
    speaker_confidence: float = 0.0

    @property
    def altered(self) -> bool:
        """True when some rendering changed the content words of the statement (a misquote)."""
        return any(v.alteration == "altered" for v in self.variants)

    @property
    def articles(self) -> list[str]:
        seen: dict[str, None] = {}
        for v in self.variants:
            seen.setdefault(v.article, None)
        return list(seen)

    @property
    def outlets(self) -> list[str]:
        seen: dict[str, None] = {}
        for v in self.variants:
            seen.setdefault(v.outlet or v.article, None)
        return list(seen)

    @property
    def first(self) -> Variant:
        """The earliest rendering (who published first)."""
        return self.variants[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "speaker_confidence": self.speaker_confidence,
            "canonical": self.canonical,
            "altered": self.altered,
            "articles": len(self.articles),
            "variants": [v.to_dict() for v in self.variants],
        }


class ClusterSource(Protocol):
    """Where a lazily opened analysis reads its clusters and quotations (the analysis store of
    :mod:`briefreader.core.quote_cache`): nothing is built before it is asked for."""

    def iter_clusters(self, *, min_articles: int = 1, altered: bool = False, speaker: str | None = None,
                      altered_first: bool = False) -> Iterator[QuoteCluster]:
        """Clusters in the analysis's order (altered ones first when ``altered_first``), filtered as
        :meth:`QuoteAnalysis.filtered` does."""
        ...

    def cluster_count(self, *, min_articles: int = 1, altered: bool = False) -> int:
        """How many clusters pass the filters, without building them."""
        ...

    def scare_quotes(self) -> list[Quote]:
        """Every scare quote, in article order."""
        ...

    def quotes_of(self, article_id: str) -> list[Quote]:
        """Every quotation of one article."""
        ...

    def quotes_by_article(self) -> dict[str, list[Quote]]:
        """Every article's quotations (loads them all)."""
        ...


class QuoteAnalysis:
    """Result of :func:`analyse_quotes`, with the look-ups a reader needs.

    Built either from records in memory or over a :class:`ClusterSource` (``source``), in which case
    ``clusters``, ``scare_quotes`` and ``quotes_by_article`` are read from it when first used, and
    :meth:`filtered`, :meth:`iter_json_clusters` and :meth:`cluster_count` stream from it without
    building the clusters they leave out."""

    def __init__(self, quotes_total: int, clusters: list[QuoteCluster] | None = None,
                 scare_quotes: list[Quote] | None = None, quotes_by_article: dict[str, list[Quote]] | None = None,
                 warnings: list[str] | None = None, stats: dict[str, Any] | None = None, *,
                 source: ClusterSource | None = None) -> None:
        if source is None and (clusters is None or scare_quotes is None or quotes_by_article is None):
            raise ValueError("QuoteAnalysis needs its records or a source to read them from")
        self.quotes_total = quotes_total
        self.warnings: list[str] = warnings if warnings is not None else []
        self.stats: dict[str, Any] = stats if stats is not None else {}
        self._source = source
        self._clusters = clusters
        self._scare_quotes = scare_quotes
        self._quotes_by_article = quotes_by_article
        self._by_id: dict[str, QuoteCluster] | None = None
        self._units: dict[str, list[tuple[int, int, str]]] | None = None

    def __repr__(self) -> str:
        return (f"QuoteAnalysis(quotes_total={self.quotes_total}, "
                f"clusters={'<lazy>' if self._clusters is None else len(self._clusters)})")

    @property
    def clusters(self) -> list[QuoteCluster]:
        """Every cluster, most widely quoted first (read from the source when first used)."""
        if self._clusters is None:
            assert self._source is not None
            self._clusters = list(self._source.iter_clusters())
        return self._clusters

    @property
    def scare_quotes(self) -> list[Quote]:
        if self._scare_quotes is None:
            assert self._source is not None
            self._scare_quotes = self._source.scare_quotes()
        return self._scare_quotes

    @property
    def quotes_by_article(self) -> dict[str, list[Quote]]:
        if self._quotes_by_article is None:
            assert self._source is not None
            self._quotes_by_article = self._source.quotes_by_article()
        return self._quotes_by_article

    def _lookups(self) -> tuple[dict[str, QuoteCluster], dict[str, list[tuple[int, int, str]]]]:
        if self._by_id is None or self._units is None:
            self._by_id = {c.id: c for c in self.clusters}
            units: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
            for c in self.clusters:
                for v in c.variants:
                    units[v.article].append((v.start, v.end, c.id))
            self._units = {k: sorted(v) for k, v in units.items()}
        return self._by_id, self._units

    def quotes_of(self, article_id: str) -> list[Quote]:
        """Every quotation of one article (scare quotes included), in text order."""
        if self._quotes_by_article is None and self._source is not None:
            return self._source.quotes_of(article_id)
        return self.quotes_by_article.get(article_id, [])

    def cluster(self, cluster_id: str) -> QuoteCluster | None:
        return self._lookups()[0].get(cluster_id)

    def cluster_at(self, article_id: str, offset: int) -> QuoteCluster | None:
        """The cluster of the quoted sentence covering ``offset`` (cleaned body) in an article."""
        by_id, units = self._lookups()
        for start, end, cid in units.get(article_id, []):
            if start <= offset < end or (start == end == offset):
                return by_id[cid]
        return None

    def clusters_of_quote(self, quote: Quote) -> list[QuoteCluster]:
        """Clusters of the sentences of one quotation (one per sentence, in order, no repeats)."""
        by_id, units = self._lookups()
        out: list[QuoteCluster] = []
        for start, end, cid in units.get(quote.article_id, []):
            if start < quote.end and end > quote.start and by_id[cid] not in out:
                out.append(by_id[cid])
        return out

    def clusters_of_article(self, article_id: str) -> list[QuoteCluster]:
        by_id, units = self._lookups()
        seen: dict[str, None] = {}
        for _, _, cid in units.get(article_id, []):
            seen.setdefault(cid, None)
        return [by_id[c] for c in seen]

    def _streams(self) -> bool:
        """Whether filters read the source rather than clusters already in memory."""
        return self._clusters is None and self._source is not None

    def filtered(self, *, min_articles: int = 1, speaker: str | None = None,
                 altered: bool = False) -> list[QuoteCluster]:
        """Clusters quoted in at least ``min_articles`` articles, optionally by a speaker (case-insensitive
        substring of the cluster's or any variant's speaker), optionally only altered ones."""
        return list(self.iter_clusters(min_articles=min_articles, speaker=speaker, altered=altered))

    def iter_clusters(self, *, min_articles: int = 1, speaker: str | None = None, altered: bool = False,
                      altered_first: bool = False) -> Iterator[QuoteCluster]:
        """The clusters :meth:`filtered` gives (altered ones first when ``altered_first``), one at a
        time: read from the source, those left out are never built."""
        if self._streams():
            assert self._source is not None
            yield from self._source.iter_clusters(min_articles=min_articles, speaker=speaker or None,
                                                  altered=altered, altered_first=altered_first)
            return
        kept = [c for c in self.clusters if cluster_passes(c, min_articles=min_articles, speaker=speaker,
                                                           altered=altered)]
        if altered_first:
            kept.sort(key=lambda c: not c.altered)  # stable: the order is kept otherwise
        yield from kept

    def cluster_count(self, *, min_articles: int = 1, altered: bool = False) -> int:
        """How many clusters are quoted in at least ``min_articles`` articles (only altered ones when
        ``altered``), without building them when the analysis reads a source."""
        if self._streams():
            assert self._source is not None
            return self._source.cluster_count(min_articles=min_articles, altered=altered)
        return sum(1 for c in self.clusters if cluster_passes(c, min_articles=min_articles, altered=altered))

    def iter_json_clusters(self, *, min_articles: int = 1, speaker: str | None = None,
                           altered: bool = False) -> Iterator[dict[str, Any]]:
        """The ``clusters`` of :meth:`to_json`, one dict at a time (altered groups first)."""
        for cluster in self.iter_clusters(min_articles=min_articles, speaker=speaker, altered=altered,
                                           altered_first=True):
            yield cluster.to_dict()

    def scare_quotes_json(self) -> list[dict[str, Any]]:
        """The ``scare_quotes`` of :meth:`to_json`."""
        return [
            {"article": q.article_id, "text": q.text, "start": q.start, "end": q.end,
             "source_start": q.source_start, "source_end": q.source_end}
            for q in self.scare_quotes
        ]

    def to_json(self, *, min_articles: int = 1, speaker: str | None = None, altered: bool = False) -> dict[str, Any]:
        """The `quotes --json` contract (altered groups first)."""
        return {
            "quotes_total": self.quotes_total,
            "clusters": list(self.iter_json_clusters(min_articles=min_articles, speaker=speaker, altered=altered)),
            "scare_quotes": self.scare_quotes_json(),
        }


def cluster_passes(cluster: QuoteCluster, *, min_articles: int = 1, speaker: str | None = None,
                   altered: bool = False) -> bool:
    """Whether ``cluster`` passes the filters of :meth:`QuoteAnalysis.filtered`."""
    if len(cluster.articles) < min_articles or (altered and not cluster.altered):
        return False
    if speaker:
        needle = speaker.casefold()
        names = {cluster.speaker or ""} | {v.speaker or "" for v in cluster.variants}
        return any(needle in name.casefold() for name in names)
    return True
