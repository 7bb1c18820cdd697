"""Appeals: a declined municipality may appeal once, within the appeal period; the coordinator sends it to a new
panel without the earlier assessors (the to_new_panel step) or re-decides with reasons (decisions.decide)."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from labelapp.auth.models import Role, User
from labelapp.core import mail
from labelapp.core.errors import DomainError
from labelapp.extensions import db
from labelapp.review.label_models import Decision
from labelapp.review.models import Appeal, Application, Review
from labelapp.review.services import change_status
from labelapp.review.states import Action, ApplicationStatus


class AppealError(DomainError):
    pass


def appeal_of(application: Application) -> Appeal | None:
    return db.session.scalar(select(Appeal).where(Appeal.application_id == application.id))


def deadline(application: Application) -> dt.date | None:
    """The last day to appeal, or None when the application is not open to appeal."""
    if application.status != ApplicationStatus.DECLINED or appeal_of(application) is not None:
        return None
    released = db.session.scalar(select(Decision.released_at).where(Decision.application_id == application.id,
                                                                    Decision.released_at.is_not(None))
                                 .order_by(Decision.id.desc()).limit(1))
    if released is None:  # declined at screening: the screening decision's date counts
        released = application.updated_at
    return released.date() + dt.timedelta(days=current_app.config["APPEAL_DAYS"])


def file(application: Application, user: User, statement: str, today: dt.date | None = None,
         base_url: str | None = None) -> Appeal:
    """The municipality appeals, once, within the period. The coordinators are told."""
    last_day = deadline(application)
    if last_day is None or (today or dt.date.today()) > last_day:
        raise AppealError(_("This decision can no longer be appealed."))
    change_status(application, Action.APPEAL, statement)
    earlier = {m.user_id for m in application.panel} | set(db.session.scalars(
        select(Review.user_id).where(Review.application_id == application.id)))
    item = Appeal(application_id=application.id, statement=statement.strip(), filed_by_id=user.id,
                  earlier_assessors=sorted(earlier))
    db.session.add(item)
    db.session.flush()
    link = mail.absolute_link("review.detail", base_url, application_id=application.id)
    for coordinator in db.session.scalars(select(User).where(User.role == Role.COORDINATOR, User.active.is_(True))):
        mail.queue_bilingual(coordinator.email, _l("An application is appealed"), "review/mail/appeal.txt",
                             subject_detail=application.municipality.name, user=coordinator,
                             application=application, statement=item.statement, link=link)
    return item

