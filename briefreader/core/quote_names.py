"""Names, speech verbs and the people of one article (part of :mod:`briefreader.core.quotes`).

:class:`_Speakers` collects the person names of a body (never from headline lines, never across
line breaks) and resolves later surnames, pronouns and descriptions to them as the article is read.
Pure functions, no I/O beyond the packaged speech-verb list.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


@lru_cache(maxsize=1)
def _given_name_genders() -> dict[str, str]:
    """Lower-cased given name -> "f" or "m" (rules/given_names.tsv, derived by
    bench/derive_given_names.py from US baby-name counts: only names one sex holds strongly), read once."""
    genders: dict[str, str] = {}
    text = (Path(__file__).parent / "rules" / "given_names.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, sex = line.partition("\t")
            genders[name] = sex
    return genders


# A romanised East Asian given name in two syllables after the family name ("Kim Jong-un", "Park
# Geun-hye", "Ban Ki-moon"): the first word is a family name there, never a given name
_ROMANISED_GIVEN_RE = re.compile(r"\w-[a-z]")


def given_name_gender(name: str) -> str:
    """The gender ("f"/"m") a person's given name says, "" when it says none: a name of one word (a
    surname), an initial ("J.D. Vance"), a name held by both sexes or not in the list, or a
    family-name-first romanised name ("Kim Jong-un")."""
    words = name.split()
    if len(words) < 2 or any(_ROMANISED_GIVEN_RE.search(word) for word in words[1:]):
        return ""
    first = words[0]
    if len(first) < 2 or not first.isalpha() or not first[0].isupper() or first.isupper():
        return ""  # "J.D.", "JD": initials, no given name
    return _given_name_genders().get(first.lower(), "")


SPEECH_VERBS, _SOURCE_VERBS = _load_speech_verbs()
_VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
# a speech verb right after a name, maybe after an adverb ("Ellen said", "Ellen later told")
_SPEAKS_AFTER_RE = re.compile(rf"[^\S\n]+(?:[a-z]+ly[^\S\n]+|later[^\S\n]+|also[^\S\n]+)?(?:{SPEECH_VERBS})\b")
_SKIP_BETWEEN = re.compile(
    r"^(?:\s|,|(?:on|last|this|late|early)\s+\w+|also|again|then|later|previously|once|repeatedly|publicly|"
    r"reportedly|however|has|have|had|having|was|is|were|had|would|will|later|further|has also|"
    r"(?-i:(?!(?:family|ally|rally|assembly|reply|supply|monopoly|anomaly)\b)[a-z]+ly)|"
    r"nevertheless|nonetheless|still|instead|even|now|too|"
    r"in\s+a\s+\w+(?:\s+\w+)?|\((?:[DRI]|Dem|Rep|Ind)\s?-\s?[A-Z][A-Za-z.\s]{0,16}\))*$",
    re.IGNORECASE,
)
_TITLE_WORDS = frozenset(
    [
        "president", "vice", "prime", "minister", "foreign", "secretary", "general", "chancellor", "senator",
        "sen", "rep", "dr", "mr", "mrs", "ms", "miss", "prof", "professor", "king", "queen", "prince", "princess",
        "pope", "chief", "commissioner", "ambassador", "governor", "mayor", "judge", "gen", "col", "adm", "lt",
        "sgt", "sir", "dame", "lord", "lady", "deputy", "high", "representative", "chairman", "chairwoman",
        "chair", "spokesperson", "spokesman", "spokeswoman", "director", "head", "ceo", "premier", "defence",
        "defense", "interior", "finance", "economy", "state", "envoy", "special", "leader", "speaker", "general",
        "attorney", "minister's", "president's", "former", "acting", "first", "lawmaker", "senior", "official",
        "officer", "commander", "marshal", "admiral", "colonel", "captain", "bishop", "cardinal", "patriarch",
        "sheikh", "emir", "crown", "senate", "majority", "minority", "whip", "press", "sens", "reps", "gov",
        "gens", "congressman", "congresswoman", "assemblyman", "assemblywoman", "councilman", "councilwoman",
        "rev", "reverend", "pastor", "rabbi", "imam", "adviser", "advisor", "administrator", "strategist", "coach",
        "prosecutor", "counselor", "counsellor", "aide",
    ]
)
_PERSONAL_TITLES = frozenset(
    [
        "president", "minister", "chancellor", "senator", "sen", "rep", "mr", "mrs", "ms", "dr", "king", "queen",
        "pope", "prince", "princess", "commissioner", "ambassador", "governor", "mayor", "judge", "general", "gen",
        "secretary", "premier", "spokesman", "spokeswoman", "spokesperson", "sir", "dame", "lord", "lady", "prof",
        "professor", "sheikh", "emir", "envoy", "advocate", "chief", "director", "chairman", "chairwoman",
    ]
)
_ORG_WORDS = frozenset(
    [
        "union", "ministry", "house", "judiciary", "senate", "congress", "council", "agency", "press",
        "committee", "commission", "office",
        "department", "party", "parliament", "government", "kremlin", "times", "post", "news", "journal", "group",
        "bank", "fund", "organization", "organisation", "forces", "army", "navy", "court", "assembly", "alliance",
        "institute", "university", "company", "corporation", "inc", "ltd", "network", "service", "services",
        "summit", "coalition", "willing", "states", "kingdom", "republic", "federation", "nations", "sea", "river",
        "city", "street", "square", "broadcasting", "system", "centre", "center", "club", "foundation", "media",
        "platform", "association", "guard", "police", "ministry's", "bureau", "board", "authority", "tribune",
        "telegraph", "herald", "gazette", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "nato", "eu", "un", "us", "uk", "bbc", "cnn", "afp", "reuters", "politico", "x",
        "twitter", "facebook", "telegram", "policy", "affairs", "security", "diplomacy", "relations", "war",
        "peace", "agreement", "treaty", "plan", "deal", "act", "law", "program", "programme", "review", "report",
        "index", "show", "magazine", "network", "channel", "podcast", "radio", "television", "tv", "newspaper",
        "daily", "weekly", "episode", "series", "edition", "videos", "embassy", "legislature",
    ]
)
# Organisations' acronyms among them: only an organisation when written in capitals ("UN", not Kim Jong Un)
_ORG_ACRONYMS = frozenset(["nato", "eu", "un", "us", "uk", "bbc", "cnn", "afp", "tv"])
# Words of a name that is no person (an organisation or an event: "the Democratic National Convention
# released a statement"): it may speak as itself, but "he"/"she" never stand for it.
_NO_PRONOUN_WORDS = _ORG_WORDS | frozenset(["convention", "conference", "forum", "debate", "caucus", "caucuses",
                                            "day"])
# Honorifics and kinship words that say a person's gender, right before the name ("Mrs. Clinton", "her
# husband, Milton Berg"): "she" never stands for Mr. Bayer, nor "he" for Mrs. Bayer. Job titles are left
# out: "-man" ones are written for women ("Trump spokesman Hope Hicks", "chairman Janet Yellen"), and the
# generated benchmark corpus gives "Spokeswoman" to men too; so are "King", "Prince" and "Lady", which
# begin names and holidays ("Martin Luther King Day").
_MALE_KIN_WORDS = frozenset(["husband", "father", "son", "brother", "grandfather", "uncle", "nephew"])
_FEMALE_KIN_WORDS = frozenset(["wife", "mother", "daughter", "sister", "grandmother", "aunt", "niece"])
_MALE_WORDS = _MALE_KIN_WORDS | frozenset(["mr", "messrs", "sir", "actor", "boyfriend"])
_FEMALE_WORDS = _FEMALE_KIN_WORDS | frozenset(["mrs", "ms", "miss", "dame", "actress", "girlfriend", "first lady"])
# Kinship words introducing a relative ("her father, Brian Holt")
_KIN_WORDS = _MALE_KIN_WORDS | _FEMALE_KIN_WORDS | frozenset(
    ["cousin", "grandson", "granddaughter", "stepfather", "stepmother", "stepson", "stepdaughter", "father-in-law",
     "mother-in-law"])
# Nouns of a description that say its person's gender ("the congresswoman", "the actress", "the
# father"): the female words, "-woman" titles, and the male kinship words ("-man" titles and "actor"
# are written for women too, see above)
_FEMALE_DESCRIPTION_RE = re.compile(
    r"\b(?:" + "|".join(sorted(_FEMALE_WORDS - {"mrs", "ms", "miss"}, key=len, reverse=True)) + r"|\w*woman)\b",
    re.IGNORECASE)
_MALE_DESCRIPTION_RE = re.compile(
    r"\b(?:" + "|".join(sorted(_MALE_WORDS - {"mr", "messrs", "actor"}, key=len, reverse=True)) + r"|man)\b",
    re.IGNORECASE)


def description_gender(description: str) -> str:
    """The gender ("f"/"m") a description's nouns say ("the Florida congresswoman": f, "the father of
    three": m), "" when they say none or both."""
    female = _FEMALE_DESCRIPTION_RE.search(description) is not None
    male = _MALE_DESCRIPTION_RE.search(description) is not None
    return "f" if female and not male else "m" if male and not female else ""


