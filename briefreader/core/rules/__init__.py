"""Cleaning rules as data: the shipped defaults (default.yaml) plus a corpus's extra rules.

A rule says which lines are page furniture and why. The cleaner (briefreader.core.clean) never
hard-codes wording; it reads the compiled rules built here. See default.yaml for the schema.

A corpus's own rules (the ``boilerplate:`` list of its ``briefreader.yaml``) come from someone else
and may be slow on purpose or by accident (``(a|a)+b`` backtracks exponentially). They run in the
``regex`` module with a time budget (:class:`RegexBudget`): a call that takes longer than
:data:`RULE_CALL_SECONDS`, or a rule that spends more than its allowance over a load, is disabled
for the rest of the load with one notice (see :meth:`CleaningRules.take_notices`). The shipped
rules are trusted and stay in the standard ``re`` module, combined into a few fast alternations.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import lru_cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Bump when the cleaning algorithm changes in a way that changes its output for the same rules.
ENGINE_VERSION = "clean-2"

SCOPES = ("line", "block", "after", "phrase")
FIELDS = ("dateline", "date", "byline", "url")
ZONES = ("any", "edges", "head")
_KNOWN_KEYS = {"id", "pattern", "text", "words", "triggers", "reason", "scope", "weight", "field",
               "zone", "max_words", "sentence", "case_sensitive"}
_WORD = re.compile(r"\w+")

DEFAULT_RULES_PATH = Path(__file__).with_name("default.yaml")

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_GLOBAL_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")

# Budget of a corpus's own patterns. A line-sized match of a sane pattern takes microseconds.
RULE_CALL_SECONDS = 0.1  # one call longer than this disables the rule
RULE_GRACE_SECONDS = 0.5  # a rule may spend this much in a load, plus per call and per character:
RULE_SECONDS_PER_CALL = 50e-6
RULE_SECONDS_PER_CHAR = 1e-6  # (1 MB/s: ten times slower than a plain pattern on a long line)
MAX_MANIFEST_RULES = 100
MAX_PATTERN_CHARS = 2000


class RegexBudget:
    """Time spent in a corpus's patterns in this process, per rule; a rule over budget is
    disabled (it stops matching anything) and leaves one notice."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.spent: dict[str, list[float]] = {}  # label -> [seconds, calls, characters]
        self.disabled: dict[str, str] = {}  # label -> why
        self._notices: list[str] = []

    def reset(self) -> None:
        """Forget what was spent and disabled (a new load starts)."""
        with self._lock:
            self.spent.clear()
            self.disabled.clear()
            self._notices.clear()

    def take_notices(self) -> list[str]:
        """Notices of rules disabled since the last call."""
        with self._lock:
            notices, self._notices = self._notices, []
        return notices

    def run(self, pattern: BudgetedPattern, method: str, text: str) -> Any:
        """``pattern.compiled.<method>(text)`` under the budget: None when the rule is disabled or
        this call runs out of time (which disables it)."""
        label = pattern.label
        if label in self.disabled:
            return None
        started = time.perf_counter()
        timed_out = False
        try:
            return getattr(pattern.compiled, method)(text, timeout=RULE_CALL_SECONDS)
        except TimeoutError:
            timed_out = True
            return None
        finally:
            elapsed = time.perf_counter() - started
            with self._lock:
                tally = self.spent.setdefault(label, [0.0, 0, 0])
                tally[0] += elapsed
                tally[1] += 1
                tally[2] += len(text)
                allowance = (RULE_GRACE_SECONDS + RULE_SECONDS_PER_CALL * tally[1]
                             + RULE_SECONDS_PER_CHAR * tally[2])
                why = None
                if timed_out:
                    why = f"took over {RULE_CALL_SECONDS:g} s on one line"
                elif tally[0] > allowance:
                    why = "is too slow on this corpus (over its time allowance)"
                if why is not None and label not in self.disabled:
                    self.disabled[label] = why
                    logger.info("%s disabled: %s (a line of %d characters)", label, why, len(text))
                    if not pattern.quiet:
                        shown = pattern.source if len(pattern.source) <= 60 else pattern.source[:57] + "..."
                        self._notices.append(f"{label}: pattern {shown!r} {why}; rule disabled for this load")


