"""The search box above the list: search-as-you-type, with the query's problem shown inline."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from briefreader.tui.plain import PlainStatic

PLACEHOLDER = 'Search: words, "a phrase", outlet:anadolu, date:2025-08'


class SearchInput(Input):
    """The query field; esc cancels, enter/down go to the results."""

    BINDINGS = [
        Binding("escape", "cancel", "Clear search", id="search_cancel"),
        Binding("down", "accept", "Results", show=False, id="search_down"),
    ]

    def action_cancel(self) -> None:
        self.post_message(SearchBar.Cancelled())

    def action_accept(self) -> None:
        self.post_message(SearchBar.Accepted(self.value))


class SearchBar(Vertical):
    """Posts ``Changed`` on every keystroke, ``Accepted`` on enter, ``Cancelled`` on esc."""

    DEFAULT_CSS = """
    SearchBar { height: auto; display: none; }
    SearchBar.-active { display: block; }
    SearchBar > SearchInput { border: tall $accent; height: 3; }
    SearchBar > #search-message {
        height: 1; text-wrap: nowrap; text-overflow: ellipsis; padding: 0 1; color: $text-muted;
    }
    SearchBar > #search-message.-error { color: $error; }
    """

    class Changed(Message):
        def __init__(self, query: str) -> None:
            self.query = query
            super().__init__()

    class Accepted(Message):
        def __init__(self, query: str) -> None:
            self.query = query
            super().__init__()

    class Cancelled(Message):
        pass

    def compose(self) -> ComposeResult:
        yield SearchInput(placeholder=PLACEHOLDER, id="search-input")
        yield PlainStatic("", id="search-message")  # messages quote the query and errors

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    @property
    def value(self) -> str:
        return self.input.value

    def open(self) -> None:
        self.add_class("-active")
        # Focus now, not after the next refresh (Widget.focus): keys already queued behind the
        # slash (a fast typist, a paste) must reach the query, not the list.
        self.screen.set_focus(self.input)

    def close(self) -> None:
        self.remove_class("-active")
        self.input.value = ""
        self.set_message("")

    @property
    def is_open(self) -> bool:
        return self.has_class("-active")

    def set_message(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#search-message", Static)
        label.update(message, layout=False)
        label.set_class(error, "-error")

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Accepted(event.value))
