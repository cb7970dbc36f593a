"""What the reader needs to know about quotations (filled from briefreader.core's quote analysis).

Plain records, no Textual: per article, the quotation marks with their body offsets (the view data
of this module); the groups themselves are core's :class:`~briefreader.core.quote_clusters.QuoteCluster`
(``variants`` ordered by publication date, each with its ``article``, offsets, speaker, alteration),
the one cluster model the CLI, the brief and the reader share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # at run time only when asked for (see __getattr__): the reader paints before it needs quotes
    from briefreader.core.quote_clusters import QuoteCluster


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
        return cluster is not None and any(v.article != mark.article_id for v in cluster.variants)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.by_article.values())


def __getattr__(name: str) -> Any:
    """``QuoteCluster`` imported on first use: the quote modules cost ~0.1 s of the reader's start."""
    if name == "QuoteCluster":
        from briefreader.core.quote_clusters import QuoteCluster

        return QuoteCluster
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["QuoteCluster", "QuoteData", "QuoteMark"]
