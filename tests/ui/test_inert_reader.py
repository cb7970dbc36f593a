"""The reader on a hostile corpus: what it writes to the terminal holds no control sequence, bidi
control or markup from the corpus (or from a triage file that travelled with it), in every view."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from briefreader.cli.main import main
from briefreader.tui.app import ReaderApp
from briefreader.tui.widgets.article_list import ArticleList

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "helpers"))

from hostile_corpus import HOSTILE_TXT, MARKUP_CLOSE, make_hostile_corpus  # noqa: E402
from reader_helpers import screen_of, screen_text, settle  # noqa: E402

SIZE = (160, 50)
EVIL_TAG = "t\x1b]0;pwned\x07\u202e[/bold]"
NOTE = "note \x1b]52;c;cHduZWQ=\x07 [red]"
# Textual writes CSI sequences (ESC [ ... letter) for colours and cursor moves; nothing else may
# appear: no other ESC sequence (OSC 52/0/8, DCS), no screen clear, no BEL, C1 or bidi control.
_TEXTUAL_CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-ln-z]|\x1b\[[0-9;]*m")
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def terminal_bytes(app: ReaderApp) -> str:
    """What the reader would write to the terminal to draw the current screen (toasts included)."""
    return app.screen._compositor.render_full_update().render_segments(app.console)  # noqa: SLF001


def assert_inert_screen(app: ReaderApp, where: str) -> None:
    out = terminal_bytes(app)
    assert "\x1b[2J" not in out, where
    rest = _TEXTUAL_CSI.sub("", out)
    bad = sorted({f"U+{ord(m.group()):04X}" for m in _FORBIDDEN.finditer(rest)})
    assert not bad, (where, bad, rest[max(0, rest.find("\x1b") - 40):][:120])


@pytest.fixture
def hostile_reader(tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> ReaderApp:
    root = make_hostile_corpus(tmp_path / "hostile")
    # triage state made with the tool itself, as a colleague's shared folder would carry it
    assert main(["mark", str(root), HOSTILE_TXT, "--status", "keep", "--tag", EVIL_TAG,
                 "--note", NOTE]) == 0
    assert main(["highlight", str(root), HOSTILE_TXT, "--text", "sanctions would stay",
                 "--comment", "c \x1b[2J\u202e [link=file:///etc/passwd]x[/link]", "--tag", EVIL_TAG]) == 0
    capsys.readouterr()
    return ReaderApp(root)


async def test_every_view_is_inert_and_shows_markup_literally(hostile_reader: ReaderApp,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    app = hostile_reader
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        if screen_of(app).copies.analysis is not None and screen_of(app).copies.analysis.groups:
            await pilot.press("Z")  # copies of one file are folded under it: show every article
            await pilot.pause()
        table = app.query_one(ArticleList)
        seen = ""
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            assert_inert_screen(app, f"article {row}")
            seen += screen_text(app)
            await pilot.press("r")  # raw view
            await pilot.pause()
            assert_inert_screen(app, f"raw {row}")
            await pilot.press("r")
            await pilot.press("right_square_bracket")  # the next quotation, diffed in the quote pane
            await pilot.pause()
            assert_inert_screen(app, f"quote {row}")
            await pilot.press("o")  # a notification naming the article
            await pilot.pause()
            assert_inert_screen(app, f"open {row}")
        assert "[red]" in seen and "␛]" in seen and "<U+202E>" in seen  # shown, not obeyed
        assert all(url.startswith(("http://", "https://", "file:///")) for url in opened)
        await pilot.press("w")
        await pilot.pause()
        assert_inert_screen(app, "warnings")
        assert "broken-␛[2J[red]<U+202E>.json" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("H")
        await settle(pilot)
        assert_inert_screen(app, "highlights")
        assert "[link=file:///etc/passwd]" in screen_text(app).replace(" ", "")
        await pilot.press("escape")
        await pilot.press("e")
        await settle(pilot)
        await pilot.pause(0.3)
        assert_inert_screen(app, "export")
        await pilot.press("escape")
        await pilot.press("slash", *"sanctions")
        await settle(pilot)
        assert_inert_screen(app, "search")
        await pilot.press("escape")
        await settle(pilot)
        assert table.select_id(HOSTILE_TXT)
        await pilot.press("t")  # the tag prompt lists the tags in use
        await pilot.pause()
        await pilot.press(*"t")
        await pilot.pause()
        assert_inert_screen(app, "tag prompt")
        await pilot.press("escape")
        await pilot.press("a")  # the note prompt holds the note
        await pilot.pause()
        assert_inert_screen(app, "note prompt")
        assert "note ␛]52;c;cHduZWQ=␇ [red]" in screen_text(app).replace("  ", " ")
        await pilot.press("ctrl+s")  # left as it was: the stored note is kept exactly, not its shown form
        await settle(pilot)
        assert screen_of(app).triage.state_of(HOSTILE_TXT).note == NOTE
        assert screen_of(app).triage.state_of(HOSTILE_TXT).tags == [EVIL_TAG]
        await pilot.press("T")  # the hostile tag, shown inert, can still be removed
        await pilot.pause()
        assert_inert_screen(app, "untag prompt")
        await pilot.press("enter")
        await settle(pilot)
        assert screen_of(app).triage.state_of(HOSTILE_TXT).tags == []


async def test_markup_in_a_title_is_literal_in_notifications(hostile_reader: ReaderApp) -> None:
    app = hostile_reader
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.notify(f"about {MARKUP_CLOSE} [link=file:///etc/passwd]x[/link] \x1b]0;t\x07", title="T \x1b[2J")
        await pilot.pause()
        assert_inert_screen(app, "notify")
        text = screen_text(app).replace(" ", "")  # the SVG splits text into runs
        assert MARKUP_CLOSE in text and "[link=file:///etc/passwd]x[/link]" in text and "␛]0;t␇" in text
        assert "T␛[2J" in text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/story?id=1", "https://example.org/story?id=1"),
        ("--remote-debugging-port=9222", None),
        ("file:///etc/passwd", None),
        ("javascript:alert(1)", None),
        ("https://example.org/ \x1b]0;x\x07", None),
        ("https://exa\u202emple.org/", None),
    ],
)
async def test_o_opens_only_web_urls_or_the_articles_own_file(tmp_path: Path, isolated_home: Path, url: str,
                                                            expected: str | None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "c"
    root.mkdir()
    body = "Kallas said the talks went on. " * 3
    (root / "a.md").write_text(f"---\ntitle: A\nurl: {json.dumps(url)}\n---\n\n{body}\n", encoding="utf-8")
    app = ReaderApp(root)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda target, **kw: opened.append(target))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert screen_of(app).current_article().url == url
        await pilot.press("o")
        await pilot.pause()
        assert_inert_screen(app, "open")
    assert opened == [expected or (root / "a.md").resolve().as_uri()]


def test_body_and_raw_text_are_inert_and_keep_their_offsets() -> None:
    from rich.style import Style

    from briefreader.core.model import Article, RemovedBlock
    from briefreader.tui.render import body_text, raw_text

    styles = {name: Style(bold=True) for name in ("quote", "quote-variant", "quote-current", "hit", "hit-current",
                                                    "removed", "removed-reason")}
    body = "Kallas \x1b]0;pwned\x07 said \u202etalks\u202c went on [red]."
    article = Article(id="a.txt", path="a.txt", format="txt", body=body,
                      source="Advert \x1b[2J\r\nKallas \x1b]0;pwned\x07 said\r\nthe end\r",
                      removed=[RemovedBlock("Advert \x1b[2J\r\n", "advert \x1b]52;c;eA==\x07", 0, 11)])
    hit = body.index("talks")
    shown = body_text(article, [], [], None, [(hit, hit + 5)], 0, styles)
    assert len(shown.plain) == len(body) and not _FORBIDDEN.search(shown.plain)
    assert shown.plain[hit:hit + 5] == "talks" and "[red]" in shown.plain  # the hit is still on its word
    raw = raw_text(article, styles).plain
    assert not _FORBIDDEN.search(raw)
    assert raw.splitlines()[0] == "Advert ␛[2J ⟦removed: advert ␛]52;c;eA==␇⟧"
    assert raw.splitlines()[1:] == ["Kallas ␛]0;pwned␇ said", "the end␍"]  # CRLF ends are line ends
