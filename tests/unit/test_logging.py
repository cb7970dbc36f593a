"""Logging: every command writes to a rotating log file; a bug is one line for the user and a
traceback in the log; --debug also logs to stderr, inert."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.cli.logs import log_file
from briefreader.cli.main import main


def test_a_bug_is_one_line_and_a_traceback_in_the_log(sample_corpus: Path, capsys, monkeypatch) -> None:
    import briefreader.cli.corpus_cmds as corpus_cmds

    def broken(*args, **kwargs):
        raise RuntimeError("boom \x1b]0;title\x07")

    monkeypatch.setattr(corpus_cmds, "_write_rows", broken)
    assert main(["list", str(sample_corpus)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected RuntimeError: boom" in err and "\x1b" not in err
    assert str(log_file()) in err
    log = log_file().read_text("utf-8")
    assert "Traceback" in log and "RuntimeError: boom" in log
    assert oct(log_file().stat().st_mode & 0o777) == "0o600"


def test_debug_logs_to_stderr_and_lets_a_bug_raise(sample_corpus: Path, capsys, monkeypatch) -> None:
    import briefreader.cli.corpus_cmds as corpus_cmds

    monkeypatch.setattr(corpus_cmds, "_write_rows", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        main(["--debug", "list", str(sample_corpus)])
    assert "INFO briefreader.cli: briefreader" in capsys.readouterr().err


def test_a_read_only_home_does_not_stop_a_command(sample_corpus: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the home folder should be")
    monkeypatch.setenv("BRIEFREADER_HOME", str(blocked))
    main(["list", str(sample_corpus), "--no-cache"])  # no log file, no crash from logging
    assert "Traceback" not in capsys.readouterr().err
