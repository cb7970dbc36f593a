"""Grouping the renderings of one utterance across articles, with a cache per article content.

Pipeline of :func:`analyse_quotes`:

1. **Extraction** (:func:`briefreader.core.quotes.extract_quotes`) per article, cached by the hash
   of the cleaned body, so reopening a corpus does not extract again.
2. **Units.** Each non-scare quotation is cut into sentences; a sentence (or a partial quote) is
   the unit that gets clustered, so a partial quote joins the cluster of the sentence it comes
   from and two adjacent sentences of one speaker stay apart.
3. **Candidates** come from a passage-level index, never from all pairs: identical normalised
   texts collapse into one phrase, then every phrase is indexed by hashed word 3-grams and by
   skip-bigrams of content words (which survive translations that share only half the words).
   Shingles shared by too many phrases are dropped from the index (stop-shingles).
4. **Scoring** with rapidfuzz on normalised word keys (contractions spelled out, British spelling
   mapped): similar-length pairs use the word-level Indel similarity (or the content-word overlap
   when clauses are reordered); a short phrase inside a long one uses containment and, as in
   MemeTracker, joins only its single best longer phrase. Known, different speakers raise the bar.
5. **Clusters** are the connected components; each gets a canonical rendering (the medoid among
   the longest renderings) and its variants ordered by date, then article order.

The whole analysis is also cached (keyed by every article's body hash and metadata), so an
unchanged corpus reopens instantly. A corrupt cache is ignored and rebuilt, with a warning.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import re
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from rapidfuzz.distance import Indel

from briefreader.core.dates import date_sort_key
from briefreader.core.diffing import align, classify_alteration, spelling_index, word_keys
from briefreader.core.model import Article
from briefreader.core.quotes import Quote, extract_quotes

EXTRACTOR_VERSION = "quotes-9"
CACHE_FILE = "quotes-cache.json"
#: Phrases sharing a shingle beyond this many are not indexed under it (it is too common to help).
MAX_POSTINGS = 150
#: At most this many candidates (best first, by shared shingles) are scored for each new phrase.
MAX_SCORED_PER_PHRASE = 48

#: Quotes shorter than this (in words) join one best group only, never link two groups.
SHORT_QUOTE_WORDS = 8
#: Quotes shorter than this are grouped only when one known speaker said both.
SHORT_PHRASE_WORDS = 4
#: How many of a group's longest renderings a rendering is compared with to class its alteration.
ALTERATION_REFERENCES = 4

Progress = Callable[[int, int], None]


_MISSING = object()


class QuotesCancelled(Exception):
    """Raised when the ``cancelled`` callback of :func:`analyse_quotes` says stop."""


@dataclass(slots=True)
class Variant:
    """One rendering of a cluster's statement: a whole quotation as one article printed it.

    ``text``: its words between the marks (the paragraphs of a multi-paragraph quotation joined by
    a space); ``start``/``end``: offsets into the cleaned body from its first to its last word;
    ``spans``/``source_spans``: each paragraph's span. ``quote_*``: the same whole quotation (kept
    for readers of the older shape). ``similarity`` to the canonical rendering, ``partial`` (quotes
    only part of it, ``canonical_span`` says which), ``alteration`` (same / trivial / partial /
    paraphrased / altered).
    """

    article: str
    outlet: str | None
    date: str | None
    text: str
    start: int
    end: int
    speaker: str | None
    speaker_confidence: float = 0.0
    quote_index: int = 0
    quote_start: int = 0
    quote_end: int = 0
    quote_text: str = ""
    utterance_id: str = ""
    order: int = 0
    source_start: int = 0
    source_end: int = 0
    similarity: float = 1.0
    partial: bool = False
    canonical_span: tuple[int, int] = (0, 0)
    alteration: str = "same"  # against the canonical rendering: see diffing.classify_alteration
    spans: tuple[tuple[int, int], ...] = ()  # body spans of its paragraphs (one for most quotations)
    source_spans: tuple[tuple[int, int], ...] = ()
    piece_indices: tuple[int, ...] = ()  # the article's Quote index of each paragraph

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["canonical_span"] = list(self.canonical_span)
        d["spans"] = [list(x) for x in self.spans]
        d["source_spans"] = [list(x) for x in self.source_spans]
        d["piece_indices"] = list(self.piece_indices)
        return d


@dataclass(slots=True)
class QuoteCluster:
    """Renderings of one utterance across articles; ``variants`` ordered by date then article order."""

    id: str
    speaker: str | None
    canonical: str
    variants: list[Variant]
    speaker_confidence: float = 0.0

    @property
    def altered(self) -> bool:
        """True when some rendering changed the content words of the statement (a misquote)."""
        return any(v.alteration == "altered" for v in self.variants)

    @property
    def articles(self) -> list[str]:
        seen: dict[str, None] = {}
        for v in self.variants:
            seen.setdefault(v.article, None)
        return list(seen)

    @property
    def outlets(self) -> list[str]:
        seen: dict[str, None] = {}
        for v in self.variants:
            seen.setdefault(v.outlet or v.article, None)
        return list(seen)

    @property
    def first(self) -> Variant:
        """The earliest rendering (who published first)."""
        return self.variants[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "speaker_confidence": self.speaker_confidence,
            "canonical": self.canonical,
            "altered": self.altered,
            "articles": len(self.articles),
            "variants": [v.to_dict() for v in self.variants],
        }


@dataclass
class QuoteAnalysis:
    """Result of :func:`analyse_quotes`, with the look-ups a reader needs."""

    quotes_total: int
    clusters: list[QuoteCluster]
    scare_quotes: list[Quote]
    quotes_by_article: dict[str, list[Quote]]
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    _by_id: dict[str, QuoteCluster] = field(default_factory=dict, repr=False)
    _units: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {c.id: c for c in self.clusters}
        units: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for c in self.clusters:
            for v in c.variants:
                units[v.article].append((v.start, v.end, c.id))
        self._units = {k: sorted(v) for k, v in units.items()}

    def quotes_of(self, article_id: str) -> list[Quote]:
        """Every quotation of one article (scare quotes included), in text order."""
        return self.quotes_by_article.get(article_id, [])

    def cluster(self, cluster_id: str) -> QuoteCluster | None:
        return self._by_id.get(cluster_id)

    def cluster_at(self, article_id: str, offset: int) -> QuoteCluster | None:
        """The cluster of the quoted sentence covering ``offset`` (cleaned body) in an article."""
        for start, end, cid in self._units.get(article_id, []):
            if start <= offset < end or (start == end == offset):
                return self._by_id[cid]
        return None

    def clusters_of_quote(self, quote: Quote) -> list[QuoteCluster]:
        """Clusters of the sentences of one quotation (one per sentence, in order, no repeats)."""
        out: list[QuoteCluster] = []
        for start, end, cid in self._units.get(quote.article_id, []):
            if start < quote.end and end > quote.start and self._by_id[cid] not in out:
                out.append(self._by_id[cid])
        return out

    def clusters_of_article(self, article_id: str) -> list[QuoteCluster]:
        seen: dict[str, None] = {}
        for _, _, cid in self._units.get(article_id, []):
            seen.setdefault(cid, None)
        return [self._by_id[c] for c in seen]

    def filtered(self, *, min_articles: int = 1, speaker: str | None = None, altered: bool = False) -> list[QuoteCluster]:
        """Clusters quoted in at least ``min_articles`` articles, optionally by a speaker (case-insensitive
        substring of the cluster's or any variant's speaker), optionally only altered ones."""
        out = []
        needle = speaker.casefold() if speaker else None
        for c in self.clusters:
            if len(c.articles) < min_articles or (altered and not c.altered):
                continue
            if needle is not None:
                names = {c.speaker or ""} | {v.speaker or "" for v in c.variants}
                if not any(needle in n.casefold() for n in names):
                    continue
            out.append(c)
        return out

    def to_json(self, *, min_articles: int = 1, speaker: str | None = None, altered: bool = False) -> dict[str, Any]:
        """The `quotes --json` contract (altered groups first)."""
        clusters = self.filtered(min_articles=min_articles, speaker=speaker, altered=altered)
        clusters.sort(key=lambda c: not c.altered)
        return {
            "quotes_total": self.quotes_total,
            "clusters": [c.to_dict() for c in clusters],
            "scare_quotes": [
                {"article": q.article_id, "text": q.text, "start": q.start, "end": q.end,
                 "source_start": q.source_start, "source_end": q.source_end}
                for q in self.scare_quotes
            ],
        }


# ---------------------------------------------------------------------------------------------
# Sentence units

_ABBREVIATIONS = frozenset("mr mrs ms dr st gen col lt sgt prof sen rep gov jr sr inc ltd co no vs etc u.s u.k e.g i.e".split())
_SENTENCE_END_RE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*\s+(?=[\"'\u201c\u2018\u00ab(\[]?[^\W\d_])")
_COUNT_RE = re.compile(r"\w+(?:['\u2019]\w+)*")
_STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its
    this that these those he she they we i you his her their our my your him them us me not no so do
    does did have has had will would can could should may might must shall there here what which who
    whom when where why how all any some than then also just very more most into about over after
    before up down out off again once only own same such too even""".split()
)


