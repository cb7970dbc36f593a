"""The visual selection in the article body: a passage that starts on a word and grows or shrinks
by word, sentence or paragraph, or covers one quotation as a unit.

Pure functions over the body text (no Textual): offsets are character offsets into the cleaned
body, end exclusive, the same offsets the triage store anchors highlights with.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from briefreader.core.anchors import paragraph_spans

_WORD = re.compile(r"\S+")
# A sentence ends at . ! ? or … (optionally followed by closing quotes/brackets) before a space or the end.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)")
_QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "„": "“", "‘": "’", "‹": "›"}


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


class TextUnits:
    """Words, sentences and paragraphs of one text, computed once and looked up by offset."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def words(self) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in _WORD.finditer(self.text)]

    @cached_property
    def _word_starts(self) -> list[int]:
        return [s for s, _ in self.words]

    @cached_property
    def _word_ends(self) -> list[int]:
        return [e for _, e in self.words]

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        return paragraph_spans(self.text) or ([(0, len(self.text))] if self.text.strip() else [])

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for ps, pe in self.paragraphs:
            pos = ps
            for m in _SENTENCE_END.finditer(self.text, ps, pe):
                if self.text[pos : m.end()].strip():
                    spans.append(_trim(self.text, pos, m.end()))
                pos = m.end()
            if self.text[pos:pe].strip():
                spans.append(_trim(self.text, pos, pe))
        return spans

    # -- look-ups ---------------------------------------------------------------------------

    def word_at(self, offset: int) -> tuple[int, int] | None:
        """The word holding ``offset``, else the next word, else the last one."""
        if not self.words:
            return None
        i = bisect.bisect_right(self._word_starts, offset) - 1
        if i >= 0 and self.words[i][0] <= offset < self.words[i][1]:
            return self.words[i]
        j = bisect.bisect_left(self._word_starts, offset)
        return self.words[j] if j < len(self.words) else self.words[-1]

    def word_index(self, offset: int) -> int:
        """Index of the word holding or following ``offset`` (clamped)."""
        if not self.words:
            return -1
        i = bisect.bisect_right(self._word_starts, offset) - 1
        if i >= 0 and offset < self.words[i][1]:
            return i
        return min(i + 1, len(self.words) - 1)

    def next_word_end(self, end: int) -> int | None:
        """End of the first word ending after ``end``."""
        i = bisect.bisect_right(self._word_ends, end)
        return self._word_ends[i] if i < len(self.words) else None

    def previous_word_end(self, end: int) -> int | None:
        """End of the last word ending before ``end``."""
        i = bisect.bisect_left(self._word_ends, end) - 1
        return self._word_ends[i] if i >= 0 else None

    @staticmethod
    def _containing(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
        for s, e in spans:
            if offset < e:
                return (s, e)
        return spans[-1] if spans else None

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        return self._containing(self.sentences, offset)

    def paragraph_at(self, offset: int) -> tuple[int, int] | None:
        return self._containing(self.paragraphs, offset)

    @staticmethod
    def _next_end(spans: list[tuple[int, int]], end: int) -> int | None:
        for _, e in spans:
            if e > end:
                return e
        return None

    @staticmethod
    def _previous_end(spans: list[tuple[int, int]], end: int) -> int | None:
        best = None
        for _, e in spans:
            if e < end:
                best = e
            else:
                break
        return best

    def quote_around(self, offset: int) -> tuple[int, int] | None:
        """The quotation (with its marks) holding ``offset``, else the next one, by quote characters."""
        text = self.text
        found: list[tuple[int, int]] = []
        i = 0
        while i < len(text):
            ch = text[i]
            close = _QUOTE_PAIRS.get(ch)
            if close is None:
                i += 1
                continue
            j = text.find(close, i + 1)
            para_end = text.find("\n\n", i)
            if j == -1 or (para_end != -1 and j > para_end) or j - i < 2:
                i += 1
                continue
            found.append((i, j + 1))
            i = j + 1
        for s, e in found:
            if s <= offset < e:
                return (s, e)
        for s, e in found:
            if s >= offset:
                return (s, e)
        return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass
class Selection:
    """A visual selection: ``start`` is on a word; ``end`` (exclusive) never before that word's end."""

    units: TextUnits
    start: int
    end: int

    @classmethod
    def at(cls, text: str | TextUnits, offset: int) -> Selection | None:
        """A one-word selection at ``offset`` (None for a text without words)."""
        units = text if isinstance(text, TextUnits) else TextUnits(text)
        word = units.word_at(offset)
        if word is None:
            return None
        return cls(units, word[0], word[1])

    @property
    def text(self) -> str:
        return self.units.text[self.start : self.end]

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def _min_end(self) -> int:
        word = self.units.word_at(self.start)
        return word[1] if word else self.start

    # -- growing and shrinking (the end moves; the start stays) -------------------------------

    def grow_word(self) -> None:
        nxt = self.units.next_word_end(self.end)
        if nxt is not None:
            self.end = nxt

    def shrink_word(self) -> None:
        prev = self.units.previous_word_end(self.end)
        self.end = max(self._min_end, prev if prev is not None else self._min_end)

    def grow_sentence(self) -> None:
        self._grow(self.units.sentences)

    def shrink_sentence(self) -> None:
        self._shrink(self.units.sentences)

    def grow_paragraph(self) -> None:
        self._grow(self.units.paragraphs)

    def shrink_paragraph(self) -> None:
        self._shrink(self.units.paragraphs)

    def _grow(self, spans: list[tuple[int, int]]) -> None:
        nxt = TextUnits._next_end(spans, self.end)
        if nxt is not None:
            self.end = nxt

    def _shrink(self, spans: list[tuple[int, int]]) -> None:
        prev = TextUnits._previous_end(spans, self.end)
        self.end = max(self._min_end, prev if prev is not None and prev > self.start else self._min_end)

    # -- whole units ---------------------------------------------------------------------------

    def select_sentence(self) -> None:
        """The whole sentence around the start."""
        span = self.units.sentence_at(self.start)
        if span:
            self.start, self.end = span

    def select_paragraph(self) -> None:
        """The whole paragraph around the start."""
        span = self.units.paragraph_at(self.start)
        if span:
            self.start, self.end = _trim(self.units.text, *span)

    def select_quote(self, quotes: list[tuple[int, int]] | None = None) -> bool:
        """The quotation holding (or following) the start, as one unit; ``quotes`` are the reader's
        quotation marks (start, end), used before scanning for quote characters. False if none."""
        span = None
        for s, e in sorted(quotes or []):
            if s <= self.start < e or s >= self.start:
                span = (s, e)
                break
        if span is None:
            span = self.units.quote_around(self.start)
        if span is None:
            return False
        self.start, self.end = _trim(self.units.text, *span)
        return True

    # -- moving (collapses to one word) --------------------------------------------------------

    def move_word(self, step: int) -> None:
        words = self.units.words
        if not words:
            return
        i = max(0, min(len(words) - 1, self.units.word_index(self.start) + step))
        self.start, self.end = words[i]

    def move_to(self, offset: int) -> None:
        word = self.units.word_at(offset)
        if word:
            self.start, self.end = word
