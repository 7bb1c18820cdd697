"""Small helpers shared by form views."""

from collections.abc import Callable

from flask import flash
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
        field.errors.append(str(exc))
        return False
    db.session.commit()
    return True


def form_status(form) -> int:
    """422 for a form shown again with errors, so tests and tools can tell it from a fresh form."""
    return 422 if form.errors else 200


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
