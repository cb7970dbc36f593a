"""The brief: selection, groupings, quote comparison, escaping, CommonMark validity, golden files.

Regenerate the golden files after an intended change with
``BRIEFREADER_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_export.py`` and review the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefreader.core.export import (
    ExportError,
    build_brief,
    code_span,
    compare_renderings,
    escape_block,
    escape_inline,
    link_text,
    render,
    render_json,
    render_markdown,
)
from briefreader.core.model import Article, OffsetMap
from briefreader.core.quotemarks import balance_quote_marks
from briefreader.core.query import parse_filters
from briefreader.storage.triage_file import DB_NAME
from briefreader.storage.triage_store import TriageStore

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("BRIEFREADER_UPDATE_GOLDEN") == "1"


def archive_brief(*args, **kwargs):
    """The brief with everything in it (``--for archive``): what these tests check, line by line."""
    return build_brief(*args, profile="archive", **kwargs)


def md_parser() -> MarkdownIt:
    """CommonMark plus the two GFM extensions the brief uses (pipe tables, strikethrough)."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def art(aid: str, body: str, **meta) -> Article:
    header = f"{meta.get('title') or ''}\n\n"
    return Article(
        id=aid,
        path=aid.split("#")[0],
        format=aid.split("#")[0].rsplit(".", 1)[-1],
        body=body,
        source=header + body,
        offsets=OffsetMap([(0, len(header), len(body))]),
        content_hash=hashlib.sha1(body.encode()).hexdigest(),
        **meta,
    )


BODY_A = (
    "BRUSSELS, 17 (EUROPA PRESS)\n\n"
    "The High Representative said the *so-called* peace plan was "
    "\u201ca trap that Russia wants us to walk into\u201d.\n\n"
    "# Not a heading: she listed 3 conditions | and a <script>alert(1)</script> tag & more.\n\n"
    "1. Ukraine decides. Sanctions stay_until_then.\n\n"
    "Kallas said Russia has not made any concessions yet."
)
BODY_B = (
    "GENEVA\n\n"
    "Putin continues to drag out negotiations and hopes he gets away with it, Kallas wrote on X.\n\n"
    "She called for `more` pressure on Moscow."
)
BODY_C = "Moscow said nothing.\n\nAn unrelated report on weather."
BODY_D = "Text of a file with no metadata at all.\n\nSecond paragraph of it."


def corpus() -> list[Article]:
    return [
        art("europapress/kallas.txt", BODY_A, title="Kallas: Ukraine [must] not fall into *Russia's* trap",
            outlet="Europa Press",
            date="2025-08-17", author="J. Doe", url="https://example.org/news/kallas?id=1&x=2", order=0),
        art("geneva/post.json#2", BODY_B, title="Kallas on X", outlet="Geneva Daily", date="2025-08-22", order=1),
        art("tass/moscow.txt", BODY_C, title="Moscow silent", outlet="TASS", date="2025-08-20", order=2),
        art("misc/untitled.txt", BODY_D, order=3),
    ]


class Clock:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"2025-09-01T10:{self.n // 60:02d}:{self.n % 60:02d}.000Z"


def span(body: str, needle: str) -> tuple[int, int]:
    i = body.index(needle)
    return i, i + len(needle)


@pytest.fixture
def store(tmp_path: Path):
    arts = {a.id: a for a in corpus()}
    s = TriageStore(tmp_path / DB_NAME, clock=Clock())
    a, b = arts["europapress/kallas.txt"], arts["geneva/post.json#2"]
    c, d = arts["tass/moscow.txt"], arts["misc/untitled.txt"]
    s.set_status([a.id, b.id], "keep")
    s.set_status(c.id, "discard")
    s.set_status(d.id, "follow-up")
    s.add_tags(a.id, ["sanctions", "EU"])
    s.add_tags(b.id, "EU")
    s.set_note(a.id, "Strong wording.\n\nCheck the *BBC* interview & the <original> [source].")
    s.add_highlight(a, *span(BODY_A, "a trap that Russia wants us to walk into"), comment="Key framing",
                    tags=["framing"])
    s.add_highlight(a, *span(BODY_A,
                             "# Not a heading: she listed 3 conditions | and a <script>alert(1)</script> tag & more."))
    s.add_highlight(a, *span(BODY_A, "1. Ukraine decides. Sanctions stay_until_then.\n\nKallas said"),
                    tags=["sanctions"])
    s.add_highlight(a, *span(BODY_A, "Russia has not made any concessions yet"), comment="Check for updates")
    s.add_highlight(b, *span(BODY_B, "Putin continues to drag out negotiations"), comment="Compare with Europa Press")
    s.add_highlight(c, *span(BODY_C, "Moscow said nothing."))  # discarded article: left out by default
    s.add_highlight(d, *span(BODY_D, "Second paragraph"), tags=["misc"])
    s.choose_cluster(
        {
            "id": "c-putin",
            "speaker": "Kaja Kallas",
            "canonical": "Putin continues to drag out the negotiations and hopes to get his way",
            "variants": [
                {"article": a.id, "outlet": "Europa Press", "date": "2025-08-17",
                 "text": "Putin continues to drag out the negotiations and hopes to get his way",
                 "start": 0, "end": 10},
                {"article": b.id, "outlet": "Geneva Daily", "date": "2025-08-22",
                 "text": "Putin continues to drag out negotiations and hopes he gets away with it",
                 "start": BODY_B.index("Putin"), "end": BODY_B.index(", Kallas")},
                {"article": c.id, "outlet": "TASS | wire", "date": "2025-08-23", "text": "drag out the negotiations",
                 "start": 0, "end": 5},
            ],
        },
        titles={x.id: x.title for x in arts.values() if x.title},
        note="Three renderings; Geneva Daily paraphrases the end.",
    )
    yield s
    s.close()


