"""Grouping across outlets on real news: hand-judged pairs of PolNeAR quotations.

    python bench/eval_quotes_cross_outlet.py                    # score the judged pairs (tune part)
    python bench/eval_quotes_cross_outlet.py --part heldout     # the part kept aside (run at the end)
    python bench/eval_quotes_cross_outlet.py --candidates 60    # print new pairs to judge (to stdout only)
    python bench/eval_quotes_cross_outlet.py --pairs bench/polnear_pairs2.yaml --part tune --errors
    python bench/eval_quotes_cross_outlet.py --part tune --errors --context 250   # each error in its article
    python bench/eval_quotes_cross_outlet.py --candidates 90 --fresh --context 260   # pairs from unjudged articles

The set: every PolNeAR train + dev article (7 US outlets; the test split is left to
eval_quotes_polnear.py), analysed together as one corpus, outlet and date from metadata.tsv.
Candidate pairs are two renderings from different outlets published within 7 days of each other,
either grouped together by `quotes` or sharing a run of four words without being grouped (near
misses). Judged by hand as ``same`` (renderings of one statement by one speaker: the same words,
cut, reworded or misquoted) or ``different``. bench/polnear_pairs.yaml holds only article names,
character offsets into the article files and the labels, never article text; each pair has a
``part``: ``tune`` (looked at while developing) or ``heldout`` (scored only at the end).

A second set, bench/polnear_pairs2.yaml, was judged for error analysis from articles that appear in
no pair of the first (``--fresh``); it has its own tune / heldout parts.

A third set, bench/polnear_pairs3.yaml, is held out whole (every pair ``heldout``): articles of all
three splits that appear in no pair of the first two (``--unused``), drawn from grouped pairs, near
misses and pairs found without the quote analysis (``--independent``, ``--contained``: quoted spans
read by a regex of their own). Score it with the same corpus it was drawn from:

    python bench/eval_quotes_cross_outlet.py --pairs bench/polnear_pairs3.yaml --part heldout --splits train,dev,test

A fourth set, bench/polnear_pairs4.yaml, is a tune set whose ``same`` pairs were found without the grouping
(``--story``, ``--story-of-same``: renderings of two reports of one event read side by side; ``--overlap``;
``--renderings-only`` with the regex draws), from train + dev articles in no held-out pair of any set:

    python bench/eval_quotes_cross_outlet.py --pairs bench/polnear_pairs4.yaml --part tune --errors

Figures: of the ``same`` pairs, the share grouped together; of the ``different`` pairs, the share
kept apart. The ``same`` pairs are also scored in two parts, decided from the judged spans' own words
(no label needed): those sharing content words, a quarter of the shorter one's at least (renderings
of one quotation, whole, cut or altered: what the diff pane aligns; the issue's target is read here),
and the disjoint ones (two different sentences of one statement, few or no words in common: grouped
only when a third rendering prints both, so reported apart). Skips cleanly when the data is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(os.environ.get("POLNEAR", "/work/data/polnear"))
DATA = ROOT / "data"
PAIRS = Path(__file__).resolve().parent / "polnear_pairs.yaml"
SPLITS = ("train", "dev")
ALL_SPLITS = ("train", "dev", "test")


def load_articles(splits: tuple[str, ...] = SPLITS) -> list:
    """The ``splits``' articles (train + dev unless told) with outlet and date from metadata.tsv,
    ids = file names."""
    import csv

    from briefreader.storage.corpus import load_corpus

    meta = {}
    with open(DATA / "metadata.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            meta[row["filename"]] = row
    articles = []
    for split in splits:
        corpus = load_corpus(DATA / split / "text", use_cache=False)
        for a in corpus.articles:
            row = meta.get(Path(a.id).stem, {})
            a.id = Path(a.id).stem
            a.outlet = row.get("publisher") or a.outlet
            a.date = row.get("publication_date") or a.date
            a.order = len(articles)
            articles.append(a)
    return articles


def _days(a: str | None, b: str | None) -> int:
    try:
        return abs((dt.date.fromisoformat(a or "") - dt.date.fromisoformat(b or "")).days)
    except ValueError:
        return 999


def _renderings(analysis) -> list[tuple[str, object]]:
    return [(c.id, v) for c in analysis.clusters for v in c.variants]


def judged_articles(path: Path, part: str = "all") -> set[str]:
    """The articles named in a judged pair file (in its ``part``, or all)."""
    pairs = yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"]
    return {pair[side]["article"] for pair in pairs for side in ("a", "b") if part in ("all", pair["part"])}


def judged_article_pairs(path: Path, part: str, labels: tuple[str, ...] = ("same",),
                         max_days: int | None = None) -> set[tuple[str, str]]:
    """The article pairs of the pairs labelled one of ``labels`` in ``part`` (or all parts) of a judged pair
    file, those with a recorded distance above ``max_days`` left out."""
    pairs = yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"]
    return {(pair["a"]["article"], pair["b"]["article"]) for pair in pairs
            if pair["label"] in labels and part in ("all", pair["part"])
            and (max_days is None or pair.get("days", 0) <= max_days)}


def candidates(analysis, count: int, seed: int, exclude: frozenset[str] = frozenset(),
               per_group: int = 0, max_days: int = 7) -> list[tuple[str, object, object]]:
    """('grouped' | 'near', rendering a, rendering b) pairs from different outlets within 7 days,
    neither from an article in ``exclude``; ``per_group`` > 0 caps the grouped pairs drawn from one group."""
    from briefreader.core.diffing import word_keys
    from briefreader.core.quote_grouping import _STOPWORDS

    rng = random.Random(seed)
    grouped = []
    for c in analysis.clusters:
        vs = [v for v in c.variants if v.article not in exclude]
        in_group = []
        for i in range(len(vs)):
            for j in range(i + 1, len(vs)):
                a, b = vs[i], vs[j]
                if a.outlet != b.outlet and _days(a.date, b.date) <= max_days:
                    in_group.append(("grouped", a, b))
        if per_group:
            rng.shuffle(in_group)
            in_group = in_group[:per_group]
        grouped.extend(in_group)
    grams: dict[tuple[str, ...], list[tuple[str, object]]] = {}
    for cid, v in _renderings(analysis):
        if v.article in exclude:
            continue
        keys = word_keys(v.text)
        for k in range(len(keys) - 3):
            gram = tuple(keys[k : k + 4])
            if sum(w not in _STOPWORDS for w in gram) >= 2:  # "going to have to" tells nothing
                grams.setdefault(gram, []).append((cid, v))
    near: dict[tuple, tuple] = {}
    for members in grams.values():
        if len(members) > 30:
            continue
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                (ca, a), (cb, b) = members[i], members[j]
                if ca != cb and a.outlet != b.outlet and _days(a.date, b.date) <= max_days:
                    key = tuple(sorted(((a.article, a.start), (b.article, b.start))))
                    near[key] = ("near", a, b)
    rng.shuffle(grouped)
    near_list = sorted(near.values(), key=lambda t: (t[1].article, t[1].start, t[2].article, t[2].start))
    rng.shuffle(near_list)
    return grouped[:count] + near_list[:count]


# --- candidates found without the quote analysis (--independent) ---------------------------------
# Quoted spans are read from the article files with a plain regex of their own, so the draw does not
# depend on what briefreader extracts, attributes or groups: two spans from different outlets sharing
# a run of five words (``shared5``), or the same surname next to a speech verb beside both spans and
# at least two content words in common (``speaker``).

_OPEN_CLOSE = (("\u201c", "\u201d"), ("\"", "\""), ("''", "''"))
_OWN_STOPWORD_TEXT = (
    "a an the and or but if of to in on at for with by from as is are was were be been being it its "
    "this that these those i you he she we they me him her us them my your his our their not no do does "
    "did have has had will would can could should may might must shall just so than then there here "
    "what which who whom when where why how all any some more most very about into over out up down "
    "s t don going get got like one also said says"
)
_OWN_STOPWORDS = frozenset(_OWN_STOPWORD_TEXT.split())
_SPEECH_VERB = (r"(?:said|says|told|tells|added|adds|wrote|writes|tweeted|asked|explained|declared|argued|"
                r"insisted|noted|continued|stated|remarked)")
_PRONOUNS = frozenset({"He", "She", "They", "It", "We", "I", "You", "This", "That", "Officials", "Sources"})
_NAME = r"((?:[A-Z][a-z]+\.?\s)?(?:[A-Z][\w'-]+\s){0,2}[A-Z][\w'-]+)"


class IndependentSpan:
    """A quoted span read from an article file: offsets into the file, its words, a nearby surname."""

    def __init__(self, article, start: int, end: int, text: str, speaker: str | None) -> None:
        self.article = article.id
        self.outlet = article.outlet
        self.date = article.date
        self.source_start = start
        self.source_end = end
        self.start = start
        self.text = text
        self.speaker = speaker


def _article_file(article_id: str) -> Path | None:
    for split in ALL_SPLITS:
        path = DATA / split / "text" / f"{article_id}.txt"
        if path.exists():
            return path
    return None


def _nearby_surname(text: str, start: int, end: int) -> str | None:
    """The surname of ``said NAME`` / ``NAME said`` within 80 characters after the span (or before it)."""
    import re

    after = text[end : end + 80]
    before = text[max(0, start - 80) : start]
    for pattern, window in ((rf"^\W{{0,3}}\s*{_SPEECH_VERB}\s+{_NAME}", after),
                            (rf"^\W{{0,3}}\s*{_NAME}\s+{_SPEECH_VERB}", after),
                            (rf"{_NAME}\s+{_SPEECH_VERB}[^.\"\u201c]{{0,20}}[:,]\s*$", before)):
        found = re.search(pattern, window)
        if found and found.group(1) not in _PRONOUNS:
            return found.group(1).split()[-1].strip("'.")
    return None


def quoted_spans(articles, min_words: int = 5, min_chars: int = 10) -> list[IndependentSpan]:
    """Every quoted span of at least ``min_words`` words in the articles' files, by a regex of its own."""
    import re

    spans = []
    for article in articles:
        path = _article_file(article.id)
        if path is None:
            continue
        text = path.read_text(encoding="utf-8")
        for opening, closing in _OPEN_CLOSE:
            pattern = re.escape(opening) + rf"([^\n]{{{min_chars},1500}}?)" + re.escape(closing)
            for found in re.finditer(pattern, text):
                inner = found.group(1)
                if opening == '"' and ("\u201c" in inner or "\u201d" in inner):
                    continue
                if len(re.findall(r"[\w']+", inner)) < min_words:
                    continue
                speaker = _nearby_surname(text, found.start(), found.end())
                spans.append(IndependentSpan(article, found.start(1), found.end(1), inner, speaker))
    return spans


