"""Decision rules of grouping that keep different statements apart (briefreader.core.quote_grouping):
speakers compared as persons, a short quote's ambiguous best match, common shared words, and the
lower bar for one speaker's renderings reserved to longer quotes."""

from __future__ import annotations

import random
from dataclasses import replace
from types import SimpleNamespace

import pytest

from briefreader.core.model import Article
from briefreader.core.quote_clusters import analyse_quotes
from briefreader.core.quote_grouping import (
    MIN_PHRASES_FOR_FREQUENCIES,
    OVERLAP_WINDOW_WORDS,
    ALIGN_WINDOW_WORDS,
    KNOWN_SPEAKER_CONFIDENCE,
    _aligned_passage,
    _join_short_quotes,
    _own_words_of_the_day,
    _Spread,
    _UnionFind,
    _overlap_run,
    _Phrase,
    _suffix_prefix,
    _Informativeness,
    identifies_someone,
    names_someone,
    person_key,
    same_person,
    speaker_key,
)


def art(i: int, body: str) -> Article:
    return Article(id=f"a{i}.txt", path=f"a{i}.txt", format="txt", body=body, outlet=f"Outlet {i}",
                   date=f"2025-03-0{i + 1}", order=i)


def cluster_of(analysis, snippet: str, article: str) -> str:
    (owner,) = [c.id for c in analysis.clusters for v in c.variants if v.article == article and snippet in v.text]
    return owner


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Donald J. Trump", "Trump", True),
        ("Mr. Trump", "Donald Trump", True),
        ("Donald J. Trump", "Eric Trump", False),
        ("Hillary Clinton", "Bill Clinton", False),
        ("Sen. Elizabeth Warren", "Elizabeth Warren", True),
        ("Chris Christie", "Christopher J. Christie Jr.", True),  # a short form of the given name; no suffix
        ("Democrat Hillary Clinton", "Hillary Clinton", True),
        ("New Hampshire Sanders", "Los Angeles-area Sanders", True),  # two words before a surname tell nothing
        ("One of Trump", "Donald J Trump", True),
        ("Perdue of Georgia", "David Perdue", True),  # a home state after "of" is no part of the name
        ("Sen. Jeanne Shaheen of New Hampshire", "Jeanne Shaheen", True),
        ("Rep. Lena Ortiz of Texas", "Lena Hale of Ohio", False),
        ("University of Texas", "University of Michigan", False),  # a body of a place: the place names it
        ("President of France", "President of Russia", False),  # an office of a place
        ("India Walton", "Jo Walton", False),  # a country that is a given name too
        ("Nora Lind", "Nora Berg", False),
        ("Raúl R. Lindqvist", "Raul Lindqvist", True),  # a name printed with and without its accents
        ("José Peña", "Jose Pena", True),
        ("Vincente Lindqvist", "Vicente Lindqvist", True),  # a long given name misspelt by one letter
        ("Maria Lindqvist", "Mario Lindqvist", False),  # short names one letter apart are two names
        ("Vicente Lindqvist", "Valente Lindqvist", False),  # two letters apart
        ("Joseph R. Biden Jr.", "Joe Biden", True),  # a formal name and its short form
        ("Charles E. Schumer", "Chuck Schumer", True),
        ("Bibi Netanyahu", "Benjamin Netanyahu", True),
        ("Bill Clinton", "William J. Clinton", True),
        ("Bill Clinton", "Hillary Clinton", False),
        ("Beau Biden", "Joe Biden", False),
        ("Bill Moore", "Robert Moore", False),  # two short forms of two names
        ("Paul", "Paul Ryan", False),  # a one-word name is as often a surname (Rand Paul)
        ("Ted Cruz", "Ed Cruz", False),  # two short forms of one full name are two names
        ("Will Hurd", "Bob Hurd", False),  # a stopword that is a given name too
        ("Ban Ki-moon", "Moon", False),  # a romanised given name is no surname of its own
        ("Moon Jae-in", "Moon Jae In", True),
        ("Kim Jong Un", "Kim", True),  # the family name, printed alone
        ("Kim Jong-un", "Kim Yo-jong", False),
        ("Alexandria Oscasio-Cortez", "Alexandria Ocasio-Cortez", True),  # a long surname misspelt
        ("Alexandria Oscasio-Cortez", "Maria Ocasio-Cortez", False),
        ("Eric Moore", "Eric Moors", False),  # short surnames a letter apart are two names
        ("Michigan Trump", "Donald J. Trump", True),  # a state read before a surname is no given name
        ("Photos Romney", "Mitt Romney", True),  # nor is page furniture
        ("Getty Images Trump", "Donald J. Trump", True),  # nor a word before furniture
        ("Accuser of Trump", "Donald Trump", True),  # a description's words are no given name
        ("Whenever Trump", "Donald Trump", True),  # nor a sentence word before a surname
        ("Sergeant Bergdahl", "Bowe Bergdahl", True),  # nor a rank
        ("Education Sec Duncan", "Arne Duncan", True),  # nor an office
        ("Education Duncan", "Arne Duncan", True),
        ("Major Garrett", "Scott Garrett", False),  # a title that is a given name, right before the surname
        ("Prince Fielder", "Cecil Fielder", False),
        ("Major General John Smith", "John Smith", True),  # the same word as a title before a name
        ("Treasury Steve Mnuchin", "Steven Mnuchin", True),  # the given name after an office
        ("Treasury Steve Mnuchin", "Sarah Mnuchin", False),
        ("Former President Barack Obama", "Barack Obama", True),
        ("Kim Jong Un", "Kim Jong-un", True),  # a romanised name with or without its hyphen
        ("Alexandria Ocasio-Cortez", "Ocasio-Cortez", True),
        ("Benedict XVI", "Pope Benedict", True),  # a regnal number is no surname
        ("Charles III", "Prince Charles", True),
        ("President Xi", "Xi", True),  # a surname of two letters is no regnal number
        ("President Xi", "President Li", False),
        ("Dana LLC", "Dana", False),  # capitals that are no Roman numeral
        ("Marin CILIC", "Marin", False),
    ],
)
def test_person_keys(a: str, b: str, same: bool) -> None:
    key_a, key_b = person_key(a), person_key(b)
    assert key_a is not None and key_b is not None
    assert same_person(key_a, key_b) is same
    assert same_person(key_b, key_a) is same


