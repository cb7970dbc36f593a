"""The quote analysis store (part of :mod:`briefreader.core.quote_clusters`): one SQLite file per
corpus in its per-user cache folder, read lazily.

Tables: ``meta`` (format version, the digest of what was analysed, counters), ``extraction`` (each
article's quotations as rows, keyed by the hash of its cleaned body, reused when a corpus changes),
``scare`` (the scare quotes) and ``clusters`` (one self-contained record per group, in the
analysis's order, with its number of articles, whether it is altered and its speakers as columns,
so ``quotes --json`` reads only the groups it prints, one at a time).

A fresh analysis writes its groups into a new store as it builds them (never all in memory) and is
then read back from it like a cached one; without a cache folder the store is a private temporary
database. Records are JSON read with a size and nesting limit (never pickle). A store that is not a
SQLite file, fails SQLite's quick check or holds malformed metadata is rebuilt with one warning;
a malformed record met later raises :class:`QuoteCacheError` and the file is removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from briefreader.core.model import Article
from briefreader.core.quote_alteration import _make_variant
from briefreader.core.quote_records import QuoteAnalysis, QuoteCluster
from briefreader.core.quotes import Quote

logger = logging.getLogger(__name__)

#: 11: re-attributed quotations apart, typo marks, attributed short partials; 12: speaker names and confidences;
#: 13: short quotes in a person's reported speech, pronoun subjects of naming verbs; 14: page furniture,
#: captions and a headline's object never speak, the topic person and the asker are no speakers; 15: given
#: names' genders for pronouns and descriptions, an honorific picks among people sharing a surname; 16: an
#: exchange in one sentence (`A told him, "X," B responded: "Y."`) is two quotations; 17: a surname alone
#: is the full name introduced first, not one of an office holder's relatives ("Ivanka Trump"); 18: a given
#: name speaking alone ("Ellen said") is its one full name; 19: a generation suffix stays ("Donald Trump Jr",
#: not his father); 20: a surname and its state ("Perdue of Georgia"), a title's department, a clause after
#: "and" keeps its subject, countries are no person, page furniture, "she" next to a woman a weak guess,
#: "read a memo from X" names its author, "X on Wednesday said", link cards glued to names ("CornynGOP", "MORE"),
#: "The president called Haley …, saying": the description speaks; "see what X reports and …" is no attribution;
#: "…, but Trump has …, saying": the last clause's subject; "both X and Y referred to" has no one speaker;
#: "the Robertsons" and "the Robertson family" are the family, not Phil Robertson; "the New York Democrat said"
#: is the person speaking before, "Paul D. Ryan, Wisconsin Republican," is Ryan, "a New Hampshire Republican"
#: no one named; "Candidate Trump" is Trump; "The statement said" is the author of the statement named before;
#: "the CEO" is a person's description; "(Ambassador to) Syria Robert Ford", "Neighbor Anna Tejeda" are the person;
#: review fixes: names with a capital inside or a repeated word are no link card, a party description only
#: for the last speaker the article places there, a statement's author only when no other statement came since
#: 22: offices written before a name are no part of it ("National Security Adviser H.R. McMaster", "Tesla CEO
#: Elon Musk", "White House Counselor Kellyanne Conway": they were no name at all or kept the title)
#: 23: a semicolon ends the clause a quote belongs to (`calls Y "…"; Y calls X`: no attribution after it)
#: 24: comebacks and present tenses attribute a quote ("pushed back", "had written back", "asserts"); in main
#:     also quotes-25: no speech verb that is also a noun ("boasts", "maintains", "demands" taken out)
#: 25: a shared surname the narration writes alone before any full name is the one most written in full
#: ("Trump" long before "first lady Melania Trump", "Donald Trump" named three times), not the first named
#: 26: a name the article writes only after "the" ("the Harvard Crimson", "the Crimson") is no one "he" or "she"
#: stands for
#: 27: a partial quote in narration after a pronoun subject and its verb is the pronoun's person's ("On Sunday,
#: he blamed his predecessor, former President X, for …"), not the object's; a naming verb's cue agreeing
#: with the speaker found raises its confidence
#: 28: the owner of a role that opens the sentence ("X's former Russia adviser urged … '…'") does not speak:
#: the person the next sentence opens on, else the description
#: 29: a quote ending a reported clause whose own named subject feels or thinks it ("X told host Y that Z
#: apparently feels that '…'") is Z's, not the teller's
#: 30: a quote a note, letter or sign says ("X laid a note on the body … that said '…,' the sheriff said") is
#: its writer's (the person the sentence opens on), else the note's, never the reporting verb's after it
#: 31: a name only ever written alone ("Obama") is a person when the narration writes it as a clause's subject
#: a personal pronoun goes on from ("Obama made clear that he would"), not a place, party or acronym
#: 32: a stop before a lowercase word ("U.S. military") ends no sentence a subject is read from; a titled name
#: after a preposition ("against President X") is no sentence subject
#: 33: "according to Farrow's lawyer" / "… Farrow's office" is that role or office, not its owner nor unknown
#: 34: both lines of work together (the noun-verbs taken out and quotes-25..33)
#: 35: review fixes: a relative introduced as one ("her father, Brian Holt") or ruled out by an honorific is
#:     not the surname alone; a name written alone is a person only with "he"/"she" after it or "his"/"her" twice;
#:     "X's campaign manager Jo Bayer" is Bayer; "a letter from X that said" is X's; "she welcomed X's call
#:     to …" is no pronoun subject's; an owned role's words go to the next sentence's person only if she speaks
#: 36: the owner of a noun for words speaks the quotation it introduces ("Obama's comment that '…'",
#:     "his '…' remark", "Trump's '…' tweets"; not "X's comments '…'" without "that" or a mark); a naming
#:     verb's subject does not take words written after someone else's "'s"; prepositions opening a sentence
#:     ("Within hours") and "Story Continued Below" are no names
#: 37: "the president's claim that '…'" is the titled president's (not the sentence's own subject); "the
#:     president" is the one the article titles so when the last person named is a Jr, is written after another
#:     role or is never titled; a photo credit ("REUTERS/Jo Bayer") names no one; participles and plural nouns
#:     opening a sentence ("Describing", "Experts") are no names; "chairman for 21st Century Fox" is an apposition
#: 38: a surname alone in the title line is not the narration naming it before every full name ("Cheney says
#:     …" then "Dick Cheney" and, later, "Lynne Cheney" twice: "Cheney said" is Dick)
#: 39: a name speaking inside someone's report ("He said Varlow asked him …") is no speech event later pronouns go
#:     on from; a free relative closed by a colon ("in what she described as a direct quote: '…'") is not the
#:     quotation's attribution
#: 40: a sentence opening on "And he"/"But she" is about the pronoun's person, not the first person it names
#: 41: "'…,' she said, The Hill reported. '…'": the outlet relays, the earlier verb's subject speaks; a single
#:     letter ("Y" of "D_N.Y.") is no name
#: 42: two people named together ("Jo Bayer and Kit Varlow spoke with …") are no sentence subject a later "he"
#:     goes to; "Judiciary", "Senate", "Congress" are institutions ("Republican Judiciary committee staffers")
#: 43: review fixes: "the president" stays with a president of something ("university president Jo Bayer");
#:     a described owner who is only the sentence's subject leaves the words unattributed; "said of X's
#:     comments, '…'" is the speaker's; a country owning words is no speaker; bounded scans for the owner of
#:     "his" and numbers before an apposition
#: 44: a photo credit is a name after an agency's capitals or "Photo/" and a slash ("REUTERS/", "AP Photo/"),
#:     not any name after a slash ("the Reyes/Bakely ticket"); one scan per person for "presidential candidate"
#: 45: a line ending with a full stop is no headline, however many names it writes in a row
#: 46: the speech verbs of the last 1,500 characters before a quotation, at most 12, attribute it (a paragraph
#:     with no sentence end read every verb of it per quotation: cubic); ordinary articles unchanged
#: 47: a name speaking in a report after "that" and a parenthetical ("He noted that, in 2008, Obama vowed …") is
#:     no speech event either; "Capital" makes a run an institution ("Bain Capital")
#: 48: "with" and a name before a participle is its subject ("…, with Vice President Pence saying '…'")
#: 49: a surname written after an office, with a pronoun of another gender than the only full name's given name
#:     right after it ("President Trump and his team" beside "Melania Trump"), is that office holder, not her
#: 50: a magazine's author link card ("Adam Serwer: America's racial contract is showing", a line of its own, no
#:     sentence end) names no one in the story
#: 51: a person described by a part in the story ("the teen", "the accuser", "the defendant") is a person noun;
#:     number words opening a sentence ("Two Harvard students") are no given name
#: 52: review fixes: "with NAME -ing" only after a comma or dash ("broke with Trump Tuesday saying" is not Trump's);
#:     "the suspect", "the victim", "the accuser" are no person nouns (the object of the last one named); an
#:     office holder's gender only from "Surname and his"; "Capital" an institution only ending a name; the
#:     reported-speech check of short quotes reads the last VERB_WINDOW characters (quadratic before)
#: 53: a name modifying the role of the one named next is no sentence subject ("Trump lawyer Rudy Giuliani"); a
#:     subject relative clause's name speaks even as the object before it ("joined by Dr. X, who emphasized");
#:     a headline "Name:" lead gives that person's words; a passive "accused of" is not the accused's words
#: 54: a reported clause after a dash (`"…" Monday night — and that Trump told him`) is no attribution; a name
#:     after "the" and before a lower-case noun ("the Trump campaign") is no sentence subject; the sentence
#:     subject is read after the quotation closing the sentence before; "followed up" is a speech verb
#: 55: a surname several people share, with "his"/"her" right after its speech verb ("Campbell said his daughter"),
#:     is the one of that gender, not the one named nearest
#: 56: a Title Case headline verb after a name ("…, Obama Says:") is no part of it; a person's description ("the
#:     president added") never stands for a thing registered as speaking ("The way people … responded")
#: 57: review fixes: a verb or function word between a name and a role keeps the name the subject ("Varlow
#:     thanked adviser X"); no relative-clause speaker after a place preposition ("voters in Iowa, who said");
#:     "followed up" is no speech verb; a dash opens a reported clause only as "— and that"; "accused of" only
#:     right before the quotation; no headline lead-in on a question word or a country; a sentence is read at
#:     most SENTENCE_SCAN_LIMIT characters either side (the same on every measured corpus)
EXTRACTOR_VERSION = "quotes-57"
#: The version of the grouping (word keys, scoring): part of the analysis digest only, so a change
#: groups the renderings again but keeps every article's extraction rows.
#: 2: pieces of a joined rendering matched alone, hyphenated compounds split, bracketed insertions, rare short phrases
#: 3: small numbers spelled out keyed as digits, a long given name misspelt by a letter is one person,
#:    swear words and their censored forms one key
#: 4: a known speaker's few words and cuts of one statement, overlapping cuts, a long quotation word for word
#:    under two names, people however printed (short forms, states, hyphens), two-word renderings
#: 5: one speaker's same-day cuts sharing whole sentences, a line's few shingles, furniture and tags are no one
#: 7: a pending best match counts as its group, one speaker's passage transcribed a word apart on one day,
#:    pieces of a rendering found whole, a speaker's few common words in her statement of the day, a
#:    long quotation printed whole inside another under another name, ranks and offices are no given name
#: 8: a place or a legislature alone ("Russia", "Congress") is no speaker that keeps words apart, a home
#:    state after "of" no part of a name ("Perdue of Georgia"; not after an office: "President of France")
#: 9: a whole partial of two content words ("heavy weaponry") is a short quote like one of three
#: 10: a known speaker's two or three words printed on one day only, in her statement of that day, are not
#:     made ambiguous by another known speaker's use of them ("mistakes were made")
#: 11: a regnal number closing a name is no surname ("Benedict XVI" is "Pope Benedict")
#: 12: a sentence of six or seven words shared with no known speaker for both joins that day only, is a
#:     short quote within a month and no match further apart ("I didn't do anything wrong.")
#: 13: a two-word quote sharing its one skip-bigram with a longer quotation read before it is a candidate
#: 14: review fixes: a two-word partial joins within the days of one event only, a shorter quotation sharing
#:     only a sentence of a few words joins nothing a month away, a lede's few words join their article's
#:     statement, a regnal number is a true Roman numeral ("LLC" is none)
#: 15: a known speaker's short quote whose words other statements hold as well joins its own
#:     speaker's statement of the same days (the others quote it back); unattributed quotations are no
#:     rivals when that statement is the speaker's only one; two words in two statements of one speaker
#:     join neither (no "parts of one statement" for two words)
#: 16: a speaker's key is the surname person_key reads ("Eric H. Holder Jr." is Holder, not "Jr"; "Ri Yong Ho"
#:     is Ri like "Ri Yong-ho")
#: 17: a known speaker's short quote whose best match is her statement of another week joins her statement of
#:     these days instead, when one holds the words as well (the line said again later is another occasion)
#: 18: a known speaker's two or three words printed the day after her statement are of that statement too
#: 19: a name written family name first keeps its given name in the speaker key ("Kim Jong Un" is not "Kim
#:     Yo-jong"; review); the speaker of a group is told apart the same way
#: 20: a short quote of few shingles is a candidate of a longer phrase read after it sharing one of them, as it
#:     was when read before it ("What about a charity?" was compared or not by article order)
#: 21: a short quote with no confident speaker but one named weakly, matching several statements about as well,
#:     joins the one of that person in the same days (it joined none)
#: 22: one known speaker's rendering joined from pieces is a cut of her other rendering of the same day when
#:     pieces of 3+ words, 2+ of them content words, are printed whole there ("sanctimonious … earned this mistrust")
#: 23: a one-speaker piece match ('piece cut') holds only when the shared words are informative ("a total
#:     disgrace … the American people" is no cut of every statement of hers saying "the American people")
GROUPING_VERSION = "grouping-23"
CACHE_FILE = "quotes-cache.sqlite"
LEGACY_CACHE_FILE = "quotes-cache.json"  # the whole-analysis JSON of earlier versions, removed when seen
STORE_FORMAT = f"{EXTRACTOR_VERSION}/store-1"
#: A record larger than this is damage, not data (a group of thousands of renderings is a few MB).
MAX_RECORD_BYTES = 64 * 2**20
_BATCH = 500  # rows per executemany / per IN (...) look-up
_READ_LIMIT = MAX_RECORD_BYTES + 1  # records are read through substr(): never more than this

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE extraction(hash TEXT PRIMARY KEY, rows TEXT NOT NULL);
CREATE TABLE scare(seq INTEGER PRIMARY KEY, article INTEGER NOT NULL, row TEXT NOT NULL);
CREATE TEMP TABLE pending(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, articles INTEGER NOT NULL,
                     variants INTEGER NOT NULL, date_rank INTEGER NOT NULL, date_text BLOB NOT NULL,
                     first_order INTEGER NOT NULL, first_start INTEGER NOT NULL, altered INTEGER NOT NULL,
                     speakers BLOB NOT NULL, record TEXT NOT NULL);
CREATE TABLE clusters(rank INTEGER PRIMARY KEY, id TEXT NOT NULL, articles INTEGER NOT NULL,
                      altered INTEGER NOT NULL, speakers BLOB NOT NULL, record TEXT NOT NULL);
"""


