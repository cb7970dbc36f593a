"""Run one slow, CPU-bound job in a spawned child process, so that it neither holds the reader's GIL
nor keeps its memory: the child reports progress and one result through a pipe.

Never fork (the reader is multi-threaded). A child that cannot start or dies raises
:class:`ChildFailed`, so the caller can do the work itself; cancellation ends the child.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Progress = Callable[..., None]


class ChildFailed(Exception):
    """The child could not run the job (it could not start, raised, or died)."""


class ChildReporter:
    """What the child's job gets to report progress with: ``reporter(*values)``."""

    def __init__(self, sender: Any) -> None:
        self._sender = sender

    def __call__(self, *values: Any) -> None:
        self._sender.send(("progress", *values))


def run_isolated(
    job: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    name: str,
    cancelled: Callable[[], bool] | None = None,
    progress: Progress | None = None,
) -> tuple[bool, Any]:
    """Run ``job(*args, reporter)`` in a spawned child; (True, result), or (False, None) if cancelled.

    ``job`` must be a module-level function (it is imported by name in the child) and its result
    picklable. ``progress(*values)`` receives what the job reports.
    """
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    try:
        process = ctx.Process(target=_child_main, args=(job, args, sender), daemon=True, name=name)
        process.start()
    except Exception as exc:
        raise ChildFailed(f"could not start {name}: {exc}") from exc
    finally:
        sender.close()
    try:
        while True:
            if cancelled is not None and cancelled():
                return False, None
            if not receiver.poll(0.1):
                if not process.is_alive() and not receiver.poll(0):
                    raise ChildFailed(f"{name} ended (exit code {process.exitcode})")
                continue
            try:
                kind, *payload = receiver.recv()
            except (EOFError, OSError) as exc:
                raise ChildFailed(f"{name} ended") from exc
            if kind == "progress":
                if progress is not None:
                    progress(*payload)
            elif kind == "error":
                raise ChildFailed(f"{name} failed: {payload[0]}")
            elif kind == "done":
                return True, payload[0]
    finally:
        receiver.close()
        if process.is_alive():
            process.terminate()
        process.join(timeout=5)


def _child_main(job: Callable[..., Any], args: tuple[Any, ...], sender: Any) -> None:
    try:
        result = job(*args, ChildReporter(sender))
        sender.send(("done", result))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which then works itself
        try:
            sender.send(("error", f"{type(exc).__name__}: {exc}"))
        except Exception:  # the parent is gone: nobody left to tell
            log.debug("could not report a child failure", exc_info=True)
    finally:
        sender.close()
