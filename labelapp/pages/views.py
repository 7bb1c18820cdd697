"""The home page, the dashboard, the language switch, and the coordinator's audit log and outbox."""

import datetime as dt
from datetime import UTC, datetime, time

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, send_from_directory
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from labelapp.auth.permissions import access, authenticated, is_assessor, is_coordinator, is_staff, public
from labelapp.core.models import AuditEntry, OutboxMessage, OutboxStatus
from labelapp.core.urls import safe_next
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.pages import dashboard as work
from labelapp.pages import wording
from labelapp.pages.rules import can_manage_outbox, can_read_audit_log, sees_short_panels
from labelapp.panel import size

bp = Blueprint("pages", __name__)
OUTBOX_STATUS_WORDS = {OutboxStatus.PENDING: _l("waiting to be sent"), OutboxStatus.SENT: _l("sent"),
                       OutboxStatus.FAILED: _l("failed (not retried)")}

LANGUAGE_COOKIE = "lang"


@bp.route("/")
@access(public)
def home():
    return render_template("pages/home.html")


# Crawlers may read the public registry and open data; areas behind a login are none of their business.
ROBOTS = """User-agent: *
Allow: /registry
Allow: /verify/
Allow: /badge/
Allow: /api/v1/
Allow: /programme
Allow: /library
Disallow: /programme/report
Disallow: /my/
Disallow: /account
Disallow: /admin/
Disallow: /applications/
Disallow: /assessments/
Disallow: /dashboard
Disallow: /survey/
Disallow: /invitation/
Disallow: /password/
Disallow: /login
Disallow: /logout
Disallow: /language/
"""


@bp.route("/robots.txt")
@access(public)
def robots():
    return Response(ROBOTS, mimetype="text/plain", headers={"Cache-Control": "public, max-age=86400"})


@bp.route("/favicon.ico")
@access(public)
def favicon():
    """For clients that ask for /favicon.ico without reading the page's icon link."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.route("/language/<code>")
@access(public)
def set_language(code: str):
    """Switch the interface language and return to the page the visitor was on."""
    response = redirect(safe_next("pages.home"))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/dashboard")
@access(authenticated)
def dashboard():
    """What is next for the user's role, with deadlines and counts (a fixed number of queries)."""
    user, today = current_user._get_current_object(), dt.date.today()
    short = size.short_panels() if sees_short_panels(user) else []
    data = {}
    if is_staff(user):
        data["cycle"] = work.staff_cycle(user.municipality_id)
        data["round"] = criteria_services.current_round()
    elif is_assessor(user):
        data["assignments"] = work.assignments(user.id, today)
        data["consolidations"] = work.chair_queue(user.id)
    elif is_coordinator(user):
        data["queue"] = work.coordinator_queue(today)
    return render_template("pages/dashboard.html", user=user, short_panels=short, today=today,
                           reminder_days=max(current_app.config["LABEL_REMINDER_DAYS"]), **data)


@bp.route("/work/<stage>")
@access(is_coordinator)
def work_stage(stage: str):
    """The applications at one stage of the coordinator's work queue, each linked to where the work is done."""
    if stage not in work.STAGES:
        abort(404)
    page = work.stage_page(stage, dt.date.today(), request.args.get("page", 1, type=int),
                           current_app.config["APPLICATIONS_PAGE_SIZE"])
    return render_template("pages/work_stage.html", stage=stage, heading=work.STAGES[stage][0], page=page)


def _parse_date(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/admin/audit")
@access(can_read_audit_log)
def audit_log():
    args = request.args
    filters = {k: args.get(k, "").strip() for k in ("action", "object_type", "object_id", "actor", "since", "until")}
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if filters["action"]:
        query = query.where(AuditEntry.action.startswith(filters["action"], autoescape=True))
    if filters["object_type"]:
        query = query.where(AuditEntry.object_type == filters["object_type"])
    if filters["object_id"]:
        query = query.where(AuditEntry.object_id == filters["object_id"])
    if filters["actor"]:
        query = query.where(AuditEntry.actor_label.contains(filters["actor"].lower(), autoescape=True))
    since, until = _parse_date(filters["since"]), _parse_date(filters["until"])
    if since:
        query = query.where(AuditEntry.at >= datetime.combine(since.date(), time.min, UTC))
    if until:
        query = query.where(AuditEntry.at <= datetime.combine(until.date(), time.max, UTC))
    page = db.paginate(query, per_page=current_app.config["AUDIT_PAGE_SIZE"], error_out=False)
    object_types = db.session.scalars(select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type))
    return render_template("pages/audit.html", page=page, filters=filters, object_types=list(object_types),
                           action_words=wording.action_words, object_type_words=wording.object_type_words,
                           actor_words=wording.actor_words,
                           bad_dates=(filters["since"] and not since) or (filters["until"] and not until))


@bp.route("/admin/outbox")
@access(can_manage_outbox)
def outbox():
    status = request.args.get("status", "")
    query = select(OutboxMessage).options(db.defer(OutboxMessage.body)).order_by(OutboxMessage.id.desc())
    if status in {s.value for s in OutboxStatus}:
        query = query.where(OutboxMessage.status == OutboxStatus(status))
    page = db.paginate(query, per_page=current_app.config["OUTBOX_PAGE_SIZE"], error_out=False)
    return render_template("pages/outbox.html", page=page, status=status, statuses=list(OutboxStatus),
                           status_words=OUTBOX_STATUS_WORDS)
