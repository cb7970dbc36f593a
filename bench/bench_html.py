"""Benchmark: HTML extraction quality and speed on real news pages, against hand-written expectations.

    python bench/bench_html.py /tmp/realpages [--expectations bench/html_expectations.json]
                               [--repeat 3] [--details] [--json]

The pages are real articles from public sites (see bench/html_expectations.json for where they come
from); they are not stored in the repository. For every page the expectations list sentences that
must be in the extracted body (start, middle, end of the article), page furniture that must not be
(navigation, related links, newsletter and cookie notices, footers) and the title, author, date and
outlet the page states.

Rows printed:
- ``pipeline``: briefreader's full path for HTML: ``load_corpus`` on a temporary copy of the folder,
  without the record cache, so extraction *and* the shared text cleaner run;
- ``extract_html``: ``briefreader.core.html.extract_html`` alone (what the cleaner receives);
- ``traf. <variant>``: ``trafilatura.bare_extraction`` called directly with each setting.

Columns: pages whose must-have sentences are all present (and the total of sentences found), pages
with leaked furniture (and the number of leaked strings), metadata fields right (title, author, date,
outlet, out of 4 per page), and milliseconds per page (mean over pages of the median of ``--repeat``
runs; extractors run interleaved so that load from other processes hits all of them alike; the
pipeline row times whole ``load_corpus`` calls instead, file reading, metadata inference and
cleaning included). ``--details`` prints, per page, what each row missed or
leaked, what the cleaner removed from real article text, and what its cross-article repetition
evidence removes when the same story is in the corpus three times.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefreader.storage.corpus import load_corpus, normalise_date  # noqa: E402
from briefreader.core.html import extract_html  # noqa: E402

DEFAULT_EXPECTATIONS = Path(__file__).resolve().parent / "html_expectations.json"

# Direct trafilatura settings compared with each other (with_metadata is always on; comments off
# except in "defaults", which is trafilatura's out-of-the-box behaviour).
VARIANTS: dict[str, dict[str, Any]] = {
    "defaults (comments+tables)": {},
    "default, no tables": {"include_comments": False, "include_tables": False},
    "default, tables": {"include_comments": False, "include_tables": True},
    "fast": {"include_comments": False, "include_tables": False, "fast": True},
    "favor_precision": {"include_comments": False, "include_tables": False, "favor_precision": True},
    "favor_precision, tables": {"include_comments": False, "include_tables": True, "favor_precision": True},
    "favor_recall": {"include_comments": False, "include_tables": False, "favor_recall": True},
    "favor_recall, tables": {"include_comments": False, "include_tables": True, "favor_recall": True},
    "no tables, original_date": {"include_comments": False, "include_tables": False,
                                 "date_extraction_params": {"original_date": True, "extensive_search": True}},
}

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u200b": ""})


def norm(text: str | None) -> str:
    """Text as compared: NFKC, straight quotes, plain dashes, collapsed spaces, casefolded."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


def norm_name(text: str | None) -> str:
    """A title/author/outlet as compared: ``norm`` without surrounding punctuation and "www."/".com"."""
    text = norm(text).strip(" .,;:|-'\"")
    text = re.sub(r"^www\.", "", text)
    return re.sub(r"\.com$", "", text)


@dataclass
class Result:
    """What one extractor produced for one page."""

    body: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    outlet: str | None = None
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Score:
    found: list[str]
    missed: list[str]
    leaked: list[str]
    meta_right: dict[str, bool]
    meta_got: dict[str, Any]


def score(result: Result, expect: dict[str, Any]) -> Score:
    body = norm(result.body)
    found = [s for s in expect["must_have"] if norm(s) in body]
    missed = [s for s in expect["must_have"] if norm(s) not in body]
    leaked = [s for s in expect["must_not"] if norm(s) in body]
    got = {"title": result.title, "author": result.author, "date": result.date, "outlet": result.outlet}
    right = {
        "title": norm_name(result.title) == norm_name(expect.get("title")),
        "author": _author_right(result.author, expect.get("author")),
        "date": (normalise_date(result.date) or "")[:10] in expect.get("date", []),
        "outlet": norm_name(result.outlet) in {norm_name(o) for o in expect.get("outlet", [])},
    }
    return Score(found, missed, leaked, right, got)


