"""Cache of cleaned article records, so that reopening an unchanged corpus costs a stat per file.

One SQLite file in the per-user cache folder of the corpus (:func:`briefreader.core.paths.derived_dir`),
never in the corpus folder: its rows are pickles, and a pickle runs code when it is read, so a record
cache must never travel with a corpus someone else sends. A row per source file: its size and mtime
when it was read, and its cleaned articles (pickled, with the line fingerprints used for
repeated-boilerplate evidence); beside them each outlet's evidence summary
(:class:`briefreader.storage.corpus_evidence.OutletEvidence`), so that an update of a few files need not read
the others. The cache is disposable: any mismatch of versions or any damage means it is rebuilt,
with a message.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefreader.core.model import Article, ArticleSummary, LoadWarning, OffsetMap, RemovedBlock
from briefreader.core.paths import derived_dir, make_private_file, safe_unlink

if TYPE_CHECKING:
    from briefreader.storage.corpus_evidence import OutletEvidence

log = logging.getLogger(__name__)

CACHE_FILE = "records.sqlite"
# Bump when the loader's output for the same input changes.
LOADER_VERSION = "5"
# A file modified this recently may change again within the same mtime tick: never trust its stat.
RACY_SECONDS = 2.0

Entry = tuple[Article, "frozenset[str] | LazyExtra", str]
# (relative path, size, mtime in ns, entries, warnings) of a file to store; size None: a row already
# cached whose records were cleaned again (its stat and, if None, its warnings stay)
StoreItem = tuple[str, "int | None", "int | None", list[Entry], "list[LoadWarning] | None"]
EVIDENCE_KEY = "evidence"  # meta row present while the outlets' evidence matches the file rows
LOOKUP_BATCH = 500  # rows read per query by lookup_many (SQLite allows 32766 parameters)


@dataclass
class CachedFile:
    entries: list[Entry]
    warnings: list[LoadWarning] = field(default_factory=list)


@dataclass
class ListedFile:
    """A file's listing row: its articles' summaries (no text) and its load warnings."""

    summaries: list[ArticleSummary]
    warnings: list[LoadWarning] = field(default_factory=list)

    @classmethod
    def of(cls, cached: CachedFile) -> ListedFile:
        """The listing of a file from its full records (the word counts computed from the bodies)."""
        return cls([entry[0].summary() for entry in cached.entries], list(cached.warnings))

    def pack(self) -> bytes:
        # plain data, so plain JSON: no pickle where none is needed
        return json.dumps([[s.as_tuple() for s in self.summaries], [(w.path, w.message) for w in self.warnings]],
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")

    @classmethod
    def unpack(cls, blob: bytes) -> ListedFile:
        rows, warnings = json.loads(blob.decode("utf-8", "surrogatepass"))
        return cls([ArticleSummary(*row) for row in rows], [LoadWarning(*w) for w in warnings])


class RecordCache:
    """Cleaned records keyed by relative path, valid while size and mtime are unchanged."""

    def __init__(self, db: sqlite3.Connection | None, location: Path | None, warning: str | None) -> None:
        self._db = db
        self.location = location
        self.warning = warning
        # Sizes and mtimes only: a row's records are read when it is looked up (holding every row at
        # once doubled the loader's peak memory on a 10k corpus).
        self._rows: dict[str, tuple[int, int]] = {}
        if db is not None:
            try:
                for path, size, mtime in db.execute("SELECT path, size, mtime_ns FROM files"):
                    self._rows[path] = (size, mtime)
            except sqlite3.DatabaseError as exc:
                self.warning = f"record cache unreadable ({exc}); records are rebuilt"
                self._rows = {}

    @classmethod
    def open(cls, root: Path, *, rules_digest: str, manifest_digest: str) -> RecordCache:
        """Open (or create) the cache of ``root``; never raises: a broken cache is recreated."""
        from briefreader.core.prose import load_model

        # the line classifier's weights (rules/prose.yaml) change cleaning too
        version = f"{LOADER_VERSION}:{rules_digest}:{manifest_digest}:{load_model().digest}"
        try:
            folder = derived_dir(root)
        except OSError as exc:
            log.warning("no folder for the record cache of %s: %s", root, exc)
            return cls(None, None, f"no writable folder for the record cache ({exc}); nothing cached")
        path = folder / CACHE_FILE
        warning = None
        for attempt in range(2):
            try:
                for suffix in ("", "-wal", "-shm"):  # 0600, and never a link (SQLite would follow it)
                    make_private_file(Path(f"{path}{suffix}"))
                db = sqlite3.connect(path, timeout=10, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, "
                           "mtime_ns INTEGER, entries BLOB, warnings BLOB)")
                db.execute("CREATE TABLE IF NOT EXISTS outlets (outlet TEXT PRIMARY KEY, evidence TEXT)")
                # each file's article summaries (no text) for `list`; a cache written before this
                # table has none: they are made from the records when missing (see listing_many)
                db.execute("CREATE TABLE IF NOT EXISTS listing (path TEXT PRIMARY KEY, rows BLOB)")
                row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
                if row is None or row[0] != version:
                    with db:
                        db.execute("DELETE FROM files")
                        db.execute("DELETE FROM outlets")
                        db.execute("DELETE FROM listing")
                        db.execute("DELETE FROM meta WHERE key=?", (EVIDENCE_KEY,))
                        db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))
                return cls(db, path, warning)
            except OSError as exc:
                log.warning("record cache %s unusable: %s", path, exc)
                return cls(None, None, f"record cache unusable ({exc}); nothing cached")
            except sqlite3.DatabaseError as exc:
                if "full" in str(exc):
                    return cls(None, None, f"disk full: the record cache in {folder} was not saved; nothing cached")
                if attempt:
                    return cls(None, None, f"record cache unusable ({exc}); nothing cached")
                warning = f"record cache was damaged ({exc}); rebuilt"
                for suffix in ("", "-wal", "-shm"):
                    try:
                        safe_unlink(Path(f"{path}{suffix}"), folder)
                    except OSError as unlink_exc:
                        log.warning("cannot remove the damaged record cache %s: %s", path, unlink_exc)
        return cls(None, None, warning)

    def lookup(self, rel: str, st: os.stat_result) -> CachedFile | None:
        """The cached records of ``rel`` if its size and mtime (``st``) are unchanged, else None."""
        return self.lookup_stat(rel, st.st_size, st.st_mtime_ns)

    def lookup_stat(self, rel: str, size: int | None, mtime_ns: int | None) -> CachedFile | None:
        """The cached records of ``rel`` if its size and mtime are these, else None (None and None:
        whatever is cached, e.g. the records of a file that changed since, to know what it held)."""
        row = self._rows.get(rel)
        if row is None:
            return None
        if size is not None and (size, mtime_ns) != row:
            return None
        try:
            return self._unpack(self._blob(rel))
        except Exception as exc:  # a damaged or outdated row is just a miss
            log.info("record cache row of %r not used: %s", rel, exc)
            return None

    def _blobs(self, table: str, column: str, rels: list[str]) -> dict[str, bytes]:
        """``column`` of the rows of ``table`` (one of this cache's own tables) for the files ``rels``,
        in one query; empty when there is no database or it cannot be read (logged)."""
        if not rels or self._db is None:
            return {}
        marks = ",".join("?" * len(rels))
        try:
            return dict(self._db.execute(f"SELECT path, {column} FROM {table} WHERE path IN ({marks})", rels))
        except sqlite3.DatabaseError as exc:
            log.info("record cache %s rows unreadable: %s", table, exc)
            return {}

    def lookup_many(self, found: list[tuple[str, os.stat_result]], *,
                    light: bool = False) -> Iterator[tuple[str, CachedFile | None]]:
        """:meth:`lookup` of each file of ``found``, in order, reading the rows a batch at a time
        (one query per file cost a second at 50k files; a batch holds only its own rows).
        ``light``: the articles keep no packed source text, removed blocks or offset map; they are
        read back from this cache's file when first used (see :class:`StoredExtra`)."""
        reader = self._row_reader() if light else None
        for start in range(0, len(found), LOOKUP_BATCH):
            batch = found[start: start + LOOKUP_BATCH]
            wanted = [rel for rel, st in batch if self._rows.get(rel) == (st.st_size, st.st_mtime_ns)]
            blobs = self._blobs("files", "entries", wanted)  # unreadable: each file is a miss, read again
            for rel, _ in batch:
                blob = blobs.get(rel)
                if blob is None:
                    yield rel, None
                    continue
                try:
                    yield rel, self._unpack(blob) if reader is None else self._unpack_light(blob, rel, reader)
                except Exception as exc:  # a damaged or outdated row is just a miss
                    log.info("record cache row of %r not used: %s", rel, exc)
                    yield rel, None

    def cached_many(self, rels: list[str]) -> Iterator[tuple[str, CachedFile | None]]:
        """Whatever is cached for each file of ``rels`` (no size or mtime check: the rows a load
        just stored), in order, a batch of rows per query; None for a file without a usable row."""
        for start in range(0, len(rels), LOOKUP_BATCH):
            batch = rels[start: start + LOOKUP_BATCH]
            blobs = self._blobs("files", "entries", batch)
            for rel in batch:
                blob = blobs.get(rel)
                if blob is None:
                    yield rel, None
                    continue
                try:
                    yield rel, self._unpack(blob)
                except Exception as exc:  # a damaged row is a miss
                    log.info("record cache row of %r not used: %s", rel, exc)
                    yield rel, None

    @property
    def usable(self) -> bool:
        """Whether the cache can be read and written (False: a broken or unwritable cache, nothing kept)."""
        return self._db is not None

    def listing_many(self, rels: list[str]) -> Iterator[tuple[str, ListedFile | None]]:
        """The listing row (article summaries, warnings) of each file of ``rels``, in order, a batch
        of rows per query; None for a file without a usable row (not cached, damaged, or cached
        before listing rows were kept). Sizes and mtimes are the caller's to check."""
        for start in range(0, len(rels), LOOKUP_BATCH):
            batch = rels[start: start + LOOKUP_BATCH]
            blobs = self._blobs("listing", "rows", batch)
            for rel in batch:
                blob = blobs.get(rel)
                if blob is None or rel not in self._rows:
                    yield rel, None
                    continue
                try:
                    yield rel, ListedFile.unpack(blob)
                except Exception as exc:  # a damaged row is a miss: made again from the records
                    log.info("record cache listing row of %r not used: %s", rel, exc)
                    yield rel, None

    def store_listing(self, listed: list[tuple[str, ListedFile]]) -> None:
        """Save listing rows made from the records of files cached before they were kept. Errors
        are logged: the rows are made again next time."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO listing VALUES (?, ?)",
                                     [(rel, item.pack()) for rel, item in listed if rel in self._rows])
        except sqlite3.DatabaseError as exc:
            log.warning("record cache %s: listing rows not saved: %s", self.location, exc)

    def _row_reader(self) -> RowReader | None:
        """What reads single articles' packed extras back from this cache's file (None without a file)."""
        return RowReader(self.location) if self._db is not None and self.location is not None else None

    @staticmethod
    def _unpack_light(blob: bytes, rel: str, reader: RowReader) -> CachedFile:
        """A row's articles whose packed extras are not kept (read back by ``reader`` when used)."""
        rows, warnings = pickle.loads(blob)
        entries: list[Entry] = []
        for index, (values, digest, _extra_blob) in enumerate(rows):
            extra = StoredExtra(reader, rel, index, values[_BODY_INDEX] if len(values) == len(_FIELDS) else None)
            entries.append((_article_from_row(values, extra), extra, digest))
        return CachedFile(entries, [LoadWarning(*w) for w in warnings])

    @staticmethod
    def _unpack(blob: bytes) -> CachedFile:
        rows, warnings = pickle.loads(blob)
        entries: list[Entry] = []
        for values, digest, extra_blob in rows:
            extra = LazyExtra(extra_blob)
            entries.append((_article_from_row(values, extra), extra, digest))
        return CachedFile(entries, [LoadWarning(*w) for w in warnings])

    def has_evidence(self) -> bool:
        """Whether the outlets' repeated-line evidence was saved with the current rows."""
        if self._db is None:
            return False
        try:
            return self._db.execute("SELECT 1 FROM meta WHERE key=?", (EVIDENCE_KEY,)).fetchone() is not None
        except sqlite3.DatabaseError as exc:
            log.info("record cache evidence unreadable: %s", exc)
            return False

    def load_evidence(self) -> dict[str, OutletEvidence] | None:
        """Each outlet's :class:`OutletEvidence` as last saved with the rows, or None if unknown."""
        from briefreader.storage.corpus_evidence import OutletEvidence

        if not self.has_evidence():
            return None
        try:
            return {outlet: OutletEvidence.from_json(json.loads(text))
                    for outlet, text in self._db.execute("SELECT outlet, evidence FROM outlets")}  # type: ignore[union-attr]
        except (sqlite3.DatabaseError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.info("record cache evidence unreadable: %s", exc)
            return None

    def stat_of(self, rel: str) -> tuple[int, int] | None:
        """(size, mtime in ns) of ``rel`` when it was cached (mtime -1: too recent to trust), or None."""
        return self._rows.get(rel)

    def paths(self) -> set[str]:
        """Relative paths of every cached file."""
        return set(self._rows)

    def _blob(self, rel: str) -> bytes:
        found = self._db.execute("SELECT entries FROM files WHERE path=?", (rel,)).fetchone()  # type: ignore[union-attr]
        if found is None:
            raise KeyError(rel)
        return found[0]

    def has_exactly(self, paths: list[str]) -> bool:
        """Whether the cache holds rows for exactly these paths (nothing added or removed)."""
        return len(paths) == len(self._rows) and all(p in self._rows for p in paths)

    def store(self, root: Path, items: list[StoreItem], *, keep: set[str],
              evidence: dict[str, OutletEvidence] | None = None) -> None:
        """Save fresh or re-cleaned records, and forget files that are gone. Errors are ignored.

        ``evidence`` (every outlet's) is saved with them; stored rows without it make the saved
        evidence unknown until the next full computation."""
        if self._db is None:
            return
        now_ns = time.time_ns()
        stored: dict[str, tuple[int, int]] = {}
        try:
            with self._db:
                for path, size, mtime, entries, warnings in items:
                    if size is None:
                        old = self._rows.get(path)
                        if old is None:
                            continue
                        size, mtime = old
                        if warnings is None:
                            try:
                                warnings = [LoadWarning(*w) for w in pickle.loads(self._blob(path))[1]]
                            except Exception:
                                warnings = []
                    if mtime is not None and now_ns - mtime < RACY_SECONDS * 1e9:
                        mtime = -1
                    rows = []
                    for article, fingerprints, digest in entries:
                        values, extra = _article_to_row(article, fingerprints)
                        rows.append((values, digest, extra))
                    plain_warnings = [(w.path, w.message) for w in warnings or []]
                    blob = pickle.dumps((rows, plain_warnings), protocol=pickle.HIGHEST_PROTOCOL)
                    self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, NULL)",
                                     (path, size, mtime, blob))
                    stored[path] = (size, -1 if mtime is None else mtime)  # -1: never trusted
                    listed = ListedFile([entry[0].summary() for entry in entries], list(warnings or []))
                    self._db.execute("INSERT OR REPLACE INTO listing VALUES (?, ?)", (path, listed.pack()))
                gone = [p for p in self._rows if p not in keep]
                self._db.executemany("DELETE FROM files WHERE path=?", [(p,) for p in gone])
                self._db.executemany("DELETE FROM listing WHERE path=?", [(p,) for p in gone])
                if evidence is not None:
                    self._db.execute("DELETE FROM outlets")
                    self._db.executemany("INSERT INTO outlets VALUES (?, ?)",
                                         [(outlet, json.dumps(summary.to_json(), separators=(",", ":")))
                                          for outlet, summary in evidence.items()])
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", (EVIDENCE_KEY,))
                elif items or gone:
                    self._db.execute("DELETE FROM meta WHERE key=?", (EVIDENCE_KEY,))
            # the rows as they now are (a load that stores in several steps looks them up again)
            self._rows.update(stored)
            for path in gone:
                self._rows.pop(path, None)

        except sqlite3.DatabaseError as exc:  # e.g. a full disk: the next load reads those files again
            log.warning("record cache %s not saved: %s", self.location, exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None




# Records are stored as plain tuples, and what a reopen rarely needs (the source text, removed blocks,
# offset map, line fingerprints) as a nested pickle that is only unpacked on first use: unpickling ten
# thousand dataclasses with their removed blocks took most of a reopen.
_LAZY = ("source", "removed", "offsets")
_FIELDS = [f for f in Article.__dataclass_fields__ if f not in _LAZY]
_SLOTS = {name: Article.__dict__[name] for name in _LAZY}
_BODY_INDEX = _FIELDS.index("body")


class LazyExtra:
    """The packed source, removed blocks, offsets and fingerprints of one cached article."""

    __slots__ = ("blob", "_value")

    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        self._value: tuple | None = None

    def value(self) -> tuple[str, list[RemovedBlock], OffsetMap, frozenset[str]]:
        if self._value is None:
            source, removed, segments, fingerprints = pickle.loads(self.blob)
            self._value = (source, [RemovedBlock(*r) for r in removed], OffsetMap(segments), frozenset(fingerprints))
        return self._value

    def fingerprints(self) -> frozenset[str]:
        return self.value()[3]


class RowReader:
    """Reads the packed extras of single cached articles back from a record cache file, for a
    corpus loaded light (see :class:`StoredExtra`): its own connection, opened on first use and
    shared by threads under a lock (the loader's connection is closed after the load)."""

    def __init__(self, location: Path) -> None:
        self._location = location
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def extra_blob(self, rel: str, index: int, body: str | None) -> bytes | None:
        """The packed extras of article ``index`` of file ``rel``; None when the row is gone, damaged
        or no longer holds that article with this ``body`` (the file was cleaned again since)."""
        try:
            with self._lock:
                if self._db is None:
                    self._db = sqlite3.connect(self._location, timeout=10, check_same_thread=False)
                found = self._db.execute("SELECT entries FROM files WHERE path=?", (rel,)).fetchone()
            if found is None:
                log.warning("record cache %s: the row of %r is gone since it was loaded", self._location, rel)
                return None
            rows, _ = pickle.loads(found[0])
            values, _digest, extra_blob = rows[index]
        except (sqlite3.Error, IndexError, ValueError, TypeError, pickle.UnpicklingError) as exc:
            log.warning("record cache %s: the stored text of %r unreadable: %s", self._location, rel, exc)
            return None
        if body is None or len(values) != len(_FIELDS) or values[_BODY_INDEX] != body:
            log.warning("record cache %s: %r was cleaned again since it was loaded", self._location, rel)
            return None
        return extra_blob


class StoredExtra(LazyExtra):
    """The packed extras of an article loaded light: not held, read back from the record cache each
    time they are asked for (a corpus of 50k articles holds ~220 MB less). When the row no longer
    holds the article as loaded, the article is taken as cleaned without removals: its body as
    its source, no removed blocks, the identity offset map, no fingerprints (with a warning)."""

    __slots__ = ("_reader", "_rel", "_index", "_body")

    def __init__(self, reader: RowReader, rel: str, index: int, body: str | None) -> None:
        self._reader, self._rel, self._index, self._body = reader, rel, index, body
        self._value = None

    @property
    def blob(self) -> bytes:  # type: ignore[override]  # read-only here: LazyExtra's is a slot it sets once
        """The packed extras as stored (read now)."""
        blob = self._reader.extra_blob(self._rel, self._index, self._body)
        if blob is None:
            return pickle.dumps((self._body or "", [], [], ()), protocol=pickle.HIGHEST_PROTOCOL)
        return blob

    def value(self) -> tuple[str, list[RemovedBlock], OffsetMap, frozenset[str]]:
        source, removed, segments, fingerprints = pickle.loads(self.blob)  # not kept
        return source, [RemovedBlock(*r) for r in removed], OffsetMap(segments), frozenset(fingerprints)


def _lazy_field(name: str) -> property:
    slot = _SLOTS[name]

    def get(self: CachedArticle):
        self._unpack()
        return slot.__get__(self)

    def set(self: CachedArticle, value) -> None:
        self._unpack()
        slot.__set__(self, value)

    return property(get, set)


class CachedArticle(Article):
    """An Article from the record cache whose source, removed blocks and offsets unpack on first use."""

    __slots__ = ("_extra",)
    _extra: LazyExtra | None

    def _unpack(self) -> None:
        extra = self._extra
        if extra is not None:
            self._extra = None
            source, removed, offsets, _ = extra.value()
            _SLOTS["source"].__set__(self, source)
            _SLOTS["removed"].__set__(self, removed)
            _SLOTS["offsets"].__set__(self, offsets)

    source = _lazy_field("source")
    removed = _lazy_field("removed")
    offsets = _lazy_field("offsets")

    def __reduce__(self):
        # Still packed: travel packed (to or from a worker process), not unpacked field by field.
        extra = self._extra
        if extra is None:
            return (_unpacked_article, (tuple(getattr(self, f) for f in Article.__dataclass_fields__),))
        return (_article_from_blob, (tuple(getattr(self, f) for f in _FIELDS), extra.blob))


def pack_article(article: Article, fingerprints: frozenset[str] | LazyExtra) -> CachedArticle:
    """``article`` with its source text, removed blocks and offset map packed away until first use
    (a freshly cleaned article holds them unpacked: about twice its body in memory)."""
    if isinstance(article, CachedArticle) and article._extra is not None:
        return article
    values, extra = _article_to_row(article, fingerprints)
    return _article_from_blob(values, extra)


def transient_copy(article: Article) -> Article:
    """``article`` for one pass that reads its source text or offset map and then lets it go: a
    cached article whose source, removed blocks and offsets are still packed is copied (sharing the
    packed bytes), so unpacking them in the copy leaves the loaded article packed; any other
    article is returned as it is. (An analysis reading every article's offset map would otherwise
    keep every source text of the corpus unpacked: about 100 MB per 10k articles.)"""
    if isinstance(article, CachedArticle) and article._extra is not None:
        return _article_from_blob(tuple(getattr(article, f) for f in _FIELDS), article._extra.blob)
    return article


def _article_from_blob(values: tuple, blob: bytes) -> CachedArticle:
    return _article_from_row(values, LazyExtra(blob))


def _unpacked_article(values: tuple) -> Article:
    return Article(**dict(zip(Article.__dataclass_fields__, values, strict=True)))


def fingerprints_of(value: frozenset[str] | LazyExtra) -> frozenset[str]:
    """Line fingerprints of an entry, unpacking them if they came from the cache."""
    return value.fingerprints() if isinstance(value, LazyExtra) else value


def _article_to_row(article: Article, fingerprints: frozenset[str] | LazyExtra) -> tuple:
    if isinstance(article, CachedArticle) and article._extra is not None:  # packed already: as it is
        return tuple(getattr(article, f) for f in _FIELDS), article._extra.blob
    extra = pickle.dumps((article.source, [(r.text, r.reason, r.start, r.end) for r in article.removed],
                          article.offsets.segments, tuple(fingerprints_of(fingerprints))),
                         protocol=pickle.HIGHEST_PROTOCOL)
    return tuple(getattr(article, f) for f in _FIELDS), extra


# The slots of the fields a row holds, set directly: Article.__init__ would also build the default
# offset map and go through the lazy fields' properties (a second of a 50k-article reopen).
_FIELD_SETTERS = [Article.__dict__[name].__set__ for name in _FIELDS]


def _article_from_row(values: tuple, extra: LazyExtra) -> CachedArticle:
    article = CachedArticle.__new__(CachedArticle)
    if len(values) != len(_FIELD_SETTERS):
        raise ValueError(f"a cached record of {len(values)} fields, not {len(_FIELD_SETTERS)}")
    for set_field, value in zip(_FIELD_SETTERS, values, strict=True):
        set_field(article, value)
    article._extra = extra  # source, removed and offsets are set from it on first use
    return article


def read_cached_articles(cache_file: Path, rels: list[str]) -> Iterator[list[Article]]:
    """The cached articles of the files ``rels`` as stored in the record cache file ``cache_file``
    (whatever it holds: no size or mtime check), a batch of files at a time, read through a
    connection of its own (e.g. from a helper process; the caller checks that what it gets is what
    it needs, e.g. by body hash). Files without a usable row are left out (logged)."""
    db = sqlite3.connect(cache_file, timeout=10)
    try:
        for start in range(0, len(rels), LOOKUP_BATCH):
            batch = rels[start: start + LOOKUP_BATCH]
            marks = ",".join("?" * len(batch))
            articles: list[Article] = []
            for rel, blob in db.execute(f"SELECT path, entries FROM files WHERE path IN ({marks})", batch):
                try:
                    articles.extend(entry[0] for entry in RecordCache._unpack(blob).entries)
                except Exception as exc:  # a damaged row is a miss: the caller reads that file otherwise
                    log.info("record cache row of %r not used: %s", rel, exc)
            yield articles
    finally:
        db.close()
