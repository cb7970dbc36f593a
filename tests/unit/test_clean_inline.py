"""Inline widgets cut from inside sentences (a person's hover card: the printed name, the card's full
name with the surname repeated, glued headlines, "MORE"), on text written for these tests: what is
cut, what must stay, the offset map back to the source, the removed blocks and explain()."""

from __future__ import annotations

import random

import pytest

from briefreader.core.clean import clean_text, cut_inline_widgets, explain
from briefreader.core.clean_inline import (
    CARD_REASON,
    CREDIT_REASON,
    apply_cuts,
    find_cards,
    find_credits,
    is_inline_reason,
)
from briefreader.core.clean_lines import split_lines
from briefreader.core.rules import load_rules

RULES = load_rules()

CARD_ORLA = "Orla Brigid QuayleHarbour levy vote slips to spring Quayle backs ferry subsidy plan MORE"
CARD_TOMAS = ("Tomas (Tom) Albin VerhoevenCouncil delays bridge tender 'We are out of road' "
              "Verhoeven says Budget talks resume after storm MORE")
FILLER = ("The harbour board met for three hours on Tuesday and agreed to publish its accounts "
          "before the end of the month.")


def _exact_map(source: str, body: str, segments: list[tuple[int, int, int]]) -> None:
    """Every segment of the map copies its source characters."""
    for clean_at, source_at, length in segments:
        assert body[clean_at:clean_at + length] == source[source_at:source_at + length]


def _cleaned(*paragraphs: str):
    source = "\n\n".join(paragraphs)
    result = clean_text(source, RULES)
    _exact_map(source, result.body, result.offsets.segments)
    return source, result


def test_card_inside_a_sentence_is_cut_and_reported() -> None:
    sentence = f"Councillor Orla Quayle {CARD_ORLA} (Ind.) said on Monday that the levy would wait."
    source, result = _cleaned(sentence, FILLER)
    assert result.body.split("\n\n")[0] == "Councillor Orla Quayle (Ind.) said on Monday that the levy would wait."
    inline = [b for b in result.removed if is_inline_reason(b.reason)]
    assert [(b.text, b.reason) for b in inline] == [(" " + CARD_ORLA, CARD_REASON)]
    block = inline[0]
    assert source[block.start:block.end] == block.text
    # the card's characters have no place in the body; the words around it map back exactly
    assert all(result.offsets.to_clean(at) is None for at in range(block.start, block.end))
    said = result.body.index("(Ind.)")
    assert source[result.offsets.to_source(said):].startswith("(Ind.) said")
    assert result.offsets.source_span(0, len("Councillor Orla Quayle")) == (0, block.start)
    assert result.offsets.to_source(said - 1) == block.end  # the space after MORE


def test_two_cards_with_a_nickname_and_a_possessive() -> None:
    sentence = (f"Mayor Tom Verhoeven {CARD_TOMAS}'s plan drew Orla Quayle {CARD_ORLA}, who chairs the "
                "finance panel, into the debate.")
    _, result = _cleaned(sentence, FILLER)
    assert result.body.split("\n\n")[0] == ("Mayor Tom Verhoeven's plan drew Orla Quayle, who chairs the finance "
                                             "panel, into the debate.")
    assert sum(is_inline_reason(b.reason) for b in result.removed) == 2


def test_card_at_the_very_start_and_the_very_end_of_the_body() -> None:
    first = f"Orla Quayle {CARD_ORLA} opened the session with a warning about the levy."
    last = f"The last word went to Mayor Tom Verhoeven {CARD_TOMAS}"
    _, result = _cleaned(first, FILLER, last)
    paragraphs = result.body.split("\n\n")
    assert paragraphs[0] == "Orla Quayle opened the session with a warning about the levy."
    assert paragraphs[-1] == "The last word went to Mayor Tom Verhoeven"


def test_spaced_card_whose_printed_name_is_its_full_name() -> None:
    """"Jo Marsh Jo Marsh Tidal..." could read "Jo" as the surname: the real surname comes later."""
    sentence = ("Former minister Jo Marsh Jo Marsh Tidal power plan stalls again Marsh to chair ferry review MORE, "
                "the party's candidate, spoke first.")
    _, result = _cleaned(sentence, FILLER)
    assert result.body.startswith("Former minister Jo Marsh, the party's candidate, spoke first.")


