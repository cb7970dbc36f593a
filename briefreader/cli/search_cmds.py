"""`briefreader index` and `briefreader search`: build or update the full-text index, and query it."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time

from briefreader.cli.common import CliError, add_follow_links, print_json, print_warnings, require_dir, stderr_console
from briefreader.core.dates import display_date

EXIT_BUSY = 3


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    p = sub.add_parser("index", help="build or update the full-text index of a corpus folder",
                       description="Index the articles of DIR (only what changed since the last run).")
    p.add_argument("dir", help="corpus folder")
    p.add_argument("--rebuild", action="store_true", help="start over from an empty index")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.add_argument("--no-cache", action="store_true", help="re-read and re-clean every file")
    p.add_argument("--procs", type=int, default=None,
                   help="processes for a first build (default: 2 when a second core is idle, else 1)")
    add_follow_links(p)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser(
        "search", help="search a corpus folder",
        description="Search DIR (the index is brought up to date first). QUERY uses Whoosh syntax: AND, OR, "
                    'NOT, "phrases", wildcards (negotiat*), fuzzy (walk~), fields (title:, outlet:, '
                    "agency: (wire source such as AP), author:, place:, path:, date:2025-08, "
                    "date:[2025-08-01 to 2025-08-31], date:>2025-08-01).")
    p.add_argument("dir", help="corpus folder")
    p.add_argument("query", help="the query (quote it for the shell)")
    p.add_argument("--json", action="store_true",
                   help='print {"query", "total", "hits": [{"id", "path", "score", "title", "outlet", "date", '
                        '"snippets": [{"text", "start", "end"}]}]}')
    p.add_argument("--limit", type=int, default=20, help="hits per page (default 20, at most 200)")
    p.add_argument("--page", type=int, default=1, help="page of results (default 1)")
    p.add_argument("--sort", choices=("score", "date"), default="score", help="best first (score) or newest first")
    p.add_argument("--no-update", action="store_true", help="search the index as it is, without updating it")
    add_follow_links(p)
    p.set_defaults(func=cmd_search)


# --------------------------------------------------------------------------- helpers


def _default_procs() -> int:
    """2 processes when a second core is actually free, else 1.

    Measured on a 2-core machine: two writer processes index ~1.4-1.8x faster than one when the
    machine is otherwise idle, but ~20% slower when other work already keeps both cores busy.
    """
    cores = os.cpu_count() or 1
    if cores < 2:
        return 1
    idle = _idle_cores()
    return 2 if idle is None or idle >= 1.0 else 1


def _idle_cores(window: float = 0.25) -> float | None:
    """How many cores sat idle over a short window (Linux /proc/stat), or None if unknown."""
    import time

    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as fh:
            values = [int(v) for v in fh.readline().split()[1:]]
        return sum(values), values[3] + (values[4] if len(values) > 4 else 0)

    try:
        total0, idle0 = sample()
        time.sleep(window)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    if total1 <= total0:
        return None
    return (idle1 - idle0) / (total1 - total0) * (os.cpu_count() or 1)


def _index_progress():
    """A progress callback with a bar, rate and ETA on a terminal; None when stderr is piped.

    The bar refreshes from this thread only (no background thread), because a parallel build forks.
    """
    if not sys.stderr.isatty():
        return None, lambda: None
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TimeRemainingColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} articles/s" if speed else "", style="progress.data.speed")

    state: dict = {"last": 0.0}

    def progress(done: int, total: int) -> None:
        if "bar" not in state:
            bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                           RateColumn(), TimeRemainingColumn(), console=stderr_console(), auto_refresh=False,
                           transient=True)
            bar.start()
            state["bar"] = bar
            state["task"] = bar.add_task("Indexing", total=total)
        bar = state["bar"]
        bar.update(state["task"], completed=done, total=total,
                   description="Writing the index" if done >= total else "Indexing")
        now = time.monotonic()
        if now - state["last"] > 0.1 or done >= total:
            state["last"] = now
            bar.refresh()

    def stop() -> None:
        if "bar" in state:
            state["bar"].stop()

    return progress, stop


def _open_index(root):
    from briefreader.workspace import IndexBusyError, Workspace

    try:
        ix = Workspace(root).open_index()
    except IndexBusyError as exc:
        raise CliError(str(exc), code=EXIT_BUSY) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise CliError("disk full: the index could not be built in the per-user cache folder; nothing was "
                           "searched", code=1) from exc
        raise CliError(f"cannot open the index: {exc}") from exc
    return ix


def _note(message: str) -> None:
    """A note on stderr (``message`` may name corpus paths: printed inert, never as markup)."""
    from briefreader.cli.common import print_labelled

    print_labelled("note:", "cyan", message)


def _update(ix, corpus, *, rebuild: bool, procs: int):
    progress, stop = _index_progress()
    try:
        return ix.update(corpus, rebuild=rebuild, progress=progress, procs=procs)
    finally:
        stop()


# --------------------------------------------------------------------------- index


def cmd_index(args: argparse.Namespace) -> int:
    from briefreader.cli.corpus_cmds import _progress_printer, load_for_cli
    from briefreader.workspace import IndexBusyError, UpdateReport, Workspace

    root = require_dir(args.dir)
    ix = _open_index(root)
    try:
        if ix.message and not args.json:
            _note(ix.message)
        first = ix.doc_count() == 0 or args.rebuild
        procs = args.procs if args.procs and args.procs > 0 else (_default_procs() if first else 1)
        try:
            records = None
            if args.rebuild and not args.no_cache:  # the record cache filled, then indexed, a batch at a time
                records = Workspace(root, follow_links=args.follow_links).refresh_records(
                    progress=_progress_printer())
            if records is not None and records.articles:
                print_warnings(records.warnings)
                progress, stop = _index_progress()
                try:
                    report = ix.update_stream(records, rebuild=True, progress=progress, procs=procs)
                finally:
                    stop()
                ix.record_state(records.sources, records.warnings)
            elif args.rebuild or args.no_cache:
                corpus = load_for_cli(args.dir, use_cache=not args.no_cache, follow_links=args.follow_links)
                print_warnings(corpus.warnings)
                report = _update(ix, corpus, rebuild=args.rebuild, procs=procs)
                ix.record_sources(corpus)
            else:  # only what changed since the index last looked is read
                progress, stop = _index_progress()
                started = time.perf_counter()
                try:  # a full update streams: the articles are never all in memory
                    synced = Workspace(root, follow_links=args.follow_links).sync_index(
                        ix, lambda: load_for_cli(args.dir, follow_links=args.follow_links),
                        procs=lambda: procs, progress=progress, stream=True, load_progress=_progress_printer())
                finally:
                    stop()
                print_warnings(synced.warnings)
                report = synced.report or UpdateReport(0, 0, 0, ix.doc_count(), time.perf_counter() - started, None)
        except IndexBusyError as exc:
            raise CliError(str(exc), code=EXIT_BUSY) from exc
        except OSError as exc:
            what = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
            raise CliError(f"could not write the index in {ix.location}: {what}; "
                           "the previous index is unchanged", code=1 if exc.errno == errno.ENOSPC else 2) from exc
        docs = ix.doc_count()
    finally:
        ix.close()
    indexed = report.added + report.updated
    if args.json:
        print_json({"added": report.added, "updated": report.updated, "deleted": report.deleted,
                    "unchanged": report.unchanged, "seconds": round(report.seconds, 3),
                    "rebuilt_reason": report.rebuilt_reason, "articles": docs, "location": str(ix.location),
                    "in_corpus": ix.in_corpus, "message": ix.message, "procs": procs})
        return 0
    if report.rebuilt_reason and report.rebuilt_reason != ix.message:
        _note(report.rebuilt_reason)
    from briefreader.core.inert import inert_line

    rate = f" ({indexed / report.seconds:,.0f} articles/s)" if indexed and report.seconds > 0 else ""
    print(f"{docs} articles indexed: {report.added} added, {report.updated} updated, {report.deleted} deleted, "
          f"{report.unchanged} unchanged in {report.seconds:.2f} s{rate}")
    print(f"index: {inert_line(str(ix.location))}")
    return 0


# --------------------------------------------------------------------------- search


def cmd_search(args: argparse.Namespace) -> int:
    from briefreader.cli.corpus_cmds import load_for_cli, workspace_for_cli
    from briefreader.workspace import IndexBusyError, IndexDamagedError, QuerySyntaxError

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    if args.page < 1:
        raise CliError("--page must be at least 1")
    root = require_dir(args.dir)
    workspace = workspace_for_cli(args.dir, follow_links=args.follow_links)
    state = workspace.source_state()
    corpus = None if state[0].files else load_for_cli(args.dir, follow_links=args.follow_links)  # no files: its error
    ix = _open_index(root)
    try:
        if ix.message:
            _note(ix.message)
        # An unchanged folder is searched without reading its articles, a few changed files are
        # read and indexed alone (see core/index_sync): at 50k articles, seconds and hundreds of MB saved.
        try:
            synced = workspace.sync_index(ix, lambda: load_for_cli(args.dir, follow_links=args.follow_links),
                                          update=not args.no_update,
                                          procs=lambda: _default_procs() if ix.doc_count() == 0 else 1, state=state,
                                          stream=True)
            warnings, corpus = synced.warnings, synced.corpus
            report = synced.report
            if report is not None and not args.json and report.changed and sys.stderr.isatty():
                _note(f"index updated: {report.added} added, {report.updated} updated, {report.deleted} deleted")
        except IndexBusyError:
            _note("another briefreader is updating the index: searching it as it is")
            warnings = []
        except OSError as exc:  # e.g. a full disk: the last committed index is intact
            what = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
            _note(f"{what}: the index update was not saved; searching the index as it is")
            warnings = []
        if not args.json:
            print_warnings(warnings)
        session = ix.searcher()
        try:
            results = session.search(args.query, limit=args.limit, page=args.page, sort=args.sort)
        except QuerySyntaxError as exc:
            raise CliError(f"in the query: {exc}") from exc
        except IndexDamagedError as exc:
            raise CliError(str(exc)) from exc
        finally:
            session.close()
    finally:
        ix.close()
    if args.json:
        print_json(results.to_json())
        return 0
    _print_results(results, corpus)
    return 0


def _print_results(results, corpus) -> None:
    from rich.console import Console
    from rich.text import Text

    from briefreader.core.inert import inert, inert_line

    console = Console(highlight=False)
    first = (results.page - 1) * results.pagelen
    shown = f"{first + 1}–{first + len(results.hits)} of " if results.hits and results.total > len(results.hits) else ""
    noun = "article" if results.total == 1 else "articles"
    console.print(Text.assemble((f"{shown}{results.total} {noun}", "bold"), " match ",
                                (inert_line(results.query), "italic")))
    for number, hit in enumerate(results.hits, first + 1):
        article = corpus.get(hit.id) if corpus is not None else None
        body_len = len(article.body) if article is not None else hit.body_length
        line = Text.assemble((f"{number:>3}. ", "dim"), (inert_line(hit.title or hit.id), "bold"))
        meta = inert_line(" · ".join(x for x in (hit.outlet, display_date(hit.date)) if x))
        if meta:
            line.append(f"  {meta}", style="cyan")
        line.append(f"  {hit.score:.2f}", style="dim")
        console.print(line)
        console.print(Text(f"     {inert_line(hit.path if hit.id == hit.path else hit.id)}", style="dim"))
        for snippet in hit.snippets:
            text = Text("     ")
            if snippet.start > 0:
                text.append("…")
            offset = len(text)
            text.append(inert(snippet.text).replace("\n", " "))  # one character for one: matches still fit
            for start, end in snippet.matches:
                text.stylize("bold reverse", offset + start - snippet.start, offset + end - snippet.start)
            if body_len is None or snippet.end < body_len:
                text.append("…")
            console.print(text)
    if results.total > first + len(results.hits):
        console.print(Text(f"(more: --page {results.page + 1})", style="dim"))
