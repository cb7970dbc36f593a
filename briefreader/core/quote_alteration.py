"""Building one group (part of :mod:`briefreader.core.quote_clusters`): its canonical text, its
speaker, and each rendering's alteration class against the original statement (the earliest
independent rendering; copies count once, a misquote vouches for nothing).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from rapidfuzz.distance import Indel

from briefreader.core.dates import date_sort_key
from briefreader.core.diffing import align, classify_alteration, spelling_index
from briefreader.core.model import Article
from briefreader.core.quote_grouping import KNOWN_SPEAKER_CONFIDENCE, _id_codes, _Unit, rendering_text, speaker_key
from briefreader.core.quote_records import QuoteCluster, Variant
from briefreader.core.quotes import Quote

#: How many of a group's longest renderings a rendering is compared with to class its alteration.
ALTERATION_REFERENCES = 4


# ---------------------------------------------------------------------------------------------
# Building clusters


def _date_key(date: str | None) -> tuple[int, str]:
    # dates with a year first, then partial ones ("---17"), then none: a partial date is never earliest
    return date_sort_key(date)


def _build_cluster(members: list[_Unit], articles: Sequence[Article],
                   original_of: Callable[[str], str] | None = None) -> QuoteCluster:
    """One group: its canonical text, and each rendering's class against the original statement.

    ``original_of(article_id)`` (copy detection: the original an article republishes, else itself)
    makes copies one rendering: a copy is never the reference and never vouches for another copy."""
    def source_of(u: _Unit) -> str:
        art_id = articles[u.article_pos].id
        return original_of(art_id) if original_of is not None else art_id

    # canonical: the medoid among the longest independent renderings (copies of one article are one
    # rendering: three copies of a misquote do not outvote the statement)
    max_len = max(len(u.keys) for u in members)
    pool = [u for u in members if len(u.keys) >= 0.8 * max_len]
    independent = [u for u in pool if source_of(u) == articles[u.article_pos].id] or pool
    if len(independent) > 1:
        sample = independent[:40]
        similarity: dict[tuple[int, int], float] = {}  # the measure is symmetric: each pair once
        words: dict[str, int] = {}
        codes = [_id_codes([words.setdefault(k, len(words)) for k in u.keys]) for u in sample]

        def pair_similarity(i: int, j: int) -> float:
            key = (i, j) if i <= j else (j, i)
            value = similarity.get(key)
            if value is None:
                value = similarity[key] = Indel.normalized_similarity(codes[i], codes[j])
            return value

        position = {id(u): i for i, u in enumerate(sample)}

        def centrality(u: _Unit) -> float:
            i = position[id(u)]
            return sum(pair_similarity(i, j) for j in range(len(sample)))

        canonical_unit = max(sample, key=lambda u: (centrality(u), len(u.keys)))
    else:
        canonical_unit = independent[0]
    canonical_text = canonical_unit.text
    # alterations are judged against the original statement: the earliest of the longest independent
    # renderings (what was published first, whole; a copy is not independent), then against the
    # longest renderings of other articles that are faithful to it: a rendering's mildest class (a
    # partial of a partial is a partial, not a paraphrase of the whole; a copy of a misquote agreeing
    # with another copy is still a misquote)
    reference = min(independent, key=lambda u: (_date_key(articles[u.article_pos].date), articles[u.article_pos].order,
                                                u.start))
    references = _faithful_references(members, reference, source_of)
    spelling_indexes: dict[int, Any] = {}
    # renderings printed alike in many articles (wire copies) are compared once
    alignments: dict[str, Any] = {}
    similarities: dict[tuple[str, ...], float] = {}
    alterations: dict[tuple[Any, ...], str] = {}

    variants: list[Variant] = []
    for u in members:
        art = articles[u.article_pos]
        text = u.text
        if u is canonical_unit:
            sim, partial, cspan = 1.0, False, (0, len(canonical_text))
        elif len(u.keys) <= 0.6 * len(canonical_unit.keys):
            al = alignments.get(text)
            if al is None:
                al = alignments[text] = align(text, canonical_text)
            sim, partial, cspan = al.score, True, al.long_span
        else:
            known_sim = similarities.get(u.keys)
            if known_sim is None:
                known_sim = similarities[u.keys] = round(Indel.normalized_similarity(u.keys, canonical_unit.keys), 4)
            sim = known_sim
            partial, cspan = False, (0, len(canonical_text))
        if u is reference:
            alteration = "same"
        else:
            # what the class depends on: the words, the sentences, and which other references apply
            eligible = tuple(i for i, ref in enumerate(references) if _other_reference(ref, reference, u, source_of))
            cache_key = (text, u.keys, u.sentences, eligible)
            known_class = alterations.get(cache_key)
            if known_class is None:
                known_class = alterations[cache_key] = _alteration(text, reference, u, references, spelling_indexes,
                                                                  source_of)
            alteration = known_class
        variants.append(_make_variant(art, u.pieces, sim, partial, cspan, alteration))
    variants.sort(key=lambda v: (_date_key(v.date), v.order, v.start))
    speaker, confidence = _cluster_speaker(variants)
    by_place = sorted(variants, key=lambda v: (v.article, v.start))
    members_key = "|".join(f"{v.article}:{v.start}:{v.end}" for v in by_place)
    ident = hashlib.sha1(members_key.encode()).hexdigest()[:10]
    return QuoteCluster(id=f"q{ident}", speaker=speaker, canonical=canonical_text, variants=variants,
                        speaker_confidence=confidence)


_ALTERATION_RANK = {name: i for i, name in enumerate(("same", "trivial", "partial", "altered", "paraphrased"))}


def _spelling_index_of(ref: _Unit, indexes: dict[int, Any]) -> Callable[[], Any]:
    """A function giving the spelling index of ``ref``'s words, built the first time one is needed
    and kept in ``indexes`` for the group's other renderings."""
    def get() -> Any:
        index = indexes.get(id(ref))
        if index is None:
            index = indexes[id(ref)] = spelling_index(set(ref.keys))
        return index
    return get


