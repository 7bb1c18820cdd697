"""Application pages: municipal staff apply and follow their application; the coordinator screens.

The application page is assembled from sections: this package shows the facts, scores and next steps; the panel
and label steps add their parts (``detail_section``) without this package importing them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, load_only

from labelapp.applications import listing, screening, services
from labelapp.applications.forms import ReasonForm
from labelapp.applications.models import Application
from labelapp.applications.rules import (
    APPLICATION_ACTIONS,
    actions_for,
    can_publish,
    can_take_application_action,
    can_view_application,
    lists_own_municipality_only,
    lists_own_panels_only,
    sees_screening_checks,
    works_on_applications,
)
from labelapp.applications.states import NEEDS_REASON, Action, ApplicationStatus, TransitionError, allowed_actions
from labelapp.applications.wording import ACTION_LABELS, history_words
from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import Assessment, AssessmentStatus
from labelapp.auth.permissions import access, is_staff
from labelapp.core.errors import StaleState
from labelapp.core.forms import ConfirmForm, commit_or_flash
from labelapp.core.http import stale_response
from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality

bp = Blueprint("applications", __name__, url_prefix="/applications")


@dataclass(frozen=True)
class Section:
    order: int
    template: str
    build: Callable[[Application, Any], dict | None]  # (application, user) -> the section's data, or None


_SECTIONS: list[Section] = []
_DETAIL_LOADS: list = []  # loader options of what the sections show of the application itself


def detail_loads(*options) -> None:
    """Read what a section shows of the application (a relationship it adds) with the application."""
    _DETAIL_LOADS.extend(options)


def detail_section(order: int, template: str) -> Callable:
    """Register a part of the application page, shown in ``order``; its builder returns the data the template
    reads as ``data`` (or None to leave the part out)."""

    def decorator(build: Callable[[Application, Any], dict | None]) -> Callable:
        if not any(section.template == template for section in _SECTIONS):
            _SECTIONS.append(Section(order, template, build))
            _SECTIONS.sort(key=lambda section: section.order)
        return build

    return decorator


def refuse_stale(application: Application) -> NoReturn:
    """The step does not fit the application's status any more (409; nothing changes)."""
    raise StaleState(_("The application of %(name)s is now “%(status)s”: this step is not possible in that status.",
                       name=application.municipality.name, status=application.status.label),
                     url_for("applications.detail", application_id=application.id),
                     _("Open the application to see what can be done now"))


@bp.app_errorhandler(TransitionError)
def _transition_error(error: TransitionError):
    """A service found the status moved on before the view could tell (two requests at once)."""
    return stale_response(StaleState(_("This step is not possible while the application is “%(status)s”.",
                                       status=error.status.label)))


def get_application(application_id: int, *options) -> Application:
    """The application if the user may see it (else 404), read with the loader ``options`` given."""
    application = db.session.get(Application, application_id, options=options or None)
    if application is None or not can_view_application(current_user, application):
        abort(404)
    return application


SORTS = {"changed": Application.updated_at.desc(), "municipality": Municipality.name,
         "status": Application.status}


@bp.route("/")
@access(works_on_applications)
def index():
    """One page of applications, filtered and sorted in SQL; only the columns the list shows are read."""
    status = request.args.get("status", "")
    sort = request.args.get("sort", "changed")
    query = (select(Application).join(Municipality, Application.municipality_id == Municipality.id)
             .options(load_only(Application.id, Application.status, Application.updated_at,
                                Application.municipality_id),
                      contains_eager(Application.municipality).load_only(Municipality.name)))
    if status in {s.value for s in ApplicationStatus}:
        query = query.where(Application.status == ApplicationStatus(status))
    ready = []
    if lists_own_panels_only(current_user):
        query = query.where(Application.panel.any(user_id=current_user.id))
    if lists_own_municipality_only(current_user):
        query = query.where(Application.municipality_id == current_user.municipality_id)
        ready = db.session.scalars(
            select(Assessment).options(db.joinedload(Assessment.round))
            .where(Assessment.municipality_id == current_user.municipality_id,
                   Assessment.status == AssessmentStatus.SUBMITTED,
                   ~select(Application.id).where(Application.assessment_id == Assessment.id).exists())
        ).all()
    page = db.paginate(query.order_by(SORTS.get(sort, SORTS["changed"]), Application.id.desc()),
                       per_page=current_app.config["APPLICATIONS_PAGE_SIZE"], error_out=False)
    scores = listing.scores_of([application.id for application in page.items])
    return render_template("applications/index.html", page=page, applications=page.items, scores=scores,
                           ready=ready, status=status, sort=sort if sort in SORTS else "changed",
                           statuses=list(ApplicationStatus), form=ConfirmForm())


