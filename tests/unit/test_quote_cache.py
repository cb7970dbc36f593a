"""The quote analysis store (briefreader.core.quote_cache): a cached reopen is the fresh analysis,
read lazily; a damaged store is rebuilt with one warning."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from briefreader.core.model import Article
from briefreader.core.quote_cache import CACHE_FILE, LEGACY_CACHE_FILE, QuoteCacheError, QuoteStore
from briefreader.core.quote_clusters import QuotesCancelled, analyse_quotes
from briefreader.core.quote_records import QuoteAnalysis, QuoteCluster

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """Generated articles with planted renderings of shared statements (altered, partial, translated,
    scare quotes), some dates partial or missing so every part of the ordering is used."""
    from gen_quotes_corpus import generate_articles

    generated, _ = generate_articles(160, seed=3)
    out = []
    for i, article in enumerate(generated):
        date = article.date
        if i % 7 == 3:
            date = None
        elif i % 11 == 5:
            date = "--08-17"
        out.append(dataclasses.replace(article, date=date))
    return out


FILTERS: list[dict[str, Any]] = [{}, {"min_articles": 2}, {"min_articles": 3}, {"altered": True}, {"speaker": "a"},
           {"min_articles": 2, "speaker": "E", "altered": True}]


def snapshot(analysis: QuoteAnalysis, articles: list[Article]) -> str:
    """Everything a caller can read of an analysis, as one JSON text."""
    parts: dict[str, Any] = {f"json {f}": analysis.to_json(**f) for f in FILTERS}
    parts["counts"] = [analysis.cluster_count(), analysis.cluster_count(min_articles=2),
                       analysis.cluster_count(altered=True), analysis.quotes_total]
    parts["quotes"] = {a.id: [q.to_dict() for q in analysis.quotes_of(a.id)] for a in articles}
    parts["lookups"] = [[getattr(analysis.cluster_at(q.article_id, q.start), "id", None),
                         [c.id for c in analysis.clusters_of_quote(q)]]
                        for a in articles[::5] for q in analysis.quotes_of(a.id)]
    parts["filtered"] = [c.id for c in analysis.filtered(min_articles=2)]
    return json.dumps(parts, sort_keys=True)


def test_cached_reopen_is_exactly_the_fresh_analysis(articles: list[Article], tmp_path: Path) -> None:
    fresh = analyse_quotes(articles)  # no cache folder: a private temporary store
    written = analyse_quotes(articles, cache_dir=tmp_path)
    reopened = analyse_quotes(articles, cache_dir=tmp_path)
    assert reopened.stats.get("from_cache") and not written.stats.get("from_cache")
    expected = snapshot(fresh, articles)
    assert snapshot(written, articles) == expected
    assert snapshot(reopened, articles) == expected
    data = fresh.to_json()
    assert data["scare_quotes"] and sum(1 for c in data["clusters"] if c["altered"]) >= 1
    assert sum(1 for c in data["clusters"] if c["articles"] >= 2) >= 10  # the corpus exercises grouping
    # the lazy reading and the in-memory records give one answer: filters and order agree
    in_memory = QuoteAnalysis(reopened.quotes_total, list(reopened.clusters), list(reopened.scare_quotes),
                              dict(reopened.quotes_by_article))
    assert snapshot(in_memory, articles) == expected


def test_reopen_builds_only_the_groups_it_prints(articles: list[Article], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    analyse_quotes(articles, cache_dir=tmp_path)
    built: list[str] = []
    original = QuoteStore._cluster_from

    def counting(self: QuoteStore, cluster_id: str, record: str) -> QuoteCluster:
        built.append(cluster_id)
        return original(self, cluster_id, record)

    monkeypatch.setattr(QuoteStore, "_cluster_from", counting)
    monkeypatch.setattr(QuoteStore, "quotes_by_article", lambda self: pytest.fail("every quotation loaded"))
    reopened = analyse_quotes(articles, cache_dir=tmp_path)
    assert built == []  # opening builds nothing
    shared = list(reopened.iter_json_clusters(min_articles=2))
    assert len(built) == len(shared) == reopened.cluster_count(min_articles=2) < reopened.cluster_count()
    assert [c["articles"] >= 2 for c in shared] == [True] * len(shared)
    altered_first = [c["altered"] for c in shared]
    assert altered_first == sorted(altered_first, reverse=True)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "bad meta"])
def test_damaged_cache_is_rebuilt_with_one_warning(articles: list[Article], tmp_path: Path, damage: str) -> None:
    first = analyse_quotes(articles, cache_dir=tmp_path)
    expected = json.dumps(first.to_json())
    path = tmp_path / CACHE_FILE
    if damage == "garbage":
        path.write_bytes(b"\x00not a database at all" * 100)
    elif damage == "truncated":
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 2])
    else:
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE meta SET value = ? WHERE key = 'stats'", ("[" * 5000 + "]" * 5000,))
        connection.close()
    rebuilt = analyse_quotes(articles, cache_dir=tmp_path)
    assert len(rebuilt.warnings) == 1 and "corrupt" in rebuilt.warnings[0]
    assert not rebuilt.stats.get("from_cache")
    assert json.dumps(rebuilt.to_json()) == expected
    again = analyse_quotes(articles, cache_dir=tmp_path)  # the rebuilt store is sound
    assert again.stats.get("from_cache") and again.warnings == []
    assert json.dumps(again.to_json()) == expected


def test_malformed_record_is_an_error_and_the_store_is_removed(articles: list[Article], tmp_path: Path) -> None:
    analyse_quotes(articles, cache_dir=tmp_path)
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        connection.execute("UPDATE clusters SET record = ? WHERE rank = 1", ("[" * 5000 + "]" * 5000,))
    connection.close()
    reopened = analyse_quotes(articles, cache_dir=tmp_path)  # the pages are sound: read lazily
    with pytest.raises(QuoteCacheError, match="removed"):
        reopened.to_json()
    assert not (tmp_path / CACHE_FILE).exists()
    assert not analyse_quotes(articles, cache_dir=tmp_path).stats.get("from_cache")


def test_changed_corpus_reuses_rows_and_replaces_the_store(articles: list[Article], tmp_path: Path) -> None:
    (tmp_path / LEGACY_CACHE_FILE).write_bytes(b"{}")
    analyse_quotes(articles, cache_dir=tmp_path)
    assert not (tmp_path / LEGACY_CACHE_FILE).exists()
    changed = list(articles)
    changed[4] = dataclasses.replace(changed[4], body=changed[4].body + " “An entirely new remark,” Ola Berg said.")
    again = analyse_quotes(changed, cache_dir=tmp_path)
    assert again.stats["extracted"] == 1 and again.stats["reused"] == len(articles) - 1
    assert json.dumps(again.to_json()) == json.dumps(analyse_quotes(changed).to_json())
    assert sorted(p.name for p in tmp_path.iterdir()) == [CACHE_FILE]  # no temporary file left


def test_cancelled_analysis_leaves_the_old_store(articles: list[Article], tmp_path: Path) -> None:
    analyse_quotes(articles, cache_dir=tmp_path)
    before = (tmp_path / CACHE_FILE).read_bytes()
    changed = [dataclasses.replace(a, body=a.body + " Updated.") for a in articles]
    calls = iter(range(10**6))
    with pytest.raises(QuotesCancelled):
        analyse_quotes(changed, cache_dir=tmp_path, cancelled=lambda: next(calls) > 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [CACHE_FILE]
    assert (tmp_path / CACHE_FILE).read_bytes() == before


def test_open_analysis_survives_its_store_being_replaced(articles: list[Article], tmp_path: Path) -> None:
    analyse_quotes(articles, cache_dir=tmp_path)
    reopened = analyse_quotes(articles, cache_dir=tmp_path)
    assert reopened.stats.get("from_cache")
    # another process analyses a changed corpus: the store is replaced by a rename, never rewritten
    analyse_quotes([dataclasses.replace(a, body=a.body + " Later.") for a in articles], cache_dir=tmp_path)
    assert json.dumps(reopened.to_json()) == json.dumps(analyse_quotes(articles).to_json())


def test_planted_deep_extraction_rows_are_extracted_again(articles: list[Article], tmp_path: Path) -> None:
    analyse_quotes(articles, cache_dir=tmp_path)
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        connection.execute("UPDATE extraction SET rows = ?", ("[" * 100_000 + "]" * 100_000,))
    connection.close()
    changed = list(articles)
    changed[0] = dataclasses.replace(changed[0], body=changed[0].body + " Updated.")
    again = analyse_quotes(changed, cache_dir=tmp_path)
    assert again.stats["reused"] == 0 and again.stats["extracted"] == len(articles)
    assert json.dumps(again.to_json()) == json.dumps(analyse_quotes(changed).to_json())
