"""Word-level diff and partial-quote alignment of two renderings of the same text.

Everything here is pure string work (no I/O, no UI). Offsets are always CHARACTER offsets into the
strings passed in, so a front end can colour exactly the words that changed.

- :func:`diff_words` tokenises both strings into words and punctuation and returns ``DiffOp`` runs
  (equal / insert / delete / replace) computed on the longest common subsequence of tokens
  (rapidfuzz's Indel opcodes, which is the classic diff).
- :func:`align` finds where a short (partial) quote sits inside a longer rendering, tolerating
  changed, added and dropped words (a word-level semi-global alignment).
- :func:`word_keys` is the normalisation shared with quote clustering: case-folded words with
  typographic apostrophes unified, contractions spelled out and British spellings mapped to
  American ones, so ``won't`` / ``will not`` and ``realise`` / ``realize`` compare equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from rapidfuzz.distance import Indel

DiffTag = Literal["equal", "insert", "delete", "replace"]

#: Characters that open or close quotations (never word-internal apostrophes).
QUOTE_CHARS = frozenset("\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
                         "\u300c\u300d\u300e\u300f\uff02\u2032\u2033")
_APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4"

# A token is an abbreviation like U.S. / e.g., a word (with inner apostrophes or hyphens), or one
# non-space, non-word character.
_TOKEN_RE = re.compile(
    r"(?:[^\W\d_]\.){2,}"  # U.S., e.g.
    r"|\w+(?:[" + _APOSTROPHES + r"\-\u2010\u2011]\w+)*"
    r"|[^\w\s]",
    re.UNICODE,
)


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One run of a word diff. ``a_span`` / ``b_span`` are character offsets into ``a`` / ``b``.

    For an ``insert`` the ``a_span`` is empty (start == end) and marks the insertion point in ``a``;
    for a ``delete`` the same holds for ``b_span``. Text between consecutive spans is whitespace (or
    punctuation / quote marks that the options told the diff to ignore).
    """

    tag: DiffTag
    a_text: str
    b_text: str
    a_span: tuple[int, int]
    b_span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Alignment:
    """Where ``short`` sits in ``long``: ``long_span`` (character offsets into ``long``) and a
    similarity ``score`` in [0, 1] between ``short``'s aligned part and that region (1.0 = same words).
    ``short_span`` is the part of ``short`` that aligned (all of it unless its ends hang over)."""

    long_span: tuple[int, int]
    score: float
    short_span: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Words, abbreviations and single punctuation characters of ``text`` with their offsets."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _is_word(tok: str) -> bool:
    return any(ch.isalnum() for ch in tok)


def _unify_apostrophes(tok: str) -> str:
    for ch in _APOSTROPHES[1:]:
        if ch in tok:
            tok = tok.replace(ch, "'")
    return tok


def _diff_key(tok: str, ignore_case: bool, ignore_punct: bool) -> str:
    key = _unify_apostrophes(tok)
    if ignore_case:
        key = key.casefold()
    if ignore_punct and _is_word(key):
        key = "".join(ch for ch in key if ch.isalnum())
    return key


def _keep_token(tok: str, ignore_punct: bool, ignore_quotes: bool) -> bool:
    if _is_word(tok):
        return True
    if ignore_punct:
        return False
    return not (ignore_quotes and tok in QUOTE_CHARS)