def _author_right(got: str | None, expected: str | None) -> bool:
    """Right when the author field names exactly the expected person(s), in any order."""
    if not got or not expected:
        return not got and not expected
    split = lambda s: sorted(p for p in (norm_name(x) for x in re.split(r";|,| and |&", s)) if p)  # noqa: E731
    return split(got) == split(expected)


# --------------------------------------------------------------------------- extractors


def run_trafilatura(html: str, options: dict[str, Any]) -> Result:
    import trafilatura

    start = time.perf_counter()
    doc = trafilatura.bare_extraction(html, with_metadata=True, **options)
    seconds = time.perf_counter() - start
    if doc is None:
        return Result("", seconds=seconds)
    return Result(getattr(doc, "text", None) or "", getattr(doc, "title", None), getattr(doc, "author", None),
                  getattr(doc, "date", None), getattr(doc, "sitename", None), seconds)


def run_extract_html(html: str) -> Result:
    start = time.perf_counter()
    page = extract_html(html)
    seconds = time.perf_counter() - start
    meta = page.metadata
    return Result(page.text, meta.get("title"), meta.get("author"), meta.get("date"), meta.get("outlet"), seconds)


def run_pipeline(folder: Path, names: list[str]) -> tuple[dict[str, Result], float]:
    """Load a temporary copy of the pages with ``load_corpus`` (no cache); results per file name."""
    with tempfile.TemporaryDirectory(prefix="bench-html-") as tmp:
        root = Path(tmp) / "corpus"
        root.mkdir()
        for name in names:
            shutil.copy2(folder / name, root / name)
        start = time.perf_counter()
        corpus = load_corpus(root, use_cache=False)
        seconds = time.perf_counter() - start
    results: dict[str, Result] = {}
    for article in corpus.articles:
        results[article.path] = Result(
            article.body, article.title, article.author, article.date, article.outlet, seconds / max(len(names), 1),
            extra={"source": article.source, "removed": [(r.text, r.reason) for r in article.removed]},
        )
    for warning in corpus.warnings:
        print(f"  load warning: {warning.path}: {warning.message}", file=sys.stderr)
    return results, seconds


# --------------------------------------------------------------------------- report


@dataclass
class Row:
    name: str
    scores: dict[str, Score]
    ms_per_page: float

    def summary(self) -> dict[str, Any]:
        pages = len(self.scores)
        complete = sum(1 for s in self.scores.values() if not s.missed)
        sentences = sum(len(s.found) for s in self.scores.values())
        sentences_total = sum(len(s.found) + len(s.missed) for s in self.scores.values())
        leaky = sum(1 for s in self.scores.values() if s.leaked)
        leaked = sum(len(s.leaked) for s in self.scores.values())
        per_field = {f: sum(1 for s in self.scores.values() if s.meta_right[f])
                     for f in ("title", "author", "date", "outlet")}
        return {"row": self.name, "pages": pages, "complete_pages": complete, "sentences_found": sentences,
                "sentences_total": sentences_total, "pages_leaking": leaky, "leaked_strings": leaked,
                "meta_right": sum(per_field.values()), "meta_total": 4 * pages, "meta_by_field": per_field,
                "ms_per_page": round(self.ms_per_page, 1)}


