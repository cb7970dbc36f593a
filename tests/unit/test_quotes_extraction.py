"""Extraction of direct quotations (briefreader.core.quotes): one test per case of the issue."""

from __future__ import annotations

import pytest

from briefreader.core.model import OffsetMap
from briefreader.core.quotes import Quote, extract_quotes


def quotes(body: str) -> list[Quote]:
    found = extract_quotes("a.txt", body)
    for q in found:
        assert body[q.start : q.end] == q.text  # offsets always point at the text
    return found


def texts(body: str) -> list[str]:
    return [q.text for q in quotes(body)]


# --- mark styles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('The mayor said "the bridge will reopen in May" after the vote.', "the bridge will reopen in May"),
        ("The mayor said “the bridge will reopen in May” after the vote.", "the bridge will reopen in May"),
        ("Le maire a dit «le pont rouvrira en mai» hier.", "le pont rouvrira en mai"),
        ("Le maire a dit « le pont rouvrira en mai » hier.", "le pont rouvrira en mai"),
        ("Der Bürgermeister sagte „die Brücke öffnet im Mai“ gestern.", "die Brücke öffnet im Mai"),
        ("Borgmesteren sagde »broen åbner i maj« i går.", "broen åbner i maj"),
        ("The mayor said ‘the bridge will reopen in May’ after the vote.", "the bridge will reopen in May"),
        ("The mayor said 'the bridge will reopen in May' after the vote.", "the bridge will reopen in May"),
        ('The mayor said "the bridge will reopen in May” after the vote.', "the bridge will reopen in May"),
        ("The mayor said “the bridge will reopen in May\" after the vote.", "the bridge will reopen in May"),
    ],
)
def test_every_mark_style_and_mixed_pairs(body: str, expected: str) -> None:
    assert texts(body) == [expected]


def test_marks_are_recorded() -> None:
    (q,) = quotes("She wrote «we are done here» in a memo.")
    assert (q.open_mark, q.close_mark, q.unclosed) == ("«", "»", False)


# --- nesting -------------------------------------------------------------------------------


def test_nested_quote_is_found_and_outer_keeps_its_text() -> None:
    body = "“They called it a ‘temporary pause,’ but nothing moved for a year,” the engineer said."
    found = quotes(body)
    assert [q.text for q in found] == [
        "They called it a ‘temporary pause,’ but nothing moved for a year,",
        "temporary pause,",
    ]
    outer, inner = found
    assert inner.nested_in == outer.index
    assert outer.nested_in is None


def test_nested_single_quote_with_mixed_closing_marks() -> None:
    body = "“We reject these ‘new rules,'” the union leader Maria Ortiz said."
    found = quotes(body)
    assert [q.text for q in found] == ["We reject these ‘new rules,'", "new rules,"]


def test_nested_double_in_guillemets() -> None:
    body = "Il a déclaré: «Le mot “crise” est exagéré, nous avons un plan» devant la presse."
    assert texts(body) == ["Le mot “crise” est exagéré, nous avons un plan", "crise"]


# --- interrupted and multi-paragraph quotations -------------------------------------------------


def test_quote_interrupted_by_attribution_is_one_utterance() -> None:
    body = '"We are not going to raise taxes," Anna Berg said on Monday. "Not this year, and not next year."'
    a, b = quotes(body)
    assert a.text == "We are not going to raise taxes,"
    assert b.text == "Not this year, and not next year."
    assert a.utterance_id == b.utterance_id
    assert a.speaker == b.speaker == "Anna Berg"


def test_an_exchange_in_one_sentence_is_two_quotations_of_two_speakers() -> None:
    # the first quotation comes with its own attribution: the one after it introduces the reply
    body = ('During the debate Anna Berg pointedly told him, "every time you have offered a plan, it has '
            'failed," Tom Hale responded: "Attacking me is not a plan." The moderator moved on.')
    a, b = quotes(body)
    assert a.utterance_id != b.utterance_id
    assert (a.speaker, b.speaker) == ("Anna Berg", "Tom Hale")