@pytest.mark.parametrize(
    ("name", "names", "identifies"),
    [
        ("Donald Trump", True, True),
        ("the Clinton campaign", True, True),
        ("One Clinton spokesman has", False, False),  # narration up to its verb
        ("the New York Democrat", True, False),  # a party or a role read for a name
        ("an aide to the speaker", True, False),  # no one in particular
        ("An aide to Mr Boehner", True, False),
        ("another Ryan spokesperson", True, False),
        ("Play Video", True, False),  # page furniture read for a name
        ("ET", True, False),  # a live blog's time zone
        ("D-New York", True, False),  # a party and a state
        ("Jane Gallery", True, True),  # a surname that is a furniture word, after a given name
        ("Russia", True, False),  # a country or a state alone: a body whose people speak by name ...
        ("Illinois", True, False),  # ... or a word of the narration ("Yorkville, Illinois")
        ("Congress", True, False),
        ("Washington", True, True),  # a surname too
        ("Georgia Miles", True, True),  # a given name that is a state
        ("Republican of Iowa", True, False),  # a party, with its home state
    ],
)
def test_names_someone_and_identifies_someone(name: str, names: bool, identifies: bool) -> None:
    assert names_someone(name) is names
    assert identifies_someone(name) is identifies


def test_speaker_key_leaves_out_a_regnal_number() -> None:
    assert speaker_key("Benedict XVI") == speaker_key("Benedict") == "benedict"
    assert speaker_key("Xi") == "xi"


@pytest.mark.parametrize(("a", "b", "key"), [
    ("Eric H Holder Jr", "Eric Holder", "holder"),  # a generation suffix is no surname
    ("Justice John G Roberts Jr", "John Roberts", "roberts"),
    ("Ri Yong-ho", "Ri Yong Ho", "ri|yongho"),  # a romanised name, family name first, hyphen or not
])
def test_speaker_key_reads_the_surname_as_person_key_does(a: str, b: str, key: str) -> None:
    assert speaker_key(a) == speaker_key(b) == key


def test_speaker_key_keeps_the_given_name_of_a_family_name_written_first() -> None:
    assert speaker_key("Kim Jong Un") == speaker_key("Kim Jong-un") != speaker_key("Kim Yo-jong")


def test_one_persons_identical_words_under_two_spellings_of_the_name_are_one_group() -> None:
    line = "We will not stop until every road in the county is paved and lit"
    an = analyse_quotes([art(0, f"\u201c{line},\u201d Eric H. Holder Jr. said on Monday."),
                         art(1, f"\u201c{line},\u201d said Attorney General Eric Holder.")])
    (group,) = [c for c in an.clusters if any(line in v.text for v in c.variants)]
    assert len(group.variants) == 2


def test_person_key_of_no_name() -> None:
    assert person_key(None) is None and person_key("") is None and person_key("42") is None


def test_same_words_from_two_people_of_one_family_stay_apart() -> None:
    # (a line under VERBATIM_WORDS: a long quotation word for word under two names is one quotation)
    words = "I never asked my father for a single dollar, not once"
    arts = [
        art(0, f"“{words},” Eric Trump said on Monday."),
        art(1, f"“{words},” Donald Trump said on Tuesday."),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "single dollar", "a0.txt") != cluster_of(an, "single dollar", "a1.txt")


def test_same_words_under_a_country_and_its_spokesman_are_grouped() -> None:
    # under VERBATIM_WORDS: two known people saying it would be two statements
    words = "The strikes will continue until the ports are open again"
    an = analyse_quotes(_two_outlets(f"“{words},” Russia said in a statement on Monday.",
                                     f"“{words},” the Kremlin spokesman Dmitry Peskov told reporters."))
    assert cluster_of(an, "ports", "a0.txt") == cluster_of(an, "ports", "a1.txt")


def test_same_words_from_one_person_named_two_ways_are_grouped() -> None:
    words = "I never asked my father for a single dollar for the foundation, not once in ten years"
    arts = [
        art(0, f"“{words},” Eric Trump said on Monday."),
        art(1, f"“{words},” Mr. Trump said on Tuesday."),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "single dollar", "a0.txt") == cluster_of(an, "single dollar", "a1.txt")


LONG_A = ("We cannot win this fight from the air alone, and sooner or later there will have to be boots on "
          "the ground in the north")
LONG_B = ("To have a president who keeps saying there are no boots on the ground while our soldiers are "
          "wounded every week is a disgrace")


def test_a_stock_phrase_in_two_statements_joins_neither() -> None:
    arts = [
        art(0, f"“{LONG_A},” the governor Karl Olsen said."),
        art(1, f"“{LONG_B},” the former ambassador Ruth Amis said."),
        art(2, "The senator has also called for “boots on the ground” in the region."),
    ]
    an = analyse_quotes(arts)
    short = cluster_of(an, "boots on the ground", "a2.txt")
    assert short != cluster_of(an, "boots", "a0.txt") and short != cluster_of(an, "boots", "a1.txt")


def test_a_short_quote_in_one_statement_joins_it() -> None:
    arts = [
        art(0, f"“{LONG_A},” the governor Karl Olsen said."),
        art(1, "“Our team played its best match of the season in front of a full stadium,” the coach Ruth Amis said."),
        art(2, "The governor has also called for “boots on the ground” in the north."),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "boots on the ground", "a2.txt") == cluster_of(an, "boots", "a0.txt")


def test_cuts_of_one_statement_meet_before_the_shortest_is_judged() -> None:
    whole = ("We also need to make sure that our messages do not fall on receptive ears. He is becoming the "
             "best recruiter the militants ever had")
    arts = [
        art(0, f"“{whole},” Mayor Lena Farrow said."),
        art(1, "Farrow said he was “becoming the best recruiter the militants ever had.”"),
        art(2, "Farrow called him “the best recruiter the militants ever had.”"),
    ]
    an = analyse_quotes(arts)
    assert len({cluster_of(an, "best recruiter", f"a{i}.txt") for i in range(3)}) == 1


def test_one_speakers_short_remarks_need_more_than_the_lower_bar() -> None:
    arts = [
        art(0, "“I never said that. I never said that,” Donald Trump said at the debate."),
        art(1, "“I never said I was going to pay for the fees,” Donald Trump said on Tuesday."),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "never said that", "a0.txt") != cluster_of(an, "pay for the fees", "a1.txt")


def _phrases(contents: list[set[int]]) -> list:
    return [SimpleNamespace(content=frozenset(words)) for words in contents]


def test_common_shared_words_are_not_informative() -> None:
    total = MIN_PHRASES_FOR_FREQUENCIES + 200
    # word 1 in half the phrases ("win"), word 2 in three ("unbearable"), words 3 and 4 in fifty each
    contents = [{1} if i % 2 else set() for i in range(total)]
    for i in range(3):
        contents[i] = contents[i] | {2}
    for i in range(100, 150):
        contents[i] = contents[i] | {3, 4}
    informative = _Informativeness(_phrases(contents), lambda i: i)
    assert not informative({1})
    assert informative({2})
    assert informative({3, 4}) and not informative({3})


def test_renderings_of_one_group_count_once() -> None:
    total = MIN_PHRASES_FOR_FREQUENCIES + 200
    contents = [set() for _ in range(total)]
    for i in range(400):  # one popular statement quoted 400 times: its word is in 400 phrases
        contents[i] = {5}
    contents[500] = {5}  # and in one other statement
    one_group = _Informativeness(_phrases(contents), lambda i: 0 if i < 400 else i)
    apart = _Informativeness(_phrases(contents), lambda i: i)
    assert one_group({5}) and not apart({5})