class BudgetedPattern:
    """A corpus-supplied pattern compiled with the ``regex`` module; ``fullmatch``/``search``/
    ``match`` run under a :class:`RegexBudget` and return None once the rule is disabled."""

    __slots__ = ("label", "source", "compiled", "budget", "quiet")

    def __init__(self, label: str, source: str, compiled: Any, budget: RegexBudget, quiet: bool = False) -> None:
        self.label = label
        self.source = source
        self.compiled = compiled
        self.budget = budget
        self.quiet = quiet  # disabled without a notice (the combined pattern: its rules report themselves)

    @property
    def disabled(self) -> bool:
        return self.label in self.budget.disabled

    def fullmatch(self, text: str) -> Any:
        return self.budget.run(self, "fullmatch", text)

    def search(self, text: str) -> Any:
        return self.budget.run(self, "search", text)

    def match(self, text: str) -> Any:
        return self.budget.run(self, "match", text)


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """One compiled cleaning rule."""

    id: str
    pattern: str  # placeholders expanded, inline flags normalised
    reason: str
    scope: str = "line"
    weight: int = 3
    field: str | None = None
    zone: str = "any"
    max_words: int | None = None
    sentence: bool | None = None  # False: only lines not shaped like a sentence
    case_sensitive: bool = False
    origin: str = "default"  # "default" or "manifest"
    words: frozenset[str] = frozenset()  # phrase rules given as a word list
    triggers: tuple[str, ...] = ()  # phrase rules: only tried on lines containing one of these
    budgeted: BudgetedPattern | None = None  # corpus rules: the pattern under a time budget

    @property
    def regex(self) -> Any:
        """The rule's own compiled pattern (compiled on first use, then cached); for a corpus's
        rules a :class:`BudgetedPattern` with the same ``fullmatch``/``search``/``match``."""
        if self.budgeted is not None:
            return self.budgeted
        return _compiled(self.pattern, 0 if self.case_sensitive else re.IGNORECASE)

    def guard_ok(self, words: int, is_sentence: bool) -> bool:
        """Whether the rule's shape guards allow it on a line with this shape."""
        if self.max_words is not None and words > self.max_words:
            return False
        return not (self.sentence is False and is_sentence)


