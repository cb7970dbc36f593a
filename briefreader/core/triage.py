"""Triage state of a corpus: status, tags and notes per article, highlights, chosen quote clusters,
a journal of every action with undo, and where the analyst stopped reading.

One SQLite file per corpus (``triage.sqlite3`` in the corpus's state folder), in WAL mode, with
every action committed when it is made (``synchronous=FULL``): a killed process loses nothing it
acknowledged. Writes are short ``BEGIN IMMEDIATE`` transactions that change single rows (tags are
rows, not a blob), so two processes writing at once both keep their changes. A file written by a
newer briefreader, or a damaged file, is refused with a clear message and left untouched.

The file travels with the corpus, so it is untrusted input: it is opened with
``PRAGMA trusted_schema=OFF`` and refused (left untouched) when its schema holds triggers, views,
tables or indexes briefreader did not make. It is created 0600, never written through a symbolic
link (a link at ``.briefreader`` or at a state file sends the state to the per-user data folder,
with a notice), and checkpointed (``wal_checkpoint(TRUNCATE)``) when closed, so the main file alone
holds everything: copy or back up ``triage.sqlite3`` by itself. A full disk is reported as
"disk full: ... not saved", never as damage.

Usage::

    store = open_store(corpus_root)          # TriageStore; store.in_corpus False => tell the user
    store.set_status(["a.txt", "b.txt"], "keep")
    h = store.add_highlight(article, start, end, comment="key claim", tags=["sanctions"])
    store.undo()                             # undoes the last action (by the journal)

What the reader calls (from a worker thread: each write waits for the disk, ~4 ms here, and for
another process's write up to ``timeout``):

- open:      ``open_store(root)`` (raises ``TriageError``: show ``str(exc)`` and keep reading
             without triage); ``store.in_corpus`` / ``store.path`` for the read-only notice.
- list:      ``store.states()`` once (touched articles only; a missing id is new), then
             ``store.get(id)`` after an action; ``changed_elsewhere()`` on a timer to pick up
             another process's changes.
- search:    ``filters, text = split_filters(query)``; ``store.filter_ids(filters, ids)`` gives the
             ids to pass to the index search as ``allowed_ids``.
- triage:    ``set_status(ids, s)``, ``mark_read(id)`` on open, ``add_tags(ids, tags)``,
             ``remove_tags(ids, tags)``, ``set_note(id, text)``, ``all_tags()`` / ``complete_tag(p)``.
- highlight: ``add_highlight(article, start, end, comment=, tags=)`` for a visual selection;
             ``highlights_for(article)`` to paint (re-attached, orphans left out);
             ``highlights_at(id, offset)``; ``update_highlight(hid, comment=, tags=)``;
             ``delete_highlight(hid)``; ``orphans()``.
- quotes:    ``choose_cluster(cluster, note=, titles=)``, ``unchoose_cluster(cluster_id)``,
             ``is_chosen(cluster_id)``, ``chosen_clusters()``.
- folders:   ``save_search(name, query)``, ``saved_searches()``, ``delete_search(name)``,
             ``expand_saved(query)`` (``@name`` words) before ``split_filters``.
- undo:      ``undo(n)`` (returns the entries undone; ``e.describe()`` for a notice); ``journal()``.
- resume:    ``resume_state()`` at start, ``save_resume(article_id, filter, scroll, extra)`` on move/quit.
- export:    :mod:`briefreader.core.export` ``build_brief(...)`` then ``render(brief, "md"|"json")``.

No UI imports here.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from briefreader.core.anchors import Anchor, Resolution, make_anchor, paragraph_number, reanchor
from briefreader.core.model import Article
from briefreader.core.safe_json import loads_bounded

logger = logging.getLogger(__name__)


def _json_value(text: str | None, default: Any) -> Any:
    """A JSON value stored in the state file, or ``default`` when it is unreadable or nested deeper
    than the JSON limit (the file travels with the corpus: a tampered value must not crash every
    command with RecursionError). Logged, never silent."""
    if text is None:
        return default
    try:
        value = loads_bounded(text)
    except ValueError as exc:
        logger.warning("triage state: a stored value is unreadable (%s); using %r", exc, default)
        return default
    return value if isinstance(value, type(default)) else default

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
DB_NAME = "triage.sqlite3"
APPLICATION_ID = 0x42524652  # "BRFR": marks the file as briefreader's
STATUSES: tuple[str, ...] = ("new", "read", "keep", "discard", "follow-up")
DEFAULT_STATUS = "new"
_STATUS_ALIASES = {
    "followup": "follow-up",
    "follow_up": "follow-up",
    "follow": "follow-up",
    "fu": "follow-up",
    "unread": "new",
    "kept": "keep",
    "discarded": "discard",
}


class TriageError(Exception):
    """A user-facing problem with triage state (message is one clear sentence)."""


class StoreVersionError(TriageError):
    """The state file was written by a newer briefreader."""


class StoreBusyError(TriageError):
    """Another process held the state file locked for longer than the timeout; nothing changed."""


class StoreDamagedError(TriageError):
    """The state file is not a readable briefreader database."""


class StoreDiskFullError(TriageError):
    """The disk (or quota) is full: what is named in the message was not saved; nothing is damaged."""


def _is_full(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLITE_FULL or ENOSPC/EDQUOT (a full disk, not a damaged file)."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == 13 or "database or disk is full" in str(exc)  # 13: SQLITE_FULL
    return False


def _disk_full(path: Path, what: str) -> StoreDiskFullError:
    return StoreDiskFullError(f"disk full: {what} was not saved (triage state {path}); free some space and try again")


def now_iso() -> str:
    """Current UTC time, ISO 8601 with milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def normalize_status(status: str) -> str:
    """Canonical status name; raises TriageError for an unknown one."""
    s = status.strip().lower()
    s = _STATUS_ALIASES.get(s, s)
    if s not in STATUSES:
        raise TriageError(f"unknown status {status!r} (choose from {', '.join(STATUSES)})")
    return s


def normalize_tags(tags: Iterable[str] | str) -> list[str]:
    """Clean tag names: split on commas, trim, collapse inner whitespace, drop empties and duplicates."""
    if isinstance(tags, str):
        tags = [tags]
    out: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        for part in str(raw).split(","):
            tag = " ".join(part.split()).lstrip("#")
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                out.append(tag)
    return out