def test_small_corpora_do_not_judge_word_frequencies() -> None:
    contents = [{1} for _ in range(20)]
    assert _Informativeness(_phrases(contents), lambda i: i)({1})


REID_STATEMENT = ("“We should give the man some room, he is a good man, he tries to do the right thing, and I think "
                  "everything will work out well,” the senator Harold Reid said.")
SANDS_STATEMENT = ("“The party must do the right thing and open its doors to the young people who want real change "
                   "in this country,” the candidate Bernard Sands said.")


def test_words_another_known_speaker_also_said_are_a_stock_phrase() -> None:
    # Reid's few words a week after his statement: the words are a stock phrase, said by anyone
    arts = [art(0, REID_STATEMENT), art(1, SANDS_STATEMENT), art(2, "Harold Reid said: “Do the right thing.”")]
    arts[2] = replace(arts[2], date="2025-03-08")
    an = analyse_quotes(arts)
    short = cluster_of(an, "Do the right thing", "a2.txt")
    assert short != cluster_of(an, "right thing", "a0.txt") and short != cluster_of(an, "right thing", "a1.txt")


def test_a_known_speakers_few_words_join_his_statement_of_those_days_whoever_else_said_them() -> None:
    # the next day: the few words are a cut of his statement; another person's use of them is no rival
    arts = [art(0, REID_STATEMENT), art(1, SANDS_STATEMENT), art(2, "Harold Reid said: “Do the right thing.”")]
    arts[2] = replace(arts[2], date="2025-03-02")
    an = analyse_quotes(arts)
    short = cluster_of(an, "Do the right thing", "a2.txt")
    assert short == cluster_of(an, "right thing", "a0.txt") != cluster_of(an, "right thing", "a1.txt")


def _post_in_two_cuts(second_by: str = "Ellen Lautner", second_date: str | None = None) -> list[Article]:
    """One Facebook post printed in two cuts overlapping in one line (the second by ``second_by``,
    published on ``second_date``), that line quoted alone by a third outlet."""
    arts = [
        art(0, "“You are both in those awful years, but you are a part of the First Family, try showing a little "
               "class,” Ellen Lautner wrote on Facebook."),
        art(1, f"“Try showing a little class, dress like you deserve respect, not a spot at a bar,” {second_by} "
               "wrote."),
        art(2, "Ellen Lautner told the girls to “try showing a little class.”"),
    ]
    if second_date is not None:
        arts[1] = replace(arts[1], date=second_date)
    return arts


def test_a_short_quote_joins_two_cuts_of_one_statement_of_its_speaker() -> None:
    an = analyse_quotes(_post_in_two_cuts())
    assert len({cluster_of(an, "showing a little class", f"a{i}.txt") for i in range(3)}) == 1


def test_a_short_quote_joins_no_cut_of_its_speakers_statements_of_another_week() -> None:
    # the second cut printed weeks later is the line said again; the short quote, two days after the
    # first post, quotes that one (session 13: it joined neither before)
    an = analyse_quotes(_post_in_two_cuts(second_date="2025-03-20"))
    short = cluster_of(an, "showing a little class", "a2.txt")
    assert short == cluster_of(an, "showing a little class", "a0.txt")
    assert short != cluster_of(an, "showing a little class", "a1.txt")


def test_a_short_quote_joins_no_cut_of_another_speaker() -> None:
    an = analyse_quotes(_post_in_two_cuts(second_by="the columnist Mark Berrow"))
    assert cluster_of(an, "showing a little class", "a2.txt") == cluster_of(an, "showing", "a0.txt")
    assert cluster_of(an, "showing", "a0.txt") != cluster_of(an, "showing", "a1.txt")


FIRST_CUT = ("It was the minister who was trying to be clever by flipping the script on the harbour deal, and "
             "that is the one thing you never do, sign a lease on the northern harbour")
SECOND_CUT = ("the one thing you never do, sign a lease on the northern harbour, because everyone who tried it "
              "in three hundred years has lost his shirt")


def test_two_cuts_of_one_remark_overlapping_in_a_run_of_words_are_grouped() -> None:
    arts = [
        art(0, f"“{FIRST_CUT},” the councillor Pia Laurent said at a fundraiser."),
        art(1, f"“{SECOND_CUT},” Pia Laurent said."),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "northern harbour", "a0.txt") == cluster_of(an, "northern harbour", "a1.txt")


def test_a_stock_line_opening_two_statements_joins_neither() -> None:
    line = "We call on all sides to show restraint"
    arts = [
        art(0, f"“{line}, the shelling of the villages in the valley must stop before the winter comes and the "
               "roads close, or thousands of families will be cut off from food, fuel and doctors until April,” "
               "the envoy Omar Dessi said."),
        art(1, f"“{line}, the new customs rules will be discussed with every neighbour in the spring, when the "
               "ministers meet in the capital to agree on tariffs for grain, timber and cement,” the envoy Omar "
               "Dessi said."),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "show restraint", "a0.txt") != cluster_of(an, "show restraint", "a1.txt")


