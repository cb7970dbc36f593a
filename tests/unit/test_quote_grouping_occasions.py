"""Grouping rule on publication dates (briefreader.core.quote_grouping._another_occasion): a short
quote without a confident speaker, published more than a month from a statement one article
printed, is the same words used on another occasion, not a cut of that statement. Every name,
outlet and sentence here is invented."""

from __future__ import annotations

import pytest

from briefreader.core.model import Article
from briefreader.core.quote_clusters import analyse_quotes
from briefreader.core.quote_grouping import OCCASION_DAYS, _Spread, _UnionFind, publication_day

STATEMENT = ("We are going to dig the canal through the valley, and the farmers down there will thank us "
             "for it one day")
CHANT = "At the fair the crowd kept chanting “dig the canal through the valley” as the band played."


def art(i: int, body: str, date: str | None) -> Article:
    return Article(id=f"a{i}.txt", path=f"a{i}.txt", format="txt", body=body, outlet=f"Outlet {i}",
                   date=date, order=i)


def cluster_of(analysis, snippet: str, article: str) -> str:
    (owner,) = [c.id for c in analysis.clusters for v in c.variants if v.article == article and snippet in v.text]
    return owner


def test_a_chant_months_after_a_one_off_statement_stays_apart() -> None:
    arts = [
        art(0, f"“{STATEMENT},” the governor Karl Olsen said in an interview.", "2025-01-10"),
        art(1, CHANT, "2025-05-20"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "dig the canal", "a1.txt") != cluster_of(an, "dig the canal", "a0.txt")


def test_the_same_cut_days_after_the_statement_joins_it() -> None:
    arts = [
        art(0, f"“{STATEMENT},” the governor Karl Olsen said in an interview.", "2025-01-10"),
        art(1, CHANT, "2025-01-14"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "dig the canal", "a1.txt") == cluster_of(an, "dig the canal", "a0.txt")


def test_a_cut_published_before_a_one_off_statement_stays_apart() -> None:
    arts = [
        art(0, CHANT, "2024-10-02"),
        art(1, f"“{STATEMENT},” the governor Karl Olsen said in an interview.", "2025-01-10"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "dig the canal", "a0.txt") != cluster_of(an, "dig the canal", "a1.txt")


def test_a_statement_several_articles_printed_is_quoted_months_later() -> None:
    arts = [
        art(0, f"“{STATEMENT},” the governor Karl Olsen said in an interview.", "2025-01-10"),
        art(1, f"Karl Olsen told the paper: “{STATEMENT}.”", "2025-01-11"),
        art(2, CHANT, "2025-05-20"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "dig the canal", "a2.txt") == cluster_of(an, "dig the canal", "a0.txt")


def test_one_confident_speaker_of_both_joins_them_months_apart() -> None:
    arts = [
        art(0, f"“{STATEMENT},” the governor Karl Olsen said in an interview.", "2025-01-10"),
        art(1, "“Dig the canal through the valley,” Karl Olsen said on Tuesday.", "2025-05-20"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "canal", "a1.txt") == cluster_of(an, "dig the canal", "a0.txt")


def test_undated_articles_are_not_judged_by_date() -> None:
    arts = [
        art(0, f"“{STATEMENT},” the governor Karl Olsen said in an interview.", None),
        art(1, CHANT, "2025-05-20"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "dig the canal", "a1.txt") == cluster_of(an, "dig the canal", "a0.txt")


@pytest.mark.parametrize(
    ("date", "day"),
    [
        ("2016-03-10", 736_033),
        ("2016-03-10T08:15:00Z", 736_033),
        ("2016-03", None),
        ("--08-17", None),
        ("2016-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_publication_day(date: str | None, day: int | None) -> None:
    assert publication_day(date) == day


def _spread(rows: list[tuple[int | None, int]]) -> _Spread:
    spread = _Spread()
    for day, article in rows:
        spread.add_phrase(day, article)
    return spread


def test_spread_of_a_phrase_printed_twice() -> None:
    spread = _spread([(100, 7)])
    assert spread.one_article(0)
    spread.add_unit(0, 140, 7)  # printed twice by one article (a lead and its body): still one article
    assert spread.one_article(0) and (spread.first_day[0], spread.last_day[0]) == (100, 140)
    spread.add_unit(0, 90, 8)
    assert not spread.one_article(0) and (spread.first_day[0], spread.last_day[0]) == (90, 140)


def test_days_apart_of_groups() -> None:
    spread = _spread([(100, 1), (120, 2), (None, 3), (180, 4)])
    assert spread.days_apart(0, 1) == 20 == spread.days_apart(1, 0)
    assert spread.days_apart(0, 2) == 0  # a day unknown: not judged
    uf = _UnionFind(4, None, spread)
    uf.union(0, 3)  # a group published on days 100 to 180 overlaps day 120
    root = uf.find(0)
    assert uf.spread is not None and uf.spread.days_apart(root, 1) == 0
    assert not uf.spread.one_article(root)


def test_the_threshold_is_about_a_month() -> None:
    assert 21 <= OCCASION_DAYS <= 45


def test_a_long_cut_months_after_a_one_off_statement_joins_it() -> None:
    arts = [
        art(0, f"“{STATEMENT},” the governor Karl Olsen said in an interview.", "2025-01-10"),
        art(1, "The crowd kept chanting “dig the canal through the valley, and the farmers down there” as the "
               "band played.", "2025-05-20"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "dig the canal", "a1.txt") == cluster_of(an, "dig the canal", "a0.txt")
