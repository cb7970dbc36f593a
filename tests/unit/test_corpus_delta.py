"""Updating the index after a few files changed reads only those files, with the result of a full rebuild."""

from __future__ import annotations

import os
import random
import shutil
import sys
import time
from pathlib import Path

import pytest

from briefreader.storage.corpus import load_corpus
from briefreader.storage.index import CorpusIndex, article_fingerprint
from briefreader.storage.index_sync import sync_index

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _settle() -> None:
    time.sleep(2.1)  # past the racy-mtime window of the record cache and the index's sources


def _sync(root: Path):
    with CorpusIndex.open(root) as ix:
        result = sync_index(ix, root, lambda: load_corpus(root))
        return result, dict(ix.indexed_fingerprints())


def _reference(root: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """What a full load and a fresh index give for ``root`` (in a separate per-user folder)."""
    saved = os.environ["BRIEFREADER_HOME"]
    monkeypatch.setenv("BRIEFREADER_HOME", str(home))
    try:
        corpus = load_corpus(root)
        with CorpusIndex.open(root) as ix:
            ix.update(corpus)
            return dict(ix.indexed_fingerprints()), {(w.path, w.message) for w in corpus.warnings}
    finally:
        monkeypatch.setenv("BRIEFREADER_HOME", saved)


def _cached_fingerprints(root: Path) -> dict[str, str]:
    return {a.id: article_fingerprint(a) for a in load_corpus(root).articles}


def _article(outlet: str, title: str, words: list[str], footer: list[str]) -> str:
    body = "\n\n".join(" ".join(words[i: i + 20]).capitalize() + "." for i in range(0, len(words), 20))
    return (f'---\ntitle: "{title}"\noutlet: "{outlet}"\n---\n\n{body}\n\n' + "\n".join(footer) + "\n")


def _words(rng: random.Random, n: int) -> list[str]:
    vocab = ["talks", "border", "minister", "summit", "energy", "prices", "vote", "court", "troops", "harbour",
             "report", "agency", "market", "ruling", "budget", "winter", "police", "coalition", "aid", "drone"]
    return [rng.choice(vocab) for _ in range(n)]


def test_new_file_makes_a_line_repeated_and_old_articles_are_cleaned_again(tmp_path: Path, monkeypatch) -> None:
    """A footer in 2 of 3 articles is not yet evidence; a fourth copy makes it one: the three
    unchanged articles are re-cleaned, exactly as a full load would."""
    rng = random.Random(1)
    root = tmp_path / "corpus"
    root.mkdir()
    footer = ["Sign up for the Harbour Gazette morning newsletter and never miss a story again today."]
    (root / "a.md").write_text(_article("Harbour Gazette", "One", _words(rng, 120), footer))
    (root / "b.md").write_text(_article("Harbour Gazette", "Two", _words(rng, 120), footer))
    (root / "c.md").write_text(_article("Harbour Gazette", "Three", _words(rng, 120), []))
    _settle()
    first, _ = _sync(root)
    assert first.how == "full"
    (root / "d.md").write_text(_article("Harbour Gazette", "Four", _words(rng, 120), footer))
    (root / "c.md").write_text(_article("Harbour Gazette", "Three", _words(rng, 120), footer))
    _settle()
    result, indexed = _sync(root)
    assert result.how == "delta"
    reference, _ = _reference(root, tmp_path / "ref", monkeypatch)
    assert indexed == reference
    assert _cached_fingerprints(root) == reference
    bodies = {a.id: a.body for a in load_corpus(root).articles}
    assert all("newsletter" not in body for body in bodies.values())  # the evidence took the footer out


def test_generated_corpus_touched_removed_and_added_files_equal_a_full_rebuild(tmp_path: Path, monkeypatch) -> None:
    sys.path.insert(0, str(BENCH))
    from gen_corpus import generate

    root = generate(tmp_path / "corpus", 240, seed=11)
    _settle()
    first, _ = _sync(root)
    assert first.how == "full"
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".json", ".jsonl"))
    rng = random.Random(5)
    for round_number in range(3):
        for path in rng.sample(files, 6):
            with open(path, "ab") as handle:
                handle.write(b"\nUpdated.\n")
        if round_number == 1:
            gone = next(p for p in files if p.suffix == ".txt")
            gone.unlink()
            files.remove(gone)
        if round_number == 2:
            shutil.copy(files[0], root / "batch000" / "copy_of_first.txt")
        _settle()
        result, indexed = _sync(root)
        assert result.how == "delta"
        assert result.report is not None and result.report.changed
        reference, reference_warnings = _reference(root, tmp_path / f"ref{round_number}", monkeypatch)
        assert indexed == reference
        assert {(w.path, w.message) for w in result.warnings} == reference_warnings
        assert _cached_fingerprints(root) == reference  # the record cache is left as a full load leaves it
    again, _ = _sync(root)
    assert again.how == "unchanged"


