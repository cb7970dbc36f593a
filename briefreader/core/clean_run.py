"""Where the article lies in a page copied as plain text: the densest run of prose lines (see
``briefreader.core.prose``), grown over the lists and tables the article gives, the lists of links
inside it, and the headline above it.

Every function reads ``Line`` records (see ``briefreader.core.clean_lines``) by line index;
``content`` is the ascending list of indices of the lines with text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from briefreader.core import prose
from briefreader.core.clean_lines import CACHE_LINE, CACHE_MAX, HAS_DIGIT, Line

TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_PROSE_CACHE: dict[tuple[str, int], float] = {}
_TOKEN_RE = re.compile(r"\w+")

_LIST_MIN_LINES = 3  # a run of this many short non-prose lines inside the article is a link list
_LIST_MAX_Z = -0.5  # ... each scoring below this as prose
_DATA_ROWS_MIN = 3  # rows of a table or dated list the article ends with
_DATA_ROW_WORDS = 3
_DATA_ROW_MAX_WORDS = 30  # a longer line is a paragraph, not a row
_NUMBERED_ITEM = re.compile(r"\(?(\d{1,3})[.)]\s+\S")
_NUMBERED_GAP_LINES = 2  # lines between two items of a numbered list (a link, a price)
_NUMBERED_GAP_WORDS = 12


def _enough_unexplained(lines: Sequence[Line], content: list[int], model: prose.ProseModel) -> bool:
    """Whether the page shows its furniture as short lines no rule took: without enough of them no
    run is trusted (see prose.article_run), so the search is skipped (most clean articles)."""
    unexplained = 0
    for i in content:
        if lines[i].rule is None and not lines[i].sentence:
            unexplained += 1
            if unexplained >= model.min_outside_lines:
                return True
    return False


def _doubled_lines(lines: Sequence[Line], content: list[int], model: prose.ProseModel) -> set[int]:
    """Lines the page repeats right below themselves (a teaser's headline as image text and as
    link): page furniture, not the article's prose; both copies count as such."""
    doubled: set[int] = set()
    for p in range(1, len(content)):
        line = lines[content[p]]
        if line.words < model.repeat_min_words:
            continue
        for q in range(max(0, p - model.repeat_window), p):
            if lines[content[q]].norm == line.norm:
                doubled.update((content[p], content[q]))
    return doubled


def article_run(lines: Sequence[Line], content: list[int]) -> tuple[prose.Run | None, dict[int, float]]:
    """The densest run of prose lines (see core/prose.py), or None for an empty text or a page
    without visible furniture, and the prose score of each content line that no line rule took."""
    zs: dict[int, float] = {}
    model = prose.load_model()
    if not _enough_unexplained(lines, content, model):
        return None, zs
    values: list[float] = []
    words: list[float] = []
    cost, cap = model.line_cost, model.max_line_value
    cache = _PROSE_CACHE
    if len(cache) > CACHE_MAX:
        cache.clear()
    doubled = _doubled_lines(lines, content, model)
    repeat_cost = model.repeat_cost
    for i in content:
        line = lines[i]
        norm = line.norm
        if line.rule is not None:
            values.append(-cost)
            words.append(0.0)
            continue
        if i in doubled:
            values.append(-repeat_cost)
            words.append(0.0)
            continue
        key = (norm, line.score)
        z = cache.get(key)
        if z is None:
            z = prose.prose_sign(norm, line.score, model)
            if len(norm) <= CACHE_LINE:
                cache[key] = z
        zs[i] = z
        if z > 0:
            value = float(min(line.words if norm.isascii() else prose.effective_words(norm, model), cap))
            values.append(value)
            words.append(value)
        else:
            values.append(-cost)
            words.append(0.0)
    anchor = title_repeat(lines, content)
    return prose.article_run(content, values, words, model,
                             None if anchor is None else content.index(anchor)), zs


def introduced_list_end(lines: Sequence[Line], content: list[int], last: int) -> int:
    """The run's last line, moved down over a list the article introduces with a colon ("Tour
    dates:" and its lines): lines right below one another, without furniture rules or evidence."""
    k = bisect.bisect_right(content, last)
    intro = lines[last].norm.endswith(":")
    if not intro and k < len(content) and lines[content[k]].norm.endswith(":") and lines[content[k]].rule is None:
        intro, last, k = True, content[k], k + 1
    if not intro:
        return data_rows_end(lines, content, last)
    while k < len(content):
        i = content[k]
        if i != last + 1 or lines[i].rule is not None or lines[i].score > 0:
            break
        last, k = i, k + 1
    return last


