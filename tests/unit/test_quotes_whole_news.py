"""Whole quotations and their speakers in news prose (issue 12, PolNeAR error analysis): when the
words after a quotation's attribution go on with the same quotation, when they start a new one, and
who speaks behind a long apposition. Every name, outlet and sentence here is invented."""

from __future__ import annotations

from briefreader.core.quotes import Quote, extract_quotes


def quotes(body: str) -> list[Quote]:
    found = extract_quotes("a.txt", body)
    for q in found:
        assert body[q.start : q.end] == q.text
    return found


def one_quotation(body: str) -> bool:
    """Whether the top-level quotes of ``body`` form one utterance."""
    tops = [q for q in quotes(body) if q.nested_in is None and not q.scare]
    assert len(tops) >= 2, tops
    return len({q.utterance_id for q in tops}) == 1


# --- one quotation or two ---------------------------------------------------------------------


def test_long_apposition_in_the_attribution_keeps_one_quotation() -> None:
    body = ('"The harbour has never been this busy," Ida Marsh, the port authority\'s director of '
            'operations, said in an interview. "We turn ships away every week."')
    assert one_quotation(body)
    assert {q.speaker for q in quotes(body)} == {"Ida Marsh"}


def test_place_with_abbreviated_state_in_the_attribution() -> None:
    body = ('"We lost the barn in an hour," Tom Vell, now 70 and farming near Dunmore, Kan., said by '
            'telephone. "Nobody could stop it."')
    assert one_quotation(body)
    assert {q.speaker for q in quotes(body)} == {"Tom Vell"}


def test_quoted_show_title_in_the_attribution_keeps_one_quotation() -> None:
    body = ('"I have no plans to run," Greta Olm said on "Morning Desk." "Ask me again next year."')
    assert one_quotation(body)
    assert {q.speaker for q in quotes(body)} == {"Greta Olm"}


def test_nested_quote_closing_the_first_half_keeps_one_quotation() -> None:
    body = ("\"People stop me and say, 'Thank you for the bridge,'\" Mayor Lund explained. "
            "\"That is why I do this job.\"")
    assert one_quotation(body)


def test_second_speech_verb_introduces_a_new_quotation() -> None:
    # `"X," she said, adding, "Y."`: the second verb introduces Y as a quotation of its own
    body = '"We will rebuild the school," Nora Vance said, adding, "The money is already there."'
    assert not one_quotation(body)
    assert {q.speaker for q in quotes(body)} == {"Nora Vance"}
    body = '"The vote was fair," Karl Ostby said, and then predicted: "We will win the appeal too."'
    assert not one_quotation(body)


def test_according_to_after_the_attribution_is_no_second_verb() -> None:
    body = '"The river is rising," Pia Strand said, according to the Valley Courier, "and it will not stop."'
    assert one_quotation(body)


def test_plain_interrupted_quotation_stays_one() -> None:
    body = '"The plan is ready," Oskar Brenn said. "We start on Monday."'
    assert one_quotation(body)


def test_bare_connective_after_the_attribution_keeps_one_quotation() -> None:
    # `"X," he said. Then, "Y."`: nothing but a connective opens Y's sentence; nobody new speaks
    assert one_quotation('"At first the answer was no," Oskar Brenn said. Then, "I explained it to them."')
    assert one_quotation('"She should cheer for this town," Ada Kross said. Instead, "she acts like a loser."')
    # `But "Y," he added`: Y has an attribution of its own, a second quotation
    assert not one_quotation('"The tax is great on paper," Oskar Brenn said. But "it costs too much," he added.')


def test_attribution_missing_its_comma_keeps_one_quotation() -> None:
    # `"X," Trump said "Y."`: a typo drops the comma after the verb
    assert one_quotation('"We will build the quay. It is so simple," Ada Kross said "Others promised and failed."')


