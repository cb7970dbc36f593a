"""Loading a corpus: find the article files, decode them, parse each format, clean, add metadata.

A corpus is a folder. Every ``.txt``, ``.md``, ``.html``/``.htm``, ``.json`` and ``.jsonl`` file below
it is read (hidden folders and briefreader's own state folder are skipped). An optional manifest
``briefreader.yaml`` at the root adds per-file metadata and extra cleaning rules.

Bad files never stop a load: each one becomes a :class:`LoadWarning` and the rest is loaded.
Cleaned records are cached in the corpus's per-user cache folder (see :mod:`briefreader.storage.records`),
so reopening an unchanged corpus costs one ``stat`` per file.

Symbolic links inside the folder that point inside it are followed; a link that resolves outside the
corpus folder (``passwd.txt -> /etc/passwd``, ``etc -> /etc``) is skipped with a warning, unless the
caller asks to follow such links (``follow_links``, the CLI's ``--follow-links``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat as stat_module
import zlib
from dataclasses import dataclass, field
from math import ceil
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import Any, cast

from briefreader.core import clean as cleaning
from briefreader.core.decode import BinaryFileError, decode_bytes
from briefreader.core.manifest import Manifest, load_manifest
from briefreader.core.dates import display_date, has_year
from briefreader.core.filemeta import NameMetadata, infer_name_metadata
from briefreader.core.metadata import FROM_WIRE, infer_metadata, parse_date
from briefreader.core.model import Article, ArticleSummary, LoadWarning, OffsetMap, RemovedBlock
from briefreader.core.paths import MANIFEST_NAME, STATE_DIR_NAME, foreign_derived_notice
from briefreader.storage.records import CachedFile, Entry, RecordCache, StoreItem, fingerprints_of, pack_article

ARTICLE_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                    ".json": "json", ".jsonl": "jsonl"}
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

Progress = Callable[[int, int], None]
logger = logging.getLogger(__name__)


class LoadCancelled(Exception):
    """Raised when the ``cancelled`` callback of a load says stop."""


class CorpusError(Exception):
    """The corpus path itself is unusable (missing, not a folder)."""


@dataclass
class Corpus:
    """A loaded corpus: articles in discovery order plus the warnings of the load."""

    root: Path
    articles: list[Article]
    warnings: list[LoadWarning] = field(default_factory=list)
    files_seen: int = 0
    from_cache: int = 0  # articles whose cleaned record came from the cache
    # what the articles were made from (a folder load only): see :func:`source_state`
    sources: SourceState | None = None
    _by_id: dict[str, Article] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {a.id: a for a in self.articles}

    def get(self, article_id: str) -> Article | None:
        return self._by_id.get(article_id)

    def __len__(self) -> int:
        return len(self.articles)


@dataclass
class SourceState:
    """What a folder's articles are made from: the files with their size and mtime, and a digest of
    the manifest and cleaning rules. Two equal states mean the same articles, without reading one."""

    digest: str
    files: dict[str, tuple[int, int]]  # relative path -> (size, mtime in ns)

    def to_json(self) -> dict[str, Any]:
        return {"digest": self.digest, "files": {rel: list(stat) for rel, stat in self.files.items()}}

    @classmethod
    def from_json(cls, data: Any) -> SourceState | None:
        """The state saved by :meth:`to_json`, or None if ``data`` is not one."""
        try:
            files = {str(rel): (int(stat[0]), int(stat[1])) for rel, stat in data["files"].items()}
            return cls(str(data["digest"]), files)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None

    def newest_mtime_ns(self) -> int:
        return max((mtime for _, mtime in self.files.values()), default=0)


def _source_digest(manifest: Manifest, rules_digest: str) -> str:
    """Everything besides the files that the articles depend on (as the record cache keys it)."""
    from briefreader.core.prose import load_model
    from briefreader.storage.records import LOADER_VERSION

    return f"{LOADER_VERSION}:{rules_digest}:{manifest.digest}:{load_model().digest}"


def source_state(root: Path | str, *, follow_links: bool = False) -> tuple[SourceState, list[LoadWarning]]:
    """The folder's :class:`SourceState` now (a walk and a stat per file, no file read) and the
    warnings of finding its files and reading its manifest."""
    from briefreader.core.rules import rules_digest

    root = Path(root)
    manifest, warnings = load_manifest(root)
    try:
        digest = rules_digest(manifest.boilerplate)  # what load_rules would give, without compiling them
    except ValueError as exc:
        warnings.append(LoadWarning(MANIFEST_NAME, f"boilerplate rules ignored: {exc}"))
        digest = rules_digest(None)
    found, discover_warnings = _discover_with_stats(root, follow_links=follow_links)
    warnings.extend(discover_warnings)
    files = {rel: (st.st_size, st.st_mtime_ns) for rel, st in found}
    return SourceState(_source_digest(manifest, digest), files), warnings


# --------------------------------------------------------------------------- discovery


def _is_utf8_name(name: str) -> bool:
    """False for a file name with bytes that are not UTF-8 (decoded by Python as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def discover(root: Path, *, follow_links: bool = False) -> tuple[list[str], list[LoadWarning]]:
    """Relative POSIX paths of candidate article files under ``root``, sorted, and warnings.

    Follows symlinks that stay inside ``root`` but never loops (each real folder is visited once);
    a symlink resolving outside ``root`` is skipped with one warning unless ``follow_links``; skips
    hidden entries and the state folder.
    """
    found, warnings = _discover_with_stats(root, follow_links=follow_links)
    return [rel for rel, _ in found], warnings


def _outside(entry: os.DirEntry, real_root: str) -> str | None:
    """The real path of the symlink ``entry`` when it resolves outside ``real_root``, else None."""
    target = os.path.realpath(entry.path)
    if target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    return target


def _discover_with_stats(root: Path, *, follow_links: bool = False
                         ) -> tuple[list[tuple[str, os.stat_result]], list[LoadWarning]]:
    root = Path(root)
    found: list[tuple[str, os.stat_result]] = []
    warnings: list[LoadWarning] = []
    seen_dirs: set[tuple[int, int]] = set()
    real_root = os.path.realpath(root)

    def walk(folder: str | Path, rel: str) -> None:
        try:
            st = os.stat(folder)
        except OSError as exc:
            warnings.append(LoadWarning(rel or ".", f"folder not readable ({exc.strerror or exc})"))
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            warnings.append(LoadWarning(rel, "symlink loop or repeated folder, skipped"))
            return
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            warnings.append(LoadWarning(rel or ".", f"folder not readable ({exc.strerror or exc})"))
            return
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name == STATE_DIR_NAME:
                continue
            child_rel = f"{rel}/{name}" if rel else name
            if not _is_utf8_name(name):  # an id must be storable and printable: one warning, the rest loads
                shown = child_rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                warnings.append(LoadWarning(shown, "name is not valid UTF-8, skipped (rename it to read it)"))
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            suffix = os.path.splitext(name)[1].lower()  # Path(name).suffix for a name not starting with "."
            if not is_dir and suffix not in ARTICLE_SUFFIXES:
                continue
            if not follow_links and entry.is_symlink():
                target = _outside(entry, real_root)
                if target is not None:
                    what = "folder" if is_dir else "file"
                    warnings.append(LoadWarning(child_rel, f"skipped: a link to a {what} outside the corpus folder "
                                                           f"({target}); --follow-links reads it"))
                    continue
            if is_dir:
                walk(entry.path, child_rel)
                continue
            if suffix not in ARTICLE_SUFFIXES:
                continue
            if rel == "" and name == MANIFEST_NAME:
                continue
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                reason = "broken symlink" if entry.is_symlink() else (exc.strerror or str(exc))
                warnings.append(LoadWarning(child_rel, f"skipped: {reason}"))
                continue
            found.append((child_rel, st))

    walk(root, "")
    return found, warnings


# --------------------------------------------------------------------------- reading one file


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


# Below this many files to read, a process pool costs more (start-up, pickling) than it saves.
POOL_MIN_FILES = 800
POOL_CHUNK = 64


def _process_chunk(rels: list[str], root: Path, manifest: Manifest, rules: cleaning.CleaningRules) -> list[FileResult]:
    results = [process_file(root, rel, manifest, rules) for rel in rels]
    for result in results:  # source, removed blocks and offsets packed until used (half the memory)
        result.articles = [pack_article(a, fp) for a, fp in zip(result.articles, result.fingerprints, strict=True)]
    return results


def _reclean_chunk(items: list[tuple[Article, frozenset[str]]], rules: cleaning.CleaningRules) -> list[Article]:
    return [reclean_article(article, evidence, rules) for article, evidence in items]


class _Workers:
    """Worker processes for one load, started on first use and shared by its phases.

    Workers are spawned (never forked: the caller may be a multi-threaded UI).
    """

    def __init__(self) -> None:
        self.count = min(os.cpu_count() or 1, 4)
        self._executor: Any = None

    def wanted(self, items: int) -> bool:
        return items >= POOL_MIN_FILES and self.count > 1 and not os.environ.get("BRIEFREADER_NO_POOL")

    def executor(self) -> Any:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._executor = ProcessPoolExecutor(max_workers=self.count,
                                                 mp_context=multiprocessing.get_context("spawn"))
        return self._executor

    def disable(self) -> None:
        self.close()
        self.count = 1

    def close(self) -> None:
        if self._executor is not None:
            try:
                self._executor.shutdown(wait=True, cancel_futures=True)
            except Exception as exc:  # a broken pool must not hide the load's own result or error
                logger.debug("worker pool shutdown: %s", exc)
            self._executor = None


def _map_chunks(
    chunk_fn: Callable[..., list[Any]],
    items: list[Any],
    args: tuple[Any, ...],
    item_done: Callable[[int, Any], None] | None,
    cancelled: Callable[[], bool] | None,
    workers: _Workers | None = None,
) -> list[Any]:
    """``chunk_fn(chunk, *args)`` over ``items`` in chunks, results in order; in ``workers`` when
    there are enough items to pay for them."""
    chunks = [items[i: i + POOL_CHUNK] for i in range(0, len(items), POOL_CHUNK)]
    results: list[Any] = []

    def collect(chunk_results: list[Any]) -> None:
        for result in chunk_results:
            results.append(result)
            if item_done is not None:
                item_done(len(results), result)

    def in_process() -> list[Any]:
        for chunk in chunks:
            if cancelled is not None and cancelled():
                raise LoadCancelled()
            collect(chunk_fn(chunk, *args))
        return results

    if workers is None or not workers.wanted(len(items)):
        return in_process()
    try:
        executor = workers.executor()
        futures = [executor.submit(chunk_fn, chunk, *args) for chunk in chunks]
    except (OSError, RuntimeError, ValueError):
        # No worker processes here (a host that forbids them, replaced standard streams...): the
        # same work, in this process.
        workers.disable()
        return in_process()
    from concurrent.futures import BrokenExecutor

    try:
        for number, future in enumerate(futures):
            while True:
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                try:
                    chunk_results = future.result(timeout=0.2)
                    break
                except TimeoutError:
                    continue
                except BrokenExecutor:  # a worker died (killed, out of memory): finish here
                    workers.disable()
                    chunk_results = chunk_fn(chunks[number], *args)
                    break
            collect(chunk_results)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return results


def _process_files(
    root: Path,
    rels: list[str],
    manifest: Manifest,
    rules: cleaning.CleaningRules,
    file_done: Callable[[int, FileResult], None],
    cancelled: Callable[[], bool] | None,
    workers: _Workers | None = None,
) -> list[FileResult]:
    """Read, parse and clean files, in worker processes when there are many."""
    return _map_chunks(_process_chunk, rels, (root, manifest, rules), file_done, cancelled, workers)


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


def _evidence_digest(evidence: frozenset[str]) -> str:
    if not evidence:
        return ""
    return hashlib.sha1("\n".join(sorted(evidence)).encode()).hexdigest()[:16]


def _evidence_still_in_body(article: Article, evidence: frozenset[str]) -> bool:
    """Whether some repeated line is still in the body (when the first cleaning already removed
    every one of them, cleaning again with the evidence would give the same body)."""
    if not evidence:
        return True  # evidence went away: clean again without it
    return bool(evidence & cleaning.line_fingerprints(article.body))


def _near_duplicate_families(bodies: list[str], fingerprint_sets: list[frozenset[str]]) -> list[frozenset[str]]:
    """The candidate lines of each family of near-identical articles (the same story saved twice,
    an updated version of a wire story), each family once: a story's own lines repeated across its
    copies are no evidence of page furniture. Two articles are one family when their cleaned
    paragraphs are the same or their four lowest paragraph hashes are (a bottom-k sketch: cheap,
    and deterministic)."""
    parent = list(range(len(fingerprint_sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[object, int] = {}
    for i, body in enumerate(bodies):
        paragraphs = {" ".join(p.split()).casefold() for p in body.split("\n\n") if p.strip()}
        hashes = sorted(zlib.crc32(p.encode("utf-8", "surrogatepass")) for p in paragraphs)
        keys: list[object] = [("all", tuple(hashes))]
        if len(hashes) >= 8:
            keys.append(("sketch", tuple(hashes[:4])))
        for key in keys:
            j = first_with.setdefault(key, i)
            if j != i:
                parent[find(i)] = find(j)
    families: dict[int, set[str]] = {}
    for i, fps in enumerate(fingerprint_sets):
        families.setdefault(find(i), set()).update(fps)
    return [frozenset(f) for f in families.values()]


@dataclass
class OutletEvidence:
    """What one outlet's repeated-line evidence was computed from, kept so that a later update of a
    few files can prove the evidence unchanged without reading the outlet's other articles.

    ``counts`` holds the number of families (see :func:`_near_duplicate_families`) holding each
    fingerprint, for every fingerprint in at least half the families the evidence needs (the rest
    are far from counting); ``drift`` counts articles added or removed since the counts were exact
    (each moves the family count and every fingerprint's count by at most one)."""

    families: int
    members: list[str]  # relative paths of the files with articles of this outlet
    counts: dict[str, int]
    repeated: frozenset[str]
    drift: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"families": self.families, "members": self.members, "counts": self.counts,
                "repeated": sorted(self.repeated), "drift": self.drift}

    @classmethod
    def from_json(cls, data: Any) -> OutletEvidence:
        """The evidence saved by :meth:`to_json` (raises KeyError/TypeError/ValueError if it is not one)."""
        return cls(int(data["families"]), [str(m) for m in data["members"]],
                   {str(k): int(v) for k, v in data["counts"].items()}, frozenset(map(str, data["repeated"])),
                   int(data["drift"]))


def evidence_need(families: int) -> int:
    """In how many families a line must be to count as repeated (as :func:`cleaning.repeated_lines`)."""
    return max(3, ceil(0.3 * families))


def outlet_evidence(members: list[str], bodies: list[str], fingerprint_sets: list[frozenset[str]]) -> OutletEvidence:
    """The repeated lines of one outlet's articles, with the counts that let an update prove them unchanged."""
    if len(bodies) < 3:
        return OutletEvidence(len(bodies), sorted(set(members)), {}, frozenset())
    families = _near_duplicate_families(bodies, fingerprint_sets)
    counts: dict[str, int] = {}
    for fps in families:
        for fp in fps:
            counts[fp] = counts.get(fp, 0) + 1
    # repeated_lines only counts its sets: frozensets do as well
    repeated = cleaning.repeated_lines(cast("list[set[str]]", families)) if len(families) >= 3 else frozenset()
    watch = evidence_need(len(families)) // 2
    return OutletEvidence(len(families), sorted(set(members)), {fp: n for fp, n in counts.items() if n >= watch},
                          repeated)


def _apply_repetition_evidence(
    entries: list[Entry],
    rules: cleaning.CleaningRules,
    manifest: Manifest,
    reclean_many: Callable[[list[tuple[Article, frozenset[str]]]], list[Article]],
    summaries: dict[str, OutletEvidence] | None = None,
    known: dict[str, frozenset[str]] | None = None,
) -> list[Entry]:
    """Re-clean articles whose lines repeat across their outlet's articles.

    ``entries`` are (article, fingerprints, evidence digest it was cleaned with). Returns the same
    list with articles re-cleaned where their evidence changed. ``summaries``, when given, receives
    each outlet's :class:`OutletEvidence`. ``known`` gives the repeated lines of outlets whose
    evidence is known already (an update proved it unchanged): those are not computed again.
    """
    groups: dict[str, list[int]] = {}
    for i, (article, _, _) in enumerate(entries):
        if article.outlet:
            groups.setdefault(article.outlet.casefold(), []).append(i)
    wanted_digest = [""] * len(entries)
    wanted_evidence: list[frozenset[str]] = [frozenset()] * len(entries)
    for outlet, members in groups.items():
        if known is not None and outlet in known:
            repeated = known[outlet]
        else:
            summary = outlet_evidence([entries[i][0].path for i in members], [entries[i][0].body for i in members],
                                      [fingerprints_of(entries[i][1]) for i in members])
            if summaries is not None:
                summaries[outlet] = summary
            repeated = summary.repeated
        if not repeated:
            continue
        for i in members:
            evidence = repeated & fingerprints_of(entries[i][1])
            wanted_evidence[i] = frozenset(evidence)
            wanted_digest[i] = _evidence_digest(frozenset(evidence))
    todo = [i for i, entry in enumerate(entries) if wanted_digest[i] != entry[2]
            and _evidence_still_in_body(entries[i][0], wanted_evidence[i])]
    recleaned = dict(zip(todo, reclean_many([(entries[i][0], wanted_evidence[i]) for i in todo]), strict=True))
    return [(recleaned.get(i, article), fps, wanted_digest[i]) for i, (article, fps, _) in enumerate(entries)]


def load_rules_for(manifest: Manifest) -> tuple[cleaning.CleaningRules, list[LoadWarning]]:
    """The cleaning rules of a corpus with its manifest's boilerplate rules, and their problems."""
    warnings: list[LoadWarning] = []
    try:
        rules = cleaning.load_rules(manifest.boilerplate)
    except ValueError as exc:
        warnings.append(LoadWarning(MANIFEST_NAME, f"boilerplate rules ignored: {exc}"))
        rules = cleaning.load_rules(None)
    warnings.extend(LoadWarning(MANIFEST_NAME, problem) for problem in rules.problems)
    rules.reset_budget()  # corpus rules disabled in an earlier load in this process get another chance
    return rules, warnings


def load_corpus(
    root: Path | str,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    on_articles: Callable[[list[Article]], None] | None = None,
    follow_links: bool = False,
) -> Corpus:
    """Load every article under ``root``.

    ``progress(done, total)`` is called as files are processed; ``cancelled()`` is polled and a
    True answer raises :class:`LoadCancelled`. ``on_articles(batch)`` receives articles as they are
    read, so a UI can fill its list before the load ends; they are provisional (the final cleaning
    with cross-article evidence may refine some), the returned Corpus is authoritative.
    ``follow_links`` also reads symlinks that resolve outside ``root`` (skipped with a warning otherwise).
    Raises :class:`CorpusError` if ``root`` is not a folder.
    """
    root = Path(root)
    if not root.exists():
        raise CorpusError(f"no such folder: {root}")
    if not root.is_dir():
        raise CorpusError(f"not a folder: {root}")
    manifest, warnings = load_manifest(root)
    rules, rule_warnings = load_rules_for(manifest)
    warnings.extend(rule_warnings)
    notice = foreign_derived_notice(root)
    if notice:  # once per load: a planted or old index/record cache in DIR/.briefreader is never opened
        warnings.append(LoadWarning(STATE_DIR_NAME, notice))
    found, discover_warnings = _discover_with_stats(root, follow_links=follow_links)
    warnings.extend(discover_warnings)
    files = [rel for rel, _ in found]

    cache = None
    if use_cache:
        cache = RecordCache.open(root, rules_digest=rules.digest, manifest_digest=manifest.digest)
        if cache.warning:
            warnings.append(LoadWarning(".briefreader", cache.warning))

    cached_files, pending = _split_cached(found, cache, cancelled, on_articles)
    done_before = len(cached_files)

    def file_done(done: int, result: FileResult) -> None:
        if progress is not None:
            progress(done_before + done, len(files))
        if on_articles is not None and result.articles:
            on_articles(result.articles)

    workers = _Workers()
    try:
        processed = _process_files(root, pending, manifest, rules, file_done, cancelled, workers)
        fresh_results = {r.path: r for r in processed}
        if progress is not None:
            progress(len(files), len(files))

        entries: list[Entry] = []
        fresh: list[FileResult] = []
        from_cache = 0
        for rel in files:
            if rel in cached_files:
                hit = cached_files[rel]
                from_cache += len(hit.entries)
                entries.extend(hit.entries)
                warnings.extend(hit.warnings)
            else:
                result = fresh_results[rel]
                fresh.append(result)
                warnings.extend(result.warnings)
                entries.extend((a, fp, "") for a, fp in zip(result.articles, result.fingerprints, strict=True))

        def reclean_many(items: list[tuple[Article, frozenset[str]]]) -> list[Article]:
            return _map_chunks(_reclean_chunk, items, (rules,), None, cancelled, workers)

        apply_name_metadata((entry[0] for entry in entries),
                            infer_name_metadata(files, getattr(manifest, "names", None)))
        # Repetition evidence can only change when some file was added, changed or removed.
        changed_paths: set[str] = set()
        summaries: dict[str, OutletEvidence] | None = None
        if cache is None or pending or not cache.has_exactly(files) or not cache.has_evidence():
            before = [id(a) for a, _, _ in entries]
            summaries = {}
            entries = _apply_repetition_evidence(entries, rules, manifest, reclean_many, summaries)
            changed_paths = {a.path for (a, _, _), old in zip(entries, before, strict=True) if id(a) != old}
    except BaseException:
        if cache is not None:
            cache.close()
        raise
    finally:
        workers.close()

    for order, (article, _, _) in enumerate(entries):
        article.order = order
    if cache is not None:
        _store_records(cache, root, entries, fresh, changed_paths, set(files), summaries)
    # rules disabled in this process (the phase with repetition evidence); workers report theirs per file
    warnings.extend(LoadWarning(MANIFEST_NAME, notice) for notice in rules.take_notices())
    sources = SourceState(_source_digest(manifest, rules.digest),
                          {rel: (st.st_size, st.st_mtime_ns) for rel, st in found})
    return Corpus(root=root, articles=[a for a, _, _ in entries], warnings=_unique(warnings),
                  files_seen=len(files), from_cache=from_cache, sources=sources)


# Cached articles reach ``on_articles`` in batches: the first of this many files (a list shows its
# first rows while the rest of a 50k-article cache is still being read), each next one twice as big
# (a list that does work per batch does it a few times, not once per 2000 files).
CACHED_BATCH_FILES = 2000


def _split_cached(found: list[tuple[str, os.stat_result]], cache: RecordCache | None,
                  cancelled: Callable[[], bool] | None,
                  on_articles: Callable[[list[Article]], None] | None = None,
                  ) -> tuple[dict[str, CachedFile], list[str]]:
    """The cached records of unchanged files, and the files to read; cached articles are passed
    to ``on_articles`` as they are read, in growing batches."""
    cached_files: dict[str, CachedFile] = {}
    pending: list[str] = []
    batch: list[Article] = []
    batch_files = 0
    batch_size = CACHED_BATCH_FILES
    looked_up = cache.lookup_many(found) if cache else ((rel, None) for rel, _ in found)
    for rel, cached in looked_up:
        if cancelled is not None and cancelled():
            raise LoadCancelled()
        if cached is not None:
            cached_files[rel] = cached
            if on_articles is not None:
                batch.extend(entry[0] for entry in cached.entries)
                batch_files += 1
                if batch_files >= batch_size:
                    on_articles(batch)
                    batch, batch_files, batch_size = [], 0, batch_size * 2
        else:
            pending.append(rel)
    if on_articles is not None and batch:
        on_articles(batch)
    return cached_files, pending


def _store_records(cache: RecordCache, root: Path, entries: list[Entry], fresh: list[FileResult],
                   changed_paths: set[str], files: set[str], summaries: dict[str, OutletEvidence] | None) -> None:
    """Save the records of the files read now and of those cleaned again, then close ``cache``."""
    fresh_paths = {r.path for r in fresh}
    by_path: dict[str, list[Entry]] = {}
    for entry in entries:
        by_path.setdefault(entry[0].path, []).append(entry)
    to_store: list[StoreItem] = []
    for result in fresh:
        to_store.append((result.path, result.size, result.mtime_ns, by_path.get(result.path, []), result.warnings))
    for path in changed_paths - fresh_paths:
        to_store.append((path, None, None, by_path.get(path, []), None))
    cache.store(root, to_store, keep=files, evidence=summaries)
    cache.close()


def _unique(warnings: list[LoadWarning]) -> list[LoadWarning]:
    """Warnings in order, each once (a corpus rule disabled in several worker processes is one
    problem)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for warning in warnings:
        key = (warning.path, warning.message)
        if key not in seen:
            seen.add(key)
            out.append(warning)
    return out


def load_paths(paths: Iterable[Path | str], *, use_cache: bool = False, follow_links: bool = False) -> Corpus:
    """Load articles from a mix of files and folders (``briefreader clean PATH...``)."""
    articles: list[Article] = []
    warnings: list[LoadWarning] = []
    files_seen = 0
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            corpus = load_corpus(path, use_cache=use_cache, follow_links=follow_links)
            articles.extend(corpus.articles)
            warnings.extend(corpus.warnings)
            files_seen += corpus.files_seen
            continue
        if not path.exists():
            raise CorpusError(f"no such file or folder: {path}")
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            raise CorpusError(f"not an article file (expected {', '.join(sorted(ARTICLE_SUFFIXES))}): {path}")
        files_seen += 1
        result = process_file(path.parent, path.name, Manifest.empty(), cleaning.load_rules(None))
        warnings.extend(result.warnings)
        articles.extend(result.articles)
    apply_name_metadata(articles, infer_name_metadata([a.path for a in articles]))
    for order, article in enumerate(articles):
        article.order = order
    root = Path(".")
    return Corpus(root=root, articles=articles, warnings=warnings, files_seen=files_seen)
