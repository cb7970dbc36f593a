"""The full-text index of a corpus (Whoosh): kept up to date incrementally, searched fast, never left broken.

Where: ``index/`` in the per-user cache folder of the corpus (:func:`briefreader.core.paths.derived_dir`,
keyed by the corpus's real path), never in the corpus folder: Whoosh's table of contents is a pickle,
and a pickle runs code when it is read, so an index must never travel with a corpus.

What is indexed per article: id, path, title, outlet, wire agency (``agency:``), author, dateline (``place:``), date (as a
period, see :mod:`briefreader.core.search_query`), the cleaned body (stemmed, with positions and
character offsets, stored for snippets) and a fingerprint of all of it. The loader's record cache
already re-reads only files whose size or mtime changed; the index then re-indexes only articles
whose fingerprint changed, and deletes those that are gone.

Safety:
- one writer at a time: an exclusive ``flock`` on ``index.lock`` next to the index folder (the OS
  drops it when the holder dies, so a killed process never leaves a stale lock; the lock file is
  opened 0600 and never through a symbolic link); a second writer
  waits :data:`WRITE_WAIT_SECONDS`, then gets :class:`IndexBusyError`;
- readers never wait: Whoosh commits by writing new segment files and then atomically replacing
  the table of contents, so a reader sees the old or the new index, never half of one;
- at open the index is checked (description file, schema version, unknown files, every segment
  readable, file sizes as recorded after the last commit); anything wrong and it is rebuilt from the
  corpus with a message. Corpus files are only ever read; a rebuild deletes only inside the cache
  folder (the resolved path is checked, links are removed, never followed).

Whoosh (whoosh-reloaded 2.7.5) behaviours worked around here, measured against 2.7.4:
- ``Searcher.refresh()`` keeps showing documents deleted since (2.7.4 did not): sessions open a
  fresh searcher instead;
- a document whose ``add_document`` fails half-way leaves its terms attached to the *next*
  document (2.7.4 refused to continue): any exception cancels the whole writer;
- ``a ANDNOT b`` (``-word``) returns a's first document even when b excludes it, if b's first
  document comes earlier (2.7.4 too): search_query uses a fixed matcher;
- the default top-N collector makes the exact total cost a second pass: we collect in one;
- a prefix/wildcard/fuzzy/range query ORs hundreds of scored matchers: ours union posting lists.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import re
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from briefreader.core.paths import (
    atomic_write_bytes,
    atomic_write_text,
    derived_dir,
    open_private_file,
    safe_rmtree,
)
from briefreader.core.safe_json import loads_bounded
from briefreader.core.search_query import (
    BODY_FIELD,
    MatchPlan,
    QuerySyntaxError,
    build_schema,
    date_period,
    make_parser,
    match_plan,
    merge_spans,
    parse_query,
    phrase_spans,
    spans_in_text,
)

if TYPE_CHECKING:
    from briefreader.core.corpus import Corpus, SourceState
    from briefreader.core.corpus_delta import CorpusDelta
    from briefreader.core.model import Article, LoadWarning

__all__ = [
    "CorpusIndex", "SearchSession", "IndexBusyError", "IndexCancelled", "IndexDamagedError", "QuerySyntaxError",
    "Snippet", "Hit", "SearchResults", "UpdateReport", "SCHEMA_VERSION",
]

log = logging.getLogger(__name__)

# Bump when the schema or what goes into a field changes: older indexes are rebuilt, with a message.
SCHEMA_VERSION = 3
INDEX_DIR_NAME = "index"
META_NAME = "briefreader-index.json"
# id -> fingerprint of every indexed article, written after each commit (reading it is ~10x faster
# than Whoosh's columns); trusted only when its generation is the index's.
FINGERPRINTS_NAME = "briefreader-fingerprints.json"
# The files (size, mtime) and rules the index was last checked against, with that load's warnings:
# an unchanged folder is searched without reading its articles (see CorpusIndex.sources_unchanged).
SOURCES_NAME = "briefreader-sources.json"
SOURCES_RACY_NS = 2_000_000_000  # a file changed this close to the check may change again unseen
LOCK_NAME = "index.lock"
INDEX_NAME = "MAIN"
# How long a second writer waits for the first before IndexBusyError.
WRITE_WAIT_SECONDS = 3.0
# Whoosh's indexing buffer per writer process. Measured on 10k articles, one process: 256 MB held
# +347 MB while building, 32 MB +74 MB, in the same 50 s (two processes: 28.5 vs 29.2 s).
WRITER_LIMIT_MB = 32
# A first build of at least this many articles may use several processes (procs > 1).
PARALLEL_MIN_DOCS = 500
# Search: hard cap on the page size, snippets per hit and their width in characters.
MAX_PAGE_SIZE = 200
SNIPPETS_PER_HIT = 3
SNIPPET_CHARS = 220
# Snippet spans come from the postings' stored character offsets, unless a query word is in more than
# this many articles: skipping through its long posting list then costs more (measured ~30 ms a word
# at 10k) than re-tokenising the 20 hit bodies (~0.5 ms each).
POSTINGS_SNIPPET_MAX_DF = 1000
# A session checks at most this often whether another process committed.
REFRESH_CHECK_SECONDS = 1.0

_WHOOSH_FILE_RE = re.compile(rf"^(_?{INDEX_NAME}[_.].*|.+\.tmp)$")


class IndexBusyError(Exception):
    """Another process (or thread) is writing this index."""


class IndexCancelled(Exception):
    """An update was cancelled through its ``cancelled`` callback; nothing was committed."""


class SearchCancelled(Exception):
    """A search was abandoned through its ``cancelled`` callback (a newer query replaced it)."""


class IndexDamagedError(Exception):
    """The index broke under an open session (e.g. a file was deleted); reopen to rebuild it."""


@dataclass
class Snippet:
    """A passage of the cleaned body: ``text == body[start:end]``; ``matches`` are absolute spans in it."""

    text: str
    start: int
    end: int
    matches: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Hit:
    id: str
    path: str
    score: float
    title: str | None
    outlet: str | None
    date: str | None
    snippets: list[Snippet]
    body_length: int | None = None  # characters in the cleaned body (known when snippets were made)

    def to_json(self) -> dict:
        return {"id": self.id, "path": self.path, "score": round(self.score, 4), "title": self.title,
                "outlet": self.outlet, "date": self.date, "snippets": [s.to_json() for s in self.snippets]}


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[Hit]
    page: int
    pagelen: int

    def to_json(self) -> dict:
        """The ``search --json`` contract."""
        return {"query": self.query, "total": self.total, "hits": [h.to_json() for h in self.hits]}


@dataclass
class UpdateReport:
    added: int
    updated: int
    deleted: int
    unchanged: int
    seconds: float
    rebuilt_reason: str | None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted)


# --------------------------------------------------------------------------- documents


def article_fingerprint(article: Article) -> str:
    """sha1 over everything the index holds of ``article`` (so a re-clean with the same file bytes counts)."""
    h = hashlib.sha1(f"{SCHEMA_VERSION}\0{article.content_hash}".encode())
    for value in (article.id, article.path, article.title, article.outlet, article.author, article.dateline,
                  article.date, article.body, article.source_agency):
        h.update(b"\0")
        if value:
            h.update(value.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _document(article: Article, fingerprint: str) -> dict:
    from whoosh.util.times import datetime_to_long

    doc = {
        "id": article.id,
        "path": article.path,
        "body": article.body,
        "fingerprint": fingerprint,
    }
    for name in ("title", "outlet", "author", "dateline"):
        value = getattr(article, name)
        if value:
            doc[name] = value
    if article.source_agency:
        doc["agency"] = article.source_agency
    if article.date:
        doc["date_text"] = article.date
        period = date_period(article.date)
        if period is not None:
            doc["date"] = period.start
            doc["date_end"] = period.end
            doc["date_sort"] = datetime_to_long(period.start)
    return doc


def _compare(articles: list[Article], indexed: dict[str, str]
             ) -> tuple[list[tuple[Article, str]], list[tuple[Article, str]], set[str]]:
    """(new articles, changed articles, every id seen), each article with its fingerprint; the
    first article of an id wins."""
    added: list[tuple[Article, str]] = []
    changed: list[tuple[Article, str]] = []
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            continue
        seen.add(article.id)
        fingerprint = article_fingerprint(article)
        old = indexed.get(article.id)
        if old is None:
            added.append((article, fingerprint))
        elif old != fingerprint:
            changed.append((article, fingerprint))
    return added, changed, seen


# --------------------------------------------------------------------------- the write lock

_lock_fds: set[int] = set()
_parallel_build = False  # True while a procs > 1 writer may fork sub-writers


def _after_fork_in_child() -> None:
    """Forked children must not keep our write lock; Whoosh's sub-writers must die with their parent."""
    for fd in list(_lock_fds):
        try:
            os.close(fd)
        except OSError:
            pass
    _lock_fds.clear()
    if not _parallel_build:
        return
    try:  # Linux: a killed indexer must not leave orphan sub-writers behind (they would wait forever)
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class _WriteLock:
    """An exclusive flock on a file; released by the OS if the holder dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self, wait: float) -> None:
        fd = open_private_file(self.path)
        deadline = time.monotonic() + wait
        delay = 0.02
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = self._holder(fd)
                    os.close(fd)
                    who = f" (pid {holder})" if holder else ""
                    raise IndexBusyError(f"another briefreader{who} is indexing this corpus right now; "
                                         "try again when it has finished") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        _lock_fds.add(fd)

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            return os.pread(fd, 32, 0).decode().strip()
        except OSError:
            return ""

    def release(self) -> None:
        if self.fd is None:
            return
        _lock_fds.discard(self.fd)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> _WriteLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class _CallbackError(Exception):
    """An exception raised by the caller's progress/cancelled callback (not a sign of damage)."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


