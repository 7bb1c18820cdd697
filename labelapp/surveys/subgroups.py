"""Subgroup figures as pages show them: in words, with intervals, and without groups under the minimum sample.

A wave stores, per municipality, ``{column: {value: {value, n, n_effective, ci_low, ci_high}}}`` (analysis.py);
a group with fewer respondents than the wave's minimum sample is counted but not shown, as its share would say
little and could point at few people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from labelapp.surveys import words


@dataclass(frozen=True)
class Group:
    name: str
    value: float
    ci_low: float
    ci_high: float
    n: int


@dataclass(frozen=True)
class Column:
    code: str
    name: str
    groups: list[Group] = field(default_factory=list)
    hidden: int = 0  # groups under the minimum sample


def shown(subgroups: dict | None, min_sample: int) -> list[Column]:
    """The subgroup columns of one result, each group named in the page's language; groups with fewer than
    ``min_sample`` respondents are left out and counted."""
    columns = []
    for code, groups in (subgroups or {}).items():
        visible, hidden = [], 0
        for value, figures in groups.items():
            if int(figures.get("n", 0)) < min_sample or "value" not in figures:  # a count kept without figures
                hidden += 1
                continue
            visible.append(Group(words.group(code, value), float(figures["value"]), float(figures["ci_low"]),
                                 float(figures["ci_high"]), int(figures["n"])))
        columns.append(Column(code, words.subgroup(code), visible, hidden))
    return columns
