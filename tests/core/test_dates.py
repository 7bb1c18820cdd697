"""Estonian date phrases: "kehtib 1. detsembrini 2028" (terminative month), English "valid until 1 December
2028" (issue 18, point 7)."""

import datetime as dt

import pytest
from flask_babel import force_locale

from labelapp.core.templating import until_date

TERMINATIVE = ["jaanuarini", "veebruarini", "märtsini", "aprillini", "maini", "juunini", "juulini", "augustini",
               "septembrini", "oktoobrini", "novembrini", "detsembrini"]


@pytest.mark.parametrize("month", range(1, 13))
def test_until_date_puts_the_estonian_month_in_the_terminative(app, month):
    with app.test_request_context(), force_locale("et"):
        assert until_date(dt.date(2028, month, 1)) == f"1. {TERMINATIVE[month - 1]} 2028"


def test_until_date_in_english_is_the_long_date(app):
    with app.test_request_context(), force_locale("en"):
        assert until_date(dt.date(2028, 12, 1)) == "1 December 2028"


def test_valid_until_sentence_reads_in_both_languages(app):
    from flask import render_template_string

    template = '{{ _("valid until %(date)s", date=day|until_date) }}'
    with app.test_request_context():
        with force_locale("et"):
            assert render_template_string(template, day=dt.date(2028, 12, 1)) == "kehtib 1. detsembrini 2028"
        with force_locale("en"):
            assert render_template_string(template, day=dt.date(2028, 12, 1)) == "valid until 1 December 2028"


def test_dateformat_kept_per_day_reads_as_babel_formats_it(app):
    """The registry's date filter keeps each day's text per format and language: what it gives is Babel's
    own formatting in the page's language, a datetime still converted and formatted each time."""
    from flask import render_template_string
    from flask_babel import format_date

    day, moment = dt.date(2028, 12, 1), dt.datetime(2028, 12, 1, 23, 30, tzinfo=dt.UTC)
    template = "{{ day|dateformat('medium') }}|{{ day|dateformat('long') }}|{{ moment|dateformat('short') }}"
    for language in ("et", "en", "et"):
        with app.test_request_context(), force_locale(language):
            expected = f"{format_date(day, 'medium')}|{format_date(day, 'long')}|{format_date(moment, 'short')}"
            assert render_template_string(template, day=day, moment=moment) == expected
    with app.test_request_context(), force_locale("en"):
        assert render_template_string("{{ day|dateformat('long') }}", day=day) == "December 1, 2028"
