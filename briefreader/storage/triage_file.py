"""The triage state file on disk: its schema, the checks that refuse a file briefreader did not
write (or a newer one wrote), opening the SQLite connection safely, where the file lives, and copying
it out of a read-only corpus.

The file travels with the corpus, so it is untrusted input: it is opened with
``PRAGMA trusted_schema=OFF`` and refused (left untouched) when its schema holds triggers, views,
tables or indexes briefreader did not make. It is created 0600 and never written through a symbolic
link. A full disk is reported as "disk full: ... not saved", never as damage.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from briefreader.core.triage_model import (
    StoreBusyError,
    StoreDamagedError,
    StoreDiskFullError,
    StoreVersionError,
    TriageError,
)

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
DB_NAME = "triage.sqlite3"
APPLICATION_ID = 0x42524652  # "BRFR": marks the file as briefreader's

SCHEMA = """
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

TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "article_state": ("article_id",),
    "article_tag": ("article_id", "tag"),
    "highlight": ("id",),
    "chosen_cluster": ("id",),
    "saved_search": ("name",),
}

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _schema_objects() -> dict[tuple[str, str], str | None]:
    """(type, name) -> CREATE statement of every object :data:`SCHEMA` makes (tables, indexes, SQLite's own)."""
    db = sqlite3.connect(":memory:")
    try:
        for stmt in SCHEMA.split(";"):
            if stmt.strip():
                db.execute(stmt)
        return {(kind, name): sql for kind, name, sql in db.execute("SELECT type, name, sql FROM sqlite_master")}
    finally:
        db.close()


_KNOWN_OBJECTS = _schema_objects()
STATE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def check_file(path: Path) -> None:
    """Refuse (without opening it through SQLite) a file that is not a SQLite database, or that a
    newer briefreader wrote. An empty file counts as new."""
    header = b""
    for _attempt in range(3):
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


def is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _newer_message(path: Path, version: int) -> str:
    return (
        f"the triage state file {path} was written by a newer briefreader (schema {version}, this "
        f"version reads up to {SCHEMA_VERSION}); it was left untouched. Upgrade briefreader to use it."
    )



