"""The brief in the reader: choosing quotations for it (b) and the export dialog (e).

Part of the triage controller: the brief is built by the corpus folder's workspace, as ``briefreader
export`` builds it (:meth:`briefreader.tui.services.ReaderServices.build_brief`), in a worker, and
written there.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefreader.tui.services import BuiltBrief
    from briefreader.tui.triage.controller import TriageController
    from briefreader.tui.triage.export_screen import ExportOptions, ExportScreen
    from briefreader.workspace import Workspace


class BriefActions:
    """What goes in the brief, and the export dialog's preview and writing."""

    def __init__(self, triage: TriageController) -> None:
        self.triage = triage
        self.host = triage.host

    def choose_quote(self) -> None:
        """b: put the selected quotation's cluster in the brief (as a comparison table), or take it out."""
        cluster = self.host.selected_cluster()
        if cluster is None:
            if self.triage.state.current_quote is None or self.host.quotes is None:
                self.host.notify("Select a quotation first (] / [).", timeout=3)
            else:
                self.host.notify("This quotation is not rendered by other outlets: nothing to compare.", timeout=3)
            return
        count = len(cluster.variants)

        def toggle(workspace: Workspace) -> bool:
            """In the brief (frozen: core's cluster with its partial-quote spans), or out when it is in."""
            if workspace.is_chosen(cluster.id):
                workspace.unchoose_quote(cluster.id)
                return False
            workspace.choose_quote(cluster)  # titles from the loaded corpus
            return True

        def done(chosen: bool) -> None:
            self.host.notify(("In the brief: " if chosen else "Taken out of the brief: ")
                             + f"this quotation's {count} renderings · u undoes", timeout=3)

        self.triage.submit(toggle, done, what="choosing the quotation")

    def export(self) -> None:
        """e: the export dialog (options, preview, output path)."""
        from briefreader.tui.triage.export_screen import ExportOptions, ExportScreen

        if not self.triage.ready() or self.host.corpus is None:
            return
        root = self.triage.services.root
        name = root.resolve().name or "corpus"
        output = str(Path.cwd() / f"brief-{name}-{date.today().isoformat()}.md")
        options = ExportOptions(where=self.triage.state.search_query, output=output,
                                ignore_punct=self.triage.state.diff_ignore_punct)
        self.host.app.push_screen(ExportScreen(options, self))

    def _build(self, options: ExportOptions) -> BuiltBrief:
        if self.host.corpus is None:
            raise RuntimeError("the corpus is not loaded")
        return self.triage.services.build_brief(options, copies=self.host.copies.analysis,
                                                searcher=self.host.searcher)

    def export_preview(self, screen: ExportScreen, options: ExportOptions) -> None:
        """Build the brief for the dialog's preview (in a worker)."""

        def shown(brief: BuiltBrief) -> None:
            if screen.is_attached:
                screen.show_preview(options, brief.text, brief.summary, brief.markdown)

        def failed(message: str) -> None:
            if screen.is_attached:
                screen.set_status(message, error=True)

        self.triage.run_in_worker(lambda: self._build(options), shown, group="export-preview",
                                  what="building the brief", on_error=failed)

    def export_write(self, screen: ExportScreen, options: ExportOptions, *, replace: bool = False,
                     make_folder: bool = False) -> None:
        """Build the brief and write it (in a worker)."""
        path = options.output_path()

        def write() -> str:
            brief = self._build(options)
            self.triage.services.write_file(path, brief.text, replace=replace, make_folder=make_folder)
            return brief.summary

        def written(summary: str) -> None:
            if screen.is_attached:
                screen.written(f"Wrote {path}: {summary}")
            else:
                self.host.notify(f"Wrote {path}: {summary}", timeout=6)

        def failed(message: str) -> None:
            if screen.is_attached:
                screen.set_status(message, error=True)

        self.triage.run_in_worker(write, written, group="export-write", what=f"cannot write {path}", on_error=failed)


__all__ = ["BriefActions"]
