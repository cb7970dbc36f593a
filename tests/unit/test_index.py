"""The search index: incremental updates, location, damage detection, locking, killed writers."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from briefreader.storage import index as index_module
from briefreader.storage.index import (
    META_NAME,
    CorpusIndex,
    IndexBusyError,
    IndexCancelled,
    article_fingerprint,
)

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
sys.path.insert(0, str(HELPERS))

from index_fixtures import make_article, make_corpus  # noqa: E402

WRITER = HELPERS / "index_writer.py"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "keep.txt").write_text("a corpus file that must never change\n")
    return folder


def index_dir(root: Path) -> Path:
    """Where the index of ``root`` lives: the per-user cache, never the corpus folder."""
    from briefreader.core.paths import derived_dir

    return derived_dir(root) / "index"


def corpus_digest(root: Path) -> str:
    h = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if ".briefreader" in path.parts or not path.is_file():
            continue
        h.update(str(path).encode() + path.read_bytes())
    return h.hexdigest()


def ids_found(ix: CorpusIndex, query: str) -> set[str]:
    session = ix.searcher()
    found: set[str] = set()
    try:
        page = 1
        while True:
            results = session.search(query, limit=200, page=page, snippets=False)
            found.update(h.id for h in results.hits)
            if page * 200 >= results.total:
                return found
            page += 1
    finally:
        session.close()


def indexed_ok(ix: CorpusIndex, corpus) -> None:
    """The index holds exactly the corpus, and every article is findable by its title word."""
    assert ix.indexed_fingerprints() == {a.id: article_fingerprint(a) for a in corpus.articles}
    assert ix.doc_count() == len(corpus.articles)
    assert ids_found(ix, "report") == {a.id for a in corpus.articles}


# --------------------------------------------------------------------------- updates


def test_first_update_indexes_everything_then_nothing_to_do(root: Path) -> None:
    corpus = make_corpus(root, 30)
    ix = CorpusIndex.open(root)
    assert ix.location == index_dir(root)
    assert not ix.in_corpus and ix.message is None
    assert not (root / ".briefreader").exists()
    assert ix.needs_update(corpus)
    report = ix.update(corpus)
    assert (report.added, report.updated, report.deleted, report.unchanged) == (30, 0, 0, 0)
    assert report.rebuilt_reason is None
    assert not ix.needs_update(corpus)
    again = ix.update(corpus)
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 30)
    indexed_ok(ix, corpus)
    ix.close()


def test_incremental_update_adds_changes_and_deletes_only_what_changed(root: Path) -> None:
    corpus = make_corpus(root, 20)
    with CorpusIndex.open(root) as ix:
        ix.update(corpus)
        session = ix.searcher()
        assert session.search("zanzibar").total == 0
        articles = list(corpus.articles)
        articles[3] = make_article(3, extra="A delegation visited Zanzibar.")
        del articles[5]
        articles.append(make_article(99))
        corpus.articles = articles
        corpus.__post_init__()
        report = ix.update(corpus)
        assert (report.added, report.updated, report.deleted, report.unchanged) == (1, 1, 1, 18)
        # the open session was refreshed by the update
        assert [h.id for h in session.search("zanzibar").hits] == ["doc00003.txt"]
        assert session.search('id:"doc00005.txt"').total == 0
        indexed_ok(ix, corpus)


def test_recleaned_body_with_same_file_hash_is_reindexed(root: Path) -> None:
    corpus = make_corpus(root, 5)
    with CorpusIndex.open(root) as ix:
        ix.update(corpus)
        corpus.articles[0].body += "\n\nAn extra paragraph about lighthouses."
        assert ix.needs_update(corpus)
        assert ix.update(corpus).updated == 1
        assert ids_found(ix, "lighthouses") == {"doc00000.txt"}


def test_rebuild_starts_over(root: Path) -> None:
    corpus = make_corpus(root, 10)
    with CorpusIndex.open(root) as ix:
        ix.update(corpus)
        report = ix.update(corpus, rebuild=True)
        assert report.added == 10 and report.rebuilt_reason == "rebuilt on request"
        indexed_ok(ix, corpus)


def test_cancel_discards_the_update(root: Path) -> None:
    corpus = make_corpus(root, 10)
    with CorpusIndex.open(root) as ix:
        ix.update(corpus)
        bigger = make_corpus(root, 200)
        with pytest.raises(IndexCancelled):
            ix.update(bigger, cancelled=lambda: True)
        assert ix.doc_count() == 10
        assert ix.update(bigger).added == 190


def test_progress_reports_up_to_total(root: Path) -> None:
    calls: list[tuple[int, int]] = []
    with CorpusIndex.open(root) as ix:
        ix.update(make_corpus(root, 150), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (150, 150)
    assert all(t == 150 for _, t in calls) and [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_parallel_first_build_matches_single_process(root: Path, tmp_path: Path) -> None:
    corpus = make_corpus(root, index_module.PARALLEL_MIN_DOCS + 20)
    with CorpusIndex.open(root) as ix:
        report = ix.update(corpus, procs=2)
        assert report.added == len(corpus)
        indexed_ok(ix, corpus)
        # later incremental updates on a multi-segment index work as usual
        corpus.articles[0].body += " Lighthouses."
        assert ix.update(corpus, procs=2).updated == 1
        assert ids_found(ix, "lighthouses") == {"doc00000.txt"}


# --------------------------------------------------------------------------- location


def test_index_lives_in_the_user_cache_even_for_a_read_only_corpus(root: Path, isolated_home: Path,
                                                                   monkeypatch) -> None:
    from briefreader.core import paths

    real_access = os.access
    monkeypatch.setattr(paths.os, "access",
                        lambda p, mode: False if str(p).startswith(str(root)) else real_access(p, mode))
    monkeypatch.setattr(paths, "_writable", lambda folder: not str(folder).startswith(str(root)))
    corpus = make_corpus(root, 5)
    with CorpusIndex.open(root) as ix:
        assert not ix.in_corpus and ix.message is None
        assert str(ix.location).startswith(str(isolated_home / "cache"))
        ix.update(corpus)
        indexed_ok(ix, corpus)
    assert not (root / ".briefreader").exists()
    assert (ix.location.parent.stat().st_mode & 0o777) == 0o700


# --------------------------------------------------------------------------- damage


def built(root: Path, n: int = 25):
    corpus = make_corpus(root, n)
    ix = CorpusIndex.open(root)
    ix.update(corpus)
    ix.close()
    return corpus


def segment_files(root: Path) -> list[Path]:
    return sorted((index_dir(root)).glob("*.seg"))


def reopen_repairs(root: Path, corpus, expected: str) -> None:
    digest = corpus_digest(root)
    ix = CorpusIndex.open(root)
    assert ix.message and expected in ix.message, ix.message
    assert ix.needs_update(corpus)
    report = ix.update(corpus)
    assert report.rebuilt_reason and expected in report.rebuilt_reason
    assert report.added == len(corpus)
    indexed_ok(ix, corpus)
    ix.close()
    assert corpus_digest(root) == digest
    again = CorpusIndex.open(root)
    assert again.message is None
    again.close()


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_truncated_segment_is_detected_and_rebuilt(root: Path, cut: float) -> None:
    corpus = built(root)
    seg = segment_files(root)[0]
    data = seg.read_bytes()
    seg.write_bytes(data[: int(len(data) * cut)])
    reopen_repairs(root, corpus, "damaged")


def test_deleted_segment_is_detected_and_rebuilt(root: Path) -> None:
    corpus = built(root)
    segment_files(root)[0].unlink()
    reopen_repairs(root, corpus, "damaged")


def test_foreign_file_in_index_folder_is_detected(root: Path) -> None:
    corpus = built(root)
    (index_dir(root) / "notes.txt").write_text("hello")
    reopen_repairs(root, corpus, "notes.txt")


def test_garbage_table_of_contents_is_detected(root: Path) -> None:
    corpus = built(root)
    toc = next((index_dir(root)).glob("_MAIN_*.toc"))
    toc.write_bytes(b"\x00garbage" * 10)
    reopen_repairs(root, corpus, "damaged")


def test_missing_description_file_is_detected(root: Path) -> None:
    corpus = built(root)
    (index_dir(root) / META_NAME).unlink()
    reopen_repairs(root, corpus, "damaged")


def test_index_folder_replaced_by_a_file(root: Path) -> None:
    corpus = make_corpus(root, 5)
    index_dir(root).write_text("not a folder")
    reopen_repairs(root, corpus, "damaged")


def test_older_schema_is_rebuilt_with_a_message(root: Path) -> None:
    corpus = built(root)
    meta_path = index_dir(root) / META_NAME
    meta = json.loads(meta_path.read_text())
    meta["schema"] = 0
    meta_path.write_text(json.dumps(meta))
    reopen_repairs(root, corpus, "another version of briefreader")


# --------------------------------------------------------------------------- concurrency (real processes)


def spawn(root: Path, n: int, mode: str, *, seed: int = 0) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2]) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen([sys.executable, str(WRITER), str(root), str(n), mode, str(seed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_for(proc: subprocess.Popen, marker: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith(marker):
            return line
        if not line and proc.poll() is not None:
            raise AssertionError(f"helper exited ({proc.returncode}) before {marker}: {proc.stderr.read()}")
    raise AssertionError(f"helper never printed {marker}")


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()


def test_second_writer_waits_then_reports_busy_and_stale_lock_is_recovered(root: Path) -> None:
    corpus = built(root, 10)
    holder = spawn(root, 10, "hold")
    try:
        wait_for(holder, "HOLDING")
        ix = CorpusIndex.open(root)
        # readers are not blocked by the writer
        assert ids_found(ix, "report") == {a.id for a in corpus.articles}
        started = time.monotonic()
        with pytest.raises(IndexBusyError) as caught:
            ix.update(make_corpus(root, 12), wait=0.5)
        assert time.monotonic() - started >= 0.45
        assert "another briefreader" in str(caught.value) and f"pid {holder.pid}" in str(caught.value)
        assert ix.doc_count() == 10
    finally:
        kill(holder)
    # the killed holder's lock is gone with it
    report = ix.update(make_corpus(root, 12), wait=0.5)
    assert report.added == 2
    ix.close()


def test_in_process_second_writer_is_refused(root: Path) -> None:
    with CorpusIndex.open(root) as ix, CorpusIndex.open(root) as other:
        lock = ix._write_lock()
        try:
            with pytest.raises(IndexBusyError):
                other.update(make_corpus(root, 3), wait=0.2)
        finally:
            lock.release()
        assert other.update(make_corpus(root, 3)).added == 3


@pytest.mark.parametrize("mode,marker", [("before-toc", "COMMITTING"), ("before-meta", "COMMITTED")])
def test_writer_killed_mid_commit_leaves_a_usable_index(root: Path, mode: str, marker: str) -> None:
    old = built(root, 10)
    digest = corpus_digest(root)
    proc = spawn(root, 60, mode, seed=1)
    try:
        wait_for(proc, marker)
        # while the writer is stuck mid-commit, readers still see the last committed index
        with CorpusIndex.open(root) as reader_ix:
            assert ids_found(reader_ix, "report") >= {a.id for a in old.articles[:1]}
    finally:
        kill(proc)
    ix = CorpusIndex.open(root)
    target = make_corpus(root, 60, seed=1)
    ix.update(target)
    indexed_ok(ix, target)
    ix.close()
    assert corpus_digest(root) == digest
    leftovers = [p.name for p in (index_dir(root)).iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8])
def test_writer_killed_at_any_moment_leaves_a_usable_index(root: Path, delay: float) -> None:
    built(root, 5)
    proc = spawn(root, 400, "slow", seed=2)
    try:
        wait_for(proc, "STARTED")
        time.sleep(delay)
    finally:
        kill(proc)
    ix = CorpusIndex.open(root)
    target = make_corpus(root, 400, seed=2)
    ix.update(target)
    indexed_ok(ix, target)
    ix.close()


@pytest.mark.parametrize("damage", ["garbage", "stale", "missing"])
def test_fingerprint_sidecar_is_only_a_shortcut(root: Path, damage: str) -> None:
    corpus = built(root, 12)
    sidecar = index_dir(root) / index_module.FINGERPRINTS_NAME
    assert sidecar.exists()
    if damage == "garbage":
        sidecar.write_bytes(b"not JSON")
    elif damage == "stale":
        saved = json.loads(sidecar.read_bytes())
        saved["generation"] -= 1
        saved["map"] = {"doc00000.txt": "wrong"}
        sidecar.write_text(json.dumps(saved))
    else:
        sidecar.unlink()
    with CorpusIndex.open(root) as ix:
        assert ix.message is None
        assert not ix.needs_update(corpus)
        indexed_ok(ix, corpus)
        corpus.articles[1].body += " Lighthouses."
        assert ix.update(corpus).updated == 1
    with CorpusIndex.open(root) as ix:
        assert ix._read_fingerprint_file(ix._ix.latest_generation()) == {a.id: article_fingerprint(a)
                                                                         for a in corpus.articles}


def test_index_that_fails_while_writing_is_started_over(root: Path, monkeypatch) -> None:
    corpus = built(root, 8)
    original = CorpusIndex._write
    calls = []

    def failing_once(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("segment unreadable")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(CorpusIndex, "_write", failing_once)
    corpus.articles[0].body += " Lighthouses."
    with CorpusIndex.open(root) as ix:
        report = ix.update(corpus)
        assert report.rebuilt_reason and "RuntimeError: segment unreadable" in report.rebuilt_reason
        assert report.added == 8
        indexed_ok(ix, corpus)


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            state = (entry / "stat").read_text().split(") ")[-1][:1]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc (Linux)")
def test_killed_parallel_build_leaves_no_orphan_writers(root: Path) -> None:
    n = index_module.PARALLEL_MIN_DOCS + 300
    proc = spawn(root, n, "parallel-slow", seed=3)
    try:
        wait_for(proc, "STARTED")
        deadline = time.monotonic() + 30
        while len(_processes_mentioning(str(root))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # until the sub-writers are forked
        assert len(_processes_mentioning(str(root))) >= 2
    finally:
        kill(proc)
    deadline = time.monotonic() + 10
    while _processes_mentioning(str(root)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(str(root)) == []
    ix = CorpusIndex.open(root)
    target = make_corpus(root, n, seed=3)
    ix.update(target)
    indexed_ok(ix, target)
    ix.close()


def test_exception_in_a_callback_is_the_callers_not_damage(root: Path) -> None:
    corpus = built(root, 5)
    bigger = make_corpus(root, 40)

    def boom(done: int, total: int) -> None:
        raise KeyError("from the progress callback")

    with CorpusIndex.open(root) as ix:
        with pytest.raises(KeyError):
            ix.update(bigger, progress=boom)
        assert ix.doc_count() == 5 and ix.indexed_fingerprints() == {a.id: article_fingerprint(a)
                                                                     for a in corpus.articles}
        report = ix.update(bigger)
        assert report.added == 35 and report.rebuilt_reason is None


def test_cancelled_update_keeps_the_rebuild_reason_for_the_next(root: Path) -> None:
    corpus = built(root, 5)
    (index_dir(root) / "stray.bin").write_bytes(b"x")
    with CorpusIndex.open(root) as ix:
        assert "stray.bin" in ix.message
        with pytest.raises(IndexCancelled):
            ix.update(corpus, cancelled=lambda: True)
        report = ix.update(corpus)
        assert report.rebuilt_reason and "stray.bin" in report.rebuilt_reason and report.added == 5


# --------------------------------------------------------------------------- updates a batch at a time


class _Batches:
    """Articles in batches of ``size``, counting how many batches were read."""

    def __init__(self, articles: list, size: int) -> None:
        self.items = articles
        self.size = size
        self.read = 0

    @property
    def articles(self) -> int:
        return len(self.items)

    def batches(self):
        for start in range(0, len(self.items), self.size):
            self.read += 1
            yield self.items[start: start + self.size]


def test_update_in_batches_equals_update_of_the_corpus(root: Path, tmp_path: Path, monkeypatch) -> None:
    """Added, changed, unchanged and gone articles, read a batch at a time: the same index and the
    same report as an update with the whole corpus."""
    corpus = make_corpus(root, 30)
    with CorpusIndex.open(root) as ix:
        first = ix.update_stream(_Batches(corpus.articles, 7))
        assert (first.added, first.updated, first.deleted, first.unchanged) == (30, 0, 0, 0)
        indexed_ok(ix, corpus)
        nothing = ix.update_stream(_Batches(corpus.articles, 7))
        assert not nothing.changed and nothing.unchanged == 30
        articles = list(corpus.articles)
        articles[3] = make_article(3, extra="A delegation visited Zanzibar.")
        del articles[5]
        articles.append(make_article(99))
        corpus.articles = articles
        corpus.__post_init__()
        report = ix.update_stream(_Batches(corpus.articles, 4))
        assert (report.added, report.updated, report.deleted, report.unchanged) == (1, 1, 1, 28)
        indexed_ok(ix, corpus)
        assert ids_found(ix, "zanzibar") == {articles[3].id}
        streamed = dict(ix.indexed_fingerprints())
    monkeypatch.setenv("BRIEFREADER_HOME", str(tmp_path / "other-home"))
    with CorpusIndex.open(root) as ix:
        ix.update(corpus)
        assert dict(ix.indexed_fingerprints()) == streamed


def test_parallel_build_in_batches_forks_its_writers_before_reading(root: Path, monkeypatch) -> None:
    """The sub-writers of a parallel first build exist before the articles are read, except the few
    read ahead to choose the pair vocabulary (at most PAIR_SAMPLE, one batch over): they share nothing
    the caller reads later; and the index equals a one-process build."""
    from briefreader.storage import index_lock
    from briefreader.storage.index_pairs import PAIR_SAMPLE

    corpus = make_corpus(root, index_module.PARALLEL_MIN_DOCS + 20)
    stream = _Batches(corpus.articles, 100)
    forked_at: list[int] = []
    original = index_lock.parallel_writer

    def watching(ix, procs, **kwargs):  # type: ignore[no-untyped-def]
        writer = original(ix, procs, **kwargs)
        forked_at.append(stream.read)
        assert len(writer.tasks) == procs and all(task.is_alive() for task in writer.tasks)
        return writer

    monkeypatch.setattr(index_module, "parallel_writer", watching)
    with CorpusIndex.open(root) as ix:
        report = ix.update_stream(stream, procs=2)
        assert report.added == len(corpus)
        assert len(forked_at) == 1 and forked_at[0] <= min(len(corpus), PAIR_SAMPLE) + 100
        indexed_ok(ix, corpus)


def _lengths_index(folder: Path, writer_for: Any) -> Any:
    """A small Whoosh index written by ``writer_for(ix)``: a scored field (some documents without
    it), an unscored one, an id; long and short texts so the length bytes differ."""
    from whoosh import fields, index

    schema = fields.Schema(id=fields.ID(stored=True, unique=True), body=fields.TEXT(),
                           tags=fields.KEYWORD(scorable=False))
    folder.mkdir()
    ix = index.create_in(str(folder), schema, indexname="T")
    writer = writer_for(ix)
    for number in range(40):
        words = " ".join(f"word{k % 7}" for k in range(number * number % 300))
        document = {"id": f"d{number}", "tags": f"t{number % 3} t{number % 5}"}
        if number % 4:
            document["body"] = words
        writer.add_document(**document)
    writer.commit()
    return ix


def test_segment_lengths_answer_as_whoosh_reader(tmp_path: Path) -> None:
    """SegmentLengths (the build's fast field lengths) gives Whoosh's own answer for every document
    of a scored field, an unscored one and one the segment lacks, and past the last document; an
    index written through segment_writer has the same postings and length statistics."""
    from whoosh.writing import SegmentWriter

    from briefreader.storage.index_lock import SegmentLengths, segment_writer

    plain = _lengths_index(tmp_path / "plain", lambda ix: ix.writer())
    fast = _lengths_index(tmp_path / "fast", segment_writer)
    writer = segment_writer(fast)
    assert isinstance(writer, SegmentWriter)
    writer.cancel()
    segment_reader = plain.reader()  # one segment: Whoosh's SegmentReader
    reader = segment_reader._perdoc  # the per-document reader of the segment (a compound file)
    lengths = SegmentLengths(reader)
    answers = [(reader.doc_field_length(docnum, name), lengths.doc_field_length(docnum, name))
               for name in ("body", "tags", "id", "absent") for docnum in range(reader.doc_count() + 1)]
    assert [mine for _, mine in answers] == [theirs for theirs, _ in answers]
    assert {theirs for theirs, _ in answers} >= {None, 0, 1, 4}  # empty, missing and real lengths
    assert lengths.doc_field_length(3, "tags", default=-1) == -1
    assert lengths.doc_count() == 40  # the rest goes to Whoosh's reader

    def summary(ix: Any) -> list[object]:
        with ix.searcher() as searcher:
            ixreader = searcher.reader()
            rows: list[object] = []
            for name in ("body", "tags"):
                for text in ixreader.lexicon(name):
                    info = ixreader.term_info(name, text)
                    postings = ixreader.postings(name, text)
                    rows.append((name, text, info.min_length(), info.max_length(), info.weight(),
                                 list(postings.all_ids()), [ixreader.doc_field_length(d, name)
                                                           for d in range(ixreader.doc_count_all())]))
            return rows

    assert summary(fast) == summary(plain)
    segment_reader.close()
    plain.close()
    fast.close()
