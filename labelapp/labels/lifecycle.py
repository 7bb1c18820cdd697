"""Labels and their lifecycle: creation on award, the one function every state change goes through, expiry and
reminders by date, review (by the coordinator or after a survey wave below the threshold), revocation.

Functions flush and audit; the caller commits.
"""

from __future__ import annotations

import calendar
import datetime as dt
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from labelapp.applications.models import Application
from labelapp.applications.screening import Check
from labelapp.core import audit
from labelapp.core.errors import DomainError, has_reason
from labelapp.core.types import utcnow
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.labels import notifications, wording
from labelapp.labels.models import Label, LabelReminder
from labelapp.labels.states import NEEDS_REASON, LabelAction, LabelState, LabelTransitionError, next_state
from labelapp.panel.reviews import panel_decision


class LabelError(DomainError):
    pass


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def change_state(label: Label, action: LabelAction, reason: str = "", reason_data: dict | None = None) -> LabelState:
    """The one way a label's state changes: checked against the transition table, audited once. An automatic
    reason comes as ``reason_data`` (worded when read, labels/wording.py) with its Estonian wording as ``reason``.

    Raises LabelTransitionError for an action the current state does not allow, LabelError when a reason that
    is shown publicly is missing.
    """
    new = next_state(label.state, action)
    if action in NEEDS_REASON and not has_reason(reason):
        raise LabelError(_("Give the reasons (at least 10 characters): they are shown publicly."))
    before = {"state": label.state.value, "reason": label.state_reason}
    label.state, label.state_reason, label.state_changed_at = new, reason.strip(), utcnow()
    label.state_reason_data = reason_data
    after = {"state": new.value, "reason": label.state_reason}
    if reason_data:
        after["reason_data"] = reason_data
    audit.record(f"label.{new.value}", "label", label.id, before=before, after=after)
    return new


def _change_or_refuse(label: Label, action: LabelAction, reason: str, refusal: str) -> None:
    """change_state, with a transition the table does not allow refused in words."""
    try:
        change_state(label, action, reason)
    except LabelTransitionError:
        raise LabelError(refusal) from None


def next_status_index() -> int:
    """The next free position in the status lists: positions are never reused, so a credential issued for one
    label never points at another's status."""
    return db.session.scalar(select(func.coalesce(func.max(Label.status_index) + 1, 0)))


def create_label(application: Application, today: dt.date) -> Label:
    """The label of an awarded application, valid for the criteria's validity period from ``today``."""
    verified = panel_decision(application).verified
    months = application.criteria_version.content["award_rules"]["validity_months"]
    previous = db.session.scalar(select(Label).where(Label.municipality_id == application.municipality_id)
                                 .order_by(Label.awarded_on.desc(), Label.id.desc()).limit(1))
    label = Label(public_id=secrets.token_urlsafe(12), application_id=application.id,
                  municipality_id=application.municipality_id, criteria_version_id=application.criteria_version_id,
                  level=verified.get("level"), awarded_on=today, valid_until=add_months(today, months),
                  state=LabelState.VALID, previous_label_id=previous.id if previous else None,
                  status_index=next_status_index())
    db.session.add(label)
    db.session.flush()
    audit.record("label.award", "label", label.id, after={"public_id": label.public_id, "level": label.level,
                                                          "valid_until": label.valid_until.isoformat()})
    return label


@dataclass
class TickResult:
    expired: int = 0
    expiring: int = 0
    reminders: int = 0


def tick(today: dt.date) -> TickResult:
    """Move labels by date and send renewal reminders; idempotent (safe to run twice a day)."""
    points = sorted(current_app.config["LABEL_REMINDER_DAYS"], reverse=True)
    result = TickResult()
    labels = db.session.scalars(select(Label).where(Label.state.in_((LabelState.VALID, LabelState.EXPIRING,
                                                                     LabelState.UNDER_REVIEW)))
                                .options(db.joinedload(Label.municipality))).all()
    sent = {(r.label_id, r.days_before) for r in db.session.scalars(select(LabelReminder))}
    for label in labels:
        if today > label.valid_until:
            change_state(label, LabelAction.EXPIRE)
            result.expired += 1
            continue
        if label.state == LabelState.VALID and today >= label.valid_until - dt.timedelta(days=points[0]):
            change_state(label, LabelAction.NEAR_EXPIRY)
            result.expiring += 1
        due = [d for d in points if today >= label.valid_until - dt.timedelta(days=d) and (label.id, d) not in sent]
        if due:
            # Run after a pause, send the nearest reminder only; the earlier ones are recorded as passed.
            for days in due:
                db.session.add(LabelReminder(label_id=label.id, days_before=days))
            notifications.renewal_due(label, (label.valid_until - today).days)
            result.reminders += 1
    db.session.flush()
    return result