def _call(callback: Callable, *args: object):
    try:
        return callback(*args)
    except Exception as exc:
        raise _CallbackError(exc) from exc


def _damage_message(exc: BaseException) -> str:
    text = str(exc).strip()
    text = text.splitlines()[0][:120] if text else ""
    return f"index was damaged ({type(exc).__name__}{': ' + text if text else ''}); rebuilt"


# --------------------------------------------------------------------------- the index


class CorpusIndex:
    """The search index of one corpus folder. Open with :meth:`open`."""

    def __init__(self, root: Path, location: Path, in_corpus: bool) -> None:
        self.root = Path(root)
        self.location = location
        self.in_corpus = in_corpus
        self.message: str | None = None
        self._ix = None
        self._lock_path = location.parent / LOCK_NAME
        self._reset_reason: str | None = None
        self._sessions: weakref.WeakSet[SearchSession] = weakref.WeakSet()
        self._fingerprints: tuple[int, dict[str, str]] | None = None
        self._spare_reader = None
        self._closed = False

    # ..................................................................... opening

    @classmethod
    def open(cls, root: Path | str, *, wait: float | None = None) -> CorpusIndex:
        """Open (creating, repairing or upgrading as needed) the index of corpus folder ``root``.

        Raises :class:`IndexBusyError` only if the index needs repair while another process writes it.
        """
        root = Path(root)
        folder = derived_dir(root)
        self = cls(root, folder / INDEX_DIR_NAME, False)
        messages = []
        problem = self._check()
        if problem is not None:
            with self._write_lock(wait):
                problem = self._check()  # a writer may have been committing: look again under the lock
                if problem is not None:
                    kind, reason = problem
                    self._create_empty()
                    if kind != "missing":
                        messages.append(reason)
                        self._reset_reason = reason
        if self._ix is None:
            self._ix = self._open_whoosh()
        self.message = "; ".join(messages) or None
        return self

    def _storage(self):
        """The index folder as Whoosh storage, without mmap.

        With mmap, Whoosh copies every part of a compound segment it opens (postings, stored
        fields, columns) from the map into a BytesIO: a searcher held ~1.7x the index size in
        memory (170 MB at 10k articles) and touched every page of it. Plain reads cost the same
        per query (bench/bench_index.py) and almost nothing to hold.
        """
        from whoosh.filedb.filestore import FileStorage

        return FileStorage(str(self.location), supports_mmap=False)

    def _open_whoosh(self):
        return self._storage().open_index(INDEX_NAME)

    def _write_lock(self, wait: float | None = None) -> _WriteLock:
        lock = _WriteLock(self._lock_path)
        lock.acquire(WRITE_WAIT_SECONDS if wait is None else wait)
        return lock

    def _check(self) -> tuple[str, str] | None:
        """None if the index is sound, else (kind, message) with kind missing | schema | damaged."""
        loc = self.location
        if loc.is_symlink() or (loc.exists() and not loc.is_dir()):
            return "damaged", "index was damaged (its folder is not a folder); rebuilt"
        if not loc.exists():
            return "missing", "no index yet"
        try:
            meta = loads_bounded((loc / META_NAME).read_text("utf-8"))  # ValueError, never RecursionError
            if not isinstance(meta, dict):
                raise ValueError("not an object")
        except (OSError, ValueError) as exc:
            detail = "description file missing" if isinstance(exc, FileNotFoundError) else "description file unreadable"
            return "damaged", f"index was damaged ({detail}, e.g. an interrupted first build); rebuilt"
        if meta.get("schema") != SCHEMA_VERSION:
            return "schema", (f"index was made by another version of briefreader (schema {meta.get('schema')}, "
                              f"now {SCHEMA_VERSION}); rebuilt")
        try:
            names = os.listdir(loc)
        except OSError as exc:
            return "damaged", f"index was damaged (folder unreadable: {exc.strerror}); rebuilt"
        for name in names:
            if name in (META_NAME, FINGERPRINTS_NAME, SOURCES_NAME) \
                    or name.startswith((f".{META_NAME}.", f".{FINGERPRINTS_NAME}.", f".{SOURCES_NAME}.")) \
                    or _WHOOSH_FILE_RE.match(name):
                continue
            return "damaged", f"index was damaged (a file briefreader did not write is in it: {name}); rebuilt"
        try:
            ix = self._open_whoosh()
            expected = build_schema()
            if sorted(ix.schema.names()) != sorted(expected.names()):
                ix.close()
                return "schema", "index was made with different fields; rebuilt"
            generation = ix.latest_generation()
            if meta.get("generation") == generation:
                for name, size in (meta.get("files") or {}).items():
                    try:
                        actual = os.stat(loc / name).st_size
                    except FileNotFoundError:
                        ix.close()
                        return "damaged", f"index was damaged (segment file {name} is missing); rebuilt"
                    if actual != size:
                        ix.close()
                        return "damaged", f"index was damaged (segment file {name} is truncated or altered); rebuilt"
            reader = self._touch(ix)
        except Exception as exc:  # anything Whoosh raises here means we cannot trust the files
            return "damaged", _damage_message(exc)
        self._ix = ix
        self._drop_spare_reader()
        self._spare_reader = reader  # the first search session starts from it (opening one costs ~0.1 s)
        return None

    def _drop_spare_reader(self) -> None:
        if self._spare_reader is not None:
            try:
                self._spare_reader.close()
            except Exception:
                pass
            self._spare_reader = None

    def _take_spare_reader(self):
        reader, self._spare_reader = self._spare_reader, None
        if reader is not None and reader.generation() != self._ix.latest_generation():
            reader.close()
            reader = None
        return reader

    @staticmethod
    def _touch(ix):
        """Read a little of every segment (stored fields, columns, postings); return the open reader."""
        reader = ix.reader()
        try:
            readers = [r for r, _ in reader.leaf_readers()] if hasattr(reader, "leaf_readers") else [reader]
            for sub in readers:
                last = sub.doc_count_all() - 1
                if last >= 0:
                    sub.stored_fields(last)
                    sub.column_reader("fingerprint")[last]
                for term in sub.lexicon(BODY_FIELD):
                    list(sub.postings(BODY_FIELD, term).all_ids())
                    break
        except BaseException:
            reader.close()
            raise
        return reader

    def _create_empty(self) -> None:
        """Replace whatever is at the index location with an empty index (caller holds the lock)."""
        self._drop_spare_reader()
        if self._ix is not None:
            try:
                self._ix.close()
            except Exception:
                pass
            self._ix = None
        loc = self.location
        safe_rmtree(loc, loc.parent)  # a link is removed itself, never followed
        loc.mkdir(mode=0o700)
        self._ix = self._storage().create_index(build_schema(), indexname=INDEX_NAME)
        self._write_meta()
        self._fingerprints = None

    def _write_meta(self) -> None:
        import whoosh

        gen = self._ix.latest_generation()
        files = {}
        for name in os.listdir(self.location):
            if name.endswith(".seg") or re.fullmatch(rf"_{INDEX_NAME}_{gen}\.toc", name):
                try:
                    files[name] = os.stat(self.location / name).st_size
                except OSError:
                    pass
        meta = {"schema": SCHEMA_VERSION, "generation": gen, "files": files, "whoosh": whoosh.versionstring(),
                "written": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        atomic_write_text(self.location / META_NAME, json.dumps(meta, indent=1))

    def _clean_leftovers(self) -> None:
        """Remove temporary files of writers that were killed (caller holds the lock)."""
        for name in os.listdir(self.location):
            path = self.location / name
            if name.endswith(".tmp") or re.fullmatch(rf"_{INDEX_NAME}_\d+\.toc\..+", name):
                try:
                    safe_rmtree(path, self.location)
                except OSError as exc:
                    log.warning("cannot remove the leftover %s: %s", path, exc)

    # ..................................................................... state

    def doc_count(self) -> int:
        return self._ix.doc_count()

    def indexed_fingerprints(self) -> dict[str, str]:
        """id -> fingerprint of every indexed article (from the sidecar file, else the index columns)."""
        gen = self._ix.latest_generation()
        if self._fingerprints is not None and self._fingerprints[0] == gen:
            return self._fingerprints[1]
        out = self._read_fingerprint_file(gen)
        if out is None:
            self._ix = self._ix.refresh()
            out = {}
            with self._ix.reader() as reader:
                if reader.doc_count():
                    ids = reader.column_reader("id")
                    fps = reader.column_reader("fingerprint")
                    for docnum in reader.all_doc_ids():
                        out[ids[docnum]] = fps[docnum]
        self._fingerprints = (gen, out)
        return out

    def _read_fingerprint_file(self, gen: int) -> dict[str, str] | None:
        try:
            saved = json.loads((self.location / FINGERPRINTS_NAME).read_bytes())
            if isinstance(saved, dict) and saved.get("generation") == gen and isinstance(saved.get("map"), dict):
                return saved["map"]
        except FileNotFoundError:
            pass
        except Exception as exc:  # stale or damaged: the columns are the truth
            log.info("fingerprint file of %s not used: %s", self.location, exc)
        return None

    def _write_fingerprint_file(self, fingerprints: dict[str, str]) -> None:
        data = json.dumps({"generation": self._ix.latest_generation(), "map": fingerprints},
                          separators=(",", ":")).encode("ascii")  # ASCII escapes: lone surrogates round-trip
        try:
            atomic_write_bytes(self.location / FINGERPRINTS_NAME, data)
        except OSError as exc:  # a full disk: the next open reads the index's columns instead
            log.warning("fingerprint file of %s not written: %s", self.location, exc)

    def _plan(self, corpus: Corpus) -> tuple[list[tuple[Article, str]], list[tuple[Article, str]], list[str], int]:
        indexed = self.indexed_fingerprints()
        added, changed, seen = _compare(corpus.articles, indexed)
        deleted = [i for i in indexed if i not in seen]
        unchanged = len(seen) - len(added) - len(changed)
        return added, changed, deleted, unchanged

    def record_sources(self, corpus: Corpus) -> None:
        """Remember what ``corpus`` (just checked against the index, or indexed) was made from, so
        that :meth:`sources_unchanged` can tell the next command it need not read the articles."""
        sources = getattr(corpus, "sources", None)
        if sources is not None:
            self.record_state(sources, corpus.warnings)

    def record_state(self, state: SourceState, warnings: list[LoadWarning]) -> None:
        """Remember that the index holds the articles of the folder as ``state`` describes it (the
        form of :meth:`record_sources` for an update that did not load the whole corpus)."""
        if self._reset_reason:
            return
        data = {"generation": self._ix.latest_generation(), "written_ns": time.time_ns(),
                "state": state.to_json(), "warnings": [[w.path, w.message] for w in warnings]}
        try:
            atomic_write_bytes(self.location / SOURCES_NAME, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:  # only a shortcut is lost: the next command reads the articles
            log.warning("could not record the index's sources: %s", exc)

    def saved_sources(self) -> tuple[SourceState, int, list[LoadWarning]] | None:
        """What the folder was when the index was last checked against it: its state, when that was
        (ns since the epoch) and that load's warnings; None if unknown or not this index's."""
        if self._reset_reason:
            return None
        from briefreader.core.corpus import SourceState
        from briefreader.core.model import LoadWarning  # noqa: F811 - at run time, not only for types

        try:
            data = loads_bounded((self.location / SOURCES_NAME).read_bytes())
            if data.get("generation") != self._ix.latest_generation():
                return None
            saved = SourceState.from_json(data.get("state"))
            written = int(data["written_ns"])
            warnings = [LoadWarning(str(path), str(message)) for path, message in data.get("warnings", [])]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            log.info("index sources unreadable (%s): reading the articles", exc)
            return None
        if saved is None:
            return None
        return saved, written, warnings

    def sources_unchanged(self, now: SourceState) -> list[LoadWarning] | None:
        """The warnings of the last load if the folder is as it was when the index was last checked
        against it (same files, sizes, mtimes, manifest and rules; no file changed too recently to
        trust), else None: the articles must be read."""
        saved = self.saved_sources()
        if saved is None:
            return None
        state, written, warnings = saved
        if state.digest != now.digest or state.files != now.files:
            return None
        if now.newest_mtime_ns() >= written - SOURCES_RACY_NS:
            return None
        return warnings

    def needs_update(self, corpus: Corpus) -> bool:
        """True if ``corpus`` holds articles that are new, changed or gone compared with the index."""
        if self._reset_reason:
            return True
        added, changed, deleted, _ = self._plan(corpus)
        return bool(added or changed or deleted)

    # ..................................................................... writing

    def update(
        self,
        corpus: Corpus,
        *,
        rebuild: bool = False,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        procs: int = 1,
        wait: float | None = None,
    ) -> UpdateReport:
        """Bring the index in line with ``corpus``: add, re-index and delete only what changed.

        ``rebuild`` starts from an empty index. ``progress(done, total)`` is called as articles are
        indexed; ``cancelled()`` is polled and a True answer discards the update (:class:`IndexCancelled`).
        ``procs > 1`` lets a big first build use several processes: it forks, so use it only from a
        process without threads (the CLI), never inside the TUI. Raises :class:`IndexBusyError` when
        another writer holds the index longer than ``wait`` seconds (default :data:`WRITE_WAIT_SECONDS`).
        """
        started = time.perf_counter()
        with self._write_lock(wait):
            reason = self._reset_reason
            if rebuild:
                self._create_empty()
                reason = reason or "rebuilt on request"
            else:
                self._ix = self._ix.refresh()
                self._clean_leftovers()
            before = dict(self.indexed_fingerprints())
            added, changed, deleted, unchanged = self._plan(corpus)
            todo = added + changed
            if todo or deleted:
                try:
                    try:
                        self._write(todo, [a.id for a, _ in changed] + deleted, progress, cancelled, procs)
                    except (IndexBusyError, IndexCancelled, OSError, _CallbackError):
                        raise
                    except Exception as exc:  # the existing index cannot be written to: start it over
                        reason = _damage_message(exc)
                        self._create_empty()
                        before = {}
                        added, changed, deleted, unchanged = self._plan(corpus)
                        todo = added + changed
                        self._write(todo, [], progress, cancelled, procs)
                except _CallbackError as exc:
                    self._reset_reason = reason
                    raise exc.original from None
                except BaseException:
                    self._reset_reason = reason  # still to be reported by the next update
                    raise
                self._ix = self._ix.refresh()
                fingerprints = before
                for article_id in deleted:
                    fingerprints.pop(article_id, None)
                fingerprints.update((a.id, fp) for a, fp in todo)
                self._write_fingerprint_file(fingerprints)
                self._write_meta()
                self._fingerprints = (self._ix.latest_generation(), fingerprints)
            elif reason:
                self._write_meta()
            self._reset_reason = None
        self.refresh_sessions()
        return UpdateReport(len(added), len(changed), len(deleted), unchanged, time.perf_counter() - started, reason)

    def apply_delta(
        self,
        delta: CorpusDelta,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        wait: float | None = None,
    ) -> UpdateReport:
        """Bring the index in line with a :class:`~briefreader.core.corpus_delta.CorpusDelta`: the
        articles of ``delta.paths`` replace what the index holds of those files, the articles of
        ``delta.removed`` go; nothing else is read. Raises :class:`IndexDamagedError` (and the next
        update rebuilds) if the index cannot be written; otherwise as :meth:`update`."""
        from briefreader.core.corpus_delta import owner_of

        started = time.perf_counter()
        with self._write_lock(wait):
            if self._reset_reason:
                raise IndexDamagedError(self._reset_reason)
            self._ix = self._ix.refresh()
            self._clean_leftovers()
            indexed = self.indexed_fingerprints()
            replaced = delta.paths | delta.removed
            owned = [article_id for article_id in indexed if owner_of(article_id) in replaced]
            added, changed, seen = _compare(delta.articles, indexed)
            deleted = [article_id for article_id in owned if article_id not in seen]
            unchanged = len(indexed) - len(owned) + len(seen) - len(added) - len(changed)
            todo = added + changed
            if todo or deleted:
                try:
                    self._write(todo, [a.id for a, _ in changed] + deleted, progress, cancelled, 1)
                except _CallbackError as exc:
                    raise exc.original from None
                except (IndexBusyError, IndexCancelled, OSError):
                    raise
                except Exception as exc:  # the next full update starts the index over
                    self._reset_reason = _damage_message(exc)
                    raise IndexDamagedError(self._reset_reason) from exc
                self._ix = self._ix.refresh()
                fingerprints = dict(indexed)
                for article_id in deleted:
                    fingerprints.pop(article_id, None)
                fingerprints.update((a.id, fp) for a, fp in todo)
                self._write_fingerprint_file(fingerprints)
                self._write_meta()
                self._fingerprints = (self._ix.latest_generation(), fingerprints)
        self.refresh_sessions()
        return UpdateReport(len(added), len(changed), len(deleted), unchanged, time.perf_counter() - started, None)

    def _write(self, todo: list[tuple[Article, str]], delete_ids: list[str],
               progress: Callable[[int, int], None] | None, cancelled: Callable[[], bool] | None,
               procs: int) -> None:
        global _parallel_build
        parallel = procs > 1 and self._ix.doc_count_all() == 0 and len(todo) >= PARALLEL_MIN_DOCS
        _parallel_build = parallel
        try:
            self._write_with(parallel, todo, delete_ids, progress, cancelled, procs)
        finally:
            _parallel_build = False

    def _write_with(self, parallel: bool, todo: list[tuple[Article, str]], delete_ids: list[str],
                    progress: Callable[[int, int], None] | None, cancelled: Callable[[], bool] | None,
                    procs: int) -> None:
        from whoosh.index import LockError

        try:
            if parallel:
                writer = self._ix.writer(procs=procs, multisegment=True, limitmb=WRITER_LIMIT_MB,
                                         timeout=WRITE_WAIT_SECONDS)
            else:
                writer = self._ix.writer(limitmb=WRITER_LIMIT_MB, timeout=WRITE_WAIT_SECONDS)
        except LockError:
            raise IndexBusyError("another program is writing this index right now; try again later") from None
        total = len(todo)
        try:
            for article_id in delete_ids:
                writer.delete_by_term("id", article_id)
            step = max(1, min(100, total // 100 or 1))
            for done, (article, fp) in enumerate(todo, 1):
                if cancelled is not None and done % 25 == 1 and _call(cancelled):
                    raise IndexCancelled()
                writer.add_document(**_document(article, fp))
                if progress is not None and (done % step == 0 or done == total):
                    _call(progress, done, total)
            writer.commit()
        except BaseException:
            try:
                writer.cancel()
            except Exception:
                pass
            raise

    # ..................................................................... searching

    def searcher(self) -> SearchSession:
        """A long-lived search session (one Whoosh searcher, refreshed after commits)."""
        session = SearchSession(self)
        self._sessions.add(session)
        return session

    def refresh_sessions(self) -> None:
        for session in list(self._sessions):
            session.refresh()

    def close(self) -> None:
        self._drop_spare_reader()
        for session in list(self._sessions):
            session.close()
        if self._ix is not None:
            self._ix.close()
        self._closed = True

    def __enter__(self) -> CorpusIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- searching


def _cancellable(collector, cancelled: Callable[[], bool]):
    """``collector`` polling ``cancelled()`` every 256 matching documents."""
    from whoosh.collectors import WrappingCollector

    class Cancellable(WrappingCollector):
        seen = 0

        def collect(self, sub_docnum):
            self.seen += 1
            if not self.seen & 255 and cancelled():
                raise SearchCancelled()
            return self.child.collect(sub_docnum)

    return Cancellable(collector)


class SearchSession:
    """One Whoosh searcher reused for every query; safe to call from a worker thread (calls serialise)."""

    def __init__(self, index: CorpusIndex) -> None:
        self._index = index
        self._lock = threading.RLock()
        self._ix = index._ix
        reader = index._take_spare_reader()
        if reader is not None:
            from whoosh.searching import Searcher

            self._searcher = Searcher(reader, fromindex=self._ix)
        else:
            self._searcher = self._ix.searcher()
        self._schema = self._ix.schema
        self._parser = make_parser(self._schema)
        self._analyzer = self._schema[BODY_FIELD].analyzer
        self._checked = time.monotonic()
        self._parsed: dict[str, object] = {}
        self._docnums: dict[str, int] | None = None
        self._closed = False

    # ..................................................................... freshness

    def refresh(self) -> None:
        """Pick up what was committed since (by this process or another)."""
        with self._lock:
            if self._closed:
                return
            # A brand-new searcher, not Searcher.refresh(): Whoosh's refresh reuses the reader of an
            # unchanged segment and so keeps showing documents deleted from it since (measured).
            old = self._searcher
            self._ix = self._index._ix
            self._searcher = self._ix.searcher()
            old.close()
            self._parsed.clear()
            self._docnums = None
            self._checked = time.monotonic()

    def _maybe_refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked < REFRESH_CHECK_SECONDS:
            return
        self._checked = now
        try:
            if not self._searcher.up_to_date():
                self.refresh()
        except Exception:
            pass

    def _query(self, text: str):
        q = self._parsed.get(text)
        if q is None:
            q = parse_query(text, self._parser, self._searcher.reader())
            if len(self._parsed) > 256:
                self._parsed.clear()
            self._parsed[text] = q
        return q

    def _docnums_of(self, article_ids: set[str]) -> set[int]:
        """Document numbers of ``article_ids`` (a few looked up one by one, many through a map)."""
        if self._docnums is None and len(article_ids) <= 256:
            found = set()
            for article_id in article_ids:
                docnum = self._searcher.document_number(id=article_id)
                if docnum is not None:
                    found.add(docnum)
            return found
        docmap = self._docnum_map()
        return {docmap[i] for i in article_ids if i in docmap}

    def _docnum_map(self) -> dict[str, int]:
        if self._docnums is None:
            reader = self._searcher.reader()
            ids = reader.column_reader("id")
            self._docnums = {ids[d]: d for d in reader.all_doc_ids()}
        return self._docnums

    # ..................................................................... queries

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        page: int = 1,
        sort: str = "score",
        snippets: bool = True,
        allowed_ids: set[str] | None = None,
        cancelled: Callable[[], bool] | None = None,
        ids_only: bool = False,
    ) -> SearchResults:
        """Run ``query``; return page ``page`` of ``limit`` hits (best first, or newest first with ``sort="date"``).

        ``allowed_ids`` restricts results to those article ids. Raises :class:`QuerySyntaxError` with a
        readable message for a query that cannot be understood. ``cancelled()`` is polled while
        matches are collected; True raises :class:`SearchCancelled` (search-as-you-type: a common
        word scores thousands of documents, and the next keystroke should not wait for that).
        ``ids_only`` hits carry the article id and score only (no stored fields read: what a list
        that already holds the articles needs; ~6 ms less per page of 200).
        """
        if sort not in ("score", "date"):
            raise ValueError(f"sort must be 'score' or 'date', not {sort!r}")
        limit = max(1, min(int(limit), MAX_PAGE_SIZE))
        page = max(1, int(page))
        with self._lock:
            if self._closed:
                raise RuntimeError("search session is closed")
            self._maybe_refresh()
            try:
                q = self._query(query)
                filter_docs = None
                if allowed_ids is not None:
                    filter_docs = self._docnums_of(allowed_ids)
                    if not filter_docs:
                        return SearchResults(query, 0, [], page, limit)
                if sort == "date" and not self._searcher.reader().has_column("date_sort"):
                    sort = "score"  # no article has a date: Whoosh cannot sort on an empty column
                collector = self._collector(page * limit, sort, filter_docs, cancelled)
                self._searcher.search_with_collector(q, collector)
                results = collector.results()
                total = len(results)
                top = list(results.top_n[(page - 1) * limit: page * limit])
                hits = self._id_hits(top) if ids_only else self._hits(results, top, q, snippets)
            except (QuerySyntaxError, ValueError, SearchCancelled):
                raise
            except Exception as exc:
                raise IndexDamagedError(f"the index could not be read ({type(exc).__name__}: {exc}); "
                                        "reopen the corpus to rebuild it") from exc
        return SearchResults(query, total, hits, page, limit)

    def matching_ids(self, query: str, *, allowed_ids: set[str] | None = None) -> list[str]:
        """Every article matching ``query`` (among ``allowed_ids``), unranked: one pass without
        scoring, for bulk actions and filters (paging through ranked results re-ran the search per
        page). Raises :class:`QuerySyntaxError` like :meth:`search`."""
        with self._lock:
            if self._closed:
                raise RuntimeError("search session is closed")
            self._maybe_refresh()
            try:
                q = self._query(query)
                if self._searcher.reader().doc_count_all() == 0:
                    return []  # an empty index (e.g. its first build failed on a full disk) has no id column
                ids = self._searcher.reader().column_reader("id")
                docnums = self._searcher.docs_for_query(q)
                if allowed_ids is not None:
                    allowed = self._docnums_of(allowed_ids)
                    docnums = (d for d in docnums if d in allowed)
                return [ids[d] for d in docnums]
            except (QuerySyntaxError, ValueError):
                raise
            except Exception as exc:
                raise IndexDamagedError(f"the index could not be read ({type(exc).__name__}: {exc}); "
                                        "reopen the corpus to rebuild it") from exc

    @staticmethod
    def _collector(limit: int, sort: str, filter_docs: set[int] | None, cancelled: Callable[[], bool] | None = None):
        """A collector that counts every match in the same pass as it ranks the top ``limit``.

        Whoosh's default top-N collector skips blocks and swaps in cheaper matchers once documents can
        no longer make the top N; its exact total then costs a second full pass (measured: ~2.5x
        slower per query at 10k articles), and it is the total the results list shows.
        """
        from whoosh import collectors, sorting

        if sort == "date":
            facet = sorting.MultiFacet([sorting.FieldFacet("date_sort", reverse=True), sorting.ScoreFacet()])
            collector = collectors.SortingCollector(facet, limit=limit)
        else:
            collector = collectors.TopCollector(limit, usequality=False, replace=0)
        if cancelled is not None:  # inside the filter, which calls its child's collect() per document
            collector = _cancellable(collector, cancelled)
        if filter_docs is not None:
            collector = collectors.FilterCollector(collector, allow=filter_docs)
        return collector

    def _id_hits(self, top) -> list[Hit]:
        ids = self._searcher.reader().column_reader("id")
        return [Hit(id=ids[docnum], path="", score=float((-key[-1] if isinstance(key, tuple) else key) or 0.0),
                    title=None, outlet=None, date=None, snippets=[]) for key, docnum in top]

    def _hits(self, results, top, q, with_snippets: bool) -> list[Hit]:
        searcher = self._searcher
        docnums = [docnum for _, docnum in top]
        stored = {d: searcher.stored_fields(d) for d in docnums}
        spans: dict[int, list[tuple[int, int]]] = {}
        if with_snippets and docnums:
            spans = self._spans_for(docnums, match_plan(q), {d: stored[d].get("body", "") for d in docnums})
        hits = []
        for key, docnum in top:
            score = -key[-1] if isinstance(key, tuple) else key  # date sort: (date, -score)
            fields = stored[docnum]
            body = fields.get("body", "")
            snips = make_snippets(body, spans.get(docnum, [])) if with_snippets else []
            hits.append(Hit(id=fields["id"], path=fields.get("path", ""), score=float(score or 0.0),
                            title=fields.get("title"), outlet=fields.get("outlet"), date=fields.get("date_text"),
                            snippets=snips, body_length=len(body) if with_snippets else None))
        return hits

    def _spans_for(self, docnums: list[int], plan: MatchPlan, bodies: dict[int, str]) -> dict[int, list[tuple[int, int]]]:
        """Matched character spans per document: from the postings' stored character offsets when the
        query words are rare enough, else (and for wildcard/fuzzy parts) by re-tokenising the hit bodies."""
        reader = self._searcher.reader()
        order = sorted(docnums)
        out: dict[int, list[tuple[int, int]]] = {d: [] for d in docnums}
        cache: dict[str, dict[int, list[tuple[int, int, int]]]] = {}

        def occurrences(term: str) -> dict[int, list[tuple[int, int, int]]]:
            if term in cache:
                return cache[term]
            found: dict[int, list[tuple[int, int, int]]] = {}
            if (BODY_FIELD, term) in reader:
                m = reader.postings(BODY_FIELD, term)
                for d in order:
                    if not m.is_active():
                        break
                    if m.id() < d:
                        m.skip_to(d)
                        if not m.is_active():
                            break
                    if m.id() == d:
                        found[d] = m.value_as("characters")
            cache[term] = found
            return found

        words = set(plan.terms) | {w for phrase, _ in plan.phrases for w in phrase}
        heavy = bool(plan.patterns) or any(reader.doc_frequency(BODY_FIELD, w) > POSTINGS_SNIPPET_MAX_DF
                                           for w in words)
        if heavy:  # re-tokenise the few hit bodies: cost independent of how common the words are
            return {d: spans_in_text(bodies.get(d, ""), plan) for d in docnums}
        for term in plan.terms:
            for d, occ in occurrences(term).items():
                out[d].extend((s, e) for _, s, e in occ)
        for words_, slop in plan.phrases:
            per_word = [occurrences(w) for w in words_]
            for d in docnums:
                out[d].extend(phrase_spans([pw.get(d, []) for pw in per_word], slop))
        return {d: merge_spans(v) for d, v in out.items()}

    def match_spans(self, article_id: str, body: str, query: str) -> list[tuple[int, int]]:
        """Every span of ``body`` the query matches (terms, phrases, wildcards), sorted, for highlighting."""
        with self._lock:
            q = self._query(query)
            return spans_in_text(body, match_plan(q))

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._searcher.close()


# --------------------------------------------------------------------------- snippets


def make_snippets(body: str, spans: list[tuple[int, int]], *, count: int = SNIPPETS_PER_HIT,
                  width: int = SNIPPET_CHARS) -> list[Snippet]:
    """Up to ``count`` passages of about ``width`` characters around the matches, best first.

    Passages start at a sentence or word boundary and end at a word boundary; with no match in the
    body (the query matched the title or outlet), the opening passage.
    """
    if not body:
        return []
    n = len(body)
    if not spans:
        end = _word_end(body, min(n, width), 0)
        return [Snippet(body[:end], 0, end, [])]
    candidates = []
    for s, e in spans[:200]:
        start = max(0, s - width // 3)
        sentence = max(body.rfind(". ", max(0, s - width // 2), s), body.rfind("\n", max(0, s - width // 2), s))
        if sentence >= 0:
            start = sentence + 1
        start = _word_start(body, start, s)
        end = max(e, _word_end(body, min(n, start + width), e))
        inside = [sp for sp in spans if sp[0] >= start and sp[1] <= end]
        distinct = {body[a:b].casefold() for a, b in inside}
        candidates.append(((len(distinct), len(inside), -start), start, end, inside))
    candidates.sort(key=lambda c: c[0], reverse=True)
    chosen: list[tuple[int, int, list[tuple[int, int]]]] = []
    for _, start, end, inside in candidates:
        if any(start < ce and cs < end for cs, ce, _ in chosen):
            continue
        chosen.append((start, end, inside))
        if len(chosen) >= count:
            break
    return [Snippet(body[s:e], s, e, inside) for s, e, inside in chosen]


def _word_start(body: str, pos: int, limit: int) -> int:
    """Move ``pos`` forward past spaces (and off the middle of a word), never beyond ``limit``."""
    if pos > 0 and not body[pos - 1].isspace():
        nxt = pos
        while nxt < limit and not body[nxt].isspace():
            nxt += 1
        pos = nxt if nxt < limit else pos
    while pos < limit and body[pos].isspace():
        pos += 1
    return pos


def _word_end(body: str, pos: int, minimum: int) -> int:
    """Move ``pos`` back to the end of a word (not before ``minimum``)."""
    n = len(body)
    if pos >= n:
        return n
    back = pos
    while back > minimum and not body[back - 1].isspace():
        back -= 1
    if back > minimum:
        pos = back
    while pos > minimum and body[pos - 1].isspace():
        pos -= 1
    return max(pos, minimum)
