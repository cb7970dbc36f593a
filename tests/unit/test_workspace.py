"""The Workspace service: what the CLI does through it, it gives any front end the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.cli.main import main
from briefreader.core.export import DEFAULT_PROFILE, brief_summary, render
from briefreader.storage.triage_file import DB_NAME
from briefreader.workspace import ExportOptions, QueryError, QuerySyntaxError, SearchUnavailable, Workspace

ANADOLU = "anadolu-kallas-trap-territory.txt"


def cluster_count(analysis) -> int:  # module level: it runs in the spawned child too
    return len(analysis.clusters)


def test_a_plain_query_needs_no_triage_state(sample_corpus: Path) -> None:
    with Workspace.open(sample_corpus) as ws:
        query = ws.parse_query("kallas status:keep")
        assert query.text == "kallas" and query.filters.status_any == [{"keep"}]
    assert not (sample_corpus / ".briefreader" / DB_NAME).exists()


def test_select_mixes_filters_saved_searches_and_words(sample_corpus: Path) -> None:
    with Workspace.open(sample_corpus) as ws:
        ids = [a.id for a in ws.corpus.articles]
        ws.set_status([ANADOLU, ids[1]], "keep")
        ws.add_tags(ANADOLU, "eu")
        ws.save_search("kept", "status:keep")
        assert ws.select("@kept") == [i for i in ids if i in {ANADOLU, ids[1]}]
        assert ws.select("@kept tag:eu") == [ANADOLU]
        by_words = ws.select("trap")
        assert by_words and set(by_words) < set(ids)
        ws.set_status(by_words[0], "keep")
        kept = {ANADOLU, ids[1], by_words[0]}
        assert ws.select("@kept trap") == [i for i in by_words if i in kept]
        assert ws.select("-status:keep trap") == [i for i in by_words if i not in kept]
        with pytest.raises(QueryError, match="no saved search @nope"):
            ws.select("@nope")
        with pytest.raises(QueryError, match="unknown status"):
            ws.save_search("bad", "status:maybe")
        assert ws.saved_searches() == {"kept": "status:keep"}


def test_export_gives_the_cli_text_and_one_summary(sample_corpus: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open(sample_corpus) as ws:
        article = ws.corpus.get(ANADOLU)
        assert article is not None
        ws.add_highlight(article, 0, 40, comment="lead", tags=["eu"])
        ws.set_status(ANADOLU, "keep")
        assert ExportOptions().profile == DEFAULT_PROFILE
        result = ws.export(ExportOptions(where="tag:eu", title="Brief"))
        assert result.summary == brief_summary(result.brief)
        assert result.text == render(result.brief, "md")
        assert "lead" in result.text
    out = tmp_path / "brief.md"
    assert main(["export", str(sample_corpus), "--where", "tag:eu", "--title", "Brief", "--no-links",
                 "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert " ".join(err.split()).endswith(result.summary)  # the CLI prints the Workspace's one summary
    with Workspace.open(sample_corpus) as ws:
        assert out.read_text(encoding="utf-8") == ws.export(ExportOptions(where="tag:eu", title="Brief")).text


def test_a_bad_index_location_is_one_error(sample_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with Workspace.open(sample_corpus) as ws:
        monkeypatch.setattr(Workspace, "open_index", no_space)
        with pytest.raises(SearchUnavailable, match="cannot search now: disk full") as caught:
            ws.select("kallas")
        assert not caught.value.busy
        assert ws.select("status:new") == [a.id for a in ws.corpus.articles]  # filters need no index


def test_quotes_in_a_child_process_match_the_analysis_here(sample_corpus: Path) -> None:
    with Workspace.open(sample_corpus) as ws:
        here = cluster_count(ws.quote_analysis())
        reports: list[tuple] = []
        in_child = ws.quotes_in_child(cluster_count, isolate_from=1, progress=lambda *v: reports.append(v))
        assert in_child == here and here > 0
        assert ws.quotes_in_child(cluster_count, isolate_from=10**6) == here  # small corpus: analysed here
        assert ws.quotes_in_child(cluster_count, isolate_from=1, cancelled=lambda: True) is None


def test_search_pages_filters_and_words_the_way_the_search_bar_does(sample_corpus: Path) -> None:
    with Workspace.open(sample_corpus) as ws:
        ids = [a.id for a in ws.corpus.articles]
        ws.set_status(ids[:3], "keep")
        only_filters = ws.search("status:keep", None, limit=2)  # no index needed
        assert only_filters.total == 3 and [h.id for h in only_filters.hits] == ids[:2]
        assert [h.id for h in ws.search("status:keep", None, limit=2, page=2).hits] == ids[2:3]
        with pytest.raises(QuerySyntaxError, match="the index is not ready yet"):
            ws.search("status:keep trap", None)
        assert ws.select("trap")  # brings the index up to date
        with ws.open_index() as index:
            session = index.searcher()
            words = ws.search("trap", session, ids_only=True)
            both = ws.search("status:keep trap", session, ids_only=True)
            assert {h.id for h in both.hits} == {h.id for h in words.hits} & set(ids[:3])
            assert both.hits and both.total == len(both.hits) and words.total > both.total


def canonicals(analysis) -> list[str]:  # module level: it runs in the spawned child too
    return [c.canonical for c in analysis.clusters if len(c.variants) > 1]


def test_quote_analyses_judge_with_the_copy_analysis_made_once(tmp_path: Path) -> None:
    """Every quote analysis of a workspace (here, in a child, in the reader's order) uses the one copy
    analysis of its corpus, so a misquote's wire copies never make the misquote the statement."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
    from copies_corpus import FAITHFUL_STATEMENT, misquote_wire_files, write_md_articles

    write_md_articles(tmp_path, misquote_wire_files())
    original = FAITHFUL_STATEMENT[1:FAITHFUL_STATEMENT.index("”")]
    with Workspace.open(tmp_path) as ws:
        ws.load()
        copies = ws.copies_in_child(isolate_from=1)  # the reader's: in a child, then kept
        assert copies is not None and ws.copies_in_child() is copies and ws.copy_analysis(reuse=True) is copies
        assert canonicals(ws.quote_analysis(cached=False)) == [original]
        assert ws.quotes_in_child(canonicals, isolate_from=1) == [original]
        assert ws.quotes_in_child(canonicals, isolate_from=10**6) == [original]
        # without copy detection the three wire copies outvote the original
        assert canonicals(ws.quote_analysis(cached=False, use_copies=False)) != [original]
        ws.use_corpus(ws.load())  # a corpus read again: its copies are analysed again
        assert ws.copy_analysis(reuse=True) is not copies
