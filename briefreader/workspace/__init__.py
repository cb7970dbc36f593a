"""The workspace: one corpus folder and everything derived from it, behind one object that both front
ends (the CLI and the reader) call, so that each behaviour exists once.

A :class:`Workspace` opens a corpus folder and reaches, lazily, its articles (the corpus loader and
record cache), its full-text index, its triage store and its quote and copy analyses (with their
caches). Front ends never import ``briefreader.storage`` (nor the storage-bound ``core`` modules
listed in :data:`STORAGE_MODULES`): they call these methods, and catch the errors re-exported here.

Usage::

    with Workspace.open(folder) as ws:
        query = ws.parse_query("status:keep @eu ceasefire")   # filters + saved searches + words
        ids = ws.select(query)                                  # article ids, corpus order
        ws.set_status(ids, "follow-up")
        result = ws.export(ExportOptions(where="tag:eu", fmt="md"))
        print(result.text); print(result.summary)

Threads: methods may be called from a worker thread; the triage store serialises its own writes.

The reader (``tui/services.py``) holds one workspace made with ``open_store_on_demand=False``: its
triage worker opens the store (:meth:`Workspace.open_store`) and a search never opens it behind the
reader's back. It loads with :meth:`load` (progress, streamed batches), keeps one index session open
(:meth:`open_updated_index`) and passes it to :meth:`search`, :meth:`select` and :meth:`export`;
its analyses run in child processes for a big corpus (:meth:`copies_in_child`,
:meth:`quotes_in_child`), the quote analysis after the copy analysis, as the CLI's ``quotes`` does.

Types a front end annotates with (under ``TYPE_CHECKING``) are imported from here too (``Corpus``,
``CorpusIndex``, ``SearchSession``, ``SearchResults``, ``TriageStore``…), so that no front-end module
names a storage module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefreader.core.query import Query, QueryError, QuerySyntaxError
from briefreader.core.triage_model import StoreDamagedError, StoreVersionError, TriageError
from briefreader.workspace.analyses import ISOLATE_MIN_ARTICLES
from briefreader.workspace.service import ExportOptions, ExportResult, SearchUnavailable, Workspace

if TYPE_CHECKING:  # types front ends annotate with, without importing a storage module themselves
    from briefreader.core.copies import (
        CopyAnalysis as CopyAnalysis,
    )
    from briefreader.core.export import (
        Brief as Brief,
    )
    from briefreader.core.model import (
        Article as Article,
    )
    from briefreader.core.quote_clusters import (
        QuoteAnalysis as QuoteAnalysis,
    )
    from briefreader.core.triage_model import (
        ArticleState as ArticleState,
        ChosenCluster as ChosenCluster,
        Highlight as Highlight,
        JournalEntry as JournalEntry,
        ResumeState as ResumeState,
    )
    from briefreader.storage.corpus import (
        Corpus as Corpus,
        LoadWarning as LoadWarning,
        SourceState as SourceState,
    )
    from briefreader.storage.index import (
        CorpusIndex as CorpusIndex,
        SearchResults as SearchResults,
        SearchSession as SearchSession,
    )
    from briefreader.storage.index_sync import (
        SyncResult as SyncResult,
    )
    from briefreader.storage.listing import (
        Listing as Listing,
    )
    from briefreader.storage.triage_store import (
        TriageStore as TriageStore,
    )

# Modules about files on disk (corpus files, record cache, index and its lock, triage store).
# Front ends import none of them (tests/unit/test_layers.py).
STORAGE_MODULES: tuple[str, ...] = ("briefreader.storage",)

_LAZY_NAMES = {
    "ExportError": "briefreader.core.export",
    "ExportTargetError": "briefreader.core.paths",
    "CorpusError": "briefreader.storage.corpus",
    "LoadCancelled": "briefreader.storage.corpus",
    "SearchCancelled": "briefreader.storage.index",
    "ARTICLE_SUFFIXES": "briefreader.storage.corpus",
    "IndexBusyError": "briefreader.storage.index",
    "IndexDamagedError": "briefreader.storage.index",
    "UpdateReport": "briefreader.storage.index",
    "CacheTrouble": "briefreader.storage.listing",
}


def __getattr__(name: str) -> Any:
    """Errors and constants of the storage-bound modules, imported when first asked for (a front end
    catches ``briefreader.workspace.IndexBusyError`` without importing the index itself)."""
    if name in _LAZY_NAMES:
        import importlib

        return getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ISOLATE_MIN_ARTICLES",
    "STORAGE_MODULES",
    "ExportOptions",
    "ExportResult",
    "Query",
    "QueryError",
    "QuerySyntaxError",
    "SearchUnavailable",
    "StoreDamagedError",
    "StoreVersionError",
    "TriageError",
    "Workspace",
]  # also, imported when first used: ExportError, ExportTargetError, CorpusError, LoadCancelled,
# IndexBusyError, IndexDamagedError, SearchCancelled, UpdateReport, ARTICLE_SUFFIXES
