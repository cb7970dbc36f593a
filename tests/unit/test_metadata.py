"""Metadata inference: only what the text says, in ISO form; unknown stays None."""

from __future__ import annotations

from typing import Any

import pytest

from briefreader.core.clean import clean_text
from briefreader.core.metadata import FIELDS, infer_metadata, iso_date, outlet_name
from briefreader.core.rules import load_rules

BODY = "The body sentence is here, he said.\n\nA second paragraph follows, officials said."


def meta(text: str) -> dict[str, str | None]:
    result = clean_text(text, load_rules())
    return infer_metadata(text, result)


@pytest.mark.parametrize("line, iso", [
    ("Friday, 12 September, 2025", "2025-09-12"),
    ("Friday, September 12, 2025 10:32 AM", "2025-09-12"),
    ("Published: 3 March 2025 14:05 GMT", "2025-03-03"),
    ("Posted on Mar. 3rd, 2025 at 2:05 pm", "2025-03-03"),
    ("Updated: Wed 5 Nov 2025", "2025-11-05"),
    ("2025.08.22", "2025-08-22"),
    ("2025-08-22T10:15:00Z", "2025-08-22"),
    ("22.08.2025", "2025-08-22"),  # dotted numeric dates are day-first
    ("13/04/2025", "2025-04-13"),
    ("04/13/2025", "2025-04-13"),
    ("03/04/2025", "2025"),  # day and month could be swapped: only the year is certain
    ("August 17", "--08-17"),
    ("17 Aug", "--08-17"),
    ("31 February 2025", None),  # not a real date
])
def test_date_lines(line: str, iso: str | None) -> None:
    m = meta(f"{line}\n\n{BODY}")
    assert m["date"] == iso
    assert m["title"] is None


def test_iso_date_forms() -> None:
    assert iso_date(2025, 8, 22) == "2025-08-22"
    assert iso_date(2025, 8, None) == "2025-08"
    assert iso_date(2025, None, None) == "2025"
    assert iso_date(None, 8, 17) == "--08-17"
    assert iso_date(None, None, 17) == "---17"
    assert iso_date(None, None, None) is None
    assert iso_date(None, None, 40) is None


@pytest.mark.parametrize("first, dateline, outlet, date", [
    ("KYIV, Aug 17 (Reuters) - Ukraine said on Sunday it had downed 40 drones.", "KYIV", "Reuters",
     "--08-17"),
    ("MOSCOW (AP) — Russia said on Sunday it had downed 40 drones.", "MOSCOW", "AP", None),
    ("WASHINGTON — The Senate passed the bill on Friday, aides said.", "WASHINGTON", None, None),
    ("NATO allies met in Brussels on Friday, diplomats said.", None, None, None),
])
def test_inline_datelines(first: str, dateline: str | None, outlet: str | None,
                          date: str | None) -> None:
    m = meta(f"{first}\n\nMore text here, officials said.")
    assert (m["dateline"], m["outlet"], m["date"]) == (dateline, outlet, date)
    assert m["title"] is None  # a wire story without a headline


@pytest.mark.parametrize("line, dateline, outlet, date", [
    ("BRUSSELS, 17 (EUROPA PRESS)", "BRUSSELS", "Europa Press", "---17"),
    ("PARIS, Aug. 3 (AFP)", "PARIS", "AFP", "--08-03"),
    ("GENEVA", "GENEVA", None, None),
    ("RIO DE JANEIRO", "RIO DE JANEIRO", None, None),
    ("London, UK", "London", None, None),
    ("KYIV, Ukraine", "KYIV", None, None),
])
def test_dateline_lines(line: str, dateline: str, outlet: str | None, date: str | None) -> None:
    m = meta(f"{line}\n{BODY}")
    assert (m["dateline"], m["outlet"], m["date"]) == (dateline, outlet, date)


@pytest.mark.parametrize("credit", ["AFP", "(with Reuters)", "— AP", "Source: AFP, Reuters"])
def test_agency_credit_at_the_end_is_furniture_not_a_dateline(credit: str) -> None:
    text = f"LONDON\n\n{BODY}\n\n{credit}"
    result = clean_text(text, load_rules())
    assert result.body == BODY
    assert result.removed[-1].reason == "agency credit"
    assert meta(text)["dateline"] == "LONDON"
    assert meta(f"{BODY}\n\n{credit}")["dateline"] is None


