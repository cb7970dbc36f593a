"""Build a hostile corpus the way an attacker would: with briefreader itself, then tampered.

Shared by the unit tests (CLI) and the reader tests (Pilot) of issue 10: the corpus carries, in
``DIR/.briefreader/``, the derived files older briefreaders kept there (record cache, index, quote
cache), made by the tool and then replaced by pickles that create a marker file when unpickled.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sqlite3
import time
from pathlib import Path

from briefreader.cli.main import main
from briefreader.core.paths import derived_dir

ANADOLU = "anadolu-kallas-trap-territory.txt"


class Payload:
    """Unpickling this object creates (appends to) ``marker``: a stand-in for ``os.system(...)``."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):  # noqa: ANN204 - the attack itself
        return (open, (self.marker, "a"))


def evil_pickle(marker: Path) -> bytes:
    return pickle.dumps(Payload(marker), protocol=2)


def _write_evil_toc(toc: Path, marker: Path, generation: int) -> None:
    """A Whoosh table of contents whose pickled schema is the payload (same layout Whoosh writes)."""
    from whoosh.filedb.structfile import StructFile
    from whoosh.system import _FLOAT_SIZE, _INT_SIZE, _LONG_SIZE

    with open(toc, "wb") as handle:
        stream = StructFile(handle)
        stream.write_varint(_INT_SIZE)
        stream.write_varint(_LONG_SIZE)
        stream.write_varint(_FLOAT_SIZE)
        stream.write_int(-12345)
        stream.write_int(-111)  # whoosh's _CURRENT_TOC_VERSION
        for number in (2, 7, 5):
            stream.write_varint(number)
        stream.write_string(evil_pickle(marker))
        stream.write_int(generation)
        stream.write_int(0)
        stream.write_pickle(Payload(marker))
        stream.flush()


def build_hostile_corpus(source: Path, sender_home: Path, marker: Path) -> Path:
    """Make ``source``'s state with briefreader (as the sender), move the derived files into
    ``source/.briefreader`` (where older briefreaders kept them) and replace every pickle with the
    payload. Returns the in-corpus state folder."""
    old = os.environ.get("BRIEFREADER_HOME")
    os.environ["BRIEFREADER_HOME"] = str(sender_home)
    try:
        past = time.time() - 86400  # files older than the cache's "racy" window: their rows are trusted
        for path in source.rglob("*"):
            if path.is_file():
                os.utime(path, (past, past))
        assert main(["index", str(source)]) == 0
        assert main(["quotes", str(source), "--json"]) == 0
        assert main(["mark", str(source), ANADOLU, "--status", "keep", "--note", "sender's note"]) == 0
        derived = derived_dir(source)
    finally:
        if old is None:
            del os.environ["BRIEFREADER_HOME"]
        else:
            os.environ["BRIEFREADER_HOME"] = old
    state = source / ".briefreader"
    for name in ("records.sqlite", "index", "quotes", "index.lock"):
        if derived.resolve() == state.resolve():  # a briefreader that keeps derived files in the corpus
            break
        src = derived / name
        if src.is_dir():
            shutil.copytree(src, state / name, copy_function=shutil.copy2)
        elif src.exists():
            shutil.copy2(src, state / name)
    # the tampering: every place that holds (or held) a pickle
    db = sqlite3.connect(state / "records.sqlite")
    with db:
        rows = db.execute("SELECT count(*) FROM files").fetchone()[0]
        assert rows >= 5
        db.execute("UPDATE files SET entries = ?, warnings = ?", (evil_pickle(marker), evil_pickle(marker)))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    index = state / "index"
    (index / "briefreader-fingerprints.pickle").write_bytes(evil_pickle(marker))
    tocs = sorted(index.glob("_MAIN_*.toc"))
    assert tocs
    for toc in tocs:
        _write_evil_toc(toc, marker, int(toc.stem.rsplit("_", 1)[1]))
    return state


def tree_digest(folder: Path, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha1 and mtime of every file under ``folder`` (links as their target text), by relative path."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if any(rel == s or rel.startswith(s) for s in skip):
            continue
        if path.is_symlink():
            out[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha1(path.read_bytes()).hexdigest() + f":{path.stat().st_mtime_ns}"
    return out


def copy_with_mtimes(source: Path, dest: Path) -> Path:
    """``cp -a``: the folder with its mtimes kept, links as links."""
    shutil.copytree(source, dest, symlinks=True, copy_function=shutil.copy2)
    return dest
