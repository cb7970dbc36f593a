"""Who said a quotation (part of :mod:`briefreader.core.quotes`).

The attribution next to the quote (``Kallas said``, ``said Sen. Warren``, ``according to the
report``, ``— cites Politico``), else the person the sentence is about; ``told X`` makes X the
listener, never the speaker. Unknown beats wrong: weak evidence gives a low confidence or nothing.
"""

from __future__ import annotations

import bisect
import itertools
import re

from briefreader.core.quote_names import (
    _PARTY_NOUNS,
    _NEVER_SPEAKERS,
    _POSSESSIVE_END_RE,
    COUNTRIES_AND_STATES,
    _NAME_RE,
    _NAME_WORD,
    _NON_NAME_STARTS,
    _PARTICLE,
    _PERSON_NOUNS,
    _PREPOSITION_END_RE,
    _PRONOUNS,
    _SKIP_BETWEEN,
    _SOURCE_VERBS,
    _TITLE_WORDS,
    _VERB_RE,
    SPEECH_VERBS,
    _clean_name,
    description_gender,
    describes_person,
    given_name_gender,
    pronoun_gender,
    _name_mention,
    _sentence_bounds,
    _Speakers,
)
from briefreader.core.quote_pairing import _AFTER_CLOSE_WORDS, _WORD_RE, ALL_MARKS, _Raw

_CLAUSE_CUT_RE = re.compile(
    # a stop before a comma or a letter is an abbreviation ("Cambridge, Mass., said", "N.C."), not an end
    r"[.!?](?![,\w])|[;:\u2026]|(?<!\w)[" + "".join(sorted(ALL_MARKS)) + r"]"
    # a closing mark ends the clause, but not the apostrophe of a possessive ("Cross' speech")
    r"|(?<!s(?=['\u2019]\s[a-z]))[" + "".join(sorted(ALL_MARKS)) + r"](?!\w)"
)
# Segments before a speech verb that are not its subject: a relative clause about a thing or place
# ("Orlando, Florida, which Will claims affirmed") ends the search; one about a person ("Zimmerman,
# who identifies as Hispanic, told") is skipped.
_THING_CLAUSE_RE = re.compile(r"(?:which|where|when|that)\b")
_PERSON_CLAUSE_RE = re.compile(r"(?:who|whose|whom)\b")
# a subject relative clause right before the verb: "who", "who also", "who later"
_SUBJECT_RELATIVE_RE = re.compile(r"who(?:\s+(?:also|later|then|again|too|once|[a-z]+ly))*")
# a place preposition right before a name: "voters in Iowa, who said"
_PLACE_PREPOSITION_END_RE = re.compile(r"\b(?:in|at|near|across|outside|inside|throughout)\s+$")
# an object relative clause with its own named subject right before the verb: "who Jo Bayer on Monday"
_RELATIVE_SUBJECT_RE = re.compile(
    rf"(?:who|whom)\s+({_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{0,3}})(?:\s+(?:on|last|this)\s+\w+|\s+\w+ly)?\s*$"
)


_COORDINATORS = frozenset(["and", "but", "yet", "so"])


def _subject_left(text: str) -> tuple[str, str] | None:
    """The subject of a speech verb from the clause before it (``text`` ends right before the verb)."""
    # cut at the clause start (sentence punctuation or a quote mark)
    clause = _CLAUSE_CUT_RE.split(text)[-1]
    parts = re.split(r"(,|\u2014|\u2013| - )", clause)
    segments, separators = parts[0::2], parts[1::2]
    for k in range(len(segments) - 1, -1, -1):
        seg_raw = segments[k]
        seg = seg_raw.strip()
        if not seg:
            continue
        own = _own_subject(seg, k, segments, separators)
        if own:
            return own if own[0] else None  # ("", "none"): the clause's subject is no one known
        if _PERSON_CLAUSE_RE.match(seg) or seg.isdigit():
            continue  # "Jo Bayer, who …, said", "Jo Bayer, 69, said"
        if _THING_CLAUSE_RE.match(seg):
            return None
        place_before = (re.search(rf"\b(?:in|at|from|near|of)\s+{_NAME_WORD}(?:\s+{_NAME_WORD})*\s*$", segments[k - 1])
                        if k > 0 else None)
        if place_before and _NAME_RE.fullmatch(seg.rstrip(".")) and k < len(segments) - 1:
            # "in Columbus, Ohio, said" / "in Cambridge, Mass., said": a place's state, not the speaker
            # (but "at the Grille, Trump said": the name right before the verb speaks)
            continue
        words = seg.split()
        last = words[-1]
        if last in _PRONOUNS and len(words) <= 3:
            return last, "pronoun"
        if words[0] in _PRONOUNS and _SKIP_BETWEEN.match(" ".join(words[1:])):
            return words[0], "pronoun"
        if (0 < k < len(segments) - 1 and separators[k - 1] == "," and _APPOSITION_START_RE.match(seg)
                and (_ROLE_PREPOSITION_RE.search(seg) or not _NAME_RE.search(seg))):
            # apposition: "Massimo Franco, a columnist for the newspaper Corriere della Sera, wrote",
            # "Jo Bayer, legal director for the group Acme Rights, said", "Jo Bayer, Republican of
            # Ohio, said": the name before the description speaks, not a name inside it
            named = _name_before_apposition(segments[:k])
            if named:
                return named, "name"
        # a name ending a lowercase segment set off by commas is a speaker only after a role ("former
        # Rep. Jo Bayer"), not after a verb ("did not name Jo Bayer, but told …": the object)
        name = _name_at_end(seg) if k == len(segments) - 1 or not seg[0].islower() or _role_head(seg) else None
        if name and k < len(segments) - 1 and _object_of_clause(seg):
            return None  # "Jo Bayer spoke to Republicans as well as Democrats, saying": the object
        if name:
            return name, "name"
        low = seg.lower()
        if re.match(r"(?:the|a|an|another|one|some|two|three|several)\s", low) and len(words) <= 8:
            # apposition: "Douglas Holtz-Eakin, an economist and tax expert, said": the name
            named = _name_before_apposition(segments[:k]) if _opens_apposition(separators, k) else None
            if named:
                return named, "name"
            if last in _PRONOUNS:
                return last, "pronoun"  # "a military fight he called": he speaks, not the fight
            desc = re.split(r"\s+(?:on|in|at|last|this|has|had|have|also|then)\s", seg)[0]
            desc = _description_or_none(desc)
            return (desc, "description") if desc else None
        if _POSSESSIVE_ROLE_RE.match(seg) and k > 0:
            # apposition: "Jo Bayer, the mayor's chief of staff, said" / "Jo Bayer, Acme's director of
            # sales, said": the name before it speaks, not the owner of the role
            named = _name_before_apposition(segments[:k])
            if named:
                return named, "name"
        if _SKIP_BETWEEN.match(seg) or seg.lower() in ("however", "meanwhile", "also"):
            continue
        if words[0][0].islower() and len(words) <= 12:
            continue  # appositive ("deputy chairman of the council") before the verb
        return None
    return None


# A clause inside what looked like a description ("The pushback crested with Jo Bayer", "the
# writers acknowledge that", "A spokesperson for Jo Bayer fired back Tuesday"): no description
_CLAUSE_IN_DESCRIPTION_RE = re.compile(
    r"\s(?:that|which|who|whom|whose)\s|\s[a-z]+ed\s+(?:with|back|to|on|in|at|for|about|up|out|off|by|over)\b"
    r"|\s[a-z]+ed\s+(?:himself|herself|themselves|him|her|them|it)\b"
    r"|\s(?:acknowledge|acknowledges|say|says|argue|argues|claim|claims|drew|took|gave|made|ran)\b"
    r"|\s(?!(?:family|ally|assembly)\s)[a-z]+ly\s"
)
# adverbs trailing a description's noun ("The indictment also", "The resolution initially")
_TRAILING_ADVERB_RE = re.compile(
    r"(?:\s+(?:also|then|later|still|again|too|once|now|first|indeed|(?!(?:family|ally|assembly)\b)[a-z]+ly))+\s*$"
)


def _description_or_none(desc: str) -> str | None:
    """A description as a source (``the report``, ``a Ryan spokesman``) without the adverbs after its
    noun; None when it is a clause, not a noun phrase (unknown beats a sentence fragment as a name)."""
    clause = _CLAUSE_IN_DESCRIPTION_RE.search(" " + desc + " ")
    if clause:
        # the noun phrase before the clause's verb is its subject ("The writers acknowledge that"
        # -> "The writers", "The Washington Post recently ran" -> "The Washington Post")
        head = desc[: max(0, clause.start() - 1)].strip()
        return head if len(head.split()) >= 2 else None
    trimmed = _TRAILING_ADVERB_RE.sub("", desc)
    return trimmed if len(trimmed.split()) >= 2 else desc


def _own_subject(seg: str, k: int, segments: list[str], separators: list[str]) -> tuple[str, str] | None:
    """A subject segment ``k`` of :func:`_subject_left` names by itself: the named subject of an object
    relative clause right before the verb ("Bannon, who Beck on Wednesday called"), a role someone
    owns opening the clause ("Strzok's attorney, meanwhile, blasted …": the attorney, not Strzok), or
    the person a party apposition describes ("John Suthers, a Republican, said")."""
    words = seg.split()
    if k == len(segments) - 1 and words[0] in _COORDINATORS and len(words) > 1:
        # "…, from 1967 to 1981, and the indictment says": a new clause with its own subject, never a
        # name further left ("Yorkville, Illinois"); ("", "none") when no description is left
        rest = " ".join(words[1:])
        if not re.match(r"(?:the|a|an)\s", rest) or len(words) > 8:
            return None  # "and he", "and later", "and Jo Bayer": read as before
        desc = _description_or_none(re.split(r"\s+(?:on|in|at|last|this|has|had|have|also|then)\s", rest)[0])
        return (desc, "description") if desc else ("", "none")
    if k == len(segments) - 1 and len(words) > 3 and words[-1] == "and":
        coordinated = _coordinated_subject(seg)
        if coordinated:
            return coordinated
    relative_subject = _RELATIVE_SUBJECT_RE.match(seg) if k == len(segments) - 1 and seg[:1] == "w" else None
    if relative_subject:
        name = _clean_name(relative_subject.group(1))
        if name:
            return name, "name"
    if k == len(segments) - 1 and k > 0 and separators[k - 1] == "," and _SUBJECT_RELATIVE_RE.fullmatch(seg):
        # "Pence was joined by Robert Redfield, who emphasized": the name the relative pronoun follows
        # speaks, even as the object of the clause before
        last = max(_NAME_RE.finditer(segments[k - 1]), key=lambda m: m.start(), default=None)
        placed = last is not None and _PLACE_PREPOSITION_END_RE.search(segments[k - 1], 0, last.start())
        name = (_clean_name(last.group()) if last and not placed and not segments[k - 1][last.end() :].strip()
                else None)  # ("met voters in Iowa, who said": a place, not the speaker)
        if name:
            return name, "name"
    owned = ("'" in seg or "\u2019" in seg) and _OWNED_ROLE_RE.fullmatch(seg)
    if owned and (k == 0 or separators[k - 1] != ","):
        return seg, "description"
    if k > 0 and separators[k - 1] == "," and _PARTY_APPOSITION_RE.fullmatch(seg):
        # "John Suthers, a Republican, said": a party describes the person named before it
        named = _name_before_apposition(segments[:k])
        if named:
            return named, "name"
    return None


