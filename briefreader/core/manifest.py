"""The optional corpus manifest ``briefreader.yaml``: per-file metadata and per-corpus settings.

    defaults:                 # applied to every article (lowest priority)
      language: en
    files:                    # exact relative paths or glob patterns (exact paths win)
      europapress-kallas.txt:
        outlet: Europa Press
        url: https://example.org/story
        date: 2025-08-17
      "wire/*.txt":
        outlet: Reuters
    boilerplate:              # extra cleaning rules (see the cleaning rules documentation)
      - pattern: "^Advertisement$"
        reason: advert
    names:                    # what file names say (see briefreader.core.filemeta)
      pattern: "{outlet}_{date}_{slug}"
      outlets:
        nyt: The New York Times

Manifest metadata wins over front matter, JSON fields and inference. A broken manifest is reported
as a warning and ignored; the corpus still loads.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefreader.core.model import LoadWarning
from briefreader.core.paths import MANIFEST_NAME

# A manifest is a person's notes on a folder; far bigger than this is not one (and would cost time).
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
# Glob patterns are tried against every file (200 patterns x 10,000 files: ~2 s); beyond this many,
# or longer than this (a path is rarely over 255 characters; compiling costs grow faster than the
# length), the rest are ignored with a warning.
MAX_GLOB_PATTERNS = 200
MAX_GLOB_CHARS = 512
# Problems listed one by one; the rest are counted.
MAX_MANIFEST_WARNINGS = 20
KNOWN_FIELDS = {"title", "outlet", "url", "date", "author", "language", "dateline", "source_agency"}
KNOWN_SECTIONS = {"defaults", "files", "boilerplate", "names"}


@dataclass
class Manifest:
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    patterns: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)
    boilerplate: list[dict[str, Any]] = field(default_factory=list)
    digest: str = ""
    names: Any = None  # briefreader.core.filemeta.NameRules: file-name pattern and outlet display names

    @classmethod
    def empty(cls) -> Manifest:
        return cls()

    def metadata_for(self, rel_path: str) -> dict[str, Any]:
        """Metadata the manifest gives for one file: defaults, then matching patterns, then the exact entry."""
        meta = dict(self.defaults)
        for pattern, values in self.patterns:
            if fnmatch.fnmatchcase(rel_path, pattern):
                meta.update(values)
        meta.update(self.files.get(rel_path, {}))
        return meta


def _check_fields(where: str, values: Any, warnings: list[LoadWarning]) -> dict[str, Any]:
    if not isinstance(values, dict):
        warnings.append(LoadWarning(MANIFEST_NAME, f"{where}: expected a mapping of fields, ignored"))
        return {}
    out = {}
    for key, value in values.items():
        if key not in KNOWN_FIELDS:
            warnings.append(LoadWarning(MANIFEST_NAME, f"{where}: unknown field {key!r} ignored "
                                                       f"(known: {', '.join(sorted(KNOWN_FIELDS))})"))
            continue
        out[key] = value
    return out


def load_manifest(root: Path) -> tuple[Manifest, list[LoadWarning]]:
    """Read ``root/briefreader.yaml`` if present. Never raises for bad content."""
    path = Path(root) / MANIFEST_NAME
    warnings: list[LoadWarning] = []
    if not path.is_file():
        return Manifest.empty(), warnings
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        return Manifest.empty(), [LoadWarning(MANIFEST_NAME, f"unreadable ({exc.strerror or exc}); ignored")]
    from briefreader.core.safe_yaml import YAMLProblem, describe_size, load_yaml

    if len(raw) > MAX_MANIFEST_BYTES:
        return Manifest.empty(), [LoadWarning(MANIFEST_NAME, f"bigger than {describe_size(MAX_MANIFEST_BYTES)}; "
                                                             "manifest ignored")]

    try:
        data = load_yaml(raw.decode("utf-8-sig", errors="replace"))
    except YAMLProblem as exc:
        where = f" at line {exc.line}, column {exc.column}" if exc.line is not None else ""
        return Manifest.empty(), [LoadWarning(MANIFEST_NAME, f"broken YAML{where}: {exc.problem}; manifest ignored")]
    if data is None:
        return Manifest.empty(), warnings
    if not isinstance(data, dict):
        return Manifest.empty(), [LoadWarning(MANIFEST_NAME, "expected a mapping at the top level; manifest ignored")]
    for key in data:
        if key not in KNOWN_SECTIONS:
            warnings.append(LoadWarning(MANIFEST_NAME, f"unknown section {key!r} ignored "
                                                       f"(known: {', '.join(sorted(KNOWN_SECTIONS))})"))
    manifest = Manifest(digest=hashlib.sha1(raw).hexdigest()[:16])
    manifest.defaults = _check_fields("defaults", data.get("defaults") or {}, warnings)
    files = data.get("files") or {}
    if not isinstance(files, dict):
        warnings.append(LoadWarning(MANIFEST_NAME, "files: expected a mapping of path -> fields, ignored"))
        files = {}
    ignored_patterns = 0
    for name, values in files.items():
        name = str(name).replace("\\", "/")
        if name.startswith("./"):
            name = name[2:]
        fields = _check_fields(f"files.{name}", values, warnings)
        if any(ch in name for ch in "*?["):
            if len(name) > MAX_GLOB_CHARS:
                warnings.append(LoadWarning(MANIFEST_NAME, f"files: a glob pattern of {len(name):,} characters "
                                                           f"(at most {MAX_GLOB_CHARS}) ignored"))
            elif len(manifest.patterns) < MAX_GLOB_PATTERNS:
                manifest.patterns.append((name, fields))
            else:
                ignored_patterns += 1
        else:
            manifest.files[name] = fields
    if ignored_patterns:
        warnings.append(LoadWarning(MANIFEST_NAME, f"files: more than {MAX_GLOB_PATTERNS} glob patterns; "
                                                   f"the last {ignored_patterns:,} are ignored"))
    rules = data.get("boilerplate") or []
    if not isinstance(rules, list):
        warnings.append(LoadWarning(MANIFEST_NAME, "boilerplate: expected a list of rules, ignored"))
        rules = []
    manifest.boilerplate = rules
    from briefreader.core.filemeta import parse_names_section

    manifest.names, problems = parse_names_section(data.get("names"))
    warnings.extend(LoadWarning(MANIFEST_NAME, problem) for problem in problems)
    if len(warnings) > MAX_MANIFEST_WARNINGS + 1:  # a manifest of 100,000 bad entries is one problem
        hidden = len(warnings) - MAX_MANIFEST_WARNINGS
        warnings = warnings[:MAX_MANIFEST_WARNINGS] + [LoadWarning(MANIFEST_NAME, f"... and {hidden:,} more "
                                                                                  "problems like these")]
    return manifest, warnings
