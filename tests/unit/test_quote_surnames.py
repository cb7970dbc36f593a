"""Who a surname written alone stands for: the one full name of the article with that surname, the one
introduced first when several share it, unless the article says otherwise (an office or an honorific
that none of the full names fits). Invented sentences only."""

from __future__ import annotations

import sys
from pathlib import Path

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
sys.path.insert(0, str(HELPERS))

from quote_finder import quote_starting  # noqa: E402


def test_a_surname_alone_is_its_only_full_name() -> None:
    body = 'Brian Holt spoke first.\n\n"We will build it," Holt said.'
    assert quote_starting(body, "We will").speaker == "Brian Holt"


def test_a_shared_surname_is_the_person_introduced_first() -> None:
    # the longer full name, introduced later and repeated in full to tell her apart, is not who "Holt" is
    body = ('Brian Holt has fought the mine for years. He grew up in the valley, where his mother, Anne Marie '
            'Holt, taught school. Anne Marie Holt retired in 1990; Anne Marie Holt still lives there.\n\n'
            '"We will not stop," Holt said.')
    assert quote_starting(body, "We will not").speaker == "Brian Holt"


def test_a_surname_first_written_after_an_office_is_that_office_holder() -> None:
    # the governor, introduced first, is not the relative named in full after him (and told apart by
    # her given name)
    body = ('Governor Holt opened the bridge on Tuesday. His niece Clara Holt spoke after him; Clara '
            'thanked the workers.\n\n'
            '"This bridge was overdue," Holt said.\n\n"I am proud of it," Clara Holt said.')
    assert quote_starting(body, "This bridge").speaker == "Holt"
    assert quote_starting(body, "I am proud").speaker == "Clara Holt"


def test_a_surname_after_an_office_its_full_name_holds_is_that_person() -> None:
    body = ('Governor Brian Holt opened the bridge on Tuesday. His niece Clara Holt cut the ribbon.\n\n'
            '"This bridge was overdue," Governor Holt said.')
    assert quote_starting(body, "This bridge").speaker == "Brian Holt"


def test_a_surname_after_an_honorific_of_the_other_gender_is_someone_else() -> None:
    body = ('Clara Holt visited the school on Monday.\n\n"We need more teachers," Mr. Holt said later in '
            'a speech.')
    assert quote_starting(body, "We need").speaker != "Clara Holt"


def test_a_possessive_name_before_an_acronym_is_the_person() -> None:
    body = ("Brian Holt's GOP revolt\n\nOn one side is Holt, who spent Tuesday lashing out at the leaders. "
            "Holt posted his angriest message of the day.\n\n"
            '"It is so nice that the gloves are off," he said.')
    assert quote_starting(body, "It is so nice").speaker == "Brian Holt"


def test_a_full_name_introduced_before_the_office_is_its_holder() -> None:
    body = ('Brian Holt opened the bridge on Tuesday. Governor Holt spoke for an hour.\n\n'
            '"This bridge was overdue," Holt said.')
    assert quote_starting(body, "This bridge").speaker == "Brian Holt"


def test_a_given_name_speaking_alone_is_its_one_full_name() -> None:
    body = ('Ellen Varga hosted the show on Tuesday. Varga then took questions.\n\n'
            '"I am friends with people I disagree with," Ellen said.')
    assert quote_starting(body, "I am friends").speaker == "Ellen Varga"


def test_a_given_name_two_full_names_share_is_no_one_in_particular() -> None:
    body = ('Paul Varga and Paul Lindqvist met on Monday.\n\n"We agreed on nothing," Paul said.')
    assert quote_starting(body, "We agreed").speaker not in ("Paul Varga", "Paul Lindqvist")


def test_a_given_name_in_the_narration_that_does_not_speak_is_no_actor() -> None:
    body = ('Clara Holt was mocked at the rally by Tom Berg, who wore a rubber Clara mask.\n\n'
            '"I thought it would be funny," he said.')
    assert quote_starting(body, "I thought").speaker == "Tom Berg"


def test_a_given_name_speaking_alone_keeps_its_gender() -> None:
    body = ('Ellen Varga and Tom Berg spoke at the opening.\n\n"It was a fine day," Ellen said.\n\n'
            '"I disagree," he said.')
    assert quote_starting(body, "It was").speaker == "Ellen Varga"
    assert quote_starting(body, "I disagree").speaker == "Tom Berg"


def test_an_office_before_the_one_full_name_is_that_person() -> None:
    body = ('President Holt spoke on Monday.\n\n"We will win this," Holt said.\n\nBrian Holt was elected in '
            '2008.\n\n"It matters," Holt said.')
    assert quote_starting(body, "We will win").speaker == "Brian Holt"


def test_a_son_written_with_his_suffix_is_not_his_father() -> None:
    body = ('Governor Brian Holt spoke on Monday. "We will win," Holt said.\n\n'
            'Brian Holt Jr. wrote back to the lawyer at the time. "I love it," Holt Jr. wrote.\n\n'
            '"It was a figure of speech," Brian Holt Jr. told investigators.')
    assert quote_starting(body, "We will win").speaker == "Brian Holt"
    assert quote_starting(body, "I love it").speaker == "Brian Holt Jr"
    assert quote_starting(body, "It was a figure").speaker == "Brian Holt Jr"


def test_an_only_full_name_with_a_suffix_is_its_surname_alone() -> None:
    body = ('Ivo B. Brandt Jr. testified before the committee on Thursday morning.\n\n'
            '"I was dismissed because of the inquiry," Mr. Brandt said.')
    assert quote_starting(body, "I was dismissed").speaker == "Ivo B Brandt Jr"


def test_a_surname_alone_in_the_title_line_is_not_narration_before_every_full_name() -> None:
    # the headline writes "Holt" alone; the lede introduces Brian Holt; his wife, written in full twice
    # to tell her apart, is not who "Holt said" means
    body = ("Holt says the mine 'bears responsibility' for the flood\n\n"
            "Former mayor Brian Holt said on Sunday that the mine \u201cbears responsibility\u201d for the flood.\n\n"
            "\u201cThey knew about the dam,\u201d Holt said.\n\n"
            "Anne Holt, who was on with her husband, promoted her book. \u201cI wonder,\u201d Anne Holt said.\n\n"
            "\u201cThe mine is a good neighbour in other ways,\u201d Holt said.")
    assert quote_starting(body, "They knew").speaker == "Brian Holt"
    assert quote_starting(body, "The mine is a good").speaker == "Brian Holt"


def test_an_office_holder_written_by_surname_is_not_a_woman_of_that_surname_named_later() -> None:
    # "President Varlow and his team": he is no "Melania Varlow" named in full further down
    body = ("President Varlow and his team on Sunday closely monitored the storm from the camp.\n\n"
            "Melania Varlow visited the shelters on Saturday with the governor.\n\n"
            "\u201cHere comes the storm. God bless everyone!\u201d Varlow tweeted.")
    assert quote_starting(body, "Here comes").speaker != "Melania Varlow"