def independent_candidates(articles, count: int, seed: int, exclude: frozenset[str] = frozenset(),
                           max_days: int = 7) -> list[tuple[str, object, object]]:
    """``count`` ('shared5', a, b) + ``count`` ('speaker', a, b) pairs of quoted spans from different
    outlets within ``max_days``, neither from an article in ``exclude``, found without the quote analysis."""
    import re

    rng = random.Random(seed)
    spans = [span for span in quoted_spans(articles) if span.article not in exclude]
    words = [[w.lower() for w in re.findall(r"[\w']+", span.text)] for span in spans]
    five: dict[tuple[str, ...], list[int]] = {}
    for index, keys in enumerate(words):
        for k in range(len(keys) - 4):
            gram = tuple(keys[k : k + 5])
            if sum(w not in _OWN_STOPWORDS for w in gram) >= 1:
                five.setdefault(gram, []).append(index)

    def admissible(i: int, j: int) -> bool:
        a, b = spans[i], spans[j]
        return a.outlet != b.outlet and _days(a.date, b.date) <= max_days

    shared: set[tuple[int, int]] = set()
    for members in five.values():
        if len(members) > 30:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = sorted((members[x], members[y]))
                if admissible(i, j):
                    shared.add((i, j))
    by_surname: dict[str, list[int]] = {}
    for index, span in enumerate(spans):
        if span.speaker:
            by_surname.setdefault(span.speaker.lower(), []).append(index)
    content = [{w for w in keys if w not in _OWN_STOPWORDS and len(w) > 2} for keys in words]
    same_speaker: set[tuple[int, int]] = set()
    for members in by_surname.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = sorted((members[x], members[y]))
                if (i, j) not in shared and admissible(i, j) and len(content[i] & content[j]) >= 2:
                    same_speaker.add((i, j))
    chosen: list[tuple[str, object, object]] = []
    for kind, found in (("shared5", shared), ("speaker", same_speaker)):
        ordered = sorted(found)
        rng.shuffle(ordered)
        chosen.extend((kind, spans[i], spans[j]) for i, j in ordered[:count])
    return chosen


