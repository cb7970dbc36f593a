"""Grouping across outlets on a second real corpus: hand-judged pairs of BASIL quotations.

    python bench/basil_corpus.py                                  # build the corpus first (outside the repo)
    python bench/eval_quotes_basil.py                             # score the judged pairs (tune part)
    python bench/eval_quotes_basil.py --part tune --errors --context 200
    python bench/eval_quotes_basil.py --part heldout              # the part kept aside (the lead's final run)
    python bench/eval_quotes_basil.py --order                     # the triplets in judging order
    python bench/eval_quotes_basil.py --triplet 7 --context 120   # every rendering of triplet #7's articles
    python bench/eval_quotes_basil.py --show ARTICLE,ARTICLE      # every rendering of those articles
    python bench/allsides_corpus.py                               # a third set (AllSides events), all held out
    python bench/eval_quotes_basil.py --part heldout --corpus /work/data/allsides/corpus --pairs PAIRS
                                                    # PAIRS = bench/allsides_pairs.yaml (the lead's final run only)

The set: BASIL (EMNLP 2019, "In Plain Sight"), 100 events 2010-2019, each reported by the New York
Times, Fox News and HuffPost (a triplet), built into a folder of plain-text files by
bench/basil_corpus.py (``$BASIL_CORPUS`` or /work/data/basil/corpus; outlet, date and triplet from the
manifest beside it). The whole corpus is analysed as one, by the same call as
bench/eval_quotes_cross_outlet.py (whose helpers are reused). bench/basil_pairs.yaml holds the judged
pairs: file stems, character offsets into the corpus files, label, part, never article text.

What is scored (as eval_quotes_cross_outlet.py's ``score``): of the ``same`` pairs, the share grouped
together, reported in two lines: pairs whose renderings share words (the main figure) and ``kind:
disjoint`` pairs (two different sentences of one statement, no word in common: no grouping by shared
words reaches them); of the ``different`` pairs, the share kept apart. A judged span that is no
longer a rendering counts as not grouped (``same``) or as apart (``different``).

Parts: triplets of even years are ``tune``, of odd years ``heldout`` (scored only by the lead's final
run). ``--show`` / ``--triplet`` print the renderings the extraction makes (offsets, speaker) and never
the grouping: what a pair is judged from. Skips cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:  # the sibling scripts are plain files, not a package
    sys.path.insert(0, str(BENCH))

import basil_corpus  # noqa: E402  (bench/ put on the path just above)
import eval_quotes_cross_outlet as cross  # noqa: E402

if TYPE_CHECKING:
    from briefreader.core.quote_records import Variant

CORPUS = Path(os.environ.get("BASIL_CORPUS", str(basil_corpus.DEFAULT_OUT)))
PAIRS = BENCH / "basil_pairs.yaml"
LABELS = ("same", "disjoint", "different")


def part_of_year(year: str) -> str:
    """``tune`` for an even year, ``heldout`` for an odd one."""
    return "tune" if int(year) % 2 == 0 else "heldout"


def load_articles(corpus: Path = CORPUS) -> list:
    """Every article of the BASIL corpus folder, id = file stem, outlet and date from the manifest."""
    from briefreader.storage.corpus import load_corpus

    meta = {row["stem"]: row for row in basil_corpus.read_manifest(corpus)}
    articles: list[Any] = []
    for article in load_corpus(corpus, use_cache=False).articles:
        row = meta.get(Path(article.id).stem, {})
        article.id = Path(article.id).stem
        article.outlet = row.get("outlet") or article.outlet
        article.date = row.get("date") or article.date
        article.order = len(articles)
        articles.append(article)
    return articles


def triplets_in_order(corpus: Path = CORPUS) -> list[tuple[str, str, list[str]]]:
    """(year, triplet uuid, its three file stems) in judging order: round after round, one triplet of
    each year 2010, 2011, ... (tune and held-out years alternate), triplets of a year by uuid. A
    corpus whose manifest numbers its events (every ``triplet`` a number, as bench/allsides_corpus.py
    writes) is taken in the order of those numbers (year: the event's first date's)."""
    rows = basil_corpus.read_manifest(corpus)
    if rows and all(row["triplet"].isdigit() for row in rows):
        events: dict[int, list[dict[str, str]]] = {}
        for row in rows:
            events.setdefault(int(row["triplet"]), []).append(row)
        return [(min(row["year"] for row in members), str(number), sorted(row["stem"] for row in members))
                for number, members in sorted(events.items())]
    by_year: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        by_year.setdefault(row["year"], {}).setdefault(row["triplet"], []).append(row["stem"])
    queues = {year: sorted(triplets.items()) for year, triplets in sorted(by_year.items())}
    ordered = []
    while any(queues.values()):
        for year, queue in queues.items():
            if queue:
                triplet, stems = queue.pop(0)
                ordered.append((year, triplet, sorted(stems)))
    return ordered


def _file_text(article_id: str, corpus: Path = CORPUS) -> str:
    return (corpus / f"{article_id}.txt").read_text(encoding="utf-8")


def _context(v: Any, width: int, corpus: Path = CORPUS) -> str:
    """The rendering in its corpus file with ``width`` characters either side (stdout only)."""
    text = _file_text(v.article, corpus)
    before = text[max(0, v.source_start - width) : v.source_start]
    inside = text[v.source_start : v.source_end]
    after = text[v.source_end : v.source_end + width]
    return " ".join(f"{before}[[{inside}]]{after}".split())


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[\w']+", text.replace("\u2019", "'"))
            if w.lower() not in cross._OWN_STOPWORDS and len(w) > 2}


_QUOTED = re.compile(r"[\u201c\"]([^\u201c\u201d\"\n]{3,1500}?)[\u201d\"]")


def uncovered_quotes(article_id: str, renderings: list, corpus: Path = CORPUS) -> list[tuple[int, int, str]]:
    """Quoted spans of two or more words (a regex of its own) that no rendering of the article covers:
    what the extraction leaves out (scare quotes, titles, or a missed quotation)."""
    text = _file_text(article_id, corpus)
    found = []
    for match in _QUOTED.finditer(text):
        start, end = match.start(1), match.end(1)
        if len(match.group(1).split()) < 2:
            continue
        if any(min(v.source_end, end) > max(v.source_start, start) for v in renderings):
            continue
        found.append((start, end, match.group(1)))
    return found


def renderings(analysis: Any) -> list[Variant]:
    """Every rendering of the analysis (eval_quotes_cross_outlet's helper, typed)."""
    return [cast("Variant", v) for _, v in cross._renderings(analysis)]


def show(analysis: Any, article_ids: Iterable[str], context: int = 0, corpus: Path = CORPUS) -> None:
    """Every rendering of the named articles (offsets, speaker, text; never the grouping), the quoted
    spans no rendering covers, and the cross-outlet pairs of their renderings sharing content words
    (a reading aid drawn from the extraction alone). Stdout only."""
    ids = list(article_ids)
    every = renderings(analysis)
    by_article = {article_id: sorted((v for v in every if v.article == article_id), key=lambda v: v.source_start)
                  for article_id in ids}
    labels: dict[int, str] = {}
    meta = {row["stem"]: row for row in basil_corpus.read_manifest(corpus)}
    for article_id in ids:
        found = by_article[article_id]
        row = meta.get(article_id, {})
        outlet = row.get("outlet", "?")
        print(f"=== {article_id} ({outlet}, {row.get('date', '?')}): {len(found)} renderings")
        for n, v in enumerate(found):
            label = f"{outlet[:3]}{n}"
            labels[id(v)] = label
            confidence = getattr(v, "speaker_confidence", 0.0)
            text = _context(v, context, corpus) if context else v.text[:400]
            print(f"  {label:7} {v.source_start}-{v.source_end} [{v.speaker} {confidence:.2f}] {text}")
        missed = uncovered_quotes(article_id, found, corpus)
        if missed:
            print("  not renderings: " + " | ".join(f"{s}-{e} {t[:70]!r}" for s, e, t in missed))
    print("--- cross-outlet pairs sharing 2+ content words (extraction only)")
    flat = [v for article_id in ids for v in by_article[article_id]]
    words = [_content_words(v.text) for v in flat]
    for i in range(len(flat)):
        for j in range(i + 1, len(flat)):
            if flat[i].outlet == flat[j].outlet:
                continue
            shared = words[i] & words[j]
            if len(shared) >= 2:
                words_shown = " ".join(sorted(shared))[:120]
                print(f"  {labels[id(flat[i])]} ~ {labels[id(flat[j])]}: {len(shared)} {words_shown}")


def _kind(pair: dict) -> str:
    """``same`` (sharing words), ``disjoint`` (same, no word in common) or ``different``."""
    if pair["label"] == "same":
        return "disjoint" if pair.get("kind") == "disjoint" else "same"
    return "different"


def score(analysis: Any, part: str, show_errors: bool = False, pairs_file: Path = PAIRS,
          context: int = 0, corpus: Path = CORPUS) -> dict[str, tuple[int, int]]:
    """Print and return (right, judged) per kind of pair in ``part``: same pairs grouped, disjoint same
    pairs grouped, different pairs kept apart."""
    judged = yaml.safe_load(pairs_file.read_text(encoding="utf-8"))["pairs"]
    counts = {label: [0, 0] for label in LABELS}
    by_words = [0, 0]  # same or disjoint pairs that share words by the PolNeAR sets' rule: grouped, judged
    missing = 0
    for pair in judged:
        if part != "all" and pair["part"] != part:
            continue
        kind = _kind(pair)
        cluster_a, rendering_a = cross._find(analysis, pair["a"])
        cluster_b, rendering_b = cross._find(analysis, pair["b"])
        counts[kind][1] += 1
        one_quotation = kind != "different" and cross.shares_content_words(
            _file_text(pair["a"]["article"], corpus)[pair["a"]["start"] : pair["a"]["end"]],
            _file_text(pair["b"]["article"], corpus)[pair["b"]["start"] : pair["b"]["end"]])
        by_words[1] += one_quotation
        if cluster_a is None or cluster_b is None:
            missing += 1
            counts[kind][0] += kind == "different"
            if show_errors:
                absent = " and ".join(side for side, c in (("a", cluster_a), ("b", cluster_b)) if c is None)
                print(f"   {kind.upper()}: span {absent} no longer a rendering: {pair['a']} / {pair['b']}")
            continue
        together = cluster_a == cluster_b
        right = not together if kind == "different" else together
        counts[kind][0] += right
        by_words[0] += one_quotation and together
        if show_errors and not right:
            print(f"   {kind.upper()} but {'grouped' if together else 'apart'} "
                  f"({pair['a']['article']} {pair['a']['start']} / {pair['b']['article']} {pair['b']['start']}): "
                  f"{pair.get('reason', '')}")
            for side, v in (("a", rendering_a), ("b", rendering_b)):
                confidence = getattr(v, "speaker_confidence", 0.0)
                text = _context(v, context, corpus) if context else v.text[:150]
                print(f"      {side}: {v.outlet} {v.date} {v.speaker!r} ({confidence:.2f})\n         {text}")
    total = sum(n for _, n in counts.values())
    print(f"== BASIL cross-outlet pairs {pairs_file.name} ({part}): {total} judged, "
          f"{missing} span(s) no longer a rendering")
    for kind, title in (("same", "one quotation grouped (shared words)"),
                        ("disjoint", "one statement, disjoint sentences"),
                        ("different", "different statements apart")):
        right, n = counts[kind]
        rate = right / n if n else 0.0
        target = "   (target >= 0.90)" if kind != "disjoint" else "   (reported apart)"
        print(f"   {title:38} {right}/{n} = {rate:.3f}{target}")
    right, n = by_words
    print(f"   {'same, by the words rule of the PolNeAR sets':38} {right}/{n} = {right / n if n else 0.0:.3f}"
          f"   (shares >= {cross.ONE_QUOTATION_SHARE:.0%} of the shorter one's content words)")
    return {kind: (right, n) for kind, (right, n) in counts.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["tune", "heldout", "all"], default="tune")
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="the judged pair file to score")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the folder bench/basil_corpus.py wrote")
    parser.add_argument("--errors", action="store_true", help="print the pairs judged wrong (tune part only)")
    parser.add_argument("--context", type=int, default=0, help="print N characters of the article around each span")
    parser.add_argument("--show", default="", help="comma-separated file stems: print their renderings")
    parser.add_argument("--triplet", default="",
                        help="--show the three articles of a triplet: its number in --order or its uuid")
    parser.add_argument("--order", action="store_true", help="print the triplets in judging order and stop")
    args = parser.parse_args()
    if not args.corpus.is_dir() or not basil_corpus.read_manifest(args.corpus):
        print(f"BASIL corpus not found at {args.corpus} (run bench/basil_corpus.py, or set BASIL_CORPUS): skipped")
        return 0
    ordered = triplets_in_order(args.corpus)
    if args.order:
        for n, (year, triplet, stems) in enumerate(ordered):
            print(f"#{n} {year} {part_of_year(year)} {triplet} {' '.join(stems)}")
        return 0
    show_ids = [s for s in args.show.split(",") if s]
    if args.triplet:
        chosen = [stems for n, (_, triplet, stems) in enumerate(ordered)
                  if args.triplet in (str(n), triplet)]
        if not chosen:
            print(f"no triplet {args.triplet!r} (see --order)")
            return 1
        show_ids += chosen[0]
    from briefreader.core.quote_clusters import analyse_quotes

    analysis = analyse_quotes(load_articles(args.corpus))
    if show_ids:
        show(analysis, show_ids, args.context, args.corpus)
        return 0
    if not args.pairs.exists():
        print(f"{args.pairs.name} not found: judge pairs first (--triplet N)")
        return 0
    score(analysis, args.part, args.errors and args.part == "tune", args.pairs, args.context, args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
