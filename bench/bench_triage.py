"""Benchmark: triage actions, filters, re-anchoring and export, with baselines measured in the same run.

    python bench/bench_triage.py [--articles 50000] [--touched 10000] [--highlights 5000] [--workdir DIR]

Prints:
- per-action latency (p50/p95) of set_status / add_tags / add_highlight with every action committed
  and fsynced (synchronous=FULL), against the baseline of one bare SQLite INSERT+COMMIT with the same
  settings (the floor any durable store pays);
- reading the state of every article for the list (states()) and filtering all ids by triage filters;
- the state of one article (what the reader does on each cursor move);
- re-anchoring highlights after the text changed;
- building and rendering the brief (Markdown and JSON) against the baseline of reading the highlights.

The machine is shared (2 cores, other jobs running): figures are noisy; compare with the baseline.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefreader.core.export import build_brief, render  # noqa: E402
from briefreader.core.model import Article  # noqa: E402
from briefreader.core.query import parse_filters  # noqa: E402
from briefreader.storage.triage_store import TriageStore  # noqa: E402

WORDS = [
    "minister", "said", "talks", "would", "resume", "monday", "sanctions", "ukraine", "russia", "kallas", "putin",
    "trump", "summit", "peace", "negotiations", "security", "guarantees", "coalition", "willing", "territory",
    "concessions", "europe", "commission", "brussels",
]


def make_body(rng: random.Random, paragraphs: int = 8) -> str:
    return "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 70))).capitalize() + "." for _ in range(paragraphs)
    )


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def ms(x: float) -> str:
    return f"{x * 1000:8.2f} ms"


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t0, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=50_000)
    ap.add_argument("--touched", type=int, default=10_000)
    ap.add_argument("--highlights", type=int, default=5_000)
    ap.add_argument("--actions", type=int, default=300)
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args()
    rng = random.Random(7)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="briefreader-bench-triage-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ids = [f"outlet{i % 40}/article-{i:06d}.txt" for i in range(args.articles)]

    # -- per action, interleaved with the baseline (one durable INSERT per transaction) --------
    con = sqlite3.connect(work / "baseline.sqlite3", isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
    base: list[float] = []

    def bare_insert(i: int) -> None:
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO t VALUES (?, ?)", (f"k{i}", "keep"))
        con.execute("COMMIT")

    store = TriageStore(work / "triage.sqlite3")
    lat: dict[str, list[float]] = {"set_status": [], "add_tags": [], "add_highlight": []}
    sample_articles: dict[str, Article] = {}
    for i in range(args.actions):
        base.append(timed(bare_insert, i)[0])
        aid = rng.choice(ids)
        t, _ = timed(store.set_status, [aid], rng.choice(["keep", "discard", "follow-up"]))
        lat["set_status"].append(t)
        t, _ = timed(store.add_tags, [aid], [f"tag{rng.randint(0, 30)}"])
        lat["add_tags"].append(t)
        art = sample_articles.setdefault(aid, Article(id=aid, path=aid, format="txt", body=make_body(rng)))
        s = rng.randint(0, len(art.body) - 80)
        t, _ = timed(store.add_highlight, art, s, s + rng.randint(20, 79))
        lat["add_highlight"].append(t)
    con.close()
    print(f"work folder: {work}")
    print(f"per action ({args.actions} each, committed + fsynced):")
    print(f"  baseline bare INSERT+COMMIT   p50 {ms(statistics.median(base))}  p95 {ms(pct(base, 0.95))}")
    for name, values in lat.items():
        print(f"  {name:<28}  p50 {ms(statistics.median(values))}  p95 {ms(pct(values, 0.95))}")

    # -- fill: touched articles and highlights in bulk actions ---------------------------------
    t0 = time.perf_counter()
    touched = rng.sample(ids, args.touched)
    for chunk in range(0, len(touched), 1000):
        part = touched[chunk : chunk + 1000]
        store.set_status(part, rng.choice(["keep", "read", "follow-up", "discard"]))
        store.add_tags(part[: len(part) // 2], ["sanctions"])
    hl_articles = touched[: max(1, args.highlights // 5)]
    bodies = {aid: make_body(rng) for aid in hl_articles}
    articles = {aid: Article(id=aid, path=aid, format="txt", body=b, title=f"Title {aid}", outlet=aid.split("/")[0],
                             date=f"2025-08-{1 + hash(aid) % 28:02d}") for aid, b in bodies.items()}
    for n in range(args.highlights):
        a = articles[hl_articles[n % len(hl_articles)]]
        s = rng.randint(0, len(a.body) - 120)
        store.add_highlight(a, s, s + rng.randint(30, 119), comment="c" if n % 3 == 0 else "",
                            tags=["x"] if n % 4 == 0 else [])
    print(f"filled {args.touched} touched articles (bulk), {args.highlights} highlights "
          f"in {time.perf_counter() - t0:.1f} s")

    # -- reads ---------------------------------------------------------------------------------
    t_all, states = timed(store.states, ids)
    print(f"states(ids) of all {len(ids)} articles:              {ms(t_all)}")
    t_touched, touched_states = timed(store.states)
    print(f"states() of the {len(touched_states)} touched (list marks):   {ms(t_touched)}")
    f = parse_filters("status:keep,follow-up tag:sanctions -has:note")
    t_f, kept = timed(store.filter_ids, f, ids)
    print(f"filter_ids over {len(ids)} ids ({len(kept)} match):        {ms(t_f)}")
    one = [timed(store.get, rng.choice(ids))[0] for _ in range(200)]
    print(f"get() one article (cursor move), p50 / p95:         {ms(statistics.median(one))} / {ms(pct(one, 0.95))}")
    hl = [timed(store.highlights, rng.choice(hl_articles))[0] for _ in range(200)]
    print(f"highlights() of one article, p50:                   {ms(statistics.median(hl))}")

    # -- re-anchoring -------------------------------------------------------------------------
    victims = hl_articles[:100]
    t_re = 0.0
    n_hl = 0
    states_count: dict[str, int] = {}
    for aid in victims:
        a = articles[aid]
        words = a.body.split(" ")
        for _ in range(5):  # five word edits per article
            k = rng.randrange(len(words))
            words[k] = rng.choice(WORDS)
        edited = Article(id=aid, path=aid, format="txt", body="New first paragraph.\n\n" + " ".join(words))
        t, res = timed(store.reattach, edited)
        t_re += t
        n_hl += len(res)
        for r in res:
            states_count[r.resolution.state] = states_count.get(r.resolution.state, 0) + 1
    print(f"reattach after edits: {n_hl} highlights in {len(victims)} articles in {t_re:.2f} s "
          f"({ms(t_re / max(1, n_hl))} each); outcomes {dict(sorted(states_count.items()))}")

    # -- re-anchoring accuracy on planted edits -----------------------------------------------
    from briefreader.core.anchors import make_anchor, resolve

    outcome = {"moved-ok": 0, "moved-wrong": 0, "edited-ok": 0, "edited-wrong": 0, "edited-orphan": 0,
               "rewritten-ok": 0, "rewritten-wrong": 0, "rewritten-orphan": 0,
               "deleted-orphan": 0, "deleted-attached": 0}
    for trial in range(800):
        body = make_body(rng)
        words = body.split(" ")
        i = rng.randrange(5, len(words) - 15)
        n = rng.randint(4, 12)
        start = len(" ".join(words[:i])) + 1
        end = start + len(" ".join(words[i : i + n]))
        anchor = make_anchor(body, start, end)
        kind = ("moved", "edited", "rewritten", "deleted")[trial % 4]
        if kind == "moved":  # text inserted before, the passage untouched
            new_words = words[:2] + ["inserted"] * rng.randint(1, 30) + words[2:]
            truth = (i + len(new_words) - len(words), n)
        elif kind == "edited":  # one word of the passage replaced
            new_words = list(words)
            new_words[i + rng.randrange(n)] = "REPLACED"
            truth = (i, n)
        elif kind == "rewritten":  # one word inside and the words just around it changed too
            new_words = list(words)
            new_words[i + rng.randrange(n)] = "REPLACED"
            for k in (i - 3, i - 2, i - 1, i + n, i + n + 1, i + n + 2):
                if 0 <= k < len(new_words):
                    new_words[k] = "CHANGED"
            truth = (i, n)
        else:  # the passage and a little around it removed
            new_words = words[: i - 2] + words[i + n + 2 :]
            truth = None
        new = " ".join(new_words)
        r = resolve(anchor, new)
        if truth is None:
            outcome["deleted-orphan" if not r.attached else "deleted-attached"] += 1
            continue
        ti, tn = truth
        t_start = len(" ".join(new_words[:ti])) + 1
        t_end = t_start + len(" ".join(new_words[ti : ti + tn]))
        overlap = max(0, min(r.end, t_end) - max(r.start, t_start)) / (t_end - t_start)
        if not r.attached:
            outcome[f"{kind}-orphan" if kind in ("edited", "rewritten") else f"{kind}-wrong"] += 1
        else:
            outcome[f"{kind}-ok" if overlap >= 0.8 else f"{kind}-wrong"] += 1
    print(f"re-anchoring on 800 planted edits (200 of each kind): {outcome}")

    # -- export -------------------------------------------------------------------------------
    arts = list(articles.values())
    t_base, _ = timed(store.highlights)
    t_build, brief = timed(build_brief, arts, store, filters=parse_filters("has:highlight"), group_by="article")
    t_md, md = timed(render, brief, "md")
    t_json, js = timed(render, brief, "json")
    t_html, page = timed(render, brief, "html")
    _, archive = timed(build_brief, arts, store, filters=parse_filters("has:highlight"), group_by="article",
                       profile="archive")
    t_archive, md_archive = timed(render, archive, "md")
    template = ("{% for a in articles %}## {{ a.line | md }}\n\n{% for h in a.highlights %}{{ h.text | quote }}\n\n"
                "{{ h.comment | mdblock }}\n\n{% endfor %}{% endfor %}")
    t_template, _ = timed(render, brief, "md", template_source=template)
    print(f"export of {len(brief.entries)} articles / {sum(len(e.highlights) for e in brief.entries)} highlights:")
    print(f"  baseline: read all highlights       {ms(t_base)}")
    print(f"  build_brief                        {ms(t_build)}")
    print(f"  render markdown to send ({len(md) // 1024} KB)  {ms(t_md)}")
    print(f"  render markdown archive ({len(md_archive) // 1024} KB)  {ms(t_archive)}")
    print(f"  render html ({len(page) // 1024} KB)              {ms(t_html)}")
    print(f"  render a user template             {ms(t_template)}")
    print(f"  render json ({len(js) // 1024} KB)              {ms(t_json)}")
    store.close()
    print(f"database size: {(work / 'triage.sqlite3').stat().st_size // 1024} KB (+ WAL)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
