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
  resolve to the last named speaker of their gender (said by an honorific, a given name, a
  description's noun, else learnt from earlier pronouns). ``speaker_confidence`` says how direct
  the evidence was.

The work is split along its jobs: :mod:`~briefreader.core.quote_pairing` pairs the marks,
:mod:`~briefreader.core.quote_names` knows names and speech verbs, :mod:`~briefreader.core.quote_attribution`
finds speakers; this module joins them into :class:`Quote` records. Pure functions, no I/O.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from typing import Any

from briefreader.core.model import OffsetMap
from briefreader.core.quote_attribution import (
    OWNER_RIGHT_BEFORE_RE,
    VERB_WINDOW,
    _attribution_for,
    _register_speech_events,
    _Resolver,
    introduced,
)
from briefreader.core.quote_names import (
    _PREPOSITION_END_RE,
    _PRONOUNS,
    _SENTENCE_START_RE,
    _SMALL_WORDS,
    _SOURCE_VERBS,
    _VERB_RE,
    SPEECH_VERBS,
    _sentence_bounds,
)
from briefreader.core.quote_pairing import (
    _MARK_RE,
    _WORD_RE,
    ALL_MARKS,
    DOUBLE_MARKS,
    _double_apostrophes_as_marks,
    _mask_abbreviation_dots,
    _pair_marks,
    _paragraphs,
    _Raw,
)

#: A speaker attributed with less confidence than this is shown as uncertain (CLI table, reader, brief).
UNCERTAIN_SPEAKER_BELOW = 0.6



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


# ---------------------------------------------------------------------------------------------
# Scare quotes

_SO_CALLED = re.compile(r"(?:so[\s-]called|dubbed|termed|labell?ed|branded|known as|the word|the term|the phrase)\s*$",
                        re.IGNORECASE)


# A named person, then a verb naming what the quoted words call something, right before the
# quotation: `Trump called the senator a "…"`, `which Mr. Trump called "…"`, `Ray Pell describes himself
# as "…"`, `Ada Kross has long derided the plan as "…"`. The words between the verb and the mark are its
# object (`called for "…"`, `called on them to be "…"` are other verbs).
_CUE_BEFORE_RE = re.compile(
    r"(?:^|[\s,(\u2014])(?P<subject>[A-Z][\w\u2019'.-]*(?:[^\S\n]+[A-Z][\w\u2019'.-]*){0,3}|he|she)[^\S\n]+"
    r"(?:(?:has|had|have|also|once|then|later|again|repeatedly|previously|publicly|[a-z]+ly)[^\S\n]+){0,2}"
    r"(?:(?:called|calls|dubbed|dubs|labell?ed|labels|branded|brands|termed|terms|deemed|deems)"
    r"(?![^\S\n]+(?:for|on|upon|in|off|out|up|back|to|into)\b)"
    r"|(?:described|describes|dismissed|dismisses|denounced|denounces|derided|derides|characteri[sz]e[sd]|"
    r"hailed|hails|touted|touts|decried|decries)(?:[^\S\n]+[\w\u2019'-]+){1,5}?[^\S\n]+as)"
    r"(?:[^\S\n]+[\w\u2019'-]+){0,5}?[^\S\n]*$"
)


#: Confidence of a speaker named right before a naming verb when the attribution found someone else.
_CUE_CONFIDENCE = 0.8
#: Confidence of a pronoun subject of a naming verb (`He called it "…"`), resolved as for any quotation.
_CUE_PRONOUN_CONFIDENCE = 0.7

# A sentence's end inside what the naming-verb pattern read as its subject (the masked body keeps no
# title's or initial's dot): the subject is what follows it.
_SUBJECT_SENTENCE_END_RE = re.compile(r".*[.!?][\"'\u201d\u2019)]*\s+", re.DOTALL)

# A relative pronoun right before a pronoun subject (`Cal Ortiz, whom he called "…"`): the name before it
# is the verb's object, never the pronoun's person.
_RELATIVE_BEFORE_PRONOUN_RE = re.compile(r"(?:who|whom|which|that)[^\S\n]*$")


def _cue_subject(body: str, mark_pos: int, lo: int, resolver: _Resolver) -> tuple[str, float] | None:
    """(person, confidence) of the subject of a naming verb right before the quote at ``mark_pos``
    (:data:`_CUE_BEFORE_RE`), whose words the quote then are, not the writer's label; None when there
    is no such verb or its subject is no known person (`Critics called it a "…"`). A pronoun subject
    (`He called it "…"`, `a fight he called "…"`) resolves as the pronoun of any attribution does, but
    never to a person named as the verb's object (`Cal Ortiz, whom he called "…"`, `he called Mr. Ortiz
    a "…"`): unknown then."""
    window_start = max(lo, mark_pos - 120)
    window = body[window_start:mark_pos]
    match = _CUE_BEFORE_RE.search(window)
    if match is None or OWNER_RIGHT_BEFORE_RE.search(window):
        return None  # `Reyes called Korver's "loser raider" tweets unhelpful`: Korver's words, not hers
    subject = match.group("subject")
    subject_at = window_start + match.start("subject")
    sentence_end = _SUBJECT_SENTENCE_END_RE.search(subject)
    if sentence_end is not None:  # `… on Monday. He called it "…"`: the subject is the new sentence's
        subject_at += sentence_end.end()
        subject = subject[sentence_end.end() :]
    elif _PREPOSITION_END_RE.search(window, 0, match.start("subject")):
        return None  # `A reporter for Agence France-Presse called it "…"`: the name is no subject
    if subject not in _PRONOUNS:
        canonical = resolver.speakers.canonical(subject)
        return (canonical, _CUE_CONFIDENCE) if canonical else None
    if subject.lower() not in ("he", "she"):
        return None
    sentence_start, _ = _sentence_bounds(body, subject_at, lo, mark_pos)
    who, confidence, _source = resolver.resolve(subject, "pronoun", "called", subject_at, sentence_start)
    if who is None or confidence < _CUE_PRONOUN_CONFIDENCE:
        return None
    objects = {name for offset, name in resolver.speakers.mentions if subject_at < offset < mark_pos}
    relative = _RELATIVE_BEFORE_PRONOUN_RE.search(body, max(lo, subject_at - 12), subject_at)
    if relative is not None:
        named_before = [name for offset, name in resolver.speakers.mentions if lo <= offset < relative.start()]
        objects.update(named_before[-1:])
    return None if who in objects else (who, _CUE_PRONOUN_CONFIDENCE)


#: The most words of a partial quote in narration whose naming verb's subject is its speaker.
_PARTIAL_WORDS = 6

#: The least confidence of a speaker found by a speech verb before a short quote (a name: 0.9, a
#: participle's sentence subject: 0.8, a pronoun: 0.66) for the quote to be that person's words.
_REPORTED_CONFIDENCE = 0.6

# The writer naming a word, not a person using it: `avoided the term "…"`, `refused to say the words
# "…"`, `a price tag, referred to as a "…"`, `the hashtag "…"`.
_TERM_BEFORE_RE = re.compile(
    r"(?:\b(?:the|a|that|this|his|her|their)\s+(?:words?|terms?|phrases?|expressions?|labels?|slogans?|hashtags?|"
    r"nicknames?|names?|headlines?|title|motto|buzzwords?)"
    r"|\b(?:referred\s+to|known|described|billed|marketed|branded)\s+as(?:\s+(?:an?|the))?"
    r"|\bnicknamed)\s*[,:]?\s*$",
    re.IGNORECASE,
)

# A speech verb in a stretch of narration (the words before a short quote, after its sentence's start).
_SPEECH_VERB_IN_RE = _VERB_RE

# `called for` / `called on`: a demand, not a naming or a statement.
_CALLED_FOR_RE = re.compile(r"call(?:ed|s|ing)?\s+(?:for|on|upon)\b")

# What may stand right before a participle of speech whose subject is the sentence's (`…, saying`,
# `Saying`, `by saying`, `and telling`), as opposed to one with a subject of its own (`with Jo Bayer saying`).
_PARTICIPLE_LEAD_RE = re.compile(
    r"(?:^|[,;:(\u2014\u2013][\"'\u201d\u2019]?|\b(?:and|by|after|before|while|when|without|in|also|then|repeatedly|publicly))\s*$"
)

# A subordinate clause with a subject of its own after the speech verb (`after she blamed …`, `when Bo
# Lind said …`): a short quote there belongs to that clause's subject.
_OWN_SUBJECT_CLAUSE_RE = re.compile(
    r"\b(?:after|before|when|while|because|since|although|though|unless|whereas|until)[^\S\n]+"
    r"(?P<subject>he|she|they|[A-Z][\w\u2019'.-]*)\b"
)

def _same_person_goes_on(clause: re.Match[str], speaker: str, object_start: int, resolver: _Resolver) -> bool:
    """Whether the subject of a subordinate clause (:data:`_OWN_SUBJECT_CLAUSE_RE`) is the speaker
    again: their name, or a pronoun resolving to them with nobody else named since the speech verb
    (`Jo Vega said … when she referred to his "…"`; not `Jo Vega described Bo Lind as … after he …`)."""
    subject = clause.group("subject")
    if subject.lower() in ("he", "she"):
        if any(object_start <= offset < clause.start() and name != speaker
               for offset, name in resolver.speakers.mentions):
            return False
        who, _confidence, _source = resolver.resolve(subject, "pronoun", "said", clause.start("subject"),
                                                     clause.start())
        return who == speaker
    return resolver.speakers.canonical(subject) == speaker


# Someone else's words named in the narration before a short quote, their content following: `Bo Lind's
# claim that …`, `Mr. Lind's apology and promise to …` (the quote is the owner's, not the sentence
# subject's); `Lind's comments were "…"` judges the words, it quotes the judge.
_OWNED_WORDS_RE = re.compile(
    r"\b([A-Z][\w.-]*(?:[^\S\n]+[A-Z][\w.-]*){0,3})(?:'s|\u2019s|s'|s\u2019)[^\S\n]+(?:[a-z-]+[^\S\n]+){0,2}?"
    r"(?:claims?|remarks?|comments?|statements?|words|calls?|descriptions?|promises?|pledges?|vows?|demands?|"
    r"assertions?|arguments?|accusations?|tweets?|insistence|suggestions?|threats?|warnings?|contentions?|"
    r"charges?|allegations?|apolog(?:y|ies)|description|characteri[sz]ation|rhetoric|speech|message|letter|"
    r"interjections?|quips?|boasts?|retorts?|jokes?|posts?)"
    r"[^\S\n]+(?:that|to|for|of|about|as)\b"  # their content follows (not `Lind's comments were "…"`)
)


def _reported_by_person(body: str, r: _Raw, lo: int, text: str, speaker: str | None, confidence: float,
                        resolver: _Resolver) -> bool:
    """Whether the short quote ``r`` lies in a person's reported speech: a speech verb before it in its
    sentence names a known person (a name, or a pronoun resolved to one) at
    :data:`_REPORTED_CONFIDENCE` or more (`Jo Vega said the charge was "politically motivated"`, `He
    said he would seek "spiritual guidance"`). The writer naming a word (`avoided the term "…"`) and a
    lone capitalised word (a title or a name: `said on "Hardball"`) stay scare quotes."""
    if speaker is None or confidence < _REPORTED_CONFIDENCE or resolver.speakers.canonical(speaker) != speaker:
        return False
    words = _WORD_RE.findall(text)
    if len(words) == 1 and words[0][:1].isupper():
        return False
    sentence_start, _ = _sentence_bounds(body, r.mark_pos, lo, r.mark_pos)
    # (the last VERB_WINDOW characters of the sentence, as for attribution: a scan of a whole paragraph
    # with no sentence end per quotation was quadratic)
    sentence_start = max(sentence_start, r.mark_pos - VERB_WINDOW)
    before = body[sentence_start : r.mark_pos]
    if _TERM_BEFORE_RE.search(before):
        return False
    verbs = list(_SPEECH_VERB_IN_RE.finditer(before))
    if not verbs:
        return False
    last = verbs[-1]
    if _CALLED_FOR_RE.match(before, last.start()):
        return False  # `has called for a "reset"`: a demand, maybe in the writer's word
    if last.group().endswith("ing") and not _PARTICIPLE_LEAD_RE.search(before, 0, last.start()):
        return False  # `with the Russian leader saying they reached an "understanding"`: its own subject
    owner = _OWNED_WORDS_RE.search(before)
    if owner is not None and resolver.speakers.canonical(owner.group(1)) != speaker:
        return False  # `blasting Bo Lind's claim that the town caused the "root causes"`: Lind's words
    # the speaker named after the last speech verb is its object (`refuses to describe the Acme Group
    # as "…"`), not the person whose words the quote are
    object_start = sentence_start + last.end()
    clause = _OWN_SUBJECT_CLAUSE_RE.search(body, object_start, r.mark_pos)
    if clause is not None and not _same_person_goes_on(clause, speaker, object_start, resolver):
        return False  # `called her a "disgrace" after she blamed the shootings on "…"`: her words
    mentions = resolver.speakers.mentions
    k = bisect.bisect_left(mentions, (object_start, ""))
    while k < len(mentions) and mentions[k][0] < r.mark_pos:
        if mentions[k][1] == speaker:
            return False
        k += 1
    return True


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
    for r in raws:
        if r.utterance != -1 and r.utterance in key_for_mark and not (
            _has_own_attribution(body, r) and _paragraph_attributed(body, paras, raws, r.para - 1)
        ):
            utterance_of.append(key_for_mark[r.utterance])
            key_for_mark[r.mark_pos] = key_for_mark[r.utterance]
            continue
        utterance_of.append(next_key)
        key_for_mark[r.mark_pos] = next_key
        next_key += 1

    quotes: list[Quote] = []
    short_only: set[int] = set()
    reported_only: set[int] = set()  # short quotes that are quotations for their reported speech alone
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
        following = raws[idx + 1] if idx + 1 < len(raws) else None
        next_open = following.mark_pos if following and following.para == r.para and following.depth == 0 else hi
        if r.depth > 0:
            speaker, conf, src, follows = None, 0.0, None, False
        else:
            speaker, conf, src, follows = _attribution_for(body, resolver, r, lo, hi, max(next_open, r.close_pos))
        text = original[r.start : r.end]
        before = body[max(lo, r.mark_pos - 30) : r.mark_pos]
        n_words = len(_WORD_RE.findall(text))
        attributed = follows and r.depth == 0 and _attribution_is_adjacent(body, r, hi)
        is_label = _is_label(text)
        so_called = bool(_SO_CALLED.search(before))
        # `Trump called the senator a "nasty guy"`, `who he dubbed "the little senator"`: a person named
        # as the user of the words makes even a short quote or a "dubbed" label a partial quotation
        cue = (_cue_subject(body, r.mark_pos, lo, resolver)
               if not is_label and r.depth == 0 and not r.unclosed
               and (so_called or n_words <= _PARTIAL_WORDS) else None)
        # a short quote's cue names its speaker (`which Mr. Trump called "…"`); a longer partial takes it
        # only when the attribution found no one as sure (`He deemed the plan "a con and a fraud"`)
        cued = cue is not None and (so_called or n_words <= 2 or cue[1] > conf)
        if cue is not None and cued and (cue[0] != speaker or cue[1] > conf):
            # (the same speaker, surer: the cited source found with it stays)
            speaker, conf, src = cue[0], cue[1], (src if cue[0] == speaker else None)
        labelled = (so_called and not cued) or is_label
        # `Jo Vega said the charge was "politically motivated"`: a short quote inside a person's reported
        # speech is that person's words, not the writer's label
        reported = (n_words <= 2 and not labelled and not attributed and not cued and r.depth == 0
                    and not r.unclosed and _reported_by_person(body, r, lo, text, speaker, conf, resolver))
        scare = labelled or (n_words <= 2 and not attributed and not cued and not reported)
        if reported:
            reported_only.add(idx)
        if r.unclosed:
            scare = scare and n_words <= 2
        elif scare and not labelled and r.depth == 0:
            short_only.add(idx)  # a scare quote for its length alone: may be a piece of a longer partial
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

    _link_interrupted(body, quotes, raws, paras, frozenset(reported_only))
    _join_short_pieces(body, quotes, raws, short_only, frozenset(reported_only))
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


def _link_interrupted(body: str, quotes: list[Quote], raws: list[_Raw], paras: list[tuple[int, int]],
                      reported_only: frozenset[int] = frozenset()) -> None:
    """``"X," she said. "Y."``: give Y the utterance of X when only X's attribution separates them and
    Y has none of its own; likewise a paragraph holding nothing but a quotation that goes on with the
    quotation ending the paragraph before (the speaker continuing, no new attribution). A short quote
    of reported speech (``reported_only``) is never the first half of an interrupted quotation, only a
    piece of a narrated sentence's partials."""
    tops = [i for i, r in enumerate(raws) if r.depth == 0 and not quotes[i].scare]
    for a, b in zip(tops, tops[1:], strict=False):
        ra, rb = raws[a], raws[b]
        if ra.para + 1 == rb.para:
            if quotes[a].words <= 2 or not _continues_next_paragraph(body, ra, rb, paras):
                continue  # a word or two quoted in narration is no quotation the next paragraph goes on with
        elif ra.para != rb.para or not (
            (a not in reported_only and _interrupted_in_paragraph(body, quotes[a], ra, rb))
            or _one_narrated_sentence(body, quotes[a], quotes[b], ra, rb)
        ):
            continue
        _same_utterance(quotes, a, b)


def _same_utterance(quotes: list[Quote], a: int, b: int) -> None:
    """Quote ``b`` (with every piece of its utterance) joins the utterance of quote ``a``."""
    if quotes[b].utterance_id != quotes[a].utterance_id:
        old = quotes[b].utterance_id
        for q in quotes:
            if q.utterance_id == old:
                q.utterance_id = quotes[a].utterance_id


def _join_short_pieces(body: str, quotes: list[Quote], raws: list[_Raw], short_only: set[int],
                       reported_only: frozenset[int] = frozenset()) -> None:
    """One- and two-word quotes (scare quotes for their length alone) that are pieces of a longer
    partial quote of the same narrated sentence (`called him a "liar" and "a danger to the party"`,
    `a "bully," a "cheat" and "the worst mayor we ever had"`) join it and are no scare quotes any
    more; runs of short quotes with no longer piece stay scare quotes on their own. A short quote in
    ``reported_only`` (a quotation for its reported speech alone) is no longer piece."""
    if not short_only:
        return
    original = [q.utterance_id for q in quotes]
    tops = [i for i, r in enumerate(raws) if r.depth == 0 and (not quotes[i].scare or i in short_only)]
    joined = False
    for a, b in zip(tops, tops[1:], strict=False):
        if a not in short_only and b not in short_only:
            continue  # two longer quotes: _link_interrupted decided
        if raws[a].para == raws[b].para and _one_narrated_sentence(body, quotes[a], quotes[b], raws[a], raws[b]):
            _same_utterance(quotes, a, b)
            joined = True
    if not joined:
        return
    # a short quote of reported speech anchors nothing (`like a "piggy bank," while the "Acme-Lind" plan`)
    with_longer = {quotes[i].utterance_id for i in tops if i not in short_only and i not in reported_only}
    for i in short_only:
        if quotes[i].utterance_id in with_longer:
            quotes[i].scare = False
        else:
            quotes[i].utterance_id = original[i]


def _paragraph_attributed(body: str, paras: list[tuple[int, int]], raws: list[_Raw], para: int) -> bool:
    """Whether the narration of paragraph ``para`` (its text outside quotation marks) holds a speech
    verb: the quotation there already has its attribution (`"X," Sexton said. "Y …`)."""
    if para < 0:
        return False
    lo, hi = paras[para]
    narration = list(body[lo:hi])
    for r in raws:
        if r.para == para:
            for k in range(max(lo, r.mark_pos), min(hi, r.close_pos + 1)):
                narration[k - lo] = " "
    return _VERB_RE.search("".join(narration)) is not None


# Speech verbs saying that the speaker goes on with the same statement (`"Y," he continued.`).
_GOES_ON_RE = re.compile(r"\b(?:continued|continues|went\s+on|goes\s+on)\b")


def _has_own_attribution(body: str, r: _Raw) -> bool:
    """Whether quotation ``r`` ends on a comma, ``?`` or ``!`` and an attribution follows it (`"Y," she
    added.`); a quotation ending its sentence with a stop is followed by new narration (`"Y." Ida Marsh
    said she would …`)."""
    end = body[r.start : r.end].rstrip().rstrip("'\u2019\"\u201d").rstrip()[-1:]
    if r.unclosed or end not in ",!?":
        return False
    attribution = _ADJACENT_RE.match(body[r.close_pos + 1 : r.close_pos + 160].split("\n", 1)[0])
    return attribution is not None and not _GOES_ON_RE.search(attribution.group())


def _interrupted_in_paragraph(body: str, qa: Quote, ra: _Raw, rb: _Raw) -> bool:
    """``"X," she said. "Y."`` in one paragraph: only X's attribution lies between the two (one
    sentence, opening with it, however long its apposition: ``"X," Jo Bayer, the mayor's chief of
    staff, said in an interview. "Y."``); ``"X." He added, "Y."``, ``"X," she said, adding, "Y."``
    and ``"X," she said. "Y," she added.`` introduce a new quotation."""
    if ra.unclosed or not ra.close_mark:
        return False
    gap = _TITLE_IN_GAP_RE.sub(_title_placeholder, body[ra.close_pos + 1 : rb.mark_pos])
    conjunction = _AND_AFTER_ATTRIBUTION_RE.search(gap)
    if conjunction:  # `"X," she said, and "Y."`: the attribution cuts one sentence of hers
        gap = gap[: conjunction.start()] + ","
    connective = _CONNECTIVE_AFTER_ATTRIBUTION_RE.search(gap)
    b_attributed = _has_own_attribution(body, rb)
    if connective and not b_attributed:
        # `"X," he said. Then, "Y."`: a bare connective opens Y's sentence and nobody new speaks (not
        # `But "Y," he added`: Y has an attribution of its own)
        gap = gap[: connective.start()]
    if _BARE_ATTRIBUTION_RE.fullmatch(gap) and body[rb.start : rb.start + 1].isupper():
        gap = gap.rstrip() + ","  # `"X," Trump said "Y."`: the comma after the verb is missing (a typo)
    if len(gap) > 320 or any(c in DOUBLE_MARKS for c in gap) or not re.search(r"[.,:;]\s*$", gap):
        return False
    verb = _VERB_RE.search(gap)
    if verb is None or len(gap[: verb.start()].split()) > _ATTRIBUTION_WORDS_BEFORE_VERB or len(gap.split()) > 40:
        return False  # the gap opens with the attribution ("she said, a ... who ...")
    if _NEW_SENTENCE_RE.search(gap.strip()):
        return False  # "X," she said. Later she added: "Y.": more than one sentence, two quotations
    y_goes_on = body[rb.start : rb.start + 1].islower()  # `"X," said Jo, a ... in Dover, "but Y."`
    if len(gap.split()) > 14 and not gap.rstrip().endswith(".") and not y_goes_on:
        return False
    if gap.rstrip()[-1:] in ",:" and any(
        " ".join(later.group().split()) not in _SOURCE_VERBS for later in _VERB_RE.finditer(gap, verb.end())
    ):
        return False  # `"X," she said, adding, "Y."`: a second speech verb introduces a new quotation
    # the last character of X's words, past the closing marks of a quote nested at its end (`'…,'"`)
    a_end = qa.text.rstrip().rstrip("'\u2019\"\u201d").rstrip()[-1:]
    if (a_end not in ",!?.\u2026\u2014-" and not gap.lstrip().startswith(",")
            and not (_opens_its_sentence(body, ra) and _ADJACENT_RE.match(gap))):
        # a partial quote inside narration, not the first half of an interrupted one (a quotation
        # opening its sentence, its attribution right after it, only lost its comma: `"X" Jo said.`)
        return False
    if _NAMED_ATTRIBUTION_RE.match(gap) and gap.rstrip().endswith(":") and introduced(body, ra):
        # `Obama told him, "X," Romney responded: "Y."`: X came with its own attribution, so the one
        # after it, naming someone, introduces Y (`Ida said: "X," she added. "Y."` stays one)
        return False
    # `"X." He added, "Y."`: the gap is Y's own attribution.
    if gap.rstrip().endswith(".") and b_attributed:
        # `"X," she said. "Y," she added.`: X's attribution ends its sentence and Y has one of its own:
        # two quotations as printed (PolNeAR annotators cut here 30 times in 39 on train+dev)
        return False
    return not (a_end in ".!?\u2026" and gap.strip()[:1].isupper() and gap.rstrip()[-1:] in ",:")


# An attribution opening with a name (not a pronoun): `, Romney responded:`.
_NAMED_ATTRIBUTION_RE = re.compile(r"[\s,\u2014\u2013-]*(?!(?:He|She|They|It|I|We)\b)[A-Z][\w\u2019'.-]*")
# A sentence ending inside narration: a stop then a capital, a mark or a line end (`the C.I.A. director`
# goes on with its sentence).
_NEW_SENTENCE_RE = re.compile("[.!?\u2026][\"'\u201d\u2019\u00bb)]*\\s+(?=[^a-z\\s]|$)|[.!?\u2026]\\s*\n|\n")


def _opens_its_sentence(body: str, r: _Raw) -> bool:
    """Whether quotation ``r`` opens its paragraph or follows a sentence's end, with a capital."""
    before = body[: r.mark_pos].rstrip(" \t\u00a0")
    starts_upper = body[r.start : r.start + 1].isupper()
    return starts_upper and (not before or before[-1] in "\n.!?\u2026\"\u201d'\u2019")


#: The most narration words between two partial quotes of one narrated sentence (`called it "a
#: disgrace" and, in the same breath, "a failure of leadership"`).
_PARTIAL_GAP_WORDS = 20


# A clause with a subject of its own between two partial quotes (`"X" while Remy Dahl wants "Y"`):
# another actor, maybe another speaker.
_NAMED_SUBJECT_RE = re.compile(
    r"\b(?:while|whereas|but|and|as)\s+(?:[A-Z][\w\u2019'.-]+\s+){1,3}[a-z]"
    r"|\b(?:he|she|they|we|I)\s+(?!said\b)[a-z]\w*"  # `after saying "X," she was "Y"`: a clause of its own
)


# Verbs that introduce a quotation of their own besides the speech verbs of attribution (`represents
# "X," stating that they are "Y"`, `"X" and vowed to "Y"`): a second statement, not the same one.
_SECOND_CUE_RE = re.compile(
    r"\b(?:stat|vow|promis|describ|call|accus|prais|predict|complain|acknowledg|announc|boast|maintain|"
    r"observ|quipp?|jok|ask|dubb?|label?l|brand|term)(?:e|es|ed|ing|s)?\b"
)


# `"X" and likened it to …`, `"X," but conceded that "Y"`: a second predicate of the subject, with an
# object of its own, begins after the first partial quote: a second statement.
_SECOND_PREDICATE_RE = re.compile(
    r"\s*,?\s*(?:and|but)\s+(?:then\s+|also\s+|later\s+)?[a-z]{3,}ed\s+(?!in\b|to\b|by\b)"
)


def _one_narrated_sentence(body: str, qa: Quote, qb: Quote, ra: _Raw, rb: _Raw) -> bool:
    """Partial quotes inside ONE narrated sentence, objects of one attribution: ``He called it "a
    disgrace" and "a failure of leadership."`` or ``says "X" because "Y"``. The narration between
    them ends no sentence and holds no speech verb (``"X," adding that "Y"`` and ``"X" and declared
    "Y"`` are new statements), X does not end a sentence of its own, and the two have no different
    speakers."""
    if ra.unclosed or not ra.close_mark:
        return False
    a_end = qa.text.rstrip().rstrip("'\u2019\"\u201d").rstrip()[-1:]
    if a_end in ".!?\u2026":
        return False
    gap = body[ra.close_pos + 1 : rb.mark_pos]
    if len(gap.split()) > _PARTIAL_GAP_WORDS or any(c in DOUBLE_MARKS for c in gap):
        return False
    if _NEW_SENTENCE_RE.search(gap) or _VERB_RE.search(gap) or _NAMED_SUBJECT_RE.search(gap):
        return False
    if _SECOND_CUE_RE.search(gap) or _SECOND_PREDICATE_RE.match(gap):
        return False
    two_speakers = bool(qa.speaker and qb.speaker and qa.speaker != qb.speaker)
    return not (two_speakers and min(qa.speaker_confidence, qb.speaker_confidence) >= 0.5)


#: The most words of an attribution before its speech verb (a name and a long apposition:
#: `"X," Ida Marsh, director of ... and a former ..., said of the plan. "Y."`).
_ATTRIBUTION_WORDS_BEFORE_VERB = 24


# A sentence of the narration holding nothing but a connective before the next quote (`"X," he said.
# Then, "Y."`, `Instead, "Y"`, `But "Y"`).
_CONNECTIVE_AFTER_ATTRIBUTION_RE = re.compile(
    r"(?<=[.!?])\s+(?:Then|Instead|But|And|Now|Still|Yet|Later|Again|Also)\s*,?\s*$"
)


# A name or pronoun and a speech verb, nothing else (`" Trump said "`).
_BARE_ATTRIBUTION_RE = re.compile(rf"\s*(?:[\w\u2019'.-]+\s+){{1,3}}(?:{SPEECH_VERBS})\s*")


# `, and` / `, or` / `, but` ending the attribution between two halves of one quoted sentence.
_AND_AFTER_ATTRIBUTION_RE = re.compile(r",\s*(?:and|or|but)\s*$")


# A quoted show or book title inside an attribution (`she said on "Meet the Press." "Y."`): a short
# capitalised label between its own marks, read as one word when judging the attribution.
_TITLE_IN_GAP_RE = re.compile(
    "[\"\u201c]([A-Z0-9][\\w\u2019'&.:-]*"
    "(?:[ ](?:[A-Z0-9][\\w\u2019'&.:-]*|of|the|and|a|an|in|on|for|to|with)){0,6})[,.]?[\"\u201d]"
)


def _title_placeholder(match: re.Match[str]) -> str:
    """A quoted title as a same-length run of letters (no marks inside), keeping the stop or comma
    that ends it (`on "Meet the Press."` ends the attribution's sentence)."""
    text = match.group()
    stop = text[-2] if text[-2] in ".," else ""
    return "T" * (len(text) - len(stop)) + stop


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
    return not (body[b_start : rb.mark_pos].strip() or body[rb.close_pos + 1 : b_end].strip(" .,;:"))


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
