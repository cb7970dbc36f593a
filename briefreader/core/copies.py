"""Copies and stories: wire copy republished by many outlets, and articles that cover one event.

A *copy group* is one original article and the articles that republish most of its body (a new
headline, a trimmed ending, a local first paragraph, a changed word). An article that quotes a few
paragraphs of another is *partial reuse*, not a copy. A *story* holds copy groups and single
articles that cover the same event: they share distinctive quotations or distinctive names, within a
few days of each other. Every link says why it was made.

Near-linear: each article is reduced to a sample of its word 5-gram hashes (one in ``SAMPLE_MOD``),
candidate pairs come from an inverted index of those samples, and only the pairs found there are
compared. Paragraph-level details (added, cut, changed words) are computed for the copies only.
Pure: no I/O except the optional JSON cache, no UI.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import time
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from briefreader.core.model import Article

log = logging.getLogger(__name__)

CACHE_VERSION = "copies-1"
CACHE_FILE = "copies.json.z"
SHINGLE = 5  # words per shingle
SAMPLE_MOD = 4  # keep shingles whose hash is 0 modulo this (containment stays unbiased)
MAX_POSTINGS = 300  # a sampled shingle in more articles than this is a stock phrase, not evidence
MIN_SHARED = 4  # sampled shingles two articles must share before they are compared at all
# A copy: one side's text is at least COPY_MAJOR the other's and keeps COPY_MINOR of it, or it is
# nearly all the other's text (a trimmed copy: TRIMMED_MAJOR) and keeps at least TRIMMED_MINOR of it.
COPY_MAJOR = 0.7
COPY_MINOR = 0.5
TRIMMED_MAJOR = 0.9
TRIMMED_MINOR = 0.2
REUSE_MIN_WORDS = 25  # a reused paragraph holds at least this many words of the source ...
REUSE_PARAGRAPH = 0.7  # ... and this share of its text comes from the source
REUSE_MIN_SAMPLED = 10  # two articles sharing fewer sampled shingles (~40 words) reuse nothing
PARAGRAPH_MATCH = 0.5  # a paragraph matches one of the original when half of its shingles are there
MAX_CHANGES = 40  # word changes listed per copy
STORY_DAYS = 3  # articles of one story are at most this many days apart (when both are dated)
STORY_MIN_NAME_WEIGHT = 2.5  # summed idf of shared distinctive names needed to link two units
STORY_NAME_DF = 0.05  # a name in more than this share of units is too common to link a story ...
STORY_NAME_MIN_CAP = 10  # ... (but a name in up to this many always may link) ...
STORY_NAME_MAX_DF = 100  # ... and a name in more units than this never does
STORY_QUOTE_MAX_DF = 200  # a quotation in more units than this is a slogan, not a story's
NAMES_PER_UNIT = 40

Progress = Callable[[str, int, int], None]

_WORD_RE = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_QUOTE_RE = re.compile(r"[\"“”«»„]([^\"“”«»„\n]{20,600})[\"“”«»„]")
# Capitalised words, with the next ones when they are capitalised too ("Port of Linden"); the
# pattern starts with a character class, which the regex engine scans for quickly.
_NAME_RE = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:of\s+(?:the\s+)?|de\s+|von\s+|al-)?[A-Z][\w'’-]+)*")
_POSSESSIVE_RE = re.compile(r"['’]s$")
_PARAGRAPH_RE = re.compile(r"\n\s*\n|\n")
_NAME_STOP = frozenset(
    """a an the this that these those it its he she they we i you his her their our my your but and or
    if when while after before as at by for from in into of on to with without not no yes so yet mr mrs
    ms dr monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december today yesterday tomorrow there here what who why how
    where which however meanwhile also still according last first new""".split()
)


class CopiesCancelled(Exception):
    """Raised inside :func:`analyse_copies` when its ``cancelled`` callback says so."""


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(slots=True)
class WordChange:
    """Words of the original replaced (or dropped, or added) inside a paragraph both articles share."""

    before: str
    after: str
    paragraph: int  # index of the copy's paragraph


@dataclass(slots=True)
class Copy:
    """One article republishing the group's original."""

    article: str
    shared: float  # share of this copy's text that comes from the original
    kept: float  # share of the original's text this copy kept
    added: list[str] = field(default_factory=list)  # paragraphs the copy added
    added_at: list[int] = field(default_factory=list)  # their indexes among the copy's paragraphs
    cut: list[str] = field(default_factory=list)  # paragraphs of the original the copy left out
    changed: list[WordChange] = field(default_factory=list)
    retitled: bool = False  # the copy has another headline

    def summary(self) -> str:
        """One line: how this copy differs from its original."""
        parts = [f"shares {self.shared:.0%}"]
        if self.retitled:
            parts.append("new headline")
        if self.added:
            parts.append(f"{len(self.added)} paragraph{'s' * (len(self.added) != 1)} added")
        if self.cut:
            parts.append(f"{len(self.cut)} cut")
        if self.changed:
            parts.append(f"{len(self.changed)} word change{'s' * (len(self.changed) != 1)}")
        if len(parts) == 1:
            parts.append("same text")
        return ", ".join(parts)