def edited_corpus() -> list[Article]:
    """The same corpus after the articles changed: one highlight moves, one is edited, one is gone."""
    arts = corpus()
    a = arts[0]
    body = (
        "UPDATED\n\n"
        + a.body.replace("has not made any concessions yet", "has still made no concessions")
        .replace("1. Ukraine decides. Sanctions stay_until_then.", "Paragraph rewritten completely by the desk.")
    )
    arts[0] = art(a.id, body, title=a.title, outlet=a.outlet, date=a.date, author=a.author, url=a.url, order=0)
    return arts


# --------------------------------------------------------------------------- golden files


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; review it and run again")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs (BRIEFREADER_UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize("group_by", ["article", "outlet", "tag", "quote"])
def test_markdown_golden_per_grouping(store: TriageStore, group_by: str) -> None:
    brief = archive_brief(corpus(), store, group_by=group_by, corpus_name="kallas-corpus")
    _check_golden(f"brief_{group_by}.md", render_markdown(brief))


def test_markdown_golden_with_links_to_the_files(store: TriageStore) -> None:
    brief = archive_brief(corpus(), store, corpus_name="kallas-corpus", link_root="../my corpus")
    md = render_markdown(brief)
    _check_golden("brief_links.md", md)
    links = [
        c.attrs["href"]
        for t in md_parser().parse(md) if t.type == "inline"
        for c in t.children or [] if c.type == "link_open"
    ]
    a = corpus()[0]
    p = brief.entries[0].highlights[0]
    assert f"../my%20corpus/europapress/kallas.txt#char={p.source_start},{p.source_end}" in links
    assert "../my%20corpus/geneva/post.json" in links  # a JSON record: the file, no character fragment
    assert a.source[p.source_start : p.source_end] == p.text


def test_relative_link_root(tmp_path: Path) -> None:
    from briefreader.core.export import relative_link_root

    (tmp_path / "c d").mkdir()
    (tmp_path / "out" / "x").mkdir(parents=True)
    assert relative_link_root(tmp_path / "c d", tmp_path / "out" / "x") == "../../c%20d"
    assert relative_link_root(tmp_path / "c d", tmp_path / "c d") == "."


def test_json_golden(store: TriageStore) -> None:
    brief = archive_brief(corpus(), store, group_by="tag", corpus_name="kallas-corpus")
    _check_golden("brief_tag.json", render_json(brief))


def test_markdown_golden_after_the_articles_changed(store: TriageStore) -> None:
    brief = archive_brief(edited_corpus(), store, corpus_name="kallas-corpus")
    _check_golden("brief_edited.md", render_markdown(brief))


def test_export_is_deterministic(store: TriageStore) -> None:
    first = render(archive_brief(corpus(), store, group_by="tag"), "md")
    again = render(archive_brief(list(reversed(corpus())), store, group_by="tag"), "md")
    assert first == again
    assert render(archive_brief(corpus(), store), "json") == render(archive_brief(corpus(), store), "json")
    with pytest.raises(ExportError):
        render(archive_brief(corpus(), store), "pdf")
    with pytest.raises(ExportError):
        archive_brief(corpus(), store, group_by="speaker")


# --------------------------------------------------------------------------- content and selection


def test_default_selection_leaves_out_discarded_and_untouched(store: TriageStore) -> None:
    brief = archive_brief(corpus(), store)
    assert [e.article.id for e in brief.entries] == ["europapress/kallas.txt", "geneva/post.json#2",
                                                     "misc/untitled.txt"]
    # Sources: the selected articles, then the other articles of chosen quotes.
    assert [a.id for a in brief.sources] == [
        "europapress/kallas.txt", "geneva/post.json#2", "misc/untitled.txt", "tass/moscow.txt",
    ]


