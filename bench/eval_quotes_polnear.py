"""Quotations and speakers against PolNeAR's hand annotations (real US political news, 7 outlets).

    python bench/eval_quotes_polnear.py                 # train + dev (develop on these)
    python bench/eval_quotes_polnear.py --split test    # the held-out check (run once at the end)
    python bench/eval_quotes_polnear.py --timing        # also `briefreader quotes` on all 1012 articles
    python bench/eval_quotes_polnear.py --errors 40     # print wrong speakers / missed quotations

Reads the data where it lies (``$POLNEAR`` or /work/data/polnear); skips cleanly when it is absent.
Nothing of the articles is written anywhere (the timing run copies them into a temporary folder).

What is measured (the rules, decided here once):

- **Gold quotations.** Every annotated ``Content`` span (brat standoff, discontinuous spans joined)
  whose quoted words, the words between quote marks (``"…"``, ``“…”``, and the ``''…''`` convention)
  make up at least half of its words and number at least 3. The gold text is those quoted words (the
  narration around a partial quote is not part of what an outlet printed in quotes). One annotator
  per article: the first ``.ann`` file in name order (PolNeAR has one for most articles).
- **Found**: some rendering of the article (a cluster variant: the text `quotes` shows) covers the
  gold words with word-overlap F1 >= 0.8, computed on word *positions* in the file. Also printed:
  the share of gold quotations lying inside one rendering (>= 0.9 of their words), which does not
  count against a rendering the annotator split into sentences ("X. Y." annotated as X and Y).
- **Found, either split** (a second, relaxed figure; the headline stays ``found``): annotators cut
  ``"X," she said. "Y."`` sometimes into one quotation and sometimes into two, and take the partial
  quotes of one narrated sentence as one. Here the pieces of the renderings (each quoted span: a
  paragraph, one half of an interrupted quotation, one partial quote of a narrated sentence) that lie
  mostly (>= 0.5 of their words) inside
  the gold quotation are taken together and must cover it with word-overlap F1 >= 0.8: either cut of
  such a quotation counts, nothing else does.
- **Speaker right**, among found quotations whose annotated ``Source`` names someone (holds a
  capitalised word that is not a pronoun, article or title; a source opening with a determiner is
  a description and names someone only through an apposition or a name ending it, see
  :func:`name_words`): the rendering's speaker's last word
  is one of the source's name words, or the source's last name word is one of the speaker's words
  (case-insensitive, possessives stripped). ``unknown`` (no speaker) is counted apart from wrong:
  it is not right, but it does not mislead.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(os.environ.get("POLNEAR", "/work/data/polnear"))
DATA = ROOT / "data"

_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
_DOUBLE_OPEN = "\"\u201c\u201e"
_PRONOUNS = frozenset([
    "i", "me", "my", "we", "us", "our", "you", "he", "him", "his", "she", "her", "they", "them", "their",
    "it", "its", "who", "whom",
])
_NOT_NAME = frozenset(
    [
        "the", "a", "an", "this", "that", "these", "those", "another", "one", "some", "many", "several",
        "both", "his", "her", "their", "its", "our", "my", "mr", "mrs", "ms", "miss", "dr", "sen", "rep",
        "gov", "gen", "president", "presidential", "senator", "governor", "candidate", "former", "spokesman",
        "spokeswoman", "spokesperson", "secretary", "official", "officials", "aide", "aides", "adviser",
        "advisers", "campaign", "chairman", "chairwoman", "director", "manager", "rival", "nominee",
        "democratic", "republican", "democrat", "republicans", "democrats", "in", "of", "for", "to", "and",
        "at", "on", "said",
    ]
)


@dataclass
class Gold:
    article: str
    spans: list[tuple[int, int]]  # quoted character spans (inside the marks) in the file
    source: str
    content: str


def quoted_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character spans between double quote marks (or ``''`` pairs) inside text[start:end]."""
    out: list[tuple[int, int]] = []
    i, open_at = start, None
    while i < end:
        ch = text[i]
        two = text[i : i + 2] == "''"
        is_mark = ch in "\"\u201c\u201d\u201e" or two
        if is_mark:
            width = 2 if two and ch == "'" else 1
            if open_at is None:
                open_at = i + width
            else:
                out.append((open_at, i))
                open_at = None
            i += width
            continue
        i += 1
    if open_at is not None and end - open_at > 0:
        out.append((open_at, end))  # an unclosed mark: the quote runs on past the annotated span
    return out


