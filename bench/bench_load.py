"""Benchmark: load + clean a generated corpus, against plain read + decode of the same files.

    python bench/bench_load.py [--sizes 1000 10000] [--workdir /tmp/briefreader-bench]

For each size it prints articles/s and MB/s for:
- baseline: read every file and decode it (what any reader must do at least),
- full load without the record cache (discover, decode, parse, clean, metadata, repetition evidence),
- reopen with the record cache warm (a stat per file).
Target (issue 2): 10k articles of about 5 KB load and clean in under 5 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gen_corpus import cached_corpus  # noqa: E402

from briefreader.storage.corpus import discover, load_corpus  # noqa: E402


def cpu_seconds() -> float:
    """CPU time of this process and its finished worker processes (robust to a busy machine)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def baseline(root: Path) -> tuple[float, int]:
    files, _ = discover(root)
    started = time.perf_counter()
    total = 0
    for rel in files:
        data = (root / rel).read_bytes()
        total += len(data)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data.decode("cp1252", errors="replace")
    return time.perf_counter() - started, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/briefreader-bench"))
    args = parser.parse_args()
    os.environ.setdefault("BRIEFREADER_HOME", str(args.workdir / "home"))
    print(f"{'size':>6} {'step':<22} {'seconds':>8} {'articles/s':>11} {'MB/s':>7} {'x baseline':>10} {'CPU s':>7}")
    for size in args.sizes:
        root = cached_corpus(args.workdir, size)
        from briefreader.core.paths import derived_dir

        shutil.rmtree(root / ".briefreader", ignore_errors=True)
        shutil.rmtree(derived_dir(root, create=False), ignore_errors=True)  # record cache, index, quotes: per user
        cpu = cpu_seconds()
        base_s, nbytes = baseline(root)
        mb = nbytes / 2**20
        rows = [("read+decode (baseline)", base_s, size, cpu_seconds() - cpu)]
        started, cpu = time.perf_counter(), cpu_seconds()
        corpus = load_corpus(root, use_cache=False)
        rows.append(("load+clean, no cache", time.perf_counter() - started, len(corpus), cpu_seconds() - cpu))
        load_corpus(root)  # fills the record cache
        started, cpu = time.perf_counter(), cpu_seconds()
        cached = load_corpus(root)
        rows.append(("reopen, cache warm", time.perf_counter() - started, len(cached), cpu_seconds() - cpu))
        assert cached.from_cache == len(cached), (cached.from_cache, len(cached))
        for step, seconds, count, cpu_used in rows:
            print(f"{size:>6} {step:<22} {seconds:>8.2f} {count / seconds:>11.0f} {mb / seconds:>7.1f} "
                  f"{seconds / base_s:>10.1f} {cpu_used:>7.2f}")
        print(f"{size:>6} corpus: {len(corpus)} articles, {mb:.1f} MB, {len(corpus.warnings)} warnings, "
              f"{sum(len(a.removed) for a in corpus.articles)} removed blocks")
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (figures are wall-clock)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
