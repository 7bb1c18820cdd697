"""The automatic eligibility checks shown to the coordinator before the manual screening decision.

Checks that need a later step of the process (the labels a municipality held) are added by that step's package
through the ``screening_checks_requested`` signal, so that this package never imports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace
from flask_babel import gettext as _
from flask_babel import ngettext

from labelapp.applications.models import Application
from labelapp.assessment import services as assessment_services

# Sent with the application; each receiver returns one Check (or None when it has nothing to say).
screening_checks_requested = Namespace().signal("screening-checks-requested")


@dataclass(frozen=True)
class Check:
    key: str
    passed: bool
    detail: str


def screening_checks(application: Application) -> list[Check]:
    """Completeness, evidence and survey sample here; the registered checks of later steps after them."""
    criteria = assessment_services.criteria_of(application.assessment)
    gaps = assessment_services.missing(application.assessment, criteria)
    rule = criteria.award_rules.survey
    survey = application.survey_result
    checks = [
        Check("complete", not gaps.unanswered,
              ngettext("%(num)d criterion unanswered", "%(num)d criteria unanswered", len(gaps.unanswered))
              if gaps.unanswered else _("all answered")),
        Check("evidence", not gaps.evidence_needed,
              ngettext("%(num)d criterion lacks required evidence", "%(num)d criteria lack required evidence",
                       len(gaps.evidence_needed)) if gaps.evidence_needed
              else _("evidence present where required")),
        Check("survey", survey is not None and survey.n >= rule.min_sample,
              _("no survey data") if survey is None else
              ngettext("%(year)d survey: %(num)d respondent (minimum %(min)d)",
                       "%(year)d survey: %(num)d respondents (minimum %(min)d)", survey.n, year=survey.wave.year,
                       min=rule.min_sample)),
    ]
    for _receiver, check in screening_checks_requested.send(application):
        if check is not None:
            checks.append(check)
    return checks
