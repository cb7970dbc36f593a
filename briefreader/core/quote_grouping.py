"""Grouping renderings of one statement (part of :mod:`briefreader.core.quote_clusters`).

Units are whole quotations (sentences used inside matching only); candidates come from a
passage-level shingle index, never all pairs; pairs are scored on normalised word keys; known,
different speakers never join (speakers compared as persons: surname and given name), except for
a long quotation printed word for word under both names (one of the names is wrong). A short
quote (under SHORT_QUOTE_WORDS) joins only its best match, and none when that match is ambiguous
(about as good a match lies in another group, or another known speaker said the words: a stock
phrase or a catchphrase) or when the words they share are common in the corpus, or when, without a
confident speaker, it was published more than a month from a statement one article printed (the
same words used on another occasion).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Indel, Levenshtein

from briefreader.core.diffing import INSERTION_KEY, word_keys
from briefreader.core.quote_names import COUNTRIES_AND_STATES, US_STATES, given_name_gender
from briefreader.core.quote_records import _MISSING, QuotesCancelled
from briefreader.core.quotes import Quote

#: Phrases sharing a shingle beyond this many are not indexed under it (it is too common to help).
MAX_POSTINGS = 150
#: At most this many candidates (best first, by shared shingles) are scored for each new phrase.
MAX_SCORED_PER_PHRASE = 48

#: Quotes shorter than this (in words) join one best group only, never link two groups.
SHORT_QUOTE_WORDS = 8
#: The lower bar for two renderings by one known speaker (a translation, a paraphrase) applies only
#: to quotes of at least this many words: a speaker's short remarks share their few words with
#: his other remarks ("I never said that." / "I never said I was going to pay for fees.").
SAME_SPEAKER_RELAXED_WORDS = 12
#: Quotes shorter than this are grouped only when one known speaker said both.
SHORT_PHRASE_WORDS = 4


# ---------------------------------------------------------------------------------------------
# Sentence units

_ABBREVIATIONS = frozenset([
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "prof", "sen", "rep", "gov", "jr", "sr", "inc",
    "ltd", "co", "no", "vs", "etc", "u.s", "u.k", "e.g", "i.e",
])
_SENTENCE_END_RE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*\s+(?=[\"'\u201c\u2018\u00ab(\[]?[^\W\d_])")
_COUNT_RE = re.compile(r"\w+(?:['\u2019]\w+)*")
_STOPWORDS = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from",
        "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those",
        "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "my", "your", "him", "them", "us",
        "me", "not", "no", "so", "do", "does", "did", "have", "has", "had", "will", "would", "can", "could",
        "should", "may", "might", "must", "shall", "there", "here", "what", "which", "who", "whom", "when",
        "where", "why", "how", "all", "any", "some", "than", "then", "also", "just", "very", "more", "most",
        "into", "about", "over", "after", "before", "up", "down", "out", "off", "again", "once", "only", "own",
        "same", "such", "too", "even", INSERTION_KEY,
    ]
)


@dataclass(slots=True)
class _Unit:
    """One rendering: a whole quotation as the outlet printed it (the paragraphs of a multi-paragraph
    quotation joined), never a single sentence of it."""

    quote: Quote  # its first piece
    start: int
    end: int
    keys: tuple[str, ...]
    article_pos: int  # index of the article in the input order
    pieces: tuple[Quote, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()  # key ranges of its sentences, used in matching only
    _text: str | None = None
    day: int | None = None  # its article's publication day (see publication_day), None when unknown

    @property
    def text(self) -> str:
        """The quotation's words as printed (computed once: grouping and alteration classes read it often)."""
        if self._text is None:
            self._text = rendering_text(self.pieces or (self.quote,))
        return self._text


#: Between two pieces of one rendering cut mid-sentence by the outlet's narration (the partial
#: quotes of one narrated sentence: `called it "a disgrace" and "a failure"`).
PIECE_GAP = " \u2026 "


def rendering_text(pieces: Sequence[Quote]) -> str:
    """The words of a quotation as printed (marks left out): its paragraphs, and the halves of a
    quotation its attribution interrupts, joined by one space; pieces cut mid-sentence (the first
    ends in a word, not a stop or comma) joined by :data:`PIECE_GAP`, so the omitted narration shows."""
    texts = [q.text.strip() for q in pieces]
    if len(texts) == 1:
        return texts[0]
    out = [texts[0]]
    for previous, text in zip(texts, texts[1:], strict=False):
        last = previous.rstrip("'\"\u2019\u201d")[-1:]
        out.append(PIECE_GAP if last.isalnum() else " ")
        out.append(text)
    return "".join(out)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END_RE.finditer(text):
        before = text[pos : m.start() + 1].split()
        last = before[-1].rstrip(".").lower() if before else ""
        raw_last = before[-1].rstrip(".") if before else ""
        if m.group().startswith(".") and (last in _ABBREVIATIONS or (len(raw_last) == 1 and raw_last.isupper())):
            continue
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, len(text)))
    # trim, and merge fragments of one or two words into their neighbour
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        short = bool(out) and (len(_COUNT_RE.findall(text, s, e)) <= 2
                               or len(_COUNT_RE.findall(text, out[-1][0], out[-1][1])) <= 2)
        if short:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def quotation_pieces(quotes: list[Quote]) -> list[tuple[Quote, ...]]:
    """The quotations of one article as renderings: each top-level, non-scare quote, with the pieces
    of one utterance joined (the paragraphs of a multi-paragraph quotation, the two halves of
    ``"X," she said. "Y."``); quotes nested in a clustered quotation are part of it, not renderings
    of their own."""
    out: list[tuple[Quote, ...]] = []
    current: list[Quote] = []
    by_index = {q.index: q for q in quotes}
    for q in quotes:
        if q.scare:
            continue
        outer = by_index.get(q.nested_in) if q.nested_in is not None else None
        if outer is not None and not outer.scare:
            continue
        if current and current[-1].utterance_id == q.utterance_id:
            current.append(q)
            continue
        if current:
            out.append(tuple(current))
        current = [q]
    if current:
        out.append(tuple(current))
    return out


def publication_day(date: str | None) -> int | None:
    """The day an article was published, as a day number (``date.toordinal()``) from an ISO 8601
    date ("2016-03-10", "2016-03-10T08:00Z"); None when no full date is known ("2016-03", "--08-17")."""
    if not date or len(date) < 10:
        return None
    try:
        return dt.date.fromisoformat(date[:10]).toordinal()
    except ValueError:
        return None


def _units_of(quotes: list[Quote], article_pos: int, day: int | None = None) -> list[_Unit]:
    """The renderings (units) of one article's quotations; ``day``: its :func:`publication_day`."""
    units = []
    for pieces in quotation_pieces(quotes):
        keys: list[str] = []
        sentences: list[tuple[int, int]] = []
        for q in pieces:
            for s, e in _sentence_spans(q.text):
                sk = word_keys(q.text[s:e])
                if sk:
                    sentences.append((len(keys), len(keys) + len(sk)))
                    keys.extend(sk)
        if len(keys) >= 2:
            units.append(_Unit(pieces[0], pieces[0].start, pieces[-1].end, tuple(keys), article_pos,
                               pieces, tuple(sentences), day=day))
    return units


# ---------------------------------------------------------------------------------------------
# Candidate index and scoring


def _shingles(keys: tuple[int, ...], content: list[int], content_set: frozenset[int]) -> set[int]:
    """Hashed word 3-grams holding at least one content word, plus skip-bigrams of content words."""
    out: set[int] = set()
    add = out.add
    for gram in zip(keys, keys[1:], keys[2:], strict=False):  # the 3-grams: shorter tails
        a, b, c = gram
        if a in content_set or b in content_set or c in content_set:
            add(hash(gram))
    if len(keys) < 3:
        add(hash(keys))
    n = len(content)
    for i in range(n - 1):
        add(hash(("s", content[i], content[i + 1])))
        if i + 2 < n:
            add(hash(("s", content[i], content[i + 2])))
    return out


#: The speakers of a phrase no one is named for (one shared empty set: most phrases have none).
_NO_NAMES: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Phrase:
    """One distinct wording (the units printing it). Its word ids are held once, as ``codes`` (one
    character per id: edit distances on strings need no per-call conversion, and the distance
    between two id strings is that between the ids); ``keys``, ``content_seq`` and ``content`` are
    read from them when asked (a tuple and a set per phrase cost about 1 KB: 350 MB at 50k articles)."""

    codes: Any  # the word ids (see _id_codes)
    content_codes: Any  # the ids of its content words (stopwords left out), in order
    speakers: frozenset[str]  # known speakers; shared sets (see _SpeakerSets)
    sentences: tuple[tuple[int, int], ...] = ()
    named: frozenset[str] = _NO_NAMES  # speaker keys at any confidence

    @property
    def keys(self) -> tuple[int, ...]:
        """The word ids."""
        return _code_ids(self.codes)

    @property
    def content_seq(self) -> tuple[int, ...]:
        """The content words' ids, in order."""
        return _code_ids(self.content_codes)

    @property
    def content(self) -> frozenset[int]:
        """The content words' ids, as a set."""
        return frozenset(_code_ids(self.content_codes))


def _id_codes(ids: Sequence[int]) -> str | tuple[int, ...]:
    """Word ids as a string of one character per id (surrogate code points skipped), or the ids
    themselves when the vocabulary outgrows Unicode."""
    try:
        return "".join([chr(i if i < 0xD800 else i + 0x800) for i in ids])
    except (ValueError, OverflowError):
        return tuple(ids)


def _code_ids(codes: str | tuple[int, ...]) -> tuple[int, ...]:
    """The word ids :func:`_id_codes` made ``codes`` of."""
    if isinstance(codes, str):
        return tuple([code if code < 0xD800 else code - 0x800 for code in map(ord, codes)])
    return tuple(codes)


class _SpeakerSets:
    """Speaker sets shared between phrases: most phrases have one speaker, and one set per phrase
    (about 200 bytes) would repeat a few thousand names hundreds of thousands of times."""

    def __init__(self) -> None:
        self._sets: dict[frozenset[str], frozenset[str]] = {}

    def plus(self, names: frozenset[str], name: str) -> frozenset[str]:
        """``names`` with ``name`` added, as the one shared set of those names."""
        grown = names | {name}
        return self._sets.setdefault(grown, grown)


#: Speakers at or above this confidence count as known when grouping (different known speakers:
#: different statements, whatever the words).
KNOWN_SPEAKER_CONFIDENCE = 0.6


def speaker_key(name: str | None) -> str | None:
    """Who a speaker name designates across articles: its surname, case-folded, as :func:`person_key`
    reads it ("Donald J. Trump", "Trump" and "Mr. Trump" are one person; "Eric H. Holder Jr." is
    Holder); a name written family name first keeps its given name ("Ri Yong-ho" and "Ri Yong Ho" are
    one person, "Kim Jong Un" and "Kim Yo-jong" two); None for no name."""
    key = person_key(name)
    if not key:
        return None
    family, given = key.split("|", 1)
    words = _person_key_words(name or "")
    if given and words and family != words[-1]:
        return key  # a family name written first ("Kim Jong Un"): "Kim Yo-jong" is someone else
    return family


