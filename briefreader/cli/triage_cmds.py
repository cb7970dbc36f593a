"""`briefreader mark`, `highlight`, `status` and `export`: triage from the command line.

Thin front end over :class:`briefreader.workspace.Workspace` (imported inside the command functions
so `briefreader --help` stays fast).
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefreader.cli.common import CliError, add_follow_links, print_json, print_warnings

if TYPE_CHECKING:
    from briefreader.core.query import Query
    from briefreader.core.triage_model import ChosenCluster, Highlight
    from briefreader.workspace import Workspace

STATUS_CHOICES = "new, read, keep, discard, follow-up"
WHERE_HELP = """\
--where QUERY: triage filters, then anything else is a full-text search (see `briefreader search -h`):
  status:keep              status:keep,follow-up (either)     -status:discard
  tag:sanctions            tag:"middle east"   tag:a,b (either)   -tag:draft   (several tag: all hold)
  has:note  has:tags  has:highlight  (-has:... for without)     note:words (notes and comments)
  @name                    a saved search (status --save-search NAME --where QUERY)
"""


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    p = sub.add_parser(
        "mark",
        help="set status, tags or a note on articles (or undo the last actions)",
        description="Set the triage status, tags or note of articles. Select articles by id (path relative "
        "to the corpus folder) and/or with --where. Every change is saved at once and journalled; "
        "--undo reverts the last actions.",
        epilog=WHERE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", help="corpus folder")
    p.add_argument("ids", nargs="*", metavar="ID", help="article ids (paths relative to the corpus folder)")
    p.add_argument("--where", metavar="QUERY", help='select articles by triage filters and/or a search query, '
                   'e.g. "status:new tag:sanctions" or "status:new outlet:tass ceasefire"')
    p.add_argument("-s", "--status", help=f"set the status ({STATUS_CHOICES})")
    p.add_argument("-t", "--tag", action="append", default=[], metavar="TAG",
                   help="add a tag (repeatable; a,b adds two)")
    p.add_argument("--untag", action="append", default=[], metavar="TAG", help="remove a tag (repeatable)")
    p.add_argument("-n", "--note", help="set the note (replaces the previous one)")
    p.add_argument("--clear-note", action="store_true", help="remove the note")
    p.add_argument("--undo", nargs="?", const=1, type=int, metavar="N", help="undo the last N actions (default 1)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_follow_links(p)
    p.set_defaults(func=cmd_mark)

    p = sub.add_parser(
        "highlight",
        help="highlight a passage of an article, or list/delete highlights",
        description="Highlight an exact passage of an article's cleaned text. Whitespace, quote styles and "
        "dashes need not match exactly. A passage found more than once needs --occurrence N.",
    )
    p.add_argument("dir", help="corpus folder")
    p.add_argument("id", nargs="?", metavar="ID", help="article id (path relative to the corpus folder)")
    p.add_argument("--text", help="the exact passage to highlight")
    p.add_argument("--occurrence", type=int, metavar="N", help="which occurrence of the passage (1 = first)")
    p.add_argument("--span", metavar="START:END", help="highlight by character offsets into the cleaned text instead")
    p.add_argument("--edit", type=int, metavar="HID",
                   help="change the comment (--comment) or tags (--tag) of highlight HID")
    p.add_argument("--comment", default=None, help="your comment on the passage")
    p.add_argument("-t", "--tag", action="append", default=[], metavar="TAG", help="tag the highlight (repeatable)")
    p.add_argument("--quote", metavar="QUOTE",
                   help="choose a quote cluster for the brief: its id (from `briefreader quotes "
                   "--json`) or words of the quotation (--comment becomes its note)")
    p.add_argument("--unquote", metavar="QID", help="drop a chosen quote cluster from the brief")
    p.add_argument("--list", action="store_true",
                   help="list highlights (of ID, or of the whole corpus) and chosen quotes")
    p.add_argument("--delete", type=int, metavar="HID", help="delete highlight number HID")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_follow_links(p)
    p.set_defaults(func=cmd_highlight)

    p = sub.add_parser(
        "status",
        help="triage summary of a corpus: counts, tags, highlights, journal",
        description="Counts per status, tags, notes, highlights (and those whose text is gone), chosen quotes, "
        "saved searches, where you stopped reading and where the state is kept.",
        epilog=WHERE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", help="corpus folder")
    p.add_argument("--where", metavar="QUERY", help='list the articles matching triage filters and/or a search query, '
                   'e.g. "status:keep" or "tag:eu ceasefire"')
    p.add_argument("--journal", nargs="?", const=20, type=int, metavar="N", help="show the last N actions (default 20)")
    p.add_argument("--save-search", metavar="NAME", help="save the --where query as @NAME (usable in any --where)")
    p.add_argument("--forget-search", metavar="NAME", help="forget the saved search @NAME")
    p.add_argument("--json", action="store_true", help="print JSON (every touched article's state included)")
    add_follow_links(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser(
        "export",
        help="write the brief (highlights, comments, quote comparisons) as Markdown, HTML or JSON",
        description="Export the brief. Without filters: every article you kept, flagged for follow-up, "
        "tagged, noted or highlighted, discarded ones left out.",
        epilog=WHERE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", help="corpus folder")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    p.add_argument("--status", action="append", default=[], metavar="S",
                   help=f"only these statuses ({STATUS_CHOICES}; repeatable)")
    p.add_argument("--tag", action="append", default=[], metavar="T",
                   help="only items with this tag (repeat: all must hold)")
    p.add_argument("--where", metavar="QUERY", help='triage filters and/or a search query, e.g. '
                   '"status:keep,follow-up -tag:draft" or "tag:eu ceasefire"')
    p.add_argument("--group-by", choices=("article", "outlet", "tag", "quote", "story"), default="article",
                   help="how to group the brief (story: articles on one event together, copies after their original)")
    p.add_argument("--format", choices=("md", "json", "html"),
                   help="md, json or html (default: from FILE's extension, else md)")
    p.add_argument("--for", dest="profile", choices=("send", "archive"), default="send",
                   help="send (default): what the brief's readers need, no statuses, timestamps or private notes; "
                   "archive: everything you recorded")
    p.add_argument("--template", metavar="NAME",
                   help="lay the brief out with your Jinja2 template CONFIG/templates/NAME.md.j2 (see the README)")
    p.add_argument("--ignore-punct", action="store_true",
                   help="quote comparisons leave out differences of punctuation alone (the reader's i toggle)")
    p.add_argument("--title", help="the brief's title")
    p.add_argument("--no-links", action="store_true", help="no links from citations to the article files")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (a regular file only)")
    p.add_argument("--mkdir", action="store_true", help="create FILE's folder if it does not exist")
    add_follow_links(p)
    p.set_defaults(func=cmd_export)


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------


def _workspace(args: argparse.Namespace) -> Workspace:
    """The workspace of ``args.dir`` (checked to be a folder; nothing read yet)."""
    from briefreader.cli.common import require_dir
    from briefreader.workspace import Workspace

    return Workspace(require_dir(args.dir), follow_links=getattr(args, "follow_links", False))


def _open_triage(ws: Workspace, *, quiet: bool = False) -> None:
    """Open the triage state now (exit 1 with its one-line reason), with the location notice unless ``quiet``."""
    from briefreader.workspace import TriageError

    try:
        notice = ws.location_notice()
    except TriageError as exc:
        raise CliError(str(exc), code=1) from exc
    if notice is not None and not quiet:
        from briefreader.cli.common import print_labelled

        print_labelled("note:", "yellow", notice)


def _load(ws: Workspace, folder: str) -> Any:
    """Read the articles (progress on a terminal; exit 2 for a folder without any), as typed ``folder``."""
    from briefreader.cli.corpus_cmds import load_into

    return load_into(ws, folder)


def _resolve_id(ws: Workspace, given: str) -> str:
    """An article id from what the user typed: the id itself, or a path to the file."""
    found = ws.resolve_id(given)
    if found is not None:
        return found
    import difflib

    ids = [a.id for a in ws.corpus.articles]
    close = difflib.get_close_matches(given, ids, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else " (see `briefreader list DIR`)"
    raise CliError(f"no article {given!r} in {ws.corpus.root}{hint}")


def _parse_where(ws: Workspace, where: str | None, statuses: Sequence[str] = (), tags: Sequence[str] = ()) -> Query:
    """The --where query parsed once (``@name`` saved searches expanded), narrowed by --status/--tag."""
    from briefreader.core.query import uses_saved
    from briefreader.workspace import TriageError

    if uses_saved(where or ""):
        _open_triage(ws, quiet=True)
    try:
        return ws.parse_query(where).narrowed(statuses, tags)
    except TriageError as exc:
        raise CliError(str(exc)) from exc


def _warn(message: str) -> None:
    print_warnings([message])


def _triage_errors(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def wrapper(args: argparse.Namespace) -> int:
        from briefreader.workspace import (
            ExportError,
            QuerySyntaxError,
            SearchUnavailable,
            StoreDamagedError,
            StoreVersionError,
            TriageError,
        )

        try:
            return fn(args)
        except (StoreDamagedError, StoreVersionError) as exc:
            raise CliError(str(exc), code=1) from exc
        except (TriageError, ExportError, QuerySyntaxError) as exc:
            raise CliError(str(exc)) from exc
        except SearchUnavailable as exc:
            raise CliError(str(exc), code=3 if exc.busy else 1) from exc

    wrapper.__doc__ = fn.__doc__
    return wrapper


def _out(line: str) -> None:
    """Print one line of output; ids, titles, tags, notes and quotations in it are corpus (or shared
    triage file) text, so the whole line is made inert and cannot fake a second line."""
    from briefreader.core.inert import inert_line

    sys.stdout.write(inert_line(line) + "\n")


# ---------------------------------------------------------------------------------------------
# mark
# ---------------------------------------------------------------------------------------------


@_triage_errors
def cmd_mark(args: argparse.Namespace) -> int:
    """Set status/tags/note on articles, or undo."""
    ws = _workspace(args)
    actions = [args.status, args.tag, args.untag, args.note is not None, args.clear_note]
    if args.undo is not None:
        if args.ids or args.where or any(actions):
            raise CliError("--undo cannot be combined with other changes")
        _open_triage(ws, quiet=args.json)
        with ws:
            undone = ws.undo(args.undo)
        if args.json:
            print_json({"undone": [e.to_dict() for e in undone]})
        elif not undone:
            _out("nothing to undo")
        else:
            for e in undone:
                _out(f"undid #{e.id} ({e.time}): {e.describe()}")
        return 0
    if not any(actions):
        raise CliError("nothing to do: give --status, --tag, --untag, --note or --clear-note (or --undo)")
    if args.note is not None and args.clear_note:
        raise CliError("--note and --clear-note cannot be combined")
    if not args.ids and not args.where:
        raise CliError("which articles? give article ids or --where FILTERS")
    with ws:
        query = _parse_where(ws, args.where)
        _load(ws, args.dir)
        ids = [_resolve_id(ws, i) for i in args.ids]
        _open_triage(ws, quiet=args.json)
        if args.where:
            ids += [i for i in ws.select(query, warn=_warn) if i not in ids]
            if not ids:
                raise CliError(f"no article matches {args.where!r}")
        if (args.note is not None or args.clear_note) and len(ids) > 1:
            raise CliError("a note is set on one article at a time")
        entries = []
        if args.status:
            entries.append(ws.set_status(ids, args.status))
        if args.tag:
            entries.append(ws.add_tags(ids, args.tag))
        if args.untag:
            entries.append(ws.remove_tags(ids, args.untag))
        if args.note is not None or args.clear_note:
            entries.append(ws.set_note(ids[0], "" if args.clear_note else args.note))
        states = ws.states(ids)
    if args.json:
        print_json({"journal": [e.id for e in entries], "articles": [s.to_dict() for s in states.values()]})
        return 0
    for e in entries:
        _out(f"#{e.id} {e.describe()}" if e.changed else "nothing changed (already so)")
    for st in states.values():
        tags = f"  [{', '.join(st.tags)}]" if st.tags else ""
        note = "  (note)" if st.note else ""
        _out(f"  {st.status:<9} {st.article_id}{tags}{note}")
    return 0


# ---------------------------------------------------------------------------------------------
# highlight
# ---------------------------------------------------------------------------------------------


def _highlight_line(h: Highlight) -> str:
    from briefreader.core.triage_model import short_text

    flags = "" if h.anchor_state in ("exact", "moved") else f" [{h.anchor_state}]"
    tags = f" [{', '.join(h.tags)}]" if h.tags else ""
    comment = f" — {h.comment}" if h.comment else ""
    return f"#{h.id} {h.article_id} ¶{h.paragraph} {h.start}-{h.end}{flags}: “{short_text(h.exact, 70)}”{tags}{comment}"


@_triage_errors
def cmd_highlight(args: argparse.Namespace) -> int:
    """Highlight a passage, or list/delete highlights."""
    ws = _workspace(args)
    with ws:
        if args.delete is not None:
            _open_triage(ws, quiet=args.json)
            h = ws.highlight(args.delete)
            entry = ws.delete_highlight(args.delete)
            if args.json:
                print_json({"deleted": h.to_dict() if h else None, "journal": entry.id})
            else:
                _out(f"deleted highlight #{args.delete} (undo with `briefreader mark {args.dir} --undo`)")
            return 0
        if args.edit is not None:
            return _edit_highlight(ws, args)
        if args.unquote:
            _open_triage(ws, quiet=args.json)
            entry = ws.unchoose_quote(args.unquote)
            if args.json:
                print_json({"unchosen": args.unquote, "journal": entry.id})
            else:
                _out(f"quote {args.unquote} dropped from the brief")
            return 0
        if args.quote:
            return _choose_quote(ws, args)
        if args.list:
            return _list_highlights(ws, args)
        return _add_highlight(ws, args)


def _edit_highlight(ws: Workspace, args: argparse.Namespace) -> int:
    if args.comment is None and not args.tag:
        raise CliError("--edit needs --comment TEXT and/or --tag TAG (an empty --comment \"\" clears it)")
    _open_triage(ws, quiet=args.json)
    h = ws.update_highlight(args.edit, comment=args.comment, tags=args.tag if args.tag else None)
    if args.json:
        print_json(h.to_dict())
    else:
        _out(_highlight_line(h))
    return 0


def _list_highlights(ws: Workspace, args: argparse.Namespace) -> int:
    _load(ws, args.dir)
    aid = _resolve_id(ws, args.id) if args.id else None
    _open_triage(ws, quiet=args.json)
    hls = ws.highlights(aid)
    chosen = ws.chosen_quotes() if aid is None else []
    if args.json:
        print_json([h.to_dict() for h in hls])
        return 0
    if not hls:
        _out("no highlights")
    for h in hls:
        _out(_highlight_line(h))
    for c in chosen:
        _out(_quote_line(c))
    return 0


def _passage_span(article_body: str, article_id: str, args: argparse.Namespace) -> tuple[int, int]:
    """The (start, end) to highlight from --span or --text/--occurrence (CliError when not found or ambiguous)."""
    from briefreader.core.anchors import closest_passage, find_passage, paragraph_number

    if args.span is not None:
        try:
            start, end = (int(x) for x in args.span.split(":"))
        except ValueError:
            raise CliError(f"--span {args.span!r}: expected START:END, e.g. 120:180") from None
        if not 0 <= start < end <= len(article_body):
            raise CliError(f"--span {args.span}: outside the text of {article_id} (0:{len(article_body)})")
        spans = [(start, end)]
    else:
        spans = find_passage(article_body, args.text)
    if not spans:
        hint = ""
        near = closest_passage(article_body, args.text)
        if near and near[1] >= 60:
            hint = f"; the closest text is “{near[0]}”"
        raise CliError(f"the passage is not in {article_id}{hint}")
    if args.occurrence is not None:
        if not 1 <= args.occurrence <= len(spans):
            raise CliError(f"--occurrence {args.occurrence}: the passage occurs {len(spans)} time(s) in {article_id}")
        return spans[args.occurrence - 1]
    if len(spans) > 1:
        where = ", ".join(f"¶{paragraph_number(article_body, s)}" for s, _ in spans[:10])
        raise CliError(
            f"the passage occurs {len(spans)} times in {article_id} ({where}); "
            "give more of the text or --occurrence N"
        )
    return spans[0]


def _add_highlight(ws: Workspace, args: argparse.Namespace) -> int:
    if not args.id or (args.text is None and args.span is None):
        raise CliError("give an article ID and --text \"the exact passage\" or --span START:END "
                       "(or --list, --edit HID, --delete HID, --quote QUOTE)")
    if args.text is not None and args.span is not None:
        raise CliError("give --text or --span, not both")
    _load(ws, args.dir)
    article = ws.corpus.get(_resolve_id(ws, args.id))
    assert article is not None  # _resolve_id found it
    start, end = _passage_span(article.body, article.id, args)
    _open_triage(ws, quiet=args.json)
    h = ws.add_highlight(article, start, end, comment=args.comment or "", tags=args.tag)
    if args.json:
        print_json(h.to_dict())
    else:
        _out(_highlight_line(h))
    return 0


def _quote_line(c: ChosenCluster) -> str:
    from briefreader.core.triage_model import short_text

    who = f"{c.speaker}: " if c.speaker else ""
    outlets = ", ".join(dict.fromkeys(str(v.get("outlet") or v.get("article")) for v in c.variants))
    return f"quote {c.cluster_key} {who}“{short_text(c.canonical, 70)}” ({len(c.variants)} renderings: {outlets})"


def _choose_quote(ws: Workspace, args: argparse.Namespace) -> int:
    """Choose a quote cluster for the brief, by id or by words of the quotation."""
    from briefreader.core.anchors import find_passage

    _load(ws, args.dir)
    analysis = ws.quote_analysis()
    wanted = args.quote.strip()
    cluster = analysis.cluster(wanted)
    if cluster is None:
        found = [
            c for c in analysis.clusters
            if find_passage(c.canonical, wanted) or any(find_passage(v.text, wanted) for v in c.variants)
        ]
        if not found:
            raise CliError(f"no quotation matches {wanted!r} (see `briefreader quotes {args.dir}`)")
        if len(found) > 1:
            several = [c for c in found if len(c.variants) > 1] or found
            if len(several) > 1:
                listing = "; ".join(f"{c.id} “{c.canonical[:50]}”" for c in several[:8])
                raise CliError(f"{len(several)} quotations match {wanted!r}: {listing}; give the id")
            found = several
        cluster = found[0]
    _open_triage(ws, quiet=args.json)
    chosen = ws.choose_quote(cluster, note=args.comment or "")
    if args.json:
        print_json(chosen.to_dict())
    else:
        _out("chosen for the brief: " + _quote_line(chosen))
    return 0


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------


def _saved_searches(ws: Workspace, args: argparse.Namespace) -> int:
    if args.save_search and not args.where:
        raise CliError("--save-search NAME needs the query to save: --where QUERY")
    _open_triage(ws, quiet=args.json)
    if args.forget_search:
        ws.forget_search(args.forget_search)
    if args.save_search:
        _parse_where(ws, args.where)  # a bad filter or unknown @name is refused before saving
        ws.save_search(args.save_search, args.where)
    saved = ws.saved_searches()
    if args.json:
        print_json({"saved_searches": saved})
    else:
        for name, query in saved.items():
            _out(f"@{name} = {query}")
        if not saved:
            _out("no saved searches")
    return 0


@_triage_errors
def cmd_status(args: argparse.Namespace) -> int:
    """Print the triage summary."""
    ws = _workspace(args)
    with ws:
        if args.save_search or args.forget_search:
            return _saved_searches(ws, args)
        query = _parse_where(ws, args.where)
        corpus = _load(ws, args.dir)
        ids = [a.id for a in corpus.articles]
        _open_triage(ws, quiet=args.json)
        report = ws.status_report(ids)
        orphans = report.pop("orphans")
        missing = report.pop("missing_articles")
        touched = ws.states()
        states = ws.states(ids)
        selected = ws.select(query, ids, warn=_warn) if args.where else None
        resume = ws.resume_state()
        journal = ws.journal(args.journal) if args.journal else []
        info: dict[str, Any] = {
            "corpus": str(ws.root),
            "state_file": str(ws.store_path),
            "in_corpus": ws.store_in_corpus,
            **report,
            "resume": resume.to_dict(),
            "missing_articles": missing,
        }
        location = "" if ws.store_in_corpus else \
            f" (per-user folder: {ws.store_location_reason or 'the corpus is read-only'})"
    if args.json:
        items = [states[i] for i in selected] if selected is not None else list(touched.values())
        info["items"] = [s.to_dict() for s in items]
        info["orphans"] = [h.to_dict() for h in orphans]
        if args.journal:
            info["journal"] = [e.to_dict() for e in journal]
        print_json(info)
        return 0
    print_warnings(corpus.warnings)
    _out(f"{len(ids)} articles in {ws.root}")
    _out("  " + "  ".join(f"{s}: {n}" for s, n in report["status"].items()))
    _out(f"{report['highlights']} highlights ({report['orphan_highlights']} without their text), "
         f"{report['notes']} notes, {report['chosen_quotes']} quotes chosen for the brief")
    if report["tags"]:
        _out("tags: " + ", ".join(f"{t} ({n})" for t, n in report["tags"].items()))
    for name, saved in report["saved_searches"].items():
        _out(f"saved search @{name} = {saved}")
    if missing:
        _out(f"state kept for {len(missing)} article(s) no longer in the folder: {', '.join(missing[:5])}")
    for h in orphans:
        _out("orphan " + _highlight_line(h))
    if resume.article_id:
        _out(f"last read: {resume.article_id}" + (f" (filter {resume.filter!r})" if resume.filter else ""))
    _out(f"state file: {info['state_file']}{location}")
    if selected is not None:
        _out(f"{len(selected)} article(s) match {args.where!r}:")
        for aid in selected:
            st = states[aid]
            tags = f"  [{', '.join(st.tags)}]" if st.tags else ""
            _out(f"  {st.status:<9} {aid}{tags}")
    if journal:
        _out("journal (newest first):")
        for e in journal:
            flags = " (undone)" if e.undone else (" (auto)" if e.auto else "")
            _out(f"  #{e.id} {e.time} {e.describe()}{flags}")
    return 0


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------


def _check_output(out: Path, args: argparse.Namespace) -> None:
    """Refuse (exit 2, one line) an output path the brief may not be written to."""
    from briefreader.workspace import ExportTargetError, Workspace

    try:
        Workspace.check_output(out, force=args.force, make_parents=args.mkdir)
    except ExportTargetError as exc:
        raise CliError(str(exc)) from exc


@_triage_errors
def cmd_export(args: argparse.Namespace) -> int:
    """Write the brief."""
    from briefreader.cli.common import stderr_console
    from briefreader.core.export import format_for_path, load_template, relative_link_root
    from briefreader.workspace import ExportOptions, ExportTargetError

    ws = _workspace(args)
    fmt = args.format or format_for_path(args.output)
    template_source = load_template(args.template) if args.template else None  # a missing one: one line, no work
    to_stdout = not args.output or args.output == "-"
    link_root = None
    if not args.no_links:
        link_root = relative_link_root(ws.root, Path.cwd() if to_stdout else Path(args.output).expanduser().parent)
    out = None if to_stdout else Path(args.output).expanduser()
    if out is not None:  # before any work: a device, FIFO, folder, link or existing file is refused at once
        _check_output(out, args)
    options = ExportOptions(where=args.where or "", statuses=args.status, tags=args.tag, group_by=args.group_by,
                            fmt=fmt, profile=args.profile, title=args.title, template=args.template,
                            template_source=template_source, ignore_punct=args.ignore_punct, link_root=link_root)
    with ws:
        _parse_where(ws, options.where, options.statuses, options.tags)  # a bad filter: one line before any work
        corpus = _load(ws, args.dir)
        print_warnings(corpus.warnings)
        copies = ws.copy_analysis() if args.group_by == "story" else None
        _open_triage(ws)
        result = ws.export(options, copies=copies, warn=_warn)
    if out is None:
        sys.stdout.write(result.text)
        return 0
    try:
        ws.write_output(out, result.text, force=args.force, make_parents=args.mkdir)
    except ExportTargetError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise CliError(f"disk full: the brief was not written to {args.output}", code=1) from exc
        raise CliError(f"cannot write {args.output}: {exc.strerror or exc}", code=1) from exc
    from briefreader.core.inert import inert_line

    stderr_console().print(
        f"wrote {inert_line(str(out))}: " + result.summary,
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    return 0