def test_second_quotation_with_its_own_attribution_is_a_quotation_of_its_own() -> None:
    # `"X," she said. "Y," she added.`: each printed quotation has its own attribution
    body = '"We are refugees," Ada Kross said. "We are not criminals," she added.'
    assert not one_quotation(body)
    assert {q.speaker for q in quotes(body)} == {"Ada Kross"}
    # "continued" says the same statement goes on: one quotation
    assert one_quotation('"We are refugees," Ada Kross said. "We are not criminals," she continued.')
    # a stop ending Y starts new narration, no attribution of Y's: one quotation
    body = '"It is a sad day," Nils Berg said. "This is what insults lead to." Ada Kross said she agreed.'
    assert one_quotation(body)


def test_new_sentence_after_the_attribution_starts_a_new_quotation() -> None:
    body = '"The plan is ready," Oskar Brenn said. Later that day he added: "We start on Monday."'
    assert not one_quotation(body)


# --- who speaks behind an apposition ----------------------------------------------------------


def test_name_before_a_possessive_role_speaks_not_the_owner() -> None:
    body = ("Harbour Radio covered the strike.\n\n"
            '"Nobody wants a long strike," Ada Kross, Harbour Radio\'s chief of news, said on Monday.')
    assert quotes(body)[0].speaker == "Ada Kross"


def test_name_before_a_description_speaks_not_a_name_inside_it() -> None:
    body = ('"The tariff will hurt farmers most," Lena Voss, a columnist for the Scandinavian weekly newspaper Nordic '
            "Ledger Review, wrote on Friday.")
    assert quotes(body)[0].speaker == "Lena Voss"


def test_age_between_name_and_description() -> None:
    body = ('"I just do not trust either of them," Mara Quill, 67, a retired bus driver in Elm Falls, '
            "Ore., said.")
    assert quotes(body)[0].speaker == "Mara Quill"


def test_long_apposition_after_the_quotation() -> None:
    body = ('"Wages are finally rising," Piet Hallam, an adviser to the finance committee and former '
            "director of the national budget office, said on Friday.")
    assert quotes(body)[0].speaker == "Piet Hallam"


def test_dash_parenthesis_is_not_an_apposition() -> None:
    # "… to the city prosecutor, Dana Fell - the councilwoman asks …": the councilwoman is not Fell
    body = ("Councilwoman Rhea Moss wrote a letter.\n\nIn the letter - addressed to the city prosecutor, "
            'Dana Fell - the councilwoman asks whether "the permits were signed after the deadline."')
    assert quotes(body)[0].speaker != "Dana Fell"


def test_public_advocate_title_before_the_name() -> None:
    body = '"The shelter must stay open," Northfield City Public Advocate Jon Amari said.'
    assert quotes(body)[0].speaker == "Jon Amari"


# --- typography -------------------------------------------------------------------------------


def test_space_after_an_opening_curly_mark_still_opens() -> None:
    body = "The video then shows Ada Kross saying, \u201c we will finish the bridge by spring. We promised.\u201d"
    (q,) = quotes(body)
    assert q.text == "we will finish the bridge by spring. We promised."
    assert not q.unclosed


def test_lone_spaced_curly_mark_opens_nothing() -> None:
    # no closing mark follows: a stray mark, not a quotation running to the paragraph end
    assert quotes("She wrote the word \u201c and then stopped writing for the day.") == []


# --- what follows a quotation is not always its attribution ------------------------------------


def test_and_said_after_a_quotation_keeps_the_sentence_subject() -> None:
    # `… saying his plan "…" and said Republican leaders …`: "Republican" is no speaker
    body = ('Union leader Ada Kross issued a statement saying the plan "has no place in a fair economy" '
            "and said Republican leaders would regret it.")
    assert quotes(body)[0].speaker == "Ada Kross"


def test_but_he_denied_after_a_quotation_is_a_new_clause() -> None:
    body = ("Mr. Olm also came close to an admission about the border war in northern Vesland, saying, "
            '"We never said nobody of ours was there," but he denied that any regular troops took part.')
    assert quotes(body)[0].speaker == "Olm"