# the subject opening a clause and the first word after it: "Jo Bayer pointed", "The president pointed"
_CLAUSE_OPENING_RE = re.compile(
    rf"\s*(?:(?:The|the)[^\S\n]+((?:[a-z][\w-]*[^\S\n]+){{0,2}}?([a-z][\w-]*))"
    rf"|(?!The\b)({_NAME_WORD}(?:[^\S\n]+(?:{_PARTICLE}[^\S\n]+)?{_NAME_WORD})*))[^\S\n]+([a-z]+)\b"
)
_INNER_SUBJECT_RE = re.compile(r"\b(?:that|who|whom|which|because|when|while|if|after|before|since|he|she|they)\s",
                               re.IGNORECASE)


def _coordinated_subject(seg: str) -> tuple[str, str] | None:
    """The subject of a clause whose verb phrase a speech verb joins ("Jo Bayer pointed to Germany as an
    example and said …", "The president met the team and told …"): the name or the description
    opening it; None when another clause inside may have its own subject ("… pointed out
    that Bo Li …")."""
    m = _CLAUSE_OPENING_RE.match(seg)
    if m is None or _INNER_SUBJECT_RE.search(seg, m.end(4)):
        return None
    verb = m.group(4)
    if (verb in _CLAUSE_LINK_WORDS or verb in _PERSON_NOUNS or verb in _TITLE_WORDS or verb in _ROLE_HEAD_WORDS
            or verb.endswith(("ist", "er", "or", "ian", "ant", "ent", "man", "woman"))):
        return None  # "Jo Bayer of Acme", "Acme spokesman Jo Bayer": no verb yet
    if m.group(3):
        name = _clean_name(m.group(3))
        return (name, "name") if name and name not in COUNTRIES_AND_STATES else None
    return seg[: m.end(1)].strip(), "description"  # "The president", "The report"


def _object_of_clause(seg: str) -> bool:
    """Whether the name ending ``seg`` is the object of a clause that opens with another name and
    a verb ("Jo Bayer spoke to the crowd about Democrats"), not a subject set off by commas."""
    names = list(_NAME_RE.finditer(seg))
    opening = _OPENING_PRONOUN_RE.match(seg)
    if opening and names and names[-1].start() >= opening.end():
        following = seg[opening.end() :].split()  # "But he aimed his fire at Democrats"
    elif len(names) < 2 or names[0].start() != len(seg) - len(seg.lstrip()):
        return False
    else:
        following = seg[names[0].end() :].split()
    first = following[0].lower().strip(".,") if following else ""
    if not (first and first.isalpha() and following[0][0].islower()) or first in _CLAUSE_LINK_WORDS:
        return False
    before_last = seg[: names[-1].start()].split()
    if before_last and before_last[-1].lower() in _SUBORDINATORS:
        return False  # "Jo Bayer has tacked left since Bo Li, the …, announced": Bo Li's own clause
    # a role after an organisation's name ("Washington Post columnist Jo Bayer") is no verb
    return (first not in _PERSON_NOUNS and first not in _TITLE_WORDS and first not in _ROLE_HEAD_WORDS
            and not first.endswith(("ist", "er", "or", "ian", "ant", "ent", "man", "woman")))


# a clause opening on a pronoun subject, after a conjunction or not ("But he aimed …", "She told …")
_OPENING_PRONOUN_RE = re.compile(r"\s*(?:(?:But|And|So|Yet|Then|Still|Now)\s+)?(?:he|she|they|He|She|They)\b")
_SUBORDINATORS = frozenset(["since", "because", "after", "before", "when", "while", "although", "though",
                           "until", "unless", "if", "once", "whereas", "but", "that", "where"])
# lowercase words that may follow a name inside a subject ("Jo Bayer of Acme", "Jo Bayer and Bo Li")
_CLAUSE_LINK_WORDS = frozenset(["of", "at", "from", "for", "with", "and", "or", "the", "de", "da", "van", "von",
                                "del", "della", "la", "le", "al", "el", "bin", "ibn", "ben"])


_ROLE_HEAD_WORDS = frozenset(["the", "a", "an", "former", "then", "acting", "longtime", "veteran", "retired",
                              "interim", "top", "senior", "chief", "fellow", "state", "federal", "us"])


def _role_head(seg: str) -> bool:
    """Whether the lowercase words opening ``seg`` before its first capitalised word are a role
    ("former", "the economist", "the state senator"), not a verb phrase."""
    for word in seg.split():
        if word[:1].isupper():
            return True
        low = word.lower().strip(".,")
        if low not in _ROLE_HEAD_WORDS and low not in _PERSON_NOUNS and low not in _TITLE_WORDS:
            return False
    return False


def _name_at_end(seg: str) -> str | None:
    """The name ending a segment (a few skip words may follow it), or the person named before an
    affiliation ending it ("Jo Bayer of the Sierra Club"); None when the last name is an object
    ("diplomats in Paris", "relations with Cuba")."""
    for m in reversed(list(_NAME_RE.finditer(seg))):
        tail = seg[m.end() :].strip()
        if tail and not _SKIP_BETWEEN.match(tail):
            continue
        if all(w.lower().strip(".,") in _NEVER_SPEAKERS for w in m.group().split()):
            continue  # "President Obama on Wednesday": the day is a skip word's, the name before it speaks
        head = seg[: m.start()]
        affiliated = _AFFILIATED_NAME_RE.search(head)
        mention = _name_mention(affiliated.group(1)) if affiliated else None
        if mention and mention[2]:  # a full or titled name, not "Officials at the White House"
            return mention[0]
        if _PREPOSITION_END_RE.search(head):
            return None
        name = _clean_name(m.group())
        if name:
            return name
        person = _AFFILIATED_NAME_RE.search(re.split(r"\s+of\s+(?:the\s+)?", m.group())[0] + " of ")
        mention = _name_mention(person.group(1)) if person else None
        if mention and mention[2]:  # "Jo Bayer of the Sierra Club" read as one capitalised run
            return mention[0]
    return None


# A name followed by its affiliation: "Jo Bayer of the", "Jo Bayer at", "Jo Bayer from the"
_AFFILIATED_NAME_RE = re.compile(
    rf"(?:^|[\s,])({_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{0,3}})[^\S\n]+(?:of|at|from)[^\S\n]+(?:the[^\S\n]+)?$"
)
# a preposition inside a role description ("director of the Acme Group", "columnist for the Ledger")
_ROLE_PREPOSITION_RE = re.compile(r"\b(?:of|for|at|with|from|in|on|by)\s")
# a segment that describes the one before it: a determiner, a lowercase role, a party ("Republican of Ohio")
_APPOSITION_START_RE = re.compile(
    r"(?:the|a|an|another|one)\s|[a-z]|(?:Republican|Democrat|Independent)s?\s+(?:of|from)\s"
)
# "Strzok's attorney", "Mr. Trump's campaign manager": a person named by a role someone owns (a role
# word last, so "Trump's plan" is not one)
_OWNED_ROLES = "|".join(sorted(_PERSON_NOUNS - {"man", "woman", "head", "chief", "state"}))
_OWNED_ROLE_RE = re.compile(
    rf"(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD}['\u2019]s?\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{_OWNED_ROLES})"
)
# "Twitter's director of political advertising", "Mrs. Obama's chief of staff": a role owned by someone
_POSSESSIVE_ROLE_RE = re.compile(rf"(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD}['\u2019]s?\s+[a-z]")


def _opens_apposition(separators: list[str], k: int) -> bool:
    """Whether segment ``k`` of a clause can be an apposition to the one before it: set off by a
    comma, or by a dash that opens a pair ("Dana Fell - the councilwoman - said"), not by the dash
    closing an aside ("In the letter - sent to Dana Fell - the councilwoman asks")."""
    if k == 0:
        return False
    if separators[k - 1] == ",":
        return True
    return sum(1 for sep in separators[: k - 1] if sep != ",") % 2 == 0


_NUMBER_RE = re.compile(r"\d+(?:st|nd|rd|th)?")


def _without_numbers_at_end(head: str) -> str:
    """``head`` without the numbers ending it ("chairman for 21st " -> "chairman for "), word by word from
    the end (a regex ``(?:\\d+\\s+)+$`` retried at every number of a long run of them is quadratic)."""
    words = head.split()
    end = len(words)
    while end and _NUMBER_RE.fullmatch(words[end - 1]):
        end -= 1
    return head if end == len(words) else " ".join(words[:end]) + " "


def _name_before_apposition(segments: list[str]) -> str | None:
    """The name ending the last non-blank segment before an apposition, if it is one."""
    for seg in reversed(segments):
        seg = seg.strip()
        if not seg or seg.isdigit() or _PERSON_CLAUSE_RE.match(seg):
            continue  # an age or a relative clause: "Jo Bayer, 67, a retired nurse", "Jo Bayer, who …,"
        m = re.search(rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD})*$", seg)
        head = seg[: m.start()] if m else seg
        # (a number is part of the name after a preposition: "chairman for 21st Century Fox")
        bare_head = _without_numbers_at_end(head)
        if m and head.strip().split()[-1:] != ["and"] and not _PREPOSITION_END_RE.search(bare_head):
            if _object_of_clause(seg):
                return None  # "Jo Bayer spoke about Democrats, and gave them …": an object
            return _clean_name(m.group())  # "Jo Bayer", "the economist Jo Bayer"
        if _APPOSITION_START_RE.match(seg):
            continue  # an earlier apposition: "Jo Bayer, the head of Acme, a group that sued, said"
        return None
    return None


_DESCRIPTION_THEN_NAME_RE = re.compile(
    # "the mayor's aide, Jo Bayer", "Clinton's introducer, actress Jo Bayer": a description, its name
    rf"\s*(?:[Tt]he|[Aa]n?|[Aa]nother|[Oo]ne|{_NAME_WORD}['\u2019]s)\s+[^,.;:\n\"\u201c\u201d]{{2,80}}?,[^\S\n]+"
    rf"(?:(?!(?:of|at|from|in|for|with|on|to|by)\b)[a-z][\w-]*[^\S\n]+){{0,2}}"
    rf"({_NAME_WORD}(?:[^\S\n]+(?:{_PARTICLE}[^\S\n]+)?{_NAME_WORD})+)(?=\s*(?:[,.;:]|\bof\b|$))"
)


