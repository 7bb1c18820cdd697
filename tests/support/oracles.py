"""Values computed independently of the code under test, to compare it with."""

import math

from labelapp.surveys.stats import Z95


def wilson_by_quadratic(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson interval is where (p - x)^2 = z^2 x (1 - x) / n: solve a x^2 + b x + c = 0."""
    k = z * z / n
    a, b, c = 1 + k, -(2 * p + k), p * p
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)
