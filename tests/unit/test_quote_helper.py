"""A first-time quote analysis of a big corpus has a helper process extract part of the quotations:
the analysis is the one made without it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from briefreader.core.quote_cache import _quotes_to_rows, body_hash
from briefreader.core.quote_clusters import analyse_quotes, quotes_cache_dir
from briefreader.core.quotes import extract_quotes
from briefreader.storage.corpus import load_corpus
from briefreader.workspace import Workspace
from briefreader.workspace import analyses


class _InProcessHelper:
    """An ExtractionHelper extracting here what the analysis asks for (or nothing: ``fail``)."""

    def __init__(self, articles: Sequence[Any], start: int, *, fail: bool = False) -> None:
        self.start = start
        self.begun = False
        self.asked: list[str] = []
        self._rows = {} if fail else {
            body_hash(a.body): _quotes_to_rows(extract_quotes(a.id, a.body, a.offsets if a.offsets.segments else None))
            for a in articles[start:]}

    def begin(self) -> None:
        self.begun = True

    def rows(self, hashes: Sequence[str]) -> dict[str, Any]:
        assert self.begun
        self.asked.extend(hashes)
        return {h: self._rows[h] for h in hashes if h in self._rows}


def _dump(analysis: Any) -> tuple[Any, ...]:
    return analysis.quotes_total, list(analysis.iter_json_clusters()), analysis.scare_quotes_json()


@pytest.mark.parametrize("fail", [False, True])
def test_rows_of_a_helper_give_the_analysis_made_without_it(sample_corpus: Path, fail: bool) -> None:
    articles = load_corpus(sample_corpus).articles
    alone = analyse_quotes(articles)
    helper = _InProcessHelper(articles, 2, fail=fail)
    helped = analyse_quotes(articles, helper=helper)
    assert _dump(helped) == _dump(alone)
    assert helper.asked and all(h in {body_hash(a.body) for a in articles[2:]} for h in helper.asked)
    assert helped.stats["helper_extracted"] == (0 if fail else len(articles) - 2)
    assert alone.stats["helper_extracted"] == 0


def test_a_cached_analysis_never_starts_the_helper(sample_corpus: Path, tmp_path: Path) -> None:
    articles = load_corpus(sample_corpus).articles
    analyse_quotes(articles, cache_dir=tmp_path)
    helper = _InProcessHelper(articles, 2)
    assert analyse_quotes(articles, cache_dir=tmp_path, helper=helper).stats.get("from_cache")
    assert not helper.begun


def _helper_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What the helper logged when it gave nothing (it failed once in a full run on a loaded machine:
    the reason goes into the assertion message next time)."""
    return [record.getMessage() for record in caplog.records if record.levelname in ("WARNING", "ERROR")]


def test_workspace_analysis_with_a_helper_process(sample_corpus: Path, monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    Workspace(sample_corpus).load()  # the record cache the helper reads
    alone = Workspace(sample_corpus).quote_analysis(cached=False)
    monkeypatch.setattr(analyses, "HELPER_MIN_ARTICLES", 1)
    monkeypatch.setattr(analyses.os, "cpu_count", lambda: 2)
    workspace = Workspace(sample_corpus)
    workspace.load(light=True)
    helped = workspace.quote_analysis()
    assert helped.stats["helper_extracted"] > 0, _helper_warnings(caplog)
    assert _dump(helped) == _dump(alone)
    folder = quotes_cache_dir(sample_corpus)
    assert folder is not None and not [p for p in folder.iterdir() if p.name.startswith(".helper-")]  # removed


def test_without_a_record_cache_there_is_no_helper(sample_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyses, "HELPER_MIN_ARTICLES", 1)
    monkeypatch.setattr(analyses.os, "cpu_count", lambda: 2)
    workspace = Workspace(sample_corpus, use_cache=False)
    analysis = workspace.quote_analysis(cached=False)
    assert analysis.stats["helper_extracted"] == 0 and analysis.quotes_total > 0


def test_a_killed_helpers_folder_is_removed_and_a_young_one_kept(tmp_path: Path) -> None:
    import os
    import time

    old = tmp_path / ".helper-old"
    old.mkdir()
    (old / "quotes.sqlite").write_bytes(b"partial")
    young = tmp_path / ".helper-young"
    young.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tmp_path / ".helper-link").symlink_to(outside, target_is_directory=True)
    past = time.time() - analyses.STALE_HELPER_SECONDS - 60
    for path in (old, old / "quotes.sqlite", outside):
        os.utime(path, (past, past))
    analyses._remove_stale_helper_folders(tmp_path)
    assert not old.exists()
    assert young.is_dir()
    assert outside.is_dir() and (tmp_path / ".helper-link").is_symlink()


