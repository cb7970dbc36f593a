"""Copies and stories: wire copy republished by many outlets, and articles that cover one event.

A *copy group* is one original article and the articles that republish most of its body (a new
headline, a trimmed ending, a local first paragraph, a changed word). An article that quotes a few
paragraphs of another is *partial reuse*, not a copy. A *story* holds copy groups and single
articles that cover the same event: they share distinctive quotations or distinctive names, within a
few days of each other. Every link says why it was made.

Near-linear: each article is reduced to a sample of its word 5-gram hashes (one in ``SAMPLE_MOD``),
candidate pairs come from an inverted index of those samples, and only the pairs found there are
compared. Paragraph-level details (added, cut, changed words) are computed for the copies only.
Pure: no I/O, no UI (the cache is ``storage/copies_cache.py``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefreader.core.copies_model import (
    CopiesCancelled,
    Copy,
    CopyAnalysis,
    CopyGroup,
    Progress,
    Reuse,
    Story,
    StoryLink,
    WordChange,
)
from briefreader.core.copies_text import (
    MAX_POSTINGS,
    MIN_SHARED,
    SAMPLE_MOD,
    SHINGLE,
    _agency_own,
    _candidate_pairs,
    _date_value,
    _norm_name,
    _sample_all,
    _sample_of,
    _shingles,
    _Vocabulary,
    _words,
    paragraphs,
)
from briefreader.core.copies_views import ListRow, TimelineEntry, story_order, threaded_rows, timeline
from briefreader.core.model import Article
from briefreader.core.stories import (
    NAMES_PER_UNIT,
    STORY_DAYS,
    STORY_MIN_NAME_WEIGHT,
    STORY_NAME_DF,
    STORY_NAME_MAX_DF,
    STORY_NAME_MIN_CAP,
    STORY_QUOTE_MAX_DF,
    find_stories,
)

__all__ = [
    "CACHE_VERSION", "ChangeBlock", "CopiesCancelled", "Copy", "CopyAnalysis", "CopyGroup", "ListRow",
    "MAX_POSTINGS", "MIN_SHARED", "NAMES_PER_UNIT", "Progress", "Reuse", "SAMPLE_MOD", "SHINGLE", "STORY_DAYS",
    "STORY_MIN_NAME_WEIGHT", "STORY_NAME_DF", "STORY_NAME_MAX_DF", "STORY_NAME_MIN_CAP", "STORY_QUOTE_MAX_DF", "Story",
    "StoryLink", "TimelineEntry", "WordChange", "analyse_copies", "annotate_quotes_json",
    "copies_digest", "copy_changes", "find_copies", "find_stories", "paragraphs", "story_order",
    "threaded_rows", "timeline",
]

log = logging.getLogger(__name__)

CACHE_VERSION = "copies-1"
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


# ---------------------------------------------------------------------------------------------
# Copy detection


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


def analyse_copies(
    articles: Sequence[Article],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CopyAnalysis:
    """Copy groups, partial reuse and stories of ``articles`` (the cache is storage's:
    ``storage.copies_cache.analyse_copies_cached``). Raises CopiesCancelled."""
    started = time.perf_counter()
    groups, reuses, stats = find_copies(articles, progress=progress, cancelled=cancelled)
    story_started = time.perf_counter()
    stories = find_stories(articles, groups, cancelled=cancelled)
    stats["stories"] = len(stories)
    stats["stories_s"] = round(time.perf_counter() - story_started, 3)
    stats["total_s"] = round(time.perf_counter() - started, 3)
    stats["cached"] = False
    return CopyAnalysis(groups, reuses, stories, stats, [])


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
