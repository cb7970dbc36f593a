"""Bringing a corpus's index up to date with its folder, reading no more of the folder than changed.

Three ways, cheapest first:

- the folder is as the index last saw it (:meth:`CorpusIndex.sources_unchanged`): nothing is read;
- a few files changed (:func:`briefreader.storage.corpus_delta.load_delta`): only those are read, and
  only their articles are re-indexed;
- otherwise the whole corpus is loaded (the record cache makes that a reopen) and compared; or, for
  a command that needs no corpus afterwards, streamed: the record cache brought up to date and the
  articles compared and indexed a batch at a time (:mod:`briefreader.storage.corpus_stream`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Callable

if TYPE_CHECKING:
    from briefreader.storage.corpus import Corpus, SourceState
    from briefreader.storage.index import CorpusIndex, UpdateReport
    from briefreader.core.model import LoadWarning

log = logging.getLogger(__name__)


@dataclass
class SyncResult:
    """What :func:`sync_index` did: ``how`` is "unchanged", "delta" or "full"; ``report`` is None
    when nothing was written; ``corpus`` is set when the whole corpus was loaded."""

    how: str
    warnings: list[LoadWarning]
    report: UpdateReport | None = None
    corpus: Corpus | None = None


def sync_index(
    index: CorpusIndex,
    root: Path | str,
    load_full: Callable[[], Corpus],
    *,
    update: bool = True,
    follow_links: bool = False,
    procs: Callable[[], int] = lambda: 1,
    progress: Callable[[int, int], None] | None = None,
    state: tuple[SourceState, list[LoadWarning]] | None = None,
    stream: bool = False,
    load_progress: Callable[[int, int], None] | None = None,
) -> SyncResult:
    """Make ``index`` hold the articles of folder ``root`` (with ``update=False``: only find out
    whether it does, loading the corpus when it may not). ``load_full()`` loads the whole corpus when
    that is needed; ``procs()`` says how many processes a full build may use; ``state`` is
    :func:`~briefreader.storage.corpus.source_state` of ``root`` if the caller has it. With ``stream``
    (a command that needs no corpus afterwards) an update that must read every article fills the
    record cache and indexes a batch of articles at a time instead of loading the corpus
    (``load_progress(done, total)`` counts the files read; ``SyncResult.corpus`` stays None),
    unless the record cache is unusable or the folder has no articles. Errors of writing
    (:class:`~briefreader.storage.index.IndexBusyError`, OSError) are the caller's to report."""
    from briefreader.storage.corpus_files import source_state  # not corpus: a search needs no cleaning code
    from briefreader.storage.index import SOURCES_RACY_NS, IndexDamagedError

    now, state_warnings = state if state is not None else source_state(root, follow_links=follow_links)
    if now.files:
        warnings = index.sources_unchanged(now)
        if warnings is not None:
            return SyncResult("unchanged", warnings)
        saved = index.saved_sources() if update and index.doc_count() else None
        if saved is not None:
            from briefreader.storage.corpus_delta import load_delta  # loads the cleaning code: only here

            indexed, written, indexed_warnings = saved
            delta = load_delta(Path(root), indexed, written - SOURCES_RACY_NS, indexed_warnings, now, state_warnings)
            if delta is not None:
                try:
                    delta_report = index.apply_delta(delta, progress=progress)
                except IndexDamagedError as exc:  # the full update below starts the index over
                    log.warning("index update failed (%s): rebuilding", exc)
                else:
                    index.record_state(delta.sources, delta.warnings)
                    return SyncResult("delta", delta.warnings, delta_report)
    if update and stream:
        from briefreader.storage.corpus_stream import refresh_records

        records = refresh_records(root, follow_links=follow_links, progress=load_progress)
        if records is not None and records.articles:
            streamed = index.update_stream(records, progress=progress, procs=procs())
            index.record_state(records.sources, records.warnings)
            return SyncResult("full", records.warnings, streamed, None)
    corpus = load_full()
    if not update:
        return SyncResult("full", corpus.warnings, None, corpus)
    report: UpdateReport | None = None
    if index.needs_update(corpus):
        report = index.update(corpus, progress=progress, procs=procs())
    index.record_sources(corpus)
    return SyncResult("full", corpus.warnings, report, corpus)
