"""Phrases through adjacent word pairs: a two-word phrase is one posting list, not a position check
of every article holding both words.

The index holds, besides the body, a field of the body's adjacent *indexed* token pairs ("tax cut"
in "tax cuts", or in "tax, the cut": stop words and punctuation are not tokens, as in the body's
positions). Pairs cost index size and build time, and only phrases of two common words need them
(a rare word already makes the position check cheap), so the field keeps only pairs of words in its
*vocabulary*: the body words in at least :data:`PAIR_MIN_SHARE` of the articles of the first build
(at most :data:`PAIR_MAX_WORDS` of them). The vocabulary is part of the index's schema (written
with it, read back by every writer), so every article of that index has its pairs of those words,
whatever was added later. It is chosen once: a corpus that started small (under
:data:`PAIR_MIN_DOCS` articles of a word) or whose common words changed keeps it until ``index
--rebuild``; its phrases are then checked by position, as before (exact, slower).

A body phrase (exact: slop 1) whose words are all in the vocabulary becomes a :class:`PairPhrase`:
its candidates are the articles holding every pair, its score the one Whoosh's phrase gives (the
sum of its words' scores, from the same matchers), and a phrase of three words or more is checked
by positions on those candidates only. Anything else (a word outside the vocabulary, ``"a b"~3``,
an index without the field) stays Whoosh's own :class:`~whoosh.query.Phrase`: same results, slower.
A two-word phrase's page is ranked by :func:`briefreader.storage.index_search.phrase_top`, paired
or not (without its pair, the words' positions are read from their posting blocks in bulk: the
cost of a word outside the vocabulary is then unpacking the other word's blocks that hold its
articles, not a matcher stepped through every one of them).

Cost (bench/bench_index.py --pairs-cost, generated 10k corpus): see the README; with a vocabulary of
5% instead of 20% the build took 2x the CPU and the index 2.3x the space, hence 20%.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import fields, formats
from whoosh import query as wq
from whoosh.analysis import Composable, StemmingAnalyzer, Token
from whoosh.matching import IntersectionMatcher, Matcher, NullMatcher, WrappingMatcher
from whoosh.util import make_binary_tree

from briefreader.core.search_query import BODY_FIELD, build_schema

log = logging.getLogger(__name__)

PAIRS_FIELD = "body_pairs"
PAIR_SEPARATOR = " "  # never inside a token (tokens are runs of word characters and dots)
# A word is in the pair vocabulary when at least this share of the first build's articles hold it...
PAIR_MIN_SHARE = 0.2
# ... and at least this many (a small corpus needs no pairs: every phrase is cheap there).
PAIR_MIN_DOCS = 50
# At most this many words (the most common first): bounds the pairs an article can add.
PAIR_MAX_WORDS = 4000
# The vocabulary is counted on at most this many articles of the first build, evenly spread.
PAIR_SAMPLE = 3000


# The token texts of the body the current thread analysed last for indexing: (body, texts). Whoosh
# indexes a document's fields in name order, so "body" comes just before "body_pairs", which then
# reuses its tokens instead of analysing the same text again (a fifth of the pairs' build cost).
_LAST_BODY = threading.local()


class TappedAnalyzer(Composable):
    """The body field's analyzer, unchanged, noting the token texts of what it indexes last (per
    thread) for :class:`PairAnalyzer`. Part of the pickled schema: keep the class and its attributes."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TappedAnalyzer) and other.inner == self.inner

    def __hash__(self) -> int:
        return hash(type(self))

    def has_morph(self) -> bool:
        return bool(self.inner.has_morph())

    def clean(self) -> None:
        self.inner.clean()

    def __call__(self, value: Any, **kwargs: Any) -> Iterator[Token]:
        if kwargs.get("mode") != "index" or not isinstance(value, str):
            yield from self.inner(value, **kwargs)
            return
        _LAST_BODY.seen = None
        texts = []
        for token in self.inner(value, **kwargs):
            texts.append(token.text)
            yield token
        _LAST_BODY.seen = (value, texts)  # only once every token was read


def _body_token_texts(value: str, analyzer: Any) -> list[str]:
    """The body tokens of ``value``: those just noted by :class:`TappedAnalyzer` if it was this very
    string, else ``analyzer``'s."""
    seen = getattr(_LAST_BODY, "seen", None)
    if seen is not None and seen[0] is value:
        return seen[1]
    return [token.text for token in analyzer(value, mode="index")]


