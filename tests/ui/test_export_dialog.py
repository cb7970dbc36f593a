"""The reader's export dialog (issue 14): a rendered preview with a raw toggle, the send/archive
choice, the reader's ignore-punctuation choice, and links in the preview that never open a file."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import screen_of, settle, state, triage_idle
from textual.widgets import Markdown, Static

from briefreader.storage.triage_store import open_store
from briefreader.tui.app import ReaderApp
from briefreader.tui.triage.export_screen import ExportScreen

SIZE = (120, 40)


async def idle(pilot) -> None:
    await settle(pilot)
    await triage_idle(pilot.app)
    await pilot.pause()


def _triage(root: Path, app: ReaderApp) -> str:
    """One kept, highlighted, noted article; returns its id."""
    article = sorted(screen_of(app).corpus.articles, key=lambda a: a.id)[0]
    with open_store(root) as store:
        store.set_status([article.id], "keep")
        store.set_note(article.id, "private remark for the desk")
        words = article.body.split()
        passage = " ".join(words[5:15])
        start = article.body.index(passage)
        store.add_highlight(article, start, start + len(passage), comment="why it matters")
    return article.id


async def test_preview_is_rendered_with_a_raw_toggle_and_a_profile_choice(sample_corpus: Path, isolated_home: Path,
                                                                          tmp_path: Path) -> None:
    app = ReaderApp(sample_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        _triage(sample_corpus, app)
        state(app).diff_ignore_punct = True  # the reader's i toggle carries over to the brief
        await pilot.press("e")
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert screen.options.profile == "send" and screen.options.ignore_punct
        rendered = screen.query_one("#export-preview-md", Markdown)
        raw = screen.query_one("#export-preview", Static)
        assert rendered.display and not raw.display
        assert "why it matters" in screen.preview_markdown
        assert "private remark" not in screen.preview_text and "status:" not in screen.preview_text
        await pilot.press("ctrl+t")
        await idle(pilot)
        assert raw.display and not rendered.display
        await pilot.press("ctrl+o")  # archive: everything, notes and statuses included
        await idle(pilot)
        assert screen.options.profile == "archive"
        assert "private remark" in screen.preview_text and "status: keep" in screen.preview_text
        await pilot.press("ctrl+f", "ctrl+f")  # md -> json -> html
        await idle(pilot)
        assert screen.options.fmt == "html" and screen.query_one("#export-output").value.endswith(".html")
        assert screen.preview_text.startswith("<!DOCTYPE html>") and screen.preview_markdown.startswith("# Brief")
        out = tmp_path / "brief.html"
        screen.query_one("#export-output").value = str(out)
        await idle(pilot)
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert out.read_text(encoding="utf-8") == screen.preview_text


async def test_links_in_the_preview_open_only_web_addresses(sample_corpus: Path, isolated_home: Path) -> None:
    app = ReaderApp(sample_corpus)
    opened: list[str] = []
    app.open_url = lambda url, **_kw: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        _triage(sample_corpus, app)
        await pilot.press("e")
        await idle(pilot)
        screen = app.screen
        preview = screen.query_one("#export-preview-md", Markdown)
        assert "[saved copy](" in screen.preview_markdown  # the file link of an article without a URL
        for href in ("file:///etc/passwd", "anadolu-kallas-trap-territory.txt", "javascript:alert(1)"):
            preview.post_message(Markdown.LinkClicked(preview, href))
            await idle(pilot)
        assert opened == []
        assert "Not opened" in str(screen.query_one("#export-status").render())
        preview.post_message(Markdown.LinkClicked(preview, "https://example.org/story"))
        await idle(pilot)
        assert opened == ["https://example.org/story"]
