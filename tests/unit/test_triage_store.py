"""Triage store: statuses, tags, notes, highlights, journal/undo, filters, resume, versions, damage."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from briefreader.core import paths
from briefreader.core.model import Article, OffsetMap
from briefreader.core.query import matches, parse_filters, split_filters
from briefreader.core.snapshots import cluster_snapshot
from briefreader.core.triage_model import ArticleState, StoreDamagedError, StoreVersionError, TriageError
from briefreader.storage.triage_file import DB_NAME, SCHEMA_VERSION
from briefreader.storage.triage_store import TriageStore, open_store

BODY = (
    "BRUSSELS, 17 (EUROPA PRESS)\n\n"
    "The EU foreign policy chief warned against forcing Ukraine to give up territory.\n\n"
    "\u201cThis is a trap that Russia wants us to walk into,\u201d she told the BBC.\n\n"
    "Kallas said Russia has not made any concessions yet."
)


def make_article(aid: str = "a.txt", body: str = BODY, **kw) -> Article:
    return Article(id=aid, path=aid, format="txt", body=body, content_hash=hashlib.sha1(body.encode()).hexdigest(),
                   **kw)


class Clock:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"2025-09-01T10:00:{self.n:02d}.000Z"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / DB_NAME


@pytest.fixture
def store(db: Path):
    s = TriageStore(db, clock=Clock())
    yield s
    s.close()


# --------------------------------------------------------------------------- statuses, tags, notes


def test_defaults_for_untouched_article(store: TriageStore) -> None:
    st = store.get("nothing.txt")
    assert (st.status, st.tags, st.note, st.highlights) == ("new", [], "", 0)


def test_bulk_status_tags_and_note(store: TriageStore) -> None:
    store.set_status(["a.txt", "b.txt", "c.txt"], "keep")
    store.set_status("c.txt", "follow_up")  # alias
    store.add_tags(["a.txt", "b.txt"], "sanctions, EU")
    store.add_tags("a.txt", ["eu", "Energy"])  # 'eu' duplicates 'EU' case-insensitively
    store.set_note("b.txt", "  check the date  ")
    states = store.states(["a.txt", "b.txt", "c.txt", "d.txt"])
    assert states["a.txt"].tags == ["Energy", "EU", "sanctions"]
    assert states["b.txt"].note == "check the date"
    assert states["c.txt"].status == "follow-up"
    assert states["d.txt"].status == "new"
    store.remove_tags(["a.txt", "b.txt"], "SANCTIONS")
    assert store.get("a.txt").tags == ["Energy", "EU"]
    assert store.get("b.txt").tags == ["EU"]
    assert store.all_tags() == [("Energy", 1), ("EU", 2)]
    assert store.complete_tag("e") == ["EU", "Energy"]  # most used first


def test_unknown_status_and_empty_input_are_refused(store: TriageStore) -> None:
    with pytest.raises(TriageError, match="unknown status 'kep'"):
        store.set_status("a.txt", "kep")
    with pytest.raises(TriageError, match="no article"):
        store.set_status([], "keep")
    with pytest.raises(TriageError, match="no tag"):
        store.add_tags("a.txt", " , ")
    assert store.journal() == []


def test_mark_read_only_touches_new_articles_and_is_skipped_by_undo(store: TriageStore) -> None:
    store.set_status("a.txt", "keep")
    assert store.mark_read(["a.txt", "b.txt"]) is not None
    assert store.get("a.txt").status == "keep"
    assert store.get("b.txt").status == "read"
    assert store.mark_read("b.txt") is None  # nothing changed, nothing journalled
    undone = store.undo()
    assert [e.action for e in undone] == ["status"]
    assert store.get("a.txt").status == "new"
    assert store.get("b.txt").status == "read"


# --------------------------------------------------------------------------- journal and undo


def test_every_action_is_journalled_with_its_time(store: TriageStore) -> None:
    art = make_article()
    store.set_status("a.txt", "keep")
    store.add_tags("a.txt", "x")
    store.set_note("a.txt", "n")
    h = store.add_highlight(art, 40, 60)
    store.update_highlight(h.id, comment="c")
    store.delete_highlight(h.id)
    entries = store.journal()
    assert [e.action for e in entries] == ["delete-highlight", "edit-highlight", "highlight", "note", "tag", "status"]
    times = [e.time for e in entries]
    assert times == sorted(times, reverse=True) and all(t.startswith("2025-09-01T") for t in times)


def test_undo_restores_previous_state_step_by_step(store: TriageStore) -> None:
    art = make_article()
    store.set_status(["a.txt", "b.txt"], "keep")
    store.set_status(["a.txt"], "discard")
    store.add_tags(["a.txt", "b.txt"], "x")
    h = store.add_highlight(art, 40, 60, comment="first")
    store.delete_highlight(h.id)

    assert [e.action for e in store.undo()] == ["delete-highlight"]
    back = store.highlight(h.id)
    assert back is not None and back.comment == "first" and back.id == h.id
    assert [e.action for e in store.undo(2)] == ["highlight", "tag"]
    assert store.highlights() == []
    assert store.get("a.txt").tags == [] and store.get("b.txt").tags == []
    store.undo()
    assert store.get("a.txt").status == "keep"
    store.undo()
    assert store.get("a.txt").status == "new" and store.get("b.txt").status == "new"
    assert store.undo() == []
    assert store.journal()[0].action == "undo"


def test_undo_of_note_and_highlight_edit(store: TriageStore) -> None:
    art = make_article()
    store.set_note("a.txt", "one")
    store.set_note("a.txt", "two")
    h = store.add_highlight(art, 40, 60, tags=["a"])
    store.update_highlight(h.id, comment="c", tags=["b", "c"])
    store.add_highlight_tags(h.id, ["d", "b"])
    assert store.highlight(h.id).tags == ["b", "c", "d"]
    store.undo()
    assert store.highlight(h.id).tags == ["b", "c"]
    store.undo()
    assert store.highlight(h.id).tags == ["a"] and store.highlight(h.id).comment == ""
    store.undo(2)
    assert store.get("a.txt").note == "one"


# --------------------------------------------------------------------------- highlights


def test_highlight_records_anchor_offsets_and_provenance(store: TriageStore) -> None:
    source = "HEADER\n" + BODY
    art = make_article(source=source, offsets=OffsetMap([(0, 7, len(BODY))]))
    start = BODY.index("trap that Russia")
    end = start + len("trap that Russia wants us to walk into")
    h = store.add_highlight(art, start - 1, end + 1, comment=" key ", tags=["framing"])  # leading space trimmed
    assert h.exact == "trap that Russia wants us to walk into,"
    assert (h.start, h.comment, h.tags) == (start, "key", ["framing"])
    h = store.add_highlight(art, start, end)
    assert h.exact == "trap that Russia wants us to walk into"
    assert h.prefix == BODY[start - 32 : start] and h.suffix == BODY[end : end + 32]
    assert (h.source_start, h.source_end) == (start + 7, end + 7)
    assert source[h.source_start : h.source_end] == h.exact
    assert h.paragraph == 3
    assert h.content_hash == art.content_hash
    assert store.get("a.txt").highlights == 2
    assert sorted(x.id for x in store.highlights_at("a.txt", start + 3)) == [1, 2]
    assert [x.id for x in store.highlights_at("a.txt", end)] == [1]
    with pytest.raises(TriageError, match="empty"):
        store.add_highlight(art, 5, 5)
    with pytest.raises(TriageError, match="no highlight"):
        store.update_highlight(99, comment="x")


def test_reattach_after_the_text_changes(store: TriageStore) -> None:
    art = make_article()
    s1 = BODY.index("trap that Russia")
    h_moved = store.add_highlight(art, s1, s1 + len("trap that Russia wants us to walk into"))
    s2 = BODY.index("Russia has not made")
    h_edit = store.add_highlight(art, s2, s2 + len("Russia has not made any concessions yet"))
    s3 = BODY.index("foreign policy chief")
    h_gone = store.add_highlight(art, s3, s3 + len("foreign policy chief warned against forcing Ukraine"),
                                 comment="keep me")

    new_body = (
        "Updated 18:00\n\nA new opening paragraph was added here.\n\n"
        + BODY.replace("Russia has not made any concessions yet", "Russia has still not made any concession yet")
        .replace("The EU foreign policy chief warned against forcing Ukraine to give up territory.",
                 "Paragraph removed entirely.")
    )
    changed = make_article(body=new_body)
    results = {r.highlight.id: r for r in store.reattach(changed)}
    moved = results[h_moved.id]
    assert moved.resolution.state == "moved" and moved.changed
    assert new_body[moved.highlight.start : moved.highlight.end] == "trap that Russia wants us to walk into"
    edited = results[h_edit.id]
    assert edited.resolution.state == "fuzzy"
    assert new_body[edited.highlight.start : edited.highlight.end] == "Russia has still not made any concession yet"
    assert edited.highlight.original_exact == "Russia has not made any concessions yet"
    gone = results[h_gone.id]
    assert gone.resolution.state == "orphan"
    # Orphans are kept, listed, with their text and comment.
    assert [h.id for h in store.orphans()] == [h_gone.id]
    assert store.highlight(h_gone.id).exact.startswith("foreign policy chief")
    assert store.highlight(h_gone.id).comment == "keep me"
    # Putting the old text back brings the orphan back.
    store.reattach(art)
    assert store.orphans() == []
    assert store.highlight(h_gone.id).start == s3


# --------------------------------------------------------------------------- filters


def test_split_filters_keeps_the_rest_for_full_text_search() -> None:
    f, rest = split_filters('russia status:keep,fu tag:"middle east" outlet:bbc -status:discard has:note "gas deal"')
    assert rest == 'russia outlet:bbc "gas deal"'
    assert f.status_any == [{"keep", "follow-up"}]
    assert f.status_not == {"discard"}
    assert f.tag_any == [{"middle east"}]
    assert f.has == {"note"}
    assert f.describe() == 'status:follow-up,keep -status:discard tag:"middle east" has:note'
    f2, rest2 = split_filters("status:keep")
    assert rest2 == "" and f2
    f3, rest3 = split_filters("mystatus:keep tag:")
    assert not f3 and rest3 == "mystatus:keep tag:"


def test_filter_errors_are_clear() -> None:
    with pytest.raises(TriageError, match="unknown status 'kept2'"):
        split_filters("status:kept2")
    with pytest.raises(TriageError, match="has:"):
        split_filters("has:wings")
    with pytest.raises(TriageError, match="not a triage filter"):
        parse_filters("status:keep russia")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status:keep", True),
        ("status:discard", False),
        ("status:keep,discard", True),
        ("-status:keep", False),
        ("tag:sanctions", True),
        ("tag:SANCTIONS tag:eu", True),
        ("tag:sanctions tag:energy", False),
        ("tag:energy,eu", True),
        ("-tag:eu", False),
        ("has:note", True),
        ("has:highlight", False),
        ("-has:highlight", True),
        ("has:tags", True),
        ('note:"the date"', True),
        ("note:missing", False),
        ("is:keep", True),
    ],
)
def test_matches(query: str, expected: bool) -> None:
    state = ArticleState("a.txt", status="keep", tags=["EU", "sanctions"], note="Check the date")
    assert matches(parse_filters(query), state) is expected


def test_tag_filter_also_sees_highlight_tags(store: TriageStore) -> None:
    store.add_highlight(make_article("h.txt"), 40, 60, tags=["Energy"])
    store.add_tags("t.txt", "energy")
    assert store.get("h.txt").highlight_tags == ["Energy"]
    assert store.filter_ids(parse_filters("tag:energy"), ["a.txt", "h.txt", "t.txt"]) == ["h.txt", "t.txt"]
    assert store.filter_ids(parse_filters("-tag:energy"), ["a.txt", "h.txt", "t.txt"]) == ["a.txt"]


def test_filter_ids_includes_untouched_articles_as_new(store: TriageStore) -> None:
    store.set_status("b.txt", "keep")
    store.add_tags("c.txt", "x")
    ids = ["a.txt", "b.txt", "c.txt"]
    assert store.filter_ids(parse_filters("status:new"), ids) == ["a.txt", "c.txt"]
    assert store.filter_ids(parse_filters("status:new -tag:x"), ids) == ["a.txt"]
    assert store.filter_ids(parse_filters(""), ids) == ids


# --------------------------------------------------------------------------- quote clusters, resume


def test_chosen_cluster_snapshot_and_undo(store: TriageStore) -> None:
    cluster = {
        "id": "q7",
        "speaker": "Kallas",
        "canonical": "Russia does not want peace",
        "variants": [
            {"article": "a.txt", "outlet": "A", "date": "2025-08-20", "text": "Russia does not want peace",
             "start": 3, "end": 29},
            {"article": "b.txt", "outlet": "B", "date": "2025-08-21", "text": "Russia doesn't want peace",
             "start": 9, "end": 34},
        ],
    }
    c = store.choose_cluster(cluster, titles={"a.txt": "Title A"})
    assert c.variants[0]["title"] == "Title A" and c.variants[1]["title"] is None
    assert store.is_chosen("q7")
    store.choose_cluster(cluster, note="lead item")  # again: refreshed, same place
    assert [x.note for x in store.chosen_clusters()] == ["lead item"]
    store.undo()
    assert [x.note for x in store.chosen_clusters()] == [""]
    store.unchoose_cluster("q7")
    assert store.chosen_clusters() == []
    store.undo()
    assert store.is_chosen("q7")
    with pytest.raises(TriageError):
        cluster_snapshot({"id": "x", "variants": []})


def test_resume_state_round_trip(store: TriageStore) -> None:
    assert store.resume_state().article_id is None
    store.save_resume("b.txt", "status:keep russia", 12.5, {"sort": "date"})
    r = store.resume_state()
    assert (r.article_id, r.filter, r.scroll, r.extra) == ("b.txt", "status:keep russia", 12.5, {"sort": "date"})
    assert store.journal() == []  # navigation is not an action


# --------------------------------------------------------------------------- persistence and safety


def test_restart_keeps_everything(db: Path) -> None:
    art = make_article()
    with TriageStore(db) as s:
        s.set_status(["a.txt", "b.txt"], "follow-up")
        s.add_tags("a.txt", ["x", "y"])
        s.set_note("b.txt", "note")
        h = s.add_highlight(art, 40, 60, comment="c", tags=["t"])
        s.save_resume("a.txt", "tag:x", 3.0)
        s.choose_cluster({"id": "q", "canonical": "c", "variants": [{"article": "a.txt", "text": "c"}]})
    with TriageStore(db) as s:
        assert s.get("a.txt").status == "follow-up" and s.get("a.txt").tags == ["x", "y"]
        assert s.get("b.txt").note == "note"
        assert s.highlight(h.id) == h
        assert s.resume_state().filter == "tag:x"
        assert len(s.chosen_clusters()) == 1
        assert len(s.journal()) == 5
        s.undo()
        assert s.chosen_clusters() == []


def test_wal_mode_and_schema_version(db: Path) -> None:
    TriageStore(db).close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()


def _bytes_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_newer_schema_is_refused_and_left_untouched(db: Path) -> None:
    with TriageStore(db) as s:
        s.set_status("a.txt", "keep")
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    before = _bytes_of(db.parent)
    with pytest.raises(StoreVersionError, match="newer briefreader"):
        TriageStore(db)
    assert _bytes_of(db.parent) == before


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "zeroed-page"],
)
def test_damaged_file_is_refused_and_left_untouched(db: Path, damage: str) -> None:
    with TriageStore(db) as s:
        s.set_status([f"article-{i:05d}.txt" for i in range(2000)], "keep")  # one action, many pages
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()
    data = db.read_bytes()
    if damage == "garbage":
        db.write_bytes(b"this is not a database at all\n" * 10)
    elif damage == "truncated":
        db.write_bytes(data[: len(data) // 3])
    else:
        page = 4096
        db.write_bytes(data[: page * 2] + b"\xff" * page + data[page * 3 :])
    before = _bytes_of(db.parent)
    with pytest.raises(StoreDamagedError, match="left untouched"):
        TriageStore(db)
    assert _bytes_of(db.parent) == before


def test_foreign_sqlite_file_is_refused(db: Path) -> None:
    db.parent.mkdir(parents=True)
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE other (x)")
    con.commit()
    con.close()
    before = db.read_bytes()
    with pytest.raises(StoreDamagedError, match="did not write"):
        TriageStore(db)
    assert db.read_bytes() == before


def test_store_lives_in_the_corpus_state_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with open_store(corpus) as s:
        assert s.in_corpus and s.path == corpus / ".briefreader" / DB_NAME
        s.set_status("a.txt", "keep")
    with open_store(corpus) as s:
        assert s.get("a.txt").status == "keep"


def _simulate_read_only(monkeypatch: pytest.MonkeyPatch, corpus: Path) -> None:
    """Make `state_dir` see ``corpus`` as read-only (chmod does not stop root, who runs CI here)."""
    real_access = paths.os.access
    real_writable = paths._writable

    def access(p, mode, *a, **kw):  # type: ignore[no-untyped-def]
        if Path(p).resolve() in (corpus.resolve(), (corpus / ".briefreader").resolve()):
            return False
        return real_access(p, mode, *a, **kw)

    def writable(folder: Path) -> bool:
        if Path(folder).resolve().is_relative_to(corpus.resolve()):
            return False
        return real_writable(folder)

    monkeypatch.setattr(paths.os, "access", access)
    monkeypatch.setattr(paths, "_writable", writable)


def test_read_only_corpus_falls_back_to_the_per_user_folder(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _simulate_read_only(monkeypatch, corpus)
    with open_store(corpus) as s:
        assert not s.in_corpus
        assert s.path.is_relative_to(isolated_home)
        s.set_status("a.txt", "keep")
    assert not (corpus / ".briefreader").exists()
    with open_store(corpus) as s:
        assert s.get("a.txt").status == "keep"


def test_read_only_corpus_with_its_own_state_starts_from_a_copy(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with open_store(corpus) as s:
        s.set_status("a.txt", "keep")
    inside = corpus / ".briefreader" / DB_NAME
    before = inside.read_bytes()
    _simulate_read_only(monkeypatch, corpus)
    with open_store(corpus) as s:
        assert not s.in_corpus and s.seeded_from == inside
        assert s.get("a.txt").status == "keep"
        s.set_status("b.txt", "discard")
    assert inside.read_bytes() == before


@pytest.mark.skipif(hasattr(__import__("os"), "geteuid") and __import__("os").geteuid() == 0,
                    reason="root ignores permissions")
def test_read_only_corpus_for_real(tmp_path: Path, isolated_home: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    corpus.chmod(0o555)
    try:
        with open_store(corpus) as s:
            assert not s.in_corpus and s.path.is_relative_to(isolated_home)
    finally:
        corpus.chmod(0o755)


def test_changed_elsewhere_sees_another_connection(db: Path) -> None:
    a = TriageStore(db)
    b = TriageStore(db)
    assert not a.changed_elsewhere()
    b.set_status("x.txt", "keep")
    assert a.changed_elsewhere()
    assert not a.changed_elsewhere()
    assert a.get("x.txt").status == "keep"
    a.close()
    b.close()


def test_a_locked_store_gives_a_clear_error_and_changes_nothing(db: Path) -> None:
    TriageStore(db).close()
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    s = TriageStore(db, timeout=0.2)
    with pytest.raises(TriageError, match="busy"):
        s.set_status("a.txt", "keep")
    blocker.execute("ROLLBACK")
    blocker.close()
    assert s.get("a.txt").status == "new" and s.journal() == []
    s.set_status("a.txt", "keep")  # and it works again once the other writer is done
    assert s.get("a.txt").status == "keep"
    s.close()


def test_highlights_for_paints_only_attached_ones(store: TriageStore) -> None:
    art = make_article()
    keep = store.add_highlight(art, *(lambda i: (i, i + 4))(BODY.index("trap")))
    gone = store.add_highlight(art, *(lambda i: (i, i + 22))(BODY.index("foreign policy chief")))
    changed = make_article(body=BODY.replace("The EU foreign policy chief warned", "Someone warned"))
    assert [h.id for h in store.highlights_for(changed)] == [keep.id]
    assert [h.id for h in store.orphans()] == [gone.id]


def test_cluster_snapshot_from_objects() -> None:
    from briefreader.core.quote_clusters import QuoteCluster, Variant

    cluster = QuoteCluster("q1", "X", "", [Variant("a.txt", "A", "2025-08-01", "we will not", 3, 14, None),
                                          Variant("b.txt", None, None, "we won't", 0, 8, None)])
    snap = cluster_snapshot(cluster, titles={"b.txt": "B title"})
    assert snap["id"] == "q1" and snap["speaker"] == "X" and snap["canonical"] == "we will not"
    assert [v["article"] for v in snap["variants"]] == ["a.txt", "b.txt"]
    assert snap["variants"][1]["title"] == "B title" and snap["variants"][0]["start"] == 3
    assert cluster_snapshot(cluster.to_dict(), titles={"b.txt": "B title"}) == snap  # the JSON form: the same


def test_saved_searches_expand_nest_and_undo(store: TriageStore) -> None:
    store.save_search("hot", "status:keep,follow-up")
    store.save_search("@hot-eu", "@hot tag:eu ceasefire")
    assert store.saved_searches() == {"hot": "status:keep,follow-up", "hot-eu": "@hot tag:eu ceasefire"}
    assert store.expand_saved("@hot-eu -tag:done") == "status:keep,follow-up tag:eu ceasefire -tag:done"
    assert store.expand_saved("email me@example.org") == "email me@example.org"  # not a saved-search word
    with pytest.raises(TriageError, match="no saved search @nope"):
        store.expand_saved("@nope")
    with pytest.raises(TriageError, match="one-word name"):
        store.save_search("two words", "status:keep")
    with pytest.raises(TriageError, match="unknown status"):
        store.save_search("bad", "status:kep")
    store.save_search("loop", "@loop")
    with pytest.raises(TriageError, match="loop"):
        store.expand_saved("@loop")
    store.delete_search("loop")
    store.undo()
    assert "loop" in store.saved_searches()
    store.undo(2)
    assert "loop" not in store.saved_searches() and "hot-eu" not in store.saved_searches()


def test_note_filter_searches_notes_and_highlight_comments(store: TriageStore) -> None:
    art = make_article("h.txt")
    store.add_highlight(art, 40, 60, comment="Compare with the TASS wording")
    store.set_note("n.txt", "Ask the desk about TASS")
    ids = ["h.txt", "n.txt", "x.txt"]
    assert store.filter_ids(parse_filters("note:tass"), ids) == ["h.txt", "n.txt"]
    assert store.filter_ids(parse_filters('note:"tass wording"'), ids) == ["h.txt"]
    assert store.get("h.txt").comments == ["Compare with the TASS wording"]


def test_an_action_that_changes_nothing_is_not_journalled(store: TriageStore) -> None:
    assert store.set_status("a.txt", "keep").changed
    again = store.set_status("a.txt", "keep")
    assert not again.changed and again.id == 0
    assert store.add_tags("a.txt", "x").changed
    assert not store.add_tags("a.txt", "X").changed  # same tag, other case
    assert [e.action for e in store.journal()] == ["tag", "status"]
    store.undo()
    store.undo()
    assert store.get("a.txt") == ArticleState("a.txt")
    assert [e.action for e in store.journal()][:2] == ["undo", "undo"]