def test_filters_select_by_status_and_by_highlight_tags(store: TriageStore) -> None:
    brief = archive_brief(corpus(), store, filters=parse_filters("status:discard"))
    assert [e.article.id for e in brief.entries] == ["tass/moscow.txt"]
    brief = archive_brief(corpus(), store, filters=parse_filters("tag:framing"))
    (entry,) = brief.entries
    assert entry.article.id == "europapress/kallas.txt" and not entry.whole
    assert [p.text for p in entry.highlights] == ["a trap that Russia wants us to walk into"]
    brief = archive_brief(corpus(), store, filters=parse_filters("tag:eu"))
    assert [len(e.highlights) for e in brief.entries] == [4, 1]
    assert "Selection: `tag:eu`" in render_markdown(brief)


def test_highlights_reattach_in_the_export_and_orphans_are_listed(store: TriageStore) -> None:
    brief = archive_brief(edited_corpus(), store)
    placed = {p.highlight.id: p for e in brief.entries for p in e.highlights}
    assert placed[1].resolution.state == "moved"
    assert placed[1].text == "a trap that Russia wants us to walk into"
    assert placed[4].resolution.state == "fuzzy"
    assert placed[4].text == "Russia has still made no concessions"
    assert [(aid, p.highlight.id) for aid, p, _ in brief.orphans] == [("europapress/kallas.txt", 3)]
    md = render_markdown(brief)
    assert "## Highlights whose text is gone" in md
    assert "Ukraine decides" in md  # the orphan's text is kept in the brief
    data = json.loads(render_json(brief))
    assert data["orphans"][0]["text"].startswith("1. Ukraine decides.")


def test_citation_carries_outlet_date_title_paragraph_and_source_offsets(store: TriageStore) -> None:
    brief = archive_brief(corpus(), store)
    a = corpus()[0]
    p = brief.entries[0].highlights[0]
    assert a.source[p.source_start : p.source_end] == p.text
    md = render_markdown(brief)
    line = next(x for x in md.splitlines() if x.startswith("> — *Europa Press*"))
    assert "2025-08-17" in line and "¶2" in line and f"characters {p.source_start}–{p.source_end}" in line
    assert "Kallas: Ukraine \\[must\\] not fall into \\*Russia's\\* trap" in line


def test_quote_comparison_marks_changed_words(store: TriageStore) -> None:
    (cluster,) = store.chosen_clusters()
    rows = compare_renderings(cluster)
    assert rows[0].same and not rows[0].partial
    changed = [(k, t) for k, t in rows[1].runs if k != "equal"]
    assert ("removed", "the") in changed
    assert ("added", "he gets away with it") in changed
    assert rows[2].partial and rows[2].same  # a partial quote is compared with the part it comes from


# --------------------------------------------------------------------------- CommonMark validity


def _blockquotes(tokens) -> list[str]:
    """Plain text of each top-level blockquote (paragraphs joined by newlines)."""
    out: list[str] = []
    depth = 0
    current: list[str] = []
    for t in tokens:
        if t.type == "blockquote_open":
            depth += 1
            if depth == 1:
                current = []
        elif t.type == "blockquote_close":
            depth -= 1
            if depth == 0:
                out.append("\n".join(current))
        elif depth and t.type == "inline":
            current.append(_inline_text(t))
    return out


def _inline_text(token) -> str:
    parts = []
    for c in token.children or []:
        if c.type in ("text", "text_special", "code_inline"):
            parts.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


@pytest.mark.parametrize("group_by", ["article", "outlet", "tag", "quote"])
def test_markdown_parses_as_intended(store: TriageStore, group_by: str) -> None:
    brief = archive_brief(edited_corpus(), store, group_by=group_by)
    md = render_markdown(brief)
    tokens = md_parser().parse(md)
    # No user text turned into raw HTML, and the script tag shows as text.
    assert not [t for t in tokens if t.type == "html_block"]
    assert not [c for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "html_inline"]
    html = md_parser().render(md)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Exactly one h1, the title.
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1
    # Each highlight (placed or orphan) is a blockquote whose text is the highlighted text,
    # followed by its citation; each chosen quote has its canonical rendering in a blockquote.
    quotes = _blockquotes(tokens)
    placed = [p for g in brief.groups for e in g.entries for p in e.highlights]
    expected = [" ".join(balance_quote_marks(p.text.strip()).split()) for p in placed] + [
        " ".join(balance_quote_marks(p.text.strip()).split()) for _, p, _ in brief.orphans]
    cited = [q for q in quotes if q.split("\n")[-1].startswith("— ")]
    bodies = [" ".join(q.split("\n")[:-1]) for q in cited]
    assert sorted(bodies) == sorted(expected)
    assert len(quotes) == len(cited) + len(brief.clusters)  # the rest: each chosen quote's canonical text
    # The comparison table survives as a table with one row per rendering.
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 1 + 3  # header + three renderings
    # The diff reads in words, with no bold or strike-through to carry it.
    inline_types = [c.type for t in tokens if t.type == "inline" for c in t.children or []]
    assert "s_open" not in inline_types
    assert not [line for line in md.splitlines() if line.startswith("|") and ("**" in line or "~~" in line)]
    assert "he gets away with it [was: “to get his way”]" in md and "[omits: “the”]" in md


