"""Names every template can use."""

import json

from flask import Flask, current_app, request
from flask_babel import get_locale

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


def register_template_helpers(app: Flask) -> None:
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