@dataclass(slots=True, eq=False)
class CleaningRules:
    """Every rule in force for one corpus, compiled for speed, with a digest for cache keys."""

    rules: tuple[Rule, ...] = ()
    extra: list[dict[str, Any]] = dc_field(default_factory=list)
    digest: str = ""
    defines: dict[str, str] = dc_field(default_factory=dict)
    # line-shaped rules (line/block/after) in priority order, combined into one fullmatch regex
    line_rules: tuple[Rule, ...] = ()
    # (max words, combined regex, outer group index -> line_rules index): a line of n words uses
    # the first bucket whose limit is >= n; a bucket leaves out rules that allow fewer words
    line_buckets: tuple[tuple[int | None, re.Pattern[str], dict[int, int]], ...] = ()
    # phrase rules combined into one finditer regex (multiline, run over the whole text)
    phrase_rules: tuple[Rule, ...] = ()
    # phrase rules indexed by word: word -> phrase rule indices (word lists and pattern triggers)
    phrase_words: dict[str, tuple[int, ...]] = dc_field(default_factory=dict)
    phrase_word_set: frozenset[str] = frozenset()
    # whitespace-split tokens with punctuation attached ("cookies," "(subscribe") -> the word
    phrase_variants: dict[str, str] = dc_field(default_factory=dict, repr=False)
    phrase_variant_set: frozenset[str] = dc_field(default=frozenset(), repr=False)
    phrase_substrings: tuple[tuple[str, int], ...] = ()  # non-word triggers ("©")
    phrase_always: tuple[int, ...] = ()  # pattern rules without triggers
    phrase_rank: dict[str, int] = dc_field(default_factory=dict)  # rule id -> priority (lower first)
    # memo of short lines' verdicts: page furniture repeats across a corpus, so most short lines
    # have been judged before (bounded; cleared when full)
    line_cache: dict[str, Any] = dc_field(default_factory=dict, repr=False)
    evidence_cache: dict[str, Any] = dc_field(default_factory=dict, repr=False)
    meta_cache: dict[Any, Any] = dc_field(default_factory=dict, repr=False)
    # metadata patterns (named groups) by kind: inline_dateline, outlet, author
    meta_patterns: dict[str, tuple[re.Pattern[str], ...]] = dc_field(default_factory=dict)
    # the corpus's own line rules come first in line_rules and are tried one by one (budgeted);
    # the combined buckets hold the shipped rules only
    manifest_line_count: int = 0
    # ... and all of them combined into one alternation (one budgeted call per line instead of one
    # per rule); when it is too slow, the rules are tried one by one and the slow one is disabled
    manifest_combined: tuple[BudgetedPattern, dict[int, int]] | None = None
    budget: RegexBudget = dc_field(default_factory=RegexBudget, repr=False)
    problems: tuple[str, ...] = ()  # corpus rules left out (over the count limit)

    def take_notices(self) -> list[str]:
        """One line per corpus rule disabled (too slow) since the last call."""
        return self.budget.take_notices()

    def reset_budget(self) -> None:
        """Give every corpus rule its full budget again (called when a load starts). Verdicts
        remembered while a rule was disabled are forgotten: they would hide it from now on."""
        if self.budget.disabled:
            self.line_cache.clear()
            self.evidence_cache.clear()
            self.meta_cache.clear()
        self.budget.reset()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # worker processes rebuild (and cache) the rules instead of unpickling compiled regexes
        return (load_rules, (self.extra or None,))

    def rules_for_field(self, name: str) -> list[Rule]:
        return [r for r in self.line_rules if r.field == name]

    def match_line(self, text: str, words: int, is_sentence: bool, start: int = 0) -> Rule | None:
        """The first line-shaped rule (from ``start`` in priority order) whose pattern matches the
        whole of ``text`` and whose shape guards allow it."""
        first_shipped = self.manifest_line_count
        combined = self.manifest_combined
        if start == 0 and combined is not None and not combined[0].disabled:
            m = combined[0].fullmatch(text)
            if m is not None:
                idx = combined[1][m.lastindex or 0]
                rule = self.line_rules[idx]
                if rule.guard_ok(words, is_sentence):
                    return rule
                start = idx + 1
            elif not combined[0].disabled:  # no corpus rule matches this line
                start = first_shipped
        while start < first_shipped:  # the corpus's own rules, one by one under their budget
            rule = self.line_rules[start]
            start += 1
            if rule.guard_ok(words, is_sentence) and rule.regex.fullmatch(text):
                return rule
        if start == first_shipped:
            bucket = None
            for candidate in self.line_buckets:  # the first bucket of rules allowed on this many words
                if candidate[0] is None or words <= candidate[0]:
                    bucket = candidate
                    break
            if bucket is None:
                return None
            _, regex, group_rule = bucket
            m = regex.fullmatch(text)
            if m is None:
                return None
            idx = first_shipped + group_rule[m.lastindex or 0]
            rule = self.line_rules[idx]
            if rule.guard_ok(words, is_sentence):
                return rule
            start = idx + 1
        for rule in self.line_rules[start:]:
            if rule.guard_ok(words, is_sentence) and rule.regex.fullmatch(text):
                return rule
        return None


@lru_cache(maxsize=4096)
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