def test_changed_rules_fall_back_to_a_full_load(tmp_path: Path) -> None:
    rng = random.Random(2)
    root = tmp_path / "corpus"
    root.mkdir()
    for name in "abc":
        (root / f"{name}.md").write_text(_article("Daily Courier", name, _words(rng, 80), []))
    _settle()
    _sync(root)
    (root / "briefreader.yaml").write_text("boilerplate:\n  lines:\n    - '^Advertisement$'\n")
    (root / "a.md").write_text(_article("Daily Courier", "a", _words(rng, 80), []))
    _settle()
    result, _ = _sync(root)
    assert result.how == "full"


def test_fast_ranking_of_plain_words_gives_the_exhaustive_results(tmp_path: Path) -> None:
    """Words ranked with block-quality skipping, lengths from memory and the total counted from
    document frequencies: the same hits, scores and totals as scoring every match, also after
    deletions (an update leaves deleted documents in the posting lists)."""
    sys.path.insert(0, str(BENCH))
    from gen_corpus import generate
    from whoosh import collectors

    from briefreader.storage import index_search

    root = generate(tmp_path / "corpus", 400, seed=3)
    corpus = load_corpus(root)
    with CorpusIndex.open(root) as ix:
        ix.update(corpus)
        for article in corpus.articles[::7]:
            article.body += " Zygomorphic."
        ix.update(corpus)  # deletions in the first segment
        session = ix.searcher()
        reader = session._searcher.reader()
        assert reader.has_deletions() or len(list(reader.leaf_readers())) > 1
        words = ["minister", "the", "zygomorphic", "talks", "summit", "nonexistentword", "market", "title:talks"]
        for word in words:
            for page in (1, 2):
                fast = session.search(word, limit=20, page=page)
                q = session._query(word)
                exhaustive = collectors.TopCollector(20 * page, usequality=False)
                session._searcher.search_with_collector(q, exhaustive)
                results = exhaustive.results()
                assert fast.total == len(results) == len(list(session._searcher.docs_for_query(q)))
                expected = [(reader.stored_fields(docnum)["id"], round(score, 9))
                            for score, docnum in list(results.top_n)[(page - 1) * 20: page * 20]]
                assert [(h.id, round(h.score, 9)) for h in fast.hits] == expected
            fast_path = index_search.fast_total(session._searcher, session._query(word)) is not None
            assert fast_path == (word != "the")  # a stop word parses to no query at all
        session.close()


def test_cached_articles_stream_in_growing_batches_in_corpus_order(tmp_path: Path, monkeypatch) -> None:
    from briefreader.storage import corpus as corpus_module

    root = tmp_path / "corpus"
    root.mkdir()
    for number in range(10):
        (root / f"a{number:02d}.txt").write_text(f"Headline {number}\n\nBody of article {number} about talks.\n")
    _settle()
    first = load_corpus(root)
    monkeypatch.setattr(corpus_module, "CACHED_BATCH_FILES", 3)
    batches: list[list[str]] = []
    again = load_corpus(root, on_articles=lambda batch: batches.append([a.id for a in batch]))
    assert again.from_cache == 10
    assert [len(batch) for batch in batches] == [3, 6, 1]  # each batch twice the last
    assert [i for batch in batches for i in batch] == [a.id for a in first.articles]


def test_batched_cache_lookup_equals_one_by_one(tmp_path: Path, monkeypatch) -> None:
    from briefreader.storage import records
    from briefreader.storage.corpus import _discover_with_stats
    from briefreader.core.rules import rules_digest

    root = tmp_path / "corpus"
    root.mkdir()
    for number in range(7):
        (root / f"a{number}.txt").write_text(f"Headline {number}\n\nBody {number} about the summit talks.\n")
    _settle()
    load_corpus(root)
    (root / "a3.txt").write_text("Changed since it was cached.\n")
    found, _ = _discover_with_stats(root)
    monkeypatch.setattr(records, "LOOKUP_BATCH", 3)
    from briefreader.core.manifest import load_manifest

    manifest, _ = load_manifest(root)
    cache = records.RecordCache.open(root, rules_digest=rules_digest(manifest.boilerplate),
                                     manifest_digest=manifest.digest)
    try:
        assert cache.has_evidence()
        one_by_one = {rel: cache.lookup(rel, st) for rel, st in found}
        batched = dict(cache.lookup_many(found))
    finally:
        cache.close()
    assert list(batched) == [rel for rel, _ in found]
    assert one_by_one["a3.txt"] is None and batched["a3.txt"] is None
    for rel, hit in one_by_one.items():
        if hit is not None:
            other = batched[rel]
            assert other is not None
            assert [a.id for a, _, _ in hit.entries] == [a.id for a, _, _ in other.entries]
            assert [a.body for a, _, _ in hit.entries] == [a.body for a, _, _ in other.entries]
    assert sum(hit is not None for hit in batched.values()) == 6
