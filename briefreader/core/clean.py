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
"""

from __future__ import annotations

import bisect
import re
import zlib
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from briefreader.core import prose
from briefreader.core.model import OffsetMap, RemovedBlock
from briefreader.core.rules import CleaningRules, Rule, load_rules

__all__ = ["CleanResult", "CleaningRules", "load_rules", "line_fingerprints", "repeated_lines",
           "clean_text", "normalise_line"]

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_STRIP = " " + _INVISIBLE
# Characters deleted by normalisation: invisible characters, extra spaces in a run, spaces before
# punctuation ("Ukraine ." -> "Ukraine."), Markdown markup.
_DELETE = re.compile(
    rf"[{_INVISIBLE}]+"
    r"|(?<= ) +"
    r"| +(?=[.,;:!?](?:[\s\"'”’»)\]]|$))"
    # Markdown (clipped web pages): heading and quote markers, bold markers, images, link syntax
    r"|^#{1,6} +|^> ?"
    r"|\*\*|__|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])"
    r"|!\[[^\]\n]*\]\([^)\s]*\)"
    r"|\[(?=[^\]\n]*\]\((?:https?:|/|#|mailto:)[^)\s]*\))"
    r"|\]\((?:https?:|/|#|mailto:)[^)\s]*\)"
)
_MARKUP_RE = re.compile(r"^#{1,6} |^> |\*|__|\]\(")
_MARKUP_PROBES = ("#", ">", "*", "__", "](")
_ODD_SPACES = ("\t\x0b\x0c\x1c\x1d\x1e\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
               "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_ODD_SPACE_RE = re.compile(f"[{_ODD_SPACES}]")
_STRIP_EOL = _STRIP + "\r\n"
_SPACE_BEFORE = re.compile(r" [ .,;:!?]")  # a literal first character: sre scans for it fast
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_SPECIAL_RE = re.compile(f"[{_ODD_SPACES}{_INVISIBLE}]")
_ASCII_ODD = ("\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")
_CLOSERS = "\"'”’»)]"
_ENDERS = ".!?…"
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_QUOTED = re.compile(r"“[^”\n]{1,800}”|\"[^\"\n]{1,800}\"|«[^»\n]{1,800}»|„[^“”\n]{1,800}[“”]")
_DIGITS = re.compile(r"\d+")
_HAS_DIGIT = re.compile(r"\d")

_CACHE_LINE = 200  # lines up to this length have their rule verdicts memoised
_CACHE_EVIDENCE_LINE = 1000  # ... and their phrase evidence, when some rule had to be tried
_CACHE_MAX = 50_000

# Decision thresholds on a line's furniture evidence (sum of phrase-rule weights).
OVERWHELMING = 6  # dropped wherever it is
STRONG = 3  # dropped outside the article core, or a short line anywhere
BLOCK_INSIDE = 4  # dropped inside the core when next to other furniture
BLOCK_OUTSIDE = 2  # a short line dropped outside the core when next to other furniture
BLOCK_SENTENCE = 5  # ... and a sentence (one topical phrase is not enough: it may be news)
REPEATED_SHORT = 3  # evidence added to a short line repeated across the outlet's articles
REPEATED_SENTENCE = 1  # ... and to a sentence (background paragraphs repeat too: keep it weak)


@dataclass(slots=True)
class CleanResult:
    """The cleaned body, its map back to the source, and every removed block with its reason."""

    body: str
    offsets: OffsetMap
    removed: list[RemovedBlock] = field(default_factory=list)


def _prepare(text: str) -> tuple[str, bool, bool]:
    """``text`` with odd spaces turned into plain spaces (1:1, offsets unchanged), whether some
    line may need characters deleted, and whether invisible characters or markup occur at all."""
    if text.isascii():
        invisible = False
        for ch in _ASCII_ODD:
            if ch in text:
                text = _ODD_SPACE_RE.sub(" ", text)
                break
    else:
        first = _SPECIAL_RE.search(text)
        invisible = False
        if first is not None:
            if _ODD_SPACE_RE.search(text, first.start()) is not None:
                text = _ODD_SPACE_RE.sub(" ", text)
            invisible = _INVISIBLE_RE.search(text, first.start()) is not None
    heavy = invisible
    if not heavy:
        for probe in _MARKUP_PROBES:
            if probe in text:
                heavy = True
                break
    return text, heavy or _SPACE_BEFORE.search(text) is not None, heavy


def _needs_delete(text: str, heavy: bool = True) -> bool:
    return _SPACE_BEFORE.search(text) is not None or (heavy and (
        _INVISIBLE_RE.search(text) is not None or _MARKUP_RE.search(text) is not None))


def normalise_line(text: str) -> str:
    """One line as the cleaner sees it: odd spaces -> space, runs collapsed, no space before
    punctuation, trimmed."""
    text, needs, _ = _prepare(text)
    text = text.strip(_STRIP_EOL)
    return _DELETE.sub("", text) if needs else text


def _fingerprint(norm: str) -> str | None:
    n = len(norm)
    if n < 3 or n > 1500:
        return None
    if n <= 200:  # short lines (widgets, menus, bylines) repeat the most: memoise
        fp = _FP_CACHE.get(norm)
        if fp is not None:
            return fp
        key = _DIGITS.sub("0", norm.lower()) if _HAS_DIGIT.search(norm) else norm.lower()
        data = key.encode("utf-8")
        # CRC-32 plus length: stable across processes (unlike hash()) and cheap
        fp = f"{zlib.crc32(data):08x}{len(data):x}"
        if len(_FP_CACHE) > _CACHE_MAX:
            _FP_CACHE.clear()
        _FP_CACHE[norm] = fp
        return fp
    data = norm.lower().encode("utf-8")
    return f"{zlib.crc32(data):08x}{len(data):x}"


_FP_CACHE: dict[str, str] = {}
_last_lines: tuple[str, _Lines] | None = None  # clean_text's split of its last source, for reuse


def line_fingerprints(source: str) -> set[str]:
    """Normalised fingerprints (case and digits folded) of the lines of ``source`` that can count
    as repeated-boilerplate evidence."""
    last = _last_lines
    lines = last[1] if last is not None and last[0] == source else _Lines(source)
    out: set[str] = set()
    for norm in lines.norm:
        if norm:
            fp = _fingerprint(norm)
            if fp is not None:
                out.add(fp)
    return out


def repeated_lines(fingerprint_sets: list[set[str]], min_articles: int = 3,
                   min_fraction: float = 0.3) -> frozenset[str]:
    """Fingerprints present in at least ``min_articles`` and at least ``min_fraction`` of the
    articles of one outlet (pass one outlet's articles at a time)."""
    total = len(fingerprint_sets)
    need = max(min_articles, ceil(min_fraction * total))
    if total < need or total == 0:
        return frozenset()
    counts: dict[str, int] = {}
    for fps in fingerprint_sets:
        for fp in fps:
            counts[fp] = counts.get(fp, 0) + 1
    return frozenset(fp for fp, n in counts.items() if n >= need)


class _Lines:
    """Per-line facts, as parallel lists (cheaper than objects for thousands of articles)."""

    __slots__ = ("start", "end", "text", "norm", "words", "sentence", "n")

    def __init__(self, source: str) -> None:
        # odd spaces -> space over the whole text (1:1, so offsets are unchanged); line breaks stay
        source, check_each, invisible = _prepare(source)
        raws = source.splitlines(True)
        strip = _STRIP_EOL
        texts = [r.strip(strip) for r in raws]
        # start of each line's content: line start plus its leading whitespace
        pos = 0
        starts: list[int] = []
        for r, t in zip(raws, texts):
            starts.append(pos if (not t or r[0] == t[0]) else pos + r.index(t[0]))
            pos += len(r)
        ends = [s + len(t) for s, t in zip(starts, texts)]
        if check_each:
            norms = [_DELETE.sub("", t) if t and _needs_delete(t, invisible) else t for t in texts]
        else:
            norms = texts
        words = [n.count(" ") + 1 if n else 0 for n in norms]
        closers, enders = _CLOSERS, _ENDERS
        sentence = [w >= 15 or (w >= 3 and n.rstrip(closers)[-1:] in enders)
                    for n, w in zip(norms, words)]
        self.start, self.end, self.text, self.norm = starts, ends, texts, norms
        self.words, self.sentence, self.n = words, sentence, len(texts)


def _evidence(lines: _Lines,
              rules: CleaningRules) -> tuple[list[int], list[Rule | None], list[bool]]:
    """Sum of phrase-rule weights per line (each rule counted once per line, quoted speech
    ignored), and the line's strongest positive rule."""
    n = lines.n
    score = [0] * n
    top: list[Rule | None] = [None] * n
    reported = [False] * n  # some rule with a negative weight (reported speech) matched
    phrase_rules = rules.phrase_rules
    if not phrase_rules:
        return score, top, reported
    variant_set = rules.phrase_variant_set
    variants = rules.phrase_variants
    by_word = rules.phrase_words
    substrings = rules.phrase_substrings
    always = rules.phrase_always
    cache = rules.evidence_cache
    if len(cache) > _CACHE_MAX // 2:  # entries may be long paragraphs: keep this one smaller
        cache.clear()
    for i, norm in enumerate(lines.norm):
        if not norm:
            continue
        cacheable = len(norm) <= _CACHE_EVIDENCE_LINE
        if cacheable:
            hit = cache.get(norm)
            if hit is not None:
                score[i], top[i], reported[i] = hit
                continue
        key = norm
        if "“" in norm or '"' in norm or "«" in norm or "„" in norm:
            norm = _QUOTED.sub(" ", norm)
        low = norm.lower()
        if "—" in low or "–" in low or "/" in low:
            low = low.replace("—", " ").replace("–", " ").replace("/", " ")
        hits = variant_set.intersection(low.split())
        total = 0
        best: Rule | None = None
        negative = False
        worked = bool(hits or substrings or always)
        if worked:
            candidates: set[int] = set(always)
            for token in hits:
                candidates.update(by_word[variants[token]])
            for sub, ri in substrings:
                if sub in low:
                    candidates.add(ri)
            for ri in sorted(candidates):
                rule = phrase_rules[ri]
                if not rule.words and rule.regex.search(norm) is None:
                    continue
                total += rule.weight
                if rule.weight < 0:
                    negative = True
                elif best is None or rule.weight > best.weight:
                    best = rule
        score[i] = total
        top[i] = best
        reported[i] = negative
        if cacheable and (worked or len(key) <= _CACHE_LINE):
            # boilerplate paragraphs repeat across an outlet's articles: remember their verdict
            cache[key] = (total, best, negative)
    return score, top, reported


def _match_line(rules: CleaningRules, norm: str, words: int, sentence: bool) -> Rule | None:
    if len(norm) > _CACHE_LINE:
        return rules.match_line(norm, words, sentence)
    cache = rules.line_cache
    try:
        return cache[norm]
    except KeyError:
        pass
    if len(cache) > _CACHE_MAX:
        cache.clear()
    rule = cache[norm] = rules.match_line(norm, words, sentence)
    return rule


_META = "meta"
_FURN = "furniture"


def clean_text(source: str, rules: CleaningRules | None = None,
               repeated: frozenset[str] = frozenset(), *, find_article_run: bool = True) -> CleanResult:
    """Clean ``source``: normalised body (paragraphs joined by a blank line), its offset map back to
    ``source``, and the removed blocks with their reasons. ``repeated`` holds fingerprints of lines
    repeated across the articles of the same outlet (see ``repeated_lines``).
    ``find_article_run``: look for the article inside a page copied as text (off for text an HTML
    extractor already took out of its page)."""
    global _last_lines
    if rules is None:
        rules = load_rules()
    lines = _Lines(source)
    _last_lines = (source, lines)
    n = lines.n
    norms, words, sentence = lines.norm, lines.words, lines.sentence
    score, top, reported = _evidence(lines, rules)

    rule_of: list[Rule | None] = [None] * n
    repeated_line = [False] * n
    content = [i for i in range(n) if norms[i]]
    for i in content:
        rule_of[i] = _match_line(rules, norms[i], words[i], sentence[i])
        if repeated:
            fp = _fingerprint(norms[i])
            if fp is not None and fp in repeated:
                repeated_line[i] = True
                score[i] += REPEATED_SENTENCE if sentence[i] else REPEATED_SHORT

    core = [i for i in content if sentence[i] and score[i] <= 0 and rule_of[i] is None]
    if core:
        first_core, last_core = core[0], core[-1]
    else:  # nothing looks like plain article prose: be conservative, treat everything as inside
        first_core, last_core = 0, n - 1
    run, prose_z = _article_run(lines, content, score, rule_of) if find_article_run else (None, {})
    trusted_run = run is not None and run.trusted
    rows_joined: tuple[range, ...] = ()
    if run is not None and run.trusted:
        prose_first, prose_last = run.first, run.last
        run.last = _introduced_list_end(lines, content, rule_of, score, run.last)
        run.last = _numbered_list_end(lines, content, run.last)
        run.first = _data_rows_start(lines, content, rule_of, score, run.first)
        # the lists and tables the run grew over are the article's own: no link-list pass there
        rows_joined = (range(run.first, prose_first), range(prose_last + 1, run.last + 1))
        first_core, last_core = run.first, run.last
        core = [i for i in core if first_core <= i <= last_core] or [first_core]
    is_core = [False] * n
    for i in core:
        is_core[i] = True

    reason: list[str | None] = [None] * n
    kind: list[str | None] = [None] * n

    def inside(i: int) -> bool:
        return first_core <= i <= last_core

    def zone_ok(rule: Rule, i: int) -> bool:
        if rule.zone == "any":
            return True
        if rule.zone == "head":
            return i < first_core
        return not inside(i)  # edges

    # 1. whole-line rules
    blocks: list[int] = []
    after_at: int | None = None
    for i in content:
        rule = rule_of[i]
        if rule is None:
            continue
        if not zone_ok(rule, i):
            # e.g. a capitalised crosshead in the middle of the article, or an agency credit at
            # its end, is not a dateline: try the rules after this one
            while rule is not None and not zone_ok(rule, i):
                rule = rules.match_line(norms[i], words[i], sentence[i],
                                        start=rules.line_rules.index(rule) + 1)
            rule_of[i] = rule
            if rule is None:
                continue
        if rule.field == "url" and any(i in joined for joined in rows_joined):
            rule_of[i] = None
            continue  # the link of an item in a list the article gives, not the article's address
        reason[i] = rule.reason
        kind[i] = _META if rule.field else _FURN
        if rule.scope == "block":
            blocks.append(i)
        elif rule.scope == "after" and i > first_core and after_at is None:
            after_at = i

    # 2. sections opened by a heading ("Newsletter", "Related articles", "Privacy Overview")
    for b in blocks:
        for j in range(b + 1, n):
            if not norms[j]:
                continue
            if is_core[j]:
                break
            if (trusted_run and first_core <= j <= last_core and prose_z.get(j, 0.0) > 0
                    and words[j] >= _SECTION_END_WORDS and score[j] < STRONG):
                break  # article prose below a newsletter box or related list: the section ended
            if reason[j] is not None:
                rule = rule_of[j]
                if rule is not None and rule.scope == "block":
                    break  # the next section starts
                continue
            if j < first_core and score[j] <= 0 and not sentence[j]:
                break  # in the page header, keep what may be the headline
            own = top[j]
            reason[j] = own.reason if own is not None and own.weight >= STRONG else reason[b]
            kind[j] = _FURN
    if after_at is not None:
        for j in range(after_at + 1, n):
            if norms[j] and (reason[j] is None or kind[j] == _META):
                reason[j], kind[j] = reason[after_at], _FURN

    # 3. evidence
    headline_slot = _headline_slot(first_core, content, reason)
    page_title = -1
    if run is not None and run.trusted:
        headline_slot, page_title = _anchor_headline(lines, content, reason, first_core, run)
    for i in content:
        if reason[i] is not None:
            continue
        s = score[i]
        best = top[i]
        why = best.reason if best is not None else "repeated boilerplate"
        if s >= OVERWHELMING:
            reason[i], kind[i] = why, _FURN
        elif (s >= STRONG and not inside(i) and i != headline_slot
              and (not sentence[i] or (repeated_line[i] and not reported[i]))):
            # a short line in the page header/footer (a headline about cookies stays: it sits
            # right above the body); a sentence there only when the outlet repeats it
            reason[i], kind[i] = why, _FURN
        elif repeated_line[i] and not sentence[i] and i != headline_slot:
            reason[i], kind[i] = "repeated boilerplate", _FURN

    # 4. furniture blocks grow over neighbouring lines with enough evidence (forward and backward
    # passes until nothing changes; each pass only visits the remaining candidates)
    candidates = [i for i in content if reason[i] is None and score[i] >= 1]
    forward = True
    while candidates:
        changed = False
        for i in (candidates if forward else reversed(candidates)):
            if i == headline_slot:
                continue
            near = _furniture_neighbour(i, content, kind, reason)
            if near is None:
                continue
            s = score[i]
            if sentence[i] and reported[i]:
                ok = False  # reported speech is article text unless overwhelming (step 3)
            elif inside(i):
                ok = s >= BLOCK_INSIDE
            elif sentence[i]:
                ok = s >= BLOCK_SENTENCE
            else:  # short line in the page header/footer, glued to furniture
                ok = i > last_core or s >= BLOCK_OUTSIDE
            if ok:
                best = top[i]
                reason[i] = best.reason if best is not None and best.weight >= 2 else near
                kind[i] = _FURN
                changed = True
        if not changed and not forward:
            break
        if changed:
            candidates = [i for i in candidates if reason[i] is None]
        forward = not forward

    # 5. a page with furniture around its article run: lists of links inside the run, and what
    # lies outside the run, go
    if run is not None and run.trusted:
        for i in _link_lists(lines, content, reason, prose_z, first_core, last_core):
            if not any(i in joined for joined in rows_joined):
                reason[i], kind[i] = LINK_LIST, _FURN
        for i in content:
            if reason[i] is None and i != headline_slot and not first_core <= i <= last_core:
                reason[i] = "page title (repeated by the headline)" if i == page_title else OUTSIDE_RUN
                kind[i] = _FURN

    # lines that were only markup (a Markdown image) are gone after normalisation: record them
    for i in range(n):
        if not norms[i] and lines.text[i]:
            reason[i] = "image or markup"
    return _assemble(source, lines, reason)


OUTSIDE_RUN = "page furniture (outside the article text)"
_PROSE_CACHE: dict[tuple[str, int], float] = {}
_TOKEN_RE = re.compile(r"\w+")


def _article_run(lines: _Lines, content: list[int], score: list[int],
                 rule_of: list[Rule | None]) -> tuple[prose.Run | None, dict[int, float]]:
    """The densest run of prose lines (see core/prose.py), or None for an empty text, and the
    prose score of each content line that no line rule took."""
    zs: dict[int, float] = {}
    model = prose.load_model()
    # a page whose furniture could matter shows it as short lines no rule took: without enough of
    # them no run is trusted (see prose.article_run), so skip the work (most clean articles)
    unexplained = 0
    for i in content:
        if rule_of[i] is None and not lines.sentence[i]:
            unexplained += 1
            if unexplained >= model.min_outside_lines:
                break
    else:
        return None, zs
    values: list[float] = []
    words: list[float] = []
    cost, cap = model.line_cost, model.max_line_value
    cache = _PROSE_CACHE
    if len(cache) > _CACHE_MAX:
        cache.clear()
    # a line the page repeats right below itself (a teaser's headline as image text and as link)
    # is page furniture, not the article's prose; both copies count as such
    doubled: set[int] = set()
    norms = lines.norm
    for p in range(1, len(content)):
        norm = norms[content[p]]
        if lines.words[content[p]] < model.repeat_min_words:
            continue
        for q in range(max(0, p - model.repeat_window), p):
            if norms[content[q]] == norm:
                doubled.update((content[p], content[q]))
    repeat_cost = model.repeat_cost
    for i in content:
        norm = lines.norm[i]
        rule = rule_of[i]
        if rule is not None:
            values.append(-cost)
            words.append(0.0)
            continue
        if i in doubled:
            values.append(-repeat_cost)
            words.append(0.0)
            continue
        key = (norm, score[i])
        z = cache.get(key)
        if z is None:
            z = prose.prose_sign(norm, score[i], model)
            if len(norm) <= _CACHE_LINE:
                cache[key] = z
        zs[i] = z
        if z > 0:
            value = float(min(lines.words[i] if norm.isascii() else prose.effective_words(norm, model), cap))
            values.append(value)
            words.append(value)
        else:
            values.append(-cost)
            words.append(0.0)
    anchor = _title_repeat(lines, content)
    return prose.article_run(content, values, words, model,
                             None if anchor is None else content.index(anchor)), zs


LINK_LIST = "links inside the article text"
_SECTION_END_WORDS = 12  # a prose line this long inside the article run ends a furniture section
_LIST_MIN_LINES = 3  # a run of this many short non-prose lines inside the article is a link list
_LIST_MAX_Z = -0.5  # ... each scoring below this as prose


def _introduced_list_end(lines: _Lines, content: list[int], rule_of: list[Rule | None], score: list[int],
                         last: int) -> int:
    """The run's last line, moved down over a list the article introduces with a colon ("Tour
    dates:" and its lines): lines right below one another, without furniture rules or evidence."""
    k = bisect.bisect_right(content, last)
    norms = lines.norm
    intro = norms[last].endswith(":")
    if not intro and k < len(content) and norms[content[k]].endswith(":") and rule_of[content[k]] is None:
        intro, last, k = True, content[k], k + 1
    if not intro:
        return _data_rows_end(lines, content, rule_of, score, last)
    while k < len(content):
        i = content[k]
        if i != last + 1 or rule_of[i] is not None or score[i] > 0:
            break
        last, k = i, k + 1
    return last


def _title_cased(norm: str) -> bool:
    """Whether a line is written like a headline or menu entry: most of its words (and at least
    one of two) capitalised, no digit (list items of recipes, tables and results hold
    quantities)."""
    words = [w for w in norm.split() if w[:1].isalpha()]
    if not words or _HAS_DIGIT.search(norm) is not None:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised >= 0.6 * len(words)


_DATA_ROWS_MIN = 3  # rows of a table or dated list the article ends with
_DATA_ROW_WORDS = 3
_DATA_ROW_MAX_WORDS = 30  # a longer line is a paragraph, not a row


def _row_shape(norm: str) -> str:
    """The punctuation skeleton of a line ("England (Group A): 10th appearance" -> "():"): rows of
    one list or table share it."""
    return "".join(ch for ch in norm if not ch.isalnum() and not ch.isspace())


def _data_row(lines: _Lines, i: int, rule_of: list[Rule | None], score: list[int], shape: str | None) -> bool:
    """Whether content line ``i`` can be a row of a table or list: a few words, no furniture rule
    or evidence, and a number in it or the punctuation skeleton ``shape`` of the row next to it
    (a list whose entries spell their numbers: "Seventh appearance")."""
    norm = lines.norm[i]
    if (rule_of[i] is not None or score[i] > 0 or not _DATA_ROW_WORDS <= lines.words[i] <= _DATA_ROW_MAX_WORDS
            or norm.endswith(":")):  # a line ending with a colon introduces rows, it is none
        return False
    if _HAS_DIGIT.search(norm) is not None:
        return True
    return bool(shape) and _row_shape(norm) == shape


def _data_rows_end(lines: _Lines, content: list[int], rule_of: list[Rule | None], score: list[int],
                   last: int) -> int:
    """The run's last line, moved down over a table or dated list right below it ("June 9 --
    Coral Sky Amphitheatre, West Palm Beach, FL"; result rows): at least ``_DATA_ROWS_MIN`` lines
    in a row that hold a number (or share the previous row's punctuation), have a few words and no
    furniture rule or evidence, perhaps below one short heading ("Tour dates")."""
    norms, words = lines.norm, lines.words
    k = bisect.bisect_right(content, last)
    start = k
    if k < len(content) and rule_of[content[k]] is None and score[content[k]] <= 0 \
            and words[content[k]] <= 8 and _HAS_DIGIT.search(norms[content[k]]) is None:
        k += 1  # a heading over the rows
    rows = 0
    end = last
    shape: str | None = None
    while k < len(content):
        i = content[k]
        if not _data_row(lines, i, rule_of, score, shape):
            break
        shape = _row_shape(norms[i])
        rows += 1
        end = i
        k += 1
    if rows >= _DATA_ROWS_MIN and k > start:
        return end
    return last


_NUMBERED_ITEM = re.compile(r"\(?(\d{1,3})[.)]\s+\S")
_NUMBERED_GAP_LINES = 2  # lines between two items of a numbered list (a link, a price)
_NUMBERED_GAP_WORDS = 12


def _numbered_list_end(lines: _Lines, content: list[int], last: int) -> int:
    """The run's last line, moved down over a numbered list right below it ("1) ...", "2) ...":
    at least ``_DATA_ROWS_MIN`` items numbered from 1 in steps of one, at most
    ``_NUMBERED_GAP_LINES`` short lines between two items, and as many after the last item as
    between the others (each item's link or price). A page's lists are not numbered that way."""
    norms, words = lines.norm, lines.words
    k = bisect.bisect_right(content, last)
    expected, end, gaps, gap = 1, last, set(), 0
    while k < len(content):
        i = content[k]
        item = _NUMBERED_ITEM.match(norms[i])
        if item is not None and int(item.group(1)) == expected:
            if expected > 1:
                gaps.add(gap)
            expected, end, gap = expected + 1, i, 0
        elif expected == 1 or gap >= _NUMBERED_GAP_LINES or words[i] > _NUMBERED_GAP_WORDS:
            break
        else:
            gap += 1
        k += 1
    if expected - 1 < _DATA_ROWS_MIN:
        return last
    if len(gaps) == 1:  # every item has the same lines below it: so has the last one
        (size,) = gaps
        k = bisect.bisect_right(content, end)
        tail = content[k:k + size]
        if len(tail) == size and all(words[i] <= _NUMBERED_GAP_WORDS and _NUMBERED_ITEM.match(norms[i]) is None
                                     for i in tail):
            end = tail[-1] if tail else end
    return end


def _data_rows_start(lines: _Lines, content: list[int], rule_of: list[Rule | None], score: list[int],
                     first: int) -> int:
    """The run's first line, moved up over a table or list right above it that the article
    introduces: at least ``_DATA_ROWS_MIN`` rows (as in ``_data_rows_end``) below a line ending
    with a colon ("Final standings after 36 races:"), which joins too, perhaps with one header
    row between them. Without that line the run
    stays: a table above an article is as often a page's widget."""
    norms = lines.norm
    k = bisect.bisect_left(content, first) - 1
    if k >= 1 and rule_of[content[k]] is None and score[content[k]] <= 0 \
            and not _data_row(lines, content[k], rule_of, score, None) \
            and _data_row(lines, content[k - 1], rule_of, score, None):
        k -= 1  # a note between the table and the prose below it
    rows = 0
    shape: str | None = None
    while k >= 0 and _data_row(lines, content[k], rule_of, score, shape):
        shape = _row_shape(norms[content[k]])
        rows += 1
        k -= 1
    if rows < _DATA_ROWS_MIN or k < 0:
        return first
    head = content[k]
    if k >= 1 and rule_of[head] is None and score[head] <= 0 and lines.words[head] <= 8 \
            and not norms[head].endswith(":"):
        k -= 1  # the table's header row, below the line that introduces it
    intro = content[k]
    if norms[intro].endswith(":") and rule_of[intro] is None and score[intro] <= 0:
        return intro
    return first


def _link_lists(lines: _Lines, content: list[int], reason: list[str | None], prose_z: dict[int, float],
                first: int, last: int) -> list[int]:
    """Kept lines inside the article run that form a list of links: at least ``_LIST_MIN_LINES``
    short lines in a row that do not read as prose nor end like a sentence and are written in
    Title Case (headlines, menu entries), not introduced by a line ending with a colon (a list the
    article itself gives)."""
    norms = lines.norm
    model = prose.load_model()
    out: list[int] = []
    group: list[int] = []
    before: int | None = None  # the kept line above the group

    def flush() -> None:
        if len(group) >= _LIST_MIN_LINES and not (before is not None and norms[before].endswith(":")):
            out.extend(group)

    for i in content:
        if i < first or i > last:
            continue
        if reason[i] is not None:
            continue  # removed lines neither join nor break a list
        if (prose_z.get(i, 0.0) <= 0 and _TERMINAL.search(norms[i]) is None and not norms[i].endswith(":")
                and _title_cased(norms[i]) and prose.prose_score(norms[i], 0, model) < _LIST_MAX_Z):
            group.append(i)
            continue
        flush()
        group = []
        before = i
    flush()
    return out


def _title_repeat(lines: _Lines, content: list[int]) -> int | None:
    """The last line below the first that repeats the first line (the page title, perhaps as
    ``Headline - Outlet``) as a headline: at least 3 words, nearly all of them in the title, and
    at least half of the title's words."""
    title = lines.norm[content[0]]
    title_tokens = set(_tokens(title))
    if len(title_tokens) < 3:
        return None
    need = 0.5 * len(title_tokens)
    found = None
    for i in content[1:]:
        if not 3 <= lines.words[i] <= 40:
            continue
        tokens = _tokens(lines.norm[i])
        if len(tokens) < 3:
            continue
        shared = sum(1 for t in set(tokens) if t in title_tokens)
        if shared >= 0.8 * len(set(tokens)) and shared >= need:
            found = i
            break
    return found


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.lower())


