"""Issue 10: a corpus folder is untrusted input. Its files never run code, nothing is written or
deleted through a link out of it, its triage file is checked before use, export writes only regular
files. Each attack is built the way an attacker would: with briefreader itself, then tampered with,
then copied with its mtimes kept."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import stat
import sys
import time
from pathlib import Path

import pytest

from briefreader.cli.main import main
from briefreader.core.paths import (
    UnsafePathError,
    derived_dir,
    safe_rmtree,
    safe_unlink,
    user_data_dir,
    write_output_file,
)
from briefreader.storage.triage_file import DB_NAME
from briefreader.storage.triage_store import open_store

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
sys.path.insert(0, str(HELPERS))

from hostile_state import ANADOLU, build_hostile_corpus, copy_with_mtimes, tree_digest  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent.parent / "sample_corpus"


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    started = time.monotonic()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert time.monotonic() - started < 30, f"{argv} took too long"
    return code, out, err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


# --------------------------------------------------------------------------- planted derived state


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """(victim's copy of a tampered corpus, marker path the payload would create)."""
    source = tmp_path / "sender" / "corpus"
    shutil.copytree(SAMPLE, source, ignore=shutil.ignore_patterns(".briefreader"))
    marker = tmp_path / "PAYLOAD-RAN"
    build_hostile_corpus(source, tmp_path / "sender-home", marker)
    assert not marker.exists()
    victim = copy_with_mtimes(source, tmp_path / "victim" / "corpus")
    return victim, marker


def test_planted_pickles_never_run_and_are_never_touched(hostile: tuple[Path, Path], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          isolated_home: Path) -> None:
    victim, marker = hostile
    skip = ("victim/corpus/.briefreader/triage.sqlite3", "exports", "sender", "PAYLOAD-RAN")
    before = tree_digest(tmp_path, skip=skip)
    planted = tree_digest(victim / ".briefreader", skip=("triage.sqlite3",))
    assert {"records.sqlite", "index/briefreader-fingerprints.pickle"} <= set(planted)

    code, out, err = run(capsys, "list", victim)
    assert code == 0 and "5 articles" in out
    notices = [line for line in err.splitlines() if "come from another copy" in line]
    assert len(notices) == 1 and "record cache" in notices[0] and "index" in notices[0]
    for argv in (("list", victim, "--json"), ("index", victim), ("search", victim, "Kallas"),
                 ("search", victim, "Kallas", "--json"), ("quotes", victim, "--json"), ("status", victim, "--json"),
                 ("mark", victim, ANADOLU, "--tag", "checked"), ("highlight", victim, "--list"),
                 ("export", victim, "-o", tmp_path / "exports" / "brief.md", "--mkdir")):
        code, out, err = run(capsys, *argv)
        assert code == 0, (argv, err)
        assert not marker.exists(), f"payload ran during {argv}"
    code, out, _ = run(capsys, "search", victim, "Kallas", "--json")
    assert json.loads(out)["total"] >= 4  # the victim's own index, built from the articles
    status = json.loads(run(capsys, "status", victim, "--json")[1])
    assert status["status"]["keep"] == 1 and status["notes"] == 1  # what a person made travels
    assert tree_digest(victim / ".briefreader", skip=("triage.sqlite3",)) == planted
    assert tree_digest(tmp_path, skip=skip) == before
    assert (tmp_path / "exports" / "brief.md").is_file()
    assert not marker.exists()

    # Control: the planted files are live. Read the old way, they run the payload.
    from whoosh.index import open_dir

    from briefreader.storage.records import RecordCache

    cache = RecordCache(sqlite3.connect(victim / ".briefreader" / "records.sqlite"), None, None)
    cache.lookup(ANADOLU, os.stat(victim / ANADOLU))
    assert marker.exists()
    marker.unlink()
    with pytest.raises(Exception):  # noqa: B017 - the planted payload fails in its own way once it has run
        open_dir(str(victim / ".briefreader" / "index"), indexname="MAIN")
    assert marker.exists()


def test_derived_state_lives_in_the_user_cache_only(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    isolated_home: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus, ignore=shutil.ignore_patterns(".briefreader"))
    for argv in (("list", corpus), ("index", corpus), ("search", corpus, "Kallas"), ("quotes", corpus, "--json")):
        assert run(capsys, *argv)[0] == 0
    assert not (corpus / ".briefreader").exists()  # nothing derived in the corpus folder
    cache = derived_dir(corpus)
    assert cache.is_relative_to(isolated_home / "cache")
    assert {p.name for p in cache.iterdir()} >= {"records.sqlite", "index", "quotes", "index.lock"}
    # the same corpus reached through a link shares the cache (keyed by the real path)
    link = tmp_path / "via-link"
    link.symlink_to(corpus)
    assert derived_dir(link) == cache
    code, _, err = run(capsys, "list", corpus)
    assert code == 0 and "come from another copy" not in err


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_state_folders_are_0700_and_files_0600(tmp_path: Path, capsys: pytest.CaptureFixture[str], umask: int) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus, ignore=shutil.ignore_patterns(".briefreader"))
    old = os.umask(umask)
    try:
        assert run(capsys, "index", corpus)[0] == 0
        assert run(capsys, "quotes", corpus, "--json")[0] == 0
        assert run(capsys, "mark", corpus, ANADOLU, "--note", "private")[0] == 0
    finally:
        os.umask(old)

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.lstat().st_mode)

    cache = derived_dir(corpus)
    for folder in (corpus / ".briefreader", cache, cache.parent, cache / "index", cache / "quotes"):
        assert mode(folder) == 0o700, folder
    for name in (DB_NAME, ):
        assert mode(corpus / ".briefreader" / name) == 0o600
    for path in (cache / "records.sqlite", cache / "index.lock", cache / "index" / "briefreader-index.json",
                 cache / "index" / "briefreader-fingerprints.json"):
        assert mode(path) == 0o600, path


