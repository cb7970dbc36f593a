"""Cleaning on furniture written for these tests (not the seeds' wording): normalisation, offsets,
removed blocks, repeated-line evidence, corpus rules, sentences that must survive."""

from __future__ import annotations

import random

import pytest

from briefreader.core.clean import (
    CleanResult,
    clean_text,
    line_fingerprints,
    normalise_line,
    repeated_lines,
)
from briefreader.core.model import OffsetMap
from briefreader.core.rules import load_rules

RULES = load_rules()

NEWS_PAGE = """Skip to main content
Home | World | Europe | Business
Tuesday, March 4, 2025
Partly cloudy 21°F
Wind: 12 mph NW
Share on Facebook
Email | Print | Copy link

Ceasefire talks stall as envoys leave Doha

By Maria Lopez and Tom Becker
Updated 3 hours ago

DOHA, March 4 (Reuters) - Negotiators left the Qatari capital on Tuesday without agreeing on a ceasefire, \
two officials said, after a week of talks that mediators had called decisive.

"We are not giving up," a Qatari foreign ministry spokesman told reporters.

The talks will resume next week in Cairo, the officials said.
Advertisement
The envoys did not say which issues remained open.

Read more: Envoys arrive in Doha for decisive round

Reporting by Maria Lopez; Editing by Jane Smith

Related stories
Envoys arrive in Doha for decisive round
What is on the table in the ceasefire talks

Sign up for our Morning Briefing newsletter to get the day's top stories delivered to your inbox.
Enter your email address
Subscribe

Maria Lopez is a senior correspondent for the Daily Planet covering the Middle East. Follow her on X.

© 2025 Daily Planet Media Ltd. All rights reserved.
We use cookies to personalise content and ads and to analyse our traffic. \
You can change your cookie settings at any time.
Accept all cookies
Tags: Qatar, Diplomacy, Middle East
"""

NEWS_PAGE_ARTICLE = [
    "Ceasefire talks stall as envoys leave Doha",
    "DOHA, March 4 (Reuters) - Negotiators left the Qatari capital on Tuesday without agreeing on a "
    "ceasefire, two officials said, after a week of talks that mediators had called decisive.",
    '"We are not giving up," a Qatari foreign ministry spokesman told reporters.',
    "The talks will resume next week in Cairo, the officials said.",
    "The envoys did not say which issues remained open.",
]


def _clean(text: str, **kw: object) -> CleanResult:
    return clean_text(text, RULES, **kw)  # type: ignore[arg-type]


def _assert_offsets_exact(source: str, result: CleanResult) -> None:
    """Every body character comes from the same character of the source (modulo odd spaces and
    line breaks that became a joining space); only paragraph breaks are inserted."""
    body = result.body
    covered = [False] * len(body)
    for c0, s0, n in result.offsets.segments:
        for k in range(n):
            b, s = body[c0 + k], source[s0 + k]
            assert b == s or (b == " " and s.isspace()), (b, s)
            covered[c0 + k] = True
    for k, ok in enumerate(covered):
        if not ok:
            assert body[k] == "\n", (k, body[k])
    # the mapping is monotonic in both texts
    prev_c = prev_s = -1
    for c0, s0, _n in result.offsets.segments:
        assert c0 > prev_c and s0 > prev_s
        prev_c, prev_s = c0, s0


# ----------------------------------------------------------------------------- furniture


def test_news_page_keeps_article_and_drops_furniture() -> None:
    result = _clean(NEWS_PAGE)
    assert result.body.split("\n\n") == NEWS_PAGE_ARTICLE


@pytest.mark.parametrize("line, reason", [
    ("Skip to main content", "navigation"),
    ("Home | World | Europe | Business", "navigation"),
    ("Tuesday, March 4, 2025", "date line"),
    ("Partly cloudy 21°F", "weather widget"),
    ("Wind: 12 mph NW", "weather widget"),
    ("Share on Facebook", "share buttons"),
    ("Email | Print | Copy link", "share buttons"),
    ("By Maria Lopez and Tom Becker", "byline"),
    ("Updated 3 hours ago", "date line"),
    ("Advertisement", "advertisement"),
    ("Read more: Envoys arrive in Doha for decisive round", "related articles"),
    ("Reporting by Maria Lopez; Editing by Jane Smith", "credit line"),
    ("Related stories", "related articles"),
    ("What is on the table in the ceasefire talks", "related articles"),
    ("Sign up for our Morning Briefing newsletter", None),
    ("Enter your email address", None),
    ("Maria Lopez is a senior correspondent for the Daily Planet", "author bio"),
    ("© 2025 Daily Planet Media Ltd. All rights reserved.", "copyright"),
    ("We use cookies to personalise content", "cookie and privacy notice"),
    ("Accept all cookies", "cookie and privacy notice"),
    ("Tags: Qatar, Diplomacy, Middle East", "section tag"),
])
def test_news_page_removed_blocks(line: str, reason: str | None) -> None:
    result = _clean(NEWS_PAGE)
    blocks = [b for b in result.removed if line in b.text]
    assert blocks, line
    if reason is not None:
        assert blocks[0].reason == reason
    else:
        assert blocks[0].reason in {"newsletter prompt", "subscription prompt"}


