from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from labelapp.core.forms import Form, IsoDateField
from labelapp.criteria.patterns import ID_PATTERN, VERSION_PATTERN


class PublishForm(Form):
    """Names of a listed file; the service also looks them up among the listed files only."""

    framework = HiddenField(validators=[DataRequired(), Length(max=64), Regexp(ID_PATTERN)])
    version = HiddenField(validators=[DataRequired(), Length(max=32), Regexp(VERSION_PATTERN)])


class OpenRoundForm(Form):
    criteria_version = SelectField(_l("Criteria version"), choices=[], validators=[DataRequired()])
    title = StringField(_l("Name of the round"), validators=[DataRequired(), Length(max=200)],
                        description=_l("For example: Label round 2026"))
    closes_on = IsoDateField(_l("Applications close on"), validators=[DataRequired()])
