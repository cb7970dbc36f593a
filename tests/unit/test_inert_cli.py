"""Every CLI command on a hostile corpus: no control character, bidi control or Rich markup from the
corpus (or from a triage file that travelled with it) reaches the terminal; --json stays lossless."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from briefreader.cli.main import main

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "helpers"))

from hostile_corpus import (  # noqa: E402
    FRONT_OUTLET,
    FRONT_TITLE,
    HOSTILE_TITLE,
    HOSTILE_TXT,
    MARKUP,
    MARKUP_CLOSE,
    MARKUP_LINK,
    PAYLOAD,
    QUOTE,
    RECORD_TITLE,
    forbidden_in,
    make_hostile_corpus,
)


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "1000")  # wide enough that no markup text is wrapped in tables
    return make_hostile_corpus(tmp_path / "hostile")


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert not forbidden_in(out), (argv, forbidden_in(out))
    assert not forbidden_in(err), (argv, forbidden_in(err))
    return code, out, err


def _flat(text: str) -> str:
    return " ".join(text.split())


def _strings(obj: object) -> set[str]:
    """Every string value in decoded JSON."""
    if isinstance(obj, str):
        return {obj}
    if isinstance(obj, dict):
        return set().union(*(_strings(v) for v in obj.values())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(_strings(v) for v in obj)) if obj else set()
    return set()


def test_read_commands_show_everything_inert_and_markup_literally(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", hostile)
    assert code == 0
    assert MARKUP in out and "␛]0;pwned␇" in out and "<U+202E>" in out  # shown, not acted on
    assert "hostile-␛]0;pwned␇<U+202E>-news.txt" in out
    assert "broken-␛[2J[red]<U+202E>.json" in err and "warning:" in err  # the warning names it inertly
    assert "bad\\xff␛]0;x␇-bytes.txt: name is not valid UTF-8" in err
    code, out, _ = run(capsys, "clean", hostile)
    assert code == 0 and MARKUP in out and "␛]52;c;cHduZWQ=␇" in out
    code, out, _ = run(capsys, "clean", hostile / HOSTILE_TXT)
    assert code == 0 and len(out.rstrip("\n")) >= len(HOSTILE_TITLE)
    code, out, err = run(capsys, "index", hostile)
    assert code == 0
    code, out, _ = run(capsys, "search", hostile, "sanctions")
    assert code == 0 and MARKUP_LINK in out and "␛[2J" in out
    code, out, _ = run(capsys, "search", hostile, "title:matter")
    assert code == 0 and MARKUP_CLOSE in _flat(out)
    code, out, _ = run(capsys, "quotes", hostile)
    assert code == 0 and QUOTE in _flat(out)
    code, out, _ = run(capsys, "quotes", hostile, "--min-articles", "1")  # every group, whatever joins
    assert code == 0 and "[link=file:/" in out and "␛[2J[red]" in out  # outlet and quoted words, literal


def test_json_output_is_lossless(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "list", hostile, "--json")
    titles = {row["title"] for row in json.loads(out)}
    assert {HOSTILE_TITLE, FRONT_TITLE, RECORD_TITLE} <= titles
    assert FRONT_OUTLET in {row["outlet"] for row in json.loads(out)}
    _, out, _ = run(capsys, "clean", hostile, "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert any(PAYLOAD in r["body"] for r in records)
    _, out, _ = run(capsys, "search", hostile, "sanctions", "--json")
    assert HOSTILE_TITLE in {hit["title"] for hit in json.loads(out)["hits"]}
    _, out, _ = run(capsys, "quotes", hostile, "--json")
    assert any(PAYLOAD in value for value in _strings(json.loads(out)))


def test_triage_commands_with_hostile_tags_notes_and_comments(hostile: Path, capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    evil = "x\x1b]0;pwned\x07\u202e" + MARKUP_CLOSE
    code, out, err = run(capsys, "mark", hostile, HOSTILE_TXT, "front.md", "--status", "keep", "--tag", evil)
    assert code == 0, err
    assert "␛]0;pwned␇" in out
    code, out, err = run(capsys, "mark", hostile, HOSTILE_TXT, "--note", evil + "\nsecond line")
    assert code == 0, err
    code, out, err = run(capsys, "highlight", hostile, HOSTILE_TXT, "--text", "sanctions would stay",
                         "--comment", evil)
    assert code == 0, err
    assert MARKUP_CLOSE in out and len(out.splitlines()) == 1  # the comment cannot fake a second line
    code, out, err = run(capsys, "highlight", hostile, "--list")
    assert code == 0 and "␛]0;pwned␇" in out
    code, out, err = run(capsys, "highlight", hostile, "--quote", "walk into the trap", "--comment", evil)
    assert code == 0, err
    code, out, _ = run(capsys, "status", hostile, "--journal")
    assert code == 0 and "<U+202E>" in out
    code, out, _ = run(capsys, "status", hostile, "--where", "status:keep")
    assert code == 0 and "hostile-␛]0;pwned␇<U+202E>-news.txt" in out
    code, out, _ = run(capsys, "mark", hostile, "--undo")
    assert code == 0
    code, out, _ = run(capsys, "export", hostile)
    assert code == 0 and "␛" in out  # the Markdown brief shows the payload, inert
    code, out, _ = run(capsys, "export", hostile, "--format", "json")
    assert code == 0 and HOSTILE_TITLE in _strings(json.loads(out))
    target = tmp_path / "brief.md"
    code, out, err = run(capsys, "export", hostile, "-o", target)
    assert code == 0 and "wrote" in err
    assert not forbidden_in(target.read_text(encoding="utf-8"))
    target = tmp_path / "brief.json"
    code, out, err = run(capsys, "export", hostile, "-o", target)
    assert code == 0 and not forbidden_in(target.read_text(encoding="utf-8"))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert HOSTILE_TITLE in _strings(data) and evil in _strings(data)  # lossless


def test_errors_naming_corpus_text_are_inert(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "highlight", hostile, HOSTILE_TXT, "--text", "words that are not there at all")
    assert code == 2 and "hostile-␛]0;pwned␇<U+202E>-news.txt" in err
    code, _, err = run(capsys, "mark", hostile, "hostile-\x1b]0;pwned\x07", "--status", "keep")
    assert code == 2 and "error:" in err
    empty = hostile.parent / "empty-\x1b]0;x\x07[red]"
    empty.mkdir()
    code, _, err = run(capsys, "list", empty)
    assert code == 2 and "[red]" in err
