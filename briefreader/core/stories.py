"""Stories: copy groups and single articles that cover one event, linked by shared distinctive
quotations or names within a few days (see ``briefreader.core.copies``)."""

from __future__ import annotations

import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from briefreader.core.copies_model import CopiesCancelled, CopyGroup, Story, StoryLink
from briefreader.core.copies_text import (
    _DOC_BITS,
    _SHINGLE_MASK,
    SAMPLE_MOD,
    _date_value,
    _runs,
    _timeline_key,
    _Vocabulary,
    _words,
)
from briefreader.core.model import Article

STORY_DAYS = 3  # articles of one story are at most this many days apart (when both are dated)
STORY_MIN_NAME_WEIGHT = 2.5  # summed idf of shared distinctive names needed to link two units
STORY_NAME_DF = 0.05  # a name in more than this share of units is too common to link a story ...
STORY_NAME_MIN_CAP = 10  # ... (but a name in up to this many always may link) ...
STORY_NAME_MAX_DF = 100  # ... and a name in more units than this never does
STORY_QUOTE_MAX_DF = 200  # a quotation in more units than this is a slogan, not a story's
NAMES_PER_UNIT = 40

_QUOTE_RE = re.compile(r"[\"“”«»„]([^\"“”«»„\n]{20,600})[\"“”«»„]")
# Capitalised words, with the next ones when they are capitalised too ("Port of Linden"); the
# pattern starts with a character class, which the regex engine scans for quickly.
_NAME_RE = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:of\s+(?:the\s+)?|de\s+|von\s+|al-)?[A-Z][\w'’-]+)*")
_POSSESSIVE_RE = re.compile(r"['’]s$")
_NAME_STOP = frozenset([
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "his",
    "her", "their", "our", "my", "your", "but", "and", "or", "if", "when", "while", "after", "before", "as", "at",
    "by", "for", "from", "in", "into", "of", "on", "to", "with", "without", "not", "no", "yes", "so", "yet", "mr",
    "mrs", "ms", "dr", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "today", "yesterday", "tomorrow", "there", "here", "what", "who", "why", "how", "where", "which", "however",
    "meanwhile", "also", "still", "according", "last", "first", "new",
])


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


Pair = tuple[str, str]


def _units(articles: Sequence[Article], groups: Sequence[CopyGroup]) -> dict[str, list[str]]:
    """The units a story is made of, by their lead article: each copy group (led by its original)
    and each article in no group, with their member articles."""
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
    return units


@dataclass(slots=True)
class _UnitKeys:
    """Per unit: its names and sampled quotation shingles packed with the unit's index, its dates."""

    name_keys: array[int] = field(default_factory=lambda: array("q"))  # packed (name id, unit index)
    quote_keys: array[int] = field(default_factory=lambda: array("q"))  # packed (quotation shingle, unit index)
    names_by_id: dict[int, str] = field(default_factory=dict)
    dates: dict[str, list[int]] = field(default_factory=dict)


def _unit_keys(unit_ids: list[str], units: dict[str, list[str]], by_id: dict[str, Article], vocab: _Vocabulary,
               cancelled: Callable[[], bool] | None) -> _UnitKeys:
    """The names and quotations of each unit's lead article, and the dates of all its members."""
    keys = _UnitKeys()
    name_keys, quote_keys, dates = keys.name_keys, keys.quote_keys, keys.dates
    name_ids: dict[str, int] = {}
    for n, unit in enumerate(unit_ids):
        if cancelled is not None and n % 256 == 0 and cancelled():
            raise CopiesCancelled()
        lead = by_id[unit]
        for name, _ in _names(lead.body).most_common(NAMES_PER_UNIT):
            name_keys.append((name_ids.setdefault(name, len(name_ids)) << _DOC_BITS) | n)
        quote_keys.extend((((h // SAMPLE_MOD) & _SHINGLE_MASK) << _DOC_BITS) | n
                          for h in _quotation_keys(lead.body, vocab) if h % SAMPLE_MOD == 0)
        dates[unit] = [d for d in (_date_value(by_id[m].date) for m in units[unit]) if d is not None]
    keys.names_by_id = {i: name for name, i in name_ids.items()}
    return keys


def _shared_names(keys: _UnitKeys, unit_ids: list[str]) -> tuple[dict[Pair, float], dict[Pair, list[str]],
                                                                 dict[str, int]]:
    """Per pair of units: the summed idf of the distinctive names they share, and those names;
    and how many units name each name."""
    count = max(1, len(unit_ids))
    name_cap = max(STORY_NAME_MIN_CAP, min(STORY_NAME_MAX_DF, int(STORY_NAME_DF * count)))
    weight: dict[Pair, float] = defaultdict(float)
    shared: dict[Pair, list[str]] = defaultdict(list)
    name_df: dict[str, int] = {}
    for name_id, members in _runs(keys.name_keys):
        name = keys.names_by_id[name_id]
        name_df[name] = len(members)
        if not 2 <= len(members) <= name_cap:
            continue
        idf = math.log(count / len(members))
        for i, a in enumerate(members):
            for b in members[i + 1:]:  # the pair in sorted order (inline: this loop is hot)
                pair = (unit_ids[a], unit_ids[b]) if unit_ids[a] < unit_ids[b] else (unit_ids[b], unit_ids[a])
                weight[pair] += idf
                shared[pair].append(name)
    return weight, shared, name_df


def _shared_quotes(keys: _UnitKeys, unit_ids: list[str]) -> dict[Pair, set[int]]:
    """Per pair of units: the sampled quotation shingles they share (not slogans)."""
    shared: dict[Pair, set[int]] = defaultdict(set)
    for key, members in _runs(keys.quote_keys):
        if not 2 <= len(members) <= STORY_QUOTE_MAX_DF:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (unit_ids[a], unit_ids[b]) if unit_ids[a] < unit_ids[b] else (unit_ids[b], unit_ids[a])
                shared[pair].add(key * SAMPLE_MOD)
    return shared


class _UnionFind:
    """Units joined into stories."""

    def __init__(self, items: list[str]) -> None:
        self.parent = {u: u for u in items}

    def find(self, x: str) -> str:
        """The root of ``x``'s set (paths halved on the way)."""
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        """Put ``a`` and ``b`` in one set."""
        self.parent[self.find(a)] = self.find(b)


def _close_in_time(dates: dict[str, list[int]], a: str, b: str) -> bool:
    """Whether two units were published within ``STORY_DAYS`` (undated units always are)."""
    if not dates[a] or not dates[b]:
        return True
    return min(abs(x - y) for x in dates[a] for y in dates[b]) <= STORY_DAYS


def _story_links(keys: _UnitKeys, unit_ids: list[str], by_id: dict[str, Article], vocab: _Vocabulary,
                 joined: _UnionFind) -> list[StoryLink]:
    """The links between units (a shared quotation or strong shared names, close in time), each
    joining its two units in ``joined``."""
    weight, shared_names, name_df = _shared_names(keys, unit_ids)
    shared_quotes = _shared_quotes(keys, unit_ids)
    links: list[StoryLink] = []
    for pair in sorted(set(weight) | set(shared_quotes)):
        unit_a, unit_b = pair
        quoted = shared_quotes.get(pair, set())
        # One shared sampled 6-gram may be a stock phrase: a quotation links with two, or with a name.
        if len(quoted) < 2 and not shared_names.get(pair):
            quoted = set()
        strong_names = weight.get(pair, 0.0) >= STORY_MIN_NAME_WEIGHT and len(shared_names[pair]) >= 2
        if not (quoted or strong_names) or not _close_in_time(keys.dates, unit_a, unit_b):
            continue
        names_here = sorted(shared_names.get(pair, []), key=lambda n: (name_df[n], n))
        quote_text = _first_quoted_words(by_id[unit_a].body, quoted, vocab) if quoted else None
        links.append(StoryLink(unit_a, unit_b, [quote_text] if quote_text else [], names_here[:8]))
        joined.join(unit_a, unit_b)
    return links


def _story(story_units: list[str], units: dict[str, list[str]], links: list[StoryLink], by_id: dict[str, Article],
           group_ids: dict[str, str]) -> Story:
    """One story of the joined units: members in date order, labelled by the names its links share most."""
    articles_in = [m for unit in story_units for m in units[unit]]
    articles_in.sort(key=lambda m: _timeline_key(by_id[m]))
    label_names: Counter[str] = Counter()
    for link in links:
        label_names.update(link.names[:3])
    label = ", ".join(n for n, _ in label_names.most_common(3)) or "shared quotation"
    story_id = "s" + hashlib.sha1("\n".join(sorted(articles_in)).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return Story(story_id, articles_in, [group_ids[u] for u in story_units if u in group_ids], links,
                 articles_in[0], label)


def find_stories(
    articles: Sequence[Article],
    groups: Sequence[CopyGroup],
    *,
    cancelled: Callable[[], bool] | None = None,
) -> list[Story]:
    """Stories: units (a copy group, or an article in none) linked by shared quotations or names."""
    by_id = {a.id: a for a in articles}
    units = _units(articles, groups)
    unit_ids = list(units)
    vocab = _Vocabulary()
    keys = _unit_keys(unit_ids, units, by_id, vocab, cancelled)
    joined = _UnionFind(unit_ids)
    links = _story_links(keys, unit_ids, by_id, vocab, joined)
    del keys

    members_by_root: dict[str, list[str]] = defaultdict(list)
    for unit in unit_ids:
        members_by_root[joined.find(unit)].append(unit)
    links_by_root: dict[str, list[StoryLink]] = defaultdict(list)
    for link in links:
        links_by_root[joined.find(link.a)].append(link)
    group_ids = {g.original: g.id for g in groups}
    stories = [_story(story_units, units, links_by_root[root], by_id, group_ids)
               for root, story_units in members_by_root.items() if len(story_units) >= 2]
    stories.sort(key=lambda s: (-len(s.articles), s.first))
    return stories
