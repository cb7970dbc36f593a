"""The centre pane: the article's header (title, outlet, dateline, date, author) and its body,
clean (quotations and search hits marked) or raw (removed furniture dimmed, with reasons)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from briefreader.core.inert import inert, inert_line
from briefreader.core.model import Article
from briefreader.tui.quote_model import QuoteMark
from briefreader.tui.render import Styles, body_text, copy_changes_text, fallback_title, raw_text
from briefreader.tui.widgets.body_view import BodyView


class ArticleHeader(Static):
    DEFAULT_CSS = """
    ArticleHeader {
        background: $panel;
        padding: 0 2;
        height: 3;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """


class ArticleNote(Static):
    """The analyst's note on the article, under the header (hidden when there is none)."""

    DEFAULT_CSS = """
    ArticleNote {
        display: none;
        height: auto;
        max-height: 6;
        padding: 0 2;
        background: $panel;
        color: $text;
        border-top: hkey $panel-lighten-2;
    }
    ArticleNote.-shown { display: block; }
    """

    MAX_LINES = 5

    def show_note(self, note: str) -> None:
        """Show ``note`` (inert: a triage file may travel with the corpus); empty hides it."""
        note = note.strip("\n")
        self.set_class(bool(note.strip()), "-shown")
        if not note.strip():
            self.update(Text(""))
            return
        lines = inert(note).splitlines()
        if len(lines) > self.MAX_LINES:
            lines = lines[: self.MAX_LINES - 1] + [f"… {len(lines) - self.MAX_LINES + 1} more line(s) (a: edit)"]
        text = Text("✎ ", style="bold", no_wrap=False)
        text.append("\n  ".join(lines))
        self.update(text)


class ArticleView(Vertical):
    """Header plus body; the app tells it what to show (``show``), it never fetches data."""

    DEFAULT_CSS = """
    ArticleView { height: 1fr; }
    ArticleView > .article-view--quote { color: $br-quote; }
    ArticleView > .article-view--quote-variant { color: $br-quote-variant; text-style: underline; }
    ArticleView > .article-view--quote-current { background: $br-quote-current; }
    ArticleView > .article-view--hit { background: $br-hit; }
    ArticleView > .article-view--hit-current { background: $br-hit-current; text-style: bold; }
    ArticleView > .article-view--removed { color: $br-removed; text-style: strike; }
    ArticleView > .article-view--removed-reason { color: $br-removed-reason; text-style: italic; }
    ArticleView > .article-view--title { text-style: bold; color: $foreground; }
    ArticleView > .article-view--fallback { color: $br-title-fallback; text-style: italic; }
    ArticleView > .article-view--meta { color: $text-muted; }
    ArticleView > .article-view--added { background: $br-diff-added; }
    ArticleView > .article-view--changed { background: $br-diff-changed; }
    """
    COMPONENT_CLASSES = {
        "article-view--quote",
        "article-view--quote-variant",
        "article-view--quote-current",
        "article-view--hit",
        "article-view--hit-current",
        "article-view--removed",
        "article-view--removed-reason",
        "article-view--title",
        "article-view--fallback",
        "article-view--meta",
        "article-view--added",
        "article-view--changed",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.raw = False

    def compose(self) -> ComposeResult:
        yield ArticleHeader(id="article-header")
        yield ArticleNote(id="article-note")
        yield BodyView(id="body")

    @property
    def body(self) -> BodyView:
        return self.query_one(BodyView)

    def styles_map(self) -> Styles:
        def style(name: str) -> Style:
            return self.get_component_rich_style(f"article-view--{name}", partial=True)

        names = ("quote", "quote-variant", "quote-current", "hit", "hit-current", "removed", "removed-reason",
                 "title", "fallback", "meta", "added", "changed")
        return {n: style(n) for n in names}

    def show_empty(self, message: str) -> None:
        """No article: show ``message`` (what to do next)."""
        self.article = None
        self.query_one(ArticleHeader).update(Text(""), layout=False)
        self.show_note("")
        self.body.set_text(Text(inert(message), style="italic"))  # messages name paths and errors

    def show(
        self,
        article: Article,
        *,
        raw: bool,
        quotes: list[QuoteMark],
        variant_flags: list[bool],
        current_quote: int | None,
        hits: list[tuple[int, int]],
        current_hit: int | None,
        hit_label: str = "",
        keep_scroll: bool = False,
    ) -> None:
        """Render ``article`` with the given marks (cheap: only visible lines are painted)."""
        styles = self.styles_map()
        self.article = article
        self.raw = raw
        self.query_one(ArticleHeader).update(self._header(article, styles, raw, hit_label, len(quotes)), layout=False)
        if raw:
            text = raw_text(article, styles)
        else:
            text = body_text(article, quotes, variant_flags, current_quote, hits, current_hit, styles)
        self.body.set_text(text, keep_scroll=keep_scroll)

    def show_copy_changes(self, article: Article, original: Article, summary: str, blocks: list,
                          keep_scroll: bool = False) -> None:
        """Show copy ``article`` as what it changed against ``original`` (see ``copy_changes_text``)."""
        styles = self.styles_map()
        self.article = article
        self.raw = False
        self.query_one(ArticleHeader).update(self._header(article, styles, False, "", 0), layout=False)
        self.body.set_text(copy_changes_text(original, summary, blocks, styles), keep_scroll=keep_scroll)

    def show_note(self, note: str) -> None:
        """The analyst's note on the open article (empty: none)."""
        self.query_one(ArticleNote).show_note(note)

    def _header(self, article: Article, styles: Styles, raw: bool, hit_label: str, n_quotes: int) -> Text:
        head = Text(end="", no_wrap=True, overflow="ellipsis")
        if article.title:
            head.append(inert_line(article.title), styles["title"])
        else:
            head.append(fallback_title(article, 12), styles["fallback"])
            head.append("  (no title found)", styles["meta"])
        from briefreader.core.metadata import metadata_parts  # cleaning's modules: not before the first paint

        parts = metadata_parts(article)
        head.append("\n")
        head.append(inert_line(" · ".join(parts)) if parts else "outlet, place and date unknown", styles["meta"])
        info = [inert_line(article.id), f"{article.words} words"]
        if n_quotes:
            info.append(f"{n_quotes} quotes")
        if raw:
            info.append(f"RAW: {len(article.removed)} removed blocks")
        head.append("\n")
        if hit_label:  # first on the line: a long file name must never cut it off
            head.append(hit_label, styles["hit-current"])
            head.append("  ")
        head.append("  ".join(info), styles["meta"])
        return head