@lru_cache(maxsize=4096)
def _group_count(pattern: str) -> int:
    try:  # parsing alone is enough to count groups (much cheaper than compiling)
        from re import _parser  # type: ignore[attr-defined]

        return int(_parser.parse(pattern).state.groups) - 1
    except (ImportError, AttributeError):
        return re.compile(pattern).groups


def _expand(pattern: str, defines: dict[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in defines:
            raise ValueError(f"{where}: unknown placeholder {{{{{name}}}}}")
        return defines[name]

    # defines may refer to earlier defines
    for _ in range(5):
        new = _PLACEHOLDER.sub(sub, pattern)
        if new == pattern:
            break
        pattern = new
    m = _GLOBAL_FLAGS.match(pattern)
    if m:  # "(?i)rest" -> "(?i:rest)" so the rule can be combined with others
        flags = m.group(1).replace("L", "").replace("a", "").replace("u", "")
        pattern = f"(?{flags}:{pattern[m.end():]})" if flags else pattern[m.end():]
    return pattern


def _rule_mapping(raw: Any, where: str) -> dict[str, Any]:
    """A rule as a mapping (a bare string is a literal line), with known keys only."""
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping like {{pattern: '...', reason: '...'}} or a "
                         f"line of text, got {type(raw).__name__}")
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))} "
                         f"(known: {', '.join(sorted(_KNOWN_KEYS))})")
    return raw


def _phrase_words(raw: dict[str, Any], scope: str,
                  where: str) -> tuple[dict[str, Any], frozenset[str], tuple[str, ...]]:
    """A phrase rule's word list (turned into its pattern) and trigger words, checked."""
    words: frozenset[str] = frozenset()
    triggers: tuple[str, ...] = ()
    if "words" in raw:
        if scope != "phrase":
            raise ValueError(f"{where}: 'words' only applies to scope: phrase")
        if "pattern" in raw or "text" in raw:
            raise ValueError(f"{where}: give 'words' or a pattern, not both")
        words = frozenset(_word_list(raw["words"], where, "words"))
        raw = {**raw, "pattern": "|".join(rf"\b{re.escape(w)}\b" for w in sorted(words))}
    if "triggers" in raw:
        if scope != "phrase" or words:
            raise ValueError(f"{where}: 'triggers' only applies to phrase rules with a pattern")
        triggers = tuple(_word_list(raw["triggers"], where, "triggers", allow_symbols=True))
    return raw, words, triggers


def _rule_pattern(raw: dict[str, Any], defines: dict[str, str], where: str) -> str:
    """The rule's regular expression: a literal line's words with any spacing, or its pattern with
    placeholders expanded."""
    if ("pattern" in raw) == ("text" in raw):
        raise ValueError(f"{where}: give exactly one of 'pattern' (a regular expression) or 'text' "
                         f"(a literal line)")
    if "text" in raw:
        text = raw["text"]
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{where}: 'text' must be a non-empty string")
        return r"\s*".join(re.escape(part) for part in text.split())
    pattern = raw["pattern"]
    if not isinstance(pattern, str) or not pattern:
        raise ValueError(f"{where}: 'pattern' must be a non-empty string")
    return _expand(pattern, defines, where)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _rule_options(raw: dict[str, Any], scope: str, origin: str, where: str) -> dict[str, Any]:
    """The rule's reason, weight, field, zone and shape guards, checked."""
    reason = raw.get("reason", "boilerplate (corpus rule)" if origin == "manifest" else None)
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"{where}: 'reason' must be a non-empty string")
    weight = raw.get("weight", 3)
    if not _is_int(weight):
        raise ValueError(f"{where}: 'weight' must be an integer")
    fld = raw.get("field")
    if fld is not None and fld not in FIELDS:
        raise ValueError(f"{where}: field must be one of {', '.join(FIELDS)}")
    if fld is not None and scope != "line":
        raise ValueError(f"{where}: 'field' only applies to scope: line")
    zone = raw.get("zone", "any")
    if zone not in ZONES:
        raise ValueError(f"{where}: zone must be one of {', '.join(ZONES)}")
    max_words = raw.get("max_words")
    if max_words is not None and (not _is_int(max_words) or max_words < 1):
        raise ValueError(f"{where}: 'max_words' must be a positive integer")
    sentence = raw.get("sentence")
    if sentence is not None and not isinstance(sentence, bool):
        raise ValueError(f"{where}: 'sentence' must be true or false")
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise ValueError(f"{where}: 'case_sensitive' must be true or false")
    return {"reason": reason.strip(), "weight": weight, "field": fld, "zone": zone, "max_words": max_words,
            "sentence": sentence, "case_sensitive": case_sensitive}


