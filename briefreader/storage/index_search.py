"""Searching a corpus index: one long-lived Whoosh searcher per session, exact totals in one pass,
snippets from the postings' character offsets.

Whoosh (whoosh-reloaded 2.7.5) behaviours worked around here:
- ``Searcher.refresh()`` keeps showing documents deleted since (2.7.4 did not): sessions open a
  fresh searcher instead;
- the default top-N collector makes the exact total cost a second pass: we collect in one;
- a prefix/wildcard/fuzzy/range query ORs hundreds of scored matchers: search_query unions posting lists.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from briefreader.core.search_query import (
    BODY_FIELD,
    MatchPlan,
    QuerySyntaxError,
    make_parser,
    match_plan,
    merge_spans,
    parse_query,
    phrase_spans,
    spans_in_text,
)

if TYPE_CHECKING:
    from briefreader.storage.index import CorpusIndex

log = logging.getLogger(__name__)

# Search: hard cap on the page size, snippets per hit and their width in characters.
MAX_PAGE_SIZE = 200
SNIPPETS_PER_HIT = 3
SNIPPET_CHARS = 220
# Snippet spans come from the postings' stored character offsets, unless a query word is in more than
# this many articles: skipping through its long posting list then costs more (measured ~30 ms a word
# at 10k) than re-tokenising the 20 hit bodies (~0.5 ms each).
POSTINGS_SNIPPET_MAX_DF = 1000
# A session checks at most this often whether another process committed.
REFRESH_CHECK_SECONDS = 1.0


class SearchCancelled(Exception):
    """A search was abandoned through its ``cancelled`` callback (a newer query replaced it)."""


class IndexDamagedError(Exception):
    """The index broke under an open session (e.g. a file was deleted); reopen to rebuild it."""


@dataclass
class Snippet:
    """A passage of the cleaned body: ``text == body[start:end]``; ``matches`` are absolute spans in it."""

    text: str
    start: int
    end: int
    matches: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Hit:
    id: str
    path: str
    score: float
    title: str | None
    outlet: str | None
    date: str | None
    snippets: list[Snippet]
    body_length: int | None = None  # characters in the cleaned body (known when snippets were made)

    def to_json(self) -> dict:
        return {"id": self.id, "path": self.path, "score": round(self.score, 4), "title": self.title,
                "outlet": self.outlet, "date": self.date, "snippets": [s.to_json() for s in self.snippets]}


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[Hit]
    page: int
    pagelen: int

    def to_json(self) -> dict:
        """The ``search --json`` contract."""
        return {"query": self.query, "total": self.total, "hits": [h.to_json() for h in self.hits]}


def _cancellable(collector, cancelled: Callable[[], bool]):
    """``collector`` polling ``cancelled()`` every 256 matching documents."""
    from whoosh.collectors import WrappingCollector

    class Cancellable(WrappingCollector):
        seen = 0

        def collect(self, sub_docnum):
            self.seen += 1
            if not self.seen & 255 and cancelled():
                raise SearchCancelled()
            return self.child.collect(sub_docnum)

    return Cancellable(collector)


class SearchSession:
    """One Whoosh searcher reused for every query; safe to call from a worker thread (calls serialise)."""

    def __init__(self, index: CorpusIndex) -> None:
        self._index = index
        self._lock = threading.RLock()
        self._ix = index._ix
        reader = index._take_spare_reader()
        if reader is not None:
            from whoosh.searching import Searcher

            self._searcher = Searcher(reader, fromindex=self._ix, weighting=length_caching_bm25f())
        else:
            self._searcher = self._ix.searcher(weighting=length_caching_bm25f())
        self._schema = self._ix.schema
        self._parser = make_parser(self._schema)
        self._analyzer = self._schema[BODY_FIELD].analyzer
        self._checked = time.monotonic()
        self._parsed: dict[str, object] = {}
        self._docnums: dict[str, int] | None = None
        self._closed = False

    # ..................................................................... freshness

    def refresh(self) -> None:
        """Pick up what was committed since (by this process or another)."""
        with self._lock:
            if self._closed:
                return
            # A brand-new searcher, not Searcher.refresh(): Whoosh's refresh reuses the reader of an
            # unchanged segment and so keeps showing documents deleted from it since (measured).
            old = self._searcher
            self._ix = self._index._ix
            self._searcher = self._ix.searcher(weighting=length_caching_bm25f())
            old.close()
            self._parsed.clear()
            self._docnums = None
            self._checked = time.monotonic()

    def _maybe_refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked < REFRESH_CHECK_SECONDS:
            return
        self._checked = now
        try:
            if not self._searcher.up_to_date():
                self.refresh()
        except Exception as exc:  # the next query reports a broken index; this check only looks
            log.debug("index freshness check failed: %s", exc)

    def _query(self, text: str):
        q = self._parsed.get(text)
        if q is None:
            from briefreader.storage.index_pairs import use_pairs

            q = use_pairs(parse_query(text, self._parser, self._searcher.reader()), self._searcher.schema)
            if len(self._parsed) > 256:
                self._parsed.clear()
            self._parsed[text] = q
        return q

    def _docnums_of(self, article_ids: set[str]) -> set[int]:
        """Document numbers of ``article_ids`` (a few looked up one by one, many through a map)."""
        if self._docnums is None and len(article_ids) <= 256:
            found = set()
            for article_id in article_ids:
                docnum = self._searcher.document_number(id=article_id)
                if docnum is not None:
                    found.add(docnum)
            return found
        docmap = self._docnum_map()
        return {docmap[i] for i in article_ids if i in docmap}

    def _docnum_map(self) -> dict[str, int]:
        if self._docnums is None:
            reader = self._searcher.reader()
            ids = reader.column_reader("id")
            self._docnums = {ids[d]: d for d in reader.all_doc_ids()}
        return self._docnums

    # ..................................................................... queries

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        page: int = 1,
        sort: str = "score",
        snippets: bool = True,
        allowed_ids: set[str] | None = None,
        cancelled: Callable[[], bool] | None = None,
        ids_only: bool = False,
    ) -> SearchResults:
        """Run ``query``; return page ``page`` of ``limit`` hits (best first, or newest first with ``sort="date"``).

        ``allowed_ids`` restricts results to those article ids. Raises :class:`QuerySyntaxError` with a
        readable message for a query that cannot be understood. ``cancelled()`` is polled while
        matches are collected; True raises :class:`SearchCancelled` (search-as-you-type: a common
        word scores thousands of documents, and the next keystroke should not wait for that).
        ``ids_only`` hits carry the article id and score only (no stored fields read: what a list
        that already holds the articles needs; ~6 ms less per page of 200).
        """
        if sort not in ("score", "date"):
            raise ValueError(f"sort must be 'score' or 'date', not {sort!r}")
        limit = max(1, min(int(limit), MAX_PAGE_SIZE))
        page = max(1, int(page))
        with self._lock:
            if self._closed:
                raise RuntimeError("search session is closed")
            self._maybe_refresh()
            try:
                q = self._query(query)
                filter_docs = None
                if allowed_ids is not None:
                    filter_docs = self._docnums_of(allowed_ids)
                    if not filter_docs:
                        return SearchResults(query, 0, [], page, limit)
                if sort == "date" and not self._searcher.reader().has_column("date_sort"):
                    sort = "score"  # no article has a date: Whoosh cannot sort on an empty column
                total = None
                ranked = None
                known_spans = KnownSpans()
                if sort == "score" and filter_docs is None:
                    _check(cancelled)
                    ranked = phrase_top(self._searcher, q, page * limit, cancelled, known_spans)
                    if ranked is None:
                        total = fast_total(self._searcher, q)
                if ranked is not None:  # a phrase through its word pairs: exact total, the same top hits
                    total, top_n = ranked
                elif total is not None:  # ranked with Whoosh's block-quality skipping: the same top hits
                    from whoosh import collectors

                    _check(cancelled)  # the two fast phases are polled between (they skip most documents)

                    collector = collectors.TopCollector(page * limit, usequality=True)
                    self._searcher.search_with_collector(q, collector)
                    top_n = collector.results().top_n
                else:
                    collector = self._collector(page * limit, sort, filter_docs, cancelled)
                    self._searcher.search_with_collector(q, collector)
                    results = collector.results()
                    total = len(results)
                    top_n = results.top_n
                top = list(top_n[(page - 1) * limit: page * limit])
                hits = self._id_hits(top) if ids_only else self._hits(top, q, snippets, known_spans)
            except (QuerySyntaxError, ValueError, SearchCancelled):
                raise
            except Exception as exc:
                raise IndexDamagedError(f"the index could not be read ({type(exc).__name__}: {exc}); "
                                        "reopen the corpus to rebuild it") from exc
        return SearchResults(query, total, hits, page, limit)

    def matching_ids(self, query: str, *, allowed_ids: set[str] | None = None) -> list[str]:
        """Every article matching ``query`` (among ``allowed_ids``), unranked: one pass without
        scoring, for bulk actions and filters (paging through ranked results re-ran the search per
        page). Raises :class:`QuerySyntaxError` like :meth:`search`."""
        with self._lock:
            if self._closed:
                raise RuntimeError("search session is closed")
            self._maybe_refresh()
            try:
                q = self._query(query)
                if self._searcher.reader().doc_count_all() == 0:
                    return []  # an empty index (e.g. its first build failed on a full disk) has no id column
                ids = self._searcher.reader().column_reader("id")
                docnums = self._searcher.docs_for_query(q)
                if allowed_ids is not None:
                    allowed = self._docnums_of(allowed_ids)
                    docnums = (d for d in docnums if d in allowed)
                return [ids[d] for d in docnums]
            except (QuerySyntaxError, ValueError):
                raise
            except Exception as exc:
                raise IndexDamagedError(f"the index could not be read ({type(exc).__name__}: {exc}); "
                                        "reopen the corpus to rebuild it") from exc

    @staticmethod
    def _collector(limit: int, sort: str, filter_docs: set[int] | None, cancelled: Callable[[], bool] | None = None):
        """A collector that counts every match in the same pass as it ranks the top ``limit``.

        Whoosh's default top-N collector skips blocks and swaps in cheaper matchers once documents can
        no longer make the top N; its exact total then costs a second full pass (measured: ~2.5x
        slower per query at 10k articles), and it is the total the results list shows.
        """
        from whoosh import collectors, sorting

        if sort == "date":
            facet = sorting.MultiFacet([sorting.FieldFacet("date_sort", reverse=True), sorting.ScoreFacet()])
            collector = collectors.SortingCollector(facet, limit=limit)
        else:
            collector = collectors.TopCollector(limit, usequality=False, replace=0)
        if cancelled is not None:  # inside the filter, which calls its child's collect() per document
            collector = _cancellable(collector, cancelled)
        if filter_docs is not None:
            collector = collectors.FilterCollector(collector, allow=filter_docs)
        return collector

    def _id_hits(self, top) -> list[Hit]:
        ids = self._searcher.reader().column_reader("id")
        return [Hit(id=ids[docnum], path="", score=float((-key[-1] if isinstance(key, tuple) else key) or 0.0),
                    title=None, outlet=None, date=None, snippets=[]) for key, docnum in top]

    def _hits(self, top, q, with_snippets: bool, known_spans: KnownSpans | None = None) -> list[Hit]:
        searcher = self._searcher
        docnums = [docnum for _, docnum in top]
        stored = {d: searcher.stored_fields(d) for d in docnums}
        spans: dict[int, list[tuple[int, int]]] = {}
        if with_snippets and docnums:
            plan = match_plan(q)
            known = known_spans.spans if known_spans and known_spans.answers(plan) else {}
            spans = {d: known[d] for d in docnums if d in known}
            missing = [d for d in docnums if d not in known]
            if missing:
                spans.update(self._spans_for(missing, plan, {d: stored[d].get("body", "") for d in missing}))
        hits = []
        for key, docnum in top:
            score = -key[-1] if isinstance(key, tuple) else key  # date sort: (date, -score)
            fields = stored[docnum]
            body = fields.get("body", "")
            snips = make_snippets(body, spans.get(docnum, [])) if with_snippets else []
            hits.append(Hit(id=fields["id"], path=fields.get("path", ""), score=float(score or 0.0),
                            title=fields.get("title"), outlet=fields.get("outlet"), date=fields.get("date_text"),
                            snippets=snips, body_length=len(body) if with_snippets else None))
        return hits

    def _spans_for(self, docnums: list[int], plan: MatchPlan,
                   bodies: dict[int, str]) -> dict[int, list[tuple[int, int]]]:
        """Matched character spans per document: from the postings' stored character offsets when the
        query words are rare enough, else (and for wildcard/fuzzy parts) by re-tokenising the hit bodies."""
        reader = self._searcher.reader()
        order = sorted(docnums)
        out: dict[int, list[tuple[int, int]]] = {d: [] for d in docnums}
        cache: dict[str, dict[int, list[tuple[int, int, int]]]] = {}

        def occurrences(term: str) -> dict[int, list[tuple[int, int, int]]]:
            if term in cache:
                return cache[term]
            found: dict[int, list[tuple[int, int, int]]] = {}
            if (BODY_FIELD, term) in reader:
                m = reader.postings(BODY_FIELD, term)
                for d in order:
                    if not m.is_active():
                        break
                    if m.id() < d:
                        m.skip_to(d)
                        if not m.is_active():
                            break
                    if m.id() == d:
                        found[d] = m.value_as("characters")
            cache[term] = found
            return found

        words = set(plan.terms) | {w for phrase, _ in plan.phrases for w in phrase}
        heavy = bool(plan.patterns) or any(reader.doc_frequency(BODY_FIELD, w) > POSTINGS_SNIPPET_MAX_DF
                                           for w in words)
        if heavy:  # re-tokenise the few hit bodies: cost independent of how common the words are
            return {d: spans_in_text(bodies.get(d, ""), plan) for d in docnums}
        for term in plan.terms:
            for d, occ in occurrences(term).items():
                out[d].extend((s, e) for _, s, e in occ)
        for words_, slop in plan.phrases:
            per_word = [occurrences(w) for w in words_]
            for d in docnums:
                out[d].extend(phrase_spans([pw.get(d, []) for pw in per_word], slop))
        return {d: merge_spans(v) for d, v in out.items()}

    def match_spans(self, article_id: str, body: str, query: str) -> list[tuple[int, int]]:
        """Every span of ``body`` the query matches (terms, phrases, wildcards), sorted, for highlighting."""
        with self._lock:
            q = self._query(query)
            return spans_in_text(body, match_plan(q))

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._searcher.close()


# --------------------------------------------------------------------------- speed, same results


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise SearchCancelled()


def length_caching_bm25f() -> Any:
    """Whoosh's BM25F, reading each document's field length from one in-memory copy of the
    segment's length column instead of a file read per scored document (a third of the time of
    a common word at 50k articles). Same lengths, same formula: same scores."""
    from whoosh import scoring

    class LengthCachingBM25F(scoring.BM25F):
        def __init__(self) -> None:
            super().__init__()
            self._lengths: dict[tuple[int, str], Callable[[int], Any]] = {}
            self._readers: list[Any] = []  # kept alive while cached under their id

        def scorer(self, searcher: Any, fieldname: str, text: Any, qf: float = 1) -> Any:
            scorer = super().scorer(searcher, fieldname, text, qf)
            if hasattr(scorer, "dfl"):
                reader = searcher.reader()
                key = (id(reader), fieldname)
                if key not in self._lengths:
                    self._readers.append(reader)
                    self._lengths[key] = _length_lookup(reader, fieldname) or scorer.dfl
                scorer.dfl = self._lengths[key]
            return scorer

    return LengthCachingBM25F()


def _length_lookup(reader: Any, fieldname: str) -> Callable[[int], Any] | None:
    """``docnum -> reader.doc_field_length(docnum, fieldname, 1)`` from one read of the length
    column, or None where the column is not the one-byte form of Whoosh's codec."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.columns import NumericColumn
    from whoosh.util.numeric import byte_to_length

    try:
        perdoc = getattr(reader, "_perdoc", reader)  # a segment's reader keeps its columns in its per-doc reader
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return lambda docnum: 1  # doc_field_length's default when the field has no lengths
        if not isinstance(column, NumericColumn.Reader) or column._typecode != "B":
            return None
        raw = column._dbfile.get(column._basepos, column._count) if column._count else b""
    except (AttributeError, OSError) as exc:  # another codec: Whoosh's own lookup
        log.debug("field lengths of %s not cached: %s", fieldname, exc)
        return None
    # doc_field_length: byte_to_length of a non-zero byte, else None (Whoosh's own behaviour)
    table = [byte_to_length(value) if value else None for value in range(256)]
    return _Lengths(raw, table, column._default)