def title_cased(norm: str) -> bool:
    """Whether a line is written like a headline or menu entry: most of its words (and at least
    one of two) capitalised, no digit (list items of recipes, tables and results hold
    quantities)."""
    words = [w for w in norm.split() if w[:1].isalpha()]
    if not words or HAS_DIGIT.search(norm) is not None:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised >= 0.6 * len(words)


def row_shape(norm: str) -> str:
    """The punctuation skeleton of a line ("England (Group A): 10th appearance" -> "():"): rows of
    one list or table share it."""
    return "".join(ch for ch in norm if not ch.isalnum() and not ch.isspace())


def data_row(line: Line, shape: str | None) -> bool:
    """Whether a content line can be a row of a table or list: a few words, no furniture rule
    or evidence, and a number in it or the punctuation skeleton ``shape`` of the row next to it
    (a list whose entries spell their numbers: "Seventh appearance")."""
    norm = line.norm
    if (line.rule is not None or line.score > 0 or not _DATA_ROW_WORDS <= line.words <= _DATA_ROW_MAX_WORDS
            or norm.endswith(":")):  # a line ending with a colon introduces rows, it is none
        return False
    if HAS_DIGIT.search(norm) is not None:
        return True
    return bool(shape) and row_shape(norm) == shape


def data_rows_end(lines: Sequence[Line], content: list[int], last: int) -> int:
    """The run's last line, moved down over a table or dated list right below it ("June 9 --
    Coral Sky Amphitheatre, West Palm Beach, FL"; result rows): at least ``_DATA_ROWS_MIN`` lines
    in a row that hold a number (or share the previous row's punctuation), have a few words and no
    furniture rule or evidence, perhaps below one short heading ("Tour dates")."""
    k = bisect.bisect_right(content, last)
    start = k
    if k < len(content):
        heading = lines[content[k]]
        if heading.rule is None and heading.score <= 0 and heading.words <= 8 \
                and HAS_DIGIT.search(heading.norm) is None:
            k += 1  # a heading over the rows
    rows = 0
    end = last
    shape: str | None = None
    while k < len(content):
        i = content[k]
        if not data_row(lines[i], shape):
            break
        shape = row_shape(lines[i].norm)
        rows += 1
        end = i
        k += 1
    if rows >= _DATA_ROWS_MIN and k > start:
        return end
    return last


def numbered_list_end(lines: Sequence[Line], content: list[int], last: int) -> int:
    """The run's last line, moved down over a numbered list right below it ("1) ...", "2) ...":
    at least ``_DATA_ROWS_MIN`` items numbered from 1 in steps of one, at most
    ``_NUMBERED_GAP_LINES`` short lines between two items, and as many after the last item as
    between the others (each item's link or price). A page's lists are not numbered that way."""
    k = bisect.bisect_right(content, last)
    expected, end, gap = 1, last, 0
    gaps: set[int] = set()
    while k < len(content):
        line = lines[content[k]]
        item = _NUMBERED_ITEM.match(line.norm)
        if item is not None and int(item.group(1)) == expected:
            if expected > 1:
                gaps.add(gap)
            expected, end, gap = expected + 1, content[k], 0
        elif expected == 1 or gap >= _NUMBERED_GAP_LINES or line.words > _NUMBERED_GAP_WORDS:
            break
        else:
            gap += 1
        k += 1
    if expected - 1 < _DATA_ROWS_MIN:
        return last
    if len(gaps) == 1:  # every item has the same lines below it: so has the last one
        (size,) = gaps
        k = bisect.bisect_right(content, end)
        tail = content[k:k + size]
        if len(tail) == size and all(lines[i].words <= _NUMBERED_GAP_WORDS
                                     and _NUMBERED_ITEM.match(lines[i].norm) is None for i in tail):
            end = tail[-1] if tail else end
    return end


def _quiet(line: Line) -> bool:
    """No whole-line rule and no furniture evidence."""
    return line.rule is None and line.score <= 0