@dataclass(slots=True)
class _Unit:
    """One rendering: a whole quotation as the outlet printed it (the paragraphs of a multi-paragraph
    quotation joined), never a single sentence of it."""

    quote: Quote  # its first piece
    start: int
    end: int
    keys: tuple[str, ...]
    article_pos: int  # index of the article in the input order
    pieces: tuple[Quote, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()  # key ranges of its sentences, used in matching only
    _text: str | None = None

    @property
    def text(self) -> str:
        """The quotation's words as printed (computed once: grouping and alteration classes read it often)."""
        if self._text is None:
            self._text = rendering_text(self.pieces or (self.quote,))
        return self._text


def rendering_text(pieces: Sequence[Quote]) -> str:
    """The words of a quotation as printed, its paragraphs joined by one space (marks left out)."""
    return " ".join(q.text.strip() for q in pieces)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END_RE.finditer(text):
        before = text[pos : m.start() + 1].split()
        last = before[-1].rstrip(".").lower() if before else ""
        raw_last = before[-1].rstrip(".") if before else ""
        if m.group().startswith(".") and (last in _ABBREVIATIONS or (len(raw_last) == 1 and raw_last.isupper())):
            continue
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, len(text)))
    # trim, and merge fragments of one or two words into their neighbour
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        if out and len(_COUNT_RE.findall(text, s, e)) <= 2:
            out[-1] = (out[-1][0], e)
        elif out and len(_COUNT_RE.findall(text, out[-1][0], out[-1][1])) <= 2:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def quotation_pieces(quotes: list[Quote]) -> list[tuple[Quote, ...]]:
    """The quotations of one article as renderings: each top-level, non-scare quote, with the pieces
    of one utterance joined (the paragraphs of a multi-paragraph quotation, the two halves of
    ``"X," she said. "Y."``); quotes nested in a clustered quotation are part of it, not renderings
    of their own."""
    out: list[tuple[Quote, ...]] = []
    current: list[Quote] = []
    by_index = {q.index: q for q in quotes}
    for q in quotes:
        if q.scare:
            continue
        outer = by_index.get(q.nested_in) if q.nested_in is not None else None
        if outer is not None and not outer.scare:
            continue
        if current and current[-1].utterance_id == q.utterance_id:
            current.append(q)
            continue
        if current:
            out.append(tuple(current))
        current = [q]
    if current:
        out.append(tuple(current))
    return out


