"""Generated news corpora with planted quotation variants, for benchmarking quote clustering.

Each article is narrative text (sentences about people and places, with apostrophes, numbers and
reported speech without marks) plus several quotations of "utterances". An utterance is one to three
sentences said by one speaker; popular utterances are quoted by many articles (a Zipf-like law).
Each time it is quoted, one planted transformation may apply:

- identical, or with different quote marks (“…”, "…", «…»);
- one or two words changed; a contraction spelled out (won't / will not); British vs American spelling;
- a clause dropped, or two clauses swapped;
- a partial quote of 4-8 consecutive words inside a narrative sentence;
- an "agency translation" that keeps about half the words;
- an interruption by attribution ("X," she said. "Y.") for two-sentence utterances.

Look-alike traps: some utterances of *different* speakers start with the same stock phrase, and one
speaker's consecutive sentences are separate utterances. Scare quotes (“reset”) are sprinkled in.

:func:`generate_articles` returns the articles and the truth: for every planted sentence rendering,
the article id, its character span in the body and the id of the sentence it renders.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from briefreader.core.model import Article
from briefreader.core.quote_names import given_name_gender

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "pe", "da", "go", "fu", "ber", "sta", "ron",
             "vel", "dor", "min", "tra", "gal", "pol", "sen", "kir", "mar", "len", "tos", "bri", "zan"]
STOP = ["the", "and", "of", "to", "we", "will", "is", "a", "in", "that", "for", "with", "on", "our", "this",
        "it", "be", "are", "not", "by", "at", "as", "from", "they", "have"]
# Pairs that must compare equal after normalisation (contraction / spelling variants).
CONTRACTIONS = [("will not", "won't"), ("can not", "can't"), ("do not", "don't"), ("is not", "isn't"),
                ("we are", "we're"), ("they have", "they've")]
SPELLINGS = [("realise", "realize"), ("organisation", "organization"), ("colour", "color"), ("centre", "center"),
             ("defence", "defense"), ("analyse", "analyze"), ("labour", "labor"), ("programme", "program")]
STOCK = ["we are monitoring the situation very closely", "there is no alternative to dialogue",
         "all options remain on the table", "we will not be intimidated", "the door remains open for talks",
         "this is a decisive moment for our country", "we call on all sides to show restraint"]
VERBS = ["said", "told reporters", "added", "stressed", "warned", "noted", "explained", "insisted"]
OUTLETS = ["Daily Ledger", "Morning Post", "Harbour Times", "Agency Wire", "Capital News", "Evening Star",
           "Northern Herald", "Global Desk", "River Gazette", "Coast Tribune"]
SCARE = ["reset", "red line", "grand bargain", "peace dividend", "shuttle diplomacy", "new normal"]
NARRATIVE_EXTRAS = ["the workers' union", "O'Neill's office", "the '90s", "rock 'n' roll", "don't",
                    "the company's shares", "the ministers' meeting"]


@dataclass
class PlantedSpan:
    article: str
    start: int
    end: int
    sentence_id: str  # utterance id + sentence index
    kind: str  # transformation applied


@dataclass
class _Utterance:
    id: str
    speaker: tuple[str, str]  # (first, last)
    gender: str
    sentences: list[list[str]]  # sentences as word lists; "," tokens separate clauses


class _Gen:
    def __init__(self, seed: int, n_articles: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.vocab = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
                             for _ in range(12000)})
        weights = [1 / (i + 10) for i in range(len(self.vocab))]
        rng.shuffle(weights)
        self.cum_weights = list(itertools.accumulate(weights))
        names = sorted({"".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize() for _ in range(3000)})
        self.firsts = names[: len(names) // 2]
        self.lasts = names[len(names) // 2 :]
        self.places = [n + "ia" for n in names[:200]]
        n_speakers = max(20, n_articles // 25)
        self.speakers: list[tuple[tuple[str, str], str]] = []
        for _ in range(n_speakers):
            first, last, drawn = rng.choice(self.firsts), rng.choice(self.lasts), rng.choice("mf")
            # a made-up given name that is a real one of one sex ("Marta", "Daron") keeps that sex, as
            # the pronouns of a real article would (the draw is made all the same: the stream is unchanged)
            self.speakers.append(((first, last), given_name_gender(f"{first} {last}") or drawn))

    def word(self) -> str:
        if self.rng.random() < 0.38:
            return self.rng.choice(STOP)
        return self.rng.choices(self.vocab, cum_weights=self.cum_weights)[0]

    def sentence(self, n: int) -> list[str]:
        words = [self.word() for _ in range(n)]
        rng = self.rng
        if rng.random() < 0.3:
            full, _ = rng.choice(CONTRACTIONS)
            pos = rng.randrange(1, max(2, n - 2))
            words[pos:pos] = full.split()
        if rng.random() < 0.3:
            brit, _ = rng.choice(SPELLINGS)
            words.insert(rng.randrange(1, n), brit)
        # clause boundaries
        for _ in range(rng.choice((1, 1, 2))):
            pos = rng.randrange(4, max(5, len(words) - 4))
            if words[pos - 1] != "," and words[pos] != ",":
                words.insert(pos, ",")
        return words

    def utterance(self, uid: int) -> _Utterance:
        (first, last), gender = self.rng.choice(self.speakers)
        n_sent = self.rng.choice((1, 1, 2, 2, 3))
        sentences = [self.sentence(self.rng.randint(10, 22)) for _ in range(n_sent)]
        if self.rng.random() < 0.12:
            sentences[0] = (STOCK[self.rng.randrange(len(STOCK))].split() + [","]
                            + sentences[0][: self.rng.randint(5, 9)])
        return _Utterance(f"u{uid}", (first, last), gender, sentences)


def _render(words: list[str]) -> str:
    text = " ".join(words).replace(" ,", ",")
    return text[0].upper() + text[1:]


def _variant(gen: _Gen, words: list[str]) -> tuple[list[str], str]:
    """A planted transformation of one sentence (as words): (new words, kind)."""
    rng = gen.rng
    r = rng.random()
    w = list(words)
    if r < 0.35:
        return w, "identical"
    if r < 0.50:
        for _ in range(rng.choice((1, 2))):
            i = rng.randrange(len(w))
            if w[i] != ",":
                w[i] = gen.word()
        return w, "word-change"
    if r < 0.60:
        text = " ".join(w)
        for full, short in CONTRACTIONS:
            text = text.replace(full, short)
        for brit, amer in SPELLINGS:
            text = text.replace(brit, amer)
        return text.split(), "spelling"
    clauses = " ".join(w).split(" , ")
    if r < 0.72 and len(clauses) >= 3:
        del clauses[rng.randrange(1, len(clauses))]
        return " , ".join(clauses).split(), "clause-dropped"
    if r < 0.80 and len(clauses) >= 2:
        clauses[0], clauses[1] = clauses[1], clauses[0]
        return " , ".join(clauses).split(), "reordered"
    if r < 0.90:
        keep = [x if (x == "," or x in STOP or rng.random() < 0.45) else gen.word() for x in w]
        return keep, "translation"
    return w, "identical"


def generate_articles(n: int, seed: int = 1) -> tuple[list[Article], list[PlantedSpan]]:
    """``n`` articles and the planted truth (one :class:`PlantedSpan` per quoted sentence rendering)."""
    gen = _Gen(seed, n)
    rng = gen.rng
    n_utt = max(10, int(n * 1.2))
    utterances = [gen.utterance(i) for i in range(n_utt)]
    popularity = list(itertools.accumulate(1 / (i + 3) ** 0.9 for i in range(n_utt)))
    articles: list[Article] = []
    truth: list[PlantedSpan] = []
    for a in range(n):
        aid = f"gen/{a:06d}.txt"
        parts: list[str] = []
        length = 0

        def add(text: str, parts: list[str] = parts) -> int:
            nonlocal length
            start = length
            parts.append(text)
            length += len(text)
            return start

        add(f"{_render([gen.word() for _ in range(6)])}\n\n")
        chosen = rng.choices(range(n_utt), cum_weights=popularity, k=rng.randint(3, 7))
        for uid in dict.fromkeys(chosen):
            u = utterances[uid]
            first, last = u.speaker
            pron = "she" if u.gender == "f" else "he"
            # a narrative sentence naming the speaker first
            filler = " ".join(gen.word() for _ in range(rng.randint(8, 16)))
            extra = rng.choice(NARRATIVE_EXTRAS)
            place = rng.choice(gen.places)
            add(f"{rng.choice(['Minister', 'Senator', 'Spokeswoman', 'Mayor', ''])} {first} {last} spoke in {place} "
                f"about {filler} and {extra}. ")
            mark_open, mark_close = rng.choice([("“", "”"), ('"', '"'), ("«", "»")])
            r = rng.random()
            if r < 0.12:
                # partial quote of 4-8 words inside a narrative sentence
                sidx = rng.randrange(len(u.sentences))
                words = [x for x in u.sentences[sidx] if x != ","]
                k = rng.randint(4, 8)
                i = rng.randrange(0, max(1, len(words) - k))
                frag = " ".join(words[i : i + k])
                add(f"{last} said the plan would {mark_open}")
                s = add(frag)
                add(f"{mark_close} in the end.\n\n")
                truth.append(PlantedSpan(aid, s, s + len(frag), f"{u.id}.{sidx}", "partial"))
                continue
            rendered: list[tuple[int, str, str]] = []
            for sidx, sent in enumerate(u.sentences):
                words, kind = _variant(gen, sent)
                rendered.append((sidx, _render(words), kind))
            if len(rendered) >= 2 and rng.random() < 0.3:
                # interrupted: "X," she said. "Y Z."
                s0, t0, k0 = rendered[0]
                start = add(mark_open) + 1
                add(t0 + ",")
                truth.append(PlantedSpan(aid, start, start + len(t0), f"{u.id}.{s0}", k0))
                add(f"{mark_close} {pron} {rng.choice(VERBS)}. {mark_open}")
                for sidx, text, kind in rendered[1:]:
                    s = add(text + ". ")
                    truth.append(PlantedSpan(aid, s, s + len(text), f"{u.id}.{sidx}", kind))
                parts[-1] = parts[-1].rstrip()
                length -= 1
                add(f"{mark_close}\n\n")
                continue
            add(mark_open)
            for j, (sidx, text, kind) in enumerate(rendered):
                s = add(text + (". " if j < len(rendered) - 1 else ","))
                truth.append(PlantedSpan(aid, s, s + len(text), f"{u.id}.{sidx}", kind))
            who = rng.choice([f"{first} {last}", last, pron, f"the {rng.choice(['minister', 'official', 'senator'])}"])
            add(f"{mark_close} {who} {rng.choice(VERBS)}.\n\n")
            if rng.random() < 0.15:
                add(f"Critics called it a {mark_open}{rng.choice(SCARE)}{mark_close}. ")
        add(f"{_render([gen.word() for _ in range(12)])}.\n")
        body = "".join(parts)
        day = 1 + (a * 7) % 28
        articles.append(Article(id=aid, path=aid, format="txt", body=body, outlet=OUTLETS[a % len(OUTLETS)],
                                date=f"2025-{1 + a % 12:02d}-{day:02d}", order=a))
    return articles, truth