def test_card_headlines_with_furniture_words_do_not_sink_the_paragraph() -> None:
    """The line passes judge the line without its card (here a headline full of newsletter words)."""
    card = "Orla Brigid QuayleSign up for our newsletter Subscribe to the daily briefing MORE"
    sentence = f"Councillor Orla Quayle {card} said the ferry subsidy had cross-party support in the chamber."
    _, result = _cleaned(sentence, FILLER)
    assert result.body.startswith("Councillor Orla Quayle said the ferry subsidy")
    lines = split_lines(sentence)
    cut_inline_widgets(lines)
    assert lines[0].norm == "Councillor Orla Quayle said the ferry subsidy had cross-party support in the chamber."
    assert lines[0].sentence


@pytest.mark.parametrize("prose", [
    "Voters wanted lower fares, better ferries and MORE.",
    "It was FAR MORE costly than the council had planned for the year.",
    "The list read Ann Lee, Bo Lee, Cy Lee and Di Lee MORE or less in that order.",
    "Lee Ann Lee Said the chair, reading out the names in the order they were called MORE times than once.",
    "Councillor Orla Quayle Spoke first and Quayle Backs the plan, the minutes read.",
    # card-shaped, but the run holds a quotation
    'Orla Quayle Orla Brigid QuayleSaid "we will not wait for spring" to the board MORE on Monday.',
    # card-shaped, but the run holds a full sentence
    "Orla Quayle Orla QuayleHarbour board meets again. The levy waits for the vote MORE on Monday.",
    # card-shaped, but too short to be a headline run
    "Orla Quayle Orla QuayleYes MORE on Monday.",
    # the surname is not repeated
    "Councillor Orla Quayle Orla Brigid BrennanHarbour levy vote slips to spring MORE on Monday.",
    # a stutter with a spaced glue and no name between
    "It was Quayle Quayle Harbour levy vote slips to spring MORE on Monday.",
    # a run of one repeated word, and a list of names that repeats its words
    "Aaa Aaa Aaa Aaa Aaa Aaa Aaa Aaa MORE on Monday.",
    "Ann Bo Ann Cy Ann Dee Ann Bo Ann Cy Ann Dee Ann Bo Ann MORE on Monday.",
    # a place name said twice, then a clause and an emphatic FAR MORE
    "The band closed with New York New York Yankees fans singing along, and the city spent FAR MORE on "
    "security than last year, officials said.",
])
def test_prose_that_merely_looks_like_a_card_stays(prose: str) -> None:
    assert find_cards(prose) == []
    _, result = _cleaned(prose, FILLER)
    assert result.body.split("\n\n")[0] == prose
    assert not any(is_inline_reason(b.reason) for b in result.removed)


def test_a_card_never_reaches_back_over_an_earlier_more() -> None:
    """The previous terminator bounds the look-back: a surname printed before it cannot start a card."""
    text = ("Orla Quayle saw MORE ferries. Orla Brigid QuayleHarbour levy vote slips to spring "
            "Quayle backs ferry subsidy plan MORE on Monday.")
    assert find_cards(text) == []


