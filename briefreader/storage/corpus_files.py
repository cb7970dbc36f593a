"""Finding a corpus folder's article files, and the state of what its articles are made from.

Every ``.txt``, ``.md``, ``.html``/``.htm``, ``.json`` and ``.jsonl`` file below the folder is a
candidate (hidden folders, briefreader's own state folder and the manifest are skipped).

Symbolic links inside the folder that point inside it are followed; a link that resolves outside the
corpus folder (``passwd.txt -> /etc/passwd``, ``etc -> /etc``) is skipped with a warning, unless the
caller asks to follow such links (``follow_links``, the CLI's ``--follow-links``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefreader.core.manifest import Manifest, load_manifest
from briefreader.core.model import LoadWarning
from briefreader.core.paths import MANIFEST_NAME, STATE_DIR_NAME

ARTICLE_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                    ".json": "json", ".jsonl": "jsonl"}



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
