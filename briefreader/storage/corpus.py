"""Loading a corpus: find the article files, read them (in worker processes when there are many),
use the record cache, clean again with the repetition evidence of each outlet.

A corpus is a folder. Every ``.txt``, ``.md``, ``.html``/``.htm``, ``.json`` and ``.jsonl`` file below
it is read (hidden folders and briefreader's own state folder are skipped). An optional manifest
``briefreader.yaml`` at the root adds per-file metadata and extra cleaning rules.

Bad files never stop a load: each one becomes a :class:`LoadWarning` and the rest is loaded.
Cleaned records are cached in the corpus's per-user cache folder (see :mod:`briefreader.storage.records`),
so reopening an unchanged corpus costs one ``stat`` per file.

The jobs live in their own modules: finding the files and the source state in
:mod:`~briefreader.storage.corpus_files`, reading and cleaning one file in
:mod:`~briefreader.storage.corpus_read`, the repetition evidence in
:mod:`~briefreader.storage.corpus_evidence`. This module keeps the load pipeline and the public
names callers import from here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefreader.core import clean as cleaning
from briefreader.core.filemeta import infer_name_metadata
from briefreader.core.manifest import Manifest, load_manifest
from briefreader.core.model import Article, LoadWarning
from briefreader.core.paths import MANIFEST_NAME, STATE_DIR_NAME, foreign_derived_notice
from briefreader.storage.corpus_evidence import OutletEvidence, _apply_repetition_evidence
from briefreader.storage.corpus_files import ARTICLE_SUFFIXES, SourceState, _discover_with_stats, _source_digest
from briefreader.storage.corpus_files import discover as discover
from briefreader.storage.corpus_files import source_state as source_state
from briefreader.storage.corpus_read import FileResult, apply_name_metadata, process_file, reclean_article
from briefreader.storage.corpus_read import normalise_date as normalise_date
from briefreader.storage.records import CachedFile, Entry, RecordCache, StoreItem, pack_article

Progress = Callable[[int, int], None]
logger = logging.getLogger(__name__)


class LoadCancelled(Exception):
    """Raised when the ``cancelled`` callback of a load says stop."""


class CorpusError(Exception):
    """The corpus path itself is unusable (missing, not a folder)."""


@dataclass
class Corpus:
    """A loaded corpus: articles in discovery order plus the warnings of the load."""

    root: Path
    articles: list[Article]
    warnings: list[LoadWarning] = field(default_factory=list)
    files_seen: int = 0
    from_cache: int = 0  # articles whose cleaned record came from the cache
    # what the articles were made from (a folder load only): see :func:`source_state`
    sources: SourceState | None = None
    _by_id: dict[str, Article] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {a.id: a for a in self.articles}

    def get(self, article_id: str) -> Article | None:
        return self._by_id.get(article_id)

    def __len__(self) -> int:
        return len(self.articles)



# Below this many files to read, a process pool costs more (start-up, pickling) than it saves.
POOL_MIN_FILES = 800
POOL_CHUNK = 64


def _process_chunk(rels: list[str], root: Path, manifest: Manifest, rules: cleaning.CleaningRules) -> list[FileResult]:
    results = [process_file(root, rel, manifest, rules) for rel in rels]
    for result in results:  # source, removed blocks and offsets packed until used (half the memory)
        result.articles = [pack_article(a, fp) for a, fp in zip(result.articles, result.fingerprints, strict=True)]
    return results


def _reclean_chunk(items: list[tuple[Article, frozenset[str]]], rules: cleaning.CleaningRules) -> list[Article]:
    return [reclean_article(article, evidence, rules) for article, evidence in items]


class _Workers:
    """Worker processes for one load, started on first use and shared by its phases.

    Workers are spawned (never forked: the caller may be a multi-threaded UI).
    """

    def __init__(self) -> None:
        self.count = min(os.cpu_count() or 1, 4)
        self._executor: Any = None

    def wanted(self, items: int) -> bool:
        return items >= POOL_MIN_FILES and self.count > 1 and not os.environ.get("BRIEFREADER_NO_POOL")

    def executor(self) -> Any:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._executor = ProcessPoolExecutor(max_workers=self.count,
                                                 mp_context=multiprocessing.get_context("spawn"))
        return self._executor

    def disable(self) -> None:
        self.close()
        self.count = 1

    def close(self) -> None:
        if self._executor is not None:
            try:
                self._executor.shutdown(wait=True, cancel_futures=True)
            except Exception as exc:  # a broken pool must not hide the load's own result or error
                logger.debug("worker pool shutdown: %s", exc)
            self._executor = None


def _map_chunks(
    chunk_fn: Callable[..., list[Any]],
    items: list[Any],
    args: tuple[Any, ...],
    item_done: Callable[[int, Any], None] | None,
    cancelled: Callable[[], bool] | None,
    workers: _Workers | None = None,
) -> list[Any]:
    """``chunk_fn(chunk, *args)`` over ``items`` in chunks, results in order; in ``workers`` when
    there are enough items to pay for them."""
    chunks = [items[i: i + POOL_CHUNK] for i in range(0, len(items), POOL_CHUNK)]
    results: list[Any] = []

    def collect(chunk_results: list[Any]) -> None:
        for result in chunk_results:
            results.append(result)
            if item_done is not None:
                item_done(len(results), result)

    def in_process() -> list[Any]:
        for chunk in chunks:
            if cancelled is not None and cancelled():
                raise LoadCancelled()
            collect(chunk_fn(chunk, *args))
        return results

    if workers is None or not workers.wanted(len(items)):
        return in_process()
    try:
        executor = workers.executor()
        futures = [executor.submit(chunk_fn, chunk, *args) for chunk in chunks]
    except (OSError, RuntimeError, ValueError):
        # No worker processes here (a host that forbids them, replaced standard streams...): the
        # same work, in this process.
        workers.disable()
        return in_process()
    from concurrent.futures import BrokenExecutor

    try:
        for number, future in enumerate(futures):
            while True:
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                try:
                    chunk_results = future.result(timeout=0.2)
                    break
                except TimeoutError:
                    continue
                except BrokenExecutor:  # a worker died (killed, out of memory): finish here
                    workers.disable()
                    chunk_results = chunk_fn(chunks[number], *args)
                    break
            collect(chunk_results)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return results


def _process_files(
    root: Path,
    rels: list[str],
    manifest: Manifest,
    rules: cleaning.CleaningRules,
    file_done: Callable[[int, FileResult], None],
    cancelled: Callable[[], bool] | None,
    workers: _Workers | None = None,
) -> list[FileResult]:
    """Read, parse and clean files, in worker processes when there are many."""
    return _map_chunks(_process_chunk, rels, (root, manifest, rules), file_done, cancelled, workers)



def load_rules_for(manifest: Manifest) -> tuple[cleaning.CleaningRules, list[LoadWarning]]:
    """The cleaning rules of a corpus with its manifest's boilerplate rules, and their problems."""
    warnings: list[LoadWarning] = []
    try:
        rules = cleaning.load_rules(manifest.boilerplate)
    except ValueError as exc:
        warnings.append(LoadWarning(MANIFEST_NAME, f"boilerplate rules ignored: {exc}"))
        rules = cleaning.load_rules(None)
    warnings.extend(LoadWarning(MANIFEST_NAME, problem) for problem in rules.problems)
    rules.reset_budget()  # corpus rules disabled in an earlier load in this process get another chance
    return rules, warnings


