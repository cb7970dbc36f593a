"""Where the analyst was: saved every few seconds and at quit, restored at the next start.

Part of the triage controller (the position is saved in the triage store, through its queue).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefreader.core.triage_model import ResumeState
    from briefreader.workspace import Workspace
    from briefreader.tui.triage.controller import TriageController

log = logging.getLogger(__name__)

Position = tuple[str | None, str, float, str, bool]  # article, filter, scroll, sort key, reverse


class ReadingPosition:
    """The reading position of one reader screen: the article, the search, the scroll, the sort."""

    def __init__(self, triage: TriageController) -> None:
        self.triage = triage
        self.host = triage.host
        self.state = triage.state
        self.resume: ResumeState | None = None  # as read when the store opened
        self._resumed = False
        self._saved_position: Position | None = None
        self._pending_scroll: tuple[str, float | None, int | None] | None = None
        self._resume_waits_search = False  # the restored filter's results are still to come
        self._scroll_attempts = 0

    def try_resume(self) -> None:
        """Once the corpus and the store are both there: back to the last article, filter and scroll."""
        from briefreader.core.inert import inert_line
        from briefreader.tui.widgets.article_list import SORT_KEYS

        if self._resumed or not self.triage.is_open or self.host.corpus is None:
            return
        self._resumed = True
        resume = self.resume
        if resume is None or (not resume.article_id and not resume.filter):
            return
        extra = resume.extra or {}
        sort = extra.get("sort")
        if sort in SORT_KEYS and (sort, bool(extra.get("reverse"))) != (self.state.sort_key, self.state.sort_reverse):
            self.state.sort_key, self.state.sort_reverse = sort, bool(extra.get("reverse"))
            self.host.resort()
        article = self.host.article(resume.article_id) if resume.article_id else None
        if article is not None:
            self._pending_scroll = (article.id, resume.scroll, None)
            if self.state.current_id == article.id:
                self.apply_pending_scroll()
            else:
                self.host.article_list.select_id(article.id)
        if resume.filter:
            self._resume_waits_search = True  # showing the results resets the scroll: restore it after
            # the state file may have travelled with the corpus: the filter is made inert
            self.host.search.open_with(inert_line(resume.filter))
        where = f"“{self.triage.describe([article.id])}”" if article is not None else "the list"
        self.host.notify(f"Back at {where}" + (f" with the search “{resume.filter}”" if resume.filter else ""),
                         timeout=3)
        self._saved_position = self._position()

    def scroll_to(self, article_id: str, offset: int | None) -> None:
        """Scroll the body to ``offset`` once ``article_id`` is shown (now if it is)."""
        self._pending_scroll = (article_id, None, offset)
        if self.state.current_id == article_id:
            self.apply_pending_scroll()

    def apply_pending_scroll(self) -> None:
        pending = self._pending_scroll
        if pending is None or pending[0] != self.state.current_id or self._resume_waits_search:
            return
        self._pending_scroll = None
        _, y, offset = pending
        body = self.host.body
        if offset is not None:
            body.scroll_to_offset(offset)
        elif y:
            body.scroll_to(y=y, animate=False, immediate=True)
            if body.scroll_offset.y + 0.5 < y and self._scroll_attempts < 20:
                # the body is not laid out yet (its height is still unknown): try again shortly
                self._scroll_attempts += 1
                self._pending_scroll = pending
                self.host.set_timer(0.05, self.apply_pending_scroll)

    def search_settled(self) -> None:
        """A search finished (or failed): a resumed scroll position waiting for it applies now."""
        if self._resume_waits_search:
            self._resume_waits_search = False
            self.host.set_timer(0.05, self.apply_pending_scroll)

    def _position(self) -> Position | None:
        if not self.host.has_main_ui():
            return None
        state = self.state
        return (state.current_id, state.search_query, float(self.host.body.scroll_offset.y), state.sort_key,
                state.sort_reverse)

    def save(self, *, now: bool = False) -> None:
        """Remember where the analyst is (when it changed); ``now`` saves on this thread (at quit)."""
        if not self.triage.is_open or not self._resumed:
            return
        position = self._position()
        if position is None or position == self._saved_position or (position[0] is None and not position[1]):
            return
        self._saved_position = position
        aid, query, y, sort, reverse = position

        def job(workspace: Workspace) -> None:
            workspace.save_resume(aid, query, y, {"sort": sort, "reverse": reverse})

        if not now:
            self.triage.submit(job, None, what="saving the reading position")
            return
        try:
            job(self.triage.services.workspace)
        except Exception as exc:  # the reader is closing: the log keeps it, the next start is at the top
            log.warning("the reading position was not saved at quit: %s", exc)
            self.host.notify(f"The reading position was not saved: {exc}", severity="warning", timeout=4)


__all__ = ["Position", "ReadingPosition"]