def article_hash(article: Article) -> str:
    """The article's content hash (sha1 of its body when the loader gave none)."""
    return article.content_hash or hashlib.sha1(article.body.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class ArticleState:
    """Triage state of one article (defaults when the analyst has done nothing to it)."""

    article_id: str
    status: str = DEFAULT_STATUS
    tags: list[str] = field(default_factory=list)
    note: str = ""
    updated: str | None = None
    highlights: int = 0  # number of highlights on the article
    highlight_tags: list[str] = field(default_factory=list)  # tags carried by its highlights
    comments: list[str] = field(default_factory=list)  # comments on its highlights

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Highlight:
    """A highlighted passage, anchored W3C-style, with provenance and the analyst's comment and tags."""

    id: int
    article_id: str
    exact: str
    prefix: str
    suffix: str
    start: int  # body offsets, end exclusive
    end: int
    source_start: int | None  # offsets in the article's source text (through the cleaning map)
    source_end: int | None
    paragraph: int  # 1-based paragraph number in the body
    content_hash: str  # hash of the article content the offsets refer to
    comment: str = ""
    tags: list[str] = field(default_factory=list)
    created: str = ""
    updated: str = ""
    anchor_state: str = "exact"  # exact | moved | fuzzy | orphan (after the last re-attachment)
    original_exact: str | None = None  # the text first highlighted, when a fuzzy re-attachment changed it

    @property
    def anchor(self) -> Anchor:
        return Anchor(self.exact, self.prefix, self.suffix, self.start, self.end)

    @property
    def orphan(self) -> bool:
        return self.anchor_state == "orphan"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["selectors"] = self.anchor.to_w3c()
        return d


@dataclass(slots=True)
class ChosenCluster:
    """A quote cluster the analyst picked for the brief, frozen as it was when chosen."""

    id: int
    cluster_key: str
    speaker: str | None
    canonical: str
    variants: list[dict[str, Any]]  # article, outlet, date, title, text, start, end, speaker
    note: str = ""
    created: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class JournalEntry:
    """One action in the journal (``id`` 0 when returned for an action that changed nothing)."""

    id: int
    time: str
    action: str
    detail: dict[str, Any]
    auto: bool = False
    undone: bool = False

    @property
    def changed(self) -> bool:
        return self.id != 0

    def describe(self) -> str:
        d = self.detail
        ids = d.get("ids") or ([d["article_id"]] if "article_id" in d else [])
        what = f"{len(ids)} articles" if len(ids) > 1 else (ids[0] if ids else "")
        extra = d.get("status") or ", ".join(d.get("tags", [])) or d.get("summary", "")
        return " ".join(x for x in (self.action, str(extra), what) if x)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ResumeState:
    """Where the analyst stopped: article, filter/query, scroll position, and any reader extras."""

    article_id: str | None = None
    filter: str = ""
    scroll: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    updated: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Reattachment:
    """What happened to one highlight when its article's text was checked."""

    highlight: Highlight
    resolution: Resolution
    changed: bool


# ---------------------------------------------------------------------------------------------
# Filters: `status:keep tag:sanctions -status:discard has:note note:"gas deal"`
# ---------------------------------------------------------------------------------------------

_FILTER_TOKEN = re.compile(
    r"""(?<!\S)(?P<neg>[-!]?)(?P<key>status|tag|tags|has|note|is):(?P<value>"[^"]*"|'[^']*'|\S+)(?!\S)""",
    re.IGNORECASE,
)
HAS_VALUES = ("note", "tags", "highlight", "highlights")


@dataclass(slots=True)
class Filters:
    """Triage conditions. Every list entry must hold (AND); a comma inside one value means OR."""

    status_any: list[set[str]] = field(default_factory=list)
    status_not: set[str] = field(default_factory=set)
    tag_any: list[set[str]] = field(default_factory=list)  # casefolded
    tag_not: set[str] = field(default_factory=set)
    has: set[str] = field(default_factory=set)  # note | tags | highlight
    has_not: set[str] = field(default_factory=set)
    note_contains: list[str] = field(default_factory=list)  # casefolded

    def __bool__(self) -> bool:
        return any(
            (self.status_any, self.status_not, self.tag_any, self.tag_not, self.has, self.has_not, self.note_contains)
        )

    @property
    def changed(self) -> bool:
        return self.id != 0

    def describe(self) -> str:
        """The filters back in query syntax (canonical order)."""
        parts: list[str] = []
        parts += ["status:" + ",".join(sorted(s)) for s in self.status_any]
        parts += [f"-status:{s}" for s in sorted(self.status_not)]
        parts += ["tag:" + ",".join(_quote_value(t) for t in sorted(s)) for s in self.tag_any]
        parts += [f"-tag:{_quote_value(t)}" for t in sorted(self.tag_not)]
        parts += [f"has:{h}" for h in sorted(self.has)] + [f"-has:{h}" for h in sorted(self.has_not)]
        parts += [f"note:{_quote_value(n)}" for n in self.note_contains]
        return " ".join(parts)


def _quote_value(v: str) -> str:
    return f'"{v}"' if (" " in v or "," in v) else v


def split_filters(query: str) -> tuple[Filters, str]:
    """Take triage filters out of a search query; return them and the rest (for full-text search).

    Understood: ``status:S`` (``status:keep,follow-up`` for either), ``-status:S``, ``tag:T``
    (several ``tag:`` terms must all hold; ``tag:a,b`` for either; quote names with spaces),
    ``-tag:T``, ``has:note|tags|highlight``, ``-has:...``, ``note:WORDS`` (in the article's note or
    its highlights' comments), ``is:STATUS``, and ``@NAME`` for a saved search (expanded by
    :meth:`TriageStore.expand_saved` before this is called).
    Raises TriageError for an unknown status or ``has:`` value.
    """
    filters = Filters()

    def take(m: re.Match[str]) -> str:
        neg = bool(m.group("neg"))
        key = m.group("key").lower()
        value = m.group("value")
        if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) >= 2:
            value = value[1:-1]
        if key in ("status", "is"):
            statuses = {normalize_status(v) for v in value.split(",") if v.strip()}
            if not statuses:
                raise TriageError(f"empty status in {m.group(0)!r}")
            if neg:
                filters.status_not |= statuses
            else:
                filters.status_any.append(statuses)
        elif key in ("tag", "tags"):
            tags = {t.casefold() for t in normalize_tags(value)}
            if not tags:
                raise TriageError(f"empty tag in {m.group(0)!r}")
            if neg:
                filters.tag_not |= tags
            else:
                filters.tag_any.append(tags)
        elif key == "has":
            v = value.lower().rstrip("s") if value.lower() != "tags" else "tags"
            v = {"highlight": "highlight", "note": "note", "tags": "tags", "tag": "tags"}.get(v)
            if v is None:
                raise TriageError(f"unknown has: value {value!r} (use has:note, has:tags or has:highlight)")
            (filters.has_not if neg else filters.has).add(v)
        elif key == "note":
            if not value.strip():
                raise TriageError(f"empty note filter in {m.group(0)!r}")
            if neg:
                raise TriageError("-note: is not supported; use -has:note")
            filters.note_contains.append(value.casefold())
        return " "

    rest = _FILTER_TOKEN.sub(take, query)
    return filters, " ".join(rest.split())


def parse_filters(query: str) -> Filters:
    """Parse a string that must contain only triage filters (raises TriageError on anything else)."""
    filters, rest = split_filters(query)
    if rest:
        raise TriageError(f"not a triage filter: {rest!r} (use status:, tag:, has:, note:)")
    return filters


def matches(filters: Filters, state: ArticleState) -> bool:
    """Whether an article's triage state satisfies ``filters`` (``tag:`` looks at the article's tags
    and at its highlights' tags)."""
    if any(state.status not in group for group in filters.status_any):
        return False
    if state.status in filters.status_not:
        return False
    tags = {t.casefold() for t in state.tags} | {t.casefold() for t in state.highlight_tags}
    if any(not (tags & group) for group in filters.tag_any):
        return False
    if tags & filters.tag_not:
        return False
    present = {"note": bool(state.note.strip()), "tags": bool(tags), "highlight": state.highlights > 0}
    if any(not present[h] for h in filters.has) or any(present[h] for h in filters.has_not):
        return False
    text = "\n".join([state.note, *state.comments]).casefold()
    return all(n in text for n in filters.note_contains)