def test_no_leftover_emphasis_markers_in_rendered_text(store: TriageStore) -> None:
    html = md_parser().render(render_markdown(archive_brief(corpus(), store, group_by="quote")))
    # Every ** and ~~ the brief wrote became markup; none is shown literally.
    assert "**" not in html and "~~" not in html


_ALPHABET = (list("abc XYZ 123 .,:;!?*_`[]()<>#+-=|~&\\\"'\u201c\u201d\t")
             + ["&amp;", "http://x.y", "\n", "1. ", "- ", "# ", "    "])


@pytest.mark.parametrize("seed", range(200))
def test_escape_inline_round_trips_through_a_commonmark_parser(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 30)))
    expected = " ".join(text.split())
    if not expected:
        return
    tokens = md_parser().parse(escape_inline(expected))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], (text, escape_inline(expected))
    inline = tokens[1]
    assert {c.type for c in inline.children} <= {"text", "text_special"}, escape_inline(expected)
    assert _inline_text(inline) == expected


def test_escape_helpers() -> None:
    assert escape_block("one *a*\n\n\n  two\nlines  ") == ["one \\*a\\*", "two lines"]
    assert escape_inline("2025. A year") == "2025\\. A year"
    assert escape_inline("-5 degrees") == "\\-5 degrees"
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x`") == "`` `x` ``"
    assert link_text("https://example.org/a?b=1&c=2") == "<https://example.org/a?b=1&c=2>"
    assert link_text("not a url <x>") == "not a url \\<x>"
    assert link_text("javascript:alert(1)") == "javascript:alert(1)"  # never a live link
    assert link_text("file:///etc/passwd") == "file:///etc/passwd"
    assert escape_inline("snake_case & AT&T <3 a<b &amp; _x_") == "snake_case & AT&T <3 a\\<b \\&amp; \\_x\\_"
    for s in ("a`b", "`x`", "``"):
        tokens = md_parser().parse(code_span(s))
        assert tokens[1].children[0].type == "code_inline" and tokens[1].children[0].content == s


_NASTY = [
    "*", "**", "_", "`", "```", "~~~", "<!--", "-->", "<b>", "</div>", "&amp;", "&#42;", "[x]", "[x]: /url", "![i](u)",
    "|", "\\", "#", "# ", ">", "> ", "- ", "+ ", "1. ", "2) ", "---", "===", "    code", "\t", "\n", "\n\n", "  \n",
    "http://example.org", "<http://x>", "word", "Kallas", "said", " ", "“", "”", "'", '"', "{", "}", "$", "%",
]


def _nasty(rng: random.Random, n: int) -> str:
    text = "".join(rng.choice(_NASTY) for _ in range(n)).strip()
    return text or "plain"


@pytest.mark.parametrize("seed", range(25))
def test_any_user_text_keeps_the_brief_structure(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    body = "\n\n".join(_nasty(rng, 12) + " filler words here" for _ in range(4))
    article = art("x/y.txt", body, title=_nasty(rng, 5), outlet=_nasty(rng, 3), date="2025-08-01",
                  author=_nasty(rng, 2))
    with TriageStore(tmp_path / DB_NAME, clock=Clock()) as s:
        s.set_note(article.id, _nasty(rng, 15))
        s.add_tags(article.id, [_nasty(rng, 2).replace(",", " ") + "t"])
        expected = []
        for _ in range(3):
            start = rng.randrange(0, len(body) - 20)
            h = s.add_highlight(article, start, start + rng.randint(5, 20), comment=_nasty(rng, 6),
                                tags=[_nasty(rng, 2).replace(",", " ") + "t"])
            shown = balance_quote_marks(h.exact.strip())  # a cut passage's stray marks are paired
            expected.append(" ".join(" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", shown) if p.strip()))
        s.choose_cluster({"id": "q", "speaker": _nasty(rng, 2), "canonical": _nasty(rng, 8),
                          "variants": [{"article": article.id, "outlet": _nasty(rng, 2), "date": "x",
                                        "text": _nasty(rng, 8)},
                                       {"article": article.id, "outlet": "B", "date": "y", "text": _nasty(rng, 8)}]})
        for group_by in ("article", "tag", "quote"):
            md = render_markdown(archive_brief([article], s, group_by=group_by, link_root="c"))
            tokens = md_parser().parse(md)
            assert not [t for t in tokens if t.type in ("html_block", "code_block", "fence", "hr")], md
            assert not [c for t in tokens if t.type == "inline" for c in t.children or []
                        if c.type in ("html_inline", "image")]
            assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1
            quotes = _blockquotes(tokens)
            cited = [" ".join(q.split("\n")[:-1]) for q in quotes if q.split("\n")[-1].startswith("— ")]
            if group_by == "tag":  # a highlight appears under each tag it (or its article) carries
                assert set(cited) == set(expected), md
            else:
                assert sorted(cited) == sorted(expected), md
            assert len([t for t in tokens if t.type == "table_open"]) == 1
            assert len([t for t in tokens if t.type == "tr_open"]) == 3


