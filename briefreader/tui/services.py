"""The reader's one door into the core: a :class:`briefreader.workspace.Workspace` and what the reader
adds around it.

Every call the reader makes into storage and analysis goes through :class:`ReaderServices`, which
holds the corpus folder's workspace (the one the CLI uses: each behaviour exists once) and adds only
what is the reader's own: the triage store opened by a worker and never behind its back (a refused
store leaves the reader working without triage, and a query with filters then says why), one
long-lived search session passed to every search, the export dialog's options, and the quote data
the panes show. Its methods run on worker threads unless said otherwise; triage reads and writes
are jobs of the triage controller's single writer thread, which calls the workspace
(:attr:`ReaderServices.workspace`) directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefreader.core.query import Query, QueryError, QuerySyntaxError, parse
from briefreader.workspace import ExportOptions, Workspace

if TYPE_CHECKING:
    from briefreader.core.copies import CopyAnalysis
    from briefreader.core.model import Article
    from briefreader.core.triage_model import ArticleState, ResumeState
    from briefreader.tui.quote_model import QuoteData
    from briefreader.tui.triage.export_screen import ExportOptions as DialogOptions
    from briefreader.workspace import Corpus, CorpusIndex, SearchResults, SearchSession

log = logging.getLogger(__name__)

Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class TriageOpening:
    """What the reader needs from the triage store when it opens."""

    states: dict[str, ArticleState]
    tags: list[str]
    resume: ResumeState
    notice: str | None  # e.g. the state lives in the user's folder (read-only corpus)
    in_corpus: bool


@dataclass(frozen=True, slots=True)
class BuiltBrief:
    """A brief built for the export dialog: the text as written, its summary, the Markdown to preview."""

    text: str
    summary: str
    markdown: str | None


class ReaderServices:
    """The core behind the reader, for one corpus folder: its :attr:`workspace` and the reader's additions."""

    def __init__(self, root: Path, *, use_cache: bool = True, follow_links: bool = False) -> None:
        self.root = root
        # the store is opened by the triage worker only (open_triage): never by a search thread
        self.workspace = Workspace(root, use_cache=use_cache, follow_links=follow_links, open_store_on_demand=False)

    # ------------------------------------------------------------------ corpus, index, search

    def load_corpus(self, *, progress: Callable[[int, int], None], cancelled: Cancelled,
                    on_articles: Callable[[list[Article]], None]) -> Corpus:
        """Load (clean, cache) the corpus folder; raises CorpusError, LoadCancelled."""
        return self.workspace.load(progress=progress, cancelled=cancelled, on_articles=on_articles)

    def open_index(self, *, progress: Callable[[int, int], None],
                   cancelled: Cancelled) -> tuple[CorpusIndex, SearchSession, str] | None:
        """Open (and bring up to date) the full-text index of the loaded corpus, with the search
        session the reader keeps; None when cancelled. Raises IndexBusyError."""
        index = self.workspace.open_updated_index(progress=progress, cancelled=cancelled)
        if index is None:
            return None
        return index, index.searcher(), index.message or ""

    def parse_query(self, query: str, *, triage_problem: str | None) -> Query:
        """A search query parsed once (saved searches expanded, filters taken out); raises
        QuerySyntaxError for a bad filter or saved search, or for filters while triage is off."""
        workspace = self.workspace
        try:
            # '@name' without the store: parse() says saved searches need the triage state
            parsed = workspace.parse_query(query) if workspace.store_is_open else parse(query)
        except QueryError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        if parsed.filters and not workspace.store_is_open:
            raise QuerySyntaxError(f"status:/tag:/has:/note: need the triage state ({triage_problem})")
        return parsed

    def search(self, query: str, *, searcher: SearchSession | None, articles: Sequence[Article], limit: int,
               cancelled: Cancelled | None, triage_problem: str | None) -> SearchResults:
        """One page of results for a query with triage filters and words (``status:keep tag:x words``):
        the filters pick among ``articles`` (the list, in its order), the words go to ``searcher``."""
        parsed = self.parse_query(query, triage_problem=triage_problem)
        return self.workspace.search(parsed, searcher, limit=limit, snippets=False, ids_only=True,
                                     cancelled=cancelled, articles=articles)

    def select_ids(self, query: str, *, searcher: SearchSession | None, articles: Sequence[Article],
                   triage_problem: str | None) -> list[str]:
        """Every article matching ``query`` (filters and words), not just the first page, in list order."""
        parsed = self.parse_query(query, triage_problem=triage_problem)
        if parsed.text and searcher is None:
            raise QuerySyntaxError("the index is not ready yet")
        return self.workspace.select(parsed, [a.id for a in articles], session=searcher)

    @staticmethod
    def match_spans(searcher: SearchSession, article: Article, words: str) -> list[tuple[int, int]]:
        """Where the search words occur in the article's body (sorted spans)."""
        return sorted(searcher.match_spans(article.id, article.body, words))

    # ------------------------------------------------------------------ quotes and copies

    def analyse_quotes(self, *, cancelled: Cancelled, progress: Callable[[int, int], None]) -> QuoteData | None:
        """Find the quotations and their groups (a big corpus in a child process), judged with the
        copy analysis as ``briefreader quotes`` does (it is waited for, or made, first); None when
        cancelled. If the copy analysis fails, the quotations are still analysed, without it."""
        from briefreader.tui.quote_source import quote_data_from_analysis

        workspace = self.workspace
        use_copies = True
        try:
            copies = workspace.copies_in_child(cancelled=cancelled)
        except Exception:  # the copies worker reports this failure; quotations can do without copies
            log.exception("copy analysis failed; quotations are judged without copy detection")
            copies, use_copies = None, False
        if use_copies and copies is None:
            return None  # cancelled
        return workspace.quotes_in_child(quote_data_from_analysis, cancelled=cancelled, progress=progress,
                                         copies=copies, use_copies=use_copies)

    def analyse_copies(self, *, cancelled: Cancelled) -> CopyAnalysis | None:
        """Copy groups and stories, once per corpus (a big corpus in a child process, which needs the
        record cache); None when cancelled."""
        return self.workspace.copies_in_child(cancelled=cancelled)

    # ------------------------------------------------------------------ triage storage

    def open_triage(self) -> TriageOpening:
        """Open the triage store (raises TriageError, OSError); closed again if reading it fails."""
        workspace = self.workspace
        workspace.open_store()
        try:
            opening = TriageOpening(workspace.states(), workspace.complete_tag(""), workspace.resume_state(),
                                    workspace.location_notice(), workspace.store_in_corpus)
        except Exception:
            workspace.close()
            raise
        return opening

    @property
    def triage_open(self) -> bool:
        """Whether the triage store is open."""
        return self.workspace.store_is_open

    def close_triage(self) -> None:
        """Close the store (checkpointed: the main file alone then holds everything). Idempotent."""
        self.workspace.close()

    # ------------------------------------------------------------------ export

    def build_brief(self, options: DialogOptions, *, copies: CopyAnalysis | None,
                    searcher: SearchSession | None) -> BuiltBrief:
        """Build and render the brief for the export dialog's ``options`` (the CLI's ``export``,
        through the same workspace call). Words are matched through ``searcher`` (none yet: refused),
        and grouping by story needs ``copies`` (refused while the stories are being found)."""
        from briefreader.core.export import relative_link_root

        if self.parse_query(options.where, triage_problem=None).text and searcher is None:
            raise QuerySyntaxError("the index is not ready yet")
        out = options.output_path()
        link_root = relative_link_root(self.root, out.parent if options.output.strip() else Path.cwd())
        result = self.workspace.export(
            ExportOptions(where=options.where, group_by=options.group_by, fmt=options.fmt, profile=options.profile,
                          ignore_punct=options.ignore_punct, link_root=link_root, preview_markdown=True),
            copies=copies, session=searcher, compute_copies=False)
        return BuiltBrief(result.text, result.summary, result.markdown)

    @staticmethod
    def write_file(path: Path, text: str, *, replace: bool, make_folder: bool) -> None:
        """Write the brief (refuses links, devices, FIFOs)."""
        Workspace.write_output(path, text, force=replace, make_parents=make_folder)


__all__ = ["BuiltBrief", "ReaderServices", "TriageOpening"]
