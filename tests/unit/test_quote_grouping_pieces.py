"""Grouping renderings another outlet printed in other forms (briefreader.core.quote_grouping): a
rendering joined from pieces matched piece by piece, hyphenated compounds and spaced words, an
editor's bracketed insertion for the speaker's words, and a rare phrase of a few words whose
speaker one outlet garbled or left out. Every name, outlet and sentence here is invented."""

from __future__ import annotations

import pytest

from briefreader.core import quote_grouping
from briefreader.core.diffing import INSERTION_KEY, classify_alteration, word_keys
from briefreader.core.model import Article
from briefreader.core.quote_clusters import analyse_quotes


def art(i: int, body: str, date: str | None = None) -> Article:
    return Article(id=f"a{i}.txt", path=f"a{i}.txt", format="txt", body=body, outlet=f"Outlet {i}",
                   date=date or f"2025-03-{i % 20 + 1:02d}", order=i)


def cluster_of(analysis, snippet: str, article: str) -> str:
    (owner,) = [c.id for c in analysis.clusters for v in c.variants if v.article == article and snippet in v.text]
    return owner


# ---------------------------------------------------------------------------------------------
# A rendering joined from pieces: one piece printed whole in another outlet's longer quotation

MAYOR_LETTER = (
    "I have lived here for forty years, and I know that the road in front of us is a very long and a very "
    "hard road, but we will keep working for every street and every school we can reach. Our task is to "
    "rebuild our town and to make sure that every family can stay in it. To make sure that what we want is "
    "what most of the people in this valley want. And to make sure that the work goes on."
)
JOINED = ('But the mayor also said that "we will not let the harbour board sell the old piers to a hotel '
          'chain," and that, in regard to the council, "our task is to rebuild this town and to make sure that '
          'every family can stay in it." The crowd cheered.')


def test_a_joined_rendering_joins_the_quotation_one_of_its_pieces_comes_from() -> None:
    arts = [
        art(0, f"“{MAYOR_LETTER}” the mayor Ilse Brandt wrote in the letter."),
        art(1, JOINED),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "every family can stay", "a1.txt") == cluster_of(an, "every family can stay", "a0.txt")


def test_a_joined_rendering_sharing_only_loose_words_stays_apart() -> None:
    other = ("We will keep the old piers for the fishermen of this town, and the families who live on the "
             "harbour will have their say before the board decides anything at all about the piers or the "
             "hotel or the road that leads to them, and no chain will buy a single stone of it. That is our "
             "promise to every family, and it will be kept, whatever the council says in the spring.")
    arts = [
        art(0, f"“{other}” the harbour master Olof Lind said."),
        art(1, JOINED),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "every family can stay", "a1.txt") != cluster_of(an, "old piers", "a0.txt")


