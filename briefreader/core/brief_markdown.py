"""The brief as Markdown (CommonMark with pipe tables and strikethrough): the archive layout with
every recorded detail and the send layout for readers of the brief."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from briefreader.core.brief_compare import DIFF_LEGEND, ComparedRendering, _render_runs, compare_renderings
from briefreader.core.brief_model import (
    ArticleEntry,
    Brief,
    PlacedHighlight,
    _article_heading,
    _cluster_heading,
    _file_link,
    _plural,
    _shorten,
    headline,
)
from briefreader.core.dates import display_date, has_year
from briefreader.core.inert import inert
from briefreader.core.markdown_escape import code_span, escape_block, escape_inline, link_text
from briefreader.core.model import Article
from briefreader.core.quotemarks import balance_quote_marks
from briefreader.core.triage_model import (
    ChosenCluster,
)


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
            f"Re-attached after the text changed (similarity {p.resolution.score:g}%); "
            f"first highlighted as: “{escape_inline(first)}”"
        )
    elif h.original_exact and h.original_exact != p.text:
        items.append("The text changed after it was highlighted; "
                     f"first highlighted as: “{escape_inline(h.original_exact)}”")
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
            where = (escape_inline(", ".join(x for x in (who, display_date(v.get("date"))) if x))
                     + (f" [{n}]" if n else ""))
            lines.append(f"| {where} | {rendering} |")
            continue
        if flags:
            rendering += " *(" + ", ".join(flags) + ")*"
        title = escape_inline(_variant_headline(v, articles))
        if n:
            title += f" (source {n})"
        cells = [str(i), escape_inline(str(v.get("outlet") or "")), escape_inline(display_date(v.get("date"))), title,
                 rendering]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")


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
    lines.append("Selection: " + (code_span(brief.selection) if brief.selection
                                  else "every article worked on, discarded ones left out"))
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
