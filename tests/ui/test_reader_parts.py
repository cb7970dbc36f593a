"""Plain tests of the reader's non-widget parts: theme files, config/keymap, text rendering,
the quote-analysis adapter and list sorting."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rich.style import Style

from briefreader.core.model import Article, RemovedBlock
from briefreader.core.quote_grouping import PIECE_GAP
from briefreader.tui.commands import (
    COMMANDS,
    COMMANDS_BY_ID,
    EXPORT,
    HIGHLIGHTS,
    NOTE,
    VISUAL,
    app_bindings,
    display_keys,
    scope_bindings,
)
from briefreader.tui.config import load_config, remember_theme
from briefreader.tui.render import body_text, diff_pair, fallback_title, raw_text
from briefreader.tui.themes import APP_VARIABLES, load_themes, shipped_themes_dir, theme_from_dict
from briefreader.tui.widgets.article_list import sort_articles

STYLES = {name: Style(bold=True) for name in (
    "quote", "quote-variant", "quote-current", "hit", "hit-current", "removed", "removed-reason",
    "added", "changed", "context")}


def test_every_command_has_a_unique_id_and_a_binding() -> None:
    ids = [c.id for c in COMMANDS]
    assert len(ids) == len(set(ids))
    bindings = app_bindings() + [b for scope in (VISUAL, HIGHLIGHTS, NOTE, EXPORT) for b in scope_bindings(scope)]
    assert sorted(b.id for b in bindings) == sorted(ids)  # each command bound once: app-wide or in its mode
    assert all(b.description for b in bindings)
    assert display_keys("right_square_bracket,question_mark") == "], ?"


def test_shipped_themes_load_and_define_every_reader_colour() -> None:
    loaded = load_themes([shipped_themes_dir()])
    assert loaded.problems == []
    names = {t.name for t in loaded.themes}
    assert {"briefreader-dark", "briefreader-light", "briefreader-high-contrast"} <= names
    for theme in loaded.themes:
        assert set(APP_VARIABLES) <= set(theme.variables), theme.name


@pytest.mark.parametrize("data, problem", [
    ({"primary": "#123456"}, "missing name"),
    ({"name": "x"}, "missing primary"),
    ({"name": "x", "primary": "blurple"}, "not a colour"),
    ({"name": "x", "primary": "#123456", "dark": "yes"}, "dark"),
    ({"name": "x", "primary": "#123456", "variables": {"br-nope": "#fff"}}, "unknown reader colour"),
    ({"name": "x", "primary": "#123456", "variables": {"br-hit": "nope"}}, "not a colour"),
    ({"name": "x", "primary": "#123456", "colour": "#fff"}, "unknown key"),
    (["not", "a", "mapping"], "mapping"),
])
def test_bad_theme_data_is_rejected_with_a_reason(data: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        theme_from_dict(data)


def test_broken_theme_files_are_collected_not_raised(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text("name: good\nprimary: '#101010'\n")
    (tmp_path / "bad.yml").write_text("name: [\n")
    loaded = load_themes([tmp_path, tmp_path / "missing"])
    assert [t.name for t in loaded.themes] == ["good"]
    assert len(loaded.problems) == 1 and loaded.problems[0].startswith("bad.yml")


def test_config_keymap_and_remembered_theme(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(yaml.safe_dump({
        "theme": "briefreader-light",
        "keymap": {"search": ["slash", "ctrl+f"], "quit": "q, ctrl+q", "bogus": "z", "help": ""},
    }))
    config = load_config(set(COMMANDS_BY_ID), tmp_path)
    assert config.theme == "briefreader-light"
    assert config.keymap == {"search": "slash,ctrl+f", "quit": "q,ctrl+q"}
    assert any("bogus" in p for p in config.problems) and any("help" in p for p in config.problems)
    assert remember_theme("briefreader-high-contrast", tmp_path) is None
    assert load_config(set(COMMANDS_BY_ID), tmp_path).theme == "briefreader-high-contrast"


def test_broken_config_gives_a_problem_and_defaults(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("keymap: [unclosed\n")
    config = load_config(set(COMMANDS_BY_ID), tmp_path)
    assert config.keymap == {} and config.theme is None
    assert len(config.problems) == 1 and "not valid YAML" in config.problems[0]


def _article(body: str, **kw: object) -> Article:
    return Article(id="a.txt", path="a.txt", format="txt", body=body, **kw)  # type: ignore[arg-type]


def test_fallback_title_is_the_first_words() -> None:
    assert fallback_title(_article("one two three four five six seven eight nine ten"), 3) == "one two three …"
    assert fallback_title(_article("short"), 8) == "short"


def test_raw_text_dims_removed_blocks_and_gives_reasons() -> None:
    source = "Share this\nReal text here.\nSubscribe now\n"
    article = _article("Real text here.", source=source, removed=[
        RemovedBlock("Share this\n", "share widget", 0, 11),
        RemovedBlock("Subscribe now\n", "newsletter prompt", 27, 41),
    ])
    text = raw_text(article, STYLES)
    plain = text.plain
    assert "Share this ⟦removed: share widget⟧\n" in plain
    assert "Real text here." in plain
    assert "Subscribe now ⟦removed: newsletter prompt⟧" in plain
    removed_spans = [s for s in text.spans if s.style == STYLES["removed"]]
    assert [plain[s.start:s.end] for s in removed_spans][0] == "Share this"


def test_body_text_marks_quotes_and_hits() -> None:
    from briefreader.tui.quote_model import QuoteMark

    body = 'He said "peace is far" and "war goes on".'
    marks = [QuoteMark("a.txt", 9, 21, "peace is far"), QuoteMark("a.txt", 28, 39, "war goes on")]
    styles = dict(STYLES, **{"quote": Style(color="blue"), "quote-variant": Style(color="yellow"),
                             "hit": Style(bgcolor="red"), "quote-current": Style(underline=True)})
    text = body_text(_article(body), marks, [False, True], 1, [(9, 14)], None, styles)
    spans = {(s.start, s.end, str(s.style)) for s in text.spans}
    assert (9, 21, str(styles["quote"])) in spans
    assert (28, 39, str(styles["quote-variant"])) in spans
    assert (28, 39, str(styles["quote-current"])) in spans
    assert (9, 14, str(styles["hit"])) in spans


def test_diff_pair_word_changes_and_partial_quotes() -> None:
    a = "Putin continues to drag out the negotiations and hopes to get his way"
    b = "Putin continues to drag out negotiations and hopes he gets away with it"
    diff = diff_pair(a, b)
    assert diff.changed_words > 0 and not diff.partial
    assert any(a[s:e] == "the" for s, e, kind in diff.a_spans if kind == "removed")
    assert all(kind in ("added", "changed") for _, _, kind in diff.b_spans)
    same = diff_pair("Hello world", "hello world")
    assert same.changed_words == 0 and same.summary() == "identical"
    long = "the strongest security guarantee is a strong Ukrainian army and nothing else will do"
    partial = diff_pair("a strong Ukrainian army", long)
    assert partial.partial == "a"
    assert partial.changed_words == 0
    context = [long[s:e] for s, e, kind in partial.b_spans if kind == "context"]
    assert context and context[0].startswith("the strongest")


def _quote_data(workspace, **kwargs):
    """The reader's quote data, made as the reader makes it (here below the child-process size)."""
    from briefreader.tui.quote_source import quote_data_from_analysis

    kwargs.setdefault("isolate_from", 10**6)
    return workspace.quotes_in_child(quote_data_from_analysis, **kwargs)


