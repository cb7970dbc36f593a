"""`briefreader index` and `briefreader search` on the sample corpus: output, JSON contract, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefreader.cli.main import main
from briefreader.storage.index import CorpusIndex


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_then_nothing_to_do(sample_corpus: Path, capsys) -> None:
    code, out, _ = run(capsys, "index", str(sample_corpus))
    assert code == 0
    assert "5 articles indexed: 5 added, 0 updated, 0 deleted, 0 unchanged" in out
    from briefreader.core.paths import derived_dir

    assert str(derived_dir(sample_corpus) / "index") in out
    assert not (sample_corpus / ".briefreader").exists()
    code, out, _ = run(capsys, "index", str(sample_corpus), "--json")
    report = json.loads(out)
    assert (report["added"], report["unchanged"], report["articles"]) == (0, 5, 5)
    assert report["in_corpus"] is False and report["rebuilt_reason"] is None


def test_index_rebuild_and_changed_file(sample_corpus: Path, capsys) -> None:
    run(capsys, "index", str(sample_corpus))
    code, out, _ = run(capsys, "index", str(sample_corpus), "--rebuild", "--json")
    report = json.loads(out)
    assert report["added"] == 5 and report["rebuilt_reason"] == "rebuilt on request"
    article = sample_corpus / "geneva-kallas-post-on-x.txt"
    article.write_text(article.read_text("utf-8") + "\n\nA late paragraph about lighthouses.\n", "utf-8")
    code, out, _ = run(capsys, "index", str(sample_corpus), "--json")
    report = json.loads(out)
    assert report["updated"] >= 1 and report["added"] == 0 and report["deleted"] == 0


def test_search_json_contract(sample_corpus: Path, capsys) -> None:
    code, out, _ = run(capsys, "search", str(sample_corpus), '"security guarantees"', "--json", "--limit", "2")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["query", "total", "hits"]
    assert data["query"] == '"security guarantees"' and data["total"] >= 2 and len(data["hits"]) == 2
    for hit in data["hits"]:
        assert list(hit) == ["id", "path", "score", "title", "outlet", "date", "snippets"]
        assert hit["snippets"]
        body = _body(sample_corpus, hit["id"])
        for snippet in hit["snippets"]:
            assert list(snippet) == ["text", "start", "end"]
            assert body[snippet["start"]:snippet["end"]] == snippet["text"]
        assert any("security guarantee" in s["text"].lower() for s in hit["snippets"])


def _body(root: Path, article_id: str) -> str:
    from briefreader.storage.corpus import load_corpus

    return load_corpus(root).get(article_id).body


def test_search_updates_the_index_first(sample_corpus: Path, capsys) -> None:
    run(capsys, "index", str(sample_corpus))
    (sample_corpus / "new-lighthouse.txt").write_text("Keepers restored the old lighthouse on Friday.\n", "utf-8")
    code, out, _ = run(capsys, "search", str(sample_corpus), "lighthouse", "--json")
    assert [h["id"] for h in json.loads(out)["hits"]] == ["new-lighthouse.txt"]
    code, out, _ = run(capsys, "search", str(sample_corpus), "lighthouse", "--json", "--no-update")
    assert json.loads(out)["total"] == 1


def test_search_text_output_and_sort(sample_corpus: Path, capsys) -> None:
    code, out, _ = run(capsys, "search", str(sample_corpus), "kallas", "--limit", "2")
    assert code == 0
    assert "articles match kallas" in out and " 1. " in out and "(more: --page 2)" in out
    code, out, _ = run(capsys, "search", str(sample_corpus), "putin", "--json", "--sort", "date")
    dates = [h["date"] for h in json.loads(out)["hits"]]
    real = [d for d in dates if d and d[:4].isdigit()]
    assert real == sorted(real, reverse=True)


@pytest.mark.parametrize("query,words", [
    ('"trap', "quote"),
    ("colour:red", "unknown field"),
    ("date:[2025-08-01 to banana]", "date 'banana' not understood"),
])
def test_search_syntax_error_is_one_clear_line(sample_corpus: Path, capsys, query: str, words: str) -> None:
    code, out, err = run(capsys, "search", str(sample_corpus), query, "--json")
    assert code == 2 and out == ""
    assert "error:" in err and words in err and "Traceback" not in err


def test_index_busy_exits_3(sample_corpus: Path, capsys, monkeypatch) -> None:
    from briefreader.storage import index as index_module

    run(capsys, "index", str(sample_corpus))
    monkeypatch.setattr(index_module, "WRITE_WAIT_SECONDS", 0.1)
    holder = CorpusIndex.open(sample_corpus)
    lock = holder._write_lock()
    try:
        code, out, err = run(capsys, "index", str(sample_corpus), "--rebuild")
        assert code == 3 and "another briefreader" in err
        # search still answers, from the index as it is
        (sample_corpus / "new.txt").write_text("Kallas spoke again about lighthouses.\n", "utf-8")
        code, out, err = run(capsys, "search", str(sample_corpus), "kallas", "--json")
        assert code == 0 and "new.txt" not in {h["id"] for h in json.loads(out)["hits"]}
        assert json.loads(out)["total"] >= 2 and "searching it as it is" in err
    finally:
        lock.release()
        holder.close()


def test_damaged_index_is_rebuilt_with_a_note(sample_corpus: Path, capsys) -> None:
    run(capsys, "index", str(sample_corpus))
    from briefreader.core.paths import derived_dir

    seg = next((derived_dir(sample_corpus) / "index").glob("*.seg"))
    seg.write_bytes(seg.read_bytes()[:100])
    code, out, err = run(capsys, "search", str(sample_corpus), "kallas", "--json")
    assert code == 0 and json.loads(out)["total"] >= 2
    assert "damaged" in err and "rebuilt" in err


def test_bad_folder(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "search", str(tmp_path / "nope"), "x")
    assert code == 2 and "no such folder" in err


def _age_files(folder: Path, seconds: int = 3600) -> None:
    """Set every file's mtime in the past (a fresh file is never trusted by its stat alone)."""
    import os
    import time as time_module

    past = time_module.time() - seconds
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def test_search_on_an_unchanged_folder_reads_no_article(sample_corpus: Path, capsys, monkeypatch) -> None:
    import briefreader.storage.corpus as corpus_module
    from briefreader.cli.main import main

    (sample_corpus / "broken.txt").write_bytes(b"\x00\x01binary")
    _age_files(sample_corpus)
    assert main(["index", str(sample_corpus)]) == 0
    capsys.readouterr()
    assert main(["search", str(sample_corpus), "kallas", "--json"]) == 0
    full = json.loads(capsys.readouterr().out)

    def no_reading(*args, **kwargs):
        raise AssertionError("the articles were read")

    monkeypatch.setattr(corpus_module, "load_corpus", no_reading)
    assert main(["search", str(sample_corpus), "kallas", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == full  # same hits, no article read
    assert main(["search", str(sample_corpus), "kallas"]) == 0
    captured = capsys.readouterr()
    assert "broken.txt" in captured.err  # the last load's warnings, as a full load prints them
    assert "match" in captured.out


@pytest.mark.parametrize("change", ["edit", "new file", "manifest", "fresh mtime"])
def test_search_reads_the_articles_again_when_the_folder_changed(sample_corpus: Path, capsys, change: str,
                                                                 monkeypatch) -> None:
    import os
    import time as time_module

    import briefreader.storage.corpus as corpus_module
    from briefreader.cli.main import main

    import briefreader.storage.corpus_stream as stream_module

    reads: list[Path] = []  # every read of the whole folder: a load, or the record cache filled in batches
    real_load = corpus_module.load_corpus
    real_refresh = stream_module.refresh_records

    def counting_load(root, **kwargs):
        reads.append(Path(root))
        return real_load(root, **kwargs)

    def counting_refresh(root, **kwargs):
        reads.append(Path(root))
        return real_refresh(root, **kwargs)

    monkeypatch.setattr(corpus_module, "load_corpus", counting_load)
    monkeypatch.setattr(stream_module, "refresh_records", counting_refresh)

    _age_files(sample_corpus)
    assert main(["index", str(sample_corpus)]) == 0
    target = sample_corpus / "geneva-kallas-post-on-x.txt"
    if change == "edit":
        target.write_text(target.read_text("utf-8") + "\nZanzibarian footnote.\n", "utf-8")
        _age_files(sample_corpus, 1800)
    elif change == "new file":
        (sample_corpus / "new.txt").write_text("Headline\n\nA zanzibarian story about ports.\n", "utf-8")
        _age_files(sample_corpus, 1800)
    elif change == "manifest":
        manifest = sample_corpus / "briefreader.yaml"
        manifest.write_text(manifest.read_text("utf-8") + "\nfiles:\n  geneva-kallas-post-on-x.txt:\n"
                            "    title: Zanzibarian headline\n", "utf-8")
        _age_files(sample_corpus, 1800)
    else:  # touched just now, same content: its stat cannot be trusted yet
        now = time_module.time()
        os.utime(target, (now, now))
    capsys.readouterr()
    reads.clear()
    assert main(["search", str(sample_corpus), "zanzibarian", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = {"edit": 1, "new file": 1, "manifest": 1, "fresh mtime": 0}[change]
    assert data["total"] == expected
    # the folder changed (or cannot be trusted yet): the changed files were read, and the whole
    # corpus only when the rules changed (a manifest edit can change every article)
    assert len(reads) == (1 if change == "manifest" else 0)
