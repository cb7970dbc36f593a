"""The reader's user settings: ``config.yaml`` (written by the user) and ``reader-state.yaml``
(written by the reader: the remembered theme and layouts).

Both live in :func:`briefreader.core.paths.config_dir`. ``config.yaml`` looks like::

    theme: briefreader-light        # starting theme (a runtime choice overrides it)
    layout: panes                   # list | panes | article on wide terminals (the p key overrides it)
    layout-narrow: list             # the same below 120 columns
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

#: The reader's layouts: the list full width, list + article + diff, the article (and diff) full width.
LAYOUTS: tuple[str, ...] = ("list", "panes", "article")
#: Remembered per terminal class (wide / narrow): the key in the settings files, and the default.
LAYOUT_KEYS = {"wide": "layout", "narrow": "layout-narrow"}
DEFAULT_LAYOUTS = {"wide": "panes", "narrow": "list"}


@dataclass
class ReaderConfig:
    """What the user asked for, plus problems found reading it (shown once as a notice)."""

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    layouts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LAYOUTS))  # "wide"/"narrow" -> layout
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
    if isinstance(data, dict):
        _read_layouts(data, config, folder / CONFIG_NAME)
    state, problem = _read_yaml(folder / STATE_NAME)
    if isinstance(state, dict) and state.get("theme"):
        config.theme = str(state["theme"])
    if isinstance(state, dict):
        _read_layouts(state, config, folder / STATE_NAME)
    return config


def _read_layouts(data: dict, config: ReaderConfig, path: Path) -> None:
    for size, key in LAYOUT_KEYS.items():
        value = data.get(key)
        if value is None:
            continue
        if value not in LAYOUTS:
            config.problems.append(f"{path}: {key} must be one of {', '.join(LAYOUTS)}, not {value!r}")
            continue
        config.layouts[size] = value


def _remember(values: dict[str, str], what: str, folder: Path | None) -> str | None:
    """Merge ``values`` into ``reader-state.yaml`` atomically; an error message instead of raising."""
    import yaml

    folder = folder or config_dir()
    state, problem = _read_yaml(folder / STATE_NAME)
    kept = ({k: v for k, v in state.items() if isinstance(k, str) and isinstance(v, str)}
            if isinstance(state, dict) else {})
    kept.update(values)
    try:
        atomic_write_text(folder / STATE_NAME, yaml.safe_dump(kept))
    except OSError as exc:
        return f"could not remember the {what} ({exc})"
    return None


def remember_theme(theme: str, folder: Path | None = None) -> str | None:
    """Store the chosen theme atomically; returns an error message instead of raising."""
    return _remember({"theme": theme}, "theme", folder)


def remember_layout(size: str, layout: str, folder: Path | None = None) -> str | None:
    """Store the layout chosen for ``size`` ("wide" or "narrow" terminals); an error message instead of raising."""
    if size not in LAYOUT_KEYS or layout not in LAYOUTS:
        raise ValueError(f"unknown layout {size}/{layout}")
    return _remember({LAYOUT_KEYS[size]: layout}, "layout", folder)
