"""The brief: triaged articles, highlights with citations, and chosen quote comparisons, as
Markdown or JSON.

:func:`build_brief` gathers what to export (articles selected by triage filters, each highlight
re-anchored on the current text, chosen quote clusters, the sources list); :func:`render_markdown`
and :func:`brief_to_json` turn it into text. Both are deterministic: the same state gives the same
bytes (no clock, no absolute paths).

The Markdown is CommonMark, plus GitHub-style pipe tables and ``~~strikethrough~~`` for the quote
comparison (understood by GitHub, Obsidian, markdown-it, pandoc's gfm). Every piece of user or
article text is escaped, so a ``*`` or ``<b>`` in a quotation stays literal.

No UI imports here.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from briefreader.core.dates import date_sort_key, display_date, has_year
from briefreader.core.anchors import Resolution, paragraph_number, resolve
from briefreader.core.inert import inert, inert_line, is_inert, json_escape_controls
from briefreader.core.quotemarks import balance_quote_marks
from briefreader.core.copies import CopyAnalysis
from briefreader.core.model import Article
from briefreader.core.query import Filters, matches
from briefreader.core.triage_model import (
    ArticleState,
    ChosenCluster,
    Highlight,
    TriageRecords,
    article_hash,
)

GROUPINGS: tuple[str, ...] = ("article", "outlet", "tag", "quote", "story")
FORMATS: tuple[str, ...] = ("md", "json", "html")
# send: what a reader of the brief needs (no statuses, timestamps, private notes or empty headings);
# archive: everything the analyst recorded.
PROFILES: tuple[str, ...] = ("send", "archive")
DEFAULT_PROFILE = "send"
EXPORT_SCHEMA = 1


class ExportError(Exception):
    """A user-facing problem with an export request."""


# ---------------------------------------------------------------------------------------------
# Escaping
# ---------------------------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*\[\]|~])|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?])|&(?=#|[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^([#>+=-])")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])")


def escape_inline(text: str) -> str:
    """Escape ``text`` for use inside one Markdown line (also safe in a table cell).

    Whitespace runs (newlines included) become single spaces; characters with a Markdown meaning
    are backslash-escaped (``_``, ``<`` and ``&`` only where they could mean something: at a word's
    edge, before a tag-like letter, in an entity-like run; so the text also reads as plain text); a
    line-start marker (``#``, ``>``, ``-``, ``1.``) is escaped too so the
    result may open a line.
    """
    text = inert_line(" ".join(text.split()))
    text = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    text = _LINE_START.sub(r"\\\1", text)
    return _ORDERED_START.sub(r"\1\\\2", text)


def escape_block(text: str) -> list[str]:
    """Escape ``text`` as Markdown paragraphs: one escaped line per paragraph (blank-line separated)."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")) if p.strip()]
    return [escape_inline(p) for p in paragraphs]


