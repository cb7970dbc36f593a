"""`briefreader mark / highlight / status / export` on a copy of the sample corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefreader.cli.main import main
from briefreader.storage.triage_file import DB_NAME

ANADOLU = "anadolu-kallas-trap-territory.txt"
GENEVA = "geneva-kallas-post-on-x.txt"
PASSAGE = "trap that Russia wants us to walk into"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_mark_status_tags_note_and_undo(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "mark", sample_corpus, ANADOLU, GENEVA, "--status", "keep", "--tag", "EU,sanctions")
    assert [a["status"] for a in data["articles"]] == ["keep", "keep"]
    assert data["articles"][0]["tags"] == ["EU", "sanctions"]
    # a path works too
    data = run_json(capsys, "mark", sample_corpus, sample_corpus / GENEVA, "--note", "check the source")
    assert data["articles"][0]["note"] == "check the source"
    data = run_json(capsys, "mark", sample_corpus, "--where", "status:new", "--status", "discard")
    assert len(data["articles"]) == 3
    code, out, _ = run(capsys, "mark", sample_corpus, "--undo")
    assert code == 0 and "undid" in out and "status discard 3 articles" in out
    status = run_json(capsys, "status", sample_corpus)
    assert status["status"] == {"new": 3, "read": 0, "keep": 2, "discard": 0, "follow-up": 0}
    assert status["tags"] == {"EU": 2, "sanctions": 2}
    assert status["notes"] == 1 and status["in_corpus"] is True
    assert Path(status["state_file"]) == sample_corpus / ".briefreader" / DB_NAME


def test_mark_errors_are_clear(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "mark", sample_corpus, "anadolu-kallas.txt", "--status", "keep")
    assert code == 2 and "no article 'anadolu-kallas.txt'" in err and ANADOLU in err
    code, _, err = run(capsys, "mark", sample_corpus, ANADOLU, "--status", "kep")
    assert code == 2 and "unknown status 'kep'" in err
    code, _, err = run(capsys, "mark", sample_corpus, ANADOLU)
    assert code == 2 and "nothing to do" in err
    code, _, err = run(capsys, "mark", sample_corpus, "--where", "tag:nothing", "--status", "keep")
    assert code == 2 and "no article matches" in err
    code, out, _ = run(capsys, "mark", sample_corpus, "--undo")
    assert code == 0 and "nothing to undo" in out
    code, _, err = run(capsys, "mark", sample_corpus / "missing", ANADOLU, "--status", "keep")
    assert code == 2 and "no such folder" in err


def test_highlight_by_exact_passage(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    h = run_json(capsys, "highlight", sample_corpus, ANADOLU, "--text", PASSAGE, "--comment", "framing", "-t", "trap")
    assert h["exact"] == PASSAGE and h["comment"] == "framing" and h["tags"] == ["trap"]
    body_file = (sample_corpus / ANADOLU).read_text(encoding="utf-8")
    assert body_file[h["source_start"] : h["source_end"]] == PASSAGE
    # Not in the article: clear message with the closest text.
    code, _, err = run(capsys, "highlight", sample_corpus, ANADOLU, "--text", "Kallas sad Russia is the one")
    assert code == 2 and "not in" in err and "Kallas said Russia is the one" in err
    # Ambiguous: says how often and where; --occurrence picks one.
    code, _, err = run(capsys, "highlight", sample_corpus, ANADOLU, "--text", "Kallas said")
    assert code == 2 and "occurs" in err and "--occurrence" in err
    h2 = run_json(capsys, "highlight", sample_corpus, ANADOLU, "--text", "Kallas said", "--occurrence", "2")
    assert h2["exact"] == "Kallas said" and h2["start"] > h["start"]
    code, _, err = run(capsys, "highlight", sample_corpus, ANADOLU, "--text", "Kallas said", "--occurrence", "9")
    assert code == 2
    listed = run_json(capsys, "highlight", sample_corpus, "--list")
    assert [x["id"] for x in listed] == [h["id"], h2["id"]]
    deleted = run_json(capsys, "highlight", sample_corpus, "--delete", str(h2["id"]))
    assert deleted["deleted"]["id"] == h2["id"]
    assert [x["id"] for x in run_json(capsys, "highlight", sample_corpus, ANADOLU, "--list")] == [h["id"]]
    edited = run_json(capsys, "highlight", sample_corpus, "--edit", str(h["id"]), "--comment", "", "-t", "a", "-t", "b")
    assert edited["comment"] == "" and edited["tags"] == ["a", "b"]
    by_span = run_json(capsys, "highlight", sample_corpus, ANADOLU, "--span", f"{h['start']}:{h['start'] + 4}")
    assert by_span["exact"] == PASSAGE[:4]
    code, _, err = run(capsys, "highlight", sample_corpus, ANADOLU, "--span", "5:999999")
    assert code == 2 and "outside the text" in err
    code, _, err = run(capsys, "highlight", sample_corpus, "--delete", "99")
    assert code == 2 and "no highlight #99" in err


def test_export_markdown_and_json(sample_corpus: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run_json(capsys, "mark", sample_corpus, ANADOLU, "--status", "keep", "--tag", "framing")
    run_json(capsys, "mark", sample_corpus, GENEVA, "--status", "discard")
    run_json(capsys, "highlight", sample_corpus, ANADOLU, "--text", PASSAGE, "--comment", "key *claim*")
    out_md = tmp_path / "out" / "brief.md"
    code, _, err = run(capsys, "export", sample_corpus, "-o", out_md)
    assert code == 2 and "does not exist" in err and "--mkdir" in err and not out_md.parent.exists()
    code, _, err = run(capsys, "export", sample_corpus, "-o", out_md, "--mkdir", "--for", "archive")
    assert code == 0 and "1 article, 1 highlight, 0 quotes compared" in err
    md = out_md.read_text(encoding="utf-8")
    assert f"> {PASSAGE}" in md and "key \\*claim\\*" in md and GENEVA not in md
    assert f"](../sample_corpus/{ANADOLU}#char=" in md  # citations link back to the file
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md)
    assert sum(1 for t in tokens if t.type == "blockquote_open") == 1
    # Same state, same bytes.
    code, again, _ = run(capsys, "export", sample_corpus, "-o", "-", "--no-links")
    assert code == 0 and again == run(capsys, "export", sample_corpus, "--no-links")[1]
    assert "](" not in again
    # JSON chosen from the extension; filters pick discarded articles when asked.
    out_json = tmp_path / "brief.json"
    assert run(capsys, "export", sample_corpus, "-o", out_json, "--status", "discard")[0] == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert [a["id"] for a in data["articles"]] == [GENEVA] and data["selection"] == "status:discard"
    code, stdout, _ = run(capsys, "export", sample_corpus, "--tag", "framing", "--group-by", "tag", "--format", "json")
    data = json.loads(stdout)
    assert [g["heading"] for g in data["groups"]] == ["Tag: framing"]
    code, _, err = run(capsys, "export", sample_corpus, "--where", "status:nope")
    assert code == 2 and "unknown status" in err
    code, _, err = run(capsys, "export", sample_corpus, "-o", tmp_path)
    assert code == 2 and "is a folder" in err


def test_damaged_state_is_refused_by_every_command(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = sample_corpus / ".briefreader" / DB_NAME
    db.parent.mkdir(exist_ok=True)
    db.write_bytes(b"not sqlite" * 20)
    for argv in (("status",), ("mark", ANADOLU, "--status", "keep"), ("export",), ("highlight", "--list")):
        code, _, err = run(capsys, argv[0], sample_corpus, *argv[1:])
        assert code == 1 and "damaged" in err and "left untouched" in err
    assert db.read_bytes() == b"not sqlite" * 20


def test_read_only_corpus_is_reported(sample_corpus: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> None:
    from briefreader.storage import triage_store

    fallback = isolated_home / "data" / "corpora" / "x" / DB_NAME
    monkeypatch.setattr(triage_store, "store_path", lambda root: (fallback, False))
    code, _, err = run(capsys, "mark", sample_corpus, ANADOLU, "--status", "keep")
    assert code == 0 and "read-only" in err and str(fallback) in err
    status = run_json(capsys, "status", sample_corpus)
    assert status["in_corpus"] is False and status["status"]["keep"] == 1


def test_choose_quote_for_the_brief(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chosen = run_json(capsys, "highlight", sample_corpus, "--quote", "drag out negotiations", "--comment", "lead item")
    assert chosen["note"] == "lead item" and len(chosen["variants"]) >= 2
    assert all(v["text"] and v["article"] for v in chosen["variants"])
    code, out, _ = run(capsys, "highlight", sample_corpus, "--list")
    assert code == 0 and f"quote {chosen['cluster_key']}" in out
    code, md, _ = run(capsys, "export", sample_corpus, "--group-by", "quote", "--for", "archive")
    assert code == 0 and "| # | Outlet | Date | Title | Rendering |" in md and "lead item" in md
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md)
    from briefreader.core.export import unique_variants

    assert sum(1 for t in tokens if t.type == "tr_open") == 1 + len(unique_variants(chosen["variants"]))
    code, _, err = run(capsys, "highlight", sample_corpus, "--quote", "Russia")  # in many quotations
    assert code == 2 and "quotations match" in err and "give the id" in err
    code, _, err = run(capsys, "highlight", sample_corpus, "--quote", "words nobody said")
    assert code == 2 and "no quotation matches" in err
    assert run(capsys, "highlight", sample_corpus, "--unquote", chosen["cluster_key"])[0] == 0
    code, _, err = run(capsys, "highlight", sample_corpus, "--unquote", chosen["cluster_key"])
    assert code == 2 and "was not chosen" in err
    # Undo brings the choice back.
    assert run(capsys, "mark", sample_corpus, "--undo")[0] == 0
    assert run_json(capsys, "status", sample_corpus)["chosen_quotes"] == 1


def test_core_modules_never_import_the_ui() -> None:
    import subprocess
    import sys

    code = (
        "import sys, briefreader.core.triage_model, briefreader.core.query, briefreader.core.anchors, "
        "briefreader.core.export;"
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_brackets_in_messages_survive(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "mark", sample_corpus, "[bold]x[/y].txt", "--status", "keep")
    assert code == 2 and "[bold]x[/y].txt" in err


def test_where_combines_triage_filters_with_full_text_search(sample_corpus: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    bodies = {p.name: p.read_text(encoding="utf-8") for p in sample_corpus.glob("*.txt")}
    with_anchorage = sorted(n for n, b in bodies.items() if "Anchorage" in b)
    assert 0 < len(with_anchorage) < len(bodies)
    data = run_json(capsys, "mark", sample_corpus, "--where", "Anchorage", "--tag", "alaska")
    assert sorted(a["article_id"] for a in data["articles"]) == with_anchorage
    run_json(capsys, "mark", sample_corpus, with_anchorage[0], "--status", "keep")
    data = run_json(capsys, "status", sample_corpus, "--where", "status:new tag:alaska Anchorage")
    assert sorted(i["article_id"] for i in data["items"]) == with_anchorage[1:]
    code, out, _ = run(capsys, "export", sample_corpus, "--where", "-status:keep Anchorage", "--format", "json")
    exported = json.loads(out)
    assert sorted(a["id"] for a in exported["articles"]) == with_anchorage[1:]
    assert exported["selection"] == "-status:keep Anchorage"
    code, _, err = run(capsys, "mark", sample_corpus, "--where", "title:(", "--tag", "x")
    assert code == 2 and "(" in err


def test_highlights_follow_edits_of_the_article_file(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample_corpus / ANADOLU
    h = run_json(capsys, "highlight", sample_corpus, ANADOLU, "--text", PASSAGE)
    other = run_json(capsys, "highlight", sample_corpus, ANADOLU, "--text",
                     "Kallas said Russia is the one that started the war")
    text = path.read_text(encoding="utf-8")
    # A paragraph added at the top moves every highlight; a deleted sentence orphans one.
    edited = text.replace("Kallas said Russia is the one that started the war and has not made any concessions yet.",
                          "")
    first_break = edited.index("\n\n")
    note = "\n\nEditor's note: this story was updated with more reactions."
    edited = edited[:first_break] + note + edited[first_break:]
    path.write_text(edited, encoding="utf-8")
    listed = {x["id"]: x for x in run_json(capsys, "highlight", sample_corpus, "--list")}
    moved = listed[h["id"]]
    assert moved["anchor_state"] == "moved" and moved["exact"] == PASSAGE and moved["start"] > h["start"]
    assert edited[moved["source_start"] : moved["source_end"]] == PASSAGE
    assert listed[other["id"]]["anchor_state"] == "orphan"
    status = run_json(capsys, "status", sample_corpus)
    assert status["orphan_highlights"] == 1 and status["orphans"][0]["exact"].startswith("Kallas said Russia")
    code, md, _ = run(capsys, "export", sample_corpus, "--no-links", "--for", "archive")
    assert "## Highlights whose text is gone" in md and "Kallas said Russia is the one" in md
    # Putting the sentence back re-attaches the orphan.
    path.write_text(text, encoding="utf-8")
    listed = {x["id"]: x for x in run_json(capsys, "highlight", sample_corpus, "--list")}
    assert listed[other["id"]]["anchor_state"] in ("exact", "moved")
    assert run_json(capsys, "status", sample_corpus)["orphan_highlights"] == 0


def test_saved_searches_from_the_cli(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "mark", sample_corpus, ANADOLU, GENEVA, "--status", "keep")
    saved = run_json(capsys, "status", sample_corpus, "--save-search", "kept", "--where", "status:keep")
    assert saved == {"saved_searches": {"kept": "status:keep"}}
    data = run_json(capsys, "mark", sample_corpus, "--where", "@kept", "--tag", "brief")
    assert sorted(a["article_id"] for a in data["articles"]) == sorted([ANADOLU, GENEVA])
    code, out, _ = run(capsys, "export", sample_corpus, "--where", "@kept -tag:nothing", "--format", "json")
    assert code == 0 and len(json.loads(out)["articles"]) == 2
    code, out, _ = run(capsys, "status", sample_corpus)
    assert "saved search @kept = status:keep" in out
    code, _, err = run(capsys, "export", sample_corpus, "--where", "@missing")
    assert code == 2 and "no saved search @missing" in err and "@kept" in err
    code, _, err = run(capsys, "status", sample_corpus, "--save-search", "x", "--where", "status:kep")
    assert code == 2 and "unknown status" in err
    assert run_json(capsys, "status", sample_corpus, "--forget-search", "kept") == {"saved_searches": {}}