def test_huge_line_of_cards_and_terminators() -> None:
    """A 20k-character line: cards and bare terminators alternate; every card goes, nothing else."""
    unit = f"Then Orla Quayle {CARD_ORLA} spoke, and MORE came. "
    line = unit * (20_000 // len(unit) + 1)
    assert len(line) > 20_000
    cuts = find_cards(line)
    assert len(cuts) == line.count(CARD_ORLA)
    _, result = _cleaned(line, FILLER)
    assert result.body.split("\n\n")[0] == ("Then Orla Quayle spoke, and MORE came. " * len(cuts)).rstrip()
    no_cards = "MORE " * 5000 + "Quayle Quayle " * 1000
    assert find_cards(no_cards) == []


def test_apply_cuts_normalises_like_a_line_and_maps_each_piece() -> None:
    text = f"Mayor  Tom Verhoeven {CARD_TOMAS} , said the clerk."
    cuts = find_cards(text)
    assert len(cuts) == 1
    norm, pieces = apply_cuts(text, cuts)
    assert norm == "Mayor Tom Verhoeven, said the clerk."
    assert "".join(text[at:at + n] for at, n in pieces) == norm


def test_explain_lists_the_cards_cut_from_a_kept_line() -> None:
    sentence = f"Councillor Orla Quayle {CARD_ORLA} (Ind.) said on Monday that the levy would wait."
    rows = explain(sentence + "\n\n" + FILLER, RULES)
    assert rows[0]["removed"] is None
    assert rows[0]["inline"] == [{"text": " " + CARD_ORLA, "reason": CARD_REASON}]
    assert "inline" not in rows[1]


def test_random_text_with_cards_keeps_the_offset_map_exact() -> None:
    rng = random.Random(12)
    words = ["harbour", "levy", "Quayle", "MORE", "Orla", "said", "the", "(Ind.)", ",", "ferry", "  ", "**",
             "Verhoeven", "Tom"]
    for _ in range(200):
        parts = []
        for _ in range(rng.randint(1, 6)):
            parts.append(" ".join(rng.choice(words) for _ in range(rng.randint(0, 12))))
            if rng.random() < 0.6:
                parts.append(rng.choice(["Orla Quayle " + CARD_ORLA, "Tom Verhoeven " + CARD_TOMAS]))
        source = " ".join(parts) + rng.choice(["", "\n", "\n\n" + FILLER])
        result = clean_text(source, RULES)
        _exact_map(source, result.body, result.offsets.segments)
        for block in result.removed:
            assert source[block.start:block.end] == block.text
        assert CARD_ORLA not in result.body and CARD_TOMAS not in result.body


def test_photo_gallery_copied_as_one_line_goes_even_with_reported_speech() -> None:
    gallery = ("Photos: Harbour storm Photos: Harbour storm Harbour storm – Waves break over the pier on Monday, "
               "the coastguard said. Hide Caption 1 of 3 Photos: Harbour storm Harbour storm – A ferry waits in "
               "port. Hide Caption 2 of 3 Photos: Harbour storm – Crews clear the road. Hide Caption 3 of 3")
    mention = "The museum's new exhibition hides each caption until a visitor asks, the curator said on Monday."
    _, result = _cleaned(FILLER, gallery, mention)
    assert result.body == FILLER + "\n\n" + mention
    assert [b.reason for b in result.removed] == ["photo gallery"]


def test_photo_credit_glued_to_the_sentence_after_it_is_cut() -> None:
    line = ("Harbour master. Ann B. Lee/AFP/Getty Images Ferry crews walked out on Monday over the new rota, "
            "the union said.")
    _, result = _cleaned(line, FILLER)
    assert result.body.split("\n\n")[0] == ("Harbour master. Ferry crews walked out on Monday over the new rota, "
                                             "the union said.")
    assert [(b.text, b.reason) for b in result.removed] == [("Ann B. Lee/AFP/Getty Images ", CREDIT_REASON)]
    start = "Cyril Mott/Getty Images Crews clear the road after the storm."
    assert [(c.start, c.end) for c in find_credits(start)] == [(0, len("Cyril Mott/Getty Images "))]


@pytest.mark.parametrize("prose", [
    "On Friday. A Springfield Courier/Bloomberg Politics poll found the mayor ahead by four points.",
    "A Reuters/Ipsos poll released on Sunday showed the levy was unpopular.",
    "Stock photos from Getty Images/Shutterstock filled the brochure, the clerk said.",
    "The and/or clause. And/Getty Images was never a name.",
])
def test_slashes_in_prose_are_no_credit(prose: str) -> None:
    assert find_credits(prose) == []


def test_picture_buttons_and_captions_ending_with_their_credit_go() -> None:
    buttons = "Enlarge this image toggle caption Ann Lee/AP Ann Lee/AP"
    caption = ("Councillor Orla Quayle speaks to reporters outside the harbour office in Port Ellen, Tuesday, "
               "March 4, 2025. (AP Photo/Ann Lee)")
    credit_in_prose = "The photo agency (Lee/Reuters) was named in the ruling, the court said on Monday."
    _, result = _cleaned(FILLER, buttons, caption, credit_in_prose)
    assert result.body == FILLER + "\n\n" + credit_in_prose
    assert [b.reason for b in result.removed] == ["image caption credit", "photo caption"]
