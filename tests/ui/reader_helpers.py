"""Helpers shared by the reader tests: waiting, what the screen shows, the reader's state and saved triage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefreader.storage.triage_store import TriageStore
    from briefreader.tui.app import ReaderApp
    from briefreader.tui.reader_state import ReaderState
    from briefreader.tui.screens.reader import ReaderScreen


def screen_of(app: ReaderApp) -> ReaderScreen:
    """The reader screen (what the reader shows and its actions)."""
    return app.reader


def state(app: ReaderApp) -> ReaderState:
    """The reader's state: the open article, selection, query, sort, layout, marked set."""
    return app.reader.state


def saved(app: ReaderApp) -> TriageStore:
    """The triage store the reader writes to (for what is saved, and for writes "from elsewhere")."""
    return app.services.workspace.store


def notices(app: ReaderApp) -> list[Any]:
    """The notifications shown (Textual keeps them in a private list; read in this one place)."""
    return list(app._notifications)


async def triage_idle(app: ReaderApp) -> None:
    """Wait until every queued triage write is done and its outcome shown."""
    await app.reader.triage.idle()


async def settle(pilot) -> None:
    """Wait until loading, indexing, quote analysis and searches are done and the screen is drawn."""
    from contextlib import suppress

    from textual.worker import WorkerCancelled

    app = pilot.app
    for _ in range(50):
        with suppress(WorkerCancelled):  # a search replaced by a newer one (exclusive group): done, look again
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
    await triage_idle(app)  # triage jobs run on their own writer thread
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

    screen = screen_of(pilot.app)
    table = screen.article_list
    assert isinstance(table, ArticleList)
    for row in range(table.row_count):
        table.move_cursor(row=row)
        await pilot.pause()
        for i, mark in enumerate(screen.article_quotes()):
            if screen.quotes is not None and screen.quotes.has_variants(mark):
                screen.navigator.select(i)
                await pilot.pause()
                return
    pytest.fail("sample corpus has no quotation shared between articles")
