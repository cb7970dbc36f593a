"""Derive briefreader/core/rules/given_names.tsv (given name -> gender) from US baby-name counts.

    python bench/derive_given_names.py NAMES_DIR            # writes the packaged file
    python bench/derive_given_names.py NAMES_DIR --out F     # or another file
    python bench/derive_given_names.py NAMES_DIR --check     # compare with the packaged file, write nothing

NAMES_DIR holds the US Social Security Administration's national baby-name files, ``yobYYYY.txt``
(``name,sex,count`` per line, one file per year of birth): "Baby Names from Social Security Card
Applications - National Data", a US government work in the public domain (catalog.data.gov). The
files are not kept in the repository: this script rebuilds the derived list from them.

What is kept (the rules, decided here once): births of ``--from``..``--to`` (people quoted in news of
the 2010s-2020s), a name counted at least ``--min-count`` times, one sex holding at least ``--share``
of its births. Unisex names (Leslie, Jordan, Kim, Chris) are left out, so are given names that are
usual for the other sex in the languages news quotes most after English (:data:`OTHER_SEX_ABROAD`:
Andrea and Simone are Italian men's names, Jean a French man's). A name absent from the list has
no gender: the reader then relies on honorifics and the text, as before.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "briefreader" / "core" / "rules" / "given_names.tsv"

#: Names the US counts give one sex that are usually the other sex's in French, Italian, German or
#: Russian news names (Jean Castex, Andrea Orlando, Michele Emiliano, Toni Kroos, Sasha as Alexander).
OTHER_SEX_ABROAD = frozenset(["andrea", "jean", "michele", "simone", "toni", "sasha"])


def count_births(names_dir: Path, first_year: int, last_year: int) -> dict[str, list[int]]:
    """Births by lower-cased name over the years: [female, male]."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for year in range(first_year, last_year + 1):
        path = names_dir / f"yob{year}.txt"
        if not path.is_file():
            raise SystemExit(f"missing {path}")
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            name, sex, count = line.strip().split(",")
            counts[name.lower()][sex == "M"] += int(count)
    return counts


def derive(counts: dict[str, list[int]], min_count: int, share: float) -> dict[str, str]:
    """name -> "f" or "m" for names where one sex dominates (see the module docstring)."""
    out: dict[str, str] = {}
    for name, (female, male) in counts.items():
        total = female + male
        if total < min_count or name in OTHER_SEX_ABROAD:
            continue
        if female >= share * total:
            out[name] = "f"
        elif male >= share * total:
            out[name] = "m"
    return dict(sorted(out.items()))


def render(genders: dict[str, str], args: argparse.Namespace) -> str:
    """The file's text: a header naming the source and the rules, then ``name<TAB>f|m`` lines."""
    header = [
        "# Given name -> gender (f/m), where one sex holds the name strongly. Derived by bench/derive_given_names.py",
        "# from the US Social Security Administration's national baby-name counts (public domain, US government",
        f"# work): births {args.first_year}-{args.last_year}, at least {args.min_count} births, one sex >= "
        f"{args.share:.0%}; unisex names absent, {len(genders)} names.",
    ]
    return "\n".join(header + [f"{name}\t{sex}" for name, sex in genders.items()]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names_dir", type=Path, help="folder of the SSA yobYYYY.txt files")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--from", dest="first_year", type=int, default=1920)
    parser.add_argument("--to", dest="last_year", type=int, default=2000)
    parser.add_argument("--min-count", type=int, default=500)
    parser.add_argument("--share", type=float, default=0.95)
    parser.add_argument("--check", action="store_true", help="compare with --out, write nothing")
    args = parser.parse_args()
    genders = derive(count_births(args.names_dir, args.first_year, args.last_year), args.min_count, args.share)
    text = render(genders, args)
    females = sum(1 for sex in genders.values() if sex == "f")
    print(f"{len(genders)} names ({females} female, {len(genders) - females} male)")
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print("identical" if same else f"differs from {args.out}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
