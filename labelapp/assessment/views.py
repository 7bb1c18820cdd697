import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from labelapp.assessment import links, notes, services, whatif
from labelapp.assessment.forms import (
    LinkForm,
    ReopenForm,
    StartForm,
    UploadForm,
    area_form,
    evidence_of,
    field_id,
    level_of,
)
from labelapp.assessment.models import Assessment, Evidence, EvidenceKind
from labelapp.assessment.rules import (
    can_edit_assessment,
    can_read_evidence,
    can_reopen_assessment,
    can_view_assessment,
    lists_own_municipality_only,
    reads_evidence,
    works_on_assessments,
)
from labelapp.auth.permissions import access, is_staff
from labelapp.core import uploads
from labelapp.core.errors import StaleState
from labelapp.core.forms import ConfirmForm, commit_or_flash, commit_or_report, form_status, report
from labelapp.criteria import scoring
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db

bp = Blueprint("assessment", __name__, url_prefix="/assessments")


def get_assessment(assessment_id: int, edit: bool = False) -> Assessment:
    """The assessment if the user may see it (404 otherwise: others' assessments are private); 403 for an
    edit the user may not make."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not can_view_assessment(current_user, assessment):
        abort(404)
    if edit and not can_edit_assessment(current_user, assessment):
        if not can_edit_assessment(current_user, assessment, check_state=False):
            abort(403)
        raise StaleState(_("This self-assessment is submitted and can no longer be changed."),
                         url_for("assessment.review", assessment_id=assessment.id), _("Open the self-assessment"))
    return assessment


def language() -> str:
    return str(get_locale())


@bp.route("/")
@access(works_on_assessments)
def index():
    query = select(Assessment).options(db.joinedload(Assessment.municipality), db.joinedload(Assessment.round))
    if lists_own_municipality_only(current_user):
        query = query.where(Assessment.municipality_id == current_user.municipality_id)
    assessments = db.session.scalars(query.order_by(Assessment.id.desc())).all()
    return render_template("assessment/index.html", assessments=assessments,
                           round=criteria_services.current_round())


@bp.route("/start", methods=["GET", "POST"])
@access(is_staff)
def start():
    round_ = criteria_services.current_round()
    if round_ is None:
        flash(_("No round is open at the moment."), "error")
        return redirect(url_for("assessment.index"))
    previous = services.latest_assessment(current_user.municipality, before_round=round_)
    criteria = criteria_services.load(round_.criteria_version)
    plan = services.carry_over_plan(previous, criteria) if previous else None
    form = StartForm()
    if form.validate_on_submit():
        source = previous if (previous and form.carry_over.data) else None
        if commit_or_report(form.carry_over, lambda: services.start(
                current_user.municipality, round_, current_user, carry_from=source)):
            created = services.latest_assessment(current_user.municipality)
            return redirect(url_for("assessment.overview", assessment_id=created.id))
    return render_template("assessment/start.html", form=form, round=round_, plan=plan, criteria=criteria,
                           lang=language()), form_status(form)


@bp.route("/<int:assessment_id>")
@access(works_on_assessments)
def overview(assessment_id: int):
    assessment = get_assessment(assessment_id)
    criteria = services.criteria_of(assessment)
    _criteria_scores, areas, _overall = scoring.score_self(criteria, _levels(assessment))
    return render_template("assessment/overview.html", assessment=assessment, criteria=criteria,
                           areas=dict(zip([a.id for a in criteria.areas], areas, strict=True)), lang=language(),
                           can_edit=can_edit_assessment(current_user, assessment))


def _levels(assessment: Assessment) -> dict[str, int | None]:
    return {cid: answer.level for cid, answer in services.answers_of(assessment).items()}


@bp.route("/<int:assessment_id>/areas/<area_id>", methods=["GET", "POST"])
@access(works_on_assessments)
def area(assessment_id: int, area_id: str):
    assessment = get_assessment(assessment_id, edit=request.method == "POST")
    criteria = services.criteria_of(assessment)
    area_ = criteria.area(area_id) or abort(404)
    answers = services.answers_of(assessment)
    form = area_form(criteria, area_, language())
    if request.method == "GET":
        _fill(form, area_, answers, assessment.version)
    conflict = None
    if form.validate_on_submit():
        values = {c.id: (level_of(form, c.id), form[field_id("comment", c.id)].data or "") for c in area_.criteria}
        try:
            services.save_area(assessment, area_, values, form.version.data, current_user)
            added = _add_evidence(form, assessment, area_)
        except services.EditConflict as exc:
            db.session.rollback()
            conflict = str(exc)
            form.version.data = db.session.get(Assessment, assessment_id).version
        except uploads.UploadError:
            db.session.rollback()  # nothing of this save is kept; the answers stay in the form
        else:
            db.session.commit()
            flash(ngettext("Saved, with %(num)d evidence item added.", "Saved, with %(num)d evidence items added.",
                           added) if added else _("Saved."), "success")
            return redirect(_next_page(assessment, criteria, area_id))
    return render_template("assessment/area.html", assessment=assessment, criteria=criteria, area=area_, form=form,
                           answers=services.answers_of(assessment) if conflict else answers, conflict=conflict,
                           field_id=field_id, lang=language(), can_edit=can_edit_assessment(current_user, assessment),
                           evidence=_evidence_by_criterion(assessment), notes=notes.notes_for(assessment),
                           criterion_links=links.for_criteria([c.id for c in area_.criteria]),
                           max_bytes=current_app.config["EVIDENCE_MAX_BYTES"]), 409 if conflict else form_status(form)


def _add_evidence(form, assessment: Assessment, area_) -> int:
    """Add the links and files given beside each criterion of the area form, through the same services (and
    checks) as the evidence page. An upload refused is reported on its field and raises UploadError."""
    added = 0
    for criterion in area_.criteria:
        title, url, upload = evidence_of(form, criterion.id)
        if url:
            services.add_link(assessment, criterion.id, (title or url)[:255], url, current_user)
            added += 1
        if upload is not None:
            try:
                services.add_file(assessment, criterion.id, title, upload, current_user)
            except uploads.UploadError as exc:
                report(form[field_id("evfile", criterion.id)], exc)
                raise
            added += 1
    return added


def _fill(form, area_, answers, version: int) -> None:
    form.version.data = version
    for criterion in area_.criteria:
        answer = answers.get(criterion.id)
        if answer is not None:
            form[field_id("level", criterion.id)].data = None if answer.level is None else str(answer.level)
            form[field_id("comment", criterion.id)].data = answer.comment


def _next_page(assessment, criteria, area_id: str) -> str:
    if request.form.get("then") == "next":
        ids = [a.id for a in criteria.areas]
        position = ids.index(area_id)
        if position + 1 < len(ids):
            return url_for("assessment.area", assessment_id=assessment.id, area_id=ids[position + 1])
        return url_for("assessment.review", assessment_id=assessment.id)
    return url_for("assessment.area", assessment_id=assessment.id, area_id=area_id)


def _evidence_by_criterion(assessment: Assessment) -> dict[str, list[Evidence]]:
    grouped: dict[str, list[Evidence]] = {}
    for item in assessment.evidence:
        grouped.setdefault(item.criterion_id, []).append(item)
    return grouped


@bp.route("/<int:assessment_id>/criteria/<criterion_id>/evidence", methods=["GET", "POST"])
@access(works_on_assessments)
def evidence(assessment_id: int, criterion_id: str):
    assessment = get_assessment(assessment_id, edit=request.method == "POST")
    criteria = services.criteria_of(assessment)
    criterion = criteria.criterion(criterion_id) or abort(404)
    link_form, upload_form = LinkForm(prefix="link"), UploadForm(prefix="upload")
    posted = request.form.get("form")
    if posted == "link" and link_form.validate_on_submit() and commit_or_report(
            link_form.url, lambda: services.add_link(assessment, criterion_id, link_form.title.data,
                                                     link_form.url.data, current_user)):
        flash(_("The link is added."), "success")
        return redirect(request.path)
    if posted == "upload" and upload_form.validate_on_submit() and commit_or_report(
            upload_form.file, lambda: services.add_file(assessment, criterion_id, upload_form.title.data,
                                                        upload_form.file.data, current_user)):
        flash(_("The file is added."), "success")
        return redirect(request.path)
    area_id = next(a.id for a, c in criteria.criteria() if c.id == criterion_id)
    status = form_status(link_form, upload_form)
    return render_template("assessment/evidence.html", assessment=assessment, criterion=criterion, area_id=area_id,
                           items=_evidence_by_criterion(assessment).get(criterion_id, []), link_form=link_form,
                           upload_form=upload_form, lang=language(), delete_form=ConfirmForm(),
                           can_edit=can_edit_assessment(current_user, assessment),
                           max_bytes=current_app.config["EVIDENCE_MAX_BYTES"]), status


def _get_evidence(assessment: Assessment, evidence_id: int) -> Evidence:
    item = db.session.get(Evidence, evidence_id)
    if item is None or item.assessment_id != assessment.id:
        abort(404)
    return item


@bp.route("/<int:assessment_id>/evidence/<int:evidence_id>/delete", methods=["POST"])
@access(is_staff)
def delete_evidence(assessment_id: int, evidence_id: int):
    assessment = get_assessment(assessment_id, edit=True)
    item = _get_evidence(assessment, evidence_id)
    criterion_id, stored_name = item.criterion_id, item.stored_name
    services.remove_evidence(item)
    db.session.commit()
    if stored_name:
        uploads.path_of(services.EVIDENCE_FOLDER, stored_name).unlink(missing_ok=True)
    flash(_("The evidence is removed."), "success")
    return redirect(url_for("assessment.evidence", assessment_id=assessment.id, criterion_id=criterion_id))


@bp.route("/<int:assessment_id>/evidence/<int:evidence_id>/download")
@access(reads_evidence)
def download_evidence(assessment_id: int, evidence_id: int):
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not can_read_evidence(current_user, assessment):
        abort(404)
    item = _get_evidence(assessment, evidence_id)
    if item.kind != EvidenceKind.FILE:
        abort(404)
    response = send_file(uploads.path_of(services.EVIDENCE_FOLDER, item.stored_name), mimetype=item.content_type,
                         as_attachment=True, download_name=item.original_name, max_age=0)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.route("/<int:assessment_id>/review")
@access(works_on_assessments)
def review(assessment_id: int):
    return _review_page(get_assessment(assessment_id), ReopenForm())


def _review_page(assessment: Assessment, reopen_form: ReopenForm, status: int = 200):
    criteria = services.criteria_of(assessment)
    _criterion_scores, areas, overall = scoring.score_self(criteria, _levels(assessment))
    return render_template("assessment/review.html", assessment=assessment, criteria=criteria, areas=areas,
                           overall=overall, missing=services.missing(assessment, criteria), lang=language(),
                           submit_form=ConfirmForm(), reopen_form=reopen_form,
                           can_edit=can_edit_assessment(current_user, assessment),
                           can_reopen=can_reopen_assessment(current_user, assessment),
                           reopen_refusal=services.reopen_refusal(assessment)
                           if can_reopen_assessment(current_user, assessment, check_state=False) else None), status


@bp.route("/<int:assessment_id>/submit", methods=["GET"])
@access(is_staff)
def confirm_submit(assessment_id: int):
    """What submitting does, and the button that does it (no JavaScript needed)."""
    assessment = get_assessment(assessment_id, edit=True)
    criteria = services.criteria_of(assessment)
    return render_template("assessment/submit.html", assessment=assessment, criteria=criteria,
                           missing=services.missing(assessment, criteria), form=ConfirmForm(), lang=language(),
                           area_of={c.id: a.id for a, c in criteria.criteria()})


@bp.route("/<int:assessment_id>/print")
@access(works_on_assessments)
def printable(assessment_id: int):
    """The whole self-assessment on one page laid out for print (e.g. for the municipal council): scores, each
    criterion's level, comment and evidence."""
    assessment = get_assessment(assessment_id)
    criteria = services.criteria_of(assessment)
    _criterion_scores, areas, overall = scoring.score_self(criteria, _levels(assessment))
    return render_template("assessment/print.html", assessment=assessment, criteria=criteria, areas=areas,
                           overall=overall, answers=services.answers_of(assessment),
                           evidence=_evidence_by_criterion(assessment), lang=language(), now=dt.date.today())


