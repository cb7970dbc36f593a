"""The quote diff pane: every outlet's rendering of the selected quotation, ordered by date (the
earliest marked), and a word-level diff of one pair (2-up when wide, stacked when narrow)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefreader.core.dates import display_date, has_year
from briefreader.core.inert import inert, inert_line
from briefreader.tui.widgets.body_view import FrameStyle, set_virtual_size
from briefreader.tui.quote_model import QuoteMark
from briefreader.tui.render import Styles, diff_pair, styled

if TYPE_CHECKING:  # the quote modules load with the first quote shown, not before the reader's first paint
    from briefreader.core.quote_clusters import QuoteCluster, Variant


class QuoteDiff(FrameStyle, ScrollView, can_focus=True):
    """Shows what the app hands it (``show_quote`` / ``show_message``); holds no data of its own."""

    DEFAULT_CSS = """
    QuoteDiff {
        background: $surface;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        overflow-y: scroll;
    }
    QuoteDiff > .quote-diff--added { background: $br-diff-added; }
    QuoteDiff > .quote-diff--removed { background: $br-diff-removed; text-style: strike; }
    QuoteDiff > .quote-diff--changed { background: $br-diff-changed; }
    QuoteDiff > .quote-diff--context { color: $text-disabled; }
    QuoteDiff > .quote-diff--earliest { color: $br-earliest; text-style: bold; }
    QuoteDiff > .quote-diff--heading { color: $primary; text-style: bold; }
    QuoteDiff > .quote-diff--muted { color: $text-muted; }
    QuoteDiff > .quote-diff--selected { background: $boost; text-style: bold; }
    """
    COMPONENT_CLASSES = {
        "quote-diff--added",
        "quote-diff--removed",
        "quote-diff--changed",
        "quote-diff--context",
        "quote-diff--earliest",
        "quote-diff--heading",
        "quote-diff--muted",
        "quote-diff--selected",
    }

    TWO_UP_MIN_WIDTH = 44  # from this pane width the compared pair is shown side by side
    PAIR_FIRST_BELOW = 15  # a pane shorter than this shows the compared pair above the renderings

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.two_up = True
        self.pair_first = False
        self.last_plain = ""
        self._last_call: tuple[str, tuple, dict] | None = None
        self._renderable: RenderableType = Text("")
        self._lines: list[Strip] = []
        self._rendered_width = 0

    class RenderingClicked(Message):
        """A rendering in the listing was clicked (``index`` into the cluster's renderings)."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def action_select_rendering(self, index: int) -> None:
        self.post_message(self.RenderingClicked(index))

    def on_resize(self, event: events.Resize) -> None:
        two_up = self.size.width >= self.TWO_UP_MIN_WIDTH
        pair_first = 0 < self.size.height < self.PAIR_FIRST_BELOW
        if two_up != self.two_up or pair_first != self.pair_first:
            self.two_up = two_up
            self.pair_first = pair_first
            self.rerender()
        else:
            self._render_lines()

    # Line rendering: the content is rendered once per update at the pane's width and painted
    # line by line, so an update never needs a layout pass of the whole screen.
    def _render_lines(self) -> None:
        width = max(1, self.scrollable_content_region.width or self.size.width or 40)
        console = self.app.console
        options = console.options.update_width(width)
        lines = console.render_lines(self._renderable, options, pad=False)
        self._lines = [Strip(Segment.adjust_line_length(line, width)) for line in lines]
        self._rendered_width = width
        set_virtual_size(self, Size(width, len(self._lines)))

    def render_line(self, y: int) -> Strip:
        line = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.base_style
        if not 0 <= line < len(self._lines):
            return Strip.blank(width, base)
        return self._lines[line].apply_style(base).crop_extend(0, width, base)

    def rerender(self) -> None:
        """Render the last content again (after a resize or a theme change)."""
        if self._last_call is not None:
            name, args, kwargs = self._last_call
            self._last_call = None  # not the same call: it must render
            getattr(self, name)(*args, **kwargs)

    def _unchanged(self, call: tuple[str, tuple, dict]) -> bool:
        """True when ``call`` is what is on screen already (nothing to redraw, the scroll is kept).
        The app asks for the pane on every change of the article view (a search keystroke, a hit)."""
        if call == self._last_call:
            return True
        self._last_call = call
        return False

    def styles_map(self) -> Styles:
        def style(name: str) -> Style:
            return self.get_component_rich_style(f"quote-diff--{name}", partial=True)

        names = ("added", "removed", "changed", "context", "earliest", "heading", "muted", "selected")
        return {n: style(n) for n in names}

    def _update(self, renderable: RenderableType, plain: str) -> None:
        self.last_plain = plain
        self._renderable = renderable
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._render_lines()

    def show_message(self, message: str) -> None:
        if self._unchanged(("show_message", (message,), {})):
            return
        styles = self.styles_map()
        text = Text()
        text.append("Quote variants\n", styles["heading"])
        text.append(inert(message), styles["muted"])
        self._update(text, text.plain)

    def show_quote(
        self,
        mark: QuoteMark,
        index: int,
        count: int,
        cluster: QuoteCluster | None,
        compared: int | None,
        *,
        ignore_case: bool,
        ignore_punct: bool,
        original_of: Callable[[str], str] | None = None,
    ) -> None:
        """Show quotation ``index`` of ``count`` in the article; ``compared`` indexes
        ``cluster.variants`` (the rendering diffed against this article's). ``original_of(id)``
        names the article a copy republishes (itself when it is no copy), once copies are known:
        renderings from copies say so and only originals count as independent."""
        if self._unchanged(("show_quote", (mark, index, count, cluster, compared),
                            {"ignore_case": ignore_case, "ignore_punct": ignore_punct, "original_of": original_of})):
            return
        styles = self.styles_map()
        head = Text()
        head.append(f"Quote {index + 1}/{count}", styles["heading"])
        if mark.speaker:
            head.append(f" · {inert_line(mark.speaker)}", styles["muted"])
        if mark.scare:
            head.append(" · scare quote", styles["muted"])
        parts: list[RenderableType] = [head]
        if cluster is None or len(cluster.variants) < 2:
            body = Text()
            body.append(f"\n“{inert(mark.text)}”\n\n")
            body.append("No other article renders this quotation.", styles["muted"])
            parts.append(body)
            self._update(Group(*parts), head.plain + body.plain)
            return
        from briefreader.core.quotes import UNCERTAIN_SPEAKER_BELOW as UNCERTAIN_BELOW

        if cluster.speaker and cluster.speaker_confidence < UNCERTAIN_BELOW:
            head.append(f" (uncertain, {cluster.speaker_confidence:.2f})", styles["muted"])
        if cluster.altered:
            head.append(" · ALTERED WORDS: an outlet changed what was said", styles["removed"])
        renderings = cluster.variants
        ref_index = next((i for i, r in enumerate(renderings) if r.article == mark.article_id
                          and r.start == mark.start), None)
        if ref_index is None:
            ref_index = next((i for i, r in enumerate(renderings) if r.article == mark.article_id), 0)
        reference = renderings[ref_index]
        outlets = len({(r.outlet or r.article) for r in renderings})
        head.append(f" · {len(renderings)} renderings, {outlets} outlets", styles["muted"])
        if original_of is not None:
            independent = len({original_of(r.article) for r in renderings})
            if independent < len({r.article for r in renderings}):
                head.append(f" ({independent} independent: the rest are copies)", styles["muted"])
        if not renderings[0].date:
            head.append(" · dates unknown: file order", styles["muted"])
        listing = self._listing(renderings, ref_index, compared, styles, ignore_case=ignore_case,
                                ignore_punct=ignore_punct, original_of=original_of)
        pair: tuple[RenderableType, str] | None = None
        if compared is not None and compared != ref_index and 0 <= compared < len(renderings):
            other = renderings[compared]
            pair = self._pair(reference, other, styles, ignore_case=ignore_case, ignore_punct=ignore_punct)
        if pair is not None and self.pair_first:  # a short pane: the pair before the listing
            parts += [pair[0], listing]
            plain = head.plain + pair[1] + listing.plain
        else:
            parts.append(listing)
            plain = head.plain + listing.plain
            if pair is not None:
                parts.append(pair[0])
                plain += pair[1]
        legend = Text()
        legend.append("\n")
        for kind, label in (("added", "added"), ("removed", "removed"), ("changed", "changed")):
            legend.append(f" {label} ", styles[kind])
            legend.append(" ")
        legend.append(" c: compare next · x: jump · i: ignore case/punct "
                      f"({'on' if ignore_punct else 'off'})", styles["muted"])
        parts.append(legend)
        self._update(Group(*parts), plain + legend.plain)

    def _listing(self, renderings: list[Variant], ref_index: int, compared: int | None, styles: Styles, *,
                 ignore_case: bool, ignore_punct: bool, original_of: Callable[[str], str] | None) -> Text:
        """Every rendering, dated, each diffed against this article's (``ref_index``), with its class."""
        reference = renderings[ref_index]
        listing = Text()
        listing.append("\n")
        for i, rendering in enumerate(renderings):
            block_start = len(listing)
            selected = i == compared
            pointer = "▶ " if selected else ("● " if i == ref_index else "  ")
            listing.append(pointer, styles["heading"] if selected else styles["muted"])
            who = inert_line(f"{display_date(rendering.date, 'no date')}  {rendering.outlet or rendering.article}")
            listing.append(who, styles["selected"] if selected else Style())
            if i == 0 and has_year(rendering.date):  # a date without a year is never the earliest
                listing.append("  ◆ earliest", styles["earliest"])
            if i == ref_index:
                listing.append("  (this article)", styles["muted"])
            if original_of is not None and original_of(rendering.article) != rendering.article:
                listing.append(f"  copy of {inert_line(original_of(rendering.article))}", styles["muted"])
            listing.append("\n    ")
            if i == ref_index:
                listing.append(f"“{inert(rendering.text)}”")
            else:
                diff = diff_pair(reference.text, rendering.text, ignore_case=ignore_case, ignore_punct=ignore_punct)
                listing.append("“")
                listing.append(styled(rendering.text, diff.b_spans, styles))
                listing.append("”")
                if rendering.alteration in ("altered", "paraphrased"):
                    listing.append(f"  {rendering.alteration}", styles["removed"])
                elif diff.partial or rendering.alteration == "partial":
                    listing.append("  partial", styles["muted"])
                elif diff.changed_words == 0:
                    listing.append("  identical", styles["muted"])
            if i != ref_index:  # a click compares it (a second click jumps to it)
                listing.stylize(Style.from_meta({"@click": f"select_rendering({i})"}), block_start, len(listing))
            listing.append("\n")
        return listing

    def _pair(self, reference: Variant, other: Variant, styles: Styles, *, ignore_case: bool,
              ignore_punct: bool) -> tuple[RenderableType, str]:
        diff = diff_pair(reference.text, other.text, ignore_case=ignore_case, ignore_punct=ignore_punct)
        left = styled(reference.text, diff.a_spans, styles)
        right = styled(other.text, diff.b_spans, styles)
        reference_heading = f"{reference.outlet or reference.article} · {display_date(reference.date, 'no date')}"
        left_title = Text(inert_line(reference_heading),
                          styles["heading"])
        right_title = Text(inert_line(f"{other.outlet or other.article} · {display_date(other.date, 'no date')}"),
                           styles["heading"])
        caption = Text(f"\n{diff.summary()}\n", styles["muted"])
        plain = caption.plain + left_title.plain + left.plain + right_title.plain + right.plain
        if self.two_up:
            grid = Table.grid(padding=(0, 2), expand=True)
            grid.add_column(ratio=1)
            grid.add_column(ratio=1)
            grid.add_row(left_title, right_title)
            grid.add_row(left, right)
            return Group(caption, grid), plain
        return Group(caption, left_title, left, Text(""), right_title, right), plain
