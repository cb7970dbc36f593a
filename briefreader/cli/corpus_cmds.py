"""`briefreader list` and `briefreader clean`: the corpus as a table, or as cleaned text / JSON Lines."""

from __future__ import annotations

import argparse
import sys

from briefreader.cli.common import CliError, add_follow_links, print_json, print_warnings, require_dir


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    p = sub.add_parser("list", help="list the articles of a corpus folder")
    p.add_argument("dir", help="corpus folder")
    p.add_argument("--json", action="store_true", help="print JSON (one array of rows)")
    p.add_argument("--jsonl", action="store_true", help="print JSON Lines (one row per line, streamed)")
    p.add_argument("--no-cache", action="store_true", help="re-read and re-clean every file")
    add_follow_links(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("clean", help="print the cleaned text of article files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or corpus folders")
    p.add_argument("--json", action="store_true", help="print JSON Lines, one object per article")
    add_follow_links(p)
    p.set_defaults(func=cmd_clean)


def load_for_cli(folder: str, *, use_cache: bool = True, follow_links: bool = False):
    """Load a corpus folder for a command, turning bad paths into CLI errors (exit 2).
    ``follow_links`` reads symlinks pointing outside the folder too (``--follow-links``)."""
    return load_into(workspace_for_cli(folder, use_cache=use_cache, follow_links=follow_links), folder)


def workspace_for_cli(folder: str, *, use_cache: bool = True, follow_links: bool = False):
    """The workspace of a corpus folder given on the command line (exit 2 when it is not a folder)."""
    from briefreader.workspace import Workspace

    return Workspace(require_dir(folder), follow_links=follow_links, use_cache=use_cache)


def load_into(workspace, folder: str | None = None, *, light: bool = False):
    """Read the workspace's articles with a progress bar on a terminal; CLI errors (exit 2) for an
    unusable folder or one without articles. Returns the corpus (``light``: see ``Workspace.load``)."""
    from briefreader.workspace import CorpusError

    try:
        corpus = workspace.load(progress=_progress_printer(), light=light)
    except CorpusError as exc:
        raise CliError(str(exc)) from exc
    if not corpus.articles:
        print_warnings(corpus.warnings)
        shown = folder if folder is not None else str(workspace.root)
        raise CliError(f"no articles found in {shown} (looked for .txt, .md, .html, .htm, .json, .jsonl files)")
    return corpus


def _progress_printer():
    """A progress callback drawing on stderr when it is a terminal and the load is slow."""
    if not sys.stderr.isatty():
        return None
    import time

    started = time.monotonic()
    state: dict = {}

    def progress(done: int, total: int) -> None:
        if time.monotonic() - started < 0.5 and "bar" not in state:
            return
        if "bar" not in state:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), transient=True, console=None)
            bar.start()
            state["bar"] = bar
            state["task"] = bar.add_task("Reading articles", total=total)
        state["bar"].update(state["task"], completed=done)
        if done >= total:
            state["bar"].stop()

    return progress


def article_row(article) -> dict:
    """The JSON object of one `list` row: an :class:`Article` or its :class:`ArticleSummary`."""
    return {"id": article.id, "outlet": article.outlet, "source_agency": article.source_agency,
            "date": article.date, "title": article.title, "words": article.words,
            "provenance": dict(article.provenance)}


def list_summaries(folder: str, *, use_cache: bool = True, follow_links: bool = False):
    """(article summaries, warnings) of a corpus folder for `list`: from the record cache's listing
    rows when the folder is unchanged since it was cached (no text read, nothing cleaned), else by
    loading the corpus (which refreshes the cache). CLI errors (exit 2) as :func:`load_for_cli`."""
    before = []
    if use_cache:
        from briefreader.workspace import CacheTrouble, CorpusError

        workspace = workspace_for_cli(folder, follow_links=follow_links)
        try:
            listing = workspace.listing()
        except CacheTrouble as trouble:  # repaired now: the load below would not know it was
            listing, before = None, [trouble.warning]
        if listing is not None:
            return listing.summaries, listing.warnings
        try:  # fill the record cache a batch of files at a time, then list from it
            records = workspace.refresh_records(progress=_progress_printer())
        except CorpusError as exc:
            raise CliError(str(exc)) from exc
        if records is not None and records.articles:
            listing = workspace.listing()  # None when a file changed too recently to trust its stat
            summaries = listing.summaries if listing is not None else [
                article.summary() for batch in records.batches() for article in batch]
            return summaries, before + records.warnings
    corpus = load_for_cli(folder, use_cache=use_cache, follow_links=follow_links)
    return [article.summary() for article in corpus.articles], before + corpus.warnings


