"""The reader's view of copies and stories: which rows the list shows, their thread markers, and
whether a copy opens on its changes. A plain object the app owns and asks; it never draws."""

from __future__ import annotations

from collections.abc import Sequence

from typing import TYPE_CHECKING

from briefreader.core.model import Article

if TYPE_CHECKING:  # the copy analysis's module loads when there is one to show, not before the first paint
    from briefreader.core.copies import Copy, CopyAnalysis, CopyGroup, ListRow


class CopiesView:
    """State of copy threads in the list (folded or not, per group) and of the copy changes view."""

    def __init__(self) -> None:
        self.analysis: CopyAnalysis | None = None
        self.folded = True  # copies folded under their original (expand one group with z)
        self.expanded: set[str] = set()  # originals whose copies are shown while folded
        self.show_changes = True  # a copy opens on what it changed; f shows its full text
        self._rows: dict[str, ListRow] = {}
        self._story_labels: dict[str, str] = {}

    @property
    def ready(self) -> bool:
        return self.analysis is not None

    def rows(self, articles: Sequence[Article], *, by_story: bool) -> list[Article]:
        """The list's rows for ``articles`` (already sorted): grouped by story when asked, copies
        under their original, folded copies left out."""
        if self.analysis is None or not (self.analysis.groups or by_story):  # nothing to thread
            self._rows, self._story_labels = {}, {}
            return list(articles)
        from briefreader.core.copies import story_order, threaded_rows

        by_id = {a.id: a for a in articles}
        ids = [a.id for a in articles]
        self._story_labels = {}
        if by_story:
            ordered = story_order(ids, self.analysis)
            ids = [article_id for article_id, _ in ordered]
            self._story_labels = {article_id: label for article_id, label in ordered if label}
        rows = threaded_rows(ids, self.analysis, collapsed=self.folded, expanded=self.expanded)
        self._rows = {row.article_id: row for row in rows}
        return [by_id[row.article_id] for row in rows]

    def prefix(self, article_id: str) -> str:
        """What the list draws before the title: the story label, the fold marker, the copy branch."""
        row = self._rows.get(article_id)
        story = self._story_labels.get(article_id)
        head = f"§ {story} · " if story else ""
        if row is None:
            return head
        if row.depth:
            return head + "  └ "
        if row.copies:
            return head + (f"[+{row.copies}] " if row.hidden else f"[−{row.copies}] ")
        return head

    def group_of(self, article_id: str | None) -> CopyGroup | None:
        if self.analysis is None or article_id is None:
            return None
        return self.analysis.group_of(article_id)

    def original_of(self, article_id: str) -> str:
        """The article ``article_id`` republishes (itself when it is no copy)."""
        return self.analysis.original_of(article_id) if self.analysis is not None else article_id

    def copy_info(self, article_id: str | None) -> tuple[CopyGroup, Copy] | None:
        """(group, copy) when ``article_id`` is a copy of another article."""
        group = self.group_of(article_id)
        if group is None or article_id is None or group.original == article_id:
            return None
        item = group.copy_of(article_id)
        return (group, item) if item is not None else None

    def toggle_group(self, article_id: str | None) -> str | None:
        """Fold or unfold the copies of the group of ``article_id``; the original's id, or None."""
        group = self.group_of(article_id)
        if group is None:
            return None
        if not self.folded:
            self.folded = True
            self.expanded = {g.original for g in self.analysis.groups} if self.analysis else set()
        if group.original in self.expanded:
            self.expanded.discard(group.original)
        else:
            self.expanded.add(group.original)
        return group.original

    def toggle_all(self) -> None:
        """Fold every group, or unfold them all."""
        self.folded = not self.folded
        self.expanded = set()

    def status_part(self) -> str:
        if self.analysis is None:
            return ""
        copies = sum(len(g.copies) for g in self.analysis.groups)
        if not copies:
            return "copies: none"
        groups = len(self.analysis.groups)
        return f"copies: {copies} in {groups} group{'s' * (groups != 1)}"
