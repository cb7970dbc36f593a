"""The command-line front end: thin wrappers over briefreader.core."""