def contained_candidates(articles, exclude: frozenset[str] = frozenset(),
                         max_days: int = 7) -> list[tuple[str, object, object]]:
    """('contained', a, b) pairs of quoted spans (any length, a regex of their own) from different outlets
    within ``max_days``: at least 60% of the shorter span's content words (3 or more) are in the other.
    Most similar first, then fewest days apart; found without the quote analysis."""
    import re

    spans = [span for span in quoted_spans(articles, min_words=1, min_chars=4) if span.article not in exclude]
    content = [
        {w.lower() for w in re.findall(r"[\w']+", span.text) if w.lower() not in _OWN_STOPWORDS and len(w) > 2}
        for span in spans
    ]
    holders: dict[str, list[int]] = {}
    for index, words in enumerate(content):
        for word in words:
            holders.setdefault(word, []).append(index)
    found: dict[tuple[int, int], tuple[float, int]] = {}
    for members in holders.values():
        if len(members) > 60:  # a word in 60+ quotations tells nothing
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                a, b = spans[i], spans[j]
                if (i, j) in found or a.outlet == b.outlet or _days(a.date, b.date) > max_days:
                    continue
                smaller = min(len(content[i]), len(content[j]))
                share = len(content[i] & content[j]) / smaller if smaller >= 3 else 0.0
                if share >= 0.6:
                    found[(i, j)] = (share, _days(a.date, b.date))
    ordered = sorted(found, key=lambda pair: (-found[pair][0], found[pair][1], pair))
    return [("contained", spans[i], spans[j]) for i, j in ordered]


