"""briefreader: a keyboard-driven terminal reader for news and intelligence analysts."""

__version__ = "0.1.0"
