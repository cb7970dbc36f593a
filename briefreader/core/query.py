"""The query language, parsed once: triage filters, saved searches and full-text words.

A query as the analyst types it (search bar, ``--where``) mixes three things::

    status:keep,follow-up -tag:draft @eu "walk into" outlet:tass

- triage filters (``status:``, ``tag:``, ``has:``, ``note:``, ``is:``; ``-`` negates; a comma means
  either; several terms must all hold), matched against the triage records (:func:`matches`);
- ``@NAME`` words, saved searches, replaced by their text first (:func:`expand_saved`);
- everything else: full-text words in the index's syntax (Whoosh's, with the bounds and checks of
  :func:`validate_query_text`; running them is :mod:`briefreader.core.search_query` and the index).

:func:`parse` turns a string into a :class:`Query` (filters + words + the saved searches used) and
raises :class:`QueryError` (a :class:`TriageError`) with one clear sentence for a bad filter;
``Query.describe()`` gives the canonical text back (``parse(q.describe())`` equals ``q``).

Pure: no index, no database, no UI.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from briefreader.core.triage_model import ArticleState, TriageError, normalize_status, normalize_tags

# Fields searched when the query names none.
DEFAULT_FIELDS = ("title", "body")
FIELD_ALIASES = {"dateline": ["place"], "outlet": ["source"], "body": ["text"], "author": ["by"],
                 "agency": ["wire"]}
# A query is a few words or a quoted sentence; a pasted page would take the parser minutes
# (8,000 words: 64 s).
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 100
# Fuzzy edit distance (kallas~2): at three edits most short words match each other.
MAX_FUZZY_DISTANCE = 2
# Phrase distance ("walk into"~5): words this far apart are hardly a phrase.
MAX_PHRASE_SLOP = 50


class QuerySyntaxError(ValueError):
    """A query briefreader could not understand; ``str()`` says what and how to fix it."""


class QueryError(TriageError):
    """A triage filter or saved search briefreader could not understand (one clear sentence)."""


# --------------------------------------------------------------------------- full-text words: dates and checks


@dataclass(frozen=True, slots=True)
class DatePeriod:
    """The span of time a (possibly partial) ISO date stands for."""

    start: dt.datetime
    end: dt.datetime


_DATE_RE = re.compile(r"^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?$")


def date_period(text: str | None) -> DatePeriod | None:
    """The period of an ISO date ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (or a full timestamp).

    None for dates without a year (``--08-17``) or anything unreadable.
    """
    if not text:
        return None
    text = text.strip()
    match = _DATE_RE.match(text)
    try:
        if match:
            year = int(match.group(1))
            month = int(match.group(2)) if match.group(2) else None
            day = int(match.group(3)) if match.group(3) else None
            if month is None:
                return DatePeriod(dt.datetime(year, 1, 1), dt.datetime(year, 12, 31, 23, 59, 59, 999999))
            if day is None:
                start = dt.datetime(year, month, 1)
                nxt = dt.datetime(year + (month == 12), month % 12 + 1, 1)
                return DatePeriod(start, nxt - dt.timedelta(microseconds=1))
            start = dt.datetime(year, month, day)
            return DatePeriod(start, start + dt.timedelta(days=1, microseconds=-1))
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return DatePeriod(stamp, stamp)


_FIELD_RE = re.compile(r"(?<![\w\\])([A-Za-z_][\w]*):")
_DATE_VALUE_RE = re.compile(
    r"(?<![\w\\])(?P<field>date):\s*(?:(?P<open>[\[{])(?P<range>[^\]}]*)(?P<close>[\]}])?|(?P<cmp>[<>]=?)?(?P<value>[^\s()]*))"
)
_RANGE_SPLIT_RE = re.compile(r"\s+to\s+|^to\s+|\s+to$|^to$", re.IGNORECASE)


def _strip_quoted(text: str) -> str:
    """``text`` with every quoted part blanked (same length), for scanning the syntax outside quotes."""
    out = []
    inside = False
    for ch in text:
        if ch == '"':
            inside = not inside
            out.append(ch)
        else:
            out.append(" " if inside else ch)
    return "".join(out)


_FUZZY_RE = re.compile(r'(?<![\w"\\])([^\s"~()]+)~(\d+)')
_SLOP_RE = re.compile(r'"~(\d+)')


def check_query_size(text: str) -> None:
    """Raise :class:`QuerySyntaxError` for a query too long to answer quickly."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"the query is too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,}): "
                               "search for the few words that matter")
    words = len(text.split())
    if words > MAX_QUERY_WORDS:
        raise QuerySyntaxError(f"the query is too long ({words:,} words; at most {MAX_QUERY_WORDS}): "
                               "search for the few words that matter")