def _units_of(quotes: list[Quote], article_pos: int) -> list[_Unit]:
    units = []
    for pieces in quotation_pieces(quotes):
        keys: list[str] = []
        sentences: list[tuple[int, int]] = []
        for q in pieces:
            for s, e in _sentence_spans(q.text):
                sk = word_keys(q.text[s:e])
                if sk:
                    sentences.append((len(keys), len(keys) + len(sk)))
                    keys.extend(sk)
        if len(keys) >= 3:
            units.append(_Unit(pieces[0], pieces[0].start, pieces[-1].end, tuple(keys), article_pos,
                               pieces, tuple(sentences)))
    return units


# ---------------------------------------------------------------------------------------------
# Candidate index and scoring


def _shingles(keys: tuple[int, ...], content: list[int], content_set: frozenset[int]) -> set[int]:
    """Hashed word 3-grams holding at least one content word, plus skip-bigrams of content words."""
    out: set[int] = set()
    add = out.add
    for gram in zip(keys, keys[1:], keys[2:]):
        a, b, c = gram
        if a in content_set or b in content_set or c in content_set:
            add(hash(gram))
    if len(keys) < 3:
        add(hash(keys))
    n = len(content)
    for i in range(n - 1):
        add(hash(("s", content[i], content[i + 1])))
        if i + 2 < n:
            add(hash(("s", content[i], content[i + 2])))
    return out


@dataclass(slots=True)
class _Phrase:
    keys: tuple[int, ...]
    content: frozenset[int]
    content_seq: tuple[int, ...]
    units: list[int]  # indices into the unit list
    speakers: set[str]
    sentences: tuple[tuple[int, int], ...] = ()
    named: set[str] = field(default_factory=set)  # speaker keys at any confidence
    # the same word ids as one character each: edit distances on strings need no per-call
    # conversion of the sequence (the distance between two id strings is that between the ids)
    codes: Any = ()
    content_codes: Any = ()


def _id_codes(ids: Sequence[int]) -> str | tuple[int, ...]:
    """Word ids as a string of one character per id (surrogate code points skipped), or the ids
    themselves when the vocabulary outgrows Unicode."""
    try:
        return "".join([chr(i if i < 0xD800 else i + 0x800) for i in ids])
    except (ValueError, OverflowError):
        return tuple(ids)


#: Speakers at or above this confidence count as known when grouping (different known speakers:
#: different statements, whatever the words).
KNOWN_SPEAKER_CONFIDENCE = 0.6


def speaker_key(name: str | None) -> str | None:
    """Who a speaker name designates across articles: its last word, case-folded ("Donald J. Trump",
    "Trump" and "Mr. Trump" are one person); None for no name."""
    if not name:
        return None
    words = re.findall(r"[^\W\d_][\w\-]*", name.replace("\u2019", "'"))
    return words[-1].casefold() if words else None