# a role or an office someone owns, with no name of its own after it: "Pence's office", "Jo Bayer's lawyer"
_OWNED_SOURCE_RE = re.compile(
    rf"[^\S\n]*((?:{_NAME_WORD}[^\S\n]+){{0,3}}{_NAME_WORD}['\u2019]s?[^\S\n]+(?:[a-z][\w-]*[^\S\n]+){{0,2}}?"
    rf"(?:{_OWNED_ROLES}|office|campaign|team))\b"
    # no name nor further role words after it ("Farrow's campaign manager Ida Holm": Holm speaks)
    rf"(?!(?:[^\S\n]+[a-z][\w-]*){{0,2}}[^\S\n]+{_NAME_WORD}|['\u2019\w-])"
)


def _subject_right(text: str) -> tuple[str, str] | None:
    """Inverted attribution: ``said Kallas``, ``cites Politico``, ``added the minister``, and a
    description with the name in apposition (``said another Twitter user, Jo Bayer``): the name."""
    described = _DESCRIPTION_THEN_NAME_RE.match(text)
    if described:
        name = _clean_name(described.group(1))
        if name and len(name.split()) >= 2:
            return name, "name"
    owned = _OWNED_SOURCE_RE.match(text)
    if owned:
        return " ".join(owned.group(1).split()), "description"  # "according to Pence's office": not Pence
    m = re.match(
        rf"\s*(?:(?:the|a|an)\s+)?((?:[a-z0-9][\w\-/]*\s+){{0,3}}?)({_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD})*)",
        text,
    )
    if m and any((w in _NON_NAME_STARTS or w in _AFTER_CLOSE_WORDS) and not (w == "of" and k > 0)
                 for k, w in enumerate(m.group(1).split())):
        # "…, asserting that the United States has": not an inverted attribution ("said master of
        # ceremonies Jo Bayer": an "of" inside a role is no such word)
        return None
    if m:
        # "said Democratic strategist Simon Rosenberg": an adjective, a role, then the name
        role = re.match(rf"[^\S\n]+((?:[a-z][\w\-]*[^\S\n]+){{1,3}})({_NAME_WORD}(?:[^\S\n]+{_NAME_WORD})+)",
                        text[m.end() :])
        if role and any(w in _PERSON_NOUNS for w in role.group(1).split()):
            name = _clean_name(role.group(2).rstrip("."))
            if name:
                return name, "name"
        name = _clean_name(m.group(2).rstrip("."), allow_org=True)
        if name or not _DOTTED_IN_DESCRIPTION_RE.match(text):
            return (name, "name") if name else None
        # "said a former U.S. law enforcement official who …": an abbreviation inside a description
        dotted = _DOTTED_DESCRIPTION_RE.match(text)
        return (dotted.group(1), "description") if dotted else None
    m = re.match(r"\s*((?:the|a)\s+[\w\u2019'\- ]{2,60}?)(?=[,.;:]|$| in | on | at | who | after )", text)
    if m and not _REPORTED_CLAUSE_RE.match(m.group(1)):
        return m.group(1), "description"
    return None  # "said the country was “…”": a reported clause's subject, no inverted speaker


# what follows a speech verb as a reported clause, not a description: "the"/"a" and at most two words,
# then an auxiliary ("said the country was", "said the new rules would"; not "said a lawyer whose
# client was charged")
_REPORTED_CLAUSE_RE = re.compile(r"(?:the|a)\s+(?:[\w\u2019'\-]+\s+){1,2}(?:was|is|were|are|has|had|have|would|will|"
                                 r"could|should|can|did|does|do|may|might|must|remains|remained)\b")


# a description holding a dotted abbreviation and going on in lowercase ("a former U.S. law enforcement official")
_DOTTED_IN_DESCRIPTION_RE = re.compile(r"\s*(?:the|a|an)\s+(?:[a-z][\w-]*\s+){0,3}[A-Z](?:\.[A-Z])+\.\s+[a-z]")
_DOTTED_DESCRIPTION_RE = re.compile(
    r"\s*((?:the|a|an)\s+[^\n,;:]{2,80}?)(?=[,;:]|\.(?!\w|\s+[a-z])|$| in | on | at | who | after )"
)


# a name (after a short description: "the economist Jo Bayer") followed by a comma: an apposition may follow
_NAME_THEN_COMMA_RE = re.compile(
    rf"\s*(?:(?:the|a|an)\s+(?:[a-z][\w-]*\s+){{1,3}})?{_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{0,3}}\s*,"
)
# a passive speech verb and its agent: "was asked by host Jo Bayer"
_PASSIVE_BEFORE_RE = re.compile(r"\b(?:was|were|is|are|been|being)\s+$")
_PASSIVE_BY_RE = re.compile(
    rf"\s+by\s+(?:the\s+)?(?:[a-z][\w-]*\s+){{0,2}}({_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{0,3}})"
)
# `"…" and said …`, `"…," but he denied …`, `"…" and Jo Bayer says`: a new clause (its own subject, or
# the subject of the clause before the quotation), not this quotation's attribution; `"…" but to act
# first, said Jo Bayer` (a comma before the verb) still attributes the quotation
_CONJUNCTION_START_RE = re.compile(r"(?:(?:^|.*,)\s*(?:and|but|or|nor|yet|then|while|whereas)"
                                   r"|.*[\u2014\u2013]\s*(?:and|but)\s+that)\s+[^,;:]*$",
                                   re.IGNORECASE | re.DOTALL)
_SUBORDINATE_START_RE = re.compile(
    r"\s*(?:when|while|after|before|because|since|if|although|though|until|unless|where|whereas|as soon as)\b",
    re.IGNORECASE)
_LISTENER_VERBS = frozenset({"told", "tells", "tell", "telling", "asked", "asks"})
# Verbs whose object follows them (`Jo Bayer called the plan "a fraud"`, `described it as "…"`): what
# comes after them is never an inverted subject
_OBJECT_VERBS = frozenset({"called", "calls", "described", "describes", "decried", "decries", "condemned",
                           "condemns", "mocked", "mocks", "assured", "assures", "pressed", "lectured"})
_LISTENER_BEFORE_RE = re.compile(r"\b(?:told|telling|tells|tell|asked|asking|to|with)\s*$", re.IGNORECASE)
_DASH_NAME_RE = re.compile(
    rf"^[^\S\n]*[\u2015\u2014\u2013-]{{1,2}}[^\S\n]*({_NAME_WORD}(?:[^\S\n]+(?:{_PARTICLE}[^\S\n]+)?{_NAME_WORD}){{1,4}})"
    rf"[^\S\n]*(?:[.,;]|$)"
)
# A line holding only a dash and a name (the fact-check / pull-quote convention: `"…"` then `- Clinton.`)
_DASH_LINE_RE = re.compile(
    rf"[^\S\n]*[\u2015\u2014\u2013-]{{1,2}}[^\S\n]*({_NAME_WORD}(?:[^\S\n]+(?:{_PARTICLE}[^\S\n]+)?{_NAME_WORD}){{0,4}})"
    rf"[^\S\n]*(?:[.,;][^\n]{{0,120}})?"
)


def _dash_attribution(body: str, q: _Raw, lo: int, hi: int, after: str) -> str | None:
    """The name of a dash attribution of a quotation standing alone: in its paragraph (`"…" ― Carla
    Sanchez.`) or as the next line (`"…"` then `- Sanders.`). After narration (`Rajoy insisted his party
    was "…" --Kim Hjelmgaard.`) a dash and a name is the writer's byline: None."""
    if not q.close_mark or body[lo : q.mark_pos].strip():
        return None
    dashed = _DASH_NAME_RE.match(after)
    if dashed:
        return dashed.group(1)
    if body[q.close_pos + 1 : hi].strip(" .,;:"):
        return None
    start = hi
    while start < len(body) and body[start].isspace():
        start += 1
    end = body.find("\n", start)
    line = _DASH_LINE_RE.fullmatch(body, start, end if end != -1 else len(body))
    return line.group(1) if line else None


_ATTRIBUTION_AFTER = re.compile(rf"^[\s,.!?\u2014\u2013-]*(.{{0,240}}?)\b({SPEECH_VERBS})\b", re.DOTALL)


def _family_of(sp: _Speakers, name: str) -> str | None:
    """"the Robertson family" for "Robertsons", the plural of the surname of a person the article
    names (Phil Robertson); None otherwise ("Williams" beside William Barr is a surname of its own)."""
    if " " in name or not name.endswith("s") or len(name) < 4:
        return None
    singular = name[:-2] if name.endswith("es") and sp.canonical(name[:-2]) else name[:-1]
    person = sp.canonical(singular)
    if person is None or person.split()[-1] != singular or len(person.split()) < 2:
        return None
    return f"the {singular} family"


# documents a description may name as a source ("The statement said"), and ones that only read out
# an author's words (`"…," read a memo from Jo Bayer`)
_REPORTING_VERBS = frozenset(["reported", "reports"])
_DOCUMENT_NOUNS = frozenset(["statement", "letter", "memo", "email", "e-mail", "release", "note"])
_READ_DOCUMENT_NOUNS = _DOCUMENT_NOUNS | {"memorandum", "message", "post", "tweet", "text"}


# a surname, its speech verb and the speaker's own possessive right after it: "Campbell said his daughter"
_OWN_POSSESSIVE_RE = re.compile(rf"\b({_NAME_WORD})[^\S\n]+(?:{SPEECH_VERBS})[^\S\n]+(his|her)[^\S\n]+[a-z]")


