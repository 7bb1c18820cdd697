"""The panel's e-mails: one function per message, recipients from the accounts' queries."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from labelapp.applications.models import Application
from labelapp.auth.models import User
from labelapp.auth.queries import active_coordinators, staff_of
from labelapp.core import mail
from labelapp.panel.models import Clarification, PanelMember

SUBJECTS = {"assigned": _l("You are assigned to assess an application"),
            "conflict": _l("An assessor declared a conflict of interest"),
            "short": _l("A panel has too few assessors"),
            "reminder": _l("Reminder: your review is due"),
            "question": _l("The panel asks for clarification"),
            "answer": _l("The municipality answered the panel's question")}


def _send(users: list[User], application: Application, template: str, **context) -> None:
    link = mail.absolute_link("applications.detail", application_id=application.id)
    for user in users:
        mail.queue_bilingual(user.email, SUBJECTS[template], f"panel/mail/{template}.txt",
                             subject_detail=application.municipality.name, user=user, application=application,
                             link=link, **context)


def assigned(users: list[User], application: Application, deadline: dt.date) -> None:
    _send(users, application, "assigned", deadline=deadline)


def conflict_declared(application: Application, assessor: User, kind, note: str) -> None:
    _send(active_coordinators(), application, "conflict", assessor=assessor, kind=kind, note=note)


def panel_short(application: Application, size: int, minimum: int) -> None:
    _send(active_coordinators(), application, "short", size=size, minimum=minimum)


def review_due(member: PanelMember) -> None:
    _send([member.user], member.application, "reminder", deadline=member.deadline)


def question_asked(application: Application, item: Clarification) -> None:
    _send(staff_of(application.municipality_id), application, "question", question=item.question)


def question_answered(application: Application, item: Clarification) -> None:
    _send([m.user for m in application.panel], application, "answer", question=item.question,
          answer=item.answer)
