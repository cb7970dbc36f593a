"""One way to show and order an article date, used by every front end (list, header, export, CLI).

Dates are kept as ISO 8601, possibly partial: ``2025-08-17``, ``2025-08``, ``2025``, ``--08-17``
(day and month, no year) and ``---17`` (a day of the month only, as in the wire dateline
"BRUSSELS, 17 (EUROPA PRESS)"). Partial dates without a year are shown in words, sort after every
date that has a year, and never count as the earliest.
"""

from __future__ import annotations

import re

__all__ = ["display_date", "date_sort_key", "has_year"]

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NO_YEAR = re.compile(r"^--(\d{2})-(\d{2})$")
_DAY_ONLY = re.compile(r"^---(\d{2})$")


def has_year(iso: str | None) -> bool:
    """Whether ``iso`` is a date with a year (full, year-month or year)."""
    return bool(iso) and iso[:1].isdigit()  # type: ignore[index]


def display_date(iso: str | None, missing: str = "", *, short: bool = False) -> str:
    """``iso`` as shown to a reader: ISO for dates with a year (``2025-08-17``, ``2025-08``),
    words for the rest (``17 Aug (year unknown)``, ``17 (month unknown)``); ``missing`` for none.
    ``short`` (narrow columns, at most 10 characters): the same with a ``?`` for what is unknown
    (``17 Aug ?``, ``day 17 ?``)."""
    if not iso:
        return missing
    m = _DAY_ONLY.match(iso)
    if m:
        day = int(m.group(1))
        return f"day {day} ?" if short else f"{day} (month unknown)"
    m = _NO_YEAR.match(iso)
    if m:
        month = int(m.group(1))
        name = _MONTH_NAMES[month - 1] if 1 <= month <= 12 else m.group(1)
        return f"{int(m.group(2))} {name} ?" if short else f"{int(m.group(2))} {name} (year unknown)"
    return iso


def date_sort_key(iso: str | None) -> tuple[int, str]:
    """Sort key: dates with a year first (chronologically, a month before its days), then dates
    without a year, then no date. ``min()`` over it never picks a partial date while a full one
    exists."""
    if not iso:
        return (2, "")
    if has_year(iso):
        return (0, iso)
    return (1, iso.lstrip("-"))