def test_a_short_quote_joins_no_two_remarks_one_article_printed_apart() -> None:
    arts = [
        art(0, "“You are both in those awful years, but you are a part of the First Family, try showing a little "
               "class,” Ellen Lautner wrote on Facebook. Later she told a radio host: “Try showing a little class, "
               "dress like you deserve respect, not a spot at a bar.”"),
        art(1, "Ellen Lautner told the girls to “try showing a little class.”"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "First Family", "a0.txt") != cluster_of(an, "spot at a bar", "a0.txt")


SHARED_SENTENCE = "There is no excuse for closing the northern clinics"


def _two_outlets(first: str, second: str, second_date: str | None = None) -> list[Article]:
    """Two articles of two outlets, the second published on ``second_date`` (else the first's day)."""
    arts = [art(0, first), art(1, second)]
    return [arts[0], replace(arts[1], date=second_date or arts[0].date)]


def _statement_in_two_cuts(second_by: str = "Mara Quist", second_date: str | None = None) -> list[Article]:
    """One statement printed in two cuts sharing one sentence (the first, short, cut opens with it,
    the second, long, prints it in its middle), the second by ``second_by`` on ``second_date`` (else
    the first's day)."""
    return _two_outlets(
        f"“{SHARED_SENTENCE}. Restore that money now, before winter,” the health minister Mara Quist said in a "
        "statement.",
        "“I am dismayed by the decision of the board to cut the budget after months of talks with every union "
        f"in the region. {SHARED_SENTENCE}. I am also worried that nurses have been told to stay silent about "
        f"the waiting lists,” {second_by} said.",
        second_date,
    )


def test_two_cuts_of_one_speakers_statement_sharing_a_sentence_are_grouped() -> None:
    an = analyse_quotes(_statement_in_two_cuts())
    assert cluster_of(an, "northern clinics", "a0.txt") == cluster_of(an, "northern clinics", "a1.txt")


def _post_cut_at_two_short_sentences(second_date: str | None = None) -> list[Article]:
    """Two outlets' cuts of one post sharing two short sentences (5 and 4 words), nothing else."""
    return _two_outlets(
        "“Stand up for the town. Keep the libraries open ... And never close the pools in the middle of a long "
        "hot summer when children have nowhere else to go,” Councillor Vera Holm wrote.",
        "Vera Holm wrote what the council should do: “Stand up for the town. Act like this place matters to you "
        "and to every family who lives here. Keep the libraries open, not just the offices of the mayor "
        "downtown.”",
        second_date,
    )


def test_two_cuts_of_one_post_sharing_short_sentences_are_grouped() -> None:
    an = analyse_quotes(_post_cut_at_two_short_sentences())
    assert cluster_of(an, "libraries", "a0.txt") == cluster_of(an, "libraries", "a1.txt")


def test_short_sentences_shared_on_another_day_are_another_statement() -> None:
    an = analyse_quotes(_post_cut_at_two_short_sentences("2025-03-05"))
    assert cluster_of(an, "libraries", "a0.txt") != cluster_of(an, "libraries", "a1.txt")


def _tweets_cut_at_a_short_overlap(second_date: str | None = None) -> list[Article]:
    """One speaker's tweets in two outlets' cuts: one ends, the other opens, with the same 6 words."""
    return _two_outlets(
        "“The ministry used the word isolation, and that is what I answered. A hold is a separate practice, but "
        "it does not necessarily rule out isolation,” Councillor Vera Holm wrote.",
        "Vera Holm wrote that a hold “does not necessarily rule out isolation. If he is not kept alone, good. "
        "Now free everyone else from it too, and close the old wing of the prison before the winter comes to "
        "the valley and the roads freeze over for months, as they did last year in every town of the north.”",
        second_date,
    )


def test_one_speakers_cuts_overlapping_in_a_few_words_are_grouped() -> None:
    an = analyse_quotes(_tweets_cut_at_a_short_overlap())
    assert cluster_of(an, "rule out isolation", "a0.txt") == cluster_of(an, "rule out isolation", "a1.txt")


def test_one_speakers_few_words_overlapping_on_another_day_are_apart() -> None:
    an = analyse_quotes(_tweets_cut_at_a_short_overlap("2025-03-04"))
    assert cluster_of(an, "rule out isolation", "a0.txt") != cluster_of(an, "rule out isolation", "a1.txt")


def test_cuts_sharing_a_sentence_under_two_speakers_stay_apart() -> None:
    an = analyse_quotes(_statement_in_two_cuts(second_by="the union leader Tom Brandt"))
    assert cluster_of(an, "northern clinics", "a0.txt") != cluster_of(an, "northern clinics", "a1.txt")


@pytest.mark.parametrize("second_date", ["2025-03-02", "2025-03-20"])
def test_one_speakers_sentence_repeated_on_another_day_is_another_statement(second_date: str) -> None:
    an = analyse_quotes(_statement_in_two_cuts(second_date=second_date))
    assert cluster_of(an, "northern clinics", "a0.txt") != cluster_of(an, "northern clinics", "a1.txt")


def test_a_short_line_and_its_longer_transcription_sharing_one_shingle_are_grouped() -> None:
    # the 8-word line has four shingles; the longer transcription shares one: still a candidate
    arts = [
        art(0, "“Your policy has been all over the map,” Senator Ulla Brandt said in the debate."),
        art(1, "“Your policy previously has been one that has been all over the map,” Ulla Brandt said."),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "map", "a0.txt") == cluster_of(an, "map", "a1.txt")


LONG_STATEMENT = ("The bullying, the greed, the showing off, the misogyny and the absurd theatrics of this campaign "
                  "are not what our party stands for")


def test_a_long_quotation_printed_word_for_word_under_two_names_is_one_quotation() -> None:
    # one outlet took the show that aired it for the speaker
    arts = [
        art(0, f"“{LONG_STATEMENT},” Mitt Romney said on Thursday."),
        art(1, f"“{LONG_STATEMENT},” Dana Weeks said."),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "absurd theatrics", "a0.txt") == cluster_of(an, "absurd theatrics", "a1.txt")


def test_a_shorter_line_under_two_names_stays_two_statements() -> None:
    words = "We will not back down from this fight"
    arts = [
        art(0, f"“{words},” Mitt Romney said on Thursday."),
        art(1, f"“{words},” the mayor Dana Weeks said."),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "back down", "a0.txt") != cluster_of(an, "back down", "a1.txt")


@pytest.mark.parametrize(
    ("head_of", "tail_of", "overlap"),
    [
        ("abcdef", "xyzabc", 3),
        ("abcdef", "abcdef", 6),
        ("abcdef", "xyz", 0),
        ("aaaa", "baaaaaa", 4),
        ("abab", "xabab", 4),
        ("", "abc", 0),
    ],
)
def test_suffix_prefix(head_of: str, tail_of: str, overlap: int) -> None:
    assert _suffix_prefix(head_of, tail_of) == overlap


def _phrase(codes: str, content: str) -> _Phrase:
    return _Phrase(codes=codes, content_codes=content, speakers=frozenset())


def test_overlap_run_finds_two_cuts_and_ignores_a_shared_opening() -> None:
    run = "ABCDEFGHIJ"  # ten words, all content words
    assert _overlap_run(_phrase("xyz" + run, run + "xyz"), _phrase(run + "uvw", run + "uvw")) == 10
    assert _overlap_run(_phrase("xyz" + run + "k", run), _phrase("m" + run + "uvw", run)) == 10  # one word past
    assert _overlap_run(_phrase(run + "xyz", run), _phrase(run + "uvw", run)) == 0  # both open with it
    assert _overlap_run(_phrase("xyz" + run, ""), _phrase(run + "uvw", "")) == 0  # function words only


def test_overlap_run_on_huge_repetitive_quotations_is_bounded() -> None:
    # one word said 20,000 times: the overlap found is capped at the window, in linear time
    assert _overlap_run(_phrase("a" * 20000, "a"), _phrase("a" * 10000 + "b", "a")) == OVERLAP_WINDOW_WORDS


def _one_passage_transcribed_twice(second_by: str = "Ilse Varga", second_date: str | None = None) -> list[Article]:
    """One passage of a spokesman's statement, transcribed by two outlets a word or two apart ("now
    actively attempting" / "actively trying") and cut at different sentences: no sentence whole in both."""
    return _two_outlets(
        "“The board, in a hasty overreaction, has locked us out of our own records. In other words, the "
        "leadership of the regional water authority is actively trying to undermine our campaign,” the "
        "campaign manager Ilse Varga said.",
        "“By their action, the leadership of the regional water authority is now actively attempting to "
        "undermine our campaign. This is unacceptable and we will go to court,” " + second_by + " said.",
        second_date,
    )


def test_one_passage_transcribed_a_word_apart_by_one_speaker_on_one_day_is_grouped() -> None:
    an = analyse_quotes(_one_passage_transcribed_twice())
    assert cluster_of(an, "water authority", "a0.txt") == cluster_of(an, "water authority", "a1.txt")


@pytest.mark.parametrize(("second_by", "second_date"), [("Oskar Brandt", None), ("Ilse Varga", "2016-03-20")])
def test_one_passage_from_another_speaker_or_day_is_not_grouped(second_by: str, second_date: str | None) -> None:
    # another known speaker's words, or the speaker's words of another day (a line she reuses): two statements
    an = analyse_quotes(_one_passage_transcribed_twice(second_by, second_date))
    assert cluster_of(an, "water authority", "a0.txt") != cluster_of(an, "water authority", "a1.txt")


def test_aligned_passage_scores_matches_against_changed_words() -> None:
    passage = "ABCDEFGHIJKLMN"  # 14 words, all content words
    reworded = "ABCDEFGHxIyKLMN"  # a word added (x) and one changed (J -> y)
    assert _aligned_passage(_phrase("uv" + passage + "w", passage), _phrase("rs" + reworded, reworded)) == 13
    scattered = "AxBxCxDxExFxGxHxIxJ"  # the same words, every other one changed: no passage
    assert _aligned_passage(_phrase(passage, passage), _phrase(scattered, scattered)) == 0
    # the same run in both, with no edit, is a phrase reused, not a passage transcribed apart; a huge
    # repetitive pair is aligned on its first ALIGN_WINDOW_WORDS words only
    assert _aligned_passage(_phrase(passage, passage), _phrase("rs" + passage, passage)) == 0
    huge, changed = "abcdefghij" * 500, "abcdefghiX" * 500  # 5,000 words, one in ten changed
    assert _aligned_passage(_phrase(huge, "abcdefghi"), _phrase(changed, "abcdefghi")) == ALIGN_WINDOW_WORDS * 9 // 10


def test_a_short_quote_whose_best_match_is_bound_for_a_group_joins_that_group() -> None:
    # the unattributed partial's best match is the attributed partial (the same words), itself bound
    # for the minister's interview: one group for all three, not "two rival statements"
    an = analyse_quotes([
        art(0, "Critics circled the words “did not say it perfectly” in the transcript."),
        art(1, "Education minister Arne Lund said he “did not say it perfectly” and apologized on Monday."),
        art(2, "“I did not say them perfectly, and I apologize for that. My point is that every child needs a "
               "good school,” Arne Lund said in an interview."),
    ])
    groups = {cluster_of(an, "perfectly", f"a{i}.txt") for i in range(3)}
    assert len(groups) == 1


def test_a_coinage_may_hold_a_word_of_a_few_dozen_groups() -> None:
    # three content words: two rare ones and one in 1 group of 40 ("white" in "white suburban moms",
    # written in every "White House" story) are a coinage; a word of 1 group in 10 ("people") is not
    total = 2000
    contents: list[set[int]] = [set() for _ in range(total)]
    for i in range(total // 40):
        contents[i] = {3}
    for i in range(total // 40, total // 40 + total // 10):
        contents[i] = {4}
    contents[1990], contents[1991] = {1}, {2}
    informative = _Informativeness(_phrases(contents), lambda i: i)
    assert informative.rare({1, 2, 3})
    assert not informative.rare({1, 2, 4})


@pytest.mark.parametrize(("piece", "grouped"), [("reckless old harbour master", True), ("harbour master", False)])
def test_a_rendering_joining_a_piece_of_a_statement_to_other_words_joins_that_statement(piece: str,
                                                                                        grouped: bool) -> None:
    # the second outlet joins a piece of the governor's sentence to words the first did not print;
    # a piece of two words alone (a title anyone says) is no evidence
    an = analyse_quotes(_two_outlets(
        "“I will surely tame the reckless old harbour master with fire,” Governor Orin Pell said in a statement.",
        f"Governor Orin Pell called his rival a “{piece}” who would “pay dearly” this winter.",
    ))
    same = cluster_of(an, "harbour master", "a0.txt") == cluster_of(an, "harbour master", "a1.txt")
    assert same is grouped


@pytest.mark.parametrize(
    ("short_speaker", "statement_speaker", "days_apart", "evidence", "joined"),
    [
        ("mcrae|ann", "mcrae|ann", 0, 3.0, True),  # her "I was wrong" in her statement of that day
        ("mcrae|ann", "mcrae|ann", 0, 2.0, False),  # words too common even so
        ("mcrae|ann", "mcrae|ann", 10, 3.0, False),  # another occasion
        ("mcrae|ann", "dunn|eli", 0, 3.0, False),  # another speaker's statement
        (None, "mcrae|ann", 0, 3.0, False),  # no known speaker: the words alone must tell
    ],
)
def test_a_known_speakers_few_common_words_join_her_statement_of_the_day(
        short_speaker: str | None, statement_speaker: str, days_apart: int, evidence: float, joined: bool) -> None:
    spread = _Spread()
    spread.add_phrase(738000, 0)
    spread.add_phrase(738000 + days_apart, 1)
    uf = _UnionFind(2, [short_speaker, statement_speaker], spread)
    short = _Phrase(codes="abc", content_codes="c", speakers=frozenset([short_speaker] if short_speaker else []))
    assert _own_words_of_the_day(uf, short, 0, 1, evidence) is joined


LONG_LINE = "No wonder the mayor and her deputy hid the invoices from the voters, the courts and the council"


@pytest.mark.parametrize(("line", "grouped"),
                         [(LONG_LINE, True), ("the invoices from the voters, the courts and the council", False)])
def test_a_long_quotation_printed_whole_inside_another_under_another_name_is_one_quotation(line: str,
                                                                                          grouped: bool) -> None:
    # one outlet misspells the speaker ("Ron Pettit" / "Ron Pettis"); 17 words printed word for word
    # inside the other outlet's longer rendering are one quotation; 10 words may be an echo
    an = analyse_quotes(_two_outlets(
        f"“{line},” Ron Pettit, the group's president, said in a release.",
        f"“{LONG_LINE}. The ledgers show the contractors were paid twice for one bridge,” Ron Pettis said.",
    ))
    same = cluster_of(an, "the courts", "a0.txt") == cluster_of(an, "the courts", "a1.txt")
    assert same is grouped


def _with_date(article: Article, date: str) -> Article:
    return replace(article, date=date)


def test_a_stock_line_of_many_words_opening_two_statements_of_one_day_is_no_passage() -> None:
    # an exact run of 15 words (no whole sentence of either) is a phrase the speaker reuses, not one passage
    line = "We call on all sides to show restraint and return to the talks at once"
    an = analyse_quotes(_two_outlets(
        f"“{line}, the shelling of the villages in the valley must stop before the winter comes and the roads "
        "close, or thousands of families will be cut off from food, fuel and doctors until April,” the envoy "
        "Omar Dessi said.",
        f"“{line}, the new customs rules will be discussed with every neighbour in the spring, when the ministers "
        "meet in the capital to agree on tariffs for grain, timber and cement,” the envoy Omar Dessi said.",
    ))
    assert cluster_of(an, "shelling", "a0.txt") != cluster_of(an, "customs", "a1.txt")


TOLLS = "the new bridge tolls will hurt every commuter who drives to the port"


def test_an_unattributed_line_never_bridges_two_speakers_statements() -> None:
    # the line is near Ann Reyes's statement and printed whole inside Bo Lind's: it joins one of them only
    statement = "the new bridge tolls will hurt every commuter who drives to work, and we will fight them"
    reply = (f"{TOLLS} each morning, and the council knows it, because it has seen the figures from the harbour "
             "office for three years now")
    an = analyse_quotes([
        art(0, f"“{statement},” the councillor Ann Reyes said on Monday."),
        art(1, f"Critics said “{TOLLS}.” The vote is on Friday."),
        art(2, f"“{reply},” the union leader Bo Lind said."),
    ])
    assert cluster_of(an, "fight them", "a0.txt") != cluster_of(an, "harbour office", "a2.txt")


@pytest.mark.parametrize("changed", [False, True])
def test_a_line_read_out_by_another_speaker_is_no_rival_of_its_speakers_statement(changed: bool) -> None:
    # Ann Reyes's line, cut from her statement by one outlet, read out word for word by Bo Lind in his
    # reply: her line stays with her statement (printed whole there, or two words apart)
    line = f"{TOLLS} each morning"
    in_statement = line.replace("drives", "drive").replace("each morning", "every morning") if changed else line
    an = analyse_quotes([
        art(0, f"“We voted against this plan twice. {in_statement}. The council has seen the figures from the "
               "harbour office for three years and still said nothing,” the councillor Ann Reyes said."),
        art(1, f"“{line},” Ann Reyes said."),
        art(2, f"“She says that {line}. That is nonsense, since the toll money pays for the buses that carry "
               "those same commuters home,” the union leader Bo Lind replied."),
    ])
    assert cluster_of(an, "bridge tolls", "a1.txt") == cluster_of(an, "harbour office", "a0.txt")
    assert cluster_of(an, "bridge tolls", "a1.txt") != cluster_of(an, "nonsense", "a2.txt")


COMMON_LINE = "we are going to win this"


def _filler_corpus() -> list[Article]:
    """1,100 one-quotation articles of made-up words (word frequencies apply: over 1,000 groups), "going"
    and "win" each in one in eight of them: "we are going to win this" is a line of common words."""
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su", "da", "fi", "go", "hu", "je", "bo"]
    arts = []
    for i in range(1100):
        words = ["".join(rng.choice(syllables) for _ in range(3)) for _ in range(11)]
        if i % 8 == 0:
            words[3] = "going"
        elif i % 8 == 1:
            words[5] = "win"
        arts.append(_with_date(art(i, f"“{' '.join(words).capitalize()},” said Speaker{i} Person{i}."),
                               f"2024-0{1 + i % 9}-1{i % 10}"))
    return arts


@pytest.mark.parametrize("second_statement", [False, True])
def test_a_known_speakers_line_of_common_words_joins_her_one_statement_of_the_day(second_statement: bool) -> None:
    plant = (f"The plant stays open, the jobs stay here, and {COMMON_LINE} in the courts of this state before the "
             "summer recess is over")
    doors = (f"Our volunteers knocked on nine thousand doors in the rain and {COMMON_LINE} on the ballot in "
             "November, whatever the polls say")
    arts = _filler_corpus()
    k = len(arts)
    arts += [_with_date(art(k, f"“{plant},” the councillor Ann Reyes said on Monday about the plant."), "2025-03-03"),
             _with_date(art(k + 1, f"“{COMMON_LINE.capitalize()},” Ann Reyes said."), "2025-03-03")]
    if second_statement:
        arts.append(_with_date(art(k + 2, f"“{doors},” Ann Reyes told volunteers on Tuesday."), "2025-03-04"))
    an = analyse_quotes(arts)
    line_group = cluster_of(an, "win this", f"a{k + 1}.txt")
    # with one statement of hers that day, her line joins it; matching two, it joins neither
    assert (line_group == cluster_of(an, "plant stays open", f"a{k}.txt")) is not second_statement
    if second_statement:
        assert line_group != cluster_of(an, "nine thousand doors", f"a{k + 2}.txt")


def _two_word_partial(partial_by: str, words: str = "totally unrelated") -> list[Article]:
    return [
        art(0, "“It is totally unrelated to the president and his victorious campaign,” Sarah Sanders said."),
        art(1, f"{partial_by} said Friday that the plea deal was “{words}” to the campaign."),
    ]


@pytest.mark.parametrize("partial_first", [False, True])
def test_a_two_word_partial_of_content_words_joins_its_speakers_statement(partial_first: bool) -> None:
    arts = _two_word_partial("Sarah Sanders")
    if partial_first:  # the statement is read second: the partial's one skip-bigram must make it a candidate
        arts = [replace(arts[1], order=0), replace(arts[0], order=1)]
    an = analyse_quotes(arts)
    assert cluster_of(an, "totally unrelated", "a1.txt") == cluster_of(an, "victorious", "a0.txt")


def test_a_two_word_partial_of_its_speaker_a_week_later_joins_nothing() -> None:
    arts = _two_word_partial("Sarah Sanders")
    arts[1] = replace(arts[1], date="2025-03-12")
    an = analyse_quotes(arts)
    assert cluster_of(an, "totally unrelated", "a1.txt") != cluster_of(an, "victorious", "a0.txt")


@pytest.mark.parametrize("partial_by,words", [
    ("Senator Tom Bakely", "totally unrelated"),  # another speaker's same two words
    ("Sarah Sanders", "the president"),  # a function word: too common to single out a statement
])
def test_a_two_word_partial_of_another_speaker_or_with_a_function_word_stays_apart(partial_by: str,
                                                                                   words: str) -> None:
    an = analyse_quotes(_two_word_partial(partial_by, words))
    assert cluster_of(an, words, "a1.txt") != cluster_of(an, "victorious", "a0.txt")


def _few_words_of_reid(*dates: str) -> list[Article]:
    """Reid's and Sands's statements (published on March 1st and 2nd) and Reid's three words "the right
    thing" quoted alone, once per date in ``dates``."""
    arts = [art(0, REID_STATEMENT), art(1, SANDS_STATEMENT)]
    for k, date in enumerate(dates, start=2):
        arts.append(replace(art(k, "Harold Reid said he only tries to do “the right thing.”"), date=date))
    return arts


def test_a_known_speakers_three_words_join_his_statement_of_that_day_whoever_else_said_them() -> None:
    an = analyse_quotes(_few_words_of_reid("2025-03-01"))
    short = cluster_of(an, "the right thing", "a2.txt")
    assert short == cluster_of(an, "right thing", "a0.txt") != cluster_of(an, "right thing", "a1.txt")


def test_a_known_speakers_three_words_in_the_lede_of_his_statements_article_join_it() -> None:
    arts = [art(0, "Harold Reid said he only tries to do “the right thing.”\n\n" + REID_STATEMENT),
            art(1, SANDS_STATEMENT)]
    an = analyse_quotes(arts)
    short = cluster_of(an, "right thing.", "a0.txt")
    assert short == cluster_of(an, "everything will work out", "a0.txt") != cluster_of(an, "right thing", "a1.txt")


def test_a_known_speakers_three_words_printed_the_next_day_join_her_statement() -> None:
    # a report published the day after the statement (the print edition, another time zone)
    an = analyse_quotes(_few_words_of_reid("2025-03-02"))
    short = cluster_of(an, "the right thing", "a2.txt")
    assert short == cluster_of(an, "right thing", "a0.txt") != cluster_of(an, "right thing", "a1.txt")


@pytest.mark.parametrize("dates", [("2025-03-03",), ("2025-03-01", "2025-03-03")])
def test_a_known_speakers_three_words_of_another_day_or_of_several_days_join_no_statement(
        dates: tuple[str, ...]) -> None:
    # two days later, or printed on two days: a catchphrase quoted again ("New York values"), not a cut
    an = analyse_quotes(_few_words_of_reid(*dates))
    short = cluster_of(an, "the right thing", "a2.txt")
    assert short != cluster_of(an, "right thing", "a0.txt") and short != cluster_of(an, "right thing", "a1.txt")


def _shared_short_sentence(second_date: str) -> list[Article]:
    """Two quotations sharing one sentence of six words, no speaker known for both (the second's is
    someone described), the second published on ``second_date``."""
    return [
        art(0, "Dana Fell arrived.\n\nIda Holm spoke to the council. “I did not do anything wrong. I am proud of "
               "the harbour we rebuilt together,” she said."),
        replace(art(1, "“We will appeal the ruling, but I did not do anything wrong,” a trader said."),
                date=second_date),
    ]


@pytest.mark.parametrize("second_date,together", [("2025-03-05", True), ("2029-03-01", False)])
def test_a_shorter_quotation_sharing_a_sentence_of_six_words_joins_nothing_years_later(second_date: str,
                                                                                        together: bool) -> None:
    arts = [art(0, "Ida Holm spoke to the council. “I did not do anything wrong. I am proud of the harbour and "
                   "the ferry pier and the old market we rebuilt together,” she said."),
            replace(art(1, "“I did not do anything wrong. We will appeal,” a trader said."), date=second_date)]
    an = analyse_quotes(arts)
    assert (cluster_of(an, "proud of the harbour", "a0.txt") == cluster_of(an, "appeal", "a1.txt")) is together


@pytest.mark.parametrize("second_date,together", [("2025-03-01", True), ("2029-03-01", False)])
def test_a_shared_sentence_of_six_words_without_one_known_speaker_joins_only_that_day(second_date: str,
                                                                                      together: bool) -> None:
    an = analyse_quotes(_shared_short_sentence(second_date))
    first = cluster_of(an, "proud of the harbour", "a0.txt")
    assert (first == cluster_of(an, "appeal the ruling", "a1.txt")) is together


def test_a_known_speakers_words_quoted_back_by_critics_join_her_statement_of_that_day() -> None:
    # "the clinic system is doing fine" is in the governor's answer and in two critics' attacks on it
    # (the longest one a senator's): her partial quoted elsewhere is a cut of her answer, not a stock phrase
    arts = [
        art(0, "\u201cWe hired nine hundred nurses this spring, so the clinic system is doing fine for now. Where we "
               "see weakness is in the rural counties,\u201d Governor Ada Brenn said at a news conference."),
        art(1, "Senator Tom Bakely said: \u201cFor the governor to stand up and say the clinic system is doing fine "
               "is going to go down in history as a blunder of the first order, a miscalculation.\u201d"),
        art(2, "The nurses' union wrote online.\n\n\u201cShe thinks the clinic system is doing fine while patients "
               "wait. Is she really that out of touch?\u201d"),
        art(3, "Governor Ada Brenn spoke on Friday.\n\nBrenn\u2019s comment that \u201cthe clinic system is doing "
               "fine\u201d angered the nurses' union."),
    ]
    arts = [replace(a, date="2025-03-01") for a in arts]
    an = analyse_quotes(arts)
    partial = cluster_of(an, "the clinic system is doing fine", "a3.txt")
    assert partial == cluster_of(an, "nine hundred nurses", "a0.txt")
    assert partial != cluster_of(an, "blunder", "a1.txt") and partial != cluster_of(an, "patients wait", "a2.txt")


def test_a_speakers_two_words_in_two_of_her_statements_join_neither_to_the_other() -> None:
    # "loser raider" in two tweets of one morning, quoted alone as the speaker's: two statements, not
    # one statement's two cuts
    arts = [
        art(0, "\u201cAnother night of looting in Harbourtown by a loser raider. These are sick and demented "
               "people,\u201d Dan Korver tweeted."),
        art(1, "\u201cEvery loser raider must be dealt with in a much tougher manner. The ferry is their main "
               "route,\u201d Dan Korver tweeted an hour later."),
        art(2, "Dan Korver spoke at dawn.\n\nAnn Reyes called Korver\u2019s \u201closer raider\u201d tweets "
               "unhelpful."),
    ]
    arts = [replace(a, date="2025-03-01") for a in arts]
    an = analyse_quotes(arts)
    assert cluster_of(an, "loser raider", "a2.txt") != cluster_of(an, "sick and demented", "a0.txt")
    assert cluster_of(an, "sick and demented", "a0.txt") != cluster_of(an, "tougher manner", "a1.txt")


@pytest.mark.parametrize("repeat_longer", [False, True])
def test_a_speakers_partial_joins_her_statement_of_those_days_not_her_repeat_a_week_later(
        repeat_longer: bool) -> None:
    repeat = ("Ed Sands never took charge of the harbour authority. It is sort of an incredible thing, and a "
              "sad one for the whole town and every family on the quay" if repeat_longer
              else "Ed Sands never took charge of the harbour authority. It is sad")
    arts = [
        replace(art(0, "Dana Reid said Sands \u201cnever took charge of the harbour authority.\u201d"),
                date="2025-03-01"),
        replace(art(1, "\u201cI put in a harbour master who never took charge of the harbour authority. He took "
                       "the job and then he left,\u201d Dana Reid said in an interview."), date="2025-03-02"),
        replace(art(2, f"\u201c{repeat},\u201d Dana Reid told a rally."), date="2025-03-06"),
    ]
    an = analyse_quotes(arts)
    partial = cluster_of(an, "never took charge", "a0.txt")
    assert partial == cluster_of(an, "harbour master", "a1.txt") != cluster_of(an, "incredible" if repeat_longer
                                                                              else "It is sad", "a2.txt")


class _AllInformative:
    """Every shared word informative (the informativeness of words is tested on its own)."""

    def __call__(self, words: object) -> bool:
        return True

    def evidence(self, words: object) -> float:
        return 10.0


@pytest.mark.parametrize("statement_days_later", [0, 1, 9])
def test_a_known_speakers_partial_joins_her_statement_though_a_longer_one_of_a_critic_holds_it(
        statement_days_later: int) -> None:
    # phrase 0: her partial; 1: a critic's longer quotation holding it (the best match by length);
    # 2: her statement holding it. Her own statement of those days is what it cuts; of another week, not
    spread = _Spread()
    for day in (738000, 738000, 738000 + statement_days_later):
        spread.add_phrase(day, len(spread.first_day))
    uf = _UnionFind(3, ["brenn|ada", "bakely|tom", "brenn|ada"], spread)
    phrases = [_Phrase(codes="abcde", content_codes="bcde", speakers=frozenset(["brenn|ada"])),
               _Phrase(codes="xyzabcdefghij", content_codes="xyzbcdefghij", speakers=frozenset(["bakely|tom"])),
               _Phrase(codes="klmabcdeno", content_codes="klmbcdeno", speakers=frozenset(["brenn|ada"]))]
    lengths = [5, 13, 10]
    best_parent = {0: (1.0, 13, -1)}
    rivals = {0: [(1.0, 1), (1.0, 2)]}
    _join_short_quotes(uf, best_parent, rivals, lengths, phrases, _AllInformative())  # type: ignore[arg-type]
    assert uf.find(0) != uf.find(1)
    assert (uf.find(0) == uf.find(2)) is (statement_days_later <= 1)


@pytest.mark.parametrize("partial_first", [False, True])
def test_a_short_question_joins_the_longer_rendering_whichever_is_read_first(partial_first: bool) -> None:
    # "what about a charity" holds one shingle only ("about a charity"): read before the longer rendering,
    # it must still be its candidate, as it is when read after it
    arts = [art(0, "“What about a charity? A charity gives food to someone who is here unlawfully, and it is "
                   "designed to feed people who cannot get food anywhere else,” Judge Ann Reyes asked the lawyer."),
            art(1, "“What about a charity?” followed up Judge Ann Reyes.")]
    if partial_first:
        arts = [replace(arts[1], order=0), replace(arts[0], order=1)]
    an = analyse_quotes(arts)
    assert cluster_of(an, "What about a charity", "a1.txt") == cluster_of(an, "gives food", "a0.txt")


def _weakly_named_partial() -> list[Article]:
    return [
        art(0, "Party Chairman Dana Fellowes spoke to donors on Friday. “This is a war of Varlow’s choosing,” "
               "Fellowes said."),
        art(1, "“Needless to say, the war was not a war of Varlow’s choosing. It has been fought under two "
               "presidents and both parties,” the columnist Bo Lind wrote in a letter to the chairman."),
        art(2, "Senators kept up pressure on party Chairman Dana Fellowes on Sunday over his on-camera claim that "
               "the conflict is a “war of Varlow’s choosing” and may not be winnable."),
    ]


def test_a_weakly_named_short_quote_joins_that_persons_statement_among_equal_matches() -> None:
    arts = _weakly_named_partial()
    an = analyse_quotes(arts)
    (partial,) = [v for c in an.clusters for v in c.variants if v.article == "a2.txt"]
    assert partial.speaker == "Dana Fellowes" and partial.speaker_confidence < KNOWN_SPEAKER_CONFIDENCE
    assert cluster_of(an, "war of Varlow", "a2.txt") == cluster_of(an, "This is a war", "a0.txt")
    assert cluster_of(an, "war of Varlow", "a2.txt") != cluster_of(an, "Needless to say", "a1.txt")


def test_one_speakers_three_word_piece_joins_her_statement_that_prints_it() -> None:
    # "sanctimonious … earned this mistrust": one piece of three words (two content words) is in the other
    # outlet's rendering, the other piece is not; one known speaker says both, printed the same day
    arts = [art(0, "The carmaker's chief Ann Reyes on Wednesday unleashed a barrage of criticism aimed at reporters, "
                   "saying they are “sanctimonious,” have “earned this mistrust” and bow to their owners."),
            _with_date(art(1, "“The media has earned this mistrust. But maybe there is a fix for it, a site where "
                              "the public can rate the truth of each article,” Ann Reyes wrote on Wednesday."),
                       "2025-03-01")]
    an = analyse_quotes(arts)
    (joined,) = [v for c in an.clusters for v in c.variants if v.article == "a0.txt"]
    assert "sanctimonious" in joined.text and "earned this mistrust" in joined.text
    assert cluster_of(an, "sanctimonious", "a0.txt") == cluster_of(an, "media has earned", "a1.txt")


def test_one_speakers_three_word_piece_printed_another_day_joins_nothing() -> None:
    # (a few words of one speaker matched through one piece only: a cut of the same day, not a line said again)
    arts = [art(0, "The carmaker's chief Ann Reyes on Wednesday unleashed a barrage of criticism aimed at reporters, "
                   "saying they are “sanctimonious,” have “earned this mistrust” and bow to their owners."),
            _with_date(art(1, "“The media has earned this mistrust. But maybe there is a fix for it, a site where "
                              "the public can rate the truth of each article,” Ann Reyes wrote in May."),
                       "2025-05-20")]
    an = analyse_quotes(arts)
    assert cluster_of(an, "sanctimonious", "a0.txt") != cluster_of(an, "media has earned", "a1.txt")


def test_one_speakers_piece_of_common_words_joins_nothing() -> None:
    # "a total disgrace … the American people": the piece found whole ("the American people") is words of
    # hundreds of statements; on a corpus large enough to tell, it is no cut of her statement saying them
    rng = random.Random(11)
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su", "da", "fi", "go", "hu", "je", "bo"]
    arts = []
    for i in range(1100):
        words = ["".join(rng.choice(syllables) for _ in range(3)) for _ in range(11)]
        if i % 4 == 0:
            words[3:5] = ["american", "people"]
        arts.append(_with_date(art(i, f"“{' '.join(words).capitalize()},” said Speaker{i} Person{i}."),
                               f"2024-0{1 + i % 9}-1{i % 10}"))
    k = len(arts)
    arts += [
        _with_date(art(k, "“The American people deserve far better than this broken tax system and its loopholes,” "
                          "the councillor Ann Reyes said on Monday."), "2025-03-03"),
        _with_date(art(k + 1, "Ann Reyes said the rules were “a total disgrace,” hurt “the American people” and had "
                              "to go."), "2025-03-03"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "total disgrace", f"a{k + 1}.txt") != cluster_of(an, "deserve far better", f"a{k}.txt")