def validate_query_text(text: str, field_names: Iterable[str]) -> None:
    """Raise :class:`QuerySyntaxError` for what Whoosh would silently drop or misread, and for
    fuzzy or phrase distances past their bounds."""
    check_query_size(text)
    if text.count('"') % 2:
        raise QuerySyntaxError('a quote is not closed: every " needs a partner (phrases look like "walk into")')
    bare = _strip_quoted(text)
    _check_brackets(bare)
    _check_distances(text, bare)
    _check_fields(bare, field_names)
    _check_dates(bare)


def _check_brackets(bare: str) -> None:
    """Every bracket outside quotes is closed by its partner."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    closers = {v: k for k, v in pairs.items()}
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(bare):
        if ch in pairs:
            stack.append((ch, i))
        elif ch in closers:
            if not stack:
                raise QuerySyntaxError(f"'{ch}' at position {i + 1} closes nothing")
            opener, j = stack[-1]
            # Whoosh ranges may mix brackets: [a to b} (inclusive start, exclusive end)
            if opener != closers[ch] and not (opener in "[{" and ch in "]}"):
                raise QuerySyntaxError(f"'{ch}' at position {i + 1} does not match '{opener}' at position {j + 1}")
            stack.pop()
    if stack:
        ch, i = stack[-1]
        raise QuerySyntaxError(f"'{ch}' at position {i + 1} is not closed with '{pairs[ch]}'")


def _check_distances(text: str, bare: str) -> None:
    """Fuzzy (``word~N``) and phrase (``"..."~N``) distances within their bounds."""
    for match in _FUZZY_RE.finditer(bare):
        if int(match.group(2)) > MAX_FUZZY_DISTANCE:
            raise QuerySyntaxError(f"'{match.group(0)}': fuzzy matching allows at most {MAX_FUZZY_DISTANCE} "
                                   f"edits (write {match.group(1)}~{MAX_FUZZY_DISTANCE})")
    for match in _SLOP_RE.finditer(text):
        if int(match.group(1)) > MAX_PHRASE_SLOP:
            raise QuerySyntaxError(f"'\"~{match.group(1)}': a phrase's words may be at most {MAX_PHRASE_SLOP} "
                                   f"words apart (write \"...\"~{MAX_PHRASE_SLOP} or search the words without quotes)")


_HIDDEN_FIELDS = ("fingerprint", "date_end", "date_text", "date_sort", "body")


def _check_fields(bare: str, field_names: Iterable[str]) -> None:
    """Every ``name:`` is a known field (or alias) with a value right after the colon."""
    known = set(field_names)
    for alias_list in FIELD_ALIASES.values():
        known.update(alias_list)
    for match in _FIELD_RE.finditer(bare):
        name = match.group(1)
        if name.lower() in ("http", "https", "ftp", "mailto"):
            continue
        if name not in known:
            hint = ", ".join(sorted(f"{n}:" for n in known if n not in _HIDDEN_FIELDS))
            raise QuerySyntaxError(f"unknown field '{name}:' (fields: {hint}; or search the words without ':')")
        rest = bare[match.end():]
        if not rest or rest[0].isspace() or rest[0] == ")":
            raise QuerySyntaxError(f"'{name}:' needs a value right after the colon, e.g. {name}:word")


def _check_dates(bare: str) -> None:
    """Every ``date:`` value or range holds readable dates."""
    for match in _DATE_VALUE_RE.finditer(bare):
        if match.group("open"):
            inner = (match.group("range") or "").strip()
            parts = _RANGE_SPLIT_RE.split(inner) if re.search(r"(^|\s)to(\s|$)", inner, re.IGNORECASE) else [inner]
            if len(parts) != 2:
                raise QuerySyntaxError(f"date range '{match.group(0)}' not understood: "
                                       "write date:[2025-08-01 to 2025-08-31] (either end may be left out)")
            values = [p.strip() for p in parts if p.strip()]
        else:
            values = [match.group("value")]
        for value in values:
            if date_period(value) is None or not _DATE_RE.match(value):
                raise QuerySyntaxError(f"date '{value}' not understood: use YYYY, YYYY-MM or YYYY-MM-DD "
                                       "(date:2025-08, date:[2025-08-01 to 2025-08-31], date:>2025-08-01)")


# --------------------------------------------------------------------------- triage filters
# `status:keep tag:sanctions -status:discard has:note note:"gas deal"`

_FILTER_TOKEN = re.compile(
    r"""(?<!\S)(?P<neg>[-!]?)(?P<key>status|tag|tags|has|note|is):(?P<value>"[^"]*"|'[^']*'|\S+)(?!\S)""",
    re.IGNORECASE,
)
HAS_VALUES = ("note", "tags", "highlight", "highlights")


