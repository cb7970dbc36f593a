"""Cleaning: normalise text and drop page furniture, keeping what was removed and an offset map.

(Interim version: normalises nothing and removes nothing; the rule-based cleaner replaces it.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefreader.core.model import OffsetMap, RemovedBlock


@dataclass(slots=True)
class CleanResult:
    body: str
    offsets: OffsetMap
    removed: list[RemovedBlock] = field(default_factory=list)


@dataclass(slots=True)
class CleaningRules:
    extra: list[dict[str, Any]] = field(default_factory=list)

    @property
    def digest(self) -> str:
        return "interim"


def load_rules(extra: list[dict[str, Any]] | None = None) -> CleaningRules:
    """Default rules shipped with the package plus a corpus's extra rules (from its manifest)."""
    return CleaningRules(list(extra or []))


def line_fingerprints(source: str) -> set[str]:
    """Normalised lines of ``source`` that may count as repeated boilerplate evidence."""
    return set()


def clean_text(source: str, rules: CleaningRules, repeated: frozenset[str] = frozenset()) -> CleanResult:
    """Clean ``source``; ``repeated`` holds fingerprints of lines repeated across an outlet's articles."""
    return CleanResult(source, OffsetMap([(0, 0, len(source))]), [])
