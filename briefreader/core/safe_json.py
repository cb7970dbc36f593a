"""JSON from files briefreader does not control, parsed with a nesting limit.

Python's JSON decoder recurses once per nesting level and raises RecursionError near 1000 levels
(a 200 KB file of brackets is enough), and code that walks a parsed value recurses too. The depth is
measured on the text first, at C speed: string literals are skipped with one regular expression,
the brackets that remain are counted by a running sum.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_JSON_DEPTH = 100

# a JSON string literal, or a run of characters that are neither brackets nor a quote
_SKIP = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[^\[\]{}"]+', re.S)
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1, '"': 0}


class JSONTooDeep(ValueError):
    """The JSON text nests deeper than allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"nested deeper than {limit} levels")
        self.limit = limit


def json_depth(text: str) -> int:
    """The deepest bracket nesting of a JSON text (brackets inside strings do not count; an
    unclosed bracket counts as open until the end)."""
    brackets = _SKIP.sub("", text)
    if not brackets:
        return 0
    return max(0, max(accumulate(map(_STEP.__getitem__, brackets))))


def too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``text`` nests deeper than ``limit`` (cheap when it holds few brackets)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    return json_depth(text) > limit


def loads_bounded(text: str | bytes, limit: int = MAX_JSON_DEPTH, **kwargs: Any) -> Any:
    """``json.loads`` that raises :class:`JSONTooDeep` (a ValueError) instead of recursing past
    ``limit`` levels."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode(json.detect_encoding(text), "surrogatepass")
    if too_deep(text, limit):
        raise JSONTooDeep(limit)
    try:
        return json.loads(text, **kwargs)
    except RecursionError:  # cannot happen below the limit; kept as a last guard
        raise JSONTooDeep(limit) from None