def _record_starts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record in order: each helper's first start (with its share's first article) and each copy
    analysis made (not read from its cache)."""
    from briefreader.storage import copies_cache

    events: list[Any] = []
    begin, analyse = analyses._HelperExtraction.begin, copies_cache.analyse_copies

    def recorded_begin(self: analyses._HelperExtraction) -> None:
        if not self._begun:
            events.append(("helper", self.start))
        begin(self)

    def recorded_analyse(*args: Any, **kwargs: Any) -> Any:
        events.append("copies")
        return analyse(*args, **kwargs)

    monkeypatch.setattr(analyses._HelperExtraction, "begin", recorded_begin)
    monkeypatch.setattr(copies_cache, "analyse_copies", recorded_analyse)
    monkeypatch.setattr(analyses, "HELPER_MIN_ARTICLES", 1)
    monkeypatch.setattr(analyses.os, "cpu_count", lambda: 2)
    return events


def test_the_helper_starts_while_the_copies_are_analysed(sample_corpus: Path, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    from briefreader.core.quote_cache import CACHE_FILE

    Workspace(sample_corpus).load()  # the record cache the helper reads
    alone = Workspace(sample_corpus).quote_analysis(cached=False)
    events = _record_starts(monkeypatch)
    workspace = Workspace(sample_corpus)
    total = len(workspace.load(light=True).articles)
    helped = workspace.quote_analysis()
    # before the copy analysis, taking the larger share; started once
    assert events == [("helper", int(total * analyses.HELPER_SHARE_EARLY)), "copies"]
    assert helped.stats["helper_extracted"] > 0, _helper_warnings(caplog)
    assert _dump(helped) == _dump(alone)
    assert workspace.copy_analysis(reuse=True) is workspace.copy_analysis(reuse=True)  # the CLI's second ask

    # copies cached, quotes not: nothing runs before the quote analysis, whose helper takes its usual share
    folder = quotes_cache_dir(sample_corpus)
    assert folder is not None
    (folder / CACHE_FILE).unlink()
    events.clear()
    again = Workspace(sample_corpus)
    again.load(light=True)
    assert _dump(again.quote_analysis()) == _dump(alone)
    assert events == [("helper", int(total * analyses.HELPER_SHARE))]
    assert not [p for p in folder.iterdir() if p.name.startswith(".helper-")]


def test_a_cancelled_copy_analysis_ends_the_early_helper(sample_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefreader.core.copies_model import CopiesCancelled
    from briefreader.storage import copies_cache

    Workspace(sample_corpus).load()
    events = _record_starts(monkeypatch)

    def cancelled_analysis(*args: Any, **kwargs: Any) -> Any:
        events.append("copies")
        raise CopiesCancelled()

    monkeypatch.setattr(copies_cache, "analyse_copies", cancelled_analysis)
    workspace = Workspace(sample_corpus)
    workspace.load(light=True)
    with pytest.raises(CopiesCancelled):
        workspace.quote_analysis()
    assert [event if isinstance(event, str) else event[0] for event in events] == ["helper", "copies"]
    folder = quotes_cache_dir(sample_corpus)
    assert folder is not None and not [p for p in folder.iterdir() if p.name.startswith(".helper-")]  # removed