def print_table(rows: list[Row]) -> None:
    head = (f"{'row':<36} {'complete':>9} {'sentences':>10} {'leaking':>8} {'leaks':>6} {'meta':>7}  "
            f"{'t/a/d/o':<11} {'ms/page':>8}")
    print(head)
    print("-" * len(head))
    for row in rows:
        s = row.summary()
        fields = "/".join(str(s["meta_by_field"][f]) for f in ("title", "author", "date", "outlet"))
        print(f"{s['row']:<36} {s['complete_pages']:>4}/{s['pages']:<4} "
              f"{s['sentences_found']:>4}/{s['sentences_total']:<5}"
              f" {s['pages_leaking']:>8} {s['leaked_strings']:>6} {s['meta_right']:>3}/{s['meta_total']:<3}"
              f"  {fields:<11}"
              f" {s['ms_per_page']:>8.1f}")


def print_details(rows: list[Row], pipeline: dict[str, Result], extracted: dict[str, Result]) -> None:
    for row in rows:
        lines = []
        for page, sc in sorted(row.scores.items()):
            for s in sc.missed:
                lines.append(f"  {page}: MISSING  {s[:90]}")
            for s in sc.leaked:
                lines.append(f"  {page}: LEAKED   {s[:90]}")
            for f, ok in sc.meta_right.items():
                if not ok:
                    lines.append(f"  {page}: {f:<7} got {sc.meta_got[f]!r}")
        if lines:
            print(f"\n[{row.name}]")
            print("\n".join(lines))
    print("\n[cleaner] long extracted paragraphs (>= 12 words) missing from the cleaned body, with the removal reason")
    any_loss = False
    for page in sorted(pipeline):
        body = norm(pipeline[page].body)
        removed = pipeline[page].extra.get("removed", [])
        for para in re.split(r"\n\s*\n", extracted[page].body):
            if len(para.split()) < 12 or norm(para) in body:
                continue
            reasons = sorted({reason for text, reason in removed
                              if norm(text) and (norm(text) in norm(para) or norm(para) in norm(text))})
            any_loss = True
            print(f"  {page}: {para.strip()[:110]!r}  <- {', '.join(reasons) or 'partly removed / rewritten'}")
    if not any_loss:
        print("  (none)")
    print("\n[cleaner] every block the cleaner removed, per page (reason: text)")
    for page in sorted(pipeline):
        for text, reason in pipeline[page].extra.get("removed", []):
            print(f"  {page}: {reason}: {text.strip()[:100]!r}")


def print_duplicate_check(folder: Path, names: list[str], pages: dict[str, Any],
                          single: dict[str, Result]) -> None:
    """Load three copies of every page (one story saved three times, as happens with re-fetched or
    updated wire copy) and show what the cleaner removes then that it kept with one copy, and which
    must-have sentences that costs."""
    print("\n[cleaner] every page loaded as 3 identical copies: removed now but kept with one copy")
    with tempfile.TemporaryDirectory(prefix="bench-html-dup-") as tmp:
        root = Path(tmp) / "corpus"
        root.mkdir()
        for name in names:
            for copy in range(3):
                shutil.copy2(folder / name, root / f"{copy}-{name}")
        corpus = load_corpus(root, use_cache=False)
    lost_total = 0
    for article in corpus.articles:
        copy, page = article.path.split("-", 1)
        if copy != "0":
            continue
        kept_before = {norm(text) for text, _ in single[page].extra.get("removed", [])}
        for block in article.removed:
            if norm(block.text) not in kept_before:
                print(f"  {page}: {block.reason}: {block.text.strip()[:110]!r}")
        lost = [m for m in pages[page]["must_have"] if norm(m) not in norm(article.body)]
        lost_total += len(lost)
        for m in lost:
            print(f"  {page}: MUST-HAVE LOST: {m[:90]}")
    print(f"  must-have sentences lost with 3 copies: {lost_total}")


def check_expectations(folder: Path, pages: dict[str, Any]) -> list[str]:
    """Expectation strings that are not in the page at all (typos in the expectations file)."""
    problems = []
    for name, expect in pages.items():
        page = (folder / name).read_text(encoding="utf-8", errors="replace")
        spaced = norm(_unescape(re.sub(r"<[^>]+>", " ", page)))
        joined = norm(_unescape(re.sub(r"<[^>]+>", "", page)))
        for s in expect["must_have"] + expect["must_not"]:
            if norm(s) not in spaced and norm(s) not in joined:
                problems.append(f"{name}: expectation not found in the page: {s!r}")
    return problems


