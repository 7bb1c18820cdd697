"""The geometry of the small server-rendered bar charts (SVG), shared by every page that draws one.

Labels wrap onto several lines instead of being cut (the table beside each chart holds the same names and
numbers), values use the page's number format, and a chart of small differences is scaled to its largest
value (with a floor) so that a difference of 0.1 is not one pixel wide. The templates only place what is
computed here: see templates/_macros/charts.html.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from flask_babel import format_decimal

WIDTH = 520
FONT = 13  # px, .chart-label in app.css
LINE = 16  # px between wrapped label lines
LABEL_CHARS = 30  # about 220 px of 13 px text
BAR = 16
GAP = 12


@dataclass(frozen=True)
class Bar:
    lines: list[str]  # the label, wrapped
    y: float  # top of the row
    height: float  # the row's height (grows with the label's lines)
    x: float  # the bar's left edge
    width: float
    value: str  # the number as the page writes it
    value_x: float
    anchor: str  # start | end
    negative: bool = False
    whisker: tuple[float, float] | None = None  # x of an interval's ends

    @property
    def bar_y(self) -> float:
        return self.y + (self.height - BAR) / 2

    @property
    def middle(self) -> float:
        return self.y + self.height / 2

    @property
    def first_line_y(self) -> float:
        """Baseline of the first label line, so that the lines are centred on the bar."""
        return self.middle - (len(self.lines) - 1) * LINE / 2 + FONT * 0.35


@dataclass(frozen=True)
class Chart:
    width: int
    height: float
    bars: list[Bar]
    axis: float | None = None  # x of the zero line of a chart with negative values
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, text) under the chart


def wrap(label: str, chars: int = LABEL_CHARS) -> list[str]:
    """The label on lines of at most ``chars`` characters, breaking at spaces and hyphens, never cutting text."""
    return textwrap.wrap(str(label), chars, break_on_hyphens=True) or [""]


def _rows(labels: list[str]) -> list[tuple[list[str], float, float]]:
    rows, y = [], 4.0  # a little room above the first bar
    for label in labels:
        lines = wrap(label)
        height = max(BAR + GAP, len(lines) * LINE + GAP)
        rows.append((lines, y, height))
        y += height
    return rows


def shares(items: list[tuple[str, float]], *, maximum: float = 100.0, number: str = "0.0", unit: str = " %",
           intervals: list[tuple[float, float]] | None = None) -> Chart:
    """Bars from 0 to ``maximum`` (per cent by default), with the value after each bar and, when given, each
    interval drawn as a whisker over its bar."""
    left, span = 240.0, 210.0  # the value text needs about 60 px after a full bar
    bars = []
    for index, ((lines, y, height), (_label, value)) in enumerate(zip(_rows([i[0] for i in items]), items,
                                                                      strict=True)):
        length = max(0.0, min(value, maximum)) / maximum * span
        whisker = None
        end = left + length
        if intervals:
            low, high = intervals[index]
            whisker = (left + max(0.0, low) / maximum * span, left + min(high, maximum) / maximum * span)
            end = max(end, whisker[1])
        bars.append(Bar(lines, y, height, left, max(length, 1.0), format_decimal(value, number) + unit, end + 6,
                        "start", whisker=whisker))
    height = bars[-1].y + bars[-1].height if bars else 0.0
    return Chart(WIDTH, height + 20, bars, ticks=[(left, format_decimal(0, "0") + unit),
                                                  (left + span, format_decimal(maximum, "0") + unit)])


def offsets(items: list[tuple[str, float]], *, floor: float = 0.25, number: str = "+0.00;-0.00") -> Chart:
    """Bars either side of zero, scaled to the largest absolute value but never to less than ``floor``: offsets
    of ±0.1 level fill a visible part of the chart instead of a pixel or two. The ends of the scale are
    written under the chart so that the reader sees its extent."""
    left, right = 240.0, WIDTH - 50.0  # room for the value text at either end
    centre = (left + right) / 2
    half = (right - left) / 2
    extent = max([floor, *(abs(value) for _label, value in items)])
    bars = []
    for (lines, y, height), (_label, value) in zip(_rows([i[0] for i in items]), items, strict=True):
        length = abs(value) / extent * half
        negative = value < 0
        bars.append(Bar(lines, y, height, centre - length if negative else centre, max(length, 1.0),
                        format_decimal(value, number), centre - length - 6 if negative else centre + length + 6,
                        "end" if negative else "start", negative=negative))
    height = bars[-1].y + bars[-1].height if bars else 0.0
    return Chart(WIDTH, height + 20, bars, axis=centre,
                 ticks=[(left, format_decimal(-extent, number)), (centre, format_decimal(0, "0")),
                        (right, format_decimal(extent, number))])
