"""`briefreader list` and `briefreader clean`: the corpus as a table, or as cleaned text / JSON Lines."""

from __future__ import annotations

import argparse
import sys

from briefreader.cli.common import CliError, add_follow_links, print_json, print_warnings, require_dir


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    p = sub.add_parser("list", help="list the articles of a corpus folder")
    p.add_argument("dir", help="corpus folder")
    p.add_argument("--json", action="store_true", help="print JSON (one array of rows)")
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
    from briefreader.core.corpus import CorpusError, load_corpus

    root = require_dir(folder)
    try:
        corpus = load_corpus(root, use_cache=use_cache, progress=_progress_printer(), follow_links=follow_links)
    except CorpusError as exc:
        raise CliError(str(exc)) from exc
    if not corpus.articles:
        print_warnings(corpus.warnings)
        raise CliError(f"no articles found in {folder} (looked for .txt, .md, .html, .htm, .json, .jsonl files)")
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
    return {"id": article.id, "outlet": article.outlet, "source_agency": article.source_agency,
            "date": article.date, "title": article.title, "words": article.words,
            "provenance": dict(article.provenance)}


def cmd_list(args: argparse.Namespace) -> int:
    corpus = load_for_cli(args.dir, use_cache=not args.no_cache, follow_links=args.follow_links)
    print_warnings(corpus.warnings)
    rows = [article_row(a) for a in corpus.articles]
    if args.json:
        print_json(rows)
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from briefreader.core.dates import display_date
    from briefreader.core.inert import inert_line

    def cell(value: str | None) -> Text:  # corpus text: inert, and never read as Rich markup
        return Text(inert_line(value) if value else "–")

    table = Table(title=Text(f"{len(rows)} articles in {inert_line(args.dir)}"), title_justify="left")
    table.add_column("id", overflow="fold")
    table.add_column("outlet")
    table.add_column("date", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("words", justify="right")
    for row in rows:
        outlet = row["outlet"] or ""
        if row["source_agency"] and row["source_agency"] != row["outlet"]:
            outlet = f"{outlet} (via {row['source_agency']})" if outlet else f"via {row['source_agency']}"
        table.add_row(cell(row["id"]), cell(outlet), cell(display_date(row["date"])), cell(row["title"]),
                      str(row["words"]))
    Console().print(table)
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    from briefreader.core.corpus import CorpusError, load_paths

    try:
        corpus = load_paths(args.paths, follow_links=args.follow_links)
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
            d["removed"] = [{"text": r.text, "reason": r.reason, "start": r.start, "end": r.end} for r in article.removed]
            d["warnings"] = article.warnings + warnings_by_path.get(article.path, [])
            out.write(dumps_json(d) + "\n")
        else:
            if len(corpus.articles) > 1:
                out.write(("\n" if i else "") + f"==> {inert_line(article.id)} <==\n")
            # inert keeps every character offset, so `highlight --span` can be read off this text
            out.write(inert(article.body.rstrip("\n")) + "\n")
    return 0
