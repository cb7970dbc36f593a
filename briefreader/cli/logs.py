"""Logging for every command and the reader: a rotating file in the per-user data folder, and with
``--debug`` also stderr. Log lines can hold corpus text (file names, messages): on stderr they are
made inert like every other line briefreader prints."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "briefreader.log"
LOG_BYTES = 1024 * 1024
LOG_BACKUPS = 3
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


class InertFormatter(logging.Formatter):
    """A formatter whose output cannot reach a terminal as a control sequence."""

    def format(self, record: logging.LogRecord) -> str:
        from briefreader.core.inert import inert

        return inert(super().format(record))


def log_file() -> Path:
    """Where the log is written: ``<user data>/logs/briefreader.log``."""
    from briefreader.core.paths import user_data_dir

    return user_data_dir() / "logs" / LOG_NAME


def setup_logging(*, debug: bool = False, to_stderr: bool = True) -> Path | None:
    """Send briefreader's log records to the rotating log file (INFO and up; DEBUG with ``debug``,
    which also copies them to stderr unless ``to_stderr`` is False: the reader owns the terminal).
    Returns the log file, or None when it cannot be written (the command goes on without it)."""
    logger = logging.getLogger("briefreader")
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    for handler in list(logger.handlers):  # main() may run many times in one process (tests)
        logger.removeHandler(handler)
        handler.close()
    logger.propagate = False
    from briefreader.core.paths import UnsafePathError, make_private_dir, make_private_file

    path: Path | None = log_file()
    try:
        target = log_file()
        make_private_dir(target.parent)
        make_private_file(target)
        file_handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True)
        file_handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(file_handler)
    except (OSError, UnsafePathError):  # e.g. a read-only home: the command still runs, unlogged
        path = None
    if debug and to_stderr:
        stream = logging.StreamHandler()
        stream.setFormatter(InertFormatter(FORMAT))
        logger.addHandler(stream)
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    return path
