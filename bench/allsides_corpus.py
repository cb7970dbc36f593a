"""Build a plain-text corpus folder of cross-outlet events from the AllSides articles of Baly et al.
(EMNLP 2020, "We Can Detect Your Bias", github ramybaly/Article-Bias-Prediction, Apache-2.0 licence)
for a third held-out cross-outlet quote evaluation (neither PolNeAR nor BASIL).

    python bench/allsides_corpus.py                   # from /work/.mirror/ramybaly+Article-Bias-Prediction/repo
    python bench/allsides_corpus.py --repo PATH --out /work/data/allsides/corpus --events 120
    python bench/allsides_corpus.py --skip 120 --events 120   # the NEXT 120 events: the tune set
                                                              # (default --out /work/data/allsides_tune/corpus)

The repository holds 37,554 articles crawled from allsides.com, one JSON file each
(``data/jsons/ID.json``: topic, source, date, title, url, content_original = the body as newspaper3k
returned it, paragraphs separated by newlines). It has no event ids, so events are found here:

- two articles are *linked* when they have the same AllSides topic, come from two different outlets
  (:func:`outlet_key`: "Fox News" and "Fox Online News" are one outlet), are at most
  ``MAX_DAYS`` days apart, share at least ``MIN_SHARED_SHINGLES`` five-word runs inside quotation
  marks (:func:`quoted_shingles`), and are not copies of one another (at most ``COPY_SHARE`` of the
  shorter one's eight-word runs shared: a wire story run by two outlets is one text, not two
  renderings);
- an *event* grows from the most strongly linked pair still free: the seed pair, plus the free
  article of a third outlet linked to both seeds most strongly; each article is in one event at most;
- opinion pages (outlet names with "Opinion" or "Editorial", AllSides' "Guest Writer" and "The Flip Side") and
  articles whose title is also a PolNeAR or BASIL article's title are left out (``--exclude``
  manifests), so the set shares no article with the other two sets;
- ``--events N`` events are kept, drawn by a hash of the seed pair's ids (no preference for any
  topic, year or outlet beyond having shared quotations), in that fixed order (the judging order).
- ``--skip K`` keeps the N events AFTER the first K of that order instead (the tune set: ``--skip 120``
  after the 120 held-out events): events found in one pass hold no article twice, and any later event
  holding an article whose id or normalised title is one of the first K events' is dropped as well
  (:func:`events_after`), so the two sets share no article and no event.

Each article becomes one text file ``OUTLET_YYYY-MM-DD_slug.txt``: the title line, a blank line,
then the body's paragraphs separated by blank lines. A manifest ``corpus.manifest.tsv`` BESIDE the
folder (read by bench/basil_corpus.py's ``read_manifest``) maps each stem to its outlet, date, year,
event (column ``triplet``, the event's number in judging order, as BASIL's triplet uuid), article id
and source path. Nothing is written inside the briefreader repository (never commit article text).
Running it again rewrites the folder from scratch. Skips cleanly when the repository is absent.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:  # the sibling scripts are plain files, not a package
    sys.path.insert(0, str(BENCH))

import basil_corpus  # noqa: E402  (bench/ put on the path just above)

logger = logging.getLogger(__name__)

DEFAULT_REPO = Path("/work/.mirror/ramybaly+Article-Bias-Prediction/repo")
DEFAULT_OUT = Path("/work/data/allsides/corpus")
DEFAULT_SKIPPED_OUT = Path("/work/data/allsides_tune/corpus")
DEFAULT_EXCLUDE = (Path("/work/data/polnear/data/metadata.tsv"), Path("/work/data/basil/corpus.manifest.tsv"))
DEFAULT_EVENTS = 120
MAX_DAYS = 3
MIN_SHARED_SHINGLES = 3
COPY_SHARE = 0.4
SHINGLE = 5
COPY_SHINGLE = 8
MAX_ARTICLE_CHARS = 20000
MANIFEST_FIELDS = ("stem", "outlet", "date", "year", "triplet", "uuid", "source_path")
_OPINION = re.compile(r"opinion|editorial|guest writer|flip side", re.IGNORECASE)
_QUOTED = re.compile(r"[\u201c\"]([^\u201c\u201d\"\n]{10,600}?)[\u201d\"]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class AllSidesArticle:
    """One article as read from its JSON file."""

    source_path: str
    article_id: str
    outlet: str
    topic: str
    date: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


def outlet_key(source: str) -> str:
    """A short file-name-safe key of an AllSides source name: words lower-cased and hyphen-joined,
    without a parenthesis, "- News", "Online News" or a trailing "News" ("Fox Online News" and
    "Fox News" -> ``fox``, "CNN (Web News)" -> ``cnn``, "New York Times - News" -> ``new-york-times``)."""
    name = re.sub(r"\([^)]*\)", " ", source)
    name = re.sub(r"\s-\s*news\b", " ", name, flags=re.IGNORECASE)
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower().replace("'", "")) if w != "online"]
    while len(words) > 1 and words[-1] in ("news", "com"):
        words.pop()
    return "-".join(words) or "unknown"


def normal_title(title: str) -> str:
    """A title's lower-cased words, for matching one article across corpora."""
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def quoted_shingles(text: str) -> set[tuple[str, ...]]:
    """The five-word runs inside quotation marks of ``text``."""
    found: set[tuple[str, ...]] = set()
    for match in _QUOTED.finditer(text):
        words = _words(match.group(1))
        found.update(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    return found


def copy_share(first: str, second: str) -> float:
    """The share of the shorter text's eight-word runs that the other text holds too."""
    runs = []
    for text in (first, second):
        words = _words(text)
        runs.append({tuple(words[i : i + COPY_SHINGLE]) for i in range(len(words) - COPY_SHINGLE + 1)})
    shorter = min(len(runs[0]), len(runs[1]))
    return len(runs[0] & runs[1]) / shorter if shorter else 0.0


def _parse(source_path: str, text: str) -> AllSidesArticle | None:
    data = json.loads(text)
    source = str(data["source"])
    date = str(data["date"])
    if _OPINION.search(source) or not _DATE.match(date):
        return None
    paragraphs = tuple(" ".join(line.split()) for line in str(data["content_original"]).splitlines())
    paragraphs = tuple(p for p in paragraphs if p)
    title = " ".join(str(data["title"]).split())
    if not paragraphs or not title or sum(len(p) for p in paragraphs) > MAX_ARTICLE_CHARS:
        return None
    return AllSidesArticle(source_path, str(data["ID"]), outlet_key(source), str(data["topic"]), date, title,
                           paragraphs)


def read_articles(repo: Path) -> list[AllSidesArticle]:
    """Every usable news article of the repository ``repo`` (a checkout if ``repo/data/jsons`` exists,
    else a git repository read with one ``git cat-file --batch``)."""
    checkout = repo / "data" / "jsons"
    items: list[tuple[str, str]] = []
    if checkout.is_dir():
        items = [(str(p.relative_to(repo)), p.read_text(encoding="utf-8")) for p in sorted(checkout.glob("*.json"))]
    else:
        listing = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "HEAD", "data/jsons"],
                                 check=True, capture_output=True, text=True).stdout
        entries = [(line.split("\t")[1], line.split()[2]) for line in listing.splitlines() if line.endswith(".json")]
        batch = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], check=True, capture_output=True,
                               input="".join(f"{sha}\n" for _, sha in entries).encode()).stdout
        position = 0
        for path, _ in entries:
            newline = batch.index(b"\n", position)
            size = int(batch[position:newline].split()[2])
            items.append((path, batch[newline + 1 : newline + 1 + size].decode("utf-8")))
            position = newline + 1 + size + 1
    articles = []
    for path, text in items:
        try:
            article = _parse(path, text)
        except (KeyError, TypeError, ValueError) as error:
            logger.warning("%s: skipped (%s)", path, error)
            continue
        if article is not None:
            articles.append(article)
    return articles


