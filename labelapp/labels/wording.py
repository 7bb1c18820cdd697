"""Interface words for label states and reasons (kept apart so that states.py stays free of Flask)."""

from __future__ import annotations

import re

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from labelapp.labels.states import LabelState

LABEL_STATES = {
    LabelState.VALID: _l("valid"), LabelState.EXPIRING: _l("expiring soon"), LabelState.EXPIRED: _l("expired"),
    LabelState.UNDER_REVIEW: _l("under review"), LabelState.REVOKED: _l("revoked"),
}

SURVEY_BELOW_THRESHOLD = "survey_below_threshold"
# How the survey reason was stored as text before it was kept as data (Estonian, or English from a command run
# without a locale), so that those labels read in the reader's language too.
_NUMBERS = r"(?P<value>[\d.,]+) % \((?:threshold|lävend) (?P<threshold>[\d.,]+) %\)\."
_FROZEN = (re.compile(r"The (?P<year>\d{4}) survey shows " + _NUMBERS),
           re.compile(r"(?P<year>\d{4})\. aasta uuring näitab " + _NUMBERS))


def survey_below_threshold(year: int, value: float, threshold: float, applies_to: str) -> dict:
    """The data of the automatic reason for a label put under review by a survey wave."""
    return {"code": SURVEY_BELOW_THRESHOLD, "year": int(year), "value": float(value), "threshold": float(threshold),
            "applies_to": applies_to}


def _frozen(text: str) -> dict | None:
    for pattern in _FROZEN:
        if found := pattern.fullmatch(text.strip()):
            number = {k: float(found[k].replace(",", ".")) for k in ("value", "threshold")}
            return survey_below_threshold(int(found["year"]), number["value"], number["threshold"], "value")
    return None


def reason(label) -> str:
    """The reason for the label's state in the current language and number format: an automatic reason is
    worded from its data (or from the text it was once stored as); a person's reason is shown as written."""
    data = label.state_reason_data or _frozen(label.state_reason or "")
    if not data or data.get("code") != SURVEY_BELOW_THRESHOLD:
        return label.state_reason or ""
    numbers = {"year": data["year"], "value": format_decimal(data["value"], "#,##0.0#"),
               "threshold": format_decimal(data["threshold"], "#,##0.##")}
    if data.get("applies_to") == "ci_lower":
        return _("In the %(year)d survey the lower bound of the 95%% confidence interval is %(value)s %% "
                 "(threshold %(threshold)s %%).", **numbers)
    return _("The %(year)d survey shows %(value)s %% (threshold %(threshold)s %%).", **numbers)
