"""Quote comparison in the brief: each rendering of a chosen quotation compared word by word with
the first, as marked runs for Markdown, templates and JSON."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from briefreader.core.markdown_escape import escape_inline
from briefreader.core.triage_model import (
    ChosenCluster,
)


@dataclass(slots=True)
class ComparedRendering:
    variant: dict[str, Any]
    partial: bool
    same: bool
    runs: list[tuple[str, str]]  # (kind, text): kind is equal | added | removed


def unique_variants(variants: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The renderings of a quote, each once: one article's passage (same span, or same words) is
    listed a single time however often the clustering recorded it, and a piece of a passage the
    same article also gives whole (its span inside the other's) is left out."""
    variants = list(variants)

    def span(v: Mapping[str, Any]) -> tuple[int, int] | None:
        try:
            return (int(v["start"]), int(v["end"])) if v.get("start") is not None and v.get("end") is not None else None
        except (TypeError, ValueError):
            return None

    def inside(v: Mapping[str, Any], w: Mapping[str, Any]) -> bool:
        a, b = span(v), span(w)
        if v.get("article") != w.get("article") or a is None or b is None or a == b:
            return False
        return b[0] <= a[0] and a[1] <= b[1]

    seen: set[tuple[Any, ...]] = set()
    out: list[dict[str, Any]] = []
    for v in variants:
        if any(inside(v, w) for w in variants):
            continue
        article = str(v.get("article") or "")
        keys: set[tuple[Any, ...]] = {(article, "words", " ".join(str(v.get("text") or "").split()).casefold())}
        if v.get("start") is not None and v.get("end") is not None:
            keys.add((article, "span", v.get("start"), v.get("end")))
        if keys & seen:
            continue
        seen |= keys
        out.append(v)
    return out


def compare_renderings(cluster: ChosenCluster, *, ignore_punct: bool = False) -> list[ComparedRendering]:
    """Each rendering of a chosen quote (each once, see :func:`unique_variants`) against the
    canonical one, as word runs (``equal``/``added``/``removed``), splitting at whitespace so every
    run is whole words. ``ignore_punct``: differences of punctuation alone are not changes.

    A rendering much shorter than the canonical one (a partial quote) is compared with the part of
    the canonical text it was taken from, so the untouched rest is not shown as removed.
    """
    from briefreader.core.diffing import align, diff_words

    rows: list[ComparedRendering] = []
    canonical = cluster.canonical
    for v in unique_variants(cluster.variants):
        text = str(v.get("text") or "")
        base = canonical
        partial = False
        span = v.get("canonical_span")
        if (v.get("partial") and isinstance(span, (list, tuple)) and len(span) == 2
                and 0 <= span[0] < span[1] <= len(canonical)):
            base = canonical[span[0] : span[1]]  # where the clustering placed this partial quote
            partial = True
        elif v.get("partial") is None and len(text.split()) < 0.7 * len(canonical.split()):
            al = align(text, canonical)
            if al.score > 0 and al.long_span[1] > al.long_span[0]:
                base = canonical[al.long_span[0] : al.long_span[1]]
                partial = True
        ops = diff_words(base, text, ignore_punct=ignore_punct)
        same = all(op.tag == "equal" for op in ops)
        rows.append(ComparedRendering(v, partial, same, _word_runs(text, ops)))
    return rows


def _word_runs(text: str, ops: list[Any]) -> list[tuple[str, str]]:
    """Mark whitespace-separated chunks of ``text`` changed if any character in them was inserted
    or replaced; put removed canonical words as their own chunk before the chunk where they were."""
    changed = [False] * len(text)
    removed_at: dict[int, list[str]] = {}
    for op in ops:
        if op.tag in ("insert", "replace"):
            for i in range(op.b_span[0], op.b_span[1]):
                changed[i] = True
        if op.tag in ("delete", "replace") and op.a_text.strip():
            removed_at.setdefault(op.b_span[0], []).append(op.a_text)
    chunks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    runs: list[tuple[str, str]] = []

    def emit(kind: str, piece: str) -> None:
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + " " + piece)
        else:
            runs.append((kind, piece))

    pending = sorted(removed_at.items())
    for s, e in chunks:
        while pending and pending[0][0] <= s:  # removed before this chunk
            for piece in pending.pop(0)[1]:
                emit("removed", " ".join(piece.split()))
        emit("added" if any(changed[s:e]) else "equal", text[s:e])
        while pending and pending[0][0] < e:  # removed inside it (punctuation): shown after it
            for piece in pending.pop(0)[1]:
                emit("removed", " ".join(piece.split()))
    for _, pieces in pending:
        for piece in pieces:
            emit("removed", " ".join(piece.split()))
    return runs


DIFF_LEGEND = ("Each rendering is compared with the quotation as first given above: changed words are "
               "followed by the words they replace, [was: “…”]; words left out show as [omits: “…”], "
               "words added as [adds: “…”].")


def _diff_parts(runs: list[tuple[str, str]]) -> list[tuple[bool, str]]:
    """The pieces of :func:`diff_text`: (True, notation we wrote) or (False, corpus words)."""
    parts: list[tuple[bool, str]] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if added and removed:
            parts.extend([(False, " ".join(added)), (True, " [was: “"), (False, " ".join(removed)), (True, "”]")])
        elif removed:
            parts.extend([(True, "[omits: “"), (False, " ".join(removed)), (True, "”]")])
        elif added:
            parts.extend([(True, "[adds: “"), (False, " ".join(added)), (True, "”]")])
        removed.clear()
        added.clear()

    for kind, piece in runs:
        if kind == "equal":
            flush()
            parts.append((False, piece))
        else:
            (added if kind == "added" else removed).append(piece)
    flush()
    # a space between neighbouring pieces, except inside the brackets and quotation marks
    spaced: list[tuple[bool, str]] = []
    for i, (notation, text) in enumerate(parts):
        if (i and not (notation and text.startswith((" [", "”")))
                and not (parts[i - 1][0] and parts[i - 1][1].endswith("“"))):
            spaced.append((True, " "))
        spaced.append((notation, text))
    return spaced


def diff_text(runs: list[tuple[str, str]]) -> str:
    """A rendering with its changes spelled out in words, so it reads without bold or
    strike-through: ``The [was: “But the”] harsh reality``, ``[omits: “the”]``, ``[adds: “now”]``
    (plain text, not escaped)."""
    return "".join(text for _, text in _diff_parts(runs))


def _render_runs(runs: list[tuple[str, str]]) -> str:
    """:func:`diff_text` for Markdown: corpus words escaped, the notation literal. Its brackets
    cannot form a link: every ``[`` and ``]`` of corpus text is escaped, a closing ``”]`` is
    followed by a space or the end, and the brief defines no link references."""
    return "".join(text if notation else escape_inline(text) for notation, text in _diff_parts(runs))
