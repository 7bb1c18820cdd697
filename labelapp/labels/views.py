"""Label pages: the coordinator records decisions, looks at the outgoing e-mails and releases them together,
revokes a label or closes its review; the municipality appeals."""

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from labelapp.applications.views import detail_section, get_application, refuse_stale
from labelapp.applications.wording import HISTORY_WORDS
from labelapp.auth.permissions import access, is_coordinator, is_staff
from labelapp.core.errors import StaleState
from labelapp.core.forms import ConfirmForm, commit_or_flash, commit_or_report, flash_form_errors
from labelapp.core.http import stale_response
from labelapp.extensions import db
from labelapp.labels import appeals, decisions, lifecycle, wording
from labelapp.labels.forms import AppealForm, DecisionForm, RevokeForm
from labelapp.labels.models import Label
from labelapp.labels.rules import can_appeal, can_decide, can_end_review, can_release_decisions, can_revoke
from labelapp.labels.states import LabelTransitionError

bp = Blueprint("labels", __name__, url_prefix="/applications")
bp.add_app_template_filter(wording.reason, "label_reason")  # an automatic reason in the reader's language


@bp.route("/<int:application_id>/decision", methods=["POST"])
@access(is_coordinator)
def decide(application_id: int):
    application = get_application(application_id)
    if not can_decide(current_user, application):
        refuse_stale(application)
    form = DecisionForm()
    if form.validate_on_submit() and commit_or_report(form.reasons, lambda: decisions.decide(
            application, current_user._get_current_object(), form.outcome.data, form.reasons.data or "")):
        flash(_("The decision is recorded. Release it from the list of pending decisions."), "success")
        return redirect(url_for("labels.pending_decisions"))
    flash_form_errors(form)
    return redirect(url_for("applications.detail", application_id=application.id))


@bp.route("/decisions", methods=["GET", "POST"])
@access(can_release_decisions)
def pending_decisions():
    waiting = decisions.pending()
    if request.method == "POST" and not waiting:
        raise StaleState(_("There are no pending decisions to release: they were released already."),
                         url_for("applications.index"), _("Go to the applications"))
    if request.method == "POST" and ConfirmForm().validate_on_submit() and commit_or_flash(
            decisions.release_all):
        flash(ngettext("The decision is released and the municipality informed.",
                       "%(num)d decisions are released and the municipalities informed.", len(waiting)), "success")
        return redirect(url_for("applications.index"))
    return render_template("labels/decisions.html", waiting=waiting, form=ConfirmForm(),
                           previews=decisions.previews(waiting))


@bp.route("/decisions/release", methods=["GET"])
@access(can_release_decisions)
def confirm_release():
    waiting = decisions.pending()
    if not waiting:
        raise StaleState(_("There are no pending decisions to release: they were released already."),
                         url_for("applications.index"), _("Go to the applications"))
    names = ", ".join(sorted(d.application.municipality.name for d in waiting))
    return render_template(
        "confirm.html", title=ngettext("Release the decision?", "Release %(num)d decisions?", len(waiting)),
        form=ConfirmForm(), action=url_for("labels.pending_decisions"),
        consequences=[_("Decisions for: %(names)s.", names=names),
                      _("Each municipality is e-mailed its decision with the reasons, as previewed on the "
                        "decisions page; awarded labels appear in the public registry."),
                      _("A released decision is final; a declined municipality may appeal once.")],
        button=ngettext("Release the decision", "Release %(num)d decisions", len(waiting)),
        cancel=url_for("labels.pending_decisions"))


@bp.route("/labels/<int:label_id>/revoke", methods=["GET"])
@access(is_coordinator)
def confirm_revoke(label_id: int):
    return _revoke_page(_label_for(label_id, can_revoke), RevokeForm())