class QuoteCacheError(ValueError):
    """A record of the quote store is malformed (the store is removed so the next run rebuilds it)."""


# ---------------------------------------------------------------------------------------------
# Keys and rows


def body_hash(body: str) -> str:
    """Cache key of an article's extraction: sha1 of the cleaned body (changes when cleaning does)."""
    return hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()


_QUOTE_FIELDS = [f for f in Quote.__dataclass_fields__ if f not in ("article_id", "text")]
_UTTERANCE_FIELD = _QUOTE_FIELDS.index("utterance_id")


def _quotes_to_rows(quotes: Iterable[Quote]) -> list[list[Any]]:
    """Cache rows: every field but the article id and the text (both rebuilt on load), and the
    utterance id without its article prefix, so identical bodies under two names share rows."""
    rows = []
    for q in quotes:
        row = [getattr(q, f) for f in _QUOTE_FIELDS]
        row[_UTTERANCE_FIELD] = q.utterance_id.rpartition("#")[2]
        rows.append(row)
    return rows


def _rows_to_quotes(article_id: str, body: str, rows: list[list[Any]]) -> list[Quote]:
    out = []
    for row in rows:
        d = dict(zip(_QUOTE_FIELDS, row, strict=True))
        d["utterance_id"] = f"{article_id}#{d['utterance_id']}"
        out.append(Quote(article_id=article_id, text=body[d["start"] : d["end"]], **d))
    return out


