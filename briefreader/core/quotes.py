"""Finding direct quotations in a cleaned article body, with their speakers.

:func:`extract_quotes` scans the body paragraph by paragraph and pairs quote marks by *position*
(a mark after a space / paragraph start and before text opens; a mark after text and before a
space / punctuation / paragraph end closes), which handles every style ("…", “…”, «…», „…“, »…«,
‘…’, '…') and the mixed pairs real text contains ("…” , ‘…,'”). Word-internal and elision
apostrophes (don't, O'Neill, the workers' union, rock 'n' roll, the '90s) are never marks.

Rules, in short:
- Quotes nest: an inner quote is found and the outer one keeps its full text.
- ``"X," she said. "Y."``: two spans whose ``utterance_id`` is the same.
- A paragraph that opens a quote and does not close it continues into the next paragraph when
  that one opens with a mark (the multi-paragraph convention): one span per paragraph, one
  utterance. Otherwise the quote ends at its paragraph and is flagged ``unclosed``.
- One- or two-word quotes, quotes after "so-called" and short title-case labels are ``scare``
  quotes (labels, not utterances), unless an attribution follows them (``"Never," she said``).
- Speakers come from the attribution next to the quote (``Kallas said``, ``she added``,
  ``the head of European diplomacy said``, ``said Kallas``, ``according to Kallas``,
  ``— cites Politico``), else from the person the sentence is about; pronouns and descriptions
  resolve to the last named speaker (gender learnt from earlier pronouns). ``speaker_confidence``
  says how direct the evidence was.

Pure functions, no I/O.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from briefreader.core.model import OffsetMap

DOUBLE_MARKS = frozenset('"\u201c\u201d\u201e\u201f\u00ab\u00bb\uff02\u300c\u300d\u300e\u300f')
SINGLE_MARKS = frozenset("'\u2018\u2019\u201a\u201b\u2039\u203a")
ALL_MARKS = DOUBLE_MARKS | SINGLE_MARKS
# Typographic direction of each mark, used only to break ties the position leaves open.
_MARK_RE = re.compile("[" + re.escape("".join(sorted(ALL_MARKS))) + "]")
_GUILLEMETS = frozenset("\u00ab\u00bb\u2039\u203a")
_OPEN_LEANING = frozenset("\u201c\u201e\u201f\u00ab\u2018\u201a\u201b\u2039\u300c\u300e")
_CLOSE_LEANING = frozenset("\u201d\u00bb\u2019\u203a\u300d\u300f")
# Characters after which a mark is in "opening" position (besides whitespace / paragraph start).
_OPEN_CONTEXT = frozenset("([{<\u2014\u2013-/:;,\u2026") | ALL_MARKS
_NEXT_WORD_RE = re.compile(r"\w+")
# Words that typically follow a closing quote mark rather than a plural possessive.
_AFTER_CLOSE_WORDS = frozenset(
    """was is are were be been has have had will would can could should may might must and or but
    nor so yet in on at to for with as by of from into than that which who when while after before
    since because if though although until unless he she they it we i you said says told added
    according instead too also again then""".split()
)
#: A speaker attributed with less confidence than this is shown as uncertain (CLI table, reader, brief).
UNCERTAIN_SPEAKER_BELOW = 0.6

_ELISIONS = ("em", "til", "tis", "twas", "cause", "bout", "n", "round", "nuff", "kay", "s")
_ELISION_RE = re.compile(r"(?:" + "|".join(_ELISIONS) + r")\b|\d{2}s?\b", re.IGNORECASE)



@dataclass(slots=True)
class Quote:
    """One quoted span of an article.

    ``start``/``end`` are character offsets into the cleaned body of the text BETWEEN the marks
    (whitespace just inside the marks trimmed); ``source_start``/``source_end`` the same span in
    the article's source text (through its offset map). ``index`` is the quote's position in the
    article; ``utterance_id`` is shared by the spans of one interrupted or multi-paragraph
    quotation; ``nested_in`` is the index of the enclosing quote, if any.
    """

    article_id: str
    index: int
    start: int
    end: int
    text: str
    open_mark: str
    close_mark: str  # "" when unclosed or continued into the next paragraph
    unclosed: bool = False
    scare: bool = False
    utterance_id: str = ""
    continued: bool = False  # multi-paragraph quotation: goes on in the next paragraph
    nested_in: int | None = None
    speaker: str | None = None
    speaker_confidence: float = 0.0
    cited_source: str | None = None  # outlet the text cites for the quote ("— cites Politico")
    source_start: int = 0
    source_end: int = 0

    @property
    def words(self) -> int:
        return len(_WORD_RE.findall(self.text))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quote:
        return cls(**d)


_WORD_RE = re.compile(r"\w+(?:['\u2019\-]\w+)*")
# Two apostrophes used as one double mark (the LexisNexis / NYT archive convention ''like this'').
_TWO_APOSTROPHES_RE = re.compile("''|\u2019\u2019|\u2018\u2018")


_ABBREVIATION_TITLES = (
    "Mr Mrs Ms Messrs Dr Sen Sens Rep Reps Gov Gen Lt Col Sgt Capt Cpl Adm Maj Cmdr Prof Rev Hon "
    "Pres Supt Det Insp Atty Amb Sec St Ste Mt Ft Jr Sr No").split()


def _abbreviation_dot_pattern() -> str:
    """``\\b(?:Mr|Mrs|…)\\.(?=\\s)|\\b[A-Z]\\.(?=\\s+[A-Z][a-z])`` written letter by letter
    (``M(?<!\\wM)(?:r|rs|…)``), so that the regex engine skips straight to capital letters instead of
    trying every title at every word boundary; it matches exactly the same spans."""
    by_letter: dict[str, list[str]] = {}
    for title in _ABBREVIATION_TITLES:
        by_letter.setdefault(title[0], []).append(title[1:])
    branches = []
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        rests = sorted(set(by_letter.get(letter, [])), key=lambda r: (-len(r), r))
        parts = []
        if rests:
            parts.append("(?:" + "|".join(rests) + r")\.(?=\s)")
        parts.append(r"\.(?=\s+[A-Z][a-z])")  # an initial: "Lisa O. Monaco"
        branches.append(f"{letter}(?<!\\w{letter})(?:" + "|".join(parts) + ")")
    return "|".join(branches)


# Titles and initials whose dot is not a sentence end ("Mr. Trump", "Sen. Warren", "Lisa O. Monaco").
_ABBREVIATION_DOT_RE = re.compile(_abbreviation_dot_pattern())


# Party-and-state tags after a US politician's name: "(D-Md.)", "(R-Utah)", ", R-Ky.,".
_PARTY_TAG_RE = re.compile(r"\((?:[DRI]|Dem|Rep|Ind)\s?-\s?[A-Z][A-Za-z.\s]{0,16}\)|[DRI](?<=, [DRI])-[A-Z][A-Za-z.]{1,6}(?=,)")


def _mask_abbreviation_dots(body: str) -> str:
    """The dot of a title or initial becomes a space (same length, offsets unchanged), so that
    sentence and clause splitting never cut "Mr. Trump" or "Lisa O. Monaco" in two; party tags
    ("(D-Md.)") become spaces, so "said Rep. Elijah E. Cummings (D-Md.)" ends with the name."""
    body = _ABBREVIATION_DOT_RE.sub(lambda m: m.group()[:-1] + " ", body)
    return _PARTY_TAG_RE.sub(lambda m: " " * len(m.group()), body)


def _double_apostrophes_as_marks(body: str) -> str:
    """``''…''`` read as ``"…"``: same length, so every offset stays valid.

    An opening pair (after a space or paragraph start) becomes `` "`` (the mark next to the text), a
    closing pair ``" `` ; a pair squeezed between letters is left alone."""
    if "''" not in body and "\u2019\u2019" not in body and "\u2018\u2018" not in body:
        return body
    chars = list(body)
    for m in _TWO_APOSTROPHES_RE.finditer(body):
        i = m.start()
        prev = body[i - 1] if i > 0 else " "
        nxt = body[i + 2] if i + 2 < len(body) else " "
        if not prev.isalnum() and (nxt.isalnum() or nxt in "$(\u2026.-"):
            chars[i], chars[i + 1] = " ", '"'
        elif not nxt.isalnum():
            chars[i], chars[i + 1] = '"', " "
    return "".join(chars)

