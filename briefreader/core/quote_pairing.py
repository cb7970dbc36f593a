"""Pairing quote marks in a cleaned body (part of :mod:`briefreader.core.quotes`).

Marks pair by *position*: a mark after a space / paragraph start and before text opens, a mark
after text and before a space / punctuation / paragraph end closes; word-internal and elision
apostrophes are never marks; ``''`` is one double mark; a quote left open at a paragraph end goes on
when the next paragraph opens with a mark (the multi-paragraph convention). Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefreader.core.quote_names import SPEECH_VERBS

DOUBLE_MARKS = frozenset('"\u201c\u201d\u201e\u201f\u00ab\u00bb\uff02\u300c\u300d\u300e\u300f')
SINGLE_MARKS = frozenset("'\u2018\u2019\u201a\u201b\u2039\u203a")
ALL_MARKS = DOUBLE_MARKS | SINGLE_MARKS
# Typographic direction of each mark, used only to break ties the position leaves open.
_MARK_RE = re.compile("[" + re.escape("".join(sorted(ALL_MARKS))) + "]")
_GUILLEMETS = frozenset("\u00ab\u00bb\u2039\u203a")
_OPEN_LEANING = frozenset("\u201c\u201e\u201f\u00ab\u2018\u201a\u201b\u2039\u300c\u300e")
_CLOSE_LEANING = frozenset("\u201d\u00bb\u2019\u203a\u300d\u300f")
# Characters after which a mark is in "opening" position (besides whitespace / paragraph start).
_OPEN_CONTEXT = frozenset("([{<\u2014\u2013-/:;,\u2026") | ALL_MARKS
_NEXT_WORD_RE = re.compile(r"\w+")
# Words that typically follow a closing quote mark rather than a plural possessive.
_AFTER_CLOSE_WORDS = frozenset(
    [
        "was", "is", "are", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "should",
        "may", "might", "must", "and", "or", "but", "nor", "so", "yet", "in", "on", "at", "to", "for", "with",
        "as", "by", "of", "from", "into", "than", "that", "which", "who", "when", "while", "after", "before",
        "since", "because", "if", "though", "although", "until", "unless", "he", "she", "they", "it", "we", "i",
        "you", "said", "says", "told", "added", "according", "instead", "too", "also", "again", "then",
    ]
)

_ELISIONS = ("em", "til", "tis", "twas", "cause", "bout", "n", "round", "nuff", "kay", "s")
_ELISION_RE = re.compile(r"(?:" + "|".join(_ELISIONS) + r")\b|\d{2}s?\b", re.IGNORECASE)


_WORD_RE = re.compile(r"\w+(?:['\u2019\-]\w+)*")
# Two apostrophes used as one double mark (the LexisNexis / NYT archive convention ''like this'').
_TWO_APOSTROPHES_RE = re.compile("''|\u2019\u2019|\u2018\u2018")


_ABBREVIATION_TITLES = [
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Sen", "Sens", "Rep", "Reps", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt",
    "Cpl", "Adm", "Maj", "Cmdr", "Prof", "Rev", "Hon", "Pres", "Supt", "Det", "Insp", "Atty", "Amb", "Sec", "St",
    "Ste", "Mt", "Ft", "Jr", "Sr", "No",
]


def _abbreviation_dot_pattern() -> str:
    """``\\b(?:Mr|Mrs|…)\\.(?=\\s)|\\b[A-Z]\\.(?=\\s+[A-Z](?:[a-z]|\\.))`` written letter by letter
    (``M(?<!\\wM)(?:r|rs|…)``), so that the regex engine skips straight to capital letters instead of
    trying every title at every word boundary; it matches exactly the same spans."""
    by_letter: dict[str, list[str]] = {}
    for title in _ABBREVIATION_TITLES:
        by_letter.setdefault(title[0], []).append(title[1:])
    branches = []
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        rests = sorted(set(by_letter.get(letter, [])), key=lambda r: (-len(r), r))
        parts = []
        if rests:
            parts.append("(?:" + "|".join(rests) + r")\.(?=\s)")
        parts.append(r"\.(?=\s+[A-Z](?:[a-z]|\.))")  # an initial: "Lisa O. Monaco", "J. J. Price"
        branches.append(f"{letter}(?<!\\w{letter})(?:" + "|".join(parts) + ")")
    return "|".join(branches)


# Titles and initials whose dot is not a sentence end ("Mr. Trump", "Sen. Warren", "Lisa O. Monaco").
_ABBREVIATION_DOT_RE = re.compile(_abbreviation_dot_pattern())


# A generational suffix before an apposition's comma: "James B. Comey Jr., the director".
_SUFFIX_DOT_RE = re.compile(r"[JS](?<!\w[JS])r\.(?=,)")
# Party-and-state tags after a US politician's name: "(D-Md.)", "(R-Utah)", ", R-Ky.,".
_PARTY_TAG_RE = re.compile(
    r"\((?:[DRI]|Dem|Rep|Ind)\s?-\s?[A-Z][A-Za-z.\s]{0,16}\)|[DRI](?<=, [DRI])-[A-Z][A-Za-z.]{1,6}(?=,)"
)


def _mask_abbreviation_dots(body: str) -> str:
    """The dot of a title or initial becomes a space (same length, offsets unchanged), so that
    sentence and clause splitting never cut "Mr. Trump" or "Lisa O. Monaco" in two; party tags
    ("(D-Md.)") become spaces, so "said Rep. Elijah E. Cummings (D-Md.)" ends with the name."""
    body = _ABBREVIATION_DOT_RE.sub(lambda m: m.group()[:-1] + " ", body)
    body = _SUFFIX_DOT_RE.sub(lambda m: m.group()[:-1] + " ", body)
    return _PARTY_TAG_RE.sub(lambda m: " " * len(m.group()), body)


def _double_apostrophes_as_marks(body: str) -> str:
    """``''…''`` read as ``"…"``: same length, so every offset stays valid.

    An opening pair (after a space or paragraph start) becomes `` "`` (the mark next to the text), a
    closing pair ``" `` ; a pair squeezed between letters is left alone."""
    if "''" not in body and "\u2019\u2019" not in body and "\u2018\u2018" not in body:
        return body
    chars = list(body)
    for m in _TWO_APOSTROPHES_RE.finditer(body):
        i = m.start()
        prev = body[i - 1] if i > 0 else " "
        nxt = body[i + 2] if i + 2 < len(body) else " "
        if not prev.isalnum() and (nxt.isalnum() or nxt in "$(\u2026.-"):
            chars[i], chars[i + 1] = " ", '"'
        elif not nxt.isalnum():
            chars[i], chars[i + 1] = '"', " "
    return "".join(chars)

