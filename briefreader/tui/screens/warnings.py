"""The load warnings screen: every file that was skipped or read partially, and why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from briefreader.core.inert import inert_line


class WarningsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    WarningsScreen { align: center middle; }
    WarningsScreen > VerticalScroll {
        width: 90%; height: 80%;
        background: $panel; border: round $warning; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,q,w", "close", "Close", id="warnings_close"),
        Binding("j,down", "scroll_by(1)", "Down", show=False, id="warnings_down"),
        Binding("k,up", "scroll_by(-1)", "Up", show=False, id="warnings_up"),
    ]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="warnings-scroll") as scroll:
            scroll.border_title = f"{len(self.lines)} load warning(s)"
            scroll.border_subtitle = "esc closes"
            if self.lines:  # each warning names a file of the corpus: one inert line each
                text = Text("\n".join(inert_line(line) for line in self.lines))
            else:
                text = Text("Every file loaded without a problem.", style="italic")
            yield Static(text, id="warnings-text")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_by(self, step: int) -> None:
        self.query_one("#warnings-scroll", VerticalScroll).scroll_relative(y=step, animate=False)