# --------------------------------------------------------------------------- symlinks in the state folders


def test_state_folder_that_is_a_link_is_never_written_through(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               isolated_home: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus, ignore=shutil.ignore_patterns(".briefreader"))
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "index").mkdir(parents=True)
    (elsewhere / "index" / "precious.txt").write_text("the only copy")
    (elsewhere / "index.lock").write_text("not a lock")
    (corpus / ".briefreader").symlink_to("../elsewhere")
    before = tree_digest(elsewhere)
    for argv in (("index", corpus), ("search", corpus, "Kallas"), ("quotes", corpus, "--json"), ("list", corpus)):
        assert run(capsys, *argv)[0] == 0
    code, _, err = run(capsys, "mark", corpus, ANADOLU, "--status", "keep")
    assert code == 0
    assert "symbolic link" in err and str(user_data_dir()) in err  # one clear notice: where the state went
    status = json.loads(run(capsys, "status", corpus, "--json")[1])
    assert status["in_corpus"] is False and status["status"]["keep"] == 1
    assert tree_digest(elsewhere) == before and (corpus / ".briefreader").is_symlink()


@pytest.mark.parametrize("name", [DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"])
def test_triage_file_that_is_a_link_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus, ignore=shutil.ignore_patterns(".briefreader"))
    victim_file = tmp_path / "victim.txt"
    victim_file.write_text("must not change")
    (corpus / ".briefreader").mkdir()
    (corpus / ".briefreader" / name).symlink_to(victim_file)
    code, _, err = run(capsys, "mark", corpus, ANADOLU, "--status", "keep")
    assert code == 0 and "symbolic link" in err
    assert victim_file.read_text() == "must not change"
    with open_store(corpus) as store:
        assert not store.in_corpus and store.get(ANADOLU).status == "keep"
    assert victim_file.read_text() == "must not change"


def test_lock_and_index_links_in_the_cache_are_not_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus, ignore=shutil.ignore_patterns(".briefreader"))
    target = tmp_path / "target.txt"
    target.write_text("must not change")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("the only copy")
    cache = derived_dir(corpus)
    (cache / "index").symlink_to(elsewhere)
    assert run(capsys, "index", corpus)[0] == 0  # the link is dropped and a real folder built in its place
    assert (elsewhere / "precious.txt").read_text() == "the only copy"
    assert (cache / "index").is_dir() and not (cache / "index").is_symlink()
    (cache / "index.lock").unlink()
    (cache / "index.lock").symlink_to(target)
    code, _, err = run(capsys, "index", corpus, "--rebuild")
    assert code == 2 and len(error_lines(err)) == 1 and "symbolic link" in err
    assert target.read_text() == "must not change"