def overlap_candidates(analysis, exclude: frozenset[str] = frozenset(),
                       max_days: int = 7) -> list[tuple[str, object, object]]:
    """('overlap', a, b) pairs of renderings from different outlets within ``max_days`` whose content words
    overlap: 3 or more shared words covering half of the shorter one's, or, for a rendering of at most 3
    content words, 2 shared words covering two thirds. Read from the extraction, not the grouping (the pair
    may or may not be grouped); most similar first, then fewest days apart."""
    import re

    renderings = [v for _, v in _renderings(analysis) if v.article not in exclude]
    content = [
        {w.lower() for w in re.findall(r"[\w']+", v.text.replace("\u2019", "'"))
         if w.lower() not in _OWN_STOPWORDS and len(w) > 2}
        for v in renderings
    ]
    holders: dict[str, list[int]] = {}
    for index, words in enumerate(content):
        for word in words:
            holders.setdefault(word, []).append(index)
    found: dict[tuple[int, int], tuple[float, int]] = {}
    for members in holders.values():
        if len(members) > 60:  # a word in 60+ renderings tells nothing
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                a, b = renderings[i], renderings[j]
                if (i, j) in found or a.outlet == b.outlet or _days(a.date, b.date) > max_days:
                    continue
                shared = len(content[i] & content[j])
                smaller = min(len(content[i]), len(content[j]))
                share = shared / smaller if smaller else 0.0
                if (shared >= 3 and share >= 0.5) or (smaller <= 3 and shared >= 2 and share >= 0.66):
                    found[(i, j)] = (share, _days(a.date, b.date))
    ordered = sorted(found, key=lambda pair: (-found[pair][0], found[pair][1], pair))
    return [("overlap", renderings[i], renderings[j]) for i, j in ordered]


def _surname(speaker: str | None) -> str | None:
    """The last word of a speaker's name, lower-cased (None for no speaker)."""
    if not speaker:
        return None
    words = speaker.replace("\u2019", "'").split()
    return words[-1].strip(".,'").lower() if words else None