def _anchor_headline(lines: _Lines, content: list[int], reason: list[str | None], first_core: int,
                     run: prose.Run) -> tuple[int, int]:
    """(headline line, page-title line) above the article run: the line nearest the run that
    repeats the page's first line (a ``<title>``-style ``Headline - Outlet``), else the nearest
    headline-shaped line; -1 where there is none."""
    model = prose.load_model()
    norms, words = lines.norm, lines.words
    before = [i for i in content if i < first_core]
    if not before:
        return -1, -1
    title_line = before[0]
    title_tokens = set(_tokens(norms[title_line]))
    window = before[-model.headline_window:]
    shaped = [i for i in window
              if reason[i] is None and 3 <= words[i] <= 30 and len(norms[i]) <= 250]
    for i in reversed(shaped):
        if i == title_line:
            continue
        tokens = _tokens(norms[i])
        if tokens and sum(1 for t in tokens if t in title_tokens) >= 0.8 * len(tokens):
            return i, title_line
    near = [i for i in shaped if words[i] >= 4]
    if near:
        return near[-1], -1
    if reason[title_line] is None and 3 <= words[title_line] <= 30:
        return title_line, -1
    return -1, -1


def _headline_slot(first_core: int, content: list[int], reason: list[str | None]) -> int:
    """Index of the last line before the article core that is still kept: where a headline sits."""
    slot = -1
    for i in content:
        if i >= first_core:
            break
        if reason[i] is None:
            slot = i
    return slot