def excluded_titles(manifests: list[Path]) -> set[str]:
    """Normalised titles of the articles of other sets: PolNeAR's metadata.tsv (column ``title``) and
    BASIL manifests (titles read from the first line of each corpus file)."""
    titles: set[str] = set()
    for manifest in manifests:
        if not manifest.exists():
            logger.warning("%s absent: its titles are not excluded", manifest)
            continue
        with open(manifest, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        for row in rows:
            if row.get("title"):
                titles.add(normal_title(row["title"]))
            elif row.get("stem"):
                corpus = manifest.parent / manifest.name.split(".")[0]
                path = corpus / f"{row['stem']}.txt"
                if path.exists():
                    titles.add(normal_title(path.read_text(encoding="utf-8").split("\n", 1)[0]))
    return titles


def _days(first: str, second: str) -> int:
    return abs((dt.date.fromisoformat(first) - dt.date.fromisoformat(second)).days)


def find_events(articles: list[AllSidesArticle], count: int | None) -> list[list[AllSidesArticle]]:
    """Up to ``count`` events (lists of 2-3 articles of different outlets sharing quoted runs; every
    event found when ``count`` is None), in a fixed order drawn by hash (see the module's docstring)."""
    by_topic: dict[str, list[AllSidesArticle]] = defaultdict(list)
    for article in articles:
        by_topic[article.topic].append(article)
    shingles = {a.article_id: quoted_shingles(a.body) for a in articles}
    links: dict[tuple[str, str], int] = {}
    for group in by_topic.values():
        group.sort(key=lambda a: a.date)
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if _days(first.date, second.date) > MAX_DAYS:
                    break
                if first.outlet == second.outlet:
                    continue
                shared = len(shingles[first.article_id] & shingles[second.article_id])
                if shared < MIN_SHARED_SHINGLES or copy_share(first.body, second.body) > COPY_SHARE:
                    continue
                low, high = sorted((first.article_id, second.article_id))
                links[(low, high)] = shared
    by_id = {a.article_id: a for a in articles}
    neighbours: dict[str, dict[str, int]] = defaultdict(dict)
    for (first_id, second_id), shared in links.items():
        neighbours[first_id][second_id] = shared
        neighbours[second_id][first_id] = shared
    used: set[str] = set()
    events: list[list[AllSidesArticle]] = []
    for (first_id, second_id), _ in sorted(links.items(), key=lambda item: (-item[1], item[0])):
        if first_id in used or second_id in used:
            continue
        members = [first_id, second_id]
        outlets = {by_id[first_id].outlet, by_id[second_id].outlet}
        thirds = [(min(neighbours[first_id].get(c, 0), neighbours[second_id].get(c, 0)), c)
                  for c in set(neighbours[first_id]) | set(neighbours[second_id])
                  if c not in used and by_id[c].outlet not in outlets]
        thirds = [t for t in thirds if t[0] > 0]
        if thirds:
            members.append(max(thirds)[1])
        used.update(members)
        events.append(sorted((by_id[m] for m in members), key=lambda a: (a.date, a.outlet)))
    events.sort(key=lambda event: hashlib.sha256("|".join(sorted(a.article_id for a in event)).encode()).hexdigest())
    return events[:count]


def events_after(events: list[list[AllSidesArticle]], skip: int, count: int) -> list[list[AllSidesArticle]]:
    """Up to ``count`` events of ``events`` (all events, in order) after the first ``skip``, leaving out
    any event that holds an article whose id or normalised title is one of the first ``skip`` events'."""
    skipped = [article for event in events[:skip] for article in event]
    skipped_ids = {article.article_id for article in skipped}
    skipped_titles = {normal_title(article.title) for article in skipped}
    kept = []
    for event in events[skip:]:
        if any(a.article_id in skipped_ids or normal_title(a.title) in skipped_titles for a in event):
            logger.warning("event of %s left out: it shares an article with the first %d events",
                           ", ".join(a.article_id for a in event), skip)
            continue
        kept.append(event)
    return kept[:count]


def write_corpus(events: list[list[AllSidesArticle]], out: Path) -> dict[str, tuple[int, AllSidesArticle]]:
    """Write one text file per article of ``events`` into ``out`` (emptied first) and the manifest
    beside it; returns file stem -> (event number, article)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    by_stem: dict[str, tuple[int, AllSidesArticle]] = {}
    for number, event in enumerate(events):
        for article in event:
            base = f"{article.outlet}_{article.date}_{basil_corpus.slug(article.title)}"
            stem, n = base, 2
            while stem in by_stem:
                stem, n = f"{base}-{n}", n + 1
            by_stem[stem] = (number, article)
            body = "\n\n".join([article.title, *article.paragraphs]) + "\n"
            (out / f"{stem}.txt").write_text(body, encoding="utf-8")
    with open(basil_corpus.manifest_path(out), "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(MANIFEST_FIELDS)
        for stem, (number, article) in by_stem.items():
            writer.writerow((stem, article.outlet, article.date, article.year, str(number), article.article_id,
                             article.source_path))
    return by_stem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, default=DEFAULT_REPO, help="the Article-Bias-Prediction repository")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"the corpus folder to (re)write (default {DEFAULT_OUT}; {DEFAULT_SKIPPED_OUT} "
                             "with --skip)")
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS, help="how many events to keep")
    parser.add_argument("--skip", type=int, default=0,
                        help="keep the events after the first SKIP of the fixed order (no article shared with them)")
    parser.add_argument("--exclude", type=Path, nargs="*", default=list(DEFAULT_EXCLUDE),
                        help="manifests of other sets whose article titles are left out")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    if not args.repo.exists():
        print(f"Article-Bias-Prediction not found at {args.repo}: skipped")
        return 0
    articles = read_articles(args.repo)
    titles = excluded_titles(args.exclude)
    kept = [a for a in articles if normal_title(a.title) not in titles]
    out = args.out or (DEFAULT_SKIPPED_OUT if args.skip else DEFAULT_OUT)
    if args.skip:
        events = events_after(find_events(kept, None), args.skip, args.events)
    else:
        events = find_events(kept, args.events)
    by_stem = write_corpus(events, out)
    print(f"{len(articles)} news articles read, {len(articles) - len(kept)} left out (title of another set); "
          f"{len(events)} events, {len(by_stem)} articles -> {out}; "
          f"manifest {basil_corpus.manifest_path(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