def code_span(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it contains (controls shown as ``<U+XXXX>``)."""
    text = inert_line(" ".join(text.split()))
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_AUTOLINK_OK = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>\x00-\x1f\x7f-\x9f]*")


def link_text(url: str) -> str:
    """A URL as a CommonMark autolink when it is a clean absolute http(s) URL, else as escaped text
    (a ``file:`` or ``javascript:`` address from a corpus never becomes a live link)."""
    from briefreader.core.urls import safe_http_url

    url = url.strip()
    if _AUTOLINK_OK.fullmatch(url) and is_inert(url, one_line=True) and safe_http_url(url) == url:
        return f"<{url}>"
    return escape_inline(url)


# ---------------------------------------------------------------------------------------------
# The brief as data
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class PlacedHighlight:
    """A stored highlight, placed on the article's current text."""

    highlight: Highlight
    resolution: Resolution
    start: int
    end: int
    text: str  # the text now at start:end (the stored text for an orphan)
    paragraph: int | None
    source_start: int | None
    source_end: int | None

    @property
    def orphan(self) -> bool:
        return not self.resolution.attached


@dataclass(slots=True)
class ArticleEntry:
    article: Article
    state: ArticleState
    highlights: list[PlacedHighlight]
    source_number: int = 0
    whole: bool = True  # False when only some highlights were selected (by a highlight tag)


@dataclass(slots=True)
class Group:
    key: str
    heading: str
    entries: list[ArticleEntry]
    cluster: ChosenCluster | None = None


@dataclass(slots=True)
class Brief:
    title: str
    corpus: str
    selection: str
    group_by: str
    entries: list[ArticleEntry]
    groups: list[Group]
    clusters: list[ChosenCluster]
    orphans: list[tuple[str, PlacedHighlight, Article | None]]
    sources: list[Article] = field(default_factory=list)
    link_root: str | None = None  # relative URL from the brief's folder to the corpus folder (links on)
    profile: str = DEFAULT_PROFILE
    ignore_punct: bool = False  # quote comparisons leave punctuation-only differences out


def _sort_key(a: Article) -> tuple[Any, ...]:
    return (date_sort_key(a.date), a.order, a.id)


def place_highlight(h: Highlight, article: Article | None) -> PlacedHighlight:
    """Where a stored highlight lies in the article's current text (orphan if not found)."""
    if article is None:
        return PlacedHighlight(h, Resolution("orphan", h.start, h.end, 0.0), h.start, h.end, h.exact, None, None, None)
    if h.content_hash == article_hash(article) and not h.orphan:
        res = Resolution(h.anchor_state, h.start, h.end, 100.0)  # type: ignore[arg-type]
    else:
        res = resolve(h.anchor, article.body)
    if not res.attached:
        return PlacedHighlight(h, res, h.start, h.end, h.exact, None, None, None)
    src_start = src_end = None
    if article.offsets.segments or article.source:
        src_start, src_end = article.offsets.to_source(res.start), article.offsets.to_source(res.end - 1) + 1
    return PlacedHighlight(
        h,
        res,
        res.start,
        res.end,
        article.body[res.start : res.end],
        paragraph_number(article.body, res.start),
        src_start,
        src_end,
    )


def _default_selected(state: ArticleState) -> bool:
    if state.status == "discard":
        return False
    return state.status in ("keep", "follow-up") or bool(state.tags or state.note.strip() or state.highlights)


def build_brief(
    articles: Iterable[Article],
    store: TriageRecords,
    *,
    filters: Filters | None = None,
    group_by: str = "article",
    title: str | None = None,
    corpus_name: str = "",
    only_ids: Iterable[str] | None = None,
    search: str = "",
    link_root: str | None = None,
    copies: CopyAnalysis | None = None,
    profile: str = DEFAULT_PROFILE,
    ignore_punct: bool = False,
) -> Brief:
    """Collect what the brief holds.

    Without filters: every article the analyst worked on (kept, follow-up, tagged, noted or
    highlighted) except discarded ones; to send, only those with highlights, and kept ones (listed
    in one line each: an article with nothing to show is never an empty heading). With filters (``status:``, ``tag:``, ...): the articles
    that match; a ``tag:`` filter also selects single highlights carrying that tag. Chosen quote
    clusters are always included; highlights whose text is gone are listed as orphans.
    ``only_ids`` restricts the brief to those articles (the results of a full-text ``search``,
    which is named in the brief's selection line). ``link_root`` (the corpus folder relative to
    where the brief is written, see :func:`relative_link_root`) turns citations into links to the
    article files, with an RFC 5147 ``#char=START,END`` fragment for plain-text files. ``copies``
    (the corpus's copy analysis) is needed to group by story. ``profile`` is ``send`` (what the
    brief's readers need) or ``archive`` (everything); ``ignore_punct`` leaves punctuation-only
    differences out of quote comparisons (the reader's ``i`` toggle).
    """
    if profile not in PROFILES:
        raise ExportError(f"unknown profile {profile!r} (choose from {', '.join(PROFILES)})")
    if group_by not in GROUPINGS:
        raise ExportError(f"unknown grouping {group_by!r} (choose from {', '.join(GROUPINGS)})")
    if group_by == "story" and copies is None:
        raise ExportError("grouping by story needs the corpus's stories (still being found?)")
    by_id = {a.id: a for a in articles}
    touched = store.states()  # untouched articles have the default state
    states = {aid: touched.get(aid) or ArticleState(aid) for aid in by_id}
    all_highlights: dict[str, list[Highlight]] = {}
    for h in store.highlights():
        all_highlights.setdefault(h.article_id, []).append(h)

    entries: list[ArticleEntry] = []
    orphans: list[tuple[str, PlacedHighlight, Article | None]] = []
    allowed = set(by_id) if only_ids is None else set(only_ids) & set(by_id)
    for aid in sorted(allowed, key=lambda i: _sort_key(by_id[i])):
        article, state = by_id[aid], states[aid]
        hls = all_highlights.get(aid, [])
        chosen: list[Highlight] | None
        whole = True
        if filters:
            if matches(filters, replace(state, highlight_tags=[])):
                chosen = hls
            elif filters.tag_any or filters.tag_not:
                chosen = [h for h in hls if matches(filters, replace(state, tags=state.tags + h.tags, highlight_tags=[]))]
                whole = len(chosen) == len(hls)
                chosen = chosen or None
            else:
                chosen = None
        else:
            chosen = hls if _default_selected(state) else None
        if chosen is None:
            continue
        placed = [place_highlight(h, article) for h in chosen]
        for p in placed:
            if p.orphan:
                orphans.append((aid, p, article))
        placed = sorted((p for p in placed if not p.orphan), key=lambda p: (p.start, p.end, p.highlight.id))
        if profile == "send" and not placed and state.status != "keep" and not filters and only_ids is None:
            continue  # nothing to show a reader: no empty heading, no number in the sources
        entries.append(ArticleEntry(article, state, placed, whole=whole))
    # Highlights on articles no longer in the corpus.
    if not filters and only_ids is None:
        for aid in sorted(set(all_highlights) - set(by_id)):
            for h in all_highlights[aid]:
                orphans.append((aid, place_highlight(h, None), None))

    clusters = store.chosen_clusters()
    sources: list[Article] = [e.article for e in entries]
    seen = {a.id for a in sources}
    extra: list[Article] = []
    for c in clusters:
        for v in c.variants:
            a = by_id.get(v.get("article") or "")
            if a is not None and a.id not in seen:
                seen.add(a.id)
                extra.append(a)
    sources += sorted(extra, key=_sort_key)
    numbers = {a.id: i for i, a in enumerate(sources, 1)}
    for e in entries:
        e.source_number = numbers[e.article.id]

    brief = Brief(
        title=title or (f"Brief: {corpus_name}" if corpus_name else "Brief"),
        corpus=corpus_name,
        selection=" ".join(x for x in (filters.describe() if filters else "", search.strip()) if x),
        group_by=group_by,
        entries=entries,
        groups=_group(entries, clusters, group_by, copies),
        clusters=clusters,
        orphans=orphans,
        sources=sources,
        link_root=link_root,
        profile=profile,
        ignore_punct=ignore_punct,
    )
    return brief


def relative_link_root(corpus_root: Path | str, brief_folder: Path | str) -> str:
    """The corpus folder as a relative URL from the folder the brief is written to."""
    rel = os.path.relpath(Path(corpus_root).resolve(), Path(brief_folder).resolve())
    return quote(Path(rel).as_posix(), safe="/")


def _file_link(brief: Brief, a: Article, fragment: str = "") -> str | None:
    if brief.link_root is None:
        return None
    url = quote((a.path or a.id).replace(os.sep, "/"), safe="/")
    if brief.link_root not in ("", "."):
        url = f"{quote(brief.link_root.rstrip('/'), safe='/%')}/{url}"
    return url + fragment


def _group(entries: list[ArticleEntry], clusters: list[ChosenCluster], group_by: str,
           copies: CopyAnalysis | None = None) -> list[Group]:
    if group_by == "story" and copies is not None:
        return _group_by_story(entries, copies)
    if group_by == "article":
        return [Group(e.article.id, _article_heading(e.article), [e]) for e in entries]
    if group_by == "outlet":
        outlets: dict[str, list[ArticleEntry]] = {}
        for e in entries:
            outlets.setdefault(e.article.outlet or "", []).append(e)
        keys = sorted(outlets, key=lambda k: (k == "", k.casefold(), k))
        return [Group(k or "(unknown outlet)", k or "Unknown outlet", outlets[k]) for k in keys]
    if group_by == "tag":
        tags: dict[str, str] = {}
        for e in entries:
            for t in e.state.tags + [t for p in e.highlights for t in p.highlight.tags]:
                tags.setdefault(t.casefold(), t)
        groups: list[Group] = []
        covered: set[tuple[str, int | None]] = set()
        for key in sorted(tags):
            members: list[ArticleEntry] = []
            for e in entries:
                if key in {t.casefold() for t in e.state.tags}:
                    members.append(e)
                    covered.add((e.article.id, None))
                    covered.update((e.article.id, p.highlight.id) for p in e.highlights)
                    continue
                hs = [p for p in e.highlights if key in {t.casefold() for t in p.highlight.tags}]
                if hs:
                    members.append(ArticleEntry(e.article, e.state, hs, e.source_number, whole=len(hs) == len(e.highlights)))
                    covered.update((e.article.id, p.highlight.id) for p in hs)
            groups.append(Group(tags[key], f"Tag: {tags[key]}", members))
        rest: list[ArticleEntry] = []
        for e in entries:
            if (e.article.id, None) in covered:
                continue
            hs = [p for p in e.highlights if (e.article.id, p.highlight.id) not in covered]
            if hs or not e.highlights:
                rest.append(ArticleEntry(e.article, e.state, hs, e.source_number, whole=len(hs) == len(e.highlights)))
        if rest:
            groups.append(Group("(untagged)", "Untagged", rest))
        return groups
    # quote: one group per chosen cluster holding the highlights that overlap one of its renderings
    groups = []
    used: set[tuple[str, int]] = set()
    for c in clusters:
        members = []
        for e in entries:
            spans = [
                (int(v["start"]), int(v["end"]))
                for v in c.variants
                if v.get("article") == e.article.id and v.get("start") is not None and v.get("end") is not None
            ]
            hs = [p for p in e.highlights if any(p.start < s_end and s_start < p.end for s_start, s_end in spans)]
            if hs:
                members.append(ArticleEntry(e.article, e.state, hs, e.source_number, whole=False))
                used.update((e.article.id, p.highlight.id) for p in hs)
        groups.append(Group(c.cluster_key, _cluster_heading(c), members, cluster=c))
    rest = []
    for e in entries:
        hs = [p for p in e.highlights if (e.article.id, p.highlight.id) not in used]
        if hs or not e.highlights:
            rest.append(ArticleEntry(e.article, e.state, hs, e.source_number, whole=len(hs) == len(e.highlights)))
    if rest:
        groups.append(Group("(other)", "Other articles and highlights", rest))
    return groups


def _article_heading(a: Article) -> str:
    return headline(a)


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»’']?\s+(?=[\"“«‘'(\[]?[A-Z0-9À-Ý])")


def headline(article: Article, words: int = 14) -> str:
    """What the brief calls an article: its headline, else the opening words of its text in
    quotation marks (``“The EU foreign policy chief on Friday warned…”``), else its file name."""
    if article.title and article.title.strip():
        return " ".join(article.title.split())
    first = next((p for p in re.split(r"\n\s*\n", article.body) if p.strip()), "")
    first = " ".join(first.split())
    if not first:
        return article.id
    sentence = _SENTENCE_END.split(first, maxsplit=1)[0]
    chunks = sentence.split()
    if len(chunks) > words:
        sentence = " ".join(chunks[:words]).rstrip(",;:—–-") + "…"
    return "“" + balance_quote_marks(sentence) + "”"


def has_headline(article: Article) -> bool:
    """Whether the article has a headline of its own (not the opening words of its text)."""
    return bool(article.title and article.title.strip())


def _shorten(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _cluster_heading(c: ChosenCluster) -> str:
    who = f"{c.speaker}: " if c.speaker else ""
    return f"{who}“{_shorten(c.canonical, 70)}”"


# ---------------------------------------------------------------------------------------------
# Quote comparison
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class ComparedRendering:
    variant: dict[str, Any]
    partial: bool
    same: bool
    runs: list[tuple[str, str]]  # (kind, text): kind is equal | added | removed


def unique_variants(variants: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The renderings of a quote, each once: one article's passage (same span, or same words) is
    listed a single time however often the clustering recorded it, and a piece of a passage the
    same article also gives whole (its span inside the other's) is left out."""
    variants = list(variants)

    def span(v: Mapping[str, Any]) -> tuple[int, int] | None:
        try:
            return (int(v["start"]), int(v["end"])) if v.get("start") is not None and v.get("end") is not None else None
        except (TypeError, ValueError):
            return None

    def inside(v: Mapping[str, Any], w: Mapping[str, Any]) -> bool:
        a, b = span(v), span(w)
        if v.get("article") != w.get("article") or a is None or b is None or a == b:
            return False
        return b[0] <= a[0] and a[1] <= b[1]

    seen: set[tuple[Any, ...]] = set()
    out: list[dict[str, Any]] = []
    for v in variants:
        if any(inside(v, w) for w in variants):
            continue
        article = str(v.get("article") or "")
        keys = {(article, "words", " ".join(str(v.get("text") or "").split()).casefold())}
        if v.get("start") is not None and v.get("end") is not None:
            keys.add((article, "span", v.get("start"), v.get("end")))
        if keys & seen:
            continue
        seen |= keys
        out.append(v)
    return out


def compare_renderings(cluster: ChosenCluster, *, ignore_punct: bool = False) -> list[ComparedRendering]:
    """Each rendering of a chosen quote (each once, see :func:`unique_variants`) against the
    canonical one, as word runs (``equal``/``added``/``removed``), splitting at whitespace so every
    run is whole words. ``ignore_punct``: differences of punctuation alone are not changes.

    A rendering much shorter than the canonical one (a partial quote) is compared with the part of
    the canonical text it was taken from, so the untouched rest is not shown as removed.
    """
    from briefreader.core.diffing import align, diff_words

    rows: list[ComparedRendering] = []
    canonical = cluster.canonical
    for v in unique_variants(cluster.variants):
        text = str(v.get("text") or "")
        base = canonical
        partial = False
        span = v.get("canonical_span")
        if v.get("partial") and isinstance(span, (list, tuple)) and len(span) == 2 and 0 <= span[0] < span[1] <= len(canonical):
            base = canonical[span[0] : span[1]]  # where the clustering placed this partial quote
            partial = True
        elif v.get("partial") is None and len(text.split()) < 0.7 * len(canonical.split()):
            al = align(text, canonical)
            if al.score > 0 and al.long_span[1] > al.long_span[0]:
                base = canonical[al.long_span[0] : al.long_span[1]]
                partial = True
        ops = diff_words(base, text, ignore_punct=ignore_punct)
        same = all(op.tag == "equal" for op in ops)
        rows.append(ComparedRendering(v, partial, same, _word_runs(text, ops)))
    return rows


def _word_runs(text: str, ops: list[Any]) -> list[tuple[str, str]]:
    """Mark whitespace-separated chunks of ``text`` changed if any character in them was inserted
    or replaced; put removed canonical words as their own chunk before the chunk where they were."""
    changed = [False] * len(text)
    removed_at: dict[int, list[str]] = {}
    for op in ops:
        if op.tag in ("insert", "replace"):
            for i in range(op.b_span[0], op.b_span[1]):
                changed[i] = True
        if op.tag in ("delete", "replace") and op.a_text.strip():
            removed_at.setdefault(op.b_span[0], []).append(op.a_text)
    chunks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    runs: list[tuple[str, str]] = []

    def emit(kind: str, piece: str) -> None:
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + " " + piece)
        else:
            runs.append((kind, piece))

    pending = sorted(removed_at.items())
    for s, e in chunks:
        while pending and pending[0][0] <= s:  # removed before this chunk
            for piece in pending.pop(0)[1]:
                emit("removed", " ".join(piece.split()))
        emit("added" if any(changed[s:e]) else "equal", text[s:e])
        while pending and pending[0][0] < e:  # removed inside it (punctuation): shown after it
            for piece in pending.pop(0)[1]:
                emit("removed", " ".join(piece.split()))
    for _, pieces in pending:
        for piece in pieces:
            emit("removed", " ".join(piece.split()))
    return runs


DIFF_LEGEND = ("Each rendering is compared with the quotation as first given above: changed words are "
               "followed by the words they replace, [was: “…”]; words left out show as [omits: “…”], "
               "words added as [adds: “…”].")


def _diff_parts(runs: list[tuple[str, str]]) -> list[tuple[bool, str]]:
    """The pieces of :func:`diff_text`: (True, notation we wrote) or (False, corpus words)."""
    parts: list[tuple[bool, str]] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if added and removed:
            parts.extend([(False, " ".join(added)), (True, " [was: “"), (False, " ".join(removed)), (True, "”]")])
        elif removed:
            parts.extend([(True, "[omits: “"), (False, " ".join(removed)), (True, "”]")])
        elif added:
            parts.extend([(True, "[adds: “"), (False, " ".join(added)), (True, "”]")])
        removed.clear()
        added.clear()

    for kind, piece in runs:
        if kind == "equal":
            flush()
            parts.append((False, piece))
        else:
            (added if kind == "added" else removed).append(piece)
    flush()
    # a space between neighbouring pieces, except inside the brackets and quotation marks
    spaced: list[tuple[bool, str]] = []
    for i, (notation, text) in enumerate(parts):
        if i and not (notation and text.startswith((" [", "”"))) and not (parts[i - 1][0] and parts[i - 1][1].endswith("“")):
            spaced.append((True, " "))
        spaced.append((notation, text))
    return spaced


def diff_text(runs: list[tuple[str, str]]) -> str:
    """A rendering with its changes spelled out in words, so it reads without bold or
    strike-through: ``The [was: “But the”] harsh reality``, ``[omits: “the”]``, ``[adds: “now”]``
    (plain text, not escaped)."""
    return "".join(text for _, text in _diff_parts(runs))


def _render_runs(runs: list[tuple[str, str]]) -> str:
    """:func:`diff_text` for Markdown: corpus words escaped, the notation literal. Its brackets
    cannot form a link: every ``[`` and ``]`` of corpus text is escaped, a closing ``”]`` is
    followed by a space or the end, and the brief defines no link references."""
    return "".join(text if notation else escape_inline(text) for notation, text in _diff_parts(runs))


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------


def _citation(brief: Brief, a: Article, p: PlacedHighlight, n: int) -> str:
    parts = [f"*{escape_inline(a.outlet)}*" if a.outlet else None,
             escape_inline(display_date(a.date)) if a.date else None]
    parts.append(f"“{escape_inline(a.title)}”" if a.title else code_span(a.id))
    where = []
    if p.paragraph:
        where.append(f"¶{p.paragraph}")
    if p.source_start is not None and p.source_end is not None:
        location = f"characters {p.source_start}–{p.source_end} of {_source_name(a)}"
        plain_file = a.format in ("txt", "md")
        link = _file_link(brief, a, f"#char={p.source_start},{p.source_end}" if plain_file else "")
        where.append(f"[{location}]({link})" if link else location)
    else:
        where.append(f"characters {p.start}–{p.end}")
    return "— " + ", ".join(x for x in parts if x) + " · " + ", ".join(where) + f" · source {n}"


def _when(iso: str) -> str:
    """``2025-09-01T10:00:08.000Z`` as ``2025-09-01 10:00 UTC`` (as stored if it does not parse)."""
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]00:00)?", iso or "")
    if m:
        return f"{m.group(1)} {m.group(2)}" + (" UTC" if m.group(3) else "")
    return escape_inline(iso or "")


def _source_name(a: Article) -> str:
    """What source offsets count in: the file itself, or the text extracted from it."""
    if a.format in ("txt", "md"):
        return code_span(a.path or a.id)
    if a.format in ("json", "jsonl"):
        return "the text of record " + code_span(a.id)
    return "the text extracted from " + code_span(a.path or a.id)


def _tags_text(tags: Iterable[str]) -> str:
    return ", ".join(escape_inline(t) for t in tags)


def _quote_block(lines: list[str], text: str) -> None:
    """``text`` as a blockquote, one paragraph per quoted paragraph, its quotation marks paired
    (a passage cut out of a quotation keeps only some of them: see :mod:`briefreader.core.quotemarks`)."""
    for i, para in enumerate(escape_block(balance_quote_marks(text.strip()))):
        if i:
            lines.append(">")
        lines.append(f"> {para}")


def _render_highlight(lines: list[str], brief: Brief, a: Article, p: PlacedHighlight, n: int) -> None:
    if brief.profile == "send":
        _quote_block(lines, p.text)
        lines.append("")
        if p.highlight.comment.strip():
            lines.extend(escape_block(p.highlight.comment))
            lines.append("")
        return
    _quote_block(lines, p.text)
    lines.append(">")
    lines.append(f"> {_citation(brief, a, p, n)}")
    lines.append("")
    h = p.highlight
    items = []
    if h.comment:
        items.append("Comment: " + " ".join(escape_block(h.comment)))
    if h.tags:
        items.append("Tags: " + _tags_text(h.tags))
    when = _when(h.created)
    if when:
        items.append("Highlighted " + when)
    if p.resolution.state == "fuzzy":
        first = h.original_exact or h.exact
        items.append(
            f"Re-attached after the text changed (similarity {p.resolution.score:g}%); first highlighted as: “{escape_inline(first)}”"
        )
    elif h.original_exact and h.original_exact != p.text:
        items.append(f"The text changed after it was highlighted; first highlighted as: “{escape_inline(h.original_exact)}”")
    if items:
        lines.extend(f"- {item}" for item in items)
        lines.append("")


def article_line(a: Article, number: int | None = None) -> str:
    """``Headline — Outlet, date`` (plain text): how the brief names an article."""
    where = ", ".join(x for x in (a.outlet, display_date(a.date)) if x)
    if a.source_agency and a.source_agency != a.outlet:
        where = f"{where} (via {a.source_agency})" if where else f"via {a.source_agency}"
    line = headline(a) + (f" — {where}" if where else "")
    return line + (f" [{number}]" if number else "")


def _article_line_md(a: Article, number: int | None = None) -> str:
    line = escape_inline(article_line(a))
    return line + (f" [{number}]" if number else "")


def _article_link_md(brief: Brief, a: Article, *, web_only: bool = False) -> str | None:
    """The article's web address, else (a fallback) a link to its file relative to the brief."""
    from briefreader.core.urls import safe_http_url

    if a.url and safe_http_url(a.url.strip()):
        return link_text(a.url)
    if web_only:
        return None
    link = _file_link(brief, a)
    if link is not None:
        return f"[saved copy]({link})"
    return None


def _shows_in_send(e: ArticleEntry) -> bool:
    """Whether an entry has something to show in a brief to send (not an empty heading)."""
    return bool(e.highlights)


def _render_entry_send(lines: list[str], brief: Brief, e: ArticleEntry, level: int) -> None:
    a = e.article
    lines.append(f"{'#' * level} {_article_line_md(a, e.source_number)}")
    lines.append("")
    web = _article_link_md(brief, a, web_only=True)  # a file link helps no reader: it is in the sources
    if web:
        lines.append(web)
        lines.append("")
    for p in e.highlights:
        _render_highlight(lines, brief, a, p, e.source_number)


def _render_entry(lines: list[str], brief: Brief, e: ArticleEntry, level: int, *, heading: bool = True) -> None:
    if brief.profile == "send":
        if _shows_in_send(e):
            _render_entry_send(lines, brief, e, level)
        return
    a = e.article
    if heading:
        lines.append(f"{'#' * level} {escape_inline(_article_heading(a))}")
        lines.append("")
    meta = [f"*{escape_inline(a.outlet)}*" if a.outlet else None,
            escape_inline(display_date(a.date)) if a.date else None]
    if a.source_agency and a.source_agency != a.outlet:
        meta.insert(1, "via " + escape_inline(a.source_agency))
    if a.author:
        meta.append("by " + escape_inline(a.author))
    meta.append(f"status: {e.state.status}")
    if e.state.tags:
        meta.append("tags: " + _tags_text(e.state.tags))
    meta.append(f"source {e.source_number}")
    lines.append(" · ".join(m for m in meta if m))
    lines.append("")
    if e.state.note:
        paras = escape_block(e.state.note)
        lines.append("**Note:** " + paras[0])
        for para in paras[1:]:
            lines.append("")
            lines.append(para)
        lines.append("")
    for p in e.highlights:
        _render_highlight(lines, brief, a, p, e.source_number)
    if not e.whole:
        lines.append("*(only the highlights of this article that belong here)*")
        lines.append("")


def _render_comparisons(lines: list[str], brief: Brief, heading: str, source_numbers: Mapping[str, int]) -> None:
    """The chosen quotations' comparison tables under ``heading`` (in their own groups when grouped by quote)."""
    if not brief.clusters or brief.group_by == "quote":
        return
    lines.append(f"## {heading}")
    lines.append("")
    lines.append(_legend(brief))  # our own words: no escaping needed
    lines.append("")
    for c in brief.clusters:
        _render_cluster(lines, brief, c, 3, source_numbers)


def _rendering_flags(row: ComparedRendering, first: bool) -> list[str]:
    """What the comparison says about one rendering, in words (``earliest``, ``same words``...)."""
    v = row.variant
    flags = []
    if first and has_year(v.get("date")):  # a date without a year is never the earliest
        flags.append("earliest")
    if row.same:
        flags.append("same words")
    if row.partial:
        flags.append("partial")
    if v.get("alteration") in ("altered", "paraphrased") and not row.same:
        flags.append(str(v["alteration"]))
    return flags


def _variant_headline(v: Mapping[str, Any], articles: Mapping[str, Article]) -> str:
    article = articles.get(str(v.get("article") or ""))
    if article is not None:
        return headline(article)
    return str(v.get("title") or v.get("article") or "")


def _render_cluster(lines: list[str], brief: Brief, c: ChosenCluster, level: int, source_numbers: Mapping[str, int],
                    *, heading: bool = True) -> None:
    if heading:
        lines.append(f"{'#' * level} {escape_inline(_cluster_heading(c))}")
        lines.append("")
    who = f" — {escape_inline(c.speaker)}{_uncertain_mark(c)}" if c.speaker else ""
    lines.append(f"> {escape_inline(balance_quote_marks(c.canonical))}{who}")
    lines.append("")
    send = brief.profile == "send"
    if c.note:
        paras = escape_block(c.note)
        lines.append(("" if send else "**Note:** ") + " ".join(paras))
        lines.append("")
    articles = {a.id: a for a in brief.sources}
    if send:
        lines.append("| Source | Rendering |")
        lines.append("|---|---|")
    else:
        lines.append("| # | Outlet | Date | Title | Rendering |")
        lines.append("|---|---|---|---|---|")
    for i, row in enumerate(compare_renderings(c, ignore_punct=brief.ignore_punct), 1):
        v = row.variant
        rendering = _render_runs(row.runs)
        flags = _rendering_flags(row, i == 1)
        n = source_numbers.get(str(v.get("article") or ""))
        if send:
            if flags:
                rendering += " (" + ", ".join(flags) + ")"
            who = str(v.get("outlet") or "") or _shorten(_variant_headline(v, articles), 48)
            where = escape_inline(", ".join(x for x in (who, display_date(v.get("date"))) if x)) + (f" [{n}]" if n else "")
            lines.append(f"| {where} | {rendering} |")
            continue
        if flags:
            rendering += " *(" + ", ".join(flags) + ")*"
        title = escape_inline(_variant_headline(v, articles))
        if n:
            title += f" (source {n})"
        cells = [str(i), escape_inline(str(v.get("outlet") or "")), escape_inline(display_date(v.get("date"))), title, rendering]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")


def _group_by_story(entries: list[ArticleEntry], copies: CopyAnalysis) -> list[Group]:
    """One group per story (in the order of its first entry), originals before their copies;
    articles in no story last."""
    stories: dict[str, list[ArticleEntry]] = {}
    labels: dict[str, str] = {}
    rest: list[ArticleEntry] = []
    for entry in entries:
        story = copies.story_of(entry.article.id)
        if story is None:
            rest.append(entry)
            continue
        stories.setdefault(story.id, []).append(entry)
        labels[story.id] = story.label
    groups = []
    for story_id, members in stories.items():
        members.sort(key=lambda e: (copies.original_of(e.article.id) != e.article.id, _sort_key(e.article)))
        independent = copies.independent(e.article.id for e in members)
        heading = f"Story: {labels[story_id]} ({_plural(independent, 'independent article')})"
        groups.append(Group(story_id, heading, members))
    if rest:
        groups.append(Group("(no story)", "Articles in no story", rest))
    return groups


def _uncertain_mark(cluster: ChosenCluster) -> str:
    """`` (uncertain speaker)`` when every rendering naming the speaker was attributed with little
    confidence (snapshots made before confidences were kept carry none: no mark)."""
    from briefreader.core.quotes import UNCERTAIN_SPEAKER_BELOW

    confidences = [v["speaker_confidence"] for v in cluster.variants
                   if isinstance(v.get("speaker_confidence"), (int, float)) and v.get("speaker") == cluster.speaker]
    if confidences and max(confidences) < UNCERTAIN_SPEAKER_BELOW:
        return " (uncertain speaker)"
    return ""


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown (CommonMark with pipe tables), in its profile: ``send`` (headline,
    outlet and date per article, the highlights and comments, quote comparisons, sources) or
    ``archive`` (also statuses, tags, private notes, timestamps and offsets)."""
    if brief.profile == "send":
        return _render_markdown_send(brief)
    lines: list[str] = [f"# {escape_inline(brief.title)}", ""]
    n_hl = sum(len(e.highlights) for e in brief.entries)
    summary = [
        _plural(len(brief.entries), "article"),
        _plural(n_hl, "highlight"),
        _plural(len(brief.clusters), "quote compared", "quotes compared"),
    ]
    if brief.orphans:
        summary.append(_plural(len(brief.orphans), "highlight without its text", "highlights without their text"))
    lines.append(" · ".join(summary))
    lines.append("")
    lines.append("Selection: " + (code_span(brief.selection) if brief.selection else "every article worked on, discarded ones left out"))
    lines.append("")
    source_numbers = {a.id: i for i, a in enumerate(brief.sources, 1)}

    if not brief.entries and not brief.clusters:
        lines.append("*Nothing to report: no article matches this selection.*")
        lines.append("")
    if brief.group_by == "article":
        for g in brief.groups:
            _render_entry(lines, brief, g.entries[0], 2)
    else:
        for g in brief.groups:
            lines.append(f"## {escape_inline(g.heading)}")
            lines.append("")
            if g.cluster is not None:
                _render_cluster(lines, brief, g.cluster, 3, source_numbers, heading=False)
            for e in g.entries:
                _render_entry(lines, brief, e, 3)
            if not g.entries and g.cluster is None:
                lines.append("*(nothing)*")
                lines.append("")
    _render_comparisons(lines, brief, "Quotes compared", source_numbers)
    if brief.orphans:
        lines.append("## Highlights whose text is gone")
        lines.append("")
        lines.append("The articles changed and these passages could not be found again; they are kept as highlighted.")
        lines.append("")
        for aid, p, a in brief.orphans:
            _quote_block(lines, p.text)
            lines.append(">")
            where = f"¶{p.highlight.paragraph}, characters {p.highlight.start}–{p.highlight.end} when highlighted"
            origin = escape_inline(a.title) if a is not None and a.title else code_span(aid)
            if a is None:
                origin += " (no longer in the corpus)"
            lines.append(f"> — {origin} · {where}")
            lines.append("")
            if p.highlight.comment:
                lines.append("- Comment: " + " ".join(escape_block(p.highlight.comment)))
                lines.append("")
    if brief.sources:
        lines.append("## Sources")
        lines.append("")
        for i, a in enumerate(brief.sources, 1):
            lines.append(f"{i}. {_source_line(brief, a)}")
        lines.append("")
    # Every corpus string above went through escape_inline / code_span (controls made visible);
    # this pass guarantees that no control character can reach the file whatever was missed.
    return inert("\n".join(lines).rstrip("\n") + "\n")


def _legend(brief: Brief) -> str:
    legend = DIFF_LEGEND
    if brief.ignore_punct:
        legend += " Differences of punctuation alone are not shown."
    return legend


def _render_markdown_send(brief: Brief) -> str:
    lines: list[str] = [f"# {escape_inline(brief.title)}", ""]
    source_numbers = {a.id: i for i, a in enumerate(brief.sources, 1)}
    shown = [e for e in brief.entries if _shows_in_send(e)]
    if not brief.entries and not brief.clusters:
        lines.append("Nothing to report: no highlighted passage or compared quotation in this selection.")
        lines.append("")
    if brief.group_by == "article":
        for e in shown:
            _render_entry_send(lines, brief, e, 2)
    else:
        for g in brief.groups:
            if not g.entries and g.cluster is None:
                continue
            lines.append(f"## {escape_inline(g.heading)}")
            lines.append("")
            if g.cluster is not None:
                _render_cluster(lines, brief, g.cluster, 3, source_numbers, heading=False)
            for e in g.entries:
                if _shows_in_send(e):
                    _render_entry_send(lines, brief, e, 3)
            listed = [e for e in g.entries if not _shows_in_send(e)]
            if listed:  # in the group, one line each: never an empty heading
                lines.extend(f"- {_article_line_md(e.article, e.source_number)}" for e in listed)
                lines.append("")
    # selected, nothing highlighted (see build_brief): one line each
    also = [e for e in brief.entries if not _shows_in_send(e)] if brief.group_by == "article" else []
    if also:
        lines.append("## Other articles")
        lines.append("")
        lines.extend(f"- {_article_line_md(e.article, e.source_number)}" for e in also)
        lines.append("")
    _render_comparisons(lines, brief, "Quotations compared", source_numbers)
    if brief.orphans:
        lines.append("## Passages no longer in the articles")
        lines.append("")
        for aid, p, a in brief.orphans:
            _quote_block(lines, p.text)
            lines.append(">")
            lines.append("> — " + (_article_line_md(a, source_numbers.get(a.id)) if a is not None else code_span(aid)))
            lines.append("")
            if p.highlight.comment.strip():
                lines.extend(escape_block(p.highlight.comment))
                lines.append("")
    if brief.sources:
        lines.append("## Sources")
        lines.append("")
        for i, a in enumerate(brief.sources, 1):
            link = _article_link_md(brief, a)
            lines.append(f"{i}. {escape_inline(article_line(a))}" + (f" · {link}" if link else ""))
        lines.append("")
    return inert("\n".join(lines).rstrip("\n") + "\n")


def _source_line(brief: Brief, a: Article) -> str:
    parts = [escape_inline(a.outlet) if a.outlet else None, f"“{escape_inline(a.title)}”" if a.title else None]
    if a.author:
        parts.append("by " + escape_inline(a.author))
    if a.date:
        parts.append(escape_inline(display_date(a.date)))
    line = ", ".join(p for p in parts if p)
    tail = []
    if a.url:
        tail.append(link_text(a.url))
    link = _file_link(brief, a)
    tail.append("file " + (f"[{code_span(a.path or a.id)}]({link})" if link else code_span(a.path or a.id)))
    if a.id != a.path:
        tail.append("record " + code_span(a.id))
    return (line + ". " if line else "") + " · ".join(tail)


def brief_summary(brief: Brief) -> str:
    """``3 articles, 6 highlights, 1 quote compared`` (what the CLI and the reader report): the
    articles the brief shows (to send: those with highlights and the kept ones listed)."""
    n_hl = sum(len(e.highlights) for e in brief.entries)
    parts = [_plural(len(brief.entries), "article"), _plural(n_hl, "highlight"),
             _plural(len(brief.clusters), "quote compared", "quotes compared")]
    if brief.orphans:
        parts.append(_plural(len(brief.orphans), "highlight without its text", "highlights without their text"))
    return ", ".join(parts)


def format_for_path(path: str | None) -> str:
    """The format a file name asks for: ``json`` or ``html`` by extension, else ``md``."""
    suffix = Path(path or "").suffix.lower()
    return {".json": "json", ".html": "html", ".htm": "html"}.get(suffix, "md")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------


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
                        **{k: r.variant.get(k) for k in ("article", "outlet", "date", "title", "text", "start", "end", "speaker")},
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


# ---------------------------------------------------------------------------------------------
# User templates (Jinja2, sandboxed)
# ---------------------------------------------------------------------------------------------

TEMPLATE_SUFFIX = ".md.j2"
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_TEMPLATE_MAX_BYTES = 256 * 1024


def templates_dir() -> Path:
    """Where user templates live: ``<config folder>/templates/NAME.md.j2``."""
    from briefreader.core.paths import config_dir

    return config_dir() / "templates"


def template_path(name: str) -> Path:
    """The file of template ``name`` (a bare name such as ``house``; ``.md.j2`` may be given)."""
    bare = name[: -len(TEMPLATE_SUFFIX)] if name.endswith(TEMPLATE_SUFFIX) else name
    if not _TEMPLATE_NAME.fullmatch(bare) or ".." in bare:
        raise ExportError(f"template name {inert_line(name)!r}: use letters, digits, '-', '_' or '.' "
                          f"(the file is {templates_dir()}/NAME{TEMPLATE_SUFFIX})")
    return templates_dir() / (bare + TEMPLATE_SUFFIX)


def load_template(name: str) -> str:
    """The text of user template ``name`` (one-line :class:`ExportError` when missing or unreadable)."""
    path = template_path(name)
    try:
        with path.open("rb") as handle:
            data = handle.read(_TEMPLATE_MAX_BYTES + 1)
    except FileNotFoundError:
        raise ExportError(f"no template {inert_line(name)!r}: expected the file {path}") from None
    except OSError as exc:
        raise ExportError(f"cannot read template {path}: {exc.strerror or exc}") from exc
    if len(data) > _TEMPLATE_MAX_BYTES:
        raise ExportError(f"template {path} is larger than {_TEMPLATE_MAX_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExportError(f"template {path} is not UTF-8 text (byte {exc.start})") from exc


def _clean(value: Any) -> Any:
    """``value`` with every string made inert (no control character from the corpus survives)."""
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _article_context(brief: Brief, a: Article, number: int | None, state: ArticleState | None = None,
                     highlights: Iterable[PlacedHighlight] = ()) -> dict[str, Any]:
    from briefreader.core.urls import safe_http_url

    archive = brief.profile == "archive"
    url = safe_http_url(a.url.strip()) if a.url else None
    return {
        "n": number,
        "line": article_line(a),
        "headline": headline(a),
        "has_headline": has_headline(a),
        "title": a.title or "",
        "outlet": a.outlet or "",
        "source_agency": a.source_agency or "",
        "date": display_date(a.date),
        "date_iso": a.date or "",
        "author": a.author or "",
        "url": url or "",
        "link": url or _file_link(brief, a) or "",
        "file": a.path or a.id,
        "status": state.status if archive and state is not None else "",
        "tags": list(state.tags) if archive and state is not None else [],
        "note": state.note if archive and state is not None else "",
        "highlights": [
            {
                "text": balance_quote_marks(p.text.strip()),
                "comment": p.highlight.comment,
                "tags": list(p.highlight.tags) if archive else [],
                "paragraph": p.paragraph,
                "created": p.highlight.created if archive else "",
            }
            for p in highlights
        ],
    }


def template_context(brief: Brief) -> dict[str, Any]:
    """The variables a user template sees (documented in the README, "Templates"). Every string
    is inert; the ``send`` profile leaves status, tags, private notes and timestamps empty."""
    numbers = {a.id: i for i, a in enumerate(brief.sources, 1)}
    send = brief.profile == "send"

    def entry(e: ArticleEntry) -> dict[str, Any]:
        return _article_context(brief, e.article, e.source_number, e.state, e.highlights)

    articles = [entry(e) for e in brief.entries if not send or _shows_in_send(e)]
    also = [entry(e) for e in brief.entries if send and not _shows_in_send(e)]
    by_id = {a.id: a for a in brief.sources}
    quotes = []
    for c in brief.clusters:
        renderings = []
        for i, row in enumerate(compare_renderings(c, ignore_punct=brief.ignore_punct), 1):
            v = row.variant
            aid = str(v.get("article") or "")
            renderings.append({
                "n": numbers.get(aid),
                "outlet": str(v.get("outlet") or ""),
                "date": display_date(v.get("date")),
                "headline": _variant_headline(v, by_id),
                "text": str(v.get("text") or ""),
                "diff": diff_text(row.runs),
                "flags": _rendering_flags(row, i == 1),
            })
        quotes.append({"speaker": c.speaker or "", "uncertain_speaker": bool(_uncertain_mark(c)),
                       "canonical": balance_quote_marks(c.canonical), "note": c.note, "renderings": renderings})
    context = {
        "title": brief.title,
        "corpus": brief.corpus,
        "selection": brief.selection,
        "profile": brief.profile,
        "group_by": brief.group_by,
        "ignore_punct": brief.ignore_punct,
        "diff_legend": _legend(brief),
        "articles": articles,
        "also": also,
        "groups": [{"heading": g.heading, "articles": [entry(e) for e in g.entries if not send or _shows_in_send(e)]}
                   for g in brief.groups],
        "quotes": quotes,
        "orphans": [{"text": balance_quote_marks(p.text.strip()), "comment": p.highlight.comment,
                     "article": article_line(a) if a is not None else aid} for aid, p, a in brief.orphans],
        "sources": [_article_context(brief, a, i) for i, a in enumerate(brief.sources, 1)],
    }
    return _clean(context)


def _md_block(text: str) -> str:
    return "\n\n".join(escape_block(text or ""))


def render_template(brief: Brief, source: str, name: str = "template") -> str:
    """``source`` (Jinja2 text) rendered with :func:`template_context` in a sandbox.

    Autoescaping is off (the output is Markdown, not HTML); the filters ``md`` (one line) and
    ``mdblock`` (paragraphs) escape a value for Markdown. A syntax error, an unknown variable or an
    operation the sandbox refuses is one :class:`ExportError` line naming the template and line.
    """
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = lambda value: escape_inline(str(value))
    env.filters["mdblock"] = lambda value: _md_block(str(value))
    env.filters["quote"] = lambda value: "\n".join(f"> {line}" if line else ">" for line in _md_block(str(value)).split("\n"))
    try:
        template = env.from_string(source)
        text = template.render(**template_context(brief))
    except jinja2.TemplateSyntaxError as exc:
        raise ExportError(f"template {inert_line(name)}, line {exc.lineno}: {inert_line(exc.message or str(exc))}") from exc
    except jinja2.TemplateError as exc:
        line = _template_error_line(exc)
        where = f", line {line}" if line else ""
        raise ExportError(f"template {inert_line(name)}{where}: {inert_line(str(exc))}") from exc
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        line = _template_error_line(exc)
        where = f", line {line}" if line else ""
        raise ExportError(f"template {inert_line(name)}{where}: {type(exc).__name__}: {inert_line(str(exc))}") from exc
    return inert(text if text.endswith("\n") else text + "\n")


def _template_error_line(exc: BaseException) -> int | None:
    """The template line an error was raised at (Jinja2 compiles templates as ``<template>``)."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_HTML_STYLE = ("body{font-family:sans-serif;max-width:48em;margin:1em auto;line-height:1.45}"
               "blockquote{margin:.5em 0;padding-left:1em;border-left:3px solid #ccc;color:#333}"
               "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}")


