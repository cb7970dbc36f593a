"""Cleaning: normalise an article's text and drop page furniture, keeping what was removed and why,
and a map from every character of the cleaned body back to the source.

How a line is judged (the wording lives in briefreader/core/rules/default.yaml, not here):

1. Line rules (`scope: line|block|after`) match a *whole* line: weather and clock widgets, menu words,
   share buttons, section tags, copyright lines, datelines, date lines, bylines... Their shapes are
   narrow enough that a real sentence does not match them.
2. Phrase rules (`scope: phrase`) add evidence (a weight, possibly negative) to a line when their
   wording occurs outside quoted speech. Reported speech ("said", "told") counts against furniture.
3. The article core runs from the first to the last sentence-shaped line with no furniture evidence.
   A line with evidence is dropped when the evidence is overwhelming (wording only furniture uses),
   or when context agrees: a short line in the page header/footer, a sentence there that the outlet
   repeats or that sits in a run of furniture, a line inside the article glued to furniture.
   Reported speech, the headline slot, and a sentence that merely mentions cookies or the weather
   stay.
4. Lines repeated across many articles of the same outlet (see `repeated_lines`) add evidence.
5. A page copied as plain text (menus, section lists, related links as plain lines) is recognised by
   its short lines no rule explains; then the article is the densest run of prose lines (see
   `briefreader.core.prose`, weights in rules/prose.yaml), anchored below the line that repeats the
   page title. Lines outside the run go ("page furniture (outside the article text)"), except the
   headline, a list the article introduces with a colon and a table or dated list right below it;
   lists of Title Case links inside the run go too. Without such a page around it (a plain
   article), nothing is removed for where it stands.

6. Before any of that, widgets glued *inside* a line's sentences (a person's hover card, a photo
   credit; see `briefreader.core.clean_inline`) are cut from the line, so every pass sees the line
   without them; each cut is a removed block ("inline widget: ...") and the offset map skips it.

The code: ``split_lines`` makes one ``Line`` record per line (``clean_lines``); ``clean_text`` runs
the passes below over those records in order, each a function that can be called and tested alone:
``cut_inline_widgets``, ``add_phrase_evidence``, ``match_rules``, ``find_frame`` (with ``clean_run`` for pages copied as
text), ``apply_line_rules``, ``extend_sections``, ``cut_after``, ``place_headline``,
``apply_evidence``, ``grow_furniture``, ``drop_outside_run``, ``mark_markup_only``, ``assemble``.
No state is kept between calls except pure memo caches (rule verdicts, fingerprints).
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from briefreader.core.clean_inline import apply_cuts, find_widgets, is_inline_reason, may_hold_widget
from briefreader.core.clean_lines import (
    CACHE_LINE,
    DELETE,
    Line,
    add_phrase_evidence,
    fingerprint,
    line_fingerprints,
    line_shape,
    match_line_rule,
    normalise_line,
    repeated_lines,
    split_lines,
)
from briefreader.core.clean_run import (
    TERMINAL,
    anchor_headline,
    article_run,
    data_rows_start,
    introduced_list_end,
    link_lists,
    numbered_list_end,
)
from briefreader.core.model import OffsetMap, RemovedBlock
from briefreader.core.rules import CleaningRules, Rule, load_rules

__all__ = ["CleanResult", "CleaningRules", "Line", "load_rules", "line_fingerprints", "repeated_lines",
           "split_lines", "clean_text", "normalise_line", "explain"]

# Decision thresholds on a line's furniture evidence (sum of phrase-rule weights).
OVERWHELMING = 6  # dropped wherever it is
STRONG = 3  # dropped outside the article core, or a short line anywhere
BLOCK_INSIDE = 4  # dropped inside the core when next to other furniture
BLOCK_OUTSIDE = 2  # a short line dropped outside the core when next to other furniture
BLOCK_SENTENCE = 5  # ... and a sentence (one topical phrase is not enough: it may be news)
REPEATED_SHORT = 3  # evidence added to a short line repeated across the outlet's articles
REPEATED_SENTENCE = 1  # ... and to a sentence (background paragraphs repeat too: keep it weak)

META = "meta"  # a removed line's kind: metadata (dateline, byline, date...), transparent to blocks
FURNITURE = "furniture"
OUTSIDE_RUN = "page furniture (outside the article text)"
LINK_LIST = "links inside the article text"
_SECTION_END_WORDS = 12  # a prose line this long inside the article run ends a furniture section


@dataclass(slots=True)
class CleanResult:
    """The cleaned body, its map back to the source, and every removed block with its reason."""

    body: str
    offsets: OffsetMap
    removed: list[RemovedBlock] = field(default_factory=list)


@dataclass(slots=True)
class Frame:
    """Where the article lies among the lines: the bounds of its core (``first``..``last``, line
    indices), the prose run of a page copied as text when one is trusted, and the headline slot."""

    first: int
    last: int
    trusted: bool = False  # a prose run with page furniture around it was found
    prose_z: dict[int, float] = field(default_factory=dict)  # prose score of the lines no rule took
    rows_joined: tuple[range, ...] = ()  # lists and tables the run grew over (the article's own)
    headline_slot: int = -1
    page_title: int = -1

    def inside(self, i: int) -> bool:
        """Whether line ``i`` lies within the article core."""
        return self.first <= i <= self.last

    def joined(self, i: int) -> bool:
        """Whether line ``i`` belongs to a list or table the article run grew over."""
        return any(i in rows for rows in self.rows_joined)


_UNSEEN: Any = object()  # a line the rule cache has no verdict for


def cut_inline_widgets(lines: Sequence[Line]) -> None:
    """Pass 0: cut the widgets glued inside a line's sentences (a person's hover card, a photo
    credit: see ``briefreader.core.clean_inline``) before any line is judged, so every pass, the fingerprints
    and the body see the line without them. The line keeps its cuts and the pieces of its text
    that make its new ``norm`` (``assemble`` maps them back to the source)."""
    for line in lines:
        if not line.norm or not may_hold_widget(line.text):
            continue
        cuts = find_widgets(line.text)
        if not cuts:
            continue
        line.norm, line.pieces = apply_cuts(line.text, cuts)
        line.cuts = tuple(cuts)
        line.words, line.sentence = line_shape(line.norm)


def match_rules(lines: Sequence[Line], content: list[int], rules: CleaningRules,
                repeated: frozenset[str] = frozenset()) -> None:
    """Set each content line's whole-line ``rule``, and mark the lines the outlet repeats (see
    ``repeated_lines``), adding their repeated-line evidence to ``score``."""
    cache = rules.line_cache  # read here once: one call fewer per line on the common path
    for i in content:
        line = lines[i]
        norm = line.norm
        rule = cache.get(norm, _UNSEEN) if len(norm) <= CACHE_LINE else _UNSEEN
        line.rule = match_line_rule(rules, norm, line.words, line.sentence) if rule is _UNSEEN else rule
        if repeated:
            made = fingerprint(line.norm)
            if made is not None and made in repeated:
                line.repeated = True
                line.score += REPEATED_SENTENCE if line.sentence else REPEATED_SHORT


def find_frame(lines: Sequence[Line], content: list[int], find_run: bool = True) -> Frame:
    """The article core: from the first to the last sentence-shaped line with no furniture
    evidence or line rule (everything when there is none); in a page copied as text, the trusted
    prose run instead, grown over the lists and tables the article gives. Marks the core lines."""
    core = [i for i in content if lines[i].sentence and lines[i].score <= 0 and lines[i].rule is None]
    # nothing looks like plain article prose: be conservative, treat everything as inside
    frame = Frame(core[0], core[-1]) if core else Frame(0, len(lines) - 1)
    run, frame.prose_z = article_run(lines, content) if find_run else (None, {})
    if run is not None and run.trusted:
        frame.trusted = True
        prose_first, prose_last = run.first, run.last
        run.last = introduced_list_end(lines, content, run.last)
        run.last = numbered_list_end(lines, content, run.last)
        run.first = data_rows_start(lines, content, run.first)
        # the lists and tables the run grew over are the article's own: no link-list pass there
        frame.rows_joined = (range(run.first, prose_first), range(prose_last + 1, run.last + 1))
        frame.first, frame.last = run.first, run.last
        core = [i for i in core if frame.inside(i)] or [frame.first]
    for i in core:
        lines[i].core = True
    return frame


def _zone_ok(rule: Rule, i: int, frame: Frame) -> bool:
    if rule.zone == "any":
        return True
    if rule.zone == "head":
        return i < frame.first
    return not frame.inside(i)  # edges


def _rule_in_zone(line: Line, i: int, rules: CleaningRules, frame: Frame) -> Rule | None:
    """The line's rule, or the next rule that matches it where it stands: e.g. a capitalised
    crosshead in the middle of the article, or an agency credit at its end, is not a dateline."""
    rule = line.rule
    while rule is not None and not _zone_ok(rule, i, frame):
        rule = rules.match_line(line.norm, line.words, line.sentence, start=rules.line_rules.index(rule) + 1)
    return rule


def apply_line_rules(lines: Sequence[Line], content: list[int], rules: CleaningRules,
                     frame: Frame) -> tuple[list[int], int | None]:
    """Pass 1: remove the lines a whole-line rule takes where it stands. Returns the lines that
    open a section (``scope: block``) and the first line below the core after which everything
    goes (``scope: after``), if any."""
    blocks: list[int] = []
    after_at: int | None = None
    for i in content:
        line = lines[i]
        rule: Rule | None = line.rule
        if rule is None:
            continue
        if rule.zone != "any":
            rule = line.rule = _rule_in_zone(line, i, rules, frame)
            if rule is None:
                continue
        if rule.field == "url" and frame.joined(i):
            line.rule = None
            continue  # the link of an item in a list the article gives, not the article's address
        line.reason = rule.reason
        line.kind = META if rule.field else FURNITURE
        if rule.scope == "block":
            blocks.append(i)
        elif rule.scope == "after" and i > frame.first and after_at is None:
            after_at = i
    return blocks, after_at


def _section_ended(line: Line, j: int, frame: Frame) -> bool:
    """Article prose below a newsletter box or related list: the section ended."""
    return (frame.trusted and frame.inside(j) and frame.prose_z.get(j, 0.0) > 0
            and line.words >= _SECTION_END_WORDS and line.score < STRONG)


def extend_sections(lines: Sequence[Line], frame: Frame, blocks: list[int]) -> None:
    """Pass 2: a section opened by a heading ("Newsletter", "Related articles", "Privacy
    Overview") runs down to the next core line, article prose, the next section or, in the page
    header, a line that may be the headline."""
    for b in blocks:
        for j in range(b + 1, len(lines)):
            line = lines[j]
            if not line.norm:
                continue
            if line.core or _section_ended(line, j, frame):
                break
            if line.reason is not None:
                if line.rule is not None and line.rule.scope == "block":
                    break  # the next section starts
                continue
            if j < frame.first and line.score <= 0 and not line.sentence:
                break  # in the page header, keep what may be the headline
            own = line.top
            line.reason = own.reason if own is not None and own.weight >= STRONG else lines[b].reason
            line.kind = FURNITURE


def cut_after(lines: Sequence[Line], after_at: int | None) -> None:
    """Pass 2b: everything below a line that ends the article (``scope: after``) goes, metadata
    lines included."""
    if after_at is None:
        return
    for line in lines[after_at + 1:]:
        if line.norm and (line.reason is None or line.kind == META):
            line.reason, line.kind = lines[after_at].reason, FURNITURE


def headline_slot(lines: Sequence[Line], content: list[int], first_core: int) -> int:
    """Index of the last line before the article core that is still kept: where a headline sits."""
    slot = -1
    for i in content:
        if i >= first_core:
            break
        if lines[i].reason is None:
            slot = i
    return slot


def place_headline(lines: Sequence[Line], content: list[int], frame: Frame) -> None:
    """Set the frame's headline slot (kept whatever its evidence) and, above a trusted prose run,
    the page-title line the headline repeats."""
    frame.headline_slot = headline_slot(lines, content, frame.first)
    if frame.trusted:
        frame.headline_slot, frame.page_title = anchor_headline(lines, content, frame.first)


def apply_evidence(lines: Sequence[Line], content: list[int], frame: Frame) -> None:
    """Pass 3: remove kept lines on their own evidence: overwhelming anywhere; strong for a short
    line in the page header/footer (a headline about cookies stays: it sits right above the body)
    or for a sentence there that the outlet repeats; a short line the outlet repeats."""
    slot = frame.headline_slot
    for i in content:
        line = lines[i]
        if line.reason is not None:
            continue
        score = line.score
        why = line.top.reason if line.top is not None else "repeated boilerplate"
        if score >= OVERWHELMING or (score >= STRONG and not frame.inside(i) and i != slot
                                     and (not line.sentence or (line.repeated and not line.reported))):
            line.reason, line.kind = why, FURNITURE
        elif line.repeated and not line.sentence and i != slot:
            line.reason, line.kind = "repeated boilerplate", FURNITURE


def furniture_neighbour(lines: Sequence[Line], i: int, content: list[int]) -> str | None:
    """Reason of the nearest furniture line before or after line ``i`` (metadata lines are
    transparent, kept lines stop the search)."""
    k = bisect.bisect_left(content, i)
    for step in (-1, 1):
        j = k + step
        hops = 0
        while 0 <= j < len(content):
            near = lines[content[j]]
            if near.kind == META and hops < 4:
                j += step
                hops += 1
                continue
            if near.kind == FURNITURE:
                return near.reason
            break
    return None


def _joins_furniture(line: Line, i: int, frame: Frame) -> bool:
    """Whether a line next to furniture has the evidence to join it."""
    if line.sentence and line.reported:
        return False  # reported speech is article text unless overwhelming (pass 3)
    if frame.inside(i):
        return line.score >= BLOCK_INSIDE
    if line.sentence:
        return line.score >= BLOCK_SENTENCE
    return i > frame.last or line.score >= BLOCK_OUTSIDE  # short line in the page header/footer


def grow_furniture(lines: Sequence[Line], content: list[int], frame: Frame) -> None:
    """Pass 4: furniture blocks grow over neighbouring lines with enough evidence (forward and
    backward passes until nothing changes; each pass only visits the remaining candidates)."""
    candidates = [i for i in content if lines[i].reason is None and lines[i].score >= 1]
    forward = True
    while candidates:
        changed = False
        for i in (candidates if forward else reversed(candidates)):
            if i == frame.headline_slot:
                continue
            near = furniture_neighbour(lines, i, content)
            if near is None:
                continue
            line = lines[i]
            if _joins_furniture(line, i, frame):
                best = line.top
                line.reason = best.reason if best is not None and best.weight >= 2 else near
                line.kind = FURNITURE
                changed = True
        if not changed and not forward:
            break
        if changed:
            candidates = [i for i in candidates if lines[i].reason is None]
        forward = not forward


def drop_outside_run(lines: Sequence[Line], content: list[int], frame: Frame) -> None:
    """Pass 5: in a page with furniture around its article run, lists of links inside the run and
    what lies outside the run go (except the headline)."""
    if not frame.trusted:
        return
    for i in link_lists(lines, content, frame.prose_z, frame.first, frame.last):
        if not frame.joined(i):
            lines[i].reason, lines[i].kind = LINK_LIST, FURNITURE
    for i in content:
        line = lines[i]
        if line.reason is None and i != frame.headline_slot and not frame.inside(i):
            line.reason = "page title (repeated by the headline)" if i == frame.page_title else OUTSIDE_RUN
            line.kind = FURNITURE


def mark_markup_only(lines: Sequence[Line]) -> None:
    """Lines that were only markup (a Markdown image) are gone after normalisation: record them."""
    for line in lines:
        if not line.norm and line.text:
            line.reason = "image or markup"


PAUSE_COLLECTOR_LINES = 20_000  # from this many lines the cycle collector pauses while the records live


@contextmanager
def _collector_paused(pause: bool) -> Iterator[None]:
    """Pause Python's cycle collector (when ``pause``) while a very long text's line records are
    made and read: they hold no reference cycles, and a hostile file of a million short lines would
    otherwise spend more time in collections that scan every live record than in cleaning. Only the
    call that paused the collector turns it back on (another thread may have paused it first)."""
    paused = pause and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def clean_text(source: str, rules: CleaningRules | None = None,
               repeated: frozenset[str] = frozenset(), *, find_article_run: bool = True,
               lines: list[Line] | None = None) -> CleanResult:
    """Clean ``source``: normalised body (paragraphs joined by a blank line), its offset map back to
    ``source``, and the removed blocks with their reasons. ``repeated`` holds fingerprints of lines
    repeated across the articles of the same outlet (see ``repeated_lines``).
    ``find_article_run``: look for the article inside a page copied as text (off for text an HTML
    extractor already took out of its page). ``lines``: a fresh ``split_lines(source)`` the caller
    keeps (e.g. to fingerprint it afterwards); the passes fill its verdict fields."""
    if rules is None:
        rules = load_rules()
    with _collector_paused(max(source.count("\n"), source.count("\r")) >= PAUSE_COLLECTOR_LINES):
        return _run_passes(source, rules, repeated, find_article_run,
                           split_lines(source) if lines is None else lines)


def _run_passes(source: str, rules: CleaningRules, repeated: frozenset[str], find_article_run: bool,
                lines: list[Line]) -> CleanResult:
    """The passes of ``clean_text`` in order over the line records."""
    cut_inline_widgets(lines)
    add_phrase_evidence(lines, rules)
    content = [i for i, line in enumerate(lines) if line.norm]
    match_rules(lines, content, rules, repeated)
    frame = find_frame(lines, content, find_article_run)
    blocks, after_at = apply_line_rules(lines, content, rules, frame)
    extend_sections(lines, frame, blocks)
    cut_after(lines, after_at)
    place_headline(lines, content, frame)
    apply_evidence(lines, content, frame)
    grow_furniture(lines, content, frame)
    drop_outside_run(lines, content, frame)
    mark_markup_only(lines)
    return assemble(source, lines)


def _hard_wrap_width(kept: list[Line]) -> int:
    """The width hard-wrapped text is filled to (all lines short, most filled near it), or 0."""
    if len(kept) < 4:
        return 0
    lens = [len(line.norm) for line in kept]
    width = max(lens)
    if width <= 100 and sum(1 for x in lens if x >= 0.6 * width) >= 0.5 * len(lens):
        return width
    return 0


def _continues(above: str, below: str, wrap_width: int) -> bool:
    """Whether a kept line continues the one right above it: hard-wrapped text, or a line broken
    mid-sentence."""
    if wrap_width and len(above) >= 0.6 * wrap_width:
        return True
    return TERMINAL.search(above) is None and below[:1].islower() and not above.endswith(":")


def removed_blocks(source: str, lines: Sequence[Line]) -> list[RemovedBlock]:
    """The removed lines as blocks: neighbouring removed lines with the same reason (blank lines
    between them) make one block."""
    removed: list[RemovedBlock] = []
    open_block = False  # the previous non-blank line was removed
    for line in lines:
        if not line.text:
            continue
        reason = line.reason
        if reason is None:
            open_block = False
            continue
        if open_block and removed[-1].reason == reason:
            removed[-1].end = line.end
        else:
            removed.append(RemovedBlock(text="", reason=reason, start=line.start, end=line.end))
        open_block = True
    inline = [RemovedBlock(text="", reason=cut.reason, start=line.start + cut.start, end=line.start + cut.end)
              for line in lines if line.cuts and line.reason is None for cut in line.cuts]
    if inline:
        removed = sorted(removed + inline, key=lambda block: block.start)
    for block in removed:
        block.text = source[block.start:block.end]
    return removed


def assemble(source: str, lines: Sequence[Line]) -> CleanResult:
    """The kept lines as the body (paragraphs: every kept line is one, except hard-wrapped text
    and lines broken mid-sentence, joined to the previous one), its offset map, removed blocks."""
    kept_at = [i for i, line in enumerate(lines) if line.norm and line.reason is None]
    wrap_width = _hard_wrap_width([lines[i] for i in kept_at])
    body: list[str] = []
    segments: list[tuple[int, int, int]] = []
    pos = 0

    def emit(piece: str, src: int) -> None:
        nonlocal pos
        if not piece:
            return
        body.append(piece)
        if segments:
            c0, s0, ln = segments[-1]
            if c0 + ln == pos and s0 + ln == src:
                segments[-1] = (c0, s0, ln + len(piece))
                pos += len(piece)
                return
        segments.append((pos, src, len(piece)))
        pos += len(piece)

    prev: int | None = None
    joined = False
    for i in kept_at:
        line = lines[i]
        if prev is not None:
            joined = i == prev + 1 and _continues(lines[prev].norm, line.norm, wrap_width)
            if joined:  # the joining space stands for the line break
                at = lines[prev].end
                while at < line.start and not source[at].isspace():
                    at += 1  # skip invisible characters stripped from the line end
                emit(" ", at)
            else:
                body.append("\n\n")
                pos += 2
        text = line.text
        if line.pieces is not None:  # inline widgets were cut: emit the pieces that make ``norm``
            for offset, length in line.pieces:
                emit(text[offset:offset + length], line.start + offset)
        elif line.norm is text or line.norm == text:
            if prev is None or not joined:  # a new paragraph: its own segment
                body.append(text)
                segments.append((pos, line.start, len(text)))
                pos += len(text)
            else:
                emit(text, line.start)
        else:
            cut = 0
            for m in DELETE.finditer(text):
                if m.start() > cut:
                    emit(text[cut:m.start()], line.start + cut)
                cut = m.end()
            emit(text[cut:], line.start + cut)
        prev = i
    return CleanResult("".join(body), OffsetMap(segments), removed_blocks(source, lines))


def explain(source: str, rules: CleaningRules | None = None,
            repeated: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Debugging aid: each non-blank line with its verdict (kept or the removal reason) and, under
    ``inline``, the widgets cut out of a kept line (their text and reason)."""
    res = clean_text(source, rules, repeated)
    out: list[dict[str, Any]] = []
    spans = [(b.start, b.end, b.reason) for b in res.removed if not is_inline_reason(b.reason)]
    inline = [b for b in res.removed if is_inline_reason(b.reason)]
    pos = 0
    for raw in source.splitlines(True):
        norm = normalise_line(raw)
        if norm:
            end = pos + len(raw)
            verdict = next((r for s, e, r in spans if s <= end - 1 and pos < e), None)
            entry: dict[str, Any] = {"line": norm, "removed": verdict}
            cut = [{"text": b.text, "reason": b.reason} for b in inline if pos <= b.start < end]
            if cut:
                entry["inline"] = cut
            out.append(entry)
        pos += len(raw)
    return out