def test_pieces_cut_from_far_apart_join_the_quotation_they_come_from() -> None:
    speech = ("Let me tell you about the man who wants your vote. He is a fraud and a cheat, and everybody in "
              "this hall knows it. He has taken the money of the workers of this valley and given nothing back, not "
              "a school, not a clinic, not a single road. His plans for the harbour and the mills are a disaster in "
              "the making.")
    arts = [
        art(0, f"“{speech}” the former governor Ilse Brandt said in her speech."),
        art(1, "On Monday the candidate was called “a fraud and a cheat” and his plans “a disaster in the "
               "making.”"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "disaster in the making", "a1.txt") == cluster_of(an, "disaster", "a0.txt")


def test_a_slogan_sentence_of_a_joined_rendering_is_not_a_statement_alone() -> None:
    speech = ("The mills along the river closed one after another and nobody in the capital lifted a finger "
              "for the workers who lost everything, and I will not forget them. We are going to make the valley "
              "green again and safe again for every child. The roads, the schools and the clinics will come "
              "back, and the river will carry boats again before the end of my first term in office.")
    arts = [
        art(0, f"“{speech}” the candidate Ilse Brandt said in June."),
        art(1, 'Brandt said that "what the council has done to the harbour and the old ferry is wrong," and '
               'that, in regard to the mills, "we are going to make the valley green again."'),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "old ferry is wrong", "a1.txt") != cluster_of(an, "mills along", "a0.txt")


# ---------------------------------------------------------------------------------------------
# Hyphenated compounds and an editor's bracketed insertion


def test_hyphenated_compounds_are_their_words() -> None:
    assert word_keys("they will fire-bomb the depot") == word_keys("they will fire bomb the depot")
    assert word_keys("a well\u2011known anti-tax group") == ["a", "well", "known", "anti", "tax", "group"]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("grind [the rebel militias] into dust", ["grind", INSERTION_KEY, "into", "dust"]),
        ("[T]hey left", ["they", "left"]),  # letters the editor supplied inside a word
        ("it [sic] was [...] done", ["it", "was", "done"]),  # a note and an elision stand for no words
        ("[Olsen]'s plan", ["olsen", "plan"]),
        ("pick[ing] up votes", ["pick", "up", "votes"]),  # an ending the editor changed: the speaker's stem
        ("She [the city] is strong", ["she", "is", "strong"]),  # a gloss of a pronoun: the pronoun is kept
        ("an [unclosed bracket", ["an", "unclosed", "bracket"]),
    ],
)
def test_bracketed_insertions_are_one_key(text: str, keys: list[str]) -> None:
    assert word_keys(text) == keys


def test_an_insertion_is_no_altered_word() -> None:
    reference = "We will grind them into dust, and then we will rebuild the valley from the ground up."
    rendering = "We will grind [the rebel militias] into dust, and then we will rebuild the valley from the ground up."
    assert classify_alteration(reference, rendering) != "altered"


