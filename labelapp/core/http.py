"""Security headers on every response, and the error pages."""

import logging
import secrets

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from labelapp.core import audit
from labelapp.extensions import db

# Refused requests go to this logger (not the audit table, which anyone could otherwise fill with 403s).
security_log = logging.getLogger("labelapp.security")

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


def register_error_handlers(app: Flask) -> None:
    def render(error: HTTPException, template: str = "errors/error.html"):
        return render_template(template, error=error, code=error.code), error.code

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        db.session.rollback()
        audit.record("security.csrf_failure", "request", None, after={"path": request.path})
        db.session.commit()
        return render(error, "errors/csrf.html")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400 or error.response is not None:
            return error
        if error.code == 403:
            who = f"user {current_user.id}" if current_user.is_authenticated else "anonymous"
            security_log.warning("403 forbidden: %s %s by %s from %s", request.method, request.path, who,
                                 request.remote_addr)
        return render(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        incident = secrets.token_hex(6)
        app.logger.exception("incident %s: unhandled error on %s %s", incident, request.method, request.path)
        return render_template("errors/500.html", incident=incident, code=500), 500
