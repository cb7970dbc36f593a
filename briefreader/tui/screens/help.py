"""The help screen, generated from the command declarations (and the user's keymap)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from briefreader.tui.commands import COMMANDS, SECTIONS, display_keys, effective_keys


def _section_rows(section: str) -> int:
    return 2 + sum(1 for command in COMMANDS if command.section == section)  # title, commands, blank line


def _sections_table(keymap: dict[str, str], sections: tuple[str, ...]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1), expand=False)
    table.add_column("keys", style="bold", no_wrap=True)
    table.add_column("what it does")
    for section in sections:
        table.add_row(Text(section, style="bold underline"), "")
        for command in COMMANDS:
            if command.section == section:
                table.add_row(display_keys(effective_keys(command, keymap)), command.description)
        table.add_row("", "")
    return table


def split_sections(sections: tuple[str, ...], columns: int) -> list[tuple[str, ...]]:
    """``sections`` in order, cut into at most ``columns`` runs of about the same number of lines."""
    total = sum(_section_rows(s) for s in sections)
    target = -(-total // max(1, columns))
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    lines = 0
    for section in sections:
        rows = _section_rows(section)
        if run and lines + rows > target and len(runs) < columns - 1:
            runs.append(tuple(run))
            run, lines = [], 0
        run.append(section)
        lines += rows
    if run:
        runs.append(tuple(run))
    return runs


def help_table(keymap: dict[str, str], columns: int = 2) -> Table:
    """Section, keys and description of every command (the main keys and each mode's: visual mode,
    the highlights panel, the export dialog), as a rich table with sections in ``columns`` columns."""
    if columns < 2:
        return _sections_table(keymap, SECTIONS)
    grid = Table.grid(padding=(0, 2))
    grid.add_row(*(_sections_table(keymap, run) for run in split_sections(SECTIONS, columns)))
    return grid


def help_columns(width: int) -> int:
    """How many columns of sections fit a terminal ``width`` columns wide."""
    return 3 if width >= 150 else 2 if width >= 100 else 1


class HelpScreen(ModalScreen[None]):
    """Every key, by section. Esc, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 112; max-width: 98%; height: 94%;
        background: $panel; border: round $primary; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close", id="help_close"),
        Binding("j,down", "scroll_help(1)", "Down", show=False, id="help_down"),
        Binding("k,up", "scroll_help(-1)", "Up", show=False, id="help_up"),
    ]

    def __init__(self, keymap: dict[str, str], config_hint: str) -> None:
        super().__init__()
        self.keymap = keymap
        self.config_hint = config_hint

    def compose(self) -> ComposeResult:
        columns = help_columns(self.app.size.width)
        with VerticalScroll(id="help-scroll") as scroll:
            scroll.border_title = "briefreader keys"
            scroll.border_subtitle = "esc closes · j/k scroll"
            scroll.styles.width = {3: 156, 2: 112, 1: 90}[columns]
            yield Static(help_table(self.keymap, columns), id="help-table")
            yield Static(Text(self.config_hint, style="italic"), id="help-hint")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)

    def action_scroll_help(self, step: int) -> None:
        self.query_one("#help-scroll", VerticalScroll).scroll_relative(y=step, animate=False)