def _label_for(label_id: int, rule) -> Label:
    """The label, if ``rule`` allows the step on it now; else the 409 page naming its state."""
    label = db.get_or_404(Label, label_id)
    if not rule(current_user, label):
        raise StaleState(_("The label of %(name)s is now “%(state)s”: this step is not possible in that state.",
                           name=label.municipality.name, state=label.state.label),
                         url_for("applications.detail", application_id=label.application_id),
                         _("Open the application to see what can be done now"))
    return label


def _revoke_page(label: Label, form: RevokeForm, status: int = 200):
    name = label.municipality.name
    return render_template(
        "confirm.html", title=_("Revoke the label of %(name)s?", name=name), form=form,
        fields=[form.reason], action=url_for("labels.revoke", label_id=label.id),
        consequences=[_("The label of %(name)s is no longer valid; the registry, its badge and its credential say "
                        "so, with the reason you give.", name=name),
                      _("The municipality is told by e-mail.")],
        button=_("Revoke the label"),
        cancel=url_for("applications.detail", application_id=label.application_id)), status


def _label_step(label_id: int, rule, step, done: str):
    label = _label_for(label_id, rule)
    form = RevokeForm()
    if form.validate_on_submit() and commit_or_flash(lambda: step(label, form.reason.data)):
        flash(done, "success")
    flash_form_errors(form)
    return redirect(url_for("applications.detail", application_id=label.application_id))


@bp.route("/labels/<int:label_id>/revoke", methods=["POST"])
@access(is_coordinator)
def revoke(label_id: int):
    label = db.get_or_404(Label, label_id)
    form = RevokeForm()
    if can_revoke(current_user, label) and not form.validate_on_submit():
        return _revoke_page(label, form, 422)  # the reason is missing or too short: say so on the same page
    return _label_step(label_id, can_revoke, lifecycle.revoke, _("The label is revoked."))


@bp.route("/labels/<int:label_id>/end-review", methods=["POST"])
@access(is_coordinator)
def end_review(label_id: int):
    return _label_step(label_id, can_end_review, lifecycle.end_review,
                       _("The review is closed and the label is valid."))


@bp.route("/<int:application_id>/appeal", methods=["POST"])
@access(is_staff)
def appeal(application_id: int):
    application = get_application(application_id)
    if not can_appeal(current_user, application) or appeals.deadline(application) is None:
        refuse_stale(application)
    form = AppealForm()
    if form.validate_on_submit() and commit_or_report(form.statement, lambda: appeals.file(
            application, current_user._get_current_object(), form.statement.data)):
        flash(_("Your appeal is sent to the coordinator."), "success")
    flash_form_errors(form)
    return redirect(url_for("applications.detail", application_id=application.id))


HISTORY_WORDS.update({"decision.record": _l("The coordinator recorded a decision (not yet released)")})


@bp.app_errorhandler(LabelTransitionError)
def _transition_error(error: LabelTransitionError):
    """A service found the label's state moved on before the view could tell (two requests at once)."""
    return stale_response(StaleState(_("This step is not possible while the label is “%(state)s”.",
                                       state=error.state.label)))


@detail_section(30, "labels/_detail_appeal.html")
def _appeal_section(application, user) -> dict | None:
    appeal = appeals.appeal_of(application)
    deadline = appeals.deadline(application) if can_appeal(user, application) else None
    if not (appeal or deadline):
        return None
    # After the last day the form is gone; the page says when the period ended instead.
    ended = deadline is not None and dt.date.today() > deadline
    return {"appeal": appeal, "deadline": deadline, "ended": ended, "form": None if ended else AppealForm()}


@detail_section(40, "labels/_detail_decision.html")
def _decision_section(application, user) -> dict | None:
    return {"form": DecisionForm()} if can_decide(user, application) else None


@detail_section(60, "labels/_detail_label.html")
def _label_section(application, user) -> dict | None:
    label = db.session.scalar(select(Label).where(Label.application_id == application.id))
    if label is None:
        return None
    return {"label": label, "form": RevokeForm(), "can_revoke": can_revoke(user, label),
            "can_end_review": can_end_review(user, label)}
