"""Rows of the triage database to records and back: JSON values read with bounds, highlights and
chosen clusters from their rows, and the small argument checks the store's writes share."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from briefreader.core.model import Article
from briefreader.core.safe_json import loads_bounded
from briefreader.core.triage_model import ArticleState, ChosenCluster, Highlight, TriageError, normalize_tags

log = logging.getLogger(__name__)


def json_value(text: str | None, default: Any) -> Any:
    """A JSON value stored in the state file, or ``default`` when it is unreadable or nested deeper
    than the JSON limit (the file travels with the corpus: a tampered value must not crash every
    command with RecursionError). Logged, never silent."""
    if text is None:
        return default
    try:
        value = loads_bounded(text)
    except ValueError as exc:
        log.warning("triage state: a stored value is unreadable (%s); using %r", exc, default)
        return default
    return value if isinstance(value, type(default)) else default


def id_list(ids: Iterable[str] | str) -> list[str]:
    """Article ids as a list without duplicates or empties; raises TriageError for none."""
    if isinstance(ids, str):
        ids = [ids]
    out = list(dict.fromkeys(i for i in ids if i))
    if not out:
        raise TriageError("no article given")
    return out


def source_span(article: Article, start: int, end: int) -> tuple[int | None, int | None]:
    """Body offsets mapped to the article's source text (None, None when there is no map)."""
    if not article.offsets.segments and not article.source:
        return None, None
    return article.offsets.to_source(start), article.offsets.to_source(end - 1) + 1


def highlight_from_row(row: Mapping[str, Any]) -> Highlight:
    """A :class:`Highlight` from a ``highlight`` table row."""
    return Highlight(
        id=row["id"],
        article_id=row["article_id"],
        exact=row["exact"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        start=row["body_start"],
        end=row["body_end"],
        source_start=row["source_start"],
        source_end=row["source_end"],
        paragraph=row["paragraph"],
        content_hash=row["content_hash"],
        comment=row["comment"],
        tags=json_value(row["tags"], []),
        created=row["created"],
        updated=row["updated"],
        anchor_state=row["anchor_state"],
        original_exact=row["original_exact"],
    )


def cluster_from_row(row: Mapping[str, Any]) -> ChosenCluster:
    """A :class:`ChosenCluster` from a ``chosen_cluster`` table row."""
    return ChosenCluster(
        id=row["id"],
        cluster_key=row["cluster_key"],
        speaker=row["speaker"],
        canonical=row["canonical"],
        variants=json_value(row["variants"], []),
        note=row["note"],
        created=row["created"],
    )



def states_from_rows(
    wanted: list[str] | None,
    rows: Iterable[tuple[str, str, str, str | None]],
    tag_rows: Iterable[tuple[str, str]],
    highlight_counts: Iterable[tuple[str, int]],
    comment_rows: Iterable[tuple[str, str]],
    highlight_tag_rows: Iterable[tuple[str, str]],
) -> dict[str, ArticleState]:
    """Article states from the rows of a look-up: ``article_state`` rows, ``(article, tag)``,
    ``(article, highlight count)``, ``(article, comment)`` and ``(article, highlight tags JSON)``.
    For ``wanted`` ids every one of them (defaults when untouched), else every touched article by id."""
    out: dict[str, ArticleState] = {}

    def state(aid: str) -> ArticleState:
        st = out.get(aid)
        if st is None:
            st = out[aid] = ArticleState(aid)
        return st

    for aid, status, note, updated in rows:
        st = state(aid)
        st.status, st.note, st.updated = status, note, updated
    for aid, tag in tag_rows:
        state(aid).tags.append(tag)
    for aid, n in highlight_counts:
        state(aid).highlights = n
    for aid, comment in comment_rows:
        state(aid).comments.append(comment)
    for aid, blob in highlight_tag_rows:
        st = state(aid)
        st.highlight_tags = normalize_tags(st.highlight_tags + json_value(blob, []))
    for st in out.values():
        st.tags.sort(key=str.casefold)
        st.highlight_tags.sort(key=str.casefold)
    if wanted is None:
        return dict(sorted(out.items()))
    return {aid: out.get(aid) or ArticleState(aid) for aid in wanted}