# ---------------------------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE article_state (
    article_id TEXT PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'new',
    note TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL
);
CREATE TABLE article_tag (
    article_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    added TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE TABLE highlight (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL,
    exact TEXT NOT NULL,
    prefix TEXT NOT NULL,
    suffix TEXT NOT NULL,
    body_start INTEGER NOT NULL,
    body_end INTEGER NOT NULL,
    source_start INTEGER,
    source_end INTEGER,
    paragraph INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    anchor_state TEXT NOT NULL DEFAULT 'exact',
    original_exact TEXT
);
CREATE INDEX highlight_article ON highlight (article_id);
CREATE TABLE chosen_cluster (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_key TEXT NOT NULL UNIQUE,
    speaker TEXT,
    canonical TEXT NOT NULL,
    variants TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    auto INTEGER NOT NULL DEFAULT 0,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE journal_change (
    journal_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    key TEXT NOT NULL,
    before TEXT,
    after TEXT,
    PRIMARY KEY (journal_id, seq)
);
CREATE TABLE saved_search (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE resume (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    article_id TEXT,
    filter TEXT NOT NULL DEFAULT '',
    scroll REAL NOT NULL DEFAULT 0,
    extra TEXT NOT NULL DEFAULT '{}',
    updated TEXT NOT NULL
);
"""

_KEYS: dict[str, tuple[str, ...]] = {
    "article_state": ("article_id",),
    "article_tag": ("article_id", "tag"),
    "highlight": ("id",),
    "chosen_cluster": ("id",),
    "saved_search": ("name",),
}

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _schema_objects() -> dict[tuple[str, str], str | None]:
    """(type, name) -> CREATE statement of every object :data:`_SCHEMA` makes (tables, indexes, SQLite's own)."""
    db = sqlite3.connect(":memory:")
    try:
        for stmt in _SCHEMA.split(";"):
            if stmt.strip():
                db.execute(stmt)
        return {(kind, name): sql for kind, name, sql in db.execute("SELECT type, name, sql FROM sqlite_master")}
    finally:
        db.close()


_KNOWN_OBJECTS = _schema_objects()
_STATE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def _check_file(path: Path) -> None:
    """Refuse (without opening it through SQLite) a file that is not a SQLite database, or that a
    newer briefreader wrote. An empty file counts as new."""
    header = b""
    for attempt in range(3):
        try:
            with open(path, "rb") as fh:
                header = fh.read(100)
        except OSError as exc:
            raise StoreDamagedError(f"cannot read the triage state file {path}: {exc.strerror or exc}") from exc
        if not header or len(header) >= 100:
            break
        time.sleep(0.05)  # another process may be writing the first page of a new database right now
    if not header:
        return
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise StoreDamagedError(
            f"the triage state file {path} is damaged (not a SQLite database); it was left untouched. "
            "Move it aside to start afresh, or restore it from a backup."
        )
    user_version = int.from_bytes(header[60:64], "big")
    if user_version > SCHEMA_VERSION:
        raise StoreVersionError(_newer_message(path, user_version))


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _newer_message(path: Path, version: int) -> str:
    return (
        f"the triage state file {path} was written by a newer briefreader (schema {version}, this "
        f"version reads up to {SCHEMA_VERSION}); it was left untouched. Upgrade briefreader to use it."
    )


class TriageStore:
    """Triage state of one corpus in one SQLite file. Thread-safe (one connection, one lock)."""

    def __init__(
        self,
        db_path: Path | str,
        *,
        in_corpus: bool = True,
        clock: Callable[[], str] = now_iso,
        timeout: float = 30.0,
    ) -> None:
        self.path = Path(db_path)
        self.in_corpus = in_corpus
        self.seeded_from: Path | None = None  # set by open_store when copied from a read-only corpus
        self.location_reason: str | None = None  # set by open_store: why the state is not in the corpus
        self.timeout = timeout
        self._clock = clock
        self._lock = threading.RLock()
        self._closed = False
        _refuse_links(self.path)
        existed = self.path.exists() and self.path.stat().st_size > 0
        if self.path.exists():
            _check_file(self.path)
        try:
            from briefreader.core.paths import make_private_dir, make_private_file

            make_private_dir(self.path.parent, base=self.path.parent.parent)
            if not self.path.exists():
                make_private_file(self.path)  # 0600 before SQLite creates it (its -wal and -shm copy the mode)
        except OSError as exc:
            if _is_full(exc):
                raise _disk_full(self.path, "the new triage state file") from exc
            raise StoreDamagedError(f"cannot create the triage state file {self.path}: {exc.strerror or exc}") from exc
        try:
            self._db = sqlite3.connect(
                str(self.path), timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreDamagedError(f"cannot open the triage state file {self.path}: {exc}") from exc
        try:
            # The file may come from someone else: no function or virtual table named in its schema runs.
            self._db.execute("PRAGMA trusted_schema = OFF")
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            if existed:
                self._check_existing()
            self._retry_busy(lambda: self._db.execute("PRAGMA journal_mode = WAL"))
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")
            if not existed or self._user_version() == 0:
                self._create_schema()
        except TriageError:
            self._db.close()
            raise
        except sqlite3.OperationalError as exc:
            self._db.close()
            if _is_busy(exc):
                raise StoreBusyError(
                    f"the triage state file {self.path} is busy (another briefreader holds it); nothing was changed"
                ) from exc
            if _is_full(exc):
                raise _disk_full(self.path, "the triage state (opening it)") from exc
            raise StoreDamagedError(
                f"the triage state file {self.path} is damaged ({exc}); it was left untouched. "
                "Move it aside to start afresh, or restore it from a backup."
            ) from exc
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreDamagedError(
                f"the triage state file {self.path} is damaged ({exc}); it was left untouched. "
                "Move it aside to start afresh, or restore it from a backup."
            ) from exc
        self._data_version = self._pragma("data_version")
        self._make_private()

    def _make_private(self) -> None:
        """Files accepted as ours become 0600 (an older briefreader made them with the umask's mode)."""
        from briefreader.core.paths import make_private_file

        for suffix in _STATE_SUFFIXES:
            candidate = Path(f"{self.path}{suffix}")
            if candidate.exists():
                try:
                    make_private_file(candidate)
                except OSError as exc:
                    log.warning("cannot make %s private: %s", candidate, exc)

    # -- opening ---------------------------------------------------------------------------

    def _retry_busy(self, action: Callable[[], object]) -> None:
        # Switching to WAL needs a moment alone with the file and SQLite does not always wait for it
        # (its busy handler is skipped there), so a process racing another one retries until the timeout.
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                action()
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _pragma(self, name: str) -> int:
        return int(self._db.execute(f"PRAGMA {name}").fetchone()[0])

    def _user_version(self) -> int:
        return self._pragma("user_version")

    def _check_existing(self) -> None:
        version = self._user_version()
        if version > SCHEMA_VERSION:
            raise StoreVersionError(_newer_message(self.path, version))
        result = self._db.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise StoreDamagedError(
                f"the triage state file {self.path} is damaged ({result}); it was left untouched. "
                "Move it aside to start afresh, or restore it from a backup."
            )
        app_id = self._pragma("application_id")
        objects = {(kind, name): sql for kind, name, sql in self._db.execute("SELECT type, name, sql FROM sqlite_master")}
        foreign = sorted(f"{kind} {name}" for (kind, name), sql in objects.items()
                         if (kind, name) not in _KNOWN_OBJECTS and not (kind == "index" and sql is None
                                                                         and name.startswith("sqlite_autoindex_")))
        foreign += sorted(f"a changed {kind} {name}" for (kind, name), sql in objects.items()
                          if (kind, name) in _KNOWN_OBJECTS and version > 0 and sql != _KNOWN_OBJECTS[(kind, name)])
        if foreign:  # triggers, views, tables briefreader never makes: refused before anything runs
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise StoreDamagedError(
                f"{self.path} is a SQLite database briefreader did not write (it holds {shown}); "
                "it was left untouched. Move it aside to start afresh."
            )
        tables = {name for kind, name in objects if kind == "table"}
        if version == 0 and tables - {"sqlite_sequence"}:
            raise StoreDamagedError(
                f"{self.path} is a SQLite database briefreader did not write; it was left untouched."
            )
        if version > 0 and app_id not in (0, APPLICATION_ID):
            raise StoreDamagedError(f"{self.path} belongs to another program; it was left untouched.")

    def _create_schema(self) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if self._user_version() == 0:  # another process may have created it meanwhile
                    for stmt in _SCHEMA.split(";"):
                        if stmt.strip():
                            self._db.execute(stmt)
                    self._db.execute("INSERT INTO meta VALUES ('created', ?)", (self._clock(),))
                    self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Checkpoint and close the database (everything is already committed).

        The checkpoint copies the write-ahead log into the main file and empties the log, so
        ``triage.sqlite3`` alone is complete. Another process reading at that moment only delays
        it (its own close checkpoints); nothing is lost either way.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self._db.execute("PRAGMA busy_timeout = 2000")
                busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if busy:
                    log.info("triage state %s: checkpoint postponed (another process is using it)", self.path)
            except sqlite3.Error as exc:
                log.warning("triage state %s: checkpoint at close failed: %s", self.path, exc)
            self._db.close()

    def location_notice(self) -> str | None:
        """One line when the state is not in the corpus folder (why, and where it is), else None."""
        if self.in_corpus:
            return None
        line = f"{self.location_reason or 'the per-user data folder is used'}; triage state is kept in {self.path}"
        if self.seeded_from is not None:
            line += f" (started from a copy of {self.seeded_from})"
        return line

    def __enter__(self) -> TriageStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def changed_elsewhere(self) -> bool:
        """True once after another connection (process) committed a change since the last call."""
        with self._lock:
            version = self._pragma("data_version")
            changed = version != self._data_version
            self._data_version = version
            return changed

    # -- transaction helpers --------------------------------------------------------------------

    def _transaction(self) -> _Tx:
        return _Tx(self)

    def _get_row(self, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        where = " AND ".join(f"{k} = ?" for k in key)
        cur = self._db.execute(f"SELECT * FROM {table} WHERE {where}", tuple(key.values()))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cur.description], row))

    def _put_row(self, table: str, key: Mapping[str, Any], row: Mapping[str, Any] | None) -> None:
        where = " AND ".join(f"{k} = ?" for k in key)
        self._db.execute(f"DELETE FROM {table} WHERE {where}", tuple(key.values()))
        if row is not None:
            cols = list(row)
            if not all(re.fullmatch(r"[a-z_]+", c) for c in cols):
                raise StoreDamagedError(f"unexpected column in {table} (from {self.path}); nothing was changed")
            self._db.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                tuple(row[c] for c in cols),
            )

    # -- article state --------------------------------------------------------------------------

    def get(self, article_id: str) -> ArticleState:
        """Triage state of one article (defaults if untouched)."""
        return self.states([article_id])[article_id]

    def states(self, article_ids: Iterable[str] | None = None) -> dict[str, ArticleState]:
        """Triage state of the given articles (of every touched article, by id, when None).

        For a long list (tens of thousands of ids) prefer ``states()`` and treat a missing id as an
        untouched article (``ArticleState(id)``): building a default record per id costs ~5 µs each.
        """
        wanted = None if article_ids is None else list(article_ids)
        where, args = "", ()
        if wanted is not None and len(wanted) <= 500:  # a few ids (the reader's cursor): indexed look-ups
            where = f" WHERE article_id IN ({', '.join('?' for _ in wanted)})"
            args = tuple(wanted)
        with self._lock:
            rows = self._db.execute("SELECT article_id, status, note, updated FROM article_state" + where, args).fetchall()
            tag_rows = self._db.execute("SELECT article_id, tag FROM article_tag" + where, args).fetchall()
            hl_rows = self._db.execute(
                "SELECT article_id, COUNT(*) FROM highlight" + where + " GROUP BY article_id", args
            ).fetchall()
            hl_tag_rows = self._db.execute(
                "SELECT article_id, tags FROM highlight" + (where + " AND" if where else " WHERE") + " tags != '[]'", args
            ).fetchall()
            comment_rows = self._db.execute(
                "SELECT article_id, comment FROM highlight" + (where + " AND" if where else " WHERE")
                + " comment != '' ORDER BY body_start, id",
                args,
            ).fetchall()
        out: dict[str, ArticleState] = {}

        def state(aid: str) -> ArticleState:
            st = out.get(aid)
            if st is None:
                st = out[aid] = ArticleState(aid)
            return st

        for aid, status, note, updated in rows:
            st = state(aid)
            st.status, st.note, st.updated = status, note, updated
        for aid, tag in tag_rows:
            state(aid).tags.append(tag)
        for aid, n in hl_rows:
            state(aid).highlights = n
        for aid, comment in comment_rows:
            state(aid).comments.append(comment)
        for aid, blob in hl_tag_rows:
            st = state(aid)
            st.highlight_tags = normalize_tags(st.highlight_tags + _json_value(blob, []))
        for st in out.values():
            st.tags.sort(key=str.casefold)
            st.highlight_tags.sort(key=str.casefold)
        if wanted is None:
            return dict(sorted(out.items()))
        return {aid: out.get(aid) or ArticleState(aid) for aid in wanted}

    def filter_ids(self, filters: Filters, article_ids: Iterable[str]) -> list[str]:
        """The ids (kept in the given order) whose triage state satisfies ``filters``."""
        ids = list(article_ids)
        if not filters:
            return ids
        touched = self.states()  # rows only for articles the analyst did something to
        untouched_ok = matches(filters, ArticleState(""))  # every other article has the default state
        return [aid for aid in ids if (matches(filters, touched[aid]) if aid in touched else untouched_ok)]

    def _state_row(self, aid: str) -> dict[str, Any]:
        return self._get_row("article_state", {"article_id": aid}) or {
            "article_id": aid,
            "status": DEFAULT_STATUS,
            "note": "",
            "updated": None,
        }

    def _save_state(self, tx: _Tx, row: dict[str, Any]) -> None:
        key = {"article_id": row["article_id"]}
        if row["status"] == DEFAULT_STATUS and not row["note"]:
            tx.put("article_state", key, None)
        else:
            row["updated"] = tx.time
            tx.put("article_state", key, row)

    def set_status(self, article_ids: Iterable[str] | str, status: str) -> JournalEntry:
        """Set the status of one or many articles (one journal entry, undone as one)."""
        status = normalize_status(status)
        ids = _id_list(article_ids)
        with self._transaction() as tx:
            tx.begin("status", {"ids": ids, "status": status})
            for aid in ids:
                row = self._state_row(aid)
                if row["status"] != status:
                    row["status"] = status
                    self._save_state(tx, row)
        return tx.entry

    def mark_read(self, article_ids: Iterable[str] | str) -> JournalEntry | None:
        """Mark articles read if they are still new (the reader calls this on opening an article).

        Journalled as an automatic action, which :meth:`undo` skips. Returns None if nothing changed.
        """
        ids = _id_list(article_ids)
        with self._transaction() as tx:
            tx.begin("read", {"ids": ids}, auto=True)
            for aid in ids:
                row = self._state_row(aid)
                if row["status"] == DEFAULT_STATUS:
                    row["status"] = "read"
                    self._save_state(tx, row)
            if not tx.changes:
                tx.cancel()
        return tx.entry if tx.changes else None

    def set_note(self, article_id: str, note: str) -> JournalEntry:
        """Replace an article's note (an empty string clears it)."""
        note = note.strip()
        with self._transaction() as tx:
            tx.begin("note", {"ids": [article_id], "summary": _short(note)})
            row = self._state_row(article_id)
            if row["note"] != note:
                row["note"] = note
                self._save_state(tx, row)
        return tx.entry

    def add_tags(self, article_ids: Iterable[str] | str, tags: Iterable[str] | str) -> JournalEntry:
        """Add tags to one or many articles (existing tags are kept; case-insensitive duplicates skipped)."""
        ids, tag_list = _id_list(article_ids), normalize_tags(tags)
        if not tag_list:
            raise TriageError("no tag given")
        with self._transaction() as tx:
            tx.begin("tag", {"ids": ids, "tags": tag_list})
            for aid in ids:
                have = {
                    t.casefold()
                    for (t,) in self._db.execute("SELECT tag FROM article_tag WHERE article_id = ?", (aid,))
                }
                for tag in tag_list:
                    if tag.casefold() not in have:
                        tx.put("article_tag", {"article_id": aid, "tag": tag}, {"article_id": aid, "tag": tag, "added": tx.time})
        return tx.entry

    def remove_tags(self, article_ids: Iterable[str] | str, tags: Iterable[str] | str) -> JournalEntry:
        """Remove tags (matched case-insensitively) from one or many articles."""
        ids, wanted = _id_list(article_ids), {t.casefold() for t in normalize_tags(tags)}
        with self._transaction() as tx:
            tx.begin("untag", {"ids": ids, "tags": sorted(wanted)})
            for aid in ids:
                for (tag,) in self._db.execute("SELECT tag FROM article_tag WHERE article_id = ?", (aid,)).fetchall():
                    if tag.casefold() in wanted:
                        tx.put("article_tag", {"article_id": aid, "tag": tag}, None)
        return tx.entry

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag in use (articles and highlights) with how many items carry it, by name."""
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        with self._lock:
            rows = [t for (t,) in self._db.execute("SELECT tag FROM article_tag")]
            for (blob,) in self._db.execute("SELECT tags FROM highlight WHERE tags != '[]'"):
                rows.extend(_json_value(blob, []))
        for tag in rows:
            k = tag.casefold()
            names.setdefault(k, tag)
            counts[k] = counts.get(k, 0) + 1
        return sorted(((names[k], n) for k, n in counts.items()), key=lambda x: x[0].casefold())

    def complete_tag(self, prefix: str) -> list[str]:
        """Tags in use starting with ``prefix`` (case-insensitive), most used first."""
        p = prefix.casefold()
        tags = [(t, n) for t, n in self.all_tags() if t.casefold().startswith(p)]
        return [t for t, _ in sorted(tags, key=lambda x: (-x[1], x[0].casefold()))]

    # -- highlights -----------------------------------------------------------------------------

    def add_highlight(
        self,
        article: Article,
        start: int,
        end: int,
        *,
        comment: str = "",
        tags: Iterable[str] = (),
    ) -> Highlight:
        """Highlight ``article.body[start:end]`` (offsets into the cleaned body, end exclusive).

        Surrounding whitespace is trimmed from the span; raises TriageError for an empty span.
        """
        body = article.body
        start, end = max(0, start), min(len(body), end)
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if start >= end:
            raise TriageError("cannot highlight an empty passage")
        anchor = make_anchor(body, start, end)
        src_start, src_end = _source_span(article, start, end)
        with self._transaction() as tx:
            tx.begin("highlight", {"article_id": article.id, "summary": _short(anchor.exact)})
            row = {
                "article_id": article.id,
                "exact": anchor.exact,
                "prefix": anchor.prefix,
                "suffix": anchor.suffix,
                "body_start": start,
                "body_end": end,
                "source_start": src_start,
                "source_end": src_end,
                "paragraph": paragraph_number(body, start),
                "content_hash": article_hash(article),
                "comment": comment.strip(),
                "tags": json.dumps(normalize_tags(tags), ensure_ascii=False),
                "created": tx.time,
                "updated": tx.time,
                "anchor_state": "exact",
                "original_exact": None,
            }
            cur = self._db.execute(
                f"INSERT INTO highlight ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", tuple(row.values())
            )
            hid = int(cur.lastrowid or 0)
            tx.record("highlight", {"id": hid}, None, {"id": hid, **row})
            tx.detail["highlight_id"] = hid
        return _highlight_from_row({"id": hid, **row})

    def update_highlight(
        self, highlight_id: int, *, comment: str | None = None, tags: Iterable[str] | None = None
    ) -> Highlight:
        """Change a highlight's comment and/or replace its tags."""
        with self._transaction() as tx:
            tx.begin("edit-highlight", {"highlight_id": highlight_id})
            row = self._get_row("highlight", {"id": highlight_id})
            if row is None:
                raise TriageError(f"no highlight #{highlight_id}")
            tx.detail["article_id"] = row["article_id"]
            new = dict(row)
            if comment is not None:
                new["comment"] = comment.strip()
            if tags is not None:
                new["tags"] = json.dumps(normalize_tags(tags), ensure_ascii=False)
            if new != row:
                new["updated"] = tx.time
                tx.put("highlight", {"id": highlight_id}, new)
        return _highlight_from_row(new)

    def add_highlight_tags(self, highlight_id: int, tags: Iterable[str] | str) -> Highlight:
        """Add tags to a highlight, keeping the ones it has (done inside one transaction)."""
        with self._transaction() as tx:
            tx.begin("tag-highlight", {"highlight_id": highlight_id, "tags": normalize_tags(tags)})
            row = self._get_row("highlight", {"id": highlight_id})
            if row is None:
                raise TriageError(f"no highlight #{highlight_id}")
            tx.detail["article_id"] = row["article_id"]
            new = dict(row)
            new["tags"] = json.dumps(normalize_tags(_json_value(row["tags"], []) + normalize_tags(tags)), ensure_ascii=False)
            if new != row:
                new["updated"] = tx.time
                tx.put("highlight", {"id": highlight_id}, new)
        return _highlight_from_row(new)

    def delete_highlight(self, highlight_id: int) -> JournalEntry:
        """Delete a highlight (undo brings it back with the same id)."""
        with self._transaction() as tx:
            tx.begin("delete-highlight", {"highlight_id": highlight_id})
            row = self._get_row("highlight", {"id": highlight_id})
            if row is None:
                raise TriageError(f"no highlight #{highlight_id}")
            tx.detail.update(article_id=row["article_id"], summary=_short(row["exact"]))
            tx.put("highlight", {"id": highlight_id}, None)
        return tx.entry

    def highlight(self, highlight_id: int) -> Highlight | None:
        with self._lock:
            row = self._get_row("highlight", {"id": highlight_id})
        return _highlight_from_row(row) if row else None

    def highlights(self, article_id: str | None = None) -> list[Highlight]:
        """Highlights of one article (by position) or of all articles (by article, then position)."""
        sql = "SELECT * FROM highlight"
        args: tuple[Any, ...] = ()
        if article_id is not None:
            sql += " WHERE article_id = ?"
            args = (article_id,)
        sql += " ORDER BY article_id, body_start, body_end, id"
        with self._lock:
            cur = self._db.execute(sql, args)
            cols = [c[0] for c in cur.description]
            return [_highlight_from_row(dict(zip(cols, r))) for r in cur.fetchall()]

    def highlights_at(self, article_id: str, offset: int) -> list[Highlight]:
        """Highlights of an article covering body offset ``offset`` (for the reader's cursor)."""
        return [h for h in self.highlights(article_id) if not h.orphan and h.start <= offset < h.end]

    def reattach_changed(self, articles: Iterable[Article]) -> None:
        """Re-anchor the highlights of those ``articles`` whose text changed (or that are orphans)."""
        by_article: dict[str, list[Highlight]] = {}
        for h in self.highlights():
            by_article.setdefault(h.article_id, []).append(h)
        for article in articles:
            hs = by_article.get(article.id)
            if hs and any(h.orphan or h.content_hash != article_hash(article) for h in hs):
                self.reattach(article)

    def reattach(self, article: Article) -> list[Reattachment]:
        """Re-anchor an article's highlights on its current body; store what moved.

        Highlights whose text cannot be found become orphans: kept (with their text) and listed,
        never dropped; they are tried again on every call, so reverting the text brings them back.
        Not journalled: it records where the analyst's passages now are, it changes no decision.
        """
        content_hash = article_hash(article)
        results: list[Reattachment] = []
        with self._transaction() as tx:
            for h in self.highlights(article.id):
                if h.content_hash == content_hash and not h.orphan:
                    results.append(Reattachment(h, Resolution(h.anchor_state, h.start, h.end, 100.0), False))  # type: ignore[arg-type]
                    continue
                anchor, res = reanchor(h.anchor, article.body)
                row = self._get_row("highlight", {"id": h.id})
                if row is None:
                    continue
                new = dict(row)
                if res.attached:
                    src_start, src_end = _source_span(article, res.start, res.end)
                    new.update(
                        exact=anchor.exact,
                        prefix=anchor.prefix,
                        suffix=anchor.suffix,
                        body_start=anchor.start,
                        body_end=anchor.end,
                        source_start=src_start,
                        source_end=src_end,
                        paragraph=paragraph_number(article.body, anchor.start),
                        content_hash=content_hash,
                        anchor_state=res.state,
                    )
                    if anchor.exact != h.exact and not row["original_exact"]:
                        new["original_exact"] = h.exact
                else:
                    new["anchor_state"] = "orphan"
                changed = new != row
                if changed:
                    self._put_row("highlight", {"id": h.id}, new)
                results.append(Reattachment(_highlight_from_row(new), res, changed))
        return results

    def highlights_for(self, article: Article) -> list[Highlight]:
        """The highlights to paint on ``article``: re-attached to its current body, orphans left out."""
        return sorted(
            (r.highlight for r in self.reattach(article) if r.resolution.attached),
            key=lambda h: (h.start, h.end, h.id),
        )

    def orphans(self) -> list[Highlight]:
        """Highlights that could not be re-attached to their article's current text."""
        return [h for h in self.highlights() if h.orphan]

    # -- chosen quote clusters ------------------------------------------------------------------

    def choose_cluster(self, snapshot: Mapping[str, Any] | Any, *, note: str = "", titles: Mapping[str, str] | None = None) -> ChosenCluster:
        """Keep a quote cluster for the brief, as a frozen snapshot (see :func:`cluster_snapshot`).

        Choosing the same cluster id again refreshes its snapshot and keeps its place.
        """
        snap = cluster_snapshot(snapshot, titles=titles)
        key = snap["id"]
        with self._transaction() as tx:
            tx.begin("choose-quote", {"cluster": key, "summary": _short(snap["canonical"])})
            existing = self._db.execute("SELECT * FROM chosen_cluster WHERE cluster_key = ?", (key,)).fetchone()
            row = {
                "cluster_key": key,
                "speaker": snap.get("speaker"),
                "canonical": snap["canonical"],
                "variants": json.dumps(snap["variants"], ensure_ascii=False, sort_keys=True),
                "note": note.strip(),
                "created": tx.time,
            }
            if existing is not None:
                cid = existing[0]
                old = self._get_row("chosen_cluster", {"id": cid})
                assert old is not None
                row["created"] = old["created"]
                if not note:
                    row["note"] = old["note"]
                tx.put("chosen_cluster", {"id": cid}, {"id": cid, **row})
            else:
                cur = self._db.execute(
                    f"INSERT INTO chosen_cluster ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                    tuple(row.values()),
                )
                cid = int(cur.lastrowid or 0)
                tx.record("chosen_cluster", {"id": cid}, None, {"id": cid, **row})
        return _cluster_from_row({"id": cid, **row})

    def unchoose_cluster(self, cluster_key: str) -> JournalEntry:
        """Drop a chosen quote cluster from the brief (by the cluster id it was chosen with)."""
        with self._transaction() as tx:
            tx.begin("unchoose-quote", {"cluster": cluster_key})
            existing = self._db.execute("SELECT id FROM chosen_cluster WHERE cluster_key = ?", (cluster_key,)).fetchone()
            if existing is None:
                raise TriageError(f"quote cluster {cluster_key!r} was not chosen")
            tx.put("chosen_cluster", {"id": existing[0]}, None)
        return tx.entry

    def chosen_clusters(self) -> list[ChosenCluster]:
        """Chosen quote clusters, in the order they were chosen."""
        with self._lock:
            cur = self._db.execute("SELECT * FROM chosen_cluster ORDER BY id")
            cols = [c[0] for c in cur.description]
            return [_cluster_from_row(dict(zip(cols, r))) for r in cur.fetchall()]

    def is_chosen(self, cluster_key: str) -> bool:
        with self._lock:
            return (
                self._db.execute("SELECT 1 FROM chosen_cluster WHERE cluster_key = ?", (cluster_key,)).fetchone()
                is not None
            )

    # -- saved searches (virtual folders) --------------------------------------------------------

    def save_search(self, name: str, query: str) -> JournalEntry:
        """Save ``query`` (triage filters and/or full-text) under ``name``; replaces a search of that name."""
        name = " ".join(name.split()).lstrip("@")
        if not name or not re.fullmatch(r"[\w.-]+", name):
            raise TriageError(f"a saved search needs a one-word name (letters, digits, _ . -), not {name!r}")
        split_filters(query)  # refuse a query with a bad filter now, not when it is used
        if not query.strip():
            raise TriageError("cannot save an empty search")
        with self._transaction() as tx:
            tx.begin("save-search", {"summary": f"@{name} = {query.strip()}"})
            old = self._get_row("saved_search", {"name": name})
            created = old["created"] if old else tx.time
            tx.put("saved_search", {"name": name}, {"name": name, "query": query.strip(), "created": created})
        return tx.entry

    def delete_search(self, name: str) -> JournalEntry:
        """Forget a saved search."""
        name = name.strip().lstrip("@")
        with self._transaction() as tx:
            tx.begin("forget-search", {"summary": f"@{name}"})
            if self._get_row("saved_search", {"name": name}) is None:
                raise TriageError(f"no saved search @{name}")
            tx.put("saved_search", {"name": name}, None)
        return tx.entry

    def saved_searches(self) -> dict[str, str]:
        """Saved searches, name -> query, by name."""
        with self._lock:
            return dict(self._db.execute("SELECT name, query FROM saved_search ORDER BY name"))

    def expand_saved(self, query: str) -> str:
        """Replace each ``@NAME`` word of ``query`` by that saved search (raises TriageError if unknown)."""
        saved = self.saved_searches()

        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in saved:
                known = ", ".join("@" + n for n in saved) or "none saved yet"
                raise TriageError(f"no saved search @{name} ({known})")
            return saved[name]

        pattern = re.compile(r"(?<!\S)@([\w.-]+)(?!\S)")
        for _ in range(10):  # saved searches may use other saved searches
            if not pattern.search(query):
                return query
            query = pattern.sub(sub, query)
        raise TriageError("saved searches refer to each other in a loop")

    # -- journal and undo -----------------------------------------------------------------------

    def journal(self, limit: int | None = 50, *, include_auto: bool = True) -> list[JournalEntry]:
        """The latest actions, newest first."""
        sql = "SELECT id, time, action, detail, auto, undone FROM journal"
        if not include_auto:
            sql += " WHERE auto = 0"
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._lock:
            rows = self._db.execute(sql).fetchall()
        return [JournalEntry(r[0], r[1], r[2], _json_value(r[3], {}), bool(r[4]), bool(r[5])) for r in rows]

    def undo(self, count: int = 1) -> list[JournalEntry]:
        """Undo the last ``count`` actions not yet undone (automatic ones skipped), newest first.

        Returns the entries undone (empty when there is nothing to undo). The undo itself is
        journalled too.
        """
        undone: list[JournalEntry] = []
        with self._transaction() as tx:
            tx.begin("undo", {})
            for _ in range(max(0, count)):
                r = self._db.execute(
                    "SELECT id, time, action, detail, auto, undone FROM journal "
                    "WHERE undone = 0 AND auto = 0 AND action != 'undo' ORDER BY id DESC LIMIT 1"
                ).fetchone()
                if r is None:
                    break
                entry = JournalEntry(r[0], r[1], r[2], _json_value(r[3], {}), bool(r[4]), True)
                changes = self._db.execute(
                    "SELECT tbl, key, before FROM journal_change WHERE journal_id = ? ORDER BY seq DESC", (entry.id,)
                ).fetchall()
                for tbl, key, before in changes:
                    key_cols = _json_value(key, {})
                    if tbl not in _KEYS or set(key_cols) != set(_KEYS[tbl]):
                        raise StoreDamagedError(f"the journal in {self.path} names an unknown row ({tbl}); nothing was undone")
                    old_row = _json_value(before, {}) if before is not None else None
                    if before is not None and not old_row:
                        raise StoreDamagedError(f"the journal in {self.path} holds an unreadable row ({tbl}); "
                                                "nothing was undone")
                    tx.put(tbl, key_cols, old_row)
                self._db.execute("UPDATE journal SET undone = 1 WHERE id = ?", (entry.id,))
                undone.append(entry)
            if not undone:
                tx.cancel()
            else:
                tx.detail.update(undid=[e.id for e in undone], summary="; ".join(e.describe() for e in undone))
        return undone

    # -- resume ---------------------------------------------------------------------------------

    def resume_state(self) -> ResumeState:
        """Where the analyst stopped last time (defaults on a new corpus)."""
        with self._lock:
            r = self._db.execute("SELECT article_id, filter, scroll, extra, updated FROM resume WHERE id = 1").fetchone()
        if r is None:
            return ResumeState()
        return ResumeState(r[0], r[1], float(r[2]), _json_value(r[3], {}), r[4])

    def save_resume(
        self,
        article_id: str | None,
        filter: str = "",
        scroll: float = 0.0,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Remember the current article, filter/query, scroll position (and reader extras). Not journalled."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise TriageError(f"cannot save the reading position: {exc}") from exc
            try:
                self._db.execute(
                    "INSERT INTO resume (id, article_id, filter, scroll, extra, updated) VALUES (1, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET article_id = excluded.article_id, filter = excluded.filter, "
                    "scroll = excluded.scroll, extra = excluded.extra, updated = excluded.updated",
                    (article_id, filter, float(scroll), json.dumps(dict(extra or {}), ensure_ascii=False), self._clock()),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # -- summary --------------------------------------------------------------------------------

    def summary(self, article_ids: Iterable[str] | None = None) -> dict[str, Any]:
        """Counts for `status`: per status (over ``article_ids`` if given), tags, highlights, orphans."""
        states = self.states(article_ids)
        by_status = {s: 0 for s in STATUSES}
        for st in states.values():
            by_status[st.status] = by_status.get(st.status, 0) + 1
        hls = self.highlights()
        return {
            "articles": len(states) if article_ids is not None else None,
            "status": by_status,
            "tags": dict(self.all_tags()),
            "notes": sum(1 for s in states.values() if s.note),
            "highlights": len(hls),
            "orphan_highlights": sum(1 for h in hls if h.orphan),
            "chosen_quotes": len(self.chosen_clusters()),
            "saved_searches": self.saved_searches(),
        }


class _Tx:
    """One write transaction that records before/after images of every row it changes."""

    def __init__(self, store: TriageStore) -> None:
        self.store = store
        self.time = ""
        self.action: str | None = None
        self.detail: dict[str, Any] = {}
        self.auto = False
        self.changes: list[tuple[str, dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]] = []
        self.entry: JournalEntry = JournalEntry(0, "", "", {})  # id 0: nothing changed, nothing journalled
        self._cancelled = False

    def __enter__(self) -> _Tx:
        self.store._lock.acquire()
        try:
            self.store._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            self.store._lock.release()
            if "locked" in str(exc) or "busy" in str(exc):
                raise TriageError(
                    f"the triage state is busy (another briefreader kept it locked for {self.store.timeout:g} s); "
                    "nothing was changed, try again"
                ) from exc
            if _is_full(exc):
                raise _disk_full(self.store.path, "this change") from exc
            raise TriageError(f"cannot write the triage state {self.store.path}: {exc}; nothing was changed") from exc
        except BaseException:
            self.store._lock.release()
            raise
        self.time = self.store._clock()
        return self

    def begin(self, action: str, detail: dict[str, Any], *, auto: bool = False) -> None:
        self.action, self.detail, self.auto = action, detail, auto

    def _what(self) -> str:
        """What this transaction would have saved, for a "disk full" message."""
        if self.action is None:
            return "this change"
        return f"this change ({self.action})"

    def cancel(self) -> None:
        self._cancelled = True

    def record(self, table: str, key: dict[str, Any], before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        self.changes.append((table, key, before, after))

    def put(self, table: str, key: dict[str, Any], row: dict[str, Any] | None) -> None:
        before = self.store._get_row(table, key)
        if before == (dict(row) if row is not None else None):
            return
        self.store._put_row(table, key, row)
        self.record(table, key, before, dict(row) if row is not None else None)

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        db = self.store._db
        try:
            if exc_type is not None:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    if _is_full(exc):
                        raise _disk_full(self.store.path, self._what()) from exc
                    raise TriageError(f"cannot write the triage state {self.store.path}: {exc}; nothing was changed") from exc
                return
            try:
                self._commit(db)
            except sqlite3.Error as err:
                if db.in_transaction:
                    try:
                        db.execute("ROLLBACK")
                    except sqlite3.Error as rollback_exc:  # SQLite may have rolled back itself (SQLITE_FULL)
                        log.debug("rollback after %s: %s", err, rollback_exc)
                if _is_full(err):
                    raise _disk_full(self.store.path, self._what()) from err
                raise TriageError(f"cannot write the triage state {self.store.path}: {err}; nothing was changed") from err
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        finally:
            self.store._lock.release()

    def _commit(self, db: sqlite3.Connection) -> None:
        """Write the journal entry and its row images (none for an action that changed nothing), then commit."""
        if self.action is not None and not self._cancelled and (self.changes or self.action == "undo"):
            cur = db.execute(
                "INSERT INTO journal (time, action, detail, auto) VALUES (?, ?, ?, ?)",
                (self.time, self.action, json.dumps(self.detail, ensure_ascii=False), int(self.auto)),
            )
            jid = int(cur.lastrowid or 0)
            db.executemany(
                "INSERT INTO journal_change (journal_id, seq, tbl, key, before, after) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        jid,
                        i,
                        t,
                        json.dumps(k, ensure_ascii=False),
                        None if b is None else json.dumps(b, ensure_ascii=False),
                        None if a is None else json.dumps(a, ensure_ascii=False),
                    )
                    for i, (t, k, b, a) in enumerate(self.changes)
                ],
            )
            self.entry = JournalEntry(jid, self.time, self.action, self.detail, self.auto, False)
        db.execute("COMMIT")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _id_list(ids: Iterable[str] | str) -> list[str]:
    if isinstance(ids, str):
        ids = [ids]
    out = list(dict.fromkeys(i for i in ids if i))
    if not out:
        raise TriageError("no article given")
    return out


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _source_span(article: Article, start: int, end: int) -> tuple[int | None, int | None]:
    if not article.offsets.segments and not article.source:
        return None, None
    return article.offsets.to_source(start), article.offsets.to_source(end - 1) + 1


def _highlight_from_row(row: Mapping[str, Any]) -> Highlight:
    return Highlight(
        id=row["id"],
        article_id=row["article_id"],
        exact=row["exact"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        start=row["body_start"],
        end=row["body_end"],
        source_start=row["source_start"],
        source_end=row["source_end"],
        paragraph=row["paragraph"],
        content_hash=row["content_hash"],
        comment=row["comment"],
        tags=_json_value(row["tags"], []),
        created=row["created"],
        updated=row["updated"],
        anchor_state=row["anchor_state"],
        original_exact=row["original_exact"],
    )


def _cluster_from_row(row: Mapping[str, Any]) -> ChosenCluster:
    return ChosenCluster(
        id=row["id"],
        cluster_key=row["cluster_key"],
        speaker=row["speaker"],
        canonical=row["canonical"],
        variants=_json_value(row["variants"], []),
        note=row["note"],
        created=row["created"],
    )


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


_VARIANT_FIELDS = ("article", "outlet", "date", "title", "text", "start", "end", "speaker")
_VARIANT_EXTRAS = ("source_start", "source_end", "partial", "canonical_span", "similarity", "speaker_confidence",
                   "alteration")


def cluster_snapshot(cluster: Mapping[str, Any] | Any, *, titles: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A JSON-ready frozen copy of a quote cluster: ``{id, speaker, canonical, variants: [{article,
    outlet, date, title, text, start, end, speaker}]}`` (plus ``source_start``, ``source_end``,
    ``partial``, ``canonical_span``, ``similarity`` for each variant when the cluster has them).

    Accepts the one cluster model: a core ``QuoteCluster`` (which the reader shows too) or its
    `quotes --json` form (a dict with the same names); ``titles`` (article id -> title) fills titles
    the cluster does not carry. Variants are kept in the cluster's order (by date, earliest first).
    """
    variants = []
    for v in _get(cluster, "variants", None) or []:
        d = {f: _get(v, f) for f in _VARIANT_FIELDS}
        for f in _VARIANT_EXTRAS:  # kept when the clustering gives them
            value = _get(v, f)
            if value is not None:
                d[f] = list(value) if isinstance(value, tuple) else value
        if not d["title"] and titles and d["article"] in titles:
            d["title"] = titles[d["article"]]
        if d["text"] is None:
            raise TriageError("a quote variant has no text")
        variants.append(d)
    if not variants:
        raise TriageError("a quote cluster without variants cannot be chosen")
    canonical = _get(cluster, "canonical")
    if not isinstance(canonical, str):
        canonical = _get(canonical, "text") if canonical is not None else None
    canonical = canonical or variants[0]["text"]
    cid = _get(cluster, "id")
    if cid is None or cid == "":
        cid = "q-" + hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:10]
    return {"id": str(cid), "speaker": _get(cluster, "speaker"), "canonical": canonical, "variants": variants}


# ---------------------------------------------------------------------------------------------
# Opening a corpus's store
# ---------------------------------------------------------------------------------------------


def store_path(root: Path | str) -> tuple[Path, bool]:
    """Where the corpus's triage database lives, and whether that is inside the corpus."""
    from briefreader.core.paths import state_dir

    folder, in_corpus = state_dir(Path(root), kind="data")
    return folder / DB_NAME, in_corpus


def _refuse_links(path: Path) -> None:
    """Refuse a state file (or its -wal, -shm, -journal) that is a symbolic link or not a regular file."""
    from briefreader.core.paths import UnsafePathError, refuse_unless_regular

    for suffix in _STATE_SUFFIXES:
        try:
            refuse_unless_regular(Path(f"{path}{suffix}"))
        except UnsafePathError as exc:
            raise TriageError(f"{exc}; the triage state was not opened") from None


def open_store(root: Path | str, *, clock: Callable[[], str] = now_iso) -> TriageStore:
    """Open (creating if needed) the triage store of the corpus at ``root``.

    When the corpus folder is read-only the store lives in the per-user data folder
    (``store.in_corpus`` is False: tell the user ``store.location_notice()``); so does it when
    ``DIR/.briefreader`` or a state file in it is a symbolic link (refused, never written through).
    If the corpus carries a plain triage file of its own, the new per-user store starts as a copy of
    it (``store.seeded_from``).
    """
    import os
    import stat as stat_module

    from briefreader.core.paths import READ_ONLY_REASON, STATE_DIR_NAME, fallback_reason

    root = Path(root)
    try:
        path, in_corpus = store_path(root)
    except OSError as exc:
        if _is_full(exc):
            raise _disk_full(root / STATE_DIR_NAME, "the triage state folder") from exc
        raise TriageError(f"no folder for the triage state of {root}: {exc}") from exc

    seeded: Path | None = None
    reason = None if in_corpus else fallback_reason(root)
    if not in_corpus and not path.exists() and reason == READ_ONLY_REASON:
        inside = root / STATE_DIR_NAME / DB_NAME
        try:  # a plain file only: never read through a link the corpus carries
            plain = stat_module.S_ISREG(os.lstat(inside).st_mode) and not os.path.islink(inside.parent)
        except OSError:
            plain = False
        if plain:
            _check_file(inside)
            _copy_database(inside, path)
            seeded = inside
    store = TriageStore(path, in_corpus=in_corpus, clock=clock)
    store.seeded_from = seeded
    store.location_reason = reason
    return store


def _copy_database(src: Path, dest: Path) -> None:
    """Copy a (possibly read-only) SQLite database with the backup API (into a new 0600 file)."""
    from briefreader.core.paths import make_private_file, safe_unlink

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    safe_unlink(tmp, dest.parent)  # a leftover (or a link) goes; the copy is made in a fresh file
    make_private_file(tmp)
    try:
        source = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.execute("PRAGMA trusted_schema = OFF")
            target = sqlite3.connect(str(tmp))
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        tmp.replace(dest)
    except sqlite3.Error as exc:
        safe_unlink(tmp, dest.parent)
        if _is_full(exc):
            raise _disk_full(dest, "the copy of the corpus's triage file") from exc
        raise StoreDamagedError(f"cannot copy the corpus's triage file {src}: {exc}") from exc


def format_filters_help() -> str:
    """One line describing the filter syntax (for help screens)."""
    return "status:keep  status:keep,follow-up  -status:discard  tag:NAME  -tag:NAME  has:note|tags|highlight  note:WORDS"


__all__ = [
    "STATUSES",
    "ArticleState",
    "ChosenCluster",
    "Filters",
    "Highlight",
    "JournalEntry",
    "Reattachment",
    "ResumeState",
    "StoreDamagedError",
    "StoreVersionError",
    "TriageError",
    "TriageStore",
    "cluster_snapshot",
    "matches",
    "normalize_status",
    "normalize_tags",
    "open_store",
    "parse_filters",
    "split_filters",
    "store_path",
]
