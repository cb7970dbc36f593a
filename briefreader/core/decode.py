"""Turn file bytes into text: BOMs, UTF-8, UTF-16, legacy single-byte code pages, binary detection."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# Legacy code pages that are interchangeable with cp1252 for Western text; when the detector picks
# one of them we decode as cp1252 (what Windows editors actually wrote), falling back to latin-1.
_WESTERN = {"cp1252", "windows-1252", "latin_1", "iso8859_1", "iso8859_15", "cp1250", "windows-1250",
            "mac_roman", "cp850", "iso8859_2", "mac_latin2", "cp437", "ascii", "utf_8"}

_MAGIC = {
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (docx/xlsx/epub?)",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
    b"SQLite format 3": "SQLite database",
    b"\xd0\xcf\x11\xe0": "MS Office document",
    b"{\\rtf": "RTF document",
}


_HIGH_BYTES = bytes(range(0x80, 0x100))


class BinaryFileError(ValueError):
    """The bytes are not text."""


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None  # e.g. undecodable bytes replaced


def _looks_utf16_without_bom(head: bytes) -> str | None:
    if len(head) < 4:
        return None
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = len(head) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode file bytes to text. Raises BinaryFileError for binary content; never fails otherwise."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise BinaryFileError(f"binary file ({kind})")
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return _decode_with(data, "utf-32")
    if data.startswith(codecs.BOM_UTF8):
        return _decode_with(data[len(codecs.BOM_UTF8):], "utf-8", label="utf-8-sig")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _decode_with(data, "utf-16")
    head = data[:8192]
    utf16 = _looks_utf16_without_bom(head)
    if utf16:
        return _decode_with(data, utf16)
    if b"\x00" in head:
        raise BinaryFileError("binary file (contains NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        # A file cut in the middle of a multi-byte character (partial read) is still UTF-8.
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return Decoded(data[: exc.start].decode("utf-8"), "utf-8")
        utf8_error = exc
    encoding = _guess_legacy(data)
    if encoding is None:
        # Mostly UTF-8 with a few bad bytes: keep UTF-8 and replace the bad bytes.
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        return Decoded(text, "utf-8", f"{bad} undecodable byte(s) replaced (first at byte {utf8_error.start})")
    return _decode_with(data, encoding)


def _guess_legacy(data: bytes) -> str | None:
    sample = data[:65536]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    # Valid UTF-8 sequences mixed with a few stray bytes: probably UTF-8 with damage.
    if sample.decode("utf-8", errors="replace").count("\ufffd") < 0.2 * max(high, 1) and high > 8:
        return None
    # Western text in a legacy code page has few non-ASCII bytes among many ASCII letters (accents,
    # curly quotes, dashes); text in a non-Latin script is mostly high bytes. The first case needs no
    # detector (which costs milliseconds per file and confuses cp1252 with cp1250 on short texts).
    letters = sum(sample.count(c) for c in b"etaoinsrhl")
    if high <= 0.1 * letters:
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(sample).best()
    except Exception:  # the detector is a heuristic; never let it break a load
        best = None
    name = best.encoding if best is not None else "cp1252"
    if name in _WESTERN:
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"
    return name


def _decode_with(data: bytes, encoding: str, label: str | None = None) -> Decoded:
    try:
        return Decoded(data.decode(encoding), label or encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        return Decoded(text, label or encoding, f"{bad} undecodable byte(s) replaced")
