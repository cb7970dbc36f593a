"""`briefreader list` from the record cache's listing rows: the same output as a full load."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path, PurePosixPath

import pytest

from briefreader.cli.main import main
from briefreader.storage import listing as listing_module
from briefreader.core.filemeta import _split
from briefreader.storage.listing import listing_from_cache
from briefreader.core.paths import derived_dir
from briefreader.storage.records import CACHE_FILE, RecordCache

BODY = ("Ministers met in the capital on Tuesday to discuss the new trade agreement, officials said.\n\n"
        "\"We will not accept these terms,\" the minister said after a meeting that ran late into the night.\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Several shapes of article: names that carry outlet and date, front matter, a JSON Lines file
    of several records (one broken: a warning), a file in a dated folder."""
    root = tmp_path / "corpus"
    for number in range(3):
        _write(root / "wire" / f"nyt_2016-03-1{number}_story-{number}.txt",
               f"Headline number {number}\n\n{BODY}Extra words {'more ' * number}here.\n")
    _write(root / "front.md", f"---\ntitle: Front matter title\noutlet: The Daily\ndate: 2020-01-02\n---\n{BODY}")
    records = [json.dumps({"title": f"Record {n}", "text": BODY * (n + 1), "outlet": "Feed"}) for n in range(3)]
    _write(root / "feed.jsonl", "\n".join(records[:2] + ["{not json"] + records[2:]) + "\n")
    _write(root / "2019" / "05" / "06" / "dated.txt", BODY)
    time.sleep(2.1)  # past the record cache's racy-mtime window, so the cache trusts these files
    return root


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _outputs(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, tuple[int, str, str]]:
    return {form: _run(["list", str(root), *([form] if form else [])], capsys) for form in ("", "--json", "--jsonl")}


def _without_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing_module, "listing_from_cache", lambda *args, **kwargs: None)


def test_list_from_listing_rows_equals_a_full_load(corpus: Path, capsys, monkeypatch) -> None:
    assert listing_from_cache(corpus) is None  # nothing cached yet: the caller loads
    first = _outputs(corpus, capsys)  # a full load fills the cache
    listing = listing_from_cache(corpus)
    assert listing is not None and listing.remade == 0
    assert len(listing.summaries) == 3 + 1 + 3 + 1
    assert any("feed.jsonl" in str(w) for w in listing.warnings)

    def no_records(blob: bytes):
        raise AssertionError("the fast path read a file's records")

    with monkeypatch.context() as patch:  # the fast path reads no record (no body)
        patch.setattr(RecordCache, "_unpack", staticmethod(no_records))
        fast = _outputs(corpus, capsys)
    with monkeypatch.context() as patch:
        _without_fast_path(patch)
        slow = _outputs(corpus, capsys)
    assert fast == slow == first
    rows = json.loads(fast["--json"][1])
    by_id = {row["id"]: row for row in rows}
    assert by_id["wire/nyt_2016-03-11_story-1.txt"]["date"] == "2016-03-11"  # from the file name
    assert by_id["wire/nyt_2016-03-11_story-1.txt"]["outlet"] == "nyt"
    assert by_id["2019/05/06/dated.txt"]["date"] == "2019-05-06"  # from the folders
    assert [row["words"] for row in rows] == [len(a.body.split()) for a in _articles(corpus)]


def _articles(root: Path):
    from briefreader.storage.corpus import load_corpus

    return load_corpus(root).articles


def _listing_rows(root: Path) -> sqlite3.Connection:
    return sqlite3.connect(derived_dir(root) / CACHE_FILE, isolation_level=None)


def test_a_cache_without_listing_rows_is_listed_from_its_records(corpus: Path, capsys, monkeypatch) -> None:
    expected = _outputs(corpus, capsys)
    db = _listing_rows(corpus)
    db.execute("DELETE FROM listing WHERE path='feed.jsonl'")  # a row of a cache from before listing rows
    db.execute("UPDATE listing SET rows=x'00ff' WHERE path='front.md'")  # a damaged one
    db.close()
    listing = listing_from_cache(corpus)
    assert listing is not None and listing.remade == 2  # made from the records (words from the bodies)
    assert _outputs(corpus, capsys) == expected
    listing = listing_from_cache(corpus)
    assert listing is not None and listing.remade == 0  # ... and saved
    db = _listing_rows(corpus)
    db.execute("DROP TABLE listing")  # a whole cache from before the listing table
    db.close()
    assert _outputs(corpus, capsys) == expected
    listing = listing_from_cache(corpus)
    assert listing is not None and listing.remade == 0


def test_a_changed_folder_is_loaded_again(corpus: Path, capsys) -> None:
    _outputs(corpus, capsys)
    _write(corpus / "wire" / "nyt_2016-03-19_late.txt", f"Late story\n\n{BODY}")
    (corpus / "front.md").write_text(f"---\ntitle: Changed title\n---\n{BODY}", encoding="utf-8")
    assert listing_from_cache(corpus) is None  # changed files: a load reads them
    code, out, _ = _run(["list", str(corpus), "--json"], capsys)
    rows = {row["id"]: row for row in json.loads(out)}
    assert code == 0 and rows["front.md"]["title"] == "Changed title"
    assert "wire/nyt_2016-03-19_late.txt" in rows
    (corpus / "feed.jsonl").unlink()
    assert listing_from_cache(corpus) is None  # a file gone
    _, out, _ = _run(["list", str(corpus), "--json"], capsys)
    assert not any(row["id"].startswith("feed.jsonl") for row in json.loads(out))


@pytest.mark.parametrize("rel", ["a.txt", "x/y/z.md", ".hidden", "a.", "a.b.c", "f/.env", "2016/03/15/s.txt",
                                 "a//b.txt", "./a.txt", "d/", "d/.", "n o/p q.txt", "..x"])
def test_split_matches_pure_posix_path(rel: str) -> None:
    path = PurePosixPath(rel)
    assert _split(rel) == (str(path.parent), path.stem)


def test_name_metadata_is_applied_as_a_load_applies_it(corpus: Path, capsys, monkeypatch) -> None:
    _write(corpus / "solo" / "bbc_2017-01-01_first.txt", f"First\n\n{BODY}")
    time.sleep(2.1)
    _outputs(corpus, capsys)  # one file: no shape, so no outlet from its name; cached so
    _write(corpus / "solo" / "bbc_2017-01-02_second.txt", f"Second\n\n{BODY}")
    time.sleep(2.1)
    _outputs(corpus, capsys)  # two files share the shape now: both get the outlet "bbc"
    fast = _outputs(corpus, capsys)
    assert listing_from_cache(corpus) is not None
    with monkeypatch.context() as patch:
        _without_fast_path(patch)
        slow = _outputs(corpus, capsys)
    assert fast == slow
    rows = {row["id"]: row for row in json.loads(fast["--json"][1])}
    assert rows["solo/bbc_2017-01-01_first.txt"]["outlet"] == "bbc"


def test_a_damaged_cache_is_reported_once_and_the_corpus_loaded(corpus: Path, capsys, monkeypatch) -> None:
    expected = _outputs(corpus, capsys)
    (derived_dir(corpus) / CACHE_FILE).write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (derived_dir(corpus) / f"{CACHE_FILE}{suffix}").unlink(missing_ok=True)
    code, out, err = _run(["list", str(corpus), "--json"], capsys)
    assert code == 0 and out == expected["--json"][1]
    assert err.count("record cache was damaged") == 1
    assert listing_from_cache(corpus) is not None  # rebuilt by that load
