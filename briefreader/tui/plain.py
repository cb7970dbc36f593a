"""Showing untrusted text in widgets: made inert (:mod:`briefreader.core.inert`), never read as markup.

Textual's ``Static``, ``Label``, ``notify`` and ``DataTable`` string cells parse content markup by
default, and neither Textual nor Rich removes ESC sequences or bidi controls from what they draw.
Every string that may hold corpus text (titles, ids, paths, tags, notes, errors naming them) goes
through :func:`plain` / :func:`plain_line` or a :class:`PlainStatic`.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static

from briefreader.core.inert import inert, inert_line


def plain(text: str, style: str | Style = "") -> Text:
    """``text`` (newlines kept) as a rich Text: inert, no markup."""
    return Text(inert(text), style=style)


def plain_line(text: str, style: str | Style = "") -> Text:
    """``text`` for a one-line field as a rich Text: inert, newlines shown as ``␊``, no markup."""
    return Text(inert_line(text), style=style)


class PlainStatic(Static):
    """A Static that shows strings as they are: inert and never parsed as markup (Text and other
    renderables are shown as given; their builders make corpus text inert)."""

    def __init__(self, content: VisualType = "", **kwargs: Any) -> None:
        kwargs["markup"] = False
        super().__init__(inert(content) if isinstance(content, str) else content, **kwargs)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(inert(content) if isinstance(content, str) else content, layout=layout)
