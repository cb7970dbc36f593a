"""Rule definitions are checked step by step: each bad rule is refused with a message that names
the rule and the problem; a good one keeps every option it was given."""

from __future__ import annotations

from typing import Any

import pytest

from briefreader.core.rules import _build_rule


@pytest.mark.parametrize("raw, message", [
    (5, "expected a mapping"),
    ({"pattern": "x", "bogus": 1}, "unknown key(s) bogus"),
    ({"pattern": "a", "scope": "zzz"}, "scope must be one of"),
    ({"words": ["a"], "scope": "line"}, "'words' only applies to scope: phrase"),
    ({"words": ["a"], "pattern": "b", "scope": "phrase"}, "give 'words' or a pattern, not both"),
    ({"triggers": ["a"], "words": ["b"], "scope": "phrase"}, "'triggers' only applies to phrase rules"),
    ({"text": "a", "pattern": "b"}, "give exactly one of 'pattern'"),
    ({"text": " ", "reason": "r"}, "'text' must be a non-empty string"),
    ({"pattern": "", "reason": "r"}, "'pattern' must be a non-empty string"),
    ({"pattern": "x", "reason": " "}, "'reason' must be a non-empty string"),
    ({"pattern": "x", "reason": "r", "weight": True}, "'weight' must be an integer"),
    ({"pattern": "x", "reason": "r", "field": "bogus"}, "field must be one of"),
    ({"pattern": "x", "reason": "r", "field": "date", "scope": "block"}, "'field' only applies to scope: line"),
    ({"pattern": "x", "reason": "r", "zone": "mid"}, "zone must be one of"),
    ({"pattern": "x", "reason": "r", "max_words": 0}, "'max_words' must be a positive integer"),
    ({"pattern": "x", "reason": "r", "sentence": "no"}, "'sentence' must be true or false"),
    ({"pattern": "x", "reason": "r", "case_sensitive": 1}, "'case_sensitive' must be true or false"),
    ({"pattern": r"(a)\1", "reason": "r"}, "backreferences are not supported"),
])
def test_a_bad_rule_is_refused_with_its_name_and_problem(raw: Any, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        _build_rule(raw, 2, "manifest", {})
    assert message in str(caught.value)
    assert str(caught.value).startswith("boilerplate rule #3")


def test_a_corpus_pattern_that_matches_an_empty_line_is_refused_but_a_shipped_one_is_not_compiled() -> None:
    with pytest.raises(ValueError, match="matches an empty line"):
        _build_rule({"pattern": "a*", "reason": "r"}, 0, "manifest", {})
    with pytest.raises(ValueError, match="matches the empty string"):
        _build_rule({"pattern": "a*", "reason": "r", "scope": "phrase"}, 0, "manifest", {})
    assert _build_rule({"pattern": "a*", "reason": "r"}, 0, "default", {}).budgeted is None


def test_a_good_rule_keeps_its_options() -> None:
    rule = _build_rule({"text": "Share  on   Facebook", "reason": " share ", "zone": "head", "field": "byline",
                        "weight": 5, "case_sensitive": True, "max_words": 4, "sentence": False, "id": "s1"},
                       0, "manifest", {})
    assert (rule.id, rule.reason, rule.zone, rule.field, rule.weight) == ("s1", "share", "head", "byline", 5)
    assert (rule.case_sensitive, rule.max_words, rule.sentence, rule.origin) == (True, 4, False, "manifest")
    assert rule.regex.fullmatch("Share on Facebook") and not rule.regex.fullmatch("share on facebook")
    phrase = _build_rule({"words": ["beta", "alpha"], "scope": "phrase", "reason": "r"}, 1, "default", {})
    assert phrase.words == frozenset({"alpha", "beta"}) and phrase.pattern == r"\balpha\b|\bbeta\b"
    assert _build_rule("Skip to content", 2, "manifest", {}).reason == "boilerplate (corpus rule)"
