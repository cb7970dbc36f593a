"""Benchmark: what each CLI command costs as the corpus grows (issue: 50,000 articles on one machine).

    python bench/bench_scale.py [--sizes 10000 50000] [--workdir bench/out] [--cold] [--runs 3]
                                [--home DIR] [--steps list search index ...] [--no-quotes]

For each size a generated corpus (bench/gen_corpus.py, reused between runs) is opened once to warm
the record cache and build the index; then every step runs as its own process (a new user's
command), ``--runs`` times, and the median wall time and the largest peak RSS are printed:

    list (table), list --json, list --jsonl, search "one word", index after touching 10 files,
    quotes --json (cached)
and, in one process with one reused search session, the first page (20 hits with snippets) of a
common word (in about half of the articles) and of two-word phrases: median and p95 ms (wall, and the
probe process's CPU time: on a busy machine the wall figures include waiting for a core).
With ``--cold``, also the first-time steps (each once, in this order, so the build finds the record
cache the list filled): list with no record cache, a full index build, quotes with no cache; with
their CPU seconds (user + sys over all their processes). Peak memory is the summed RSS of a step's
whole process tree (bench/proctree.py), so a build's forked sub-writers and the loader's workers count.
Finally the ratio of the two largest sizes for every step (target: doubling the corpus costs at most
2.3x), and the load average (the machine is shared).

``--home DIR`` keeps each size's per-user state (record cache, index, quote cache) in DIR/SIZE
between runs instead of a fresh temporary folder (the warm steps then skip the warming);
``--steps`` runs only the steps whose names contain one of the given words; ``--no-quotes`` leaves
out the quote steps (their cost is another issue's).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_corpus import cached_corpus  # noqa: E402

from proctree import run_measured  # noqa: E402

# CPU seconds (user + sys, every process of the step) of the last run of each step, for the table
CPU: dict[str, float] = {}


def run_step(argv: list[str], home: Path) -> tuple[float, float]:
    """(wall seconds, peak MB) of one `briefreader ARGV` process, stdout discarded. The peak is the
    summed RSS of the command and every process it started, sampled over its run (the index build
    forks sub-writers, the loader spawns workers); its CPU seconds go to :data:`CPU`."""
    env = dict(os.environ, BRIEFREADER_HOME=str(home))
    done = run_measured([sys.executable, "-m", "briefreader", *argv], env=env)
    if done.returncode not in (0, 1):
        raise SystemExit(f"briefreader {' '.join(argv)} failed ({done.returncode}): {done.stderr[-500:]}")
    CPU[" ".join(argv[:1] + [a for a in argv[2:]])] = done.cpu
    return done.wall, done.peak_rss_mb


def touch_files(corpus: Path, count: int) -> None:
    """Change ``count`` article files (a word appended), as an analyst's new download would."""
    files = sorted(p for p in corpus.rglob("*.txt"))[:count]
    for path in files:
        with open(path, "ab") as handle:
            handle.write(b"\nUpdated.\n")
    time.sleep(2.1)  # past the record cache's racy-mtime window


