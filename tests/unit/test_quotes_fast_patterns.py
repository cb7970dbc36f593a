"""The quote finder's speed-ups match exactly what the plain forms match: the speech verbs as a
prefix-factored regex against the plain longest-first alternation, the title/initial dots written
letter by letter against the plain pattern, and the cached group building against a fresh one.
Texts are invented or random."""

from __future__ import annotations

import random
import re

from briefreader.core.model import Article
from briefreader.core.quote_clusters import analyse_quotes
from briefreader.core.quote_names import SPEECH_VERBS, _alternation_trie
from briefreader.core.quote_pairing import _ABBREVIATION_DOT_RE, _ABBREVIATION_TITLES, _PARTY_TAG_RE

_PLAIN_ABBREVIATION_RE = re.compile(
    r"\b(?:" + "|".join(_ABBREVIATION_TITLES) + r")\.(?=\s)|\b[A-Z]\.(?=\s+[A-Z](?:[a-z]|\.))")
_PLAIN_PARTY_TAG_RE = re.compile(
    r"\((?:[DRI]|Dem|Rep|Ind)\s?-\s?[A-Z][A-Za-z.\s]{0,16}\)|(?<=, )[DRI]-[A-Z][A-Za-z.]{1,6}(?=,)")


def _random_texts(alphabet: str, n: int, length: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(length)) for _ in range(n)]


def test_prefix_factored_alternation_prefers_the_same_word() -> None:
    words = sorted(["said", "say", "says", "said to", "pointed out", "pointed", "told", "tells", "add", "added"],
                   key=lambda w: (-len(w), w))
    plain = re.compile(r"\b(?:" + "|".join(re.escape(w).replace("\\ ", "\\s+") for w in words) + r")\b")
    factored = re.compile(rf"\b(?:{_alternation_trie(words)})\b")
    texts = ["Vik said to me she pointed  out that he said, then pointed at it and added more; says, say, tells.",
             *_random_texts("saidytoplnerugk \n.,", 3000, 40, 1)]
    for text in texts:
        assert [m.span() for m in plain.finditer(text)] == [m.span() for m in factored.finditer(text)], text


def test_speech_verbs_pattern_matches_every_verb_whole() -> None:
    verb_re = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
    assert verb_re.fullmatch("said") and verb_re.fullmatch("pointed  out") and verb_re.fullmatch("according to")
    assert not verb_re.search("saidx unsaid")


def test_title_dots_letter_by_letter_match_the_plain_pattern() -> None:
    texts = ["Mr. Lind and Mrs. Oyelaran met Sen. Vasquez (D-Md.) and Lisa O. Monaco, R-Ky., at St. Paul. No. 5",
             "XMr. aDr. \u00c9Mr. Mr.\nNo.", *_random_texts("MrsSenRepDO. ,-()aAbB\u00e9\u00c9xR1_\n", 5000, 60, 2)]
    for text in texts:
        plain_spans = [m.span() for m in _PLAIN_ABBREVIATION_RE.finditer(text)]
        assert plain_spans == [m.span() for m in _ABBREVIATION_DOT_RE.finditer(text)], text
        plain_tags = [m.span() for m in _PLAIN_PARTY_TAG_RE.finditer(text)]
        assert plain_tags == [m.span() for m in _PARTY_TAG_RE.finditer(text)], text


def test_identical_renderings_are_compared_alike(monkeypatch) -> None:
    # many outlets print the same words (wire copies): each distinct rendering is classified once,
    # and every copy carries the class computed for it
    import briefreader.core.quote_alteration as quote_clusters

    calls: list[str] = []
    real = quote_clusters._alteration

    def counting(text, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(quote_clusters, "_alteration", counting)
    whole = ("\u201cWe will open the northern ferry line in March and keep every harbour office staffed "
             "all winter,\u201d")
    partial = "\u201ckeep every harbour office staffed all winter,\u201d"
    bodies = [f"{whole} said Mayor Rhea Castellan."] + [f"Mayor Rhea Castellan promised to {partial} she said."] * 6
    analysis = analyse_quotes([Article(id=f"a{i}.txt", path=f"a{i}.txt", format="txt", body=b, outlet=f"O{i}",
                                       date=f"2025-05-0{1 + i}", order=i) for i, b in enumerate(bodies)])
    (group,) = [c for c in analysis.clusters if len(c.variants) > 1]
    assert [v.alteration for v in group.variants] == ["same"] + ["partial"] * 6
    # a1-a3 are among the group's four longest renderings (its references), so each is compared
    # with the others apart; a4-a6 share one comparison
    assert len(calls) == 4