# ---------------------------------------------------------------------------------------------
# Paragraphs and mark pairing


def _paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line; soft-wrapped lines (no sentence end, next line starts
    in lowercase) are joined into one paragraph."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in body.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        stripped = line.strip()
        if not stripped:
            continue
        s += len(line) - len(line.lstrip())
        e -= len(line) - len(line.rstrip())
        if spans:
            ps, pe = spans[-1]
            prev_last = body[pe - 1]
            gap = body[pe:s]
            if gap.count("\n") == 1 and stripped[0].islower() and prev_last not in ".!?:;\u2026" and prev_last not in ALL_MARKS:
                spans[-1] = (ps, e)
                continue
        spans.append((s, e))
    return spans


def _classify(text: str, i: int, lo: int, hi: int) -> tuple[bool, bool]:
    """Whether the mark at ``text[i]`` is in opening and/or closing position within [lo, hi)."""
    prev = text[i - 1] if i > lo else None
    nxt = text[i + 1] if i + 1 < hi else None
    prev_space = prev is None or prev.isspace()
    next_space = nxt is None or nxt.isspace()
    can_open = (prev_space or prev in _OPEN_CONTEXT) and not next_space
    can_close = not prev_space and (next_space or not nxt.isalnum())
    return can_open, can_close


@dataclass(slots=True)
class _Open:
    kind: str  # "d" double, "s" single
    mark: str
    pos: int  # index of the mark
    continued_from: int | None = None  # utterance key for multi-paragraph quotes


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    open_mark: str
    close_mark: str
    unclosed: bool
    continued: bool
    depth: int
    para: int
    utterance: int
    mark_pos: int
    close_pos: int


def _is_apostrophe(text: str, i: int, lo: int, hi: int, stack: list[_Open]) -> bool:
    """Single marks that are apostrophes: inside a word, elisions ('em, '90s, 'n'), plural possessive."""
    prev = text[i - 1] if i > lo else ""
    nxt = text[i + 1] if i + 1 < hi else ""
    if prev.isalnum() and nxt.isalnum():
        return True  # don't, O'Neill, Zelensky's
    if (not prev or not prev.isalnum()) and nxt.isalnum():
        # opening position: elision like 'em, 'til, '90s, 'n'
        if _ELISION_RE.match(text, i + 1, hi):
            m = _ELISION_RE.match(text, i + 1, hi)
            assert m is not None
            after = text[m.end()] if m.end() < hi else ""
            # "'n'" / "'em" etc. only when not obviously the start of a quoted phrase
            if after != "" and after not in " \t.,;!?\u2019'":
                return False
            return not (m.group().lower() == "s" and prev == "")
        return False
    if prev.isalpha() and not nxt.isalnum():
        # closing position after a letter: a closing single quote, or plural possessive
        open_single = any(o.kind == "s" for o in stack)
        if prev.lower() == "s" and nxt.isspace():
            j = i + 1
            while j < hi and text[j].isspace():
                j += 1
            m = _NEXT_WORD_RE.match(text, j, hi)
            nxt_word = m.group() if m else ""
            if not open_single:
                return True  # the workers' union
            if nxt_word[:1].islower() and nxt_word not in _AFTER_CLOSE_WORDS:
                return True  # 'the workers' union' : a possessive inside an open single quote
            return False
        return not open_single
    return False


def _pair_marks(body: str) -> list[_Raw]:
    paras = _paragraphs(body)
    raws: list[_Raw] = []
    carry: _Open | None = None  # outer double quote continuing from the previous paragraph
    for p_index, (lo, hi) in enumerate(paras):
        stack: list[_Open] = []
        first_mark_checked = False
        for mark in _MARK_RE.finditer(body, lo, hi):
            i = mark.start()
            ch = body[i]
            kind = "d" if ch in DOUBLE_MARKS else "s"
            if kind == "s" and _is_apostrophe(body, i, lo, hi, stack):
                continue
            can_open, can_close = _classify(body, i, lo, hi)
            if ch in _GUILLEMETS and not can_open and not can_close:
                # French spacing: « text » (a space, often non-breaking, inside the marks)
                if ch in _OPEN_LEANING:
                    can_open = True
                elif any(o.kind == kind for o in stack):
                    can_close = True
            if can_open and can_close:
                has_open = any(o.kind == kind for o in stack)
                if ch in _OPEN_LEANING and not (has_open and stack and stack[-1].kind == kind):
                    can_close = False
                elif ch in _CLOSE_LEANING or has_open:
                    can_open = False
                else:
                    can_close = False
            if not can_open and not can_close:
                # squeezed between text ("word"word): close an open quote of its kind, else skip
                if any(o.kind == kind for o in stack):
                    can_close = True
                else:
                    continue
            if can_close and any(o.kind == kind for o in stack):
                while stack and stack[-1].kind != kind:
                    stack.pop()  # unclosed single marks inside were apostrophes
                opened = stack.pop()
                raws.append(_make_raw(body, opened, i, ch, False, False, len(stack), p_index))
                continue
            if can_open:
                cont = None
                if not first_mark_checked and carry is not None and kind == "d" and not body[lo:i].strip():
                    cont = carry.continued_from if carry.continued_from is not None else carry.pos
                stack.append(_Open(kind, ch, i, cont))
            first_mark_checked = True
        carry = None
        # Paragraph end: open double quotes either continue (multi-paragraph) or are unclosed.
        doubles = [o for o in stack if o.kind == "d"]
        if doubles:
            nxt_starts_with_mark = False
            if p_index + 1 < len(paras):
                nlo, _ = paras[p_index + 1]
                nxt_starts_with_mark = body[nlo] in DOUBLE_MARKS
            for depth, opened in enumerate(doubles):
                continues = depth == 0 and nxt_starts_with_mark
                raws.append(_make_raw(body, opened, hi, "", not continues, continues, depth, p_index))
                if continues:
                    carry = opened
        first_mark_checked = True
    return raws


