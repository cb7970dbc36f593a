"""Escaping for the brief's Markdown: user and article text stays literal (a ``*`` or ``<b>`` in a
quotation is shown, never interpreted), code spans and bare links made safe."""

from __future__ import annotations

import re

from briefreader.core.inert import inert_line, is_inert

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