def corpus_preamble(root: Path, *, follow_links: bool = False
                    ) -> tuple[Manifest, cleaning.CleaningRules, list[LoadWarning], list[tuple[str, os.stat_result]]]:
    """What every load starts from: the manifest, the cleaning rules, the warnings so far (manifest,
    rules, a foreign state folder, finding the files) and the article files with their stats, in
    load order. Raises :class:`CorpusError` if ``root`` is not a folder."""
    if not root.exists():
        raise CorpusError(f"no such folder: {root}")
    if not root.is_dir():
        raise CorpusError(f"not a folder: {root}")
    manifest, warnings = load_manifest(root)
    rules, rule_warnings = load_rules_for(manifest)
    warnings.extend(rule_warnings)
    notice = foreign_derived_notice(root)
    if notice:  # once per load: a planted or old index/record cache in DIR/.briefreader is never opened
        warnings.append(LoadWarning(STATE_DIR_NAME, notice))
    found, discover_warnings = _discover_with_stats(root, follow_links=follow_links)
    warnings.extend(discover_warnings)
    return manifest, rules, warnings, found


def load_corpus(
    root: Path | str,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    on_articles: Callable[[list[Article]], None] | None = None,
    follow_links: bool = False,
    light: bool = False,
) -> Corpus:
    """Load every article under ``root``.

    ``progress(done, total)`` is called as files are processed; ``cancelled()`` is polled and a
    True answer raises :class:`LoadCancelled`. ``on_articles(batch)`` receives articles as they are
    read, so a UI can fill its list before the load ends; they are provisional (the final cleaning
    with cross-article evidence may refine some), the returned Corpus is authoritative.
    ``follow_links`` also reads symlinks that resolve outside ``root`` (skipped with a warning otherwise).
    ``light``: the articles hold no source text, removed blocks or offset map, packed or not: they are
    read back from the record cache when used (for a one-pass analysis of a big corpus; without a
    usable record cache the articles are kept packed, as cached articles are).
    Raises :class:`CorpusError` if ``root`` is not a folder.
    """
    root = Path(root)
    manifest, rules, warnings, found = corpus_preamble(root, follow_links=follow_links)
    files = [rel for rel, _ in found]

    cache = None
    if use_cache:
        cache = RecordCache.open(root, rules_digest=rules.digest, manifest_digest=manifest.digest)
        if cache.warning:
            warnings.append(LoadWarning(".briefreader", cache.warning))

    cached_files, pending = _split_cached(found, cache, cancelled, on_articles, light=light)
    done_before = len(cached_files)

    def file_done(done: int, result: FileResult) -> None:
        if progress is not None:
            progress(done_before + done, len(files))
        if on_articles is not None and result.articles:
            on_articles(result.articles)

    workers = _Workers()
    try:
        processed = _process_files(root, pending, manifest, rules, file_done, cancelled, workers)
        fresh_results = {r.path: r for r in processed}
        if progress is not None:
            progress(len(files), len(files))

        entries: list[Entry] = []
        fresh: list[FileResult] = []
        from_cache = 0
        for rel in files:
            if rel in cached_files:
                hit = cached_files[rel]
                from_cache += len(hit.entries)
                entries.extend(hit.entries)
                warnings.extend(hit.warnings)
            else:
                result = fresh_results[rel]
                fresh.append(result)
                warnings.extend(result.warnings)
                entries.extend((a, fp, "") for a, fp in zip(result.articles, result.fingerprints, strict=True))

        def reclean_many(items: list[tuple[Article, frozenset[str]]]) -> list[Article]:
            return _map_chunks(_reclean_chunk, items, (rules,), None, cancelled, workers)

        apply_name_metadata((entry[0] for entry in entries),
                            infer_name_metadata(files, getattr(manifest, "names", None)))
        # Repetition evidence can only change when some file was added, changed or removed.
        changed_paths: set[str] = set()
        summaries: dict[str, OutletEvidence] | None = None
        if cache is None or pending or not cache.has_exactly(files) or not cache.has_evidence():
            before = [id(a) for a, _, _ in entries]
            summaries = {}
            entries = _apply_repetition_evidence(entries, rules, manifest, reclean_many, summaries)
            changed_paths = {a.path for (a, _, _), old in zip(entries, before, strict=True) if id(a) != old}
    except BaseException:
        if cache is not None:
            cache.close()
        raise
    finally:
        workers.close()

    for order, (article, _, _) in enumerate(entries):
        article.order = order
    if cache is not None:
        _store_records(cache, root, entries, fresh, changed_paths, set(files), summaries)
    if light:  # those read or cleaned now: packed (the cached ones hold nothing to pack)
        entries = [(pack_article(article, extra), extra, digest) for article, extra, digest in entries]
    # rules disabled in this process (the phase with repetition evidence); workers report theirs per file
    warnings.extend(LoadWarning(MANIFEST_NAME, notice) for notice in rules.take_notices())
    sources = SourceState(_source_digest(manifest, rules.digest),
                          {rel: (st.st_size, st.st_mtime_ns) for rel, st in found})
    return Corpus(root=root, articles=[a for a, _, _ in entries], warnings=_unique(warnings),
                  files_seen=len(files), from_cache=from_cache, sources=sources)


