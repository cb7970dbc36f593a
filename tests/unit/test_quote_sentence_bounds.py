"""_sentence_bounds looks for the last sentence end back from the quote: the same answer as a scan from
the paragraph's start (what it did before), on random text full of sentence ends, marks and capitals."""

from __future__ import annotations

import random

from briefreader.core.quote_names import SENTENCE_SCAN_LIMIT, _SENTENCE_END_BEFORE_RE, _sentence_bounds


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


def test_a_sentence_is_read_at_most_the_scan_limit_either_side() -> None:
    # a megabyte paragraph with no sentence end, full of quotations, was scanned to its ends per quotation
    body = "word " * (SENTENCE_SCAN_LIMIT // 2)  # 2.5 limits of text, no sentence end
    pos = len(body) // 2
    start, end = _sentence_bounds(body, pos, 0, len(body))
    assert start == pos - SENTENCE_SCAN_LIMIT and end == pos + SENTENCE_SCAN_LIMIT
    short = "Ann spoke. Then she said it was fine. Done."
    assert _sentence_bounds(short, short.index("she"), 0, len(short)) == (10, short.index("Done") - 1)
