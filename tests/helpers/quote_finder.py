"""Finding one quotation of an invented article body, for the speaker tests."""

from __future__ import annotations

from briefreader.core.quotes import Quote, extract_quotes


def quote_starting(body: str, starting: str) -> Quote:
    """The quote of ``body`` whose text starts with ``starting``."""
    found = [q for q in extract_quotes("a", body) if q.text.startswith(starting)]
    assert found, [q.text for q in extract_quotes("a", body)]
    return found[0]