SEARCH_PROBE = """
import json, re, statistics, sys, time, resource
from collections import Counter
from briefreader.storage.index import CorpusIndex
from briefreader.core.search_query import BODY_FIELD

root, repeat = sys.argv[1], int(sys.argv[2])
ix = CorpusIndex.open(root)
session = ix.searcher()
reader = session._searcher.reader()
docs = reader.doc_count()
# common words: the terms whose document frequency is nearest half of the articles
by_df = sorted(((abs(df - docs / 2), term) for term, df in
                ((t.decode() if isinstance(t, bytes) else t, reader.doc_frequency(BODY_FIELD, t))
                 for t in reader.lexicon(BODY_FIELD)) if len(term) >= 4 and term.isalpha()))
common = [term for _, term in by_df[:5]]
# two-word phrases: frequent word pairs of a fixed sample of bodies (every 97th article by id, so the
# same phrases whatever order the build gave the documents)
id_column = reader.column_reader("id")
by_id = sorted(reader.all_doc_ids(), key=lambda d: id_column[d])
pairs = Counter()
for docnum in by_id[::97]:
    words = re.findall(r"[a-z]{4,}", reader.stored_fields(docnum).get("body", "").lower())
    pairs.update(zip(words, words[1:]))
ranked = [pair for pair, _ in pairs.most_common()]
phrases = ['"%s %s"' % ranked[int(len(ranked) * f)] for f in (0.0, 0.001, 0.01, 0.05, 0.2)]
out = {}
def p50_p95(times):
    times = sorted(times)
    return [statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]]
for name, queries in (("common word", common), ("two-word phrase", phrases)):
    times, cpu_times = [], []
    for q in queries:
        session.search(q, limit=20)
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            session.search(q, limit=20)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
    # wall time is the figure; CPU time (this process) tells it apart from a busy machine's waiting
    out[name] = p50_p95(times) + [queries] + p50_p95(cpu_times)
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def search_probe(corpus: Path, home: Path, repeat: int = 10) -> dict:
    """In-process first-page latency (ms, median and p95) of common words and two-word phrases."""
    env = dict(os.environ, BRIEFREADER_HOME=str(home))
    done = subprocess.run([sys.executable, "-c", SEARCH_PROBE, str(corpus), str(repeat)], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"search probe failed: {done.stderr[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def wanted(name: str, steps: list[str] | None, quotes: bool) -> bool:
    if not quotes and "quotes" in name:
        return False
    return steps is None or any(word in name for word in steps)


def measure(size: int, workdir: Path, runs: int, cold: bool, home_root: Path | None = None,
            steps: list[str] | None = None, quotes: bool = True) -> dict[str, tuple[float, float]]:
    corpus = cached_corpus(workdir, size)
    if home_root is not None:
        home = home_root / str(size)
        if cold:
            shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True, exist_ok=True)
    else:
        home = Path(tempfile.mkdtemp(prefix=f"bench-scale-{size}-"))
    results: dict[str, tuple[float, float]] = {}
    try:
        if cold:
            cold_steps = {"list, first time": ["list", str(corpus), "--jsonl"],
                          "index, full build": ["index", str(corpus)],
                          "quotes --json, first time": ["quotes", str(corpus), "--json"]}
            for name, argv in cold_steps.items():
                if wanted(name, steps, quotes):
                    results[name] = run_step(argv, home)
                    results[f"{name}: CPU s"] = (CPU[" ".join(argv[:1] + argv[2:])], 0.0)
        else:
            run_step(["index", str(corpus)], home)  # warm: record cache and index
            if quotes and wanted("quotes", steps, quotes):
                run_step(["quotes", str(corpus), "--json"], home)
        commands = {
            "list (table)": ["list", str(corpus)],
            "list --json": ["list", str(corpus), "--json"],
            "list --jsonl": ["list", str(corpus), "--jsonl"],
            "search one word": ["search", str(corpus), "minister"],
            "quotes --json, cached": ["quotes", str(corpus), "--json"],
        }
        for name, argv in commands.items():
            if not wanted(name, steps, quotes):
                continue
            timings = [run_step(argv, home) for _ in range(runs)]
            results[name] = (statistics.median(t for t, _ in timings), max(r for _, r in timings))
        if wanted("search in-process", steps, quotes):
            probe = search_probe(corpus, home)
            for name in ("common word", "two-word phrase"):
                median_ms, p95_ms, queries, cpu_median_ms, cpu_p95_ms = probe[name]
                print(f"  [{size}] {name}: {', '.join(queries)}", file=sys.stderr)
                results[f"search in-process, {name} p50 (ms)"] = (median_ms / 1000, probe["rss_mb"])
                results[f"search in-process, {name} p95 (ms)"] = (p95_ms / 1000, probe["rss_mb"])
                results[f"search in-process, {name} CPU p50 (ms)"] = (cpu_median_ms / 1000, probe["rss_mb"])
                results[f"search in-process, {name} CPU p95 (ms)"] = (cpu_p95_ms / 1000, probe["rss_mb"])
        if wanted("index after touching 10 files", steps, quotes):
            timings = []
            for _ in range(runs):
                touch_files(corpus, 10)
                timings.append(run_step(["index", str(corpus)], home))
            results["index after touching 10 files"] = (statistics.median(t for t, _ in timings),
                                                        max(r for _, r in timings))
    finally:
        if home_root is None:
            shutil.rmtree(home, ignore_errors=True)
    return results


def _figure(name: str, seconds: float) -> str:
    if name.endswith("(ms)"):
        return f"{seconds * 1000:8.1f} ms"
    return f"{seconds:8.2f} s "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--workdir", type=Path, default=HERE / "out")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="also the first-time steps (slow at 50k)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    parser.add_argument("--home", type=Path, default=None,
                        help="keep each size's per-user state in HOME/SIZE between runs (default: a fresh one)")
    parser.add_argument("--steps", nargs="+", default=None, help="only the steps whose names contain these words")
    parser.add_argument("--no-quotes", action="store_true", help="leave out the quote steps")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    table: dict[int, dict[str, tuple[float, float]]] = {}
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    for size in args.sizes:
        table[size] = measure(size, args.workdir, args.runs, args.cold, args.home, args.steps, not args.no_quotes)
        print(f"\n{size} articles (median of {args.runs}; peak RSS; load {os.getloadavg()[0]:.1f})")
        for name, (seconds, rss) in table[size].items():
            print(f"  {name:<44} {_figure(name, seconds)}  {rss:7.0f} MB", flush=True)
    if len(args.sizes) >= 2:
        small, large = args.sizes[-2], args.sizes[-1]
        print(f"\nratio {large}/{small} articles (x{large / small:.1f} the work)")
        for name in table[large]:
            if name in table[small] and table[small][name][0] > 0:
                print(f"  {name:<44} time x{table[large][name][0] / table[small][name][0]:.2f}  "
                      f"memory x{table[large][name][1] / max(1.0, table[small][name][1]):.2f}")
    print(f"\nload average: {os.getloadavg()[0]:.1f}")
    if args.json:
        print(json.dumps({str(k): v for k, v in table.items()}))


if __name__ == "__main__":
    main()