def _make_raw(body: str, opened: _Open, close_pos: int, close_mark: str, unclosed: bool, continued: bool,
              depth: int, para: int) -> _Raw:
    start, end = opened.pos + 1, close_pos
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    raw = _Raw(start, end, opened.mark, close_mark, unclosed, continued, depth, para, 0, opened.pos, close_pos)
    raw.utterance = -1 if opened.continued_from is None else opened.continued_from
    return raw


# ---------------------------------------------------------------------------------------------
# Sentences, names and attribution

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u0400-\u042f\u0391-\u03a9"
_NAME_WORD = rf"(?:[{_UPPER}](?:(?:\.[{_UPPER}])+\.?|\.|[\w\u2019'\-]*))"
_PARTICLE = r"(?:de|da|di|du|del|della|van|von|der|den|la|le|al|el|bin|ibn|ben|af|zu|of the|of)"
# Names never run across a line break ("Ohio\nHillary Clinton" is two things).
_NAME_RE = re.compile(rf"{_NAME_WORD}(?:[^\S\n]+(?:{_PARTICLE}[^\S\n]+)?{_NAME_WORD})*")
_PRONOUNS = {"he": "m", "she": "f", "they": "", "He": "m", "She": "f", "They": ""}

def _load_speech_verbs() -> tuple[str, frozenset[str]]:
    """The speech verbs (rules/speech_verbs.yaml) as one regex alternation, longest first, and the
    verbs that cite a source."""
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "rules" / "speech_verbs.yaml").read_text(encoding="utf-8"))
    verbs = sorted({str(v) for v in data["verbs"]} | {str(v) for v in data["source_verbs"]}, key=lambda v: (-len(v), v))
    return _alternation_trie(verbs), frozenset(str(v) for v in data["source_verbs"])


def _alternation_trie(words: list[str]) -> str:
    """``words`` (longest first) as one regex alternation factored by shared prefixes: it matches
    what ``"|".join(words)`` matches, preferring the same (longest) word, but the regex engine tries
    a handful of branches at each position instead of every word (a space matches any run of
    whitespace)."""
    def tokens(word: str) -> list[str]:
        return ["\\s+" if c == " " else re.escape(c) for c in word]

    def build(entries: list[list[str]]) -> str:
        # entries keep their longest-first order; the empty one (a word ending here) comes last
        groups: dict[str, list[list[str]]] = {}
        ends = False
        for entry in entries:
            if entry:
                groups.setdefault(entry[0], []).append(entry[1:])
            else:
                ends = True
        branches = []
        for head, rests in groups.items():
            if len(rests) == 1:
                branches.append(head + "".join(rests[0]))
            else:
                branches.append(head + build(rests))
        if ends:
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build([tokens(w) for w in words])


