"""Forms. The area form is built from the criteria file: one radio group and one comment per criterion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from labelapp.core.forms import INT_MAX, Form, https_only

if TYPE_CHECKING:
    from labelapp.criteria.schema import Area, CriteriaFile


def field_id(prefix: str, criterion_id: str) -> str:
    return f"{prefix}-{criterion_id.replace('.', '--')}"


class _AreaFormBase(Form):
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired(), NumberRange(0, INT_MAX - 1)])


def _level_is_known(levels: set[str]):
    def check(form, field):
        if field.data not in (None, "", "None") and field.data not in levels:
            raise ValidationError(_l("Choose one of the levels shown."))
    return check


def area_form(criteria: CriteriaFile, area: Area, language: str, **kwargs) -> Form:
    """An instance of a form class made for ``area``: fields level-<id> and comment-<id> per criterion."""
    labels = {s.level: s.label.get(language) for s in criteria.scale}
    attributes = {}
    for criterion in area.criteria:
        choices = [SelectChoice(str(level.level), f"{level.level} – {labels[level.level]}: "
                                                  f"{level.descriptor.get(language)}") for level in criterion.levels]
        attributes[field_id("level", criterion.id)] = RadioField(
            criterion.title.get(language), choices=choices, validate_choice=False,
            validators=[Optional(), _level_is_known({c.value for c in choices})],
        )
        attributes[field_id("comment", criterion.id)] = TextAreaField(
            _l("Comment (optional)"), validators=[Optional(), Length(max=5000)],
            description=_l("Describe briefly how this works in your municipality."),
        )
        attributes[field_id("evurl", criterion.id)] = URLField(
            _l("Link to evidence (optional)"),
            validators=[Optional(), URL(require_tld=True, message=_l("Enter a web address such as "
                                                                      "https://www.example.ee/plan.")),
                        Length(max=2000)],
            description=_l("A web address; it is added to this criterion's evidence when you save."),
        )
        attributes[field_id("evfile", criterion.id)] = FileField(
            _l("Evidence file (optional)"), description=_l("PDF, ODT, DOCX, ODS, XLSX, PNG or JPEG."))
        attributes[field_id("evtitle", criterion.id)] = StringField(
            _l("Title of the link or file (optional)"), validators=[Optional(), Length(max=255)])
    form_class = type(f"AreaForm_{area.id}", (_AreaFormBase,), attributes)
    return form_class(**kwargs)


def evidence_of(form: Form, criterion_id: str) -> tuple[str, str, object | None]:
    """The title, link and file given for ``criterion_id`` on the area form (empty strings and None if not)."""
    title = (form[field_id("evtitle", criterion_id)].data or "").strip()
    url = (form[field_id("evurl", criterion_id)].data or "").strip()
    upload = form[field_id("evfile", criterion_id)].data
    return title, url, upload if getattr(upload, "filename", None) else None


def level_of(form: Form, criterion_id: str) -> int | None:
    value = form[field_id("level", criterion_id)].data
    return int(value) if value not in (None, "", "None") else None


class LinkForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=255)],
                        description=_l("For example: Engagement principles adopted by the council, 12 May 2025"))
    url = URLField(_l("Web address"), validators=[DataRequired(), https_only, URL(require_tld=True), Length(max=2000)],
                   description=_l("Starts with https://"))


class UploadForm(Form):
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=255)])
    file = FileField(_l("File"), validators=[FileRequired()],
                     description=_l("PDF, ODT, DOCX, ODS, XLSX, PNG or JPEG."))


class StartForm(Form):
    carry_over = BooleanField(_l("Carry over answers and evidence from the previous assessment"), default=True)


class ReopenForm(Form):
    reason = TextAreaField(_l("Reason for reopening"), validators=[DataRequired(), Length(min=10, max=2000)],
                           description=_l("The municipality and the audit log will see this reason."))