def _own_assessment(assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or assessment.municipality_id != current_user.municipality_id:
        abort(404)
    return assessment


@bp.route("/new/<int:assessment_id>", methods=["GET"])
@access(is_staff)
def confirm_create(assessment_id: int):
    """The application about to be made from a self-assessment, what happens next, and the button; or what is
    missing first."""
    assessment = _own_assessment(assessment_id)
    existing = db.session.scalar(select(Application).where(Application.assessment_id == assessment.id))
    criteria = assessment_services.criteria_of(assessment)
    return render_template("applications/apply.html", assessment=assessment, existing=existing, form=ConfirmForm(),
                           missing=assessment_services.missing(assessment, criteria), lang=str(get_locale()))


@bp.route("/new/<int:assessment_id>", methods=["POST"])
@access(is_staff)
def create(assessment_id: int):
    """Make the application; with ``then=submit`` (the confirmation page) also submit it, in one step."""
    assessment = _own_assessment(assessment_id)
    existing = db.session.scalar(select(Application).where(Application.assessment_id == assessment.id))
    if existing is not None:
        raise StaleState(_("This self-assessment already has an application."),
                         url_for("applications.detail", application_id=existing.id), _("Open the application"))
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise StaleState(_("Only a submitted self-assessment can become an application."),
                         url_for("assessment.review", assessment_id=assessment.id), _("Open the self-assessment"))
    and_submit = request.form.get("then") == "submit"

    def make() -> None:
        application = services.create(assessment, current_user)
        if and_submit:
            services.try_change_status(application, Action.SUBMIT)

    if ConfirmForm().validate_on_submit() and commit_or_flash(make):
        created = db.session.scalar(select(Application).where(Application.assessment_id == assessment.id))
        if and_submit:
            flash(_("The application is submitted. Next, the coordinator checks that it is complete; then a panel "
                    "of assessors reviews it. You are told by e-mail and on your dashboard when you need to act."),
                  "success")
        return redirect(url_for("applications.detail", application_id=created.id))
    return redirect(url_for("applications.index"))


@bp.route("/<int:application_id>")
@access(works_on_applications)
def detail(application_id: int):
    # What the page shows of the application, read with it in one statement (the panel and its members in one
    # more, added by the panel's section), not one lazy load at a time.
    application = get_application(application_id, joinedload(Application.municipality),
                                  joinedload(Application.criteria_version),
                                  joinedload(Application.assessment).joinedload(Assessment.round), *_DETAIL_LOADS)
    criteria = assessment_services.criteria_of(application.assessment)
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "application",
                                                          AuditEntry.object_id == str(application.id))
                                 .order_by(AuditEntry.id)).all()
    user = current_user._get_current_object()
    sections = [(section, data) for section in _SECTIONS
                if (data := section.build(application, user)) is not None]
    return render_template("applications/detail.html", application=application, criteria=criteria,
                           result=application.snapshot["result"], survey=application.snapshot["inputs"]["survey"],
                           history=history, actions=actions_for(user, application), needs_reason=NEEDS_REASON,
                           checks=screening.screening_checks(application) if sees_screening_checks(user) else [],
                           lang=str(get_locale()), form=ReasonForm(), action_label=lambda a: ACTION_LABELS[a],
                           sections=sections, history_words=history_words,
                           actors=listing.actor_names(history, user))


@detail_section(50, "applications/_publication.html")
def _publication(application: Application, user) -> dict | None:
    return {} if can_publish(user, application) else None


@bp.route("/<int:application_id>/withdraw", methods=["GET"])
@access(is_staff)
def confirm_withdraw(application_id: int):
    """What withdrawing does, and the button that does it."""
    application = get_application(application_id)
    if not can_take_application_action(current_user, application, Action.WITHDRAW, check_state=False):
        abort(403)
    if Action.WITHDRAW not in allowed_actions(application.status):
        refuse_stale(application)
    return render_template(
        "confirm.html", title=_("Withdraw the application of %(name)s?", name=application.municipality.name),
        form=ReasonForm(), action=url_for("applications.act", application_id=application.id, action="withdraw"),
        consequences=[_("The application stops: the coordinator and the panel no longer work on it, and it cannot "
                        "be resumed."),
                      _("To apply again, the municipality submits a new self-assessment in a round.")],
        button=_("Withdraw the application"),
        cancel=url_for("applications.detail", application_id=application.id))


@bp.route("/<int:application_id>/<action>", methods=["POST"])
@access(works_on_applications)
def act(application_id: int, action: str):
    application = get_application(application_id)
    if action not in {a.value for a in APPLICATION_ACTIONS}:
        abort(404)
    if not can_take_application_action(current_user, application, Action(action), check_state=False):
        abort(403)
    if Action(action) not in allowed_actions(application.status):
        refuse_stale(application)
    form = ReasonForm()
    if form.validate_on_submit() and commit_or_flash(
            lambda: services.try_change_status(application, Action(action), form.reason.data or "")):
        flash(_("Done: the application is now “%(status)s”.", status=application.status.label), "success")
    return redirect(url_for("applications.detail", application_id=application.id))


@bp.route("/<int:application_id>/publish", methods=["POST"])
@access(is_staff)
def publish(application_id: int):
    """The municipality chooses whether its self-assessment is shown in the public registry."""
    application = get_application(application_id)
    if not can_publish(current_user, application, check_state=False):
        abort(403)
    if not can_publish(current_user, application):
        refuse_stale(application)
    if ConfirmForm().validate_on_submit():
        services.set_publication(application, request.form.get("publish") == "yes")
        db.session.commit()
        flash(_("Your choice is saved."), "success")
    return redirect(url_for("applications.detail", application_id=application.id))