#: A regnal number closing a name ("Benedict XVI", "Charles III"): a Roman numeral in capitals, two letters
#: at least ("Xi" is a surname; "LLC", "CILIC" in a headline's capitals are no numeral).
_REGNAL_NUMBER_RE = re.compile(r"(?=[IVXLC]{2})C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def _without_regnal_number(words: list[str]) -> list[str]:
    """The words of a name without a regnal number closing it: "Benedict XVI" is Benedict ("Pope
    Benedict") whatever number the outlet writes or leaves out."""
    return words[:-1] if len(words) > 1 and _REGNAL_NUMBER_RE.fullmatch(words[-1]) else words


def _unaccented(name: str) -> str:
    """``name`` without diacritics ("Raúl Peña" -> "Raul Pena"): outlets print a name with and without them."""
    if name.isascii():
        return name
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))


#: Given names of at least this many letters that differ in one letter name one person (a misspelling:
#: "Vincente Fox"); shorter ones may be two names ("Jon"/"Jan", "Maria"/"Mario").
GIVEN_NAME_SLIP_LETTERS = 6


#: Places, case-folded: of one word ("Washington" is a surname too, so left out) and of two.
_ONE_WORD_PLACES = frozenset(p.casefold() for p in US_STATES | COUNTRIES_AND_STATES if " " not in p) - {"washington"}
_TWO_WORD_PLACES = frozenset(p.casefold() for p in US_STATES | COUNTRIES_AND_STATES if " " in p)
#: The places often taken with a surname ("WARREN, Michigan Trump said"): the states and the
#: countries of US news (not every country: "India", "Kenya" are given names too)
_PLACES_BEFORE_NAMES = frozenset(p.casefold() for p in US_STATES if " " not in p) | {
    "america", "britain", "england", "france", "germany", "russia", "china", "israel", "iran", "canada", "mexico"}
#: Words before a surname that are not given names (titles, offices, parties, name suffixes).
_NOT_GIVEN_NAMES = frozenset([
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "senators", "rep", "representative", "gov", "governor",
    "gen", "general", "president", "former", "vice", "secretary", "speaker", "leader", "mayor", "judge", "justice",
    "democrat", "democratic", "republican", "gop", "sir", "lord", "lady", "prof", "professor", "rev", "reverend",
    "chairman", "chairwoman", "director", "adviser", "advisor", "spokesman", "spokeswoman", "attorney", "candidate",
    "nominee", "first", "the", "of", "and", "one", "two", "another", "some", "many", "an", "a",
    # page furniture and descriptions read before a name ("Photos Romney", "Watch Fiona Hill",
    # "Neighbor Anna Tejeda")
    "photo", "photos", "video", "videos", "watch", "image", "images", "getty", "reuters", "ap", "afp", "epa",
    "caption", "credit", "neighbor", "neighbour", "resident",
    "witness", "lawyer", "officer", "actor", "actress", "singer", "comedian", "host", "anchor", "author",
    # ranks, offices and departments read with a name ("Sergeant Bergdahl", "Treasury Steve Mnuchin": the
    # given name, when written, is the word after them)
    "sergeant", "sgt", "private", "pvt", "corporal", "cpl", "lieutenant", "lt", "captain", "capt", "maj",
    "colonel", "col", "admiral", "adm", "commander", "deputy", "ambassador", "minister", "prime",
    "premier", "princess", "pope", "cardinal", "bishop", "rabbi", "imam", "sheriff",
    "detective", "coach", "chancellor", "commissioner", "councilman", "councilwoman", "assemblyman", "ceo",
    "sec", "treasury", "education", "defense", "commerce", "labor", "energy", "interior", "homeland", "health",
    "state", "agriculture", "department", "house", "senate", "white",
    # sentence words capitalised before a name ("Whenever Trump", "Meanwhile Pelosi")
    "whenever", "when", "while", "after", "before", "since", "although", "though", "because", "meanwhile",
    "however", "unless", "until", "whether", "later", "earlier", "finally", "also", "even", "still", "yet",
    # states and countries taken with a surname ("WARREN, Michigan Trump said"): _PLACES_BEFORE_NAMES
    "washington",
]) | _PLACES_BEFORE_NAMES
#: Titles that are given names too ("Major Garrett", "Prince Fielder"): a title when a name word
#: follows before the surname ("Major General John Smith"), else the given name.
_TITLES_OR_GIVEN_NAMES = frozenset(["major", "chief", "king", "queen", "prince"])
_NAME_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
#: Stopwords that are given names too ("Will Hurd", "May Lee").
_GIVEN_STOPWORDS = frozenset(["will", "may"])



#: Nouns heading the name of a body of a place ("University of Texas", "Commonwealth of Virginia"):
#: there the place is the name.
_PLACE_BODY_HEADS = frozenset(["university", "college", "school", "bank", "commonwealth", "state", "states",
                               "republic", "people", "government", "department", "city", "county", "court",
                               "church", "board", "council", "museum", "institute", "office", "secretary",
                               "attorney", "governor", "senator", "representative", "diocese", "archdiocese",
                               "port", "district", "province", "kingdom", "embassy", "consulate"])


#: A lawmaker's home after "of" ("Perdue of Georgia", "Murray of Washington").
_HOME_PLACES = _ONE_WORD_PLACES | _TWO_WORD_PLACES | {"washington"}
#: Titles before "of <place>" (a party before it is a lawmaker's: "Republican of Iowa").
_OFFICES_OF_PLACES = _NOT_GIVEN_NAMES - {"democrat", "democratic", "republican", "gop"}


def _without_home_place(words: list[str]) -> list[str]:
    """The (case-folded) words of a name without a home state or country after "of" ("Perdue of
    Georgia", "Shaheen of New Hampshire" -> the surname): the place is no part of the name (it is
    when a body's noun comes before it: "University of Texas")."""
    for tail in (1, 2):
        cut = len(words) - tail - 1
        if (cut >= 1 and words[cut] == "of" and words[cut - 1] not in _PLACE_BODY_HEADS
                and words[cut - 1] not in _OFFICES_OF_PLACES  # "President of France": an office
                and " ".join(words[cut + 1:]) in _HOME_PLACES):
            return words[:cut]
    return words


def _person_key_words(name: str) -> list[str]:
    """The case-folded words of a speaker name :func:`person_key` reads: accents, initials, a regnal
    number, a home place ("of Georgia") and generation suffixes ("Jr") left out."""
    words = _without_home_place([w.casefold() for w in _without_regnal_number(_name_words(_unaccented(name)))])
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words


def person_key(name: str | None) -> str | None:
    """A speaker name as ``surname|given name`` (case-folded; titles, initials and suffixes left
    out; the given name only when one word is left for it): "Donald J. Trump" -> ``trump|donald``,
    "Mr. Trump" -> ``trump|``; None for no name.
    Two keys name one person when :func:`same_person` says so ("Eric Trump" is not "Donald Trump")."""
    if not name:
        return None
    words = _person_key_words(name)
    # a romanised East Asian name, family name first, its given name written with or without its
    # hyphen ("Kim Jong-un", "Kim Jong Un", "Ban Ki-moon"): keyed by the family name, which outlets
    # print alone ("Kim"), the given name one word ("Ban Ki-moon" is not "Moon")
    if not words:
        return None
    romanised = "-" in words[-1] and min(map(len, words[-1].split("-"))) <= 2
    if romanised or (len(words) == 3 and len(words[-1]) <= 2):
        given_name = words[-1].replace("-", "") if romanised else words[-2] + words[-1]
        return f"{words[0]}|{given_name}"
    if not words:
        return None
    # the given name is among the words right before the surname (initials skipped): a title, page
    # furniture, a place or a word like "of" ends the name ("Sen. Elizabeth Warren", "Getty Images
    # Trump", "Accuser of Trump": no given name)
    given: set[str] = set()
    for w in reversed(words[:-1]):
        if len(w) == 1:
            continue
        if w in _NOT_GIVEN_NAMES or (w in _STOPWORDS and w not in _GIVEN_STOPWORDS) or (
                w in _TITLES_OR_GIVEN_NAMES and given):
            break
        given.add(w)
    # one given name or none: more words before a surname are as often a place or a description
    # taken with it ("New Hampshire Sanders") as a middle name, so they tell nothing
    return f"{words[-1]}|{given.pop() if len(given) == 1 else ''}"


#: Last words that end no name: a speaker read from the narration up to its verb ("One Clinton
#: spokesman has") is no one the grouping can compare.
_NOT_NAME_ENDINGS = _STOPWORDS | {"said", "says", "told", "added", "wrote", "called", "asked", "noted"}
#: Last words of a party or a role read for a name ("the New York Democrat", "the senator") ...
_ROLE_ENDINGS = frozenset(["democrat", "democrats", "republican", "republicans", "independent", "lawmaker",
                           "senator", "congressman", "congresswoman", "official", "officials", "spokesman",
                           "spokeswoman", "spokesperson", "aide", "aides"])
#: ... page furniture read for a name ("Play Video", "Hide Caption", "ET" of a live blog's time) ...
_FURNITURE_ENDINGS = frozenset(["video", "videos", "photo", "photos", "image", "images", "caption", "gallery",
                                "more", "advertisement", "et", "edt", "est", "pt", "gmt", "utc"])
_PARTY_STATE_RE = re.compile(r"[dri]-")
#: ... a place or a legislature alone ...
_SPEAKING_BODIES = _ONE_WORD_PLACES | {"congress"}
#: ... and first words of a description naming no one in particular ("an aide to the speaker", "a
#: White House official", "another Ryan spokesperson"): such a speaker, however sure, is nobody the
#: grouping can tell apart from another (see identifies_someone).
_ANONYMOUS_OPENINGS = frozenset(["a", "an", "another", "one", "some", "several"])


def _name_words(name: str) -> list[str]:
    """The words of a speaker name (letters first; hyphens and apostrophes kept inside)."""
    return re.findall(r"[^\W\d_][\w\-]*", name.replace("\u2019", "'"))


def names_someone(name: str | None) -> bool:
    """Whether a speaker name can designate someone (a person or a body: "Donald Trump", "the
    Clinton campaign"), not narration taken for a name up to its verb ("One Clinton spokesman has")."""
    if not name:
        return False
    words = _name_words(name)
    return bool(words) and words[-1].casefold() not in _NOT_NAME_ENDINGS


def identifies_someone(name: str | None) -> bool:
    """Whether a speaker name tells one person or body from another (a known speaker, when sure,
    keeps other speakers' words apart): it :func:`names_someone`, and is neither a party or a role
    ("the New York Democrat"), a description of no one in particular ("an aide to the speaker") nor
    a place or a legislature alone ("Russia", "Illinois", "Congress")."""
    if not names_someone(name):
        return False
    words = _without_home_place([word.casefold() for word in _name_words(name or "")])
    furniture = words[-1] in _FURNITURE_ENDINGS and not given_name_gender(name or "")  # not "Thomas More"
    # a bare place or legislature ("Illinois" of an indictment's "Yorkville, Illinois", "Congress"
    # of "Obama told Congress"): a body whose people speak under their own names, or a word of the
    # narration taken for a speaker; either way not who said it
    body = len(words) == 1 and words[0] in _SPEAKING_BODIES
    return (words[-1] not in _ROLE_ENDINGS and not furniture and not body
            and not _PARTY_STATE_RE.match(words[0])  # "D-New York": a party and a state
            and (len(words) == 1 or words[0] not in _ANONYMOUS_OPENINGS))


#: Surnames of at least this many letters one letter apart name one person when the given names
#: agree ("Alexandria Oscasio-Cortez").
SURNAME_SLIP_LETTERS = 8