@bp.route("/<int:assessment_id>/submit", methods=["POST"])
@access(is_staff)
def submit(assessment_id: int):
    assessment = get_assessment(assessment_id, edit=True)
    if ConfirmForm().validate_on_submit() and commit_or_flash(lambda: services.submit(assessment, current_user)):
        flash(_("The self-assessment is submitted and locked. Next, apply for the label with it."), "success")
        return redirect(services.next_step_url(assessment) or url_for("assessment.review",
                                                                      assessment_id=assessment_id))
    return redirect(url_for("assessment.review", assessment_id=assessment_id))


@bp.route("/<int:assessment_id>/reopen", methods=["POST"])
@access(works_on_assessments)
def reopen(assessment_id: int):
    assessment = get_assessment(assessment_id)
    if not can_reopen_assessment(current_user, assessment, check_state=False):
        abort(403)
    if not can_reopen_assessment(current_user, assessment):
        raise StaleState(services.reopen_refusal(assessment) or _("Only a submitted assessment can be reopened."),
                         url_for("assessment.review", assessment_id=assessment.id), _("Open the self-assessment"))
    form = ReopenForm()
    if form.validate_on_submit() and commit_or_report(form.reason, lambda: services.reopen(assessment,
                                                                                           form.reason.data)):
        flash(_("The assessment is reopened for the municipality."), "success")
        return redirect(url_for("assessment.review", assessment_id=assessment_id))
    return _review_page(assessment, form, 422)


@bp.route("/<int:assessment_id>/what-if")
@access(works_on_assessments)
def what_if(assessment_id: int):
    """Scores and verdict of a self-assessment under newer criteria versions (coordinator and the municipality)."""
    assessment = get_assessment(assessment_id)
    base, newer = whatif.scenarios(assessment)
    return render_template("assessment/whatif.html", assessment=assessment, base=base, newer=newer,
                           lang=language())
