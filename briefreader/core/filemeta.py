"""Metadata from file names and folders: the date in ``nyt_2016-03-15_slug.txt`` or
``2016/03/15/story.txt``, and the outlet token of a folder whose files share a shape such as
``<token>_<date>_<slug>``.

Scraped collections are often named this way and say nothing else about their articles. What the
names say is only used where the text itself says nothing (see :func:`apply_name_metadata`), and
every value records where it came from (``Article.provenance``).

The manifest may declare the shape and name the outlets::

    names:
      pattern: "{outlet}_{date}_{slug}"      # placeholders: outlet, date, slug (anything), any
      outlets:
        nyt: The New York Times
        wash-post: The Washington Post
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

logger = logging.getLogger(__name__)

# a full date written into a name: 2016-03-15, 2016_03_15, 2016.03.15, 20160315
_DATE_IN_NAME = re.compile(
    r"(?<![0-9])(?P<year>(?:19|20)\d{2})(?P<sep>[-_.]?)(?P<month>0[1-9]|1[0-2])(?P=sep)"
    r"(?P<day>0[1-9]|[12]\d|3[01])(?![0-9])")
# ... or spread over folders: 2016/03/15/
_DATE_IN_FOLDERS = re.compile(
    r"(?:^|/)(?P<year>(?:19|20)\d{2})/(?P<month>0[1-9]|1[0-2])/(?P<day>0[1-9]|[12]\d|3[01])(?=/)")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9&.+-]{0,39}")
_SEPARATORS = "_-. "
MIN_SHARE = 0.6  # "most files": this share of a folder's article files must have the shape
MIN_FILES = 2  # ... and at least this many

FILE_NAME = "file name"
FOLDER_NAME = "folder name"


@dataclass(slots=True)
class NameRules:
    """The manifest's ``names`` section: an explicit pattern and display names of outlet tokens."""

    pattern: re.Pattern[str] | None = None
    outlets: dict[str, str] = field(default_factory=dict)  # token (casefolded) -> display name

    def display(self, token: str) -> str:
        return self.outlets.get(token.casefold(), token)


def parse_names_section(value: Any) -> tuple[NameRules, list[str]]:
    """The manifest's ``names`` section as :class:`NameRules`, and problems found (never raises)."""
    rules = NameRules()
    problems: list[str] = []
    if value is None:
        return rules, problems
    if not isinstance(value, dict):
        return rules, ["names: expected a mapping (pattern, outlets), ignored"]
    for key in value:
        if key not in ("pattern", "outlets"):
            problems.append(f"names: unknown key {key!r} ignored (known: outlets, pattern)")
    outlets = value.get("outlets") or {}
    if isinstance(outlets, dict):
        rules.outlets = {str(k).casefold(): str(v) for k, v in outlets.items() if v not in (None, "")}
    else:
        problems.append("names.outlets: expected a mapping token -> display name, ignored")
    pattern = value.get("pattern")
    if pattern is not None:
        compiled = compile_name_pattern(str(pattern))
        if compiled is None:
            problems.append(f"names.pattern {pattern!r}: use placeholders {{outlet}}, {{date}}, "
                            f"{{slug}}, {{any}} and literal characters; ignored")
        else:
            rules.pattern = compiled
    return rules, problems


def compile_name_pattern(pattern: str) -> re.Pattern[str] | None:
    """A manifest name pattern such as ``{outlet}_{date}_{slug}`` as a regex over the file name
    without its extension (or the relative path when the pattern holds a ``/``); None if invalid."""
    parts: list[str] = []
    pos = 0
    seen: set[str] = set()
    for m in re.finditer(r"\{(\w+)\}", pattern):
        parts.append(re.escape(pattern[pos:m.start()]))
        name = m.group(1)
        if name == "outlet" and name not in seen:
            parts.append(r"(?P<outlet>[^/]+?)")
        elif name == "date" and name not in seen:
            parts.append(r"(?P<date>(?:19|20)\d{2}[-_./]?\d{2}[-_./]?\d{2})")
        elif name in ("slug", "any"):
            parts.append(r"[^/]*?" if "/" in pattern else r".*?")
        else:
            return None
        seen.add(name)
        pos = m.end()
    parts.append(re.escape(pattern[pos:]))
    try:
        return re.compile("".join(parts) + "$")
    except re.error:
        return None


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return _dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _split(rel: str) -> tuple[str, str]:
    """(folder, stem) of a relative POSIX path as ``PurePosixPath`` gives them (``str(parent)``,
    ``stem``), by string operations: a path object per file cost about a second at 50k files."""
    if "//" in rel or rel.startswith(("./", "/")) or "/./" in rel or rel.endswith(("/", "/.")):
        path = PurePosixPath(rel)  # not the clean relative path the loader makes: the general rules
        return str(path.parent), path.stem
    folder, _, name = rel.rpartition("/")
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name
    return folder or ".", stem