def _corpus_pattern(pattern: str, scope: str, case_sensitive: bool, where: str,
                    budget: RegexBudget) -> BudgetedPattern:
    """A corpus rule's pattern under its time budget, refused when it matches an empty line."""
    budgeted = _budgeted_pattern(pattern, case_sensitive, where, budget)
    if scope != "phrase" and budgeted.fullmatch("") is not None:
        raise ValueError(f"{where}: pattern matches an empty line; it would match everything")
    if scope == "phrase" and budgeted.search("") is not None:
        raise ValueError(f"{where}: phrase pattern matches the empty string")
    return budgeted


def _build_rule(raw: Any, index: int, origin: str, defines: dict[str, str],
                budget: RegexBudget | None = None) -> Rule:
    """One rule from its YAML form, checked (a ``ValueError`` names the rule and the problem)."""
    where = f"{'boilerplate rule' if origin == 'manifest' else 'default rule'} #{index + 1}"
    raw = _rule_mapping(raw, where)
    rule_id = str(raw.get("id") or f"{origin}-{index + 1}")
    where = f"{where} ({rule_id})" if raw.get("id") else where
    scope = raw.get("scope", "line")
    if scope not in SCOPES:
        raise ValueError(f"{where}: scope must be one of {', '.join(SCOPES)}, got {scope!r}")
    raw, words, triggers = _phrase_words(raw, scope, where)
    pattern = _rule_pattern(raw, defines, where)
    options = _rule_options(raw, scope, origin, where)
    if _BACKREF.search(pattern):
        raise ValueError(f"{where}: backreferences are not supported in rule patterns")
    budgeted = None
    if origin != "default":  # the shipped rules are checked by the test suite; compile lazily
        budgeted = _corpus_pattern(pattern, scope, options["case_sensitive"], where, budget or RegexBudget())
    return Rule(id=rule_id, pattern=pattern, scope=scope, origin=origin, words=words, triggers=triggers,
                budgeted=budgeted, **options)


def _budgeted_pattern(pattern: str, case_sensitive: bool, where: str, budget: RegexBudget) -> BudgetedPattern:
    """A corpus rule's pattern compiled with the ``regex`` module (whose matching can be stopped
    after a time limit; the standard ``re`` cannot be interrupted)."""
    import regex

    if len(pattern) > MAX_PATTERN_CHARS:
        raise ValueError(f"{where}: pattern is {len(pattern):,} characters long (at most {MAX_PATTERN_CHARS:,})")
    try:
        compiled = regex.compile(pattern, 0 if case_sensitive else regex.IGNORECASE)
    except (regex.error, ValueError, OverflowError, RecursionError, MemoryError) as exc:
        raise ValueError(f"{where}: invalid regular expression {pattern!r}: {exc}") from None
    return BudgetedPattern(where, pattern, compiled, budget)


def _word_list(value: Any, where: str, key: str, allow_symbols: bool = False) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip()
                                                           for w in value):
        raise ValueError(f"{where}: '{key}' must be a non-empty list of words")
    out = [w.strip().lower() for w in value]
    for w in out:
        if not allow_symbols and not _WORD.fullmatch(w):
            raise ValueError(f"{where}: '{key}' entries must be single words, got {w!r}")
    return out


