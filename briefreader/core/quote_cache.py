"""The quote analysis cache (part of :mod:`briefreader.core.quote_clusters`): per-article extraction
rows keyed by body hash, and the last whole analysis keyed by a digest of the corpus; a corrupt
or foreign file is ignored with a warning, never executed (JSON only).
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefreader.core.model import Article
from briefreader.core.quote_alteration import _make_variant
from briefreader.core.quote_records import QuoteAnalysis, QuoteCluster
from briefreader.core.quotes import Quote

EXTRACTOR_VERSION = "quotes-9"
CACHE_FILE = "quotes-cache.json"


# ---------------------------------------------------------------------------------------------
# Cache


def body_hash(body: str) -> str:
    """Cache key of an article's extraction: sha1 of the cleaned body (changes when cleaning does)."""
    return hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()


def _load_json(path: Path, warnings: list[str]) -> dict[str, Any] | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        warnings.append(f"quote cache unreadable, rebuilt: {exc}")
        return None
    from briefreader.core.safe_json import loads_bounded

    try:
        if not raw.startswith(b"{"):
            # bounded: a planted cache must not inflate to gigabytes (JSON compresses ~10x)
            inflater = zlib.decompressobj()
            limit = max(64 * 2**20, 50 * len(raw))
            raw = inflater.decompress(raw, limit)
            if inflater.unconsumed_tail:
                raise ValueError("inflates past its size limit")
        data = loads_bounded(raw)  # a nesting limit instead of RecursionError
        if not isinstance(data, dict) or data.get("version") != EXTRACTOR_VERSION:
            return None
        return data
    except (ValueError, zlib.error):
        warnings.append(f"quote cache {path.name} is corrupt; rebuilding it")
        return None


def _save_json(path: Path, data: dict[str, Any], warnings: list[str]) -> None:
    from briefreader.core.paths import atomic_write_bytes

    try:
        atomic_write_bytes(path, zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), 3))
    except OSError as exc:
        warnings.append(f"quote cache not saved: {exc}")


_QUOTE_FIELDS = [f for f in Quote.__dataclass_fields__ if f not in ("article_id", "text")]


def _quotes_to_rows(quotes: list[Quote]) -> list[list[Any]]:
    """Cache rows: every field but the article id and the text (both rebuilt on load), and the
    utterance id without its article prefix, so identical bodies under two names share rows."""
    rows = []
    for q in quotes:
        row = [getattr(q, f) for f in _QUOTE_FIELDS]
        row[_QUOTE_FIELDS.index("utterance_id")] = q.utterance_id.rpartition("#")[2]
        rows.append(row)
    return rows


def _rows_to_quotes(article_id: str, body: str, rows: list[list[Any]]) -> list[Quote]:
    out = []
    for row in rows:
        d = dict(zip(_QUOTE_FIELDS, row, strict=True))
        d["utterance_id"] = f"{article_id}#{d['utterance_id']}"
        out.append(Quote(article_id=article_id, text=body[d["start"] : d["end"]], **d))
    return out


def _analysis_digest(articles: Sequence[Article], hashes: list[str]) -> str:
    h = hashlib.sha1(EXTRACTOR_VERSION.encode())
    for a, bh in zip(articles, hashes, strict=True):
        h.update(f"{a.id}\0{bh}\0{a.outlet}\0{a.date}\0{a.order}\n".encode())
    return h.hexdigest()


def analysis_digest(articles: Sequence[Article]) -> str:
    """What an analysis of ``articles`` depends on (ids, bodies, outlets, dates, order), as a digest:
    two equal digests mean the same analysis, e.g. one made by another process."""
    return _analysis_digest(articles, [body_hash(a.body) for a in articles])


# ---------------------------------------------------------------------------------------------
# Public entry point


def quotes_cache_dir(root: Path) -> Path | None:
    """Where the quote analysis of the corpus at ``root`` is cached: ``quotes/`` in its per-user cache
    folder, never in the corpus folder (None when no folder is writable)."""
    from briefreader.core.paths import derived_dir, make_private_dir

    try:
        folder = derived_dir(root)
        return make_private_dir(folder / "quotes", base=folder)
    except OSError as exc:
        logging.getLogger(__name__).warning("no folder for the quote cache of %s: %s", root, exc)
        return None


def _cache_dict(analysis: QuoteAnalysis, articles: Sequence[Article], rows_by_hash: dict[str, Any],
                digest: str) -> dict[str, Any]:
    """One cache file: extraction rows per body hash, plus the clusters as compact references."""
    pos_of = {a.id: i for i, a in enumerate(articles)}
    clusters = []
    for c in analysis.clusters:
        refs = [[pos_of[v.article], v.piece_indices, v.similarity, int(v.partial), *v.canonical_span,
                 v.alteration] for v in c.variants]
        clusters.append([c.id, c.speaker, c.canonical, refs, c.speaker_confidence])
    return {"version": EXTRACTOR_VERSION, "digest": digest, "stats": analysis.stats,
            "articles": rows_by_hash, "clusters": clusters}


def _analysis_from_cache(data: dict[str, Any], articles: Sequence[Article], hashes: list[str],
                         warnings: list[str]) -> QuoteAnalysis:
    rows = data["articles"]
    quotes_by_article = {a.id: _rows_to_quotes(a.id, a.body, rows[h]) for a, h in zip(articles, hashes, strict=True)}
    clusters = []
    for cid, speaker, canonical, refs, confidence in data["clusters"]:
        variants = []
        for pos, indices, sim, partial, c0, c1, alteration in refs:
            art = articles[pos]
            pieces = [quotes_by_article[art.id][qi] for qi in indices]
            variants.append(_make_variant(art, pieces, sim, bool(partial), (c0, c1), alteration))
        clusters.append(QuoteCluster(id=cid, speaker=speaker, canonical=canonical, variants=variants,
                                     speaker_confidence=confidence))
    scare = [q for qs in quotes_by_article.values() for q in qs if q.scare]
    stats = dict(data.get("stats", {}))
    stats["from_cache"] = True
    return QuoteAnalysis(quotes_total=sum(len(qs) for qs in quotes_by_article.values()), clusters=clusters,
                         scare_quotes=scare, quotes_by_article=quotes_by_article, warnings=warnings, stats=stats)
