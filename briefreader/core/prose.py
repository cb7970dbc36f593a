"""The article run of a page copied as plain text: which lines are prose, and where the article is.

A page saved as text (select all, copy; or a scraper that strips tags) holds the article among
menus, section lists, related links, sign-in and footer lines. Each line is scored by a small
linear classifier whose features and weights are data (``rules/prose.yaml``); the article is the
run of lines with the largest total value (prose lines worth their words, other lines a fixed
cost), the "densest run of prose" of body-text-extraction methods. Pure functions, no I/O past
reading the model once.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from briefreader.core.safe_yaml import load_yaml

MODEL_PATH = Path(__file__).with_name("rules") / "prose.yaml"
FEATURES = ("log_words", "stopword_ratio", "terminal", "capitalised", "digits", "no_letters_end",
            "evidence", "pipes", "url", "title_case_function_words", "cjk_unterminated")

_TERMINAL_RE = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$")
# scripts written without spaces between words (Chinese, Japanese): their characters are counted
# as words (``cjk_chars_per_word`` a word) and their particles as function words
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_URL_RE = re.compile(r"https?://|www\.|\b[\w.+-]+@[\w-]+\.\w")
_PIPES = "|•·»"
_PIPE_RE = re.compile("[|•·»]")
_OPENERS = ("", "\"", "“", "‘", "'", "(", "«", "[")
_CLOSERS = ("", ",", ".", ";", ":", "!", "?", "\"", "”", "’", ")", ".\"", ".”", ",\"", ",”", "»", "]")
_SENTENCE_END = ".!?:;\"”’—–-"


@dataclass(frozen=True, slots=True)
class ProseModel:
    """Weights and thresholds of the line classifier and run finder (see rules/prose.yaml)."""

    bias: float
    weights: dict[str, float]
    stopwords: frozenset[str]
    line_cost: float
    max_line_value: float
    gap_words: float
    gap_factor: float
    min_run_words: int
    min_outside_lines: int
    min_outside_share: float
    headline_window: int
    anchor_share: float
    repeat_min_words: int
    repeat_cost: float
    repeat_window: int
    cjk_chars_per_word: float
    cjk_function_chars: frozenset[str]
    digest: str
    w: tuple[float, ...]  # weights in prose_sign's order (_SIGN_ORDER)
    rest_bounds: tuple[float, float]  # least and most the capitalised/title/digit features can add
    stopword_forms: frozenset[str]  # stopwords as split() leaves them: "the", "said,", "(the"
    title_function_forms: frozenset[str]  # the same, capitalised: "Of", "After,"


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> ProseModel:
    """The classifier model from ``path`` (the shipped rules/prose.yaml by default)."""
    raw = path.read_bytes()
    data = load_yaml(raw.decode("utf-8"))  # the one YAML loader (shipped file, same bounds as any)
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping")
    weights = {str(k): float(v) for k, v in (data.get("weights") or {}).items()}
    unknown = set(weights) - set(FEATURES)
    if unknown:
        raise ValueError(f"{path.name}: unknown features {sorted(unknown)} (known: {', '.join(FEATURES)})")
    return ProseModel(
        bias=float(data.get("bias", 0.0)),
        weights=weights,
        stopwords=frozenset(str(w).lower() for w in data.get("stopwords") or ()),
        line_cost=float(data.get("line_cost", 5)),
        max_line_value=float(data.get("max_line_value", 80)),
        gap_words=float(data.get("gap_words", 40)),
        gap_factor=float(data.get("gap_factor", 1.0)),
        min_run_words=int(data.get("min_run_words", 60)),
        min_outside_lines=int(data.get("min_outside_lines", 6)),
        min_outside_share=float(data.get("min_outside_share", 0.3)),
        headline_window=int(data.get("headline_window", 25)),
        anchor_share=float(data.get("anchor_share", 0.25)),
        repeat_min_words=int(data.get("repeat_min_words", 2)),
        repeat_cost=float(data.get("repeat_cost", 5)),
        repeat_window=int(data.get("repeat_window", 2)),
        cjk_chars_per_word=float(data.get("cjk_chars_per_word", 2.0)),
        cjk_function_chars=frozenset("".join(str(c) for c in data.get("cjk_function_chars") or ())),
        digest=hashlib.sha1(raw).hexdigest()[:12],
        w=tuple(weights.get(name, 0.0) for name in _SIGN_ORDER),
        rest_bounds=(sum(min(0.0, weights.get(f, 0.0) * _FEATURE_MAX[f]) for f in _REST),
                     sum(max(0.0, weights.get(f, 0.0) * _FEATURE_MAX[f]) for f in _REST)),
        stopword_forms=_forms(str(w).lower() for w in data.get("stopwords") or ()),
        title_function_forms=_forms(str(w).capitalize() for w in data.get("stopwords") or ()
                                    if len(str(w)) > 1 and str(w).isalpha()),
    )


_SIGN_ORDER = ("log_words", "stopword_ratio", "terminal", "evidence", "no_letters_end", "pipes", "url",
               "capitalised", "title_case_function_words", "digits")
_REST = ("capitalised", "title_case_function_words", "digits")
# Largest value of each bounded feature (ratios, flags, capped counts): what prose_sign may leave
# uncomputed once the sign of z is certain.
_FEATURE_MAX = {"stopword_ratio": 1.0, "terminal": 1.0, "capitalised": 1.0, "digits": 1.0,
                "no_letters_end": 1.0, "url": 1.0, "title_case_function_words": 4.0}


def _forms(words: Any) -> frozenset[str]:
    """Each word as ``str.split()`` may leave it: bare, after an opening mark, before a closing one."""
    out: set[str] = set()
    for word in words:
        for before in _OPENERS:
            for after in _CLOSERS:
                out.add(before + word + after)
    return frozenset(out)


def cjk_counts(norm: str, model: ProseModel) -> tuple[float, int]:
    """(words, function words) that the Chinese and Japanese characters of a line stand for:
    (0, 0) for a line without them."""
    if norm.isascii():
        return 0.0, 0
    chars = _CJK_RE.findall(norm)
    if not chars:
        return 0.0, 0
    function = sum(map(model.cjk_function_chars.__contains__, chars))
    return len(chars) / model.cjk_chars_per_word, function


def effective_words(norm: str, model: ProseModel) -> float:
    """Words of a line, counting Chinese and Japanese characters by ``cjk_chars_per_word``."""
    pieces = len(norm.split())
    cjk, _ = cjk_counts(norm, model)
    return max(float(pieces), pieces + cjk - 1) if cjk else float(pieces)


def line_features(norm: str, evidence: float, model: ProseModel) -> dict[str, float]:
    """The classifier's features of one normalised line."""
    pieces = norm.split()
    n: float = len(pieces) or 1
    low = norm.lower()
    stop = sum(map(model.stopword_forms.__contains__, low.split()))
    cjk, cjk_function = cjk_counts(norm, model)
    if cjk:
        n, stop = max(n, len(pieces) + cjk - 1), stop + cjk_function
    caps = sum(1 for w in pieces if w[:1].isupper())
    digits = sum(map(norm.count, "0123456789"))
    terminal = _TERMINAL_RE.search(norm) is not None
    # "Death Of", "After", "In": function words written in Title Case mark headlines (a teaser
    # line glues a headline to its summary); a capital after a sentence end does not count
    title_function = 0
    if caps > 1:
        forms = model.title_function_forms
        if sum(map(forms.__contains__, pieces[1:])):
            for k in range(1, len(pieces)):
                if pieces[k] in forms and pieces[k - 1][-1:] not in _SENTENCE_END:
                    title_function += 1
    return {
        "log_words": math.log(n),
        "stopword_ratio": stop / n,
        "terminal": 1.0 if terminal else 0.0,
        "capitalised": caps / n,
        "digits": digits / max(1, len(norm)),
        "no_letters_end": 1.0 if (n < 8 and norm[-1:].isalnum()) else 0.0,
        "evidence": float(max(0.0, evidence)),
        "pipes": float(sum(norm.count(p) for p in _PIPES)) if _PIPE_RE.search(norm) else 0.0,
        "url": 1.0 if ("/" in norm or "@" in norm or "www" in low) and _URL_RE.search(norm) else 0.0,
        "title_case_function_words": float(min(title_function, 4)),
        "cjk_unterminated": 1.0 if cjk and not terminal else 0.0,
    }


