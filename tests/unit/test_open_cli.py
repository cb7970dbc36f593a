"""`briefreader open` checks the folder before the TUI starts: each problem is one clear line, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_open(target: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefreader", "open", str(target)], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_missing_folder_file_and_folder_without_articles(tmp_path: Path) -> None:
    missing = run_open(tmp_path / "nope")
    assert missing.returncode == 2 and "no such folder" in missing.stderr
    a_file = tmp_path / "notes.txt"
    a_file.write_text("hello", "utf-8")
    not_dir = run_open(a_file)
    assert not_dir.returncode == 2 and "not a folder" in not_dir.stderr
    empty = tmp_path / "empty"
    (empty / "img").mkdir(parents=True)
    (empty / "img" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    nothing = run_open(empty)
    assert nothing.returncode == 2 and "no article files" in nothing.stderr and ".txt" in nothing.stderr
    for result in (missing, not_dir, nothing):
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_without_a_terminal_it_says_so_instead_of_starting(sample_corpus: Path) -> None:
    result = run_open(sample_corpus)
    assert result.returncode == 2 and "interactive terminal" in result.stderr
    assert not (sample_corpus / ".briefreader").exists()  # nothing was read or written
