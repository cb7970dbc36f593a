"""Subprocess for the index durability tests: writes an index and can pause at a chosen moment.

Usage: python index_writer.py CORPUS_ROOT N_ARTICLES MODE [SEED]

MODE:
- ``hold``: take the index write lock, print ``LOCKED <pid>``, sleep until killed;
- ``before-toc``: index, and when Whoosh is about to publish the new table of contents (segment
  files written, commit not yet visible) print ``COMMITTING`` and sleep until killed;
- ``before-meta``: index and commit, then before briefreader records the commit print
  ``COMMITTED`` and sleep until killed;
- ``slow``: index, sleeping 10 ms per progress step (prints ``STARTED``), to be killed at any moment;
- ``parallel-slow``: the same with two writer processes (``procs=2``);
- ``run``: index and exit, printing ``DONE added=N``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from index_fixtures import make_corpus  # noqa: E402

from briefreader.storage import index as index_module  # noqa: E402


def pause(marker: str) -> None:
    print(marker, flush=True)
    while True:
        time.sleep(60)


def main() -> int:
    root, n, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    corpus = make_corpus(root, n, seed=seed)
    ix = index_module.CorpusIndex.open(root)
    if mode == "hold":
        lock = ix._write_lock()
        print(f"LOCKED {lock.path}", flush=True)
        pause("HOLDING")
    if mode == "before-toc":
        from whoosh.filedb.filestore import FileStorage

        original = FileStorage.rename_file

        def rename_file(self, oldname, newname, safe=False):  # type: ignore[no-untyped-def]
            if newname.endswith(".toc"):
                pause("COMMITTING")
            return original(self, oldname, newname, safe)

        FileStorage.rename_file = rename_file  # type: ignore[method-assign]
    elif mode == "before-meta":
        original_meta = index_module.CorpusIndex._write_meta

        def write_meta(self):  # type: ignore[no-untyped-def]
            if self._ix.doc_count_all():
                pause("COMMITTED")
            return original_meta(self)

        index_module.CorpusIndex._write_meta = write_meta  # type: ignore[method-assign]
    elif mode in ("slow", "parallel-slow"):
        print("STARTED", flush=True)

        def progress(done: int, total: int) -> None:
            time.sleep(0.01)

        report = ix.update(corpus, progress=progress, procs=2 if mode == "parallel-slow" else 1)
        print(f"DONE added={report.added}", flush=True)
        return 0
    report = ix.update(corpus)
    print(f"DONE added={report.added}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
