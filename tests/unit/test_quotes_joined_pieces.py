"""One rendering per quotation as the outlet printed it (issue 12): partial quotes inside ONE narrated
sentence, and a quotation cut only by its attribution, are one utterance (one rendering whose pieces
keep their own offsets); quotes that are separate statements stay apart. Every name and sentence
here is invented."""

from __future__ import annotations

from briefreader.core.quote_grouping import PIECE_GAP, quotation_pieces, rendering_text
from briefreader.core.quotes import Quote, _share_speakers, extract_quotes


def quotes(body: str) -> list[Quote]:
    found = extract_quotes("a.txt", body)
    for q in found:
        assert body[q.start : q.end] == q.text
    return found


def renderings(body: str) -> list[list[str]]:
    """The pieces' texts of each rendering of ``body``."""
    return [[q.text for q in pieces] for pieces in quotation_pieces(quotes(body))]


# --- partial quotes of one narrated sentence: one rendering --------------------------------------


def test_two_partial_quotes_joined_by_and_are_one_rendering() -> None:
    body = ('Mayor Ilse Brandt called the ferry contract "a waste of harbour money" and "the worst deal '
            'this council has ever signed."')
    assert renderings(body) == [["a waste of harbour money", "the worst deal this council has ever signed."]]
    assert {q.speaker for q in quotes(body)} == {"Ilse Brandt"}


def test_partial_quotes_around_because_are_one_rendering() -> None:
    body = ('Coach Remy Dahl says the league "has lost its nerve" because "nobody wants to fine the big '
            'clubs any more."')
    assert len(renderings(body)) == 1


def test_a_second_predicate_between_partial_quotes_starts_a_second_statement() -> None:
    # `called the deal "a terrible deal" and ranked her among the worst 20 CEOs "in the history of
    # business"`: the second verb has its own object; two statements, two renderings
    body = ('Ilse Brandt called the merger "a costly mistake" and ranked the board among the worst '
            '"in the history of the harbour."')
    assert renderings(body) == [["a costly mistake"], ["in the history of the harbour."]]
    body = ('Remy Dahl called it "a season to forget" and likened the club to a ship whose crew must '
            '"stand up and be counted."')
    assert len(renderings(body)) == 2


def test_pieces_keep_their_own_offsets() -> None:
    body = 'Ilse Brandt said the plan was "too slow by half" and, worse, "far too costly for the town."'
    (pieces,) = quotation_pieces(quotes(body))
    assert [body[q.start : q.end] for q in pieces] == ["too slow by half", "far too costly for the town."]


def test_second_speech_verb_between_partials_starts_a_new_statement() -> None:
    body = ('Ilse Brandt said the plan was "far too slow for the town" and later warned that the vote '
            '"will split the council for years."')
    assert len(renderings(body)) == 2


def test_adding_that_between_partials_starts_a_new_statement() -> None:
    body = ('"The ferry will run on Sundays again," Ilse Brandt said, adding that the council "will pay '
            'for the extra crews itself."')
    assert len(renderings(body)) == 2


def test_partials_in_two_narrated_sentences_stay_apart() -> None:
    body = ('Ilse Brandt called the plan "far too slow for the town." Her rival thought it '
            '"a sensible first step for everyone."')
    assert len(renderings(body)) == 2


def test_partial_quote_ending_its_own_sentence_is_not_joined() -> None:
    # the first quotation's own stop ends the narrated sentence, though no stop follows the mark
    body = 'The sign said "Closed until the floods are gone." and then "Open again on Monday morning" later.'
    assert len(renderings(body)) == 2


def test_partials_of_two_different_speakers_stay_apart() -> None:
    body = ('Ilse Brandt wants "a ferry every hour for the island" while Remy Dahl wants "a bridge '
            'built within ten years."')
    assert len(renderings(body)) == 2


def test_rendering_text_marks_the_narration_left_out() -> None:
    body = ('Mayor Ilse Brandt called the ferry contract "a waste of harbour money" and "the worst deal '
            'this council has ever signed."')
    (pieces,) = quotation_pieces(quotes(body))
    assert rendering_text(pieces) == f"a waste of harbour money{PIECE_GAP}the worst deal this council has ever signed."


def test_interrupted_quotation_text_keeps_its_comma_and_no_gap_mark() -> None:
    body = '"The ferry will run again," Ilse Brandt said. "We found the money."'
    (pieces,) = quotation_pieces(quotes(body))
    assert rendering_text(pieces) == "The ferry will run again, We found the money."


# --- short pieces: scare quotes for their length alone ----------------------------------------


def test_short_quotes_in_a_list_of_partials_join_the_longer_one() -> None:
    body = ('Ilse Brandt called her rival a "serial fibber," a "bully" and "the worst harbour master '
            'this town has ever had."')
    (pieces,) = quotation_pieces(quotes(body))
    assert [q.text for q in pieces] == ["serial fibber,", "bully", "the worst harbour master this town has ever had."]
    assert not any(q.scare for q in pieces)


def test_short_quotes_alone_stay_scare_quotes() -> None:
    # nobody named uses the words: the writer's (or a crowd's) labels
    body = 'Critics called her rival a "serial fibber" and a "bully" at the meeting.'
    found = quotes(body)
    assert all(q.scare for q in found)
    assert len({q.utterance_id for q in found}) == 2
    assert quotation_pieces(found) == []


