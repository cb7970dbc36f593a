"""Repetition evidence: lines repeated across an outlet's articles (page furniture) are evidence for
cleaning them again; the counts behind it let an update of a few files prove it unchanged.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from math import ceil
from collections.abc import Callable
from typing import Any, cast

from briefreader.core import clean as cleaning
from briefreader.core.manifest import Manifest
from briefreader.core.model import Article
from briefreader.storage.records import Entry, fingerprints_of

def _evidence_digest(evidence: frozenset[str]) -> str:
    if not evidence:
        return ""
    return hashlib.sha1("\n".join(sorted(evidence)).encode()).hexdigest()[:16]


def _evidence_still_in_body(article: Article, evidence: frozenset[str]) -> bool:
    """Whether some repeated line is still in the body (when the first cleaning already removed
    every one of them, cleaning again with the evidence would give the same body)."""
    if not evidence:
        return True  # evidence went away: clean again without it
    return bool(evidence & cleaning.line_fingerprints(article.body))


def family_keys(body: str) -> tuple[object, ...]:
    """What :func:`_near_duplicate_families` compares of an article: its cleaned paragraphs' hashes
    (all of them, and the four lowest when it has eight or more). Small: a load that does not
    keep the bodies keeps these."""
    paragraphs = {" ".join(p.split()).casefold() for p in body.split("\n\n") if p.strip()}
    hashes = sorted(zlib.crc32(p.encode("utf-8", "surrogatepass")) for p in paragraphs)
    keys: list[object] = [("all", tuple(hashes))]
    if len(hashes) >= 8:
        keys.append(("sketch", tuple(hashes[:4])))
    return tuple(keys)


def _near_duplicate_families(article_keys: list[tuple[object, ...]],
                             fingerprint_sets: list[frozenset[str]]) -> list[frozenset[str]]:
    """The candidate lines of each family of near-identical articles (the same story saved twice,
    an updated version of a wire story), each family once: a story's own lines repeated across its
    copies are no evidence of page furniture. Two articles are one family when their cleaned
    paragraphs are the same or their four lowest paragraph hashes are (a bottom-k sketch: cheap,
    and deterministic); ``article_keys`` are each article's :func:`family_keys`."""
    parent = list(range(len(fingerprint_sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[object, int] = {}
    for i, keys in enumerate(article_keys):
        for key in keys:
            j = first_with.setdefault(key, i)
            if j != i:
                parent[find(i)] = find(j)
    families: dict[int, set[str]] = {}
    for i, fps in enumerate(fingerprint_sets):
        families.setdefault(find(i), set()).update(fps)
    return [frozenset(f) for f in families.values()]


@dataclass
class OutletEvidence:
    """What one outlet's repeated-line evidence was computed from, kept so that a later update of a
    few files can prove the evidence unchanged without reading the outlet's other articles.

    ``counts`` holds the number of families (see :func:`_near_duplicate_families`) holding each
    fingerprint, for every fingerprint in at least half the families the evidence needs (the rest
    are far from counting); ``drift`` counts articles added or removed since the counts were exact
    (each moves the family count and every fingerprint's count by at most one)."""

    families: int
    members: list[str]  # relative paths of the files with articles of this outlet
    counts: dict[str, int]
    repeated: frozenset[str]
    drift: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"families": self.families, "members": self.members, "counts": self.counts,
                "repeated": sorted(self.repeated), "drift": self.drift}

    @classmethod
    def from_json(cls, data: Any) -> OutletEvidence:
        """The evidence saved by :meth:`to_json` (raises KeyError/TypeError/ValueError if it is not one)."""
        return cls(int(data["families"]), [str(m) for m in data["members"]],
                   {str(k): int(v) for k, v in data["counts"].items()}, frozenset(map(str, data["repeated"])),
                   int(data["drift"]))


def evidence_need(families: int) -> int:
    """In how many families a line must be to count as repeated (as :func:`cleaning.repeated_lines`)."""
    return max(3, ceil(0.3 * families))


def outlet_evidence(members: list[str], bodies: list[str], fingerprint_sets: list[frozenset[str]]) -> OutletEvidence:
    """The repeated lines of one outlet's articles, with the counts that let an update prove them unchanged."""
    return outlet_evidence_of_keys(members, [family_keys(body) for body in bodies], fingerprint_sets)


def outlet_evidence_of_keys(members: list[str], article_keys: list[tuple[object, ...]],
                            fingerprint_sets: list[frozenset[str]]) -> OutletEvidence:
    """:func:`outlet_evidence` from each article's :func:`family_keys` instead of its body."""
    if len(article_keys) < 3:
        return OutletEvidence(len(article_keys), sorted(set(members)), {}, frozenset())
    families = _near_duplicate_families(article_keys, fingerprint_sets)
    counts: dict[str, int] = {}
    for fps in families:
        for fp in fps:
            counts[fp] = counts.get(fp, 0) + 1
    # repeated_lines only counts its sets: frozensets do as well
    repeated = cleaning.repeated_lines(cast("list[set[str]]", families)) if len(families) >= 3 else frozenset()
    watch = evidence_need(len(families)) // 2
    return OutletEvidence(len(families), sorted(set(members)), {fp: n for fp, n in counts.items() if n >= watch},
                          repeated)


def _apply_repetition_evidence(
    entries: list[Entry],
    rules: cleaning.CleaningRules,
    manifest: Manifest,
    reclean_many: Callable[[list[tuple[Article, frozenset[str]]]], list[Article]],
    summaries: dict[str, OutletEvidence] | None = None,
    known: dict[str, frozenset[str]] | None = None,
) -> list[Entry]:
    """Re-clean articles whose lines repeat across their outlet's articles.

    ``entries`` are (article, fingerprints, evidence digest it was cleaned with). Returns the same
    list with articles re-cleaned where their evidence changed. ``summaries``, when given, receives
    each outlet's :class:`OutletEvidence`. ``known`` gives the repeated lines of outlets whose
    evidence is known already (an update proved it unchanged): those are not computed again.
    """
    groups: dict[str, list[int]] = {}
    for i, (article, _, _) in enumerate(entries):
        if article.outlet:
            groups.setdefault(article.outlet.casefold(), []).append(i)
    wanted_digest = [""] * len(entries)
    wanted_evidence: list[frozenset[str]] = [frozenset()] * len(entries)
    for outlet, members in groups.items():
        if known is not None and outlet in known:
            repeated = known[outlet]
        else:
            summary = outlet_evidence([entries[i][0].path for i in members], [entries[i][0].body for i in members],
                                      [fingerprints_of(entries[i][1]) for i in members])
            if summaries is not None:
                summaries[outlet] = summary
            repeated = summary.repeated
        if not repeated:
            continue
        for i in members:
            evidence = repeated & fingerprints_of(entries[i][1])
            wanted_evidence[i] = frozenset(evidence)
            wanted_digest[i] = _evidence_digest(frozenset(evidence))
    todo = [i for i, entry in enumerate(entries) if wanted_digest[i] != entry[2]
            and _evidence_still_in_body(entries[i][0], wanted_evidence[i])]
    recleaned = dict(zip(todo, reclean_many([(entries[i][0], wanted_evidence[i]) for i in todo]), strict=True))
    return [(recleaned.get(i, article), fps, wanted_digest[i]) for i, (article, fps, _) in enumerate(entries)]
