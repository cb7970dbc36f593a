"""Two reader commands that leave the article view: the timeline (L) and opening the source (o)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefreader.tui.screens.reader import ReaderScreen


def open_timeline(screen: ReaderScreen) -> None:
    """L: when each outlet ran the selected quotation, or the article's story or copy group."""
    from briefreader.core.copies import timeline
    from briefreader.tui.screens.timeline import TimelineScreen

    state, corpus = screen.state, screen.corpus
    current = state.current_id
    if corpus is None or current is None:
        return
    analysis = screen.copies.analysis
    ids: list[str] = []
    what = ""
    mark, cluster = screen.navigator.selected_mark(), screen.navigator.selected_cluster()
    if mark is not None and cluster is not None and len(cluster.articles) > 1:
        ids = list(cluster.articles)
        what = f"quotation: “{mark.text[:90]}”"
    if not ids and analysis is not None:
        story = analysis.story_of(current)
        group = analysis.group_of(current)
        if story is not None:
            ids, what = story.articles, f"story: {story.label}"
        elif group is not None:
            ids, what = group.members, "copy group"
    if not ids:
        screen.notify("No quotation selected, and this article is in no story or copy group"
                      + ("" if analysis is not None else " (copies are still being found)") + ".", timeout=3)
        return
    entries = timeline(corpus.articles, ids, analysis)

    def opened(article_id: str | None) -> None:
        if article_id is None:
            return
        table = screen.article_list
        if not table.select_id(article_id):
            if screen.copies.group_of(article_id):
                screen.copies.toggle_group(article_id)
            screen.lists.relist(keep=article_id)
            table.select_id(article_id)

    screen.app.push_screen(TimelineScreen(what, entries), opened)


def open_source(screen: ReaderScreen) -> None:
    """o: open the article's URL when it is an http(s) address, else its own file (never anything
    else: the URL comes from the corpus, see :mod:`briefreader.core.urls`)."""
    from briefreader.core.inert import inert_line
    from briefreader.core.urls import article_file_uri, safe_http_url

    article = screen.current_article()
    if article is None:
        return
    web = safe_http_url(article.url)
    if web is not None:
        screen.app.open_url(web)
        screen.notify(f"Opening {web}", timeout=2)
        return
    refused = f"The URL “{inert_line(article.url)}” is not an http(s) address: not opened. " if article.url else ""
    file_uri = article_file_uri(screen.services.root, article.path)
    if file_uri is None:
        screen.notify(refused + f"The file {article.path} is not inside the corpus folder: not opened.",
                      title="Open", severity="warning", timeout=6)
        return
    screen.app.open_url(file_uri)
    screen.notify(refused + f"Opening the file {article.path}", severity="warning" if refused else "information",
                  timeout=6 if refused else 2)


__all__ = ["open_source", "open_timeline"]
