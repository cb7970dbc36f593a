"""Word diff and partial-quote alignment (briefreader.core.diffing)."""

from __future__ import annotations

import pytest

from briefreader.core.diffing import align, diff_words, tokenize, word_keys


def _check_spans(a: str, b: str, ops) -> None:
    for op in ops:
        assert a[op.a_span[0] : op.a_span[1]] == op.a_text
        assert b[op.b_span[0] : op.b_span[1]] == op.b_text
    # spans move forward and never overlap
    for prev, nxt in zip(ops, ops[1:], strict=False):
        assert prev.a_span[1] <= nxt.a_span[0]
        assert prev.b_span[1] <= nxt.b_span[0]


def test_identical_texts_are_one_equal_run() -> None:
    a = "The council will meet again on Tuesday."
    ops = diff_words(a, a)
    assert [op.tag for op in ops] == ["equal"]
    assert ops[0].a_span == (0, len(a))


def test_changed_dropped_and_added_words() -> None:
    a = "We will rebuild the old bridge before the winter."
    b = "We will rebuild the bridge quickly before winter arrives."
    ops = diff_words(a, b)
    _check_spans(a, b, ops)
    tags = [(op.tag, op.a_text, op.b_text) for op in ops]
    assert ("delete", "old", "") in tags
    assert ("insert", "", "quickly") in tags
    # every word of both texts is covered by some run
    covered_a = "".join(op.a_text for op in ops)
    assert covered_a.replace(" ", "") == a.replace(" ", "")


def test_adjacent_delete_and_insert_merge_into_replace() -> None:
    a = "prices rose sharply in March"
    b = "prices fell slowly in March"
    ops = diff_words(a, b)
    _check_spans(a, b, ops)
    assert [op.tag for op in ops] == ["equal", "replace", "equal"]
    assert ops[1].a_text == "rose sharply" and ops[1].b_text == "fell slowly"


def test_insert_point_is_marked_in_the_other_text() -> None:
    a = "a plan for peace"
    b = "a detailed plan for peace"
    ops = diff_words(a, b)
    ins = [op for op in ops if op.tag == "insert"][0]
    assert ins.a_span[0] == ins.a_span[1] == 1  # right after "a"
    assert ins.b_text == "detailed"


def test_ignore_case() -> None:
    assert [op.tag for op in diff_words("The Plan", "the plan")] == ["replace"]
    assert [op.tag for op in diff_words("The Plan", "the plan", ignore_case=True)] == ["equal"]


def test_ignore_punct_and_quotes() -> None:
    a = "“We are ready,” he said; the U.S. agreed."
    b = '"We are ready" he said, the US agreed'
    assert any(op.tag != "equal" for op in diff_words(a, b))
    assert all(op.tag == "equal" for op in diff_words(a, b, ignore_punct=True))
    c = "“We are ready”"
    d = "«We are ready»"
    assert any(op.tag != "equal" for op in diff_words(c, d))
    assert all(op.tag == "equal" for op in diff_words(c, d, ignore_quotes=True))


def test_curly_and_straight_apostrophes_compare_equal() -> None:
    assert all(op.tag == "equal" for op in diff_words("we don’t know", "we don't know"))


def test_empty_inputs() -> None:
    assert diff_words("", "") == []
    ops = diff_words("", "new words")
    assert [op.tag for op in ops] == ["insert"] and ops[0].a_span == (0, 0)
    assert [op.tag for op in diff_words("old words", "")] == ["delete"]


def test_tokenize_keeps_contractions_and_abbreviations_whole() -> None:
    toks = [t.text for t in tokenize("The U.S. won’t sign, O'Neill said.")]
    assert toks == ["The", "U.S.", "won’t", "sign", ",", "O'Neill", "said", "."]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("They won't stop", "they will not stop"),
        ("it can't continue", "it cannot continue"),
        ("until it realises", "until it realizes"),
        ("our favourite colour", "our favorite color"),
        ("the defence centre", "the defense center"),
        ("The U.S. holds it", "the US holds it"),
    ],
)
def test_word_keys_normalise_variants(a: str, b: str) -> None:
    assert word_keys(a) == word_keys(b)


def test_word_keys_keep_real_differences() -> None:
    assert word_keys("four hours") != word_keys("for hours")
    assert word_keys("he will go") != word_keys("he will not go")


def test_align_partial_quote_inside_longer_rendering() -> None:
    long = "The hard truth is that the company has no plan to raise wages this year. Staff were told later."
    short = "no plan to raise wages"
    al = align(short, long)
    assert long[al.long_span[0] : al.long_span[1]] == "no plan to raise wages"
    assert al.score == 1.0
    assert al.short_span == (0, len(short))


def test_align_tolerates_a_changed_word() -> None:
    long = "Officials said the company has no plan to lift wages this year, despite the strike."
    al = align("no plan to raise wages this year", long)
    assert long[al.long_span[0] : al.long_span[1]] == "no plan to lift wages this year"
    assert 0.7 < al.score < 1.0


def test_align_unrelated_text_scores_low() -> None:
    al = align("green apples and pears", "The minister resigned after the vote on Tuesday.")
    assert al.score < 0.3


def test_align_empty() -> None:
    assert align("", "something").score == 0.0
    assert align("something", "").long_span == (0, 0)


def test_random_inputs_keep_spans_consistent() -> None:
    import random

    rng = random.Random(5)
    words = ["the", "The", "plan", "won't", "will", "not", "U.S.", "“", "”", ",", ".", "O'Neill", "colour", "color",
             "a"]
    for _ in range(500):
        a = " ".join(rng.choice(words) for _ in range(rng.randint(0, 15)))
        b = " ".join(rng.choice(words) for _ in range(rng.randint(0, 15)))
        for kwargs in ({}, {"ignore_case": True}, {"ignore_punct": True}, {"ignore_quotes": True}):
            _check_spans(a, b, diff_words(a, b, **kwargs))
        al = align(a, b)
        assert 0 <= al.long_span[0] <= al.long_span[1] <= len(b)
        assert 0.0 <= al.score <= 1.0


def test_small_numbers_spelled_out_key_as_digits() -> None:
    assert word_keys("a two-in-three chance, one in three") == word_keys("a 2 in 3 chance, 1 in 3")
    assert word_keys("twelve") == ["12"] and word_keys("thirteen") == ["thirteen"]
    assert word_keys("someone") == ["someone"]  # only whole words


def test_swear_words_and_their_censored_forms_are_one_key() -> None:
    assert word_keys("pay for that f*ing wall!") == word_keys("pay for that fucking wall")
    assert word_keys("that f-----g wall") == word_keys("that fucking wall")
    assert word_keys("you c---sucker, son-of-a-b----") == word_keys("you cocksucker, son-of-a-bitch")
    assert word_keys("fucking") != word_keys("fighting")
    # dashes between words and arithmetic are no censoring
    assert word_keys("me--it is") == ["me", "it", "is"]
    assert word_keys("I---I don't") == ["i", "i", "do", "not"]
    assert word_keys("a 5*3 grid") == ["a", "5", "3", "grid"]