_BUCKET_LIMITS = (3, 6, 12, 30, None)
_TOKEN_PREFIXES = ("", "(", "[", "“", '"', "‘", "'", "«", "#")
_TOKEN_SUFFIXES = ("", ",", ".", ":", ";", "?", "!", ")", "]", "”", '"', "’", "'", "»", "’s", "'s",
                   ".”", ",”", '."', ',"', "),", ").", "?”", "!”", "…", "...", ".’", ",’")


def _token_variants(words: dict[str, Any]) -> dict[str, str]:
    """Every word with the punctuation a whitespace split leaves attached, mapped to the word, so
    trigger words are found with one set intersection per line."""
    out: dict[str, str] = {}
    for word in words:
        for pre in _TOKEN_PREFIXES:
            for suf in _TOKEN_SUFFIXES:
                out[pre + word + suf] = word
    return out



def _buckets(rules: list[Rule]) -> tuple[tuple[int | None, re.Pattern[str], dict[int, int]], ...]:
    out = []
    previous = 0
    for limit in _BUCKET_LIMITS:
        members = [i for i, r in enumerate(rules) if r.max_words is None or r.max_words > previous]
        regex, group_map = _combine([rules[i] for i in members])
        if regex is not None:
            out.append((limit, regex, {g: members[k] for g, k in group_map.items()}))
        previous = limit or 0
    return tuple(out)


def _combine(rules: list[Rule]) -> tuple[re.Pattern[str] | None, dict[int, int]]:
    """One alternation of all rules; outer group number -> rule index (the outer group closes
    last, so ``match.lastindex`` names the rule that matched)."""
    if not rules:
        return None, {}
    parts: list[str] = []
    group_rule: dict[int, int] = {}
    group = 1
    for i, rule in enumerate(rules):
        body = _NAMED_GROUP.sub("(?:", rule.pattern)
        try:
            inner = _group_count(body)
        except re.error as exc:
            raise ValueError(f"rule {rule.id}: invalid regular expression: {exc}") from None
        flag = "(?-i:" if rule.case_sensitive else "(?:"
        parts.append(f"({flag}{body}))")
        group_rule[group] = i
        group += 1 + inner
    return re.compile("|".join(parts), re.IGNORECASE), group_rule


def _combine_budgeted(rules: list[Rule], budget: RegexBudget) -> tuple[BudgetedPattern, dict[int, int]] | None:
    """A corpus's line rules as one budgeted alternation; outer group number -> rule index (as in
    :func:`_combine`). None for fewer than two rules or when they cannot be combined."""
    if len(rules) < 2:
        return None
    import regex

    parts: list[str] = []
    group_rule: dict[int, int] = {}
    group = 1
    try:
        for i, rule in enumerate(rules):
            body = _NAMED_GROUP.sub("(?:", rule.pattern)
            inner = regex.compile(body).groups
            parts.append(f"({'(?-i:' if rule.case_sensitive else '(?:'}{body}))")
            group_rule[group] = i
            group += 1 + inner
        compiled = regex.compile("|".join(parts), regex.IGNORECASE)
    except (regex.error, ValueError, OverflowError, RecursionError, MemoryError) as exc:
        logger.info("corpus rules not combined (%s); tried one by one", exc)
        return None
    return BudgetedPattern("corpus line rules together", "|".join(parts), compiled, budget, quiet=True), group_rule


@lru_cache(maxsize=1)
def _default_data() -> tuple[str, dict[str, str], tuple[Rule, ...],
                             dict[str, tuple[re.Pattern[str], ...]]]:
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    from briefreader.core.safe_yaml import load_yaml

    data = load_yaml(text)
    defines = {str(k): str(v) for k, v in (data.get("defines") or {}).items()}
    rules = tuple(_build_rule(r, i, "default", defines) for i, r in enumerate(data.get("rules") or []))
    meta = {
        str(kind): tuple(re.compile(_expand(str(p), defines, f"metadata.{kind}"), re.IGNORECASE)
                         for p in (patterns or []))
        for kind, patterns in (data.get("metadata") or {}).items()
    }
    return hashlib.sha1(text.encode("utf-8")).hexdigest(), defines, rules, meta