def test_deletes_never_leave_their_folder(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("x")
    (folder / "link").symlink_to(outside)
    (folder / "filelink").symlink_to(outside / "keep.txt")
    with pytest.raises(UnsafePathError):
        safe_rmtree(outside, folder)
    with pytest.raises(UnsafePathError):
        safe_unlink(outside / "keep.txt", folder)
    with pytest.raises(UnsafePathError):
        safe_rmtree(folder / "link" / "keep.txt", folder)  # resolves outside through the link
    safe_rmtree(folder / "link", folder)  # the link itself goes, not what it points to
    safe_unlink(folder / "filelink", folder)
    assert (outside / "keep.txt").read_text() == "x" and not os.path.lexists(folder / "link")


# --------------------------------------------------------------------------- the triage file


def _made_by_the_tool(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus, ignore=shutil.ignore_patterns(".briefreader"))
    assert run(capsys, "mark", corpus, ANADOLU, "--status", "keep")[0] == 0
    return corpus


@pytest.mark.parametrize("extra", [
    "CREATE TRIGGER evil AFTER INSERT ON article_state BEGIN INSERT INTO meta VALUES ('pwned', '1'); END",
    "CREATE VIEW evil AS SELECT * FROM article_state",
    "CREATE TABLE evil (x)",
    "CREATE INDEX evil ON article_state (note)",
])
def test_triage_file_with_objects_we_did_not_make_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             extra: str) -> None:
    corpus = _made_by_the_tool(tmp_path, capsys)
    db_path = corpus / ".briefreader" / DB_NAME
    db = sqlite3.connect(db_path)
    db.execute(extra)
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    shared = copy_with_mtimes(corpus, tmp_path / "received")
    received = shared / ".briefreader" / DB_NAME
    before = received.read_bytes()
    for argv in (("mark", shared, ANADOLU, "--status", "discard"), ("status", shared), ("export", shared)):
        code, _, err = run(capsys, *argv)
        assert code == 1 and "did not write" in err and "evil" in err and "left untouched" in err, err
        assert len(error_lines(err)) == 1
    assert received.read_bytes() == before


