"""The brief as data: which articles, highlights (re-anchored on the current text) and quote
clusters it holds, grouped by article, outlet, tag, quote or story; rendered by
``brief_markdown``, ``brief_json`` and ``brief_templates`` (see ``briefreader.core.export``)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from briefreader.core.anchors import Resolution, paragraph_number, resolve
from briefreader.core.copies import CopyAnalysis
from briefreader.core.dates import date_sort_key
from briefreader.core.model import Article
from briefreader.core.quotemarks import balance_quote_marks
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
    in one line each: an article with nothing to show is never an empty heading). With filters
    (``status:``, ``tag:``, ...): the articles that match; a ``tag:`` filter also selects single
    highlights carrying that tag. Chosen quote clusters are always included; highlights whose text
    is gone are listed as orphans.
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
                chosen = [h for h in hls
                          if matches(filters, replace(state, tags=state.tags + h.tags, highlight_tags=[]))]
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


def _remaining(entries: list[ArticleEntry], taken: set[tuple[str, int | None]]) -> list[ArticleEntry]:
    """Each entry with the highlights no group took (an entry without highlights stays whole)."""
    rest: list[ArticleEntry] = []
    for e in entries:
        if (e.article.id, None) in taken:
            continue
        hs = [p for p in e.highlights if (e.article.id, p.highlight.id) not in taken]
        if hs or not e.highlights:
            rest.append(ArticleEntry(e.article, e.state, hs, e.source_number, whole=len(hs) == len(e.highlights)))
    return rest


def _group_by_outlet(entries: list[ArticleEntry]) -> list[Group]:
    """One group per outlet, alphabetical, the unknown outlet last."""
    outlets: dict[str, list[ArticleEntry]] = {}
    for e in entries:
        outlets.setdefault(e.article.outlet or "", []).append(e)
    keys = sorted(outlets, key=lambda k: (k == "", k.casefold(), k))
    return [Group(k or "(unknown outlet)", k or "Unknown outlet", outlets[k]) for k in keys]


def _group_by_tag(entries: list[ArticleEntry]) -> list[Group]:
    """One group per tag (of an article: the whole article; of highlights: those highlights), then
    what no tag covers."""
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
                members.append(ArticleEntry(e.article, e.state, hs, e.source_number,
                                            whole=len(hs) == len(e.highlights)))
                covered.update((e.article.id, p.highlight.id) for p in hs)
        groups.append(Group(tags[key], f"Tag: {tags[key]}", members))
    rest = _remaining(entries, covered)
    if rest:
        groups.append(Group("(untagged)", "Untagged", rest))
    return groups


def _group_by_quote(entries: list[ArticleEntry], clusters: list[ChosenCluster]) -> list[Group]:
    """One group per chosen cluster holding the highlights that overlap one of its renderings,
    then the other articles and highlights."""
    groups: list[Group] = []
    used: set[tuple[str, int | None]] = set()
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
    rest = _remaining(entries, used)
    if rest:
        groups.append(Group("(other)", "Other articles and highlights", rest))
    return groups


def _group(entries: list[ArticleEntry], clusters: list[ChosenCluster], group_by: str,
           copies: CopyAnalysis | None = None) -> list[Group]:
    """The entries grouped by ``group_by`` (story falls back to quote grouping without a copy analysis)."""
    if group_by == "story" and copies is not None:
        return _group_by_story(entries, copies)
    if group_by == "article":
        return [Group(e.article.id, _article_heading(e.article), [e]) for e in entries]
    if group_by == "outlet":
        return _group_by_outlet(entries)
    if group_by == "tag":
        return _group_by_tag(entries)
    return _group_by_quote(entries, clusters)


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


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
