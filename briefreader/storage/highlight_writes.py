"""Writes to the highlights of the triage store that take more than a row: a new highlight
anchored on the article's text, edits of its comment and tags, and re-attaching highlights to an
article's changed text. The store's methods of the same names call these (one transaction each)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from briefreader.core.anchors import Resolution, make_anchor, paragraph_number, reanchor
from briefreader.core.model import Article
from briefreader.core.triage_model import (
    Highlight,
    Reattachment,
    TriageError,
    article_hash,
    normalize_tags,
    short_text,
)
from briefreader.storage.triage_rows import highlight_from_row, json_value, source_span

if TYPE_CHECKING:
    from briefreader.storage.triage_store import TriageStore


def add_highlight(
    store: TriageStore,
    article: Article,
    start: int,
    end: int,
    *,
    comment: str = "",
    tags: Iterable[str] = (),
) -> Highlight:
    """Highlight ``article.body[start:end]`` (offsets into the cleaned body, end exclusive).

    Surrounding whitespace is trimmed from the span; raises TriageError for an empty span.
    """
    body = article.body
    start, end = max(0, start), min(len(body), end)
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start >= end:
        raise TriageError("cannot highlight an empty passage")
    anchor = make_anchor(body, start, end)
    src_start, src_end = source_span(article, start, end)
    with store._transaction() as tx:
        tx.begin("highlight", {"article_id": article.id, "summary": short_text(anchor.exact)})
        row = {
            "article_id": article.id,
            "exact": anchor.exact,
            "prefix": anchor.prefix,
            "suffix": anchor.suffix,
            "body_start": start,
            "body_end": end,
            "source_start": src_start,
            "source_end": src_end,
            "paragraph": paragraph_number(body, start),
            "content_hash": article_hash(article),
            "comment": comment.strip(),
            "tags": json.dumps(normalize_tags(tags), ensure_ascii=False),
            "created": tx.time,
            "updated": tx.time,
            "anchor_state": "exact",
            "original_exact": None,
        }
        cur = store._db.execute(
            f"INSERT INTO highlight ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", tuple(row.values())
        )
        hid = int(cur.lastrowid or 0)
        tx.record("highlight", {"id": hid}, None, {"id": hid, **row})
        tx.detail["highlight_id"] = hid
    return highlight_from_row({"id": hid, **row})


def update_highlight(
    store: TriageStore, highlight_id: int, *, comment: str | None = None, tags: Iterable[str] | None = None
) -> Highlight:
    """Change a highlight's comment and/or replace its tags."""
    with store._transaction() as tx:
        tx.begin("edit-highlight", {"highlight_id": highlight_id})
        row = store._get_row("highlight", {"id": highlight_id})
        if row is None:
            raise TriageError(f"no highlight #{highlight_id}")
        tx.detail["article_id"] = row["article_id"]
        new = dict(row)
        if comment is not None:
            new["comment"] = comment.strip()
        if tags is not None:
            new["tags"] = json.dumps(normalize_tags(tags), ensure_ascii=False)
        if new != row:
            new["updated"] = tx.time
            tx.put("highlight", {"id": highlight_id}, new)
    return highlight_from_row(new)


def add_highlight_tags(store: TriageStore, highlight_id: int, tags: Iterable[str] | str) -> Highlight:
    """Add tags to a highlight, keeping the ones it has (done inside one transaction)."""
    with store._transaction() as tx:
        tx.begin("tag-highlight", {"highlight_id": highlight_id, "tags": normalize_tags(tags)})
        row = store._get_row("highlight", {"id": highlight_id})
        if row is None:
            raise TriageError(f"no highlight #{highlight_id}")
        tx.detail["article_id"] = row["article_id"]
        new = dict(row)
        new["tags"] = json.dumps(normalize_tags(json_value(row["tags"], []) + normalize_tags(tags)), ensure_ascii=False)
        if new != row:
            new["updated"] = tx.time
            tx.put("highlight", {"id": highlight_id}, new)
    return highlight_from_row(new)


def reattach(store: TriageStore, article: Article) -> list[Reattachment]:
    """Re-anchor an article's highlights on its current body; store what moved.

    Highlights whose text cannot be found become orphans: kept (with their text) and listed,
    never dropped; they are tried again on every call, so reverting the text brings them back.
    Not journalled: it records where the analyst's passages now are, it changes no decision.
    """
    content_hash = article_hash(article)
    results: list[Reattachment] = []
    with store._transaction():
        for h in store.highlights(article.id):
            if h.content_hash == content_hash and not h.orphan:
                results.append(Reattachment(h, Resolution(h.anchor_state, h.start, h.end, 100.0), False))  # type: ignore[arg-type]
                continue
            anchor, res = reanchor(h.anchor, article.body)
            row = store._get_row("highlight", {"id": h.id})
            if row is None:
                continue
            new = dict(row)
            if res.attached:
                src_start, src_end = source_span(article, res.start, res.end)
                new.update(
                    exact=anchor.exact,
                    prefix=anchor.prefix,
                    suffix=anchor.suffix,
                    body_start=anchor.start,
                    body_end=anchor.end,
                    source_start=src_start,
                    source_end=src_end,
                    paragraph=paragraph_number(article.body, anchor.start),
                    content_hash=content_hash,
                    anchor_state=res.state,
                )
                if anchor.exact != h.exact and not row["original_exact"]:
                    new["original_exact"] = h.exact
            else:
                new["anchor_state"] = "orphan"
            changed = new != row
            if changed:
                store._put_row("highlight", {"id": h.id}, new)
            results.append(Reattachment(highlight_from_row(new), res, changed))
    return results