def test_triage_connection_distrusts_the_schema(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        assert store._db.execute("PRAGMA trusted_schema").fetchone()[0] == 0


def test_main_file_alone_is_complete_after_a_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _made_by_the_tool(tmp_path, capsys)
    assert run(capsys, "mark", corpus, ANADOLU, "--tag", "sanctions", "--note", "checked")[0] == 0
    wal = corpus / ".briefreader" / f"{DB_NAME}-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    backup = tmp_path / "backup"
    (backup / ".briefreader").mkdir(parents=True)
    shutil.copy2(corpus / ".briefreader" / DB_NAME, backup / ".briefreader" / DB_NAME)  # the main file only
    with open_store(backup) as store:
        state = store.get(ANADOLU)
        assert (state.status, state.tags, state.note) == ("keep", ["sanctions"], "checked")


def test_close_checkpoints_even_with_another_connection_open(tmp_path: Path) -> None:
    with open_store(tmp_path) as first:
        first.set_status("a.txt", "keep")
        with open_store(tmp_path) as second:  # the reader open while a command runs
            second.set_status("b.txt", "read")
        copy = tmp_path / "copy"
        (copy / ".briefreader").mkdir(parents=True)
        shutil.copy2(tmp_path / ".briefreader" / DB_NAME, copy / ".briefreader" / DB_NAME)
        with open_store(copy) as store:
            assert store.get("a.txt").status == "keep" and store.get("b.txt").status == "read"


def test_full_disk_is_not_damage(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    from briefreader.storage import journal

    corpus = _made_by_the_tool(tmp_path, capsys)

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(journal.Transaction, "_commit", full)
        code, _, err = run(capsys, "mark", corpus, ANADOLU, "--status", "discard")
    assert code != 0 and "disk full" in err and "not saved" in err and "damaged" not in err
    assert len(error_lines(err)) == 1

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    fresh = tmp_path / "fresh"
    shutil.copytree(SAMPLE, fresh, ignore=shutil.ignore_patterns(".briefreader"))
    with monkeypatch.context() as patch:
        patch.setattr("briefreader.core.paths.make_private_file", no_space)
        code, _, err = run(capsys, "mark", fresh, ANADOLU, "--status", "keep")
    assert code != 0 and "disk full" in err and "damaged" not in err
    with open_store(corpus) as store:
        assert store.get(ANADOLU).status == "keep"  # nothing was lost or called damaged


def test_search_survives_a_full_disk(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    from briefreader.storage.index import CorpusIndex

    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus, ignore=shutil.ignore_patterns(".briefreader"))

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(CorpusIndex, "_write", no_space)
    code, out, err = run(capsys, "search", corpus, "Kallas", "--json")
    assert code == 0 and "disk full" in err and json.loads(out)["total"] == 0
    code, _, err = run(capsys, "index", corpus)
    assert code == 1 and "disk full" in err and len(error_lines(err)) == 1
    monkeypatch.setattr(CorpusIndex, "_create_empty", no_space)
    (derived_dir(corpus) / "index" / "briefreader-index.json").unlink()  # the index now needs a rebuild
    code, _, err = run(capsys, "search", corpus, "Kallas")
    assert code == 1 and "disk full" in err and len(error_lines(err)) == 1 and "Traceback" not in err


# --------------------------------------------------------------------------- links out of the corpus


@pytest.fixture
def linked_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus, ignore=shutil.ignore_patterns(".briefreader"))
    outside = tmp_path / "outside"
    (outside / "etc").mkdir(parents=True)
    (outside / "secret.txt").write_text("Zanzibarian ledger entries that must stay outside.\n" * 3)
    (outside / "etc" / "hosts.txt").write_text("Quixotically hidden configuration words.\n" * 3)
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "etcdir").symlink_to(outside / "etc")
    (corpus / "inside").mkdir()
    (corpus / "inside" / "real.txt").write_text("An inside article about harbour cranes.\n" * 3)
    (corpus / "alias.txt").symlink_to("inside/real.txt")  # inside -> inside: still read
    (corpus / "zlinkdir").symlink_to("inside")  # a folder link inside -> inside (visited once)
    return corpus