def test_quote_adapter_on_the_sample_corpus(sample_corpus: Path) -> None:
    from briefreader.workspace import Workspace

    workspace = Workspace(sample_corpus)
    corpus = workspace.load()
    data = _quote_data(workspace)
    assert data is not None and data.total > 0
    for article_id, marks in data.by_article.items():
        body = corpus.get(article_id).body
        for mark in marks:
            assert 0 <= mark.start < mark.end <= len(body)
            assert body[mark.start:mark.end] == mark.text
        assert marks == sorted(marks, key=lambda m: (m.start, -m.end))
    shared = [c for c in data.clusters.values() if len(c.articles) > 1]
    assert shared, "the sample corpus quotes the same sentences in several outlets"
    for cluster in shared:
        for r in cluster.variants:
            # a rendering is a whole quotation: its pieces (the halves of an interrupted quotation,
            # the paragraphs of a multi-paragraph one, the partial quotes of one narrated sentence)
            # joined by a space, or by PIECE_GAP where the narration cut a sentence
            body = corpus.get(r.article).body
            assert r.spans and r.spans[0][0] == r.start and r.spans[-1][1] == r.end
            assert " ".join(body[s:e] for s, e in r.spans) == r.text.replace(PIECE_GAP, " ")
        dated = [r.date for r in cluster.variants if r.date]
        assert dated == sorted(dated)  # ordered by date (undated last)


def test_sort_articles_keeps_missing_values_last() -> None:
    arts = [_article("x", date=d, outlet=o, title=t) for d, o, t in
            [("2025-08-02", "B", "b"), (None, "A", None), ("2025-08-01", None, "a")]]
    for i, a in enumerate(arts):
        a.order = i
    assert [a.date for a in sort_articles(arts, "date", True)] == ["2025-08-02", "2025-08-01", None]
    assert [a.date for a in sort_articles(arts, "date", False)] == ["2025-08-01", "2025-08-02", None]
    assert [a.outlet for a in sort_articles(arts, "outlet", False)] == ["A", "B", None]
    assert [a.title for a in sort_articles(arts, "title", False)] == ["a", "b", None]
    assert [a.order for a in sort_articles(arts, "file", False)] == [0, 1, 2]