def story_candidates(analysis, exclude: frozenset[str] = frozenset(), max_days: int = 1,
                     article_pairs: frozenset[tuple[str, str]] | None = None,
                     any_speaker: bool = False) -> list[tuple[str, object, object]]:
    """('story', a, b) pairs: two renderings (the extraction, not the grouping) given the same speaker's
    surname in two articles of different outlets at most ``max_days`` apart, for reading two reports of one
    event side by side. Every such pair of the two articles is listed, whether or not the words overlap (two
    sentences of one answer share none); ordered by days apart, then article pair, then offsets. With
    ``article_pairs``, only those pairs of articles (any distance) and renderings without a speaker too. With
    ``any_speaker``, every pair of renderings (any speaker or none) of two articles that share a surname."""
    by_article: dict[str, list] = {}
    for _, v in _renderings(analysis):
        if v.article not in exclude and (_surname(v.speaker) or article_pairs is not None or any_speaker):
            by_article.setdefault(v.article, []).append(v)
    articles = sorted(by_article)
    found: list[tuple[int, str, str, int, int, object, object]] = []
    for x, first in enumerate(articles):
        for second in articles[x + 1 :]:
            a0, b0 = by_article[first][0], by_article[second][0]
            days = _days(a0.date, b0.date)
            if article_pairs is not None:
                if (first, second) not in article_pairs and (second, first) not in article_pairs:
                    continue
            else:
                shared_surnames = ({_surname(v.speaker) for v in by_article[first]} - {None}) & {
                    _surname(v.speaker) for v in by_article[second]}
                if a0.outlet == b0.outlet or days > max_days or (any_speaker and not shared_surnames):
                    continue
            for a in by_article[first]:
                for b in by_article[second]:
                    if article_pairs is not None or any_speaker or _surname(a.speaker) == _surname(b.speaker):
                        found.append((days, first, second, a.source_start, b.source_start, a, b))
    found.sort(key=lambda row: row[:5])
    return [("story", row[5], row[6]) for row in found]


def covering_renderings(analysis, chosen: list[tuple[str, object, object]]) -> list[tuple[str, object, object]]:
    """The pairs of ``chosen`` (spans read by the regex draws) with each span replaced by the rendering of the
    quote analysis that covers most of it; a pair with a span no rendering covers is dropped (the score looks
    renderings up, so such a pair could not be scored), and so is a pair whose two spans fall in one rendering."""
    covered = []
    for kind, a, b in chosen:
        _, rendering_a = _find(analysis, _span(a))
        _, rendering_b = _find(analysis, _span(b))
        if rendering_a is None or rendering_b is None or rendering_a is rendering_b:
            continue
        covered.append((kind, rendering_a, rendering_b))
    return covered


def show_renderings(analysis, article_ids: list[str]) -> None:
    """Print every rendering of the named articles with its offsets and speaker (to read two reports of
    one event side by side; stdout only)."""
    for article_id in article_ids:
        print(f"--- {article_id}")
        found = sorted((v for _, v in _renderings(analysis) if v.article == article_id), key=lambda v: v.source_start)
        for v in found:
            print(f"    {v.source_start}-{v.source_end} [{v.speaker}] {v.text[:300]}")


def _span(v) -> dict:
    return {"article": v.article, "start": int(v.source_start), "end": int(v.source_end)}


def _find(analysis, ref: dict):
    """The cluster id and rendering covering a judged span (most overlap), or (None, None)."""
    best = (0, None, None)
    for c in analysis.clusters:
        for v in c.variants:
            if v.article != ref["article"]:
                continue
            overlap = min(v.source_end, ref["end"]) - max(v.source_start, ref["start"])
            if overlap > best[0]:
                best = (overlap, c.id, v)
    return best[1], best[2]


def _context(v, width: int) -> str:
    """The rendering in its article file with ``width`` characters either side (for judging, stdout only)."""
    for split in ALL_SPLITS:
        path = DATA / split / "text" / f"{v.article}.txt"
        if path.exists():
            text = path.read_text(encoding="utf-8")
            before = text[max(0, v.source_start - width) : v.source_start]
            inside = text[v.source_start : v.source_end]
            after = text[v.source_end : v.source_end + width]
            return " ".join(f"{before}[[{inside}]]{after}".split())
    return v.text


def _covers(v, ref: dict) -> bool:
    return v.article == ref["article"] and min(v.source_end, ref["end"]) > max(v.source_start, ref["start"])


def _already_judged(a, b, judged_spans: list[tuple[dict, dict]]) -> bool:
    """Whether the renderings ``a`` and ``b`` are the two spans of a pair judged before."""
    return any((_covers(a, x) and _covers(b, y)) or (_covers(a, y) and _covers(b, x)) for x, y in judged_spans)


