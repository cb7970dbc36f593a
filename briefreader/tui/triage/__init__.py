"""Triage, highlights and export in the reader (the keys, dialogs and panels over briefreader.core.triage/export)."""
