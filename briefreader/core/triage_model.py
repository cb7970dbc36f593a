"""Triage records: what the analyst decided about articles (status, tags, note), highlights, chosen
quote clusters, journal entries and the resume position, plus the names and rules they share.

Pure data and pure functions: no file, no database, no UI. The SQLite store that keeps these records
is :mod:`briefreader.storage.triage_store`; the query language over them is :mod:`briefreader.core.query`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, UTC
from typing import TYPE_CHECKING, Any, Protocol

from briefreader.core.model import Article

if TYPE_CHECKING:  # anchors is imported where a highlight's anchor is built: queries need none of it
    from briefreader.core.anchors import Anchor, Resolution

STATUSES: tuple[str, ...] = ("new", "read", "keep", "discard", "follow-up")
DEFAULT_STATUS = "new"
_STATUS_ALIASES = {
    "followup": "follow-up",
    "follow_up": "follow-up",
    "follow": "follow-up",
    "fu": "follow-up",
    "unread": "new",
    "kept": "keep",
    "discarded": "discard",
}



class TriageError(Exception):
    """A user-facing problem with triage state (message is one clear sentence)."""


class StoreVersionError(TriageError):
    """The state file was written by a newer briefreader."""


class StoreBusyError(TriageError):
    """Another process held the state file locked for longer than the timeout; nothing changed."""


class StoreDamagedError(TriageError):
    """The state file is not a readable briefreader database."""


class StoreDiskFullError(TriageError):
    """The disk (or quota) is full: what is named in the message was not saved; nothing is damaged."""


def now_iso() -> str:
    """Current UTC time, ISO 8601 with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def normalize_status(status: str) -> str:
    """Canonical status name; raises TriageError for an unknown one."""
    s = status.strip().lower()
    s = _STATUS_ALIASES.get(s, s)
    if s not in STATUSES:
        raise TriageError(f"unknown status {status!r} (choose from {', '.join(STATUSES)})")
    return s


def normalize_tags(tags: Iterable[str] | str) -> list[str]:
    """Clean tag names: split on commas, trim, collapse inner whitespace, drop empties and duplicates."""
    if isinstance(tags, str):
        tags = [tags]
    out: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        for part in str(raw).split(","):
            tag = " ".join(part.split()).lstrip("#")
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                out.append(tag)
    return out


def article_hash(article: Article) -> str:
    """The article's content hash (sha1 of its body when the loader gave none)."""
    return article.content_hash or hashlib.sha1(article.body.encode("utf-8")).hexdigest()



def short_text(text: str, n: int = 60) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis (for journal summaries and listings)."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class ArticleState:
    """Triage state of one article (defaults when the analyst has done nothing to it)."""

    article_id: str
    status: str = DEFAULT_STATUS
    tags: list[str] = field(default_factory=list)
    note: str = ""
    updated: str | None = None
    highlights: int = 0  # number of highlights on the article
    highlight_tags: list[str] = field(default_factory=list)  # tags carried by its highlights
    comments: list[str] = field(default_factory=list)  # comments on its highlights

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Highlight:
    """A highlighted passage, anchored W3C-style, with provenance and the analyst's comment and tags."""

    id: int
    article_id: str
    exact: str
    prefix: str
    suffix: str
    start: int  # body offsets, end exclusive
    end: int
    source_start: int | None  # offsets in the article's source text (through the cleaning map)
    source_end: int | None
    paragraph: int  # 1-based paragraph number in the body
    content_hash: str  # hash of the article content the offsets refer to
    comment: str = ""
    tags: list[str] = field(default_factory=list)
    created: str = ""
    updated: str = ""
    anchor_state: str = "exact"  # exact | moved | fuzzy | orphan (after the last re-attachment)
    original_exact: str | None = None  # the text first highlighted, when a fuzzy re-attachment changed it

    @property
    def anchor(self) -> Anchor:
        """The W3C-style anchor (exact text with prefix and suffix, and body offsets)."""
        from briefreader.core.anchors import Anchor

        return Anchor(self.exact, self.prefix, self.suffix, self.start, self.end)

    @property
    def orphan(self) -> bool:
        return self.anchor_state == "orphan"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["selectors"] = self.anchor.to_w3c()
        return d


@dataclass(slots=True)
class ChosenCluster:
    """A quote cluster the analyst picked for the brief, frozen as it was when chosen."""

    id: int
    cluster_key: str
    speaker: str | None
    canonical: str
    variants: list[dict[str, Any]]  # article, outlet, date, title, text, start, end, speaker
    note: str = ""
    created: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class JournalEntry:
    """One action in the journal (``id`` 0 when returned for an action that changed nothing)."""

    id: int
    time: str
    action: str
    detail: dict[str, Any]
    auto: bool = False
    undone: bool = False

    @property
    def changed(self) -> bool:
        return self.id != 0

    def describe(self) -> str:
        d = self.detail
        ids = d.get("ids") or ([d["article_id"]] if "article_id" in d else [])
        what = f"{len(ids)} articles" if len(ids) > 1 else (ids[0] if ids else "")
        extra = d.get("status") or ", ".join(d.get("tags", [])) or d.get("summary", "")
        return " ".join(x for x in (self.action, str(extra), what) if x)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ResumeState:
    """Where the analyst stopped: article, filter/query, scroll position, and any reader extras."""

    article_id: str | None = None
    filter: str = ""
    scroll: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    updated: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Reattachment:
    """What happened to one highlight when its article's text was checked."""

    highlight: Highlight
    resolution: Resolution
    changed: bool



class TriageRecords(Protocol):
    """What reads the triage records needs (the brief, for one): the SQLite store implements it
    (:class:`briefreader.storage.triage_store.TriageStore`), so pure code never imports storage."""

    def states(self, article_ids: Iterable[str] | None = None) -> dict[str, ArticleState]:
        """Triage state of the given articles (every touched one when None)."""
        ...

    def highlights(self, article_id: str | None = None) -> list[Highlight]:
        """Highlights of one article or of all."""
        ...

    def chosen_clusters(self) -> list[ChosenCluster]:
        """Quote clusters chosen for the brief."""
        ...


__all__ = [
    "DEFAULT_STATUS",
    "STATUSES",
    "ArticleState",
    "ChosenCluster",
    "Highlight",
    "JournalEntry",
    "Reattachment",
    "ResumeState",
    "StoreBusyError",
    "StoreDamagedError",
    "StoreDiskFullError",
    "StoreVersionError",
    "TriageError",
    "TriageRecords",
    "article_hash",
    "normalize_status",
    "normalize_tags",
    "now_iso",
    "short_text",
]
