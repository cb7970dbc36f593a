"""Text features of copy and story detection: words as stable integers, word 5-gram shingles, a
sample of them per article packed with its index into one flat array, and the candidate pairs of
articles that share enough of them (see ``briefreader.core.copies``)."""

from __future__ import annotations

import re
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from briefreader.core.copies_model import CopiesCancelled, Progress
from briefreader.core.model import Article

SHINGLE = 5  # words per shingle
SAMPLE_MOD = 4  # keep shingles whose hash is 0 modulo this (containment stays unbiased)
MAX_POSTINGS = 300  # a sampled shingle in more articles than this is a stock phrase, not evidence
MIN_SHARED = 4  # sampled shingles two articles must share before they are compared at all

_WORD_RE = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_PARAGRAPH_RE = re.compile(r"\n\s*\n|\n")


class _Vocabulary(dict[str, int]):
    """Word -> a stable integer (crc32), so shingle hashes are the same in every process."""

    def __missing__(self, word: str) -> int:
        value = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        self[word] = value
        return value


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.casefold().replace("’", "'"))


def _shingles(ids: list[int]) -> list[int]:
    """Hashes of every run of ``SHINGLE`` word ids (a text shorter than that is one shingle)."""
    if len(ids) < SHINGLE:
        return [hash(tuple(ids))] if ids else []
    return list(map(hash, zip(*(ids[k:] for k in range(SHINGLE)), strict=False)))


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs (blank-line or line separated), stripped, empty ones dropped."""
    return [p.strip() for p in _PARAGRAPH_RE.split(body) if p.strip()]


def _date_value(date: str | None) -> int | None:
    """Days since year 0 for a full ISO date, else None (partial dates do not order articles)."""
    if not date or len(date) < 10 or date[4] != "-":
        return None
    try:
        year, month, day = int(date[0:4]), int(date[5:7]), int(date[8:10])
    except ValueError:
        return None
    return year * 372 + month * 31 + day  # monotonic, good enough for "within N days" at this scale


def _agency_own(article: Article) -> bool:
    agency = getattr(article, "source_agency", None)
    return bool(agency and article.outlet and _norm_name(agency) == _norm_name(article.outlet))


def _norm_name(name: str) -> str:
    return re.sub(r"\W+", " ", name).strip().casefold()


@dataclass(slots=True)
class _Doc:
    """What copy detection keeps of an article between passes: its sizes, not its shingles."""

    sampled: int  # how many sampled shingles
    words: int


def _sample_of(body: str, vocab: _Vocabulary) -> tuple[frozenset[int], int]:
    """The sampled shingle hashes of ``body`` and its word count."""
    words = _words(body)
    hashes = _shingles(list(map(vocab.__getitem__, words)))
    return frozenset(h for h in hashes if h % SAMPLE_MOD == 0), len(words)


_DOC_BITS = 24  # article index bits in a packed (shingle, article) key: up to 16.7M articles
_SHINGLE_MASK = (1 << 39) - 1


def _sample_all(
    articles: Sequence[Article], vocab: _Vocabulary, progress: Progress | None, cancelled: Callable[[], bool] | None,
) -> tuple[list[_Doc], array[int]]:
    """Sizes of every article and one flat array of packed (sampled shingle, article index) keys.

    A dict of posting lists (and a set of samples per article) held ~350 MB at 10k articles;
    the packed array holds ~12 MB, and sorting it puts each shingle's articles side by side.
    """
    docs: list[_Doc] = []
    keys: array[int] = array("q")
    total = len(articles)
    for i, article in enumerate(articles):
        if cancelled is not None and i % 256 == 0 and cancelled():
            raise CopiesCancelled()
        sample, words = _sample_of(article.body, vocab)
        docs.append(_Doc(len(sample), words))
        keys.extend((((h // SAMPLE_MOD) & _SHINGLE_MASK) << _DOC_BITS) | i for h in sample)
        if progress is not None and (i % 500 == 0 or i + 1 == total):
            progress("copies", i + 1, total)
    return docs, keys


def _candidate_pairs(keys: array[int], cancelled: Callable[[], bool] | None) -> Counter[tuple[int, int]]:
    """Pairs of articles sharing at least ``MIN_SHARED`` sampled shingles, with the count."""
    shared: Counter[tuple[int, int]] = Counter()
    for n, (_, members) in enumerate(_runs(keys)):
        if cancelled is not None and n % 50000 == 0 and cancelled():
            raise CopiesCancelled()
        if len(members) < 2 or len(members) > MAX_POSTINGS:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                shared[(a, b)] += 1
    return Counter({pair: c for pair, c in shared.items() if c >= MIN_SHARED})

# _runs sorts the packed values a range at a time (split by their top bits): sorting all at once made
# a list of int objects (40 bytes a value against the array's 8: ~400 MB at 50k articles)
_RUN_RANGE_BITS = 5


def _runs(keys: array[int]) -> Iterable[tuple[int, list[int]]]:
    """(key, unit indexes) for each distinct key of packed (key, index) values (non-negative), in
    ascending key order, the indexes ascending."""
    doc_mask = (1 << _DOC_BITS) - 1
    if not keys:
        return
    shift = max(max(keys).bit_length() - _RUN_RANGE_BITS, _DOC_BITS)  # one key's values share a range
    ranges: list[array[int]] = [array("q") for _ in range((max(keys) >> shift) + 1)]
    add_to = [values.append for values in ranges]
    for packed in keys:
        add_to[packed >> shift](packed)
    del add_to
    ranges.reverse()  # popped from the end: lowest range first, each freed once read
    while ranges:
        values = ranges.pop()
        for key, run in groupby(sorted(values), key=lambda packed: packed >> _DOC_BITS):
            yield key, [packed & doc_mask for packed in run]

def _timeline_key(article: Article) -> tuple[Any, ...]:
    date = _date_value(article.date)
    return (date is None, date or 0, article.order)