# ---------------------------------------------------------------------------------------------
# Paragraphs and mark pairing


def _paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line; soft-wrapped lines (no sentence end, next line starts
    in lowercase) are joined into one paragraph."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in body.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        stripped = line.strip()
        if not stripped:
            continue
        s += len(line) - len(line.lstrip())
        e -= len(line) - len(line.rstrip())
        if spans:
            ps, pe = spans[-1]
            prev_last = body[pe - 1]
            gap = body[pe:s]
            soft_wrap = stripped[0].islower() and prev_last not in ".!?:;\u2026" and prev_last not in ALL_MARKS
            if gap.count("\n") == 1 and soft_wrap:
                spans[-1] = (ps, e)
                continue
        spans.append((s, e))
    return spans


# Invisible format characters pasted from social media (direction marks and embeddings, zero-width
# spaces, the byte order mark): a mark next to one stands as if next to a space (`\u202a”Isis …!!!” wrote`).
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\ufeff")


def _classify(text: str, i: int, lo: int, hi: int) -> tuple[bool, bool]:
    """Whether the mark at ``text[i]`` is in opening and/or closing position within [lo, hi)."""
    prev = text[i - 1] if i > lo else None
    nxt = text[i + 1] if i + 1 < hi else None
    prev_space = prev is None or prev.isspace() or prev in _INVISIBLE
    next_space = nxt is None or nxt.isspace() or nxt in _INVISIBLE
    can_open = (prev_space or prev in _OPEN_CONTEXT) and not next_space
    can_close = not prev_space and (nxt is None or nxt.isspace() or not nxt.isalnum())
    return can_open, can_close


@dataclass(slots=True)
class _Open:
    kind: str  # "d" double, "s" single
    mark: str
    pos: int  # index of the mark
    continued_from: int | None = None  # utterance key for multi-paragraph quotes


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    open_mark: str
    close_mark: str
    unclosed: bool
    continued: bool
    depth: int
    para: int
    utterance: int
    mark_pos: int
    close_pos: int