class _Lengths:
    """``docnum -> field length`` from a segment's one-byte length column, read once; also gives
    the raw byte (lengths grow with it) for :class:`_LengthCutoff`."""

    def __init__(self, raw: bytes, table: list[Any], default_byte: int) -> None:
        self.raw = raw
        self.table = table
        self.default_byte = default_byte
        self._default = table[default_byte]

    def __call__(self, docnum: int) -> Any:
        raw = self.raw
        return self.table[raw[docnum]] if docnum < len(raw) else self._default

    def byte(self, docnum: int) -> int:
        return self.raw[docnum] if docnum < len(self.raw) else self.default_byte


def fast_total(searcher: Any, q: Any) -> int | None:
    """The exact number of documents matching ``q`` without reading its long posting lists, when
    ``q`` is a word in some fields (a Term, or an Or of Terms: what a plain word parses to), else None.

    The longest list's postings are counted from its block headers; deleted documents are taken
    off one by one, and the few documents of the shorter lists are checked against the longest.
    """
    from whoosh import query as wq

    terms = [q] if isinstance(q, wq.Term) else list(q.subqueries) if isinstance(q, wq.Or) else None
    if not terms or not all(isinstance(t, wq.Term) for t in terms):
        return None
    total = 0
    for leaf, _ in searcher.reader().leaf_readers():
        # doc_frequency only orders the lists (it can be off by one; nothing is counted with it)
        present = [(leaf.doc_frequency(t.fieldname, t.text), t) for t in terms if (t.fieldname, t.text) in leaf]
        if not present:
            continue
        present.sort(key=lambda item: item[0], reverse=True)
        (_, longest), others = present[0], present[1:]
        if sum(df for df, _ in others) > POSTINGS_SNIPPET_MAX_DF:
            return None
        deleted = _deleted_docs(leaf) if leaf.has_deletions() else []
        extra: set[int] = set()
        for _, term in others:
            extra.update(leaf.postings(term.fieldname, term.text).all_ids())
        extra.difference_update(deleted)
        matcher = leaf.postings(longest.fieldname, longest.text)
        matcher = getattr(matcher, "child", matcher)  # not the filter hiding deleted documents: they count in df
        in_longest = 0
        for docnum in sorted(extra.union(deleted)):
            if not matcher.is_active():
                break
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                in_longest += docnum in extra
                total -= docnum not in extra  # a deleted document of the longest list
        raw = leaf.postings(longest.fieldname, longest.text)
        total += _posting_count(getattr(raw, "child", raw)) + len(extra) - in_longest
    return total