@dataclass(slots=True)
class Filters:
    """Triage conditions. Every list entry must hold (AND); a comma inside one value means OR."""

    status_any: list[set[str]] = field(default_factory=list)
    status_not: set[str] = field(default_factory=set)
    tag_any: list[set[str]] = field(default_factory=list)  # casefolded
    tag_not: set[str] = field(default_factory=set)
    has: set[str] = field(default_factory=set)  # note | tags | highlight
    has_not: set[str] = field(default_factory=set)
    note_contains: list[str] = field(default_factory=list)  # casefolded

    def __bool__(self) -> bool:
        return any(
            (self.status_any, self.status_not, self.tag_any, self.tag_not, self.has, self.has_not, self.note_contains)
        )

    def describe(self) -> str:
        """The filters back in query syntax (canonical order)."""
        parts: list[str] = []
        parts += ["status:" + ",".join(sorted(s)) for s in self.status_any]
        parts += [f"-status:{s}" for s in sorted(self.status_not)]
        parts += ["tag:" + _quote_value(",".join(sorted(s))) for s in self.tag_any]
        parts += [f"-tag:{_quote_value(t)}" for t in sorted(self.tag_not)]
        parts += [f"has:{h}" for h in sorted(self.has)] + [f"-has:{h}" for h in sorted(self.has_not)]
        parts += [f"note:{_quote_value(n)}" for n in self.note_contains]
        return " ".join(parts)


def _quote_value(value: str) -> str:
    """A filter value as it must be typed: quoted when it holds a space or a comma (a group of tags
    ``a,b`` is quoted whole when one of them has a space, so that it parses back as one group)."""
    if " " not in value and "," not in value:
        return value
    return f"'{value}'" if '"' in value else f'"{value}"'


def _status(name: str) -> str:
    try:
        return normalize_status(name)
    except TriageError as exc:
        raise QueryError(str(exc)) from None


