"""Transitional: the names ``briefreader.core.triage`` used to hold, re-exported from where they live now.

The 1,700-line module was split along its jobs (issue 13):

- records and their rules (statuses, tags, errors): :mod:`briefreader.core.triage_model`
- the query language (filters, saved searches, words): :mod:`briefreader.core.query`
- quote-cluster snapshots: :mod:`briefreader.core.snapshots`
- the SQLite store: :mod:`briefreader.storage.triage_store`; its file, schema and copying:
  :mod:`briefreader.storage.triage_file`; the journal and undo: :mod:`briefreader.storage.journal`

Front ends use :class:`briefreader.workspace.Workspace` instead. This module remains only for the
reader (``tui/triage``) and ``core/export.py`` until they are switched over; it is the one module of
``core/`` that reaches into ``storage/`` (see ARCHITECTURE.md) and is deleted with that switch.
New code must not import it.
"""

from __future__ import annotations

from briefreader.core.query import (
    HAS_VALUES,
    Filters,
    QueryError,
    format_filters_help,
    matches,
    parse_filters,
    split_filters,
)
from briefreader.core.snapshots import cluster_snapshot
from briefreader.core.triage_model import (
    DEFAULT_STATUS,
    STATUSES,
    ArticleState,
    ChosenCluster,
    Highlight,
    JournalEntry,
    Reattachment,
    ResumeState,
    StoreBusyError,
    StoreDamagedError,
    StoreDiskFullError,
    StoreVersionError,
    TriageError,
    article_hash,
    normalize_status,
    normalize_tags,
    now_iso,
    short_text,
)
from briefreader.storage.triage_file import APPLICATION_ID, DB_NAME, SCHEMA_VERSION, store_path
from briefreader.storage.triage_store import TriageStore, open_store

__all__ = [
    "APPLICATION_ID",
    "DB_NAME",
    "DEFAULT_STATUS",
    "HAS_VALUES",
    "SCHEMA_VERSION",
    "STATUSES",
    "ArticleState",
    "ChosenCluster",
    "Filters",
    "Highlight",
    "JournalEntry",
    "QueryError",
    "Reattachment",
    "ResumeState",
    "StoreBusyError",
    "StoreDamagedError",
    "StoreDiskFullError",
    "StoreVersionError",
    "TriageError",
    "TriageStore",
    "article_hash",
    "cluster_snapshot",
    "format_filters_help",
    "matches",
    "normalize_status",
    "normalize_tags",
    "now_iso",
    "open_store",
    "parse_filters",
    "short_text",
    "split_filters",
    "store_path",
]