def read_gold(split: str) -> tuple[dict[str, str], list[Gold]]:
    """Texts by article name and the gold quotations of one split."""
    texts: dict[str, str] = {}
    golds: list[Gold] = []
    ann_dir = DATA / split / "attributions"
    chosen: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        chosen.setdefault(ann.name.rsplit("_", 1)[0], ann)
    for name in sorted(p.stem for p in (DATA / split / "text").glob("*.txt")):
        texts[name] = (DATA / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
    for name, ann in chosen.items():
        text = texts.get(name)
        if text is None:
            continue
        spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        events = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            if line.startswith("T") and line.count("\t") >= 2:
                tid, info, _ = line.split("\t", 2)
                kind, offs = info.split(" ", 1)
                parts = [tuple(int(x) for x in piece.split()) for piece in offs.split(";")]
                spans[tid] = (kind, parts)  # type: ignore[assignment]
            elif line.startswith("E"):
                events.append(dict(p.split(":", 1) for p in line.split("\t")[1].split()))
        for ev in events:
            content = spans.get(ev.get("Content", ""))
            if content is None:
                continue
            quoted: list[tuple[int, int]] = []
            content_words = 0
            for a, b in content[1]:
                quoted.extend(quoted_spans(text, a, b))
                content_words += len(_WORD.findall(text, a, b))
            quoted_words = sum(len(_WORD.findall(text, a, b)) for a, b in quoted)
            if quoted_words < 3 or quoted_words < 0.5 * content_words:
                continue
            source = ""
            if "Source" in ev and ev["Source"] in spans:
                source = " ".join(text[a:b] for a, b in spans[ev["Source"]][1])
            golds.append(Gold(name, quoted, source, " ".join(text[a:b] for a, b in content[1])))
    return texts, golds


def word_positions(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Start offsets of the words lying inside the spans."""
    out: set[int] = set()
    for a, b in spans:
        out.update(m.start() for m in _WORD.finditer(text, a, b))
    return out


_DETERMINERS = frozenset([
    "the", "a", "an", "his", "her", "their", "its", "our", "another", "one", "some", "this", "that", "these",
    "those",
])
_TRAILING_NAME = re.compile(r"(?<!\bto )(?<!\bof )(?<!\bfor )(?<!\bat )(?<!\bin )(?<!\bwith )(?<!\bfrom )"
                            r"((?:[A-Z][\w.'\-]*\s+){1,3}[A-Z][\w.'\-]*)[\s,]*$")


def name_words(source: str) -> list[str]:
    """Capitalised words of an annotated source that can be part of a name.

    A source opening with a determiner or possessive is a description ("the Florida senator",
    "his campaign manager Jeff Weaver"): it names someone only in an apposition after a comma
    ("the previous nominee, Mitt Romney,") or in a run of capitalised words ending it that no
    preposition introduces ("... manager Jeff Weaver", not "... aide to President George W. Bush")."""
    words = source.split()
    if words and words[0].lower() in _DETERMINERS:
        if "," in source and source.split(",", 1)[1].strip(" ,"):
            source = source.split(",", 1)[1]
        else:
            trailing = _TRAILING_NAME.search(source)
            source = trailing.group(1) if trailing else ""
    out = []
    for raw in source.replace("\u2019", "'").split():
        word = raw.strip(".,;:\"'()")
        if word.endswith("'s"):
            continue  # "Trump's campaign manager X": Trump is not the speaker
        if word[:1].isupper() and word.lower() not in _PRONOUNS and word.lower() not in _NOT_NAME:
            out.append(word.lower())
    return out


def speaker_right(speaker: str, source: str) -> bool:
    """The comparison rule of the module docstring."""
    names = name_words(source)
    words = [w.lower().removesuffix("'s") for w in re.findall(r"[\w'\-]+", speaker.replace("\u2019", "'"))]
    if not names or not words:
        return False
    return words[-1] in names or names[-1] in words


def analyse_split(split: str) -> tuple[dict[str, str], list[Gold], object, dict[str, object]]:
    from briefreader.storage.corpus import load_corpus
    from briefreader.core.quote_clusters import analyse_quotes

    texts, golds = read_gold(split)
    corpus = load_corpus(DATA / split / "text", use_cache=False)
    analysis = analyse_quotes(corpus.articles)
    by_name = {Path(a.id).stem: a for a in corpus.articles}
    return texts, golds, analysis, by_name


def renderings_of(analysis, article) -> list[tuple[list[tuple[int, int]], str | None, float, str]]:
    """(source spans, speaker, confidence, text) of every rendering shown for one article."""
    out = []
    for cluster in analysis.clusters_of_article(article.id):
        for v in cluster.variants:
            if v.article != article.id:
                continue
            spans = getattr(v, "source_spans", None) or [(v.source_start, v.source_end)]
            out.append(([tuple(s) for s in spans], v.speaker, v.speaker_confidence, v.text))
    return out


def pieces_cover(gold_words: set[int], pieces: list[set[int]]) -> bool:
    """The relaxed rule: the pieces lying mostly inside the gold, together, match it with F1 >= 0.8."""
    union: set[int] = set()
    for words in pieces:
        if words and len(words & gold_words) >= 0.5 * len(words):
            union |= words
    if not union or not gold_words:
        return False
    common = len(union & gold_words)
    return 2 * common / (len(union) + len(gold_words)) >= 0.8


def evaluate(split: str, show_errors: int) -> dict[str, float]:
    t0 = time.perf_counter()
    texts, golds, analysis, by_name = analyse_split(split)
    elapsed = time.perf_counter() - t0
    found = named = right = unknown = contained = relaxed = 0
    wrong_examples: list[str] = []
    missed_examples: list[str] = []
    confident = [0, 0]  # (right, total) with confidence >= 0.8
    buckets: dict[float, list[int]] = {}
    rendering_cache: dict[str, list] = {}
    piece_cache: dict[str, list[set[int]]] = {}
    for gold in golds:
        art = by_name.get(gold.article)
        text = texts[gold.article]
        if art is None:
            continue
        if gold.article not in rendering_cache:
            piece_cache[gold.article] = [
                word_positions(text, [span]) for spans, _, _, _ in renderings_of(analysis, art) for span in spans
            ]
            rendering_cache[gold.article] = [
                (word_positions(text, spans), spk, conf, rtext)
                for spans, spk, conf, rtext in renderings_of(analysis, art)
            ]
        gold_words = word_positions(text, gold.spans)
        best = (0.0, None, 0.0, "")
        inside = False
        for words, spk, conf, rtext in rendering_cache[gold.article]:
            common = len(gold_words & words)
            if not common:
                continue
            inside = inside or common >= 0.9 * len(gold_words)
            f1 = 2 * common / (len(gold_words) + len(words))
            if f1 > best[0]:
                best = (f1, spk, conf, rtext)
        contained += inside
        if best[0] >= 0.8 or pieces_cover(gold_words, piece_cache[gold.article]):
            relaxed += 1
        if best[0] < 0.8:
            if len(missed_examples) < show_errors:
                missed_examples.append(f"{gold.article}  F1={best[0]:.2f}\n"
                                       f"   gold: {' / '.join(text[a:b] for a, b in gold.spans)[:200]}\n"
                                       f"   best: {best[3][:200]}")
            continue
        found += 1
        if not name_words(gold.source):
            continue
        named += 1
        spk, conf = best[1], best[2]
        if spk is None:
            unknown += 1
            if len(wrong_examples) < show_errors:
                wrong_examples.append(f"{gold.article}  source={gold.source!r} got=UNKNOWN\n   {gold.content[:160]}")
        elif speaker_right(spk, gold.source):
            right += 1
        elif len(wrong_examples) < show_errors:
            wrong_examples.append(f"{gold.article}  source={gold.source!r} got={spk!r} ({conf})\n"
                                  f"   {gold.content[:160]}")
        if spk is not None:
            bucket = buckets.setdefault(round(conf, 1), [0, 0])
            bucket[1] += 1
            bucket[0] += speaker_right(spk, gold.source)
        if spk is not None and conf >= 0.8:
            confident[1] += 1
            confident[0] += speaker_right(spk, gold.source)
    n = len(golds)
    result = {
        "gold quotations": n,
        "found": found / n if n else 0.0,
        "found, either split": relaxed / n if n else 0.0,
        "named sources": named,
        "speaker right": right / named if named else 0.0,
        "speaker unknown": unknown / named if named else 0.0,
        "speaker wrong": (named - right - unknown) / named if named else 0.0,
        "right when conf>=0.8": confident[0] / confident[1] if confident[1] else 0.0,
        "share conf>=0.8": confident[1] / named if named else 0.0,
        "seconds (load+analyse)": elapsed,
    }
    print(f"== {split}: {len(texts)} articles, {n} gold quotations")
    print(f"   found (F1>=0.8)      {found}/{n} = {result['found']:.3f}"
          f"   (inside one rendering, >= 0.9 of its words: {contained}/{n} = {contained / n if n else 0:.3f})")
    print(f"   found, either split  {relaxed}/{n} = {result['found, either split']:.3f}"
          "   (relaxed: pieces inside the gold taken together, see the module docstring)")
    print(f"   speaker right        {right}/{named} = {result['speaker right']:.3f}"
          f"   unknown {unknown} ({result['speaker unknown']:.3f})"
          f"   wrong {named - right - unknown} ({result['speaker wrong']:.3f})")
    print(f"   confidence >= 0.8    {confident[1]} quotations, right {result['right when conf>=0.8']:.3f}")
    print("   right by confidence " + "  ".join(f"{k:.1f}: {r}/{t}" for k, (r, t) in sorted(buckets.items())))
    print(f"   load + analyse       {elapsed:.1f} s")
    for line in wrong_examples:
        print("   WRONG", line)
    for line in missed_examples:
        print("   MISSED", line)
    return result


def timing() -> None:
    """`briefreader quotes` (CLI, no cache) on every PolNeAR article, copied into a temporary folder."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "polnear"
        corpus.mkdir()
        count = 0
        for split in ("train", "dev", "test"):
            for path in (DATA / split / "text").glob("*.txt"):
                shutil.copyfile(path, corpus / path.name)
                count += 1
        env = dict(os.environ, BRIEFREADER_HOME=str(Path(tmp) / "home"))
        exe = [sys.executable, "-m", "briefreader.cli.main", "quotes", str(corpus), "--no-cache", "--json"]
        t0 = time.perf_counter()
        done = subprocess.run(exe, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - t0
        print(f"== `briefreader quotes` on {count} PolNeAR articles: {elapsed:.1f} s "
              f"(exit {done.returncode}, target < 15 s)")
        if done.returncode != 0:
            print(done.stderr[-2000:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", action="append", choices=["train", "dev", "test"],
                        help="split(s) to evaluate (default: train and dev)")
    parser.add_argument("--errors", type=int, default=0, help="print up to N wrong speakers and missed quotations")
    parser.add_argument("--timing", action="store_true", help="also time `briefreader quotes` on all articles")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"PolNeAR not found at {DATA} (set POLNEAR): skipped")
        return 0
    for split in args.split or ["train", "dev"]:
        evaluate(split, args.errors)
    if args.timing:
        timing()
    return 0


if __name__ == "__main__":
    sys.exit(main())
