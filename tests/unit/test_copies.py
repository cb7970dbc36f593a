"""Copy groups, partial reuse, stories and timelines (core/copies.py) and their CLI commands."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from briefreader.core.copies import analyse_copies, find_copies, timeline
from briefreader.storage.copies_cache import CACHE_FILE, analyse_copies_cached

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "helpers"))
from copies_corpus import (  # noqa: E402
    fictional_article,
    fictional_corpus,
    fictional_paragraph,
    fictional_story,
    quoted_wire_files,
    write_fictional_corpus,
    write_md_articles,
)


@pytest.fixture()
def wire() -> list[str]:
    return fictional_story(1)

def test_copies_of_known_kinds_are_grouped_under_the_earliest(wire: list[str]) -> None:
    groups, reuses, _ = find_copies(fictional_corpus(wire))
    assert len(groups) == 1
    group = groups[0]
    assert group.original == "wire.txt"
    assert group.why_original.startswith("earliest")
    assert sorted(c.article for c in group.copies) == ["changed.txt", "local.txt", "reprint.txt", "trimmed.txt"]
    by_id = {c.article: c for c in group.copies}
    assert by_id["reprint.txt"].retitled and by_id["reprint.txt"].shared == pytest.approx(1.0)
    assert not by_id["reprint.txt"].added and not by_id["reprint.txt"].cut
    assert len(by_id["trimmed.txt"].cut) == 4 and by_id["trimmed.txt"].kept < 0.7
    assert by_id["local.txt"].added_at == [0] and len(by_id["local.txt"].added) == 1
    assert [(c.before, c.after) for c in by_id["changed.txt"].changed] == [(wire[4].split()[3], "lighthouse")]
    assert "1 word change" in by_id["changed.txt"].summary()


def test_rewritten_and_reused_articles_are_not_copies(wire: list[str]) -> None:
    groups, reuses, _ = find_copies(fictional_corpus(wire))
    members = set(groups[0].members)
    assert "rewritten.txt" not in members and "reuses.txt" not in members and "unrelated.txt" not in members
    reuse = {(r.article, r.source): r for r in reuses}
    assert reuse[("reuses.txt", "wire.txt")].paragraphs == 2


@pytest.mark.parametrize(
    ("dates", "agency", "expected", "why"),
    [
        ((None, None), None, "long.txt", "longest"),
        (("2025-05-02", "2025-05-02"), "Coast Wire", "short.txt", "agency's own"),
        (("2025-05-03", "2025-05-02"), None, "short.txt", "earliest"),
    ],
)
def test_the_original_is_earliest_then_the_agencys_own_then_the_longest(wire, dates, agency, expected, why) -> None:
    long_one = fictional_article("long.txt", [fictional_paragraph(random.Random(5))] + wire, outlet="Valley Post",
                                 date=dates[0])
    short_one = fictional_article("short.txt", wire, outlet="Coast Wire", date=dates[1], order=1, agency=agency)
    groups, _, _ = find_copies([long_one, short_one])
    assert groups[0].original == expected
    assert why in groups[0].why_original


def test_independent_counts_originals_not_copies(wire: list[str]) -> None:
    analysis = analyse_copies(fictional_corpus(wire))
    assert analysis.independent(["wire.txt", "reprint.txt", "changed.txt"]) == 1
    assert analysis.independent(["reprint.txt", "unrelated.txt", "rewritten.txt"]) == 3
    assert analysis.original_of("trimmed.txt") == "wire.txt"
    assert analysis.original_of("unrelated.txt") == "unrelated.txt"


def test_stories_link_articles_by_shared_quotation_and_names_within_days() -> None:
    quote = "“We will keep the harbour open for every fishing family this winter and the next,”"
    a = fictional_story(11, 6) + [f"{quote} said Mayor Ilse Varga in Port Linden."]
    b = fictional_story(12, 6) + [f"Mayor Ilse Varga told reporters in Port Linden: {quote}"]
    c = fictional_story(13, 6) + [f"{quote} the mayor said, months later."]
    articles = [fictional_article("a.txt", a, date="2025-05-01"),
                fictional_article("b.txt", b, date="2025-05-02", order=1),
                fictional_article("c.txt", c, date="2025-09-30", order=2),
                fictional_article("d.txt", fictional_story(14, 7), date="2025-05-01", order=3)]
    analysis = analyse_copies(articles)
    assert len(analysis.stories) == 1
    story = analysis.stories[0]
    assert story.articles == ["a.txt", "b.txt"]
    assert story.first == "a.txt"
    reason = story.links[0].reason()
    assert "same quotation" in reason and "Ilse Varga" in reason


def test_timeline_orders_by_date_with_roles(wire: list[str]) -> None:
    articles = fictional_corpus(wire)
    analysis = analyse_copies(articles)
    entries = timeline(articles, ["local.txt", "reprint.txt", "wire.txt"], analysis)
    assert [e.article for e in entries] == ["wire.txt", "reprint.txt", "local.txt"]
    assert entries[0].role == "original of 4 copies"
    assert entries[2].role == "copy of wire.txt" and "1 paragraph added" in entries[2].note


def test_cache_is_reused_and_a_corrupt_cache_is_rebuilt(tmp_path: Path, wire: list[str]) -> None:
    articles = fictional_corpus(wire)
    first = analyse_copies_cached(articles, cache_dir=tmp_path)
    assert not first.stats["cached"]
    second = analyse_copies_cached(articles, cache_dir=tmp_path)
    assert second.stats["cached"]
    assert second.to_json() == first.to_json() and second.stories_json() == first.stories_json()
    (tmp_path / CACHE_FILE).write_bytes(b"not a cache")
    third = analyse_copies_cached(articles, cache_dir=tmp_path)
    assert not third.stats["cached"] and third.to_json() == first.to_json()
    assert any("corrupt" in w for w in third.warnings)


def test_a_changed_article_invalidates_the_cache(tmp_path: Path, wire: list[str]) -> None:
    articles = fictional_corpus(wire)
    analyse_copies_cached(articles, cache_dir=tmp_path)
    articles[1].body = "\n\n".join(fictional_story(40))
    again = analyse_copies_cached(articles, cache_dir=tmp_path)
    assert not again.stats["cached"]
    assert "reprint.txt" not in again.groups[0].members


def test_cli_copies_json_uses_list_ids(tmp_path: Path, capsys, wire: list[str], monkeypatch) -> None:
    from briefreader.cli.main import main

    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "home"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_fictional_corpus(corpus, wire)
    assert main(["list", str(corpus), "--json"]) == 0
    list_ids = {row["id"] for row in json.loads(capsys.readouterr().out)}
    assert main(["copies", str(corpus), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (group,) = data["groups"]
    assert group["original"] == "wire.md" and group["original"] in list_ids
    copies = {c["article"]: c for c in group["copies"]}
    assert set(copies) == {"reprint.md", "trimmed.md", "local.md", "changed.md"} and set(copies) <= list_ids
    assert {"shared", "added", "cut", "changed"} <= set(copies["trimmed.md"])
    assert len(copies["trimmed.md"]["cut"]) == 4


def test_cli_copies_stories_and_timeline_text(tmp_path: Path, capsys, wire: list[str], monkeypatch) -> None:
    from briefreader.cli.main import main

    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "home"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_fictional_corpus(corpus, wire)
    assert main(["copies", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "1 copy groups (4 copies of 1 originals)" in out and "reuses 2 paragraphs of wire.md" in out
    assert main(["timeline", str(corpus), "--article", "trimmed.md", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert entries[0]["article"] == "wire.md" and entries[0]["role"].startswith("original")
    assert main(["timeline", str(corpus), "--group", "nope"]) == 2
    assert "no copy group nope" in capsys.readouterr().err


def test_copy_changes_blocks(wire: list[str]) -> None:
    from briefreader.core.copies import copy_changes

    articles = fictional_corpus(wire)
    analysis = analyse_copies(articles)
    group = analysis.group_of("local.txt")
    by_id = {a.id: a for a in articles}
    blocks = copy_changes(by_id["local.txt"], group.copy_of("local.txt"))
    assert [b.kind for b in blocks] == ["added", "same"] and blocks[1].count == 10
    blocks = copy_changes(by_id["changed.txt"], group.copy_of("changed.txt"))
    assert [b.kind for b in blocks] == ["same", "changed", "same"]
    start, end, was = blocks[1].changes[0]
    assert blocks[1].text[start:end] == "lighthouse" and was == wire[4].split()[3]
    blocks = copy_changes(by_id["trimmed.txt"], group.copy_of("trimmed.txt"))
    assert [b.kind for b in blocks] == ["same", "cut", "cut", "cut", "cut"]


def test_threaded_rows_fold_copies_under_their_original(wire: list[str]) -> None:
    from briefreader.core.copies import story_order, threaded_rows

    articles = fictional_corpus(wire)
    analysis = analyse_copies(articles)
    order = ["reprint.txt", "unrelated.txt", "wire.txt", "trimmed.txt", "local.txt", "changed.txt"]
    rows = threaded_rows(order, analysis, collapsed=True)
    assert [(r.article_id, r.depth, r.hidden) for r in rows] == [("wire.txt", 0, 4), ("unrelated.txt", 0, 0)]
    rows = threaded_rows(order, analysis, collapsed=True, expanded={"wire.txt"})
    assert [r.article_id for r in rows] == ["wire.txt", "reprint.txt", "trimmed.txt", "local.txt", "changed.txt",
                                            "unrelated.txt"]
    assert [r.depth for r in rows] == [0, 1, 1, 1, 1, 0]
    # a copy found by a search without its original stays a row of its own
    assert [r.article_id for r in threaded_rows(["trimmed.txt"], analysis, collapsed=True)] == ["trimmed.txt"]
    assert [a for a, _ in story_order(order, analysis)] == sorted(order, key=order.index)


def test_brief_grouped_by_story_puts_copies_after_their_original(tmp_path: Path, capsys, monkeypatch) -> None:
    from briefreader.cli.main import main

    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "home"))
    corpus = tmp_path / "corpus"
    files = quoted_wire_files(21)
    files["related.md"] = files.pop("own.md")
    files["unrelated.md"] = ("Metro Daily", "2025-05-02", fictional_story(23, 7))
    write_md_articles(corpus, files, title_suffix=" headline")
    assert main(["mark", str(corpus), "reprint.md", "related.md", "wire.md", "unrelated.md", "--status", "keep"]) == 0
    capsys.readouterr()
    assert main(["export", str(corpus), "--group-by", "story", "--no-links"]) == 0
    brief = capsys.readouterr().out
    story = brief.index("## Story: ")
    rest = brief.index("## Articles in no story")
    assert "(2 independent articles)" in brief[story:rest]
    assert story < brief.index("wire headline") < brief.index("reprint headline") < rest
    assert story < brief.index("related headline") < rest < brief.index("unrelated headline")


def test_quotes_json_counts_independent_articles_and_names_copies(tmp_path: Path, capsys, monkeypatch) -> None:
    from briefreader.cli.main import main

    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "home"))
    corpus = tmp_path / "corpus"
    write_md_articles(corpus, quoted_wire_files(31))
    assert main(["quotes", str(corpus), "--json", "--min-articles", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    (cluster,) = [c for c in data["clusters"] if c["articles"] == 3]
    assert cluster["independent_articles"] == 2
    copy_of = {v["article"]: v["copy_of"] for v in cluster["variants"]}
    assert copy_of == {"wire.md": None, "reprint.md": "wire.md", "own.md": None}


def test_isolated_analysis_runs_in_a_child_and_fills_the_cache(tmp_path: Path, wire: list[str], monkeypatch) -> None:
    from briefreader.storage.copies_cache import copies_cache_dir
    from briefreader.workspace import Workspace

    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "home"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_fictional_corpus(corpus, wire)
    analysis = Workspace(corpus).copies_in_child(isolate_from=1)
    assert analysis is not None and analysis.groups[0].original == "wire.md"
    assert (copies_cache_dir(corpus) / CACHE_FILE).exists()  # written by the child
    again = Workspace(corpus).copies_in_child(isolate_from=1)
    assert again is not None and again.stats["cached"] and again.to_json() == analysis.to_json()
    assert Workspace(corpus).copies_in_child(isolate_from=1, cancelled=lambda: True) is not None  # cached


def test_isolated_analysis_falls_back_when_the_corpus_changed(tmp_path: Path, wire: list[str], monkeypatch) -> None:
    from briefreader.workspace import Workspace

    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "home"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_fictional_corpus(corpus, wire)
    workspace = Workspace(corpus)
    assert workspace.corpus.articles  # loaded before the change
    (corpus / "reprint.md").write_text("---\ntitle: changed\n---\n" + "\n\n".join(fictional_story(77)), "utf-8")
    analysis = workspace.copies_in_child(isolate_from=1)  # the child sees the new file
    assert analysis is not None and "reprint.md" in analysis.groups[0].members  # what this process holds


@pytest.mark.parametrize("key_bits", [0, 3, 20, 39])
def test_runs_sorted_a_range_at_a_time_are_those_of_one_sort(key_bits: int) -> None:
    """The candidate index sorts its packed (key, article) values by ranges of their top bits: the
    runs (keys ascending, each key's articles ascending) must be those of sorting them all at once."""
    from array import array
    from itertools import groupby

    from briefreader.core.copies_text import _DOC_BITS, _runs

    chooser = random.Random(key_bits)
    keys = array("q", ((chooser.getrandbits(key_bits) if key_bits else 0) << _DOC_BITS | chooser.randrange(5000)
                       for _ in range(20000)))
    keys.extend(keys[:500])  # repeated values stay repeated
    mask = (1 << _DOC_BITS) - 1
    one_sort = [(key, [packed & mask for packed in run])
                for key, run in groupby(sorted(keys), key=lambda packed: packed >> _DOC_BITS)]
    assert list(_runs(keys)) == one_sort
    assert list(_runs(array("q"))) == []
