"""Inline widgets: page furniture glued *inside* a sentence, which line-based cleaning cannot take out.

The shape handled is a person's hover card, as some outlets print it when the page is copied as text:
the name as printed in the sentence, then the card's copy of the person's full name (often with
middle names and a nickname in brackets; the surname repeated), glued with no space (or one space)
to a run of one to three headlines about the person, ending with a "MORE" link::

    ... said Sen. Jane Doe Jane Quincy DoeSenate passes farm bill Doe backs new rules MORE (D-Ore.) on ...

The card (from the space after the printed surname to the end of "MORE") is cut; the sentence
reads "... said Sen. Jane Doe (D-Ore.) on ...". A card is only cut when every part of the shape is
there (a surname printed twice around at most five name words, glued to a headline run of a
plausible length, a terminator right after it) and the run holds nothing a headline run does not:
no double quotation marks (a quotation), no full stop ending a sentence, no line break. A sentence
that merely contains MORE, a list of names, or a name followed by a capitalised word is left alone:
missing a card costs less than eating a sentence.

``find_cards`` returns the cuts of one line (offsets in that line's text); ``apply_cuts`` gives the
line's normalised text without them and the map of each kept piece back to the line, which
``briefreader.core.clean.assemble`` uses to keep the cleaned body's offset map exact.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefreader.core.clean_lines import DELETE

__all__ = ["CARD_REASON", "CREDIT_REASON", "INLINE_PREFIX", "InlineCut", "find_cards", "find_credits", "find_widgets",
           "has_terminator", "may_hold_widget", "is_inline_reason", "apply_cuts"]

INLINE_PREFIX = "inline widget: "  # every inline removal's reason starts so (a kept line's piece)
CARD_REASON = INLINE_PREFIX + "a person's hover card (name repeated, headlines, MORE)"
CREDIT_REASON = INLINE_PREFIX + "photo credit"

# The card's last word: the "more" link. Upper case only for the bare word: "more" in prose is lower
# case, and an upper-case MORE in prose ("FAR MORE shameful") lacks the rest of the shape.
TERMINATOR_WORDS = ("MORE", "Read more", "READ MORE")
_TERMINATOR = re.compile(
    r"(?<=\S)(?<![A-Z]{2}) (?:" + "|".join(re.escape(word) for word in TERMINATOR_WORDS) + r")"
    r"(?=$|[\s,.;:!?)\]—–-]|['’]s\b)"
)
MAX_CARD_CHARS = 900  # from the printed surname to the terminator (the longest of 77 seen: 455)
MIN_HEADLINE_CHARS = 12  # the headline run between the full name and the terminator
MIN_HEADLINE_WORDS = 3
MAX_GIVEN_NAMES = 5  # name words between the printed surname and its repetition

_UPPER = "A-ZÀ-ÖØ-Þ"
_PARTICLES = "de|da|di|van|von|der|den|del|la|le|al|bin|ibn|el|dos|du|ter|St\\."
# One word of the card's full name: a capitalised word or initial, a bracketed nickname
# ("(Bill)"), or a particle ("van", "de").
_NAME_WORD = (rf"(?:[{_UPPER}][\w'’.-]*|\([{_UPPER}][\w'’.-]*\)|(?:{_PARTICLES}))")
# A card's start, found at every position (a lookahead, so overlapping readings are all seen):
# the printed surname, a space, up to five name words, the surname again, then the glue: a
# headline's first character right after it (camel case, a digit, an opening single quote before a
# capital) or one space and a capital/digit/single quote (a double mark opens no headline run: see
# _QUOTATION).
_CARD_START = re.compile(
    rf"(?<![\w'’.-])(?=(?P<surname>[{_UPPER}][\w'’-]*\w) (?P<given>(?:{_NAME_WORD} ){{0,{MAX_GIVEN_NAMES}}})"
    rf"(?P=surname)(?:(?P<camel>[{_UPPER}0-9$]|['‘][{_UPPER}0-9])|(?P<spaced> [{_UPPER}0-9'‘$])))"
)
# A photo credit glued to the caption or sentence after it, at a line's start or after a sentence's
# end: one to four name words (or initials), a slash, perhaps a desk and a slash ("AFP/", "Pool/"),
# a photo agency; then a capital ("Ann B. Lee/Getty Images Senators met ...": the credit and its space
# are cut). Only agencies that sell photos and nothing else: a news agency after a slash is as often
# prose ("a Register/Bloomberg poll", "a Reuters/Ipsos poll").
PHOTO_AGENCIES = ("Getty Images", "Shutterstock")
_CREDIT_NAME = rf"(?:[{_UPPER}]\.|[{_UPPER}][\w'’-]*\w)"
_CREDIT = re.compile(
    rf"(?:^|(?<=[.!?\"”’] ))(?:{_CREDIT_NAME} ){{0,3}}{_CREDIT_NAME} ?"
    rf"(?:/[{_UPPER}][\w-]*)*/(?:[{_UPPER}][\w-]* via )?(?:" + "|".join(re.escape(a) for a in PHOTO_AGENCIES) + r")"
    rf" (?=[{_UPPER}\"“])"
)
_QUOTATION = re.compile(r"[\"“”«»„]")
# A sentence ending inside the run: a lower-case word of 4+ letters, a full stop, a capital. (A
# headline run glues titles without full stops; "?" and "!" end headlines, so they are allowed.)
_SENTENCE_END = re.compile(rf"[a-zà-ÿ]{{4}}\. +[{_UPPER}]")  # {4}, not {4,}: the same hits, no backtracking
# A clause of prose inside the run: a comma, then a conjunction.
_CLAUSE = re.compile(r", (?:and|but|or|while|as|which|who) ")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class InlineCut:
    """A piece of one line's text removed as an inline widget: ``[start, end)`` in the line's text."""

    start: int
    end: int
    reason: str


def is_inline_reason(reason: str) -> bool:
    """Whether a removed block's ``reason`` names an inline widget (cut from inside a kept line)."""
    return reason.startswith(INLINE_PREFIX)


