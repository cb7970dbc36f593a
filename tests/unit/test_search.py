"""Searching the index: query language, dates, snippets, highlights, paging, filters, sessions."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from briefreader.storage import index as index_module
from briefreader.storage import index_search
from briefreader.core import search_query
from briefreader.storage.corpus import Corpus
from briefreader.storage.index import CorpusIndex, QuerySyntaxError, make_snippets
from briefreader.core.model import Article

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
sys.path.insert(0, str(HELPERS))

from index_fixtures import make_corpus  # noqa: E402

TEXTS = {
    "trap.txt": dict(
        title="Kallas warns of a trap", outlet="Anadolu Agency", date="2025-08-22", author="Staff Writer",
        dateline="LONDON",
        body="The EU foreign policy chief warned against forcing Ukraine to give up territory.\n\n"
             "“If we walk into this trap that we are putting the pressure on Ukraine, we will see this again,” "
             "Kaja Kallas said. Negotiations are stalled.\n\nThe strongest security guarantee is a strong army."),
    "peace.md": dict(
        title="Putin does not want peace", outlet="Europa Press", date="2025-08", author="Ana Ruiz",
        dateline="BRUSSELS",
        body="Russia does not want peace, Kallas said after the summit in Alaska. She called the summit a trap "
             "for Europe and asked for security guarantees. The negotiators were walking out."),
    "nodate.txt": dict(
        title="Gardens of Geneva", outlet="Geneva Times", date="--08-17", author=None, dateline="GENEVA",
        body="Flowers bloom in the gardens of Geneva every summer. Walk along the lake to see them."),
    "undated.txt": dict(
        title="Weather report", outlet="Geneva Times", date=None, author=None, dateline=None,
        body="Storms are expected over the Alps. Security services prepared flood barriers."),
    "july.txt": dict(
        title="Summit plans", outlet="Daily Courier", date="2025-07-30", author="Ana Ruiz", dateline="WASHINGTON",
        body="Officials prepared the Alaska summit. Peace talks and security guarantees were on the agenda."),
    "year.txt": dict(
        title="Year in review", outlet="Daily Courier", date="2024", author=None, dateline=None,
        body="A long year of negotiation, sanctions and summit diplomacy."),
}


def corpus_of(root: Path) -> Corpus:
    articles = [Article(id=i, path=i, format="txt", content_hash=i, **fields) for i, fields in TEXTS.items()]
    return Corpus(root=root, articles=articles)


@pytest.fixture
def session(tmp_path: Path):
    root = tmp_path / "c"
    root.mkdir()
    ix = CorpusIndex.open(root)
    ix.update(corpus_of(root))
    s = ix.searcher()
    yield s
    ix.close()


def ids(session, query: str, **kw) -> list[str]:
    return [h.id for h in session.search(query, limit=50, **kw).hits]


# --------------------------------------------------------------------------- the query language


@pytest.mark.parametrize("query,expected", [
    ("kallas", {"trap.txt", "peace.md"}),
    ("Kallas AND alaska", {"peace.md"}),
    ("kallas OR flowers", {"trap.txt", "peace.md", "nodate.txt"}),
    ("kallas NOT alaska", {"trap.txt"}),
    ("security -storms", {"trap.txt", "peace.md", "july.txt"}),
    ("date:2025-07 -summit", set()),  # Whoosh's AndNot leaked the first document here
    ("outlet:courier -summit", set()),
    ("outlet:courier -review", {"july.txt"}),
    ("+kallas +alaska", {"peace.md"}),
    ("eu-wide OR foreign-policy", {"trap.txt"}),
    ('"security guarantees"', {"trap.txt", "peace.md", "july.txt"}),  # "security guarantee is" (stems)
    ('"guarantees security"', set()),
    ("\u201csecurity guarantees\u201d", {"trap.txt", "peace.md", "july.txt"}),  # pasted curly quotes
    ("negotiation", {"trap.txt", "peace.md", "year.txt"}),  # stemmed: Negotiations, negotiators
    ("negotiations*", {"trap.txt", "peace.md", "year.txt"}),  # prefix also tries the stem
    ("negotiat*", {"trap.txt", "peace.md", "year.txt"}),  # negotiators too
    ("walk*", {"trap.txt", "peace.md", "nodate.txt"}),
    ("gard?ns", {"nodate.txt"}),
    ("kalas~", {"trap.txt", "peace.md"}),
    ("title:summit", {"july.txt"}),
    ("outlet:geneva", {"nodate.txt", "undated.txt"}),
    ('outlet:"europa press"', {"peace.md"}),
    ("source:anadolu", {"trap.txt"}),
    ('author:"ana ruiz"', {"peace.md", "july.txt"}),
    ("place:geneva", {"nodate.txt"}),
    ("dateline:london", {"trap.txt"}),
    ("path:peace.md", {"peace.md"}),
    ("id:trap.txt", {"trap.txt"}),
    ("(summit OR gardens) AND outlet:courier", {"july.txt", "year.txt"}),
])
def test_query_language(session, query: str, expected: set[str]) -> None:
    assert set(ids(session, query)) == expected


@pytest.mark.parametrize("query,expected", [
    ("date:2025-08-22", {"trap.txt"}),
    ("date:2025-08", {"trap.txt", "peace.md"}),
    ("date:2025", {"trap.txt", "peace.md", "july.txt"}),
    ("date:2024", {"year.txt"}),
    ("date:[2025-08-01 to 2025-08-31]", {"trap.txt", "peace.md"}),
    ("date:[2025-07-15 to 2025-09-01]", {"trap.txt", "peace.md", "july.txt"}),
    ("date:[2025-08-10 to 2025-08-25]", {"trap.txt"}),  # a month-only date is not inside these days
    ("date:2025-08-17", set()),  # "--08-17" has no year; "2025-08" has no day
    ("date:[20250801 to 20250831]", {"trap.txt", "peace.md"}),
    ("date:[2025-08-01 TO 2025-08-31]", {"trap.txt", "peace.md"}),
    ("date:[2025-08-01 to]", {"trap.txt", "peace.md"}),
    ("date:[to 2025-07-31]", {"july.txt", "year.txt"}),
    ("date:>2025-07-31", {"trap.txt", "peace.md"}),
    ("date:<2025-08-01", {"july.txt", "year.txt"}),
    ("kallas date:2025-08", {"trap.txt", "peace.md"}),
    ("security NOT date:2025-08", {"july.txt", "undated.txt"}),
])
def test_dates_match_by_containment(session, query: str, expected: set[str]) -> None:
    assert set(ids(session, query)) == expected


@pytest.mark.parametrize("query,words", [
    ('"walk into', "quote"),
    ("(kallas OR peace", "not closed"),
    ("kallas)", "closes nothing"),
    ("(kallas]", "does not match '('"),
    ("date:[2025-08-01 to 2025-08-31", "not closed"),
    ("colour:red", "unknown field 'colour:'"),
    ("title:", "needs a value"),
    ("kallas title: peace", "needs a value"),
    ("date:yesterday", "date 'yesterday' not understood"),
    ("date:2025-13", "date '2025-13' not understood"),
    ("date:[2025-08-01 until 2025-09-01]", "not understood"),
    ("a*", "too broad"),
    ("*ing", "too broad"),
    ("   ", "empty"),
])
def test_syntax_errors_say_what_was_not_understood(session, query: str, words: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        session.search(query)
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_quoted_colons_and_brackets_are_plain_text(session) -> None:
    assert ids(session, '"colour:red (x"') == []


def test_wildcard_expanding_to_too_many_words_is_refused(session, monkeypatch) -> None:
    monkeypatch.setattr(search_query, "MAX_EXPANSION", 2)
    with pytest.raises(QuerySyntaxError, match="too many different words"):
        session.search("se*")
    assert set(ids(session, "gard*")) == {"nodate.txt"}


# --------------------------------------------------------------------------- results


def test_hits_carry_metadata_and_scores_ranked(session) -> None:
    results = session.search("kallas")
    assert results.total == 2 and results.page == 1 and results.pagelen == 20
    first = results.hits[0]
    assert first.id == "trap.txt" and first.path == "trap.txt"  # the title match ranks first
    assert (first.title, first.outlet, first.date) == ("Kallas warns of a trap", "Anadolu Agency", "2025-08-22")
    assert results.hits[0].score >= results.hits[1].score > 0


def test_snippet_offsets_point_into_the_body(session) -> None:
    body = TEXTS["trap.txt"]["body"]
    hit = session.search('kallas "walk into" negotiation').hits[0]
    assert hit.id == "trap.txt"
    assert 1 <= len(hit.snippets) <= index_module.SNIPPETS_PER_HIT
    matched = set()
    for snippet in hit.snippets:
        assert body[snippet.start:snippet.end] == snippet.text
        for start, end in snippet.matches:
            assert snippet.start <= start < end <= snippet.end
            matched.add(body[start:end])
    assert {"Kallas", "walk into", "Negotiations"} <= matched


def test_snippet_for_a_match_outside_the_body_is_the_opening(session) -> None:
    hit = session.search("outlet:anadolu").hits[0]
    assert hit.snippets[0].start == 0 and hit.snippets[0].matches == []
    assert TEXTS["trap.txt"]["body"].startswith(hit.snippets[0].text)


def test_snippets_can_be_skipped(session) -> None:
    assert all(h.snippets == [] for h in session.search("kallas", snippets=False).hits)


def test_make_snippets_picks_dense_passages_at_word_boundaries() -> None:
    body = ("Filler words here. " * 30) + "The trap and the peace deal. " + ("More filler text. " * 30) + "A trap."
    t1 = body.index("trap")
    p1 = body.index("peace")
    t2 = body.rindex("trap")
    snippets = make_snippets(body, [(t1, t1 + 4), (p1, p1 + 5), (t2, t2 + 4)], count=2, width=120)
    assert len(snippets) == 2
    assert snippets[0].matches == [(t1, t1 + 4), (p1, p1 + 5)]  # two distinct words beat one
    for s in snippets:
        assert body[s.start:s.end] == s.text
        assert s.start == 0 or body[s.start - 1] in " \n"
        assert s.end == len(body) or body[s.end] in " \n"
        assert len(s.text) <= 130


def test_sort_by_date_newest_first_undated_last(session) -> None:
    found = ids(session, "security OR summit OR flowers", sort="date")
    assert found[:4] == ["trap.txt", "peace.md", "july.txt", "year.txt"]
    assert set(found[4:]) == {"nodate.txt", "undated.txt"}
    with pytest.raises(ValueError):
        session.search("kallas", sort="title")


def test_paging(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    with CorpusIndex.open(root) as ix:
        ix.update(make_corpus(root, 45))
        s = ix.searcher()
        pages = [s.search("report", limit=20, page=p, snippets=False) for p in (1, 2, 3, 4)]
        assert [r.total for r in pages] == [45] * 4
        assert [len(r.hits) for r in pages] == [20, 20, 5, 0]
        seen = [h.id for r in pages for h in r.hits]
        assert len(set(seen)) == 45
        ix.update(make_corpus(root, index_module.MAX_PAGE_SIZE + 5))
        assert len(s.search("report", limit=10_000).hits) == index_module.MAX_PAGE_SIZE


def test_allowed_ids_restrict_results(session) -> None:
    results = session.search("security", allowed_ids={"july.txt", "trap.txt", "gone.txt"})
    assert {h.id for h in results.hits} == {"july.txt", "trap.txt"} and results.total == 2
    assert session.search("security", allowed_ids=set()).total == 0
    assert session.search("security", allowed_ids={"nodate.txt"}).total == 0


# --------------------------------------------------------------------------- highlights in the reader


def test_match_spans_cover_every_occurrence(session) -> None:
    body = "Kallas met KALLAS fans. Walking, walks and a walk into the trap; not the peace."
    spans = session.match_spans("x", body, 'kallas walk* "into trap" NOT peace')
    words = [body[s:e] for s, e in spans]
    assert words == ["Kallas", "KALLAS", "Walking", "walks", "walk", "into the trap"]  # not "peace"
    assert all(s < e for s, e in spans) and spans == sorted(spans)


def test_match_spans_phrase_and_stems(session) -> None:
    body = "Security guarantees matter. Guarantees of security do not."
    spans = session.match_spans("x", body, '"security guarantees"')
    assert [body[s:e] for s, e in spans] == ["Security guarantees"]
    spans = session.match_spans("x", body, "guarantee")
    assert [body[s:e] for s, e in spans] == ["guarantees", "Guarantees"]


def test_match_spans_rejects_bad_queries(session) -> None:
    with pytest.raises(QuerySyntaxError):
        session.match_spans("x", "text", '"open')


# --------------------------------------------------------------------------- sessions


def test_session_reuses_one_searcher(session) -> None:
    searcher = session._searcher
    for q in ("kallas", "peace", "walk*", "kallas"):
        session.search(q)
    assert session._searcher is searcher


def test_session_sees_commits_from_another_index_object(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(index_search, "REFRESH_CHECK_SECONDS", 0.0)
    root = tmp_path / "c"
    root.mkdir()
    reader_ix = CorpusIndex.open(root)
    reader_ix.update(make_corpus(root, 5))
    session = reader_ix.searcher()
    assert session.search("report").total == 5
    with CorpusIndex.open(root) as writer_ix:  # stands for another process
        writer_ix.update(make_corpus(root, 8))
    assert session.search("report").total == 8
    reader_ix.close()


def test_search_from_a_thread_while_updating_in_another(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    ix = CorpusIndex.open(root)
    ix.update(make_corpus(root, 50))
    session = ix.searcher()
    errors: list[BaseException] = []
    totals: list[int] = []

    def searching() -> None:
        try:
            for _ in range(40):
                totals.append(session.search("report minister", limit=5).total)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=searching)
    thread.start()
    ix.update(make_corpus(root, 300))
    thread.join()
    assert not errors
    assert session.search("report").total == 300
    ix.close()


def test_core_does_not_import_ui_libraries() -> None:
    code = ("import sys, briefreader.storage.index, briefreader.core.search_query; "
            "print([m for m in ('textual', 'rich') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_fast_tokenizer_agrees_with_the_index_analyzer() -> None:
    from briefreader.core.search_query import body_tokens, build_schema

    analyzer = build_schema()["body"].analyzer
    text = (" ".join(fields["body"] for fields in TEXTS.values())
            + " The U.S. and e.g. 3.5% of **bold** words, naïve Straße, ÉLAN, l'Europe, it's x y 2025-08-17,"
            " co-operation\n\nTHE END… Владимир Путин; 東京 snake_case 1,000.50 A. B.")
    expected = [(t.text, t.pos, t.startchar, t.endchar)
                for t in analyzer(text, positions=True, chars=True, mode="index")]
    assert body_tokens(text) == expected


@pytest.mark.parametrize("query", ["kallas", '"security guarantees" walk*', "summit negotiation", "ka?las trap"])
def test_snippets_from_postings_and_from_text_agree(session, monkeypatch, query: str) -> None:
    monkeypatch.setattr(index_search, "POSTINGS_SNIPPET_MAX_DF", 10**9)
    from_postings = [(h.id, h.snippets) for h in session.search(query).hits]
    session._parsed.clear()
    monkeypatch.setattr(index_search, "POSTINGS_SNIPPET_MAX_DF", -1)
    from_text = [(h.id, h.snippets) for h in session.search(query).hits]
    assert from_postings == from_text
    assert any(s.matches for _, snippets in from_text for s in snippets)


def test_allowed_ids_large_and_small_sets_agree(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    with CorpusIndex.open(root) as ix:
        corpus = make_corpus(root, 400)
        ix.update(corpus)
        s = ix.searcher()
        small = {a.id for a in corpus.articles[:40]}
        big = {a.id for a in corpus.articles[:300]} | {"missing.txt"}
        assert {h.id for h in s.search("report", allowed_ids=small, limit=200).hits} == small
        results = s.search("report", allowed_ids=big, limit=200)
        assert results.total == 300 and {h.id for h in results.hits} <= big
        assert {h.id for h in s.search("report", allowed_ids=small, limit=200).hits} == small


def test_a_cancelled_search_stops_and_says_so(tmp_path) -> None:
    """Search-as-you-type abandons the previous keystroke's search: it must stop while collecting."""
    import pytest

    from briefreader.storage.corpus import load_corpus
    from briefreader.storage.index import CorpusIndex, SearchCancelled

    for i in range(600):
        (tmp_path / f"a{i:04d}.txt").write_text(f"Title {i}\n\nThe minister spoke about report {i}.\n", "utf-8")
    corpus = load_corpus(tmp_path)
    index = CorpusIndex.open(tmp_path)
    index.update(corpus)
    session = index.searcher()
    polls: list[int] = []

    def cancelled() -> bool:
        polls.append(1)
        return len(polls) > 1  # the second poll says stop

    with pytest.raises(SearchCancelled):
        session.search("minister", limit=10, snippets=False, cancelled=cancelled)
    with pytest.raises(SearchCancelled):
        polls.clear()
        session.search("minister", limit=10, snippets=False, cancelled=cancelled,
                       allowed_ids={a.id for a in corpus.articles})
    results = session.search("minister", limit=10, snippets=False, cancelled=lambda: False)
    assert results.total == 600
    allowed = {corpus.articles[0].id, corpus.articles[1].id}
    assert session.search("minister", limit=10, snippets=False, cancelled=lambda: False,
                          allowed_ids=allowed).total == 2  # the filter still applies
    index.close()