def prose_score(norm: str, evidence: float, model: ProseModel) -> float:
    """z of one line: above 0 it reads as article prose."""
    feats = line_features(norm, evidence, model)
    return model.bias + sum(model.weights.get(name, 0.0) * value for name, value in feats.items())


def prose_sign(norm: str, evidence: float, model: ProseModel) -> float:
    """A value with the sign of ``prose_score`` (exact when the cheap features leave the sign open):
    the costlier features are only computed while they could still change it. Same verdicts as
    ``prose_score`` > 0, several times faster on plain paragraphs."""
    w = model.w
    pieces = norm.split()
    n: float = len(pieces) or 1
    low = norm.lower()
    stop = sum(map(model.stopword_forms.__contains__, low.split()))
    cjk = 0.0
    if not norm.isascii():
        cjk, cjk_function = cjk_counts(norm, model)
        if cjk:
            n, stop = max(n, len(pieces) + cjk - 1), stop + cjk_function
    z = model.bias + w[0] * math.log(n) + w[1] * stop / n
    if evidence > 0:
        z += w[3] * evidence
    if n < 8 and norm[-1:].isalnum():
        z += w[4]
    if _TERMINAL_RE.search(norm) is not None:
        z += w[2]
    elif cjk:
        z += model.weights.get("cjk_unterminated", 0.0)
    if "|" in norm or "•" in norm or "·" in norm or "»" in norm:
        z += w[5] * sum(norm.count(p) for p in _PIPES)
    if ("/" in norm or "@" in norm or "www" in low) and _URL_RE.search(norm):
        z += w[6]
    low_bound, high_bound = model.rest_bounds
    if z + low_bound > 0:
        return z + low_bound
    if z + high_bound <= 0:
        return z + high_bound
    caps = sum(1 for word in pieces if word[:1].isupper())
    z += w[7] * caps / n
    low_bound -= min(0.0, w[7])
    high_bound -= max(0.0, w[7])
    if z + low_bound > 0:
        return z + low_bound
    if z + high_bound <= 0:
        return z + high_bound
    title_function = 0
    if caps > 1:
        forms = model.title_function_forms
        if sum(map(forms.__contains__, pieces[1:])):
            for k in range(1, len(pieces)):
                if pieces[k] in forms and pieces[k - 1][-1:] not in _SENTENCE_END:
                    title_function += 1
    z += w[8] * min(title_function, 4)
    return z + w[9] * sum(map(norm.count, "0123456789")) / max(1, len(norm))


