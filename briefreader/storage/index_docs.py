"""What the index holds of an article: its Whoosh document and the fingerprint that says whether
the indexed copy is still the article's."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from briefreader.core.search_query import date_period

if TYPE_CHECKING:
    from briefreader.core.model import Article

# Bump when the schema or what goes into a field changes: older indexes are rebuilt, with a message.
SCHEMA_VERSION = 4  # 4: the pair field (storage/index_pairs.py)


def article_fingerprint(article: Article) -> str:
    """sha1 over everything the index holds of ``article`` (so a re-clean with the same file bytes counts)."""
    h = hashlib.sha1(f"{SCHEMA_VERSION}\0{article.content_hash}".encode())
    for value in (article.id, article.path, article.title, article.outlet, article.author, article.dateline,
                  article.date, article.body, article.source_agency):
        h.update(b"\0")
        if value:
            h.update(value.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def document_fields(article: Article, fingerprint: str) -> dict[str, Any]:
    from whoosh.util.times import datetime_to_long

    doc: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "body": article.body,
        "body_pairs": article.body,  # analysed into adjacent word pairs (storage/index_pairs.py)
        "fingerprint": fingerprint,
    }
    for name in ("title", "outlet", "author", "dateline"):
        value = getattr(article, name)
        if value:
            doc[name] = value
    if article.source_agency:
        doc["agency"] = article.source_agency
    if article.date:
        doc["date_text"] = article.date
        period = date_period(article.date)
        if period is not None:
            doc["date"] = period.start
            doc["date_end"] = period.end
            doc["date_sort"] = datetime_to_long(period.start)
    return doc


def compare_fingerprints(articles: list[Article], indexed: dict[str, str]
             ) -> tuple[list[tuple[Article, str]], list[tuple[Article, str]], set[str]]:
    """(new articles, changed articles, every id seen), each article with its fingerprint; the
    first article of an id wins."""
    added: list[tuple[Article, str]] = []
    changed: list[tuple[Article, str]] = []
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            continue
        seen.add(article.id)
        fingerprint = article_fingerprint(article)
        old = indexed.get(article.id)
        if old is None:
            added.append((article, fingerprint))
        elif old != fingerprint:
            changed.append((article, fingerprint))
    return added, changed, seen
