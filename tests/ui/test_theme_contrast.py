"""Every shipped theme keeps the body's marks apart: a highlight, the selected quotation, the visual
selection and search hits each need their own background, in truecolor and at 256 colours (Rich's
downgrade, which is what a 256-colour terminal gets)."""

from __future__ import annotations

from itertools import combinations

import pytest
from rich.color import Color, ColorSystem

from briefreader.tui.themes import APP_VARIABLES, load_themes, shipped_themes_dir, variable_defaults

MARK_BACKGROUNDS = ("br-highlight", "br-quote-current", "br-selection", "br-hit", "br-hit-current")

THEMES = load_themes([shipped_themes_dir()])


def _backgrounds(theme) -> dict[str, str]:
    values = variable_defaults(theme.dark)
    values.update({k: v for k, v in theme.variables.items() if k in APP_VARIABLES})
    return {name: values[name] for name in MARK_BACKGROUNDS}


def test_all_shipped_themes_load() -> None:
    assert not THEMES.problems
    assert len(THEMES.themes) == len(list(shipped_themes_dir().glob("*.yaml"))) >= 3


@pytest.mark.parametrize("theme", THEMES.themes, ids=lambda t: t.name)
@pytest.mark.parametrize("system", [ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT], ids=["truecolor", "256"])
def test_mark_backgrounds_differ(theme, system: ColorSystem) -> None:
    shown = {name: Color.parse(value).downgrade(system) for name, value in _backgrounds(theme).items()}
    same = [(a, b) for a, b in combinations(MARK_BACKGROUNDS, 2)
            if shown[a].get_truecolor() == shown[b].get_truecolor()]
    assert not same, f"{theme.name}: same background at {system.name}: {same} ({shown})"


@pytest.mark.parametrize("dark", [True, False], ids=["dark-defaults", "light-defaults"])
def test_default_mark_backgrounds_differ_at_256(dark: bool) -> None:
    """A user theme that sets none of these colours gets the defaults: they must differ too."""
    values = variable_defaults(dark)
    shown = {n: Color.parse(values[n]).downgrade(ColorSystem.EIGHT_BIT).get_truecolor() for n in MARK_BACKGROUNDS}
    assert len(set(shown.values())) == len(MARK_BACKGROUNDS), shown
