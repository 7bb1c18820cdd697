"""Programme results (public, with a printable yearly report for the coordinator) and the library of good
practice (public; staff publish and withdraw their municipality's examples)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import Evidence, EvidenceKind
from labelapp.auth.permissions import access, public
from labelapp.core import uploads
from labelapp.core.errors import StaleState
from labelapp.core.http import atom_response
from labelapp.extensions import db
from labelapp.programme import loader, queries, results, services
from labelapp.programme.forms import PublishForm, WithdrawForm
from labelapp.programme.models import GoodExample
from labelapp.programme.rules import can_print_programme_report, can_publish_examples, can_withdraw_example
from labelapp.programme.wording import TYPE_LABELS

bp = Blueprint("programme", __name__)
FEED_SIZE = 50


def language() -> str:
    return str(get_locale())


@bp.app_context_processor
def _helpers():
    return {"municipality_type": lambda key: TYPE_LABELS[key]}


@bp.route("/programme")
@access(public)
def results_page():
    filters = results.Filters.checked(request.args)
    figures = results.compute(loader.load(), filters)
    return render_template("programme/results.html", results=figures, filters=filters, lang=language(),
                           types=list(results.TYPES))


@bp.route("/programme/report")
@access(can_print_programme_report)
def report():
    programme = loader.load()
    year = request.args.get("year", type=int) or dt.date.today().year
    if year not in programme.years:
        abort(404)
    filters = results.Filters.checked(request.args)
    figures = results.compute(programme, filters)
    chosen = next(y for y in figures.years if y.year == year)
    return render_template("programme/report.html", results=figures, year=chosen, filters=filters, lang=language())


@bp.route("/library")
@access(public)
def library():
    filters = queries.LibraryFilters.checked(request.args)
    page = queries.examples_page(filters, request.args.get("page", 1, type=int))
    versions = queries.versions()
    return render_template("programme/library.html", page=page, filters=filters, versions=versions,
                           newest=queries.newest(versions), counties=queries.counties(), types=list(results.TYPES),
                           lang=language())


@bp.route("/library/feed.atom")
@access(public)
def library_feed():
    examples = queries.latest_examples(FEED_SIZE)
    updated = max((results._aware(e.published_at) for e in examples), default=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    body = render_template("programme/feed.atom.xml", examples=examples, versions=queries.versions(),
                           updated=updated, lang=language())
    return atom_response(body, updated)


@bp.route("/library/files/<int:evidence_id>")
@access(public)
def library_file(evidence_id: int):
    """An uploaded evidence file, only while a published example shows it (a withdrawn one is a 404 at once)."""
    shown = queries.public_file(evidence_id) or abort(404)
    item = db.session.get(Evidence, shown.evidence_id)
    if item is None or item.kind != EvidenceKind.FILE:
        abort(404)
    response = send_file(uploads.path_of(assessment_services.EVIDENCE_FOLDER, item.stored_name),
                         mimetype=item.content_type, as_attachment=True, download_name=item.original_name, max_age=0)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.route("/my/examples")
@access(can_publish_examples)
def my_examples():
    application, found = services.candidates(current_user.municipality)
    forms = {c.criterion.id: _publish_form(c) for c in found}
    versions = queries.versions()
    return render_template("programme/mine.html", application=application, candidates=found, forms=forms,
                           published=queries.own_published(current_user.municipality_id), versions=versions,
                           withdraw_form=WithdrawForm(), lang=language())


def _publish_form(candidate, formdata=None) -> PublishForm:
    form = PublishForm(formdata=formdata, prefix=f"c-{candidate.criterion.id.replace('.', '-')}")
    form.public_files.choices = [(f.id, f.title) for f in candidate.files]
    return form


@bp.route("/my/examples/<criterion_id>/publish", methods=["POST"])
@access(can_publish_examples)
def publish(criterion_id: str):
    _application, found = services.candidates(current_user.municipality)
    candidate = next((c for c in found if c.criterion.id == criterion_id), None)
    if candidate is None:
        raise StaleState(_("This criterion cannot be published: the panel did not verify it at the top level in "
                           "your latest decided application."), url_for("programme.my_examples"),
                         _("Good practice you publish"))
    form = _publish_form(candidate, request.form)
    if not form.validate():
        flash(_("The files chosen could not be read; nothing was published."), "error")
        return redirect(url_for("programme.my_examples"))
    services.publish(current_user.municipality, criterion_id, set(form.public_files.data or []), current_user)
    db.session.commit()
    flash(_("“%(title)s” is published in the library of good practice.",
            title=candidate.criterion.title.get(language())), "success")
    return redirect(url_for("programme.my_examples"))


@bp.route("/my/examples/<criterion_id>/withdraw", methods=["POST"])
@access(can_publish_examples)
def withdraw(criterion_id: str):
    example = queries.own_example(current_user.municipality_id, criterion_id)
    if example is None or not can_withdraw_example(current_user, example, check_state=False):
        abort(404)
    if not WithdrawForm().validate_on_submit():
        abort(400)
    services.withdraw(example, current_user)
    db.session.commit()
    flash(_("The example was withdrawn from the library of good practice."), "success")
    return redirect(url_for("programme.my_examples"))


def example_title(example: GoodExample, versions: dict) -> str:
    criteria = versions.get(example.application.criteria_version_id)
    criterion = criteria.criterion(example.criterion_id) if criteria else None
    return criterion.title.get(language()) if criterion else example.criterion_id
