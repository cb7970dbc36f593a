"""The Textual front end of briefreader (``briefreader open DIR``)."""