def is_full(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLITE_FULL or ENOSPC/EDQUOT (a full disk, not a damaged file)."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == 13 or "database or disk is full" in str(exc)  # 13: SQLITE_FULL
    return False


def disk_full(path: Path, what: str) -> StoreDiskFullError:
    """The error for a write that a full disk stopped (``what`` names what was not saved)."""
    return StoreDiskFullError(
        f"disk full: {what} was not saved (triage state {path}); free some space and try again"
    )



def open_connection(path: Path, *, timeout: float, clock: Callable[[], str]) -> tuple[sqlite3.Connection, int]:
    """Open (creating if needed) the triage database at ``path``: links refused, an existing file
    checked before SQLite reads it, WAL mode with ``synchronous=FULL``, the schema made in a new file.
    Returns the connection (autocommit; the caller begins its own transactions) and its
    ``data_version``. Raises a :class:`TriageError` with one clear sentence."""
    refuse_links(path)
    existed = path.exists() and path.stat().st_size > 0
    if path.exists():
        check_file(path)
    try:
        from briefreader.core.paths import make_private_dir, make_private_file

        make_private_dir(path.parent, base=path.parent.parent)
        if not path.exists():
            make_private_file(path)  # 0600 before SQLite creates it (its -wal and -shm copy the mode)
    except OSError as exc:
        if is_full(exc):
            raise disk_full(path, "the new triage state file") from exc
        raise StoreDamagedError(f"cannot create the triage state file {path}: {exc.strerror or exc}") from exc
    try:
        db = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreDamagedError(f"cannot open the triage state file {path}: {exc}") from exc
    try:
        # The file may come from someone else: no function or virtual table named in its schema runs.
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        if existed:
            check_existing(db, path)
        _retry_busy(lambda: db.execute("PRAGMA journal_mode = WAL"), timeout)
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        if not existed or pragma(db, "user_version") == 0:
            create_schema(db, clock)
    except TriageError:
        db.close()
        raise
    except sqlite3.OperationalError as exc:
        db.close()
        if is_busy(exc):
            raise StoreBusyError(
                f"the triage state file {path} is busy (another briefreader holds it); nothing was changed"
            ) from exc
        if is_full(exc):
            raise disk_full(path, "the triage state (opening it)") from exc
        raise StoreDamagedError(_damaged_message(path, exc)) from exc
    except sqlite3.DatabaseError as exc:
        db.close()
        raise StoreDamagedError(_damaged_message(path, exc)) from exc
    data_version = pragma(db, "data_version")
    make_private(path)
    return db, data_version


def _damaged_message(path: Path, problem: object) -> str:
    return (
        f"the triage state file {path} is damaged ({problem}); it was left untouched. "
        "Move it aside to start afresh, or restore it from a backup."
    )


def make_private(path: Path) -> None:
    """Files accepted as ours become 0600 (an older briefreader made them with the umask's mode)."""
    from briefreader.core.paths import make_private_file

    for suffix in STATE_SUFFIXES:
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            try:
                make_private_file(candidate)
            except OSError as exc:
                log.warning("cannot make %s private: %s", candidate, exc)


def _retry_busy(action: Callable[[], object], timeout: float) -> None:
    # Switching to WAL needs a moment alone with the file and SQLite does not always wait for it
    # (its busy handler is skipped there), so a process racing another one retries until the timeout.
    deadline = time.monotonic() + timeout
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def pragma(db: sqlite3.Connection, name: str) -> int:
    """The integer value of ``PRAGMA name``."""
    return int(db.execute(f"PRAGMA {name}").fetchone()[0])


def check_existing(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a database that a newer briefreader wrote, that is damaged, or that holds objects
    briefreader never makes (triggers, views, foreign tables): before anything in it runs.
    Read in one transaction: another process may be creating the schema right now, and its tables
    seen without the version it sets in the same commit would look like somebody else's database."""
    db.execute("BEGIN")
    try:
        _check_existing(db, path)
    finally:
        db.execute("COMMIT")


def _check_existing(db: sqlite3.Connection, path: Path) -> None:
    version = pragma(db, "user_version")
    if version > SCHEMA_VERSION:
        raise StoreVersionError(_newer_message(path, version))
    result = db.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise StoreDamagedError(_damaged_message(path, result))
    app_id = pragma(db, "application_id")
    objects = {(kind, name): sql for kind, name, sql in db.execute("SELECT type, name, sql FROM sqlite_master")}
    foreign = sorted(f"{kind} {name}" for (kind, name), sql in objects.items()
                     if (kind, name) not in _KNOWN_OBJECTS and not (kind == "index" and sql is None
                                                                     and name.startswith("sqlite_autoindex_")))
    foreign += sorted(f"a changed {kind} {name}" for (kind, name), sql in objects.items()
                      if (kind, name) in _KNOWN_OBJECTS and version > 0 and sql != _KNOWN_OBJECTS[(kind, name)])
    if foreign:  # triggers, views, tables briefreader never makes: refused before anything runs
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise StoreDamagedError(
            f"{path} is a SQLite database briefreader did not write (it holds {shown}); "
            "it was left untouched. Move it aside to start afresh."
        )
    tables = {name for kind, name in objects if kind == "table"}
    if version == 0 and tables - {"sqlite_sequence"}:
        raise StoreDamagedError(f"{path} is a SQLite database briefreader did not write; it was left untouched.")
    if version > 0 and app_id not in (0, APPLICATION_ID):
        raise StoreDamagedError(f"{path} belongs to another program; it was left untouched.")


def create_schema(db: sqlite3.Connection, clock: Callable[[], str]) -> None:
    """Make the tables in a new (empty) database, unless another process just did."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if pragma(db, "user_version") == 0:  # another process may have created it meanwhile
            for stmt in SCHEMA.split(";"):
                if stmt.strip():
                    db.execute(stmt)
            db.execute("INSERT INTO meta VALUES ('created', ?)", (clock(),))
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def store_path(root: Path | str) -> tuple[Path, bool]:
    """Where the corpus's triage database lives, and whether that is inside the corpus."""
    from briefreader.core.paths import state_dir

    folder, in_corpus = state_dir(Path(root), kind="data")
    return folder / DB_NAME, in_corpus


def refuse_links(path: Path) -> None:
    """Refuse a state file (or its -wal, -shm, -journal) that is a symbolic link or not a regular file."""
    from briefreader.core.paths import UnsafePathError, refuse_unless_regular

    for suffix in STATE_SUFFIXES:
        try:
            refuse_unless_regular(Path(f"{path}{suffix}"))
        except UnsafePathError as exc:
            raise TriageError(f"{exc}; the triage state was not opened") from None


def copy_database(src: Path, dest: Path) -> None:
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
        if is_full(exc):
            raise disk_full(dest, "the copy of the corpus's triage file") from exc
        raise StoreDamagedError(f"cannot copy the corpus's triage file {src}: {exc}") from exc