_GENDER_WORD_BEFORE_RE = re.compile(
    r"\b(" + "|".join(sorted(_MALE_WORDS | _FEMALE_WORDS, key=len, reverse=True)) + r")\.?,?[^\S\n]*$",
    re.IGNORECASE,
)
# Nouns that make a description ("the senator", "the former governor") stand for a person named earlier.
_PERSON_NOUNS = _PERSONAL_TITLES | frozenset(
    [
        "candidate", "nominee", "official", "officials", "aide", "adviser", "advisor", "strategist", "lawmaker",
        "congressman", "congresswoman", "senator", "leader", "chairman", "chairwoman", "chair", "businessman",
        "businesswoman", "billionaire", "mogul", "woman", "man", "wife", "husband", "father", "mother", "son",
        "daughter", "founder", "executive", "democrat", "republican", "host", "star", "actor", "actress", "singer",
        "author", "economist", "analyst", "pollster", "lawyer", "attorney", "manager", "director", "officer",
        "chief", "premier", "frontrunner", "front-runner", "incumbent", "challenger", "rival", "opponent", "head",
        "boss", "politician", "legislator", "activist", "veteran", "resident", "voter", "supporter", "critic",
        "expert", "researcher", "scientist", "doctor", "nurse", "teacher", "student", "worker", "farmer",
        "fisherman", "owner", "strategist", "operative", "organizer", "organiser", "negotiator", "mediator",
        "prosecutor", "judge", "lawyer", "banker", "investor", "consultant", "diplomat", "representative",
        "commander", "general", "president", "minister", "secretary", "ambassador", "ceo", "cfo", "coo",
        # people a story describes by their part in it ("the teen said", "the accuser wrote")
        # (not "the suspect", "the victim", "the accuser": often the object of the last one named, who is
        # not the one speaking then)
        "teen", "teenager", "freshman", "girl", "boy", "witness", "protester", "employee", "journalist",
        "pastor", "sheriff", "deputy",
    ]
)
# Capitalised words that never name who spoke ("said Tuesday").
_NEVER_SPEAKERS = frozenset(
    [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "today",
        "yesterday", "tonight",
    ]
)
# The US states (written after a lawmaker's surname: "Perdue of Georgia")
US_STATES = frozenset(
    """Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|
    Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|
    Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|
    Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|
    Virginia|Washington|West Virginia|Wisconsin|Wyoming""".replace("\n", "").replace("    ", "").split("|")
)
# US states never speak nor are "he"/"she"; two-word ones are matched as a whole name
_NEVER_SPEAKER_NAMES = frozenset(state.lower() for state in US_STATES if " " in state) | {"district of columbia"}
# Countries and US states: never "he"/"she" nor a description's person ("the president" is not Germany);
# ones that are given names or surnames too ("Georgia", "Jordan", "Chad", "Washington", "Virginia") are left out
COUNTRIES_AND_STATES = frozenset(
    """Afghanistan|Albania|Algeria|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahrain|Bangladesh|
    Belarus|Belgium|Bolivia|Bosnia|Brazil|Britain|Bulgaria|Cambodia|Cameroon|Canada|Chile|China|Colombia|Congo|
    Croatia|Cuba|Cyprus|Czechia|Denmark|Ecuador|Egypt|England|Estonia|Ethiopia|Europe|Finland|France|Germany|
    Ghana|Greece|Guatemala|Haiti|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Italy|Japan|
    Kazakhstan|Kenya|Kosovo|Kuwait|Laos|Latvia|Lebanon|Libya|Lithuania|Luxembourg|Malaysia|Mali|Mexico|Moldova|
    Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Nepal|Netherlands|Nicaragua|Niger|Nigeria|Norway|Oman|
    Pakistan|Palestine|Panama|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Scotland|Senegal|
    Serbia|Singapore|Slovakia|Slovenia|Somalia|Spain|Sudan|Sweden|Switzerland|Syria|Taiwan|Thailand|Tunisia|
    Turkey|Uganda|Ukraine|Uruguay|Uzbekistan|Venezuela|Vietnam|Wales|Yemen|Zambia|Zimbabwe|America|Africa|Asia|
    North Korea|South Korea|Saudi Arabia|New Zealand|South Africa|United States|United Kingdom|
    United Arab Emirates|Sri Lanka|El Salvador|Costa Rica""".replace("\n", "").replace("    ", "").split("|")
) | (frozenset(state for state in US_STATES if " " not in state) - {"Georgia", "Virginia", "Washington"})
_NON_NAME_STARTS = frozenset(
    [
        "the", "a", "an", "but", "and", "or", "if", "in", "on", "at", "as", "so", "yet", "for", "nor", "this",
        "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "our", "their", "his", "her",
        "my", "your", "there", "here", "when", "while", "after", "before", "since", "although", "though",
        "because", "meanwhile", "however", "moreover", "according", "now", "then", "also", "even", "still", "just",
        "only", "no", "not", "yes", "what", "who", "why", "how", "where", "which", "despite", "during", "ahead",
        "among", "with", "without", "from", "by", "to", "of", "likewise", "nor", "touching", "turning", "asked",
        "speaking", "several", "many", "some", "both", "each", "every", "major", "foreign", "maybe", "perhaps",
        "instead", "neither", "either", "yes", "thus", "hence", "indeed", "nevertheless", "nonetheless", "besides",
        "furthermore", "otherwise", "said", "says", "told", "tells", "added", "asked", "unlike", "like", "until",
        "unless", "whether", "whatever", "whoever", "later", "earlier", "afterward", "afterwards", "finally",
        "separately", "again", "today", "tonight", "yesterday", "tomorrow", "regarding", "concerning",
        "following", "considering", "citing", "referring", "responding", "addressing", "echoing",
        # prepositions opening a sentence ("Within hours, he was backtracking"): never a given name
        "within", "against", "through", "throughout", "into", "upon", "toward", "towards", "across", "beyond",
        "amid", "amidst", "via", "per", "about", "above", "under", "underneath",
        # participles opening a sentence ("Describing Trump's base as '…', Wilson …"): never a given name
        "describing", "saying", "noting", "adding", "arguing", "claiming", "insisting", "warning",
        "writing", "explaining", "praising", "criticizing", "criticising", "slamming", "blasting", "defending",
        "dismissing", "rejecting", "asking", "announcing", "acknowledging", "admitting", "reacting",
        "commenting", "quoting", "recalling", "declaring", "pointing", "suggesting", "urging", "vowing",
        "promising", "labeling", "labelling", "branding", "dubbing", "mocking", "attacking", "accusing",
        "blaming", "thanking",
        # numbers opening a sentence ("Two Harvard students said"): never a given name
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds", "thousands",
        "millions",
    ]
)


_SENTENCE_START_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)]*\s+|\n")


#: A sentence is read at most this many characters either side of a position: a paragraph of a
#: megabyte with no sentence end, full of quotations, was scanned to its ends once per quotation.
SENTENCE_SCAN_LIMIT = 10_000


def _sentence_bounds(body: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """Start/end of the sentence around ``pos`` within paragraph [lo, hi) (at most
    SENTENCE_SCAN_LIMIT characters either side of ``pos``)."""
    lo = max(lo, pos - SENTENCE_SCAN_LIMIT)
    hi = min(hi, pos + SENTENCE_SCAN_LIMIT)
    start = lo
    # the last sentence end before ``pos``, looked for from ``pos`` back (a scan from the paragraph's
    # start for every quote was quadratic on one long paragraph full of quotes); the look-ahead may
    # see the quotation's own opening mark and first letter (``session. “We``)
    end_pos = min(hi, pos + 2)
    i = min(pos, end_pos)
    while True:  # from one stop or mark back to the one before it (rfind: no Python loop per character)
        i = max(body.rfind(mark, lo, i) for mark in _SENTENCE_END_CHARS)
        if i < lo:
            break
        if _SENTENCE_END_BEFORE_RE.match(body, i, end_pos):
            start = i + 1
            break
    after = _SENTENCE_END_AFTER_RE.search(body, pos, hi)
    end = after.end() if after else hi
    return start, end


_SENTENCE_END_CHARS = ".!?\u2026"
_SENTENCE_END_BEFORE_RE = re.compile(
    r"[.!?\u2026](?=[\s\"'\u201d\u2019\u00bb]*\s+[\"'\u201c\u2018\u00ab\u201e]?[" + _UPPER + r"])")
_SENTENCE_END_AFTER_RE = re.compile(
    r"[.!?\u2026](?=[\s\"'\u201d\u2019\u00bb]*(?:\s+[\"'\u201c\u2018\u00ab\u201e]?[" + _UPPER + r"]|$))")


_ACRONYM_RE = re.compile(r"[A-Z]{2,4}")
_OF_SPLIT_RE = re.compile(r"\s+of\s+")
# titles that an "of" phrase completes ("Chief of Staff Jo Bayer", "Secretary of State"): no split there
_TITLES_WITH_OF = frozenset(["chief", "secretary", "minister", "director", "head", "president", "chairman",
                             "chairwoman", "governor", "mayor", "ambassador", "commissioner", "speaker", "leader",
                             "member", "representative", "attorney", "general", "deputy", "officer", "chancellor"])
# Departments and offices named after a title and "of" ("Secretary of the Treasury Jo Bayer")
_DEPARTMENT_WORDS = _ORG_WORDS | _TITLE_WORDS | frozenset(
    ["treasury", "homeland", "commerce", "labor", "agriculture", "energy", "education", "transportation", "justice",
     "health", "human", "veterans", "housing", "urban", "development", "staff", "air", "force", "and", "national",
     "intelligence", "management", "budget", "public", "services", "affairs", "security", "defense", "interior",
     "joint", "chiefs", "of"]
)
# Words before "of <State>" that are no surname: "Commonwealth of Virginia", "Governor of Texas"
_NOT_A_SURNAME_OF_STATE = _TITLES_WITH_OF | _TITLE_WORDS | _ORG_WORDS | _PERSON_NOUNS | frozenset(
    ["commonwealth", "people", "citizens", "residents", "territory", "province", "legislature", "voters", "senators",
     "attorney", "lieutenant", "treasurer", "comptroller", "auditor", "superintendent", "archbishop", "bishop",
     "diocese", "archdiocese", "supreme", "northern", "southern", "eastern", "western", "central"]
)
_GENERATION_SUFFIXES = frozenset(["Jr", "Sr", "II", "III", "IV"])
# A surname with a link card's headline glued on ("CornynGOP", "BraunSenate"): four letters or more before
# the capital, so "McConnell", "DeSantis", "LePage", "MacArthur" are names
_GLUED_WORD_RE = re.compile(r"([A-Z][a-z]{3,})([A-Z][\w'\u2019-]+)")
# Capitalised link-card labels of scraped pages, never a name's word
_LINK_CARD_WORDS = frozenset(["MORE", "READ", "WATCH", "RELATED", "ADVERTISEMENT"])
_POSSESSIVE_END_RE = re.compile(r"['\u2019]s?$")
_HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "dr", "messrs"])
# offices a person holds, written before the surname alone ("President Trump", "Sen. Warren"): not the
# honorifics, which any adult is given
_OFFICE_TITLES = (_PERSONAL_TITLES | frozenset(["gov", "rep", "vice", "prime", "speaker", "justice"])) - _HONORIFICS - {
    "sir", "dame", "lord", "lady", "prof", "professor", "advocate", "chief", "director", "spokesman", "spokeswoman",
    "spokesperson", "chairman", "chairwoman"}
# titles that follow "Mr."/"Madam" as a form of address ("Mr. President"), never as a surname
_VOCATIVE_TITLES = frozenset(["president", "speaker", "chairman", "chairwoman", "secretary", "minister",
                              "ambassador", "mayor", "governor", "senator", "justice", "vice"])
_DEMONYM_RE = re.compile(r"(?:ian|ese|ish|ean|ch|an)$")
_DOTTED_ABBREVIATION_RE = re.compile(r"[A-Z](?:\.[A-Z])+\.?")