# A two-word phrase ranked by phrase_top: the title phrase beside it is scored whole when it matches
# at most this many articles of a segment (else Whoosh's collector ranks the query).
PHRASE_OTHER_MAX = 5000
# Score bounds are compared with this relative margin (the bound and the score are rounded apart).
BOUND_MARGIN = 1e-9
# A two-word phrase's longer posting list is unpacked only where a match may reach the first page
# (:meth:`_BulkScores.offer_bounded`) when the matches are at most this share of its articles (few
# matches in each of its blocks: bounding each costs less than unpacking every block)...
BOUNDED_MAX_MATCH_SHARE = 0.125
# ... or when it is this many times longer than the other's (its blocks are the cost; with lists of
# about one length, stretches of both lists' blocks bound better: measured at 50k, "sofia costa" 57
# vs 89 ms stretched/bounded, "costa said" (lists 37k/50k) 124 vs 105, "said bank" 106 vs 39).
BOUNDED_MIN_LENGTH_RATIO = 1.25


def phrase_top(searcher: Any, q: Any, count: int, cancelled: Callable[[], bool] | None = None,
               known_spans: KnownSpans | None = None) -> tuple[int, list[tuple[float, int]]] | None:
    """The exact total and the best ``count`` (score, docnum) of an exact two-word body phrase, alone
    or ORed with one more query (the title phrase a quoted phrase also parses to), exactly as
    Whoosh's TopCollector ranks them (score, then document number); None for any other query.

    Its matches: through its pair (:class:`~briefreader.storage.index_pairs.PairPhrase`), the pair's
    posting list; else (a word outside the pair vocabulary) the articles where the first word's
    position is followed by the second's, read from the words' posting blocks in bulk
    (:func:`_adjacent_postings`, what Whoosh's phrase matcher checks one article at a time). The
    total is their number (plus the other part's matches outside them).

    Scores are the sum of the words' BM25F scores, as Whoosh's phrase gives them, from the posting
    weights (:class:`_BulkScores`): those read with the positions; for a pair, only where a match may
    reach the top: the matches are cut into stretches where either word's posting block ends, each
    bounded by the sum of the two blocks' quality (Whoosh's own per-block score bound), the best
    stretches scored first, then every stretch whose bound reaches the ``count``-th best score so
    far, in one forward pass (:meth:`_BulkScores.offer_stretched`); or, when one word's list is the
    long one, the other word's exact score plus that block's bound per match
    (:meth:`_BulkScores.offer_bounded`). Without bulk scores (another weighting or codec) the same
    stretches are scored by stepping the words' matchers.

    ``known_spans``, if given, receives the phrase's body spans in the best ``count`` when its
    positions were read on the way.
    """
    from whoosh import query as wq

    if isinstance(q, wq.Phrase):
        parts = [q]
    elif type(q) is wq.Or and q.boost == 1.0 and not q.minmatch and not q.scale:
        parts = list(q.subqueries)
    else:
        return None
    phrases = [p for p in parts if _two_word_body_phrase(p)]
    if len(parts) > 2 or len(phrases) != 1:
        return None
    phrase = phrases[0]
    others = [p for p in parts if p is not phrase]
    context = searcher.context()
    ranking = _TopScores(count)
    total = 0
    characters: dict[int, tuple[Any, Any, Any]] | None = {}  # global docnum -> (decoder, the words' values)
    for sub, offset in searcher.leaf_searchers():
        found = _phrase_matches(phrase, sub, context, cancelled)
        other_scores = _scores_of(others, sub, context)
        if found is None or other_scores is None:
            return None
        word_matchers, ids, weights, values = found
        characters = _keep_values(characters, values, ids, offset, sub.schema[phrase.fieldname].format)
        in_pair = {d: score for d, score in other_scores.items() if _contains(ids, d)}
        total += len(ids) + len(other_scores) - len(in_pair)
        for docnum, score in other_scores.items():
            if docnum not in in_pair:
                ranking.offer(score, offset + docnum)
        if not ids:
            continue
        if weights is not None:  # read with the positions
            bulk = _BulkScores.scoring(word_matchers)
            if bulk is None:
                return None
            bulk.offer_weighted(ids, weights, ranking, offset, in_pair)
            _check(cancelled)
            continue
        bulk = _BulkScores.of(phrase, sub, context, word_matchers)
        if bulk is not None:  # every match scored from its posting blocks, no matcher stepping
            bulk.offer_all(ids, ranking, offset, in_pair)
            _check(cancelled)
            continue
        pair = phrase
        stretches = _bounded_stretches(ids, word_matchers)
        if stretches is None:
            return None
        # first the stretches most likely to hold the best, and the articles whose title holds the phrase too
        first: set[int] = set(in_pair)
        for _, low, high, _ in sorted(stretches, key=lambda stretch: -stretch[0]):
            if len(first) >= count + len(in_pair):
                break
            first.update(ids[low:high])
        ranking.score(_words_matcher(pair, sub, context), sorted(first), offset, in_pair)
        # then, in one forward pass, every article that may still enter: its stretch's bound, and the
        # bound at its own length (the blocks' best weights), reach the count-th best score so far
        cutoff = _LengthCutoff.of(word_matchers)
        words = _words_matcher(pair, sub, context)
        for number, (bound, low, high, best_weights) in enumerate(stretches):
            if not number % 64:
                _check(cancelled)
            if not ranking.may_enter(bound):
                continue
            docnums = [d for d in ids[low:high] if d not in first]
            if cutoff is not None and ranking.full():
                longest = cutoff.longest(best_weights, ranking.lowest())
                docnums = [d for d in docnums if cutoff.may_reach(d, longest)]
            ranking.score(words, docnums, offset, in_pair)
    top = ranking.top()
    if known_spans is not None and characters is not None:
        known_spans.fill(phrase.words, top, characters)
    return total, top


