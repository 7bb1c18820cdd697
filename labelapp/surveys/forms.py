import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from labelapp.core.forms import ConfirmForm, Form
from labelapp.surveys import words
from labelapp.surveys.names import ROLES

ROLE_LABELS = words.ROLES


class ImportForm(Form):
    year = IntegerField(_l("Survey year"), validators=[DataRequired(), NumberRange(2000, dt.date.today().year + 1)])
    description = StringField(_l("Source"), validators=[Optional(), Length(max=500)],
                              description=_l("For example: Minu omavalitsus portal, Statistics Estonia table KOV01"))
    shape = SelectField(_l("Shape of the data"), choices=[
        SelectChoice("", _l("Detect from the columns")),
        SelectChoice("aggregated", _l("Aggregated: one row per municipality")),
        SelectChoice("respondents", _l("Respondent-level: one row per respondent")),
    ], validators=[Optional()])
    file = FileField(_l("File"), description=_l("CSV, XLSX or ODS."))
    url = URLField(_l("Or the address of the file"), validators=[Optional(), URL(), Length(max=2000)],
                   description=_l("An https:// address."))
    supersede = BooleanField(_l("Replace the current wave of this year (a corrected file)"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.url.data and not (self.file.data and getattr(self.file.data, "filename", "")):
            self.url.errors = [*self.url.errors, _l("Choose a file or give an address.")]
            return False
        return valid


def mapping_form(headers: list[str], current: dict[str, str], reasons: dict | None = None) -> Form:
    """One select per column header: which kind of data it holds, and why it was recognised so."""
    reasons = reasons or {}
    attributes = {}
    for index, header in enumerate(headers):
        choices = [SelectChoice("", _l("— not used —"))] + [SelectChoice(r, ROLE_LABELS[r]) for r in ROLES]
        attributes[f"column_{index}"] = SelectField(header, choices=choices, default=current.get(header, ""),
                                                    validators=[Optional()], description=reasons.get(header, ""))
    return type("MappingForm", (Form,), attributes)()


class ConfirmImportForm(ConfirmForm):
    profile_name = StringField(_l("Save these columns as a mapping profile named (optional)"),
                               validators=[Optional(), Length(max=200)],
                               description=_l("For example the data provider and year. A later file with the same "
                                              "columns is then read the same way without choosing them again."))


def profile_choice_form(profiles: list, current: int | str | None) -> Form:
    """Which saved mapping profile the file is read with (or none)."""
    choices = [SelectChoice("", _l("— no profile —"))] + [SelectChoice(str(p.id), p.name) for p in profiles]
    field_ = SelectField(_l("Mapping profile"), choices=choices, default="" if current is None else str(current),
                         validators=[Optional()])
    return type("ProfileChoiceForm", (Form,), {"profile": field_})()