SPEECH_VERBS, _SOURCE_VERBS = _load_speech_verbs()
_VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_SKIP_BETWEEN = re.compile(
    r"^(?:\s|,|(?:on|last|this|late|early)\s+\w+|also|again|then|later|previously|once|repeatedly|publicly|"
    r"reportedly|however|has|have|had|having|was|is|were|had|would|will|later|further|has also|"
    r"in\s+a\s+\w+(?:\s+\w+)?)*$",
    re.IGNORECASE,
)
_TITLE_WORDS = frozenset(
    """president vice prime minister foreign secretary general chancellor senator sen rep dr mr mrs ms
    miss prof professor king queen prince princess pope chief commissioner ambassador governor mayor
    judge gen col adm lt sgt sir dame lord lady deputy high representative chairman chairwoman chair
    spokesperson spokesman spokeswoman director head ceo premier defence defense interior finance
    economy state envoy special leader speaker general attorney minister's president's former
    acting first lawmaker senior official officer commander marshal admiral colonel captain bishop
    cardinal patriarch sheikh emir crown senate majority minority whip press sens reps gov gens
    congressman congresswoman assemblyman assemblywoman councilman councilwoman""".split()
)
_PERSONAL_TITLES = frozenset(
    """president minister chancellor senator sen rep mr mrs ms dr king queen pope prince princess
    commissioner ambassador governor mayor judge general gen secretary premier spokesman spokeswoman
    spokesperson sir dame lord lady prof professor sheikh emir envoy""".split()
)
_ORG_WORDS = frozenset(
    """union ministry house council agency press committee commission office department party
    parliament government kremlin times post news journal group bank fund organization organisation
    forces army navy court assembly alliance institute university company corporation inc ltd
    network service services summit coalition willing states kingdom republic federation nations sea
    river city street square broadcasting system centre center club foundation media platform
    association guard police ministry's bureau board authority tribune telegraph herald gazette
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december nato eu un us uk bbc cnn afp reuters politico
    x twitter facebook telegram policy affairs security diplomacy relations war peace agreement treaty
    plan deal act law program programme review report index show magazine network channel podcast radio
    television tv newspaper daily weekly episode series""".split()
)
# Nouns that make a description ("the senator", "the former governor") stand for a person named earlier.
_PERSON_NOUNS = _PERSONAL_TITLES | frozenset(
    """candidate nominee official officials aide adviser advisor strategist lawmaker congressman
    congresswoman senator leader chairman chairwoman chair businessman businesswoman billionaire mogul
    woman man wife husband father mother son daughter founder executive democrat republican host
    star actor actress singer author economist analyst pollster lawyer attorney manager director
    officer chief premier frontrunner front-runner incumbent challenger rival opponent head boss
    politician legislator activist veteran resident voter supporter critic expert researcher scientist
    doctor nurse teacher student worker farmer fisherman owner strategist operative organizer
    organiser negotiator mediator prosecutor judge lawyer banker investor consultant
    diplomat representative commander general president minister secretary ambassador""".split()
)
# Capitalised words that never name who spoke ("said Tuesday").
_NEVER_SPEAKERS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december today yesterday tonight""".split()
)
# US states never speak nor are "he"/"she"; two-word ones are matched as a whole name
_NEVER_SPEAKER_NAMES = frozenset(
    """new hampshire|new jersey|new mexico|new york|north carolina|north dakota|south carolina|
    south dakota|rhode island|west virginia|district of columbia""".replace("\n", "").replace("    ", "").split("|")
)
_NON_NAME_STARTS = frozenset(
    """the a an but and or if in on at as so yet for nor this that these those it its he she they we i
    you our their his her my your there here when while after before since although though because
    meanwhile however moreover according now then also even still just only no not yes what who why
    how where which despite during ahead among with without from by to of likewise nor touching
    turning asked speaking several many some both each every major foreign maybe perhaps instead
    neither either yes thus hence indeed nevertheless nonetheless besides furthermore otherwise
    said says told tells added asked unlike like until unless whether whatever whoever""".split()
)


_SENTENCE_START_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)]*\s+|\n")


def _sentence_bounds(body: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """Start/end of the sentence around ``pos`` within paragraph [lo, hi)."""
    start = lo
    # the look-ahead may see the quotation's own opening mark and first letter (``session. “We``)
    for m in _SENTENCE_END_BEFORE_RE.finditer(body, lo, min(hi, pos + 2)):
        if m.end() <= pos:
            start = m.end()
    m = _SENTENCE_END_AFTER_RE.search(body[pos:hi])
    end = pos + m.end() if m else hi
    return start, end


_SENTENCE_END_BEFORE_RE = re.compile(
    r"[.!?\u2026](?=[\s\"'\u201d\u2019\u00bb]*\s+[\"'\u201c\u2018\u00ab\u201e]?[" + _UPPER + r"])")
_SENTENCE_END_AFTER_RE = re.compile(
    r"[.!?\u2026](?=[\s\"'\u201d\u2019\u00bb]*(?:\s+[\"'\u201c\u2018\u00ab\u201e]?[" + _UPPER + r"]|$))")


_ACRONYM_RE = re.compile(r"[A-Z]{2,4}")
_DEMONYM_RE = re.compile(r"(?:ian|ese|ish|ean|ch|an)$")


@lru_cache(maxsize=65536)
def _clean_name(raw: str, *, allow_org: bool = False) -> str | None:
    """Strip titles, demonyms and possessives from a capitalised sequence; None if nothing personal is left."""
    words = raw.replace("\u2019", "'").split()
    for k in range(len(words) - 2, -1, -1):
        if words[k].endswith("'s"):  # "the Union's High Representative X" -> "High Representative X"
            words = words[k + 1 :]
            break
    while words and (
        words[0].lower().strip(".,") in _TITLE_WORDS
        or words[0].lower() in _NON_NAME_STARTS
        or words[0].endswith("'s")
        or _ACRONYM_RE.fullmatch(words[0]) is not None and len(words) > 1
        or (len(words) > 1 and _DEMONYM_RE.search(words[0]) and words[0][0].isupper()
            and words[1][0].isupper() and words[1].lower() in _TITLE_WORDS)
    ):
        words.pop(0)
    # "New Hampshire Sen Kelly Ayotte", "U.N. Ambassador John Bolton": the name follows the title
    inner = [k for k in range(1, len(words) - 1) if words[k].lower().strip(".,") in _PERSONAL_TITLES]
    if inner:
        words = words[inner[-1] + 1 :]
    # drop trailing possessive / punctuation
    while words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    words = [w.strip(".,;:") for w in words if w.strip(".,;:")]
    while len(words) > 1 and words[-1].lower() in _NEVER_SPEAKERS:
        words.pop()  # "MSNBC Monday"
    if not words or all(w.lower() in _NEVER_SPEAKERS for w in words) or " ".join(words).lower() in _NEVER_SPEAKER_NAMES:
        return None
    if not allow_org and any(w.lower().removesuffix("'s") in _ORG_WORDS for w in words):
        return None
    return " ".join(words)


_CAPITAL_WORD_RE = re.compile(rf"(?<!\S)[{_UPPER}]")


def _headline_lines(body: str) -> set[int]:
    """Start offsets of lines in headline case (4+ words, nearly all capitalised, no sentence end)."""
    out: set[int] = set()
    pos = 0
    for line in body.split("\n"):
        capitals = len(_CAPITAL_WORD_RE.findall(line))
        if capitals < 4 or capitals < 0.5 * line.count(" "):
            pos += len(line) + 1
            continue  # prose: most lines end here, without splitting into words
        words = [w for w in line.split() if w[:1].isalpha()]
        if len(words) >= 4 and not line.rstrip().endswith((",", ";", ":")):
            capitals = sum(1 for w in words if w[0].isupper() or w.lower() in _SMALL_WORDS)
            if capitals >= 0.85 * len(words) and sum(1 for w in words if w[0].isupper()) >= 4:
                out.add(pos)
        pos += len(line) + 1
    return out


@lru_cache(maxsize=65536)
def _name_mention(raw: str) -> tuple[str, int, bool] | None:
    """(name, its offset in ``raw``, strong) for a capitalised run, or None when it names no one
    (cached: the same runs recur in every article). Strong: a full name, or a titled one."""
    titled = any(w.lower().strip(".") in _PERSONAL_TITLES for w in raw.split()[:-1])
    name = _clean_name(raw)
    if not name:
        return None
    words = name.split()
    shift = raw.find(words[0]) if words[0] in raw else 0
    if len(words) >= 2 or titled:
        if len(words) >= 2 and any(w.isupper() and len(w) > 1 for w in words):
            return None
        return name, shift, True
    return name, shift, False


@dataclass(slots=True)
class _Person:
    name: str
    gender: str = ""


class _Speakers:
    """Resolves names, pronouns and descriptions to people as the article is read."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.full_names: dict[str, str] = {}  # surname or full name -> canonical full name
        self.people: dict[str, _Person] = {}
        self.mentions: list[tuple[int, str]] = []  # (offset, canonical) of person mentions
        self.events: list[tuple[int, str]] = []  # (offset, canonical) of speakers
        self.future_speakers: list[tuple[int, str]] = []  # named subjects of speech verbs, whole text
        self.subjects: list[tuple[int, str]] = []  # first person named in each sentence outside quotes
        self._collect_names()

    def _collect_names(self) -> None:
        candidates: list[tuple[int, str, bool]] = []
        headline_lines = _headline_lines(self.body)
        for m in _NAME_RE.finditer(self.body):
            raw = m.group()
            if headline_lines and self.body.rfind("\n", 0, m.start()) + 1 in headline_lines:
                continue  # "Rubio Says Abandoning Reform Was A Sign Of Leadership": a headline, not a name
            info = _name_mention(raw)
            if info is None:
                continue
            name, shift, strong = info
            candidates.append((m.start() + shift, name, strong))
        for _, name, strong in sorted(candidates, key=lambda c: -len(c[1].split())):
            if strong:
                self.full_names.setdefault(name, name)
                self.full_names.setdefault(name.split()[-1], name)
        for off, name, strong in candidates:
            canonical = self.canonical(name)
            if canonical:
                self.mentions.append((off, canonical))

    def canonical(self, name: str) -> str | None:
        name = name.strip()
        if name in self.full_names:
            full = self.full_names[name]
            return self.full_names.get(full, full)
        last = name.split()[-1] if name.split() else ""
        if last in self.full_names and len(name.split()) <= 2:
            return self.full_names[last]
        return None

    def register(self, offset: int, name: str) -> None:
        self.events.append((offset, name))
        self.people.setdefault(name, _Person(name))

    def spoke_since(self, start: int, end: int, name: str) -> bool:
        """Whether ``name`` was registered as a speaker between ``start`` and ``end``."""
        return any(start <= off < end and who == name for off, who in self.events)

    def last_speaker(self, before: int, gender: str = "") -> str | None:
        for off, name in reversed(self.events):
            if off < before and self._gender_ok(name, gender):
                return name
        return None

    def set_subjects(self, quote_spans: list[tuple[int, int]]) -> None:
        """Sentence subjects: the first person named in each sentence, outside quotations."""
        starts = [0] + [m.end() for m in _SENTENCE_START_RE.finditer(self.body)]
        spans = sorted(quote_spans)
        span_starts = [a for a, _ in spans]
        seen: set[int] = set()
        self.subjects = []
        for off, name in self.mentions:
            k = bisect.bisect_right(span_starts, off) - 1
            if k >= 0 and spans[k][0] <= off < spans[k][1]:
                continue
            sid = bisect.bisect_right(starts, off)
            if (sid not in seen and _PREPOSITION_END_RE.search(self.body, max(0, off - 12), off)
                    and not self.body[max(0, off - 13) : off].lower().rstrip().endswith("according to")):
                continue  # "On the show with Smith, Clinton said": Smith is not the subject
            if sid not in seen:
                seen.add(sid)
                self.subjects.append((off, name))

    def recent_actor(self, before: int, gender: str = "") -> str | None:
        """The most recent speaker or sentence subject before ``before`` whose gender fits."""
        best: tuple[int, str] | None = None
        for seq in (self.events, self.subjects):
            for off, name in reversed(seq):
                if off < before and self._gender_ok(name, gender):
                    if best is None or off > best[0]:
                        best = (off, name)
                    break
        return best[1] if best else None

    def _gender_ok(self, name: str, gender: str) -> bool:
        known = self.people.get(name, _Person(name)).gender
        return not gender or not known or known == gender

    def first_person_between(self, lo: int, hi: int) -> str | None:
        for off, name in self.mentions:
            if lo <= off < hi:
                return name
        return None

    def last_person_before(self, before: int, gender: str = "") -> str | None:
        for off, name in reversed(self.mentions):
            if off < before and self._gender_ok(name, gender):
                return name
        return None

    def next_person_after(self, after: int) -> str | None:
        for off, name in self.future_speakers:
            if off > after:
                return name
        for off, name in self.mentions:
            if off > after:
                return name
        return None

    def learn_gender(self, name: str, gender: str) -> None:
        if gender:
            self.people.setdefault(name, _Person(name)).gender = gender


