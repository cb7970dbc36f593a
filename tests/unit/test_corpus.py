"""Corpus loading: discovery, formats, encodings, manifest, bad input, record cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefreader.storage.corpus import CorpusError, discover, load_corpus, load_paths
from briefreader.core.decode import BinaryFileError, decode_bytes

ARTICLE = (
    "Ministers met in the capital on Tuesday to discuss the new trade agreement.\n\n"
    "\"We will not accept these terms,\" the minister said after the meeting.\n"
)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def messages(corpus) -> str:
    return "\n".join(str(w) for w in corpus.warnings)


# ----------------------------------------------------------------------------- the sample corpus


def test_sample_corpus_loads_every_seed(sample_corpus: Path) -> None:
    corpus = load_corpus(sample_corpus)
    assert len(corpus) == 5
    assert not corpus.warnings
    ids = [a.id for a in corpus.articles]
    assert ids == sorted(ids)
    assert all(a.language == "en" for a in corpus.articles)  # from the manifest defaults
    assert [a.order for a in corpus.articles] == list(range(5))
    for article in corpus.articles:
        assert article.content_hash and article.body and article.source


def test_article_ids_are_relative_paths(tmp_path: Path) -> None:
    write(tmp_path / "wire" / "2025" / "one.txt", ARTICLE)
    write(tmp_path / "two.md", ARTICLE)
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["two.md", "wire/2025/one.txt"]
    assert corpus.get("wire/2025/one.txt").path == "wire/2025/one.txt"


def test_hidden_and_state_folders_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / ".git" / "b.txt", ARTICLE)
    write(tmp_path / ".briefreader" / "c.txt", ARTICLE)
    write(tmp_path / ".hidden.txt", ARTICLE)
    write(tmp_path / "notes.docx", b"PK\x03\x04")
    files, _ = discover(tmp_path)
    assert files == ["a.txt"]


# ----------------------------------------------------------------------------- formats


def test_markdown_front_matter_wins_and_offsets_stay_file_offsets(tmp_path: Path) -> None:
    text = "---\ntitle: Trade talks stall\noutlet: The Ledger\ndate: 2025-03-04\nauthor: Jane Roe\n---\n" + ARTICLE
    write(tmp_path / "a.md", text)
    (article,) = load_corpus(tmp_path).articles
    assert (article.title, article.outlet, article.date, article.author) == (
        "Trade talks stall", "The Ledger", "2025-03-04", "Jane Roe")
    assert "title:" not in article.body
    assert article.removed[0].reason.startswith("front matter")
    i = article.body.index("We will not")
    src = article.offsets.to_source(i)
    assert article.source[src:src + 11] == "We will not"
    assert text[src:src + 11] == "We will not"


def test_broken_front_matter_warns_and_keeps_the_text(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "---\ntitle: [unclosed\n---\n" + ARTICLE)
    corpus = load_corpus(tmp_path)
    assert len(corpus) == 1
    assert "broken front matter" in messages(corpus)
    assert "We will not accept" in corpus.articles[0].body


def test_json_array_and_jsonl_records(tmp_path: Path) -> None:
    records = [
        {"title": "One", "text": ARTICLE, "outlet": "Wire A", "date": "2025-01-02T10:00:00Z", "url": "https://x/1"},
        {"title": "Two", "body": ARTICLE, "source": "Wire B", "authors": ["A. One", "B. Two"]},
        {"title": "No text"},
    ]
    write(tmp_path / "feed.json", json.dumps(records))
    write(tmp_path / "feed.jsonl", json.dumps(records[0]) + "\n{broken\n\n" + json.dumps(records[1]) + "\n")
    corpus = load_corpus(tmp_path)
    ids = [a.id for a in corpus.articles]
    assert ids == ["feed.json#1", "feed.json#2", "feed.jsonl#1", "feed.jsonl#4"]
    first = corpus.get("feed.json#1")
    assert (first.title, first.outlet, first.date, first.url) == ("One", "Wire A", "2025-01-02", "https://x/1")
    assert corpus.get("feed.json#2").author == "A. One, B. Two"
    text = messages(corpus)
    assert "record 3: no text field" in text
    assert "line 2: broken JSON" in text
    # A record's hash is its content's: the same object in two files hashes alike, another differs.
    assert corpus.get("feed.json#1").content_hash == corpus.get("feed.jsonl#1").content_hash
    assert corpus.get("feed.json#1").content_hash != corpus.get("feed.json#2").content_hash


def test_broken_json_file_is_skipped_with_a_reason(tmp_path: Path) -> None:
    write(tmp_path / "bad.json", '{"title": "x", "text": ')
    write(tmp_path / "ok.txt", ARTICLE)
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["ok.txt"]
    assert "bad.json: broken JSON at line 1" in messages(corpus)


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Talks stall | The Ledger</title>"
        "<meta property='og:site_name' content='The Ledger'>"
        "<meta property='article:published_time' content='2025-08-17T10:00:00Z'>"
        "<meta name='author' content='Jane Roe'></head><body>"
        "<nav><ul><li>Home</li><li>World</li><li>Sport</li></ul></nav><article><h1>Talks stall</h1>"
        "<p>Ministers met in the capital on Tuesday to discuss the new trade agreement between the two blocs.</p>"
        "<p>\"We will not accept these terms,\" the minister said after the meeting ended late at night.</p>"
        "</article><footer>Copyright 2025 The Ledger</footer></body></html>"
    )
    write(tmp_path / "page.html", html)
    (article,) = load_corpus(tmp_path).articles
    assert article.format == "html"
    assert article.outlet == "The Ledger" and article.date == "2025-08-17" and article.author == "Jane Roe"
    assert "We will not accept these terms" in article.body
    assert "<p>" not in article.body and "Sport" not in article.body


# ----------------------------------------------------------------------------- encodings


TEXT = "The café’s owner said “we will not back down” – naïve résumé, 5 €.\n"


@pytest.mark.parametrize(
    "encoding,data",
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8-sig", TEXT.encode("utf-8-sig")),
        ("utf-16", TEXT.encode("utf-16")),  # with BOM
        ("utf-16-le", b"\xff\xfe" + TEXT.encode("utf-16-le")),
        ("utf-16-be", b"\xfe\xff" + TEXT.encode("utf-16-be")),
        ("cp1252", TEXT.encode("cp1252")),
    ],
)
def test_encodings_decode_to_the_same_text(encoding: str, data: bytes) -> None:
    assert decode_bytes(data).text == TEXT


def test_latin1_text_decodes() -> None:
    text = "Le ministre a déclaré que l'été serait chaud à Genève, où se déroulent les négociations.\n"
    assert decode_bytes(text.encode("latin-1")).text == text


def test_cyrillic_legacy_code_page_decodes() -> None:
    text = "Министр иностранных дел заявил, что переговоры продолжатся на следующей неделе в Женеве.\n"
    assert decode_bytes(text.encode("cp1251")).text == text


def test_undecodable_bytes_never_crash(tmp_path: Path) -> None:
    data = ("Ministers met in the capital. " * 20).encode() + b"\xff\xfe\x80 broken \xc3 tail\n"
    write(tmp_path / "a.txt", data)
    corpus = load_corpus(tmp_path)
    assert len(corpus) == 1
    assert "Ministers met" in corpus.articles[0].body


def test_binary_content_is_refused() -> None:
    with pytest.raises(BinaryFileError):
        decode_bytes(b"%PDF-1.7\n...")
    with pytest.raises(BinaryFileError):
        decode_bytes(bytes(range(256)) * 4)


def test_encoding_recorded_and_crlf_files_load(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARTICLE.replace("\n", "\r\n").encode("utf-16"))
    (article,) = load_corpus(tmp_path).articles
    assert article.encoding.startswith("utf-16")
    assert "\r" not in article.body


# ----------------------------------------------------------------------------- bad input


def test_bad_files_never_stop_the_load(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", ARTICLE)
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blank.md", b"  \n\n ")
    write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(100))
    write(tmp_path / "nul.txt", b"abc\x00\x01\x02" * 100)
    (tmp_path / "link.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "again").symlink_to(tmp_path)
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good.txt"]
    text = messages(corpus)
    for expected in ("empty.txt: empty file", "blank.md: empty file", "image.txt: binary file (PNG",
                     "nul.txt: binary file", "link.txt: skipped: broken symlink", "symlink loop"):
        assert expected in text, expected


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", ARTICLE)
    secret = write(tmp_path / "secret.txt", ARTICLE)
    secret.chmod(0)
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good.txt"]
    assert "secret.txt: permission denied" in messages(corpus)


def test_unreadable_file_is_skipped_even_for_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefreader.storage.corpus_read as corpus_read  # read_file looks _read_bytes up there

    write(tmp_path / "good.txt", ARTICLE)
    write(tmp_path / "secret.txt", ARTICLE)
    real = corpus_read._read_bytes

    def deny(path: Path, limit: int):
        if path.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real(path, limit)

    monkeypatch.setattr(corpus_read, "_read_bytes", deny)
    corpus = load_corpus(tmp_path, use_cache=False)
    assert [a.id for a in corpus.articles] == ["good.txt"]
    assert "secret.txt: permission denied" in messages(corpus)


def test_huge_file_is_read_partially(tmp_path: Path) -> None:
    paragraph = ("Ministers met in the capital on Tuesday to discuss the agreement. " * 10 + "\n\n").encode()
    with open(tmp_path / "huge.txt", "wb") as fh:
        for _ in range(50 * 1024 * 1024 // len(paragraph) + 1):
            fh.write(paragraph)
    corpus = load_corpus(tmp_path)
    assert len(corpus) == 1
    assert "read partially" in messages(corpus)
    assert 1_000_000 < len(corpus.articles[0].source) <= 2 * 1024 * 1024


def test_missing_folder_and_file_instead_of_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such folder"):
        load_corpus(tmp_path / "nope")
    write(tmp_path / "a.txt", ARTICLE)
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(tmp_path / "a.txt")


def test_load_paths_accepts_files_and_folders(tmp_path: Path) -> None:
    write(tmp_path / "one.txt", ARTICLE)
    write(tmp_path / "dir" / "two.txt", ARTICLE)
    corpus = load_paths([tmp_path / "one.txt", tmp_path / "dir"])
    assert [a.id for a in corpus.articles] == ["one.txt", "two.txt"]
    write(tmp_path / "x.pdf", b"%PDF")
    with pytest.raises(CorpusError, match="not an article file"):
        load_paths([tmp_path / "x.pdf"])


# ----------------------------------------------------------------------------- manifest


def test_manifest_metadata_wins_with_globs_and_exact_entries(tmp_path: Path) -> None:
    write(tmp_path / "wire" / "a.txt", ARTICLE)
    write(tmp_path / "wire" / "b.md", "---\noutlet: Front Matter Outlet\n---\n" + ARTICLE)
    write(tmp_path / "briefreader.yaml", (
        "defaults:\n  language: en\n"
        "files:\n"
        "  'wire/*':\n    outlet: Global Wire\n"
        "  wire/a.txt:\n    url: https://example.org/a\n    date: 2025-08-17\n    author: Jane Roe\n"
    ))
    corpus = load_corpus(tmp_path)
    a, b = corpus.articles
    assert (a.outlet, a.url, a.date, a.author, a.language) == (
        "Global Wire", "https://example.org/a", "2025-08-17", "Jane Roe", "en")
    assert b.outlet == "Global Wire"  # the manifest wins over front matter
    assert not corpus.warnings


def test_broken_manifest_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "briefreader.yaml", "files:\n  a.txt: {outlet: [unclosed\n")
    corpus = load_corpus(tmp_path)
    assert len(corpus) == 1
    assert "briefreader.yaml: broken YAML at line" in messages(corpus)


def test_manifest_unknown_fields_and_bad_dates_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "briefreader.yaml", "files:\n  a.txt:\n    outlte: Typo\n    date: someday\n")
    corpus = load_corpus(tmp_path)
    assert "unknown field 'outlte'" in messages(corpus)
    assert corpus.articles[0].date is None
    assert any("someday" in w for w in corpus.articles[0].warnings)


# ----------------------------------------------------------------------------- record cache


def test_reopening_uses_the_cache_and_follows_changes(tmp_path: Path) -> None:
    for i in range(3):
        write(tmp_path / f"a{i}.txt", ARTICLE + f"\nParagraph number {i} of the story.\n")
    first = load_corpus(tmp_path)
    assert first.from_cache == 0
    # The files were just written (racy mtimes): the next load re-reads them, then trusts the cache.
    for p in tmp_path.glob("*.txt"):
        os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns - 10**10))
    load_corpus(tmp_path)
    second = load_corpus(tmp_path)
    assert second.from_cache == 3
    assert [a.body for a in second.articles] == [a.body for a in first.articles]
    # Cached records unpack their source, removed blocks and offsets on first use, unchanged.
    assert [a.to_dict(include_source=True) for a in second.articles] == [
        a.to_dict(include_source=True) for a in first.articles]
    write(tmp_path / "a1.txt", ARTICLE + "\nA changed paragraph.\n")
    (tmp_path / "a2.txt").unlink()
    third = load_corpus(tmp_path)
    assert [a.id for a in third.articles] == ["a0.txt", "a1.txt"]
    assert "A changed paragraph." in third.get("a1.txt").body
    assert third.from_cache == 1


def test_damaged_cache_is_rebuilt_with_a_message(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARTICLE)
    load_corpus(tmp_path)
    from briefreader.core.paths import derived_dir

    cache = derived_dir(tmp_path) / "records.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    cache.write_bytes(b"this is not a database" * 100)
    corpus = load_corpus(tmp_path)
    assert len(corpus) == 1
    assert "record cache was damaged" in messages(corpus)
    assert load_corpus(tmp_path).warnings == []


def test_read_only_corpus_keeps_its_cache_elsewhere(tmp_path: Path, isolated_home: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import briefreader.core.paths as paths

    folder = tmp_path / "ro"
    write(folder / "a.txt", ARTICLE)
    real = paths._writable
    # chmod does not stop root, so the read-only folder is simulated where root runs the tests.
    monkeypatch.setattr(paths, "_writable", lambda p: False if folder in Path(p).parents else real(p))
    folder.chmod(0o555)
    try:
        corpus = load_corpus(folder)
        assert len(corpus) == 1
        assert not (folder / ".briefreader").exists()
        assert list((isolated_home / "cache").rglob("records.sqlite"))
        assert load_corpus(folder).files_seen == 1
    finally:
        folder.chmod(0o755)


# ----------------------------------------------------------------------------- command line


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefreader", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_cli_list_json_and_errors(sample_corpus: Path, tmp_path: Path) -> None:
    out = run_cli("list", str(sample_corpus), "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 5 and set(rows[0]) == {"id", "outlet", "source_agency", "date", "title", "words", "provenance"}
    missing = run_cli("list", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such folder" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = run_cli("list", str(tmp_path / "empty"))
    assert empty.returncode == 2 and "no articles found" in empty.stderr
    assert "Traceback" not in missing.stderr + empty.stderr


def test_cli_clean_json_lines_contract(sample_corpus: Path, tmp_path: Path) -> None:
    out = run_cli("clean", str(sample_corpus), "--json")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 5
    for obj in lines:
        for key in ("id", "path", "title", "outlet", "dateline", "date", "author", "url", "body", "removed",
                    "warnings"):
            assert key in obj
        for block in obj["removed"]:
            assert set(block) >= {"text", "reason"}
    write(tmp_path / "x.pdf", b"%PDF")
    bad = run_cli("clean", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "not an article file" in bad.stderr


def test_process_pool_gives_the_same_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefreader.storage.corpus as corpus_module

    for i in range(6):
        write(tmp_path / f"d{i % 2}" / f"a{i}.txt", ARTICLE + f"\nParagraph {i} of the story.\n")
    write(tmp_path / "feed.jsonl", json.dumps({"title": "T", "text": ARTICLE}) + "\n")
    monkeypatch.setenv("BRIEFREADER_NO_POOL", "1")
    sequential = load_corpus(tmp_path, use_cache=False)
    monkeypatch.delenv("BRIEFREADER_NO_POOL")
    monkeypatch.setattr(corpus_module, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(corpus_module, "POOL_CHUNK", 2)
    seen: list[str] = []
    done: list[int] = []
    pooled = load_corpus(tmp_path, use_cache=False, on_articles=lambda batch: seen.extend(a.id for a in batch),
                         progress=lambda d, t: done.append(d))
    assert [a.to_dict() for a in pooled.articles] == [a.to_dict() for a in sequential.articles]
    assert sorted(seen) == sorted(a.id for a in pooled.articles)
    assert done[-1] == 7


def test_a_cancelled_load_stops(tmp_path: Path) -> None:
    from briefreader.storage.corpus import LoadCancelled

    for i in range(3):
        write(tmp_path / f"a{i}.txt", ARTICLE)
    with pytest.raises(LoadCancelled):
        load_corpus(tmp_path, cancelled=lambda: True)


def test_two_processes_loading_at_once_both_succeed(tmp_path: Path) -> None:
    for i in range(40):
        write(tmp_path / f"a{i:02d}.txt", ARTICLE + f"\nParagraph {i}.\n")
    script = "import sys; from briefreader.storage.corpus import load_corpus; print(len(load_corpus(sys.argv[1])))"
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [o[0].strip() for o in outs] == ["40", "40"], outs
    assert not load_corpus(tmp_path).warnings


@pytest.mark.parametrize("pool", [False, True])
def test_lines_repeated_across_one_outlet_are_removed_and_metadata_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: bool) -> None:
    import briefreader.storage.corpus as corpus_module

    if pool:
        monkeypatch.setattr(corpus_module, "POOL_MIN_FILES", 2)
        monkeypatch.setattr(corpus_module, "POOL_CHUNK", 2)
    for i in range(4):
        write(tmp_path / f"a{i}.md", (
            f"---\ntitle: Story {i}\noutlet: The Ledger\n---\n"
            f"Ministers met in the capital on day {i} to discuss the agreement on grain exports.\n\n"
            "The talks will resume next week in a smaller format, officials said.\n\n"
            "Ledger Weekend Edition\n\nMore from the Ledger desk\n"))
    # The same two lines in one article of another outlet are no evidence.
    write(tmp_path / "other.md", "---\noutlet: Other Wire\n---\nMinisters met again on Friday.\n\n"
                                 "Ledger Weekend Edition\n")
    corpus = load_corpus(tmp_path)
    for i in range(4):
        article = corpus.get(f"a{i}.md")
        assert article.title == f"Story {i}" and article.outlet == "The Ledger"
        assert "Weekend Edition" not in article.body and "Ledger desk" not in article.body
        assert "officials said" in article.body
        assert any(r.reason == "repeated boilerplate" for r in article.removed)
    assert "Ledger Weekend Edition" in corpus.get("other.md").body
    # Reopened from the cache, the evidence is still applied.
    assert [a.body for a in load_corpus(tmp_path).articles] == [a.body for a in corpus.articles]


def test_manifest_field_rules_fill_metadata(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Dispatch from Lisbon\n\n" + ARTICLE)
    write(tmp_path / "briefreader.yaml", (
        "boilerplate:\n"
        "  - pattern: 'Dispatch from (?P<place>[A-Z][a-z]+)'\n"
        "    field: dateline\n"
        "    reason: dateline\n"))
    corpus = load_corpus(tmp_path)
    (article,) = corpus.articles
    assert article.dateline == "Lisbon", corpus.warnings
    assert "Dispatch from" not in article.body


def test_broken_manifest_rule_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "briefreader.yaml", "boilerplate:\n  - pattern: '(unclosed'\n    reason: x\n")
    corpus = load_corpus(tmp_path)
    assert len(corpus) == 1
    assert "boilerplate rules ignored" in messages(corpus)


def test_load_falls_back_to_one_process_when_workers_cannot_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefreader.storage.corpus as corpus_module

    for i in range(4):
        write(tmp_path / f"a{i}.txt", ARTICLE + f"\nParagraph {i}.\n")
    monkeypatch.setattr(corpus_module, "POOL_MIN_FILES", 2)

    def refuse(self):
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(corpus_module._Workers, "executor", refuse)
    corpus = load_corpus(tmp_path, use_cache=False)
    assert len(corpus) == 4


@pytest.mark.parametrize("given,expected", [
    ("2025-08-17", "2025-08-17"), ("2025-08-17T10:00:00Z", "2025-08-17"), ("2025-08", "2025-08"),
    ("17 August 2025", "2025-08-17"), ("Aug 17, 2025", "2025-08-17"), ("someday", None),
])
def test_given_dates_are_normalised(given: str, expected: str | None) -> None:
    import datetime as dt

    from briefreader.storage.corpus import normalise_date

    assert normalise_date(given) == expected
    assert normalise_date(dt.datetime(2025, 8, 17, 10, 30)) == "2025-08-17"


def test_copies_of_one_story_are_no_evidence_against_its_own_lines(tmp_path: Path) -> None:
    story = ("---\noutlet: The Ledger\n---\nGrain deal collapses after talks\n\n"
             "Ministers met in the capital to discuss the agreement on grain exports.\n\n"
             "Talks in the dark\n\n"
             "The talks will resume next week in a smaller format, officials said.\n\n"
             "More from the Ledger desk\n")
    for i in range(3):  # the same story saved three times (re-fetched, or UPDATE 1/2/3)
        write(tmp_path / f"copy{i}.md", story)
    for article in load_corpus(tmp_path).articles:
        assert "Grain deal collapses" in article.body
        assert "Talks in the dark" in article.body


def test_fresh_articles_keep_source_removed_and_offsets_packed(sample_corpus: Path) -> None:
    """A first load keeps each article's source, removed blocks and offsets packed until used (as a
    reopen does): same values when read, about half the memory while nobody reads them."""
    import pickle

    from briefreader.storage.corpus import load_corpus, process_file
    from briefreader.core.manifest import load_manifest
    from briefreader.storage.records import CachedArticle
    from briefreader.core import clean as cleaning

    corpus = load_corpus(sample_corpus, use_cache=False)
    manifest, _ = load_manifest(sample_corpus)
    rules = cleaning.load_rules(manifest.boilerplate)
    for article in corpus.articles:
        assert isinstance(article, CachedArticle) and article._extra is not None
        travelled = pickle.loads(pickle.dumps(article))  # to or from a worker process
        assert isinstance(travelled, CachedArticle) and travelled._extra is not None
        plain = process_file(sample_corpus, article.path, manifest, rules).articles[0]
        assert article.body == plain.body and travelled.body == plain.body
        for copy in (article, travelled):
            assert copy.source == plain.source
            assert copy.removed == plain.removed
            assert copy.offsets.segments == plain.offsets.segments
        assert article._extra is None  # unpacked on first use


def test_unpacked_cached_article_pickles_whole(sample_corpus: Path) -> None:
    import pickle

    from briefreader.storage.corpus import load_corpus

    article = load_corpus(sample_corpus, use_cache=False).articles[0]
    article.source = article.source + "\nedited"  # unpacks, then changes
    copy = pickle.loads(pickle.dumps(article))
    assert copy.source.endswith("\nedited") and copy.removed == article.removed


def test_list_prints_aligned_rows_and_json_lines(sample_corpus: Path, capsys) -> None:
    import json as json_module

    from briefreader.cli.main import main

    assert main(["list", str(sample_corpus), "--json"]) == 0
    rows = json_module.loads(capsys.readouterr().out)
    assert main(["list", str(sample_corpus), "--jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json_module.loads(line) for line in lines] == rows
    assert main(["list", str(sample_corpus)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"5 articles in {sample_corpus}"
    header, body = out[1], out[2:]
    assert header.split() == ["id", "outlet", "date", "words", "title"]
    assert len(body) == 5
    title_column = header.index("title")
    for row, line in zip(rows, body, strict=True):
        assert line.startswith(row["id"])
        assert line[title_column:] == (row["title"] or "–")  # a pipe gets the whole title
        assert line[:title_column].rstrip().endswith(str(row["words"]))