class _Resolver:
    def __init__(self, body: str) -> None:
        self.body = body
        self.speakers = _Speakers(body)
        self._people_by_word: dict[str, set[str]] | None = None  # built on first use (headline lead-ins)

    def person_written_as(self, name: str) -> str | None:
        """The one person the article names in full whose name ``name`` is, or whose given name or
        surname it is ("Hillary" for Hillary Clinton); None when it is no one's or several people's."""
        known = self.speakers.canonical(name)
        if known or " " in name:
            return known
        if self._people_by_word is None:
            # once per article: a file of many headline-like lines would read every mention per line
            self._people_by_word = {}
            for _, person in self.speakers.mentions:
                words = person.split()
                if len(words) > 1:
                    for word in {words[0], words[-1]}:
                        self._people_by_word.setdefault(word, set()).add(person)
        people = self._people_by_word.get(name, set())
        return next(iter(people)) if len(people) == 1 else None

    def resolve(self, subject: str, kind: str, verb: str, pos: int,
                sentence_start: int) -> tuple[str | None, float, str | None]:
        """(speaker, confidence, cited_source) for one attribution."""
        sp = self.speakers
        if kind == "pronoun":
            gender = _PRONOUNS.get(subject, "")
            if subject.lower() == "they":
                return None, 0.0, None
            who, sure = sp.pronoun_person(pos, sentence_start, gender)
            if who and ("'" in who or "\u2019" in who) and _OWNED_ROLE_RE.fullmatch(who):
                return who, 0.5, None  # "he" for "Strzok's attorney": someone described, not named
            if who and not sure:
                # "she" passed over "Bill Rice" to someone of unknown gender: a guess, too weak to be
                # taken as the speaker later pronouns go on from (registering needs 0.5)
                return who, 0.45, None
            if who:
                sp.learn_gender(who, gender)
                return who, 0.7, None
            return None, 0.0, None
        if kind == "description":
            owned = ("'" in subject or "\u2019" in subject) and _OWNED_ROLE_RE.fullmatch(subject)
            if re.match(r"(?:a|an|one|another)\s", subject, re.IGNORECASE) or owned:
                # "a Treasury spokesperson", "Strzok's attorney": someone new, not an earlier name
                return subject, 0.5, None
            if not describes_person(subject):
                author = self._document_author(subject, pos)
                if author:
                    return author, 0.6, None  # "The statement said": the statement from X's attorney, Jo Bayer
                return subject, 0.5, None  # "the report", "the newspaper": the source is not a person
            gender = description_gender(subject)  # "the congresswoman" never stands for a man
            # (a person, not a thing said to speak before: "The way people … responded, the president added")
            who = sp.recent_actor(pos, gender, people_only=True) or sp.last_person_before(pos, gender)
            titled = sp.titled_actor(pos, subject) if who else None
            if titled and titled != who and (
                    sp.has_other_role(who, subject)
                    # "the president" alone (not "the former vice president", "the Vermont senator"): the
                    # one titled so, when the last person named is someone else ("Trump attorney Jay
                    # Sekulow", "Donald Trump Jr")
                    or who is not None and len(subject.split()) == 2 and sp.known_otherwise(who, subject)):
                # "the president added", the last person named "presidential candidate Kit Varlow": the
                # person the article titles "President" is meant
                who = titled
            if who:
                return who, 0.6, None
            who = sp.next_person_after(pos)
            if who:
                return who, 0.4, None
            return subject, 0.3, None
        described = self._party_description(subject, pos, verb, sentence_start)
        if described:
            return described
        canonical = sp.named_near(subject, pos) or sp.canonical(subject)  # "said Mr. Clinton": Bill
        if canonical and sp.shares_surname(subject):
            canonical = self._gendered_by_possessive(subject, canonical, pos, sentence_start)
        if canonical:
            return canonical, 0.95, None
        family = _family_of(sp, subject)
        if family:
            return family, 0.5, None  # "the Robertsons wrote": the family, not one of them
        personal = sp.personal_name(subject)
        if personal is None:
            return None, 0.0, None  # "Morning Edition", "Replay More Videos": common words, no one's name
        subject = personal
        if verb in _SOURCE_VERBS:
            who = sp.first_person_between(sentence_start, pos) or sp.last_speaker(pos) or sp.last_person_before(pos)
            return who, 0.5 if who else 0.0, subject
        return subject, 0.85, None

    def _gendered_by_possessive(self, surname: str, person: str, pos: int, sentence_start: int) -> str:
        """For a surname several people share, resolved to ``person``: the one of the gender the
        speaker's own possessive right after its speech verb says ("Campbell said his daughter …": of the
        Campbells named, a man, not the daughter named nearest); else ``person``."""
        written = surname.split()[-1]
        own = next((m for m in _OWN_POSSESSIVE_RE.finditer(self.body, max(sentence_start, pos - 300), pos + 80)
                    if m.group(1) == written), None)
        gender = pronoun_gender(own.group(2)) if own else ""
        if gender and given_name_gender(person) not in ("", gender):
            return self.speakers.gendered_canonical(surname, gender) or person
        return person

    def _document_author(self, subject: str, pos: int) -> str | None:
        """The person a document the article named before was from ("said the statement from Grimm's
        attorney, William McGinley. … The statement said": McGinley), for a description by that
        document's noun; None when none was, or it was someone's office ("from Jo Bayer's office")."""
        noun = subject.split()[-1].lower()
        if noun not in _DOCUMENT_NOUNS:
            return None
        pattern = rf"\b{noun}[^\S\n]+(?:from|by|signed[^\S\n]+by)[^\S\n]+([^.;:\n\"\u201c\u201d]{{2,80}})"
        own = self.body.rfind(subject, max(0, pos - 300), pos + 300)
        window = self.body[max(0, pos - 1000) : own if own >= 0 else pos]
        found = max(re.finditer(pattern, window, re.IGNORECASE), key=lambda m: m.start(), default=None)
        last_mention = max(re.finditer(rf"\b{noun}\b", window, re.IGNORECASE), key=lambda m: m.start(), default=None)
        if found is None or last_mention is None or last_mention.start() != found.start():
            return None  # none, or another document of that kind mentioned since ("Later X issued a statement")
        names = list(_NAME_RE.finditer(found.group(1)))
        last = names[-1] if names else None
        if last is None or _POSSESSIVE_END_RE.search(last.group()) or found.group(1)[last.end() :].strip(" ,"):
            return None  # "from Jo Bayer's office", "from the agency": no author named
        name = _clean_name(last.group())
        return self.speakers.canonical(name) if name else None

    def _party_description(self, subject: str, pos: int, verb: str,
                           sentence_start: int) -> tuple[str | None, float, str | None] | None:
        """(speaker, confidence, source) for "the New York Democrat said": a person described by a
        place and a party, named before (the description's person, never a group: "the Democrats");
        "a New Hampshire Republican said" is someone new, unnamed (the description itself, 0.5); None
        for a name that ends in no party word."""
        words = subject.split()
        if len(words) < 2 or words[-1].lower() not in _PARTY_NOUNS:
            return None
        lo = max(0, pos - 200)
        at = self.body.rfind(subject, lo, pos + 200)
        article = re.search(r"\b(the|a|an|another|one)\s+$", self.body[max(0, at - 10) : at], re.IGNORECASE)
        if at >= 0 and article is None:
            # "House Speaker Paul D. Ryan, Wisconsin Republican, said": the person the apposition follows
            named = _NAME_BEFORE_COMMA_RE.search(self.body, max(0, at - 80), at)
            name = _clean_name(named.group(1)) if named else None
            if name:
                return self.resolve(name, "name", verb, pos, sentence_start)
        if at < 0 or article is None or article.group(1).lower() != "the":
            return (f"{article.group(1)} {subject}" if article else subject), 0.5, None
        # the last speaker, when the article writes the description's place or party next to that
        # person's name ("Sen. Mitch McConnell of Kentucky … '…,' the Kentucky Republican said"); never
        # a person only mentioned or named in this sentence, nor one the description does not fit
        who = self.speakers.last_speaker(pos)
        if (who is None or who[:1].islower() or who.startswith("The ")
                or who.split()[-1].lower() in _PARTY_NOUNS
                or not _described_near(self.body, who, " ".join(words[:-1]), pos)):
            return f"the {subject}", 0.5, None
        return who, 0.6, None


def _described_near(body: str, who: str, place: str, pos: int) -> bool:
    """Whether ``place`` (a description's words before its party: "Kentucky") is written within a few
    words of ``who``'s surname somewhere before ``pos`` ("Mitch McConnell of Kentucky", "Kentucky
    Sen. Mitch McConnell")."""
    surname, place = re.escape(who.split()[-1]), re.escape(place)
    near = rf"\b{place}\W+(?:\w+\W+){{0,5}}?{surname}\b|\b{surname}\W+(?:[\w.]+\W+){{0,5}}?{place}\b"
    return re.search(near, body[max(0, pos - 20000) : pos]) is not None


# a name right before an apposition's comma ("Paul D. Ryan, Wisconsin Republican")
_NAME_BEFORE_COMMA_RE = re.compile(rf"({_NAME_WORD}(?:[^\S\n]+(?:{_PARTICLE}[^\S\n]+)?{_NAME_WORD})*),[^\S\n]*$")


def _ends_narrated_sentence(body: str, q: _Raw, after: str, own_sentence_start: int) -> bool:
    """Whether quotation ``q`` is a partial quote that ends its narrated sentence (a stop inside the
    marks, narration before the opening mark) and a new, capitalised sentence follows it."""
    if body[q.start : q.end].rstrip()[-1:] not in ".?!\u2026":
        return False
    if not body[own_sentence_start : q.mark_pos].strip():
        return False
    first = re.search(r"\w", after)
    return bool(first and first.group()[0].isupper())


def _introduces_next(body: str, q: _Raw, after: str, after_start: int) -> bool:
    """Whether the text after quotation ``q`` is a new sentence that ends in a comma or colon right
    before the next quotation's opening mark (``"X." She added, "Y."``)."""
    if not q.close_mark or body[q.start : q.end].rstrip()[-1:] not in ".?!\u2026":
        return False
    stripped = after.rstrip()
    if not stripped.endswith((",", ":")):
        return False
    end = after_start + len(after)
    if end >= len(body) or body[end] not in ALL_MARKS:
        return False
    first = re.search(r"\w", after)
    return bool(first and first.group()[0].isupper())


# A speech verb introducing the quotation right after it, in the same sentence (`told him,`, `said:`).
_LEAD_IN_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b[^.!?\n\"\u201c\u201d]{{0,40}}[,:][^\S\n]*$")


def introduced(body: str, q: _Raw) -> bool:
    """Whether quotation ``q`` follows its own attribution in its sentence (`Obama told him, "X,"`)."""
    return _LEAD_IN_RE.search(body, max(0, q.mark_pos - 80), q.mark_pos) is not None


def _introduces_next_by_colon(body: str, after: str, after_start: int) -> bool:
    """Whether the text after a quotation ends in a colon right before the next quotation's opening
    mark (`," Romney responded: "Y."`)."""
    end = after_start + len(after)
    return after.rstrip().endswith(":") and end < len(body) and body[end] in ALL_MARKS


# `"…," read a statement from Jo Bayer` / `reads a letter signed by Jo Bayer`: the author of the document
_DOCUMENT_FROM_RE = re.compile(
    rf"[\s,]*(?:read|reads)[^\S\n]+(?:a|an|the)[^\S\n]+(?:[\w-]+[^\S\n]+){{0,2}}?"
    rf"(?:{'|'.join(sorted(_READ_DOCUMENT_NOUNS, key=len, reverse=True))})[^\S\n]+"
    rf"(?:from|by|signed[^\S\n]+by)[^\S\n]+((?:[\w-]+[^\S\n]+){{0,3}}?{_NAME_WORD}(?:[^\S\n]+{_NAME_WORD})*)"
)


# a document whose words follow: "laid a note on the body of officer Jo Bayer, 31, that said"
_FROM_RE = re.compile(r"\bfrom[^\S\n]+")
_DOCUMENT_SAID_RE = re.compile(
    r"\b((?:a|an|the|his|her|their)[^\S\n]+(?:[\w-]+[^\S\n]+){0,2}?"
    r"(?:note|letter|sign|banner|placard|poster|message|card|memo|manifesto))\b"
    r"[^\"\u201c\u201d.;:!?]{0,120}?\b(?:that|which)[^\S\n]+(?:said|says|read|reads)[^\S\n]*[,:]?[^\S\n]*$"
)