def test_removed_blocks_point_into_the_source() -> None:
    result = _clean(NEWS_PAGE)
    spans = []
    for block in result.removed:
        assert NEWS_PAGE[block.start:block.end] == block.text
        assert block.text.strip() == block.text
        spans.append((block.start, block.end))
    assert spans == sorted(spans)
    for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert e1 <= s2
    # nothing both kept and removed
    kept = [(s0, s0 + n) for _, s0, n in result.offsets.segments]
    for bs, be in spans:
        for ks, ke in kept:
            assert be <= ks or ke <= bs


def test_more_furniture_kinds() -> None:
    source = "\n".join([
        "Menu",
        "Search",
        "12:45 PM",
        "Light rain, 14°C",
        "Humidity: 81%",
        "#Politics #Europe",
        "BREAKING NEWS",
        "",
        "Minister resigns over procurement scandal",
        "",
        "The defence minister resigned on Monday after auditors found irregularities in three "
        "contracts, the prime minister's office said in a statement.",
        "",
        "The minister denied wrongdoing.",
        "",
        "x",
        "Listen to this article",
        "Share this article",
        "Facebook Twitter WhatsApp LinkedIn",
        "You might also like",
        "Opposition calls for early election",
        "Markets shrug off political turmoil",
        "Join the conversation",
        "Comments are moderated and may take time to appear.",
    ])
    result = _clean(source)
    assert result.body.split("\n\n") == [
        "Minister resigns over procurement scandal",
        "The defence minister resigned on Monday after auditors found irregularities in three "
        "contracts, the prime minister's office said in a statement.",
        "The minister denied wrongdoing.",
    ]
    reasons = {b.reason for b in result.removed}
    assert {"navigation", "clock widget", "weather widget", "section tag", "stray character",
            "share buttons", "related articles"} <= reasons


def test_disclaimer_and_paywall_footer() -> None:
    source = (
        "ANKARA\n\nTurkey's central bank held its key rate at 46 percent on Thursday, in line with "
        "expectations, the bank said.\n\nThe lira was little changed after the decision.\n\n"
        "This story has been published from a wire agency feed without modifications to the text. "
        "Only the headline has been changed.\n"
        "Already a subscriber? Log in\n"
        "Support independent journalism: become a member today and get unlimited access.\n"
    )
    result = _clean(source)
    assert result.body.split("\n\n") == [
        "Turkey's central bank held its key rate at 46 percent on Thursday, in line with "
        "expectations, the bank said.",
        "The lira was little changed after the decision.",
    ]
    assert [b.reason for b in result.removed][:2] == ["dateline", "agency disclaimer"]


def test_app_and_publisher_furniture() -> None:
    source = "\n".join([
        "Loading...",
        "Please enable JavaScript to view this content.",
        "Listen to this article 5 min",
        "Gift this article",
        "Follow us on Google News",
        "Sat 14 Jun 2025 08.30 BST",
        "",
        "EU ministers agree new sanctions package",
        "",
        "Foreign ministers of the European Union agreed on Saturday to impose a fresh round of "
        "sanctions on Russia, diplomats said.",
        "(AP Photo/Virginia Mayo)",
        "The package targets the banking sector and shipping companies that help Moscow circumvent "
        "an oil price cap.",
        "(Credit: Jane Roe / Example Wire)",
        "Hungary dropped its objections after talks late on Friday.",
        "This article was first published on Example Europe on June 14, 2025.",
        "Most Read",
        "Trending Topics",
        "Don't miss",
        "Join our WhatsApp channel for the latest updates",
        "Continue reading below",
        "Additional reporting by Sam Poe; editing by Kim Loe",
        "Our Standards: The Example Wire Trust Principles.",
        "Published by Example Media Group Ltd, registered in England and Wales No. 01234567.",
        "Terms & Conditions | Privacy | Cookie settings | Contact",
    ])
    result = _clean(source)
    assert result.body.split("\n\n") == [
        "EU ministers agree new sanctions package",
        "Foreign ministers of the European Union agreed on Saturday to impose a fresh round of "
        "sanctions on Russia, diplomats said.",
        "The package targets the banking sector and shipping companies that help Moscow circumvent "
        "an oil price cap.",
        "Hungary dropped its objections after talks late on Friday.",
    ]
    reasons = {b.reason for b in result.removed}
    assert {"technical notice", "image caption credit", "publication note", "credit line",
            "editorial policy notice", "publisher notice"} <= reasons


