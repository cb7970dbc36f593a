"""The articles of a corpus as a listing (id, outlet, date, title, words) without their text.

``briefreader list`` on an unchanged corpus needs neither the bodies nor the cleaning: the record
cache keeps, beside each file's records, a small listing row (:class:`briefreader.storage.records.ListedFile`).
:func:`listing_from_cache` reads those rows when the cache holds exactly the folder's files as
they are now, and the outlets' repetition evidence with them (the conditions under which
:func:`briefreader.storage.corpus.load_corpus` would clean nothing again); otherwise it answers None
and the caller loads the corpus. The name metadata is applied again as a load applies it, so the
rows are those of a load: same articles, same order, same fields, same warnings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from briefreader.storage.corpus import _unique, load_rules_for
from briefreader.storage.corpus_files import _discover_with_stats
from briefreader.storage.corpus_read import apply_name_metadata
from briefreader.core.filemeta import infer_name_metadata
from briefreader.core.manifest import load_manifest
from briefreader.core.model import ArticleSummary, LoadWarning
from briefreader.core.paths import MANIFEST_NAME, STATE_DIR_NAME, foreign_derived_notice
from briefreader.storage.records import ListedFile, RecordCache

log = logging.getLogger(__name__)


@dataclass
class Listing:
    """A corpus's article summaries in load order, and the warnings a load would give."""

    summaries: list[ArticleSummary]
    warnings: list[LoadWarning] = field(default_factory=list)
    remade: int = 0  # files whose listing row was made from their records (a cache from before listing rows)


class CacheTrouble(Exception):
    """Opening the record cache found it damaged or unusable (and repaired what it could): the
    caller loads the corpus and shows ``warning``, which that load's own opening no longer sees."""

    def __init__(self, warning: LoadWarning) -> None:
        super().__init__(str(warning))
        self.warning = warning


def listing_from_cache(root: Path | str, *, follow_links: bool = False) -> Listing | None:
    """The listing of ``root`` from its record cache, or None when a load would read or clean
    something (a file new, changed or gone, no saved evidence, an unusable cache, no articles):
    the caller then loads the corpus. Files cached before listing rows were kept get theirs made
    from their records (word counts from the bodies) and saved for the next time. Raises
    :class:`CacheTrouble` when the cache had to be rebuilt or cannot be used."""
    root = Path(root)
    if not root.is_dir():
        return None
    manifest, warnings = load_manifest(root)
    rules, rule_warnings = load_rules_for(manifest)
    warnings.extend(rule_warnings)
    notice = foreign_derived_notice(root)
    if notice:
        warnings.append(LoadWarning(STATE_DIR_NAME, notice))
    found, discover_warnings = _discover_with_stats(root, follow_links=follow_links)
    warnings.extend(discover_warnings)
    files = [rel for rel, _ in found]
    cache = RecordCache.open(root, rules_digest=rules.digest, manifest_digest=manifest.digest)
    try:
        if cache.warning is not None:
            raise CacheTrouble(LoadWarning(STATE_DIR_NAME, cache.warning))
        if not files or not cache.has_exactly(files) or not cache.has_evidence():
            return None
        if any(cache.stat_of(rel) != (st.st_size, st.st_mtime_ns) for rel, st in found):
            return None
        listed: dict[str, ListedFile] = {}
        missing: list[str] = []
        for rel, item in cache.listing_many(files):
            if item is None:
                missing.append(rel)
            else:
                listed[rel] = item
        remade: list[tuple[str, ListedFile]] = []
        if missing:
            stats = dict(found)
            for rel, cached in cache.lookup_many([(rel, stats[rel]) for rel in missing]):
                if cached is None:  # damaged: a load reads the file again
                    return None
                listed[rel] = ListedFile.of(cached)
                remade.append((rel, listed[rel]))
            cache.store_listing(remade)
        summaries: list[ArticleSummary] = []
        for rel in files:
            item = listed[rel]
            summaries.extend(item.summaries)
            warnings.extend(item.warnings)
        if not summaries:
            return None
        apply_name_metadata(summaries, infer_name_metadata(files, getattr(manifest, "names", None)))
        warnings.extend(LoadWarning(MANIFEST_NAME, notice) for notice in rules.take_notices())
        return Listing(summaries, _unique(warnings), remade=len(remade))
    finally:
        cache.close()