def diff_words(
    a: str,
    b: str,
    *,
    ignore_case: bool = False,
    ignore_punct: bool = False,
    ignore_quotes: bool = False,
) -> list[DiffOp]:
    """Word-level diff of ``a`` against ``b`` as a list of :class:`DiffOp` runs, in order.

    ``ignore_case`` compares words case-insensitively; ``ignore_punct`` ignores punctuation tokens
    and punctuation inside words (``U.S.`` == ``US``), quote marks included; ``ignore_quotes``
    ignores only quote marks. Curly and straight apostrophes always compare equal.
    Adjacent deletions and insertions are merged into one ``replace`` run.
    """
    ta = [t for t in tokenize(a) if _keep_token(t.text, ignore_punct, ignore_quotes)]
    tb = [t for t in tokenize(b) if _keep_token(t.text, ignore_punct, ignore_quotes)]
    ka = [_diff_key(t.text, ignore_case, ignore_punct) for t in ta]
    kb = [_diff_key(t.text, ignore_case, ignore_punct) for t in tb]

    # Raw opcodes on token indices, adjacent non-equal runs merged into one.
    runs: list[list[Any]] = []
    for op in Indel.opcodes(ka, kb):
        tag = op.tag
        if tag != "equal" and runs and runs[-1][0] != "equal":
            prev = runs[-1]
            prev[0] = "replace" if prev[0] != tag or prev[0] == "replace" else tag
            prev[2] = op.src_end
            prev[4] = op.dest_end
            continue
        runs.append([tag, op.src_start, op.src_end, op.dest_start, op.dest_end])

    ops: list[DiffOp] = []
    for run_tag, i1, i2, j1, j2 in runs:
        kind: DiffTag = run_tag
        if kind == "replace" and (i1 == i2 or j1 == j2):
            kind = "insert" if i1 == i2 else "delete"
        a_span = _span(ta, i1, i2, len(a))
        b_span = _span(tb, j1, j2, len(b))
        ops.append(DiffOp(kind, a[a_span[0] : a_span[1]], b[b_span[0] : b_span[1]], a_span, b_span))
    return ops


def _span(tokens: list[Token], i1: int, i2: int, text_len: int) -> tuple[int, int]:
    if i1 < i2:
        return (tokens[i1].start, tokens[i2 - 1].end)
    # Empty run: the insertion point is the end of the previous token (or start of the next).
    if i1 > 0:
        pos = tokens[i1 - 1].end
    elif tokens:
        pos = tokens[0].start
    else:
        pos = 0 if text_len == 0 else 0
    return (pos, pos)


# ---------------------------------------------------------------------------------------------
# Normalised word keys (shared with quote clustering)

_CONTRACTIONS = {
    "won't": "will not",
    "can't": "can not",
    "cannot": "can not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
    "it's": "it is",
    "that's": "that is",
    "there's": "there is",
    "here's": "here is",
    "what's": "what is",
    "who's": "who is",
    "he's": "he is",
    "she's": "she is",
    "where's": "where is",
    "how's": "how is",
    "i'm": "i am",
    "gonna": "going to",
    "wanna": "want to",
}
_SUFFIX_CONTRACTIONS = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"), ("'d", " would"))