_CLAUSE_CUT_RE = re.compile(
    r"[.!?;:\u2026]|(?<!\w)[" + "".join(sorted(ALL_MARKS)) + r"]"
    # a closing mark ends the clause, but not the apostrophe of a possessive ("Cross' speech")
    r"|(?<!s(?=['\u2019]\s[a-z]))[" + "".join(sorted(ALL_MARKS)) + r"](?!\w)"
)
# Segments before a speech verb that are not its subject: a relative clause about a thing or place
# ("Orlando, Florida, which Will claims affirmed") ends the search; one about a person ("Zimmerman,
# who identifies as Hispanic, told") is skipped.
_THING_CLAUSE_RE = re.compile(r"(?:which|where|when|that)\b")
_PERSON_CLAUSE_RE = re.compile(r"(?:who|whose|whom)\b")


def _subject_left(text: str) -> tuple[str, str] | None:
    """The subject of a speech verb from the clause before it (``text`` ends right before the verb)."""
    # cut at the clause start (sentence punctuation or a quote mark)
    clause = _CLAUSE_CUT_RE.split(text)[-1]
    segments = re.split(r",|\u2014|\u2013| - ", clause)
    for k in range(len(segments) - 1, -1, -1):
        seg_raw = segments[k]
        seg = seg_raw.strip()
        if not seg:
            continue
        if _PERSON_CLAUSE_RE.match(seg):
            continue
        if _THING_CLAUSE_RE.match(seg):
            return None
        if k > 0 and _NAME_RE.fullmatch(seg) and re.search(rf"\b(?:in|at|from|near|of)\s+{_NAME_WORD}(?:\s+{_NAME_WORD})*\s*$", segments[k - 1]):
            continue  # "in Columbus, Ohio, said": the state of a place, not the speaker
        words = seg.split()
        last = words[-1]
        if last in _PRONOUNS and len(words) <= 3:
            return last, "pronoun"
        if words[0] in _PRONOUNS and _SKIP_BETWEEN.match(" ".join(words[1:])):
            return words[0], "pronoun"
        # the name must be at the end of the segment, allowing a few skip words after it
        for m in reversed(list(_NAME_RE.finditer(seg))):
            tail = seg[m.end() :]
            if not _SKIP_BETWEEN.match(tail.strip()) and tail.strip():
                continue
            if _PREPOSITION_END_RE.search(seg[: m.start()]):
                break  # "diplomats in Paris", "relations with Cuba": an object, not the speaker
            name = _clean_name(m.group())
            if name:
                return name, "name"
        low = seg.lower()
        if re.match(r"(?:the|a|an|another|one|some|two|three|several)\s", low) and len(words) <= 8:
            # apposition: "Douglas Holtz-Eakin, an economist and tax expert, said": the name
            named = _name_before_apposition(segments[: segments.index(seg_raw)])
            if named:
                return named, "name"
            desc = re.split(r"\s+(?:on|in|at|last|this|has|had|have|also|then)\s", seg)[0]
            return desc, "description"
        if _SKIP_BETWEEN.match(seg) or seg.lower() in ("however", "meanwhile", "also"):
            continue
        if words[0][0].islower() and len(words) <= 12:
            continue  # appositive ("deputy chairman of the council") before the verb
        return None
    return None


def _name_before_apposition(segments: list[str]) -> str | None:
    """The name ending the last non-blank segment before an apposition, if it is one."""
    for seg in reversed(segments):
        seg = seg.strip()
        if not seg:
            continue
        m = re.search(rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD})*$", seg)
        if m and len(m.group().split()) >= 1 and seg[: m.start()].strip().split()[-1:] != ["and"]:
            return _clean_name(m.group())
        return None
    return None


def _subject_right(text: str) -> tuple[str, str] | None:
    """Inverted attribution: ``said Kallas``, ``cites Politico``, ``added the minister``."""
    m = re.match(
        rf"\s*(?:(?:the|a|an)\s+)?((?:[a-z][\w\-]*\s+){{0,3}}?)({_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD})*)",
        text,
    )
    if m and any(w in _NON_NAME_STARTS or w in _AFTER_CLOSE_WORDS for w in m.group(1).split()):
        return None  # "…, asserting that the United States has": not an inverted attribution
    if m:
        # "said Democratic strategist Simon Rosenberg": an adjective, a role, then the name
        role = re.match(rf"[^\S\n]+((?:[a-z][\w\-]*[^\S\n]+){{1,3}})({_NAME_WORD}(?:[^\S\n]+{_NAME_WORD})+)", text[m.end() :])
        if role and any(w in _PERSON_NOUNS for w in role.group(1).split()):
            name = _clean_name(role.group(2).rstrip("."))
            if name:
                return name, "name"
        name = _clean_name(m.group(2).rstrip("."), allow_org=True)
        return (name, "name") if name else None
    m = re.match(r"\s*((?:the|a)\s+[\w\u2019'\- ]{2,60}?)(?=[,.;:]|$| in | on | at | who | after )", text)
    if m:
        return m.group(1), "description"
    return None


_SUBORDINATE_START_RE = re.compile(
    r"\s*(?:when|while|after|before|because|since|if|although|though|until|unless|where|whereas|as soon as)\b",
    re.IGNORECASE)