def test_links_out_of_the_corpus_are_skipped_with_a_warning(linked_corpus: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", linked_corpus, "--json")
    ids = {row["id"] for row in json.loads(out)}
    assert code == 0 and "passwd.txt" not in ids and not any(i.startswith("etcdir/") for i in ids)
    assert {"alias.txt", "inside/real.txt"} <= ids and "zlinkdir/real.txt" not in ids
    assert "outside" not in " ".join(line for line in err.splitlines() if "zlinkdir" in line)
    assert sum("passwd.txt" in line and "outside the corpus folder" in line for line in err.splitlines()) == 1
    assert sum("etcdir" in line and "outside the corpus folder" in line for line in err.splitlines()) == 1
    assert "--follow-links" in err
    code, out, _ = run(capsys, "search", linked_corpus, "Zanzibarian OR Quixotically", "--json")
    assert code == 0 and json.loads(out)["total"] == 0

    code, out, err = run(capsys, "list", linked_corpus, "--json", "--follow-links")
    ids = {row["id"] for row in json.loads(out)}
    assert code == 0 and {"passwd.txt", "etcdir/hosts.txt"} <= ids and "outside the corpus" not in err
    code, out, _ = run(capsys, "search", linked_corpus, "Zanzibarian OR Quixotically", "--json", "--follow-links")
    assert json.loads(out)["total"] == 2


def test_open_counts_only_files_inside(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("text\n")
    (corpus / "passwd.txt").symlink_to(outside)
    code, _, err = run(capsys, "open", corpus)
    assert code == 2 and "no article files" in err and "outside the corpus folder" in err


# --------------------------------------------------------------------------- export targets


@pytest.fixture
def marked_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return _made_by_the_tool(tmp_path, capsys)


def test_export_refuses_a_fifo_a_folder_and_a_link(marked_corpus: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    target = tmp_path / "target.md"
    target.write_text("keep me")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    for path, words in ((fifo, "FIFO"), (folder, "folder"), (link, "symbolic link")):
        for extra in ((), ("--force",)):
            code, out, err = run(capsys, "export", marked_corpus, "-o", path, *extra)
            assert code == 2 and words in err and len(error_lines(err)) == 1, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and folder.is_dir() and not any(folder.iterdir())
    assert link.is_symlink() and target.read_text() == "keep me"


def test_export_refuses_a_device(marked_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    device = tmp_path / "full"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # what /dev/full is
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here (not root)")
    code, _, err = run(capsys, "export", marked_corpus, "-o", device, "--force")
    assert code == 2 and "device" in err and stat.S_ISCHR(device.lstat().st_mode)


def test_export_replaces_a_file_only_with_force(marked_corpus: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "brief.md"
    out.write_text("my earlier brief")
    code, _, err = run(capsys, "export", marked_corpus, "-o", out)
    assert code == 2 and "exists" in err and "--force" in err and out.read_text() == "my earlier brief"
    code, _, err = run(capsys, "export", marked_corpus, "-o", out, "--force")
    assert code == 0 and out.read_text().startswith("# Brief")
    missing = tmp_path / "no" / "such" / "brief.md"
    code, _, err = run(capsys, "export", marked_corpus, "-o", missing)
    assert code == 2 and "does not exist" in err and not (tmp_path / "no").exists()
    assert run(capsys, "export", marked_corpus, "-o", missing, "--mkdir")[0] == 0 and missing.is_file()
    assert [p.name for p in missing.parent.iterdir()] == ["brief.md"]  # no temp file left behind


def test_write_output_file_does_not_clobber_a_file_that_appears(tmp_path: Path, monkeypatch) -> None:
    from briefreader.core import paths

    out = tmp_path / "brief.md"
    real_check = paths.check_output_file

    def check_then_race(path, **kwargs):
        real_check(path, **kwargs)
        out.write_text("written meanwhile by someone else")

    monkeypatch.setattr(paths, "check_output_file", check_then_race)
    with pytest.raises(paths.ExportTargetError, match="exists"):
        write_output_file(out, "the brief")
    assert out.read_text() == "written meanwhile by someone else"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


def test_an_older_0644_state_file_becomes_0600_but_a_refused_one_is_not_touched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _made_by_the_tool(tmp_path, capsys)
    db_path = corpus / ".briefreader" / DB_NAME
    os.chmod(db_path, 0o644)
    with open_store(corpus) as store:
        assert store.get(ANADOLU).status == "keep"
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    db = sqlite3.connect(db_path)
    db.execute("CREATE VIEW evil AS SELECT 1")
    db.commit()
    db.close()
    os.chmod(db_path, 0o644)
    before = (db_path.read_bytes(), db_path.stat().st_mtime_ns)
    code, _, err = run(capsys, "status", corpus)
    assert code == 1 and "did not write" in err
    assert (db_path.read_bytes(), db_path.stat().st_mtime_ns) == before
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o644


def test_triage_table_with_a_changed_definition_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _made_by_the_tool(tmp_path, capsys)
    db_path = corpus / ".briefreader" / DB_NAME
    db = sqlite3.connect(db_path)
    with db:  # same name, a column computed by the file's author
        db.execute("DROP TABLE saved_search")
        db.execute("CREATE TABLE saved_search (name TEXT PRIMARY KEY, query TEXT NOT NULL, created TEXT NOT NULL, "
                   "shadow TEXT GENERATED ALWAYS AS (upper(query)))")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = db_path.read_bytes()
    code, _, err = run(capsys, "status", corpus)
    assert code == 1 and "a changed table saved_search" in err and db_path.read_bytes() == before


def test_triage_word_search_survives_a_full_disk(marked_corpus: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch) -> None:
    from briefreader.storage.index import CorpusIndex

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(CorpusIndex, "_write", no_space)
    code, out, err = run(capsys, "status", marked_corpus, "--where", "Kallas")
    assert code == 0 and "disk full" in err and "Traceback" not in err
    monkeypatch.setattr(CorpusIndex, "open", no_space)
    code, _, err = run(capsys, "export", marked_corpus, "--where", "Kallas")
    assert code == 1 and "disk full" in err and len(error_lines(err)) == 1
