"""Metadata inferred from an article's text: title, outlet, dateline, date, author.

(Interim version: infers nothing; the text-based inference replaces it.)
"""

from __future__ import annotations

from briefreader.core.clean import CleanResult

FIELDS = ("title", "outlet", "dateline", "date", "author", "url")


def infer_metadata(source: str, result: CleanResult) -> dict[str, str | None]:
    """What the text says about itself; unknown stays None."""
    return {name: None for name in FIELDS}
