"""A corpus in batches: bring the record cache up to date without holding every article, then read
the articles back a batch at a time.

:func:`briefreader.storage.corpus.load_corpus` holds every article (text, source, removed blocks)
until it returns: about 1 GB for 50,000 articles. Commands that only need the record cache filled
(``list`` the first time) or the articles one after the other (a full index build) use this module
instead, with memory bounded by the batch size:

- :func:`refresh_records` reads and cleans the files that are new or changed a batch at a time
  (in worker processes when there are many), stores each batch's records at once and keeps of each
  article only what the repeated-line evidence needs (its outlet, paragraph hashes and line
  fingerprints); then it computes each outlet's evidence, cleans again, a batch of files at a time,
  the articles whose evidence moved, and saves the evidence. The cache then holds exactly what
  ``load_corpus`` would have stored, and the warnings are those it would give.
- :meth:`RecordStream.batches` reads the articles back from the cache in load order, a batch of
  files at a time, as ``load_corpus`` would return them (file-name metadata applied, ``order`` set).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from briefreader.core import clean as cleaning
from briefreader.core.filemeta import NameMetadata, infer_name_metadata
from briefreader.core.manifest import Manifest
from briefreader.core.model import Article, LoadWarning
from briefreader.core.paths import MANIFEST_NAME
from briefreader.storage.corpus import (
    CorpusError,
    LoadCancelled,
    POOL_CHUNK,
    _map_chunks,
    _process_chunk,
    _reclean_chunk,
    _unique,
    _Workers,
    corpus_preamble,
)
from briefreader.storage.corpus_evidence import (
    OutletEvidence,
    _evidence_digest,
    _evidence_still_in_body,
    family_keys,
    outlet_evidence_of_keys,
)
from briefreader.storage.corpus_files import SourceState, _source_digest
from briefreader.storage.corpus_read import FileResult, apply_name_metadata
from briefreader.storage.records import CachedFile, Entry, RecordCache, StoreItem, fingerprints_of

log = logging.getLogger(__name__)

# Files read, cleaned and stored per step: big enough to keep the worker processes busy (64 files
# per task), small enough that a step's articles are a few MB.
BATCH_FILES = 1024
Progress = Callable[[int, int], None]


@dataclass
class _Light:
    """What the evidence step needs of one article (its text is in the cache meanwhile)."""

    file: int  # index in the corpus's files
    outlet: str  # casefolded; "" when unknown
    keys: tuple[object, ...]
    fingerprints: frozenset[str]
    digest: str  # of the evidence it was cleaned with


@dataclass
class RecordStream:
    """A corpus whose record cache is complete: its files in load order, the warnings a load gives,
    what it was made from; :meth:`batches` reads the articles."""

    root: Path
    files: list[str]
    warnings: list[LoadWarning]
    sources: SourceState
    articles: int
    names: NameMetadata
    rules_digest: str
    manifest_digest: str
    read_files: int = 0  # files read and cleaned now (not from the cache)
    recleaned_files: int = 0
    _stats: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    def batches(self, files_per_batch: int = BATCH_FILES) -> Iterator[list[Article]]:
        """The articles in load order, as :func:`load_corpus` returns them, a batch of files at a
        time. Raises :class:`CorpusError` if the cache no longer holds a file's rows (changed or
        removed by another process meanwhile)."""
        cache = RecordCache.open(self.root, rules_digest=self.rules_digest, manifest_digest=self.manifest_digest)
        try:
            order = 0
            for start in range(0, len(self.files), files_per_batch):
                batch: list[Article] = []
                for rel, cached in cache.cached_many(self.files[start: start + files_per_batch]):
                    if cached is None:
                        raise CorpusError(f"the record cache lost {rel} while it was read; run the command again")
                    for article, _, _ in cached.entries:
                        article.order = order
                        order += 1
                        batch.append(article)
                apply_name_metadata(batch, self.names)
                yield batch
        finally:
            cache.close()


def refresh_records(
    root: Path | str,
    *,
    follow_links: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    files_per_batch: int = BATCH_FILES,
) -> RecordStream | None:
    """Bring the record cache of ``root`` in line with its files, a batch of files at a time, and
    return the corpus as a :class:`RecordStream`; None when the cache cannot be used (the caller
    loads the corpus in memory instead). ``progress(done, total)`` counts files read; ``cancelled()``
    is polled (:class:`LoadCancelled`). Raises :class:`CorpusError` if ``root`` is not a folder."""
    root = Path(root)
    manifest, rules, warnings, found = corpus_preamble(root, follow_links=follow_links)
    files = [rel for rel, _ in found]
    cache = RecordCache.open(root, rules_digest=rules.digest, manifest_digest=manifest.digest)
    if not cache.usable:
        cache.close()
        return None
    if cache.warning:
        warnings.append(LoadWarning(".briefreader", cache.warning))
    names = infer_name_metadata(files, getattr(manifest, "names", None))
    workers = _Workers()
    step = _Refresh(root, cache, manifest, rules, names, files, workers, cancelled, progress)
    try:
        articles = _unchanged_articles(cache, found, warnings)
        if articles is None:  # something to read or clean
            articles = step.read(found, warnings, files_per_batch)
            if step.pending or not cache.has_exactly(files) or not cache.has_evidence():
                step.apply_evidence(files_per_batch)
    finally:
        workers.close()
        cache.close()
    warnings.extend(LoadWarning(MANIFEST_NAME, notice) for notice in rules.take_notices())
    sources = SourceState(_source_digest(manifest, rules.digest),
                          {rel: (st.st_size, st.st_mtime_ns) for rel, st in found})
    return RecordStream(root, files, _unique(warnings), sources, articles, names, rules.digest, manifest.digest,
                        read_files=step.pending, recleaned_files=step.recleaned_files)


def _unchanged_articles(cache: RecordCache, found: list[tuple[str, os.stat_result]],
                       warnings: list[LoadWarning]) -> int | None:
    """When the cache holds every file as it is now with the outlets' evidence (a load would read
    and clean nothing): the number of articles, each file's warnings added to ``warnings`` in
    order, from the listing rows alone (no record unpacked). None otherwise."""
    files = [rel for rel, _ in found]
    if not files or not cache.has_exactly(files) or not cache.has_evidence():
        return None
    if any(cache.stat_of(rel) != (st.st_size, st.st_mtime_ns) for rel, st in found):
        return None
    count = 0
    file_warnings: list[LoadWarning] = []
    for _, listed in cache.listing_many(files):
        if listed is None:  # a cache from before listing rows: read the records
            return None
        count += len(listed.summaries)
        file_warnings.extend(listed.warnings)
    warnings.extend(file_warnings)
    return count


# Tasks (of POOL_CHUNK files) the workers may be ahead of the process storing their results.
WINDOW_PER_WORKER = 3


def _cleaned_in_order(rels: list[str], root: Path, manifest: Manifest, rules: cleaning.CleaningRules,
                      workers: _Workers, cancelled: Callable[[], bool] | None) -> Iterator[FileResult]:
    """:func:`process_file` of each of ``rels``, in order: in the worker processes when there are
    enough files, at most a window of tasks ahead of the consumer (memory stays bounded), else here."""
    chunks = [rels[i: i + POOL_CHUNK] for i in range(0, len(rels), POOL_CHUNK)]
    executor = None
    if workers.wanted(len(rels)):
        try:
            executor = workers.executor()
        except (OSError, RuntimeError, ValueError) as exc:  # no worker processes here: the same work, here
            log.info("no worker processes (%s): cleaning in this process", exc)
            workers.disable()
    if executor is None:
        for chunk in chunks:
            if cancelled is not None and cancelled():
                raise LoadCancelled()
            yield from _process_chunk(chunk, root, manifest, rules)
        return
    from concurrent.futures import BrokenExecutor, Future

    window = WINDOW_PER_WORKER * workers.count
    futures: dict[int, Future] = {}
    try:
        for number, chunk in enumerate(chunks):
            for ahead in range(number, min(len(chunks), number + window)):
                if ahead not in futures and workers.count > 1:
                    try:
                        futures[ahead] = executor.submit(_process_chunk, chunks[ahead], root, manifest, rules)
                    except (RuntimeError, BrokenExecutor) as exc:  # the pool broke: the rest here
                        log.info("worker pool unusable (%s): cleaning in this process", exc)
                        workers.disable()
                        break
            future = futures.pop(number, None)
            results = None
            while future is not None and results is None:
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                try:
                    results = future.result(timeout=0.2)
                except TimeoutError:
                    continue
                except BrokenExecutor as exc:  # a worker died (killed, out of memory): finish here
                    log.info("a worker process died (%s): cleaning in this process", exc)
                    workers.disable()
                    break
            if results is None:
                results = _process_chunk(chunk, root, manifest, rules)
            yield from results
    finally:
        for future in futures.values():
            future.cancel()


class _Refresh:
    """The steps of :func:`refresh_records` over one open cache."""

    def __init__(self, root: Path, cache: RecordCache, manifest: Manifest, rules: cleaning.CleaningRules,
                 names: NameMetadata, files: list[str], workers: _Workers,
                 cancelled: Callable[[], bool] | None, progress: Progress | None) -> None:
        self.root = root
        self.cache = cache
        self.manifest = manifest
        self.rules = rules
        self.names = names
        self.files = files
        self.workers = workers
        self.cancelled = cancelled
        self.progress = progress
        self.light: list[_Light] = []
        self.fresh: set[int] = set()  # files read now (stored without evidence)
        self.pending = 0
        self.recleaned_files = 0

    def _check_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise LoadCancelled()

    def read(self, found: list[tuple[str, os.stat_result]], warnings: list[LoadWarning], files_per_batch: int) -> int:
        """Read every file (cached rows as they are, others read, cleaned and stored), keeping only
        the evidence's inputs and each file's warnings (added to ``warnings`` in file order).
        Returns the number of articles. The workers clean ahead (a bounded window of tasks) while
        this process stores what they returned."""
        keep = set(self.files)
        to_read = [rel for rel, st in found if self.cache.stat_of(rel) != (st.st_size, st.st_mtime_ns)]
        self.pending = len(to_read)
        results = _cleaned_in_order(to_read, self.root, self.manifest, self.rules, self.workers, self.cancelled)
        done = 0
        first = True
        for start in range(0, len(found), files_per_batch):
            self._check_cancelled()
            batch = found[start: start + files_per_batch]
            candidates = [(rel, st) for rel, st in batch if self.cache.stat_of(rel) == (st.st_size, st.st_mtime_ns)]
            cached = dict(self.cache.lookup_many(candidates))
            items: list[StoreItem] = []
            for offset, (rel, _) in enumerate(batch):
                number = start + offset
                hit = cached.get(rel)
                if hit is not None:
                    entries, file_warnings = hit.entries, hit.warnings
                else:
                    # cleaned by the workers; a cached row found damaged is read here
                    result = next(results) if rel not in cached else _process_chunk([rel], self.root, self.manifest,
                                                                                     self.rules)[0]
                    if result.path != rel:
                        raise RuntimeError(f"files out of order: {result.path} for {rel}")
                    entries = [(a, fp, "") for a, fp in zip(result.articles, result.fingerprints, strict=True)]
                    file_warnings = result.warnings
                    self.fresh.add(number)
                    items.append((rel, result.size, result.mtime_ns, entries, result.warnings))
                    done += 1
                apply_name_metadata((entry[0] for entry in entries), self.names)
                warnings.extend(file_warnings)
                for article, fingerprints, digest in entries:
                    article.order = len(self.light)  # as load_corpus stores it
                    self.light.append(_Light(number, article.outlet.casefold() if article.outlet else "",
                                             family_keys(article.body), fingerprints_of(fingerprints), digest))
            if items or first:  # the first store also forgets files that are gone
                self.cache.store(self.root, items, keep=keep)
                first = False
            if self.progress is not None:
                self.progress(start + len(batch), len(found))
        self.pending = done
        return len(self.light)

    def apply_evidence(self, files_per_batch: int) -> None:
        """Each outlet's repeated lines from the kept inputs; the articles whose evidence moved are
        cleaned again a batch of files at a time; the evidence is saved with the rows."""
        groups: dict[str, list[int]] = {}
        for i, light in enumerate(self.light):
            if light.outlet:
                groups.setdefault(light.outlet, []).append(i)
        wanted: dict[int, tuple[frozenset[str], str]] = {}  # article -> (evidence, digest), nonempty only
        summaries: dict[str, OutletEvidence] = {}
        for outlet, members in groups.items():
            summary = outlet_evidence_of_keys([self.files[self.light[i].file] for i in members],
                                              [self.light[i].keys for i in members],
                                              [self.light[i].fingerprints for i in members])
            summaries[outlet] = summary
            if summary.repeated:
                for i in members:
                    evidence = frozenset(summary.repeated & self.light[i].fingerprints)
                    wanted[i] = (evidence, _evidence_digest(evidence))
        # articles whose evidence moved (cleaned again if it still shows in the body); files read now
        # are stored again when an article's evidence is not the empty one they were stored with
        stale: set[int] = set()
        touched: set[int] = set()
        first_article: dict[int, int] = {}
        for i, light in enumerate(self.light):
            first_article.setdefault(light.file, i)
            if wanted.get(i, (frozenset(), ""))[1] != light.digest:
                stale.add(i)
                touched.add(light.file)
        self.light = []  # the inputs are no longer needed
        numbers = sorted(touched)
        for start in range(0, len(numbers), files_per_batch):
            self._check_cancelled()
            self._reclean_files(numbers[start: start + files_per_batch], first_article, wanted, stale)
        self.cache.store(self.root, [], keep=set(self.files), evidence=summaries)

    def _reclean_files(self, numbers: list[int], first_article: dict[int, int],
                       wanted: dict[int, tuple[frozenset[str], str]], stale: set[int]) -> None:
        rels = [self.files[n] for n in numbers]
        rows = dict(self.cache.cached_many(rels))
        todo: list[tuple[Article, frozenset[str]]] = []
        where: list[tuple[int, int]] = []  # (file number, entry position) of each article in todo
        files: dict[int, list[Entry]] = {}
        for number, rel in zip(numbers, rels, strict=True):
            cached: CachedFile | None = rows.get(rel)
            if cached is None:
                raise CorpusError(f"the record cache lost {rel} while it was written; run the command again")
            entries = list(cached.entries)
            apply_name_metadata((entry[0] for entry in entries), self.names)
            for position, (article, fingerprints, _) in enumerate(entries):
                i = first_article[number] + position
                evidence, digest = wanted.get(i, (frozenset(), ""))
                entries[position] = (article, fingerprints, digest)
                if i in stale and _evidence_still_in_body(article, evidence):
                    todo.append((article, evidence))
                    where.append((number, position))
            files[number] = entries
        recleaned = _map_chunks(_reclean_chunk, todo, (self.rules,), None, self.cancelled, self.workers)
        changed: set[int] = set()
        for (number, position), article in zip(where, recleaned, strict=True):
            _, fingerprints, digest = files[number][position]
            files[number][position] = (article, fingerprints, digest)
            changed.add(number)
        self.recleaned_files += len(changed - self.fresh)
        # as load_corpus stores: files read now (with their final digests) and files cleaned again
        items: list[StoreItem] = [(self.files[n], None, None, entries, None) for n, entries in files.items()
                                  if n in changed or n in self.fresh]
        if items:
            self.cache.store(self.root, items, keep=set(self.files))
