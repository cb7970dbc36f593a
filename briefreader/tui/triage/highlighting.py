"""Highlights in the reader: visual mode (select a passage), painting highlights on the body, the panel.

Part of the triage controller (:class:`briefreader.tui.triage.controller.TriageController` holds one
:class:`Highlighting`); writes go through the controller's queue like every triage write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text

from briefreader.tui.triage.selection import Selection, TextUnits
from briefreader.tui.triage.visual import VisualBar

if TYPE_CHECKING:
    from briefreader.core.model import Article
    from briefreader.core.triage_model import ArticleState, Highlight
    from briefreader.workspace import Workspace
    from briefreader.tui.triage.controller import TriageController
    from briefreader.tui.triage.highlights_screen import HighlightsScreen
    from briefreader.tui.widgets.body_view import BodyView

HighlightChange = tuple[Any, dict[str, "ArticleState"], list[str]]


class Highlighting:
    """Visual mode, highlight painting and the highlights panel of one reader screen."""

    def __init__(self, triage: TriageController) -> None:
        self.triage = triage
        self.host = triage.host
        self.visual: Selection | None = None
        self.visual_article: str | None = None
        self._cache: dict[str, list[Highlight]] = {}  # article id -> its highlights, as last read
        self._pending: set[str] = set()
        self._styles: tuple[str, Style, Style] | None = None

    def forget(self) -> None:
        """Drop the highlights read so far (after undo or another process's changes) and redraw."""
        self._cache.clear()
        self.host.redraw_article()

    # ------------------------------------------------------------------ painting

    def highlight_styles(self) -> tuple[Style, Style]:
        theme = self.host.app.theme
        if self._styles is None or self._styles[0] != theme:
            from briefreader.tui.themes import variable_defaults

            variables = self.host.app.get_css_variables()
            defaults = variable_defaults(True)
            highlight = variables.get("br-highlight", defaults.get("br-highlight", "#4a3d6b"))
            selection = variables.get("br-selection", defaults.get("br-selection", "#2f6f8f"))
            self._styles = (theme, Style(bgcolor=highlight, underline=True), Style(bgcolor=selection, bold=True))
        return self._styles[1], self._styles[2]

    def decorate(self, article: Article, body: BodyView) -> None:
        """Paint the article's highlights (and the visual selection) on the body just rendered."""
        if self.host.state.raw or not self.triage.is_open:
            return
        highlights = self._cache.get(article.id)
        if highlights is None:
            if self.triage.state_of(article.id).highlights:  # none stored: nothing to fetch or re-attach
                self._fetch(article)
            highlights = []
        visual = self.visual if self.visual_article == article.id else None
        if not highlights and visual is None:
            return
        highlight_style, selection_style = self.highlight_styles()
        text = body.text
        length = len(text.plain)
        for highlight in highlights:
            if 0 <= highlight.start < highlight.end <= length:
                text.stylize(highlight_style, highlight.start, highlight.end)
        if visual is not None:
            text.stylize(selection_style, visual.start, min(length, visual.end))
        body.restyle()

    def _fetch(self, article: Article) -> None:
        if article.id in self._pending:
            return
        self._pending.add(article.id)

        def done(highlights: list[Highlight]) -> None:
            self._pending.discard(article.id)
            self._cache[article.id] = highlights
            if self.host.state.current_id == article.id and highlights:
                self.host.redraw_article()

        def failed(message: str) -> None:
            self._pending.discard(article.id)
            self._cache[article.id] = []
            self.host.notify(f"Highlights not shown: {message}", severity="warning", timeout=5)

        self.triage.submit(lambda s: s.highlights_for(article), done, what="reading highlights", on_error=failed)

    # ------------------------------------------------------------------ visual mode

    def bar(self) -> VisualBar:
        """The visual-mode bar under the article (mounted on first use)."""
        view = self.host.article_view
        bars = view.query(VisualBar)
        if bars:
            return bars.first()
        bar = VisualBar("", id="visual-bar")
        view.mount(bar)
        return bar

    def start_visual(self, unit: str = "word") -> None:
        """v: select a passage in the body (from the selected quotation, search hit or top line)."""
        state = self.host.state
        article = self.host.current_article()
        if article is None:
            return
        if state.raw:
            self.host.notify("Highlights are made in the clean view (press r).", timeout=3)
            return
        if not self.triage.ready():
            return
        self.host.show_article_pane()  # the list may be full width
        body = self.host.body
        offset = None
        quotes = self.host.article_quotes()
        if state.current_quote is not None and state.current_quote < len(quotes):
            offset = quotes[state.current_quote].start
        elif state.current_hit is not None and state.hits:
            offset = state.hits[state.current_hit][0]
        top = body.scroll_offset.y
        if offset is None or not (top <= body.line_of(offset) < top + body.size.height):
            offset = _first_visible_offset(body)
        selection = Selection.at(TextUnits(article.body), offset)
        if selection is None:
            self.host.notify("Nothing to select in this article.", timeout=2)
            return
        self.visual, self.visual_article = selection, article.id
        if unit == "paragraph":
            selection.select_paragraph()
        bar = self.bar()
        bar.add_class("-active")
        bar.display = True  # at once (not at the next style update), so it can take the focus now
        self.host.set_focus(bar)  # now, not after keys already typed
        self._changed()

    def _changed(self, *, scroll: bool = True) -> None:
        from briefreader.core.inert import inert_line

        selection = self.visual
        if selection is None:
            return
        self.host.redraw_article()
        if scroll:
            self.host.body.scroll_to_offset(selection.end, center=False)
        excerpt = " ".join(selection.text.split())
        if len(excerpt) > 70:
            excerpt = excerpt[:34] + " … " + excerpt[-34:]
        line = Text()
        line.append(" VISUAL ", style="reverse bold")
        line.append(f" {selection.words} word(s): “{inert_line(excerpt)}”\n", style="")
        line.append("w/b word · )/( sentence · }/{ paragraph · s/p whole sentence/paragraph · \" quotation · "
                    "j/k line · enter highlight · esc cancel", style="dim")
        self.bar().update(line)

    def exit_visual(self) -> None:
        self.visual = None
        self.visual_article = None
        bar = self.bar()
        was_focused = self.host.focused is bar
        bar.remove_class("-active")
        bar.display = False
        self.host.redraw_article()
        if was_focused:
            self.host.body.focus()

    def key(self, command: str) -> None:
        """A key of the visual-mode bar (see ``VISUAL`` in :mod:`briefreader.tui.commands`)."""
        selection = self.visual
        if command == "blur":
            self.host.call_after_refresh(self._check_focus)
            return
        if selection is None:
            return
        if command == "cancel":
            self.exit_visual()
            return
        if command == "highlight":
            self._ask_highlight()
            return
        if command == "quote":
            if not selection.select_quote([(q.start, q.end) for q in self.host.article_quotes()]):
                self.host.notify("No quotation at or after the selection.", timeout=2)
                return
        elif command in ("next_line", "previous_line"):
            self._move_line(selection, 1 if command == "next_line" else -1)
        else:
            method: Callable[[], Any] | None = {
                "grow_word": selection.grow_word, "shrink_word": selection.shrink_word,
                "grow_sentence": selection.grow_sentence, "shrink_sentence": selection.shrink_sentence,
                "grow_paragraph": selection.grow_paragraph, "shrink_paragraph": selection.shrink_paragraph,
                "sentence": selection.select_sentence, "paragraph": selection.select_paragraph,
                "next_word": lambda: selection.move_word(1), "previous_word": lambda: selection.move_word(-1),
            }.get(command)
            if method is None:
                return
            method()
        self._changed()

    def _move_line(self, selection: Selection, step: int) -> None:
        body = self.host.body
        line = body.line_of(selection.start)
        for _ in range(body.line_count):
            line += step
            if not 0 <= line < body.line_count:
                break
            body.scroll_to_offset(selection.start, center=False)
            offset = body.offset_at(0, line - body.scroll_offset.y)
            if offset is None:
                body.scroll_to(y=max(0, line - 2), animate=False, immediate=True)
                offset = body.offset_at(0, line - body.scroll_offset.y)
            if offset is not None:
                selection.move_to(offset)
                break

    def _check_focus(self) -> None:
        if self.visual is None or len(self.host.app.screen_stack) > 1:
            return
        if not isinstance(self.host.focused, VisualBar):
            self.exit_visual()

    def _ask_highlight(self) -> None:
        from briefreader.tui.triage.prompt import Field, PromptScreen

        selection, article = self.visual, self.host.current_article()
        if selection is None or article is None or article.id != self.visual_article:
            return
        start, end = selection.start, selection.end
        excerpt = " ".join(selection.text.split())
        context = f"“{excerpt if len(excerpt) <= 160 else excerpt[:159] + '…'}”"

        def submitted(values: dict[str, str] | None) -> None:
            if values is None:  # back to the selection
                if self.visual is not None:
                    self.bar().focus()
                return
            comment, tags = values.get("comment", ""), values.get("tags", "")

            def job(workspace: Workspace) -> tuple[Highlight, list[Highlight], dict[str, ArticleState], list[str]]:
                from briefreader.core.triage_model import normalize_tags

                added = workspace.add_highlight(article, start, end, comment=comment, tags=normalize_tags(tags))
                return (added, workspace.highlights_for(article), workspace.states([article.id]),
                        workspace.complete_tag(""))

            def done(result: tuple[Highlight, list[Highlight], dict[str, ArticleState], list[str]]) -> None:
                added, highlights, states, known = result
                self._cache[article.id] = highlights
                self.triage.tags = known
                self.triage.apply_states(states)
                if self.visual_article == article.id:
                    self.exit_visual()
                else:
                    self.host.redraw_article()
                words = len(added.exact.split())
                self.host.notify(f"Highlighted {words} word(s) in ¶{added.paragraph} · u undoes · H lists highlights",
                                 timeout=3)

            self.triage.submit(job, done, what="saving the highlight")

        self.host.app.push_screen(PromptScreen("Highlight", [
            Field("comment", "Comment (optional)", placeholder="why this passage matters"),
            Field("tags", "Tags (optional, comma-separated)", tags=True),
        ], known_tags=lambda: self.triage.tags, context=context), submitted)

    # ------------------------------------------------------------------ the highlights panel

    def open_panel(self) -> None:
        """H: every highlight of the corpus (orphans too): jump, edit comment/tags, delete."""
        from briefreader.tui.triage.highlights_screen import HighlightsScreen

        if not self.triage.ready():
            return
        corpus = self.host.corpus
        titles = {}
        for article in corpus.articles if corpus is not None else []:
            titles[article.id] = " · ".join(x for x in (article.outlet, (article.date or "")[:10],
                                                         article.title or article.id) if x)
        self.host.app.push_screen(HighlightsScreen(titles, self), self._panel_closed)

    def load_panel(self, screen: HighlightsScreen) -> None:
        """Fill the highlights panel (re-attaching highlights of changed articles first)."""
        corpus = self.host.corpus
        articles = list(corpus.articles) if corpus is not None else []

        def done(highlights: list[Highlight]) -> None:
            if screen.is_attached:
                screen.populate(highlights)

        def job(workspace: Workspace) -> list[Highlight]:
            workspace.reattach_changed(articles)  # the list's articles: the corpus may still be loading
            return workspace.highlights(reattach=False)

        self.triage.submit(job, done, what="listing highlights")

    def undo_in_panel(self, screen: HighlightsScreen) -> None:
        self.triage.undo(on_done=lambda: self.load_panel(screen) if screen.is_attached else None)

    def _panel_closed(self, result: tuple[str, int] | None) -> None:
        if not result:
            return
        highlight_id = result[1]
        self.triage.submit(lambda s: s.highlight(highlight_id), self.jump_to, what="finding the highlight")

    def jump_to(self, highlight: Highlight | None) -> None:
        """Show the highlight's article at its passage."""
        if highlight is None or self.host.article(highlight.article_id) is None:
            self.host.notify("That highlight's article is not in the corpus any more.", severity="warning", timeout=4)
            return
        self.triage.position.scroll_to(highlight.article_id, None if highlight.orphan else highlight.start)
        self.host.go_to_article(highlight.article_id)
        if self.host.state.raw:
            self.host.action_toggle_raw()
        self.host.show_article_pane()  # the list may be full width
        self.host.body.focus()
        if highlight.orphan:
            self.host.notify("This highlight is an orphan: its passage is no longer in the article.", timeout=4)

    def edit(self, highlight: Highlight, kind: str, screen: HighlightsScreen) -> None:
        """Edit the comment (``kind`` "comment") or the tags of a highlight from the panel."""
        from briefreader.tui.triage.prompt import Field, PromptScreen

        if kind == "comment":
            fields = [Field("comment", "Comment (empty clears it)", value=highlight.comment)]
        else:
            fields = [Field("tags", "Tags (comma-separated; empty clears them)", value=", ".join(highlight.tags),
                            tags=True)]
        excerpt = " ".join(highlight.exact.split())

        def submitted(values: dict[str, str] | None) -> None:
            if values is None:
                return

            def job(workspace: Workspace) -> HighlightChange:
                from briefreader.core.triage_model import normalize_tags

                if kind == "comment":
                    updated = workspace.update_highlight(highlight.id, comment=values["comment"])
                else:
                    updated = workspace.update_highlight(highlight.id, tags=normalize_tags(values["tags"]))
                return updated, workspace.states([highlight.article_id]), workspace.complete_tag("")

            self.triage.submit(job, self._after_panel_change(highlight, screen, f"{kind} saved"),
                               what="editing the highlight")

        self.host.app.push_screen(PromptScreen(
            f"Highlight #{highlight.id}", fields, known_tags=lambda: self.triage.tags,
            context=f"“{excerpt if len(excerpt) <= 160 else excerpt[:159] + '…'}”"), submitted)

    def delete(self, highlight: Highlight, screen: HighlightsScreen) -> None:
        def job(workspace: Workspace) -> HighlightChange:
            return (workspace.delete_highlight(highlight.id), workspace.states([highlight.article_id]),
                    workspace.complete_tag(""))

        self.triage.submit(job, self._after_panel_change(highlight, screen, None), what="deleting the highlight")

    def _after_panel_change(self, highlight: Highlight, screen: HighlightsScreen,
                            saved: str | None) -> Callable[[HighlightChange], None]:
        def done(result: HighlightChange) -> None:
            _, states, known = result
            self.triage.tags = known
            self.triage.apply_states(states)
            self._cache.pop(highlight.article_id, None)
            if saved is None and self.host.state.current_id == highlight.article_id:
                self.host.redraw_article()
            message = f"Highlight #{highlight.id}: {saved}" if saved else f"Deleted highlight #{highlight.id}"
            self.host.notify(message + " · u undoes", timeout=3)
            if screen.is_attached:
                self.load_panel(screen)
        return done


def _first_visible_offset(body: BodyView) -> int:
    for dy in range(max(1, body.size.height)):
        offset = body.offset_at(0, dy)
        if offset is not None:
            return offset
    return 0


__all__ = ["Highlighting"]
