"""Triage, highlights and export in the reader (keys, dialogs and panels over the workspace)."""
