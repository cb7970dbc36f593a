"""Triage in the reader: statuses, tags, notes, the marked set, undo, saved searches, resume, export.

:class:`TriageController` is held by the reader screen, which calls its methods (the actions behind
the keys, and what to do when the corpus loads, an article opens, a search is done, the reader
quits). It never handles events itself: the screen forwards the few it needs. Everything is done
by the corpus folder's :class:`briefreader.workspace.Workspace` (reached through
:class:`briefreader.tui.services.ReaderServices`); this module only decides *what* to call and
shows the outcome. Every write is a job ``job(workspace)`` in one queue drained by a thread worker,
in order, and the screen shows an action as done (mark, notice) only after the store committed it,
so nothing shown is ever lost. A refused store (damaged, newer) or a busy one leaves the reader
working without triage, with a notice saying why.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.message import Message

from briefreader.tui.services import ReaderServices, TriageOpening
from briefreader.tui.triage.brief import BriefActions
from briefreader.tui.triage.highlighting import Highlighting
from briefreader.tui.triage.position import ReadingPosition

if TYPE_CHECKING:
    from briefreader.core.triage_model import ArticleState, JournalEntry
    from briefreader.tui.screens.reader import ReaderScreen
    from briefreader.workspace import Workspace

log = logging.getLogger(__name__)

#: The list's mark for each status (the second of the three mark cells).
STATUS_MARKS = {"new": "•", "read": " ", "keep": "★", "discard": "✗", "follow-up": "⚑"}
MARKED = "▸"  # first cell: in the marked set (bulk actions)
ANNOTATED = "✎"  # third cell: the article has tags, a note or highlights
RESUME_EVERY_SECONDS = 2.0  # how often the reading position is saved when it changed
ELSEWHERE_EVERY_SECONDS = 3.0  # how often another process's changes are looked for
QUIT_WAIT_SECONDS = 10.0  # at quit, queued writes get this long to finish

Result = TypeVar("Result")
Job = Callable[["Workspace"], Any]


class TriageOpened(Message):
    """The triage store is open (posted by the opening worker)."""

    def __init__(self, opening: TriageOpening) -> None:
        self.opening = opening
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


def error_text(exc: BaseException, what: str) -> str:
    """What to tell the user about a failed triage or export job."""
    from briefreader.workspace import ExportError, ExportTargetError, TriageError

    if isinstance(exc, (TriageError, ExportError, ExportTargetError)):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{what}: {exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
    return f"{what} failed ({type(exc).__name__}: {exc})"


def is_untouched(state: ArticleState) -> bool:
    return state.status == "new" and not state.tags and not state.note and not state.highlights


class TriageController:
    """The triage side of the reader screen ``host``; the screen calls it, it never listens to events."""

    def __init__(self, host: ReaderScreen, services: ReaderServices) -> None:
        self.host = host
        self.state = host.state
        self.services = services
        self.problem: str | None = "triage: opening…"  # why triage is off (None when on)
        self.states: dict[str, ArticleState] = {}  # touched articles only; others are new
        self.tags: list[str] = []  # tags in use, most used first (for completion)
        self.in_corpus = True
        self.highlighting = Highlighting(self)
        self._jobs: deque[tuple[Job, Callable[[Any], None] | None, str, Callable[[str], None] | None]] = deque()
        self._lock = threading.Lock()
        self._draining = False
        self.position = ReadingPosition(self)
        self.brief = BriefActions(self)
        self._taken_in = False

    # ------------------------------------------------------------------ opening and closing

    @property
    def is_open(self) -> bool:
        """True once the store's opening was taken in on the UI thread (until it is closed)."""
        return self._taken_in

    def start(self) -> None:
        """Open the store in a worker (the screen is mounted)."""
        self.host.run_worker(self._open, thread=True, exclusive=True, group="triage-open", exit_on_error=False)

    def _open(self) -> None:
        from briefreader.workspace import TriageError

        try:
            opening = self.services.open_triage()
        except TriageError as exc:
            self.host.post_message(TriageFailed(str(exc)))
            return
        except Exception as exc:  # a disk problem: the reader goes on without triage
            log.exception("opening the triage state failed")
            self.host.post_message(TriageFailed(f"cannot open the triage state ({type(exc).__name__}: {exc})"))
            return
        self.host.post_message(TriageOpened(opening))

    def opened(self, opening: TriageOpening) -> None:
        """The store is open: show its marks, resume where the analyst was."""
        if self.host.app._exit:
            self.close()
            return
        self._taken_in = True
        self.problem = None
        self.states = {a: s for a, s in opening.states.items() if not is_untouched(s)}
        self.tags = opening.tags
        self.in_corpus = opening.in_corpus
        self.position.resume = opening.resume
        if opening.notice:
            self.host.notify(opening.notice[:1].upper() + opening.notice[1:], title="Triage", severity="warning",
                             timeout=10)
        self.host.refresh_marks()  # rows drawn before the store was open have no status mark yet
        self.host.set_interval(RESUME_EVERY_SECONDS, self.position.save)
        self.host.set_interval(ELSEWHERE_EVERY_SECONDS, self.take_changes_from_elsewhere)
        self.position.try_resume()
        self.host.redraw_article()
        self.refresh_status()

    def failed(self, message: str) -> None:
        self.problem = f"triage off: {message}"
        self.host.notify(f"{message}\nReading and search work; marks, tags, notes, highlights and export are off.",
                         title="Triage is off", severity="error", timeout=15)
        self.refresh_status()

    def close(self) -> None:
        """Close the store (checkpointed). Idempotent; a failure is logged (the process is ending)."""
        self._taken_in = False
        if not self.services.triage_open:
            return
        self.problem = "triage closed"
        try:
            self.services.close_triage()
        except Exception as exc:
            log.warning("closing the triage state failed: %s", exc)

    async def before_quit(self) -> None:
        """Let queued writes finish (a busy store gives up after its own timeout), save the position."""
        deadline = time.monotonic() + QUIT_WAIT_SECONDS
        while (self._draining or self._jobs) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if self._draining or self._jobs:
            log.warning("quitting with %d triage write(s) still queued", len(self._jobs))
        self.position.save(now=True)

    # ------------------------------------------------------------------ the write queue

    def ready(self) -> bool:
        """True when the store is open; else say why triage is off."""
        if not self.is_open:
            self.host.notify(self.problem or "triage is off", title="Triage", severity="warning", timeout=4)
            return False
        return True

    def submit(self, job: Job, done: Callable[[Any], None] | None = None, *, what: str = "triage",
               on_error: Callable[[str], None] | None = None) -> bool:
        """Run ``job(workspace)`` on the writer thread (in submission order); ``done(result)`` on the UI thread."""
        if not self.ready():
            return False
        with self._lock:
            self._jobs.append((job, done, what, on_error))
            start = not self._draining
            self._draining = True
        if start:
            self.host.run_worker(self._drain, thread=True, group="triage-write", exit_on_error=False)
        return True

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._draining = False
                    return
                job, done, what, on_error = self._jobs.popleft()
            try:
                result, error = job(self.services.workspace), None
            except Exception as exc:
                log.warning("%s failed: %s", what, exc, exc_info=not isinstance(exc, OSError))
                result, error = None, exc
            self.host.post_message(TriageDone(done, result, error, what, on_error))

    def job_done(self, event: TriageDone) -> None:
        """A queued job finished (on the UI thread): show its outcome."""
        if event.error is not None:
            text = error_text(event.error, event.what)
            if event.on_error is not None:
                event.on_error(text)
            else:
                self.host.notify(text, title="Not saved", severity="error", timeout=8)
            return
        if event.done is not None:
            event.done(event.result)

    def run_in_worker(self, work: Callable[[], Result], done: Callable[[Result], None], *, group: str,
                      what: str, on_error: Callable[[str], None] | None = None) -> None:
        """Run a read-only ``work()`` (search, export) in its own exclusive worker; ``done`` on the UI thread."""

        def run() -> None:
            try:
                result = work()
            except Exception as exc:
                log.warning("%s failed: %s", what, exc)
                self.host.post_message(TriageDone(None, None, exc, what, on_error))
                return
            self.host.post_message(TriageDone(done, result, None, what))

        self.host.run_worker(run, thread=True, exclusive=True, group=group, exit_on_error=False)

    @property
    def busy(self) -> bool:
        return self._draining or bool(self._jobs)

    # ------------------------------------------------------------------ states and marks

    def state_of(self, article_id: str) -> ArticleState:
        from briefreader.core.triage_model import ArticleState

        return self.states.get(article_id) or ArticleState(article_id)

    def mark_for(self, article_id: str) -> str:
        """The three mark cells of a list row: marked, status, annotated."""
        st = self.states.get(article_id)
        sel = MARKED if self.state.is_marked(article_id) else " "
        if not self.is_open:
            return sel.strip() and sel
        status = STATUS_MARKS.get(st.status if st else "new", " ")
        annotated = ANNOTATED if st and (st.tags or st.note or st.highlights) else " "
        mark = f"{sel}{status}{annotated}"
        return mark if mark.strip() else ""

    def apply_states(self, states: dict[str, ArticleState], *, replace_all: bool = False) -> None:
        """Take fresh states from the store (of the given ids, or of every touched article)."""
        changed: set[str] = set()
        if replace_all:
            old = self.states
            changed = {a for a in set(old) | set(states) if old.get(a) != states.get(a)}
            self.states = {a: s for a, s in states.items() if not is_untouched(s)}
        else:
            for aid, st in states.items():
                if self.states.get(aid) != st:
                    changed.add(aid)
                if is_untouched(st):
                    self.states.pop(aid, None)
                else:
                    self.states[aid] = st
        if changed:
            self.host.refresh_marks()
        if self.state.current_id in changed:
            self.host.refresh_note()
        self.refresh_status()

    def refresh_status(self) -> None:
        """Recompute the triage part of the status line (the state's field; the screen redraws)."""
        self.state.triage_state_text = " │ ".join(self.status_parts())

    def status_parts(self) -> list[str]:
        """The triage part of the status line: state of the current article, the marked set."""
        if not self.is_open:
            return [self.problem] if self.problem else []
        parts: list[str] = []
        aid = self.state.current_id
        if aid:
            st = self.state_of(aid)
            bits = [st.status]
            if st.tags:
                bits.append("#" + " #".join(st.tags))
            if st.note:
                note = " ".join(st.note.split())
                bits.append("note: " + (note if len(note) <= 30 else note[:29] + "…"))
            if st.highlights:
                bits.append(f"{st.highlights} highlight(s)")
            parts.append(" ".join(bits))
        if self.state.marked:
            parts.append(f"{len(self.state.marked)} marked")
        if not self.in_corpus:
            parts.append("triage in user folder")
        return parts

    # ------------------------------------------------------------------ which articles an action is for

    def targets(self) -> list[str]:
        """The marked set if there is one, else the article under the list's cursor.

        The cursor, not the article shown: keys typed in a burst (``j j K``) reach this before the
        body has caught up with the moves."""
        if self.state.marked:
            return list(self.state.marked)
        current = self.host.cursor_id()
        return [current] if current else []

    def describe(self, ids: list[str]) -> str:
        """One article's title (shortened), or "N marked articles"."""
        if len(ids) == 1:
            article = self.host.article(ids[0])
            if article is not None and not article.title:
                from briefreader.tui.render import fallback_title

                return fallback_title(article, 7)
            title = (article.title if article else None) or ids[0]
            return title if len(title) <= 50 else title[:49] + "…"
        return f"{len(ids)} marked articles"

    def _states_job(self, ids: list[str], change: Job) -> Job:
        def job(workspace: Workspace) -> tuple[Any, dict[str, ArticleState], list[str]]:
            entry = change(workspace)
            return entry, workspace.states(ids), workspace.complete_tag("")
        return job

    def _after_change(self, notice: str) -> Callable[[Any], None]:
        def done(result: tuple[JournalEntry | None, dict[str, ArticleState], list[str]]) -> None:
            entry, states, tags = result
            self.tags = tags
            self.apply_states(states)
            if entry is not None and getattr(entry, "changed", True):
                self.host.notify(notice + " · u undoes", timeout=3)
            else:
                self.host.notify(notice + " (no change)", timeout=2)
        return done

    # ------------------------------------------------------------------ status, tags, notes

    def set_status(self, status: str) -> None:
        """Set ``status`` on the marked set or the current article (again on the same status: back to read)."""
        ids = self.targets()
        if not ids:
            return
        target = status
        if status not in ("new", "read") and all(self.state_of(a).status == status for a in ids):
            target = "read"  # pressing keep on a kept article un-keeps it
        what = self.describe(ids)
        self.submit(self._states_job(ids, lambda s: s.set_status(ids, target)),
                    self._after_change(f"{target}: {what}"), what="setting the status")

    def mark_read(self, article_id: str | None) -> None:
        """The article was opened: new -> read (an automatic action that undo skips)."""
        if not article_id or not self.is_open or self.state_of(article_id).status != "new":
            return

        def done(result: tuple[Any, dict[str, ArticleState], list[str]]) -> None:
            self.apply_states(result[1])

        self.submit(self._states_job([article_id], lambda s: s.mark_read(article_id)), done, what="marking read")

    def tag(self) -> None:
        """Add tags (with completion from the tags already used) to the marked set or the current article."""
        from briefreader.tui.triage.prompt import Field, PromptScreen

        ids = self.targets()
        if not ids or not self.ready():
            return
        have = sorted({t for a in ids for t in self.state_of(a).tags}, key=str.casefold)
        context = f"{self.describe(ids)}" + (f" · tagged: {', '.join(have)}" if have else "")

        def submitted(values: dict[str, str] | None) -> None:
            from briefreader.core.triage_model import normalize_tags

            tags = normalize_tags(values["tags"]) if values else []
            if tags:
                self.submit(self._states_job(ids, lambda s: s.add_tags(ids, tags)),
                            self._after_change(f"tagged {', '.join(tags)}: {self.describe(ids)}"), what="tagging")

        self.host.app.push_screen(PromptScreen("Add tags", [Field("tags", "Tags (comma-separated)", tags=True,
                                                                  placeholder="sanctions, ceasefire")],
                                               known_tags=lambda: self.tags, context=context), submitted)

    def untag(self) -> None:
        """Remove tags from the marked set or the current article (completion from their tags)."""
        from briefreader.tui.triage.prompt import Field, PromptScreen

        ids = self.targets()
        if not ids or not self.ready():
            return
        have = sorted({t for a in ids for t in self.state_of(a).tags}, key=str.casefold)
        if not have:
            self.host.notify("No tags to remove here.", timeout=2)
            return

        def submitted(values: dict[str, str] | None) -> None:
            from briefreader.core.triage_model import normalize_tags

            tags = normalize_tags(values["tags"]) if values else []
            if tags:
                self.submit(self._states_job(ids, lambda s: s.remove_tags(ids, tags)),
                            self._after_change(f"untagged {', '.join(tags)}: {self.describe(ids)}"),
                            what="removing tags")

        field = Field("tags", "Tags to remove", value=have[0] if len(have) == 1 else "", tags=True)
        self.host.app.push_screen(PromptScreen("Remove tags", [field], known_tags=lambda: have,
                                               context=f"{self.describe(ids)} · tagged: {', '.join(have)}"), submitted)

    def note(self) -> None:
        """Write (or clear) the note of the article under the cursor: several lines, ctrl+s saves."""
        from briefreader.tui.triage.prompt import NoteScreen

        aid = self.state.current_id
        if not aid or not self.ready():
            return
        current = self.state_of(aid).note

        def submitted(note: str | None) -> None:
            if note is None or note.strip() == current.strip():
                return
            note = note.strip("\n")
            verb = "note saved: " if note.strip() else "note cleared: "
            self.submit(self._states_job([aid], lambda s: s.set_note(aid, note)),
                        self._after_change(verb + self.describe([aid])), what="saving the note")

        self.host.app.push_screen(NoteScreen("Note", current, context=self.describe([aid]),
                                             keymap=self.host.keymap), submitted)

    def undo(self, on_done: Callable[[], None] | None = None) -> None:
        """Undo the last triage action (status, tags, note, highlight, quote choice), with a notice."""

        def job(workspace: Workspace) -> tuple[list[JournalEntry], dict[str, ArticleState], list[str]]:
            return workspace.undo(), workspace.states(), workspace.complete_tag("")

        def done(result: tuple[list[JournalEntry], dict[str, ArticleState], list[str]]) -> None:
            entries, states, tags = result
            self.tags = tags
            if not entries:
                self.host.notify("Nothing to undo.", timeout=2)
                return
            self.apply_states(states, replace_all=True)
            self.highlighting.forget()
            self.host.notify("Undone: " + "; ".join(e.describe() for e in entries), timeout=4)
            if on_done is not None:
                on_done()

        self.submit(job, done, what="undo")

    def take_changes_from_elsewhere(self) -> None:
        """Take another process's changes (the CLI, a second reader) every few seconds."""
        if not self.is_open or self._draining:
            return

        def job(workspace: Workspace) -> tuple[dict[str, ArticleState], list[str]] | None:
            if not workspace.changed_elsewhere():
                return None
            return workspace.states(), workspace.complete_tag("")

        def done(result: tuple[dict[str, ArticleState], list[str]] | None) -> None:
            if result is None:
                return
            states, tags = result
            self.tags = tags
            self.apply_states(states, replace_all=True)
            self.highlighting.forget()

        self.submit(job, done, what="reading changes")

    # ------------------------------------------------------------------ the marked set

    def toggle_mark(self) -> None:
        """space: mark/unmark the article under the cursor for a bulk action, then move down."""
        table = self.host.article_list
        aid = self.host.cursor_id()
        if not aid:
            return
        marked = dict.fromkeys(self.state.marked)
        if aid in marked:
            del marked[aid]
        else:
            marked[aid] = None
        self.state.marked = tuple(marked)
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1, animate=False)

    def mark_all(self) -> None:
        """Mark every article of the current list (all results of the search), or clear the marks."""
        if self.state.marked:
            count = len(self.state.marked)
            self.state.marked = ()
            self.host.notify(f"Cleared {count} mark(s).", timeout=2)
            return
        shown = self.host.listed_ids()  # folded copies included
        query = self.state.search_query
        if query and self.state.search_total > len(shown):
            self.run_in_worker(lambda: self.select_ids(query),
                               lambda ids: self.mark_ids(ids, f"all results of “{query}”"),
                               group="triage-results", what="finding every result")
            return
        self.mark_ids(shown, "every article in the list" if not query else "every result")

    def mark_ids(self, ids: list[str], what: str) -> None:
        self.state.marked = tuple(dict.fromkeys(ids))
        self.host.notify(f"Marked {len(ids)}: {what}. Status, tag and export keys now act on them; A clears.",
                         timeout=4)

    # ------------------------------------------------------------------ search filters

    def text_query(self, query: str) -> str:
        """The full-text part of a search query (triage filters taken out); a bad filter leaves the
        query as it is (the search itself reports the error)."""
        from briefreader.core.query import QuerySyntaxError

        try:
            return self.services.parse_query(query, triage_problem=self.problem).text
        except QuerySyntaxError:
            return query
        except Exception:  # e.g. reading the saved searches failed: the search reports it too
            log.exception("the words of the query %r could not be taken apart", query)
            return query

    def filter_only(self, query: str) -> bool:
        """True when the query has triage filters and no words (it needs no index)."""
        from briefreader.core.query import QuerySyntaxError

        try:
            return self.services.parse_query(query, triage_problem=self.problem).filters_only
        except QuerySyntaxError:
            return False
        except Exception:
            log.exception("the filters of the query %r could not be read", query)
            return False

    def select_ids(self, query: str) -> list[str]:
        """Every article matching ``query`` (filters and words). In a worker."""
        return self.services.select_ids(query, searcher=self.host.searcher, articles=self.host.lists.all_articles,
                                        triage_problem=self.problem)

    def save_search(self) -> None:
        """Save the search in the list under a name (then @name in any search, here or in the CLI)."""
        from briefreader.tui.triage.prompt import Field, PromptScreen

        query = self.state.search_query or self.host.search_bar.value.strip()
        if not query:
            self.host.notify(f"Search first ({self.host.keys_for('search')}), then "
                             f"{self.host.keys_for('save_search')} saves it.", timeout=3)
            return
        if not self.ready():
            return

        def ask(saved: dict[str, str]) -> None:
            known = ", ".join("@" + name for name in saved) or "none yet"

            def submitted(values: dict[str, str] | None) -> None:
                name = (values or {}).get("name", "").strip().lstrip("@")
                if not name:
                    return
                verb = "replaced" if name in saved else "saved"
                self.submit(lambda s: s.save_search(name, query),
                            lambda _: self.host.notify(f"Search {verb} as @{name}: type @{name} in a search "
                                                       f"(or --where @{name}).", timeout=4),
                            what="saving the search")

            self.host.app.push_screen(PromptScreen("Save this search", [
                Field("name", "Name (one word: letters, digits, _ . -)", placeholder="e.g. kallas")],
                context=f"query: {query}\nsaved searches: {known}"), submitted)

        self.submit(lambda s: s.saved_searches(), ask, what="reading saved searches")

    # ------------------------------------------------------------------ events the screen forwards

    def article_changed(self) -> None:
        """The list cursor moved to another article (or the same one was shown again)."""
        if self.highlighting.visual is not None and self.highlighting.visual_article != self.state.current_id:
            self.highlighting.exit_visual()
        self.position.apply_pending_scroll()
        if self.host.body_focused():
            self.mark_read(self.state.current_id)
        self.refresh_status()

    # ------------------------------------------------------------------ test support

    async def idle(self) -> None:
        """Wait until every queued triage job is done and its result shown (for tests)."""
        workers = self.host.app.workers
        for _ in range(400):
            await workers.wait_for_complete()
            await asyncio.sleep(0.005)
            if not self.busy and not any(w.is_running for w in workers):
                await asyncio.sleep(0.01)
                return
        raise TimeoutError("triage jobs did not finish")


__all__ = ["ANNOTATED", "MARKED", "STATUS_MARKS", "TriageController", "TriageDone", "TriageFailed",
           "TriageOpened", "error_text", "is_untouched"]