# --------------------------------------------------------------------------- profiles, templates, HTML (issue 14)


def _send(store: TriageStore, arts: list[Article] | None = None, **kwargs):
    return build_brief(arts or corpus(), store, corpus_name="kallas-corpus", **kwargs)


def test_send_is_the_default_profile_and_its_golden(store: TriageStore) -> None:
    brief = _send(store)
    assert brief.profile == "send"
    md = render_markdown(brief)
    _check_golden("brief_send.md", md)
    # What only the analyst needs stays out: statuses, timestamps, private notes, tags, offsets.
    for leak in ("status:", "Highlighted", "Strong wording", "tags:", "characters ", "Selection:"):
        assert leak not in md, leak
    # Comments stay, under their highlight.
    assert "> a trap that Russia wants us to walk into\n\nKey framing\n" in md
    # The follow-up article's one highlight keeps it; an article with nothing to show is no heading.
    assert md.count("\n## ") == len([e for e in brief.entries if e.highlights]) + 2  # + quotations, sources


def test_send_leaves_out_articles_with_nothing_to_show(store: TriageStore) -> None:
    extra = art("notes/empty.txt", "A follow-up article nobody highlighted.\n\nSecond.", title="Empty follow-up",
                outlet="Nowhere", order=9)
    store.set_status(extra.id, "follow-up")
    kept = art("notes/kept.txt", "Kept but not highlighted.", title="Kept one", outlet="Somewhere", order=10)
    store.set_status(kept.id, "keep")
    md = render_markdown(_send(store, corpus() + [extra, kept]))
    assert "Empty follow-up" not in md  # neither a heading nor a source
    assert "## Other articles\n\n- Kept one — Somewhere [" in md  # kept: one line, no empty heading


def test_archive_keeps_everything(store: TriageStore) -> None:
    md = render_markdown(archive_brief(corpus(), store))
    for kept in ("status: keep", "Highlighted 2025-09-01", "Strong wording", "tags: EU", "characters 144–184"):
        assert kept in md, kept


def test_send_names_each_article_by_headline_outlet_and_date_with_its_url(store: TriageStore) -> None:
    md = render_markdown(_send(store, link_root="../c"))
    assert "## Kallas: Ukraine \\[must\\] not fall into \\*Russia's\\* trap — Europa Press, 2025-08-17 [1]\n\n" \
           "<https://example.org/news/kallas?id=1&x=2>\n" in md
    visible = _visible_text(md)
    # A file name never stands where a headline or a URL exists.
    assert "europapress/kallas.txt" not in md  # it has a URL: no file link at all
    assert "geneva/post.json" not in visible  # a headline but no URL: the file only as a link target
    assert "[saved copy](../c/geneva/post.json)" in md
    # No headline: the opening words of the text, in quotation marks, not the file name.
    assert "“Text of a file with no metadata at all.”" in md and "misc/untitled.txt" not in visible


def _visible_text(md: str) -> str:
    """What a reader of the rendered brief sees (link targets left out)."""
    return "\n".join(_inline_text(t) for t in md_parser().parse(md) if t.type == "inline")


def test_sources_are_numbered_once(store: TriageStore) -> None:
    md = render_markdown(_send(store))
    sources = md.split("## Sources\n\n", 1)[1].strip().splitlines()
    numbers = [int(line.split(".", 1)[0]) for line in sources]
    assert numbers == sorted(set(numbers))
    assert "source 1" not in md  # no "source N" after every citation: the heading carries [N]


