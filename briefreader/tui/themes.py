"""Themes as data: YAML files turned into Textual themes, validated, with the reader's own colours.

A theme file (shipped in ``themes/``, or the user's in ``<config dir>/themes/``) looks like::

    name: briefreader-dark
    dark: true
    primary: "#5fa8d3"
    background: "#15191e"
    ...                          # any Textual Theme colour field
    variables:                   # the reader's own colours (see APP_VARIABLES)
      br-diff-added: "#1e4d2b"

Every colour is parsed; a file that fails is collected as a problem (reported once by the app) and
skipped, so a broken theme never stops the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

DEFAULT_THEME = "briefreader-dark"

#: The reader's own colours, with a default for dark and for light themes. Each is a CSS variable
#: (``$br-diff-added``) used by the widgets' component classes.
APP_VARIABLES: dict[str, tuple[str, str, str]] = {
    # name: (dark default, light default, what it colours)
    "br-quote": ("#9ecbff", "#0b4f8a", "quotation text (no variants elsewhere)"),
    "br-quote-variant": ("#f2c572", "#8a4b00", "quotation text that other outlets render too"),
    "br-quote-current": ("#33445e", "#c9dcf5", "background of the selected quotation"),
    "br-hit": ("#6b5a1e", "#ffe58a", "background of a search hit"),
    "br-hit-current": ("#a8781a", "#ffb84d", "background of the current search hit"),
    "br-diff-added": ("#1e5a32", "#b7ebc4", "background of words added in the compared rendering"),
    "br-diff-removed": ("#6e2530", "#f6c1c7", "background of words missing from the compared rendering"),
    "br-diff-changed": ("#5c4a12", "#f7e3a1", "background of changed words"),
    "br-earliest": ("#7fd18b", "#1d7a33", "marker of the earliest rendering of a quote"),
    "br-removed": ("#6b7280", "#9aa0a6", "furniture removed by the cleaner (raw view)"),
    "br-removed-reason": ("#c08457", "#9a4f12", "the reason shown for each removal (raw view)"),
    "br-title-fallback": ("#9aa5b1", "#5f6b76", "list titles made from the first words of the body"),
    "br-triage-mark": ("#f2c572", "#8a4b00", "triage marks in the list"),
    "br-highlight": ("#5a2d82", "#f0d0ff", "background of the analyst's highlights in the body"),
    "br-selection": ("#2f6f8f", "#a9d3ee", "background of the visual selection (v) in the body"),
}

_THEME_FIELDS = ("primary", "secondary", "warning", "error", "success", "accent", "foreground",
                 "background", "surface", "panel", "boost")


@dataclass
class ThemeLoad:
    """Themes read from folders, and one line per file that could not be used."""

    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def variable_defaults(dark: bool) -> dict[str, str]:
    """Default values of the reader's theme variables for a dark or a light theme."""
    return {name: (d if dark else light) for name, (d, light, _) in APP_VARIABLES.items()}


def _check_colour(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: expected a colour, got {value!r}")
    try:
        Color.parse(value.strip())
    except ColorParseError as exc:
        raise ValueError(f"{where}: {value!r} is not a colour ({exc})") from None
    return value.strip()


def theme_from_dict(data: object, origin: str = "theme") -> Theme:
    """Build a Textual theme from parsed YAML; raises ValueError with a readable reason."""
    if not isinstance(data, dict):
        raise ValueError("expected a mapping with name:, primary: and colours")
    data = dict(data)
    name = data.pop("name", None)
    if not isinstance(name, str) or not name.strip():
        raise ValueError("missing name:")
    kwargs: dict[str, object] = {"name": name.strip()}
    if "primary" not in data:
        raise ValueError("missing primary: colour")
    for key in _THEME_FIELDS:
        if key in data:
            value = data.pop(key)
            if value is not None:
                kwargs[key] = _check_colour(value, key)
    dark = data.pop("dark", True)
    if not isinstance(dark, bool):
        raise ValueError(f"dark: expected true or false, got {dark!r}")
    kwargs["dark"] = dark
    for key in ("luminosity_spread", "text_alpha"):
        if key in data:
            value = data.pop(key)
            if not isinstance(value, (int, float)):
                raise ValueError(f"{key}: expected a number, got {value!r}")
            kwargs[key] = float(value)
    variables = data.pop("variables", None) or {}
    if not isinstance(variables, dict):
        raise ValueError("variables: expected a mapping of name: colour")
    checked: dict[str, str] = {}
    for var_name, value in variables.items():
        var_name = str(var_name)
        if var_name.startswith("br-") and var_name not in APP_VARIABLES:
            raise ValueError(f"variables: unknown reader colour {var_name!r}")
        checked[var_name] = _check_colour(value, f"variables.{var_name}") if var_name.startswith("br-") else str(value)
    kwargs["variables"] = checked
    if data:
        raise ValueError(f"unknown key(s): {', '.join(sorted(map(str, data)))}")
    return Theme(**kwargs)  # type: ignore[arg-type]


# A theme is a few dozen lines; a file far bigger than this is refused unread.
MAX_THEME_BYTES = 256 * 1024


def load_theme_file(path: Path) -> Theme:
    """Read one YAML theme file; raises ValueError naming the problem."""
    from briefreader.core.safe_yaml import YAMLProblem, load_yaml

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_THEME_BYTES + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read ({exc})") from None
    try:
        data = load_yaml(text, max_chars=MAX_THEME_BYTES)
    except YAMLProblem as exc:
        where = f"line {exc.line}: " if exc.line is not None else ""
        raise ValueError(f"{where}not valid YAML ({exc.problem})") from None
    return theme_from_dict(data, str(path))


def shipped_themes_dir() -> Path:
    """The ``themes/`` folder shipped with briefreader."""
    here = Path(__file__).resolve()
    for candidate in (here.parent.parent.parent / "themes", here.parent / "themes"):
        if candidate.is_dir():
            return candidate
    return here.parent.parent.parent / "themes"


def load_themes(folders: list[Path]) -> ThemeLoad:
    """Every ``*.yaml``/``*.yml`` theme in ``folders`` (later folders override earlier names)."""
    result = ThemeLoad()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            try:
                result.themes.append(load_theme_file(path))
            except ValueError as exc:
                result.problems.append(f"{path.name}: {exc}")
    return result