def data_rows_start(lines: Sequence[Line], content: list[int], first: int) -> int:
    """The run's first line, moved up over a table or list right above it that the article
    introduces: at least ``_DATA_ROWS_MIN`` rows (as in ``data_rows_end``) below a line ending
    with a colon ("Final standings after 36 races:"), which joins too, perhaps with one header
    row between them. Without that line the run
    stays: a table above an article is as often a page's widget."""
    k = bisect.bisect_left(content, first) - 1
    if k >= 1 and _quiet(lines[content[k]]) and not data_row(lines[content[k]], None) \
            and data_row(lines[content[k - 1]], None):
        k -= 1  # a note between the table and the prose below it
    rows = 0
    shape: str | None = None
    while k >= 0 and data_row(lines[content[k]], shape):
        shape = row_shape(lines[content[k]].norm)
        rows += 1
        k -= 1
    if rows < _DATA_ROWS_MIN or k < 0:
        return first
    head = lines[content[k]]
    if k >= 1 and _quiet(head) and head.words <= 8 and not head.norm.endswith(":"):
        k -= 1  # the table's header row, below the line that introduces it
    intro = lines[content[k]]
    if intro.norm.endswith(":") and _quiet(intro):
        return content[k]
    return first


def link_lists(lines: Sequence[Line], content: list[int], prose_z: dict[int, float], first: int,
               last: int) -> list[int]:
    """Kept lines inside the article run that form a list of links: at least ``_LIST_MIN_LINES``
    short lines in a row that do not read as prose nor end like a sentence and are written in
    Title Case (headlines, menu entries), not introduced by a line ending with a colon (a list the
    article itself gives)."""
    model = prose.load_model()
    out: list[int] = []
    group: list[int] = []
    before: int | None = None  # the kept line above the group

    def flush() -> None:
        if len(group) >= _LIST_MIN_LINES and not (before is not None and lines[before].norm.endswith(":")):
            out.extend(group)

    for i in content:
        if i < first or i > last:
            continue
        norm = lines[i].norm
        if lines[i].reason is not None:
            continue  # removed lines neither join nor break a list
        if (prose_z.get(i, 0.0) <= 0 and TERMINAL.search(norm) is None and not norm.endswith(":")
                and title_cased(norm) and prose.prose_score(norm, 0, model) < _LIST_MAX_Z):
            group.append(i)
            continue
        flush()
        group = []
        before = i
    flush()
    return out


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _TOKEN_RE.findall(text.lower())


def title_repeat(lines: Sequence[Line], content: list[int]) -> int | None:
    """The last line below the first that repeats the first line (the page title, perhaps as
    ``Headline - Outlet``) as a headline: at least 3 words, nearly all of them in the title, and
    at least half of the title's words."""
    title_tokens = set(tokens(lines[content[0]].norm))
    if len(title_tokens) < 3:
        return None
    need = 0.5 * len(title_tokens)
    found = None
    for i in content[1:]:
        if not 3 <= lines[i].words <= 40:
            continue
        line_tokens = tokens(lines[i].norm)
        if len(line_tokens) < 3:
            continue
        shared = sum(1 for t in set(line_tokens) if t in title_tokens)
        if shared >= 0.8 * len(set(line_tokens)) and shared >= need:
            found = i
            break
    return found


def anchor_headline(lines: Sequence[Line], content: list[int], first_core: int) -> tuple[int, int]:
    """(headline line, page-title line) above the article run: the line nearest the run that
    repeats the page's first line (a ``<title>``-style ``Headline - Outlet``), else the nearest
    headline-shaped line; -1 where there is none."""
    model = prose.load_model()
    before = [i for i in content if i < first_core]
    if not before:
        return -1, -1
    title_line = before[0]
    title_tokens = set(tokens(lines[title_line].norm))
    window = before[-model.headline_window:]
    shaped = [i for i in window
              if lines[i].reason is None and 3 <= lines[i].words <= 30 and len(lines[i].norm) <= 250]
    for i in reversed(shaped):
        if i == title_line:
            continue
        line_tokens = tokens(lines[i].norm)
        if line_tokens and sum(1 for t in line_tokens if t in title_tokens) >= 0.8 * len(line_tokens):
            return i, title_line
    near = [i for i in shaped if lines[i].words >= 4]
    if near:
        return near[-1], -1
    if lines[title_line].reason is None and 3 <= lines[title_line].words <= 30:
        return title_line, -1
    return -1, -1
