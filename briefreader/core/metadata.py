"""Metadata inferred from an article's text: title, outlet, dateline, date, author, url.

Only what the text says: datelines, date lines, bylines and source links the cleaner removed,
outlet names in agency datelines and in the furniture it removed (disclaimers, bios, copyright
lines, subscription prompts), and the headline when the body starts with one. Names the article
prose merely mentions ("... cites Politico") are never taken for the outlet. Unknown stays None.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from briefreader.core.clean import CleanResult, normalise_line
from briefreader.core.rules import CleaningRules, Rule, load_rules

FIELDS = ("title", "outlet", "dateline", "date", "author", "url")

_MONTHS = {name: i + 1 for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_TERMINAL_PERIOD = re.compile(r"\.[\"'”’»)\]]*$")
_TRAIL = " \t.,;:|-–—()[]"
# reasons of removed blocks whose text may name the outlet (furniture written by the publisher)
_PUBLISHER_TEXT = {"agency disclaimer", "author bio", "copyright", "subscription prompt",
                   "newsletter prompt", "cookie and privacy notice", "repeated boilerplate",
                   "byline", "credit line"}


def _month(value: str | None) -> int | None:
    if not value:
        return None
    if value.isdigit():
        m = int(value)
        return m if 1 <= m <= 12 else None
    return _MONTHS.get(value[:3].lower())


def iso_date(year: int | None, month: int | None, day: int | None) -> str | None:
    """ISO 8601 for what is known: full date, year-month, year, or the truncated forms
    ``--MM-DD`` (month and day) and ``---DD`` (day only)."""
    if year is not None and month is not None and day is not None:
        try:
            return _dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    if year is not None and month is not None:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    if year is not None:
        return f"{year:04d}"
    if month is not None and day is not None:
        return f"--{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    if day is not None:
        return f"---{day:02d}" if 1 <= day <= 31 else None
    return None


def _date_from_groups(g: dict[str, Any]) -> str | None:
    year = int(g["year"]) if g.get("year") else None
    day_s = g.get("day") or g.get("day2")
    month_s = g.get("month") or g.get("month2")
    if g.get("first") and g.get("second"):
        first, second = int(g["first"]), int(g["second"])
        if first > 12 >= second:
            day_s, month_s = str(first), str(second)
        elif second > 12 >= first:
            day_s, month_s = str(second), str(first)
        elif g.get("sep") == ".":  # 22.08.2025: dotted dates are day-first
            day_s, month_s = str(first), str(second)
        else:  # 05/06/2025 could be either: only the year is certain
            day_s = month_s = None
    month = _month(month_s)
    if month_s and month is None:
        return None
    day = int(day_s) if day_s else None
    return iso_date(year, month, day)


def parse_date(text: str, rules: CleaningRules | None = None) -> str | None:
    """ISO 8601 (possibly partial) for a date written the way articles write them
    ("Friday, 12 September, 2025", "Aug 17, 2025 10:32 AM", "2025.08.22", "22.08.2025", "17 August");
    None when ``text`` is not a date."""
    rules = rules or load_rules()
    line = normalise_line(str(text))
    if not line:
        return None
    for rule in rules.rules_for_field("date"):
        m = rule.regex.fullmatch(line)
        if m:
            return _date_from_groups(m.groupdict())
    return None


def outlet_name(raw: str) -> str:
    """Tidy an outlet name as written: trailing punctuation dropped, ALL-CAPS words of five letters
    or more title-cased ("EUROPA PRESS" -> "Europa Press"; "AFP" stays)."""
    name = raw.strip(_TRAIL + "'’\"")
    name = re.sub(r"\s+", " ", name)
    if name.isupper():
        name = " ".join(w.capitalize() if len(w) > 4 or (len(w) > 3 and len(name.split()) > 1)
                        else w for w in name.split())
    return name


_UPDATE_LABELS = {"updated", "last updated", "modified"}
_PARTS = re.compile(r"\s*(?:[|•·]|\s[-–—]\s|,\s(?=(?:on\s)?(?:\d|[A-Z][a-z]+day))|\s(?:on|at)\s(?=\d|[A-Z][a-z]))\s*")


def _date_in_parts(line: str, rules: CleaningRules) -> str | None:
    """A date in one of the separated parts of a byline ("By Jane Doe | 12 March 2025")."""
    for sep in _PARTS.finditer(line):
        tail = re.sub(r"^(?:on|published|updated)\s+", "", line[sep.end():], flags=re.I)
        iso = parse_date(tail, rules)
        if iso is not None:
            return iso
    return None


def _outlet_in(rules: CleaningRules, texts: tuple[str, ...]) -> str | None:
    """The publisher named in removed furniture (patterns in priority order, then text order);
    memoised: an outlet's furniture is the same in each of its articles."""
    cache = rules.meta_cache
    key = ("outlet", texts)
    if key in cache:
        return cache[key]  # type: ignore[no-any-return]
    found: str | None = None
    flat = [normalise_line(t.replace("\n", " ")) for t in texts]
    for pattern in rules.meta_patterns.get("outlet", ()):
        for text in flat:
            m = pattern.search(text)
            if m and m.group("outlet"):
                name = outlet_name(m.group("outlet"))
                if len(name) >= 2 and name.lower() not in {"we", "our", "the", "this", "us"}:
                    found = name
                    break
        if found is not None:
            break
    if len(cache) > 50_000:
        cache.clear()
    cache[key] = found
    return found