def test_broadcaster_and_newspaper_furniture() -> None:
    source = "\n".join([
        "Supported by",
        "Skip advertisement",
        "This article is more than 2 years old",
        "Published 3 hours ago",
        "Share this with Facebook Twitter Email",
        "",
        "Kyiv hit by overnight drone attack",
        "",
        "Image source, Getty Images",
        "Image caption, Firefighters worked through the night",
        "Russia launched dozens of drones at the Ukrainian capital overnight, the city's mayor said.",
        "Photograph: Jane Roe/AP",
        "Air defences shot down most of them, the military said.",
        "Comments (123)",
        "I think this is terrible.",
        "What a shame.",
        "From the section Europe",
        "Follow Example News on X and Facebook",
        "Subscribe to Example Daily",
        "Explore more on these topics",
        "Ukraine war",
    ])
    result = _clean(source)
    assert result.body.split("\n\n") == [
        "Kyiv hit by overnight drone attack",
        "Russia launched dozens of drones at the Ukrainian capital overnight, the city's mayor said.",
        "Air defences shot down most of them, the military said.",
    ]
    comments = [b for b in result.removed if b.reason == "comments"]
    assert comments and "I think this is terrible." in comments[0].text


def test_comment_count_before_the_article_does_not_swallow_it() -> None:
    source = "12 comments\n\nHeadline here\n\nThe council met on Monday, officials said.\n"
    assert _clean(source).body == "Headline here\n\nThe council met on Monday, officials said."


# ----------------------------------------------------------------------------- sentences that stay


def test_real_sentences_about_cookies_and_weather_stay() -> None:
    paragraphs = [
        "Bakeries brace for a cold, wet weekend",
        "The city's bakeries sold out of cookies before noon on Friday as shoppers stocked up "
        "ahead of the storm.",
        "Forecasters expect heavy rain and winds of 60 km/h on Saturday.",
        "It was 35°C in Madrid.",
        '"People want comfort food when the weather turns," said Ana Ruiz, who runs a bakery.',
        "The website of the national weather service crashed under the traffic, officials said.",
        "You might think the storm would keep people home, but the queues say otherwise.",
        "Subscribers to the weather service's app received alerts on Thursday.",
        "Regulators fined the company for setting cookies without consent.",
    ]
    result = _clean("\n".join(paragraphs))
    assert result.body.split("\n\n") == paragraphs
    assert result.removed == []


@pytest.mark.parametrize("last", [
    "The company said its privacy policy had been updated to comply with the GDPR.",
    "Users can now reject all cookies with one click, the regulator said.",
    "The names of the victims may not be published under German law.",
    "Subscribers to the paper's newsletter were told the news by email on Friday.",
])
def test_last_paragraph_on_a_furniture_topic_stays(last: str) -> None:
    source = ("Regulator acts on tracking\n\nThe data protection authority opened an inquiry on "
              f"Monday, officials said.\n\n{last}\n\nShare this article\nFacebook Twitter Email\n"
              "© 2025 Example Media")
    result = _clean(source)
    assert result.body.split("\n\n")[-1] == last
    assert "Share this article" not in result.body


def test_headline_and_crosshead_about_cookies_stay() -> None:
    source = ("Home\nMeta fined over cookie consent banners\n\n"
              "The regulator fined the company 390 million euros on Monday, officials said.\n\n"
              "Why cookie settings matter\n\n"
              "Users were not given a clear choice, the ruling found.\n"
              "Sign up for our newsletter\n")
    result = _clean(source)
    assert result.body.split("\n\n") == [
        "Meta fined over cookie consent banners",
        "The regulator fined the company 390 million euros on Monday, officials said.",
        "Why cookie settings matter",
        "Users were not given a clear choice, the ruling found.",
    ]


