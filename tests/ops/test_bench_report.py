"""`make bench` judges a figure to the digits its target is given in (ASTM E29's rounding
method), and shows the target as the issue gives it."""

from __future__ import annotations

import pytest

from benchmarks.report import Row


@pytest.mark.parametrize(
    ("value", "target", "at_most", "digits", "passed"),
    [
        (1.004, 1.0, True, 1, True),  # 1.0 against ≤ 1.0
        (1.049, 1.0, True, 1, True),
        (1.06, 1.0, True, 1, False),  # 1.1
        (2.96, 3.0, True, 1, True),
        (3.06, 3.0, True, 1, False),
        (1.76, 1.8, False, 1, True),  # ≥ 1.8 read as 1.8
        (1.74, 1.8, False, 1, False),
        (120.4, 120.0, True, 0, True),  # MB, given whole
        (120.6, 120.0, True, 0, False),
        (0.0, 0.0, True, 0, True),
        (1.0, 0.0, True, 0, False),
    ],
)
def test_a_figure_is_judged_to_its_targets_digits(value, target, at_most, digits, passed):
    assert Row("m", value, target, at_most=at_most, digits=digits).passed is passed


def test_the_target_shows_as_given_and_the_figure_as_measured():
    cells = Row("m", 1.0041, 1.0).cells()
    assert cells[1:4] == ["1.00", "≤ 1.0", "pass"]
    assert Row("rss", 103.75, 120.0, unit=" MB", digits=0).cells()[1:4] == [
        "103.75 MB",
        "≤ 120 MB",
        "pass",
    ]
    assert Row("no target", 0.99, None).cells()[2:4] == ["—", "—"]
