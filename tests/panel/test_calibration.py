"""Krippendorff's alpha against the worked example of Krippendorff (2011), "Computing Krippendorff's
Alpha-Reliability", section C: 4 observers, 12 units, values 1-5 with missing ratings."""

import pytest

from labelapp.panel.calibration import krippendorff_alpha

N = None
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
UNITS = [list(unit) for unit in zip(*OBSERVERS, strict=True)]


@pytest.mark.parametrize("level,published", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_published_worked_example(level, published):
    assert round(krippendorff_alpha(UNITS, level), 3) == published


def test_perfect_agreement_is_one_and_units_with_one_rating_are_ignored():
    assert krippendorff_alpha([[1, 1, 1], [3, 3, None], [2, None, None], [0, 0, 0]]) == 1.0


def test_undefined_without_variation_or_pairs():
    assert krippendorff_alpha([[2, 2], [2, 2]]) is None
    assert krippendorff_alpha([[1, None], [None, 3]]) is None


def test_systematic_disagreement_is_below_zero():
    assert krippendorff_alpha([[0, 3], [3, 0], [0, 3], [3, 0]], "interval") < 0
