"""Agreement between assessors: Krippendorff's alpha. Pure: ratings in, a number out.

Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": build the coincidence matrix of
values paired within each unit, then alpha = 1 - D_o / D_e for the level's difference function.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import permutations

LEVELS = ("nominal", "ordinal", "interval")


def _coincidences(units: Sequence[Sequence[float | None]]) -> Counter:
    """o[c, k]: pairs of values (c, k) within units, each unit weighted 1 / (m_u - 1)."""
    matrix: Counter = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        if len(values) < 2:
            continue  # a unit rated by one assessor carries no information about agreement
        weight = 1 / (len(values) - 1)
        for c, k in permutations(values, 2):
            matrix[(c, k)] += weight
    return matrix


def krippendorff_alpha(units: Sequence[Sequence[float | None]], level: str = "ordinal") -> float | None:
    """Alpha for ratings given as one sequence per unit (the assessors' values, None where one did not rate).

    Returns None when it is undefined (fewer than two pairable values, or all values the same).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    return alpha_from_coincidences(_coincidences(units), level)


def alpha_from_coincidences(matrix: Mapping[tuple[float, float], float], level: str = "ordinal") -> float | None:
    """Alpha from the coincidence matrix o[c, k] (as a database can sum it: for each unit with m_u >= 2 values,
    n_uc * n_uk / (m_u - 1) for c != k and n_uc * (n_uc - 1) / (m_u - 1) for c == k). None when undefined."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    totals: Counter = Counter()
    for (c, _k), weight in matrix.items():
        totals[c] += weight
    n = sum(totals.values())
    values = sorted(totals)
    if n <= 1 or len(values) < 2:
        return None

    def delta(c: float, k: float) -> float:
        if level == "nominal":
            return 0.0 if c == k else 1.0
        if level == "interval":
            return (c - k) ** 2
        low, high = sorted((c, k))
        between = sum(totals[g] for g in values if low <= g <= high)
        return (between - (totals[low] + totals[high]) / 2) ** 2

    observed = sum(weight * delta(c, k) for (c, k), weight in matrix.items())
    expected = sum(totals[c] * totals[k] * delta(c, k) for c in values for k in values) / (n - 1)
    return None if expected == 0 else 1 - observed / expected
