"""Speakers never taken from page furniture, captions, headlines' objects or introductory phrases:
a capitalised run of words the article writes in lower case elsewhere is no person's name, a name
after a verb before a colon is that verb's object, and a name inside an opening "After …," phrase
is not the sentence's subject. Invented sentences only."""

from __future__ import annotations

import sys
from pathlib import Path

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
sys.path.insert(0, str(HELPERS))

from quote_finder import quote_starting  # noqa: E402


def test_video_player_furniture_is_no_speaker() -> None:
    body = ("Harbour clinic staff answer questions Replay More Videos ... Staff at the clinic said more "
            "videos would replay tonight. A clinic manager \"may have acted too slowly in the first week,\" he said.")
    quote = quote_starting(body, "may have acted")
    assert quote.speaker != "Replay More Videos"
    assert quote.speaker is None or quote.speaker_confidence < 0.6


def test_radio_show_title_is_no_speaker() -> None:
    body = ("From Evening Report: flooding closes the coast road. Listen to the evening report online.\n\n"
            "A caller from the coast described the water. \"It came up to the windows in ten minutes,\" she says.")
    quote = quote_starting(body, "It came up")
    assert quote.speaker != "Evening Report"


def test_a_common_word_before_a_full_name_is_dropped() -> None:
    body = ("Watch Dana Fellowes speak to the committee. In her statement, she rejects the claims. "
            "\"I would ask you not to repeat claims that help our rivals,\" she says. You can watch it here. "
            "Dana Fellowes left in May.")
    assert quote_starting(body, "I would ask").speaker == "Dana Fellowes"


def test_a_phrase_of_common_words_around_of_is_no_person() -> None:
    body = ("The minister defended the effort to rescue Varlow. \"We bring our people home, whatever the "
            "circumstances,\" he said in Lisbon. (Read more: Criticism of Varlow deal grows) The criticism "
            "has not stopped.")
    assert quote_starting(body, "We bring").speaker != "Criticism of Varlow"


def test_a_name_that_is_a_group_word_keeps_its_first_word() -> None:
    body = ("Members of Black Rivers Matter marched on Sunday. Black Rivers Matter organisers said the black "
            "water was \"a warning for every town downstream of the plant.\"")
    assert quote_starting(body, "a warning").speaker != "Rivers Matter"


def test_a_headline_verbs_object_before_a_colon_is_not_the_speaker() -> None:
    body = "Mayor scolds Port Hedland: \"They want everything done for them\"\n\nThe mayor spoke on Sunday."
    assert quote_starting(body, "They want").speaker != "Port Hedland"
    body = "Varlow slams Dana Fellowes: \"She has done nothing for this town\"\n\nVarlow spoke on Sunday."
    quote = quote_starting(body, "She has done")
    assert quote.speaker != "Dana Fellowes" or quote.speaker_confidence < 0.6  # no known speaker to veto a join


def test_a_title_or_a_pair_of_names_before_a_colon_still_speaks() -> None:
    body = "Former secretary of state Dana Fellowes: \"We learned that from the ministry and its analysis.\""
    assert quote_starting(body, "We learned").speaker == "Dana Fellowes"
    body = "POLLS TOO EARLY - Dana Fellowes and Kit Varlow: \"The polls were not wrong, they just ended early.\""
    assert quote_starting(body, "The polls").speaker in ("Dana Fellowes", "Kit Varlow")


def test_a_name_in_an_opening_after_phrase_is_not_the_subject() -> None:
    body = ("After a heated exchange over whether Kit Varlow should testify, Judge Dana Fellowes looked at "
            "both sides. \"Those addressing this court should remember where they are,\" he said.")
    assert quote_starting(body, "Those addressing").speaker == "Dana Fellowes"


def test_a_family_name_written_first_is_keyed_by_its_first_word() -> None:
    body = ("Northland leader Pak Sol Yon lashed out on Friday. Pak called the speech \"deranged behavior.\" He "
            "said the remarks by President Dana Fellowes \"have convinced me that the path I chose is right.\"\n\n"
            "Fellowes said \"we have no choice\" in Geneva.")
    assert quote_starting(body, "deranged").speaker == "Pak Sol Yon"
    assert quote_starting(body, "have convinced").speaker == "Pak Sol Yon"


def test_a_surname_after_a_given_name_is_not_a_family_name_first() -> None:
    # "Varlow" is Kit Varlow's surname: a headline's "Varlow Dana's plan" keys nothing
    body = ("Kit Varlow spoke on Friday. Read more: Varlow Dana's plan stalls. Varlow said \"the plan is "
            "finished\" in Geneva.")
    assert quote_starting(body, "the plan is").speaker == "Kit Varlow"


