"""Evaluation: plain-text page cleaning on real news pages rendered to text as a browser copy would.

    python bench/eval_cleaning.py [--aeb /work/data/aeb] [--split dev|heldout|all] [--details N]
                                  [--show HASHPREFIX]

Data (not in the repository): the pages of the Article Extraction Benchmark
(``html/<hash>.html.gz``) and their hand-made article bodies (``ground-truth.json``, field
``articleBody``). The path comes from ``--aeb`` or ``BRIEFREADER_AEB`` (default /work/data/aeb);
when it is absent the script says so and exits 0.

Each page is rendered to plain text with ``html_text.extract_text(html, guess_layout=True)``
(what "select all, copy" gives: furniture stays as lines), then cleaned with ``clean_text``.
Split: pages sorted by hash; every third page (index % 3 == 2) is HELD-OUT, never used for tuning.

Printed per split:
- word 4-gram F1 / precision / recall (the benchmark's own measure: per-page normalised counts,
  mean precision and recall, F1 of the means) for: no cleaning, briefreader's clean_text;
- line figures: a rendered line is a *body line* when at least 60% of its word 4-grams occur in
  articleBody (a line under 4 words: when it is a whole line of articleBody, e.g. a crosshead),
  *furniture* when none of its 4-grams do (under 4 words: when its words do not occur in that
  order in the body); lines in between are not counted. Furniture
  removed = furniture lines clean_text removed / furniture lines; body kept = body lines kept /
  body lines.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefreader.core.clean import clean_text, normalise_line  # noqa: E402

_TOKEN_RE = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter:
    toks = tokens(text)
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i:i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Shingle matching as in the benchmark's evaluate.py (normalised per page)."""
    ts, ps = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in set(ts) | set(ps):
        t, p = ts.get(key, 0), ps.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def f1_of(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    def prec(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fp == 0 else tp / (tp + fp)

    def rec(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(prec(*r) for r in rows if r[0] + r[1] > 0)
    r_ = statistics.mean(rec(*r) for r in rows if r[0] + r[2] > 0)
    return (2 * p * r_ / (p + r_) if p + r_ else 0.0), p, r_


def render(html: str) -> str:
    import html_text

    return html_text.extract_text(html, guess_layout=True)


def line_kind(line: str, body_shingles: set, body_words: str, body_lines: set[str]) -> str | None:
    """'body', 'furniture' or None (ambiguous) for one rendered line."""
    toks = tokens(line)
    if not toks:
        return None
    if len(toks) < 4:  # a crosshead or list item of the body, or furniture sharing none of its words
        joined = " ".join(toks).lower()
        if joined in body_lines:
            return "body"
        return None if f" {joined} " in body_words else "furniture"
    grams = [tuple(toks[i:i + 4]) for i in range(len(toks) - 3)]
    hit = sum(1 for g in grams if g in body_shingles) / len(grams)
    if hit >= 0.6:
        return "body"
    if hit == 0:
        return "furniture"
    return None


def load_pages(aeb: Path) -> list[tuple[str, str, str]]:
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        path = aeb / "html" / f"{key}.html.gz"
        if not path.exists():
            continue
        raw = gzip.decompress(path.read_bytes())
        html = raw.decode("utf-8", errors="replace")
        pages.append((key, html, truth[key].get("articleBody") or ""))
    return pages


def html_path_rows(pages: list[tuple[str, str, str]]) -> list[tuple[float, float, float]]:
    """Word 4-gram rows of briefreader's HTML path (extraction, then the shared cleaner) per page."""
    import tempfile

    from briefreader.storage.corpus import load_corpus

    with tempfile.TemporaryDirectory() as tmp:
        for key, html, _ in pages:
            Path(tmp, f"{key}.html").write_text(html, encoding="utf-8")
        corpus = load_corpus(Path(tmp), use_cache=False)
        bodies = {Path(a.path).stem: a.body for a in corpus.articles}
    return [tp_fp_fn(truth, bodies.get(key, "")) for key, _, truth in pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aeb", type=Path, default=Path(os.environ.get("BRIEFREADER_AEB", "/work/data/aeb")))
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--details", type=int, default=0, help="list the N worst pages of each split")
    parser.add_argument("--show", default="", help="print line verdicts for the page with this hash prefix")
    parser.add_argument("--html", action="store_true",
                        help="also measure the HTML path: load_corpus on the saved pages (extraction + cleaning)")
    args = parser.parse_args()
    if not (args.aeb / "ground-truth.json").exists():
        print(f"no benchmark data at {args.aeb} (set --aeb or BRIEFREADER_AEB); skipped")
        return
    try:
        import html_text  # noqa: F401
    except ImportError:
        print("html-text is not installed (pip install html-text); skipped")
        return
    pages = load_pages(args.aeb)
    splits = {"dev": [p for i, p in enumerate(pages) if i % 3 != 2],
              "heldout": [p for i, p in enumerate(pages) if i % 3 == 2]}
    wanted = ["dev", "heldout"] if args.split == "all" else [args.split]
    for name in wanted:
        raw_rows, clean_rows = [], []
        furn = furn_removed = body = body_kept = 0
        per_page = []
        cpu = 0.0
        for key, html, truth in splits[name]:
            text = render(html)
            t0 = time.process_time()
            result = clean_text(text)
            cpu += time.process_time() - t0
            raw_rows.append(tp_fp_fn(truth, text))
            row = tp_fp_fn(truth, result.body)
            clean_rows.append(row)
            body_sh = set(shingles(truth))
            body_words = " " + " ".join(tokens(truth)).lower() + " "
            body_lines = {" ".join(tokens(x)).lower() for x in truth.splitlines() if x.strip()}
            pos = 0
            verdicts = []
            for raw in text.splitlines(True):
                line = raw.strip()
                if line:
                    kind = line_kind(line, body_sh, body_words, body_lines)
                    start = pos + raw.index(line[0])
                    why = next((b.reason for b in result.removed if b.start <= start < b.end), "")
                    gone = bool(why)
                    if kind == "furniture":
                        furn += 1
                        furn_removed += gone
                    elif kind == "body":
                        body += 1
                        body_kept += not gone
                    verdicts.append((kind, why, line))
                pos += len(raw)
            per_page.append((row[0] / (row[0] + 0.5 * (row[1] + row[2])) if sum(row) else 0, key, row))
            if args.show and key.startswith(args.show):
                from briefreader.core.prose import load_model, prose_score

                model = load_model()
                for kind, why, line in verdicts:
                    norm = normalise_line(line)
                    z = prose_score(norm, 0, model)
                    print(f"{'-' if why else ' '} {str(kind)[:4]:4} {z:+5.1f} {why[:18]:18} {norm[:120]}")
        f1r, pr, rr = f1_of(raw_rows)
        f1c, pc, rc = f1_of(clean_rows)
        print(f"[{name}] {len(splits[name])} pages")
        print(f"  no cleaning   F1 {f1r:.3f}  P {pr:.3f}  R {rr:.3f}")
        print(f"  clean_text    F1 {f1c:.3f}  P {pc:.3f}  R {rc:.3f}   "
              f"({1000 * cpu / max(1, len(splits[name])):.1f} ms CPU per page)")
        print(f"  furniture lines removed {furn_removed}/{furn} = {furn_removed / max(1, furn):.1%}; "
              f"body lines kept {body_kept}/{body} = {body_kept / max(1, body):.1%}")
        if args.html:
            html_rows = html_path_rows(splits[name])
            f1h, ph, rh = f1_of(html_rows)
            print(f"  HTML path     F1 {f1h:.3f}  P {ph:.3f}  R {rh:.3f}   (load_corpus on the .html pages)")
        if args.details:
            for f1, key, row in sorted(per_page)[: args.details]:
                print(f"    {key[:12]}  F1 {f1:.2f}  tp {row[0]:.2f} fp {row[1]:.2f} fn {row[2]:.2f}")


if __name__ == "__main__":
    main()