@dataclass(slots=True)
class CopyGroup:
    """An original and its copies."""

    id: str
    original: str
    why_original: str
    copies: list[Copy]

    @property
    def members(self) -> list[str]:
        return [self.original] + [c.article for c in self.copies]

    def copy_of(self, article_id: str) -> Copy | None:
        for item in self.copies:
            if item.article == article_id:
                return item
        return None


@dataclass(slots=True)
class Reuse:
    """``article`` reuses ``paragraphs`` paragraphs of ``source`` without being a copy of it."""

    article: str
    source: str
    paragraphs: int
    shared: float  # share of ``article``'s text that comes from ``source``


@dataclass(slots=True)
class StoryLink:
    """Why two units (copy groups or single articles, named by an article id) are in one story."""

    a: str
    b: str
    quotations: list[str]  # shared quotations (first words)
    names: list[str]  # shared distinctive names

    def reason(self) -> str:
        bits = []
        if self.quotations:
            bits.append("same quotation " + "; ".join(f"“{q}”" for q in self.quotations[:2]))
        if self.names:
            bits.append("names " + ", ".join(self.names[:5]))
        return " and ".join(bits)


@dataclass(slots=True)
class Story:
    """Articles that cover one event: copy groups and single articles, with the links that joined them."""

    id: str
    articles: list[str]  # every member, copies included, in date order
    groups: list[str]  # ids of the copy groups in it
    links: list[StoryLink]
    first: str  # the earliest article
    label: str  # a few distinctive names shared by its members


@dataclass(slots=True)
class CopyAnalysis:
    """Copy groups, partial reuse and stories of a corpus, with look-ups by article."""

    groups: list[CopyGroup]
    reuses: list[Reuse]
    stories: list[Story]
    stats: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _group_by_article: dict[str, CopyGroup] = field(default_factory=dict, repr=False)
    _story_by_article: dict[str, Story] = field(default_factory=dict, repr=False)
    _groups_by_id: dict[str, CopyGroup] = field(default_factory=dict, repr=False)
    _stories_by_id: dict[str, Story] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._groups_by_id = {g.id: g for g in self.groups}
        self._stories_by_id = {s.id: s for s in self.stories}
        for group in self.groups:
            for member in group.members:
                self._group_by_article[member] = group
        for story in self.stories:
            for member in story.articles:
                self._story_by_article[member] = story

    def group_of(self, article_id: str) -> CopyGroup | None:
        """The copy group ``article_id`` belongs to (as original or copy), if any."""
        return self._group_by_article.get(article_id)

    def story_of(self, article_id: str) -> Story | None:
        return self._story_by_article.get(article_id)

    def group(self, group_id: str) -> CopyGroup | None:
        return self._groups_by_id.get(group_id)

    def story(self, story_id: str) -> Story | None:
        return self._stories_by_id.get(story_id)

    def original_of(self, article_id: str) -> str:
        """The article's original when it is a copy, else the article itself."""
        group = self.group_of(article_id)
        return group.original if group is not None else article_id

    def independent(self, article_ids: Iterable[str]) -> int:
        """How many of ``article_ids`` are independent: copies of one original count once."""
        return len({self.original_of(a) for a in article_ids})

    def to_json(self) -> dict[str, Any]:
        """The `copies --json` document."""
        return {
            "groups": [
                {"id": g.id, "original": g.original, "why_original": g.why_original,
                 "copies": [_copy_json(c) for c in g.copies]}
                for g in self.groups
            ],
            "reuses": [asdict(r) for r in self.reuses],
        }

    def stories_json(self) -> dict[str, Any]:
        """The `stories --json` document."""
        return {"stories": [_story_json(s) for s in self.stories]}


def _copy_json(item: Copy) -> dict[str, Any]:
    return {"article": item.article, "shared": round(item.shared, 3), "kept": round(item.kept, 3),
            "retitled": item.retitled, "added": item.added, "added_at": item.added_at, "cut": item.cut,
            "changed": [asdict(c) for c in item.changed], "summary": item.summary()}


def _story_json(story: Story) -> dict[str, Any]:
    return {"id": story.id, "label": story.label, "first": story.first, "articles": story.articles,
            "groups": story.groups,
            "links": [{"a": link.a, "b": link.b, "why": link.reason(), "quotations": link.quotations,
                       "names": link.names} for link in story.links]}


# ---------------------------------------------------------------------------------------------
# Text features


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


# ---------------------------------------------------------------------------------------------
# Copy detection


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


def _is_copy(a_in_b: float, b_in_a: float) -> bool:
    major, minor = max(a_in_b, b_in_a), min(a_in_b, b_in_a)
    return (major >= COPY_MAJOR and minor >= COPY_MINOR) or (major >= TRIMMED_MAJOR and minor >= TRIMMED_MINOR)


