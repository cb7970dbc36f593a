"""Turn file bytes into text: BOMs, UTF-8, UTF-16, legacy single-byte code pages, binary detection."""

from __future__ import annotations

import codecs
import re
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
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
    return _decode_with(data, _guess_legacy(data))


# Offsets named in the warning for UTF-8 with stray bytes (the rest are counted).
SHOWN_OFFSETS = 5
_STRAY = re.compile("[\udc80-\udcff]")  # stray bytes, as surrogateescape decodes them


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few stray bytes (a Windows curly quote pasted into a UTF-8 file, a cut), read as
    UTF-8 with each stray byte replaced by U+FFFD and a warning naming where they are; None when
    the bytes look like a legacy code page instead.

    UTF-8 it is when the file holds valid multi-byte sequences, at least as many as stray bytes,
    and the stray bytes are few (at most 4, or 1% of the file): text in a legacy code page has almost no valid
    UTF-8 sequences (its accented letters and quotes are single high bytes next to ASCII).
    """
    text = data.decode("utf-8", errors="surrogateescape")
    replaced, stray_count = _STRAY.subn("\ufffd", text)
    if stray_count == 0:
        return Decoded(text, "utf-8")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))  # counted without a list per character
    multibyte = non_ascii - stray_count  # valid sequences, one character each
    if multibyte < stray_count or stray_count > max(4, 0.01 * len(data)):
        return None
    offsets: list[int] = []
    byte_offset = 0
    last_char = 0
    for match in _STRAY.finditer(text):
        byte_offset += len(text[last_char:match.start()].encode("utf-8", "surrogateescape"))
        offsets.append(byte_offset)
        byte_offset += 1
        last_char = match.end()
        if len(offsets) == SHOWN_OFFSETS:
            break
    shown = ", ".join(str(offset) for offset in offsets)
    more = f" and {stray_count - len(offsets)} more" if stray_count > len(offsets) else ""
    plural = "s" if stray_count > 1 else ""
    warning = (f"{stray_count} byte{plural} that {'are' if plural else 'is'} not UTF-8 replaced with U+FFFD "
               f"(at byte offset{plural} {shown}{more})")
    return Decoded(replaced, "utf-8", warning)


def _guess_legacy(data: bytes) -> str:
    sample = data[:65536]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
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