def test_comma_before_the_verb_still_attributes_after_a_conjunction() -> None:
    body = ('"The parties have no money. The committees have it all" but to spend it first, said Ivo Brandt, '
            "a consultant in Elm Falls.")
    assert quotes(body)[0].speaker == "Ivo Brandt"


def test_attribution_introducing_the_next_quotation_is_not_the_first_ones() -> None:
    body = ('Ada Kross answers Nils Berg with, "Why now? Was that not on my way to Oslo?" '
            'Berg then writes back, "You look tired."')
    first, second = quotes(body)
    assert first.speaker == "Ada Kross"
    assert second.speaker == "Nils Berg"


def test_introductory_phrase_before_the_sentence_subject() -> None:
    # the subject of "saying" is Trent Walsh, not the last place named before the comma
    body = ("During a speech on farm policy earlier in the day, Trent Walsh attacked Ada Kross for her votes "
            'on Vesland and Norland, saying, "She cannot be trusted with the budget."')
    assert quotes(body)[0].speaker == "Trent Walsh"


def test_show_title_with_a_small_preposition_is_a_label_not_a_quotation() -> None:
    # "Morning Talk with Ada Kross." is the show's name: the quotation goes on after it
    body = ('"Our schools need the money now," Governor Nils Berg said on Harbour TV\'s "Morning Talk with Ada '
            'Kross." "And the legislature is not going to give in."')
    tops = [q for q in quotes(body) if not q.scare]
    assert len(tops) == 2
    assert len({q.utterance_id for q in tops}) == 1
    assert {q.speaker for q in tops} == {"Nils Berg"}


def test_role_then_name_then_apposition_after_the_quotation() -> None:
    body = ('"We may finally be seeing real growth in wages," the economist Ivo Brandt, a former adviser in the '
            "governor's office, wrote on his blog.")
    assert quotes(body)[0].speaker == "Ivo Brandt"


def test_age_right_after_the_name_in_the_attribution() -> None:
    body = '"That is a fair worry, because they care a lot," Greta Olm, 69, told Harbour TV on Monday.'
    assert quotes(body)[0].speaker == "Greta Olm"


def test_very_long_apposition_after_a_surname() -> None:
    body = ("Nils Berg spoke in Elm Falls.\n\n"
            '"A very good question, a very good one," Berg, the front-runner in the national polls and the '
            "leader in the state by a wide margin after winning the first two primaries, said when asked.")
    assert quotes(body)[0].speaker == "Nils Berg"


def test_title_inside_a_long_name_run() -> None:
    # "Elm Falls Police Chief Calvin Moss": the chief is the person, the police force is not
    body = ('Before the march, Elm Falls Police Chief Calvin Moss asked for a ban on weapons downtown, saying, '
            '"The fewer guns, the better."')
    assert quotes(body)[0].speaker == "Calvin Moss"


def test_club_before_a_verb_that_is_not_speech_is_no_apposition_speaker() -> None:
    body = ("Under what Ivo Brandt called \"the old club model,\" the Elm Falls Country Club, a private course "
            "north of here, charged a large fee.")
    assert quotes(body)[0].speaker != "the Elm Falls Country Club"


def test_participle_chained_onto_a_speech_verb_takes_its_subject() -> None:
    # `…, Spicer said, adding, "…"`: not the first name of the sentence
    body = 'Nils Berg and Ada Kross will meet next week, Ivo Brandt said, adding, "They need a long talk."'
    assert quotes(body)[0].speaker == "Ivo Brandt"
    body = ('"There is a sense of urgency," Ivo Brandt said on "Morning Talk," noting that donors want '
            '"an insurance policy against everything else."')
    assert quotes(body)[1].speaker == "Ivo Brandt"


def test_participle_after_an_object_keeps_the_sentence_subject() -> None:
    # "posted a comment of her own, saying": the object ("a Harbour TV comment") is no speaker
    body = 'Ada Kross immediately posted a Harbour TV comment of her own, saying, "We are so happy for them!"'
    assert quotes(body)[0].speaker == "Ada Kross"


