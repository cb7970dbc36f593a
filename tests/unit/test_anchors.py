"""W3C text-quote + text-position anchors: creation, re-attachment after edits, passage search."""

from __future__ import annotations

import pytest

from briefreader.core.anchors import (
    CONTEXT,
    closest_passage,
    find_passage,
    make_anchor,
    paragraph_number,
    paragraph_spans,
    reanchor,
    resolve,
)

TEXT = (
    "LONDON\n\n"
    "The EU foreign policy chief on Friday warned against forcing Ukraine to give up territory, saying "
    "this is actually a \u201ctrap that Russia wants us to walk into.\u201d\n\n"
    "Kallas said Russia is the one that started the war and has not made any concessions yet.\n\n"
    "\u201cPutin is just laughing, not stopping the killing but increasing the killing,\u201d she added.\n\n"
    "Kallas said it was up to the \u201cCoalition of the Willing\u201d member states to decide."
)


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


def test_make_anchor_keeps_context_and_w3c_selectors() -> None:
    s, e = span(TEXT, "trap that Russia wants us to walk into")
    a = make_anchor(TEXT, s, e)
    assert a.exact == "trap that Russia wants us to walk into"
    assert a.prefix == TEXT[s - CONTEXT : s] and len(a.prefix) == CONTEXT
    assert a.suffix == TEXT[e : e + CONTEXT]
    assert a.to_w3c() == [
        {"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix},
        {"type": "TextPositionSelector", "start": s, "end": e},
    ]
    start_anchor = make_anchor(TEXT, 0, 6)
    assert start_anchor.prefix == "" and start_anchor.exact == "LONDON"
    with pytest.raises(ValueError):
        make_anchor(TEXT, 10, 10)
    with pytest.raises(ValueError):
        make_anchor(TEXT, 0, len(TEXT) + 1)


def test_unchanged_text_resolves_exactly() -> None:
    a = make_anchor(TEXT, *span(TEXT, "has not made any concessions"))
    r = resolve(a, TEXT)
    assert (r.state, r.start, r.end, r.score) == ("exact", a.start, a.end, 100.0)


def test_text_inserted_before_moves_the_anchor() -> None:
    a = make_anchor(TEXT, *span(TEXT, "has not made any concessions"))
    new = "UPDATE: corrected at 14:00.\n\n" + TEXT
    r = resolve(a, new)
    assert r.state == "moved"
    assert new[r.start : r.end] == "has not made any concessions"


def test_repeated_text_is_told_apart_by_context() -> None:
    # "the killing" occurs twice in one sentence; the second one was highlighted.
    s, e = span(TEXT, "the killing", nth=1)
    a = make_anchor(TEXT, s, e)
    new = TEXT.replace("LONDON\n\n", "LONDON, Aug 22\n\nA new lead paragraph mentions the killing too.\n\n")
    r = resolve(a, new)
    assert r.state == "moved"
    assert new[r.start - len("increasing ") : r.end] == "increasing the killing"


def test_repeated_text_without_context_prefers_the_nearest() -> None:
    text = "alpha beta. " * 3
    a = make_anchor(text, 12, 17, context=0)  # second "alpha", no context to go by
    shifted = "x" + text
    r = resolve(a, shifted)
    assert (r.state, r.start) == ("moved", 13)


def test_edited_passage_is_found_by_its_context() -> None:
    a = make_anchor(TEXT, *span(TEXT, "has not made any concessions yet"))
    new = TEXT.replace("has not made any concessions yet", "has still made no concessions so far")
    r = resolve(a, new)
    assert r.state == "fuzzy"
    assert new[r.start : r.end] == "has still made no concessions so far"
    assert 0 < r.score < 100


def test_edited_passage_with_changed_context_is_found_approximately() -> None:
    a = make_anchor(TEXT, *span(TEXT, "Putin is just laughing, not stopping the killing but increasing the killing"))
    new = TEXT.replace(
        "\u201cPutin is just laughing, not stopping the killing but increasing the killing,\u201d she added.",
        "In an interview she added that Putin was just laughing, not stopping the killing but increasing the killing.",
    )
    r = resolve(a, new)
    assert r.state == "fuzzy"
    found = new[r.start : r.end]
    assert "laughing, not stopping the killing but increasing the killing" in found
    assert found.startswith("Putin")


def test_removed_passage_becomes_an_orphan_with_its_old_position() -> None:
    a = make_anchor(TEXT, *span(TEXT, "Coalition of the Willing"))
    new = TEXT.replace("Kallas said it was up to the \u201cCoalition of the Willing\u201d member states to decide.", "")
    r = resolve(a, new)
    assert r.state == "orphan" and not r.attached
    assert (r.start, r.end) == (a.start, a.end)
    same, res = reanchor(a, new)
    assert same == a and res.state == "orphan"


def test_short_passages_are_never_matched_approximately() -> None:
    a = make_anchor("the war began", 4, 7, context=0)  # "war"
    assert resolve(a, "so the wars began").state == "moved"  # the exact text is still there
    assert resolve(a, "the wan began").state == "orphan"


def test_reanchor_rebuilds_context_on_the_new_text() -> None:
    a = make_anchor(TEXT, *span(TEXT, "has not made any concessions yet"))
    new = "Intro.\n\n" + TEXT.replace("any concessions yet", "any concession yet")
    b, r = reanchor(a, new)
    assert r.state == "fuzzy"
    assert b.exact == new[b.start : b.end] and b.prefix == new[b.start - CONTEXT : b.start]
    assert resolve(b, new).state == "exact"


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("trap that Russia wants us to walk into", "trap that Russia wants us to walk into"),
        ("trap  that\nRussia   wants", "trap that Russia wants"),  # any whitespace
        ('a "trap that', "a \u201ctrap that"),  # straight quote typed, curly in the text
        ("Coalition of the Willing\" member", "Coalition of the Willing\u201d member"),
    ],
)
def test_find_passage_is_tolerant_of_whitespace_and_quote_style(typed: str, found: str) -> None:
    spans = find_passage(TEXT, typed)
    assert len(spans) == 1
    assert TEXT[spans[0][0] : spans[0][1]] == found


