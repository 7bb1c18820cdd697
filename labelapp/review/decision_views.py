"""Coordinator pages: record decisions, look at the outgoing e-mails, release them together; revoke a label."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from labelapp.assessment.models import Assessment
from labelapp.auth.permissions import access, can_view_assessment, is_coordinator, is_staff, works_on_assessments
from labelapp.core.forms import ConfirmForm, commit_or_flash, commit_or_report, flash_form_errors
from labelapp.extensions import db
from labelapp.review import appeals, decisions, services, whatif
from labelapp.review.forms import AppealForm, DecisionForm, RevokeForm
from labelapp.review.label_models import Label
from labelapp.review.views import bp, get_application


@bp.route("/<int:application_id>/decision", methods=["POST"])
@access(is_coordinator)
def decide(application_id: int):
    application = get_application(application_id)
    form = DecisionForm()
    if form.validate_on_submit() and commit_or_report(form.reasons, lambda: decisions.decide(
            application, current_user._get_current_object(), form.outcome.data, form.reasons.data or "")):
        flash(_("The decision is recorded. Release it from the list of pending decisions."), "success")
        return redirect(url_for("review.pending_decisions"))
    flash_form_errors(form)
    return redirect(url_for("review.detail", application_id=application.id))


@bp.route("/decisions", methods=["GET", "POST"])
@access(is_coordinator)
def pending_decisions():
    waiting = decisions.pending()
    if request.method == "POST" and ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: decisions.release_all(base_url=request.host_url)):
        flash(_("%(n)d decisions are released and the municipalities informed.", n=len(waiting)), "success")
        return redirect(url_for("review.index"))
    return render_template("review/decisions.html", waiting=waiting, form=ConfirmForm(), preview=decisions.preview)


def _label_step(label_id: int, step, done: str):
    label = db.get_or_404(Label, label_id)
    form = RevokeForm()
    if form.validate_on_submit() and commit_or_flash(lambda: step(label, form.reason.data)):
        flash(done, "success")
    flash_form_errors(form)
    return redirect(url_for("review.detail", application_id=label.application_id))


@bp.route("/labels/<int:label_id>/revoke", methods=["POST"])
@access(is_coordinator)
def revoke(label_id: int):
    return _label_step(label_id, decisions.revoke, _("The label is revoked."))


@bp.route("/labels/<int:label_id>/end-review", methods=["POST"])
@access(is_coordinator)
def end_review(label_id: int):
    return _label_step(label_id, decisions.end_review, _("The review is closed and the label is valid."))


@bp.route("/<int:application_id>/appeal", methods=["POST"])
@access(is_staff)
def appeal(application_id: int):
    application = get_application(application_id)
    form = AppealForm()
    if form.validate_on_submit() and commit_or_report(form.statement, lambda: appeals.file(
            application, current_user._get_current_object(), form.statement.data, base_url=request.host_url)):
        flash(_("Your appeal is sent to the coordinator."), "success")
    flash_form_errors(form)
    return redirect(url_for("review.detail", application_id=application.id))


@bp.route("/what-if/<int:assessment_id>")
@access(works_on_assessments)
def what_if(assessment_id: int):
    """Scores and verdict of a self-assessment under newer criteria versions (coordinator and the municipality)."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not can_view_assessment(current_user, assessment):
        abort(404)
    base, newer = whatif.scenarios(assessment)
    return render_template("review/whatif.html", assessment=assessment, base=base, newer=newer,
                           lang=str(get_locale()))


@bp.route("/<int:application_id>/publish", methods=["POST"])
@access(is_staff)
def publish(application_id: int):
    """The municipality chooses whether its self-assessment is shown in the public registry."""
    application = get_application(application_id)
    if ConfirmForm().validate_on_submit():
        services.set_publication(application, request.form.get("publish") == "yes")
        db.session.commit()
        flash(_("Your choice is saved."), "success")
    return redirect(url_for("review.detail", application_id=application.id))