def test_adverb_between_the_name_and_the_verb() -> None:
    body = '"The count is not over," Ada Kross quickly added.'
    assert quotes(body)[0].speaker == "Ada Kross"


def test_speech_verb_opening_the_next_sentence_is_not_the_partial_quotes_attribution() -> None:
    body = ('Norland branded its neighbour an "outlaw state in the region." Vesland insisted that the talks '
            '"stop at once."')
    assert quotes(body)[0].speaker != "Vesland"


# --- speech verbs and their objects ------------------------------------------------------------


def test_more_news_speech_verbs() -> None:
    assert quotes('"They are here for the free tickets," Ivo Brandt shot back with a laugh.')[0].speaker == "Ivo Brandt"
    assert quotes('"This is fantastic!" beamed Ada Kross of Elm Falls.')[0].speaker == "Ada Kross"
    body = 'Nils Berg spoke first.\n\nGreta Olm echoed:\n\n"He says what he thinks, and that is what we need."'
    assert quotes(body)[0].speaker == "Greta Olm"


def test_called_takes_its_subject_never_its_object() -> None:
    body = 'Ada Kross called the Harbour Party front-runner "the best recruiter our rivals ever had."'
    assert quotes(body)[0].speaker == "Ada Kross"
    body = 'Ivo Brandt called Elm Falls Nurses United "one of the sponsors of my campaign."'
    assert quotes(body)[0].speaker == "Ivo Brandt"


def test_person_before_an_affiliation_speaks() -> None:
    body = ('Harbour Mining could sell its mines.\n\n"It was the least bad outcome," Mr. Moss of the Coast '
            "Forest Club said.")
    assert quotes(body)[0].speaker == "Moss"
    body = ('"Big tax cuts do not work in an age of debt," Ivo Brandt of the Nordic Policy Institute wrote '
            "recently.")
    assert quotes(body)[0].speaker == "Ivo Brandt"


def test_officials_at_an_institution_are_not_a_name() -> None:
    body = '"The review is over," Officials at the Harbour Authority said on Monday.'
    assert quotes(body)[0].speaker != "Officials"


# --- names that look like titles --------------------------------------------------------------


def test_surname_that_is_also_a_title_after_an_honorific() -> None:
    body = 'Ada Kross spoke first. "It is all about the turnout," Mr. King added.'
    assert quotes(body)[0].speaker == "King"
    body = 'Ada Kross spoke first. "We need the money now," Ms. Bishop said.'
    assert quotes(body)[0].speaker == "Bishop"


def test_form_of_address_is_no_surname() -> None:
    from briefreader.core.quote_names import _clean_name

    assert _clean_name("Mr. President") is None
    assert _clean_name("Mr. King's") is None  # a possessive owner, never the subject


def test_role_with_a_number_before_the_name() -> None:
    body = '"The reasons for the veto do not hold. They are wrong," said 9/11 widow Ada Kross.'
    assert quotes(body)[0].speaker == "Ada Kross"


def test_dash_and_name_on_the_next_line_attribute_a_standalone_quotation() -> None:
    body = ("Ivo Brandt answered the first question.\n\n"
            '"Harbour firms and other exporters pay no tax at all."\n\n'
            "- Greta Olm.\n\n"
            "This claim needs context.\n\n"
            '"Great speech. She is ready."\n\n'
            "-Senator Nils Berg, writing after the debate.")
    first, second = quotes(body)
    assert first.speaker == "Greta Olm"
    assert second.speaker == "Nils Berg"


def test_dash_line_after_narration_is_not_an_attribution() -> None:
    body = 'Ivo Brandt said his party was "ready for the vote."\n\n- Greta Olm, Harbour Post.'
    assert quotes(body)[0].speaker == "Ivo Brandt"


def test_passive_speech_verb_gives_the_agent() -> None:
    body = 'Ada Kross was on the show. Kross was asked by host Nils Berg, who backs her, "Do the emails matter?"'
    assert quotes(body)[0].speaker == "Nils Berg"


