"""The highlights panel: every highlight of the corpus (orphans included), to jump to, edit or delete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from briefreader.core.inert import inert_line
from briefreader.tui.commands import HIGHLIGHTS, scope_bindings
from briefreader.tui.plain import PlainStatic

if TYPE_CHECKING:
    from briefreader.core.triage_model import Highlight
    from briefreader.tui.triage.highlighting import Highlighting


def _short(text: str, n: int) -> str:
    """``text`` on one line, at most ``n`` characters, inert (titles, passages, comments, tags)."""
    text = inert_line(" ".join(text.split()))
    return text if len(text) <= n else text[: n - 1] + "…"


class HighlightsScreen(ModalScreen[tuple[str, int] | None]):
    """Lists highlights; dismisses with ("jump", id) or None. Edits go through the app (``app.triage_*``)."""

    DEFAULT_CSS = """
    HighlightsScreen { align: center middle; }
    HighlightsScreen > Vertical {
        width: 96%; height: 90%; background: $panel; border: round $primary; padding: 0 1;
    }
    HighlightsScreen DataTable { height: 1fr; }
    HighlightsScreen #hl-info { height: auto; max-height: 6; color: $text-muted; border-top: hkey $panel-lighten-2; }
    """
    BINDINGS = scope_bindings(HIGHLIGHTS)  # declared in briefreader.tui.commands (so help lists them)

    def __init__(self, titles: dict[str, str], highlighting: Highlighting) -> None:
        super().__init__()
        self.highlighting = highlighting  # reads and edits the highlights through the triage queue
        self.titles = titles
        self.items: list[Highlight] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="hl-box") as box:
            box.border_title = "Highlights"
            box.border_subtitle = "enter: go to · c: comment · t: tags · d: delete · u: undo · esc: close"
            yield DataTable(id="hl-table", cursor_type="row", zebra_stripes=True)
            yield PlainStatic("Loading highlights…", id="hl-info")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", key="id", width=4)
        table.add_column("Article", key="article", width=28)
        table.add_column("¶", key="para", width=3)
        table.add_column("Passage", key="text", width=60)
        table.add_column("Comment", key="comment", width=28)
        table.add_column("Tags", key="tags", width=18)
        table.focus()
        self.highlighting.load_panel(self)

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def populate(self, highlights: list[Highlight], *, keep: int | None = None) -> None:
        """Show ``highlights`` (attached ones first in article order, then orphans)."""
        self.items = sorted(highlights,
                            key=lambda h: (h.orphan, self.titles.get(h.article_id, h.article_id), h.start, h.id))
        table = self.table
        if keep is None and self.items and table.row_count and 0 <= table.cursor_row < len(self.items):
            keep = self.current.id if self.current else None
        table.clear()
        row = 0
        for i, h in enumerate(self.items):
            title = self.titles.get(h.article_id, h.article_id + " (not in corpus)")
            table.add_row(  # DataTable reads str cells as markup: corpus text goes in as Text
                str(h.id), Text(_short(title, 28)), "✗" if h.orphan else str(h.paragraph),
                Text(_short(h.exact, 120), style="red" if h.orphan else ""), Text(_short(h.comment, 40)),
                Text(_short(", ".join(h.tags), 200)), key=str(h.id),
            )
            if h.id == keep:
                row = i
        if self.items:
            table.move_cursor(row=row, animate=False)
        orphans = sum(1 for h in self.items if h.orphan)
        info = f"{len(self.items)} highlight(s)"
        if orphans:
            info += f", {orphans} orphan(s): their article changed and the passage was not found (kept, never dropped)"
        if not self.items:
            info = "No highlights yet. In an article press v, extend the selection, then enter."
        self._summary = info
        self.show_current()

    @property
    def current(self) -> Highlight | None:
        table = self.table
        if not self.items or not 0 <= table.cursor_row < len(self.items):
            return None
        return self.items[table.cursor_row]

    def show_current(self) -> None:
        h = self.current
        info = self.query_one("#hl-info", Static)
        if h is None:
            info.update(getattr(self, "_summary", ""))
            return
        lines = Text(getattr(self, "_summary", "") + "\n", style="italic")
        lines.append(f"“{_short(h.exact, 400)}”\n")
        meta = [_short(self.titles.get(h.article_id, h.article_id), 200), f"¶{h.paragraph}", f"chars {h.start}–{h.end}",
                h.anchor_state]
        if h.original_exact:
            meta.append(f"was: “{_short(h.original_exact, 60)}”")
        lines.append(" · ".join(meta))
        if h.comment:
            lines.append(f"\ncomment: {_short(h.comment, 2000)}")
        info.update(lines)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_current()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_jump()

    def action_cursor(self, direction: str) -> None:
        if direction == "down":
            self.table.action_cursor_down()
        else:
            self.table.action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_jump(self) -> None:
        h = self.current
        if h is not None:
            self.dismiss(("jump", h.id))

    def action_comment(self) -> None:
        h = self.current
        if h is not None:
            self.highlighting.edit(h, "comment", self)

    def action_tags(self) -> None:
        h = self.current
        if h is not None:
            self.highlighting.edit(h, "tags", self)

    def action_delete(self) -> None:
        h = self.current
        if h is not None:
            self.highlighting.delete(h, self)

    def action_undo(self) -> None:
        self.highlighting.undo_in_panel(self)