# Cached articles reach ``on_articles`` in batches: the first of this many files (a list shows its
# first rows while the rest of a 50k-article cache is still being read), each next one twice as big
# (a list that does work per batch does it a few times, not once per 2000 files).
CACHED_BATCH_FILES = 2000


def _split_cached(found: list[tuple[str, os.stat_result]], cache: RecordCache | None,
                  cancelled: Callable[[], bool] | None,
                  on_articles: Callable[[list[Article]], None] | None = None, *, light: bool = False,
                  ) -> tuple[dict[str, CachedFile], list[str]]:
    """The cached records of unchanged files, and the files to read; cached articles are passed
    to ``on_articles`` as they are read, in growing batches (``light``: see :func:`load_corpus`)."""
    cached_files: dict[str, CachedFile] = {}
    pending: list[str] = []
    batch: list[Article] = []
    batch_files = 0
    batch_size = CACHED_BATCH_FILES
    looked_up = cache.lookup_many(found, light=light) if cache else ((rel, None) for rel, _ in found)
    for rel, cached in looked_up:
        if cancelled is not None and cancelled():
            raise LoadCancelled()
        if cached is not None:
            cached_files[rel] = cached
            if on_articles is not None:
                batch.extend(entry[0] for entry in cached.entries)
                batch_files += 1
                if batch_files >= batch_size:
                    on_articles(batch)
                    batch, batch_files, batch_size = [], 0, batch_size * 2
        else:
            pending.append(rel)
    if on_articles is not None and batch:
        on_articles(batch)
    return cached_files, pending