def has_terminator(text: str) -> bool:
    """Cheap test: whether ``text`` may hold a card at all (one of the terminator words occurs)."""
    return "MORE" in text or "Read more" in text


@dataclass(slots=True)
class _Start:
    surname_at: int  # where the printed surname starts
    cut_at: int  # the space after the printed surname: where the cut begins
    headlines_at: int  # the first character of the headline run
    camel: bool  # the full name is glued to the headline with no space
    given: int  # name words between the two surnames


def _starts(text: str, lo: int, hi: int) -> list[_Start]:
    """Every reading of a card's start between ``lo`` and ``hi`` (offsets in ``text``)."""
    out: list[_Start] = []
    for match in _CARD_START.finditer(text, lo, hi):
        surname = match.group("surname")
        given = match.group("given")
        given_words = len(given.split())
        if not _plausible_full_name(given, surname):
            continue
        camel = match.group("camel") is not None
        surname_at = match.start()
        if not camel and not _printed_given_name_opens(text, surname_at, given):
            continue
        cut_at = surname_at + len(surname)
        headlines_at = cut_at + 1 + len(given) + len(surname) + (0 if camel else 1)
        if headlines_at >= hi:
            continue
        out.append(_Start(surname_at, cut_at, headlines_at, camel, given_words))
    return out


def _plausible_full_name(given: str, surname: str) -> bool:
    """A full name's given names are distinct words, none of them the surname (a bracketed nickname
    may repeat the next word: "Willard (Mitt) Mitt Romney"): a stutter or a run of one repeated word
    is no name."""
    plain = [word for word in given.split() if not word.startswith("(")]
    return surname not in plain and len(set(plain)) == len(plain)


def _printed_given_name_opens(text: str, surname_at: int, given: str) -> bool:
    """A card glued to its headlines by a space ("Jo Marsh Jo Marsh Tidal...") is told from a list of
    names only when the full name opens with the word printed before the surname (the given name):
    the weaker glue asks for more of the shape."""
    first = given.split(" ", 1)[0]
    if not first:
        return False  # "Doe Doe Senate": too little to tell from a stutter
    before = text[max(0, surname_at - len(first) - 1):surname_at]
    return before == first + " " and (surname_at - len(before) == 0 or not text[surname_at - len(before) - 1].isalnum())


def _choose(starts: list[_Start]) -> _Start | None:
    """The card's start: the leftmost reading, unless another reading overlaps its name (the printed
    given name read as a surname: "Jo Doe Jo Doe Senate..."), where a glued reading beats a spaced
    one and then the later one wins (the real surname comes after the given name)."""
    if not starts:
        return None
    first = starts[0]
    rivals = [s for s in starts if s.surname_at < first.headlines_at]
    return max(rivals, key=lambda s: (s.camel, s.surname_at))


