"""`briefreader copies`, `stories` and `timeline`: wire copy, stories, and who published first."""

from __future__ import annotations

import argparse
from typing import Any

from briefreader.cli.common import CliError, print_json, print_warnings


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Register the ``copies``, ``stories`` and ``timeline`` subcommands."""
    p = sub.add_parser("copies", help="articles that republish another's text (wire copy), and what each changed")
    p.add_argument("dir", help="corpus folder")
    p.add_argument("--json", action="store_true", help="print one JSON document {groups: [...], reuses: [...]}")
    p.add_argument("--no-cache", action="store_true", help="compare again, ignoring the cached analysis")
    p.set_defaults(func=cmd_copies)

    p = sub.add_parser("stories", help="articles that cover the same event, and why they are grouped")
    p.add_argument("dir", help="corpus folder")
    p.add_argument("--json", action="store_true", help="print one JSON document {stories: [...]}")
    p.add_argument("--no-cache", action="store_true", help="compare again, ignoring the cached analysis")
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser("timeline", help="who published first: a story, a quotation or a copy group in date order")
    p.add_argument("dir", help="corpus folder")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--story", metavar="ID", help="a story id (from `stories`)")
    which.add_argument("--quote", metavar="ID", help="a quotation cluster id (from `quotes`)")
    which.add_argument("--group", metavar="ID", help="a copy group id (from `copies`)")
    which.add_argument("--article", metavar="ID", help="the story (or copy group) of this article")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--no-cache", action="store_true", help="compare again, ignoring the cached analysis")
    p.set_defaults(func=cmd_timeline)


def _analysis(args: argparse.Namespace) -> tuple[Any, Any]:
    from briefreader.cli.corpus_cmds import load_into, workspace_for_cli

    workspace = workspace_for_cli(args.dir)
    corpus = load_into(workspace, args.dir)
    print_warnings(corpus.warnings)
    analysis = workspace.copy_analysis(cached=not args.no_cache)
    print_warnings(analysis.warnings)
    return corpus, analysis


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _label(article) -> str:
    """Outlet, date and headline of an article for one line of terminal output."""
    from briefreader.core.inert import inert_line

    bits = [article.outlet or "", article.date or "", article.title or article.id]
    return inert_line("  ".join(b for b in bits if b))


def cmd_copies(args: argparse.Namespace) -> int:
    from rich.text import Text

    from briefreader.core.inert import inert_line

    corpus, analysis = _analysis(args)
    if args.json:
        print_json(analysis.to_json())
        return 0
    by_id = {a.id: a for a in corpus.articles}
    console = _console()
    copies = sum(len(g.copies) for g in analysis.groups)
    console.print(Text(f"{len(analysis.groups)} copy groups ({copies} copies of {len(analysis.groups)} originals), "
                       f"{len(analysis.reuses)} partial reuses, among {len(corpus.articles)} articles"))
    for group in analysis.groups:
        console.print()
        console.print(Text.assemble((f"{group.id}  ", "dim"), ("original ", "bold"), _label(by_id[group.original]),
                                    (f"  [{group.why_original}]", "dim"), "\n  ", (inert_line(group.original), "dim")))
        for item in group.copies:
            console.print(Text.assemble("  copy  ", _label(by_id[item.article]), "\n        ",
                                        (inert_line(item.article), "dim"), "  ", (item.summary(), "cyan")))
            for change in item.changed[:3]:
                console.print(Text.assemble("        ", (inert_line(change.before) or "∅", "red"), " → ",
                                            (inert_line(change.after) or "∅", "green")))
    if analysis.reuses:
        console.print()
        console.print(Text("Partial reuse (not copies):", style="bold"))
        for reuse in analysis.reuses:
            console.print(Text(f"  {inert_line(reuse.article)} reuses {reuse.paragraphs} paragraph"
                               f"{'s' * (reuse.paragraphs != 1)} of {inert_line(reuse.source)}"))
    return 0


def cmd_stories(args: argparse.Namespace) -> int:
    from rich.text import Text

    from briefreader.core.inert import inert_line

    corpus, analysis = _analysis(args)
    if args.json:
        print_json(analysis.stories_json())
        return 0
    by_id = {a.id: a for a in corpus.articles}
    console = _console()
    grouped = sum(len(s.articles) for s in analysis.stories)
    console.print(Text(f"{len(analysis.stories)} stories holding {grouped} of {len(corpus.articles)} articles"))
    for story in analysis.stories:
        console.print()
        console.print(Text.assemble((f"{story.id}  ", "dim"), (inert_line(story.label), "bold"),
                                    f"  {len(story.articles)} articles, {len(story.groups)} copy groups"))
        for article_id in story.articles:
            console.print(Text.assemble("  ", _label(by_id[article_id])))
        for link in story.links[:5]:
            console.print(Text.assemble(("  why: ", "dim"), (inert_line(link.a), "dim"), " ~ ",
                                        (inert_line(link.b), "dim"), ": ", inert_line(link.reason())))
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from rich.table import Table
    from rich.text import Text

    from briefreader.core.copies import timeline
    from briefreader.core.inert import inert_line

    corpus, analysis = _analysis(args)
    ids, what = _timeline_members(args, corpus, analysis)
    entries = timeline(corpus.articles, ids, analysis)
    if args.json:
        print_json({"of": what, "entries": [
            {"article": e.article, "date": e.date, "outlet": e.outlet, "title": e.title, "role": e.role,
             "note": e.note} for e in entries]})
        return 0
    console = _console()
    table = Table(title=Text(inert_line(what)), title_justify="left", expand=False)
    for name in ("date", "outlet", "title", "role"):
        table.add_column(name, overflow="fold")
    for entry in entries:
        table.add_row(Text(entry.date or "–"), Text(inert_line(entry.outlet or "–")),
                      Text(inert_line(entry.title or entry.article)),
                      Text(inert_line(entry.role + (f" ({entry.note})" if entry.note else ""))))
    console.print(table)
    return 0


def _timeline_members(args: argparse.Namespace, corpus, analysis) -> tuple[list[str], str]:
    if args.quote:
        from briefreader.workspace import Workspace

        workspace = Workspace(corpus.root)
        workspace.use_corpus(corpus)
        quotes = workspace.quote_analysis(cached=not args.no_cache, copies=analysis)  # as `quotes` judges
        cluster = quotes.cluster(args.quote)
        if cluster is None:
            raise CliError(f"no quotation cluster {args.quote} (see `briefreader quotes {args.dir}`)")
        return cluster.articles, f"quotation {cluster.id}: “{cluster.canonical[:80]}”"
    if args.group:
        group = analysis.group(args.group)
        if group is None:
            raise CliError(f"no copy group {args.group} (see `briefreader copies {args.dir}`)")
        return group.members, f"copy group {group.id}"
    story_id = args.story
    if args.article:
        story = analysis.story_of(args.article)
        if story is None:
            group = analysis.group_of(args.article)
            if group is None:
                raise CliError(f"{args.article} is in no story and no copy group")
            return group.members, f"copy group {group.id}"
        story_id = story.id
    if story_id is None:
        if not analysis.stories:
            raise CliError("no stories in this corpus; name a --quote or --group")
        story_id = analysis.stories[0].id
    story = analysis.story(story_id)
    if story is None:
        raise CliError(f"no story {story_id} (see `briefreader stories {args.dir}`)")
    return story.articles, f"story {story.id}: {story.label}"
