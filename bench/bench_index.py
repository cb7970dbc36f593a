"""Benchmark: the search index (issue 3) against a plain Whoosh build of the same texts, in the same run.

    python bench/bench_index.py [--sizes 1000 10000] [--workdir /tmp/briefreader-bench-index]
                                [--repeat 3] [--skip-pipeline]

Corpora come from bench/gen_corpus.py (about 600 words per article, mixed formats, boilerplate) and
live under --workdir. Every build runs in its own process so peak memory is per build. It prints:

- build, per size (best of --rounds runs, alternating the order, since other work on the machine
  comes and goes): plain Whoosh with default settings (one process, limitmb=128, StandardAnalyzer,
  body stored) vs briefreader's index with one process and with two processes (``procs=2``, what
  ``briefreader index`` uses on 2+ cores): seconds, articles/s, index size on disk, peak RSS
  (the builder's and, for procs=2, its largest sub-writer's). Articles are loaded from the record
  cache first and not timed, so these are indexing rates;
- the full pipeline (``briefreader index DIR`` on a never-seen folder: read, decode, clean, index):
  wall seconds and articles/s (skip with --skip-pipeline);
- with --pairs-cost, only the build with and without the phrase pairs (storage/index_pairs.py):
  seconds, CPU seconds, articles/s, size and the ratios, same articles, same run;
- at the largest size: query latency (median and p95, ms, top 20 with snippets, one reused
  searcher) over a fixed mix (single term, two terms, phrase, prefix, fielded, date range) and
  search-as-you-type prefixes; the incremental update after changing 10 files (CLI wall time and
  in-process time); the open of the unchanged corpus (record cache + index open + up-to-date check).

Targets (issue 3): >= 180 articles/s for the full pipeline at 10k; query p95 < 50 ms; incremental
update of 10 changed files < 3 s; open of an unchanged 10k corpus < 1 s. The machine has 2 cores
shared with other work: figures are noisy, ratios to the baseline firmer.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

from gen_corpus import cached_corpus  # noqa: E402


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


# --------------------------------------------------------------------------- steps run in a child process


def step_build(root: Path, kind: str, out: Path) -> dict:
    from briefreader.storage.corpus import load_corpus

    corpus = load_corpus(root)
    started = time.perf_counter()
    if kind == "plain":
        from whoosh import fields, index

        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        schema = fields.Schema(id=fields.ID(stored=True, unique=True), path=fields.ID(stored=True),
                               title=fields.TEXT(stored=True), body=fields.TEXT(stored=True))
        started = time.perf_counter()
        ix = index.create_in(str(out), schema)
        writer = ix.writer()
        for a in corpus.articles:
            writer.add_document(id=a.id, path=a.path, title=a.title or "", body=a.body)
        writer.commit()
        seconds = time.perf_counter() - started
        location = out
    else:
        from briefreader.storage import index_pairs
        from briefreader.storage.index import CorpusIndex

        if kind.endswith("-nopairs"):  # the pair field without pairs: what the index cost before it
            index_pairs.PAIR_MIN_SHARE = 2.0
        ix = CorpusIndex.open(root)
        started = time.perf_counter()
        cpu = cpu_seconds()
        report = ix.update(corpus, rebuild=True, procs=2 if kind.startswith("procs2") else 1)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        assert report.added == len(corpus), report
        location = ix.location
        ix.close()
        return {"seconds": seconds, "cpu": cpu, "docs": len(corpus), "disk": folder_size(location),
                "peak": peak_mb(), "child_peak": peak_mb(resource.RUSAGE_CHILDREN)}
    return {"seconds": seconds, "docs": len(corpus), "disk": folder_size(location), "peak": peak_mb(),
            "child_peak": peak_mb(resource.RUSAGE_CHILDREN)}


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its waited-for children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pairs_cost(workdir: Path, sizes: list[int], rounds: int) -> None:
    """Build time and size of the index with its phrase pairs and without them (the same articles,
    one process, alternating order, best of ``rounds``): the price of storage/index_pairs.py."""
    print(f"{'size':>6} {'build':<30} {'seconds':>8} {'CPU s':>7} {'art/s':>6} {'disk MB':>8} {'peak MB':>8}")
    for size in sizes:
        root = cached_corpus(workdir, size)
        from briefreader.storage.corpus import load_corpus

        load_corpus(root)  # fill the record cache (not timed)
        kinds = {"procs1": "with phrase pairs", "procs1-nopairs": "without pairs (as before)"}
        results: dict[str, dict] = {}
        for round_number in range(rounds):
            order = list(kinds) if round_number % 2 == 0 else list(reversed(kinds))
            for kind in order:
                result = run_step("build", str(root), kind, str(workdir / f"plain-{size}"))
                if kind not in results or result["cpu"] < results[kind]["cpu"]:
                    results[kind] = result
        for kind, label in kinds.items():
            r = results[kind]
            print(f"{size:>6} {label:<30} {r['seconds']:>8.1f} {r['cpu']:>7.1f} {r['docs'] / r['seconds']:>6.0f} "
                  f"{r['disk'] / 2**20:>8.1f} {r['peak']:>8.0f}", flush=True)
        new, old = results["procs1"], results["procs1-nopairs"]
        print(f"{size:>6} {'ratio with / without':<30} {new['seconds'] / old['seconds']:>7.2f}x "
              f"{new['cpu'] / old['cpu']:>6.2f}x {'':>6} {new['disk'] / old['disk']:>7.2f}x", flush=True)


def step_open(root: Path) -> dict:
    started = time.perf_counter()
    from briefreader.storage.corpus import load_corpus
    from briefreader.storage.index import CorpusIndex

    corpus = load_corpus(root)
    loaded = time.perf_counter()
    ix = CorpusIndex.open(root)
    stale = ix.needs_update(corpus)
    session = ix.searcher()
    done = time.perf_counter()
    session.close()
    ix.close()
    return {"seconds": done - started, "load": loaded - started, "index": done - loaded, "stale": stale,
            "from_cache": corpus.from_cache, "docs": len(corpus)}


def step_update(root: Path) -> dict:
    started = time.perf_counter()
    from briefreader.storage.corpus import load_corpus
    from briefreader.storage.index import CorpusIndex

    corpus = load_corpus(root)
    loaded = time.perf_counter()
    ix = CorpusIndex.open(root)
    report = ix.update(corpus)
    done = time.perf_counter()
    ix.close()
    return {"seconds": done - started, "load": loaded - started, "index": done - loaded, "added": report.added,
            "updated": report.updated, "deleted": report.deleted}


def run_step(*args: str) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, __file__, "--step", *args], capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(f"step {args} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- query mix


def query_mix(corpus, rng: random.Random) -> dict[str, list[str]]:
    """A fixed, seeded mix of realistic queries drawn from the corpus's own words."""
    from briefreader.core.search_query import build_schema

    stop = {"the", "and", "that", "with", "from", "this", "have", "they", "which", "were", "their", "been",
            "would", "will", "said", "after", "there", "than", "into", "about", "other", "when", "more", "also"}
    counts: Counter[str] = Counter()
    bigrams: list[tuple[str, str]] = []
    sample = rng.sample(corpus.articles, min(400, len(corpus.articles)))
    for a in sample:
        words = re.findall(r"[a-z]{4,}", a.body.lower())
        counts.update(words)
        for x, y in zip(words, words[1:], strict=False):
            if x not in stop and y not in stop:
                bigrams.append((x, y))
    ranked = [w for w, _ in counts.most_common() if w not in stop]
    spread = [ranked[int(len(ranked) * f)] for f in (0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7)]
    outlets = sorted({a.outlet for a in corpus.articles if a.outlet})
    months = sorted({a.date[:7] for a in corpus.articles if a.date and len(a.date) >= 7})
    schema = build_schema()
    del schema
    mix = {
        "single term": spread,
        "two terms": [f"{spread[i]} {ranked[int(len(ranked) * 0.03) + i]}" for i in range(10)],
        "phrase": [f'"{x} {y}"' for x, y in rng.sample(bigrams, 10)],
        "prefix": [f"{w[:rng.choice((3, 4))]}*" for w in rng.sample(ranked[:2000], 10)],
        "fielded": [f'outlet:"{rng.choice(outlets)}" {w}' for w in spread[:5]]
                   + [f"title:{w}" for w in spread[:5]],
        "date range": [f"date:[{m}-01 to {m}-15]" for m in rng.sample(months, min(5, len(months)))]
                      + [f"date:{m} {w}"
                         for m, w in zip(rng.sample(months, min(5, len(months))), spread, strict=False)],
    }
    typed = []
    for w in rng.sample(ranked[:3000], 5):
        typed += [f"{w[:n]}*" for n in range(2, len(w) + 1)]
    mix["type-ahead (each keystroke)"] = typed
    return mix