def test_other_clause_after_a_partial_quote_is_not_its_attribution() -> None:
    body = ('Ada Kross said she would make the desert "glow in the dark," for instance, and Nils Berg vowed to '
            '"bomb them all."')
    assert quotes(body)[0].speaker == "Ada Kross"


def test_generational_suffix_before_an_apposition() -> None:
    body = ("Ada Kross spoke.\n\n\"It works as a way to sell books, and as a way to sell fear,\" Ivo B. Brandt Jr., "
            "the director of the Harbour Bureau, said at a news conference.")
    assert quotes(body)[0].speaker == "Ivo B Brandt Jr"  # the name as printed: a son is not his father


def test_possessive_description_then_role_and_name_after_the_verb() -> None:
    body = '"It is about time a woman ran this country," exhorted Kross\'s introducer, actress Greta Olm.'
    assert quotes(body)[0].speaker == "Greta Olm"


def test_affiliation_after_the_apposition_comma_is_not_the_name() -> None:
    body = ('"The city will never go back to normal," said the Rev. Ivo Brandt, of Harbour Memorial Baptist '
            "Church.")
    assert quotes(body)[0].speaker == "Ivo Brandt"


# --- the person, not the organisation of their apposition --------------------------------------


def test_person_before_a_role_at_an_organisation_speaks() -> None:
    cases = [
        ('"The law is clear," Tom Vell, the president of Harbour Watch, a group that sued, said.', "Tom Vell"),
        ('"It is wrong," said Ada Kross, legal director for the rights group Coast Rights Campaign.', "Ada Kross"),
        ('"It is fine," Senator Greta Olm, Republican of West Norland, said.', "Greta Olm"),
        ('"We lost," said Representative Ivo T. Brandt of Elm County, who backed the mayor.', "Ivo T Brandt"),
        ('"We are ready," Harbour Hall Chief of Staff Nils Berg said.', "Nils Berg"),
        ('"We will win," J.J. Moss, editor at large of The Ledger, a weekly in Elm Falls, said.', "J.J Moss"),
    ]
    for body, speaker in cases:
        assert quotes(body)[0].speaker == speaker, body


def test_role_and_name_in_one_segment_is_the_speaker() -> None:
    # "former Coast Rep. Pat Moss" is a titled name, not an apposition to the clause before it
    body = ("One of Berg's former supporters who still backs Kross, former Coast Rep. Pat Moss, lives in the "
            'district and wrote that the campaign was "tragic in a year when women should run."')
    assert quotes(body)[0].speaker == "Pat Moss"


def test_name_right_before_the_verb_is_not_an_apposition() -> None:
    body = ('If the refugees Ada Kross and others want to bring pose a risk, then we should rethink it, rather '
            'than touch the only rule the Founding Fathers wrote "shall not be changed."')
    assert quotes(body)[0].speaker == "Founding Fathers"


def test_relative_clause_between_subject_and_verb() -> None:
    body = ("Ada Kross, who was speaking to the Harbour Conference of Mayors, did not name Nils Berg, but told "
            'city leaders that the city needs people "who put the public ahead of business."')
    assert quotes(body)[0].speaker == "Ada Kross"


def test_participle_chained_after_a_quoted_show_title() -> None:
    body = ('"Ada Kross would be the best nominee, but she has no chance," Nils Berg said on Harbour TV\'s '
            '"Morning Talk," adding, "Her problem is that she is an insider in an outsider year."')
    assert quotes(body)[-1].speaker == "Nils Berg"


def test_she_never_stands_for_a_description_that_is_no_person() -> None:
    # "the Council mocks …" makes "the Council" a speaker; the next "She" is still Ada Kross
    body = ("Foreign affairs chief Ada Kross spoke on Monday.\n\n"
            "According to Kross, the Council mocks the efforts of the mediators. She also stressed that the "
            'offer is a "trap that the Council wants to lure us into."')
    assert quotes(body)[0].speaker == "Ada Kross"


