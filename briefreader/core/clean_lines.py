"""The cleaner's view of a text: normalised lines, one ``Line`` record per line, the phrase-rule
evidence on each, and the fingerprints that find lines an outlet repeats across its articles.

The passes of ``briefreader.core.clean`` read and fill these records; nothing here decides what
is furniture.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from math import ceil
from typing import TYPE_CHECKING

from briefreader.core.rules import CleaningRules, Rule

if TYPE_CHECKING:
    from briefreader.core.clean_inline import InlineCut

__all__ = ["Line", "split_lines", "line_shape", "normalise_line", "line_fingerprints", "repeated_lines",
           "add_phrase_evidence", "match_line_rule"]

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_STRIP = " " + _INVISIBLE
# Characters deleted by normalisation: invisible characters, extra spaces in a run, spaces before
# punctuation ("Ukraine ." -> "Ukraine."), Markdown markup.
DELETE = re.compile(
    rf"[{_INVISIBLE}]+"
    r"|(?<= ) +"
    r"| +(?=[.,;:!?](?:[\s\"'”’»)\]]|$))"
    # Markdown (clipped web pages): heading and quote markers, bold markers, images, link syntax
    r"|^#{1,6} +|^> ?"
    r"|\*\*|__|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])"
    r"|!\[[^\]\n]*\]\([^)\s]*\)"
    r"|\[(?=[^\]\n]*\]\((?:https?:|/|#|mailto:)[^)\s]*\))"
    r"|\]\((?:https?:|/|#|mailto:)[^)\s]*\)"
)
_MARKUP_RE = re.compile(r"^#{1,6} |^> |\*|__|\]\(")
_MARKUP_PROBES = ("#", ">", "*", "__", "](")
_ODD_SPACES = ("\t\x0b\x0c\x1c\x1d\x1e\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
               "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_ODD_SPACE_RE = re.compile(f"[{_ODD_SPACES}]")
_STRIP_EOL = _STRIP + "\r\n"
_SPACE_BEFORE = re.compile(r" [ .,;:!?]")  # a literal first character: sre scans for it fast
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_SPECIAL_RE = re.compile(f"[{_ODD_SPACES}{_INVISIBLE}]")
_ASCII_ODD = ("\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")
_CLOSERS = "\"'”’»)]"
_ENDERS = ".!?…"
_QUOTED = re.compile(r"“[^”\n]{1,800}”|\"[^\"\n]{1,800}\"|«[^»\n]{1,800}»|„[^“”\n]{1,800}[“”]")
_DIGITS = re.compile(r"\d+")
HAS_DIGIT = re.compile(r"\d")

CACHE_LINE = 200  # lines up to this length have their rule verdicts memoised
_CACHE_EVIDENCE_LINE = 1000  # ... and their phrase evidence, when some rule had to be tried
CACHE_MAX = 50_000


@dataclass(slots=True, eq=False)
class Line:
    """One line of the source: where it lies, its text as written and normalised, its shape, and
    what the cleaning passes found out about it (all verdict fields start empty)."""

    start: int  # offset of the line's first non-space character in the source
    end: int  # offset just past its last non-space character
    text: str  # the line without surrounding spaces
    norm: str  # ``text`` normalised (see ``normalise_line``); "" for a blank or markup-only line
    words: int
    sentence: bool  # 15 words or more, or at least 3 ending like a sentence
    score: int = 0  # furniture evidence: sum of the phrase-rule weights (plus repeated-line evidence)
    top: Rule | None = None  # the strongest positive phrase rule
    reported: bool = False  # a phrase rule with a negative weight (reported speech) matched
    rule: Rule | None = None  # the whole-line rule that matched
    repeated: bool = False  # the outlet repeats this line across its articles
    core: bool = False  # sentence-shaped article prose without furniture evidence
    reason: str | None = None  # why the line is removed; None while it is kept
    kind: str | None = None  # "meta" or "furniture" for a removed line
    # inline widgets cut out of the line (see clean_inline): the cuts, and the pieces of ``text``
    # (offset, length) that make ``norm``; None while nothing was cut
    cuts: tuple[InlineCut, ...] = ()
    pieces: list[tuple[int, int]] | None = None


def _prepare(text: str) -> tuple[str, bool, bool]:
    """``text`` with odd spaces turned into plain spaces (1:1, offsets unchanged), whether some
    line may need characters deleted, and whether invisible characters or markup occur at all."""
    if text.isascii():
        invisible = False
        for ch in _ASCII_ODD:
            if ch in text:
                text = _ODD_SPACE_RE.sub(" ", text)
                break
    else:
        first = _SPECIAL_RE.search(text)
        invisible = False
        if first is not None:
            if _ODD_SPACE_RE.search(text, first.start()) is not None:
                text = _ODD_SPACE_RE.sub(" ", text)
            invisible = _INVISIBLE_RE.search(text, first.start()) is not None
    heavy = invisible
    if not heavy:
        for probe in _MARKUP_PROBES:
            if probe in text:
                heavy = True
                break
    return text, heavy or _SPACE_BEFORE.search(text) is not None, heavy


def _needs_delete(text: str, heavy: bool = True) -> bool:
    return _SPACE_BEFORE.search(text) is not None or (heavy and (
        _INVISIBLE_RE.search(text) is not None or _MARKUP_RE.search(text) is not None))


def normalise_line(text: str) -> str:
    """One line as the cleaner sees it: odd spaces -> space, runs collapsed, no space before
    punctuation, trimmed."""
    text, needs, _ = _prepare(text)
    text = text.strip(_STRIP_EOL)
    return DELETE.sub("", text) if needs else text


def line_shape(norm: str) -> tuple[int, bool]:
    """A normalised line's word count and whether it is shaped like a sentence (15 words or more,
    or at least 3 ending like a sentence)."""
    words = norm.count(" ") + 1 if norm else 0
    return words, words >= 15 or (words >= 3 and norm.rstrip(_CLOSERS)[-1:] in _ENDERS)


def split_lines(source: str) -> list[Line]:
    """``source`` as one ``Line`` per line (blank lines included, so a line's index is its line
    number), each normalised, with its offsets in ``source`` and its shape."""
    # odd spaces -> space over the whole text (1:1, so offsets are unchanged); line breaks stay
    prepared, check_each, invisible = _prepare(source)
    strip, closers, enders, delete = _STRIP_EOL, _CLOSERS, _ENDERS, DELETE
    out: list[Line] = []
    append = out.append
    pos = 0
    for raw in prepared.splitlines(True):
        text = raw.strip(strip)
        # start of the line's content: line start plus its leading whitespace
        start = pos if (not text or raw[0] == text[0]) else pos + raw.index(text[0])
        pos += len(raw)
        if not text:
            append(Line(start, start, text, text, 0, False))
            continue
        norm = delete.sub("", text) if check_each and _needs_delete(text, invisible) else text
        words = norm.count(" ") + 1 if norm else 0
        append(Line(start, start + len(text), text, norm, words,
                    words >= 15 or (words >= 3 and norm.rstrip(closers)[-1:] in enders)))
    return out


def fingerprint(norm: str) -> str | None:
    """A normalised line's fingerprint (case and digits folded; None for a line too short or too
    long to count as repeated boilerplate)."""
    n = len(norm)
    if n < 3 or n > 1500:
        return None
    if n <= 200:  # short lines (widgets, menus, bylines) repeat the most: memoise
        known = FP_CACHE.get(norm)
        if known is not None:
            return known
        key = _DIGITS.sub("0", norm.lower()) if HAS_DIGIT.search(norm) else norm.lower()
        data = key.encode("utf-8")
        # CRC-32 plus length: stable across processes (unlike hash()) and cheap
        made = f"{zlib.crc32(data):08x}{len(data):x}"
        if len(FP_CACHE) > CACHE_MAX:
            FP_CACHE.clear()
        FP_CACHE[norm] = made
        return made
    data = norm.lower().encode("utf-8")
    return f"{zlib.crc32(data):08x}{len(data):x}"


FP_CACHE: dict[str, str] = {}  # memoised fingerprints of short lines (pure: same line, same value)


def line_fingerprints(source: str | Sequence[Line]) -> set[str]:
    """Normalised fingerprints (case and digits folded) of the lines of ``source`` that can count
    as repeated-boilerplate evidence. ``source`` is a text or its ``split_lines`` (pass the split
    ``clean_text`` used to avoid splitting twice)."""
    norms = _norms(source) if isinstance(source, str) else (line.norm for line in source)
    out: set[str] = set()
    for norm in norms:
        if norm:
            made = fingerprint(norm)
            if made is not None:
                out.add(made)
    return out


def _norms(source: str) -> list[str]:
    """The normalised text of each line of ``source``, as ``split_lines`` gives it, without making
    the records (fingerprinting a text needs nothing else)."""
    prepared, check_each, invisible = _prepare(source)
    texts = [raw.strip(_STRIP_EOL) for raw in prepared.splitlines(True)]
    if not check_each:
        return texts
    return [DELETE.sub("", text) if text and _needs_delete(text, invisible) else text for text in texts]


def repeated_lines(fingerprint_sets: Sequence[AbstractSet[str]], min_articles: int = 3,
                   min_fraction: float = 0.3) -> frozenset[str]:
    """Fingerprints present in at least ``min_articles`` and at least ``min_fraction`` of the
    articles of one outlet (pass one outlet's articles at a time)."""
    total = len(fingerprint_sets)
    need = max(min_articles, ceil(min_fraction * total))
    if total < need or total == 0:
        return frozenset()
    counts: dict[str, int] = {}
    for fingerprints in fingerprint_sets:
        for made in fingerprints:
            counts[made] = counts.get(made, 0) + 1
    return frozenset(made for made, n in counts.items() if n >= need)


def _phrase_verdict(norm: str, rules: CleaningRules) -> tuple[int, Rule | None, bool, bool]:
    """(evidence, strongest positive rule, reported speech, whether some rule had to be tried)
    for one normalised line, quoted speech ignored."""
    if "“" in norm or '"' in norm or "«" in norm or "„" in norm:
        norm = _QUOTED.sub(" ", norm)
    low = norm.lower()
    if "—" in low or "–" in low or "/" in low:
        low = low.replace("—", " ").replace("–", " ").replace("/", " ")
    hits = rules.phrase_variant_set.intersection(low.split())
    substrings, always = rules.phrase_substrings, rules.phrase_always
    total = 0
    best: Rule | None = None
    negative = False
    worked = bool(hits or substrings or always)
    if worked:
        candidates: set[int] = set(always)
        by_word, variants = rules.phrase_words, rules.phrase_variants
        for token in hits:
            candidates.update(by_word[variants[token]])
        for sub, rule_index in substrings:
            if sub in low:
                candidates.add(rule_index)
        phrase_rules = rules.phrase_rules
        for rule_index in sorted(candidates):
            rule = phrase_rules[rule_index]
            if not rule.words and rule.regex.search(norm) is None:
                continue
            total += rule.weight
            if rule.weight < 0:
                negative = True
            elif best is None or rule.weight > best.weight:
                best = rule
    return total, best, negative, worked


def add_phrase_evidence(lines: Sequence[Line], rules: CleaningRules) -> None:
    """Fill each line's ``score`` (sum of phrase-rule weights, each rule counted once per line,
    quoted speech ignored), ``top`` (its strongest positive rule) and ``reported`` (some rule with
    a negative weight, reported speech, matched)."""
    if not rules.phrase_rules:
        return
    cache = rules.evidence_cache
    if len(cache) > CACHE_MAX // 2:  # entries may be long paragraphs: keep this one smaller
        cache.clear()
    for line in lines:
        norm = line.norm
        if not norm:
            continue
        cacheable = len(norm) <= _CACHE_EVIDENCE_LINE
        if cacheable:
            hit = cache.get(norm)
            if hit is not None:
                line.score, line.top, line.reported = hit
                continue
        total, best, negative, worked = _phrase_verdict(norm, rules)
        line.score, line.top, line.reported = total, best, negative
        if cacheable and (worked or len(norm) <= CACHE_LINE):
            # boilerplate paragraphs repeat across an outlet's articles: remember their verdict
            cache[norm] = (total, best, negative)


def match_line_rule(rules: CleaningRules, norm: str, words: int, sentence: bool) -> Rule | None:
    """The first whole-line rule matching a normalised line (memoised for short lines)."""
    if len(norm) > CACHE_LINE:
        return rules.match_line(norm, words, sentence)
    cache = rules.line_cache
    try:
        return cache[norm]
    except KeyError:
        pass
    if len(cache) > CACHE_MAX:
        cache.clear()
    rule = cache[norm] = rules.match_line(norm, words, sentence)
    return rule
