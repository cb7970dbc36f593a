"""Anchoring highlights to text the way the W3C Web Annotation model does, and re-attaching them.

An :class:`Anchor` combines a *TextQuoteSelector* (the exact text with up to ``CONTEXT`` characters
before and after) and a *TextPositionSelector* (start/end character offsets, end exclusive, counted
in Unicode code points as Python strings are). When the text changes, :func:`resolve` finds the
passage again:

1. ``exact``   the offsets still hold the same text;
2. ``moved``   the exact text is elsewhere (several occurrences: the best context wins, then the
               nearest to the old position);
   (``fuzzy`` with a high score: the same text but for whitespace, quote or dash style;)
3. ``fuzzy``   the text was edited: located between its unchanged prefix and suffix, or by
               approximate matching (rapidfuzz), with a similarity score;
4. ``orphan``  nothing close enough: the caller keeps the highlight and lists it, never drops it.

No I/O and no UI here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

CONTEXT = 32  # characters of prefix/suffix kept around the exact text
FUZZY_MIN_SCORE = 75.0  # minimum similarity (0-100) for a fuzzy re-attachment
CONTEXT_MIN_SCORE = 60.0  # minimum similarity when the unchanged prefix and suffix bracket the passage
FUZZY_MIN_LENGTH = 8  # shorter passages are never matched approximately (too many false hits)
SHORT_PASSAGE = 30  # a passage at least this long and SELF_EVIDENT_SCORE similar needs no context
SELF_EVIDENT_SCORE = 90.0
SIMILAR_CONTEXT_MIN_SCORE = 60.0  # otherwise an approximate match needs surroundings this similar

AnchorState = Literal["exact", "moved", "fuzzy", "orphan"]


@dataclass(frozen=True, slots=True)
class Anchor:
    """A passage of a text: its exact words, some context, and its offsets."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    def to_w3c(self) -> list[dict[str, Any]]:
        """The two W3C Web Annotation selectors describing this anchor."""
        return [
            {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix},
            {"type": "TextPositionSelector", "start": self.start, "end": self.end},
        ]


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where an anchor lies in a (possibly changed) text."""

    state: AnchorState
    start: int
    end: int
    score: float  # 100 for exact/moved, the similarity for fuzzy, 0 for orphan

    @property
    def attached(self) -> bool:
        return self.state != "orphan"


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT) -> Anchor:
    """Anchor ``text[start:end]``; raises ValueError for an empty or out-of-range span."""
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"span {start}-{end} is empty or outside the text (length {len(text)})")
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def find_all(text: str, needle: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``needle`` in ``text``."""
    hits: list[int] = []
    if not needle:
        return hits
    i = text.find(needle)
    while i != -1:
        hits.append(i)
        i = text.find(needle, i + 1)
    return hits


def _context_score(text: str, start: int, end: int, anchor: Anchor) -> float:
    """How well the text around ``start:end`` matches the anchor's prefix and suffix (0-100)."""
    from rapidfuzz import fuzz

    scores: list[float] = []
    if anchor.prefix:
        before = text[max(0, start - len(anchor.prefix)) : start]
        scores.append(fuzz.ratio(before, anchor.prefix))
    if anchor.suffix:
        after = text[end : end + len(anchor.suffix)]
        scores.append(fuzz.ratio(after, anchor.suffix))
    return sum(scores) / len(scores) if scores else 0.0