def test_a_named_interruption_without_a_colon_stays_one_quotation() -> None:
    body = 'Jo Varga told reporters, "We are ready for the vote," Varga added, "and we will win it easily."'
    a, b = quotes(body)
    assert a.utterance_id == b.utterance_id


def test_a_quotation_introduced_then_interrupted_by_its_speaker_stays_one() -> None:
    body = 'Anna Berg said: "We are not going to raise taxes," she added. "Not this year, and not next year."'
    a, b = quotes(body)
    assert a.utterance_id == b.utterance_id
    assert a.speaker == b.speaker == "Anna Berg"


def test_separate_quotes_are_separate_utterances() -> None:
    body = (
        '"The budget is balanced," Anna Berg said.\n\n'
        'Her rival disagreed on several points during a long debate on television that evening. '
        '"It is not," said Tom Hale.'
    )
    a, b = quotes(body)
    assert a.utterance_id != b.utterance_id
    assert (a.speaker, b.speaker) == ("Anna Berg", "Tom Hale")


def test_multi_paragraph_quotation() -> None:
    body = (
        "The captain gave a long statement.\n\n"
        "“We left the harbour at dawn and the sea was calm.\n\n"
        "“By noon the wind had turned and we lost the main sail.\n\n"
        "“Nobody was hurt, and that is what matters,” he said.\n\n"
        "The ship is being repaired."
    )
    found = quotes(body)
    assert [q.text for q in found] == [
        "We left the harbour at dawn and the sea was calm.",
        "By noon the wind had turned and we lost the main sail.",
        "Nobody was hurt, and that is what matters,",
    ]
    assert len({q.utterance_id for q in found}) == 1
    assert not any(q.unclosed for q in found)
    assert [q.continued for q in found] == [True, True, False]


def test_headline_quote_with_colon_attribution() -> None:
    body = "Jonas Weber: “We will not sell the company”\n\nThe founder spoke at the annual meeting."
    (q,) = quotes(body)
    assert q.text == "We will not sell the company"
    assert q.speaker == "Jonas Weber"
    assert q.speaker_confidence >= 0.9


# --- apostrophes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "We don't know and they won't say.",
        "Zelensky's plan and the minister’s reply were both published.",
        "The workers' union and the teachers’ union met on Friday.",
        "Mary O'Neill and Sean O’Brien run the shop.",
        "They played rock 'n' roll until dawn.",
        "Music from the '90s and the ’80s filled the hall.",
        "It's the company's third loss since '08, isn't it?",
    ],
)
def test_apostrophes_are_never_quote_marks(body: str) -> None:
    assert quotes(body) == []


def test_curly_apostrophes_inside_single_quotes() -> None:
    body = "The note said ‘we don’t have the workers’ names yet’ and nothing else."
    assert texts(body) == ["we don’t have the workers’ names yet"]


def test_apostrophes_inside_a_double_quote() -> None:
    body = "“It’s the drivers’ choice, and O’Neill agrees,” the manager said."
    assert texts(body) == ["It’s the drivers’ choice, and O’Neill agrees,"]


# --- unclosed marks and odd input -------------------------------------------------------------


def test_unclosed_mark_ends_at_its_paragraph_and_is_flagged() -> None:
    body = (
        "The statement read: “We will appeal the ruling and we expect to win\n\n"
        "The court has not commented. Later the lawyer said “the case is strong” to reporters."
    )
    found = quotes(body)
    assert found[0].text == "We will appeal the ruling and we expect to win"
    assert found[0].unclosed and found[0].close_mark == ""
    assert found[1].text == "the case is strong" and not found[1].unclosed


def test_no_quotes() -> None:
    assert quotes("A plain report with no quotations at all.\n\nSecond paragraph.") == []