@dataclass
class KnownSpans:
    """Body spans of a query's matches found on the way (by :func:`phrase_top`), for the snippets:
    docnum -> merged character spans of ``phrases`` (what
    :func:`~briefreader.core.search_query.spans_in_text` finds for a plan of those phrases only)."""

    phrases: list[tuple[tuple[str, ...], int]] = field(default_factory=list)
    spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def fill(self, words: list[str], top: list[tuple[float, int]], kept: dict[int, tuple[Any, Any, Any]]) -> None:
        """The spans of the two-word phrase ``words`` in the ``top`` documents from the posting values
        ``kept`` with its matches (docnum -> (characters decoder, first value, second value))."""
        self.phrases = [(tuple(words), 1)]
        for _, docnum in top:  # a document without kept values holds the phrase in its title only
            found = kept.get(docnum)
            self.spans[docnum] = [] if found is None else merge_spans(
                phrase_spans([found[0](found[1]), found[0](found[2])], 1))

    def answers(self, plan: MatchPlan) -> bool:
        """True if ``plan`` asks for these phrases and nothing else."""
        return bool(self.phrases) and not plan.terms and not plan.patterns and list(plan.phrases) == self.phrases


def _keep_values(kept: dict[int, tuple[Any, Any, Any]] | None, values: list[tuple[Any, Any]] | None,
                 ids: list[int], offset: int, posting_format: Any) -> dict[int, tuple[Any, Any, Any]] | None:
    """``kept`` plus global docnum -> (characters decoder, first value, second value) of a segment's
    matches; None once a segment's values were not read (or hold no character offsets)."""
    if kept is None or values is None or not posting_format.supports("characters"):
        return None
    if values:
        decode = posting_format.decoder("characters")
        kept.update((offset + docnum, (decode, *pair)) for docnum, pair in zip(ids, values, strict=True))
    return kept


def _phrase_matches(phrase: Any, sub: Any, context: Any, cancelled: Callable[[], bool] | None
                    ) -> tuple[list[Any], list[int], list[list[float]] | None, list[tuple[Any, Any]] | None] | None:
    """(the words' scored matchers, the sorted docnums matching ``phrase`` in the segment searcher
    ``sub``, the words' weights there and their posting values when they were read on the way) of a
    two-word body phrase; None when this index cannot answer it so (Whoosh's own matcher then does)."""
    from briefreader.storage.index_pairs import PairPhrase, phrase_word_matchers

    if isinstance(phrase, PairPhrase):
        found = phrase.parts(sub, context)
        if found is None:
            return None
        word_matchers, pair_matchers = found
        return word_matchers, _posting_ids(pair_matchers[0], sub.reader()) if word_matchers else [], None, None
    matchers = phrase_word_matchers(phrase, sub, context)
    if matchers is None or (matchers and _BulkScores.scoring(matchers) is None):
        return None
    if not matchers:
        return [], [], None, []
    ids, weights, values = _adjacent_postings(matchers, sub, phrase, cancelled)
    return matchers, ids, weights, values


def _scores_of(queries: list[Any], sub: Any, context: Any) -> dict[int, float] | None:
    """docnum -> score of the documents of the segment searcher ``sub`` matching one of ``queries``
    (the latest one's score); None past :data:`PHRASE_OTHER_MAX` of them."""
    scores: dict[int, float] = {}
    for query in queries:
        matcher = query.matcher(sub, context)
        while matcher.is_active():
            scores[matcher.id()] = matcher.score()
            if len(scores) > PHRASE_OTHER_MAX:
                return None
            matcher.next()
    return scores


def _two_word_body_phrase(part: Any) -> bool:
    """True for an exact (slop 1, unboosted) body phrase of two words, paired or not."""
    from whoosh import query as wq

    from briefreader.storage.index_pairs import PairPhrase

    return (isinstance(part, wq.Phrase) and type(part) in (wq.Phrase, PairPhrase) and part.fieldname == BODY_FIELD
            and part.slop == 1 and part.boost == 1.0 and len(part.words) == 2
            and all(isinstance(word, str) for word in part.words))


def _adjacent_postings(word_matchers: list[Any], sub: Any, phrase: Any, cancelled: Callable[[], bool] | None
                       ) -> tuple[list[int], list[list[float]], list[tuple[Any, Any]]]:
    """The documents of one segment where a position of the first word is followed by the next
    position of the second (what Whoosh's ``SpanNear2(slop=1, ordered=True, mindist=1)`` over the two
    words keeps), sorted, with each word's posting weight and value there: (docnums, [first weights,
    second weights], [(first value, second value)]). The shorter posting list is read whole, the
    longer one only in the blocks that hold one of its documents; positions are decoded for the
    documents of both only."""
    field = sub.schema[phrase.fieldname]
    decode = _positions_decoder(field.format)
    reader = sub.reader()
    lengths = [reader.doc_frequency(phrase.fieldname, field.to_bytes(word)) for word in phrase.words]
    short = 0 if lengths[0] <= lengths[1] else 1  # doc_frequency only chooses which list to read whole
    raws = [getattr(matcher, "child", matcher) for matcher in word_matchers]  # not the deleted-docs filter
    short_ids, short_weights, short_values = _whole_postings(raws[short])
    if reader.has_deletions():
        deleted = set(_deleted_docs(reader))
        kept = [i for i, docnum in enumerate(short_ids) if docnum not in deleted]
        short_ids = [short_ids[i] for i in kept]
        short_weights = [short_weights[i] for i in kept]
        short_values = [short_values[i] for i in kept]
    _check(cancelled)
    long_postings = _postings_at(raws[1 - short], short_ids)
    _check(cancelled)
    ids: list[int] = []
    firsts: list[float] = []
    seconds: list[float] = []
    values: list[tuple[Any, Any]] = []
    for docnum, short_weight, short_value in zip(short_ids, short_weights, short_values, strict=True):
        found = long_postings.get(docnum)
        if found is None:
            continue
        long_weight, long_value = found
        if short == 0:
            first_value, second_value, first_weight, second_weight = short_value, long_value, short_weight, long_weight
        else:
            first_value, second_value, first_weight, second_weight = long_value, short_value, long_weight, short_weight
        if not set(decode(second_value)).isdisjoint(map(_ONE_MORE, decode(first_value))):
            ids.append(docnum)
            firsts.append(first_weight)
            seconds.append(second_weight)
            values.append((first_value, second_value))
    return ids, [firsts, seconds], values


_ONE_MORE = (1).__add__


def _positions_decoder(posting_format: Any) -> Callable[[Any], Iterable[int]]:
    """``value -> positions`` of a posting value of ``posting_format``: Whoosh's own decoder, or for its
    Characters and Positions formats the same arithmetic without a Python loop (the codes are
    pickled after a 4-byte count; positions are their running sum)."""
    from itertools import accumulate
    from operator import itemgetter
    from pickle import loads

    from whoosh import formats

    kind = type(posting_format)
    if kind is formats.Characters:
        first = itemgetter(0)
        return lambda value: accumulate(map(first, loads(value[4:] if value.endswith(b".") else value[4:] + b".")))
    if kind is formats.Positions:
        return lambda value: accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b"."))
    decoder: Callable[[Any], Iterable[int]] = posting_format.decoder("positions")
    return decoder


