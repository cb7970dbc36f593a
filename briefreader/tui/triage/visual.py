"""The visual-mode bar under the article: it holds the keys while a passage is being selected."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
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

    BINDINGS = [
        Binding("w,right,l", "key('grow_word')", "+word", id="visual_grow_word"),
        Binding("b,left,h", "key('shrink_word')", "-word", id="visual_shrink_word"),
        Binding("right_parenthesis", "key('grow_sentence')", "+sentence", id="visual_grow_sentence"),
        Binding("left_parenthesis", "key('shrink_sentence')", "-sentence", id="visual_shrink_sentence"),
        Binding("right_curly_bracket", "key('grow_paragraph')", "+paragraph", id="visual_grow_paragraph"),
        Binding("left_curly_bracket", "key('shrink_paragraph')", "-paragraph", id="visual_shrink_paragraph"),
        Binding("s", "key('sentence')", "Sentence", id="visual_sentence"),
        Binding("p,V", "key('paragraph')", "Paragraph", id="visual_paragraph"),
        Binding("quotation_mark,apostrophe", "key('quote')", "Quotation", id="visual_quote"),
        Binding("W,ctrl+right", "key('next_word')", "Next word", show=False, id="visual_next_word"),
        Binding("B,ctrl+left", "key('previous_word')", "Previous word", show=False, id="visual_previous_word"),
        Binding("j,down", "key('next_line')", "Line down", show=False, id="visual_line_down"),
        Binding("k,up", "key('previous_line')", "Line up", show=False, id="visual_line_up"),
        Binding("enter,m", "key('highlight')", "Highlight", id="visual_highlight"),
        Binding("escape,v,q", "key('cancel')", "Cancel", id="visual_cancel"),
    ]

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