def _unescape(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(html)


def measure_round_robin(extractors: dict[str, Callable[[str], Result]], html: dict[str, str],
                        repeat: int) -> dict[str, dict[str, Result]]:
    """Run every extractor on every page ``repeat`` times, interleaved (page by page, extractor by
    extractor, round after round) so that noise from other processes hits all of them alike.
    Returns results per extractor and page, with ``seconds`` = median of the runs."""
    runs: dict[str, dict[str, list[Result]]] = {name: {page: [] for page in html} for name in extractors}
    for _ in range(max(repeat, 1)):
        for page, text in html.items():
            for name, fn in extractors.items():
                runs[name][page].append(fn(text))
    out: dict[str, dict[str, Result]] = {}
    for name, per_page in runs.items():
        out[name] = {}
        for page, results in per_page.items():
            first = results[0]
            first.seconds = statistics.median(r.seconds for r in results)
            out[name][page] = first
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="folder holding the real pages (file names as in the expectations)")
    parser.add_argument("--expectations", type=Path, default=DEFAULT_EXPECTATIONS)
    parser.add_argument("--repeat", type=int, default=5, help="timing runs per page and extractor (median kept)")
    parser.add_argument("--details", action="store_true", help="print misses, leaks, metadata errors, cleaner removals")
    parser.add_argument("--json", action="store_true", help="print the summary rows as JSON")
    args = parser.parse_args(argv)

    pages: dict[str, Any] = json.loads(args.expectations.read_text(encoding="utf-8"))["pages"]
    present = [name for name in sorted(pages) if (args.folder / name).is_file()]
    for name in sorted(set(pages) - set(present)):
        print(f"skipped (not in {args.folder}): {name}", file=sys.stderr)
    if not present:
        print(f"no expected page found in {args.folder}", file=sys.stderr)
        return 2
    for problem in check_expectations(args.folder, {n: pages[n] for n in present}):
        print(f"warning: {problem}", file=sys.stderr)
    html = {name: (args.folder / name).read_text(encoding="utf-8", errors="replace") for name in present}
    size_kb = sum(len(h) for h in html.values()) / 1024

    rows: list[Row] = []
    pipeline_runs = [run_pipeline(args.folder, present) for _ in range(max(args.repeat, 1))]
    pipeline = pipeline_runs[0][0]
    pipeline_ms = statistics.median(sec for _, sec in pipeline_runs) * 1000 / len(present)
    rows.append(Row("pipeline (load_corpus, cleaned)", {n: score(pipeline[n], pages[n]) for n in present}, pipeline_ms))

    extractors: dict[str, Callable[[str], Result]] = {"extract_html (ours, no cleaner)": run_extract_html}
    for label, options in VARIANTS.items():
        extractors[f"traf. {label}"] = lambda text, options=options: run_trafilatura(text, options)
    measured = measure_round_robin(extractors, html, args.repeat)
    extracted = measured["extract_html (ours, no cleaner)"]
    for name, results in measured.items():
        rows.append(Row(name, {n: score(results[n], pages[n]) for n in present},
                        statistics.mean(r.seconds for r in results.values()) * 1000))

    if args.json:
        print(json.dumps([row.summary() for row in rows], indent=2))
        return 0
    import trafilatura

    print(f"{len(present)} real pages ({size_kb:.0f} KB of HTML), trafilatura {trafilatura.__version__}, "
          f"{args.repeat} timing run(s); 3 must-have sentences and 2-4 furniture strings per page")
    print_table(rows)
    if args.details:
        print_details(rows, pipeline, extracted)
        print_duplicate_check(args.folder, present, pages, pipeline)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
