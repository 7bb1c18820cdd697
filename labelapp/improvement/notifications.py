"""The improvement plan's e-mail: a reminder before an action's date, in Estonian and English."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from labelapp.auth.queries import staff_of_each
from labelapp.core import mail
from labelapp.criteria import services as criteria_services

SUBJECT = _l("An improvement action is due soon")
TEMPLATE = "improvement/mail/action_reminder.txt"


def actions_due(actions: list, today: dt.date) -> None:
    """One e-mail per action to each active staff account of its municipality."""
    staff = staff_of_each({action.municipality_id for action in actions})
    link = mail.absolute_link("improvement.plan") if actions else ""
    for action in actions:
        criteria = criteria_services.load(action.point.application.criteria_version)
        criterion = criteria.criterion(action.point.criterion_id)
        for user in staff.get(action.municipality_id, []):
            mail.queue_bilingual(user.email, SUBJECT, TEMPLATE, subject_detail=action.due_on.isoformat(), user=user,
                                 action=action, criterion=criterion, days=(action.due_on - today).days, link=link)
