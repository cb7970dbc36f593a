"""A corpus built the way an attacker would: terminal control sequences, bidi overrides and Rich markup
in file names, titles (first line and front matter), outlets (front matter and manifest), bodies,
quotations and JSON records; plus a broken file whose name carries them into a warning."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

# Each one does something to a terminal or to Rich if it arrives raw.
CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: write the clipboard
WINDOW_TITLE = "\x1b]0;pwned\x07"  # OSC 0: set the window title
CLEAR = "\x1b[2J"  # CSI: clear the screen
HYPERLINK = "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"  # OSC 8 hyperlink, ST-terminated
RLO = "\u202e"  # bidi: right-to-left override
C1_CSI = "\x9b31m"  # a one-byte CSI (C1)
DCS = "\x1bPq#0\x1b\\"  # DCS (sixel) terminated by ST
MARKUP_LINK = "[link=file:///etc/passwd]x[/link]"
MARKUP_CLOSE = "[/bold]"
MARKUP_OPEN = "[red]"
PAYLOAD = CLIPBOARD + WINDOW_TITLE + CLEAR + HYPERLINK + RLO + C1_CSI + DCS
MARKUP = f"{MARKUP_LINK} {MARKUP_CLOSE} {MARKUP_OPEN}"

# What must never be written to a terminal: C0 controls but tab and newline, DEL, C1, bidi controls.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

QUOTE = "We will not walk into the trap that Russia has set for Europe this winter"


def forbidden_in(text: str) -> list[str]:
    """The forbidden characters found in ``text`` (as code points), for assertion messages."""
    return sorted({f"U+{ord(m.group()):04X}" for m in FORBIDDEN.finditer(text)})


def _body(n: int, evil: str) -> str:
    return (
        f"BRUSSELS, Aug 17 — The EU's foreign policy chief said on Sunday {evil} that the bloc was ready.\n\n"
        f"Kallas told reporters: “{QUOTE}.” She added that sanctions would stay {evil} in force.\n\n"
        f"“Europe must {evil} remain united,” Kallas said in a statement. Report number {n} follows "
        f"with more words about the summit, the talks and the ministers who met in Brussels on Sunday.\n"
    )


HOSTILE_TXT = f"hostile-{WINDOW_TITLE}{RLO}-news.txt"
HOSTILE_TITLE = f"Kallas warns {PAYLOAD} {MARKUP}"
FRONT_TITLE = f"Front {PAYLOAD} matter {MARKUP}"
FRONT_OUTLET = f"Outlet {CLIPBOARD}{MARKUP_LINK}"
MANIFEST_OUTLET = f"Wire {WINDOW_TITLE}{MARKUP_CLOSE}"
RECORD_TITLE = f"Record {PAYLOAD} {MARKUP}"
RECORD_OUTLET = f"Records {C1_CSI}{MARKUP_OPEN}"
BAD_BYTES_NAME = b"/bad\xff\x1b]0;x\x07-bytes.txt"
BROKEN_NAME = f"broken-{CLEAR}{MARKUP_OPEN}{RLO}.json"  # a name cannot hold "/"


def make_hostile_corpus(root: Path) -> Path:
    """Write the hostile corpus into ``root`` (created) and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / HOSTILE_TXT).write_text(f"{HOSTILE_TITLE}\n\n{_body(1, PAYLOAD + ' ' + MARKUP)}", encoding="utf-8")
    # front matter: JSON strings are valid YAML double-quoted scalars, escapes included
    (root / "front.md").write_text(
        f"---\ntitle: {json.dumps(FRONT_TITLE)}\noutlet: {json.dumps(FRONT_OUTLET)}\ndate: 2025-08-17\n"
        f"author: {json.dumps('A. ' + RLO + 'Writer ' + MARKUP_CLOSE)}\n---\n\n{_body(2, CLEAR + MARKUP_OPEN)}",
        encoding="utf-8",
    )
    (root / "wire.txt").write_text(f"Wire copy {MARKUP_OPEN}title\n\n{_body(3, HYPERLINK)}", encoding="utf-8")
    records = [
        {"id": f"rec-{WINDOW_TITLE}", "title": RECORD_TITLE, "outlet": RECORD_OUTLET, "date": "2025-08-18",
         "url": f"https://example.org/{RLO}x", "text": _body(4, PAYLOAD + MARKUP)},
        {"id": "rec-2", "title": "A calm record", "outlet": "Calm", "date": "2025-08-19", "text": _body(5, "")},
    ]
    (root / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (root / BROKEN_NAME).write_text("{ not json", encoding="utf-8")
    try:  # a name that is not UTF-8 (Python sees lone surrogates): one warning, never a crash
        with open(os.fsencode(root) + BAD_BYTES_NAME, "wb") as handle:
            handle.write(b"A title\n\nKallas said the talks went on in Brussels on Sunday.\n")
    except OSError:  # a file system that only takes UTF-8 names
        pass
    (root / "briefreader.yaml").write_text(
        f"files:\n  wire.txt:\n    outlet: {json.dumps(MANIFEST_OUTLET)}\n", encoding="utf-8"
    )
    return root
