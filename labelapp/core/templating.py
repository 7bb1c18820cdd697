"""Names every template can use."""

import datetime as dt
import json

from flask import Flask, current_app, request
from flask_babel import format_date, get_locale

from labelapp.core import charts
from labelapp.core.uploads import human_size

LANGUAGE_NAMES = {"et": "Eesti keeles", "en": "In English"}


def readable_json(value) -> str:
    """JSON for people: letters as they are (not \\u00e4), keys in order; escaped by the template like any text."""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)


def pairs(items, *names: str) -> list[tuple]:
    """(item.a, item.b, ...) of each item, or item[a] ... for mappings: a chart's rows from a page's objects."""
    def get(item, name):
        return item[name] if isinstance(item, dict) else getattr(item, name)
    return [tuple(get(item, name) for name in names) for item in items]


# Estonian says "until 1 December" with the month in the terminative case: "kehtib 1. detsembrini 2028".
MONTHS_TERMINATIVE_ET = ("jaanuarini", "veebruarini", "märtsini", "aprillini", "maini", "juunini", "juulini",
                         "augustini", "septembrini", "oktoobrini", "novembrini", "detsembrini")


def until_date(value: dt.date) -> str:
    """The end of a period as a phrase reads it in the page's language: "1. detsembrini 2028" (so that
    "kehtib %(date)s" reads "kehtib 1. detsembrini 2028"), "1 December 2028" in English. Day, month names and year come
    from Babel's locale data; only the month's case is this table."""
    if str(get_locale()) == "et":
        return f"{format_date(value, 'd.')} {MONTHS_TERMINATIVE_ET[value.month - 1]} {format_date(value, 'y')}"
    return format_date(value, "d MMMM y")  # as the issue asks: "1 December 2028" (the "en" locale is US-style)


# A day in a given format and language always reads the same: a list of 25 labels shows some 50 dates, and
# Babel's formatting of each costs more than the rest of its row.
MAX_FORMATTED_DATES = 4096
_formatted_dates: dict[tuple, str] = {}


def dateformat(value, format=None, rebase=True) -> str:  # noqa: A002  # Flask-Babel's own filter's signature
    """Flask-Babel's ``dateformat`` filter, kept per day, format and language for a date (a date has no time zone
    to convert to; a datetime is formatted each time)."""
    if type(value) is not dt.date:
        return format_date(value, format, rebase)
    key = (value, format, str(get_locale()))
    found = _formatted_dates.get(key)
    if found is None:
        if len(_formatted_dates) >= MAX_FORMATTED_DATES:
            _formatted_dates.clear()
        found = _formatted_dates[key] = format_date(value, format)
    return found


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(dateformat, "dateformat")
    app.add_template_filter(until_date, "until_date")
    app.add_template_filter(human_size, "filesize")
    app.add_template_filter(readable_json, "readable_json")
    app.add_template_global(charts.shares, "share_chart")
    app.add_template_global(charts.offsets, "offset_chart")
    app.add_template_global(pairs, "pairs")

    @app.context_processor
    def _globals():
        return {
            "current_locale": str(get_locale()),
            "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]],
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