def _is_apostrophe(text: str, i: int, lo: int, hi: int, stack: list[_Open]) -> bool:
    """Single marks that are apostrophes: inside a word, elisions ('em, '90s, 'n'), plural possessive."""
    prev = text[i - 1] if i > lo else ""
    nxt = text[i + 1] if i + 1 < hi else ""
    if prev.isalnum() and nxt.isalnum():
        return True  # don't, O'Neill, Zelensky's
    if (not prev or not prev.isalnum()) and nxt.isalnum():
        # opening position: elision like 'em, 'til, '90s, 'n'
        if _ELISION_RE.match(text, i + 1, hi):
            m = _ELISION_RE.match(text, i + 1, hi)
            assert m is not None
            after = text[m.end()] if m.end() < hi else ""
            # "'n'" / "'em" etc. only when not obviously the start of a quoted phrase
            if after != "" and after not in " \t.,;!?\u2019'":
                return False
            return not (m.group().lower() == "s" and prev == "")
        return False
    if prev.isalpha() and not nxt.isalnum():
        # closing position after a letter: a closing single quote, or plural possessive
        open_single = any(o.kind == "s" for o in stack)
        if prev.lower() == "s" and nxt.isspace():
            j = i + 1
            while j < hi and text[j].isspace():
                j += 1
            m = _NEXT_WORD_RE.match(text, j, hi)
            nxt_word = m.group() if m else ""
            if not open_single:
                return True  # the workers' union
            # 'the workers' union' : a possessive inside an open single quote
            return nxt_word[:1].islower() and nxt_word not in _AFTER_CLOSE_WORDS
        return not open_single
    return False


# Curly opening marks that still open when a typo puts a space after them (never the straight mark).
_SPACED_OPENERS = frozenset("\u201c\u201e")


def _space_then_word(body: str, i: int, hi: int) -> bool:
    """Whether one space (not a line end) follows ``body[i]``, a word comes after it, and a closing
    mark later in the paragraph can end the quotation."""
    if not (i + 2 < hi and body[i + 1] in " \u00a0" and body[i + 2].isalnum()):
        return False
    return body.find("\u201d", i + 2, hi) != -1 or body.find('"', i + 2, hi) != -1


_ELLIPSIS_START_RE = re.compile(r"[ \u00a0](?:\u2026|\.\s?\.\s?\.)[ \u00a0]?\w")


def _space_then_ellipsis(body: str, i: int, lo: int, hi: int) -> bool:
    """Whether the double mark at ``body[i]`` stands where a quotation opens (paragraph start, after a
    space or an opening context) and a space and an ellipsis then a word follow it (a quotation that
    starts mid-sentence, typed with a space), and a closing mark later in the paragraph can end it."""
    prev = body[i - 1] if i > lo else ""
    if prev and not (prev.isspace() or prev in _OPEN_CONTEXT):
        return False
    match = _ELLIPSIS_START_RE.match(body, i + 1, hi)
    if match is None:
        return False
    after = match.end()
    return any(body.find(close, after, hi) != -1 for close in ('"', "\u201d"))


# A speech verb and its comma right before a mark (`He says,”`).
_VERB_COMMA_BEFORE_RE = re.compile(rf"\b(?:{SPEECH_VERBS}),\Z")


def _missing_space_after_stop(body: str, i: int, lo: int, hi: int) -> bool:
    """Whether the double mark at ``body[i]`` sits between a word's closing stop or comma and a letter
    with no space on either side (`paranoia,”Clinton`, `authorities."We`): a typo that drops the
    space after a closing mark or before an opening one."""
    return (lo + 2 <= i < hi - 1 and body[i - 1] in ",.!?" and (body[i - 2].isalnum() or body[i - 2] in ")]")
            and body[i + 1].isalpha())


def _closing_mark_later(body: str, i: int, hi: int) -> bool:
    """Whether a double mark in closing position (after a non-space, before a space, stop or the
    paragraph end) follows ``body[i]`` in its paragraph."""
    for j in range(i + 2, hi):
        if body[j] in DOUBLE_MARKS and not body[j - 1].isspace() and (j + 1 >= hi or not body[j + 1].isalnum()):
            return True
    return False


