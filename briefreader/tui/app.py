"""The reader app: ``briefreader open DIR``.

A thin app: the settings (config file, keymap, themes), notices made inert, the command palette and
idle garbage collection. What the reader shows is :class:`briefreader.tui.screens.reader.ReaderScreen`,
its default screen, which composes the widgets and owns the reader's state.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Iterable
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Input

from briefreader.tui.commands import APP, COMMANDS, COMMANDS_BY_ID, display_keys, effective_keys
from briefreader.tui.config import CONFIG_NAME, ReaderConfig, load_config, remember_theme
from briefreader.tui.screens.reader import ReaderScreen
from briefreader.tui.services import ReaderServices
from briefreader.tui.themes import DEFAULT_THEME, load_themes, shipped_themes_dir, variable_defaults

log = logging.getLogger(__name__)

GC_CHECK_SECONDS = 2.0  # how often a full garbage collection is considered
GC_IDLE_SECONDS = 1.0  # ... and run, once no key or click came for this long
GC_MAX_SECONDS = 15.0  # ... or anyway after this long


class IdleCollector:
    """Full garbage collections, which take 50-130 ms on a big corpus, run here: when nobody has
    typed for a moment, or at the latest every GC_MAX_SECONDS (see :func:`defer_full_gc`)."""

    def __init__(self) -> None:
        self.last_input = time.monotonic()  # the app sets it on every key and click
        self.last_full_gc = time.monotonic()

    def tick(self) -> None:
        """Collect now if it is time (called every GC_CHECK_SECONDS)."""
        import gc

        now = time.monotonic()
        idle = now - self.last_input >= GC_IDLE_SECONDS
        if (idle and now - self.last_full_gc >= GC_CHECK_SECONDS) or now - self.last_full_gc >= GC_MAX_SECONDS:
            gc.collect()
            self.last_full_gc = time.monotonic()


class ReaderApp(App[None]):
    """The briefreader reader on one corpus folder."""

    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute, so subclasses elsewhere work
    TITLE = "briefreader"
    # the palette's own key (instead of Textual's ctrl+p); every other command is the reader screen's
    BINDINGS = [COMMANDS_BY_ID["command_palette"].binding()]

    def __init__(self, root: Path | str, *, use_cache: bool = True, config_folder: Path | None = None,
                 follow_links: bool = False) -> None:
        _start_resource_tracker()
        self.root = Path(root)
        self.config_folder = config_folder
        self.config: ReaderConfig = load_config(set(COMMANDS_BY_ID), config_folder)
        self.notices: list[str] = list(self.config.problems)
        # follow_links: also read links pointing outside the corpus folder (--follow-links)
        self.services = ReaderServices(self.root, use_cache=use_cache, follow_links=follow_links)
        super().__init__()
        self._remembered_theme = ""
        self._register_themes()
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        self._redirected_keys: weakref.WeakSet[events.Key] = weakref.WeakSet()
        self.idle_gc = IdleCollector()
        self.reader = ReaderScreen(self.services, dict(self.config.layouts), keys_for=self.keys_for,
                                   keymap=dict(self.config.keymap), config_folder=config_folder)

    def get_default_screen(self) -> Screen[None]:
        return self.reader

    # ------------------------------------------------------------------ themes and keymap

    def _register_themes(self) -> None:
        from briefreader.core.paths import config_dir

        user_themes = (self.config_folder or config_dir()) / "themes"
        loaded = load_themes([shipped_themes_dir(), user_themes])
        for theme in loaded.themes:
            self.register_theme(theme)
        if loaded.problems:
            self.notices.append("theme file(s) skipped: " + "; ".join(loaded.problems))
        wanted = self.config.theme or DEFAULT_THEME
        if wanted not in self.available_themes:
            if self.config.theme:
                self.notices.append(f"theme {wanted!r} not found; using the default")
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        self.theme = wanted
        self._remembered_theme = wanted

    def get_theme_variable_defaults(self) -> dict[str, str]:
        theme = self.get_theme(self.theme) if getattr(self, "_registered_themes", None) else None
        return variable_defaults(theme.dark if theme is not None else True)

    def _theme_changed(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if name and name != self._remembered_theme:
            self._remembered_theme = name
            problem = remember_theme(name, self.config_folder)
            if problem:
                self.notify(problem, severity="warning")
        self.call_after_refresh(self.reader.rerender_all)

    @property
    def keymap(self) -> dict[str, str]:
        return dict(self.config.keymap)

    def keys_for(self, command_id: str) -> str:
        """The keys of a command as the user sees them (after the keymap)."""
        return display_keys(effective_keys(COMMANDS_BY_ID[command_id], self.config.keymap))

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.notices:
            hint = f" (config: {_config_path(self.config_folder)})"
            self.notify("\n".join(self.notices) + hint, title="Settings", severity="warning", timeout=8)
        self.set_interval(GC_CHECK_SECONDS, self.idle_gc.tick)

    async def _on_key(self, event: events.Key) -> None:
        # Keys typed in one burst ("/trap", a paste, tmux send-keys) are all queued at the widget
        # focused when they arrived; the first one may move focus to an input (search, tag, note).
        # The rest then bubble up here unhandled: hand the printable ones to the input.
        from textual.widgets import TextArea

        focused = self.focused
        if event.is_printable and isinstance(focused, (Input, TextArea)) and event not in self._redirected_keys:
            redirected = events.Key(event.key, event.character)
            self._redirected_keys.add(redirected)  # the copy must not be redirected again
            focused.post_message(redirected)
            event.stop()
            event.prevent_default()  # Textual's own key handling (bindings) must not see it too

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.idle_gc.last_input = time.monotonic()
        await super().on_event(event)


    # ------------------------------------------------------------------ commands of the app

    async def action_quit(self) -> None:
        """q: let the triage writes finish, save the reading position, close the store, quit."""
        await self.reader.triage.before_quit()
        await super().action_quit()
        self.reader.triage.close()

    def triage_close(self) -> None:
        """Close the triage store (checkpointed: the main file alone then holds everything). Idempotent."""
        self.reader.triage.close()

    def action_help(self) -> None:
        from briefreader.tui.screens.help import HelpScreen

        config = _config_path(self.config_folder)
        hint = (f"Remap any key in {config}, e.g.\n  keymap:\n    search: slash,ctrl+f\n"
                "Command ids: " + ", ".join(c.id for c in COMMANDS))
        self.push_screen(HelpScreen(self.config.keymap, hint))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Textual's notify, with every message and title made inert and never read as markup:
        notices name articles, tags, paths and errors, all of which may come from the corpus."""
        from briefreader.core.inert import inert, inert_line

        super().notify(inert(message), title=inert_line(title), severity=severity,
                       timeout=timeout, markup=False)

    # ------------------------------------------------------------------ palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for command in COMMANDS:
            if not command.palette or command.scope != APP:
                continue
            keys = self.keys_for(command.id)
            yield SystemCommand(command.description, f"{command.section} · key: {keys}",
                                lambda action=command.action: self.run_action(action, self.reader))


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker while stderr is still the real one.

    The corpus loader spawns worker processes for big folders; spawning starts the tracker on
    first use and hands it ``sys.stderr.fileno()``, which is -1 once Textual captures stderr
    ("bad value(s) in fds_to_keep"). Started here, before the app runs, it is simply reused.
    """
    try:
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    except Exception as exc:  # no tracker: the loader falls back to what it can do
        log.warning("multiprocessing's resource tracker did not start: %s", exc)


def exempt_from_gc() -> None:
    """Move every object alive now (the corpus, the quote data: millions of long-lived objects) out
    of reach of the cyclic garbage collector. Otherwise each full collection walks them all: at 10k
    articles that was a 150-240 ms freeze every second or so while typing a search."""
    import gc

    gc.freeze()


def defer_full_gc() -> None:
    """Leave full collections to :class:`IdleCollector`: young generations are still
    collected as usual, but the full pass (every surviving object) no longer fires mid-keystroke.
    Textual's line strips cache themselves (a cycle per strip), so each screen update leaves cyclic
    garbage, and full passes came every second or so while typing a search. Process-wide: called by
    :func:`run`, which owns the process (not by the app, which tests run many times in one process)."""
    import gc

    threshold0, threshold1, _ = gc.get_threshold()
    gc.set_threshold(threshold0, threshold1, 1_000_000)


def _config_path(config_folder: Path | None) -> Path:
    from briefreader.core.paths import config_dir

    return (config_folder or config_dir()) / CONFIG_NAME


def run(root: Path, *, use_cache: bool = True, follow_links: bool = False) -> int:
    """Run the reader on ``root`` until the user quits."""
    defer_full_gc()
    app = ReaderApp(root, use_cache=use_cache, follow_links=follow_links)
    try:
        app.run()
    finally:
        app.triage_close()  # however the reader ended: checkpoint, so triage.sqlite3 alone is complete
    return 0