def _store_records(cache: RecordCache, root: Path, entries: list[Entry], fresh: list[FileResult],
                   changed_paths: set[str], files: set[str], summaries: dict[str, OutletEvidence] | None) -> None:
    """Save the records of the files read now and of those cleaned again, then close ``cache``."""
    fresh_paths = {r.path for r in fresh}
    by_path: dict[str, list[Entry]] = {}
    for entry in entries:
        by_path.setdefault(entry[0].path, []).append(entry)
    to_store: list[StoreItem] = []
    for result in fresh:
        to_store.append((result.path, result.size, result.mtime_ns, by_path.get(result.path, []), result.warnings))
    for path in changed_paths - fresh_paths:
        to_store.append((path, None, None, by_path.get(path, []), None))
    cache.store(root, to_store, keep=files, evidence=summaries)
    cache.close()


def _unique(warnings: list[LoadWarning]) -> list[LoadWarning]:
    """Warnings in order, each once (a corpus rule disabled in several worker processes is one
    problem)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for warning in warnings:
        key = (warning.path, warning.message)
        if key not in seen:
            seen.add(key)
            out.append(warning)
    return out


def load_paths(paths: Iterable[Path | str], *, use_cache: bool = False, follow_links: bool = False) -> Corpus:
    """Load articles from a mix of files and folders (``briefreader clean PATH...``)."""
    articles: list[Article] = []
    warnings: list[LoadWarning] = []
    files_seen = 0
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            corpus = load_corpus(path, use_cache=use_cache, follow_links=follow_links)
            articles.extend(corpus.articles)
            warnings.extend(corpus.warnings)
            files_seen += corpus.files_seen
            continue
        if not path.exists():
            raise CorpusError(f"no such file or folder: {path}")
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            raise CorpusError(f"not an article file (expected {', '.join(sorted(ARTICLE_SUFFIXES))}): {path}")
        files_seen += 1
        result = process_file(path.parent, path.name, Manifest.empty(), cleaning.load_rules(None))
        warnings.extend(result.warnings)
        articles.extend(result.articles)
    apply_name_metadata(articles, infer_name_metadata([a.path for a in articles]))
    for order, article in enumerate(articles):
        article.order = order
    root = Path(".")
    return Corpus(root=root, articles=articles, warnings=warnings, files_seen=files_seen)
