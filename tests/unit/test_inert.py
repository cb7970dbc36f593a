"""core.inert: terminal controls, C1, bidi controls and lone surrogates become visible placeholders."""

from __future__ import annotations

import json
import random

import pytest

from briefreader.core.inert import inert, inert_line, is_inert, json_escape_controls

FORBIDDEN = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]] + [
    "\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)),
    "\u2028", "\u2029", "\udcff", "\ud800",
]


def _assert_clean(text: str, *, one_line: bool) -> None:
    bad = [f"U+{ord(c):04X}" for c in text if c in FORBIDDEN or (one_line and c in "\n\t")]
    assert not bad, bad


def test_escape_sequences_lose_their_introducer_and_stay_visible() -> None:
    assert inert("a\x1b]52;c;cHduZWQ=\x07b") == "a␛]52;c;cHduZWQ=␇b"
    assert inert("\x1b]0;pwned\x07") == "␛]0;pwned␇"
    assert inert("\x1b[2J") == "␛[2J"
    assert inert("\x1b]8;;http://x\x1b\\link") == "␛]8;;http://x␛\\link"
    assert inert("\x1bPq#0\x1b\\") == "␛Pq#0␛\\"  # DCS ... ST
    assert inert("x\x7fy\rz\x00") == "x␡y␍z␀"


def test_c1_bidi_and_surrogates() -> None:
    assert inert("a\x9b31mb") == "a\ufffd31mb"
    assert inert_line("a\x9b31mb") == "a<U+009B>31mb"
    assert inert("invoice\u202etxt.exe") == "invoice\ufffdtxt.exe"
    assert inert_line("invoice\u202etxt.exe") == "invoice<U+202E>txt.exe"
    for char in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069":
        assert inert_line(char) == f"<U+{ord(char):04X}>"
        assert inert(char) == "\ufffd"
    assert inert_line("name\udcff.txt") == "name\\xff.txt"  # an undecodable byte of a file name
    assert inert("name\udcff.txt") == "name\ufffd.txt"


def test_text_keeps_tabs_newlines_and_length_line_does_not() -> None:
    text = "one\ttwo\nthree\u2028four\u2029five"
    assert inert(text) == "one\ttwo\nthree\nfour\nfive"
    assert inert_line(text) == "one two␊three␤four␤five"
    assert inert_line("a\r\nb") == "a␍␊b"


def test_ordinary_text_is_returned_unchanged() -> None:
    text = "Kallas: “Sanktionen bleiben” — ‘ceasefire’ 停火 وقف إطلاق النار 👍🏽 \u200d\u00ad [red] *x*"
    assert inert(text) is text
    assert inert_line(text) is text
    assert is_inert(text) and is_inert(text, one_line=True)
    assert not is_inert("a\nb", one_line=True) and is_inert("a\nb")


def test_random_text_never_keeps_a_control_and_keeps_its_length() -> None:
    rng = random.Random(10)
    alphabet = [*FORBIDDEN, "a", " ", "\n", "\t", "é", "ж", "[", "]", "\u200d"]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        shown = inert(text)
        assert len(shown) == len(text)
        _assert_clean(shown, one_line=False)
        _assert_clean(inert_line(text), one_line=True)
        assert inert(shown) == shown and inert_line(inert_line(text)) == inert_line(text)


@pytest.mark.parametrize("value", ["\x1b]0;x\x07", "a\x9bb\u202ec\u2028\x7f", "\udcffname", "plain"])
def test_json_escapes_are_lossless(value: str) -> None:
    text = json_escape_controls(json.dumps({"v": value, "k": [value]}, ensure_ascii=False))
    _assert_clean(text, one_line=True)
    assert json.loads(text) == {"v": value, "k": [value]}
