"""Snapshots of quote clusters: the frozen, JSON-ready copy of a cluster the analyst chose for the
brief (kept in the triage state so the brief does not change when the analysis is re-run). Pure."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from briefreader.core.triage_model import TriageError


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` for a mapping, else ``obj.name`` (``default`` when absent)."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


_VARIANT_FIELDS = ("article", "outlet", "date", "title", "text", "start", "end", "speaker")
_VARIANT_EXTRAS = (
    "source_start", "source_end", "partial", "canonical_span", "similarity", "speaker_confidence", "alteration",
)


def cluster_snapshot(
    cluster: Mapping[str, Any] | Any, *, titles: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A JSON-ready frozen copy of a quote cluster: ``{id, speaker, canonical, variants: [{article,
    outlet, date, title, text, start, end, speaker}]}`` (plus ``source_start``, ``source_end``,
    ``partial``, ``canonical_span``, ``similarity`` for each variant when the cluster has them).

    Accepts the one cluster model: a core ``QuoteCluster`` (which the reader shows too) or its
    `quotes --json` form (a dict with the same names); ``titles`` (article id -> title) fills titles
    the cluster does not carry. Variants are kept in the cluster's order (by date, earliest first).
    """
    variants = []
    for v in _get(cluster, "variants", None) or []:
        d = {f: _get(v, f) for f in _VARIANT_FIELDS}
        for f in _VARIANT_EXTRAS:  # kept when the clustering gives them
            value = _get(v, f)
            if value is not None:
                d[f] = list(value) if isinstance(value, tuple) else value
        if not d["title"] and titles and d["article"] in titles:
            d["title"] = titles[d["article"]]
        if d["text"] is None:
            raise TriageError("a quote variant has no text")
        variants.append(d)
    if not variants:
        raise TriageError("a quote cluster without variants cannot be chosen")
    canonical = _get(cluster, "canonical")
    if not isinstance(canonical, str):
        canonical = _get(canonical, "text") if canonical is not None else None
    canonical = canonical or variants[0]["text"]
    cid = _get(cluster, "id")
    if cid is None or cid == "":
        cid = "q-" + hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:10]
    return {"id": str(cid), "speaker": _get(cluster, "speaker"), "canonical": canonical, "variants": variants}



__all__ = ["cluster_snapshot"]