def test_ids_only_hits_match_full_hits(tmp_path) -> None:
    from briefreader.storage.corpus import load_corpus
    from briefreader.storage.index import CorpusIndex

    for i in range(40):
        (tmp_path / f"a{i:03d}.txt").write_text(
            f"Title {i}\n\nThe minister spoke {i % 7} times about {'peace ' * (i % 5)}.\n", "utf-8")
    corpus = load_corpus(tmp_path)
    index = CorpusIndex.open(tmp_path)
    index.update(corpus)
    session = index.searcher()
    for query in ("minister", "peace", "minister peace"):
        for sort in ("score", "date"):
            full = session.search(query, limit=15, snippets=False, sort=sort)
            lean = session.search(query, limit=15, snippets=False, sort=sort, ids_only=True)
            assert lean.total == full.total
            assert [(h.id, round(h.score, 6)) for h in lean.hits] == [(h.id, round(h.score, 6)) for h in full.hits]
    index.close()


def test_date_sort_on_a_corpus_without_any_date(tmp_path) -> None:
    """No article has a date: --sort date still answers (in score order) instead of failing."""
    from briefreader.storage.corpus import load_corpus
    from briefreader.storage.index import CorpusIndex

    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"Note {i}\n\nThe minister spoke.\n", "utf-8")
    corpus = load_corpus(tmp_path)
    assert not any(a.date for a in corpus.articles)
    with CorpusIndex.open(tmp_path) as index:
        index.update(corpus)
        results = index.searcher().search("minister", sort="date", snippets=False)
        assert results.total == 3 and len(results.hits) == 3


