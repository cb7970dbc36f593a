"""User templates for the brief (Jinja2, sandboxed): found by name in the config folder, given the
brief as plain data, their output checked like the built-in Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefreader.core.brief_compare import compare_renderings, diff_text
from briefreader.core.brief_markdown import (
    _legend,
    _rendering_flags,
    _shows_in_send,
    _uncertain_mark,
    _variant_headline,
    article_line,
)
from briefreader.core.brief_model import (
    ArticleEntry,
    Brief,
    ExportError,
    PlacedHighlight,
    _file_link,
    has_headline,
    headline,
)
from briefreader.core.dates import display_date
from briefreader.core.inert import inert, inert_line
from briefreader.core.markdown_escape import escape_block, escape_inline
from briefreader.core.model import Article
from briefreader.core.quotemarks import balance_quote_marks
from briefreader.core.triage_model import (
    ArticleState,
)

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
    env.filters["quote"] = lambda value: "\n".join(
        f"> {line}" if line else ">" for line in _md_block(str(value)).split("\n"))
    try:
        template = env.from_string(source)
        text = template.render(**template_context(brief))
    except jinja2.TemplateSyntaxError as exc:
        where = f"template {inert_line(name)}, line {exc.lineno}"
        raise ExportError(f"{where}: {inert_line(exc.message or str(exc))}") from exc
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
