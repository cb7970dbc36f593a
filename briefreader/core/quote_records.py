"""The quote analysis's records (part of :mod:`briefreader.core.quote_clusters`): a rendering
(:class:`Variant`), a group of renderings of one statement (:class:`QuoteCluster`, the one cluster
model the CLI, the brief and the reader share) and the whole analysis (:class:`QuoteAnalysis`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

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


@dataclass
class QuoteAnalysis:
    """Result of :func:`analyse_quotes`, with the look-ups a reader needs."""

    quotes_total: int
    clusters: list[QuoteCluster]
    scare_quotes: list[Quote]
    quotes_by_article: dict[str, list[Quote]]
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    _by_id: dict[str, QuoteCluster] = field(default_factory=dict, repr=False)
    _units: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {c.id: c for c in self.clusters}
        units: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for c in self.clusters:
            for v in c.variants:
                units[v.article].append((v.start, v.end, c.id))
        self._units = {k: sorted(v) for k, v in units.items()}

    def quotes_of(self, article_id: str) -> list[Quote]:
        """Every quotation of one article (scare quotes included), in text order."""
        return self.quotes_by_article.get(article_id, [])

    def cluster(self, cluster_id: str) -> QuoteCluster | None:
        return self._by_id.get(cluster_id)

    def cluster_at(self, article_id: str, offset: int) -> QuoteCluster | None:
        """The cluster of the quoted sentence covering ``offset`` (cleaned body) in an article."""
        for start, end, cid in self._units.get(article_id, []):
            if start <= offset < end or (start == end == offset):
                return self._by_id[cid]
        return None

    def clusters_of_quote(self, quote: Quote) -> list[QuoteCluster]:
        """Clusters of the sentences of one quotation (one per sentence, in order, no repeats)."""
        out: list[QuoteCluster] = []
        for start, end, cid in self._units.get(quote.article_id, []):
            if start < quote.end and end > quote.start and self._by_id[cid] not in out:
                out.append(self._by_id[cid])
        return out

    def clusters_of_article(self, article_id: str) -> list[QuoteCluster]:
        seen: dict[str, None] = {}
        for _, _, cid in self._units.get(article_id, []):
            seen.setdefault(cid, None)
        return [self._by_id[c] for c in seen]

    def filtered(self, *, min_articles: int = 1, speaker: str | None = None,
                 altered: bool = False) -> list[QuoteCluster]:
        """Clusters quoted in at least ``min_articles`` articles, optionally by a speaker (case-insensitive
        substring of the cluster's or any variant's speaker), optionally only altered ones."""
        out = []
        needle = speaker.casefold() if speaker else None
        for c in self.clusters:
            if len(c.articles) < min_articles or (altered and not c.altered):
                continue
            if needle is not None:
                names = {c.speaker or ""} | {v.speaker or "" for v in c.variants}
                if not any(needle in n.casefold() for n in names):
                    continue
            out.append(c)
        return out

    def to_json(self, *, min_articles: int = 1, speaker: str | None = None, altered: bool = False) -> dict[str, Any]:
        """The `quotes --json` contract (altered groups first)."""
        clusters = self.filtered(min_articles=min_articles, speaker=speaker, altered=altered)
        clusters.sort(key=lambda c: not c.altered)
        return {
            "quotes_total": self.quotes_total,
            "clusters": [c.to_dict() for c in clusters],
            "scare_quotes": [
                {"article": q.article_id, "text": q.text, "start": q.start, "end": q.end,
                 "source_start": q.source_start, "source_end": q.source_end}
                for q in self.scare_quotes
            ],
        }
