"""Each cleaning pass alone, on Line records built for the test (text written for these tests, not
the seeds' wording): the split, phrase evidence, line rules, the article frame, sections, evidence,
growing furniture, the article run's outside, markup-only lines and the assembly."""

from __future__ import annotations

from briefreader.core import clean
from briefreader.core.clean import (
    FURNITURE,
    META,
    OUTSIDE_RUN,
    REPEATED_SENTENCE,
    REPEATED_SHORT,
    Frame,
    apply_evidence,
    apply_line_rules,
    assemble,
    cut_after,
    drop_outside_run,
    extend_sections,
    find_frame,
    furniture_neighbour,
    grow_furniture,
    headline_slot,
    mark_markup_only,
    match_rules,
    removed_blocks,
)
from briefreader.core.clean_lines import Line, add_phrase_evidence, fingerprint, line_fingerprints, split_lines
from briefreader.core.rules import Rule, load_rules

RULES = load_rules()

PROSE = [
    "The regional council approved the new budget on Monday after a long debate about school funding.",
    "Opposition members said the plan cut too deeply into programmes for rural districts and small towns.",
    "The budget now goes to the governor, who has ten days to sign it or send it back to the council.",
]


def _split(*rows: str) -> tuple[list[Line], list[int]]:
    lines = split_lines("\n".join(rows))
    return lines, [i for i, line in enumerate(lines) if line.norm]


def _prepared(*rows: str, repeated: frozenset[str] = frozenset()) -> tuple[list[Line], list[int]]:
    lines, content = _split(*rows)
    add_phrase_evidence(lines, RULES)
    match_rules(lines, content, RULES, repeated)
    return lines, content


def _rule(reason: str, weight: int) -> Rule:
    return Rule(id=f"test-{reason}", pattern="x", reason=reason, scope="phrase", weight=weight)


# ----------------------------------------------------------------------------- the split


def test_split_keeps_blank_lines_offsets_and_shape() -> None:
    source = "  Title here\n\nA short line.\n# Heading **bold**\n![img](pic.png)\n"
    lines = split_lines(source)
    assert [line.text for line in lines] == ["Title here", "", "A short line.", "# Heading **bold**", "![img](pic.png)"]
    for line in lines:
        assert source[line.start:line.end] == line.text
    assert lines[0].start == 2 and lines[0].words == 2 and not lines[0].sentence
    assert lines[2].sentence  # three words ending like a sentence
    assert lines[3].norm == "Heading bold"  # markup gone from the normalised text only
    assert lines[4].norm == "" and lines[4].text  # markup-only
    assert all(line.reason is None and line.score == 0 and line.rule is None for line in lines)


def test_fingerprints_of_a_text_and_of_its_split_agree_and_keep_no_state() -> None:
    first = "Humidity: 62%\n**Share**  this\u200b story .\n# Related coverage\n"  # markup, invisible, spaces
    second = "Totally different line\nAnother one here\n"
    split = split_lines(first)
    line_fingerprints(second)  # a text fingerprinted in between does not leak into the next call
    assert line_fingerprints(split) == line_fingerprints(first)
    assert line_fingerprints(first) != line_fingerprints(second)
    assert fingerprint("Humidity: 62%") == fingerprint("HUMIDITY: 48%")


# ----------------------------------------------------------------------------- evidence and rules


def test_phrase_evidence_counts_outside_quotes_and_notes_reported_speech() -> None:
    lines, _ = _split(
        "We use cookies to improve your experience. Accept all cookies",
        '"We use cookies to improve your experience," the minister said.',
        PROSE[0],
    )
    add_phrase_evidence(lines, RULES)
    assert lines[0].score > 0 and lines[0].top is not None and lines[0].top.weight > 0
    assert lines[1].reported  # reported speech counts against furniture
    assert lines[1].score < lines[0].score
    assert lines[2].score <= 0 and lines[2].top is None


def test_match_rules_sets_rules_and_adds_repeated_line_evidence() -> None:
    rows = ("Share on Facebook", "Subscribe for the morning briefing", PROSE[0])
    plain, content = _prepared(*rows)
    assert plain[0].rule is not None and plain[0].rule.reason == "share buttons"
    assert plain[2].rule is None
    repeated = frozenset(line_fingerprints("\n".join(rows[1:])))
    lines, _ = _prepared(*rows, repeated=repeated)
    assert not lines[0].repeated and lines[1].repeated and lines[2].repeated
    assert lines[1].score == plain[1].score + REPEATED_SHORT
    assert lines[2].score == plain[2].score + REPEATED_SENTENCE


