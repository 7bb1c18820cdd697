"""Security headers on every response, and the error pages (RFC 9457 problem details under API prefixes)."""

import errno
import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, json, jsonify, render_template, request
from flask_babel import gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.http import HTTP_STATUS_CODES

from labelapp.core.errors import StaleState
from labelapp.core.inputs import InvalidParameter
from labelapp.extensions import db

# Refused requests (CSRF failures, 403s) go to this logger, not the audit table: anyone can send them, and
# audit rows are permanent.
security_log = logging.getLogger("labelapp.security")


class ClientThrottle:
    """At most one log line per client address and ``interval`` seconds (per process); the next line admitted
    says how many were held back, so that a flood of refusals neither fills the log nor goes unseen."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000):
        self._interval, self._clock, self._max_clients = interval, clock, max_clients
        self._lock = threading.Lock()
        self._clients: dict[str, tuple[float, int]] = {}  # address -> (time of its last line, lines held back)

    def admit(self, client: str) -> int | None:
        """None to hold this line back; otherwise the number of lines held back since the last one."""
        now = self._clock()
        with self._lock:
            last, held = self._clients.get(client, (None, 0))
            if last is not None and now - last < self._interval:
                self._clients[client] = (last, held + 1)
                return None
            if client not in self._clients and len(self._clients) >= self._max_clients:
                self._clients = {key: value for key, value in self._clients.items()
                                 if now - value[0] < self._interval}
                if len(self._clients) >= self._max_clients:
                    self._clients.clear()  # many addresses at once: bounded memory matters more than counts
            self._clients[client] = (now, 0)
            return held


def log_refusal(kind: str) -> None:
    """Log a refused request to the security log, throttled per client address and kind of refusal."""
    who = f"user {current_user.id}" if current_user and current_user.is_authenticated else "anonymous"
    held = current_app.extensions["labelapp.security_throttle"].admit(f"{kind} {request.remote_addr}")
    if held is None:
        return
    suffix = f" ({held} similar refusals from this address held back)" if held else ""
    security_log.warning("%s: %s %s by %s from %s%s", kind, request.method, request.path, who,
                         request.remote_addr, suffix)

# Same-origin only: no CDN, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["SESSION_COOKIE_SECURE"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if current_user and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
        return response


PROBLEM_PREFIXES = "labelapp.problem_prefixes"


def answer_with_problems(app: Flask, prefix: str) -> None:
    """Errors on paths under ``prefix`` (a public, read-only API) are answered as problem+json, readable from
    any origin; a package that owns such a prefix registers it here (core never imports it)."""
    app.extensions.setdefault(PROBLEM_PREFIXES, set()).add(prefix)


def wants_problem() -> bool:
    return request.path.startswith(tuple(current_app.extensions.get(PROBLEM_PREFIXES, ())))


def problem(status: int, title: str, detail: str, invalid_params: list[dict] | None = None,
            headers: dict | None = None) -> Response:
    """RFC 9457 problem details; ``invalid_params`` names the offending query parameters."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if invalid_params:
        body["invalid-params"] = invalid_params
    response = Response(json.dumps(body, ensure_ascii=False), status, mimetype="application/problem+json")
    response.headers.update(headers or {})
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response


def http_problem(error: HTTPException) -> Response:
    params = [{"name": error.param, "reason": error.reason}] if isinstance(error, InvalidParameter) else None
    allow = {k: v for k, v in error.get_headers() if k == "Allow"}
    return problem(error.code, HTTP_STATUS_CODES.get(error.code, "Error"), str(error.description), params, allow)


def stale_response(error: StaleState):
    """409 with what the state is now: a page, or RFC 9457 problem details for a client that asks for JSON."""
    db.session.rollback()
    if request.accept_mimetypes.best in ("application/json", "application/problem+json"):
        body = {"type": "about:blank", "title": "Conflict", "status": 409, "detail": str(error)}
        return jsonify(body), 409, {"Content-Type": "application/problem+json"}
    return render_template("errors/stale.html", error=error, code=409), 409


def atom_response(body: str, updated) -> Response:
    """An Atom feed: its own content type, open to every origin, with a strong ETag of the body and
    Last-Modified ``updated``, publicly cacheable for five minutes; an unchanged feed is a 304."""
    response = Response(body)
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.last_modified = updated
    return response.make_conditional(request)


def register_trusted_hosts(app: Flask) -> None:
    """Answer a request whose Host is not in TRUSTED_HOSTS with a plain 400, before any other hook.

    Flask records the refusal as the request's routing exception; without a URL adapter, nothing may build a
    URL (pages, redirects, the error template), so the answer is plain text and this hook runs first.
    """
    def _refuse_untrusted_host():
        if isinstance(request.routing_exception, SecurityError):
            log_refusal("Host not trusted")
            return Response("Bad Request: this site does not answer to that host name.\n", 400,
                            mimetype="text/plain")
        return None

    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_untrusted_host)


STORAGE_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
SQLITE_FULL = 13
POSTGRES_DISK_FULL = "53100"


def is_storage_full(error: BaseException) -> bool:
    """Whether ``error`` says the disk (or the user's quota) is full: a file write, SQLite or PostgreSQL."""
    if isinstance(error, OSError):
        return error.errno in STORAGE_FULL_ERRNOS
    original = getattr(error, "orig", None)
    return getattr(original, "sqlite_errorcode", None) == SQLITE_FULL or \
        getattr(original, "sqlstate", None) == POSTGRES_DISK_FULL


def register_error_handlers(app: Flask) -> None:
    def render(error: HTTPException, template: str = "errors/error.html"):
        allow = {k: v for k, v in error.get_headers() if k == "Allow"}  # 405 says which methods there are
        return render_template(template, error=error, code=error.code), error.code, allow

    app.extensions["labelapp.security_throttle"] = ClientThrottle(app.config["SECURITY_LOG_INTERVAL_SECONDS"])

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        db.session.rollback()
        log_refusal("CSRF token missing or invalid")
        return render(error, "errors/csrf.html")

    app.register_error_handler(StaleState, stale_response)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400 or error.response is not None:
            return error
        if error.code == 403:
            log_refusal("403 forbidden")
        if wants_problem():
            return http_problem(error)
        return render(error)

    @app.errorhandler(OSError)
    @app.errorhandler(OperationalError)
    def _storage(error: Exception):
        if not is_storage_full(error):
            return _unexpected(error)
        db.session.rollback()  # also removes the files of this transaction (core.uploads)
        incident = secrets.token_hex(6)
        app.logger.error("incident %s: storage full on %s %s: %s", incident, request.method, request.path, error)
        if wants_problem():
            return problem(507, "Insufficient Storage", gettext("The service cannot store data just now "
                                                               "(incident %(incident)s).", incident=incident))
        return render_template("errors/storage_full.html", incident=incident, code=507), 507

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        incident = secrets.token_hex(6)
        app.logger.exception("incident %s: unhandled error on %s %s", incident, request.method, request.path)
        if wants_problem():
            return problem(500, "Internal Server Error", gettext("An unexpected error occurred (incident "
                                                                 "%(incident)s); it has been logged.",
                                                                 incident=incident))
        return render_template("errors/500.html", incident=incident, code=500), 500
