"""Speakers read through the clause around a quotation: a name that only modifies a role ("Varlow lawyer
Dana Fellowes"), a relative clause's speaker ("…, joined by Dana Fellowes, who emphasized"), a headline's
"Name:" lead, and a passive "accused of" (the accuser's words). Invented sentences only."""

from __future__ import annotations

import sys
from pathlib import Path

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
sys.path.insert(0, str(HELPERS))

from quote_finder import quote_starting  # noqa: E402

from briefreader.core.quote_attribution import HEADLINE_MAX_CHARS, _headline_lead_in, _Resolver  # noqa: E402
from briefreader.core.quote_pairing import _Raw  # noqa: E402
from briefreader.core.quotes import extract_quotes  # noqa: E402


def test_a_name_modifying_the_role_of_the_one_named_next_is_not_the_subject() -> None:
    body = ("Mayor Kit Varlow denied the report on Friday.\n\n"
            "Varlow lawyer Dana Fellowes brought the question to the fore over the weekend on radio, saying "
            "\u201cThere is nothing wrong with taking information from a rival.\u201d")
    assert quote_starting(body, "There is nothing").speaker == "Dana Fellowes"


def test_a_name_before_a_verb_and_a_role_is_still_the_subject() -> None:
    # "thanked adviser Dana Fellowes": the verb between the names makes Varlow the subject, not a modifier
    for verb in ("thanked", "praised", "met", "thanks"):
        body = f"Mayor Kit Varlow {verb} adviser Dana Fellowes for \u201cyears of loyal service.\u201d"
        assert quote_starting(body, "years of loyal").speaker == "Kit Varlow", verb


def test_the_name_a_relative_clause_follows_speaks_even_as_an_object() -> None:
    body = ("\"None of the guidance replaces local rules,\" Mayor Kit Varlow said.\n\n"
            "Varlow was joined by Health Director Dr. Dana Fellowes, who emphasized that it is not the aim of "
            "the agency to provide a \"rationale to keep schools closed\" and that the rules are not binding.")
    quote = quote_starting(body, "rationale to keep")
    assert quote.speaker == "Dana Fellowes"
    assert quote.speaker_confidence >= 0.6


def test_a_place_a_relative_clause_follows_is_no_speaker() -> None:
    body = "Mayor Kit Varlow met voters in Northvale, who said the plan was \"dead on arrival.\""
    assert quote_starting(body, "dead on arrival").speaker != "Northvale"


def test_a_relative_clause_speaker_is_not_the_subject_of_her_reported_clause() -> None:
    body = ("Mayor Kit Varlow attacked the late senator again on Sunday.\n\n"
            "The message was shared by the senator's daughter Dana Fellowes, who also said Monday on radio "
            "that Varlow \u201cspends his weekends obsessing over great men he will never live up to.\u201d")
    quote = quote_starting(body, "spends his weekends")
    assert quote.speaker == "Dana Fellowes"
    assert quote.speaker_confidence >= 0.6


def test_a_headline_opening_on_a_name_and_a_colon_gives_her_words() -> None:
    body = ("Fellowes: Mayor Kit Varlow would 'have been indicted' if he were not mayor\n\n"
            "Dana Fellowes said Tuesday that Varlow escaped charges only because of his office.")
    quote = quote_starting(body, "have been indicted")
    assert quote.speaker == "Dana Fellowes"
    assert quote.speaker_confidence >= 0.6


def test_a_headline_label_before_a_colon_is_no_speaker() -> None:
    body = ("Report: Varlow would 'have been indicted' if he were not mayor\n\n"
            "Dana Fellowes wrote the report. Mayor Kit Varlow escaped charges.")
    quote = quote_starting(body, "have been indicted")
    assert quote.speaker not in ("Report", "Dana Fellowes")


def test_a_question_or_a_country_before_a_headline_colon_is_no_speaker() -> None:
    for lead in ("Why Fellowes", "Egypt"):
        body = (f"{lead}: Varlow plan is 'dead on arrival'\n\n"
                "Dana Fellowes met Mayor Kit Varlow in Egypt on Tuesday.")
        assert quote_starting(body, "dead on arrival").speaker != "Dana Fellowes"


def test_a_headline_lead_in_needs_a_headline() -> None:
    # a long sentence ending with a full stop is no headline: the lead-in rule does not apply
    body = ("Fellowes: the long answer came later, after Kit Varlow had told reporters the plan was "
            "\"dead on arrival\" and left the room without another word to anyone in the hall.\n\n"
            "Dana Fellowes said Tuesday that she disagreed.")
    assert quote_starting(body, "dead on arrival").speaker != "Dana Fellowes"


class _NoLongSlices(str):
    """A body that refuses to copy more than a headline's length at once."""

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        if isinstance(key, slice) and len(range(*key.indices(len(self)))) > HEADLINE_MAX_CHARS + 1:
            raise AssertionError(f"a slice of {key} copied")
        return str.__getitem__(self, key)


