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
        raw = path.read_bytes()
    except OSError as exc:
        return Manifest.empty(), [LoadWarning(MANIFEST_NAME, f"unreadable ({exc.strerror or exc}); ignored")]
    import yaml

    try:
        data = yaml.safe_load(raw.decode("utf-8-sig", errors="replace"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Manifest.empty(), [LoadWarning(MANIFEST_NAME, f"broken YAML{where}: {problem}; manifest ignored")]
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
    for name, values in files.items():
        name = str(name).replace("\\", "/")
        if name.startswith("./"):
            name = name[2:]
        fields = _check_fields(f"files.{name}", values, warnings)
        if any(ch in name for ch in "*?["):
            manifest.patterns.append((name, fields))
        else:
            manifest.files[name] = fields
    rules = data.get("boilerplate") or []
    if not isinstance(rules, list):
        warnings.append(LoadWarning(MANIFEST_NAME, "boilerplate: expected a list of rules, ignored"))
        rules = []
    manifest.boilerplate = rules
    from briefreader.core.filemeta import parse_names_section

    manifest.names, problems = parse_names_section(data.get("names"))
    warnings.extend(LoadWarning(MANIFEST_NAME, problem) for problem in problems)
    return manifest, warnings
