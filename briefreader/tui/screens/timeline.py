"""The timeline screen: who published a story, a quotation or a copy group first, in date order."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from briefreader.core.copies import TimelineEntry
from briefreader.core.dates import display_date
from briefreader.core.inert import inert_line


class TimelineScreen(ModalScreen[str | None]):
    """A table of articles in publication order; enter opens one (dismisses with its id)."""

    DEFAULT_CSS = """
    TimelineScreen { align: center middle; }
    TimelineScreen > Vertical {
        width: 94%; height: 85%;
        background: $panel; border: round $primary; padding: 0 1;
    }
    TimelineScreen #timeline-what { height: auto; color: $text-muted; }
    TimelineScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape,q,L", "close", "Close", id="timeline_close"),
        Binding("enter,l", "open", "Open article", id="timeline_open"),
        Binding("j", "move(1)", "Down", show=False, id="timeline_down"),
        Binding("k", "move(-1)", "Up", show=False, id="timeline_up"),
    ]

    def __init__(self, what: str, entries: list[TimelineEntry]) -> None:
        super().__init__()
        self.what = what
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline-box") as box:
            box.border_title = f"Timeline: {len(self.entries)} article(s), first published first"
            box.border_subtitle = "enter opens · esc closes"
            yield Static(Text(inert_line(self.what)), id="timeline-what")
            yield DataTable(id="timeline-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "date", "outlet", "title", "role")
        for number, entry in enumerate(self.entries, 1):
            role = entry.role + (f" — {entry.note}" if entry.note else "")
            table.add_row(Text(str(number)), Text(display_date(entry.date) or "date unknown"),
                          Text(inert_line(entry.outlet or "–")), Text(inert_line(entry.title or entry.article)),
                          Text(inert_line(role)), key=entry.article)
        table.focus()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.entries:
            self.dismiss(self.entries[table.cursor_row].article)

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=table.cursor_row + step)

    def action_close(self) -> None:
        self.dismiss(None)
