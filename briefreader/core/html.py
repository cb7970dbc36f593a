"""Main-text and metadata extraction from HTML pages (trafilatura), before the shared text cleaning."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ExtractedPage:
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def extract_html(html: str) -> ExtractedPage:
    """The article text of an HTML page (paragraphs separated by blank lines) and its metadata."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=False
        )
    except Exception:  # trafilatura raises on some malformed input; fall back to tag stripping
        doc = None
    if doc is None:
        return ExtractedPage(_strip_tags(html), {})
    text = (getattr(doc, "text", None) or "").strip()
    # trafilatura separates paragraphs with single newlines; the cleaner expects blank lines.
    text = re.sub(r"\n+", "\n\n", text)
    meta: dict[str, Any] = {}
    for name, attr in (("title", "title"), ("author", "author"), ("date", "date"),
                       ("outlet", "sitename"), ("url", "url"), ("language", "language")):
        value = getattr(doc, attr, None)
        if value:
            meta[name] = value
    if not text:
        text = _strip_tags(html)
    return ExtractedPage(text, meta)


_SCRIPT = re.compile(r"<(script|style|noscript)\b.*?</\1>", re.S | re.I)
_BLOCK = re.compile(r"</?(p|div|br|h[1-6]|li|tr|article|section)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def _strip_tags(html: str) -> str:
    import html as html_lib

    text = _SCRIPT.sub(" ", html)
    text = _BLOCK.sub("\n\n", text)
    text = html_lib.unescape(_TAG.sub(" ", text))
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n\s*", "\n\n", text).strip()
