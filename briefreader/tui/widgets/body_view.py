"""The article body: a line-rendering scroll view that wraps a styled text and paints only the
visible lines (so long articles and fast cursor moves stay cheap).

It knows where every character offset sits (line and column), so the app can scroll to a quotation
or a search hit, and a click can be mapped back to an offset.
"""

from __future__ import annotations

import bisect

from rich._wrap import divide_line
from rich.text import Span, Text
from textual import events
from rich.style import Style
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

MAX_MEASURE = 92  # a comfortable reading width, in cells


class FrameStyle:
    """For widgets that draw line by line (``render_line``): their own rich style, computed once per
    render pass. Textual's ``rich_style`` walks every ancestor's styles (~0.1 ms); asked for on every
    line it was a fifth of each frame."""

    _frame_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style = self.rich_style  # type: ignore[attr-defined]
        try:
            return super().render_lines(crop)  # type: ignore[misc]
        finally:
            self._frame_style = None

    @property
    def base_style(self) -> Style:
        """The widget's rich style (the pass's copy while lines are being drawn)."""
        return self._frame_style if self._frame_style is not None else self.rich_style  # type: ignore[attr-defined]


class BodyView(FrameStyle, ScrollView, can_focus=True):
    """Renders a :class:`rich.text.Text`, wrapped to the width, one line at a time."""

    DEFAULT_CSS = """
    BodyView {
        background: $surface;
        padding: 0 2;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        overflow-y: scroll;  /* always shown, so a new text never needs a layout pass */
    }
    """

    class Clicked(Message):
        """The user clicked at ``offset`` (a character offset into the shown text)."""

        def __init__(self, offset: int) -> None:
            self.offset = offset
            super().__init__()

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._text = Text()
        self._line_starts: list[int] = []
        self._line_ends: list[int] = []
        self._wrap_width = 0
        self._cache: dict[int, Strip] = {}

    # ------------------------------------------------------------------ content

    def set_text(self, text: Text, *, keep_scroll: bool = False) -> None:
        """Show ``text`` (re-wrapped to the current width)."""
        self._text = text
        self._wrap_width = 0
        self._rewrap()
        if not keep_scroll:
            self.scroll_to(0, 0, animate=False, immediate=True)

    @property
    def text(self) -> Text:
        return self._text

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def plain_lines(self) -> list[str]:
        """The wrapped lines as plain text (for tests and copying)."""
        plain = self._text.plain
        return [plain[s:e] for s, e in zip(self._line_starts, self._line_ends, strict=True)]

    def _measure(self) -> int:
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(10, min(width, MAX_MEASURE))

    def _rewrap(self) -> None:
        width = self._measure()
        if width == self._wrap_width and self._line_starts:
            return
        self._wrap_width = width
        plain = self._text.plain
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for para in plain.split("\n"):
            breaks = divide_line(para, width, fold=True) if len(para) > width else []
            bounds = [0, *breaks, len(para)]
            for a, b in zip(bounds, bounds[1:], strict=False):
                seg_end = b
                while seg_end > a and para[seg_end - 1] == " ":
                    seg_end -= 1
                starts.append(pos + a)
                ends.append(pos + seg_end)
            pos += len(para) + 1
        self._line_starts = starts
        self._line_ends = ends
        self._cache.clear()
        set_virtual_size(self, Size(width, len(starts)))

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()

    def restyle(self) -> None:
        """Drop cached lines (after a theme change)."""
        self._cache.clear()
        self.refresh()

    # ------------------------------------------------------------------ geometry

    def line_of(self, offset: int) -> int:
        """The wrapped line that holds character ``offset``."""
        if not self._line_starts:
            return 0
        return max(0, bisect.bisect_right(self._line_starts, offset) - 1)

    def scroll_to_offset(self, offset: int, *, center: bool = True) -> None:
        """Scroll so the line holding ``offset`` is visible (a third from the top)."""
        line = self.line_of(offset)
        height = max(1, self.scrollable_content_region.height)
        top, bottom = self.scroll_offset.y, self.scroll_offset.y + height - 1
        if top <= line <= bottom and not center:
            return
        if top + 1 <= line <= bottom - 1:
            return
        self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)

    def offset_at(self, x: int, y: int) -> int | None:
        """Character offset under content coordinates ``(x, y)``, or None past the text."""
        line = y + self.scroll_offset.y
        if not 0 <= line < len(self._line_starts):
            return None
        start, end = self._line_starts[line], self._line_ends[line]
        col = 0
        plain = self._text.plain
        from rich.cells import cell_len

        for i in range(start, end):
            col += cell_len(plain[i])
            if col > x:
                return i
        return None

    # ------------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        line = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.base_style
        if not 0 <= line < len(self._line_starts):
            return Strip.blank(width, base)
        strip = self._cache.get(line)
        if strip is None:
            piece = self._line_text(self._line_starts[line], self._line_ends[line])
            segments = list(piece.render(self.app.console))
            strip = Strip(segments)
            self._cache[line] = strip
        return strip.apply_style(base).crop_extend(0, width, base)

    def _line_text(self, start: int, end: int) -> Text:
        """Characters ``start:end`` of the shown text with their styles.

        Not ``text[start:end]``: Rich slices by dividing the whole text in three, building (and
        scanning for control codes) the long pieces before and after the line: ~1 ms a line on a
        long article, 50 ms a frame when a search keystroke redraws the body.
        """
        text = self._text
        piece = Text(text.plain[start:end], style=text.style, end="")
        piece.spans.extend(Span(max(span.start, start) - start, min(span.end, end) - start, span.style)
                           for span in text.spans if span.end > start and span.start < end)
        return piece

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        char = self.offset_at(offset.x, offset.y)
        if char is not None:
            self.post_message(self.Clicked(char))


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """Set a scroll view's virtual size without a layout pass of the whole screen.

    With the vertical scrollbar always shown (``overflow-y: scroll``) and no horizontal one, a new
    virtual size cannot change the widget's own layout: updating the scrollbars and repainting the
    widget is enough, and it saves a full-screen re-render on every cursor move.
    """
    if size == view.virtual_size:
        view.refresh()
        return
    if view.is_mounted and view.styles.overflow_y == "scroll" and view.styles.overflow_x == "hidden":
        view.set_reactive(ScrollView.virtual_size, size)
        view._scroll_update(size)  # noqa: SLF001 - Textual's own scrollbar update
        view.refresh()
    else:
        view.virtual_size = size

