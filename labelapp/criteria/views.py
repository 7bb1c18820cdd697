"""Coordinator pages: criteria versions and their status, publishing, and application rounds."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
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


@bp.app_template_global("level_name")
def level_name(level_id: str | None) -> str:
    """A label level's name in the page's (or e-mail part's) language, for every template."""
    return services.level_name(level_id, str(get_locale()))


def _round_form() -> OpenRoundForm:
    form = OpenRoundForm(prefix="round")
    published = db.session.scalars(select(CriteriaVersion).where(CriteriaVersion.status == VersionStatus.PUBLISHED)
                                   .order_by(CriteriaVersion.framework, CriteriaVersion.version)).all()
    form.criteria_version.choices = [SelectChoice(str(v.id), v.label) for v in published]
    return form


def _page(round_form: OpenRoundForm | None = None, status: int = 200, *, check_files: bool = False):
    """The page lists published versions from the database and draft files by name; only ``check_files``
    reads the files (validating drafts, comparing published versions' files with what was published)."""
    versions = services.list_versions(read_drafts=check_files, compare_files=check_files)
    rounds = db.session.scalars(select(Round).options(db.joinedload(Round.criteria_version))
                                .order_by(Round.id.desc())).all()
    return render_template("criteria/index.html", versions=versions, rounds=rounds, checked=check_files,
                           round_form=round_form or _round_form(), publish_form=PublishForm(),
                           confirm_form=ConfirmForm(),
                           current_round=services.current_round()), status


@bp.route("/")
@access(can_manage_criteria)
def index():
    return _page()


@bp.route("/files")
@access(can_manage_criteria)
def check_files():
    return _page(check_files=True)


@bp.route("/publish", methods=["GET"])
@access(can_manage_criteria)
def confirm_publish():
    """What publishing a draft does, and the button (the names come from the criteria page's link)."""
    form = PublishForm(formdata=request.args, meta={"csrf": False})
    if not form.validate():
        flash(_("Choose a criteria version from the list."), "error")
        return redirect(url_for("criteria.index"))
    label = f"{form.framework.data} {form.version.data}"
    return render_template(
        "confirm.html", title=_("Publish criteria %(label)s?", label=label), form=PublishForm(),
        action=url_for("criteria.publish"), hidden={"framework": form.framework.data, "version": form.version.data},
        consequences=[_("The content of %(label)s is stored in the database as it is now; every page, score and "
                        "export uses that stored content from then on, even if the file changes.", label=label),
                      _("A published version is never changed; it can only be retired."),
                      _("A round can then be opened under it.")],
        button=_("Publish %(label)s", label=label), cancel=url_for("criteria.index"))


@bp.route("/publish", methods=["POST"])
@access(can_manage_criteria)
def publish():
    form = PublishForm()
    if form.validate_on_submit():
        try:
            stored = services.publish(form.framework.data, form.version.data)
        except CriteriaFileError as exc:
            db.session.rollback()
            flash(_("The file of %(framework)s %(version)s has errors, so it was not published: %(problems)s",
                    framework=form.framework.data, version=form.version.data,
                    problems="; ".join(f"{where}: {what}" for where, what in exc.problems[:10])), "error")
        except services.CriteriaError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("%(label)s is published.", label=stored.label), "success")
    else:
        flash(_("Choose a criteria version from the list."), "error")
    return redirect(url_for("criteria.index"))


@bp.route("/<int:version_id>/retire", methods=["GET"])
@access(can_manage_criteria)
def confirm_retire(version_id: int):
    stored = db.get_or_404(CriteriaVersion, version_id)
    return render_template(
        "confirm.html", title=_("Retire criteria %(label)s?", label=stored.label), form=ConfirmForm(),
        action=url_for("criteria.retire", version_id=stored.id),
        consequences=[_("%(label)s is no longer offered for new rounds.", label=stored.label),
                      _("Self-assessments, applications and labels already made under it keep it.")],
        button=_("Retire %(label)s", label=stored.label), cancel=url_for("criteria.index"))


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
