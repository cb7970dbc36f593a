"""`briefreader quotes DIR [--json] [--min-articles N] [--speaker NAME]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefreader.cli.main import main


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["quotes", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_contract_on_the_sample_corpus(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, str(sample_corpus))
    assert data["quotes_total"] >= 40
    assert data["clusters"] and data["scare_quotes"]
    bodies = {}
    for cluster in data["clusters"]:
        assert {"id", "speaker", "canonical", "variants"} <= set(cluster)
        for v in cluster["variants"]:
            assert {"article", "outlet", "date", "text", "start", "end", "speaker"} <= set(v)
            assert v["text"] and v["text"][0] not in "\"“«‘'"  # the span between the marks, without them
            bodies.setdefault(v["article"], None)
    for s in data["scare_quotes"]:
        assert set(s) >= {"article", "text", "start", "end"}


def test_min_articles_and_speaker_filters(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    every = run_json(capsys, str(sample_corpus), "--all")
    shared = run_json(capsys, str(sample_corpus), "--min-articles", "2")
    assert 0 < len(shared["clusters"]) < len(every["clusters"])
    assert run_json(capsys, str(sample_corpus)) == shared  # --json leaves single-article quotations out
    assert all(len({v["article"] for v in c["variants"]}) >= 2 for c in shared["clusters"])
    # Trump is quoted by one article only in the sample: --all, since --json leaves those out by default
    trump = run_json(capsys, str(sample_corpus), "--speaker", "trump", "--all")
    assert run_json(capsys, str(sample_corpus), "--speaker", "trump")["clusters"] == []

    def by_trump(cluster: dict) -> bool:
        speakers = [cluster["speaker"] or ""] + [v["speaker"] or "" for v in cluster["variants"]]
        return any("Trump" in s for s in speakers)

    assert trump["clusters"] and all(by_trump(c) for c in trump["clusters"])
    assert shared["quotes_total"] == every["quotes_total"]  # filters never change the total


def test_second_run_uses_the_cache(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = run_json(capsys, str(sample_corpus))
    second = run_json(capsys, str(sample_corpus))
    assert first == second
    from briefreader.core.paths import derived_dir

    assert any(derived_dir(sample_corpus).rglob("quotes-cache.sqlite"))
    assert not (sample_corpus / ".briefreader").exists()


def test_terminal_view(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quotes", str(sample_corpus), "--min-articles", "2"]) == 0
    out = capsys.readouterr().out
    assert "Kaja Kallas" in out and "canonical" in out


def test_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quotes", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["quotes", str(tmp_path), "--json"]) == 2  # an empty folder: no articles
    (tmp_path / "a.txt").write_text("Plain text.", encoding="utf-8")
    assert main(["quotes", str(tmp_path), "--min-articles", "0"]) == 2


def test_corpus_without_quotes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("Nothing is quoted in this short report about the weather.\n", encoding="utf-8")
    data = run_json(capsys, str(tmp_path))
    assert data == {"quotes_total": 0, "clusters": [], "scare_quotes": []}
