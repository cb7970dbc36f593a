"""Bounded work on hostile input (issue 10, finding 4): how fast each bound answers, and what the
bounds cost on ordinary input.

    python bench/bench_bounds.py [--articles 600]

Targets: an alias bomb refused in milliseconds; a 200 KB JSON nested 100k deep refused in
milliseconds; a catastrophic corpus rule disabled after one timeout (RULE_CALL_SECONDS; the regex
module overshoots it under load); an 8,000-word query refused in under a millisecond;
`briefreader list` on a folder with one hostile file of each kind in a few seconds; quotation
extraction on one huge line full of names, or one huge paragraph of quotations with no sentence end, in
seconds (linear, not a scan of the line per name or per quotation).
Costs: the JSON depth check per MB (ordinary records and records full of brackets), next to
json.loads; cleaning with five ordinary corpus rules (budgeted, regex module) against none.
Figures are process CPU time, best of three (the machine is shared); the `list` run is wall-clock.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests" / "helpers"))

from briefreader.core.clean import clean_text  # noqa: E402
from briefreader.core.rules import CleaningRules, load_rules  # noqa: E402
from briefreader.core.safe_json import too_deep  # noqa: E402
from briefreader.core.safe_yaml import YAMLProblem, load_yaml  # noqa: E402
from briefreader.core.search_query import QuerySyntaxError, build_schema, make_parser, parse_query  # noqa: E402


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    """Process CPU seconds of ``fn``, best of ``runs`` (the machine is shared: wall-clock is noisy)."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def refused(fn: Callable[[], object], *errors: type[BaseException]) -> Callable[[], None]:
    def run() -> None:
        try:
            fn()
        except errors:
            return
        raise AssertionError("not refused")

    return run


