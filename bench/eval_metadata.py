"""Evaluation: titles, dates, outlets and wire agencies of real plain-text articles named
``outlet_date_slug.txt`` (PolNeAR), loaded the way ``briefreader open`` loads a folder.

    python bench/eval_metadata.py [--polnear /work/data/polnear/data] [--splits train,dev]
                                  [--show-misses 10]

Data (not in the repository): PolNeAR's ``{train,dev,test}/text/*.txt`` and ``metadata.tsv``
(columns filename, publisher, publication_date, title, wire). Path from ``--polnear`` or
``BRIEFREADER_POLNEAR``; when absent the script says so and exits 0. Develop on train and dev;
``--splits test`` is the held-out check.

Truth: metadata.tsv. One hand-checked rule: for 148 of the 924 train+dev files the tsv title is
the file's headline line followed by "; " and a subheading or column name that the file does not
hold (NYT: "Jobs report gives Democrats a lift; Solid upturn, ..."); a title counts as right when
it equals the tsv title or the tsv title up to that "; ". Outlet right: the outlet shown equals the
tsv publisher token as written (no manifest maps it). Agency: tsv ``wire`` where it names one (AP,
AFP, UPI, Reuters), compared case-insensitively with ``source_agency``.

Each split folder is loaded with ``load_corpus(use_cache=False)`` (nothing is written into the
data folder).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefreader.storage.corpus import load_corpus  # noqa: E402


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\W+", " ", text).strip().casefold()


def source_of(article: object, name: str) -> str | None:
    """Where the field came from (None on versions without provenance)."""
    return (getattr(article, "provenance", None) or {}).get(name)


def title_right(ours: str | None, truth: str) -> bool:
    if not ours:
        return False
    if norm(ours) == norm(truth):
        return True
    head = truth.split(";", 1)[0]
    return ";" in truth and norm(ours) == norm(head)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path,
                        default=Path(os.environ.get("BRIEFREADER_POLNEAR", "/work/data/polnear/data")))
    parser.add_argument("--splits", default="train,dev")
    parser.add_argument("--show-misses", type=int, default=0)
    args = parser.parse_args()
    tsv = args.polnear / "metadata.tsv"
    if not tsv.exists():
        print(f"no PolNeAR data at {args.polnear} (set --polnear or BRIEFREADER_POLNEAR); skipped")
        return
    with tsv.open(encoding="utf-8") as fh:
        truth = {row["filename"]: row for row in csv.DictReader(fh, delimiter="\t")}
    for split in args.splits.split(","):
        folder = args.polnear / split / "text"
        if not folder.is_dir():
            print(f"[{split}] no folder {folder}; skipped")
            continue
        t0 = time.perf_counter()
        corpus = load_corpus(folder, use_cache=False)
        seconds = time.perf_counter() - t0
        counts = {"title": 0, "date": 0, "date_from_name": 0, "outlet": 0, "outlet_any": 0,
                  "agency": 0, "agency_total": 0, "agency_wrong": 0}
        misses: dict[str, list[str]] = {"title": [], "date": [], "outlet": [], "agency": []}
        n = 0
        for article in corpus.articles:
            row = truth.get(Path(article.path).stem)
            if row is None:
                continue
            n += 1
            if title_right(article.title, row["title"]):
                counts["title"] += 1
            else:
                misses["title"].append(f"{article.path}: {article.title!r} vs {row['title'][:80]!r}")
            if article.date == row["publication_date"]:
                counts["date"] += 1
                if (getattr(article, "provenance", None) or {}).get("date", "").startswith("file name"):
                    counts["date_from_name"] += 1
            else:
                misses["date"].append(f"{article.path}: {article.date} ({source_of(article, 'date')})")
            if article.outlet:
                counts["outlet_any"] += 1
            if (article.outlet or "").casefold() == row["publisher"].casefold():
                counts["outlet"] += 1
            else:
                misses["outlet"].append(f"{article.path}: {article.outlet!r} ({source_of(article, 'outlet')})")
            wire = row.get("wire") or ""
            if wire not in ("", "None", "NA"):
                counts["agency_total"] += 1
                if (getattr(article, "source_agency", None) or "").casefold() == wire.casefold():
                    counts["agency"] += 1
                else:
                    misses["agency"].append(f"{article.path}: {getattr(article, 'source_agency', None)!r} vs {wire}")
            elif getattr(article, "source_agency", None):
                counts["agency_wrong"] += 1
        print(f"[{split}] {n} articles, loaded in {seconds:.1f} s")
        print(f"  title right        {counts['title']}/{n} = {counts['title'] / max(1, n):.1%}")
        print(f"  date right         {counts['date']}/{n} = {counts['date'] / max(1, n):.1%} "
              f"(from the file name: {counts['date_from_name']})")
        print(f"  outlet right       {counts['outlet']}/{n} = {counts['outlet'] / max(1, n):.1%} "
              f"(some outlet: {counts['outlet_any']})")
        print(f"  wire agency right  {counts['agency']}/{counts['agency_total']} "
              f"(agency given where the tsv names none: {counts['agency_wrong']})")
        for name, items in misses.items():
            for item in items[: args.show_misses]:
                print(f"    miss {name}: {item}")


if __name__ == "__main__":
    main()