def _best_occurrence(text: str, hits: list[int], anchor: Anchor) -> int:
    if len(hits) == 1:
        return hits[0]
    n = len(anchor.exact)
    return max(hits, key=lambda h: (_context_score(text, h, h + n, anchor), -abs(h - anchor.start)))


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span so it neither starts nor ends inside a word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    # trim whitespace the alignment may have pulled in
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _by_context(text: str, anchor: Anchor) -> tuple[int, int, float] | None:
    """Locate an edited passage between its unchanged prefix and suffix."""
    from rapidfuzz import fuzz

    if len(anchor.prefix) < 8 or len(anchor.suffix) < 8:
        return None
    best: tuple[int, int, float] | None = None
    max_len = max(len(anchor.exact) * 2, len(anchor.exact) + 200)
    for p in find_all(text, anchor.prefix):
        start = p + len(anchor.prefix)
        s = text.find(anchor.suffix, start)
        if s == -1 or s - start > max_len:
            continue
        score = fuzz.ratio(text[start:s], anchor.exact)
        if best is None or score > best[2]:
            best = (start, s, score)
    return best


def _by_similarity(text: str, anchor: Anchor) -> tuple[int, int, float] | None:
    """Approximate search for the exact text: best-aligned window, refined to word boundaries."""
    from rapidfuzz import fuzz

    exact = anchor.exact
    if len(exact) < FUZZY_MIN_LENGTH or not text:
        return None
    al = fuzz.partial_ratio_alignment(exact, text)
    if al is None or al.score < FUZZY_MIN_SCORE - 10:
        return None
    start, end = _snap_to_words(text, al.dest_start, al.dest_end)
    # The window has the length of the old text; an insertion or a deletion changes that. Try
    # nearby word boundaries for both ends and keep the span most similar to the old text.
    best = (start, end, fuzz.ratio(text[start:end], exact))
    slack = max(8, len(exact) // 4)
    starts = [m.start() for m in re.finditer(r"\b\w", text[max(0, start - slack) : start + slack])]
    ends = [m.end() for m in re.finditer(r"\w\b|[.!?,;:”\"’')]", text[max(0, end - slack) : end + slack])]
    base_s, base_e = max(0, start - slack), max(0, end - slack)
    for s in [start] + [base_s + x for x in starts]:
        for e in [end] + [base_e + x for x in ends]:
            if e <= s:
                continue
            score = fuzz.ratio(text[s:e], exact)
            if score > best[2]:
                best = (s, e, score)
    return best


def _loose_matches(text: str, anchor: Anchor) -> list[tuple[int, int]]:
    """Spans equal to the exact text but for whitespace (added, removed, changed), quote style and
    dash style: what re-cleaning a text typically changes."""
    if not anchor.exact.strip():
        return []
    pattern = passage_pattern(anchor.exact, loose_space=True)
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]


def resolve(anchor: Anchor, text: str) -> Resolution:
    """Find ``anchor`` in ``text`` (see the module docstring for the four outcomes)."""
    n = len(anchor.exact)
    if anchor.start >= 0 and anchor.start + n <= len(text) and text[anchor.start : anchor.start + n] == anchor.exact:
        return Resolution("exact", anchor.start, anchor.start + n, 100.0)
    hits = find_all(text, anchor.exact)
    if hits:
        h = _best_occurrence(text, hits, anchor)
        return Resolution("moved", h, h + n, 100.0)
    loose = _loose_matches(text, anchor)
    if loose:
        from rapidfuzz import fuzz

        start, end = max(loose, key=lambda se: (_context_score(text, se[0], se[1], anchor), -abs(se[0] - anchor.start)))
        return Resolution("fuzzy", start, end, round(fuzz.ratio(text[start:end], anchor.exact), 1))
    by_context = _by_context(text, anchor)
    if by_context is not None and by_context[2] >= CONTEXT_MIN_SCORE and by_context[1] > by_context[0]:
        # Both the words before and after are unchanged: the passage is what lies between them.
        return Resolution("fuzzy", by_context[0], by_context[1], round(by_context[2], 1))
    similar = _by_similarity(text, anchor)
    if similar is not None and (anchor.prefix or anchor.suffix):
        # A look-alike elsewhere must not capture the highlight: unless the words are nearly the
        # same (and the passage long enough to be distinctive), the surroundings must agree too.
        distinctive = len(anchor.exact) >= SHORT_PASSAGE and similar[2] >= SELF_EVIDENT_SCORE
        if not distinctive and _context_score(text, similar[0], similar[1], anchor) < SIMILAR_CONTEXT_MIN_SCORE:
            similar = None
    candidates = [c for c in (by_context, similar) if c is not None]
    if candidates:
        start, end, score = max(candidates, key=lambda c: c[2])
        if score >= FUZZY_MIN_SCORE and end > start:
            return Resolution("fuzzy", start, end, round(score, 1))
    return Resolution("orphan", anchor.start, anchor.end, 0.0)