def _dump(value: Any) -> str:
    """A record as compact ASCII JSON (lone surrogates of odd bodies survive as escapes)."""
    return json.dumps(value, separators=(",", ":"))


def _load_record(text: Any) -> Any:
    """One record parsed with a size and nesting limit; QuoteCacheError when it is not JSON."""
    from briefreader.core.safe_json import loads_bounded

    if not isinstance(text, str) or len(text) > MAX_RECORD_BYTES:
        raise QuoteCacheError("a record of the quote cache is not text of a sane size")
    try:
        return loads_bounded(text)
    except ValueError as exc:
        raise QuoteCacheError(f"a record of the quote cache is malformed ({exc})") from exc


def _analysis_digest(articles: Sequence[Article], hashes: list[str]) -> str:
    h = hashlib.sha1(f"{EXTRACTOR_VERSION}|{GROUPING_VERSION}".encode())
    for a, bh in zip(articles, hashes, strict=True):
        h.update(f"{a.id}\0{bh}\0{a.outlet}\0{a.date}\0{a.order}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def analysis_digest(articles: Sequence[Article]) -> str:
    """What an analysis of ``articles`` depends on (ids, bodies, outlets, dates, order), as a digest:
    two equal digests mean the same analysis, e.g. one made by another process."""
    return _analysis_digest(articles, [body_hash(a.body) for a in articles])


def quotes_cache_dir(root: Path) -> Path | None:
    """Where the quote analysis of the corpus at ``root`` is cached: ``quotes/`` in its per-user cache
    folder, never in the corpus folder (None when no folder is writable)."""
    from briefreader.core.paths import derived_dir, make_private_dir

    try:
        folder = derived_dir(root)
        return make_private_dir(folder / "quotes", base=folder)
    except OSError as exc:
        logger.warning("no folder for the quote cache of %s: %s", root, exc)
        return None


def remove_legacy_cache(cache_dir: Path) -> None:
    """Remove the whole-analysis JSON file earlier versions wrote (it is never read any more)."""
    legacy = cache_dir / LEGACY_CACHE_FILE
    try:
        legacy.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        logger.warning("old quote cache %s not removed: %s", legacy, exc)


# ---------------------------------------------------------------------------------------------
# Reading a store


class QuoteStore:
    """An analysis in a SQLite file, read on demand (safe to share between threads).

    Built by :meth:`open` (an existing file) or :meth:`QuoteStoreWriter.finish`; :meth:`bind` gives
    it the articles its records point into, :meth:`analysis` a lazy :class:`QuoteAnalysis` over it."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None, meta: dict[str, str]) -> None:
        self._connection = connection
        self._path = path
        self._meta = meta
        self._lock = threading.Lock()
        self._articles: Sequence[Article] = ()
        self._hashes: Sequence[str] = ()
        self._pos_of: dict[str, int] | None = None

    @property
    def digest(self) -> str:
        return self._meta.get("digest", "")

    @classmethod
    def open(cls, path: Path, warnings: list[str], *, verify: bool = True) -> QuoteStore | None:
        """The store at ``path``, or None when there is none, it is of another format, or it is damaged
        (then with one warning). ``verify`` runs SQLite's quick check (reads every page once)."""
        if not path.exists():
            return None
        try:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        except (sqlite3.Error, ValueError, OSError) as exc:
            warnings.append(f"quote cache {path.name} unreadable ({exc}); rebuilding it")
            return None
        try:
            rows = connection.execute("SELECT key, substr(value, 1, ?) FROM meta", [_READ_LIMIT]).fetchall()
            meta = {str(k): str(v) for k, v in rows}
            if meta.get("format") != STORE_FORMAT:
                connection.close()
                return None  # another version's store: rebuilt without a word
            if verify:
                verdict = connection.execute("PRAGMA quick_check").fetchall()
                if verdict != [("ok",)]:
                    raise sqlite3.DatabaseError(str(verdict[0][0]) if verdict else "quick check failed")
            int(meta["quotes_total"])
            if not isinstance(_load_record(meta["stats"]), dict):
                raise QuoteCacheError("counters are not a mapping")
        except (sqlite3.Error, KeyError, ValueError) as exc:
            connection.close()
            warnings.append(f"quote cache {path.name} is corrupt ({exc.__class__.__name__}); rebuilding it")
            return None
        return cls(connection, path, meta)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            with self._lock:
                return self._connection.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._damaged(f"quote cache unreadable ({exc})") from exc

    def _damaged(self, message: str) -> QuoteCacheError:
        """The error to raise for a malformed store; its file is removed so the next run rebuilds it."""
        logger.warning("%s", message)
        if self._path is not None:
            try:
                self._path.unlink()
            except OSError as exc:
                logger.warning("damaged quote cache %s not removed: %s", self._path, exc)
        return QuoteCacheError(f"{message}; the cache was removed, run again to rebuild it")

    # -- extraction rows (reused by the next analysis of a changed corpus)

    def extraction_rows(self, hashes: Sequence[str]) -> dict[str, Any]:
        """The stored rows of the bodies with these hashes (those found; each still unchecked JSON)."""
        found: dict[str, Any] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), _BATCH):
            part = unique[i : i + _BATCH]
            marks = ",".join("?" * len(part))
            for key, rows in self._fetch(f"SELECT hash, substr(rows, 1, ?) FROM extraction WHERE hash IN ({marks})",
                                         [_READ_LIMIT, *part]):
                try:
                    found[key] = _load_record(rows)
                except QuoteCacheError as exc:
                    logger.warning("quote cache: rows of one body ignored (%s)", exc)
        return found

    # -- the analysis

    def bind(self, articles: Sequence[Article], hashes: Sequence[str]) -> QuoteStore:
        """Give the store the articles (in analysis order) and body hashes its records point into."""
        self._articles, self._hashes, self._pos_of = articles, hashes, None
        return self

    def analysis(self, warnings: list[str], *, from_cache: bool) -> QuoteAnalysis:
        """A lazy :class:`QuoteAnalysis` reading this store (bound first)."""
        stats = dict(_load_record(self._meta["stats"]))
        if from_cache:
            stats["from_cache"] = True
        return QuoteAnalysis(int(self._meta["quotes_total"]), warnings=warnings, stats=stats, source=self)

    def _article(self, pos: Any) -> Article:
        if type(pos) is not int or not 0 <= pos < len(self._articles):
            raise QuoteCacheError("a record of the quote cache names no article of the corpus")
        return self._articles[pos]

    def _cluster_from(self, cluster_id: str, record: str) -> QuoteCluster:
        try:
            speaker, canonical, confidence, refs = _load_record(record)
            variants = []
            for pos, piece_rows, similarity, partial, c0, c1, alteration in refs:
                art = self._article(pos)
                pieces = _rows_to_quotes(art.id, art.body, piece_rows)
                variants.append(_make_variant(art, pieces, similarity, bool(partial), (c0, c1), alteration))
        except QuoteCacheError as exc:
            raise self._damaged(str(exc)) from exc
        except (TypeError, ValueError, KeyError, IndexError) as exc:
            raise self._damaged(f"a group of the quote cache is malformed ({exc.__class__.__name__})") from exc
        return QuoteCluster(id=cluster_id, speaker=speaker, canonical=canonical, variants=variants,
                            speaker_confidence=confidence)

    def iter_clusters(self, *, min_articles: int = 1, altered: bool = False, speaker: str | None = None,
                      altered_first: bool = False) -> Iterator[QuoteCluster]:
        """Groups in the analysis's order (altered ones first when ``altered_first``), built one at a
        time; those the filters leave out are never built."""
        from briefreader.core.quote_records import cluster_passes

        needle = speaker.casefold() if speaker else None
        passes = [1] if altered else ([1, 0] if altered_first else [None])
        for altered_value in passes:
            # pages by rank, each read in rank order from where the last ended (never sorted again,
            # so reading every group is linear); no cursor is held open between the groups handed out
            if altered_value is None:
                source, where, params = "clusters NOT INDEXED", "", []  # the rowid is the rank
            else:
                source, where, params = "clusters INDEXED BY clusters_by_altered", "altered = ? AND ", [altered_value]
            last = 0
            while True:
                page = self._fetch(f"SELECT rank, id, speakers, substr(record, 1, ?) FROM {source} WHERE {where}"
                                   "rank > ? AND articles >= ? ORDER BY rank LIMIT 256",
                                   [_READ_LIMIT, *params, last, min_articles])
                if not page:
                    break
                for rank, cluster_id, speakers, record in page:
                    last = rank
                    if needle is not None and needle not in bytes(speakers).decode("utf-8", "surrogatepass"):
                        continue  # the column holds every speaker name: a cheap test first
                    cluster = self._cluster_from(str(cluster_id), record)
                    if cluster_passes(cluster, min_articles=min_articles, speaker=speaker, altered=altered):
                        yield cluster

    def cluster_count(self, *, min_articles: int = 1, altered: bool = False) -> int:
        """How many groups pass the filters (counted in the store, none built)."""
        sql = "SELECT count(*) FROM clusters WHERE articles >= ?" + (" AND altered = 1" if altered else "")
        return int(self._fetch(sql, [min_articles])[0][0])

    def scare_quotes(self) -> list[Quote]:
        """Every scare quote, in article order."""
        out: list[Quote] = []
        for pos, row in self._fetch("SELECT article, substr(row, 1, ?) FROM scare ORDER BY seq", [_READ_LIMIT]):
            try:
                art = self._article(pos)
                out.extend(_rows_to_quotes(art.id, art.body, [_load_record(row)]))
            except QuoteCacheError as exc:
                raise self._damaged(str(exc)) from exc
            except (TypeError, ValueError, KeyError) as exc:
                raise self._damaged(f"a scare quote of the quote cache is malformed ({exc})") from exc
        return out

    def _quotes_of_positions(self, positions: Sequence[int]) -> dict[str, list[Quote]]:
        rows = self.extraction_rows([self._hashes[i] for i in positions])
        out: dict[str, list[Quote]] = {}
        for i in positions:
            art = self._articles[i]
            try:
                out[art.id] = _rows_to_quotes(art.id, art.body, rows[self._hashes[i]])
            except (TypeError, ValueError, KeyError) as exc:
                raise self._damaged(f"the quotations of {art.id} in the quote cache are malformed ({exc})") from exc
        return out

    def quotes_of(self, article_id: str) -> list[Quote]:
        """Every quotation of one article, in text order ([] for an article not analysed)."""
        if self._pos_of is None:
            self._pos_of = {a.id: i for i, a in enumerate(self._articles)}
        pos = self._pos_of.get(article_id)
        return [] if pos is None else self._quotes_of_positions([pos])[article_id]

    def quotes_by_article(self) -> dict[str, list[Quote]]:
        """Every article's quotations (all loaded)."""
        out: dict[str, list[Quote]] = {}
        for start in range(0, len(self._articles), _BATCH):
            out.update(self._quotes_of_positions(range(start, min(start + _BATCH, len(self._articles)))))
        return out