def _document_said(body: str, resolver: _Resolver, sentence_start: int,
                   mark_pos: int) -> tuple[str | None, float, str | None, bool] | None:
    """(speaker, …) of a quotation a document says ("Jo Bayer also laid a note on the body … that said
    '…,' the sheriff said"): its author named after "from", else its writer, the person the sentence
    opens on, else the document; not the
    speech verb after the quotation, whose speaker only reports it. None when no document says it."""
    # (a document's words end right before the mark: a bounded window keeps long sentences linear)
    document = _DOCUMENT_SAID_RE.search(body, max(sentence_start, mark_pos - 300), mark_pos)
    if document is None:
        return None
    sent_from = _FROM_RE.search(body, document.end(1), document.end())
    author = resolver.speakers.first_person_between(sent_from.end(), sent_from.end() + 40) if sent_from else None
    if author:
        return author, 0.6, None, True  # "a letter from Governor Jo Bayer that said '…'": its author
    writer = _sentence_subject(body, resolver, sentence_start, document.start())
    if writer:
        return writer[0], 0.6, None, True
    return " ".join(document.group(1).split()), 0.5, None, True


def _attribution_after(body: str, resolver: _Resolver, q: _Raw, after: str, after_start: int, s_start: int,
                       own_sentence_start: int) -> tuple[str | None, float, str | None, bool] | None:
    """Step 1 of :func:`_attribution_for`: the attribution right after the closing mark
    (``," she said``, ``," said Sen. Warren``, ``," told CNN``: CNN listened), or None; but a
    quotation a document before it says is the document's (:func:`_document_said`)."""
    written = _document_said(body, resolver, own_sentence_start, q.mark_pos)
    if written:
        return written
    document = _DOCUMENT_FROM_RE.match(after)
    owned = document is not None and _POSSESSIVE_END_RE.search(document.group(1)) is not None
    name = _clean_name(document.group(1)) if document and not owned else None
    if name:  # (not "from Jo Bayer's office": her office, someone speaking for her)
        # `"…," read a staff memo from Editor-in-Chief Jo Bayer.`: the document's author
        sp, conf, src = resolver.resolve(name, "name", "wrote", after_start, s_start)
        if sp:
            return sp, conf, src, True
    m = _ATTRIBUTION_AFTER.match(after)
    if m and (_SUBORDINATE_START_RE.match(m.group(1)) or _CONJUNCTION_START_RE.fullmatch(m.group(1))):
        # `"…," when Clinton blasted him`: a clause about something else; `… saying his remark "…" and
        # said Republican leaders will`: the sentence's subject goes on speaking: not an attribution
        m = None
    if m and ";" in m.group(1):
        # `Romney called Trump "a phony, a fraud"; Trump called Romney …`: a semicolon opens another clause
        m = None
    if m and _introduces_next(body, q, after, after_start):
        # `"Why now?" Mills then writes back, "You look cute."`: a new sentence whose attribution
        # introduces the next quotation, not this one
        m = None
    if m and _introduces_next_by_colon(body, after, after_start) and introduced(body, q):
        # `Obama told him, "X," Romney responded: "Y."`: X came with its own attribution; the one after
        # it introduces Y
        m = None
    if m and _ends_narrated_sentence(body, q, after, own_sentence_start):
        # `Japan branded the North an "outlaw nation." Russia insisted …`: a partial quotation ends
        # the narrated sentence; the speech verb after it opens the next sentence, about someone else
        m = None
    if m and body[q.start : q.end].rstrip().endswith(".") and _VERB_RE.search(body, own_sentence_start, q.mark_pos):
        # `Toomey refused, responding that he's "not going there." And Sen. Portman said …`: the
        # quotation ends a sentence whose speech verb came before it; what follows is a new sentence
        m = None
    # up to 10 words before the verb, or a name and its apposition (`"…," Jo Bayer, an adviser to the
    # governor and former director of the budget office, said`)
    limit = 30 if m and _NAME_THEN_COMMA_RE.match(m.group(1)) else 10
    if m and not re.search(r"[.!?]\s", m.group(1)) and len(m.group(1).split()) <= limit:
        verb = " ".join(m.group(2).split())
        left = _subject_left(m.group(1)) if m.group(1).strip() else None
        # after "told" comes the listener ("…," told CNN): never an inverted subject
        listener_follows = verb.endswith("ing") or verb in ("told", "tells") or verb in _OBJECT_VERBS
        subject = left if left or listener_follows else _subject_right(after[m.end() :])
        if left and m.group(1).rstrip().endswith(",") and not verb.endswith("ing") and verb not in ("told", "tells"):
            # `"…" that Sanders can win, said Steve Elmendorf`: the clause before is not the subject
            right = _subject_right(after[m.end() :])
            if right and right[1] == "name":
                subject = right
        if subject:
            sp, conf, src = resolver.resolve(subject[0], subject[1], verb, after_start, s_start)
            return sp, conf, src, True
    return None


def _verb_subject(before: str, vm: re.Match[str], verb: str) -> tuple[str, str] | None:
    """The subject of the speech verb ``vm`` in the text before a quotation: ``according to X``, the
    agent of a passive (``was asked by host Jo Bayer``), the clause before the verb, or an inverted
    subject after it (never the listener after "told", never the object after "called")."""
    if verb == "according to":
        return _subject_right(before[vm.end() :])
    agent = _PASSIVE_BY_RE.match(before, vm.end()) if _PASSIVE_BEFORE_RE.search(before, 0, vm.start()) else None
    if agent:
        # "Sanders was asked by host Bill Maher, '…'": the agent after "by" speaks
        name = _clean_name(agent.group(1))
        return (name, "name") if name else None
    subj = _subject_left(before[: vm.start()])
    if not subj and not verb.endswith("ing") and verb not in _LISTENER_VERBS and verb not in _OBJECT_VERBS:
        subj = _subject_right(before[vm.end() :])
        if subj and subj[1] == "name" and not _inverted_subject_ends(before[vm.end() :], subj[0]):
            subj = None  # "to say Jo Bayer should …", "say the Bayer job offer …": a clause's subject
    return subj


_INVERTED_END_RE = re.compile(
    r"[^\S\n]*(?:[,.;:!?\u2014\u2013\-\"'\u201c\u2018(]|$|(?:of|from|in|on|at|who|whose|told|to|and|as)\b|"
    r"(?:Jr|Sr|II|III)\b)"
)


def _inverted_subject_ends(rest: str, name: str) -> bool:
    """Whether the inverted subject ``name`` read from ``rest`` (the text after a speech verb) ends
    the attribution: punctuation, a quotation or an affiliation follows it (``said Jo Bayer, …``,
    ``says Jo Bayer of Acme``), not a verb or a noun of a clause (``say Jo Bayer should``)."""
    last = name.split()[-1] if name.split() else ""
    at = rest.find(last)
    if not last or at == -1:
        return True
    end = at + len(last)
    while end < len(rest) and rest[end] in "'\u2019s" and rest[end - 1] != " ":
        end += 1  # a possessive is part of the name
    return _INVERTED_END_RE.match(rest, end) is not None


# A question verb, its listener, then "about" the quoted words ("asked Trump on Thursday about his comment")
_QUESTION_VERBS = frozenset({"asked", "asks", "ask", "asking", "questioned", "pressed"})
_ASKED_ABOUT_RE = re.compile(r"[^.;:!?\"\u201c\u201d]{0,80}?\babout\b")
# A lower-case word right before a colon's name ("Trump slams Puerto Rico:"): the name is an object
_OBJECT_BEFORE_COLON_RE = re.compile(r"(?<![\w'\u2019-])([a-z][a-z-]+)\s+$")


def _colon_lead_in(before: str) -> re.Match[str] | None:
    """The ``Kallas: «…»`` or ``Name, Outlet:`` lead-in ending ``before`` (group 1: the name), or None
    when the name before the colon is a listener, a place, an object or a speech verb's subject."""
    # `Kallas: «…»`, and the `Name, Outlet:` lead-in (`Ana Pike, Harbour Radio: "…"`): the person
    if not before.rstrip().endswith(":"):
        return None  # (no colon before the mark: no scan of the sentence, once per quotation)
    colon = re.search(rf"({_NAME_WORD}(?:[^\S\n]+{_NAME_WORD})*)(?:,([^,:\n]{{2,40}}))?\s*:\s*$", before)
    if colon and colon.group(2) and _VERB_RE.search(colon.group(2)):
        colon = None  # "Additionally, Clinton said:": a speech verb's subject, not a "Name, Outlet:" lead-in
    if colon and (_LISTENER_BEFORE_RE.search(before[: colon.start()])
                  or _PREPOSITION_END_RE.search(before[: colon.start()])
                  or _VERB_RE.search(before, 0, colon.start())):
        # "telling CNBC: '…'": CNBC listened; "in New Hampshire: '…'": a place; "Varga told reporters
        # as she toured Port Linden: '…'": a speech verb before the name has its own subject, who speaks
        colon = None
    object_word = _OBJECT_BEFORE_COLON_RE.search(before, 0, colon.start()) if colon else None
    if colon and object_word and object_word.group(1) not in ("and", "or"):
        # "Former secretary of state Jo Bayer:", "Mark Blumenthal and Jon Cohen:": a title or a pair of names
        described = any(w.lower().strip(".,") in _PERSON_NOUNS or w.lower().strip(".,") in _TITLE_WORDS
                        for w in before[: colon.start()].split()[-4:])
        if not described:
            colon = None  # "Trump slams Puerto Rico: '…'": the name is a verb's object, not who speaks
    return colon


# a reported clause whose own named subject thinks or feels the quotation that ends it ("that Benedict
# apparently feels that in today's world")
_REPORTED_THINKER_RE = re.compile(
    rf"\bthat[^\S\n]+({_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{0,3}})[^\S\n]+(?:[a-z]+ly[^\S\n]+)?"
    r"(?:feels|felt|believes|believed|thinks|thought|fears|feared|hopes|hoped|worries|worried)"
    r"[^\S\n]+that\b[^.;:!?\"\u201c\u201d]{0,80}$"
)


def _reported_thinker(before: str, vm: re.Match[str], resolver: _Resolver, verb: str, base: int,
                      s_start: int) -> tuple[str | None, float, str | None, bool] | None:
    """The named subject of a reported clause after the speech verb ``vm`` who feels or thinks the
    quotation ending ``before`` (the text from ``base``; ``s_start``: the sentence's start) ("Sylvia told
    host Jo Bayer that Benedict apparently feels that in today's world '…'"): the words are held by that
    subject, not the teller; None when there is none."""
    thinker = _REPORTED_THINKER_RE.search(before, vm.end())
    name = _clean_name(thinker.group(1)) if thinker else None
    if not thinker or not name:
        return None
    sp, conf, src = resolver.resolve(name, "name", verb, base + thinker.start(1), s_start)
    return (sp, min(conf, 0.6), src, False) if sp else None


