"""Open data of the programme: its results (JSON, CSV) and the library of good practice (JSON)."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, request, url_for
from flask_babel import gettext

from labelapp.auth.permissions import access, public
from labelapp.core.inputs import InvalidParameter
from labelapp.programme import loader, queries, results
from labelapp.programme.models import GoodExample

bp = Blueprint("programme_api", __name__, url_prefix="/api/v1")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@bp.after_request
def _open_to_every_origin(response: Response) -> Response:
    if request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _json(payload: dict) -> Response:
    response = Response(json.dumps(payload, ensure_ascii=False, sort_keys=True), mimetype="application/json")
    response.add_etag()
    return response.make_conditional(request)


def results_json(found: results.Results) -> dict:
    programme = found.programme
    return {
        "title": programme.title.model_dump(),
        "as_of": found.as_of.isoformat(),
        "filters": {"county": found.filters.county or None, "type": found.filters.type or None},
        "indicators": [{"id": i.id, "title": i.title.model_dump(), "description": i.description.model_dump()}
                       for i in programme.indicators],
        "years": [{
            "year": y.year, "complete": y.complete, "started": y.started,
            "indicators": {i.id: {"verified": y.verified[i.id], "self_assessed": y.self_assessed[i.id]}
                           for i in programme.indicators},
            "municipalities": {"verified": y.municipalities_verified,
                               "self_assessed": y.municipalities_self_assessed},
            "labels_awarded": {"value": y.labels_awarded, "target": y.labels_target},
            "good_examples": {"value": y.good_examples, "target": y.good_examples_target},
        } for y in found.years],
    }


@bp.route("/programme/results")
@access(public)
def programme_results():
    return _json(results_json(results.compute(loader.load(), results.Filters.checked(request.args, strict=True))))


CSV_HEADER = ["year", "measure", "verified", "self_assessed", "target"]


@bp.route("/programme/results.csv")
@access(public)
def programme_results_csv():
    found = results.compute(loader.load(), results.Filters.checked(request.args, strict=True))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for y in found.years:
        for indicator in found.programme.indicators:
            writer.writerow([y.year, indicator.id, y.verified[indicator.id], y.self_assessed[indicator.id], ""])
        writer.writerow([y.year, "labels-awarded", y.labels_awarded, "",
                         "" if y.labels_target is None else y.labels_target])
        writer.writerow([y.year, "good-examples", y.good_examples, "",
                         "" if y.good_examples_target is None else y.good_examples_target])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    response.headers["Content-Disposition"] = "attachment; filename=kaasav-omavalitsus-programme.csv"
    response.add_etag()
    return response.make_conditional(request)


def example_json(example: GoodExample, versions: dict) -> dict:
    criteria = versions.get(example.application.criteria_version_id)
    criterion = criteria.criterion(example.criterion_id) if criteria else None
    area = criteria.area(example.area_id) if criteria else None
    place = example.municipality
    return {
        "id": example.id,
        "municipality": {"code": place.code, "name": place.name, "county": place.region,
                         "type": next((k for k, kinds in results.TYPES.items() if place.kind in kinds), None)},
        "area": {"id": example.area_id, "title": area.title.model_dump() if area else None},
        "criterion": {"id": example.criterion_id, "title": criterion.title.model_dump() if criterion else None},
        "level": example.level,
        "description": example.description,
        "links": [{"title": link["title"], "url": link["url"]} for link in example.links],
        "files": [{"title": f.title, "url": url_for("programme.library_file", evidence_id=f.evidence_id,
                                                    _external=True)} for f in example.files],
        "published_at": results._aware(example.published_at).isoformat(timespec="seconds"),
    }


@bp.route("/examples")
@access(public)
def examples():
    filters = queries.LibraryFilters.checked(request.args, strict=True)
    size = request.args.get("per_page", queries.PAGE_SIZE, type=int)
    if size > 100:
        raise InvalidParameter("per_page", gettext("a whole number from %(low)d to %(high)d is expected",
                                                   low=1, high=100))
    page = queries.examples_page(filters, request.args.get("page", 1, type=int), size)
    versions = queries.versions()
    return _json({"items": [example_json(e, versions) for e in page.items], "total": page.total,
                  "page": page.page, "per_page": size})
