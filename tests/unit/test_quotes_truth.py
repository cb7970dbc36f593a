"""Quotes of the five seed articles scored against the hand-labelled truth (tests/data/quotes_truth.yaml).

Prints extraction precision/recall, scare-quote precision/recall, speaker accuracy and pairwise
clustering precision/recall (run with ``-s`` to see them); each must be at least 0.9.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest
import yaml

from briefreader.storage.corpus import load_corpus
from briefreader.core.diffing import word_keys
from briefreader.core.quote_clusters import QuoteAnalysis, analyse_quotes

TRUTH = Path(__file__).resolve().parent.parent / "data" / "quotes_truth.yaml"


def _norm(text: str) -> str:
    return " ".join(word_keys(text))


@pytest.fixture(scope="module")
def truth() -> dict:
    return yaml.safe_load(TRUTH.read_text(encoding="utf-8"))


@pytest.fixture
def analysis(sample_corpus: Path) -> QuoteAnalysis:
    corpus = load_corpus(sample_corpus, use_cache=False)
    return analyse_quotes(corpus.articles)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def extraction_scores(analysis: QuoteAnalysis, truth: dict) -> dict[str, float]:
    aliases = truth["aliases"]
    tp = n_pred = n_true = 0
    scare_tp = scare_pred = scare_true = 0
    speaker_ok = speaker_total = 0
    for alias, labelled in truth["quotes"].items():
        article = aliases[alias]
        predicted = analysis.quotes_of(article)
        n_pred += len(predicted)
        n_true += len(labelled)
        scare_pred += sum(q.scare for q in predicted)
        scare_true += sum(bool(t.get("scare")) for t in labelled)
        pool = Counter(_norm(t["text"]) for t in labelled)
        by_text = {_norm(t["text"]): t for t in labelled}
        for q in predicted:
            key = _norm(q.text)
            if pool[key] > 0:
                pool[key] -= 1
                tp += 1
                t = by_text[key]
                if q.scare and t.get("scare"):
                    scare_tp += 1
                if not t.get("scare") and t.get("speaker"):
                    speaker_total += 1
                    speaker_ok += q.speaker == t["speaker"]
    return {
        "extraction_precision": _ratio(tp, n_pred),
        "extraction_recall": _ratio(tp, n_true),
        "scare_precision": _ratio(scare_tp, scare_pred),
        "scare_recall": _ratio(scare_tp, scare_true),
        "speaker_accuracy": _ratio(speaker_ok, speaker_total),
    }


def clustering_scores(analysis: QuoteAnalysis, truth: dict) -> dict[str, float]:
    aliases = truth["aliases"]
    units = [(v.article, _norm(v.text), c.id) for c in analysis.clusters for v in c.variants]
    used: set[int] = set()
    # items: (predicted cluster or None, truth cluster or None)
    items: list[tuple[str | None, int | None]] = []
    for t_index, cluster in enumerate(truth["clusters"]):
        for member in cluster["members"]:
            ((alias, snippet),) = member.items()
            article, key = aliases[alias], _norm(snippet)
            found = None
            for i, (art, text, _cid) in enumerate(units):
                if i not in used and art == article and (key in text or text in key):
                    found = i
                    break
            if found is None:
                items.append((None, t_index))
            else:
                used.add(found)
                items.append((units[found][2], t_index))
    items.extend((cid, None) for i, (_, _, cid) in enumerate(units) if i not in used)
    tp = pred = true = 0
    for (pa, ta), (pb, tb) in itertools.combinations(items, 2):
        same_pred = pa is not None and pa == pb
        same_true = ta is not None and ta == tb
        pred += same_pred
        true += same_true
        tp += same_pred and same_true
    return {"cluster_pair_precision": _ratio(tp, pred), "cluster_pair_recall": _ratio(tp, true)}


def test_seed_quotes_against_hand_labelled_truth(analysis: QuoteAnalysis, truth: dict) -> None:
    scores = extraction_scores(analysis, truth) | clustering_scores(analysis, truth)
    print()
    for name, value in scores.items():
        print(f"  {name:24s} {value:.3f}")
    for name in ("extraction_precision", "extraction_recall", "cluster_pair_precision", "cluster_pair_recall"):
        assert scores[name] >= 0.9, (name, scores[name])
    assert scores["scare_precision"] >= 0.8 and scores["scare_recall"] >= 0.8
    assert scores["speaker_accuracy"] >= 0.8


def test_truth_file_covers_every_seed_article(truth: dict, sample_corpus: Path) -> None:
    corpus = load_corpus(sample_corpus, use_cache=False)
    assert set(truth["aliases"].values()) == {a.id for a in corpus.articles}
    for alias, labelled in truth["quotes"].items():
        body = _norm(corpus.get(truth["aliases"][alias]).body)
        for t in labelled:
            assert _norm(t["text"]) in body, (alias, t["text"])


def test_scorer_penalises_wrong_clusters(analysis: QuoteAnalysis, truth: dict) -> None:
    """The scorer itself can fail: merging everything into one cluster must ruin precision."""
    from dataclasses import replace

    merged = replace(analysis.clusters[0], variants=[v for c in analysis.clusters for v in c.variants])
    broken = QuoteAnalysis(analysis.quotes_total, [merged], analysis.scare_quotes, analysis.quotes_by_article)
    assert clustering_scores(broken, truth)["cluster_pair_precision"] < 0.5
