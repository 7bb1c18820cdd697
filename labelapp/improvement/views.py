"""The municipality's improvement plan page: points from the latest decision, actions and their status, and
whether the plan's progress is published in the registry."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from labelapp.auth.permissions import access
from labelapp.core.forms import flash_form_errors, form_status, report
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.improvement import queries, services
from labelapp.improvement.forms import ActionForm, EditActionForm, PublicationForm, StepForm
from labelapp.improvement.models import ImprovementAction, ImprovementPoint
from labelapp.improvement.rules import can_plan, owns
from labelapp.improvement.states import ActionStep, allowed_steps

bp = Blueprint("improvement", __name__, url_prefix="/plan")


@bp.app_context_processor
def _helpers():
    return {"improvement_summary": _summary}


def _summary():
    """The dashboard's few lines about the plan (None when the user has no plan)."""
    if not can_plan(current_user):
        return None
    return queries.summary(current_user.municipality_id, days=current_app.config["IMPROVEMENT_REMINDER_DAYS"])


def _own(model, object_id: int):
    """The point or action, if it belongs to the staff member's municipality (else 404: not disclosed)."""
    found = db.session.get(model, object_id)
    if found is None or not owns(current_user, found):
        abort(404)
    return found


def _saved(form, action) -> bool:
    """Run the service call and commit; a refused value is shown on its own field (422), nothing saved."""
    try:
        action()
    except services.PlanError as exc:
        db.session.rollback()
        report(form[exc.field], exc)
        return False
    db.session.commit()
    return True


def _add_forms(plan, submitted: tuple[int, ActionForm] | None = None) -> dict[int, ActionForm]:
    forms = {point.id: ActionForm(prefix=f"p{point.id}", formdata=None) for point in plan.points}
    if submitted:
        forms[submitted[0]] = submitted[1]
    return forms


def _plan_page(submitted: tuple[int, ActionForm] | None = None, status: int = 200):
    plan = queries.plan_of(current_user.municipality_id)
    return render_template("improvement/plan.html", plan=plan, forms=_add_forms(plan, submitted),
                           published=queries.is_published(current_user.municipality_id),
                           allowed_steps=allowed_steps, lang=str(get_locale())), status


@bp.route("")
@access(can_plan)
def plan():
    return _plan_page()


@bp.route("/points/<int:point_id>/actions", methods=["POST"])
@access(can_plan)
def add_action(point_id: int):
    point = _own(ImprovementPoint, point_id)
    form = ActionForm(prefix=f"p{point.id}")
    if form.validate_on_submit() and _saved(form, lambda: services.add_action(
            point, form.what.data, form.who.data, form.due_on.data)):
        flash(_("The action is added to the plan."), "success")
        return redirect(url_for("improvement.plan") + f"#point-{point.id}")
    return _plan_page((point.id, form), form_status(form))


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@access(can_plan)
def edit_action(action_id: int):
    action = _own(ImprovementAction, action_id)
    form = EditActionForm(obj=action)
    if form.validate_on_submit() and _saved(form, lambda: services.edit_action(
            action, form.what.data, form.who.data, form.due_on.data, form.version.data)):
        flash(_("The action is saved."), "success")
        return redirect(url_for("improvement.plan") + f"#action-{action.id}")
    criteria = criteria_services.load(action.point.application.criteria_version)
    return render_template("improvement/action.html", action=action, form=form,
                           criterion=criteria.criterion(action.point.criterion_id), lang=str(get_locale())), \
        form_status(form)


@bp.route("/actions/<int:action_id>/status", methods=["POST"])
@access(can_plan)
def change_status(action_id: int):
    action = _own(ImprovementAction, action_id)
    form = StepForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("improvement.plan"))
    new = services.change_status(action, ActionStep(form.step.data), form.version.data)
    db.session.commit()
    flash(_("The action is now “%(status)s”.", status=new.label), "success")
    return redirect(url_for("improvement.plan") + f"#action-{action.id}")


@bp.route("/publication", methods=["POST"])
@access(can_plan)
def publication():
    form = PublicationForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("improvement.plan"))
    publish = form.publish.data == "yes"
    services.set_published(current_user.municipality_id, publish)
    db.session.commit()
    flash(_("The plan's progress is now shown on your registry page.") if publish
          else _("The plan's progress is no longer shown on your registry page."), "success")
    return redirect(url_for("improvement.plan") + "#publication")
