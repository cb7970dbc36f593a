"""Speed of making corpus text inert for the terminal (core/inert.py).

    python bench/bench_inert.py [--words 10000] [--repeat 200]

The reader makes the body inert each time it renders an article (every cursor move), so the cost
on a long body matters. Times, best of --repeat runs (process CPU time, the machine is shared):
a 10,000-word body with nothing to replace (the usual case: one regex scan), with one ESC at the
end (scan + one substitution pass), with 1% of its words carrying an escape sequence, and a
list's worth of one-line fields (5,000 titles) through inert_line. Baseline: ``str.lower()`` on
the same body (the least a pass over every character costs). Target: under 1 ms for a
10,000-word body, under 5 ms for 5,000 titles.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefreader.core.inert import inert, inert_line  # noqa: E402

WORDS = ("the", "ministers", "said", "on", "Sunday", "that", "sanctions", "would", "stay", "in", "force",
         "Kallas", "told", "reporters", "“Europe", "must", "remain", "united,”", "ceasefire", "Brussels")


def _body(words: int, rng: random.Random, evil_share: float = 0.0) -> str:
    out = []
    for i in range(words):
        word = rng.choice(WORDS)
        if evil_share and rng.random() < evil_share:
            word += "\x1b]0;pwned\x07\u202e"
        out.append(word)
        out.append("\n\n" if i % 120 == 119 else " ")
    return "".join(out)


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(10)
    clean = _body(args.words, rng)
    one = clean + "\x1b[2J"
    dense = _body(args.words, rng, evil_share=0.01)
    titles = [" ".join(rng.choice(WORDS) for _ in range(10)) for _ in range(5000)]
    print(f"body: {args.words:,} words, {len(clean):,} characters; best of {args.repeat} runs (CPU time)")
    rows = [
        ("baseline str.lower() on the body", lambda: clean.lower()),
        ("inert(body), nothing to replace", lambda: inert(clean)),
        ("inert(body), one ESC at the end", lambda: inert(one)),
        ("inert(body), 1% of words with a sequence", lambda: inert(dense)),
        ("inert_line() on 5,000 titles", lambda: [inert_line(t) for t in titles]),
    ]
    for label, fn in rows:
        print(f"  {label:<42} {_best(fn, args.repeat) * 1000:8.3f} ms")
    assert len(inert(dense)) == len(dense)


if __name__ == "__main__":
    main()