def test_lone_quotations_are_plain_marks(sample_corpus: Path) -> None:
    from briefreader.workspace import Workspace

    data = _quote_data(Workspace(sample_corpus))
    assert data.clusters and all(len(c.variants) > 1 for c in data.clusters.values())
    marks = [m for ms in data.by_article.values() for m in ms]
    assert any(m.cluster_id is None and not m.scare for m in marks)  # quoted by one article only
    # one mark per quotation piece: the sample's 48 quotations, less the one nested inside another
    assert data.total == 47
    assert all(m.cluster_id in data.clusters for m in marks if m.cluster_id is not None)


def test_quote_analysis_in_a_child_process_gives_the_same_data(sample_corpus: Path, monkeypatch) -> None:
    from briefreader.workspace import Workspace

    workspace = Workspace(sample_corpus)
    corpus = workspace.load()
    progress: list[tuple[int, int]] = []

    def no_fallback(*args, **kwargs):
        raise AssertionError("the analysis ran in the reader's process")

    monkeypatch.setattr(Workspace, "_quote_analysis", no_fallback)  # the spawned child is not patched
    isolated = _quote_data(workspace, isolate_from=1, progress=lambda d, t: progress.append((d, t)))
    monkeypatch.undo()
    in_process = _quote_data(workspace)
    assert isolated is not None and isolated.by_article == in_process.by_article
    assert isolated.clusters.keys() == in_process.clusters.keys()
    assert [r for c in isolated.clusters.values() for r in c.variants] == \
        [r for c in in_process.clusters.values() for r in c.variants]
    from briefreader.core.quote_clusters import QuoteCluster

    assert all(isinstance(c, QuoteCluster) for c in isolated.clusters.values())  # core's model: what a brief stores
    assert progress and progress[-1] == (len(corpus.articles), len(corpus.articles))


def test_child_analysis_of_a_changed_corpus_is_not_used(sample_corpus: Path) -> None:
    """A file changed after the reader loaded it: the child sees another corpus, so the analysis
    runs in the reader on what the reader shows (offsets must fit the bodies on screen)."""
    from briefreader.workspace import Workspace

    workspace = Workspace(sample_corpus)
    corpus = workspace.load()
    victim = next(p for p in sorted(sample_corpus.iterdir()) if p.suffix in (".txt", ".md"))
    new_quote = 'Prefix. "A brand new quotation appears here," she said.\n\n'
    victim.write_text(new_quote + victim.read_text("utf-8"), "utf-8")
    data = _quote_data(workspace, isolate_from=1)
    assert data is not None
    for article_id, marks in data.by_article.items():
        body = corpus.get(article_id).body
        assert all(body[m.start:m.end] == m.text for m in marks)
    assert not any("brand new quotation" in m.text for ms in data.by_article.values() for m in ms)


def test_cancelled_child_analysis_stops_at_once(sample_corpus: Path) -> None:
    import time

    from briefreader.workspace import Workspace

    workspace = Workspace(sample_corpus)
    workspace.load()
    workspace.copy_analysis()  # made before: the cancel is seen by the quote analysis itself
    started = time.perf_counter()
    assert _quote_data(workspace, isolate_from=1, cancelled=lambda: True) is None
    assert time.perf_counter() - started < 5


async def test_full_garbage_collections_wait_for_a_pause_in_typing(sample_corpus: Path, monkeypatch) -> None:
    import gc
    import time as clock

    from briefreader.tui.app import GC_IDLE_SECONDS, GC_MAX_SECONDS, ReaderApp, defer_full_gc

    saved = gc.get_threshold()
    try:
        defer_full_gc()
        assert gc.get_threshold()[:2] == saved[:2] and gc.get_threshold()[2] >= 1_000_000
    finally:
        gc.set_threshold(*saved)
    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *args: collected.append(1) or 0)
    app = ReaderApp(sample_corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        now = clock.monotonic()
        app.idle_gc.last_input, app.idle_gc.last_full_gc = now, now - 5  # typing right now
        app.idle_gc.tick()
        assert not collected
        await pilot.press("j")
        assert app.idle_gc.last_input > now  # keys count as typing
        app.idle_gc.last_input = clock.monotonic() - GC_IDLE_SECONDS - 0.1  # a pause
        app.idle_gc.tick()
        assert len(collected) == 1
        idle_gc = app.idle_gc  # typing for long
        idle_gc.last_input, idle_gc.last_full_gc = clock.monotonic(), clock.monotonic() - GC_MAX_SECONDS - 1
        app.idle_gc.tick()
        assert len(collected) == 2
