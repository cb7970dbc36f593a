"""Benchmark: copy detection and stories on real articles with generated copies of known kinds.

    python bench/bench_copies.py [--polnear DIR] [--originals 150] [--sizes 10000 20000] [--seed 1]

Quality (real text): originals are PolNeAR articles (train + dev splits; the test split is never
read here), read from where they lie (default /work/data/polnear/data, or $POLNEAR_DATA). Each
original gets copies of known kinds, published 0-2 days later by other outlets:
  copy kinds:      reprint with a new headline, trimmed ending, local first paragraph added,
                   a few words changed, trimmed + local paragraph
  not-copy kinds:  two-thirds rewritten, one or two paragraphs reused in another article
The rest of PolNeAR is the background: real articles on the same events (same days, same people).
Prints pairwise precision / recall of copy pairs (two articles in one group), the share of groups
whose original is right, and how many not-copy or unrelated articles landed in a copy group.

Scale: the same set padded with generated articles (bench/gen_corpus.py) to each size, analysed
in a fresh process each: time, memory added, the ratio between the two largest sizes (target:
10k in <= 20 s, <= 300 MB extra, doubling <= 2.3x the time), and a cached reopen.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefreader.core.model import Article  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("POLNEAR_DATA", "/work/data/polnear/data"))
NAME_RE = re.compile(r"^(?P<outlet>[a-z-]+)_(?P<date>\d{4}-\d{2}-\d{2})_(?P<slug>.+)\.txt$")
COPY_KINDS = ("reprint", "trimmed", "local_lead", "words_changed", "trimmed_local")
NOT_COPY_KINDS = ("rewritten", "reused")
OUTLETS = ["Daily Courier", "Morning Ledger", "Valley Post", "Harbor Times", "City Wire", "Evening Star",
           "Northern Echo", "Coast Herald", "Prairie News", "Metro Daily"]


def read_polnear(data: Path, splits: tuple[str, ...] = ("train", "dev")) -> list[Article]:
    """PolNeAR articles of ``splits`` as Articles (headline line as title, outlet and date from the name).
    The test split is the held-out check: read only with ``--splits test``, never while tuning."""
    articles = []
    for split in splits:
        folder = data / split / "text"
        for path in sorted(folder.glob("*.txt")):
            m = NAME_RE.match(path.name)
            if not m:
                continue
            text = path.read_text("utf-8", errors="replace")
            head, _, body = text.partition("\n\n")
            if len(body.split()) < 120:
                continue
            articles.append(Article(id=f"{split}/{path.name}", path=f"{split}/{path.name}", format="txt",
                                    body=body.strip(), title=head.strip(), outlet=m["outlet"], date=m["date"]))
    return articles


def _paragraphs(body: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|\n", body) if p.strip()]


def _shift(date: str, days: int) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def _change_words(paragraphs: list[str], rng: random.Random, n: int) -> list[str]:
    out = list(paragraphs)
    for _ in range(n):
        i = rng.randrange(len(out))
        words = out[i].split()
        if len(words) < 6:
            continue
        j = rng.randrange(len(words))
        words[j] = rng.choice(["officials", "reportedly", "sharply", "critics", "Tuesday", "fiercely", "again"])
        out[i] = " ".join(words)
    return out


def real_twins(real: list[Article]) -> set[str]:
    """Real articles that share two or more identical long paragraphs with another real one (PolNeAR
    holds a few republications, e.g. one NYT story under two headlines): their truth is unknown, so
    they are neither originals nor background in the scoring."""
    seen: dict[str, set[str]] = {}
    for article in real:
        for para in _paragraphs(article.body):
            if len(para.split()) >= 20:
                seen.setdefault(" ".join(para.split()).casefold(), set()).add(article.id)
    shared: dict[tuple[str, str], int] = {}
    for ids in seen.values():
        ordered = sorted(ids)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                shared[(a, b)] = shared.get((a, b), 0) + 1
    return {x for pair, n in shared.items() if n >= 2 for x in pair}


def build_set(real: list[Article], originals: int, seed: int) -> tuple[list[Article], dict]:
    """Originals with generated copies and not-copies; returns articles and the truth."""
    rng = random.Random(seed)
    pool = list(real)
    rng.shuffle(pool)
    twins = real_twins(real)
    chosen = [a for a in pool if len(_paragraphs(a.body)) >= 6 and a.id not in twins][:originals]
    others = [a for a in pool if a not in chosen]
    articles: list[Article] = list(pool)
    truth: dict = {"groups": {}, "not_copies": [], "twins": sorted(twins)}
    n = 0
    for orig in chosen:
        paras = _paragraphs(orig.body)
        members = [orig.id]
        kinds = rng.sample(COPY_KINDS, rng.randint(1, 4))
        for kind in kinds + list(rng.sample(NOT_COPY_KINDS, rng.randint(0, 2))):
            n += 1
            # Text of the copy's own: one paragraph from each of several unrelated articles, so that
            # no generated article is itself a copy of a background one.
            filler = [rng.choice(_paragraphs(a.body)) for a in rng.sample(others, min(8, len(others)))]
            if kind == "reprint":
                new = paras
            elif kind == "trimmed":
                new = paras[: max(3, int(len(paras) * rng.uniform(0.5, 0.8)))]
            elif kind == "local_lead":
                new = [filler[0]] + paras
            elif kind == "words_changed":
                new = _change_words(paras, rng, rng.randint(2, 5))
            elif kind == "trimmed_local":
                new = [filler[0]] + paras[: max(3, int(len(paras) * 0.7))]
            elif kind == "rewritten":  # the first third of the words kept, the rest new text
                words = orig.body.split()
                new = [" ".join(words[: len(words) // 3])]
                count = len(words) // 3
                extra = [rng.choice(_paragraphs(a.body)) for a in rng.sample(others, min(60, len(others)))]
                while count < len(words) and extra:
                    para = extra.pop()
                    new.append(para)
                    count += len(para.split())
            else:  # reused: one or two paragraphs inside another article
                start = rng.randrange(max(1, len(paras) - 2))
                new = filler[:3] + paras[start:start + rng.randint(1, 2)] + filler[3:8]
            article_id = f"gen/{kind}_{n:05d}.txt"
            articles.append(Article(id=article_id, path=article_id, format="txt", body="\n\n".join(new),
                                    title=f"{orig.title} ({kind} {n})" if kind != "words_changed" else orig.title,
                                    outlet=rng.choice(OUTLETS),
                                    date=_shift(orig.date or "2016-01-01", rng.randint(0, 2))))
            if kind in COPY_KINDS:
                members.append(article_id)
            else:
                truth["not_copies"].append(article_id)
        truth["groups"][orig.id] = members
    for i, article in enumerate(articles):
        article.order = i
    return articles, truth


def score(analysis, truth: dict, articles: list[Article]) -> dict:
    true_pairs: set[frozenset[str]] = set()
    for members in truth["groups"].values():
        true_pairs |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}
    found_pairs: set[frozenset[str]] = set()
    for group in analysis.groups:
        members = group.members
        found_pairs |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}
    real_ids = {a.id for a in articles if not a.id.startswith("gen/")}
    twins = set(truth["twins"])
    background = real_ids - set(truth["groups"]) - twins
    # Pairs of two real republications (truth unknown) are not scored either way.
    found_pairs = {p for p in found_pairs if not p <= twins}
    tp = len(true_pairs & found_pairs)
    originals_right = sum(1 for orig in truth["groups"]
                          if (g := analysis.group_of(orig)) is not None and g.original == orig)
    grouped = {m for g in analysis.groups for m in g.members}
    return {
        "pairs_true": len(true_pairs), "pairs_found": len(found_pairs),
        "precision": round(tp / len(found_pairs), 4) if found_pairs else 1.0,
        "recall": round(tp / len(true_pairs), 4) if true_pairs else 1.0,
        "original_right": round(originals_right / len(truth["groups"]), 4),
        "not_copies_in_groups": len(grouped & set(truth["not_copies"])),
        "background_in_groups": sorted(grouped & background)[:10],
        "background_in_groups_n": len(grouped & background),
        "twins": len(twins), "twins_grouped": len(grouped & twins),
    }


def quality(args: argparse.Namespace) -> None:
    from briefreader.core.copies import analyse_copies

    real = read_polnear(args.polnear, tuple(args.splits.split(",")))
    if not real:
        print(f"no PolNeAR articles under {args.polnear}: quality part skipped")
        return
    articles, truth = build_set(real, args.originals, args.seed)
    started = time.perf_counter()
    analysis = analyse_copies(articles)
    elapsed = time.perf_counter() - started
    result = score(analysis, truth, articles)
    print(f"quality: {len(articles)} articles ({len(real)} real PolNeAR {args.splits}, "
          f"{len(truth['groups'])} originals "
          f"with {sum(len(m) - 1 for m in truth['groups'].values())} copies and {len(truth['not_copies'])} "
          f"not-copies), {elapsed:.2f} s")
    print(f"  copy pairs: precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
          f"(true {result['pairs_true']}, found {result['pairs_found']})")
    print(f"  original right: {result['original_right']:.3f} of groups")
    print(f"  not-copies put in a copy group: {result['not_copies_in_groups']}; real background articles in a copy "
          f"group: {result['background_in_groups_n']} {result['background_in_groups']}")
    print(f"  real PolNeAR republications (unscored): {result['twins']} articles, {result['twins_grouped']} of them "
          f"in a copy group")
    print(f"  stories: {len(analysis.stories)}, largest {max((len(s.articles) for s in analysis.stories), default=0)}")


def scale_child(size: int, seed: int, polnear: Path, originals: int) -> dict:
    """Runs in a fresh process: build the padded set, analyse it (and reopen from cache)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from gen_corpus import ArticleFactory

    from briefreader.storage.copies_cache import analyse_copies_cached

    real = read_polnear(polnear)
    articles, _ = build_set(real, originals, seed) if real else ([], {})
    factory = ArticleFactory(seed, 600)
    i = 0
    while len(articles) < size:
        data = factory.article(i)
        article_id = f"pad/{i:06d}.txt"
        articles.append(Article(id=article_id, path=article_id, format="txt", body="\n\n".join(data["paragraphs"]),
                                title=data["title"], outlet=data["outlet"], date=data["date"], order=len(articles)))
        i += 1
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as cache:
        started, cpu = time.perf_counter(), time.process_time()
        analysis = analyse_copies_cached(articles, cache_dir=Path(cache))
        elapsed, cpu_s = time.perf_counter() - started, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        reopened_at = time.perf_counter()
        again = analyse_copies_cached(articles, cache_dir=Path(cache))
        reopen = time.perf_counter() - reopened_at
    assert again.stats.get("cached"), "cache not used on reopen"
    return {"size": len(articles), "seconds": round(elapsed, 2), "cpu_s": round(cpu_s, 2),
            "extra_mb": round(peak - base_rss, 1), "reopen_s": round(reopen, 3), "stats": analysis.stats}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--originals", type=int, default=150)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10000, 20000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--splits", default="train,dev", help="PolNeAR splits for the quality part (held out: test)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(scale_child(args.child, args.seed, args.polnear, args.originals)))
        return
    quality(args)
    results = []
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(size), "--seed", str(args.seed),
                              "--polnear", str(args.polnear), "--originals", str(args.originals)],
                             capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(row)
        stats = row["stats"]
        print(f"scale {row['size']:>6}: {row['seconds']:.2f} s wall ({row['cpu_s']:.2f} CPU-s; sample "
              f"{stats['sample_s']} s, pairs {stats['pairs_s']} s, compare {stats['compare_s']} s, stories "
              f"{stats['stories_s']} s), +{row['extra_mb']:.0f} MB, cached reopen {row['reopen_s']:.3f} s, "
              f"{stats['groups']} groups / {stats['copies']} copies")
    if len(results) >= 2:
        a, b = results[-2], results[-1]
        print(f"ratio {b['size']}/{a['size']} articles: time x{b['seconds'] / a['seconds']:.2f} "
              f"(CPU x{b['cpu_s'] / a['cpu_s']:.2f})")
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
