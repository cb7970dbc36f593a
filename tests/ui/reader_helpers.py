"""Helpers shared by the reader tests."""

from __future__ import annotations


async def settle(pilot) -> None:
    """Wait until loading, indexing, quote analysis and searches are done and the screen is drawn."""
    app = pilot.app
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
    idle = getattr(app, "triage_idle", None)  # triage jobs run on their own writer thread
    if idle is not None:
        await idle()
    await pilot.pause()


def screen_text(app: ReaderApp) -> str:
    """Everything the screen shows, as plain text (from the SVG export's text nodes)."""
    import html
    import re

    svg = app.export_screenshot()
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    text = html.unescape(" ".join(parts)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text)


async def goto_shared_quote(pilot) -> None:
    """Move the list and the quote cursor to a quotation that other articles render too."""
    import pytest

    from briefreader.tui.widgets.article_list import ArticleList

    app = pilot.app
    table = app.query_one(ArticleList)
    for row in range(table.row_count):
        table.move_cursor(row=row)
        await pilot.pause()
        for i, mark in enumerate(app.article_quotes()):
            if app.quotes.has_variants(mark):
                app.select_quote(i)
                await pilot.pause()
                return
    pytest.fail("sample corpus has no quotation shared between articles")
