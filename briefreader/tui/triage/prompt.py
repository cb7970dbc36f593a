"""Small dialogs: one or more text fields (tags with completion, a highlight's comment, a name),
and the note editor (several lines).

In a field dialog enter moves to the next field and submits on the last; esc cancels (nothing
changes); tab on a tag field completes the tag being typed from the tags already used. In the note
editor enter starts a new line, ctrl+s saves, esc cancels.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static, TextArea

from briefreader.core.inert import inert, inert_line
from briefreader.tui.commands import NOTE, display_keys, effective_keys, scope_bindings, COMMANDS_BY_ID
from briefreader.tui.plain import PlainStatic


@dataclass(frozen=True, slots=True)
class Field:
    """One text field: ``tags`` fields complete comma-separated tag names."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    tags: bool = False


def complete_last_tag(value: str, known: list[str]) -> list[str]:
    """Known tags (most used first) starting with the tag being typed (after the last comma)."""
    head, _, last = value.rpartition(",")
    prefix = last.strip().lstrip("#").casefold()
    typed = {t.strip().casefold() for t in head.split(",") if t.strip()}
    return [t for t in known
            if t.casefold().startswith(prefix) and t.casefold() not in typed and t.casefold() != prefix]


def with_completion(value: str, tag: str) -> str:
    head, sep, _ = value.rpartition(",")
    return f"{head}{sep} {tag}".lstrip() if sep else tag


class TagSuggester(Suggester):
    """Inline completion of the last tag in a comma-separated list."""

    def __init__(self, known: Callable[[], list[str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = known

    async def get_suggestion(self, value: str) -> str | None:
        if not value.rpartition(",")[2].strip():
            return None
        matches = complete_last_tag(value, self.known())
        return with_completion(value, matches[0]) if matches else None


class PromptScreen(ModalScreen[dict[str, str] | None]):
    """Asks for the values of ``fields``; dismisses with {name: value} or None (esc)."""

    DEFAULT_CSS = """
    PromptScreen { align: center bottom; }
    PromptScreen > Vertical {
        width: 90; max-width: 96%; height: auto; margin-bottom: 2;
        background: $panel; border: round $accent; padding: 0 1;
    }
    PromptScreen Label { color: $text-muted; margin-top: 1; }
    PromptScreen Input { border: tall $panel-lighten-2; height: 3; }
    PromptScreen Input:focus { border: tall $accent; }
    PromptScreen .prompt--hint { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="prompt_cancel"),
        Binding("tab", "complete", "Complete tag", id="prompt_complete", priority=True),
        Binding("shift+tab", "previous_field", "Previous field", show=False, id="prompt_previous", priority=True),
    ]

    def __init__(self, title: str, fields: list[Field], *, known_tags: Callable[[], list[str]] | None = None,
                 context: str = "") -> None:
        super().__init__()
        self.title_text = title
        # values and tags may come from a triage file that travelled with the corpus: shown inert,
        # and given back as they were when the analyst leaves them unchanged (see _original)
        self._given = {f.name: f.value for f in fields}
        self.fields = [replace(f, value=inert(f.value)) for f in fields]
        known = known_tags or (lambda: [])
        self._known_raw = known
        self.known_tags = lambda: [inert_line(tag) for tag in known()]
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box") as box:
            box.border_title = self.title_text
            completes = " · tab: complete tag" if any(f.tags for f in self.fields) else ""
            box.border_subtitle = "enter: next/save · esc: cancel" + completes
            if self.context:
                yield PlainStatic(self.context, classes="prompt--hint", id="prompt-context")
            for f in self.fields:
                yield Label(f.label)
                yield Input(
                    value=f.value,
                    placeholder=f.placeholder,
                    id=f"field-{f.name}",
                    suggester=TagSuggester(self.known_tags) if f.tags else None,
                )
                if f.tags:
                    yield PlainStatic("", classes="prompt--hint", id=f"hint-{f.name}")

    def on_mount(self) -> None:
        first = self.query_one(f"#field-{self.fields[0].name}", Input)
        first.focus()
        first.cursor_position = len(first.value)
        for f in self.fields:
            if f.tags:
                self._show_candidates(f.name, f.value)

    def _inputs(self) -> list[Input]:
        return [self.query_one(f"#field-{f.name}", Input) for f in self.fields]

    def _show_candidates(self, name: str, value: str) -> None:
        matches = complete_last_tag(value, self.known_tags())[:8]
        hint = self.query_one(f"#hint-{name}", Static)
        if matches:
            hint.update("tags in use: " + ", ".join(matches))
        elif not self.known_tags():
            hint.update("no tags used yet; separate several with commas")
        else:
            hint.update("")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        if any(f.name == name and f.tags for f in self.fields):
            self._show_candidates(name, event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = self._inputs()
        i = inputs.index(event.input)
        if i + 1 < len(inputs):
            inputs[i + 1].focus()
            return
        self.dismiss({f.name: self._original(f, inp.value) for f, inp in zip(self.fields, inputs, strict=True)})

    def _original(self, field: Field, value: str) -> str:
        """``value`` with what was shown inert mapped back to the stored text: an unchanged value is
        the given one, and a tag written as shown is the stored tag (so it can still be removed)."""
        if value == field.value:
            return self._given[field.name]
        if not field.tags:
            return value
        stored = {inert_line(tag): tag for tag in self._known_raw()}
        stored.update({inert_line(tag.strip()): tag.strip() for tag in self._given[field.name].split(",")})
        return ",".join(stored.get(piece.strip(), piece) for piece in value.split(","))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_complete(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input):
            return
        name = (focused.id or "").removeprefix("field-")
        if any(f.name == name and f.tags for f in self.fields):
            matches = complete_last_tag(focused.value, self.known_tags())
            if matches and focused.value.rpartition(",")[2].strip():
                focused.value = with_completion(focused.value, matches[0]) + ", "
                focused.cursor_position = len(focused.value)
            return  # nothing to complete: stay (enter moves on)
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()


class NoteScreen(ModalScreen[str | None]):
    """A note of several lines (a TextArea); dismisses with the note, or None (esc: nothing changes)."""

    DEFAULT_CSS = """
    NoteScreen { align: center bottom; }
    NoteScreen > Vertical {
        width: 90; max-width: 96%; height: auto; margin-bottom: 2;
        background: $panel; border: round $accent; padding: 0 1;
    }
    NoteScreen .prompt--hint { color: $text-muted; height: auto; }
    NoteScreen TextArea { height: 10; max-height: 60vh; border: tall $accent; }
    """
    BINDINGS = scope_bindings(NOTE)  # declared in briefreader.tui.commands (so help lists them)

    def __init__(self, title: str, note: str, *, context: str = "", keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self._given = note
        self.shown = inert(note)  # a triage file may travel with the corpus: shown inert
        self.context = context
        self.keymap = keymap or {}

    def compose(self) -> ComposeResult:
        save = display_keys(effective_keys(COMMANDS_BY_ID["note_save"], self.keymap))
        cancel = display_keys(effective_keys(COMMANDS_BY_ID["note_cancel"], self.keymap))
        with Vertical(id="note-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = f"{save}: save · {cancel}: cancel · enter: new line · empty clears it"
            if self.context:
                yield PlainStatic(self.context, classes="prompt--hint", id="note-context")
            yield TextArea(self.shown, id="note-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        text = self.text
        self.dismiss(self._given if text == self.shown else text)

    def action_cancel(self) -> None:
        self.dismiss(None)