def test_short_quotes_a_named_person_calls_someone_are_one_partial_quotation() -> None:
    # `Trump called the senator a "nasty guy," an "anchor baby," "unstable" and "sick."` (PolNeAR
    # annotates such runs as the named person's quotation)
    body = 'Ilse Brandt called her rival a "serial fibber" and a "bully" at the meeting.'
    found = quotes(body)
    assert not any(q.scare for q in found)
    (pieces,) = quotation_pieces(found)
    assert [q.text for q in pieces] == ["serial fibber", "bully"]
    assert {q.speaker for q in pieces} == {"Ilse Brandt"}


def test_so_called_label_does_not_join_a_partial() -> None:
    body = 'The so-called "harbour deal" was "a waste of everybody\'s money," Ilse Brandt said.'
    found = quotes(body)
    assert found[0].scare and not found[1].scare
    assert len({q.utterance_id for q in found}) == 2


# --- a quotation interrupted by its attribution -----------------------------------------------


def test_and_after_the_attribution_goes_on_with_the_same_sentence() -> None:
    body = '"The ferry must run every hour," Ilse Brandt said, and "every single day of the year."'
    (pieces,) = quotation_pieces(quotes(body))
    assert len(pieces) == 2
    assert {q.speaker for q in pieces} == {"Ilse Brandt"}


def test_and_then_a_second_speech_verb_is_a_new_statement() -> None:
    body = ('"The ferry must run every hour," Ilse Brandt said, and promised that the town "will pay '
            'for every extra crossing."')
    assert len(quotation_pieces(quotes(body))) == 2


def test_very_long_apposition_before_the_verb_keeps_one_quotation() -> None:
    body = ('"The harbour was never this busy," Ida Marsh, director of operations at the North Quay port '
            'authority and a former adviser to the regional transport minister, said of the season. '
            '"We turn ships away every week."')
    assert len(quotation_pieces(quotes(body))) == 1


# --- a quotation opening on an elision --------------------------------------------------------


def test_spaced_ellipsis_after_an_opening_mark_opens() -> None:
    body = 'As the Gazette reported, \u201c \u2026 if the vote were held tonight, the mayor would lose it.\u201d'
    (q,) = quotes(body)
    assert q.text.endswith("the mayor would lose it.") and not q.unclosed


def test_right_mark_opening_a_paragraph_on_an_ellipsis() -> None:
    body = 'Ida Marsh wrote later.\n\n\u201d \u2026 the harbour was never this busy before,\u201d Ida Marsh wrote.'
    found = quotes(body)
    assert [q.text for q in found] == ["\u2026 the harbour was never this busy before,"]
    assert found[0].speaker == "Ida Marsh"


def test_stating_between_partials_starts_a_new_statement() -> None:
    body = ('Ilse Brandt said the ferry stands for "harbour town values," stating at the meeting that '
            'they mean "a boat every hour and a fair fare for all."')
    assert len(quotation_pieces(quotes(body))) == 2


# --- one speaker per utterance, unknown beats wrong --------------------------------------------


def _piece(index: int, speaker: str | None, confidence: float) -> Quote:
    return Quote(article_id="a.txt", index=index, start=index * 10, end=index * 10 + 5, text="words",
                 open_mark='"', close_mark='"', utterance_id="a.txt#u1", speaker=speaker,
                 speaker_confidence=confidence)


def test_a_confident_speaker_is_shared_with_the_unknown_pieces() -> None:
    pieces = [_piece(0, None, 0.0), _piece(1, "Ilse Brandt", 0.9)]
    _share_speakers(pieces)
    assert [q.speaker for q in pieces] == ["Ilse Brandt", "Ilse Brandt"]


def test_abbreviation_inside_the_attribution_ends_no_sentence() -> None:
    body = ('"The port is full," said Jo Bayer, who was the chief of staff to Leon E. Panetta, then the '
            'C.I.A. director. "We turn ships away every week."')
    assert len(quotation_pieces(quotes(body))) == 1


def test_attribution_right_after_a_quotation_that_lost_its_comma() -> None:
    body = '"The port is full" Jo Bayer said after a meeting in Dover on Monday. "We turn ships away every week."'
    assert len(quotation_pieces(quotes(body))) == 1


def test_partial_quote_in_narration_without_comma_stays_apart() -> None:
    body = ('The mayor said the port was "full to the brim" during the summer, Jo Bayer said. '
            '"We turn ships away every week."')
    assert len(quotation_pieces(quotes(body))) == 2


def test_long_attribution_then_a_lowercase_half_goes_on_with_the_sentence() -> None:
    body = ('"The port used to be a fishing town," said Jo Bayer, director of harbour studies at the Royal '
            'Maritime Institute in the old town of Dover, "but it is turning into a container hub."')
    assert len(quotation_pieces(quotes(body))) == 1


def test_capitalised_state_name_is_no_second_cue() -> None:
    body = ('Ilse Brandt said that "this cannot be a harbour fight" and that the United States should not '
            'pay for "the bulk of the new quay."')
    assert len(quotation_pieces(quotes(body))) == 1


def test_short_quote_ending_a_sentence_does_not_join_the_next_quotation() -> None:
    body = ('Ilse Brandt said the town has the "power" to act. "The council will build the new quay before '
            'the winter," the mayor said.')
    found = quotes(body)
    assert found[0].speaker == "Ilse Brandt"  # a short quote of her reported speech: her word
    assert found[0].utterance_id != found[1].utterance_id
    assert [[q.text for q in pieces] for pieces in quotation_pieces(found)] == [
        ["power"], ["The council will build the new quay before the winter,"]]


def test_a_clause_with_its_own_pronoun_subject_separates_the_partials() -> None:
    body = ('After saying the quay was "far too short for the new ferries," she was "whisked off to the '
            'council chamber" for a vote.')
    assert len(quotation_pieces(quotes(body))) == 2
