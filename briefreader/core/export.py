"""The brief: triaged articles, highlights with citations, and chosen quote comparisons, as
Markdown or JSON.

:func:`build_brief` gathers what to export (articles selected by triage filters, each highlight
re-anchored on the current text, chosen quote clusters, the sources list); :func:`render_markdown`
and :func:`brief_to_json` turn it into text. Both are deterministic: the same state gives the same
bytes (no clock, no absolute paths).

The Markdown is CommonMark, plus GitHub-style pipe tables and ``~~strikethrough~~`` for the quote
comparison (understood by GitHub, Obsidian, markdown-it, pandoc's gfm). Every piece of user or
article text is escaped, so a ``*`` or ``<b>`` in a quotation stays literal.

Modules: ``brief_model`` (the brief as data, :func:`build_brief`, groupings), ``brief_compare``
(quote comparison), ``markdown_escape``, ``brief_markdown``, ``brief_json``, ``brief_templates``
(user templates); this one renders a brief in a format (HTML included), summarises it, and keeps
every public name importable from here.

No UI imports here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefreader.core.brief_compare import (  # the brief's public names, importable from here as before
    DIFF_LEGEND,
    ComparedRendering,
    compare_renderings,
    diff_text,
    unique_variants,
)
from briefreader.core.brief_json import (  # the brief's public names, importable from here as before
    brief_to_json,
    render_json,
)
from briefreader.core.brief_markdown import (  # the brief's public names, importable from here as before
    article_line,
    render_markdown,
)
from briefreader.core.brief_model import (  # the brief's public names, importable from here as before
    DEFAULT_PROFILE,
    EXPORT_SCHEMA,
    FORMATS,
    GROUPINGS,
    PROFILES,
    ArticleEntry,
    Brief,
    ExportError,
    Group,
    PlacedHighlight,
    _plural,
    build_brief,
    has_headline,
    headline,
    place_highlight,
    relative_link_root,
)
from briefreader.core.brief_templates import (  # the brief's public names, importable from here as before
    TEMPLATE_SUFFIX,
    load_template,
    render_template,
    template_context,
    template_path,
    templates_dir,
)
from briefreader.core.inert import inert_line
from briefreader.core.markdown_escape import (  # the brief's public names, importable from here as before
    code_span,
    escape_block,
    escape_inline,
    link_text,
)

__all__ = [
    "ArticleEntry",
    "Brief",
    "ComparedRendering",
    "DEFAULT_PROFILE",
    "DIFF_LEGEND",
    "EXPORT_SCHEMA",
    "ExportError",
    "FORMATS",
    "GROUPINGS",
    "Group",
    "PROFILES",
    "PlacedHighlight",
    "TEMPLATE_SUFFIX",
    "article_line",
    "brief_markdown_parser",
    "brief_summary",
    "brief_to_json",
    "build_brief",
    "code_span",
    "compare_renderings",
    "diff_text",
    "escape_block",
    "escape_inline",
    "format_for_path",
    "has_headline",
    "headline",
    "link_text",
    "load_template",
    "markdown_to_html",
    "place_highlight",
    "relative_link_root",
    "render",
    "render_json",
    "render_markdown",
    "render_template",
    "template_context",
    "template_path",
    "templates_dir",
    "unique_variants",
]


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
