"""Benchmark: what each CLI command costs as the corpus grows (issue: 50,000 articles on one machine).

    python bench/bench_scale.py [--sizes 10000 50000] [--workdir bench/out] [--cold] [--runs 3]

For each size a generated corpus (bench/gen_corpus.py, reused between runs) is opened once to warm
the record cache and build the index; then every step runs as its own process (a new user's
command), ``--runs`` times, and the median wall time and the largest peak RSS are printed:

    list (table), list --json, list --jsonl, search "one word", index after touching 10 files,
    quotes --json (cached)
With ``--cold``, also the first-time steps: list with no record cache, a full index build, quotes
with no cache. Finally the ratio of the two largest sizes for every step (target: doubling the
corpus costs at most 2.3x), and the load average (the machine is shared).
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

RUNNER = (
    "import resource, sys\n"
    "from briefreader.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "sys.stderr.write(f'\\n@@RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n"
    "sys.exit(code)\n"
)


def run_step(argv: list[str], home: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one `briefreader ARGV` process, stdout discarded."""
    env = dict(os.environ, BRIEFREADER_HOME=str(home))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUNNER, *argv], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    rss = 0.0
    for line in done.stderr.splitlines():
        if line.startswith("@@RSS "):
            rss = int(line.split()[1]) / 1024
    if done.returncode not in (0, 1):
        raise SystemExit(f"briefreader {' '.join(argv)} failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed, rss


def touch_files(corpus: Path, count: int) -> None:
    """Change ``count`` article files (a word appended), as an analyst's new download would."""
    files = sorted(p for p in corpus.rglob("*.txt"))[:count]
    for path in files:
        with open(path, "ab") as handle:
            handle.write(b"\nUpdated.\n")
    time.sleep(2.1)  # past the record cache's racy-mtime window


def measure(size: int, workdir: Path, runs: int, cold: bool) -> dict[str, tuple[float, float]]:
    corpus = cached_corpus(workdir, size)
    home = Path(tempfile.mkdtemp(prefix=f"bench-scale-{size}-"))
    results: dict[str, tuple[float, float]] = {}
    try:
        if cold:
            results["list, first time"] = run_step(["list", str(corpus), "--jsonl"], home)
            results["index, full build"] = run_step(["index", str(corpus)], home)
            results["quotes --json, first time"] = run_step(["quotes", str(corpus), "--json"], home)
        else:
            run_step(["index", str(corpus)], home)  # warm: record cache and index
            run_step(["quotes", str(corpus), "--json"], home)
        steps = {
            "list (table)": ["list", str(corpus)],
            "list --json": ["list", str(corpus), "--json"],
            "list --jsonl": ["list", str(corpus), "--jsonl"],
            "search one word": ["search", str(corpus), "minister"],
            "quotes --json, cached": ["quotes", str(corpus), "--json"],
        }
        for name, argv in steps.items():
            timings = [run_step(argv, home) for _ in range(runs)]
            results[name] = (statistics.median(t for t, _ in timings), max(r for _, r in timings))
        timings = []
        for _ in range(runs):
            touch_files(corpus, 10)
            timings.append(run_step(["index", str(corpus)], home))
        results["index after touching 10 files"] = (statistics.median(t for t, _ in timings),
                                                    max(r for _, r in timings))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--workdir", type=Path, default=HERE / "out")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="also the first-time steps (slow at 50k)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    table: dict[int, dict[str, tuple[float, float]]] = {}
    for size in args.sizes:
        table[size] = measure(size, args.workdir, args.runs, args.cold)
        print(f"\n{size} articles (median of {args.runs}; peak RSS)")
        for name, (seconds, rss) in table[size].items():
            print(f"  {name:<34} {seconds:8.2f} s  {rss:7.0f} MB")
    if len(args.sizes) >= 2:
        small, large = args.sizes[-2], args.sizes[-1]
        print(f"\nratio {large}/{small} articles (x{large / small:.1f} the work)")
        for name in table[large]:
            if name in table[small] and table[small][name][0] > 0:
                print(f"  {name:<34} time x{table[large][name][0] / table[small][name][0]:.2f}  "
                      f"memory x{table[large][name][1] / max(1.0, table[small][name][1]):.2f}")
    print(f"\nload average: {os.getloadavg()[0]:.1f}")
    if args.json:
        print(json.dumps({str(k): v for k, v in table.items()}))


if __name__ == "__main__":
    main()
