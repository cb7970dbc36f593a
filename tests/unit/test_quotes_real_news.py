"""Quotes an analyst can trust on real news (issue 12), on small fictional articles of the same shape:
the right speaker (or none), the whole quotation as one rendering, groups that never mix statements,
misquotes flagged. Every name, outlet and sentence here is invented."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefreader.cli.main import main
from briefreader.core.diffing import classify_alteration
from briefreader.core.model import Article
from briefreader.core.quote_clusters import analyse_quotes
from briefreader.core.quotes import Quote, extract_quotes


def quotes(body: str) -> list[Quote]:
    found = extract_quotes("a.txt", body)
    for q in found:
        assert body[q.start : q.end] == q.text
    return found


def speaker_of(body: str, snippet: str) -> str | None:
    (q,) = [q for q in quotes(body) if snippet in q.text]
    return q.speaker


def art(i: int, body: str, outlet: str | None = None, date: str | None = None) -> Article:
    return Article(id=f"a{i}.txt", path=f"a{i}.txt", format="txt", body=body, outlet=outlet or f"Outlet {i}",
                   date=date, order=i)


# --- typography -------------------------------------------------------------------------------


def test_two_apostrophes_are_one_double_mark() -> None:
    body = ("Leonard T. Halvorsen runs the port. ''There is a lot of new paperwork for every ship,'' "
            "Mr. Halvorsen said on Monday.")
    found = quotes(body)
    assert [q.text for q in found] == ["There is a lot of new paperwork for every ship,"]
    assert found[0].open_mark == "''" and found[0].close_mark == "''"
    assert found[0].speaker == "Leonard T Halvorsen"


def test_single_quote_inside_two_apostrophes_stays_nested() -> None:
    body = "''She told me, 'keep the gates open,' and left,'' the guard Ivo Marsh said."
    outer = [q for q in quotes(body) if q.nested_in is None]
    assert len(outer) == 1 and outer[0].text.startswith("She told me") and outer[0].speaker == "Ivo Marsh"


# --- attribution ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("“The tolls will go up in spring,” Mr. Okafor said. Chidi Okafor runs the bridge authority.", "Chidi Okafor"),
        ("“The tolls will go up in spring,” said Sen. Marta Oyelaran.", "Marta Oyelaran"),
        ("“The tolls will go up in spring,” said Rep. Tomas Birkeland, a Democrat from Ohio.", "Tomas Birkeland"),
        ("Greta K. Vollan, the harbour adviser, said “the tolls will go up in spring.”", "Greta K Vollan"),
        ("“The tolls will go up in spring,” Greta Vollan told Harbour Radio's Ana Pike.", "Greta Vollan"),
        ("“The tolls will go up in spring,” Senate Majority Leader Ruth Amadi, R-Ky., said Tuesday.", "Ruth Amadi"),
        ("“The tolls will go up in spring,” said Rep. Elif Sandoval (D-Md.).", "Elif Sandoval"),
        ("Hugo Brandt, an economist at the port, said: “The tolls will go up in spring.”", "Hugo Brandt"),
        ("“The tolls will go up in spring,” Hugo Brandt, an economist and tax expert, said.", "Hugo Brandt"),
        ("Ana Pike, Harbour Radio: “The tolls will go up in spring.”", "Ana Pike"),
        ("“The tolls will go up in spring.” ― Carla Mendes.", "Carla Mendes"),
    ],
)
def test_titles_appositions_listeners_and_lead_ins(body: str, expected: str) -> None:
    assert speaker_of(body, "tolls") == expected


def test_partial_quote_in_narration_is_the_subjects_not_the_objects() -> None:
    body = ("Pia Lindqvist slammed the new rules on trade with Norland on Friday, saying the talks had "
            "“failed every family in the valley.”")
    assert speaker_of(body, "failed every family") == "Pia Lindqvist"


def test_a_place_after_a_preposition_is_not_the_speaker() -> None:
    body = ("Omar Haddad met diplomats in Geneva on Monday, noting that the accord goes "
            "“nowhere near far enough for the coast.”")
    assert speaker_of(body, "nowhere near") == "Omar Haddad"


@pytest.mark.parametrize(
    "lead",
    [
        "Mayor Rhea Castellan told reporters in Port Marrow:",
        "Mayor Rhea Castellan told reporters as she toured Port Marrow:",
        "Rhea Castellan said after visiting Port Marrow Town Hall:",
        "Rhea Castellan told the Marrow Ledger:",
        "Rhea Castellan said in a statement to the Marrow Ledger:",
        "Rhea Castellan told Tide Radio host Oskar Lunde:",
    ],
)
def test_a_name_said_or_told_lead_in_names_the_subject_not_a_place_or_listener(lead: str) -> None:
    body = f"{lead} \u201cThe ferry to the islands will run every day this winter.\u201d"
    assert speaker_of(body, "ferry to the islands") == "Rhea Castellan"


def test_a_colon_lead_in_with_a_place_keeps_the_statement_with_its_speaker() -> None:
    words = "\u201cThe ferry to the islands will run every day this winter, whatever the ministry decides,\u201d"
    arts = [
        art(0, f"{words} said Mayor Rhea Castellan in Port Marrow."),
        art(1, f"Mayor Rhea Castellan told reporters in Port Marrow: {words}"),
        art(2, f"Mayor Rhea Castellan told reporters after visiting Port Marrow: {words}"),
    ]
    groups = [c for c in analyse_quotes(arts).clusters if any("ferry" in v.text for v in c.variants)]
    assert len(groups) == 1 and len(groups[0].articles) == 3
    assert groups[0].speaker == "Rhea Castellan"


@pytest.mark.parametrize(
    ("body", "snippet", "expected"),
    [
        # a clause with a place after the subject: the state of "in City, State" never speaks
        ("Mayor Tomas Reyes, during a town hall meeting in Brookfield, Ohio, said he was \u201cgoing to "
         "reopen every clinic in the county by June,\u201d to applause.", "reopen every clinic", "Tomas Reyes"),
        # a "who" clause about the subject is skipped; its last capitalised word is not the speaker
        ("Mayor Dana Whitlock, who identifies as Lutheran, told the Brookfield Ledger that the plan was "
         "\u201cfair to every family on the east side.\u201d", "fair to every family", "Dana Whitlock"),
        # a possessive apostrophe does not end the clause before the verb
        ("Senator Ada Kilbride, delivering the doctors\u2019 statement, asked the crowd \u201cWho will staff "
         "the night shift when the clinic closes?\u201d", "Who will staff", "Ada Kilbride"),
        # "Additionally, Name said:" is the verb's subject, not a "Name, Outlet:" lead-in
        ("Tomas Reyes spoke last. Additionally, Reyes said: \u201cThe clinic budget was a mistake I will "
         "own.\u201d", "clinic budget", "Tomas Reyes"),
        # a dash and a name after a quotation inside narration is the writer's byline
        ("Mayor Tomas Reyes insisted that his council was \u201cstill the largest in the valley.\u201d--Ines Park.",
         "largest in the valley", "Tomas Reyes"),
    ],
)
def test_clauses_places_and_bylines_around_the_subject(body: str, snippet: str, expected: str) -> None:
    assert speaker_of(body, snippet) == expected


def test_a_sentence_after_a_quotation_that_ends_its_own_sentence_is_not_its_attribution() -> None:
    body = ("Senator Lena Farrow refused, responding that she is \u201cnot going to talk about my campaign.\u201d "
            "And Senator Ivo Marsh said he had not thought about it.")
    assert speaker_of(body, "not going to talk") in (None, "Lena Farrow")


def test_documents_and_organisations_are_sources_not_people() -> None:
    body = ("Mayor Lena Farrow opened the session. “Spending on roads doubled in two years,” the report said.")
    assert speaker_of(body, "Spending on roads") == "the report"
    body = ("Mayor Lena Farrow opened the session. “We expect a vote soon,” another Farrow spokesperson "
            "added Tuesday.")
    assert speaker_of(body, "expect a vote") == "another Farrow spokesperson"


def test_continuation_paragraph_after_a_long_attribution_goes_on_with_the_quotation() -> None:
    # news style (and PolNeAR's annotation): a paragraph that is only a quotation, after a paragraph
    # whose quotation ends with one attribution sentence, is the same speaker going on
    body = ("“The depot will close in June,” Rasmus Vik said at a meeting with the council on Monday.\n\n"
            "“The workers will be offered other jobs.”")
    first, second = quotes(body)
    assert first.utterance_id == second.utterance_id
    assert second.speaker == "Rasmus Vik"


def test_continuation_paragraph_after_more_narration_keeps_the_previous_speaker_as_uncertain() -> None:
    body = ("“The depot will close in June,” Rasmus Vik said. The council voted on Monday.\n\n"
            "“The workers will be offered other jobs.”")
    first, second = quotes(body)
    assert first.utterance_id != second.utterance_id
    assert second.speaker == "Rasmus Vik" and second.speaker_confidence < 0.6


def test_a_second_quotation_introduced_by_its_own_attribution_is_a_new_quotation() -> None:
    body = "Vik said, “The depot will close in June.” She added, “The workers will be offered other jobs.”"
    first, second = quotes(body)
    assert first.utterance_id != second.utterance_id


def test_interrupted_quotation_with_a_long_attribution_is_one_quotation() -> None:
    body = ("“The depot will close in June,” said Rasmus Vik, a 59-year-old engineer from Port Linden who "
            "has worked there since 1990. “The workers will be offered other jobs.”")
    first, second = quotes(body)
    assert first.utterance_id == second.utterance_id
    body = "“Will it close?” Vik asked. “Nobody here knows yet.”"
    first, second = quotes(body)
    assert first.utterance_id == second.utterance_id


def test_a_paragraph_that_only_goes_on_with_the_quotation_is_part_of_it() -> None:
    body = ("“The depot will close in June,” Rasmus Vik said.\n\n"
            "“The workers will be offered other jobs.”\n\n"
            "The council meets again in May.")
    first, second = quotes(body)
    assert first.utterance_id == second.utterance_id
    assert second.speaker == "Rasmus Vik" and second.speaker_confidence >= 0.6
    (cluster,) = analyse_quotes([art(0, body)]).clusters
    assert cluster.variants[0].text == "The depot will close in June, The workers will be offered other jobs."


def test_unknown_beats_the_most_mentioned_name() -> None:
    body = ("Rasmus Vik, Rasmus Vik's deputy and the Vik family own the depot. Vik bought it in 1990 and "
            "Vik expanded it in 2001.\n\nThe depot is busy. Trucks arrive daily and a sign reads "
            "“deliveries at the back gate only after six in the evening” in red letters.")
    assert speaker_of(body, "deliveries at the back") is None


def test_no_name_across_a_line_break_or_from_a_headline() -> None:
    body = ("Minister Vollan Slams Harbour Toll Plan\n"
            "Greta Vollan criticised the plan on Monday.\n\n"
            "“It is a tax on every fisherman,” she said.")
    assert speaker_of(body, "tax on every fisherman") == "Greta Vollan"


def test_wider_speech_verbs() -> None:
    for verb in ("gushed", "fumed", "exclaimed", "sighed", "interjected"):
        body = f"“What a season for the harbour this has been,” Nadia Brook {verb}."
        assert speaker_of(body, "What a season") == "Nadia Brook", verb


# --- whole quotations -------------------------------------------------------------------------


def test_a_quotation_of_two_sentences_is_one_rendering() -> None:
    arts = [art(0, "“That is not a review. That is a countdown,” the union leader Jonas Tiller said.")]
    an = analyse_quotes(arts)
    (cluster,) = an.clusters
    (v,) = cluster.variants
    assert v.text == "That is not a review. That is a countdown,"
    assert v.quote_text == v.text and (v.quote_start, v.quote_end) == (v.start, v.end)


def test_multi_paragraph_quotation_is_one_rendering() -> None:
    body = ("Jonas Tiller spoke at the gate.\n\n“The yard has lost four contracts this year.\n\n"
            "“If the fifth goes, the yard goes with it,” he said.")
    an = analyse_quotes([art(0, body)])
    (cluster,) = an.clusters
    (v,) = cluster.variants
    assert len(v.spans) == 2
    assert v.text.startswith("The yard has lost four contracts") and v.text.endswith("the yard goes with it,")
    assert "\n" not in v.text and "“" not in v.text


def test_paragraph_reattributed_after_an_attributed_one_is_a_new_rendering() -> None:
    # `“X,” Tiller said. “Y.¶“Z,” Tiller said. “W.”`: the quotation left open at the paragraph end goes
    # on, but the next paragraph attributes its own words again: a quotation of its own as printed
    body = ("“The yard is one kind of place,” Jonas Tiller said. “It welds ships for the navy.\n\n"
            "“There is another side to it,” Tiller said. “It builds ferries for the islands.”")
    an = analyse_quotes([art(0, body)])
    texts = sorted(v.text for c in an.clusters for v in c.variants)
    assert texts == ["The yard is one kind of place, It welds ships for the navy.",
                     "There is another side to it, It builds ferries for the islands."]


# --- grouping ---------------------------------------------------------------------------------


def test_same_words_from_different_known_speakers_are_different_statements() -> None:
    arts = [
        art(0, "“Thank you all very much for coming out tonight,” Mayor Lena Farrow said at the fair."),
        art(1, "“Thank you all very much for coming out tonight,” coach Ibrahim Sato said after the match."),
        art(2, "The crowd cheered. “Thank you all very much for coming out tonight.”"),
    ]
    an = analyse_quotes(arts)
    groups = [c for c in an.clusters if any("Thank you" in v.text for v in c.variants)]
    assert len(groups) == 2
    assert {c.speaker for c in groups} == {"Lena Farrow", "Ibrahim Sato"}
    assert all(len({(v.speaker or "") for v in c.variants if v.speaker}) <= 1 for c in groups)


def test_short_partials_never_chain_two_statements() -> None:
    arts = [
        art(0, "“Nadia Brook scares me, and the harbour board should say so,” the fisher Tom Reyes said."),
        art(1, "“Nadia Brook is not about that at all, she is about the boats,” her aide Lin Ortiz said."),
        art(2, "Someone in the crowd shouted “Nadia Brook” twice."),
    ]
    an = analyse_quotes(arts)
    reyes = next(c for c in an.clusters if any("scares me" in v.text for v in c.variants))
    assert not any("not about that" in v.text for v in reyes.variants)


def test_titles_and_slogans_in_title_case_are_labels() -> None:
    body = ("She appeared on “The Late Hour With Mira Stone” and signed copies of “Broken Harbour: How to "
            "Make the Coast Strong Again” before the rally chanted “Make The Coast Great Again.”")
    found = quotes(body)
    assert found and all(q.scare for q in found)


def test_stock_phrases_from_unknown_speakers_stay_apart() -> None:
    arts = [
        art(0, "The mayor promised “law and order” at the rally on Monday."),
        art(1, "Protesters mocked the call for “law and order” on Tuesday."),
    ]
    an = analyse_quotes(arts)
    assert all(len(c.articles) == 1 for c in an.clusters)


# --- misquotes --------------------------------------------------------------------------------


MISQUOTE_ORIGINAL = ("“We are calling for a full and permanent closure of the northern crossings until our "
                     "engineers can figure out what is going on,” Mayor Lena Farrow said.")


def test_changed_content_word_is_grouped_and_flagged_altered() -> None:
    arts = [
        art(0, MISQUOTE_ORIGINAL, date="2025-03-01"),
        art(1, "Farrow demanded “a full and permanent closure of the northern crossings.”", date="2025-03-02"),
        art(2, "Farrow had demanded “a full and permanent ban” on the crossings.", date="2025-03-09"),
    ]
    an = analyse_quotes(arts)
    cluster = next(c for c in an.clusters if any("full and permanent ban" in v.text for v in c.variants))
    assert len(cluster.articles) == 3 and cluster.altered
    by_article = {v.article: v.alteration for v in cluster.variants}
    assert by_article == {"a0.txt": "same", "a1.txt": "partial", "a2.txt": "altered"}


def test_words_added_to_a_transcript_are_flagged_altered() -> None:
    arts = [
        art(0, "“How often must we watch this happen? This is just unbearable. And it has to stop,” "
               "Mayor Lena Farrow said.", date="2025-03-01"),
        art(1, "“How often must we watch this happen? I mean, this is just unbearable, and it has to stop,” "
               "Farrow said.", date="2025-03-02"),
        art(2, "Farrow said: “This is just unbearable.”", date="2025-03-03"),
    ]
    an = analyse_quotes(arts)
    cluster = next(c for c in an.clusters if any(v.article == "a2.txt" for v in c.variants))
    assert len(cluster.articles) == 3
    by_article = {v.article: v.alteration for v in cluster.variants}
    assert by_article["a0.txt"] == "same" and by_article["a1.txt"] == "altered"
    assert by_article["a2.txt"] == "partial"


@pytest.mark.parametrize(
    ("rendering", "expected"),
    [
        ("We will rebuild the northern railway line before the end of next summer.", "same"),
        ("We'll rebuild the Northern railway line before the end of next summer", "trivial"),
        ("rebuild the northern railway line", "partial"),
        ("We will rebuild the southern railway line before the end of next summer.", "altered"),
        ("The government has promised trains in the north again at some point soon.", "paraphrased"),
    ],
)
def test_alteration_classes(rendering: str, expected: str) -> None:
    reference = "We will rebuild the northern railway line before the end of next summer."
    assert classify_alteration(reference, rendering) == expected


# --- the CLI ----------------------------------------------------------------------------------


def test_json_adds_confidence_alteration_and_the_whole_quotation(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_text(f"---\noutlet: Coast Daily\ndate: 2025-03-01\n---\n{MISQUOTE_ORIGINAL}\n",
                                   encoding="utf-8")
    (tmp_path / "b.md").write_text("---\noutlet: Valley Post\ndate: 2025-03-09\n---\n"
                                   "Farrow had demanded “a full and permanent ban” on the crossings.\n",
                                   encoding="utf-8")
    assert main(["quotes", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (cluster,) = [c for c in data["clusters"] if len(c["variants"]) > 1]
    assert cluster["altered"] is True and cluster["speaker"] == "Lena Farrow"
    assert 0 < cluster["speaker_confidence"] <= 1
    for v in cluster["variants"]:
        assert {"speaker_confidence", "alteration", "quote_text", "quote_start", "quote_end", "spans",
                "source_spans", "source_start", "source_end"} <= set(v)
    assert main(["quotes", str(tmp_path), "--json", "--altered"]) == 0
    only = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in only["clusters"]] == [cluster["id"]]


def test_table_marks_uncertain_speakers_and_altered_groups(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_text(f"---\noutlet: Coast Daily\ndate: 2025-03-01\n---\n{MISQUOTE_ORIGINAL}\n",
                                   encoding="utf-8")
    (tmp_path / "b.md").write_text("---\noutlet: Valley Post\ndate: 2025-03-09\n---\n"
                                   "Farrow had demanded “a full and permanent ban” on the crossings.\n",
                                   encoding="utf-8")
    (tmp_path / "c.md").write_text("---\noutlet: Valley Post\ndate: 2025-03-10\n---\n"
                                   "“The depot will close in June,” Rasmus Vik said. The council met on Monday."
                                   "\n\n“The workers will be offered other jobs.”\n",
                                   encoding="utf-8")
    assert main(["quotes", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ALTERED WORDS" in out and "altered" in out
    assert out.index("ALTERED WORDS") < out.index("Rasmus Vik")  # altered groups first
    assert "uncertain" in out


# --- the brief --------------------------------------------------------------------------------


def test_brief_marks_uncertain_speakers_and_altered_renderings(tmp_path: Path) -> None:
    from briefreader.core.export import build_brief, render_markdown
    from briefreader.core.snapshots import cluster_snapshot
    from briefreader.storage.triage_file import DB_NAME
    from briefreader.storage.triage_store import TriageStore

    arts = [
        art(0, MISQUOTE_ORIGINAL, outlet="Coast Daily", date="2025-03-01"),
        art(1, "Farrow had demanded “a full and permanent ban” on the crossings.", outlet="Valley Post",
            date="2025-03-09"),
        art(2, "“The depot will close in June,” Rasmus Vik said. The council met on Monday.\n\n"
               "“The workers will be offered other jobs.”",
            outlet="Valley Post", date="2025-03-10"),
        art(3, "Rasmus Vik spoke again.\n\n“The workers will be offered other jobs.”", outlet="Coast Daily",
            date="2025-03-11"),
    ]
    an = analyse_quotes(arts)
    altered = next(c for c in an.clusters if c.altered)
    uncertain = next(c for c in an.clusters if any("workers" in v.text for v in c.variants))
    assert uncertain.speaker == "Rasmus Vik" and uncertain.speaker_confidence < 0.6
    store = TriageStore(tmp_path / DB_NAME)
    try:
        for cluster in (altered, uncertain):
            store.choose_cluster(cluster_snapshot(cluster))
        md = render_markdown(build_brief(arts, store, group_by="quote"))
    finally:
        store.close()
    assert "Rasmus Vik (uncertain speaker)" in md
    assert "Lena Farrow (uncertain" not in md
    assert re.search(r"\((?:[a-z ]+, )*altered\)", md)  # the flag in words, readable as plain text


WIRE_MISQUOTE = ("The mayor spoke after the vote. “We are calling for a full and permanent ban of the northern "
                 "crossings until our engineers can figure out what is going on,” Mayor Lena Farrow said.")


def test_a_misquote_republished_by_several_outlets_is_altered_in_every_copy() -> None:
    # the original statement, then one wire story carrying a changed word, republished by three outlets:
    # a copy agreeing with another copy does not make it faithful to what was said
    arts = [art(0, MISQUOTE_ORIGINAL, outlet="Coast Daily", date="2025-03-01")]
    arts += [art(i, WIRE_MISQUOTE, outlet=f"Wire client {i}", date="2025-03-02") for i in (1, 2, 3)]
    (cluster,) = [c for c in analyse_quotes(arts).clusters if len(c.articles) > 1]
    classes = {v.article: v.alteration for v in cluster.variants}
    assert classes["a0.txt"] == "same"
    assert [classes[f"a{i}.txt"] for i in (1, 2, 3)] == ["altered"] * 3
    assert cluster.altered


def test_copies_count_as_one_rendering_and_the_original_statement_is_the_reference() -> None:
    # a wire story (03-02) with a changed word, and two copies of it whose metadata carries a wrong,
    # earlier date; told which articles are copies of which, the analysis judges against the earliest
    # independent rendering (the statement printed on 03-01), never against a copy
    arts = [art(0, MISQUOTE_ORIGINAL, outlet="Coast Daily", date="2025-03-01"),
            art(1, WIRE_MISQUOTE, outlet="Wire", date="2025-03-02")]
    arts += [art(i, WIRE_MISQUOTE, outlet=f"Wire client {i}", date="2025-02-20") for i in (2, 3)]
    originals = {"a2.txt": "a1.txt", "a3.txt": "a1.txt"}
    (blind,) = [c for c in analyse_quotes(arts).clusters if len(c.articles) > 1]
    assert {v.article: v.alteration for v in blind.variants}["a0.txt"] == "altered"  # judged against a copy
    analysis = analyse_quotes(arts, original_of=lambda a: originals.get(a, a))
    (cluster,) = [c for c in analysis.clusters if len(c.articles) > 1]
    classes = {v.article: v.alteration for v in cluster.variants}
    assert classes == {"a0.txt": "same", "a1.txt": "altered", "a2.txt": "altered", "a3.txt": "altered"}


def test_a_description_with_the_name_in_apposition_gives_the_name() -> None:
    body = ("The council met on Monday. “We are anxious about the crossings,” said another Harbour Radio "
            "listener, Ana Pike. “The odds are against a vote,” said the American envoy at the time, Jon E. Herbst.")
    assert speaker_of(body, "anxious") == "Ana Pike"
    assert speaker_of(body, "odds are against") == "Jon E Herbst"


def test_the_name_right_before_the_verb_speaks_after_a_place() -> None:
    body = ("Mayor Lena Farrow spoke in the morning.\n\n"
            "Later, in front of the rotary club at Harbour Grille, Farrow said the depot is “not ready to close.”\n\n"
            "A nurse in Port Linden, Maine, said the staff is “ready to wait.”")
    assert speaker_of(body, "not ready") == "Lena Farrow"
    assert speaker_of(body, "ready to wait") == "A nurse"  # a state set off by commas is not the speaker


def test_party_tags_and_objects_of_prepositions_do_not_hide_the_speaker() -> None:
    body = ("Mayor Lena Farrow spoke.\n\nWhile discussing a poster likened to the Star of Dover, Speaker of the "
            "Assembly Rep. Lena Farrow (D-ME) said “images like that have no place in a campaign.”")
    assert speaker_of(body, "no place") == "Lena Farrow"
    body = ("Rasmus Vik spoke.\n\nThe issue came up after Mr. Vik, asked about the harbour under Mr. Holm, "
            "had said, “our council does plenty of that too.”")
    assert speaker_of(body, "plenty of that") in ("Rasmus Vik", None)


def test_the_owner_in_a_possessive_is_not_the_sentence_subject() -> None:
    body = ("Ida Holm and Lena Farrow spoke.\n\nLena Farrow’s campaign manager Ida Holm said as much on Monday, "
            "arguing that the council “ignored the harbour for years.”")
    assert speaker_of(body, "ignored the harbour") == "Ida Holm"


def test_a_semicolon_ends_the_clause_a_short_quote_belongs_to() -> None:
    # a headline's "X calls Y '…'; Y calls X '…'": the second clause speaks its own quote, not the first
    body = ("Open feud: Farrow calls Holm ‘a fraud, a phony’; Holm calls Farrow ‘failed mayor’\n\n"
            "Mayor Lena Farrow launched a broadside against Ida Holm on Thursday.")
    assert speaker_of(body, "a fraud") == "Lena Farrow"
    assert speaker_of(body, "failed mayor") == "Ida Holm"


@pytest.mark.parametrize("verb", ["pushed back", "had written back to Holm at the time", "hit back", "asserts"])
def test_comebacks_and_present_tenses_attribute_a_quote(verb: str) -> None:
    body = (f"Lena Farrow met Ida Holm on Monday. Holm asked her about the report.\n\n"
            f"“This is a bunch of lies,” Farrow {verb}.")
    assert speaker_of(body, "bunch of lies") == "Lena Farrow"


@pytest.mark.parametrize("noun", ["boasts a long history", "maintains a website", "demands a response"])
def test_a_speech_verb_that_is_also_a_noun_after_a_title_is_no_attribution(noun: str) -> None:
    body = f"Lena Farrow spoke on Monday.\n\nThe “Stop the Bridge” group {noun}, Farrow said."
    assert speaker_of(body, "Stop the Bridge") in ("Lena Farrow", None)

def test_a_shared_surname_written_alone_first_is_the_one_most_named_in_full() -> None:
    # the narration's "Holt" long before his wife is named; he is named in full only inside quotations
    body = ("Holt attacked the harbour board on Monday. Holt has fought the board for years.\n\n"
            "His wife, Clara Holt, stayed away from the meeting.\n\n"
            "Critics called him “a man like Brian Holt, who never listens.” Another said: “Brian Holt is done.” "
            "A third added: “Nobody trusts Brian Holt.”\n\n"
            "Holt dismissed the critics as “cowards, every one of them.”")
    assert speaker_of(body, "cowards") == "Brian Holt"


def test_a_relative_named_more_often_is_not_the_surname_written_alone() -> None:
    body = ("Holt crossed the line first on Sunday.\n\nMara Holt, 24, trained for years. Her father, Brian Holt, "
            "coached her. Brian Holt watched from the stands, and Brian Holt cried.\n\n"
            "“I could not feel my legs,” Holt said.")
    assert speaker_of(body, "my legs") == "Mara Holt"


@pytest.mark.parametrize("thing", ["Brexit has cost his family dearly", "Christmas reminded him of his father",
                                   "The Meridale sailed at dawn. Meridale carried his crew"])
def test_a_word_written_alone_before_a_possessive_or_object_pronoun_is_no_person(thing: str) -> None:
    body = f"Oren Vask, the minister, spoke on Monday.\n\n{thing}.\n\n“We are tired,” he said."
    assert speaker_of(body, "We are tired") == "Oren Vask"


@pytest.mark.parametrize("body,speaker", [
    ("Mayor Lena Farrow was charged.\n\n“It is a political stunt,” said Farrow's campaign manager Ida Holm.",
     "Ida Holm"),
    ("Mayor Lena Farrow spoke.\n\nFarrow held up a letter from Governor Ida Holm that said “the ferry will never "
     "sail again,” and tore it in half.", "Ida Holm"),
    ("Mayor Lena Farrow spoke on Monday.\n\nOn Sunday, she welcomed Ida Holm's decision to call the plan "
     "“a disaster.”", "Ida Holm"),
])
def test_review_cases_of_owned_roles_letters_and_pronoun_subjects(body: str, speaker: str) -> None:
    assert speaker_of(body, "ferry" if "letter" in body else ("stunt" if "stunt" in body else "disaster")) == speaker


def test_an_owned_roles_words_go_to_the_next_sentences_person_only_if_she_speaks() -> None:
    lead = ("PORT LINDEN (Wire) - Mayor Lena Farrow’s former Harbour adviser urged councillors on Thursday not to "
            "promote “politically driven falsehoods” about the ferry contract.\n\n")
    answer = lead + "Ida Holm, the council leader, rejected the warning."
    assert speaker_of(answer, "falsehoods") == "Lena Farrow’s former Harbour adviser"


def test_an_abbreviation_before_two_spaces_and_a_lowercase_word_ends_no_sentence() -> None:
    body = ("Mayor Lena Farrow spoke on Monday.\n\nShe said she was grateful to Ida Holm for her support, including "
            "U.S.  military aid and gifts to Lindholm's Harbour Shield defence system.\n\n"
            "“I regret that some see my visit as political,” she said.")
    assert speaker_of(body, "I regret") == "Lena Farrow"


def test_a_name_written_only_after_the_is_no_person_a_pronoun_stands_for() -> None:
    body = ("A 17-year-old student was turned away at the airport last week, according to the Harbour Ledger.\n\n"
            "The student said he was questioned for hours, according to the Ledger.\n\n"
            "“I have no single post discussing politics,” he added.")
    assert speaker_of(body, "no single post") in (None, "The student")


def test_a_pronoun_subject_speaks_a_partial_quote_in_narration_not_its_object() -> None:
    body = ("Mayor Lena Farrow spoke on Monday.\n\nFarrow said last year that the ferry plan had “crossed a lot of "
            "lines.” On Sunday, she blamed her predecessor, former Mayor Ida Holm, for not ending “the harbour "
            "disaster.”")
    assert speaker_of(body, "harbour disaster") == "Lena Farrow"


def test_the_owner_of_a_role_that_is_the_subject_does_not_speak() -> None:
    lead = ("PORT LINDEN (Wire) - Mayor Lena Farrow’s former Harbour adviser urged councillors on Thursday not to "
            "promote “politically driven falsehoods” about the ferry contract.\n\n")
    assert speaker_of(lead + "Ida Holm spoke on the last day of the hearings.", "falsehoods") == "Ida Holm"
    assert speaker_of(lead + "The hearings ended on Friday.", "falsehoods") == "Lena Farrow’s former Harbour adviser"


def test_a_reported_clause_whose_subject_feels_the_quote_is_that_subjects() -> None:
    body = ("Bishop Tomas Varga resigned on Monday.\n\nOn the morning show, Ida Holm told host Bo Lind that Varga "
            "apparently feels that in these times “strength of mind and body are necessary” to lead the diocese.")
    assert speaker_of(body, "strength of mind") == "Tomas Varga"


@pytest.mark.parametrize(("opening", "writer"), [("Jo Bayer also laid", "Jo Bayer"), ("Officers found", "a note")])
def test_a_quote_a_note_says_is_its_writers_not_the_reporters(opening: str, writer: str) -> None:
    body = ("Sheriff Cal Ortiz spoke on Monday.\n\n"
            f"{opening} a note on the body of officer Ida Holm, 31, that said “this is the beginning of the end,” "
            "Ortiz said.")
    assert speaker_of(body, "beginning of the end") == writer


def test_a_surname_only_written_alone_that_a_pronoun_goes_on_from_is_a_person() -> None:
    # "Holm" is never written with a given name or title: still the person "he" stands for, not Varga
    body = ("The draft bill was written with help from the late Sen. Tomas Varga, who fought for it for a decade.\n\n"
            "In his first term, Holm often deferred to the council. But two weeks ago in Port Linden, while outlining "
            "his plans, Holm made clear that he would not wait too long for the council.\n\n"
            "“If the council is unable to move, I will send up a bill of my own,” he said.")
    assert speaker_of(body, "unable to move") == "Holm"
    # a place or a trip's destination is no such person
    body = ("Gov. Tomas Varga flew out on Monday.\n\nThe trip to Lindholm was overshadowed after he was quoted in "
            "Lindholm as saying parents “need some measure of choice.”")
    assert speaker_of(body, "measure of choice") in (None, "Tomas Varga")  # never the place


def test_an_abbreviation_before_a_lowercase_word_ends_no_sentence_for_its_subject() -> None:
    # "U.S. military aid": the sentence goes on, its subject is still "She", not a thing named after it
    body = ("Mayor Lena Farrow spoke on Monday.\n\nShe said she was grateful to Ida Holm for her support, including "
            "U.S. military aid and gifts to Lindholm's Harbour Shield defence system.\n\n"
            "“I regret that some see my visit as political,” she said.")
    assert speaker_of(body, "I regret") == "Lena Farrow"


def test_a_titled_name_after_a_preposition_is_no_sentence_subject() -> None:
    body = ("Two years after calling for an inquiry against President Bo Lind, and a month after leaving the party, "
            "Rep. Cal Ortiz of Lindholm has decided to run.\n\n\"Voters are ready for a change,\" the congressman "
            "said.")
    assert speaker_of(body, "Voters are ready") == "Cal Ortiz"


@pytest.mark.parametrize("source", ["Farrow's lawyer", "Farrow's office"])
def test_according_to_an_owned_role_is_that_role_not_its_owner(source: str) -> None:
    body = f"Mayor Lena Farrow was charged on Monday.\n\nThe charges are “a political stunt,” according to {source}."
    assert speaker_of(body, "political stunt") == source


WIRE_STORY = ("PORT LINDEN — Mayor Lena Farrow on Monday demanded that the northern crossings stay shut after "
              "inspectors found cracks in two of the three spans, a decision that will force thousands of commuters "
              "onto the coast road for the rest of the season. “We are calling for a full and permanent ban of the "
              "northern crossings until our engineers can figure out what is going on,” Mayor Lena Farrow said. The "
              "regional transport office said buses would run every ten minutes from the harbour to the station, and "
              "that ferries would add two evening sailings. Traders in the old town said they feared losing the "
              "summer trade. The council will vote on a repair budget next month; the last repair of the spans, in "
              "2009, took eleven months and cost the town twice the estimate, according to council records.")


def test_quotes_json_flags_every_wire_copy_of_a_misquote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_text(f"---\noutlet: Coast Daily\ndate: 2025-03-01\n---\n{MISQUOTE_ORIGINAL}\n",
                                   encoding="utf-8")
    for i, outlet in enumerate(["Wire Service", "Valley Post", "Harbour Times"]):
        (tmp_path / f"w{i}.md").write_text(f"---\noutlet: {outlet}\ndate: 2025-03-0{2 + i}\n---\n{WIRE_STORY}\n",
                                           encoding="utf-8")
    assert main(["quotes", str(tmp_path), "--json", "--no-cache"]) == 0
    (cluster,) = json.loads(capsys.readouterr().out)["clusters"]
    classes = {v["article"]: (v["alteration"], v["copy_of"]) for v in cluster["variants"]}
    assert classes["a.md"] == ("same", None)
    assert [classes[f"w{i}.md"][0] for i in range(3)] == ["altered"] * 3
    assert cluster["altered"] and cluster["independent_articles"] == 2
    assert "permanent closure" in cluster["canonical"]  # three copies of the misquote do not outvote the statement