@dataclass(slots=True)
class Run:
    """The article run over the content lines: ``first``..``last`` are line indices (inclusive)."""

    first: int
    last: int
    words: float  # prose words inside
    outside_lines: int  # content lines outside the run
    trusted: bool  # furniture is visible around the run: lines outside may be removed


def best_run(values: list[float]) -> tuple[float, int, int]:
    """(total, first, last) of the run of ``values`` with the largest total (Kadane)."""
    best_sum, best = -math.inf, (0, 0)
    cur, start = 0.0, 0
    for k, v in enumerate(values):
        if cur <= 0:
            cur, start = v, k
        else:
            cur += v
        if cur > best_sum:
            best_sum, best = cur, (start, k)
    return best_sum, best[0], best[1]


def best_run_starting_in(values: list[float], first: int, last: int) -> tuple[float, int, int]:
    """(total, first, last) of the best run whose first element lies in ``first..last``."""
    n = len(values)
    prefix = [0.0] * (n + 1)
    for k, v in enumerate(values):
        prefix[k + 1] = prefix[k] + v
    # best end for each start: the largest prefix[e + 1] with e >= start
    suffix_best = [(-math.inf, n)] * (n + 1)
    for e in range(n - 1, -1, -1):
        here = (prefix[e + 1], e)
        suffix_best[e] = here if here[0] > suffix_best[e + 1][0] else suffix_best[e + 1]
    best = (-math.inf, first, first)
    for s in range(max(0, first), min(n - 1, last) + 1):
        top, end = suffix_best[s]
        if top - prefix[s] > best[0]:
            best = (top - prefix[s], s, end)
    return best


def article_run(content: list[int], values: list[float], prose_words: list[float],
                model: ProseModel, anchor: int | None = None) -> Run | None:
    """The run of content lines with the largest total value (Kadane), widened over short gaps
    to further runs of prose worth more than the gap. ``values`` and ``prose_words`` are indexed
    by position in ``content``; ``anchor`` is the position of the headline when it is known: the
    run then starts just below it unless a run elsewhere is far richer. None when there is no
    content."""
    if not content:
        return None
    total, lo, hi = best_run(values)
    if anchor is not None and anchor + 1 < len(values):
        near = best_run_starting_in(values, anchor + 1, anchor + model.headline_window)
        if near[0] >= model.min_run_words and near[0] >= model.anchor_share * total:
            total, lo, hi = near
    hi = _widen(values, lo, hi, model, step=1)
    if anchor is None or lo <= anchor:
        lo = _widen(values, lo, hi, model, step=-1)
    words = sum(prose_words[lo:hi + 1])
    outside = len(content) - (hi - lo + 1)
    trusted = (words >= model.min_run_words and outside >= model.min_outside_lines
               and outside >= model.min_outside_share * (len(content) - outside))
    return Run(content[lo], content[hi], words, outside, trusted)


def _widen(values: list[float], lo: int, hi: int, model: ProseModel, step: int) -> int:
    """Grow the run [lo, hi] forwards (step 1, returns the new hi) or backwards (step -1, returns
    the new lo) while a further run of prose beyond a gap is worth at least ``gap_words`` and more
    than ``gap_factor`` times the gap's cost (the largest run alone never pays for a gap: with a
    factor below 1, a second block of article text beyond an inserted list still joins)."""
    edge = hi if step == 1 else lo
    n = len(values)
    while True:
        k = edge + step
        gap = 0.0
        while 0 <= k < n and values[k] <= 0:
            gap -= values[k]
            k += step
        gain = 0.0
        end = k
        while 0 <= k < n and values[k] > 0:
            gain += values[k]
            end = k
            k += step
        if gain < model.gap_words or gain <= model.gap_factor * gap:
            return edge
        edge = end