def _containment(part: Sequence[int], whole: Sequence[int]) -> float:
    """Share of ``part``'s words found in order in ``whole``, within a window twice ``part``'s length
    (the words of a short phrase are always scattered somewhere in a very long text)."""
    n, m = len(part), len(whole)
    if not n:
        return 0.0
    if m <= 2 * n + 4:
        return (n + m - Indel.distance(part, whole)) / 2 / n
    width, step = 2 * n, max(1, n // 2)
    best = 0.0
    first = set(part)
    for start in range(0, m - n // 2, step):
        window = whole[start : start + width]
        if not first.intersection(window):
            continue
        lcs = (n + len(window) - Indel.distance(part, window)) / 2
        if lcs > best:
            best = lcs
            if best >= n:
                break
    return best / n


def _sentence_inside(a: _Phrase, b: _Phrase) -> float:
    """The best containment in ``b`` of one of ``a``'s sentences of 6+ words (0 when none): one
    sentence printed whole by both outlets makes their quotations one statement."""
    best = 0.0
    for s0, s1 in a.sentences:
        if s1 - s0 < 6:
            continue
        best = max(best, _containment(a.codes[s0:s1], b.codes))
    return best


def _speaker_relation(a: _Phrase, b: _Phrase) -> str:
    """'same' / 'different' / 'unknown' from confidently attributed speakers of the two phrases."""
    if not a.speakers or not b.speakers:
        return "unknown"
    return "different" if a.speakers.isdisjoint(b.speakers) else "same"


def _score_pair(a: _Phrase, b: _Phrase) -> tuple[str, float] | None:
    """('similar', score) for renderings of comparable length, ('contained', score) for a short
    phrase inside a long one (a is the shorter), or None when they are not one utterance."""
    la, lb = len(a.keys), len(b.keys)
    short, long_ = min(la, lb), max(la, lb)
    relation = _speaker_relation(a, b)
    if relation == "different":
        return None  # the same words from two different known speakers are two statements
    if short < SHORT_PHRASE_WORDS and a.named.isdisjoint(b.named):
        return None  # "law and order", "Medicare for all": stock phrases, unless one speaker says both
    ca, cb = a.content, b.content
    if short <= 0.6 * long_:
        small_c, big_c = (ca, cb) if la <= lb else (cb, ca)
        shared_c = len(small_c & big_c)
        need_c = 0.6 if short >= 5 else 0.75  # "a total and complete ban": one content word changed
        if not small_c or shared_c < min(2, len(small_c)) or shared_c / len(small_c) < need_c:
            return None  # the shared words are only function words
    dist = Indel.distance(a.codes, b.codes)
    lcs = (la + lb - dist) / 2
    if short <= 0.6 * long_:
        small_p, big_p = (a, b) if la <= lb else (b, a)
        containment = _containment(small_p.codes, big_p.codes)
        need = 0.7 if relation == "same" else 0.8
        if (containment >= need and short >= 4) or (containment == 1.0 and short >= 3):
            return "contained", containment
        if lcs >= 5.4 and _sentence_inside(small_p, big_p) >= 0.9:  # a 6-word sentence needs 5.4 shared words
            return "contained", containment
        return None
    ratio = 2 * lcs / (la + lb)
    dice = 2 * len(ca & cb) / (len(ca) + len(cb)) if ca and cb else 0.0
    content_ratio = Indel.normalized_similarity(a.content_codes, b.content_codes) if a.content_seq and b.content_seq else 0.0
    # function words inflate the plain ratio: the content words must agree too
    score = max(min(ratio, content_ratio + 0.15), dice * 0.95)
    if relation == "same":
        # one speaker, same wording around changed content words: an agency translation / paraphrase
        score = max(score, ratio - 0.05)
    need = {"same": 0.5, "unknown": 0.6}[relation]
    if short < 6:
        need = max(need, 0.7)
    if score >= need:
        return "similar", score
    # two quotations of one statement that overlap (one outlet prints sentences 1-2, another 2-3)
    if lcs >= 5.4 and max(_sentence_inside(a, b), _sentence_inside(b, a)) >= 0.9:
        return "similar", score
    return None


class _UnionFind:
    """Union-find whose groups remember their known speaker: two groups with different known
    speakers are never joined (an unknown rendering joins one of them, never bridges both)."""

    def __init__(self, n: int, speakers: list[str | None] | None = None) -> None:
        self.parent = list(range(n))
        self.speaker: list[str | None] = list(speakers) if speakers is not None else [None] * n

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        sa, sb = self.speaker[ra], self.speaker[rb]
        if sa is not None and sb is not None and sa != sb:
            return False
        root, child = min(ra, rb), max(ra, rb)
        self.parent[child] = root
        self.speaker[root] = sa or sb
        return True


def cluster_units(units: list[_Unit], cancelled: Callable[[], bool] | None = None) -> tuple[list[list[int]], dict[str, int]]:
    """Connected components of units (lists of unit indices) and counters for the benchmark."""
    vocab: dict[str, int] = {}
    phrases: list[_Phrase] = []
    phrase_of_keys: dict[tuple[tuple[str, ...], Any], int] = {}
    phrase_speaker: list[str | None] = []
    for ui, u in enumerate(units):
        known = speaker_key(u.quote.speaker) if u.quote.speaker_confidence >= KNOWN_SPEAKER_CONFIDENCE else None
        named = speaker_key(u.quote.speaker)
        # identical words from two known speakers: two phrases; a short phrase ("law and order")
        # is one phrase only for one named speaker, and never when no one is named
        ident: Any = known
        if len(u.keys) < SHORT_PHRASE_WORDS:
            ident = named if named else ("unit", ui)
        pi = phrase_of_keys.get((u.keys, ident))
        if pi is None:
            ids = tuple(vocab.setdefault(k, len(vocab)) for k in u.keys)
            content_seq = tuple(vocab[k] for k in u.keys if k not in _STOPWORDS)
            pi = len(phrases)
            phrase_of_keys[(u.keys, ident)] = pi
            phrases.append(_Phrase(ids, frozenset(content_seq), content_seq, [], set(), u.sentences,
                                   codes=_id_codes(ids), content_codes=_id_codes(content_seq)))
            phrase_speaker.append(known)
        phrases[pi].units.append(ui)
        if known:
            phrases[pi].speakers.add(known)
        if named:
            phrases[pi].named.add(named)

    postings: dict[int, Any] = {}
    uf = _UnionFind(len(phrases), phrase_speaker)
    best_parent: dict[int, tuple[float, int, int]] = {}  # short phrase -> (score, long length, long phrase)
    candidates = scored = 0
    n_shingles: list[int] = []
    same_quote = [{units[u].quote.utterance_id for u in p.units} for p in phrases]
    lengths = [len(p.keys) for p in phrases]
    for pi, p in enumerate(phrases):
        if cancelled is not None and pi % 512 == 0 and cancelled():
            raise QuotesCancelled()
        sh = _shingles(p.keys, list(p.content_seq), p.content)
        n_shingles.append(len(sh))
        hits: list[int] = []  # the phrases sharing each shingle, counted at once below
        for h in sh:
            entry = postings.get(h, _MISSING)
            if entry is _MISSING:
                postings[h] = pi  # most shingles occur once: store the bare phrase id
                continue
            if entry is None:
                continue  # a stop-shingle: shared by too many utterances to tell anything apart
            if type(entry) is int:
                hits.append(entry)
                postings[h] = [entry, pi]
                continue
            hits.extend(entry)
            entry.append(pi)
            if len(entry) >= MAX_POSTINGS:
                # keep one phrase per cluster: the many renderings of a popular quote stay findable
                reps = list(dict.fromkeys(uf.find(x) for x in entry))
                postings[h] = reps if len(reps) <= MAX_POSTINGS // 2 else None
        if not hits:
            continue
        counts = Counter(hits)
        tried = 0
        n_p, n_sh = len(p.keys), len(sh)
        if n_p > 8:
            pool = sorted([(n, q) for q, n in counts.items() if n >= 2], reverse=True)
        else:
            pool = sorted([(n, q) for q, n in counts.items()], reverse=True)
        own_quote = same_quote[pi]
        one_quote = len(own_quote) == 1
        find = uf.find
        for shared, q in pool:
            n_q = lengths[q]
            small = n_p if n_p < n_q else n_q
            if small > 8 and shared < max(2, 0.1 * min(n_sh, n_shingles[q])):
                continue
            candidates += 1
            if one_quote and same_quote[q] == own_quote:
                continue  # two sentences of one quotation are never one utterance
            if find(q) == find(pi):
                continue  # already joined that cluster through a closer rendering
            tried += 1
            if tried > MAX_SCORED_PER_PHRASE:
                break
            result = _score_pair(p, phrases[q])
            scored += 1
            if result is None:
                continue
            kind, score = result
            if kind == "similar" and small >= SHORT_QUOTE_WORDS:
                uf.union(pi, q)
            else:  # a short quote joins its one best match: no chaining through short partials
                short_i, long_i = (pi, q) if n_p < n_q else (q, pi)
                key = (score, lengths[long_i], -long_i)
                old = best_parent.get(short_i)
                if old is None or key > old:
                    best_parent[short_i] = key
    for short_i, (_, _, neg_long) in best_parent.items():
        uf.union(short_i, -neg_long)

    groups: dict[int, list[int]] = defaultdict(list)
    for pi, p in enumerate(phrases):
        groups[uf.find(pi)].extend(p.units)
    stats = {"units": len(units), "phrases": len(phrases), "candidates": candidates, "scored": scored}
    return [sorted(g) for g in groups.values()], stats


# ---------------------------------------------------------------------------------------------
# Building clusters


def _date_key(date: str | None) -> tuple[int, str]:
    # dates with a year first, then partial ones ("---17"), then none: a partial date is never earliest
    return date_sort_key(date)


def _build_cluster(members: list[_Unit], articles: Sequence[Article],
                   original_of: Callable[[str], str] | None = None) -> QuoteCluster:
    """One group: its canonical text, and each rendering's class against the original statement.

    ``original_of(article_id)`` (copy detection: the original an article republishes, else itself)
    makes copies one rendering: a copy is never the reference and never vouches for another copy."""
    # canonical: the medoid among the longest renderings
    max_len = max(len(u.keys) for u in members)
    pool = [u for u in members if len(u.keys) >= 0.8 * max_len]
    if len(pool) > 1:
        sample = pool[:40]
        similarity: dict[tuple[int, int], float] = {}  # the measure is symmetric: each pair once
        words: dict[str, int] = {}
        codes = [_id_codes([words.setdefault(k, len(words)) for k in u.keys]) for u in sample]

        def pair_similarity(i: int, j: int) -> float:
            key = (i, j) if i <= j else (j, i)
            value = similarity.get(key)
            if value is None:
                value = similarity[key] = Indel.normalized_similarity(codes[i], codes[j])
            return value

        position = {id(u): i for i, u in enumerate(sample)}

        def centrality(u: _Unit) -> float:
            i = position[id(u)]
            return sum(pair_similarity(i, j) for j in range(len(sample)))

        canonical_unit = max(pool[:40], key=lambda u: (centrality(u), len(u.keys)))
    else:
        canonical_unit = pool[0]
    canonical_text = canonical_unit.text
    # alterations are judged against the original statement: the earliest of the longest independent
    # renderings (what was published first, whole; a copy is not independent), then against the
    # longest renderings of other articles that are faithful to it: a rendering's mildest class (a
    # partial of a partial is a partial, not a paraphrase of the whole; a copy of a misquote agreeing
    # with another copy is still a misquote)
    def source_of(u: _Unit) -> str:
        art_id = articles[u.article_pos].id
        return original_of(art_id) if original_of is not None else art_id

    independent = [u for u in pool if source_of(u) == articles[u.article_pos].id] or pool
    reference = min(independent, key=lambda u: (_date_key(articles[u.article_pos].date), articles[u.article_pos].order, u.start))
    references = _faithful_references(members, reference, source_of)
    spelling_indexes: dict[int, Any] = {}
    # renderings printed alike in many articles (wire copies) are compared once
    alignments: dict[str, Any] = {}
    similarities: dict[tuple[str, ...], float] = {}
    alterations: dict[tuple[Any, ...], str] = {}

    variants: list[Variant] = []
    for u in members:
        art = articles[u.article_pos]
        text = u.text
        if u is canonical_unit:
            sim, partial, cspan = 1.0, False, (0, len(canonical_text))
        elif len(u.keys) <= 0.6 * len(canonical_unit.keys):
            al = alignments.get(text)
            if al is None:
                al = alignments[text] = align(text, canonical_text)
            sim, partial, cspan = al.score, True, al.long_span
        else:
            sim = similarities.get(u.keys)
            if sim is None:
                sim = similarities[u.keys] = round(Indel.normalized_similarity(u.keys, canonical_unit.keys), 4)
            partial, cspan = False, (0, len(canonical_text))
        if u is reference:
            alteration = "same"
        else:
            # what the class depends on: the words, the sentences, and which other references apply
            eligible = tuple(i for i, ref in enumerate(references) if _other_reference(ref, reference, u, source_of))
            cache_key = (text, u.keys, u.sentences, eligible)
            alteration = alterations.get(cache_key)
            if alteration is None:
                alteration = alterations[cache_key] = _alteration(text, reference, u, references, spelling_indexes,
                                                                  source_of)
        variants.append(_make_variant(art, u.pieces, sim, partial, cspan, alteration))
    variants.sort(key=lambda v: (_date_key(v.date), v.order, v.start))
    speaker, confidence = _cluster_speaker(variants)
    ident = hashlib.sha1("|".join(f"{v.article}:{v.start}:{v.end}" for v in sorted(variants, key=lambda v: (v.article, v.start))).encode()).hexdigest()[:10]
    return QuoteCluster(id=f"q{ident}", speaker=speaker, canonical=canonical_text, variants=variants,
                        speaker_confidence=confidence)


_ALTERATION_RANK = {name: i for i, name in enumerate(("same", "trivial", "partial", "altered", "paraphrased"))}


def _spelling_index_of(ref: _Unit, indexes: dict[int, Any]) -> Callable[[], Any]:
    """A function giving the spelling index of ``ref``'s words, built the first time one is needed
    and kept in ``indexes`` for the group's other renderings."""
    def get() -> Any:
        index = indexes.get(id(ref))
        if index is None:
            index = indexes[id(ref)] = spelling_index(set(ref.keys))
        return index
    return get


def _faithful_references(members: list[_Unit], reference: _Unit, source_of: Callable[[_Unit], str]) -> list[_Unit]:
    """The longest renderings that quote the reference faithfully (same, trivial or partial): only
    those may vouch for a shorter rendering; a misquote, however often it was copied, vouches for none."""
    out: list[_Unit] = []
    for unit in sorted(members, key=lambda u: -len(u.keys))[: 3 * ALTERATION_REFERENCES]:  # bounded work
        if len(out) >= ALTERATION_REFERENCES:
            break
        if unit is not reference and source_of(unit) != source_of(reference):
            cls = classify_alteration(reference.text, unit.text, reference_keys=list(reference.keys),
                                      rendering_sentences=[list(unit.keys[s0:s1]) for s0, s1 in unit.sentences])
            if _ALTERATION_RANK[cls] > _ALTERATION_RANK["partial"]:
                continue
        out.append(unit)
    return out


def _other_reference(ref: _Unit, canonical: _Unit, unit: _Unit,
                     source_of: Callable[[_Unit], str] | None = None) -> bool:
    """Whether ``unit`` is also compared with ``ref`` (a long rendering of another, independent article)."""
    if ref is unit or ref is canonical or ref.article_pos == unit.article_pos or len(ref.keys) < len(unit.keys):
        return False
    return source_of is None or source_of(ref) != source_of(unit)


def _alteration(text: str, canonical: _Unit, unit: _Unit, references: list[_Unit],
                indexes: dict[int, Any], source_of: Callable[[_Unit], str] | None = None) -> str:
    if unit.keys == canonical.keys:  # the same words: same or trivial, nothing more to look at
        return classify_alteration(canonical.text, text, reference_keys=list(canonical.keys),
                                   rendering_sentences=[list(unit.keys)])
    sentences = [list(unit.keys[s0:s1]) for s0, s1 in unit.sentences]
    best = classify_alteration(canonical.text, text, reference_keys=list(canonical.keys), rendering_sentences=sentences,
                               reference_index=_spelling_index_of(canonical, indexes))
    for ref in references:
        if _ALTERATION_RANK[best] <= _ALTERATION_RANK["partial"]:
            break
        if not _other_reference(ref, canonical, unit, source_of):
            continue
        other = classify_alteration(ref.text, text, reference_keys=list(ref.keys), rendering_sentences=sentences,
                                    reference_index=_spelling_index_of(ref, indexes))
        if _ALTERATION_RANK[other] < _ALTERATION_RANK[best]:
            best = other
    return best


def _cluster_speaker(variants: list[Variant]) -> tuple[str | None, float]:
    """One speaker per group: the known speaker (grouping never joins two), else the one every
    attributed rendering agrees on, else unknown. Its fullest spelling, with the best confidence."""
    by_key: dict[str, list[Variant]] = defaultdict(list)
    for v in variants:
        key = speaker_key(v.speaker)
        if key:
            by_key[key].append(v)
    if not by_key:
        return None, 0.0
    known = [k for k, vs in by_key.items() if any(v.speaker_confidence >= KNOWN_SPEAKER_CONFIDENCE for v in vs)]
    if len(known) == 1:
        key = known[0]
    elif not known and len(by_key) == 1:
        key = next(iter(by_key))
    else:
        return None, 0.0
    named = by_key[key]
    name = max((v.speaker for v in named if v.speaker), key=lambda n: (len(n.split()), n))
    return name, max(v.speaker_confidence for v in named)


def _make_variant(art: Article, pieces: Sequence[Quote], sim: float, partial: bool,
                  cspan: tuple[int, int], alteration: str) -> Variant:
    spans = tuple((q.start, q.end) for q in pieces)
    source_spans = []
    for q in pieces:
        if q.source_end - q.source_start == q.end - q.start or not art.offsets.segments:
            source_spans.append((q.source_start, q.source_end))
        else:
            source_spans.append((art.offsets.to_source(q.start), art.offsets.to_source(q.end)))
    first, last = pieces[0], pieces[-1]
    text = rendering_text(pieces)
    return Variant(
        article=art.id, outlet=art.outlet, date=art.date, text=text, start=first.start, end=last.end,
        speaker=first.speaker, speaker_confidence=first.speaker_confidence, quote_index=first.index,
        quote_start=first.start, quote_end=last.end, quote_text=text, utterance_id=first.utterance_id,
        order=art.order, source_start=source_spans[0][0], source_end=source_spans[-1][1], similarity=round(sim, 4),
        partial=partial, canonical_span=(int(cspan[0]), int(cspan[1])), alteration=alteration,
        spans=spans, source_spans=tuple(source_spans), piece_indices=tuple(q.index for q in pieces),
    )


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
    except (ValueError, zlib.error) as exc:
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
    for a, bh in zip(articles, hashes):
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


def analyse_quotes(
    articles: Sequence[Article],
    *,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    original_of: Callable[[str], str] | None = None,
) -> QuoteAnalysis:
    """Extract every quotation of ``articles`` and group the renderings of each utterance.

    ``original_of`` (e.g. ``CopyAnalysis.original_of``) counts copies of one article as one
    rendering when judging alterations (see :func:`_build_cluster`).

    ``cache_dir`` (:func:`quotes_cache_dir`: per user, never in the corpus) keeps per-article
    extraction results by body hash and the last full analysis; ``progress(done, total)`` is called during extraction;
    ``cancelled()`` is polled and True raises :class:`QuotesCancelled`.
    The cyclic garbage collector is paused while it runs (the analysis builds hundreds of thousands
    of small acyclic objects, which otherwise makes the collector's cost grow with corpus size).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyse(articles, cache_dir, progress, cancelled, original_of)
    finally:
        if was_enabled:
            gc.enable()


def _analyse(
    articles: Sequence[Article],
    cache_dir: Path | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    original_of: Callable[[str], str] | None = None,
) -> QuoteAnalysis:
    t0, c0 = time.perf_counter(), time.process_time()
    warnings: list[str] = []
    hashes = [body_hash(a.body) for a in articles]
    digest = _analysis_digest(articles, hashes)
    if original_of is not None:  # the classes depend on which articles are copies
        digest = hashlib.sha1((digest + "|copies:" + "|".join(original_of(a.id) for a in articles)).encode()).hexdigest()
    extraction_cache: dict[str, Any] = {}
    if cache_dir is not None:
        cache_dir = Path(cache_dir)
        saved = _load_json(cache_dir / CACHE_FILE, warnings)
        if saved and saved.get("digest") == digest:
            try:
                return _analysis_from_cache(saved, articles, hashes, warnings)
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                warnings.append(f"quote cache unusable, rebuilt ({exc.__class__.__name__})")
        if saved and isinstance(saved.get("articles"), dict):
            extraction_cache = saved["articles"]

    quotes_by_article: dict[str, list[Quote]] = {}
    new_cache: dict[str, Any] = {}
    reused = 0
    total = len(articles)
    all_units: list[_Unit] = []
    for i, (art, bh) in enumerate(zip(articles, hashes)):
        if cancelled is not None and i % 64 == 0 and cancelled():
            raise QuotesCancelled()
        rows = extraction_cache.get(bh)
        quotes: list[Quote] | None = None
        if rows is not None:
            try:
                quotes = _rows_to_quotes(art.id, art.body, rows)
                reused += 1
            except (TypeError, ValueError, KeyError):
                quotes = None
        if quotes is None:
            try:
                quotes = extract_quotes(art.id, art.body, art.offsets if art.offsets.segments else None)
            except Exception as exc:  # noqa: BLE001 - one odd article must never stop the analysis
                warnings.append(f"{art.id}: quotes skipped ({exc.__class__.__name__}: {exc})")
                quotes = []
            rows = _quotes_to_rows(quotes) if cache_dir is not None else None
        if cache_dir is not None:
            new_cache[bh] = rows
        quotes_by_article[art.id] = quotes
        all_units.extend(_units_of(quotes, i))
        if progress is not None and (i % 200 == 0 or i + 1 == total):
            progress(i + 1, total)
    t1, c1 = time.perf_counter(), time.process_time()

    groups, stats = cluster_units(all_units, cancelled)
    t2, c2 = time.perf_counter(), time.process_time()
    clusters = [_build_cluster([all_units[i] for i in g], articles, original_of) for g in groups]
    clusters.sort(key=lambda c: (-len(c.articles), -len(c.variants), _date_key(c.first.date), c.first.order, c.first.start))
    scare = [q for qs in quotes_by_article.values() for q in qs if q.scare]
    t3, c3 = time.perf_counter(), time.process_time()
    stats.update(
        articles=total, extracted=total - reused, reused=reused,
        extract_s=round(t1 - t0, 3), cluster_s=round(t2 - t1, 3), build_s=round(t3 - t2, 3),
        extract_cpu_s=round(c1 - c0, 3), cluster_cpu_s=round(c2 - c1, 3), build_cpu_s=round(c3 - c2, 3),
    )
    analysis = QuoteAnalysis(
        quotes_total=sum(1 for qs in quotes_by_article.values() for q in qs),
        clusters=clusters, scare_quotes=scare, quotes_by_article=quotes_by_article,
        warnings=warnings, stats=stats,
    )
    if cache_dir is not None:
        _save_json(cache_dir / CACHE_FILE, _cache_dict(analysis, articles, new_cache, digest), warnings)
    return analysis


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
    quotes_by_article = {a.id: _rows_to_quotes(a.id, a.body, rows[h]) for a, h in zip(articles, hashes)}
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


def iter_pairs(cluster: QuoteCluster) -> Iterable[tuple[Variant, Variant]]:
    """Each variant paired with the canonical rendering's variant (for side-by-side diffs)."""
    base = max(cluster.variants, key=lambda v: (v.similarity, -v.order))
    for v in cluster.variants:
        if v is not base:
            yield base, v