def test_short_last_sentence_and_crosshead_stay() -> None:
    source = ("Talks resume\n\nThe delegations met for four hours on Monday, officials said.\n\n"
              "BACKGROUND\n\nThe conflict began in 2022 and has displaced millions of people.\n\n"
              "He declined to comment.")
    result = _clean(source)
    assert result.body.split("\n\n") == ["Talks resume",
                                          "The delegations met for four hours on Monday, officials said.",
                                          "BACKGROUND",
                                          "The conflict began in 2022 and has displaced millions of people.",
                                          "He declined to comment."]


def test_quoted_reader_address_is_article_text() -> None:
    source = ("Minister urges calm\n\nThe minister spoke in parliament on Tuesday.\n\n"
              "“We ask you to stay home and follow our instructions,” she said.\n\n"
              "Privacy Policy\nTerms of Use\n")
    result = _clean(source)
    assert "“We ask you to stay home and follow our instructions,” she said." in result.body
    assert "Privacy Policy" not in result.body and "Terms of Use" not in result.body


# ----------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize("raw, expected", [
    ("Russia launched new attacks against Ukraine .", "Russia launched new attacks against Ukraine."),
    ("Kyiv , Lviv and Odesa ; all hit !", "Kyiv, Lviv and Odesa; all hit!"),
    ("two   spaces\tand\u00a0nbsp\u2009thin", "two spaces and nbsp thin"),
    ("  padded line  ", "padded line"),
    ("zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"),
    ("( spaced brackets )", "( spaced brackets )"),  # left alone: rare, and harmless
    ("rate of .5 percent", "rate of .5 percent"),
    ("he paused ... then spoke", "he paused ... then spoke"),
    ("\ufeffBOM at start", "BOM at start"),
])
def test_normalise_line(raw: str, expected: str) -> None:
    assert normalise_line(raw) == expected


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(newline: str) -> None:
    source = newline.join(["Headline here", "", "First paragraph is a sentence.", "",
                           "Second one , with a stray space .", ""])
    result = _clean(source)
    assert result.body == ("Headline here\n\nFirst paragraph is a sentence.\n\n"
                           "Second one, with a stray space.")
    assert "\r" not in result.body
    _assert_offsets_exact(source, result)


def test_hard_wrapped_text_is_joined_into_paragraphs() -> None:
    source = (
        "Aid convoy reaches besieged town\n"
        "\n"
        "An aid convoy of twenty trucks reached the besieged town on\n"
        "Wednesday after weeks of negotiations, the United Nations said,\n"
        "bringing food and medicine for about 40,000 people.\n"
        "\n"
        "Local officials said the supplies would last two weeks and\n"
        "appealed for a permanent corridor to be opened before winter.\n"
    )
    result = _clean(source)
    assert result.body.split("\n\n") == [
        "Aid convoy reaches besieged town",
        "An aid convoy of twenty trucks reached the besieged town on Wednesday after weeks of "
        "negotiations, the United Nations said, bringing food and medicine for about 40,000 people.",
        "Local officials said the supplies would last two weeks and appealed for a permanent "
        "corridor to be opened before winter.",
    ]
    _assert_offsets_exact(source, result)


def test_line_broken_mid_sentence_is_joined() -> None:
    source = ("The president of the commission\nsaid on Monday that talks would continue.\n\n"
              "Another paragraph follows here.")
    assert _clean(source).body == ("The president of the commission said on Monday that talks "
                                   "would continue.\n\nAnother paragraph follows here.")


def test_empty_and_furniture_only() -> None:
    assert _clean("").body == ""
    assert _clean("\n\n  \n").body == ""
    only = _clean("Home\nMenu\n© 2024 Example News\n")
    assert only.body == "" and len(only.removed) >= 2
    assert only.offsets.segments == []


# ----------------------------------------------------------------------------- offsets


def test_offsets_round_trip_on_news_page() -> None:
    result = _clean(NEWS_PAGE)
    _assert_offsets_exact(NEWS_PAGE, result)
    body = result.body
    # every word of the body can be located in the source through the map
    for para in body.split("\n\n"):
        start = body.index(para)
        s = result.offsets.to_source(start)
        assert NEWS_PAGE[s:s + 10] == para[:10]
        assert result.offsets.to_clean(s) == start


def test_offsets_with_normalisation_and_random_noise() -> None:
    rng = random.Random(7)
    words = ["Kyiv", "said", "talks", "on", "Monday", "the", "minister", "peace", "Ukraine"]
    for _ in range(30):
        lines = []
        for _ in range(rng.randint(3, 9)):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14)))
            sentence = sentence.replace(" ", rng.choice([" ", "  ", "\u00a0", " \t"]), 2)
            lines.append(sentence + rng.choice([".", " .", "!", " ?"]))
            if rng.random() < 0.3:
                lines.append(rng.choice(["Advertisement", "Share", "#Tag", "x", "Humidity: 40%"]))
            lines.append("")
        source = rng.choice(["\n", "\r\n"]).join(lines)
        result = _clean(source)
        _assert_offsets_exact(source, result)
        for block in result.removed:
            assert source[block.start:block.end] == block.text


