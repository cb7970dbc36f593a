"""What the reader may hand to a browser or file opener (pure functions, no UI import).

An article's URL comes from the corpus (front matter, a JSON field, the manifest): it is untrusted.
A "URL" such as ``--remote-debugging-port=...`` would reach the opener as an option, ``file:``,
``javascript:`` or ``data:`` would open something other than a web page. Only absolute ``http`` /
``https`` URLs with a host pass, without whitespace or control characters, made ASCII; anything else
is refused and the reader opens the article's own file instead (inside the corpus folder only).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

from briefreader.core.inert import is_inert

WEB_SCHEMES = frozenset({"http", "https"})
# characters a URL may keep as they are; the rest (non-ASCII, quotes, spaces...) is percent-encoded
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def safe_http_url(url: str | None) -> str | None:
    """``url`` ready for a browser when it is an absolute http(s) URL with a host, else None.

    Refused: other schemes (``file:``, ``javascript:``...), relative or host-less URLs, anything
    starting with ``-``, and any whitespace, control or bidi character. Non-ASCII characters are
    percent-encoded, so the opener's command line holds ASCII only.
    """
    if not url or not isinstance(url, str) or len(url) > 8192:
        return None
    if url.startswith("-") or any(char.isspace() for char in url) or not is_inert(url, one_line=True):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc or not host:
        return None
    if not parts.netloc.isascii():  # an international host name: its ASCII (punycode) form
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = (quote(userinfo, safe=_URL_SAFE) + "@" if userinfo else "") + ascii_host
        netloc += f":{parts.port}" if parts.port is not None else ""
        url = parts._replace(netloc=netloc).geturl()
    safe = quote(url, safe=_URL_SAFE)
    return safe if safe.lower().startswith(("http://", "https://")) else None


def article_file_uri(root: Path | str, relative_path: str) -> str | None:
    """The ``file:`` URI of an article's file when it is a regular file inside ``root``, else None."""
    try:
        base = Path(root).resolve()
        target = (base / relative_path).resolve()
        target.relative_to(base)
    except (OSError, ValueError, RuntimeError):
        return None
    if not target.is_file():
        return None
    return target.as_uri()
