"""The export dialog: choose what goes in the brief, see it, write it.

The brief is built and rendered by :mod:`briefreader.core.export` in a worker of the app (the same
calls as ``briefreader export``); this screen only holds the options and shows the preview:
rendered (Textual's ``Markdown`` widget, with the brief's own parser: no raw HTML, no linkifying;
a click on a link opens only an http(s) address, through the app's opener) or as the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Markdown, Static

from briefreader.core.export import DEFAULT_PROFILE, FORMATS, GROUPINGS, PROFILES, brief_markdown_parser
from briefreader.core.inert import inert
from briefreader.tui.commands import EXPORT, scope_bindings
from briefreader.tui.plain import PlainStatic

if TYPE_CHECKING:
    from briefreader.tui.triage.brief import BriefActions


@dataclass
class ExportOptions:
    """What the analyst chose in the dialog."""

    where: str = ""  # triage filters and/or full-text words, as in the search bar
    group_by: str = "article"
    fmt: str = "md"
    output: str = ""
    profile: str = DEFAULT_PROFILE  # send | archive
    ignore_punct: bool = False  # the reader's i toggle: punctuation-only differences left out

    def output_path(self) -> Path:
        return Path(self.output).expanduser()


def with_extension(path: str, fmt: str) -> str:
    """``path`` with the extension of ``fmt`` when it has another format's extension (or none)."""
    p = Path(path)
    if p.suffix.lower() in (".md", ".json", ".html", ""):
        return str(p.with_suffix("." + fmt)) if p.name else path
    return path


