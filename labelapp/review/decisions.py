"""Decisions (released together, pretalx-style), labels and their lifecycle: expiry, reminders, review, revocation."""

from __future__ import annotations

import calendar
import datetime as dt
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from labelapp.auth.models import Role, User
from labelapp.core import audit, mail
from labelapp.core.errors import DomainError
from labelapp.core.types import utcnow
from labelapp.extensions import db
from labelapp.review.label_models import Decision, Label, LabelReminder, LabelState
from labelapp.review.models import Application, PanelDecision
from labelapp.review.services import change_status
from labelapp.review.states import Action, ApplicationStatus

SUBJECTS = {"award": _l("The inclusive municipality label is awarded"),
            "decline": _l("Decision on your label application"),
            "reminder": _l("Your inclusive municipality label expires soon"),
            "review": _l("Your label is under review"),
            "revoked": _l("Your label is revoked")}


class DecisionError(DomainError):
    pass


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def panel_decision(application: Application) -> PanelDecision | None:
    """The latest consolidation (an appeal heard by a new panel adds one)."""
    return db.session.scalar(select(PanelDecision).where(PanelDecision.application_id == application.id)
                             .order_by(PanelDecision.id.desc()).limit(1))


def pending() -> list[Decision]:
    return db.session.scalars(select(Decision).where(Decision.released_at.is_(None))
                              .options(db.joinedload(Decision.application).joinedload(Application.municipality))
                              .order_by(Decision.id)).all()


def decide(application: Application, user: User, outcome: str, reasons: str) -> Decision:
    """Record the coordinator's decision (pending until released). Confirming the panel needs no reason;
    overriding it or declining does, and the municipality reads it in full."""
    if application.status not in (ApplicationStatus.RECOMMENDED, ApplicationStatus.APPEALED):
        raise DecisionError(_("A decision follows the panel's recommendation."))
    if outcome not in ("award", "decline"):
        raise DecisionError(_("Choose to award or to decline."))
    recommended = panel_decision(application).recommendation
    overrides = outcome != recommended
    redeciding = application.status == ApplicationStatus.APPEALED  # an appeal decided without a new panel
    if (overrides or outcome == "decline" or redeciding) and len(reasons.strip()) < 10:
        raise DecisionError(_("Give the reasons (at least 10 characters): the municipality reads them in full."))
    for old in db.session.scalars(select(Decision).where(Decision.application_id == application.id,
                                                         Decision.released_at.is_(None))):
        db.session.delete(old)
    decision = Decision(application_id=application.id, outcome=outcome, reasons=reasons.strip(),
                        overrides_panel=overrides, decided_by_id=user.id)
    db.session.add(decision)
    db.session.flush()
    audit.record("decision.record", "application", application.id,
                 after={"outcome": outcome, "overrides_panel": overrides, "reasons": decision.reasons})
    return decision


def staff_of(municipality_id: int) -> list[User]:
    return db.session.scalars(select(User).where(User.role == Role.STAFF, User.active.is_(True),
                                                 User.municipality_id == municipality_id)).all()


def _mail(users: list[User], kind: str, subject_detail: str, **context) -> None:
    for user in users:
        mail.queue_bilingual(user.email, SUBJECTS[kind], f"review/mail/label_{kind}.txt",
                             subject_detail=subject_detail, user=user, **context)


def preview(decision: Decision, today: dt.date | None = None) -> tuple[list[str], str]:
    """(recipients, body) of the e-mail that releasing ``decision`` will send, for the coordinator to read."""
    application = decision.application
    label = None
    if decision.outcome == "award":
        months = application.criteria_version.content["award_rules"]["validity_months"]
        label = Label(level=panel_decision(application).verified.get("level"),
                      valid_until=add_months(today or dt.date.today(), months))
    recipients = staff_of(application.municipality_id)
    body = mail.render_bilingual(f"review/mail/label_{decision.outcome}.txt", user=recipients[0] if recipients
                                 else None, application=application, decision=decision, label=label,
                                 link=mail.absolute_link("review.detail", application_id=application.id))
    return [u.email for u in recipients], body


def release_all(today: dt.date | None = None, base_url: str | None = None) -> list[Decision]:
    """Carry out every pending decision at once: the application's status, the label, the e-mails."""
    today = today or dt.date.today()
    released = []
    for decision in pending():
        application = decision.application
        change_status(application, Action.AWARD if decision.outcome == "award" else Action.DECLINE,
                      decision.reasons)
        label = create_label(application, today) if decision.outcome == "award" else None
        decision.released_at = utcnow()
        link = mail.absolute_link("review.detail", base_url, application_id=application.id)
        _mail(staff_of(application.municipality_id), decision.outcome, application.municipality.name,
              application=application, decision=decision, label=label, link=link)
        released.append(decision)
    db.session.flush()
    audit.record("decision.release", "decision", None, after={"released": [d.id for d in released]})
    return released


