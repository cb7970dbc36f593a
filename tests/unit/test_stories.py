"""The steps of story finding alone (core/stories.py): units, names, time window, joining units."""

from __future__ import annotations

from briefreader.core.copies_model import Copy, CopyGroup
from briefreader.core.model import Article, OffsetMap
from briefreader.core.stories import STORY_DAYS, _close_in_time, _names, _UnionFind, _units


def _article(article_id: str, body: str = "Text.") -> Article:
    return Article(id=article_id, path=article_id, format="txt", source=body, body=body,
                   offsets=OffsetMap([(0, 0, len(body))]))


def test_units_are_copy_groups_led_by_their_original_and_single_articles() -> None:
    articles = [_article(x) for x in ("wire", "copy", "alone")]
    group = CopyGroup("g1", "wire", "earliest", [Copy("copy", 1.0, 1.0)])
    assert _units(articles, [group]) == {"wire": ["wire", "copy"], "alone": ["alone"]}


def test_names_skip_a_lone_capital_at_a_sentence_start_and_stop_words() -> None:
    body = "Officials met. The Port of Linden reopened after Mayor Ana Ortiz spoke to Reuters's staff."
    found = _names(body)
    assert "Officials" not in found  # a capital only because the sentence starts
    assert found["Port of Linden"] == 1 and found["Mayor Ana Ortiz"] == 1 and found["Reuters"] == 1


def test_units_are_close_in_time_within_the_window_or_when_undated() -> None:
    dates = {"a": [100], "b": [100 + STORY_DAYS], "c": [100 + STORY_DAYS + 1], "undated": []}
    assert _close_in_time(dates, "a", "b")
    assert not _close_in_time(dates, "a", "c")
    assert _close_in_time(dates, "a", "undated")


def test_joined_units_share_one_root() -> None:
    joined = _UnionFind(["a", "b", "c", "d"])
    joined.join("a", "b")
    joined.join("c", "b")
    assert joined.find("a") == joined.find("c") == joined.find("b")
    assert joined.find("d") == "d"