def _old_part_of(a, b) -> str:
    """The first set's split: a hash of the two article names."""
    pair_hash = int(hashlib.sha1(f"{a.article}{b.article}".encode()).hexdigest(), 16)
    return "heldout" if pair_hash % 3 == 0 else "tune"


def _part_of(a, b) -> str:
    """The second set's split, by the ISO week of the earlier article: one story's quotations (and
    its hub groups) fall in one part, so fixing a tune pair does not fix its held-out twin."""
    try:
        earlier = min(dt.date.fromisoformat(a.date or ""), dt.date.fromisoformat(b.date or ""))
    except ValueError:
        return "tune"
    year, week, _ = earlier.isocalendar()
    week_hash = int(hashlib.sha1(f"{year}-{week}".encode()).hexdigest(), 16)
    return "heldout" if week_hash % 3 == 0 else "tune"


def _describe(v, context: int) -> str:
    """One rendering of an error line: outlet, date, speaker with its confidence, and its text
    (with ``context`` characters of its article either side when asked; stdout only)."""
    confidence = getattr(v, "speaker_confidence", None)
    who = f"{v.speaker!r}" + (f" ({confidence:.2f})" if confidence is not None else "")
    text = _context(v, context) if context else v.text[:150]
    return f"{v.outlet} {v.date} {who}\n         {text}"


def _span_text(ref: dict) -> str:
    """The judged span's characters in its PolNeAR article file ("" when the file is gone)."""
    path = _article_file(ref["article"])
    return path.read_text(encoding="utf-8")[ref["start"] : ref["end"]] if path else ""


#: Two spans render one quotation when they share at least this share of the shorter one's content words.
ONE_QUOTATION_SHARE = 0.25


def shares_content_words(text_a: str, text_b: str) -> bool:
    """Whether two quoted spans render one quotation by their words: they share content words (normalised
    word keys, stopwords left out), at least ONE_QUOTATION_SHARE of the shorter one's (a cut shares
    nearly all, a misquote most, a close paraphrase some). A ``same`` pair below that is two different
    passages of one statement (two sentences of one written statement or answer that may both name
    "Donald Trump"): nothing to diff, and no word-overlap grouping can join them unless a third rendering
    prints both; the score reports such pairs on their own line."""
    from briefreader.core.diffing import word_keys
    from briefreader.core.quote_grouping import _STOPWORDS

    words_a = {w for w in word_keys(text_a) if w not in _STOPWORDS}
    words_b = {w for w in word_keys(text_b) if w not in _STOPWORDS}
    shared = len(words_a & words_b)
    return shared > 0 and shared >= ONE_QUOTATION_SHARE * min(len(words_a), len(words_b))