def _whole_postings(raw: Any) -> tuple[list[int], list[float], list[Any]]:
    """(docnums, weights, values) of a whole raw posting list (deleted documents included), a block at a time."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    ids: list[int] = []
    weights: list[float] = []
    values: list[Any] = []
    blocks = _raw_blocks(raw) if type(raw) is W3LeafMatcher else None
    if blocks is not None:
        for block in blocks:
            block_ids, block_weights, block_values = _unpack_block(raw, block)
            ids.extend(block_ids)
            weights.extend(block_weights)
            values.extend(block_values)
        return ids, weights, values
    if type(raw) is W3LeafMatcher:
        while raw.is_active():
            raw._read_ids()
            raw._read_weights()
            raw._read_values()
            ids.extend(raw._ids)
            weights.extend(raw._weights)
            values.extend(raw._values)
            raw._next_block()
        return ids, weights, values
    while raw.is_active():  # e.g. postings inlined in the term info
        ids.append(raw.id())
        weights.append(raw.weight())
        values.append(raw.value())
        raw.next()
    return ids, weights, values


def _postings_at(raw: Any, wanted: list[int]) -> dict[int, tuple[float, Any]]:
    """docnum -> (weight, value) of the postings of ``wanted`` (sorted docnums) in a raw posting list;
    only the blocks that may hold one are unpacked (the others' headers are read)."""
    from bisect import bisect_left, bisect_right

    from whoosh.codec.whoosh3 import W3LeafMatcher

    found: dict[int, tuple[float, Any]] = {}
    if type(raw) is not W3LeafMatcher:
        for docnum in wanted:
            if not raw.is_active():
                break
            if raw.id() < docnum:
                raw.skip_to(docnum)
                if not raw.is_active():
                    break
            if raw.id() == docnum:
                found[docnum] = (raw.weight(), raw.value())
        return found
    at, count = 0, len(wanted)
    blocks = _raw_blocks(raw)
    if blocks is not None:
        for block in blocks:
            if at == count:
                break
            block_end = block.last
            if wanted[at] > block_end:
                continue
            end = bisect_right(wanted, block_end, at)
            block_ids, block_weights, block_values = _unpack_block(raw, block, sparse=True)
            size = len(block_ids)
            for docnum in wanted[at:end]:
                i = bisect_left(block_ids, docnum)
                if i < size and block_ids[i] == docnum:
                    found[docnum] = (block_weights[i], block_values[i])
            at = end
        return found
    while raw.is_active() and at < count:
        block_end = raw.block_max_id()
        if wanted[at] <= block_end:
            end = bisect_right(wanted, block_end, at)
            raw._read_ids()
            where = {docnum: i for i, docnum in enumerate(raw._ids)}
            inside = [(docnum, where[docnum]) for docnum in wanted[at:end] if docnum in where]
            if inside:
                raw._read_weights()
                raw._read_values()
                block_weights, block_values = raw._weights, raw._values
                for docnum, i in inside:
                    found[docnum] = (block_weights[i], block_values[i])
            at = end
        raw._next_block()
    return found


class _RawBlock(NamedTuple):
    """Where a W3 posting block's data lies and what its header says."""

    data_position: int
    data_length: int
    compression: int
    postings: int
    last: int


def _raw_blocks(raw: Any) -> list[_RawBlock] | None:
    """Every posting block of a raw W3 matcher's list, from its first (wherever the matcher is: a
    deleted-documents filter may have moved it past deleted postings; callers drop those), one file
    read a header (Whoosh's ``_goto`` reads one in about twenty small reads, ~40 us a block); None when
    a header does not read as Whoosh writes it (the matcher's own walk then)."""
    import io
    import struct
    from pickle import UnpicklingError, Unpickler

    postfile = raw._postfile
    position = raw._baseoffset
    blocks: list[_RawBlock] = []
    while True:
        head = postfile.get(position, _HEADER_BYTES)
        stream = io.BytesIO(head)
        try:
            length = struct.unpack("!i", stream.read(4))[0]
            postings, last, _, compression, _, _ = Unpickler(stream).load()  # what W3LeafMatcher._goto reads
        except (UnpicklingError, EOFError, ValueError, TypeError, struct.error) as exc:
            log.debug("posting block header at %d read Whoosh's way: %s", position, exc)
            return None
        info_end = position + stream.tell()
        blocks.append(_RawBlock(info_end, position + 4 + abs(length) - info_end, compression, postings, last))
        if length < 0:  # the last block
            break
        position += 4 + length
    if not raw._atend and raw._dataoffset not in {block.data_position for block in blocks}:
        log.debug("posting list at %d: the matcher's block is not where its headers say", raw._baseoffset)
        return None
    return blocks


def _unpack_block(raw: Any, block: _RawBlock, *, sparse: bool = False) -> tuple[list[int], Any, Any]:
    """(docnums, weights, values) of one posting block of the raw W3 matcher ``raw``, exactly as
    ``W3LeafMatcher._read_ids``/``_read_weights``/``_read_values`` give them, the matcher left where it is.
    The block is inflated by ISA-L (the same bytes as zlib's, in about 60% of its time: a phrase with a
    word in every article inflates all that word's blocks, ~28 of its ~90 ms at 50k).

    ``sparse``: for reading a few postings of the block: its values are found in the pickle one by
    one when asked (:class:`_PickledValues`), not all unpickled (~35 of those ~90 ms)."""
    from array import array
    from itertools import accumulate
    from pickle import loads

    from isal import isal_zlib

    data = raw._postfile.get(block.data_position, block.data_length)
    if block.compression:
        data = isal_zlib.decompress(data)
    fixed_size = raw._fixedsize
    lazy = _PickledValues.of(data) if sparse and (fixed_size is None or fixed_size < 0) else None
    if lazy is not None:
        ids, weights = loads(data[:lazy.start] + _TUPLE2_STOP)
        values: Any = lazy
    else:
        ids, weights, values = loads(data)
    ids = list(ids) if raw._byteids else list(accumulate(ids))
    count = block.postings
    if weights is None:
        weights = array("f", [1.0]) * count
    elif isinstance(weights, float):
        weights = array("f", [weights]) * count
    if fixed_size == 0:
        values = (None,) * count
    elif fixed_size is not None and fixed_size > 0:
        values = tuple(values[i:i + fixed_size] for i in range(0, len(values), fixed_size))
    return ids, weights, values


# Pickle protocol 2 (how W3 posting blocks are written: ``dumps((ids, weights, values), 2)``) stores a
# bytes value as ``_codecs.encode(<its latin-1 text as UTF-8>, "latin1")``: the first value names that
# function (GLOBAL, put) and the text "latin1" (after its own text); the others GET both from the memo.
_CODECS_ENCODE = b"c_codecs\nencode\n"
_LATIN1_TEXT = b"X\x06\x00\x00\x00latin1"
_TUPLE2_STOP = b"\x86."


def _put(memo: int) -> bytes:
    """The memo put of index ``memo`` (BINPUT below 256, else LONG_BINPUT)."""
    return b"q" + bytes((memo,)) if memo < 256 else b"r" + memo.to_bytes(4, "little")


class _PickledValues:
    """A posting block's values (bytes), each found in the block's pickle when asked, without
    unpickling the others.

    After value k's text comes a run of opcodes naming memo indices of k only: put of its text,
    GET "latin1", TUPLE2, put, REDUCE, put, GET encode, then the next value's text (BINUNICODE).
    That run is searched for (from the last value found): it cannot occur inside a text, which is
    UTF-8, where byte 0x86 (TUPLE2) never follows a byte below 0x80 as it does in the run (the memo
    index of "latin1" is kept below 0x40, never a put's opcode), nor straddle another value's run (its
    memo indices differ). Every value found is checked against its length field and the run after it; any
    surprise unpickles the whole block instead (Whoosh's way)."""

    def __init__(self, data: bytes, start: int, first: tuple[int, int], memo: int, encode: int,
                 latin1: int) -> None:
        self._data = data
        self.start = start  # where the values tuple begins (its MARK)
        self._first = first  # start, end of value 0's text
        self._memo = memo  # the memo index of value 0's text
        self._get_encode = b"h" + bytes((encode,))
        self._after_text = b"h" + bytes((latin1, 0x86))
        self._search_from = first[1]
        self._all: Any = None

    @classmethod
    def of(cls, data: bytes) -> _PickledValues | None:
        """The values of a block's pickle ``data`` laid out as protocol 2 lays out a tuple of four or
        more bytes values (MARK first); None for any other layout (the whole pickle is loaded then)."""
        found = data.find(_CODECS_ENCODE)
        if found < 1 or data[found - 1] != ord("("):
            return None
        position = found + len(_CODECS_ENCODE)
        if data[position] != ord("q") or data[position + 1] >= 0x80:
            return None
        encode = data[position + 1]
        position += 2
        if data[position] != ord("X"):
            return None
        first = (position + 5, position + 5 + int.from_bytes(data[position + 1:position + 5], "little"))
        position = first[1]
        if data[position] != ord("q") or data[position + 1] >= 0x3F:  # "latin1" (memo + 1) below 0x40
            return None
        memo = data[position + 1]
        if data[position + 2:position + 2 + len(_LATIN1_TEXT)] != _LATIN1_TEXT:
            return None
        return cls(data, found - 1, first, memo, encode, memo + 1)

    def _text(self, index: int) -> tuple[int, int] | None:
        """Start and end of value ``index``'s text; None when the pickle is not as expected."""
        if index == 0:
            return self._first
        data = self._data
        before = index - 1  # the value whose run leads to this one
        if before == 0:
            memo = self._memo
            run = (_put(memo) + _LATIN1_TEXT + _put(memo + 1) + b"\x86" + _put(memo + 2) + b"R" + _put(memo + 3)
                   + self._get_encode + b"X")
        else:
            memo = self._memo + 1 + 3 * before
            run = (_put(memo) + self._after_text + _put(memo + 1) + b"R" + _put(memo + 2)
                   + self._get_encode + b"X")
        found = data.find(run, self._search_from)
        if found < 0:
            return None
        start = found + len(run) + 4
        end = start + int.from_bytes(data[start - 4:start], "little")
        after = _put(self._memo + 1 + 3 * index) + self._after_text
        if data[end:end + len(after)] != after:
            return None
        self._search_from = end
        return start, end

    def __getitem__(self, index: int) -> bytes:
        if self._all is None:
            text = self._text(index) if index >= 0 else None
            if text is not None:
                return self._data[text[0]:text[1]].decode("utf-8").encode("latin-1")
            from pickle import loads

            log.debug("posting block values not where expected: the block is unpickled whole")
            self._all = loads(self._data)[2]
        value: bytes = self._all[index]
        return value


class _TopScores:
    """The best ``count`` (score, docnum), ordered as Whoosh's TopCollector orders them."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._heap: list[tuple[float, int]] = []  # min-heap of (score, -docnum)

    def offer(self, score: float, docnum: int) -> None:
        from heapq import heappush, heapreplace

        if len(self._heap) >= self.count and score < self._heap[0][0]:
            return
        item = (score, -docnum)
        if len(self._heap) < self.count:
            heappush(self._heap, item)
        elif item > self._heap[0]:
            heapreplace(self._heap, item)

    def may_enter(self, bound: float) -> bool:
        """False if no score up to ``bound`` can enter (with a margin for rounding)."""
        return not self.full() or bound + abs(bound) * BOUND_MARGIN >= self._heap[0][0]

    def full(self) -> bool:
        return len(self._heap) >= self.count

    def lowest(self) -> float:
        """The lowest score kept (call when :meth:`full`): only as good a score may still enter."""
        return self._heap[0][0]

    def score(self, words: Any, docnums: list[int], offset: int, extra: dict[int, float]) -> None:
        """Offer ``docnums`` (sorted, each matched by ``words``) scored by ``words`` plus ``extra``."""
        for docnum in docnums:
            words.skip_to(docnum)
            score = words.score()
            self.offer(score + extra[docnum] if docnum in extra else score, offset + docnum)

    def top(self) -> list[tuple[float, int]]:
        return [(score, -negated) for score, negated in sorted(self._heap, reverse=True)]


def _posting_ids(matcher: Any, leaf: Any) -> list[int]:
    """The document numbers of a term matcher's posting list, read a block at a time (not stepped
    one by one), without the segment's deleted documents."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    raw = getattr(matcher, "child", matcher)
    if type(raw) is not W3LeafMatcher:
        return list(matcher.all_ids())
    ids: list[int] = []
    while raw.is_active():
        raw._read_ids()
        ids.extend(raw._ids)
        raw._next_block()
    if leaf.has_deletions():
        deleted = set(_deleted_docs(leaf))
        ids = [docnum for docnum in ids if docnum not in deleted]
    return ids


