"""Short partial quotes inside a person's reported speech, and pronoun subjects of naming verbs.

`Jo Vega asserted the charge was "politically motivated"`: one or two quoted words that report what a
named (or pronoun-referenced) person said are that person's words, a quotation with its speaker, not
the writer's scare quote; the writer naming a word (`the term "…"`), titles, demands (`called for a
"…"`) and words that belong to someone else stay scare quotes. Invented sentences only.
"""

from __future__ import annotations

import pytest

from briefreader.core.quotes import Quote, extract_quotes


def quotes(body: str) -> list[Quote]:
    return extract_quotes("a.txt", body)


@pytest.mark.parametrize(("body", "speaker"), [
    ("Jo Vega asserted the charge was “politically motivated” because of the timing.", "Jo Vega"),
    ("Mr. Ilse Brandt said over the weekend that the quay would hold in a “true storm,” remarks that drew "
     "wide criticism.", "Ilse Brandt"),
    ("Dana Fell spoke to reporters on Monday. She said she would seek “spiritual guidance” from her family.",
     "Dana Fell"),
    ("Tomas Reyes spoke at the harbour. He claimed the wall could hold back floods during a “real storm,” as "
     "he argued against the tax.", "Tomas Reyes"),
    ("Mayor Ruth Okafor left the meeting early, telling reporters that the vote would come as “no surprise” "
     "to anyone.", "Ruth Okafor"),
    # a possessive that judges someone's words is no owner of the quote: the judge speaks
    ("Sen. Ada Kross said Bo Lind’s comments were “wildly inaccurate.”", "Ada Kross"),
])
def test_short_quote_in_reported_speech_is_the_speakers_quotation(body: str, speaker: str) -> None:
    (found,) = quotes(body)
    assert not found.scare
    assert found.speaker == speaker


@pytest.mark.parametrize("body", [
    "Jo Vega said she avoided the term “radical reform” on purpose.",  # the writer names a word
    "Jo Vega said she refused to say the words “radical reform” at all.",
    "Jo Vega said the price tag, referred to as a “score,” was too high.",
    "Jo Vega said on “Hardball” that she would run again.",  # a title
    "Jo Vega has called for a “reset” of the talks.",  # a demand, maybe in the writer's word
    "Critics said the plan was a “disgrace” at the meeting.",  # no known person
    # the words of the subordinate clause's own subject, not the speaker's
    "Ada Kross described Bo Lind as a liar after he blamed the floods on “harbour fees.”",
])
def test_writers_labels_stay_scare_quotes_after_a_speech_verb(body: str) -> None:
    assert all(q.scare for q in quotes(body))


def test_participle_with_a_subject_of_its_own_is_not_the_sentence_subjects_speech() -> None:
    # `with the older man saying …`: the participle's own subject speaks, not Jo Vega
    body = ("Jo Vega and Cal Ortiz met for three hours, with the older man saying they had reached an "
            "“understanding.”")
    (found,) = quotes(body)
    assert found.scare or found.speaker != "Jo Vega"


def test_words_owned_by_another_person_are_not_the_speakers() -> None:
    # `blasting Ortiz's claim that …`: the quoted words are Ortiz's claim, not Vega's
    body = ("Jo Vega went on, blasting Cal Ortiz’s claim that the harbour board caused the “root causes” "
            "of the flooding.")
    (found,) = quotes(body)
    assert found.scare or found.speaker == "Cal Ortiz"


def test_person_named_as_the_object_of_the_speech_verb_is_not_its_speaker() -> None:
    body = "Bo Lind spoke at length. He said he refuses to describe Cal Ortiz as a “radical reformer.”"
    (found,) = quotes(body)
    assert found.speaker != "Cal Ortiz"


@pytest.mark.parametrize("body", [
    "Bo Lind spoke for an hour on Monday. He deemed the tax plan “a con” and “a disaster in the making.”",
    "Bo Lind spoke for an hour on Monday. He also called the tax plan “a disaster in the making.”",
    "Bo Lind told the crowd that the town lost a port in what he called “a war of the mayor’s choosing.”",
])
def test_pronoun_subject_of_a_naming_verb_resolves_to_its_person(body: str) -> None:
    found = quotes(body)
    assert found and all(not q.scare and q.speaker == "Bo Lind" for q in found)


def test_pronoun_never_resolves_to_the_person_the_relative_clause_names() -> None:
    # `Cal Ortiz, whom he called "…"`: he is the one who calls, Ortiz the one called
    body = "Bo Lind threw several jabs at Cal Ortiz, whom he called a “dangerous crook.”"
    (found,) = quotes(body)
    assert found.speaker == "Bo Lind"
    assert not found.scare