def _person(raw: str) -> str:
    name = re.sub(r"\s+", " ", raw.strip(_TRAIL))
    if name.isupper():
        name = name.title()
    return name


def _title(body: str) -> str | None:
    paragraphs = body.split("\n\n")
    if len(paragraphs) < 2:
        return None
    first = paragraphs[0].strip()
    words = first.split()
    if not 2 <= len(words) <= 35 or len(first) > 300:
        return None
    if _TERMINAL_PERIOD.search(first):
        return None  # a sentence: the body of a story without a headline
    if not (first[0].isupper() or first[0].isdigit() or first[0] in "\"'“‘«„"):
        return None
    if first.endswith(",") or first.endswith(";"):
        return None
    return first


def _field_match(rules: CleaningRules, text: str) -> tuple[Rule, dict[str, Any]] | None:
    cache = rules.meta_cache
    key = ("field", text)
    if key in cache:
        return cache[key]  # type: ignore[no-any-return]
    if len(cache) > 50_000:
        cache.clear()
    found = cache[key] = _field_match_uncached(rules, text)
    return found


def _field_match_uncached(rules: CleaningRules, text: str) -> tuple[Rule, dict[str, Any]] | None:
    words = text.count(" ") + 1
    rule = rules.match_line(text, words, False)
    if rule is None or rule.field is None:
        return None
    m = rule.regex.fullmatch(text)
    if m is None:
        return None
    return rule, m.groupdict()


def infer_metadata(source: str, result: CleanResult,
                   rules: CleaningRules | None = None) -> dict[str, str | None]:
    """What the text says about itself (keys: title, outlet, dateline, date, author, url); unknown
    stays None."""
    rules = rules or load_rules()
    meta: dict[str, str | None] = {name: None for name in FIELDS}
    agency: str | None = None
    dateline_date: str | None = None
    credit_author: str | None = None
    dates: list[tuple[bool, str]] = []  # (is an update stamp, ISO date) in text order

    field_reasons = {r.reason for r in rules.line_rules if r.field}
    for block in result.removed:
        if block.reason not in field_reasons:
            continue
        for raw_line in block.text.splitlines():
            text = normalise_line(raw_line)
            if not text:
                continue
            found = _field_match(rules, text)
            if found is None:
                continue
            rule, g = found
            if rule.field == "dateline":
                if meta["dateline"] is None and g.get("place"):
                    meta["dateline"] = g["place"].strip(_TRAIL)
                    if g.get("agency") and agency is None:
                        agency = g["agency"]
                    if dateline_date is None and (g.get("day") or g.get("month")):
                        dateline_date = _date_from_groups(g)
            elif rule.field == "date":
                iso = _date_from_groups(g)
                if iso is not None:
                    label = (g.get("label") or "").lower()
                    dates.append((label in _UPDATE_LABELS, iso))
            elif rule.field == "byline":
                tail_date = _date_in_parts(text, rules)
                if tail_date is not None:
                    dates.append((False, tail_date))
                author = g.get("author")
                if author:
                    if rule.reason == "byline" and meta["author"] is None:
                        meta["author"] = _person(author)
                    elif credit_author is None:
                        credit_author = _person(author)
            elif rule.field == "url":
                if meta["url"] is None and g.get("url"):
                    meta["url"] = g["url"].rstrip(".,;)>")

    # a dateline written into the first paragraph: "KYIV, Aug 17 (Reuters) - ..."
    paragraphs = result.body.split("\n\n", 3)[:3]
    if meta["dateline"] is None:
        for para in paragraphs:
            for pattern in rules.meta_patterns.get("inline_dateline", ()):
                m = pattern.match(para)
                if m:
                    g = m.groupdict()
                    meta["dateline"] = g["place"].strip(_TRAIL)
                    if g.get("agency"):
                        agency = g["agency"]
                    if g.get("day") or g.get("month"):
                        dateline_date = _date_from_groups(g)
                    break
            if meta["dateline"] is not None:
                break

    if dates:  # the publication date rather than an update stamp, when both are given
        meta["date"] = min(dates, key=lambda d: d[0])[1]
    if meta["date"] is None:
        meta["date"] = dateline_date
    if meta["author"] is None:
        meta["author"] = credit_author

    if agency:
        meta["outlet"] = outlet_name(agency)
    else:
        publisher_text = [b.text for b in result.removed if b.reason in _PUBLISHER_TEXT]
        if publisher_text:
            meta["outlet"] = _outlet_in(rules, tuple(publisher_text))

    if meta["author"] is None:
        bios = [b.text for b in result.removed if b.reason == "author bio"]
        for pattern in rules.meta_patterns.get("author", ()):
            for text in bios:
                m = pattern.search(normalise_line(text.replace("\n", " ")))
                if m:
                    meta["author"] = _person(m.group("author"))
                    break
            if meta["author"] is not None:
                break

    meta["title"] = _title(result.body)
    return meta