# ----------------------------------------------------------------------------- the frame


def test_frame_spans_the_prose_lines_and_marks_them() -> None:
    lines, content = _prepared("Share on Facebook", PROSE[0], "Advertisement", PROSE[1], "Share on Facebook")
    frame = find_frame(lines, content, find_run=False)
    assert (frame.first, frame.last) == (1, 3) and not frame.trusted
    assert [i for i, line in enumerate(lines) if line.core] == [1, 3]
    assert frame.inside(2) and not frame.inside(4)


def test_frame_without_prose_takes_everything() -> None:
    lines, content = _prepared("Home", "World", "Sport")
    frame = find_frame(lines, content, find_run=False)
    assert (frame.first, frame.last) == (0, 2)
    assert not any(line.core for line in lines)


# ----------------------------------------------------------------------------- pass 1 and 2


def test_line_rules_remove_in_their_zone_and_report_sections() -> None:
    rows = (PROSE[0], "LONDON, March 4 (Reuters) -", PROSE[1], "Related articles", "Advertisement",
            "By Maria Lopez")
    lines, content = _prepared(*rows)
    frame = find_frame(lines, content, find_run=False)
    blocks, after_at = apply_line_rules(lines, content, RULES, frame)
    assert blocks == [3] and after_at is None
    assert lines[1].reason is None  # a dateline only in the page head
    assert lines[3].kind == FURNITURE and lines[4].reason == "advertisement"
    assert lines[5].kind == META and lines[5].reason == "byline"
    assert lines[0].reason is None and lines[2].reason is None


def test_a_url_in_a_list_the_article_gives_is_kept() -> None:
    lines, content = _prepared(PROSE[0], "https://example.com/news/a-story")
    frame = find_frame(lines, content, find_run=False)
    frame.rows_joined = (range(1, 2),)
    apply_line_rules(lines, content, RULES, frame)
    assert lines[1].reason is None and lines[1].rule is None


def test_a_section_runs_to_the_next_core_line() -> None:
    lines, content = _prepared(PROSE[0], "Related articles", "Mayor opens new bridge", "Storm hits coast",
                               PROSE[1])
    frame = find_frame(lines, content, find_run=False)
    blocks, _ = apply_line_rules(lines, content, RULES, frame)
    extend_sections(lines, frame, blocks)
    assert [line.reason for line in lines] == [None, "related articles", "related articles", "related articles",
                                               None]


def test_cut_after_takes_everything_below_including_metadata() -> None:
    lines, _ = _split(PROSE[0], "The end line", "", "By Maria Lopez", "More text")
    lines[1].reason, lines[1].kind = "end of article", FURNITURE
    lines[3].reason, lines[3].kind = "byline", META
    cut_after(lines, 1)
    assert [line.reason for line in lines] == [None, "end of article", None, "end of article", "end of article"]
    assert lines[3].kind == FURNITURE and lines[2].reason is None  # the blank line stays untouched
    cut_after(lines, None)  # no such line: nothing happens


# ----------------------------------------------------------------------------- pass 3 and 4


def test_headline_slot_is_the_last_kept_line_before_the_core() -> None:
    lines, content = _split("Menu", "Headline", "Gone", PROSE[0])
    lines[2].reason = "navigation"
    assert headline_slot(lines, content, 3) == 1
    assert headline_slot(lines, content, 0) == -1


def test_evidence_removes_by_strength_and_place() -> None:
    lines, content = _split("Short strong line", "Headline slot line", PROSE[0], "Overwhelming one", PROSE[1],
                            "Strong sentence outside the article core that nobody repeats at all here.")
    strong, overwhelming = _rule("strong", 3), _rule("overwhelming", 6)
    for i, rule in ((0, strong), (1, strong), (3, overwhelming), (5, strong)):
        lines[i].score, lines[i].top = rule.weight, rule
    frame = Frame(2, 4, headline_slot=1)
    apply_evidence(lines, content, frame)
    assert lines[0].reason == "strong"  # short, outside the core
    assert lines[1].reason is None  # the headline slot stays
    assert lines[3].reason == "overwhelming"  # inside, but overwhelming
    assert lines[5].reason is None  # a sentence outside needs the outlet to repeat it
    lines[5].repeated = True
    apply_evidence(lines, content, frame)
    assert lines[5].reason == "strong"


