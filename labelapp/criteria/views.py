"""Coordinator pages: criteria versions and their status, publishing, and application rounds."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from labelapp.auth.permissions import access
from labelapp.core.forms import ConfirmForm, commit_or_flash, commit_or_report
from labelapp.criteria import services
from labelapp.criteria.forms import OpenRoundForm, PublishForm
from labelapp.criteria.loader import CriteriaFileError
from labelapp.criteria.models import CriteriaVersion, Round, VersionStatus
from labelapp.criteria.rules import can_manage_criteria
from labelapp.extensions import db

bp = Blueprint("criteria", __name__, url_prefix="/admin/criteria")


@bp.app_errorhandler(services.CriteriaIntegrityError)
def criteria_changed(error: services.CriteriaIntegrityError):
    """Any page that would use a published version whose file was edited refuses, naming file and version."""
    db.session.rollback()
    current_app.logger.error("%s", error)
    return render_template("errors/criteria_changed.html", error=error, code=500), 500


def _round_form() -> OpenRoundForm:
    form = OpenRoundForm(prefix="round")
    published = db.session.scalars(select(CriteriaVersion).where(CriteriaVersion.status == VersionStatus.PUBLISHED)
                                   .order_by(CriteriaVersion.framework, CriteriaVersion.version)).all()
    form.criteria_version.choices = [SelectChoice(str(v.id), v.label) for v in published]
    return form


def _page(round_form: OpenRoundForm | None = None, status: int = 200):
    rounds = db.session.scalars(select(Round).options(db.joinedload(Round.criteria_version))
                                .order_by(Round.id.desc())).all()
    return render_template("criteria/index.html", versions=services.list_versions(), rounds=rounds,
                           round_form=round_form or _round_form(), publish_form=PublishForm(),
                           confirm_form=ConfirmForm(),
                           current_round=services.current_round()), status


@bp.route("/")
@access(can_manage_criteria)
def index():
    return _page()


@bp.route("/publish", methods=["POST"])
@access(can_manage_criteria)
def publish():
    form = PublishForm()
    if form.validate_on_submit():
        try:
            stored = services.publish(form.framework.data, form.version.data)
        except (CriteriaFileError, services.CriteriaError) as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("%(label)s is published.", label=stored.label), "success")
    return redirect(url_for("criteria.index"))


@bp.route("/<int:version_id>/retire", methods=["POST"])
@access(can_manage_criteria)
def retire(version_id: int):
    stored = db.get_or_404(CriteriaVersion, version_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(lambda: services.retire(stored)):
        flash(_("%(label)s is retired.", label=stored.label), "success")
    return redirect(url_for("criteria.index"))


@bp.route("/rounds", methods=["POST"])
@access(can_manage_criteria)
def open_round():
    form = _round_form()
    if form.validate_on_submit():
        stored = db.get_or_404(CriteriaVersion, int(form.criteria_version.data))
        if commit_or_report(form.closes_on, lambda: services.open_round(stored, form.title.data,
                                                                        form.closes_on.data)):
            flash(_("The round is open. Municipalities can start their self-assessment."), "success")
            return redirect(url_for("criteria.index"))
    return _page(form, 422)


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@access(can_manage_criteria)
def close_round(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(lambda: services.close_round(round_)):
        flash(_("The round is closed."), "success")
    return redirect(url_for("criteria.index"))