def date_in_path(rel: str) -> tuple[str, str] | None:
    """(ISO date, source) for a full date in the file name or its folders, file name first."""
    folders, stem = _split(rel)
    m = _DATE_IN_NAME.search(stem)
    if m:
        iso = _iso(m.group("year"), m.group("month"), m.group("day"))
        if iso:
            return iso, FILE_NAME
    if folders not in ("", "."):
        m = _DATE_IN_FOLDERS.search(folders + "/")
        if m:
            iso = _iso(m.group("year"), m.group("month"), m.group("day"))
            if iso:
                return iso, FOLDER_NAME
        for part in reversed(PurePosixPath(folders).parts):
            m = _DATE_IN_NAME.fullmatch(part) or _DATE_IN_NAME.search(part)
            if m:
                iso = _iso(m.group("year"), m.group("month"), m.group("day"))
                if iso:
                    return iso, FOLDER_NAME
    return None


def _token_shape(stem: str) -> tuple[str, str] | None:
    """(token, separator) when ``stem`` reads ``<token><sep><date>...``."""
    m = _DATE_IN_NAME.search(stem)
    if m is None or m.start() < 2:
        return None
    sep = stem[m.start() - 1]
    if sep not in _SEPARATORS:
        return None
    token = stem[: m.start() - 1]
    if not _TOKEN.fullmatch(token) or sep in token:
        return None
    return token, sep


@dataclass(slots=True)
class NameMetadata:
    """What names say about each file: field -> (value, source)."""

    by_path: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    shapes: dict[str, str] = field(default_factory=dict)  # folder -> the shape found ("<outlet>_<date>_...")

    def for_path(self, rel: str) -> dict[str, tuple[str, str]]:
        return self.by_path.get(rel, {})


def infer_name_metadata(paths: Iterable[str], names: NameRules | None = None) -> NameMetadata:
    """Dates and outlets from the names of ``paths`` (relative POSIX paths of one corpus)."""
    names = names or NameRules()
    out = NameMetadata()
    folders: dict[str, list[str]] = {}
    for rel in paths:
        folders.setdefault(_split(rel)[0], []).append(rel)
    for folder, rels in folders.items():
        shaped: dict[str, str] = {}
        if names.pattern is None:
            seps: dict[str, int] = {}
            for rel in rels:
                found = _token_shape(_split(rel)[1])
                if found is not None:
                    shaped[rel] = found[0]
                    seps[found[1]] = seps.get(found[1], 0) + 1
            if len(shaped) < MIN_FILES or len(shaped) < MIN_SHARE * len(rels):
                shaped = {}
            elif seps:
                sep = max(seps, key=lambda s: seps[s])
                out.shapes[folder] = f"<outlet>{sep}<date>{sep}<slug>"
        for rel in rels:
            meta: dict[str, tuple[str, str]] = {}
            if names.pattern is not None:
                target = rel if "/" in names.pattern.pattern.replace("\\/", "/") else _split(rel)[1]
                m = names.pattern.search(target)
                if m:
                    groups = m.groupdict()
                    if groups.get("outlet"):
                        meta["outlet"] = (names.display(groups["outlet"]), "file name (manifest pattern)")
                    if groups.get("date"):
                        digits = re.sub(r"\D", "", groups["date"])
                        iso = _iso(digits[:4], digits[4:6], digits[6:8])
                        if iso:
                            meta["date"] = (iso, "file name (manifest pattern)")
            elif rel in shaped:
                meta["outlet"] = (names.display(shaped[rel]), f"{FILE_NAME} ({out.shapes.get(folder, 'shape')})")
            if "date" not in meta:
                found_date = date_in_path(rel)
                if found_date is not None:
                    meta["date"] = found_date
            if meta:
                out.by_path[rel] = meta
    return out