_LISTENER_VERBS = frozenset({"told", "tells", "tell", "telling", "asked", "asks"})
_LISTENER_BEFORE_RE = re.compile(r"\b(?:told|telling|tells|tell|asked|asking|to|with)\s*$", re.IGNORECASE)
_PREPOSITION_END_RE = re.compile(r"\b(?:in|at|from|to|with|of|for|on|about|against|into|near|over|toward|towards)\s+$")
_DASH_NAME_RE = re.compile(
    rf"^[^\S\n]*[\u2015\u2014\u2013-]{{1,2}}[^\S\n]*({_NAME_WORD}(?:[^\S\n]+(?:{_PARTICLE}[^\S\n]+)?{_NAME_WORD}){{1,4}})"
    rf"[^\S\n]*(?:[.,;]|$)"
)
_ATTRIBUTION_AFTER = re.compile(rf"^[\s,.!?\u2014\u2013-]*(.{{0,120}}?)\b({SPEECH_VERBS})\b", re.DOTALL)


class _Resolver:
    def __init__(self, body: str) -> None:
        self.body = body
        self.speakers = _Speakers(body)

    def resolve(self, subject: str, kind: str, verb: str, pos: int, sentence_start: int) -> tuple[str | None, float, str | None]:
        """(speaker, confidence, cited_source) for one attribution."""
        sp = self.speakers
        if kind == "pronoun":
            gender = _PRONOUNS.get(subject, "")
            if subject.lower() == "they":
                return None, 0.0, None
            who = (sp.recent_actor(pos, gender) or sp.first_person_between(sentence_start, pos)
                   or sp.last_person_before(pos, gender))
            if who:
                sp.learn_gender(who, gender)
                return who, 0.7, None
            return None, 0.0, None
        if kind == "description":
            if re.match(r"(?:a|an|one|another)\s", subject, re.IGNORECASE):
                return subject, 0.5, None  # "a Treasury spokesperson": someone new, not an earlier name
            if not any(w.lower().strip(".,") in _PERSON_NOUNS for w in subject.split()):
                return subject, 0.5, None  # "the report", "the newspaper": the source is not a person
            who = sp.recent_actor(pos) or sp.last_person_before(pos)
            if who:
                return who, 0.6, None
            who = sp.next_person_after(pos)
            if who:
                return who, 0.4, None
            return subject, 0.3, None
        canonical = sp.canonical(subject)
        if canonical:
            return canonical, 0.95, None
        if verb in _SOURCE_VERBS:
            who = sp.first_person_between(sentence_start, pos) or sp.last_speaker(pos) or sp.last_person_before(pos)
            return who, 0.5 if who else 0.0, subject
        return subject, 0.85, None


def _attribution_for(body: str, resolver: _Resolver, q: _Raw, lo: int, hi: int,
                     next_open: int) -> tuple[str | None, float, str | None, bool]:
    """(speaker, confidence, cited_source, attribution_follows) of a quote span."""
    s_start, _ = _sentence_bounds(body, q.mark_pos, lo, hi)
    own_sentence_start = s_start
    if not body[s_start : q.mark_pos].strip() and s_start > lo:
        # the quotation opens its sentence: the sentence before it (same paragraph) sets the scene
        # (`Vik spoke on Monday. "…"`, `Vik said: ... "…"`)
        s_start = _sentence_bounds(body, s_start - 1, lo, hi)[0]
    # 1. attribution right after the closing mark: `," she said` / `, — cites Politico`
    after_start = q.close_pos + (1 if q.close_mark else 0)
    after = body[after_start : min(hi, next_open)]
    # 0. a dash and a name closing the paragraph: `"…" ― Carla Sanchez.` / `"…" — Jane Doe, a nurse`
    dashed = _DASH_NAME_RE.match(after)
    if dashed and q.close_mark and not body[lo : q.mark_pos].strip():
        # only after a quotation standing alone: after narration (`Rajoy insisted his party was "…"
        # --Kim Hjelmgaard.`) a dash and a name is the writer's byline
        name = _clean_name(dashed.group(1))
        if name:
            sp, conf, src = resolver.resolve(name, "name", "said", after_start, s_start)
            return sp, max(conf, 0.9) if sp else conf, src, True
    m = _ATTRIBUTION_AFTER.match(after)
    if m and _SUBORDINATE_START_RE.match(m.group(1)):
        m = None  # `"…," when Clinton blasted him`: a clause about something else, not an attribution
    if m and body[q.start : q.end].rstrip().endswith(".") and _VERB_RE.search(body, own_sentence_start, q.mark_pos):
        # `Toomey refused, responding that he's "not going there." And Sen. Portman said …`: the
        # quotation ends a sentence whose speech verb came before it; what follows is a new sentence
        m = None
    if m and not re.search(r"[.!?]\s", m.group(1)) and len(m.group(1).split()) <= 10:
        verb = " ".join(m.group(2).split())
        left = _subject_left(m.group(1)) if m.group(1).strip() else None
        # after "told" comes the listener ("…," told CNN): never an inverted subject
        subject = left if left or verb.endswith("ing") or verb in ("told", "tells") else _subject_right(after[m.end() :])
        if left and m.group(1).rstrip().endswith(",") and not verb.endswith("ing") and verb not in ("told", "tells"):
            # `"…" that Sanders can win, said Steve Elmendorf`: the clause before is not the subject
            right = _subject_right(after[m.end() :])
            if right and right[1] == "name":
                subject = right
        if subject:
            sp, conf, src = resolver.resolve(subject[0], subject[1], verb, after_start, s_start)
            return sp, conf, src, True
    # 2. attribution before the opening mark in the same sentence: `Kallas said Putin got "…"`, `Kallas: «…»`
    before = body[s_start : q.mark_pos]
    # `Kallas: «…»`, and the `Name, Outlet:` lead-in (`Ana Pike, Harbour Radio: "…"`): the person
    colon = re.search(rf"({_NAME_WORD}(?:[^\S\n]+{_NAME_WORD})*)(?:,([^,:\n]{{2,40}}))?\s*:\s*$", before)
    if colon and colon.group(2) and _VERB_RE.search(colon.group(2)):
        colon = None  # "Additionally, Clinton said:": a speech verb's subject, not a "Name, Outlet:" lead-in
    if colon and (_LISTENER_BEFORE_RE.search(before[: colon.start()]) or _PREPOSITION_END_RE.search(before[: colon.start()])
                  or _VERB_RE.search(before, 0, colon.start())):
        # "telling CNBC: '…'": CNBC listened; "in New Hampshire: '…'": a place; "Varga told reporters
        # as she toured Port Linden: '…'": a speech verb before the name has its own subject, who speaks
        colon = None
    if colon:
        name = _clean_name(colon.group(1))
        if name:
            sp, conf, src = resolver.resolve(name, "name", "said", q.mark_pos, s_start)
            return sp, max(conf, 0.9) if sp else conf, src, True
    verbs = list(_VERB_RE.finditer(before))
    for vm in reversed(verbs):
        verb = " ".join(vm.group().split())
        if verb == "according to":
            subj = _subject_right(before[vm.end() :])
        else:
            subj = _subject_left(before[: vm.start()])
            if not subj and not verb.endswith("ing") and verb not in _LISTENER_VERBS:
                subj = _subject_right(before[vm.end() :])  # never the listener after "told"
        if verb.endswith("ing") and (not subj or subj[1] != "pronoun"):
            # "Sanders criticized the accord, saying it goes '…'": the sentence's subject speaks
            found = _sentence_subject(body, resolver, s_start, s_start + vm.start())
            if found:
                return found[0], found[1], None, False
        if subj:
            sp, conf, src = resolver.resolve(subj[0], subj[1], verb, s_start + vm.start(), s_start)
            return sp, conf * 0.95, src, False
    # 3. no attribution: the person the sentence is about (the previous sentence's, in the same
    # paragraph, when the quotation opens its sentence: `Vik spoke on Monday. "…"`)
    who = resolver.speakers.first_person_between(s_start, q.mark_pos)
    if who:
        return who, 0.5, None, False
    if not body[lo : q.mark_pos].strip():
        # a paragraph that opens with a quotation and names no one: the previous paragraph's speaker
        # goes on (news style); elsewhere an unattributed quotation stays unknown (unknown beats wrong)
        who = resolver.speakers.last_speaker(q.mark_pos)
        if who and resolver.speakers.spoke_since(lo - 600, q.mark_pos, who):
            return who, 0.45, None, False
    return None, 0.0, None, False


