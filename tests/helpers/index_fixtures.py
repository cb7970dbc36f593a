"""Deterministic in-memory corpora for the index tests and their subprocess helpers (no loader needed)."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from briefreader.storage.corpus import Corpus
from briefreader.core.model import Article

WORDS = [
    "minister", "summit", "peace", "talks", "ceasefire", "sanctions", "border", "troops", "energy", "gas",
    "prices", "election", "parliament", "coalition", "court", "ruling", "protest", "refugees", "aid", "drone",
    "missile", "region", "capital", "agreement", "proposal", "pressure", "support", "negotiations",
    "delegation", "statement", "spokesman", "agency", "report", "economy", "markets", "inflation", "growth",
    "trade", "exports", "tariffs", "harbour", "railway", "bridge", "festival", "museum", "orchestra",
    "gardens", "weather", "storm", "flood",
]
OUTLETS = ["Daily Courier", "Global Wire", "Europa Tribune", "Northern Post"]


def make_article(i: int, *, seed: int = 0, words: int = 80, extra: str = "") -> Article:
    """Article number ``i``: a body of ``words`` pseudo-random words (plus ``extra``), dated and attributed."""
    rng = random.Random(seed * 100_003 + i)
    body_words = [rng.choice(WORDS) for _ in range(words)]
    sentences = [" ".join(body_words[k:k + 12]).capitalize() + "." for k in range(0, len(body_words), 12)]
    body = " ".join(sentences)
    if extra:
        body = f"{body}\n\n{extra}"
    date = f"2025-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}"
    return Article(id=f"doc{i:05d}.txt", path=f"doc{i:05d}.txt", format="txt", body=body,
                   title=f"Report {i} on {rng.choice(WORDS)}", outlet=OUTLETS[i % len(OUTLETS)], date=date,
                   content_hash=hashlib.sha1(body.encode()).hexdigest())


def make_corpus(root: Path, n: int, *, seed: int = 0, words: int = 80) -> Corpus:
    """A corpus of ``n`` articles rooted at ``root`` (the folder must exist; it holds only state)."""
    return Corpus(root=Path(root), articles=[make_article(i, seed=seed, words=words) for i in range(n)])
