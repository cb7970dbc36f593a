"""The record cache filled in batches (corpus_stream) holds what a full load stores, and its articles
read back in batches are those of a full load, in the same order, with the same warnings."""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import pytest

from briefreader.core.model import Article
from briefreader.storage.corpus import load_corpus
from briefreader.storage.corpus_stream import refresh_records

BENCH = Path(__file__).resolve().parents[2] / "bench"
FOOTER = "Sign up for the Harbour Gazette morning newsletter and never miss a story again today."


def _snapshot(article: Article) -> tuple:
    return (article.id, article.path, article.format, article.body, article.source, article.title, article.outlet,
            article.dateline, article.date, article.author, article.url, article.language, article.source_agency,
            article.order, tuple(article.warnings), article.encoding, article.content_hash,
            tuple(sorted(article.provenance.items())),
            [(r.text, r.reason, r.start, r.end) for r in article.removed], article.offsets.segments)


def _settle() -> None:
    time.sleep(2.1)  # past the racy-mtime window of the record cache


def _reference(root: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple], list[tuple[str, str]]]:
    """A full load of ``root`` with a fresh per-user folder: articles and warnings."""
    saved = os.environ["BRIEFREADER_HOME"]
    monkeypatch.setenv("BRIEFREADER_HOME", str(home))
    try:
        corpus = load_corpus(root)
        return [_snapshot(a) for a in corpus.articles], [(w.path, w.message) for w in corpus.warnings]
    finally:
        monkeypatch.setenv("BRIEFREADER_HOME", saved)


def _streamed(root: Path, files_per_batch: int) -> tuple[list[tuple], list[tuple[str, str]], int]:
    stream = refresh_records(root, files_per_batch=files_per_batch)
    assert stream is not None
    articles = [_snapshot(a) for batch in stream.batches(files_per_batch) for a in batch]
    assert stream.articles == len(articles)
    return articles, [(w.path, w.message) for w in stream.warnings], stream.recleaned_files


def _article(outlet: str, title: str, rng: random.Random, footer: bool) -> str:
    words = [rng.choice(["talks", "border", "minister", "summit", "energy", "prices", "vote", "court", "troops",
                         "harbour", "report", "agency", "market", "ruling", "budget"]) for _ in range(120)]
    body = "\n\n".join(" ".join(words[i: i + 20]).capitalize() + "." for i in range(0, len(words), 20))
    return f'---\ntitle: "{title}"\noutlet: "{outlet}"\n---\n\n{body}\n\n' + (FOOTER + "\n" if footer else "")


def test_batches_equal_a_full_load_as_evidence_moves(tmp_path: Path, monkeypatch) -> None:
    """A footer in 2 of 4 articles is no evidence; two more copies make it one, and the unchanged
    articles holding it are cleaned again (in a later batch than the files that made it evidence);
    each state equals a full load, and the cache it leaves loads as a full load does."""
    rng = random.Random(3)
    root = tmp_path / "corpus"
    root.mkdir()
    for number, footer in enumerate([True, False, True, False, False, False, False]):
        (root / f"a{number}.md").write_text(_article("Harbour Gazette", f"Story {number}", rng, footer))
    (root / "broken.json").write_text("{not json")
    _settle()
    first = _streamed(root, 2)
    assert first[:2] == _reference(root, tmp_path / "ref0", monkeypatch)
    for name in ("a1.md", "a3.md"):  # now 4 of 7 carry the footer: repeated
        (root / name).write_text(_article("Harbour Gazette", f"Changed {name}", rng, True))
    (root / "z.md").write_text(_article("Harbour Gazette", "Late", rng, True))
    (root / "a6.md").unlink()
    _settle()
    second = _streamed(root, 2)
    reference = _reference(root, tmp_path / "ref1", monkeypatch)
    assert second[:2] == reference
    assert second[2] >= 1  # a0 and a2 (cached, unchanged) cleaned again with the new evidence
    assert all(FOOTER not in article[3] for article in second[0])
    loaded = load_corpus(root)  # from the cache the batches left: nothing to read or clean
    assert loaded.from_cache == len(loaded.articles)
    assert [_snapshot(a) for a in loaded.articles] == reference[0]
    assert [(w.path, w.message) for w in loaded.warnings] == reference[1]
    again = _streamed(root, 3)  # unchanged: nothing read, the same articles
    assert again[:2] == reference and again[2] == 0


@pytest.mark.parametrize("pool", [False, True])
def test_generated_corpus_in_batches_equals_a_full_load(tmp_path: Path, monkeypatch, pool: bool) -> None:
    """In this process, and in worker processes a window of tasks ahead of the batches stored."""
    sys.path.insert(0, str(BENCH))
    from gen_corpus import generate

    root = generate(tmp_path / "corpus", 300, seed=5)
    _settle()
    reference = _reference(root, tmp_path / "ref", monkeypatch)
    if pool:
        monkeypatch.setattr("briefreader.storage.corpus.POOL_MIN_FILES", 10)
        monkeypatch.setattr("briefreader.storage.corpus_stream.WINDOW_PER_WORKER", 1)
    streamed = _streamed(root, 37)
    assert streamed[:2] == reference


def test_a_folder_without_a_usable_cache_is_left_to_the_full_load(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("One article about the harbour and the minister.\n")
    monkeypatch.setattr("briefreader.storage.records.RecordCache.usable", property(lambda self: False))
    assert refresh_records(root) is None


def test_first_list_and_index_stream_and_print_what_a_load_gives(tmp_path: Path, monkeypatch, capsys) -> None:
    """`list` without a record cache and a first `index` never load the whole corpus: the list is
    the one `list --no-cache` prints (a load in memory), the index the one a loaded corpus gives."""
    import json

    import briefreader.storage.corpus as corpus_module
    from briefreader.cli.main import main
    from briefreader.storage.index import CorpusIndex

    root = tmp_path / "corpus"
    root.mkdir()
    rng = random.Random(9)
    for number in range(9):
        (root / f"s{number}.md").write_text(_article("Harbour Gazette", f"Story {number}", rng, number % 2 == 0))
    (root / "broken.json").write_text("{not json")
    _settle()
    assert main(["list", str(root), "--jsonl", "--no-cache"]) == 0
    expected = capsys.readouterr()
    loads: list[Path] = []
    real_load = corpus_module.load_corpus
    monkeypatch.setattr(corpus_module, "load_corpus", lambda root, **kw: loads.append(root) or real_load(root, **kw))
    assert main(["list", str(root), "--jsonl"]) == 0
    listed = capsys.readouterr()
    assert listed.out == expected.out and listed.err == expected.err
    assert main(["index", str(root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["added"] == 9 and report["articles"] == 9
    assert loads == []
    with CorpusIndex.open(root) as ix:
        streamed = dict(ix.indexed_fingerprints())
    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "other-home"))
    corpus = real_load(root)
    with CorpusIndex.open(root) as ix:
        ix.update(corpus)
        assert dict(ix.indexed_fingerprints()) == streamed