def test_capitalised_crosshead_mid_article_is_not_a_dateline() -> None:
    text = f"{BODY}\n\nANALYSIS\n\nKYIV\n\nThe third paragraph is here, officials said."
    m = meta(text)
    assert m["dateline"] is None
    assert "KYIV" in clean_text(text, load_rules()).body


@pytest.mark.parametrize("line, author", [
    ("By Maria Lopez", "Maria Lopez"),
    ("By JANE DOE", "Jane Doe"),
    ("By Maria Lopez and Tom Becker", "Maria Lopez and Tom Becker"),
    ("By Maria Lopez | Reuters", "Maria Lopez"),
    ("Written by: Ana María de la Cruz", "Ana María de la Cruz"),
    ("LP Staff Writers", "LP Staff Writers"),
    ("Staff Reporter", "Staff Reporter"),
])
def test_bylines(line: str, author: str) -> None:
    m = meta(f"Headline of the story\n\n{line}\n\n{BODY}")
    assert m["author"] == author
    assert m["title"] == "Headline of the story"


@pytest.mark.parametrize("line", [
    "By Jane Doe | 12 March 2025",
    "By Jane Doe, Wednesday, March 12, 2025",
    "By Jane Doe - March 12, 2025 10:00 AM",
    "Posted by Jane Doe on March 12, 2025",
])
def test_byline_with_date(line: str) -> None:
    m = meta(f"{line}\n\n{BODY}")
    assert (m["author"], m["date"]) == ("Jane Doe", "2025-03-12")


def test_publication_date_preferred_to_update_stamp() -> None:
    m = meta(f"Updated: 5 March 2025\nPublished: 3 March 2025\n\n{BODY}")
    assert m["date"] == "2025-03-03"
    m = meta(f"5 March 2025\nUpdated: 7 March 2025\n\n{BODY}")
    assert m["date"] == "2025-03-05"


def test_reporting_credit_gives_author_when_no_byline() -> None:
    m = meta(f"{BODY}\n\nReporting by Tom Becker in Doha; Editing by Jane Smith")
    assert m["author"] == "Tom Becker"
    m = meta(f"By Maria Lopez\n\n{BODY}\n\nReporting by Tom Becker; Editing by Jane Smith")
    assert m["author"] == "Maria Lopez"


def test_additional_reporting_is_not_the_author() -> None:
    m = meta(f"{BODY}\n\nAdditional reporting by Tom Becker; Editing by Jane Smith")
    assert m["author"] is None


def test_date_line_with_kicker_word() -> None:
    m = meta(f"October 22, 2019 report\n\nHeadline of the story\n\n{BODY}")
    assert m["date"] == "2019-10-22"
    assert m["title"] == "Headline of the story"


def test_author_from_bio() -> None:
    m = meta(f"{BODY}\n\nJohn Smith is a staff reporter at the Example Herald covering climate. "
             "He can be reached at js@example.com.")
    assert m["author"] == "John Smith"


@pytest.mark.parametrize("footer, outlet", [
    ("Copyright 2025 The Example Times. All rights reserved.", "The Example Times"),
    ("© 2024-2025 U.S. News & World Report", "U.S. News & World Report"),
    ("Harbour Wire website contains only a portion of the stories offered to its subscribers.",
     "Harbour Wire"),
    ("Reporters at Northern Ledger come from newsrooms across the region and can be reached at "
     "desk@example.org.", "Northern Ledger"),
])
def test_outlet_from_publisher_furniture(footer: str, outlet: str) -> None:
    assert meta(f"Headline\n\n{BODY}\n\n{footer}")["outlet"] == outlet


def test_outlets_named_in_prose_are_not_the_outlet() -> None:
    text = ("Heat wave grips Europe\n\nTemperatures rose to 40C, according to Reuters.\n\n"
            "“It is unbearable,” a resident told The Guardian.\n\n"
            "The figures were first reported by Politico — cites Le Monde.")
    assert meta(text)["outlet"] is None


