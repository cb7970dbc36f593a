"""Main-text and metadata extraction from HTML pages (trafilatura), before the shared text cleaning.

Settings and post-processing were chosen on real news pages with ``bench/bench_html.py``:
- trafilatura in its balanced mode, comments and tables off. On the measured pages
  ``favor_precision`` also dropped standfirsts and headlines (article text), ``favor_recall`` added
  metadata lists ("Date ...", "Author ...", "Print this page"), ``fast`` gave the same text (but
  has no fallback extractor for pages where the main one fails);
- "next story" / "up next" teaser blocks are pruned before extraction (trafilatura kept a list of
  the next posts, with their first paragraphs, after a short blog post);
- the title is the page's own headline (its ``<h1>``) when that matches the metadata title, else the
  metadata title without a trailing site-name part (``Headline | Site``);
- the date is the publication date the page declares (schema.org ``datePublished``, then
  ``article:published_time``); trafilatura's date finder sometimes returns the modification date;
- the language comes from ``<html lang>`` or the page's language meta tags.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ExtractedPage:
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


# Blocks holding teasers of *other* articles, by id/class token (trafilatura's own boilerplate
# rules already cover "related", "next-" classes, sharing, newsletters, footers, navigation).
_TEASER_TOKENS = ("next-post", "nextpost", "nextstory", "next-story", "up-next", "upnext", "read-next",
                  "readnext", "more-stories", "morestories")
_TEASER_XPATH = "//*[self::div or self::section or self::aside or self::ul][{}]".format(
    " or ".join(f'contains(@id, "{t}") or contains(@class, "{t}")' for t in _TEASER_TOKENS))

_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report)$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "parsely-pub-date",
                   "datePublished", "publish-date", "pubdate")
_TITLE_SEPARATOR_KEEP = re.compile(r"(\s+[|\-\u2013\u2014\u00b7/:]\s+)")
_WORD = re.compile(r"\w+")


def extract_html(html: str) -> ExtractedPage:
    """The article text of an HTML page (paragraphs separated by blank lines) and its metadata."""
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except Exception:  # unparsable input: fall back to tag stripping below
        tree = None
    if tree is None:
        return ExtractedPage(_strip_tags(html), {})
    headlines = _headlines(tree)
    published = _declared_publication_date(tree)
    language = _declared_language(tree)
    try:
        doc = trafilatura.bare_extraction(
            tree, with_metadata=True, include_comments=False, include_tables=False, prune_xpath=_TEASER_XPATH,
        )
    except Exception:  # trafilatura raises on some malformed input; fall back to tag stripping
        doc = None
    if doc is None:
        return ExtractedPage(_strip_tags(html), {})
    text = _paragraphs(getattr(doc, "text", None) or "")
    meta: dict[str, Any] = {}
    for name, attr in (("title", "title"), ("author", "author"), ("date", "date"),
                       ("outlet", "sitename"), ("url", "url"), ("language", "language")):
        value = getattr(doc, attr, None)
        if value:
            meta[name] = value
    title = _best_title(meta.get("title"), headlines, meta.get("outlet"))
    if title:
        meta["title"] = title
    if published:
        meta["date"] = published
    if language and "language" not in meta:
        meta["language"] = language
    if not text:
        text = _strip_tags(html)
    return ExtractedPage(text, meta)


def _paragraphs(text: str) -> str:
    """trafilatura's lines as paragraphs separated by blank lines; whitespace-only lines dropped."""
    lines = (line.strip() for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _headlines(tree: Any) -> list[str]:
    out = []
    for h1 in tree.iter("h1"):
        text = " ".join("".join(h1.itertext()).split())
        if text:
            out.append(text)
    return out


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _best_title(meta_title: str | None, headlines: list[str], outlet: str | None) -> str | None:
    """The page's own headline when an ``<h1>`` matches the metadata title; else the metadata title
    without a trailing site-name part. None when there is no metadata title."""
    if not meta_title:
        return None
    title_words = _words(meta_title)
    best, best_score = None, 0.0
    for headline in headlines:
        words = _words(headline)
        if not words or not title_words:
            continue
        score = len(words & title_words) / len(words | title_words)
        if meta_title.casefold().startswith(headline.casefold()) and len(words) >= 3:
            score = max(score, 1.0)
        if score > best_score:
            best, best_score = headline, score
    if best is not None and best_score >= 0.6:
        return best
    return _strip_site_suffix(meta_title, outlet)


def _site_key(text: str) -> str:
    text = re.sub(r"^www\.", "", text.strip().casefold())
    return re.sub(r"\.(com|net|org|co\.uk|de|fr)$", "", text)


def _strip_site_suffix(title: str, outlet: str | None) -> str:
    """``Headline | Site`` -> ``Headline`` when the trailing parts are the site's name or a date."""
    if not outlet:
        return title
    site = _site_key(outlet)
    pieces = _TITLE_SEPARATOR_KEEP.split(title)  # text, separator, text, separator, ...
    stripped = False
    while len(pieces) >= 3 and (_site_key(pieces[-1]) == site or re.fullmatch(r"[\d./-]+", pieces[-1].strip())):
        del pieces[-2:]
        stripped = True
    head = "".join(pieces).strip()
    return head if stripped and len(head.split()) >= 3 else title


def _declared_publication_date(tree: Any) -> str | None:
    """The publication day the page declares in schema.org JSON-LD or meta tags, as YYYY-MM-DD."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except (ValueError, RecursionError):
            continue
        for obj in _json_objects(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and _ARTICLE_TYPES.search(t) for t in types):
                value = obj.get("datePublished")
                if isinstance(value, str) and _ISO_DAY.match(value.strip()):
                    return value.strip()[:10]
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        if key in _PUBLISHED_META:
            value = (meta.get("content") or "").strip()
            if _ISO_DAY.match(value):
                return value[:10]
    return None


def _declared_language(tree: Any) -> str | None:
    """The page's language as a lower-case primary subtag ("en" for ``<html lang="en-US">``)."""
    candidates = [tree.get("lang"), tree.get("xml:lang")]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        match = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value or "")
        if match:
            return match.group(1).lower()
    return None


def _json_objects(data: Any, depth: int = 0):
    """Every dict in a JSON-LD document (top level, lists and ``@graph``), shallowly."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if isinstance(graph, list):
            yield from _json_objects(graph, depth + 1)


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