def _headline_run(run: str) -> bool:
    """Whether ``run`` (between the card's full name and its terminator) reads as glued headlines."""
    if len(run) < MIN_HEADLINE_CHARS or len(_WORD.findall(run)) < MIN_HEADLINE_WORDS:
        return False
    if "\n" in run or "\r" in run or _QUOTATION.search(run) is not None:
        return False
    if _CLAUSE.search(run) is not None:
        return False  # ", and the city spent": a sentence goes on, headlines are glued without clauses
    return _SENTENCE_END.search(run) is None


def may_hold_widget(text: str) -> bool:
    """Cheap test: whether ``text`` may hold an inline widget at all."""
    return has_terminator(text) or "/" in text


def find_credits(text: str) -> list[InlineCut]:
    """Photo credits glued to the text after them (see ``_CREDIT``), in text order."""
    if "/" not in text:
        return []
    return [InlineCut(match.start(), match.end(), CREDIT_REASON) for match in _CREDIT.finditer(text)]


def find_widgets(text: str) -> list[InlineCut]:
    """Every inline widget of one line (cards and credits), in text order, none overlapping."""
    found = sorted(find_cards(text) + find_credits(text), key=lambda cut: (cut.start, -cut.end))
    out: list[InlineCut] = []
    for cut in found:
        if not out or cut.start >= out[-1].end:
            out.append(cut)
    return out


def find_cards(text: str) -> list[InlineCut]:
    """The hover cards in one line of text (see the module's docstring), in text order. Each cut runs
    from the space after the printed surname to the end of the terminator. Linear: each terminator
    looks back at most ``MAX_CARD_CHARS`` and never past the previous terminator."""
    if not has_terminator(text):
        return []
    cuts: list[InlineCut] = []
    floor = 0  # a card never reaches back over an earlier terminator
    for term in _TERMINATOR.finditer(text):
        lo = max(floor, term.start() - MAX_CARD_CHARS)
        floor = term.end()
        start = _choose(_starts(text, lo, term.start()))
        if start is None or not _headline_run(text[start.headlines_at:term.start()]):
            continue
        cuts.append(InlineCut(start.cut_at, term.end(), CARD_REASON))
    return cuts


def apply_cuts(text: str, cuts: Sequence[InlineCut]) -> tuple[str, list[tuple[int, int]]]:
    """``text`` without the ``cuts``, normalised as ``clean_lines.normalise_line`` does (extra spaces,
    spaces before punctuation and markup deleted), and the kept pieces as ``(offset in text, length)``
    in order: their characters, joined, are the returned text."""
    kept: list[tuple[int, int]] = []  # (offset in text, length) of the text outside the cuts
    at = 0
    for cut in cuts:
        if cut.start > at:
            kept.append((at, cut.start - at))
        at = max(at, cut.end)
    if at < len(text):
        kept.append((at, len(text) - at))
    joined = "".join(text[offset:offset + length] for offset, length in kept)
    starts: list[int] = []
    total = 0
    for _, length in kept:
        starts.append(total)
        total += length
    pieces: list[tuple[int, int]] = []

    def keep(a: int, b: int) -> None:
        """Keep ``joined[a:b]``, split where it crosses a cut."""
        k = bisect.bisect_right(starts, a) - 1
        while k < len(kept) and a < b:
            offset, length = kept[k]
            lo, hi = starts[k], starts[k] + length
            end = min(b, hi)
            if end > a:
                at_text = offset + (a - lo)
                if pieces and pieces[-1][0] + pieces[-1][1] == at_text:
                    pieces[-1] = (pieces[-1][0], pieces[-1][1] + end - a)
                else:
                    pieces.append((at_text, end - a))
                a = end
            k += 1

    # the joined text is stripped and normalised like any line (see clean_lines.split_lines)
    left = len(joined) - len(joined.lstrip(" "))
    stripped = joined[left:len(joined.rstrip(" "))]
    cursor = 0
    for match in DELETE.finditer(stripped):
        keep(left + cursor, left + match.start())
        cursor = max(cursor, match.end())
    keep(left + cursor, left + len(stripped))
    return "".join(text[offset:offset + length] for offset, length in pieces), pieces
