"""Digest of the quote analysis, to check that a speed-up changes no result.

    python bench/eval_quotes_digest.py [--out DIR]

Prints one sha1 per data set of ``analyse_quotes(...).to_json(min_articles=1)`` (every group, every
rendering's speaker, confidence, alteration class and offsets): 3000 generated articles (seed 7),
the sample corpus, and the PolNeAR train split when it is present (read where it lies, never copied).
Run it before and after a change: equal digests mean equal results. ``--out`` also writes each JSON
document there, to diff when the digests differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

POLNEAR_TRAIN = Path(os.environ.get("POLNEAR", "/work/data/polnear/data")) / "train" / "text"


def main() -> int:
    from gen_quotes_corpus import generate_articles

    from briefreader.storage.corpus import load_corpus
    from briefreader.core.quote_clusters import analyse_quotes

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="also write each to_json document to this folder")
    args = parser.parse_args()
    sets = {"generated-3000": lambda: generate_articles(3000, 7)[0],
            "sample_corpus": lambda: load_corpus(HERE.parent / "sample_corpus", use_cache=False).articles}
    if POLNEAR_TRAIN.is_dir():
        sets["polnear-train"] = lambda: load_corpus(POLNEAR_TRAIN, use_cache=False).articles
    for name, articles_of in sets.items():
        articles = articles_of()
        cpu = time.process_time()
        document = json.dumps(analyse_quotes(articles).to_json(min_articles=1), sort_keys=True, default=str)
        cpu = time.process_time() - cpu
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{name}.json").write_text(document, encoding="utf-8")
        print(f"{name:16} {len(articles):5} articles  sha1 {hashlib.sha1(document.encode()).hexdigest()[:16]}  "
              f"analysis {cpu:.1f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