def test_pronoun_subject_left_unknown_when_it_would_be_the_object() -> None:
    # the only person before `she` is the one she dubbed: unknown beats wrong
    body = "Ada Kross spoke first. Nils Berg, who she dubbed “the mayor,” spoke next."
    assert all(q.speaker != "Nils Berg" or q.speaker_confidence < 0.6 for q in quotes(body))


def test_short_partial_ending_a_paragraph_is_not_continued_by_the_next_paragraphs_quotation() -> None:
    # the next paragraph's quotation is someone else's statement, not more of the two words
    body = ('"No excuse," Bo Lind added, saying the scuffle came after a "long day."\n\n'
            '"His conduct is unbecoming of a member of the council."')
    found = quotes(body)
    assert found[1].speaker == "Bo Lind" and not found[1].scare
    assert found[1].utterance_id != found[2].utterance_id


def test_short_quote_of_reported_speech_is_no_anchor_for_a_label() -> None:
    # `like a "piggy bank," while the "Acme-Lind" plan …`: the label stays a scare quote on its own
    body = ("Ada Kross said the mayor's plan treats the harbour fund like a “piggy bank,” while the "
            "“Kross-Lind” plan keeps it.")
    piggy, label = quotes(body)
    assert not piggy.scare and piggy.speaker == "Ada Kross"
    assert label.scare


def test_a_title_gives_a_gender_that_a_pronoun_must_match() -> None:
    # `Mrs. Kross … what he called "…"`: he is not Mrs. Kross
    body = ("Ada Kross met Bo Lind on Monday. Mrs. Kross said the plan was dead. The oddest claim was that "
            "Mrs. Kross used the port in what he called “hostile waters.”")
    (found,) = quotes(body)
    assert found.speaker != "Ada Kross"


def test_a_kinship_word_gives_a_gender_that_a_pronoun_must_match() -> None:
    # `her husband, Bo Lind`: `she` is the woman, not her husband named last
    body = ("Ada Kross runs a bakery in Dover. Along with her husband, Bo Lind, a banker, she has given to many "
            "causes. She called the mayor a “special person.”")
    (found,) = quotes(body)
    assert found.speaker == "Ada Kross"


def test_participle_after_a_pronoun_subject_is_that_persons_speech() -> None:
    body = ("Ada Kross lost the vote on Monday. She doubled down late that night, telling reporters: “The vote "
            "was rigged from the start.”")
    (found,) = quotes(body)
    assert found.speaker == "Ada Kross"


def test_participle_after_an_inner_clause_is_not_the_opening_pronouns() -> None:
    # `in which he talked …, claiming …`: the inner clause's `he` claims, not the opening one
    body = ("Bo Lind spoke after Ada Kross. He raised the remarks Cal Ortiz made in May, in which he talked about "
            "the port, claiming that the town could “never pay for a quay that long and that costly.”")
    (found,) = quotes(body)
    assert found.speaker != "Bo Lind"


def test_a_dotted_abbreviation_is_no_person() -> None:
    # `(R-N.Y.)`, `Buffalo, N.Y.`: never a speaker a pronoun could stand for
    from briefreader.core.quote_names import _clean_name

    assert _clean_name("N.Y.") is None and _clean_name("U.S") is None
    assert _clean_name("J.J. Price") is not None


def test_description_holding_an_abbreviation_is_the_source() -> None:
    body = ('Bo Lind was let off lightly. "There isn’t a whole lot you can do," said a former U.S. harbour '
            "official who oversaw the case.")
    (found,) = quotes(body)
    assert found.speaker == "a former U.S. harbour official"


def test_subordinate_clause_of_the_speaker_again_keeps_the_quote_hers() -> None:
    body = "Ada Kross said on Sunday she meant no insult when she referred to the “harbour theology” of the board."
    (found,) = quotes(body)
    assert not found.scare and found.speaker == "Ada Kross"


def test_party_apposition_names_the_person_before_it() -> None:
    body = ("The harbour board, Ilse Brandt, a Republican, said in a statement that the suit was "
            "“without merit.”")
    (found,) = quotes(body)
    assert found.speaker == "Ilse Brandt" and not found.scare


def test_short_reported_quote_is_no_first_half_of_an_interrupted_quotation() -> None:
    # `said he was seeking "X," had apologized, and vowed: "Y,"`: two statements, not one quotation cut
    body = ("Mr. Bo Lind said he was seeking “spiritual guidance,” had apologized for his threat, and vowed to "
            "make one change: “I will no longer speak to the press after today,” he said.")
    first, second = quotes(body)
    assert not first.scare and first.speaker == "Bo Lind"
    assert first.utterance_id != second.utterance_id
