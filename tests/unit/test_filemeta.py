"""Metadata from file names and folders, field provenance, and the one date display."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.storage.corpus import load_corpus
from briefreader.core.dates import date_sort_key, display_date
from briefreader.core.filemeta import date_in_path, infer_name_metadata, parse_names_section
from briefreader.core.manifest import load_manifest
from briefreader.core.metadata import metadata_parts

BODY = ("The committee met on Tuesday to discuss the budget, officials said.\n\n"
        "Members argued for several hours before a vote was taken, one of them told reporters.\n")


@pytest.mark.parametrize("rel, expected", [
    ("nyt_2016-03-15_slug.txt", ("2016-03-15", "file name")),
    ("x/20160315-story.md", ("2016-03-15", "file name")),
    ("2016/03/15/story.txt", ("2016-03-15", "folder name")),
    ("archive/2016-03-15/story.txt", ("2016-03-15", "folder name")),
    ("story_2016-02-30.txt", None),  # not a real day
    ("report-12345678.txt", None),
    ("story.txt", None),
])
def test_dates_in_paths(rel: str, expected: tuple[str, str] | None) -> None:
    assert date_in_path(rel) == expected


def test_folder_shape_gives_outlets_only_when_most_files_share_it() -> None:
    shaped = ["nyt_2016-03-15_a.txt", "wash-post_2016-09-07_b.txt", "nyt_2016-04-01_c.txt", "notes.txt"]
    found = infer_name_metadata([f"a/{p}" for p in shaped] + ["b/report_2016-03-15.txt", "b/x.txt",
                                                                 "b/y.txt", "b/z.txt"])
    assert found.for_path("a/nyt_2016-03-15_a.txt")["outlet"][0] == "nyt"
    assert found.for_path("a/wash-post_2016-09-07_b.txt")["outlet"][0] == "wash-post"
    assert "outlet" not in found.for_path("a/notes.txt")
    # one shaped file among four is no folder shape: its date is still read, no outlet is guessed
    assert found.for_path("b/report_2016-03-15.txt") == {"date": ("2016-03-15", "file name")}


def test_manifest_pattern_and_display_names() -> None:
    names, problems = parse_names_section({"pattern": "{date}--{outlet}--{slug}",
                                           "outlets": {"NYT": "The New York Times"}})
    assert problems == []
    found = infer_name_metadata(["2016-03-15--nyt--obama.txt"], names)
    assert found.for_path("2016-03-15--nyt--obama.txt") == {
        "outlet": ("The New York Times", "file name (manifest pattern)"),
        "date": ("2016-03-15", "file name (manifest pattern)")}
    _, problems = parse_names_section({"pattern": "{who}_{date}", "colour": 1})
    assert len(problems) == 2


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_load_fills_from_names_text_wins_and_records_sources(tmp_path: Path) -> None:
    _write(tmp_path, "nyt_2016-03-15_budget.txt", "Budget talks stall in committee\n\n" + BODY)
    _write(tmp_path, "nyt_2016-03-16_vote.txt", "Vote delayed again\n\nPublished: 14 March 2016\n\n" + BODY)
    _write(tmp_path, "breitbart_2016-03-17_wire.txt",
           "Senate passes the bill\n\nWASHINGTON (AP) — " + BODY)
    _write(tmp_path, "briefreader.yaml", "names:\n  outlets:\n    nyt: The New York Times\n")
    corpus = load_corpus(tmp_path, use_cache=False)
    by_path = {a.path: a for a in corpus.articles}
    first = by_path["nyt_2016-03-15_budget.txt"]
    assert (first.title, first.outlet, first.date) == ("Budget talks stall in committee", "The New York Times",
                                                       "2016-03-15")
    assert first.provenance["date"] == "file name"
    assert first.provenance["title"] == "text (headline)"
    assert first.provenance["outlet"].startswith("file name")
    second = by_path["nyt_2016-03-16_vote.txt"]
    assert second.date == "2016-03-14"  # the text's own date wins, the name's is recorded
    assert second.provenance["date"] == "text (date line); file name said 2016-03-16"
    wire = by_path["breitbart_2016-03-17_wire.txt"]
    assert (wire.outlet, wire.source_agency) == ("breitbart", "AP")
    assert "breitbart (via AP)" in metadata_parts(wire)
    assert "2016-03-15 (from file name)" in metadata_parts(first)


def test_partial_text_date_completed_by_the_name(tmp_path: Path) -> None:
    _write(tmp_path, "upi_2016-09-28_a.txt", "Singer sings\n\nLOS ANGELES, Sept. 28 (UPI) — " + BODY)
    _write(tmp_path, "upi_2016-09-29_b.txt", "Other story\n\n" + BODY)
    article = next(a for a in load_corpus(tmp_path, use_cache=False).articles if a.path.startswith("upi_2016-09-28"))
    assert article.date == "2016-09-28"
    assert article.provenance["date"].startswith("file name; text (dateline) said 28 Sep")


def test_display_and_order_of_partial_dates() -> None:
    assert display_date("2025-08-17") == "2025-08-17"
    assert display_date("2025-08") == "2025-08"
    assert display_date("---17") == "17 (month unknown)"
    assert display_date("--08-17") == "17 Aug (year unknown)"
    assert display_date("---17", short=True) == "day 17 ?"
    assert len(display_date("--12-31", short=True)) <= 10
    assert display_date(None, "–") == "–"
    dates = ["---17", "2025-08-20", None, "--08-16", "2025-08", "2024-12-31"]
    assert sorted(dates, key=date_sort_key) == ["2024-12-31", "2025-08", "2025-08-20", "--08-16", "---17", None]
    assert min(["---01", "2025-08-20"], key=date_sort_key) == "2025-08-20"


def test_manifest_names_section_is_known(tmp_path: Path) -> None:
    (tmp_path / "briefreader.yaml").write_text("names:\n  pattern: '{outlet}_{date}_{slug}'\n", encoding="utf-8")
    manifest, warnings = load_manifest(tmp_path)
    assert warnings == [] and manifest.names.pattern is not None
