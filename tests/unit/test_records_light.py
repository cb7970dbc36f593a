"""A corpus loaded light: source texts, removed blocks and offset maps read back from the record
cache when used, never held; everything read is what a full load holds."""

from __future__ import annotations

import logging
import os
import pickle
import sqlite3
from pathlib import Path

from briefreader.core.model import Article
from briefreader.core.paths import derived_dir
from briefreader.core.quote_clusters import analyse_quotes
from briefreader.storage.corpus import load_corpus
from briefreader.storage.records import CACHE_FILE, LazyExtra, StoredExtra, transient_copy

HTML = (
    "<html><head><title>Talks end</title></head><body><nav>Home | World | Sport</nav>"
    "<article><p>Ministers met on Tuesday.</p><p>&ldquo;We will not accept these terms,&rdquo; "
    "the minister said after the meeting.</p><p>\u201cThe talks are over,\u201d said Anna Berg.</p>"
    "</article><footer>Subscribe now</footer></body></html>"
)


def _fields(article: Article) -> dict:
    return {name: getattr(article, name) for name in Article.__dataclass_fields__}


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.html").write_text(HTML, encoding="utf-8")
    (root / "b.txt").write_text("\u201cWe will not accept these terms,\u201d the minister said.\n", encoding="utf-8")
    for path in root.iterdir():  # older than the record cache's racy window: cached rows are trusted
        os.utime(path, (1_700_000_000, 1_700_000_000))
    return root


def test_light_articles_read_back_what_a_full_load_holds(sample_corpus: Path) -> None:
    full = load_corpus(sample_corpus)  # fills the record cache
    light = load_corpus(sample_corpus, light=True)
    assert [a.id for a in light.articles] == [a.id for a in full.articles]
    assert all(isinstance(a._extra, StoredExtra) for a in light.articles)  # type: ignore[attr-defined]
    assert any(a.offsets.segments for a in full.articles)  # the comparison covers real offset maps
    for held, read in zip(full.articles, light.articles, strict=True):
        assert _fields(read) == _fields(held)


def test_transient_copy_of_a_light_article_leaves_it_light(sample_corpus: Path) -> None:
    full = {a.id: a for a in load_corpus(sample_corpus).articles}
    for article in load_corpus(sample_corpus, light=True).articles:
        copy = transient_copy(article)
        assert copy is not article
        assert copy.offsets == full[article.id].offsets and copy.source == full[article.id].source
        assert isinstance(article._extra, StoredExtra)  # type: ignore[attr-defined]
        assert article._extra._value is None  # type: ignore[attr-defined]  # nothing kept


def test_a_light_article_travels_packed(sample_corpus: Path) -> None:
    full = {a.id: a for a in load_corpus(sample_corpus).articles}
    for article in load_corpus(sample_corpus, light=True).articles:
        travelled = pickle.loads(pickle.dumps(article))
        assert isinstance(travelled._extra, LazyExtra) and not isinstance(travelled._extra, StoredExtra)
        assert _fields(travelled) == _fields(full[article.id])


def test_first_load_light_keeps_fresh_articles_packed(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    light = load_corpus(root, light=True)  # nothing cached yet: read and cleaned now
    full = load_corpus(root)
    assert all(a._extra is not None for a in light.articles)  # type: ignore[attr-defined]
    for held, read in zip(full.articles, light.articles, strict=True):
        assert _fields(read) == _fields(held)


class _Messages(logging.Handler):
    """The records module's log messages (its own handler: another test may have configured
    briefreader's logging not to propagate to pytest's)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.text = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.text += record.getMessage() + "\n"


def test_a_row_cleaned_again_since_gives_the_body_as_source_with_a_warning(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    load_corpus(root)
    light = {a.id: a for a in load_corpus(root, light=True).articles}
    assert all(isinstance(a._extra, StoredExtra) for a in light.values())  # type: ignore[attr-defined]
    with sqlite3.connect(derived_dir(root) / CACHE_FILE) as db:  # another process re-cleaned a.html
        blob = db.execute("SELECT entries FROM files WHERE path='a.html'").fetchone()[0]
        rows, warnings = pickle.loads(blob)
        values, digest, extra = rows[0]
        changed = tuple(v + " (changed)" if v == light["a.html"].body else v for v in values)
        db.execute("UPDATE files SET entries=? WHERE path='a.html'", (pickle.dumps(([(changed, digest, extra)],
                                                                                   warnings)),))
        db.execute("DELETE FROM files WHERE path='b.txt'")  # and b.txt's row is gone
    records_log = logging.getLogger("briefreader.storage.records")
    for article in light.values():
        messages, level = _Messages(), records_log.level
        records_log.addHandler(messages)
        records_log.setLevel(logging.WARNING)
        try:
            assert article.source == article.body != "" and article.removed == [] and article.offsets.segments == []
        finally:
            records_log.removeHandler(messages)
            records_log.setLevel(level)
        assert ("cleaned again" if article.id == "a.html" else "is gone") in messages.text


def test_quote_analysis_of_a_light_corpus_is_the_full_ones(sample_corpus: Path) -> None:
    full = analyse_quotes(load_corpus(sample_corpus).articles)
    light = analyse_quotes(load_corpus(sample_corpus, light=True).articles)
    assert light.quotes_total == full.quotes_total > 0
    assert list(light.iter_json_clusters()) == list(full.iter_json_clusters())
    assert light.scare_quotes_json() == full.scare_quotes_json()
