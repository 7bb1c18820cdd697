"""The base class of every form (it refuses control characters), and small helpers shared by form views."""

import re
from collections.abc import Callable

from flask import flash, g
from flask_babel import get_translations, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from werkzeug.datastructures import FileStorage
from wtforms import DateField, Field, PasswordField, TextAreaField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from labelapp.core.errors import DomainError
from labelapp.extensions import db

# The largest value of an INTEGER column on PostgreSQL (ids, versions): every number from a URL or a form is
# checked against it, so that a larger one is refused like any wrong value instead of failing in the database.
INT_MAX = 2**31 - 1

# NUL cannot be stored in PostgreSQL text, and no other C0 or C1 control character belongs in anything a person
# types: they only hide text or break headers and files. Multi-line fields keep tab and line breaks.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str, multiline: bool = False) -> str | None:
    """The first control character in ``text`` that may not be stored, as ``U+0000``; None when there is none."""
    found = (CONTROL_CHARACTERS_MULTILINE if multiline else CONTROL_CHARACTERS).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def plain_text(form, field: Field) -> None:
    """WTForms validator: refuse NUL and other control characters in a text field or an uploaded file's name
    (tab and line breaks are allowed in multi-line fields). Every ``Form`` runs it on all its fields."""
    if isinstance(field, PasswordField):
        return  # never stored as text (only its hash), and a person's password is theirs to choose
    data = field.data
    if isinstance(data, FileStorage):
        char = control_character(data.filename or "")
        if char:
            raise ValidationError(_l("The file's name contains a control character (%(char)s); rename the file and "
                                     "try again.", char=char))
        return
    values = data if isinstance(data, list | tuple) else [data]
    for value in values:
        char = isinstance(value, str) and control_character(value, multiline=isinstance(field, TextAreaField))
        if char:
            raise ValidationError(_l("This text contains a control character (%(char)s), which cannot be stored; "
                                     "remove it and try again.", char=char))


# WTForms' messages that its own Estonian catalogue leaves empty or marks fuzzy (so they were shown in English,
# "'3' is not a valid choice for this field."): they are in this app's catalogue, which ``FormTranslations``
# asks first. Never called for their value; listed so that ``make extract-messages`` finds them.
WTFORMS_MESSAGES = (
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Choices cannot be None."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    lazy_ngettext("'%(value)s' is not a valid choice for this field.",
                  "'%(value)s' are not valid choices for this field.", 1),
    lazy_ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1),
)


class FormTranslations:
    """Translations of WTForms' messages: this app's catalogue (Flask-Babel) where it has the message, else
    WTForms' own catalogue for the page's language (Flask-WTF's I18N)."""

    def gettext(self, string: str) -> str:
        translated = get_translations().gettext(string)
        return translated if translated != string else wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        translated = get_translations().ngettext(singular, plural, n)
        return translated if translated not in (singular, plural) else wtforms_translations.ngettext(singular,
                                                                                                      plural, n)


FORM_TRANSLATIONS = FormTranslations()


class Form(FlaskForm):
    """The base of every form in the app: all its fields refuse control characters (``plain_text``), shown on
    the field with 422. ``tests/core/test_forms.py`` checks that no form is built on FlaskForm directly."""

    class Meta:
        def get_translations(self, form):
            return FORM_TRANSLATIONS

        def bind_field(self, form, unbound_field, options):
            # A prefixed form's CSRF field keeps the name ``csrf_token`` (and a prefixed id, unique on the page):
            # CSRFProtect checks that name for every request, and scanners that look for a token by its name
            # would otherwise report the form as unprotected.
            if options.get("prefix") and options.get("name") == self.csrf_field_name:
                options = {**options, "prefix": "", "id": options["prefix"] + options["name"]}
            elif options.get("name") == self.csrf_field_name:
                # No id: a page with several forms would repeat id="csrf_token" (duplicate ids, WCAG 4.1.1).
                options = {**options, "render_kw": {"id": False}}
            return super().bind_field(form, unbound_field, options)

    def validate(self, extra_validators=None):
        extra = dict(extra_validators or {})
        return super().validate({name: [*extra.get(name, ()), plain_text] for name in self._fields})


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


def https_only(form, field: Field) -> None:
    """WTForms validator: a web address the hint says starts with https:// must start with it (http:// links
    are refused with a clear message rather than accepted against the hint)."""
    if field.data and not field.data.strip().lower().startswith("https://"):
        raise ValidationError(_l("The address must start with https:// (a secure connection); an address "
                                 "starting with http:// or without the scheme is not accepted."))


# A date typed as the hint says (AAAA-KK-PP / YYYY-MM-DD): a browser's date picker shows its own locale's order
# (mm/dd/yyyy, dd.mm.yyyy), which would contradict the hint, so the field is plain text with a pattern.
ISO_DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"


class IsoDateField(DateField):
    """A date field rendered as text (``inputmode=numeric``, ``pattern``) with the hint "Date as YYYY-MM-DD."."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", _l("Date as YYYY-MM-DD."))
        kwargs["render_kw"] = {"pattern": ISO_DATE_PATTERN, "inputmode": "numeric", "autocomplete": "off",
                               "spellcheck": "false", **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, format="%Y-%m-%d",
                         invalid_value_message=_l("Write the date as YYYY-MM-DD, for example 2026-05-31."), **kwargs)

    def pre_validate(self, form) -> None:
        if self.process_errors:  # a date in another form: say so, not "required" (DataRequired clears errors)
            raise StopValidation()


class ConfirmForm(Form):
    """A form that is only a button (and its CSRF token)."""
