"""Panel pages: the coordinator forms the panel, assessors review or declare a conflict, the chair consolidates."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from labelapp.applications import revisions
from labelapp.applications.models import Application
from labelapp.applications.views import detail_loads, detail_section, get_application, refuse_stale
from labelapp.applications.wording import HISTORY_WORDS
from labelapp.assessment import services as assessment_services
from labelapp.auth.models import TieKind, User
from labelapp.auth.permissions import access, is_assessor, is_coordinator, is_staff
from labelapp.core.errors import StaleState
from labelapp.core.forms import commit_or_flash, commit_or_report, flash_form_errors, form_status
from labelapp.extensions import db
from labelapp.panel import analytics, assignment, clarification, previous, reviews, size
from labelapp.panel.forms import (
    RECOMMENDATION_CHOICES,
    AnswerForm,
    ConflictForm,
    PanelForm,
    QuestionForm,
    build_answer_form,
    consolidation_form,
    review_form,
)
from labelapp.panel.models import PanelMember
from labelapp.panel.rules import (
    can_answer_question,
    can_ask_question,
    can_consolidate,
    can_declare_conflict,
    can_form_panel,
    can_review,
    is_panel_chair,
)

bp = Blueprint("panel", __name__, url_prefix="/applications")


def _key(criterion_id: str) -> str:
    return criterion_id.replace(".", "--")


@bp.route("/<int:application_id>/panel", methods=["GET", "POST"])
@access(is_coordinator)
def form_panel(application_id: int):
    application = get_application(application_id)
    if not can_form_panel(current_user, application):
        refuse_stale(application)
    found = assignment.candidates(application)
    form = PanelForm.build(found, current_app.config["REVIEW_DAYS"])
    if request.method == "GET":
        if application.panel:
            form.members.data = [str(m.user_id) for m in application.panel]
            form.chair.data = next((str(m.user_id) for m in application.panel if m.is_chair), None)
        elif request.args.get("suggest"):
            members, chair = assignment.suggest(application)
            form.members.data, form.chair.data = [str(u.id) for u in members], str(chair.id) if chair else None
    if form.validate_on_submit():
        members = [db.get_or_404(User, int(i)) for i in form.members.data]
        chair = db.get_or_404(User, int(form.chair.data))
        if commit_or_report(form.members, lambda: assignment.assign(application, members, chair, form.deadline.data)):
            flash(_("The panel is saved and the new members are informed."), "success")
            return redirect(url_for("applications.detail", application_id=application.id))
    return render_template("panel/panel.html", application=application, form=form, candidates=found), \
        form_status(form)


@bp.route("/<int:application_id>/conflict", methods=["POST"])
@access(is_assessor)
def declare_conflict(application_id: int):
    application = get_application(application_id)
    if not can_declare_conflict(current_user, application):
        refuse_stale(application)
    form = ConflictForm()
    if form.validate_on_submit() and commit_or_flash(lambda: assignment.declare_conflict(
            application, current_user._get_current_object(), TieKind(form.kind.data), form.note.data or "")):
        flash(_("Your conflict of interest is recorded and you have left the panel. The coordinator is told."),
              "success")
        return redirect(url_for("applications.index"))
    return redirect(url_for("applications.detail", application_id=application.id))


@bp.route("/<int:application_id>/review", methods=["GET", "POST"])
@access(is_assessor)
def review(application_id: int):
    application = get_application(application_id)
    criteria = assessment_services.criteria_of(application.assessment)
    language = str(get_locale())
    mine = reviews.own_review(application, current_user)
    form = review_form(criteria, language)
    if request.method == "GET" and mine:
        for cid, value in mine.levels.items():
            if f"level-{_key(cid)}" in form:
                form[f"level-{_key(cid)}"].data = "" if value["level"] is None else str(value["level"])
                form[f"comment-{_key(cid)}"].data = value["comment"]
        form.recommendation.data, form.comment.data = mine.recommendation or None, mine.comment
    if request.method == "POST" and not can_review(current_user, application):
        refuse_stale(application)
    if request.method == "POST" and mine and mine.submitted:
        raise StaleState(_("Your review is submitted and can no longer be changed."),
                         url_for("panel.review", application_id=application.id), _("Read your review"))
    if form.validate_on_submit():
        levels = {c.id: (int(form[f"level-{_key(c.id)}"].data) if form[f"level-{_key(c.id)}"].data else None,
                         form[f"comment-{_key(c.id)}"].data or "") for _a, c in criteria.criteria()}
        if commit_or_report(form.recommendation, lambda: reviews.save(
                application, current_user, levels, form.recommendation.data or "", form.comment.data or "",
                criteria, submit=request.form.get("then") == "submit")):
            flash(_("Your review is saved."), "success")
            return redirect(url_for("panel.review", application_id=application.id))
    others = [r for r in reviews.visible_reviews(application, current_user) if r.user_id != current_user.id]
    judged = revisions.contents(application)
    return render_template("panel/review.html", application=application, criteria=criteria, form=form,
                           mine=mine, others=others, answers=judged.answers, key=_key, lang=language,
                           evidence=judged.evidence, conflict_form=ConflictForm(),
                           previous=previous.levels(application),
                           recommendation_label=lambda v: dict(RECOMMENDATION_CHOICES).get(v, "–")), form_status(form)


@bp.route("/<int:application_id>/consolidate", methods=["GET", "POST"])
@access(is_assessor)
def consolidate(application_id: int):
    application = get_application(application_id)
    if not is_panel_chair(current_user, application):
        abort(403)
    if not can_consolidate(current_user, application):
        refuse_stale(application)
    criteria = assessment_services.criteria_of(application.assessment)
    language = str(get_locale())
    form = consolidation_form(criteria, language)
    submitted = reviews.visible_reviews(application, current_user)
    if request.method == "GET":  # start from the panel's median level per criterion, not from blank
        for criterion_id, level in reviews.median_levels(submitted, criteria).items():
            if level is not None:
                form[f"level-{_key(criterion_id)}"].data = str(level)
    if form.validate_on_submit():
        levels = {c.id: (int(form[f"level-{_key(c.id)}"].data) if form[f"level-{_key(c.id)}"].data else None,
                         form[f"reason-{_key(c.id)}"].data or "") for _a, c in criteria.criteria()}
        if commit_or_report(form.reasons, lambda: reviews.consolidate(
                application, current_user, levels, form.recommendation.data or "", form.reasons.data or "",
                criteria)):
            flash(_("The panel's recommendation is recorded."), "success")
            return redirect(url_for("applications.detail", application_id=application.id))
    return render_template("panel/consolidate.html", application=application, criteria=criteria, form=form,
                           reviews=[r for r in submitted if r.submitted], spreads=reviews.spreads(submitted, criteria),
                           recommendation_words=dict(RECOMMENDATION_CHOICES),
                           answers=revisions.contents(application).answers, key=_key,
                           lang=language, previous=previous.levels(application)), form_status(form)


@bp.route("/<int:application_id>/clarification", methods=["POST"])
@access(is_assessor)
def ask_clarification(application_id: int):
    application = get_application(application_id)
    if not can_ask_question(current_user, application):
        refuse_stale(application)
    form = QuestionForm()
    if form.validate_on_submit() and commit_or_flash(lambda: clarification.ask(
            application, current_user._get_current_object(), form.question.data)):
        flash(_("The question is sent to the municipality."), "success")
    flash_form_errors(form)
    return redirect(url_for("applications.detail", application_id=application.id))


@bp.route("/<int:application_id>/clarification/answer", methods=["POST"])
@access(is_staff)
def answer_clarification(application_id: int):
    application = get_application(application_id)
    if not can_answer_question(current_user, application):
        refuse_stale(application)
    form = answer_form(application)
    evidence = (form.criterion.data, form.title.data or "", form.url.data) if form.url.data else None
    upload = (form.criterion.data, form.title.data or "", form.file.data) if form.has_file() else None
    if form.validate_on_submit() and commit_or_flash(lambda: clarification.answer(
            application, current_user._get_current_object(), form.answer.data, evidence, upload)):
        flash(_("Your answer is sent to the panel."), "success")
    flash_form_errors(form)
    return redirect(url_for("applications.detail", application_id=application.id))


def answer_form(application) -> AnswerForm:
    return build_answer_form(assessment_services.criteria_of(application.assessment), str(get_locale()))


HISTORY_WORDS.update({"panel.assign": _l("The panel was formed or changed"),
                      "panel.conflict": _l("An assessor declared a conflict of interest and left the panel")})


@detail_section(10, "panel/_detail_panel.html")
def _panel_section(application, user) -> dict:
    return {"can_form_panel": can_form_panel(user, application), "can_review": can_review(user, application),
            "can_consolidate": can_consolidate(user, application), "short": size.shortfall(application)}


detail_loads(selectinload(Application.panel).joinedload(PanelMember.user))  # the panel section lists them


@detail_section(20, "panel/_detail_assessment.html")
def _assessment_section(application, user) -> dict | None:
    decision = reviews.panel_decision(application)
    return {"decision": decision} if decision else None


@detail_section(70, "panel/_detail_clarification.html")
def _clarification_section(application, user) -> dict | None:
    data = {"clarifications": clarification.history(application),
            "question_form": QuestionForm() if can_ask_question(user, application) else None,
            "answer_form": answer_form(application) if can_answer_question(user, application) else None}
    return data if any(data.values()) else None


@bp.route("/calibration")
@access(is_coordinator)
def calibration():
    """Per assessor: mean offset from the panel level; per round: Krippendorff's alpha; per municipality:
    self-assessment inflation (self level minus panel level)."""
    return render_template("panel/calibration.html", data=analytics.calibration())
