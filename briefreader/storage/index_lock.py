"""The index's write lock and the processes that may inherit it.

One writer at a time: an exclusive ``flock`` on ``index.lock`` next to the index folder (the OS
drops it when the holder dies, so a killed process never leaves a stale lock; the lock file is
opened 0600 and never through a symbolic link); a second writer waits, then gets
:class:`IndexBusyError`. A forked child closes its inherited copy of the lock at once (a child
outliving its parent must not keep the corpus locked). The sub-writers of a parallel build
(:func:`parallel_writer`) die with the process that started them, so a killed indexer leaves no
orphan waiting forever on its queues.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import time
from pathlib import Path
from typing import Any

from briefreader.core.paths import open_private_file

log = logging.getLogger(__name__)


class IndexBusyError(Exception):
    """Another process (or thread) is writing this index."""


_lock_fds: set[int] = set()


def _after_fork_in_child() -> None:
    """Forked children must not keep our write lock."""
    for fd in list(_lock_fds):
        try:
            os.close(fd)
        except OSError as exc:
            log.debug("closing the inherited index lock %d: %s", fd, exc)
    _lock_fds.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel kill this process when its parent (pid ``parent``) dies
    (PR_SET_PDEATHSIG); exit at once if it died already, between the fork and this call (the
    kernel's signal then never comes: a parent killed while forking left a sub-writer behind)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError) as exc:  # not Linux: an orphan may linger until its queue closes
        log.debug("sub-writer cannot follow its parent: %s", exc)
    if os.getppid() != parent:
        log.debug("sub-writer's parent %d died before it started: exiting", parent)
        os._exit(1)


class SegmentLengths:
    """The per-document reader a segment writer hands its postings writer when it writes the
    segment out, answering ``doc_field_length`` from each field's lengths read once.

    Whoosh's own reader looks the length column up again for every posting: a field without one
    (the unscored pair field) stats the column file per posting, a field with one reads a byte
    through a file object per posting (at 10k articles 4 million calls, a seventh of the build's
    CPU). Same answers: the length of a stored byte, None for a zero byte, ``default`` for a field
    without a length column; everything else goes to Whoosh's reader."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int | None] | None] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def _field_lengths(self, fieldname: str) -> list[int | None] | None:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
        from whoosh.util.numeric import byte_to_length

        column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        return [byte_to_length(value) if value else None for value in column]

    def doc_field_length(self, docnum: int, fieldname: str, default: Any = 0) -> Any:
        """The length of ``fieldname`` in document ``docnum`` (as Whoosh's reader says it)."""
        try:
            lengths = self._lengths[fieldname]
        except KeyError:
            lengths = self._lengths[fieldname] = self._field_lengths(fieldname)
        if lengths is None:
            return default
        if 0 <= docnum < len(lengths):
            return lengths[docnum]
        return self._reader.doc_field_length(docnum, fieldname, default)


def _segment_writer_class() -> Any:
    """Whoosh's segment writer writing its segment out through :class:`SegmentLengths`."""
    from whoosh.writing import SegmentWriter

    class LengthCachingSegmentWriter(SegmentWriter):
        def per_document_reader(self) -> Any:
            return SegmentLengths(super().per_document_reader())

    return LengthCachingSegmentWriter


def segment_writer(ix: Any, **kwargs: Any) -> Any:
    """A Whoosh writer for ``ix`` in this process (as ``ix.writer(**kwargs)``), whose commit writes
    the postings with lengths read once per field (:class:`SegmentLengths`)."""
    return _segment_writer_class()(ix, **kwargs)


def parallel_writer(ix: Any, procs: int, **kwargs: Any) -> Any:
    """A Whoosh writer indexing in ``procs`` forked sub-writers, each of which dies with this process.

    It forks its ``procs`` sub-writers at once (Whoosh would fork them at the first documents, when
    the caller may hold a corpus they would share page by page): call it only from a process without
    threads (the CLI), never inside the reader, and before reading what is to be indexed."""
    import whoosh.multiproc
    from whoosh.multiproc import MpWriter, SubWriterTask

    parent = os.getpid()

    class SubWriter(SubWriterTask):
        def run(self) -> None:
            _die_with_parent(parent)
            # this forked process only: the task's writer is built from the module's name
            whoosh.multiproc.SegmentWriter = _segment_writer_class()
            super().run()

    class Writer(MpWriter):
        def per_document_reader(self) -> Any:
            return SegmentLengths(super().per_document_reader())

        def _new_task(self) -> SubWriter:
            task = SubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                             self.multisegment)
            self.tasks.append(task)
            task.start()
            return task

    writer = Writer(ix, procs=procs, **kwargs)
    try:
        for _ in range(procs):  # forked now, before the caller reads articles: they share nothing large
            writer._new_task()
    except BaseException:
        writer.cancel()
        raise
    return writer


class WriteLock:
    """An exclusive flock on a file; released by the OS if the holder dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self, wait: float) -> None:
        fd = open_private_file(self.path)
        deadline = time.monotonic() + wait
        delay = 0.02
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = self._holder(fd)
                    os.close(fd)
                    who = f" (pid {holder})" if holder else ""
                    raise IndexBusyError(f"another briefreader{who} is indexing this corpus right now; "
                                         "try again when it has finished") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        _lock_fds.add(fd)

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            return os.pread(fd, 32, 0).decode().strip()
        except OSError:
            return ""

    def release(self) -> None:
        if self.fd is None:
            return
        _lock_fds.discard(self.fd)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> WriteLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