_BRITISH_WORDS = {
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "programme": "program",
    "programmes": "programs",
    "grey": "gray",
    "travelled": "traveled",
    "travelling": "traveling",
    "cancelled": "canceled",
    "cancelling": "canceling",
    "labelled": "labeled",
    "modelled": "modeled",
    "signalled": "signaled",
    "fuelled": "fueled",
    "counselled": "counseled",
    "enrolment": "enrollment",
    "fulfil": "fulfill",
    "fulfils": "fulfills",
    "judgement": "judgment",
    "ageing": "aging",
    "sceptical": "skeptical",
    "aluminium": "aluminum",
    "tyre": "tire",
    "kerb": "curb",
    "whilst": "while",
    "amongst": "among",
}
_BRITISH_SUFFIXES = (
    ("isation", "ization"),
    ("isations", "izations"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
    ("our", "or"),
    ("ours", "ors"),
    ("oured", "ored"),
    ("ouring", "oring"),
    ("ourable", "orable"),
    ("ourite", "orite"),
    ("ourites", "orites"),
    ("ourful", "orful"),
    ("ourer", "orer"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("ogue", "og"),
    ("ogues", "ogs"),
)
_WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[" + _APOSTROPHES + r"\-\u2010\u2011]\w+)*", re.UNICODE)


#: Small numbers spelled out, keyed as their digits: "a two-in-three chance" and "a 2 in 3 chance" are
#: one wording (house styles differ; the speaker said one thing).
_NUMBER_WORDS = {
    word: str(value) for value, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"])
}


#: Swear words one outlet prints and another censors ("fucking" / "f*ing" / "f-----g"): each is keyed
#: as its first letter and :data:`_CENSORED_MARK`, as is a censored word, so the two renderings match.
_SWEAR_WORDS = frozenset([
    "fuck", "fucks", "fucked", "fucking", "fuckin", "fucker", "fuckers", "motherfucker", "motherfucking", "shit",
    "shits", "shitty", "bullshit", "bitch", "bitches", "cocksucker", "cunt", "asshole", "assholes", "bastard",
    "bastards", "goddamn", "goddamned", "damn", "damned", "dick", "piss", "pissed",
])
_CENSORED_MARK = "__"  # word characters: the key stays one token
#: A censored word: its first letter, then asterisks or three or more dashes, then maybe its last
#: letters ("f*ing", "s***", "f-----g", "c---sucker"); never an em-dash between two words ("me--it").
_CENSORED_RE = re.compile(r"(?<![\w.*'])([^\W\d_])(?:\*+|-{3,})[a-z]*(?![\w*])")


def _uncensor_keys(text: str) -> str:
    """``text`` with each censored word replaced by its key (see :data:`_SWEAR_WORDS`)."""
    return _CENSORED_RE.sub(lambda m: m.group(1).casefold() + _CENSORED_MARK, text)


#: Whole words keyed as another: small numbers as digits, swear words as their censored key, British
#: spellings as American (one look-up per word).
_WORD_FORMS = {
    **_BRITISH_WORDS,
    **{word: word[0] + _CENSORED_MARK for word in _SWEAR_WORDS},
    **_NUMBER_WORDS,
}


def _canonical_word(word: str) -> str:
    """The key of one case-folded word: :data:`_WORD_FORMS`, a censored word's key, or a British
    ending made American."""
    mapped = _WORD_FORMS.get(word)
    if mapped:
        return mapped
    if word.endswith(_CENSORED_MARK):
        return word[0] + _CENSORED_MARK
    if len(word) >= 6:
        for suffix, repl in _BRITISH_SUFFIXES:
            if word.endswith(suffix):
                return word[: -len(suffix)] + repl
    return word


#: The key of an editor's words in square brackets standing for the speaker's ("carpet-bomb [the
#: militants] into oblivion" for "carpet bomb them into oblivion"): one word that equals no other.
INSERTION_KEY = "[\u2026]"
_BRACKETS_RE = re.compile(r"\[([^\[\]]{0,80})\]")
#: Words an editor's bracketed gloss right after them explains rather than replaces ("she [France]").
_CLARIFIED_WORDS = frozenset(["he", "she", "it", "they", "him", "her", "them", "we", "us", "his", "its", "their",
                              "this", "that", "these", "those", "there", "here"])
#: Word endings an editor changes in brackets to fit a quotation to the sentence ("pick[ing]").
_ENDINGS = frozenset(["s", "es", "d", "ed", "ing", "n", "en", "er", "ers", "ly", "ies", "ied", "y"])
#: Bracketed notes that stand for no words of the speaker (dropped from the keys).
_EDITORIAL_NOTES = frozenset(["sic", "emphasis added", "emphasis mine", "inaudible", "laughter", "applause"])


def word_keys(text: str) -> list[str]:
    """Normalised word keys of ``text``: case-folded, punctuation dropped (``U.S.`` -> ``us``),
    hyphenated compounds split into their words (``carpet-bomb`` -> ``carpet``, ``bomb``),
    contractions spelled out, possessive ``'s`` dropped, British spellings made American, small
    numbers spelled out keyed as digits (``two`` -> ``2``), swear words and their censored forms
    one key (``fucking``, ``f*ing`` -> ``f__``); an
    editor's insertion in square brackets is one :data:`INSERTION_KEY` (letters bracketed at a
    word's start, ``[T]hey``, are part of it, a bracketed ending, ``pick[ing]``, is not; ``[sic]``,
    elisions ``[...]`` and a gloss after a pronoun, ``she [France]``, are dropped).
    The mapping is applied the same way to every text, so only true variants become equal."""
    if "*" in text or "---" in text:
        text = _uncensor_keys(text)
    if "[" in text:
        return _keys_with_insertions(text)
    keys: list[str] = []
    for w in _WORD_RE.findall(text):
        keys.extend(_word_key(w))
    return keys


def _keys_with_insertions(text: str) -> list[str]:
    """:func:`word_keys` of a text holding square brackets."""
    keys: list[str] = []
    plain: list[str] = []  # the text since the last insertion (brackets inside words removed)
    pos = 0
    for match in _BRACKETS_RE.finditer(text):
        start, end = match.span()
        plain.append(text[pos:start])
        pos = end
        inner = match.group(1)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isalpha() and not (after.isalnum() or after in _APOSTROPHES) and inner.casefold() in _ENDINGS:
            continue  # "pick[ing]": an ending the editor changed; the speaker's word is the stem
        if before.isalnum() or after.isalnum() or before in _APOSTROPHES or after in _APOSTROPHES:
            plain.append(inner)  # "[T]hey", "[Trump]'s": letters the editor supplied
            continue
        note = inner.strip().rstrip(".").casefold()
        if not any(ch.isalnum() for ch in note) or note in _EDITORIAL_NOTES:
            continue  # "[...]": an elision; "[sic]": a note
        previous = _WORD_RE.findall(text, max(0, start - 12), start)
        if previous and previous[-1].casefold() in _CLARIFIED_WORDS and not text[start - 1 : start].isalnum():
            continue  # "she [France] is strong": the speaker's pronoun is kept, the editor's gloss dropped
        for w in _WORD_RE.findall("".join(plain)):
            keys.extend(_word_key(w))
        plain = []
        keys.append(INSERTION_KEY)
    plain.append(text[pos:])
    for w in _WORD_RE.findall("".join(plain)):
        keys.extend(_word_key(w))
    return keys


def forget_word_keys() -> None:
    """Drop the memo of :func:`word_keys` (up to about 60 MB once full): a long analysis calls it
    when its words are all read; the memo refills as words are keyed again."""
    _word_key.cache_clear()


_HYPHENS_RE = re.compile("[\\-\u2010\u2011]")


@lru_cache(maxsize=262144)
def _word_key(token: str) -> tuple[str, ...]:
    if "-" in token or "\u2010" in token or "\u2011" in token:
        # a hyphenated compound is its words: "carpet-bomb" and "carpet bomb" print one wording
        return tuple(key for part in _HYPHENS_RE.split(token) if part for key in _word_key(part))
    w = _unify_apostrophes(token).casefold()
    if "." in w:
        w = w.replace(".", "")
    if "'" in w:
        full = _CONTRACTIONS.get(w)
        if full is None:
            for suffix, repl in _SUFFIX_CONTRACTIONS:
                if w.endswith(suffix):
                    full = w[: -len(suffix)] + repl
                    break
        if full is None and w.endswith("'s"):
            full = w[:-2]
        if full is None:
            full = w.replace("'", "")
        return tuple(_canonical_word(x) for x in full.split())
    full = _CONTRACTIONS.get(w)
    if full:
        return tuple(full.split())
    return (_canonical_word(w),)


def _word_tokens(text: str) -> list[tuple[str, int, int]]:
    """(key, start, end) per word; a contraction spelled out gives several keys on one span."""
    out: list[tuple[str, int, int]] = []
    for m in _WORD_RE.finditer(text):
        for k in _word_key(m.group()):
            out.append((k, m.start(), m.end()))
    return out


# ---------------------------------------------------------------------------------------------
# Alignment

_MATCH, _MISMATCH, _GAP = 2, -1, -1


def align(short: str, long: str) -> Alignment:
    """Where ``short`` (a partial or reworded quote) sits inside ``long``.

    A word-level semi-global alignment on :func:`word_keys`: all of ``short`` is aligned against a
    free region of ``long`` (match +2, changed / added / dropped word -1), then overhanging words at
    either end of ``short`` that matched nothing are trimmed. ``score`` is the word-level similarity
    (Indel ratio) between the aligned part of ``short`` and the region of ``long``.
    Both empty or no shared word: span (0, 0) and score 0.0.
    """
    s = _word_tokens(short)
    t = _word_tokens(long)
    if not s or not t:
        return Alignment((0, 0), 0.0, (0, 0))
    n, m = len(s), len(t)
    sk = [k for k, _, _ in s]
    tk = [k for k, _, _ in t]
    if n * m > 4_000_000:  # pathological sizes: fall back to the best exact containment
        return _align_fallback(short, long, s, t)
    # H[i][j]: best score aligning s[:i] ending at t[j-1]; free start in long (H[0][j] = 0).
    prev = [0] * (m + 1)
    back: list[bytearray] = [bytearray(m + 1)]  # 0 diag, 1 up (gap in long), 2 left (gap in short)
    for i in range(1, n + 1):
        cur = [prev[0] + _GAP] + [0] * m
        bi = bytearray(m + 1)
        bi[0] = 1
        key = sk[i - 1]
        for j in range(1, m + 1):
            diag = prev[j - 1] + (_MATCH if tk[j - 1] == key else _MISMATCH)
            up = prev[j] + _GAP
            left = cur[j - 1] + _GAP
            if diag >= up and diag >= left:
                cur[j] = diag
            elif up >= left:
                cur[j], bi[j] = up, 1
            else:
                cur[j], bi[j] = left, 2
        back.append(bi)
        prev = cur
    end_j = max(range(m + 1), key=lambda j: (prev[j], -j))
    # Trace back, recording which short / long tokens were matched.
    i, j = n, end_j
    matched: list[tuple[int, int]] = []
    while i > 0:
        move = back[i][j] if j > 0 else 1
        if move == 0:
            if sk[i - 1] == tk[j - 1]:
                matched.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move == 1:
            i -= 1
        else:
            j -= 1
    if not matched:
        return Alignment((0, 0), 0.0, (0, 0))
    matched.reverse()
    si0, ti0 = matched[0]
    si1, ti1 = matched[-1]
    long_span = (t[ti0][1], t[ti1][2])
    short_span = (s[si0][1], s[si1][2])
    score = Indel.normalized_similarity(sk[si0 : si1 + 1], tk[ti0 : ti1 + 1])
    # Penalise the part of short that hangs over the ends without matching.
    covered = (si1 - si0 + 1) / n
    return Alignment(long_span, round(score * covered, 4), short_span)


def _align_fallback(short: str, long: str, s: list, t: list) -> Alignment:
    from rapidfuzz import fuzz

    r = fuzz.partial_ratio_alignment(short.casefold(), long.casefold())
    if r is None:
        return Alignment((0, 0), 0.0, (0, 0))
    return Alignment((r.dest_start, r.dest_end), round(r.score / 100, 4), (r.src_start, r.src_end))


# ---------------------------------------------------------------------------------------------
# Alteration classes

#: Classes of a rendering against a group's reference, from harmless to misleading.
ALTERATIONS = ("same", "trivial", "partial", "paraphrased", "altered")

_FUNCTION_WORDS = frozenset([
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
    "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she",
    "they", "we", "i", "you", "his", "her", "their", "our", "my", "your", "him", "them", "us", "me", "not", "no",
    "so", "do", "does", "did", "have", "has", "had", "will", "would", "can", "could", "should", "may", "might",
    "must", "shall", "there", "here", "what", "which", "who", "whom", "when", "where", "why", "how", "all", "any",
    "some", "than", "then", "also", "just", "very", "more", "most", "into", "about", "over", "after", "before",
    "up", "down", "out", "off", "again", "once", "only", "own", "same", "such", "too", "even", "well", "oh",
    INSERTION_KEY,  # an editor's words for the speaker's: a change of no content of its own
])
_MARKS_AND_SPACE_RE = re.compile("[\\s" + re.escape("".join(sorted(QUOTE_CHARS))) + "]+")


def spelling_index(pool: set[str]) -> dict[tuple[str, str], list[str]]:
    """Words of ``pool`` by first and by last letter (a spelling variant keeps one of them)."""
    index: dict[tuple[str, str], list[str]] = {}
    for other in pool:
        if len(other) >= 3:
            index.setdefault(("f", other[0]), []).append(other)
            index.setdefault(("l", other[-1]), []).append(other)
    return index


def _near_word(word: str, index: dict[tuple[str, str], list[str]]) -> bool:
    """A spelling variant (typo, transliteration) of a word of the indexed pool."""
    from rapidfuzz.distance import Levenshtein

    if len(word) < 4:
        return False
    n = len(word)
    for key in (("f", word[0]), ("l", word[-1])):
        for other in index.get(key, ()):
            if abs(n - len(other)) <= 2 and Levenshtein.normalized_similarity(word, other) >= 0.8:
                return True
    return False


@lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    return _MARKS_AND_SPACE_RE.sub(" ", text).strip().rstrip(",")


_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019]?\s+(?=\S)")


