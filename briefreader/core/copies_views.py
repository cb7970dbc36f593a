"""What the reader and the CLI show of a copy analysis: a timeline of articles with their roles,
and the article list threaded by copy group or ordered by story."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefreader.core.copies_model import CopyAnalysis
from briefreader.core.copies_text import _timeline_key
from briefreader.core.model import Article

@dataclass(slots=True)
class TimelineEntry:
    """One article in publication order: when, who, and what it is (original, copy, ...)."""

    article: str
    date: str | None
    outlet: str | None
    title: str | None
    role: str  # "original", "copy of <id>", "article", "rendering"
    note: str = ""


def timeline(articles: Sequence[Article], ids: Iterable[str],
             analysis: CopyAnalysis | None = None) -> list[TimelineEntry]:
    """``ids`` in publication order (undated last), each with its role in its copy group."""
    by_id = {a.id: a for a in articles}
    entries = []
    for article_id in dict.fromkeys(ids):
        article = by_id.get(article_id)
        if article is None:
            continue
        role, note = "article", ""
        group = analysis.group_of(article_id) if analysis is not None else None
        if group is not None:
            if group.original == article_id:
                role = f"original of {len(group.copies)} cop{'y' if len(group.copies) == 1 else 'ies'}"
            else:
                copy = group.copy_of(article_id)
                role = f"copy of {group.original}"
                note = copy.summary() if copy is not None else ""
        entries.append(TimelineEntry(article_id, article.date, article.outlet, article.title, role, note))
    entries.sort(key=lambda e: _timeline_key(by_id[e.article]))
    return entries


@dataclass(slots=True)
class ListRow:
    """One row of the threaded article list: the article, its depth (0 or 1) and a marker."""

    article_id: str
    depth: int
    hidden: int = 0  # copies folded under this row
    copies: int = 0  # copies this original has (shown or not)
    story: str = ""  # the story label on the first row of a story (story mode)


def threaded_rows(
    ordered_ids: Sequence[str],
    analysis: CopyAnalysis,
    *,
    collapsed: bool,
    expanded: set[str] | frozenset[str] = frozenset(),
) -> list[ListRow]:
    """``ordered_ids`` (already sorted) with each copy right under its original.

    An original takes the place of its first member in the order; its copies follow it (all of
    them, or none when ``collapsed`` and the original is not in ``expanded``). A copy whose original
    is not in ``ordered_ids`` (a search hit) stays where it is.
    """
    position = {article_id: i for i, article_id in enumerate(ordered_ids)}
    present = set(position)
    rows: list[ListRow] = []
    placed: set[str] = set()
    for article_id in ordered_ids:
        if article_id in placed:
            continue
        group = analysis.group_of(article_id)
        if group is None or group.original not in present:
            rows.append(ListRow(article_id, 0))
            placed.add(article_id)
            continue
        members = sorted((c.article for c in group.copies if c.article in present), key=position.__getitem__)
        folded = collapsed and group.original not in expanded
        rows.append(ListRow(group.original, 0, hidden=len(members) if folded else 0, copies=len(members)))
        placed.add(group.original)
        placed.update(members)
        if not folded:
            rows.extend(ListRow(member, 1) for member in members)
    return rows


def story_order(ordered_ids: Sequence[str], analysis: CopyAnalysis) -> list[tuple[str, str]]:
    """``ordered_ids`` grouped by story: (article id, story label on the first row of a story, else "").

    Stories come in the order their first member appears in ``ordered_ids``; articles in no story
    keep their place after the stories."""
    seen: dict[str, list[str]] = {}
    loose: list[str] = []
    for article_id in ordered_ids:
        story = analysis.story_of(article_id)
        if story is None:
            loose.append(article_id)
        else:
            seen.setdefault(story.id, []).append(article_id)
    out: list[tuple[str, str]] = []
    for story_id, members in seen.items():
        story = analysis.story(story_id)
        label = story.label if story is not None else ""
        out.extend((member, label if i == 0 else "") for i, member in enumerate(members))
    out.extend((article_id, "") for article_id in loose)
    return out
