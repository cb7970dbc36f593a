"""The copy analysis's cache: one compressed JSON file per corpus in its per-user cache folder.

What is cached is plain data (no pickle): groups, partial reuse, stories and figures, keyed by the
digest of what the analysis depends on (:func:`briefreader.core.copies.copies_digest`). A damaged or
stale file is ignored (and rebuilt), never trusted.
"""

from __future__ import annotations

import json
import logging
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from briefreader.core.copies import CACHE_VERSION, analyse_copies, copies_digest
from briefreader.core.copies_model import (
    Copy,
    CopyAnalysis,
    CopyGroup,
    Progress,
    Reuse,
    Story,
    StoryLink,
    WordChange,
)
from briefreader.core.model import Article

log = logging.getLogger(__name__)

CACHE_FILE = "copies.json.z"


def copies_cache_dir(root: Path) -> Path | None:
    """Where the copy analysis of the corpus at ``root`` is cached (None when no folder is writable)."""
    from briefreader.core.paths import state_dir

    try:
        folder, _ = state_dir(root, kind="cache")
    except OSError as exc:
        log.warning("no folder for the copies cache: %s", exc)
        return None
    return folder


def analyse_copies_cached(
    articles: Sequence[Article],
    *,
    cache_dir: Path | None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    digest: str | None = None,
    on_compute: Callable[[], None] | None = None,
) -> CopyAnalysis:
    """:func:`~briefreader.core.copies.analyse_copies`, read from ``cache_dir`` when nothing changed
    and saved there otherwise (no cache with ``cache_dir=None``). ``digest``: the articles'
    :func:`copies_digest` when the caller has it already. ``on_compute()`` is called when the
    analysis is made, not read (e.g. to start other work on a second core meanwhile). Raises
    CopiesCancelled."""
    started = time.perf_counter()
    warnings: list[str] = []
    if digest is None:
        digest = copies_digest(articles) if cache_dir is not None else ""
    if cache_dir is not None:
        cached = load_copies(cache_dir, digest, warnings)
        if cached is not None:
            cached.stats["cached"] = True
            cached.stats["total_s"] = round(time.perf_counter() - started, 3)
            return cached
    if on_compute is not None:
        on_compute()
    analysis = analyse_copies(articles, progress=progress, cancelled=cancelled)
    analysis.warnings[:0] = warnings
    if cache_dir is not None:
        save_copies(cache_dir, digest, analysis, analysis.warnings)
    return analysis


def save_copies(cache_dir: Path, digest: str, analysis: CopyAnalysis, warnings: list[str]) -> None:
    """Write ``analysis`` (of the articles with ``digest``) atomically; a failure is a warning."""
    from briefreader.core.paths import atomic_write_bytes

    data = {"version": CACHE_VERSION, "digest": digest, "copies": analysis.to_json(),
            "stories": analysis.stories_json()["stories"], "stats": analysis.stats}
    try:
        atomic_write_bytes(Path(cache_dir) / CACHE_FILE,
                           zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 3))
    except OSError as exc:
        log.warning("copies cache not saved: %s", exc)
        warnings.append(f"copies cache not saved: {exc}")


def load_copies(cache_dir: Path, digest: str, warnings: list[str]) -> CopyAnalysis | None:
    """The cached analysis of the articles with ``digest``; None when there is none, it is stale or
    it is damaged (then a warning says it is rebuilt)."""
    path = Path(cache_dir) / CACHE_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("copies cache unreadable: %s", exc)
        return None
    try:
        data = json.loads(zlib.decompress(raw))
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or data.get("digest") != digest:
            return None
        return _analysis_from(data, warnings)
    except (ValueError, KeyError, TypeError, zlib.error) as exc:
        log.warning("copies cache %s is corrupt (%s); rebuilt", path, exc)
        warnings.append("copies cache was corrupt; rebuilt")
        return None


def _analysis_from(data: dict[str, Any], warnings: list[str]) -> CopyAnalysis:
    """The analysis from the cache's JSON (KeyError/TypeError/ValueError when it is malformed)."""
    groups = [
        CopyGroup(g["id"], g["original"], g["why_original"],
                  [Copy(c["article"], c["shared"], c["kept"], c["added"], c["added_at"], c["cut"],
                        [WordChange(**w) for w in c["changed"]], c["retitled"]) for c in g["copies"]])
        for g in data["copies"]["groups"]
    ]
    reuses = [Reuse(**r) for r in data["copies"]["reuses"]]
    stories = [
        Story(s["id"], s["articles"], s["groups"],
              [StoryLink(link["a"], link["b"], link["quotations"], link["names"]) for link in s["links"]],
              s["first"], s["label"])
        for s in data["stories"]
    ]
    return CopyAnalysis(groups, reuses, stories, dict(data.get("stats") or {}), warnings)