def bench_queries(root: Path, repeat: int) -> list[tuple[str, float, float, int]]:
    from briefreader.storage.corpus import load_corpus
    from briefreader.storage.index import CorpusIndex

    corpus = load_corpus(root)
    ix = CorpusIndex.open(root)
    if ix.needs_update(corpus):
        ix.update(corpus, procs=2)
    session = ix.searcher()
    mix = query_mix(corpus, random.Random(7))
    rows = []
    everything: list[float] = []
    for kind, queries in mix.items():
        times = []
        for q in queries:
            session.search(q, limit=20)  # warm this query's terms once
            for _ in range(repeat):
                started = time.perf_counter()
                session.search(q, limit=20)
                times.append((time.perf_counter() - started) * 1000)
        if not kind.startswith("type-ahead"):
            everything += times
        rows.append((kind, statistics.median(times), percentile(times, 95), len(queries)))
    rows.append(("all of the fixed mix", statistics.median(everything), percentile(everything, 95), 60))
    # snippets off, for scale
    times = []
    for q in mix["single term"] + mix["two terms"] + mix["phrase"]:
        started = time.perf_counter()
        session.search(q, limit=20, snippets=False)
        times.append((time.perf_counter() - started) * 1000)
    rows.append(("terms+phrases, no snippets", statistics.median(times), percentile(times, 95), 30))
    # a new searcher per query (what a naive caller does), for scale
    times = []
    for q in mix["single term"]:
        started = time.perf_counter()
        s = ix.searcher()
        s.search(q, limit=20)
        s.close()
        times.append((time.perf_counter() - started) * 1000)
    rows.append(("single term, NEW searcher each", statistics.median(times), percentile(times, 95), 10))
    session.close()
    ix.close()
    return rows


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def touch_ten_files(root: Path, round_number: int) -> list[str]:
    files = sorted(p for p in root.rglob("*.txt") if ".briefreader" not in p.parts)
    chosen = random.Random(round_number).sample(files, 10)
    for p in chosen:
        with open(p, "a", encoding="utf-8") as fh:
            fh.write(f"\nUpdate {round_number}: officials confirmed the lighthouse inspection.\n")
    return [str(p.relative_to(root)) for p in chosen]


