from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional

from labelapp.auth.models import TIE_LABELS
from labelapp.core.forms import Form, IsoDateField

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile


class PanelForm(Form):
    # Rendered by hand in panel/panel.html (conflicted assessors are shown, disabled, with the reason).
    members = SelectMultipleField(_l("Assessors"), choices=[], coerce=str, validators=[DataRequired()])
    chair = SelectField(_l("Chair"), choices=[], validators=[DataRequired()])
    deadline = IsoDateField(_l("Reviews due"), validators=[DataRequired()])

    @classmethod
    def build(cls, candidates, days: int, **kwargs) -> PanelForm:
        form = cls(**kwargs)
        # Conflicted assessors are not valid choices: a forged submission naming one fails validation too.
        form.members.choices = [SelectChoice(str(c.user.id), c.user.name) for c in candidates if not c.conflicted]
        form.chair.choices = [SelectChoice(str(c.user.id), c.user.name) for c in candidates if not c.conflicted]
        if form.deadline.data is None:
            form.deadline.data = dt.date.today() + dt.timedelta(days=days)
        return form


class ConflictForm(Form):
    kind = SelectField(_l("Kind of conflict"), validators=[DataRequired()],
                       choices=[SelectChoice(k.value, label) for k, label in TIE_LABELS.items()])
    note = TextAreaField(_l("Details (optional)"), validators=[Optional(), Length(max=1000)])


RECOMMENDATION_CHOICES = [("award", _l("Award the label")), ("decline", _l("Decline")), ("unsure", _l("Unsure"))]


def level_choices(criteria: CriteriaFile, criterion, language: str) -> list[SelectChoice]:
    labels = {s.level: s.label.get(language) for s in criteria.scale}
    return [SelectChoice("", _l("— choose —"))] + [
        SelectChoice(str(level.level), f"{level.level} – {labels[level.level]}") for level in criterion.levels]


def _per_criterion(criteria: CriteriaFile, language: str, note: str, note_label) -> dict:
    """A level select (level-<id>) and a note (<note>-<id>) for every criterion, as form class attributes."""
    attributes = {}
    for _area, criterion in criteria.criteria():
        key = criterion.id.replace(".", "--")
        attributes[f"level-{key}"] = SelectField(criterion.title.get(language),
                                                 choices=level_choices(criteria, criterion, language),
                                                 validators=[Optional()])
        attributes[f"{note}-{key}"] = TextAreaField(note_label, validators=[Optional(), Length(max=5000)])
    return attributes


def review_form(criteria: CriteriaFile, language: str, **kwargs) -> Form:
    """level-<id> and comment-<id> per criterion, plus the overall recommendation and comment."""
    attributes = _per_criterion(criteria, language, "comment", _l("Comment"))
    attributes["recommendation"] = RadioField(_l("Recommendation"), choices=[
        SelectChoice(v, label) for v, label in RECOMMENDATION_CHOICES], validators=[Optional()])
    attributes["comment"] = TextAreaField(_l("Overall comment"), validators=[Optional(), Length(max=10000)])
    return type("ReviewForm", (Form,), attributes)(**kwargs)


def consolidation_form(criteria: CriteriaFile, language: str, **kwargs) -> Form:
    """level-<id> and reason-<id> per criterion, plus the panel's recommendation and its reasons."""
    attributes = _per_criterion(criteria, language, "reason", _l("Reason"))
    attributes["recommendation"] = RadioField(_l("Panel recommendation"), choices=[
        SelectChoice(v, label) for v, label in RECOMMENDATION_CHOICES[:2]], validators=[Optional()])
    attributes["reasons"] = TextAreaField(_l("Reasons for the recommendation"),
                                          validators=[Optional(), Length(max=10000)])
    return type("ConsolidationForm", (Form,), attributes)(**kwargs)


class QuestionForm(Form):
    question = TextAreaField(_l("Question to the municipality"), validators=[DataRequired(), Length(min=10, max=5000)],
                             description=_l("The review time is paused until the municipality answers."))


class AnswerForm(Form):
    answer = TextAreaField(_l("Your answer"), validators=[DataRequired(), Length(max=10000)])
    criterion = SelectField(_l("Add evidence for criterion (optional)"), choices=[], validators=[Optional()])
    title = StringField(_l("Evidence title"), validators=[Optional(), Length(max=255)])
    url = URLField(_l("Evidence web address"), validators=[Optional(), URL(), Length(max=2000)])
    file = FileField(_l("Evidence file (optional)"), description=_l("PDF, ODT, DOCX, ODS, XLSX, PNG or JPEG."))

    def has_file(self) -> bool:
        return bool(getattr(self.file.data, "filename", None))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.url.data and not (self.criterion.data and self.title.data):
            self.url.errors = [*self.url.errors, _l("With a link, choose the criterion and give a title.")]
            return False
        if self.has_file() and not self.criterion.data:
            self.file.errors = [*self.file.errors, _l("With a file, choose the criterion it is evidence for.")]
            return False
        return valid


def build_answer_form(criteria: CriteriaFile, language: str) -> AnswerForm:
    form = AnswerForm()
    form.criterion.choices = [SelectChoice("", _l("— none —"))] + [
        SelectChoice(c.id, c.title.get(language)) for _area, c in criteria.criteria()]
    return form
