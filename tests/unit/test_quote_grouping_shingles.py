"""The shared-shingle filter of quote grouping: it may keep a once-only shingle, never drop a shared one."""

from __future__ import annotations

import random

from briefreader.core.quote_grouping import _SharedShingles


def test_every_shared_shingle_is_kept_even_when_buckets_collide() -> None:
    rng = random.Random(7)
    # 60,000 hashes in the smallest table (65,536 buckets): many once-only hashes share a bucket
    phrases = [{rng.getrandbits(64) - (1 << 63) for _ in range(30)} for _ in range(2000)]
    repeated = [rng.choice(sorted(p)) for p in phrases[:300]]
    for i, shingle in enumerate(repeated):
        phrases[1000 + i].add(shingle)  # shared by two phrases
    counts: dict[int, int] = {}
    for shingles in phrases:
        for shingle in shingles:
            counts[shingle] = counts.get(shingle, 0) + 1
    shared = _SharedShingles(phrases, expected=1)
    kept = {s for p in phrases for s in shared.among(p)}
    truly_shared = {s for s, n in counts.items() if n > 1}
    assert truly_shared == set(repeated)
    assert truly_shared <= kept
    assert len(kept) < len(counts)  # most once-only hashes are left out


def test_no_hash_is_kept_when_none_repeats() -> None:
    phrases = [{i * 1_000_003 + j for j in range(5)} for i in range(100)]
    shared = _SharedShingles(phrases, expected=10_000)  # a table large enough: distinct low bits
    assert all(not shared.among(p) for p in phrases)