class PairAnalyzer(Composable):
    """Tokens "a b" for every two adjacent body tokens (the body field's own analyzer) both in
    ``vocabulary``. Part of the pickled schema: keep the class and its attributes stable."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self.vocabulary = frozenset(vocabulary)
        self.body_analyzer = StemmingAnalyzer()  # build_schema()'s body analyzer: same tokens

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairAnalyzer) and other.vocabulary == self.vocabulary

    def __hash__(self) -> int:
        return hash(self.vocabulary)

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]:
        vocabulary = self.vocabulary
        out = Token(**{k: v for k, v in kwargs.items() if k in ("mode", "removestops")})
        if not vocabulary:
            return
        previous: str | None = None
        for text in _body_token_texts(value, self.body_analyzer):
            if text in vocabulary:
                if previous is not None:
                    out.text = previous + PAIR_SEPARATOR + text
                    out.boost = 1.0
                    yield out
                previous = text
            else:
                previous = None


class PhrasePairs(fields.FieldType):
    """The pair field: one term per pair of vocabulary words an article holds side by side (no
    frequency, no positions, not scored, not stored)."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self.analyzer = PairAnalyzer(vocabulary)
        self.format = formats.Existence()
        self.scorable = False
        self.stored = False
        self.unique = False
        self.vector = None

    @property
    def vocabulary(self) -> frozenset[str]:
        return self.analyzer.vocabulary


def index_schema(vocabulary: Iterable[str] = ()) -> Any:
    """The index's Whoosh schema: :func:`~briefreader.core.search_query.build_schema` plus the pair field."""
    schema = build_schema()
    body = schema[BODY_FIELD]
    body.analyzer = TappedAnalyzer(body.analyzer)
    schema.add(PAIRS_FIELD, PhrasePairs(vocabulary))
    return schema


def pair_vocabulary(bodies: Iterable[str], count: int) -> frozenset[str]:
    """The words of at least :data:`PAIR_MIN_SHARE` of ``count`` article ``bodies`` (and of
    :data:`PAIR_MIN_DOCS`), at most :data:`PAIR_MAX_WORDS` of the commonest."""
    from briefreader.core.search_query import body_tokens

    if count <= 0:
        return frozenset()
    document_frequency: Counter[str] = Counter()
    for body in bodies:
        document_frequency.update({token for token, _, _, _ in body_tokens(body)})
    needed = max(PAIR_MIN_DOCS, PAIR_MIN_SHARE * count)
    common = [word for word, df in document_frequency.most_common(PAIR_MAX_WORDS) if df >= needed]
    return frozenset(common)


