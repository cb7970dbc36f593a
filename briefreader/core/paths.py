"""Where briefreader keeps its files, and how it writes and deletes them safely.

Two kinds of files:

- **what a person made** (triage state: ``triage.sqlite3``) lives in the corpus folder, in
  ``DIR/.briefreader/``, so it travels with the corpus; a read-only corpus (or an in-corpus state
  folder that is a symbolic link) keeps it in the per-user data folder instead;
- **what briefreader derives** (record cache, search index, quote cache) lives only in the per-user
  cache folder, one folder per corpus keyed by the corpus's real path. Nothing derived is ever read
  from the corpus folder: a copy received from someone else may carry files that would run code.

Every state folder is created 0700 and every state file 0600 (whatever the umask); nothing is
written or deleted through a symbolic link. Set ``BRIEFREADER_HOME`` to move every per-user folder
(tests do this).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import shutil
import stat as stat_module
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

STATE_DIR_NAME = ".briefreader"
MANIFEST_NAME = "briefreader.yaml"
# What older briefreaders (or another copy of the corpus) left in DIR/.briefreader and is now never read.
FOREIGN_DERIVED_NAMES = {
    "records.sqlite": "record cache", "records.sqlite-wal": "record cache", "records.sqlite-shm": "record cache",
    "index": "index", "index.lock": "index", "quotes": "quote cache",
}
READ_ONLY_REASON = "the corpus folder is read-only"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


class UnsafePathError(OSError):
    """A path briefreader would write or delete is a symbolic link, not what it should be, or outside
    the folder it belongs to. ``str(exc)`` is one line for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.EPERM, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


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
    """Per-user data folder (triage state of read-only corpora)."""
    return _user_dir("data")


def user_cache_dir() -> Path:
    """Per-user cache folder (everything derived: record caches, indexes, quote caches)."""
    return _user_dir("cache")


def _corpus_key(root: Path) -> str:
    resolved = str(Path(root).resolve())
    return f"{Path(resolved).name}-{hashlib.sha1(resolved.encode()).hexdigest()[:12]}"


# --------------------------------------------------------------------------- private folders and files


def is_symlink(path: Path | str) -> bool:
    """True if ``path`` itself is a symbolic link (never follows it)."""
    try:
        return stat_module.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def make_private_dir(path: Path, *, base: Path | None = None) -> Path:
    """Create ``path`` (and its missing parents below ``base``) as folders of mode 0700.

    Refuses (:class:`UnsafePathError`) when ``path`` or a component below ``base`` is a symbolic
    link or not a folder. ``base`` itself (e.g. ``~/.cache/briefreader``) may sit behind links the
    user made; it is created 0700 when missing.
    """
    path = Path(path)
    base = Path(base) if base is not None else path
    try:
        parts = path.relative_to(base).parts
    except ValueError:
        raise UnsafePathError(f"{path} is not inside {base}") from None
    if not base.exists():
        base.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        _chmod_quietly(base, PRIVATE_DIR_MODE)
    elif not base.is_dir():
        raise UnsafePathError(f"{base} is not a folder")
    current = base
    for part in parts:
        current = current / part
        try:
            os.mkdir(current, PRIVATE_DIR_MODE)
            _chmod_quietly(current, PRIVATE_DIR_MODE)  # mkdir's mode is cut by the umask
            continue
        except FileExistsError:
            pass
        info = os.lstat(current)
        if stat_module.S_ISLNK(info.st_mode):
            raise UnsafePathError(f"{current} is a symbolic link; briefreader does not write through links")
        if not stat_module.S_ISDIR(info.st_mode):
            raise UnsafePathError(f"{current} is not a folder")
    try:
        info = os.lstat(path)
        if stat_module.S_IMODE(info.st_mode) != PRIVATE_DIR_MODE and info.st_uid == os.geteuid():
            _chmod_quietly(path, PRIVATE_DIR_MODE)  # made by an older briefreader with the umask's mode
    except OSError as exc:
        log.debug("cannot check the mode of %s: %s", path, exc)
    return path


