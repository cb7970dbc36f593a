"""Plain data records shared by every part of briefreader (no I/O, no UI)."""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class RemovedBlock:
    """A piece of page furniture dropped by the cleaner, with why, and where it was in the source."""

    text: str
    reason: str
    start: int  # character offset in the article's source text
    end: int


@dataclass(slots=True)
class LoadWarning:
    """One file (or part of one) that could not be read as expected: a one-line reason."""

    path: str  # relative to the corpus root where possible
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(slots=True)
class OffsetMap:
    """Maps character offsets in the cleaned body back to offsets in the source text.

    Stored as sorted segments ``(clean_start, source_start, length)``: the cleaned text
    ``body[clean_start:clean_start+length]`` came from ``source[source_start:source_start+length]``
    (after normalisation, which keeps lengths except where noted by a new segment).
    Characters the cleaner inserted (paragraph breaks) map to the nearest preceding segment.
    """

    segments: list[tuple[int, int, int]] = field(default_factory=list)

    def to_source(self, clean_offset: int) -> int:
        """Source offset of the character at ``clean_offset`` in the cleaned body."""
        segments = self.segments
        if not segments:
            return clean_offset
        i = bisect.bisect_right(segments, clean_offset, key=lambda s: s[0]) - 1
        if i < 0:
            return segments[0][1]
        c0, s0, n = segments[i]
        return s0 + min(clean_offset - c0, n)

    def to_clean(self, source_offset: int) -> int | None:
        """Cleaned-body offset of the source character at ``source_offset``, or None if it was removed."""
        segments = self.segments  # ordered by source offset too: cleaning never reorders text
        i = bisect.bisect_right(segments, source_offset, key=lambda s: s[1]) - 1
        if i >= 0:
            c0, s0, n = segments[i]
            if s0 <= source_offset < s0 + n:
                return c0 + (source_offset - s0)
        return None

    def source_span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        """Source span covering the cleaned-body span ``[clean_start, clean_end)``."""
        if clean_end <= clean_start:
            pos = self.to_source(clean_start)
            return pos, pos
        return self.to_source(clean_start), self.to_source(clean_end - 1) + 1


@dataclass(slots=True)
class ArticleSummary:
    """What a listing shows of an article, without its text (``briefreader list``): read from the
    record cache's listing rows, so a list of 50k articles never loads their bodies."""

    id: str
    path: str
    outlet: str | None
    source_agency: str | None
    date: str | None
    title: str | None
    words: int
    provenance: dict[str, str] = field(default_factory=dict)

    def as_tuple(self) -> tuple:
        """The fields in order (the record cache's listing row)."""
        return (self.id, self.path, self.outlet, self.source_agency, self.date, self.title, self.words,
                dict(self.provenance))


@dataclass(slots=True)
class Article:
    """One cleaned article with its metadata and provenance.

    ``source`` is the article's text before cleaning: the decoded file for .txt/.md (front matter
    included, so offsets are file character offsets), the extracted text for HTML, the text field
    for JSON/JSONL records. ``offsets`` maps ``body`` back into it.
    """

    id: str  # path relative to the corpus root; "#N" suffix for the N-th record of a JSON/JSONL file
    path: str  # relative path of the file it came from
    format: str  # txt | md | html | json | jsonl
    body: str
    source: str = ""
    title: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    date: str | None = None  # ISO 8601, possibly partial ("2025-08", or "--08-17" when only the day is known)
    author: str | None = None
    url: str | None = None
    language: str | None = None
    source_agency: str | None = None  # the wire agency that wrote it ("AP"), when not the outlet itself
    removed: list[RemovedBlock] = field(default_factory=list)
    offsets: OffsetMap = field(default_factory=OffsetMap)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    content_hash: str = ""  # sha1 of the file bytes (plus record index for JSON/JSONL)
    order: int = 0  # position in discovery order, a stable tie-breaker
    # where each metadata field came from: field -> "text (byline)", "file name", "manifest"...
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def words(self) -> int:
        return len(self.body.split())

    def summary(self) -> ArticleSummary:
        """The article's listing fields (no text), with its word count."""
        return ArticleSummary(self.id, self.path, self.outlet, self.source_agency, self.date, self.title,
                              self.words, dict(self.provenance))

    def to_dict(self, *, include_source: bool = False) -> dict[str, Any]:
        """JSON-ready dict (the `clean --json` contract)."""
        d = asdict(self)
        d["offsets"] = [list(s) for s in self.offsets.segments]
        d["words"] = self.words
        if not include_source:
            d.pop("source")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        d = dict(d)
        d.pop("words", None)
        d["removed"] = [RemovedBlock(**r) for r in d.get("removed", [])]
        d["offsets"] = OffsetMap([tuple(s) for s in d.get("offsets", [])])
        d["provenance"] = dict(d.get("provenance") or {})
        return cls(**d)