#: English (and a few other) short forms of given names that are not the start of the name
#: ("Joe" of "Joseph", "Bill" of "William"): outlets print one person's name formally ("Joseph R.
#: Biden Jr.", "Charles E. Schumer") or familiarly ("Joe Biden", "Chuck Schumer"). A short form that
#: is the start of its name ("Chris", "Matt", "Don") needs no entry (see same_person).
_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "bill": ("william",), "billy": ("william",), "will": ("william",), "willie": ("william",),
    "bob": ("robert",), "bobby": ("robert",), "rob": ("robert",), "robbie": ("robert",), "bert": ("robert", "albert"),
    "jim": ("james",), "jimmy": ("james",), "jamie": ("james",),
    "mike": ("michael",), "mikey": ("michael",), "mickey": ("michael",),
    "joe": ("joseph",), "joey": ("joseph",), "tom": ("thomas",), "tommy": ("thomas",),
    "chuck": ("charles",), "charlie": ("charles",), "dick": ("richard",), "rick": ("richard", "frederick"),
    "ricky": ("richard",), "rich": ("richard",), "ted": ("edward", "theodore"), "teddy": ("edward", "theodore"),
    "ed": ("edward", "edwin"), "eddie": ("edward",), "ned": ("edward",), "tony": ("anthony", "antonio"),
    "liz": ("elizabeth",), "beth": ("elizabeth",), "betsy": ("elizabeth",), "betty": ("elizabeth",),
    "kate": ("katherine", "catherine", "kathleen"), "katie": ("katherine", "catherine", "kathleen"),
    "kathy": ("katherine", "kathleen"), "cathy": ("catherine",), "peggy": ("margaret",), "maggie": ("margaret",),
    "meg": ("margaret",), "bernie": ("bernard",), "dan": ("daniel",), "danny": ("daniel",), "dave": ("david",),
    "steve": ("stephen", "steven"), "andy": ("andrew",), "drew": ("andrew",), "sam": ("samuel", "samantha"),
    "ben": ("benjamin",), "bibi": ("benjamin",), "jack": ("john",), "johnny": ("john",), "nick": ("nicholas",),
    "larry": ("lawrence",), "harry": ("harold", "henry"), "hank": ("henry",), "jerry": ("gerald", "jerome"),
    "gerry": ("gerald",), "frank": ("francis", "franklin"), "sue": ("susan",), "jenny": ("jennifer",),
    "debbie": ("deborah",), "becky": ("rebecca",), "sandy": ("sandra",), "pat": ("patrick", "patricia"),
    "rudy": ("rudolph",), "mitch": ("mitchell",), "newt": ("newton",), "alex": ("alexander", "alexandra"),
}


def same_person(a: str, b: str) -> bool:
    """Whether two :func:`person_key` keys may name one person: one surname, and given names that
    agree when both are known (the same, one the start of the other: "Chris"/"Christopher", a short
    form and its full name: "Joe"/"Joseph", "Bibi"/"Benjamin", never two short forms: "Ted"/"Ed"; or a
    long one misspelt by a letter: "Vincente"/"Vicente"); also a long surname misspelt by a letter with
    the given names agreeing."""
    if a == b:
        return True
    surname_a, _, given_a = a.partition("|")
    surname_b, _, given_b = b.partition("|")
    if surname_a != surname_b:
        # a long surname misspelt by a letter, given names agreeing ("Oscasio-Cortez"). (A one-word
        # name equal to another's given name is not taken for that person: "Paul" is as often Rand
        # Paul as Paul Ryan.)
        return (bool(given_a) and bool(given_b) and min(len(surname_a), len(surname_b)) >= SURNAME_SLIP_LETTERS
                and Levenshtein.distance(surname_a, surname_b) <= 1 and same_person(f"{surname_a}|{given_a}",
                                                                                    f"{surname_a}|{given_b}"))
    if not given_a or not given_b:
        return True
    if min(len(given_a), len(given_b)) >= GIVEN_NAME_SLIP_LETTERS and Levenshtein.distance(given_a, given_b) <= 1:
        return True  # one letter slipped in a long given name: "Vincente" for "Vicente"
    if min(len(given_a), len(given_b)) >= 3 and (given_a.startswith(given_b) or given_b.startswith(given_a)):
        return True
    return given_b in _SHORT_FORMS.get(given_a, ()) or given_a in _SHORT_FORMS.get(given_b, ())


def _people_agree(group_a: frozenset[str], group_b: frozenset[str]) -> bool:
    """Whether some speaker of one set may be some speaker of the other."""
    return any(same_person(x, y) for x in group_a for y in group_b)


#: The word id of :data:`INSERTION_KEY` in every :class:`PhraseIndex`, and its code (see _id_codes).
_INSERTION_ID = 0
_INSERTION_CODE = chr(_INSERTION_ID)


def _insertions(codes: Sequence[int] | str) -> int:
    """How many editor's insertions (``[the militants]``) ``codes`` holds: each may stand for a
    word of the other rendering ("them") that no word of its own matches."""
    if isinstance(codes, str):
        return codes.count(_INSERTION_CODE)
    return list(codes).count(_INSERTION_ID)