# ---------------------------------------------------------------------------------------------
# Writing a store


class QuoteStoreWriter:
    """A new store filled as the analysis runs: a temporary file next to the cache file, renamed over
    it by :meth:`finish` (readers of the old file keep reading the old one), or, without a cache
    folder, a private temporary database SQLite deletes when it is closed."""

    def __init__(self, cache_dir: Path | None) -> None:
        self._final: Path | None = None
        self._tmp: Path | None = None
        if cache_dir is not None:
            self._final = cache_dir / CACHE_FILE
            self._tmp = _new_temp_file(self._final)
        try:
            self._connection = sqlite3.connect(str(self._tmp) if self._tmp else "", check_same_thread=False)
            # nothing to roll back to: the file is renamed into place only once complete
            self._connection.execute("PRAGMA journal_mode=OFF")
            self._connection.execute("PRAGMA synchronous=OFF")
            self._connection.executescript(_SCHEMA)
        except BaseException:
            self.abort()
            raise
        self._extraction: list[tuple[str, str]] = []
        self._seen_hashes: set[str] = set()
        self._scare: list[tuple[int, str]] = []
        self._pending: list[tuple[Any, ...]] = []
        self._clusters_added = 0

    def add_extraction(self, body_hash: str, quotes: list[Quote]) -> None:
        """The quotations of one body (once per distinct body)."""
        if body_hash in self._seen_hashes:
            return
        self._seen_hashes.add(body_hash)
        self._extraction.append((body_hash, _dump(_quotes_to_rows(quotes))))
        if len(self._extraction) >= _BATCH:
            self._flush()

    def add_scare(self, article_pos: int, quote: Quote) -> None:
        self._scare.append((article_pos, _dump(_quotes_to_rows([quote])[0])))
        if len(self._scare) >= _BATCH:
            self._flush()

    def add_cluster(self, cluster: QuoteCluster, article_pos: dict[str, int],
                    pieces_of: Sequence[Sequence[Quote]]) -> None:
        """One group, its renderings' pieces (the Quotes each variant was built from) kept with it."""
        from briefreader.core.quote_alteration import _date_key

        refs = [[article_pos[v.article], _quotes_to_rows(pieces), v.similarity, int(v.partial), *v.canonical_span,
                 v.alteration] for v, pieces in zip(cluster.variants, pieces_of, strict=True)]
        record = _dump([cluster.speaker, cluster.canonical, cluster.speaker_confidence, refs])
        names = {cluster.speaker or ""} | {v.speaker or "" for v in cluster.variants}
        speakers = "\n".join(sorted(n.casefold() for n in names)).encode("utf-8", "surrogatepass")
        first = cluster.first
        date_rank, date_text = _date_key(first.date)
        self._clusters_added += 1
        self._pending.append((self._clusters_added, cluster.id, len(cluster.articles),
                              len(cluster.variants), date_rank, date_text.encode("utf-8", "surrogatepass"),
                              first.order, first.start, int(cluster.altered), speakers, record))
        if len(self._pending) >= _BATCH:
            self._flush()

    def extraction_rows(self, hashes: Sequence[str]) -> dict[str, Any]:
        """The rows added so far of the bodies with these hashes (those found): what the analysis reads
        back to rebuild the quotations of the groups it builds, instead of holding every one."""
        self._flush()
        found: dict[str, Any] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), _BATCH):
            part = unique[i : i + _BATCH]
            marks = ",".join("?" * len(part))
            for key, rows in self._connection.execute(f"SELECT hash, rows FROM extraction WHERE hash IN ({marks})",
                                                      part):
                found[key] = _load_record(rows)
        return found

    def _flush(self) -> None:
        with self._connection:
            if self._extraction:
                self._connection.executemany("INSERT INTO extraction VALUES (?, ?)", self._extraction)
            if self._scare:
                self._connection.executemany("INSERT INTO scare(article, row) VALUES (?, ?)", self._scare)
            if self._pending:
                self._connection.executemany("INSERT INTO pending VALUES (?,?,?,?,?,?,?,?,?,?,?)", self._pending)
        self._extraction, self._scare, self._pending = [], [], []

    def finish(self, *, digest: str, quotes_total: int, stats: dict[str, Any], warnings: list[str]) -> QuoteStore:
        """Order the groups (most articles, most renderings, earliest first rendering, then the order
        they were added), index them, and put the store in place; the store, opened."""
        self._flush()
        meta = {"format": STORE_FORMAT, "digest": digest, "quotes_total": str(quotes_total),
                "stats": _dump(stats)}
        connection = self._connection
        with connection:
            connection.execute(
                "INSERT INTO clusters(rank, id, articles, altered, speakers, record) "
                "SELECT ROW_NUMBER() OVER (ORDER BY articles DESC, variants DESC, date_rank, date_text, first_order,"
                " first_start, seq), id, articles, altered, speakers, record FROM pending")
            connection.execute("DROP TABLE temp.pending")  # a temporary table: the file holds no free pages
            connection.execute("CREATE INDEX clusters_by_articles ON clusters(articles)")
            connection.execute("CREATE INDEX clusters_by_altered ON clusters(altered, rank, articles)")
            connection.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        path = self._final
        if self._tmp is not None and self._final is not None:
            try:
                os.replace(self._tmp, self._final)
                self._tmp = None
            except OSError as exc:  # read from the temporary file, unlinked now (the open file stays readable)
                warnings.append(f"quote cache not saved: {exc}")
                path = None
                self.abort(keep_connection=True)
        return QuoteStore(connection, path, meta)

    def abort(self, *, keep_connection: bool = False) -> None:
        """Drop the half-written store (a cancelled or failed analysis)."""
        connection = getattr(self, "_connection", None)
        if connection is not None and not keep_connection:
            connection.close()
        if self._tmp is not None:
            try:
                self._tmp.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                logger.warning("temporary quote cache %s not removed: %s", self._tmp, exc)
            self._tmp = None


def _new_temp_file(final: Path) -> Path:
    """An empty file next to ``final``, created exclusively (never through a link), mode 0600."""
    for attempt in range(100):
        tmp = final.with_name(f".{final.name}.{os.getpid()}.{threading.get_ident()}.{attempt}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600))
            return tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name next to {final}")
