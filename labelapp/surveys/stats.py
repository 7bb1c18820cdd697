"""Weighted shares, Kish effective sample size and Wilson score intervals. Pure functions."""

from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for proportion ``p`` observed on (effective) sample size ``n``."""
    if n <= 0:
        return 0.0, 1.0
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def kish(sum_w: float, sum_w2: float) -> float:
    """Kish's effective sample size (Σw)² / Σw²."""
    return sum_w * sum_w / sum_w2 if sum_w2 > 0 else 0.0


def summarise(sum_w: float, sum_w2: float, satisfied_w: float) -> tuple[float, float, float, float]:
    """(share %, effective n, CI low %, CI high %) of the weighted share satisfied."""
    p = satisfied_w / sum_w if sum_w > 0 else 0.0
    n_eff = kish(sum_w, sum_w2)
    low, high = wilson(p, n_eff)
    return round(100 * p, 2), round(n_eff, 2), round(100 * low, 2), round(100 * high, 2)
