"""Bounded work per file and per request (issue 10, finding 4) and UTF-8 with stray bytes (finding 7).

Hostile files are built as an attacker would (tests/helpers/hostile_files.py); every command must
answer with one warning per hostile file while the ordinary articles load. Subprocess timeouts here
only stop a hang from blocking the suite; speed figures live in bench/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefreader.core import rules as rules_module
from briefreader.core.clean import clean_text
from briefreader.storage.corpus import load_corpus
from briefreader.core.decode import decode_bytes
from briefreader.core.manifest import load_manifest
from briefreader.core.rules import RegexBudget, load_rules
from briefreader.core.safe_json import JSONTooDeep, json_depth, loads_bounded, too_deep
from briefreader.core.safe_yaml import MAX_ALIAS_NODES, YAMLProblem, load_yaml
from briefreader.core.search_query import (
    MAX_FUZZY_DISTANCE,
    MAX_QUERY_WORDS,
    QuerySyntaxError,
    build_schema,
    make_parser,
    parse_query,
)

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
sys.path.insert(0, str(HELPERS))

import hostile_files  # noqa: E402
from hostile_files import BILLION_LAUGHS, hostile_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent.parent


def warnings_by_path(corpus) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for warning in corpus.warnings:
        out.setdefault(warning.path, []).append(warning.message)
    return out


# --------------------------------------------------------------------------- YAML


@pytest.mark.parametrize("pure_python", [False, True])
def test_yaml_alias_bomb_is_refused_with_its_line(pure_python: bool) -> None:
    with pytest.raises(YAMLProblem) as caught:
        load_yaml(BILLION_LAUGHS, pure_python=pure_python)
    assert "alias bomb" in caught.value.problem
    # refused at the first alias whose expansion passes the bound: level "e" (9^5 values), line 5
    assert caught.value.line == 5


@pytest.mark.parametrize("pure_python", [False, True])
@pytest.mark.parametrize("text", ["&a [*a]", "title: &t [a, *t]", "m: &m {k: *m}"])
def test_yaml_structure_holding_itself_is_refused(text: str, pure_python: bool) -> None:
    with pytest.raises(YAMLProblem, match="contains it"):
        load_yaml(text, pure_python=pure_python)


@pytest.mark.parametrize("pure_python", [False, True])
@pytest.mark.parametrize("text", ["[" * 101 + "]" * 101, "[" * 5000 + "]" * 5000, "a:\n" + "".join(
    "  " * i + f"k{i}:\n" for i in range(1, 120)) + "  " * 120 + "x"])
def test_yaml_deep_nesting_is_refused_not_a_recursion_error(text: str, pure_python: bool) -> None:
    with pytest.raises(YAMLProblem, match="nest"):
        load_yaml(text, pure_python=pure_python)


@pytest.mark.parametrize("text, fragment", [("date: 2025-13-45", "month must be"),
                                            ("n: " + "9" * 5000, "digits"),
                                            ("a: [1, 2", "expected")])
def test_yaml_values_pyyaml_cannot_build_are_one_problem(text: str, fragment: str) -> None:
    with pytest.raises(YAMLProblem, match=fragment):
        load_yaml(text)


def test_yaml_ordinary_aliases_and_merges_still_work() -> None:
    text = "base: &b {outlet: Wire, language: en}\none: {<<: *b, title: One}\nlist: [*b, *b, *b]\n"
    data = load_yaml(text)
    assert data["one"] == {"outlet": "Wire", "language": "en", "title": "One"}
    assert data["list"] == [data["base"]] * 3


def test_yaml_alias_bound_is_on_expanded_values_not_on_aliases() -> None:
    # a mapping of 10 keys is 21 nodes (itself, keys, values); used 400 times it adds 8,400: allowed
    mapping = "x: &x {" + ", ".join(f"k{i}: {i}" for i in range(10)) + "}\n"
    assert len(load_yaml(mapping + "y: [" + ", ".join(["*x"] * 400) + "]\n")["y"]) == 400
    uses = MAX_ALIAS_NODES // 21 + 20
    with pytest.raises(YAMLProblem, match="alias"):
        load_yaml(mapping + "y: [" + ", ".join(["*x"] * uses) + "]\n")


def test_yaml_size_cap() -> None:
    with pytest.raises(YAMLProblem, match="too big"):
        load_yaml("a: " + "x" * 2000, max_chars=1000)
    assert load_yaml("a: b", max_chars=1000) == {"a": "b"}


# --------------------------------------------------------------------------- JSON


def test_json_depth_ignores_brackets_in_strings() -> None:
    assert json_depth('{"a": "[[[[{{{{", "b": ["x\\"[[["]}') == 2
    assert json_depth("[[[") == 3  # unclosed counts as open
    assert not too_deep('{"text": "' + "[" * 500 + '"}')
    assert too_deep("[" * 101 + "]" * 101) and not too_deep("[" * 100 + "]" * 100)


def test_loads_bounded() -> None:
    assert loads_bounded('{"a": [1, [2]]}') == {"a": [1, [2]]}
    assert loads_bounded('{"a": 1}'.encode("utf-16")) == {"a": 1}
    with pytest.raises(JSONTooDeep):
        loads_bounded("[" * 100_000 + "]" * 100_000)


def test_deep_json_and_jsonl_are_one_warning_each(tmp_path: Path) -> None:
    hostile_files.deep_json(tmp_path)
    hostile_files.deep_jsonl(tmp_path)
    (tmp_path / "ok.txt").write_text(hostile_files.ORDINARY["ordinary-one.txt"], encoding="utf-8")
    corpus = load_corpus(tmp_path, use_cache=False)
    found = warnings_by_path(corpus)
    assert found["deep.json"] == ["nested deeper than 100 levels; file skipped"]
    assert found["feed.jsonl"] == ["line 2: nested deeper than 100 levels, record skipped"]
    assert sorted(a.id for a in corpus.articles) == ["feed.jsonl#1", "ok.txt"]


def test_a_jsonl_file_of_many_bad_records_is_a_few_lines(tmp_path: Path) -> None:
    (tmp_path / "junk.jsonl").write_text("{broken\n" * 1000 + '{"text": "Officials said the port reopened."}\n',
                                         encoding="utf-8")
    corpus = load_corpus(tmp_path, use_cache=False)
    messages = warnings_by_path(corpus)["junk.jsonl"]
    assert len(messages) == 6
    assert messages[-1] == "... and 995 more problems with records, like these"
    assert [a.id for a in corpus.articles] == ["junk.jsonl#1001"]


def test_a_json_record_with_a_huge_text_is_cut_like_a_text_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefreader.storage import corpus_read  # where the JSON reader looks the bound up

    monkeypatch.setattr(corpus_read, "MAX_ARTICLE_BYTES", 1000)
    body = "The council said on Monday that the budget had been approved. " * 100
    (tmp_path / "big.json").write_text(json.dumps({"text": body, "title": "Budget"}), encoding="utf-8")
    corpus = load_corpus(tmp_path, use_cache=False)
    assert len(corpus.articles) == 1 and len(corpus.articles[0].source) == 1000
    assert len(corpus.warnings) == 1
    assert corpus.warnings[0].message.startswith("record 1: text is")
    assert "too long for one article" in corpus.warnings[0].message


# --------------------------------------------------------------------------- manifest and front matter


def test_front_matter_bomb_and_self_reference_keep_the_article(tmp_path: Path) -> None:
    hostile_files.bomb_front_matter(tmp_path)
    hostile_files.self_referencing_front_matter(tmp_path)
    corpus = load_corpus(tmp_path, use_cache=False)
    found = warnings_by_path(corpus)
    assert len(found["bomb.md"]) == 1 and "alias bomb" in found["bomb.md"][0]
    assert "line 7" in found["bomb.md"][0]  # level "e" of the bomb, after '---' and the title
    assert len(found["loop.md"]) == 1 and "contains it" in found["loop.md"][0]
    by_id = {a.id: a for a in corpus.articles}
    assert by_id["bomb.md"].author is None and "report would be published" in by_id["bomb.md"].body
    assert by_id["loop.md"].title != "a"


def test_oversized_front_matter_is_ignored_with_a_warning(tmp_path: Path) -> None:
    filler = "".join(f"k{i}: {'x' * 60}\n" for i in range(1200))  # ~80 KB
    (tmp_path / "big.md").write_text(f"---\ntitle: Big\n{filler}---\nThe council said on Monday that the "
                                     "budget had been approved.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path, use_cache=False)
    assert any("too big" in m for m in warnings_by_path(corpus)["big.md"])
    assert corpus.articles[0].title != "Big" and "budget had been approved" in corpus.articles[0].body


def test_manifest_alias_bomb_is_one_warning_and_the_corpus_loads(tmp_path: Path) -> None:
    (tmp_path / "briefreader.yaml").write_text("defaults:\n  language: en\n" + BILLION_LAUGHS, encoding="utf-8")
    (tmp_path / "a.txt").write_text(hostile_files.ORDINARY["ordinary-one.txt"], encoding="utf-8")
    manifest, warnings = load_manifest(tmp_path)
    assert len(warnings) == 1 and "alias bomb" in warnings[0].message and "manifest ignored" in warnings[0].message
    assert manifest.defaults == {}
    corpus = load_corpus(tmp_path, use_cache=False)
    assert [a.id for a in corpus.articles] == ["a.txt"]


def test_manifest_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefreader.core import manifest as manifest_module

    monkeypatch.setattr(manifest_module, "MAX_MANIFEST_BYTES", 1000)
    (tmp_path / "briefreader.yaml").write_text("files:\n" + "".join(f"  f{i}.txt: {{outlet: X}}\n" for i in range(100)),
                                               encoding="utf-8")
    _, warnings = load_manifest(tmp_path)
    assert [w.message for w in warnings] == ["bigger than 1 KB; manifest ignored"]


def test_manifest_glob_patterns_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefreader.core import manifest as manifest_module

    monkeypatch.setattr(manifest_module, "MAX_GLOB_PATTERNS", 3)
    (tmp_path / "briefreader.yaml").write_text(
        "files:\n" + "".join(f"  'w{i}/*.txt': {{outlet: X}}\n" for i in range(10)), encoding="utf-8")
    manifest, warnings = load_manifest(tmp_path)
    assert len(manifest.patterns) == 3
    assert [w.message for w in warnings] == ["files: more than 3 glob patterns; the last 7 are ignored"]
    (tmp_path / "briefreader.yaml").write_text(f"files:\n  '{'*a' * 400}': {{outlet: X}}\n  'w/*.txt': {{outlet: Y}}\n",
                                               encoding="utf-8")
    manifest, warnings = load_manifest(tmp_path)
    assert manifest.patterns == [("w/*.txt", {"outlet": "Y"})]
    assert [w.message for w in warnings] == ["files: a glob pattern of 800 characters (at most 512) ignored"]


def test_a_manifest_of_many_bad_entries_is_a_few_warnings(tmp_path: Path) -> None:
    (tmp_path / "briefreader.yaml").write_text(
        "files:\n" + "".join(f"  f{i}.txt: {{colour: red}}\n" for i in range(5000)), encoding="utf-8")
    _, warnings = load_manifest(tmp_path)
    assert len(warnings) == 21 and warnings[-1].message == "... and 4,980 more problems like these"


# --------------------------------------------------------------------------- corpus rules under a budget


def test_slow_rule_is_disabled_once_and_the_others_still_work() -> None:
    rules = load_rules([{"pattern": "(a|a)+b", "reason": "sneaky"},
                        {"text": "Market update", "reason": "section label"},
                        {"scope": "phrase", "pattern": "(x|x)+y", "reason": "sneaky phrase", "weight": 2}])
    rules.reset_budget()
    removed_reasons = []
    for number in range(4):  # four articles, each with the lines these rules backtrack on
        text = f"Market update\n\n{'a' * 40}\n\n{'x' * 40} {number}\n\nTraders said on Wednesday that prices rose.\n"
        removed_reasons.append({b.reason for b in clean_text(text, rules).removed})
    notices = rules.take_notices()
    assert len(notices) == 2
    assert any("'(a|a)+b'" in n and "disabled" in n and "boilerplate rule #1" in n for n in notices)
    assert any("'(x|x)+y'" in n and "boilerplate rule #3" in n for n in notices)
    assert all("section label" in reasons for reasons in removed_reasons)
    assert rules.take_notices() == []  # taken once


def test_budget_allowance_catches_rules_slow_on_every_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # never over the per-call limit, but over its allowance across calls
    monkeypatch.setattr(rules_module, "RULE_GRACE_SECONDS", 0.0)
    monkeypatch.setattr(rules_module, "RULE_SECONDS_PER_CALL", 0.0)
    monkeypatch.setattr(rules_module, "RULE_SECONDS_PER_CHAR", 0.0)
    rules = load_rules([{"pattern": "slow(?:er)? line", "reason": "test"}])
    rules.reset_budget()
    rule = rules.line_rules[0]
    assert rule.origin == "manifest"
    assert rule.regex.fullmatch("slow line") is not None  # the first call spends more than 0 s...
    assert len(rules.take_notices()) == 1
    assert isinstance(rules.budget, RegexBudget) and rule.regex.fullmatch("slow line") is None  # ...then off


def test_corpus_rules_keep_their_priority_over_shipped_rules() -> None:
    # "Advertisement" is page furniture for the shipped rules too; the corpus's own reason wins
    rules = load_rules([{"text": "Advertisement", "reason": "corpus advert"}])
    text = "Headline\n\nAdvertisement\n\nThe minister said on Tuesday that the talks would go on next week.\n"
    assert "corpus advert" in {b.reason for b in clean_text(text, rules).removed}


def test_invalid_and_oversized_corpus_patterns_are_refused() -> None:
    with pytest.raises(ValueError, match="invalid regular expression"):
        load_rules([{"pattern": "(unclosed", "reason": "x"}])
    with pytest.raises(ValueError, match="characters long"):
        load_rules([{"pattern": "a" * 5000, "reason": "x"}])


def test_too_many_corpus_rules_are_cut_with_a_warning(tmp_path: Path) -> None:
    count = rules_module.MAX_MANIFEST_RULES + 5
    manifest = "boilerplate:\n" + "".join(f"  - text: 'Promo line {i}'\n    reason: promo\n" for i in range(count))
    (tmp_path / "briefreader.yaml").write_text(manifest, encoding="utf-8")
    (tmp_path / "a.txt").write_text(hostile_files.ORDINARY["ordinary-one.txt"], encoding="utf-8")
    corpus = load_corpus(tmp_path, use_cache=False)
    assert [w.message for w in corpus.warnings] == [
        f"{count} boilerplate rules; only the first {rules_module.MAX_MANIFEST_RULES} are used"]


def test_slow_manifest_rule_is_one_warning_for_the_whole_corpus(tmp_path: Path) -> None:
    (tmp_path / "briefreader.yaml").write_text(hostile_files.EVIL_RULE_MANIFEST, encoding="utf-8")
    for i in range(5):
        (tmp_path / f"evil{i}.txt").write_text(hostile_files.EVIL_LINE_ARTICLE.replace("Traders", f"Traders {i}"),
                                               encoding="utf-8")
    for use_cache in (True, True, False):  # fresh, then from the record cache, then without it
        corpus = load_corpus(tmp_path, use_cache=use_cache)
        rule_warnings = [w for w in corpus.warnings if w.path == "briefreader.yaml"]
        assert len(rule_warnings) == 1, corpus.warnings
        assert "'(a|a)+b'" in rule_warnings[0].message and "disabled" in rule_warnings[0].message
        assert len(corpus.articles) == 5
        assert all("Market update" not in a.body for a in corpus.articles)  # the sane rule still applied


# --------------------------------------------------------------------------- queries


@pytest.fixture(scope="module")
def parser():
    return make_parser(build_schema())


def test_long_queries_are_refused(parser) -> None:
    with pytest.raises(QuerySyntaxError, match="too long"):
        parse_query(" ".join(["kallas"] * 8000), parser)
    with pytest.raises(QuerySyntaxError, match=f"at most {MAX_QUERY_WORDS}"):
        parse_query(" ".join(["eu"] * (MAX_QUERY_WORDS + 1)), parser)
    parse_query(" ".join(["kallas"] * 20), parser)


@pytest.mark.parametrize("query", ["kallas~99", "kallas~3", "title:kallas~5", "(kallas~9 OR peace)"])
def test_fuzzy_distance_is_capped(parser, query: str) -> None:
    with pytest.raises(QuerySyntaxError, match=f"at most {MAX_FUZZY_DISTANCE} edits") as caught:
        parse_query(query, parser)
    assert f"~{MAX_FUZZY_DISTANCE})" in str(caught.value)  # says what to write instead


def test_fuzzy_within_the_cap_and_quoted_tildes_still_work(parser) -> None:
    parse_query("kallas~2", parser)
    parse_query("kallas~", parser)
    parse_query('"walk into"~5', parser)
    parse_query('"version~99 of the text"', parser)  # inside quotes it is text


def test_phrase_distance_is_capped(parser) -> None:
    with pytest.raises(QuerySyntaxError, match="words apart"):
        parse_query('"walk into"~100000', parser)


def test_expansions_are_bounded_across_the_whole_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefreader.core import search_query
    from briefreader.storage.index import CorpusIndex, SearchSession

    words = [f"word{i:03d}" for i in range(300)]
    (tmp_path / "a.txt").write_text("Headline\n\n" + " ".join(words) + ".\n", encoding="utf-8")
    index = CorpusIndex.open(tmp_path)
    index.update(load_corpus(tmp_path))
    session = SearchSession(index)
    try:
        assert session.search("wor*").total == 1
        monkeypatch.setattr(search_query, "MAX_TOTAL_EXPANSION", 400)
        with pytest.raises(QuerySyntaxError, match="together"):
            session.search("wor* OR word*")
        with pytest.raises(QuerySyntaxError, match="together"):
            session.search("body:[word000 to word999] OR wor*")
    finally:
        session.close()
        index.close()


# --------------------------------------------------------------------------- decoding


def test_utf8_with_a_stray_byte_stays_utf8_and_names_the_offset(tmp_path: Path) -> None:
    name, offset = hostile_files.stray_byte_utf8(tmp_path)
    decoded = decode_bytes((tmp_path / name).read_bytes())
    assert decoded.encoding == "utf-8"
    assert "\u201cWe will not give in.\u201d" in decoded.text and "\u2014" in decoded.text  # no mojibake
    assert "agreed\ufffds plan" in decoded.text
    assert f"byte offset {offset}" in decoded.warning
    corpus = load_corpus(tmp_path, use_cache=False)
    assert [w.message for w in corpus.warnings] == [
        f"utf-8: 1 byte that is not UTF-8 replaced with U+FFFD (at byte offset {offset})"]
    assert "\u201cWe will not give in.\u201d" in corpus.articles[0].body


def test_many_stray_bytes_name_the_first_five() -> None:
    text = ("\u201cQuoted\u201d words \u2014 and more. " * 40).encode("utf-8")
    damaged = bytearray(text)
    # ASCII letters near every 200th byte (a stray byte inside a sequence would break its neighbours too)
    positions = [next(p for p in range(start, len(text)) if text[p] < 0x80 and chr(text[p]).isalpha())
                 for start in range(100, 1400, 200)]
    for position in positions:
        damaged[position] = 0xFF
    decoded = decode_bytes(bytes(damaged))
    assert decoded.encoding == "utf-8"
    assert decoded.warning.startswith("7 bytes")
    shown = ", ".join(str(p) for p in positions[:5])
    assert f"at byte offsets {shown} and 2 more" in decoded.warning
    assert decoded.text.count("\ufffd") == 7 and decoded.text.count("\u201c") == 40


@pytest.mark.parametrize("encoding, text", [
    ("cp1252", "Don\u2019t say \u201cnever\u201d \u2014 caf\u00e9 r\u00e9sum\u00e9 na\u00efve. " * 5),
    ("latin-1", "The caf\u00e9 on the corner served cr\u00e8me br\u00fbl\u00e9e to the delegates, who said "
                "the talks had gone better than expected and would resume on Monday. " * 3),
    ("cp1251", ("\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440, "
                "\u044d\u0442\u043e \u0442\u0435\u043a\u0441\u0442. ") * 20),
])
def test_whole_legacy_files_still_decode(encoding: str, text: str) -> None:
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text and decoded.warning is None


def test_ascii_with_one_windows_quote_is_cp1252() -> None:
    # no valid UTF-8 multi-byte sequence at all: a Windows file, not damaged UTF-8
    decoded = decode_bytes(b"It\x92s a plain Windows file with one curly apostrophe.\n")
    assert decoded.encoding == "cp1252" and decoded.text.startswith("It\u2019s")


# --------------------------------------------------------------------------- every command at once


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, BRIEFREADER_HOME=str(home), BRIEFREADER_NO_POOL="1")
    return subprocess.run([sys.executable, "-m", "briefreader", *args], capture_output=True, text=True,
                          timeout=120, env=env, cwd=REPO)


def test_list_on_a_hostile_corpus_answers_with_one_warning_per_file(tmp_path: Path, isolated_home: Path) -> None:
    folder = tmp_path / "corpus"
    hostile = hostile_corpus(folder)
    result = run_cli("list", "--json", str(folder), home=isolated_home)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    warning_lines = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    for name in hostile:
        mine = [line for line in warning_lines if line.startswith(f"warning: {name}:")]
        assert len(mine) == 1, (name, warning_lines)
    assert len(warning_lines) == len(hostile)
    ids = {row["id"] for row in json.loads(result.stdout)}
    assert set(hostile_files.ORDINARY) <= ids
    assert {"bomb.md", "loop.md", "stray.txt", "evil-line.txt", "feed.jsonl#1"} <= ids
    assert "deep.json" not in ids


def test_search_on_a_hostile_corpus(tmp_path: Path, isolated_home: Path) -> None:
    folder = tmp_path / "corpus"
    hostile_corpus(folder)
    result = run_cli("search", str(folder), "harvest", home=isolated_home)
    assert result.returncode == 0, result.stderr
    assert "ordinary-three.md" in result.stdout
    result = run_cli("search", str(folder), " ".join(["harvest"] * 8000), home=isolated_home)
    assert result.returncode == 2 and "too long" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("search", str(folder), "harvest~99", home=isolated_home)
    assert result.returncode == 2 and "at most 2 edits" in result.stderr


# --------------------------------------------------------------------------- derived state read back


def test_planted_quote_cache_deep_or_huge_is_rebuilt_not_a_crash(tmp_path: Path) -> None:
    import sqlite3

    from briefreader.core.quote_cache import MAX_RECORD_BYTES, STORE_FORMAT, QuoteStore

    for name, stats in (("deep", "[" * 100_000 + "]" * 100_000), ("huge", '"' + " " * MAX_RECORD_BYTES + '"')):
        path = tmp_path / f"{name}.sqlite"
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.executemany("INSERT INTO meta VALUES (?, ?)", [("format", STORE_FORMAT), ("digest", "x"),
                                                                     ("quotes_total", "1"), ("stats", stats)])
        connection.close()
        warnings: list[str] = []
        assert QuoteStore.open(path, warnings) is None
        assert len(warnings) == 1 and "corrupt" in warnings[0]


def test_index_description_nested_deep_is_damage_not_a_crash(tmp_path: Path) -> None:
    from briefreader.storage.index import META_NAME, CorpusIndex

    (tmp_path / "a.txt").write_text(hostile_files.ORDINARY["ordinary-one.txt"], encoding="utf-8")
    index = CorpusIndex.open(tmp_path)
    index.update(load_corpus(tmp_path))
    location = index.location
    index.close()
    (location / META_NAME).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    index = CorpusIndex.open(tmp_path)  # rebuilt, with a notice
    try:
        index.update(load_corpus(tmp_path))
        assert index.doc_count() == 1
    finally:
        index.close()


def test_combined_corpus_line_rules_name_the_rule_that_matched() -> None:
    rules = load_rules([{"pattern": r"(Photo|Image): (\w+) (\w+)", "reason": "photo credit"},
                        {"pattern": r"(?P<verb>Share|Tweet) this", "reason": "share button"},
                        {"pattern": r"Sponsored", "reason": "sponsor label", "case_sensitive": True},
                        {"pattern": r"(?:Read|See) more", "reason": "teaser", "max_words": 2}])
    assert rules.manifest_combined is not None
    cases = {"Image: Jane Doe": "photo credit", "tweet this": "share button", "Sponsored": "sponsor label",
             "read more": "teaser"}
    for line, reason in cases.items():
        rule = rules.match_line(line, line.count(" ") + 1, False)
        assert rule is not None and rule.reason == reason, line
    assert (rules.match_line("sponsored", 1, False) is None
            or rules.match_line("sponsored", 1, False).origin == "default")
    # the guard of the first match fails (max_words), the rules after it are still tried
    rules = load_rules([{"pattern": r"Read more \w+", "reason": "short teaser", "max_words": 2},
                        {"pattern": r"Read more \w+", "reason": "any teaser"}])
    assert rules.match_line("Read more here", 3, False).reason == "any teaser"


def test_triage_state_with_a_deep_json_value_does_not_crash_commands(tmp_path: Path, isolated_home: Path) -> None:
    import sqlite3

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(hostile_files.ORDINARY["ordinary-one.txt"], encoding="utf-8")
    made = run_cli("highlight", str(folder), "a.txt", "--span", "0:20", "-t", "budget", home=isolated_home)
    assert made.returncode == 0, made.stderr
    state = next(folder.joinpath(".briefreader").glob("triage.sqlite3"))
    db = sqlite3.connect(state)
    db.execute("UPDATE highlight SET tags = ?", ("[" * 100_000 + "]" * 100_000,))
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for args in (("status", str(folder)), ("highlight", str(folder), "--list")):
        result = run_cli(*args, home=isolated_home)
        assert result.returncode == 0, result.stderr
        assert "RecursionError" not in result.stderr and "Traceback" not in result.stderr