def test_comparison_rows_are_unique_even_when_the_clustering_repeats_one(store: TriageStore, tmp_path: Path) -> None:
    arts = {a.id: a for a in corpus()}
    b = arts["geneva/post.json#2"]
    start = BODY_B.index("Putin")
    end = BODY_B.index(", Kallas")
    store.choose_cluster({
        "id": "c-dup", "speaker": "Kaja Kallas", "canonical": BODY_B[start:end],
        "variants": [
            {"article": b.id, "outlet": "Geneva Daily", "date": "2025-08-22", "text": BODY_B[start:end],
             "start": start, "end": end},
            {"article": b.id, "outlet": "Geneva Daily", "date": "2025-08-22", "text": BODY_B[start:end],
             "start": start, "end": end},
            {"article": b.id, "outlet": "Geneva Daily", "date": "2025-08-22", "text": "drag out negotiations",
             "start": BODY_B.index("drag"), "end": BODY_B.index("drag") + len("drag out negotiations"),
             "partial": True},
        ]})
    for profile in ("send", "archive"):
        md = render_markdown(_send(store, profile=profile))
        rows = [line for line in md.splitlines()
                if line.startswith("| ") and not line.startswith("| #") and "---" not in line]
        rows = [r for r in rows if r not in ("| Source | Rendering |",)]
        assert len(rows) == len(set(rows)), rows
        tables = md.split("### ")
        dup_table = next(t for t in tables
                         if "> Putin continues to drag out negotiations and hopes he gets away with it —" in t)
        assert sum(1 for line in dup_table.splitlines() if line.startswith("| ") and "Geneva Daily" in line) == 1


QUOTE_MARK_CASES = [
    ('The harsh reality is here," the head of diplomacy said',
     '"The harsh reality is here," the head of diplomacy said'),
    ("trap that Russia wants us to walk into.\u201d", "trap that Russia wants us to walk into."),
    ("she said \u201cno deal and more", "she said \u201cno deal and more\u201d"),
    ("Kallas: \u00abIt is obvious\u00bb said \u00abPutin", "Kallas: \u00abIt is obvious\u00bb said \u00abPutin\u00bb"),
    ("It is obvious\u00bb, she said", "\u00abIt is obvious\u00bb, she said"),
    ("''double apostrophes'' stay", "''double apostrophes'' stay"),
    ("he called it ''a trap", "he called it ''a trap''"),
    ("\u201cbalanced\u201d and \"balanced\" and \u00abbalanced\u00bb",
     "\u201cbalanced\u201d and \"balanced\" and \u00abbalanced\u00bb"),
    ("Putin doesn\u2019t want peace", "Putin doesn\u2019t want peace"),
]


@pytest.mark.parametrize(("cut", "shown"), QUOTE_MARK_CASES)
def test_quote_marks_of_a_cut_passage_are_paired(cut: str, shown: str) -> None:
    from briefreader.core.quotemarks import unbalanced_marks

    assert balance_quote_marks(cut) == shown
    assert unbalanced_marks(shown) == []


@pytest.mark.parametrize("profile", ["send", "archive"])
@pytest.mark.parametrize("group_by", ["article", "quote"])
def test_every_blockquote_has_balanced_quote_marks(tmp_path: Path, profile: str, group_by: str) -> None:
    from briefreader.core.quotemarks import unbalanced_marks

    body = ('Kallas said: "The harsh reality is that Russia has no intention," the head of diplomacy said, and '
            "called it a \u201ctrap that Russia wants us to walk into.\u201d Lavrov replied \u00abnever\u00bb and "
            "''no''.\n\nSecond paragraph.")
    article = art("q/marks.txt", body, title="Marks", outlet="Wire", date="2025-08-20")
    with TriageStore(tmp_path / DB_NAME, clock=Clock()) as s:
        for needle in ("The harsh reality is that Russia has no intention,\" the head",
                       "trap that Russia wants us to walk into.\u201d",
                       "replied \u00abnever", "never\u00bb and ''no", "\u201ctrap that Russia"):
            s.add_highlight(article, *span(body, needle))
        s.choose_cluster({"id": "q", "speaker": "K", "canonical": "reality is that Russia has no intention,\"",
                          "variants": [{"article": article.id, "outlet": "Wire", "date": "2025-08-20",
                                        "text": "reality is that Russia has no intention,\""}]})
        md = render_markdown(build_brief([article], s, group_by=group_by, profile=profile))
    quotes = _blockquotes(md_parser().parse(md))
    assert len(quotes) == 6
    for quote in quotes:
        assert unbalanced_marks(quote) == [], quote


