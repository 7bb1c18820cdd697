"""Charts that read: labels wrap instead of being cut, small offsets are visible, numbers as in the tables."""

import re

import pytest
from flask import render_template_string
from flask_babel import force_locale

from labelapp.auth.services import find_user
from labelapp.core import charts
from labelapp.extensions import db
from tests.support.factories import awarded_labels

MACRO = '{% from "_macros/charts.html" import bar_chart %}{{ bar_chart(chart, "c", "Title") }}'


def svg_of(html: str, chart_id: str) -> str:
    return html.split(f'aria-labelledby="{chart_id}-title"', 1)[1].split("</svg>", 1)[0]


def label_texts(svg: str) -> list[str]:
    """Each bar's label with its wrapped lines joined again."""
    return [" ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", t))
            for t in re.findall(r'<text x="0"[^>]*class="chart-label">(.*?)</text>', svg)]


def bar_widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]


def test_a_long_label_wraps_onto_lines_and_keeps_every_word():
    name = "Kogukondade määratlemine ja esindatus kohaliku omavalitsuse otsustes"
    lines = charts.wrap(name)
    assert len(lines) > 1 and all(len(line) <= charts.LABEL_CHARS for line in lines)
    assert " ".join(lines) == name


def test_offsets_of_a_tenth_of_a_level_are_wide_enough_to_see(app):
    with app.test_request_context():
        chart = charts.offsets([("A", 0.1), ("B", -0.1), ("C", 0.05)])
    assert [round(b.width) for b in chart.bars] == [46, 46, 23]  # scaled to the floor of 0.25 level, not 3 levels
    assert chart.bars[1].x + chart.bars[1].width == pytest.approx(chart.axis)  # a negative bar ends at zero


def test_offsets_are_scaled_to_the_largest_one(app):
    with app.test_request_context():
        chart = charts.offsets([("A", 2.0), ("B", -1.0)])
    assert chart.bars[0].width == pytest.approx(2 * chart.bars[1].width)
    assert chart.bars[0].x + chart.bars[0].width <= chart.width - 40  # room for the value


@pytest.mark.parametrize("lang,value,tick", [("et", "+0,10", "−0,25"), ("en", "+0.10", "-0.25")])
def test_calibration_bars_render_wide_with_the_pages_numbers(app, lang, value, tick):
    items = [{"label": "hindaja1@demo.kaasav.ee", "mean": 0.1, "count": 4},
             {"label": "hindaja2@demo.kaasav.ee", "mean": -0.1, "count": 4}]
    with app.test_request_context(), force_locale(lang):
        html = render_template_string('{% include "panel/_bars.html" %}', items=items, chart_id="a",
                                      chart_title="T")
    assert all(width >= 40 for width in bar_widths(html))
    assert value in html and tick.replace("−", "") in html.replace("−", "")
    assert label_texts(html) == ["hindaja1@demo.kaasav.ee", "hindaja2@demo.kaasav.ee"]


@pytest.mark.parametrize("lang,number", [("et", "38,1 %"), ("en", "38.1 %")])
def test_share_chart_writes_numbers_as_the_tables_do(app, lang, number):
    with app.test_request_context(), force_locale(lang):
        html = render_template_string(MACRO, chart=charts.shares([("Pikk nimi", 38.1)], intervals=[(30.0, 46.2)]))
    assert f">{number}</text>" in html and 'class="chart-whisker"' in html


def test_registry_area_chart_shows_full_names_and_decimal_commas(app, client, users):
    with app.test_request_context():
        awarded_labels(["0784"], find_user(users["assessor"]), find_user(users["coordinator"]))
        db.session.commit()
    client.set_cookie("lang", "et")
    html = client.get("/registry/0784").get_data(as_text=True)
    svg = svg_of(html, "areas")
    assert "Kogukondade määratlemine ja esindatus" in label_texts(svg)
    assert "…" not in svg
    values = re.findall(r'class="chart-value"[^>]*>([^<]*)</text>', svg)
    table = html.split('aria-labelledby="areas-title"', 1)[1].split("</table>", 1)[0]
    assert values and all(f"<td>{v}</td>" in table for v in values)  # the chart's numbers are the table's
    assert any("," in v for v in values)
