"""Subprocess used by the durability tests: writes triage actions and prints each one once committed.

Usage: python triage_writer.py DB_PATH PREFIX COUNT [GO_FILE [late]]
COUNT 0 means "until killed". With GO_FILE, waits until that file exists before writing (so two
writers start together); with "late", opens the store only then (so they race to create it).
Prints "ACK <kind> <key>" after each action returns (is committed).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from briefreader.core.model import Article
from briefreader.storage.triage_store import TriageStore


def main() -> int:
    db_path, prefix, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    go = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    late = len(sys.argv) > 5 and sys.argv[5] == "late"
    store = None if late else TriageStore(db_path)
    print("READY", flush=True)
    if go is not None:
        while not go.exists():
            time.sleep(0.002)
    if store is None:
        store = TriageStore(db_path)
    body = "Opening line.\n\nThe minister said the talks would resume on Monday.\n\nClosing line."
    i = 0
    while count == 0 or i < count:
        aid = f"{prefix}-{i}.txt"
        kind = ("status", "tag", "highlight", "shared-tag")[i % 4]
        if kind == "status":
            store.set_status([aid], "keep")
            key = aid
        elif kind == "tag":
            store.add_tags([aid], [f"t-{prefix}-{i}"])
            key = f"{aid}|t-{prefix}-{i}"
        elif kind == "highlight":
            art = Article(id=aid, path=aid, format="txt", body=body)
            h = store.add_highlight(art, 15, 51, comment=f"c-{prefix}-{i}")
            key = str(h.id)
        else:
            store.add_tags(["shared.txt"], [f"s-{prefix}-{i}"])
            key = f"shared.txt|s-{prefix}-{i}"
        print(f"ACK {kind} {key}", flush=True)
        i += 1
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