def _cut_link_card(words: list[str]) -> list[str]:
    """A name without the link card glued to it in scraped text: the name's first writing when the
    card writes it again ("John Cornyn John CornynGOP senators": John Cornyn; "Steven Mnuchin Steven
    Terner MnuchinNew": Steven Mnuchin; "Trump Donald John TrumpFoo": Trump), nothing when a card's
    headline is glued on a word ("CornynGOP", not "McConnell" nor "DeSantis") with no name written
    before it (a card's fragment, "Richard PompeoNew": unknown beats a made-up name). Names written
    with a capital inside are no card ("FitzGerald", "VanderWaal", "MaryAnn": see
    _INNER_CAPITAL_PREFIXES) unless their stem is written before them; the name is cut at a
    repetition only when a card was glued on, or at its first word written again ("Jo Ann Jones",
    "Mohammed bin Salman bin Abdulaziz" stay whole)."""
    glued_at = next((k for k, word in enumerate(words) if k > 0 and _glued(word, words[:k])), None)
    if glued_at is not None:
        stem = _GLUED_WORD_RE.fullmatch(words[glued_at])
        words = [*words[:glued_at], stem.group(1) if stem else words[glued_at]]
    if glued_at is not None and len(words) >= 3 and words[-1] == words[0]:
        return words[:1]  # "Trump Donald John Trump": the surname, then the card's full name
    for k in range(2, len(words)):
        if words[k] == words[0] or (glued_at is not None and (words[k].startswith(words[0]) or words[1] in words[k:])):
            return words[:k]
    return [] if glued_at is not None else words


#: Openings of names written with a capital inside ("FitzGerald", "VanderWaal", "MaryAnn"), four
#: letters or more (shorter ones, "McConnell", "LeBron", "MacKenzie", are never read as glued).
_INNER_CAPITAL_PREFIXES = frozenset(["Fitz", "Vander", "Vanden", "Vonder", "Della", "Delle", "Mary", "Jean",
                                     "Anne", "Anna", "Rose", "Lynn", "Marie", "Saint"])


def _glued(word: str, before: list[str]) -> bool:
    """Whether ``word`` is a name's word with a link card's headline glued on ("CornynGOP",
    "FellNew"), not a name written with a capital inside ("FitzGerald"; unless its stem is written
    before it: "John Cornyn John CornynSenate")."""
    glued = _GLUED_WORD_RE.fullmatch(word)
    return glued is not None and (glued.group(1) in before or glued.group(1) not in _INNER_CAPITAL_PREFIXES)


def _person_before_of(raw: str) -> str:
    """The person of a capitalised run "X of Y" when Y is a place or an organisation ("Ted Cruz of
    Texas", "Jo Bayer of the Sierra Club", "Perdue of Georgia"), else the run as it is ("Secretary of
    State Jo Bayer", "Commonwealth of Virginia")."""
    head = _OF_SPLIT_RE.split(raw, maxsplit=1)
    if len(head) != 2:
        return raw
    if len(head[0].split()) >= 2 and head[0].split()[-1].lower().strip(".") not in _TITLES_WITH_OF:
        return head[0]
    if (head[1].strip(".,") in US_STATES and len(head[0].split()) == 1
            and head[0].lower().strip(".") not in _NOT_A_SURNAME_OF_STATE):
        return head[0]  # a senator's surname and state, not a common noun's place
    return raw


def _drop_department(words: list[str]) -> None:
    """Drop the department opening ``words`` after a title's "of" ("Secretary of the Treasury Jo Bayer":
    "the Treasury"), keeping at least two words."""
    while words and words[0].lower() == "the":
        words.pop(0)
    while len(words) >= 3 and words[0].lower().strip(".,") in _DEPARTMENT_WORDS:
        words.pop(0)


# Speech verbs as a Title Case headline writes them after the speaker ("… Was 'Heinous,' Obama Says"): never a
# surname ("Said" is left out: Edward Said)
_HEADLINE_VERBS = frozenset(
    ["Says", "Tells", "Warns", "Writes", "Asks", "Urges", "Claims", "Insists", "Vows", "Admits", "Slams", "Blasts",
     "Rips", "Defends", "Responds", "Explains", "Argues", "Denies", "Confirms", "Reveals", "Jokes", "Praises",
     "Accuses", "Tweets", "Announces", "Declares"]
)


def describes_person(description: str) -> bool:
    """Whether a description names a person by a noun ("a Treasury spokesperson", "the senator"), not a
    document or a thing ("the report", "The way people at the marathon responded")."""
    return any(word.lower().strip(".,") in _PERSON_NOUNS for word in description.split())


# a description as an actor's name: an article or determiner opening it ("The report", "A source")
_THING_DESCRIPTION_RE = re.compile(r"(?:The|A|An|One|Another|Some)\s+[a-z]")


@lru_cache(maxsize=65536)
def _clean_name(raw: str, *, allow_org: bool = False) -> str | None:
    """Strip titles, demonyms and possessives from a capitalised sequence; None if nothing personal is left."""
    raw = _person_before_of(raw)
    words = raw.replace("\u2019", "'").split()
    for k in range(len(words) - 2, -1, -1):
        if words[k].endswith("'s"):  # "the Union's High Representative X" -> "High Representative X"
            rest = words[k + 1 :]
            # "Donald Trump's GOP": the person before it, not an acronym after it
            words = words[: k + 1] if len(rest) == 1 and _ACRONYM_RE.fullmatch(rest[0]) else rest
            break
        if words[k].endswith("s'") and k <= len(words) - 3:  # "Fox News' Jo Bayer": the outlet's person
            words = words[k + 1 :]
            break
    honorific_surname = (len(words) == 2 and words[0].lower().strip(".") in _HONORIFICS
                         and words[1][:1].isupper() and not words[1].endswith("'s")
                         and words[1].lower().strip(".,") not in _VOCATIVE_TITLES)
    while words and (
        words[0].lower().strip(".,") in _TITLE_WORDS
        or words[0].lower() in _NON_NAME_STARTS
        or words[0].endswith("'s")
        or words[0].endswith("'") and len(words) > 1  # "Lyin' Ted Cruz", "News' Jo Bayer": not a given name
        or len(words) >= 3 and words[0].lower().strip(".,") in _DESCRIPTOR_WORDS | _ROLE_NOT_GIVEN_NAMES
        and words[1][:1].isupper()
        or len(words) == 2 and words[0].lower() in _ROLE_NOT_GIVEN_NAMES and words[1][:1].isupper()
        or (sum(w.strip(".,") not in _GENERATION_SUFFIXES for w in words) >= 3  # not "Cuba Gooding Jr."
            and words[0] in COUNTRIES_AND_STATES - _CONTINENTS  # "(Ambassador to) Syria Robert Ford"
            and not any(w.lower() in _INSTITUTION_WORDS for w in words[1:]))  # not "Texas Health … Hospital"
        or words[0].lower() in _GROUP_NOUNS  # "Members of Jo Bayer's party", "Critics", "One of Trump's"
        or len(words) >= 3 and _HYPHENATED_DESCRIPTOR_RE.search(words[0]) is not None  # "Texas-based Jo Bayer"
        or _ACRONYM_RE.fullmatch(words[0]) is not None and len(words) > 1
        or (len(words) > 1 and _DEMONYM_RE.search(words[0]) and words[0][0].isupper()
            and words[1][0].isupper() and words[1].lower() in _TITLE_WORDS)
    ):
        if words.pop(0).lower() == "of" and len(words) >= 3:
            _drop_department(words)
    described = [k for k in range(len(words) - 2) if _HYPHENATED_DESCRIPTOR_RE.search(words[k])]
    if described:
        words = words[described[-1] + 1 :]  # "South Korean-born Jo Bayer"
    if not words and honorific_surname:
        words = raw.replace("\u2019", "'").split()[1:]  # "Mr. King", "Ms. Bishop": a surname, not a title
    # "New Hampshire Sen Kelly Ayotte", "U.N. Ambassador John Bolton": the name follows the title
    inner = [k for k in range(1, len(words) - 1)
             if words[k].lower().strip(".,") in _INNER_TITLES or words[k].lower().split("-")[0] in _INNER_TITLES]
    if inner:
        words = words[inner[-1] + 1 :]
        if len(words) > 2 and words[0] == "of":
            words = words[2:]  # "White House Chief of Staff Jo Bayer"
    # drop trailing possessive / punctuation
    while words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    if words and words[-1].endswith("s'"):
        words[-1] = words[-1][:-1]  # "Fox News'": a plural possessive, the outlet
    # "MORE" closing a link card in scraped text ("… 'Make America Great Again' hat MORE on Wednesday")
    words = _cut_link_card([w.strip(".,;:") for w in words
                            if w.strip(".,;:") and w.strip(".,;:") not in _LINK_CARD_WORDS])
    while len(words) > 1 and words[-1] in _HEADLINE_VERBS:
        words.pop()  # a headline's "…, Obama Says:": the verb, Title Case, is no part of the name
    suffix = ""
    while len(words) > 1 and (words[-1].lower() in _NEVER_SPEAKERS or words[-1] in _GENERATION_SUFFIXES):
        if words[-1] in _GENERATION_SUFFIXES and not suffix:
            suffix = words[-1]  # "Donald Trump Jr.": the son, not the father; the surname is Trump
        words.pop()  # "MSNBC Monday"
    if not words or all(w.lower() in _NEVER_SPEAKERS for w in words) or " ".join(words).lower() in _NEVER_SPEAKER_NAMES:
        return None
    if len(words) == 1 and (_DOTTED_ABBREVIATION_RE.fullmatch(words[0]) or len(words[0]) == 1):
        return None  # "N.Y", "D.C", "U.S": a place's or a country's abbreviation; "Y" (of "D_N.Y."): no one
    if not allow_org and any(w.lower().removesuffix("'s") in _ORG_WORDS
                             and (w.isupper() or w.lower().removesuffix("'s") not in _ORG_ACRONYMS) for w in words):
        return None
    if _is_place_or_dateline(words, allow_org):
        return None
    if len(words) >= 2 and words[-1].lower() in _TRAILING_TITLES:
        return None  # "Maine Gov" (a headline's "Maine Gov. LePage" cut at the dot): a title, no surname
    return " ".join([*words, suffix] if suffix and words[-1][:1].isupper() else words)


def _surname(name: str) -> str:
    """The last word of a cleaned name that is no generation suffix ("Donald Trump Jr": Trump)."""
    words = name.split()
    while len(words) > 1 and words[-1] in _GENERATION_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def _suffixed(name: str) -> bool:
    """Whether a cleaned name ends with a generation suffix ("Donald Trump Jr", "Trump Jr")."""
    words = name.split()
    return len(words) > 1 and words[-1] in _GENERATION_SUFFIXES


