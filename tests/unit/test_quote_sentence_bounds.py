"""_sentence_bounds looks for the last sentence end back from the quote: the same answer as a scan from
the paragraph's start (what it did before), on random text full of sentence ends, marks and capitals."""

from __future__ import annotations

import random

from briefreader.core.quote_names import _SENTENCE_END_BEFORE_RE, _sentence_bounds


def _scan_from_start(body: str, pos: int, lo: int, hi: int) -> int:
    start = lo
    for m in _SENTENCE_END_BEFORE_RE.finditer(body, lo, min(hi, pos + 2)):
        if m.end() <= pos:
            start = m.end()
    return start


def test_the_backward_search_agrees_with_a_scan_from_the_paragraph_start() -> None:
    rng = random.Random(7)
    pieces = [". ", "! ", "? ", "\u2026 ", ".\u201d ", " ", "  ", "\u201c", "'", "a", "b", "We", "He", "x", ".", "\n"]
    for _ in range(300):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        lo = rng.randint(0, len(body))
        hi = rng.randint(lo, len(body))
        for pos in range(lo, hi + 1):
            assert _sentence_bounds(body, pos, lo, hi)[0] == _scan_from_start(body, pos, lo, hi), (body, pos, lo, hi)