def test_offset_map_api() -> None:
    m = OffsetMap([(0, 10, 5), (7, 20, 3)])
    assert m.to_source(0) == 10 and m.to_source(4) == 14
    assert m.to_source(5) == 15  # inserted paragraph break maps to the end of the previous piece
    assert m.to_source(8) == 21
    assert m.to_clean(12) == 2 and m.to_clean(21) == 8
    assert m.to_clean(16) is None and m.to_clean(0) is None
    assert m.source_span(7, 10) == (20, 23)


# ----------------------------------------------------------------------------- repeated lines

OUTLET_TEMPLATE = """The Harbour Gazette
Your trusted local news since 1901

{headline}

{body}

Background: the port handles a third of the region's trade.

Read the Gazette every morning at the harbour kiosk or on our website.
"""


def _outlet_articles() -> list[str]:
    items = [("Port strike enters third day", "Dock workers extended their strike on Monday, union leaders said."),
             ("Ferry fares to rise in May", "The ferry operator will raise fares by 4 percent, it said on Friday."),
             ("New crane arrives at terminal", "A 90-metre crane arrived at the container terminal on Sunday."),
             ("Council approves harbour budget", "Councillors approved the harbour budget on Wednesday.")]
    return [OUTLET_TEMPLATE.format(headline=h, body=b) for h, b in items]


def test_repeated_lines_thresholds() -> None:
    sets = [{"a", "b"}, {"a", "c"}, {"a", "b"}, {"d"}]
    assert repeated_lines(sets, min_articles=3, min_fraction=0.3) == frozenset({"a"})
    assert repeated_lines(sets, min_articles=2, min_fraction=0.3) == frozenset({"a", "b"})
    assert repeated_lines(sets[:2], min_articles=3) == frozenset()
    assert repeated_lines(sets, min_articles=1, min_fraction=0.9) == frozenset()
    assert repeated_lines([]) == frozenset()


def test_fingerprints_fold_case_digits_and_spaces() -> None:
    a = line_fingerprints("Humidity: 62%\nShare\u00a0this   story\n\n x \n")
    b = line_fingerprints("HUMIDITY: 48%\nshare this story\n")
    assert a == b
    assert len(a) == 2  # the one-character line does not count


def test_repeated_lines_remove_outlet_boilerplate_but_keep_article() -> None:
    articles = _outlet_articles()
    repeated = repeated_lines([line_fingerprints(a) for a in articles])
    for text in articles:
        plain = _clean(text)
        assert "The Harbour Gazette" in plain.body  # without evidence: kept
        assert "on our website." in plain.body
        result = _clean(text, repeated=repeated)
        paragraphs = result.body.split("\n\n")
        assert "The Harbour Gazette" not in paragraphs
        assert "Your trusted local news since 1901" not in paragraphs
        # weak wording ("our website") plus repetition across the outlet: boilerplate
        assert "Read the Gazette every morning at the harbour kiosk or on our website." not in paragraphs
        # a repeated background sentence with no furniture wording is article text
        assert "Background: the port handles a third of the region's trade." in paragraphs
        assert paragraphs[0] == text.split("\n")[3]  # the headline
        assert len(paragraphs) == 3
        assert any(b.reason == "repeated boilerplate" for b in result.removed)


# ----------------------------------------------------------------------------- corpus rules


def test_manifest_rules_literal_pattern_and_after() -> None:
    source = ("Harbour news\n\nThe port reopened on Monday, officials said.\n\n"
              "Listen to the Harbour Hour podcast\n\nThe ferry resumed service at noon.\n\n"
              "PROMO CODE GAZETTE10\n\n--- reader letters ---\n\nI disagree with the council.\n")
    assert "Listen to the Harbour Hour podcast" in _clean(source).body
    rules = load_rules([
        "Listen to the Harbour Hour podcast",
        {"pattern": r"promo code \w+", "reason": "promotion"},
        {"pattern": r"-+ reader letters -+", "reason": "reader letters", "scope": "after"},
    ])
    result = clean_text(source, rules)
    assert result.body.split("\n\n") == ["Harbour news", "The port reopened on Monday, officials said.",
                                          "The ferry resumed service at noon."]
    reasons = [b.reason for b in result.removed]
    assert reasons == ["boilerplate (corpus rule)", "promotion", "reader letters"]
    assert rules.digest != RULES.digest
    assert load_rules([{"pattern": r"promo code \w+", "reason": "promotion"}]).digest != rules.digest
    assert load_rules(list(rules.extra)).digest == rules.digest


