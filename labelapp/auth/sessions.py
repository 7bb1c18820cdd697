"""Logged-in sessions: started only after every factor, ended when idle or too old, second factor enforced."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from labelapp.auth import second_factor
from labelapp.auth.loader import load_user
from labelapp.auth.models import User

AUTH_AT, SEEN_AT, PENDING = "auth_at", "seen_at", "second_factor_pending"
# Where someone who must set up a second factor may go before doing so.
SETUP_ENDPOINTS = {"auth.second_factor_page", "auth.logout", "pages.set_language", "static"}


def _now() -> int:
    return int(time.time())


def start(user: User) -> None:
    """A fresh session for a fully authenticated user: nothing from before the login carries over."""
    session.clear()
    login_user(user)
    session[AUTH_AT] = session[SEEN_AT] = _now()


def start_pending(user: User, next_url: str) -> None:
    """The password was right; remember who still owes the second factor (nothing else is allowed yet)."""
    session.clear()
    session[PENDING] = {"user": user.get_id(), "at": _now(), "next": next_url}


def pending() -> tuple[User | None, str]:
    """The user waiting for the second factor, if the password step was recent; and where to go next."""
    data = session.get(PENDING)
    if not isinstance(data, dict) or _now() - int(data.get("at", 0)) > \
            current_app.config["SECOND_FACTOR_PENDING_SECONDS"]:
        return None, ""
    return load_user(str(data.get("user", ""))), str(data.get("next", ""))


def _expired() -> bool:
    config, now = current_app.config, _now()
    auth_at, seen_at = session.get(AUTH_AT), session.get(SEEN_AT)
    if not isinstance(auth_at, int) or not isinstance(seen_at, int):
        return True
    return now - seen_at > config["SESSION_IDLE_SECONDS"] or now - auth_at > config["SESSION_MAX_SECONDS"]


def register(app: Flask) -> None:
    @app.before_request
    def _check_session():
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        if _expired():
            logout_user()
            session.clear()
            flash(_("Your session has ended. Please log in again."), "info")
            target = request.full_path if request.method == "GET" else None
            return redirect(url_for("auth.login", next=target))
        now = _now()
        if now - session[SEEN_AT] >= 30:  # keep the cookie from changing on every single request
            session[SEEN_AT] = now
        if request.endpoint not in SETUP_ENDPOINTS and not current_user.has_second_factor \
                and second_factor.required_for(current_user):
            flash(_("Your role requires a second factor. Set it up to continue."), "info")
            return redirect(url_for("auth.second_factor_page"))
        return None
