"""The visual-mode bar under the article: it holds the keys while a passage is being selected."""

from __future__ import annotations

from textual.message import Message
from briefreader.tui.commands import VISUAL, scope_bindings
from briefreader.tui.plain import PlainStatic


class VisualBar(PlainStatic, can_focus=True):
    """Shown (and focused) while a passage is selected; each key posts ``VisualBar.Key``."""

    DEFAULT_CSS = """
    VisualBar {
        height: auto; max-height: 3; padding: 0 1;
        background: $accent 30%; color: $foreground;
        display: none;
    }
    VisualBar.-active { display: block; }
    """

    BINDINGS = scope_bindings(VISUAL)  # declared in briefreader.tui.commands (so help lists them)

    class Key(Message):
        """A visual-mode command (``grow_word``, ``highlight``, ``cancel``, ...)."""

        def __init__(self, command: str) -> None:
            self.command = command
            super().__init__()

    def action_key(self, command: str) -> None:
        self.post_message(self.Key(command))

    def on_blur(self) -> None:
        if self.has_class("-active"):
            self.post_message(self.Key("blur"))