# --------------------------------------------------------------------------- Whoosh version checks


def whoosh_checks() -> None:
    """Facts about the installed Whoosh that decided the pin and the workarounds (imports only whoosh).

    Run it under another Whoosh to compare, e.g. a venv with whoosh==2.7.4:
    ``/tmp/venv274/bin/python bench/bench_index.py --whoosh-checks``.
    """
    import tempfile
    import warnings

    import whoosh
    from whoosh import fields, index
    from whoosh import query as q
    from whoosh.analysis import StemmingAnalyzer

    print(f"whoosh {whoosh.versionstring()} at {Path(whoosh.__file__).parent}")
    package = Path(whoosh.__file__).parent
    flagged = []
    for path in sorted(package.rglob("*.py")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            compile(path.read_text("utf-8"), str(path), "exec")
        if caught:
            flagged.append(f"{path.relative_to(package).as_posix()} ({len(caught)})")
    print(f"  modules with invalid-escape warnings when compiled: {len(flagged)}: {', '.join(flagged) or '-'}")

    schema = fields.Schema(id=fields.ID(stored=True, unique=True), n=fields.NUMERIC(stored=True),
                           body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True), tag=fields.KEYWORD)
    ix = index.create_in(tempfile.mkdtemp(), schema)
    w = ix.writer()
    for i in range(10):
        w.add_document(id=f"d{i}", body="alpha summit" if i in (0, 1) else "alpha", n=i,
                       tag="july" if i in (1, 2) else "x")
    w.commit()
    searcher = ix.searcher()
    w = ix.writer()
    w.delete_by_term("id", "d3")
    w.commit()
    refreshed = searcher.refresh()
    print(f"  Searcher.refresh() after a deletion still finds the deleted doc: "
          f"{len(refreshed.search(q.Term('id', 'd3'))) == 1}")
    with ix.searcher() as s:
        found = [h["id"] for h in s.search(q.AndNot(q.Term("tag", "july"), q.Term("body", "summit")))]
    print(f"  tag:july ANDNOT body:summit -> {found} (right: ['d2'])")

    ix = index.create_in(tempfile.mkdtemp(), schema)
    w = ix.writer()
    w.add_document(id="ok", body="fine", n=1)
    with contextlib.suppress(Exception):
        w.add_document(id="bad", body="halfwritten", n="not a number")
    try:
        w.add_document(id="ok2", body="more", n=2)
        w.commit()
        with ix.searcher() as s:
            owners = [h["id"] for h in s.search(q.Term("body", "halfwritten"))]
        print(f"  a document failing half-way: writer goes on; its words are found in {owners} (right: [])")
    except Exception as exc:
        w.cancel()
        print(f"  a document failing half-way: the writer is unusable afterwards ({exc})")

    rng = random.Random(1)
    vocab = ["".join(rng.choices("etaoinshrdlcumwfgyp", k=rng.randint(3, 9))) for _ in range(8000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    docs = [" ".join(rng.choices(vocab, weights, k=600)) for _ in range(3000)]
    ix = index.create_in(tempfile.mkdtemp(), schema)
    w = ix.writer(limitmb=256)
    for i, body in enumerate(docs):
        w.add_document(id=f"d{i}", body=body, n=i)
    w.commit()
    started = time.perf_counter()
    w = ix.writer()
    for i in range(0, 3000, 30):
        w.update_document(id=f"d{i}", body=docs[i] + " changed", n=i)
    w.commit()
    print(f"  update_document x100 in a 3,000-article index: {time.perf_counter() - started:.2f} s")


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/briefreader-bench-index"))
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query")
    parser.add_argument("--rounds", type=int, default=2,
                        help="build rounds per size, in alternating order; the best time of each is shown")
    parser.add_argument("--skip-pipeline", action="store_true", help="skip the cold CLI build (slow: cleaning)")
    parser.add_argument("--skip-builds", action="store_true",
                        help="skip the build comparison (queries, update and open only; needs a built index)")
    parser.add_argument("--whoosh-checks", action="store_true",
                        help="only print facts about the installed Whoosh (warnings, known bugs, update speed)")
    parser.add_argument("--pairs-cost", action="store_true",
                        help="only the build with and without the phrase pairs (time, CPU, size, ratio)")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.whoosh_checks:
        whoosh_checks()
        return
    os.environ.setdefault("BRIEFREADER_HOME", str(args.workdir / "home"))
    if args.step:
        kind, *rest = args.step
        if kind == "build":
            result = step_build(Path(rest[0]), rest[1], Path(rest[2]))
        elif kind == "open":
            result = step_open(Path(rest[0]))
        else:
            result = step_update(Path(rest[0]))
        print(json.dumps(result))
        return

    if args.pairs_cost:
        print(f"load average {os.getloadavg()[0]:.1f}")
        pairs_cost(args.workdir, args.sizes, args.rounds)
        print(f"load average {os.getloadavg()[0]:.1f}")
        return
    import whoosh

    print(f"whoosh {whoosh.versionstring()} · python {sys.version.split()[0]} · {os.cpu_count()} cores · "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"\n{'size':>6} {'build':<34} {'seconds':>8} {'art/s':>6} {'disk MB':>8} {'peak MB':>8} {'x plain':>8}")
    for size in [] if args.skip_builds else args.sizes:
        root = cached_corpus(args.workdir, size)
        from briefreader.storage.corpus import load_corpus

        load_corpus(root)  # fill the record cache (not timed)
        kinds = (("plain", "plain Whoosh, default settings"), ("procs1", "briefreader index, 1 process"),
                 ("procs2", "briefreader index, 2 processes"))
        results: dict[str, dict] = {}
        order = [k for k, _ in kinds]
        for round_number in range(args.rounds):  # alternate the order: load from other work drifts
            for kind in order if round_number % 2 == 0 else list(reversed(order)):
                r = run_step("build", str(root), kind, str(args.workdir / f"plain-{size}"))
                if kind not in results or r["seconds"] < results[kind]["seconds"]:
                    results[kind] = r
        for kind, label in kinds:
            r = results[kind]
            peak = f"{r['peak']:.0f}" + (f"+{r['child_peak']:.0f}" if kind == "procs2" else "")
            ratio = results["plain"]["seconds"] / r["seconds"]
            print(f"{size:>6} {label:<34} {r['seconds']:>8.1f} {r['docs'] / r['seconds']:>6.0f} "
                  f"{r['disk'] / 2**20:>8.1f} {peak:>8} {ratio:>7.2f}x", flush=True)
        if not args.skip_pipeline:
            from briefreader.core.paths import derived_dir

            shutil.rmtree(root / ".briefreader", ignore_errors=True)
            shutil.rmtree(derived_dir(root, create=False), ignore_errors=True)  # record cache, index, quotes: per user
            env = dict(os.environ, PYTHONPATH=str(REPO))
            started = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "briefreader", "index", str(root), "--json"],
                                  capture_output=True, text=True, env=env)
            seconds = time.perf_counter() - started
            if proc.returncode:
                raise SystemExit(proc.stderr)
            report = json.loads(proc.stdout)
            print(f"{size:>6} {'full pipeline: briefreader index DIR':<34} {seconds:>8.1f} "
                  f"{report['articles'] / seconds:>6.0f} {'':>8} {peak_mb(resource.RUSAGE_CHILDREN):>8.0f}   "
                  f"(of which indexing {report['seconds']:.1f} s with procs={report.get('procs')})", flush=True)

    root = cached_corpus(args.workdir, max(args.sizes))
    size = max(args.sizes)
    print(f"\nqueries at {size} articles: top 20 with snippets, one reused searcher, "
          f"{args.repeat} timed runs per query after one warm-up")
    print(f"{'kind':<32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for kind, median, p95, n in bench_queries(root, args.repeat):
        print(f"{kind:<32} {median:>10.1f} {p95:>8.1f} {n:>8}", flush=True)

    print(f"\nincremental update after changing 10 files of {size} (scan + re-clean + re-index)")
    for round_number in (1, 2):
        touch_ten_files(root, round_number)
        time.sleep(2.1)  # past the record cache's racy-mtime window, as in real use
        env = dict(os.environ, PYTHONPATH=str(REPO))
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "briefreader", "index", str(root), "--json"],
                              capture_output=True, text=True, env=env)
        wall = time.perf_counter() - started
        report = json.loads(proc.stdout)
        print(f"  round {round_number}: CLI `briefreader index` wall {wall:.2f} s (index update "
              f"{report['seconds']:.2f} s; {report['updated']} updated, {report['added']} added)", flush=True)
    touch_ten_files(root, 3)
    time.sleep(2.1)
    r = run_step("update", str(root))
    print(f"  round 3, in-process: {r['seconds']:.2f} s = load {r['load']:.2f} s + index open/update "
          f"{r['index']:.2f} s ({r['updated']} updated)")

    print(f"\nopen of the unchanged {size} corpus (record cache + index open + up-to-date check), fresh process")
    for _ in range(3):
        r = run_step("open", str(root))
        print(f"  {r['seconds']:.2f} s = load {r['load']:.2f} s + index {r['index']:.2f} s "
              f"(from cache {r['from_cache']}/{r['docs']}, stale={r['stale']})")


if __name__ == "__main__":
    main()
