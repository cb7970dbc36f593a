"""Turning articles, quotations, hits and diffs into styled rich Text (pure functions: the widgets
pass in the styles that the current theme gives them)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from briefreader.core.inert import inert, inert_line
from briefreader.core.model import Article
from briefreader.tui.quote_model import QuoteMark

Styles = dict[str, Style]


def fallback_title(article: Article, words: int = 8) -> str:
    """A stand-in title made from the first words of the body (inert: ready to show)."""
    first = article.body.split()[: words + 1]
    text = inert_line(" ".join(first[:words]))
    return (text + " …") if len(first) > words else (text or "(empty article)")


def body_text(
    article: Article,
    quotes: list[QuoteMark],
    variant_flags: list[bool],
    current_quote: int | None,
    hits: list[tuple[int, int]],
    current_hit: int | None,
    styles: Styles,
) -> Text:
    """The cleaned body with quotations, the selected quotation and search hits styled.

    The body is made inert one character for one, so every offset (quotations, hits, highlights,
    a click) is the same in the shown text as in ``article.body``."""
    text = Text(inert(article.body), end="")
    n = len(article.body)
    for i, (mark, has_variants) in enumerate(zip(quotes, variant_flags, strict=False)):
        start, end = max(0, mark.start), min(n, mark.end)
        if start >= end:
            continue
        text.stylize(styles["quote-variant" if has_variants else "quote"], start, end)
        if i == current_quote:
            text.stylize(styles["quote-current"], start, end)
    for i, (start, end) in enumerate(hits):
        start, end = max(0, start), min(n, end)
        if start < end:
            text.stylize(styles["hit-current" if i == current_hit else "hit"], start, end)
    return text


def raw_text(article: Article, styles: Styles) -> Text:
    """The original text with each removed block dimmed and followed by the reason it was removed."""
    source = article.source or article.body
    out = Text(end="")
    pos = 0
    for block in sorted(article.removed, key=lambda b: (b.start, b.end)):
        start, end = max(pos, block.start), min(len(source), block.end)
        if start > pos:
            out.append(_raw_piece(source[pos:start]))
        if end > start:
            out.append(_raw_piece(source[start:end]), styles["removed"])
            reason = f" ⟦removed: {inert_line(block.reason)}⟧"  # a manifest rule's reason is corpus text
            if source[start:end].endswith("\n"):
                # keep the marker on the removed block's own line
                out.right_crop(1)
                out.append(reason, styles["removed-reason"])
                out.append("\n")
            else:
                out.append(reason, styles["removed-reason"])
        pos = max(pos, end)
    if pos < len(source):
        out.append(_raw_piece(source[pos:]))
    return out


def _raw_piece(text: str) -> str:
    """A piece of an original file as shown in the raw view: CRLF line ends as newlines, every
    other control (a lone CR included) made visible."""
    return inert(text.replace("\r\n", "\n") if "\r" in text else text)


@dataclass
class PairDiff:
    """A word diff of two renderings: styled spans for each side and the parts outside the quoted
    region (when one rendering quotes only part of the other)."""

    a_spans: list[tuple[int, int, str]]  # (start, end, kind) with kind in removed/changed/context
    b_spans: list[tuple[int, int, str]]  # kind in added/changed/context
    changed_words: int = 0
    partial: str = ""  # "a" or "b": that side quotes only part of the other

    def summary(self) -> str:
        """One line: how the two renderings differ."""
        words = f"{self.changed_words} word(s) differ" if self.changed_words else "same words"
        if self.partial:
            return f"{words} in the shared part; one quotes only part of the other"
        return words if self.changed_words else "identical"


def diff_pair(a: str, b: str, *, ignore_case: bool = True, ignore_punct: bool = False) -> PairDiff:
    """Word diff of rendering ``a`` (reference) against ``b``, aligning a partial quote first."""
    from briefreader.core.diffing import align, diff_words

    a_off = b_off = 0
    a_part, b_part = a, b
    context_a: list[tuple[int, int, str]] = []
    context_b: list[tuple[int, int, str]] = []
    partial = ""
    short_a = len(a.split()) * 10 < len(b.split()) * 7
    short_b = len(b.split()) * 10 < len(a.split()) * 7
    if short_a or short_b:
        short, long = (a, b) if short_a else (b, a)
        alignment = align(short, long)
        ls, le = alignment.long_span
        if le > ls:
            ctx = [(0, ls, "context"), (le, len(long), "context")]
            ctx = [c for c in ctx if c[1] > c[0]]
            if short_a:
                b_part, b_off, context_b = long[ls:le], ls, ctx
            else:
                a_part, a_off, context_a = long[ls:le], ls, ctx
            partial = "a" if short_a else "b"
    ops = diff_words(a_part, b_part, ignore_case=ignore_case, ignore_punct=ignore_punct, ignore_quotes=True)
    a_spans = list(context_a)
    b_spans = list(context_b)
    changed = 0
    for op in ops:
        if op.tag == "equal":
            continue
        changed += max(len(op.a_text.split()), len(op.b_text.split()))
        if op.tag in ("delete", "replace") and op.a_span[1] > op.a_span[0]:
            a_spans.append((op.a_span[0] + a_off, op.a_span[1] + a_off, "removed" if op.tag == "delete" else "changed"))
        if op.tag in ("insert", "replace") and op.b_span[1] > op.b_span[0]:
            b_spans.append((op.b_span[0] + b_off, op.b_span[1] + b_off, "added" if op.tag == "insert" else "changed"))
    return PairDiff(a_spans, b_spans, changed, partial)


def styled(text: str, spans: list[tuple[int, int, str]], styles: Styles) -> Text:
    """``text`` (made inert, one character for one) with ``spans`` styled."""
    out = Text(inert(text), end="")
    for start, end, kind in spans:
        out.stylize(styles[kind], start, end)
    return out


def copy_changes_text(original: Article, summary: str, blocks: list, styles: Styles) -> Text:
    """A copy shown as what it changed against ``original``: added paragraphs marked, changed words
    highlighted with the original's words beside them, unchanged runs counted, cut paragraphs listed.
    ``blocks`` are :class:`briefreader.core.copies.ChangeBlock`."""
    out = Text(end="")
    label = " — ".join(p for p in (original.title or original.id, original.outlet, original.date) if p)
    out.append(f"Copy of {inert_line(label)}\n", styles["title"])
    out.append(f"{summary}. f: full text\n\n", styles["meta"])
    cut = [b for b in blocks if b.kind == "cut"]
    for block in blocks:
        if block.kind == "same":
            out.append(f"… {block.count} paragraph{'s' * (block.count != 1)} as in the original …\n\n", styles["meta"])
        elif block.kind == "added":
            out.append("+ added: ", styles["added"])
            out.append(inert(block.text) + "\n\n")
        elif block.kind == "changed":
            pos = 0
            for start, end, was in block.changes:
                out.append(inert(block.text[pos:start]))
                out.append(inert(block.text[start:end]), styles["changed"])
                out.append(f" [was: “{inert_line(was)}”]" if was else " [added]", styles["meta"])
                pos = max(pos, end)
            out.append(inert(block.text[pos:]) + "\n\n")
    if cut:
        out.append(f"Cut from the original ({len(cut)} paragraph{'s' * (len(cut) != 1)}):\n", styles["meta"])
        for block in cut:
            out.append("- " + inert(block.text) + "\n", styles["removed"])
    out.rstrip()
    return out