def classify_alteration(reference: str, rendering: str, *, reference_keys: list[str] | None = None,
                        rendering_sentences: list[list[str]] | None = None,
                        reference_index: dict[tuple[str, str], list[str]]
                        | Callable[[], dict[tuple[str, str], list[str]]] | None = None) -> str:
    """How ``rendering`` quotes ``reference`` (the group's longest, most central rendering).

    ``same``: the same words and punctuation; ``trivial``: the same words up to punctuation, case,
    spelling and contractions; ``partial``: part of it (words left out, none changed; sentences the
    reference does not have are extra, not changes); ``altered``: content words changed or added
    inside the words it shares with the reference (a misquote: "ban" for "shutdown");
    ``paraphrased``: no sentence of it is mostly the reference's words.
    ``reference_keys`` (:func:`word_keys` of the reference) and ``rendering_sentences`` (the keys
    of each sentence of the rendering) and ``reference_index`` (``spelling_index`` of the
    reference's keys, or a function giving it, called only when a word needs looking up) save the
    work when the caller has them.
    """
    if reference == rendering or _plain(reference) == _plain(rendering):
        return "same"
    ref_keys = reference_keys if reference_keys is not None else word_keys(reference)
    if rendering_sentences is None:
        rendering_sentences = [word_keys(sentence) for sentence in _SENTENCE_SPLIT_RE.split(rendering)]
    ren_keys = [k for sentence in rendering_sentences for k in sentence]
    if ref_keys == ren_keys:
        return "trivial"
    if not ren_keys:
        return "partial"
    ref_set, ren_set = set(ref_keys), set(ren_keys)
    ref_index = reference_index
    matched = unmatched = 0
    altered = False
    for keys in rendering_sentences:
        if not keys:
            continue
        lcs = (len(ref_keys) + len(keys) - Indel.distance(ref_keys, keys)) / 2
        if lcs / len(keys) < 0.5:
            unmatched += 1  # a sentence the reference does not quote
            continue
        matched += 1
        added = [w for w in keys if w not in ref_set and w not in _FUNCTION_WORDS and not w.isdigit()]
        if added:
            if ref_index is None:
                ref_index = spelling_index(ref_set)
            elif callable(ref_index):
                ref_index = ref_index()
            if any(not _near_word(w, ref_index) for w in added):
                altered = True
    if not matched:
        return "paraphrased"
    if altered:
        return "altered"
    if unmatched or len(ren_keys) < len(ref_keys):
        return "partial"
    absent = [w for w in ref_keys if w not in ren_set and w not in _FUNCTION_WORDS]
    if not absent:
        return "trivial"
    ren_index = spelling_index(ren_set)
    missing = [w for w in absent if not _near_word(w, ren_index)]
    return "partial" if missing else "trivial"