_DESCRIBED_SUBJECT_RE = re.compile(r"\s*(?:the|this|that)\s+((?:[\w\u2019'-]+\s+){0,2}?([\w-]+))\b", re.IGNORECASE)


def _sentence_subject(body: str, resolver: _Resolver, start: int, end: int) -> tuple[str, float] | None:
    """The person a sentence is about, from its opening words: a name there (``Sanders criticized
    …``), or a description (``The president left no doubt …``) resolved to an earlier person. A name
    further in is an object (``… helping Mrs. Clinton …``), not the speaker: None then."""
    speakers = resolver.speakers
    for off, name in speakers.mentions:
        if start <= off < end:
            if len(_WORD_RE.findall(body, start, off)) <= 3:
                return name, 0.8
            break
    described = _DESCRIBED_SUBJECT_RE.match(body, start, end)
    if described and described.group(2).lower() in _PERSON_NOUNS:
        who = speakers.recent_actor(start) or speakers.last_person_before(start)
        if who:
            return who, 0.6
    return None


def _register_speech_events(body: str, resolver: _Resolver, quote_spans: list[tuple[int, int]]) -> list[tuple[int, str, str, str]]:
    """Speech verbs outside quotes with their subjects, in text order (to resolve later pronouns)."""
    events = []
    inside = sorted(quote_spans)
    starts = [a for a, _ in inside]
    for vm in _VERB_RE.finditer(body):
        pos = vm.start()
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and inside[k][0] <= pos < inside[k][1]:
            continue
        line_start = body.rfind("\n", 0, pos) + 1
        before = body[line_start:pos]
        verb = " ".join(vm.group().split())
        if verb == "according to":
            subj = _subject_right(body[vm.end() : vm.end() + 80])
        else:
            subj = _subject_left(before[-200:])
        if subj:
            events.append((pos, subj[0], subj[1], verb))
    return events


# ---------------------------------------------------------------------------------------------
# Scare quotes

_SO_CALLED = re.compile(r"(?:so[\s-]called|dubbed|termed|labell?ed|branded|known as|the word|the term|the phrase)\s*$", re.IGNORECASE)
_SMALL_WORDS = frozenset("of the and a an for in on to at by de la du von van".split())


def _is_label(text: str) -> bool:
    """Titles of shows and books, slogans, names in Title Case ("Fox News Sunday", "Crippled America:
    How to Make America Great Again"): labels, not quotations."""
    words = _WORD_RE.findall(text)
    if not words or len(words) > 10 or len(words) < 2:
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not content or not all(w[0].isupper() or w[0].isdigit() for w in content):
        return False
    if re.search(r"[.!?]\s*$", text.strip()) or len(words) > 5:
        # a sentence or a longer title: every word capitalised, small ones included, or a subtitle
        capitals = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
        return ":" in text or capitals >= len(words) - 1
    return True


# ---------------------------------------------------------------------------------------------
# Public API


def extract_quotes(article_id: str, body: str, offsets: OffsetMap | None = None) -> list[Quote]:
    """Every quoted span of ``body`` in text order (see the module docstring for the rules).

    ``offsets`` (the article's cleaning map) fills ``source_start``/``source_end``. Never raises on
    odd input: no quotes, stray marks or hundreds of quotes just give the spans that pair up.
    """
    if not body or not _MARK_RE.search(body):
        return []
    original = body
    body = _mask_abbreviation_dots(_double_apostrophes_as_marks(body))
    raws = [r for r in _pair_marks(body) if r.end > r.start and any(c.isalnum() for c in body[r.start : r.end])]
    if not raws:
        return []
    raws.sort(key=lambda r: (r.start, -r.end))
    paras = _paragraphs(body)
    resolver = _Resolver(body)
    # speech events outside quotes, resolved in order with the quotes' own attributions
    spans = [(r.mark_pos, r.close_pos + 1) for r in raws]
    events = _register_speech_events(body, resolver, spans)
    resolver.speakers.set_subjects(spans)
    resolver.speakers.future_speakers = [
        (pos, c) for pos, subj, kind, _ in events if kind == "name" and (c := resolver.speakers.canonical(subj))
    ]

    # Utterance linking: multi-paragraph continuations (already keyed) and `"X," she said. "Y."`.
    utterance_of: list[int] = []
    next_key = 1
    key_for_mark: dict[int, int] = {}
    for idx, r in enumerate(raws):
        if r.utterance != -1 and r.utterance in key_for_mark:
            utterance_of.append(key_for_mark[r.utterance])
            key_for_mark[r.mark_pos] = key_for_mark[r.utterance]
            continue
        utterance_of.append(next_key)
        key_for_mark[r.mark_pos] = next_key
        next_key += 1

    quotes: list[Quote] = []
    outer_stack: list[int] = []
    event_i = 0
    for idx, r in enumerate(raws):
        lo, hi = paras[r.para]
        # nested_in: the closest enclosing quote
        while outer_stack and not (raws[outer_stack[-1]].start <= r.start and r.end <= raws[outer_stack[-1]].end):
            outer_stack.pop()
        nested_in = outer_stack[-1] if outer_stack and r.depth > 0 else None
        # register speech events before this quote so pronouns resolve against them
        while event_i < len(events) and events[event_i][0] < r.mark_pos:
            pos, subj, kind, verb = events[event_i]
            s0, _ = _sentence_bounds(body, pos, *_para_of(paras, pos))
            who, conf, _src = resolver.resolve(subj, kind, verb, pos, s0)
            if who and conf >= 0.5:
                resolver.speakers.register(pos, who)
            event_i += 1
        next_open = raws[idx + 1].mark_pos if idx + 1 < len(raws) and raws[idx + 1].para == r.para and raws[idx + 1].depth == 0 else hi
        if r.depth > 0:
            speaker, conf, src, follows = None, 0.0, None, False
        else:
            speaker, conf, src, follows = _attribution_for(body, resolver, r, lo, hi, max(next_open, r.close_pos))
        text = original[r.start : r.end]
        before = body[max(lo, r.mark_pos - 30) : r.mark_pos]
        n_words = len(_WORD_RE.findall(text))
        scare = bool(_SO_CALLED.search(before)) or (n_words <= 2 and not (follows and r.depth == 0 and _attribution_is_adjacent(body, r, hi))) or _is_label(text)
        if r.unclosed:
            scare = scare and n_words <= 2
        q = Quote(
            article_id=article_id,
            index=idx,
            start=r.start,
            end=r.end,
            text=text,
            open_mark="''" if original[r.mark_pos] == "'" else r.open_mark,
            close_mark="''" if r.close_mark and original[r.close_pos] == "'" else r.close_mark,
            unclosed=r.unclosed,
            scare=scare,
            utterance_id=f"{article_id}#u{utterance_of[idx]}",
            continued=r.continued,
            nested_in=nested_in,
            speaker=speaker,
            speaker_confidence=round(conf, 2),
            cited_source=src,
        )
        if offsets is not None:
            q.source_start = offsets.to_source(r.start)
            q.source_end = offsets.to_source(r.end)
        else:
            q.source_start, q.source_end = r.start, r.end
        if speaker and conf >= 0.5 and not q.scare:
            resolver.speakers.register(r.mark_pos, speaker)
        quotes.append(q)
        outer_stack.append(idx)

    _link_interrupted(body, quotes, raws, paras)
    _share_speakers(quotes)
    return quotes


