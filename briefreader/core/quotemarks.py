"""Balanced quotation marks in a passage cut out of an article.

A highlight or a quotation is cut out of running text, so it often keeps one mark of a pair: the
closing ``"`` of a quotation whose opening mark lies before the cut, or an opening ``«`` whose
closing mark lies after it. :func:`unbalanced_marks` finds them; :func:`balance_quote_marks`
repairs the passage: a stray mark at the very start or end is dropped, one inside the text gets
its missing partner at the nearer edge of the passage.

Double marks only: curly “ ”, straight ``"``, guillemets « » (and » « as used in some languages
when the first one opens), low-high „ “ / „ ”, and ``''`` (two apostrophes used as a double mark).
Single marks are left alone: ’ and ' are also apostrophes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# kind -> (opening mark, closing mark) used when a partner must be added
PAIRS: dict[str, tuple[str, str]] = {
    "curly": ("\u201c", "\u201d"),
    "straight": ('"', '"'),
    "guillemet": ("\u00ab", "\u00bb"),
    "low": ("\u201e", "\u201c"),
    "apostrophes": ("''", "''"),
}

_MARK = re.compile("''|[\"\u201c\u201d\u00ab\u00bb\u201e]")
_TRAILING_PUNCT = ".,;:!?…)]}"


@dataclass(frozen=True, slots=True)
class Mark:
    """One quotation mark in a text: where, which kind, and whether it opens or closes."""

    start: int
    end: int
    kind: str
    opens: bool


def _ambiguous_opens(text: str, start: int, end: int) -> bool | None:
    """Whether a straight mark (``"`` or ``''``) opens, from what surrounds it (None: cannot tell)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    space_before = before.isspace() or before in "([{—–-/"
    space_after = after.isspace() or after in _TRAILING_PUNCT + "—–-/"
    if space_before and not space_after:
        return True
    if space_after and not space_before:
        return False
    return None


def scan_marks(text: str) -> tuple[list[Mark], list[Mark]]:
    """(paired marks, unpaired marks) of ``text``, each in text order."""
    stack: list[Mark] = []
    paired: list[Mark] = []
    unpaired: list[Mark] = []
    for m in _MARK.finditer(text):
        char = m.group(0)
        if char in ('"', "''"):
            kind = "straight" if char == '"' else "apostrophes"
            opens = _ambiguous_opens(text, m.start(), m.end())
            if opens is None:  # glued to words on both sides (or neither): close an open one, else open
                opens = not (stack and stack[-1].kind == kind)
        elif char == "\u201c":
            # closes a „ (German) or an open curly pair when the context says it closes
            if stack and stack[-1].kind == "low":
                kind, opens = "low", False
            else:
                kind = "curly"
                context = _ambiguous_opens(text, m.start(), m.end())
                opens = not (context is False and stack and stack[-1].kind == "curly")
        elif char == "\u201d":
            kind, opens = ("low", False) if stack and stack[-1].kind == "low" else ("curly", False)
        elif char == "\u201e":
            kind, opens = "low", True
        else:  # guillemets: « opens, » closes, unless the text uses them the other way round
            kind = "guillemet"
            opens = char == "\u00ab"
            guillemet_open = any(s.kind == "guillemet" for s in stack)
            if char == "\u00bb" and not guillemet_open and _ambiguous_opens(text, m.start(), m.end()):
                opens = True
        mark = Mark(m.start(), m.end(), kind, opens)
        if opens:
            stack.append(mark)
            continue
        match = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].kind == kind), None)
        if match is None:
            unpaired.append(mark)
            continue
        # marks opened inside this pair and never closed stay unpaired
        unpaired.extend(stack[match + 1:])
        paired.extend((stack[match], mark))
        del stack[match:]
    unpaired.extend(stack)
    return sorted(paired, key=lambda x: x.start), sorted(unpaired, key=lambda x: x.start)


def unbalanced_marks(text: str) -> list[Mark]:
    """The quotation marks of ``text`` that have no partner (empty: balanced)."""
    return scan_marks(text)[1]


def _at_edge(text: str, mark: Mark) -> bool:
    """True when only spaces and punctuation separate ``mark`` from the start or end of ``text``."""
    head, tail = text[: mark.start], text[mark.end:]
    return not head.strip() or not tail.strip(" \t\n" + _TRAILING_PUNCT)


def balance_quote_marks(text: str) -> str:
    """``text`` with every quotation mark paired: a stray mark at the start or end is dropped, a
    stray closing mark inside the text gets its opening mark at the start, a stray opening mark
    its closing mark at the end. Text whose marks are balanced comes back unchanged."""
    for _ in range(8):  # each pass fixes every stray mark found; nesting may uncover one more
        stray = unbalanced_marks(text)
        if not stray:
            return text
        prefix, suffix = "", ""
        drop: list[Mark] = []
        for mark in stray:
            if _at_edge(text, mark):
                drop.append(mark)
            elif mark.opens:
                suffix = PAIRS[mark.kind][1] + suffix
            else:
                prefix = PAIRS[mark.kind][0] + prefix
        for mark in sorted(drop, key=lambda x: -x.start):
            text = text[: mark.start] + text[mark.end:]
        text = (prefix + text.strip() + suffix) if (prefix or suffix or drop) else text
    return text
