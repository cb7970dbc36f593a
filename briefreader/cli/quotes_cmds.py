"""`briefreader quotes DIR`: every quotation of a corpus, grouped by utterance, renderings diffed."""

from __future__ import annotations

import argparse

from briefreader.cli.common import CliError, add_follow_links, print_warnings
from briefreader.core.dates import display_date


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Register the ``quotes`` subcommand."""
    p = sub.add_parser(
        "quotes",
        help="group how each outlet rendered the same quotation, with word diffs",
        description=(
            "Find every direct quotation in a corpus folder, group the renderings of each utterance "
            "across articles (word changes, partial quotes, translations) and show them side by side "
            "with the changed words coloured."
        ),
    )
    p.add_argument("dir", help="corpus folder")
    p.add_argument("--json", action="store_true", help="print JSON instead of the side-by-side view")
    p.add_argument("--all", action="store_true",
                   help="--json: every quotation, those quoted by one article only too (left out by default)")
    p.add_argument("--min-articles", type=int, default=None, metavar="N",
                   help="only clusters quoted in at least N articles (default 1: single quotes too)")
    p.add_argument("--speaker", metavar="NAME", help="only clusters whose speaker contains NAME (case-insensitive)")
    p.add_argument("--altered", action="store_true",
                   help="only groups where some outlet changed the words (misquotes), listed first anyway")
    p.add_argument("--ignore-case", action="store_true", help="diff view: ignore case")
    p.add_argument("--ignore-punct", action="store_true", help="diff view: ignore punctuation and quote marks")
    p.add_argument("--no-cache", action="store_true", help="extract and cluster again, ignoring cached results")
    add_follow_links(p)
    p.set_defaults(func=cmd_quotes)


def cmd_quotes(args: argparse.Namespace) -> int:
    from briefreader.cli.corpus_cmds import load_into, workspace_for_cli

    if args.min_articles is None:  # JSON is for comparing outlets: single-article quotations only when asked
        args.min_articles = 2 if args.json and not args.all else 1
    if args.min_articles < 1:
        raise CliError("--min-articles must be at least 1")
    workspace = workspace_for_cli(args.dir, follow_links=args.follow_links)
    corpus = load_into(workspace, args.dir, light=True)  # one analysis: source texts read back when used
    print_warnings(corpus.warnings)
    # copies first (inside; the quote extraction helper starts while they are analysed): a misquote
    # republished by several outlets is judged against the original statement
    analysis = workspace.quote_analysis(cached=not args.no_cache)
    copies = workspace.copy_analysis(cached=not args.no_cache, reuse=True)  # the one the analysis used
    print_warnings(analysis.warnings)
    if args.json:
        _write_json_streamed(analysis, args, copies)
        return 0
    _print_view(analysis, args, copies)
    return 0


def _write_json_streamed(analysis, args: argparse.Namespace, copies) -> None:
    """The `quotes --json` document written cluster by cluster as they are read (the groups the
    filters leave out are never built; tens of MB are never one string)."""
    import sys

    from briefreader.cli.common import dumps_json
    from briefreader.core.copies import annotate_quotes_json
    from briefreader.core.quote_cache import QuoteCacheError

    out = sys.stdout
    head = dumps_json({"quotes_total": analysis.quotes_total})[:-1]  # without the closing brace
    out.write(head + ', "clusters": [')
    try:
        clusters = analysis.iter_json_clusters(min_articles=args.min_articles, speaker=args.speaker,
                                               altered=args.altered)
        for i, cluster in enumerate(clusters):
            annotate_quotes_json({"clusters": [cluster]}, copies)
            out.write((", " if i else "") + dumps_json(cluster))
        scare = analysis.scare_quotes_json()
    except QuoteCacheError as exc:
        out.write("\n")
        raise CliError(str(exc)) from exc
    out.write('], "scare_quotes": ' + dumps_json(scare) + "}\n")


def _print_view(analysis, args: argparse.Namespace, copies) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from briefreader.core.inert import inert, inert_line

    console = Console(highlight=False)
    # altered groups first (the order is kept otherwise)
    clusters = list(analysis.iter_clusters(min_articles=args.min_articles, speaker=args.speaker,
                                           altered=args.altered, altered_first=True))
    shared = analysis.cluster_count(min_articles=2)
    altered = analysis.cluster_count(altered=True)
    console.print(
        f"[bold]{analysis.quotes_total}[/] quotations, [bold]{analysis.cluster_count()}[/] statements "
        f"([bold]{shared}[/] quoted by more than one article, [bold]{altered}[/] with altered words), "
        f"[bold]{len(analysis.scare_quotes)}[/] scare quotes; showing {len(clusters)}."
    )
    if not clusters:
        console.print("[dim]No cluster matches the filters.[/]")
    for cluster in clusters:
        if len(cluster.variants) == 1:
            v = cluster.variants[0]
            console.print(Text.assemble(
                *speaker_label(cluster.speaker, cluster.speaker_confidence), "  ",
                (inert_line(f"{display_date(v.date, '?')}  {v.outlet or v.article}"), "dim"),
                "\n  “", inert(v.text), "”",
            ))
            continue
        title = Text.assemble(
            *speaker_label(cluster.speaker, cluster.speaker_confidence), "  ",
            ("ALTERED WORDS  ", "bold red") if cluster.altered else "",
            (f"{len(cluster.articles)} article(s) ({copies.independent(cluster.articles)} independent), "
             f"{len(cluster.variants)} rendering(s)", "dim"), "  ",
            (inert_line(cluster.id), "dim"),
        )
        table = Table(title=title, title_justify="left", show_lines=True, expand=True)
        table.add_column("date", no_wrap=True, style="dim")
        table.add_column("outlet / article", overflow="fold", max_width=28)
        table.add_column("canonical", ratio=1)
        table.add_column("this rendering", ratio=1)
        table.add_column("words", no_wrap=True)
        for v in cluster.variants:
            left, right = _diff_texts(cluster.canonical, v, args)
            who = Text(inert_line(v.outlet or v.article))
            if v.outlet:
                who = Text.assemble(inert_line(v.outlet), "\n", (inert_line(v.article), "dim"))
            if copies.original_of(v.article) != v.article:
                who.append(f"\ncopy of {inert_line(copies.original_of(v.article))}", style="dim italic")
            style = "bold red" if v.alteration in ("altered", "paraphrased") else "dim"
            table.add_row(Text(display_date(v.date, "?")), who, left, right, Text(v.alteration, style=style))
        console.print(table)
    if analysis.scare_quotes and args.min_articles <= 1 and not args.speaker:
        words = ", ".join(f"“{inert_line(q.text)}”" for q in analysis.scare_quotes[:40])
        more = f" … and {len(analysis.scare_quotes) - 40} more" if len(analysis.scare_quotes) > 40 else ""
        console.print(Text.assemble(("Scare quotes: ", "bold"), (words + more, "dim")))


def speaker_label(speaker: str | None, confidence: float) -> tuple[tuple[str, str], ...]:
    """(text, style) pieces naming a group's speaker with its confidence; uncertain ones marked."""
    if not speaker:
        return (("unknown speaker", "bold cyan"),)
    from briefreader.core.inert import inert_line
    from briefreader.core.quotes import UNCERTAIN_SPEAKER_BELOW

    if confidence < UNCERTAIN_SPEAKER_BELOW:
        return ((f"{inert_line(speaker)}?", "bold yellow"), (f" (uncertain, {confidence:.2f})", "yellow"))
    return ((inert_line(speaker), "bold cyan"), (f" ({confidence:.2f})", "dim"))


