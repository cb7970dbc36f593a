"""Corpus files built the way an attacker would: each stalls or crashes a naive loader.

Each builder writes one file and returns its name; ``hostile_corpus`` writes one of each next to a
few ordinary articles. Tests assert one warning per hostile file and the ordinary articles loaded.
"""

from __future__ import annotations

from pathlib import Path

# The classic "billion laughs" in YAML: 9 levels of 9 aliases in 342 bytes, standing for 9^9
# (387 million) strings.
BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)

ORDINARY = {
    "ordinary-one.txt": "Ministers meet in Brussels\n\nThe ministers said on Tuesday that the talks on the "
                        "budget would continue next week in Brussels, officials added.\n",
    "ordinary-two.txt": "Storm over the Alps\n\nForecasters said on Monday that heavy storms were expected over "
                        "the Alps and that flood barriers had been prepared in several valleys.\n",
    "ordinary-three.md": "---\ntitle: Harvest report\noutlet: Farm Weekly\n---\nFarmers said on Friday that the "
                         "harvest had been better than expected despite the dry spring in the south.\n",
}

# A line the manifest's evil rule backtracks on exponentially (and a sentence, so the file has a body).
EVIL_LINE_ARTICLE = ("Market update\n\n" + "a" * 40 + "\n\nTraders said on Wednesday that prices had risen "
                     "sharply after the announcement in the morning.\n")
EVIL_RULE_MANIFEST = ('boilerplate:\n  - pattern: "(a|a)+b"\n    reason: sneaky rule\n'
                      '  - text: "Market update"\n    reason: section label\n')


def deep_json(folder: Path, name: str = "deep.json", depth: int = 100_000) -> str:
    """A 200 KB JSON article whose metadata nests ``depth`` levels."""
    (folder / name).write_text('{"text": "A body.", "title": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    return name


def deep_jsonl(folder: Path, name: str = "feed.jsonl", depth: int = 100_000) -> str:
    """A JSONL feed with one ordinary record and one nested ``depth`` levels."""
    good = ('{"text": "Officials said on Thursday that the port had reopened after the strike.", '
            '"title": "Port reopens"}')
    deep = '{"text": "x", "tags": ' + "[" * depth + "]" * depth + "}"
    (folder / name).write_text(good + "\n" + deep + "\n", encoding="utf-8")
    return name


def bomb_front_matter(folder: Path, name: str = "bomb.md") -> str:
    """A Markdown article whose front matter is the billion laughs, its author the biggest alias."""
    front = BILLION_LAUGHS.replace("i: &i", "author: &i")
    (folder / name).write_text(f"---\ntitle: Laughs\n{front}---\nThe committee said on Monday that the report "
                               "would be published after the summer recess.\n", encoding="utf-8")
    return name


def self_referencing_front_matter(folder: Path, name: str = "loop.md") -> str:
    """Front matter whose title is a list that contains itself."""
    (folder / name).write_text("---\ntitle: &t [a, *t]\n---\nThe mayor said on Sunday that the bridge would "
                               "reopen in the autumn after repairs.\n", encoding="utf-8")
    return name


def stray_byte_utf8(folder: Path, name: str = "stray.txt") -> tuple[str, int]:
    """A UTF-8 article with curly quotes and one cp1252 apostrophe (0x92); returns (name, its offset)."""
    head = "Talks resume\n\nThe minister said: \u201cWe will not give in.\u201d Officials agreed"
    tail = "s plan \u2014 for now.\n\nNegotiators said on Friday that a second round would follow.\n"
    data = head.encode("utf-8") + b"\x92" + tail.encode("utf-8")
    (folder / name).write_bytes(data)
    return name, len(head.encode("utf-8"))


def hostile_corpus(folder: Path, *, evil_manifest: bool = True) -> dict[str, str]:
    """Ordinary articles plus one hostile file of each kind; returns hostile file name -> kind."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ORDINARY.items():
        (folder / name).write_text(text, encoding="utf-8")
    hostile = {
        deep_json(folder): "json nesting",
        deep_jsonl(folder): "jsonl nesting",
        bomb_front_matter(folder): "yaml alias bomb",
        self_referencing_front_matter(folder): "yaml self reference",
        stray_byte_utf8(folder)[0]: "stray byte",
    }
    if evil_manifest:
        (folder / "briefreader.yaml").write_text(EVIL_RULE_MANIFEST, encoding="utf-8")
        (folder / "evil-line.txt").write_text(EVIL_LINE_ARTICLE, encoding="utf-8")
        hostile["briefreader.yaml"] = "slow regex rule"
    return hostile