def _colon_attribution(before: str, resolver: _Resolver, mark_pos: int,
                       s_start: int) -> tuple[str | None, float, str | None, bool] | None:
    """The attribution of a ``Kallas: «…»`` lead-in (:func:`_colon_lead_in`), or None."""
    colon = _colon_lead_in(before)
    name = _clean_name(colon.group(1)) if colon else None
    if not name:
        return None
    sp, conf, src = resolver.resolve(name, "name", "said", mark_pos, s_start)
    return sp, max(conf, 0.9) if sp else conf, src, True


# a headline opening on a name and a colon: "Hillary: Trump would 'have been indicted'"
_HEADLINE_LEAD_RE = re.compile(rf"({_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{0,2}})[^\S\n]*:[^\S\n]+")
#: The longest line read as a headline by :func:`_headline_lead_in`.
HEADLINE_MAX_CHARS = 200


def _headline_lead_in(body: str, resolver: _Resolver, q: _Raw, lo: int,
                      hi: int) -> tuple[str | None, float, str | None, bool] | None:
    """The person a headline opens on before a colon ("Hillary: Trump would '…' if he wasn't
    president"): the headline gives her words, quoted or not; None for any other line, a lead word that
    is no person the article names ("Report:", "Watch:"), or a speech verb of its own after the colon."""
    if hi - lo > HEADLINE_MAX_CHARS:
        return None  # (before the slice: a copy of a long paragraph per quotation would be quadratic)
    line = body[lo:hi].strip()
    if "\n" in line or line.rstrip("".join(ALL_MARKS)).endswith("."):
        return None
    lead = _HEADLINE_LEAD_RE.match(body, lo, q.mark_pos)
    if lead is None or _VERB_RE.search(body, lead.end(), q.mark_pos) or ":" in body[lead.end() : q.mark_pos]:
        return None
    words = lead.group(1).split()
    if words[0].lower() in _NON_NAME_STARTS or lead.group(1) in COUNTRIES_AND_STATES:
        return None  # "Why Smith: …", "Egypt: …": a question or a country, no person's words
    who = resolver.person_written_as(lead.group(1))
    return (who, 0.8, None, False) if who else None


# "what" opening a clause whose verb is a speech verb ("see what Mueller reports", "whatever she says"):
# the verb's subject is no one quoted
_FREE_RELATIVE_BEFORE_RE = re.compile(r"\bwhat(?:ever)?[^\S\n]+(?:[\w.'\u2019-]+[^\S\n]+){1,3}$", re.IGNORECASE)


_CLAUSE_GOES_ON_RE = re.compile(r"\b(?:and|but|or)\b|[,;:]")


# the start of a coordinate clause with a subject of its own: ", but Trump has …"
_COORDINATE_CLAUSE_RE = re.compile(r",[^\S\n]+(?:but|and|yet|while|whereas)[^\S\n]+(?=[A-Z])")


def _last_clause_subject(body: str, resolver: _Resolver, start: int, end: int) -> tuple[str, float] | None:
    """The named subject of the last coordinate clause in [start, end) (", but Trump has ramped up his
    criticism …"), when that name opens the clause and a verb follows it; else None."""
    last = max(_COORDINATE_CLAUSE_RE.finditer(body, start, end), key=lambda m: m.start(), default=None)
    if last is None:
        return None
    mentions = resolver.speakers.mentions
    k = bisect.bisect_left(mentions, (last.end(), ""))
    if k == len(mentions):
        return None
    off, name = mentions[k]
    written = _NAME_RE.match(body, off, end)
    if off != last.end() or written is None or not _VERB_AFTER_NAME_RE.match(body, written.end(), end):
        return None
    return name, 0.8


# a finite verb right after a clause's named subject ("Trump has ramped", "Trump slammed", "Trump also said")
_VERB_AFTER_NAME_RE = re.compile(
    r"[^\S\n]+(?:[a-z]+ly[^\S\n]+|also[^\S\n]+)?(?:has|had|is|was|would|will|[a-z]+ed|[a-z]+s)\b"
)


def _passed_over(before: str, vm: re.Match[str], verb: str, verbs: list[re.Match[str]]) -> bool:
    """Whether the speech verb ``vm`` before a quotation is no attribution of it, an earlier verb's:
    an outlet reporting ("'…,' she said, The Hill reported. '…'": the outlet relays what she said), or
    a free relative's verb whose clause ends before the quotation ("… should see what Mueller reports
    and spend …"; not "what McConnell called the '…'": his word)."""
    if verb in _REPORTING_VERBS and vm is not verbs[0]:
        return True
    return (_FREE_RELATIVE_BEFORE_RE.search(before, 0, vm.start()) is not None
            and _CLAUSE_GOES_ON_RE.search(before, vm.end()) is not None)


#: The characters before a quotation whose speech verbs may attribute it, and the most of those verbs
#: read, nearest first (see _attribution_for).
VERB_WINDOW = 1500
MAX_VERBS_BEFORE = 12


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
    dashed_name = _dash_attribution(body, q, lo, hi, after)
    if dashed_name:
        name = _clean_name(dashed_name)
        if name:
            sp, conf, src = resolver.resolve(name, "name", "said", after_start, s_start)
            return sp, max(conf, 0.9) if sp else conf, src, True
    found = _attribution_after(body, resolver, q, after, after_start, s_start, own_sentence_start)
    if found is not None:
        return found
    # 2. attribution before the opening mark in the same sentence: `Kallas said Putin got "…"`, `Kallas: «…»`
    before = body[s_start : q.mark_pos]
    named = (_colon_attribution(before, resolver, q.mark_pos, s_start)
             or _headline_lead_in(body, resolver, q, lo, hi)
             or _owner_of_words(body, resolver, q, s_start, after))
    if named is not None:
        return named
    # the speech verbs of the last VERB_WINDOW characters only: one further back in the sentence is no
    # attribution of this quotation, and reading the whole sentence per quotation was cubic on a paragraph
    # with no sentence end (34 KB: 209 s)
    base = max(s_start, q.mark_pos - VERB_WINDOW)
    before = body[base : q.mark_pos]
    verbs = list(_VERB_RE.finditer(before))
    for vm in reversed(verbs[-MAX_VERBS_BEFORE:]):
        verb = " ".join(vm.group().split())
        if verb in _QUESTION_VERBS and _ASKED_ABOUT_RE.match(before, vm.end()):
            # "Diamond asked Trump about his comment that it looked '…'": the words are the one asked's
            # own earlier words, never the asker's
            break
        if _passed_over(before, vm, verb, verbs):
            continue
        thinker = _reported_thinker(before, vm, resolver, verb, base, s_start)
        if thinker:
            return thinker
        subj = _verb_subject(before, vm, verb)
        if verb.endswith("ing") and (not subj or subj[1] != "pronoun"):
            chained = _chained_attribution(before, verbs, vm)
            if chained:
                # `…, Spicer said, adding, "…"`: the subject of the speech verb the participle follows
                sp, conf, src = resolver.resolve(chained[0], chained[1], chained[2], base + vm.start(), s_start)
                if sp:
                    return sp, conf * 0.95, src, False
            # "Sanders criticized the accord, saying it goes '…'": the sentence's subject speaks (the
            # last clause's after ", but": "Strzok was removed …, but Trump has ramped up …, saying")
            subject = (_last_clause_subject(body, resolver, s_start, base + vm.start())
                       or _sentence_subject(body, resolver, s_start, base + vm.start()))
            if subject:
                return subject[0], subject[1], None, False
            opening = _OPENING_PRONOUN_SUBJECT_RE.match(body, s_start, base + vm.start())
            if (opening and _PARTICIPLE_AFTER_CLAUSE_RE.search(body, base, base + vm.start())
                    and not _INNER_CLAUSE_RE.search(body, opening.end(), base + vm.start())):
                # "He sent an e-mail to members, saying he hoped it would '…'": the pronoun subject speaks
                sp, conf, src = resolver.resolve(opening.group(1), "pronoun", verb, opening.start(1), s_start)
                if sp:
                    return sp, conf * 0.95, src, False
        if subj:
            sp, conf, src = resolver.resolve(subj[0], subj[1], verb, base + vm.start(), s_start)
            return sp, conf * 0.95, src, False
    # 3. no attribution: the person the sentence is about (the previous sentence's, in the same
    # paragraph, when the quotation opens its sentence: `Vik spoke on Monday. "…"`)
    about = _sentence_person(body, resolver, s_start, q.mark_pos)
    if about:
        return about[0], about[1], about[2], False
    if not body[lo : q.mark_pos].strip():
        # a paragraph that opens with a quotation and names no one: the previous paragraph's speaker
        # goes on (news style); elsewhere an unattributed quotation stays unknown (unknown beats wrong)
        who = resolver.speakers.last_speaker(q.mark_pos)
        if who and resolver.speakers.spoke_since(lo - 600, q.mark_pos, who):
            return who, 0.45, None, False
    return None, 0.0, None, False


# Nouns for someone's spoken or written words: "Obama's comment that '…'", "his '…' remark"
_WORDS_NOUNS = (r"comments?|remarks?|words|statements?|claims?|assertions?|tweets?|quips?|responses?|reply|"
                r"answers?|descriptions?|characterization|warnings?|promises?|pledges?|vows?|insistence|"
                r"admission|declaration|retort|boasts?|jabs?|taunts?|slogans?|refrain|mantra|catchphrase|"
                r"accusations?|predictions?|assessment|observation|line")
# the owner of the words, right before them, then a day at most and a mark or "that" up to the quotation
# ("President Obama's comments Friday that the '…'", "Obama's comment —that '…'"; not "Jo Bayer's
# comments '…'": the words say what the comments do)
# ("the president's"): someone described, group 3
_DESCRIBED_OWNER = rf"\bthe[^\S\n]+((?:[a-z-]+[^\S\n]+){{0,2}}(?:{_OWNED_ROLES}|president|senator|governor))"
# the owner itself: a possessive pronoun (group 1), a name and its "'s" (group 2), a description (group 3)
_OWNER = rf"(?:\b(his|her)|({_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{0,3}})['\u2019]s|{_DESCRIBED_OWNER}['\u2019]s)"
_OWNER_OF_WORDS_BEFORE_RE = re.compile(
    rf"{_OWNER}[^\S\n]+"
    rf"(?:(?:now-)?(?:famous|infamous|latest|earlier|recent|controversial|widely|derided|oft-repeated|"
    rf"first|initial|original|own|new|previous)[^\S\n]+)?(?:{_WORDS_NOUNS})"
    rf"(?:[^\S\n]+(?:on[^\S\n]+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|[^\S\n]+last[^\S\n]+week)?"
    rf"(?:[^\S\n]*(?:[,:\u2014\u2013]|--)[^\S\n]*(?:that[^\S\n]+)?|[^\S\n]+that[^\S\n]+)(?:(?:the|a|an)[^\S\n]+)?$"
)
# the owner before the quotation and the noun after it: "his 'the private sector is doing fine' comment"
_OWNER_BEFORE_RE = re.compile(rf"{_OWNER}[^\S\n]+$")
_WORDS_NOUN_AFTER_RE = re.compile(rf"[^\S\n]*(?:{_WORDS_NOUNS})\b")
_THAT_END_RE = re.compile(r"\bthat[^\S\n]+(?:(?:the|a|an)[^\S\n]+)?$")
# a preposition right before the owner: the words noun is what the sentence's speaker talks about
_TOPIC_PREPOSITION_END_RE = re.compile(r"\b(?:of|about|on|over|regarding|concerning)[^\S\n]+$")


