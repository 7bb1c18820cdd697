"""Open data: JSON API (v1), CSV download and the OpenAPI 3.1 document that describes them."""

from __future__ import annotations

import csv
import hashlib
import io
import json

from flask import Blueprint, Response, abort, current_app, request, stream_with_context, url_for
from flask_babel import gettext

from labelapp.auth.permissions import access, public
from labelapp.core.http import answer_with_problems
from labelapp.core.inputs import InvalidParameter, refuse_unknown
from labelapp.extensions import db
from labelapp.labels.models import Label
from labelapp.registry import cache, issuer, queries, trust
from labelapp.registry.openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_PAGE_SIZE = 100


@bp.record_once
def _problems(state) -> None:
    answer_with_problems(state.app, bp.url_prefix)


FILTERS = set(vars(queries.Filters()))
# The query parameters each endpoint reads; any other name is a 400 that names it.
PARAMETERS = {"api.labels": FILTERS | {"page", "per_page"}, "api.labels_csv": FILTERS}


@bp.before_request
def _known_parameters() -> None:
    refuse_unknown(PARAMETERS.get(request.endpoint, set()))


@bp.after_request
def _open_to_every_origin(response: Response) -> Response:
    """Everything here is public and read-only: a web page anywhere may read it (no cookies are honoured)."""
    if request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def not_found(what: str):
    abort(404, description=what)


def page_size() -> int:
    size = request.args.get("per_page", 25, type=int)
    if size > MAX_PAGE_SIZE:
        raise InvalidParameter("per_page", gettext("a whole number from %(low)d to %(high)d is expected",
                                                   low=1, high=MAX_PAGE_SIZE))
    return size


def label_json(label: Label) -> dict:
    place = label.municipality
    return {
        "public_id": label.public_id,
        "municipality": {"code": place.code, "name": place.name, "county": place.region, "country": place.country},
        "state": label.state.value,
        "state_reason": label.state_reason or None,
        "level": label.level,
        "awarded_on": label.awarded_on.isoformat(),
        "valid_until": label.valid_until.isoformat(),
        "criteria": {"framework": label.criteria_version.framework, "version": label.criteria_version.version},
        "links": {"self": url_for("api.label", public_id=label.public_id, _external=True),
                  "verify": url_for("registry.verify", public_id=label.public_id, _external=True),
                  "badge": url_for("registry.badge", public_id=label.public_id, _external=True)},
    }


def cached_json(payload: dict, last_modified=None) -> Response:
    """JSON with a strong ETag (and Last-Modified when known): an unchanged answer is not sent again (304)."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return cache.conditional(Response(body, mimetype="application/json"), last_modified)


@bp.route("/labels")
@access(public)
@cache.anonymous_page
def labels():
    filters = queries.Filters.checked(request.args)
    size = page_size()
    page = queries.labels_page(filters, page=request.args.get("page", 1, type=int), per_page=size)
    args = {**filters.as_args(), "per_page": size}
    links = {"self": url_for("api.labels", page=page.page, _external=True, **args)}
    if page.has_next:
        links["next"] = url_for("api.labels", page=page.next_num, _external=True, **args)
    if page.has_prev:
        links["prev"] = url_for("api.labels", page=page.prev_num, _external=True, **args)
    return cached_json({"items": [label_json(label) for label in page.items], "total": page.total,
                        "page": page.page, "per_page": size, "links": links},
                       last_modified=queries.last_change())


@bp.route("/labels/<public_id>")
@access(public)
def label(public_id: str):
    found = queries.label_by_public_id(public_id) or not_found(gettext("No label has this id."))
    return cached_json(label_json(found), last_modified=found.state_changed_at)


@bp.route("/municipalities/<code>")
@access(public)
def municipality(code: str):
    found = queries.municipality_page(code) or not_found(gettext("No municipality has this code."))
    place, labels, verified, survey, _answers = found
    return cached_json({
        "code": place.code, "name": place.name, "county": place.region, "kind": place.kind,
        "labels": [label_json(label) for label in labels],
        "verified_area_scores": {a["id"]: a["score"] for a in verified["areas"]} if verified else None,
        "survey": [{"year": r.year, "value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high, "n": r.n,
                    "flag": r.flag} for r in survey],
    })


def neutralise(value: object) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; a leading apostrophe keeps them text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


CSV_HEADER = ["public_id", "ehak_code", "municipality", "county", "state", "state_reason", "level", "awarded_on",
              "valid_until", "criteria_version"]
CSV_FORMAT = "1"  # part of the ETag: a change to the columns or their writing gives every file a new tag


def csv_row(item: Label) -> list:
    """One label: ids, codes, states and ISO dates exactly as the API gives them; only free text (names, the
    county, the reason) is neutralised, as only people write it, and an id changed by it would not exist."""
    place = item.municipality
    return [item.public_id, place.code, neutralise(place.name), neutralise(place.region), item.state.value,
            neutralise(item.state_reason), item.level or "", item.awarded_on.isoformat(),
            item.valid_until.isoformat(), item.criteria_version.version]


def csv_lines(filters: queries.Filters):
    """The file line by line (UTF-8 with a BOM, so that Excel reads the letters right), 1,000 labels a query."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    yield ("\ufeff" + out.getvalue()).encode()
    for item in db.session.scalars(queries.labels_query(filters).execution_options(yield_per=1000)):
        out.seek(0)
        out.truncate()
        writer.writerow(csv_row(item))
        yield out.getvalue().encode()


@bp.route("/labels.csv")
@access(public)
@cache.anonymous_page
def labels_csv():
    filters = queries.Filters.checked(request.args)
    tag = hashlib.sha256(repr((CSV_FORMAT, queries.registry_version(), queries.last_change(),
                               filters.key())).encode()).hexdigest()[:32]
    response = Response(stream_with_context(csv_lines(filters)), mimetype="text/csv")
    response.implicit_sequence_conversion = False  # make_conditional would otherwise read it all to measure it
    response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    response.headers["Content-Disposition"] = "attachment; filename=kaasav-omavalitsus-labels.csv"
    response.headers["Cache-Control"] = "public, max-age=60"
    response.set_etag(tag)
    response.last_modified = queries.last_change()
    return response.make_conditional(request)


@bp.route("/openapi.json")
@access(public)
def openapi():
    return cached_json(document(current_app.config["PUBLIC_BASE_URL"]))


@bp.route("/labels/<public_id>/credential")
@access(public)
def credential(public_id: str):
    return trust.credential_response(queries.label_by_public_id(public_id)
                                     or not_found(gettext("No label has this id.")))


@bp.route("/issuer-key")
@access(public)
def issuer_key():
    """The issuer's Ed25519 public key (PEM), for verifying credentials."""
    return Response(issuer.public_key_pem(), mimetype="application/x-pem-file")