def test_matching_ids_is_every_match_in_one_pass(tmp_path) -> None:
    from briefreader.storage.corpus import load_corpus
    from briefreader.storage.index import MAX_PAGE_SIZE, CorpusIndex

    n = MAX_PAGE_SIZE * 2 + 17  # more than two pages of ranked results
    for i in range(n):
        word = "minister" if i % 3 else "envoy"
        (tmp_path / f"a{i:04d}.txt").write_text(f"Note {i}\n\nThe {word} spoke.\n", "utf-8")
    corpus = load_corpus(tmp_path)
    with CorpusIndex.open(tmp_path) as index:
        index.update(corpus)
        session = index.searcher()
        expected = {a.id for a in corpus.articles if "minister" in a.body}
        found = session.matching_ids("minister")
        assert len(found) == len(set(found)) and set(found) == expected
        allowed = {a.id for a in corpus.articles[:50]}
        assert set(session.matching_ids("minister", allowed_ids=allowed)) == expected & allowed
        assert session.matching_ids("minister", allowed_ids=set()) == []


def test_publisher_and_wire_agency_filter_separately(tmp_path: Path) -> None:
    root = tmp_path / "wire"
    root.mkdir()
    articles = [
        Article(id="a.txt", path="a.txt", format="txt", content_hash="a", outlet="Breitbart", source_agency="AP",
                body="Senators voted on the budget."),
        Article(id="b.txt", path="b.txt", format="txt", content_hash="b", outlet="Breitbart",
                body="Senators voted on the budget again."),
        Article(id="c.txt", path="c.txt", format="txt", content_hash="c", outlet="AP", source_agency="AP",
                body="Senators voted on the budget today."),
    ]
    with CorpusIndex.open(root) as ix:
        ix.update(Corpus(root=root, articles=articles))
        s = ix.searcher()
        assert {h.id for h in s.search("agency:AP").hits} == {"a.txt", "c.txt"}
        assert {h.id for h in s.search("wire:ap senators").hits} == {"a.txt", "c.txt"}
        assert {h.id for h in s.search("outlet:breitbart").hits} == {"a.txt", "b.txt"}
        assert {h.id for h in s.search("outlet:breitbart agency:AP").hits} == {"a.txt"}