def test_manifest_phrase_rule_with_words() -> None:
    source = ("Harbour news\n\nThe port reopened on Monday, officials said.\n\n"
              "Gazette Plus members get early access to every story.\n")
    rules = load_rules([{"words": ["gazette"], "scope": "phrase", "weight": 6,
                         "reason": "membership promo"}])
    result = clean_text(source, rules)
    assert result.body.split("\n\n") == ["Harbour news", "The port reopened on Monday, officials said."]
    assert result.removed[-1].reason == "membership promo"


@pytest.mark.parametrize("bad, message", [
    ({"pattern": "([unclosed", "reason": "x"}, "invalid regular expression"),
    ({"pattern": "x", "reason": "x", "scope": "paragraph"}, "scope must be one of"),
    ({"reason": "x"}, "exactly one of 'pattern'"),
    ({"pattern": "x", "reason": ""}, "'reason'"),
    ({"pattern": ".*", "reason": "everything"}, "matches an empty line"),
    ({"pattern": "x", "reason": "r", "colour": "red"}, "unknown key"),
    ({"pattern": "x", "reason": "r", "weight": "heavy", "scope": "phrase"}, "'weight'"),
    ({"pattern": "{{nope}}", "reason": "r"}, "unknown placeholder"),
    ({"pattern": r"(a)\1", "reason": "r"}, "backreferences"),
    (42, "expected a mapping"),
])
def test_broken_manifest_rules_raise_clear_errors(bad: object, message: str) -> None:
    with pytest.raises(ValueError, match="boilerplate rule #1") as exc:
        load_rules([bad])  # type: ignore[list-item]
    assert message in str(exc.value)


def test_manifest_rules_must_be_a_list() -> None:
    with pytest.raises(ValueError, match="must be a list"):
        load_rules({"pattern": "x"})  # type: ignore[arg-type]


def test_default_rules_are_data() -> None:
    rules = load_rules()
    assert len(rules.rules) > 40
    assert {r.scope for r in rules.rules} == {"line", "block", "after", "phrase"}
    assert all(r.reason for r in rules.rules)
    ids = [r.id for r in rules.rules]
    assert len(ids) == len(set(ids)), "rule ids must be unique"
    assert all(not i.startswith("default-") for i in ids), "every shipped rule has an id"
    assert load_rules().digest == rules.digest and len(rules.digest) >= 12


def test_placeholders_available_to_manifest_rules() -> None:
    rules = load_rules([{"pattern": r"edition of {{month}} \d{1,2}", "reason": "edition line"}])
    result = clean_text("Edition of March 3\n\nThe council met on Monday, officials said.", rules)
    assert result.body == "The council met on Monday, officials said."
    assert result.removed[0].reason == "edition line"


def test_every_default_rule_compiles_and_rules_pickle_small() -> None:
    import pickle

    for rule in RULES.rules:
        assert rule.regex.pattern == rule.pattern
    extra = [{"pattern": r"promo code \w+", "reason": "promotion"}]
    rules = load_rules(extra)
    data = pickle.dumps(rules)
    assert len(data) < 1000  # rebuilt from the manifest rules in a worker, not shipped compiled
    again = pickle.loads(data)
    assert again.digest == rules.digest
    assert clean_text("Promo code ABC\n\nThe port reopened, officials said.", again).body == (
        "The port reopened, officials said.")


def test_explain_lists_each_line_with_its_verdict() -> None:
    from briefreader.core.clean import explain

    rows = explain("Home\n\nHeadline here\n\nThe council met on Monday, officials said.\n")
    assert rows == [
        {"line": "Home", "removed": "navigation"},
        {"line": "Headline here", "removed": None},
        {"line": "The council met on Monday, officials said.", "removed": None},
    ]