def brief_markdown_parser() -> Any:
    """The Markdown parser the brief is written for: CommonMark with pipe tables and
    strikethrough, raw HTML off and no linkifying (a web address in corpus text stays text).
    Used for the HTML export and by the reader's rendered preview."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"])


def markdown_to_html(markdown_text: str, title: str) -> str:
    """A Markdown brief as a standalone HTML page (markdown-it-py, raw HTML off: any ``<`` of
    corpus text is shown, never interpreted; links other than relative or http(s)/mailto are
    refused by markdown-it's link check)."""
    import html

    body = brief_markdown_parser().render(markdown_text)
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(inert_line(title))}</title>\n<style>{_HTML_STYLE}</style>\n</head>\n<body>\n"
            f"{body}</body>\n</html>\n")


def render(brief: Brief, fmt: str = "md", *, template: str | None = None, template_source: str | None = None) -> str:
    """The brief in ``fmt`` (``md``, ``json`` or ``html``). ``template`` (a user template's name,
    see :func:`template_path`) or ``template_source`` (its text) replaces the built-in Markdown
    layout; HTML is made from whichever Markdown results."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "json":
        if template or template_source:
            raise ExportError("a template makes Markdown (or HTML): it cannot be used with the json format")
        return render_json(brief)
    if template_source is not None or template:
        source = template_source if template_source is not None else load_template(template or "")
        markdown_text = render_template(brief, source, template or "template")
    else:
        markdown_text = render_markdown(brief)
    if fmt == "html":
        return markdown_to_html(markdown_text, brief.title)
    return markdown_text
