"""Grouping renderings of one utterance across articles (briefreader.core.quote_clusters)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefreader.core.model import Article
from briefreader.core.quote_clusters import QuotesCancelled, analyse_quotes


def art(i: int, body: str, outlet: str | None = None, date: str | None = None) -> Article:
    return Article(id=f"a{i}.txt", path=f"a{i}.txt", format="txt", body=body, outlet=outlet or f"Outlet {i}",
                   date=date, order=i)


def together(analysis, *snippets: str) -> bool:
    """Whether the quoted sentences containing each snippet are in one cluster."""
    ids = set()
    for snip in snippets:
        owners = [c.id for c in analysis.clusters for v in c.variants if snip in v.text]
        assert owners, f"no variant contains {snip!r}"
        ids.update(owners)
    return len(ids) == 1


def pair(text_a: str, text_b: str, speaker_a: str = "Nora Lind", speaker_b: str = "Nora Lind"):
    arts = [
        art(0, f"The council met on Monday. “{text_a},” {speaker_a} said after the meeting."),
        art(1, f"A second report followed. “{text_b},” {speaker_b} told reporters."),
    ]
    return analyse_quotes(arts)


A = "We will rebuild the northern railway line before the end of next summer"


@pytest.mark.parametrize(
    "variant",
    [
        "We will rebuild the old northern railway line before the end of next summer",  # word added
        "We shall rebuild the northern railway line before the end of next summer",  # word changed
        "We will rebuild the northern rail line before the end of the coming summer",  # two changed
    ],
)
def test_changed_words_stay_together(variant: str) -> None:
    an = pair(A, variant)
    assert together(an, A[:30], variant[:30]) if variant[:30] != A[:30] else len(an.clusters) == 1


def test_contraction_spelled_out() -> None:
    an = pair("We won't accept a deal that we can't explain to our voters",
              "We will not accept a deal that we cannot explain to our voters")
    assert len(an.clusters) == 1


def test_british_and_american_spelling() -> None:
    an = pair("The organisation will analyse the colour of the water in the harbour centre",
              "The organization will analyze the color of the water in the harbor center")
    assert len(an.clusters) == 1


def test_dropped_clause() -> None:
    an = pair("Our hospitals are full, the staff are exhausted, and the winter has not even started yet",
              "Our hospitals are full and the winter has not even started yet")
    assert len(an.clusters) == 1


def test_reordered_clauses() -> None:
    an = pair("If the bank raises rates again, thousands of families will lose their homes this year",
              "Thousands of families will lose their homes this year if the bank raises rates again")
    assert len(an.clusters) == 1


@pytest.mark.parametrize("partial", ["lose their homes this year",
                                     "the bank raises rates again, thousands of families"])
def test_partial_quote_joins_the_whole_quotation_and_aligns_inside(partial: str) -> None:
    arts = [
        art(0, "“If the bank raises rates again, thousands of families will lose their homes this year,” "
               "Nora Lind said. “We are asking for a freeze.”"),
        art(1, f"Lind warned that families would “{partial}” if nothing changed."),
    ]
    an = analyse_quotes(arts)
    # the interrupted quotation is one rendering, kept whole
    whole = next(v for c in an.clusters for v in c.variants if v.article == "a0.txt")
    assert "thousands of families" in whole.text and "We are asking for a freeze" in whole.text
    assert len(whole.spans) == 2
    assert together(an, "thousands of families will lose", partial)
    variant = next(v for c in an.clusters for v in c.variants if v.text.startswith(partial[:10]))
    assert variant.partial and variant.alteration == "partial"
    canonical = next(c for c in an.clusters if together(an, partial)).canonical
    s, e = variant.canonical_span
    assert canonical[s:e].lower().replace(",", "").startswith(partial.lower().replace(",", "")[:10])
    assert "freeze" not in canonical[s:e]


def test_agency_translation_sharing_half_the_words() -> None:
    an = pair("The government will work with the unions to stop the closures and to make sure the plan is fair",
              "The government will work with the unions so that the closures do not happen and that any plan is fair")
    assert len(an.clusters) == 1


def test_stock_phrase_from_different_speakers_stays_apart() -> None:
    arts = [
        art(0, "“We are monitoring the situation very closely with our partners in the region,” the port chief "
               "Hanna Berg said about the oil spill."),
        art(1, "“We are monitoring the situation very closely with our allies at the border,” defence minister "
               "Tomas Ruiz said about the troop movements."),
    ]
    an = analyse_quotes(arts)
    assert len(an.clusters) == 2


def test_sentences_quoted_apart_join_the_whole_quotation() -> None:
    arts = [
        art(0, "“The factory will close in March. All two hundred workers will be offered new jobs,” "
               "the owner Paul Smit said."),
        art(1, "“The factory will close in March,” Paul Smit said. Later he added: “All two hundred workers "
               "will be offered new jobs.”"),
    ]
    an = analyse_quotes(arts)
    assert len(an.clusters) == 1
    (cluster,) = an.clusters
    assert cluster.canonical.startswith("The factory will close in March. All two hundred")
    parts = [v for v in cluster.variants if v.article == "a1.txt"]
    assert len(parts) == 2 and all(v.partial for v in parts)
    spans = sorted(v.canonical_span for v in parts)
    assert spans[0][1] <= spans[1][0]  # each aligned on its own sentence of the whole quotation


def test_unrelated_quotes_stay_apart() -> None:
    an = pair("The bridge will be closed for repairs until the middle of October",
              "Our team played its best match of the season in front of a full stadium")
    assert len(an.clusters) == 2


def test_variants_ordered_by_date_then_article_order_with_outlets() -> None:
    q = "“Nobody will be left behind in this transition to clean energy,” Eva Kern said."
    arts = [art(0, q, "Late Daily", "2025-03-05"), art(1, q, "Early Post", "2025-03-01"),
            art(2, q, "Undated News", None), art(3, q, "Same Day Times", "2025-03-01")]
    (cluster,) = analyse_quotes(arts).clusters
    assert [v.outlet for v in cluster.variants] == ["Early Post", "Same Day Times", "Late Daily", "Undated News"]
    assert cluster.first.outlet == "Early Post"
    assert cluster.speaker == "Eva Kern"
    assert cluster.canonical == "Nobody will be left behind in this transition to clean energy,"


def test_scare_quotes_are_not_clustered_but_listed() -> None:
    arts = [art(0, "The so-called “peace dividend” was spent long ago, critics say."),
            art(1, "Nobody saw the “peace dividend” arrive.")]
    an = analyse_quotes(arts)
    assert an.clusters == []
    assert [q.text for q in an.scare_quotes] == ["peace dividend", "peace dividend"]
    assert an.quotes_total == 2


def test_candidates_come_from_the_index_not_all_pairs() -> None:
    import random

    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "pe", "da", "go", "fu"]
    vocab = sorted({"".join(rng.choice(syllables) for _ in range(3)) for _ in range(900)})
    common = ["the", "and", "of", "to", "we", "will", "is", "a", "in", "that"]
    arts = []
    for i in range(300):
        words = [rng.choice(vocab) if rng.random() < 0.6 else rng.choice(common) for _ in range(14)]
        arts.append(art(i, f"“{' '.join(words).capitalize()},” Ann Lee said."))
    an = analyse_quotes(arts)
    all_pairs = 300 * 299 // 2
    assert an.stats["scored"] < all_pairs / 20
    assert len(an.clusters) == 300


def test_lookups_for_the_reader() -> None:
    body = "“The harbour will reopen next week after the storm damage is repaired,” the mayor Ida Holm said."
    arts = [art(0, body), art(1, body)]
    an = analyse_quotes(arts)
    (q,) = an.quotes_of("a0.txt")
    (cluster,) = an.clusters_of_quote(q)
    assert an.cluster_at("a0.txt", q.start + 5) is cluster
    assert an.cluster_at("a0.txt", 0) is None
    assert an.cluster(cluster.id) is cluster
    assert an.clusters_of_article("a1.txt") == [cluster]
    assert an.quotes_of("missing.txt") == []


def test_json_contract() -> None:
    body = ("“The harbour will reopen next week after the storm damage is repaired,” the mayor Ida Holm said. "
            "Critics call it a “miracle”.")
    an = analyse_quotes([art(0, body, date="2025-01-02"), art(1, body.split(". ")[0] + ".")])
    data = json.loads(json.dumps(an.to_json()))
    assert set(data) >= {"quotes_total", "clusters", "scare_quotes"}
    (cluster,) = data["clusters"]
    assert set(cluster) >= {"id", "speaker", "canonical", "variants"}
    for v in cluster["variants"]:
        assert set(v) >= {"article", "outlet", "date", "text", "start", "end", "speaker"}
        assert body[v["start"] : v["end"]] == v["text"]
    assert data["scare_quotes"] == [{"article": "a0.txt", "text": "miracle", "start": body.index("miracle"),
                                     "end": body.index("miracle") + 7, "source_start": body.index("miracle"),
                                     "source_end": body.index("miracle") + 7}]
    assert an.to_json(min_articles=3)["clusters"] == []
    assert an.to_json(speaker="holm")["clusters"] and not an.to_json(speaker="nobody")["clusters"]


def test_cache_reuses_extraction_and_survives_corruption(tmp_path: Path) -> None:
    bodies = [f"“Plan number {i} will be ready for the council by the end of the month,” Ada Nyström said."
              for i in range(5)]
    arts = [art(i, b) for i, b in enumerate(bodies)]
    first = analyse_quotes(arts, cache_dir=tmp_path)
    assert first.stats["extracted"] == 5
    again = analyse_quotes(arts, cache_dir=tmp_path)
    assert again.stats.get("from_cache")
    assert again.to_json() == first.to_json()
    # one article changes: only it is extracted again
    arts[2] = art(2, "“A completely different statement about the weather in the mountains today,” Ada Nyström said.")
    changed = analyse_quotes(arts, cache_dir=tmp_path)
    assert changed.stats["extracted"] == 1 and changed.stats["reused"] == 4
    expected = changed.to_json()  # read now: the analysis reads its store lazily, overwritten below
    # a corrupt cache is rebuilt with a warning, never an exception
    for f in tmp_path.iterdir():
        f.write_bytes(b"\x00garbage")
    rebuilt = analyse_quotes(arts, cache_dir=tmp_path)
    assert rebuilt.warnings and rebuilt.to_json() == expected


def test_cancel() -> None:
    arts = [art(i, f"“Statement {i} about the harbour and the railway,” Ada Berg said.") for i in range(10)]
    with pytest.raises(QuotesCancelled):
        analyse_quotes(arts, cancelled=lambda: True)


def test_articles_without_quotes_or_empty() -> None:
    an = analyse_quotes([art(0, ""), art(1, "No quotations here."), art(2, "“”")])
    assert an.quotes_total == 0 and an.clusters == []


def test_quote_modules_never_import_ui_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys, briefreader.core.quote_clusters, briefreader.core.diffing, briefreader.cli.quotes_cmds;"
        "print(sorted(m for m in ('rich', 'textual') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_pairs_for_side_by_side_diffs() -> None:
    from briefreader.core.diffing import diff_words
    from briefreader.core.quote_clusters import iter_pairs

    an = pair("Our hospitals will stay open through the whole winter season",
              "Our hospitals will remain open through the whole winter season")
    (cluster,) = an.clusters
    pairs = list(iter_pairs(cluster))
    assert len(pairs) == 1
    base, other = pairs[0]
    ops = diff_words(base.text, other.text, ignore_punct=True)
    changed = [(op.a_text, op.b_text) for op in ops if op.tag != "equal"]
    assert sorted(changed[0]) == ["remain", "stay"]


def test_random_corpus_never_raises() -> None:
    import random

    rng = random.Random(3)
    pieces = ['"', "“", "”", "«", "»", "'", " ", "\n\n", ",", ".", "said", "she", "Anna Berg", "we", "will", "never",
              "go", "home", "again", "the", "harbour", "plan", "won't"]
    arts = [art(i, " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))) for i in range(200)]
    an = analyse_quotes(arts)
    for c in an.clusters:
        for v in c.variants:
            body = arts[v.order].body
            if len(v.spans) > 1:  # pieces of one quotation: each printed as is, in order, in the text
                at = 0
                for s, e in v.spans:
                    at = v.text.index(body[s:e].strip(), at)
            else:
                assert body[v.start : v.end] == v.text


def test_cluster_speaker_prefers_the_full_name() -> None:
    q = "“Nobody will be left behind in this transition to clean energy,”"
    arts = [art(0, f"{q} Kern said."), art(1, f"{q} Kern said."),
            art(2, f"Energy minister Eva Kern spoke. {q} Eva Kern said.")]
    (cluster,) = analyse_quotes(arts).clusters
    assert cluster.speaker == "Eva Kern"


def test_analysis_leaves_the_loaded_corpus_packed(sample_corpus: Path) -> None:
    """Extraction reads every article's offset map through a transient copy: the loaded articles
    keep their source text and offsets packed (unpacked, they cost about 100 MB per 10k articles)."""
    from briefreader.storage.records import CachedArticle, transient_copy
    from briefreader.workspace.service import Workspace

    workspace = Workspace(sample_corpus)
    articles = workspace.load().articles
    assert all(isinstance(a, CachedArticle) and a._extra is not None for a in articles)
    analysis = workspace.quote_analysis(cached=False, use_copies=False)
    # only an article with a rendering whose source span differs in length from its body span has its
    # offset map read again, when its group is built
    remapped = {q.article_id for quotes in analysis.quotes_by_article.values() for q in quotes
                if q.source_end - q.source_start != q.end - q.start}
    unpacked = {a.id for a in articles if a._extra is None}
    assert unpacked <= remapped
    assert {a.id for a in articles if analysis.quotes_of(a.id)} - unpacked  # quoted and still packed
    # the copy reads the same values; an article already unpacked is handed out as it is
    copy = transient_copy(articles[0])
    assert copy is not articles[0] and copy.body == articles[0].body
    assert copy.offsets.segments == articles[0].offsets.segments  # unpacks the original too
    assert transient_copy(articles[0]) is articles[0]


def test_units_rebuilt_from_the_store_equal_those_extracted() -> None:
    """The analysis keeps only each rendering's article, pieces and sentences while it extracts, and
    rebuilds the units of each group from the store's rows: the rebuilt units are the extracted ones
    (multi-paragraph and interrupted quotations, one wording printed twice with other sentence breaks,
    two articles with one body)."""
    from briefreader.core.quote_cache import QuoteStoreWriter
    from briefreader.core.quote_clusters import _Renderings, _UnitRebuilder
    from briefreader.core.quote_grouping import PhraseIndex, _units_of
    from briefreader.core.quotes import extract_quotes

    same = "“We will not pay, not now and not later,” Nora Lind said. “Never,” she added."
    bodies = [
        "“The plan is dead. We start again,” said Ari Toma.\n\n“Nobody wanted it,\n\n“and nobody will miss it.”",
        same,
        "“We will not pay, not now and not later,” Nora Lind said on Monday.",
        "“We will not pay. Not now and not later,” Nora Lind told the press on Monday.",
        same,
        "“The plan is dead, we start again,” Toma told the committee, “with a new budget.”",
    ]
    articles = [art(i, body) for i, body in enumerate(bodies)]
    from briefreader.core.quote_cache import body_hash

    hashes = [body_hash(a.body) for a in articles]
    writer = QuoteStoreWriter(None)
    index, renderings = PhraseIndex(), _Renderings()
    extracted = []
    for i, article in enumerate(articles):
        quotes = extract_quotes(article.id, article.body)
        writer.add_extraction(hashes[i], quotes)
        units = _units_of(quotes, i)
        extracted.extend(units)
        renderings.add_article(index, units, i)
    assert len(extracted) >= 6 and any(len(u.pieces) > 1 for u in extracted)
    rebuild = _UnitRebuilder(index, renderings, writer, articles, hashes)
    for ui in reversed(range(len(extracted))):  # any order: a group may reach back
        rebuilt, original = rebuild.units([ui])[0], extracted[ui]
        assert same_unit(rebuilt, original)
    # one group reaching every article, with fewer articles kept at hand than it spans
    small = _UnitRebuilder(index, renderings, writer, articles, hashes)
    small.KEEP, small.WINDOW = 2, 1
    everything = list(reversed(range(len(extracted))))
    assert all(same_unit(r, extracted[ui]) for r, ui in zip(small.units(everything), everything, strict=True))
    assert all(same_unit(r, extracted[ui]) for r, ui in zip(small.units(everything[:3]), everything[:3], strict=True))
    writer.abort()


def same_unit(rebuilt, original) -> bool:  # type: ignore[no-untyped-def]
    return (rebuilt.pieces, rebuilt.keys, rebuilt.sentences, rebuilt.start, rebuilt.end, rebuilt.article_pos,
            rebuilt.text) == (original.pieces, original.keys, original.sentences, original.start, original.end,
                              original.article_pos, original.text)