def create_label(application: Application, today: dt.date) -> Label:
    verified = panel_decision(application).verified
    months = application.criteria_version.content["award_rules"]["validity_months"]
    previous = db.session.scalar(select(Label).where(Label.municipality_id == application.municipality_id)
                                 .order_by(Label.awarded_on.desc(), Label.id.desc()).limit(1))
    label = Label(public_id=secrets.token_urlsafe(12), application_id=application.id,
                  municipality_id=application.municipality_id, criteria_version_id=application.criteria_version_id,
                  level=verified.get("level"), awarded_on=today, valid_until=add_months(today, months),
                  state=LabelState.VALID, previous_label_id=previous.id if previous else None)
    db.session.add(label)
    db.session.flush()
    audit.record("label.award", "label", label.id, after={"public_id": label.public_id, "level": label.level,
                                                          "valid_until": label.valid_until.isoformat()})
    return label


def _set_state(label: Label, state: LabelState, reason: str = "") -> None:
    before = {"state": label.state.value, "reason": label.state_reason}
    label.state, label.state_reason, label.state_changed_at = state, reason, utcnow()
    audit.record(f"label.{state.value}", "label", label.id, before=before,
                 after={"state": state.value, "reason": reason})


@dataclass
class TickResult:
    expired: int = 0
    expiring: int = 0
    reminders: int = 0


def tick(today: dt.date) -> TickResult:
    """Move labels by date and send renewal reminders; idempotent (safe to run twice a day)."""
    config = current_app.config
    points = sorted(config["LABEL_REMINDER_DAYS"], reverse=True)
    result = TickResult()
    labels = db.session.scalars(select(Label).where(Label.state.in_((LabelState.VALID, LabelState.EXPIRING,
                                                                     LabelState.UNDER_REVIEW)))
                                .options(db.joinedload(Label.municipality))).all()
    sent = {(r.label_id, r.days_before) for r in db.session.scalars(select(LabelReminder))}
    for label in labels:
        if today > label.valid_until:
            _set_state(label, LabelState.EXPIRED)
            result.expired += 1
            continue
        if label.state == LabelState.VALID and today >= label.valid_until - dt.timedelta(days=points[0]):
            _set_state(label, LabelState.EXPIRING)
            result.expiring += 1
        due = [d for d in points if today >= label.valid_until - dt.timedelta(days=d) and (label.id, d) not in sent]
        if due:
            # Run after a pause, send the nearest reminder only; the earlier ones are recorded as passed.
            for days in due:
                db.session.add(LabelReminder(label_id=label.id, days_before=days))
            _mail(staff_of(label.municipality_id), "reminder", label.municipality.name, label=label,
                  days=(label.valid_until - today).days)
            result.reminders += 1
    db.session.flush()
    return result


def revoke(label: Label, reason: str) -> None:
    if label.state in (LabelState.REVOKED, LabelState.EXPIRED):
        raise DecisionError(_("This label is no longer valid."))
    if len(reason.strip()) < 10:
        raise DecisionError(_("Give the reasons (at least 10 characters): they are shown publicly."))
    _set_state(label, LabelState.REVOKED, reason.strip())
    _mail(staff_of(label.municipality_id), "revoked", label.municipality.name, label=label, reason=reason.strip())


def put_under_review(label: Label, reason: str) -> None:
    """Start a review of a valid label (the survey-linked review does this by itself)."""
    if label.state not in (LabelState.VALID, LabelState.EXPIRING):
        raise DecisionError(_("Only a valid label can be put under review."))
    _set_state(label, LabelState.UNDER_REVIEW, reason.strip())


def end_review(label: Label, reason: str, today: dt.date | None = None) -> None:
    """Close a label's review in its favour: it is valid again (or expiring soon, by date)."""
    if label.state != LabelState.UNDER_REVIEW:
        raise DecisionError(_("This label is not under review."))
    if len(reason.strip()) < 10:
        raise DecisionError(_("Give the reasons (at least 10 characters): they are shown publicly."))
    soon = (today or dt.date.today()) >= label.valid_until - dt.timedelta(
        days=max(current_app.config["LABEL_REMINDER_DAYS"]))
    _set_state(label, LabelState.EXPIRING if soon else LabelState.VALID, reason.strip())


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
            reason = _("The %(year)d survey shows %(value)s %% (threshold %(threshold)s %%).",
                       year=result.wave.year, value=judged, threshold=rule["threshold"])
            _set_state(label, LabelState.UNDER_REVIEW, reason)
            coordinators = db.session.scalars(select(User).where(User.role == Role.COORDINATOR,
                                                                 User.active.is_(True))).all()
            _mail(staff_of(label.municipality_id) + list(coordinators), "review", label.municipality.name,
                  label=label, reason=reason)
            changed.append(label)
    db.session.flush()
    return changed


def connect_survey_review() -> None:
    """Put labels under review when a survey wave is imported (idempotent: blinker keeps one connection)."""
    from labelapp.surveys.services import wave_imported

    wave_imported.connect(_on_wave_imported)


def _on_wave_imported(sender, wave) -> None:
    review_after_survey(wave.id)
