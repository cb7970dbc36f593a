"""Triage, highlights and export in the reader: the actions behind the keys, as a mixin of the app.

Everything is done by :mod:`briefreader.core.triage` and :mod:`briefreader.core.export`; this module
only decides *what* to call and shows the outcome. The store is opened once per app in a worker.
Every write goes through one queue drained by a thread worker, in order, and the screen shows an
action as done (mark, notice) only after the store committed it, so nothing shown is ever lost.
A refused store (damaged, newer) or a busy one leaves the reader working without triage, with a
notice saying why; a read-only corpus's per-user location is reported at start.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from rich.style import Style
from textual import work
from textual.message import Message

from briefreader.tui.triage.selection import Selection, TextUnits

if TYPE_CHECKING:
    from briefreader.core.model import Article
    from briefreader.core.triage import ArticleState, Highlight, ResumeState, TriageStore

#: The list's mark for each status (the second of the three mark cells).
STATUS_MARKS = {"new": "•", "read": " ", "keep": "★", "discard": "✗", "follow-up": "⚑"}
MARKED = "▸"  # first cell: in the marked set (bulk actions)
ANNOTATED = "✎"  # third cell: the article has tags, a note or highlights
RESUME_EVERY_SECONDS = 2.0  # how often the reading position is saved when it changed
ELSEWHERE_EVERY_SECONDS = 3.0  # how often another process's changes are looked for


class TriageOpened(Message):
    def __init__(self, store: Any, states: dict[str, Any], tags: list[str], resume: Any) -> None:
        self.store, self.states, self.tags, self.resume = store, states, tags, resume
        super().__init__()


class TriageFailed(Message):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__()


class TriageDone(Message):
    """A queued triage job finished: ``done(result)`` runs on the UI thread (or the error is shown)."""

    def __init__(self, done: Callable[[Any], None] | None, result: Any, error: BaseException | None, what: str,
                 on_error: Callable[[str], None] | None = None) -> None:
        self.done, self.result, self.error, self.what, self.on_error = done, result, error, what, on_error
        super().__init__()


def _error_text(exc: BaseException, what: str) -> str:
    from briefreader.core.export import ExportError
    from briefreader.core.paths import ExportTargetError
    from briefreader.core.triage import TriageError

    if isinstance(exc, (TriageError, ExportError, ExportTargetError)):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{what}: {exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
    return f"{what} failed ({type(exc).__name__}: {exc})"


def is_untouched(state: ArticleState) -> bool:
    return state.status == "new" and not state.tags and not state.note and not state.highlights


class TriageMixin:
    """Mixed into :class:`briefreader.tui.app.ReaderApp` (which provides the list, body, search, corpus)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.triage_store: TriageStore | None = None
        self.triage_problem: str | None = "triage: opening…"  # why triage is off (None when on)
        self.triage_states: dict[str, ArticleState] = {}  # touched articles only; others are new
        self.triage_marked: dict[str, None] = {}  # the marked set, in marking order
        self.triage_tags: list[str] = []  # tags in use, most used first (for completion)
        self.visual: Selection | None = None
        self.visual_article: str | None = None
        self._triage_hl: dict[str, list[Highlight]] = {}
        self._triage_hl_pending: set[str] = set()
        self._triage_jobs: deque[tuple[Callable[[Any], Any], Any, str, Any]] = deque()
        self._triage_lock = threading.Lock()
        self._triage_draining = False
        self._triage_resume: ResumeState | None = None
        self._triage_resumed = False
        self._triage_saved_position: tuple[Any, ...] | None = None
        self._triage_pending_scroll: tuple[str, float | None, int | None] | None = None
        self._triage_resume_waits_search = False  # the restored filter's results are still to come
        self._triage_scroll_attempts = 0
        self._triage_styles: tuple[str, Style, Style] | None = None
        super().__init__(*args, **kwargs)

    # ------------------------------------------------------------------ opening the store

    def on_mount(self) -> None:
        from briefreader.tui.widgets.article_list import ArticleList

        self.query_one(ArticleList).mark_for = self.triage_mark_for  # type: ignore[attr-defined]
        self._visual_bar()  # mounted now, so v can focus it at once
        self._triage_open()

    @work(thread=True, exclusive=True, group="triage-open", exit_on_error=False)
    def _triage_open(self) -> None:
        from briefreader.core.triage import TriageError, open_store

        try:
            store = open_store(self.root)  # type: ignore[attr-defined]
            states = store.states()
            tags = store.complete_tag("")
            resume = store.resume_state()
        except TriageError as exc:
            self.post_message(TriageFailed(str(exc)))
            return
        except Exception as exc:  # a disk problem: the reader goes on without triage
            self.post_message(TriageFailed(f"cannot open the triage state ({type(exc).__name__}: {exc})"))
            return
        self.post_message(TriageOpened(store, states, tags, resume))

    def on_triage_opened(self, event: TriageOpened) -> None:
        if getattr(self, "_exit", False):
            event.store.close()
            return
        self.triage_store = event.store
        self.triage_problem = None
        self.triage_states = event.states
        self.triage_tags = event.tags
        self._triage_resume = event.resume
        store = event.store
        note = store.location_notice()
        if note:
            self.notify(note[:1].upper() + note[1:], title="Triage", severity="warning", timeout=10)
        self._triage_refresh_marks(())  # rows drawn before the store was open have no status mark yet
        self.set_interval(RESUME_EVERY_SECONDS, self._triage_save_position)
        self.set_interval(ELSEWHERE_EVERY_SECONDS, self._triage_check_elsewhere)
        self._triage_try_resume()
        self.render_article(keep_scroll=True)  # type: ignore[attr-defined]
        self.update_status()  # type: ignore[attr-defined]

    def on_triage_failed(self, event: TriageFailed) -> None:
        self.triage_problem = f"triage off: {event.message}"
        self.notify(f"{event.message}\nReading and search work; marks, tags, notes, highlights and export are off.",
                    title="Triage is off", severity="error", timeout=15)
        self.update_status()  # type: ignore[attr-defined]

    def on_corpus_loaded(self, event: Message) -> None:
        self._triage_try_resume()

    # ------------------------------------------------------------------ the write queue

    def triage_submit(self, job: Callable[[TriageStore], Any], done: Callable[[Any], None] | None = None, *,
                      what: str = "triage", on_error: Callable[[str], None] | None = None) -> bool:
        """Run ``job(store)`` on the writer thread (in submission order); ``done(result)`` on the UI thread."""
        if self.triage_store is None:
            self.notify(self.triage_problem or "triage is off", title="Triage", severity="warning", timeout=4)
            return False
        with self._triage_lock:
            self._triage_jobs.append((job, done, what, on_error))
            start = not self._triage_draining
            self._triage_draining = True
        if start:
            self._triage_drain()
        return True

    @work(thread=True, group="triage-write", exit_on_error=False)
    def _triage_drain(self) -> None:
        while True:
            with self._triage_lock:
                if not self._triage_jobs:
                    self._triage_draining = False
                    return
                job, done, what, on_error = self._triage_jobs.popleft()
            store = self.triage_store
            try:
                result, error = job(store), None
            except Exception as exc:
                result, error = None, exc
            self.post_message(TriageDone(done, result, error, what, on_error))

    def on_triage_done(self, event: TriageDone) -> None:
        if not self._has_main_ui():  # type: ignore[attr-defined]
            return
        if event.error is not None:
            text = _error_text(event.error, event.what)
            if event.on_error is not None:
                event.on_error(text)
            else:
                self.notify(text, title="Not saved", severity="error", timeout=8)
            return
        if event.done is not None:
            event.done(event.result)

    # ------------------------------------------------------------------ marks in the list

    def triage_state(self, article_id: str) -> ArticleState:
        from briefreader.core.triage import ArticleState

        return self.triage_states.get(article_id) or ArticleState(article_id)

    def triage_mark_for(self, article_id: str) -> str:
        """The three mark cells of a list row: marked, status, annotated."""
        st = self.triage_states.get(article_id)
        sel = MARKED if article_id in self.triage_marked else " "
        if self.triage_store is None:
            return sel.strip() and sel
        status = STATUS_MARKS.get(st.status if st else "new", " ")
        annotated = ANNOTATED if st and (st.tags or st.note or st.highlights) else " "
        mark = f"{sel}{status}{annotated}"
        return mark if mark.strip() else ""

    def _triage_refresh_marks(self, ids: Any) -> None:
        """Redraw the mark column (the list draws each visible row's mark from ``triage_mark_for``,
        so any number of changed articles costs one refresh)."""
        from briefreader.tui.widgets.article_list import ArticleList

        if not self._has_main_ui():  # type: ignore[attr-defined]
            return
        self.query_one(ArticleList).refresh_marks()  # type: ignore[attr-defined]

    def _triage_apply_states(self, states: dict[str, ArticleState], *, replace_all: bool = False) -> None:
        """Take fresh states from the store (of the given ids, or of every touched article)."""
        changed: set[str] = set()
        if replace_all:
            old = self.triage_states
            changed = {a for a in set(old) | set(states) if old.get(a) != states.get(a)}
            self.triage_states = {a: s for a, s in states.items() if not is_untouched(s)}
        else:
            for aid, st in states.items():
                if self.triage_states.get(aid) != st:
                    changed.add(aid)
                if is_untouched(st):
                    self.triage_states.pop(aid, None)
                else:
                    self.triage_states[aid] = st
        self._triage_refresh_marks(changed)
        if self.current_id in changed:  # type: ignore[attr-defined]
            self.refresh_note()  # type: ignore[attr-defined]  # the note shown under the header
        self.update_status()  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ which articles an action is for

    def triage_targets(self) -> list[str]:
        """The marked set if there is one, else the article under the cursor."""
        if self.triage_marked:
            return list(self.triage_marked)
        current = self.current_id  # type: ignore[attr-defined]
        return [current] if current else []

    def _describe_targets(self, ids: list[str]) -> str:
        if len(ids) == 1:
            article = self.corpus.get(ids[0]) if self.corpus is not None else None  # type: ignore[attr-defined]
            if article is not None and not article.title:
                from briefreader.tui.render import fallback_title

                return fallback_title(article, 7)
            title = (article.title if article else None) or ids[0]
            return title if len(title) <= 50 else title[:49] + "…"
        return f"{len(ids)} marked articles"

    def _states_job(self, ids: list[str], change: Callable[[TriageStore], Any]) -> Callable[[TriageStore], Any]:
        def job(store: TriageStore) -> tuple[Any, dict[str, ArticleState], list[str]]:
            entry = change(store)
            return entry, store.states(ids), store.complete_tag("")
        return job

    def _after_change(self, notice: str) -> Callable[[Any], None]:
        def done(result: tuple[Any, dict[str, ArticleState], list[str]]) -> None:
            entry, states, tags = result
            self.triage_tags = tags
            self._triage_apply_states(states)
            if entry is not None and getattr(entry, "changed", True):
                self.notify(notice + " · u undoes", timeout=3)
            else:
                self.notify(notice + " (no change)", timeout=2)
        return done

    # ------------------------------------------------------------------ status

    def action_triage_status(self, status: str) -> None:
        """Set ``status`` on the marked set or the current article (again on the same status: back to read)."""
        ids = self.triage_targets()
        if not ids:
            return
        target = status
        if status not in ("new", "read") and all(self.triage_state(a).status == status for a in ids):
            target = "read"  # pressing keep on a kept article un-keeps it
        what = self._describe_targets(ids)
        self.triage_submit(self._states_job(ids, lambda s: s.set_status(ids, target)),
                           self._after_change(f"{target}: {what}"), what="setting the status")

    def triage_mark_read(self, article_id: str | None) -> None:
        """The article was opened: new -> read (an automatic action that undo skips)."""
        if not article_id or self.triage_store is None or self.triage_state(article_id).status != "new":
            return

        def done(result: tuple[Any, dict[str, ArticleState], list[str]]) -> None:
            self._triage_apply_states(result[1])

        self.triage_submit(self._states_job([article_id], lambda s: s.mark_read(article_id)), done,
                           what="marking read")

    def on_article_list_article_opened(self, event: Message) -> None:
        self.triage_mark_read(getattr(event, "article_id", None))

    def on_descendant_focus(self, event: Message) -> None:
        from briefreader.tui.widgets.body_view import BodyView

        if isinstance(getattr(event, "widget", None), BodyView):
            self.triage_mark_read(self.current_id)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ the marked set

    def action_triage_toggle_mark(self) -> None:
        """space: mark/unmark the article under the cursor for a bulk action, then move down."""
        from briefreader.tui.widgets.article_list import ArticleList

        table = self.query_one(ArticleList)  # type: ignore[attr-defined]
        aid = table.current_id or self.current_id  # type: ignore[attr-defined]  # the cursor may be ahead of the body
        if not aid:
            return
        if aid in self.triage_marked:
            del self.triage_marked[aid]
        else:
            self.triage_marked[aid] = None
        self._triage_refresh_marks([aid])
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1, animate=False)
        self.update_status()  # type: ignore[attr-defined]

    def action_triage_mark_all(self) -> None:
        """Mark every article of the current list (all results of the search), or clear the marks."""
        from briefreader.tui.widgets.article_list import ArticleList

        if self.triage_marked:
            n = len(self.triage_marked)
            old = list(self.triage_marked)
            self.triage_marked = {}
            self._triage_refresh_marks(old)
            self.notify(f"Cleared {n} mark(s).", timeout=2)
            self.update_status()  # type: ignore[attr-defined]
            return
        shown = self.listed_ids()  # type: ignore[attr-defined]  # folded copies included
        query = self.search_query  # type: ignore[attr-defined]
        if query and self.search_total > len(shown):  # type: ignore[attr-defined]
            self._triage_all_results(query)
            return
        self._triage_mark_ids(shown, "every article in the list" if not query else "every result")

    def _triage_mark_ids(self, ids: list[str], what: str) -> None:
        self.triage_marked = dict.fromkeys(ids)
        self._triage_refresh_marks(ids)
        self.notify(f"Marked {len(ids)}: {what}. Status, tag and export keys now act on them; A clears.", timeout=4)
        self.update_status()  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="triage-results", exit_on_error=False)
    def _triage_all_results(self, query: str) -> None:
        try:
            ids = self.triage_result_ids(query)
        except Exception as exc:
            self.post_message(TriageDone(None, None, exc, "finding every result"))
            return
        self.post_message(TriageDone(lambda r: self._triage_mark_ids(r, f"all results of “{query}”"), ids, None, ""))

    # ------------------------------------------------------------------ tags and notes

    def action_triage_tag(self) -> None:
        """Add tags (with completion from the tags already used) to the marked set or the current article."""
        from briefreader.tui.triage.prompt import Field, PromptScreen

        ids = self.triage_targets()
        if not ids or not self._triage_ready():
            return
        have = sorted({t for a in ids for t in self.triage_state(a).tags}, key=str.casefold)
        context = f"{self._describe_targets(ids)}" + (f" · tagged: {', '.join(have)}" if have else "")

        def submitted(values: dict[str, str] | None) -> None:
            from briefreader.core.triage import normalize_tags

            tags = normalize_tags(values["tags"]) if values else []
            if not tags:
                return
            self.triage_submit(self._states_job(ids, lambda s: s.add_tags(ids, tags)),
                               self._after_change(f"tagged {', '.join(tags)}: {self._describe_targets(ids)}"),
                               what="tagging")

        self.push_screen(PromptScreen("Add tags", [Field("tags", "Tags (comma-separated)", tags=True,  # type: ignore[attr-defined]
                                                         placeholder="sanctions, ceasefire")],
                                      known_tags=lambda: self.triage_tags, context=context), submitted)

    def action_triage_untag(self) -> None:
        """Remove tags from the marked set or the current article (completion from their tags)."""
        from briefreader.tui.triage.prompt import Field, PromptScreen

        ids = self.triage_targets()
        if not ids or not self._triage_ready():
            return
        have = sorted({t for a in ids for t in self.triage_state(a).tags}, key=str.casefold)
        if not have:
            self.notify("No tags to remove here.", timeout=2)
            return

        def submitted(values: dict[str, str] | None) -> None:
            from briefreader.core.triage import normalize_tags

            tags = normalize_tags(values["tags"]) if values else []
            if not tags:
                return
            self.triage_submit(self._states_job(ids, lambda s: s.remove_tags(ids, tags)),
                               self._after_change(f"untagged {', '.join(tags)}: {self._describe_targets(ids)}"),
                               what="removing tags")

        self.push_screen(PromptScreen("Remove tags", [Field("tags", "Tags to remove", value=have[0] if len(have) == 1 else "",  # type: ignore[attr-defined]
                                                            tags=True)],
                                      known_tags=lambda: have, context=f"{self._describe_targets(ids)} · tagged: {', '.join(have)}"),
                         submitted)

    def action_triage_note(self) -> None:
        """Write (or clear) the note of the article under the cursor: several lines, ctrl+s saves."""
        from briefreader.tui.triage.prompt import NoteScreen

        aid = self.current_id  # type: ignore[attr-defined]
        if not aid or not self._triage_ready():
            return
        current = self.triage_state(aid).note

        def submitted(note: str | None) -> None:
            if note is None or note.strip() == current.strip():
                return
            note = note.strip("\n")
            self.triage_submit(self._states_job([aid], lambda s: s.set_note(aid, note)),
                               self._after_change(("note saved: " if note.strip() else "note cleared: ") + self._describe_targets([aid])),
                               what="saving the note")

        self.push_screen(NoteScreen("Note", current, context=self._describe_targets([aid]),  # type: ignore[attr-defined]
                                    keymap=self.config.keymap), submitted)  # type: ignore[attr-defined]

    def _triage_ready(self) -> bool:
        if self.triage_store is None:
            self.notify(self.triage_problem or "triage is off", title="Triage", severity="warning", timeout=4)
            return False
        return True

    # ------------------------------------------------------------------ undo

    def action_triage_undo(self, screen: Any = None) -> None:
        """Undo the last triage action (status, tags, note, highlight, quote choice), with a notice."""

        def job(store: TriageStore) -> tuple[list[Any], dict[str, ArticleState], list[str]]:
            return store.undo(), store.states(), store.complete_tag("")

        def done(result: tuple[list[Any], dict[str, ArticleState], list[str]]) -> None:
            entries, states, tags = result
            self.triage_tags = tags
            if not entries:
                self.notify("Nothing to undo.", timeout=2)
                return
            self._triage_apply_states(states, replace_all=True)
            self._triage_hl.clear()
            self.render_article(keep_scroll=True)  # type: ignore[attr-defined]
            self.notify("Undone: " + "; ".join(e.describe() for e in entries), timeout=4)
            if screen is not None and screen.is_attached:
                self.triage_load_highlights(screen)

        self.triage_submit(job, done, what="undo")

    # ------------------------------------------------------------------ another process

    def _triage_check_elsewhere(self) -> None:
        if self.triage_store is None or self._triage_draining:
            return

        def job(store: TriageStore) -> Any:
            if not store.changed_elsewhere():
                return None
            return store.states(), store.complete_tag("")

        def done(result: Any) -> None:
            if result is None:
                return
            states, tags = result
            self.triage_tags = tags
            self._triage_apply_states(states, replace_all=True)
            self._triage_hl.clear()
            self.render_article(keep_scroll=True)  # type: ignore[attr-defined]

        self.triage_submit(job, done, what="reading changes")

    # ------------------------------------------------------------------ search filters

    def _triage_split(self, query: str) -> tuple[Any, str]:
        """(filters, text) of a search query; raises QuerySyntaxError for a bad filter."""
        from briefreader.core.search_query import QuerySyntaxError
        from briefreader.core.triage import Filters, TriageError, split_filters

        store = self.triage_store
        try:
            if store is not None and "@" in query:
                query = store.expand_saved(query)
            filters, text = split_filters(query)
        except TriageError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        if filters and store is None:
            raise QuerySyntaxError(f"status:/tag:/has:/note: need the triage state ({self.triage_problem})")
        return filters if filters else Filters(), text

    def triage_text_query(self, query: str) -> str:
        """The full-text part of a search query (triage filters taken out)."""
        try:
            return self._triage_split(query)[1]
        except Exception:
            return query

    def triage_filter_only(self, query: str) -> bool:
        """True when the query has triage filters and no words (it needs no index)."""
        try:
            filters, text = self._triage_split(query)
        except Exception:
            return False
        return bool(filters) and not text

    def triage_search(self, query: str, limit: int, cancelled: Callable[[], bool] | None = None) -> Any:
        """Run a search query with triage filters (``status:keep tag:x words``): the filters pick the
        allowed ids, the words go to the index. Called from the search worker."""
        from briefreader.core.index import Hit, SearchResults

        filters, text = self._triage_split(query)
        if not filters:
            return self.searcher.search(query, limit=limit, snippets=False, cancelled=cancelled,  # type: ignore[attr-defined]
                                        ids_only=True)
        ordered = [a.id for a in self.all_articles]  # type: ignore[attr-defined]
        allowed = self.triage_store.filter_ids(filters, ordered)  # type: ignore[union-attr]
        if text:
            if self.searcher is None:  # type: ignore[attr-defined]
                from briefreader.core.search_query import QuerySyntaxError

                raise QuerySyntaxError("the index is not ready yet: search by words starts when it is")
            return self.searcher.search(text, limit=limit, snippets=False, allowed_ids=set(allowed),  # type: ignore[attr-defined]
                                        cancelled=cancelled, ids_only=True)
        by_id = {a.id: a for a in self.all_articles}  # type: ignore[attr-defined]
        hits = [Hit(aid, by_id[aid].path, 0.0, by_id[aid].title, by_id[aid].outlet, by_id[aid].date, [])
                for aid in allowed[:limit]]
        return SearchResults(query, len(allowed), hits, 1, limit)

    def triage_result_ids(self, query: str) -> list[str]:
        """Every article matching ``query`` (filters and words), not just the first page. In a worker."""
        filters, text = self._triage_split(query)
        ids = [a.id for a in self.all_articles]  # type: ignore[attr-defined]
        if filters:
            ids = self.triage_store.filter_ids(filters, ids)  # type: ignore[union-attr]
        if not text:
            return ids
        if self.searcher is None:  # type: ignore[attr-defined]
            from briefreader.core.search_query import QuerySyntaxError

            raise QuerySyntaxError("the index is not ready yet")
        return self.searcher.matching_ids(text, allowed_ids=set(ids) if filters else None)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ resume

    def _triage_try_resume(self) -> None:
        """Once the corpus and the store are both there: back to the last article, filter and scroll."""
        from briefreader.tui.widgets.article_list import ArticleList
        from briefreader.tui.widgets.search_bar import SearchBar

        if self._triage_resumed or self.triage_store is None or self.corpus is None:  # type: ignore[attr-defined]
            return
        self._triage_resumed = True
        r = self._triage_resume
        if r is None or (not r.article_id and not r.filter):
            return
        extra = r.extra or {}
        sort = extra.get("sort")
        from briefreader.tui.widgets.article_list import SORT_KEYS

        if sort in SORT_KEYS and (sort, bool(extra.get("reverse"))) != (self.sort_key, self.sort_reverse):  # type: ignore[attr-defined]
            self.sort_key, self.sort_reverse = sort, bool(extra.get("reverse"))  # type: ignore[attr-defined]
            self._resort()  # type: ignore[attr-defined]
        table = self.query_one(ArticleList)  # type: ignore[attr-defined]
        article = self.corpus.get(r.article_id) if r.article_id else None  # type: ignore[attr-defined]
        if article is not None:
            self._triage_pending_scroll = (article.id, r.scroll, None)
            if self.current_id == article.id:  # type: ignore[attr-defined]
                self._triage_apply_pending_scroll()
            else:
                table.select_id(article.id)
        if r.filter:
            self._triage_resume_waits_search = True  # showing the results resets the scroll: restore it after
            bar = self.query_one(SearchBar)  # type: ignore[attr-defined]
            bar.open()
            from briefreader.core.inert import inert_line

            bar.input.value = inert_line(r.filter)  # the state file may have travelled with the corpus
            table.focus()
        where = f"“{self._describe_targets([article.id])}”" if article is not None else "the list"
        self.notify(f"Back at {where}" + (f" with the search “{r.filter}”" if r.filter else ""), timeout=3)
        self._triage_saved_position = self._triage_position()

    def _triage_apply_pending_scroll(self) -> None:
        from briefreader.tui.widgets.body_view import BodyView

        pending = self._triage_pending_scroll
        if pending is None or pending[0] != self.current_id or self._triage_resume_waits_search:  # type: ignore[attr-defined]
            return
        self._triage_pending_scroll = None
        _, y, offset = pending
        body = self.query_one(BodyView)  # type: ignore[attr-defined]
        if offset is not None:
            body.scroll_to_offset(offset)
        elif y:
            body.scroll_to(y=y, animate=False, immediate=True)
            if body.scroll_offset.y + 0.5 < y and self._triage_scroll_attempts < 20:
                # the body is not laid out yet (its height is still unknown): try again shortly
                self._triage_scroll_attempts += 1
                self._triage_pending_scroll = pending
                self.set_timer(0.05, self._triage_apply_pending_scroll)

    def on_search_done(self, event: Message) -> None:
        if self._triage_resume_waits_search:
            self._triage_resume_waits_search = False
            self.set_timer(0.05, self._triage_apply_pending_scroll)

    def on_search_failed(self, event: Message) -> None:
        self.on_search_done(event)

    def _triage_position(self) -> tuple[Any, ...]:
        from briefreader.tui.widgets.body_view import BodyView

        if not self._has_main_ui():  # type: ignore[attr-defined]
            return ()
        y = float(self.query_one(BodyView).scroll_offset.y)  # type: ignore[attr-defined]
        return (self.current_id, self.search_query, y, self.sort_key, self.sort_reverse)  # type: ignore[attr-defined]

    def _triage_save_position(self, *, now: bool = False) -> None:
        """Remember where the analyst is (when it changed); ``now`` saves on this thread (at quit)."""
        if self.triage_store is None or not self._triage_resumed:
            return
        pos = self._triage_position()
        if not pos or pos == self._triage_saved_position or (pos[0] is None and not pos[1]):
            return
        self._triage_saved_position = pos
        aid, query, y, sort, reverse = pos

        def job(store: TriageStore) -> None:
            store.save_resume(aid, query, y, {"sort": sort, "reverse": reverse})

        if now:
            try:
                job(self.triage_store)
            except Exception:
                pass
        else:
            self.triage_submit(job, None, what="saving the reading position")

    async def action_quit(self) -> None:
        import asyncio

        # let queued writes finish (a busy store gives up after its own timeout, with a notice)
        deadline = time.monotonic() + 10.0
        while (self._triage_draining or self._triage_jobs) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        self._triage_save_position(now=True)
        await super().action_quit()  # type: ignore[misc]

    # ------------------------------------------------------------------ the open article

    def on_article_list_article_highlighted(self, event: Message) -> None:
        from briefreader.tui.widgets.body_view import BodyView

        if self.visual is not None and self.visual_article != self.current_id:  # type: ignore[attr-defined]
            self._visual_exit()
        self._triage_apply_pending_scroll()
        if isinstance(self.focused, BodyView):  # type: ignore[attr-defined]
            self.triage_mark_read(self.current_id)  # type: ignore[attr-defined]
        self.update_status()  # type: ignore[attr-defined]  # the status line names the article's triage state

    def _highlight_styles(self) -> tuple[Style, Style]:
        theme = getattr(self, "theme", "")
        if self._triage_styles is None or self._triage_styles[0] != theme:
            from briefreader.tui.themes import variable_defaults

            variables = self.get_css_variables()  # type: ignore[attr-defined]
            defaults = variable_defaults(True)
            hl = variables.get("br-highlight", defaults.get("br-highlight", "#4a3d6b"))
            sel = variables.get("br-selection", defaults.get("br-selection", "#2f6f8f"))
            self._triage_styles = (theme, Style(bgcolor=hl, underline=True), Style(bgcolor=sel, bold=True))
        return self._triage_styles[1], self._triage_styles[2]

    def triage_decorate_body(self, article: Article) -> None:
        """Paint the article's highlights (and the visual selection) on the body just rendered."""
        from briefreader.tui.widgets.body_view import BodyView

        if self.raw or self.triage_store is None:  # type: ignore[attr-defined]
            return
        highlights = self._triage_hl.get(article.id)
        if highlights is None:
            if self.triage_state(article.id).highlights:  # none stored: nothing to fetch or re-attach
                self._triage_fetch_highlights(article)
            highlights = []
        visual = self.visual if self.visual_article == article.id else None
        if not highlights and visual is None:
            return
        hl_style, sel_style = self._highlight_styles()
        body = self.query_one(BodyView)  # type: ignore[attr-defined]
        text = body.text
        n = len(text.plain)
        for h in highlights:
            if 0 <= h.start < h.end <= n:
                text.stylize(hl_style, h.start, h.end)
        if visual is not None:
            text.stylize(sel_style, visual.start, min(n, visual.end))
        body.restyle()

    def _triage_fetch_highlights(self, article: Article) -> None:
        if article.id in self._triage_hl_pending:
            return
        self._triage_hl_pending.add(article.id)

        def job(store: TriageStore) -> list[Highlight]:
            return store.highlights_for(article)

        def done(highlights: list[Highlight]) -> None:
            self._triage_hl_pending.discard(article.id)
            self._triage_hl[article.id] = highlights
            if self.current_id == article.id and highlights:  # type: ignore[attr-defined]
                self.render_article(keep_scroll=True)  # type: ignore[attr-defined]

        def failed(message: str) -> None:
            self._triage_hl_pending.discard(article.id)
            self._triage_hl[article.id] = []
            self.notify(f"Highlights not shown: {message}", severity="warning", timeout=5)

        self.triage_submit(job, done, what="reading highlights", on_error=failed)

    # ------------------------------------------------------------------ status line

    def triage_status_parts(self) -> list[str]:
        """The triage part of the status line: state of the current article, the marked set."""
        if self.triage_store is None:
            return [self.triage_problem] if self.triage_problem else []
        parts: list[str] = []
        aid = self.current_id  # type: ignore[attr-defined]
        if aid:
            st = self.triage_state(aid)
            bits = [st.status]
            if st.tags:
                bits.append("#" + " #".join(st.tags))
            if st.note:
                note = " ".join(st.note.split())
                bits.append("note: " + (note if len(note) <= 30 else note[:29] + "…"))
            if st.highlights:
                bits.append(f"{st.highlights} highlight(s)")
            parts.append(" ".join(bits))
        if self.triage_marked:
            parts.append(f"{len(self.triage_marked)} marked")
        if not self.triage_store.in_corpus:
            parts.append("triage in user folder")
        return parts

    # ------------------------------------------------------------------ visual mode

    def _visual_bar(self) -> Any:
        from briefreader.tui.triage.visual import VisualBar
        from briefreader.tui.widgets.article_view import ArticleView

        view = self.query_one(ArticleView)  # type: ignore[attr-defined]
        bars = view.query(VisualBar)
        if bars:
            return bars.first()
        bar = VisualBar("", id="visual-bar")
        view.mount(bar)
        return bar

    def action_triage_visual(self, unit: str = "word") -> None:
        """v: select a passage in the body (from the selected quotation, search hit or top line)."""
        from briefreader.tui.widgets.body_view import BodyView

        article = self.current_article()  # type: ignore[attr-defined]
        if article is None:
            return
        if self.raw:  # type: ignore[attr-defined]
            self.notify("Highlights are made in the clean view (press r).", timeout=3)
            return
        if not self._triage_ready():
            return
        self.show_article_pane()  # type: ignore[attr-defined]  # the list may be full width
        body = self.query_one(BodyView)  # type: ignore[attr-defined]
        offset = None
        quotes = self.article_quotes()  # type: ignore[attr-defined]
        if self.current_quote is not None and self.current_quote < len(quotes):  # type: ignore[attr-defined]
            offset = quotes[self.current_quote].start  # type: ignore[attr-defined]
        elif self.current_hit is not None and self.hits:  # type: ignore[attr-defined]
            offset = self.hits[self.current_hit][0]  # type: ignore[attr-defined]
        if offset is None or not (body.scroll_offset.y <= body.line_of(offset) < body.scroll_offset.y + body.size.height):
            offset = self._first_visible_offset(body)
        selection = Selection.at(TextUnits(article.body), offset)
        if selection is None:
            self.notify("Nothing to select in this article.", timeout=2)
            return
        self.visual, self.visual_article = selection, article.id
        if unit == "paragraph":
            selection.select_paragraph()
        bar = self._visual_bar()
        bar.add_class("-active")
        bar.display = True  # at once (not at the next style update), so it can take the focus now
        self.screen.set_focus(bar)  # type: ignore[attr-defined]  # now, not after keys already typed
        self._visual_changed()

    def _first_visible_offset(self, body: Any) -> int:
        for dy in range(max(1, body.size.height)):
            off = body.offset_at(0, dy)
            if off is not None:
                return off
        return 0

    def _visual_changed(self, *, scroll: bool = True) -> None:
        from rich.text import Text

        from briefreader.tui.widgets.body_view import BodyView

        sel = self.visual
        if sel is None:
            return
        self.render_article(keep_scroll=True)  # type: ignore[attr-defined]
        if scroll:
            body = self.query_one(BodyView)  # type: ignore[attr-defined]
            body.scroll_to_offset(sel.end, center=False)
        from briefreader.core.inert import inert_line

        excerpt = " ".join(sel.text.split())
        if len(excerpt) > 70:
            excerpt = excerpt[:34] + " … " + excerpt[-34:]
        excerpt = inert_line(excerpt)
        line = Text()
        line.append(" VISUAL ", style="reverse bold")
        line.append(f" {sel.words} word(s): “{excerpt}”\n", style="")
        line.append("w/b word · )/( sentence · }/{ paragraph · s/p whole sentence/paragraph · \" quotation · "
                    "j/k line · enter highlight · esc cancel", style="dim")
        self._visual_bar().update(line)

    def _visual_exit(self) -> None:
        from briefreader.tui.widgets.body_view import BodyView

        self.visual = None
        self.visual_article = None
        bar = self._visual_bar()
        was_focused = self.focused is bar  # type: ignore[attr-defined]
        bar.remove_class("-active")
        bar.display = False
        self.render_article(keep_scroll=True)  # type: ignore[attr-defined]
        if was_focused:
            self.query_one(BodyView).focus()  # type: ignore[attr-defined]

    def on_visual_bar_key(self, event: Any) -> None:
        from briefreader.tui.widgets.body_view import BodyView

        sel = self.visual
        command = event.command
        if command == "blur":
            self.call_after_refresh(self._visual_check_focus)
            return
        if sel is None:
            return
        if command == "cancel":
            self._visual_exit()
            return
        if command == "highlight":
            self._visual_highlight()
            return
        if command == "quote":
            marks = [(q.start, q.end) for q in self.article_quotes()]  # type: ignore[attr-defined]
            if not sel.select_quote(marks):
                self.notify("No quotation at or after the selection.", timeout=2)
                return
        elif command in ("next_line", "previous_line"):
            body = self.query_one(BodyView)  # type: ignore[attr-defined]
            line = body.line_of(sel.start)
            step = 1 if command == "next_line" else -1
            for _ in range(body.line_count):
                line += step
                if not 0 <= line < body.line_count:
                    break
                body.scroll_to_offset(sel.start, center=False)
                off = body.offset_at(0, line - body.scroll_offset.y)
                if off is None:
                    body.scroll_to(y=max(0, line - 2), animate=False, immediate=True)
                    off = body.offset_at(0, line - body.scroll_offset.y)
                if off is not None:
                    sel.move_to(off)
                    break
        else:
            method = {
                "grow_word": sel.grow_word, "shrink_word": sel.shrink_word,
                "grow_sentence": sel.grow_sentence, "shrink_sentence": sel.shrink_sentence,
                "grow_paragraph": sel.grow_paragraph, "shrink_paragraph": sel.shrink_paragraph,
                "sentence": sel.select_sentence, "paragraph": sel.select_paragraph,
                "next_word": lambda: sel.move_word(1), "previous_word": lambda: sel.move_word(-1),
            }.get(command)
            if method is None:
                return
            method()
        self._visual_changed()

    def _visual_check_focus(self) -> None:
        from briefreader.tui.triage.visual import VisualBar

        if self.visual is None or len(self.screen_stack) > 1:  # type: ignore[attr-defined]
            return
        if not isinstance(self.focused, VisualBar):  # type: ignore[attr-defined]
            self._visual_exit()

    def _visual_highlight(self) -> None:
        from briefreader.tui.triage.prompt import Field, PromptScreen

        sel, article = self.visual, self.current_article()  # type: ignore[attr-defined]
        if sel is None or article is None or article.id != self.visual_article:
            return
        start, end = sel.start, sel.end
        excerpt = " ".join(sel.text.split())
        context = f"“{excerpt if len(excerpt) <= 160 else excerpt[:159] + '…'}”"

        def submitted(values: dict[str, str] | None) -> None:
            from briefreader.tui.triage.visual import VisualBar

            if values is None:  # back to the selection
                bar = self._visual_bar()
                if self.visual is not None and isinstance(bar, VisualBar):
                    bar.focus()
                return
            comment, tags = values.get("comment", ""), values.get("tags", "")

            def job(store: TriageStore) -> tuple[Highlight, list[Highlight], dict[str, ArticleState], list[str]]:
                from briefreader.core.triage import normalize_tags

                h = store.add_highlight(article, start, end, comment=comment, tags=normalize_tags(tags))
                return h, store.highlights_for(article), store.states([article.id]), store.complete_tag("")

            def done(result: tuple[Highlight, list[Highlight], dict[str, ArticleState], list[str]]) -> None:
                h, highlights, states, known = result
                self._triage_hl[article.id] = highlights
                self.triage_tags = known
                self._triage_apply_states(states)
                if self.visual_article == article.id:
                    self._visual_exit()
                else:
                    self.render_article(keep_scroll=True)  # type: ignore[attr-defined]
                n = len(h.exact.split())
                self.notify(f"Highlighted {n} word(s) in ¶{h.paragraph} · u undoes · H lists highlights", timeout=3)

            self.triage_submit(job, done, what="saving the highlight")

        self.push_screen(PromptScreen("Highlight", [  # type: ignore[attr-defined]
            Field("comment", "Comment (optional)", placeholder="why this passage matters"),
            Field("tags", "Tags (optional, comma-separated)", tags=True),
        ], known_tags=lambda: self.triage_tags, context=context), submitted)

    # ------------------------------------------------------------------ highlights panel

    def action_triage_highlights(self) -> None:
        """H: every highlight of the corpus (orphans too): jump, edit comment/tags, delete."""
        from briefreader.tui.triage.highlights_screen import HighlightsScreen

        if not self._triage_ready():
            return
        titles = {}
        if self.corpus is not None:  # type: ignore[attr-defined]
            for a in self.corpus.articles:  # type: ignore[attr-defined]
                titles[a.id] = " · ".join(x for x in (a.outlet, (a.date or "")[:10], a.title or a.id) if x)
        self.push_screen(HighlightsScreen(titles), self._highlights_closed)  # type: ignore[attr-defined]

    def triage_load_highlights(self, screen: Any) -> None:
        """Fill the highlights panel (re-attaching highlights of changed articles first)."""
        articles = list(self.corpus.articles) if self.corpus is not None else []  # type: ignore[attr-defined]

        def job(store: TriageStore) -> list[Highlight]:
            store.reattach_changed(articles)
            return store.highlights()

        def done(highlights: list[Highlight]) -> None:
            if screen.is_attached:
                screen.populate(highlights)

        self.triage_submit(job, done, what="listing highlights")

    def _highlights_closed(self, result: tuple[str, int] | None) -> None:
        if not result:
            return
        _, hid = result

        def job(store: TriageStore) -> Highlight | None:
            return store.highlight(hid)

        self.triage_submit(job, self.triage_jump_to_highlight, what="finding the highlight")

    def triage_jump_to_highlight(self, h: Highlight | None) -> None:
        from briefreader.tui.widgets.article_list import ArticleList
        from briefreader.tui.widgets.body_view import BodyView

        if h is None or self.corpus is None or self.corpus.get(h.article_id) is None:  # type: ignore[attr-defined]
            self.notify("That highlight's article is not in the corpus any more.", severity="warning", timeout=4)
            return
        table = self.query_one(ArticleList)  # type: ignore[attr-defined]
        self._triage_pending_scroll = (h.article_id, None, None if h.orphan else h.start)
        if self.current_id == h.article_id:  # type: ignore[attr-defined]
            self._triage_apply_pending_scroll()
        elif not table.select_id(h.article_id):
            self.clear_search(close=True)  # type: ignore[attr-defined]
            table.select_id(h.article_id)
        if self.raw:  # type: ignore[attr-defined]
            self.action_toggle_raw()  # type: ignore[attr-defined]
        self.show_article_pane()  # type: ignore[attr-defined]  # the list may be full width
        self.query_one(BodyView).focus()  # type: ignore[attr-defined]
        if h.orphan:
            self.notify("This highlight is an orphan: its passage is no longer in the article.", timeout=4)

    def triage_edit_highlight(self, h: Highlight, kind: str, screen: Any) -> None:
        from briefreader.tui.triage.prompt import Field, PromptScreen

        if kind == "comment":
            fields = [Field("comment", "Comment (empty clears it)", value=h.comment)]
        else:
            fields = [Field("tags", "Tags (comma-separated; empty clears them)", value=", ".join(h.tags), tags=True)]
        excerpt = " ".join(h.exact.split())

        def submitted(values: dict[str, str] | None) -> None:
            if values is None:
                return

            def job(store: TriageStore) -> Any:
                from briefreader.core.triage import normalize_tags

                if kind == "comment":
                    updated = store.update_highlight(h.id, comment=values["comment"])
                else:
                    updated = store.update_highlight(h.id, tags=normalize_tags(values["tags"]))
                return updated, store.states([h.article_id]), store.complete_tag("")

            def done(result: Any) -> None:
                _, states, known = result
                self.triage_tags = known
                self._triage_apply_states(states)
                self._triage_hl.pop(h.article_id, None)
                self.notify(f"Highlight #{h.id}: {kind} saved · u undoes", timeout=3)
                if screen.is_attached:
                    self.triage_load_highlights(screen)

            self.triage_submit(job, done, what="editing the highlight")

        self.push_screen(PromptScreen(f"Highlight #{h.id}", fields, known_tags=lambda: self.triage_tags,  # type: ignore[attr-defined]
                                      context=f"“{excerpt if len(excerpt) <= 160 else excerpt[:159] + '…'}”"),
                         submitted)

    def triage_delete_highlight(self, h: Highlight, screen: Any) -> None:
        def job(store: TriageStore) -> Any:
            return store.delete_highlight(h.id), store.states([h.article_id]), store.complete_tag("")

        def done(result: Any) -> None:
            _, states, known = result
            self.triage_tags = known
            self._triage_apply_states(states)
            self._triage_hl.pop(h.article_id, None)
            if self.current_id == h.article_id:  # type: ignore[attr-defined]
                self.render_article(keep_scroll=True)  # type: ignore[attr-defined]
            self.notify(f"Deleted highlight #{h.id} · u undoes", timeout=3)
            if screen.is_attached:
                self.triage_load_highlights(screen)

        self.triage_submit(job, done, what="deleting the highlight")

    # ------------------------------------------------------------------ quotes for the brief

    def action_triage_choose_quote(self) -> None:
        """b: put the selected quotation's cluster in the brief (as a comparison table), or take it out."""
        quotes = self.article_quotes()  # type: ignore[attr-defined]
        if self.current_quote is None or self.quotes is None or not quotes:  # type: ignore[attr-defined]
            self.notify("Select a quotation first (] / [).", timeout=3)
            return
        cluster = self.quotes.cluster_of(quotes[self.current_quote])  # type: ignore[attr-defined]
        if cluster is None:
            self.notify("This quotation is not rendered by other outlets: nothing to compare.", timeout=3)
            return
        titles = {}
        for r in cluster.variants:
            a = self.corpus.get(r.article) if self.corpus is not None else None  # type: ignore[attr-defined]
            if a is not None and a.title:
                titles[a.id] = a.title

        def job(store: TriageStore) -> bool:
            if store.is_chosen(cluster.id):
                store.unchoose_cluster(cluster.id)
                return False
            store.choose_cluster(cluster, titles=titles)  # core's cluster: what the brief stores
            return True

        def done(chosen: bool) -> None:
            n = len(cluster.variants)
            self.notify(("In the brief: " if chosen else "Taken out of the brief: ")
                        + f"this quotation's {n} renderings · u undoes", timeout=3)

        self.triage_submit(job, done, what="choosing the quotation")

    # ------------------------------------------------------------------ export

    def action_triage_export(self) -> None:
        """e: the export dialog (options, preview, output path)."""
        from briefreader.tui.triage.export_screen import ExportOptions, ExportScreen

        if not self._triage_ready() or self.corpus is None:  # type: ignore[attr-defined]
            return
        name = self.root.resolve().name or "corpus"  # type: ignore[attr-defined]
        output = str(Path.cwd() / f"brief-{name}-{date.today().isoformat()}.md")
        options = ExportOptions(where=self.search_query, output=output,  # type: ignore[attr-defined]
                                ignore_punct=bool(getattr(self, "diff_ignore_punct", False)))
        self.push_screen(ExportScreen(options))  # type: ignore[attr-defined]

    def _build_export(self, options: Any) -> tuple[str, str, Any, str | None]:
        """Build and render the brief for ``options`` (in a worker): (text as written, summary,
        brief, the Markdown to preview rendered or None for JSON)."""
        from briefreader.core.export import brief_summary, build_brief, relative_link_root, render

        filters, text = self._triage_split(options.where)
        only = self.triage_result_ids(text) if text else None
        out = options.output_path()
        link_root = relative_link_root(self.root, out.parent if options.output.strip() else Path.cwd())  # type: ignore[attr-defined]
        brief = build_brief(
            self.corpus.articles,  # type: ignore[attr-defined]
            self.triage_store,  # type: ignore[arg-type]
            filters=filters if filters else None,
            only_ids=only,
            search=text,
            link_root=link_root,
            group_by=options.group_by,
            copies=self.copies.analysis,  # type: ignore[attr-defined]
            corpus_name=self.root.resolve().name,  # type: ignore[attr-defined]
            profile=options.profile,
            ignore_punct=options.ignore_punct,
        )
        rendered = render(brief, options.fmt)
        markdown = rendered if options.fmt == "md" else render(brief, "md") if options.fmt == "html" else None
        return rendered, brief_summary(brief), brief, markdown

    @work(thread=True, exclusive=True, group="export-preview", exit_on_error=False)
    def triage_export_preview(self, screen: Any, options: Any) -> None:
        try:
            text, summary, _, markdown = self._build_export(options)
        except Exception as exc:
            message = _error_text(exc, "building the brief")
            self.post_message(TriageDone(lambda _r: screen.set_status(message, error=True) if screen.is_attached else None,
                                         None, None, ""))
            return
        self.post_message(TriageDone(lambda _r: screen.show_preview(options, text, summary, markdown)
                                     if screen.is_attached else None, None, None, ""))

    @work(thread=True, exclusive=True, group="export-write", exit_on_error=False)
    def triage_export_write(self, screen: Any, options: Any, *, replace: bool = False, make_folder: bool = False) -> None:
        from briefreader.core.paths import write_output_file

        path = options.output_path()
        try:
            text, summary, _, _ = self._build_export(options)
            write_output_file(path, text, force=replace, make_parents=make_folder)  # refuses links, devices, FIFOs
        except Exception as exc:
            message = _error_text(exc, f"cannot write {path}")
            self.post_message(TriageDone(lambda _r: screen.set_status(message, error=True) if screen.is_attached else None,
                                         None, None, ""))
            return
        self.post_message(TriageDone(lambda _r: screen.written(f"Wrote {path}: {summary}") if screen.is_attached
                                     else self.notify(f"Wrote {path}: {summary}", timeout=6), None, None, ""))

    # ------------------------------------------------------------------ test support

    async def triage_idle(self) -> None:
        """Wait until every queued triage job is done and its result shown (for tests)."""
        import asyncio

        for _ in range(400):
            await self.workers.wait_for_complete()  # type: ignore[attr-defined]
            await asyncio.sleep(0.005)
            if not self._triage_draining and not self._triage_jobs and not any(
                w.is_running for w in self.workers  # type: ignore[attr-defined]
            ):
                await asyncio.sleep(0.01)
                return
        raise TimeoutError("triage jobs did not finish")


__all__ = ["ANNOTATED", "MARKED", "STATUS_MARKS", "TriageMixin", "is_untouched"]
