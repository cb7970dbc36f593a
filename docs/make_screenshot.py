"""Regenerate docs/screenshot.svg: the reader on a copy of sample_corpus/, a shared quotation selected.

    .venv/bin/python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "ui"))


async def main() -> None:
    from reader_helpers import goto_shared_quote, settle

    from briefreader.tui.app import ReaderApp

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BRIEFREADER_HOME"] = str(Path(tmp) / "home")  # default settings and theme
        corpus = Path(tmp) / "sample_corpus"
        shutil.copytree(HERE.parent / "sample_corpus", corpus, ignore=shutil.ignore_patterns(".briefreader"))
        app = ReaderApp(corpus)
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(pilot)
            await goto_shared_quote(pilot)
            await settle(pilot)
            (HERE / "screenshot.svg").write_text(app.export_screenshot(title="briefreader"), "utf-8")


if __name__ == "__main__":
    asyncio.run(main())
