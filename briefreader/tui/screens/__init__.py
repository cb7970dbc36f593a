"""The reader's modal screens (help, warnings)."""
