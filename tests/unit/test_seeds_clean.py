"""The five seed articles, precisely: every article paragraph kept (normalised), every piece of
furniture dropped with a fitting reason, and the metadata their text states."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.core.clean import clean_text, normalise_line
from briefreader.core.metadata import infer_metadata
from briefreader.core.rules import load_rules

SAMPLE = Path(__file__).resolve().parents[2] / "sample_corpus"

# file -> (furniture line -> expected reason); every other non-blank line is article text
SEEDS: dict[str, dict[str, str]] = {
    "europapress-kallas-alaska-summit.txt": {
        "BRUSSELS, 17 (EUROPA PRESS)": "dateline",
    },
    "geneva-kallas-post-on-x.txt": {
        "GENEVA": "dateline",
    },
    "lordspress-putin-doesnt-want-peace.txt": {
        "Friday, 12 September, 2025": "date line",
        "London, UK": "dateline",
        "Friday, September 12, 2025 10:32 AM": "date line",
        "scattered clouds 17.3°C": "weather widget",
        "Condition: Scattered clouds": "weather widget",
        "Humidity: 62%": "weather widget",
        "Wind Speed: 25.9 km/h": "weather widget",
        "LP Staff Writers": "byline",
        "Writers at Lord’s Press come from a range of professional backgrounds": "author bio",
        "Categories": "navigation",
        "Follow": "navigation",
        "Newsletter": "newsletter prompt",
        "Subscribe to receive your complimentary login credentials": "subscription prompt",
        "As a journal of record, Lord’s Press remains freely accessible": "*",
        "LP is free thanks to our Sponsors": "*",
        "Privacy Overview": "cookie and privacy notice",
        "Privacy & Cookie Notice": "cookie and privacy notice",
        "This website uses cookies to enhance your browsing experience": "cookie and privacy notice",
        "Under EU General Data Protection Regulation (GDPR)": "cookie and privacy notice",
        "You may adjust or withdraw your consent at any time": "cookie and privacy notice",
    },
    "kallas-russia-does-not-want-peace.txt": {
        "#News": "section tag",
        "2025.08.22": "date line",
        "a": "stray character",
    },
    "anadolu-kallas-trap-territory.txt": {
        "LONDON": "dateline",
        "Anadolu Agency website contains only a portion of the news stories": "agency disclaimer",
    },
}

EXPECTED_META = {
    "europapress-kallas-alaska-summit.txt": dict(
        title=None, outlet="Europa Press", dateline="BRUSSELS", date="---17", author=None, url=None,
        source_agency="Europa Press"),
    "geneva-kallas-post-on-x.txt": dict(
        title=None, outlet=None, dateline="GENEVA", date=None, author=None, url=None, source_agency=None),
    "lordspress-putin-doesnt-want-peace.txt": dict(
        # the page's clock and weather box ("Friday, 12 September, 2025 / London, UK / 10:32 AM /
        # scattered clouds") say when and where the page was saved, not the article (its text
        # says Kallas spoke "on Saturday", after the Alaska summit): no date, no dateline
        title="Putin doesn’t want peace, EU’s Kallas warns after Trump talks", outlet="Lord’s Press",
        dateline=None, date=None, author="LP Staff Writers", url=None, source_agency=None),
    "kallas-russia-does-not-want-peace.txt": dict(
        title="Kaja Kallas: «It is obvious that Russia does not want peace... All the promises that "
              "Putin has made so far, he has not fulfilled»",
        outlet=None, dateline=None, date="2025-08-22", author=None, url=None, source_agency=None),
    "anadolu-kallas-trap-territory.txt": dict(
        title=None, outlet="Anadolu Agency", dateline="LONDON", date=None, author=None, url=None,
        source_agency=None),
}


def _read(name: str) -> str:
    return (SAMPLE / name).read_text(encoding="utf-8")


def _is_furniture(line: str, furniture: dict[str, str]) -> str | None:
    for start, reason in furniture.items():
        if line == start or (len(start) > 12 and line.startswith(start)):
            return reason
    return None


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_body_is_exactly_the_article(name: str) -> None:
    source = _read(name)
    result = clean_text(source, load_rules())
    furniture = SEEDS[name]
    expected = [normalise_line(line) for line in source.splitlines()
                if normalise_line(line) and _is_furniture(normalise_line(line), furniture) is None]
    assert result.body.split("\n\n") == expected


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_furniture_removed_with_reason(name: str) -> None:
    source = _read(name)
    result = clean_text(source, load_rules())
    paragraphs = result.body.split("\n\n")
    for start, reason in SEEDS[name].items():
        assert not any(p == start or p.startswith(start) for p in paragraphs)
        if len(start) > 12:
            assert start not in result.body
        blocks = [b for b in result.removed if start in b.text]
        assert blocks, f"{start!r} not recorded as removed"
        if reason != "*":
            assert blocks[0].reason == reason, start
    for block in result.removed:
        assert source[block.start:block.end] == block.text
        assert block.reason


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_metadata(name: str) -> None:
    source = _read(name)
    result = clean_text(source, load_rules())
    assert infer_metadata(source, result) == EXPECTED_META[name]


def test_seed_normalisation() -> None:
    source = _read("europapress-kallas-alaska-summit.txt")
    body = clean_text(source, load_rules()).body
    assert "against Ukraine . Putin" in source
    assert "against Ukraine. Putin" in body and "Ukraine ." not in body
    nbsp = _read("kallas-russia-does-not-want-peace.txt")
    assert "\u00a0" in nbsp
    assert "\u00a0" not in clean_text(nbsp, load_rules()).body
    assert "fulfilled», — cites Politico." in clean_text(nbsp, load_rules()).body


def test_cited_outlet_is_not_the_outlet() -> None:
    source = _read("kallas-russia-does-not-want-peace.txt")
    meta = infer_metadata(source, clean_text(source, load_rules()))
    assert meta["outlet"] is None  # "— cites Politico" names a source, not the publisher


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_offsets_round_trip(name: str) -> None:
    source = _read(name)
    result = clean_text(source, load_rules())
    body = result.body
    for c0, s0, n in result.offsets.segments:
        assert body[c0:c0 + n] == source[s0:s0 + n].replace("\u00a0", " ")
    covered = sum(n for _, _, n in result.offsets.segments)
    assert covered == len(body) - 2 * body.count("\n\n")
