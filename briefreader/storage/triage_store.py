"""Triage state of a corpus in one SQLite file: status, tags and notes per article, highlights,
chosen quote clusters, saved searches, a journal of every action with undo, and where the analyst
stopped reading.

One file per corpus (``triage.sqlite3`` in the corpus's state folder), in WAL mode, with every action
committed when it is made (``synchronous=FULL``): a killed process loses nothing it acknowledged.
A file written by a newer briefreader, or a damaged one, is refused with a clear message and left
untouched (:mod:`briefreader.storage.triage_file`); each write is one journalled transaction
(:mod:`briefreader.storage.journal`). The file is checkpointed when closed, so the main file alone
holds everything: copy or back up ``triage.sqlite3`` by itself.

Front ends do not call this module: they go through :class:`briefreader.workspace.Workspace`.

Usage::

    store = open_store(corpus_root)          # TriageStore; store.in_corpus False => tell the user
    store.set_status(["a.txt", "b.txt"], "keep")
    h = store.add_highlight(article, start, end, comment="key claim", tags=["sanctions"])
    store.undo()                             # undoes the last action (by the journal)

Every write waits for the disk (~4 ms here) and for another process's write up to ``timeout``: call
it from a worker thread in the reader.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import stat as stat_module
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from briefreader.core.model import Article
from briefreader.core.query import Filters, expand_saved, matches, search_name, split_filters
from briefreader.core.snapshots import cluster_snapshot
from briefreader.core.triage_model import (
    DEFAULT_STATUS,
    STATUSES,
    ArticleState,
    ChosenCluster,
    Highlight,
    JournalEntry,
    Reattachment,
    ResumeState,
    StoreDamagedError,
    TriageError,
    article_hash,
    normalize_status,
    normalize_tags,
    now_iso,
    short_text,
)
from briefreader.storage import highlight_writes
from briefreader.storage.journal import Transaction, read_journal
from briefreader.storage.journal import undo as undo_actions
from briefreader.storage.triage_file import (
    DB_NAME,
    check_file,
    copy_database,
    disk_full,
    is_full,
    open_connection,
    pragma,
    store_path,
)
from briefreader.storage.triage_rows import (
    cluster_from_row,
    highlight_from_row,
    id_list,
    json_value,
    states_from_rows,
)

log = logging.getLogger(__name__)


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
        """Open (creating if needed) the database at ``db_path``; raises TriageError (one sentence)."""
        self.path = Path(db_path)
        self.in_corpus = in_corpus
        self.seeded_from: Path | None = None  # set by open_store when copied from a read-only corpus
        self.location_reason: str | None = None  # set by open_store: why the state is not in the corpus
        self.timeout = timeout
        self._clock = clock
        self._lock = threading.RLock()
        self._closed = False
        self._db, self._data_version = open_connection(self.path, timeout=timeout, clock=clock)

    def _pragma(self, name: str) -> int:
        return pragma(self._db, name)

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

    def _transaction(self) -> Transaction:
        return Transaction(self)

    def _get_row(self, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        where = " AND ".join(f"{k} = ?" for k in key)
        cur = self._db.execute(f"SELECT * FROM {table} WHERE {where}", tuple(key.values()))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cur.description], row, strict=True))

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
        where, args = "", cast(tuple[str, ...], ())
        if wanted is not None and len(wanted) <= 500:  # a few ids (the reader's cursor): indexed look-ups
            where = f" WHERE article_id IN ({', '.join('?' for _ in wanted)})"
            args = tuple(wanted)
        with self._lock:
            rows = self._db.execute(
                "SELECT article_id, status, note, updated FROM article_state" + where, args
            ).fetchall()
            tag_rows = self._db.execute("SELECT article_id, tag FROM article_tag" + where, args).fetchall()
            hl_rows = self._db.execute(
                "SELECT article_id, COUNT(*) FROM highlight" + where + " GROUP BY article_id", args
            ).fetchall()
            hl_tag_rows = self._db.execute(
                "SELECT article_id, tags FROM highlight" + (where + " AND" if where else " WHERE") + " tags != '[]'",
                args,
            ).fetchall()
            comment_rows = self._db.execute(
                "SELECT article_id, comment FROM highlight" + (where + " AND" if where else " WHERE")
                + " comment != '' ORDER BY body_start, id",
                args,
            ).fetchall()
        return states_from_rows(wanted, rows, tag_rows, hl_rows, comment_rows, hl_tag_rows)

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

    def _save_state(self, tx: Transaction, row: dict[str, Any]) -> None:
        key = {"article_id": row["article_id"]}
        if row["status"] == DEFAULT_STATUS and not row["note"]:
            tx.put("article_state", key, None)
        else:
            row["updated"] = tx.time
            tx.put("article_state", key, row)

    def set_status(self, article_ids: Iterable[str] | str, status: str) -> JournalEntry:
        """Set the status of one or many articles (one journal entry, undone as one)."""
        status = normalize_status(status)
        ids = id_list(article_ids)
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
        ids = id_list(article_ids)
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
            tx.begin("note", {"ids": [article_id], "summary": short_text(note)})
            row = self._state_row(article_id)
            if row["note"] != note:
                row["note"] = note
                self._save_state(tx, row)
        return tx.entry

    def add_tags(self, article_ids: Iterable[str] | str, tags: Iterable[str] | str) -> JournalEntry:
        """Add tags to one or many articles (existing tags are kept; case-insensitive duplicates skipped)."""
        ids, tag_list = id_list(article_ids), normalize_tags(tags)
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
                        row = {"article_id": aid, "tag": tag, "added": tx.time}
                        tx.put("article_tag", {"article_id": aid, "tag": tag}, row)
        return tx.entry

    def remove_tags(self, article_ids: Iterable[str] | str, tags: Iterable[str] | str) -> JournalEntry:
        """Remove tags (matched case-insensitively) from one or many articles."""
        ids, wanted = id_list(article_ids), {t.casefold() for t in normalize_tags(tags)}
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
                rows.extend(json_value(blob, []))
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
        return highlight_writes.add_highlight(self, article, start, end, comment=comment, tags=tags)

    def update_highlight(
        self, highlight_id: int, *, comment: str | None = None, tags: Iterable[str] | None = None
    ) -> Highlight:
        """Change a highlight's comment and/or replace its tags."""
        return highlight_writes.update_highlight(self, highlight_id, comment=comment, tags=tags)

    def add_highlight_tags(self, highlight_id: int, tags: Iterable[str] | str) -> Highlight:
        """Add tags to a highlight, keeping the ones it has (done inside one transaction)."""
        return highlight_writes.add_highlight_tags(self, highlight_id, tags)

    def delete_highlight(self, highlight_id: int) -> JournalEntry:
        """Delete a highlight (undo brings it back with the same id)."""
        with self._transaction() as tx:
            tx.begin("delete-highlight", {"highlight_id": highlight_id})
            row = self._get_row("highlight", {"id": highlight_id})
            if row is None:
                raise TriageError(f"no highlight #{highlight_id}")
            tx.detail.update(article_id=row["article_id"], summary=short_text(row["exact"]))
            tx.put("highlight", {"id": highlight_id}, None)
        return tx.entry

    def highlight(self, highlight_id: int) -> Highlight | None:
        with self._lock:
            row = self._get_row("highlight", {"id": highlight_id})
        return highlight_from_row(row) if row else None

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
            return [highlight_from_row(dict(zip(cols, r, strict=True))) for r in cur.fetchall()]

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
        return highlight_writes.reattach(self, article)

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

    def choose_cluster(
        self, snapshot: Mapping[str, Any] | Any, *, note: str = "", titles: Mapping[str, str] | None = None
    ) -> ChosenCluster:
        """Keep a quote cluster for the brief, as a frozen snapshot (see :func:`cluster_snapshot`).

        Choosing the same cluster id again refreshes its snapshot and keeps its place.
        """
        snap = cluster_snapshot(snapshot, titles=titles)
        key = snap["id"]
        with self._transaction() as tx:
            tx.begin("choose-quote", {"cluster": key, "summary": short_text(snap["canonical"])})
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
        return cluster_from_row({"id": cid, **row})

    def unchoose_cluster(self, cluster_key: str) -> JournalEntry:
        """Drop a chosen quote cluster from the brief (by the cluster id it was chosen with)."""
        with self._transaction() as tx:
            tx.begin("unchoose-quote", {"cluster": cluster_key})
            existing = self._db.execute(
                "SELECT id FROM chosen_cluster WHERE cluster_key = ?", (cluster_key,)
            ).fetchone()
            if existing is None:
                raise TriageError(f"quote cluster {cluster_key!r} was not chosen")
            tx.put("chosen_cluster", {"id": existing[0]}, None)
        return tx.entry

    def chosen_clusters(self) -> list[ChosenCluster]:
        """Chosen quote clusters, in the order they were chosen."""
        with self._lock:
            cur = self._db.execute("SELECT * FROM chosen_cluster ORDER BY id")
            cols = [c[0] for c in cur.description]
            return [cluster_from_row(dict(zip(cols, r, strict=True))) for r in cur.fetchall()]

    def is_chosen(self, cluster_key: str) -> bool:
        with self._lock:
            return (
                self._db.execute("SELECT 1 FROM chosen_cluster WHERE cluster_key = ?", (cluster_key,)).fetchone()
                is not None
            )

    # -- saved searches (virtual folders) --------------------------------------------------------

    def save_search(self, name: str, query: str) -> JournalEntry:
        """Save ``query`` (triage filters and/or full-text) under ``name``; replaces a search of that name."""
        name = search_name(name)
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
        return expand_saved(query, self.saved_searches())

    # -- journal and undo -----------------------------------------------------------------------

    def journal(self, limit: int | None = 50, *, include_auto: bool = True) -> list[JournalEntry]:
        """The latest actions, newest first."""
        return read_journal(self, limit, include_auto=include_auto)

    def undo(self, count: int = 1) -> list[JournalEntry]:
        """Undo the last ``count`` actions not yet undone (automatic ones skipped), newest first.

        Returns the entries undone (empty when there is nothing to undo). The undo itself is
        journalled too.
        """
        return undo_actions(self, count)

    # -- resume ---------------------------------------------------------------------------------

    def resume_state(self) -> ResumeState:
        """Where the analyst stopped last time (defaults on a new corpus)."""
        with self._lock:
            r = self._db.execute(
                "SELECT article_id, filter, scroll, extra, updated FROM resume WHERE id = 1"
            ).fetchone()
        if r is None:
            return ResumeState()
        return ResumeState(r[0], r[1], float(r[2]), json_value(r[3], {}), r[4])

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
                    (article_id, filter, float(scroll), json.dumps(dict(extra or {}), ensure_ascii=False),
                     self._clock()),
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


def open_store(root: Path | str, *, clock: Callable[[], str] = now_iso) -> TriageStore:
    """Open (creating if needed) the triage store of the corpus at ``root``.

    When the corpus folder is read-only the store lives in the per-user data folder
    (``store.in_corpus`` is False: tell the user ``store.location_notice()``); so does it when
    ``DIR/.briefreader`` or a state file in it is a symbolic link (refused, never written through).
    If the corpus carries a plain triage file of its own, the new per-user store starts as a copy of
    it (``store.seeded_from``).
    """
    from briefreader.core.paths import READ_ONLY_REASON, STATE_DIR_NAME, fallback_reason

    root = Path(root)
    try:
        path, in_corpus = store_path(root)
    except OSError as exc:
        if is_full(exc):
            raise disk_full(root / STATE_DIR_NAME, "the triage state folder") from exc
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
            check_file(inside)
            copy_database(inside, path)
            seeded = inside
    store = TriageStore(path, in_corpus=in_corpus, clock=clock)
    store.seeded_from = seeded
    store.location_reason = reason
    return store