def _original_key(article: Article, words: int, lead_shared: float = 1.0) -> tuple[Any, ...]:
    """Sort key of the likeliest original: earliest full date, the agency's own, then among articles
    of one day the one whose opening the others repeat (a copy's local first paragraph is its own;
    a trimmed copy keeps the opening but is shorter), the longest."""
    date = _date_value(article.date)
    if date is None:  # undated: the agency's own, else the longest (as the analyst would guess)
        return (True, 0, not _agency_own(article), 0, -words, article.order)
    return (False, date, not _agency_own(article), -round(lead_shared * 10), -words, article.order)


LEAD_WORDS = 60  # the opening of an article, whose repetition by the others marks the original


def _lead_shared(bodies: list[str], vocab: _Vocabulary) -> list[float]:
    """For each member, the share of its opening's shingles that another member has too."""
    full: list[set[int]] = []
    leads: list[set[int]] = []
    for body in bodies:
        ids = list(map(vocab.__getitem__, _words(body)))
        full.append(set(_shingles(ids)))
        leads.append(set(_shingles(ids[:LEAD_WORDS])))
    seen: Counter[int] = Counter()
    for shingles in full:
        seen.update(shingles)
    return [sum(1 for h in lead if seen[h] > 1) / len(lead) if lead else 0.0 for lead in leads]


def _why_original(original: Article, members: list[Article]) -> str:
    dated = [m for m in members if _date_value(m.date) is not None]
    if _date_value(original.date) is not None and len(dated) > 1:
        if all(_date_value(m.date) == _date_value(original.date) for m in dated):
            return "agency's own" if _agency_own(original) else "longest of those published that day"
        return f"earliest ({original.date})"
    if _agency_own(original):
        return "agency's own"
    return "longest (dates unknown)"


def _paragraph_shingles(texts: list[str], vocab: _Vocabulary) -> list[set[int]]:
    return [set(_shingles(list(map(vocab.__getitem__, _words(t))))) for t in texts]


def _compare(original: Article, copy: Article, shared: float, kept: float, vocab: _Vocabulary) -> Copy:
    """What ``copy`` added, cut and changed against ``original``, paragraph by paragraph."""
    from briefreader.core.diffing import diff_words

    orig_paras = paragraphs(original.body)
    copy_paras = paragraphs(copy.body)
    orig_sets = _paragraph_shingles(orig_paras, vocab)
    copy_sets = _paragraph_shingles(copy_paras, vocab)
    where: dict[int, list[int]] = defaultdict(list)
    for j, shingles in enumerate(orig_sets):
        for h in shingles:
            where[h].append(j)
    matched_orig: set[int] = set()
    result = Copy(article=copy.id, shared=shared, kept=kept)
    result.retitled = bool(original.title and copy.title and _norm_name(original.title) != _norm_name(copy.title))
    for i, shingles in enumerate(copy_sets):
        votes: Counter[int] = Counter()
        for h in shingles:
            votes.update(where.get(h, ()))
        best, count = votes.most_common(1)[0] if votes else (-1, 0)
        if best < 0 or count < PARAGRAPH_MATCH * max(1, len(shingles)):
            if _norm_name(copy_paras[i]) not in {_norm_name(p) for p in orig_paras}:
                result.added.append(copy_paras[i])
                result.added_at.append(i)
            continue
        matched_orig.add(best)
        if orig_paras[best] != copy_paras[i] and len(result.changed) < MAX_CHANGES:
            for op in diff_words(orig_paras[best], copy_paras[i], ignore_punct=True, ignore_case=True):
                if op.tag == "equal":
                    continue
                result.changed.append(WordChange(op.a_text, op.b_text, i))
                if len(result.changed) >= MAX_CHANGES:
                    break
    result.cut = [p for j, p in enumerate(orig_paras) if j not in matched_orig]
    return result


class _ParagraphCache:
    """Each article's paragraph shingle sets (and their union), computed once when first needed."""

    def __init__(self, articles: Sequence[Article], vocab: _Vocabulary) -> None:
        self._articles = articles
        self._vocab = vocab
        self._sets: dict[int, tuple[list[tuple[int, set[int]]], set[int]]] = {}

    def get(self, index: int) -> tuple[list[tuple[int, set[int]]], set[int]]:
        """(words, shingles) per paragraph, and all the article's shingles."""
        if index not in self._sets:
            per_paragraph = []
            union: set[int] = set()
            for text in paragraphs(self._articles[index].body):
                ids = list(map(self._vocab.__getitem__, _words(text)))
                shingles = set(_shingles(ids))
                per_paragraph.append((len(ids), shingles))
                union |= shingles
            self._sets[index] = (per_paragraph, union)
        return self._sets[index]


def _reused_paragraphs(source: int, article: int, cache: _ParagraphCache) -> int:
    """Paragraphs of ``article`` (of at least REUSE_MIN_WORDS words) mostly found in ``source``."""
    _, source_shingles = cache.get(source)
    count = 0
    for words, shingles in cache.get(article)[0]:
        if words >= REUSE_MIN_WORDS and len(shingles & source_shingles) >= REUSE_PARAGRAPH * len(shingles):
            count += 1
    return count


