"""Public registry pages: the list of labels, a municipality's page, the badge and the verification page."""

import datetime as dt
import re
from dataclasses import dataclass

from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from labelapp.auth.permissions import access, public
from labelapp.core.http import atom_response
from labelapp.criteria import services as criteria_services
from labelapp.improvement import queries as improvement
from labelapp.labels.models import Label, LabelState
from labelapp.labels.wording import LABEL_STATES
from labelapp.registry import cache, queries

bp = Blueprint("registry", __name__)
CURRENT = (LabelState.VALID, LabelState.EXPIRING)
PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def is_valid_now(label: Label, today: dt.date | None = None) -> bool:
    return label.state in CURRENT and (today or dt.date.today()) <= label.valid_until


@bp.app_context_processor
def _helpers():
    return {"label_state": lambda state: LABEL_STATES[state]}


@bp.route("/registry")
@access(public)
@cache.anonymous_page
def index():
    errors = filter_errors(request.args)
    filters = queries.Filters.from_args(request.args)
    page = queries.listed_page(filters)
    # A value the form cannot have sent is said, not silently ignored: 400, with the list shown without it.
    return render_template("registry/index.html", page=page, filters=filters, facets=queries.facets(),
                           states=list(LabelState), sort_names=SORT_NAMES, errors=errors), 400 if errors else 200


SORT_NAMES = {"status": _l("current holders first"), "name": _l("by name"), "awarded": _l("newest first"),
              "valid_until": _l("longest valid first")}


def filter_errors(args) -> dict[str, str]:
    """The registry filters whose value is not one the form offers, each with what would be accepted."""
    errors = {}
    state, sort = args.get("state", ""), args.get("sort", "")
    if state and state not in {s.value for s in LabelState}:
        errors["state"] = gettext("“%(value)s” is not a status; choose one of: %(choices)s.", value=state[:100],
                                  choices=", ".join(str(LABEL_STATES[s]) for s in LabelState))
    if sort and sort not in queries.SORTS:
        errors["sort"] = gettext("“%(value)s” is not an order; choose one of: %(choices)s.", value=sort[:100],
                                 choices=", ".join(str(SORT_NAMES[key]) for key in queries.SORTS))
    return errors


@bp.route("/registry/<code>")
@access(public)
@cache.anonymous_page  # survey waves, panel decisions and publishing choices move the marker too (0024)
def municipality(code: str):
    found = queries.municipality_page(code)
    if found is None:
        abort(404)
    place, labels, verified, survey, answers = found
    criteria = criteria_services.load(labels[0].criteria_version) if labels else None
    return render_template("registry/municipality.html", place=place, labels=labels, verified=verified,
                           survey=survey, criteria=criteria, answers=answers, lang=str(get_locale()),
                           is_valid_now=is_valid_now, plan=improvement.published_plan(place.id))


@bp.route("/badge/<path:public_id>.svg")
@access(public)
def badge(public_id: str):
    """The label's badge for other sites to embed; an SVG 'not found' badge (404) for any other id."""
    label = queries.label_by_public_id(public_id) if PUBLIC_ID.fullmatch(public_id) else None
    if label is None:
        response = make_response(render_template("registry/badge_missing.svg"), 404)
    else:
        response = make_response(render_template("registry/badge.svg", label=label, valid=is_valid_now(label)))
    response.headers["Content-Type"] = "image/svg+xml; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@bp.route("/verify/<public_id>")
@access(public)
def verify(public_id: str):
    label = queries.label_by_public_id(public_id)
    if label is None:
        return render_template("registry/verify.html", label=None, valid=False), 404
    return render_template("registry/verify.html", label=label, valid=is_valid_now(label))


@bp.route("/registry/certificate/<public_id>")
@access(public)
def certificate(public_id: str):
    """A print-ready (A4) certificate with a QR code pointing to the verification page."""
    label = queries.label_by_public_id(public_id) or abort(404)
    link = url_for("registry.verify", public_id=label.public_id, _external=True)
    # No width/height but a viewBox: the code scales to the box the stylesheet gives it, in print too.
    import segno  # only the pages that draw a QR code

    svg = segno.make(link, error="m").svg_inline(scale=4, border=4, title=link, omitsize=True)
    # segno's own SVG markup; segno escapes the title.
    qr = Markup(svg)  # noqa: S704  # nosec B704
    valid = is_valid_now(label)
    void = None if valid else (LabelState.EXPIRED if label.state in CURRENT else label.state)
    return render_template("registry/certificate.html", label=label, qr=qr, link=link, valid=valid, void=void,
                           lang=str(get_locale()))


@dataclass(frozen=True)
class FeedEntry:
    kind: str  # award | revoked | expired
    label: Label
    at: dt.datetime


FEED_SIZE = 50


def feed_entries(limit: int = FEED_SIZE) -> list[FeedEntry]:
    """Awards, revocations and expiries, newest first: a revoked or expired label keeps its award entry and
    gets one more, so a reader sees what happened rather than an old award looking new."""
    found = [FeedEntry("award", label, dt.datetime.combine(label.awarded_on, dt.time(), dt.UTC))
             for label in queries.latest_awards(limit)]
    for label in queries.latest_state_ends(limit):
        changed = label.state_changed_at if label.state_changed_at.tzinfo else \
            label.state_changed_at.replace(tzinfo=dt.UTC)
        if label.state == LabelState.EXPIRED:  # expired at the end of its last valid day, or when marked so
            changed = min(changed, dt.datetime.combine(label.valid_until + dt.timedelta(days=1), dt.time(), dt.UTC))
        found.append(FeedEntry(label.state.value, label, changed))
    return sorted(found, key=lambda entry: (entry.at, entry.label.id), reverse=True)[:limit]


@bp.route("/registry/feed.atom")
@access(public)
@cache.anonymous_page  # a miss of the front cache (another Accept, an evicted entry) is not rendered again
def feed():
    """An Atom feed of awards, revocations and expiries."""
    entries = feed_entries()
    updated = max((entry.at for entry in entries), default=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    body = render_template("registry/feed.atom.xml", entries=entries, updated=updated, lang=str(get_locale()))
    return atom_response(body, updated)