def _containment(part: Sequence[int], whole: Sequence[int]) -> float:
    """Share of ``part``'s words found in order in ``whole``, within a window twice ``part``'s length
    (the words of a short phrase are always scattered somewhere in a very long text); an editor's
    insertion in either (:func:`_insertions`) counts as one word found."""
    n, m = len(part), len(whole)
    if not n:
        return 0.0
    if m <= 2 * n + 4:
        lcs = (n + m - Indel.distance(part, whole)) / 2
        if lcs < n:
            lcs = min(n, lcs + _insertions(part) + _insertions(whole))
        return lcs / n
    width, step = 2 * n, max(1, n // 2)
    best = 0.0
    first = set(part)
    for start in range(0, m - n // 2, step):
        window = whole[start : start + width]
        if not first.intersection(window):
            continue
        lcs = (n + len(window) - Indel.distance(part, window)) / 2
        if lcs < n:
            lcs = min(n, lcs + _insertions(part) + _insertions(window))
        if lcs > best:
            best = lcs
            if best >= n:
                break
    return best / n


def _sentence_inside(a: _Phrase, b: _Phrase, min_words: int = 6) -> float:
    """The best containment in ``b`` of one of ``a``'s sentences of ``min_words``+ words (0 when
    none): one sentence printed whole by both outlets makes their quotations one statement. The
    pieces of a rendering joined from pieces are sentences of their own (see _units_of)."""
    best = 0.0
    for s0, s1 in a.sentences:
        if s1 - s0 < min_words:
            continue
        best = max(best, _containment(a.codes[s0:s1], b.codes))
    return best


#: Pieces of a rendering found whole in another quotation (see _containment_by_pieces) must hold this many
#: words in all, this many of them content words, and this share of the rendering's words.
PIECES_FOUND_WORDS = 4
PIECES_FOUND_CONTENT = 3
PIECES_FOUND_SHARE = 0.5


#: (words, content words) the pieces found must hold when one known speaker says both quotations (and
#: PIECES_FOUND_SHARE of the rendering's words).
ONE_SPEAKERS_PIECES_FOUND = (3, 2)


def _shared_for_piece(relation: str, small: _Phrase) -> int:
    """The content words a shorter quotation must share with a longer one for one of its pieces to be
    looked for there: MIN_SHARED_FOR_PIECE, fewer for one known speaker's rendering joined from pieces."""
    return ONE_SPEAKERS_PIECES_FOUND[1] if relation == "same" and len(small.sentences) > 1 else MIN_SHARED_FOR_PIECE


def _one_speakers_pieces(small: _Phrase, big: _Phrase, containment: float) -> int:
    """The words of one known speaker's rendering ``small``, joined from pieces, that are printed whole in
    her other rendering ``big``, when they hold ONE_SPEAKERS_PIECES_FOUND words and content words and
    PIECES_FOUND_SHARE of ``small`` ("sanctimonious … earned this mistrust" in "the media has earned
    this mistrust"); 0 otherwise. A 'piece cut' match: judged with the days of the two groups and how
    rare the shared words are (_add_checked_matches: "a total disgrace … the American people" is not a cut
    of every statement of hers saying "the American people")."""
    if len(small.sentences) < 2:
        return 0
    return _containment_by_pieces(small, big, containment, True, *ONE_SPEAKERS_PIECES_FOUND)[1]


def _containment_by_pieces(small: _Phrase, big: _Phrase, containment: float, partly: bool,
                           min_words: int = PIECES_FOUND_WORDS,
                           min_content: int = PIECES_FOUND_CONTENT) -> tuple[float, int]:
    """(containment, 0) raised to that of ``small``'s pieces each looked for on its own when all are
    found nearly whole, the worst of them, whoever the speakers (every piece must be there: one piece
    is often a catchphrase found in many quotations): pieces cut from far apart in a long quotation
    ("a con … a disaster in the making", `"X," he said, and "Y"`; a piece found in part is not
    evidence enough). Else, when
    ``partly``, (containment, words of the pieces found) when those (each in PIECES_NEED of its words)
    hold ``min_words``+ words (PIECES_FOUND_WORDS), ``min_content``+ content words (PIECES_FOUND_CONTENT)
    and PIECES_FOUND_SHARE of ``small``: a rendering joining a piece of this quotation to words of another
    sentence the other outlet did not print ("… dotard … pay dearly"). Each piece is looked for once per
    call."""
    each = [_containment(small.codes[s0:s1], big.codes) for s0, s1 in small.sentences]
    found = [span for span, inside in zip(small.sentences, each, strict=True) if inside >= PIECES_NEED]
    if each and len(found) == len(each):
        return max(containment, min(each)), 0
    if not partly:
        return containment, 0
    content = frozenset(_code_ids(small.content_codes))
    words = sum(s1 - s0 for s0, s1 in found)
    content_words = sum(code in content for s0, s1 in found for code in _code_ids(small.codes[s0:s1]))
    enough = words >= min_words and words >= PIECES_FOUND_SHARE * len(small.codes)
    return containment, (words if enough and content_words >= min_content else 0)


def _speaker_relation(a: _Phrase, b: _Phrase) -> str:
    """'same' / 'different' / 'unknown' from confidently attributed speakers of the two phrases."""
    if not a.speakers or not b.speakers:
        return "unknown"
    return "same" if _people_agree(a.speakers, b.speakers) else "different"


class _Informativeness:
    """How much shared content words tell, from how many groups of the corpus hold each (inverse
    document frequency): "unbearable" or "glow ... dark" single out a statement; "win", "let" or
    "am" ("if we do not win", "I will not let you down", "I'm with her") are in hundreds.

    Words are counted per group, not per phrase: the many renderings of one popular statement,
    already joined, count once (its words are not common for being quoted often)."""

    def __init__(self, phrases: Sequence[_Phrase], group_of: Callable[[int], int]) -> None:
        # the phrases in group order (an array of group ids and one sorted index list: no list per group)
        groups = array("q", (group_of(pi) for pi in range(len(phrases))))
        counts: Counter[int] = Counter()
        n_groups = 0
        group_words: set[int] = set()
        current = -1
        for pi in sorted(range(len(phrases)), key=groups.__getitem__):
            if groups[pi] != current:
                counts.update(group_words)
                group_words = set()
                current = groups[pi]
                n_groups += 1
            group_words.update(phrases[pi].content)
        counts.update(group_words)
        self._counts = counts
        self._log_total = math.log(max(2, n_groups))
        # a few hundred quotations tell nothing of how common a word is (in a handful of articles
        # about one statement, its words are in every phrase): the test is made on larger corpora
        self.applies = n_groups >= MIN_PHRASES_FOR_FREQUENCIES

    def __call__(self, words: Iterable[int]) -> bool:
        """Whether ``words`` (content word ids shared by two quotes) single out one statement: their
        summed inverse document frequency reaches SHORT_QUOTE_EVIDENCE (one word in about one
        group of 150, or two in one of 12)."""
        if not self.applies:
            return True
        return self.evidence(words) >= SHORT_QUOTE_EVIDENCE

    def rare(self, words: Iterable[int]) -> bool:
        """Whether ``words`` (the content words of a phrase of under SHORT_PHRASE_WORDS words) are
        rare enough to be a coinage of one statement: RARE_PHRASE_EVIDENCE reached and no common
        word among them (each at least RARE_PHRASE_WORD_EVIDENCE: "2nd Amendment people" is not a
        coinage of one speaker); never on a corpus too small to tell (:attr:`applies` False)."""
        if not self.applies:
            return False
        each = [self.evidence((word,)) for word in words]
        return sum(each) >= RARE_PHRASE_EVIDENCE and min(each, default=0.0) >= RARE_PHRASE_WORD_EVIDENCE

    def evidence(self, words: Iterable[int]) -> float:
        """The summed inverse document frequency (natural log) of ``words``, each counted in the
        groups other than one of the two compared."""
        counts, log_total = self._counts, self._log_total
        return sum(log_total - math.log(max(1, counts[w] - 1)) for w in words)


#: Content words the shorter of two quotations must share with the longer for one of its pieces or
#: sentences to be looked for in it when most of its words are not there...
MIN_SHARED_FOR_PIECE = 3
#: ... and the words that piece or sentence must have (a statement on its own, not a slogan of a
#: few words said in many speeches: "We're going to make America great again").
PIECE_ALONE_WORDS = 12
#: Each piece of a short rendering looked for on its own (see _containment_by_pieces) must be found in
#: this share of its words.
PIECES_NEED = 0.8
#: Summed inverse document frequency (natural log) the content words a short quote shares with
#: another must reach for the two to be one statement.
SHORT_QUOTE_EVIDENCE = 5.0
#: A phrase of under SHORT_PHRASE_WORDS words with no one speaker named for both renderings (a speaker
#: missing or garbled on one side: "One Clinton spokesman has") is one statement only when it has this
#: many content words ("Islam hates us", "overclassification run amok")...
RARE_PHRASE_CONTENT_WORDS = 2
#: ... whose summed inverse document frequency reaches this (more than twice SHORT_QUOTE_EVIDENCE:
#: "law and order" 9.5, "build the wall" 9.5, "lying Ted" 11.6 in PolNeAR; a coinage such as
#: "overclassification run amok" 22, "Islam hates us" 13.2).
RARE_PHRASE_EVIDENCE = 12.0
#: ... each word at least this (in at most one group in 33: "people" is 2.3 in PolNeAR, "run" 4.6; "white" 3.7,
#: for the "White House" of every story, in "white suburban moms").
RARE_PHRASE_WORD_EVIDENCE = 3.5
#: Word frequencies are used only on corpora with at least this many groups of quotations.
MIN_PHRASES_FOR_FREQUENCIES = 1000


#: A line of up to SHORT_QUOTE_WORDS words with at most this many shingles is a candidate of a longer
#: phrase sharing one of them (others need two; longer lines, two or a tenth of their shingles).
FEW_SHINGLES = 4


#: Two renderings of at least this many words each ...
VERBATIM_WORDS = 12
#: ... this similar (Indel, on words) are one quotation whatever their known speakers say.
VERBATIM_SCORE = 0.9


def _verbatim(a: _Phrase, b: _Phrase) -> tuple[str, float] | None:
    """('verbatim', similarity) when ``a`` and ``b`` print nearly the same words (VERBATIM_SCORE), or
    ('verbatim part', containment) when the shorter is printed nearly whole inside the longer:
    a long quotation printed word for word under two names is one quotation, one of the names
    being wrong (a show, a place or the reporter taken for the speaker) or one person reading out
    the other's words, not two people happening to say it."""
    similarity = Indel.normalized_similarity(a.codes, b.codes)
    if similarity >= VERBATIM_SCORE:
        return "verbatim", similarity
    # the shorter printed word for word inside the longer (one outlet prints more of the statement):
    # joined as a short quote is, to its one best match
    small, big = (a, b) if len(a.codes) <= len(b.codes) else (b, a)
    containment = _containment(small.codes, big.codes)
    return ("verbatim part", containment) if containment >= VERBATIM_SCORE else None


def _score_pair(a: _Phrase, b: _Phrase, speakers: bool = True) -> tuple[str, float] | None:
    """('similar', score) for renderings of comparable length, ('contained', score) for a short
    phrase inside a long one (a is the shorter), ('rare', score) for a phrase of under
    SHORT_PHRASE_WORDS words, mostly content words, printed whole by the other with no one speaker
    named for both (one only when its words are rare: see :meth:`_Informativeness.rare`),
    ('verbatim', score) for a long quotation printed word for word under two known speakers
    (:func:`_verbatim`; 'verbatim part' when printed whole inside the other), ('cut', score) for
    two cuts of one known speaker's statement sharing a run of words (:func:`_one_speakers_cut`; a
    'passage' to be aligned later when they share many words otherwise), ('piece cut', score) for her
    rendering joined from pieces, a piece of which she says in the other (:func:`_one_speakers_pieces`),
    ('sentence', score) or
    ('sentence part', score) for two quotations sharing only a sentence of six or seven words with no
    one speaker known for both (:func:`_few_words_shared`, judged with their days in
    :func:`_add_checked_matches`), or None when they are not one utterance.
    ``speakers=False`` judges the words alone (as if no one were named)."""
    la, lb = len(a.keys), len(b.keys)
    short, long_ = min(la, lb), max(la, lb)
    relation = _speaker_relation(a, b) if speakers else "unknown"
    if relation == "different":
        # the same words from two different known speakers are two statements, unless a long
        # quotation is printed word for word under both names
        return _verbatim(a, b) if short >= VERBATIM_WORDS else None
    rare_phrase = False
    if speakers and short < SHORT_PHRASE_WORDS and not _people_agree(a.named, b.named):
        small_phrase, big_phrase = (a, b) if la <= lb else (b, a)
        if ((a.named and b.named)  # two people named, at any confidence: "Second Amendment people"
                or len(small_phrase.content_codes) < RARE_PHRASE_CONTENT_WORDS
                or _containment(small_phrase.codes, big_phrase.codes) < 1.0):
            return None  # "law and order", "Medicare for all": stock phrases, unless one speaker says both
        # mostly content words, printed whole by the other ("overclassification run amok"): a coinage,
        # if its words are rare enough (judged with the corpus's frequencies: RARE_PHRASE_EVIDENCE)
        rare_phrase = True
    ca, cb = a.content, b.content
    few_shared = False  # the shorter one's content words are mostly not in the longer one
    if short <= 0.6 * long_:
        small_c, big_c = (ca, cb) if la <= lb else (cb, ca)
        shared_c = len(small_c & big_c)
        need_c = 0.6 if short >= 5 else 0.75  # "a total and complete ban": one content word changed
        if not small_c or shared_c < min(2, len(small_c)) or shared_c / len(small_c) < need_c:
            if shared_c < _shared_for_piece(relation, a if la <= lb else b):
                return None  # the shared words are only function words
            # one piece or sentence of the shorter may still be printed whole in the longer (a
            # rendering joined from pieces: `said that "X," and that "Y"`, only Y quoted elsewhere)
            few_shared = True
    dist = Indel.distance(a.codes, b.codes)
    lcs = (la + lb - dist) / 2
    if short <= 0.6 * long_:
        small_p, big_p = (a, b) if la <= lb else (b, a)
        containment = _containment(small_p.codes, big_p.codes)
        need = 0.7 if relation == "same" else 0.8
        if containment < need and len(small_p.sentences) > 1:
            containment, found = _containment_by_pieces(small_p, big_p, containment, not few_shared and not rare_phrase)
            if found:
                return "contained", found / short
        found = _one_speakers_pieces(small_p, big_p, containment) if few_shared and relation == "same" else 0
        if found:
            return "piece cut", found / short
        # a whole partial of three words, or of two content words ("heavy weaponry", "totally
        # unrelated": one speaker's, or rare words of no one's); how common its words are is judged
        # once the groups are built (_join_short_quotes, _Informativeness.rare)
        whole_partial = containment == 1.0 and (short >= 3 or (short == 2 and len(small_p.content_seq) == 2))
        if not few_shared and ((containment >= need and short >= 4) or whole_partial):
            return ("rare" if rare_phrase else "contained"), containment
        min_words = PIECE_ALONE_WORDS if few_shared else 6  # a 6-word sentence needs 5.4 shared words
        if lcs >= 5.4 and _sentence_inside(small_p, big_p, min_words) >= 0.9:
            return _few_words_shared("contained", relation, [(small_p, big_p)]), containment
        run = _overlap_run(a, b) if lcs >= SHARED_RUN_WORDS else 0
        if run:
            return "contained", run / short
        return _one_speakers_cut(a, b, relation, lcs, short)
    ratio = 2 * lcs / (la + lb)
    dice = 2 * len(ca & cb) / (len(ca) + len(cb)) if ca and cb else 0.0
    both_content = a.content_seq and b.content_seq
    content_ratio = Indel.normalized_similarity(a.content_codes, b.content_codes) if both_content else 0.0
    # function words inflate the plain ratio: the content words must agree too
    score = max(min(ratio, content_ratio + 0.15), dice * 0.95)
    same_speaker_bar = relation == "same" and short >= SAME_SPEAKER_RELAXED_WORDS
    if same_speaker_bar:
        # one speaker, same wording around changed content words: an agency translation / paraphrase
        score = max(score, ratio - 0.05)
    need = 0.5 if same_speaker_bar else 0.6
    if short < 6:
        need = max(need, 0.7)
    if rare_phrase:
        return ("rare", score) if lcs == short else None
    if score >= need:
        return "similar", score
    # two quotations of one statement that overlap (one outlet prints sentences 1-2, another 2-3)
    if lcs >= 5.4 and max(_sentence_inside(a, b), _sentence_inside(b, a)) >= 0.9:
        return _few_words_shared("similar", relation, [(a, b), (b, a)]), score
    run = _overlap_run(a, b) if lcs >= SHARED_RUN_WORDS else 0
    if run:
        # overlapping cuts: never joined at once, but as a short quote is (one best match, no rival
        # as good: a stock line shared by many statements scores as well in each)
        return "contained", run / short
    return _one_speakers_cut(a, b, relation, lcs, short)


def _few_words_shared(kind: str, relation: str, sides: list[tuple[_Phrase, _Phrase]]) -> str:
    """``kind`` for two quotations one of which prints a sentence of the other (each (sentence's,
    other) of ``sides``), unless that sentence has six or seven words ("I didn't do anything wrong.")
    and no one speaker is known for both: then 'sentence' (comparable lengths: one statement when
    printed the same day) or 'sentence part' (a shorter quotation), never a match a month apart and
    otherwise as good as a short quote (see _add_checked_matches)."""
    if relation == "same" or any(_sentence_inside(own, other, SHORT_QUOTE_WORDS) >= 0.9 for own, other in sides):
        return kind
    return "sentence" if kind == "similar" else "sentence part"


#: Two quotations of one known speaker printing whole sentences of this many words in all ...
SAME_SPEAKER_RUN_WORDS = 8
#: ... (each of at least this many words) ...
SHARED_SENTENCE_WORDS = 4
#: ... this many of them content words, are two outlets' cuts of one statement (see _one_speakers_cut) ...
SAME_SPEAKER_RUN_CONTENT_WORDS = 3
#: ... as are two such quotations overlapping in this many words in a row (SAME_SPEAKER_RUN_CONTENT_WORDS
#: content words), one ending and the other starting with them (see _overlap_run) ...
SAME_SPEAKER_OVERLAP_WORDS = 5
#: ... as are two such quotations whose best local alignment (see _aligned_passage) scores this ...
SAME_SPEAKER_ALIGNED_SCORE = 10
#: ... with this many content words matched ...
SAME_SPEAKER_ALIGNED_CONTENT = 5
#: Words of each quotation aligned (the alignment's work is the product of the two) ...
ALIGN_WINDOW_WORDS = 120
#: ... and alignments made per phrase at most (one speaker's many long quotations of one day, hostile
#: or not, cost at most this many each).
MAX_ALIGNED_PER_PHRASE = 4
#: ... when published this many days apart at most (0: the same day, or, for groups of renderings,
#: overlapping spans of days; a spokesman's stock line opens the statements of several days of a crisis).
SAME_SPEAKER_RUN_DAYS = 0


def _one_speakers_cut(a: _Phrase, b: _Phrase, relation: str, lcs: float, short: int) -> tuple[str, float] | None:
    """('cut', score) when ``a`` and ``b``, both of one known speaker, print the same whole
    sentences (each of SHARED_SENTENCE_WORDS+ words, SAME_SPEAKER_RUN_WORDS+ in all), word for word,
    each outlet cutting the rest of a statement differently: "There is no justification for this
    military coup." opening one cut and inside the other; "Rise to the occasion." and "Dress like you
    deserve respect" in two cuts of one post; or when one ends and the other starts with the same
    SAME_SPEAKER_OVERLAP_WORDS+ words (:func:`_overlap_run`); ('passage', 0.0) when they share
    SAME_SPEAKER_ALIGNED_SCORE+ words otherwise, to be aligned once their days are known (see
    :func:`_add_checked_matches`, :func:`_aligned_passage`). Else None. Another run of words, no whole
    sentence of either, is a phrase the speaker reuses ("We call on all sides to show restraint, ..."). Judged as
    a short quote's match, and only between quotations published on one day
    (SAME_SPEAKER_RUN_DAYS): a speaker's stock sentence in two statements is as good a match of each
    (a rival) or said on another day."""
    if relation != "same" or lcs < SAME_SPEAKER_OVERLAP_WORDS:
        return None
    overlap = _overlap_run(a, b, SAME_SPEAKER_OVERLAP_WORDS, SAME_SPEAKER_RUN_CONTENT_WORDS)
    if overlap:
        return "cut", overlap / short
    if lcs < SAME_SPEAKER_RUN_WORDS:
        return None
    content = a.content_codes
    shared_words = shared_content = 0
    counted: set[int] = set()  # starts in ``a`` of the sentences counted
    for start_a, start_b, length in _shared_runs(a.codes, b.codes, SHARED_SENTENCE_WORDS):
        for s0, s1 in _sentences_inside(a.sentences, start_a, length):
            if s0 not in counted:
                counted.add(s0)
                shared_words += s1 - s0
                shared_content += sum(code in content for code in a.codes[s0:s1])
        for s0, s1 in _sentences_inside(b.sentences, start_b, length):
            s0_a = start_a + s0 - start_b  # the same words in ``a``
            if s0_a not in counted:
                counted.add(s0_a)
                shared_words += s1 - s0
                shared_content += sum(code in content for code in a.codes[s0_a : s0_a + s1 - s0])
    if shared_words >= SAME_SPEAKER_RUN_WORDS and shared_content >= SAME_SPEAKER_RUN_CONTENT_WORDS:
        return "cut", shared_words / short
    if lcs >= SAME_SPEAKER_ALIGNED_SCORE:
        return "passage", 0.0  # maybe one passage transcribed a word apart: aligned once its day is known
    return None


def _aligned_passage(a: _Phrase, b: _Phrase) -> int:
    """The words matched in the best local alignment of ``a`` and ``b`` (Smith-Waterman on words: a
    match scores 1, a changed, added or dropped word -1) when it scores SAME_SPEAKER_ALIGNED_SCORE+
    with SAME_SPEAKER_ALIGNED_CONTENT+ content words matched: one passage of a statement that two
    outlets transcribed a word apart ("is now actively attempting to" / "is actively trying to"),
    each cutting its sentences elsewhere; else 0, and 0 for an alignment with no edit (the same run
    of words in both: a phrase the speaker reuses, see :func:`_one_speakers_cut`). Only the first
    ALIGN_WINDOW_WORDS words of each are aligned (the work is their product)."""
    x, y = _code_ids(a.codes[:ALIGN_WINDOW_WORDS]), _code_ids(b.codes[:ALIGN_WINDOW_WORDS])
    content = frozenset(_code_ids(a.content_codes))
    # each cell: (score, words matched, content words matched) of the best alignment ending there
    previous = [(0, 0, 0)] * (len(y) + 1)
    best = (0, 0, 0)
    best_key = (0, 0)
    for word in x:
        row = [(0, 0, 0)]
        is_content = word in content
        for j, other in enumerate(y, 1):
            diagonal = previous[j - 1]
            if word == other:
                cell = (diagonal[0] + 1, diagonal[1] + 1, diagonal[2] + is_content)
            else:
                cell = (diagonal[0] - 1, diagonal[1], diagonal[2])
            up, left = previous[j], row[j - 1]
            if up[0] - 1 > cell[0]:
                cell = (up[0] - 1, up[1], up[2])
            if left[0] - 1 > cell[0]:
                cell = (left[0] - 1, left[1], left[2])
            if cell[0] <= 0:
                cell = (0, 0, 0)
            row.append(cell)
            if cell[0] >= SAME_SPEAKER_ALIGNED_SCORE and (cell[0], cell[2]) > best_key:
                best, best_key = cell, (cell[0], cell[2])
        previous = row
    # an alignment with no edit is a run of words printed by both: a phrase the speaker reuses, left
    # to the rules on whole sentences and overlaps (see _one_speakers_cut)
    if best[2] >= SAME_SPEAKER_ALIGNED_CONTENT and best[1] > best[0]:
        return best[1]
    return 0


def _sentences_inside(sentences: Sequence[tuple[int, int]], start: int, length: int) -> list[tuple[int, int]]:
    """The ``sentences`` (word spans) of SHARED_SENTENCE_WORDS+ words lying whole within the words
    ``start`` .. ``start + length``."""
    return [(s0, s1) for s0, s1 in sentences
            if start <= s0 and s1 <= start + length and s1 - s0 >= SHARED_SENTENCE_WORDS]


#: Runs of words looked at per pair of quotations (bounds the work on repetitive text).
MAX_SHARED_RUNS = 32


def _shared_runs(a_codes: Sequence[Any], b_codes: Sequence[Any], min_words: int) -> list[tuple[int, int, int]]:
    """Runs of at least ``min_words`` words printed by both ``a_codes`` and ``b_codes``, as (start in
    a, start in b, length), each extended as far as both go (at most MAX_SHARED_RUNS): found through
    the runs of ``min_words`` words of ``a``, in time linear in both lengths."""
    starts: dict[Any, list[int]] = {}
    for i in range(len(a_codes) - min_words + 1):
        starts.setdefault(a_codes[i : i + min_words], []).append(i)
    runs: list[tuple[int, int, int]] = []
    j = 0
    while j <= len(b_codes) - min_words and len(runs) < MAX_SHARED_RUNS:
        hits = starts.get(b_codes[j : j + min_words])
        if hits is None:
            j += 1
            continue
        longest = min_words
        for i in hits[:4]:  # a run repeated within one quotation: its first few places are enough
            n = min_words
            while i + n < len(a_codes) and j + n < len(b_codes) and a_codes[i + n] == b_codes[j + n]:
                n += 1
            runs.append((i, j, n))
            longest = max(longest, n)
        j += longest - min_words + 1
    return runs


#: Two quotations overlapping in this many words in a row, SHARED_RUN_CONTENT_WORDS of them content
#: words, one ending and the other starting with them (see _overlap_run), are two cuts of one text
#: (one outlet prints a remark's start, another its end), whatever the rest. Such a match is judged
#: as a short quote's: its one best match, unless as good a match lies elsewhere.
SHARED_RUN_WORDS = 8
SHARED_RUN_CONTENT_WORDS = 4
#: Words a cut may print past the overlap at the end it shares ("…, Well, if he is …").
CUT_SLACK_WORDS = 1


#: Words of each end compared when looking for an overlap (bounds the work on huge quotations; a
#: longer overlap is a shared passage the other rules find).
OVERLAP_WINDOW_WORDS = 200


def _suffix_prefix(head_of: Sequence[Any], tail_of: Sequence[Any]) -> int:
    """The length of the longest end of ``tail_of`` that starts ``head_of`` (prefix function of the
    Knuth-Morris-Pratt search over ``head_of`` + a separator + ``tail_of``: linear time)."""
    joined = [*head_of, None, *tail_of]
    border = [0] * len(joined)
    for i in range(1, len(joined)):
        k = border[i - 1]
        while k and joined[i] != joined[k]:
            k = border[k - 1]
        if joined[i] == joined[k] and joined[i] is not None:
            k += 1
        border[i] = k
    return border[-1]


def _overlap_run(a: _Phrase, b: _Phrase, min_words: int = SHARED_RUN_WORDS,
                 min_content: int = SHARED_RUN_CONTENT_WORDS) -> int:
    """The length of the run of words that ends one of ``a`` and ``b`` and starts the other (either
    may print up to CUT_SLACK_WORDS words past it), when it has at least ``min_words`` words and
    ``min_content`` content words; else 0. A run both start with and go on from, or one
    prints in its middle, is not an overlap of two cuts: it is as often a stock line ("We call on all
    sides to show restraint") opening two statements, or one person echoing another's words inside a
    statement of their own. (A quotation that is the run and a word more is a cut of the other's
    start: that is found, as a short quote inside a longer one is.)"""
    window = OVERLAP_WINDOW_WORDS
    content = a.content_codes
    best = 0
    for first, second in ((a.codes, b.codes), (b.codes, a.codes)):  # first ends, second starts
        for cut_end in range(CUT_SLACK_WORDS + 1):
            tail = first[max(0, len(first) - cut_end - window) : len(first) - cut_end]
            for cut_start in range(CUT_SLACK_WORDS + 1):
                run = _suffix_prefix(second[cut_start : cut_start + window], tail)
                if run >= min_words and run > best:
                    words = tail[len(tail) - run :]
                    if sum(code in content for code in words) >= min_content:
                        best = run
    return best


#: The day number of a phrase or group none of whose renderings carries a publication date.
_NO_DAY = 0
#: The article number of a phrase or group printed by more than one article.
_SEVERAL_ARTICLES = -1


class _Spread:
    """When and where the renderings of each phrase (then, merged by the union-find, of each group)
    were published: the first and last publication day (:func:`publication_day`; _NO_DAY when none
    is known) and the one article that printed them all (_SEVERAL_ARTICLES when more than one).
    Three numbers per phrase: a set of days or articles per phrase would cost hundreds of bytes each
    at 50,000 articles."""

    def __init__(self) -> None:
        self.first_day = array("i")
        self.last_day = array("i")
        self.article = array("i")

    def add_phrase(self, day: int | None, article: int) -> None:
        """The next phrase, from its first unit (published on ``day`` by ``article``)."""
        self.first_day.append(day or _NO_DAY)
        self.last_day.append(day or _NO_DAY)
        self.article.append(article)

    def add_unit(self, phrase: int, day: int | None, article: int) -> None:
        """Another unit of ``phrase``."""
        if article != self.article[phrase]:
            self.article[phrase] = _SEVERAL_ARTICLES
        if day:
            self._widen(phrase, day, day)

    def _widen(self, target: int, first: int, last: int) -> None:
        if self.first_day[target] == _NO_DAY or first < self.first_day[target]:
            self.first_day[target] = first
        if last > self.last_day[target]:
            self.last_day[target] = last

    def merge(self, root: int, child: int) -> None:
        """Fold the spread of ``child``'s group into ``root``'s (two groups joined)."""
        if self.article[child] != self.article[root]:
            self.article[root] = _SEVERAL_ARTICLES
        if self.first_day[child] != _NO_DAY:
            self._widen(root, self.first_day[child], self.last_day[child])

    def days_apart(self, a: int, b: int) -> int:
        """Days between the publications of groups ``a`` and ``b`` (0 when their spans of days
        overlap or a day is unknown)."""
        first_a, last_a, first_b, last_b = self.first_day[a], self.last_day[a], self.first_day[b], self.last_day[b]
        if first_a == _NO_DAY or first_b == _NO_DAY:
            return 0
        return max(0, first_a - last_b, first_b - last_a)

    def one_article(self, group: int) -> bool:
        """Whether a single article printed every rendering of ``group``."""
        return self.article[group] != _SEVERAL_ARTICLES


class _UnionFind:
    """Union-find whose groups remember their known speaker: two groups with different known
    speakers are never joined (an unknown rendering joins one of them, never bridges both)."""

    def __init__(self, n: int, speakers: list[str | None] | None = None, spread: _Spread | None = None) -> None:
        self.parent = list(range(n))
        self.speaker: list[str | None] = list(speakers) if speakers is not None else [None] * n
        # when and where each group was published, merged into its root on union (None: not followed)
        self.spread = spread

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int, despite_speakers: bool = False) -> bool:
        """Join the groups of ``a`` and ``b`` unless their known speakers differ (joined all the same
        with ``despite_speakers``: the group keeps ``b``'s group's speaker)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        sa, sb = self.speaker[ra], self.speaker[rb]
        conflict = sa is not None and sb is not None and not same_person(sa, sb)
        if conflict and not despite_speakers:
            return False
        root, child = min(ra, rb), max(ra, rb)
        self.parent[child] = root
        if conflict:
            # measured: keeping the speaker of the group found first (``b``'s) beats keeping the
            # larger group's (AllSides tune 363 against 358 pairs)
            self.speaker[root] = sb
        else:
            # the fuller name speaks for the group ("trump|donald" rather than "trump|"): a group of
            # Donald Trump's words then refuses Eric Trump's
            self.speaker[root] = max(sa or "", sb or "", key=len) or None
        if self.spread is not None:
            self.spread.merge(root, child)
        return True


class PhraseIndex:
    """Units collapsed into phrases as they come (article by article): units with identical words
    (and compatible speakers) are one phrase, with its known speaker (the union-find keeps two known
    speakers apart). Nothing of a unit is kept but its phrase: :func:`cluster_units` on a list of
    units, or the quote analysis adding each article's units while it extracts, so that every
    quotation of the corpus is never held at once."""

    def __init__(self) -> None:
        # word key -> id (ids in insertion order; an editor's insertion is id 0: see _insertions)
        self.vocab: dict[str, int] = {INSERTION_KEY: _INSERTION_ID}
        self.phrases: list[_Phrase] = []
        self.phrase_speaker: list[str | None] = []
        # the quotation (utterance) of each phrase's renderings: its token when one (most), else their set
        self.same_quote: list[int | frozenset[int]] = []
        self.unit_phrase = array("i")  # phrase of each unit added
        self._phrase_of_keys: dict[tuple[Any, Any], int] = {}
        self._speaker_sets = _SpeakerSets()
        # when and by which article each phrase was published (each group, once clustered: the
        # union-find merges a group's spread into its root's entry)
        self.spread = _Spread()
        self._words: list[str] | None = None  # the vocabulary as a list, once clustering started

    def add(self, u: _Unit, utterance: int) -> int:
        """Add the next unit (``utterance``: a number naming its quotation, the same for the pieces of
        one utterance and different across quotations); its phrase."""
        ui = len(self.unit_phrase)
        vocab, phrases = self.vocab, self.phrases
        named = person_key(u.quote.speaker) if names_someone(u.quote.speaker) else None
        sure = u.quote.speaker_confidence >= KNOWN_SPEAKER_CONFIDENCE
        known = named if sure and identifies_someone(u.quote.speaker) else None
        # identical words from two known speakers: two phrases; a short phrase ("law and order")
        # is one phrase only for one named speaker, and never when no one is named. Speakers are
        # told apart by surname ("Trump" and "Donald J. Trump" printing the same words are one
        # person's), then by given name when both are known ("Eric Trump" is not "Donald Trump")
        ident: Any = speaker_key(u.quote.speaker) if known else None
        if len(u.keys) < SHORT_PHRASE_WORDS:
            ident = speaker_key(u.quote.speaker) if named else ("unit", ui)
        codes = _id_codes([vocab.setdefault(k, len(vocab)) for k in u.keys])
        pi = self._phrase_of_keys.get((codes, ident))
        if pi is not None and known and phrases[pi].speakers and not _people_agree(phrases[pi].speakers,
                                                                                    frozenset([known])):
            ident = (ident, known)
            pi = self._phrase_of_keys.get((codes, ident))
        if pi is None:
            content_seq = [vocab[k] for k in u.keys if k not in _STOPWORDS]
            pi = len(phrases)
            self._phrase_of_keys[(codes, ident)] = pi
            phrases.append(_Phrase(codes, _id_codes(content_seq), _NO_NAMES, u.sentences, _NO_NAMES))
            self.phrase_speaker.append(known)
            self.same_quote.append(utterance)
            self.spread.add_phrase(u.day, u.article_pos)
        else:
            same = self.same_quote[pi]
            if isinstance(same, int):
                if same != utterance:
                    self.same_quote[pi] = frozenset({same, utterance})
            elif utterance not in same:
                self.same_quote[pi] = same | {utterance}
            self.spread.add_unit(pi, u.day, u.article_pos)
        phrase = phrases[pi]
        self.unit_phrase.append(pi)  # a phrase's units are those naming it here (no list per phrase)
        if known and known not in phrase.speakers:
            phrase.speakers = self._speaker_sets.plus(phrase.speakers, known)
            if len(known) > len(self.phrase_speaker[pi] or ""):
                self.phrase_speaker[pi] = known  # the fullest name of the phrase's speaker
        if named and named not in phrase.named:
            phrase.named = self._speaker_sets.plus(phrase.named, named)
        return pi

    def words(self) -> list[str]:
        """Each word id's key (the vocabulary as a list: index = id)."""
        return self._words if self._words is not None else list(self.vocab)

    def unit_keys(self, ui: int, words: Sequence[str]) -> tuple[str, ...]:
        """The word keys of unit ``ui`` (those of its phrase), ``words`` from :meth:`words`."""
        codes = self.phrases[self.unit_phrase[ui]].codes
        if type(codes) is str:  # as _code_ids, without the tuple of ids between
            return tuple([words[code if code < 0xD800 else code - 0x800] for code in map(ord, codes)])
        return tuple([words[i] for i in codes])

    def cluster(self, cancelled: Callable[[], bool] | None = None) -> tuple[list[list[int]], dict[str, Any]]:
        """Connected components of the units added (lists of unit indices) and counters for the
        benchmark. The look-up tables of :meth:`add` are dropped first (no unit can be added after;
        the vocabulary is kept as the list :meth:`words` gives)."""
        self._phrase_of_keys = {}
        self._words = list(self.vocab)
        self.vocab = {}
        return _cluster_phrases(self.phrases, self.phrase_speaker, self.same_quote, self.unit_phrase, cancelled,
                                self.spread)


class _SharedShingles:
    """Which shingle hashes may occur in more than one phrase, in two bitmaps (a few MB) instead of
    a posting for every shingle: most shingles occur once and can never be a candidate's evidence.

    A hash's bucket is marked "seen" on its first occurrence and "shared" on any later one; a hash
    whose bucket is not "shared" occurred once, exactly (two hashes meeting in one bucket only make
    a once-only shingle look shared, which costs a posting and changes nothing)."""

    def __init__(self, phrase_shingles: Iterable[set[int]], expected: int) -> None:
        bits = 1 << 16
        while bits < 16 * expected:
            bits <<= 1
        self._mask = bits - 1
        seen = bytearray(bits >> 3)
        shared = bytearray(bits >> 3)
        mask = self._mask
        for shingles in phrase_shingles:
            for shingle in shingles:
                bucket = shingle & mask
                byte, bit = bucket >> 3, 1 << (bucket & 7)
                if seen[byte] & bit:
                    shared[byte] |= bit
                else:
                    seen[byte] |= bit
        del seen
        self._shared = shared

    def among(self, shingles: Iterable[int]) -> list[int]:
        """The ``shingles`` that may occur in another phrase (every one that does, and a few more)."""
        mask, shared = self._mask, self._shared
        return [s for s in shingles if shared[(s & mask) >> 3] & (1 << (s & 7))]


def _phrase_shingles(phrase: _Phrase) -> set[int]:
    content = list(phrase.content_seq)
    return _shingles(phrase.keys, content, frozenset(content))


#: A short quote's matches scoring within this of its best one are rivals of the best.
RIVAL_MARGIN = 0.1
#: At most this many matches are kept per short quote to judge whether its best one is ambiguous.
MAX_RIVALS = 12


def _add_rival(rivals: dict[int, list[tuple[float, int]]], short_i: int, score: float, long_i: int) -> None:
    """Keep ``long_i`` among the best matches of ``short_i`` (at most MAX_RIVALS, best first)."""
    found = rivals.get(short_i)
    if found is None:
        rivals[short_i] = [(score, long_i)]
        return
    found.append((score, long_i))
    if len(found) > 2:  # only matches about as good as the best can make it ambiguous: drop the rest
        found.sort(reverse=True)
        top = found[0][0]
        while len(found) > MAX_RIVALS or found[-1][0] < top - RIVAL_MARGIN:
            found.pop()


def _note_echo(p: _Phrase, q: _Phrase, pi: int, qi: int, lengths: list[int],
               rivals: dict[int, list[tuple[float, int]]]) -> None:
    """A short quote whose words another known speaker also said (a pair refused for its speakers
    alone): that other quotation is a rival of the short quote's best match, as the words are a
    stock phrase ("do the right thing") rather than a cut of one statement."""
    if _speaker_relation(p, q) != "different":
        return
    result = _score_pair(p, q, speakers=False)
    if result is not None:
        short_i, long_i = (pi, qi) if lengths[pi] < lengths[qi] else (qi, pi)
        _add_rival(rivals, short_i, result[1], long_i)


#: A short quote without a confident speaker, published more than this many days from every
#: rendering of a statement that one article printed, is taken for the same words used on another
#: occasion (see _another_occasion).
OCCASION_DAYS = 30


def _another_occasion(uf: _UnionFind, short_group: int, statement_group: int, words: int) -> bool:
    """Whether a short quote of ``words`` words (its group so far) is more likely the same few words
    used on another occasion than a cut of the statement it matches: it is short (under
    SHORT_QUOTE_WORDS), no confident speaker says both are one person's words, it was published
    more than OCCASION_DAYS from every rendering of the statement, and only one article printed the
    statement. Without a confident speaker the words
    are the only link, and a month apart a few words are more often said again (a crowd chanting
    "build the wall" months after one interview where the candidate said it; "too big to fail" in a
    tax story and in a senator's question) than quoted from one remark; a statement printed by
    several articles is known enough to be quoted, cut, months later ("a total and complete ban")."""
    spread = uf.spread
    if words >= SHORT_QUOTE_WORDS or spread is None or not spread.one_article(statement_group):
        return False
    speaker_short, speaker_statement = uf.speaker[short_group], uf.speaker[statement_group]
    if speaker_short is not None and speaker_statement is not None and same_person(speaker_short, speaker_statement):
        return False
    return spread.days_apart(short_group, statement_group) > OCCASION_DAYS


def _add_match(best_parent: dict[int, tuple[float, int, int]], rivals: dict[int, list[tuple[float, int]]],
               lengths: list[int], short_i: int, score: float, long_i: int) -> None:
    """Note that short quote ``short_i`` matches ``long_i`` with ``score``: its best match so far or a rival."""
    key = (score, lengths[long_i], -long_i)
    old = best_parent.get(short_i)
    if old is None or key > old:
        best_parent[short_i] = key
    _add_rival(rivals, short_i, score, long_i)


def _cuts_of_one_day(spread: _Spread, group_a: int, group_b: int) -> bool:
    """Whether groups ``group_a`` and ``group_b`` can be two outlets' cuts of one statement: both with a
    known publication day, published within SAME_SPEAKER_RUN_DAYS, and not two quotations one article
    printed apart (two remarks)."""
    if spread.first_day[group_a] == _NO_DAY or spread.first_day[group_b] == _NO_DAY:
        return False  # no full date known: "one day" cannot be told
    one_article = spread.one_article(group_a) and spread.one_article(group_b)
    if one_article and spread.article[group_a] == spread.article[group_b]:
        return False
    return spread.days_apart(group_a, group_b) <= SAME_SPEAKER_RUN_DAYS


def _add_checked_matches(checked: Iterable[tuple[str, int, float, int]], informative: _Informativeness,
                         uf: _UnionFind, phrases: Sequence[_Phrase], best_parent: dict[int, tuple[float, int, int]],
                         rivals: dict[int, list[tuple[float, int]]], lengths: list[int]) -> None:
    """Add the matches (``(kind, short, score, long)``, see _score_pair) that hold only once the
    groups are built: a 'rare' one (a phrase of a few words with no one speaker named for both)
    when its words are rare (:meth:`_Informativeness.rare`), a 'cut' one (one speaker's sentence in
    two cuts) when both groups can be cuts of one statement (:func:`_cuts_of_one_day`), a 'piece cut'
    one when they can and the shared words are informative, a 'passage'
    one (one speaker's quotations sharing many words) when they can and, aligned, are one passage
    transcribed a word apart (:func:`_aligned_passage`; at most MAX_ALIGNED_PER_PHRASE alignments per
    phrase); a 'sentence' or 'sentence part' one is no match more than OCCASION_DAYS apart, a
    'sentence' one joins the two groups at once when they can be cuts of one statement, and either is
    judged as a short quote otherwise; the others are no match at all, neither a best match nor a
    rival of one."""
    spread = uf.spread
    aligned_per_phrase: Counter[int] = Counter()
    for kind, short_i, score, long_i in checked:
        if kind == "verbatim part":
            continue  # a fallback, see _join_verbatim_parts
        if kind in ("sentence", "sentence part"):
            # a sentence of a few words shared with no known speaker: a month away, the same few words
            # said again; the same day, two quotations of comparable length are one statement;
            # otherwise as good as a short quote
            short_root, long_root = uf.find(short_i), uf.find(long_i)
            if spread is not None and spread.days_apart(short_root, long_root) > OCCASION_DAYS:
                continue
            if kind == "sentence" and (spread is None or _cuts_of_one_day(spread, short_root, long_root)):
                uf.union(short_i, long_i)
            else:
                _add_match(best_parent, rivals, lengths, short_i, score, long_i)
            continue
        if kind == "rare":
            holds = informative.rare(phrases[short_i].content & phrases[long_i].content)
        else:
            holds = spread is None or _cuts_of_one_day(spread, uf.find(short_i), uf.find(long_i))
            if holds and kind == "piece cut":
                holds = informative(phrases[short_i].content & phrases[long_i].content)
        if holds and kind == "passage":
            # the alignment is costly (see _aligned_passage): a few per phrase, after the day is checked
            aligned_per_phrase[short_i] += 1
            aligned_per_phrase[long_i] += 1
            if max(aligned_per_phrase[short_i], aligned_per_phrase[long_i]) > MAX_ALIGNED_PER_PHRASE:
                continue
            aligned = _aligned_passage(phrases[short_i], phrases[long_i])
            holds, score = aligned > 0, aligned / min(lengths[short_i], lengths[long_i])
        if holds:
            _add_match(best_parent, rivals, lengths, short_i, score, long_i)


def _join_verbatim_parts(uf: _UnionFind, checked: Iterable[tuple[str, int, float, int]]) -> None:
    """Join each quotation printed word for word inside another under another known speaker's name
    (a 'verbatim part' match, see :func:`_verbatim`: one of the names is wrong or misspelt) to that
    other's group, whatever their known speakers, when it matched nothing of its own (its group is
    one article's) and such quotations lie in one group only: someone reading out a line of another's
    statement is no rival of that statement, and no unattributed rendering bridges two speakers."""
    spread = uf.spread
    if spread is None:
        return
    parts: dict[int, set[int]] = defaultdict(set)
    for kind, short_i, _, long_i in checked:
        if kind == "verbatim part":
            parts[short_i].add(long_i)
    for short_i, longs in parts.items():
        own = uf.find(short_i)
        if not spread.one_article(own):
            continue  # it found a match of its own
        roots = {uf.find(long_i) for long_i in longs} - {own}
        if len(roots) == 1:
            uf.union(short_i, roots.pop(), despite_speakers=True)


#: A short quote matching as well the quotations of several groups, each of its own known speaker,
#: all published within this many days of it, is a cut of the one statement they print in parts
#: (see _parts_of_one_statement)...
SAME_EVENT_DAYS = 3
#: ... when they are at most this many groups (a catchphrase the speaker repeats in every speech
#: matches more).
MAX_STATEMENT_PARTS = 2


def _speaks(uf: _UnionFind, root: int, speaker: str) -> bool:
    """Whether group ``root``'s known speaker is ``speaker``."""
    known = uf.speaker[root]
    return known is not None and same_person(known, speaker)


def _parts_of_one_statement(uf: _UnionFind, own_root: int, parts: Iterable[int], speaker: str) -> bool:
    """Whether the groups ``parts`` that a short quote of ``speaker`` (its group ``own_root``)
    matches about as well are cuts of one statement of that speaker printed differently by two
    outlets (a Facebook post: one outlet prints its start, another its end, both with the line a
    third quotes alone): each group has that known speaker, they are at most MAX_STATEMENT_PARTS,
    all were published within SAME_EVENT_DAYS of the short quote, and no two are quotations of one
    article only (one article printing two is two remarks). The words are what joins
    them: two statements of one person opening on one stock line ("The door remains open for
    talks") within three days are joined too."""
    parts = list(parts)
    if len(parts) > MAX_STATEMENT_PARTS or not all(_speaks(uf, root, speaker) for root in parts):
        return False
    spread = uf.spread
    if spread is not None:
        # two quotations one article printed apart are two remarks, not two outlets' cuts of one
        single = [spread.article[root] for root in parts if spread.one_article(root)]
        if len(single) != len(set(single)):
            return False
    return all(_same_event(uf, own_root, root) for root in parts)


def _same_event(uf: _UnionFind, group_a: int, group_b: int) -> bool:
    """Whether groups ``group_a`` and ``group_b`` were published within SAME_EVENT_DAYS."""
    return uf.spread is None or uf.spread.days_apart(group_a, group_b) <= SAME_EVENT_DAYS


#: Summed inverse document frequency enough for a short quote's shared words when one known speaker
#: says both, in the days of one event (see _own_words_of_the_day).
SAME_SPEAKER_EVIDENCE = 2.5


def _own_words_of_the_day(uf: _UnionFind, short: _Phrase, own_root: int, best_root: int, evidence: float) -> bool:
    """Whether a short quote's few common words ("I was wrong") are still a cut of the statement it
    matches: its known speaker is that statement's, both published within SAME_EVENT_DAYS, and the
    shared words reach SAME_SPEAKER_EVIDENCE (half of what words said by anyone need). Asked only of
    a short quote with one contending group: words this common matching two statements of the
    speaker join neither."""
    speaker = uf.speaker[own_root] if short.speakers else None
    return (speaker is not None and evidence >= SAME_SPEAKER_EVIDENCE and _speaks(uf, best_root, speaker)
            and _same_event(uf, own_root, best_root))


def _words_of_one_day(spread: _Spread | None, short_group: int, statement_group: int) -> bool:
    """Whether a quote of two or three words ("mistakes were made") was printed on one day only, the
    day of the statement it matches or the next (a report of the day after): a speaker's catchphrase
    ("New York values") printed on several days is quoted again, one occasion after another."""
    if spread is None or spread.first_day[short_group] == _NO_DAY or spread.first_day[statement_group] == _NO_DAY:
        return False  # no full date known: "one day" cannot be told
    # (one article printing the words before the statement is its lede, not another remark)
    return (spread.first_day[short_group] == spread.last_day[short_group]
            and spread.days_apart(short_group, statement_group) <= 1)


def _best_match(matches: Sequence[tuple[float, int]], lengths: list[int]) -> int | None:
    """The phrase of the (score, phrase) matches that _add_match ranks first: the best score, then the
    longer phrase, then the one read first (never by article order); None for no match."""
    if not matches:
        return None
    return -max((score, lengths[other], -other) for score, other in matches)[2]


def _join_short_quotes(uf: _UnionFind, best_parent: dict[int, tuple[float, int, int]],
                       rivals: dict[int, list[tuple[float, int]]], lengths: list[int],
                       phrases: Sequence[_Phrase], informative: _Informativeness | None = None) -> None:
    """Join each short quote to its one best match, unless that match is ambiguous: matches about
    as good (within RIVAL_MARGIN) lie in other groups, so the words are a stock phrase or a
    catchphrase said on many occasions ("boots on the ground", "make America great again"), not a
    cut of one statement; or unless the words they share are common ones (see
    :class:`_Informativeness`, ``informative``: built here when not given); or unless, without a
    confident speaker, it was published long after or before a statement only one article printed
    (:func:`_another_occasion`). A short quote of a known speaker, in that speaker's statement of
    the same days (a quote of two or three words: printed on that one day only, see
    :func:`_words_of_one_day`), is not made ambiguous by another known speaker's use of its words; and when it
    matches two groups of its own speaker's words of those days, they are cuts of one statement
    and all are joined (:func:`_parts_of_one_statement`). Longer short quotes
    are joined first, so the cuts of one statement ("ISIS' best recruiter", "becoming ISIS' best
    recruiter") meet in one group before the shortest is judged."""
    if informative is None:
        informative = _Informativeness(phrases, uf.find)

    def bound_for(phrase: int) -> int:
        # the group a phrase is in, or (a short quote not judged yet) the one its best match is in
        pending = best_parent.get(phrase)
        return uf.find(-pending[2] if pending is not None else phrase)

    for short_i in sorted(best_parent, key=lambda i: (-lengths[i], i)):
        best_score, _, neg_long = best_parent.pop(short_i)
        best_long = -neg_long
        # a best match that is itself a short quote not judged yet counts as the group it is bound
        # for: otherwise it and that group look like two rival statements
        best_root = bound_for(best_long)
        own_root = uf.find(short_i)
        speaker = uf.speaker[own_root] if phrases[short_i].speakers and lengths[short_i] < SHORT_QUOTE_WORDS else None
        if speaker is not None and not (_speaks(uf, best_root, speaker) and _same_event(uf, own_root, best_root)):
            # its words in several statements about as well, one of them its own speaker's of the same
            # days: that one is what it cuts, the others quote it ("the private sector is doing fine"
            # in the president's answer and in his critics' attacks on it) or are the speaker's words
            # said again another week
            own = _best_match([(score, other) for score, other in rivals.get(short_i, ())
                               if score >= best_score - RIVAL_MARGIN and bound_for(other) != own_root
                               and _speaks(uf, bound_for(other), speaker)
                               and _same_event(uf, own_root, bound_for(other))], lengths)
            if own is not None:
                best_long = own
                best_root = bound_for(best_long)
        # the groups it matches about as well as its best match
        contenders = {best_root} | {bound_for(other) for score, other in rivals.get(short_i, ())
                                    if score >= best_score - RIVAL_MARGIN}
        if own_root != best_root:
            contenders.discard(own_root)
        own_speaker = None  # the known speaker of a quote of a few words (not a line), for the next two rules
        few_words = lengths[short_i] < SHORT_PHRASE_WORDS
        if phrases[short_i].speakers and lengths[short_i] < SHORT_QUOTE_WORDS and (
                not few_words or _words_of_one_day(uf.spread, own_root, best_root)):
            own_speaker = uf.speaker[own_root]
        if own_speaker is not None and _speaks(uf, best_root, own_speaker) and _same_event(uf, own_root, best_root):
            # another known speaker's words are no rival of what this one said, in the statement
            # this one made: "no one is above the law" from a U.S. attorney and from a senator; nor
            # are unattributed quotations of them when that statement is the speaker's only one
            # holding them (others repeat the words); when several are, the unattributed ones stay
            # rivals, as the words may be a line the speaker used more than once
            contenders = {root for root in contenders if uf.speaker[root] is None or _speaks(uf, root, own_speaker)}
            own_statements = {root for root in contenders if uf.speaker[root] is not None}
            if len(own_statements) == 1:
                contenders = own_statements
            elif len(own_statements) == len(contenders) > 1:
                # several of the speaker's statements hold the words: the one of these days is what this
                # quotes, one of another week is the words said again ("never took control of the
                # Justice Department" in an interview, and repeated four days later)
                of_these_days = {root for root in contenders if _same_event(uf, own_root, root)}
                if len(of_these_days) == 1:
                    contenders = of_these_days
        if not phrases[short_i].speakers and len(contenders) > 1 and phrases[short_i].named:
            # no confident speaker, but one named weakly: among statements matching about as well, the one
            # of that person in the same days ("war of Obama's choosing", given to Steele at 0.4, in
            # Steele's remark and in a columnist's letter quoting it). (A confident speaker's few words
            # printed on several days keep joining none: a catchphrase quoted again, see above.)
            weakly_named = {root for root in contenders
                            if any(_speaks(uf, root, name) for name in phrases[short_i].named)
                            and _same_event(uf, own_root, root)}
            if len(weakly_named) == 1:
                contenders = weakly_named
                best_root = next(iter(weakly_named))
                in_group = _best_match([(score, other) for score, other in [(best_score, best_long),
                                                                            *rivals.get(short_i, ())]
                                        if bound_for(other) == best_root], lengths)
                best_long = best_long if in_group is None else in_group
        shared = phrases[short_i].content & phrases[best_long].content
        if not informative(shared) and not (len(contenders) == 1 and _own_words_of_the_day(
                uf, phrases[short_i], own_root, best_root, informative.evidence(shared))):
            continue  # "if we do not win", "I'm with her": a few common words, said by anyone
        if len(contenders) > 1:
            if (own_speaker is not None and lengths[short_i] >= 3
                    and _parts_of_one_statement(uf, own_root, contenders, own_speaker)):
                for root in contenders:
                    uf.union(short_i, root)
            continue
        if _another_occasion(uf, own_root, best_root, lengths[short_i]):
            continue
        if lengths[short_i] < 3 and not _same_event(uf, own_root, best_root):
            continue  # two words ("greatly honored") of another week: the speaker's words again, not a cut
        uf.union(short_i, best_long)


def cluster_units(units: list[_Unit],
                  cancelled: Callable[[], bool] | None = None) -> tuple[list[list[int]], dict[str, Any]]:
    """Connected components of units (lists of unit indices) and counters for the benchmark."""
    index = PhraseIndex()
    utterances: dict[str, int] = {}
    for u in units:
        index.add(u, utterances.setdefault(u.quote.utterance_id, len(utterances)))
    return index.cluster(cancelled)


def _cluster_phrases(phrases: list[_Phrase], phrase_speaker: list[str | None], same_quote: list[int | frozenset[int]],
                     unit_phrase: Sequence[int], cancelled: Callable[[], bool] | None,
                     spread: _Spread | None = None) -> tuple[list[list[int]], dict[str, Any]]:
    """:func:`cluster_units` on the phrases of a :class:`PhraseIndex`."""
    # shingles are computed twice (once to find the shared ones): postings are kept for those only
    shared_shingles = _SharedShingles(map(_phrase_shingles, phrases), sum(len(p.codes) for p in phrases))
    postings: dict[int, Any] = {}
    uf = _UnionFind(len(phrases), phrase_speaker, spread)
    best_parent: dict[int, tuple[float, int, int]] = {}  # short phrase -> (score, long length, long phrase)
    rivals: dict[int, list[tuple[float, int]]] = {}  # short phrase -> its best matches (score, phrase)
    # (kind, short, score, long): matches checked once the groups are built (see _add_checked_matches):
    # phrases of a few words with no one speaker named for both, one speaker's sentence in two cuts
    checked_matches: list[tuple[str, int, float, int]] = []
    candidates = scored = 0
    n_shingles: list[int] = []
    lengths = [len(p.codes) for p in phrases]
    for pi, p in enumerate(phrases):
        if cancelled is not None and pi % 512 == 0 and cancelled():
            raise QuotesCancelled()
        sh = _phrase_shingles(p)
        n_shingles.append(len(sh))
        hits: list[int] = []  # the phrases sharing each shingle, counted at once below
        for h in shared_shingles.among(sh):  # a shingle in this phrase only: its posting is never read
            entry = postings.get(h, _MISSING)
            if entry is _MISSING:
                postings[h] = pi  # most shingles occur once: store the bare phrase id
                continue
            if entry is None:
                continue  # a stop-shingle: shared by too many utterances to tell anything apart
            if type(entry) is int:
                hits.append(entry)
                postings[h] = [entry, pi]
                continue
            hits.extend(entry)
            entry.append(pi)
            if len(entry) >= MAX_POSTINGS:
                # keep one phrase per cluster: the many renderings of a popular quote stay findable
                reps = list(dict.fromkeys(uf.find(x) for x in entry))
                postings[h] = reps if len(reps) <= MAX_POSTINGS // 2 else None
        if not hits:
            continue
        counts = Counter(hits)
        tried = 0
        n_p, n_sh = lengths[pi], len(sh)
        if n_p > 8:
            # one shared shingle makes a candidate only when it is a good part of a line's few shingles: a
            # line of up to 8 words with at most FEW_SHINGLES ("your strategy has been all over the map": 4;
            # "heavy weaponry", "what about a charity": 1), as it is when that line is read after this phrase
            # (the pool below takes every shared shingle); a longer phrase needs two
            pool = sorted([(n, q) for q, n in counts.items()
                           if n >= 2 or n_shingles[q] <= FEW_SHINGLES and lengths[q] <= SHORT_QUOTE_WORDS],
                          reverse=True)
        else:
            pool = sorted([(n, q) for q, n in counts.items()], reverse=True)
        own_quote = same_quote[pi]
        one_quote = type(own_quote) is int
        find = uf.find
        for shared, q in pool:
            n_q = lengths[q]
            small = n_p if n_p < n_q else n_q
            if small > 8 and shared < max(2, 0.1 * min(n_sh, n_shingles[q])):
                continue
            candidates += 1
            if one_quote and same_quote[q] == own_quote:
                continue  # two sentences of one quotation are never one utterance
            if find(q) == find(pi):
                continue  # already joined that cluster through a closer rendering
            tried += 1
            if tried > MAX_SCORED_PER_PHRASE:
                break
            result = _score_pair(p, phrases[q])
            scored += 1
            if result is None:
                if small < SHORT_QUOTE_WORDS:
                    _note_echo(p, phrases[q], pi, q, lengths, rivals)
                continue
            kind, score = result
            if kind == "verbatim":
                uf.union(pi, q, despite_speakers=True)  # one quotation under two names (see _verbatim)
            elif kind == "similar" and small >= SHORT_QUOTE_WORDS:
                uf.union(pi, q)
            else:  # a short quote joins its one best match: no chaining through short partials
                short_i, long_i = (pi, q) if n_p < n_q else (q, pi)
                if kind in ("rare", "cut", "piece cut", "passage", "verbatim part", "sentence", "sentence part"):
                    checked_matches.append((kind, short_i, score, long_i))
                else:
                    _add_match(best_parent, rivals, lengths, short_i, score, long_i)
    informative = _Informativeness(phrases, uf.find)
    _add_checked_matches(checked_matches, informative, uf, phrases, best_parent, rivals, lengths)
    _join_short_quotes(uf, best_parent, rivals, lengths, phrases, informative)
    _join_verbatim_parts(uf, checked_matches)

    stats = {"units": len(unit_phrase), "phrases": len(phrases), "candidates": candidates, "scored": scored}
    del postings, shared_shingles, best_parent, n_shingles, lengths  # the groups are built without them
    return _components(unit_phrase, uf), stats


def _components(unit_phrase: Sequence[int], uf: _UnionFind) -> list[list[int]]:
    """The units of each connected component of phrases, sorted, in the order of their first phrase
    (phrases are numbered in the order of their first unit: that is the order of their first unit)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for ui, pi in enumerate(unit_phrase):
        groups[uf.find(pi)].append(ui)
    out = list(groups.values())
    del groups
    for group in out:  # sorted in place: a second list per group would double the largest structure left
        group.sort()
    return out
