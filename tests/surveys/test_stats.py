"""Wilson bounds and Kish's effective n against values derived independently here."""


import pytest

from labelapp.surveys.stats import kish, summarise, wilson
from tests.support.oracles import wilson_by_quadratic


@pytest.mark.parametrize("p,n", [(0.5, 100), (0.62, 812), (0.0, 30), (1.0, 18), (0.71, 12.5), (0.05, 400)])
def test_wilson_matches_the_quadratic_roots(p, n):
    low, high = wilson(p, n)
    expected_low, expected_high = wilson_by_quadratic(p, n)
    assert low == pytest.approx(max(0.0, expected_low), abs=1e-12)
    assert high == pytest.approx(min(1.0, expected_high), abs=1e-12)


def test_wilson_published_example():
    # 81 successes in 263 trials: the 95 % Wilson interval is 0.2553 to 0.3662 (Newcombe 1998, as commonly cited).
    low, high = wilson(81 / 263, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_kish_equal_weights_is_n_and_unequal_weights_is_less():
    assert kish(10 * 1.0, 10 * 1.0) == 10
    weights = [1, 1, 2, 4]
    assert kish(sum(weights), sum(w * w for w in weights)) == pytest.approx(64 / 22)


def test_summarise_in_percent():
    value, n_eff, low, high = summarise(4.0, 4.0, 3.0)
    assert (value, n_eff) == (75.0, 4.0)
    expected = wilson_by_quadratic(0.75, 4)
    assert (low, high) == (round(100 * expected[0], 2), round(100 * expected[1], 2))