# Titles inside a capitalised run after which the person's name follows ("Maine Gov. Jo Bayer",
# "Missouri Highway Patrol Capt. Jo Bayer", "Senate Democratic Leader Jo Bayer"): the name alone is shown
_INNER_TITLES = _PERSONAL_TITLES | frozenset(
    ["gov", "capt", "captain", "sheriff", "agent", "leader", "attorney", "father", "supervisor", "lt", "sgt", "col",
     "adm", "rep", "sen", "justice", "detective", "officer", "chairman", "councilman", "councilwoman", "congressman",
     "congresswoman", "assemblyman", "assemblywoman", "rev", "reverend", "pastor", "rabbi", "imam", "bishop",
     "archbishop", "alderman", "counsel", "editor", "founder", "speaker", "whip", "treasurer",
     # offices written before a name ("National Security Adviser H.R. McMaster", "Tesla CEO Elon Musk")
     "adviser", "advisor", "administrator", "manager", "counselor", "counsellor", "strategist", "ceo", "coach",
     "prosecutor", "member", "aide"]
)
# Capitalised words opening a sentence before a person's full name that describe the person, not a
# given name ("Republican Jo Bayer", "Rival Jo Bayer", "Comedian Jo Bayer"); only stripped when two
# words are left
_DESCRIPTOR_WORDS = frozenset(
    ["republican", "democrat", "democratic", "gop", "conservative", "liberal", "progressive", "independent",
     "rival", "actor", "actress", "comedian", "singer", "rapper", "musician", "author", "writer", "host",
     "anchor", "columnist", "pundit", "candidate", "nominee", "billionaire", "businessman", "businesswoman",
     "mogul", "activist", "veteran", "controversial", "embattled", "outgoing", "incoming", "longtime", "agent",
     "sheriff", "gov", "sen", "rep", "capt", "detective", "fellow", "journalist", "founder", "counsel", "staff",
     "archbishop", "alderman", "editor", "reporter", "correspondent", "commentator", "top"]
)
# Continents open organisations' names ("America Rising PAC", "Africa Center"), not an office's place
_CONTINENTS = frozenset(["America", "Africa", "Asia", "Europe"])
# Institutions a state's or a country's name opens ("Texas Health Presbyterian Hospital")
_INSTITUTION_WORDS = _ORG_WORDS | frozenset(["hospital", "school", "church", "college", "clinic", "health",
                                             "republicans", "democrats", "museum", "airlines", "railways", "pac"])
# Descriptors that are never a given name, dropped before a surname alone too ("Candidate Trump")
_ROLE_NOT_GIVEN_NAMES = frozenset(["candidate", "nominee", "billionaire", "businessman", "businesswoman",
                                   "comedian", "columnist", "pundit", "activist", "mogul", "historian",
                                   "neighbor", "neighbour", "secretary-general"])
# Plural nouns for groups that open a capitalised run ("Members of LePage's party"): never a name
_GROUP_NOUNS = frozenset(["members", "friends", "supporters", "allies", "critics", "opponents", "residents",
                          "citizens", "people", "leaders", "officials", "aides", "voters", "sources", "advocates",
                          "one", "much", "most", "all", "none", "part", "is", "was", "are", "were", "does", "did",
                          "senators", "footage", "alongside", "outside", "inside", "amid", "beside", "behind",
                          "experts", "analysts", "observers", "lawmakers", "historians", "economists", "scholars",
                          "witnesses", "protesters", "investigators", "prosecutors", "researchers", "scientists",
                          "doctors", "students", "parents", "workers", "employees", "activists", "insiders"])
_HYPHENATED_DESCRIPTOR_RE = re.compile(r"\w-(?:based|born|winner|winning|raised|bred|educated|backed)$", re.IGNORECASE)
# Titles that never end a name (a surname is never "Gov" or "Sen")
_TRAILING_TITLES = frozenset(["gov", "sen", "rep", "gen", "lt", "sgt", "col", "adm", "capt", "dr", "mr", "mrs", "ms",
                              "president", "senator", "governor", "secretary", "minister", "chairman", "spokesman",
                              "spokeswoman", "congressman", "congresswoman"])
# First words of place names ("San Bernardino", "Las Vegas", "St. Louis", "New Start", "New Jersey")
_PLACE_FIRST_WORDS = frozenset(["san", "los", "las", "st", "new", "fort", "lake", "mount", "port", "puerto", "middle",
                                "north", "south", "east", "west", "western", "eastern", "northern", "southern",
                                "central"])
# Last words of places and things that are never a speaker ("the Rose Garden", "the National Mall")
_PLACE_LAST_WORDS = frozenset(["garden", "gardens", "mall", "theater", "theatre", "airport", "stadium", "arena",
                               "hotel", "avenue", "boulevard", "plaza", "bridge", "county", "valley", "island",
                               "islands", "mountains", "beach", "harbor", "gate"])
# Last words of organisations and documents: a source where organisations may be ("the 14th Amendment
# states", a cut "American Civil Liberties"), never a person
_THING_LAST_WORDS = frozenset(["amendment", "liberties", "conference", "capital"])  # "Bain Capital"


def _is_place_or_dateline(words: list[str], allow_org: bool) -> bool:
    """Whether the words of a cleaned name are a place, a thing or a dateline, never a person
    ("Las Vegas", "St Louis", "New Start", "the Rose Garden", "WASHINGTON"); an organisation's
    acronym ("NAACP") is kept where organisations may be sources (``allow_org``)."""
    if words[-1].lower() in _PERSON_NOUNS:
        return False  # "New Hampshire Democrat": a person described by a place
    if len(words) >= 2 and words[0].lower().strip(".") in _PLACE_FIRST_WORDS:
        return True
    if words[-1].lower() in _PLACE_LAST_WORDS or (not allow_org and words[-1].lower() in _THING_LAST_WORDS):
        return True
    if not all(w.isalpha() and w.isupper() for w in words):
        return False
    letters = sum(len(w) for w in words)
    return letters >= 7 or (letters >= 5 and not allow_org)


# Words of web page furniture and captions that open a capitalised run before a name ("Photo Jo Bayer",
# "Watch Jo Bayer", "Related: Jo Bayer"): never a given name
_FURNITURE_WORDS = frozenset(["photo", "photos", "video", "videos", "watch", "listen", "read", "replay", "related",
                              "advertisement", "image", "images", "caption", "gallery", "slideshow", "subscribe",
                              "click", "more", "continue", "advertising", "sponsored", "share", "continued",
                              "below", "story"])
_LOWER_WORD_RE = re.compile(r"(?<![\w.'\u2019-])[a-z][a-z]+(?![\w'\u2019-])")
_CAPITAL_WORD_RE = re.compile(rf"(?<!\S)[{_UPPER}]")


# the agency or "Photo" and a slash before a photographer's name ("REUTERS/", "AP Photo/", "Getty Images/")
_PHOTO_CREDIT_BEFORE_RE = re.compile(r"(?:\b[A-Z]{2,}|\b(?:Photo|Images|Pool|Getty))/$")


# The gender each third-person pronoun says, subject, object or possessive (see pronoun_gender).
_PRONOUN_GENDERS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


def pronoun_gender(pronoun: str) -> str:
    """The gender ("m"/"f") a third-person pronoun says ("his", "She"), "" for any other word."""
    return _PRONOUN_GENDERS.get(pronoun.lower(), "")


# a surname and "and his" / ", her" right after it: the pronoun is that person's (group 1)
_PRONOUN_AFTER_RE = re.compile(rf"{_NAME_WORD}(?:,|[^\S\n]+and)[^\S\n]+(his|her|he|she)\b")


# a link card of a magazine page: an author's name, a colon and a title on a line of its own, no sentence end
# ("Adam Serwer: America's racial contract is showing")
_AUTHOR_CARD_LINE_RE = re.compile(
    rf"^{_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{1,3}}:[^\S\n]+[^\n\"\u201c\u201d\u00ab\u00bb]{{3,150}}(?<![.!?\"\u201d])$",
    re.MULTILINE,
)


def _author_card_lines(body: str) -> set[int]:
    """Start offsets of link-card lines naming an author and a title (see _AUTHOR_CARD_LINE_RE)."""
    if ":" not in body:
        return set()
    return {m.start() for m in _AUTHOR_CARD_LINE_RE.finditer(body)}


def _title_end(body: str) -> int:
    """Where the title line opening ``body`` ends (a short first line with no sentence end, a line
    break after it), or 0 when the body opens on prose."""
    end = body.find("\n", 0, 201)
    if end <= 0 or body[:end].rstrip().endswith((".", "!", "?", '"', "\u201d")):
        return 0
    return end


def _headline_lines(body: str) -> set[int]:
    """Start offsets of lines in headline case (4+ words, nearly all capitalised, no full stop or clause
    mark ending them)."""
    out: set[int] = set()
    pos = 0
    for line in body.split("\n"):
        capitals = len(_CAPITAL_WORD_RE.findall(line))
        if capitals < 4 or capitals < 0.5 * line.count(" "):
            pos += len(line) + 1
            continue  # prose: most lines end here, without splitting into words
        words = [w for w in line.split() if w[:1].isalpha()]
        if len(words) >= 4 and not line.rstrip().endswith((",", ";", ":", ".")):
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
        if len(words) >= 2 and any(w.isupper() and len(w) > 1 and w not in _GENERATION_SUFFIXES for w in words):
            return None
        return name, shift, True
    return name, shift, False


def _name_words(name: str) -> int:
    """Words of a cleaned name, its initials left out ("George W Bush": 2)."""
    return sum(1 for word in name.split() if len(word) > 1)


def _inside_quotations(body: str, offsets: Iterable[int]) -> dict[int, bool]:
    """:func:`_inside_quotation` of each of ``offsets``, in one pass over the text (the marks between
    consecutive offsets of a line counted once: linear on a one-line body with thousands of names)."""
    flags: dict[int, bool] = {}
    curly = straight = pos = 0
    for offset in sorted(set(offsets)):
        newline = body.rfind("\n", pos, offset)
        if newline != -1:  # a new line: its marks are counted from its start
            curly = straight = 0
            pos = newline + 1
        curly += body.count("\u201c", pos, offset) - body.count("\u201d", pos, offset)
        straight += body.count('"', pos, offset)
        pos = offset
        flags[offset] = curly > 0 or straight % 2 == 1
    return flags


def _inside_quotation(body: str, offset: int) -> bool:
    """Whether ``offset`` lies inside a double quotation opened earlier on its line (typographic
    marks counted open against close, straight marks by parity)."""
    line_start = body.rfind("\n", 0, offset) + 1
    curly = body.count("\u201c", line_start, offset) - body.count("\u201d", line_start, offset)
    return curly > 0 or body.count('"', line_start, offset) % 2 == 1


@dataclass(slots=True)
class _Person:
    name: str
    gender: str = ""


