"""Appeals: a declined municipality may appeal once, within the appeal period; the coordinator sends it to a new
panel without the earlier assessors (the to_new_panel step) or re-decides with reasons (decisions.decide)."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.services import change_status
from labelapp.applications.states import Action, ApplicationStatus
from labelapp.auth.models import User
from labelapp.core.errors import DomainError
from labelapp.extensions import db
from labelapp.labels import notifications
from labelapp.labels.models import Appeal, Decision
from labelapp.panel.models import Review


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


def file(application: Application, user: User, statement: str, today: dt.date | None = None) -> Appeal:
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
    notifications.appealed(application, item)
    return item


def earlier_assessors(application: Application) -> dict[int, list[str]]:
    """Assessor id -> why they cannot sit on the panel that hears the application's appeal."""
    appeal = appeal_of(application)
    return {user_id: [_("assessed the application before the appeal")]
            for user_id in (appeal.earlier_assessors if appeal else [])}