def _contains(sorted_ids: list[int], docnum: int) -> bool:
    from bisect import bisect_left

    at = bisect_left(sorted_ids, docnum)
    return at < len(sorted_ids) and sorted_ids[at] == docnum


def _words_matcher(pair: Any, sub: Any, context: Any) -> Any:
    """A fresh intersection of ``pair``'s word matchers, as its phrase matcher scores with them."""
    from whoosh.matching import IntersectionMatcher
    from whoosh.util import make_binary_tree

    found = pair.parts(sub, context)
    return make_binary_tree(IntersectionMatcher, found[0])


def _bounded_stretches(ids: list[int], word_matchers: list[Any]
                       ) -> list[tuple[float, int, int, tuple[float, ...]]] | None:
    """``ids`` (sorted, each in every word's posting list) cut into stretches inside one posting
    block of each word: (sum of those blocks' qualities, start, end, the blocks' best weights) with
    ``ids[start:end]`` in it. None if a word's postings are not Whoosh's block format."""

    from whoosh.codec.whoosh3 import W3LeafMatcher

    blocks = []
    for matcher in word_matchers:
        raw = getattr(matcher, "child", matcher)  # the deleted-documents filter wraps the leaf
        block_ends: list[int] = []
        qualities: list[float] = []
        weights: list[float] = []
        if type(raw) is not W3LeafMatcher:
            return None
        while raw.is_active():
            block_ends.append(raw.block_max_id())
            qualities.append(raw.block_quality())
            weights.append(raw.block_max_weight())
            raw._next_block()
        blocks.append((block_ends, qualities, weights))
    return _stretches(ids, blocks)


def _stretches(ids: list[int], blocks: list[tuple[list[int], list[float], list[float]]]
               ) -> list[tuple[float, int, int, tuple[float, ...]]]:
    """:func:`_bounded_stretches` from each word's blocks: (last docnums, qualities, best weights)."""
    from bisect import bisect_right

    stretches = []
    at = [0] * len(blocks)
    start = 0
    while start < len(ids):
        docnum = ids[start]
        bound = 0.0
        end_ids = []
        for i, (block_ends, qualities, _) in enumerate(blocks):
            while block_ends[at[i]] < docnum:
                at[i] += 1
            bound += qualities[at[i]]
            end_ids.append(block_ends[at[i]])
        end = bisect_right(ids, min(end_ids), start)
        stretches.append((bound, start, end, tuple(blocks[i][2][at[i]] for i in range(len(blocks)))))
        start = end
    return stretches


class _LengthCutoff:
    """For BM25F words whose lengths come from one :class:`_Lengths` column: the longest length (as
    its column byte) at which the words' best weights still reach a score; an article longer than
    that cannot (BM25 falls as the length grows and rises with the weight)."""

    def __init__(self, scorers: list[Any], lengths: _Lengths) -> None:
        self._scorers = scorers
        self._lengths = lengths
        self._cache: dict[tuple[tuple[float, ...], float], int] = {}

    @classmethod
    def of(cls, word_matchers: list[Any]) -> _LengthCutoff | None:
        scorers = [getattr(getattr(m, "child", m), "scorer", None) for m in word_matchers]
        lengths = [getattr(scorer, "dfl", None) for scorer in scorers]
        if not scorers or not all(hasattr(scorer, "_score") for scorer in scorers) \
                or not isinstance(lengths[0], _Lengths) or any(other is not lengths[0] for other in lengths):
            return None
        return cls(scorers, lengths[0])

    def _bound(self, weights: tuple[float, ...], byte: int) -> float:
        length = self._lengths.table[byte]
        total = 0.0
        for scorer, weight in zip(self._scorers, weights, strict=True):
            total += scorer._score(weight, length)
        return total

    def longest(self, weights: tuple[float, ...], score: float) -> int:
        """The largest length byte (1-255) whose bound reaches ``score`` (with a margin), 0 if none."""
        key = (weights, score)
        found = self._cache.get(key)
        if found is None:
            need = score - abs(score) * BOUND_MARGIN
            low, high = 0, 255  # bound(low) >= need, or low == 0; bound(high + 1) < need
            while low < high:
                middle = (low + high + 1) // 2
                if self._bound(weights, middle) >= need:
                    low = middle
                else:
                    high = middle - 1
            found = self._cache[key] = low
        return found

    def may_reach(self, docnum: int, longest: int) -> bool:
        byte = self._lengths.byte(docnum)
        return byte == 0 or byte <= longest  # byte 0: no length recorded (never left out)