def split_filters(query: str) -> tuple[Filters, str]:
    """Take triage filters out of a search query; return them and the rest (for full-text search).

    Understood: ``status:S`` (``status:keep,follow-up`` for either), ``-status:S``, ``tag:T``
    (several ``tag:`` terms must all hold; ``tag:a,b`` for either; quote names with spaces),
    ``-tag:T``, ``has:note|tags|highlight``, ``-has:...``, ``note:WORDS`` (in the article's note or
    its highlights' comments), ``is:STATUS``. ``@NAME`` words must be expanded first
    (:func:`expand_saved`; :func:`parse` does both).
    Raises :class:`QueryError` (a TriageError) for an unknown status or ``has:`` value.
    """
    filters = Filters()

    def take(m: re.Match[str]) -> str:
        neg = bool(m.group("neg"))
        key = m.group("key").lower()
        value = m.group("value")
        if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) >= 2:
            value = value[1:-1]
        if key in ("status", "is"):
            statuses = {_status(v) for v in value.split(",") if v.strip()}
            if not statuses:
                raise QueryError(f"empty status in {m.group(0)!r}")
            if neg:
                filters.status_not |= statuses
            else:
                filters.status_any.append(statuses)
        elif key in ("tag", "tags"):
            tags = {t.casefold() for t in normalize_tags(value)}
            if not tags:
                raise QueryError(f"empty tag in {m.group(0)!r}")
            if neg:
                filters.tag_not |= tags
            else:
                filters.tag_any.append(tags)
        elif key == "has":
            v = value.lower().rstrip("s") if value.lower() != "tags" else "tags"
            v = {"highlight": "highlight", "note": "note", "tags": "tags", "tag": "tags"}.get(v)
            if v is None:
                raise QueryError(f"unknown has: value {value!r} (use has:note, has:tags or has:highlight)")
            (filters.has_not if neg else filters.has).add(v)
        elif key == "note":
            if not value.strip():
                raise QueryError(f"empty note filter in {m.group(0)!r}")
            if neg:
                raise QueryError("-note: is not supported; use -has:note")
            filters.note_contains.append(value.casefold())
        return " "

    rest = _FILTER_TOKEN.sub(take, query)
    return filters, " ".join(rest.split())


def parse_filters(query: str) -> Filters:
    """Parse a string that must contain only triage filters (raises TriageError on anything else)."""
    filters, rest = split_filters(query)
    if rest:
        raise QueryError(f"not a triage filter: {rest!r} (use status:, tag:, has:, note:)")
    return filters


def matches(filters: Filters, state: ArticleState) -> bool:
    """Whether an article's triage state satisfies ``filters`` (``tag:`` looks at the article's tags
    and at its highlights' tags)."""
    if any(state.status not in group for group in filters.status_any):
        return False
    if state.status in filters.status_not:
        return False
    tags = {t.casefold() for t in state.tags} | {t.casefold() for t in state.highlight_tags}
    if any(not (tags & group) for group in filters.tag_any):
        return False
    if tags & filters.tag_not:
        return False
    present = {"note": bool(state.note.strip()), "tags": bool(tags), "highlight": state.highlights > 0}
    if any(not present[h] for h in filters.has) or any(present[h] for h in filters.has_not):
        return False
    text = "\n".join([state.note, *state.comments]).casefold()
    return all(n in text for n in filters.note_contains)



def with_options(filters: Filters, statuses: Iterable[str] = (), tags: Iterable[str] = ()) -> Filters:
    """``filters`` narrowed by option lists (the CLI's repeated ``--status`` and ``--tag``): the
    statuses are one group (an article has one status, so any of them), each tag entry must hold
    (``a,b`` in one entry: either). Returns a new Filters; raises QueryError for an unknown status."""
    combined = Filters(
        status_any=[set(group) for group in filters.status_any],
        status_not=set(filters.status_not),
        tag_any=[set(group) for group in filters.tag_any],
        tag_not=set(filters.tag_not),
        has=set(filters.has),
        has_not=set(filters.has_not),
        note_contains=list(filters.note_contains),
    )
    wanted = {_status(x) for entry in statuses for x in entry.split(",") if x.strip()}
    if wanted:
        combined.status_any.append(wanted)
    for entry in tags:
        names = {name.casefold() for name in normalize_tags(entry)}
        if names:
            combined.tag_any.append(names)
    return combined


def format_filters_help() -> str:
    """One line describing the filter syntax (for help screens)."""
    return ("status:keep  status:keep,follow-up  -status:discard  tag:NAME  -tag:NAME  has:note|tags|highlight  "
            "note:WORDS")


# --------------------------------------------------------------------------- saved searches

