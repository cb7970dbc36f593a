"""The query language parsed once (briefreader.core.query): filters, saved searches and words."""

from __future__ import annotations

import random

import pytest

from briefreader.core.query import (
    Filters,
    Query,
    QueryError,
    QuerySyntaxError,
    expand_saved,
    matches,
    parse,
    parse_filters,
    search_name,
    split_filters,
    uses_saved,
    validate_query_text,
    with_options,
)
from briefreader.core.triage_model import STATUSES, ArticleState, TriageError

FIELDS = ("id", "path", "title", "outlet", "agency", "author", "dateline", "date", "body")


def test_filters_and_words_are_taken_apart() -> None:
    q = parse('status:keep,follow-up -status:discard tag:"middle east" -tag:draft has:note note:"gas deal" '
              'ceasefire outlet:tass "walk into"')
    assert q.filters.status_any == [{"keep", "follow-up"}]
    assert q.filters.status_not == {"discard"}
    assert q.filters.tag_any == [{"middle east"}] and q.filters.tag_not == {"draft"}
    assert q.filters.has == {"note"} and q.filters.note_contains == ["gas deal"]
    assert q.text == 'ceasefire outlet:tass "walk into"'
    assert q.has_filters and q.has_words and not q.filters_only and bool(q)


def test_a_query_of_words_only_and_an_empty_one() -> None:
    words = parse("kallas trap")
    assert not words.has_filters and words.text == "kallas trap" and words.describe() == "kallas trap"
    empty = parse("")
    assert not empty and empty.describe() == "" and empty == Query()
    assert parse("status:keep").filters_only


def test_aliases_are_canonical() -> None:
    q = parse("is:kept status:fu tags:EU has:highlights")
    assert q.filters.status_any == [{"keep"}, {"follow-up"}]
    assert q.filters.tag_any == [{"eu"}] and q.filters.has == {"highlight"}
    assert q.describe() == "status:keep status:follow-up tag:eu has:highlight"


@pytest.mark.parametrize(
    "text",
    [
        "status:keep",
        "status:follow-up,keep -status:discard",
        'tag:"middle east" -tag:draft has:note -has:tags',
        'tag:"a b,c" ceasefire',  # a group of tags, one with a space: quoted whole
        'note:"gas deal" "walk into" outlet:tass',
        "tag:eu tag:nato",  # two groups: both must hold
    ],
)
def test_describe_parses_back_to_the_same_query(text: str) -> None:
    q = parse(text)
    again = parse(q.describe())
    assert again.filters == q.filters and again.text == q.text
    assert parse(again.describe()).describe() == q.describe()


def test_random_filters_round_trip() -> None:
    rng = random.Random(13)
    tags = ["eu", "nato", "middle east", "gas-deal", "draft", "Ukraine war"]
    for _ in range(300):
        filters = Filters()
        for _ in range(rng.randint(0, 2)):
            filters.status_any.append(set(rng.sample(STATUSES, rng.randint(1, 3))))
        filters.status_not = set(rng.sample(STATUSES, rng.randint(0, 2)))
        for _ in range(rng.randint(0, 2)):
            filters.tag_any.append({t.casefold() for t in rng.sample(tags, rng.randint(1, 3))})
        filters.tag_not = {t.casefold() for t in rng.sample(tags, rng.randint(0, 2))}
        filters.has = set(rng.sample(["note", "tags", "highlight"], rng.randint(0, 2)))
        filters.note_contains = rng.sample(["gas", "walk into", "a,b"], rng.randint(0, 2))
        words = rng.choice(["", "ceasefire", '"walk into" outlet:tass'])
        q = Query(filters=filters, text=words)
        back = parse(q.describe())
        assert back.filters == filters and back.text == words, q.describe()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("status:maybe", "unknown status 'maybe' (choose from new, read, keep, discard, follow-up)"),
        ("status:,", "empty status in 'status:,'"),
        ('tag:""', "empty tag in 'tag:\"\"'"),
        ("has:colour", "unknown has: value 'colour' (use has:note, has:tags or has:highlight)"),
        ("-note:gas", "-note: is not supported; use -has:note"),
        ('note:" "', "empty note filter"),
    ],
)
def test_bad_filters_are_refused_with_one_clear_sentence(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, TriageError)  # the front ends' one except clause