def test_url_from_source_line_only() -> None:
    m = meta(f"Source: https://example.com/news/2025/08/22/story.html\n\n{BODY}")
    assert m["url"] == "https://example.com/news/2025/08/22/story.html"
    m = meta(f"{BODY}\n\nhttps://example.org/a/b?c=d")
    assert m["url"] == "https://example.org/a/b?c=d"
    m = meta("The report is online at https://example.org/report, the ministry said.\n\nMore.")
    assert m["url"] is None


@pytest.mark.parametrize("first, title", [
    ("Why is Europe rearming?", "Why is Europe rearming?"),
    ("Kallas: «Russia does not want peace»", "Kallas: «Russia does not want peace»"),
    ("“We will not give up,” says minister", "“We will not give up,” says minister"),
    ("The minister resigned on Monday.", None),
    ("The minister resigned on Monday, citing “personal reasons.”", None),
])
def test_title_is_a_headline_not_a_sentence(first: str, title: str | None) -> None:
    assert meta(f"{first}\n\n{BODY}")["title"] == title


def test_single_paragraph_has_no_title() -> None:
    assert meta("Why is Europe rearming")["title"] is None


def test_nothing_known_stays_none() -> None:
    m = meta("just some words, no punctuation or structure at all and nothing about a source")
    assert set(m) == set(FIELDS)
    assert all(v is None for v in m.values())
    assert all(v is None for v in meta("").values())


def test_outlet_name_tidying() -> None:
    assert outlet_name("EUROPA PRESS") == "Europa Press"
    assert outlet_name("AFP") == "AFP"
    assert outlet_name("REUTERS") == "Reuters"
    assert outlet_name("Lord’s Press.") == "Lord’s Press"


@pytest.mark.parametrize("text, iso", [
    ("Friday, 12 September, 2025", "2025-09-12"),
    ("Aug 17, 2025 10:32 AM", "2025-08-17"),
    ("2025.08.22", "2025-08-22"),
    ("22.08.2025", "2025-08-22"),
    ("17 August", "--08-17"),
    ("2025-08-22T10:00:00Z", "2025-08-22"),
    ("tomorrow", None),
    ("", None),
])
def test_parse_date_for_given_metadata(text: str, iso: str | None) -> None:
    from briefreader.core.metadata import parse_date

    assert parse_date(text) == iso


def test_manifest_metadata_rule() -> None:
    rules = load_rules([{"pattern": r"Dispatch from (?P<place>[A-Z][a-z]+)", "field": "dateline",
                         "reason": "dateline"}])
    text = f"Dispatch from Kyiv\n\n{BODY}"
    result = clean_text(text, rules)
    assert result.body == BODY
    assert infer_metadata(text, result, rules)["dateline"] == "Kyiv"


# ----------------------------------------------------------------------------- titles from the first block


@pytest.mark.parametrize("first, title", [
    ("Obama says Trump modeling policies on Putin.", "Obama says Trump modeling policies on Putin."),
    ("Mary J. Blige sings to Hillary Clinton in preview clip.",
     "Mary J. Blige sings to Hillary Clinton in preview clip."),
    ("Virginian could make history. Again.", "Virginian could make history. Again."),
    ("Jobs report gives Democrats a lift; ", "Jobs report gives Democrats a lift"),
    ("Senate passes the budget bill - The Daily Courier", "Senate passes the budget bill"),
    ("Senate passes the budget bill — Example News", "Senate passes the budget bill"),
    ("Trump - a man of many words, few of them kind", "Trump - a man of many words, few of them kind"),
    # a lede sentence as long as the paragraphs below it is not a headline
    ("The committee, which met for six hours on Tuesday behind closed doors in the capitol, finally agreed "
     "on the budget.", None),
])
def test_titles_from_the_first_block(first: str, title: str | None) -> None:
    long_para = ("Lawmakers from both parties spent the day arguing over the details of the spending plan, "
                 "which would cut several programmes and raise others, according to people in the room.")
    m = meta(f"{first}\n\n{long_para}\n\n{BODY}")
    assert m["title"] == title


def test_title_suffix_names_the_outlet_when_nothing_else_does() -> None:
    sources: dict[str, str] = {}
    text = f"Senate passes the budget bill - The Daily Courier\n\n{BODY}"
    m = infer_metadata(text, clean_text(text, load_rules()), None, sources)
    assert (m["title"], m["outlet"], sources["outlet"]) == ("Senate passes the budget bill", "The Daily Courier",
                                                            "text (headline suffix)")