SAVED_WORD = re.compile(r"(?<!\S)@([\w.-]+)(?!\S)")
_SEARCH_NAME = re.compile(r"[\w.-]+")
MAX_SAVED_DEPTH = 10  # saved searches may use other saved searches, this deep


def uses_saved(query: str) -> bool:
    """Whether ``query`` has an ``@`` word (a saved search to expand)."""
    return re.search(r"(?<!\S)@", query) is not None


def search_name(name: str) -> str:
    """The canonical name of a saved search (``@`` and surrounding space dropped); raises QueryError
    for anything but one word of letters, digits, ``_``, ``.`` and ``-``."""
    name = " ".join(name.split()).lstrip("@")
    if not name or not _SEARCH_NAME.fullmatch(name):
        raise QueryError(f"a saved search needs a one-word name (letters, digits, _ . -), not {name!r}")
    return name


def expand_saved(query: str, saved: Mapping[str, str]) -> str:
    """Replace each ``@NAME`` word of ``query`` by that saved search's text (recursively, up to
    :data:`MAX_SAVED_DEPTH`); raises QueryError for an unknown name or a loop."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in saved:
            known = ", ".join("@" + n for n in saved) or "none saved yet"
            raise QueryError(f"no saved search @{name} ({known})")
        return saved[name]

    for _ in range(MAX_SAVED_DEPTH):
        if not SAVED_WORD.search(query):
            return query
        query = SAVED_WORD.sub(sub, query)
    raise QueryError("saved searches refer to each other in a loop")


# --------------------------------------------------------------------------- the query object


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: triage ``filters``, full-text ``text`` (index syntax, "" for none), the saved
    searches it used, and the ``source`` as typed."""

    source: str = ""
    filters: Filters = field(default_factory=Filters)
    text: str = ""
    saved: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.filters) or bool(self.text)

    @property
    def has_filters(self) -> bool:
        """True when triage filters narrow the articles (they need the triage state)."""
        return bool(self.filters)

    @property
    def has_words(self) -> bool:
        """True when there are full-text words (they need the index)."""
        return bool(self.text)

    @property
    def filters_only(self) -> bool:
        """True for filters and no words: answered from the triage state alone, without the index."""
        return bool(self.filters) and not self.text

    def describe(self) -> str:
        """The canonical text of the query (filters in a fixed order, then the words)."""
        return " ".join(part for part in (self.filters.describe(), self.text) if part)

    def narrowed(self, statuses: Iterable[str] = (), tags: Iterable[str] = ()) -> Query:
        """This query with more conditions from option lists (see :func:`with_options`)."""
        return Query(self.source, with_options(self.filters, statuses, tags), self.text, self.saved)


def parse(query: str, saved: Mapping[str, str] | None = None) -> Query:
    """Parse ``query`` once: expand ``@NAME`` words from ``saved`` (name -> text), take the triage
    filters out, keep the rest as full-text words. Raises QueryError for a bad filter, an unknown
    or looping saved search, or ``@NAME`` words when no saved searches are given (``saved`` None).

    The words are not checked here (the index checks them against its fields when it runs them:
    :func:`validate_query_text`), so a filter-only query never needs the index.
    """
    source = query or ""
    used = tuple(dict.fromkeys(SAVED_WORD.findall(source)))
    expanded = source
    if used:
        if saved is None:
            raise QueryError(f"@{used[0]}: saved searches need the triage state, which is not open")
        expanded = expand_saved(source, saved)
    filters, text = split_filters(expanded)
    return Query(source, filters, text, used)


__all__ = [
    "DEFAULT_FIELDS",
    "FIELD_ALIASES",
    "HAS_VALUES",
    "MAX_FUZZY_DISTANCE",
    "MAX_PHRASE_SLOP",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_WORDS",
    "DatePeriod",
    "Filters",
    "Query",
    "QueryError",
    "QuerySyntaxError",
    "check_query_size",
    "date_period",
    "expand_saved",
    "format_filters_help",
    "matches",
    "parse",
    "parse_filters",
    "search_name",
    "split_filters",
    "uses_saved",
    "validate_query_text",
    "with_options",
]
