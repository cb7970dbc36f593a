"""Benchmark of the reader (`briefreader open`) on a generated corpus, headless (Textual run_test).

    python bench/bench_tui.py [--articles 10000] [--workdir /tmp/briefreader-bench-tui]
                              [--home DIR [--until-list]]

Each scenario runs in a fresh process (cold imports, its own peak memory):

- ``built``: the corpus was opened before (record cache, index and quote analysis built).
  First paint, list filled, search ready, quotes ready.
- ``new``: no state at all (the corpus is cleaned, indexed and analysed while the reader is open).
  First paint, first rows streamed in, list complete, index ready.
- with ``--home DIR``: only ``built``, on the per-user state in DIR as other commands left it
  (e.g. bench_scale's ``--home``); ``--until-list`` stops once the list is complete;
- ``interact`` (on the built corpus): cursor moves (handler time and key-to-screen time), search
  keystrokes (time until the list shows the results of each prefix), peak memory.

Baselines measured in the same run: a bare Textual app with a 10k-row DataTable (first paint and
cursor move, what Textual itself costs) and the searcher called directly (what search costs
without the UI). Targets (issue 5): first paint < 1 s, body re-render < 50 ms, search keystroke
< 100 ms, peak memory < 500 MB. The machine has 2 shared cores: figures are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

T0 = time.perf_counter()
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _wait_for(predicate, timeout: float = 600.0, step: float = 0.002) -> float:
    import asyncio

    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("benchmark condition not reached")
        await asyncio.sleep(step)
    return time.perf_counter()


async def _scenario(root: Path, kind: str) -> dict:
    from briefreader.tui.app import ReaderApp

    marks: dict[str, float] = {}

    from textual import on

    from briefreader.tui import messages as msg
    from briefreader.tui.widgets.search_bar import SearchBar

    class BenchApp(ReaderApp):
        typed_at: dict[str, float] = {}
        shown_at: dict[str, float] = {}

        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(self._bench_painted)

        def _bench_painted(self) -> None:
            marks.setdefault("first_paint", time.perf_counter())
            marks.setdefault("first_paint_cpu", time.process_time())  # all threads: what it cost on a busy machine

        @on(SearchBar.Changed)
        def _bench_typed(self, event: SearchBar.Changed) -> None:
            self.typed_at[event.query.strip()] = time.perf_counter()

        @on(msg.SearchDone)
        def _bench_shown(self, event: msg.SearchDone) -> None:
            query = event.query.strip()
            self.call_after_refresh(lambda: self.shown_at.setdefault(query, time.perf_counter()))

    from briefreader.tui.app import defer_full_gc

    defer_full_gc()  # as `briefreader open` does
    app = BenchApp(root)
    out: dict = {"scenario": kind}
    async with app.run_test(size=(160, 50)) as pilot:
        from briefreader.tui.widgets.article_list import ArticleList

        table = app.query_one(ArticleList)
        await _wait_for(lambda: "first_paint" in marks)
        out["first_paint_s"] = marks["first_paint"] - T0
        out["first_paint_cpu_s"] = marks["first_paint_cpu"]
        t = await _wait_for(lambda: table.row_count > 0)
        out["first_rows_s"] = t - T0  # rows are in the table (painted on the next refresh)
        t = await _wait_for(lambda: app.reader.corpus is not None and not table.filling, timeout=3600)
        out["list_complete_s"] = t - T0
        await pilot.pause()
        out["list_painted_s"] = time.perf_counter() - T0
        out["rows"] = table.row_count
        reader = app.reader  # the reader screen: what it shows and its state
        if os.environ.get("BENCH_TUI_UNTIL_LIST"):  # --until-list: the list is what is measured
            out["peak_mb"] = _peak_mb()
            app.exit()
            return out
        await _wait_for(lambda: reader.searcher is not None or "unavailable" in reader.state.index_state, timeout=3600)
        out["index_ready_s"] = time.perf_counter() - T0
        await _wait_for(lambda: reader.quotes is not None or "failed" in reader.state.quotes_state, timeout=3600)
        out["quotes_ready_s"] = time.perf_counter() - T0
        await app.workers.wait_for_complete()
        if kind == "interact":
            out.update(await _interact(app, pilot))
        out["peak_mb"] = _peak_mb()
    return out


async def _interact(app, pilot) -> dict:
    from briefreader.tui.widgets.article_list import ArticleList

    out: dict = {}
    app.query_one(ArticleList).focus()
    # Cursor moves: the handler (render body, marks, diff pane) and key-to-screen.
    handler_times: list[float] = []
    renderer = app.reader.renderer  # draws the article (body, marks, diff pane) when the state changes
    original = renderer.article

    def timed_render(*args, **kwargs):
        start = time.perf_counter()
        original(*args, **kwargs)
        handler_times.append(time.perf_counter() - start)

    renderer.article = timed_render  # type: ignore[method-assign]
    key_times: list[float] = []
    for _ in range(100):
        start = time.perf_counter()
        await pilot.press("j")
        await pilot.pause()
        key_times.append(time.perf_counter() - start)
    renderer.article = original  # type: ignore[method-assign]
    out["cursor_render_ms_median"] = statistics.median(handler_times) * 1000
    out["cursor_render_ms_p95"] = sorted(handler_times)[int(len(handler_times) * 0.95) - 1] * 1000
    out["cursor_key_to_screen_ms_median"] = statistics.median(key_times) * 1000
    out["cursor_key_to_screen_ms_p95"] = sorted(key_times)[int(len(key_times) * 0.95) - 1] * 1000
    # Search as you type: each keystroke until the list shows that prefix's results.
    from briefreader.tui.widgets.search_bar import SearchBar

    latencies: list[float] = []
    in_app: list[float] = []  # keystroke handled by the app -> its results painted (no test harness)
    direct: list[float] = []
    for query in ("minister", "peace talks", "outlet:global", "sanctions"):
        await pilot.press("slash")
        bar = app.query_one(SearchBar)
        for i in range(1, len(query) + 1):
            prefix = query[:i]
            start = time.perf_counter()
            await pilot.press(query[i - 1] if query[i - 1] != " " else "space")
            try:
                await _wait_for(lambda prefix=prefix, bar=bar: app.reader.state.search_query == prefix.strip() or
                                "error" in bar.query_one("#search-message").classes, timeout=10)
            except TimeoutError:
                continue
            latencies.append(time.perf_counter() - start)
            await pilot.pause()
            if prefix.strip() in app.shown_at and prefix.strip() in app.typed_at:
                in_app.append(app.shown_at.pop(prefix.strip()) - app.typed_at.pop(prefix.strip()))
            t = time.perf_counter()
            app.reader.searcher.search(prefix, limit=500, snippets=False)
            direct.append(time.perf_counter() - t)
        await pilot.press("escape")
        await pilot.pause()
    # Typing without waiting for results (a key every 60 ms, ~100 words a minute): from the last
    # key to the final query's results on screen (earlier searches are abandoned as keys arrive).
    import asyncio

    from textual import events

    typed: list[float] = []
    for query in ("minister", "peace talks", "sanctions", "ceasefire agreement"):
        await pilot.press("slash")
        app.shown_at.clear()
        for ch in query:
            app.post_message(events.Key("space" if ch == " " else ch, ch))
            last = time.perf_counter()
            await asyncio.sleep(0.06)
        try:
            await _wait_for(lambda query=query: query in app.shown_at, timeout=10)
            typed.append(app.shown_at.pop(query) - last)
        except TimeoutError:
            print(f"no results shown for {query!r} within 10 s", file=sys.stderr)
        await pilot.press("escape")
        await pilot.pause()
    out["search_typing_last_key_ms"] = [round(t * 1000, 1) for t in typed]
    out["search_keystroke_ms_median"] = statistics.median(latencies) * 1000
    out["search_keystroke_ms_p95"] = sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1000
    out["search_direct_ms_median"] = statistics.median(direct) * 1000
    out["search_in_app_ms_median"] = statistics.median(in_app) * 1000
    out["search_in_app_ms_p95"] = sorted(in_app)[int(len(in_app) * 0.95) - 1] * 1000
    out["search_keystrokes"] = len(latencies)
    return out


async def _baseline(n: int) -> dict:
    """A bare Textual app with an n-row DataTable: what Textual itself costs."""
    from textual.app import App
    from textual.widgets import DataTable, Input

    marks: dict[str, float] = {}

    class Bare(App):
        def compose(self):
            yield Input()
            yield DataTable(cursor_type="row")

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("date", "outlet", "title")
            for i in range(n):
                table.add_row("2025-08-17", "Global Wire", f"Report number {i} on the summit", key=str(i))
            self.call_after_refresh(lambda: marks.setdefault("first_paint", time.perf_counter()))

    app = Bare()
    async with app.run_test(size=(160, 50)) as pilot:
        await _wait_for(lambda: "first_paint" in marks)
        out = {"scenario": "baseline", "first_paint_s": marks["first_paint"] - T0}
        app.query_one(Input).focus()
        await pilot.pause()
        typing = []
        for ch in "ministerpeacetalks":  # what the test harness alone costs per keystroke
            start = time.perf_counter()
            await pilot.press(ch)
            await pilot.pause()
            typing.append(time.perf_counter() - start)
        out["input_key_to_screen_ms_median"] = statistics.median(typing) * 1000
        app.query_one(DataTable).focus()
        await pilot.pause()
        times = []
        for _ in range(100):
            start = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            times.append(time.perf_counter() - start)
        out["cursor_key_to_screen_ms_median"] = statistics.median(times) * 1000
        out["peak_mb"] = _peak_mb()
    return out


def _child(args: argparse.Namespace) -> None:
    import asyncio

    if args.child == "baseline":
        result = asyncio.run(_baseline(args.articles))
    else:
        result = asyncio.run(_scenario(Path(args.root), args.child))
    print(json.dumps(result))


def _run_child(kind: str, root: Path, articles: int, home: Path) -> dict:
    env = dict(os.environ, BRIEFREADER_HOME=str(home))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--root", str(root),
           "--articles", str(articles)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=7200)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/briefreader-bench-tui"))
    parser.add_argument("--child", default=None)
    parser.add_argument("--root", default=None)
    parser.add_argument("--home", type=Path, default=None,
                        help="per-user state to reuse as it is (record cache, index): only the 'built' scenario runs")
    parser.add_argument("--until-list", action="store_true",
                        help="with --home: stop once the list is complete (peak memory up to then)")
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    from gen_corpus import cached_corpus

    root = cached_corpus(args.workdir, args.articles)
    if args.home is not None:  # a corpus opened before by other commands: first paint, list, memory
        if args.until_list:
            os.environ["BENCH_TUI_UNTIL_LIST"] = "1"
        result = _run_child("built", root, args.articles, args.home)
        print(json.dumps(result))
        print(f"{args.articles} articles, opened before: first paint {result['first_paint_s']:.2f} s "
              f"(CPU {result['first_paint_cpu_s']:.2f} s, load {os.getloadavg()[0]:.1f}), first rows "
              f"{result['first_rows_s']:.2f} s, list complete {result['list_complete_s']:.2f} s "
              f"({result['rows']} rows), peak {result['peak_mb']:.0f} MB (targets at 50k: 1 s, 10 s, 900 MB)")
        return
    home = args.workdir / "home"
    shutil.rmtree(root / ".briefreader", ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    results = [_run_child("baseline", root, args.articles, home)]
    results.append(_run_child("new", root, args.articles, home))  # builds every cache on the way
    results.append(_run_child("built", root, args.articles, home))
    results.append(_run_child("interact", root, args.articles, home))
    print(f"reader benchmark, {args.articles} generated articles, 160x50 headless, 2 shared cores (noisy)")
    for r in results:
        print(json.dumps(r))
    by = {r["scenario"]: r for r in results}
    print()
    print(f"first paint, built index:   {by['built']['first_paint_s']:.2f} s  (bare Textual + DataTable "
          f"of {args.articles} rows: {by['baseline']['first_paint_s']:.2f} s)  target < 1 s")
    print(f"list complete, built:       {by['built']['list_complete_s']:.2f} s "
          f"(first rows {by['built']['first_rows_s']:.2f} s, painted {by['built']['list_painted_s']:.2f} s)")
    print(f"first paint, new corpus:    {by['new']['first_paint_s']:.2f} s; "
          f"first rows {by['new']['first_rows_s']:.2f} s; list complete {by['new']['list_complete_s']:.1f} s; "
          f"index ready {by['new']['index_ready_s']:.1f} s; "
          f"quotes ready {by['new']['quotes_ready_s']:.1f} s")
    i = by["interact"]
    print(f"cursor move, body render:   median {i['cursor_render_ms_median']:.1f} ms, "
          f"p95 {i['cursor_render_ms_p95']:.1f} ms (key to screen {i['cursor_key_to_screen_ms_median']:.1f} ms; "
          f"bare DataTable "
          f"{by['baseline']['cursor_key_to_screen_ms_median']:.1f} ms)  target < 50 ms")
    print(f"search keystroke in app:    median {i['search_in_app_ms_median']:.1f} ms, "
          f"p95 {i['search_in_app_ms_p95']:.1f} ms (keystroke handled -> results painted)  target < 100 ms")
    print(f"search while typing:        last key -> final results painted {i['search_typing_last_key_ms']} ms "
          f"(a key every 60 ms, 4 queries)")
    print(f"search keystroke, harness:  median {i['search_keystroke_ms_median']:.1f} ms, "
          f"p95 {i['search_keystroke_ms_p95']:.1f} ms over {i['search_keystrokes']} keystrokes, "
          f"Pilot press to results (a bare Input in the same harness: "
          f"{by['baseline']['input_key_to_screen_ms_median']:.1f} ms; same query again on the warm searcher "
          f"{i['search_direct_ms_median']:.1f} ms)")
    print(f"peak memory:                built {by['built']['peak_mb']:.0f} MB, new {by['new']['peak_mb']:.0f} MB, "
          f"interact {i['peak_mb']:.0f} MB (bare Textual {by['baseline']['peak_mb']:.0f} MB)  target < 500 MB")


if __name__ == "__main__":
    main()
