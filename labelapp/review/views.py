"""Application pages: municipal staff apply and follow their application; the coordinator screens."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import Assessment, AssessmentStatus
from labelapp.auth.models import Role
from labelapp.auth.permissions import (
    APPLICATION_ACTIONS,
    access,
    can_take_application_action,
    can_view_application,
    is_panel_chair,
    is_staff,
    works_on_applications,
)
from labelapp.core.forms import ConfirmForm, commit_or_flash
from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from labelapp.review import appeals, clarification, decisions, services
from labelapp.review.forms import AppealForm, DecisionForm, ReasonForm, RevokeForm
from labelapp.review.label_models import Label
from labelapp.review.labels import ACTION_LABELS, LABEL_STATES
from labelapp.review.models import Application, PanelMember
from labelapp.review.panel_forms import QuestionForm, build_answer_form
from labelapp.review.states import NEEDS_REASON, Action, ApplicationStatus, allowed_actions

bp = Blueprint("review", __name__, url_prefix="/applications")


def get_application(application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or not can_view_application(current_user, application):
        abort(404)
    return application


@bp.route("/")
@access(works_on_applications)
def index():
    query = select(Application).options(db.joinedload(Application.municipality))
    status = request.args.get("status", "")
    if status in {s.value for s in ApplicationStatus}:
        query = query.where(Application.status == ApplicationStatus(status))
    ready = []
    if current_user.role == Role.ASSESSOR:
        query = query.where(Application.panel.any(PanelMember.user_id == current_user.id))
    if current_user.role == Role.STAFF:
        query = query.where(Application.municipality_id == current_user.municipality_id)
        ready = db.session.scalars(
            select(Assessment).options(db.joinedload(Assessment.round))
            .where(Assessment.municipality_id == current_user.municipality_id,
                   Assessment.status == AssessmentStatus.SUBMITTED,
                   ~select(Application.id).where(Application.assessment_id == Assessment.id).exists())
        ).all()
    applications = db.session.scalars(query.order_by(Application.id.desc())).all()
    return render_template("review/index.html", applications=applications, ready=ready, status=status,
                           statuses=list(ApplicationStatus), form=ConfirmForm())


@bp.route("/new/<int:assessment_id>", methods=["POST"])
@access(is_staff)
def create(assessment_id: int):
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or assessment.municipality_id != current_user.municipality_id:
        abort(404)
    if ConfirmForm().validate_on_submit() and commit_or_flash(lambda: services.create(assessment, current_user)):
        created = db.session.scalar(select(Application).where(Application.assessment_id == assessment.id))
        return redirect(url_for("review.detail", application_id=created.id))
    return redirect(url_for("review.index"))


@bp.route("/<int:application_id>")
@access(works_on_applications)
def detail(application_id: int):
    application = get_application(application_id)
    criteria = assessment_services.criteria_of(application.assessment)
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "application",
                                                          AuditEntry.object_id == str(application.id))
                                 .order_by(AuditEntry.id)).all()
    actions = [a for a in allowed_actions(application.status)
               if can_take_application_action(current_user, application, a.value)]
    checks = services.screening_checks(application) if current_user.role == Role.COORDINATOR else []
    on_panel = any(m.user_id == current_user.id for m in application.panel)
    reviewing = on_panel and application.status in (ApplicationStatus.IN_REVIEW, ApplicationStatus.CLARIFICATION)
    answering = current_user.role == Role.STAFF and application.status == ApplicationStatus.CLARIFICATION
    language = str(get_locale())
    return render_template("review/detail.html", application=application, criteria=criteria,
                           clarifications=clarification.history(application),
                           question_form=QuestionForm() if reviewing and application.status ==
                           ApplicationStatus.IN_REVIEW else None,
                           answer_form=build_answer_form(criteria, language) if answering else None,
                           result=application.snapshot["result"], survey=application.snapshot["inputs"]["survey"],
                           history=history, actions=actions, needs_reason=NEEDS_REASON, checks=checks,
                           lang=language, form=ReasonForm(), action_label=lambda a: ACTION_LABELS[a],
                           on_panel=reviewing,
                           decision=decisions.panel_decision(application),
                           appeal=appeals.appeal_of(application),
                           appeal_deadline=appeals.deadline(application) if current_user.role == Role.STAFF else None,
                           appeal_form=AppealForm(),
                           label=db.session.scalar(select(Label).where(Label.application_id == application.id)),
                           decision_form=DecisionForm() if current_user.role == Role.COORDINATOR
                           and application.status in (ApplicationStatus.RECOMMENDED, ApplicationStatus.APPEALED)
                           else None,
                           revoke_form=RevokeForm() if current_user.role == Role.COORDINATOR else None,
                           label_state=lambda state: LABEL_STATES[state],
                           is_chair=is_panel_chair(current_user, application))


@bp.route("/<int:application_id>/<action>", methods=["POST"])
@access(works_on_applications)
def act(application_id: int, action: str):
    application = get_application(application_id)
    if action not in APPLICATION_ACTIONS:
        abort(404)
    if not can_take_application_action(current_user, application, action):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit() and commit_or_flash(
            lambda: services.try_change_status(application, Action(action), form.reason.data or "")):
        flash(_("Done: the application is now “%(status)s”.", status=application.status.label), "success")
    return redirect(url_for("review.detail", application_id=application.id))
