"""Coordinator pages: import (upload or URL → preview → confirm), waves, a municipality's history."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from labelapp.auth.permissions import access, is_staff
from labelapp.core.forms import ConfirmForm, commit_or_flash, form_status, report
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from labelapp.surveys import services, words
from labelapp.surveys.forms import ImportForm, mapping_form
from labelapp.surveys.models import SurveyResult, SurveyWave
from labelapp.surveys.rules import can_import_surveys

bp = Blueprint("surveys", __name__, url_prefix="/admin/surveys")
staff_bp = Blueprint("my_survey", __name__)
for _name, _function in words.FILTERS.items():  # indicator, shape, role and subgroup names in the page's language
    staff_bp.add_app_template_filter(_function, _name)


@staff_bp.route("/survey")
@access(is_staff)
def mine():
    """Municipal staff: their own municipality's survey figures across waves."""
    return render_template("surveys/history.html", municipality=current_user.municipality,
                           results=services.history(current_user.municipality), own=True)


@bp.route("/")
@access(can_import_surveys)
def index():
    page = db.paginate(select(SurveyWave).options(db.defer(SurveyWave.accounting))
                       .order_by(SurveyWave.year.desc(), SurveyWave.id.desc()),
                       per_page=current_app.config["SURVEY_WAVES_PAGE_SIZE"], error_out=False)
    counts = dict(db.session.execute(select(SurveyResult.wave_id, func.count())
                                      .where(SurveyResult.wave_id.in_([w.id for w in page.items]))
                                      .group_by(SurveyResult.wave_id)).all()) if page.items else {}
    return render_template("surveys/index.html", waves=page.items, page=page, counts=counts)


@bp.route("/import", methods=["GET", "POST"])
@access(can_import_surveys)
def start_import():
    # Survey files may be larger than evidence files; the limit is raised for this request only.
    request.max_content_length = current_app.config["SURVEY_MAX_BYTES"] + 1024 * 1024
    form = ImportForm()
    if form.validate_on_submit():
        try:
            staged = services.stage_url(form.url.data) if form.url.data else \
                services.stage_upload(form.file.data.stream, form.file.data.filename)
        except services.SurveyImportError as exc:
            report(form.url if form.url.data else form.file, exc)
        else:
            staged.options = {"year": form.year.data, "description": form.description.data or "",
                              "shape": form.shape.data or None, "supersede": form.supersede.data, "mapping": {}}
            staged.save_options()
            return redirect(url_for("surveys.preview", token=staged.token))
    return render_template("surveys/import.html", form=form), form_status(form)


def _staged(token: str) -> services.Staged:
    try:
        return services.load_staged(token)
    except services.SurveyImportError:
        abort(404)


@bp.route("/import/<token>")
@access(can_import_surveys)
def preview(token: str):
    staged = _staged(token)
    report = services.preview(staged, staged.options.get("shape"), staged.options.get("mapping"))
    headers = report.layout.headers if report.layout else []
    return render_template("surveys/preview.html", staged=staged, report=report, confirm_form=ConfirmForm(),
                           mapping=mapping_form([h for h in headers if h], _current_mapping(report, staged),
                                                report.layout.reasons if report.layout else {}))


def _current_mapping(report, staged) -> dict[str, str]:
    return {**staged.options.get("mapping", {}), **(report.layout.roles if report.layout else {})}


@bp.route("/import/<token>/mapping", methods=["POST"])
@access(can_import_surveys)
def save_mapping(token: str):
    staged = _staged(token)
    report = services.preview(staged, staged.options.get("shape"), staged.options.get("mapping"))
    headers = [h for h in (report.layout.headers if report.layout else []) if h]
    form = mapping_form(headers, {})
    if form.validate_on_submit():
        chosen = {header: form[f"column_{i}"].data or "" for i, header in enumerate(headers)}
        used = [role for role in chosen.values() if role]
        if len(set(used)) != len(used):
            flash(_("Each kind of data can be given to one column only."), "error")
        else:
            staged.options["mapping"] = chosen
            staged.save_options()
    return redirect(url_for("surveys.preview", token=token))


@bp.route("/import/<token>/confirm", methods=["POST"])
@access(can_import_surveys)
def confirm(token: str):
    staged = _staged(token)
    options = staged.options
    if ConfirmForm().validate_on_submit() and commit_or_flash(lambda: services.import_wave(
            staged, int(options["year"]), options.get("description", ""), shape=options.get("shape"),
            mapping=options.get("mapping"), supersede=bool(options.get("supersede")))):
        services.discard(staged)
        flash(_("The %(year)s wave is imported.", year=options["year"]), "success")
        return redirect(url_for("surveys.index"))
    return redirect(url_for("surveys.preview", token=token))


@bp.route("/import/<token>/discard", methods=["POST"])
@access(can_import_surveys)
def discard(token: str):
    staged = _staged(token)
    if ConfirmForm().validate_on_submit():
        services.discard(staged)
        flash(_("The file was discarded; nothing was imported."), "success")
    return redirect(url_for("surveys.index"))


@bp.route("/<int:wave_id>")
@access(can_import_surveys)
def wave(wave_id: int):
    item = db.get_or_404(SurveyWave, wave_id)
    return render_template("surveys/wave.html", wave=item, results=services.results_of(item))


@bp.route("/municipalities/<code>")
@access(can_import_surveys)
def municipality(code: str):
    place = db.session.scalar(select(Municipality).where(Municipality.code == code)) or abort(404)
    return render_template("surveys/history.html", municipality=place, results=services.history(place))