def test_empty_and_mark_only_bodies() -> None:
    assert quotes("") == []
    for body in ['"', '""', "“”", "« »", "' ' ' '", '"""\n\n"""', "„“‘’«»‹›"]:
        result = quotes(body)
        assert all(q.text.strip() for q in result)


def test_hundreds_of_quotes() -> None:
    body = "\n\n".join(f'"Line number {i} is here," the clerk said.' for i in range(400))
    found = quotes(body)
    assert len(found) == 400
    assert found[123].text == "Line number 123 is here,"


# --- scare quotes and reported speech ------------------------------------------------------------


def test_so_called_label_is_a_scare_quote() -> None:
    (q,) = quotes("Officials defended the so-called “quiet diplomacy” of the last decade.")
    assert q.scare


@pytest.mark.parametrize("body", [
    "The plan was described as a “reset” by its supporters.",
    "Critics mocked the “grand bargain” at length.",
])
def test_one_or_two_word_labels_are_scare_quotes(body: str) -> None:
    (q,) = quotes(body)
    assert q.scare


@pytest.mark.parametrize("body", [
    "Ada Kross spoke at the harbour. Later, Ada Kross called the plan “a disgrace” again.",
    "The fee was raised in May, which Ada Kross had called “highway robbery” in her column.",
    "Nils Berg, who Ada Kross dubbed “the little mayor of nothing,” spoke next.",
    "Ada Kross describes herself as “totally pro-harbour.”",
])
def test_short_quote_a_named_person_calls_something_is_her_quotation(body: str) -> None:
    # `Trump called it "locker-room talk"`: the words are the named person's, not the writer's label
    (q,) = quotes(body)
    assert not q.scare
    assert q.speaker == "Ada Kross"


@pytest.mark.parametrize("body", [
    "Ada Kross has called for a “reset” of the talks.",  # another verb: call for
    "Ada Kross dubbed the ferry “Harbour Light One.”",  # a Title Case name stays a label
    "Critics called the plan a “disgrace” at the meeting.",  # no known person uses the word
    "Ada Kross spoke first. Mia Berg, who she dubbed “the mayor,” spoke next.",  # she: who?
])
def test_short_quote_after_a_naming_verb_stays_scare_without_a_named_user(body: str) -> None:
    assert all(q.scare for q in quotes(body))


def test_short_utterance_with_attribution_is_not_scare() -> None:
    (q,) = quotes("“Never,” the senator Paul Lind replied.")
    assert not q.scare
    assert q.speaker == "Paul Lind"


def test_longer_quote_is_not_scare() -> None:
    (q,) = quotes("She said the deal was “a step in the right direction” for the region.")
    assert not q.scare


def test_reported_speech_without_marks_is_not_a_quotation() -> None:
    assert quotes("The minister said that the talks would continue next week in Vienna.") == []


# --- offsets and speakers -------------------------------------------------------------------


def test_offsets_map_to_the_source_text() -> None:
    body = 'Intro.\n"Quoted words here," he said.'
    offsets = OffsetMap([(0, 10, 7), (7, 30, 30)])
    (q,) = extract_quotes("a.txt", body, offsets)
    assert (q.start, q.end) == (8, 26)
    assert (q.source_start, q.source_end) == (31, 49)


def test_pronoun_resolves_to_the_last_named_speaker() -> None:
    body = (
        "Finance minister Lena Vogt presented the budget on Tuesday.\n\n"
        "“Spending will fall by two percent,” Vogt said.\n\n"
        "The opposition leader Mark Stone was not convinced by the figures.\n\n"
        "“These numbers hide a deficit,” he said.\n\n"
        "“We have been careful with every line,” she added."
    )
    a, b, c = quotes(body)
    assert a.speaker == "Lena Vogt" and a.speaker_confidence >= 0.9
    assert b.speaker == "Mark Stone"
    assert c.speaker == "Lena Vogt"
    assert c.speaker_confidence < a.speaker_confidence