def _owner_of_words(body: str, resolver: _Resolver, q: _Raw, s_start: int,
                    after: str) -> tuple[str | None, float, str | None, bool] | None:
    """The person whose words a noun says the quotation is: "Obama's comment that '…'", "his '…'
    remark" (the pronoun resolved); None when no such owner is written."""
    before = body[max(s_start, q.mark_pos - 200) : q.mark_pos]
    found = _OWNER_OF_WORDS_BEFORE_RE.search(before)
    if (found is not None and not _THAT_END_RE.search(found.group())
            and _TOPIC_PREPOSITION_END_RE.search(before, max(0, found.start() - 20), found.start())):
        return None  # `Reyes said of Bakely's comments, "…"`: the comments are the topic, the words Reyes's
    if found is None and _WORDS_NOUN_AFTER_RE.match(after):
        found = _OWNER_BEFORE_RE.search(before)
    if found is None:
        return None
    pos = q.mark_pos - len(before) + found.start()
    owner_named = None
    if found.group(1):
        # "Mr. Trump's temperament came under scrutiny: he was challenged over his statement that '…'":
        # the one whose name the sentence wrote with an "'s" before (such names are no mentions)
        # (looked for in a bounded window: a scan from the sentence's start per quotation is quadratic
        # on one long paragraph with no sentence end)
        owner_named = max(_POSSESSIVE_NAME_RE.finditer(body, max(s_start, pos - 300), pos),
                          key=lambda m: m.start(), default=None)
        owner_name = _clean_name(owner_named.group()[:-2]) if owner_named else None
        if not owner_name or not resolver.speakers.canonical(owner_name):
            owner_named = None  # "the Republican Party's": no one the article named
    if found.group(1) and owner_named is None:
        sp, conf, src = resolver.resolve("he" if found.group(1) == "his" else "she", "pronoun", "said", pos, s_start)
    elif found.group(3):
        described = f"the {found.group(3)}"
        sp, conf, src = resolver.resolve(described, "description", "said", pos, s_start)
        own_person = resolver.speakers.first_person_between(s_start, pos)
        if sp and sp == own_person:
            # "Flake rejected the president's claim that '…'": the sentence's own person is not the
            # one it describes; the one the article titles so, if anyone
            sp = resolver.speakers.titled_actor(pos, described)
            if sp is None or sp == own_person:
                return None, 0.0, None, False  # no one else: unattributed, not the naming verb's subject
    else:
        name = _clean_name(owner_named.group()[:-2] if owner_named else found.group(2))
        if not name or name in COUNTRIES_AND_STATES:
            return None  # "America's promise that '…'": a country speaks through no one named
        sp, conf, src = resolver.resolve(name, "name", "said", pos, s_start)
    if not sp:
        return None
    return sp, min(conf, 0.8), src, False


# "As Jo Bayer put it,", "As The Post's Jo Bayer puts it,": the person named says the quotation that follows
_AS_PUT_IT_RE = re.compile(
    rf"\bAs\s+((?:{_NAME_WORD}[^\S\n]+){{0,5}}{_NAME_WORD})[^\S\n]+(?:has\s+|once\s+|later\s+)?"
    rf"(?:put|puts)[^\S\n]+it\b[^.;:!?\"\u201c\u201d]{{0,120}},"
)
# two people as one subject: "both Obama and Clinton referred to …", "Obama and Clinton both called …"
_JOINT_SUBJECT_RE = re.compile(
    rf"\bboth[^\S\n]+{_NAME_WORD}(?:[^\S\n]+{_NAME_WORD})*[^\S\n]+and[^\S\n]+{_NAME_WORD}"
    rf"|{_NAME_WORD}[^\S\n]+and[^\S\n]+{_NAME_WORD}(?:[^\S\n]+{_NAME_WORD})*[^\S\n]+both\b"
)


#: How far into its sentence two people opening it as one subject may stand (after an opening phrase).
_JOINT_SUBJECT_REACH = 300


def _joint_subject(body: str, s_start: int, mark_pos: int) -> bool:
    """Whether the sentence in [s_start, mark_pos) has two people as its subject: opening it or
    right after an opening phrase and its comma ("In their remarks, both Obama and Clinton …"), not
    as an object ("Trump attacked both Pelosi and Schumer as …")."""
    for m in _JOINT_SUBJECT_RE.finditer(body, s_start, min(mark_pos, s_start + _JOINT_SUBJECT_REACH)):
        before = body[s_start : m.start()].rstrip()
        if not before or before.endswith(","):
            return True
    return False


# a passive "accused of" right before the quotation: "Biden accused of", "who was accused of having"
_ACCUSED_OF_BEFORE_RE = re.compile(
    rf"(?:\b(?:is|was|were|are|been|being|be)|{_NAME_WORD})[^\S\n]+accused[^\S\n]+of[^\S\n]+"
    r"(?:(?:[a-z]+ing|a|an|the|his|her|their|its)[^\S\n]+){0,2}$"  # (not "accused of bias calls report")
)


def _sentence_person(body: str, resolver: _Resolver, s_start: int,
                     mark_pos: int) -> tuple[str, float, str | None] | None:
    """(speaker, confidence, cited_source) of a quotation with no speech verb of its own, from its
    sentence before the opening mark: the idiom "As Jo Bayer put it," or the person the sentence is
    about; a person named further in than the sentence's subject may be an object ("… mocks Jo Bayer
    as a farmer 'who never …'"), weaker evidence than the subject."""
    near = max(s_start, mark_pos - VERB_WINDOW)  # (scans of a long sentence stop there: see VERB_WINDOW)
    as_put = _AS_PUT_IT_RE.search(body, near, mark_pos)
    put_name = _clean_name(as_put.group(1)) if as_put else None
    if as_put and put_name:
        # "As Ms. Simonyan put it in a statement, RT is '…'": the idiom names who said it
        sp, conf, src = resolver.resolve(put_name, "name", "said", as_put.start(), s_start)
        if sp:
            return sp, conf * 0.9, src
    if _ACCUSED_OF_BEFORE_RE.search(body, near, mark_pos):
        return None  # "Biden accused of 'poisoning the well'": the accuser's words, the accuser unnamed
    marks = _MARKS_OPENING_RE.match(body, s_start, mark_pos)  # (the quotation closing the sentence before)
    start = marks.end() if marks else s_start
    opening = _INTRODUCTORY_RE.match(body, start, mark_pos)
    pronoun = _PRONOUN_SUBJECT_VERB_RE.match(body, opening.end() if opening else start, mark_pos)
    if (pronoun and resolver.speakers.first_person_between(s_start, pronoun.start(1)) is None
            and not _INNER_CLAUSE_RE.search(body, max(pronoun.end(), near), mark_pos)
            and not _POSSESSIVE_NAME_RE.search(body, max(pronoun.end(), near), mark_pos)):  # "welcomed X's call"
        # "On Sunday, he blamed his predecessor, former President Obama, for not ending '…'": the
        # pronoun subject's words, not the object's (but "…, in which he talked": maybe the inner clause's)
        sp, conf, src = resolver.resolve(pronoun.group(1), "pronoun", "said", pronoun.start(1), s_start)
        if sp:
            return sp, min(conf, 0.5), src
    who = resolver.speakers.first_person_between(s_start, mark_pos)
    owned = _owned_role_subject(body, resolver, s_start, mark_pos) if who else None
    if owned:
        # "President Jo Bayer's former adviser urged lawmakers not to promote '…'": the adviser's words,
        # who is the person the next sentence opens on, when it opens on someone else than the owner
        named = _named_next(body, resolver, mark_pos)
        return named if named and named != who else owned, 0.5, None
    if not who or _joint_subject(body, s_start, mark_pos):
        return None  # "both Obama and Clinton referred to the shooting as an '…'": two people, no one speaker
    subject = _sentence_subject(body, resolver, s_start, mark_pos)
    if subject and subject[1] >= 0.8:
        return subject[0], 0.5, None  # "Even before Francis' remarks, Mr. Trump had …": Trump
    return who, 0.5 if subject else 0.4, None


# a role someone owns as a clause's subject, then its verb: "'s former Russia adviser urged"
_OWNED_ROLE_SUBJECT_RE = re.compile(
    rf"['\u2019]s?[^\S\n]+(?:[\w-]+[^\S\n]+){{0,3}}?(?:{_OWNED_ROLES})(?=[^\S\n]+(?:[a-z]+ly[^\S\n]+)?[a-z]+(?:ed|s)\b)"
)


def _owned_role_subject(body: str, resolver: _Resolver, s_start: int, mark_pos: int) -> str | None:
    """The description ("Jo Bayer's former adviser") when the first person named in [s_start,
    mark_pos) is the owner of a role that is the clause's subject, right before its verb."""
    mentions = resolver.speakers.mentions
    k = bisect.bisect_left(mentions, (s_start, ""))
    if k == len(mentions) or mentions[k][0] >= mark_pos:
        return None
    off = mentions[k][0]
    written = _NAME_RE.match(body, off, mark_pos)
    if written is None or not written.group().endswith(("'s", "\u2019s", "s'", "s\u2019")):
        return None
    owner_end = written.end() - (2 if written.group().endswith(("'s", "\u2019s")) else 1)
    role = _OWNED_ROLE_SUBJECT_RE.match(body, owner_end, mark_pos)
    if role is None:
        return None
    return " ".join(body[off : role.end()].split())


def _named_next(body: str, resolver: _Resolver, pos: int) -> str | None:
    """The person the sentence after the one at ``pos`` opens on, speaking or testifying ("… not to
    promote '…'. Fiona Hill spoke on …")."""
    end = _SENTENCE_END_RE.search(body, pos)
    if end is None:
        return None
    mentions = resolver.speakers.mentions
    k = bisect.bisect_left(mentions, (end.end(), ""))
    if k == len(mentions) or mentions[k][0] != end.end():
        return None
    written = _NAME_RE.match(body, end.end())
    if written is None or not _SPEAKS_NEXT_RE.match(body, written.end()):
        return None  # "Ida Holm, the council leader, rejected the warning": someone answering, maybe
    return mentions[k][1]