def test_find_passage_reports_every_occurrence_and_nothing_for_missing() -> None:
    assert len(find_passage(TEXT, "Kallas said")) == 2
    assert len(find_passage(TEXT, "the killing")) == 2
    assert find_passage(TEXT, "not in the article") == []
    assert find_passage(TEXT, "   ") == []
    near = closest_passage(TEXT, "Kallas sad Russia is the one")
    assert near is not None and near[0] == "Kallas said Russia is the one" and near[1] > 80


def test_paragraph_numbers() -> None:
    assert len(paragraph_spans(TEXT)) == 5
    assert paragraph_number(TEXT, 0) == 1
    assert paragraph_number(TEXT, TEXT.index("trap")) == 2
    assert paragraph_number(TEXT, TEXT.index("Coalition")) == 5
    assert paragraph_number("one\ntwo\nthree", 5) == 2  # no blank lines: lines are paragraphs
    assert paragraph_number("", 0) == 1


def test_renormalised_text_is_found_despite_whitespace_and_quote_changes() -> None:
    text = "Intro.\n\nShe said Russia wants peace in Ukraine . \"Not now,\" she added -- firmly."
    s = text.index("Ukraine .")
    a = make_anchor(text, s, text.index("firmly") + len("firmly"))
    cleaned = "Intro.\n\nShe said Russia wants peace in Ukraine. \u201cNot now,\u201d she added \u2014 firmly."
    r = resolve(a, cleaned)
    assert r.state == "fuzzy" and r.score > 85
    assert cleaned[r.start : r.end] == "Ukraine. \u201cNot now,\u201d she added \u2014 firmly"


def test_a_short_passage_does_not_jump_to_a_look_alike_elsewhere() -> None:
    a = make_anchor(TEXT, *span(TEXT, "Kallas said Russia"))
    new = TEXT.replace(
        "Kallas said Russia is the one that started the war and has not made any concessions yet.", "No comment."
    ) + "\n\nLater, Kallas says Russian troops moved."
    assert resolve(a, new).state == "orphan"
    # ...but the same short passage, slightly edited in place, is found again.
    edited = TEXT.replace("Kallas said Russia is the one", "Kallas says Russia is the one")
    r = resolve(a, edited)
    assert r.state == "fuzzy" and edited[r.start : r.end] == "Kallas says Russia"