def score(analysis, part: str, show_errors: bool = False, pairs_file: Path = PAIRS,
          max_days: int | None = None, context: int = 0) -> None:
    """Print the share of ``same`` pairs grouped (all; those sharing content words, the quotation a diff
    can align; the disjoint ones) and of ``different`` pairs kept apart."""
    judged = yaml.safe_load(pairs_file.read_text(encoding="utf-8"))["pairs"]
    if max_days is not None:  # pairs without a recorded distance (the first set) were all drawn within 7 days
        judged = [pair for pair in judged if pair.get("days", 0) <= max_days]
    counts = {"same": [0, 0], "different": [0, 0], "shared": [0, 0], "disjoint": [0, 0]}
    missing = 0
    for pair in judged:
        if part != "all" and pair["part"] != part:
            continue
        ca, _ = _find(analysis, pair["a"])
        cb, _ = _find(analysis, pair["b"])
        label = pair["label"]
        counts[label][1] += 1
        kind = ""
        if label == "same":
            kind = "shared" if shares_content_words(_span_text(pair["a"]), _span_text(pair["b"])) else "disjoint"
            counts[kind][1] += 1
        if ca is None or cb is None:
            if show_errors:
                absent = " and ".join(side for side, found in (("a", ca), ("b", cb)) if found is None)
                print(f"   {label.upper()}: span {absent} no longer a rendering: {pair['a']} / {pair['b']}")
            missing += 1
            counts[label][0] += label == "different"
            continue
        together = ca == cb
        ok = together if label == "same" else not together
        counts[label][0] += ok
        if kind:
            counts[kind][0] += ok
        if show_errors and not ok:
            _, va = _find(analysis, pair["a"])
            _, vb = _find(analysis, pair["b"])
            print(f"   {label.upper()} but {'grouped' if together else 'apart'} "
                  f"({pair['a']['article']} {pair['a']['start']} / {pair['b']['article']} {pair['b']['start']})\n"
                  f"      a: {_describe(va, context)}\n      b: {_describe(vb, context)}")
    same_ok, same_n = counts["same"]
    diff_ok, diff_n = counts["different"]
    within = f", published <= {max_days} days apart" if max_days is not None else ""
    print(f"== cross-outlet pairs {pairs_file.name} ({part}{within}): {same_n + diff_n} judged, "
          f"{missing} span(s) no longer a rendering")
    same_rate = same_ok / same_n if same_n else 0
    diff_rate = diff_ok / diff_n if diff_n else 0
    print(f"   one statement grouped        {same_ok}/{same_n} = {same_rate:.3f}")
    for kind, what in (("shared", "sharing words (one quotation)"), ("disjoint", "disjoint (few words in common)")):
        ok, n = counts[kind]
        target = "   (target >= 0.90)" if kind == "shared" else ""
        print(f"     {what:<30} {ok}/{n} = {ok / n if n else 0:.3f}{target}")
    print(f"   different statements apart   {diff_ok}/{diff_n} = {diff_rate:.3f}   (target >= 0.90)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["tune", "heldout", "all"], default="tune")
    parser.add_argument("--candidates", type=int, default=0, help="print N grouped + N near-miss pairs to judge")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--errors", action="store_true", help="print the pairs judged wrong (tune part only)")
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="the judged pair file to score")
    parser.add_argument("--fresh", action="store_true",
                        help="candidates only from articles in no held-out pair of the judged files under bench/")
    parser.add_argument("--days", type=int, default=None,
                        help="candidates (default 7) / scored pairs (default all) published at most N days apart")
    parser.add_argument("--per-group", type=int, default=0, help="at most N grouped candidates from one group")
    parser.add_argument("--context", type=int, default=0, help="print N characters of the article around each span")
    parser.add_argument("--splits", default=",".join(SPLITS),
                        help="comma-separated PolNeAR splits to analyse (default train,dev; a set drawn from "
                             "train,dev,test is scored with the same option)")
    parser.add_argument("--unused", action="store_true",
                        help="candidates only from articles in no pair (any part) of the judged files under bench/ "
                             "other than --pairs (the set being built)")
    parser.add_argument("--heldout-articles", action="store_true",
                        help="with --unused: also allow the articles that appear only in held-out pairs of the "
                             "other judged files (still never one in any tune pair)")
    parser.add_argument("--overlap", action="store_true",
                        help="also print every pair of renderings (the extraction, not the grouping) whose content "
                             "words overlap (3+ shared covering half the shorter one's; 2 of a 2-3 word one), "
                             "most similar first")
    parser.add_argument("--show", default="",
                        help="comma-separated article ids: print their renderings with offsets and speakers, "
                             "to read two reports of one event side by side")
    parser.add_argument("--contained", action="store_true",
                        help="also print every pair of quoted spans (a regex of their own) where 60%% of the "
                             "shorter one's content words are in the other, most similar first")
    parser.add_argument("--story", action="store_true",
                        help="also print every pair of renderings (the extraction, not the grouping) given one "
                             "speaker's surname in two articles of different outlets within --story-days, to "
                             "read two reports of one event side by side")
    parser.add_argument("--story-of-same", action="store_true",
                        help="also print every pair of renderings (any speaker) of the two articles of each tune "
                             "`same` pair of the judged files other than --pairs (renderings of one statement "
                             "besides the judged one: other cuts, other sentences of the same answer)")
    parser.add_argument("--story-of-different", action="store_true",
                        help="with --story-of-same: also the article pairs of tune `different` pairs published at "
                             "most --story-days apart (two reports of one event whose judged pair was not one "
                             "statement)")
    parser.add_argument("--renderings-only", action="store_true",
                        help="with --independent / --contained: print each span as the rendering of the quote "
                             "analysis covering it, and drop a pair with a span no rendering covers")
    parser.add_argument("--story-any-speaker", action="store_true",
                        help="with --story: every pair of renderings (any speaker or none) of two articles whose "
                             "renderings share a surname, not only the same-surname pairs")
    parser.add_argument("--story-days", type=int, default=1, help="--story: articles at most N days apart")
    parser.add_argument("--independent", type=int, default=0,
                        help="also print N pairs of quoted spans sharing five words and N of one surname beside "
                             "both, found by a regex of their own (not by the quote analysis)")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"PolNeAR not found at {DATA} (set POLNEAR): skipped")
        return 0
    from briefreader.core.quote_clusters import analyse_quotes

    articles = load_articles(tuple(args.splits.split(",")))
    analysis = analyse_quotes(articles)
    if args.show:
        show_renderings(analysis, args.show.split(","))
        return 0
    if (args.candidates or args.independent or args.contained or args.overlap or args.story
            or args.story_of_same):
        exclude: set[str] = set()
        judged_files = sorted(PAIRS.parent.glob("polnear_pairs*.yaml"))
        if args.unused:  # the set being judged (--pairs) does not exclude itself: its draw stays reproducible
            judged_files = [f for f in judged_files if f.resolve() != args.pairs.resolve()]
        if args.fresh or args.unused:
            excluded_part = "all" if args.unused else "heldout"
            if args.unused and args.heldout_articles:  # held-out articles are allowed, tune ones never
                excluded_part = "tune"
            for judged_file in judged_files:
                exclude |= judged_articles(judged_file, excluded_part)
        seen_before = set().union(*(judged_articles(f) for f in judged_files))
        max_days = 7 if args.days is None else args.days
        chosen = candidates(analysis, args.candidates, args.seed, frozenset(exclude), args.per_group, max_days)
        if args.independent:
            chosen += independent_candidates(articles, args.independent, args.seed, frozenset(exclude), max_days)
        if args.contained:
            chosen += contained_candidates(articles, frozenset(exclude), max_days)
        if args.renderings_only:
            chosen = covering_renderings(analysis, chosen)
        if args.overlap:
            chosen += overlap_candidates(analysis, frozenset(exclude), max_days)
        if args.story:
            chosen += story_candidates(analysis, frozenset(exclude), args.story_days,
                                       any_speaker=args.story_any_speaker)
        if args.story_of_same:
            tune_same: set[tuple[str, str]] = set()
            for judged_file in judged_files:
                if judged_file.resolve() != args.pairs.resolve():
                    tune_same |= judged_article_pairs(judged_file, "tune")
                    if args.story_of_different:
                        tune_same |= judged_article_pairs(judged_file, "tune", ("different",), args.story_days)
            chosen += [("story-same", a, b) for _, a, b in
                       story_candidates(analysis, frozenset(exclude), article_pairs=frozenset(tune_same))]
        spans_files = list(judged_files)
        listed = {f.resolve() for f in spans_files}
        if args.heldout_articles and args.pairs.exists() and args.pairs.resolve() not in listed:
            spans_files.append(args.pairs)  # extending the set: its own pairs are not printed again
        judged_spans = [
            (pair["a"], pair["b"]) for f in spans_files
            for pair in yaml.safe_load(f.read_text(encoding="utf-8"))["pairs"]
        ]
        chosen = [(kind, a, b) for kind, a, b in chosen if not _already_judged(a, b, judged_spans)]
        for n, (kind, a, b) in enumerate(chosen):
            part = _part_of(a, b) if args.fresh else _old_part_of(a, b)
            seen = "" if a.article in seen_before or b.article in seen_before else " fresh"
            print(f"#{n} {kind} part={part}{seen} days={_days(a.date, b.date)}")
            span_a = yaml.safe_dump(_span(a), default_flow_style=True).strip()
            print(f"  a: {span_a} {a.outlet} {a.date} speaker={a.speaker}")
            print(f"     {_context(a, args.context) if args.context else a.text[:300]}")
            span_b = yaml.safe_dump(_span(b), default_flow_style=True).strip()
            print(f"  b: {span_b} {b.outlet} {b.date} speaker={b.speaker}")
            print(f"     {_context(b, args.context) if args.context else b.text[:300]}")
        return 0
    if not args.pairs.exists():
        print(f"{args.pairs.name} not found: judge pairs first (--candidates)")
        return 0
    score(analysis, args.part, args.errors and args.part == "tune", args.pairs, args.days, args.context)
    return 0


if __name__ == "__main__":
    sys.exit(main())