_CACHE: dict[str, CleaningRules] = {}


def rules_digest(extra: list[dict[str, Any]] | None = None) -> str:
    """The digest :func:`load_rules` gives the rules (``CleaningRules.digest``), without building them."""
    if extra is not None and not isinstance(extra, list):
        raise ValueError(f"boilerplate rules must be a list, got {type(extra).__name__}")
    default_hash = hashlib.sha1(DEFAULT_RULES_PATH.read_text(encoding="utf-8").encode("utf-8")).hexdigest()
    try:
        extra_key = json.dumps(list(extra or []), sort_keys=True, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        extra_key = repr(extra)
    return hashlib.sha1(f"{ENGINE_VERSION}\0{default_hash}\0{extra_key}".encode()).hexdigest()[:16]


def load_rules(extra: list[dict[str, Any]] | None = None) -> CleaningRules:
    """Default rules shipped with the package plus a corpus's extra rules (from its manifest).

    ``extra`` is the manifest's ``boilerplate:`` list: each item a line of text or a mapping
    (pattern|text, reason, scope, ...; see default.yaml). Raises ValueError with a message naming
    the broken rule when one cannot be used.
    """
    if not extra:
        cached = _CACHE.get("")
        if cached is not None:
            return cached
    digest = rules_digest(extra)
    extra = list(extra or [])
    default_hash, defines, defaults, meta = _default_data()
    cached = _CACHE.get(digest)
    if cached is not None:
        return cached
    problems: list[str] = []
    if len(extra) > MAX_MANIFEST_RULES:
        problems.append(f"{len(extra):,} boilerplate rules; only the first {MAX_MANIFEST_RULES} are used")
        extra_used = extra[:MAX_MANIFEST_RULES]
    else:
        extra_used = extra
    budget = RegexBudget()
    user = [_build_rule(r, i, "manifest", defines, budget) for i, r in enumerate(extra_used)]
    everything = user + list(defaults)
    user_line_rules = [r for r in user if r.scope != "phrase"]
    line_rules = user_line_rules + [r for r in defaults if r.scope != "phrase"]
    phrase_rules = [r for r in everything if r.scope == "phrase"]
    line_buckets = _buckets(line_rules[len(user_line_rules):])
    manifest_combined = _combine_budgeted(user_line_rules, budget)
    by_word: dict[str, list[int]] = {}
    substrings: list[tuple[str, int]] = []
    always: list[int] = []
    for i, rule in enumerate(phrase_rules):
        keys = rule.words or rule.triggers
        if not keys:
            always.append(i)
        for key in keys:
            if _WORD.fullmatch(key):
                by_word.setdefault(key, []).append(i)
            else:
                substrings.append((key, i))
    variants = _token_variants(by_word)
    result = CleaningRules(rules=tuple(everything), extra=extra, digest=digest, defines=defines,
                           line_rules=tuple(line_rules), line_buckets=line_buckets,
                           phrase_rules=tuple(phrase_rules),
                           meta_patterns=meta,
                           phrase_words={w: tuple(ix) for w, ix in by_word.items()},
                           phrase_word_set=frozenset(by_word), phrase_substrings=tuple(substrings),
                           phrase_variants=variants, phrase_variant_set=frozenset(variants),
                           phrase_always=tuple(always),
                           phrase_rank={r.id: i for i, r in enumerate(phrase_rules)},
                           manifest_line_count=len(user_line_rules), budget=budget,
                           manifest_combined=manifest_combined,
                           problems=tuple(problems))
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[digest] = result
    if not extra:
        _CACHE[""] = result
    return result