def _diff_texts(canonical: str, variant, args: argparse.Namespace):
    """(canonical, rendering) as rich Texts with removed words red and added / changed words green."""
    from rich.text import Text

    from briefreader.core.diffing import diff_words
    from briefreader.core.inert import inert

    c0, c1 = variant.canonical_span if variant.partial else (0, len(canonical))
    # corpus text made inert before the diff (one character for one, so every span still fits)
    region = inert(canonical[c0:c1])
    rendering = inert(variant.text)
    left, right = Text(), Text()
    if variant.partial and c0 > 0:
        left.append("… ", style="dim")
    ops = diff_words(region, rendering, ignore_case=args.ignore_case, ignore_punct=args.ignore_punct,
                     ignore_quotes=True)
    a_pos = b_pos = 0
    for op in ops:
        left.append(region[a_pos : op.a_span[0]])
        right.append(rendering[b_pos : op.b_span[0]])
        if op.tag == "equal":
            left.append(op.a_text)
            right.append(op.b_text)
        else:
            if op.a_text:
                left.append(op.a_text, style="bold red strike")
            if op.b_text:
                right.append(op.b_text, style="bold green")
        a_pos, b_pos = op.a_span[1], op.b_span[1]
    left.append(region[a_pos:])
    right.append(rendering[b_pos:])
    if variant.partial and c1 < len(canonical):
        left.append(" …", style="dim")
    if variant.partial:
        right.append("  (partial)", style="dim italic")
    return left, right
