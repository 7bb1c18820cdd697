"""The label's e-mails: one function per message, recipients from the accounts' queries."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from labelapp.applications.models import Application
from labelapp.auth.models import User
from labelapp.auth.queries import active_coordinators, staff_of
from labelapp.core import mail
from labelapp.labels.models import Appeal, Decision, Label

SUBJECTS = {"award": _l("The inclusive municipality label is awarded"),
            "decline": _l("Decision on your label application"),
            "reminder": _l("Your inclusive municipality label expires soon"),
            "review": _l("Your label is under review"),
            "revoked": _l("Your label is revoked"),
            "appeal": _l("An application is appealed")}
TEMPLATES = {"award": "labels/mail/label_award.txt", "decline": "labels/mail/label_decline.txt",
             "reminder": "labels/mail/label_reminder.txt", "review": "labels/mail/label_review.txt",
             "revoked": "labels/mail/label_revoked.txt", "appeal": "labels/mail/appeal.txt"}


def _send(users: list[User], kind: str, subject_detail: str, **context) -> None:
    for user in users:
        mail.queue_bilingual(user.email, SUBJECTS[kind], TEMPLATES[kind], subject_detail=subject_detail, user=user,
                             **context)


def application_link(application: Application) -> str:
    return mail.absolute_link("applications.detail", application_id=application.id)


def decision_body(decision: Decision, label: Label | None, recipients: list[User]) -> tuple[list[str], str]:
    """(recipients, body) of the e-mail that releasing ``decision`` sends to ``recipients`` (the municipality's
    staff), for the coordinator to read first."""
    application = decision.application
    body = mail.render_bilingual(TEMPLATES[decision.outcome], user=recipients[0] if recipients else None,
                                 application=application, decision=decision, label=label,
                                 link=application_link(application))
    return [u.email for u in recipients], body


def decision_released(decision: Decision, label: Label | None) -> None:
    application = decision.application
    _send(staff_of(application.municipality_id), decision.outcome, application.municipality.name,
          application=application, decision=decision, label=label, link=application_link(application))


def renewal_due(label: Label, days: int) -> None:
    _send(staff_of(label.municipality_id), "reminder", label.municipality.name, label=label, days=days)


def put_under_review(label: Label) -> None:
    """The reason is worded in each half of the e-mail from the label (wording.reason)."""
    _send(staff_of(label.municipality_id) + active_coordinators(), "review", label.municipality.name, label=label)


def revoked(label: Label, reason: str) -> None:
    _send(staff_of(label.municipality_id), "revoked", label.municipality.name, label=label, reason=reason)


def appealed(application: Application, appeal: Appeal) -> None:
    _send(active_coordinators(), "appeal", application.municipality.name, application=application,
          statement=appeal.statement, link=application_link(application))
