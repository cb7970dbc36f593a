"""Reading one article file: decode it, parse its format (front matter, JSON records, HTML page),
clean each article and add its metadata. Bad content never raises: it becomes a :class:`LoadWarning`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat as stat_module
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from briefreader.core import clean as cleaning
from briefreader.core.decode import BinaryFileError, decode_bytes
from briefreader.core.manifest import Manifest
from briefreader.core.dates import display_date, has_year
from briefreader.core.filemeta import NameMetadata
from briefreader.core.metadata import FROM_WIRE, infer_metadata, parse_date
from briefreader.core.model import Article, ArticleSummary, LoadWarning, OffsetMap, RemovedBlock
from briefreader.core.paths import MANIFEST_NAME
from briefreader.storage.corpus_files import ARTICLE_SUFFIXES

# Past this size a text/markdown/HTML file is read partially (the first MAX_ARTICLE_BYTES), with a warning.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
# JSON/JSONL hold many articles; past this size they are read partially too.
MAX_COLLECTION_BYTES = 256 * 1024 * 1024
# Front matter is a few lines of metadata; a bigger block is refused (metadata ignored, text kept).
MAX_FRONT_MATTER_CHARS = 64 * 1024
# A JSON/JSONL file reports at most this many broken or skipped records one by one; the rest are counted.
MAX_RECORD_WARNINGS = 5
METADATA_FIELDS = ("title", "outlet", "dateline", "date", "author", "url", "language", "source_agency")
# where metadata a file states came from, by format (Article.provenance)
_GIVEN_SOURCE = {"md": "front matter", "html": "page metadata", "json": "record fields", "jsonl": "record fields",
                 "txt": "file"}

logger = logging.getLogger(__name__)




@dataclass
class _Record:
    """One article-to-be from a file, before cleaning."""

    id: str
    path: str
    format: str
    source: str
    given: dict[str, Any]  # metadata the file states (front matter, JSON fields, HTML meta)
    clean_from: int = 0  # cleaning starts here (after front matter)
    encoding: str = "utf-8"
    content_hash: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class FileResult:
    """What one file yielded: its articles (cleaned without cross-article evidence) and their
    line fingerprints, plus file-level warnings."""

    path: str
    size: int
    mtime_ns: int
    articles: list[Article]
    fingerprints: list[frozenset[str]]
    warnings: list[LoadWarning]


def _read_bytes(path: Path, limit: int) -> tuple[bytes, int]:
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
        size = os.fstat(fh.fileno()).st_size
    return data[:limit], max(size, len(data))


def _hash(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _split_front_matter(text: str) -> tuple[dict[str, Any], int, str | None]:
    """YAML front matter of a Markdown text: (data, offset where the body starts, error)."""
    if not text.startswith("---"):
        return {}, 0, None
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return {}, 0, None
    end = -1
    pos = first_nl + 1
    while True:
        nl = text.find("\n", pos)
        line = text[pos: nl if nl >= 0 else len(text)]
        if line.strip() in ("---", "..."):
            end = nl + 1 if nl >= 0 else len(text)
            block = text[first_nl + 1: pos]
            break
        if nl < 0:
            return {}, 0, "front matter is not closed with '---'; read as text"
        pos = nl + 1
    from briefreader.core.safe_yaml import YAMLProblem, load_yaml

    try:
        data = load_yaml(block, max_chars=MAX_FRONT_MATTER_CHARS) or {}
    except YAMLProblem as exc:
        where = f" (line {exc.line + 1})" if exc.line is not None else ""  # + the opening '---'
        return {}, end, f"broken front matter{where}: {exc.problem}; metadata ignored"
    if not isinstance(data, dict):
        return {}, end, "front matter is not a mapping; metadata ignored"
    return data, end, None


_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "outlet": ("outlet", "source", "site", "sitename", "site_name", "publisher", "publication", "media"),
    "date": ("date", "published", "published_at", "publication_date", "pubdate", "datetime", "time"),
    "author": ("author", "authors", "byline", "creator"),
    "url": ("url", "link", "source_url", "canonical_url"),
    "language": ("language", "lang"),
    "dateline": ("dateline", "place", "location"),
    "source_agency": ("source_agency", "agency", "wire"),
}
_TEXT_KEYS = ("text", "body", "content", "article", "full_text", "maintext")


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        parts = [_as_text(v) for v in value]
        joined = ", ".join(p for p in parts if p)
        return joined or None
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("title"))
    text = str(value).strip()
    return text or None


def _given_fields(data: dict[str, Any]) -> dict[str, Any]:
    lowered = {str(k).lower(): v for k, v in data.items()}
    out: dict[str, Any] = {}
    for name, aliases in _FIELD_ALIASES.items():
        for alias in aliases:
            if alias in lowered and lowered[alias] not in (None, "", []):
                value = lowered[alias]
                out[name] = value if name == "date" else _as_text(value)
                break
    return out


def _records_from_json(rel: str, text: str, fmt: str) -> tuple[list[_Record], list[str]]:
    from briefreader.core.safe_json import MAX_JSON_DEPTH, too_deep

    warnings: list[str] = []
    objects: list[tuple[int, Any]] = []
    if fmt == "jsonl":
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            if too_deep(line):  # two str.count per line; a scan only for lines with many brackets
                warnings.append(f"line {lineno}: nested deeper than {MAX_JSON_DEPTH} levels, record skipped")
                continue
            try:
                objects.append((lineno, json.loads(line)))
            except json.JSONDecodeError as exc:
                warnings.append(f"line {lineno}: broken JSON ({exc.msg}), record skipped")
            except RecursionError:  # cannot happen below the limit; kept as a last guard
                warnings.append(f"line {lineno}: nested deeper than {MAX_JSON_DEPTH} levels, record skipped")
    else:
        if too_deep(text):
            return [], [f"nested deeper than {MAX_JSON_DEPTH} levels; file skipped"]
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            return [], [f"broken JSON at line {exc.lineno} column {exc.colno} ({exc.msg}), file skipped"]
        except RecursionError:
            return [], [f"nested deeper than {MAX_JSON_DEPTH} levels; file skipped"]
        if isinstance(parsed, dict):
            for key in ("articles", "items", "records", "data", "results"):
                if isinstance(parsed.get(key), list):
                    parsed = parsed[key]
                    break
        if isinstance(parsed, dict):
            objects = [(1, parsed)]
        elif isinstance(parsed, list):
            objects = list(enumerate(parsed, 1))
        else:
            return [], ["JSON holds neither an article object nor a list of them, file skipped"]
    records: list[_Record] = []
    multi = fmt == "jsonl" or len(objects) > 1 or text.lstrip().startswith("[")
    for number, obj in objects:
        where = f"line {number}" if fmt == "jsonl" else f"record {number}"
        if not isinstance(obj, dict):
            warnings.append(f"{where}: not an object, skipped")
            continue
        lowered = {str(k).lower(): v for k, v in obj.items()}
        body = next((lowered[k] for k in _TEXT_KEYS if isinstance(lowered.get(k), str) and lowered[k].strip()), None)
        if body is None:
            warnings.append(f"{where}: no text field ({'/'.join(_TEXT_KEYS[:3])}), skipped")
            continue
        if len(body) > MAX_ARTICLE_BYTES:  # the same bound as a text file: one article, not a book
            warnings.append(f"{where}: text is {len(body) / 2**20:.1f} million characters, too long for one "
                            f"article; only the first {MAX_ARTICLE_BYTES / 2**20:.0f} million are kept")
            body = body[:MAX_ARTICLE_BYTES]
        article_id = f"{rel}#{number}" if multi else rel
        canonical = json.dumps(obj, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
        records.append(_Record(article_id, rel, fmt, body, _given_fields(obj), content_hash=_hash(canonical)))
    if not records and not warnings:
        warnings.append("no articles in this JSON file")
    return records, _summarised(warnings)


def _summarised(warnings: list[str], keep: int = MAX_RECORD_WARNINGS) -> list[str]:
    """The first ``keep`` record warnings of a file, then one line counting the rest (a file of
    100,000 broken lines is one problem, not 100,000 lines on the screen)."""
    if len(warnings) <= keep + 1:
        return warnings
    return warnings[:keep] + [f"... and {len(warnings) - keep:,} more problems with records, like these"]


def _records_from_html(rel: str, text: str, data_hash: str) -> tuple[list[_Record], list[str]]:
    from briefreader.core.html import extract_html

    extracted = extract_html(text)
    if not extracted.text.strip():
        return [], ["no article text found in this HTML page, skipped"]
    return [_Record(rel, rel, "html", extracted.text, extracted.metadata, content_hash=data_hash)], []


def read_file(root: Path, rel: str) -> tuple[list[_Record], list[LoadWarning], os.stat_result | None]:
    """Read one article file into records (not yet cleaned). Never raises for bad content."""
    path = Path(root) / rel
    fmt = ARTICLE_SUFFIXES[Path(rel).suffix.lower()]
    warnings: list[LoadWarning] = []
    try:
        st = path.stat()
        if not stat_module.S_ISREG(st.st_mode):
            return [], [LoadWarning(rel, "not a regular file, skipped")], None
        limit = MAX_COLLECTION_BYTES if fmt in ("json", "jsonl") else MAX_ARTICLE_BYTES
        data, size = _read_bytes(path, limit)
    except PermissionError:
        return [], [LoadWarning(rel, "permission denied, skipped")], None
    except OSError as exc:
        return [], [LoadWarning(rel, f"unreadable ({exc.strerror or exc}), skipped")], None
    if size == 0 or not data.strip():
        return [], [LoadWarning(rel, "empty file, skipped")], st
    if size > len(data):
        if fmt in ("json", "jsonl"):
            warnings.append(LoadWarning(rel, f"file is {size / 2**20:.0f} MB; only the first "
                                             f"{len(data) / 2**20:.0f} MB were read"))
        else:
            warnings.append(LoadWarning(rel, f"file is {size / 2**20:.1f} MB, too big for one article; "
                                             f"read partially (first {len(data) / 2**20:.0f} MB)"))
    try:
        decoded = decode_bytes(data)
    except BinaryFileError as exc:
        return [], [LoadWarning(rel, f"{exc}, skipped")], st
    if decoded.warning:
        warnings.append(LoadWarning(rel, f"{decoded.encoding}: {decoded.warning}"))
    text = decoded.text
    data_hash = _hash(data)
    record_warnings: list[str] = []
    if fmt in ("json", "jsonl"):
        records, record_warnings = _records_from_json(rel, text, fmt)
    elif fmt == "html":
        records, record_warnings = _records_from_html(rel, text, data_hash)
    elif fmt == "md":
        given, body_start, problem = _split_front_matter(text)
        if problem:
            record_warnings.append(problem)
        records = [_Record(rel, rel, fmt, text, _given_fields(given), clean_from=body_start,
                           content_hash=data_hash)]
    else:
        records = [_Record(rel, rel, fmt, text, {}, content_hash=data_hash)]
    warnings.extend(LoadWarning(rel, w) for w in record_warnings)
    for r in records:
        r.encoding = decoded.encoding
    if fmt not in ("json", "jsonl") and records and not records[0].source[records[0].clean_from:].strip():
        return [], warnings + [LoadWarning(rel, "no text after the front matter, skipped")], st
    return records, warnings, st


# --------------------------------------------------------------------------- cleaning and metadata


def _shift(result: cleaning.CleanResult, by: int) -> cleaning.CleanResult:
    if not by:
        return result
    offsets = OffsetMap([(c, s + by, n) for c, s, n in result.offsets.segments])
    removed = [RemovedBlock(r.text, r.reason, r.start + by, r.end + by) for r in result.removed]
    return cleaning.CleanResult(result.body, offsets, removed)


def _clean_record(record: _Record, rules: cleaning.CleaningRules, repeated: frozenset[str],
                  lines: list[cleaning.Line] | None = None) -> cleaning.CleanResult:
    # an HTML page's text comes from the extractor, which already took the article out of its page
    result = _shift(cleaning.clean_text(record.source[record.clean_from:], rules, repeated,
                                        find_article_run=record.format != "html", lines=lines), record.clean_from)
    if record.clean_from:
        front = RemovedBlock(record.source[: record.clean_from], "front matter (metadata)", 0, record.clean_from)
        result.removed.insert(0, front)
    return result


def normalise_date(value: Any, rules: cleaning.CleaningRules | None = None) -> str | None:
    """ISO 8601 form of a date given as metadata (YAML date, ISO string, common numeric forms)."""
    import datetime as dt

    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) >= 10:
        with contextlib.suppress(ValueError):  # not ISO: the other forms below
            return dt.date.fromisoformat(text[:10]).isoformat()
    return _partial_iso(text) or parse_date(text, rules)


def _partial_iso(text: str) -> str | None:
    import re

    if re.fullmatch(r"\d{4}(-\d{2})?", text) or re.fullmatch(r"-{2,3}\d{2}(-\d{2})?", text):
        return text
    return None


def _build_article(record: _Record, result: cleaning.CleanResult, manifest: Manifest, order: int,
                   rules: cleaning.CleaningRules) -> Article:
    provenance: dict[str, str] = {}
    inferred = infer_metadata(record.source, result, rules, provenance)
    manifest_given = manifest.metadata_for(record.path)
    given = dict(record.given)
    given.update(manifest_given)
    meta: dict[str, Any] = {name: inferred.get(name) for name in METADATA_FIELDS}
    provenance = {name: where for name, where in provenance.items() if meta.get(name) is not None}
    warnings = list(record.warnings)
    for name in METADATA_FIELDS:
        value = given.get(name)
        if value in (None, ""):
            continue
        if name == "date":
            iso = normalise_date(value, rules)
            if iso is None:
                warnings.append(f"date {value!r} is not a date I can read; ignored")
                continue
            value = iso
        value = value if name == "date" else _as_text(value)
        where = "manifest" if name in manifest_given else _GIVEN_SOURCE.get(record.format, "file")
        _record_source(provenance, name, where, meta.get(name), value)
        meta[name] = value
    return Article(
        id=record.id, path=record.path, format=record.format, body=result.body, source=record.source,
        removed=result.removed, offsets=result.offsets, warnings=warnings, encoding=record.encoding,
        content_hash=record.content_hash, order=order, provenance=provenance, **meta,
    )


def _record_source(provenance: dict[str, str], name: str, where: str, old: Any, new: Any) -> None:
    """``where`` gave ``new`` for field ``name``: record it, keeping what an overridden source said
    when it said something else ("manifest; text (byline) said 2016-03-14")."""
    before = provenance.get(name)
    if old not in (None, "") and before and old != new:
        provenance[name] = f"{where}; {before.split(';')[0]} said {old}"
    else:
        provenance[name] = where


def apply_name_metadata(articles: Iterable[Article] | Iterable[ArticleSummary], names: NameMetadata) -> None:
    """Fill what the texts left unknown from file names and folders (dates, outlets): text,
    front matter, page metadata and the manifest win where they say something. An outlet that is
    only the wire agency of the dateline gives way to the publisher a file name shape names
    (the agency stays in ``source_agency``)."""
    for article in articles:
        found = names.for_path(article.path)
        if not found:
            continue
        provenance = article.provenance
        for name, (value, where) in found.items():
            current = getattr(article, name)
            if current in (None, ""):
                setattr(article, name, value)
                provenance[name] = where
            elif name == "outlet" and provenance.get(name) == FROM_WIRE:
                provenance[name] = f"{where}; {FROM_WIRE} said {current}"
                article.outlet = value
            elif (name == "date" and not has_year(current)
                  and str(current).lstrip("-") == value[-len(str(current).lstrip("-")):]):
                # the text's "Sept. 28" (no year) agrees with the name's 2016-09-28: the full date
                provenance[name] = f"{where}; {provenance.get(name) or 'text'} said {display_date(current)}"
                article.date = value
            elif current != value and ";" not in provenance.get(name, ""):
                provenance[name] = f"{provenance.get(name) or 'text'}; {where} said {value}"


def process_file(root: Path, rel: str, manifest: Manifest, rules: cleaning.CleaningRules) -> FileResult:
    """Read, decode, parse and clean one file (without cross-article evidence). Never raises for
    what the file holds: a file that breaks the reader is one warning."""
    try:
        records, warnings, st = read_file(root, rel)
    except Exception as exc:  # a parser bug or a hostile file must cost only this file
        logger.info("reading %r failed", rel, exc_info=True)
        return FileResult(rel, 0, 0, [], [], [LoadWarning(rel, f"could not be read ({type(exc).__name__}); skipped")])
    articles: list[Article] = []
    fingerprints: list[frozenset[str]] = []
    for record in records:
        lines = cleaning.split_lines(record.source[record.clean_from:])  # cleaned, then fingerprinted
        try:
            result = _clean_record(record, rules, frozenset(), lines)
        except Exception as exc:  # a cleaner bug must not lose the article: keep it raw
            warnings.append(LoadWarning(record.id, f"cleaning failed ({type(exc).__name__}: {exc}); raw text kept"))
            result = cleaning.CleanResult(record.source, OffsetMap([(0, 0, len(record.source))]), [])
        articles.append(_build_article(record, result, manifest, 0, rules))
        fingerprints.append(frozenset(cleaning.line_fingerprints(lines)))
    warnings.extend(LoadWarning(MANIFEST_NAME, notice) for notice in rules.take_notices())
    size = st.st_size if st else 0
    mtime = st.st_mtime_ns if st else 0
    return FileResult(rel, size, mtime, articles, fingerprints, warnings)


def reclean_article(article: Article, evidence: frozenset[str], rules: cleaning.CleaningRules) -> Article:
    """Clean ``article`` again from its source with repeated-line ``evidence`` of its outlet.

    Its metadata stays (it came from the file, the manifest or the first cleaning); fields still
    unknown are filled from the new cleaning.
    """
    record = _Record(article.id, article.path, article.format, article.source, {}, encoding=article.encoding,
                     content_hash=article.content_hash)
    if article.removed and article.removed[0].reason.startswith("front matter"):
        record.clean_from = article.removed[0].end
    result = _clean_record(record, rules, evidence)
    sources: dict[str, str] = {}
    inferred = infer_metadata(record.source, result, rules, sources)
    meta = {name: getattr(article, name) or inferred.get(name) for name in METADATA_FIELDS}
    provenance = dict(article.provenance)
    for name in METADATA_FIELDS:
        if not getattr(article, name) and inferred.get(name) and name in sources:
            provenance[name] = sources[name]
    return Article(
        id=article.id, path=article.path, format=article.format, body=result.body, source=article.source,
        removed=result.removed, offsets=result.offsets, warnings=list(article.warnings), encoding=article.encoding,
        content_hash=article.content_hash, order=article.order, provenance=provenance, **meta,
    )