class ExportScreen(ModalScreen[None]):
    """Options on top, the preview below; ctrl+s writes (asks again before replacing a file)."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 96%; height: 94%; background: $panel; border: round $accent; padding: 0 1;
    }
    ExportScreen Horizontal { height: 3; }
    ExportScreen Label { width: 10; padding: 1 0 0 0; color: $text-muted; }
    ExportScreen Input { width: 1fr; height: 3; border: tall $panel-lighten-2; }
    ExportScreen Input:focus { border: tall $accent; }
    ExportScreen #export-choices { height: auto; max-height: 3; padding: 0 1; }
    ExportScreen #export-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    ExportScreen #export-status.-error { color: $error; }
    ExportScreen VerticalScroll { height: 1fr; border: tall $panel-lighten-1; background: $surface; }
    ExportScreen #export-preview-md { margin: 0 1; background: $surface; }
    ExportScreen .-hidden { display: none; }
    """
    BINDINGS = scope_bindings(EXPORT)  # declared once in tui/commands.py (keys, help, keymap ids)

    def __init__(self, options: ExportOptions, brief: BriefActions) -> None:
        super().__init__()
        self.brief = brief  # builds and writes the brief in its workers
        self.options = options
        self.preview_text = ""
        self.preview_markdown = ""  # the Markdown shown rendered (md and html formats)
        self.preview_summary = ""
        self.show_raw = False
        self._confirm_overwrite: str | None = None
        self._confirm_mkdir: str | None = None
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box") as box:
            box.border_title = "Export the brief"
            box.border_subtitle = ("ctrl+s write · ctrl+o send/archive · ctrl+g group · ctrl+f format · "
                                   "ctrl+t rendered/raw · pgup/pgdn · esc")
            with Horizontal():
                yield Label("Select")
                yield Input(value=self.options.where, id="export-where",
                            placeholder="empty: everything you worked on; or status:keep tag:x words")
            with Horizontal():
                yield Label("Write to")
                yield Input(value=self.options.output, id="export-output", placeholder="brief.md")
            yield Static("", id="export-choices")
            yield PlainStatic("", id="export-status")
            with VerticalScroll(id="export-preview-scroll"):
                yield Markdown("", id="export-preview-md", open_links=False, parser_factory=brief_markdown_parser)
                yield Static("", id="export-preview", classes="-hidden")

    def on_mount(self) -> None:
        self.query_one("#export-where", Input).focus()
        self._show_choices()
        self.request_preview()

    # -- options ------------------------------------------------------------------------------

    def _show_choices(self) -> None:
        text = Text()
        text.append("For: ", style="dim")
        for p in PROFILES:
            text.append(f" {p} ", style="reverse bold" if p == self.options.profile else "")
        text.append("   Group by: ", style="dim")
        for g in GROUPINGS:
            text.append(f" {g} ", style="reverse bold" if g == self.options.group_by else "")
        text.append("   Format: ", style="dim")
        for f in FORMATS:
            text.append(f" {f} ", style="reverse bold" if f == self.options.fmt else "")
        text.append("   Preview: ", style="dim")
        text.append("raw" if self.show_raw or self.options.fmt == "json" else "rendered")
        if self.options.ignore_punct:
            text.append("   punctuation ignored", style="dim")
        self.query_one("#export-choices", Static).update(text)

    def action_cycle_profile(self) -> None:
        self.options.profile = PROFILES[(PROFILES.index(self.options.profile) + 1) % len(PROFILES)]
        self._show_choices()
        self.request_preview()

    def action_toggle_raw(self) -> None:
        self.show_raw = not self.show_raw
        self._show_choices()
        self._show_preview_mode()

    def action_cycle_group(self) -> None:
        self.options.group_by = GROUPINGS[(GROUPINGS.index(self.options.group_by) + 1) % len(GROUPINGS)]
        self._show_choices()
        self.request_preview()

    def action_cycle_format(self) -> None:
        self.options.fmt = FORMATS[(FORMATS.index(self.options.fmt) + 1) % len(FORMATS)]
        out = self.query_one("#export-output", Input)
        out.value = with_extension(out.value, self.options.fmt)
        self._show_choices()
        self.request_preview()

    @on(Input.Changed, "#export-where")
    def _where_changed(self, event: Input.Changed) -> None:
        if event.value == self.options.where:
            return  # the initial value (Input posts Changed on mount)
        self.options.where = event.value
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.3, self.request_preview)

    @on(Input.Changed, "#export-output")
    def _output_changed(self, event: Input.Changed) -> None:
        if event.value == self.options.output:
            return
        self.options.output = event.value
        self._confirm_overwrite = None
        self._confirm_mkdir = None
        self.request_preview()  # links in the brief are relative to where it is written

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "export-where":
            self.query_one("#export-output", Input).focus()
        else:
            self.action_write()

    def action_refresh_preview(self) -> None:
        self.request_preview()

    def action_scroll_preview(self, step: int) -> None:
        scroll = self.query_one("#export-preview-scroll", VerticalScroll)
        scroll.scroll_relative(y=step * max(1, scroll.size.height - 2), animate=False)

    # -- preview and writing (the app does the work in a worker) -----------------------------

    def request_preview(self) -> None:
        self.set_status("Building the preview…")
        self.brief.export_preview(self, ExportOptions(**vars(self.options)))

    def show_preview(self, options: ExportOptions, text: str, summary: str, markdown: str | None = None) -> None:
        """The worker's result for ``options`` (ignored if the options changed meanwhile):
        ``text`` as it will be written, ``markdown`` the brief to show rendered (None for JSON)."""
        if vars(options) != vars(self.options):
            return
        self.preview_text = text
        self.preview_markdown = inert(markdown) if markdown is not None else ""
        self.preview_summary = summary
        self.query_one("#export-preview", Static).update(Text(inert(text)))
        if markdown is not None:
            self.query_one("#export-preview-md", Markdown).update(self.preview_markdown)
        self._show_preview_mode()
        self.set_status(f"{summary} → {self.options.output_path()}")

    def _show_preview_mode(self) -> None:
        rendered = not self.show_raw and self.options.fmt != "json"
        self.query_one("#export-preview-md", Markdown).set_class(not rendered, "-hidden")
        self.query_one("#export-preview", Static).set_class(rendered, "-hidden")

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        """A link in the preview opens only when it is a web address (never a file or a script)."""
        from briefreader.core.inert import inert_line
        from briefreader.core.urls import safe_http_url

        event.stop()
        web = safe_http_url(event.href)
        if web is None:
            self.set_status(f"Not opened: {inert_line(event.href)[:120]} is not a web address "
                            "(links to the article files work in the written brief).")
            return
        self.app.open_url(web)
        self.set_status(f"Opening {web}")

    def set_status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(message)
        status.set_class(error, "-error")

    def action_write(self) -> None:
        if not self.options.output.strip():
            self.set_status("Give a file name to write to.", error=True)
            self.query_one("#export-output", Input).focus()
            return
        from briefreader.workspace import ExportTargetError, Workspace

        path = self.options.output_path()
        confirmed = self._confirm_overwrite == str(path)
        make_folder = self._confirm_mkdir == str(path)
        try:  # the same check as `briefreader export -o`: only a regular file is ever written
            Workspace.check_output(path, force=confirmed, make_parents=make_folder)
        except ExportTargetError as exc:
            if exc.exists:
                self._confirm_overwrite = str(path)
                self.set_status(f"{path} exists: press ctrl+s again to replace it.", error=True)
            elif exc.missing_folder:
                self._confirm_mkdir = str(path)
                self.set_status(f"The folder {path.parent} does not exist: press ctrl+s again to create it.",
                                error=True)
            else:
                message = str(exc).replace(" (use --mkdir to create it)", "")
                self.set_status(message[:1].upper() + message[1:] + ".", error=True)
            return
        self._confirm_overwrite = self._confirm_mkdir = None
        self.set_status(f"Writing {path}…")
        self.brief.export_write(self, ExportOptions(**vars(self.options)), replace=confirmed,
                                make_folder=make_folder)

    def written(self, message: str) -> None:
        self.dismiss(None)
        self.app.notify(message, title="Export", timeout=6)

    def action_close(self) -> None:
        self.dismiss(None)