def cmd_list(args: argparse.Namespace) -> int:
    summaries, warnings = list_summaries(args.dir, use_cache=not args.no_cache, follow_links=args.follow_links)
    print_warnings(warnings)
    if args.json:
        print_json([article_row(a) for a in summaries])
        return 0
    out = sys.stdout
    if args.jsonl:  # streamed: one object per line, written as it is made
        from briefreader.cli.common import dumps_json

        lines = []
        for summary in summaries:
            lines.append(dumps_json(article_row(summary)) + "\n")
            if len(lines) >= 1000:
                out.write("".join(lines))
                lines = []
        out.write("".join(lines))
        return 0
    _write_rows(out, summaries, args.dir)
    return 0


LIST_WIDTHS = {"id": 40, "outlet": 24, "date": 20}  # at most; the title takes the rest of a terminal


def _write_rows(out, articles, folder: str) -> None:
    """The articles as plain aligned lines (no table object: 50k rows print as fast as they are written).

    Columns are as wide as their widest value up to :data:`LIST_WIDTHS`; on a terminal the title is
    cut to the terminal's width, in a pipe it is whole."""
    import shutil

    from rich.cells import cell_len, set_cell_size

    from briefreader.core.dates import display_date
    from briefreader.core.inert import inert_line

    def outlet_of(article) -> str:
        outlet, agency = article.outlet or "", article.source_agency
        if agency and agency != article.outlet:
            return f"{outlet} (via {agency})" if outlet else f"via {agency}"
        return outlet

    rows = [(inert_line(a.id), inert_line(outlet_of(a)) or "–", display_date(a.date) or "–",
             inert_line(a.title) if a.title else "–", str(a.words)) for a in articles]
    names = ("id", "outlet", "date")
    widths = [max([cell_len(name)] + [cell_len(row[i]) for row in rows]) for i, name in enumerate(names)]
    widths = [min(width, LIST_WIDTHS[name]) for width, name in zip(widths, names, strict=True)]
    words_width = max([5] + [len(row[4]) for row in rows])
    title_width = None
    if out.isatty():
        title_width = max(10, shutil.get_terminal_size().columns - sum(widths) - words_width - 8)

    def fit(text: str, width: int) -> str:
        if cell_len(text) > width:
            return set_cell_size(text, width - 1) + "…"
        return set_cell_size(text, width)

    out.write(f"{len(rows)} articles in {inert_line(folder)}\n")
    header = ["id", "outlet", "date"]
    out.write("  ".join(fit(name, width) for name, width in zip(header, widths, strict=True)) + "  "
              + "words".rjust(words_width) + "  title\n")
    lines = []
    for row in rows:
        title = row[3] if title_width is None or cell_len(row[3]) <= title_width else fit(row[3], title_width)
        lines.append("  ".join(fit(value, width) for value, width in zip(row, widths, strict=False)) + "  "
                     + row[4].rjust(words_width) + "  " + title + "\n")
        if len(lines) >= 1000:
            out.write("".join(lines))
            lines = []
    out.write("".join(lines))


def cmd_clean(args: argparse.Namespace) -> int:
    from briefreader.workspace import CorpusError, Workspace

    try:
        corpus = Workspace.read_files(args.paths, follow_links=args.follow_links)
    except CorpusError as exc:
        raise CliError(str(exc)) from exc
    print_warnings(corpus.warnings)
    if not corpus.articles:
        raise CliError("no article text found in " + ", ".join(args.paths))
    warnings_by_path: dict[str, list[str]] = {}
    for w in corpus.warnings:
        warnings_by_path.setdefault(w.path, []).append(w.message)
    from briefreader.cli.common import dumps_json
    from briefreader.core.inert import inert, inert_line

    out = sys.stdout
    for i, article in enumerate(corpus.articles):
        if args.json:
            d = article.to_dict()
            d["removed"] = [{"text": r.text, "reason": r.reason, "start": r.start, "end": r.end}
                            for r in article.removed]
            d["warnings"] = article.warnings + warnings_by_path.get(article.path, [])
            out.write(dumps_json(d) + "\n")
        else:
            if len(corpus.articles) > 1:
                out.write(("\n" if i else "") + f"==> {inert_line(article.id)} <==\n")
            # inert keeps every character offset, so `highlight --span` can be read off this text
            out.write(inert(article.body.rstrip("\n")) + "\n")
    return 0
