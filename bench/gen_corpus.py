"""Generate a realistic synthetic corpus for benchmarks.

    python bench/gen_corpus.py OUT_DIR --articles 10000 [--words 600] [--seed 1]

Articles look like scraped news: a headline, a dateline, paragraphs of Zipf-distributed English-like
words with quotations, and per-outlet page furniture (widgets, newsletter prompts, cookie notices,
bios, disclaimers) that repeats across one outlet's articles. Formats are mixed (txt, md with front
matter, html, json arrays, jsonl) and so are encodings (UTF-8, UTF-8 with BOM, UTF-16, cp1252), as
in a real analyst's folder.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import string
import time
import zlib
from pathlib import Path

SEED_WORDS = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "he", "it", "as", "at",
    "by", "his", "from", "are", "be", "this", "have", "an", "not", "has", "but", "had", "they", "which", "or",
    "were", "their", "been", "one", "would", "will", "its", "said", "after", "who", "more", "also", "when",
    "there", "than", "into", "can", "about", "other", "new", "first", "only", "some", "could", "two", "them",
    "what", "over", "most", "people", "time", "government", "minister", "president", "war", "peace", "talks",
    "summit", "security", "foreign", "policy", "official", "statement", "russia", "ukraine", "europe",
    "union", "sanctions", "leaders", "meeting", "negotiations", "agreement", "troops", "border", "defence",
    "economy", "markets", "energy", "gas", "oil", "prices", "inflation", "bank", "growth", "trade", "exports",
    "tariffs", "election", "vote", "parliament", "party", "coalition", "opposition", "court", "ruling", "law",
    "police", "protest", "crisis", "refugees", "aid", "humanitarian", "ceasefire", "attack", "drone",
    "missile", "strike", "region", "province", "capital", "city", "country", "spokesman", "agency", "report",
    "reporters", "week", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "month", "year", "deal", "plan", "proposal", "commitment", "pressure", "support", "against", "between",
    "during", "while", "despite", "without",
]

OUTLETS = [
    "Daily Courier", "Global Wire", "Europa Tribune", "Northern Post", "Metro Herald", "Capital Times",
    "Continental Review", "Harbour Gazette", "Atlantic Ledger", "Eastern Monitor", "Press Agency Nova",
    "The Chronicle", "Evening Standard Bearer", "Riverside Journal", "Summit Observer", "Lakeside News",
]
PLACES = ["BRUSSELS", "LONDON", "GENEVA", "KYIV", "WASHINGTON", "PARIS", "BERLIN", "WARSAW", "ROME", "VIENNA"]
SPEAKERS = ["Anna Keller", "Marek Nowak", "Louis Martin", "Elena Rossi", "Jonas Berg", "Sofia Costa"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words = list(dict.fromkeys(SEED_WORDS))
    while len(words) < size:
        n = rng.choice((4, 5, 6, 7, 8, 9, 10))
        words.append("".join(rng.choice(string.ascii_lowercase) for _ in range(n)))
    return words


class ArticleFactory:
    def __init__(self, seed: int, words: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = _vocabulary(self.rng)
        # Zipf-like weights: rank r gets 1/r.
        self.cum_weights = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(self.vocab))))
        self.words = words
        self.furniture = {outlet: self._furniture(outlet) for outlet in OUTLETS}

    def _sentence(self, n: int | None = None) -> str:
        n = n or self.rng.randint(8, 24)
        ws = self.rng.choices(self.vocab, cum_weights=self.cum_weights, k=n)
        s = " ".join(ws)
        return s[0].upper() + s[1:] + "."

    def _furniture(self, outlet: str) -> dict[str, list[str]]:
        short = "".join(w[0] for w in outlet.split()).upper()
        return {
            "header": [f"{self.rng.randint(5, 30)}.{self.rng.randint(0, 9)}°C Partly cloudy", "Home", "World",
                       "Politics", "Subscribe"],
            "footer": [
                f"{short} Staff Writers",
                f"Writers at {outlet} report on politics and diplomacy from across the continent and beyond.",
                "Categories", "Follow us",
                "Newsletter",
                f"Sign up to receive the best of {outlet} in your inbox every morning.",
                "Privacy & Cookie Notice",
                "This website uses cookies to improve your experience. "
                "By continuing to browse you accept our use of cookies.",
                f"© 2025 {outlet}. All rights reserved.",
            ],
        }

    def article(self, i: int) -> dict:
        rng = self.rng
        outlet = OUTLETS[i % len(OUTLETS)] if rng.random() < 0.9 else rng.choice(OUTLETS)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        date = f"2025-{month:02d}-{day:02d}"
        place = rng.choice(PLACES)
        title = self._sentence(rng.randint(6, 12)).rstrip(".")
        paragraphs = []
        remaining = self.words
        while remaining > 0:
            sentences = []
            for _ in range(rng.randint(2, 4)):
                n = rng.randint(10, 25)
                if rng.random() < 0.25:
                    quote = self._sentence(n).rstrip(".")
                    sentences.append(f"“{quote},” {rng.choice(SPEAKERS)} said.")
                else:
                    sentences.append(self._sentence(n))
                remaining -= n + 2
            paragraphs.append(" ".join(sentences))
        furniture = self.furniture[outlet]
        return {"outlet": outlet, "date": date, "place": place, "title": title, "paragraphs": paragraphs,
                "header": furniture["header"], "footer": furniture["footer"],
                "author": rng.choice(SPEAKERS) if rng.random() < 0.3 else None,
                "day_line": f"{WEEKDAYS[(day + month) % 7]}, {day} {MONTHS[month - 1]}, 2025"}


def _as_text(a: dict) -> str:
    lines = [a["day_line"], *a["header"], "", a["title"], "", f"{a['place']} ({a['outlet'].upper()})"]
    lines += [p for para in a["paragraphs"] for p in (para, "")]
    lines += a["footer"]
    return "\n".join(lines) + "\n"


def _as_markdown(a: dict) -> str:
    front = {"title": a["title"], "outlet": a["outlet"], "date": a["date"]}
    if a["author"]:
        front["author"] = a["author"]
    head = "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items()) + "---\n\n"
    body = f"{a['place']} —\n\n" + "\n\n".join(a["paragraphs"]) + "\n\n" + "\n".join(a["footer"][-3:]) + "\n"
    return head + body


def _as_html(a: dict) -> str:
    paras = "".join(f"<p>{p}</p>\n" for p in a["paragraphs"])
    nav = "".join(f"<li><a href='#'>{h}</a></li>" for h in a["header"][1:])
    foot = "".join(f"<p>{f}</p>" for f in a["footer"])
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{a['title']} | {a['outlet']}</title>"
            f"<meta property='og:site_name' content='{a['outlet']}'>"
            f"<meta property='article:published_time' content='{a['date']}T09:00:00Z'></head><body>"
            f"<header><nav><ul>{nav}</ul></nav></header><main><article><h1>{a['title']}</h1>"
            f"<p class='dateline'>{a['place']}</p>{paras}</article></main><footer>{foot}</footer></body></html>\n")


def _as_record(a: dict) -> dict:
    return {"title": a["title"], "outlet": a["outlet"], "date": a["date"], "author": a["author"],
            "url": f"https://example.org/{a['outlet'].lower().replace(' ', '-')}/{zlib.crc32(a['title'].encode())}",
            "text": f"{a['place']} ({a['outlet'].upper()})\n\n" + "\n\n".join(a["paragraphs"])}


def generate(out: Path, articles: int, *, words: int = 600, seed: int = 1) -> Path:
    """Write ``articles`` articles under ``out`` (created); returns ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    factory = ArticleFactory(seed, words)
    rng = random.Random(seed + 1)
    i = 0
    batch: list[dict] = []
    while i < articles:
        folder = out / f"batch{i // 1000:03d}"
        folder.mkdir(exist_ok=True)
        kind = rng.random()
        if kind < 0.08 and articles - i >= 10:  # a JSON array or JSONL of 10 records
            batch = [_as_record(factory.article(i + k)) for k in range(10)]
            if rng.random() < 0.5:
                (folder / f"feed{i:06d}.json").write_text(json.dumps(batch, ensure_ascii=False), "utf-8")
            else:
                (folder / f"feed{i:06d}.jsonl").write_text(
                    "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch), "utf-8")
            i += 10
            continue
        a = factory.article(i)
        if kind < 0.20:
            (folder / f"a{i:06d}.md").write_text(_as_markdown(a), "utf-8")
        elif kind < 0.30:
            (folder / f"a{i:06d}.html").write_text(_as_html(a), "utf-8")
        else:
            text = _as_text(a)
            encoding = rng.choices(["utf-8", "utf-8-sig", "utf-16", "cp1252"], [80, 8, 4, 8])[0]
            data = text.encode(encoding, errors="replace")
            if rng.random() < 0.3:
                data = data.replace(b"\n", b"\r\n") if encoding != "utf-16" else data
            (folder / f"a{i:06d}.txt").write_bytes(data)
        i += 1
    return out


def cached_corpus(workdir: Path, articles: int) -> Path:
    """``workdir/corpus-N``, generated once (seed N) and reused by every benchmark."""
    import shutil

    folder = workdir / f"corpus-{articles}"
    marker = folder / ".generated"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, articles, words=600, seed=articles)
        marker.write_text("ok")
        # Files modified in the last 2 s are never trusted by the record cache (their mtime may
        # not change with the next edit), so reopen figures wait for the corpus to settle.
        time.sleep(2.1)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.articles, words=args.words, seed=args.seed)
    print(f"wrote {args.articles} articles to {args.out}")


if __name__ == "__main__":
    main()
