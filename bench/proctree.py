"""Run a command and measure what it costs over all its processes: wall time, CPU seconds and the
peak of the memory its whole process tree holds at once.

A command that forks or spawns workers (the index build, the loader's pool) is not measured by its
own ``ru_maxrss``, and ``RUSAGE_CHILDREN``'s ``ru_maxrss`` is the largest single descendant, not the
sum. Here the tree (the command and every descendant, found through ``/proc/PID/task/*/children``)
is sampled every ``interval`` seconds: the peak of the summed RSS (pages shared between a parent
and its forked children counted once per process: an upper bound) and of the summed PSS (shared
pages split between their holders: the memory the tree really takes). CPU seconds (user + sys) come
from ``wait4`` of the command, which includes every descendant it waited for.

    python bench/proctree.py -- COMMAND ARG...     # prints the figures on stderr
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class Measured:
    """What one command cost: wall and CPU seconds, peak summed RSS and PSS (MB), the most
    processes seen at once, its exit code and captured stderr."""

    wall: float
    cpu: float
    peak_rss_mb: float
    peak_pss_mb: float
    max_procs: int
    returncode: int
    stderr: str = ""


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for task in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except OSError:
            continue
        out.extend(int(word) for word in text.split())
    return out


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants alive now."""
    found = [pid]
    index = 0
    while index < len(found):
        found.extend(_children(found[index]))
        index += 1
    return found


def _rss_kb(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
        return int(fields[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return 0


class TreeSampler:
    """Samples the memory of ``pid``'s process tree in a thread until :meth:`stop`."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.max_procs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def sample(self) -> None:
        pids = tree(self.pid)
        self.max_procs = max(self.max_procs, len(pids))
        self.peak_rss_kb = max(self.peak_rss_kb, sum(_rss_kb(p) for p in pids))
        self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(p) for p in pids))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(argv: list[str], *, env: dict[str, str] | None = None, interval: float = 0.1,
                 stdout: int | None = subprocess.DEVNULL) -> Measured:
    """Run ``argv`` to its end and measure it (stderr captured, stdout discarded by default)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid, interval).start()
    stderr_parts: list[str] = []
    reader = threading.Thread(target=lambda: stderr_parts.append(process.stderr.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    sampler.stop()
    reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measured(wall, usage.ru_utime + usage.ru_stime, sampler.peak_rss_kb / 1024, sampler.peak_pss_kb / 1024,
                    sampler.max_procs, process.returncode, "".join(stderr_parts))


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        raise SystemExit(__doc__)
    measured = run_measured(argv, stdout=None)
    sys.stderr.write(measured.stderr)
    sys.stderr.write(f"wall {measured.wall:.2f} s, cpu {measured.cpu:.2f} s, peak over the tree: RSS "
                     f"{measured.peak_rss_mb:.0f} MB, PSS {measured.peak_pss_mb:.0f} MB "
                     f"(up to {measured.max_procs} processes), load {os.getloadavg()[0]:.1f}, "
                     f"exit {measured.returncode}\n")
    raise SystemExit(measured.returncode)


if __name__ == "__main__":
    main()