def sample_bodies(bodies: list[str]) -> list[str]:
    """At most :data:`PAIR_SAMPLE` of ``bodies``, evenly spread."""
    step = max(1, -(-len(bodies) // PAIR_SAMPLE))
    return bodies[::step]


def schema_vocabulary(schema: Any) -> frozenset[str] | None:
    """The pair vocabulary of an index's schema; None if it has no pair field (an older index)."""
    if PAIRS_FIELD not in schema.names():
        return None
    field = schema[PAIRS_FIELD]
    return field.vocabulary if isinstance(field, PhrasePairs) else None


# --------------------------------------------------------------------------- queries


def use_pairs(q: Any, schema: Any) -> Any:
    """``q`` with every exact body phrase whose words are all in the pair vocabulary made a :class:`PairPhrase`."""
    vocabulary = schema_vocabulary(schema)
    if not vocabulary:
        return q
    return _rewrite(q, vocabulary)


def _rewrite(q: Any, vocabulary: frozenset[str]) -> Any:
    """``q`` with its phrases replaced; a node is copied only when a child changed (every other
    attribute kept: Whoosh's ``apply`` would drop some, e.g. an Or's ``minmatch``)."""
    from whoosh.query.compound import BinaryQuery, CompoundQuery
    from whoosh.query.wrappers import Not, WrappingQuery

    if isinstance(q, wq.Phrase):
        if (type(q) is wq.Phrase and q.fieldname == BODY_FIELD and q.slop == 1 and len(q.words) >= 2
                and all(isinstance(w, str) and w in vocabulary for w in q.words)):
            return PairPhrase(q.fieldname, list(q.words), slop=1, boost=q.boost, char_ranges=q.char_ranges)
        return q
    if q.is_leaf():
        return q
    if isinstance(q, BinaryQuery):
        a, b = _rewrite(q.a, vocabulary), _rewrite(q.b, vocabulary)
        if a is q.a and b is q.b:
            return q
        new = copy.copy(q)
        new.a, new.b, new.subqueries = a, b, (a, b)
        return new
    if isinstance(q, CompoundQuery):
        children = [_rewrite(child, vocabulary) for child in q.subqueries]
        if all(new is old for new, old in zip(children, q.subqueries, strict=True)):
            return q
        new = copy.copy(q)
        new.subqueries = children
        return new
    for attribute, kind in (("query", Not), ("child", WrappingQuery)):
        if isinstance(q, kind):
            child = _rewrite(getattr(q, attribute), vocabulary)
            if child is getattr(q, attribute):
                return q
            new = copy.copy(q)
            setattr(new, attribute, child)
            return new
    return q  # another kind of node: its phrases are checked by position, as before


class PairPhrase(wq.Phrase):
    """An exact body phrase matched through the pair field: the documents and scores of Whoosh's Phrase."""

    def pair_texts(self) -> list[str]:
        return [a + PAIR_SEPARATOR + b for a, b in zip(self.words, self.words[1:], strict=False)]

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        parts = self.parts(searcher, context)
        if parts is None:
            return super().matcher(searcher, context)
        word_matchers, pair_matchers = parts
        if not word_matchers:
            return NullMatcher()
        words = make_binary_tree(IntersectionMatcher, word_matchers)
        candidates = make_binary_tree(IntersectionMatcher, pair_matchers)
        matcher: Any = PairFilteredMatcher(words, candidates, word_matchers if len(word_matchers) > 2 else None)
        if self.boost != 1.0:
            matcher = WrappingMatcher(matcher, boost=self.boost)
        return matcher

    def parts(self, searcher: Any, context: Any = None) -> tuple[list[Any], list[Any]] | None:
        """(the words' scored matchers, the pairs' unscored matchers) on ``searcher`` (one segment or
        all); ([], []) when a word or pair is in no article; None when this index has no pairs of
        these words (no pair field, or another vocabulary: the index was rebuilt since the parse)."""
        schema = searcher.schema
        vocabulary = schema_vocabulary(schema)
        if not vocabulary or self.fieldname not in schema.names() or not all(w in vocabulary for w in self.words):
            return None
        word_matchers = phrase_word_matchers(self, searcher, context)
        if word_matchers is None:
            return None
        if not word_matchers:
            return [], []
        reader = searcher.reader()
        pair_matchers = []
        for pair in self.pair_texts():
            btext = pair.encode("utf-8")
            if (PAIRS_FIELD, btext) not in reader:
                return [], []
            pair_matchers.append(wq.Term(PAIRS_FIELD, btext).matcher(searcher, searcher.boolean_context()))
        return word_matchers, pair_matchers


def phrase_word_matchers(phrase: wq.Phrase, searcher: Any, context: Any = None) -> list[Any] | None:
    """The scored Term matchers of ``phrase``'s words on ``searcher``, built as Whoosh's
    ``Phrase.matcher`` builds them (so the same scores); [] when a word is in no document there;
    None when the field is not in the schema or keeps no positions (Whoosh's own matcher then
    answers: nothing, or its error)."""
    schema = searcher.schema
    if phrase.fieldname not in schema.names():
        return None
    field = schema[phrase.fieldname]
    if not field.format or not field.format.supports("positions"):
        return None
    reader = searcher.reader()
    matchers = []
    for word in phrase.words:
        try:
            btext = field.to_bytes(word)
        except ValueError:
            return []
        if (phrase.fieldname, btext) not in reader:
            return []
        matchers.append(wq.Term(phrase.fieldname, btext).matcher(searcher, context))
    return matchers


class PairFilteredMatcher(Matcher):
    """The documents of ``words`` (an intersection of the phrase's word matchers) that are also in
    ``candidates`` (those holding every pair) and, when ``leaves`` are given (three words or more),
    hold the words at consecutive positions. Scores are ``words``' (Whoosh's phrase score)."""

    def __init__(self, words: Any, candidates: Any, leaves: list[Any] | None) -> None:
        self._words = words
        self._candidates = candidates
        self._leaves = leaves
        self._sync()

    def _sync(self) -> None:
        words, candidates = self._words, self._candidates
        while words.is_active() and candidates.is_active():
            word_id, candidate_id = words.id(), candidates.id()
            if word_id < candidate_id:
                words.skip_to(candidate_id)
            elif candidate_id < word_id:
                candidates.skip_to(word_id)
            elif self._leaves is not None and not self._consecutive():
                words.next()
            else:
                return

    def _consecutive(self) -> bool:
        """True if the words stand side by side in the current document (Whoosh's slop-1 phrase)."""
        leaves = self._leaves or []
        later = [set(leaf.value_as("positions")) for leaf in leaves[1:]]
        for start in leaves[0].value_as("positions"):
            if all(start + offset in positions for offset, positions in enumerate(later, 1)):
                return True
        return False

    def is_active(self) -> bool:
        return self._words.is_active() and self._candidates.is_active()

    def id(self) -> int:
        return self._words.id()

    def next(self) -> bool:
        self._words.next()
        self._sync()
        return False

    def skip_to(self, target: int) -> bool:
        if not self.is_active():
            return False
        if self._words.id() < target:
            self._words.skip_to(target)
        if self._candidates.is_active() and self._candidates.id() < target:
            self._candidates.skip_to(target)
        self._sync()
        return False

    def score(self) -> float:
        return self._words.score()

    def weight(self) -> float:
        return self._words.weight()

    def supports_block_quality(self) -> bool:
        return False

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else NullMatcher()

    def copy(self) -> PairFilteredMatcher:
        leaves = self._leaves
        if leaves is None:
            return PairFilteredMatcher(self._words.copy(), self._candidates.copy(), None)
        copies = [leaf.copy() for leaf in leaves]
        return PairFilteredMatcher(make_binary_tree(IntersectionMatcher, copies), self._candidates.copy(), copies)

    def supports(self, astype: str) -> bool:
        return False

    def term(self) -> None:
        return None