def find_copies(
    articles: Sequence[Article],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[list[CopyGroup], list[Reuse], dict[str, Any]]:
    """Copy groups and partial reuse among ``articles`` (see the module docstring)."""
    started = time.perf_counter()
    vocab = _Vocabulary()
    total = len(articles)
    docs, keys = _sample_all(articles, vocab, progress, cancelled)
    sampled_at = time.perf_counter()
    pairs = _candidate_pairs(keys, cancelled)
    del keys
    paired_at = time.perf_counter()

    copy_edges: dict[int, dict[int, tuple[float, float]]] = defaultdict(dict)  # i -> j -> (i in j, j in i)
    reuse_pairs: list[tuple[int, int, int]] = []
    for (a, b), count in pairs.items():
        size_a, size_b = docs[a].sampled, docs[b].sampled
        if not size_a or not size_b:
            continue
        a_in_b, b_in_a = min(1.0, count / size_a), min(1.0, count / size_b)
        if _is_copy(a_in_b, b_in_a):
            copy_edges[a][b] = (a_in_b, b_in_a)
            copy_edges[b][a] = (b_in_a, a_in_b)
        else:
            reuse_pairs.append((a, b, count))

    # Star grouping: the best original candidate of each connected set takes its direct copies;
    # an article copied only from a copy joins that copy's group.
    order = sorted(copy_edges, key=lambda i: _original_key(articles[i], docs[i].words))
    group_of: dict[int, int] = {}
    members_of: dict[int, list[int]] = {}
    for i in order:
        if i in group_of:
            continue
        free = [j for j in copy_edges[i] if j not in group_of]
        if not free:
            continue
        group_of[i] = i
        members_of[i] = [i]
        for j in free:
            group_of[j] = i
            members_of[i].append(j)
    for i in order:
        if i in group_of:
            continue
        linked = [(copy_edges[i][j][0], j) for j in copy_edges[i] if j in group_of]
        if not linked:
            continue
        _, j = max(linked)
        # Only when it is a copy of that group's original too: a trimmed copy can sit wholly inside
        # an article that rewrote the rest of the original, which is no copy of it.
        root = group_of[j]
        sample, root_sample = _sample_of(articles[i].body, vocab)[0], _sample_of(articles[root].body, vocab)[0]
        shared = len(sample & root_sample)
        if sample and root_sample and _is_copy(shared / len(sample), shared / len(root_sample)):
            group_of[i] = root
            members_of[root].append(i)

    groups: list[CopyGroup] = []
    for members in members_of.values():
        member_articles = [articles[m] for m in members]
        samples = {m: _sample_of(articles[m].body, vocab)[0] for m in members}
        lead_shared = _lead_shared([articles[m].body for m in members], vocab)
        original_index = min(members, key=lambda m: _original_key(articles[m], docs[m].words,
                                                                  lead_shared[members.index(m)]))
        original = articles[original_index]
        copies: list[Copy] = []
        for m in members:
            if m == original_index:
                continue
            shared_count = len(samples[m] & samples[original_index])
            copy_share = shared_count / max(1, len(samples[m]))
            kept = shared_count / max(1, len(samples[original_index]))
            copies.append(_compare(original, articles[m], min(1.0, copy_share), min(1.0, kept), vocab))
        copies.sort(key=lambda c: (-c.shared, c.article))
        group_id = "g" + hashlib.sha1(original.id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        groups.append(CopyGroup(group_id, original.id, _why_original(original, member_articles), copies))
    groups.sort(key=lambda g: (-len(g.copies), g.original))

    reuses: list[Reuse] = []
    paragraph_cache = _ParagraphCache(articles, vocab)
    for a, b, count in reuse_pairs:
        if count < REUSE_MIN_SAMPLED or group_of.get(a) is not None and group_of.get(a) == group_of.get(b):
            continue
        # The reuser is the later (or shorter) one; the source is the other.
        first, second = sorted((a, b), key=lambda i: _original_key(articles[i], docs[i].words))
        reused = _reused_paragraphs(first, second, paragraph_cache)
        if reused:
            reuse_share = min(1.0, count / max(1, docs[second].sampled))
            reuses.append(Reuse(articles[second].id, articles[first].id, reused, round(reuse_share, 3)))
    reuses.sort(key=lambda r: (-r.paragraphs, r.article, r.source))

    done_at = time.perf_counter()
    stats = {"articles": total, "candidate_pairs": len(pairs), "groups": len(groups),
             "copies": sum(len(g.copies) for g in groups), "reuses": len(reuses),
             "sample_s": round(sampled_at - started, 3), "pairs_s": round(paired_at - sampled_at, 3),
             "compare_s": round(done_at - paired_at, 3)}
    return groups, reuses, stats


# ---------------------------------------------------------------------------------------------
# Stories


def _names(body: str) -> Counter[str]:
    """Capitalised names mentioned in ``body``: runs of two or more capitalised words, or one
    capitalised word inside a sentence (a lone capital at a sentence start is an ordinary word)."""
    found: Counter[str] = Counter()
    for match in _NAME_RE.finditer(body):
        start = match.start()
        if start and body[start - 1].isalnum():  # "iPhone": not a name's start
            continue
        words = match.group().split()
        if len(words) == 1:
            before = body[max(0, start - 3):start].rstrip(" \t\"“‘'(")
            if not before or before[-1] in ".!?:\n":
                continue
        while words and words[0].casefold() in _NAME_STOP:
            words = words[1:]
        if not words:
            continue
        words[-1] = _POSSESSIVE_RE.sub("", words[-1])
        name = " ".join(words)
        if len(name) >= 3 and not (name.isupper() and len(name) > 12):
            found[name] += 1
    return found


def _quotation_keys(body: str, vocab: _Vocabulary) -> set[int]:
    """Hashes of word 6-grams inside quotation marks: shared ones mean a shared quotation."""
    keys: set[int] = set()
    for match in _QUOTE_RE.finditer(body):
        ids = list(map(vocab.__getitem__, _words(match.group(1))))
        if len(ids) >= 6:
            keys.update(map(hash, zip(*(ids[k:] for k in range(6)), strict=False)))
    return keys


def _first_quoted_words(body: str, keys: set[int], vocab: _Vocabulary) -> str | None:
    """The first words of the quotation in ``body`` that holds one of the sampled ``keys``."""
    for match in _QUOTE_RE.finditer(body):
        ids = list(map(vocab.__getitem__, _words(match.group(1))))
        hashes = set(map(hash, zip(*(ids[k:] for k in range(6)), strict=False)))
        if any((h // SAMPLE_MOD & _SHINGLE_MASK) * SAMPLE_MOD in keys for h in hashes if h % SAMPLE_MOD == 0):
            shown = match.group(1).split()
            return " ".join(shown[:8]) + (" …" if len(shown) > 8 else "")
    return None


def _runs(keys: array[int]) -> Iterable[tuple[int, list[int]]]:
    """(key, unit indexes) for each distinct key of packed (key, index) values."""
    doc_mask = (1 << _DOC_BITS) - 1
    for key, run in groupby(sorted(keys), key=lambda packed: packed >> _DOC_BITS):
        yield key, [packed & doc_mask for packed in run]


def find_stories(
    articles: Sequence[Article],
    groups: Sequence[CopyGroup],
    *,
    cancelled: Callable[[], bool] | None = None,
) -> list[Story]:
    """Stories: units (a copy group, or an article in none) linked by shared quotations or names."""
    by_id = {a.id: a for a in articles}
    unit_of: dict[str, str] = {}
    units: dict[str, list[str]] = {}
    for group in groups:
        units[group.original] = group.members
        for member in group.members:
            unit_of[member] = group.original
    for article in articles:
        if article.id not in unit_of:
            unit_of[article.id] = article.id
            units[article.id] = [article.id]
    unit_ids = list(units)
    vocab = _Vocabulary()
    name_ids: dict[str, int] = {}
    name_keys: array[int] = array("q")  # packed (name id, unit index)
    quote_keys: array[int] = array("q")  # packed (sampled quotation shingle, unit index)
    dates: dict[str, list[int]] = {}
    for n, unit in enumerate(unit_ids):
        if cancelled is not None and n % 256 == 0 and cancelled():
            raise CopiesCancelled()
        lead = by_id[unit]
        for name, _ in _names(lead.body).most_common(NAMES_PER_UNIT):
            name_keys.append((name_ids.setdefault(name, len(name_ids)) << _DOC_BITS) | n)
        quote_keys.extend((((h // SAMPLE_MOD) & _SHINGLE_MASK) << _DOC_BITS) | n
                          for h in _quotation_keys(lead.body, vocab) if h % SAMPLE_MOD == 0)
        dates[unit] = [d for d in (_date_value(by_id[m].date) for m in units[unit]) if d is not None]
    names_by_id = {i: name for name, i in name_ids.items()}

    count = max(1, len(unit_ids))
    name_cap = max(STORY_NAME_MIN_CAP, min(STORY_NAME_MAX_DF, int(STORY_NAME_DF * count)))
    weight: dict[tuple[str, str], float] = defaultdict(float)
    shared_names: dict[tuple[str, str], list[str]] = defaultdict(list)
    name_df: dict[str, int] = {}
    for name_id, members in _runs(name_keys):
        name = names_by_id[name_id]
        name_df[name] = len(members)
        if not 2 <= len(members) <= name_cap:
            continue
        idf = math.log(count / len(members))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (unit_ids[a], unit_ids[b]) if unit_ids[a] < unit_ids[b] else (unit_ids[b], unit_ids[a])
                weight[pair] += idf
                shared_names[pair].append(name)
    shared_quotes: dict[tuple[str, str], set[int]] = defaultdict(set)
    for key, members in _runs(quote_keys):
        if not 2 <= len(members) <= STORY_QUOTE_MAX_DF:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (unit_ids[a], unit_ids[b]) if unit_ids[a] < unit_ids[b] else (unit_ids[b], unit_ids[a])
                shared_quotes[pair].add(key * SAMPLE_MOD)
    del name_keys, quote_keys

    def close_in_time(a: str, b: str) -> bool:
        if not dates[a] or not dates[b]:
            return True
        return min(abs(x - y) for x in dates[a] for y in dates[b]) <= STORY_DAYS

    parent = {u: u for u in unit_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links: list[StoryLink] = []
    for pair in sorted(set(weight) | set(shared_quotes)):
        unit_a, unit_b = pair
        quoted = shared_quotes.get(pair, set())
        # One shared sampled 6-gram may be a stock phrase: a quotation links with two, or with a name.
        if len(quoted) < 2 and not shared_names.get(pair):
            quoted = set()
        strong_names = weight.get(pair, 0.0) >= STORY_MIN_NAME_WEIGHT and len(shared_names[pair]) >= 2
        if not (quoted or strong_names) or not close_in_time(unit_a, unit_b):
            continue
        names_here = sorted(shared_names.get(pair, []), key=lambda n: (name_df[n], n))
        quote_text = _first_quoted_words(by_id[unit_a].body, quoted, vocab) if quoted else None
        links.append(StoryLink(unit_a, unit_b, [quote_text] if quote_text else [], names_here[:8]))
        parent[find(unit_a)] = find(unit_b)

    members_by_root: dict[str, list[str]] = defaultdict(list)
    for unit in unit_ids:
        members_by_root[find(unit)].append(unit)
    links_by_root: dict[str, list[StoryLink]] = defaultdict(list)
    for link in links:
        links_by_root[find(link.a)].append(link)

    stories: list[Story] = []
    group_ids = {g.original: g.id for g in groups}
    for root, story_units in members_by_root.items():
        if len(story_units) < 2:
            continue
        articles_in = [m for unit in story_units for m in units[unit]]
        articles_in.sort(key=lambda m: _timeline_key(by_id[m]))
        label_names: Counter[str] = Counter()
        for link in links_by_root[root]:
            label_names.update(link.names[:3])
        label = ", ".join(n for n, _ in label_names.most_common(3)) or "shared quotation"
        story_id = "s" + hashlib.sha1("\n".join(sorted(articles_in)).encode("utf-8", "surrogatepass")).hexdigest()[:8]
        stories.append(Story(story_id, articles_in, [group_ids[u] for u in story_units if u in group_ids],
                             links_by_root[root], articles_in[0], label))
    stories.sort(key=lambda s: (-len(s.articles), s.first))
    return stories


def _timeline_key(article: Article) -> tuple[Any, ...]:
    date = _date_value(article.date)
    return (date is None, date or 0, article.order)


# ---------------------------------------------------------------------------------------------
# Timelines


@dataclass(slots=True)
class TimelineEntry:
    """One article in publication order: when, who, and what it is (original, copy, ...)."""

    article: str
    date: str | None
    outlet: str | None
    title: str | None
    role: str  # "original", "copy of <id>", "article", "rendering"
    note: str = ""


def timeline(articles: Sequence[Article], ids: Iterable[str],
             analysis: CopyAnalysis | None = None) -> list[TimelineEntry]:
    """``ids`` in publication order (undated last), each with its role in its copy group."""
    by_id = {a.id: a for a in articles}
    entries = []
    for article_id in dict.fromkeys(ids):
        article = by_id.get(article_id)
        if article is None:
            continue
        role, note = "article", ""
        group = analysis.group_of(article_id) if analysis is not None else None
        if group is not None:
            if group.original == article_id:
                role = f"original of {len(group.copies)} cop{'y' if len(group.copies) == 1 else 'ies'}"
            else:
                copy = group.copy_of(article_id)
                role = f"copy of {group.original}"
                note = copy.summary() if copy is not None else ""
        entries.append(TimelineEntry(article_id, article.date, article.outlet, article.title, role, note))
    entries.sort(key=lambda e: _timeline_key(by_id[e.article]))
    return entries


# ---------------------------------------------------------------------------------------------
# Entry point with cache


def copies_digest(articles: Sequence[Article]) -> str:
    """What the analysis depends on: ids, bodies, titles, outlets, dates and order."""
    from briefreader.core.quote_clusters import body_hash

    digest = hashlib.sha1(CACHE_VERSION.encode())
    for article in articles:
        digest.update("\0".join([article.id, body_hash(article.body), article.title or "", article.outlet or "",
                                 article.date or "", str(getattr(article, "source_agency", "") or "")]).encode(
            "utf-8", "surrogatepass"))
        digest.update(b"\1")
    return digest.hexdigest()


def copies_cache_dir(root: Path) -> Path | None:
    """Where the copy analysis of the corpus at ``root`` is cached (None when no folder is writable)."""
    from briefreader.core.paths import state_dir

    try:
        folder, _ = state_dir(root, kind="cache")
    except OSError as exc:
        log.warning("no folder for the copies cache: %s", exc)
        return None
    return folder


def analyse_copies(
    articles: Sequence[Article],
    *,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CopyAnalysis:
    """Copy groups, partial reuse and stories of ``articles``, from the cache when nothing changed."""
    started = time.perf_counter()
    warnings: list[str] = []
    digest = copies_digest(articles)
    if cache_dir is not None:
        cached = _load_cache(Path(cache_dir) / CACHE_FILE, digest, warnings)
        if cached is not None:
            cached.stats["cached"] = True
            cached.stats["total_s"] = round(time.perf_counter() - started, 3)
            return cached
    groups, reuses, stats = find_copies(articles, progress=progress, cancelled=cancelled)
    story_started = time.perf_counter()
    stories = find_stories(articles, groups, cancelled=cancelled)
    stats["stories"] = len(stories)
    stats["stories_s"] = round(time.perf_counter() - story_started, 3)
    stats["total_s"] = round(time.perf_counter() - started, 3)
    stats["cached"] = False
    analysis = CopyAnalysis(groups, reuses, stories, stats, warnings)
    if cache_dir is not None:
        _save_cache(Path(cache_dir) / CACHE_FILE, digest, analysis, warnings)
    return analysis


def _save_cache(path: Path, digest: str, analysis: CopyAnalysis, warnings: list[str]) -> None:
    from briefreader.core.paths import atomic_write_bytes

    data = {"version": CACHE_VERSION, "digest": digest, "copies": analysis.to_json(),
            "stories": analysis.stories_json()["stories"], "stats": analysis.stats}
    try:
        atomic_write_bytes(path, zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 3))
    except OSError as exc:
        log.warning("copies cache not saved: %s", exc)
        warnings.append(f"copies cache not saved: {exc}")


def _load_cache(path: Path, digest: str, warnings: list[str]) -> CopyAnalysis | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("copies cache unreadable: %s", exc)
        return None
    try:
        data = json.loads(zlib.decompress(raw))
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or data.get("digest") != digest:
            return None
        groups = [
            CopyGroup(g["id"], g["original"], g["why_original"],
                      [Copy(c["article"], c["shared"], c["kept"], c["added"], c["added_at"], c["cut"],
                            [WordChange(**w) for w in c["changed"]], c["retitled"]) for c in g["copies"]])
            for g in data["copies"]["groups"]
        ]
        reuses = [Reuse(**r) for r in data["copies"]["reuses"]]
        stories = [
            Story(s["id"], s["articles"], s["groups"],
                  [StoryLink(link["a"], link["b"], link["quotations"], link["names"]) for link in s["links"]],
                  s["first"], s["label"])
            for s in data["stories"]
        ]
        return CopyAnalysis(groups, reuses, stories, dict(data.get("stats") or {}), warnings)
    except (ValueError, KeyError, TypeError, zlib.error) as exc:
        log.warning("copies cache %s is corrupt (%s); rebuilt", path, exc)
        warnings.append("copies cache was corrupt; rebuilt")
        return None


# ---------------------------------------------------------------------------------------------
# What a reader shows: a copy's changes, and the list threaded by copy group or story


@dataclass(slots=True)
class ChangeBlock:
    """One block of a copy's changes view: ``kind`` is added | changed | same | cut.

    ``changes`` (for ``changed``) are (start, end, was) spans in ``text``: the words the copy has
    where the original had ``was`` (an empty span at a position when the copy dropped words).
    ``count`` (for ``same``) is how many paragraphs read as in the original.
    """

    kind: str
    text: str = ""
    changes: list[tuple[int, int, str]] = field(default_factory=list)
    count: int = 0


def copy_changes(copy_article: Article, item: Copy) -> list[ChangeBlock]:
    """The copy's paragraphs as blocks: added ones, changed ones (words marked), runs of unchanged
    ones counted, and the original's paragraphs it cut, listed at the end."""
    added = set(item.added_at)
    changed_at: dict[int, list[WordChange]] = defaultdict(list)
    for change in item.changed:
        changed_at[change.paragraph].append(change)
    blocks: list[ChangeBlock] = []
    for index, text in enumerate(paragraphs(copy_article.body)):
        if index in added:
            blocks.append(ChangeBlock("added", text))
        elif index in changed_at:
            spans: list[tuple[int, int, str]] = []
            pos = 0
            for change in changed_at[index]:
                where = text.find(change.after, pos) if change.after else -1
                if where < 0:
                    spans.append((pos, pos, change.before))
                    continue
                spans.append((where, where + len(change.after), change.before))
                pos = where + len(change.after)
            blocks.append(ChangeBlock("changed", text, spans))
        elif blocks and blocks[-1].kind == "same":
            blocks[-1].count += 1
        else:
            blocks.append(ChangeBlock("same", count=1))
    blocks.extend(ChangeBlock("cut", text) for text in item.cut)
    return blocks


@dataclass(slots=True)
class ListRow:
    """One row of the threaded article list: the article, its depth (0 or 1) and a marker."""

    article_id: str
    depth: int
    hidden: int = 0  # copies folded under this row
    copies: int = 0  # copies this original has (shown or not)
    story: str = ""  # the story label on the first row of a story (story mode)


def threaded_rows(
    ordered_ids: Sequence[str],
    analysis: CopyAnalysis,
    *,
    collapsed: bool,
    expanded: set[str] | frozenset[str] = frozenset(),
) -> list[ListRow]:
    """``ordered_ids`` (already sorted) with each copy right under its original.

    An original takes the place of its first member in the order; its copies follow it (all of
    them, or none when ``collapsed`` and the original is not in ``expanded``). A copy whose original
    is not in ``ordered_ids`` (a search hit) stays where it is.
    """
    position = {article_id: i for i, article_id in enumerate(ordered_ids)}
    present = set(position)
    rows: list[ListRow] = []
    placed: set[str] = set()
    for article_id in ordered_ids:
        if article_id in placed:
            continue
        group = analysis.group_of(article_id)
        if group is None or group.original not in present:
            rows.append(ListRow(article_id, 0))
            placed.add(article_id)
            continue
        members = sorted((c.article for c in group.copies if c.article in present), key=position.__getitem__)
        folded = collapsed and group.original not in expanded
        rows.append(ListRow(group.original, 0, hidden=len(members) if folded else 0, copies=len(members)))
        placed.add(group.original)
        placed.update(members)
        if not folded:
            rows.extend(ListRow(member, 1) for member in members)
    return rows


def story_order(ordered_ids: Sequence[str], analysis: CopyAnalysis) -> list[tuple[str, str]]:
    """``ordered_ids`` grouped by story: (article id, story label on the first row of a story, else "").

    Stories come in the order their first member appears in ``ordered_ids``; articles in no story
    keep their place after the stories."""
    seen: dict[str, list[str]] = {}
    loose: list[str] = []
    for article_id in ordered_ids:
        story = analysis.story_of(article_id)
        if story is None:
            loose.append(article_id)
        else:
            seen.setdefault(story.id, []).append(article_id)
    out: list[tuple[str, str]] = []
    for story_id, members in seen.items():
        story = analysis.story(story_id)
        label = story.label if story is not None else ""
        out.extend((member, label if i == 0 else "") for i, member in enumerate(members))
    out.extend((article_id, "") for article_id in loose)
    return out


def annotate_quotes_json(data: dict[str, Any], analysis: CopyAnalysis) -> dict[str, Any]:
    """Add copy facts to a `quotes --json` document: each rendering's ``copy_of`` (the original it
    republishes, or None) and each group's ``independent_articles`` (originals, copies counted once)."""
    for cluster in data.get("clusters", []):
        variants = cluster.get("variants", [])
        for variant in variants:
            original = analysis.original_of(variant["article"])
            variant["copy_of"] = original if original != variant["article"] else None
        cluster["independent_articles"] = analysis.independent(v["article"] for v in variants)
    return data


ISOLATE_MIN_ARTICLES = 2000  # from this size the reader analyses in a child process (no GIL held)


def _copies_child(root: str, follow_links: bool, reporter: Callable[..., None]) -> str:
    """In a spawned child: load the corpus (from the record cache), analyse and cache its copies;
    return the digest of what was analysed."""
    from briefreader.core.corpus import load_corpus

    corpus = load_corpus(Path(root), follow_links=follow_links)
    analyse_copies(corpus.articles, cache_dir=copies_cache_dir(corpus.root), progress=reporter)
    return copies_digest(corpus.articles)


def analyse_copies_isolated(
    root: Path,
    articles: Sequence[Article],
    *,
    follow_links: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    isolate_from: int = ISOLATE_MIN_ARTICLES,
) -> CopyAnalysis | None:
    """:func:`analyse_copies` for the reader: a big corpus is analysed in a spawned child process
    that fills the cache, which is then read here if the child saw the same corpus (same digest);
    otherwise, or if the child fails, the analysis runs here. None if cancelled."""
    from briefreader.core.isolated import ChildFailed, run_isolated

    cache_dir = copies_cache_dir(root)
    if cache_dir is not None and len(articles) >= isolate_from:
        digest = copies_digest(articles)
        cached = _load_cache(cache_dir / CACHE_FILE, digest, [])
        if cached is not None:
            cached.stats["cached"] = True
            return cached
        try:
            finished, child_digest = run_isolated(_copies_child, (str(root), follow_links), name="briefreader-copies",
                                                  cancelled=cancelled, progress=progress)
            if not finished:
                return None
            if child_digest == digest:
                return analyse_copies(articles, cache_dir=cache_dir)  # what the child just cached
            log.info("the corpus changed while its copies were analysed; analysing in this process")
        except ChildFailed as exc:
            log.warning("copy analysis in a child process failed (%s); analysing in this process", exc)
    try:
        return analyse_copies(articles, cache_dir=cache_dir, progress=progress, cancelled=cancelled)
    except CopiesCancelled:
        return None
