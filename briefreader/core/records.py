"""Cache of cleaned article records, so that reopening an unchanged corpus costs a stat per file.

One SQLite file in the corpus's state folder (or the per-user cache folder for a read-only corpus).
A row per source file: its size and mtime when it was read, and its cleaned articles (pickled, with
the line fingerprints used for repeated-boilerplate evidence). The cache is disposable: any
mismatch of versions or any damage means it is rebuilt, with a message.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path


from briefreader.core.model import Article, LoadWarning
from briefreader.core.paths import state_dir

CACHE_FILE = "records.sqlite"
# Bump when the loader's output for the same input changes.
LOADER_VERSION = "1"
# A file modified this recently may change again within the same mtime tick: never trust its stat.
RACY_SECONDS = 2.0

Entry = tuple[Article, frozenset[str], str]


@dataclass
class CachedFile:
    entries: list[Entry]
    warnings: list[LoadWarning] = field(default_factory=list)


class RecordCache:
    """Cleaned records keyed by relative path, valid while size and mtime are unchanged."""

    def __init__(self, db: sqlite3.Connection | None, location: Path | None, warning: str | None) -> None:
        self._db = db
        self.location = location
        self.warning = warning
        self._rows: dict[str, tuple[int, int, bytes]] = {}
        if db is not None:
            try:
                for path, size, mtime, blob in db.execute("SELECT path, size, mtime_ns, entries FROM files"):
                    self._rows[path] = (size, mtime, blob)
            except sqlite3.DatabaseError as exc:
                self.warning = f"record cache unreadable ({exc}); records are rebuilt"
                self._rows = {}

    @classmethod
    def open(cls, root: Path, *, rules_digest: str, manifest_digest: str) -> RecordCache:
        """Open (or create) the cache of ``root``; never raises: a broken cache is recreated."""
        version = f"{LOADER_VERSION}:{rules_digest}:{manifest_digest}"
        try:
            folder, _ = state_dir(root, kind="cache")
        except OSError as exc:
            return cls(None, None, f"no writable folder for the record cache ({exc}); nothing cached")
        path = folder / CACHE_FILE
        warning = None
        for attempt in range(2):
            try:
                db = sqlite3.connect(path, timeout=10, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, "
                           "mtime_ns INTEGER, entries BLOB, warnings BLOB)")
                row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
                if row is None or row[0] != version:
                    with db:
                        db.execute("DELETE FROM files")
                        db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))
                return cls(db, path, warning)
            except sqlite3.DatabaseError as exc:
                if attempt:
                    return cls(None, None, f"record cache unusable ({exc}); nothing cached")
                warning = f"record cache was damaged ({exc}); rebuilt"
                for suffix in ("", "-wal", "-shm"):
                    try:
                        os.unlink(f"{path}{suffix}")
                    except OSError:
                        pass
        return cls(None, None, warning)

    def lookup(self, root: Path, rel: str) -> CachedFile | None:
        """The cached records of ``rel`` if its size and mtime are unchanged, else None."""
        row = self._rows.get(rel)
        if row is None:
            return None
        size, mtime, blob = row
        try:
            st = os.stat(Path(root) / rel)
        except OSError:
            return None
        if st.st_size != size or st.st_mtime_ns != mtime:
            return None
        try:
            entries, warnings = pickle.loads(blob)
        except Exception:  # a damaged row is just a miss
            return None
        return CachedFile(entries, warnings)

    def store(self, root: Path, items: list[tuple[str, int | None, int | None, list[Entry], list[LoadWarning] | None]],
              *, keep: set[str]) -> None:
        """Save fresh or re-cleaned records, and forget files that are gone. Errors are ignored."""
        if self._db is None:
            return
        now_ns = time.time_ns()
        try:
            with self._db:
                for path, size, mtime, entries, warnings in items:
                    if size is None:
                        old = self._rows.get(path)
                        if old is None:
                            continue
                        size, mtime = old[0], old[1]
                        if warnings is None:
                            try:
                                warnings = pickle.loads(old[2])[1]
                            except Exception:
                                warnings = []
                    if mtime is not None and now_ns - mtime < RACY_SECONDS * 1e9:
                        mtime = -1
                    blob = pickle.dumps((entries, warnings or []), protocol=pickle.HIGHEST_PROTOCOL)
                    self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, NULL)",
                                     (path, size, mtime, blob))
                gone = [p for p in self._rows if p not in keep]
                self._db.executemany("DELETE FROM files WHERE path=?", [(p,) for p in gone])
        except sqlite3.DatabaseError:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


