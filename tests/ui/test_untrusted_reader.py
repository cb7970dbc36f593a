"""Issue 10 in the reader: a tampered corpus never runs code, the triage file is complete on its own
after quitting, the export dialog writes only regular files."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

from reader_helpers import screen_of, screen_text, settle, state, triage_idle

from briefreader.storage.triage_file import DB_NAME
from briefreader.storage.triage_store import open_store
from briefreader.tui.app import ReaderApp
from briefreader.tui.triage.export_screen import ExportScreen

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
sys.path.insert(0, str(HELPERS))

from hostile_state import build_hostile_corpus, copy_with_mtimes, tree_digest  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent.parent / "sample_corpus"
SIZE = (160, 50)


async def idle(pilot) -> None:
    await settle(pilot)
    await triage_idle(pilot.app)
    await pilot.pause()


async def test_reader_on_a_tampered_corpus_runs_nothing_and_leaves_it_alone(
    tmp_path: Path, isolated_home: Path
) -> None:
    source = tmp_path / "sender" / "corpus"
    shutil.copytree(SAMPLE, source, ignore=shutil.ignore_patterns(".briefreader"))
    marker = tmp_path / "PAYLOAD-RAN"
    build_hostile_corpus(source, tmp_path / "sender-home", marker)
    victim = copy_with_mtimes(source, tmp_path / "victim" / "corpus")
    planted = tree_digest(victim / ".briefreader", skip=("triage.sqlite3",))

    app = ReaderApp(victim)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert screen_of(app).corpus is not None and len(screen_of(app).corpus.articles) == 5
        notices = [w for w in screen_of(app).corpus.warnings if "come from another copy" in str(w)]
        assert len(notices) == 1
        await pilot.press("slash", *"Kallas")  # the index: built in the user cache, not read from the corpus
        await idle(pilot)
        assert state(app).search_total >= 4
        await pilot.press("escape")
        await idle(pilot)
        current = state(app).current_id
        await pilot.press("K")
        await idle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code is not None  # the reader quit
    assert not marker.exists()
    assert tree_digest(victim / ".briefreader", skip=("triage.sqlite3",)) == planted

    # after the reader quits, the main triage file alone holds everything
    wal = victim / ".briefreader" / f"{DB_NAME}-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "main-file-only"
    (copy / ".briefreader").mkdir(parents=True)
    shutil.copy2(victim / ".briefreader" / DB_NAME, copy / ".briefreader" / DB_NAME)
    with open_store(copy) as store:
        assert store.get(current).status == "keep"


async def test_export_dialog_refuses_what_is_not_a_regular_file(sample_corpus: Path, tmp_path: Path,
                                                                isolated_home: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    target = tmp_path / "target.md"
    target.write_text("keep me")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    app = ReaderApp(sample_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("K")
        await idle(pilot)
        await pilot.press("e")
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        for path, words in ((fifo, "FIFO"), (link, "symbolic link"), (tmp_path, "folder")):
            screen.query_one("#export-output").value = str(path)
            await idle(pilot)
            for _ in range(2):  # pressing again never turns a refusal into a write
                await pilot.press("ctrl+s")
                await idle(pilot)
                assert words in screen_text(app) and isinstance(app.screen, ExportScreen)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert link.is_symlink() and target.read_text() == "keep me"