def _chmod_quietly(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode, follow_symlinks=False)
    except (OSError, NotImplementedError) as exc:  # not ours (a shared folder): leave its mode alone
        log.debug("cannot chmod %s: %s", path, exc)


def make_private_file(path: Path) -> bool:
    """Make sure ``path`` is a regular file of mode 0600: created empty when missing (True), made 0600
    when it exists and is ours. Refuses a symbolic link or anything but a regular file."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, PRIVATE_FILE_MODE)
    except FileExistsError:
        refuse_unless_regular(path)
        if stat_module.S_IMODE(os.lstat(path).st_mode) != PRIVATE_FILE_MODE:
            _chmod_quietly(path, PRIVATE_FILE_MODE)
        return False
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)
    return True


def refuse_unless_regular(path: Path, *, missing_ok: bool = True) -> None:
    """Raise :class:`UnsafePathError` if ``path`` is a symbolic link or exists as anything but a regular file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if missing_ok:
            return
        raise
    if stat_module.S_ISLNK(info.st_mode):
        raise UnsafePathError(f"{path} is a symbolic link; briefreader does not write through links")
    if not stat_module.S_ISREG(info.st_mode):
        raise UnsafePathError(f"{path} is not a regular file")


def open_private_file(path: Path, flags: int = os.O_RDWR) -> int:
    """``os.open`` of a state file: created 0600, never through a symbolic link (ELOOP becomes
    :class:`UnsafePathError`). Returns the descriptor."""
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, PRIVATE_FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePathError(f"{path} is a symbolic link; briefreader does not write through links") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat_module.S_ISREG(info.st_mode):
            raise UnsafePathError(f"{path} is not a regular file")
        if stat_module.S_IMODE(info.st_mode) != PRIVATE_FILE_MODE and info.st_uid == os.geteuid():
            os.fchmod(fd, PRIVATE_FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _inside(path: Path, folder: Path) -> bool:
    """True if ``path`` (its parent resolved, the last component as is) lies inside ``folder`` (resolved)."""
    real_folder = os.path.realpath(folder)
    real_parent = os.path.realpath(Path(path).parent)
    candidate = os.path.join(real_parent, Path(path).name)
    return os.path.commonpath([real_folder, candidate]) == real_folder and candidate != real_folder


def safe_unlink(path: Path, container: Path) -> None:
    """Remove the file (or link: the link itself) ``path``, which must lie inside ``container``.

    Missing is fine. Raises :class:`UnsafePathError` when ``path`` resolves outside ``container``.
    """
    if not _inside(path, container):
        raise UnsafePathError(f"refusing to delete {path}: it is not inside {container}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def safe_rmtree(path: Path, container: Path) -> None:
    """Delete the folder ``path`` and everything in it, never leaving ``container``.

    A symbolic link at ``path`` is removed itself, never followed; links inside are removed, not
    followed (``shutil.rmtree`` works on descriptors). Raises :class:`UnsafePathError` when ``path``
    resolves outside ``container``.
    """
    if not _inside(path, container):
        raise UnsafePathError(f"refusing to delete {path}: it is not inside {container}")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat_module.S_ISDIR(info.st_mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


# --------------------------------------------------------------------------- where state lives


def derived_dir(root: Path, *, create: bool = True) -> Path:
    """The per-user cache folder of the corpus at ``root``: record cache, index, quote cache.

    Keyed by the corpus's real path; never inside the corpus folder. Created 0700 (and refused,
    :class:`UnsafePathError`, if a component of it is a symbolic link).
    """
    base = user_cache_dir()
    folder = base / "corpora" / _corpus_key(Path(root))
    if create:
        make_private_dir(folder, base=base)
    return folder


@dataclass
class StateLocation:
    """Where the triage state of a corpus lives: ``folder``, whether inside the corpus, and why not."""

    folder: Path
    in_corpus: bool
    reason: str | None = None  # why the per-user folder is used (None when in the corpus)

    def notice(self, path: Path | None = None) -> str | None:
        """One line for the user when the state is not in the corpus folder."""
        if self.in_corpus:
            return None
        return f"{self.reason}; triage state is kept in {path or self.folder}"


_STATE_FILES = ("triage.sqlite3", "triage.sqlite3-wal", "triage.sqlite3-shm", "triage.sqlite3-journal")


def _in_corpus_problem(in_corpus: Path) -> str | None:
    """Why ``DIR/.briefreader`` cannot hold state (a link, not a folder, a state file that is a link)."""
    try:
        info = os.lstat(in_corpus)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{in_corpus} cannot be read ({exc.strerror or exc})"
    if stat_module.S_ISLNK(info.st_mode):
        return f"{in_corpus} is a symbolic link (refused: briefreader does not write through links)"
    if not stat_module.S_ISDIR(info.st_mode):
        return f"{in_corpus} is not a folder"
    for name in _STATE_FILES:
        candidate = in_corpus / name
        try:
            mode = os.lstat(candidate).st_mode
        except OSError:
            continue
        if stat_module.S_ISLNK(mode):
            return f"{candidate} is a symbolic link (refused: briefreader does not write through links)"
        if not stat_module.S_ISREG(mode):
            return f"{candidate} is not a regular file"
    return None


def _writable(folder: Path) -> bool:
    """Whether ``folder`` (created 0700 when missing, never through a link) takes a new file."""
    try:
        make_private_dir(folder, base=folder.parent)
        # unique per thread: two workers probing the same folder at once must not race
        probe = folder / f".write-probe-{os.getpid()}-{threading.get_ident()}"
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, PRIVATE_FILE_MODE)
        os.close(fd)
        os.unlink(probe)
        return True
    except OSError:
        return False


def state_location(root: Path, *, create: bool = True) -> StateLocation:
    """Where the triage state of the corpus at ``root`` lives.

    ``DIR/.briefreader`` when the corpus folder is writable and that folder (and the state files in
    it) are plain folders and files; otherwise a per-corpus folder under the per-user data folder,
    with the reason (a read-only corpus; a symbolic link, which is refused and never written through).
    """
    root = Path(root)
    in_corpus = root / STATE_DIR_NAME
    problem = _in_corpus_problem(in_corpus)
    if problem is None:
        if create:
            if _writable(in_corpus):
                return StateLocation(in_corpus, True)
        elif ((in_corpus.is_dir() and os.access(in_corpus, os.W_OK))
              or (not in_corpus.exists() and os.access(root, os.W_OK))):
            return StateLocation(in_corpus, True)
        problem = READ_ONLY_REASON
    base = user_data_dir()
    fallback = base / "corpora" / _corpus_key(root)
    if create:
        make_private_dir(fallback, base=base)
    return StateLocation(fallback, False, problem)


def fallback_reason(root: Path) -> str:
    """Why the triage state of ``root`` is not kept in ``DIR/.briefreader`` (one phrase)."""
    return _in_corpus_problem(Path(root) / STATE_DIR_NAME) or READ_ONLY_REASON


def state_dir(root: Path, *, kind: str = "data", create: bool = True) -> tuple[Path, bool]:
    """The corpus's state folder and whether it is the in-corpus one.

    ``kind="data"``: triage state (see :func:`state_location`). ``kind="cache"``: derived state,
    always the per-user cache folder (:func:`derived_dir`), so the answer is never in the corpus.
    """
    if kind == "cache":
        return derived_dir(root, create=create), False
    location = state_location(root, create=create)
    return location.folder, location.in_corpus


def foreign_derived_notice(root: Path) -> str | None:
    """One line if ``DIR/.briefreader`` holds derived files (made by another copy or an older
    briefreader): they are never opened; the caller shows the line with the load's warnings."""
    in_corpus = Path(root) / STATE_DIR_NAME
    try:
        if not stat_module.S_ISDIR(os.lstat(in_corpus).st_mode):
            return None
        names = os.listdir(in_corpus)
    except OSError:
        return None
    kinds = sorted({FOREIGN_DERIVED_NAMES[n] for n in names if n in FOREIGN_DERIVED_NAMES})
    if not kinds:
        return None
    return (f"derived files in {in_corpus} ({', '.join(kinds)}) come from another copy or an older briefreader "
            f"and are ignored (never opened); briefreader keeps its own in {derived_dir(root, create=False)}. "
            "They can be deleted")


# --------------------------------------------------------------------------- writing files


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = PRIVATE_FILE_MODE) -> None:
    """Write ``data`` to ``path`` atomically: a new temp file in the same folder (never through a
    link), fsync, rename over ``path``. The file gets ``mode`` (0600 by default, umask ignored)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _write_temp(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str, *, mode: int = PRIVATE_FILE_MODE) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def _write_temp(path: Path, data: bytes, mode: int | None) -> Path:
    """A new file next to ``path`` holding ``data`` (fsynced), created exclusively (never through a
    link) with ``mode``, or with 0666 less the umask when ``mode`` is None."""
    for attempt in range(100):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.{attempt}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                         0o600 if mode is not None else 0o666)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tmp


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError as exc:
        log.debug("cannot remove %s: %s", path, exc)


def _fsync_dir(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        log.debug("cannot fsync %s: %s", folder, exc)


class ExportTargetError(Exception):
    """The path given for an export cannot (or may not) be written. ``str(exc)`` is one line.

    ``exists`` is True when the only problem is an existing regular file (replace with ``force``),
    ``missing_folder`` when it is a missing parent folder (create it with ``make_parents``)."""

    def __init__(self, message: str, *, exists: bool = False, missing_folder: bool = False) -> None:
        super().__init__(message)
        self.exists = exists
        self.missing_folder = missing_folder


_KINDS = ((stat_module.S_ISDIR, "a folder; give a file name"), (stat_module.S_ISCHR, "a device"),
          (stat_module.S_ISBLK, "a device"), (stat_module.S_ISFIFO, "a FIFO (named pipe)"),
          (stat_module.S_ISSOCK, "a socket"))


def check_output_file(path: Path, *, force: bool = False, make_parents: bool = False) -> None:
    """Raise :class:`ExportTargetError` unless a regular file may be written at ``path``.

    Refused: a symbolic link, a folder, a device, a FIFO, a socket; an existing regular file unless
    ``force``; a missing parent folder unless ``make_parents`` (then it will be created).
    """
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ExportTargetError(f"cannot use {path}: {exc.strerror or exc}") from None
    if info is not None:
        if stat_module.S_ISLNK(info.st_mode):
            raise ExportTargetError(f"{path} is a symbolic link; briefreader writes only regular files, "
                                    "give the real path or another name")
        for test, what in _KINDS:
            if test(info.st_mode):
                raise ExportTargetError(f"{path} is {what}; briefreader writes only regular files")
        if not force:
            raise ExportTargetError(f"{path} exists; use --force to replace it", exists=True)
    parent = path.parent
    if not parent.exists():
        if not make_parents:
            raise ExportTargetError(f"the folder {parent} does not exist (use --mkdir to create it)",
                                    missing_folder=True)
    elif not parent.is_dir():
        raise ExportTargetError(f"{parent} is not a folder")


def write_output_file(path: Path, text: str, *, force: bool = False, make_parents: bool = False) -> None:
    """Write ``text`` to the regular file ``path`` atomically (see :func:`check_output_file` for what
    is refused). Without ``force`` a file that appears meanwhile is not replaced (hard link, no
    clobber). The file gets the usual mode for new documents (0666 less the umask), or keeps the
    mode of the file it replaces. Raises :class:`ExportTargetError` or ``OSError``."""
    path = Path(path)
    check_output_file(path, force=force, make_parents=make_parents)
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat_module.S_IMODE(os.lstat(path).st_mode)
    except FileNotFoundError:
        mode = None  # a new document: 0666 less the umask, as any program would create it
    tmp = _write_temp(path, text.encode("utf-8"), mode)
    try:
        if force:
            check_output_file(path, force=True)  # still a regular file (or nothing) right before the rename
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path, follow_symlinks=False)
            except FileExistsError:
                raise ExportTargetError(f"{path} exists; use --force to replace it", exists=True) from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                os.replace(tmp, path)  # no hard links on this file system
    finally:
        if os.path.lexists(tmp):
            _unlink_quietly(tmp)
    _fsync_dir(path.parent)