def _attribution_is_adjacent(body: str, r: _Raw, hi: int) -> bool:
    """`"Never," she said` / `"No" — said Lind`: an attribution right after a short quote."""
    after = body[r.close_pos + 1 : hi]
    punct_inside = body[r.start : r.end].rstrip()[-1:] in ",!?.\u2026"
    if not punct_inside and not re.match(r"\s*[,\u2014\u2013-]", after):
        return False
    return bool(_ADJACENT_RE.match(after))


_ADJACENT_RE = re.compile(
    rf"^[\s,.!?\u2014\u2013-]*[\w\u2019'.-]+(?:\s+[\w\u2019'.-]+){{0,3}}?\s+(?:{SPEECH_VERBS})\b"
    rf"|^[\s,\u2014\u2013-]*(?:{SPEECH_VERBS})\b"
)


def _para_of(paras: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The paragraph holding ``pos`` (or the gap before the next paragraph)."""
    k = bisect.bisect_right(paras, (pos, float("inf"))) - 1
    if k < 0:
        return (0, paras[0][0]) if paras else (0, 0)
    lo, hi = paras[k]
    return (lo, hi) if pos <= hi else (hi, paras[k + 1][0] if k + 1 < len(paras) else pos + 1)


def _link_interrupted(body: str, quotes: list[Quote], raws: list[_Raw], paras: list[tuple[int, int]]) -> None:
    """``"X," she said. "Y."``: give Y the utterance of X when only X's attribution separates them and
    Y has none of its own; likewise a paragraph holding nothing but a quotation that goes on with the
    quotation ending the paragraph before (the speaker continuing, no new attribution)."""
    tops = [i for i, r in enumerate(raws) if r.depth == 0 and not quotes[i].scare]
    for a, b in zip(tops, tops[1:], strict=False):
        ra, rb = raws[a], raws[b]
        if ra.para + 1 == rb.para:
            if not _continues_next_paragraph(body, ra, rb, paras):
                continue
        elif ra.para != rb.para or not _interrupted_in_paragraph(body, quotes[a], ra, rb):
            continue
        if quotes[b].utterance_id != quotes[a].utterance_id:
            old = quotes[b].utterance_id
            for q in quotes:
                if q.utterance_id == old:
                    q.utterance_id = quotes[a].utterance_id


def _interrupted_in_paragraph(body: str, qa: Quote, ra: _Raw, rb: _Raw) -> bool:
    """``"X," she said. "Y."`` in one paragraph: only X's attribution lies between the two (one
    sentence, opening with it); ``"X." He added, "Y."`` introduces a new quotation."""
    if ra.unclosed or not ra.close_mark:
        return False
    gap = body[ra.close_pos + 1 : rb.mark_pos]
    if len(gap) > 320 or any(c in DOUBLE_MARKS for c in gap) or not re.search(r"[.,:;]\s*$", gap):
        return False
    verb = _VERB_RE.search(gap)
    if verb is None or len(gap[: verb.start()].split()) > 6 or len(gap.split()) > 40:
        return False  # the gap opens with the attribution ("she said, a ... who ...")
    if _SENTENCE_START_RE.search(gap.strip()):
        return False  # "X," she said. Later she added: "Y.": more than one sentence, two quotations
    if len(gap.split()) > 14 and not gap.rstrip().endswith("."):
        return False
    a_end = qa.text.rstrip()[-1:]
    if a_end not in ",!?.\u2026\u2014-" and not gap.lstrip().startswith(","):
        return False  # a partial quote inside narration, not the first half of an interrupted one
    if a_end in ".!?\u2026" and gap.strip()[:1].isupper() and gap.rstrip()[-1:] in ",:":
        return False  # `"X." He added, "Y."`: the gap is Y's own attribution
    # `"Y," she added.` after it stays part of the one quotation: the hand-labelled sample corpus
    # reads it so (PolNeAR would split it, but splitting breaks the sample's groups)
    return True


def _continues_next_paragraph(body: str, ra: _Raw, rb: _Raw, paras: list[tuple[int, int]]) -> bool:
    """Whether quote ``rb`` opens the paragraph after ``ra``'s and only goes on with it: ``ra`` is the
    last quotation of its paragraph, followed at most by one attribution sentence, and ``rb``'s
    paragraph is that quotation and nothing else (no attribution of its own)."""
    if ra.unclosed or not ra.close_mark or rb.unclosed or not rb.close_mark:
        return False
    _, a_end = paras[ra.para]
    b_start, b_end = paras[rb.para]
    tail = body[ra.close_pos + 1 : a_end]
    if any(c in ALL_MARKS and c not in "\u2019'" for c in tail) or len(tail.split()) > 30:
        return False
    if len(_VERB_RE.findall(tail)) > 1 or len(_SENTENCE_START_RE.findall(tail.rstrip())) > 0:
        return False  # more narration after the attribution: the next quotation needs its own
    if tail.strip(" .,;:") and not _VERB_RE.search(tail):
        return False
    if body[b_start : rb.mark_pos].strip() or body[rb.close_pos + 1 : b_end].strip(" .,;:"):
        return False
    return True


def _share_speakers(quotes: list[Quote]) -> None:
    """All spans of one utterance share its best-attested speaker."""
    best: dict[str, tuple[float, str | None, str | None]] = {}
    for q in quotes:
        if q.speaker and q.speaker_confidence > best.get(q.utterance_id, (0.0, None, None))[0]:
            best[q.utterance_id] = (q.speaker_confidence, q.speaker, q.cited_source)
    for q in quotes:
        b = best.get(q.utterance_id)
        if b and (not q.speaker or q.speaker_confidence < b[0] - 0.2):
            q.speaker_confidence, q.speaker = round(b[0] * 0.95, 2), b[1]
            q.cited_source = q.cited_source or b[2]


def utterances(quotes: list[Quote]) -> dict[str, list[Quote]]:
    """Quotes grouped by ``utterance_id`` (spans of one interrupted / multi-paragraph quotation)."""
    out: dict[str, list[Quote]] = {}
    for q in quotes:
        out.setdefault(q.utterance_id, []).append(q)
    return out