def test_ignore_punct_hides_punctuation_only_differences(tmp_path: Path) -> None:
    a = art("a.txt", "x", title="A", outlet="One", date="2025-08-01")
    b = art("b.txt", "y", title="B", outlet="Two", date="2025-08-02")
    with TriageStore(tmp_path / DB_NAME, clock=Clock()) as s:
        s.choose_cluster({"id": "q", "speaker": "K",
                          "canonical": "no intention of ending this war anytime soon, Even as",
                          "variants": [
                              {"article": a.id, "outlet": "One", "date": "2025-08-01",
                               "text": "no intention of ending this war anytime soon, Even as", "start": 0, "end": 1},
                              {"article": b.id, "outlet": "Two", "date": "2025-08-02",
                               "text": "no intention of ending this war anytime soon. Even as", "start": 0, "end": 1}]})
        shown = render_markdown(build_brief([a, b], s))
        hidden = render_markdown(build_brief([a, b], s, ignore_punct=True))
    assert "soon. [was: “soon,”]" in shown or "[was: “,”]" in shown
    row = next(line for line in hidden.splitlines() if line.startswith("| Two"))
    assert "[was" not in row and "(same words)" in row
    assert "Differences of punctuation alone are not shown." in hidden


def test_diff_reads_as_plain_text() -> None:
    from briefreader.core.export import diff_text

    runs = [("removed", "But the"), ("added", "The"), ("equal", "harsh reality is that"), ("removed", "the"),
            ("equal", "war"), ("added", "now"), ("equal", "goes on")]
    assert diff_text(runs) == "The [was: “But the”] harsh reality is that [omits: “the”] war [adds: “now”] goes on"


def test_template_golden(store: TriageStore) -> None:
    source = (GOLDEN / "house.md.j2").read_text(encoding="utf-8")
    text = render(_send(store), "md", template_source=source, template="house")
    _check_golden("brief_template_house.md", text)
    assert "Strong wording" not in text  # the send profile hides private notes from templates too


def test_template_sees_archive_fields_only_in_the_archive_profile(store: TriageStore) -> None:
    source = ("{% for a in articles %}[{{ a.status }}|{{ a.note | md }}|"
              "{% for h in a.highlights %}{{ h.created }};{% endfor %}]{% endfor %}")
    sent = render(_send(store), template_source=source)
    assert re.fullmatch(r"(\[\|\|;+\])+\n", sent), sent
    archived = render(_send(store, profile="archive"), template_source=source)
    assert "keep|Strong wording." in archived and "2025-09-01T10:00:08.000Z" in archived


@pytest.mark.parametrize(("source", "message"), [
    ("{% for a in articles %}{{ a.title }", "line 1"),
    ("ok\n{{ no_such_variable }}", "'no_such_variable' is undefined"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("{{ range.__globals__ }}", "unsafe"),
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
])
def test_a_broken_template_is_one_clear_error_line(store: TriageStore, source: str, message: str) -> None:
    with pytest.raises(ExportError) as caught:
        render(_send(store), template_source=source, template="house")
    text = str(caught.value)
    assert "\n" not in text and text.startswith("template house") and message in text, text


def test_templates_are_found_by_name_in_the_config_folder(store: TriageStore, tmp_path: Path, monkeypatch) -> None:
    from briefreader.core.export import template_path

    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "home"))
    with pytest.raises(ExportError, match="no template 'house': expected the file .*templates/house.md.j2"):
        render(_send(store), template="house")
    folder = tmp_path / "home" / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "house.md.j2").write_text("# {{ title }}\n", encoding="utf-8")
    assert render(_send(store), template="house") == "# Brief: kallas-corpus\n"
    for bad in ("../x", "a/b", ".hidden", ""):
        with pytest.raises(ExportError):
            template_path(bad)
    with pytest.raises(ExportError, match="json"):
        render(_send(store), "json", template="house")


def test_template_values_are_inert(tmp_path: Path) -> None:
    article = art("x.txt", "Body with \x1b[31m escape.\n\nMore.", title="Title \x1b]8;;file:///etc\x07 here",
                  outlet="O")
    with TriageStore(tmp_path / DB_NAME, clock=Clock()) as s:
        s.add_highlight(article, 0, 20)
        text = render(build_brief([article], s),
                      template_source="{% for a in articles %}{{ a.headline }} {{ a.highlights[0].text }}{% endfor %}")
    assert "\x1b" not in text and "\x07" not in text


def test_html_is_made_from_the_same_brief_with_corpus_text_escaped(store: TriageStore) -> None:
    brief = _send(store)
    page = render(brief, "html")
    assert page.startswith("<!DOCTYPE html>") and "<title>Brief: kallas-corpus</title>" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://example.org/news/kallas?id=1&amp;x=2">' in page
    assert "<table>" in page and "[was: “to get his way”]" in page
    hostile = art("h.txt", "Body.\n\nMore.", title="<img src=x onerror=alert(1)>", outlet="O",
                  url="javascript:alert(1)")
    with TriageStore(store.path.parent / "other.db", clock=Clock()) as s:
        s.add_highlight(hostile, 0, 5)
        page = render(build_brief([hostile], s), "html")
    assert "<img" not in page and 'href="javascript' not in page


