"""The brief as JSON (schema ``EXPORT_SCHEMA``): the same data as the Markdown, for other tools."""

from __future__ import annotations

import json
from typing import Any

from briefreader.core.brief_compare import compare_renderings
from briefreader.core.brief_model import EXPORT_SCHEMA, ArticleEntry, Brief, PlacedHighlight
from briefreader.core.dates import display_date
from briefreader.core.inert import json_escape_controls
from briefreader.core.model import Article


def _article_meta(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "path": a.path,
        "title": a.title,
        "outlet": a.outlet,
        "source_agency": a.source_agency,
        "date": a.date,
        "date_display": display_date(a.date) or None,
        "author": a.author,
        "url": a.url,
    }


def _placed_json(p: PlacedHighlight) -> dict[str, Any]:
    h = p.highlight
    return {
        "id": h.id,
        "text": p.text,
        "start": p.start,
        "end": p.end,
        "source_start": p.source_start,
        "source_end": p.source_end,
        "paragraph": p.paragraph,
        "anchor": {"state": p.resolution.state, "score": p.resolution.score},
        "selectors": [
            {"type": "TextQuoteSelector", "exact": h.exact, "prefix": h.prefix, "suffix": h.suffix},
            {"type": "TextPositionSelector", "start": p.start, "end": p.end},
        ],
        "original_text": h.original_exact,
        "comment": h.comment,
        "tags": h.tags,
        "created": h.created,
    }


def _entry_json(brief: Brief, e: ArticleEntry) -> dict[str, Any]:
    """One article of the brief; to send, without status, tags, private note or timestamps."""
    item: dict[str, Any] = {**_article_meta(e.article), "source": e.source_number}
    highlights = [_placed_json(p) for p in e.highlights]
    if brief.profile == "archive":
        item.update(status=e.state.status, tags=e.state.tags, note=e.state.note)
    else:
        for h in highlights:
            for key in ("tags", "created"):
                h.pop(key)
    item["highlights"] = highlights
    return item


def brief_to_json(brief: Brief) -> dict[str, Any]:
    """The brief as a JSON-ready dict (same content as the Markdown, plus offsets and selectors)."""
    numbers = {a.id: i for i, a in enumerate(brief.sources, 1)}
    return {
        "schema": EXPORT_SCHEMA,
        "title": brief.title,
        "corpus": brief.corpus,
        "selection": brief.selection,
        "group_by": brief.group_by,
        "profile": brief.profile,
        "articles": [_entry_json(brief, e) for e in brief.entries],
        "groups": [
            {
                "key": g.key,
                "heading": g.heading,
                "cluster": g.cluster.cluster_key if g.cluster else None,
                "items": [
                    {"article": e.article.id, "whole": e.whole, "highlights": [p.highlight.id for p in e.highlights]}
                    for e in g.entries
                ],
            }
            for g in brief.groups
        ],
        "quote_clusters": [
            {
                "id": c.cluster_key,
                "speaker": c.speaker,
                "canonical": c.canonical,
                "note": c.note,
                "chosen": c.created if brief.profile == "archive" else None,
                "variants": [
                    {
                        **{k: r.variant.get(k)
                           for k in ("article", "outlet", "date", "title", "text", "start", "end", "speaker")},
                        "source": numbers.get(str(r.variant.get("article") or "")),
                        "partial": r.partial,
                        "same_words": r.same,
                        "changes": [{"kind": k, "text": t} for k, t in r.runs if k != "equal"],
                    }
                    for r in compare_renderings(c, ignore_punct=brief.ignore_punct)
                ],
            }
            for c in brief.clusters
        ],
        "orphans": [
            {
                "article": aid,
                "in_corpus": a is not None,
                "id": p.highlight.id,
                "text": p.highlight.exact,
                "prefix": p.highlight.prefix,
                "suffix": p.highlight.suffix,
                "start": p.highlight.start,
                "end": p.highlight.end,
                "paragraph": p.highlight.paragraph,
                "comment": p.highlight.comment,
                **({"tags": p.highlight.tags, "created": p.highlight.created} if brief.profile == "archive" else {}),
            }
            for aid, p, a in brief.orphans
        ],
        "sources": [{"n": i, **_article_meta(a)} for i, a in enumerate(brief.sources, 1)],
    }


def render_json(brief: Brief) -> str:
    """The brief as pretty-printed, deterministic JSON text."""
    # lossless: C1/bidi controls and lone surrogates become \\uXXXX escapes (JSON escapes C0 itself)
    return json_escape_controls(json.dumps(brief_to_json(brief), ensure_ascii=False, indent=2)) + "\n"
