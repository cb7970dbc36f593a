"""core.urls: what `o` in the reader may hand to a browser or file opener."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefreader.core.urls import article_file_uri, safe_http_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/story?id=1#p2", "https://example.org/story?id=1#p2"),
        ("HTTP://Example.org", "HTTP://Example.org"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("https://example.org/über", "https://example.org/%C3%BCber"),  # the opener gets ASCII only
        ("https://münchen.de/a", "https://xn--mnchen-3ya.de/a"),
        ('https://example.org/"><script>', "https://example.org/%22%3E%3Cscript%3E"),
    ],
)
def test_web_urls_pass(url: str, expected: str) -> None:
    assert safe_http_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        None, "", "--remote-debugging-port=9222", "-https://example.org", "file:///etc/passwd",
        "javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/", "//example.org/a",
        "example.org/a", "http:///path-only", "https://example.org:99999/", "https://exa mple.org/",
        " https://example.org/", "https://example.org/\n", "https://example.org/\x1b]0;x\x07",
        "https://exa\u202emple.org/", "https://example.org/\x9b", "https://" + "a" * 9000 + ".org",
    ],
)
def test_everything_else_is_refused(url: str | None) -> None:
    assert safe_http_url(url) is None


def test_article_file_uri_stays_inside_the_corpus(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a b.txt").write_text("x", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("x", encoding="utf-8")
    os.symlink(outside, root / "link.txt")
    assert article_file_uri(root, "a b.txt") == (root / "a b.txt").resolve().as_uri()
    assert article_file_uri(root, "../secret.txt") is None
    assert article_file_uri(root, "link.txt") is None  # resolves outside the folder
    assert article_file_uri(root, "missing.txt") is None
    assert article_file_uri(root, ".") is None  # not a file