class _Speakers:
    """Resolves names, pronouns and descriptions to people as the article is read."""

    def __init__(self, body: str) -> None:
        self.body = body
        # words the article writes in lower case ("watch", "photo", "can", "edition"): common words, so a
        # capitalised run opening on them ("Watch Fiona Hill", "Morning Edition") is a caption, a headline
        # or page furniture, not a person's name
        self.common_words = frozenset(_LOWER_WORD_RE.findall(body))
        self._written_names: Counter[str] = Counter()  # names as written, each mention once
        self.full_names: dict[str, str] = {}  # surname or full name -> canonical full name
        self.people: dict[str, _Person] = {}
        self.mentions: list[tuple[int, str]] = []  # (offset, canonical) of person mentions
        self.outlets: frozenset[str] = frozenset()  # see _names_after_the
        self.events: list[tuple[int, str]] = []  # (offset, canonical) of speakers
        self.future_speakers: list[tuple[int, str]] = []  # named subjects of speech verbs, whole text
        self.subjects: list[tuple[int, str]] = []  # first person named in each sentence outside quotes
        self.said_gender: dict[str, str] = {}  # gender a title or role word says ("Mrs.", "her husband,")
        self._firm_genders: dict[str, str] = {}  # see firm_gender
        self._titled_cache: dict[str, frozenset[str]] = {}  # see _titled_words
        self._role_cache: dict[tuple[str, str], bool] = {}  # see known_otherwise
        self._words_before_cache: dict[str, list[tuple[int, str, bool]]] = {}  # see _words_before
        self._surname_owners: dict[str, list[str]] = {}  # see _collect_names
        self._family_name_first: set[str] = set()  # names keyed by their first word, a family name
        self._quoted_at: dict[int, bool] = {}  # candidate name offset -> inside a quotation (see _collect_names)
        self._collect_names()

    def _collect_names(self) -> None:
        candidates: list[tuple[int, str, bool]] = []
        titled_alone: dict[str, int] = {}  # surname -> where it is first written alone after an office
        office_named: set[str] = set()  # full names written after an office ("Sen. Chris Murphy")
        honorific_alone: dict[str, set[str]] = {}  # surname -> genders of the honorifics written before it
        headline_lines = _headline_lines(self.body) | _author_card_lines(self.body)
        for m in _NAME_RE.finditer(self.body):
            raw = m.group()
            # "Rubio Says Abandoning Reform Was A Sign Of Leadership": a headline, not a name;
            # "REUTERS/Carlos Barria", "AP Photo/Evan Vucci": a photo credit, no one in the story
            if (_PHOTO_CREDIT_BEFORE_RE.search(self.body, max(0, m.start() - 24), m.start())
                    or headline_lines and self.body.rfind("\n", 0, m.start()) + 1 in headline_lines):
                continue
            info = _name_mention(raw)
            if info is None:
                continue
            name, shift, strong = info
            titled = any(w.lower().strip(".,") in _TITLE_WORDS for w in raw.split()[:-1])
            # a title says a person is named ("Minister Kafu Ronkir"), whatever words the article shares
            personal = name if titled else self.personal_name(name)
            if personal is None:
                continue
            if personal != name:
                shift = raw.find(personal.split()[0], shift)
            candidates.append((m.start() + shift, personal, strong))
            office = [w for w in raw.split()[:-1] if w.lower().strip(".,") in _OFFICE_TITLES]
            said = _GENDER_WORD_BEFORE_RE.search(self.body, max(0, m.start() + shift - 16), m.start() + shift)
            if said and " " not in personal:  # "Mr. Trump": the honorific's gender
                honorific_alone.setdefault(personal, set()).add("m" if said.group(1).lower() in _MALE_WORDS else "f")
            if office and " " not in personal:
                titled_alone.setdefault(personal, m.start() + shift)  # "President Trump", "Sen. Murphy"
            elif office:
                office_named.add(personal)  # "Sen. Chris Murphy"
        # longest first (initials not counted: "George W. Bush" is no fuller a name than "Jeb Bush"
        # introduced first); a name written inside a quotation ("Meet Melania Trump. Your next First
        # Lady.", "Lyin' Ted Cruz just used …") names a person only after the narration's names
        strong_ones = [(off, name) for off, name, strong in candidates if strong]
        self._quoted_at = _inside_quotations(self.body, (off for off, _, _ in candidates))
        owners: dict[str, set[str]] = {}
        for _, name in strong_ones:
            owners.setdefault(_surname(name), set()).add(name)

        def rank(candidate: tuple[int, str]) -> tuple[bool, int]:
            off, name = candidate
            contested = len(owners[_surname(name)]) > 1  # only then does a quotation's name matter
            return contested and self._quoted_at[off], -_name_words(name)

        self._written_names = Counter(name for _, name, _ in candidates)
        self._key_surnames_alone(candidates, strong_ones, owners, titled_alone, office_named, honorific_alone)

        for _, name in sorted(strong_ones, key=rank):
            self.full_names.setdefault(name, name)
            if _suffixed(name):
                # "Trump Jr" is Donald Trump Jr; "Trump" alone, his father (see _key_surnames_alone)
                self.full_names.setdefault(f"{_surname(name)} {name.split()[-1]}", name)
            elif _surname(name).lower() not in _PARTY_NOUNS:
                # "Arizona Republican" describes someone: "Republican" alone is not that person
                self.full_names.setdefault(_surname(name), name)
        # surnames several full names share ("Bill Clinton", "Hillary Clinton"): an honorific before the
        # surname alone says which one is meant (see gendered_canonical)
        self._surname_owners = {last: sorted(names) for last, names in owners.items() if len(names) > 1}
        full_by_first: dict[str, set[str]] = {}
        for name in dict.fromkeys(name for _, name in strong_ones):
            self._key_family_name_first(name)
            full_by_first.setdefault(name.split()[0], set()).add(name)
        self._key_surnames_with_a_pronoun(candidates, full_by_first)
        genders: dict[str, set[str]] = {}
        for off, name, _strong in candidates:
            said = _GENDER_WORD_BEFORE_RE.search(self.body, max(0, off - 16), off)
            said_gender = ("m" if said.group(1).lower() in _MALE_WORDS else "f") if said else ""
            canonical = self.gendered_canonical(name, said_gender)  # "Mrs. Clinton" beside "Bill Clinton"
            if canonical:
                self.mentions.append((off, canonical))
                if said_gender:
                    genders.setdefault(canonical, set()).add(said_gender)
        self.outlets = self._names_after_the()
        for canonical, said_genders in genders.items():
            if len(said_genders) == 1:  # both said: a title read off the wrong name, trust neither
                self.said_gender[canonical] = next(iter(said_genders))
                self.people.setdefault(canonical, _Person(canonical)).gender = self.said_gender[canonical]
        # keyed only now: as a mention, "Hillary" in narration would be an actor pronouns go to
        self._key_given_names_speaking(candidates, full_by_first)

    def _key_surnames_with_a_pronoun(self, candidates: list[tuple[int, str, bool]],
                                     full_by_first: dict[str, set[str]]) -> None:
        """Key a name the article writes only alone ("Obama", never with a given name or title) by
        itself when the narration writes it as a clause's subject that "he" or "she" goes on from
        ("Obama made clear that he would not wait"), or "his"/"her" twice: a person, not a company
        ("Acme said it"), a thing ("Brexit has cost his family") nor a place ("in London")."""
        places = {name for off, name, _ in candidates
                  if _PLACE_PREPOSITION_END_RE.search(self.body, max(0, off - 9), off)}
        pronouns: dict[str, list[str]] = defaultdict(list)  # name -> the pronouns going on from it
        for off, name, strong in candidates:
            if (strong or " " in name or name in self.full_names or name in full_by_first or self._quoted_at[off]
                    or name.lower() in self.common_words or name.lower() in _NO_PRONOUN_WORDS
                    or name in COUNTRIES_AND_STATES or name.lower() in _NEVER_SPEAKER_NAMES
                    or name.lower() in _PARTY_NOUNS or name.isupper() or name in places):  # "Republican", "FBI"
                continue
            going_on = _SUBJECT_THEN_PRONOUN_RE.match(self.body, off + len(name))
            if going_on and not _PREPOSITION_END_RE.search(self.body, max(0, off - 16), off):  # "a trip to London was"
                pronouns[name].append(going_on.group(1))
        for name, found in pronouns.items():
            # "he"/"she" once, or a possessive twice ("Trump launched his bid … Trump laid out his
            # vision"; once is as often someone else's: "Brexit has cost his family")
            if len(found) > 1 or found[0] in ("he", "she"):
                self.full_names[name] = name

    def _names_after_the(self) -> frozenset[str]:
        """Names the article writes only after "the" ("the Harvard Crimson", "the Crimson"): a
        newspaper, a band, a team, never a person (not "the Dalai Lama", "the Pope": a person's title)."""
        written_alone: set[str] = set()
        for off, name in self.mentions:
            if not _THE_BEFORE_RE.search(self.body, max(0, off - 5), off):
                written_alone.add(name)
        return frozenset(name for _, name in self.mentions if name not in written_alone
                         and not any(w.lower().strip(".,") in _PERSON_OR_TITLE_WORDS for w in name.split()))

    def _key_given_names_speaking(self, candidates: list[tuple[int, str, bool]],
                                  full_by_first: dict[str, set[str]]) -> None:
        """Key the given names that speak alone in the narration ("Ellen said"; not "this is Bill"
        quoted, nor "a rubber Hillary mask") by their one full name (:meth:`_key_given_name_alone`)."""
        speaking_alone = {name for off, name, _ in candidates if name in full_by_first and " " not in name
                          and _SPEAKS_AFTER_RE.match(self.body, off + len(name))
                          and not self._quoted_at[off]}
        for first, names in full_by_first.items():
            if len(names) == 1 and first in speaking_alone:  # "Paul" with Paul Ryan and Paul Manafort: no one
                self._key_given_name_alone(first, next(iter(names)))

    def _key_surnames_alone(self, candidates: list[tuple[int, str, bool]], strong_ones: list[tuple[int, str]],
                            owners: dict[str, set[str]],
                            titled_alone: dict[str, int], office_named: set[str],
                            honorific_alone: dict[str, set[str]]) -> None:
        """Key a surname written alone when its full names do not say who it is by themselves: a
        surname first written after an office ("President Trump"), before any of its full names, is
        that office holder, no one else, when those are relatives told apart ("Ivanka Trump" named
        later, and "Ivanka" alone; not "Barack Obama" after "President Obama"), unless one full name is
        written after an office too; a surname several full names share is the one introduced first (the
        article's subject: "Chris Murphy" in his profile, not "Anne Marie Murphy" named later, however
        long her name or often repeated in full to tell her apart), but the one most written in full when
        the narration writes the surname alone before any full name; a surname written after an
        honorific of the other gender than its only full name's given name is someone else ("Mr.
        Trump" beside "Melania Trump"). Other surnames are keyed by :meth:`_collect_names`."""
        first_at: dict[str, int] = {}  # full name -> where the narration first writes it
        first_any: dict[str, int] = {}  # ... where it is first written at all, quoted or not
        for off, name in strong_ones:
            first_any.setdefault(name, off)
            if name not in first_at and not self._quoted_at[off]:
                first_at[name] = off
        alone_at: dict[str, int] = {}  # surname -> where the narration first writes it alone
        title_end = _title_end(self.body)  # (a headline writes surnames alone: "Cheney says Clinton …")
        for off, name, strong in candidates:
            if not strong and " " not in name and not self._quoted_at[off] and off >= title_end:
                alone_at.setdefault(name, off)
        for surname, names in owners.items():
            if surname.lower() in _PARTY_NOUNS:
                continue
            full = [name for name in names if name in first_at and " " in name]  # not "Mr. Trump" itself
            plain = [name for name in full if not _suffixed(name)]
            if len(plain) < len(full):
                # a son is written with his suffix ("Trump Jr"): the surname alone is his father, or,
                # with only the son named in full, the son unless an office holder is written by it
                if not plain and surname in titled_alone:
                    self.full_names[surname] = surname
                    continue
                full = plain or full
            if (surname in titled_alone and full and all(titled_alone[surname] < first_at[name] for name in full)
                    and (len(full) > 1 or self._written_alone(full[0].split()[0]) > 0
                         or self._other_gender_after(titled_alone[surname], full[0]))):
                # first written after an office, before any full name: that office holder, when the full
                # names are relatives told apart (several, or one whose given name the article writes
                # alone: "Ivanka"); "President Obama" then "Barack Obama" is one man
                holders = [name for name in full if name in office_named]
                self.full_names[surname] = holders[0] if len(holders) == 1 else surname
                continue
            said = honorific_alone.get(surname, set())
            if len(said) == 1:
                full = [name for name in full if given_name_gender(name) in ("", *said)]
                if not full:
                    self.full_names[surname] = surname
                    continue
            written_full = [name for name in names if " " in name and not _suffixed(name)
                            and (len(said) != 1 or given_name_gender(name) in ("", *said))
                            and not self._kin_named(first_any[name])]
            if (full and len(names) > 1 and written_full and surname in alone_at
                    and all(alone_at[surname] < first_at[name] for name in full)):
                # the narration names the surname alone before any full name (the article's subject:
                # "Trump" long before "first lady Melania Trump"; "Donald Trump" quoted): the one most
                # written in full, quoted or not, never a relative introduced as one ("her father, Brian
                # Holt") nor one an honorific before the surname rules out ("Mr. Holt")
                self.full_names[surname] = max(written_full, key=lambda name: (self._written_names[name],
                                                                               -first_any[name]))
            elif full:
                self.full_names[surname] = min(full, key=first_at.__getitem__)

    def _other_gender_after(self, offset: int, name: str) -> bool:
        """Whether the surname at ``offset`` (written after an office) goes on with "and his" or ", her"
        ("President Trump and his team") of another gender than ``name``'s given name ("Melania Trump"):
        the office holder is someone else."""
        gender = given_name_gender(name)
        pronoun = _PRONOUN_AFTER_RE.match(self.body, offset) if gender else None
        if pronoun is None:
            return False
        return pronoun_gender(pronoun.group(1)) != gender

    def shares_surname(self, name: str) -> bool:
        """Whether ``name`` is a surname several full names of the article share ("Campbell" beside
        Krystle and William Campbell)."""
        return name.strip() in self._surname_owners

    def _kin_named(self, offset: int) -> bool:
        """Whether the name at ``offset`` is introduced as someone's relative ("Her father, Brian Holt",
        "his wife Clara Holt")."""
        lead = self.body[max(0, offset - 24) : offset].lower().split()
        return any(word.strip(",.") in _KIN_WORDS for word in lead[-2:])

    def _written_alone(self, word: str) -> int:
        """How often the article names someone by ``word`` alone ("Kim said", "Mr. Kim")."""
        return self._written_names[word]

    def _key_family_name_first(self, name: str) -> None:
        """Key a name by its first word when the article writes that word alone and never the last one:
        a family name written first ("Kim Jong Un" then "Kim", "Ri Yong-ho" then "Ri")."""
        words = name.split()
        first = words[0]
        if given_name_gender(name):
            return  # "Clara Holt" then "Clara": a given name (see _key_given_name_alone), not a family name
        if (len(words) not in (2, 3) or first in self.full_names or len(first) < 2 or not first[0].isupper()
                or first.lower() in _TITLE_WORDS or first.lower() in self.common_words
                or len(first) >= 5 and _DEMONYM_RE.search(first)):
            return  # "Mexican Embassy", "Chinese Air Force": a nation's word, no family name
        if self._written_alone(words[-1]) > 0 or self._written_alone(first) <= 0:
            return
        if not re.search(rf"{re.escape(name)}(?![\w'\u2019-])", self.body):
            return  # only "Trump Paul's demand" (two headlines run together): no one's full name
        at = self.body.find(first)
        while at != -1:
            end = at + len(first)
            whole = (at == 0 or not (self.body[at - 1].isalnum() or self.body[at - 1] in "_-")) and not (
                end < len(self.body) and (self.body[end].isalnum() or self.body[end] in "_-"))
            lead = self.body[max(0, at - 40) : at]
            if whole and lead[-1:] in (" ", "\t", "\u00a0") and lead.split("\n")[-1].split():
                word = lead.split("\n")[-1].split()[-1]
                given = word[0].isupper() and word.replace("'", "").replace("\u2019", "").replace("-", "").isalnum()
                if given and word.lower() not in _TITLE_WORDS | _NON_NAME_STARTS | _HONORIFICS:
                    return  # "Donald Trump", "for Trump Paul's demand": the word is a surname after a given name
            at = self.body.find(first, end)
        self.full_names[first] = name
        self._family_name_first.add(name)

    def _key_given_name_alone(self, first: str, name: str) -> None:
        """Key ``name`` by its given name ``first`` when the article writes that word alone, it is a
        given name (the list of :func:`given_name_gender`) and no one's surname or family name, and no
        common word: "Ellen DeGeneres" then "Ellen said"; ``name`` is the one full name of the article
        opening with that word ("Paul" beside Paul Ryan and Paul Manafort is no one in particular)."""
        words = name.split()
        if (len(words) not in (2, 3) or first in self.full_names or not given_name_gender(name)
                or first.lower() in self.common_words or self._written_alone(first) <= 0):
            return
        self.full_names[first] = name

    def personal_name(self, name: str) -> str | None:
        """``name`` without common words the article writes in lower case before a full name ("Watch
        Fiona Hill", "Can Jo Bayer": Fiona Hill, Jo Bayer), or None when the run is common words, not a
        person ("Morning Edition", "Replay More Videos", "Criticism of Bergdahl")."""
        words = name.split()
        if len(words) < 2:
            return name
        common = [w.lower() in self.common_words or w.lower() in _FURNITURE_WORDS for w in words]
        if all(common[k] or words[k] == "of" for k in range(len(words))):
            return None  # every word written in lower case elsewhere: "Morning Edition", "Replay More Videos"
        if "of" in words[1:-1] and common[0]:
            return None  # "Criticism of Bergdahl": a common noun's phrase (titles with "of" are stripped before)
        stripped = False
        while len(words) >= 3 and common[0] and words[0].lower() not in _HONORIFICS:
            rest = " ".join(words[1:])
            if (words[0].lower() not in _FURNITURE_WORDS
                    and self.body.count(rest) <= self.body.count(f"{words[0]} {rest}")):
                break  # "Black Lives Matter": the rest is never written alone, so the word belongs to it
            words, common, stripped = words[1:], common[1:], True  # "Watch Fiona Hill", "Photo Jo Bayer"
        if stripped:
            return _clean_name(" ".join(words)) or " ".join(words)  # "Intelligence Republican Jo Bayer"
        return " ".join(words)

    def canonical(self, name: str) -> str | None:
        name = name.strip()
        if name not in self.full_names:
            personal = self.personal_name(name)
            if personal is None:
                return None
            name = personal
        if name in self.full_names:
            full = self.full_names[name]
            return self.full_names.get(full, full)
        if _suffixed(name):
            return None  # "Trump Jr" with no full name of the son: no one the article names in full
        last = name.split()[-1] if name.split() else ""
        if last in self.full_names and len(name.split()) <= 2:
            return self.full_names[last]
        return None

    def gendered_canonical(self, name: str, gender: str) -> str | None:
        """:meth:`canonical`, but a surname alone that several full names of the article share goes,
        away from one whose given name has the other gender, to the one whose given name has ``gender``
        (an honorific's: "Mrs. Clinton" is Hillary Clinton, "Mr. Clinton" Bill Clinton), the most
        written of them when several fit."""
        default = self.canonical(name)
        owners = self._surname_owners.get(name.strip()) if gender and default else None
        if not owners or given_name_gender(default or "") in ("", gender):
            return default  # only a given name of the other gender is left ("Mr. Sanders": Bernie, not Bernard)
        fitting = [owner for owner in owners if given_name_gender(owner) == gender]
        if not fitting:
            return default
        chosen = max(fitting, key=lambda owner: self._written_names[owner])
        return self.full_names.get(chosen, chosen)

    def named_near(self, name: str, pos: int, reach: int = 160) -> str | None:
        """The person a surname alone that several full names share stands for at ``pos``: the one its
        nearest mention within ``reach`` characters was resolved to (an honorific before it decides,
        see :meth:`gendered_canonical`); None when the surname is no shared one or is not near."""
        if name.strip() not in self._surname_owners:
            return None
        written = re.compile(rf"(?<![\w'\u2019-]){re.escape(name.strip())}(?![\w-])")
        nearest: tuple[int, str] | None = None
        k = bisect.bisect_left(self.mentions, (pos - reach, ""))
        while k < len(self.mentions) and self.mentions[k][0] <= pos + reach:
            off, canonical = self.mentions[k]
            gap = off - pos if off >= pos else max(0, pos - off - len(name.strip()))  # from the name's end
            if written.match(self.body, off) and (nearest is None or gap < nearest[0]):
                nearest = (gap, canonical)
            k += 1
        return nearest[1] if nearest else None

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
        starts = [0] + [m.end() for m in _SUBJECT_SENTENCE_START_RE.finditer(self.body)]
        spans = sorted(quote_spans)
        span_starts = [a for a, _ in spans]
        seen: set[int] = set()
        self.subjects = []
        for off, name in self.mentions:
            k = bisect.bisect_right(span_starts, off) - 1
            if k >= 0 and spans[k][0] <= off < spans[k][1]:
                continue
            sid = bisect.bisect_right(starts, off)
            titled = _TITLE_BEFORE_RE.search(self.body, max(0, off - 24), off) if sid not in seen else None
            lead_end = titled.start() if titled and titled.group(1).lower() in _TITLE_WORDS else off
            if (sid not in seen and (_PREPOSITION_END_RE.search(self.body, max(0, lead_end - 12), lead_end)
                                     or _PREPOSITION_ARTICLE_END_RE.search(self.body, max(0, off - 16), off))
                    and not self.body[max(0, off - 13) : off].lower().rstrip().endswith("according to")):
                # "On the show with Smith, Clinton said", "proceedings against President Trump": an object
                continue
            described = _DESCRIBED_OPENING_RE.match(self.body, starts[sid - 1], off) if sid not in seen else None
            if (described and described.group(1).lower() in _PERSON_NOUNS
                    and self.body[described.end() : off].strip(" ,\n")):  # not "The Vermont senator Bernie Sanders"
                seen.add(sid)  # "The president defended efforts to rescue Bergdahl": the description is the subject
                continue
            if sid not in seen and _PRONOUN_SUBJECT_RE.match(self.body, starts[sid - 1], off):
                seen.add(sid)  # "He said Grassley would …": the sentence is about "he", not Grassley
                continue
            written = _NAME_RE.match(self.body, off) if sid not in seen else None
            if (written and _THE_BEFORE_RE.search(self.body, max(0, off - 5), off)
                    and _LOWER_WORD_AFTER_RE.match(self.body, written.end())):
                continue  # "collusion between Russia and the Trump campaign, Kavanaugh will": a modifier
            if written and _JOINED_NAME_AFTER_RE.match(self.body, written.end()):
                seen.add(sid)  # "Scott Glover and Maeve Reston spoke with …": two people, "he" is neither
                continue
            if sid not in seen and _OPENING_PARTICIPLE_RE.fullmatch(self.body, starts[sid - 1], off):
                continue  # "Saying President Obama, he said, was …": the participle's object
            if sid not in seen and _OPENING_SUBORDINATE_RE.fullmatch(self.body, starts[sid - 1], off):
                continue  # "If last year's speech - delivered by Jo Bayer - was …, Beck's stood out"
            if sid not in seen:
                seen.add(sid)
                self.subjects.append((off, name))

    def recent_actor(self, before: int, gender: str = "", *, given_names: bool = True,
                     people_only: bool = False) -> str | None:
        """The most recent speaker or sentence subject before ``before`` whose gender fits (see
        :meth:`_gender_ok` for ``given_names``); with ``people_only``, never a description of no person
        ("the report", "The way people at the marathon")."""
        found = self._recent_actor_at(before, gender, given_names=given_names, people_only=people_only)
        return found[1] if found else None

    def _recent_actor_at(self, before: int, gender: str = "", *, given_names: bool = True,
                         people_only: bool = False) -> tuple[int, str] | None:
        """(offset, name) of :meth:`recent_actor`."""
        best: tuple[int, str] | None = None
        for seq in (self.events, self.subjects):
            for off, name in reversed(seq):
                described = name[:1].islower() or _THING_DESCRIPTION_RE.match(name)
                if people_only and described and not describes_person(name):
                    continue
                if off < before and self._gender_ok(name, gender, given_names=given_names):
                    if best is None or off > best[0]:
                        best = (off, name)
                    break
        return best

    def titled_actor(self, before: int, description: str) -> str | None:
        """For a description by a title's noun ("the president", "the senator"), the most recent speaker or
        person named before ``before`` whom the article gives that title ("President Jo Bayer", "Sen.
        Bayer"); None when the noun is no title or no one named has it (a rival named since, "Republican
        presidential candidate Kit Varlow", does not take "the president")."""
        words = description.lower().split()
        titles = _DESCRIPTION_TITLES.get(words[-1].strip(".,")) if words else None
        if not titles:
            return None
        titled = self._titled_words(titles)
        if not titled:
            return None  # no one in the article has the title: no need to look through everyone named
        seen: set[str] = set()
        for people in (self.events + self.subjects, self.mentions):  # who acted first, then anyone named
            for off, name in sorted(people, reverse=True):
                if off >= before or name in seen:
                    continue
                seen.add(name)
                if _suffixed(name):
                    continue  # "Donald Trump Jr" is not "President Trump", though his surname is
                words = name.split()
                if words and words[-1] in titled:
                    return name
        return None

    def _titled_words(self, titles: str) -> frozenset[str]:
        """The capitalised words written within three words after one of ``titles`` ("President Jo
        Bayer": Jo, Bayer), once per article and title (a look-up per person named, not a scan)."""
        found = self._titled_cache.get(titles)
        if found is None:
            word = rf"[{_UPPER}][\w.'\u2019-]*"
            pattern = rf"(?<![Vv]ice[ -])\b(?:{titles})\.?[^\S\n]+({word}(?:[^\S\n]+{word}){{0,2}})"
            found = frozenset(_POSSESSIVE_END_RE.sub("", part.rstrip(".,"))
                              for match in re.finditer(pattern, self.body) for part in match.group(1).split())
            self._titled_cache[titles] = found
        return found

    def known_otherwise(self, name: str, description: str) -> bool:
        """Whether the article never writes ``name`` after the title the description's noun stands for
        ("President Jo Bayer" for "the president") but as someone else: a son of that surname ("Jo
        Bayer Jr"), after another role ("attorney Jo Bayer"), or at all for "the president" (the head
        of state an article titles; "the senator" may be any senator it names) unless written as a
        president of something ("university president Jo Bayer")."""
        words = description.lower().split()
        titles = _DESCRIPTION_TITLES.get(words[-1].strip(".,")) if words else None
        parts = name.split()
        if not titles or not parts:
            return False
        if _suffixed(name):
            return True
        if parts[-1] in self._titled_words(titles):
            return False
        key = (name, titles)
        found = self._role_cache.get(key)
        if found is None:  # (one scan per person and title: "the senator said" may recur a thousand times)
            written = r"[^\S\n]+".join(re.escape(word) for word in parts)
            if words[-1] == "president":
                # "the president": the head of state the article titles, not anyone else named; but a
                # president of something ("university president Jo Bayer", "Jo Bayer, president of the
                # union") may be the one meant
                found = not re.search(rf"\bpresident[^\S\n]+{written}\b|\b{written},[^\S\n]+(?:[\w-]+[^\S\n]+){{0,3}}"
                                      rf"president\b", self.body)
            else:
                found = any(word.islower() and not dotted and word in _PERSON_NOUNS and not re.fullmatch(titles, word)
                            for _, word, dotted in self._words_before(name))
            self._role_cache[key] = found
        return found

    def _words_before(self, name: str) -> list[tuple[int, str, bool]]:
        """(offset, word, followed by a stop) of each word written right before the full ``name``
        ("attorney Jo Bayer", "Sen. Jo Bayer"), scanned once per name (see has_other_role,
        known_otherwise)."""
        found = self._words_before_cache.get(name)
        if found is None:
            written = r"[^\S\n]+".join(re.escape(word) for word in name.split())  # the full name: two Clintons
            found = [(m.start(), m.group(1), bool(m.group(2)))
                     for m in re.finditer(rf"\b([A-Za-z]+)(\.?)[^\S\n]+{written}\b", self.body)]
            self._words_before_cache[name] = found
        return found

    def has_other_role(self, name: str | None, description: str) -> bool:
        """Whether the article writes ``name`` as a contender for the description's office ("presidential
        candidate Kit Varlow", "senatorial hopeful Kit Varlow" for "the president", "the senator"), and
        never after that title."""
        words = description.lower().split()
        noun = words[-1].strip(".,") if words else ""
        titles = _DESCRIPTION_TITLES.get(noun) if name else None
        if not titles or not name:
            return False
        contender = False
        for start, word, dotted in self._words_before(name):
            if dotted and not (word[0].isupper() and len(word) <= 4):
                continue  # "spoke first. Kit Varlow": a sentence's end, not an abbreviated title ("Sen.")
            if re.fullmatch(titles, word):
                return False
            lead = self.body[max(0, start - 40) : start].lower().split()[-3:] + [word.lower()]
            # the office's adjective before the role: "presidential candidate", "senatorial hopeful"
            contender = contender or any(w.startswith(noun[:6]) and len(w) > len(noun) for w in lead)
        return contender

    def _gender_ok(self, name: str, gender: str, *, given_names: bool = True) -> bool:
        """Whether a pronoun of ``gender`` may stand for ``name``: a person, whose known gender (a title's
        word, the given name unless ``given_names`` is False, else one learnt from pronouns) is not the other."""
        if gender and name[:1].islower() and not any(w.strip(".,") in _PERSON_NOUNS for w in name.lower().split()):
            return False  # "she" never stands for a description that is no person ("the Kremlin", "the report")
        if gender and any(w.lower() in _NO_PRONOUN_WORDS and (w.isupper() or w.lower() not in _ORG_ACRONYMS)
                          for w in name.split()[1:]):
            return False  # nor for an organisation or an event ("Democratic National Convention")
        if gender and name.startswith(("A ", "The ")) and _GROUP_DESCRIPTION_RE.search(name):
            return False  # "he" never stands for "A few of his party colleagues"
        if name in COUNTRIES_AND_STATES or gender and name in self.outlets:
            return False  # "he", "she", "the president" never stand for Germany; "he" never for "the Crimson"
        known = self.firm_gender(name, given_names=given_names) or self.people.get(name, _Person(name)).gender
        return not gender or not known or known == gender

    def firm_gender(self, name: str, *, given_names: bool = True) -> str:
        """The gender the article or the name itself says of a person: a title or role word before it
        ("Mrs.", "her husband,"), else its given name ("Hillary Clinton": f; not "Kim Jong Un" keyed by
        its family name; not read when ``given_names`` is False); "" when neither says one (a gender
        learnt from pronouns is weaker: not here)."""
        if not given_names:
            return self.said_gender.get(name, "")
        found = self._firm_genders.get(name)
        if found is None:
            family_name_first = name in self._family_name_first
            found = self.said_gender.get(name) or ("" if family_name_first else given_name_gender(name))
            self._firm_genders[name] = found
        return found

    def first_person_between(self, lo: int, hi: int, gender: str = "", *, given_names: bool = True) -> str | None:
        """The first person named in [lo, hi) whom no title, role word or given name gives another gender
        than ``gender`` (a gender learnt from earlier pronouns is too weak to skip the sentence's person);
        a country or a state is no person."""
        mentions = self.mentions
        for k in range(bisect.bisect_left(mentions, (lo, "")), len(mentions)):
            off, name = mentions[k]
            if off >= hi:
                break
            if name not in COUNTRIES_AND_STATES and (
                    not gender or self.firm_gender(name, given_names=given_names) in ("", gender)):
                return name
        return None

    def last_person_before(self, before: int, gender: str = "", *, given_names: bool = True) -> str | None:
        """The last person named before ``before`` whose gender fits (see :meth:`_gender_ok`)."""
        mentions = self.mentions
        for k in range(bisect.bisect_left(mentions, (before, "")) - 1, -1, -1):
            name = mentions[k][1]
            if self._gender_ok(name, gender, given_names=given_names):
                return name
        return None

    def pronoun_person(self, pos: int, sentence_start: int, gender: str) -> tuple[str | None, bool]:
        """(person, sure) for "he"/"she" at ``pos``: the most recent actor, else the sentence's first
        person, else the last person named, of that gender or of none known. Not ``sure`` when the
        person's gender is unknown and someone nearer was passed over only for a given name of the
        other gender ("Bill Rice" for "she"), nor when the one passed over for a given name is the
        last speaker ("Graham said, '…' He continued": a given name says a gender only mostly, Lindsey
        Graham is a man), nor for "she" standing for someone of unknown gender when one woman is named
        just before (:meth:`_woman_named_near`): a weak guess then, never a confident wrong one."""

        def search(given_names: bool) -> str | None:
            return (self.recent_actor(pos, gender, given_names=given_names)
                    or self.first_person_between(sentence_start, pos, gender, given_names=given_names)
                    or self.last_person_before(pos, gender, given_names=given_names))

        if gender and self._passes_over_last_speaker(pos, gender):
            return search(True), False
        named_since = self._named_since_passed_actor(pos, gender)
        if named_since:
            return named_since, True
        who = search(True)
        if who is None or not gender or (self.firm_gender(who) or self.people.get(who, _Person(who)).gender) == gender:
            return who, True  # the person's name, a title or an earlier pronoun says that gender
        if gender == "f" and self._woman_named_near(pos, who):
            return who, False  # a weak guess: "she" may be the woman named just before
        return who, search(False) == who

    def _woman_named_near(self, pos: int, who: str) -> str | None:
        """For "she" at ``pos`` resolved to ``who``, whose gender nothing says: the one woman (a given
        name or an honorific says so) named in the ~600 characters before ``pos`` ("… the resignation
        of Nikki Haley. '…,' Trump told reporters. Giving no reason, she joked": Haley, not Trump);
        None when none or two are. She makes ``who`` a weak guess, never the speaker taken instead (as
        often the person of unknown gender is the woman: "Nielsen took issue with Pelosi's concerns.
        '…,' she wrote"). "He" is left as it is: in news most people named by a surname alone are men."""
        mentions = self.mentions
        k = bisect.bisect_left(mentions, (max(0, pos - 600), ""))
        women = set()
        while k < len(mentions) and mentions[k][0] < pos:
            off, name = mentions[k]
            if (name != who and self.firm_gender(name) == "f" and self._gender_ok(name, "f")
                    and not _inside_quotation(self.body, off)):
                women.add(name)
            k += 1
        return women.pop() if len(women) == 1 else None

    def _passes_over_last_speaker(self, pos: int, gender: str) -> bool:
        """Whether the most recent actor before ``pos`` is a speaker whom only a given name of the
        other gender keeps from standing for a pronoun of ``gender``."""
        nearest = self._recent_actor_at(pos)
        speaker = next(((off, name) for off, name in reversed(self.events) if off < pos), None)
        return (nearest is not None and speaker == nearest and not self._gender_ok(nearest[1], gender)
                and self._gender_ok(nearest[1], gender, given_names=False))

    def _named_since_passed_actor(self, pos: int, gender: str) -> str | None:
        """When the most recent actor before ``pos`` is passed over for its gender ("Clinton campaign
        manager Jo Mook released a memo. He writes …": Clinton), the last person named since then whose
        given name or honorific has ``gender`` (Jo Mook), before any earlier actor; else None."""
        if not gender:
            return None
        nearest = self._recent_actor_at(pos)
        if nearest is None or self._gender_ok(nearest[1], gender):
            return None
        fitting = self._recent_actor_at(pos, gender)
        sentence_start = max(self.body.rfind(end, 0, nearest[0]) for end in (". ", "! ", "? ", "\n"))
        if fitting is not None and fitting[0] > sentence_start:
            return None  # "… seamless, he said, replacing Clinton would …": the actor of that sentence goes on
        k = bisect.bisect_left(self.mentions, (pos, ""))
        while k > 0 and self.mentions[k - 1][0] >= nearest[0]:
            k -= 1
            off, name = self.mentions[k]
            if (self.firm_gender(name) == gender and self._gender_ok(name, gender)
                    and not _inside_quotation(self.body, off)):  # not a title quoted ("… Where the Race Stands")
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
        if gender and name not in self.said_gender:  # a title's word beats a pronoun's guess (and a given
            # name does in _gender_ok; the guess is kept for the search that leaves given names out)
            self.people.setdefault(name, _Person(name)).gender = gender
