"""Coordinator pages: import (upload or URL → preview → confirm), waves, a municipality's history."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from labelapp.auth.permissions import access, is_staff
from labelapp.core.forms import ConfirmForm, commit_or_flash, flash_form_errors, form_status, report
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from labelapp.surveys import services, subgroups, words
from labelapp.surveys.forms import ConfirmImportForm, ImportForm, mapping_form, profile_choice_form
from labelapp.surveys.models import SurveyProfile, SurveyResult, SurveyWave
from labelapp.surveys.rules import can_import_surveys

bp = Blueprint("surveys", __name__, url_prefix="/admin/surveys")
staff_bp = Blueprint("my_survey", __name__)
for _name, _function in words.FILTERS.items():  # indicator, shape, role and subgroup names in the page's language
    staff_bp.add_app_template_filter(_function, _name)
staff_bp.add_app_template_global(subgroups.shown, "survey_subgroups")


def _raise_upload_limit():
    """A coordinator's survey upload may be up to SURVEY_MAX_BYTES. The limit is raised before any other hook
    runs: CSRFProtect reads the form (and so the body) in its own before-request hook, under the limit in force
    then, and would answer 413 before the view runs. Everyone else keeps the app-wide MAX_CONTENT_LENGTH."""
    if request.endpoint == "surveys.start_import" and request.method == "POST" and can_import_surveys(current_user):
        request.max_content_length = current_app.config["SURVEY_MAX_BYTES"] + 1024 * 1024


@bp.record_once
def _install_upload_limit(state) -> None:
    state.app.before_request_funcs.setdefault(None, []).insert(0, _raise_upload_limit)


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


def _mapping(staged: services.Staged) -> tuple[dict[str, str], SurveyProfile | None, str | None]:
    """(mapping the file is read with, the profile it comes from, why that profile cannot be used). The
    coordinator's own choice of columns wins; then the profile they chose (or none); by default the newest
    profile saved for exactly these headers."""
    if staged.options.get("mapping"):
        return staged.options["mapping"], None, None
    chosen = staged.options.get("profile")
    if chosen == "":
        return {}, None, None
    headers = services.file_headers(staged)
    profile = db.session.get(SurveyProfile, chosen) if chosen else services.profile_for(headers)
    if profile is None:
        return {}, None, None
    try:
        return services.profile_mapping(profile, headers), profile, None
    except services.SurveyImportError as exc:
        return {}, profile, str(exc)


def _preview(staged: services.Staged):
    mapping, _profile, _problem = _mapping(staged)
    return services.preview(staged, staged.options.get("shape"), mapping)


@bp.route("/import/<token>")
@access(can_import_surveys)
def preview(token: str):
    staged = _staged(token)
    _chosen, profile, problem = _mapping(staged)
    report = _preview(staged)
    headers = report.layout.headers if report.layout else []
    duplicate = services.duplicate_of(staged)
    saved = services.profiles() if report.layout else []
    return render_template("surveys/preview.html", staged=staged, report=report, confirm_form=ConfirmForm(),
                           min_sample=services.survey_rule()[1],
                           import_form=ConfirmImportForm(), profile=profile, profile_problem=problem,
                           profiles=profile_choice_form(saved, profile.id if profile else "") if saved else None,
                           duplicate=services.duplicate_message(duplicate) if duplicate else None,
                           mapping=mapping_form([h for h in headers if h], _current_mapping(report, staged),
                                                report.layout.reasons if report.layout else {}))


def _current_mapping(report, staged) -> dict[str, str]:
    return {**staged.options.get("mapping", {}), **(report.layout.roles if report.layout else {})}


@bp.route("/import/<token>/profile", methods=["POST"])
@access(can_import_surveys)
def choose_profile(token: str):
    """Read the file with another saved mapping profile, or with none; the columns chosen by hand are reset."""
    staged = _staged(token)
    form = profile_choice_form(services.profiles(), None)
    if form.validate_on_submit():
        staged.options["profile"] = int(form.profile.data) if form.profile.data else ""
        staged.options["mapping"] = {}
        staged.save_options()
    return redirect(url_for("surveys.preview", token=token))


@bp.route("/profiles")
@access(can_import_surveys)
def profiles():
    page = db.paginate(select(SurveyProfile).order_by(SurveyProfile.name), per_page=50, error_out=False)
    return render_template("surveys/profiles.html", page=page, delete_form=ConfirmForm())


@bp.route("/profiles/<int:profile_id>/delete", methods=["POST"])
@access(can_import_surveys)
def delete_profile(profile_id: int):
    if ConfirmForm().validate_on_submit():
        name = services.delete_profile(profile_id)
        db.session.commit()
        flash(_("The mapping profile %(name)s was deleted.", name=name), "success")
    return redirect(url_for("surveys.profiles"))


@bp.route("/import/<token>/mapping", methods=["POST"])
@access(can_import_surveys)
def save_mapping(token: str):
    staged = _staged(token)
    report = _preview(staged)
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
    form = ConfirmImportForm()

    def import_and_keep_the_columns():
        _wave, report = services.import_wave(staged, int(options["year"]), options.get("description", ""),
                                             shape=options.get("shape"), mapping=_mapping(staged)[0],
                                             supersede=bool(options.get("supersede")))
        if form.profile_name.data and form.profile_name.data.strip():
            services.save_profile(form.profile_name.data, services.file_headers(staged), report.layout.roles)

    if not form.validate_on_submit():
        flash_form_errors(form)
    elif commit_or_flash(import_and_keep_the_columns):
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
