"""Storage: everything about files on disk behind the workspace (the triage store and its journal
today; the corpus files, record cache, index and quote cache move here next, see ARCHITECTURE.md).

Front ends (``briefreader/cli``, ``briefreader/tui``) never import this package: they call
:class:`briefreader.workspace.Workspace`. Modules here may import ``briefreader.core``, never the UI.
"""