def _mark_role(body: str, i: int, lo: int, hi: int, kind: str, stack: list[_Open]) -> tuple[bool, bool]:
    """(opens, closes) for the mark at ``body[i]``: its position first, its typographic direction and
    the open quotes breaking ties; French spacing and a typo space after a curly opener still open."""
    ch = body[i]
    can_open, can_close = _classify(body, i, lo, hi)
    has_open = any(o.kind == kind for o in stack)
    if ch in _GUILLEMETS and not can_open and not can_close:
        # French spacing: « text » (a space, often non-breaking, inside the marks)
        if ch in _OPEN_LEANING:
            can_open = True
        elif has_open:
            can_close = True
    elif (ch in _SPACED_OPENERS and i > lo and not can_open and not can_close and not has_open
          and _space_then_word(body, i, hi)):
        can_open = True  # a stray space after an opening curly mark inside a paragraph: `saying, “ you have to …”`
    elif ch in DOUBLE_MARKS and not can_open and not has_open and _space_then_ellipsis(body, i, lo, hi):
        can_open = True  # a quotation opening on an elision: `reported, “ … if the vote were held`, `” … he said`
    elif (ch == "\u201d" and can_close and not has_open and _VERB_COMMA_BEFORE_RE.search(body, max(lo, i - 40), i)
          and _space_then_word(body, i, hi)):
        can_open, can_close = True, False  # `He says,” there are …”`: a closing curly mark typed for the opening one
    elif ch in DOUBLE_MARKS and kind == "d" and _missing_space_after_stop(body, i, lo, hi):
        if has_open:
            can_open, can_close = False, True  # `the paranoia,”Clinton said`: the space after the close is missing
        elif not can_open and not can_close and _closing_mark_later(body, i, hi):
            can_open = True  # `the authorities."We were deceived."`: the space before the opening is missing
    if can_open and can_close:
        if ch in _OPEN_LEANING and not (has_open and stack and stack[-1].kind == kind):
            can_close = False
        elif ch in _CLOSE_LEANING or has_open:
            can_open = False
        else:
            can_close = False
    return can_open, can_close


def _pair_marks(body: str) -> list[_Raw]:
    paras = _paragraphs(body)
    raws: list[_Raw] = []
    carry: _Open | None = None  # outer double quote continuing from the previous paragraph
    for p_index, (lo, hi) in enumerate(paras):
        stack: list[_Open] = []
        first_mark_checked = False
        for mark in _MARK_RE.finditer(body, lo, hi):
            i = mark.start()
            ch = body[i]
            kind = "d" if ch in DOUBLE_MARKS else "s"
            if kind == "s" and _is_apostrophe(body, i, lo, hi, stack):
                continue
            can_open, can_close = _mark_role(body, i, lo, hi, kind, stack)
            if not can_open and not can_close:
                # squeezed between text ("word"word): close an open quote of its kind, else skip
                if any(o.kind == kind for o in stack):
                    can_close = True
                else:
                    continue
            if can_close and any(o.kind == kind for o in stack):
                while stack and stack[-1].kind != kind:
                    stack.pop()  # unclosed single marks inside were apostrophes
                opened = stack.pop()
                raws.append(_make_raw(body, opened, i, ch, False, False, len(stack), p_index))
                continue
            if can_open:
                cont = None
                if not first_mark_checked and carry is not None and kind == "d" and not body[lo:i].strip():
                    cont = carry.continued_from if carry.continued_from is not None else carry.pos
                stack.append(_Open(kind, ch, i, cont))
            first_mark_checked = True
        carry = None
        # Paragraph end: open double quotes either continue (multi-paragraph) or are unclosed.
        doubles = [o for o in stack if o.kind == "d"]
        if doubles:
            nxt_starts_with_mark = False
            if p_index + 1 < len(paras):
                nlo, _ = paras[p_index + 1]
                nxt_starts_with_mark = body[nlo] in DOUBLE_MARKS
            for depth, opened in enumerate(doubles):
                continues = depth == 0 and nxt_starts_with_mark
                raws.append(_make_raw(body, opened, hi, "", not continues, continues, depth, p_index))
                if continues:
                    carry = opened
        first_mark_checked = True
    return raws


def _make_raw(body: str, opened: _Open, close_pos: int, close_mark: str, unclosed: bool, continued: bool,
              depth: int, para: int) -> _Raw:
    start, end = opened.pos + 1, close_pos
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    raw = _Raw(start, end, opened.mark, close_mark, unclosed, continued, depth, para, 0, opened.pos, close_pos)
    raw.utterance = -1 if opened.continued_from is None else opened.continued_from
    return raw