def test_description_resolves_to_the_last_named_speaker() -> None:
    body = (
        "Carla Mendes, the head of the port authority, spoke after the strike.\n\n"
        "“The port will reopen tomorrow,” Mendes said.\n\n"
        "“Ships are already waiting,” the head of the port authority added."
    )
    _, b = quotes(body)
    assert b.speaker == "Carla Mendes"


def test_inverted_attribution_and_according_to() -> None:
    body = (
        "“Prices will keep rising,” said economist Rui Costa.\n\n"
        "According to Rui Costa, “the worst is behind us” for exporters."
    )
    a, b = quotes(body)
    assert a.speaker == "Rui Costa"
    assert b.speaker == "Rui Costa"


def test_cited_outlet_is_a_source_not_the_speaker() -> None:
    body = "Defence chief Ola Nordmann warned of delays. «The order will arrive late», — cites Reuters."
    (q,) = quotes(body)
    assert q.cited_source == "Reuters"
    assert q.speaker == "Ola Nordmann"


def test_speaker_before_the_quote_in_the_same_sentence() -> None:
    (q,) = quotes("Prime Minister Sara Holm told reporters that the reform was “long overdue and necessary.”")
    assert q.speaker == "Sara Holm"


def test_unknown_speaker_has_zero_confidence() -> None:
    (q,) = quotes("“The lights went out at nine and stayed out for hours.”")
    assert q.speaker is None and q.speaker_confidence == 0.0


def test_closing_single_quote_after_s_is_not_a_possessive() -> None:
    assert texts("The term 'fake news' was everywhere that year.") == ["fake news"]
    assert texts("The ‘workers’ union’ was the old name of the club.") == ["workers’ union"]


def test_one_word_label_followed_by_reported_speech_is_scare() -> None:
    (q,) = quotes("The “experts” were wrong, said the auditor Kim Berg.")
    assert q.scare


def test_hard_wrapped_lines_are_joined() -> None:
    body = (
        'The leader, Rosa Klein, spoke after the vote. "We have waited\n'
        "for this moment for ten years,\" she said.\n\n"
        "Nobody else commented."
    )
    (q,) = quotes(body)
    assert q.text == "We have waited\nfor this moment for ten years,"
    assert not q.unclosed and q.speaker == "Rosa Klein"


def test_indefinite_description_is_a_new_speaker() -> None:
    body = (
        "“We will cut the deficit by half,” the finance minister Ivo Marek said.\n\n"
        "A ministry spokesperson said later that “the timetable is still being discussed with the unions.”"
    )
    _, b = quotes(body)
    assert b.speaker == "A ministry spokesperson"


def test_random_text_never_raises_and_offsets_hold() -> None:
    import random

    rng = random.Random(11)
    pieces = ['"', "'", "“", "”", "‘", "’", "«", "»", "„", "‹", "›", " ", " ", " ", "\n", "\n\n", ",", ".", ":",
              "—", "said", "she", "he", "Anna Berg", "the minister", "don't", "O'Neill", "'90s", "we", "will",
              "never", "go", "home", "according to", "Reuters", "so-called", "X", "a", "the"]
    for _ in range(1500):
        body = "".join(rng.choice(pieces) + (" " if rng.random() < 0.5 else "") for _ in range(rng.randint(0, 60)))
        for q in extract_quotes("r.txt", body):
            assert 0 <= q.start <= q.end <= len(body)
            assert body[q.start : q.end] == q.text
            assert 0.0 <= q.speaker_confidence <= 1.0


def test_participle_clause_after_quote_is_not_an_inverted_attribution() -> None:
    body = ('Lena Vogt urged the board to "sell the shares before the end of the month," arguing that the '
            "European Union had the means to act.")
    (q,) = quotes(body)
    assert q.speaker == "Lena Vogt"