_SENTENCE_END_RE = re.compile(r"[.!?][\"'\u201d\u2019]*\s+(?=[A-Z])")
# Speaking right after a name ("Fiona Hill spoke on", "Jo Bayer testified")
_SPEAKS_NEXT_RE = re.compile(
    rf"[^\S\n]+(?:[a-z]+ly[^\S\n]+|also[^\S\n]+)?(?:spoke|speaks|testified|testifies|{SPEECH_VERBS})\b")
# A name owning something ("Jo Bayer's decision to call the plan …"): whose words may follow
_POSSESSIVE_NAME = r"\b[A-Z][\w-]*['\u2019]s"
_POSSESSIVE_NAME_RE = re.compile(rf"{_POSSESSIVE_NAME}\b")
# the same right before a quotation's opening mark: the words are that someone's (see quotes._cue_subject)
OWNER_RIGHT_BEFORE_RE = re.compile(rf"{_POSSESSIVE_NAME}[^\S\n]*$")
_MARKS_OPENING_RE = re.compile(r"[\s\"'\u201c\u201d\u2018\u2019]*")
# A pronoun subject and its verb opening a clause ("he blamed", "She also accused")
_PRONOUN_SUBJECT_VERB_RE = re.compile(r"[^\S\n]*(?:(?:But|And|So|Yet|Then|Still|Later)[^\S\n]+)?(He|She|he|she)"
                                      r"[^\S\n]+(?:[a-z]+ly[^\S\n]+|also[^\S\n]+|then[^\S\n]+)?[a-z]+ed\b")


# A party word as an apposition ("a Republican", "the Democrat", "a Colorado Republican")
_PARTY_APPOSITION_RE = re.compile(
    r"(?:a|an|the)\s+(?:[A-Z][\w.-]*\s+){0,2}(?:Republican|Democrat|Independent|Libertarian)", re.IGNORECASE
)


# A sentence opening on a pronoun subject ("He sent …", "But she told …") and the comma or conjunction
# that chains a participle of speech onto its clause (", saying", "and saying"): the pronoun speaks.
_OPENING_PRONOUN_SUBJECT_RE = re.compile(r"\s*(?:(?:But|And|So|Yet|Then|Still|Later)\s+)?(He|She)\b")
_PARTICIPLE_AFTER_CLAUSE_RE = re.compile(r"(?:,|\band|\bby|\bbefore|\bafter|\bwhile)\s*$")
# A clause with a subject of its own before the participle ("He raised Romney's remarks, in which he
# talked …, claiming …"): the participle may be that clause's, not the opening pronoun's
_INNER_CLAUSE_RE = re.compile(r"\b(?:which|who|whom|whose|where|when|because|after|while|if|since)\s")


# An introductory adverbial phrase opening a sentence, up to its comma ("During a speech in Ohio, ").
_INTRODUCTORY_RE = re.compile(
    r"\s*(?:During|After|Before|In|On|At|When|While|As|Since|Speaking|Asked|Earlier|Later|Last|Meanwhile|"
    r"However|Still|Also|Then|Instead|Addressing|Campaigning|Appearing)\b[^,.;:!?\"\u201c\u201d\n]{0,120},\s*"
)
# "with" and a name right before a participle: the participle's own subject ("with Jo Bayer saying")
_WITH_SUBJECT_BEFORE_RE = re.compile(
    rf"(?:^|[,;\u2013\u2014][^\S\n]*)[Ww]ith[^\S\n]+((?:{_NAME_WORD}[^\S\n]+){{1,5}})$"
)


def _chained_attribution(before: str, verbs: list[re.Match[str]],
                         participle: re.Match[str]) -> tuple[str, str, str] | None:
    """(subject, kind, verb) of the speech verb a participle chains onto (``Spicer said, adding,``,
    ``said Jo Bayer, noting that``, ``Graham said on "Morning Joe," adding``), or None when the
    participle follows no speech verb of its own clause; the participle's own subject after "with"
    (``…, with Vice President Pence saying``) first."""
    own = _WITH_SUBJECT_BEFORE_RE.search(before, max(0, participle.start() - 80), participle.start())
    name = _clean_name(own.group(1)) if own else None
    if name:
        return name, "name", " ".join(participle.group().split())
    k = verbs.index(participle)
    if k == 0:
        return None
    previous = verbs[k - 1]
    between = before[previous.end() : participle.start()]
    ends_with_comma = between.rstrip().rstrip("\"\u201d'\u2019").endswith(",")  # `on "Morning Talk," adding`
    if not ends_with_comma or re.search(r"[.!?;:]\s", between) or len(between.split()) > 8:
        return None
    verb = " ".join(previous.group().split())
    if verb.endswith("ing") or verb in _SOURCE_VERBS:
        return None
    subject = _subject_left(before[: previous.start()])
    if (subject is None and verb not in _LISTENER_VERBS and verb not in _OBJECT_VERBS
            and _NAME_RE.fullmatch(between.strip(" ,"))):
        subject = _subject_right(between)  # "said Jo Bayer, adding"
    return (subject[0], subject[1], verb) if subject else None


# a sentence opening on a description (after the closing mark of a quotation ending the sentence before)
_DESCRIBED_SUBJECT_RE = re.compile(
    r"[\s\"'\u201c\u201d\u2018\u2019]*(?:the|this|that)\s+((?:[\w\u2019'-]+\s+){0,2}?([\w-]+))\b", re.IGNORECASE
)


# a verb right after a sentence's opening description ("The president called", "The senator on Monday
# said"), not a name in apposition ("The Florida senator Marco Rubio") nor a possessive ("The president's")
_VERB_AFTER_DESCRIPTION_RE = re.compile(r"[^\S\n]+(?:(?:on|last|this)[^\S\n]+[A-Z][a-z]+[^\S\n]+|[a-z]+ly[^\S\n]+)?"
                                        r"(?!(?:of|and|or|who|whose|for|at|in|from|with)\b)[a-z]+(?:ed|s)\b")


# a name used as a modifier of the role of someone named right after it ("Trump lawyer Rudy Giuliani",
# "Clinton campaign manager Robby Mook"); the words before the role are no verb or function word: in
# "Smith thanked adviser Jo Bayer for …", "Smith met lawyer Jo Bayer", Smith is the subject
_NOT_A_VERB = (r"(?![a-z]+ed\b|[a-z]*[^\Ws]s\b|(?:and|or|but|to|as|for|with|at|by|of|on|in|from|will|would|can|could"
               r"|may|might|must|should|did|had|met|told|sent|made|took|gave|won|saw|let|got|hit|cut|put|led|left|"
               r"became|chose)\b)")
_NAME_AS_MODIFIER_RE = re.compile(
    rf"[^\S\n]+(?:{_NOT_A_VERB}[a-z][\w-]*[^\S\n]+){{0,2}}?(?:{_OWNED_ROLES})[^\S\n]+(?=[A-Z])"
)


def _sentence_subject(body: str, resolver: _Resolver, start: int, end: int) -> tuple[str, float] | None:
    """The person a sentence is about, from its opening words: a name there (``Sanders criticized
    …``), or a description (``The president left no doubt …``) resolved to an earlier person. A name
    further in is an object (``… helping Mrs. Clinton …``), not the speaker: None then."""
    speakers = resolver.speakers
    words_allowed = 3
    marks = _MARKS_OPENING_RE.match(body, start, end)  # (the quotation closing the sentence before)
    start = marks.end() if marks else start
    intro = _INTRODUCTORY_RE.match(body, start, end)
    if intro:
        start = intro.end()  # "During a speech on Monday, Trump attacked …": the subject follows the comma
    described = _DESCRIBED_SUBJECT_RE.match(body, start, end)
    if (described and described.group(2).lower() in _PERSON_NOUNS
            and _VERB_AFTER_DESCRIPTION_RE.match(body, described.end(), end)):
        # "The president called Haley a 'very special' person, saying …": the description is the
        # subject, the name after its verb an object
        gender = description_gender(described.group(1))
        who = speakers.recent_actor(start, gender) or speakers.last_person_before(start, gender)
        return (who, 0.6) if who else None
    mentions = speakers.mentions
    # (from the first mention at ``start``: a scan of every mention of the article per call was quadratic)
    for off, name in itertools.islice(mentions, bisect.bisect_left(mentions, (start, "")), None):
        if off >= end or len(_WORD_RE.findall(body, start, off)) > words_allowed:
            break
        written = _NAME_RE.match(body, off, end)
        if written and written.group().endswith(("\u2019s", "'s", "s'", "s\u2019")):
            # "Hillary Clinton's campaign manager Robby Mook said …": the owner is not the subject
            words_allowed = len(_WORD_RE.findall(body, start, written.end())) + 4
            continue
        modifier = _NAME_AS_MODIFIER_RE.match(body, written.end(), end) if written else None
        if modifier:
            # "Trump lawyer Rudy Giuliani brought …": the name says whose lawyer; the one named next is
            words_allowed = len(_WORD_RE.findall(body, start, modifier.end())) + 4
            continue
        return name, 0.8
    described = _DESCRIBED_SUBJECT_RE.match(body, start, end)
    if described and described.group(2).lower() in _PERSON_NOUNS:
        gender = description_gender(described.group(1))  # "The congresswoman defended …": a woman
        who = speakers.recent_actor(start, gender) or speakers.last_person_before(start, gender)
        if who:
            return who, 0.6
    return None


def _register_speech_events(body: str, resolver: _Resolver,
                            quote_spans: list[tuple[int, int]]) -> list[tuple[int, str, str, str]]:
    """Speech verbs outside quotes with their subjects, in text order (to resolve later pronouns)."""
    events = []
    inside = sorted(quote_spans)
    starts = [a for a, _ in inside]
    for vm in _VERB_RE.finditer(body):
        pos = vm.start()
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and inside[k][0] <= pos < inside[k][1]:
            continue
        # the last 200 characters of the line before the verb (looked for from the verb back: a scan
        # from the line's start per verb was quadratic on one huge line)
        window = max(0, pos - 200)
        newline = body.rfind("\n", window, pos)
        before = body[newline + 1 if newline != -1 else window : pos]
        verb = " ".join(vm.group().split())
        according = verb == "according to"
        subj = _subject_right(body[vm.end() : vm.end() + 80]) if according else _subject_left(before)
        if subj and subj[1] == "name" and not according:
            at = before.rfind(subj[0])
            if at > 0 and _REPORTED_SUBJECT_BEFORE_RE.search(before, 0, at):
                continue  # "He said Trump asked him to stay": Trump asks inside his report, he spoke
        if subj:
            events.append((pos, subj[0], subj[1], verb))
    return events


# a speech verb and "that" right before a clause's subject: the clause is the speech's report
_REPORTED_SUBJECT_BEFORE_RE = re.compile(
    rf"\b(?:{SPEECH_VERBS})[^\S\n]+(?:that,?[^\S\n]+(?:[^,.;:!?\n]{{1,40}},[^\S\n]+)?)?$"  # "noted that, in 2008, X"
)
