"""The full-text index of a corpus (Whoosh): kept up to date incrementally, searched fast, never left broken.

Where: ``index/`` in the per-user cache folder of the corpus (:func:`briefreader.core.paths.derived_dir`,
keyed by the corpus's real path), never in the corpus folder: Whoosh's table of contents is a pickle,
and a pickle runs code when it is read, so an index must never travel with a corpus.

What is indexed per article: id, path, title, outlet, wire agency (``agency:``), author, dateline
(``place:``), date (as a period, see :mod:`briefreader.core.search_query`), the cleaned body
(stemmed, with positions and character offsets, stored for snippets) and a fingerprint of all of
it. The loader's record cache already re-reads only files whose size or mtime changed; the index
then re-indexes only articles whose fingerprint changed, and deletes those that are gone.

Safety:
- one writer at a time (:mod:`briefreader.storage.index_lock`); readers never wait: Whoosh commits by
  writing new segment files and then atomically replacing the table of contents, so a reader sees
  the old or the new index, never half of one;
- at open the index is checked (description file, schema version, unknown files, every segment
  readable, file sizes as recorded after the last commit); anything wrong and it is rebuilt from the
  corpus with a message. Corpus files are only ever read; a rebuild deletes only inside the cache
  folder (the resolved path is checked, links are removed, never followed);
- a document whose ``add_document`` fails half-way leaves its terms attached to the *next*
  document (whoosh-reloaded 2.7.5; 2.7.4 refused to continue): any exception cancels the whole writer.

Searching is :mod:`briefreader.storage.index_search`; updating from a folder without loading all of it,
:mod:`briefreader.storage.index_sync`.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from briefreader.storage.index_docs import SCHEMA_VERSION, article_fingerprint, compare_fingerprints, document_fields
from briefreader.storage.index_lock import IndexBusyError, WriteLock, parallel_writer, segment_writer
from briefreader.storage.index_search import (
    MAX_PAGE_SIZE,
    SNIPPETS_PER_HIT,
    Hit,
    IndexDamagedError,
    SearchCancelled,
    SearchResults,
    SearchSession,
    Snippet,
    make_snippets,
)
from briefreader.core.paths import atomic_write_bytes, atomic_write_text, derived_dir, safe_rmtree
from briefreader.core.safe_json import loads_bounded
from briefreader.core.search_query import BODY_FIELD, QuerySyntaxError

if TYPE_CHECKING:
    from briefreader.storage.corpus import Corpus, SourceState
    from briefreader.storage.corpus_delta import CorpusDelta
    from briefreader.core.model import Article, LoadWarning

__all__ = [
    "CorpusIndex", "SearchSession", "IndexBusyError", "IndexCancelled", "IndexDamagedError", "QuerySyntaxError",
    "SearchCancelled", "Snippet", "Hit", "SearchResults", "UpdateReport", "SCHEMA_VERSION", "MAX_PAGE_SIZE",
    "SNIPPETS_PER_HIT", "make_snippets", "article_fingerprint",
]

log = logging.getLogger(__name__)

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

_WHOOSH_FILE_RE = re.compile(rf"^(_?{INDEX_NAME}[_.].*|.+\.tmp)$")


class IndexCancelled(Exception):
    """An update was cancelled through its ``cancelled`` callback; nothing was committed."""


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


class ArticleBatches(Protocol):
    """Articles read a batch at a time (a :class:`~briefreader.storage.corpus_stream.RecordStream`)."""

    articles: int

    def batches(self) -> Iterator[list[Article]]: ...


@dataclass
class _Plan:
    """What an update writes: ``todo`` (article, fingerprint, whether it replaces an indexed copy),
    ``total`` of them at most, ids of articles gone to delete first and (``deleted_after``) once
    ``todo`` is exhausted; ``counts`` (added, changed, unchanged) are final when ``todo`` is; ``written``
    collects the fingerprints of the articles written."""

    todo: Iterable[tuple[Article, str, bool]]
    total: int
    deleted: list[str]
    counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    deleted_after: Callable[[], list[str]] | None = None
    progress: Callable[[int, int], None] | None = None
    written: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- the index


class CorpusIndex:
    """The search index of one corpus folder. Open with :meth:`open`."""

    def __init__(self, root: Path, location: Path, in_corpus: bool) -> None:
        self.root = Path(root)
        self.location = location
        self.in_corpus = in_corpus
        self.message: str | None = None
        self._ix: Any = None  # a whoosh.index.FileIndex (Whoosh has no type hints)
        self._lock_path = location.parent / LOCK_NAME
        self._reset_reason: str | None = None
        self._sessions: weakref.WeakSet[SearchSession] = weakref.WeakSet()
        self._fingerprints: tuple[int, dict[str, str]] | None = None
        # the sources file as last read: (generation, mtime, size) -> (state, written, warnings)
        self._sources: tuple[tuple[int, int, int], tuple[SourceState, int, list[LoadWarning]]] | None = None
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

    def _write_lock(self, wait: float | None = None) -> WriteLock:
        lock = WriteLock(self._lock_path)
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
            from briefreader.storage.index_pairs import index_schema

            expected = index_schema()
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
            except Exception as exc:  # a reader of files that are gone: nothing left to release
                log.debug("closing the spare index reader: %s", exc)
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
            except Exception as exc:  # the index being replaced may be damaged
                log.debug("closing the old index: %s", exc)
            self._ix = None
        loc = self.location
        safe_rmtree(loc, loc.parent)  # a link is removed itself, never followed
        loc.mkdir(mode=0o700)
        from briefreader.storage.index_pairs import index_schema

        self._ix = self._storage().create_index(index_schema(), indexname=INDEX_NAME)
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
                except OSError as exc:  # removed meanwhile (a merge): not part of this generation
                    log.debug("index file %s not described: %s", name, exc)
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
            log.debug("no fingerprint file in %s: reading the index's columns", self.location)
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
        added, changed, seen = compare_fingerprints(corpus.articles, indexed)
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
        from briefreader.storage.corpus_files import SourceState
        from briefreader.core.model import LoadWarning  # noqa: F811 - at run time, not only for types

        path = self.location / SOURCES_NAME
        try:
            stat = path.stat()
            key = (self._ix.latest_generation(), stat.st_mtime_ns, stat.st_size)
            if self._sources is not None and self._sources[0] == key:
                return self._sources[1]
            data = loads_bounded(path.read_bytes())
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
        self._sources = (key, (saved, written, warnings))
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

        def plan(indexed: dict[str, str]) -> _Plan:
            added, changed, seen = compare_fingerprints(corpus.articles, indexed)
            todo = [(a, fp, False) for a, fp in added] + [(a, fp, True) for a, fp in changed]
            return _Plan(todo, len(todo), [i for i in indexed if i not in seen],
                         counts=[len(added), len(changed), len(seen) - len(added) - len(changed)], progress=progress)

        return self._update_with(plan, rebuild=rebuild, cancelled=cancelled, procs=procs, wait=wait)

    def update_stream(
        self,
        stream: ArticleBatches,
        *,
        rebuild: bool = False,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        procs: int = 1,
        wait: float | None = None,
    ) -> UpdateReport:
        """:meth:`update` from articles read a batch at a time (``stream.batches()``, ``stream.articles``
        of them; e.g. a :class:`~briefreader.storage.corpus_stream.RecordStream`): memory holds one batch,
        never the corpus. ``progress(done, total)`` counts articles compared; the sub-writers of a
        parallel build are forked before the first batch is read (they share nothing large)."""

        def plan(indexed: dict[str, str]) -> _Plan:
            counts = [0, 0, 0]
            seen: set[str] = set()

            def todo() -> Iterator[tuple[Article, str, bool]]:
                done = 0
                step = max(1, min(100, stream.articles // 100 or 1))
                for batch in stream.batches():
                    for article in batch:
                        done += 1
                        if progress is not None and (done % step == 0 or done == stream.articles):
                            _call(progress, done, stream.articles)
                        if article.id in seen:
                            continue
                        seen.add(article.id)
                        fingerprint = article_fingerprint(article)
                        old = indexed.get(article.id)
                        if old == fingerprint:
                            counts[2] += 1
                            continue
                        counts[0 if old is None else 1] += 1
                        yield article, fingerprint, old is not None

            return _Plan(todo(), stream.articles, [], counts=counts,
                         deleted_after=lambda: [i for i in indexed if i not in seen])

        return self._update_with(plan, rebuild=rebuild, cancelled=cancelled, procs=procs, wait=wait)

    def _update_with(self, plan: Callable[[dict[str, str]], _Plan], *, rebuild: bool,
                     cancelled: Callable[[], bool] | None, procs: int, wait: float | None) -> UpdateReport:
        """The update itself: ``plan(indexed fingerprints)`` says what to write; a damaged index is
        started over (and planned again against an empty one)."""
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
            current = plan(before)
            try:
                try:
                    written = self._write(current, cancelled, procs)
                except (IndexBusyError, IndexCancelled, OSError, _CallbackError):
                    raise
                except Exception as exc:  # the existing index cannot be written to: start it over
                    reason = _damage_message(exc)
                    self._create_empty()
                    before = {}
                    current = plan(before)
                    written = self._write(current, cancelled, procs)
            except _CallbackError as exc:
                self._reset_reason = reason
                raise exc.original from None
            except BaseException:
                self._reset_reason = reason  # still to be reported by the next update
                raise
            if written:
                self._ix = self._ix.refresh()
                fingerprints = before
                for article_id in current.deleted:
                    fingerprints.pop(article_id, None)
                fingerprints.update(current.written)
                self._write_fingerprint_file(fingerprints)
                self._write_meta()
                self._fingerprints = (self._ix.latest_generation(), fingerprints)
            elif reason:
                self._write_meta()
            self._reset_reason = None
        self.refresh_sessions()
        added, changed, unchanged = current.counts
        return UpdateReport(added, changed, len(current.deleted), unchanged, time.perf_counter() - started, reason)

    def apply_delta(
        self,
        delta: CorpusDelta,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        wait: float | None = None,
    ) -> UpdateReport:
        """Bring the index in line with a :class:`~briefreader.storage.corpus_delta.CorpusDelta`: the
        articles of ``delta.paths`` replace what the index holds of those files, the articles of
        ``delta.removed`` go; nothing else is read. Raises :class:`IndexDamagedError` (and the next
        update rebuilds) if the index cannot be written; otherwise as :meth:`update`."""
        from briefreader.storage.corpus_delta import owner_of

        started = time.perf_counter()
        with self._write_lock(wait):
            if self._reset_reason:
                raise IndexDamagedError(self._reset_reason)
            self._ix = self._ix.refresh()
            self._clean_leftovers()
            indexed = self.indexed_fingerprints()
            replaced = delta.paths | delta.removed
            owned = [article_id for article_id in indexed if owner_of(article_id) in replaced]
            added, changed, seen = compare_fingerprints(delta.articles, indexed)
            deleted = [article_id for article_id in owned if article_id not in seen]
            unchanged = len(indexed) - len(owned) + len(seen) - len(added) - len(changed)
            todo = added + changed
            if todo or deleted:
                try:
                    self._write(_Plan([(a, fp, False) for a, fp in added] + [(a, fp, True) for a, fp in changed],
                                      len(todo), list(deleted), progress=progress), cancelled, 1)
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

    def _write(self, plan: _Plan, cancelled: Callable[[], bool] | None, procs: int) -> bool:
        """Delete and add what ``plan`` says and commit, in ``procs`` processes when it is a big first
        build; False (and nothing committed) when there was nothing to change."""
        from whoosh.index import LockError

        if not plan.total and not plan.deleted and plan.deleted_after is None:
            return False
        if self._ix.doc_count_all() == 0:
            plan.todo = self._choose_pair_vocabulary(plan.todo)
        parallel = procs > 1 and self._ix.doc_count_all() == 0 and plan.total >= PARALLEL_MIN_DOCS
        try:
            if parallel:
                writer = parallel_writer(self._ix, procs, multisegment=True, limitmb=WRITER_LIMIT_MB,
                                         timeout=WRITE_WAIT_SECONDS)
            else:
                writer = segment_writer(self._ix, limitmb=WRITER_LIMIT_MB, timeout=WRITE_WAIT_SECONDS)
        except LockError:
            raise IndexBusyError("another program is writing this index right now; try again later") from None
        total = plan.total
        progress = plan.progress
        try:
            for article_id in plan.deleted:
                writer.delete_by_term("id", article_id)
            step = max(1, min(100, total // 100 or 1))
            for done, (article, fp, replaces) in enumerate(plan.todo, 1):
                if cancelled is not None and done % 25 == 1 and _call(cancelled):
                    raise IndexCancelled()
                if replaces:
                    writer.delete_by_term("id", article.id)
                writer.add_document(**document_fields(article, fp))
                plan.written[article.id] = fp
                if progress is not None and (done % step == 0 or done == total):
                    _call(progress, done, total)
            if plan.deleted_after is not None:
                late = plan.deleted_after()
                for article_id in late:
                    writer.delete_by_term("id", article_id)
                plan.deleted.extend(late)
            if not plan.written and not plan.deleted:
                writer.cancel()
                return False
            writer.commit()
        except BaseException:
            try:
                writer.cancel()
            except Exception as exc:  # the original error is the one to report
                log.debug("cancelling the index writer: %s", exc)
            raise
        return True

    def _choose_pair_vocabulary(self, todo: Iterable[tuple[Article, str, bool]]) -> Iterator[tuple[Article, str, bool]]:
        """Before the first articles go into an empty index: the pair vocabulary is chosen from the
        first :data:`~briefreader.storage.index_pairs.PAIR_SAMPLE` articles to write (read ahead, a
        bounded number: a streamed build holds no more), then everything is written as planned."""
        from briefreader.storage.index_pairs import PAIR_SAMPLE

        items = iter(todo)
        ahead = list(itertools.islice(items, PAIR_SAMPLE))
        if ahead:
            self._set_pair_vocabulary([article.body for article, _, _ in ahead])
        return itertools.chain(ahead, items)

    def _set_pair_vocabulary(self, bodies: list[str]) -> None:
        """Before the first articles go into an empty index: choose the words whose adjacent pairs
        it indexes (see :mod:`briefreader.storage.index_pairs`) and commit them with its schema,
        where every writer (the build's sub-processes too) reads them."""
        from whoosh.index import LockError

        from briefreader.storage.index_pairs import (
            PAIRS_FIELD,
            PhrasePairs,
            pair_vocabulary,
            sample_bodies,
            schema_vocabulary,
        )

        sample = sample_bodies(bodies)
        vocabulary = pair_vocabulary(sample, len(sample))
        if vocabulary == schema_vocabulary(self._ix.schema):
            return
        try:
            writer = self._ix.writer(timeout=WRITE_WAIT_SECONDS)
        except LockError:
            raise IndexBusyError("another program is writing this index right now; try again later") from None
        try:
            if PAIRS_FIELD in writer.schema.names():
                writer.remove_field(PAIRS_FIELD)
            writer.add_field(PAIRS_FIELD, PhrasePairs(vocabulary))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        self._ix = self._ix.refresh()

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
