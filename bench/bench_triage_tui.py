"""Benchmark of triage in the reader, headless (Textual run_test), on a generated corpus.

    python bench/bench_triage_tui.py [--articles 5000] [--workdir /tmp/briefreader-bench-triage-tui]

Figures (milliseconds):

- ``key_to_mark``: a status key (K) pressed until the list row shows the new mark (the write is
  committed first: synchronous=FULL, so this includes the fsync).
- ``filter_search``: ``status:keep`` typed as a search until the list shows the kept articles.
- ``bulk_all``: A (mark every article) then K (keep them all) until every row shows the mark.
- ``ui_lag_max``: the longest the UI thread was busy during the bulk action (a 5 ms timer that
  records how late it runs): writes run in a worker, so this stays small.

Baselines measured in the same run: ``TriageStore.set_status`` called directly for one article and
for all of them (what the store costs without the UI), and a key bound to nothing pressed through
Pilot (what the test harness costs per key). The machine has 2 shared cores: the
figures are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


async def _until(pilot, check, timeout: float = 60.0) -> float:
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.001)
    return (time.perf_counter() - started) * 1000


async def run(corpus: Path) -> dict[str, float]:
    from briefreader.tui.app import ReaderApp
    from briefreader.tui.triage.controller import STATUS_MARKS
    from briefreader.tui.widgets.article_list import ArticleList

    app = ReaderApp(corpus)
    out: dict[str, float] = {}
    async with app.run_test(size=(160, 50)) as pilot:
        for _ in range(600):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if (app.reader.triage.is_open and app.reader.searcher is not None
                    and not any(w.is_running for w in app.workers)):
                break
        table = app.query_one(ArticleList)

        def mark(aid: str) -> str:
            return table.mark_for(aid)  # what the list draws in the row's mark column

        noop = []
        for _ in range(15):  # baseline: what a key press costs through Pilot (a key bound to nothing)
            started = time.perf_counter()
            await pilot.press("f12")
            noop.append((time.perf_counter() - started) * 1000)
        out["pilot_key_press_baseline"] = statistics.median(noop)
        times = []
        for _ in range(15):
            aid = table.current_id
            want = "read" if app.reader.triage.state_of(aid).status == "keep" else "keep"
            started = time.perf_counter()
            await pilot.press("K")
            await _until(pilot, lambda aid=aid, want=want: (STATUS_MARKS["keep"] in mark(aid)) == (want == "keep"))
            times.append((time.perf_counter() - started) * 1000)
            await pilot.press("j")
        out["key_to_mark_median"] = statistics.median(times)
        out["key_to_mark_max"] = max(times)

        await app.reader.triage.idle()
        await pilot.press("slash")
        await pilot.pause()
        started = time.perf_counter()
        app.query_one("#search-input").value = "status:keep"  # the whole query at once
        await _until(pilot, lambda: app.reader.state.search_query == "status:keep")
        out["filter_search"] = (time.perf_counter() - started) * 1000
        await pilot.press("escape")
        await app.reader.triage.idle()
        await pilot.pause()

        await _until(pilot, lambda: not table.filling)  # the list refills after esc (its own cost)
        await pilot.pause()
        lags: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            lags.append((now - last[0]) * 1000 - 5)
            last[0] = now

        timer = app.set_interval(0.005, tick)
        ids = [a.id for a in table.shown]
        started = time.perf_counter()
        await pilot.press("A", "K")
        await _until(pilot, lambda: all(app.reader.triage.state_of(a).status == "keep" for a in ids[:50] + ids[-50:])
                     and STATUS_MARKS["keep"] in mark(ids[0]))
        out["bulk_all"] = (time.perf_counter() - started) * 1000
        timer.stop()
        out["ui_lag_max"] = max(lags) if lags else 0.0
        out["articles"] = len(ids)
    return out


def baseline(corpus: Path) -> dict[str, float]:
    from briefreader.storage.corpus import load_corpus
    from briefreader.storage.triage_store import TriageStore

    ids = [a.id for a in load_corpus(corpus).articles]
    path = corpus.parent / "baseline.sqlite3"
    path.unlink(missing_ok=True)
    with TriageStore(path) as store:
        started = time.perf_counter()
        for aid in ids[:15]:
            store.set_status([aid], "keep")
        one = (time.perf_counter() - started) * 1000 / 15
        started = time.perf_counter()
        store.set_status(ids, "discard")
        everything = (time.perf_counter() - started) * 1000
    return {"store_one_write": one, "store_bulk_write_all": everything}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/briefreader-bench-triage-tui"))
    args = parser.parse_args()
    os.environ.setdefault("BRIEFREADER_HOME", str(args.workdir / "home"))
    from gen_corpus import generate

    corpus = args.workdir / f"corpus-{args.articles}"
    if not corpus.is_dir():
        shutil.rmtree(corpus, ignore_errors=True)
        generate(corpus, args.articles)
    shutil.rmtree(corpus / ".briefreader" / "triage.sqlite3", ignore_errors=True)
    for name in ("triage.sqlite3", "triage.sqlite3-wal", "triage.sqlite3-shm"):
        (corpus / ".briefreader" / name).unlink(missing_ok=True)
    base = baseline(corpus)
    figures = asyncio.run(run(corpus))
    print(f"articles: {int(figures.pop('articles'))} (2 shared cores: noisy)")
    for name, value in {**base, **figures}.items():
        print(f"{name:>24}: {value:9.1f} ms")


if __name__ == "__main__":
    main()