def test_answers_and_plural_present_speech_verbs_keep_one_quotation() -> None:
    # `"X," Nils Berg answered. "Y."`, `"X," the two write. "Y."`: the attribution cuts one quotation
    assert one_quotation('"I would say this," Nils Berg answered. "We will work out a system that works."')
    assert one_quotation('"The rules were ignored," the two write. "We do not understand why."')
    assert one_quotation('"The harbour is our future," the letter reads. "We ask you to protect it."')
    assert one_quotation('"People are tired of waiting," he surmised. "They want a plan this year."')


def test_capitalised_preposition_opening_a_sentence_is_not_part_of_a_name() -> None:
    # "Following Berg" / "Regarding Berg's speech" name Nils Berg, never a person "Following Berg"
    body = ("Nils Berg praised the plan.\n\nFollowing Berg, the council voted on Monday. "
            '"We are proud of it," he said.')
    assert quotes(body)[0].speaker == "Nils Berg"
    body = ("Nils Berg praised the plan.\n\nRegarding Berg's speech, the council stayed silent. "
            '"We are proud of it," he said.')
    assert quotes(body)[0].speaker == "Nils Berg"


def test_missing_space_after_a_closing_mark_still_closes() -> None:
    # `paranoia,”Ada Kross said.`: the closing mark touches the next word (a typo)
    body = ("“It has been surprising to see him traffic in paranoia,”Ada Kross said. "
            "“Some of his comments were mean-spirited.”")
    found = [q for q in quotes(body) if not q.scare]
    assert [q.text for q in found] == ["It has been surprising to see him traffic in paranoia,",
                                       "Some of his comments were mean-spirited."]
    assert {q.speaker for q in found} == {"Ada Kross"}
    body = '"Voters will decide this race," he said,"not the party."'
    assert [q.text for q in quotes(body)] == ["Voters will decide this race,", "not the party."]


def test_missing_space_before_an_opening_mark_still_opens() -> None:
    # `said Nils Berg, who declined to be named."We were deceived."`: the opening mark touches the stop
    body = ('"After we came here, we realized it was all lies," said a shop owner who asked not to be '
            'named."We were deceived into coming here."')
    assert [q.text for q in quotes(body)] == ["After we came here, we realized it was all lies,",
                                              "We were deceived into coming here."]


def test_of_inside_a_role_before_the_name_after_said() -> None:
    # `said master of ceremonies Asab Al-Tabchi`: "of" inside the role, not "said of the plan"
    body = ('Nils Berg has called the ferry a danger.\n\n'
            '"Thanks, Dover, for welcoming the ferry," said master of ceremonies Ada Kross, a harbour engineer.')
    assert quotes(body)[0].speaker == "Ada Kross"


def test_mark_next_to_an_invisible_format_character_still_opens() -> None:
    # social-media text pasted with a direction mark before the opening mark: `\u202a”Isis … !!!” wrote`
    body = '\u202a\u201dThe ferry is a gift to this town, thanks Ada!!!\u201d wrote Nils Berg.'
    (q,) = quotes(body)
    assert q.text == "The ferry is a gift to this town, thanks Ada!!!"
    assert q.speaker == "Nils Berg"


def test_closing_curly_mark_typed_for_the_opening_one_after_a_speech_verb() -> None:
    # `He says,” there are …”`: the first mark leans the wrong way
    body = 'Nils Berg spoke in Dover.\n\nHe says,\u201d there are people who never get listened to.\u201d'
    (q,) = quotes(body)
    assert q.text == "there are people who never get listened to."


def test_two_initials_before_a_surname_do_not_end_the_attribution() -> None:
    # `said J. J. Price, a firefighter …`: "J." before another initial is no sentence end
    body = ('"The plan was to make it cheaper for everybody," said J. J. Price, a firefighter in Dover. '
            '"It has done nothing but make it dearer."')
    assert one_quotation(body)
    assert {q.speaker for q in quotes(body)} == {"J J Price"}