def test_un_in_title_case_is_part_of_a_name_not_the_united_nations() -> None:
    body = "Northland leader Pak Sol Un spoke on Friday. \"We will answer,\" he said. The UN said nothing."
    assert quote_starting(body, "We will answer").speaker == "Pak Sol Un"


def test_the_president_is_the_person_titled_president_not_a_candidate_named_since() -> None:
    body = ("President Jo Bayer sat down with the network on Sunday. A talk with Republican presidential "
            "candidate Kit Varlow also aired on the show. \"I am the first to confess that I have not fully "
            "done it,\" the president added in his interview.")
    assert quote_starting(body, "I am the first").speaker == "Jo Bayer"


def test_the_senator_stays_the_recent_actor_when_no_other_role_is_written() -> None:
    body = ("Sen. Dana Fellowes spoke first. Kit Varlow then took the stage in Ames. \"We will win this state,\" "
            "the senator said.")
    assert quote_starting(body, "We will win").speaker == "Kit Varlow"


def test_a_vice_president_is_not_the_president() -> None:
    body = ("Vice President Dana Fellowes spoke first. Former governor Kit Varlow then took the stage. "
            "\"We will win this state,\" the president said.")
    assert quote_starting(body, "We will win").speaker != "Dana Fellowes"


def test_a_place_after_a_preposition_and_article_is_not_the_sentence_subject() -> None:
    body = ("To the backdrop of the Harbor Tower, Jo Bayer praised the city. She said the world must move "
            "beyond \"old nuclear postures.\"")
    assert quote_starting(body, "old nuclear").speaker == "Jo Bayer"


def test_a_caption_word_before_a_name_is_dropped() -> None:
    body = ("Photo Dana Fellowes speaks in Ames. Fellowes said the bill was weak. Fellowes dismissed the critics, "
            "telling a host that \"we are growing into a governing party.\"")
    assert quote_starting(body, "we are growing").speaker == "Dana Fellowes"


def test_the_asker_does_not_say_the_words_asked_about() -> None:
    body = ("The network's Kit Varlow asked Dana Fellowes on Thursday about her comment in March that the plan "
            "looked \"like a tremendous success from the start.\" Fellowes replied that she stood by it.")
    quote = quote_starting(body, "like a tremendous")
    assert quote.speaker != "Kit Varlow" or quote.speaker_confidence < 0.6


def test_a_sentence_opening_on_a_description_has_no_named_object_for_subject() -> None:
    body = ("President Jo Bayer spoke in Lisbon. The president on Tuesday defended her efforts to rescue Kit "
            "Varlow from captivity. \"We still get a soldier back,\" she said in Warsaw.")
    assert quote_starting(body, "We still get").speaker == "Jo Bayer"


def test_a_hyphenated_title_inside_a_run_is_stripped() -> None:
    body = "\"We have assigned a reporter,\" said Harbor Editor-in-Chief Dana Fellowes on Monday."
    assert quote_starting(body, "We have assigned").speaker == "Dana Fellowes"


def test_a_description_right_before_a_name_keeps_the_name_as_subject() -> None:
    # "The Vermont senator Bernie Sanders spoke": the name in apposition is the sentence's subject
    body = ("Hillary Clinton spoke first. The Vermont senator Bernard Sandell spoke in Iowa on Tuesday. "
            "\u201cWe will win this state and then the whole nation,\u201d he said.")
    quote = quote_starting(body, "We will win")
    assert quote.speaker == "Bernard Sandell"


def test_the_titled_person_is_found_once_per_article_however_many_people_are_named() -> None:
    names = " ".join(f"Then Ann Lee{i} spoke." for i in range(300))
    body = (f"President Jo Bayer arrived. {names} Then presidential candidate Kit Varlow spoke. The president "
            "said \u201cwe will win this thing today.\u201d")
    assert quote_starting(body, "we will win").speaker == "Jo Bayer"


def test_a_newspaper_continue_reading_line_is_no_speaker() -> None:
    body = ("Dana Varlow spoke to the crowd in Dayton on Friday. The president admitted the campaign had been "
            "hard.\n\nAdvertisement Continue reading the main story\n\nHis remarks came as he faced new "
            "polls. \"There will be no shortage of gaffes,\" he said.")
    assert quote_starting(body, "There will be").speaker == "Dana Varlow"