class _BulkScores:
    """The scores of a two-word phrase's matches in one segment, read from the words' posting blocks
    and the length column: per article ``first._score(weight, length) + second._score(weight,
    length)``, exactly what the words' intersection matcher computes (the same scorers, weights and
    lengths, added in the same order), without stepping a matcher to every article."""

    def __init__(self, raws: list[Any], scorers: list[Any], lengths: _Lengths) -> None:
        self._raws = raws
        self._scorers = scorers
        self._lengths = lengths
        self._frequencies: list[int] = []  # the words' document frequencies (to choose how to read them)

    @classmethod
    def of(cls, pair: Any, sub: Any, context: Any, word_matchers: list[Any]) -> _BulkScores | None:
        """For BM25F words whose lengths come from one :class:`_Lengths` column in Whoosh's block format."""
        from whoosh.codec.whoosh3 import W3LeafMatcher

        if len(word_matchers) != 2 or _LengthCutoff.of(word_matchers) is None:
            return None
        fresh = pair.parts(sub, context)[0]  # unread matchers over the same postings, same scorers
        raws = [getattr(matcher, "child", matcher) for matcher in fresh]
        if not all(type(raw) is W3LeafMatcher for raw in raws):
            return None
        scorers = [raw.scorer for raw in raws]
        lengths = [scorer.dfl for scorer in scorers]
        if not isinstance(lengths[0], _Lengths) or lengths[1] is not lengths[0]:
            return None
        bulk = cls(raws, scorers, lengths[0])
        field = sub.schema[pair.fieldname]
        bulk._frequencies = [sub.reader().doc_frequency(pair.fieldname, field.to_bytes(word)) for word in pair.words]
        return bulk

    @classmethod
    def scoring(cls, word_matchers: list[Any]) -> _BulkScores | None:
        """For :meth:`offer_weighted` with the weights read elsewhere: the scorers of two BM25F word
        matchers whose lengths come from one :class:`_Lengths` column; None otherwise."""
        cutoff = _LengthCutoff.of(word_matchers) if len(word_matchers) == 2 else None
        if cutoff is None:
            return None
        return cls([], cutoff._scorers, cutoff._lengths)

    @staticmethod
    def _weights(raw: Any, ids: list[int]) -> list[float]:
        """The posting weight of each of ``ids`` (sorted, every one in ``raw``'s list)."""
        from bisect import bisect_right

        out: list[float] = []
        at, count = 0, len(ids)
        while raw.is_active() and at < count:
            block_end = raw.block_max_id()
            if ids[at] <= block_end:
                end = bisect_right(ids, block_end, at)
                raw._read_ids()
                raw._read_weights()
                weights = dict(zip(raw._ids, raw._weights, strict=True))
                out.extend(weights[docnum] for docnum in ids[at:end])
                at = end
            raw._next_block()
        if at != count:
            raise ValueError("a pair's article is missing from its word's postings")
        return out

    def offer_all(self, ids: list[int], ranking: _TopScores, offset: int, extra: dict[int, float]) -> None:
        """Offer ``ids`` (sorted, each in both words' postings) scored, plus ``extra``, to ``ranking``."""
        frequencies = self._frequencies
        longer = 0 if frequencies and frequencies[0] > frequencies[1] else 1
        if frequencies and (len(ids) <= BOUNDED_MAX_MATCH_SHARE * frequencies[longer]
                            or frequencies[longer] >= BOUNDED_MIN_LENGTH_RATIO * frequencies[1 - longer]):
            self.offer_bounded(ids, ranking, offset, extra, longer)
        else:
            self.offer_stretched(ids, ranking, offset, extra)

    def offer_stretched(self, ids: list[int], ranking: _TopScores, offset: int, extra: dict[int, float]) -> None:
        """As :meth:`offer_all`, unpacking only the blocks of a stretch (see :func:`phrase_top`) whose
        bound may still enter: the best stretches first, then the others in one forward pass."""
        headers = [_block_headers(raw) for raw in self._raws]
        readers = [_Blocks(raw, found) for raw, found in zip(self._raws, headers, strict=True)]
        stretches = _stretches(ids, [
            ([header[1] for header in found], [scorer._score(header[2], header[3]) for header in found],
             [header[2] for header in found]) for scorer, found in zip(self._scorers, headers, strict=True)])
        score = self._scoring(extra)
        first: set[int] = set(extra)
        for _, low, high, _ in sorted(stretches, key=lambda stretch: -stretch[0]):
            if len(first) >= ranking.count + len(extra):
                break
            first.update(ids[low:high])
        ordered = sorted(first)
        for docnum, weight_first, weight_second in zip(ordered, *(reader.get(ordered) for reader in readers),
                                                       strict=True):
            ranking.offer(score(docnum, weight_first, weight_second), offset + docnum)
        lowest = ranking.lowest() if ranking.full() else None
        for bound, low, high, _ in stretches:
            if lowest is not None and not ranking.may_enter(bound):
                continue
            docnums = [d for d in ids[low:high] if d not in first]
            for docnum, weight_first, weight_second in zip(docnums, *(reader.get(docnums) for reader in readers),
                                                           strict=True):
                found = score(docnum, weight_first, weight_second)
                if lowest is None or found >= lowest:  # (a lower score cannot enter: skip the call)
                    ranking.offer(found, offset + docnum)
                    lowest = ranking.lowest() if ranking.full() else None

    def offer_bounded(self, ids: list[int], ranking: _TopScores, offset: int, extra: dict[int, float],
                      bounded: int) -> None:
        """As :meth:`offer_all`, but word ``bounded``'s posting list (the longer) is unpacked only in the
        blocks holding a match that may still enter: every match is bounded by its exact score for
        the other word plus the bounded word's at the block's best weight (its block header) and the
        article's own length (BM25 grows with the weight); matches are scored best bound first, until
        a bound falls below the ``count``-th best score (with :data:`BOUND_MARGIN`)."""
        from bisect import bisect_left

        exact_weights = self._weights(self._raws[1 - bounded], ids)
        headers = _block_headers(self._raws[bounded])
        blocks = _Blocks(self._raws[bounded], headers)
        block_ends = blocks.ends
        block_best = [header[2] for header in headers]
        score = self._scoring(extra)
        bounds = []
        for at, (docnum, exact_weight) in enumerate(zip(ids, exact_weights, strict=True)):
            block = bisect_left(block_ends, docnum)
            if block == len(block_ends):
                raise ValueError("a pair's article is missing from its word's postings")
            best = block_best[block]
            bound = score(docnum, best, exact_weight) if bounded == 0 else score(docnum, exact_weight, best)
            bounds.append((-bound, at, block))
        bounds.sort()
        for negated, at, block in bounds:
            if not ranking.may_enter(-negated):
                break
            docnum = ids[at]
            weight = blocks.weights(block)[docnum]
            exact_weight = exact_weights[at]
            ranking.offer(score(docnum, weight, exact_weight) if bounded == 0
                          else score(docnum, exact_weight, weight), offset + docnum)

    def _scoring(self, extra: dict[int, float] | None = None) -> Callable[[int, float, float], float]:
        """``(docnum, first weight, second weight) -> score`` as the words' intersection matcher adds it up."""
        first, second = self._scorers
        lengths = self._lengths
        raw_lengths, table, default_byte = lengths.raw, lengths.table, lengths.default_byte
        known = len(raw_lengths)
        memo_first: dict[tuple[float, int], float] = {}
        memo_second: dict[tuple[float, int], float] = {}
        plus = extra or {}

        def score(docnum: int, weight_first: float, weight_second: float) -> float:
            byte = raw_lengths[docnum] if docnum < known else default_byte
            key_first, key_second = (weight_first, byte), (weight_second, byte)
            score_first = memo_first.get(key_first)
            if score_first is None:
                score_first = memo_first[key_first] = first._score(weight_first, table[byte])
            score_second = memo_second.get(key_second)
            if score_second is None:
                score_second = memo_second[key_second] = second._score(weight_second, table[byte])
            total = score_first + score_second
            return total + plus[docnum] if docnum in plus else total

        return score

    def offer_weighted(self, ids: list[int], weights: list[list[float]], ranking: _TopScores, offset: int,
                       extra: dict[int, float]) -> None:
        """Offer ``ids`` scored from the words' posting ``weights`` there (one list per word), plus ``extra``."""
        # The loop repeats :meth:`_scoring`'s sum inline: it runs once per match of a common phrase
        # (tens of thousands), where a call per document is a measurable share of the first page.
        first, second = self._scorers
        lengths = self._lengths
        raw_lengths, table, default_byte = lengths.raw, lengths.table, lengths.default_byte
        known = len(raw_lengths)
        memo_first: dict[tuple[float, int], float] = {}
        memo_second: dict[tuple[float, int], float] = {}
        firsts, seconds = weights
        offer = ranking.offer
        lowest = ranking.lowest() if ranking.full() else None
        for docnum, weight_first, weight_second in zip(ids, firsts, seconds, strict=True):
            byte = raw_lengths[docnum] if docnum < known else default_byte
            key_first, key_second = (weight_first, byte), (weight_second, byte)
            score_first = memo_first.get(key_first)
            if score_first is None:
                score_first = memo_first[key_first] = first._score(weight_first, table[byte])
            score_second = memo_second.get(key_second)
            if score_second is None:
                score_second = memo_second[key_second] = second._score(weight_second, table[byte])
            score = score_first + score_second
            if docnum in extra:
                score = score + extra[docnum]
            if lowest is None or score >= lowest:  # (a lower score cannot enter: skip the call)
                offer(score, offset + docnum)
                lowest = ranking.lowest() if ranking.full() else None


