"""The results of copy and story analysis: copy groups, copies, partial reuse, stories and their
links, with look-ups by article and their JSON form (see ``briefreader.core.copies``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

Progress = Callable[[str, int, int], None]


class CopiesCancelled(Exception):
    """Raised inside :func:`analyse_copies` when its ``cancelled`` callback says so."""

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(slots=True)
class WordChange:
    """Words of the original replaced (or dropped, or added) inside a paragraph both articles share."""

    before: str
    after: str
    paragraph: int  # index of the copy's paragraph


@dataclass(slots=True)
class Copy:
    """One article republishing the group's original."""

    article: str
    shared: float  # share of this copy's text that comes from the original
    kept: float  # share of the original's text this copy kept
    added: list[str] = field(default_factory=list)  # paragraphs the copy added
    added_at: list[int] = field(default_factory=list)  # their indexes among the copy's paragraphs
    cut: list[str] = field(default_factory=list)  # paragraphs of the original the copy left out
    changed: list[WordChange] = field(default_factory=list)
    retitled: bool = False  # the copy has another headline

    def summary(self) -> str:
        """One line: how this copy differs from its original."""
        parts = [f"shares {self.shared:.0%}"]
        if self.retitled:
            parts.append("new headline")
        if self.added:
            parts.append(f"{len(self.added)} paragraph{'s' * (len(self.added) != 1)} added")
        if self.cut:
            parts.append(f"{len(self.cut)} cut")
        if self.changed:
            parts.append(f"{len(self.changed)} word change{'s' * (len(self.changed) != 1)}")
        if len(parts) == 1:
            parts.append("same text")
        return ", ".join(parts)


@dataclass(slots=True)
class CopyGroup:
    """An original and its copies."""

    id: str
    original: str
    why_original: str
    copies: list[Copy]

    @property
    def members(self) -> list[str]:
        return [self.original] + [c.article for c in self.copies]

    def copy_of(self, article_id: str) -> Copy | None:
        for item in self.copies:
            if item.article == article_id:
                return item
        return None


@dataclass(slots=True)
class Reuse:
    """``article`` reuses ``paragraphs`` paragraphs of ``source`` without being a copy of it."""

    article: str
    source: str
    paragraphs: int
    shared: float  # share of ``article``'s text that comes from ``source``


@dataclass(slots=True)
class StoryLink:
    """Why two units (copy groups or single articles, named by an article id) are in one story."""

    a: str
    b: str
    quotations: list[str]  # shared quotations (first words)
    names: list[str]  # shared distinctive names

    def reason(self) -> str:
        bits = []
        if self.quotations:
            bits.append("same quotation " + "; ".join(f"“{q}”" for q in self.quotations[:2]))
        if self.names:
            bits.append("names " + ", ".join(self.names[:5]))
        return " and ".join(bits)


@dataclass(slots=True)
class Story:
    """Articles that cover one event: copy groups and single articles, with the links that joined them."""

    id: str
    articles: list[str]  # every member, copies included, in date order
    groups: list[str]  # ids of the copy groups in it
    links: list[StoryLink]
    first: str  # the earliest article
    label: str  # a few distinctive names shared by its members


@dataclass(slots=True)
class CopyAnalysis:
    """Copy groups, partial reuse and stories of a corpus, with look-ups by article."""

    groups: list[CopyGroup]
    reuses: list[Reuse]
    stories: list[Story]
    stats: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _group_by_article: dict[str, CopyGroup] = field(default_factory=dict, repr=False)
    _story_by_article: dict[str, Story] = field(default_factory=dict, repr=False)
    _groups_by_id: dict[str, CopyGroup] = field(default_factory=dict, repr=False)
    _stories_by_id: dict[str, Story] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._groups_by_id = {g.id: g for g in self.groups}
        self._stories_by_id = {s.id: s for s in self.stories}
        for group in self.groups:
            for member in group.members:
                self._group_by_article[member] = group
        for story in self.stories:
            for member in story.articles:
                self._story_by_article[member] = story

    def group_of(self, article_id: str) -> CopyGroup | None:
        """The copy group ``article_id`` belongs to (as original or copy), if any."""
        return self._group_by_article.get(article_id)

    def story_of(self, article_id: str) -> Story | None:
        return self._story_by_article.get(article_id)

    def group(self, group_id: str) -> CopyGroup | None:
        return self._groups_by_id.get(group_id)

    def story(self, story_id: str) -> Story | None:
        return self._stories_by_id.get(story_id)

    def original_of(self, article_id: str) -> str:
        """The article's original when it is a copy, else the article itself."""
        group = self.group_of(article_id)
        return group.original if group is not None else article_id

    def independent(self, article_ids: Iterable[str]) -> int:
        """How many of ``article_ids`` are independent: copies of one original count once."""
        return len({self.original_of(a) for a in article_ids})

    def to_json(self) -> dict[str, Any]:
        """The `copies --json` document."""
        return {
            "groups": [
                {"id": g.id, "original": g.original, "why_original": g.why_original,
                 "copies": [_copy_json(c) for c in g.copies]}
                for g in self.groups
            ],
            "reuses": [asdict(r) for r in self.reuses],
        }

    def stories_json(self) -> dict[str, Any]:
        """The `stories --json` document."""
        return {"stories": [_story_json(s) for s in self.stories]}


def _copy_json(item: Copy) -> dict[str, Any]:
    return {"article": item.article, "shared": round(item.shared, 3), "kept": round(item.kept, 3),
            "retitled": item.retitled, "added": item.added, "added_at": item.added_at, "cut": item.cut,
            "changed": [asdict(c) for c in item.changed], "summary": item.summary()}


def _story_json(story: Story) -> dict[str, Any]:
    return {"id": story.id, "label": story.label, "first": story.first, "articles": story.articles,
            "groups": story.groups,
            "links": [{"a": link.a, "b": link.b, "why": link.reason(), "quotations": link.quotations,
                       "names": link.names} for link in story.links]}
