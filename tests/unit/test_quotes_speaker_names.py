"""Speaker attribution on news-style prose: names shown without descriptors, places and clause
fragments never speakers, the object of a clause never its subject (unknown beats wrong).
Invented sentences only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from briefreader.core.quote_attribution import _without_numbers_at_end
from briefreader.core.quote_names import _clean_name, _Speakers
from briefreader.core.quotes import extract_quotes

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
sys.path.insert(0, str(HELPERS))

from quote_finder import quote_starting  # noqa: E402


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Republican Dana Fell", "Dana Fell"),
        ("Rival Dana Fell", "Dana Fell"),
        ("Comedian Dana Fell", "Dana Fell"),
        ("Lyin' Dana Fell", "Dana Fell"),
        ("Controversial Maine Gov. Dana Fell", "Dana Fell"),
        ("Senate Democratic Leader Dana Fell", "Dana Fell"),
        ("Missouri Highway Patrol Capt. Dana Fell", "Dana Fell"),
        ("Scotts Bluff County Sheriff Dana Fell", "Dana Fell"),
        ("FBI Agent Dana Fell", "Dana Fell"),
        ("Jesuit Father Dana Fell", "Dana Fell"),
        ("Members of Fell", "Fell"),
        ("One of Fell", "Fell"),
        ("Is Dana Fell", "Dana Fell"),
        ("Fox News' Dana Fell", "Dana Fell"),
        ("Texas-based Dana Fell", "Dana Fell"),
        ("South Korean-born Dana Fell", "Dana Fell"),
        ("Chicago Alderman Dana Fell", "Dana Fell"),
        ("House Speaker Dana Fell", "Dana Fell"),
        ("Alongside Dana Fell", "Dana Fell"),
        ("Fell of Georgia", "Fell"),  # a lawmaker's surname and state
        ("Secretary of the Treasury Dana Fell", "Dana Fell"),  # the office's department is no given name
        ("Director of National Intelligence Dana Fell", "Dana Fell"),
        ("Commonwealth of Virginia", "Commonwealth of Virginia"),  # never cut to a bare common noun
        # a link card glued to a name in scraped text: the name's first writing
        ("Dana Fell Dana FellSenate Republicans", "Dana Fell"),
        ("Dana Fell Danafer Lee FellNew", "Dana Fell"),
        ("Fell Dana Lee FellFell", "Fell"),
        ("Dana Fell MORE", "Dana Fell"),
        ("Dana McFell", "Dana McFell"),  # a name's own capital
        ("Dana DeFell", "Dana DeFell"),
        ("Candidate Fell", "Fell"),  # never a given name, before a surname alone too
        ("Syria Dana Fell", "Dana Fell"),  # "Ambassador to Syria Dana Fell"
        ("Neighbor Dana Fell", "Dana Fell"),
        ("Secretary-General Dana Fell", "Dana Fell"),
        ("Texas Health Presbyterian Hospital", "Texas Health Presbyterian Hospital"),  # an institution's place
        # offices written before a name, whole or after an organisation's name
        ("Deputy National Security Adviser Dana Fell", "Dana Fell"),
        ("Senior Advisor Dana Fell", "Dana Fell"),
        ("White House Counselor Dana Fell", "Dana Fell"),
        ("Campaign Manager Dana Fell", "Dana Fell"),
        ("EPA Administrator Dana Fell", "Dana Fell"),
        ("Acme CEO Dana Fell", "Dana Fell"),
        ("Chief Strategist Dana Fell", "Dana Fell"),
        ("Ranking Member Dana Fell", "Dana Fell"),
        ("Coach Dana Fell", "Dana Fell"),
        ("Prosecutor Dana Fell", "Dana Fell"),
    ],
)
def test_descriptors_and_titles_are_not_part_of_a_name(raw: str, name: str) -> None:
    assert _clean_name(raw) == name


@pytest.mark.parametrize("raw", ["Las Vegas", "San Bernardino", "St. Louis", "New Start", "Rose Garden",
                                 "National Mall", "Civil Liberties", "WASHINGTON", "Critics", "Fox News'",
                                 "Middle East", "Conservative Political Action Conference"])
def test_places_things_and_datelines_are_never_a_person(raw: str) -> None:
    assert _clean_name(raw) is None


def test_a_link_card_fragment_or_label_is_no_name() -> None:
    assert _clean_name("MORE") is None  # The Hill's card label
    assert _clean_name("Lee FellNew") is None  # a card's middle name and surname, its headline glued on


@pytest.mark.parametrize("raw", ["Garret FitzGerald", "Grace VanderWaal", "Jo Ann Jones", "Tim J Timmons",
                                 "Mohammed bin Salman bin Abdulaziz"])
def test_a_name_with_a_capital_inside_or_a_repeated_word_is_no_link_card(raw: str) -> None:
    assert _clean_name(raw) == raw


def test_a_politico_story_continued_below_line_is_no_speaker() -> None:
    # "continued" and "below" are furniture words, "story" is written in lower case in the article
    body = ("Dana Varlow told the story at the White House on Monday.\n\nStory Continued Below\n\n\"We will "
            "not back down,\" he said.")
    assert quote_starting(body, "We will not back").speaker == "Dana Varlow"


def test_a_title_is_never_a_surname() -> None:
    assert _clean_name("Maine Gov") is None  # a headline's "Maine Gov. Fell" cut at the dot


def test_a_person_described_by_a_place_and_an_acronym_source_are_kept() -> None:
    # a guard: the place and dateline rules must not take these
    assert _clean_name("New Hampshire Democrat", allow_org=True) == "New Hampshire Democrat"
    assert _clean_name("NAACP", allow_org=True) == "NAACP"
    assert _clean_name("Republican Jo") == "Republican Jo"  # too short to tell a descriptor from a name


def test_a_name_written_inside_a_quotation_does_not_name_the_speaker() -> None:
    body = ("Dana Fell opened her campaign on Monday. Her first ad read, \u201cMeet Dana Fell. Your next "
            "mayor.\u201d\n\n\u201cI am ready for this city,\u201d Fell said at the launch.")
    assert quote_starting(body, "I am ready").speaker == "Dana Fell"
    body = ("Dana Fell answered on Monday. \u201cLyin' Bo Lind Fell is at it again,\u201d her rival wrote.\n\n"
            "\u201cI will not dignify that,\u201d Fell said.")
    assert quote_starting(body, "I will not").speaker == "Dana Fell"


def test_a_descriptor_opening_a_sentence_is_not_shown_with_the_name() -> None:
    body = ("Republican Dana Fell spoke first. \u201cWe will win this district back,\u201d Fell said.")
    assert quote_starting(body, "We will win").speaker == "Dana Fell"


def test_a_place_named_in_the_sentence_is_not_the_speaker() -> None:
    body = ("The marchers filled the National Mall on Sunday and chanted \u201cno more wars abroad\u201d "
            "for hours.")
    assert quote_starting(body, "no more wars").speaker is None


def test_a_name_after_a_pronoun_subject_is_not_the_sentence_subject() -> None:
    body = ("Dana Fell apologized on Tuesday. He said Bo Lind, though, would likely chair the committee "
            "next year. \u201cYou may have someone with your background on the committee,\u201d he said.")
    assert quote_starting(body, "You may have").speaker == "Dana Fell"


def test_the_object_ending_a_clause_is_not_the_subject_of_its_participle() -> None:
    body = ("Dana Fell addressed the convention on Saturday.\n\nBut he aimed his fire at Republicans as "
            "well as Democrats, and gave them little quarter, saying he did not know what they stood "
            "for.\n\n\u201cIt is not enough to be less bad than the other side,\u201d he said.")
    assert quote_starting(body, "It is not enough").speaker == "Dana Fell"


def test_a_subordinate_clause_keeps_its_own_subject() -> None:
    # a guard: the clause-object rule must not take the subject of "since X, the …, announced"
    body = ("Ms. Lind has tacked left since Bo Fell, the president of the State Senate, announced his "
            "challenge.\n\n\u201cThe leaders have capitulated again and again,\u201d he said.")
    assert quote_starting(body, "The leaders").speaker == "Bo Fell"


def test_the_object_of_an_opening_participle_is_not_the_sentence_subject() -> None:
    body = ("Dana Fell closed the conference on Saturday.\n\nThe real problem, he said, is complacency.\n\n"
            "Saying President Bo Lind, he said, was \u201ctoo simple an answer.\u201d")
    assert quote_starting(body, "too simple").speaker == "Dana Fell"


def test_an_owned_role_is_a_description_not_its_owner_nor_an_earlier_speaker() -> None:
    body = ("\u201cThe agent was fired for what he wrote,\u201d Representative Bo Lind said in a statement.\n\n"
            "Fell\u2019s attorney, meanwhile, blasted the bureau on Monday, saying the director "
            "\u201creversed the decision of the career official.\u201d\n\n"
            "He added, \u201cA lengthy investigation failed to produce a shred of evidence.\u201d")
    reversed_quote = quote_starting(body, "reversed the decision")
    added = quote_starting(body, "A lengthy investigation")
    assert reversed_quote.speaker == "Fell\u2019s attorney"
    assert added.speaker == "Fell\u2019s attorney"
    assert added.speaker_confidence < 0.6  # a described person, not a named one


def test_a_relative_clause_pronoun_speaks_not_the_noun_before_it() -> None:
    body = ("Mr. Fell was criticized on Friday for a remark about the conflict abroad, a military fight he "
            "called \u201ca war of the president's choosing.\u201d")
    assert quote_starting(body, "a war of").speaker == "Fell"


@pytest.mark.parametrize(
    ("body", "starting", "speaker"),
    [
        ("The writers acknowledge that the teaching calls for local solutions but say it is \u201cnot a "
         "free pass to dismantle government\u201d at all.", "not a free pass", "The writers"),
        ("The indictment also alleged that the pair spent \u201ctens of thousands of dollars on "
         "themselves.\u201d", "tens of thousands", "The indictment"),
    ],
)
def test_a_description_is_a_noun_phrase_not_a_clause(body: str, starting: str, speaker: str) -> None:
    assert quote_starting(body, starting).speaker == speaker


def test_a_person_named_past_the_subject_is_weak_evidence() -> None:
    body = "Candidate in Iowa mocks Bo Lind as a farmer \u2018who never went to law school\u2019 in a video"
    quote = quote_starting(body, "who never went")
    assert quote.speaker == "Bo Lind"
    assert quote.speaker_confidence < 0.5
    body = "Bo Lind pictured the candidate as a lawyer \u2018who never worked a day on a farm\u2019 in a video"
    assert quote_starting(body, "who never worked").speaker_confidence == 0.5  # the subject: as before


def test_the_named_subject_of_an_object_relative_clause_speaks() -> None:
    body = ("Dana Fell hosts a radio show.\n\nMuch of Fell\u2019s ire was directed at Bo Lind, who Fell on "
            "Wednesday called \u201ca horrible, despicable human being.\u201d")
    assert quote_starting(body, "a horrible").speaker == "Dana Fell"


def test_a_party_word_ending_a_description_is_no_surname() -> None:
    body = ("Republican senators kept up pressure on Chairman Dana Fell on Sunday over his claim that the "
            "war is \u201ca war of the president's choosing\u201d and may not be won.\n\n"
            "Speaking on Sunday, Sen. Bo Lind, R-Ariz., said the comments were wrong. The Arizona Republican "
            "said Fell must decide about his future.")
    assert quote_starting(body, "a war of").speaker == "Dana Fell"


@pytest.mark.parametrize(
    ("body", "starting"),
    [
        ("The presumptive party presidential nominee went so far as to say Jo Bayer should \u201cget out "
         "of this race\u201d if she would not.", "get out of"),
        ("Critics say the Bayer job offer may have broken the part of the code that says: \u201cWhoever "
         "promises any employment or benefit shall be fined.\u201d", "Whoever promises"),
    ],
)
def test_a_name_after_say_that_opens_a_clause_is_no_inverted_speaker(body: str, starting: str) -> None:
    quote = quote_starting(body, starting)
    assert quote.speaker is None or quote.speaker_confidence < 0.5


def test_an_inverted_speaker_before_the_quotation_is_kept() -> None:
    # a guard: "said Jo Bayer:" / "said Jo Bayer of Acme," still name the speaker
    assert quote_starting("As the vote closed, said Jo Bayer: \u201cWe are done with all of this.\u201d",
                  "We are done").speaker == "Jo Bayer"


def test_a_name_in_an_opening_subordinate_clause_is_not_the_sentence_subject() -> None:
    body = ("Dana Fell gave the keynote on Saturday.\n\nIf last year's keynote - delivered by radio host Bo "
            "Lind - was defined by anger, this one stood out for its demands.\n\n\u201cIt is not enough to "
            "be less bad than the other side,\u201d he declared at one point.")
    assert quote_starting(body, "It is not enough").speaker == "Dana Fell"


def test_the_owner_of_a_plural_possessive_is_not_the_sentence_subject() -> None:
    # a guard: "Francis'" is a mention now (the plural possessive), the subject after it speaks
    body = ("Even before Francis' remarks about him, Mr. Fell had criticized the pope as \u201ca political "
            "person with an agenda.\u201d")
    assert quote_starting(body, "a political person").speaker == "Fell"


def test_as_someone_put_it_names_the_speaker() -> None:
    # a guard: the sentence's subject (Bo Fell) is not preferred over the idiom's name
    body = ("As Ms. Lind put it in a statement to a colleague in July, Bo Fell is \u201cproviding a "
            "perspective you won't get elsewhere.\u201d")
    assert quote_starting(body, "providing a perspective").speaker == "Lind"


def test_a_middle_initial_does_not_make_a_relative_the_owner_of_a_surname() -> None:
    body = ("Florida Gov. Dana Fell campaigned in Iowa on Monday with his brother, former President Bo K. "
            "Fell, at his side.\n\n\u201cWe will win this state back,\u201d Fell said.")
    assert quote_starting(body, "We will win").speaker == "Dana Fell"


@pytest.mark.parametrize(
    "body",
    [
        "WASHINGTON \u2014 The president said on Friday that the deal was \u201ca historic step forward for "
        "peace.\u201d",
        "WASHINGTON \u2014 Speaking in the Rose Garden, the president called the deal \u201ca historic step "
        "forward for peace.\u201d",
    ],
)
def test_a_dateline_or_a_place_is_never_the_speaker(body: str) -> None:
    quote = quote_starting(body, "a historic step")
    assert quote.speaker is None or quote.speaker.lower() == "the president"


def test_he_never_stands_for_a_described_group() -> None:
    # a guard: "he" never resolves to a plural description ("A few of his party colleagues")
    body = ("Representative Dana Fell resigned on Friday. A few of his party colleagues urged him to resign "
            "over the accusations, which Fell has denied.\n\n\u201cI planned on serving out my term,\u201d he "
            "said in a statement.")
    assert quote_starting(body, "I planned on").speaker == "Dana Fell"


def test_a_clause_after_and_keeps_its_own_subject_not_a_place_before_it() -> None:
    body = ("Dana Fell was a coach in Yorkville, Illinois, from 1967 to 1981, and the indictment says the "
            "witness \"has known the defendant for most of his life.\"")
    quote = quote_starting(body, "has known the defendant")
    assert quote.speaker != "Illinois"
    assert quote.speaker in (None, "the indictment")


def test_the_subject_of_a_clause_after_said_is_no_inverted_speaker() -> None:
    # "said the country was": a reported clause's subject, never the description "the country was"
    body = ("Dana Fell spoke to the council on Monday. Later the mayor said the country was \"totally "
            "controlled\" by its neighbour.")
    assert quote_starting(body, "totally controlled").speaker != "the country was "


def test_a_country_is_never_he_nor_the_description_of_a_person() -> None:
    # "… countries like Germany that are only spending …" made Germany a sentence subject, then "he"
    # and "the president" stood for it
    speakers = _Speakers("Dana Fell spoke about Germany and Ohio on Monday.")
    for place in ("Germany", "Ohio"):
        assert not speakers._gender_ok(place, "m")
        assert not speakers._gender_ok(place, "")
    assert speakers._gender_ok("Dana Fell", "")


def test_the_subject_of_a_verb_phrase_joined_by_and_speaks() -> None:
    body = ("Dana Fell arrived in Brussels on Tuesday. The president pointed to Germany as an example and "
            "said the country was \"totally controlled\" by Russia.")
    assert quote_starting(body, "totally controlled").speaker == "Dana Fell"
    body = "Dana Fell pointed to Germany as an example and said the country was \"totally controlled\" by Russia."
    assert quote_starting(body, "totally controlled").speaker == "Dana Fell"


def test_the_author_of_a_document_read_out_speaks_not_the_company() -> None:
    body = ("Acme announced the policy in a letter to employees on Monday.\n\n"
            "\"We will not investigate our owner,\" read a staff memo from Acme Editor-in-Chief Dana Fell.\n\n"
            "\"We have already assigned a reporter to his campaign,\" he continued.")
    assert quote_starting(body, "We will not investigate").speaker == "Dana Fell"
    assert quote_starting(body, "We have already").speaker == "Dana Fell"


def test_a_statement_from_someones_office_is_not_a_confident_word_of_the_owner() -> None:
    body = "\"The law protects us all,\" reads a statement from Senate Leader Dana Fell's office."
    quote = quote_starting(body, "The law protects")
    assert quote.speaker is None or quote.speaker_confidence < 0.5


def test_a_day_after_the_subject_does_not_hide_it() -> None:
    body = ("Declaring that the rebels \"are going to lose,\" President Dana Fell on Wednesday asked "
            "Congress for new war powers.")
    assert quote_starting(body, "are going to lose").speaker == "Dana Fell"
    body = "Fell on Wednesday told reporters that the army rarely reports such injuries. \"This is mostly minor.\""
    assert quote_starting(body, "This is mostly minor").speaker == "Fell"


def test_a_name_after_an_opening_descriptions_verb_is_its_object() -> None:
    body = ("President Varlow has accepted the resignation of Nikki Holt, his envoy.\n\n"
            "Holt discussed her resignation with the president last week, and Varlow says she will be leaving "
            "\"at the end of the year.\" The president called Holt a \"very special\" person after meeting with "
            "her on Tuesday, saying they had \"solved a lot of problems\" together.")
    assert quote_starting(body, "solved a lot").speaker == "Varlow"


def test_a_speech_verb_in_a_what_clause_is_no_attribution() -> None:
    body = ("Dana Varlow spoke on Monday. She later said that lawmakers should see what Fell reports and spend "
            "their \"time on getting results for the people.\" Others said it was time to end what Fell called "
            "the \"circus\" and move on.")
    assert quote_starting(body, "time on getting").speaker == "Dana Varlow"
    assert quote_starting(body, "circus").speaker == "Fell"  # his word, named right before it


def test_a_participle_belongs_to_the_last_coordinate_clauses_subject() -> None:
    body = ("Peter Fell wrote the messages. Fell was removed from his post after Dana Varlow learned of them, "
            "but Varlow has ramped up his criticism this month, saying on Twitter that \"its reputation is in "
            "tatters.\"")
    assert quote_starting(body, "its reputation").speaker == "Dana Varlow"


def test_two_people_as_one_subject_are_no_one_speaker() -> None:
    body = ("Dana Varlow and Nikki Holt spoke on Sunday. In their remarks, both Varlow and Holt referred to "
            "the shooting as an \"act of terror\" and an \"act of hate.\"")
    assert quote_starting(body, "act of terror").speaker is None


def test_a_family_speaks_as_the_family_not_as_one_of_its_members() -> None:
    body = ("The network suspended Phil Varlow on Wednesday. \"We cannot imagine the show without our "
            "patriarch,\" the Varlow family said in a statement. \"We are disappointed,\" the Varlows wrote "
            "on their website.")
    assert quote_starting(body, "We cannot imagine").speaker == "the Varlow family"
    assert quote_starting(body, "We are disappointed").speaker == "the Varlow family"


def test_a_place_and_a_party_describe_a_person_named_before() -> None:
    body = ("Sen. Dana Varlow of Nevada spoke on Tuesday.\n\n\"The inquiry failed,\" Varlow said.\n\n\"Any other "
            "person would have been charged,\" the Nevada Democrat said.")
    speaker = quote_starting(body, "Any other person").speaker
    assert speaker is not None and speaker.endswith("Varlow")
    assert speaker == quote_starting(body, "The inquiry failed").speaker
    body = ("House Speaker Peter Fell, Wisconsin Republican, said tax reform is the priority. \"We are united "
            "in this,\" he said.")
    assert quote_starting(body, "We are united").speaker == "Peter Fell"
    body = "Party insiders were polled. \"Completely blew it,\" said a New Hampshire Republican."
    assert quote_starting(body, "Completely blew it").speaker == "a New Hampshire Republican"  # someone unnamed


def test_a_party_description_is_no_one_it_does_not_fit() -> None:
    # the last speaker, but the article never writes her with that state; a person only mentioned
    body = ("Sen. Dana Varlow of Nevada spoke on Tuesday.\n\n\"The inquiry failed,\" Varlow said.\n\n\"Any other "
            "person would have been charged,\" the Ohio Republican said.")
    assert quote_starting(body, "Any other person").speaker == "the Ohio Republican"
    body = ("Sen. Dana Varlow of Nevada spoke on Tuesday.\n\nPeter Fell answered her on the floor.\n\n\"Any other "
            "person would have been charged,\" the Ohio Republican said.")
    assert quote_starting(body, "Any other person").speaker == "the Ohio Republican"


def test_a_party_description_is_not_a_person_named_in_its_own_sentence() -> None:
    body = ("Chairman Dana Varlow on Tuesday requested another inquiry.\n\nIn the letter - addressed to the "
            "U.S. attorney, Peter Fell - the Utah Republican asks whether \"anyone violated the statutes.\"")
    assert quote_starting(body, "anyone violated").speaker != "Peter Fell"


def test_a_document_named_before_speaks_for_its_author() -> None:
    body = ("\"We are disappointed,\" said the statement from Fell's attorney, Dana Varlow. \"The charges are "
            "political.\" The statement said Fell \"asserts his innocence\" and will fight on.")
    assert quote_starting(body, "asserts his innocence").speaker == "Dana Varlow"
    body = ("\"We are disappointed,\" read a statement from Dana Fell's office. The statement said Fell "
            "\"asserts his innocence\" and will fight on.")
    assert quote_starting(body, "asserts his innocence").speaker != "Dana Fell"
    body = ("Dana Fell released a statement from her lawyer, Peter Varlow. Later the agency issued a statement. "
            "The statement said \"the matter is closed.\"")
    assert quote_starting(body, "the matter is closed").speaker != "Peter Varlow"  # another statement since


def test_the_ceo_stands_for_the_person_named_before() -> None:
    body = ("\"Big media lost the public's trust,\" Dana Fell wrote on Wednesday. After one user raised concerns, "
            "the CEO replied: \"The media has earned this mistrust.\"")
    assert quote_starting(body, "The media has earned").speaker == "Dana Fell"


def test_two_people_as_the_object_leave_the_subject_speaking() -> None:
    body = ("Dana Varlow spoke on Monday. Varlow attacked both Peter Fell and Nora Lind as \"do-nothing members who "
            "will never pass a single bill for the people.\"")
    assert quote_starting(body, "do-nothing members").speaker == "Dana Varlow"


def test_a_description_after_said_holding_a_relative_clause_is_kept() -> None:
    body = "Police arrested a man on Monday. \"It is over,\" said a lawyer whose client was charged."
    assert quote_starting(body, "It is over").speaker == "a lawyer whose client was charged"


def test_a_given_name_that_is_a_country_stays_before_a_suffixed_surname() -> None:
    assert _clean_name("Cuba Gooding Jr.") == "Cuba Gooding Jr"


@pytest.mark.parametrize(
    ("body", "snippet", "speaker"),
    [
        # the owner of a noun for words, a mark or "that" between the noun and the quotation
        ("Governor Ada Brenn held a news conference on Friday.\n\nBrenn\u2019s comment \u2014that \u201cthe clinic "
         "system is doing fine\u201d \u2014 became a flashpoint for Tom Bakely.", "the clinic system", "Ada Brenn"),
        ("Governor Ada Brenn spoke on Friday. Tom Bakely arrived.\n\nGovernor Brenn\u2019s comments Friday that "
         "the \u201cclinic system\u2019s doing fine\u201d drew fire from Tom Bakely.", "clinic system", "Ada Brenn"),
        # the noun after the quotation: the pronoun before it goes to the person the article is about
        ("Governor Ada Brenn spoke on Friday. She said she had hired nurses. It was overshadowed by her "
         "\u201cthe clinic system is doing fine\u201d comment.", "the clinic system", "Ada Brenn"),
        # "his" after someone's name with an "'s" in the same sentence is that someone's
        ("\u201cI will not give up on him,\u201d Tom Bakely said.\n\nMr. Korver\u2019s temper came under scrutiny: "
         "He was challenged over his statement on Wednesday that \u201cthe harbour hates us,\u201d but he kept "
         "calm. Dan Korver spoke last.", "the harbour hates us", "Dan Korver"),
    ],
)
def test_the_owner_of_a_comment_or_remark_speaks_it(body: str, snippet: str, speaker: str) -> None:
    assert quote_starting(body, snippet).speaker == speaker


def test_a_quotation_saying_what_someones_comments_do_is_not_theirs() -> None:
    body = ("Judge Ada Brenn spoke on Friday. Tom Bakely said that Brenn\u2019s comments \u201cshow bias to me.\u201d")
    assert quote_starting(body, "show bias").speaker != "Ada Brenn"


@pytest.mark.parametrize("opening", ["Within", "Amid", "Throughout", "Upon", "Against"])
def test_a_preposition_opening_a_sentence_is_no_speaker(opening: str) -> None:
    body = (f"Ada Brenn spoke on Friday.\n\n{opening} hours, she was backtracking, telling reporters that "
            "\u201cthe clinic system is not doing fine.\u201d")
    assert quote_starting(body, "the clinic system").speaker != opening


def test_a_story_continued_below_line_is_no_name() -> None:
    speakers = _Speakers("Ada Brenn spoke.\n\nStory Continued Below\n\nThe aides left.")
    assert all(name != "Story Continued Below" for _, name in speakers.mentions)


def test_a_naming_verbs_subject_does_not_speak_someone_elses_words_written_with_an_s() -> None:
    body = "Dan Korver spoke at dawn.\n\nAnn Reyes called Korver\u2019s \u201closer raider\u201d tweets unhelpful."
    assert quote_starting(body, "loser raider").speaker == "Dan Korver"


def test_a_photo_credit_after_a_slash_is_no_one_a_pronoun_goes_to() -> None:
    body = ("Joe Varlow spoke at an event in Dover on March 12. REUTERS/Carlos Barria\n\n"
            "\u201cI have to start that vetting process relatively soon,\u201d he said.")
    assert quote_starting(body, "I have to start").speaker == "Joe Varlow"


@pytest.mark.parametrize("participle", ["Describing", "Noting", "Praising", "Slamming"])
def test_a_participle_opening_a_sentence_is_no_given_name(participle: str) -> None:
    # "Describing Trump's base as a '…' demographic, Wilson …": Trump is named, no "Describing Trump"
    assert _clean_name(f"{participle} Jo Varlow") == "Jo Varlow"
    assert _clean_name(f"{participle} Varlow's") != f"{participle} Varlow"


def test_a_plural_noun_opening_a_sentence_is_no_person() -> None:
    assert _clean_name("Experts") is None and _clean_name("Analysts") is None


@pytest.mark.parametrize(("sentence", "speaker"), [
    # the title's holder owns "the president's claim", not the last person named
    ("Experts looked askance at the president\u2019s \u201cno questions on the harbour\u201d claim.", "Jo Varlow"),
    # nor does the sentence's own subject, who rejects it
    ("Senator Ed Flake rejected the president\u2019s claim that \u201cthe harbour is safe\u201d at once.", "Jo Varlow"),
])
def test_the_president_owning_words_is_the_one_titled_so(sentence: str, speaker: str) -> None:
    body = ("President Jo Varlow tweeted on Monday. The president's eldest son, Jo Varlow Jr., responded. "
            f"Trump attorney Ed Sekul drew up the list.\n\n{sentence}")
    snippet = "no questions" if "no questions" in sentence else "the harbour is safe"
    assert quote_starting(body, snippet).speaker == speaker


def test_the_president_said_is_the_titled_one_not_a_lawyer_named_last() -> None:
    body = ("President Jo Varlow tweeted on Monday. The list was drawn up by Varlow attorney Ed Sekul after "
            "talks.\n\n\u201cSo disgraceful that the questions were leaked,\u201d the president said.")
    assert quote_starting(body, "So disgraceful").speaker == "Jo Varlow"


def test_a_company_name_with_a_number_in_an_apposition_is_not_the_speaker() -> None:
    body = ("Rupert Holm, executive chairman for 21st Century Acme, the parent company of Acme News, called "
            "Ailes a \u201cgreat patriot\u201d on Thursday.")
    assert quote_starting(body, "great patriot").speaker == "Rupert Holm"


def test_a_name_speaking_inside_someones_report_does_not_take_his_next_pronoun() -> None:
    body = ("Senator Bob Corker, who is retiring next year, spoke to reporters at length on Tuesday afternoon.\n\n"
            "Corker also denied that Dan Varlow refused to support his bid. He said Varlow asked him at least "
            "four times to reconsider his decision not to run.\n\n"
            "\u201cThe governor has great difficulty with the truth,\u201d he said.")
    assert quote_starting(body, "The governor has").speaker == "Bob Corker"


def test_a_free_relative_closed_by_a_colon_is_not_the_quotations_attribution() -> None:
    body = ("Fiona Hale testified for ten hours on Monday about the meeting at the ministry.\n\n"
            "Hale recounted that John Bolt told her, in what she described as a direct quote: \u201cYou go and "
            "tell the lawyers that I am not part of whatever deal they are cooking up.\u201d")
    assert quote_starting(body, "You go and tell").speaker == "John Bolt"


def test_a_sentence_opening_on_and_he_is_about_him_not_the_person_it_names() -> None:
    body = ("President Dan Varlow has mused privately about taking away press credentials for months.\n\n"
            "And he said it again on Friday, two days after blacklisting Jim Acoste. \u201cIt could be others "
            "also,\u201d he said.")
    assert quote_starting(body, "It could be others").speaker == "Dan Varlow"


def test_an_outlet_reporting_what_someone_said_is_not_the_speaker_of_her_next_sentence() -> None:
    body = ("Hillary Rowan spoke on the morning show on Monday about her book and her family's finances.\n\n"
            "\u201cYes I can, but everything in life has to be put into context,\u201d she said, The Ledger "
            "reported. \u201cAs I recall, we were something like $12 million in debt.\u201d")
    assert quote_starting(body, "As I recall").speaker == "Hillary Rowan"


def test_a_single_letter_is_no_name() -> None:
    assert _clean_name("Y") is None
    body = ("The messages were released on Tuesday by the committee investigating the matter.\n\n"
            "Rep. Eliot Engle, D_N.Y., who chairs the committee, said the messages are \u201cprofoundly "
            "alarming\u201d and worrying.")
    assert quote_starting(body, "profoundly alarming").speaker == "Eliot Engle"


def test_two_people_named_together_are_no_sentence_subject_for_he() -> None:
    body = ("\u201cThey have gotten desperate,\u201d Ben Carlson told reporters in Florida on Thursday.\n\n"
            "Scott Glover and Maeve Reston spoke with nine friends who grew up with Carlson.\n\n"
            "Friday morning on the morning show, he said the network's reporting of his past was a \u201cbunch "
            "of lies.\u201d")
    assert quote_starting(body, "bunch of lies").speaker == "Ben Carlson"


@pytest.mark.parametrize("raw", ["Republican Judiciary", "Senate", "Congress", "Bain Capital"])
def test_an_institution_is_no_person(raw: str) -> None:
    assert _clean_name(raw) is None
def test_the_president_said_stays_with_a_university_president_named_last() -> None:
    # review: "the president" is not the head of state when the one named last is a president of something
    body = ("University president Ann Reyes spoke on Monday, a day after President Jo Varlow visited the campus."
            "\n\n\u201cWe are grateful for the new library,\u201d the president said.")
    assert quote_starting(body, "We are grateful").speaker == "Ann Reyes"


@pytest.mark.parametrize("body", [
    "Senator Ed Flake spoke on Monday.\n\nFlake rejected the president\u2019s claim that "
    "\u201cthe harbour is safe\u201d at once.",
    "Ed Flake rejected the governor\u2019s claim that \u201cthe harbour is safe\u201d at once.",
])
def test_a_described_owners_words_are_never_the_sentences_own_subjects(body: str) -> None:
    # review: with no one titled so, the naming verb's subject must not get the words back
    assert quote_starting(body, "the harbour is safe").speaker != "Ed Flake"


def test_words_said_of_someones_comments_are_the_speakers_not_the_comments_owners() -> None:
    # review: "said of Bakely's comments, '…'": the comments are the topic
    body = ("Tom Bakely spoke on Monday.\n\nAnn Reyes said of Bakely\u2019s comments, \u201cThey were a mistake and "
            "he knows it.\u201d")
    assert quote_starting(body, "They were a mistake").speaker == "Ann Reyes"


@pytest.mark.parametrize(("head", "bare"), [
    ("chairman for 21st ", "chairman for "),
    ("chairman for 21st 22 3rd ", "chairman for "),
    ("chairman for ", "chairman for "),
    ("1 " * 2000 + "with ", "1 " * 2000 + "with "),  # numbers not ending it stay (bench_bounds times this)
])
def test_the_numbers_ending_an_appositions_head_are_dropped_word_by_word(head: str, bare: str) -> None:
    # review: `(?:\d+\s+)+$` retried at each number of a run that ends on a word was quadratic
    assert _without_numbers_at_end(head) == bare


def test_a_countrys_promise_is_no_speaker() -> None:
    # review: "America's promise that '…'" made "America" the speaker
    body = "Ann Reyes spoke on Monday. She doubted America\u2019s promise that \u201cno one will be left behind.\u201d"
    assert quote_starting(body, "no one will").speaker != "America"


def test_a_short_sentence_full_of_names_is_no_headline() -> None:
    # a headline has no full stop; a sentence naming people in a row still names them
    speakers = _Speakers("Sen. Bob Corker spoke to CNN on Tuesday.\n\nCorker also denied the report.")
    assert [name for _, name in speakers.mentions] == ["Bob Corker", "Bob Corker"]


def test_a_quotation_reads_a_bounded_number_of_speech_verbs_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # a paragraph with no sentence end: every quotation's sentence runs back to the paragraph's start, and
    # reading every speech verb of it per quotation was cubic (34 KB: 209 s; bench_bounds times it)
    import briefreader.core.quote_attribution as attribution

    calls = 0
    subject_left = attribution._subject_left

    def counted(text: str) -> tuple[str, str] | None:
        nonlocal calls
        calls += 1
        return subject_left(text)

    monkeypatch.setattr(attribution, "_subject_left", counted)
    unit = 'and the officials said the plan was "good for the whole town" while aides noted that '
    quotes_found = extract_quotes("a.txt", "Ann Reyes spoke on Monday. " + unit * 80 + "the end.")
    assert len(quotes_found) == 80
    assert calls <= 80 * 15  # every verb before each quotation: about 80 * 80


def test_a_name_speaking_inside_a_report_after_that_and_a_parenthetical_keeps_the_reporter() -> None:
    body = ("Mitt Rowan accepted the nomination on Thursday night in front of the whole convention hall.\n\n"
            "He noted that, in 2008, Barack Obie vowed to slow the rise of the oceans. His goal is simpler, he "
            "said. \u201cMy promise is to help you and your family.\u201d")
    assert quote_starting(body, "My promise").speaker == "Mitt Rowan"


def test_with_a_name_and_a_participle_the_name_speaks() -> None:
    body = ("President Jo Varlow and his team met at the camp on Sunday, with Vice President Ed Pence saying the "
            "president has \u201cgreat concern\u201d and that wherever the storm goes, \u201cwe will be there "
            "first.\u201d")
    assert quote_starting(body, "great concern").speaker == "Ed Pence"
    assert quote_starting(body, "we will be there").speaker == "Ed Pence"


def test_with_and_a_name_without_a_comma_before_it_is_an_object_not_the_participles_subject() -> None:
    body = "Ann Reyes broke with Tom Pike Tuesday saying \u201cWe cannot accept this plan.\u201d"
    assert quote_starting(body, "We cannot").speaker == "Ann Reyes"


def test_an_author_link_card_line_names_no_one_in_the_story() -> None:
    body = ("Jim Mattis had kept silent for a year and a half about the president.\n\n"
            "Adam Serwer: The racial contract is showing\n\n"
            "In his statement, Mattis makes it clear that the response triggered it.\n\n"
            "\u201cWhen I joined the military, some 50 years ago,\u201d he writes, \u201cI swore an oath.\u201d")
    assert all(name != "Adam Serwer" for _, name in _Speakers(body).mentions)
    assert quote_starting(body, "When I joined").speaker == "Jim Mattis"


@pytest.mark.parametrize("noun", ["teen", "freshman", "witness"])
def test_a_description_by_a_persons_part_in_the_story_is_the_person_named_before(noun: str) -> None:
    body = (f"Ismail Ajjar, 17, arrived at the airport in Boston on Friday night.\n\n"
            f"\u201cI have no business with such posts,\u201d the {noun} said.")
    assert quote_starting(body, "I have no business").speaker == "Ismail Ajjar"


def test_a_number_opening_a_sentence_is_no_given_name() -> None:
    assert _clean_name("Two Harvard") is None or _clean_name("Two Harvard") == "Harvard"
    assert _clean_name("Three Jo Bayer") == "Jo Bayer"


def test_a_suspect_is_not_the_one_who_arrested_him() -> None:
    # review: "the suspect", "the victim" are most often the object of the last one named
    body = "Ann Reyes, a deputy, arrested Tom Pike on Monday. The suspect said \u201cI did nothing wrong.\u201d"
    assert quote_starting(body, "I did nothing").speaker != "Ann Reyes"


def test_a_pronoun_of_someone_else_after_an_office_holder_says_nothing_of_her_gender() -> None:
    # review: "his" is Pike's, not Governor Reyes's
    body = ("Governor Reyes greeted Tom Pike and his staff on Monday. Ann Reyes has led the state since 2019. "
            "Reyes said \u201cWe welcome them here.\u201d")
    assert quote_starting(body, "We welcome").speaker == "Ann Reyes"


def test_capital_is_an_institution_only_ending_a_name() -> None:
    assert _clean_name("Bain Capital") is None and _clean_name("Capital Jones") == "Capital Jones"
