"""The line classifier of the article-run pass (core/prose.py, weights in rules/prose.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.core import prose

LINES = [
    "Dock workers at the northern harbour returned to work on Thursday after their union accepted a pay offer.",
    "Home", "World", "Sign In", "Subscribe", "Markets | Sport | Culture", "www.example.com/news",
    "Ferry Operators Brace For Busy Summer Season", "Police: 2 In Custody After Death Of Student A 24-year-old "
    "woman and a 28-year-old man have been arrested, police said.",
    "He declined to comment.", "June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL",
    "“We needed to win this game,” the coach said after the loss.", "1 tsp ground ginger",
]


@pytest.mark.parametrize("line", LINES)
@pytest.mark.parametrize("evidence", [0, 3])
def test_fast_verdict_is_the_full_classifier_verdict(line: str, evidence: int) -> None:
    model = prose.load_model()
    assert (prose.prose_sign(line, evidence, model) > 0) == (prose.prose_score(line, evidence, model) > 0)


def test_prose_and_furniture_lines() -> None:
    model = prose.load_model()
    assert prose.prose_score(LINES[0], 0, model) > 0
    for furniture in ("Home", "Sign In", "Markets | Sport | Culture", "Ferry Operators Brace For Busy Summer Season"):
        assert prose.prose_score(furniture, 0, model) <= 0, furniture


def test_best_run_and_anchor() -> None:
    values = [-5, -5, 30, 20, -5, 25, -5, -5, -5, -5, 50, -5]
    assert prose.best_run(values) == (100, 2, 10)  # 30 + 20 - 5 + 25 - 20 + 50
    assert prose.best_run_starting_in(values, 9, 11) == (50.0, 10, 10)


def test_unknown_feature_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "prose.yaml"
    broken.write_text("bias: 0\nweights: {shoe_size: 1}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="shoe_size"):
        prose.load_model(broken)
