"""The journal of triage actions: one write transaction that records the before and after image of
every row it changes (so any action can be undone exactly), reading the journal, and undo.

Writes are short ``BEGIN IMMEDIATE`` transactions changing single rows, so two processes writing at
once both keep their changes; a full disk is reported as "disk full: ... not saved".
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefreader.core.triage_model import JournalEntry, StoreDamagedError, TriageError
from briefreader.storage.triage_file import TABLE_KEYS, disk_full, is_full
from briefreader.storage.triage_rows import json_value

if TYPE_CHECKING:
    from briefreader.storage.triage_store import TriageStore

log = logging.getLogger(__name__)


def _cannot_write(path: Path, exc: BaseException) -> TriageError:
    return TriageError(f"cannot write the triage state {path}: {exc}; nothing was changed")


class Transaction:
    """One write transaction that records before/after images of every row it changes."""

    def __init__(self, store: TriageStore) -> None:
        """A transaction on ``store``; entered with ``with``, it holds the store's lock."""
        self.store = store
        self.time = ""
        self.action: str | None = None
        self.detail: dict[str, Any] = {}
        self.auto = False
        self.changes: list[tuple[str, dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]] = []
        self.entry: JournalEntry = JournalEntry(0, "", "", {})  # id 0: nothing changed, nothing journalled
        self._cancelled = False

    def __enter__(self) -> Transaction:
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
            if is_full(exc):
                raise disk_full(self.store.path, "this change") from exc
            raise _cannot_write(self.store.path, exc) from exc
        except BaseException:
            self.store._lock.release()
            raise
        self.time = self.store._clock()
        return self

    def begin(self, action: str, detail: dict[str, Any], *, auto: bool = False) -> None:
        """Name the action to journal (``auto``: an automatic one, which undo skips)."""
        self.action, self.detail, self.auto = action, detail, auto

    def _what(self) -> str:
        """What this transaction would have saved, for a "disk full" message."""
        if self.action is None:
            return "this change"
        return f"this change ({self.action})"

    def cancel(self) -> None:
        """Journal nothing for this transaction (its row changes still commit)."""
        self._cancelled = True

    def record(
        self, table: str, key: dict[str, Any], before: dict[str, Any] | None, after: dict[str, Any] | None
    ) -> None:
        """Remember a row change made by hand (an INSERT with a new id) for the journal."""
        self.changes.append((table, key, before, after))

    def put(self, table: str, key: dict[str, Any], row: dict[str, Any] | None) -> None:
        """Replace (or with None delete) one row, journalling its before and after images."""
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
                    if is_full(exc):
                        raise disk_full(self.store.path, self._what()) from exc
                    raise _cannot_write(self.store.path, exc) from exc
                return
            try:
                self._commit(db)
            except sqlite3.Error as err:
                if db.in_transaction:
                    try:
                        db.execute("ROLLBACK")
                    except sqlite3.Error as rollback_exc:  # SQLite may have rolled back itself (SQLITE_FULL)
                        log.debug("rollback after %s: %s", err, rollback_exc)
                if is_full(err):
                    raise disk_full(self.store.path, self._what()) from err
                raise _cannot_write(self.store.path, err) from err
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



_JOURNAL_COLUMNS = "id, time, action, detail, auto, undone"


def read_journal(store: TriageStore, limit: int | None = 50, *, include_auto: bool = True) -> list[JournalEntry]:
    """The latest actions of ``store``, newest first (automatic ones left out unless ``include_auto``)."""
    sql = f"SELECT {_JOURNAL_COLUMNS} FROM journal"
    if not include_auto:
        sql += " WHERE auto = 0"
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with store._lock:
        rows = store._db.execute(sql).fetchall()
    return [JournalEntry(r[0], r[1], r[2], json_value(r[3], {}), bool(r[4]), bool(r[5])) for r in rows]


def undo(store: TriageStore, count: int = 1) -> list[JournalEntry]:
    """Undo the last ``count`` actions of ``store`` not yet undone (automatic ones skipped), newest
    first; the undo is journalled too. Returns the entries undone (empty when there is nothing)."""
    undone: list[JournalEntry] = []
    with Transaction(store) as tx:
        tx.begin("undo", {})
        for _ in range(max(0, count)):
            row = store._db.execute(
                f"SELECT {_JOURNAL_COLUMNS} FROM journal "
                "WHERE undone = 0 AND auto = 0 AND action != 'undo' ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                break
            entry = JournalEntry(row[0], row[1], row[2], json_value(row[3], {}), bool(row[4]), True)
            _restore_rows(store, tx, entry.id)
            store._db.execute("UPDATE journal SET undone = 1 WHERE id = ?", (entry.id,))
            undone.append(entry)
        if not undone:
            tx.cancel()
        else:
            tx.detail.update(undid=[e.id for e in undone], summary="; ".join(e.describe() for e in undone))
    return undone


def _restore_rows(store: TriageStore, tx: Transaction, journal_id: int) -> None:
    """Put back the before image of every row journal entry ``journal_id`` changed (last first)."""
    changes = store._db.execute(
        "SELECT tbl, key, before FROM journal_change WHERE journal_id = ? ORDER BY seq DESC", (journal_id,)
    ).fetchall()
    for table, key, before in changes:
        key_cols = json_value(key, {})
        if table not in TABLE_KEYS or set(key_cols) != set(TABLE_KEYS[table]):
            raise StoreDamagedError(f"the journal in {store.path} names an unknown row ({table}); nothing was undone")
        old_row = json_value(before, {}) if before is not None else None
        if before is not None and not old_row:
            raise StoreDamagedError(
                f"the journal in {store.path} holds an unreadable row ({table}); nothing was undone"
            )
        tx.put(table, key_cols, old_row)
