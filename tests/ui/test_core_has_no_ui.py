"""The core (briefreader.core) and the storage layer (briefreader.storage) must never import Textual or
Rich: checked in a clean interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import briefreader.core
import briefreader.storage


def test_core_modules_never_import_textual_or_rich() -> None:
    modules = sorted([f"briefreader.core.{m.name}" for m in pkgutil.iter_modules(briefreader.core.__path__)]
                     + [f"briefreader.storage.{m.name}" for m in pkgutil.iter_modules(briefreader.storage.__path__)])
    assert "briefreader.core.clean" in modules and "briefreader.storage.corpus" in modules and len(modules) > 5
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"core imported UI modules: {out.stdout.strip()}"