def _furniture_neighbour(i: int, content: list[int], kind: list[str | None],
                         reason: list[str | None]) -> str | None:
    """Reason of the nearest furniture line before or after line ``i`` (metadata lines are
    transparent, kept lines stop the search)."""
    k = bisect.bisect_left(content, i)
    for step in (-1, 1):
        j = k + step
        hops = 0
        while 0 <= j < len(content):
            li = content[j]
            if kind[li] == _META and hops < 4:
                j += step
                hops += 1
                continue
            if kind[li] == _FURN:
                return reason[li]
            break
    return None


def _assemble(source: str, lines: _Lines, reason: list[str | None]) -> CleanResult:
    n = lines.n
    norms, texts, starts, ends = lines.norm, lines.text, lines.start, lines.end
    kept = [i for i in range(n) if norms[i] and reason[i] is None]

    # paragraphs: every kept line is a paragraph, except hard-wrapped text (all lines short and
    # filled to a width) and lines broken mid-sentence, which are joined to the previous one
    wrapped = False
    width = 0
    if len(kept) >= 4:
        lens = [len(norms[i]) for i in kept]
        width = max(lens)
        wrapped = width <= 100 and sum(1 for x in lens if x >= 0.6 * width) >= 0.5 * len(lens)

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
    for i in kept:
        if prev is not None:
            joined = False
            if i == prev + 1:
                a, b = norms[prev], norms[i]
                if wrapped and len(a) >= 0.6 * width:
                    joined = True
                elif _TERMINAL.search(a) is None and b[:1].islower() and not a.endswith(":"):
                    joined = True
            if joined:  # the joining space stands for the line break
                at = ends[prev]
                while at < starts[i] and not source[at].isspace():
                    at += 1  # skip invisible characters stripped from the line end
                emit(" ", at)
            else:
                body.append("\n\n")
                pos += 2
        text = texts[i]
        base = starts[i]
        if norms[i] is text or norms[i] == text:
            if prev is None or not joined:  # a new paragraph: its own segment
                body.append(text)
                segments.append((pos, base, len(text)))
                pos += len(text)
            else:
                emit(text, base)
        else:
            cut = 0
            for m in _DELETE.finditer(text):
                if m.start() > cut:
                    emit(text[cut:m.start()], base + cut)
                cut = m.end()
            emit(text[cut:], base + cut)
        prev = i

    removed: list[RemovedBlock] = []
    open_block = False  # the previous non-blank line was removed
    for i in range(n):
        if not texts[i]:
            continue
        r = reason[i]
        if r is None:
            open_block = False
            continue
        if open_block and removed[-1].reason == r:
            removed[-1].end = ends[i]
        else:
            removed.append(RemovedBlock(text="", reason=r, start=starts[i], end=ends[i]))
        open_block = True
    for blk in removed:
        blk.text = source[blk.start:blk.end]
    return CleanResult("".join(body), OffsetMap(segments), removed)


def explain(source: str, rules: CleaningRules | None = None,
            repeated: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Debugging aid: each non-blank line with its verdict (kept or the removal reason)."""
    res = clean_text(source, rules, repeated)
    out: list[dict[str, Any]] = []
    spans = [(b.start, b.end, b.reason) for b in res.removed]
    pos = 0
    for raw in source.splitlines(True):
        norm = normalise_line(raw)
        if norm:
            verdict = next((r for s, e, r in spans if s <= pos + len(raw) - 1 and pos < e), None)
            out.append({"line": norm, "removed": verdict})
        pos += len(raw)
    return out