def test_a_cut_with_an_insertion_joins_the_fuller_quotation() -> None:
    arts = [
        art(0, "The governor Karl Olsen has vowed to “fire-bomb [the rebel militias] into dust. I do not know if "
               "the river can run red, but we are going to find out.”"),
        art(1, "The other night Olsen was promising to “fire bomb them into dust.”"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "into dust", "a1.txt") == cluster_of(an, "into dust", "a0.txt")


# ---------------------------------------------------------------------------------------------
# A rare phrase of a few words, one outlet's speaker garbled or missing

_SYLLABLES = ["ka", "lo", "mi", "ru", "te", "sa", "no", "vi", "pe", "du", "ga", "ri", "zo", "fe", "bu", "ha"]


def _invented_word(n: int) -> str:
    word = ""
    for _ in range(3):
        word += _SYLLABLES[n % len(_SYLLABLES)]
        n //= len(_SYLLABLES)
    return word


def _filler(count: int) -> list[Article]:
    """``count`` articles, each quoting a statement of its own (invented words, and the common words
    "river", "stone", "bridge" and "town" in many of them), so that word frequencies apply."""
    arts = []
    for i in range(count):
        words = " ".join(_invented_word(i * 7 + k) for k in range(6))
        common = ["river", "stone", "bridge", "town"][i % 4]
        arts.append(art(100 + i, f"“We will {words} the {common} before {_invented_word(i * 7 + 6)} comes,” "
                                 f"the official Nils Berg{i} said."))
    return arts


@pytest.fixture()
def frequencies_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    # a few hundred invented statements stand for a corpus large enough to count word frequencies
    monkeypatch.setattr(quote_grouping, "MIN_PHRASES_FOR_FREQUENCIES", 100)


@pytest.mark.usefixtures("frequencies_apply")
def test_a_rare_phrase_joins_across_a_garbled_speaker() -> None:
    arts = _filler(300) + [
        art(0, "The campaign accused the agencies of “ultraclassification run riot.”"),
        art(1, "One Olsen spokesman has called the situation “ultraclassification run riot.”"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "run riot", "a0.txt") == cluster_of(an, "run riot", "a1.txt")


@pytest.mark.usefixtures("frequencies_apply")
def test_a_rare_phrase_of_two_content_words_joins_a_speaker_missing_on_one_side() -> None:
    arts = _filler(600) + [  # two words unique in 600 groups: evidence 2 x ln(600) = 12.8
        art(0, "As the debate went on, Olsen stood by his comment that “Valdoria hates us,” refusing to soften it."),
        art(1, "He was challenged over his statement that “Valdoria hates us,” but kept his temper."),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "hates us", "a0.txt") == cluster_of(an, "hates us", "a1.txt")


@pytest.mark.usefixtures("frequencies_apply")
def test_a_stock_phrase_of_common_words_stays_apart_without_one_speaker() -> None:
    arts = _filler(300) + [
        art(0, "The campaign promised “river stone bridge” at every stop."),
        art(1, "One Olsen spokesman has called the plan “river stone bridge.”"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "river stone bridge", "a0.txt") != cluster_of(an, "river stone bridge", "a1.txt")


@pytest.mark.usefixtures("frequencies_apply")
def test_a_rare_phrase_of_two_named_people_stays_apart() -> None:
    arts = _filler(300) + [
        art(0, "“Your remark about ultraclassification run riot was heard by everyone in the valley and "
               "beyond,” the writer Pia Dahl said."),
        art(1, "A spokesman for Olsen called the rules “ultraclassification run riot.”"),  # Olsen, unsure
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "run riot", "a0.txt") != cluster_of(an, "run riot", "a1.txt")


@pytest.mark.usefixtures("frequencies_apply")
def test_narration_read_as_a_speaker_names_no_one() -> None:
    arts = _filler(300) + [
        art(0, "“The agencies have let ultraclassification run riot, and the public pays for it,” the governor "
               "Karl Olsen said."),
        art(1, "One Olsen spokesman has called the situation “ultraclassification run riot.”"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "run riot", "a0.txt") == cluster_of(an, "run riot", "a1.txt")


def test_names_someone() -> None:
    assert quote_grouping.names_someone("Karl Olsen") and quote_grouping.names_someone("the Olsen campaign")
    assert not quote_grouping.names_someone("One Olsen spokesman has")
    assert not quote_grouping.names_someone(None) and not quote_grouping.names_someone("42")


@pytest.mark.usefixtures("frequencies_apply")
def test_a_phrase_too_common_for_a_coinage_is_no_rival_either() -> None:
    # "harbour ferry tolls": words in one statement of twenty, telling enough for a short quote of a
    # named speaker, too common for a coinage that joins without one
    others = [art(500 + i, "A poster on the pier read: “" + " ".join(_invented_word(900 + 9 * i + k) for k in range(4))
                  + " harbour ferry tolls " + " ".join(_invented_word(1300 + 9 * i + k) for k in range(5)) + ".”")
              for i in range(16)]
    arts = _filler(300) + others + [
        art(0, "“We will end the harbour ferry tolls before the winter comes, whatever the council says,” the "
               "mayor Karl Olsen said."),
        art(1, "Karl Olsen said: “Harbour ferry tolls.”"),
        art(2, "The sign at the pier read: “No harbour ferry tolls for the people of this town, not ever again.”"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "Harbour ferry tolls.", "a1.txt") == cluster_of(an, "before the winter", "a0.txt")


def test_a_rare_phrase_needs_a_corpus_to_count_frequencies() -> None:
    arts = [
        art(0, "The campaign accused the agencies of “ultraclassification run riot.”"),
        art(1, "One Olsen spokesman has called the situation “ultraclassification run riot.”"),
    ]
    an = analyse_quotes(arts)
    assert cluster_of(an, "run riot", "a0.txt") != cluster_of(an, "run riot", "a1.txt")


def test_a_new_grouping_version_groups_a_cached_corpus_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefreader.core import quote_cache

    arts = [art(0, JOINED)]
    before = quote_cache.analysis_digest(arts)
    monkeypatch.setattr(quote_cache, "GROUPING_VERSION", "grouping-test")
    assert quote_cache.analysis_digest(arts) != before