def reanchor(anchor: Anchor, text: str) -> tuple[Anchor, Resolution]:
    """Resolve ``anchor`` in ``text`` and return the anchor rebuilt on the new text (unchanged if orphan)."""
    res = resolve(anchor, text)
    if not res.attached:
        return anchor, res
    return make_anchor(text, res.start, res.end, max(len(anchor.prefix), len(anchor.suffix), CONTEXT)), res


# ---------------------------------------------------------------------------------------------
# Locating a passage typed by a user, and describing a position
# ---------------------------------------------------------------------------------------------

_QUOTE_CLASSES = {
    **{c: "[\"“”„«»″]" for c in "\"“”„«»″"},
    **{c: "['‘’‚‹›′`]" for c in "'‘’‚‹›′`"},
    **{c: "[-‐‑‒–—―]" for c in "-‐‑‒–—―"},
}


def passage_pattern(passage: str, *, loose_space: bool = False) -> re.Pattern[str]:
    """A regex matching ``passage`` with any run of whitespace, any quote style and any dash.

    ``loose_space`` also lets whitespace appear or vanish next to punctuation (``Ukraine .`` matches
    ``Ukraine.``), as text normalisation does.
    """
    parts: list[str] = []
    tokens = [t for t in re.split(r"(\s+)", passage.strip()) if t]
    for token in tokens:
        if token.isspace():
            parts.append(r"\s*" if loose_space else r"\s+")
            continue
        chars = []
        for j, ch in enumerate(token):
            chars.append(_QUOTE_CLASSES.get(ch, re.escape(ch)))
            if loose_space and j + 1 < len(token) and (not ch.isalnum() or not token[j + 1].isalnum()):
                chars.append(r"\s*")  # a space may have been added next to punctuation
        parts.append("".join(chars))
    return re.compile("".join(parts))


def find_passage(text: str, passage: str) -> list[tuple[int, int]]:
    """Every span of ``text`` matching the user-typed ``passage`` (whitespace/quote/dash tolerant)."""
    if not passage.strip():
        return []
    pattern = passage_pattern(passage)
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if not m:
            break
        spans.append((m.start(), m.end()))
        pos = m.start() + 1
    return spans


def closest_passage(text: str, passage: str) -> tuple[str, float] | None:
    """The text most similar to ``passage`` (for a "did you mean" hint), with its score."""
    from rapidfuzz import fuzz

    passage = passage.strip()
    if not passage or not text:
        return None
    al = fuzz.partial_ratio_alignment(passage, text)
    if al is None:
        return None
    s, e = _snap_to_words(text, al.dest_start, al.dest_end)
    return text[s:e], round(al.score, 1)


_PARA_BREAK = re.compile(r"\n[ \t]*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs of ``text`` as (start, end) spans: blocks separated by blank lines, or lines
    when the text has no blank line at all."""
    splitter = _PARA_BREAK if _PARA_BREAK.search(text) else re.compile(r"\n")
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in splitter.finditer(text):
        if text[pos : m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    return spans


def paragraph_number(text: str, offset: int) -> int:
    """1-based number of the paragraph holding ``offset`` (the next one if it falls between two)."""
    spans = paragraph_spans(text)
    for i, (_, end) in enumerate(spans, 1):
        if offset < end:
            return i
    return max(1, len(spans))