def test_sample_corpus_brief_names_every_article(sample_corpus: Path, capsys) -> None:
    """The acceptance check of issue 14 on the shipped sample corpus (a copy), via the CLI."""
    from briefreader.cli.corpus_cmds import load_for_cli
    from briefreader.cli.main import main
    from briefreader.core.quotemarks import unbalanced_marks

    corpus_ = load_for_cli(str(sample_corpus))
    for a in corpus_.articles:
        paragraph = next(p for p in a.body.split("\n\n") if len(p) > 200)
        start = a.body.index(paragraph) + 20  # a cut passage: its quotation marks need not pair
        assert main(["highlight", str(sample_corpus), a.id, "--span", f"{start}:{start + 150}",
                     "--comment", "why it matters"]) == 0
    capsys.readouterr()
    assert main(["export", str(sample_corpus), "--for", "send"]) == 0
    md = capsys.readouterr().out
    visible = _visible_text(md)
    for a in corpus_.articles:
        from briefreader.core.export import headline

        assert escape_inline(headline(a)) in md, a.id
        if a.outlet:
            assert a.outlet in visible, a.id
        if a.url or a.title:
            assert a.path not in visible, a.id
        if a.url:
            assert a.path not in md, a.id
    for quote in _blockquotes(md_parser().parse(md)):
        assert unbalanced_marks(quote) == [], quote
    for leak in ("status:", "Highlighted", "\\_"):
        assert leak not in md


def test_the_readme_template_example_renders(store: TriageStore) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("A small one", 1)[1].split("\n\n", 1)[1]
    lines = []
    for line in block.splitlines():
        if line and not line.startswith("    "):
            break
        lines.append(line[4:])
    source = "\n".join(lines).strip() + "\n"
    text = render(_send(store), template_source=source)
    assert text.startswith("# Brief: kallas-corpus\n\n## Kallas: Ukraine") and "> a trap that Russia" in text
    assert "Key framing" in text


def test_json_to_send_holds_no_private_fields(store: TriageStore) -> None:
    sent = json.loads(render(_send(store), "json"))
    assert sent["profile"] == "send"
    for article in sent["articles"]:
        assert not {"status", "tags", "note"} & set(article)
        for h in article["highlights"]:
            assert "created" not in h and "tags" not in h
    assert "Strong wording" not in json.dumps(sent)
    archived = json.loads(render(_send(store, profile="archive"), "json"))
    assert archived["articles"][0]["note"].startswith("Strong wording")


def test_send_with_explicit_filters_lists_unhighlighted_articles_in_one_line(store: TriageStore) -> None:
    read = art("r/read.txt", "Read, not highlighted.", title="Read one", outlet="Wire", date="2025-08-30", order=7)
    store.set_status(read.id, "read")
    md = render_markdown(_send(store, corpus() + [read], filters=parse_filters("status:read")))
    assert "## Other articles\n\n- Read one — Wire, 2025-08-30 [1]" in md
    assert "\n## Read one" not in md
    assert "Read one" not in render_markdown(_send(store, corpus() + [read]))  # not chosen: not in the brief


def test_cli_formats_templates_and_errors(sample_corpus: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    from briefreader.cli.main import main

    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "home"))
    corpus_id = sorted(p.name for p in sample_corpus.glob("*.txt"))[0]
    assert main(["highlight", str(sample_corpus), corpus_id, "--span", "40:120", "--comment", "<b>bold</b> claim"]) == 0
    capsys.readouterr()
    out = tmp_path / "brief.html"
    assert main(["export", str(sample_corpus), "-o", str(out)]) == 0  # html from the extension
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "&lt;b&gt;bold&lt;/b&gt; claim" in page and "<b>" not in page
    assert "wrote" in capsys.readouterr().err
    # a missing template, a broken one: exit 2, one line, nothing written
    assert main(["export", str(sample_corpus), "--template", "house"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no template 'house'" in err
    folder = tmp_path / "home" / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "house.md.j2").write_text("{% for a in articles %}\n{{ a.nope }}\n{% endfor %}\n", encoding="utf-8")
    assert main(["export", str(sample_corpus), "--template", "house", "-o", str(tmp_path / "t.md")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "template house, line 2" in err and not (tmp_path / "t.md").exists()
    (folder / "house.md.j2").write_text("{% for a in articles %}{{ a.line }}|{% endfor %}\n", encoding="utf-8")
    assert main(["export", str(sample_corpus), "--template", "house", "--for", "archive"]) == 0
    assert "—" in capsys.readouterr().out
