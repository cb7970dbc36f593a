"""Speed of the cleaner and metadata inference (no file I/O), with a baseline from the same run.

    python bench/bench_clean.py [--articles 2000] [--repeat 3]

Articles come from bench/gen_corpus.py's factory (plain-text form, ~4-5 KB with page furniture)
plus the five seeds. Baseline: splitting the same texts into lines, stripping and lower-casing each
(the least any line-based cleaner must do). Figures are process CPU time, best of --repeat runs
(the machine is shared, so wall-clock figures are noisy); memoised verdicts are cleared before
each run, so repeated furniture is only remembered within a run, as in one corpus load.
Target: clean_text under 0.2 ms per KB.
Also times a few adversarial inputs (one huge line, a million short lines, nested separators, name
words before MORE and glued hover cards for the inline pass) to show that cleaning stays linear.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from briefreader.core.clean import clean_text, line_fingerprints, repeated_lines, split_lines  # noqa: E402
from briefreader.core.metadata import infer_metadata  # noqa: E402
from briefreader.core.rules import load_rules  # noqa: E402


def _texts(n: int) -> list[str]:
    from gen_corpus import ArticleFactory, _as_text

    factory = ArticleFactory(1, 600)
    texts = [_as_text(factory.article(i)) for i in range(n)]
    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "sample_corpus").glob("*.txt"))]
    return texts + seeds


def _cold() -> None:
    """Forget memoised line verdicts so that every run starts cold (as a fresh load would)."""
    from briefreader.core import clean_lines

    rules = load_rules()
    for cache in (rules.line_cache, rules.evidence_cache, rules.meta_cache, clean_lines.FP_CACHE):
        cache.clear()


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        _cold()
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    t = time.perf_counter()
    rules = load_rules()
    load_s = time.perf_counter() - t
    texts = _texts(args.articles)
    kb = sum(len(x.encode("utf-8")) for x in texts) / 1024

    def baseline() -> None:
        for x in texts:
            for line in x.splitlines():
                line.strip().lower()

    def clean_only() -> None:
        for x in texts:
            clean_text(x, rules)

    def clean_and_meta() -> None:
        for x in texts:
            infer_metadata(x, clean_text(x, rules), rules)

    fps = [line_fingerprints(x) for x in texts]
    repeated = repeated_lines(fps[: len(fps) // 16 * 16 : 16] or fps, min_articles=3)

    def fingerprints() -> None:
        for x in texts:
            line_fingerprints(x)

    def clean_with_evidence() -> None:
        for x in texts:
            clean_text(x, rules, repeated)

    def loader_like() -> None:
        # what the corpus loader does per article: clean, infer metadata, fingerprint the lines;
        # then re-clean with the outlet's repeated-line evidence
        for x in texts:
            lines = split_lines(x)  # one split for cleaning and fingerprints, as process_file does
            infer_metadata(x, clean_text(x, rules, lines=lines), rules)
            line_fingerprints(lines)
        for x in texts:
            clean_text(x, rules, repeated)

    print(f"{len(texts)} articles, {kb:.0f} KB (avg {kb / len(texts):.1f} KB); rules loaded in "
          f"{load_s * 1000:.0f} ms")
    base = _best(baseline, args.repeat)
    print(f"  baseline (split+strip+lower):   {base * 1000 / kb:.4f} ms/KB")
    for label, fn in (("clean_text", clean_only), ("clean_text + infer_metadata", clean_and_meta),
                      ("clean_text with repeated set", clean_with_evidence),
                      ("line_fingerprints", fingerprints),
                      ("loader-like: all of it", loader_like)):
        s = _best(fn, args.repeat)
        print(f"  {label:<30} {s * 1000 / kb:.4f} ms/KB  {s * 1000 / len(texts):.3f} ms/article  "
              f"{len(texts) / s:,.0f} articles/s  x{s / base:.0f} baseline")

    print("adversarial inputs (must stay linear):")
    for label, text in (("one 5 MB line", "word " * 1_000_000),
                        ("1M short nav lines (5 MB)", "Home\n" * 1_000_000),
                        ("nested separators", ("a | " * 14 + "b" * 40 + "\n") * 2000),
                        ("runs of spaces", (" " * 5000 + "x\n") * 100),
                        # inline widgets: name words before MORE, 2 MB of glued hover cards
                        ("names before MORE (2 MB line)", ("Ann Bo Ann Cy Ann Dee " * 40 + "MORE ") * 2300),
                        ("hover cards (2 MB line)",
                         ("Then Jo Doe Jo Quincy DoeHarbour vote slips Doe backs ferry plan MORE spoke. ") * 26000)):
        s = _best(lambda text=text: clean_text(text, rules), 1)
        print(f"  {label:<30} {s:.2f} s  ({len(text) / 1e6 / s:.1f} MB/s)")


if __name__ == "__main__":
    main()
