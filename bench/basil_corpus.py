"""Build a plain-text corpus folder from BASIL (EMNLP 2019 media bias: 100 events, each reported by
the New York Times, Fox News and HuffPost) for the cross-outlet quote evaluation.

    python bench/basil_corpus.py                      # from /work/.mirror/launchnlp+BASIL/repo
    python bench/basil_corpus.py --repo PATH --out /work/data/basil/corpus

BASIL's articles are JSON files (``articles/YEAR/TRIPLET_N.json``: source, title, date, triplet-uuid,
body-paragraphs = a list of paragraphs, each a list of sentences) in a git repository; the repository
may be a bare mirror (read with ``git show``) or a checkout. Each article becomes one text file
``OUTLET_YYYY-MM-DD_slug.txt`` (outlets ``nyt``, ``fox``, ``huffpost``; the slug from the title):
the title line, a blank line, then the paragraphs (the sentences of a paragraph joined by a space)
separated by blank lines (a first paragraph repeating the title, the scraped page's heading, is
dropped). A manifest ``manifest.tsv`` BESIDE the corpus folder (not inside it, so it
is not read as an article) maps each file stem back to its outlet, date, triplet and article uuid.

Nothing is written inside the briefreader repository (never commit article text). Running it again
rewrites the folder from scratch. Skips cleanly when the BASIL repository is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_REPO = Path("/work/.mirror/launchnlp+BASIL/repo")
DEFAULT_OUT = Path("/work/data/basil/corpus")
MANIFEST_NAME = "manifest.tsv"
OUTLETS = {"nyt": "nyt", "fox": "fox", "hpo": "huffpost"}
SLUG_CHARS = 32
MANIFEST_FIELDS = ("stem", "outlet", "date", "year", "triplet", "uuid", "source_path")


@dataclass(frozen=True)
class BasilArticle:
    """One BASIL article as read from its JSON file."""

    source_path: str
    outlet: str
    date: str
    triplet: str
    uuid: str
    title: str
    paragraphs: list[str]

    @property
    def year(self) -> str:
        return self.date[:4]


def manifest_path(corpus: Path) -> Path:
    """Where the manifest of ``corpus`` lies: beside the folder, named after it."""
    return corpus.parent / f"{corpus.name}.{MANIFEST_NAME}"


def slug(title: str, limit: int = SLUG_CHARS) -> str:
    """Lower-case words of ``title`` joined by hyphens, cut at ``limit`` characters (never mid-hyphen)."""
    words = re.findall(r"[a-z0-9]+", title.lower().replace("\u2019", "").replace("'", ""))
    return "-".join(words)[:limit].strip("-") or "untitled"


def _git_files(repo: Path) -> list[str]:
    listing = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", "HEAD", "articles"],
                             check=True, capture_output=True, text=True).stdout
    return sorted(line for line in listing.splitlines() if line.endswith(".json"))


def _git_read(repo: Path, path: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"],
                          check=True, capture_output=True, text=True).stdout


def read_articles(repo: Path) -> list[BasilArticle]:
    """Every article of the BASIL repository ``repo`` (a checkout if ``repo/articles`` exists, else git)."""
    checkout = repo / "articles"
    if checkout.is_dir():
        paths = sorted(str(p.relative_to(repo)) for p in checkout.rglob("*.json"))
        texts = [(repo / p).read_text(encoding="utf-8") for p in paths]
    else:
        paths = _git_files(repo)
        texts = [_git_read(repo, p) for p in paths]
    articles = []
    for path, text in zip(paths, texts, strict=True):
        try:
            data = json.loads(text)
            outlet = OUTLETS[str(data["source"]).lower()]
            paragraphs = [" ".join(s.strip() for s in paragraph if s.strip())
                          for paragraph in data["body-paragraphs"]]
            title = " ".join(data["title"].split())
            paragraphs = [p for p in paragraphs if p]
            if paragraphs and " ".join(paragraphs[0].split()) == title:  # a scraped page's heading, twice
                paragraphs = paragraphs[1:]
            articles.append(BasilArticle(path, outlet, data["date"], data["triplet-uuid"], data["uuid"],
                                         title, paragraphs))
        except (KeyError, TypeError, ValueError) as error:
            logger.warning("%s: skipped (%s)", path, error)
    return articles


def write_corpus(articles: list[BasilArticle], out: Path) -> dict[str, BasilArticle]:
    """Write one text file per article into ``out`` (emptied first) and the manifest beside it;
    returns file stem -> article."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    by_stem: dict[str, BasilArticle] = {}
    for article in sorted(articles, key=lambda a: (a.date, a.outlet, a.source_path)):
        base = f"{article.outlet}_{article.date}_{slug(article.title)}"
        stem, n = base, 2
        while stem in by_stem:
            stem, n = f"{base}-{n}", n + 1
        by_stem[stem] = article
        body = "\n\n".join([article.title, *article.paragraphs]) + "\n"
        (out / f"{stem}.txt").write_text(body, encoding="utf-8")
    with open(manifest_path(out), "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(MANIFEST_FIELDS)
        for stem, article in by_stem.items():
            writer.writerow((stem, article.outlet, article.date, article.year, article.triplet, article.uuid,
                             article.source_path))
    return by_stem


def read_manifest(corpus: Path) -> list[dict[str, str]]:
    """The manifest rows of a corpus written by :func:`write_corpus` (empty when there is none)."""
    path = manifest_path(corpus)
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, default=DEFAULT_REPO, help="the BASIL git repository (bare or not)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the corpus folder to (re)write")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    if not args.repo.exists():
        print(f"BASIL not found at {args.repo}: skipped")
        return 0
    articles = read_articles(args.repo)
    by_stem = write_corpus(articles, args.out)
    triplets = {a.triplet for a in by_stem.values()}
    print(f"{len(by_stem)} articles of {len(triplets)} triplets -> {args.out}; manifest {manifest_path(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
