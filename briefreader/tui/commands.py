"""Every command of the reader, declared once.

Each :class:`Command` carries its id, default keys, action, description and help section. The
bindings (and so the footer), the help screen (``?``) and the command palette (``ctrl+p``) are all
generated from :data:`COMMANDS`, so they never drift apart. A user keymap remaps a command by its id
(see :mod:`briefreader.tui.config`).

Commands of a mode with its own keys (visual mode, the highlights panel, the export dialog) carry
that mode as their ``scope``: they are that screen's or widget's bindings (:func:`scope_bindings`),
listed in help under their own section, and never bound app-wide or offered in the palette.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

# Key names Textual uses for a few punctuation keys, and how we display them.
_KEY_DISPLAY = {
    "question_mark": "?",
    "slash": "/",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "colon": ":",
    "escape": "esc",
    "pagedown": "pgdn",
    "pageup": "pgup",
    "shift+tab": "shift+tab",
    "full_stop": ".",
    "comma": ",",
    "at": "@",
    "right_parenthesis": ")",
    "left_parenthesis": "(",
    "right_curly_bracket": "}",
    "left_curly_bracket": "{",
    "quotation_mark": '"',
    "apostrophe": "'",
    "delete": "del",
}

APP = "app"
VISUAL = "Visual mode (v)"
HIGHLIGHTS = "Highlights panel (H)"
EXPORT = "Export dialog (e)"
NOTE = "Note editor (a)"


@dataclass(frozen=True, slots=True)
class Command:
    """One user command: ``keys`` is a comma-separated list of Textual key names."""

    id: str
    keys: str
    action: str
    description: str
    section: str
    show: bool = True  # shown in the footer (when it applies)
    priority: bool = False
    palette: bool = True  # offered in the command palette
    scope: str = APP  # APP, or the mode (VISUAL, HIGHLIGHTS, EXPORT) whose screen binds it
    footer: str = ""  # a shorter label for the footer (default: the description)

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.footer or self.description,
            show=self.show,
            priority=self.priority,
            id=self.id,
        )


COMMANDS: tuple[Command, ...] = (
    # Moving around
    Command("cursor_down", "j,down", "cursor_down", "Down", "Move", show=False),
    Command("cursor_up", "k,up", "cursor_up", "Up", "Move", show=False),
    Command("cursor_top", "g,home", "cursor_top", "First line / article", "Move", show=False),
    Command("cursor_bottom", "G,end", "cursor_bottom", "Last line / article", "Move", show=False),
    Command("page_down", "ctrl+d,pagedown", "page_down", "Half page down", "Move", show=False),
    Command("page_up", "ctrl+u,pageup", "page_up", "Half page up", "Move", show=False),
    Command("next_pane", "tab", "next_pane", "Next pane", "Move", show=False, priority=True),
    Command("previous_pane", "shift+tab", "previous_pane", "Previous pane", "Move", show=False, priority=True),
    Command("open", "enter,l", "open", "Open", "Move", show=False),
    Command("next_new", "full_stop", "next_new", "Next new (unread) article", "Move", show=False),
    Command("previous_new", "comma", "previous_new", "Previous new (unread) article", "Move", show=False),
    Command("back", "escape,h", "back", "Back / clear search", "Move", show=False),
    # Search
    Command("search", "slash", "search", "Search", "Search"),
    Command("next_hit", "n", "next_hit", "Next hit", "Search"),
    Command("previous_hit", "N", "previous_hit", "Previous hit", "Search", show=False),
    Command("save_search", "at", "save_search", "Save this search as @name", "Search", show=False),
    # Quotes
    Command("next_quote", "right_square_bracket", "next_quote", "Next quote", "Quotes"),
    Command("previous_quote", "left_square_bracket", "previous_quote", "Previous quote", "Quotes", show=False),
    Command("focus_diff", "d", "focus_diff", "Diff", "Quotes"),
    Command("next_variant", "c", "next_variant", "Compare next", "Quotes"),
    Command("previous_variant", "C", "previous_variant", "Compare previous", "Quotes", show=False),
    Command("jump_variant", "x", "jump_variant", "Jump to it", "Quotes"),
    Command("next_altered", "M", "next_altered", "Next altered quote", "Quotes", show=False),
    Command("toggle_diff_options", "i", "toggle_diff_options", "Ignore case/punct", "Quotes", show=False),
    # Copies and stories
    Command("fold_group", "z", "fold_group", "Fold/unfold copies", "Copies"),
    Command("fold_all", "Z", "fold_all", "Fold/unfold all copies", "Copies", show=False),
    Command("copy_view", "f", "copy_view", "Copy: changes / full text", "Copies", show=False),
    Command("select_group", "y", "select_group", "Mark the whole copy group", "Copies", show=False),
    Command("timeline", "L", "timeline", "Timeline (quote, story or copies)", "Copies", show=False),
    # View
    Command("layout", "p", "cycle_layout", "Layout: list / panes / article", "View", footer="Layout"),
    Command("toggle_raw", "r", "toggle_raw", "Raw/clean", "View"),
    Command("sort", "s", "sort", "Sort", "View"),
    Command("reverse_sort", "S", "reverse_sort", "Reverse sort", "View", show=False),
    Command("warnings", "w", "warnings", "Warnings", "View", show=False),
    Command("open_source", "o", "open_source", "Open source outside", "View", show=False),
    Command("change_theme", "ctrl+t", "change_theme", "Change theme", "View", show=False, palette=False),
    # Triage (briefreader.tui.triage): act on the marked set, or on the article under the cursor
    Command("mark_toggle", "space", "triage_toggle_mark", "Mark & down", "Triage", show=False),
    Command("mark_all", "A", "triage_mark_all", "Mark all / clear marks", "Triage", show=False),
    Command("status_keep", "K", "triage_status('keep')", "Keep", "Triage"),
    Command("status_discard", "D", "triage_status('discard')", "Discard", "Triage", show=False),
    Command("status_follow_up", "F", "triage_status('follow-up')", "Follow up", "Triage", show=False),
    Command("status_read", "R", "triage_status('read')", "Mark read", "Triage", show=False),
    Command("status_new", "U", "triage_status('new')", "Mark unread (new)", "Triage", show=False),
    Command("tag_add", "t", "triage_tag", "Tag", "Triage"),
    Command("tag_remove", "T", "triage_untag", "Remove tags", "Triage", show=False),
    Command("note", "a", "triage_note", "Note (several lines; ctrl+s saves)", "Triage", show=False),
    Command("undo", "u", "triage_undo", "Undo", "Triage"),
    Command("visual", "v", "triage_visual", "Highlight", "Triage"),
    Command("visual_paragraph", "V", "triage_visual('paragraph')", "Highlight paragraph", "Triage", show=False),
    Command("highlights", "H", "triage_highlights", "Highlights", "Triage", show=False),
    Command("quote_to_brief", "b", "triage_choose_quote", "Quote to brief", "Triage", show=False),
    Command("export", "e", "triage_export", "Export", "Triage"),
    # App
    Command("help", "question_mark", "help", "Help", "App"),
    Command("command_palette", "colon", "command_palette", "Commands", "App", show=False, palette=False),
    Command("quit", "q", "quit", "Quit", "App"),
    # Visual mode: the keys of the bar under the article while a passage is selected
    Command("visual_grow_word", "w,right,l", "key('grow_word')", "+word", VISUAL, scope=VISUAL),
    Command("visual_shrink_word", "b,left,h", "key('shrink_word')", "-word", VISUAL, scope=VISUAL),
    Command("visual_grow_sentence", "right_parenthesis", "key('grow_sentence')", "+sentence", VISUAL, scope=VISUAL),
    Command("visual_shrink_sentence", "left_parenthesis", "key('shrink_sentence')", "-sentence", VISUAL, scope=VISUAL),
    Command("visual_grow_paragraph", "right_curly_bracket", "key('grow_paragraph')", "+paragraph", VISUAL,
            scope=VISUAL),
    Command("visual_shrink_paragraph", "left_curly_bracket", "key('shrink_paragraph')", "-paragraph", VISUAL,
            scope=VISUAL),
    Command("visual_sentence", "s", "key('sentence')", "Sentence", VISUAL, scope=VISUAL),
    Command("visual_select_paragraph", "p,V", "key('paragraph')", "Paragraph", VISUAL, scope=VISUAL),
    Command("visual_quote", "quotation_mark,apostrophe", "key('quote')", "Quotation", VISUAL, scope=VISUAL),
    Command("visual_next_word", "W,ctrl+right", "key('next_word')", "Move to the next word", VISUAL, show=False,
            scope=VISUAL),
    Command("visual_previous_word", "B,ctrl+left", "key('previous_word')", "Move to the previous word", VISUAL,
            show=False, scope=VISUAL),
    Command("visual_line_down", "j,down", "key('next_line')", "Move a line down", VISUAL, show=False, scope=VISUAL),
    Command("visual_line_up", "k,up", "key('previous_line')", "Move a line up", VISUAL, show=False, scope=VISUAL),
    Command("visual_highlight", "enter,m", "key('highlight')", "Highlight (then comment)", VISUAL, scope=VISUAL),
    Command("visual_cancel", "escape,v,q", "key('cancel')", "Cancel", VISUAL, scope=VISUAL),
    # The highlights panel
    Command("highlights_close", "escape,q,H", "close", "Close", HIGHLIGHTS, scope=HIGHLIGHTS),
    Command("highlights_jump", "enter,l", "jump", "Go to it", HIGHLIGHTS, scope=HIGHLIGHTS),
    Command("highlights_comment", "c,a", "comment", "Comment", HIGHLIGHTS, scope=HIGHLIGHTS),
    Command("highlights_tags", "t", "tags", "Tags", HIGHLIGHTS, scope=HIGHLIGHTS),
    Command("highlights_delete", "d,delete", "delete", "Delete", HIGHLIGHTS, scope=HIGHLIGHTS),
    Command("highlights_undo", "u", "undo", "Undo", HIGHLIGHTS, scope=HIGHLIGHTS),
    Command("highlights_down", "j", "cursor('down')", "Down", HIGHLIGHTS, show=False, scope=HIGHLIGHTS),
    Command("highlights_up", "k", "cursor('up')", "Up", HIGHLIGHTS, show=False, scope=HIGHLIGHTS),
    # The note editor (several lines: enter is a new line)
    Command("note_save", "ctrl+s", "save", "Save the note", NOTE, priority=True, scope=NOTE),
    Command("note_cancel", "escape", "cancel", "Cancel (nothing changes)", NOTE, priority=True, scope=NOTE),
    # The export dialog
    Command("export_close", "escape", "close", "Close", EXPORT, scope=EXPORT),
    Command("export_write", "ctrl+s", "write", "Write file", EXPORT, scope=EXPORT),
    Command("export_group", "ctrl+g", "cycle_group", "Group by", EXPORT, scope=EXPORT),
    Command("export_format", "ctrl+f", "cycle_format", "Format", EXPORT, scope=EXPORT),
    Command("export_profile", "ctrl+o", "cycle_profile", "For send/archive", EXPORT, scope=EXPORT),
    Command("export_raw", "ctrl+t", "toggle_raw", "Rendered/raw", EXPORT, scope=EXPORT),
    Command("export_refresh", "ctrl+r", "refresh_preview", "Refresh the preview", EXPORT, show=False, scope=EXPORT),
    Command("export_preview_down", "pagedown", "scroll_preview(1)", "Preview down", EXPORT, show=False, scope=EXPORT),
    Command("export_preview_up", "pageup", "scroll_preview(-1)", "Preview up", EXPORT, show=False, scope=EXPORT),
)

COMMANDS_BY_ID: dict[str, Command] = {c.id: c for c in COMMANDS}
SECTIONS: tuple[str, ...] = ("Move", "Search", "Quotes", "Copies", "View", "Triage", "App", VISUAL, HIGHLIGHTS,
                             NOTE, EXPORT)


def display_keys(keys: str) -> str:
    """Human form of a comma-separated key list (``right_square_bracket`` -> ``]``)."""
    out = []
    for key in keys.split(","):
        key = key.strip()
        if not key:
            continue
        out.append(_KEY_DISPLAY.get(key, key))
    return ", ".join(out)


def app_bindings() -> list[BindingType]:
    """The Binding list of the app, generated from :data:`COMMANDS`."""
    return [c.binding() for c in COMMANDS if c.scope == APP]


def scope_bindings(scope: str) -> list[BindingType]:
    """The Binding list of one mode (``VISUAL``, ``HIGHLIGHTS``, ``NOTE``, ``EXPORT``), from :data:`COMMANDS`."""
    bindings: list[BindingType] = [c.binding() for c in COMMANDS if c.scope == scope]
    if not bindings:
        raise ValueError(f"no commands declared for {scope!r}")
    return bindings


def effective_keys(command: Command, keymap: dict[str, str]) -> str:
    """Keys of ``command`` after the user's keymap is applied."""
    return keymap.get(command.id, command.keys)
