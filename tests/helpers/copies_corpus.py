"""A fictional corpus of wire copy (made-up words, no real article text) for copy/story tests."""

from __future__ import annotations

import random
from pathlib import Path

from briefreader.core.model import Article

WORDS = [
    "council", "harbour", "minister", "budget", "river", "station", "farmers", "protest", "bridge", "water",
    "energy", "vote", "school", "hospital", "museum", "court", "police", "railway", "port", "election", "market",
    "village", "mayor", "treaty", "border", "summit", "coast", "forest", "island", "tunnel", "airport", "factory",
    "union", "strike", "festival", "archive", "library", "garden", "bakery", "ferry", "tower", "engineer", "teacher",
    "nurse", "pilot", "judge", "painter", "merchant", "sailor", "doctor", "reporter", "miner", "soldier", "baker",
    "cook", "announced", "delayed", "approved", "rejected", "questioned", "promised", "reopened", "closed",
    "inspected", "expanded", "repaired", "quietly", "sharply", "slowly", "openly", "again", "yesterday", "tonight",
    "nearly", "almost", "already", "still", "never", "often",
]


def fictional_paragraph(rng: random.Random, words: int = 40) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def fictional_story(seed: int, paragraphs: int = 10) -> list[str]:
    rng = random.Random(seed)
    return [fictional_paragraph(rng) for _ in range(paragraphs)]


def fictional_article(article_id: str, paragraphs: list[str], *, title: str = "Harbour council approves the new bridge",
             outlet: str | None = "Valley Post", date: str | None = "2025-05-01", order: int = 0,
             agency: str | None = None) -> Article:
    article = Article(id=article_id, path=article_id, format="txt", body="\n\n".join(paragraphs), title=title,
                      outlet=outlet, date=date, order=order)
    if agency is not None:
        article.source_agency = agency  # type: ignore[attr-defined]
    return article

def fictional_corpus(wire: list[str]) -> list[Article]:
    other = fictional_story(2)
    third = fictional_story(3)
    own = fictional_story(4)
    changed = list(wire)
    changed[4] = changed[4].replace(changed[4].split()[3], "lighthouse", 1)
    articles = [
        fictional_article("wire.txt", wire, outlet="Coast Wire", date="2025-05-01"),
        fictional_article("reprint.txt", wire, title="Bridge gets the green light", outlet="Daily Courier",
                          date="2025-05-02"),
        fictional_article("trimmed.txt", wire[:6], outlet="Morning Ledger", date="2025-05-02"),
        fictional_article("local.txt", [fictional_paragraph(random.Random(9))] + wire, outlet="Harbor Times",
                          date="2025-05-03"),
        fictional_article("changed.txt", changed, outlet="City Wire", date="2025-05-02"),
        fictional_article("rewritten.txt", wire[:3] + other[:7], outlet="Evening Star", date="2025-05-02"),
        fictional_article("reuses.txt", own[:5] + wire[5:7] + own[5:9], outlet="Metro Daily", date="2025-05-04"),
        fictional_article("unrelated.txt", third, outlet="Prairie News", date="2025-05-02"),
    ]
    for i, article in enumerate(articles):
        article.order = i
    return articles


def write_fictional_corpus(folder: Path, wire: list[str]) -> None:
    for article in fictional_corpus(wire):
        front = f"---\ntitle: {article.title}\noutlet: {article.outlet}\ndate: {article.date}\n---\n"
        (folder / article.id.replace(".txt", ".md")).write_text(front + article.body + "\n", "utf-8")


HARBOUR_QUOTE = "“We will keep the harbour open for every fishing family this winter and the next,”"


def write_md_articles(folder: Path, files: dict[str, tuple[str, str, list[str]]], *, title_suffix: str = "") -> None:
    """Write ``name -> (outlet, date, paragraphs)`` as Markdown files with front matter into ``folder``
    (titled after the file name, plus ``title_suffix``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (outlet, date, paragraphs) in files.items():
        front = f"---\ntitle: {name.rsplit('.', 1)[0]}{title_suffix}\noutlet: {outlet}\ndate: {date}\n---\n"
        (folder / name).write_text(front + "\n\n".join(paragraphs) + "\n", "utf-8")


def quoted_wire_files(seed: int) -> dict[str, tuple[str, str, list[str]]]:
    """A wire story quoting a mayor, a reprint of it, and another outlet's own story with the same
    quotation: two independent articles and one copy."""
    wire = fictional_story(seed, 8) + [f"{HARBOUR_QUOTE} said Mayor Ilse Varga in Port Linden."]
    own = fictional_story(seed + 1, 6) + [f"{HARBOUR_QUOTE} Mayor Ilse Varga told reporters on Friday."]
    return {"wire.md": ("Coast Wire", "2025-05-01", wire), "reprint.md": ("Daily Courier", "2025-05-02", wire),
            "own.md": ("Valley Post", "2025-05-03", own)}


# A statement and a misquote of it ("ban" for "closure") that a wire service sent out and two
# outlets reprinted (the texts of tests/unit/test_quotes_real_news.py's wire-copy case).
FAITHFUL_STATEMENT = ("“We are calling for a full and permanent closure of the northern crossings until our "
                      "engineers can figure out what is going on,” Mayor Lena Farrow said.")
MISQUOTING_WIRE_STORY = (
    "PORT LINDEN — Mayor Lena Farrow on Monday demanded that the northern crossings stay shut after "
    "inspectors found cracks in two of the three spans, a decision that will force thousands of commuters "
    "onto the coast road for the rest of the season. “We are calling for a full and permanent ban of the "
    "northern crossings until our engineers can figure out what is going on,” Mayor Lena Farrow said. The "
    "regional transport office said buses would run every ten minutes from the harbour to the station, and "
    "that ferries would add two evening sailings. Traders in the old town said they feared losing the "
    "summer trade. The council will vote on a repair budget next month; the last repair of the spans, in "
    "2009, took eleven months and cost the town twice the estimate, according to council records.")


def misquote_wire_files() -> dict[str, tuple[str, str, list[str]]]:
    """The statement as one outlet quoted it (a.md), then the misquoting wire story (w0.md) and two
    reprints of it (w1.md, w2.md): two independent renderings, three articles that alter the words."""
    files = {"a.md": ("Coast Daily", "2025-03-01", [FAITHFUL_STATEMENT])}
    for i, outlet in enumerate(["Wire Service", "Valley Post", "Harbour Times"]):
        files[f"w{i}.md"] = (outlet, f"2025-03-0{2 + i}", [MISQUOTING_WIRE_STORY])
    return files