def test_furniture_grows_over_neighbours_with_enough_evidence() -> None:
    lines, content = _split(PROSE[0], "Advertisement", "Sponsored deal line", "Another weak line", PROSE[1])
    lines[1].reason, lines[1].kind = "advertisement", FURNITURE
    lines[2].score, lines[2].top = 4, _rule("promotion", 4)
    lines[3].score = 4  # no rule of its own: takes its neighbour's reason
    frame = Frame(0, 4)
    assert furniture_neighbour(lines, 2, content) == "advertisement"
    grow_furniture(lines, content, frame)
    assert lines[2].reason == "promotion" and lines[3].reason == "promotion"
    assert lines[0].reason is None and lines[4].reason is None


def test_reported_speech_never_joins_furniture() -> None:
    sentence = "The minister said the offer was still open to every member of the union this week."
    lines, content = _split("Advertisement", sentence)
    lines[0].reason, lines[0].kind = "advertisement", FURNITURE
    lines[1].score, lines[1].reported = 5, True
    grow_furniture(lines, content, Frame(0, 1))
    assert lines[1].reason is None


# ----------------------------------------------------------------------------- pass 5, markup, assembly


def test_outside_the_trusted_run_goes_but_the_headline_stays() -> None:
    lines, content = _split("Page Title - Outlet", "Menu entry", "Page Title", PROSE[0], PROSE[1], "Footer line")
    untrusted = Frame(3, 4, headline_slot=2)
    drop_outside_run(lines, content, untrusted)
    assert all(line.reason is None for line in lines)
    drop_outside_run(lines, content, Frame(3, 4, trusted=True, headline_slot=2, page_title=0))
    assert [line.reason for line in lines] == ["page title (repeated by the headline)", OUTSIDE_RUN, None, None,
                                               None, OUTSIDE_RUN]


def test_markup_only_lines_are_recorded() -> None:
    lines, _ = _split("![chart](chart.png)", "", PROSE[0])
    mark_markup_only(lines)
    assert [line.reason for line in lines] == ["image or markup", None, None]


def test_removed_blocks_merge_across_blank_lines_with_one_reason() -> None:
    source = "Ad one\n\nAd two\nKept line\nMenu"
    lines = split_lines(source)
    for i, reason in ((0, "advertisement"), (2, "advertisement"), (4, "navigation")):
        lines[i].reason = reason
    blocks = removed_blocks(source, lines)
    assert [(b.reason, b.text) for b in blocks] == [("advertisement", "Ad one\n\nAd two"), ("navigation", "Menu")]


def test_assemble_joins_a_line_broken_mid_sentence_and_maps_offsets() -> None:
    source = "The council said it would\nvote again next week.\n\nA second paragraph here."
    lines = split_lines(source)
    result = assemble(source, lines)
    assert result.body == "The council said it would vote again next week.\n\nA second paragraph here."
    for word in ("council", "vote", "second"):
        at = result.body.index(word)
        assert result.offsets.to_source(at) == source.index(word)
    assert result.removed == []


def test_clean_text_runs_the_passes_in_order_on_a_caller_split() -> None:
    source = "\n".join(["Share on Facebook", PROSE[0], "Advertisement", PROSE[1], PROSE[2]])
    lines = split_lines(source)
    result = clean.clean_text(source, RULES, lines=lines)
    assert result.body == "\n\n".join(PROSE)
    assert [line.reason for line in lines if line.reason] == ["share buttons", "advertisement"]
    assert line_fingerprints(lines) == line_fingerprints(source)


def test_a_very_long_text_pauses_the_cycle_collector_only_while_it_is_cleaned(monkeypatch) -> None:
    import gc

    seen: list[bool] = []
    real_assemble = clean.assemble

    def spying_assemble(source: str, lines: list[Line]) -> clean.CleanResult:
        seen.append(gc.isenabled())
        return real_assemble(source, lines)

    monkeypatch.setattr(clean, "assemble", spying_assemble)
    monkeypatch.setattr(clean, "PAUSE_COLLECTOR_LINES", 3)
    source = "\n".join(["Share on Facebook", PROSE[0], PROSE[1], PROSE[2]])
    assert gc.isenabled()
    result = clean.clean_text(source, RULES)
    assert seen == [False] and gc.isenabled()  # paused during the passes, back on after
    assert result.body == "\n\n".join(PROSE)
    clean.clean_text("short text", RULES)
    assert seen[-1] is True  # a short text leaves the collector alone
    gc.disable()
    try:
        clean.clean_text(source, RULES)
        assert not gc.isenabled()  # not turned on by a call that did not turn it off
    finally:
        gc.enable()