def revoke(label: Label, reason: str) -> None:
    """Revoke a label that still stands; the reason is shown publicly and the municipality is told."""
    _change_or_refuse(label, LabelAction.REVOKE, reason, _("This label is no longer valid."))
    notifications.revoked(label, label.state_reason)


def put_under_review(label: Label, reason: str) -> None:
    """Start a review of a valid label (the survey-linked review does this by itself)."""
    _change_or_refuse(label, LabelAction.PUT_UNDER_REVIEW, reason, _("Only a valid label can be put under review."))


def end_review(label: Label, reason: str, today: dt.date | None = None) -> None:
    """Close a label's review in its favour: it is valid again (or expiring soon, by date)."""
    soon = (today or dt.date.today()) >= label.valid_until - dt.timedelta(
        days=max(current_app.config["LABEL_REMINDER_DAYS"]))
    _change_or_refuse(label, LabelAction.RESTORE_NEAR_EXPIRY if soon else LabelAction.RESTORE, reason,
                      _("This label is not under review."))


def revocation_check(application: Application, today: dt.date | None = None) -> Check:
    """Screening: fails while a label of the municipality is under review, or when one was revoked within the
    period the criteria file sets (``award_rules.reapply_after_revocation_months``); names the label and dates."""
    today = today or dt.date.today()
    months = criteria_services.load(application.criteria_version).award_rules.reapply_after_revocation_months
    labels = db.session.scalars(select(Label).where(Label.municipality_id == application.municipality_id,
                                                    Label.application_id != application.id,
                                                    Label.state.in_((LabelState.UNDER_REVIEW, LabelState.REVOKED)))
                                .order_by(Label.awarded_on.desc(), Label.id.desc())).all()
    for label in labels:
        awarded = format_date(label.awarded_on, "long")
        if label.state == LabelState.UNDER_REVIEW:
            return Check("revocation", False, _("the label awarded on %(date)s is under review", date=awarded))
        revoked_on = label.state_changed_at.date()
        again = add_months(revoked_on, months)
        if today < again:
            return Check("revocation", False, _(
                "the label awarded on %(date)s was revoked on %(revoked)s; a new label can be applied for from "
                "%(again)s", date=awarded, revoked=format_date(revoked_on, "long"), again=format_date(again, "long")))
    return Check("revocation", True, _("no label under review or recently revoked"))


def review_after_survey(wave_id: int) -> list[Label]:
    """Labels of municipalities that fall below their criteria's survey threshold in a new wave go under
    review; the municipality and the coordinators are told."""
    from labelapp.surveys.models import SurveyResult

    changed = []
    labels = db.session.scalars(select(Label).where(Label.state.in_((LabelState.VALID, LabelState.EXPIRING)))
                                .options(db.joinedload(Label.municipality), db.joinedload(Label.criteria_version))
                                ).all()
    results = {(r.municipality_id, r.indicator): r for r in
               db.session.scalars(select(SurveyResult).where(SurveyResult.wave_id == wave_id))}
    for label in labels:
        rule = label.criteria_version.content["award_rules"]["survey"]
        result = results.get((label.municipality_id, rule["indicator"]))
        if result is None or result.n < rule["min_sample"]:
            continue
        judged = result.ci_low if rule["applies_to"] == "ci_lower" else result.value
        if judged < rule["threshold"]:
            data = wording.survey_below_threshold(result.wave.year, judged, rule["threshold"], rule["applies_to"])
            label.state_reason_data = data
            with force_locale("et"):  # the stored text, for the open data and the audit log
                text = wording.reason(label)
            change_state(label, LabelAction.PUT_UNDER_REVIEW, text, data)
            notifications.put_under_review(label)
            changed.append(label)
    db.session.flush()
    return changed