def _faithful_references(members: list[_Unit], reference: _Unit, source_of: Callable[[_Unit], str]) -> list[_Unit]:
    """The longest renderings that quote the reference faithfully (same, trivial or partial): only
    those may vouch for a shorter rendering; a misquote, however often it was copied, vouches for none."""
    out: list[_Unit] = []
    for unit in sorted(members, key=lambda u: -len(u.keys))[: 3 * ALTERATION_REFERENCES]:  # bounded work
        if len(out) >= ALTERATION_REFERENCES:
            break
        if unit is not reference and source_of(unit) != source_of(reference):
            cls = classify_alteration(reference.text, unit.text, reference_keys=list(reference.keys),
                                      rendering_sentences=[list(unit.keys[s0:s1]) for s0, s1 in unit.sentences])
            if _ALTERATION_RANK[cls] > _ALTERATION_RANK["partial"]:
                continue
        out.append(unit)
    return out


def _other_reference(ref: _Unit, canonical: _Unit, unit: _Unit,
                     source_of: Callable[[_Unit], str] | None = None) -> bool:
    """Whether ``unit`` is also compared with ``ref`` (a long rendering of another, independent article)."""
    if ref is unit or ref is canonical or ref.article_pos == unit.article_pos or len(ref.keys) < len(unit.keys):
        return False
    return source_of is None or source_of(ref) != source_of(unit)


def _alteration(text: str, canonical: _Unit, unit: _Unit, references: list[_Unit],
                indexes: dict[int, Any], source_of: Callable[[_Unit], str] | None = None) -> str:
    if unit.keys == canonical.keys:  # the same words: same or trivial, nothing more to look at
        return classify_alteration(canonical.text, text, reference_keys=list(canonical.keys),
                                   rendering_sentences=[list(unit.keys)])
    sentences = [list(unit.keys[s0:s1]) for s0, s1 in unit.sentences]
    best = classify_alteration(canonical.text, text, reference_keys=list(canonical.keys), rendering_sentences=sentences,
                               reference_index=_spelling_index_of(canonical, indexes))
    for ref in references:
        if _ALTERATION_RANK[best] <= _ALTERATION_RANK["partial"]:
            break
        if not _other_reference(ref, canonical, unit, source_of):
            continue
        other = classify_alteration(ref.text, text, reference_keys=list(ref.keys), rendering_sentences=sentences,
                                    reference_index=_spelling_index_of(ref, indexes))
        if _ALTERATION_RANK[other] < _ALTERATION_RANK[best]:
            best = other
    return best


def _cluster_speaker(variants: list[Variant]) -> tuple[str | None, float]:
    """One speaker per group: the known speaker (grouping never joins two), else the one every
    attributed rendering agrees on, else unknown. Its fullest spelling, with the best confidence."""
    by_key: dict[str, list[Variant]] = defaultdict(list)
    for v in variants:
        key = speaker_key(v.speaker)
        if key:
            by_key[key].append(v)
    if not by_key:
        return None, 0.0
    known = [k for k, vs in by_key.items() if any(v.speaker_confidence >= KNOWN_SPEAKER_CONFIDENCE for v in vs)]
    if len(known) == 1:
        key = known[0]
    elif not known and len(by_key) == 1:
        key = next(iter(by_key))
    else:
        return None, 0.0
    named = by_key[key]
    name = max((v.speaker for v in named if v.speaker), key=lambda n: (len(n.split()), n))
    return name, max(v.speaker_confidence for v in named)


def _make_variant(art: Article, pieces: Sequence[Quote], sim: float, partial: bool,
                  cspan: tuple[int, int], alteration: str) -> Variant:
    spans = tuple((q.start, q.end) for q in pieces)
    source_spans = []
    for q in pieces:
        if q.source_end - q.source_start == q.end - q.start or not art.offsets.segments:
            source_spans.append((q.source_start, q.source_end))
        else:
            source_spans.append((art.offsets.to_source(q.start), art.offsets.to_source(q.end)))
    first, last = pieces[0], pieces[-1]
    text = rendering_text(pieces)
    return Variant(
        article=art.id, outlet=art.outlet, date=art.date, text=text, start=first.start, end=last.end,
        speaker=first.speaker, speaker_confidence=first.speaker_confidence, quote_index=first.index,
        quote_start=first.start, quote_end=last.end, quote_text=text, utterance_id=first.utterance_id,
        order=art.order, source_start=source_spans[0][0], source_end=source_spans[-1][1], similarity=round(sim, 4),
        partial=partial, canonical_span=(int(cspan[0]), int(cspan[1])), alteration=alteration,
        spans=spans, source_spans=tuple(source_spans), piece_indices=tuple(q.index for q in pieces),
    )
