"""Benchmark: quote extraction + clustering on generated corpora with planted variants.

    python bench/bench_quotes.py [--sizes 1000 10000 20000] [--seed 1] [--cache]
    python bench/bench_quotes.py --corpus DIR [--runs 3] [--keep-output DIR] [--copies-first]

With ``--corpus`` (e.g. bench_scale's generated corpus-10000 / corpus-50000), the `quotes DIR --json`
command is timed as a user runs it, each run its own process with its own fresh per-user folder
(BRIEFREADER_HOME): the record cache is warmed first (`list --jsonl`, not counted), then the first
`quotes --json` (no quote or copy cache: extraction, clustering, writing the cache) and ``--runs``
cached ones (median wall time, largest peak RSS, CPU seconds user+sys), plus one cached
`quotes --json --all`; ``--copies-first`` makes the copy analysis first (`copies --json`, timed apart)
so that the first `quotes` figure is the quote analysis alone. The JSON of
every run is hashed: the cached output must be byte-identical to the first one's (printed, and
the exit status is 1 when not). ``--keep-output DIR`` keeps the outputs to compare across versions.

Each size runs in its own process (so peak memory is per size) and prints:
- baseline: a plain regex scan for quote-mark pairs over every body (the least any quote finder
  does), measured in the same process;
- extraction, clustering and cluster-building time, total time, peak RSS (ru_maxrss) and the
  memory added by the analysis;
- candidate pairs scored vs all unit pairs (what comparing all pairs would cost, estimated from
  timing a sample of all-pairs scoring);
- pairwise precision / recall of the clusters on the planted variants, and recall per kind of
  planted transformation (a pair is "found" when both renderings land in one cluster);
- with --cache: a second analysis reading the cache (reopening an unchanged corpus).
Finally the time ratio of the two largest sizes (target: 2x articles costs at most 2.3x the time;
10k articles in under 30 s). The machine is shared: figures are noisy.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

_PAIR_RE = re.compile(r"[\"“«]([^\"”»\n]*)[\"”»]")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _comb2(n: int) -> int:
    return n * (n - 1) // 2


def score_planted(analysis, truth) -> dict:
    """Pairwise precision/recall of predicted clusters against the planted statements.

    A rendering is a whole quotation, so the truth unit is the planted utterance (every sentence
    of it, whole, cut or reworded, is one statement: ``sentence_id`` "u12.3" belongs to "u12").
    Each planted sentence span goes to the cluster of the rendering covering at least half of it
    (a rendering may cover several planted sentences)."""
    by_article: dict[str, list] = defaultdict(list)
    for t in truth:
        by_article[t.article].append(t)
    pred_of: dict[int, str] = {}
    index = {id(t): i for i, t in enumerate(truth)}
    matched_variants = 0
    unmatched_pred: Counter = Counter()
    for c in analysis.clusters:
        for v in c.variants:
            spans = getattr(v, "spans", None) or ((v.start, v.end),)
            hit = False
            for t in by_article.get(v.article, ()):
                overlap = sum(max(0, min(t.end, e) - max(t.start, s)) for s, e in spans)
                if overlap >= 0.5 * (t.end - t.start) and index[id(t)] not in pred_of:
                    pred_of[index[id(t)]] = c.id
                    hit = True
            if hit:
                matched_variants += 1
            else:
                unmatched_pred[c.id] += 1
    # contingency of (truth sentence, predicted cluster)
    cells: Counter = Counter()
    truth_sizes: Counter = Counter()
    pred_sizes: Counter = Counter(unmatched_pred)
    for i, t in enumerate(truth):
        statement = t.sentence_id.rsplit(".", 1)[0]
        truth_sizes[statement] += 1
        p = pred_of.get(i)
        if p is not None:
            cells[(statement, p)] += 1
            pred_sizes[p] += 1
    tp = sum(_comb2(n) for n in cells.values())
    pred_pairs = sum(_comb2(n) for n in pred_sizes.values())
    true_pairs = sum(_comb2(n) for n in truth_sizes.values())
    # recall per planted kind: pairs (canonical-ish "identical" rendering, this kind) found together
    kind_found: Counter = Counter()
    kind_total: Counter = Counter()
    by_sentence: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(truth):
        by_sentence[t.sentence_id.rsplit(".", 1)[0]].append(i)
    for members in by_sentence.values():
        if len(members) < 2:
            continue
        anchors = [i for i in members if truth[i].kind == "identical"] or members[:1]
        a = anchors[0]
        for i in members:
            if i == a:
                continue
            kind_total[truth[i].kind] += 1
            kind_found[truth[i].kind] += pred_of.get(i) is not None and pred_of.get(i) == pred_of.get(a)
    return {
        "pair_precision": round(tp / pred_pairs, 4) if pred_pairs else 1.0,
        "pair_recall": round(tp / true_pairs, 4) if true_pairs else 1.0,
        "extraction_recall": round(len(pred_of) / len(truth), 4) if truth else 1.0,
        "recall_by_kind": {k: round(kind_found[k] / kind_total[k], 3) for k in sorted(kind_total)},
    }


def run_one(size: int, seed: int, use_cache: bool) -> dict:
    from gen_quotes_corpus import generate_articles

    from briefreader.core.quote_clusters import analyse_quotes

    t = time.perf_counter()
    articles, truth = generate_articles(size, seed)
    gen_s = time.perf_counter() - t
    rss_before = _rss_mb()

    t = time.perf_counter()
    found = sum(len(_PAIR_RE.findall(a.body)) for a in articles)
    baseline_s = time.perf_counter() - t

    t = time.perf_counter()
    c = time.process_time()
    analysis = analyse_quotes(articles)
    total_s = time.perf_counter() - t
    cpu_s = time.process_time() - c
    rss_after = _rss_mb()

    # all-pairs cost estimate: time a sample of unit-pair scores, scale to n_units^2 / 2
    from rapidfuzz.distance import Indel

    from briefreader.core.diffing import word_keys

    texts = [v.text for c in analysis.clusters for v in c.variants]
    keys = [word_keys(x) for x in texts[:2000]]
    rng = random.Random(0)
    sample = [(rng.choice(keys), rng.choice(keys)) for _ in range(20000)]
    t = time.perf_counter()
    for a, b in sample:
        Indel.normalized_similarity(a, b)
    per_pair = (time.perf_counter() - t) / len(sample)
    n_units = analysis.stats["units"]

    out = {
        "articles": size,
        "quotes": analysis.quotes_total,
        "units": n_units,
        "clusters": len(analysis.clusters),
        "generate_s": round(gen_s, 2),
        "baseline_regex_scan_s": round(baseline_s, 3),
        "baseline_pairs_found": found,
        "extract_s": analysis.stats["extract_s"],
        "cluster_s": analysis.stats["cluster_s"],
        "build_s": analysis.stats["build_s"],
        "cpu_by_stage": [analysis.stats["extract_cpu_s"], analysis.stats["cluster_cpu_s"],
                         analysis.stats["build_cpu_s"]],
        "total_s": round(total_s, 2),
        "cpu_s": round(cpu_s, 2),
        "peak_rss_mb": round(rss_after, 1),
        "analysis_added_mb": round(rss_after - rss_before, 1),
        "candidates": analysis.stats["candidates"],
        "scored_pairs": analysis.stats["scored"],
        "all_pairs": _comb2(n_units),
        "all_pairs_estimated_s": round(per_pair * _comb2(n_units), 1),
    }
    out.update(score_planted(analysis, truth))
    if use_cache:
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            analyse_quotes(articles, cache_dir=Path(tmp))
            out["first_run_with_cache_write_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            again = analyse_quotes(articles, cache_dir=Path(tmp))
            out["reopen_from_cache_s"] = round(time.perf_counter() - t, 2)
            assert again.stats.get("from_cache")
    return out


_CLI_RUNNER = (
    "import resource, sys\n"
    "from briefreader.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "sys.stderr.write(f'\\n@@RSS {usage.ru_maxrss}\\n@@CPU {usage.ru_utime + usage.ru_stime}\\n')\n"
    "sys.exit(code)\n"
)


def _run_cli(argv: list[str], home: Path, output: Path) -> tuple[float, float, str, int, float]:
    """(wall s, peak RSS MB, sha256 of stdout, stdout bytes, CPU s user+sys) of one `briefreader ARGV`
    process."""
    import hashlib
    import os

    env = dict(os.environ, BRIEFREADER_HOME=str(home))
    started = time.perf_counter()
    with open(output, "wb") as sink:
        done = subprocess.run([sys.executable, "-c", _CLI_RUNNER, *argv], env=env, stdout=sink,
                              stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"briefreader {' '.join(argv)} failed ({done.returncode}): {done.stderr[-800:]}")
    rss = max((int(line.split()[1]) / 1024 for line in done.stderr.splitlines() if line.startswith("@@RSS ")),
              default=0.0)
    cpu = max((float(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("@@CPU ")),
              default=0.0)
    digest = hashlib.sha256()
    with open(output, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return elapsed, rss, digest.hexdigest(), output.stat().st_size, cpu


def run_cli(corpus: Path, runs: int, keep: Path | None, copies_first: bool = False) -> int:
    """Time `quotes CORPUS --json` first time and cached, as separate processes; outputs compared.
    ``copies_first``: the copy analysis is made (and cached) by `copies CORPUS --json` first, timed
    apart, so the first `quotes` figure is the quote analysis alone."""
    import os
    import shutil
    import statistics

    home = Path(tempfile.mkdtemp(prefix="bench-quotes-home-"))
    out_dir = keep or Path(tempfile.mkdtemp(prefix="bench-quotes-out-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"corpus {corpus}; load average at start {os.getloadavg()[0]:.1f} (2 shared cores)")
    try:
        warm = _run_cli(["list", str(corpus), "--jsonl"], home, out_dir / "list.jsonl")  # the record cache
        listed = _run_cli(["list", str(corpus), "--jsonl"], home, out_dir / "list.jsonl")
        print(f"  (list --jsonl: first {warm[0]:.2f} s, then {listed[0]:.2f} s {listed[1]:.0f} MB: loading the "
              "corpus, part of every figure below)", flush=True)
        if copies_first:
            copies = _run_cli(["copies", str(corpus), "--json"], home, out_dir / "copies.json")
            print(f"  copies --json, first time   {copies[0]:8.2f} s  {copies[1]:7.0f} MB  CPU {copies[4]:6.1f} s  "
                  "(cached for the quote analysis below)", flush=True)
        first = _run_cli(["quotes", str(corpus), "--json"], home, out_dir / "quotes-first.json")
        print(f"  quotes --json, first time   {first[0]:8.2f} s  {first[1]:7.0f} MB  CPU {first[4]:6.1f} s  "
              f"{first[3] / 1e6:7.1f} MB of JSON  sha256 {first[2][:16]}"
              + ("" if copies_first else "  (copy analysis included)"), flush=True)
        cached = [_run_cli(["quotes", str(corpus), "--json"], home, out_dir / "quotes-cached.json")
                  for _ in range(runs)]
        print(f"  quotes --json, cached       {statistics.median(c[0] for c in cached):8.2f} s  "
              f"{max(c[1] for c in cached):7.0f} MB  CPU {statistics.median(c[4] for c in cached):6.1f} s  "
              f"(median of {runs}: "
              f"{', '.join(f'{c[0]:.2f}' for c in cached)})", flush=True)
        every = _run_cli(["quotes", str(corpus), "--json", "--all"], home, out_dir / "quotes-all.json")
        print(f"  quotes --json --all, cached {every[0]:8.2f} s  {every[1]:7.0f} MB  "
              f"{every[3] / 1e6:7.1f} MB of JSON  sha256 {every[2][:16]}")
        same = all(c[2] == first[2] for c in cached)
        print(f"  cached output identical to the first: {'yes' if same else 'NO'}")
        print(f"load average at end {os.getloadavg()[0]:.1f}")
        return 0 if same else 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
        if keep is None:
            shutil.rmtree(out_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 20000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", action="store_true", help="also time writing and reading the cache")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help="time the `quotes DIR --json` command on this corpus folder")
    parser.add_argument("--runs", type=int, default=3, help="--corpus: cached runs (median)")
    parser.add_argument("--keep-output", type=Path, help="--corpus: keep the JSON outputs in this folder")
    parser.add_argument("--copies-first", action="store_true",
                        help="--corpus: make the copy analysis first (`copies --json`, timed apart), so the first "
                             "`quotes` figure is the quote analysis alone")
    args = parser.parse_args()
    if args.corpus:
        return run_cli(args.corpus, args.runs, args.keep_output, args.copies_first)
    if args.one:
        print(json.dumps(run_one(args.one, args.seed, args.cache)))
        return 0
    results = []
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)]
        cmd += ["--cache"] if args.cache else []
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"\n== {size} articles: {r['quotes']} quotes, {r['units']} renderings, {r['clusters']} clusters")
        print(f"   baseline regex scan {r['baseline_regex_scan_s']}s | extract {r['extract_s']}s | cluster "
              f"{r['cluster_s']}s | build {r['build_s']}s | TOTAL {r['total_s']}s wall, {r['cpu_s']}s CPU")
        print(f"   CPU by stage (extract, cluster, build): {r['cpu_by_stage']}")
        print(f"   peak RSS {r['peak_rss_mb']} MB (analysis added {r['analysis_added_mb']} MB)")
        print(f"   scored pairs {r['scored_pairs']:,} of {r['all_pairs']:,} possible "
              f"(all pairs would take ~{r['all_pairs_estimated_s']}s to score)")
        print(f"   planted variants: pair precision {r['pair_precision']} recall {r['pair_recall']} "
              f"(extraction recall {r['extraction_recall']})")
        print(f"   recall by kind: {r['recall_by_kind']}")
        if "reopen_from_cache_s" in r:
            print(f"   with cache: first run {r['first_run_with_cache_write_s']}s, reopen {r['reopen_from_cache_s']}s")
    if len(results) >= 2:
        a, b = results[-2], results[-1]
        size_ratio = b["articles"] / a["articles"]
        for key, label in (("total_s", "wall"), ("cpu_s", "CPU")):
            ratio = b[key] / a[key] if a[key] else float("inf")
            print(f"\nscaling {a['articles']} -> {b['articles']} articles ({size_ratio:.1f}x): {label} time "
                  f"x{ratio:.2f} (target <= {2.3 * size_ratio / 2:.2f})", end="")
        print()
    for r in results:
        if r["articles"] == 10000:
            verdict = "OK" if r["total_s"] < 30 else "OVER"
            print(f"10k articles: {r['total_s']}s wall, {r['cpu_s']}s CPU (target < 30 s): {verdict} "
                  f"(wall time counts waiting for a core on a shared machine; CPU time does not)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