# Bytes read at once for a posting block's header (its pickled info is about 40).
_HEADER_BYTES = 96


def _block_headers(raw: Any) -> list[tuple[int, int, float, float]]:
    """(file position, last docnum, best weight, shortest length) of each posting block of an unread
    raw W3 matcher, one file read a header (Whoosh's own walk reads one in about twenty)."""
    import struct
    from pickle import UnpicklingError, loads

    from whoosh.util.numeric import byte_to_length

    postfile = raw._postfile
    position = raw._baseoffset
    headers = []
    while True:
        head = postfile.get(position, _HEADER_BYTES)
        try:
            length = struct.unpack("!i", head[:4])[0]
            _, last, best, _, shortest, _ = loads(head[4:])  # what W3LeafMatcher._goto reads
        except (UnpicklingError, EOFError, ValueError, struct.error) as exc:
            log.debug("posting block header at %d read Whoosh's way: %s", position, exc)
            return _block_headers_slowly(raw)
        headers.append((position, last, best, byte_to_length(shortest)))
        if length < 0:  # the last block
            return headers
        position += 4 + length


def _block_headers_slowly(raw: Any) -> list[tuple[int, int, float, float]]:
    """:func:`_block_headers` through the matcher's own block walk (which it consumes)."""
    raw._goto(raw._baseoffset)
    headers = []
    position = raw._baseoffset
    while True:
        headers.append((position, raw.block_max_id(), raw.block_max_weight(), raw.block_min_length()))
        if raw._lastblock:
            return headers
        position = raw._nextoffset
        raw._goto(position)


class _Blocks:
    """A raw W3 posting list's weights by docnum, each block unpacked once, when first asked."""

    def __init__(self, raw: Any, headers: list[tuple[int, int, float, float]]) -> None:
        self._raw = raw
        self._positions = [header[0] for header in headers]
        self.ends = [header[1] for header in headers]
        self._unpacked: dict[int, dict[int, float]] = {}

    def block_of(self, docnum: int) -> int:
        from bisect import bisect_left

        block = bisect_left(self.ends, docnum)
        if block == len(self.ends):
            raise ValueError("a pair's article is missing from its word's postings")
        return block

    def weights(self, block: int) -> dict[int, float]:
        """docnum -> weight in block number ``block``."""
        found = self._unpacked.get(block)
        if found is None:
            raw = self._raw
            raw._goto(self._positions[block])
            raw._read_ids()
            raw._read_weights()
            found = self._unpacked[block] = dict(zip(raw._ids, raw._weights, strict=True))
        return found

    def get(self, docnums: list[int]) -> list[float]:
        """The weights of ``docnums`` (sorted, each in the list), a block's documents at a time."""
        from bisect import bisect_right

        out: list[float] = []
        at, count = 0, len(docnums)
        while at < count:
            block = self.block_of(docnums[at])
            end = bisect_right(docnums, self.ends[block], at)
            weights = self.weights(block)
            out.extend([weights[docnum] for docnum in docnums[at:end]])
            at = end
        return out


def _posting_count(matcher: Any) -> int:
    """How many postings a raw posting list holds, from its block headers (the blocks' ids, weights
    and positions are never unpacked). Whoosh's ``doc_frequency`` is not it: it was seen one off."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    if type(matcher) is not W3LeafMatcher:
        return sum(1 for _ in matcher.all_ids())
    count = 0
    while matcher.is_active():
        count += matcher._blocklength - matcher._i
        matcher._next_block()
    return count


def _deleted_docs(leaf: Any) -> list[int]:
    """Document numbers deleted from a segment (still in its posting lists until a merge)."""
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is not None and hasattr(perdoc, "deleted_docs"):
        return sorted(perdoc.deleted_docs())
    return [docnum for docnum in range(leaf.doc_count_all()) if leaf.is_deleted(docnum)]


# --------------------------------------------------------------------------- snippets


def make_snippets(body: str, spans: list[tuple[int, int]], *, count: int = SNIPPETS_PER_HIT,
                  width: int = SNIPPET_CHARS) -> list[Snippet]:
    """Up to ``count`` passages of about ``width`` characters around the matches, best first.

    Passages start at a sentence or word boundary and end at a word boundary; with no match in the
    body (the query matched the title or outlet), the opening passage.
    """
    if not body:
        return []
    n = len(body)
    if not spans:
        end = _word_end(body, min(n, width), 0)
        return [Snippet(body[:end], 0, end, [])]
    candidates = []
    for s, e in spans[:200]:
        start = max(0, s - width // 3)
        sentence = max(body.rfind(". ", max(0, s - width // 2), s), body.rfind("\n", max(0, s - width // 2), s))
        if sentence >= 0:
            start = sentence + 1
        start = _word_start(body, start, s)
        end = max(e, _word_end(body, min(n, start + width), e))
        inside = [sp for sp in spans if sp[0] >= start and sp[1] <= end]
        distinct = {body[a:b].casefold() for a, b in inside}
        candidates.append(((len(distinct), len(inside), -start), start, end, inside))
    candidates.sort(key=lambda c: c[0], reverse=True)
    chosen: list[tuple[int, int, list[tuple[int, int]]]] = []
    for _, start, end, inside in candidates:
        if any(start < ce and cs < end for cs, ce, _ in chosen):
            continue
        chosen.append((start, end, inside))
        if len(chosen) >= count:
            break
    return [Snippet(body[s:e], s, e, inside) for s, e, inside in chosen]


def _word_start(body: str, pos: int, limit: int) -> int:
    """Move ``pos`` forward past spaces (and off the middle of a word), never beyond ``limit``."""
    if pos > 0 and not body[pos - 1].isspace():
        nxt = pos
        while nxt < limit and not body[nxt].isspace():
            nxt += 1
        pos = nxt if nxt < limit else pos
    while pos < limit and body[pos].isspace():
        pos += 1
    return pos


def _word_end(body: str, pos: int, minimum: int) -> int:
    """Move ``pos`` back to the end of a word (not before ``minimum``)."""
    n = len(body)
    if pos >= n:
        return n
    back = pos
    while back > minimum and not body[back - 1].isspace():
        back -= 1
    if back > minimum:
        pos = back
    while pos > minimum and body[pos - 1].isspace():
        pos -= 1
    return max(pos, minimum)
