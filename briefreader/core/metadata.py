"""Metadata inferred from an article's text: title, outlet, dateline, date, author, url.

Only what the text says: datelines, date lines, bylines and source links the cleaner removed,
outlet names in agency datelines and in the furniture it removed (disclaimers, bios, copyright
lines, subscription prompts), and the headline when the body starts with one. Names the article
prose merely mentions ("... cites Politico") are never taken for the outlet. Unknown stays None.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from briefreader.core.clean import CleanResult, normalise_line
from briefreader.core.dates import date_sort_key, display_date, has_year  # noqa: F401 (re-exported)
from briefreader.core.rules import CleaningRules, Rule, load_rules

FIELDS = ("title", "outlet", "dateline", "date", "author", "url", "source_agency")

# where a value came from (Article.provenance); the article header shows these words
FROM_HEADLINE = "text (headline)"
FROM_TITLE_SUFFIX = "text (headline suffix)"
FROM_BYLINE = "text (byline)"
FROM_DATE_LINE = "text (date line)"
FROM_DATELINE = "text (dateline)"
FROM_UPDATE = "text (updated stamp)"
FROM_WIRE = "text (wire dateline)"
FROM_PUBLISHER = "text (publisher notice)"
FROM_CREDIT = "text (credit line)"
FROM_BIO = "text (author bio)"
FROM_LINK = "text (source link)"
# removed furniture whose dates are the page's clock, not the article's
_WIDGET_REASONS = {"clock widget", "weather widget"}
_WIDGET_GAP = 120  # a date line this close (characters) to a clock/weather widget belongs to it

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
        return cache[key]
    found: str | None = None
    flat = [normalise_line(t.replace("\n", " ")) for t in texts]
    for pattern in rules.meta_patterns.get("outlet", ()):
        for text in flat:
            m = pattern.search(text)
            if m and m.group("outlet"):
                name = outlet_name(m.group("outlet"))
                first_word = name.split()[0].lower() if name.split() else ""
                if (len(name) >= 2 and name.lower() not in {"we", "our", "the", "this", "us"}
                        and first_word not in {"we", "our", "us", "your", "my"}):
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


_SUFFIX_SEP = re.compile(r"\s+(?:[-–—|]|::)\s+(?=[^-–—|]+$)")
# a sentence ending inside a line: a lower-case word of 2+ letters, its period, a capital ("J. Blige"
# and "U.S. Court" are not sentence ends)
_SENTENCE_BREAK = re.compile(r"\b[a-z][a-z]+[.!?][\"'”’)]*\s+[\"'“‘(]*[A-Z]")
_TITLE_MAX_WORDS = 35
_TITLE_PERIOD_MAX_WORDS = 20  # a headline ending with a period is short...
_TITLE_PERIOD_RATIO = 2  # ... and some paragraph below is this many times longer
_TITLE_SENTENCES_MAX_WORDS = 12  # "Virginian could make history. Again.": two short sentences


def split_title_suffix(title: str) -> tuple[str, str | None]:
    """``Headline - Outlet`` (or ``|``, ``—``) as (headline, outlet); (title, None) when the last
    part does not look like a site name (at most 4 words, capitalised or a domain)."""
    separators = list(_SUFFIX_SEP.finditer(title))
    if not separators:
        return title, None
    m = separators[-1]  # the last separator: "A - B - Outlet" splits off "Outlet"
    head, tail = title[:m.start()].strip(), title[m.end():].strip()
    tail_words = tail.split()
    if len(head.split()) < 3 or not 1 <= len(tail_words) <= 4 or len(tail) > 40:
        return title, None
    looks_like_site = re.search(r"\.(?:com|org|net|co|news|[a-z]{2})\b", tail, re.I) is not None or all(
        w[:1].isupper() or w[:1].isdigit() or w.lower() in {"the", "of", "and", "&", "de", "la"} for w in tail_words)
    bare_tail = tail.rstrip("\"'’”»)")
    if (not looks_like_site or "," in tail or bare_tail != tail
            or bare_tail.endswith((".", "?", "!")) and not re.search(r"\.\w+$", bare_tail)):
        return title, None
    return head, tail


def _title(body: str) -> tuple[str | None, str | None]:
    """(headline, outlet named after it) from the first block of the body: a short block before
    the body, not a sentence running on; a period at its end only when it is short and the next
    block is much longer. A ``Headline - Outlet`` suffix is split off."""
    paragraphs = body.split("\n\n", 9)[:9]
    if len(paragraphs) < 2:
        return None, None
    first = paragraphs[0].strip().rstrip(",;:").strip()
    if not first or "\n" in first:
        return None, None
    words = first.split()
    if not 2 <= len(words) <= _TITLE_MAX_WORDS or len(first) > 300:
        return None, None
    if not (first[0].isupper() or first[0].isdigit() or first[0] in "\"'“‘«„¿¡"):
        return None, None
    if _TERMINAL_PERIOD.search(first):
        # "Obama says Trump modeling policies on Putin." above a longer paragraph is a headline;
        # a sentence of several clauses or one as long as the text below it is the lede
        following = max(len(p.split()) for p in paragraphs[1:])
        if (len(words) > _TITLE_PERIOD_MAX_WORDS or following < _TITLE_PERIOD_RATIO * len(words)
                or (len(words) > _TITLE_SENTENCES_MAX_WORDS and _SENTENCE_BREAK.search(first[:-1]))):
            return None, None
    head, outlet = split_title_suffix(first)
    return head, outlet


def _field_match(rules: CleaningRules, text: str) -> tuple[Rule, dict[str, Any]] | None:
    cache = rules.meta_cache
    key = ("field", text)
    if key in cache:
        return cache[key]
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


def metadata_parts(article: Any) -> list[str]:
    """The article header's metadata, each part once: outlet (and the wire agency that wrote it),
    dateline, date in its display form with where it came from when that was not the text, author."""
    parts: list[str] = []
    outlet, agency = article.outlet, getattr(article, "source_agency", None)
    provenance = getattr(article, "provenance", None) or {}
    if outlet:
        parts.append(f"{outlet} (via {agency})" if agency and agency != outlet else outlet)
    elif agency:
        parts.append(f"via {agency}")
    if article.dateline:
        parts.append(article.dateline)
    if article.date:
        where = provenance.get("date", "")
        shown = display_date(article.date)
        if where and not where.startswith("text"):
            shown += f" (from {where.split(';')[0].split(' (')[0]})"
        parts.append(shown)
    if article.author:
        parts.append(article.author)
    return parts


def _near_widget(source: str, block_start: int, block_end: int, widgets: list[tuple[int, int]],
                 removed: list[tuple[int, int]]) -> bool:
    """Whether a removed block sits next to a clock/weather widget: at most ``_WIDGET_GAP``
    characters away with nothing but other removed lines between them."""
    for w_start, w_end in widgets:
        if w_start >= block_end:
            gap = (block_end, w_start)
        elif w_end <= block_start:
            gap = (w_end, block_start)
        else:
            return True
        if gap[1] - gap[0] > _WIDGET_GAP:
            continue
        between = list(source[gap[0]:gap[1]])
        for r_start, r_end in removed:
            for k in range(max(r_start, gap[0]), min(r_end, gap[1])):
                between[k - gap[0]] = " "
        if not "".join(between).strip():
            return True
    return False


@dataclass(slots=True)
class _Findings:
    """What the removed metadata lines said, gathered before the fields are chosen."""

    meta: dict[str, str | None]
    agency: str | None = None  # the wire agency of a dateline ("WASHINGTON (AP) -")
    dateline_date: str | None = None
    credit_author: str | None = None  # an author named by a credit line, not a byline
    # (rank, ISO date, source) in text order; rank 0 byline, 1 date line, 2 dateline, 3 update stamp
    dates: list[tuple[int, str, str]] = field(default_factory=list)


def _field_lines(source: str, result: CleanResult, rules: CleaningRules) -> Iterator[tuple[str, Rule, dict[str, Any]]]:
    """(normalised line, its field rule, the rule's groups) for each line of a removed metadata
    block, in text order; date lines and datelines next to a clock or weather widget are skipped
    (the page's clock: "Friday, 12 September, 2025" above the weather box), a byline never is."""
    field_reasons = {r.reason for r in rules.line_rules if r.field}
    widgets = [(b.start, b.end) for b in result.removed if b.reason in _WIDGET_REASONS]
    spans = [(b.start, b.end) for b in result.removed]
    widget_prone = {r.reason for r in rules.line_rules if r.field in ("date", "dateline")}
    for block in result.removed:
        if block.reason not in field_reasons:
            continue
        if widgets and block.reason in widget_prone and _near_widget(source, block.start, block.end, widgets, spans):
            continue
        for raw_line in block.text.splitlines():
            text = normalise_line(raw_line)
            if not text:
                continue
            found = _field_match(rules, text)
            if found is not None:
                yield text, found[0], found[1]


def _take_dateline(found: _Findings, groups: dict[str, Any]) -> None:
    """The first dateline with a place: the place, its agency and its date."""
    if found.meta["dateline"] is not None or not groups.get("place"):
        return
    found.meta["dateline"] = groups["place"].strip(_TRAIL)
    if groups.get("agency") and found.agency is None:
        found.agency = groups["agency"]
    if found.dateline_date is None and (groups.get("day") or groups.get("month")):
        found.dateline_date = _date_from_groups(groups)


def _take_date_line(found: _Findings, groups: dict[str, Any]) -> None:
    """A date line's date, ranked as an update stamp when its label says so."""
    iso = _date_from_groups(groups)
    if iso is None:
        return
    if (groups.get("label") or "").lower() in _UPDATE_LABELS:
        found.dates.append((3, iso, FROM_UPDATE))
    else:
        found.dates.append((1, iso, FROM_DATE_LINE))


def _take_byline(found: _Findings, text: str, rule: Rule, groups: dict[str, Any], rules: CleaningRules) -> None:
    """A byline's date (in one of its parts) and author; a credit line's author is kept apart."""
    tail_date = _date_in_parts(text, rules)
    if tail_date is not None:
        found.dates.append((0, tail_date, FROM_BYLINE))
    author = groups.get("author")
    if not author:
        return
    if rule.reason == "byline" and found.meta["author"] is None:
        found.meta["author"] = _person(author)
    elif found.credit_author is None:
        found.credit_author = _person(author)


def _read_field_line(found: _Findings, text: str, rule: Rule, groups: dict[str, Any], rules: CleaningRules) -> None:
    """Take what one metadata line says, by its rule's field."""
    if rule.field == "dateline":
        _take_dateline(found, groups)
    elif rule.field == "date":
        _take_date_line(found, groups)
    elif rule.field == "byline":
        _take_byline(found, text, rule, groups, rules)
    elif rule.field == "url" and found.meta["url"] is None and groups.get("url"):
        found.meta["url"] = groups["url"].rstrip(".,;)>")


def _inline_dateline(found: _Findings, body: str, rules: CleaningRules) -> None:
    """A dateline written into one of the first paragraphs: "KYIV, Aug 17 (Reuters) - ..."."""
    if found.meta["dateline"] is not None:
        return
    patterns = rules.meta_patterns.get("inline_dateline", ())
    for para in body.split("\n\n", 3)[:3]:
        for pattern in patterns:
            m = pattern.match(para)
            if m:
                groups = m.groupdict()
                found.meta["dateline"] = groups["place"].strip(_TRAIL)
                if groups.get("agency"):
                    found.agency = groups["agency"]
                if groups.get("day") or groups.get("month"):
                    found.dateline_date = _date_from_groups(groups)
                return


def _choose_date_and_author(found: _Findings, sources: dict[str, str]) -> None:
    """The date by rank (a date with a year before one without, then byline, date line,
    dateline, update stamp, then text order), the author from a byline else a credit line, and
    where the dateline and the url came from."""
    meta = found.meta
    if found.dateline_date is not None:
        found.dates.append((2, found.dateline_date, FROM_DATELINE))
    if found.dates:
        best = min(found.dates, key=lambda d: (0 if has_year(d[1]) else 1, d[0]))
        meta["date"], sources["date"] = best[1], best[2]
    if meta["author"] is None and found.credit_author is not None:
        meta["author"], sources["author"] = found.credit_author, FROM_CREDIT
    elif meta["author"] is not None:
        sources["author"] = FROM_BYLINE
    if meta["dateline"] is not None:
        sources["dateline"] = FROM_DATELINE
    if meta["url"] is not None:
        sources["url"] = FROM_LINK


def _choose_outlet(found: _Findings, result: CleanResult, rules: CleaningRules, sources: dict[str, str]) -> None:
    """The publisher named in removed furniture; a wire dateline's agency is the source agency,
    and the outlet too when no publisher is named."""
    meta = found.meta
    publisher_text = [b.text for b in result.removed if b.reason in _PUBLISHER_TEXT]
    if publisher_text:
        meta["outlet"] = _outlet_in(rules, tuple(publisher_text))
        if meta["outlet"] is not None:
            sources["outlet"] = FROM_PUBLISHER
    if found.agency:
        meta["source_agency"] = outlet_name(found.agency)
        sources["source_agency"] = FROM_WIRE
        if meta["outlet"] is None:  # a wire story with no other publisher named
            meta["outlet"], sources["outlet"] = meta["source_agency"], FROM_WIRE


def _author_from_bio(result: CleanResult, rules: CleaningRules) -> str | None:
    """An author named in a removed author bio (patterns in priority order, then text order)."""
    bios = [b.text for b in result.removed if b.reason == "author bio"]
    for pattern in rules.meta_patterns.get("author", ()):
        for text in bios:
            m = pattern.search(normalise_line(text.replace("\n", " ")))
            if m:
                return _person(m.group("author"))
    return None


def infer_metadata(source: str, result: CleanResult, rules: CleaningRules | None = None,
                   sources: dict[str, str] | None = None) -> dict[str, str | None]:
    """What the text says about itself (keys: title, outlet, dateline, date, author, url,
    source_agency); unknown stays None. ``sources``, when given, receives where in the text each
    known field came from (e.g. ``date: "text (byline)"``).

    The outlet is the publisher when the text names one (a copyright line, a bio, a notice);
    an agency named in a wire dateline ("WASHINGTON (AP) -") is the ``source_agency``, and the
    outlet too when no publisher is named. Dates: a byline's date first, then date lines, then
    the dateline's; "updated" stamps only when nothing else dates the text, and a date line next to
    a clock or weather widget (the page's today, not the article's) never."""
    rules = rules or load_rules()
    if sources is None:
        sources = {}
    found = _Findings({name: None for name in FIELDS})
    for text, rule, groups in _field_lines(source, result, rules):
        _read_field_line(found, text, rule, groups, rules)
    _inline_dateline(found, result.body, rules)
    _choose_date_and_author(found, sources)
    _choose_outlet(found, result, rules, sources)
    meta = found.meta
    if meta["author"] is None:
        meta["author"] = _author_from_bio(result, rules)
        if meta["author"] is not None:
            sources["author"] = FROM_BIO
    meta["title"], suffix_outlet = _title(result.body)
    if meta["title"] is not None:
        sources["title"] = FROM_HEADLINE
        if suffix_outlet and meta["outlet"] is None:
            meta["outlet"], sources["outlet"] = suffix_outlet, FROM_TITLE_SUFFIX
    return meta
