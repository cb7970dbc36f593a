"""Making untrusted text safe to show on a terminal (pure functions, no UI import).

Corpus text (bodies, titles, outlets, file names, JSON fields, notes and tags from a triage file that
travelled with the corpus) may hold terminal control sequences: ``ESC ] 52`` writes the clipboard,
``ESC ] 0`` the window title, ``ESC [2J`` clears the screen, ``ESC ] 8`` makes hyperlinks, a C1
``U+009B`` is a one-byte CSI, and bidi overrides (``U+202E``) reorder what the analyst reads.

Every such character is replaced by a *visible* placeholder, so the analyst sees that something
was there and nothing reaches the terminal as a control:

- C0 controls (except tab and newline) and DEL become their Unicode control pictures:
  ``ESC`` -> ``␛``, ``BEL`` -> ``␇``, ``CR`` -> ``␍``, ``DEL`` -> ``␡``.
  An escape sequence therefore shows as ``␛]0;pwned␇``: its introducer is gone, the rest is text.
- C1 controls (``U+0080``-``U+009F``), bidi controls (``U+061C``, ``U+200E``, ``U+200F``,
  ``U+202A``-``U+202E``, ``U+2066``-``U+2069``), lone surrogates (undecodable bytes of a file name)
  and the interlinear annotation characters (``U+FFF9``-``U+FFFB``) become ``�`` in text
  (:func:`inert`) and ``<U+202E>`` in one-line fields (:func:`inert_line`).
- The Unicode line and paragraph separators (``U+2028``, ``U+2029``) become a newline in text
  (Python's ``splitlines`` and some terminals break there anyway) and ``␤`` in one-line fields.

:func:`inert` keeps the length of the text (one character in, one out), so character offsets
(highlights, quotations, search hits, a click mapped to an offset, ``highlight --span``) stay valid
on the shown text. :func:`inert_line` is for fields shown on one line (titles, outlets, ids,
warnings): it also makes newlines, carriage returns and tabs visible or blank, so a file name cannot
fake a second line of output.

Both are cheap when there is nothing to replace (one compiled regex scan, ~0.1 ms on a 10,000-word
body; see ``bench/bench_inert.py``), which is nearly always.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
LINE_SYMBOL = "\u2424"  # ␤

# Characters that are never shown as themselves (see the module docstring).
_C0 = "\x00-\x08\x0b-\x1f"  # every C0 control but tab (09) and newline (0a)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_OTHER = "\x7f-\x9f\u2028\u2029\ufff9-\ufffb\ud800-\udfff"
_UNSAFE_TEXT = re.compile(f"[{_C0}{_OTHER}{_BIDI}]")
_UNSAFE_LINE = re.compile(f"[\t\n{_C0}{_OTHER}{_BIDI}]")


def _control_picture(code: int) -> str:
    """The visible symbol of a C0 control or DEL (U+2400 block)."""
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def _code_point(char: str) -> str:
    return f"<U+{ord(char):04X}>"


def _build_tables() -> tuple[dict[int, str], dict[int, str]]:
    text_table: dict[int, str] = {}
    line_table: dict[int, str] = {}
    for code in [*range(0x00, 0x20), 0x7F]:
        if code in (0x09, 0x0A):
            continue
        text_table[code] = line_table[code] = _control_picture(code)
    for code in range(0x80, 0xA0):
        text_table[code] = REPLACEMENT
        line_table[code] = _code_point(chr(code))
    bidi = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    for code in [*bidi, 0xFFF9, 0xFFFA, 0xFFFB]:
        text_table[code] = REPLACEMENT
        line_table[code] = _code_point(chr(code))
    for code in (0x2028, 0x2029):
        text_table[code] = "\n"
        line_table[code] = LINE_SYMBOL
    line_table[0x09] = " "
    line_table[0x0A] = _control_picture(0x0A)  # ␊
    return text_table, line_table


_TEXT_TABLE, _LINE_TABLE = _build_tables()


def _text_replacement(match: re.Match[str]) -> str:
    return _TEXT_TABLE.get(ord(match.group()), REPLACEMENT)


def _line_replacement(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        # a lone surrogate: an undecodable byte of a file name (surrogateescape) shows as \xNN
        return f"\\x{code - 0xDC00:02x}" if code >= 0xDC80 else _code_point(char)
    return _LINE_TABLE[code]


def inert(text: str) -> str:
    """``text`` with every terminal control, bidi control and lone surrogate made visible.

    Tabs and newlines are kept; the result has the same length as ``text`` (offsets stay valid).
    """
    first = _UNSAFE_TEXT.search(text) if text else None
    if first is None:
        return text
    start = first.start()  # the text before the first hit is scanned once, not twice
    return text[:start] + _UNSAFE_TEXT.sub(_text_replacement, text[start:])


def inert_line(text: str) -> str:
    """``text`` made safe for a one-line field: like :func:`inert`, and newlines become ``␊``,
    tabs a space, other invisible controls ``<U+XXXX>`` (the length may change)."""
    first = _UNSAFE_LINE.search(text) if text else None
    if first is None:
        return text
    start = first.start()
    return text[:start] + _UNSAFE_LINE.sub(_line_replacement, text[start:])


def is_inert(text: str, *, one_line: bool = False) -> bool:
    """True when ``text`` holds nothing that :func:`inert` (or :func:`inert_line`) would replace."""
    return (_UNSAFE_LINE if one_line else _UNSAFE_TEXT).search(text) is None


# Characters that JSON leaves as they are (it escapes only C0, ``"`` and ``\``) but that a terminal
# or an editor would act on. Outside strings JSON text is ASCII, so each hit is inside a string and
# its ``\uXXXX`` escape decodes to the very same character: the JSON stays lossless.
_JSON_UNSAFE = re.compile(f"[{_OTHER}{_BIDI}]")


def json_escape_controls(json_text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with DEL, C1 controls, bidi
    controls, line/paragraph separators and lone surrogates written as ``\\uXXXX`` escapes."""
    if _JSON_UNSAFE.search(json_text) is None:
        return json_text
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)