_PREPOSITION_END_RE = re.compile(
    r"\b(?:in|at|from|to|with|of|for|on|about|against|into|near|over|toward|towards|under|by|behind|beside|"
    r"between|among|than|via|around|across|through|without|including|alongside|amid|upon|within|beyond|following|regarding|concerning|despite|unlike)\s+$"
)
# Titles written before a name that a description by the noun stands for ("the president": President X)
_DESCRIPTION_TITLES = {
    "president": "President", "senator": "Sen|Senator", "governor": "Gov|Governor", "mayor": "Mayor",
    "congressman": "Rep|Congressman|Representative", "congresswoman": "Rep|Congresswoman|Representative",
    "secretary": "Secretary", "speaker": "Speaker", "judge": "Judge", "justice": "Justice", "minister": "Minister",
    "ambassador": "Ambassador", "general": "Gen|General", "chancellor": "Chancellor",
}
# A preposition and an article right before a name ("To the backdrop of the Brandenburg Gate, Obama …")
_PREPOSITION_ARTICLE_END_RE = re.compile(r"\b(?:of|at|in|from|near|outside|inside|before|behind|beside|to)\s+the\s+$",
                                         re.IGNORECASE)
_SMALL_WORDS = frozenset(
    ["of", "the", "and", "a", "an", "for", "in", "on", "to", "at", "by", "de", "la", "du", "von", "van", "with", "from",
     "or", "nor", "but", "as", "into", "over", "vs", "via"]
)
# A sentence opening on a description of a person ("The president on Tuesday defended …", "The Florida
# senator said …"): group 1 is the description's noun
_DESCRIBED_OPENING_RE = re.compile(
    r"[\s\"'\u201c\u201d\u2018\u2019(]*(?:The|This|That)\s+(?:[\w'\u2019-]+\s+){0,2}?([a-z]+)\b(?![\w'\u2019-])"
)
# "the" right before a name and a lower-case word after it: the name modifies a noun ("the Trump campaign")
_THE_BEFORE_RE = re.compile(r"\b[Tt]he[^\S\n]+$")
_LOWER_WORD_AFTER_RE = re.compile(r"[^\S\n]+[a-z]")
# "and" and another name right after a name: two people named together ("Jo Bayer and Kit Varlow")
_JOINED_NAME_AFTER_RE = re.compile(rf"[^\S\n]+and[^\S\n]+{_NAME_WORD}")
# A sentence whose subject is a pronoun ("He said Grassley …", "She told Jo Bayer …")
_PRONOUN_SUBJECT_RE = re.compile(
    r"[\s\"'\u201c\u201d\u2018\u2019(]*(?:(?:And|But|So|Yet|Then)[^\S\n]+(?:he|she|they)\b|(?:He|She|They|I|We)\b)"
)
# A sentence opening on a participle right before a name ("Saying President Obama, …", "Praising Jo Bayer, …")
_OPENING_PARTICIPLE_RE = re.compile(r"[\s\"'\u201c\u201d\u2018\u2019(]*[A-Z][a-z]+ing\s+(?:(?:the|[A-Z][a-z]*\.?)\s+)?")
# a clause's verb right after its subject, then a personal pronoun in the same sentence going on from that
# subject ("made clear that he would", "launched his bid"; group 1: the pronoun)
_SUBJECT_THEN_PRONOUN_RE = re.compile(
    r"[^\S\n]+(?:[a-z]+ly[^\S\n]+|also[^\S\n]+)?(?:has|had|is|was|would|will|[a-z]+ed|made|[a-z]+s)\b"
    r"[^.!?\n\"\u201c\u201d]{0,80}?\b(he|she|his|her)\b"
)
_TITLE_BEFORE_RE = re.compile(r"\b([A-Z][a-z]+)\.?[^\S\n]+$")  # "President ", "Sen. "
_PLACE_PREPOSITION_END_RE = re.compile(r"\b(?:in|at|near|outside|across)[^\S\n]+$")
_PERSON_OR_TITLE_WORDS = _PERSON_NOUNS | _TITLE_WORDS
_THE_BEFORE_RE = re.compile(r"\b[Tt]he[^\S\n]+$")
# Party words ending a description ("the Arizona Republican", "House Democrats"): no surname
_PARTY_NOUNS = frozenset(["republican", "republicans", "democrat", "democrats", "independent", "independents"])
# A sentence opening on a subordinate clause not yet closed by its comma ("If last year's speech by Jo
# Bayer was …,"): a name there is not the sentence's subject
_OPENING_SUBORDINATE_RE = re.compile(
    r"[\s\"'\u201c\u201d\u2018\u2019(]*(?:If|When|While|Although|Though|Because|Since|Unless|Whereas|Until|After|Before|During|"
    r"Despite|Amid|Following|Ahead)\b[^,;:]*"
)
# Sentence starts as _SENTENCE_START_RE, but a title's dot ("Rep." / "Sen." / "Gov." / "Mr.") ends no sentence
_SUBJECT_SENTENCE_START_RE = re.compile(
    r"[.!?\u2026]"
    + "".join(rf"(?<!\b{title}\.)" for title in ("Rep", "Reps", "Sen", "Sens", "Gov", "Mr", "Mrs", "Ms", "Dr", "Gen",
                                                "Lt", "Col", "Capt", "Sgt", "Adm", "Rev", "St", "Prof"))
    # a stop before a lowercase word ends an abbreviation ("U.S. military"), not a sentence
    + r"[\"'\u201d\u2019\u00bb)]*\s+(?!\s*[a-z])|\n"
)
# A description of several people ("A few of his colleagues", "The two", "The Vermont senators")
_GROUP_DESCRIPTION_RE = re.compile(r"^(?:A|The)\s+(?:few|two|three|several|many|group)\b|[a-z]{3,}[^s's]s\b")
