"""Configuration: defaults here, then ``instance/config.py``, then environment variables.

Tests pass ``test_config`` to ``create_app``; it is applied last and wins.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

DEFAULTS: dict[str, object] = {
    # "development" (demo allowed) or "production" (Secure cookies, no demo, no debug)
    "LABELAPP_ENV": "development",
    "SQLALCHEMY_DATABASE_URI": None,  # filled in from the instance folder when unset
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "SQLITE_BUSY_TIMEOUT_MS": 15000,
    "BABEL_DEFAULT_LOCALE": "et",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Tallinn",
    "LANGUAGES": ("et", "en"),
    # Messages of command-line tools (operators, cron logs); the web interface defaults to Estonian.
    "CLI_LOCALE": "en",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    # A login ends after SESSION_IDLE_SECONDS without a request, and SESSION_MAX_SECONDS after it began.
    "SESSION_IDLE_SECONDS": 30 * 60,
    "SESSION_MAX_SECONDS": 12 * 3600,
    # Roles that must use a TOTP second factor (set up at their first login); others may turn it on.
    "SECOND_FACTOR_ROLES": ("coordinator", "assessor"),
    # Time allowed between the password and the second factor.
    "SECOND_FACTOR_PENDING_SECONDS": 5 * 60,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    # Evidence files: refused above EVIDENCE_MAX_BYTES; the request limit leaves room for the form around it.
    "EVIDENCE_MAX_BYTES": 20 * 1024 * 1024,
    "MAX_CONTENT_LENGTH": None,  # default: EVIDENCE_MAX_BYTES + 1 MiB
    # Office files (ZIP archives) may unpack to at most this much before any parser reads them.
    "ARCHIVE_MAX_UNCOMPRESSED_BYTES": 512 * 1024 * 1024,
    # Evidence documents need far less room than survey spreadsheets.
    "EVIDENCE_MAX_UNCOMPRESSED_BYTES": 100 * 1024 * 1024,
    # Throttling of failed logins (labelapp/auth/throttle.py), over a sliding window of LOGIN_WINDOW_SECONDS:
    # LOGIN_MAX_FAILURES failures of one account from one client address, or LOGIN_MAX_FAILURES_ACCOUNT from
    # any, lock that account until the oldest leaves the window; an address whose failures concern more than
    # LOGIN_CLIENT_FREE_ACCOUNTS accounts waits 2**k seconds (k accounts beyond those), at most
    # LOGIN_CLIENT_MAX_DELAY_SECONDS, after its latest failure.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_MAX_FAILURES_ACCOUNT": 20,
    "LOGIN_CLIENT_FREE_ACCOUNTS": 5,
    "LOGIN_CLIENT_MAX_DELAY_SECONDS": 120,
    "LOGIN_WINDOW_SECONDS": 15 * 60,
    # "Forgot your password?": at most this many reset e-mails per account, and requests per client address,
    # in an hour (more are answered the same way and do nothing).
    "RESET_MAX_MAILS_PER_ACCOUNT": 3,
    "RESET_MAX_REQUESTS_PER_CLIENT": 10,
    "TOKEN_HOURS_RESET": 2,
    "TOKEN_HOURS_INVITE": 7 * 24,
    "PASSWORD_MIN_LENGTH": 12,
    # argon2id cost. Lower it only in tests; stored hashes are re-hashed at login when these change.
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_KIB": 64 * 1024,
    "ARGON2_PARALLELISM": 4,
    # Outgoing mail. With no SMTP_HOST, messages are printed to the console and stay in the outbox.
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_SECURITY": "none",  # none | starttls | ssl
    "SMTP_TIMEOUT": 10,
    "MAIL_FROM": "Kaasav omavalitsus <noreply@localhost>",
    "MAIL_MAX_ATTEMPTS": 8,
    # The site's public address: every link in every e-mail is built from it, never from a request's Host
    # header. Required in production (https); elsewhere it defaults to DEVELOPMENT_BASE_URL.
    "PUBLIC_BASE_URL": None,
    # Host names requests may carry (Flask's own setting; others get a 400). Default: PUBLIC_BASE_URL's
    # host, and outside production also localhost and 127.0.0.1.
    "TRUSTED_HOSTS": None,
    # Reverse proxies in front of the app that append to X-Forwarded-For (Werkzeug's ProxyFix). 0: no proxy,
    # the header is ignored and the client address is the connection's; 1: one proxy (e.g. nginx), …
    "PROXY_FIX_X_FOR": 0,
    # Anonymous GETs of public registry pages are answered in front of the app from responses kept per change
    # marker; the marker is read at most once per this many seconds, so a change shows within it (None: off).
    "FRONT_CACHE_SECONDS": 2.0,
    "AUDIT_PAGE_SIZE": 50,
    "APPLICATIONS_PAGE_SIZE": 50,
    "SURVEY_WAVES_PAGE_SIZE": 50,
    "USERS_PAGE_SIZE": 50,
    "OUTBOX_PAGE_SIZE": 50,
    # Refused requests (CSRF failures, 403s) are logged at most once per client address in this many seconds
    # (per process); the next line says how many were held back.
    "SECURITY_LOG_INTERVAL_SECONDS": 60,
    # Signed statements of the audit log's newest row (`flask audit anchor`); default instance/audit-anchors.jsonl.
    # Keep copies elsewhere: what the database holds is checked against them.
    "AUDIT_ANCHORS_FILE": None,
    # Survey import. The indicator and minimum sample come from the newest published criteria version; these
    # apply before any is published. URL imports: HTTPS only and no internal addresses, except allowed hosts.
    "SURVEY_INDICATOR": "engagement_satisfaction",
    "SURVEY_MIN_SAMPLE": 30,
    "SURVEY_MAX_BYTES": 200 * 1024 * 1024,
    "SURVEY_URL_TIMEOUT": 30,
    "SURVEY_URL_MAX_REDIRECTS": 3,
    # The whole download must end within this many seconds and, after SURVEY_URL_MIN_RATE_AFTER_SECONDS, have
    # averaged at least SURVEY_URL_MIN_BYTES_PER_SECOND: a server trickling bytes cannot hold a worker.
    "SURVEY_URL_DEADLINE_SECONDS": 60,
    "SURVEY_URL_MIN_BYTES_PER_SECOND": 10 * 1024,
    "SURVEY_URL_MIN_RATE_AFTER_SECONDS": 10,
    "SURVEY_URL_ALLOWED_HOSTS": [],
    # Assessor panels: suggested size, days to review, reminder this many days before the deadline.
    "PANEL_SIZE": 3,
    "REVIEW_DAYS": 30,
    "REVIEW_REMINDER_DAYS": 5,
    # Labels: renewal reminders this many days before expiry ("expiring soon" from the first of them).
    "LABEL_REMINDER_DAYS": (90, 30),
    "APPEAL_DAYS": 30,
    # Improvement plans: an action's one reminder is e-mailed this many days before its date.
    "IMPROVEMENT_REMINDER_DAYS": 14,
    # Folder of criteria files (<framework>/<version>.yaml); default: criteria/ beside the package.
    "CRITERIA_DIR": None,
    # Country of the municipality list used when a code is given without one (CLI, imports).
    "DEFAULT_COUNTRY": "EE",
}

# Environment variable -> (config key, converter)
ENVIRONMENT: dict[str, tuple[str, Callable[[str], object]]] = {
    "LABELAPP_ENV": ("LABELAPP_ENV", str),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "SMTP_HOST": ("SMTP_HOST", str),
    "SMTP_PORT": ("SMTP_PORT", int),
    "SMTP_USERNAME": ("SMTP_USERNAME", str),
    "SMTP_PASSWORD": ("SMTP_PASSWORD", str),
    "SMTP_SECURITY": ("SMTP_SECURITY", str),
    "MAIL_FROM": ("MAIL_FROM", str),
    "PUBLIC_BASE_URL": ("PUBLIC_BASE_URL", str),
    "TRUSTED_HOSTS": ("TRUSTED_HOSTS", lambda value: [host.strip() for host in value.split(",") if host.strip()]),
    "PROXY_FIX_X_FOR": ("PROXY_FIX_X_FOR", int),
}

DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"
DEVELOPMENT_HOSTS = ("localhost", "127.0.0.1")


class ConfigError(RuntimeError):
    """The configuration cannot run the app; the message says what to change."""


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for variable, (key, convert) in ENVIRONMENT.items():
            value = os.environ.get(variable)
            if value:
                app.config[key] = convert(value)
    else:
        app.config.from_mapping(test_config)

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'labelapp.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("MAX_CONTENT_LENGTH"):
        app.config["MAX_CONTENT_LENGTH"] = app.config["EVIDENCE_MAX_BYTES"] + 1024 * 1024
    if not app.config.get("CRITERIA_DIR"):
        app.config["CRITERIA_DIR"] = str(Path(app.root_path).parent / "criteria")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(instance)

    if is_production(app):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        if app.debug:
            raise ConfigError("Debug mode is on in the production configuration; unset FLASK_DEBUG.")
    _public_address(app)


def _public_address(app: Flask) -> None:
    """Check PUBLIC_BASE_URL (required in production) and derive TRUSTED_HOSTS from it when unset."""
    config = app.config
    production = is_production(app)
    if not config.get("PUBLIC_BASE_URL"):
        if production:
            raise ConfigError("PUBLIC_BASE_URL is not set: e-mail links need the site's public address, "
                              "e.g. PUBLIC_BASE_URL=https://label.example.ee")
        config["PUBLIC_BASE_URL"] = DEVELOPMENT_BASE_URL
    parts = urlsplit(config["PUBLIC_BASE_URL"])
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or parts.username or parts.password:
        raise ConfigError(f"PUBLIC_BASE_URL must be an address such as https://label.example.ee, "
                          f"not {config['PUBLIC_BASE_URL']!r}")
    if production and parts.scheme != "https":
        raise ConfigError("PUBLIC_BASE_URL must start with https:// in production (cookies are Secure).")
    config["PUBLIC_BASE_URL"] = config["PUBLIC_BASE_URL"].rstrip("/")
    if not config.get("TRUSTED_HOSTS"):
        hosts = [parts.hostname] + ([] if production else [h for h in DEVELOPMENT_HOSTS if h != parts.hostname])
        config["TRUSTED_HOSTS"] = hosts
    try:
        config["PROXY_FIX_X_FOR"] = int(config["PROXY_FIX_X_FOR"])
    except (TypeError, ValueError):
        raise ConfigError("PROXY_FIX_X_FOR must be a whole number of proxies (0 for none).") from None
    if config["PROXY_FIX_X_FOR"] < 0:
        raise ConfigError("PROXY_FIX_X_FOR must be a whole number of proxies (0 for none).")


def is_production(app: Flask) -> bool:
    return app.config["LABELAPP_ENV"] == "production"


def normalise_database_url(url: str) -> str:
    """Point plain ``postgresql://`` URLs at psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key(instance: Path) -> str:
    """Read the instance's secret key, creating a random one on first run."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
