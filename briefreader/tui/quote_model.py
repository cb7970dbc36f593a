"""What the reader needs to know about quotations (filled from briefreader.core's quote analysis).

Plain records, no Textual: per article, the quotations with their body offsets; per cluster, every
rendering ordered by publication date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Rendering:
    """One outlet's rendering of a quotation."""

    article_id: str
    outlet: str | None
    date: str | None
    text: str
    start: int  # offsets into that article's cleaned body
    end: int
    speaker: str | None = None
    alteration: str = "same"  # against the group's canonical rendering (core.diffing.classify_alteration)
    spans: tuple[tuple[int, int], ...] = ()  # body spans of its pieces (text = their texts joined by a space)


@dataclass(frozen=True, slots=True)
class QuoteMark:
    """A quotation in an article body, and the cluster it belongs to (if any)."""

    article_id: str
    start: int
    end: int
    text: str
    cluster_id: str | None = None
    speaker: str | None = None
    scare: bool = False


@dataclass
class QuoteCluster:
    id: str
    renderings: list[Rendering]  # ordered by date, then corpus order; [0] is the earliest
    speaker: str | None = None
    canonical: str = ""
    speaker_confidence: float = 0.0
    altered: bool = False  # some rendering changed the statement's content words
    # The core cluster this was made from (alignment spans, similarity...): what the brief stores.
    core: Any = field(default=None, repr=False, compare=False)

    def articles(self) -> set[str]:
        return {r.article_id for r in self.renderings}


@dataclass
class QuoteData:
    """Quotations of the whole corpus as the reader shows them."""

    by_article: dict[str, list[QuoteMark]] = field(default_factory=dict)
    clusters: dict[str, QuoteCluster] = field(default_factory=dict)

    def quotes_in(self, article_id: str) -> list[QuoteMark]:
        return self.by_article.get(article_id, [])

    def cluster_of(self, mark: QuoteMark) -> QuoteCluster | None:
        return self.clusters.get(mark.cluster_id) if mark.cluster_id else None

    def has_variants(self, mark: QuoteMark) -> bool:
        """True when another article renders the same quotation."""
        cluster = self.cluster_of(mark)
        return cluster is not None and len(cluster.articles() - {mark.article_id}) > 0

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.by_article.values())
