"""A corpus update that reads only what changed: the records of a few changed files, exactly as a full load.

A full :func:`briefreader.storage.corpus.load_corpus` of 50,000 articles unpacks every cached record
(seconds, about a gigabyte) even when ten files changed. :func:`load_delta` instead compares the
folder now (a walk and a stat per file) with the record cache and with what the index last saw,
reads and cleans only the changed files, and returns their final articles, with the same result a
full load would give for them.

The one cross-article step of cleaning is repeated-line evidence per outlet (page furniture seen in
many of an outlet's articles). Each outlet's evidence is saved with the record cache
(:class:`briefreader.storage.corpus.OutletEvidence`): how many families of near-identical articles
it has and how many families hold each fingerprint near the threshold. An article added or removed
moves each of those counts by at most one, so after ``d`` such changes a fingerprint whose saved
count is more than ``d`` away from every threshold the family count allows cannot have crossed it:
the evidence is proven unchanged without reading the outlet. When the proof fails (a small outlet,
many changes, a fingerprint near its threshold) the outlet's files are read from the cache and its
evidence computed exactly, re-cleaning its articles whose evidence moved. When exactness cannot be
shown cheaply (changed rules, a record cache without saved evidence, file-name metadata of unchanged
files changed by new neighbours, too many changes) :func:`load_delta` returns None and the caller
loads the corpus in full.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefreader.core import clean as cleaning
from briefreader.storage.corpus import (
    LoadCancelled,
    _map_chunks,
    _process_files,
    _reclean_chunk,
    _unique,
    _Workers,
)
from briefreader.storage.corpus_evidence import OutletEvidence, _apply_repetition_evidence, evidence_need
from briefreader.storage.corpus_files import SourceState, _source_digest
from briefreader.storage.corpus_read import FileResult, apply_name_metadata
from briefreader.core.filemeta import NameMetadata, NameRules, infer_name_metadata
from briefreader.core.manifest import load_manifest
from briefreader.core.model import Article, LoadWarning
from briefreader.core.paths import MANIFEST_NAME, STATE_DIR_NAME, foreign_derived_notice
from briefreader.storage.records import CachedFile, Entry, RecordCache, StoreItem

log = logging.getLogger(__name__)

# Past this share of the corpus's files changed (plus a few), a full load costs no more.
MAX_CHANGED_SHARE = 0.1
MAX_CHANGED_EXTRA = 50
_RECORD_SUFFIX = re.compile(r"#\d+$")


@dataclass
class CorpusDelta:
    """What changed in a corpus folder since the index last saw it, as final articles.

    ``paths`` are the files whose articles the index must hold exactly as ``articles`` (changed,
    added, re-cleaned with new evidence, or changed since the index's last look); ``removed`` the
    files gone. ``warnings`` are the whole folder's, as a full load would report them."""

    root: Path
    articles: list[Article]
    paths: set[str]
    removed: set[str]
    warnings: list[LoadWarning]
    sources: SourceState
    read_files: int = 0  # files read and cleaned (not from the cache)
    recleaned_files: int = 0  # unchanged files re-cleaned because their outlet's evidence moved
    exact_outlets: list[str] = field(default_factory=list)  # outlets whose evidence was computed again

    @property
    def changed(self) -> bool:
        return bool(self.paths or self.removed)


def owner_of(article_id: str) -> str:
    """The file an article id belongs to (``feed.json#3`` -> ``feed.json``)."""
    return _RECORD_SUFFIX.sub("", article_id)


def _folder(rel: str) -> str:
    """``str(PurePosixPath(rel).parent)`` of a relative POSIX path, without building a path object."""
    folder = rel.rpartition("/")[0]
    return folder or "."


def _names_unchanged(before: list[str], after: list[str], touched: set[str],
                     names_rules: NameRules | None) -> NameMetadata | None:
    """File-name metadata of the folders in ``touched`` now, or None if it changed for a file that
    did not (a new file can change the shape a folder's names are read with)."""
    folders = {_folder(rel) for rel in touched}
    old = infer_name_metadata([rel for rel in before if _folder(rel) in folders], names_rules)
    new = infer_name_metadata([rel for rel in after if _folder(rel) in folders], names_rules)
    for rel in after:
        if _folder(rel) in folders and rel not in touched and old.for_path(rel) != new.for_path(rel):
            return None
    return new


def _proven_unchanged(summary: OutletEvidence, drift: int) -> bool:
    """Whether ``drift`` article additions/removals cannot have changed the outlet's repeated lines."""
    families = summary.families
    if families - drift < 3:
        return False
    low, high = evidence_need(families - drift), evidence_need(families + drift)
    watch = evidence_need(families) // 2
    if watch - 1 + drift >= low:  # an unwatched fingerprint could reach the threshold
        return False
    return all(count - drift >= high or count + drift < low for count in summary.counts.values())


def load_delta(
    root: Path,
    indexed: SourceState,
    indexed_racy_after_ns: int,
    indexed_warnings: list[LoadWarning],
    now: SourceState,
    now_warnings: list[LoadWarning],
    *,
    cancelled: Callable[[], bool] | None = None,
) -> CorpusDelta | None:
    """The articles that changed between ``indexed`` (what the index last saw; files modified after
    ``indexed_racy_after_ns`` may have changed unseen) and ``now`` (:func:`briefreader.storage.corpus.source_state`
    with its warnings ``now_warnings``), or None when only a full load can tell exactly.

    The record cache is brought up to date as a full load would leave it (rows and evidence)."""
    from briefreader.storage.corpus import load_rules_for

    root = Path(root)
    if indexed.digest != now.digest:
        return None
    manifest, _ = load_manifest(root)
    rules, rule_warnings = load_rules_for(manifest)
    notice = foreign_derived_notice(root)
    if notice:
        rule_warnings.append(LoadWarning(STATE_DIR_NAME, notice))
    if _source_digest(manifest, rules.digest) != now.digest:
        return None
    index_touched = {rel for rel, stat in now.files.items()
                     if indexed.files.get(rel) != stat or stat[1] >= indexed_racy_after_ns}
    index_removed = set(indexed.files) - set(now.files)
    if len(index_touched) + len(index_removed) > MAX_CHANGED_SHARE * len(now.files) + MAX_CHANGED_EXTRA:
        return None
    cache = RecordCache.open(root, rules_digest=rules.digest, manifest_digest=manifest.digest)
    try:
        return _load_delta(root, cache, rules, manifest, index_touched, index_removed, indexed_warnings, now,
                           now_warnings + rule_warnings, cancelled)
    finally:
        cache.close()


def _load_delta(root: Path, cache: RecordCache, rules: cleaning.CleaningRules, manifest, index_touched: set[str],
                index_removed: set[str], indexed_warnings: list[LoadWarning], now: SourceState,
                now_warnings: list[LoadWarning], cancelled: Callable[[], bool] | None) -> CorpusDelta | None:
    if cache.warning:
        return None
    summaries = cache.load_evidence()
    if summaries is None:
        return None
    cached_paths = cache.paths()
    cache_changed = {rel for rel, (size, mtime) in now.files.items() if cache.stat_of(rel) != (size, mtime)}
    cache_removed = cached_paths - set(now.files)
    if len(cache_changed) + len(cache_removed) > MAX_CHANGED_SHARE * len(now.files) + MAX_CHANGED_EXTRA:
        return None
    names = _names_unchanged(sorted(cached_paths), sorted(now.files), cache_changed | cache_removed,
                             getattr(manifest, "names", None))
    if names is None:
        return None

    # what the changed files held before (their outlets leave), then what they hold now
    drift = _outlets_held(cache, sorted((cache_changed | cache_removed) & cached_paths))
    if drift is None:
        return None
    workers = _Workers()
    try:
        fresh: list[FileResult] = _process_files(root, sorted(cache_changed), manifest, rules,
                                                 lambda done, result: None, cancelled, workers)
        files: dict[str, list[Entry]] = {}
        file_warnings: dict[str, list[LoadWarning]] = {}
        for result in fresh:
            files[result.path] = [(a, fp, "") for a, fp in zip(result.articles, result.fingerprints, strict=True)]
            file_warnings[result.path] = list(result.warnings)
        new_articles = [entry[0] for entries in files.values() for entry in entries]
        apply_name_metadata(new_articles, names)
        for key in _outlet_keys(new_articles):
            drift[key] = drift.get(key, 0) + 1

        # each outlet that moved: evidence proven unchanged, or computed again over all its files
        exact = [outlet for outlet, moved in drift.items() if outlet not in summaries
                 or not _proven_unchanged(summaries[outlet], summaries[outlet].drift + moved)]
        known = {outlet: summary.repeated for outlet, summary in summaries.items() if outlet not in exact}
        needed = set(index_touched) - cache_changed
        for outlet in exact:
            if outlet in summaries:
                needed.update(rel for rel in summaries[outlet].members if rel not in cache_changed | cache_removed)
        if not _read_cached(cache, now, sorted(needed), files, file_warnings, cancelled):
            return None
        if needed:  # cached articles get their names' metadata again, as in a full load (it is idempotent)
            folders = {_folder(rel) for rel in needed}
            apply_name_metadata((entry[0] for rel in needed for entry in files[rel]), infer_name_metadata(
                [rel for rel in sorted(now.files) if _folder(rel) in folders], getattr(manifest, "names", None)))
        outlets = set(_outlet_keys(entry[0] for entries in files.values() for entry in entries))
        if not outlets <= set(known) | set(exact):
            return None  # an outlet the saved evidence does not know: only a full load can tell

        entries = [entry for rel in sorted(files) for entry in files[rel]]
        before = [id(entry[0]) for entry in entries]
        fresh_summaries: dict[str, OutletEvidence] = {}

        def reclean_many(items: list[tuple[Article, frozenset[str]]]) -> list[Article]:
            return _map_chunks(_reclean_chunk, items, (rules,), None, cancelled, workers)

        entries = _apply_repetition_evidence(entries, rules, manifest, reclean_many, fresh_summaries, known)
    finally:
        workers.close()
    recleaned = {entry[0].path for entry, old_id in zip(entries, before, strict=True) if id(entry[0]) != old_id}
    by_path: dict[str, list[Entry]] = {}
    for entry in entries:
        by_path.setdefault(entry[0].path, []).append(entry)

    _update_summaries(summaries, drift, exact, fresh_summaries, by_path, cache_changed, cache_removed)
    stored: list[StoreItem] = []
    for result in fresh:
        stored.append((result.path, result.size, result.mtime_ns, by_path.get(result.path, []), result.warnings))
    for rel in sorted(recleaned - cache_changed):
        stored.append((rel, None, None, by_path.get(rel, []), file_warnings.get(rel)))
    cache.store(root, stored, keep=set(now.files), evidence=summaries)

    paths = (index_touched | recleaned) & set(now.files)
    articles = [entry[0] for rel in sorted(paths) for entry in by_path.get(rel, [])]
    return CorpusDelta(root, articles, paths, index_removed | (cache_removed - set(now.files)),
                       _warnings(now, now_warnings, indexed_warnings, file_warnings, rules),
                       now, read_files=len(fresh), recleaned_files=len(recleaned - cache_changed), exact_outlets=exact)


def _outlet_keys(articles: Iterable[Article]) -> list[str]:
    """The evidence group of each article that has an outlet (as :func:`_apply_repetition_evidence` groups)."""
    return [article.outlet.casefold() for article in articles if article.outlet]


def _outlets_held(cache: RecordCache, rels: list[str]) -> dict[str, int] | None:
    """How many cached articles of ``rels`` each outlet has, or None if a row cannot be read."""
    held: dict[str, int] = {}
    for rel in rels:
        old = cache.lookup_stat(rel, None, None)
        if old is None:
            return None  # an unreadable row: what it held is unknown
        for key in _outlet_keys(entry[0] for entry in old.entries):
            held[key] = held.get(key, 0) + 1
    return held


def _read_cached(cache: RecordCache, now: SourceState, rels: list[str], files: dict[str, list[Entry]],
                 file_warnings: dict[str, list[LoadWarning]], cancelled: Callable[[], bool] | None) -> bool:
    """Add the cached records of the unchanged files ``rels`` to ``files``; False if one is missing."""
    for rel in rels:
        if cancelled is not None and cancelled():
            raise LoadCancelled()
        size, mtime = now.files[rel]
        hit: CachedFile | None = cache.lookup_stat(rel, size, mtime)
        if hit is None:
            return False
        files[rel] = list(hit.entries)
        file_warnings[rel] = list(hit.warnings)
    return True


def _update_summaries(summaries: dict[str, OutletEvidence], drift: dict[str, int], exact: list[str],
                      fresh_summaries: dict[str, OutletEvidence], by_path: dict[str, list[Entry]],
                      cache_changed: set[str], cache_removed: set[str]) -> None:
    """Bring the saved evidence to what a full computation would save: outlets computed again are
    replaced, the others keep their counts with the drift added, and every outlet's files follow."""
    gone = cache_changed | cache_removed
    for summary in summaries.values():
        summary.members = [rel for rel in summary.members if rel not in gone]
    for outlet, moved in drift.items():
        if outlet in summaries and outlet not in exact:
            summaries[outlet].drift += moved
    for outlet in exact:
        summaries.pop(outlet, None)
        if outlet in fresh_summaries:
            summaries[outlet] = fresh_summaries[outlet]
    for rel in sorted(cache_changed):
        for key in _outlet_keys(entry[0] for entry in by_path.get(rel, [])):
            if key not in exact and rel not in summaries[key].members:
                summaries[key].members.append(rel)
    for summary in summaries.values():
        summary.members.sort()


def _warnings(now: SourceState, now_warnings: list[LoadWarning], indexed_warnings: list[LoadWarning],
              file_warnings: dict[str, list[LoadWarning]], rules: cleaning.CleaningRules) -> list[LoadWarning]:
    """The folder's warnings in a full load's order: finding the files, then each file's (read now or
    as the last load reported them), then rules disabled while cleaning."""
    earlier: dict[str, list[LoadWarning]] = {}
    for warning in indexed_warnings:
        earlier.setdefault(owner_of(warning.path), []).append(warning)
    out = list(now_warnings)
    for rel in sorted(now.files):
        out.extend(file_warnings[rel] if rel in file_warnings else earlier.get(rel, []))
    out.extend(LoadWarning(MANIFEST_NAME, notice) for notice in rules.take_notices())
    return _unique(out)