def test_markdown_clippings_become_plain_text() -> None:
    source = (
        "# Kallas warns of Russian stalling\n\n"
        "**By Jane Doe**\n\n"
        "![Kaja Kallas in Brussels](https://example.com/img/kallas.jpg)\n\n"
        "> The EU's top diplomat said Russia was *playing for time*.\n\n"
        "Kaja Kallas told reporters in [Brussels](https://example.com/brussels) that Moscow had "
        "no intention of ending the war.\n\n"
        "## What happens next\n\n"
        "* Ministers will meet again on **Monday**, officials said.\n"
    )
    result = _clean(source)
    assert result.body.split("\n\n") == [
        "Kallas warns of Russian stalling",
        "The EU's top diplomat said Russia was playing for time.",
        "Kaja Kallas told reporters in Brussels that Moscow had no intention of ending the war.",
        "What happens next",
        "* Ministers will meet again on Monday, officials said.",
    ]
    assert [b.reason for b in result.removed] == ["byline", "image or markup"]
    _assert_offsets_exact(source, result)
    from briefreader.core.metadata import infer_metadata

    meta = infer_metadata(source, result)
    assert (meta["title"], meta["author"]) == ("Kallas warns of Russian stalling", "Jane Doe")


def test_random_text_never_breaks_the_offset_map() -> None:
    from briefreader.core.metadata import infer_metadata

    pieces = list("abcXYZ .,;:!?\"'“”«»()[]#*_>-—–/\\\n\r\t\u00a0\u200b\ufeff\u00adİßé©°%0123") + [
        "  ", "\r\n", "\n\n", "Home", "By Jane Doe", "LONDON", "said", "cookies", "](http://x)",
        "![a](b)", "**", "# "]
    rng = random.Random(11)
    for _ in range(400):
        source = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 200)))
        result = _clean(source)
        _assert_offsets_exact(source, result)
        for block in result.removed:
            assert source[block.start:block.end] == block.text
        infer_metadata(source, result)
        line_fingerprints(source)


# ----------------------------------------------------------------------------- pages copied as plain text

_ARTICLE = [
    "Harbour workers end strike after pay deal",
    "Dock workers at the northern harbour returned to work on Thursday after their union accepted a pay "
    "offer that ends a strike which had lasted nearly three weeks.",
    "The agreement raises wages by six percent this year and by a further four percent next year, the "
    "union said in a statement, and it promises a review of night shifts.",
    "Shipping companies had diverted dozens of vessels to other ports while the strike went on, and "
    "exporters said the delays had cost them millions.",
    "A spokesman for the port authority said the backlog of containers would take about a week to clear.",
]
_MENU = ["Home", "World", "Business", "Markets", "Sport", "Culture", "Opinion", "Video", "Podcasts",
         "Sign In", "Subscribe"]
_RELATED = ["Ferry Operators Brace For Busy Summer Season", "New Bridge Opens To Traffic In The East",
            "Five Things To Know About The Port Expansion", "Weather Warning Issued For Coastal Towns"]
_FOOTER = ["About Us", "Contact", "Careers", "Advertise With Us", "Terms", "Help Centre"]


def _page() -> str:
    lines = ["Harbour workers end strike after pay deal - The Coastal Courier", *_MENU, "", *_ARTICLE, "",
             "More from Business", *_RELATED, "", *_FOOTER]
    return "\n".join(lines) + "\n"


def test_copied_page_keeps_the_article_and_drops_what_lies_around_it() -> None:
    source = _page()
    result = clean_text(source, load_rules())
    assert result.body.split("\n\n") == _ARTICLE
    removed = "\n".join(b.text for b in result.removed)
    for line in _MENU + _RELATED + _FOOTER:
        assert line in removed
    reasons = {b.reason for b in result.removed}
    assert "page title (repeated by the headline)" in reasons
    assert any("outside the article text" in r for r in reasons)
    for block in result.removed:  # removed lines keep their place in the source (raw view)
        assert source[block.start:block.end] == block.text


def test_article_without_furniture_keeps_every_line() -> None:
    # short lines around a plain article are no evidence of a page: nothing goes for being outside
    source = "\n\n".join(["Strike ends", *_ARTICLE[1:], "Reporting continues.", "Jane Doe"]) + "\n"
    result = clean_text(source, load_rules())
    assert "Strike ends" in result.body and "Jane Doe" in result.body
    assert not any("outside the article text" in b.reason for b in result.removed)


def _page_with(before: list[str], after: list[str]) -> str:
    """The copied page of ``_page`` with lines of the article's own right above and below its prose."""
    lines = ["Harbour workers end strike after pay deal - The Coastal Courier", *_MENU, "", _ARTICLE[0],
             *before, *_ARTICLE[1:], *after, "", "More from Business", *_RELATED, "", *_FOOTER]
    return "\n".join(lines) + "\n"


