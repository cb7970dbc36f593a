"""The reader's user settings: ``config.yaml`` (written by the user) and ``reader-state.yaml``
(written by the reader: the remembered theme).

Both live in :func:`briefreader.core.paths.config_dir`. ``config.yaml`` looks like::

    theme: briefreader-light        # starting theme (a runtime choice overrides it)
    keymap:                         # command id -> comma-separated keys
      search: slash,ctrl+f
      cursor_down: j,down,ctrl+n

A missing file is fine; a broken one is reported (one notice) and the defaults are used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefreader.core.paths import atomic_write_text, config_dir

CONFIG_NAME = "config.yaml"
STATE_NAME = "reader-state.yaml"


@dataclass
class ReaderConfig:
    """What the user asked for, plus problems found reading it (shown once as a notice)."""

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


# Settings files are a few lines; a file far bigger than this is refused unread.
MAX_CONFIG_BYTES = 256 * 1024


def _read_yaml(path: Path) -> tuple[object, str | None]:
    from briefreader.core.safe_yaml import YAMLProblem, load_yaml

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"{path}: cannot read ({exc})"
    try:
        return load_yaml(text, max_chars=MAX_CONFIG_BYTES), None
    except YAMLProblem as exc:
        where = f" line {exc.line}" if exc.line is not None else ""
        return None, f"{path}:{where} not valid YAML ({exc.problem})"


def load_config(known_command_ids: set[str], folder: Path | None = None) -> ReaderConfig:
    """Read ``config.yaml`` and ``reader-state.yaml`` from ``folder`` (default: the config folder)."""
    folder = folder or config_dir()
    config = ReaderConfig()
    data, problem = _read_yaml(folder / CONFIG_NAME)
    if problem:
        config.problems.append(problem)
    if data is not None and not isinstance(data, dict):
        config.problems.append(f"{folder / CONFIG_NAME}: expected a mapping (theme:, keymap:)")
        data = None
    if isinstance(data, dict):
        theme = data.get("theme")
        if theme is not None:
            config.theme = str(theme)
        keymap = data.get("keymap") or {}
        if not isinstance(keymap, dict):
            config.problems.append(f"{folder / CONFIG_NAME}: keymap must map command ids to keys")
        else:
            for command_id, keys in keymap.items():
                command_id = str(command_id)
                if command_id not in known_command_ids:
                    config.problems.append(f"keymap: unknown command id {command_id!r} ignored")
                    continue
                if isinstance(keys, (list, tuple)):
                    keys = ",".join(str(k) for k in keys)
                keys = str(keys or "").replace(" ", "")
                if not keys:
                    config.problems.append(f"keymap: no keys for {command_id!r}, ignored")
                    continue
                config.keymap[command_id] = keys
    state, problem = _read_yaml(folder / STATE_NAME)
    if isinstance(state, dict) and state.get("theme"):
        config.theme = str(state["theme"])
    return config


def remember_theme(theme: str, folder: Path | None = None) -> str | None:
    """Store the chosen theme atomically; returns an error message instead of raising."""
    import yaml

    folder = folder or config_dir()
    try:
        atomic_write_text(folder / STATE_NAME, yaml.safe_dump({"theme": theme}))
    except OSError as exc:
        return f"could not remember the theme ({exc})"
    return None
