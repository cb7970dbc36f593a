"""Phrases through the pair field give exactly what Whoosh's phrase check gives: same hits, same
scores, same order, same totals (storage/index_pairs.py)."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest

from briefreader.core.model import Article
from briefreader.storage import index_pairs, index_search
from briefreader.storage.corpus import Corpus
from briefreader.storage.index import META_NAME, CorpusIndex
from briefreader.storage.index_pairs import PairPhrase, schema_vocabulary

# Case, punctuation, apostrophes, hyphens, stop words, repeated words, numbers, accents.
WORDS = [
    "Tax", "tax,", "TAX.", "cut", "cuts", "Cut;", "the", "of", "a", "an", "and", "to", "in", "New", "new-York",
    "York's", "York", "city.", "City", "council", "minister", "said:", "prime", "Prime-Minister", "it's", "don't",
    "re-election", "election", "naïve", "café", "2025", "U.S.", "budget,", "budget!", "'quoted'", "(aside)", "tax-cut",
]
PHRASES = [
    '"tax cut"', '"cut tax"', '"tax tax"', '"tax tax tax"', '"new york"', '"new york city"',
    '"new york city council"', '"the tax"', '"cut the tax"', '"tax, the cut"', '"york s city"',
    '"York\'s city"', '"re election"', '"re-election"', '"prime minister said"', '"minister said prime minister"',
    '"naïve café"', '"u s budget"', '"budget budget"', '"2025 tax"', '"tax cut" OR minister',
    '"tax cut" -budget', 'budget "new york"', '"cuts tax"~3', 'body:"tax cut"', 'title:"tax cut"',
    '"tax cut" "new york"', '"it s"', '"absent word"', '"tax absentword"', '"new york" city',
]


def article(number: int, rng: random.Random, *, body_words: int | None = None) -> Article:
    count = rng.randint(0, 150) if body_words is None else body_words
    body = " ".join(rng.choice(WORDS) for _ in range(count))
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
    return Article(id=f"a{number}.txt", path=f"a{number}.txt", format="txt", content_hash=f"{number}-{count}",
                   title=title, body=body, date=f"2025-0{1 + number % 9}-1{number % 10}")


def corpus(root: Path, articles: list[Article]) -> Corpus:
    return Corpus(root=root, articles=articles)


def results_through(session, monkeypatch, query: str, *, pairs: bool, bulk_phrases: bool, **options):
    """(search results, matching ids) of ``query`` with or without the pair field and with or without
    phrase_top (without both: Whoosh's own phrase check)."""
    session._parsed.clear()
    with monkeypatch.context() as patch:
        if not pairs:
            patch.setattr(index_pairs, "use_pairs", lambda q, schema: q)
        if not bulk_phrases:
            patch.setattr(index_search, "phrase_top", lambda *args, **kwargs: None)
        results = session.search(query, **options)
        ids = session.matching_ids(query)
    session._parsed.clear()
    return results, ids


def assert_same(session, monkeypatch, query: str) -> None:
    """Through pairs, and through positions read in bulk (no pairs), ``query`` gives exactly what
    Whoosh's own phrase check gives."""
    for options in ({"limit": 200}, {"limit": 7, "page": 2}, {"limit": 200, "sort": "date"}):
        plain, plain_ids = results_through(session, monkeypatch, query, pairs=False, bulk_phrases=False, **options)
        for pairs in (True, False):
            fast, fast_ids = results_through(session, monkeypatch, query, pairs=pairs, bulk_phrases=True, **options)
            assert fast.total == plain.total, (query, options, pairs)
            assert [(h.id, h.score) for h in fast.hits] == [(h.id, h.score) for h in plain.hits], (query, options)
            assert [h.snippets for h in fast.hits] == [h.snippets for h in plain.hits], (query, options)
            assert fast_ids == plain_ids, query


def build_tricky(root: Path):
    root.mkdir()
    rng = random.Random(7)
    articles = [article(i, rng) for i in range(400)]
    ix = CorpusIndex.open(root)
    ix.update(corpus(root, articles))
    return ix, root, articles, rng


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One index for the read-only tests (each build takes a second or two)."""
    ix, *rest = build_tricky(tmp_path_factory.mktemp("pairs") / "c")
    yield (ix, *rest)
    ix.close()


@pytest.fixture
def tricky(tmp_path: Path):
    ix, *rest = build_tricky(tmp_path / "c")
    yield (ix, *rest)
    ix.close()


def test_pair_vocabulary_is_chosen_at_the_first_build(shared) -> None:
    ix, *_ = shared
    vocabulary = schema_vocabulary(ix._ix.schema)
    assert vocabulary is not None and {"tax", "cut", "new", "york", "citi", "elect"} <= vocabulary
    assert "the" not in vocabulary  # a stop word is no token


@pytest.mark.parametrize("scores", ["bulk", "bounded", "matcher"])
@pytest.mark.parametrize("query", PHRASES)
def test_phrases_through_pairs_equal_the_position_check(shared, monkeypatch, query: str, scores: str) -> None:
    ix, *_ = shared
    session = ix.searcher()
    if scores == "matcher":  # the ranking that steps the words' matcher to the articles that may enter
        monkeypatch.setattr(index_search._BulkScores, "of", classmethod(lambda cls, *args: None))
    # bulk scores from every posting block, or from the longer list's blocks that may enter only
    monkeypatch.setattr(index_search, "BOUNDED_MAX_MATCH_SHARE", float("inf") if scores == "bounded" else 0.0)
    monkeypatch.setattr(index_search, "BOUNDED_MIN_LENGTH_RATIO", float("inf"))
    assert_same(session, monkeypatch, query)


def test_bounded_bulk_scores_score_only_what_may_enter(shared, monkeypatch) -> None:
    """With one word's list much longer, only its blocks whose matches may reach the page are unpacked."""
    ix, *_ = shared
    session = ix.searcher()
    monkeypatch.setattr(index_search, "BOUNDED_MAX_MATCH_SHARE", float("inf"))
    offered: list[int] = []
    original = index_search._TopScores.offer

    def counting(self, score, docnum) -> None:
        offered.append(docnum)
        original(self, score, docnum)

    monkeypatch.setattr(index_search._TopScores, "offer", counting)
    results = session.search('body:"new york"', limit=3)
    assert results.total > 100 and 3 <= len(offered) < results.total / 2
    assert_same(session, monkeypatch, 'body:"new york"')


def test_bulk_scores_are_used_for_two_word_phrases(shared, monkeypatch) -> None:
    ix, *_ = shared
    session = ix.searcher()
    used: list[int] = []
    original = index_search._BulkScores.offer_all

    def counting(self, ids, ranking, offset, extra) -> None:
        used.append(len(ids))
        original(self, ids, ranking, offset, extra)

    monkeypatch.setattr(index_search._BulkScores, "offer_all", counting)
    total = session.search('"new york"', limit=3).total  # title or body
    in_bodies = sum(used)
    assert 0 < in_bodies <= total and session.search('body:"new york"').total == in_bodies


def test_pairs_are_used_for_phrases_of_vocabulary_words_only(shared) -> None:
    ix, *_ = shared
    session = ix.searcher()

    def phrases(query: str) -> list[type]:
        found = []

        def walk(node) -> None:
            if hasattr(node, "words"):
                found.append(type(node))
            if not node.is_leaf():
                for child in node.children():
                    walk(child)
        walk(session._query(query))
        return found

    assert PairPhrase in phrases('"tax cut"')  # the body phrase; the title one stays Whoosh's
    assert PairPhrase in phrases('"new york city council"')
    assert PairPhrase not in phrases('"cuts tax"~3')  # words apart: positions needed
    assert PairPhrase not in phrases('title:"tax cut"')
    session._parsed.clear()
    original = ix._ix.schema
    assert schema_vocabulary(original) and PairPhrase not in [
        type(q) for q in [index_pairs.use_pairs(session._query('"tax absentword"'), original)]]


def test_first_page_scores_only_what_can_reach_it(shared, monkeypatch) -> None:
    """A two-word phrase's first page is ranked by phrase_top, which scores a part of the matches only."""
    ix, *_ = shared
    session = ix.searcher()
    scored: list[int] = []
    original = index_search._TopScores.score

    def counting(self, words, docnums, offset, extra) -> None:
        scored.extend(docnums)
        original(self, words, docnums, offset, extra)

    monkeypatch.setattr(index_search._TopScores, "score", counting)
    monkeypatch.setattr(index_search._BulkScores, "of", classmethod(lambda cls, *args: None))
    results = session.search('"new york"', limit=3)
    assert results.total > 100 and scored and len(scored) < results.total / 2
    assert_same(session, monkeypatch, '"new york"')


def test_updates_and_deletions_keep_pairs_exact(tricky, monkeypatch) -> None:
    ix, root, articles, rng = tricky
    changed = articles[50:]  # 50 gone
    changed[:40] = [article(1000 + i, rng) for i in range(40)]  # 40 replaced (new ids)
    changed[40] = dataclasses.replace(changed[40], body="new york city council tax cut " * 3,
                                      content_hash="edited")
    report = ix.update(corpus(root, changed))
    assert report.deleted and report.added and report.updated
    session = ix.searcher()
    assert changed[40].id in session.matching_ids('"york city council tax"')
    monkeypatch.setattr(index_search, "BOUNDED_MIN_LENGTH_RATIO", float("inf"))
    for share in (0.0, float("inf")):  # bulk scores from stretches of blocks, or bounded
        monkeypatch.setattr(index_search, "BOUNDED_MAX_MATCH_SHARE", share)
        for query in ('"tax cut"', '"new york city council"', '"budget budget"', '"tax tax tax"'):
            assert_same(session, monkeypatch, query)


def test_multi_segment_index(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "c"
    root.mkdir()
    rng = random.Random(3)
    articles = [article(i, rng) for i in range(300)]
    ix = CorpusIndex.open(root)
    ix.update(corpus(root, articles[:200]))
    for start in (200, 250):  # two more commits: more segments
        ix.update(corpus(root, articles[:start + 50]))
    session = ix.searcher()
    assert len(list(session._searcher.reader().leaf_readers())) > 1
    for query in ('"tax cut"', '"new york city"', '"minister said"'):
        assert_same(session, monkeypatch, query)
    ix.close()


def test_small_first_build_has_no_pairs_and_phrases_still_work(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "c"
    root.mkdir()
    rng = random.Random(5)
    ix = CorpusIndex.open(root)
    ix.update(corpus(root, [article(i, rng) for i in range(30)]))  # under PAIR_MIN_DOCS
    assert schema_vocabulary(ix._ix.schema) == frozenset()
    session = ix.searcher()
    assert not isinstance(session._query('"tax cut"'), PairPhrase)
    assert session.search('"tax cut"').total > 0
    ix.close()


def test_an_index_without_the_pair_field_is_rebuilt_with_a_message(tmp_path: Path) -> None:
    from whoosh.filedb.filestore import FileStorage

    from briefreader.core.search_query import build_schema
    from briefreader.storage.index import INDEX_NAME

    root = tmp_path / "c"
    root.mkdir()
    rng = random.Random(9)
    articles = [article(i, rng) for i in range(120)]
    ix = CorpusIndex.open(root)
    ix.update(corpus(root, articles))
    location = ix.location
    ix.close()
    # what an older briefreader wrote: the same index without the pair field, schema 3
    for path in location.iterdir():
        path.unlink()
    FileStorage(str(location)).create_index(build_schema(), indexname=INDEX_NAME)
    (location / META_NAME).write_text(json.dumps({"schema": 3, "generation": 0, "files": {}}))
    again = CorpusIndex.open(root)
    assert again.message and "rebuilt" in again.message
    again.update(corpus(root, articles))
    assert schema_vocabulary(again._ix.schema)
    assert again.searcher().search('"tax cut"').total > 0
    again.close()


def test_pair_phrase_on_a_searcher_without_the_field_falls_back(tmp_path: Path) -> None:
    """A PairPhrase asked of an index without the pair field answers as Whoosh's phrase."""
    from whoosh import query as wq
    from whoosh.filedb.filestore import FileStorage

    from briefreader.core.search_query import build_schema

    ix = FileStorage(str(tmp_path)).create_index(build_schema(), indexname="T")
    with ix.writer() as writer:
        writer.add_document(id="1", body="The tax cut came.")
        writer.add_document(id="2", body="Cut the tax.")
    with ix.searcher() as searcher:
        paired = [searcher.stored_fields(d)["id"] for d in searcher.docs_for_query(PairPhrase("body", ["tax", "cut"]))]
        plain = [searcher.stored_fields(d)["id"] for d in searcher.docs_for_query(wq.Phrase("body", ["tax", "cut"]))]
    assert paired == plain == ["1"]


def test_pairs_from_the_noted_body_tokens_equal_a_fresh_analysis() -> None:
    """The pair analyzer reuses the body's tokens only for that very string; either way, the same pairs."""
    from briefreader.storage.index_pairs import BODY_FIELD, PAIRS_FIELD, index_schema

    schema = index_schema({"tax", "cut", "new", "york", "citi"})
    text = "The Tax-cut in New York's city: tax, cut... NEW york city! tax tax cut"
    body_analyzer, pair_analyzer = schema[BODY_FIELD].analyzer, schema[PAIRS_FIELD].analyzer
    fresh = [t.text for t in pair_analyzer(text, mode="index")]
    body = [t.text for t in body_analyzer(text, mode="index")]
    noted = [t.text for t in pair_analyzer(text, mode="index")]
    other = [t.text for t in pair_analyzer("".join(text), mode="index")]  # an equal, distinct string
    assert fresh == noted == other == [
        "tax cut", "cut new", "new york", "york citi", "citi tax", "tax cut", "cut new", "new york", "york citi",
        "citi tax", "tax tax", "tax cut"]
    assert body[:3] == ["tax", "cut", "new"]
    list(body_analyzer(text, mode="index"))
    assert [t.text for t in pair_analyzer("city of New York", mode="index")] == ["citi new", "new york"]


def test_the_rewrite_keeps_every_other_part_of_the_query() -> None:
    from whoosh import query as wq

    from briefreader.storage.index_pairs import index_schema, use_pairs

    schema = index_schema({"tax", "cut", "new", "york"})
    phrase = wq.Phrase("body", ["tax", "cut"])
    kept = wq.Phrase("body", ["tax", "rise"])  # "rise" is not in the vocabulary
    tree = wq.And([
        wq.Or([phrase, wq.Term("title", "x")], minmatch=1, scale=0.5),
        wq.DisjunctionMax([wq.Phrase("body", ["new", "york"]), kept], tiebreak=0.3),
        wq.Not(wq.Phrase("body", ["cut", "tax"])),
        wq.AndNot(wq.Term("body", "a"), wq.Phrase("body", ["york", "tax"], slop=2)),
        wq.ConstantScoreQuery(wq.Phrase("body", ["tax", "cut"]), score=2.0),
    ], boost=1.5)
    out = use_pairs(tree, schema)
    assert out is not tree and out.boost == 1.5
    first, dismax, negated, and_not, constant = out.subqueries
    assert (first.minmatch, first.scale) == (1, 0.5) and type(first.subqueries[0]) is PairPhrase
    assert dismax.tiebreak == 0.3 and type(dismax.subqueries[0]) is PairPhrase and dismax.subqueries[1] is kept
    assert type(negated.query) is PairPhrase
    assert and_not is tree.subqueries[3]  # a phrase with slop 2 stays Whoosh's
    assert type(constant.child) is PairPhrase and constant.score == 2.0
    assert tree.subqueries[0].subqueries[0] is phrase  # the original is untouched
    assert use_pairs(tree, index_schema()) is tree  # no vocabulary: nothing changes


def test_field_lengths_are_read_once_per_segment_and_agree(tricky) -> None:
    """The length cache works on each segment's reader (it silently fell back to Whoosh's per-document
    read before) and gives Whoosh's own lengths."""
    ix, root, articles, rng = tricky
    ix.update(corpus(root, articles + [article(5000 + i, rng) for i in range(30)]))  # a second segment
    session = ix.searcher()
    leaves = [leaf for leaf, _ in session._searcher.reader().leaf_readers()]
    assert len(leaves) > 1
    for leaf in leaves:
        lookup = index_search._length_lookup(leaf, "body")
        assert lookup is not None
        assert [lookup(d) for d in range(leaf.doc_count_all())] == [
            leaf.doc_field_length(d, "body", 1) for d in range(leaf.doc_count_all())]


# --------------------------------------------------------------------------- phrases with a word outside the pairs


def rare_word_articles(rng: random.Random, count: int) -> list[Article]:
    """Articles of the common WORDS, some holding rarer words next to common ones, in either order,
    repeated, at the start or the end of a body, or apart."""
    rare = ["zebra", "quokka's", "Okapi", "okapis", "yak"]
    articles = []
    for number in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(0, 120))]
        for _ in range(rng.choice((0, 0, 1, 3))):
            words.insert(rng.randint(0, len(words)), rng.choice(rare))
        if number % 37 == 0:
            words.append("lonely-aardvark")  # a word of one article (its postings inlined in the term info)
        body = " ".join(words)
        title = " ".join(rng.choice(WORDS + rare) for _ in range(rng.randint(1, 5)))
        articles.append(Article(id=f"r{number}.txt", path=f"r{number}.txt", format="txt",
                                content_hash=f"r{number}-{len(words)}", title=title, body=body,
                                date=f"2025-0{1 + number % 9}-1{number % 10}"))
    return articles


RARE_PHRASES = [
    '"tax zebra"', '"zebra tax"', '"zebra zebra"', '"okapi tax"', '"tax okapis"', '"new york okapi"',
    '"quokka s"', '"yak cut" OR budget', '"cut yak" -budget', 'title:"tax zebra"', '"lonely aardvark"',
    '"tax lonely"', '"aardvark tax"', '"yak yak"', '"zebra absentword"', '"yak said"',
]


@pytest.fixture(scope="module")
def rare(tmp_path_factory):
    root = tmp_path_factory.mktemp("rare") / "c"
    root.mkdir()
    articles = rare_word_articles(random.Random(11), 600)
    ix = CorpusIndex.open(root)
    ix.update(corpus(root, articles[:500]))
    ix.update(corpus(root, articles[40:]))  # a second segment, and deleted documents in the first
    yield ix, root
    ix.close()


@pytest.mark.parametrize("query", RARE_PHRASES)
def test_phrases_with_a_word_outside_the_pairs_equal_the_position_check(rare, monkeypatch, query: str) -> None:
    ix, _ = rare
    session = ix.searcher()
    vocabulary = schema_vocabulary(ix._ix.schema)
    assert vocabulary and "tax" in vocabulary and "zebra" not in vocabulary
    assert len(list(session._searcher.reader().leaf_readers())) > 1
    assert_same(session, monkeypatch, query)


def test_positions_are_read_in_bulk_for_a_phrase_outside_the_pairs(rare, monkeypatch) -> None:
    """phrase_top answers such a phrase (no position check by Whoosh's matcher), and its total
    counts articles with the words side by side only."""
    from whoosh.query import spans

    ix, _ = rare
    session = ix.searcher()
    assert type(session._query('body:"tax zebra"')).__name__ == "Phrase"
    checked: list[int] = []
    original = index_search._adjacent_postings

    def counting(*args, **kwargs):
        found = original(*args, **kwargs)
        checked.append(len(found[0]))
        return found

    monkeypatch.setattr(index_search, "_adjacent_postings", counting)
    monkeypatch.setattr(spans.SpanNear2.SpanNear2Matcher, "_get_spans",
                        lambda self: pytest.fail("Whoosh's position check ran"))
    results = session.search('body:"tax zebra"', limit=5)
    both = session.search("body:tax AND body:zebra", limit=5).total
    assert 0 < results.total == sum(checked) < both
    assert len(results.hits) == 5 and results.hits[0].snippets


def test_a_phrase_check_of_another_format_uses_its_decoder() -> None:
    """The fast position decoders give what Whoosh's own give."""
    from whoosh import formats

    for posting_format, value in ((formats.Characters(), [(3, 10, 14), (7, 40, 44), (8, 45, 49)]),
                                  (formats.Positions(), [3, 7, 8, 120])):
        encoded = posting_format.encode(value)
        whoosh_decoded = posting_format.decode_positions(encoded)
        assert list(index_search._positions_decoder(posting_format)(encoded)) == whoosh_decoded
        assert list(index_search._positions_decoder(posting_format)(encoded.rstrip(b"."))) == whoosh_decoded


@pytest.mark.parametrize("query", ['"tax zebra"', '"zebra zebra"', '"yak cut" OR budget', '"okapi tax"'])
def test_snippets_from_the_read_positions_equal_the_texts(rare, monkeypatch, query: str) -> None:
    """The first page's spans of a phrase read in bulk come from the postings it read; the same
    snippets as re-tokenising the hit bodies (what a common word makes _spans_for do)."""
    ix, _ = rare
    session = ix.searcher()
    monkeypatch.setattr(index_search, "POSTINGS_SNIPPET_MAX_DF", -1)
    assert_same(session, monkeypatch, query)


def test_a_phrase_read_in_bulk_needs_no_second_look_for_its_snippets(rare, monkeypatch) -> None:
    ix, _ = rare
    session = ix.searcher()
    asked: list[int] = []
    original = index_search.SearchSession._spans_for

    def recording(self, docnums, plan, bodies):
        asked.extend(docnums)
        return original(self, docnums, plan, bodies)

    monkeypatch.setattr(index_search.SearchSession, "_spans_for", recording)
    results = session.search('"tax zebra"', limit=10)
    assert results.total > 10 and not asked
    assert all(any(snippet.matches for snippet in hit.snippets) or "zebra" in (hit.title or "").lower()
               for hit in results.hits)
    session.search('"tax cut"', limit=10)  # through its pair: no positions read, spans as before
    assert asked


def test_stretched_bulk_scores_unpack_only_what_may_enter(tmp_path: Path, monkeypatch) -> None:
    """With many matches, bulk scores leave out the stretches of posting blocks whose bound cannot
    reach the page (bounded scores off): here the best matches are all in the first blocks."""
    root = tmp_path / "c"
    root.mkdir()
    rng = random.Random(13)
    others = [word for word in WORDS if "new" not in word.lower() and "york" not in word.lower()]
    articles = []
    for number in range(900):
        words = ["new york"] * (4 if number < 100 else 1) + [rng.choice(others) for _ in range(
            8 if number < 100 else 120)]
        rng.shuffle(words)
        articles.append(Article(id=f"s{number:04d}.txt", path=f"s{number:04d}.txt", format="txt",
                                content_hash=str(number), title="t", body=" ".join(words), date="2025-01-01"))
    ix = CorpusIndex.open(root)
    ix.update(corpus(root, articles))
    session = ix.searcher()
    monkeypatch.setattr(index_search, "BOUNDED_MAX_MATCH_SHARE", 0.0)
    monkeypatch.setattr(index_search, "BOUNDED_MIN_LENGTH_RATIO", float("inf"))
    scored: list[int] = []
    original = index_search._BulkScores._scoring

    def counting(self, extra=None):
        score = original(self, extra)

        def counted(docnum, first, second):
            scored.append(docnum)
            return score(docnum, first, second)
        return counted

    monkeypatch.setattr(index_search._BulkScores, "_scoring", counting)
    results = session.search('body:"new york"', limit=3)
    assert results.total == 900 and 3 <= len(scored) < results.total / 2
    assert_same(session, monkeypatch, 'body:"new york"')
    ix.close()


def test_posting_blocks_read_directly_equal_whooshs_block_walk(rare) -> None:
    """Every body term's posting blocks, read from their headers and unpacked at once (what the
    position check reads), hold exactly the docnums, weights and values Whoosh's own matcher walk
    reads, in both segments (one with deleted documents, whose filter moves the matcher on)."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    ix, _ = rare
    session = ix.searcher()
    leaves = [sub.reader() for sub, _ in session._searcher.leaf_searchers()]
    assert len(leaves) > 1 and any(leaf.has_deletions() for leaf in leaves)
    read_directly = multi_block = weight_kinds = 0
    for leaf in leaves:
        for term in leaf.lexicon("body"):
            raw = leaf.postings("body", term)
            raw = getattr(raw, "child", raw)
            if type(raw) is not W3LeafMatcher:
                continue  # postings inlined in the term info: Whoosh's matcher walk answers
            blocks = index_search._raw_blocks(raw)
            assert blocks is not None, term
            read_directly += 1
            multi_block += len(blocks) > 1
            walked = leaf.postings("body", term)
            walked = getattr(walked, "child", walked)
            for block in blocks:
                ids, weights, values = index_search._unpack_block(raw, block)
                walked._read_ids()
                walked._read_weights()
                walked._read_values()
                assert list(ids) == list(walked._ids) and list(weights) == list(walked._weights), term
                assert list(values) == list(walked._values), term
                assert block.last == walked.block_max_id() and block.postings == walked._blocklength
                weight_kinds |= 1 << min(len(set(weights)), 2)
                walked._next_block()
            assert not walked.is_active()
            whole = index_search._whole_postings(leaf.postings("body", term))
            assert whole[0] == [docnum for docnum in leaf.postings("body", term).all_ids()] or leaf.has_deletions()
    assert read_directly > 20 and multi_block > 3
    assert weight_kinds == 0b110  # blocks of one weight (stored minified) and of several


def test_postings_of_some_documents_equal_whooshs_skip(rare) -> None:
    """The postings of chosen documents (not deleted: what the position check asks for) in a long
    list, read block by block, are those Whoosh's matcher finds by skipping to each."""
    ix, _ = rare
    session = ix.searcher()
    rng = random.Random(5)
    for sub, _ in session._searcher.leaf_searchers():
        leaf = sub.reader()
        for word in ("tax", "york", "zebra"):
            raw = leaf.postings("body", word)
            everyone = list(getattr(raw, "child", raw).all_ids())
            alive = [docnum for docnum in range(leaf.doc_count_all()) if not leaf.is_deleted(docnum)]
            wanted = sorted(rng.sample(alive, 60))
            found = index_search._postings_at(getattr(raw, "child", raw), wanted)
            stepper = leaf.postings("body", word)
            stepper = getattr(stepper, "child", stepper)
            expected = {}
            for docnum in wanted:
                if stepper.is_active() and stepper.id() < docnum:
                    stepper.skip_to(docnum)
                if stepper.is_active() and stepper.id() == docnum:
                    expected[docnum] = (stepper.weight(), stepper.value())
            assert found == expected and set(found) == set(wanted) & set(everyone), word
            assert found or word == "zebra"


def test_values_found_in_a_blocks_pickle_equal_the_unpickled_ones(rare) -> None:
    """Each value of a posting block, found in the block's pickle alone (asked in increasing order,
    some skipped, as the position check asks), is the value unpickling the block gives; long blocks
    (memo indices past 255: the long put) and short ones alike."""
    import pickle
    import zlib

    from whoosh.codec.whoosh3 import W3LeafMatcher

    ix, _ = rare
    session = ix.searcher()
    rng = random.Random(2)
    sizes = set()
    for sub, _ in session._searcher.leaf_searchers():
        leaf = sub.reader()
        for term in leaf.lexicon("body"):
            raw = leaf.postings("body", term)
            raw = getattr(raw, "child", raw)
            if type(raw) is not W3LeafMatcher:
                continue
            for block in index_search._raw_blocks(raw) or []:
                data = raw._postfile.get(block.data_position, block.data_length)
                data = zlib.decompress(data) if block.compression else data
                expected = pickle.loads(data)[2]
                lazy = index_search._PickledValues.of(data)
                if len(expected) < 4:  # TUPLE1..3, no MARK: unpickled whole
                    assert lazy is None
                    continue
                assert lazy is not None
                sizes.add(len(expected) >= 86)  # value 85's put is the first long one (3 puts a value)
                wanted = sorted(rng.sample(range(len(expected)), rng.randint(1, len(expected))))
                assert [lazy[i] for i in wanted] == [expected[i] for i in wanted], term
                assert lazy._all is None  # found, not unpickled whole
    assert sizes == {True, False}


def test_values_of_an_unexpected_pickle_layout_are_unpickled_whole() -> None:
    """A block pickled otherwise (a value repeated: one memo GET; an empty value; asked out of
    order) still gives every value right, through unpickling the block whole."""
    import pickle

    texts = [b"\x00\x00\x00\x02\x80\x02]q\x00(K\x01K\x86K\x04\x87q\x01e.", b"plain", "café".encode("latin-1")]
    shared = b"\x86\x86 repeated object"
    for values in (tuple(texts + [shared, shared, b"last"]), tuple(texts + [b"", b"x" * 300])):
        data = pickle.dumps(((1, 2, 3, 4, 5), None, values), 2)
        lazy = index_search._PickledValues.of(data)
        assert lazy is not None
        assert [lazy[i] for i in range(len(values))] == list(values)
    data = pickle.dumps(((1,) * 8, 1.5, tuple(bytes([i]) * 20 for i in range(8))), 2)
    lazy = index_search._PickledValues.of(data)
    assert lazy is not None and lazy[5] == bytes([5]) * 20 and lazy[2] == bytes([2]) * 20  # backwards
    assert lazy._all is not None  # the second ask found nothing after the first: unpickled whole
    assert [lazy[i] for i in range(8)] == [bytes([i]) * 20 for i in range(8)]
