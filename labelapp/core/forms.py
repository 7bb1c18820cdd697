"""Small helpers shared by form views."""

from collections.abc import Callable

from flask import flash, g
from flask_wtf import FlaskForm
from wtforms import Field

from labelapp.core.errors import DomainError
from labelapp.extensions import db


def commit_or_report(field: Field, action: Callable[[], object]) -> bool:
    """Run a service call and commit it; on a ``DomainError`` roll back and show its message on ``field``."""
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        report(field, exc)
        return False
    db.session.commit()
    return True


def report(field: Field, error: DomainError) -> None:
    """Show ``error`` on ``field``; the page's status becomes the error's (e.g. 413 for a too large file)."""
    field.errors.append(str(error))
    if error.status != DomainError.status:
        g.error_status = error.status


def form_status(*forms) -> int:
    """422 (or a reported error's own status) for a form shown again with errors, 200 for a fresh form."""
    return g.get("error_status", 422) if any(form.errors for form in forms) else 200


def commit_or_flash(action: Callable[[], object]) -> bool:
    """Like ``commit_or_report`` for button-only forms: the domain error becomes an error message."""
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return False
    db.session.commit()
    return True


def flash_form_errors(form: FlaskForm) -> None:
    """For small forms that redirect back to their page: show their validation errors as messages."""
    for errors in form.errors.values():
        flash(" ".join(str(error) for error in errors), "error")


class ConfirmForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""