def test_copied_page_keeps_a_list_that_spells_its_numbers_below_the_article() -> None:
    rows = ["Ports that reopened", "Northern Harbour (Zone A): 3rd reopening",
            "Eastern Quay (Zone B): Second reopening", "Old Docks (Zone C): First reopening",
            "River Wharf (Zone D): Fourth reopening"]
    result = clean_text(_page_with([], rows), load_rules())
    for row in rows[1:]:
        assert row in result.body
    for line in _RELATED + _FOOTER:
        assert line not in result.body


def test_copied_page_keeps_a_table_the_article_introduces_above_its_prose() -> None:
    table = ["Final pay scale after the deal:", "Grade Hourly Night Weekend", "1 Crane operator 24 30 32",
             "2 Stevedore 19 24 26", "3 Lasher 17 21 23", "4 Clerk 15 18 20"]
    result = clean_text(_page_with(table, []), load_rules())
    for row in table:
        assert row in result.body
    for line in _MENU:
        assert line not in result.body


def test_copied_page_without_an_introduction_drops_a_table_above_the_article() -> None:
    # a table above the prose with nothing that introduces it may be a page's widget: it stays out
    widget = ["Markets Index Change Percent", "1 FTSE 7420 12 0.2", "2 DAX 15800 40 0.3", "3 CAC 7200 -5 -0.1"]
    result = clean_text(_page_with(widget, []), load_rules())
    assert "2 DAX 15800 40 0.3" not in result.body


def test_copied_page_keeps_a_numbered_list_with_its_links_below_the_article() -> None:
    items = []
    for number, name in enumerate(["Tide table for the northern harbour", "Union statement on the deal",
                                   "Port authority backlog notice", "Exporters' letter to the minister"], 1):
        items += [f"{number}) {name}", f"https://example.org/doc/{number}"]
    result = clean_text(_page_with([], items), load_rules())
    for line in items:
        assert line in result.body
    for line in _RELATED + _FOOTER:
        assert line not in result.body


def test_copied_page_drops_teasers_whose_headline_the_page_doubles() -> None:
    # each teaser below the article: its headline twice (image text, then link), then a summary
    # sentence that reads like prose; the doubled headline marks the block as the page's
    teasers = []
    for headline, summary in [
            ("Ferry operators expect a busy summer on the coast",
             "The operators said bookings for the season were already higher than they had been last year"),
            ("Harbour authority plans a new container terminal by the river",
             "The plan would double the space for containers and bring work to the town for several years"),
            ("Fishermen worry about the cost of fuel and the price of their catch",
             "Many of them said that they would have to sell their boats if the prices did not change soon"),
            ("Exporters ask the government for help after the strike at the docks",
             "The group said that its members had lost orders to firms in other countries during the strike")]:
        teasers += ["Business", headline, headline, summary]
    lines = ["Harbour workers end strike after pay deal - The Coastal Courier", *_MENU, "", *_ARTICLE,
             *teasers, "", *_FOOTER]
    result = clean_text("\n".join(lines) + "\n", load_rules())
    assert result.body.split("\n\n") == _ARTICLE


_JA_ARTICLE = [
    "港の労働者がストライキを終える",
    "北部の港で働く労働者たちは木曜日、組合が賃上げの提案を受け入れたことを受けて、およそ三週間続いたストライキを終えて仕事に戻った。",
    "合意によって賃金は今年六パーセント、来年さらに四パーセント上がることになり、夜間の勤務についても見直しが行われると組合は声明で述べた。",
    "ストライキの間、海運会社は多くの船をほかの港に向かわせており、輸出業者は遅れによって大きな損失が出たと話している。",
    "港の当局の広報担当者は、たまったコンテナを片付けるにはおよそ一週間かかるだろうと述べた。",
]


def test_copied_page_in_japanese_keeps_the_article_and_drops_the_menus() -> None:
    # no spaces between words: characters stand for words, particles for function words
    menu = ["ホーム", "ニュース", "ビジネス", "スポーツ", "文化", "動画", "ログイン", "購読"]
    related = ["関連記事", "フェリー会社が夏の繁忙期に備える", "東部に新しい橋が開通",
               "港湾拡張について知っておくべき五つのこと"]
    footer = ["会社概要", "お問い合わせ", "採用情報", "利用規約", "サイトマップ"]
    lines = [*menu, "", "\n\n".join(_JA_ARTICLE), "", *related, "", *footer]
    result = clean_text("\n".join(lines) + "\n", load_rules())
    assert result.body.split("\n\n") == _JA_ARTICLE[1:]  # the headline goes with the menu above it
    removed = "\n".join(b.text for b in result.removed)
    for line in menu + related + footer:
        assert line in removed