def test_clock_and_weather_dates_never_date_the_article() -> None:
    page = ("Monday, 3 March, 2025\nParis, France\n10:32 AM\nscattered clouds 17.3°C\nHumidity: 62%\n\n"
            f"Budget talks stall\n\n{BODY}")
    assert meta(page)["date"] is None
    dated = page.replace("Budget talks stall\n\n", "Budget talks stall\n\nBy Jane Doe | 1 March 2025\n\n")
    assert meta(dated)["date"] == "2025-03-01"


def test_publisher_and_wire_agency_are_both_kept() -> None:
    text = f"Headline here\n\nWASHINGTON (AP) — {BODY}\n\n© 2016 Example Herald. All rights reserved."
    sources: dict[str, str] = {}
    m = infer_metadata(text, clean_text(text, load_rules()), None, sources)
    assert m["source_agency"] == "AP"
    assert sources["source_agency"] == "text (wire dateline)"


def test_partial_dates_rank_after_full_ones() -> None:
    text = f"BRUSSELS, 17 (EUROPA PRESS)\n\nBy Jane Doe | 18 August 2025\n\n{BODY}"
    assert meta(text)["date"] == "2025-08-18"


# ----------------------------------------------------------------------------- the steps of infer_metadata


def _findings() -> Any:
    from briefreader.core import metadata

    return metadata._Findings({name: None for name in metadata.FIELDS})


def test_date_choice_prefers_a_year_then_the_byline_then_date_lines_over_update_stamps() -> None:
    from briefreader.core import metadata

    found = _findings()
    found.dates = [(3, "2025-03-05", metadata.FROM_UPDATE), (1, "2025-03-04", metadata.FROM_DATE_LINE),
                   (0, "--03-01", metadata.FROM_BYLINE)]
    found.dateline_date = "2025-03-02"
    sources: dict[str, str] = {}
    metadata._choose_date_and_author(found, sources)
    assert found.meta["date"] == "2025-03-04" and sources["date"] == metadata.FROM_DATE_LINE
    found = _findings()
    found.dates = [(3, "2025-03-05", metadata.FROM_UPDATE)]
    found.credit_author = "Jane Doe"
    sources = {}
    metadata._choose_date_and_author(found, sources)
    assert found.meta["date"] == "2025-03-05" and found.meta["author"] == "Jane Doe"
    assert sources == {"date": metadata.FROM_UPDATE, "author": metadata.FROM_CREDIT}


def test_a_dateline_takes_only_the_first_place_and_its_agency() -> None:
    from briefreader.core import metadata

    found = _findings()
    metadata._take_dateline(found, {"place": "KYIV, ", "agency": "Reuters", "day": "17", "month": "Aug"})
    metadata._take_dateline(found, {"place": "LONDON", "agency": "AP"})
    assert found.meta["dateline"] == "KYIV" and found.agency == "Reuters"
    assert found.dateline_date is not None and found.dateline_date.endswith("-08-17")


def test_a_credit_line_author_is_kept_apart_from_the_byline() -> None:
    from briefreader.core import metadata
    from briefreader.core.rules import Rule

    rules = load_rules()
    byline = Rule(id="t-byline", pattern="x", reason="byline", field="byline")
    credit = Rule(id="t-credit", pattern="x", reason="credit line", field="byline")
    found = _findings()
    metadata._take_byline(found, "Photo: Tom Becker", credit, {"author": "Tom Becker"}, rules)
    metadata._take_byline(found, "By Maria Lopez", byline, {"author": "Maria Lopez"}, rules)
    assert found.meta["author"] == "Maria Lopez" and found.credit_author == "Tom Becker"


def test_an_inline_dateline_is_read_from_the_first_paragraphs_only() -> None:
    from briefreader.core import metadata

    rules = load_rules()
    body = "Headline here\n\nKYIV, Aug 17 (Reuters) - Officials said the talks would go on."
    found = _findings()
    metadata._inline_dateline(found, body, rules)
    assert found.meta["dateline"] == "KYIV" and found.agency == "Reuters"
    late = "One\n\nTwo\n\nThree\n\nKYIV, Aug 17 (Reuters) - Officials said the talks would go on."
    found = _findings()
    metadata._inline_dateline(found, late, rules)
    assert found.meta["dateline"] is None