def one_speakers_many_passages(n: int = 1500) -> tuple[float, int]:
    """Seconds to analyse ``n`` quotations of one speaker, each 43 three-word chunks drawn from its
    block of 150's pool of 230 (every pair of a block shares several chunks: candidates that no cheap
    rule joins, each a word alignment if nothing bounded it), and the alignments made."""
    import random

    import briefreader.core.quote_grouping as grouping
    from briefreader.core.model import Article
    from briefreader.core.quote_clusters import analyse_quotes

    rng = random.Random(3)
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su", "da", "fi", "go", "hu", "je", "bo"]
    articles, pool = [], []
    for i in range(n):
        if i % 150 == 0:
            pool = [" ".join("".join(rng.choice(syllables) for _ in range(4)) for _ in range(3)) for _ in range(230)]
        text = " ".join(rng.sample(pool, 43)).capitalize()
        articles.append(Article(id=f"a{i}.txt", path=f"a{i}.txt", format="txt", body=f"“{text},” Ann Reyes said.",
                                outlet=f"Outlet {i}", date=f"2024-01-{1 + i % 28:02d}", order=i))
    calls = 0
    aligned_passage = grouping._aligned_passage

    def counted(a: grouping._Phrase, b: grouping._Phrase) -> int:
        nonlocal calls
        calls += 1
        return aligned_passage(a, b)

    grouping._aligned_passage = counted
    try:
        seconds = best_of(lambda: analyse_quotes(articles), runs=1)
    finally:
        grouping._aligned_passage = aligned_passage
    return seconds, calls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=600)
    args = ap.parse_args()
    from hostile_files import BILLION_LAUGHS, EVIL_LINE_ARTICLE, hostile_corpus

    print("refusing hostile input:")
    seconds = best_of(refused(lambda: load_yaml(BILLION_LAUGHS), YAMLProblem))
    print(f"  YAML billion laughs ({len(BILLION_LAUGHS)} bytes)       {seconds * 1000:8.2f} ms")
    seconds = best_of(refused(lambda: load_yaml(BILLION_LAUGHS, pure_python=True), YAMLProblem))
    print(f"  ... with the pure-Python loader          {seconds * 1000:8.2f} ms")
    deep = '{"text": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    seconds = best_of(lambda: too_deep(deep))
    print(f"  JSON nested 100k deep ({len(deep) // 1024} KB) checked   {seconds * 1000:8.2f} ms")
    parser = make_parser(build_schema())
    query = " ".join(["kallas"] * 8000)
    seconds = best_of(refused(lambda: parse_query(query, parser), QuerySyntaxError))
    print(f"  8,000-word query refused                 {seconds * 1000:8.3f} ms")
    seconds = best_of(refused(lambda: parse_query("kallas~99", parser), QuerySyntaxError))
    print(f"  kallas~99 refused                        {seconds * 1000:8.3f} ms")
    words = " ".join(["kallas", "summit", "peace", "ukraine", "talks"] * 20)
    seconds = best_of(lambda: parse_query(words, parser))
    print(f"  100-word query parsed (the largest allowed) {seconds * 1000:5.1f} ms")

    def disable_evil_rule() -> None:
        rules = load_rules([{"pattern": "(a|a)+b", "reason": "evil"}])
        rules.reset_budget()
        clean_text(EVIL_LINE_ARTICLE, rules)
        assert rules.take_notices(), "rule not disabled"
        rules.line_cache.clear()

    seconds = best_of(disable_evil_rule)
    print(f"  corpus rule (a|a)+b disabled after       {seconds * 1000:8.0f} ms (re alone: exponential)")

    from briefreader.core.quotes import extract_quotes

    business = " and the committee went on with ordinary business" * 8
    names = " ".join(f"Kor{i % 97:02d}a Vel{i:04d}o met officials{business}," for i in range(5000))
    names += ' "We are done," Vel0001o said.'
    seconds = best_of(lambda: extract_quotes("a", names), runs=1)
    print(f"  quotes of one {len(names) // 1024} KB line naming 5,000 people {seconds:8.2f} s (5.5-5.8 s "
          "before: scans of the line per name and per speech verb)")
    talk = " and the talks went on" * 40
    paragraph = "Mary Smith and John Smith met, " + "".join(
        f'"We agree on item {i}," she said{talk}, "and we go on {i}," he said{talk}, ' for i in range(300)) + "end."
    seconds = best_of(lambda: extract_quotes("a", paragraph), runs=1)
    print(f"  quotes of one {len(paragraph) // 1024} KB paragraph, 600 quotations, no sentence end "
          f"{seconds:6.2f} s (31.9 s before: a scan of the paragraph per quotation)")
    unit = 'and the officials said the plan was "good for the whole town" while aides noted that '
    verbs_paragraph = "Ann Reyes spoke on Monday. " + unit * 1600 + "the end."
    seconds = best_of(lambda: extract_quotes("a", verbs_paragraph), runs=1)
    print(f"  quotes of one {len(verbs_paragraph) // 1024} KB paragraph, 1,600 unattributed quotations amid "
          f"speech verbs, no sentence end {seconds:6.2f} s (34 KB of it took 209 s before: every verb of the "
          "sentence read per quotation)")
    with_names = "Ann Reyes spoke. " + 'with Jo Bayer Jo Bayer Jo Bayer Jo Bayer saying "go now" ' * 2000
    seconds = best_of(lambda: extract_quotes("a", with_names), runs=1)
    print(f"  quotes of one {len(with_names) // 1024} KB paragraph of 2,000 short reported quotations "
          f"{seconds:6.2f} s (55 KB took 15 s before: the reported-speech check read the whole sentence)")
    numbers = "Ann Reyes spoke. " + "1 " * 20000 + 'with Jo Bayer, a director for Acme, said "We agree on it."'
    seconds = best_of(lambda: extract_quotes("a", numbers), runs=1)
    print(f"  quotes after a run of 20,000 numbers before an apposition {seconds:6.2f} s (the numbers dropped by a "
          "regex were quadratic: 10,000 took 7 s)")
    stopless = "Ann Reyes spoke on Monday. " + "".join(
        f'and the mayor, Dr. Lee, said "item {i} is fine" while ' for i in range(8000)) + "the end."
    seconds = best_of(lambda: extract_quotes("a", stopless), runs=1)
    print(f"  quotes of one {len(stopless) // 1024} KB paragraph, 8,000 quotations, no sentence end but abbreviations "
          f"{seconds:6.2f} s (17.5 s before: the sentence read to the paragraph's ends per quotation)")
    people = "".join(f"Ann{i:05d}a Reyes{i:05d}o met the council. " for i in range(5000))
    headlines = people + "\n\n" + "".join(f"Reyes{i:05d}o: the plan is 'dead on arrival' now\n\n" for i in range(5000))
    seconds = best_of(lambda: extract_quotes("a", headlines), runs=1)
    print(f"  quotes of 5,000 headline lines 'Surname: …' beside 5,000 people named {seconds:6.2f} s (a lead "
          "word no name resolves is looked up in a table of given names and surnames built once per article)")
    seconds, aligned = one_speakers_many_passages()
    print(f"  grouping 1,500 one-speaker quotations of 129 words sharing chunks {seconds:6.2f} s, "
          f"{aligned} word alignments (capped per phrase: MAX_ALIGNED_PER_PHRASE)")

    print("what the bounds cost on ordinary input:")
    for label, filler in (("ordinary records", "Body text of an article, with a (parenthesis). "),
                          ("records full of brackets", 'Body text with "quotes" and [1] {notes}. ')):
        record = {"title": "A [bracketed] title", "text": filler * 100, "tags": ["a", "b"]}
        lines = [json.dumps(dict(record, id=i)) for i in range(5000)]
        megabytes = sum(map(len, lines)) / 2**20
        check = best_of(lambda lines=lines: [too_deep(line) for line in lines])  # as the JSONL loader does
        parse = best_of(lambda lines=lines: [json.loads(line) for line in lines])
        print(f"  JSONL depth check, {label:24} {check / megabytes * 1000:6.2f} ms/MB "
              f"(json.loads: {parse / megabytes * 1000:.1f} ms/MB)")
    from gen_corpus import ArticleFactory, _as_text

    factory = ArticleFactory(1, args.articles)
    texts = [_as_text(factory.article(i)) for i in range(args.articles)]
    manifest_rules = [{"text": "Advertisement", "reason": "advert"},
                      {"pattern": r"Share (?:on|this) \w+", "reason": "share"},
                      {"pattern": r"Photo: [\w ]+", "reason": "credit"},
                      {"text": "Sign up for our newsletter", "reason": "newsletter"},
                      {"scope": "phrase", "pattern": r"sponsored (?:content|post)", "reason": "sponsored",
                       "weight": 3}]
    for label, extra in (("no corpus rules", None), ("5 corpus rules", manifest_rules)):
        rules = load_rules(extra)

        def clean_all(rules: CleaningRules = rules) -> None:
            rules.line_cache.clear()
            rules.evidence_cache.clear()
            rules.reset_budget()
            for body in texts:
                clean_text(body, rules)

        seconds = best_of(clean_all)
        print(f"  clean_text, {label:16}             {seconds / len(texts) * 1000:6.3f} ms/article")

    print("a folder with one hostile file of each kind:")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        hostile = hostile_corpus(folder)
        env = dict(os.environ, BRIEFREADER_HOME=str(Path(tmp) / "home"))
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "briefreader", "list", "--no-cache", str(folder)],
                                capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
        seconds = time.perf_counter() - started
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        print(f"  briefreader list ({len(hostile)} hostile files)       {seconds:8.2f} s, exit {result.returncode}, "
              f"{len(warnings)} warnings")


if __name__ == "__main__":
    main()