def test_parse_filters_refuses_words() -> None:
    assert parse_filters("status:keep").status_any == [{"keep"}]
    with pytest.raises(QueryError, match=r"not a triage filter: 'ceasefire'"):
        parse_filters("status:keep ceasefire")


def test_saved_searches_expand_recursively_and_report_problems() -> None:
    saved = {"eu": "tag:eu", "hot": "@eu status:keep", "loop": "@loop2", "loop2": "@loop"}
    q = parse("@hot ceasefire", saved)
    assert q.saved == ("hot",) and q.filters.tag_any == [{"eu"}] and q.filters.status_any == [{"keep"}]
    assert q.text == "ceasefire" and q.source == "@hot ceasefire"
    assert expand_saved("x@y.z @eu", saved) == "x@y.z tag:eu"  # only whole words are saved searches
    with pytest.raises(QueryError, match=r"no saved search @nope \(@eu, @hot, @loop, @loop2\)"):
        parse("@nope", saved)
    with pytest.raises(QueryError, match="none saved yet"):
        parse("@nope", {})
    with pytest.raises(QueryError, match="in a loop"):
        parse("@loop", saved)
    with pytest.raises(QueryError, match="saved searches need the triage state"):
        parse("@eu")  # no saved searches given
    assert uses_saved("status:keep @eu") and not uses_saved("mail@example.org")


def test_search_names() -> None:
    assert search_name(" @eu-gas ") == "eu-gas"
    with pytest.raises(QueryError, match="one-word name"):
        search_name("two words")


def test_option_lists_narrow_without_changing_the_original() -> None:
    base = split_filters("tag:eu")[0]
    narrowed = with_options(base, ["keep", "follow-up"], ["nato,draft", "x"])
    assert narrowed.status_any == [{"keep", "follow-up"}]
    assert narrowed.tag_any == [{"eu"}, {"nato", "draft"}, {"x"}]
    assert base.tag_any == [{"eu"}] and not base.status_any
    with pytest.raises(QueryError, match="unknown status"):
        with_options(base, ["maybe"])
    q = parse("tag:eu words").narrowed(["keep"])
    assert q.filters.status_any == [{"keep"}] and q.text == "words"


def test_matches_looks_at_tags_of_highlights_and_comments() -> None:
    state = ArticleState("a.txt", status="keep", tags=["EU"], note="", highlights=1,
                         highlight_tags=["Gas"], comments=["a key claim"])
    assert matches(parse("status:keep tag:gas has:highlight note:key").filters, state)
    assert not matches(parse("-tag:eu").filters, state)
    assert not matches(parse("has:note").filters, state)
    assert matches(parse("status:new").filters, ArticleState("b.txt"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"walk into', "a quote is not closed"),
        ("(kallas", "'(' at position 1 is not closed with ')'"),
        ("kallas)", "')' at position 7 closes nothing"),
        ("colour:red", "unknown field 'colour:'"),
        ("title: trap", "'title:' needs a value right after the colon"),
        ("date:2025-13", "date '2025-13' not understood"),
        ("date:[2025 2026]", "date range"),
        ("kallas~3", "fuzzy matching allows at most 2 edits"),
        ('"walk into"~99', "at most 50 words apart"),
    ],
)
def test_word_checks_say_what_to_change(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        validate_query_text(text, FIELDS)
    assert message in str(caught.value)


def test_good_words_pass_the_checks() -> None:
    for text in ('"walk into" outlet:tass', "date:[2025-08-01 to 2025-08-31]", "kallas~2", "https://x.org/a"):
        validate_query_text(text, FIELDS)
