"""Where briefreader keeps its files: per-corpus state, per-user config, data and cache.

Set ``BRIEFREADER_HOME`` to move every per-user folder (tests do this).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

STATE_DIR_NAME = ".briefreader"
MANIFEST_NAME = "briefreader.yaml"


def _user_dir(kind: str) -> Path:
    home = os.environ.get("BRIEFREADER_HOME")
    if home:
        return Path(home) / kind
    import platformdirs

    getter = {
        "config": platformdirs.user_config_dir,
        "data": platformdirs.user_data_dir,
        "cache": platformdirs.user_cache_dir,
    }[kind]
    return Path(getter("briefreader", appauthor=False))


def config_dir() -> Path:
    """Per-user config folder: config.yaml, keymap, themes/."""
    return _user_dir("config")


def user_data_dir() -> Path:
    return _user_dir("data")


def user_cache_dir() -> Path:
    return _user_dir("cache")


def _corpus_key(root: Path) -> str:
    resolved = str(Path(root).resolve())
    return f"{Path(resolved).name}-{hashlib.sha1(resolved.encode()).hexdigest()[:12]}"


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        import threading

        # unique per thread: two workers probing the same folder at once must not race
        probe = folder / f".write-probe-{os.getpid()}-{threading.get_ident()}"
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except OSError:
        return False


def state_dir(root: Path, *, kind: str = "data", create: bool = True) -> tuple[Path, bool]:
    """The corpus's state folder and whether it is the in-corpus one.

    ``DIR/.briefreader`` when the corpus folder is writable; otherwise a per-corpus folder under
    the per-user data (``kind="data"``, for triage state) or cache (``kind="cache"``, for the index)
    folder. The caller reports the fallback to the user.
    """
    in_corpus = Path(root) / STATE_DIR_NAME
    if create:
        if _writable(in_corpus):
            return in_corpus, True
    elif in_corpus.is_dir() and os.access(in_corpus, os.W_OK) or os.access(root, os.W_OK):
        return in_corpus, True
    base = user_data_dir() if kind == "data" else user_cache_dir()
    fallback = base / "corpora" / _corpus_key(Path(root))
    if create:
        fallback.mkdir(parents=True, exist_ok=True)
    return fallback, False


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: temp file in the same folder, fsync, rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