def test_a_headline_lead_in_copies_no_long_paragraph() -> None:
    # one long paragraph of many quotations: a copy of the paragraph per quotation would be quadratic
    text = "Dowd: Mayor Kit Varlow is 'a liar' " + "and more words follow here " * 100
    body = _NoLongSlices(text)
    resolver = _Resolver(text)
    mark = text.index("'")
    q = _Raw(start=mark + 1, end=mark + 8, open_mark="'", close_mark="'", unclosed=False, continued=False,
             depth=0, para=0, utterance=0, mark_pos=mark, close_pos=mark + 8)
    assert _headline_lead_in(body, resolver, q, 0, len(text)) is None


def test_the_one_accused_of_words_did_not_say_them() -> None:
    body = ("Mayor Kit Varlow accused of \u2018poisoning the well\u2019\n\n"
            "In her memoir, Dana Fellowes calls Varlow a man of integrity but writes that he damaged the council.")
    quote = quote_starting(body, "poisoning the well")
    assert quote.speaker != "Kit Varlow"


def test_a_reported_clause_after_a_dash_is_no_attribution_of_the_quotation_before() -> None:
    body = ("\"I offered to resign last night,\" Dana Fellowes said in a text.\n\n"
            "But minutes later, Fellowes wrote on her page that she \"offered to resign\" on Monday night \u2014 "
            "and that Mayor Kit Varlow told her, \"Let's talk about it tomorrow.\"")
    quote = next(q for q in extract_quotes("a", body) if q.text == "offered to resign")
    assert quote.speaker != "Kit Varlow"


def test_a_dash_and_a_speaker_after_a_quotation_still_attribute_it() -> None:
    # (only "— and that …" opens a reported clause; "— and Ann Reyes said so" is her attribution)
    body = "\"We won\" on Monday night \u2014 and Ann Reyes said so twice."
    assert quote_starting(body, "We won").speaker == "Ann Reyes"


def test_a_name_modifying_a_noun_after_the_is_no_sentence_subject_for_a_later_pronoun() -> None:
    body = ("President Mark Varlow nominated Judge Brent Cavallo on Monday.\n\n"
            "In light of the continuing inquiry into the ties between Russia and the Varlow campaign, Cavallo "
            "will face questions about his views. In a 2009 article, he wrote that impeachment was a safeguard "
            "\u201cif a president does something dastardly\u201d.")
    assert quote_starting(body, "if a president").speaker == "Brent Cavallo"


def test_the_subject_after_the_quotation_closing_the_sentence_before_is_read() -> None:
    body = ("Mayor Kit Varlow called his aide a \u201cbrave man.\u201d In comments read as an offer of a pardon, "
            "Varlow praised Dana Fellowes, saying she \u201crefused to break\u201d under questioning.")
    quote = quote_starting(body, "refused to break")
    assert quote.speaker == "Kit Varlow"
    assert quote.speaker_confidence >= 0.6


def test_followed_up_on_a_report_is_no_speech() -> None:
    # ("followed up" was tried as a speech verb: "followed up on" is almost never speech)
    body = ("\"We are done,\" Ann Reyes said on Monday. \"It is over.\" Tom Dowd followed up on the report on "
            "Tuesday.")
    assert quote_starting(body, "It is over").speaker != "Tom Dowd"


def test_a_shared_surname_with_his_after_the_verb_is_the_man_of_that_name() -> None:
    body = ("The victim was Krystle Varlow, 29. Reports cite her father, William Varlow, and her mother, "
            "Patty Varlow.\n\nHer father said Krystle had \"gone to take a picture of a friend.\"\n\n"
            "Varlow said his daughter worked at a nearby restaurant and said she was a \"very caring, very "
            "loving person.\"")
    assert quote_starting(body, "very caring").speaker == "William Varlow"


def test_a_title_case_headline_verb_is_no_part_of_the_name() -> None:
    body = ("Update at noon. This \"Act Of Terror\" Was \"Cowardly,\" Varlow Says:\n\n"
            "Speaking at city hall, the mayor said that \"the police are investigating it as an attack.\"")
    quote = quote_starting(body, "the police are")
    assert "Says" not in (quote.speaker or "")


def test_a_thing_said_to_respond_is_no_one_a_later_title_stands_for() -> None:
    body = ("Mayor Kit Varlow spoke at city hall on Monday.\n\n"
            "The way people at the race responded and helped each other, the mayor added, shows that "
            "\"this city refuses to be terrorized\" even by such an attack.")
    quote = quote_starting(body, "this city refuses")
    assert quote.speaker == "Kit Varlow"


def test_the_accused_speaks_when_a_verb_of_her_own_follows() -> None:
    body = ("Dana Fellowes accused of bias calls report 'a sham'\n\n"
            "Dana Fellowes rejected the report on Tuesday.")
    assert quote_starting(body, "a sham").speaker == "Dana Fellowes"
